/* svcaudit CLI: `svcaudit survey import`: customer survey results (SSI, CSI),
 * shown beside the audit-based figures, never mixed into them. */
#include "cli.h"
#include "commands.h"

#include <string.h>

static const char USAGE[] =
    "usage: svcaudit survey import FILE.csv\n"
    "\n"
    "Columns: cycle, store, metric (ssi or csi), value, respondents, and optionally\n"
    "scale (the value's full scale, default 100; e.g. 1000 for industry indexes).\n"
    "Values are kept on 0-100. All or nothing: one bad row imports nothing.\n";

int cmd_survey(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        if (c == 'h') {
            fputs(USAGE, stdout);
            return EXIT_OKAY;
        }
        return cli_usage_error("survey", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (argc - optind != 2 || strcmp(argv[optind], "import") != 0)
        return cli_usage_error("survey", "want: survey import FILE.csv");
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    int status = EXIT_OKAY;
    if (sva_db_survey_import(db, argv[optind + 1], &st, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("survey results: %zu added, %zu replaced\n", st.added, st.updated);
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

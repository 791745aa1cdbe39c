/* svcaudit CLI: `svcaudit survey import`: customer survey results (SSI, CSI),
 * shown beside the audit-based figures, never mixed into them. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Columns: cycle, store, metric (ssi or csi), value, respondents, and optionally\n"
    "scale (the value's full scale, default 100; e.g. 1000 for industry indexes).\n"
    "Values are kept on 0-100. All or nothing: one bad row imports nothing.\n";

static int run_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    int status = EXIT_OKAY;
    if (sva_db_survey_import(c->db, argv[0], &st, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("survey results: %zu added, %zu replaced\n", st.added, st.updated);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_sub subs[] = {{.name = "import", .synopsis = "svcaudit survey import FILE.csv",
                                .min_args = 1, .max_args = 1, .args = "one FILE.csv",
                                .run = run_import}};

const cli_command cmd_survey = {subs, 1, ABOUT};

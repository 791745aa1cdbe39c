/* svcaudit CLI: `svcaudit merge OTHER.db`: bring a laptop's audits into this
 * database, idempotently. */
#include "cli.h"
#include "commands.h"

static const char USAGE[] =
    "usage: svcaudit [--db FILE] merge OTHER.db\n"
    "\n"
    "Bring the audits of OTHER.db (and the stores, employees, cycles and checklist\n"
    "versions they need) into this database. Merging the same file twice adds\n"
    "nothing. A conflict (same id, different content) is reported and this\n"
    "database's record is kept; the exit status is then 1.\n";

int cmd_merge(int argc, char **argv)
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
        return cli_usage_error("merge", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (argc - optind != 1)
        return cli_usage_error("merge", "merge takes one OTHER.db");
    const char *other = argv[optind];
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_merge_stats st;
    sva_error rc = sva_db_merge(db, other, &st, &d);
    cli_print_diag(&d);
    int status = EXIT_OKAY;
    if (rc) {
        status = EXIT_DATA;
    } else {
        printf("merged %s: %zu audits added, %zu already here; %zu stores, %zu employees, "
               "%zu cycles, %zu checklist versions added; %zu conflicts\n",
               other, st.audits_added, st.audits_same, st.stores_added, st.employees_added,
               st.cycles_added, st.checklists_added, st.conflicts);
        if (st.conflicts)
            status = EXIT_FOUND;
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

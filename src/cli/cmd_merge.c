/* svcaudit CLI: `svcaudit merge OTHER.db`: bring a laptop's audits into this
 * database, idempotently. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Bring the audits of OTHER.db (and the stores, employees, cycles and checklist\n"
    "versions they need) into this database. Merging the same file twice adds\n"
    "nothing. A conflict (same id, different content) is reported and this\n"
    "database's record is kept; the exit status is then 1.\n";

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    const char *other = argv[0];
    sva_diag d;
    sva_diag_init(&d);
    sva_merge_stats st;
    sva_error rc = sva_db_merge(c->db, other, &st, &d);
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
    return status;
}

static const cli_sub subs[] = {{.synopsis = "svcaudit [--db FILE] merge OTHER.db",
                                .min_args = 1, .max_args = 1, .args = "one OTHER.db",
                                .run = run}};

const cli_command cmd_merge = {subs, 1, ABOUT};

/* svcaudit CLI: `svcaudit log`: the change log, who changed what and when. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>

static const char ABOUT[] =
    "Every change to the database is a line of the log, never changed or deleted:\n"
    "when (UTC), by whom (--by, else $SVCAUDIT_USER, else the login name), the cycle\n"
    "it concerns, what kind of change, what it changed and how. Recording, amending,\n"
    "voiding and unvoiding audits, appeals, actions, targets, reasons, closing and\n"
    "reopening cycles, imports, stores and employees, merges: all are here.\n";

static const char *cycle, *since;
static int format = CLI_TABLE;

static int run_log(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    sva_change *v = NULL;
    size_t n = 0;
    sva_change_filter f = {.cycle = cycle, .since = since};
    /* a deleted cycle keeps its lines in the log */
    if ((cycle && sva_db_ref_check(c->db, SVA_REF_LOGGED_CYCLE, cycle, "--cycle", &d)) ||
        sva_db_log_list(c->db, &f, &v, &n, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"at", "by", "cycle", "what", "object", "detail"};
        cli_table t;
        table_init(&t, 6, hdr);
        t.nullable = 1u << 2;
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {v[i].at,   v[i].actor,  v[i].cycle ? v[i].cycle : "",
                                 v[i].what, v[i].object, v[i].detail};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
    }
    sva_changes_free(v, n);
    sva_diag_clear(&d);
    return rc;
}

static const cli_opt log_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "only the changes that concern this cycle", 0),
    OPT_DATE("since", &since, "only the changes made on or after this day (UTC)", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit log [--cycle ID] [--since YYYY-MM-DD] [--format table|csv|json]",
     .opts = log_opts, .run = run_log},
};

const cli_command cmd_log = {subs, sizeof subs / sizeof *subs, ABOUT};

/* svcaudit CLI: `svcaudit copy --from DB --to DB`: a whole database into
 * another, between SQLite files and PostgreSQL, for the day a chain grows. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Copy a whole database into another: an SQLite file into PostgreSQL\n"
    "(postgresql://USER@HOST/DBNAME, see 'PostgreSQL' in the README) or back.\n"
    "Every store, employee, cycle, checklist version, audit (its revisions and\n"
    "appeals), target, action, survey result, plan, owner and line of the change\n"
    "log comes with its id, and the pseudonym salt with them, so lists, figures,\n"
    "the record and pseudonyms stay the same. TO is created when\n"
    "missing and must hold no data. One transaction: all or nothing. FROM is\n"
    "only read: one made by an older svcaudit is refused, not brought forward\n"
    "(any other command on it brings it forward first).\n";

static const char *from, *to;

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_copy_stats st;
    int status = EXIT_OKAY;
    if (sva_db_copy(from, to, &st, &d)) {
        cli_print_diag(&d);
        if (!d.n)
            cli_error("copy failed");
        status = EXIT_DATA;
    } else {
        char a[1024], b[1024];
        sva_db_name(from, a, sizeof a);
        sva_db_name(to, b, sizeof b);
        printf("copied %s to %s: %zu %s; %zu %s in %zu %s\n", a, b, st.audits,
               cli_plural((long long)st.audits, "audit", "audits"), st.rows,
               cli_plural((long long)st.rows, "row", "rows"), st.tables,
               cli_plural((long long)st.tables, "table", "tables"));
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "from", &from, "DB", "the database to copy: a file or a postgresql:// URL",
               CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_STRING(0, "to", &to, "DB", "where to: a new or empty database, file or URL",
               CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit copy --from DB --to DB", .opts = opts, .run = run},
};

const cli_command cmd_copy = {subs, 1, ABOUT};

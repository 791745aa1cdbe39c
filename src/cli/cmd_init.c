/* svcaudit CLI: `svcaudit init`: create the database. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Create the database (default ./svcaudit.db, or --db FILE, or $SVCAUDIT_DB).\n"
    "An existing svcaudit database is brought up to date and left otherwise as it is.\n";

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    char name[1024];
    sva_db_name(g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db", name, sizeof name);
    printf("%s %s (schema %d)\n", sva_db_created(c->db) ? "created" : "up to date:", name,
           SVA_SCHEMA_VERSION);
    return EXIT_OKAY;
}

static const cli_sub subs[] = {{.synopsis = "svcaudit [--db FILE] init", .run = run}};

const cli_command cmd_init = {subs, 1, ABOUT};

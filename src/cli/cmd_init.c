/* svcaudit CLI: `svcaudit init [--name NAME]`: create the database, give it a name. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Create the database (default ./svcaudit.db, or --db FILE|URL, or $SVCAUDIT_DB).\n"
    "An existing svcaudit database is brought up to date and left otherwise as it is.\n"
    "Every database has an identity: a UUID made when it is created, and a name\n"
    "given with --name (\"laptop Zhang\", \"East office\"; given again, it renames\n"
    "it), which other databases show for the records made in it.\n";

static const char *name;

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_identity id;
    if ((name && sva_db_set_name(c->db, name, &d)) || sva_db_identity(c->db, &id, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    sva_diag_clear(&d);
    char shown[1024];
    sva_db_name(g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db", shown, sizeof shown);
    printf("%s %s (schema %d)", sva_db_created(c->db) ? "created" : "up to date:", shown,
           SVA_SCHEMA_VERSION);
    if (*id.name)
        printf(", named '%s'", cli_clean(id.name));
    printf("\n");
    return EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "name", &name, "NAME", "the database's name, e.g. \"laptop Zhang\"",
               CLI_OPT_NONEMPTY),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit [--db FILE|URL] init [--name NAME]", .opts = opts, .run = run}};

const cli_command cmd_init = {subs, 1, ABOUT};

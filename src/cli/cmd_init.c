/* svcaudit CLI: `svcaudit init`: create the database. */
#include "cli.h"
#include "commands.h"

static const char USAGE[] =
    "usage: svcaudit [--db FILE] init\n"
    "\n"
    "Create the database (default ./svcaudit.db, or --db FILE, or $SVCAUDIT_DB).\n"
    "An existing svcaudit database is brought up to date and left otherwise as it is.\n";

int cmd_init(int argc, char **argv)
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
        return cli_usage_error("init", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    sva_db *db = cli_open_db(SVA_DB_CREATE);
    if (!db)
        return EXIT_DATA;
    const char *path = g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db";
    printf("%s %s (schema %d)\n", sva_db_created(db) ? "created" : "up to date:", path,
           SVA_SCHEMA_VERSION);
    sva_db_close(db);
    return EXIT_OKAY;
}

/* svcaudit CLI: the sorted command table with what each command needs, and
 * dispatch: global options, the command, its options (opt.c), then what it
 * needs opened (database, checklists), the run, and everything closed. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    const cli_command *spec;
    unsigned needs; /* CLI_NEED_*: opened before the command runs */
    const char *summary;
};

/* Sorted by name. */
static const struct command commands[] = {
    {"action", &cmd_action, CLI_NEED_DB | CLI_NEED_CATALOG,
     "5W1H corrective actions: add, list, show, update"},
    {"audit", &cmd_audit, CLI_NEED_DB, "recorded audits: list, show, sheet, amend, void, unvoid, appeal, resolve"},
    {"auditors", &cmd_auditors, CLI_NEED_DB,
     "auditor consistency: lenient or strict against the others"},
    {"checklist", &cmd_checklist, CLI_NEED_CATALOG,
     "list, show, lint checklists; write answer-sheet templates"},
    {"copy", &cmd_copy, 0, "copy a whole database between SQLite and PostgreSQL"},
    {"cycle", &cmd_cycle, CLI_NEED_DB, "PDCA cycles: open, list, status, reason, advance, close, reopen, delete"},
    {"employee", &cmd_employee, CLI_NEED_DB, "employees over time: add, list, import, move, deactivate; ratings"},
    {"export", &cmd_export, CLI_NEED_DB | CLI_NEED_CATALOG, "write the cycle's Excel workbook"},
    {"info", &cmd_info, CLI_NEED_DB, "this database's identity, its records, where they were made"},
    {"init", &cmd_init, CLI_NEED_DB_CREATE, "create the database (and name it)"},
    {"log", &cmd_log, CLI_NEED_DB, "the change log: who changed what, when"},
    {"merge", &cmd_merge, CLI_NEED_DB,
     "bring another database's records in, trusting nothing; settle conflicts"},
    {"owner", &cmd_owner, CLI_NEED_DB | CLI_NEED_LAZY,
     "who answers for a checklist section or item at a store: set, list"},
    {"pack", &cmd_pack, CLI_NEED_DB,
     "write a laptop's database for a region, stores or an auditor"},
    {"plan", &cmd_plan, CLI_NEED_DB | CLI_NEED_LAZY,
     "planned audits: set, import, list, copy; status, due, reason for missed"},
    {"record", &cmd_record, CLI_NEED_DB | CLI_NEED_CATALOG | CLI_NEED_LAZY,
     "record an audit: from a sheet, stdin, or a guided walk"},
    {"repeats", &cmd_repeats, CLI_NEED_DB,
     "items failing at a store in consecutive cycles (escalate)"},
    {"report", &cmd_report, CLI_NEED_DB | CLI_NEED_CATALOG,
     "one-page PDF reports of an audit, an employee, a store; a cycle's audits"},
    {"store", &cmd_store, CLI_NEED_DB, "stores and regions over time: add, list, import, deactivate, reactivate"},
    {"survey", &cmd_survey, CLI_NEED_DB, "import customer survey results (SSI, CSI)"},
    {"target", &cmd_target, CLI_NEED_DB | CLI_NEED_CATALOG | CLI_NEED_LAZY,
     "targets (the Plan): set, unset, copy, list, import"},
    {"trend", &cmd_trend, CLI_NEED_DB,
     "a metric cycle over cycle with its significance; items that moved"},
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static void usage(FILE *f)
{
    fprintf(f, "usage: svcaudit [--db FILE|URL] [--checklists DIR] [--by NAME] COMMAND [options]\n"
               "       svcaudit --help | --version\n\n"
               "Mystery shopping and 6S service audits under PDCA.\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nglobal options (before or after the command):\n"
               "  --db FILE|URL      the database: a file, or postgresql://USER@HOST/DB\n"
               "                     (default: $SVCAUDIT_DB, else ./svcaudit.db)\n"
               "  --checklists DIR   look for checklists here first (also $SVCAUDIT_CHECKLISTS)\n"
               "  --checklists-only  only there, not in the shipped ones\n"
               "  --by NAME          who makes the change, for the log (default $SVCAUDIT_USER,\n"
               "                     else the login name)\n"
               "  -h, --help         a command's or subcommand's usage\n"
               "  --version          print svcaudit's version\n"
               "\n'svcaudit COMMAND --help' describes a command.\n");
}

/* Parse the command's options, open what it needs, run it, close it all. */
static int run(const struct command *c, int argc, char **argv)
{
    const cli_sub *sub;
    int nargs;
    char **args;
    int rc = cli_parse(c->spec, c->name, argc, argv, &sub, &nargs, &args);
    if (rc >= 0)
        return rc;
    unsigned needs = sub->needs & CLI_NEED_NONE ? 0 : c->needs | sub->needs;
    cli_ctx ctx = {0};
    char name[96];
    snprintf(name, sizeof name, "%s%s%s", c->name, sub->name ? " " : "",
             sub->name ? sub->name : "");
    ctx.name = name;
    sva_diag_init(&ctx.cat_problems);
    rc = EXIT_DATA;
    if (needs & CLI_NEED_CATALOG) {
        ctx.cat = cli_catalog(&ctx.cat_problems, needs & CLI_NEED_LAZY);
        if (!ctx.cat)
            goto done;
    }
    if (needs & (CLI_NEED_DB | CLI_NEED_DB_CREATE)) {
        ctx.db = cli_open_db(needs & CLI_NEED_DB_CREATE ? SVA_DB_CREATE : SVA_DB_EXISTING);
        if (!ctx.db)
            goto done;
        /* every write through it records who made it */
        sva_diag d;
        sva_diag_init(&d);
        if (sva_db_set_actor(ctx.db, cli_actor(), &d)) {
            cli_error("the name of who makes the change ('%s', from %s) is not a name: give "
                      "--by NAME",
                      cli_actor(), g_cli.by ? "--by" : "SVCAUDIT_USER or the login name");
            sva_diag_clear(&d);
            rc = EXIT_USAGE;
            goto done;
        }
        sva_diag_clear(&d);
    }
    rc = sub->run(&ctx, nargs, args);
done:
    sva_db_close(ctx.db);
    sva_catalog_free(ctx.cat);
    sva_diag_clear(&ctx.cat_problems);
    return rc;
}

int main(int argc, char **argv)
{
    sva_db_lean_memory(); /* SQLite is ours alone in this process */
    g_cli.db = getenv("SVCAUDIT_DB");
    int first;
    int rc = cli_parse_globals(argc, argv, &first);
    if (rc == CLI_PARSED_HELP) {
        usage(stdout);
        return cli_finish(EXIT_OKAY);
    }
    if (rc == CLI_PARSED_VERSION) {
        printf("svcaudit %s\n", SVA_VERSION);
        return cli_finish(EXIT_OKAY);
    }
    if (rc >= 0)
        return rc;
    if (first >= argc) {
        cli_error("missing command (see 'svcaudit --help')");
        return EXIT_USAGE;
    }
    const char *name = argv[first];
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return cli_finish(run(&commands[i], argc - first, argv + first));
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    char sug[128];
    cli_suggest(name, names, N_COMMANDS, "", sug, sizeof sug);
    if (*sug)
        cli_error("'%s' is not a command; did you mean %s? (see 'svcaudit --help')", name, sug);
    else
        cli_error("'%s' is not a command (see 'svcaudit --help')", name);
    return EXIT_USAGE;
}

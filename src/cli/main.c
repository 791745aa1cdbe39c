/* svcaudit CLI: global options, the sorted command table and dispatch.
 * Each command lives in its own cmd_<name>.c. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

/* Sorted by name. */
static const struct command commands[] = {
    {"action", cmd_action, "5W1H corrective actions: add, list, show, update"},
    {"audit", cmd_audit, "list, show and void recorded audits"},
    {"auditors", cmd_auditors, "auditor consistency: lenient or strict against the others"},
    {"checklist", cmd_checklist, "list, show, lint checklists; write answer-sheet templates"},
    {"cycle", cmd_cycle, "PDCA cycles: open, list, status, reason, advance, close"},
    {"employee", cmd_employee, "add, list and import employees"},
    {"export", cmd_export, "write the cycle's Excel workbook"},
    {"init", cmd_init, "create the database"},
    {"merge", cmd_merge, "bring another database's audits in (idempotent)"},
    {"record", cmd_record, "record an audit: from a sheet, stdin, or a guided walk"},
    {"repeats", cmd_repeats, "items failing at a store in consecutive cycles (escalate)"},
    {"store", cmd_store, "add, list and import stores (with regions)"},
    {"survey", cmd_survey, "import customer survey results (SSI, CSI)"},
    {"target", cmd_target, "set, list and import targets (the Plan)"},
    {"trend", cmd_trend, "a metric cycle over cycle with its significance; item moves"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: svcaudit [--db FILE] [--checklists DIR] COMMAND [options]\n"
               "       svcaudit --help | --version\n\n"
               "Mystery shopping and 6S service audits under PDCA.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nglobal options:\n"
               "  --db FILE          the database (default: $SVCAUDIT_DB, else ./svcaudit.db)\n"
               "  --checklists DIR   look for checklists here first (also $SVCAUDIT_CHECKLISTS)\n"
               "\n'svcaudit COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    g_cli.db = getenv("SVCAUDIT_DB");
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h':
            usage(stdout);
            return cli_finish(EXIT_OKAY);
        case 'V':
            printf("svcaudit %s\n", SVA_VERSION);
            return cli_finish(EXIT_OKAY);
        default:
            /* optopt is a long option's code, not a character, for --db and friends */
            if (optopt > 0 && optopt < 128 && optopt != '?')
                cli_error("unknown or incomplete option '-%c' (see 'svcaudit --help')", optopt);
            else
                cli_error("unknown or incomplete option '%s' (see 'svcaudit --help')",
                          argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("missing command (see 'svcaudit --help')");
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return cli_finish(commands[i].fn(argc - optind, argv + optind));
    cli_error("'%s' is not a command (see 'svcaudit --help')", name);
    return EXIT_USAGE;
}

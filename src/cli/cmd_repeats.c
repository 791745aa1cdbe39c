/* svcaudit CLI: `svcaudit repeats`: items failing at the same store in two or
 * more consecutive cycles, to escalate. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: svcaudit repeats --cycle ID [--format table|csv|json] [--fail-on-repeats]\n"
    "\n"
    "The same checklist item failing at the same store in two or more consecutive\n"
    "cycles ending with ID (failing: at least one failed answer to the item at the\n"
    "store in the cycle). Each is marked for escalation, with the cycles, the failed\n"
    "answers in ID, and the actions on the item at the store in those cycles.\n"
    "--fail-on-repeats: exit 1 when there is any.\n";

int cmd_repeats(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"cycle", required_argument, NULL, 'c'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"fail-on-repeats", no_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    const char *cycle = NULL, *format = NULL;
    bool fail_on = false;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'c': cycle = optarg; break;
        case 'f': format = optarg; break;
        case 'F': fail_on = true; break;
        default:
            return cli_usage_error("repeats", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    if (optind < argc)
        return cli_usage_error("repeats", "unexpected argument '%s'", argv[optind]);
    if (!cycle)
        return cli_usage_error("repeats", "missing --cycle ID");
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_repeat *v = NULL;
    size_t n = 0;
    if (sva_trend_repeats(db, cycle, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        sva_db_close(db);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"store",    "region",  "checklist", "item",
                                      "cycles_in_a_row", "cycles",  "failed", "answered",
                                      "actions",  "escalate"};
    cli_table t;
    table_init(&t, 10, hdr);
    t.numeric = (1u << 4) | (1u << 6) | (1u << 7) | (1u << 8);
    t.boolean = 1u << 9;
    for (size_t i = 0; i < n; i++) {
        const sva_repeat *r = &v[i];
        char k[24], f[24], a[24], na[24], cycles[1024] = "";
        snprintf(k, sizeof k, "%zu", r->n_cycles);
        snprintf(f, sizeof f, "%ld", r->failed);
        snprintf(a, sizeof a, "%ld", r->answered);
        snprintf(na, sizeof na, "%ld", r->n_actions);
        size_t o = 0;
        for (size_t j = 0; j < r->n_cycles && o < sizeof cycles; j++)
            o += (size_t)snprintf(cycles + o, sizeof cycles - o, "%s%s", j ? " " : "",
                                  r->cycles[j]);
        const char *row[] = {r->store, r->region, r->checklist, r->item, k, cycles, f, a, na,
                             r->escalate ? (fmt == CLI_JSON ? "1" : "ESCALATE") : ""};
        table_row(&t, row);
    }
    if (fmt == CLI_TABLE) {
        printf("repeat failures ending with %s: %zu\n", cycle, n);
        if (n) {
            printf("\n");
            table_print(&t, fmt, stdout);
        }
    } else {
        table_print(&t, fmt, stdout);
    }
    table_free(&t);
    sva_repeats_free(v, n);
    sva_diag_clear(&d);
    sva_db_close(db);
    return fail_on && n ? EXIT_FOUND : EXIT_OKAY;
}

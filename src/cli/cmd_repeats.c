/* svcaudit CLI: `svcaudit repeats`: items failing at the same store in two or
 * more consecutive cycles, to escalate. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "The same checklist item failing at the same store in two or more consecutive\n"
    "cycles ending with ID (failing: at least one failed answer to the item at the\n"
    "store in the cycle). Each is marked for escalation, with the cycles, the failed\n"
    "answers in ID, and the actions on the item at the store in those cycles.\n"
    "--fail-on-repeats: exit 1 when there is any.\n";

static const char *cycle;
static int format = CLI_TABLE;
static bool fail_on;

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_db *db = c->db;
    cli_format fmt = (cli_format)format;
    sva_diag d;
    sva_diag_init(&d);
    sva_repeat *v = NULL;
    size_t n = 0;
    if (sva_trend_repeats(db, cycle, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
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
    return fail_on && n ? EXIT_FOUND : EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the last cycle of the run", CLI_OPT_REQUIRED),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_FLAG(0, "fail-on-repeats", &fail_on, "exit 1 when there is any"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit repeats --cycle ID [--format table|csv|json] [--fail-on-repeats]",
     .opts = opts, .run = run},
};

const cli_command cmd_repeats = {subs, 1, ABOUT};

/* svcaudit CLI: `svcaudit repeats`: items failing at the same store in two or
 * more consecutive cycles, to escalate. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "The same checklist item failing at the same store in two or more consecutive\n"
    "cycles ending with ID (failing: at least one failed answer to the item at the\n"
    "store in the cycle), with the cycles, the failed answers, and the actions on the\n"
    "item at the store in those cycles. Each is tested against the item's failure rate\n"
    "at the other stores (exact binomial test; false discovery rate 0.05 over every\n"
    "store and item answered in ID): ESCALATE when the evidence holds, else watch.\n"
    "Listed by priority: critical items, then the failure rate, then no action first.\n"
    "--all: the watch list too (default: escalations only).\n"
    "--fail-on-repeats: exit 1 when there is any escalation.\n";

static const char *cycle;
static int format = CLI_TABLE;
static bool fail_on, all;

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
    static const char *const hdr[] = {"store",    "region",     "checklist",    "item",
                                      "critical", "cycles_in_a_row", "cycles",   "failed",
                                      "answered", "run_failed", "run_answered", "run_rate",
                                      "ref_rate", "p",          "q",            "actions",
                                      "status",   "escalate"};
    cli_table t;
    table_init(&t, 18, hdr);
    t.numeric = (1u << 5) | (1u << 7) | (1u << 8) | (1u << 9) | (1u << 10) | (1u << 11) |
                (1u << 12) | (1u << 13) | (1u << 14) | (1u << 15);
    t.boolean = (1u << 4) | (1u << 17);
    size_t n_esc = 0;
    for (size_t i = 0; i < n; i++) {
        const sva_repeat *r = &v[i];
        n_esc += r->escalate;
        if (!r->escalate && !all)
            continue;
        char k[24], f[24], a[24], rf[24], ra[24], rr[32], ref[32], p[32], q[32], na[24],
            cycles[1024] = "";
        snprintf(k, sizeof k, "%zu", r->n_cycles);
        snprintf(f, sizeof f, "%ld", r->failed);
        snprintf(a, sizeof a, "%ld", r->answered);
        snprintf(rf, sizeof rf, "%ld", r->run_failed);
        snprintf(ra, sizeof ra, "%ld", r->run_answered);
        fmt_pct(rr, sizeof rr, r->run_answered > 0,
                100.0 * r->run_rate);
        fmt_pct(ref, sizeof ref, true, 100.0 * r->ref_rate);
        snprintf(p, sizeof p, "%.4g", r->p_value + 0.0);
        snprintf(q, sizeof q, "%.4g", r->q_value + 0.0);
        snprintf(na, sizeof na, "%ld", r->n_actions);
        size_t o = 0;
        for (size_t j = 0; j < r->n_cycles && o < sizeof cycles; j++)
            o += (size_t)snprintf(cycles + o, sizeof cycles - o, "%s%s", j ? " " : "",
                                  r->cycles[j]);
        const char *row[] = {r->store, r->region, r->checklist, r->item,
                             r->critical ? (fmt == CLI_JSON ? "1" : "yes") : "",
                             k, cycles, f, a, rf, ra, rr, ref, p, q, na,
                             r->escalate ? "ESCALATE" : "watch",
                             r->escalate ? (fmt == CLI_JSON ? "1" : "yes") : ""};
        table_row(&t, row);
    }
    if (fmt == CLI_TABLE) {
        printf("repeat failures ending with %s: %zu to escalate, %zu to watch%s\n", cycle,
               n_esc, n - n_esc, all || n == n_esc ? "" : " (--all lists them)");
        if (t.nrows > 1) {
            printf("\n");
            table_print(&t, fmt, stdout);
        }
        printf("\nmethod: %s\n", SVA_TREND_REPEATS_METHOD);
    } else {
        table_print(&t, fmt, stdout);
    }
    table_free(&t);
    sva_repeats_free(v, n);
    sva_diag_clear(&d);
    return fail_on && n_esc ? EXIT_FOUND : EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the last cycle of the run", CLI_OPT_REQUIRED),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_FLAG(0, "all", &all, "the watch list too (default: escalations only)"),
    OPT_FLAG(0, "fail-on-repeats", &fail_on, "exit 1 when there is any escalation"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit repeats --cycle ID [--all] [--format table|csv|json] "
                 "[--fail-on-repeats]",
     .opts = opts, .run = run},
};

const cli_command cmd_repeats = {subs, 1, ABOUT};

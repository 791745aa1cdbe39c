/* svcaudit CLI: `svcaudit trend`: a metric cycle over cycle with whether each
 * change is beyond noise, and `trend items`: the items that moved. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "trend: per cycle (the last N, default 6, ending with --cycle or the latest cycle\n"
    "  with audits) the metric's audits and stores, the figure (a store's mean audit %;\n"
    "  a region's or the network's mean of its store figures) and its sd, the change\n"
    "  from the cycle before and its verdict: improved, declined, no significant change\n"
    "  or insufficient n (Welch's t-test, alpha 0.05); the compliance rate (passed /\n"
    "  answered items) with p-chart limits and whether the cycle is out of control;\n"
    "  and over the whole window a slope: improving, declining, stable or insufficient\n"
    "  n. Default metric ssi, default scope the whole network.\n"
    "trend items: the items whose compliance moved significantly since the cycle before\n"
    "  (two-proportion z-test; false discovery rate 0.05 over the items tested), biggest\n"
    "  rise first, biggest fall last; --all lists every item with its verdict.\n";

static void fmt_num(char *buf, size_t size, const char *f, double v)
{
    snprintf(buf, size, f, v + 0.0); /* + 0.0: never -0.0 */
}

static int series(sva_db *db, const sva_trend_query *q, cli_format fmt)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_trend *t = NULL;
    sva_error e = sva_trend_series(db, q, &t, &d);
    if (e) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return e == SVA_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
    }
    static const char *const hdr[] = {"cycle", "from", "audits", "stores", "mean", "sd",
                                      "change", "se", "p", "verdict", "answered",
                                      "passed", "compliance", "lcl", "ucl", "control"};
    cli_table tb;
    table_init(&tb, 16, hdr);
    tb.numeric = (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
                 (1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14);
    tb.nullable = 1u << 9;
    for (size_t i = 0; i < t->n; i++) {
        const sva_trend_point *p = &t->points[i];
        const sva_pchart_point *c = &p->compliance;
        const sva_summary *f = &p->figure;
        char n[24], ns[24], mean[32], sd[32], chg[32], se[32], pv[32], ans[24], pas[24],
            comp[32], lcl[32], ucl[32];
        snprintf(n, sizeof n, "%ld", p->audits.n);
        snprintf(ns, sizeof ns, "%ld", p->stores);
        fmt_pct(mean, sizeof mean, f->n > 0, f->mean);
        fmt_pct(sd, sizeof sd, f->n > 1, f->sd);
        bool test = p->has_change && !p->change.insufficient;
        fmt_pct(chg, sizeof chg, p->has_change && f->n > 0 && t->points[i - 1].figure.n > 0,
                p->change.diff);
        fmt_pct(se, sizeof se, test, p->change.se);
        if (test)
            fmt_num(pv, sizeof pv, "%.4f", p->change.p_value);
        else
            pv[0] = '\0';
        snprintf(ans, sizeof ans, "%ld", c->n);
        snprintf(pas, sizeof pas, "%ld", c->passed);
        fmt_pct(comp, sizeof comp, c->n > 0, 100.0 * c->p);
        fmt_pct(lcl, sizeof lcl, c->n > 0, 100.0 * c->lcl);
        fmt_pct(ucl, sizeof ucl, c->n > 0, 100.0 * c->ucl);
        const char *control = c->insufficient ? sva_verdict_name(SVA_VERDICT_INSUFFICIENT_N)
                                              : sva_pchart_signal_name(c->signal);
        const char *row[] = {p->cycle, p->from, n,   ns,  mean, sd,  chg, se,  pv,
                             p->has_change ? sva_verdict_name(p->change.verdict) : "",
                             ans,      pas,     comp, lcl, ucl, control};
        table_row(&tb, row);
    }
    const char *scope = t->store ? "store" : t->region ? "region" : "network";
    const char *id = t->store ? t->store : t->region ? t->region : "";
    char centre[32];
    fmt_pct(centre, sizeof centre, t->pchart.total_n > 0, 100.0 * t->pchart.pbar);
    const sva_slope *w = &t->window;
    char slope[32], lo[32], hi[32], wp[32];
    fmt_num(slope, sizeof slope, "%.2f", w->slope);
    fmt_num(lo, sizeof lo, "%.2f", w->lo);
    fmt_num(hi, sizeof hi, "%.2f", w->hi);
    fmt_num(wp, sizeof wp, "%.4f", w->p_value);
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "metric", t->metric);
        json_kstring(&j, "scope", scope);
        json_kstring(&j, "id", id);
        json_knumber(&j, "compliance_centre", centre);
        json_kreal(&j, "alpha", SVA_STATS_ALPHA);
        json_kstring(&j, "method", SVA_TREND_METHOD);
        json_break(&j, "\n ");
        json_key(&j, "window");
        json_object(&j);
        json_kint(&j, "cycles", w->n_x);
        json_kint(&j, "values", w->n);
        json_knumber(&j, "slope", w->n >= 2 ? slope : "");
        json_knumber(&j, "ci_low", w->insufficient ? "" : lo);
        json_knumber(&j, "ci_high", w->insufficient ? "" : hi);
        json_knumber(&j, "p", w->insufficient ? "" : wp);
        json_kstring(&j, "verdict", sva_verdict_name(w->verdict));
        json_end(&j);
        json_break(&j, "\n ");
        json_key(&j, "cycles");
        table_json(&tb, &j);
        json_end(&j);
        json_finish(&j);
    } else if (fmt == CLI_CSV) {
        table_print(&tb, fmt, stdout);
    } else {
        printf("trend of %s, %s%s%s, last %zu %s; compliance centre line %s%%\n",
               t->metric, scope, *id ? " " : "", id, CLI_N(t->n, "cycle", "cycles"),
               *centre ? centre : "-");
        if (w->insufficient)
            printf("over the window: insufficient n (%ld %s with data, %ld %s)\n\n", w->n_x,
                   cli_plural(w->n_x, "cycle", "cycles"), w->n, cli_plural(w->n, "value", "values"));
        else
            printf("over the window: %s, slope %s points a cycle (95%% CI %s to %s), p %s\n\n",
                   sva_verdict_name(w->verdict), slope, lo, hi, wp);
        table_print(&tb, fmt, stdout);
        printf("\nmethod: %s\n", SVA_TREND_METHOD);
    }
    table_free(&tb);
    sva_trend_free(t);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static int items(sva_db *db, const char *cycle, const char *store, const char *region, bool all,
                 cli_format fmt)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_item_moves *m = NULL;
    if (sva_trend_items(db, cycle, store, region, &m, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"checklist", "section", "item",   "passed_before",
                                      "n_before",  "before",  "passed", "n",
                                      "after",     "change",  "p",      "q", "verdict"};
    cli_table tb;
    table_init(&tb, 13, hdr);
    tb.numeric = (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) |
                 (1u << 9) | (1u << 10) | (1u << 11);
    for (size_t i = 0; i < m->n; i++) {
        const sva_item_move *x = &m->items[i];
        bool move = x->test.verdict == SVA_VERDICT_IMPROVED ||
                    x->test.verdict == SVA_VERDICT_DECLINED;
        if (!move && !all)
            continue;
        char pb[24], nb[24], b[32], pa[24], na[24], a[32], c[32], p[32], q[32];
        snprintf(pb, sizeof pb, "%ld", x->passed_before);
        snprintf(nb, sizeof nb, "%ld", x->n_before);
        fmt_pct(b, sizeof b, x->n_before > 0, 100.0 * x->test.p1);
        snprintf(pa, sizeof pa, "%ld", x->passed_after);
        snprintf(na, sizeof na, "%ld", x->n_after);
        fmt_pct(a, sizeof a, x->n_after > 0, 100.0 * x->test.p2);
        fmt_pct(c, sizeof c, x->n_before > 0 && x->n_after > 0, 100.0 * x->test.diff);
        if (x->test.verdict != SVA_VERDICT_INSUFFICIENT_N) {
            fmt_num(p, sizeof p, "%.4f", x->test.p_value);
            fmt_num(q, sizeof q, "%.4f", x->q_value);
        } else {
            p[0] = q[0] = '\0';
        }
        const char *row[] = {x->checklist, x->section, x->item, pb, nb, b, pa, na, a, c, p, q,
                             sva_verdict_name(x->test.verdict)};
        table_row(&tb, row);
    }
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", m->cycle);
        json_kstring(&j, "previous", m->previous);
        json_kstring(&j, "store", store);
        json_kstring(&j, "region", region);
        json_kint(&j, "improved", (long long)m->n_improved);
        json_kint(&j, "declined", (long long)m->n_declined);
        json_kint(&j, "no_change", (long long)m->n_no_change);
        json_kint(&j, "insufficient_n", (long long)m->n_insufficient);
        json_kreal(&j, "fdr", SVA_STATS_FDR);
        json_kstring(&j, "method", SVA_TREND_ITEMS_METHOD);
        json_break(&j, "\n ");
        json_key(&j, "items");
        table_json(&tb, &j);
        json_end(&j);
        json_finish(&j);
    } else if (fmt == CLI_CSV) {
        table_print(&tb, fmt, stdout);
    } else {
        printf("items %s -> %s%s%s: %zu improved, %zu declined, %zu no significant change, "
               "%zu insufficient n\n\n",
               m->previous, m->cycle, store ? " at " : region ? " in " : "",
               store ? store : region ? region : "", m->n_improved,
               m->n_declined, m->n_no_change, m->n_insufficient);
        if (tb.nrows > 1)
            table_print(&tb, fmt, stdout);
        else
            printf("no item moved significantly\n");
        printf("\nmethod: %s\n", SVA_TREND_ITEMS_METHOD);
    }
    table_free(&tb);
    sva_item_moves_free(m);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

/* ---- the subcommands ---- */

static sva_trend_query q = {.metric = "ssi"};
static long n_cycles = 6;
static bool all;
static int format = CLI_TABLE;

static int check_scope(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (q.store && q.region)
        return cli_usage_error(c->name, "give --store or --region, not both");
    return EXIT_OKAY;
}

static int run_series(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    q.cycles = (int)n_cycles;
    return series(c->db, &q, (cli_format)format);
}

static int run_items(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return items(c->db, q.last_cycle, q.store, q.region, all, (cli_format)format);
}

#define OPT_SCOPE                                                                             \
    OPT_STRING(0, "store", &q.store, "S", "one store", 0),                                   \
        OPT_STRING(0, "region", &q.region, "R", "one region's stores", 0)

static const cli_opt series_opts[] = {
    OPT_STRING(0, "metric", &q.metric, "M", "ssi, csi, 6s or a checklist (default ssi)",
               CLI_OPT_NONEMPTY),
    OPT_SCOPE,
    OPT_INT("cycles", &n_cycles, "N", 1, 1000, "how many cycles (default 6)"),
    OPT_STRING(0, "cycle", &q.last_cycle, "ID", "the last cycle (default the latest)", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt items_opts[] = {
    OPT_STRING(0, "cycle", &q.last_cycle, "ID", "the cycle compared with the one before",
               CLI_OPT_REQUIRED),
    OPT_SCOPE,
    OPT_FLAG(0, "all", &all, "every item with its verdict, not only the moves"),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit trend [--metric ssi|csi|6s|CHECKLIST] [--store S | --region R]\n"
                 "                      [--cycles N] [--cycle ID] [--format table|csv|json]",
     .opts = series_opts, .check = check_scope, .run = run_series},
    {.name = "items",
     .synopsis = "svcaudit trend items --cycle ID [--store S | --region R] [--all]\n"
                 "                            [--format table|csv|json]",
     .opts = items_opts, .check = check_scope, .run = run_items},
};

const cli_command cmd_trend = {subs, sizeof subs / sizeof *subs, ABOUT};

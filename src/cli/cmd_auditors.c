/* svcaudit CLI: `svcaudit auditors`: each auditor's mean against the other
 * auditors' on the same checklists and stores: lenient, strict or consistent. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "Per auditor (in the cycle, or in all cycles): the cells they share with another\n"
    "auditor (the same checklist at the same store in the same cycle), their score\n"
    "before the critical-item policy there, and their mean difference from the level\n"
    "the other auditors give those cells (each corrected by their own effect, centred\n"
    "on the median auditor) with its 95% CI; a t-test over the cells, false discovery\n"
    "rate 0.05 over the auditors, flags an auditor lenient (higher) or strict (lower);\n"
    "otherwise consistent, or insufficient n (fewer than 2 cells).\n";

static const char *cycle;
static int format = CLI_TABLE;

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_db *db = c->db;
    cli_format fmt = (cli_format)format;
    sva_diag d;
    sva_diag_init(&d);
    sva_auditor_row *v = NULL;
    size_t n = 0;
    if (sva_trend_auditors(db, cycle, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"auditor",  "audits",      "cells",     "compared",
                                      "mean",     "sd",          "others_n",  "others_mean",
                                      "others_sd", "diff",       "ci_low",    "ci_high",
                                      "p",        "q",           "verdict",
                                      "appeals",  "upheld"};
    cli_table t;
    table_init(&t, 17, hdr);
    t.numeric = 0x3ffeu | 0x18000u; /* all but auditor and verdict */
    for (size_t i = 0; i < n; i++) {
        const sva_auditor_row *r = &v[i];
        char au[24], nc[24], cn[24], m[32], sd[32], on[24], om[32], osd[32], df[32], lo[32],
            hi[32], p[32], q[32], ap[24], up[24];
        bool test = r->cmp.verdict != SVA_VERDICT_INSUFFICIENT_N;
        snprintf(au, sizeof au, "%ld", r->audits);
        snprintf(nc, sizeof nc, "%ld", r->cells);
        snprintf(cn, sizeof cn, "%ld", r->own.n);
        fmt_pct(m, sizeof m, r->own.n > 0, r->own.mean);
        fmt_pct(sd, sizeof sd, r->own.n > 1, r->own.sd);
        snprintf(on, sizeof on, "%ld", r->others.n);
        snprintf(ap, sizeof ap, "%ld", r->appeals);
        snprintf(up, sizeof up, "%ld", r->upheld);
        fmt_pct(om, sizeof om, r->others.n > 0, r->others.mean);
        fmt_pct(osd, sizeof osd, r->others.n > 1, r->others.sd);
        fmt_pct(df, sizeof df, r->cells > 0, r->cmp.diff);
        fmt_pct(lo, sizeof lo, test, r->lo);
        fmt_pct(hi, sizeof hi, test, r->hi);
        if (test) {
            snprintf(p, sizeof p, "%.4f", r->cmp.test.p_value + 0.0);
            snprintf(q, sizeof q, "%.4f", r->q_value + 0.0);
        } else {
            p[0] = q[0] = '\0';
        }
        const char *row[] = {r->auditor, au, nc, cn, m, sd, on, om, osd, df, lo, hi, p, q,
                             sva_verdict_name(r->cmp.verdict), ap, up};
        table_row(&t, row);
    }
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", cycle);
        json_kreal(&j, "fdr", SVA_STATS_FDR);
        json_kstring(&j, "method", SVA_TREND_AUDITORS_METHOD);
        json_break(&j, "\n ");
        json_key(&j, "auditors");
        table_json(&t, &j);
        json_end(&j);
        json_finish(&j);
    } else if (fmt == CLI_CSV) {
        table_print(&t, fmt, stdout);
    } else {
        printf("auditors%s%s: %zu\n\n", cycle ? " in cycle " : ", all cycles",
               cycle ? cycle : "", n);
        table_print(&t, fmt, stdout);
        printf("\nmethod: %s\n", SVA_TREND_AUDITORS_METHOD);
    }
    table_free(&t);
    sva_auditor_rows_free(v, n);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "only audits of this cycle (default all cycles)", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit auditors [--cycle ID] [--format table|csv|json]", .opts = opts,
     .run = run},
};

const cli_command cmd_auditors = {subs, 1, ABOUT};

/* svcaudit CLI: `svcaudit auditors`: each auditor's mean against the other
 * auditors' on the same checklists and stores: lenient, strict or consistent. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "Per auditor: their audits (in the cycle, or in all cycles), and their mean audit %\n"
    "over the checklists and stores that other auditors audited too, against those\n"
    "other auditors' mean there; Welch's t-test (alpha 0.05) flags an auditor lenient\n"
    "(significantly higher) or strict (lower); otherwise consistent, or insufficient n.\n";

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
    static const char *const hdr[] = {"auditor", "audits", "compared", "mean", "sd",
                                      "others_n", "others_mean", "others_sd", "diff", "p",
                                      "verdict"};
    cli_table t;
    table_init(&t, 11, hdr);
    t.numeric = 0x3feu & ~(1u << 0);
    for (size_t i = 0; i < n; i++) {
        const sva_auditor_row *r = &v[i];
        char au[24], cn[24], m[32], sd[32], on[24], om[32], osd[32], df[32], p[32];
        snprintf(au, sizeof au, "%ld", r->audits);
        snprintf(cn, sizeof cn, "%ld", r->own.n);
        fmt_pct(m, sizeof m, r->own.n > 0, r->own.mean);
        fmt_pct(sd, sizeof sd, r->own.n > 1, r->own.sd);
        snprintf(on, sizeof on, "%ld", r->others.n);
        fmt_pct(om, sizeof om, r->others.n > 0, r->others.mean);
        fmt_pct(osd, sizeof osd, r->others.n > 1, r->others.sd);
        fmt_pct(df, sizeof df, r->own.n > 0 && r->others.n > 0, r->cmp.diff);
        if (r->cmp.verdict != SVA_VERDICT_INSUFFICIENT_N)
            snprintf(p, sizeof p, "%.4f", r->cmp.test.p_value + 0.0);
        else
            p[0] = '\0';
        const char *row[] = {r->auditor, au, cn, m, sd, on, om, osd, df, p,
                             sva_verdict_name(r->cmp.verdict)};
        table_row(&t, row);
    }
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", cycle);
        json_kreal(&j, "alpha", SVA_STATS_ALPHA);
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

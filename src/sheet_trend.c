/* svcaudit: the Trend sheet: every status row of the cycle across the trend
 * window, its change and test against the cycle before, its compliance on
 * the window's p-chart, and a chart per index. */
#include "sheet.h"
#include "svcaudit/i18n.h"

#include <stdio.h>
#include <string.h>

static void header(sheet_ctx *c, xl_sheet *ws, xl_col c0)
{
    const sva_report *m = c->r;
    const char *lang = m->o.lang;
    static const char *const lead[] = {"col.scope", "col.id", "col.name", "col.metric"};
    for (int k = 0; k < 4; k++)
        xl_str(ws, 0, (xl_col)k, sva_tr(lang, lead[k]), XS_HDR);
    for (size_t i = 0; i < m->n_window; i++)
        xl_str(ws, 0, (xl_col)(4 + i), m->window[i].id, XS_HDR);
    static const char *const qh[] = {"col.change", "col.verdict", "col.p",   "col.q",
                                     "col.window", "col.compliance", "col.lcl", "col.ucl",
                                     "col.control"};
    for (int k = 0; k < 9; k++)
        xl_str(ws, 0, (xl_col)(c0 + k), sva_tr(lang, qh[k]), XS_HDR);
    xl_width(ws, 0, 1, 10);
    xl_width(ws, 2, 2, 24);
    xl_width(ws, 3, c0, 10);
    xl_width(ws, c0 + 1, c0 + 1, 20);
    xl_width(ws, c0 + 2, c0 + 3, 8);
    xl_width(ws, c0 + 4, c0 + 4, 14);
    xl_width(ws, c0 + 5, c0 + 7, 10);
    xl_width(ws, c0 + 8, c0 + 8, 14);
}

static void row(sheet_ctx *c, xl_sheet *ws, xl_row r, xl_col c0, const sva_report_trend *t)
{
    const sva_status_row *s = t->row;
    const char *lang = c->r->o.lang;
    xl_str(ws, r, 0, sva_tr_name(lang, "scope", sva_scope_name(s->scope)), XS_TEXT);
    xl_str(ws, r, 1, s->id, XS_TEXT);
    xl_str(ws, r, 2, s->scope == SVA_SCOPE_NETWORK ? sva_tr(lang, "scope.network") : s->name,
           XS_TEXT);
    xl_str(ws, r, 3, s->metric, XS_TEXT);
    for (size_t k = 0; k < c->r->n_window; k++)
        if (t->series[k] && t->series[k]->has_actual)
            xl_num(ws, r, (xl_col)(4 + k), t->series[k]->actual, XS_PCT);
    if (t->has_change)
        xl_num(ws, r, c0, t->change, XS_DELTA);
    const sva_row_trend *x = &t->t;
    if (x->has && x->has_test) {
        xl_str(ws, r, c0 + 1, sva_tr_name(lang, "verdict", sva_verdict_name(x->change_verdict)),
               sheet_verdict_style(x->change_verdict));
        if (x->test.verdict != SVA_VERDICT_INSUFFICIENT_N) {
            xl_num(ws, r, c0 + 2, x->test.p_value, XS_P);
            xl_num(ws, r, c0 + 3, x->change_q, XS_P);
        }
    }
    if (x->has)
        xl_str(ws, r, c0 + 4, sva_tr_name(lang, "verdict", sva_verdict_name(x->window_verdict)),
               x->window_verdict == SVA_VERDICT_DECLINING    ? XS_HL_RED
               : x->window_verdict == SVA_VERDICT_IMPROVING  ? XS_HL_GREEN
               : x->window_verdict == SVA_VERDICT_INSUFFICIENT_N ? XS_ST_GREY
                                                                  : XS_TEXT);
    if (x->has && x->has_pchart) {
        const sva_pchart_point *p = &x->pchart;
        xl_num(ws, r, c0 + 5, t->compliance, XS_PCT);
        xl_num(ws, r, c0 + 6, t->lcl, XS_PCT);
        xl_num(ws, r, c0 + 7, t->ucl, XS_PCT);
        xl_str(ws, r, c0 + 8,
               p->insufficient ? sva_tr(lang, "value.insufficient")
                               : sva_tr_name(lang, "signal", sva_pchart_signal_name(p->signal)),
               p->insufficient                  ? XS_ST_GREY
               : p->signal == SVA_PCHART_BELOW ? XS_HL_RED
               : p->signal == SVA_PCHART_ABOVE ? XS_HL_GREEN
                                                : XS_TEXT);
    }
}

void sheet_trend(sheet_ctx *c)
{
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(c->r->o.lang, "sheet.trend"));
    if (!ws)
        return;
    const sva_report *m = c->r;
    size_t nc = m->n_window;
    xl_col c0 = (xl_col)(4 + nc);
    header(c, ws, c0);
    xl_row chart_row[SVA_N_INDEXES] = {0, 0, 0};
    xl_row r = 1;
    for (size_t i = 0; i < m->n_trend; i++, r++) {
        const sva_status_row *s = m->trend[i].row;
        /* the rows the charts draw: the network's (or the region's) per index */
        bool top = m->o.region ? s->scope == SVA_SCOPE_REGION : s->scope == SVA_SCOPE_NETWORK;
        for (int k = 0; top && k < SVA_N_INDEXES; k++)
            if (strcmp(s->metric, SVA_INDEXES[k]) == 0)
                chart_row[k] = r;
        row(c, ws, r, c0, &m->trend[i]);
    }
    xl_table(ws, 0, r - 1, (int)(4 + nc + 9));
    xl_freeze(ws, 1, 4);
    xl_chart ch = {.kind = XC_LINE, .sheet = xl_sheet_name(ws), .y_fixed = true, .y_min = 0,
                   .y_max = 1, .y_percent = true,
                   .at_col = (xl_col)(c0 + 10), .x_scale = 1.0, .y_scale = 0.9, .x_offset = 10,
                   .y_offset = 5};
    char title[96];
    for (int k = 0; k < SVA_N_INDEXES; k++) {
        if (!chart_row[k])
            continue;
        xl_series s = {.name = SVA_INDEX_NAMES[k], .cat_first = 0, .cat_last = 0, .cat_col = 4,
                       .cat_col_last = (xl_col)(4 + nc - 1), .val_first = chart_row[k],
                       .val_last = chart_row[k], .val_col = 4,
                       .val_col_last = (xl_col)(4 + nc - 1)};
        snprintf(title, sizeof title, sva_tr(m->o.lang, "chart.trend_one"), SVA_INDEX_NAMES[k],
                 m->o.region ? m->o.region : sva_tr(m->o.lang, "scope.network"));
        ch.title = title;
        ch.at_row = (xl_row)(1 + 16 * k);
        xl_chart_insert(ws, &ch, &s, 1);
    }
}

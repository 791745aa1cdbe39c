/* svcaudit: the Dashboard sheet. It leads: what needs doing first, then the
 * KPIs (network and regions) against targets, the Act step, the stores worst
 * gap first; two charts in the first screen of a laptop (the stores against
 * the SSI target, the indexes over the cycles), the others beside the store
 * table. Everything laid out from the report model; every label from the
 * catalogue in the report's language. */
#include "sheet.h"
#include "svcaudit/i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define W 15                 /* the store table's columns: A..O */
#define CHART_COL 9          /* the first screen's charts start at column J */
#define SIDE_COL 16          /* the other charts, beside the store table: column Q */

/* Where the Dashboard's tables ended up, for the charts. */
typedef struct layout {
    xl_row store_hdr;                 /* the store table's header row */
    xl_row chart_first, chart_last;   /* the chart data block's stores */
    xl_row radar_first, radar_last;   /* radar_first 0: no radar */
    xl_row trend_first, trend_last;
} layout;

static const char *tr(const sheet_ctx *c, const char *key)
{
    return sva_tr(c->r->o.lang, key);
}

static xl_row title(sheet_ctx *c, xl_sheet *ws)
{
    const sva_report *r = c->r;
    char buf[512], reg[128] = "";
    if (r->o.region)
        snprintf(reg, sizeof reg, tr(c, "dash.title_region"), r->o.region);
    char t[256];
    snprintf(t, sizeof t, tr(c, "dash.title"), r->status->cycle);
    snprintf(buf, sizeof buf, "%s%s", t, reg);
    xl_str(ws, 0, 0, buf, XS_TITLE);
    time_t now = time(NULL);
    char gen[32], state[64];
    strftime(gen, sizeof gen, "%Y-%m-%d %H:%M", localtime(&now));
    snprintf(state, sizeof state, "state.%s", sva_cycle_state_name(r->status->state));
    snprintf(buf, sizeof buf, tr(c, "dash.sub"), r->status->from, r->status->to,
             tr(c, state), gen);
    xl_str(ws, 1, 0, buf, XS_SUB);
    static const char *const privacy[] = {"dash.privacy.full", "dash.privacy.pseudonymous",
                                          "dash.privacy.none"};
    snprintf(buf, sizeof buf, "%s   %s", tr(c, privacy[r->o.employees]),
             tr(c, "dash.audit_based"));
    xl_str(ws, 2, 0, buf, XS_SUB);
    return 4;
}

static xl_row headline(sheet_ctx *c, xl_sheet *ws, xl_row r)
{
    xl_str(ws, r++, 0, tr(c, "dash.needs"), XS_BOLD);
    for (size_t i = 0; i < c->r->n_headline; i++, r++)
        xl_str(ws, r, 0, c->r->headline[i].text,
               c->r->headline[i].colour == SVA_COLOUR_GREY ? XS_ST_GREY
                                                           : xs_hl(c->r->headline[i].colour));
    return r + 1;
}

/* A figure and its colour: actual (coloured by its status), target, gap, change. */
static void figure(xl_sheet *ws, xl_row r, xl_col col, const sva_report_fig *f, bool target)
{
    const sva_status_row *x = f->row;
    if (!x)
        return;
    if (x->has_actual)
        xl_num(ws, r, col, x->actual, xs_pct(x->colour));
    if (!target)
        return;
    if (x->has_target)
        xl_num(ws, r, col + 1, x->target, XS_PCT);
    if (x->has_actual && x->has_target)
        xl_num(ws, r, col + 2, x->gap, XS_DELTA);
    if (f->has_change)
        xl_num(ws, r, col + 3, f->change, XS_DELTA);
}

/* The KPIs of the network (or region), then the regions. */
static xl_row kpis(sheet_ctx *c, xl_sheet *ws, xl_row r)
{
    const char *kh[] = {tr(c, "kpi.kpi"),    tr(c, "kpi.actual"), tr(c, "kpi.target"),
                        tr(c, "kpi.gap"),    tr(c, "kpi.status"), tr(c, "kpi.stores"),
                        tr(c, "kpi.prev")};
    xl_header(ws, r++, kh, NULL, 7);
    for (int m = 0; m < SVA_N_INDEXES; m++, r++) {
        const sva_report_fig *f = &c->r->kpi[m];
        const sva_status_row *k = f->row;
        xl_str(ws, r, 0, SVA_INDEX_NAMES[m], XS_BOLD);
        if (!k)
            continue;
        if (k->has_actual)
            xl_num(ws, r, 1, k->actual, xs_pct(k->colour));
        if (k->has_target)
            xl_num(ws, r, 2, k->target, XS_PCT);
        if (k->has_actual && k->has_target)
            xl_num(ws, r, 3, k->gap, XS_DELTA);
        char key[48];
        snprintf(key, sizeof key, "status.%s", sva_target_status_name(k->status));
        xl_str(ws, r, 4, tr(c, key), xs_status(k->colour));
        xl_num(ws, r, 5, (double)k->n, XS_NUM);
        if (f->has_change)
            xl_num(ws, r, 6, f->change, XS_DELTA);
    }
    if (!c->r->n_regions)
        return r + 1;
    r++;
    const char *rh[] = {tr(c, "col.region"), "SSI", "CSI", "6S", tr(c, "kpi.audits"),
                        tr(c, "kpi.audited")};
    xl_header(ws, r++, rh, NULL, 6);
    for (size_t i = 0; i < c->r->n_regions; i++, r++) {
        const sva_report_region *g = &c->r->regions[i];
        xl_str(ws, r, 0, g->region, XS_TEXT);
        for (int m = 0; m < SVA_N_INDEXES; m++)
            figure(ws, r, (xl_col)(1 + m), &g->fig[m], false);
        xl_num(ws, r, 4, (double)g->counts->n_audits, XS_NUM);
        char buf[64];
        snprintf(buf, sizeof buf, tr(c, "kpi.of"), g->counts->stores_audited,
                 g->counts->stores_total);
        xl_str(ws, r, 5, buf, XS_TEXT);
    }
    return r + 1;
}

/* One line of the Act block: a label (A, running into B), a count (C) in red
 * when it needs doing, a detail (D). */
static void act_line(xl_sheet *ws, xl_row r, const char *label, double v, bool bad,
                     xl_style st, const char *detail)
{
    xl_str(ws, r, 0, label, XS_TEXT);
    xl_num(ws, r, 2, v, st != XS_NUM ? st : bad ? XS_NUM_RED : XS_NUM);
    xl_str(ws, r, 3, detail, XS_TEXT);
}

/* The counts, then the Act step: missed targets, actions by age, rates. */
static xl_row act(sheet_ctx *c, xl_sheet *ws, xl_row r)
{
    const sva_scope_counts *n = c->r->counts;
    const sva_act *a = &c->r->act;
    char buf[64], lbl[128];
    xl_str(ws, r, 0, tr(c, "kpi.audits"), XS_BOLD);
    xl_num(ws, r, 2, n ? (double)n->n_audits : 0, XS_NUM);
    snprintf(lbl, sizeof lbl, tr(c, "kpi.audited_of"), n ? n->stores_audited : 0L,
             n ? n->stores_total : 0L);
    xl_str(ws, r, 3, lbl, XS_TEXT);
    r += 2;
    xl_str(ws, r++, 0, tr(c, "act.title"), XS_BOLD);
    act_line(ws, r++, tr(c, "act.missed"), (double)a->missed, false, XS_NUM, NULL);
    snprintf(lbl, sizeof lbl, "  %s", tr(c, "act.no_reason"));
    act_line(ws, r++, lbl, (double)a->no_reason, a->no_reason > 0, XS_NUM, NULL);
    snprintf(lbl, sizeof lbl, "  %s", tr(c, "act.no_action"));
    act_line(ws, r++, lbl, (double)a->no_action, a->no_action > 0, XS_NUM, NULL);
    act_line(ws, r++, tr(c, "act.open"), (double)a->open, false, XS_NUM, NULL);
    snprintf(lbl, sizeof lbl, "  %s", tr(c, "act.earlier"));
    act_line(ws, r++, lbl, (double)a->open_earlier, a->open_earlier > 0, XS_NUM, NULL);
    snprintf(lbl, sizeof lbl, "  %s", tr(c, "act.overdue"));
    act_line(ws, r++, lbl, (double)a->overdue, a->overdue > 0, XS_NUM, a->oldest_due);
    static const char *const ages[] = {"act.age1", "act.age2", "act.age3"};
    for (int k = 0; k < 3; k++) {
        snprintf(lbl, sizeof lbl, "    %s", tr(c, ages[k]));
        act_line(ws, r++, lbl, (double)a->overdue_age[k], a->overdue_age[k] > 0, XS_NUM,
                 NULL);
    }
    snprintf(buf, sizeof buf, tr(c, "kpi.of"), a->completed, a->actions);
    xl_str(ws, r, 0, tr(c, "act.completion"), XS_TEXT);
    if (a->actions)
        xl_num(ws, r, 2, 100.0 * (double)a->completed / (double)a->actions, XS_PCT);
    xl_str(ws, r++, 3, buf, XS_TEXT);
    snprintf(buf, sizeof buf, tr(c, "kpi.of"), a->on_time, a->due_completed);
    xl_str(ws, r, 0, tr(c, "act.on_time"), XS_TEXT);
    if (a->due_completed)
        xl_num(ws, r, 2, 100.0 * (double)a->on_time / (double)a->due_completed, XS_PCT);
    xl_str(ws, r++, 3, buf, XS_TEXT);
    return r + 1;
}

/* The plans' coverage, when the cycle has plans: the stores in scope, those
 * that missed most, then the missed list (ten of each at most). */
static xl_row planned(sheet_ctx *c, xl_sheet *ws, xl_row r)
{
    const sva_report_plans *p = &c->r->plans;
    if (!p->cov)
        return r;
    xl_str(ws, r++, 0, tr(c, "plan.title"), XS_BOLD);
    const char *h[] = {tr(c, "col.store"), tr(c, "col.region"), tr(c, "plan.done"),
                       tr(c, "plan.planned"), tr(c, "plan.late"), tr(c, "plan.due"),
                       tr(c, "plan.missed")};
    xl_header(ws, r++, h, NULL, 7);
    for (size_t i = 0; i <= p->n_stores && i <= 10; i++, r++) {
        const sva_cover_total *t = i ? p->stores[i - 1] : &p->total;
        xl_str(ws, r, 0, i ? t->store : tr(c, "plan.all"), i ? XS_TEXT : XS_BOLD);
        if (i)
            xl_str(ws, r, 1, t->region, XS_TEXT);
        xl_num(ws, r, 2, (double)t->done, XS_NUM);
        xl_num(ws, r, 3, (double)t->planned, XS_NUM);
        xl_num(ws, r, 4, (double)t->late, XS_NUM);
        xl_num(ws, r, 5, (double)t->due, XS_NUM);
        xl_num(ws, r, 6, (double)t->missed, t->missed ? XS_NUM_RED : XS_NUM);
    }
    if (!p->n_missed)
        return r + 1;
    r++;
    xl_str(ws, r++, 0, tr(c, "plan.missed_list"), XS_BOLD);
    const char *mh[] = {tr(c, "col.store"), tr(c, "col.employee"), tr(c, "col.checklist"),
                        tr(c, "plan.from"), tr(c, "plan.to"), tr(c, "plan.missed"),
                        tr(c, "plan.planned")};
    xl_header(ws, r++, mh, NULL, 7);
    for (size_t i = 0; i < p->n_missed && i < 10; i++, r++) {
        const sva_cover_miss *m = &p->missed[i];
        const sva_cover_unit *u = &p->cov->units[m->unit];
        xl_str(ws, r, 0, u->store, XS_TEXT);
        xl_str(ws, r, 1, p->missed_employee[i], XS_TEXT);
        xl_str(ws, r, 2, u->checklist, XS_TEXT);
        xl_date(ws, r, 3, m->from);
        xl_date(ws, r, 4, m->to);
        xl_num(ws, r, 5, (double)m->missed, XS_NUM_RED);
        xl_num(ws, r, 6, (double)m->planned, XS_NUM);
    }
    if (p->n_missed > 10) {
        char buf[128];
        snprintf(buf, sizeof buf, tr(c, "plan.more"), (long)(p->n_missed - 10));
        xl_str(ws, r++, 0, buf, XS_TEXT);
    }
    return r + 1;
}

static xl_row store_table(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    const char *th[W] = {tr(c, "col.region"), tr(c, "col.store"), tr(c, "col.name")};
    char names[SVA_N_INDEXES][3][64];
    for (int m = 0; m < SVA_N_INDEXES; m++) {
        static const char *const keys[] = {"tbl.target", "tbl.gap", "tbl.chg"};
        th[3 + 4 * m] = SVA_INDEX_NAMES[m];
        for (int k = 0; k < 3; k++) {
            snprintf(names[m][k], sizeof names[m][k], tr(c, keys[k]), SVA_INDEX_NAMES[m]);
            th[4 + 4 * m + k] = names[m][k];
        }
    }
    lay->store_hdr = r;
    xl_header(ws, r++, th, NULL, W);
    for (size_t i = 0; i < c->r->n_stores; i++, r++) {
        const sva_report_store *s = &c->r->stores[i];
        xl_str(ws, r, 0, s->store->region, XS_TEXT);
        /* the store's id links to its audits */
        if (s->audits_row) {
            char at[160];
            snprintf(at, sizeof at, "'%s'!A%ld", tr(c, "sheet.audits"), s->audits_row + 1);
            xl_link(ws, r, 1, at, true, s->store->id);
        } else {
            xl_str(ws, r, 1, s->store->id, XS_TEXT);
        }
        xl_str(ws, r, 2, s->store->name, XS_TEXT);
        for (int m = 0; m < SVA_N_INDEXES; m++)
            figure(ws, r, (xl_col)(3 + 4 * m), &s->fig[m], true);
    }
    return r + 1;
}

/* The data the by-store charts draw: every store, or the worst and best N. */
static xl_row chart_data(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    const char *h[1 + 2 * SVA_N_INDEXES] = {tr(c, "dash.chart_stores")};
    char names[SVA_N_INDEXES][64];
    for (int m = 0; m < SVA_N_INDEXES; m++) {
        h[1 + 2 * m] = SVA_INDEX_NAMES[m];
        snprintf(names[m], sizeof names[m], tr(c, "tbl.target"), SVA_INDEX_NAMES[m]);
        h[2 + 2 * m] = names[m];
    }
    xl_header(ws, r++, h, NULL, 1 + 2 * SVA_N_INDEXES);
    lay->chart_first = r;
    for (size_t i = 0; i < c->r->n_chart; i++, r++) {
        const sva_report_store *s = c->r->chart[i];
        xl_str(ws, r, 0, s->store->id, XS_TEXT);
        for (int m = 0; m < SVA_N_INDEXES; m++) {
            const sva_status_row *x = s->fig[m].row;
            if (x && x->has_actual)
                xl_num(ws, r, (xl_col)(1 + 2 * m), x->actual, XS_PCT);
            if (x && x->has_target)
                xl_num(ws, r, (xl_col)(2 + 2 * m), x->target, XS_PCT);
        }
    }
    lay->chart_last = r - 1;
    return r + 1;
}

/* 6S radar data: the network's (or region's) mean and the best and worst store. */
static xl_row radar(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    const sva_report *m = c->r;
    if (!m->six || !m->n_section_means)
        return r;
    char best[128], worst[128];
    snprintf(best, sizeof best, tr(c, "radar.best"), m->radar.best ? m->radar.best : "-");
    snprintf(worst, sizeof worst, tr(c, "radar.worst"), m->radar.worst ? m->radar.worst : "-");
    const char *rh[] = {tr(c, "radar.section"),
                        tr(c, m->o.region ? "col.region" : "radar.network"), best, worst};
    xl_header(ws, r++, rh, NULL, 4);
    lay->radar_first = r;
    for (size_t k = 0; k < m->radar.n; k++, r++) {
        const sva_radar_row *x = &m->radar.rows[k];
        xl_str(ws, r, 0, sva_i18n_get(&m->six->sections[k].title, m->o.lang), XS_TEXT);
        if (x->has_scope)
            xl_num(ws, r, 1, x->scope, XS_PCT);
        if (x->has_best)
            xl_num(ws, r, 2, x->best, XS_PCT);
        if (x->has_worst)
            xl_num(ws, r, 3, x->worst, XS_PCT);
    }
    lay->radar_last = r - 1;
    return r + 1;
}

/* Trend data: the network (or region) figure per cycle of the window. */
static xl_row trend(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    const sva_report *m = c->r;
    const char *trh[] = {tr(c, "col.cycle"), "SSI", "CSI", "6S"};
    xl_header(ws, r++, trh, NULL, 4);
    lay->trend_first = r;
    for (size_t i = 0; i < m->n_window; i++, r++) {
        xl_str(ws, r, 0, m->window[i].id, XS_TEXT);
        for (int k = 0; k < SVA_N_INDEXES; k++) {
            const sva_status_row *x =
                m->o.region
                    ? sva_status_find(m->statuses[i], SVA_SCOPE_REGION, m->o.region,
                                      SVA_INDEXES[k])
                    : sva_status_find(m->statuses[i], SVA_SCOPE_NETWORK, "", SVA_INDEXES[k]);
            if (x && x->has_actual)
                xl_num(ws, r, (xl_col)(1 + k), x->actual, XS_PCT);
        }
    }
    lay->trend_last = r - 1;
    return r;
}

/* An index against its target, store by store: the actual as markers, the
 * target as a dashed line. */
static void by_store(sheet_ctx *c, xl_sheet *ws, const layout *lay, int m, xl_row at_row,
                     xl_col at_col)
{
    char title[160];
    if (c->r->chart_cut)
        snprintf(title, sizeof title, tr(c, "chart.by_store_cut"), SVA_INDEX_NAMES[m],
                 c->r->o.chart_stores, c->r->o.chart_stores);
    else
        snprintf(title, sizeof title, tr(c, "chart.by_store"), SVA_INDEX_NAMES[m]);
    xl_col val = (xl_col)(1 + 2 * m);
    xl_series s[2] = {{.name = tr(c, "chart.actual"), .markers_only = true,
                       .cat_first = lay->chart_first, .cat_last = lay->chart_last,
                       .val_first = lay->chart_first, .val_last = lay->chart_last,
                       .val_col = val, .val_col_last = val}};
    s[1] = s[0];
    s[1].name = tr(c, "chart.target");
    s[1].markers_only = false;
    s[1].line_only = true;
    s[1].val_col = s[1].val_col_last = (xl_col)(val + 1);
    xl_chart ch = {.kind = XC_LINE, .title = title, .sheet = xl_sheet_name(ws),
                   .y_fixed = true, .y_min = 0, .y_max = 1, .y_percent = true,
                   .at_row = at_row, .at_col = at_col, .x_scale = 1.0, .y_scale = 0.8,
                   .x_offset = 8, .y_offset = 4};
    xl_chart_insert(ws, &ch, s, 2);
}

static void charts(sheet_ctx *c, xl_sheet *ws, const layout *lay)
{
    if (c->r->no_audits)
        return; /* the headline says so; empty charts would only puzzle */
    xl_chart ch = {.kind = XC_LINE, .sheet = xl_sheet_name(ws), .y_fixed = true, .y_min = 0,
                   .y_max = 1, .y_percent = true, .at_row = 3, .at_col = CHART_COL,
                   .x_scale = 1.0, .y_scale = 0.8, .x_offset = 8, .y_offset = 4};
    bool stores = lay->chart_last >= lay->chart_first && c->r->n_chart > 0;
    /* the first screen: SSI by store, and the indexes over the cycles */
    if (stores)
        by_store(c, ws, lay, 0, 3, CHART_COL);
    if (lay->trend_last >= lay->trend_first) {
        xl_series s[SVA_N_INDEXES];
        for (int m = 0; m < SVA_N_INDEXES; m++)
            s[m] = (xl_series){.name = SVA_INDEX_NAMES[m], .cat_first = lay->trend_first,
                               .cat_last = lay->trend_last, .val_first = lay->trend_first,
                               .val_last = lay->trend_last, .val_col = (xl_col)(1 + m),
                               .val_col_last = (xl_col)(1 + m)};
        ch.title = tr(c, "chart.trend");
        ch.at_row = 3 + 12;
        xl_chart_insert(ws, &ch, s, SVA_N_INDEXES);
    }
    /* beside the store table: CSI and 6S by store, the 6S radar */
    xl_row at = lay->store_hdr;
    for (int m = 1; stores && m < SVA_N_INDEXES; m++, at += 12)
        by_store(c, ws, lay, m, at, SIDE_COL);
    if (lay->radar_first && lay->radar_last >= lay->radar_first) {
        xl_series s[3];
        size_t n = 0;
        for (int k = 1; k <= 3; k++) {
            if ((k == 2 && !c->r->radar.best) || (k == 3 && !c->r->radar.worst))
                continue;
            s[n++] = (xl_series){.name_cell = true, .name_row = lay->radar_first - 1,
                                 .name_col = (xl_col)k, .cat_first = lay->radar_first,
                                 .cat_last = lay->radar_last, .val_first = lay->radar_first,
                                 .val_last = lay->radar_last, .val_col = (xl_col)k,
                                 .val_col_last = (xl_col)k};
        }
        ch.kind = XC_RADAR;
        ch.title = tr(c, "chart.radar");
        ch.y_fixed = false;
        ch.at_row = at;
        ch.at_col = SIDE_COL;
        xl_chart_insert(ws, &ch, s, n);
    }
}

void sheet_dashboard(sheet_ctx *c)
{
    xl_sheet *ws = xl_sheet_add(c->b, tr(c, "sheet.dashboard"));
    if (!ws)
        return;
    static const double widths[W] = {12, 12, 20, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    for (int k = 0; k < W; k++)
        xl_width(ws, (xl_col)k, (xl_col)k, widths[k]);
    layout lay = {0};
    xl_row r = title(c, ws);
    r = headline(c, ws, r);
    r = kpis(c, ws, r);
    r = act(c, ws, r);
    r = planned(c, ws, r);
    /* the store table starts below the first screen's charts */
    if (r < 3 + 24)
        r = 3 + 24;
    r = store_table(c, ws, r, &lay);
    r = chart_data(c, ws, r, &lay);
    r = radar(c, ws, r, &lay);
    trend(c, ws, r, &lay);
    charts(c, ws, &lay);
    xl_print_wide(ws, XL_NO_REPEAT, 1);
}

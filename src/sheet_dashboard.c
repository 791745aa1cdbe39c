/* svcaudit: the Dashboard sheet: the cycle's KPIs against targets, its
 * counts, the store table, the 6S radar and trend data, and the charts. */
#include "sheet.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Where the Dashboard's tables ended up, for the charts. */
typedef struct layout {
    xl_row first_store, last_store;
    xl_row radar_first, radar_last;   /* radar_first 0: no radar */
    xl_row trend_first, trend_last;
    xl_row end;                       /* the row after the last table */
} layout;

static xl_row title(sheet_ctx *c, xl_sheet *ws)
{
    const sva_report *r = c->r;
    char buf[256];
    snprintf(buf, sizeof buf, "Service audit - cycle %s%s%s", r->status->cycle,
             r->o.region ? " - region " : "", r->o.region ? r->o.region : "");
    xl_str(ws, 0, 0, buf, XS_TITLE);
    time_t now = time(NULL);
    char gen[32];
    strftime(gen, sizeof gen, "%Y-%m-%d %H:%M", localtime(&now));
    snprintf(buf, sizeof buf, "Period %s .. %s   State: %s   Generated: %s", r->status->from,
             r->status->to, sva_cycle_state_name(r->status->state), gen);
    xl_str(ws, 1, 0, buf, XS_SUB);
    return 3;
}

/* The KPIs of the network (or region), then the cycle's counts. */
static xl_row kpis(sheet_ctx *c, xl_sheet *ws, xl_row r)
{
    static const char *const kh[] = {"KPI",    "Actual", "Target", "Gap",
                                     "Status", "Stores", "vs prev."};
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
        xl_str(ws, r, 4, sva_target_status_name(k->status), xs_status(k->colour));
        xl_num(ws, r, 5, (double)k->n, XS_NUM);
        if (f->has_change)
            xl_num(ws, r, 6, f->change, XS_DELTA);
    }
    r++;
    const sva_scope_counts *n = c->r->counts;
    long audits = n ? n->n_audits : 0, audited = n ? n->stores_audited : 0;
    long total = n ? n->stores_total : 0, open = n ? n->actions_open : 0;
    long overdue = n ? n->actions_overdue : 0;
    char buf[64];
    xl_str(ws, r, 0, "Audits", XS_BOLD);
    xl_num(ws, r, 1, (double)audits, XS_NUM);
    xl_str(ws, r, 2, "Stores audited", XS_BOLD);
    snprintf(buf, sizeof buf, "%ld of %ld", audited, total);
    xl_str(ws, r, 3, buf, XS_TEXT);
    xl_str(ws, r, 4, "Open actions", XS_BOLD);
    xl_num(ws, r, 5, (double)open, XS_NUM);
    xl_str(ws, r, 6, "Overdue", XS_BOLD);
    xl_num(ws, r, 7, (double)overdue, overdue ? XS_ST_RED : XS_NUM);
    return r + 2;
}

static xl_row store_table(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    static const char *const th[] = {"Region",     "Store",      "Name",    "SSI",
                                     "SSI target", "SSI gap",    "SSI chg", "CSI",
                                     "CSI target", "CSI gap",    "CSI chg", "6S",
                                     "6S target",  "6S gap",     "6S chg"};
    xl_row hdr = r;
    xl_header(ws, r++, th, NULL, 15);
    lay->first_store = r;
    for (size_t i = 0; i < c->r->n_stores; i++, r++) {
        const sva_report_store *s = &c->r->stores[i];
        xl_str(ws, r, 0, s->store->region, XS_TEXT);
        xl_str(ws, r, 1, s->store->id, XS_TEXT);
        xl_str(ws, r, 2, s->store->name, XS_TEXT);
        for (int m = 0; m < SVA_N_INDEXES; m++) {
            const sva_status_row *x = s->fig[m].row;
            xl_col col = (xl_col)(3 + 4 * m);
            if (!x)
                continue;
            if (x->has_actual)
                xl_num(ws, r, col, x->actual, xs_pct(x->colour));
            if (x->has_target)
                xl_num(ws, r, col + 1, x->target, XS_PCT);
            if (x->has_actual && x->has_target)
                xl_num(ws, r, col + 2, x->gap, XS_DELTA);
            if (s->fig[m].has_change)
                xl_num(ws, r, col + 3, s->fig[m].change, XS_DELTA);
        }
    }
    lay->last_store = r > lay->first_store ? r - 1 : lay->first_store;
    xl_freeze(ws, hdr + 1, 3);
    xl_print(ws, hdr);
    return r + 1;
}

/* 6S radar data: the network's (or region's) mean and the best and worst store. */
static xl_row radar(sheet_ctx *c, xl_sheet *ws, xl_row r, layout *lay)
{
    const sva_report *m = c->r;
    if (!m->six || !m->n_section_means)
        return r;
    char best[128], worst[128];
    snprintf(best, sizeof best, "Best: %s", m->radar.best ? m->radar.best : "-");
    snprintf(worst, sizeof worst, "Worst: %s", m->radar.worst ? m->radar.worst : "-");
    const char *rh[] = {"6S section", m->o.region ? "Region" : "Network", best, worst};
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
    static const char *const trh[] = {"Cycle", "SSI", "CSI", "6S"};
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

/* The charts, to the right of the tables. */
static void charts(sheet_ctx *c, xl_sheet *ws, const layout *lay)
{
    xl_chart ch = {.sheet = "Dashboard", .at_col = 16, .x_scale = 1.3, .y_scale = 1.1,
                   .x_offset = 10, .y_offset = 5};
    char title[96];
    for (int m = 0; m < 2 && lay->last_store >= lay->first_store && lay->end > lay->first_store;
         m++) {
        xl_col col = (xl_col)(3 + 4 * m);
        xl_series s[2] = {{.name = "Actual", .cat_first = lay->first_store,
                           .cat_last = lay->last_store, .cat_col = 1, .cat_col_last = 1,
                           .val_first = lay->first_store, .val_last = lay->last_store,
                           .val_col = col, .val_col_last = col}};
        s[1] = s[0];
        s[1].name = "Target";
        s[1].val_col = s[1].val_col_last = (xl_col)(col + 1);
        snprintf(title, sizeof title, "%s actual vs target by store", SVA_INDEX_NAMES[m]);
        ch.kind = XC_COLUMN;
        ch.title = title;
        ch.y_fixed = true;
        ch.y_min = 0;
        ch.y_max = 100;
        xl_chart_insert(ws, &ch, s, 2);
        ch.at_row += 18;
    }
    ch.y_fixed = false;
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
        ch.title = "6S by section";
        xl_chart_insert(ws, &ch, s, n);
        ch.at_row += 18;
    }
    if (lay->trend_last >= lay->trend_first) {
        xl_series s[SVA_N_INDEXES];
        for (int m = 0; m < SVA_N_INDEXES; m++)
            s[m] = (xl_series){.name = SVA_INDEX_NAMES[m], .cat_first = lay->trend_first,
                               .cat_last = lay->trend_last, .val_first = lay->trend_first,
                               .val_last = lay->trend_last, .val_col = (xl_col)(1 + m),
                               .val_col_last = (xl_col)(1 + m)};
        ch.kind = XC_LINE;
        ch.title = "SSI, CSI and 6S over the last cycles";
        xl_chart_insert(ws, &ch, s, SVA_N_INDEXES);
    }
}

void sheet_dashboard(sheet_ctx *c)
{
    xl_sheet *ws = xl_sheet_add(c->b, "Dashboard");
    if (!ws)
        return;
    static const double widths[] = {10, 12, 26, 9, 9, 8, 9, 9, 9, 8, 9, 9, 9, 8, 9};
    for (int k = 0; k < 15; k++)
        xl_width(ws, (xl_col)k, (xl_col)k, widths[k]);
    layout lay = {0};
    xl_row r = title(c, ws);
    r = kpis(c, ws, r);
    r = store_table(c, ws, r, &lay);
    r = radar(c, ws, r, &lay);
    lay.end = trend(c, ws, r, &lay);
    charts(c, ws, &lay);
}

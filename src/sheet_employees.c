/* svcaudit: the Employees sheet: each employee rated over the last cycles
 * (their audits pooled and shrunk toward the store's mean, so one shop a
 * person a cycle still rates people), rank in the store and recognition,
 * under the report's privacy mode (applied by the model). */
#include "sheet.h"
#include "svcaudit/i18n.h"

#include <stdio.h>

#define NCOLS 11

void sheet_employees(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.employees"));
    if (!ws)
        return;
    if (c->r->o.employees == SVA_PRIVACY_NONE) {
        xl_str(ws, 0, 0, sva_tr(lang, "emp.none"), XS_TEXT);
        return;
    }
    static const char *const keys[NCOLS] = {
        "col.region",  "col.store",  "col.employee",  "col.role",      "col.audits",
        "col.in_cycle", "col.own_mean", "col.rating", "col.rank_store", "col.critical_fails",
        "col.recognition"};
    static const double wd[NCOLS] = {10, 10, 28, 16, 8, 9, 9, 9, 9, 9, 34};
    const char *h[NCOLS];
    for (int k = 0; k < NCOLS; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, NCOLS);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_employees; i++, r++) {
        const sva_report_employee *e = &c->r->employees[i];
        const sva_employee_rating *s = e->s;
        xl_str(ws, r, 0, s->region, XS_TEXT);
        xl_str(ws, r, 1, s->store, XS_TEXT);
        xl_str(ws, r, 2, e->label, XS_TEXT);
        xl_str(ws, r, 3, e->role, XS_TEXT);
        xl_num(ws, r, 4, (double)s->n, XS_NUM);
        xl_num(ws, r, 5, (double)s->n_last, XS_NUM);
        xl_num(ws, r, 6, s->mean, XS_PCT);
        if (s->rated) {
            xl_num(ws, r, 7, s->rating, xs_pct(e->colour));
            xl_num(ws, r, 8, (double)s->rank, XS_NUM);
        }
        xl_num(ws, r, 9, (double)s->failed, s->failed ? XS_NUM_RED : XS_NUM);
        xl_str(ws, r, 10, e->note,
               !s->rated ? XS_ST_GREY : s->best ? XS_HL_GREEN : XS_TEXT);
    }
    /* the table's filter first: rows are written in order (constant memory) */
    xl_table(ws, 0, r - 1, NCOLS);
    if (c->r->n_employees_hidden) {
        char buf[256];
        long n = (long)c->r->n_employees_hidden;
        snprintf(buf, sizeof buf, sva_tr(lang, n == 1 ? "emp.hidden.one" : "emp.hidden"), n,
                 c->r->o.min_group);
        xl_str(ws, r + 1, 0, buf, XS_SUB);
    }
}

/* svcaudit: the Employees sheet: each employee's mean, rank in the store and
 * recognition, under the report's privacy mode (applied by the model). */
#include "sheet.h"
#include "svcaudit/i18n.h"

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
    static const char *const keys[] = {"col.region", "col.store",     "col.employee",
                                       "col.role",   "col.audits",    "col.score",
                                       "col.rank_store", "col.critical_fails",
                                       "col.recognition"};
    static const double wd[] = {10, 10, 28, 16, 8, 9, 9, 9, 34};
    const char *h[9];
    for (int k = 0; k < 9; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, 9);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_employees; i++, r++) {
        const sva_report_employee *e = &c->r->employees[i];
        const sva_employee_score *s = e->s;
        xl_str(ws, r, 0, s->fact->region, XS_TEXT);
        xl_str(ws, r, 1, s->fact->store, XS_TEXT);
        xl_str(ws, r, 2, e->label, XS_TEXT);
        xl_str(ws, r, 3, e->role, XS_TEXT);
        xl_num(ws, r, 4, (double)s->fact->n, XS_NUM);
        xl_num(ws, r, 5, s->pct, xs_pct(s->colour));
        if (s->rated)
            xl_num(ws, r, 6, (double)s->rank, XS_NUM);
        xl_num(ws, r, 7, (double)s->fact->failed, s->fact->failed ? XS_NUM_RED : XS_NUM);
        xl_str(ws, r, 8, e->note,
               !s->rated ? XS_ST_GREY : s->best_in_store ? XS_HL_GREEN : XS_TEXT);
    }
    xl_table(ws, 0, r - 1, 9);
}

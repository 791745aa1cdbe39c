/* svcaudit: the Service standards sheet: item compliance, weakest first:
 * the standard's text, the stores where it failed, and its significant move
 * since the cycle before. */
#include "sheet.h"
#include "svcaudit/i18n.h"

xl_style sheet_verdict_style(sva_verdict v)
{
    switch (v) {
    case SVA_VERDICT_IMPROVED: return XS_HL_GREEN;
    case SVA_VERDICT_DECLINED: return XS_HL_RED;
    case SVA_VERDICT_INSUFFICIENT_N: return XS_ST_GREY;
    default: break;
    }
    return XS_TEXT;
}

void sheet_standards(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.standards"));
    if (!ws)
        return;
    static const char *const keys[] = {
        "col.rank",       "col.checklist",      "col.section",        "col.standard",
        "col.item_key",   "col.answered",       "col.passed",         "col.compliance",
        "col.stores",     "col.stores_failing", "col.failing_stores", "col.move"};
    static const double wd[] = {6, 20, 22, 60, 24, 9, 8, 11, 8, 9, 30, 12};
    const char *h[12];
    for (int k = 0; k < 12; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, 12);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_items; i++, r++) {
        const sva_report_item *it = &c->r->items[i];
        const sva_item_fact *f = it->c->fact;
        double h1 = xl_fit_height(*it->text ? it->text : f->item, wd[3]);
        double h2 = xl_fit_height(f->failing, wd[10]);
        xl_row_height(ws, r, h1 > h2 ? h1 : h2);
        xl_num(ws, r, 0, (double)(i + 1), XS_NUM);
        xl_str(ws, r, 1, f->checklist, XS_TEXT);
        xl_str(ws, r, 2, it->section, XS_TEXT);
        xl_str(ws, r, 3, *it->text ? it->text : f->item, XS_WRAP);
        xl_str(ws, r, 4, f->item, XS_TEXT);
        xl_num(ws, r, 5, (double)f->answered, XS_NUM);
        xl_num(ws, r, 6, (double)f->passed, XS_NUM);
        xl_num(ws, r, 7, it->c->pct, xs_pct(it->c->colour));
        xl_num(ws, r, 8, (double)f->stores, XS_NUM);
        xl_num(ws, r, 9, (double)f->stores_failing, f->stores_failing ? XS_NUM_RED : XS_NUM);
        xl_str(ws, r, 10, f->failing, XS_WRAP);
        if (it->moved)
            xl_str(ws, r, 11, sva_tr_name(lang, "verdict", sva_verdict_name(it->move)),
                   sheet_verdict_style(it->move));
    }
    xl_table(ws, 0, r - 1, 12);
}

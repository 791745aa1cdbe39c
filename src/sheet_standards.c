/* svcaudit: the Service standards sheet: item compliance, weakest first,
 * with the standard's text and its significant move since the cycle before. */
#include "sheet.h"

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
    xl_sheet *ws = xl_sheet_add(c->b, "Service standards");
    if (!ws)
        return;
    static const char *const h[] = {"Rank",     "Checklist", "Section",    "Item",
                                    "Standard", "Answered",  "Passed",     "Compliance",
                                    "Stores",   "Stores failing", "Move"};
    static const double wd[] = {6, 20, 22, 28, 60, 9, 8, 11, 8, 9, 12};
    xl_header(ws, 0, h, wd, 11);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_items; i++, r++) {
        const sva_report_item *it = &c->r->items[i];
        const sva_item_fact *f = it->c->fact;
        xl_num(ws, r, 0, (double)(i + 1), XS_NUM);
        xl_str(ws, r, 1, f->checklist, XS_TEXT);
        xl_str(ws, r, 2, it->section, XS_TEXT);
        xl_str(ws, r, 3, f->item, XS_TEXT);
        xl_str(ws, r, 4, it->text, XS_WRAP);
        xl_num(ws, r, 5, (double)f->answered, XS_NUM);
        xl_num(ws, r, 6, (double)f->passed, XS_NUM);
        xl_num(ws, r, 7, it->c->pct, xs_pct(it->c->colour));
        xl_num(ws, r, 8, (double)f->stores, XS_NUM);
        xl_num(ws, r, 9, (double)f->stores_failing, XS_NUM);
        if (it->moved)
            xl_str(ws, r, 10, sva_verdict_name(it->move), sheet_verdict_style(it->move));
    }
    xl_table(ws, 0, r - 1, 11);
}

/* svcaudit: the Repeats sheet: items failing at a store in consecutive
 * cycles up to this one, escalated. */
#include "sheet.h"
#include "svcaudit/i18n.h"
#include "util.h"

void sheet_repeats(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.repeats"));
    if (!ws)
        return;
    static const char *const keys[] = {"col.store",  "col.region", "col.checklist",
                                       "col.item",   "col.cycles", "col.in_a_row",
                                       "col.failed", "col.answered", "col.actions",
                                       "col.escalate"};
    static const double wd[] = {10, 10, 20, 28, 30, 8, 8, 9, 8, 10};
    const char *h[10];
    for (int k = 0; k < 10; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, 10);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_repeats; i++, r++) {
        const sva_repeat *x = c->r->repeats[i];
        sva_buf cyc = {0};
        for (size_t k = 0; k < x->n_cycles; k++)
            sva_buf_printf(&cyc, "%s%s", k ? ", " : "", x->cycles[k]);
        if (cyc.failed)
            xl_book_fail(c->b, SVA_ERR_NOMEM);
        xl_str(ws, r, 0, x->store, XS_TEXT);
        xl_str(ws, r, 1, x->region, XS_TEXT);
        xl_str(ws, r, 2, x->checklist, XS_TEXT);
        xl_str(ws, r, 3, x->item, XS_TEXT);
        xl_str(ws, r, 4, cyc.data, XS_TEXT);
        xl_num(ws, r, 5, (double)x->n_cycles, XS_NUM);
        xl_num(ws, r, 6, (double)x->failed, XS_NUM);
        xl_num(ws, r, 7, (double)x->answered, XS_NUM);
        xl_num(ws, r, 8, (double)x->n_actions, x->n_actions ? XS_NUM : XS_NUM_RED);
        xl_str(ws, r, 9, x->escalate ? sva_tr(lang, "value.escalate") : "", XS_HL_RED);
        sva_buf_free(&cyc);
    }
    xl_table(ws, 0, r - 1, 10);
}

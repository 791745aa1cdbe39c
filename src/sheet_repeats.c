/* svcaudit: the Repeats sheet: items failing at a store in consecutive
 * cycles up to this one, by priority (critical first, then the failure rate,
 * then no action first), each ESCALATE where the evidence holds and "watch"
 * where it does not (as `svcaudit repeats --all`). */
#include "sheet.h"
#include "svcaudit/i18n.h"
#include "util.h"

#define NCOLS 13

void sheet_repeats(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.repeats"));
    if (!ws)
        return;
    static const char *const keys[NCOLS] = {
        "col.store",    "col.region",   "col.checklist", "col.item",   "col.critical",
        "col.cycles",   "col.in_a_row", "col.failed",    "col.answered", "col.run_rate",
        "col.ref_rate", "col.q",        "col.actions"};
    static const double wd[NCOLS + 1] = {10, 10, 20, 28, 8, 30, 8, 8, 9, 10, 10, 8, 8, 12};
    const char *h[NCOLS + 1];
    for (int k = 0; k < NCOLS; k++)
        h[k] = sva_tr(lang, keys[k]);
    h[NCOLS] = sva_tr(lang, "col.escalate");
    xl_header(ws, 0, h, wd, NCOLS + 1);
    const char *esc = sva_tr(lang, "value.escalate"), *watch = sva_tr(lang, "value.watch");
    const char *yes = sva_tr(lang, "value.yes");
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
        xl_str(ws, r, 4, x->critical ? yes : "", x->critical ? XS_HL_RED : XS_TEXT);
        xl_str(ws, r, 5, cyc.data, XS_TEXT);
        xl_num(ws, r, 6, (double)x->n_cycles, XS_NUM);
        xl_num(ws, r, 7, (double)x->failed, XS_NUM);
        xl_num(ws, r, 8, (double)x->answered, XS_NUM);
        if (x->run_answered)
            xl_num(ws, r, 9, 100.0 * x->run_rate, XS_PCT);
        xl_num(ws, r, 10, 100.0 * x->ref_rate, XS_PCT);
        xl_num(ws, r, 11, x->q_value, XS_P);
        xl_num(ws, r, 12, (double)x->n_actions, x->n_actions ? XS_NUM : XS_NUM_RED);
        xl_str(ws, r, 13, x->escalate ? esc : watch, x->escalate ? XS_HL_RED : XS_HL_AMBER);
        sva_buf_free(&cyc);
    }
    xl_table(ws, 0, r - 1, NCOLS + 1);
}

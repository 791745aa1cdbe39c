/* svcaudit: the Auditors sheet: each auditor against the others on the same
 * checklists and stores, over every cycle. */
#include "sheet.h"
#include "svcaudit/i18n.h"

void sheet_auditors(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.auditors"));
    if (!ws)
        return;
    static const char *const keys[] = {"col.auditor",    "col.audits",    "col.compared",
                                       "col.mean",       "col.sd",        "col.others_mean",
                                       "col.others_sd",  "col.others_n",  "col.difference",
                                       "col.p",          "col.verdict",   "col.appeals",
                                       "col.upheld"};
    static const double wd[] = {20, 8, 9, 9, 8, 11, 9, 9, 10, 9, 16, 9, 9};
    const char *h[13];
    for (int k = 0; k < 13; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, 13);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_auditors; i++, r++) {
        const sva_auditor_row *x = &c->r->auditors[i];
        xl_str(ws, r, 0, x->auditor, XS_TEXT);
        xl_num(ws, r, 1, (double)x->audits, XS_NUM);
        xl_num(ws, r, 2, (double)x->own.n, XS_NUM);
        if (x->own.n) {
            xl_num(ws, r, 3, x->own.mean, XS_PCT);
            xl_num(ws, r, 4, x->own.sd, XS_DEC1);
        }
        if (x->others.n) {
            xl_num(ws, r, 5, x->others.mean, XS_PCT);
            xl_num(ws, r, 6, x->others.sd, XS_DEC1);
        }
        xl_num(ws, r, 7, (double)x->others.n, XS_NUM);
        if (x->own.n && x->others.n)
            xl_num(ws, r, 8, x->cmp.diff, XS_DELTA);
        if (x->cmp.verdict != SVA_VERDICT_INSUFFICIENT_N)
            xl_num(ws, r, 9, x->cmp.test.p_value, XS_P);
        xl_str(ws, r, 10, sva_tr_name(lang, "verdict", sva_verdict_name(x->cmp.verdict)),
               x->cmp.verdict == SVA_VERDICT_LENIENT || x->cmp.verdict == SVA_VERDICT_STRICT
                   ? XS_HL_AMBER
               : x->cmp.verdict == SVA_VERDICT_INSUFFICIENT_N ? XS_ST_GREY
                                                               : XS_TEXT);
        xl_num(ws, r, 11, (double)x->appeals, XS_NUM);
        xl_num(ws, r, 12, (double)x->upheld, XS_NUM);
    }
    xl_table(ws, 0, r - 1, 13);
}

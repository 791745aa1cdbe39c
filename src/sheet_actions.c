/* svcaudit: the Actions 5W1H sheet: the cycle's register, overdue
 * highlighted, carried-over marked, the form's fields as columns. */
#include "sheet.h"

#include <stdlib.h>

void sheet_actions(sheet_ctx *c)
{
    xl_sheet *ws = xl_sheet_add(c->b, "Actions 5W1H");
    if (!ws)
        return;
    const sva_report *m = c->r;
    size_t nf = m->n_action_columns;
    int ncols = (int)(10 + nf);
    const char **h = calloc((size_t)ncols, sizeof *h);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!h || !wd) {
        free(h);
        free(wd);
        xl_book_fail(c->b, SVA_ERR_NOMEM);
        return;
    }
    static const char *const base[] = {"Id",     "Store", "Region",  "Metric", "About",
                                       "Status", "Owner", "Due",     "Overdue", "Carried"};
    static const double bw[] = {6, 10, 10, 12, 30, 11, 16, 11, 9, 12};
    for (int k = 0; k < 10; k++) {
        h[k] = base[k];
        wd[k] = bw[k];
    }
    for (size_t k = 0; k < nf; k++) {
        h[10 + k] = m->action_columns[k];
        wd[10 + k] = 30;
    }
    xl_header(ws, 0, h, wd, ncols);
    free(h);
    free(wd);
    xl_row r = 1;
    for (size_t i = 0; i < m->n_actions; i++, r++) {
        const sva_report_action *x = &m->actions[i];
        const sva_action *a = x->a;
        xl_num(ws, r, 0, (double)a->id, XS_NUM);
        xl_str(ws, r, 1, a->store, XS_TEXT);
        xl_str(ws, r, 2, a->region, XS_TEXT);
        xl_str(ws, r, 3, a->metric, XS_TEXT);
        xl_str(ws, r, 4, x->about, XS_TEXT);
        xl_str(ws, r, 5, sva_action_status_name(a->status),
               a->status == SVA_ACTION_VERIFIED   ? XS_HL_GREEN
               : a->status == SVA_ACTION_REOPENED ? XS_HL_RED
                                                  : XS_TEXT);
        xl_str(ws, r, 6, x->owner, XS_TEXT);
        xl_str(ws, r, 7, a->due, a->overdue ? XS_HL_RED : XS_TEXT);
        xl_str(ws, r, 8, a->overdue ? "OVERDUE" : "", XS_HL_RED);
        xl_str(ws, r, 9, x->carried, XS_HL_AMBER);
        for (size_t k = 0; k < nf; k++)
            xl_str(ws, r, (xl_col)(10 + k), x->values[k], XS_WRAP);
    }
    xl_table(ws, 0, r - 1, ncols);
}

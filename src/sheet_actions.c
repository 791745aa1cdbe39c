/* svcaudit: the Actions 5W1H sheet: the cycle's register, overdue
 * highlighted, carried-over marked, the form's fields as typed columns (a
 * date as a date, a number as a number). */
#include "sheet.h"
#include "svcaudit/i18n.h"
#include "util.h"

#include <stdlib.h>

#define BASE 10

static void field(xl_sheet *ws, xl_row r, xl_col c, sva_field_type t, const char *v)
{
    double x;
    if (t == SVA_FIELD_DATE && v && sva_parse_date(v))
        xl_date(ws, r, c, v);
    else if (t == SVA_FIELD_NUMBER && v && sva_parse_double(v, &x))
        xl_num(ws, r, c, x, XS_GENERAL);
    else
        xl_str(ws, r, c, v, XS_WRAP);
}

void sheet_actions(sheet_ctx *c)
{
    const sva_report *m = c->r;
    const char *lang = m->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.actions"));
    if (!ws)
        return;
    size_t nf = m->n_action_columns;
    int ncols = (int)(BASE + nf);
    const char **h = calloc((size_t)ncols, sizeof *h);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!h || !wd) {
        free(h);
        free(wd);
        xl_book_fail(c->b, SVA_ERR_NOMEM);
        return;
    }
    static const char *const base[BASE] = {"col.id",     "col.store",  "col.region",
                                           "col.metric", "col.about",  "col.status",
                                           "col.owner",  "col.due",    "col.overdue",
                                           "col.carried"};
    static const double bw[BASE] = {6, 10, 10, 12, 30, 11, 16, 11, 9, 12};
    for (int k = 0; k < BASE; k++) {
        h[k] = sva_tr(lang, base[k]);
        wd[k] = bw[k];
    }
    for (size_t k = 0; k < nf; k++) {
        h[BASE + k] = m->action_columns[k];
        wd[BASE + k] = 30;
    }
    xl_header(ws, 0, h, wd, ncols);
    free(h);
    xl_row r = 1;
    for (size_t i = 0; i < m->n_actions; i++, r++) {
        const sva_report_action *x = &m->actions[i];
        const sva_action *a = x->a;
        double height = 15;
        for (size_t k = 0; k < nf; k++) {
            double fh = m->action_types[k] == SVA_FIELD_TEXT ||
                                m->action_types[k] == SVA_FIELD_ENUM
                            ? xl_fit_height(x->values[k], wd[BASE + k])
                            : 15;
            height = fh > height ? fh : height;
        }
        xl_row_height(ws, r, height);
        xl_num(ws, r, 0, (double)a->id, XS_NUM);
        xl_str(ws, r, 1, a->store, XS_TEXT);
        xl_str(ws, r, 2, a->region, XS_TEXT);
        xl_str(ws, r, 3, a->metric, XS_TEXT);
        xl_str(ws, r, 4, x->about, XS_TEXT);
        xl_str(ws, r, 5, sva_tr_name(lang, "action", sva_action_status_name(a->status)),
               a->status == SVA_ACTION_VERIFIED   ? XS_HL_GREEN
               : a->status == SVA_ACTION_REOPENED ? XS_HL_RED
                                                  : XS_TEXT);
        xl_str(ws, r, 6, x->owner, XS_TEXT);
        xl_date(ws, r, 7, a->due);
        xl_str(ws, r, 8, a->overdue ? sva_tr(lang, "value.overdue") : "", XS_HL_RED);
        xl_str(ws, r, 9, x->carried, XS_HL_AMBER);
        for (size_t k = 0; k < nf; k++)
            field(ws, r, (xl_col)(BASE + k), m->action_types[k], x->values[k]);
    }
    free(wd);
    xl_table(ws, 0, r - 1, ncols);
}

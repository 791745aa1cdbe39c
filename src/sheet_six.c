/* svcaudit: the 6S sheet: a heat map of each store's section means, with
 * its 6S figure coloured against its target, as on the Dashboard. */
#include "sheet.h"
#include "svcaudit/i18n.h"

#include <stdlib.h>

void sheet_six(sheet_ctx *c)
{
    const sva_report *m = c->r;
    const char *lang = m->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.six"));
    if (!ws)
        return;
    const sva_checklist *six = m->six;
    if (!six) {
        xl_str(ws, 0, 0, sva_tr(lang, "six.none"), XS_TEXT);
        return;
    }
    size_t ns = six->n_sections;
    int ncols = (int)(3 + ns + 2);
    const char **h = calloc((size_t)ncols, sizeof *h);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!h || !wd) {
        free(h);
        free(wd);
        xl_book_fail(c->b, SVA_ERR_NOMEM);
        return;
    }
    h[0] = sva_tr(lang, "col.region");
    h[1] = sva_tr(lang, "col.store");
    h[2] = sva_tr(lang, "col.name");
    wd[0] = 10;
    wd[1] = 10;
    wd[2] = 24;
    for (size_t k = 0; k < ns; k++) {
        h[3 + k] = sva_i18n_get(&six->sections[k].title, lang);
        wd[3 + k] = 14;
    }
    h[3 + ns] = "6S";
    h[4 + ns] = sva_tr(lang, "col.audits");
    wd[3 + ns] = 9;
    wd[4 + ns] = 8;
    xl_header(ws, 0, h, wd, ncols);
    free(h);
    free(wd);
    xl_row r = 1;
    for (size_t i = 0; i < m->n_heat; i++, r++) {
        const sva_report_heat *x = &m->heat[i];
        const sva_status_row *s = x->row;
        xl_str(ws, r, 0, s->region, XS_TEXT);
        xl_str(ws, r, 1, s->id, XS_TEXT);
        xl_str(ws, r, 2, s->name, XS_TEXT);
        for (size_t k = 0; k < ns; k++)
            if (x->sections[k])
                xl_num(ws, r, (xl_col)(3 + k), x->sections[k]->pct,
                       xs_pct(x->sections[k]->colour));
        if (s->has_actual) {
            xl_num(ws, r, (xl_col)(3 + ns), s->actual, xs_pct(x->colour));
            xl_num(ws, r, (xl_col)(4 + ns), (double)s->n, XS_NUM);
        }
    }
    xl_table(ws, 0, r - 1, ncols);
    xl_freeze(ws, 1, 3);
}

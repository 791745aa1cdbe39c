/* svcaudit: the Stores sheet: every status row of the cycle in scope, as
 * `cycle status` prints it, with reasons and actions. */
#include "sheet.h"
#include "svcaudit/i18n.h"

void sheet_stores(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.stores"));
    if (!ws)
        return;
    static const char *const keys[] = {"col.scope",  "col.id",     "col.name",   "col.region",
                                       "col.metric", "col.actual", "col.n",      "col.target",
                                       "col.from",   "col.gap",    "col.status", "col.survey",
                                       "col.respondents", "col.reason", "col.actions"};
    static const double wd[] = {9, 10, 24, 10, 20, 9, 6, 9, 9, 8, 10, 9, 11, 8, 8};
    const char *h[15];
    for (int k = 0; k < 15; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, 15);
    xl_row r = 1;
    for (size_t i = 0; i < c->r->n_rows; i++, r++) {
        const sva_status_row *s = c->r->rows[i];
        xl_str(ws, r, 0, sva_tr_name(lang, "scope", sva_scope_name(s->scope)), XS_TEXT);
        xl_str(ws, r, 1, s->id, XS_TEXT);
        xl_str(ws, r, 2, s->scope == SVA_SCOPE_NETWORK ? sva_tr(lang, "scope.network") : s->name,
               XS_TEXT);
        xl_str(ws, r, 3, s->region, XS_TEXT);
        xl_str(ws, r, 4, s->metric, XS_TEXT);
        if (s->has_actual)
            xl_num(ws, r, 5, s->actual, xs_pct(s->colour));
        xl_num(ws, r, 6, (double)s->n, XS_NUM);
        if (s->has_target) {
            xl_num(ws, r, 7, s->target, XS_PCT);
            xl_str(ws, r, 8, sva_tr_name(lang, "scope", sva_scope_name(s->target_from)), XS_TEXT);
        }
        if (s->has_actual && s->has_target)
            xl_num(ws, r, 9, s->gap, XS_DELTA);
        xl_str(ws, r, 10, sva_tr_name(lang, "status", sva_target_status_name(s->status)),
               xs_status(s->colour));
        if (s->has_survey) {
            xl_num(ws, r, 11, s->survey, XS_PCT);
            xl_num(ws, r, 12, (double)s->respondents, XS_NUM);
        }
        if (s->scope == SVA_SCOPE_STORE) {
            xl_str(ws, r, 13, s->has_reason ? sva_tr(lang, "value.yes") : "", XS_TEXT);
            xl_num(ws, r, 14, (double)s->n_actions, XS_NUM);
        }
    }
    xl_table(ws, 0, r - 1, 15);
}

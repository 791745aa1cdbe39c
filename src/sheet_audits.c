/* svcaudit: the Audits sheet: one row per audit of the cycle in scope,
 * streamed from the model (any number of audits, bounded memory). */
#include "sheet.h"
#include "svcaudit/i18n.h"

#define NCOLS 14

typedef struct audits_ctx {
    xl_book *b;
    xl_sheet *ws;
    xl_row r;
    const char *lang;
} audits_ctx;

static int audit_row(const sva_report_audit *x, void *user)
{
    audits_ctx *c = user;
    xl_sheet *ws = c->ws;
    const sva_audit *a = x->a;
    xl_row r = c->r++;
    xl_num(ws, r, 0, (double)a->id, XS_NUM);
    xl_date(ws, r, 1, a->date);
    xl_str(ws, r, 2, a->cycle, XS_TEXT);
    xl_str(ws, r, 3, a->region, XS_TEXT);
    xl_str(ws, r, 4, a->store, XS_TEXT);
    xl_str(ws, r, 5, x->store_name, XS_TEXT);
    xl_str(ws, r, 6, x->employee, XS_TEXT);
    xl_str(ws, r, 7, a->checklist, XS_TEXT);
    xl_num(ws, r, 8, (double)a->version, XS_NUM);
    xl_str(ws, r, 9, a->auditor, XS_TEXT);
    if (a->scorable) /* as `audit list` shows it */
        xl_num(ws, r, 10, a->pct, a->failed ? XS_PCT_RED : XS_PCT);
    xl_str(ws, r, 11, a->failed ? sva_tr(c->lang, "value.failed") : "", XS_HL_RED);
    xl_num(ws, r, 12, (double)a->n_items, XS_NUM);
    xl_num(ws, r, 13, (double)a->n_na, XS_NUM);
    return xl_book_error(c->b) ? 1 : 0;
}

void sheet_audits(sheet_ctx *c)
{
    const char *lang = c->r->o.lang;
    xl_sheet *ws = xl_sheet_add(c->b, sva_tr(lang, "sheet.audits"));
    if (!ws)
        return;
    static const char *const keys[NCOLS] = {
        "col.id",        "col.date",      "col.cycle",   "col.region",  "col.store",
        "col.store_name", "col.employee", "col.checklist", "col.version", "col.auditor",
        "col.score",     "col.failed",    "col.items",   "col.na"};
    static const double wd[NCOLS] = {7, 11, 9, 10, 10, 18, 26, 22, 8, 16, 9, 8, 7, 6};
    const char *h[NCOLS];
    for (int k = 0; k < NCOLS; k++)
        h[k] = sva_tr(lang, keys[k]);
    xl_header(ws, 0, h, wd, NCOLS);
    audits_ctx a = {c->b, ws, 1, lang};
    sva_error rc = sva_report_each_audit(c->r, c->db, audit_row, &a, c->d);
    if (rc && !xl_book_error(c->b))
        xl_book_fail(c->b, rc);
    xl_table(ws, 0, a.r - 1, NCOLS);
}

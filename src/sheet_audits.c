/* svcaudit: the Audits sheet: one row per audit of the cycle in scope,
 * streamed from the model (any number of audits, bounded memory). */
#include "sheet.h"
#include "util.h"

typedef struct audits_ctx {
    xl_book *b;
    xl_sheet *ws;
    xl_row r;
} audits_ctx;

static int audit_row(const sva_report_audit *x, void *user)
{
    audits_ctx *c = user;
    xl_sheet *ws = c->ws;
    const sva_audit *a = x->a;
    xl_row r = c->r++;
    xl_num(ws, r, 0, (double)a->id, XS_NUM);
    xl_str(ws, r, 1, a->date, XS_TEXT);
    xl_str(ws, r, 2, a->cycle, XS_TEXT);
    xl_str(ws, r, 3, a->region, XS_TEXT);
    xl_str(ws, r, 4, a->store, XS_TEXT);
    xl_str(ws, r, 5, x->employee, XS_TEXT);
    xl_str(ws, r, 6, a->checklist, XS_TEXT);
    xl_num(ws, r, 7, (double)a->version, XS_NUM);
    xl_str(ws, r, 8, a->auditor, XS_TEXT);
    if (a->scorable) /* as `audit list` shows it */
        xl_num(ws, r, 9, a->pct, a->failed ? XS_PCT_RED : XS_PCT);
    xl_str(ws, r, 10, a->failed ? "FAILED" : "", XS_HL_RED);
    xl_num(ws, r, 11, (double)a->n_items, XS_NUM);
    xl_num(ws, r, 12, (double)a->n_na, XS_NUM);
    return xl_book_error(c->b) ? 1 : 0;
}

void sheet_audits(sheet_ctx *c)
{
    xl_sheet *ws = xl_sheet_add(c->b, "Audits");
    if (!ws)
        return;
    static const char *const h[] = {"Id",        "Date",    "Cycle",   "Region", "Store",
                                    "Employee",  "Checklist", "Version", "Auditor", "Score",
                                    "Failed",    "Items",   "N/A"};
    static const double wd[] = {7, 11, 9, 10, 10, 26, 22, 8, 16, 9, 8, 7, 6};
    xl_header(ws, 0, h, wd, 13);
    audits_ctx a = {c->b, ws, 1};
    sva_error rc = sva_report_each_audit(c->r, c->db, audit_row, &a, c->d);
    if (rc && !xl_book_error(c->b))
        xl_book_fail(c->b, rc);
    xl_table(ws, 0, a.r - 1, 13);
}

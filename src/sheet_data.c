/* svcaudit: the Data sheet(s): one row per answered item of the cycle in
 * scope, in tidy long form for pivot tables (what was answered, where, by
 * whom, with the item's text and section), typed cells; as many sheets as
 * Excel's row limit needs. */
#include "sheet.h"
#include "svcaudit/i18n.h"

#include <stdio.h>

#define NCOLS 23

typedef struct data_ctx {
    sheet_ctx *c;
    xl_sheet *ws;
    xl_row row;
    int sheets;
    const char *yes, *no;
} data_ctx;

static const char *const KEYS[NCOLS] = {
    "col.audit",     "col.date",      "col.cycle",     "col.region",   "col.store",
    "col.store_name", "col.employee", "col.role",      "col.checklist", "col.version",
    "col.auditor",   "col.section",   "col.item_key",  "col.item_text", "col.critical",
    "col.answer",    "col.score",     "col.points",    "col.max",      "col.passed",
    "col.na",        "col.note",      "col.evidence"};
static const double WIDTHS[NCOLS] = {7,  11, 9,  10, 10, 18, 14, 14, 20, 8, 14, 20,
                                     22, 40, 8,  8,  8,  7,  6,  7,  5,  40, 24};

static void finish(data_ctx *d)
{
    if (d->ws) {
        xl_table(d->ws, 0, d->row - 1, NCOLS);
        xl_print_wide(d->ws, 0, 2); /* 23 columns: two pages across, readable */
    }
}

static bool next_sheet(data_ctx *d)
{
    finish(d);
    const char *lang = d->c->r->o.lang;
    char name[64];
    d->sheets++;
    if (d->sheets == 1)
        snprintf(name, sizeof name, "%s", sva_tr(lang, "sheet.data"));
    else
        snprintf(name, sizeof name, sva_tr(lang, "sheet.data_n"), d->sheets);
    if (!(d->ws = xl_sheet_add(d->c->b, name)))
        return false;
    const char *h[NCOLS];
    for (int k = 0; k < NCOLS; k++)
        h[k] = sva_tr(lang, KEYS[k]);
    xl_header(d->ws, 0, h, WIDTHS, NCOLS);
    d->row = 1;
    return true;
}

static int data_row(const sva_report_answer *x, void *user)
{
    data_ctx *d = user;
    if ((!d->ws || d->row >= XL_MAX_ROWS) && !next_sheet(d))
        return 1;
    const sva_answer_row *a = x->row;
    xl_sheet *ws = d->ws;
    xl_row r = d->row++;
    xl_num(ws, r, 0, (double)a->audit, XS_GENERAL);
    xl_date(ws, r, 1, a->date);
    xl_str(ws, r, 2, a->cycle, XS_GENERAL);
    xl_str(ws, r, 3, a->region, XS_GENERAL);
    xl_str(ws, r, 4, a->store, XS_GENERAL);
    xl_str(ws, r, 5, x->store_name, XS_GENERAL);
    xl_str(ws, r, 6, x->employee, XS_GENERAL);
    xl_str(ws, r, 7, x->role, XS_GENERAL);
    xl_str(ws, r, 8, a->checklist, XS_GENERAL);
    xl_num(ws, r, 9, (double)a->version, XS_GENERAL);
    xl_str(ws, r, 10, a->auditor, XS_GENERAL);
    xl_str(ws, r, 11, x->section_title, XS_GENERAL);
    xl_str(ws, r, 12, a->item, XS_GENERAL);
    xl_str(ws, r, 13, x->item_text, XS_GENERAL);
    xl_str(ws, r, 14, x->critical ? d->yes : d->no, XS_GENERAL);
    if (x->answer)
        xl_str(ws, r, 15, x->answer, XS_GENERAL);
    else
        xl_num(ws, r, 15, a->value, XS_GENERAL);
    if (x->has_score)
        xl_num(ws, r, 16, x->score, XS_PCT);
    xl_num(ws, r, 17, a->points, XS_GENERAL);
    xl_num(ws, r, 18, a->max, XS_GENERAL);
    if (a->passed >= 0)
        xl_num(ws, r, 19, a->passed, XS_GENERAL);
    xl_num(ws, r, 20, a->na ? 1 : 0, XS_GENERAL);
    xl_str(ws, r, 21, x->note, XS_GENERAL);
    if (x->evidence_file)
        xl_link(ws, r, 22, x->evidence_file, false, x->evidence);
    else
        xl_str(ws, r, 22, x->evidence, XS_GENERAL);
    return xl_book_error(d->c->b) ? 1 : 0;
}

void sheet_data(sheet_ctx *c)
{
    data_ctx dc = {c, NULL, 0, 0, sva_tr(c->r->o.lang, "value.yes"),
                   sva_tr(c->r->o.lang, "value.no")};
    sva_error e = sva_report_each_answer(c->r, c->db, data_row, &dc, c->d);
    if (e && !xl_book_error(c->b))
        xl_book_fail(c->b, e);
    if (!xl_book_error(c->b) && !dc.ws) /* no answers: still an (empty) Data sheet */
        next_sheet(&dc);
    finish(&dc);
}

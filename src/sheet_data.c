/* svcaudit: the Data sheet(s): one row per answered item of the cycle in
 * scope, for pivot tables; as many sheets as Excel's row limit needs. */
#include "sheet.h"

#include <stdio.h>

typedef struct data_ctx {
    xl_book *b;
    xl_sheet *ws;
    xl_row row;
    int sheets;
} data_ctx;

static const char *const DATA_H[] = {"Audit",  "Date",   "Cycle",   "Region", "Store",
                                     "Employee", "Checklist", "Version", "Auditor", "Section",
                                     "Item",   "Answer", "N/A",     "Points", "Max",
                                     "Passed", "Note",   "Evidence"};
static const double DATA_W[] = {7, 11, 9, 10, 10, 14, 20, 8, 14, 16, 26, 7, 5, 7, 6, 7, 40, 20};

static void finish(data_ctx *c)
{
    if (c->ws)
        xl_table(c->ws, 0, c->row - 1, 18);
}

static bool next_sheet(data_ctx *c)
{
    finish(c);
    char name[32];
    c->sheets++;
    if (c->sheets == 1)
        snprintf(name, sizeof name, "Data");
    else
        snprintf(name, sizeof name, "Data %d", c->sheets);
    if (!(c->ws = xl_sheet_add(c->b, name)))
        return false;
    xl_header(c->ws, 0, DATA_H, DATA_W, 18);
    c->row = 1;
    return true;
}

static int data_row(const sva_report_answer *x, void *user)
{
    data_ctx *c = user;
    if ((!c->ws || c->row >= XL_MAX_ROWS) && !next_sheet(c))
        return 1;
    const sva_answer_row *a = x->row;
    xl_sheet *ws = c->ws;
    xl_row r = c->row++;
    xl_num(ws, r, 0, (double)a->audit, XS_GENERAL);
    xl_str(ws, r, 1, a->date, XS_GENERAL);
    xl_str(ws, r, 2, a->cycle, XS_GENERAL);
    xl_str(ws, r, 3, a->region, XS_GENERAL);
    xl_str(ws, r, 4, a->store, XS_GENERAL);
    xl_str(ws, r, 5, x->employee, XS_GENERAL);
    xl_str(ws, r, 6, a->checklist, XS_GENERAL);
    xl_num(ws, r, 7, (double)a->version, XS_GENERAL);
    xl_str(ws, r, 8, a->auditor, XS_GENERAL);
    xl_str(ws, r, 9, a->section, XS_GENERAL);
    xl_str(ws, r, 10, a->item, XS_GENERAL);
    if (!a->na)
        xl_num(ws, r, 11, a->value, XS_GENERAL);
    xl_num(ws, r, 12, a->na ? 1 : 0, XS_GENERAL);
    xl_num(ws, r, 13, a->points, XS_GENERAL);
    xl_num(ws, r, 14, a->max, XS_GENERAL);
    if (a->passed >= 0)
        xl_num(ws, r, 15, a->passed, XS_GENERAL);
    xl_str(ws, r, 16, x->note, XS_GENERAL);
    xl_str(ws, r, 17, x->evidence, XS_GENERAL);
    return xl_book_error(c->b) ? 1 : 0;
}

void sheet_data(sheet_ctx *c)
{
    data_ctx dc = {c->b, NULL, 0, 0};
    sva_error e = sva_report_each_answer(c->r, c->db, data_row, &dc, c->d);
    if (e && !xl_book_error(c->b))
        xl_book_fail(c->b, e);
    if (!xl_book_error(c->b) && !dc.ws) /* no answers: still an (empty) Data sheet */
        next_sheet(&dc);
    finish(&dc);
}

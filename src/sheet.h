/* svcaudit: the workbook's sheets (internal): each lays out its part of the
 * report model through the cell layer (xlsx.h), one file per sheet, and
 * computes nothing. export.c runs them in the order of its table. */
#ifndef SVA_SHEET_H
#define SVA_SHEET_H

#include "svcaudit/db.h"
#include "svcaudit/report.h"
#include "xlsx.h"

/** What a sheet writes from. */
typedef struct sheet_ctx {
    xl_book *b;
    sva_report *r;        /**< the model (streams need it mutable) */
    sva_db *db;           /**< for the streamed sheets (Audits, Data) */
    sva_diag *d;
} sheet_ctx;

typedef void (*sheet_fn)(sheet_ctx *c);

void sheet_dashboard(sheet_ctx *c);
void sheet_stores(sheet_ctx *c);
void sheet_six(sheet_ctx *c);
void sheet_standards(sheet_ctx *c);
void sheet_employees(sheet_ctx *c);
void sheet_actions(sheet_ctx *c);
void sheet_trend(sheet_ctx *c);
void sheet_audits(sheet_ctx *c);
void sheet_repeats(sheet_ctx *c);
void sheet_auditors(sheet_ctx *c);
void sheet_data(sheet_ctx *c);

/** @brief Run the workbook's sheets, in order, over @p b (the Data sheets
 *  only with @p data). @return the book's first failure. */
sva_error sva_export_sheets(xl_book *b, sva_report *r, sva_db *db, bool data, sva_diag *d);

/** @brief The colour of a verdict on a QA sheet (improved green, declined red,
 *  insufficient n grey; else plain text). */
xl_style sheet_verdict_style(sva_verdict v);

#endif

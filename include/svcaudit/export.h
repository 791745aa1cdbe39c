/* svcaudit: the Excel workbook per PDCA cycle: one file a regional manager
 * reads without help. It lays out the report model (report.h), so the
 * workbook and `cycle status` / `audit list` always agree. */
#ifndef SVCAUDIT_EXPORT_H
#define SVCAUDIT_EXPORT_H

#include <stdbool.h>

#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/error.h"
#include "svcaudit/report.h"

typedef struct sva_export_opts {
    const char *cycle;
    const char *path;          /**< the .xlsx to write (replaced atomically) */
    const char *region;        /**< only this region (NULL = the whole network) */
    sva_privacy employees;
    const char *salt;          /**< pseudonym salt; NULL = the database's own */
    long min_audits;           /**< employees below this are "not rated" (default 2) */
    bool data;                 /**< add the Data sheet(s): one row per answered item */
    const char *lang;          /**< checklist texts in this language (NULL = English) */
    const char *today;         /**< for overdue actions (NULL = today) */
    int trend_cycles;          /**< cycles on the Trend sheet (default 6) */
    const sva_catalog *cat;    /**< checklist texts and the 5W1H form */
} sva_export_opts;

/**
 * @brief Write the cycle's workbook. It is written to a temporary file beside
 * @p o->path and renamed into place only when complete: on any failure the
 * previous file (if any) is untouched and nothing is left behind. Sheets are
 * written row by row in libxlsxwriter's constant_memory mode, so memory does
 * not grow with the number of answers.
 * @return SVA_OK, SVA_ERR_NOT_FOUND (cycle), SVA_ERR_IO, SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_export_workbook(sva_db *db, const sva_export_opts *o, sva_diag *d);

#endif

/* svcaudit: the one-page PDF reports: one audit, one employee, one store,
 * and a batch of audit reports into a folder. They lay out the models of
 * report.h (which apply privacy and compute every figure) with cairo and
 * pango, so every label and text is shaped in its language (Chinese too). */
#ifndef SVCAUDIT_PDF_H
#define SVCAUDIT_PDF_H

#include <stddef.h>

#include "svcaudit/error.h"
#include "svcaudit/report.h"

/**
 * @brief Write the report of one audit to @p path (A4, one page where it fits:
 * longer ones go on). The file is written beside @p path and renamed into place
 * when complete: on any failure @p path is as it was and nothing is left behind.
 * A picture that cannot be embedded is named instead.
 * @return SVA_OK; SVA_ERR_IO (message names @p path); SVA_ERR_NOMEM.
 */
sva_error sva_pdf_audit(const sva_audit_report *r, const char *path, sva_diag *d);

/** @brief The report of one employee, written like sva_pdf_audit. */
sva_error sva_pdf_employee(const sva_employee_report *r, const char *path, sva_diag *d);

/** @brief The report of one store in one cycle, written like sva_pdf_audit. */
sva_error sva_pdf_store(const sva_store_report *r, const char *path, sva_diag *d);

/**
 * @brief One report per audit of @p cycle (at @p store when not NULL; void
 * audits left out) into the existing folder @p dir, as "audit-ID.pdf", one
 * audit's model in memory at a time. Every file is written beside its name
 * first, and the files are renamed into place only when all are complete: a
 * failure while writing leaves none of them behind. (Should a rename itself
 * fail, the files renamed before it stay, each complete.)
 * @param written the number of files written (may be NULL).
 * @return SVA_OK; SVA_ERR_NOT_FOUND (unknown cycle or store); SVA_ERR_IO (no
 *         such folder, a file that cannot be written); SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_pdf_audits(sva_reports *ctx, const char *cycle, const char *store,
                         const char *dir, size_t *written, sva_diag *d);

#endif

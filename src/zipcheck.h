/* svcaudit: checking a finished .xlsx before it replaces the old one
 * (internal). libxlsxwriter does not notice a failed write to its temporary
 * part files (a full disk, a file-size limit), so a workbook can close "fine"
 * with a sheet cut short inside. */
#ifndef SVA_ZIPCHECK_H
#define SVA_ZIPCHECK_H

#include "svcaudit/error.h"

/**
 * @brief Read the zip at @p path and inflate every worksheet part (xl/worksheets/...xml):
 * each must inflate completely to its recorded size and end with
 * "</worksheet>". @return SVA_OK, or SVA_ERR_IO with a message naming @p label.
 */
sva_error sva_xlsx_check(const char *path, const char *label, sva_diag *d);

#endif

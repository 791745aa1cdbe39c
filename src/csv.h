/* svcaudit: a strict RFC 4180 CSV reader with line numbers (internal).
 * Used by the answer-sheet reader and the store/employee/survey importers. */
#ifndef SVA_CSV_H
#define SVA_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/error.h"

typedef struct sva_csv sva_csv;

/** Most fields one row may have. */
#define SVA_CSV_MAX_FIELDS 256

/**
 * @brief Start reading CSV text @p data (need not be NUL-terminated; a UTF-8
 * BOM is skipped; CRLF and LF both end a record; quoted fields may hold commas,
 * doubled quotes and line breaks). @p name is used in messages. The reader
 * keeps a pointer to @p data: keep it alive until sva_csv_free.
 * @return SVA_OK or SVA_ERR_NOMEM.
 */
sva_error sva_csv_open(const char *name, const char *data, size_t len, sva_csv **out);

/**
 * @brief Read the next record. @p fields receives @p n pointers to
 * NUL-terminated fields, owned by the reader and valid until the next call;
 * @p line the line the record starts on. A blank line is a record with
 * n == 1 and an empty field.
 * @return 1 a record, 0 end of input, -1 an error added to @p d as
 * "name:line: message" (invalid UTF-8, NUL byte, a byte order mark after the
 * start, unterminated quote, text after a closing quote, too many fields, out
 * of memory); reading stops there.
 */
int sva_csv_next(sva_csv *r, char ***fields, size_t *n, int *line, sva_diag *d);

/**
 * @brief Separate fields by @p sep instead of ',' (call before the first
 * sva_csv_next). @return false (nothing changed) unless @p sep is one of
 * ',' ';' '\t' '|'.
 */
bool sva_csv_set_sep(sva_csv *r, char sep);

void sva_csv_free(sva_csv *r);

#endif

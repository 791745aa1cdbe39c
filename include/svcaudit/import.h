/* svcaudit: files that bring data in: the store, employee and survey CSVs and
 * the targets file. Each is read and checked here, row by row with its line,
 * and handed to the store as rows in one transaction: all or nothing. */
#ifndef SVCAUDIT_IMPORT_H
#define SVCAUDIT_IMPORT_H

#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/pdca.h"

/**
 * How a CSV import reads its file. Zero-initialised (or a NULL pointer): ','
 * between fields, UTF-8 (a BOM at the start is skipped).
 */
typedef struct sva_import_opts {
    char sep;             /**< field separator: ',' (also when 0), ';', '\t' or '|' */
    const char *encoding; /**< NULL or "utf-8"; "gb18030" reads GB18030 (and its
                               subsets GBK and GB2312: Excel's "CSV" in a Chinese
                               locale) */
} sva_import_opts;

/**
 * @brief Fill @p o from command-line values (each NULL = leave as is):
 * @p sep is ",", ";", "|", "tab" or a tab character; @p encoding is "utf-8"
 * ("utf8") or "gb18030" ("gbk", "gb2312", "cp936"), any letter case.
 * @return SVA_OK, or SVA_ERR_USAGE with a message naming --sep or --encoding.
 */
sva_error sva_import_opts_set(sva_import_opts *o, const char *sep, const char *encoding,
                              sva_diag *d);

/**
 * @brief Import stores from CSV (columns by header name: id, name, region;
 * extra columns are an error) or employees (id, name, store, role). Header
 * names are matched in any letter case, surrounding spaces ignored. All or
 * nothing: any bad row is reported as file:line and nothing is imported. An
 * existing id is updated to the file's values (the file is the master list).
 * A file that is not UTF-8 but looks like GBK/GB18030, or whose header looks
 * separated by another character than the one expected, gets one message
 * saying so and how to fix it. Time and memory are linear in the file.
 * @param o  how to read the file; NULL for the default (',' and UTF-8)
 */
sva_error sva_import_stores_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                sva_import_stats *st, sva_diag *d);
sva_error sva_import_employees_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                   sva_import_stats *st, sva_diag *d);

/** @brief sva_import_stores_opt with the default options. */
sva_error sva_import_stores(sva_db *db, const char *path, sva_import_stats *st, sva_diag *d);
/** @brief sva_import_employees_opt with the default options. */
sva_error sva_import_employees(sva_db *db, const char *path, sva_import_stats *st,
                               sva_diag *d);

/**
 * @brief Import survey results from CSV (columns cycle, store, metric, value,
 * respondents, and optionally scale: value is on 0..scale, default 100, and is
 * stored on 0..100). Metric is ssi or csi. All or nothing, file:line errors.
 * A row for the same cycle, store and metric replaces the earlier one. The
 * file is read as sva_import_stores_opt reads it.
 */
sva_error sva_import_surveys_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                 sva_import_stats *st, sva_diag *d);
/** @brief sva_import_surveys_opt with the default options. */
sva_error sva_import_surveys(sva_db *db, const char *path, sva_import_stats *st, sva_diag *d);

/**
 * @brief Parse a targets file: any number of sections, each with `cycle`
 * (required), optionally `store` or `region`, and metric = value lines
 * (ssi, csi, 6s or a checklist id). Checks syntax, names and values only; every
 * problem goes to @p d as name:line. Caller frees *out with sva_targets_free.
 */
sva_error sva_targets_parse(const char *name, const char *data, size_t len,
                            const sva_catalog *cat, sva_target **out, size_t *n, sva_diag *d);

/** @brief Read, check and store a whole targets file: all or nothing. */
sva_error sva_import_targets(sva_db *db, const char *path, const sva_catalog *cat,
                             size_t *count, sva_diag *d);

/* The names these had when the store read the files itself. */
#define sva_db_store_import sva_import_stores
#define sva_db_employee_import sva_import_employees
#define sva_db_survey_import sva_import_surveys
#define sva_db_target_import sva_import_targets

#endif

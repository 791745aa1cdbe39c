/* svcaudit: the store's look-ups the one-page reports need (internal): one
 * store, one employee, and item facts of one store's or one employee's audits
 * in a cycle. SQL stays in db_report.c; the report model calls these. */
#ifndef SVA_DB_REPORT_H
#define SVA_DB_REPORT_H

#include <stddef.h>

#include "svcaudit/db.h"
#include "svcaudit/facts.h"

/** @brief Store @p id. SVA_ERR_NOT_FOUND (with a message) if none. Free with
 *  sva_stores_free(*out, 1). */
sva_error sva_db_store_get(sva_db *db, const char *id, sva_store **out, sva_diag *d);

/** @brief Employee @p id (at any store). SVA_ERR_NOT_FOUND (with a message) if
 *  none. Free with sva_employees_free(*out, 1). */
sva_error sva_db_employee_get(sva_db *db, const char *id, sva_employee **out, sva_diag *d);

/**
 * @brief How often each item was answered and passed (N/A left out) in @p cycle's
 * non-void audits at @p store, or of @p employee (one of the two, the other NULL),
 * as sva_db_item_facts counts them (stores = 1 when answered, stores_failing = 1
 * when failed at least once). Ordered by checklist, item. Free with
 * sva_item_facts_free.
 */
sva_error sva_db_report_item_facts(sva_db *db, const char *cycle, const char *store,
                                   const char *employee, sva_item_fact **out, size_t *n,
                                   sva_diag *d);

#endif

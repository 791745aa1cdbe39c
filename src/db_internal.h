/* svcaudit: what the store files (db*.c) share (internal). */
#ifndef SVA_DB_INTERNAL_H
#define SVA_DB_INTERNAL_H

#include "sql.h"

#include "svcaudit/db.h"

/* The statements kept prepared (db_cached). */
typedef enum db_slot {
    DB_INS_AUDIT,
    DB_INS_ANSWER,
    DB_INS_SECTION,
    DB_HAS_VERSION,
    DB_INS_VERSION,
    DB_HAS_FINGERPRINT,
    DB_SEL_CYCLE,
    DB_HAS_STORE,
    DB_SEL_EMPLOYEE,
    DB_UPD_CYCLE,
    DB_UPD_MARKS,
    DB_N_CACHED
} db_slot;

struct sva_db {
    sql_conn *c;
    char *path;
    bool created;
    bool batch;                 /* a batch transaction is open */
    sql_stmt *cache[DB_N_CACHED]; /* prepared once, for the hot paths (recording) */
};

/* Make db->cache[slot] ready to bind: prepared from @p sql the first time,
 * reset afterwards. Finalized when the database closes. */
sva_error db_cached(sva_db *db, db_slot slot, const char *sql, sva_diag *d);

sva_error db_fail(sva_db *db, sva_diag *d, const char *what);
sva_error db_prep(sva_db *db, const char *sql, sql_stmt **st, sva_diag *d);
sva_error db_exec(sva_db *db, const char *sql, sva_diag *d);
void db_bind_text(sql_stmt *st, int i, const char *s);
char *db_col_text(sql_stmt *st, int i);

/* Fill one element from the current row of a query; false when out of memory
 * (the element is then cleared by the caller's clear function). */
typedef bool (*db_fill_fn)(sql_stmt *q, void *elem);
/* Run @p q (prepared and bound) to its end, one element of @p size bytes per
 * row, zeroed and then filled by @p fill. @p q is finalized. On failure the
 * elements so far are released with @p clear (per element; may be NULL) and
 * @p what names the query in the message. The array is the caller's. */
sva_error db_collect(sva_db *db, sql_stmt *q, size_t size, db_fill_fn fill,
                     void (*clear)(void *elem), void **out, size_t *n, const char *what,
                     sva_diag *d);
sva_error db_begin(sva_db *db, sva_diag *d);
sva_error db_end(sva_db *db, bool commit, sva_diag *d);
void db_now(char buf[32]);
void db_today(char buf[16]);
int db_exists(sva_db *db, const char *sql, const char *arg, sva_diag *d);
sva_cycle_state db_cycle_state_parse(const char *s);
bool db_new_uuid(char out[37]);
/* Keep audit @p id's item marks (db_history.c): one character per item of
 * @p sc, in item order: 1 passed, 0 failed, - N/A. Inside the caller's
 * transaction, right after the audit and its answers are stored. */
sva_error db_item_marks_record(sva_db *db, long long id, const sva_score *sc, size_t n_items,
                               sva_diag *d);
/* The SQL expression of audit @p A's item marks made from its stored answers
 * (for a merge, or a correction that rewrites answers). */
#define DB_ITEM_MARKS_SQL(A)                                                                  \
    "coalesce((SELECT group_concat(m, '') FROM (SELECT CASE WHEN passed IS NULL THEN '-'"      \
    " WHEN passed THEN '1' ELSE '0' END AS m FROM main.answer WHERE audit_id = " A            \
    " ORDER BY item_no)), '')"

/* Copy action id into cycle next (status and fields kept), linked both ways,
 * with a history line on each (inside the caller's transaction). */
sva_error db_carry_action(sva_db *db, long long id, const char *next, sva_diag *d);

/* The close's check of the plans (db_plan.c): every unit of @p cycle's plans
 * with planned audits not done has a reason; each one without gets a line in
 * @p d. Returns how many lack one, -1 on a store error (inside the caller's
 * transaction). */
long db_plan_close_check(sva_db *db, const char *cycle, sva_diag *d);

#endif

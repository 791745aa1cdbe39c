/* svcaudit: what the store files (db*.c) share (internal). */
#ifndef SVA_DB_INTERNAL_H
#define SVA_DB_INTERNAL_H

#include "sql.h"
#include "util.h"

#include "svcaudit/db.h"
#include "svcaudit/sync.h"

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
    DB_INS_AUDIT_NEW, /* the audit's INSERT unless the same audit is stored */
    DB_INS_LOG,
    DB_INS_AUDIT_ID, /* in a batch: the audit's INSERT with its id (db_audit.c) */
    DB_INS_LOG_ID,   /* in a batch: the change log's INSERT with its id */
    DB_SEL_PRINTS,   /* in a batch: a cycle's audits' fingerprints */
    DB_N_CACHED
} db_slot;

struct sva_db {
    sql_conn *c;
    char *path;
    bool created;
    bool batch;                 /* a batch transaction is open */
    int reading;                /* sva_db_read_begin depth */
    unsigned long snapshot;     /* the open read snapshot's number (0: none) */
    unsigned long snapshots;    /* how many were begun */
    char *actor;                /* who makes the changes (sva_db_set_actor); NULL: unknown */
    sql_stmt *cache[DB_N_CACHED]; /* prepared once, for the hot paths (recording) */
    struct db_lookups *look;    /* a batch's look-ups for recording (db_audit.c) */
    bool broken;                /* a batch's write failed half-way: it can only roll back */
};

/* What the recordings of one batch (db_audit.c) look up again and again,
 * kept from the first time (found rows only: a name that is not there is
 * looked up again and reported as before). Valid inside the batch's
 * transaction alone, which holds the write lock, so no other writer changes
 * them meanwhile; emptied by any other write in it (db_begin), a rollback,
 * and the batch's end. */
#define LOOK_CYCLES 8
typedef struct look_cycle {
    char *id;
    bool closed, planned; /* planned: its state was 'plan' when read */
    bool prints;          /* its audits' fingerprints are in prints */
    char from[16], to[16];
} look_cycle;

/* What a store's or employee's look-up found, and the days it holds for:
 * from lo (NULL: ever) to before hi (NULL: for good), the days between two
 * of its dated events (DB_SPAN_SQL). */
typedef struct look_span {
    const char *lo, *hi;
    bool active;    /* a store: active then */
    const char *at; /* an employee: the store worked at then (NULL: none) */
} look_span;

typedef struct db_lookups {
    look_cycle cycles[LOOK_CYCLES];
    size_t n_cycles;
    sva_map stores;    /* store id -> 1 + its span in spans */
    sva_map employees; /* employee id -> 1 + its span in spans */
    struct look_span *spans;
    size_t n_spans, cap_spans;
    size_t misses;     /* look-ups of stores and employees asked one by one */
    bool all_read;     /* every store's and employee's span read at once */
    sva_map versions;  /* checklist hashes stored */
    sva_map prints;    /* fingerprint -> id of the audits (not void) of cycles read */
    long long next_audit, next_log; /* the next ids of audit and change_log; 0: not read */
    sva_pool strings;  /* the maps' keys and at's stores */
} db_lookups;

/* Empty them (db.c): when the batch begins and ends, when any other write
 * opens its savepoint in it (db_begin) and when one rolls back (db_end). */
void db_lookups_clear(sva_db *db);

/* The next id of @p table ("audit" or "change_log") in a batch, kept in
 * @p next (0: read the largest now): a batch's rows get their ids from the
 * program, so nothing of an audit waits for the store (sql_round). The batch
 * holds the write lock, so no other writer takes one meanwhile; ids are the
 * same as the store would give (the largest plus one). 0 on failure (in d). */
long long db_next_id(sva_db *db, const char *table, long long *next, sva_diag *d);

/* Make db->cache[slot] ready to bind: prepared from @p sql the first time,
 * reset afterwards. Finalized when the database closes. */
sva_error db_cached(sva_db *db, db_slot slot, const char *sql, sva_diag *d);

sva_error db_fail(sva_db *db, sva_diag *d, const char *what);
/* "out of memory" into @p d; SVA_ERR_NOMEM. */
sva_error db_nomem(sva_diag *d);
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
/* One line of the change log, inside the caller's write transaction: who
 * (the connection's actor), when, the cycle it concerns (may be NULL), what
 * kind of change ("record", "amend", "target set", ...), the object ("audit
 * 12", "store SH-001") and a detail (printf-style; may be ""). */
sva_error db_log(sva_db *db, const char *cycle, const char *what, const char *object,
                 sva_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
sva_error db_end(sva_db *db, bool commit, sva_diag *d);
void db_now(char buf[32]);
void db_today(char buf[16]);
int db_exists(sva_db *db, const char *sql, const char *arg, sva_diag *d);
sva_cycle_state db_cycle_state_parse(const char *s);
bool db_new_uuid(char out[37]);
/* Events of one subject on one date are ordered by the time they were made,
 * then by the database that made them (its UUID: origin '' is this one, so
 * the order is the same in every database), then by seq: never by a local
 * row id. DB_EVENT_ORDER(EV, DIR): that order, DIR "" or " DESC", for the
 * events of alias EV (every query on store_event and employee_event uses it). */
#define DB_EVENT_MAKER(EV)                                                                    \
    "CASE WHEN " EV ".origin = '' THEN (SELECT mk.value FROM meta mk WHERE mk.key = 'db_uuid')" \
    " ELSE " EV ".origin END"
#define DB_EVENT_ORDER(EV, DIR)                                                               \
    EV ".from_date" DIR ", " EV ".at" DIR ", " DB_EVENT_MAKER(EV) DIR ", " EV ".seq" DIR
/* The next seq of an event made here of subject ?1 (column SUBJ of TABLE),
 * from date ?2, at ?3: which of this database's events of that second it is. */
#define DB_EVENT_SEQ(TABLE, SUBJ)                                                             \
    "(SELECT count(*) FROM " TABLE " sq WHERE sq." SUBJ " = ?1 AND sq.from_date = ?2"         \
    " AND sq.at = ?3 AND sq.origin = '')"
/* Stores and employees over time (store_event, employee_event). The SQL
 * expression: is store S (an expression) active on day D (a date expression)?
 * Its latest event on or before D says; with none, it was active before its
 * first event unless that first event is its opening (no event: always). A
 * boolean (the shared dialect, sql.h: active is an integer flag). */
#define DB_STORE_ACTIVE_SQL(S, D)                                                             \
    "coalesce((SELECT ev.active = 1 FROM store_event ev WHERE ev.store_id = " S               \
    " AND ev.from_date <= " D " ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1),"     \
    " (SELECT ev.active != 1 FROM store_event ev WHERE ev.store_id = " S                      \
    " ORDER BY " DB_EVENT_ORDER("ev", "") " LIMIT 1), TRUE)"
/* ... and the store employee E (a table alias) works at on day D: its latest
 * event's store (NULL: nowhere, deactivated), else the employee row's. */
#define DB_EMPLOYEE_STORE_SQL(E, D)                                                           \
    "CASE WHEN EXISTS (SELECT 1 FROM employee_event ev WHERE ev.employee_id = " E ".id)"      \
    " THEN (SELECT ev.store_id FROM employee_event ev WHERE ev.employee_id = " E ".id"        \
    "  AND ev.from_date <= " D " ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1)"     \
    " ELSE " E ".store_id END"
/* The days around day D on which the answer of DB_STORE_ACTIVE_SQL or
 * DB_EMPLOYEE_STORE_SQL for the store or employee S (an expression) is the
 * same as on D, as two columns: the latest day of one of its events (table
 * T, its column C) on or before D and the first one after D (NULL: none).
 * Both rules read only the events up to the day, so between two event days
 * they give one answer: a batch asks once per store, not per day. */
#define DB_SPAN_SQL(T, C, S, D)                                                               \
    "(SELECT max(ev.from_date) FROM " T " ev WHERE ev." C " = " S " AND ev.from_date <= " D \
    "), (SELECT min(ev.from_date) FROM " T " ev WHERE ev." C " = " S                         \
    " AND ev.from_date > " D ")"
/* Is store S (an expression) active on some day of the cycle whose date_from
 * and date_to are F and T? */
#define DB_STORE_IN_CYCLE_SQL(S, F, T)                                                        \
    "(" DB_STORE_ACTIVE_SQL(S, F) " OR EXISTS (SELECT 1 FROM store_event ev"                  \
    "  WHERE ev.store_id = " S " AND ev.active = 1 AND ev.from_date > " F                     \
    "  AND ev.from_date <= " T "))"

/* The employee row's store (@p id, or every employee's when NULL) worked out
 * again from the events made here: the last store worked at, by
 * DB_EVENT_ORDER (an employee without events keeps the row's). */
sva_error db_employee_store_from_events(sva_db *db, const char *id, sva_diag *d);

/* The last day of the closed cycle that ends last into @p end, its id into
 * @p cycle ("" both when no cycle is closed). A date for the organisation
 * must come after it. */
sva_error db_closed_end(sva_db *db, char end[16], char cycle[48], sva_diag *d);
/* Refuse (SVA_ERR_STATE, naming @p flag) a day @p from on or before the end
 * of a closed cycle: the organisation a closed cycle shows does not change. */
sva_error db_after_closed(sva_db *db, const char *from, const char *flag, sva_diag *d);

/* "unknown store 'X' (did you mean 'Y'?)" at @p file : @p line, @p flag
 * (may be NULL) before it: the one message of a name that is not there. */
void db_unknown(sva_db *db, sva_ref_kind kind, const char *id, const char *flag,
                const char *file, int line, sva_diag *d);
/* Just the hint of it: "(did you mean 'Y'?)" or "(see 'svcaudit store list')". */
void db_ref_hint(sva_db *db, sva_ref_kind kind, const char *id, char *out, size_t size);

/* Closed means closed: SVA_OK when @p cycle exists and is not closed; else
 * SVA_ERR_STATE ("cycle 'X' is closed: WHAT is refused (reopen it with ...)")
 * or SVA_ERR_NOT_FOUND, with the message at @p file : @p line (may be NULL/0);
 * SVA_ERR_DB. */
sva_error db_cycle_writable(sva_db *db, const char *cycle, const char *what, const char *file,
                            int line, sva_diag *d);
/* A history line of action @p id (inside the caller's transaction); @p actor
 * NULL: the connection's actor. */
sva_error db_action_history(sva_db *db, long long id, const char *actor, const char *change,
                            sva_diag *d);
/* Carry action @p id into cycle @p next: the same action moves on, its
 * status and due date as they stood kept with the carry; a due date before
 * @p today becomes @p due_past. Inside the caller's transaction. */
sva_error db_carry_action(sva_db *db, long long id, const char *next, const char *today,
                          const char *due_past, sva_diag *d);
/* Keep audit @p id's item marks (db_history.c): one character per item of
 * @p sc, in item order: 1 passed, 0 failed, - N/A. Inside the caller's
 * transaction, right after the audit and its answers are stored. */
sva_error db_item_marks_record(sva_db *db, long long id, const sva_score *sc, size_t n_items,
                               sva_diag *d);
/* The item marks text of @p sc (as above), in @p small when it fits (@p size
 * bytes), else malloc'd; NULL when out of memory. Free with db_item_marks_free. */
/* Bind an audit's score to the nine parameters from @p at on: scorable, pct
 * and raw_pct (NULL when not scorable), failed, critical failures, items,
 * N/A, points, max points: the order of the audit table and its revisions. */
void db_bind_score(sql_stmt *q, int at, const sva_score *sc);
/* The checklist text stored in column @p col of @p q, parsed; named in
 * messages as "ID (version V, stored)". */
sva_error db_parse_stored(sql_stmt *q, int col, const char *id, long long version,
                          sva_checklist **out, sva_diag *d);
char *db_item_marks(const sva_score *sc, size_t n_items, char *small, size_t size);
void db_item_marks_free(char *m, const char *small);
/* The SQL expression of audit @p A's item marks made from its stored answers
 * (for a merge, or a correction that rewrites answers). */
#define DB_ITEM_MARKS_SQL(A)                                                                  \
    "coalesce((SELECT group_concat(m, '') FROM (SELECT CASE WHEN passed IS NULL THEN '-'"      \
    " WHEN passed THEN '1' ELSE '0' END AS m FROM main.answer WHERE audit_id = " A            \
    " ORDER BY item_no)), '')"

/* What makes two recordings the same audit (db_audit.c): the SHA-256 of its
 * checklist version, cycle, store, employee, auditor, date and answers.
 * false when out of memory. */
bool db_audit_fingerprint(const sva_audit_ready *a, char out[65]);

/* The close's check of the plans (db_plan.c): every unit of @p cycle's plans
 * with planned audits not done has a reason; each one without gets a line in
 * @p d. Returns how many lack one, -1 on a store error (inside the caller's
 * transaction). */
long db_plan_close_check(sva_db *db, const char *cycle, sva_diag *d);

#endif

/* svcaudit: the store: one SQLite file with regions, stores, employees,
 * cycles, checklist versions, audits and their answers. The only module that
 * talks to SQLite. Writes use BEGIN IMMEDIATE, WAL and synchronous=FULL. */
#ifndef SVCAUDIT_DB_H
#define SVCAUDIT_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/audit.h"
#include "svcaudit/checklist.h"
#include "svcaudit/error.h"
#include "svcaudit/score.h"

typedef struct sva_db sva_db;

/** The schema version this build writes (PRAGMA user_version). */
#define SVA_SCHEMA_VERSION 4

typedef enum sva_open_mode {
    SVA_DB_EXISTING, /**< the file must exist and be an svcaudit database */
    SVA_DB_CREATE    /**< create it if missing (svcaudit init) */
} sva_open_mode;

/**
 * @brief Open (and migrate forward) the database at @p path.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (no such file, mode EXISTING);
 * SVA_ERR_DB (not SQLite, not an svcaudit database, newer schema, I/O).
 * Caller closes with sva_db_close.
 */
sva_error sva_db_open(const char *path, sva_open_mode mode, sva_db **out, sva_diag *d);
void sva_db_close(sva_db *db);

/** @brief Was the file created by this open call? */
bool sva_db_created(const sva_db *db);

/**
 * @brief Group many writes in one transaction (imports, merge, bench): while a
 * batch is open, each write uses a savepoint instead of its own transaction.
 * sva_db_batch_end(db, true) commits, false rolls everything back.
 */
sva_error sva_db_batch_begin(sva_db *db, sva_diag *d);
sva_error sva_db_batch_end(sva_db *db, bool commit, sva_diag *d);

/* ---- organisation ------------------------------------------------------------ */

typedef struct sva_store {
    char *id;
    char *name;
    char *region; /**< "" when none */
} sva_store;

typedef struct sva_employee {
    char *id;
    char *name;
    char *store;
    char *role;   /**< "" when none */
} sva_employee;

/** @brief Is @p s a valid id for a store, employee or cycle ([A-Za-z0-9_.-], 1-40,
 *  not "." or "..")? The library's one id rule (sva_id_ok) with capitals. */
bool sva_ref_id_valid(const char *s);

/** @brief Add a store. SVA_ERR_CONFLICT if the id exists, SVA_ERR_INVALID on a bad field. */
sva_error sva_db_store_add(sva_db *db, const sva_store *s, sva_diag *d);
/** @brief All stores ordered by region then id. Free with sva_stores_free. */
sva_error sva_db_store_list(sva_db *db, sva_store **out, size_t *n, sva_diag *d);
void sva_stores_free(sva_store *v, size_t n);

/** @brief Add an employee. The store must exist. */
sva_error sva_db_employee_add(sva_db *db, const sva_employee *e, sva_diag *d);
/** @brief Employees (of @p store when not NULL) ordered by store then id. */
sva_error sva_db_employee_list(sva_db *db, const char *store, sva_employee **out, size_t *n,
                               sva_diag *d);
void sva_employees_free(sva_employee *v, size_t n);

/** @brief Everyone who works or worked at @p store: its employees now, and
 *  every employee of an audit there (moved to another store since), by id. */
sva_error sva_db_store_people(sva_db *db, const char *store, sva_employee **out, size_t *n,
                              sva_diag *d);

/** Counts of an import. */
typedef struct sva_import_stats {
    size_t added, updated, unchanged;
} sva_import_stats;

/**
 * @brief Put many stores (or employees) in one transaction: all or nothing.
 * Each row is checked as if typed (ids, names, the employee's store) and a
 * problem is reported at @p file : @p lines[i] (either may be NULL); every
 * problem is reported, then nothing is written. An existing id is updated to
 * the row's values (an import is the master list); counts go to @p st.
 * With @p check_only everything is checked and nothing written (a file that
 * already failed elsewhere still gets all its problems reported).
 */
sva_error sva_db_stores_put(sva_db *db, const sva_store *v, size_t n, const char *file,
                            const int *lines, bool check_only, sva_import_stats *st,
                            sva_diag *d);
sva_error sva_db_employees_put(sva_db *db, const sva_employee *v, size_t n, const char *file,
                               const int *lines, bool check_only, sva_import_stats *st,
                               sva_diag *d);

/* ---- cycles -------------------------------------------------------------------- */

typedef enum sva_cycle_state {
    SVA_CYCLE_PLAN,
    SVA_CYCLE_DO,
    SVA_CYCLE_CHECK,
    SVA_CYCLE_ACT,
    SVA_CYCLE_CLOSED
} sva_cycle_state;

const char *sva_cycle_state_name(sva_cycle_state s);

typedef struct sva_cycle {
    char *id;
    char *from;  /**< YYYY-MM-DD */
    char *to;
    sva_cycle_state state;
    long n_audits; /**< submitted, not voided */
} sva_cycle;

/** @brief Open a cycle (state plan). SVA_ERR_CONFLICT if it exists. */
sva_error sva_db_cycle_open(sva_db *db, const char *id, const char *from, const char *to,
                            sva_diag *d);
/** @brief All cycles ordered by start date then id. */
sva_error sva_db_cycle_list(sva_db *db, sva_cycle **out, size_t *n, sva_diag *d);
/** @brief One cycle; SVA_ERR_NOT_FOUND if unknown. Free with sva_cycles_free(c, 1). */
sva_error sva_db_cycle_get(sva_db *db, const char *id, sva_cycle **out, sva_diag *d);
void sva_cycles_free(sva_cycle *v, size_t n);

/* ---- audits ---------------------------------------------------------------------- */

/**
 * @brief Store one ready audit (validated and scored by the audit module,
 * audit.h) in one transaction: the exact checklist version (text and hash),
 * every answer with its points, the section scores and the audit score. The
 * store checks only what needs the database (see
 * sva_db_audit_check_header) and that the same audit is not stored already
 * (same checklist version, cycle, store, employee, auditor, date and answers;
 * SVA_ERR_CONFLICT unless @p allow_duplicate); every problem is reported in
 * @p d, and nothing is written when there is one.
 * @param id receives the new audit's number (may be NULL).
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE,
 * SVA_ERR_CONFLICT, SVA_ERR_DB, SVA_ERR_NOMEM, SVA_ERR_IO.
 */
sva_error sva_db_audit_record(sva_db *db, const sva_audit_ready *a, bool allow_duplicate,
                              long long *id, sva_diag *d);

/**
 * @brief The checks of a header that need the database: the cycle exists, is
 * not closed and its period holds the date (NULL: today); the store exists;
 * the employee exists and works at that store. Each field that is missing or
 * not a valid value (the audit module's to report) is passed over, so this
 * can add its problems to the module's in the same run. Lets a walk fail
 * before the first question rather than after the last. Writes nothing.
 * @return SVA_OK, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_INVALID (the first
 * kind found; every problem in @p d), SVA_ERR_DB.
 */
sva_error sva_db_audit_check_header(sva_db *db, const sva_audit_header *h, sva_diag *d);

typedef struct sva_audit {
    long long id;
    char uuid[37];
    char *checklist;
    long version;
    char hash[65];
    char *cycle;
    char *store;
    char *region;
    char *employee;      /**< NULL for a store audit */
    char *auditor;
    char *date;
    char *recorded_at;
    bool scorable;
    double pct;          /**< as it counts (critical policy applied) */
    double raw_pct;
    bool failed;         /**< a critical item failed */
    long n_failed_critical;
    long n_items;
    long n_na;
    bool voided;
    char *void_reason;   /**< NULL unless voided */
} sva_audit;

typedef struct sva_audit_filter {
    const char *cycle, *store, *employee, *checklist, *auditor, *region;
    bool include_voided;
    bool by_store;      /**< ordered by store, date, id (else by id) */
} sva_audit_filter;

/** Return non-zero from the callback to stop (the call then returns SVA_ERR_IO). */
typedef int (*sva_audit_cb)(const sva_audit *a, void *user);

/** @brief Stream the audits matching @p f, ordered by id, in bounded memory;
 *  @p a is valid only during the callback. */
sva_error sva_db_audit_each(sva_db *db, const sva_audit_filter *f, sva_audit_cb cb, void *user,
                            sva_diag *d);

/** @brief Audits matching @p f (NULL fields match all), ordered by id. */
sva_error sva_db_audit_list(sva_db *db, const sva_audit_filter *f, sva_audit **out, size_t *n,
                            sva_diag *d);
void sva_audits_free(sva_audit *v, size_t n);

/** One audit in full: the checklist version it used and every answer. */
typedef struct sva_audit_detail {
    sva_audit audit;
    sva_checklist *cl;   /**< parsed from the stored text */
    sva_answer *answers; /**< cl->n_items */
    sva_score score;     /**< as stored */
} sva_audit_detail;

/** @brief Load audit @p id; SVA_ERR_NOT_FOUND if none. Free with sva_audit_detail_free. */
sva_error sva_db_audit_get(sva_db *db, long long id, sva_audit_detail **out, sva_diag *d);

/**
 * @brief A checklist as @p cycle's audits used it (the exact text stored
 * with them, whatever the checklists folder now holds), parsed: of the
 * cycle's non-void audits that match @p id (NULL: any), @p version (0: any)
 * and @p feeds ("ssi", "csi", "6s"; NULL: any), the text most of them used.
 * @return SVA_OK; SVA_ERR_NOT_FOUND when no audit matches; SVA_ERR_DB,
 *         SVA_ERR_NOMEM; a parse error of the stored text.
 */
sva_error sva_db_checklist_used(sva_db *db, const char *cycle, const char *id, long version,
                                const char *feeds, sva_checklist **out, sva_diag *d);
void sva_audit_detail_free(sva_audit_detail *a);

/** @brief Void an audit (kept, but out of every figure). SVA_ERR_STATE if already void. */
sva_error sva_db_audit_void(sva_db *db, long long id, const char *reason, sva_diag *d);

/* ---- merge ------------------------------------------------------------------------ */

typedef struct sva_merge_stats {
    size_t audits_added, audits_same;
    size_t stores_added, employees_added, cycles_added, checklists_added;
    size_t conflicts;   /**< each reported in the diag; the local record is kept */
} sva_merge_stats;

/**
 * @brief Bring audits (and the stores, employees, cycles and checklist
 * versions they need) from the database at @p other. Idempotent: audits carry
 * a UUID and merging twice adds nothing. A conflict (same id, different
 * content) is reported in @p d and the local record is kept; an audit that
 * depends on a conflicting record is still merged. One transaction.
 */
sva_error sva_db_merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d);

/* ---- copy between engines ----------------------------------------------------------- */

typedef struct sva_copy_stats {
    size_t tables; /**< tables copied */
    size_t rows;   /**< rows copied, all tables together */
    size_t audits; /**< of them, audits */
} sva_copy_stats;

/**
 * @brief Copy the whole database @p from into @p to, between SQLite files and
 * PostgreSQL (postgresql://...) either way: every row of every table with its
 * ids, and the pseudonym salt (pseudonyms stay the same). @p to is created
 * when missing and must hold no data; both are brought to this svcaudit's
 * schema first, and their schemas must then be the same. One transaction on
 * @p to (all or nothing; a file this call created is removed on failure);
 * @p from is read in one consistent snapshot and not written.
 * @return SVA_OK; SVA_ERR_USAGE (the same database twice); SVA_ERR_CONFLICT
 * (@p to holds data); SVA_ERR_NOT_FOUND / SVA_ERR_DB (cannot open either,
 * schemas differ, a write fails).
 */
sva_error sva_db_copy(const char *from, const char *to, sva_copy_stats *st, sva_diag *d);

/** @brief The database @p target (a file name, a postgresql:// URL) as
 *  messages name it: a password in it shown as ***. */
void sva_db_name(const char *target, char *buf, size_t size);

#endif

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
#define SVA_SCHEMA_VERSION 9

typedef enum sva_open_mode {
    SVA_DB_EXISTING, /**< the file must exist and be an svcaudit database */
    SVA_DB_CREATE,   /**< create it if missing (svcaudit init) */
    SVA_DB_AS_IS     /**< as EXISTING, but never migrated: an older schema is
                          refused (a copy's source, which is only read) */
} sva_open_mode;

/**
 * @brief Open (and migrate forward, but in mode AS_IS) the database at @p path.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (no such file, mode EXISTING or AS_IS);
 * SVA_ERR_DB (not SQLite, not an svcaudit database, newer schema, an older
 * one in mode AS_IS, I/O).
 * Caller closes with sva_db_close. A connection (and everything read
 * through it) is used by one thread at a time; threads open their own.
 */
sva_error sva_db_open(const char *path, sva_open_mode mode, sva_db **out, sva_diag *d);
void sva_db_close(sva_db *db);

/**
 * @brief For a program whose only SQLite user is svcaudit (the CLI): turn
 * SQLite's memory statistics off, so that its allocations take no lock and
 * keep no counters (3-4 % of a batch's CPU). Call it before the first
 * sva_db_open; once SQLite has started it changes nothing. A program that
 * reads sqlite3_memory_used() or sets an SQLite heap limit does not call it.
 */
void sva_db_lean_memory(void);

/** @brief Was the file created by this open call? */
bool sva_db_created(const sva_db *db);

/**
 * @brief Who makes the changes made through @p db: every write records this
 * name in the change log (and in the histories it keeps) with the time.
 * @p actor is copied; NULL or "" means "unknown" (the default).
 * @return SVA_OK, SVA_ERR_INVALID (not 1-100 bytes of text), SVA_ERR_NOMEM.
 */
sva_error sva_db_set_actor(sva_db *db, const char *actor, sva_diag *d);
/** @brief The name sva_db_set_actor gave ("unknown" when none). */
const char *sva_db_actor(const sva_db *db);

/**
 * @brief Group many writes in one transaction (imports, merge, a batch of
 * sheets, bench): while a batch is open, each write uses a savepoint instead
 * of its own transaction, but for sva_db_audit_record, which checks
 * everything before its first row (a refused audit writes nothing) and keeps
 * what it looks up (cycle, stores, employees, checklist versions) until
 * another write or the batch's end. sva_db_batch_end(db, true) commits,
 * false rolls everything back; should an audit's write have failed after its
 * first row, true rolls back too and returns SVA_ERR_DB.
 */
sva_error sva_db_batch_begin(sva_db *db, sva_diag *d);
sva_error sva_db_batch_end(sva_db *db, bool commit, sva_diag *d);

/**
 * @brief One snapshot for a read of many queries (a workbook, a status): until
 * the matching sva_db_read_end every query sees the store as it was at the
 * first, so an audit recorded meanwhile (by another connection) is in every
 * sheet or in none. Nests (only the outermost pair opens and ends the
 * transaction); writes nothing. A write on the same connection (any call that
 * changes the store, or sva_db_batch_begin) ends the snapshot first, whatever
 * the depth: the write is made as usual, later queries see the store as it is
 * then, and sva_db_read_end calls left over do nothing. A holder that keeps
 * what it read (a cache) compares sva_db_read_snapshot with the number it saw
 * after its sva_db_read_begin to know whether it still reads that snapshot.
 */
sva_error sva_db_read_begin(sva_db *db, sva_diag *d);
void sva_db_read_end(sva_db *db);
/** @brief The open read snapshot's number: a new one for each outermost
 *  sva_db_read_begin, 0 when none is open. */
unsigned long sva_db_read_snapshot(const sva_db *db);

/* ---- references: does what a user names exist? ------------------------------- */

/** What a name given on the command line (or in a file) refers to. */
typedef enum sva_ref_kind {
    SVA_REF_CYCLE,
    SVA_REF_STORE,
    SVA_REF_REGION,   /**< some store's region */
    SVA_REF_EMPLOYEE,
    SVA_REF_AUDITOR,  /**< the auditor of some audit */
    SVA_REF_OWNER,    /**< the owner of some action */
    SVA_REF_CHECKLIST, /**< the checklist of some audit */
    SVA_REF_LOGGED_CYCLE /**< a cycle, or one the change log names (deleted since) */
} sva_ref_kind;

/**
 * @brief An unknown name anywhere, a filter included, is an error: SVA_OK
 * when @p id names a @p kind the database has; else SVA_ERR_NOT_FOUND with
 * "FLAG: unknown store 'PH-XX' (did you mean 'SH-001'?)" (the closest names,
 * or where to see them) in @p d. @p flag may be NULL.
 */
sva_error sva_db_ref_check(sva_db *db, sva_ref_kind kind, const char *id, const char *flag,
                           sva_diag *d);

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

/** A store as of a day: inactive_from is the day it has been inactive since
 *  (NULL: active that day). */
typedef struct sva_store_on {
    sva_store s;
    char *inactive_from;
} sva_store_on;

/** An employee as of a day: e.store is where they work that day (the last
 *  store they worked at when deactivated), inactive_from the day they have
 *  worked nowhere since (NULL: working that day). */
typedef struct sva_employee_on {
    sva_employee e;
    char *inactive_from;
} sva_employee_on;

/** @brief Is @p s a valid id for a store, employee or cycle ([A-Za-z0-9_.-], 1-40,
 *  not "." or "..")? The library's one id rule (sva_id_ok) with capitals. */
bool sva_ref_id_valid(const char *s);

/** @brief Add a store. SVA_ERR_CONFLICT if the id exists, SVA_ERR_INVALID on a
 *  bad field. sva_db_store_add_from with the default opening day. */
sva_error sva_db_store_add(sva_db *db, const sva_store *s, sva_diag *d);

/**
 * @brief Add a store active from day @p from (a date after the end of every
 * closed cycle: SVA_ERR_STATE otherwise). NULL: when some cycle is closed,
 * from the day after the last closed cycle ends (a closed cycle's
 * organisation does not change), else always. Imported stores take that
 * default too.
 */
sva_error sva_db_store_add_from(sva_db *db, const sva_store *s, const char *from, sva_diag *d);

/**
 * @brief Deactivate (@p active false) or reactivate a store from day @p from:
 * a cycle shows it when it was active on some day of the cycle (or has audits
 * there), and no audit may be recorded at it on a day it is not. @p from
 * must come after the end of every closed cycle. Logged.
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE (already
 *         so on that day; a closed cycle), SVA_ERR_DB.
 */
sva_error sva_db_store_set_active(sva_db *db, const char *id, bool active, const char *from,
                                  sva_diag *d);

/**
 * @brief An employee works at @p store from day @p from (NULL store: works
 * nowhere from then, deactivated). Recording checks the employee's store on
 * the audit's day; an audit keeps the store it was recorded at. @p from must
 * come after the end of every closed cycle; the store must be active then.
 * Logged. @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE,
 * SVA_ERR_DB.
 */
sva_error sva_db_employee_move(sva_db *db, const char *id, const char *store, const char *from,
                               sva_diag *d);

/** @brief The stores (by region, id) and the employees (of @p store when not
 *  NULL, by store, id) as of day @p on (NULL: today). Free with
 *  sva_stores_on_free / sva_employees_on_free. */
sva_error sva_db_store_list_on(sva_db *db, const char *on, sva_store_on **out, size_t *n,
                               sva_diag *d);
sva_error sva_db_employee_list_on(sva_db *db, const char *store, const char *on,
                                  sva_employee_on **out, size_t *n, sva_diag *d);
void sva_stores_on_free(sva_store_on *v, size_t n);
void sva_employees_on_free(sva_employee_on *v, size_t n);

/** @brief The organisation as it was in cycle @p cycle: the stores active on
 *  some day of it, or with audits in it, by region then id. */
sva_error sva_db_cycle_stores(sva_db *db, const char *cycle, sva_store **out, size_t *n,
                              sva_diag *d);
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

/** @brief Open a cycle (state plan). SVA_ERR_CONFLICT if it exists or its
 *  period overlaps another cycle's (cycles follow one another). */
sva_error sva_db_cycle_open(sva_db *db, const char *id, const char *from, const char *to,
                            sva_diag *d);
/** @brief All cycles ordered by start date then id. */
sva_error sva_db_cycle_list(sva_db *db, sva_cycle **out, size_t *n, sva_diag *d);
/**
 * @brief Delete a cycle opened by mistake: only one with nothing in it (no
 * audit, void or not; no target, action, reason, survey) and not closed.
 * Logged. @return SVA_OK, SVA_ERR_NOT_FOUND, SVA_ERR_STATE (what it holds, in
 * @p d), SVA_ERR_DB.
 */
sva_error sva_db_cycle_delete(sva_db *db, const char *id, sva_diag *d);

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
 * can add its problems to the module's in the same run; so is a date after
 * today against the cycle's period (sva_audit_check_when says it: a typo'd
 * year gets one line, not two). Lets a walk fail
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
    char *voided_at;     /**< when, NULL unless voided */
    char *voided_by;     /**< who ("" for a void older than schema 3), NULL unless voided */
    char *recorded_by;   /**< who recorded it ("" before schema 3) */
    long revision;       /**< 1 as recorded; each amendment adds one */
    char *revised_at;    /**< when the current revision was made (NULL: revision 1) */
    char *revised_by;
    char *revision_reason;
    long open_appeals;   /**< appeals not yet resolved (0 or 1) */
} sva_audit;

typedef struct sva_audit_filter {
    const char *cycle, *store, *employee, *checklist, *auditor, *region;
    bool include_voided;
    bool appealed;      /**< only audits with an open appeal (void ones too) */
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

/**
 * @brief A checklist is what its hash says: SVA_OK when no audit in the
 * database used @p cl's id and version, or they used this very text; else
 * SVA_ERR_CONFLICT with "FILE: checklist 'x' version 1 differs from the
 * version 1 already used by N audits: bump its version" (@p file names it;
 * may be NULL). Recording refuses such a checklist; `checklist lint --db`
 * reports it. Writes nothing.
 */
sva_error sva_db_checklist_check(sva_db *db, const sva_checklist *cl, const char *file,
                                 sva_diag *d);

/** One checklist id and version the database holds more than one text of
 *  (recorded by an svcaudit that did not check): the workbook would pool them. */
typedef struct sva_checklist_drift {
    char *id;
    long version;
    long texts;          /**< different texts (hashes) */
    long audits;         /**< audits that used them */
} sva_checklist_drift;

/** @brief Every id and version with more than one text, by id and version.
 *  Free with sva_checklist_drift_free. */
sva_error sva_db_checklist_drift(sva_db *db, sva_checklist_drift **out, size_t *n, sva_diag *d);
void sva_checklist_drift_free(sva_checklist_drift *v, size_t n);

/** @brief Void an audit (kept, but out of every figure): who and when are
 *  kept with it and in the log. SVA_ERR_STATE if already void or its cycle
 *  is closed. */
sva_error sva_db_audit_void(sva_db *db, long long id, const char *reason, sva_diag *d);

/**
 * @brief Undo a void: the audit counts again; the reason, who and when go to
 * the log (the void stays there too). Refused (SVA_ERR_STATE) when it is not
 * void, its cycle is closed, or an audit recorded since is the same audit
 * (it would count twice: void that one first).
 */
sva_error sva_db_audit_unvoid(sva_db *db, long long id, const char *reason, sva_diag *d);

/**
 * @brief Store @p a as a new revision of audit @p id: the audit row and its
 * answers and section scores take @p a's values (so every figure uses the
 * latest revision) after the current ones are kept, unchanged, in the
 * revision tables with who made them, when and why. @p a must be scored with
 * the checklist version the audit was recorded with (its hash) and keep its
 * cycle, store and auditor; its employee and date may change (checked as when
 * recording). Refused when the audit is void, its cycle is closed, or nothing
 * changes. One transaction; logged.
 * @param revision receives the new revision's number (may be NULL).
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_DB,
 *         SVA_ERR_NOMEM.
 */
sva_error sva_db_audit_amend(sva_db *db, long long id, const sva_audit_ready *a,
                             const char *reason, long *revision, sva_diag *d);

/** One revision of an audit: what it scored and who made it, when and why. */
typedef struct sva_audit_revision {
    long revision;
    char *made_at;       /**< revision 1: when it was recorded */
    char *made_by;       /**< "" when unknown (recorded before schema 3) */
    char *reason;        /**< why it was amended; NULL for revision 1 */
    char *date;          /**< the audit's date in that revision */
    char *employee;      /**< NULL for a store audit */
    bool scorable;
    double pct;
    bool failed;
    long n_passed, n_answered;
    bool has_change;     /**< a score and the revision before had one */
    double change;       /**< pct - the previous revision's (sva_analysis_revisions) */
} sva_audit_revision;

/** @brief Every revision of audit @p id, oldest first, the current one last.
 *  Free with sva_audit_revisions_free. @return SVA_OK, SVA_ERR_NOT_FOUND, SVA_ERR_DB. */
sva_error sva_db_audit_revisions(sva_db *db, long long id, sva_audit_revision **out, size_t *n,
                                 sva_diag *d);
void sva_audit_revisions_free(sva_audit_revision *v, size_t n);

/* ---- appeals ------------------------------------------------------------------------ */

typedef enum sva_appeal_outcome {
    SVA_APPEAL_OPEN,
    SVA_APPEAL_UPHELD,   /**< the audit was corrected: amended or voided */
    SVA_APPEAL_REJECTED  /**< the audit stands */
} sva_appeal_outcome;

/** "open", "upheld", "rejected". */
const char *sva_appeal_outcome_name(sva_appeal_outcome o);

/** A store's dispute of an audit, and how it was resolved. */
typedef struct sva_appeal {
    long long id;
    long long audit;
    char *opened_at, *opened_by, *reason;
    long revision;             /**< the audit's revision when it was opened */
    sva_appeal_outcome outcome;
    char *resolved_at, *resolved_by, *note; /**< NULL while open */
} sva_appeal;

/**
 * @brief Open an appeal of audit @p id (the store disputes its result): who
 * (the connection's actor), when and why are kept and logged. Refused
 * (SVA_ERR_STATE) when the audit is void, already has an open appeal, or its
 * cycle is closed. An open appeal blocks closing the cycle.
 * @return SVA_OK, SVA_ERR_INVALID (no reason), SVA_ERR_NOT_FOUND, SVA_ERR_STATE,
 *         SVA_ERR_DB.
 */
sva_error sva_db_audit_appeal(sva_db *db, long long id, const char *reason, sva_diag *d);

/**
 * @brief Resolve the open appeal of audit @p id, with a note, by the
 * connection's actor. Upheld means the audit was corrected: it must have been
 * amended (a revision after the one appealed) or voided since the appeal was
 * opened (amend or void first, then resolve). Rejected: the audit stands.
 * Refused when there is no open appeal or the cycle is closed.
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_DB.
 */
sva_error sva_db_audit_resolve(sva_db *db, long long id, sva_appeal_outcome outcome,
                               const char *note, sva_diag *d);

/** @brief The appeals of audit @p id, oldest first. Free with sva_appeals_free. */
sva_error sva_db_audit_appeals(sva_db *db, long long id, sva_appeal **out, size_t *n,
                               sva_diag *d);
void sva_appeals_free(sva_appeal *v, size_t n);

/* ---- the change log ---------------------------------------------------------------- */

/** One change, as the log keeps it: never changed, never deleted. */
typedef struct sva_change {
    long long id;
    char *at;            /**< when (UTC, YYYY-MM-DDTHH:MM:SSZ) */
    char *actor;         /**< who (sva_db_set_actor) */
    char *cycle;         /**< the cycle it concerns; NULL for none (master data) */
    char *what;          /**< "record", "amend", "void", "target set", "cycle close", ... */
    char *object;        /**< "audit 12", "action 3", "store SH-001", "cycle 2026-11", ... */
    char *detail;
} sva_change;

typedef struct sva_change_filter {
    const char *cycle;   /**< only changes that concern this cycle (NULL: all) */
    const char *since;   /**< only changes on or after this date, YYYY-MM-DD (NULL: all) */
    const char *object;  /**< only changes to this object, e.g. "audit 12" (NULL: all) */
} sva_change_filter;

/** @brief The changes matching @p f (NULL: all), oldest first.
 *  Free with sva_changes_free. @return SVA_OK, SVA_ERR_DB, SVA_ERR_NOMEM. */
sva_error sva_db_log_list(sva_db *db, const sva_change_filter *f, sva_change **out, size_t *n,
                          sva_diag *d);
void sva_changes_free(sva_change *v, size_t n);

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
 * when missing and must hold no data, and is brought to this svcaudit's
 * schema first; @p from must be at it already (an older one is refused, not
 * migrated); their schemas must then be the same. One transaction on @p to
 * (all or nothing; a file this call created is removed on failure); @p from
 * is read in one consistent snapshot and not written.
 * @return SVA_OK; SVA_ERR_USAGE (the same database twice); SVA_ERR_CONFLICT
 * (@p to holds data); SVA_ERR_NOT_FOUND / SVA_ERR_DB (cannot open either,
 * schemas differ, a write fails).
 */
sva_error sva_db_copy(const char *from, const char *to, sva_copy_stats *st, sva_diag *d);

/** @brief The database @p target (a file name, a postgresql:// URL) as
 *  messages name it: a password in it shown as ***. */
void sva_db_name(const char *target, char *buf, size_t size);

#endif

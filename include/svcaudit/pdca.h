/* svcaudit: the PDCA cycle beyond recording: Plan (targets), Do (5W1H
 * actions), Check (customer surveys beside the audit results), Act (reasons
 * for missed targets, closing with carry-over). Stored in the database. */
#ifndef SVCAUDIT_PDCA_H
#define SVCAUDIT_PDCA_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/error.h"

/* ---- Plan: targets ---------------------------------------------------------------- */

typedef enum sva_scope { SVA_SCOPE_NETWORK, SVA_SCOPE_REGION, SVA_SCOPE_STORE } sva_scope;
const char *sva_scope_name(sva_scope s);

/** A target: a metric (ssi, csi, 6s or a checklist id) for a cycle, for the
 *  whole network, one region or one store, on the 0-100 scale. */
typedef struct sva_target {
    char *cycle;
    sva_scope scope;
    char *scope_id; /**< region name or store id; "" for the network */
    char *metric;
    double value;
    int line;       /**< where it was read (targets file), else 0: the value's line */
    int cycle_line; /**< the line naming its cycle */
    int scope_line; /**< the line naming its store or region (0 for the network) */
} sva_target;

/** @brief Is @p metric ssi, csi, 6s or the id of a checklist in @p cat? */
bool sva_metric_valid(const char *metric, const sva_catalog *cat);
/** @brief sva_metric_valid, with the message "unknown metric ..." at
 *  @p file : @p line (either may be NULL/0) when it is not. */
bool sva_metric_check(const char *metric, const sva_catalog *cat, const char *file, int line,
                      sva_diag *d);

/**
 * @brief Set (or replace) one target. Checks the metric (against @p cat), the
 * value (0..100), the cycle, and the store or region (a region must be some
 * store's region). @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_DB.
 */
sva_error sva_db_target_set(sva_db *db, const sva_target *t, const sva_catalog *cat,
                            sva_diag *d);

/**
 * @brief Remove one target (cycle, scope, scope id, metric of @p t): the
 * store's effective target is then the next one up. The cycle must not be
 * closed. Logged with the value it had. @return SVA_OK, SVA_ERR_NOT_FOUND (no
 * such target, an unknown cycle), SVA_ERR_STATE, SVA_ERR_DB.
 */
sva_error sva_db_target_unset(sva_db *db, const sva_target *t, sva_diag *d);

/**
 * @brief Copy the targets of cycle @p from into cycle @p to (not closed):
 * each one @p to does not set already; one it sets is kept. Logged.
 * @param copied, kept counts (may be NULL)
 * @return SVA_OK, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_INVALID (the
 *         same cycle), SVA_ERR_DB.
 */
sva_error sva_db_target_copy(sva_db *db, const char *from, const char *to, size_t *copied,
                             size_t *kept, sva_diag *d);

/** @brief The targets of @p cycle, network first, then regions, then stores. */
sva_error sva_db_target_list(sva_db *db, const char *cycle, sva_target **out, size_t *n,
                             sva_diag *d);
void sva_targets_free(sva_target *v, size_t n);

/**
 * @brief Store many targets in one transaction, all or nothing (a targets
 * file): each one's cycle, store or region must exist (reported at its
 * cycle_line / scope_line in @p file); every problem is reported first.
 */
sva_error sva_db_targets_put(sva_db *db, const sva_target *v, size_t n, const char *file,
                             bool check_only, sva_diag *d);

/* ---- Do: 5W1H actions -------------------------------------------------------------- */

typedef enum sva_action_status {
    SVA_ACTION_OPEN,
    SVA_ACTION_IN_PROGRESS,
    SVA_ACTION_DONE,
    SVA_ACTION_VERIFIED,
    SVA_ACTION_REOPENED
} sva_action_status;

const char *sva_action_status_name(sva_action_status s);
/** @brief Parse a status name; false if unknown. */
bool sva_action_status_parse(const char *s, sva_action_status *out);
/** @brief May an action go from @p from to @p to? (never backward silently) */
bool sva_action_transition_ok(sva_action_status from, sva_action_status to);

typedef struct sva_kv {
    char *key;
    char *value;
} sva_kv;

typedef struct sva_action {
    long long id;
    char *cycle;
    char *store;
    char *region;
    char *metric;       /**< which target it works on (NULL = general) */
    char *checklist;    /**< with item or section, what it addresses */
    char *item;
    char *section;
    sva_action_status status;
    char *owner;        /**< the form's first person field (who) */
    char *due;          /**< the form's first date field (when), may be NULL */
    bool overdue;       /**< due before today, not done/verified, not carried over */
    long long source_audit;   /**< 0 if none */
    long long carried_from;   /**< 0 if none: the previous cycle's copy (databases before
                                   schema 3 carried copies) */
    long long carried_to;     /**< 0 if none: the copy in the next cycle (before schema 3);
                                   the action's own id when listed under a cycle it has
                                   been carried out of (see carried_to_cycle) */
    char *carried_from_cycle; /**< the cycle it was carried from into this one, NULL */
    char *carried_to_cycle;   /**< listed under a cycle it has left: where it went (its
                                   status and due date then are as they stood at the
                                   carry, and it is not overdue there); else NULL */
    char *created_at;
    char *updated_at;
    sva_kv *fields;     /**< the 5W1H fields, in the form's order */
    size_t n_fields;
} sva_action;

/** What to open. keys/values: the form fields given (--set key=value). */
typedef struct sva_action_input {
    const char *cycle;
    const char *store;
    const char *metric;     /**< NULL: derived from the checklist's index (or its id) */
    const char *checklist;
    const char *item;
    const char *section;
    long long source_audit;
    const sva_kv *set;
    size_t n_set;
    const char *actor;      /**< who made the change, for the history */
} sva_action_input;

/**
 * @brief Open an action. Every field is checked against @p form (unknown key,
 * wrong type, a required field missing), the cycle and store must exist, the
 * item or section must exist in the checklist. @return SVA_OK and *id, or an
 * error with every problem in @p d; nothing is written then.
 */
sva_error sva_db_action_add(sva_db *db, const sva_form *form, const sva_catalog *cat,
                            const sva_action_input *in, long long *id, sva_diag *d);

/**
 * @brief Change an action's status (NULL = keep) and/or fields; each change is
 * kept in its history (who, when, what changed). A transition that goes
 * backward is refused.
 */
sva_error sva_db_action_update(sva_db *db, const sva_form *form, long long id,
                               const char *status, const sva_kv *set, size_t n_set,
                               const char *actor, const char *today, sva_diag *d);

/** Actions of a cycle are those in it now and those carried out of it (as
 *  they stood then); without a cycle, every action once, where it is now. */
typedef struct sva_action_filter {
    const char *cycle, *store, *status, *owner;
    bool overdue_only;
    const char *today;      /**< for overdue; NULL = today */
} sva_action_filter;

sva_error sva_db_action_list(sva_db *db, const sva_action_filter *f, sva_action **out,
                             size_t *n, sva_diag *d);
sva_error sva_db_action_get(sva_db *db, long long id, const char *today, sva_action **out,
                            sva_diag *d);
void sva_actions_free(sva_action *v, size_t n);

typedef struct sva_history {
    char *at;
    char *actor;
    char *change;
} sva_history;

sva_error sva_db_action_history(sva_db *db, long long id, sva_history **out, size_t *n,
                                sva_diag *d);
void sva_history_free(sva_history *v, size_t n);

/**
 * @brief Open one action per failed item of audit @p audit_id, skipping items
 * that already have an action that is not verified at that store and cycle.
 * Fields `why` and `what` are filled from the item when not given in @p set.
 * @param created, skipped counts (may be NULL).
 */
sva_error sva_db_action_from_audit(sva_db *db, const sva_form *form, const sva_catalog *cat,
                                   long long audit_id, const sva_kv *set, size_t n_set,
                                   const char *actor, size_t *created, size_t *skipped,
                                   sva_diag *d);

/* ---- Check: customer surveys ---------------------------------------------------------- */

/** One customer survey figure of a store (on 0..100). */
typedef struct sva_survey {
    char *cycle;
    char *store;
    char *metric;       /**< ssi or csi */
    double value;       /**< 0..100 */
    long respondents;   /**< >= 1 */
} sva_survey;

/**
 * @brief Store survey results in one transaction, all or nothing; a row for
 * the same cycle, store and metric replaces the earlier one. Each row's cycle
 * and store must exist (reported at @p file : @p lines[i]). With
 * @p check_only nothing is written.
 */
sva_error sva_db_surveys_put(sva_db *db, const sva_survey *v, size_t n, const char *file,
                             const int *lines, bool check_only, sva_import_stats *st,
                             sva_diag *d);

/* ---- Act: cycle states, reasons, closing ------------------------------------------------ */

/** A done action checked against a later cycle's results. */
typedef struct sva_verification {
    long long action_id;
    char *store;
    char *what;          /**< "checklist item X" or "checklist section S" */
    bool confirmed;      /**< true: verified (now passes); false: reopened (failed again) */
    long n_answers;      /**< answers (items) looked at */
    long n_failed;
} sva_verification;

void sva_verifications_free(sva_verification *v, size_t n);


/** @brief Move a cycle one state forward (plan -> do -> check -> act); never back. */
sva_error sva_db_cycle_advance(sva_db *db, const char *id, sva_cycle_state *now,
                               sva_diag *d);

/** @brief Record why a store missed a metric's target in a cycle (replaces an
 *  earlier one). The metric must be valid for @p cat (see sva_metric_valid);
 *  a target the store met takes no reason (SVA_ERR_STATE, naming --metric,
 *  the store and its figure against the target). */
sva_error sva_db_cycle_reason(sva_db *db, const sva_catalog *cat, const char *cycle,
                              const char *store, const char *metric, const char *text,
                              sva_diag *d);

/**
 * @brief Reopen a closed cycle: the one way back, for a correction its figures
 * need. The reason, who and when are kept with the close it undoes and in the
 * change log; the cycle goes back to act, and closing it again is a new close.
 * @return SVA_OK; SVA_ERR_INVALID (no reason); SVA_ERR_NOT_FOUND;
 *         SVA_ERR_STATE (not closed); SVA_ERR_DB.
 */
sva_error sva_db_cycle_reopen(sva_db *db, const char *id, const char *reason, sva_diag *d);

/** One close of a cycle and, when it was undone, its reopening. */
typedef struct sva_cycle_close {
    char *closed_at;     /**< "" when closed before svcaudit kept closes (schema 2) */
    char *closed_by;     /**< "" likewise */
    char *reopened_at;   /**< NULL while it stands */
    char *reopened_by;
    char *reason;        /**< why it was reopened */
} sva_cycle_close;

/** @brief The closes of cycle @p id, oldest first (none for a cycle never
 *  closed). Free with sva_cycle_closes_free. */
sva_error sva_db_cycle_closes(sva_db *db, const char *id, sva_cycle_close **out, size_t *n,
                              sva_diag *d);
void sva_cycle_closes_free(sva_cycle_close *v, size_t n);

/** What closing did. */
typedef struct sva_close_report {
    char *next_cycle;    /**< where open actions went (NULL if none needed); caller frees */
    size_t carried;      /**< actions carried into it */
    size_t verified;     /**< done actions verified by the cycle's answers */
    size_t reopened;     /**< done actions reopened by them */
} sva_close_report;

/**
 * @brief Close a cycle: the one write point of the Act step. Refused
 * (SVA_ERR_STATE, each missing thing in @p d) until every missed store target
 * has a reason and at least one action on that metric. Then, in one
 * transaction: the done actions of earlier cycles that this cycle's answers
 * decide (sva_analysis_verifications) are verified or reopened, each with a
 * history line; open actions, and those reopened that belong to a closed
 * cycle, are carried into the next cycle (by start date), which must exist
 * when there are any: the same actions (id, fields, history) move on, with a
 * history line "carried from A to B", and the closed cycle keeps their status
 * and due date as they stood (it still lists them, "carried to B"). A due
 * date before @p today moves to @p due (when given; it may not be before
 * today), else to the next cycle's last day, else, when that has passed too,
 * to today: nothing arrives overdue. The close is recorded (who, when). The
 * cycle then takes no new audits and no change to its figures or register.
 * @param today YYYY-MM-DD (NULL: the local date)
 * @return SVA_OK; SVA_ERR_STATE (what is missing, in @p d); SVA_ERR_INVALID
 *         (a bad @p due); SVA_ERR_NOT_FOUND; SVA_ERR_DB.
 */
sva_error sva_db_cycle_close(sva_db *db, const char *id, const char *today, const char *due,
                             sva_close_report *rep, sva_diag *d);

#endif

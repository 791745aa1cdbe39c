/* svcaudit: plans: which checklists are due at which stores (or per
 * employee), how often and by whom, in a cycle; coverage (planned, done, due,
 * missed) as pure rules over the store's facts; owners of 6S sections and
 * items. The rules (periods, coverage) are pure (plan.c); the store's part is
 * db_plan.c; the plans file is read by plan_import.c. */
#ifndef SVCAUDIT_PLAN_H
#define SVCAUDIT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/error.h"
#include "svcaudit/pdca.h"

/* ---- plans ---------------------------------------------------------------------------- */

/** How often a plan wants its audits: per cycle, or per day, week or month of it. */
typedef enum sva_plan_every {
    SVA_EVERY_CYCLE, /**< --times N alone: N audits over the whole cycle */
    SVA_EVERY_DAY,
    SVA_EVERY_WEEK,  /**< calendar weeks, Monday to Sunday (see sva_plan_periods) */
    SVA_EVERY_MONTH
} sva_plan_every;

/** "cycle", "day", "week", "month". */
const char *sva_plan_every_name(sva_plan_every e);
/** @brief Parse "day", "week", "month" (or "cycle"); false when it is none. */
bool sva_plan_every_parse(const char *s, sva_plan_every *out);

/** One plan line: a checklist at a store, at the stores of a region or at
 *  every store, @p times audits each period, optionally per employee and by
 *  a named auditor. For one checklist a store's own plan wins over its
 *  region's, which wins over the network's (as targets do). */
typedef struct sva_plan {
    long long id;        /**< 0 until stored */
    char *cycle;
    char *checklist;
    sva_scope scope;     /**< network: every store */
    char *scope_id;      /**< store id or region; "" for the network */
    bool per_employee;   /**< each employee at the store (an employee checklist) */
    long times;          /**< audits per period, 1-1000; 0 (store scope): not planned here */
    sva_plan_every every;
    char *auditor;       /**< who is to audit; "" for anyone */
    int line;            /**< plans file: the section's line (0 elsewhere) */
    int cycle_line, checklist_line, scope_line, times_line, auditor_line;
} sva_plan;

void sva_plans_free(sva_plan *v, size_t n);

/**
 * @brief The checks of a plan that need no database: a valid cycle id, a
 * checklist of @p cat, scope id and times in range (0 only for one store),
 * an auditor name of 1-100 bytes of text when given, --per-employee only for
 * a checklist whose subject is an employee. Every problem goes to @p d at
 * @p file : the field's line (the flag's name when there is no file).
 * @return true when there is none.
 */
bool sva_plan_check(const sva_plan *p, const sva_catalog *cat, const char *file, sva_diag *d);

/**
 * @brief Set one plan: replaces the cycle's plan for the same checklist and
 * scope (one plan per checklist at a store, a region, the network). Checks
 * sva_plan_check, the cycle (not closed), the store or region (some store's).
 * @param id receives the plan's number (may be NULL).
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_DB.
 */
sva_error sva_db_plan_set(sva_db *db, const sva_plan *p, const sva_catalog *cat, long long *id,
                          sva_diag *d);

/**
 * @brief Set many plans in one transaction, all or nothing (a plans file):
 * every problem of every plan is reported first (at its lines in @p file),
 * then nothing is written. With @p check_only nothing is written either way.
 */
sva_error sva_db_plans_put(sva_db *db, const sva_plan *v, size_t n, const char *file,
                           const sva_catalog *cat, bool check_only, sva_diag *d);

/** @brief The plans of @p cycle (NULL: every cycle): network, regions, stores,
 *  each by checklist. Free with sva_plans_free. */
sva_error sva_db_plan_list(sva_db *db, const char *cycle, sva_plan **out, size_t *n,
                           sva_diag *d);

/**
 * @brief Copy every plan of cycle @p from into cycle @p to (open, not
 * closed), replacing @p to's plans for the same checklist and scope and
 * keeping its others. One transaction. @p copied receives how many.
 * @return SVA_OK, SVA_ERR_NOT_FOUND (a cycle, or no plans in @p from),
 *         SVA_ERR_STATE (@p to is closed), SVA_ERR_INVALID (@p from == @p to), SVA_ERR_DB.
 */
sva_error sva_db_plan_copy(sva_db *db, const char *from, const char *to, size_t *copied,
                           sva_diag *d);

/**
 * @brief Parse a plans file: any number of sections, each one plan with
 * `cycle`, `checklist`, one of `store`, `region` or `all_stores = yes`,
 * `times` and/or `every` (day, week, month), optionally `per_employee = yes`
 * and `auditor`. Syntax, names and values only (sva_plan_check); every
 * problem goes to @p d as name:line. Free *out with sva_plans_free.
 */
sva_error sva_plans_parse(const char *name, const char *data, size_t len,
                          const sva_catalog *cat, sva_plan **out, size_t *n, sva_diag *d);

/** @brief Read, check and store a whole plans file: all or nothing. */
sva_error sva_import_plans(sva_db *db, const char *path, const sva_catalog *cat, size_t *count,
                           sva_diag *d);

/* ---- periods and coverage (pure) -------------------------------------------------------- */

/** A period of a plan: the days from @p from to @p to, both included. */
typedef struct sva_period {
    char from[11];
    char to[11];
} sva_period;

/**
 * @brief The periods of a cycle from @p from to @p to (YYYY-MM-DD) for
 * @p every: the whole cycle; each day; each calendar week (Monday to Sunday)
 * whose Thursday lies in the cycle (the ISO 8601 rule for which year a week
 * belongs to); each calendar month whose 15th lies in it. Days of the cycle
 * outside those weeks or months join the first or last one; a cycle holding
 * no Thursday (no 15th) is one period. In date order, covering every day of
 * the cycle once. Pure.
 * @return SVA_OK, SVA_ERR_INVALID (bad dates, to before from), SVA_ERR_NOMEM.
 *         Free *out with free().
 */
sva_error sva_plan_periods(const char *from, const char *to, sva_plan_every every,
                           sva_period **out, size_t *n);

/** @brief The Monday and the Sunday of the calendar week holding @p date. */
bool sva_plan_week_of(const char *date, char monday[11], char sunday[11]);

/** Someone who works at a store over some days (NULL ends: the whole cycle). */
typedef struct sva_plan_person {
    char *employee;
    char *store;
    char *from, *to; /**< the days they work there within the cycle; NULL: open */
} sva_plan_person;

/** Days of the cycle a store is closed (inactive): no audit is planned
 *  there then. NULL ends: from the cycle's first day / to its last. */
typedef struct sva_plan_closed {
    char *store;
    char *from, *to;
} sva_plan_closed;

/** An audit that can count for a plan (not void). */
typedef struct sva_plan_visit {
    long long audit;
    char *checklist;
    char *store;
    char *employee; /**< NULL for a store audit */
    char *auditor;
    char date[11];
} sva_plan_visit;

/** Why a store (one employee there) missed a checklist's planned audits. */
typedef struct sva_plan_reason {
    char *checklist, *store;
    char *employee; /**< "" for a store's plan */
    char *text;
} sva_plan_reason;

/** Everything a cycle's coverage is computed from (sva_db_plan_facts). */
typedef struct sva_plan_facts {
    sva_cycle cycle;
    sva_plan *plans;
    size_t n_plans;
    sva_store *stores;         /**< the stores planned for (every store), by region then id */
    size_t n_stores;
    sva_plan_person *people;   /**< who works where in the cycle, by store then employee
                                    (one entry per stay: a move makes two) */
    size_t n_people;
    sva_plan_closed *closed;   /**< when stores are closed in the cycle, by store then day;
                                    a store not listed is open all along */
    size_t n_closed;
    sva_plan_visit *visits;    /**< the cycle's audits that are not void */
    size_t n_visits;
    sva_plan_reason *reasons;
    size_t n_reasons;
} sva_plan_facts;

void sva_plan_facts_free(sva_plan_facts *f);

/** One period of one unit: how many audits it needs, and what came of them. */
typedef struct sva_cover_slot {
    size_t unit;          /**< index into sva_coverage.units */
    sva_period period;
    long planned;         /**< the plan's times */
    long done;            /**< audits dated in the period that count for it */
    long late;            /**< audits after the period that made up for it */
    long due;             /**< still to do, the period not over */
    long missed;          /**< not done, the period over */
    char last[11];        /**< the date of the last audit that counted ("" none) */
} sva_cover_slot;

/** A plan at one store (and one employee, per employee): its counts. */
typedef struct sva_cover_unit {
    const sva_plan *plan;
    const char *checklist, *store, *region, *auditor;
    const char *employee; /**< NULL unless the plan is per employee */
    long planned, done, late, due, missed; /**< done includes late */
    char next_from[11], next_to[11]; /**< the first period with audits due ("" none) */
    char last[11];        /**< the date of the last audit that counted ("" none) */
    const char *reason;   /**< why audits were missed (NULL: none given) */
    size_t first_slot, n_slots;
} sva_cover_unit;

/** Counts of a store, or of the network. */
typedef struct sva_cover_total {
    const char *store, *region; /**< NULL for the network */
    long planned, done, late, due, missed;
    long units_missed_no_reason; /**< units with missed audits and no reason */
} sva_cover_total;

/** A cycle's coverage. Strings point into the facts, which must outlive it. */
typedef struct sva_coverage {
    char today[11];
    bool closing;             /**< every period counted as over (the cycle's close) */
    sva_cover_unit *units;    /**< by store, checklist, employee */
    size_t n_units;
    sva_cover_slot *slots;    /**< by unit, then period */
    size_t n_slots;
    sva_cover_total *stores;  /**< every store with a plan, in the facts' order */
    size_t n_stores;
    sva_cover_total network;
} sva_coverage;

/**
 * @brief Coverage of a cycle, pure. Each store gets, per checklist, its
 * effective plan (its own, else its region's, else the network's; none when
 * that plan's times is 0); per employee, one unit for each person working
 * there in the cycle, over the periods they work there. Each period needs
 * the plan's times audits of that checklist at that store (of that
 * employee). An audit counts first in its own period; audits beyond what
 * their period needs make up for earlier periods still short (oldest first:
 * done late); an audit never counts for a later period. What is still not
 * done is due while its period lasts (its last day >= @p today), missed
 * after; with @p closing every period is over. planned = done + due + missed.
 * @param today YYYY-MM-DD
 * @return SVA_OK, SVA_ERR_INVALID (bad dates), SVA_ERR_NOMEM. Free with
 *         sva_coverage_free.
 */
sva_error sva_plan_coverage(const sva_plan_facts *f, const char *today, bool closing,
                            sva_coverage **out);
void sva_coverage_free(sva_coverage *c);

/**
 * @brief The counts of the units of @p c at @p store, at the stores of
 * @p region and planned for @p auditor (each NULL: any), summed into @p out
 * (its store and region NULL).
 */
void sva_coverage_sum(const sva_coverage *c, const char *store, const char *region,
                      const char *auditor, sva_cover_total *out);

/**
 * @brief The periods with audits still due whose period starts on or before
 * @p until (NULL: any), of units planned for @p auditor (NULL: any),
 * soonest deadline first (then store, checklist, employee): what an auditor
 * has to do. *out holds indexes into c->slots; free() it.
 * @return SVA_OK or SVA_ERR_NOMEM.
 */
sva_error sva_coverage_due(const sva_coverage *c, const char *auditor, const char *until,
                           size_t **out, size_t *n);

/** A run of consecutive periods of one unit with planned audits missed. */
typedef struct sva_cover_miss {
    size_t unit;          /**< index into sva_coverage.units */
    char from[11], to[11];
    long periods;         /**< periods in the run */
    long planned, missed; /**< over the run */
} sva_cover_miss;

/**
 * @brief The missed list: for each unit, its periods with missed audits,
 * consecutive ones joined (the 1st to the 17th rather than 17 lines), in
 * unit order, of @p store only when not NULL. Free *out with free().
 * @return SVA_OK or SVA_ERR_NOMEM.
 */
sva_error sva_coverage_missed(const sva_coverage *c, const char *store, sva_cover_miss **out,
                              size_t *n);

/* ---- the store's part ---------------------------------------------------------------------- */

/** @brief Gather what @p cycle's coverage needs. SVA_ERR_NOT_FOUND for an
 *  unknown cycle. Free with sva_plan_facts_free. */
sva_error sva_db_plan_facts(sva_db *db, const char *cycle, sva_plan_facts **out, sva_diag *d);

/**
 * @brief The facts and the coverage of @p cycle in one call (plan status,
 * cycle status, the report model). @p today NULL: the local date.
 * Free both (coverage first).
 */
sva_error sva_plan_status(sva_db *db, const char *cycle, const char *today,
                          sva_plan_facts **facts, sva_coverage **cov, sva_diag *d);

/**
 * @brief Record why @p store (@p employee there, NULL for a store's plan)
 * missed planned audits of @p checklist in @p cycle (replaces an earlier
 * reason). The cycle must not be closed; the store (and employee) must exist;
 * a unit that did every planned audit takes no reason (SVA_ERR_STATE).
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_STATE, SVA_ERR_DB.
 */
sva_error sva_db_plan_reason(sva_db *db, const char *cycle, const char *checklist,
                             const char *store, const char *employee, const char *text,
                             sva_diag *d);

/* ---- owners ------------------------------------------------------------------------------- */

/** Who answers for a 6S section or item at a store. */
typedef struct sva_owner {
    char *store;
    char *checklist;
    char *section;   /**< NULL when it owns an item */
    char *item;      /**< NULL when it owns a section */
    char *employee;
    char *name;      /**< the employee's name (lists only) */
} sva_owner;

void sva_owners_free(sva_owner *v, size_t n);

/**
 * @brief Make @p o->employee the owner of a section or an item (one of the
 * two) of a checklist of @p cat at @p o->store (replaces an earlier owner).
 * The employee must work at that store.
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOT_FOUND, SVA_ERR_DB.
 */
sva_error sva_db_owner_set(sva_db *db, const sva_catalog *cat, const sva_owner *o,
                           sva_diag *d);

/** @brief The owners at @p store (NULL: every store), by store, checklist,
 *  section, item. Free with sva_owners_free. */
sva_error sva_db_owner_list(sva_db *db, const char *store, sva_owner **out, size_t *n,
                            sva_diag *d);

/**
 * @brief Who answers for item @p item (of section @p section) of
 * @p checklist at @p store: the item's owner, else its section's. *name
 * receives the employee's name (malloc'd) or NULL when there is none.
 */
sva_error sva_db_owner_of(sva_db *db, const char *store, const char *checklist,
                          const char *section, const char *item, char **name, sva_diag *d);

#endif

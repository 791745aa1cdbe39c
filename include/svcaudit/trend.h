/* svcaudit: QA trends (SPEC "Trends (QA)"): a metric cycle over cycle with
 * its significance, item moves, repeat failures and auditor consistency.
 *
 * Two halves. The store side (db_history.c) reads rows: a series' audits, item
 * counts, failures, actions, auditors' audits. The pure side (trend.c: no I/O,
 * no database) turns rows into series, verdicts, repeats and auditor rows; its
 * functions (sva_trend_*_compute) take hand-made rows as well, so each method
 * is tested on its own. sva_trend_series, _items, _repeats and _auditors do
 * both: read, then compute. */
#ifndef SVCAUDIT_TREND_H
#define SVCAUDIT_TREND_H

#include "svcaudit/db.h"
#include "svcaudit/pdca.h"
#include "svcaudit/stats.h"

/*
 * What every query here counts
 * ----------------------------
 * Audits: not voided, scorable, with a %. Answers: those of non-void audits
 * with passed 1 or 0 (N/A left out). A metric is "ssi", "csi" or "6s" (the
 * audits whose checklist feeds that index) or a checklist id. Cycles are in
 * the order of their start date (then id). Significance uses stats.h at
 * level SVA_STATS_ALPHA; "insufficient n" is never reported as a change.
 */

/** One cycle of a metric's series. */
typedef struct sva_trend_point {
    char *cycle;
    char *from;                /**< the cycle's start date */
    sva_summary audits;        /**< mean and sd (n - 1) of audit %, n audits */
    long stores;               /**< stores with audits */
    /** The figure shown and tested: of a store, its audits (the same as
     *  audits); of a region or the network, its stores' figures: mean = the
     *  mean of the store means (each store once, unrounded), sd their sd,
     *  n the stores. */
    sva_summary figure;
    bool has_change;           /**< false for the first cycle shown */
    sva_welch change;          /**< Welch on the figure's values: previous cycle -> this one */
    sva_pchart_point compliance; /**< passed / answered with this cycle's limits */
} sva_trend_point;

/** A metric over the last cycles, for a store, a region or the network. */
typedef struct sva_trend {
    char *metric;
    char *store;               /**< NULL unless asked for one store */
    char *region;              /**< NULL unless asked for one region */
    sva_pchart pchart;         /**< centre line over the points shown */
    sva_trend_point *points;   /**< oldest first */
    size_t n;
    /** The test over the window: the least-squares slope of the figure's
     *  values (a store's audits; a region's or the network's store figures)
     *  on the cycle's place in the window (0, 1, ...), per cycle, with its
     *  t-test and CI at SVA_STATS_ALPHA: improving, declining, stable or
     *  insufficient n (fewer than 3 cycles with data or 4 values). */
    sva_slope window;
} sva_trend;

/** What to follow; store and region may not both be given. */
typedef struct sva_trend_query {
    const char *metric;        /**< ssi, csi, 6s or a checklist id */
    const char *store;         /**< NULL: every store (of the region) */
    const char *region;        /**< NULL: every region */
    const char *last_cycle;    /**< NULL: the latest cycle with audits */
    int cycles;                /**< how many cycles, ending with last_cycle; >= 1 */
} sva_trend_query;

/** The method, as the outputs state it. Static text. */
extern const char SVA_TREND_METHOD[];
extern const char SVA_TREND_ITEMS_METHOD[];
extern const char SVA_TREND_AUDITORS_METHOD[];

/**
 * @brief The series of @p q->metric: per cycle the figure (a store's mean
 * audit %; a region's or the network's mean of store means), the Welch test
 * of its change from the cycle before (within those shown), the compliance
 * rate on a p-chart whose centre line is the pooled rate of the cycles shown,
 * and the slope over the window. One series is one planned test: its
 * verdicts are at SVA_STATS_ALPHA, unadjusted (sva_trend_scan adjusts many).
 * Caller frees *out with sva_trend_free.
 * @return SVA_OK; SVA_ERR_USAGE (cycles < 1, store and region both given);
 *         SVA_ERR_NOT_FOUND for an unknown metric, store, region or cycle
 *         (with a message in @p d); SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_series(sva_db *db, const sva_trend_query *q, sva_trend **out, sva_diag *d);
void sva_trend_free(sva_trend *t);

/** One scope of a scan: a store, a region or the network, with its series. */
typedef struct sva_trend_scope {
    sva_scope scope;
    char *id;                  /**< store id, region name, "" for the network */
    sva_trend *series;         /**< as sva_trend_series gives it (unadjusted p-values) */
    double change_q;           /**< BH-adjusted p of the last cycle's change (1: no test) */
    double window_q;           /**< BH-adjusted p of the window's slope (1: no test) */
    sva_verdict change_verdict; /**< IMPROVED / DECLINED only when change_q <= fdr */
    sva_verdict window_verdict; /**< IMPROVING / DECLINING only when window_q <= fdr */
} sva_trend_scope;

/** Every scope of a metric at once, as the workbook and `cycle status` show them. */
typedef struct sva_trend_scopes {
    char *metric;
    char *region;              /**< NULL: the whole network */
    double fdr;                /**< the false discovery rate the verdicts control */
    size_t n_tests;            /**< the family: changes and slopes that could be tested */
    sva_trend_scope *scopes;   /**< stores with audits in the window (by region, id), then
                                    regions, then the network (not in a region's scan) */
    size_t n;
} sva_trend_scopes;

/**
 * @brief The series of every store of @p region (NULL: every store), of each
 * region, and of the network (not when @p region is given) over the window
 * of @p cycles cycles ending with @p last_cycle (NULL: the latest with
 * audits), in one read. Many series tested at once would cry wolf at alpha
 * each, so the last change and the window slope of every scope form one
 * family whose false discovery rate is held at @p fdr (Benjamini-Hochberg);
 * change_verdict and window_verdict are the adjusted verdicts. Free with
 * sva_trend_scopes_free.
 * @return SVA_OK; SVA_ERR_USAGE (cycles < 1, fdr outside (0, 1));
 *         SVA_ERR_NOT_FOUND for an unknown metric, region or cycle;
 *         SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_scan(sva_db *db, const char *metric, const char *region,
                         const char *last_cycle, int cycles, double fdr, sva_trend_scopes **out,
                         sva_diag *d);
void sva_trend_scopes_free(sva_trend_scopes *s);

/** @brief The scope @p scope @p id ("" or NULL for the network) of @p s, or NULL. */
const sva_trend_scope *sva_trend_scopes_find(const sva_trend_scopes *s, sva_scope scope,
                                           const char *id);

/** An item's compliance in one cycle against the cycle before. */
typedef struct sva_item_move {
    char *checklist;
    char *section;
    char *item;
    long passed_before, n_before;
    long passed_after, n_after;
    /** before -> after; p_value is the item's own, verdict the one after the
     *  false discovery rate control: IMPROVED / DECLINED only when q_value
     *  <= SVA_STATS_FDR, else NO_CHANGE (or INSUFFICIENT_N, never tested) */
    sva_prop_test test;
    double q_value;            /**< Benjamini-Hochberg adjusted p over the items tested; 1 if none */
} sva_item_move;

/** Every item answered in @p cycle or the cycle before. */
typedef struct sva_item_moves {
    char *cycle;
    char *previous;
    sva_item_move *items;      /**< significant moves first, biggest rise to biggest fall,
                                    then the rest by checklist and item */
    size_t n;
    size_t n_improved, n_declined, n_no_change, n_insufficient;
} sva_item_moves;

/**
 * @brief Item compliance of @p cycle (at @p store, or in @p region, or
 * everywhere when both are NULL; not both) against the cycle before it
 * (two-proportion z-test), the items tested forming one family whose false
 * discovery rate is held at SVA_STATS_FDR (Benjamini-Hochberg): with a
 * hundred items, alpha 0.05 each would list about five moves that are
 * noise. Free with sva_item_moves_free.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle, store or region,
 *         or a cycle with no cycle before it; SVA_ERR_USAGE for a store and a
 *         region; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_items(sva_db *db, const char *cycle, const char *store, const char *region,
                          sva_item_moves **out, sva_diag *d);
void sva_item_moves_free(sva_item_moves *m);

/** An item failing at a store in consecutive cycles up to the one asked for. */
typedef struct sva_repeat {
    /* The strings of a repeat live in one block with its cycle list (free the
     * list with sva_repeats_free only; never a field on its own). */
    char *store;
    char *region;
    char *checklist;
    char *item;
    char **cycles;             /**< the failing cycles, oldest first */
    size_t n_cycles;           /**< >= 2 */
    long failed;               /**< failed answers in the last cycle */
    long answered;             /**< answers in the last cycle */
    long n_actions;            /**< actions on the item at the store in those cycles */
    bool critical;             /**< the item is critical (in some version of its checklist) */
    long run_failed;           /**< failed answers at the store over those cycles */
    long run_answered;         /**< answers at the store over those cycles */
    double run_rate;           /**< run_failed / run_answered (0 when none answered) */
    long ref_failed;           /**< failed answers to the item at the other stores, same cycles */
    long ref_answered;
    double ref_rate;           /**< (ref_failed + 1) / (ref_answered + 2): the expected rate */
    double p_value;            /**< P(as many failures over the run at ref_rate | each cycle
                                    of it failed) */
    double q_value;            /**< Benjamini-Hochberg adjusted over the family (see below) */
    bool escalate;             /**< q_value <= the false discovery rate; else "watch" */
} sva_repeat;

/** The method of repeat failures, as the outputs state it. Static text. */
extern const char SVA_TREND_REPEATS_METHOD[];

/**
 * @brief Repeat failures ending with @p cycle: a (store, checklist, item)
 * with at least one failed answer in @p cycle and in each of the cycles just
 * before it, two cycles or more in a row. One failure in seven answers twice
 * is what chance gives many items somewhere, so each repeat is tested: how
 * likely are that many failed answers over its run at the item's failure
 * rate at the other stores in the same cycles (smoothed as (failed + 1) /
 * (answered + 2)), given that each cycle of the run had a failure (that is
 * how it was picked out, so one failure a cycle is no evidence at all;
 * sva_stats_binom_runs_upper)? The repeats are one family whose false
 * discovery rate is held at SVA_STATS_FDR (Benjamini-Hochberg): ESCALATE when
 * q_value <= SVA_STATS_FDR, the rest "watch". Ordered by priority:
 * escalations first; then critical items, the failure rate over the run
 * (highest first), no action before some; then store, checklist, item.
 * Reads the audits of @p cycle and of the cycles before it only while some
 * candidate still fails in each of them. Free with sva_repeats_free.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_repeats(sva_db *db, const char *cycle, sva_repeat **out, size_t *n,
                            sva_diag *d);
void sva_repeats_free(sva_repeat *v, size_t n);

/** One auditor against the others on the same store, checklist and cycle. */
typedef struct sva_auditor_row {
    char *auditor;
    long audits;               /**< all the auditor's audits (in the cycle, if given) */
    long cells;                /**< (checklist, store, cycle) cells shared with another auditor */
    sva_summary own;           /**< the auditor's audits in those cells (score before the
                                    critical policy) */
    sva_summary others;        /**< the other auditors' audits in those cells */
    /** cmp.diff: the auditor's mean difference from the reference over the cells
     *  (points); cmp.test: its one-sample t-test over the cells (diff, se, t,
     *  df = cells - 1, p_value); cmp.verdict after the false discovery rate
     *  control: LENIENT / STRICT only when q_value <= SVA_STATS_FDR. */
    sva_auditor_cmp cmp;
    double lo, hi;             /**< 95 % confidence interval of cmp.diff (= diff when no test) */
    double q_value;            /**< Benjamini-Hochberg adjusted p over the auditors tested */
    long appeals;              /**< appeals of the auditor's audits (in the cycle, if given) */
    long upheld;               /**< of them, upheld: the audit was corrected */
} sva_auditor_row;

/**
 * @brief Auditor consistency in @p cycle (all cycles when NULL), matched: a
 * cell is a (checklist, store, cycle) that two auditors or more audited, so a
 * store's real change between cycles is never charged to whoever audited it.
 * Values are the audit's score before the critical-item policy (with
 * critical_policy = zero the audit % is 0 or 60-100, which hides an auditor's
 * leniency). The reference in a cell is the level the other auditors give it,
 * each corrected by their own effect in an additive model (cell + auditor)
 * whose auditor effects are centred on their median: one lenient auditor
 * does not make everyone else look strict. Per auditor: the mean over their
 * cells of (their mean in the cell - the reference), tested with a t over
 * the cells (df = cells - 1; insufficient n with fewer than 2 cells or no
 * spread) whose se^2 adds to the spread over cells the uncertainty of the
 * partners' effects the references lean on (sum over partners of (their
 * share / cells)^2 s^2 / their cells, s^2 the pooled spread of the
 * differences) and of the median ((pi / 2) mean(s^2 / cells) / auditors),
 * the auditors tested forming one family whose false discovery rate is held
 * at SVA_STATS_FDR. Ordered by auditor.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_auditors(sva_db *db, const char *cycle, sva_auditor_row **out, size_t *n,
                             sva_diag *d);
void sva_auditor_rows_free(sva_auditor_row *v, size_t n);

/* ---- the pure side: rows in, figures out (trend.c) ---------------------------------- */

/**
 * @brief The window of a series: the @p k cycles (or fewer, at the start)
 * ending with @p last (NULL: the latest cycle of @p cy with audits, n_audits
 * > 0, or the last one when none has any). On SVA_OK *first and *at are
 * indexes into @p cy (first <= at).
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown @p last or no cycles
 *         (message in @p d); SVA_ERR_USAGE for k < 1.
 */
sva_error sva_trend_window(const sva_cycle *cy, size_t n, const char *last, int k,
                           size_t *first, size_t *at, sva_diag *d);

/** One audit a series counts. */
typedef struct sva_series_row {
    size_t cycle;          /**< index into the window's cycles, 0 = the oldest */
    const char *store;
    const char *region;    /**< the store's region ("" or NULL: none) */
    double pct;            /**< audit % as it counts (critical policy applied) */
    long passed;           /**< its answers that passed */
    long answered;         /**< its answers that passed or failed (N/A left out) */
} sva_series_row;

/**
 * @brief The series of @p q's metric over the window @p cycles[0..n_cycles-1]
 * (oldest first) from its audits @p rows (any order), as sva_trend_series
 * describes: a store's figure when @p q->store is set (then every row is
 * taken as that store's), else the mean of the rows' store figures.
 * Compliance is the sum of passed over the sum of answered. @p q gives the
 * names only (metric, store, region). Free with sva_trend_free.
 * @return SVA_OK; SVA_ERR_USAGE for a row outside the window or counts that
 *         break the p-chart's rules; SVA_ERR_NOMEM.
 */
sva_error sva_trend_series_compute(const sva_trend_query *q, const sva_cycle *cycles,
                                   size_t n_cycles, const sva_series_row *rows, size_t n,
                                   sva_trend **out, sva_diag *d);

/**
 * @brief A scan (see sva_trend_scan) from the rows of every store in the
 * window @p cycles[0..n_cycles-1]; rows outside @p region (when given) are
 * left out. @return SVA_OK; SVA_ERR_USAGE for bad rows or @p fdr; SVA_ERR_NOMEM.
 */
sva_error sva_trend_scan_compute(const char *metric, const char *region, const sva_cycle *cycles,
                                 size_t n_cycles, const sva_series_row *rows, size_t n,
                                 double fdr, sva_trend_scopes **out, sva_diag *d);

/** An item's answers in two cycles: the input of item moves. */
typedef struct sva_item_count {
    const char *checklist;
    const char *section;
    const char *item;
    long passed_before, n_before;
    long passed_after, n_after;
} sva_item_count;

/**
 * @brief Item moves from @p cycle 's and @p previous 's counts (one row per
 * checklist and item): the two-proportion z-test of each, the verdict counts,
 * and the order of sva_item_moves. Free with sva_item_moves_free.
 * @return SVA_OK; SVA_ERR_USAGE for impossible counts; SVA_ERR_NOMEM.
 */
sva_error sva_trend_items_compute(const char *cycle, const char *previous,
                                  const sva_item_count *rows, size_t n, sva_item_moves **out,
                                  sva_diag *d);

/** An item with failed answers at a store in one cycle, and the item's
 *  answers at the other stores in that cycle. */
typedef struct sva_failure_row {
    const char *store;
    const char *region;    /**< NULL or "" when none */
    const char *checklist;
    const char *item;
    size_t cycle;          /**< index into the cycle list */
    long failed;           /**< > 0 */
    long answered;
    long ref_failed;       /**< the item's failed answers at the other stores */
    long ref_answered;     /**< the item's answers at the other stores */
    bool critical;         /**< the item is critical */
} sva_failure_row;

/** An action on an item at a store. */
typedef struct sva_action_row {
    const char *store;
    const char *checklist; /**< NULL: the action names no checklist (counts for any) */
    const char *item;
    size_t cycle;          /**< index into the cycle list */
} sva_action_row;

/**
 * @brief Repeat failures ending with cycle @p at of @p cycles (all cycles by
 * start date): a (store, checklist, item) of @p f with failed answers in @p at
 * and in each cycle just before it, two or more in a row, tested and ordered
 * as sva_trend_repeats says. Its actions: the rows of @p act with its store
 * and item (and its checklist, or none) in a cycle whose start date is from
 * the run's first to @p at 's. @p f is sorted by store, checklist, item,
 * cycle. @p family is the number of hypotheses (0 or fewer than the repeats
 * found: the repeats found), @p fdr the false discovery rate. Free with
 * sva_repeats_free.
 * @return SVA_OK; SVA_ERR_USAGE for @p at or a cycle out of range, rows out of
 *         order, impossible counts or @p fdr outside (0, 1); SVA_ERR_NOMEM.
 */
sva_error sva_trend_repeats_compute(const sva_cycle *cycles, size_t n_cycles, size_t at,
                                    const sva_failure_row *f, size_t nf,
                                    const sva_action_row *act, size_t nact, size_t family,
                                    double fdr, sva_repeat **out, size_t *n, sva_diag *d);

/**
 * @brief The last step of sva_trend_repeats_compute, for repeats computed in
 * parts (a long history is evaluated a few thousand keys at a time): the
 * Benjamini-Hochberg q_value and escalate of each of @p v over a family of
 * @p family (fewer: @p n), then the priority order.
 * @return SVA_OK; SVA_ERR_USAGE for @p fdr outside (0, 1); SVA_ERR_NOMEM.
 */
sva_error sva_trend_repeats_rank(sva_repeat *v, size_t n, size_t family, double fdr,
                                 sva_diag *d);

/** One audit an auditor comparison counts. */
typedef struct sva_auditor_audit {
    const char *checklist;
    const char *store;
    const char *cycle;
    const char *auditor;
    double pct;            /**< the score before the critical policy (raw_pct) */
} sva_auditor_audit;

/**
 * @brief Auditor consistency (see sva_trend_auditors) from audits @p v sorted
 * by checklist, store, cycle and auditor. Free with sva_auditor_rows_free.
 * @return SVA_OK; SVA_ERR_USAGE for unsorted rows or a value that is not
 *         finite; SVA_ERR_NOMEM.
 */
sva_error sva_trend_auditors_compute(const sva_auditor_audit *v, size_t n,
                                     sva_auditor_row **out, size_t *nout, sva_diag *d);

/** One auditor's audits in one cell (a checklist at a store in a cycle). */
typedef struct sva_auditor_run {
    const char *checklist;
    const char *store;
    const char *cycle;
    const char *auditor;
    sva_stats_acc acc;     /**< their scores before the critical policy, n >= 1 */
} sva_auditor_run;

/**
 * @brief The same from the audits summed up per (cell, auditor): what a long
 * history is read as (a run per auditor and cell, not a row per audit).
 * @p r sorted by checklist, store, cycle, auditor, each key once.
 * @return SVA_OK; SVA_ERR_USAGE for unsorted or repeated keys or an empty run;
 *         SVA_ERR_NOMEM.
 */
sva_error sva_trend_auditors_runs(const sva_auditor_run *r, size_t n, sva_auditor_row **out,
                                  size_t *nout, sva_diag *d);

/* ---- employees rated over a rolling window -------------------------------------------- */

/** One audit whose subject is an employee. */
typedef struct sva_employee_audit {
    const char *employee;
    const char *name;
    const char *role;
    const char *store;     /**< the employee's store */
    const char *region;
    size_t cycle;          /**< index into the window, 0 = the oldest */
    double pct;            /**< audit % as it counts */
    bool failed;           /**< a critical item failed */
} sva_employee_audit;

/** An employee's rating over the window. */
typedef struct sva_employee_rating {
    char *employee, *name, *role, *store, *region;
    long n;                /**< audits in the window */
    long n_last;           /**< of them in the window's last cycle */
    long failed;           /**< audits with a failed critical item in the window */
    double mean;           /**< the employee's own mean audit % over the window */
    double store_mean;     /**< the mean of the store's employee audits in the window */
    double weight;         /**< n / (n + k): how far the rating moves from the store's mean */
    double rating;         /**< store_mean + weight (mean - store_mean) */
    bool rated;            /**< n >= min_audits; else "not rated" */
    long rank;             /**< among the store's rated employees by rating (ties share
                                the rank); 0 when not rated */
    bool best;             /**< the one highest rating of two or more rated at the store */
} sva_employee_rating;

/** The ratings of a window and the constants of their shrinkage. */
typedef struct sva_employee_ratings {
    sva_employee_rating *v; /**< by region, store; rated first by rating (best first), then
                                 the rest by mean; then employee */
    size_t n;
    double sigma_w;        /**< within-employee sd (pooled over employees with 2+ audits) */
    double tau;            /**< between-employee sd within stores (method of moments, >= 0) */
    double k;              /**< sigma_w^2 / tau^2 (INFINITY when tau is 0; 0 when no
                                within spread can be estimated: no shrinkage) */
    long min_audits;
    int cycles;            /**< the window's length */
} sva_employee_ratings;

/** The method of the ratings, as the outputs state it. Static text. */
extern const char SVA_TREND_EMPLOYEES_METHOD[];

/**
 * @brief Employees rated over the window (rows of any order): with one
 * mystery shop per person per cycle, one cycle never rates anyone, so an
 * employee's audits of the last cycles are pooled, and the mean is shrunk
 * toward the store's mean by the share n / (n + k), k = sigma_w^2 / tau^2
 * (empirical Bayes: a person with few audits is rated near the store, one
 * with many near their own mean). sigma_w^2 is the pooled within-employee
 * variance; tau^2 = max(0, S_b - sigma_w^2 mean(1/n)), S_b the pooled
 * variance of employee means around their store's mean of employee means.
 * Below @p min_audits an employee is "not rated". Free with
 * sva_employee_ratings_free.
 * @return SVA_OK; SVA_ERR_USAGE for min_audits < 1 or a value that is not
 *         finite; SVA_ERR_NOMEM.
 */
sva_error sva_trend_employees_compute(const sva_employee_audit *rows, size_t n, long min_audits,
                                      int cycles, sva_employee_ratings **out, sva_diag *d);

/**
 * @brief Employee ratings over the @p cycles cycles (>= 1; 3 is the usual)
 * ending with @p cycle, of @p region when given (NULL: all), from the audits
 * whose subject is an employee (not void, scorable), each employee at their
 * current store. See sva_trend_employees_compute.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle; SVA_ERR_USAGE;
 *         SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_employees(sva_db *db, const char *cycle, int cycles, const char *region,
                              long min_audits, sva_employee_ratings **out, sva_diag *d);
/** @brief Leave out of @p r the employees @p keep does not keep, after they
 *  were rated with everyone (the shrinkage's constants come from all), and
 *  rank again among those left, so nobody is ranked behind someone left out.
 *  @return how many were left out. */
size_t sva_employee_ratings_keep(sva_employee_ratings *r,
                                 bool (*keep)(const char *employee, void *user), void *user);
void sva_employee_ratings_free(sva_employee_ratings *r);

#endif

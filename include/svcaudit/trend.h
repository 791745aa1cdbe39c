/* svcaudit: QA trends (SPEC "Trends (QA)"): a metric cycle over cycle with
 * its significance, item moves, repeat failures and auditor consistency. */
#ifndef SVCAUDIT_TREND_H
#define SVCAUDIT_TREND_H

#include "svcaudit/db.h"
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
    bool has_change;           /**< false for the first cycle shown */
    sva_welch change;          /**< Welch on audit %: previous cycle -> this one */
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
} sva_trend;

/** What to follow; store and region may not both be given. */
typedef struct sva_trend_query {
    const char *metric;        /**< ssi, csi, 6s or a checklist id */
    const char *store;         /**< NULL: every store (of the region) */
    const char *region;        /**< NULL: every region */
    const char *last_cycle;    /**< NULL: the latest cycle */
    int cycles;                /**< how many cycles, ending with last_cycle; >= 1 */
} sva_trend_query;

/** The method, as the outputs state it. Static text. */
extern const char SVA_TREND_METHOD[];
extern const char SVA_TREND_ITEMS_METHOD[];
extern const char SVA_TREND_AUDITORS_METHOD[];

/**
 * @brief The series of @p q->metric: per cycle the audits' mean and sd, the
 * Welch test of the change from the cycle before (within those shown), and the
 * compliance rate on a p-chart whose centre line is the pooled rate of the
 * cycles shown. Caller frees *out with sva_trend_free.
 * @return SVA_OK; SVA_ERR_USAGE (cycles < 1, store and region both given);
 *         SVA_ERR_NOT_FOUND for an unknown metric, store, region or cycle
 *         (with a message in @p d); SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_series(sva_db *db, const sva_trend_query *q, sva_trend **out, sva_diag *d);
void sva_trend_free(sva_trend *t);

/** An item's compliance in one cycle against the cycle before. */
typedef struct sva_item_move {
    char *checklist;
    char *section;
    char *item;
    long passed_before, n_before;
    long passed_after, n_after;
    sva_prop_test test;        /**< before -> after, level SVA_STATS_ALPHA */
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
 * (two-proportion z-test). Free with sva_item_moves_free.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle, store or region,
 *         or a cycle with no cycle before it; SVA_ERR_USAGE for a store and a
 *         region; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_items(sva_db *db, const char *cycle, const char *store, const char *region,
                          sva_item_moves **out, sva_diag *d);
void sva_item_moves_free(sva_item_moves *m);

/** An item failing at a store in consecutive cycles up to the one asked for. */
typedef struct sva_repeat {
    char *store;
    char *region;
    char *checklist;
    char *item;
    char **cycles;             /**< the failing cycles, oldest first */
    size_t n_cycles;           /**< >= 2 */
    long failed;               /**< failed answers in the last cycle */
    long answered;             /**< answers in the last cycle */
    long n_actions;            /**< actions on the item at the store in those cycles */
    bool escalate;             /**< always true: a repeat failure is escalated */
} sva_repeat;

/**
 * @brief Repeat failures ending with @p cycle: a (store, checklist, item)
 * with at least one failed answer in @p cycle and in each of the cycles just
 * before it, two cycles or more in a row. Ordered by store, checklist, item.
 * Free with sva_repeats_free.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_repeats(sva_db *db, const char *cycle, sva_repeat **out, size_t *n,
                            sva_diag *d);
void sva_repeats_free(sva_repeat *v, size_t n);

/** One auditor against the others on the same checklists at the same stores. */
typedef struct sva_auditor_row {
    char *auditor;
    long audits;               /**< all the auditor's audits (in the cycle, if given) */
    sva_summary own;           /**< the auditor's audits that have a comparison */
    sva_summary others;        /**< the other auditors' audits of those checklists and stores */
    sva_auditor_cmp cmp;       /**< LENIENT, STRICT, CONSISTENT or INSUFFICIENT_N */
    long appeals;              /**< appeals of the auditor's audits (in the cycle, if given) */
    long upheld;               /**< of them, upheld: the audit was corrected */
} sva_auditor_row;

/**
 * @brief Auditor consistency in @p cycle (all cycles when NULL): for each
 * auditor, their audits of a (checklist, store) that another auditor also
 * audited, against those other auditors' audits of the same (checklist,
 * store); Welch via sva_stats_auditor. Ordered by auditor.
 * @return SVA_OK; SVA_ERR_NOT_FOUND for an unknown cycle; SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_trend_auditors(sva_db *db, const char *cycle, sva_auditor_row **out, size_t *n,
                             sva_diag *d);
void sva_auditor_rows_free(sva_auditor_row *v, size_t n);

#endif

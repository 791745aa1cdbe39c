/* svcaudit: analysis: the rules every output shows the result of (CLI
 * tables, CSV/JSON, the workbook): actual against target per store, region
 * and network, the status and its colour, section and item figures, employee
 * ranks. Pure code over the rows of facts.h: no database, no files, no
 * output, so each rule is tested on its own with hand-worked values. */
#ifndef SVCAUDIT_ANALYSIS_H
#define SVCAUDIT_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/checklist.h"
#include "svcaudit/facts.h"
#include "svcaudit/pdca.h"
#include "svcaudit/stats.h"

typedef enum sva_target_status {
    SVA_TARGET_MET,
    SVA_TARGET_MISSED,
    SVA_TARGET_NONE,   /**< an actual but no target */
    SVA_TARGET_NO_DATA /**< a target but no audits */
} sva_target_status;

const char *sva_target_status_name(sva_target_status s);

/** The one colour rule every output uses. */
typedef enum sva_colour {
    SVA_COLOUR_NONE,  /**< nothing to judge (no target) */
    SVA_COLOUR_GREEN,
    SVA_COLOUR_AMBER,
    SVA_COLOUR_RED,
    SVA_COLOUR_GREY   /**< a target but no data */
} sva_colour;

/** "green", "amber", "red", "grey" or "" (none). */
const char *sva_colour_name(sva_colour c);

/** How far below its target a figure may be and still be amber, in points. */
#define SVA_AMBER_POINTS 2.0
/** Heat-map bands for a figure without a target: green from, amber from. */
#define SVA_HEAT_GREEN 85.0
#define SVA_HEAT_AMBER 70.0

/** @brief Against a target: met is green; missed by SVA_AMBER_POINTS or less
 *  (gap >= -2.0) amber; missed by more red; no data grey; no target none. */
sva_colour sva_status_colour(sva_target_status s, double gap);
/** @brief A plain percentage without a target: >= 85 green, >= 70 amber, else red. */
sva_colour sva_heat_colour(double pct);

/** A figure judged against a target. */
typedef struct sva_judgement {
    sva_target_status status;
    double gap;          /**< the figure as shown (one decimal) - the target; 0 without both */
    sva_colour colour;   /**< by status and gap with a target; the heat bands without one */
} sva_judgement;

/** @brief The one verdict rule: the figure (when @p has) as shown, at one
 *  decimal, against the target (when @p has_target): met when it reaches it;
 *  without a target, the heat bands colour it. Status rows, section bars and
 *  report pages all judge through it. */
sva_judgement sva_judge(bool has, double pct, bool has_target, double target);

/** One line of a cycle's Check: a store (or region, or the network) and a metric. */
typedef struct sva_status_row {
    sva_scope scope;
    char *id;            /**< store id, region name, "" for the network */
    char *name;          /**< store name; region name; "network" */
    char *region;        /**< the store's region ("" if none) */
    char *metric;
    bool has_actual;
    double actual;       /**< mean audit % (store); mean over stores (region, network) */
    long n;              /**< audits behind a store figure; stores behind a region/network one */
    bool has_target;
    double target;       /**< the effective target */
    sva_scope target_from; /**< where it came from: store, else region, else network */
    double gap;          /**< actual - target, when both */
    sva_target_status status;
    sva_colour colour;   /**< sva_status_colour of status and gap */
    bool has_survey;     /**< imported customer survey (stores only), never mixed in */
    double survey;
    long respondents;
    bool has_reason;     /**< a reason is recorded for a missed target */
    long n_actions;      /**< actions at this store and cycle on this metric */
} sva_status_row;

/** Counts of one scope (the network, or one region) in a cycle. */
typedef struct sva_scope_counts {
    sva_scope scope;      /**< network or region */
    char *id;             /**< region name; "" for the network */
    long n_audits;        /**< non-void audits */
    long stores_audited;
    long stores_total;
    long actions_open;    /**< open, in progress or reopened (not carried on) */
    long actions_overdue; /**< of those, due before today */
    long actions_done;
    long actions_verified;
} sva_scope_counts;

typedef struct sva_cycle_status {
    char *cycle;
    char *from, *to;
    sva_cycle_state state;
    sva_status_row *rows; /**< stores (by region, id; metrics ssi, csi, 6s, then checklist
                                metrics with targets), then regions, then the network */
    size_t n_rows;
    long n_audits;        /**< the network's counts (also counts[0]) */
    long stores_audited;
    long stores_total;
    long actions_open;
    long actions_overdue;
    long actions_done;
    long actions_verified;
    sva_scope_counts *counts; /**< the network, then each region by name */
    size_t n_counts;
    /** Done actions of earlier cycles decided by this cycle's answers
     *  (sva_analysis_verifications): when the cycle is not closed, a preview
     *  of what its close will write; when closed, what its close wrote. */
    sva_verification *verifications;
    size_t n_verifications;
    bool verifications_applied; /**< the cycle is closed: they were written */
    long appeals_open;    /**< appeals of the cycle's audits not resolved (block the close) */
    long appeals_upheld;
    long appeals_rejected;
} sva_cycle_status;

/**
 * @brief Actual against target for every store, region and the network of
 * the cycle in @p f. Store actual for ssi/csi/6s = the mean audit % of the
 * store's non-void scorable audits whose checklist feeds that index; for a
 * checklist metric, of that checklist's audits. Region and network = the mean
 * over stores with a figure (each store once), with the number of stores.
 * Effective target: store, else region, else network. Met = actual >= target.
 * @param today for overdue actions (YYYY-MM-DD).
 * @return SVA_OK or SVA_ERR_NOMEM. Free with sva_cycle_status_free.
 */
sva_error sva_analysis_status(const sva_cycle_facts *f, const char *today,
                              sva_cycle_status **out);
void sva_cycle_status_free(sva_cycle_status *s);

/**
 * @brief The Act step's rule for done actions: an action with answers on its
 * item (or section) at its store in a later cycle is verified when none of
 * them failed, reopened when one did; one without answers there is not
 * decided (left out). Pure: the store writes the result when that later
 * cycle closes (sva_db_cycle_close). Free with sva_verifications_free.
 * @return SVA_OK or SVA_ERR_NOMEM.
 */
sva_error sva_analysis_verifications(const sva_verify_fact *f, size_t n,
                                     sva_verification **out, size_t *n_out);

/** @brief Each revision's score change from the one before (has_change when
 *  both have a score), revisions oldest first as sva_db_audit_revisions gives
 *  them. */
void sva_analysis_revisions(sva_audit_revision *v, size_t n);

/** @brief The row of (scope, id, metric); NULL if none. id "" for the network. */
const sva_status_row *sva_status_find(const sva_cycle_status *s, sva_scope scope,
                                      const char *id, const char *metric);
/** @brief The counts of the network (region NULL) or of a region; NULL if none. */
const sva_scope_counts *sva_status_counts(const sva_cycle_status *s, const char *region);

/* ---- detail figures ------------------------------------------------------------------ */

/** Mean section % of one checklist's audits per store (6S heat map, radar). */
typedef struct sva_section_mean {
    const char *store;   /**< borrowed from the facts */
    const char *section;
    double pct;          /**< mean section % */
    sva_colour colour;   /**< heat colour */
    long n;              /**< audits with the section scorable */
} sva_section_mean;

/** @brief Section means from section facts (same order). Free the array with free(). */
sva_error sva_analysis_section_means(const sva_fact *f, size_t n, sva_section_mean **out);

/** One line of the 6S radar: a section's mean over the stores in scope and
 *  its value at the best and the worst store (by 6S actual). */
typedef struct sva_radar_row {
    const char *section;  /**< section id (the checklist's order) */
    bool has_scope;
    double scope;         /**< mean of the stores' section means */
    bool has_best, has_worst;
    double best, worst;
} sva_radar_row;

typedef struct sva_radar {
    const char *best;     /**< store id (borrowed), NULL if no store has a 6S figure */
    const char *worst;
    sva_radar_row *rows;  /**< one per section of the checklist */
    size_t n;
} sva_radar;

/** @brief The radar of checklist @p six over the store rows of @p cs in
 *  @p region (NULL: all) and the section means @p sm. Free with sva_radar_free. */
sva_error sva_analysis_radar(const sva_cycle_status *cs, const char *region,
                             const sva_checklist *six, const sva_section_mean *sm, size_t n_sm,
                             sva_radar *out);
void sva_radar_free(sva_radar *r);

/** How often an item passed, over a cycle's non-void audits (N/A left out). */
typedef struct sva_item_compliance {
    const sva_item_fact *fact; /**< checklist, version, section, item and the counts */
    double pct;          /**< passed / answered x 100 */
    sva_colour colour;   /**< heat colour */
} sva_item_compliance;

/** @brief Item compliance, weakest first (lowest rate, then most answers,
 *  then checklist and item). Free the array with free(). */
sva_error sva_analysis_item_compliance(const sva_item_fact *f, size_t n,
                                       sva_item_compliance **out);

/** An employee's mean over the audits whose subject is that employee. */
typedef struct sva_employee_score {
    const sva_employee_fact *fact;
    double pct;          /**< mean audit % */
    bool rated;          /**< n >= the minimum */
    long rank;           /**< place among the store's rated employees (1 = best); 0 unrated */
    bool best_in_store;  /**< rank 1 of more than one rated */
    sva_colour colour;   /**< heat colour when rated, grey when not */
} sva_employee_score;

/** @brief Scores ordered by region, store, then mean (best first), then id,
 *  with ranks among those with at least @p min_audits audits. Free with free(). */
sva_error sva_analysis_employee_scores(const sva_employee_fact *f, size_t n, long min_audits,
                                       sva_employee_score **out);

/** The Act step of a cycle in one scope: what is missing for the close, and
 *  how the actions are going. */
typedef struct sva_act {
    long missed;             /**< store targets missed */
    long no_reason;          /**< of them, without a reason */
    long no_action;          /**< of them, without an action on the metric */
    long open;               /**< actions open now: this cycle's and earlier cycles' */
    long open_earlier;       /**< of them, from earlier cycles (never carried on) */
    long overdue;            /**< of the open ones, due before today */
    long overdue_age[3];     /**< of those, overdue by 1-7, 8-30, more than 30 days */
    const char *oldest_due;  /**< the earliest due date of the overdue (borrowed), NULL */
    long actions;            /**< this cycle's actions (those carried on count in the next) */
    long completed;          /**< of them, done or verified */
    long due_completed;      /**< completed ones that had a due date */
    long on_time;            /**< of those, first marked done on or before the due date */
} sva_act;

/** @brief The Act figures of @p region (NULL: the network) from the cycle's
 *  status rows and its actions (sva_db_act_facts), as of @p today. */
void sva_analysis_act(const sva_cycle_status *cs, const char *region, const sva_act_fact *v,
                      size_t n, const char *today, sva_act *out);

/** @brief The days from @p from to @p to (YYYY-MM-DD each; to - from); 0 when
 *  either is not a date. */
long sva_days_between(const char *from, const char *to);

/** @brief A store's worst gap among @p rows (the most negative; only rows with
 *  an actual and a target count); false when none has both. */
bool sva_worst_gap(const sva_status_row *const *rows, size_t n, double *gap);

/** A store's tests over a window of cycles: the change of its audit % from the
 *  cycle before (Welch) and its compliance on the window's p-chart. */
typedef struct sva_store_qa {
    bool has_change;
    sva_welch change;
    bool has_pchart;
    sva_pchart_point last;  /**< the last cycle's point */
} sva_store_qa;

/** @brief The tests of (@p store, @p metric) over @p nc cycles of summaries,
 *  oldest first (sums[i] sorted, as sva_db_store_summaries gives them). The
 *  p-chart takes the cycles where the store has answers; the change compares
 *  the last two cycles when the store has audits in both. */
void sva_analysis_store_qa(const sva_store_summary *const *sums, const size_t *nsums, size_t nc,
                           const char *store, const char *metric, sva_store_qa *out);

#endif

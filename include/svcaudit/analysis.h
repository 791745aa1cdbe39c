/* svcaudit: analysis: the numbers everyone shows (CLI text, CSV/JSON, the
 * workbook): actual against target per store, region and network, computed
 * once, from the stored audit scores. */
#ifndef SVCAUDIT_ANALYSIS_H
#define SVCAUDIT_ANALYSIS_H

#include "svcaudit/db.h"
#include "svcaudit/pdca.h"

typedef enum sva_target_status {
    SVA_TARGET_MET,
    SVA_TARGET_MISSED,
    SVA_TARGET_NONE,   /**< an actual but no target */
    SVA_TARGET_NO_DATA /**< a target but no audits */
} sva_target_status;

const char *sva_target_status_name(sva_target_status s);

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
    bool has_survey;     /**< imported customer survey (stores only), never mixed in */
    double survey;
    long respondents;
    bool has_reason;     /**< a reason is recorded for a missed target */
    long n_actions;      /**< actions at this store and cycle on this metric */
} sva_status_row;

/** A done action checked against a later cycle's results. */
typedef struct sva_verification {
    long long action_id;
    char *store;
    char *what;          /**< "checklist item X" or "checklist section S" */
    bool confirmed;      /**< true: verified (now passes); false: reopened (failed again) */
    long n_answers;      /**< answers (items) looked at */
    long n_failed;
} sva_verification;

typedef struct sva_cycle_status {
    char *cycle;
    char *from, *to;
    sva_cycle_state state;
    sva_status_row *rows; /**< stores (by region, id; metrics ssi, csi, 6s, then checklist
                                metrics with targets), then regions, then the network */
    size_t n_rows;
    long n_audits;
    long stores_audited;
    long stores_total;
    long actions_open;    /**< open, in progress or reopened */
    long actions_overdue;
    long actions_done;
    long actions_verified;
    sva_verification *verifications; /**< filled by sva_pdca_verify_actions */
    size_t n_verifications;
} sva_cycle_status;

/**
 * @brief Actual against target for every store, region and the network in
 * @p cycle. Store actual for ssi/csi/6s = the mean audit % of the store's
 * non-void scorable audits whose checklist feeds that index; for a checklist
 * metric, of that checklist's audits. Region and network = the mean over
 * stores with a figure (each store once), with the number of stores.
 * Effective target: store, else region, else network. Met = actual >= target.
 * @param today for overdue actions (YYYY-MM-DD; NULL = today).
 */
sva_error sva_analysis_cycle_status(sva_db *db, const char *cycle, const char *today,
                                    sva_cycle_status **out, sva_diag *d);
void sva_cycle_status_free(sva_cycle_status *s);

/**
 * @brief The Act step's check: every done action (of an earlier cycle) that
 * names an item or section, at a store with results for it in @p cycle, is
 * verified when every answer to the item passed there (for a section: every
 * answered item of it), reopened otherwise. The status change is stored with
 * a history line naming the cycle; an action reopened in a closed cycle is
 * carried into @p cycle, so it is worked on there. Results are appended to @p st.
 */
sva_error sva_pdca_verify_actions(sva_db *db, const char *cycle, sva_cycle_status *st,
                                  sva_diag *d);

/* ---- detail figures for the workbook (and later the trend commands) -------------- */

/** Mean section % of one checklist's audits per store (6S heat map, radar). */
typedef struct sva_section_mean {
    char *store;
    char *section;
    double pct;          /**< mean section %, one decimal */
    long n;              /**< audits with the section scorable */
} sva_section_mean;

sva_error sva_analysis_section_means(sva_db *db, const char *cycle, const char *checklist,
                                     const char *region, sva_section_mean **out, size_t *n,
                                     sva_diag *d);
void sva_section_means_free(sva_section_mean *v, size_t n);

/** How often an item passed, over a cycle's non-void audits (N/A left out). */
typedef struct sva_item_compliance {
    char *checklist;
    long version;        /**< the latest version used in the cycle */
    char *section;
    char *item;
    long answered;
    long passed;
    double pct;          /**< passed / answered x 100, one decimal */
    long stores;         /**< stores with an answer */
    long stores_failing; /**< stores with at least one failed answer */
} sva_item_compliance;

/** @brief Item compliance, weakest first (lowest %, then most answers). */
sva_error sva_analysis_item_compliance(sva_db *db, const char *cycle, const char *region,
                                       sva_item_compliance **out, size_t *n, sva_diag *d);
void sva_item_compliance_free(sva_item_compliance *v, size_t n);

/** An employee's mean over the audits whose subject is that employee. */
typedef struct sva_employee_score {
    char *employee;
    char *name;
    char *store;
    char *region;
    char *role;
    long n;              /**< audits */
    double pct;          /**< mean audit %, one decimal */
    long failed;         /**< audits with a failed critical item */
} sva_employee_score;

/** @brief Per employee, ordered by store then mean % (best first). */
sva_error sva_analysis_employee_scores(sva_db *db, const char *cycle, const char *region,
                                       sva_employee_score **out, size_t *n, sva_diag *d);
void sva_employee_scores_free(sva_employee_score *v, size_t n);

/** One answered item, for the Data sheet; valid only during the callback. */
typedef struct sva_answer_row {
    long long audit;
    const char *date, *cycle, *region, *store, *employee, *checklist, *auditor;
    long version;
    const char *section, *item;
    bool na;
    int value;
    double points, max;
    int passed;          /**< -1 for N/A */
    const char *note, *evidence;
} sva_answer_row;

/** Return non-zero from the callback to stop (the call then returns SVA_ERR_IO). */
typedef int (*sva_answer_cb)(const sva_answer_row *row, void *ctx);

/** @brief Stream every answer of a cycle's non-void audits (of @p region, when
 *  given), in store, audit, then item order, in bounded memory (that is the
 *  order of the audit_cycle_store index: no sort of a million rows). */
sva_error sva_db_answer_rows(sva_db *db, const char *cycle, const char *region,
                             sva_answer_cb cb, void *ctx, sva_diag *d);

/** One store's audits on one metric in one cycle, for tests of change. */
typedef struct sva_store_summary {
    char *store;
    char *metric;        /**< ssi, csi, 6s (by feeds) or a checklist id */
    long n;              /**< scorable non-void audits */
    double mean, sd;     /**< of audit %, sd with n - 1 (0 when n < 2) */
    long answered;       /**< answers that pass or fail (N/A left out) */
    long passed;
} sva_store_summary;

/** @brief Per store and metric of @p cycle (of @p region when given), one
 *  grouped query each for audits and answers: cheap for thousands of stores.
 *  Sorted by store, then metric. */
sva_error sva_analysis_store_summaries(sva_db *db, const char *cycle, const char *region,
                                       sva_store_summary **out, size_t *n, sva_diag *d);
void sva_store_summaries_free(sva_store_summary *v, size_t n);
const sva_store_summary *sva_store_summary_find(const sva_store_summary *v, size_t n,
                                                const char *store, const char *metric);

/** @brief A value kept in the database's meta table (NULL if none); caller frees. */
char *sva_db_meta_get(sva_db *db, const char *key);

#endif

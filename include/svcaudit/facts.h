/* svcaudit: facts: the rows the analysis reads, fetched from the store in a
 * few grouped queries. Sums and counts only, never a rounded figure or a
 * verdict: every rule (means, targets, status, colours, ranks) is applied by
 * the pure code of analysis.h over these rows. */
#ifndef SVCAUDIT_FACTS_H
#define SVCAUDIT_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/db.h"
#include "svcaudit/error.h"
#include "svcaudit/pdca.h"

/** A store's figure on one metric: the sum of its parts and how many. For
 *  audits: sum of audit %, n audits (scorable, not void). For surveys: the
 *  value and its respondents. For reasons: present (n = 1). For actions: the
 *  number of actions on that metric. */
typedef struct sva_fact {
    char *store;
    char *metric;
    double sum;
    long n;
} sva_fact;

/** One action of a cycle, as the counts need it. */
typedef struct sva_action_fact {
    char *store;
    sva_action_status status;
    char *due;          /**< NULL when none */
    bool carried;       /**< carried into a later cycle (counted there) */
} sva_action_fact;

/** A done action of an earlier cycle that names an item or a section,
 *  beside a cycle's answers on it at its store: what decides whether the
 *  cycle's answers verify or reopen it (sva_analysis_verifications). */
typedef struct sva_verify_fact {
    long long action_id;
    char *store;
    char *checklist;
    char *item;         /**< NULL when it names a section */
    char *section;
    long n_answers;     /**< answers to it there that pass or fail (N/A left out) */
    long n_failed;
} sva_verify_fact;

/** Everything one cycle's status is computed from. Arrays are sorted by
 *  (store, metric) so the analysis can binary-search them. */
typedef struct sva_cycle_facts {
    sva_cycle cycle;
    sva_store *stores;          /**< the organisation, by region then id */
    size_t n_stores;
    sva_target *targets;        /**< network, then regions, then stores */
    size_t n_targets;
    sva_fact *audits;           /**< metric = index fed (ssi, csi, 6s) or checklist id */
    size_t n_audits;
    sva_fact *surveys;          /**< sum = the survey value, n = respondents */
    size_t n_surveys;
    sva_fact *reasons;
    size_t n_reasons;
    sva_fact *actions;          /**< n = actions on the metric */
    size_t n_actions;
    sva_fact *audit_counts;     /**< metric "": non-void audits per store, scorable or not */
    size_t n_audit_counts;
    sva_action_fact *action_list;
    size_t n_action_list;
    /** Done actions of earlier cycles against this cycle's answers. Of a cycle
     *  that is not closed: those done now (what its close would decide); of a
     *  closed one: those its close decided, with the counts it decided on. */
    sva_verify_fact *verify;
    size_t n_verify;
    long appeals_open;          /**< appeals of the cycle's audits not yet resolved */
    long appeals_upheld;        /**< resolved: upheld (the audit corrected) */
    long appeals_rejected;      /**< resolved: rejected (the audit stands) */
} sva_cycle_facts;

/**
 * @brief Fetch the facts of @p cycle (one read transaction).
 * @return SVA_OK; SVA_ERR_NOT_FOUND (unknown cycle, with a message);
 *         SVA_ERR_DB, SVA_ERR_NOMEM. Free with sva_cycle_facts_free.
 */
sva_error sva_db_cycle_facts(sva_db *db, const char *cycle, sva_cycle_facts **out,
                             sva_diag *d);
void sva_cycle_facts_free(sva_cycle_facts *f);
void sva_verify_facts_free(sva_verify_fact *v, size_t n);

/** @brief The verify facts of @p cycle alone (see sva_cycle_facts.verify). */
sva_error sva_db_verify_facts(sva_db *db, const char *cycle, sva_verify_fact **out, size_t *n,
                              sva_diag *d);

/** @brief Sort facts by (store, metric), as sva_fact_find needs them. */
void sva_facts_sort(sva_fact *v, size_t n);
/** @brief The fact for (store, metric) in a sorted array; NULL if none. */
const sva_fact *sva_fact_find(const sva_fact *v, size_t n, const char *store,
                              const char *metric);

/** Section sums of one checklist's audits per store (6S heat map, radar):
 *  metric = the section id, sum of section %, n audits with it scorable. */
sva_error sva_db_section_facts(sva_db *db, const char *cycle, const char *checklist,
                               const char *region, sva_fact **out, size_t *n, sva_diag *d);
void sva_facts_free(sva_fact *v, size_t n);

/** How often an item was answered and passed in a cycle (N/A left out). */
typedef struct sva_item_fact {
    char *checklist;
    long version;        /**< the latest version used in the cycle */
    char *section;       /**< the item's section in that version */
    char *item;
    long answered;
    long passed;
    long stores;         /**< stores with an answer */
    long stores_failing; /**< stores with at least one failed answer */
    char *failing;       /**< those stores' ids, "A, B, C" (the first 30, then "...") */
} sva_item_fact;

/** @brief Per (checklist, item) of the cycle's non-void audits (of @p
 *  region when given), in no particular order. */
sva_error sva_db_item_facts(sva_db *db, const char *cycle, const char *region,
                            sva_item_fact **out, size_t *n, sva_diag *d);
void sva_item_facts_free(sva_item_fact *v, size_t n);

/** An employee's audits in a cycle (those whose subject is the employee). */
typedef struct sva_employee_fact {
    char *employee;
    char *name;
    char *store;
    char *region;
    char *role;
    long n;              /**< scorable non-void audits */
    double sum;          /**< of their audit % */
    long failed;         /**< audits with a failed critical item */
} sva_employee_fact;

sva_error sva_db_employee_facts(sva_db *db, const char *cycle, const char *region,
                                sva_employee_fact **out, size_t *n, sva_diag *d);
void sva_employee_facts_free(sva_employee_fact *v, size_t n);

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
 *  grouped query: cheap for thousands of stores. Sorted by store, metric. */
sva_error sva_db_store_summaries(sva_db *db, const char *cycle, const char *region,
                                 sva_store_summary **out, size_t *n, sva_diag *d);
void sva_store_summaries_free(sva_store_summary *v, size_t n);
void sva_store_summaries_sort(sva_store_summary *v, size_t n);
const sva_store_summary *sva_store_summary_find(const sva_store_summary *v, size_t n,
                                                const char *store, const char *metric);

/** An action as the Act step's figures need it: the cycle's own actions and
 *  the open ones of earlier cycles (a backlog that nobody carried on). */
typedef struct sva_act_fact {
    long long id;
    char *cycle;
    char *store;
    char *region;
    sva_action_status status;
    char *due;           /**< YYYY-MM-DD, NULL when none */
    char *done_at;       /**< when it was first marked done (YYYY-MM-DD...), NULL if never */
    bool carried;        /**< carried into a later cycle (counted there) */
    bool this_cycle;     /**< of the cycle asked for; else an earlier one's, still open */
} sva_act_fact;

/** @brief The actions of @p cycle and the open, uncarried ones of earlier
 *  cycles (of @p region when given), by id. */
sva_error sva_db_act_facts(sva_db *db, const char *cycle, const char *region,
                           sva_act_fact **out, size_t *n, sva_diag *d);
void sva_act_facts_free(sva_act_fact *v, size_t n);

/** One answered item, for the Data sheet; valid only during the callback. */
typedef struct sva_answer_row {
    long long audit;
    const char *date, *cycle, *region, *store, *employee, *checklist, *auditor;
    long version;
    long item_no;        /**< the item's index in that checklist version */
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

/** @brief A value kept in the database's meta table (NULL if none); caller frees. */
char *sva_db_meta_get(sva_db *db, const char *key);

#endif

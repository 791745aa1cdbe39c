/* svcaudit: the report model: everything one cycle's outputs show, gathered
 * once (facts from the store, figures from the pure analysis and trend code,
 * privacy applied), so the CLI's tables, CSV and JSON, the workbook and the
 * reports only lay it out and never compute a figure of their own. */
#ifndef SVCAUDIT_REPORT_H
#define SVCAUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/analysis.h"
#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/error.h"
#include "svcaudit/facts.h"
#include "svcaudit/pdca.h"
#include "svcaudit/plan.h"
#include "svcaudit/stats.h"
#include "svcaudit/trend.h"

/** How employee results appear (SPEC.md: Privacy). */
typedef enum sva_privacy {
    SVA_PRIVACY_FULL,         /**< names and ids */
    SVA_PRIVACY_PSEUDONYMOUS, /**< a stable pseudonym per employee and salt, no name */
    SVA_PRIVACY_NONE          /**< no per-employee results at all */
} sva_privacy;

/** @brief The pseudonym of employee @p id under @p salt ("P-" + 8 hex digits). */
void sva_pseudonym(const char *salt, const char *id, char out[16]);

/** What a report covers and how it shows people. */
typedef struct sva_report_opts {
    const char *cycle;
    const char *region;        /**< only this region (NULL = the whole network) */
    sva_privacy employees;
    const char *salt;          /**< pseudonym salt; NULL = the database's own */
    long min_audits;           /**< employees below this are "not rated" (0: 2) */
    int rating_cycles;         /**< employees are rated over this many cycles (0: 3) */
    const char *lang;          /**< checklist texts in this language (NULL = English) */
    const char *today;         /**< for overdue actions (NULL = today) */
    int trend_cycles;          /**< cycles in the trend window (0: 6) */
    int chart_stores;          /**< past twice this many stores, the charts show the
                                    worst and the best this many (0: 10) */
    long min_group;            /**< pseudonymous: an employee whose role has fewer
                                    people than this at the store is not shown one by
                                    one (the role would name them) (0: 3) */
    const sva_catalog *cat;    /**< checklist texts and the 5W1H form (may be NULL) */
} sva_report_opts;

/** The three indexes every report leads with, in this order. */
#define SVA_N_INDEXES 3
extern const char *const SVA_INDEXES[SVA_N_INDEXES];      /**< "ssi", "csi", "6s" */
extern const char *const SVA_INDEX_NAMES[SVA_N_INDEXES];  /**< "SSI", "CSI", "6S" */

/** A figure beside its value in the cycle before (within the window). */
typedef struct sva_report_fig {
    const sva_status_row *row; /**< NULL when the scope has no such row */
    bool has_change;
    double change;             /**< actual - the previous cycle's actual */
} sva_report_fig;

/** One store of the Dashboard's table: its three indexes. */
typedef struct sva_report_store {
    const sva_status_row *store; /**< its ssi row (id, name, region) */
    sva_report_fig fig[SVA_N_INDEXES];
    long audits;                 /**< its non-void audits in the cycle */
    long audits_row;             /**< where its first audit stands on the Audits sheet
                                      (1 = the first row under the header); 0: none */
} sva_report_store;

/** One region of the KPI block. */
typedef struct sva_report_region {
    const char *region;
    sva_report_fig fig[SVA_N_INDEXES];
    const sva_scope_counts *counts;
} sva_report_region;

/** One fact of the headline: what needs doing, most urgent first. */
typedef struct sva_report_headline {
    sva_colour colour;           /**< red: act now; amber: look at it; green: all well */
    const char *text;            /**< in the report's language */
} sva_report_headline;

#define SVA_MAX_HEADLINES 5

/** One store of the 6S heat map. */
typedef struct sva_report_heat {
    const sva_status_row *row;   /**< the store's 6s row */
    sva_colour colour;           /**< its 6S figure's colour against its target */
    const sva_section_mean **sections; /**< per section of the checklist; NULL where none */
} sva_report_heat;

/** One item of the Service standards. */
typedef struct sva_report_item {
    const sva_item_compliance *c;
    const char *text;            /**< the standard in the report's language; "" if unknown */
    const char *section;         /**< the section's title, else its id */
    bool moved;                  /**< a significant move since the cycle before */
    sva_verdict move;            /**< improved or declined, when moved */
} sva_report_item;

/** One employee rated over the window, privacy applied. */
typedef struct sva_report_employee {
    const sva_employee_rating *s;
    sva_colour colour;           /**< the rating's heat colour; grey when not rated */
    const char *label;           /**< "Name (id)", a pseudonym; never empty */
    const char *role;            /**< in the report's language where the catalogue
                                      knows it */
    const char *note;            /**< "not rated: ...", "best in store" or "" */
} sva_report_employee;

/** One action of the register, privacy applied to its free text. */
typedef struct sva_report_action {
    const sva_action *a;
    const char *about;           /**< "checklist item" or "checklist section S", "" */
    const char *owner;           /**< scrubbed */
    const char *carried;         /**< "from #N", "to #N" or "" */
    const char **values;         /**< one per action column (scrubbed); NULL where none */
} sva_report_action;

/** A status row's trend over the window, from one scan per metric over every
 *  store, region and the network (trend.h: sva_trend_scan): the tests are
 *  many at once, so their verdicts control the false discovery rate. */
typedef struct sva_row_trend {
    bool has;                    /**< the scope has audits in the window */
    bool has_test;
    sva_welch test;              /**< this cycle's figure against the cycle before */
    double change_q;             /**< its BH-adjusted p (1: no test) */
    sva_verdict change_verdict;  /**< IMPROVED / DECLINED only when change_q <= the FDR */
    sva_slope window;            /**< the slope over the window (unadjusted) */
    double window_q;
    sva_verdict window_verdict;  /**< IMPROVING / DECLINING only when window_q <= the FDR */
    bool has_pchart;
    sva_pchart_point pchart;     /**< this cycle's compliance on the window's p-chart */
} sva_row_trend;

/**
 * @brief The trends of @p cs 's rows (of @p region when given: its stores and
 * itself) over the @p cycles cycles ending with its cycle: one scan per
 * metric. *out is aligned with cs->rows (a row out of scope has has =
 * false); free it with free().
 */
sva_error sva_status_trends(sva_db *db, const sva_cycle_status *cs, const char *region,
                            int cycles, sva_row_trend **out, sva_diag *d);

/** One row of the Trend sheet: a status row of this cycle across the window. */
typedef struct sva_report_trend {
    const sva_status_row *row;
    const sva_status_row **series; /**< the same row in each window cycle; NULL where none */
    bool has_change;
    double change;               /**< this cycle's actual - the previous one's */
    sva_row_trend t;             /**< its tests */
    double compliance, lcl, ucl; /**< this cycle's p-chart point as percentages */
} sva_report_trend;

/** Plans: the cycle's coverage in scope (plan.h). */
typedef struct sva_report_plans {
    const sva_coverage *cov;        /**< NULL when no plan is in force in the cycle */
    sva_cover_total total;          /**< the network's (or the region's) counts */
    const sva_cover_total **stores; /**< stores in scope that missed planned audits,
                                         most missed first */
    size_t n_stores;
    sva_cover_miss *missed;         /**< the missed list in scope (unit order) */
    const char **missed_employee;   /**< per missed run: the employee, privacy applied
                                         ("" for a store's plan, none, or not shown) */
    size_t n_missed;
} sva_report_plans;

typedef struct sva_report {
    sva_report_opts o;           /**< as given (strings borrowed from the caller) */
    const char *salt;            /**< the salt in use */
    sva_cycle *window;           /**< the trend window, oldest first; the cycle is last */
    size_t n_window;
    sva_cycle_status **statuses; /**< per window cycle */
    const sva_cycle_status *status; /**< this cycle's (the last of statuses) */
    const sva_scope_counts *counts; /**< of the network or the region */
    const sva_status_row **rows; /**< this cycle's status rows in scope, in status order */
    size_t n_rows;
    sva_report_fig kpi[SVA_N_INDEXES]; /**< the network's (or the region's) figures */
    sva_report_store *stores;    /**< the stores in scope, worst gap first (their lowest
                                      gap to a target on SSI, CSI or 6S), then by id */
    size_t n_stores;
    const sva_report_store **chart; /**< the stores the charts show: all of them, or the
                                         worst and the best o.chart_stores */
    size_t n_chart;
    bool chart_cut;              /**< the charts show only the worst and the best */
    sva_report_region *regions;  /**< per region (none in a region's report) */
    size_t n_regions;
    sva_report_headline headline[SVA_MAX_HEADLINES];
    size_t n_headline;
    sva_act act;                 /**< the Act step in scope */
    bool no_audits;              /**< nothing recorded in scope yet */
    /* 6S */
    const sva_checklist *six;    /**< the 6S checklist the cycle's audits used, else the
                                      catalog's; NULL when there is none */
    sva_section_mean *section_means;
    size_t n_section_means;
    sva_radar radar;
    sva_report_heat *heat;
    size_t n_heat;
    /* Service standards */
    sva_report_item *items;      /**< weakest first */
    size_t n_items;
    /* Employees (none with SVA_PRIVACY_NONE): rated over o.rating_cycles cycles */
    sva_employee_ratings *ratings;
    sva_report_employee *employees;
    size_t n_employees;
    size_t n_employees_hidden;   /**< pseudonymous: not shown one by one (their role
                                      is too small a group at their store) */
    /* Actions 5W1H */
    const char **action_columns; /**< the form's field labels (or the keys found) */
    sva_field_type *action_types; /**< each column's type (text without the form) */
    size_t n_action_columns;
    sva_report_action *actions;  /**< the cycle's, in scope */
    size_t n_actions;
    /* Trend, Repeats, Auditors */
    sva_report_trend *trend;     /**< one per status row in scope */
    size_t n_trend;
    const sva_repeat **repeats;  /**< in scope */
    size_t n_repeats;
    sva_auditor_row *auditors;   /**< over every cycle */
    size_t n_auditors;
    sva_report_plans plans;      /**< coverage of the cycle's plans */
    struct sva_report_priv *priv;
} sva_report;

/**
 * @brief Gather everything the outputs of cycle @p o->cycle show.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (unknown cycle, with a message);
 *         SVA_ERR_DB, SVA_ERR_NOMEM. Free with sva_report_free.
 */
sva_error sva_report_build(sva_db *db, const sva_report_opts *o, sva_report **out,
                           sva_diag *d);
void sva_report_free(sva_report *r);

/** @brief The cycle's status alone (what `cycle status` shows): the facts of
 *  @p cycle through sva_analysis_status. Free with sva_cycle_status_free. */
sva_error sva_analysis_cycle_status(sva_db *db, const char *cycle, const char *today,
                                    sva_cycle_status **out, sva_diag *d);

/** One audit of the cycle, privacy applied; valid during the callback. */
typedef struct sva_report_audit {
    const sva_audit *a;
    const char *employee;        /**< the label, "" for a store audit or privacy none */
    const char *store_name;
} sva_report_audit;

/** One answered item of the cycle, privacy applied, with what a pivot table
 *  needs beside it; valid during the callback. */
typedef struct sva_report_answer {
    const sva_answer_row *row;
    const char *employee;        /**< the label */
    const char *role;            /**< the employee's role ("" for none or privacy none) */
    const char *store_name;
    const char *section_title;   /**< in the report's language; the id when unknown */
    const char *item_text;       /**< in the report's language; "" when unknown */
    bool critical;
    bool yesno;                  /**< a yes/no item: the answer is a word, not a number */
    const char *answer;          /**< "yes", "no", "n/a" in the report's language; NULL
                                      for a number (row->value) */
    bool has_score;              /**< not N/A */
    double score;                /**< points / max x 100 */
    const char *note;            /**< scrubbed */
    const char *evidence;        /**< scrubbed */
    const char *evidence_file;   /**< the evidence as an absolute path to a file that
                                      exists here (a link); NULL otherwise */
} sva_report_answer;

/** @brief Stream the cycle's audits in scope, by store (id), date and audit
 *  id, in bounded memory (the order sva_report_store.audits_row counts in).
 *  A non-zero return from @p cb stops (then SVA_ERR_IO). */
sva_error sva_report_each_audit(sva_report *r, sva_db *db,
                                int (*cb)(const sva_report_audit *a, void *user), void *user,
                                sva_diag *d);
/** @brief Stream the cycle's answers in scope (store, audit, item order). */
sva_error sva_report_each_answer(sva_report *r, sva_db *db,
                                 int (*cb)(const sva_report_answer *a, void *user), void *user,
                                 sva_diag *d);

/* ---- the reports of one audit, one employee, one store (rendered as PDF by pdf.h) ------ */

/** What the per-audit, per-employee and per-store reports show, and how. */
typedef struct sva_reports_opts {
    sva_privacy employees;     /**< as the workbook: full, pseudonymous or none */
    const char *salt;          /**< pseudonym salt; NULL = the database's own */
    const char *lang;          /**< labels and checklist texts (NULL = English) */
    const char *today;         /**< for overdue actions (NULL = today) */
    const char *photos;        /**< the folder relative evidence files are in (NULL = the
                                    working folder) */
    long min_audits;           /**< employees below this in a cycle are "not rated" (0: 2) */
    int appeal_days;           /**< days a store has to query a result (0: 7) */
    const sva_catalog *cat;    /**< the 5W1H form, for the action's "what" (may be NULL) */
} sva_reports_opts;

/** The reports' shared state (the cycles' statuses, people, the scrubber), so a batch
 *  of audit reports gathers each cycle once. Opaque. */
typedef struct sva_reports sva_reports;

/* Every report below is valid on its own: it may outlive the context that made it. */

/**
 * @brief Start making reports from @p db with @p o (strings borrowed: they and @p db
 * must outlive the context). Reads only, from one snapshot of the store held
 * for the context's life (sva_db_read_begin; sva_reports_close ends it): an
 * audit recorded by another connection meanwhile is in all the reports made
 * (a batch's pages, its store's figures) or in none. A write on @p db itself
 * between two reports ends that snapshot (see sva_db_read_begin): the next
 * report begins a new one and gathers the cycles and employees again, so it
 * shows the write.
 * @return SVA_OK; SVA_ERR_USAGE (an unknown language); SVA_ERR_DB (the
 *         snapshot could not begin, or the employees, whom privacy scrubs from
 *         free text, could not be read); SVA_ERR_NOMEM. Free with
 *         sva_reports_close.
 */
sva_error sva_reports_open(sva_db *db, const sva_reports_opts *o, sva_reports **out,
                           sva_diag *d);
void sva_reports_close(sva_reports *ctx);

/** A picture named in an answer's evidence. */
typedef enum sva_photo_kind {
    SVA_PHOTO_NONE,  /**< not embedded: see the problem */
    SVA_PHOTO_JPEG,
    SVA_PHOTO_PNG
} sva_photo_kind;

typedef struct sva_report_photo {
    const char *name;          /**< the file as the auditor wrote it (privacy applied) */
    const char *file;          /**< where it was looked for (NULL when not found) */
    sva_photo_kind kind;
    int width, height;         /**< pixels, from the file's header */
    const char *problem;       /**< why it is not embedded, in the report's language
                                    ("file not found"...); "" when it is */
} sva_report_photo;

/** One line of "what went well" (recognition comes first on every report). */
typedef struct sva_report_point {
    const char *text;          /**< in the report's language */
    const char *detail;        /**< a second line (a note, the section), or "" */
    bool has_pct;
    double pct;                /**< the figure shown beside it */
} sva_report_point;

/** A section of an audit against the store's target. */
typedef struct sva_report_section {
    const char *title;         /**< in the report's language */
    bool scorable;
    double pct;
    sva_target_status status;  /**< against the audit's target (none without one) */
    sva_colour colour;         /**< against the target; the heat colour without one */
    long passed, answered;     /**< items (N/A left out) */
} sva_report_section;

/** An action in a report: what will be done, by whom, by when. */
typedef struct sva_report_todo {
    long long id;
    const char *item;          /**< the checklist item it addresses, or "" */
    const char *about;         /**< the item's (or section's) text, or the metric */
    const char *what;          /**< the action's "what" field (privacy applied), or "" */
    const char *owner;         /**< privacy applied; "" when none */
    const char *due;           /**< YYYY-MM-DD or "" */
    sva_action_status status;
    const char *status_text;   /**< the status in the report's language */
    bool overdue;
    bool on_finding;           /**< an audit's action listed under its failed item */
} sva_report_todo;

/** A failed item of an audit, with what the auditor wrote. */
typedef struct sva_report_finding {
    const char *item;          /**< the item's id */
    const char *section;       /**< the section's title */
    const char *text;          /**< the standard, in the report's language */
    const char *answer;        /**< "no", "1 / 4" */
    bool critical;
    const char *note;          /**< the auditor's note (privacy applied), or "" */
    const char *evidence;      /**< evidence words that name no picture (privacy applied) */
    sva_report_photo *photos;
    size_t n_photos;
    const sva_report_todo **actions; /**< the actions on this item (from the report's
                                           list of actions) */
    size_t n_actions;
} sva_report_finding;

/** One audit, on one page where it fits. */
typedef struct sva_audit_report {
    const char *lang;
    long long id;
    const char *checklist;     /**< id */
    const char *title;         /**< the checklist's title in the report's language */
    long version;
    const char *cycle, *store, *store_name, *region;
    const char *employee;      /**< the label; "" for a store audit and with privacy none */
    const char *auditor, *date;
    bool voided;
    const char *void_reason;
    bool scorable;
    double pct;                /**< as it counts (critical policy applied) */
    double raw_pct;
    bool failed;               /**< a critical item failed */
    bool zeroed;               /**< ...and the checklist's policy made the score 0 */
    long n_items, n_passed, n_failed, n_na;
    const char *metric;        /**< the target it is judged against ("ssi"...), or "" */
    bool has_target;
    double target, gap;        /**< the store's effective target in the cycle; pct - target */
    sva_target_status status;
    sva_colour colour;
    sva_report_section *sections;
    size_t n_sections;
    sva_report_point *went_well;
    size_t n_went_well;
    sva_report_finding *findings;  /**< in checklist order, critical ones first */
    size_t n_findings;
    sva_report_todo *actions;  /**< opened on this audit or on its failed items (those on a
                                    failed item also listed under it) */
    size_t n_actions;
    const char *appeal;        /**< how the store queries the result, in the report's language */
    sva_privacy privacy;
    struct sva_page_priv *priv;
} sva_audit_report;

/**
 * @brief Gather the report of audit @p id (a void audit too: it says so).
 * @return SVA_OK; SVA_ERR_NOT_FOUND (no such audit, with a message); SVA_ERR_DB,
 *         SVA_ERR_NOMEM. Free with sva_audit_report_free.
 */
sva_error sva_reports_audit(sva_reports *ctx, long long id, sva_audit_report **out,
                            sva_diag *d);
void sva_audit_report_free(sva_audit_report *r);

/**
 * @brief The ids of @p cycle's audits (at @p store when not NULL), void ones left out,
 * by id. Caller frees *ids.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (unknown cycle or store, with a message); SVA_ERR_DB.
 */
sva_error sva_reports_audit_ids(sva_reports *ctx, const char *cycle, const char *store,
                                long long **ids, size_t *n, sva_diag *d);

/** One cycle of an employee's trend. */
typedef struct sva_report_cycle {
    const char *cycle;
    long n;                    /**< the employee's scorable audits */
    bool has_pct;
    double pct;                /**< their mean audit % */
    bool rated;                /**< n >= min_audits */
    long rank;                 /**< among the store's rated employees (0: not rated) */
    bool best_in_store;
    bool has_store;
    double store_pct;          /**< the store's figure on the same metric */
    bool has_target;
    double target;             /**< the store's target on it */
} sva_report_cycle;

/** An item to coach: how often it failed over the window. */
typedef struct sva_report_coaching {
    const char *text;          /**< the standard, in the report's language */
    const char *section;       /**< its section's title */
    long failed, answered;
    double pct;                /**< passed / answered x 100 */
} sva_report_coaching;

/** One audit in a list (employee and store reports). */
typedef struct sva_report_audit_line {
    long long id;
    const char *date, *cycle;
    const char *title;         /**< the checklist's title */
    const char *employee;      /**< the label ("" for store audits, privacy none) */
    const char *auditor;
    bool scorable;
    double pct;
    bool failed;
} sva_report_audit_line;

/** One employee over the last cycles. */
typedef struct sva_employee_report {
    const char *lang;
    const char *employee;      /**< the label under the privacy mode (never empty) */
    const char *role, *store, *store_name, *region;
    const char *metric;        /**< the index their audits feed ("ssi"...), or "" if mixed */
    sva_report_cycle *trend;   /**< the window, oldest first; the last is the cycle asked */
    size_t n_trend;
    sva_report_point *went_well;
    size_t n_went_well;
    sva_report_coaching *coaching; /**< the items failed most, weakest first (at most 8) */
    size_t n_coaching;
    sva_report_audit_line *audits; /**< the employee's audits in the window, newest first */
    size_t n_audits;
    long min_audits;
    sva_privacy privacy;
    struct sva_page_priv *priv;
} sva_employee_report;

/**
 * @brief Gather the report of employee @p id over the @p cycles cycles (0: 6) ending with
 * @p cycle (NULL: the latest).
 * @return SVA_OK; SVA_ERR_USAGE (privacy none: there is no employee to show);
 *         SVA_ERR_NOT_FOUND (unknown employee or cycle); SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_reports_employee(sva_reports *ctx, const char *id, const char *cycle,
                               int cycles, sva_employee_report **out, sva_diag *d);
void sva_employee_report_free(sva_employee_report *r);

/** A store's figure on one metric against its target, beside the cycle before. */
typedef struct sva_report_figure {
    const sva_status_row *row;
    const char *name;          /**< "SSI", "CSI", "6S" or the checklist's title */
    bool has_change;
    double change;             /**< actual - the previous cycle's */
} sva_report_figure;

/** An item of a store's cycle, weakest first. */
typedef struct sva_report_weak {
    const char *text;          /**< the standard in the report's language */
    const char *section;
    const char *title;         /**< the checklist's title */
    long failed, answered;
    double pct;
    sva_colour colour;
    bool repeat;               /**< failing here in consecutive cycles: escalated */
} sva_report_weak;

/** One store in one cycle. */
typedef struct sva_store_report {
    const char *lang;
    const char *store, *store_name, *region;
    const char *cycle, *from, *to;
    sva_cycle_state state;
    const char *previous;      /**< the cycle before (for the changes), or "" */
    sva_report_figure *figures;
    size_t n_figures;
    sva_report_point *went_well;
    size_t n_went_well;
    sva_report_weak *weakest;  /**< items with a failure, weakest first (at most 10) */
    size_t n_weakest;
    sva_report_todo *actions;  /**< open, in progress or reopened, overdue first */
    size_t n_actions;
    sva_report_audit_line *audits; /**< the cycle's audits there, by date */
    size_t n_audits;
    sva_privacy privacy;
    struct sva_page_priv *priv;
} sva_store_report;

/**
 * @brief Gather the report of store @p id in @p cycle.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (unknown store or cycle); SVA_ERR_DB, SVA_ERR_NOMEM.
 */
sva_error sva_reports_store(sva_reports *ctx, const char *id, const char *cycle,
                            sva_store_report **out, sva_diag *d);
void sva_store_report_free(sva_store_report *r);

#endif

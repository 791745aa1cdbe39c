/* svcaudit: scoring, a pure module (no I/O): answers -> item points,
 * section %, audit %, critical failure. The rules are SPEC.md's "Scoring
 * rules"; record, audit show and the exporter all call this one module. */
#ifndef SVCAUDIT_SCORE_H
#define SVCAUDIT_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/checklist.h"
#include "svcaudit/error.h"

/** One answer to one item. value: yes = 1, no = 0; numeric scales 0..max. */
typedef struct sva_answer {
    bool answered;   /**< false = not answered yet (blocks submission) */
    bool na;         /**< N/A (only where the item allows it) */
    int value;       /**< meaningful when answered && !na */
    char *note;      /**< may be NULL */
    char *evidence;  /**< photo/file path(s), may be NULL */
} sva_answer;

typedef struct sva_item_score {
    bool na;         /**< left out of points and maximum */
    double points;   /**< weight x value / max */
    double max;      /**< weight (0 when N/A) */
    bool passed;     /**< value reaches half the scale: yes; 2+ of 0-4; 3+ of 0-5; 5+ of 0-10 */
} sva_item_score;

typedef struct sva_section_score {
    double points;
    double max;
    bool scorable;   /**< at least one item not N/A */
    double pct;      /**< points / max x 100 when scorable */
} sva_section_score;

typedef struct sva_score {
    size_t n_items;
    sva_item_score *items;       /**< n_items, in checklist item order */
    size_t n_sections;
    sva_section_score *sections; /**< in checklist section order */
    bool scorable;               /**< false when every item is N/A: no audit % */
    double raw_pct;              /**< audit % before the critical policy */
    double pct;                  /**< audit % as it counts (0 if FAILED under policy zero) */
    bool failed;                 /**< a critical item failed */
    size_t n_failed_critical;
    size_t n_na;
    double points, max;          /**< pooled over all items */
} sva_score;

/** @brief Does this answer pass (half the scale or more)? N/A and unanswered do not. */
bool sva_answer_passes(const sva_item *it, const sva_answer *a);

/**
 * @brief Score @p answers (one per checklist item, in item order). Unanswered
 * items count as N/A here, so a live score can be shown during a walk; the
 * audit module (audit.h) checks the answers before they are submitted.
 * @return SVA_OK or SVA_ERR_NOMEM. Caller frees with sva_score_free.
 */
sva_error sva_score_compute(const sva_checklist *cl, const sva_answer *answers,
                            sva_score *out);

/** @brief Free the arrays of a score; the struct itself is the caller's. */
void sva_score_free(sva_score *s);

#endif

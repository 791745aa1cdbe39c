/* svcaudit: scoring (SPEC.md "Scoring rules"), pure: no I/O, no globals.
 * item points = weight x value / max; N/A leaves the item out of both points
 * and max; section % = points / max x 100; audit % = weighted mean of section %
 * by section weight when sections have weights (unscorable sections drop out
 * and the rest re-normalise), else pooled points / pooled max x 100. */
#include "svcaudit/score.h"

#include <stdlib.h>
#include <string.h>

bool sva_answer_passes(const sva_item *it, const sva_answer *a)
{
    if (!a->answered || a->na)
        return false;
    return 2 * a->value >= it->scale.max;
}

void sva_score_free(sva_score *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->sections);
    s->items = NULL;
    s->sections = NULL;
}

sva_error sva_score_compute(const sva_checklist *cl, const sva_answer *answers, sva_score *out)
{
    memset(out, 0, sizeof *out);
    out->items = calloc(cl->n_items ? cl->n_items : 1, sizeof *out->items);
    out->sections = calloc(cl->n_sections ? cl->n_sections : 1, sizeof *out->sections);
    if (!out->items || !out->sections) {
        sva_score_free(out);
        return SVA_ERR_NOMEM;
    }
    out->n_items = cl->n_items;
    out->n_sections = cl->n_sections;
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        const sva_answer *a = &answers[i];
        sva_item_score *is = &out->items[i];
        if (!a->answered || a->na) {
            is->na = true;
            out->n_na++;
            continue;
        }
        int v = a->value < 0 ? 0 : a->value > it->scale.max ? it->scale.max : a->value;
        is->max = it->weight;
        is->points = it->weight * (double)v / (double)it->scale.max;
        is->passed = sva_answer_passes(it, a);
        sva_section_score *ss = &out->sections[it->section];
        ss->points += is->points;
        ss->max += is->max;
        ss->scorable = true;
        out->points += is->points;
        out->max += is->max;
        if (it->critical && !is->passed) {
            out->failed = true;
            out->n_failed_critical++;
        }
    }
    bool weighted = cl->n_sections > 0 && cl->sections[0].has_weight;
    double wsum = 0, acc = 0;
    for (size_t s = 0; s < cl->n_sections; s++) {
        sva_section_score *ss = &out->sections[s];
        if (!ss->scorable || ss->max <= 0)
            continue;
        ss->pct = ss->points / ss->max * 100.0;
        if (weighted) {
            acc += cl->sections[s].weight * ss->pct;
            wsum += cl->sections[s].weight;
        }
    }
    if (weighted && wsum > 0) {
        out->scorable = true;
        out->raw_pct = acc / wsum;
    } else if (!weighted && out->max > 0) {
        out->scorable = true;
        out->raw_pct = out->points / out->max * 100.0;
    }
    out->pct = out->raw_pct;
    if (out->failed && cl->policy == SVA_POLICY_ZERO)
        out->pct = 0;
    return SVA_OK;
}

/* svcaudit: the rows of facts.h as plain data: freeing, sorting and finding
 * them. Pure: shared by the store, which fills them, and the analysis, which
 * reads them, so neither depends on the other. */
#include "svcaudit/facts.h"

#include <stdlib.h>
#include <string.h>

void sva_facts_free(sva_fact *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].metric);
    }
    free(v);
}

static int fact_cmp(const void *a, const void *b)
{
    const sva_fact *x = a, *y = b;
    int c = strcmp(x->store, y->store);
    return c ? c : strcmp(x->metric, y->metric);
}

void sva_facts_sort(sva_fact *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, fact_cmp);
}

const sva_fact *sva_fact_find(const sva_fact *v, size_t n, const char *store,
                              const char *metric)
{
    sva_fact key = {(char *)store, (char *)metric, 0, 0};
    return n ? bsearch(&key, v, n, sizeof *v, fact_cmp) : NULL;
}

static void clear_action_fact(sva_action_fact *a)
{
    free(a->store);
    free(a->due);
}

void sva_cycle_facts_free(sva_cycle_facts *f)
{
    if (!f)
        return;
    free(f->cycle.id);
    free(f->cycle.from);
    free(f->cycle.to);
    sva_stores_free(f->stores, f->n_stores);
    sva_targets_free(f->targets, f->n_targets);
    sva_facts_free(f->audits, f->n_audits);
    sva_facts_free(f->surveys, f->n_surveys);
    sva_facts_free(f->reasons, f->n_reasons);
    sva_facts_free(f->actions, f->n_actions);
    sva_facts_free(f->audit_counts, f->n_audit_counts);
    for (size_t i = 0; i < f->n_action_list; i++)
        clear_action_fact(&f->action_list[i]);
    free(f->action_list);
    sva_verify_facts_free(f->verify, f->n_verify);
    free(f);
}

void sva_verify_facts_free(sva_verify_fact *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].checklist);
        free(v[i].item);
        free(v[i].section);
    }
    free(v);
}

void sva_item_facts_free(sva_item_fact *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].checklist);
        free(v[i].section);
        free(v[i].item);
        free(v[i].failing);
    }
    free(v);
}

void sva_employee_facts_free(sva_employee_fact *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].employee);
        free(v[i].name);
        free(v[i].store);
        free(v[i].region);
        free(v[i].role);
    }
    free(v);
}

void sva_store_summaries_free(sva_store_summary *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].metric);
    }
    free(v);
}

static int summary_cmp(const void *a, const void *b)
{
    const sva_store_summary *x = a, *y = b;
    int c = strcmp(x->store, y->store);
    return c ? c : strcmp(x->metric, y->metric);
}

void sva_store_summaries_sort(sva_store_summary *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, summary_cmp);
}

const sva_store_summary *sva_store_summary_find(const sva_store_summary *v, size_t n,
                                                const char *store, const char *metric)
{
    sva_store_summary key = {(char *)store, (char *)metric, 0, 0, 0, 0, 0};
    return n ? bsearch(&key, v, n, sizeof *v, summary_cmp) : NULL;
}


void sva_act_facts_free(sva_act_fact *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].cycle);
        free(v[i].store);
        free(v[i].region);
        free(v[i].due);
        free(v[i].done_at);
    }
    free(v);
}

/* svcaudit: analysis (see analysis.h): targets against actuals, the status
 * and colour rules, region and network figures, section, item and employee
 * figures. Pure: rows in, figures out; no database, no I/O. */
#include "svcaudit/analysis.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sva_target_status_name(sva_target_status s)
{
    switch (s) {
    case SVA_TARGET_MET: return "met";
    case SVA_TARGET_MISSED: return "missed";
    case SVA_TARGET_NO_DATA: return "no data";
    case SVA_TARGET_NONE: break;
    }
    return "no target";
}

const char *sva_colour_name(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return "green";
    case SVA_COLOUR_AMBER: return "amber";
    case SVA_COLOUR_RED: return "red";
    case SVA_COLOUR_GREY: return "grey";
    case SVA_COLOUR_NONE: break;
    }
    return "";
}

sva_colour sva_status_colour(sva_target_status s, double gap)
{
    switch (s) {
    case SVA_TARGET_MET: return SVA_COLOUR_GREEN;
    case SVA_TARGET_MISSED: return gap >= -SVA_AMBER_POINTS ? SVA_COLOUR_AMBER : SVA_COLOUR_RED;
    case SVA_TARGET_NO_DATA: return SVA_COLOUR_GREY;
    case SVA_TARGET_NONE: break;
    }
    return SVA_COLOUR_NONE;
}

sva_colour sva_heat_colour(double pct)
{
    return pct >= SVA_HEAT_GREEN   ? SVA_COLOUR_GREEN
           : pct >= SVA_HEAT_AMBER ? SVA_COLOUR_AMBER
                                   : SVA_COLOUR_RED;
}

/* Figures are kept unrounded (a region's mean is of its stores' unrounded
 * figures) and rounded once, to be shown. A verdict (met, colour) judges the
 * figure as shown, at one decimal, so it never contradicts the number
 * printed beside it. */
static double shown(double x)
{
    return sva_round1(x);
}

void sva_cycle_status_free(sva_cycle_status *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_rows; i++) {
        free(s->rows[i].id);
        free(s->rows[i].name);
        free(s->rows[i].region);
        free(s->rows[i].metric);
    }
    for (size_t i = 0; i < s->n_counts; i++)
        free(s->counts[i].id);
    free(s->counts);
    sva_verifications_free(s->verifications, s->n_verifications);
    free(s->rows);
    free(s->cycle);
    free(s->from);
    free(s->to);
    free(s);
}

/* ---- the status of a cycle --------------------------------------------------------------- */

static const sva_target *find_target(const sva_cycle_facts *f, sva_scope scope, const char *id,
                                     const char *metric)
{
    for (size_t i = 0; i < f->n_targets; i++)
        if (f->targets[i].scope == scope && strcmp(f->targets[i].metric, metric) == 0 &&
            (scope == SVA_SCOPE_NETWORK || strcmp(f->targets[i].scope_id, id) == 0))
            return &f->targets[i];
    return NULL;
}

/* Effective target: store, else region, else network. */
static void effective(const sva_cycle_facts *f, sva_status_row *r, const char *store,
                      const char *region)
{
    const sva_target *t = NULL;
    if (store && (t = find_target(f, SVA_SCOPE_STORE, store, r->metric)))
        r->target_from = SVA_SCOPE_STORE;
    else if (region && *region && (t = find_target(f, SVA_SCOPE_REGION, region, r->metric)))
        r->target_from = SVA_SCOPE_REGION;
    else if ((t = find_target(f, SVA_SCOPE_NETWORK, "", r->metric)))
        r->target_from = SVA_SCOPE_NETWORK;
    if (t) {
        r->has_target = true;
        r->target = t->value;
    }
}

sva_judgement sva_judge(bool has, double pct, bool has_target, double target)
{
    sva_judgement j = {SVA_TARGET_NONE, 0, SVA_COLOUR_NONE};
    if (has && has_target) {
        j.gap = shown(pct) - target;
        j.status = shown(pct) >= target - 1e-9 ? SVA_TARGET_MET : SVA_TARGET_MISSED;
        j.colour = sva_status_colour(j.status, shown(j.gap));
    } else if (has_target) {
        j.status = SVA_TARGET_NO_DATA;
        j.colour = sva_status_colour(j.status, 0);
    } else if (has) {
        j.colour = sva_heat_colour(shown(pct));
    }
    return j;
}

/* A status row: a figure without a target has no colour there (the Stores
 * table shows the status "no target", not a heat band). */
static void verdict(sva_status_row *r)
{
    sva_judgement j = sva_judge(r->has_actual, r->actual, r->has_target, r->target);
    r->status = j.status;
    r->gap = j.gap;
    r->colour = j.status == SVA_TARGET_NONE ? SVA_COLOUR_NONE : j.colour;
}

typedef struct grow {
    sva_cycle_status *s;
    size_t cap;
} grow;

static sva_status_row *add_row(grow *g, sva_scope scope, const char *id, const char *name,
                               const char *region, const char *metric)
{
    sva_cycle_status *s = g->s;
    if (s->n_rows == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 64;
        sva_status_row *v = realloc(s->rows, nc * sizeof *v);
        if (!v)
            return NULL;
        s->rows = v;
        g->cap = nc;
    }
    sva_status_row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->scope = scope;
    r->id = sva_strdup(id);
    r->name = sva_strdup(name);
    r->region = sva_strdup(region);
    r->metric = sva_strdup(metric);
    s->n_rows++; /* counted now, so the strings are freed with the status */
    return r->id && r->name && r->region && r->metric ? r : NULL;
}

/* The metrics of a cycle: the three indexes, then every checklist with a target. */
static const char **metrics_of(const sva_cycle_facts *f, size_t *n)
{
    const char **m = calloc(3 + f->n_targets, sizeof *m);
    if (!m)
        return NULL;
    size_t k = 0;
    m[k++] = "ssi";
    m[k++] = "csi";
    m[k++] = "6s";
    for (size_t i = 0; i < f->n_targets; i++) {
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            seen |= strcmp(m[j], f->targets[i].metric) == 0;
        if (!seen)
            m[k++] = f->targets[i].metric;
    }
    *n = k;
    return m;
}

static bool region_seen_before(const sva_cycle_facts *f, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(f->stores[k].region, f->stores[i].region) == 0)
            return true;
    return false;
}

/* The counts of the network (region NULL) or one region. */
static bool counts_of(const sva_cycle_facts *f, const sva_map *stores, const char *region,
                      const char *today, sva_scope_counts *c)
{
    memset(c, 0, sizeof *c);
    c->scope = region ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK;
    if (!(c->id = sva_strdup(region ? region : "")))
        return false;
    for (size_t i = 0; i < f->n_stores; i++) {
        const sva_store *st = &f->stores[i];
        if (region && strcmp(st->region, region) != 0)
            continue;
        c->stores_total++;
        const sva_fact *a = sva_fact_find(f->audit_counts, f->n_audit_counts, st->id, "");
        if (a && a->n > 0) {
            c->n_audits += a->n;
            c->stores_audited++;
        }
    }
    for (size_t i = 0; i < f->n_action_list; i++) {
        const sva_action_fact *a = &f->action_list[i];
        if (a->carried)
            continue;
        size_t k;
        if (region && !(sva_map_get(stores, a->store, &k) &&
                        strcmp(f->stores[k].region, region) == 0))
            continue;
        if (a->status == SVA_ACTION_DONE)
            c->actions_done++;
        else if (a->status == SVA_ACTION_VERIFIED)
            c->actions_verified++;
        else {
            c->actions_open++;
            c->actions_overdue += a->due && strcmp(a->due, today) < 0;
        }
    }
    return true;
}

sva_error sva_analysis_status(const sva_cycle_facts *f, const char *today,
                              sva_cycle_status **out)
{
    *out = NULL;
    sva_cycle_status *s = calloc(1, sizeof *s);
    size_t n_metrics = 0;
    const char **metrics = metrics_of(f, &n_metrics);
    grow g = {s, 0};
    sva_map ids = {0};
    if (!s || !metrics || !(s->cycle = sva_strdup(f->cycle.id)) ||
        !(s->from = sva_strdup(f->cycle.from)) || !(s->to = sva_strdup(f->cycle.to)))
        goto nomem;
    s->state = f->cycle.state;
    /* store rows, ordered by region then id (the store list's order) */
    for (size_t i = 0; i < f->n_stores; i++) {
        const sva_store *st = &f->stores[i];
        for (size_t m = 0; m < n_metrics; m++) {
            sva_status_row *r = add_row(&g, SVA_SCOPE_STORE, st->id, st->name, st->region,
                                        metrics[m]);
            if (!r)
                goto nomem;
            const sva_fact *x = sva_fact_find(f->audits, f->n_audits, st->id, metrics[m]);
            if (x && x->n > 0) {
                r->has_actual = true;
                r->actual = x->sum / (double)x->n;
                r->n = x->n;
            }
            effective(f, r, st->id, st->region);
            verdict(r);
            if ((x = sva_fact_find(f->surveys, f->n_surveys, st->id, metrics[m]))) {
                r->has_survey = true;
                r->survey = x->sum;
                r->respondents = x->n;
            }
            r->has_reason = sva_fact_find(f->reasons, f->n_reasons, st->id, metrics[m]) != NULL;
            if ((x = sva_fact_find(f->actions, f->n_actions, st->id, metrics[m])))
                r->n_actions = x->n;
        }
    }
    /* region rows, then the network: the mean over stores with a figure */
    size_t n_store_rows = s->n_rows;
    for (size_t i = 0; i <= f->n_stores; i++) {
        bool network = i == f->n_stores;
        const char *region = network ? "" : f->stores[i].region;
        if (!network && (!*region || region_seen_before(f, i)))
            continue;
        for (size_t m = 0; m < n_metrics; m++) {
            double sum = 0;
            long n = 0;
            for (size_t k = 0; k < n_store_rows; k++) {
                const sva_status_row *sr = &s->rows[k];
                if (!sr->has_actual || strcmp(sr->metric, metrics[m]) != 0)
                    continue;
                if (!network && strcmp(sr->region, region) != 0)
                    continue;
                sum += sr->actual;
                n++;
            }
            sva_status_row *r =
                add_row(&g, network ? SVA_SCOPE_NETWORK : SVA_SCOPE_REGION, region,
                        network ? "network" : region, region, metrics[m]);
            if (!r)
                goto nomem;
            if (n) {
                r->has_actual = true;
                r->actual = sum / (double)n;
                r->n = n;
            }
            effective(f, r, NULL, network ? NULL : region);
            verdict(r);
        }
    }
    /* counts: the network, then each region (in the order they first appear) */
    s->counts = calloc(f->n_stores + 1, sizeof *s->counts);
    if (!s->counts)
        goto nomem;
    for (size_t i = 0; i < f->n_stores; i++)
        if (!sva_map_put(&ids, f->stores[i].id, i))
            goto nomem;
    if (!counts_of(f, &ids, NULL, today, &s->counts[s->n_counts++]))
        goto nomem;
    for (size_t i = 0; i < f->n_stores; i++)
        if (*f->stores[i].region && !region_seen_before(f, i) &&
            !counts_of(f, &ids, f->stores[i].region, today, &s->counts[s->n_counts++]))
            goto nomem;
    sva_map_free(&ids);
    const sva_scope_counts *net = &s->counts[0];
    s->n_audits = net->n_audits;
    s->stores_audited = net->stores_audited;
    s->stores_total = net->stores_total;
    s->actions_open = net->actions_open;
    s->actions_overdue = net->actions_overdue;
    s->actions_done = net->actions_done;
    s->actions_verified = net->actions_verified;
    s->verifications_applied = f->cycle.state == SVA_CYCLE_CLOSED;
    s->appeals_open = f->appeals_open;
    s->appeals_upheld = f->appeals_upheld;
    s->appeals_rejected = f->appeals_rejected;
    if (sva_analysis_verifications(f->verify, f->n_verify, &s->verifications,
                                   &s->n_verifications))
        goto nomem;
    free(metrics);
    *out = s;
    return SVA_OK;
nomem:
    free(metrics);
    sva_map_free(&ids);
    sva_cycle_status_free(s);
    return SVA_ERR_NOMEM;
}

sva_error sva_analysis_verifications(const sva_verify_fact *f, size_t n,
                                     sva_verification **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t k = 0;
    sva_verification *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (f[i].n_answers <= 0)
            continue; /* no results on it in the cycle yet: nothing to decide */
        sva_verification *x = &v[k++];
        x->action_id = f[i].action_id;
        x->confirmed = f[i].n_failed == 0;
        x->n_answers = f[i].n_answers;
        x->n_failed = f[i].n_failed;
        x->store = sva_strdup(f[i].store);
        x->what = sva_asprintf("%s %s %s", f[i].checklist, f[i].item ? "item" : "section",
                               f[i].item ? f[i].item : f[i].section ? f[i].section : "");
        if (!x->store || !x->what) {
            sva_verifications_free(v, k);
            return SVA_ERR_NOMEM;
        }
    }
    *out = v;
    *n_out = k;
    return SVA_OK;
}

void sva_analysis_revisions(sva_audit_revision *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].has_change = i > 0 && v[i].scorable && v[i - 1].scorable;
        v[i].change = v[i].has_change ? v[i].pct - v[i - 1].pct : 0;
    }
}

const sva_status_row *sva_status_find(const sva_cycle_status *s, sva_scope scope,
                                      const char *id, const char *metric)
{
    for (size_t i = 0; s && i < s->n_rows; i++) {
        const sva_status_row *r = &s->rows[i];
        if (r->scope == scope && strcmp(r->metric, metric) == 0 && strcmp(r->id, id) == 0)
            return r;
    }
    return NULL;
}

const sva_scope_counts *sva_status_counts(const sva_cycle_status *s, const char *region)
{
    for (size_t i = 0; s && i < s->n_counts; i++)
        if (region ? s->counts[i].scope == SVA_SCOPE_REGION && strcmp(s->counts[i].id, region) == 0
                   : s->counts[i].scope == SVA_SCOPE_NETWORK)
            return &s->counts[i];
    return NULL;
}

/* ---- sections and the 6S radar ---------------------------------------------------------- */

sva_error sva_analysis_section_means(const sva_fact *f, size_t n, sva_section_mean **out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        sva_section_mean *m = &(*out)[i];
        m->store = f[i].store;
        m->section = f[i].metric;
        m->n = f[i].n;
        m->pct = f[i].n ? f[i].sum / (double)f[i].n : 0;
        m->colour = sva_heat_colour(shown(m->pct));
    }
    return SVA_OK;
}

void sva_radar_free(sva_radar *r)
{
    if (r)
        free(r->rows);
}

sva_error sva_analysis_radar(const sva_cycle_status *cs, const char *region,
                             const sva_checklist *six, const sva_section_mean *sm, size_t n_sm,
                             sva_radar *out)
{
    memset(out, 0, sizeof *out);
    if (!six)
        return SVA_OK;
    double best_v = -1, worst_v = 1e9;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "6s") != 0 || !s->has_actual ||
            (region && strcmp(s->region, region) != 0))
            continue;
        if (s->actual > best_v) {
            best_v = s->actual;
            out->best = s->id;
        }
        if (s->actual < worst_v) {
            worst_v = s->actual;
            out->worst = s->id;
        }
    }
    out->rows = calloc(six->n_sections ? six->n_sections : 1, sizeof *out->rows);
    if (!out->rows)
        return SVA_ERR_NOMEM;
    out->n = six->n_sections;
    for (size_t k = 0; k < six->n_sections; k++) {
        sva_radar_row *r = &out->rows[k];
        r->section = six->sections[k].id;
        double sum = 0;
        long n = 0;
        for (size_t i = 0; i < n_sm; i++) {
            if (strcmp(sm[i].section, r->section) != 0)
                continue;
            sum += sm[i].pct;
            n++;
            if (out->best && strcmp(sm[i].store, out->best) == 0) {
                r->has_best = true;
                r->best = sm[i].pct;
            }
            if (out->worst && strcmp(sm[i].store, out->worst) == 0) {
                r->has_worst = true;
                r->worst = sm[i].pct;
            }
        }
        if (n) {
            r->has_scope = true;
            r->scope = sum / (double)n;
        }
    }
    return SVA_OK;
}

/* ---- items ------------------------------------------------------------------------------ */

/* weakest first: lowest pass rate, then most answers, then checklist and item */
static int ic_cmp(const void *pa, const void *pb)
{
    const sva_item_fact *a = ((const sva_item_compliance *)pa)->fact;
    const sva_item_fact *b = ((const sva_item_compliance *)pb)->fact;
    double ra = (double)a->passed / (double)a->answered;
    double rb = (double)b->passed / (double)b->answered;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a->answered != b->answered)
        return a->answered > b->answered ? -1 : 1;
    int c = strcmp(a->checklist, b->checklist);
    return c ? c : strcmp(a->item, b->item);
}

sva_error sva_analysis_item_compliance(const sva_item_fact *f, size_t n,
                                       sva_item_compliance **out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        sva_item_compliance *c = &(*out)[i];
        c->fact = &f[i];
        c->pct = f[i].answered ? 100.0 * (double)f[i].passed / (double)f[i].answered : 0;
        c->colour = sva_heat_colour(shown(c->pct));
    }
    if (n > 1)
        qsort(*out, n, sizeof **out, ic_cmp);
    return SVA_OK;
}

/* ---- employees ------------------------------------------------------------------------- */

static int es_cmp(const void *pa, const void *pb)
{
    const sva_employee_fact *a = ((const sva_employee_score *)pa)->fact;
    const sva_employee_fact *b = ((const sva_employee_score *)pb)->fact;
    int c = strcmp(a->region, b->region);
    if (!c)
        c = strcmp(a->store, b->store);
    if (c)
        return c;
    double ma = a->sum / (double)a->n, mb = b->sum / (double)b->n;
    if (ma != mb)
        return ma > mb ? -1 : 1;
    return strcmp(a->employee, b->employee);
}

sva_error sva_analysis_employee_scores(const sva_employee_fact *f, size_t n, long min_audits,
                                       sva_employee_score **out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return SVA_ERR_NOMEM;
    sva_employee_score *v = *out;
    for (size_t i = 0; i < n; i++) {
        v[i].fact = &f[i];
        v[i].pct = f[i].n ? f[i].sum / (double)f[i].n : 0;
        v[i].rated = f[i].n >= min_audits;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, es_cmp);
    /* the list is by store, best first: rank = place among the store's rated ones */
    for (size_t i = 0; i < n;) {
        size_t end = i;
        long rated = 0;
        while (end < n && strcmp(v[end].fact->store, v[i].fact->store) == 0)
            rated += v[end++].rated;
        long rank = 0;
        for (size_t k = i; k < end; k++) {
            if (v[k].rated)
                v[k].rank = ++rank;
            v[k].best_in_store = v[k].rank == 1 && rated > 1;
            v[k].colour = v[k].rated ? sva_heat_colour(shown(v[k].pct)) : SVA_COLOUR_GREY;
        }
        i = end;
    }
    return SVA_OK;
}

/* ---- a store over the window ---------------------------------------------------------- */

void sva_analysis_store_qa(const sva_store_summary *const *sums, const size_t *nsums, size_t nc,
                           const char *store, const char *metric, sva_store_qa *out)
{
    memset(out, 0, sizeof *out);
    if (nc == 0)
        return;
    sva_pchart_point *pts = calloc(nc, sizeof *pts);
    if (!pts)
        return;
    size_t k = 0;
    for (size_t i = 0; i < nc; i++) {
        const sva_store_summary *x = sva_store_summary_find(sums[i], nsums[i], store, metric);
        if (x && x->answered > 0) {
            pts[k].passed = x->passed;
            pts[k].n = x->answered;
            k++;
        }
    }
    sva_pchart pc;
    const sva_store_summary *now = sva_store_summary_find(sums[nc - 1], nsums[nc - 1], store,
                                                          metric);
    if (k > 0 && sva_stats_pchart(pts, k, &pc) == SVA_OK && now && now->answered > 0) {
        out->has_pchart = true;
        out->last = pts[k - 1];
    }
    free(pts);
    if (nc >= 2) {
        /* a cycle without audits is a sample of none: "insufficient n", as the
         * trend of the store says, never a change */
        const sva_store_summary *a = sva_store_summary_find(sums[nc - 2], nsums[nc - 2], store,
                                                            metric);
        sva_summary sa = {0, 0, 0}, sb = {0, 0, 0};
        if (a)
            sa = (sva_summary){a->mean, a->sd, a->n};
        if (now)
            sb = (sva_summary){now->mean, now->sd, now->n};
        out->has_change = sva_stats_welch(&sa, &sb, SVA_STATS_ALPHA, &out->change) == SVA_OK;
    }
}

/* ---- the Act step ------------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static bool day_number(const char *s, long *out)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

long sva_days_between(const char *from, const char *to)
{
    long a, b;
    return day_number(from, &a) && day_number(to, &b) ? b - a : 0;
}

static bool is_open(sva_action_status s)
{
    return s == SVA_ACTION_OPEN || s == SVA_ACTION_IN_PROGRESS || s == SVA_ACTION_REOPENED;
}

void sva_analysis_act(const sva_cycle_status *cs, const char *region, const sva_act_fact *v,
                      size_t n, const char *today, sva_act *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; cs && i < cs->n_rows; i++) {
        const sva_status_row *r = &cs->rows[i];
        if (r->scope != SVA_SCOPE_STORE || r->status != SVA_TARGET_MISSED ||
            (region && strcmp(r->region, region) != 0))
            continue;
        out->missed++;
        out->no_reason += !r->has_reason;
        out->no_action += r->n_actions == 0;
    }
    for (size_t i = 0; i < n; i++) {
        const sva_act_fact *a = &v[i];
        if (a->carried || (region && strcmp(a->region, region) != 0))
            continue;
        if (a->this_cycle) {
            out->actions++;
            if (a->status == SVA_ACTION_DONE || a->status == SVA_ACTION_VERIFIED) {
                out->completed++;
                if (a->due && a->done_at) {
                    out->due_completed++;
                    out->on_time += strncmp(a->done_at, a->due, 10) <= 0;
                }
            }
        }
        if (!is_open(a->status))
            continue;
        out->open++;
        out->open_earlier += !a->this_cycle;
        long late = a->due ? sva_days_between(a->due, today) : 0;
        if (late <= 0)
            continue;
        out->overdue++;
        out->overdue_age[late <= 7 ? 0 : late <= 30 ? 1 : 2]++;
        if (!out->oldest_due || strcmp(a->due, out->oldest_due) < 0)
            out->oldest_due = a->due;
    }
}

bool sva_worst_gap(const sva_status_row *const *rows, size_t n, double *gap)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const sva_status_row *r = rows[i];
        if (!r || !r->has_actual || !r->has_target)
            continue;
        if (!any || r->gap < *gap)
            *gap = r->gap;
        any = true;
    }
    return any;
}

/* svcaudit: QA trends, the pure side (trend.h): rows in, series, item moves,
 * repeat failures and auditor rows out. No I/O, no database: db_history.c reads. */
#include "svcaudit/trend.h"
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char SVA_TREND_METHOD[] =
    "figure: a store's mean audit %; a region's or the network's mean of its stores' "
    "figures (each store once, unrounded); a change is Welch's t-test on the figure's values "
    "(a store's audits, a region's or the network's store figures) of the cycle before "
    "against this cycle's (two-sided, alpha 0.05), insufficient n when either cycle has "
    "fewer than 2 values or neither has any spread; over the window: the least-squares "
    "slope of those values on the cycle's place, t-test and 95 % CI (improving, declining, "
    "stable), insufficient n with fewer than 3 cycles with data or 4 values; compliance: "
    "passed / answered items (N/A left out) on a p-chart, centre p = pooled rate of the "
    "cycles shown, limits p +- 3 sqrt(p(1-p)/n) per cycle, insufficient n when n p < 5 or "
    "n (1-p) < 5";
const char SVA_TREND_ITEMS_METHOD[] =
    "item compliance this cycle against the cycle before: two-proportion z-test (pooled, "
    "two-sided); the items tested are one family whose false discovery rate is held at "
    "0.05 (Benjamini-Hochberg): a move is listed when its adjusted p (q) <= 0.05; "
    "insufficient n when n p < 5 or n (1-p) < 5 for either cycle at the pooled p, and then "
    "never tested nor listed as a move";
const char SVA_TREND_REPEATS_METHOD[] =
    "a repeat: an item with a failed answer at a store in each of two or more consecutive "
    "cycles ending with this one; evidence: the probability of that many failed answers "
    "over those cycles at the item's failure rate at the other stores in the same cycles "
    "(smoothed as (failed + 1) / (answered + 2)), given that each cycle had one (which is "
    "how the repeat was picked out: one failure a cycle is no evidence); the repeats are "
    "one family whose false discovery rate is held at 0.05 (Benjamini-Hochberg): ESCALATE "
    "when q <= 0.05, else watch; order: escalations, critical items, failure rate over the "
    "run, no action before some";
const char SVA_TREND_AUDITORS_METHOD[] =
    "matched: a cell is a checklist at a store in a cycle that two auditors or more audited; "
    "values: the score before the critical-item policy; the reference in a cell is the level "
    "the other auditors give it, each corrected by their own effect in an additive model "
    "(cell + auditor) whose auditor effects are centred on their median; per auditor the "
    "mean over their cells of (their mean - the reference), t-test over the cells with the "
    "uncertainty of the partners' effects and of the median added to its standard error "
    "(insufficient n under 2 cells); the auditors tested are one family whose false "
    "discovery rate is held at 0.05 (Benjamini-Hochberg); lenient = higher, strict = lower";

const char SVA_TREND_EMPLOYEES_METHOD[] =
    "each employee's audits over the last cycles pooled; rating = store mean + n / (n + k) "
    "x (own mean - store mean), k = sigma_w^2 / tau^2 (within-employee variance over "
    "between-employee variance within stores, method of moments): few audits rate near the "
    "store, many near the employee's own mean; not rated below the minimum of audits";

static sva_error nomem(sva_diag *d)
{
    sva_diag_add(d, NULL, 0, "out of memory");
    return SVA_ERR_NOMEM;
}

static sva_error bad_rows(sva_diag *d, const char *what)
{
    sva_diag_add(d, NULL, 0, "%s: rows out of range or out of order", what);
    return SVA_ERR_USAGE;
}

/* ---- the window -------------------------------------------------------------------------- */

sva_error sva_trend_window(const sva_cycle *cy, size_t n, const char *last, int k,
                           size_t *first, size_t *at, sva_diag *d)
{
    if (k < 1) {
        sva_diag_add(d, NULL, 0, "a trend needs at least 1 cycle");
        return SVA_ERR_USAGE;
    }
    size_t i = n;
    if (last) {
        for (i = 0; i < n && strcmp(cy[i].id, last) != 0; i++)
            ;
        if (i == n) {
            sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", last);
            return SVA_ERR_NOT_FOUND;
        }
    } else if (n == 0) {
        sva_diag_add(d, NULL, 0, "no cycles yet (see 'svcaudit cycle open')");
        return SVA_ERR_NOT_FOUND;
    } else {
        /* the latest cycle with audits: a cycle just opened says nothing yet */
        for (i = n - 1; i > 0 && cy[i].n_audits <= 0; i--)
            ;
        if (cy[i].n_audits <= 0)
            i = n - 1;
    }
    *at = i;
    *first = i + 1 >= (size_t)k ? i + 1 - (size_t)k : 0;
    return SVA_OK;
}

/* ---- the series -------------------------------------------------------------------------- */

void sva_trend_free(sva_trend *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->points[i].cycle);
        free(t->points[i].from);
    }
    free(t->points);
    free(t->metric);
    free(t->store);
    free(t->region);
    free(t);
}

static int row_cycle_store_cmp(const void *a, const void *b)
{
    const sva_series_row *x = *(const sva_series_row *const *)a,
                         *y = *(const sva_series_row *const *)b;
    if (x->cycle != y->cycle)
        return x->cycle < y->cycle ? -1 : 1;
    return strcmp(x->store, y->store);
}

/* The series of the rows @p rp[0..n-1] (pointers into the caller's rows; sorted here
 * when @p by_store) named @p metric, @p store, @p region: a store's audits are its
 * figure's values; with @p by_store, the store means of each cycle are. */
static sva_error series_build(const char *metric, const char *store, const char *region,
                              const sva_cycle *cycles, size_t n_cycles,
                              const sva_series_row **rp, size_t n, bool by_store,
                              sva_trend **out, sva_diag *d)
{
    *out = NULL;
    size_t nc = n_cycles ? n_cycles : 1;
    sva_trend *t = calloc(1, sizeof *t);
    sva_stats_acc *acc = calloc(nc, sizeof *acc), *fig = calloc(nc, sizeof *fig);
    sva_pchart_point *pts = calloc(nc, sizeof *pts);
    sva_stats_reg reg;
    sva_stats_reg_init(&reg);
    sva_error rc = SVA_OK;
    if (!t || !acc || !fig || !pts || !(t->points = calloc(nc, sizeof *t->points)) ||
        !(t->metric = sva_strdup(metric)) || (store && !(t->store = sva_strdup(store))) ||
        (region && !(t->region = sva_strdup(region)))) {
        rc = nomem(d);
        goto fail;
    }
    /* the audits, in the order given (sums of floating point depend on it) */
    for (size_t i = 0; i < n; i++) {
        const sva_series_row *r = rp[i];
        sva_pchart_point *p = r->cycle < n_cycles ? &pts[r->cycle] : NULL;
        if (!p || r->answered < 0 || r->passed < 0 || r->passed > r->answered ||
            p->n > LONG_MAX - r->answered || sva_stats_acc_add(&acc[r->cycle], r->pct)) {
            rc = bad_rows(d, "series");
            goto fail;
        }
        p->passed += r->passed;
        p->n += r->answered;
        if (!by_store) {
            sva_stats_acc_add(&fig[r->cycle], r->pct);
            sva_stats_reg_add(&reg, (double)r->cycle, r->pct);
        }
    }
    if (by_store) {
        /* each (cycle, store) run of the sorted rows is one store figure (rows that
         * come sorted, as the store reads them, are not sorted again) */
        bool sorted = true;
        for (size_t i = 1; i < n && sorted; i++)
            sorted = row_cycle_store_cmp(&rp[i - 1], &rp[i]) <= 0;
        if (!sorted)
            qsort(rp, n, sizeof *rp, row_cycle_store_cmp);
        for (size_t g = 0; g < n;) {
            sva_stats_acc one;
            sva_stats_acc_init(&one);
            size_t e = g;
            while (e < n && rp[e]->cycle == rp[g]->cycle && strcmp(rp[e]->store, rp[g]->store) == 0)
                sva_stats_acc_add(&one, rp[e++]->pct);
            sva_stats_acc_add(&fig[rp[g]->cycle], one.mean);
            sva_stats_reg_add(&reg, (double)rp[g]->cycle, one.mean);
            t->points[rp[g]->cycle].stores++;
            g = e;
        }
    }
    long with_data = 0;
    for (size_t i = 0; i < n_cycles; i++) {
        sva_trend_point *p = &t->points[t->n++];
        if (!(p->cycle = sva_strdup(cycles[i].id)) || !(p->from = sva_strdup(cycles[i].from))) {
            rc = nomem(d);
            goto fail;
        }
        p->audits = sva_stats_acc_summary(&acc[i]);
        p->figure = sva_stats_acc_summary(&fig[i]);
        if (!by_store)
            p->stores = p->audits.n > 0;
        with_data += p->figure.n > 0;
        if (i > 0) {
            p->has_change = true;
            sva_stats_welch(&t->points[i - 1].figure, &p->figure, SVA_STATS_ALPHA, &p->change);
        }
    }
    sva_stats_slope(&reg, with_data, SVA_STATS_ALPHA, &t->window);
    if (sva_stats_pchart(pts, n_cycles, &t->pchart)) {
        rc = bad_rows(d, "series");
        goto fail;
    }
    for (size_t i = 0; i < n_cycles; i++)
        t->points[i].compliance = pts[i];
    free(acc);
    free(fig);
    free(pts);
    *out = t;
    return SVA_OK;
fail:
    free(acc);
    free(fig);
    free(pts);
    sva_trend_free(t);
    return rc;
}

sva_error sva_trend_series_compute(const sva_trend_query *q, const sva_cycle *cycles,
                                   size_t n_cycles, const sva_series_row *rows, size_t n,
                                   sva_trend **out, sva_diag *d)
{
    *out = NULL;
    const sva_series_row **rp = malloc((n ? n : 1) * sizeof *rp);
    if (!rp)
        return nomem(d);
    for (size_t i = 0; i < n; i++)
        rp[i] = &rows[i];
    sva_error rc = series_build(q->metric, q->store, q->region, cycles, n_cycles, rp, n,
                                q->store == NULL, out, d);
    free(rp);
    return rc;
}

/* ---- many series at once: a scan with the false discovery rate controlled ---------------- */

void sva_trend_scopes_free(sva_trend_scopes *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->scopes[i].id);
        sva_trend_free(s->scopes[i].series);
    }
    free(s->scopes);
    free(s->metric);
    free(s->region);
    free(s);
}

static const char *region_of(const sva_series_row *r)
{
    return r->region ? r->region : "";
}

static int row_region_store_cmp(const void *a, const void *b)
{
    const sva_series_row *x = *(const sva_series_row *const *)a,
                         *y = *(const sva_series_row *const *)b;
    int c = strcmp(region_of(x), region_of(y));
    if (!c)
        c = strcmp(x->store, y->store);
    if (c)
        return c;
    /* keep the given order within a store: the sums then equal sva_trend_series' */
    return x < y ? -1 : x > y;
}

/* Append the scope @p kind @p id with the series of rp[0..n-1]. */
static sva_error scan_add(sva_trend_scopes *s, sva_scope kind, const char *id,
                          const sva_cycle *cycles, size_t n_cycles, const sva_series_row **rp,
                          size_t n, sva_diag *d)
{
    sva_trend_scope *x = &s->scopes[s->n];
    memset(x, 0, sizeof *x);
    x->scope = kind;
    if (!(x->id = sva_strdup(id)))
        return nomem(d);
    s->n++;
    /* series_build sorts by cycle and store: work on a copy, rp stays by region, store */
    const sva_series_row **cp = malloc((n ? n : 1) * sizeof *cp);
    if (!cp)
        return nomem(d);
    memcpy(cp, rp, n * sizeof *cp);
    sva_error rc = series_build(s->metric, kind == SVA_SCOPE_STORE ? id : NULL,
                                kind == SVA_SCOPE_REGION ? id : NULL, cycles, n_cycles, cp, n,
                                kind != SVA_SCOPE_STORE, &x->series, d);
    free(cp);
    return rc;
}

sva_error sva_trend_scan_compute(const char *metric, const char *region, const sva_cycle *cycles,
                                 size_t n_cycles, const sva_series_row *rows, size_t n,
                                 double fdr, sva_trend_scopes **out, sva_diag *d)
{
    *out = NULL;
    if (!(fdr > 0.0 && fdr < 1.0)) {
        sva_diag_add(d, NULL, 0, "a false discovery rate is between 0 and 1, not %g", fdr);
        return SVA_ERR_USAGE;
    }
    sva_error rc = SVA_OK;
    const sva_series_row **rp = malloc((n ? n : 1) * sizeof *rp);
    double *p = NULL, *adj = NULL;
    bool *rej = NULL;
    sva_trend_scopes *s = calloc(1, sizeof *s);
    /* at most one scope per row, per region and the network */
    size_t cap = 2 * n + 1;
    if (!rp || !s || !(s->scopes = calloc(cap, sizeof *s->scopes)) ||
        !(s->metric = sva_strdup(metric)) || (region && !(s->region = sva_strdup(region)))) {
        rc = nomem(d);
        goto fail;
    }
    s->fdr = fdr;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!region || strcmp(region_of(&rows[i]), region) == 0)
            rp[m++] = &rows[i];
    if (m > 1)
        qsort(rp, m, sizeof *rp, row_region_store_cmp);
    /* stores by region and id, then regions, then the network (of a region: itself) */
    for (size_t g = 0; g < m && !rc;) {
        size_t e = g;
        while (e < m && strcmp(rp[e]->store, rp[g]->store) == 0)
            e++;
        rc = scan_add(s, SVA_SCOPE_STORE, rp[g]->store, cycles, n_cycles, rp + g, e - g, d);
        g = e;
    }
    for (size_t g = 0; g < m && !rc;) {
        size_t e = g;
        while (e < m && strcmp(region_of(rp[e]), region_of(rp[g])) == 0)
            e++;
        if (*region_of(rp[g]))
            rc = scan_add(s, SVA_SCOPE_REGION, region_of(rp[g]), cycles, n_cycles, rp + g,
                          e - g, d);
        g = e;
    }
    if (!rc && !region)
        rc = scan_add(s, SVA_SCOPE_NETWORK, "", cycles, n_cycles, rp, m, d);
    if (rc)
        goto fail;
    /* the family: every scope's last change and window slope that could be tested */
    p = malloc((2 * s->n + 1) * sizeof *p);
    adj = malloc((2 * s->n + 1) * sizeof *adj);
    rej = malloc((2 * s->n + 1) * sizeof *rej);
    if (!p || !adj || !rej) {
        rc = nomem(d);
        goto fail;
    }
    for (size_t i = 0; i < s->n; i++) {
        const sva_trend *t = s->scopes[i].series;
        const sva_trend_point *last = t->n ? &t->points[t->n - 1] : NULL;
        bool ct = last && last->has_change && !last->change.insufficient;
        p[2 * i] = ct ? last->change.p_value : NAN;
        p[2 * i + 1] = t->window.insufficient ? NAN : t->window.p_value;
        s->n_tests += ct + !t->window.insufficient;
    }
    if (sva_stats_bh(p, 2 * s->n, 0, fdr, adj, rej)) {
        rc = bad_rows(d, "scan");
        goto fail;
    }
    for (size_t i = 0; i < s->n; i++) {
        sva_trend_scope *x = &s->scopes[i];
        const sva_trend *t = x->series;
        const sva_trend_point *last = t->n ? &t->points[t->n - 1] : NULL;
        x->change_q = adj[2 * i];
        x->window_q = adj[2 * i + 1];
        if (!last || !last->has_change || last->change.insufficient)
            x->change_verdict = SVA_VERDICT_INSUFFICIENT_N;
        else if (!rej[2 * i] || last->change.diff == 0.0)
            x->change_verdict = SVA_VERDICT_NO_CHANGE;
        else
            x->change_verdict = last->change.diff > 0 ? SVA_VERDICT_IMPROVED : SVA_VERDICT_DECLINED;
        if (t->window.insufficient)
            x->window_verdict = SVA_VERDICT_INSUFFICIENT_N;
        else if (!rej[2 * i + 1] || t->window.slope == 0.0)
            x->window_verdict = SVA_VERDICT_STABLE;
        else
            x->window_verdict = t->window.slope > 0 ? SVA_VERDICT_IMPROVING : SVA_VERDICT_DECLINING;
    }
    free(rp);
    free(p);
    free(adj);
    free(rej);
    *out = s;
    return SVA_OK;
fail:
    free(rp);
    free(p);
    free(adj);
    free(rej);
    sva_trend_scopes_free(s);
    return rc;
}

const sva_trend_scope *sva_trend_scopes_find(const sva_trend_scopes *s, sva_scope scope,
                                           const char *id)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->scopes[i].scope == scope && strcmp(s->scopes[i].id, id ? id : "") == 0)
            return &s->scopes[i];
    return NULL;
}

/* ---- item moves -------------------------------------------------------------------------- */

void sva_item_moves_free(sva_item_moves *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].checklist);
        free(m->items[i].section);
        free(m->items[i].item);
    }
    free(m->items);
    free(m->cycle);
    free(m->previous);
    free(m);
}

static bool is_move(const sva_item_move *x)
{
    return x->test.verdict == SVA_VERDICT_IMPROVED || x->test.verdict == SVA_VERDICT_DECLINED;
}

/* Moves first, biggest rise to biggest fall; the rest by checklist and item. */
static int move_cmp(const void *a, const void *b)
{
    const sva_item_move *x = a, *y = b;
    bool mx = is_move(x), my = is_move(y);
    if (mx != my)
        return mx ? -1 : 1;
    if (mx && x->test.diff != y->test.diff)
        return x->test.diff > y->test.diff ? -1 : 1;
    int c = strcmp(x->checklist, y->checklist);
    return c ? c : strcmp(x->item, y->item);
}

sva_error sva_trend_items_compute(const char *cycle, const char *previous,
                                  const sva_item_count *rows, size_t n, sva_item_moves **out,
                                  sva_diag *d)
{
    *out = NULL;
    sva_error rc = SVA_OK;
    double *p = NULL, *adj = NULL;
    bool *rej = NULL;
    sva_item_moves *m = calloc(1, sizeof *m);
    if (!m || !(m->cycle = sva_strdup(cycle)) || !(m->previous = sva_strdup(previous)) ||
        !(m->items = calloc(n ? n : 1, sizeof *m->items))) {
        rc = nomem(d);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        const sva_item_count *r = &rows[i];
        sva_item_move *x = &m->items[m->n++];
        if (!(x->checklist = sva_strdup(r->checklist)) || !(x->item = sva_strdup(r->item)) ||
            !(x->section = sva_strdup(r->section))) {
            rc = nomem(d);
            goto fail;
        }
        x->passed_before = r->passed_before;
        x->n_before = r->n_before;
        x->passed_after = r->passed_after;
        x->n_after = r->n_after;
        if (sva_stats_prop_test(x->passed_before, x->n_before, x->passed_after, x->n_after,
                                SVA_STATS_ALPHA, &x->test)) {
            rc = bad_rows(d, "item moves");
            goto fail;
        }
    }
    /* the items tested are one family: a move must pass Benjamini-Hochberg */
    p = malloc((n ? n : 1) * sizeof *p);
    adj = malloc((n ? n : 1) * sizeof *adj);
    rej = malloc((n ? n : 1) * sizeof *rej);
    if (!p || !adj || !rej) {
        rc = nomem(d);
        goto fail;
    }
    for (size_t i = 0; i < m->n; i++)
        p[i] = m->items[i].test.insufficient ? NAN : m->items[i].test.p_value;
    if (sva_stats_bh(p, m->n, 0, SVA_STATS_FDR, adj, rej)) {
        rc = bad_rows(d, "item moves");
        goto fail;
    }
    for (size_t i = 0; i < m->n; i++) {
        sva_item_move *x = &m->items[i];
        x->q_value = adj[i];
        if (is_move(x) && !rej[i])
            x->test.verdict = SVA_VERDICT_NO_CHANGE;
        switch (x->test.verdict) {
        case SVA_VERDICT_IMPROVED: m->n_improved++; break;
        case SVA_VERDICT_DECLINED: m->n_declined++; break;
        case SVA_VERDICT_INSUFFICIENT_N: m->n_insufficient++; break;
        default: m->n_no_change++; break;
        }
    }
    free(p);
    free(adj);
    free(rej);
    p = adj = NULL;
    rej = NULL;
    if (m->n > 1)
        qsort(m->items, m->n, sizeof *m->items, move_cmp);
    *out = m;
    return SVA_OK;
fail:
    free(p);
    free(adj);
    free(rej);
    sva_item_moves_free(m);
    return rc;
}

/* ---- repeat failures --------------------------------------------------------------------- */

void sva_repeats_free(sva_repeat *v, size_t n)
{
    /* a repeat's strings and its cycle list are one block (see repeat_add) */
    for (size_t i = 0; v && i < n; i++)
        free(v[i].cycles);
    free(v);
}

static int key_cmp(const sva_failure_row *a, const sva_failure_row *b)
{
    int c = strcmp(a->store, b->store);
    if (!c)
        c = strcmp(a->checklist, b->checklist);
    return c ? c : strcmp(a->item, b->item);
}

/* Actions sorted by store then item, so a repeat finds its own by bisection. */
static int action_cmp(const void *a, const void *b)
{
    const sva_action_row *x = *(const sva_action_row *const *)a,
                         *y = *(const sva_action_row *const *)b;
    int c = strcmp(x->store, y->store);
    return c ? c : strcmp(x->item, y->item);
}

/* The actions on @p r's store and item (its checklist or none) whose cycle starts
 * between @p lo and @p hi (start dates, inclusive). */
static long count_actions(const sva_action_row *const *act, size_t nact, const sva_cycle *cy,
                          const sva_repeat *r, const char *lo, const char *hi)
{
    size_t a = 0, b = nact;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        int c = strcmp(act[mid]->store, r->store);
        if (!c)
            c = strcmp(act[mid]->item, r->item);
        if (c < 0)
            a = mid + 1;
        else
            b = mid;
    }
    long n = 0;
    for (; a < nact && strcmp(act[a]->store, r->store) == 0 && strcmp(act[a]->item, r->item) == 0;
         a++) {
        const char *from = cy[act[a]->cycle].from;
        if ((!act[a]->checklist || strcmp(act[a]->checklist, r->checklist) == 0) &&
            strcmp(from, lo) >= 0 && strcmp(from, hi) <= 0)
            n++;
    }
    return n;
}

/* The repeat of the key whose rows are f[0..nf-1], if it fails in the cycles just
 * up to @p at; appended to *v with its evidence (p_value; q_value comes later). */
static sva_error repeat_add(const sva_cycle *cy, size_t at, const sva_failure_row *f, size_t nf,
                            const sva_action_row *const *act, size_t nact, sva_repeat **v,
                            size_t *n, size_t *cap, sva_diag *d)
{
    /* the rows are in cycle order: walk back from at while each cycle before fails */
    size_t j = nf, len = 0;
    while (j > 0 && f[j - 1].cycle > at)
        j--;
    const sva_failure_row *last = j > 0 && f[j - 1].cycle == at ? &f[j - 1] : NULL;
    if (!last)
        return SVA_OK;
    long xf = 0, xn = 0, rf = 0, rn = 0, *ns = NULL;
    bool critical = false;
    for (size_t c = at + 1; j > 0 && c > 0 && f[j - 1].cycle == c - 1; j--, c--) {
        const sva_failure_row *r = &f[j - 1];
        if (r->failed < 0 || r->answered < r->failed || r->ref_failed < 0 ||
            r->ref_answered < r->ref_failed || xn > LONG_MAX - r->answered ||
            rn > LONG_MAX - r->ref_answered)
            return bad_rows(d, "repeats");
        xf += r->failed;
        xn += r->answered;
        rf += r->ref_failed;
        rn += r->ref_answered;
        critical |= r->critical;
        len++;
    }
    if (len < 2)
        return SVA_OK;
    /* the answers of each cycle of the run, oldest first */
    if (!(ns = malloc(len * sizeof *ns)))
        return nomem(d);
    for (size_t i = 0; i < len; i++)
        ns[i] = f[j + i].answered;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        sva_repeat *nv = realloc(*v, *cap * sizeof *nv);
        if (!nv) {
            free(ns);
            return nomem(d);
        }
        *v = nv;
    }
    sva_repeat *r = &(*v)[(*n)++];
    memset(r, 0, sizeof *r);
    size_t k = at + 1 - len;
    /* one block: the cycle list, then every string of the repeat (a long history
     * has tens of thousands of repeats; one allocation each, not fourteen) */
    const char *region = last->region ? last->region : "";
    size_t bytes = len * sizeof *r->cycles + strlen(last->store) + strlen(region) +
                   strlen(last->checklist) + strlen(last->item) + 4;
    for (size_t i = 0; i < len; i++)
        bytes += strlen(cy[k + i].id) + 1;
    char **block = malloc(bytes);
    if (!block) {
        free(ns);
        (*n)--;
        return nomem(d);
    }
    char *p = (char *)(block + len);
#define PUT(dst, src)                                                                         \
    do {                                                                                      \
        size_t l_ = strlen(src) + 1;                                                          \
        memcpy(p, (src), l_);                                                                 \
        (dst) = p;                                                                            \
        p += l_;                                                                              \
    } while (0)
    r->cycles = block;
    PUT(r->store, last->store);
    PUT(r->region, region);
    PUT(r->checklist, last->checklist);
    PUT(r->item, last->item);
    for (size_t i = 0; i < len; i++)
        PUT(r->cycles[i], cy[k + i].id);
#undef PUT
    r->n_cycles = len;
    r->failed = last->failed;
    r->answered = last->answered;
    r->n_actions = count_actions(act, nact, cy, r, cy[k].from, cy[at].from);
    r->critical = critical;
    r->run_failed = xf;
    r->run_answered = xn;
    r->run_rate = xn ? (double)xf / (double)xn : 0;
    r->ref_failed = rf;
    r->ref_answered = rn;
    /* the expected failure rate, smoothed: an item that never failed elsewhere
     * still gets a rate above 0, so one failure is not infinitely surprising */
    r->ref_rate = ((double)rf + 1.0) / ((double)rn + 2.0);
    /* the run was picked out because each of its cycles failed: the evidence is
     * what the failures say beyond that */
    r->p_value = sva_stats_binom_runs_upper(xf, ns, len, r->ref_rate);
    free(ns);
    if (isnan(r->p_value))
        return bad_rows(d, "repeats");
    return SVA_OK;
}

/* Escalations first; then critical items, the run's failure rate (highest
 * first), no action before some; then store, checklist, item. */
static int repeat_priority(const void *a, const void *b)
{
    const sva_repeat *x = a, *y = b;
    if (x->escalate != y->escalate)
        return x->escalate ? -1 : 1;
    if (x->critical != y->critical)
        return x->critical ? -1 : 1;
    /* x_f / x_n against y_f / y_n, exactly: x_f y_n against y_f x_n */
    double rx = (double)x->run_failed * (double)y->run_answered,
           ry = (double)y->run_failed * (double)x->run_answered;
    if (rx != ry)
        return rx > ry ? -1 : 1;
    if ((x->n_actions == 0) != (y->n_actions == 0))
        return x->n_actions == 0 ? -1 : 1;
    int c = strcmp(x->store, y->store);
    if (!c)
        c = strcmp(x->checklist, y->checklist);
    return c ? c : strcmp(x->item, y->item);
}

sva_error sva_trend_repeats_rank(sva_repeat *v, size_t n, size_t family, double fdr,
                                 sva_diag *d)
{
    if (!(fdr > 0.0 && fdr < 1.0))
        return bad_rows(d, "repeats");
    if (n == 0)
        return SVA_OK;
    double *p = malloc(n * sizeof *p), *adj = malloc(n * sizeof *adj);
    sva_error rc = SVA_OK;
    if (!p || !adj)
        rc = nomem(d);
    for (size_t i = 0; !rc && i < n; i++)
        p[i] = v[i].p_value;
    if (!rc && sva_stats_bh(p, n, family, fdr, adj, NULL))
        rc = bad_rows(d, "repeats");
    for (size_t i = 0; !rc && i < n; i++) {
        v[i].q_value = adj[i];
        v[i].escalate = adj[i] <= fdr;
    }
    if (!rc && n > 1)
        qsort(v, n, sizeof *v, repeat_priority);
    free(p);
    free(adj);
    return rc;
}

sva_error sva_trend_repeats_compute(const sva_cycle *cycles, size_t n_cycles, size_t at,
                                    const sva_failure_row *f, size_t nf,
                                    const sva_action_row *act, size_t nact, size_t family,
                                    double fdr, sva_repeat **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if (at >= n_cycles || !(fdr > 0.0 && fdr < 1.0))
        return bad_rows(d, "repeats");
    for (size_t i = 0; i < nf; i++)
        if (f[i].cycle >= n_cycles ||
            (i > 0 && (key_cmp(&f[i - 1], &f[i]) > 0 ||
                       (key_cmp(&f[i - 1], &f[i]) == 0 && f[i - 1].cycle >= f[i].cycle))))
            return bad_rows(d, "repeats");
    for (size_t i = 0; i < nact; i++)
        if (act[i].cycle >= n_cycles)
            return bad_rows(d, "repeats");
    const sva_action_row **ap = malloc((nact ? nact : 1) * sizeof *ap);
    if (!ap)
        return nomem(d);
    for (size_t i = 0; i < nact; i++)
        ap[i] = &act[i];
    if (nact > 1)
        qsort(ap, nact, sizeof *ap, action_cmp);
    sva_repeat *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = SVA_OK;
    for (size_t g = 0; g < nf && !rc;) {
        size_t e = g + 1;
        while (e < nf && key_cmp(&f[g], &f[e]) == 0)
            e++;
        rc = repeat_add(cycles, at, f + g, e - g, ap, nact, &v, &nv, &cap, d);
        g = e;
    }
    free(ap);
    if (!rc)
        rc = sva_trend_repeats_rank(v, nv, family, fdr, d);
    if (rc) {
        sva_repeats_free(v, nv);
        return rc;
    }
    *out = v;
    *n = nv;
    return SVA_OK;
}

/* ---- auditors ---------------------------------------------------------------------------- */

void sva_auditor_rows_free(sva_auditor_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].auditor);
    free(v);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of @p name in the sorted @p v (it is there: v was made from the same audits). */
static size_t auditor_index(const sva_auditor_row *v, size_t nv, const char *name)
{
    size_t lo = 0, hi = nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].auditor, name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int audit_key_cmp(const sva_auditor_audit *a, const sva_auditor_audit *b)
{
    int c = strcmp(a->checklist, b->checklist);
    if (!c)
        c = strcmp(a->store, b->store);
    if (!c)
        c = strcmp(a->cycle, b->cycle);
    return c ? c : strcmp(a->auditor, b->auditor);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One auditor's audits in one matched cell. */
typedef struct cell_run {
    size_t cell, who;
    double n, sum;
} cell_run;

/* The additive model over the matched audits: y = cell + auditor + noise, fitted by
 * alternating means over the (cell, auditor) runs, the auditor effects centred on
 * their median (so that one lenient auditor shifts no one else's). Fills @p eff
 * (nv); @p lvl, @p wsum, @p wcnt (max(nv, ncells)) and @p med (nv) are scratch. */
static void auditor_effects(const cell_run *run, size_t nrun, size_t ncells, size_t nv,
                            double *eff, double *lvl, double *wsum, double *wcnt, double *med)
{
    for (size_t k = 0; k < nv; k++)
        eff[k] = 0.0;
    for (int it = 0; it < 2000; it++) {
        for (size_t c = 0; c < ncells; c++)
            wsum[c] = wcnt[c] = 0.0;
        for (size_t i = 0; i < nrun; i++) {
            wsum[run[i].cell] += run[i].sum - run[i].n * eff[run[i].who];
            wcnt[run[i].cell] += run[i].n;
        }
        for (size_t c = 0; c < ncells; c++)
            lvl[c] = wsum[c] / wcnt[c];
        for (size_t k = 0; k < nv; k++)
            wsum[k] = wcnt[k] = 0.0;
        for (size_t i = 0; i < nrun; i++) {
            wsum[run[i].who] += run[i].sum - run[i].n * lvl[run[i].cell];
            wcnt[run[i].who] += run[i].n;
        }
        size_t nm = 0;
        double change = 0.0;
        for (size_t k = 0; k < nv; k++)
            if (wcnt[k] > 0)
                med[nm++] = wsum[k] / wcnt[k];
        if (nm == 0)
            return;
        qsort(med, nm, sizeof *med, cmp_double);
        double centre = nm % 2 ? med[nm / 2] : 0.5 * (med[nm / 2 - 1] + med[nm / 2]);
        for (size_t k = 0; k < nv; k++) {
            double e = wcnt[k] > 0 ? wsum[k] / wcnt[k] - centre : 0.0;
            change = fmax(change, fabs(e - eff[k]));
            eff[k] = e;
        }
        /* points on a 0-100 scale: a billionth of a point is converged */
        if (change < 1e-9)
            break;
    }
}

/* How much auditor a's references lean on auditor b's effect, summed over a's
 * cells: a small map from the pair to the weight. */
typedef struct pair_w {
    size_t a, b;
    double w;
} pair_w;

typedef struct pairs_w {
    pair_w *v;
    size_t n, cap;
    sva_map ix;
    sva_pool keys;
} pairs_w;

static void pairs_free(pairs_w *p)
{
    free(p->v);
    sva_map_free(&p->ix);
    sva_pool_free(&p->keys);
}

static sva_error pair_add(pairs_w *p, size_t a, size_t b, double w, sva_diag *d)
{
    char key[48];
    snprintf(key, sizeof key, "%zu:%zu", a, b);
    size_t i;
    if (sva_map_get(&p->ix, key, &i)) {
        p->v[i].w += w;
        return SVA_OK;
    }
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        pair_w *nv = realloc(p->v, nc * sizeof *nv);
        if (!nv)
            return nomem(d);
        p->v = nv;
        p->cap = nc;
    }
    const char *k = sva_pool_str(&p->keys, key);
    if (!k || !sva_map_put(&p->ix, k, p->n))
        return nomem(d);
    p->v[p->n++] = (pair_w){a, b, w};
    return SVA_OK;
}

static int run_key_cmp(const sva_auditor_run *a, const sva_auditor_run *b)
{
    int c = strcmp(a->checklist, b->checklist);
    if (!c)
        c = strcmp(a->store, b->store);
    if (!c)
        c = strcmp(a->cycle, b->cycle);
    return c ? c : strcmp(a->auditor, b->auditor);
}

static bool same_run_cell(const sva_auditor_run *a, const sva_auditor_run *b)
{
    return strcmp(a->checklist, b->checklist) == 0 && strcmp(a->store, b->store) == 0 &&
           strcmp(a->cycle, b->cycle) == 0;
}

/* The distinct auditors of @p r, sorted, each with their number of audits. */
static sva_error auditor_list_runs(const sva_auditor_run *r, size_t nr, sva_auditor_row **out,
                                   size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if (nr == 0)
        return SVA_OK;
    const char **names = malloc(nr * sizeof *names);
    sva_auditor_row *v = calloc(nr, sizeof *v);
    if (!names || !v) {
        free(names);
        free(v);
        return nomem(d);
    }
    for (size_t i = 0; i < nr; i++)
        names[i] = r[i].auditor;
    qsort(names, nr, sizeof *names, cmp_str_ptr);
    size_t nv = 0;
    for (size_t i = 0; i < nr; i++) {
        if (nv && strcmp(v[nv - 1].auditor, names[i]) == 0)
            continue;
        if (!(v[nv].auditor = sva_strdup(names[i]))) {
            free(names);
            sva_auditor_rows_free(v, nv);
            return nomem(d);
        }
        nv++;
    }
    free(names);
    for (size_t i = 0; i < nr; i++)
        v[auditor_index(v, nv, r[i].auditor)].audits += r[i].acc.n;
    *out = v;
    *n = nv;
    return SVA_OK;
}

/* Per matched cell: each auditor's run against the reference the others give
 * (into dif, one value a cell), how much that reference leans on each partner
 * (into pairs), and the own and others' raw audits (prefix and suffix merges of
 * the runs: one pass). @p pre has room for the largest cell's runs + 1. */
static sva_error cell_differences(const sva_auditor_run *r, size_t nr, const size_t *rat,
                                  const double *eff, sva_stats_acc *dif, sva_stats_acc *own,
                                  sva_stats_acc *oth, sva_stats_acc *pre, pairs_w *pairs,
                                  sva_diag *d)
{
    for (size_t g = 0; g < nr;) {
        size_t e = g + 1;
        while (e < nr && same_run_cell(&r[g], &r[e]))
            e++;
        if (e - g < 2) {
            g = e;
            continue;
        }
        double sc = 0.0, ncell = 0.0; /* the cell's sum of y - own effect, its audits */
        for (size_t i = g; i < e; i++) {
            sc += r[i].acc.mean * (double)r[i].acc.n - (double)r[i].acc.n * eff[rat[i]];
            ncell += (double)r[i].acc.n;
        }
        for (size_t i = g; i < e; i++) {
            double sa = r[i].acc.mean * (double)r[i].acc.n - (double)r[i].acc.n * eff[rat[i]];
            double ref = (sc - sa) / (ncell - (double)r[i].acc.n);
            sva_stats_acc_add(&dif[rat[i]], r[i].acc.mean - ref);
            for (size_t j = g; j < e; j++) {
                sva_error rc = j == i ? SVA_OK
                                      : pair_add(pairs, rat[i], rat[j],
                                                 (double)r[j].acc.n /
                                                     (ncell - (double)r[i].acc.n),
                                                 d);
                if (rc)
                    return rc;
            }
        }
        size_t m = e - g;
        sva_stats_acc_init(&pre[0]);
        for (size_t i = 0; i < m; i++) {
            pre[i + 1] = pre[i];
            sva_stats_acc_merge(&pre[i + 1], &r[g + i].acc);
        }
        sva_stats_acc suf;
        sva_stats_acc_init(&suf);
        for (size_t i = m; i-- > 0;) {
            sva_stats_acc rest = pre[i];
            sva_stats_acc_merge(&rest, &suf);
            sva_stats_acc_merge(&own[rat[g + i]], &r[g + i].acc);
            sva_stats_acc_merge(&oth[rat[g + i]], &rest);
            sva_stats_acc_merge(&suf, &r[g + i].acc);
        }
        g = e;
    }
    return SVA_OK;
}

/* Each auditor's test: the differences' mean over their cells, its standard error
 * and t, the 95 % interval, then the false discovery rate over the auditors
 * tested and the verdicts. The spread of the differences, pooled, gives each
 * auditor's effect a variance s^2 / cells; a reference made of partners' effects
 * carries the sum over partners of (their weight / cells)^2 of those, and the
 * median the effects are centred on about (pi / 2) mean(var) / auditors. */
static sva_error auditor_tests(sva_auditor_row *v, size_t nv, const sva_stats_acc *own,
                               const sva_stats_acc *oth, const sva_stats_acc *dif,
                               const pairs_w *pairs, sva_diag *d)
{
    double *var_ref = calloc(nv + 1, sizeof *var_ref), *p = calloc(nv + 1, sizeof *p),
           *adj = calloc(nv + 1, sizeof *adj);
    bool *rej = calloc(nv + 1, sizeof *rej);
    sva_error rc = SVA_OK;
    if (!var_ref || !p || !adj || !rej) {
        rc = nomem(d);
        goto done;
    }
    double ss = 0.0, vsum = 0.0;
    long sdf = 0, neff = 0;
    for (size_t k = 0; k < nv; k++)
        if (dif[k].n >= 2) {
            ss += dif[k].m2;
            sdf += dif[k].n - 1;
        }
    double s2 = sdf > 0 ? ss / (double)sdf : 0.0;
    for (size_t k = 0; k < nv; k++)
        if (dif[k].n > 0) {
            vsum += s2 / (double)dif[k].n;
            neff++;
        }
    double var_centre = neff ? 1.5707963267948966 * (vsum / (double)neff) / (double)neff : 0.0;
    for (size_t i = 0; i < pairs->n; i++) {
        const pair_w *pw = &pairs->v[i];
        double share = pw->w / (double)dif[pw->a].n;
        var_ref[pw->a] += share * share * s2 / (double)dif[pw->b].n;
    }
    for (size_t k = 0; k < nv; k++) {
        sva_auditor_row *x = &v[k];
        sva_summary ds = sva_stats_acc_summary(&dif[k]);
        x->own = sva_stats_acc_summary(&own[k]);
        x->others = sva_stats_acc_summary(&oth[k]);
        x->cells = ds.n;
        sva_welch *t = &x->cmp.test;
        memset(t, 0, sizeof *t);
        t->diff = x->cmp.diff = ds.mean;
        t->p_value = 1.0;
        /* the differences come out of an iterated fit: "no spread" allows for its
         * last digits */
        t->insufficient = ds.n < 2 || ds.sd <= 1e-9 * fmax(1.0, fabs(ds.mean));
        x->lo = x->hi = ds.mean;
        p[k] = NAN;
        if (t->insufficient) {
            t->verdict = x->cmp.verdict = SVA_VERDICT_INSUFFICIENT_N;
            continue;
        }
        t->se = sqrt(ds.sd * ds.sd / (double)ds.n + var_ref[k] + var_centre);
        t->df = (double)(ds.n - 1);
        t->t = ds.mean / t->se;
        t->p_value = sva_stats_t_pvalue(t->t, t->df);
        double tq = sva_stats_t_quantile(SVA_STATS_ALPHA, t->df);
        x->lo = ds.mean - tq * t->se;
        x->hi = ds.mean + tq * t->se;
        p[k] = t->p_value;
    }
    if (sva_stats_bh(p, nv, 0, SVA_STATS_FDR, adj, rej)) {
        rc = bad_rows(d, "auditors");
        goto done;
    }
    for (size_t k = 0; k < nv; k++) {
        sva_auditor_row *x = &v[k];
        x->q_value = adj[k];
        if (x->cmp.test.insufficient)
            continue;
        if (rej[k] && x->cmp.diff != 0.0)
            x->cmp.verdict = x->cmp.diff > 0 ? SVA_VERDICT_LENIENT : SVA_VERDICT_STRICT;
        else
            x->cmp.verdict = SVA_VERDICT_CONSISTENT;
        x->cmp.test.verdict = x->cmp.verdict == SVA_VERDICT_LENIENT   ? SVA_VERDICT_IMPROVED
                              : x->cmp.verdict == SVA_VERDICT_STRICT ? SVA_VERDICT_DECLINED
                                                                     : SVA_VERDICT_NO_CHANGE;
    }
done:
    free(var_ref);
    free(p);
    free(adj);
    free(rej);
    return rc;
}

sva_error sva_trend_auditors_runs(const sva_auditor_run *r, size_t nr, sva_auditor_row **out,
                                  size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < nr; i++)
        if (r[i].acc.n < 1 || !isfinite(r[i].acc.mean) ||
            (i > 0 && run_key_cmp(&r[i - 1], &r[i]) >= 0))
            return bad_rows(d, "auditors");
    sva_auditor_row *v = NULL;
    size_t nv = 0, ncells = 0, nrun = 0, *rat = NULL;
    double *eff = NULL, *lvl = NULL, *sum = NULL, *cnt = NULL, *med = NULL;
    cell_run *runs = NULL;
    sva_stats_acc *own = NULL, *oth = NULL, *dif = NULL, *pre = NULL;
    pairs_w pairs = {0};
    sva_error rc = auditor_list_runs(r, nr, &v, &nv, d);
    if (rc)
        return rc;
    size_t one = nr ? nr : 1, big = (nr > nv ? nr : nv) + 1;
    eff = calloc(nv + 1, sizeof *eff);
    lvl = calloc(one, sizeof *lvl);
    sum = calloc(big, sizeof *sum);
    cnt = calloc(big, sizeof *cnt);
    runs = calloc(one, sizeof *runs);
    med = calloc(nv + 1, sizeof *med);
    own = calloc(nv + 1, sizeof *own);
    oth = calloc(nv + 1, sizeof *oth);
    dif = calloc(nv + 1, sizeof *dif);
    pre = calloc(nr + 1, sizeof *pre);
    rat = calloc(one, sizeof *rat);
    if (!eff || !lvl || !sum || !cnt || !med || !own || !oth || !dif || !pre || !rat || !runs) {
        rc = nomem(d);
        goto done;
    }
    /* the cells: (checklist, store, cycle) with two auditors or more; their runs
     * for the additive model */
    for (size_t i = 0; i < nr; i++)
        rat[i] = auditor_index(v, nv, r[i].auditor);
    for (size_t g = 0; g < nr;) {
        size_t e = g + 1;
        while (e < nr && same_run_cell(&r[g], &r[e]))
            e++;
        if (e - g >= 2) {
            for (size_t i = g; i < e; i++)
                runs[nrun++] = (cell_run){ncells, rat[i], (double)r[i].acc.n,
                                          r[i].acc.mean * (double)r[i].acc.n};
            ncells++;
        }
        g = e;
    }
    auditor_effects(runs, nrun, ncells, nv, eff, lvl, sum, cnt, med);
    if (!(rc = cell_differences(r, nr, rat, eff, dif, own, oth, pre, &pairs, d)))
        rc = auditor_tests(v, nv, own, oth, dif, &pairs, d);
done:
    free(eff);
    free(lvl);
    free(sum);
    free(cnt);
    free(runs);
    free(med);
    free(own);
    free(oth);
    free(dif);
    free(pre);
    free(rat);
    pairs_free(&pairs);
    if (rc) {
        sva_auditor_rows_free(v, nv);
        return rc;
    }
    *out = v;
    *nout = nv;
    return SVA_OK;
}


sva_error sva_trend_auditors_compute(const sva_auditor_audit *s, size_t ns,
                                     sva_auditor_row **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < ns; i++)
        if (!isfinite(s[i].pct) || (i > 0 && audit_key_cmp(&s[i - 1], &s[i]) > 0))
            return bad_rows(d, "auditors");
    /* one run per (cell, auditor): the audits in order, by Welford */
    sva_auditor_run *r = malloc((ns ? ns : 1) * sizeof *r);
    if (!r)
        return nomem(d);
    size_t nr = 0;
    for (size_t i = 0; i < ns; i++) {
        if (nr == 0 || audit_key_cmp(&s[i - 1], &s[i]) != 0) {
            r[nr] = (sva_auditor_run){s[i].checklist, s[i].store, s[i].cycle, s[i].auditor,
                                      {0, 0.0, 0.0}};
            nr++;
        }
        sva_stats_acc_add(&r[nr - 1].acc, s[i].pct);
    }
    sva_error rc = sva_trend_auditors_runs(r, nr, out, nout, d);
    free(r);
    return rc;
}

/* ---- employees rated over a rolling window ---------------------------------------------- */

void sva_employee_ratings_free(sva_employee_ratings *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].employee);
        free(r->v[i].name);
        free(r->v[i].role);
        free(r->v[i].store);
        free(r->v[i].region);
    }
    free(r->v);
    free(r);
}

/* Ranks among each store's rated (the list sorted by rating_order): ties
 * share a rank; best = a rank 1 of its own among two or more rated. */
static void rank_ratings(sva_employee_ratings *r)
{
    for (size_t g = 0; g < r->n;) {
        size_t e = g, rated = 0;
        while (e < r->n && strcmp(r->v[e].store, r->v[g].store) == 0)
            rated += r->v[e++].rated;
        for (size_t i = g; i < e; i++) {
            r->v[i].rank = 0;
            r->v[i].best = false;
        }
        for (size_t i = g; i < e && r->v[i].rated; i++)
            r->v[i].rank = i > g && r->v[i].rating == r->v[i - 1].rating ? r->v[i - 1].rank
                                                                          : (long)(i - g + 1);
        if (rated >= 2 && r->v[g].rank == 1 && r->v[g + 1].rank != 1)
            r->v[g].best = true;
        g = e;
    }
}

size_t sva_employee_ratings_keep(sva_employee_ratings *r,
                                 bool (*keep)(const char *employee, void *user), void *user)
{
    size_t n = 0, dropped = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (keep(r->v[i].employee, user)) {
            r->v[n++] = r->v[i];
            continue;
        }
        dropped++;
        free(r->v[i].employee);
        free(r->v[i].name);
        free(r->v[i].role);
        free(r->v[i].store);
        free(r->v[i].region);
    }
    r->n = n;
    rank_ratings(r);
    return dropped;
}

static int emp_row_cmp(const void *a, const void *b)
{
    const sva_employee_audit *x = *(const sva_employee_audit *const *)a,
                             *y = *(const sva_employee_audit *const *)b;
    int c = strcmp(x->store, y->store);
    if (!c)
        c = strcmp(x->employee, y->employee);
    return c ? c : (x > y) - (x < y);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int rating_order(const void *a, const void *b)
{
    const sva_employee_rating *x = a, *y = b;
    int c = strcmp(x->region, y->region);
    if (!c)
        c = strcmp(x->store, y->store);
    if (c)
        return c;
    if (x->rated != y->rated)
        return x->rated ? -1 : 1;
    double vx = x->rated ? x->rating : x->mean, vy = y->rated ? y->rating : y->mean;
    if (vx != vy)
        return vx > vy ? -1 : 1;
    return strcmp(x->employee, y->employee);
}

sva_error sva_trend_employees_compute(const sva_employee_audit *rows, size_t n, long min_audits,
                                      int cycles, sva_employee_ratings **out, sva_diag *d)
{
    *out = NULL;
    if (min_audits < 1 || cycles < 1) {
        sva_diag_add(d, NULL, 0, "employee ratings need a minimum of 1 audit or more and a "
                                 "window of 1 cycle or more");
        return SVA_ERR_USAGE;
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(rows[i].pct) || !rows[i].employee || !rows[i].store)
            return bad_rows(d, "employees");
    sva_error rc = SVA_OK;
    const sva_employee_audit **rp = malloc((n ? n : 1) * sizeof *rp);
    sva_employee_ratings *r = calloc(1, sizeof *r);
    if (!rp || !r || !(r->v = calloc(n ? n : 1, sizeof *r->v))) {
        rc = nomem(d);
        goto fail;
    }
    r->min_audits = min_audits;
    r->cycles = cycles;
    for (size_t i = 0; i < n; i++)
        rp[i] = &rows[i];
    if (n > 1)
        qsort(rp, n, sizeof *rp, emp_row_cmp);
    /* per employee: n, mean, within sum of squares; per store: the audits' mean */
    double ss_w = 0.0;
    long df_w = 0;
    for (size_t g = 0; g < n;) {
        size_t e = g;
        sva_stats_acc acc;
        sva_stats_acc_init(&acc);
        sva_employee_rating *x = &r->v[r->n++];
        const sva_employee_audit *a = rp[g];
        if (!(x->employee = sva_strdup(a->employee)) || !(x->name = sva_strdup(nz(a->name))) ||
            !(x->role = sva_strdup(nz(a->role))) || !(x->store = sva_strdup(a->store)) ||
            !(x->region = sva_strdup(nz(a->region)))) {
            rc = nomem(d);
            goto fail;
        }
        while (e < n && strcmp(rp[e]->store, a->store) == 0 &&
               strcmp(rp[e]->employee, a->employee) == 0) {
            sva_stats_acc_add(&acc, rp[e]->pct);
            x->failed += rp[e]->failed;
            x->n_last += rp[e]->cycle + 1 == (size_t)cycles;
            e++;
        }
        x->n = acc.n;
        x->mean = acc.mean;
        if (acc.n >= 2) {
            ss_w += acc.m2;
            df_w += acc.n - 1;
        }
        g = e;
    }
    /* per store: the audits' mean (the shrinkage target) and the spread of the
     * employee means around their own mean (for tau) */
    double ss_b = 0.0, inv_n = 0.0;
    long df_b = 0;
    for (size_t g = 0; g < r->n;) {
        size_t e = g;
        double sum = 0.0, cnt = 0.0;
        sva_stats_acc means;
        sva_stats_acc_init(&means);
        while (e < r->n && strcmp(r->v[e].store, r->v[g].store) == 0) {
            sum += r->v[e].mean * (double)r->v[e].n;
            cnt += (double)r->v[e].n;
            sva_stats_acc_add(&means, r->v[e].mean);
            inv_n += 1.0 / (double)r->v[e].n;
            e++;
        }
        for (size_t i = g; i < e; i++)
            r->v[i].store_mean = sum / cnt;
        if (means.n >= 2) {
            ss_b += means.m2;
            df_b += means.n - 1;
        }
        g = e;
    }
    double var_w = df_w > 0 ? ss_w / (double)df_w : 0.0;
    double var_b = df_b > 0 ? ss_b / (double)df_b : 0.0;
    double tau2 = r->n ? fmax(0.0, var_b - var_w * inv_n / (double)r->n) : 0.0;
    r->sigma_w = sqrt(var_w);
    r->tau = sqrt(tau2);
    /* no within spread to go by: no shrinkage (k 0); no between spread: all at the store */
    r->k = df_w == 0 ? 0.0 : tau2 > 0.0 ? var_w / tau2 : INFINITY;
    for (size_t i = 0; i < r->n; i++) {
        sva_employee_rating *x = &r->v[i];
        x->weight = isinf(r->k) ? 0.0 : (double)x->n / ((double)x->n + r->k);
        x->rating = x->store_mean + x->weight * (x->mean - x->store_mean);
        x->rated = x->n >= min_audits;
    }
    if (r->n > 1)
        qsort(r->v, r->n, sizeof *r->v, rating_order);
    rank_ratings(r);
    free(rp);
    *out = r;
    return SVA_OK;
fail:
    free(rp);
    sva_employee_ratings_free(r);
    return rc;
}

/* svcaudit: QA trends, the pure side (trend.h): rows in, series, item moves,
 * repeat failures and auditor rows out. No I/O, no database: db_history.c reads. */
#include "svcaudit/trend.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char SVA_TREND_METHOD[] =
    "audit %: mean and sd per cycle; a change is Welch's t-test on the audits of the cycle "
    "before against this cycle's (two-sided, alpha 0.05), insufficient n when either cycle "
    "has fewer than 2 audits or neither has any spread; compliance: passed / answered items "
    "(N/A left out) on a p-chart, centre p = pooled rate of the cycles shown, limits "
    "p +- 3 sqrt(p(1-p)/n) per cycle, insufficient n when n p < 5 or n (1-p) < 5";
const char SVA_TREND_ITEMS_METHOD[] =
    "item compliance this cycle against the cycle before: two-proportion z-test (pooled, "
    "two-sided, alpha 0.05); insufficient n when n p < 5 or n (1-p) < 5 for either cycle "
    "at the pooled p, and then never listed as a move";
const char SVA_TREND_AUDITORS_METHOD[] =
    "each auditor's audits of a checklist at a store that other auditors also audited, "
    "against those other auditors' audits of the same checklists and stores: Welch's t-test "
    "on audit % (two-sided, alpha 0.05); lenient = significantly higher, strict = lower";

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

sva_error sva_trend_series_compute(const sva_trend_query *q, const sva_cycle *cycles,
                                   size_t n_cycles, const sva_series_row *rows, size_t n,
                                   sva_trend **out, sva_diag *d)
{
    *out = NULL;
    sva_trend *t = calloc(1, sizeof *t);
    sva_stats_acc *acc = calloc(n_cycles ? n_cycles : 1, sizeof *acc);
    sva_pchart_point *pts = calloc(n_cycles ? n_cycles : 1, sizeof *pts);
    sva_error rc = SVA_OK;
    if (!t || !acc || !pts ||
        !(t->points = calloc(n_cycles ? n_cycles : 1, sizeof *t->points)) ||
        !(t->metric = sva_strdup(q->metric)) || (q->store && !(t->store = sva_strdup(q->store))) ||
        (q->region && !(t->region = sva_strdup(q->region)))) {
        rc = nomem(d);
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        const sva_series_row *r = &rows[i];
        sva_pchart_point *p = r->cycle < n_cycles ? &pts[r->cycle] : NULL;
        if (!p || r->answered < 0 || r->passed < 0 || r->passed > r->answered ||
            p->n > LONG_MAX - r->answered || sva_stats_acc_add(&acc[r->cycle], r->pct)) {
            rc = bad_rows(d, "series");
            goto fail;
        }
        p->passed += r->passed;
        p->n += r->answered;
    }
    for (size_t i = 0; i < n_cycles; i++) {
        sva_trend_point *p = &t->points[t->n++];
        if (!(p->cycle = sva_strdup(cycles[i].id)) || !(p->from = sva_strdup(cycles[i].from))) {
            rc = nomem(d);
            goto fail;
        }
        p->audits = sva_stats_acc_summary(&acc[i]);
        if (i > 0) {
            p->has_change = true;
            sva_stats_welch(&t->points[i - 1].audits, &p->audits, SVA_STATS_ALPHA, &p->change);
        }
    }
    if (sva_stats_pchart(pts, n_cycles, &t->pchart)) {
        rc = bad_rows(d, "series");
        goto fail;
    }
    for (size_t i = 0; i < n_cycles; i++)
        t->points[i].compliance = pts[i];
    free(acc);
    free(pts);
    *out = t;
    return SVA_OK;
fail:
    free(acc);
    free(pts);
    sva_trend_free(t);
    return rc;
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
        switch (x->test.verdict) {
        case SVA_VERDICT_IMPROVED: m->n_improved++; break;
        case SVA_VERDICT_DECLINED: m->n_declined++; break;
        case SVA_VERDICT_INSUFFICIENT_N: m->n_insufficient++; break;
        default: m->n_no_change++; break;
        }
    }
    if (m->n > 1)
        qsort(m->items, m->n, sizeof *m->items, move_cmp);
    *out = m;
    return SVA_OK;
fail:
    sva_item_moves_free(m);
    return rc;
}

/* ---- repeat failures --------------------------------------------------------------------- */

void sva_repeats_free(sva_repeat *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].store);
        free(v[i].region);
        free(v[i].checklist);
        free(v[i].item);
        for (size_t k = 0; k < v[i].n_cycles; k++)
            free(v[i].cycles[k]);
        free(v[i].cycles);
    }
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
 * up to @p at; appended to *v. */
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
    for (size_t c = at + 1; j > 0 && c > 0 && f[j - 1].cycle == c - 1; j--, c--)
        len++;
    if (len < 2)
        return SVA_OK;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        sva_repeat *nv = realloc(*v, *cap * sizeof *nv);
        if (!nv)
            return nomem(d);
        *v = nv;
    }
    sva_repeat *r = &(*v)[(*n)++];
    memset(r, 0, sizeof *r);
    size_t k = at + 1 - len;
    r->store = sva_strdup(last->store);
    r->region = sva_strdup(last->region ? last->region : "");
    r->checklist = sva_strdup(last->checklist);
    r->item = sva_strdup(last->item);
    r->cycles = calloc(len, sizeof *r->cycles);
    if (!r->store || !r->region || !r->checklist || !r->item || !r->cycles)
        return nomem(d);
    for (size_t i = 0; i < len; i++)
        if (!(r->cycles[r->n_cycles++] = sva_strdup(cy[k + i].id)))
            return nomem(d);
    r->failed = last->failed;
    r->answered = last->answered;
    r->escalate = true;
    r->n_actions = count_actions(act, nact, cy, r, cy[k].from, cy[at].from);
    return SVA_OK;
}

sva_error sva_trend_repeats_compute(const sva_cycle *cycles, size_t n_cycles, size_t at,
                                    const sva_failure_row *f, size_t nf,
                                    const sva_action_row *act, size_t nact, sva_repeat **out,
                                    size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if (at >= n_cycles)
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

/* The distinct auditors of @p s, sorted, each with their number of audits. */
static sva_error auditor_list(const sva_auditor_audit *s, size_t ns, sva_auditor_row **out,
                              size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if (ns == 0)
        return SVA_OK;
    const char **names = malloc(ns * sizeof *names);
    sva_auditor_row *v = calloc(ns, sizeof *v);
    if (!names || !v) {
        free(names);
        free(v);
        return nomem(d);
    }
    for (size_t i = 0; i < ns; i++)
        names[i] = s[i].auditor;
    qsort(names, ns, sizeof *names, cmp_str_ptr);
    size_t nv = 0;
    for (size_t i = 0; i < ns; i++) {
        if (nv && strcmp(v[nv - 1].auditor, names[i]) == 0) {
            v[nv - 1].audits++;
            continue;
        }
        if (!(v[nv].auditor = sva_strdup(names[i]))) {
            free(names);
            sva_auditor_rows_free(v, nv);
            return nomem(d);
        }
        v[nv++].audits = 1;
    }
    free(names);
    *out = v;
    *n = nv;
    return SVA_OK;
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
    return c ? c : strcmp(a->auditor, b->auditor);
}

sva_error sva_trend_auditors_compute(const sva_auditor_audit *s, size_t ns,
                                     sva_auditor_row **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    for (size_t i = 1; i < ns; i++)
        if (audit_key_cmp(&s[i - 1], &s[i]) > 0)
            return bad_rows(d, "auditors");
    sva_auditor_row *v = NULL;
    size_t nv = 0, *at = NULL;
    sva_stats_acc *own = NULL, *oth = NULL, *run = NULL, *pre = NULL;
    sva_error rc = auditor_list(s, ns, &v, &nv, d);
    if (rc)
        return rc;
    /* Per (checklist, store) group with two auditors or more, each auditor's
     * run of audits counts as theirs, the rest of the group as the others':
     * prefix and suffix merges make that one pass over the audits, where a
     * pass per auditor took 10 s for 20,000 auditors. */
    own = calloc(nv ? nv : 1, sizeof *own);
    oth = calloc(nv ? nv : 1, sizeof *oth);
    run = calloc(ns ? ns : 1, sizeof *run);
    pre = calloc(ns + 1, sizeof *pre);
    at = calloc(ns ? ns : 1, sizeof *at);
    if (!own || !oth || !run || !pre || !at) {
        rc = nomem(d);
        goto fail;
    }
    for (size_t g = 0; g < ns;) {
        size_t e = g, m = 0;
        while (e < ns && strcmp(s[e].checklist, s[g].checklist) == 0 &&
               strcmp(s[e].store, s[g].store) == 0) {
            if (e == g || strcmp(s[e].auditor, s[e - 1].auditor) != 0) {
                sva_stats_acc_init(&run[m]);
                at[m++] = auditor_index(v, nv, s[e].auditor);
            }
            if (sva_stats_acc_add(&run[m - 1], s[e].pct)) {
                rc = bad_rows(d, "auditors");
                goto fail;
            }
            e++;
        }
        if (m >= 2) {
            sva_stats_acc_init(&pre[0]);
            for (size_t i = 0; i < m; i++) {
                pre[i + 1] = pre[i];
                sva_stats_acc_merge(&pre[i + 1], &run[i]);
            }
            sva_stats_acc suf;
            sva_stats_acc_init(&suf);
            for (size_t i = m; i-- > 0;) {
                sva_stats_acc rest = pre[i];
                sva_stats_acc_merge(&rest, &suf);
                sva_stats_acc_merge(&own[at[i]], &run[i]);
                sva_stats_acc_merge(&oth[at[i]], &rest);
                sva_stats_acc_merge(&suf, &run[i]);
            }
        }
        g = e;
    }
    for (size_t k = 0; k < nv; k++) {
        v[k].own = sva_stats_acc_summary(&own[k]);
        v[k].others = sva_stats_acc_summary(&oth[k]);
        sva_stats_auditor(&v[k].own, &v[k].others, SVA_STATS_ALPHA, &v[k].cmp);
    }
    free(own);
    free(oth);
    free(run);
    free(pre);
    free(at);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    free(own);
    free(oth);
    free(run);
    free(pre);
    free(at);
    sva_auditor_rows_free(v, nv);
    return rc;
}

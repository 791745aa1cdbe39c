/* svcaudit: QA trends (see trend.h): the queries behind `svcaudit trend`,
 * `repeats` and `auditors` and the workbook's Trend, Repeats, Auditors sheets. */
#include "db_internal.h"
#include "svcaudit/trend.h"
#include "util.h"

#include <stdio.h>
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

/* The audits a metric counts: ?M is the metric's parameter number. */
#define METRIC_SQL(M)                                                                       \
    " (CASE WHEN ?" M " IN ('ssi', 'csi', '6s') THEN a.feeds = ?" M                         \
    " ELSE a.checklist_id = ?" M " END)"

static sva_error nomem(sva_diag *d)
{
    sva_diag_add(d, NULL, 0, "out of memory");
    return SVA_ERR_NOMEM;
}

/* The position of @p id in the cycle list (by start date), or -1 after a message. */
static long cycle_index(const sva_cycle *v, size_t n, const char *id, sva_diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return (long)i;
    sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", id);
    return -1;
}

/* SVA_OK when @p arg is NULL or @p sql finds it; else SVA_ERR_NOT_FOUND with
 * @p unknown (a format with one %s, for arg) as the message. */
static sva_error must_exist(sva_db *db, const char *sql, const char *arg, const char *unknown,
                            sva_diag *d)
{
    if (!arg)
        return SVA_OK;
    int e = db_exists(db, sql, arg, d);
    if (e < 0)
        return SVA_ERR_DB;
    if (!e) {
        sva_diag_add(d, NULL, 0, unknown, arg);
        return SVA_ERR_NOT_FOUND;
    }
    return SVA_OK;
}

static sva_error check_store(sva_db *db, const char *store, sva_diag *d)
{
    return must_exist(db, "SELECT 1 FROM store WHERE id = ?1", store,
                      "unknown store '%s' (see 'svcaudit store list')", d);
}

static sva_error check_region(sva_db *db, const char *region, sva_diag *d)
{
    return must_exist(db, "SELECT 1 FROM store WHERE region = ?1", region,
                      "unknown region '%s': no store is in it", d);
}

/* ---- the series ------------------------------------------------------------------------ */

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

static sva_error check_query(sva_db *db, const sva_trend_query *q, sva_diag *d)
{
    if (!q->metric || q->cycles < 1 || (q->store && q->region)) {
        sva_diag_add(d, NULL, 0, "a trend needs a metric, at least 1 cycle, and a store or a "
                                 "region (not both)");
        return SVA_ERR_USAGE;
    }
    if (strcmp(q->metric, "ssi") && strcmp(q->metric, "csi") && strcmp(q->metric, "6s")) {
        int e = db_exists(db, "SELECT 1 FROM checklist_version WHERE checklist_id = ?1",
                          q->metric, d);
        if (e < 0)
            return SVA_ERR_DB;
        if (!e) {
            sva_diag_add(d, NULL, 0, "unknown metric '%s' (ssi, csi, 6s, or the id of a "
                                     "checklist with audits)", q->metric);
            return SVA_ERR_NOT_FOUND;
        }
    }
    sva_error rc = check_store(db, q->store, d);
    return rc ? rc : check_region(db, q->region, d);
}

/* Bind ?1 cycle, ?2 metric, ?3 store, ?4 region. */
static void bind_scope(sql_stmt *st, const char *cycle, const sva_trend_query *q)
{
    sql_reset(st);
    sql_bind_text(st, 1, cycle);
    sql_bind_text(st, 2, q->metric);
    sql_bind_text(st, 3, q->store);
    sql_bind_text(st, 4, q->region);
}

sva_error sva_trend_series(sva_db *db, const sva_trend_query *q, sva_trend **out, sva_diag *d)
{
    *out = NULL;
    sva_error rc = check_query(db, q, d);
    if (rc)
        return rc;
    sva_cycle *cy = NULL;
    size_t ncy = 0;
    sql_stmt *qa = NULL, *qx = NULL;
    sva_trend *t = NULL;
    if ((rc = sva_db_cycle_list(db, &cy, &ncy, d)))
        return rc;
    long at = (long)ncy - 1;
    if (q->last_cycle && (at = cycle_index(cy, ncy, q->last_cycle, d)) < 0) {
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    if (at < 0) {
        sva_diag_add(d, NULL, 0, "no cycles yet (see 'svcaudit cycle open')");
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    long first = at + 1 - q->cycles < 0 ? 0 : at + 1 - q->cycles;
    t = calloc(1, sizeof *t);
    if (!t || !(t->points = calloc((size_t)(at - first + 1), sizeof *t->points)) ||
        !(t->metric = sva_strdup(q->metric)) || (q->store && !(t->store = sva_strdup(q->store))) ||
        (q->region && !(t->region = sva_strdup(q->region)))) {
        rc = nomem(d);
        goto fail;
    }
    if ((rc = db_prep(db,
                      "SELECT a.pct FROM audit a JOIN store s ON s.id = a.store_id"
                      " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND a.scorable = 1"
                      " AND a.pct IS NOT NULL AND" METRIC_SQL("2")
                      " AND (?3 IS NULL OR a.store_id = ?3) AND (?4 IS NULL OR s.region = ?4)"
                      " ORDER BY a.store_id, a.id",
                      &qa, d)) ||
        (rc = db_prep(db,
                      "SELECT COALESCE(SUM(a.n_passed), 0), COALESCE(SUM(a.n_answered), 0)"
                      " FROM audit a JOIN store s ON s.id = a.store_id"
                      " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND a.scorable = 1"
                      " AND a.pct IS NOT NULL AND" METRIC_SQL("2")
                      " AND (?3 IS NULL OR a.store_id = ?3) AND (?4 IS NULL OR s.region = ?4)",
                      &qx, d)))
        goto fail;
    sva_pchart_point *pts = calloc((size_t)(at - first + 1), sizeof *pts);
    if (!pts) {
        rc = nomem(d);
        goto fail;
    }
    for (long i = first; i <= at; i++) {
        sva_trend_point *p = &t->points[t->n++];
        p->cycle = sva_strdup(cy[i].id);
        p->from = sva_strdup(cy[i].from);
        sva_stats_acc acc;
        sva_stats_acc_init(&acc);
        bind_scope(qa, cy[i].id, q);
        int r;
        while ((r = sql_step(qa)) == SQL_ROW)
            sva_stats_acc_add(&acc, sql_double(qa, 0));
        p->audits = sva_stats_acc_summary(&acc);
        bind_scope(qx, cy[i].id, q);
        if (r != SQL_DONE || (r = sql_step(qx)) != SQL_ROW) {
            free(pts);
            rc = db_fail(db, d, "cannot compute the trend");
            goto fail;
        }
        pts[t->n - 1].passed = (long)sql_int(qx, 0);
        pts[t->n - 1].n = (long)sql_int(qx, 1);
        if (!p->cycle || !p->from) {
            free(pts);
            rc = nomem(d);
            goto fail;
        }
        if (t->n > 1) {
            p->has_change = true;
            sva_stats_welch(&t->points[t->n - 2].audits, &p->audits, SVA_STATS_ALPHA,
                            &p->change);
        }
    }
    rc = sva_stats_pchart(pts, t->n, &t->pchart);
    for (size_t i = 0; i < t->n; i++)
        t->points[i].compliance = pts[i];
    free(pts);
    if (rc) {
        sva_diag_add(d, NULL, 0, "cannot compute the p-chart");
        goto fail;
    }
    sql_finalize(qa);
    sql_finalize(qx);
    sva_cycles_free(cy, ncy);
    *out = t;
    return SVA_OK;
fail:
    sql_finalize(qa);
    sql_finalize(qx);
    sva_cycles_free(cy, ncy);
    sva_trend_free(t);
    return rc;
}

/* ---- item moves ---------------------------------------------------------------------- */

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

/* Moves first, biggest rise to biggest fall; the rest keep the query's order
 * (checklist, item), which the names give back. */
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

sva_error sva_trend_items(sva_db *db, const char *cycle, const char *store, const char *region,
                          sva_item_moves **out, sva_diag *d)
{
    *out = NULL;
    sva_cycle *cy = NULL;
    size_t ncy = 0;
    sql_stmt *q = NULL;
    sva_item_moves *m = NULL;
    size_t cap = 0;
    if (store && region) {
        sva_diag_add(d, NULL, 0, "item moves are of a store or of a region, not both");
        return SVA_ERR_USAGE;
    }
    sva_error rc = check_store(db, store, d);
    if (!rc)
        rc = check_region(db, region, d);
    if (rc || (rc = sva_db_cycle_list(db, &cy, &ncy, d)))
        return rc;
    long at = cycle_index(cy, ncy, cycle, d);
    if (at < 0) {
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    if (at == 0) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is the first cycle: there is no cycle before it "
                                 "to compare with", cycle);
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    m = calloc(1, sizeof *m);
    if (!m || !(m->cycle = sva_strdup(cy[at].id)) || !(m->previous = sva_strdup(cy[at - 1].id))) {
        rc = nomem(d);
        goto fail;
    }
    if ((rc = db_prep(db,
                      "SELECT a.checklist_id, x.item_id, MAX(x.section_id),"
                      " COALESCE(SUM(CASE WHEN a.cycle_id = ?2 THEN x.passed END), 0),"
                      " COUNT(CASE WHEN a.cycle_id = ?2 THEN x.passed END),"
                      " COALESCE(SUM(CASE WHEN a.cycle_id = ?1 THEN x.passed END), 0),"
                      " COUNT(CASE WHEN a.cycle_id = ?1 THEN x.passed END)"
                      " FROM answer x JOIN audit a ON a.id = x.audit_id"
                      " JOIN store s ON s.id = a.store_id"
                      " WHERE a.cycle_id IN (?1, ?2) AND a.voided_at IS NULL"
                      " AND x.passed IS NOT NULL AND (?3 IS NULL OR a.store_id = ?3)"
                      " AND (?4 IS NULL OR s.region = ?4)"
                      " GROUP BY a.checklist_id, x.item_id ORDER BY 1, 2",
                      &q, d)))
        goto fail;
    sql_bind_text(q, 1, m->cycle);
    sql_bind_text(q, 2, m->previous);
    sql_bind_text(q, 3, store);
    sql_bind_text(q, 4, region);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (m->n == cap) {
            cap = cap ? cap * 2 : 64;
            sva_item_move *v = realloc(m->items, cap * sizeof *v);
            if (!v) {
                rc = nomem(d);
                goto fail;
            }
            m->items = v;
        }
        sva_item_move *x = &m->items[m->n++];
        memset(x, 0, sizeof *x);
        x->checklist = db_col_text(q, 0);
        x->item = db_col_text(q, 1);
        x->section = db_col_text(q, 2);
        x->passed_before = (long)sql_int(q, 3);
        x->n_before = (long)sql_int(q, 4);
        x->passed_after = (long)sql_int(q, 5);
        x->n_after = (long)sql_int(q, 6);
        if (!x->checklist || !x->item || !x->section) {
            rc = nomem(d);
            goto fail;
        }
        sva_stats_prop_test(x->passed_before, x->n_before, x->passed_after, x->n_after,
                            SVA_STATS_ALPHA, &x->test);
        switch (x->test.verdict) {
        case SVA_VERDICT_IMPROVED: m->n_improved++; break;
        case SVA_VERDICT_DECLINED: m->n_declined++; break;
        case SVA_VERDICT_INSUFFICIENT_N: m->n_insufficient++; break;
        default: m->n_no_change++; break;
        }
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot compute the item moves");
        goto fail;
    }
    if (m->n > 1)
        qsort(m->items, m->n, sizeof *m->items, move_cmp);
    sql_finalize(q);
    sva_cycles_free(cy, ncy);
    *out = m;
    return SVA_OK;
fail:
    sql_finalize(q);
    sva_cycles_free(cy, ncy);
    sva_item_moves_free(m);
    return rc;
}

/* ---- repeat failures ------------------------------------------------------------------- */

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

static bool same_key(char *const *a, sql_stmt *q)
{
    for (int i = 0; i < 3; i++) {
        const char *t = sql_text(q, i == 0 ? 0 : i + 1);
        if (!a[i] || !t || strcmp(a[i], t) != 0)
            return false;
    }
    return true;
}

/* Finish one (store, checklist, item): failing[] marks the cycles it failed in. */
static sva_error repeat_close(sva_db *db, sql_stmt *qact, const sva_cycle *cy, long at,
                              const bool *failing, char **key, long failed, long answered,
                              sva_repeat **v, size_t *n, size_t *cap, sva_diag *d)
{
    long k = at;
    while (k >= 0 && failing[k])
        k--;
    long len = at - k;
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
    r->store = sva_strdup(key[0]);
    r->region = sva_strdup(key[3] ? key[3] : "");
    r->checklist = sva_strdup(key[1]);
    r->item = sva_strdup(key[2]);
    r->cycles = calloc((size_t)len, sizeof *r->cycles);
    if (!r->store || !r->region || !r->checklist || !r->item || !r->cycles)
        return nomem(d);
    for (long i = 0; i < len; i++)
        if (!(r->cycles[r->n_cycles++] = sva_strdup(cy[k + 1 + i].id)))
            return nomem(d);
    r->failed = failed;
    r->answered = answered;
    r->escalate = true;
    sql_reset(qact);
    sql_bind_text(qact, 1, r->store);
    sql_bind_text(qact, 2, r->checklist);
    sql_bind_text(qact, 3, r->item);
    sql_bind_text(qact, 4, cy[k + 1].from);
    sql_bind_text(qact, 5, cy[at].from);
    if (sql_step(qact) != SQL_ROW)
        return db_fail(db, d, "cannot count the actions");
    r->n_actions = (long)sql_int(qact, 0);
    return SVA_OK;
}

sva_error sva_trend_repeats(sva_db *db, const char *cycle, sva_repeat **out, size_t *n,
                            sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_cycle *cy = NULL;
    size_t ncy = 0, cap = 0;
    sql_stmt *q = NULL, *qact = NULL;
    sva_repeat *v = NULL;
    bool *failing = NULL;
    char *key[4] = {NULL, NULL, NULL, NULL};
    long failed = 0, answered = 0;
    sva_error rc = sva_db_cycle_list(db, &cy, &ncy, d);
    if (rc)
        return rc;
    long at = cycle_index(cy, ncy, cycle, d);
    if (at < 0) {
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    if (at == 0) { /* no earlier cycle: nothing can fail twice in a row */
        sva_cycles_free(cy, ncy);
        return SVA_OK;
    }
    failing = calloc(ncy, sizeof *failing);
    if (!failing) {
        rc = nomem(d);
        goto fail;
    }
    /* every failing cycle of each (store, checklist, item) that fails in ?1. The
     * failing set f is computed once (materialized, looked up by an automatic
     * index) and each answer is read once in audit order: a correlated EXISTS per
     * answer took 15 times longer on a million answers (54 s against 3.5 s). */
    if ((rc = db_prep(db,
                      "WITH f(store_id, checklist_id, item_id) AS MATERIALIZED ("
                      "  SELECT DISTINCT b.store_id, b.checklist_id, y.item_id"
                      "  FROM audit b JOIN answer y ON y.audit_id = b.id"
                      "  WHERE b.cycle_id = ?1 AND b.voided_at IS NULL AND y.passed = 0)"
                      " SELECT a.store_id, s.region, a.checklist_id, x.item_id, a.cycle_id,"
                      " SUM(CASE WHEN x.passed = 0 THEN 1 ELSE 0 END), COUNT(*)"
                      " FROM audit a CROSS JOIN answer x JOIN store s ON s.id = a.store_id"
                      " WHERE x.audit_id = a.id AND a.voided_at IS NULL AND x.passed IS NOT NULL"
                      " AND a.cycle_id IN (SELECT id FROM cycle WHERE date_from <="
                      "   (SELECT date_from FROM cycle WHERE id = ?1))"
                      " AND a.store_id IN (SELECT store_id FROM f)"
                      " AND (a.store_id, a.checklist_id, x.item_id)"
                      "  IN (SELECT store_id, checklist_id, item_id FROM f)"
                      " GROUP BY a.store_id, s.region, a.checklist_id, x.item_id, a.cycle_id"
                      " HAVING SUM(CASE WHEN x.passed = 0 THEN 1 ELSE 0 END) > 0"
                      " ORDER BY 1, 3, 4, 5",
                      &q, d)) ||
        (rc = db_prep(db,
                      "SELECT COUNT(*) FROM action WHERE store_id = ?1 AND item_id = ?3"
                      " AND (checklist_id IS NULL OR checklist_id = ?2)"
                      " AND cycle_id IN (SELECT id FROM cycle WHERE date_from >= ?4"
                      "   AND date_from <= ?5)",
                      &qact, d)))
        goto fail;
    sql_bind_text(q, 1, cy[at].id);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (key[0] && !same_key(key, q)) {
            if ((rc = repeat_close(db, qact, cy, at, failing, key, failed, answered, &v, n,
                                   &cap, d)))
                goto fail;
            for (int i = 0; i < 4; i++) {
                free(key[i]);
                key[i] = NULL;
            }
        }
        if (!key[0]) {
            memset(failing, 0, ncy * sizeof *failing);
            key[0] = db_col_text(q, 0);
            key[3] = db_col_text(q, 1);
            key[1] = db_col_text(q, 2);
            key[2] = db_col_text(q, 3);
            if (!key[0] || !key[1] || !key[2]) {
                rc = nomem(d);
                goto fail;
            }
        }
        const char *c = sql_text(q, 4);
        for (size_t i = 0; c && i < ncy; i++)
            if (strcmp(cy[i].id, c) == 0) {
                failing[i] = true;
                if ((long)i == at) {
                    failed = (long)sql_int(q, 5);
                    answered = (long)sql_int(q, 6);
                }
            }
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot find the repeat failures");
        goto fail;
    }
    if (key[0] &&
        (rc = repeat_close(db, qact, cy, at, failing, key, failed, answered, &v, n, &cap, d)))
        goto fail;
    for (int i = 0; i < 4; i++)
        free(key[i]);
    free(failing);
    sql_finalize(q);
    sql_finalize(qact);
    sva_cycles_free(cy, ncy);
    *out = v;
    return SVA_OK;
fail:
    for (int i = 0; i < 4; i++)
        free(key[i]);
    free(failing);
    sql_finalize(q);
    sql_finalize(qact);
    sva_cycles_free(cy, ncy);
    sva_repeats_free(v, *n);
    *n = 0;
    return rc;
}

/* ---- auditors -------------------------------------------------------------------------- */

void sva_auditor_rows_free(sva_auditor_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].auditor);
    free(v);
}

typedef struct scored {
    char *checklist, *store, *auditor;
    double pct;
} scored;

static void scored_free(scored *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].checklist);
        free(v[i].store);
        free(v[i].auditor);
    }
    free(v);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct auditors of @p s, sorted, each with their number of audits. */
static sva_error auditor_list(const scored *s, size_t ns, sva_auditor_row **out, size_t *n,
                              sva_diag *d)
{
    *out = NULL;
    *n = 0;
    if (ns == 0)
        return SVA_OK;
    char **names = malloc(ns * sizeof *names);
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

sva_error sva_trend_auditors(sva_db *db, const char *cycle, sva_auditor_row **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q = NULL;
    scored *s = NULL;
    size_t ns = 0, cap = 0;
    sva_auditor_row *v = NULL;
    size_t nv = 0, *at = NULL;
    sva_stats_acc *own = NULL, *oth = NULL, *run = NULL, *pre = NULL;
    sva_error rc = SVA_OK;
    if (cycle) {
        sva_cycle *c = NULL;
        if ((rc = sva_db_cycle_get(db, cycle, &c, d))) {
            if (rc == SVA_ERR_NOT_FOUND && d && d->n == 0)
                sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", cycle);
            return rc;
        }
        sva_cycles_free(c, 1);
    }
    if ((rc = db_prep(db,
                      "SELECT checklist_id, store_id, auditor, pct FROM audit"
                      " WHERE voided_at IS NULL AND scorable = 1 AND pct IS NOT NULL"
                      " AND (?1 IS NULL OR cycle_id = ?1) ORDER BY 1, 2, 3",
                      &q, d)))
        return rc;
    sql_bind_text(q, 1, cycle);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (ns == cap) {
            cap = cap ? cap * 2 : 256;
            scored *nsv = realloc(s, cap * sizeof *nsv);
            if (!nsv) {
                rc = nomem(d);
                goto fail;
            }
            s = nsv;
        }
        scored *x = &s[ns++];
        x->checklist = db_col_text(q, 0);
        x->store = db_col_text(q, 1);
        x->auditor = db_col_text(q, 2);
        x->pct = sql_double(q, 3);
        if (!x->checklist || !x->store || !x->auditor) {
            rc = nomem(d);
            goto fail;
        }
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot compare the auditors");
        goto fail;
    }
    /* the auditors, sorted and unique */
    if ((rc = auditor_list(s, ns, &v, &nv, d)))
        goto fail;
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
            sva_stats_acc_add(&run[m - 1], s[e].pct);
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
    sql_finalize(q);
    scored_free(s, ns);
    *out = v;
    *n = nv;
    return SVA_OK;
fail:
    free(own);
    free(oth);
    free(run);
    free(pre);
    free(at);
    sql_finalize(q);
    scored_free(s, ns);
    sva_auditor_rows_free(v, nv);
    return rc;
}

/* svcaudit: QA trends, the store side (trend.h): the rows behind `svcaudit
 * trend`, `repeats` and `auditors`, read here and handed to trend.c (pure). */
#include "db_internal.h"
#include "svcaudit/trend.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audits a metric counts: ?M is the metric's parameter number. */
#define METRIC_SQL(M)                                                                       \
    " (CASE WHEN ?" M " IN ('ssi', 'csi', '6s') THEN a.feeds = ?" M                         \
    " ELSE a.checklist_id = ?" M " END)"

static sva_error nomem(sva_diag *d)
{
    sva_diag_add(d, NULL, 0, "out of memory");
    return SVA_ERR_NOMEM;
}

/* @p v with room for element @p n (of @p size bytes; *cap elements now), or NULL
 * when out of memory (v is then still the caller's). */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : 64;
    void *nv = realloc(v, nc * size);
    if (nv)
        *cap = nc;
    return nv;
}

/* The position of @p id in the cycle list (by start date), or -1 after a message. */
static long cycle_index(const sva_cycle *v, size_t n, const char *id, sva_diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return (long)i;
    if (d)
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

/* The audits of @p q's metric and scope in each of @p cy[0..n-1] (row cycle = index
 * into cy), store ids in @p pool. */
static sva_error series_rows(sva_db *db, const sva_trend_query *q, const sva_cycle *cy, size_t n,
                             sva_pool *pool, sva_series_row **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *st = NULL;
    sva_series_row *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
                           "SELECT a.store_id, s.region, a.pct, a.n_passed, a.n_answered"
                           " FROM audit a JOIN store s ON s.id = a.store_id"
                           " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND a.scorable = 1"
                           " AND a.pct IS NOT NULL AND" METRIC_SQL("2")
                           " AND (?3 IS NULL OR a.store_id = ?3)"
                           " AND (?4 IS NULL OR s.region = ?4)",
                           &st, d);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        sql_reset(st);
        sql_bind_text(st, 1, cy[i].id);
        sql_bind_text(st, 2, q->metric);
        sql_bind_text(st, 3, q->store);
        sql_bind_text(st, 4, q->region);
        int r;
        while ((r = sql_step(st)) == SQL_ROW) {
            void *g = grow(v, &cap, nv, sizeof *v);
            if (!g) {
                rc = nomem(d);
                goto fail;
            }
            v = g;
            sva_series_row *x = &v[nv++];
            x->cycle = i;
            x->store = sva_pool_str(pool, sql_text(st, 0));
            x->region = sva_pool_str(pool, sql_text(st, 1) ? sql_text(st, 1) : "");
            x->pct = sql_double(st, 2);
            x->passed = (long)sql_int(st, 3);
            x->answered = (long)sql_int(st, 4);
            if (!x->store || !x->region) {
                rc = nomem(d);
                goto fail;
            }
        }
        if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot compute the trend");
            goto fail;
        }
    }
    sql_finalize(st);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(st);
    free(v);
    return rc;
}

sva_error sva_trend_series(sva_db *db, const sva_trend_query *q, sva_trend **out, sva_diag *d)
{
    *out = NULL;
    sva_error rc = check_query(db, q, d);
    if (rc)
        return rc;
    sva_cycle *cy = NULL;
    size_t ncy = 0, first = 0, at = 0, nrows = 0;
    sva_series_row *rows = NULL;
    sva_pool pool = {0};
    if ((rc = sva_db_cycle_list(db, &cy, &ncy, d)))
        return rc;
    if (!(rc = sva_trend_window(cy, ncy, q->last_cycle, q->cycles, &first, &at, d)) &&
        !(rc = series_rows(db, q, cy + first, at - first + 1, &pool, &rows, &nrows, d)))
        rc = sva_trend_series_compute(q, cy + first, at - first + 1, rows, nrows, out, d);
    free(rows);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

sva_error sva_trend_scan(sva_db *db, const char *metric, const char *region,
                         const char *last_cycle, int cycles, double fdr, sva_trend_scopes **out,
                         sva_diag *d)
{
    *out = NULL;
    sva_trend_query q = {.metric = metric, .region = region, .last_cycle = last_cycle,
                         .cycles = cycles};
    sva_error rc = check_query(db, &q, d);
    if (rc)
        return rc;
    sva_cycle *cy = NULL;
    size_t ncy = 0, first = 0, at = 0, nrows = 0;
    sva_series_row *rows = NULL;
    sva_pool pool = {0};
    if ((rc = sva_db_cycle_list(db, &cy, &ncy, d)))
        return rc;
    if (!(rc = sva_trend_window(cy, ncy, last_cycle, cycles, &first, &at, d)) &&
        !(rc = series_rows(db, &q, cy + first, at - first + 1, &pool, &rows, &nrows, d)))
        rc = sva_trend_scan_compute(metric, region, cy + first, at - first + 1, rows, nrows, fdr,
                                    out, d);
    free(rows);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

/* ---- item moves ---------------------------------------------------------------------- */

static void item_counts_free(sva_item_count *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].checklist);
        free((char *)v[i].section);
        free((char *)v[i].item);
    }
    free(v);
}

/* Per checklist and item, the answers of @p cycle ("after") and @p previous ("before"). */
static sva_error item_counts(sva_db *db, const char *cycle, const char *previous,
                             const char *store, const char *region, sva_item_count **out,
                             size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *q = NULL;
    sva_item_count *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
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
                           &q, d);
    if (rc)
        return rc;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, previous);
    sql_bind_text(q, 3, store);
    sql_bind_text(q, 4, region);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        void *g = grow(v, &cap, nv, sizeof *v);
        if (!g) {
            rc = nomem(d);
            goto fail;
        }
        v = g;
        sva_item_count *x = &v[nv++];
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
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot compute the item moves");
        goto fail;
    }
    sql_finalize(q);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(q);
    item_counts_free(v, nv);
    return rc;
}

sva_error sva_trend_items(sva_db *db, const char *cycle, const char *store, const char *region,
                          sva_item_moves **out, sva_diag *d)
{
    *out = NULL;
    sva_cycle *cy = NULL;
    size_t ncy = 0, nv = 0;
    sva_item_count *v = NULL;
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
    } else if (at == 0) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is the first cycle: there is no cycle before it "
                                 "to compare with", cycle);
        rc = SVA_ERR_NOT_FOUND;
    } else if (!(rc = item_counts(db, cy[at].id, cy[at - 1].id, store, region, &v, &nv, d))) {
        rc = sva_trend_items_compute(cy[at].id, cy[at - 1].id, v, nv, out, d);
    }
    item_counts_free(v, nv);
    sva_cycles_free(cy, ncy);
    return rc;
}

/* ---- repeat failures ------------------------------------------------------------------- */

/* Every failing cycle up to @p cy[at] of each (store, checklist, item) that fails
 * in it, sorted by store, checklist, item, cycle; strings in @p pool. The failing
 * set f is computed once (materialized, looked up by an automatic index) and each
 * answer is read once in audit order: a correlated EXISTS per answer took 15
 * times longer on a million answers (54 s against 3.5 s). */
static sva_error failure_rows(sva_db *db, const sva_cycle *cy, size_t ncy, size_t at,
                              sva_pool *pool, sva_failure_row **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *q = NULL;
    sva_failure_row *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
                           "WITH f(store_id, checklist_id, item_id) AS MATERIALIZED ("
                           "  SELECT DISTINCT b.store_id, b.checklist_id, y.item_id"
                           "  FROM audit b JOIN answer y ON y.audit_id = b.id"
                           "  WHERE b.cycle_id = ?1 AND b.voided_at IS NULL AND y.passed = 0)"
                           " SELECT a.store_id, s.region, a.checklist_id, x.item_id, a.cycle_id,"
                           " SUM(x.passed = 0), COUNT(*)"
                           " FROM audit a CROSS JOIN answer x ON x.audit_id = a.id"
                           " JOIN store s ON s.id = a.store_id"
                           " WHERE a.voided_at IS NULL AND x.passed IS NOT NULL"
                           " AND a.cycle_id IN (SELECT id FROM cycle WHERE date_from <="
                           "   (SELECT date_from FROM cycle WHERE id = ?1))"
                           " AND a.store_id IN (SELECT store_id FROM f)"
                           " AND (a.store_id, a.checklist_id, x.item_id) IN f"
                           " GROUP BY a.store_id, a.checklist_id, x.item_id, a.cycle_id"
                           " HAVING SUM(x.passed = 0) > 0 ORDER BY 1, 3, 4",
                           &q, d);
    if (rc)
        return rc;
    sql_bind_text(q, 1, cy[at].id);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        long c = cycle_index(cy, ncy, sql_text(q, 4), NULL);
        if (c < 0)
            continue; /* cannot be: audits name existing cycles */
        void *g = grow(v, &cap, nv, sizeof *v);
        if (!g) {
            rc = nomem(d);
            goto fail;
        }
        v = g;
        sva_failure_row *x = &v[nv++];
        x->store = sva_pool_str(pool, sql_text(q, 0));
        x->region = sva_pool_str(pool, sql_text(q, 1) ? sql_text(q, 1) : "");
        x->checklist = sva_pool_str(pool, sql_text(q, 2));
        x->item = sva_pool_str(pool, sql_text(q, 3));
        x->cycle = (size_t)c;
        x->failed = (long)sql_int(q, 5);
        x->answered = (long)sql_int(q, 6);
        if (!x->store || !x->region || !x->checklist || !x->item) {
            rc = nomem(d);
            goto fail;
        }
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot find the repeat failures");
        goto fail;
    }
    sql_finalize(q);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(q);
    free(v);
    return rc;
}

/* The actions that name an item, in cycles that start no later than @p cy[at]. */
static sva_error action_rows(sva_db *db, const sva_cycle *cy, size_t ncy, size_t at,
                             sva_pool *pool, sva_action_row **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *q = NULL;
    sva_action_row *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
                           "SELECT store_id, checklist_id, item_id, cycle_id FROM action"
                           " WHERE item_id IS NOT NULL AND cycle_id IN (SELECT id FROM cycle"
                           "   WHERE date_from <= ?1)",
                           &q, d);
    if (rc)
        return rc;
    sql_bind_text(q, 1, cy[at].from);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        long c = cycle_index(cy, ncy, sql_text(q, 3), NULL);
        if (c < 0)
            continue;
        void *g = grow(v, &cap, nv, sizeof *v);
        if (!g) {
            rc = nomem(d);
            goto fail;
        }
        v = g;
        sva_action_row *x = &v[nv++];
        x->store = sva_pool_str(pool, sql_text(q, 0));
        x->checklist = sva_pool_str(pool, sql_text(q, 1)); /* NULL stays NULL */
        x->item = sva_pool_str(pool, sql_text(q, 2));
        x->cycle = (size_t)c;
        if (!x->store || !x->item || (!x->checklist && !sql_is_null(q, 1))) {
            rc = nomem(d);
            goto fail;
        }
    }
    if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot count the actions");
        goto fail;
    }
    sql_finalize(q);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(q);
    free(v);
    return rc;
}

sva_error sva_trend_repeats(sva_db *db, const char *cycle, sva_repeat **out, size_t *n,
                            sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_cycle *cy = NULL;
    size_t ncy = 0, nf = 0, na = 0;
    sva_failure_row *f = NULL;
    sva_action_row *act = NULL;
    sva_pool pool = {0};
    sva_error rc = sva_db_cycle_list(db, &cy, &ncy, d);
    if (rc)
        return rc;
    long at = cycle_index(cy, ncy, cycle, d);
    if (at < 0)
        rc = SVA_ERR_NOT_FOUND;
    else if (at > 0 && /* the first cycle: nothing can fail twice in a row */
             !(rc = failure_rows(db, cy, ncy, (size_t)at, &pool, &f, &nf, d)) &&
             !(rc = action_rows(db, cy, ncy, (size_t)at, &pool, &act, &na, d)))
        rc = sva_trend_repeats_compute(cy, ncy, (size_t)at, f, nf, act, na, out, n, d);
    free(f);
    free(act);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

/* ---- auditors -------------------------------------------------------------------------- */

/* The scored audits of @p cycle (all cycles when NULL), by checklist, store, auditor. */
static sva_error auditor_audits(sva_db *db, const char *cycle, sva_pool *pool,
                                sva_auditor_audit **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *q = NULL;
    sva_auditor_audit *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
                           "SELECT checklist_id, store_id, auditor, pct FROM audit"
                           " WHERE voided_at IS NULL AND scorable = 1 AND pct IS NOT NULL"
                           " AND (?1 IS NULL OR cycle_id = ?1) ORDER BY 1, 2, 3",
                           &q, d);
    if (rc)
        return rc;
    sql_bind_text(q, 1, cycle);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        void *g = grow(v, &cap, nv, sizeof *v);
        if (!g) {
            rc = nomem(d);
            goto fail;
        }
        v = g;
        sva_auditor_audit *x = &v[nv++];
        x->checklist = sva_pool_str(pool, sql_text(q, 0));
        x->store = sva_pool_str(pool, sql_text(q, 1));
        x->auditor = sva_pool_str(pool, sql_text(q, 2));
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
    sql_finalize(q);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(q);
    free(v);
    return rc;
}

sva_error sva_trend_auditors(sva_db *db, const char *cycle, sva_auditor_row **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
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
    sva_pool pool = {0};
    sva_auditor_audit *v = NULL;
    size_t nv = 0;
    if (!(rc = auditor_audits(db, cycle, &pool, &v, &nv, d)))
        rc = sva_trend_auditors_compute(v, nv, out, n, d);
    free(v);
    sva_pool_free(&pool);
    return rc;
}

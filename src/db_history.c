/* svcaudit: QA trends, the store side (trend.h): the rows behind `svcaudit
 * trend`, `repeats` and `auditors`, read here and handed to trend.c (pure). */
#include "db_internal.h"
#include "svcaudit/trend.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static sva_error check_store(sva_db *db, const char *store, sva_diag *d)
{
    return store ? sva_db_ref_check(db, SVA_REF_STORE, store, "--store", d) : SVA_OK;
}

static sva_error check_region(sva_db *db, const char *region, sva_diag *d)
{
    return region ? sva_db_ref_check(db, SVA_REF_REGION, region, "--region", d) : SVA_OK;
}

/* ---- the series ------------------------------------------------------------------------ */

/* "did you mean" for a metric: ssi, csi, 6s and the checklists with a stored
 * version, into @p out ("" when none is near or on any failure). */
static void near_metric(sva_db *db, const char *typed, char *out, size_t size)
{
    const char *names[64] = {"ssi", "csi", "6s"};
    char *owned[64];
    size_t n = 3, n_owned = 0;
    sql_stmt *q;
    out[0] = '\0';
    if (db_prep(db, "SELECT DISTINCT checklist_id FROM checklist_version ORDER BY 1", &q,
                NULL) == SVA_OK) {
        while (n < 64 && sql_step(q) == SQL_ROW) {
            char *id = db_col_text(q, 0);
            if (!id)
                break;
            owned[n_owned++] = id;
            names[n++] = id;
        }
        sql_finalize(q);
    }
    sva_suggest(typed, names, n, out, size);
    for (size_t i = 0; i < n_owned; i++)
        free(owned[i]);
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
            char sug[512] = "";
            near_metric(db, q->metric, sug, sizeof sug);
            if (*sug)
                sva_diag_add(d, NULL, 0, "unknown metric '%s' (did you mean %s?)", q->metric,
                             sug);
            else
                sva_diag_add(d, NULL, 0, "unknown metric '%s' (ssi, csi, 6s, or the id of a "
                                         "checklist with audits)", q->metric);
            return SVA_ERR_NOT_FOUND;
        }
    }
    sva_error rc = check_store(db, q->store, d);
    return rc ? rc : check_region(db, q->region, d);
}

/* @p ids with room for element @p n set to @p id; NULL when out of memory (then
 * ids is freed). */
static long long *ids_put(long long *ids, size_t *cap, size_t n, long long id)
{
    long long *g = grow(ids, cap, n, sizeof *ids);
    if (!g) {
        free(ids);
        return NULL;
    }
    g[n] = id;
    return g;
}

typedef struct id_row {
    long long id;
    sva_series_row row;
} id_row;

static int id_row_cmp(const void *a, const void *b)
{
    const id_row *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Put rows v[0..n-1] in the order of their ids (audit numbers: the order of
 * recording). false when out of memory. */
static bool by_id(sva_series_row *v, const long long *ids, size_t n)
{
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = ids[i - 1] <= ids[i];
    if (sorted)
        return true;
    id_row *t = malloc(n * sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < n; i++)
        t[i] = (id_row){ids[i], v[i]};
    qsort(t, n, sizeof *t, id_row_cmp);
    for (size_t i = 0; i < n; i++)
        v[i] = t[i].row;
    free(t);
    return true;
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
    sva_map region_of = {0}; /* store -> index into regions */
    const char **regions = NULL;
    size_t nreg = 0, rcap = 0, icap = 0;
    long long *ids = NULL;
    /* the stores' regions, read once: each audit's comes from here, not from a join */
    sva_error rc = db_prep(db, "SELECT id, region FROM store", &st, d);
    int r = SQL_DONE;
    while (!rc && (r = sql_step(st)) == SQL_ROW) {
        void *g = grow(regions, &rcap, nreg, sizeof *regions);
        const char *id = sva_pool_str(pool, sql_text(st, 0));
        const char *rg = sva_pool_str(pool, sql_text(st, 1) ? sql_text(st, 1) : "");
        if (g)
            regions = g;
        if (!g || !id || !rg || !sva_map_put(&region_of, id, nreg)) {
            rc = db_nomem(d);
            goto fail;
        }
        regions[nreg++] = rg;
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot read the stores");
    sql_finalize(st);
    st = NULL;
    if (rc)
        goto fail;
    /* the metric's audits of a cycle, from the covering index audit_qa, put back in
     * the order they were recorded (sums of floating point depend on the order: the
     * same figures whichever index the planner picks) */
    bool index = !strcmp(q->metric, "ssi") || !strcmp(q->metric, "csi") ||
                 !strcmp(q->metric, "6s");
    if ((rc = db_prep(db,
                      index ? "SELECT store_id, pct, n_passed, n_answered, id FROM audit"
                              " WHERE cycle_id = ?1 AND feeds = ?2 AND voided_at IS NULL"
                              " AND scorable = 1 AND pct IS NOT NULL"
                              " AND (?3 IS NULL OR store_id = ?3)"
                            : "SELECT store_id, pct, n_passed, n_answered, id FROM audit"
                              " WHERE cycle_id = ?1 AND checklist_id = ?2 AND voided_at IS NULL"
                              " AND scorable = 1 AND pct IS NOT NULL"
                              " AND (?3 IS NULL OR store_id = ?3)",
                      &st, d)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        size_t from = nv;
        sql_reset(st);
        sql_bind_text(st, 1, cy[i].id);
        sql_bind_text(st, 2, q->metric);
        sql_bind_text(st, 3, q->store);
        while ((r = sql_step(st)) == SQL_ROW) {
            size_t k;
            const char *store = sql_text(st, 0);
            if (!store || !sva_map_get(&region_of, store, &k))
                continue; /* cannot be: audits name existing stores */
            if (q->region && strcmp(regions[k], q->region) != 0)
                continue;
            void *g = grow(v, &cap, nv, sizeof *v);
            if (!g) {
                rc = db_nomem(d);
                goto fail;
            }
            v = g;
            sva_series_row *x = &v[nv++];
            x->cycle = i;
            x->store = sva_map_key(&region_of, store);
            x->region = regions[k];
            x->pct = sql_double(st, 1);
            x->passed = (long)sql_int(st, 2);
            x->answered = (long)sql_int(st, 3);
            ids = ids_put(ids, &icap, nv - 1, sql_int(st, 4));
            if (!ids) {
                rc = db_nomem(d);
                goto fail;
            }
        }
        if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot compute the trend");
            goto fail;
        }
        if (!by_id(v + from, ids + from, nv - from)) {
            rc = db_nomem(d);
            goto fail;
        }
    }
    sql_finalize(st);
    sva_map_free(&region_of);
    free(regions);
    free(ids);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(st);
    sva_map_free(&region_of);
    free(regions);
    free(ids);
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

/* ---- item marks: what item moves and repeats read -------------------------------------- */

char *db_item_marks(const sva_score *sc, size_t n_items, char *small, size_t size)
{
    char *m = n_items < size ? small : malloc(n_items + 1);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n_items; i++)
        m[i] = sc->items[i].na ? '-' : sc->items[i].passed ? '1' : '0';
    m[n_items] = '\0';
    return m;
}

void db_item_marks_free(char *m, const char *small)
{
    if (m != small)
        free(m);
}

sva_error db_item_marks_record(sva_db *db, long long id, const sva_score *sc, size_t n_items,
                               sva_diag *d)
{
    char small[256], *m = db_item_marks(sc, n_items, small, sizeof small);
    if (!m)
        return db_nomem(d);
    sva_error rc = db_cached(db, DB_UPD_MARKS, "UPDATE audit SET item_marks = ?2 WHERE id = ?1", d);
    if (!rc) {
        sql_bind_int(db->cache[DB_UPD_MARKS], 1, id);
        sql_bind_text_ref(db->cache[DB_UPD_MARKS], 2, m);
        if (sql_step(db->cache[DB_UPD_MARKS]) != SQL_DONE)
            rc = db_fail(db, d, "cannot store the audit's item marks");
        sql_reset(db->cache[DB_UPD_MARKS]);
    }
    db_item_marks_free(m, small);
    return rc;
}

/* An item as the QA lists name it: a checklist's item id (whatever its version). */
typedef struct item_key {
    const char *checklist, *item;
    const char *section;       /* the greatest section id any version gives it */
    bool critical;             /* critical in some version */
} item_key;

/* A checklist version: its items in item order, as keys. */
typedef struct marks_version {
    size_t *key;
    size_t n;
} marks_version;

/* The stores, the item keys and the checklist versions, read once; then the
 * item marks of one cycle's audits at a time, counted per store and key into
 * dense arrays (stores x keys): no answer is read. */
typedef struct marks_store {
    const char *id, *region;
} marks_store;

typedef struct marks {
    sva_pool pool;
    marks_store *store;
    size_t n_stores;
    sva_map store_ix;
    item_key *keys;
    size_t n_keys;
    sva_map key_ix;            /* "checklist\x1fitem" -> key */
    marks_version *ver;
    size_t n_ver;
    sva_map ver_ix;            /* checklist hash -> version */
    sql_stmt *q;               /* one cycle's audits */
    const char *only_store, *only_region; /* the scope (borrowed) */
} marks;

static void marks_free(marks *m)
{
    for (size_t i = 0; i < m->n_ver; i++)
        free(m->ver[i].key);
    free(m->ver);
    free(m->keys);
    free(m->store);
    sva_map_free(&m->store_ix);
    sva_map_free(&m->key_ix);
    sva_map_free(&m->ver_ix);
    sva_pool_free(&m->pool);
    sql_finalize(m->q);
}

static sva_error marks_key(marks *m, const char *checklist, const char *item,
                           const char *section, bool critical, size_t *cap, size_t *out,
                           sva_diag *d)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s\x1f%s", checklist, item);
    size_t k;
    if (sva_map_get(&m->key_ix, buf, &k)) {
        if (strcmp(section, m->keys[k].section) > 0 &&
            !(m->keys[k].section = sva_pool_str(&m->pool, section)))
            return db_nomem(d);
        m->keys[k].critical |= critical;
        *out = k;
        return SVA_OK;
    }
    void *g = grow(m->keys, cap, m->n_keys, sizeof *m->keys);
    const char *name = sva_pool_str(&m->pool, buf);
    if (!g || !name)
        return db_nomem(d);
    m->keys = g;
    item_key *x = &m->keys[m->n_keys];
    x->checklist = sva_pool_str(&m->pool, checklist);
    x->item = sva_pool_str(&m->pool, item);
    x->section = sva_pool_str(&m->pool, section);
    x->critical = critical;
    if (!x->checklist || !x->item || !x->section || !sva_map_put(&m->key_ix, name, m->n_keys))
        return db_nomem(d);
    *out = m->n_keys++;
    return SVA_OK;
}

/* Read the stores and parse every stored checklist version once; prepare the
 * cycle query (of @p store or @p region when given). */
static sva_error marks_open(sva_db *db, marks *m, const char *store, const char *region,
                            sva_diag *d)
{
    memset(m, 0, sizeof *m);
    sql_stmt *q = NULL;
    size_t cap = 0, kcap = 0, vcap = 0;
    sva_error rc = db_prep(db, "SELECT id, region FROM store ORDER BY id", &q, d);
    int r = SQL_DONE;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        void *g = grow(m->store, &cap, m->n_stores, sizeof *m->store);
        const char *id = sva_pool_str(&m->pool, sql_text(q, 0));
        const char *rg = sva_pool_str(&m->pool, sql_text(q, 1) ? sql_text(q, 1) : "");
        if (g)
            m->store = g;
        if (!g || !id || !rg || !sva_map_put(&m->store_ix, id, m->n_stores)) {
            rc = db_nomem(d);
            break;
        }
        m->store[m->n_stores++] = (marks_store){id, rg};
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot read the stores");
    sql_finalize(q);
    q = NULL;
    if (!rc)
        rc = db_prep(db, "SELECT hash, checklist_id, version, source FROM checklist_version", &q,
                     d);
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        snprintf(label, sizeof label, "%s (version %lld, stored)", sql_text(q, 1),
                 (long long)sql_int(q, 2));
        size_t len;
        const void *src = sql_blob(q, 3, &len);
        sva_checklist *cl = NULL;
        if ((rc = sva_checklist_parse(label, src ? src : "", len, &cl, d)))
            break;
        void *g = grow(m->ver, &vcap, m->n_ver, sizeof *m->ver);
        const char *hash = sva_pool_str(&m->pool, sql_text(q, 0));
        if (!g || !hash) {
            sva_checklist_free(cl);
            rc = db_nomem(d);
            break;
        }
        m->ver = g;
        marks_version *v = &m->ver[m->n_ver];
        v->n = cl->n_items;
        if (!(v->key = calloc(cl->n_items ? cl->n_items : 1, sizeof *v->key)) ||
            !sva_map_put(&m->ver_ix, hash, m->n_ver)) {
            free(v->key);
            sva_checklist_free(cl);
            rc = db_nomem(d);
            break;
        }
        m->n_ver++;
        for (size_t i = 0; i < cl->n_items && !rc; i++)
            rc = marks_key(m, sql_text(q, 1), cl->items[i].id,
                           cl->sections[cl->items[i].section].id, cl->items[i].critical, &kcap,
                           &v->key[i], d);
        sva_checklist_free(cl);
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot read the checklists");
    sql_finalize(q);
    if (!rc)
        rc = db_prep(db,
                     "SELECT store_id, checklist_hash, item_marks FROM audit"
                     " WHERE cycle_id = ?1 AND voided_at IS NULL AND (?2 IS NULL OR store_id = ?2)",
                     &m->q, d);
    m->only_store = store;
    m->only_region = region;
    if (rc)
        marks_free(m);
    return rc;
}

/* Count @p cycle's answers per store and key: failed[s * n_keys + k] and
 * answered[...] (both n_stores x n_keys, zeroed here). */
static sva_error marks_cycle(sva_db *db, marks *m, const char *cycle, long *failed,
                             long *answered, sva_diag *d)
{
    size_t cells = m->n_stores * m->n_keys;
    memset(failed, 0, cells * sizeof *failed);
    memset(answered, 0, cells * sizeof *answered);
    sql_reset(m->q);
    sql_bind_text(m->q, 1, cycle);
    sql_bind_text(m->q, 2, m->only_store);
    int r;
    while ((r = sql_step(m->q)) == SQL_ROW) {
        size_t s, v;
        const char *mk = sql_text(m->q, 2);
        if (!sva_map_get(&m->store_ix, sql_text(m->q, 0), &s) ||
            !sva_map_get(&m->ver_ix, sql_text(m->q, 1), &v) || !mk)
            continue; /* cannot be: audits name their store and stored version */
        if (m->only_region && strcmp(m->store[s].region, m->only_region) != 0)
            continue;
        const marks_version *x = &m->ver[v];
        long *f = failed + s * m->n_keys, *a = answered + s * m->n_keys;
        for (size_t i = 0; i < x->n && mk[i]; i++) {
            if (mk[i] == '-')
                continue;
            a[x->key[i]]++;
            f[x->key[i]] += mk[i] == '0';
        }
    }
    sql_reset(m->q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot read the audits' items");
    return SVA_OK;
}

static int key_ptr_order(const void *a, const void *b)
{
    const item_key *x = *(const item_key *const *)a, *y = *(const item_key *const *)b;
    int c = strcmp(x->checklist, y->checklist);
    return c ? c : strcmp(x->item, y->item);
}

/* The keys by checklist and item, the order the lists use; NULL when out of memory. */
static const item_key **keys_sorted(const marks *m)
{
    const item_key **v = malloc((m->n_keys ? m->n_keys : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t k = 0; k < m->n_keys; k++)
        v[k] = &m->keys[k];
    if (m->n_keys > 1)
        qsort(v, m->n_keys, sizeof *v, key_ptr_order);
    return v;
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

/* Per checklist and item, the answers of @p cycle ("after") and @p previous
 * ("before") in the scope, from the audits' item marks; items answered in
 * neither are left out. By checklist and item. */
static sva_error item_counts(sva_db *db, const char *cycle, const char *previous,
                             const char *store, const char *region, sva_item_count **out,
                             size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    marks m;
    sva_error rc = marks_open(db, &m, store, region, d);
    if (rc)
        return rc;
    size_t cells = m.n_stores * m.n_keys, nv = 0;
    long *fa = calloc(cells ? cells : 1, sizeof *fa), *aa = calloc(cells ? cells : 1, sizeof *aa);
    long *fb = calloc(cells ? cells : 1, sizeof *fb), *ab = calloc(cells ? cells : 1, sizeof *ab);
    const item_key **order = keys_sorted(&m);
    sva_item_count *v = calloc(m.n_keys ? m.n_keys : 1, sizeof *v);
    if (!fa || !aa || !fb || !ab || !order || !v) {
        rc = db_nomem(d);
        goto done;
    }
    if ((rc = marks_cycle(db, &m, cycle, fa, aa, d)) ||
        (rc = marks_cycle(db, &m, previous, fb, ab, d)))
        goto done;
    for (size_t i = 0; i < m.n_keys; i++) {
        size_t k = (size_t)(order[i] - m.keys);
        long f1 = 0, n1 = 0, f2 = 0, n2 = 0;
        for (size_t st = 0; st < m.n_stores; st++) {
            f1 += fb[st * m.n_keys + k];
            n1 += ab[st * m.n_keys + k];
            f2 += fa[st * m.n_keys + k];
            n2 += aa[st * m.n_keys + k];
        }
        if (n1 + n2 == 0)
            continue;
        sva_item_count *x = &v[nv++];
        x->checklist = sva_strdup(order[i]->checklist);
        x->item = sva_strdup(order[i]->item);
        x->section = sva_strdup(order[i]->section);
        x->passed_before = n1 - f1;
        x->n_before = n1;
        x->passed_after = n2 - f2;
        x->n_after = n2;
        if (!x->checklist || !x->item || !x->section) {
            rc = db_nomem(d);
            goto done;
        }
    }
done:
    if (rc) {
        item_counts_free(v, nv);
    } else {
        *out = v;
        *nout = nv;
    }
    free(fa);
    free(aa);
    free(fb);
    free(ab);
    free(order);
    marks_free(&m);
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

/* A (store, key) that fails in the cycle asked for: how far back it keeps failing;
 * its failed and answered counts j cycles before the last are cnt[(slot depth + j) 2]
 * and the next one. */
typedef struct candidate {
    size_t store, key, slot;
    size_t len;                /* cycles in a row that failed, the last one included */
    bool alive;                /* failed in every cycle read so far */
    const marks *m;            /* for sorting */
} candidate;

static int candidate_cmp(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    int c = strcmp(x->m->store[x->store].id, y->m->store[y->store].id);
    if (!c)
        c = strcmp(x->m->keys[x->key].checklist, y->m->keys[y->key].checklist);
    return c ? c : strcmp(x->m->keys[x->key].item, y->m->keys[y->key].item);
}

/* Keys evaluated at a time: their rows are made, tested, and dropped (ten years of
 * a thousand stores could repeat a hundred thousand items). */
#define REPEAT_CHUNK 2048

/* The repeats ending with @p cy[at]: the audits of cy[at] give the candidates, then
 * each cycle before is read while some candidate still fails in every cycle since;
 * the candidates' rows are evaluated a chunk at a time (sva_trend_repeats_compute)
 * and ranked over them all (sva_trend_repeats_rank). */
static sva_error repeats_read(sva_db *db, const sva_cycle *cy, size_t ncy, size_t at,
                              const sva_action_row *act, size_t nact, sva_repeat **out,
                              size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    marks m;
    sva_error rc = marks_open(db, &m, NULL, NULL, d);
    if (rc)
        return rc;
    size_t cells = m.n_stores * m.n_keys, nc = 0, ccap = 0, nv = 0, alive = 0, depth = at + 1;
    long *fl = calloc(cells ? cells : 1, sizeof *fl), *an = calloc(cells ? cells : 1, sizeof *an);
    /* the keys' failed and answered counts over all stores, j cycles before the last */
    long *nf = calloc(m.n_keys * depth + 1, sizeof *nf),
         *na = calloc(m.n_keys * depth + 1, sizeof *na);
    int32_t *cnt = NULL;
    candidate *c = NULL;
    sva_repeat *v = NULL;
    sva_failure_row *rows = NULL;
    if (!fl || !an || !nf || !na) {
        rc = db_nomem(d);
        goto done;
    }
    for (size_t j = 0; j < depth && (j == 0 || alive > 0); j++) {
        if ((rc = marks_cycle(db, &m, cy[at - j].id, fl, an, d)))
            goto done;
        for (size_t x = 0; x < cells; x++) {
            nf[j * m.n_keys + x % m.n_keys] += fl[x];
            na[j * m.n_keys + x % m.n_keys] += an[x];
        }
        if (j == 0) {
            for (size_t x = 0; x < cells; x++) {
                if (fl[x] == 0)
                    continue;
                void *g = grow(c, &ccap, nc, sizeof *c);
                if (!g) {
                    rc = db_nomem(d);
                    goto done;
                }
                c = g;
                c[nc] = (candidate){x / m.n_keys, x % m.n_keys, nc, 0, true, &m};
                nc++;
            }
            alive = nc;
            if (!(cnt = calloc(nc * depth * 2 + 1, sizeof *cnt))) {
                rc = db_nomem(d);
                goto done;
            }
        }
        for (size_t i = 0; i < nc; i++) {
            size_t x = c[i].store * m.n_keys + c[i].key;
            if (!c[i].alive)
                continue;
            if (fl[x] == 0 || fl[x] > INT32_MAX || an[x] > INT32_MAX) {
                c[i].alive = false;
                alive--;
                continue;
            }
            cnt[(c[i].slot * depth + j) * 2] = (int32_t)fl[x];
            cnt[(c[i].slot * depth + j) * 2 + 1] = (int32_t)an[x];
            c[i].len++;
        }
    }
    if (nc > 1)
        qsort(c, nc, sizeof *c, candidate_cmp);
    if (!(rows = malloc((REPEAT_CHUNK * depth + 1) * sizeof *rows))) {
        rc = db_nomem(d);
        goto done;
    }
    size_t vcap = 0;
    for (size_t g = 0; g < nc && !rc; g += REPEAT_CHUNK) {
        size_t e = g + REPEAT_CHUNK < nc ? g + REPEAT_CHUNK : nc, nr = 0;
        for (size_t i = g; i < e; i++) {
            if (c[i].len < 2)
                continue; /* one cycle is not a repeat */
            const item_key *k = &m.keys[c[i].key];
            for (size_t j = c[i].len; j-- > 0;) { /* oldest first */
                const int32_t *own = &cnt[(c[i].slot * depth + j) * 2];
                rows[nr++] = (sva_failure_row){
                    m.store[c[i].store].id, m.store[c[i].store].region, k->checklist, k->item,
                    at - j, own[0], own[1], nf[j * m.n_keys + c[i].key] - own[0],
                    na[j * m.n_keys + c[i].key] - own[1], k->critical};
            }
        }
        sva_repeat *part = NULL;
        size_t np = 0;
        if (nr == 0 || (rc = sva_trend_repeats_compute(cy, ncy, at, rows, nr, act, nact, 0,
                                                       SVA_STATS_FDR, &part, &np, d)))
            continue;
        if (nv + np > vcap) {
            size_t want = nv + np > 2 * vcap ? nv + np : 2 * vcap;
            sva_repeat *gv = realloc(v, want * sizeof *v);
            if (!gv) {
                sva_repeats_free(part, np);
                rc = db_nomem(d);
                continue;
            }
            v = gv;
            vcap = want;
        }
        memcpy(v + nv, part, np * sizeof *v);
        nv += np;
        free(part); /* the repeats' blocks now belong to v */
    }
    if (!rc)
        rc = sva_trend_repeats_rank(v, nv, 0, SVA_STATS_FDR, d);
done:
    free(fl);
    free(an);
    free(nf);
    free(na);
    free(cnt);
    free(c);
    free(rows);
    marks_free(&m);
    if (rc) {
        sva_repeats_free(v, nv);
        return rc;
    }
    *out = v;
    *nout = nv;
    return SVA_OK;
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
    /* an action carried on is one action: it counts once, in the last cycle it
     * was in by cy[at] (where it is now, or one it was carried out of) */
    sva_error rc = db_prep(db,
                           "SELECT store_id, checklist_id, item_id, cyc FROM (SELECT a.store_id,"
                           " a.checklist_id, a.item_id, (SELECT c.id FROM cycle c"
                           "  WHERE c.date_from <= ?1 AND (c.id = a.cycle_id OR c.id IN"
                           "   (SELECT k.from_cycle FROM action_carry k WHERE k.action_id = a.id))"
                           "  ORDER BY c.date_from DESC, c.id DESC LIMIT 1) AS cyc"
                           " FROM action a WHERE a.item_id IS NOT NULL) x WHERE cyc IS NOT NULL",
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
            rc = db_nomem(d);
            goto fail;
        }
        v = g;
        sva_action_row *x = &v[nv++];
        x->store = sva_pool_str(pool, sql_text(q, 0));
        x->checklist = sva_pool_str(pool, sql_text(q, 1)); /* NULL stays NULL */
        x->item = sva_pool_str(pool, sql_text(q, 2));
        x->cycle = (size_t)c;
        if (!x->store || !x->item || (!x->checklist && !sql_is_null(q, 1))) {
            rc = db_nomem(d);
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
    size_t ncy = 0, na = 0;
    sva_action_row *act = NULL;
    sva_pool pool = {0};
    sva_error rc = sva_db_cycle_list(db, &cy, &ncy, d);
    if (rc)
        return rc;
    long at = cycle_index(cy, ncy, cycle, d);
    if (at < 0)
        rc = SVA_ERR_NOT_FOUND;
    else if (at > 0 && /* the first cycle: nothing can fail twice in a row */
             !(rc = action_rows(db, cy, ncy, (size_t)at, &pool, &act, &na, d)))
        rc = repeats_read(db, cy, ncy, (size_t)at, act, na, out, n, d);
    free(act);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

/* ---- auditors -------------------------------------------------------------------------- */

static int run_order(const void *a, const void *b)
{
    const sva_auditor_run *x = a, *y = b;
    int c = strcmp(x->checklist, y->checklist);
    if (!c)
        c = strcmp(x->store, y->store);
    if (!c)
        c = strcmp(x->cycle, y->cycle);
    return c ? c : strcmp(x->auditor, y->auditor);
}

/* The scored audits of @p cycles[0..n-1], each auditor's in a cell (checklist, store,
 * cycle) summed up in the order they were recorded (their score before the critical
 * policy), a cycle at a time: a run per auditor and cell, not a row per audit. By
 * checklist, store, cycle, auditor. */
static sva_error auditor_runs(sva_db *db, const sva_cycle *cy, size_t n, sva_pool *pool,
                              sva_auditor_run **out, size_t *nout, sva_diag *d)
{
    *out = NULL;
    *nout = 0;
    sql_stmt *q = NULL;
    sva_auditor_run *v = NULL;
    size_t nv = 0, cap = 0;
    sva_error rc = db_prep(db,
                           "SELECT checklist_id, store_id, auditor, raw_pct FROM audit"
                           " WHERE cycle_id = ?1 AND voided_at IS NULL AND scorable = 1"
                           " AND raw_pct IS NOT NULL ORDER BY 1, 2, 3, id",
                           &q, d);
    if (rc)
        return rc;
    for (size_t c = 0; c < n; c++) {
        sql_reset(q);
        sql_bind_text(q, 1, cy[c].id);
        const char *cycle = sva_pool_str(pool, cy[c].id);
        if (!cycle) {
            rc = db_nomem(d);
            goto fail;
        }
        size_t first = nv;
        int r;
        while ((r = sql_step(q)) == SQL_ROW) {
            const char *cl = sql_text(q, 0), *st = sql_text(q, 1), *au = sql_text(q, 2);
            if (!cl || !st || !au)
                continue;
            sva_auditor_run *x = nv > first ? &v[nv - 1] : NULL;
            if (!x || strcmp(x->checklist, cl) || strcmp(x->store, st) || strcmp(x->auditor, au)) {
                void *g = grow(v, &cap, nv, sizeof *v);
                if (!g) {
                    rc = db_nomem(d);
                    goto fail;
                }
                v = g;
                x = &v[nv++];
                *x = (sva_auditor_run){sva_pool_str(pool, cl), sva_pool_str(pool, st), cycle,
                                       sva_pool_str(pool, au), {0, 0.0, 0.0}};
                if (!x->checklist || !x->store || !x->auditor) {
                    rc = db_nomem(d);
                    goto fail;
                }
            }
            sva_stats_acc_add(&x->acc, sql_double(q, 3));
        }
        if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot compare the auditors");
            goto fail;
        }
    }
    sql_finalize(q);
    if (nv > 1)
        qsort(v, nv, sizeof *v, run_order);
    *out = v;
    *nout = nv;
    return SVA_OK;
fail:
    sql_finalize(q);
    free(v);
    return rc;
}

/* The appeals of each auditor's audits (in @p cycle, NULL: all) and how many
 * were upheld, into rows @p v ordered by auditor. */
static sva_error auditor_appeals(sva_db *db, const char *cycle, sva_auditor_row *v, size_t nv,
                                 sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.auditor, count(*),"
                " coalesce(sum(CASE WHEN p.outcome = 'upheld' THEN 1 ELSE 0 END), 0)"
                " FROM appeal p JOIN audit a ON a.id = p.audit_id"
                " WHERE ?1 IS NULL OR a.cycle_id = ?1 GROUP BY a.auditor",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *who = sql_text(q, 0);
        size_t lo = 0, hi = nv;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(v[mid].auditor, who);
            if (c == 0) {
                v[mid].appeals = sql_int(q, 1);
                v[mid].upheld = sql_int(q, 2);
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot count the appeals");
}

sva_error sva_trend_auditors(sva_db *db, const char *cycle, sva_auditor_row **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_cycle *cy = NULL;
    size_t ncy = 0, nv = 0;
    sva_error rc = cycle ? sva_db_cycle_get(db, cycle, &cy, d) : sva_db_cycle_list(db, &cy, &ncy, d);
    if (rc) {
        if (cycle && rc == SVA_ERR_NOT_FOUND && d && d->n == 0)
            sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", cycle);
        return rc;
    }
    if (cycle)
        ncy = 1;
    sva_pool pool = {0};
    sva_auditor_run *v = NULL;
    if (!(rc = auditor_runs(db, cy, ncy, &pool, &v, &nv, d)))
        rc = sva_trend_auditors_runs(v, nv, out, n, d);
    if (!rc)
        rc = auditor_appeals(db, cycle, *out, *n, d);
    if (rc) {
        sva_auditor_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    free(v);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

/* ---- employees ------------------------------------------------------------------------- */

sva_error sva_trend_employees(sva_db *db, const char *cycle, int cycles, const char *region,
                              long min_audits, sva_employee_ratings **out, sva_diag *d)
{
    *out = NULL;
    if (!cycle) {
        sva_diag_add(d, NULL, 0, "employee ratings need a cycle");
        return SVA_ERR_USAGE;
    }
    sva_cycle *cy = NULL;
    size_t ncy = 0, first = 0, at = 0, nv = 0, cap = 0;
    sql_stmt *q = NULL;
    sva_employee_audit *v = NULL;
    sva_pool pool = {0};
    sva_error rc = sva_db_cycle_list(db, &cy, &ncy, d);
    if (rc)
        return rc;
    if ((rc = sva_trend_window(cy, ncy, cycle, cycles, &first, &at, d)) ||
        (rc = db_prep(db,
                      "SELECT e.id, e.name, e.role, e.store_id, s.region, a.pct, a.failed"
                      " FROM audit a JOIN employee e ON e.id = a.employee_id"
                      " JOIN store s ON s.id = e.store_id"
                      " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND a.scorable = 1"
                      " AND a.pct IS NOT NULL AND (?2 IS NULL OR s.region = ?2)",
                      &q, d)))
        goto done;
    for (size_t c = first; c <= at; c++) {
        sql_reset(q);
        sql_bind_text(q, 1, cy[c].id);
        sql_bind_text(q, 2, region);
        int r;
        while ((r = sql_step(q)) == SQL_ROW) {
            void *g = grow(v, &cap, nv, sizeof *v);
            if (!g) {
                rc = db_nomem(d);
                goto done;
            }
            v = g;
            sva_employee_audit *x = &v[nv++];
            x->employee = sva_pool_str(&pool, sql_text(q, 0));
            x->name = sva_pool_str(&pool, sql_text(q, 1) ? sql_text(q, 1) : "");
            x->role = sva_pool_str(&pool, sql_text(q, 2) ? sql_text(q, 2) : "");
            x->store = sva_pool_str(&pool, sql_text(q, 3));
            x->region = sva_pool_str(&pool, sql_text(q, 4) ? sql_text(q, 4) : "");
            x->cycle = c - first;
            x->pct = sql_double(q, 5);
            x->failed = sql_int(q, 6) != 0;
            if (!x->employee || !x->name || !x->role || !x->store || !x->region) {
                rc = db_nomem(d);
                goto done;
            }
        }
        if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot rate the employees");
            goto done;
        }
    }
    rc = sva_trend_employees_compute(v, nv, min_audits, (int)(at - first + 1), out, d);
done:
    sql_finalize(q);
    free(v);
    sva_pool_free(&pool);
    sva_cycles_free(cy, ncy);
    return rc;
}

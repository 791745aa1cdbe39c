/* svcaudit: analysis (see analysis.h): actual against target per store,
 * region and network for a cycle, and the verification of done actions by a
 * later cycle's answers. The one place these numbers are computed. */
#include "db_internal.h"
#include "svcaudit/analysis.h"
#include "util.h"

#include <math.h>
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

/* Figures are compared and shown at one decimal, so a verdict never
 * contradicts the number printed beside it. */
static double round1(double x)
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
    for (size_t i = 0; i < s->n_verifications; i++) {
        free(s->verifications[i].store);
        free(s->verifications[i].what);
    }
    free(s->verifications);
    free(s->rows);
    free(s->cycle);
    free(s->from);
    free(s->to);
    free(s);
}

typedef struct tgt {
    sva_scope scope;
    char *scope_id;
    char *metric;
    double value;
} tgt;

typedef struct ctx {
    sva_db *db;
    const char *cycle;
    tgt *targets;
    size_t n_targets;
    sva_diag *d;
} ctx;

static const tgt *find_target(const ctx *c, sva_scope scope, const char *id, const char *metric)
{
    for (size_t i = 0; i < c->n_targets; i++)
        if (c->targets[i].scope == scope && strcmp(c->targets[i].metric, metric) == 0 &&
            (scope == SVA_SCOPE_NETWORK || strcmp(c->targets[i].scope_id, id) == 0))
            return &c->targets[i];
    return NULL;
}

/* Effective target: store, else region, else network (starting at `from`). */
static void effective(const ctx *c, sva_status_row *r, const char *store, const char *region)
{
    const tgt *t = NULL;
    if (store && (t = find_target(c, SVA_SCOPE_STORE, store, r->metric)))
        r->target_from = SVA_SCOPE_STORE;
    else if (region && *region && (t = find_target(c, SVA_SCOPE_REGION, region, r->metric)))
        r->target_from = SVA_SCOPE_REGION;
    else if ((t = find_target(c, SVA_SCOPE_NETWORK, "", r->metric)))
        r->target_from = SVA_SCOPE_NETWORK;
    if (t) {
        r->has_target = true;
        r->target = t->value;
    }
}

static void verdict(sva_status_row *r)
{
    if (r->has_actual && r->has_target) {
        r->gap = round1(r->actual - r->target);
        r->status = r->actual >= r->target - 1e-9 ? SVA_TARGET_MET : SVA_TARGET_MISSED;
    } else if (r->has_target) {
        r->status = SVA_TARGET_NO_DATA;
    } else {
        r->status = SVA_TARGET_NONE;
    }
}

static sva_status_row *add_row(sva_cycle_status *s, size_t *cap)
{
    if (s->n_rows == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        sva_status_row *v = realloc(s->rows, *cap * sizeof *v);
        if (!v)
            return NULL;
        s->rows = v;
    }
    sva_status_row *r = &s->rows[s->n_rows++];
    memset(r, 0, sizeof *r);
    return r;
}

/* A per-store, per-metric figure read by a query. */
typedef struct fig {
    char *store;
    char *metric;
    double value;
    long n;
} fig;

static void figs_free(fig *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].store);
        free(v[i].metric);
    }
    free(v);
}

/* Run a query returning (store, metric, value, n) rows for ?1 = cycle. */
static sva_error figs(ctx *c, const char *sql, fig **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(c->db, sql, &q, c->d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, c->cycle);
    fig *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            fig *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sql_finalize(q);
                figs_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        v[cnt].store = db_col_text(q, 0);
        v[cnt].metric = db_col_text(q, 1);
        v[cnt].value = sql_double(q, 2);
        v[cnt].n = sql_int(q, 3);
        cnt++;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        figs_free(v, cnt);
        return db_fail(c->db, c->d, "cannot compute the cycle's figures");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

static int fig_cmp(const void *a, const void *b)
{
    const fig *x = a, *y = b;
    int c = strcmp(x->store, y->store);
    return c ? c : strcmp(x->metric, y->metric);
}

/* figs are sorted (sort_figs) so a look-up is a binary search: a large network
 * has thousands of store x metric figures. */
static void sort_figs(fig *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, fig_cmp);
}

static const fig *find_fig(const fig *v, size_t n, const char *store, const char *metric)
{
    fig key = {(char *)store, (char *)metric, 0, 0};
    return n ? bsearch(&key, v, n, sizeof *v, fig_cmp) : NULL;
}

static sva_error count(ctx *c, const char *sql, long *out)
{
    sql_stmt *q;
    if (db_prep(c->db, sql, &q, c->d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, c->cycle);
    int r = sql_step(q);
    if (r == SQL_ROW)
        *out = sql_int(q, 0);
    sql_finalize(q);
    return r == SQL_ROW ? SVA_OK : db_fail(c->db, c->d, "cannot count");
}

sva_error sva_analysis_cycle_status(sva_db *db, const char *cycle, const char *today,
                                    sva_cycle_status **out, sva_diag *d)
{
    *out = NULL;
    sva_cycle *cy = NULL;
    sva_error rc = sva_db_cycle_get(db, cycle, &cy, d);
    if (rc)
        return rc;
    sva_cycle_status *s = calloc(1, sizeof *s);
    if (!s) {
        sva_cycles_free(cy, 1);
        return SVA_ERR_NOMEM;
    }
    s->cycle = cy->id;
    s->from = cy->from;
    s->to = cy->to;
    s->state = cy->state;
    free(cy); /* the strings now belong to s */
    ctx c = {db, s->cycle, NULL, 0, d};
    char td[16];
    if (today)
        snprintf(td, sizeof td, "%s", today);
    else
        db_today(td);

    sva_store *stores = NULL;
    size_t n_stores = 0;
    char **metrics = NULL;
    size_t n_metrics = 0;
    fig *actual = NULL, *surveys = NULL, *reasons = NULL, *nact = NULL;
    size_t n_actual = 0, n_surveys = 0, n_reasons = 0, n_nact = 0;
    size_t cap = 0;

    /* targets of the cycle */
    {
        sva_target *t;
        size_t n;
        if ((rc = sva_db_target_list(db, cycle, &t, &n, d)))
            goto fail;
        c.targets = calloc(n ? n : 1, sizeof *c.targets);
        if (!c.targets) {
            sva_targets_free(t, n);
            rc = SVA_ERR_NOMEM;
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            c.targets[i].scope = t[i].scope;
            c.targets[i].scope_id = t[i].scope_id;
            c.targets[i].metric = t[i].metric;
            c.targets[i].value = t[i].value;
            t[i].scope_id = t[i].metric = NULL;
        }
        c.n_targets = n;
        sva_targets_free(t, n);
    }
    /* metrics: the three indexes, then any checklist with a target */
    metrics = calloc(3 + c.n_targets, sizeof *metrics);
    if (!metrics) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    metrics[n_metrics++] = "ssi";
    metrics[n_metrics++] = "csi";
    metrics[n_metrics++] = "6s";
    for (size_t i = 0; i < c.n_targets; i++) {
        bool seen = false;
        for (size_t k = 0; k < n_metrics; k++)
            seen |= strcmp(metrics[k], c.targets[i].metric) == 0;
        if (!seen)
            metrics[n_metrics++] = c.targets[i].metric;
    }
    if ((rc = sva_db_store_list(db, &stores, &n_stores, d)))
        goto fail;
    /* store actuals: indexes and checklists in one list (metric = feeds or checklist id) */
    if ((rc = figs(&c,
                   "SELECT store_id, feeds, avg(pct), count(*) FROM audit WHERE cycle_id = ?1"
                   " AND voided_at IS NULL AND scorable = 1 AND feeds != 'none'"
                   " GROUP BY store_id, feeds"
                   " UNION ALL SELECT store_id, checklist_id, avg(pct), count(*) FROM audit"
                   " WHERE cycle_id = ?1 AND voided_at IS NULL AND scorable = 1"
                   " AND checklist_id NOT IN ('ssi', 'csi', '6s')"
                   " GROUP BY store_id, checklist_id",
                   &actual, &n_actual)))
        goto fail;
    if ((rc = figs(&c,
                   "SELECT store_id, metric, value, respondents FROM survey WHERE cycle_id = ?1",
                   &surveys, &n_surveys)))
        goto fail;
    if ((rc = figs(&c, "SELECT store_id, metric, 0, 1 FROM cycle_reason WHERE cycle_id = ?1",
                   &reasons, &n_reasons)))
        goto fail;
    if ((rc = figs(&c,
                   "SELECT store_id, metric, 0, count(*) FROM action WHERE cycle_id = ?1"
                   " AND metric IS NOT NULL GROUP BY store_id, metric",
                   &nact, &n_nact)))
        goto fail;
    sort_figs(actual, n_actual);
    sort_figs(surveys, n_surveys);
    sort_figs(reasons, n_reasons);
    sort_figs(nact, n_nact);

    /* store rows, ordered by region then id (the store list's order) */
    for (size_t i = 0; i < n_stores; i++) {
        for (size_t m = 0; m < n_metrics; m++) {
            sva_status_row *r = add_row(s, &cap);
            if (!r) {
                rc = SVA_ERR_NOMEM;
                goto fail;
            }
            r->scope = SVA_SCOPE_STORE;
            r->id = sva_strdup(stores[i].id);
            r->name = sva_strdup(stores[i].name);
            r->region = sva_strdup(stores[i].region);
            r->metric = sva_strdup(metrics[m]);
            if (!r->id || !r->name || !r->region || !r->metric) {
                rc = SVA_ERR_NOMEM;
                goto fail;
            }
            const fig *f = find_fig(actual, n_actual, stores[i].id, metrics[m]);
            if (f) {
                r->has_actual = true;
                r->actual = round1(f->value);
                r->n = f->n;
            }
            effective(&c, r, stores[i].id, stores[i].region);
            verdict(r);
            if ((f = find_fig(surveys, n_surveys, stores[i].id, metrics[m]))) {
                r->has_survey = true;
                r->survey = round1(f->value);
                r->respondents = f->n;
            }
            r->has_reason = find_fig(reasons, n_reasons, stores[i].id, metrics[m]) != NULL;
            if ((f = find_fig(nact, n_nact, stores[i].id, metrics[m])))
                r->n_actions = f->n;
        }
    }
    /* region rows, then the network: the mean over stores with a figure */
    size_t n_store_rows = s->n_rows;
    for (size_t i = 0; i <= n_stores; i++) {
        bool network = i == n_stores;
        const char *region = network ? "" : stores[i].region;
        if (!network) {
            if (!*region)
                continue;
            bool first = true;
            for (size_t k = 0; k < i; k++)
                first &= strcmp(stores[k].region, region) != 0;
            if (!first)
                continue;
        }
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
            sva_status_row *r = add_row(s, &cap);
            if (!r) {
                rc = SVA_ERR_NOMEM;
                goto fail;
            }
            r->scope = network ? SVA_SCOPE_NETWORK : SVA_SCOPE_REGION;
            r->id = sva_strdup(region);
            r->name = sva_strdup(network ? "network" : region);
            r->region = sva_strdup(region);
            r->metric = sva_strdup(metrics[m]);
            if (!r->id || !r->name || !r->region || !r->metric) {
                rc = SVA_ERR_NOMEM;
                goto fail;
            }
            if (n) {
                r->has_actual = true;
                r->actual = round1(sum / (double)n);
                r->n = n;
            }
            effective(&c, r, NULL, network ? NULL : region);
            verdict(r);
        }
    }
    if ((rc = count(&c, "SELECT count(*) FROM audit WHERE cycle_id = ?1 AND voided_at IS NULL",
                    &s->n_audits)) ||
        (rc = count(&c,
                    "SELECT count(DISTINCT store_id) FROM audit WHERE cycle_id = ?1"
                    " AND voided_at IS NULL",
                    &s->stores_audited)))
        goto fail;
    s->stores_total = (long)n_stores;
    {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT status, (due IS NOT NULL AND due < ?2) FROM action"
                          " WHERE cycle_id = ?1 AND carried_to IS NULL",
                          &q, d)))
            goto fail;
        sql_bind_text(q, 1, cycle);
        sql_bind_text(q, 2, td);
        int r;
        while ((r = sql_step(q)) == SQL_ROW) {
            sva_action_status st = SVA_ACTION_OPEN;
            sva_action_status_parse(sql_text(q, 0), &st);
            if (st == SVA_ACTION_DONE)
                s->actions_done++;
            else if (st == SVA_ACTION_VERIFIED)
                s->actions_verified++;
            else {
                s->actions_open++;
                s->actions_overdue += sql_int(q, 1);
            }
        }
        sql_finalize(q);
        if (r != SQL_DONE) {
            rc = db_fail(db, d, "cannot count actions");
            goto fail;
        }
    }
    goto done;
fail:
    sva_cycle_status_free(s);
    s = NULL;
done:
    for (size_t i = 0; i < c.n_targets; i++) {
        free(c.targets[i].scope_id);
        free(c.targets[i].metric);
    }
    free(c.targets);
    free(metrics);
    sva_stores_free(stores, n_stores);
    figs_free(actual, n_actual);
    figs_free(surveys, n_surveys);
    figs_free(reasons, n_reasons);
    figs_free(nact, n_nact);
    *out = s;
    return rc;
}

sva_error sva_pdca_verify_actions(sva_db *db, const char *cycle, sva_cycle_status *st,
                                  sva_diag *d)
{
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL, *a = NULL;
    if ((rc = db_prep(db,
                      "SELECT x.id, x.store_id, x.checklist_id, x.item_id, x.section_id,"
                      " xc.state = 'closed' AND x.carried_to IS NULL"
                      " FROM action x JOIN cycle xc ON xc.id = x.cycle_id, cycle c"
                      " WHERE c.id = ?1 AND x.status = 'done' AND xc.date_from < c.date_from"
                      " AND x.checklist_id IS NOT NULL"
                      " AND (x.item_id IS NOT NULL OR x.section_id IS NOT NULL) ORDER BY x.id",
                      &q, d)) ||
        (rc = db_prep(db,
                      "SELECT count(*), coalesce(sum(an.passed = 0), 0) FROM answer an"
                      " JOIN audit au ON au.id = an.audit_id WHERE au.cycle_id = ?1"
                      " AND au.store_id = ?2 AND au.checklist_id = ?3 AND au.voided_at IS NULL"
                      " AND an.passed IS NOT NULL"
                      " AND ((?4 IS NOT NULL AND an.item_id = ?4)"
                      "   OR (?4 IS NULL AND an.section_id = ?5))",
                      &a, d)))
        goto out;
    sql_bind_text(q, 1, cycle);
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        long long id = sql_int(q, 0);
        const char *store = sql_text(q, 1);
        const char *cl = sql_text(q, 2);
        const char *item = sql_text(q, 3);
        const char *section = sql_text(q, 4);
        sql_reset(a);
        sql_bind_text(a, 1, cycle);
        sql_bind_text(a, 2, store);
        sql_bind_text(a, 3, cl);
        sql_bind_text(a, 4, item);
        sql_bind_text(a, 5, section);
        if (sql_step(a) != SQL_ROW) {
            rc = db_fail(db, d, "cannot read answers");
            break;
        }
        long n = sql_int(a, 0), failed = sql_int(a, 1);
        if (n == 0)
            continue; /* no results on it yet */
        bool ok = failed == 0;
        char *what = sva_asprintf("%s %s %s", cl, item ? "item" : "section", item ? item : section);
        char *change = sva_asprintf("%s by cycle %s: %ld of %ld answers failed",
                                    ok ? "verified" : "reopened", cycle, failed, n);
        char *st_store = sva_strdup(store);
        if (!what || !change || !st_store) {
            free(what);
            free(change);
            free(st_store);
            rc = SVA_ERR_NOMEM;
            break;
        }
        sql_stmt *u;
        if ((rc = db_prep(db, "UPDATE action SET status = ?2, updated_at = ?3 WHERE id = ?1",
                          &u, d)) == SVA_OK) {
            char now[32];
            db_now(now);
            sql_bind_int(u, 1, id);
            sql_bind_text(u, 2, ok ? "verified" : "reopened");
            sql_bind_text(u, 3, now);
            if (sql_step(u) != SQL_DONE)
                rc = db_fail(db, d, "cannot update the action");
            sql_finalize(u);
        }
        if (!rc && (rc = db_prep(db,
                                 "INSERT INTO action_history(action_id, at, actor, change)"
                                 " VALUES(?1, ?2, 'svcaudit', ?3)",
                                 &u, d)) == SVA_OK) {
            char now[32];
            db_now(now);
            sql_bind_int(u, 1, id);
            sql_bind_text(u, 2, now);
            sql_bind_text(u, 3, change);
            if (sql_step(u) != SQL_DONE)
                rc = db_fail(db, d, "cannot write the history");
            sql_finalize(u);
        }
        free(change);
        /* reopened in a closed cycle: it comes into this one, where it is worked on */
        if (!rc && !ok && sql_int(q, 5))
            rc = db_carry_action(db, id, cycle, d);
        if (!rc && st) {
            sva_verification *nv =
                realloc(st->verifications, (st->n_verifications + 1) * sizeof *nv);
            if (!nv)
                rc = SVA_ERR_NOMEM;
            else {
                st->verifications = nv;
                sva_verification *v = &nv[st->n_verifications++];
                v->action_id = id;
                v->store = st_store;
                v->what = what;
                v->confirmed = ok;
                v->n_answers = n;
                v->n_failed = failed;
                st_store = what = NULL;
            }
        }
        free(st_store);
        free(what);
    }
out:
    sql_finalize(q);
    sql_finalize(a);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* ---- detail figures ------------------------------------------------------------------ */

void sva_section_means_free(sva_section_mean *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].section);
    }
    free(v);
}

sva_error sva_analysis_section_means(sva_db *db, const char *cycle, const char *checklist,
                                     const char *region, sva_section_mean **out, size_t *n,
                                     sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.store_id, ss.section_id, avg(ss.pct), count(*) FROM section_score ss"
                " JOIN audit a ON a.id = ss.audit_id JOIN store s ON s.id = a.store_id"
                " WHERE a.cycle_id = ?1 AND a.checklist_id = ?2 AND a.voided_at IS NULL"
                " AND ss.scorable = 1 AND (?3 IS NULL OR s.region = ?3)"
                " GROUP BY a.store_id, ss.section_id ORDER BY s.region, a.store_id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, checklist);
    sql_bind_text(q, 3, region);
    sva_section_mean *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            sva_section_mean *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sql_finalize(q);
                sva_section_means_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        v[cnt].store = db_col_text(q, 0);
        v[cnt].section = db_col_text(q, 1);
        v[cnt].pct = round1(sql_double(q, 2));
        v[cnt].n = sql_int(q, 3);
        cnt++;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        sva_section_means_free(v, cnt);
        return db_fail(db, d, "cannot compute section means");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

void sva_item_compliance_free(sva_item_compliance *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].checklist);
        free(v[i].section);
        free(v[i].item);
    }
    free(v);
}

/* weakest first: lowest pass rate, then most answers, then checklist and item */
static int ic_cmp(const void *pa, const void *pb)
{
    const sva_item_compliance *a = pa, *b = pb;
    double ra = (double)a->passed / (double)a->answered;
    double rb = (double)b->passed / (double)b->answered;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a->answered != b->answered)
        return a->answered > b->answered ? -1 : 1;
    int c = strcmp(a->checklist, b->checklist);
    return c ? c : strcmp(a->item, b->item);
}

/* One store's answers and passes of an item, beside the item's totals. */
typedef struct ic_store {
    long answered, passed;
} ic_store;

/* The index of (cl, item) in v, added when new; (size_t)-1 when out of memory.
 * The search starts after @p hint: an audit's answers come in item order, so
 * the next item is almost always the one after the last. */
static size_t ic_find(sva_item_compliance **v, ic_store **st, size_t *n, size_t *cap,
                      size_t hint, const char *cl, const char *item)
{
    for (size_t k = 0; k < *n; k++) {
        size_t i = (hint + 1 + k) % *n;
        if (strcmp((*v)[i].item, item) == 0 && strcmp((*v)[i].checklist, cl) == 0)
            return i;
    }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        sva_item_compliance *nv = realloc(*v, nc * sizeof *nv);
        if (nv)
            *v = nv;
        ic_store *ns = realloc(*st, nc * sizeof *ns);
        if (ns)
            *st = ns;
        if (!nv || !ns)
            return (size_t)-1;
        *cap = nc;
    }
    sva_item_compliance *c = &(*v)[*n];
    memset(c, 0, sizeof *c);
    (*st)[*n] = (ic_store){0, 0};
    c->checklist = sva_strdup(cl);
    c->item = sva_strdup(item);
    if (!c->checklist || !c->item) {
        free(c->checklist);
        free(c->item);
        return (size_t)-1;
    }
    return (*n)++;
}

/* Item compliance is summed in C from one pass over the cycle's answers in the
 * order of the audit_cycle_store index, store by store: the same figures by
 * two nested GROUP BYs made SQLite sort every answer (3 s of a million). */
sva_error sva_analysis_item_compliance(sva_db *db, const char *cycle, const char *region,
                                       sva_item_compliance **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.store_id, a.checklist_id, a.checklist_version, an.section_id,"
                " an.item_id, an.passed"
                " FROM audit a JOIN store s ON s.id = a.store_id"
                " JOIN answer an ON an.audit_id = a.id"
                " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND an.passed IS NOT NULL"
                " AND (?2 IS NULL OR s.region = ?2) ORDER BY a.store_id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    sva_item_compliance *v = NULL;
    ic_store *st = NULL;
    size_t cnt = 0, cap = 0, i = 0;
    char *store = NULL;
    sva_error rc = SVA_OK;
    int r;
    for (bool more = true; more;) {
        r = sql_step(q);
        more = r == SQL_ROW;
        const char *sid = more ? sql_text(q, 0) : NULL;
        if (more && !sid) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        /* a store's answers are all in: count it for each item it answered */
        if (store && (!more || strcmp(store, sid) != 0)) {
            for (size_t k = 0; k < cnt; k++) {
                v[k].stores += st[k].answered > 0;
                v[k].stores_failing += st[k].passed < st[k].answered;
                st[k] = (ic_store){0, 0};
            }
            free(store);
            store = NULL;
        }
        if (!more)
            break;
        if (!store && !(store = sva_strdup(sid))) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        const char *cl = sql_text(q, 1);
        const char *item = sql_text(q, 4);
        if (!cl || !item || (i = ic_find(&v, &st, &cnt, &cap, i, cl, item)) == (size_t)-1) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        sva_item_compliance *c = &v[i];
        long ver = sql_int(q, 2);
        if (!c->section || ver > c->version) { /* the section of the latest version */
            const char *sec = sql_text(q, 3);
            char *copy = sva_strdup(sec ? sec : "");
            if (!copy) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            free(c->section);
            c->section = copy;
            c->version = ver;
        }
        bool passed = sql_int(q, 5) != 0;
        c->answered++;
        c->passed += passed;
        st[i].answered++;
        st[i].passed += passed;
    }
    sql_finalize(q);
    free(store);
    free(st);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot compute item compliance");
    else if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    if (rc) {
        sva_item_compliance_free(v, cnt);
        return rc;
    }
    for (size_t k = 0; k < cnt; k++)
        v[k].pct = round1(100.0 * (double)v[k].passed / (double)v[k].answered);
    if (cnt > 1)
        qsort(v, cnt, sizeof *v, ic_cmp);
    *out = v;
    *n = cnt;
    return SVA_OK;
}

void sva_employee_scores_free(sva_employee_score *v, size_t n)
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

sva_error sva_analysis_employee_scores(sva_db *db, const char *cycle, const char *region,
                                       sva_employee_score **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT e.id, e.name, e.store_id, s.region, e.role, count(*), avg(a.pct),"
                " sum(a.failed) FROM audit a JOIN employee e ON e.id = a.employee_id"
                " JOIN store s ON s.id = e.store_id WHERE a.cycle_id = ?1"
                " AND a.voided_at IS NULL AND a.scorable = 1 AND (?2 IS NULL OR s.region = ?2)"
                " GROUP BY e.id ORDER BY s.region, e.store_id, avg(a.pct) DESC, e.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    sva_employee_score *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            sva_employee_score *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sql_finalize(q);
                sva_employee_scores_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        sva_employee_score *e = &v[cnt++];
        e->employee = db_col_text(q, 0);
        e->name = db_col_text(q, 1);
        e->store = db_col_text(q, 2);
        e->region = db_col_text(q, 3);
        e->role = db_col_text(q, 4);
        e->n = sql_int(q, 5);
        e->pct = round1(sql_double(q, 6));
        e->failed = sql_int(q, 7);
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        sva_employee_scores_free(v, cnt);
        return db_fail(db, d, "cannot compute employee scores");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error sva_db_answer_rows(sva_db *db, const char *cycle, const char *region,
                             sva_answer_cb cb, void *user, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.id, a.audit_date, a.cycle_id, s.region, a.store_id,"
                " coalesce(a.employee_id, ''), a.checklist_id, a.auditor, a.checklist_version,"
                " an.section_id, an.item_id, an.value, an.points, an.max_points,"
                " coalesce(an.passed, -1), an.note, an.evidence"
                " FROM audit a JOIN store s ON s.id = a.store_id"
                " JOIN answer an ON an.audit_id = a.id"
                " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL AND (?2 IS NULL OR s.region = ?2)"
                " ORDER BY a.store_id, a.id, an.item_no",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    int r;
    sva_error rc = SVA_OK;
    while ((r = sql_step(q)) == SQL_ROW) {
        sva_answer_row row;
        row.audit = sql_int(q, 0);
        row.date = sql_text(q, 1);
        row.cycle = sql_text(q, 2);
        row.region = sql_text(q, 3);
        row.store = sql_text(q, 4);
        row.employee = sql_text(q, 5);
        row.checklist = sql_text(q, 6);
        row.auditor = sql_text(q, 7);
        row.version = sql_int(q, 8);
        row.section = sql_text(q, 9);
        row.item = sql_text(q, 10);
        row.na = sql_is_null(q, 11);
        row.value = sql_int(q, 11);
        row.points = sql_double(q, 12);
        row.max = sql_double(q, 13);
        row.passed = sql_int(q, 14);
        row.note = sql_text(q, 15);
        row.evidence = sql_text(q, 16);
        if (cb(&row, user)) {
            rc = SVA_ERR_IO;
            break;
        }
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot read answers");
    return rc;
}

char *sva_db_meta_get(sva_db *db, const char *key)
{
    sql_stmt *q;
    if (sql_prepare(db->c, "SELECT value FROM meta WHERE key = ?1", &q, NULL))
        return NULL;
    sql_bind_text(q, 1, key);
    char *v = sql_step(q) == SQL_ROW ? db_col_text(q, 0) : NULL;
    sql_finalize(q);
    return v;
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

const sva_store_summary *sva_store_summary_find(const sva_store_summary *v, size_t n,
                                                const char *store, const char *metric)
{
    sva_store_summary key = {(char *)store, (char *)metric, 0, 0, 0, 0, 0};
    return n ? bsearch(&key, v, n, sizeof *v, summary_cmp) : NULL;
}

#define SUMMARY_SCOPE                                                                         \
    "WITH a AS (SELECT au.id, au.store_id, au.pct, au.feeds, au.checklist_id, au.scorable,"    \
    "  au.n_answered, au.n_passed"                                                              \
    "  FROM audit au JOIN store s ON s.id = au.store_id WHERE au.cycle_id = ?1"                 \
    "  AND au.voided_at IS NULL AND (?2 IS NULL OR s.region = ?2)),"                            \
    " m AS (SELECT id, store_id, pct, scorable, n_answered, n_passed, feeds AS metric FROM a"   \
    "  WHERE feeds != 'none'"                                                                   \
    "  UNION ALL SELECT id, store_id, pct, scorable, n_answered, n_passed, checklist_id FROM a" \
    "  WHERE checklist_id NOT IN ('ssi', 'csi', '6s'))"

sva_error sva_analysis_store_summaries(sva_db *db, const char *cycle, const char *region,
                                       sva_store_summary **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    /* audits: n, sum and sum of squares of audit % per (store, metric); answered
     * and passed items (of every audit, scorable or not) */
    if (db_prep(db,
                SUMMARY_SCOPE " SELECT store_id, metric, sum(scorable),"
                              " sum(CASE WHEN scorable THEN pct END),"
                              " sum(CASE WHEN scorable THEN pct * pct END),"
                              " sum(n_answered), sum(n_passed)"
                              " FROM m GROUP BY store_id, metric ORDER BY store_id, metric",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    sva_store_summary *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            sva_store_summary *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sql_finalize(q);
                sva_store_summaries_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        sva_store_summary *x = &v[cnt++];
        memset(x, 0, sizeof *x);
        x->store = db_col_text(q, 0);
        x->metric = db_col_text(q, 1);
        x->n = sql_int(q, 2);
        double sum = sql_double(q, 3), sq = sql_double(q, 4);
        x->mean = x->n ? sum / (double)x->n : 0;
        double var = x->n > 1 ? (sq - sum * sum / (double)x->n) / (double)(x->n - 1) : 0;
        x->sd = var > 0 ? sqrt(var) : 0;
        x->answered = sql_int(q, 5);
        x->passed = sql_int(q, 6);
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        sva_store_summaries_free(v, cnt);
        return db_fail(db, d, "cannot summarise the stores");
    }
    if (cnt > 1)
        qsort(v, cnt, sizeof *v, summary_cmp);
    *out = v;
    *n = cnt;
    return SVA_OK;
}

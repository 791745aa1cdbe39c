/* svcaudit: the store's side of the analysis (see facts.h): grouped queries
 * that return sums and counts per store and metric, per section, per item
 * and per employee, and the stream of answers for the Data sheet. No rule is
 * applied here: analysis.c turns these rows into figures and verdicts. */
#include "db_internal.h"
#include "svcaudit/facts.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool fill_fact(sql_stmt *q, void *e)
{
    sva_fact *f = e;
    f->sum = sql_double(q, 2);
    f->n = (long)sql_int(q, 3);
    f->store = db_col_text(q, 0);
    f->metric = sva_strdup(sql_text(q, 1) ? sql_text(q, 1) : "");
    return f->store && f->metric;
}

static void clear_fact(void *e)
{
    sva_fact *f = e;
    free(f->store);
    free(f->metric);
}

/* Run @p sql with ?1 = @p cycle, ?2 = @p arg2 into (store, metric, sum, n)
 * facts, sorted for sva_fact_find. */
static sva_error facts(sva_db *db, const char *sql, const char *cycle, const char *arg2,
                       sva_fact **out, size_t *n, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, arg2);
    sva_error rc = db_collect(db, q, sizeof **out, fill_fact, clear_fact, (void **)out, n,
                              "cannot read the cycle's figures", d);
    if (!rc && *n > 1)
        sva_facts_sort(*out, *n);
    return rc;
}

static void clear_action_fact(void *e)
{
    sva_action_fact *a = e;
    free(a->store);
    free(a->due);
}

static bool fill_action_fact(sql_stmt *q, void *e)
{
    sva_action_fact *a = e;
    a->status = SVA_ACTION_OPEN;
    sva_action_status_parse(sql_text(q, 1), &a->status);
    a->carried = sql_int(q, 3) != 0;
    a->store = db_col_text(q, 0);
    if (!a->store)
        return false;
    if (sql_is_null(q, 2))
        return true;
    return (a->due = db_col_text(q, 2)) != NULL;
}

static bool fill_verify(sql_stmt *q, void *e)
{
    sva_verify_fact *v = e;
    v->action_id = sql_int(q, 0);
    v->n_answers = sql_int(q, 5);
    v->n_failed = sql_int(q, 6);
    if (!(v->store = db_col_text(q, 1)) || !(v->checklist = db_col_text(q, 2)))
        return false;
    if (!sql_is_null(q, 3) && !(v->item = db_col_text(q, 3)))
        return false;
    return sql_is_null(q, 4) || (v->section = db_col_text(q, 4));
}

static void clear_verify(void *e)
{
    sva_verify_fact *v = e;
    free(v->store);
    free(v->checklist);
    free(v->item);
    free(v->section);
}

sva_error sva_db_verify_facts(sva_db *db, const char *cycle, sva_verify_fact **out, size_t *n,
                              sva_diag *d)
{
    *out = NULL;
    *n = 0;
    int closed = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1 AND state = 'closed'", cycle, d);
    if (closed < 0)
        return SVA_ERR_DB;
    sql_stmt *q;
    /* a closed cycle: what its close decided; else the done actions of earlier
     * cycles that name an item or section, and this cycle's answers on them */
    if (db_prep(db,
                closed ? "SELECT x.id, x.store_id, x.checklist_id, x.item_id, x.section_id,"
                         " k.n_answers, k.n_failed FROM action_check k"
                         " JOIN action x ON x.id = k.action_id WHERE k.cycle_id = ?1"
                         " ORDER BY x.id"
                       : "SELECT x.id, x.store_id, x.checklist_id, x.item_id, x.section_id,"
                         " count(an.passed),"
                         " coalesce(sum(CASE WHEN an.passed = 0 THEN 1 ELSE 0 END), 0)"
                         " FROM action x JOIN cycle xc ON xc.id = x.cycle_id"
                         " JOIN cycle c ON c.id = ?1"
                         " LEFT JOIN audit au ON au.cycle_id = c.id AND au.store_id = x.store_id"
                         "  AND au.checklist_id = x.checklist_id AND au.voided_at IS NULL"
                         " LEFT JOIN answer an ON an.audit_id = au.id AND an.passed IS NOT NULL"
                         "  AND ((x.item_id IS NOT NULL AND an.item_id = x.item_id)"
                         "   OR (x.item_id IS NULL AND an.section_id = x.section_id))"
                         " WHERE x.status = 'done' AND xc.date_from < c.date_from"
                         " AND x.checklist_id IS NOT NULL"
                         " AND (x.item_id IS NOT NULL OR x.section_id IS NOT NULL)"
                         " GROUP BY x.id ORDER BY x.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    return db_collect(db, q, sizeof **out, fill_verify, clear_verify, (void **)out, n,
                      "cannot read the actions to verify", d);
}

sva_error sva_db_cycle_facts(sva_db *db, const char *cycle, sva_cycle_facts **out,
                             sva_diag *d)
{
    *out = NULL;
    sva_cycle *cy = NULL;
    sva_error rc = sva_db_cycle_get(db, cycle, &cy, d);
    if (rc)
        return rc;
    sva_cycle_facts *f = calloc(1, sizeof *f);
    if (!f) {
        sva_cycles_free(cy, 1);
        return SVA_ERR_NOMEM;
    }
    f->cycle = *cy;
    free(cy); /* its strings now belong to f */
    const char *id = f->cycle.id;
    /* the organisation as it was in the cycle */
    if ((rc = sva_db_cycle_stores(db, id, &f->stores, &f->n_stores, d)) ||
        (rc = sva_db_target_list(db, id, &f->targets, &f->n_targets, d)))
        goto fail;
    /* indexes and checklists in one list: metric = the index fed, or the checklist id */
    if ((rc = facts(db,
                    "SELECT store_id, feeds, sum(pct), count(*) FROM audit WHERE cycle_id = ?1"
                    " AND voided_at IS NULL AND scorable = 1 AND feeds != 'none'"
                    " GROUP BY store_id, feeds"
                    " UNION ALL SELECT store_id, checklist_id, sum(pct), count(*) FROM audit"
                    " WHERE cycle_id = ?1 AND voided_at IS NULL AND scorable = 1"
                    " AND checklist_id NOT IN ('ssi', 'csi', '6s')"
                    " GROUP BY store_id, checklist_id",
                    id, NULL, &f->audits, &f->n_audits, d)) ||
        (rc = facts(db,
                    "SELECT store_id, metric, value, respondents FROM survey WHERE cycle_id = ?1",
                    id, NULL, &f->surveys, &f->n_surveys, d)) ||
        (rc = facts(db, "SELECT store_id, metric, 0, 1 FROM cycle_reason WHERE cycle_id = ?1",
                    id, NULL, &f->reasons, &f->n_reasons, d)) ||
        /* the cycle's actions: those in it and those carried out of it */
        (rc = facts(db,
                    "SELECT store_id, metric, 0, count(*) FROM (SELECT store_id, metric"
                    " FROM action WHERE cycle_id = ?1 AND metric IS NOT NULL UNION ALL"
                    " SELECT a.store_id, a.metric FROM action_carry k"
                    " JOIN action a ON a.id = k.action_id WHERE k.from_cycle = ?1"
                    " AND a.metric IS NOT NULL) m GROUP BY store_id, metric",
                    id, NULL, &f->actions, &f->n_actions, d)) ||
        (rc = facts(db,
                    "SELECT store_id, '', 0, count(*) FROM audit WHERE cycle_id = ?1"
                    " AND voided_at IS NULL GROUP BY store_id",
                    id, NULL, &f->audit_counts, &f->n_audit_counts, d)))
        goto fail;
    sql_stmt *q;
    if ((rc = db_prep(db,
                      "SELECT store_id, status, due,"
                      " CASE WHEN carried_to IS NOT NULL THEN 1 ELSE 0 END, id FROM action"
                      " WHERE cycle_id = ?1 UNION ALL SELECT a.store_id, k.status,"
                      " k.due_before, 1, a.id FROM action_carry k"
                      " JOIN action a ON a.id = k.action_id WHERE k.from_cycle = ?1"
                      " ORDER BY 5",
                      &q, d)))
        goto fail;
    sql_bind_text(q, 1, id);
    if ((rc = db_collect(db, q, sizeof *f->action_list, fill_action_fact, clear_action_fact,
                         (void **)&f->action_list, &f->n_action_list, "cannot read actions",
                         d)) ||
        (rc = sva_db_verify_facts(db, id, &f->verify, &f->n_verify, d)))
        goto fail;
    if ((rc = db_prep(db,
                      "SELECT coalesce(sum(CASE WHEN p.outcome IS NULL THEN 1 ELSE 0 END), 0),"
                      " coalesce(sum(CASE WHEN p.outcome = 'upheld' THEN 1 ELSE 0 END), 0),"
                      " coalesce(sum(CASE WHEN p.outcome = 'rejected' THEN 1 ELSE 0 END), 0)"
                      " FROM appeal p JOIN audit a ON a.id = p.audit_id WHERE a.cycle_id = ?1",
                      &q, d)))
        goto fail;
    sql_bind_text(q, 1, id);
    if (sql_step(q) == SQL_ROW) {
        f->appeals_open = sql_int(q, 0);
        f->appeals_upheld = sql_int(q, 1);
        f->appeals_rejected = sql_int(q, 2);
    } else {
        rc = db_fail(db, d, "cannot read appeals");
    }
    sql_finalize(q);
    if (rc)
        goto fail;
    *out = f;
    return SVA_OK;
fail:
    sva_cycle_facts_free(f);
    return rc;
}

sva_error sva_db_section_facts(sva_db *db, const char *cycle, const char *checklist,
                               const char *region, sva_fact **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.store_id, ss.section_id, sum(ss.pct), count(*) FROM section_score ss"
                " JOIN audit a ON a.id = ss.audit_id JOIN store s ON s.id = a.store_id"
                " WHERE a.cycle_id = ?1 AND a.checklist_id = ?2 AND a.voided_at IS NULL"
                " AND ss.scorable = 1 AND (?3 IS NULL OR s.region = ?3)"
                " GROUP BY s.region, a.store_id, ss.section_id"
                " ORDER BY s.region, a.store_id, ss.section_id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, checklist);
    sql_bind_text(q, 3, region);
    return db_collect(db, q, sizeof **out, fill_fact, clear_fact, (void **)out, n,
                      "cannot compute section means", d);
}

/* ---- items ------------------------------------------------------------------------------- */

/* One store's answers and passes of an item, beside the item's totals, and
 * the failing stores so far. */
typedef struct ic_store {
    long answered, passed;
    sva_buf failing;
} ic_store;

#define MAX_FAILING_LISTED 30

/* The index of (cl, item) in v, added when new; (size_t)-1 when out of memory.
 * The search starts after @p hint: an audit's answers come in item order, so
 * the next item is almost always the one after the last. */
static size_t ic_find(sva_item_fact **v, ic_store **st, size_t *n, size_t *cap, size_t hint,
                      const char *cl, const char *item)
{
    for (size_t k = 0; k < *n; k++) {
        size_t i = (hint + 1 + k) % *n;
        if (strcmp((*v)[i].item, item) == 0 && strcmp((*v)[i].checklist, cl) == 0)
            return i;
    }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        sva_item_fact *nv = realloc(*v, nc * sizeof *nv);
        if (nv)
            *v = nv;
        ic_store *ns = realloc(*st, nc * sizeof *ns);
        if (ns)
            *st = ns;
        if (!nv || !ns)
            return (size_t)-1;
        *cap = nc;
    }
    sva_item_fact *c = &(*v)[*n];
    memset(c, 0, sizeof *c);
    memset(&(*st)[*n], 0, sizeof **st);
    c->checklist = sva_strdup(cl);
    c->item = sva_strdup(item);
    if (!c->checklist || !c->item) {
        free(c->checklist);
        free(c->item);
        return (size_t)-1;
    }
    return (*n)++;
}

/* The item facts being summed, store by store (stores come in id order). */
typedef struct ic_acc {
    sva_item_fact *v;
    ic_store *st;
    size_t cnt, cap, hint;
    char *store;           /* the store being summed; NULL before the first */
} ic_acc;

/* A store's answers are all in: count it for each item it answered. */
static void ic_store_end(ic_acc *a)
{
    if (!a->store)
        return;
    for (size_t k = 0; k < a->cnt; k++) {
        sva_item_fact *f = &a->v[k];
        ic_store *s = &a->st[k];
        f->stores += s->answered > 0;
        if (s->passed < s->answered) {
            f->stores_failing++;
            if (f->stores_failing <= MAX_FAILING_LISTED)
                sva_buf_printf(&s->failing, "%s%s", f->stores_failing > 1 ? ", " : "",
                               a->store);
            else if (f->stores_failing == MAX_FAILING_LISTED + 1)
                sva_buf_puts(&s->failing, ", ...");
        }
        s->answered = s->passed = 0;
    }
    free(a->store);
    a->store = NULL;
}

/* One answer (N/A left out) of item @p item of checklist @p cl version @p ver,
 * in section @p section, at @p store. False when out of memory. */
static bool ic_add(ic_acc *a, const char *store, const char *cl, long ver, const char *section,
                   const char *item, bool passed)
{
    if (a->store && strcmp(a->store, store) != 0)
        ic_store_end(a);
    if (!a->store && !(a->store = sva_strdup(store)))
        return false;
    size_t i = ic_find(&a->v, &a->st, &a->cnt, &a->cap, a->hint, cl, item);
    if (i == (size_t)-1)
        return false;
    a->hint = i;
    sva_item_fact *c = &a->v[i];
    if (!c->section || ver > c->version) { /* the section of the latest version */
        char *copy = sva_strdup(section ? section : "");
        if (!copy)
            return false;
        free(c->section);
        c->section = copy;
        c->version = ver;
    }
    c->answered++;
    c->passed += passed;
    a->st[i].answered++;
    a->st[i].passed += passed;
    return true;
}

/* The facts summed (SVA_OK), or everything freed. */
static sva_error ic_finish(ic_acc *a, sva_error rc, sva_item_fact **out, size_t *n)
{
    if (!rc)
        ic_store_end(a);
    free(a->store);
    for (size_t k = 0; k < a->cnt; k++) {
        if (a->st[k].failing.failed)
            rc = rc ? rc : SVA_ERR_NOMEM;
        a->v[k].failing = a->st[k].failing.len ? sva_buf_take(&a->st[k].failing) : NULL;
        sva_buf_free(&a->st[k].failing);
    }
    free(a->st);
    if (rc) {
        sva_item_facts_free(a->v, a->cnt);
        return rc;
    }
    *out = a->v;
    *n = a->cnt;
    return SVA_OK;
}

/* Summed in C from one pass over the cycle's answers in the order of the
 * audit_cycle_store index, store by store: the same figures by two nested
 * GROUP BYs made SQLite sort every answer (3 s of a million). */
static sva_error item_facts_answers(sva_db *db, const char *cycle, const char *region,
                                    sva_item_fact **out, size_t *n, sva_diag *d)
{
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
    ic_acc a = {0};
    sva_error rc = SVA_OK;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *sid = sql_text(q, 0), *cl = sql_text(q, 1), *item = sql_text(q, 4);
        if (!sid || !cl || !item ||
            !ic_add(&a, sid, cl, (long)sql_int(q, 2), sql_text(q, 3), item, sql_int(q, 5) != 0)) {
            rc = SVA_ERR_NOMEM;
            break;
        }
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot compute item compliance");
    else if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    return ic_finish(&a, rc, out, n);
}

/* A stored checklist version, parsed once: its items by number. */
typedef struct ic_version {
    char *hash;
    sva_checklist *cl;
} ic_version;

/* The checklist version stored as @p hash, parsed (cached in @p vs); NULL
 * when it cannot be read or parsed. */
static const sva_checklist *ic_version_find(const ic_version *vs, size_t nv, const char *hash)
{
    for (size_t i = 0; i < nv; i++)
        if (strcmp(vs[i].hash, hash) == 0)
            return vs[i].cl;
    return NULL;
}

static const sva_checklist *ic_version_get(sva_db *db, ic_version **vs, size_t *nv,
                                           const char *hash)
{
    const sva_checklist *have = ic_version_find(*vs, *nv, hash);
    if (have)
        return have;
    sql_stmt *q;
    if (db_prep(db, "SELECT checklist_id, version, source FROM checklist_version WHERE hash = ?1",
                &q, NULL))
        return NULL;
    sql_bind_text(q, 1, hash);
    sva_checklist *cl = NULL;
    if (sql_step(q) == SQL_ROW &&
        db_parse_stored(q, 2, sql_text(q, 0), sql_int(q, 1), &cl, NULL) != SVA_OK)
        cl = NULL;
    sql_finalize(q);
    ic_version *g = cl ? realloc(*vs, (*nv + 1) * sizeof **vs) : NULL;
    char *h = g ? sva_strdup(hash) : NULL;
    if (g)
        *vs = g;
    if (!h) {
        sva_checklist_free(cl);
        return NULL;
    }
    (*vs)[(*nv)++] = (ic_version){h, cl};
    return cl;
}

/* The same sums from the audits' item marks (one character per item: 1
 * passed, 0 failed, - N/A, written with the answers), item ids and sections
 * from the stored checklist versions: a row per audit instead of one per
 * answer. SVA_ERR_NOT_FOUND (no message) when an audit's marks do not fit
 * its version (none stored, another length): the caller then sums the
 * answers. */
static sva_error item_facts_marks(sva_db *db, const char *cycle, const char *region,
                                  sva_item_fact **out, size_t *n, sva_diag *d)
{
    /* the versions first: one statement at a time on the connection */
    ic_version *vs = NULL;
    size_t nv = 0;
    char **hashes = NULL;
    size_t nh = 0;
    sql_stmt *q;
    if (db_prep(db, "SELECT DISTINCT checklist_hash FROM audit WHERE cycle_id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sva_error rc = SVA_OK;
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char **g = realloc(hashes, (nh + 1) * sizeof *hashes);
        if (g)
            hashes = g;
        if (!g || !(hashes[nh] = db_col_text(q, 0)))
            rc = SVA_ERR_NOMEM;
        else
            nh++;
    }
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot compute item compliance");
    for (size_t i = 0; i < nh; i++) {
        if (!rc)
            ic_version_get(db, &vs, &nv, hashes[i]); /* a miss: the audit falls back */
        free(hashes[i]);
    }
    free(hashes);
    if (!rc && db_prep(db,
                       "SELECT a.store_id, a.checklist_id, a.checklist_version,"
                       " a.checklist_hash, a.item_marks"
                       " FROM audit a JOIN store s ON s.id = a.store_id"
                       " WHERE a.cycle_id = ?1 AND a.voided_at IS NULL"
                       " AND (?2 IS NULL OR s.region = ?2) ORDER BY a.store_id, a.id",
                       &q, d))
        rc = SVA_ERR_DB;
    if (rc) {
        for (size_t i = 0; i < nv; i++) {
            free(vs[i].hash);
            sva_checklist_free(vs[i].cl);
        }
        free(vs);
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        return rc;
    }
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    ic_acc a = {0};
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        const char *sid = sql_text(q, 0), *clid = sql_text(q, 1), *hash = sql_text(q, 3),
                   *mk = sql_text(q, 4);
        const sva_checklist *cl = hash ? ic_version_find(vs, nv, hash) : NULL;
        if (!sid || !clid || !mk || !cl || strcmp(cl->id, clid) != 0 ||
            cl->version != (long)sql_int(q, 2) || strlen(mk) != cl->n_items) {
            rc = SVA_ERR_NOT_FOUND;
            break;
        }
        for (size_t i = 0; i < cl->n_items && !rc; i++) {
            if (mk[i] == '-')
                continue;
            const sva_item *it = &cl->items[i];
            if (mk[i] != '0' && mk[i] != '1')
                rc = SVA_ERR_NOT_FOUND;
            else if (!ic_add(&a, sid, clid, cl->version, cl->sections[it->section].id, it->id,
                             mk[i] == '1'))
                rc = SVA_ERR_NOMEM;
        }
    }
    sql_finalize(q);
    for (size_t i = 0; i < nv; i++) {
        free(vs[i].hash);
        sva_checklist_free(vs[i].cl);
    }
    free(vs);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot compute item compliance");
    else if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    return ic_finish(&a, rc, out, n);
}

sva_error sva_db_item_facts(sva_db *db, const char *cycle, const char *region,
                            sva_item_fact **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_error rc = item_facts_marks(db, cycle, region, out, n, d);
    if (rc == SVA_ERR_NOT_FOUND)
        rc = item_facts_answers(db, cycle, region, out, n, d);
    return rc;
}

/* ---- employees ------------------------------------------------------------------------- */

static bool fill_employee_fact(sql_stmt *q, void *e)
{
    sva_employee_fact *x = e;
    x->n = (long)sql_int(q, 5);
    x->sum = sql_double(q, 6);
    x->failed = (long)sql_int(q, 7);
    return (x->employee = db_col_text(q, 0)) && (x->name = db_col_text(q, 1)) &&
           (x->store = db_col_text(q, 2)) && (x->region = db_col_text(q, 3)) &&
           (x->role = db_col_text(q, 4));
}

static void clear_employee_fact(void *e)
{
    sva_employee_fact *x = e;
    free(x->employee);
    free(x->name);
    free(x->store);
    free(x->region);
    free(x->role);
}

sva_error sva_db_employee_facts(sva_db *db, const char *cycle, const char *region,
                                sva_employee_fact **out, size_t *n, sva_diag *d)
{
    sql_stmt *q;
    *out = NULL;
    *n = 0;
    if (db_prep(db,
                "SELECT e.id, e.name, e.store_id, s.region, e.role, count(*), sum(a.pct),"
                " sum(a.failed) FROM audit a JOIN employee e ON e.id = a.employee_id"
                " JOIN store s ON s.id = e.store_id WHERE a.cycle_id = ?1"
                " AND a.voided_at IS NULL AND a.scorable = 1 AND (?2 IS NULL OR s.region = ?2)"
                " GROUP BY e.id, s.region ORDER BY e.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    return db_collect(db, q, sizeof **out, fill_employee_fact, clear_employee_fact,
                      (void **)out, n, "cannot compute employee scores", d);
}

/* ---- the Act step's actions ------------------------------------------------------------ */

static bool fill_act(sql_stmt *q, void *e)
{
    sva_act_fact *a = e;
    a->id = sql_int(q, 0);
    a->status = SVA_ACTION_OPEN;
    sva_action_status_parse(sql_text(q, 4), &a->status);
    a->carried = sql_int(q, 7) != 0;
    a->this_cycle = sql_int(q, 8) != 0;
    if (!(a->cycle = db_col_text(q, 1)) || !(a->store = db_col_text(q, 2)) ||
        !(a->region = db_col_text(q, 3)))
        return false;
    if (!sql_is_null(q, 5) && !(a->due = db_col_text(q, 5)))
        return false;
    return sql_is_null(q, 6) || (a->done_at = db_col_text(q, 6));
}

static void clear_act(void *e)
{
    sva_act_fact *a = e;
    free(a->cycle);
    free(a->store);
    free(a->region);
    free(a->due);
    free(a->done_at);
}

sva_error sva_db_act_facts(sva_db *db, const char *cycle, const char *region,
                           sva_act_fact **out, size_t *n, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.id, a.cycle_id, a.store_id, s.region, a.status, a.due,"
                " (SELECT min(h.at) FROM action_history h WHERE h.action_id = a.id"
                "  AND h.change LIKE 'status % -> done'),"
                " CASE WHEN a.carried_to IS NOT NULL THEN 1 ELSE 0 END,"
                " CASE WHEN a.cycle_id = ?1 THEN 1 ELSE 0 END"
                " FROM action a JOIN store s ON s.id = a.store_id"
                " JOIN cycle c ON c.id = a.cycle_id JOIN cycle me ON me.id = ?1"
                " WHERE (?2 IS NULL OR s.region = ?2) AND (a.cycle_id = ?1"
                "  OR (c.date_from < me.date_from AND a.carried_to IS NULL"
                "      AND a.status IN ('open', 'in_progress', 'reopened')))"
                /* carried out of this cycle: as they stood then, counted in the next */
                " UNION ALL SELECT a.id, k.from_cycle, a.store_id, s.region, k.status,"
                " k.due_before, (SELECT min(h.at) FROM action_history h"
                "  WHERE h.action_id = a.id AND h.at <= k.at"
                "  AND h.change LIKE 'status % -> done'), 1, 1"
                " FROM action_carry k JOIN action a ON a.id = k.action_id"
                " JOIN store s ON s.id = a.store_id"
                " WHERE k.from_cycle = ?1 AND (?2 IS NULL OR s.region = ?2)"
                " ORDER BY 1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    return db_collect(db, q, sizeof **out, fill_act, clear_act, (void **)out, n,
                      "cannot read the actions", d);
}

/* ---- the answers, streamed ---------------------------------------------------------------- */

sva_error sva_db_answer_rows(sva_db *db, const char *cycle, const char *region,
                             sva_answer_cb cb, void *user, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT a.id, a.audit_date, a.cycle_id, s.region, a.store_id,"
                " coalesce(a.employee_id, ''), a.checklist_id, a.auditor, a.checklist_version,"
                " an.section_id, an.item_id, an.value, an.points, an.max_points,"
                " coalesce(an.passed, -1), an.note, an.evidence, an.item_no"
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
        row.value = (int)sql_int(q, 11);
        row.points = sql_double(q, 12);
        row.max = sql_double(q, 13);
        row.passed = (int)sql_int(q, 14);
        row.note = sql_text(q, 15);
        row.evidence = sql_text(q, 16);
        row.item_no = (long)sql_int(q, 17);
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

/* ---- per store summaries (tests of change) ------------------------------------------------ */

static void clear_summary(void *e)
{
    sva_store_summary *x = e;
    free(x->store);
    free(x->metric);
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

/* One (store, metric) group being summed. */
typedef struct summary_sums {
    long n;
    double sum, sq;
} summary_sums;

static void summary_close(sva_store_summary *x, const summary_sums *g)
{
    x->n = g->n;
    x->mean = g->n ? g->sum / (double)g->n : 0;
    double var = g->n > 1 ? (g->sq - g->sum * g->sum / (double)g->n) / (double)(g->n - 1) : 0;
    x->sd = var > 0 ? sqrt(var) : 0;
}

sva_error sva_db_store_summaries(sva_db *db, const char *cycle, const char *region,
                                 sva_store_summary **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    /* audits: n, sum and sum of squares of audit % per (store, metric); answered
     * and passed items (of every audit, scorable or not). Summed here, audit by
     * audit in id order, so that the sums (and the figures from them, to the
     * last bit) do not depend on the order an engine's plan reads the rows in */
    if (db_prep(db,
                SUMMARY_SCOPE " SELECT store_id, metric, scorable, pct, n_answered, n_passed"
                              " FROM m ORDER BY store_id, metric, id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sql_bind_text(q, 2, region);
    sva_store_summary *v = NULL;
    size_t cnt = 0, cap = 0;
    summary_sums g = {0};
    sva_error rc = SVA_OK;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *store = sql_text(q, 0), *metric = sql_text(q, 1);
        if (!store || !metric) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        if (!cnt || strcmp(v[cnt - 1].store, store) != 0 ||
            strcmp(v[cnt - 1].metric, metric) != 0) {
            if (cnt)
                summary_close(&v[cnt - 1], &g);
            if (cnt == cap) {
                size_t nc = cap ? cap * 2 : 64;
                sva_store_summary *nv = realloc(v, nc * sizeof *nv);
                if (!nv) {
                    rc = SVA_ERR_NOMEM;
                    break;
                }
                v = nv;
                cap = nc;
            }
            sva_store_summary *x = &v[cnt];
            memset(x, 0, sizeof *x);
            cnt++;
            g = (summary_sums){0};
            if (!(x->store = sva_strdup(store)) || !(x->metric = sva_strdup(metric))) {
                rc = SVA_ERR_NOMEM;
                break;
            }
        }
        sva_store_summary *x = &v[cnt - 1];
        if (sql_int(q, 2)) {
            double pct = sql_double(q, 3);
            g.n++;
            g.sum += pct;
            g.sq += pct * pct;
        }
        x->answered += (long)sql_int(q, 4);
        x->passed += (long)sql_int(q, 5);
    }
    if (cnt && !rc)
        summary_close(&v[cnt - 1], &g);
    sql_finalize(q);
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot summarise the stores");
    else if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    if (rc) {
        for (size_t i = 0; i < cnt; i++)
            clear_summary(&v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
    if (cnt > 1)
        sva_store_summaries_sort(*out, *n);
    return SVA_OK;
}

/* svcaudit: the store's plans (see plan.h): plans per cycle, the facts their
 * coverage is computed from, reasons for missed planned audits, the close's
 * check of them, and owners of sections and items. The rules are plan.c's. */
#include "db_internal.h"
#include "svcaudit/plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sva_scope scope_parse(const char *s)
{
    return strcmp(s, "store") == 0 ? SVA_SCOPE_STORE
           : strcmp(s, "region") == 0 ? SVA_SCOPE_REGION
                                      : SVA_SCOPE_NETWORK;
}

/* The cycle exists and is not closed (inside a transaction). */
static sva_error cycle_open_for(sva_db *db, const char *cycle, const char *file, int line,
                                const char *flag, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT state FROM cycle WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    char where[64] = "";
    if (!file && flag)
        snprintf(where, sizeof where, "%s: ", flag);
    if (r == SQL_ROW && strcmp(sql_text(q, 0), "closed") == 0) {
        sva_diag_add(d, file, line,
                     "%scycle '%s' is closed: its plans and reasons do not change (the one way "
                     "back: svcaudit cycle reopen %s --reason TEXT)",
                     where, cycle, cycle);
        rc = SVA_ERR_STATE;
    } else if (r == SQL_DONE) {
        db_unknown(db, SVA_REF_CYCLE, cycle, file || !flag ? NULL : flag, file, line, d);
        rc = SVA_ERR_NOT_FOUND;
    } else if (r != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the cycle");
    }
    sql_finalize(q);
    return rc;
}

/* ---- plans -------------------------------------------------------------------------------- */

/* What a plan names exists: its cycle (open), its store or region. */
static sva_error plan_refs(sva_db *db, const sva_plan *p, const char *file, sva_diag *d)
{
    sva_error rc = cycle_open_for(db, p->cycle, file, p->cycle_line ? p->cycle_line : p->line,
                                  "--cycle", d);
    if (rc == SVA_ERR_DB)
        return rc;
    int line = p->scope_line ? p->scope_line : p->line;
    if (p->scope == SVA_SCOPE_STORE) {
        int ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", p->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            db_unknown(db, SVA_REF_STORE, p->scope_id, file ? NULL : "--store", file, line, d);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        }
    } else if (p->scope == SVA_SCOPE_REGION) {
        int ex = db_exists(db, "SELECT 1 FROM store WHERE region = ?1 AND region != ''",
                           p->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            db_unknown(db, SVA_REF_REGION, p->scope_id, file ? NULL : "--region", file, line, d);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        }
    }
    return rc;
}

/* Store one plan (a new one, or replacing the one of its checklist and scope),
 * logged as @p what. */
static sva_error plan_put(sva_db *db, const sva_plan *p, const char *what, long long *id,
                          sva_diag *d)
{
    char uuid[37], now[32];
    if (!db_new_uuid(uuid))
        return SVA_ERR_IO;
    db_now(now);
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee,"
                " times, every, auditor, set_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                " ON CONFLICT(cycle_id, checklist_id, scope, scope_id) DO UPDATE SET"
                " per_employee = excluded.per_employee, times = excluded.times,"
                " every = excluded.every, auditor = excluded.auditor, set_at = excluded.set_at"
                " RETURNING id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, uuid);
    sql_bind_text(q, 2, p->cycle);
    sql_bind_text(q, 3, p->checklist);
    sql_bind_text(q, 4, sva_scope_name(p->scope));
    sql_bind_text(q, 5, p->scope == SVA_SCOPE_NETWORK ? "" : p->scope_id);
    sql_bind_int(q, 6, p->per_employee);
    sql_bind_int(q, 7, p->times);
    sql_bind_text(q, 8, sva_plan_every_name(p->every));
    sql_bind_text(q, 9, p->auditor ? p->auditor : "");
    sql_bind_text(q, 10, now);
    int r = sql_step(q);
    if (r == SQL_ROW) {
        if (id)
            *id = sql_int(q, 0);
        r = sql_step(q);
    }
    sql_finalize(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the plan");
    char obj[200];
    snprintf(obj, sizeof obj, "plan %s %s%s%s", p->checklist, sva_scope_name(p->scope),
             p->scope == SVA_SCOPE_NETWORK ? "" : " ", p->scope == SVA_SCOPE_NETWORK ? "" : p->scope_id);
    return db_log(db, p->cycle, what, obj, d, "%ld%s per %s%s%s", p->times,
                  p->per_employee ? " per employee" : "", sva_plan_every_name(p->every),
                  p->auditor && *p->auditor ? ", by " : "", p->auditor ? p->auditor : "");
}

sva_error sva_db_plan_set(sva_db *db, const sva_plan *p, const sva_catalog *cat, long long *id,
                          sva_diag *d)
{
    if (!sva_plan_check(p, cat, NULL, d))
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    rc = plan_refs(db, p, NULL, d);
    if (!rc)
        rc = plan_put(db, p, "plan set", id, d);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_plans_put(sva_db *db, const sva_plan *v, size_t n, const char *file,
                           const sva_catalog *cat, bool check_only, sva_diag *d)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += !sva_plan_check(&v[i], cat, file, d);
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        sva_error e = plan_refs(db, &v[i], file, d);
        if (e == SVA_ERR_DB)
            rc = e;
        else if (e)
            bad++;
    }
    for (size_t i = 0; !rc && !bad && !check_only && i < n; i++)
        rc = plan_put(db, &v[i], "plan import", NULL, d);
    if (!rc && bad)
        rc = SVA_ERR_INVALID;
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    return rc ? rc : rc2;
}

static bool plan_fill(sql_stmt *q, void *elem)
{
    sva_plan *p = elem;
    p->id = sql_int(q, 0);
    p->cycle = db_col_text(q, 1);
    p->checklist = db_col_text(q, 2);
    p->scope = scope_parse(sql_text(q, 3));
    p->scope_id = db_col_text(q, 4);
    p->per_employee = sql_int(q, 5) != 0;
    p->times = (long)sql_int(q, 6);
    sva_plan_every_parse(sql_text(q, 7), &p->every);
    p->auditor = db_col_text(q, 8);
    return p->cycle && p->checklist && p->scope_id && p->auditor;
}

static void plan_clear(void *elem)
{
    sva_plan *p = elem;
    free(p->cycle);
    free(p->checklist);
    free(p->scope_id);
    free(p->auditor);
}

sva_error sva_db_plan_list(sva_db *db, const char *cycle, sva_plan **out, size_t *n,
                           sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT p.id, p.cycle_id, p.checklist_id, p.scope, p.scope_id, p.per_employee,"
                " p.times, p.every, p.auditor FROM plan p JOIN cycle c ON c.id = p.cycle_id"
                " WHERE ?1 IS NULL OR p.cycle_id = ?1 ORDER BY c.date_from, p.cycle_id,"
                " CASE p.scope WHEN 'network' THEN 0 WHEN 'region' THEN 1 ELSE 2 END,"
                " p.scope_id, p.checklist_id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    return db_collect(db, q, sizeof **out, plan_fill, plan_clear, (void **)out, n,
                      "cannot list plans", d);
}

sva_error sva_db_plan_copy(sva_db *db, const char *from, const char *to, size_t *copied,
                           sva_diag *d)
{
    if (copied)
        *copied = 0;
    if (strcmp(from, to) == 0) {
        sva_diag_add(d, NULL, 0, "--to: the plans of cycle '%s' are already there", to);
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", from, d);
    if (ex < 0)
        rc = SVA_ERR_DB;
    else if (!ex) {
        db_unknown(db, SVA_REF_CYCLE, from, "--from", NULL, 0, d);
        rc = SVA_ERR_NOT_FOUND;
    }
    /* a --to not opened yet: the one meant is not the --from cycle (copying
     * into it makes no sense), so say how to open it unless another is meant */
    int tx = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", to, d);
    sva_error rt = SVA_OK;
    if (tx < 0) {
        rt = SVA_ERR_DB;
    } else if (!tx) {
        char hint[600], self[128];
        db_ref_hint(db, SVA_REF_CYCLE, to, hint, sizeof hint);
        snprintf(self, sizeof self, "(did you mean '%s'?)", from);
        if (strncmp(hint, "(did", 4) != 0 || strcmp(hint, self) == 0)
            snprintf(hint, sizeof hint,
                     "(open it first: svcaudit cycle open %s --from DATE --to DATE)", to);
        sva_diag_add(d, NULL, 0, "--to: unknown cycle '%s' %s", to, hint);
        rt = SVA_ERR_NOT_FOUND;
    } else {
        rt = cycle_open_for(db, to, NULL, 0, "--to", d);
    }
    if (!rc)
        rc = rt;
    sva_plan *v = NULL;
    size_t n = 0;
    if (!rc)
        rc = sva_db_plan_list(db, from, &v, &n, d);
    if (!rc && !n) {
        sva_diag_add(d, NULL, 0, "--from: cycle '%s' has no plans", from);
        rc = SVA_ERR_NOT_FOUND;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        free(v[i].cycle);
        v[i].cycle = sva_strdup(to);
        rc = v[i].cycle ? plan_put(db, &v[i], "plan copy", NULL, d) : SVA_ERR_NOMEM;
    }
    sva_plans_free(v, n);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && copied)
        *copied = n;
    return rc ? rc : rc2;
}

/* ---- the facts of coverage ---------------------------------------------------------------- */

/* One row of master data's history: an employee's store from a day (or the
 * employee's store with no history), or a store's being open from a day. */
typedef struct hist_row {
    char *who;   /* employee or store id */
    char *now;   /* the employee row's store (NULL for stores) */
    char *from;  /* the event's first day ('' since ever); NULL: no event at all */
    char *store; /* the employee's store from then (NULL: none) */
    int open;    /* the store is open from then */
} hist_row;

static bool hist_fill(sql_stmt *q, void *elem)
{
    hist_row *r = elem;
    r->who = db_col_text(q, 0);
    r->now = sql_is_null(q, 1) ? NULL : db_col_text(q, 1);
    r->from = sql_is_null(q, 2) ? NULL : db_col_text(q, 2);
    r->store = sql_is_null(q, 3) ? NULL : db_col_text(q, 3);
    r->open = (int)sql_int(q, 4);
    return r->who && (sql_is_null(q, 1) || r->now) && (sql_is_null(q, 2) || r->from) &&
           (sql_is_null(q, 3) || r->store);
}

static void hist_clear(void *elem)
{
    hist_row *r = elem;
    free(r->who);
    free(r->now);
    free(r->from);
    free(r->store);
}

static void hist_free(hist_row *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        hist_clear(&v[i]);
    free(v);
}

/* The days of cycle @p c that event @p k of the group [.., end) holds for:
 * from its day to the day before the next event's, cut to the cycle. NULL
 * ends stand for the cycle's own; false when it holds no day of the cycle. */
static bool hist_span(const hist_row *v, size_t k, size_t end, const sva_cycle *c,
                      char from[11], char to[11], bool *open_from, bool *open_to)
{
    snprintf(from, 11, "%s", c->from);
    snprintf(to, 11, "%s", c->to);
    if (v[k].from && *v[k].from && strcmp(v[k].from, from) > 0)
        snprintf(from, 11, "%s", v[k].from);
    if (k + 1 < end) {
        char last[11];
        if (!v[k + 1].from || !sva_prev_day(v[k + 1].from, last))
            return false; /* two events since ever: the later one holds */
        if (strcmp(last, to) < 0)
            memcpy(to, last, 11);
    }
    *open_from = strcmp(from, c->from) == 0;
    *open_to = strcmp(to, c->to) == 0;
    return strcmp(from, to) <= 0;
}

static sva_error span_push(void **v, size_t *n, size_t *cap, size_t size, sva_diag *d)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        void *nv = realloc(*v, nc * size);
        if (!nv)
            return db_nomem(d);
        *v = nv;
        *cap = nc;
    }
    memset((char *)*v + *n * size, 0, size);
    ++*n;
    return SVA_OK;
}

static int person_cmp(const void *a, const void *b)
{
    const sva_plan_person *x = a, *y = b;
    int r = strcmp(x->store, y->store);
    if (!r)
        r = strcmp(x->employee, y->employee);
    if (!r)
        r = strcmp(x->from ? x->from : "", y->from ? y->from : "");
    return r;
}

/* Who works at which store during @p c, by store then employee: the one
 * place that knows. An employee without a history works at the employee
 * row's store all along; one with a history (sva_db_employee_move) works at
 * each event's store from its day to the day before the next event's, and
 * nowhere while an event names no store. One entry per stay in the cycle. */
static sva_error plan_people(sva_db *db, const sva_cycle *c, sva_plan_person **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    hist_row *v = NULL;
    size_t nv = 0, cap = 0;
    if (db_prep(db,
                "SELECT e.id, e.store_id, ev.from_date, ev.store_id, 0 FROM employee e"
                " LEFT JOIN employee_event ev ON ev.employee_id = e.id"
                " ORDER BY e.id, ev.from_date, ev.id",
                &q, d))
        return SVA_ERR_DB;
    sva_error rc = db_collect(db, q, sizeof *v, hist_fill, hist_clear, (void **)&v, &nv,
                              "cannot read who works where", d);
    for (size_t i = 0, j; !rc && i < nv; i = j) {
        for (j = i + 1; j < nv && strcmp(v[j].who, v[i].who) == 0; j++)
            ;
        for (size_t k = i; !rc && k < j; k++) {
            const char *store = v[k].from ? v[k].store : v[k].now;
            char from[11], to[11];
            bool of = true, ot = true;
            if (!store || (v[k].from && !hist_span(v, k, j, c, from, to, &of, &ot)))
                continue;
            if ((rc = span_push((void **)out, n, &cap, sizeof **out, d)))
                break;
            sva_plan_person *p = &(*out)[*n - 1];
            if (!(p->employee = strdup(v[k].who)) || !(p->store = strdup(store)) ||
                (!of && !(p->from = strdup(from))) || (!ot && !(p->to = strdup(to))))
                rc = db_nomem(d);
        }
    }
    hist_free(v, nv);
    if (!rc && *n)
        qsort(*out, *n, sizeof **out, person_cmp);
    return rc;
}

static int closed_cmp(const void *a, const void *b)
{
    const sva_plan_closed *x = a, *y = b;
    int r = strcmp(x->store, y->store);
    return r ? r : strcmp(x->from ? x->from : "", y->from ? y->from : "");
}

/* When stores are closed during @p c, by store then day (the rule of
 * DB_STORE_ACTIVE_SQL: each event holds from its day to the next one's;
 * before the first, a store is closed when that first event opens it). */
static sva_error plan_closed(sva_db *db, const sva_cycle *c, sva_plan_closed **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    hist_row *v = NULL;
    size_t nv = 0, cap = 0;
    if (db_prep(db,
                "SELECT store_id, NULL, from_date, NULL, CASE WHEN active = 1 THEN 1 ELSE 0 END"
                " FROM store_event ORDER BY store_id, from_date, id",
                &q, d))
        return SVA_ERR_DB;
    sva_error rc = db_collect(db, q, sizeof *v, hist_fill, hist_clear, (void **)&v, &nv,
                              "cannot read when stores are open", d);
    for (size_t i = 0, j; !rc && i < nv; i = j) {
        for (j = i + 1; j < nv && strcmp(v[j].who, v[i].who) == 0; j++)
            ;
        /* before its first event: closed if that event opens it */
        char first[11];
        if (v[i].open && *v[i].from && sva_prev_day(v[i].from, first) &&
            strcmp(first, c->from) >= 0) {
            if ((rc = span_push((void **)out, n, &cap, sizeof **out, d)))
                break;
            sva_plan_closed *x = &(*out)[*n - 1];
            bool ot = strcmp(first, c->to) >= 0;
            if (!(x->store = strdup(v[i].who)) || (!ot && !(x->to = strdup(first))))
                rc = db_nomem(d);
        }
        for (size_t k = i; !rc && k < j; k++) {
            char from[11], to[11];
            bool of, ot;
            if (v[k].open || !hist_span(v, k, j, c, from, to, &of, &ot))
                continue;
            if ((rc = span_push((void **)out, n, &cap, sizeof **out, d)))
                break;
            sva_plan_closed *x = &(*out)[*n - 1];
            if (!(x->store = strdup(v[k].who)) || (!of && !(x->from = strdup(from))) ||
                (!ot && !(x->to = strdup(to))))
                rc = db_nomem(d);
        }
    }
    hist_free(v, nv);
    if (!rc && *n)
        qsort(*out, *n, sizeof **out, closed_cmp);
    return rc;
}

static bool visit_fill(sql_stmt *q, void *elem)
{
    sva_plan_visit *v = elem;
    v->audit = sql_int(q, 0);
    v->checklist = db_col_text(q, 1);
    v->store = db_col_text(q, 2);
    v->employee = db_col_text(q, 3);
    v->auditor = db_col_text(q, 4);
    snprintf(v->date, sizeof v->date, "%s", sql_text(q, 5) ? sql_text(q, 5) : "");
    return v->checklist && v->store && v->auditor;
}

static void visit_clear(void *elem)
{
    sva_plan_visit *v = elem;
    free(v->checklist);
    free(v->store);
    free(v->employee);
    free(v->auditor);
}

static bool reason_fill(sql_stmt *q, void *elem)
{
    sva_plan_reason *r = elem;
    r->checklist = db_col_text(q, 0);
    r->store = db_col_text(q, 1);
    r->employee = db_col_text(q, 2);
    r->text = db_col_text(q, 3);
    return r->checklist && r->store && r->employee && r->text;
}

static void reason_clear(void *elem)
{
    sva_plan_reason *r = elem;
    free(r->checklist);
    free(r->store);
    free(r->employee);
    free(r->text);
}

sva_error sva_db_plan_facts(sva_db *db, const char *cycle, sva_plan_facts **out, sva_diag *d)
{
    *out = NULL;
    sva_plan_facts *f = calloc(1, sizeof *f);
    if (!f)
        return SVA_ERR_NOMEM;
    sva_cycle *c = NULL;
    sql_stmt *q = NULL;
    sva_error rc = sva_db_cycle_get(db, cycle, &c, d);
    if (!rc) {
        f->cycle = *c;
        free(c);
        rc = sva_db_plan_list(db, cycle, &f->plans, &f->n_plans, d);
    }
    if (!rc)
        rc = sva_db_store_list(db, &f->stores, &f->n_stores, d);
    if (!rc)
        rc = plan_people(db, &f->cycle, &f->people, &f->n_people, d);
    if (!rc)
        rc = plan_closed(db, &f->cycle, &f->closed, &f->n_closed, d);
    if (!rc && !(rc = db_prep(db,
                              "SELECT id, checklist_id, store_id, employee_id, auditor, audit_date"
                              " FROM audit WHERE cycle_id = ?1 AND voided_at IS NULL",
                              &q, d))) {
        sql_bind_text(q, 1, cycle);
        rc = db_collect(db, q, sizeof *f->visits, visit_fill, visit_clear, (void **)&f->visits,
                        &f->n_visits, "cannot read the cycle's audits", d);
    }
    if (!rc && !(rc = db_prep(db,
                              "SELECT checklist_id, store_id, employee_id, text FROM plan_reason"
                              " WHERE cycle_id = ?1 ORDER BY checklist_id, store_id, employee_id",
                              &q, d))) {
        sql_bind_text(q, 1, cycle);
        rc = db_collect(db, q, sizeof *f->reasons, reason_fill, reason_clear,
                        (void **)&f->reasons, &f->n_reasons, "cannot read the reasons", d);
    }
    if (rc) {
        sva_plan_facts_free(f);
        return rc;
    }
    *out = f;
    return SVA_OK;
}

sva_error sva_plan_status(sva_db *db, const char *cycle, const char *today,
                          sva_plan_facts **facts, sva_coverage **cov, sva_diag *d)
{
    *facts = NULL;
    *cov = NULL;
    char td[16];
    if (today)
        snprintf(td, sizeof td, "%s", today);
    else
        db_today(td);
    sva_error rc = sva_db_plan_facts(db, cycle, facts, d);
    if (rc)
        return rc;
    rc = sva_plan_coverage(*facts, td, (*facts)->cycle.state == SVA_CYCLE_CLOSED, cov);
    if (rc) {
        sva_diag_add(d, NULL, 0, "cannot work out the coverage: %s", sva_strerror(rc));
        sva_plan_facts_free(*facts);
        *facts = NULL;
    }
    return rc;
}

/* ---- reasons and the close -------------------------------------------------------------------- */

sva_error sva_db_plan_reason(sva_db *db, const char *cycle, const char *checklist,
                             const char *store, const char *employee, const char *text,
                             sva_diag *d)
{
    if (!sva_text_ok(text, 1000, false)) {
        sva_diag_add(d, NULL, 0, "--text: want 1-1000 bytes of text");
        return SVA_ERR_INVALID;
    }
    sva_plan_facts *f = NULL;
    sva_coverage *c = NULL;
    sva_error rc = sva_plan_status(db, cycle, NULL, &f, &c, d);
    if (rc)
        return rc;
    bool planned = false;
    long n_planned = 0, n_done = 0;
    for (size_t i = 0; i < c->n_units && !planned; i++) {
        const sva_cover_unit *u = &c->units[i];
        planned = strcmp(u->checklist, checklist) == 0 && strcmp(u->store, store) == 0 &&
                  (employee ? u->employee && strcmp(u->employee, employee) == 0 : !u->employee);
        n_planned = u->planned;
        n_done = u->done;
    }
    sva_coverage_free(c);
    sva_plan_facts_free(f);
    if (planned && n_planned > 0 && n_done >= n_planned) {
        /* a reason is for audits missed: none can be when every one is done */
        sva_diag_add(d, NULL, 0, "--store %s%s%s: every planned '%s' audit was done in cycle %s "
                                 "(%ld of %ld): a reason is for missed ones",
                     store, employee ? " --employee " : "", employee ? employee : "", checklist,
                     cycle, n_done, n_planned);
        return SVA_ERR_STATE;
    }
    if (!planned) {
        sva_diag_add(d, NULL, 0, "no plan of '%s' at store '%s'%s%s in cycle %s (see 'svcaudit "
                                 "plan status --cycle %s')",
                     checklist, store, employee ? " for employee " : "", employee ? employee : "",
                     cycle, cycle);
        return SVA_ERR_NOT_FOUND;
    }
    if ((rc = db_begin(db, d)))
        return rc;
    rc = cycle_open_for(db, cycle, NULL, 0, "--cycle", d);
    sql_stmt *q;
    if (!rc && !(rc = db_prep(db,
                              "INSERT INTO plan_reason(cycle_id, checklist_id, store_id,"
                              " employee_id, text, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                              " ON CONFLICT(cycle_id, checklist_id, store_id, employee_id)"
                              " DO UPDATE SET text = excluded.text, at = excluded.at",
                              &q, d))) {
        char now[32];
        db_now(now);
        sql_bind_text(q, 1, cycle);
        sql_bind_text(q, 2, checklist);
        sql_bind_text(q, 3, store);
        sql_bind_text(q, 4, employee ? employee : "");
        sql_bind_text(q, 5, text);
        sql_bind_text(q, 6, now);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot store the reason");
        sql_finalize(q);
    }
    if (!rc) {
        char obj[200];
        snprintf(obj, sizeof obj, "plan %s store %s%s%s", checklist, store,
                 employee ? " employee " : "", employee ? employee : "");
        rc = db_log(db, cycle, "plan reason", obj, d, "%s", text);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

long db_plan_close_check(sva_db *db, const char *cycle, sva_diag *d)
{
    sva_plan_facts *f = NULL;
    sva_coverage *c = NULL;
    if (sva_db_plan_facts(db, cycle, &f, d))
        return -1;
    char td[16];
    db_today(td);
    if (sva_plan_coverage(f, td, true, &c)) {
        sva_plan_facts_free(f);
        sva_diag_add(d, NULL, 0, "cannot work out the coverage");
        return -1;
    }
    long missing = 0;
    for (size_t i = 0; i < c->n_units; i++) {
        const sva_cover_unit *u = &c->units[i];
        if (!u->missed || u->reason)
            continue;
        missing++;
        sva_diag_add(d, NULL, 0,
                     "store %s%s%s missed %ld of %ld planned %s audit%s: no reason (svcaudit plan "
                     "reason --cycle %s --checklist %s --store %s%s%s --text ...)",
                     u->store, u->employee ? ", employee " : "", u->employee ? u->employee : "",
                     u->missed, u->planned, u->checklist, u->planned == 1 ? "" : "s", cycle,
                     u->checklist, u->store, u->employee ? " --employee " : "",
                     u->employee ? u->employee : "");
    }
    sva_coverage_free(c);
    sva_plan_facts_free(f);
    return missing;
}

/* ---- owners ---------------------------------------------------------------------------------- */

void sva_owners_free(sva_owner *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].store);
        free(v[i].checklist);
        free(v[i].section);
        free(v[i].item);
        free(v[i].employee);
        free(v[i].name);
    }
    free(v);
}

sva_error sva_db_owner_set(sva_db *db, const sva_catalog *cat, const sva_owner *o, sva_diag *d)
{
    const sva_checklist *cl = sva_catalog_find(cat, o->checklist);
    if (!cl) {
        char near[600];
        sva_catalog_near(cat, o->checklist, false, near, sizeof near);
        sva_diag_add(d, NULL, 0, "--checklist: unknown checklist '%s'%s", o->checklist,
                     *near ? near : " (see 'svcaudit checklist list')");
        return SVA_ERR_NOT_FOUND;
    }
    bool found = false;
    if (o->item) {
        for (size_t i = 0; i < cl->n_items && !found; i++)
            found = strcmp(cl->items[i].id, o->item) == 0;
    } else {
        for (size_t i = 0; i < cl->n_sections && !found; i++)
            found = strcmp(cl->sections[i].id, o->section) == 0;
    }
    if (!found) {
        char near[600] = "";
        if (o->item)
            sva_checklist_near_items(cl, o->item, near, sizeof near);
        if (*near) /* the nearest items, else where to look them up */
            sva_diag_add(d, NULL, 0, "--item: checklist '%s' has no item '%s'%s", cl->id,
                         o->item, near);
        else
            sva_diag_add(d, NULL, 0,
                         "%s: checklist '%s' has no %s '%s' (see 'svcaudit checklist show %s')",
                         o->item ? "--item" : "--section", cl->id, o->item ? "item" : "section",
                         o->item ? o->item : o->section, cl->id);
        return SVA_ERR_NOT_FOUND;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    int ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", o->store, d);
    if (ex < 0)
        rc = SVA_ERR_DB;
    else if (!ex) {
        db_unknown(db, SVA_REF_STORE, o->store, "--store", NULL, 0, d);
        rc = SVA_ERR_NOT_FOUND;
    }
    sql_stmt *q;
    if (!rc && !(rc = db_prep(db, "SELECT store_id FROM employee WHERE id = ?1", &q, d))) {
        sql_bind_text(q, 1, o->employee);
        int r = sql_step(q);
        if (r == SQL_DONE) {
            sva_diag_add(d, NULL, 0, "--employee: unknown employee '%s' (see 'svcaudit employee "
                                     "list')",
                         o->employee);
            rc = SVA_ERR_NOT_FOUND;
        } else if (r == SQL_ROW && strcmp(sql_text(q, 0), o->store) != 0) {
            sva_diag_add(d, NULL, 0, "--employee: '%s' works at store '%s', not '%s'",
                         o->employee, sql_text(q, 0), o->store);
            rc = SVA_ERR_INVALID;
        } else if (r != SQL_ROW) {
            rc = db_fail(db, d, "cannot read the employee");
        }
        sql_finalize(q);
    }
    if (!rc && !(rc = db_prep(db,
                              "INSERT INTO owner(store_id, checklist_id, section_id, item_id,"
                              " employee_id, set_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                              " ON CONFLICT(store_id, checklist_id, section_id, item_id)"
                              " DO UPDATE SET employee_id = excluded.employee_id,"
                              " set_at = excluded.set_at",
                              &q, d))) {
        char now[32];
        db_now(now);
        sql_bind_text(q, 1, o->store);
        sql_bind_text(q, 2, o->checklist);
        sql_bind_text(q, 3, o->item ? "" : o->section);
        sql_bind_text(q, 4, o->item ? o->item : "");
        sql_bind_text(q, 5, o->employee);
        sql_bind_text(q, 6, now);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot store the owner");
        sql_finalize(q);
    }
    if (!rc) {
        char obj[200];
        snprintf(obj, sizeof obj, "owner %s %s %s", o->store, o->checklist,
                 o->item ? o->item : o->section);
        rc = db_log(db, NULL, "owner set", obj, d, "%s", o->employee);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

static bool owner_fill(sql_stmt *q, void *elem)
{
    sva_owner *o = elem;
    o->store = db_col_text(q, 0);
    o->checklist = db_col_text(q, 1);
    o->section = *sql_text(q, 2) ? db_col_text(q, 2) : NULL;
    o->item = *sql_text(q, 3) ? db_col_text(q, 3) : NULL;
    o->employee = db_col_text(q, 4);
    o->name = db_col_text(q, 5);
    return o->store && o->checklist && (o->section || o->item) && o->employee && o->name;
}

static void owner_clear(void *elem)
{
    sva_owner *o = elem;
    free(o->store);
    free(o->checklist);
    free(o->section);
    free(o->item);
    free(o->employee);
    free(o->name);
}

sva_error sva_db_owner_list(sva_db *db, const char *store, sva_owner **out, size_t *n,
                            sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT o.store_id, o.checklist_id, o.section_id, o.item_id, o.employee_id,"
                " e.name FROM owner o JOIN employee e ON e.id = o.employee_id"
                " WHERE ?1 IS NULL OR o.store_id = ?1"
                " ORDER BY o.store_id, o.checklist_id, o.section_id, o.item_id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, store);
    return db_collect(db, q, sizeof **out, owner_fill, owner_clear, (void **)out, n,
                      "cannot list owners", d);
}

sva_error sva_db_owner_of(sva_db *db, const char *store, const char *checklist,
                          const char *section, const char *item, char **name, sva_diag *d)
{
    *name = NULL;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT e.name FROM owner o JOIN employee e ON e.id = o.employee_id"
                " WHERE o.store_id = ?1 AND o.checklist_id = ?2 AND ((o.item_id = ?4"
                " AND o.section_id = '') OR (o.section_id = ?3 AND o.item_id = ''))"
                " ORDER BY o.item_id DESC LIMIT 1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, store);
    sql_bind_text(q, 2, checklist);
    sql_bind_text(q, 3, section ? section : "");
    sql_bind_text(q, 4, item ? item : "");
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    if (r == SQL_ROW) {
        *name = db_col_text(q, 0);
        if (!*name)
            rc = SVA_ERR_NOMEM;
    } else if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot read the owner");
    }
    sql_finalize(q);
    return rc;
}

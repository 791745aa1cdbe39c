/* svcaudit: the records a merge carries with their versions: cycles, audits'
 * voids, actions (fields, links, history), targets, survey results, reasons.
 * Each record knows where it was made (origin) and its version there: the
 * changes its maker made (sync_rev) and, when it was changed elsewhere since,
 * where (changed_in). A version from the file replaces the one here only when
 * its maker made it after ours; a change made elsewhere to a record is never
 * applied silently: it is kept as a conflict (sync_conflict), listed with
 * both versions, settled by a person (db_sync.c). Every rule below is the same
 * whatever the order of the merges, so A then B gives B then A's content. */
#include "db_sync.h"
#include "svcaudit/pdca.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a version, and what decides between two ---------------------------------------------- */

typedef struct ver {
    sva_buf content;     /* what is compared */
    sva_buf stamps;      /* times and the like: written, not compared */
    char origin[37];     /* '' here */
    long long rev;
    bool clean;          /* as its maker left it at rev */
    char changed_in[37]; /* when not clean: where it was changed ('' here) */
    long long file_action; /* an action of the file: its id there (0: none) */
} ver;

static void ver_free(ver *v)
{
    sva_buf_free(&v->content);
    sva_buf_free(&v->stamps);
}

/* The whole version, as a conflict keeps it and as it is written. */
static char *ver_full(const ver *v)
{
    sva_buf b = {0};
    sva_buf_append(&b, v->content.data ? v->content.data : "", v->content.len);
    sva_buf_append(&b, v->stamps.data ? v->stamps.data : "", v->stamps.len);
    ser_put(&b, "origin", v->origin);
    ser_int(&b, "sync_rev", v->rev);
    ser_put(&b, "changed_in", v->clean ? NULL : v->changed_in);
    if (b.failed) {
        sva_buf_free(&b);
        return NULL;
    }
    return sva_buf_take(&b);
}

/* Set a version's place from a row's (origin, sync_rev, changed_in) columns
 * at @p col; those of the other file in this database's terms (@p m), those
 * of this database as they are (@p m NULL). */
static void ver_meta(ver *v, sql_stmt *q, int col, const mg *m)
{
    const char *o = sql_text(q, col), *c = sql_text(q, col + 2);
    if (m) {
        o = mg_map(m, o);
        c = mg_map(m, c);
    }
    snprintf(v->origin, sizeof v->origin, "%s", o ? o : "");
    v->rev = sql_int(q, col + 1);
    v->clean = c == NULL;
    snprintf(v->changed_in, sizeof v->changed_in, "%s", c ? c : "");
}

static const char *uuid_or_here(const char *here, const char *u)
{
    return *u ? u : here;
}

/* Which of two versions of the same maker comes later: the maker's count,
 * then as left by the maker, then where it changed, then the text itself
 * (so the choice is the same in every order). */
static int rank_cmp(const char *here, const ver *a, const ver *b)
{
    if (a->rev != b->rev)
        return a->rev < b->rev ? -1 : 1;
    if (a->clean != b->clean)
        return a->clean ? 1 : -1;
    int c = strcmp(uuid_or_here(here, a->changed_in), uuid_or_here(here, b->changed_in));
    if (c)
        return c;
    c = strcmp(a->stamps.data ? a->stamps.data : "", b->stamps.data ? b->stamps.data : "");
    if (c)
        return c;
    return strcmp(a->content.data ? a->content.data : "", b->content.data ? b->content.data : "");
}

enum verdict { V_KEEP, V_TAKE };

/* What stays of a record whose version here is @p h and there @p t: V_TAKE
 * writes t; *conflict_there / *conflict_here say which version is kept as a
 * conflict. */
static enum verdict decide(const mg *m, const ver *h, const ver *t, bool *conflict_there,
                           bool *conflict_here)
{
    const char *me = m->here;
    *conflict_there = *conflict_here = false;
    bool same = strcmp(h->content.data ? h->content.data : "",
                       t->content.data ? t->content.data : "") == 0;
    bool same_origin = strcmp(h->origin, t->origin) == 0;
    if (!same_origin) {
        /* made in two places (the same key, or a forged origin) */
        if (!*h->origin) {
            *conflict_there = !same;
            return V_KEEP;
        }
        bool t_first = strcmp(t->origin, h->origin) < 0;
        if (same)
            return t_first ? V_TAKE : V_KEEP;
        if (t_first) {
            *conflict_here = true;
            return V_TAKE;
        }
        *conflict_there = true;
        return V_KEEP;
    }
    if (same)
        return rank_cmp(me, t, h) > 0 ? V_TAKE : V_KEEP;
    if (!*h->origin || (!h->clean && !*h->changed_in)) {
        /* made here, or changed here since: only an older version of the maker's
         * passes quietly */
        if (t->clean && t->rev <= h->rev)
            return V_KEEP;
        *conflict_there = true;
        return V_KEEP;
    }
    if (rank_cmp(me, t, h) > 0) {
        /* a change someone else made, received here, gives way to its maker's
         * later version, and is kept as a conflict */
        *conflict_here = !h->clean;
        return V_TAKE;
    }
    *conflict_there = !t->clean;
    return V_KEEP;
}

/* ---- conflicts ---------------------------------------------------------------------------- */

/* The name a database is known by here ("" when unknown). */
static void peer_name(sva_db *db, const char *uuid, char *buf, size_t size)
{
    *buf = '\0';
    sql_stmt *q;
    sva_diag tmp;
    sva_diag_init(&tmp);
    if (db_prep(db, "SELECT name FROM sync_peer WHERE uuid = ?1", &q, &tmp) == SVA_OK) {
        sql_bind_text(q, 1, uuid);
        if (sql_step(q) == SQL_ROW && sql_text(q, 0))
            snprintf(buf, size, "%s", sql_text(q, 0));
        sql_finalize(q);
    }
    sva_diag_clear(&tmp);
}

/* Of two versions of a record from the same maker, left as it was there (or
 * changed in the same place since), the later one: by the maker's count, then
 * by the text (any fixed order: it only has to be the same in every order of
 * merges). The open conflicts keep the latest of each such line only, so the
 * conflicts a database ends with do not depend on the order in which files
 * came (A then B may see an older version of C's that B then C never sees).
 * The same content made in two places is one conflict too: the first
 * maker's (by UUID, as merge keeps the record itself).
 * 1: a later (or the same) version of that line is open: keep nothing;
 * 0: keep @p v, the open older ones of its line removed; -1: error. */
struct kind_def;
static const struct kind_def *kind_find(const char *kind);
static char *content_of(const struct kind_def *k, const char *full);

static int superseded(mg *m, const char *kind, const char *key, const ver *v, const char *full)
{
    const struct kind_def *k = kind_find(kind);
    char *mine = k ? content_of(k, full) : NULL;
    if (!mine)
        return -1;
    sql_stmt *q, *del;
    if (db_prep(m->db,
                "SELECT id, there FROM sync_conflict WHERE kind = ?1 AND key = ?2"
                " AND resolved_at IS NULL",
                &q, m->d))
        return -1;
    if (db_prep(m->db, "DELETE FROM sync_conflict WHERE id = ?1", &del, m->d)) {
        sql_finalize(q);
        free(mine);
        return -1;
    }
    sql_bind_text(q, 1, kind);
    sql_bind_text(q, 2, key);
    int out = 0, r;
    while (out == 0 && (r = sql_step(q)) == SQL_ROW) {
        ser_rec e;
        if (!ser_parse(sql_text(q, 1), &e)) {
            out = -1;
            break;
        }
        const char *o = ser_get(&e, "origin", NULL), *rev = ser_get(&e, "sync_rev", NULL),
                   *c = ser_get(&e, "changed_in", NULL);
        bool same_origin = strcmp(o ? o : "", v->origin) == 0;
        bool same_line = same_origin && (c == NULL) == v->clean &&
                         (v->clean || strcmp(c, v->changed_in) == 0);
        char *theirs = content_of(k, sql_text(q, 1));
        if (!theirs) {
            ser_free(&e);
            out = -1;
            break;
        }
        bool same_content = strcmp(theirs, mine) == 0;
        free(theirs);
        long long er = rev ? atoll(rev) : 0;
        int cmp = 0; /* > 0: the open one is kept, v is not; < 0: v replaces it */
        if (same_content && !same_origin)
            /* the same content made in two places: one conflict, the first maker's
             * (as merge keeps the record itself) */
            cmp = strcmp(o ? o : "", v->origin) < 0 ? 1 : -1;
        else if (same_line || same_content)
            cmp = er != v->rev                             ? (er < v->rev ? -1 : 1)
                  : strcmp(sql_text(q, 1), full) >= 0 ? 1
                                                      : -1;
        if (cmp != 0) {
            if (cmp > 0) {
                out = 1;
            } else {
                sql_reset(del);
                sql_bind_int(del, 1, sql_int(q, 0));
                if (sql_step(del) != SQL_DONE)
                    out = -1;
            }
        }
        ser_free(&e);
    }
    if (out == 0 && r != SQL_DONE)
        out = -1;
    sql_finalize(q);
    sql_finalize(del);
    free(mine);
    if (out < 0)
        db_fail(m->db, m->d, "cannot read conflicts");
    return out;
}

static sva_error with_rows(mg *m, const ver *v, const char *uuid, char **full);

/* Keep version @p v of record @p key as a conflict (once: the same version is
 * the same conflict, whoever brings it again; only the latest of a maker's
 * line, see superseded). */
static sva_error keep_conflict(mg *m, const char *kind, const char *key, const ver *v)
{
    char *full = ver_full(v);
    if (!full)
        return SVA_ERR_NOMEM;
    if (v->file_action) {
        sva_error arc = with_rows(m, v, key, &full);
        if (arc) {
            free(full);
            return arc;
        }
    }
    sql_stmt *q;
    sva_error rc = db_prep(m->db,
                           "SELECT id, resolved_at IS NULL FROM sync_conflict WHERE kind = ?1"
                           " AND key = ?2 AND there = ?3",
                           &q, m->d);
    if (rc) {
        free(full);
        return rc;
    }
    sql_bind_text(q, 1, kind);
    sql_bind_text(q, 2, key);
    sql_bind_text(q, 3, full);
    int r = sql_step(q);
    if (r == SQL_ROW) {
        /* found before: counted while it is open, left as it is */
        m->st->conflicts += sql_int(q, 1) != 0;
        sql_finalize(q);
        free(full);
        return SVA_OK;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        free(full);
        return db_fail(m->db, m->d, "cannot read conflicts");
    }
    int later = superseded(m, kind, key, v, full);
    if (later != 0) {
        free(full);
        if (later < 0)
            return SVA_ERR_DB;
        m->st->conflicts++; /* a later version of the same maker is open already */
        return SVA_OK;
    }
    const char *by = !v->clean ? v->changed_in : v->origin;
    char sender[37], name[101];
    snprintf(sender, sizeof sender, "%s", uuid_or_here(m->here, by));
    if (strcmp(sender, m->there) == 0)
        snprintf(name, sizeof name, "%s", m->there_name);
    else
        peer_name(m->db, sender, name, sizeof name);
    char now[32];
    db_now(now);
    if ((rc = db_prep(m->db,
                      "INSERT INTO sync_conflict(kind, key, there, sender, sender_name, found_at)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                      &q, m->d))) {
        free(full);
        return rc;
    }
    sql_bind_text(q, 1, kind);
    sql_bind_text(q, 2, key);
    sql_bind_text(q, 3, full);
    sql_bind_text(q, 4, sender);
    sql_bind_text(q, 5, name);
    sql_bind_text(q, 6, now);
    r = sql_step(q);
    long long id = r == SQL_ROW ? sql_int(q, 0) : 0;
    if (r == SQL_ROW)
        r = sql_step(q);
    sql_finalize(q);
    free(full);
    if (r != SQL_DONE)
        return db_fail(m->db, m->d, "cannot keep a conflict");
    m->st->conflicts++;
    m->st->conflicts_new++;
    sva_diag_add(&m->conf, NULL, 0,
                 "conflict %lld: %s %s: a version made %s%s%s is not taken; this database's "
                 "stays until someone settles it ('svcaudit merge --resolve %lld --keep "
                 "here|there')",
                 id, kind, key, *name ? "in '" : "elsewhere", name, *name ? "'" : "", id);
    return SVA_OK;
}

/* ---- writing a version ---------------------------------------------------------------------- */

typedef sva_error (*apply_fn)(sva_db *db, const ser_rec *r, mg *m, sva_diag *d);

/* Bind the value of field @p name of @p r (NULL when NULL or absent). */
static void bind_ser(sql_stmt *q, int i, const ser_rec *r, const char *name)
{
    sql_bind_text(q, i, ser_get(r, name, NULL));
}

static void bind_meta(sql_stmt *q, int i, const ser_rec *r)
{
    bind_ser(q, i, r, "origin");
    const char *rev = ser_get(r, "sync_rev", NULL);
    sql_bind_int(q, i + 1, rev ? atoll(rev) : 0);
    bind_ser(q, i + 2, r, "changed_in");
}

static sva_error run1(sva_db *db, sql_stmt *q, sva_diag *d, const char *what)
{
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, what);
}

static sva_error apply_cycle(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO cycle(id, date_from, date_to, state, created_at, origin, sync_rev,"
                " changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE"
                " SET date_from = excluded.date_from, date_to = excluded.date_to,"
                " state = excluded.state, created_at = excluded.created_at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "id");
    bind_ser(q, 2, r, "date_from");
    bind_ser(q, 3, r, "date_to");
    bind_ser(q, 4, r, "state");
    bind_ser(q, 5, r, "created_at");
    bind_meta(q, 6, r);
    return run1(db, q, d, "cannot write a cycle");
}

/* An audit's version: its void (who and when, and the last unvoid), and,
 * while merging, the maker's amendment whose answers the version names (the
 * revision is written by the merge, from the answers it scored again). */
static sva_error apply_void(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    const char *answers = ser_get(r, "answers", NULL);
    sva_error rc = SVA_OK;
    if (m && m->amend && answers && strcmp(answers, m->amend->fp) == 0 &&
        strcmp(answers, m->amend->here_fp) != 0)
        rc = m->amend->write(m);
    if (rc)
        return rc;
    sql_stmt *q;
    if (db_prep(db,
                "UPDATE audit SET voided_at = ?2, void_reason = ?3, origin = ?4, sync_rev = ?5,"
                " changed_in = ?6, voided_by = ?7, unvoided_at = ?8, unvoided_by = ?9"
                " WHERE uuid = ?1",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "uuid");
    bind_ser(q, 2, r, "voided_at");
    bind_ser(q, 3, r, "void_reason");
    bind_meta(q, 4, r);
    bind_ser(q, 7, r, "voided_by");
    bind_ser(q, 8, r, "unvoided_at");
    bind_ser(q, 9, r, "unvoided_by");
    return run1(db, q, d, "cannot write an audit's void");
}

/* An appeal, found by its audit's UUID, when and by whom it was opened. */
static sva_error apply_appeal(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    static const char *const names[] = {"audit", "opened_at", "opened_by", "reason",
                                        "revision", "voided", "resolved_at", "resolved_by",
                                        "outcome", "note"};
    for (int pass = 0; pass < 2; pass++) {
        sql_stmt *q;
        if (db_prep(db,
                    pass == 0
                        ? "UPDATE appeal SET reason = ?4, revision = ?5, voided = ?6,"
                          " resolved_at = ?7, resolved_by = ?8, outcome = ?9, note = ?10,"
                          " origin = ?11, sync_rev = ?12, changed_in = ?13"
                          " WHERE audit_id = (SELECT id FROM audit WHERE uuid = ?1)"
                          " AND opened_at = ?2 AND opened_by = ?3"
                        : "INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision,"
                          " voided, resolved_at, resolved_by, outcome, note, origin, sync_rev,"
                          " changed_in) VALUES((SELECT id FROM audit WHERE uuid = ?1), ?2, ?3,"
                          " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    &q, d))
            return SVA_ERR_DB;
        for (int i = 0; i < 10; i++) {
            const char *v = ser_get(r, names[i], NULL);
            if (i == 4 || i == 5)
                sql_bind_int(q, i + 1, v ? atoll(v) : 0);
            else
                sql_bind_text(q, i + 1, v);
        }
        bind_meta(q, 11, r);
        int s = sql_step(q);
        long long n = s == SQL_DONE ? sql_changes(db->c) : 0;
        sql_finalize(q);
        if (s != SQL_DONE)
            return db_fail(db, d, "cannot write an appeal");
        if (n > 0)
            break;
    }
    return SVA_OK;
}

/* The action's fields: "field.KEY" lines (content), "pos.KEY" lines (stamps). */
static sva_error apply_fields(sva_db *db, long long id, const ser_rec *r, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "DELETE FROM action_field WHERE action_id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    sva_error rc = run1(db, q, d, "cannot write an action's fields");
    if (rc)
        return rc;
    if (db_prep(db, "INSERT INTO action_field(action_id, key, value, pos) VALUES(?1, ?2, ?3, ?4)",
                &q, d))
        return SVA_ERR_DB;
    for (size_t i = 0; !rc && i < r->n; i++) {
        if (strncmp(r->v[i].name, "field.", 6) != 0)
            continue;
        char pos[120];
        snprintf(pos, sizeof pos, "pos.%s", r->v[i].name + 6);
        const char *p = ser_get(r, pos, NULL);
        sql_reset(q);
        sql_bind_int(q, 1, id);
        sql_bind_text(q, 2, r->v[i].name + 6);
        sql_bind_text(q, 3, r->v[i].value ? r->v[i].value : "");
        sql_bind_int(q, 4, p ? atoll(p) : 0);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot write an action's fields");
    }
    sql_finalize(q);
    return rc;
}

/* Set an action's links to the actions of these UUIDs ("" or absent: none). */
static sva_error set_links(sva_db *db, const char *uuid, const char *from, const char *to,
                           sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "UPDATE action SET carried_from = (SELECT id FROM action WHERE uuid = ?2),"
                " carried_to = (SELECT id FROM action WHERE uuid = ?3) WHERE uuid = ?1",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, uuid);
    sql_bind_text(q, 2, from && *from ? from : NULL);
    sql_bind_text(q, 3, to && *to ? to : NULL);
    return run1(db, q, d, "cannot link an action");
}

static sva_error apply_action(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO action(uuid, cycle_id, store_id, metric, checklist_id, item_id,"
                " section_id, status, owner, due, source_audit, created_at, updated_at, origin,"
                " sync_rev, changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                " (SELECT id FROM audit WHERE uuid = ?11), ?12, ?13, ?14, ?15, ?16)"
                " ON CONFLICT(uuid) DO UPDATE SET cycle_id = excluded.cycle_id,"
                " store_id = excluded.store_id, metric = excluded.metric,"
                " checklist_id = excluded.checklist_id, item_id = excluded.item_id,"
                " section_id = excluded.section_id, status = excluded.status,"
                " owner = excluded.owner, due = excluded.due,"
                " source_audit = excluded.source_audit, created_at = excluded.created_at,"
                " updated_at = excluded.updated_at, origin = excluded.origin,"
                " sync_rev = excluded.sync_rev, changed_in = excluded.changed_in RETURNING id",
                &q, d))
        return SVA_ERR_DB;
    static const char *const cols[] = {"uuid",    "cycle",  "store", "metric",
                                       "checklist", "item", "section", "status",
                                       "owner",   "due",    "source_audit", "created_at",
                                       "updated_at"};
    for (int i = 0; i < 13; i++)
        bind_ser(q, i + 1, r, cols[i]);
    bind_meta(q, 14, r);
    int s = sql_step(q);
    long long id = s == SQL_ROW ? sql_int(q, 0) : 0;
    if (s == SQL_ROW)
        s = sql_step(q);
    sql_finalize(q);
    if (s != SQL_DONE || !id)
        return db_fail(db, d, "cannot write an action");
    sva_error rc = apply_fields(db, id, r, d);
    if (rc)
        return rc;
    const char *uuid = ser_get(r, "uuid", NULL), *from = ser_get(r, "carried_from", NULL),
               *to = ser_get(r, "carried_to", NULL);
    if (!m)
        return set_links(db, uuid, from, to, d);
    /* while merging, the actions linked may come later in the file */
    mg_link *nl = realloc(m->links, (m->n_links + 1) * sizeof *nl);
    if (!nl)
        return SVA_ERR_NOMEM;
    m->links = nl;
    mg_link *l = &nl[m->n_links++];
    snprintf(l->uuid, sizeof l->uuid, "%s", uuid ? uuid : "");
    snprintf(l->from, sizeof l->from, "%s", from ? from : "");
    snprintf(l->to, sizeof l->to, "%s", to ? to : "");
    return SVA_OK;
}

static sva_error apply_target(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO target(cycle_id, scope, scope_id, metric, value, set_at, origin,"
                " sync_rev, changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                " ON CONFLICT(cycle_id, scope, scope_id, metric) DO UPDATE SET"
                " value = excluded.value, set_at = excluded.set_at, origin = excluded.origin,"
                " sync_rev = excluded.sync_rev, changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "cycle");
    bind_ser(q, 2, r, "scope");
    bind_ser(q, 3, r, "scope_id");
    bind_ser(q, 4, r, "metric");
    const char *v = ser_get(r, "value", NULL);
    sql_bind_double(q, 5, v ? atof(v) : 0);
    bind_ser(q, 6, r, "set_at");
    bind_meta(q, 7, r);
    return run1(db, q, d, "cannot write a target");
}

static sva_error apply_survey(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO survey(cycle_id, store_id, metric, value, respondents, imported_at,"
                " origin, sync_rev, changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                " ON CONFLICT(cycle_id, store_id, metric) DO UPDATE SET value = excluded.value,"
                " respondents = excluded.respondents, imported_at = excluded.imported_at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "cycle");
    bind_ser(q, 2, r, "store");
    bind_ser(q, 3, r, "metric");
    const char *v = ser_get(r, "value", NULL), *n = ser_get(r, "respondents", NULL);
    sql_bind_double(q, 4, v ? atof(v) : 0);
    sql_bind_int(q, 5, n ? atoll(n) : 0);
    bind_ser(q, 6, r, "imported_at");
    bind_meta(q, 7, r);
    return run1(db, q, d, "cannot write a survey result");
}

static sva_error apply_reason(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO cycle_reason(cycle_id, store_id, metric, text, at, origin, sync_rev,"
                " changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                " ON CONFLICT(cycle_id, store_id, metric) DO UPDATE SET text = excluded.text,"
                " at = excluded.at, origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "cycle");
    bind_ser(q, 2, r, "store");
    bind_ser(q, 3, r, "metric");
    bind_ser(q, 4, r, "text");
    bind_ser(q, 5, r, "at");
    bind_meta(q, 6, r);
    return run1(db, q, d, "cannot write a reason");
}

/* A plan is one by its key (checklist and scope in a cycle), whatever its
 * UUID: set in two places, it has two. The UUID is a stamp of its version, so
 * the version taken brings its UUID (unless another plan here has it) and the
 * same one stays in every order of merges. */
static sva_error apply_plan(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    char fresh[37];
    if (!db_new_uuid(fresh))
        return SVA_ERR_IO;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee,"
                " times, every, auditor, set_at, origin, sync_rev, changed_in)"
                " VALUES(coalesce((SELECT ?14 WHERE NOT EXISTS (SELECT 1 FROM plan WHERE"
                " uuid = ?14)), ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                " ON CONFLICT(cycle_id, checklist_id, scope, scope_id) DO UPDATE SET"
                " uuid = CASE WHEN EXISTS (SELECT 1 FROM plan p WHERE p.uuid = ?14) THEN plan.uuid"
                " ELSE ?14 END, per_employee = excluded.per_employee, times = excluded.times,"
                " every = excluded.every, auditor = excluded.auditor, set_at = excluded.set_at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, fresh);
    bind_ser(q, 2, r, "cycle");
    bind_ser(q, 3, r, "checklist");
    bind_ser(q, 4, r, "scope");
    bind_ser(q, 5, r, "scope_id");
    const char *pe = ser_get(r, "per_employee", NULL), *times = ser_get(r, "times", NULL);
    sql_bind_int(q, 6, pe ? atoll(pe) : 0);
    sql_bind_int(q, 7, times ? atoll(times) : 0);
    bind_ser(q, 8, r, "every");
    bind_ser(q, 9, r, "auditor");
    bind_ser(q, 10, r, "set_at");
    bind_meta(q, 11, r);
    bind_ser(q, 14, r, "uuid");
    return run1(db, q, d, "cannot write a plan");
}

static sva_error apply_plan_reason(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO plan_reason(cycle_id, checklist_id, store_id, employee_id, text, at,"
                " origin, sync_rev, changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                " ON CONFLICT(cycle_id, checklist_id, store_id, employee_id) DO UPDATE SET"
                " text = excluded.text, at = excluded.at, origin = excluded.origin,"
                " sync_rev = excluded.sync_rev, changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "cycle");
    bind_ser(q, 2, r, "checklist");
    bind_ser(q, 3, r, "store");
    bind_ser(q, 4, r, "employee");
    bind_ser(q, 5, r, "text");
    bind_ser(q, 6, r, "at");
    bind_meta(q, 7, r);
    return run1(db, q, d, "cannot write a reason for a missed plan");
}

static sva_error apply_owner(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO owner(store_id, checklist_id, section_id, item_id, employee_id,"
                " set_at, origin, sync_rev, changed_in) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                " ?9) ON CONFLICT(store_id, checklist_id, section_id, item_id) DO UPDATE SET"
                " employee_id = excluded.employee_id, set_at = excluded.set_at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    bind_ser(q, 1, r, "store");
    bind_ser(q, 2, r, "checklist");
    bind_ser(q, 3, r, "section");
    bind_ser(q, 4, r, "item");
    bind_ser(q, 5, r, "employee");
    bind_ser(q, 6, r, "set_at");
    bind_meta(q, 7, r);
    return run1(db, q, d, "cannot write an owner");
}

/* A close of a cycle, found by its cycle and when it was closed; its reopen. */
static sva_error apply_close(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    static const char *const names[] = {"cycle",       "closed_at",   "closed_by",
                                        "reopened_at", "reopened_by", "reopen_reason"};
    for (int pass = 0; pass < 2; pass++) {
        sql_stmt *q;
        if (db_prep(db,
                    pass == 0 ? "UPDATE cycle_close SET closed_by = ?3, reopened_at = ?4,"
                                " reopened_by = ?5, reopen_reason = ?6, origin = ?7,"
                                " sync_rev = ?8, changed_in = ?9 WHERE id = (SELECT id FROM"
                                " cycle_close WHERE cycle_id = ?1 AND closed_at = ?2 ORDER BY id"
                                " LIMIT 1 OFFSET CAST(?10 AS INTEGER))"
                              : "INSERT INTO cycle_close(cycle_id, closed_at, closed_by,"
                                " reopened_at, reopened_by, reopen_reason, origin, sync_rev,"
                                " changed_in) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9"
                                " WHERE CAST(?10 AS INTEGER) >= 0",
                    &q, d))
            return SVA_ERR_DB;
        for (int i = 0; i < 6; i++)
            bind_ser(q, i + 1, r, names[i]);
        bind_meta(q, 7, r);
        bind_ser(q, 10, r, "seq");
        int s = sql_step(q);
        long long n = s == SQL_DONE ? sql_changes(db->c) : 0;
        sql_finalize(q);
        if (s != SQL_DONE)
            return db_fail(db, d, "cannot write a close");
        if (n > 0)
            break;
    }
    return SVA_OK;
}

/* An action's check by a cycle, found by the action's UUID and the cycle. */
static sva_error apply_check(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    static const char *const names[] = {"action", "cycle", "verified", "n_answers", "n_failed",
                                        "actor", "at"};
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed,"
                " actor, at, origin, sync_rev, changed_in) SELECT id, ?2, CAST(?3 AS INTEGER),"
                " CAST(?4 AS INTEGER), CAST(?5 AS INTEGER), ?6, ?7, ?8, ?9, ?10 FROM action"
                " WHERE uuid = ?1 ON CONFLICT(action_id, cycle_id) DO UPDATE SET"
                " verified = excluded.verified, n_answers = excluded.n_answers,"
                " n_failed = excluded.n_failed, actor = excluded.actor, at = excluded.at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    for (int i = 0; i < 7; i++)
        bind_ser(q, i + 1, r, names[i]);
    bind_meta(q, 8, r);
    return run1(db, q, d, "cannot write an action's check");
}

/* An action's carry out of a cycle, found by the action's UUID and that cycle. */
static sva_error apply_carry(sva_db *db, const ser_rec *r, mg *m, sva_diag *d)
{
    (void)m;
    static const char *const names[] = {"action",    "from_cycle", "to_cycle", "status",
                                        "due_before", "due_after", "actor",    "at"};
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO action_carry(action_id, from_cycle, to_cycle, status, due_before,"
                " due_after, actor, at, origin, sync_rev, changed_in) SELECT id, ?2, ?3, ?4,"
                " ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM action WHERE uuid = ?1"
                " ON CONFLICT(action_id, from_cycle) DO UPDATE SET to_cycle = excluded.to_cycle,"
                " status = excluded.status, due_before = excluded.due_before,"
                " due_after = excluded.due_after, actor = excluded.actor, at = excluded.at,"
                " origin = excluded.origin, sync_rev = excluded.sync_rev,"
                " changed_in = excluded.changed_in",
                &q, d))
        return SVA_ERR_DB;
    for (int i = 0; i < 8; i++)
        bind_ser(q, i + 1, r, names[i]);
    bind_meta(q, 9, r);
    return run1(db, q, d, "cannot write an action's carry");
}

/* ---- reading a record's version here -------------------------------------------------------- */

/* Each kind: how to read its version here (the key's parts bound from the
 * version there), how to write one. The query returns the version's fields
 * in the order of `names`, roles 'c' (compared) or 's' (stamps), then
 * origin, sync_rev, changed_in. */
typedef struct kind_def {
    const char *kind;
    const char *here_sql;
    const char *const *keys; /* field names bound as ?1, ?2, ... */
    size_t n_keys;
    const char *const *names;
    const char *roles;
    apply_fn apply;
    /* the record's cycle: the field that names it, or (cycle_sql) the field
     * bound to a query that finds it here; NULL: of no cycle */
    const char *cycle_field, *cycle_sql;
} kind_def;

static const char *const CYCLE_KEYS[] = {"id"};
static const char *const CYCLE_NAMES[] = {"id", "date_from", "date_to", "stage", "state",
                                          "created_at"};
static const char *const VOID_KEYS[] = {"uuid"};
static const char *const VOID_NAMES[] = {"uuid",        "answers",     "void",
                                         "void_reason", "voided_at",   "voided_by",
                                         "unvoided_at", "unvoided_by", "revision",
                                         "revised_at",  "revised_by",  "revision_reason"};
static const char *const APPEAL_KEYS[] = {"audit", "opened_at", "opened_by"};
static const char *const APPEAL_NAMES[] = {"audit",    "opened_at", "opened_by", "reason",
                                           "revision", "voided",    "outcome",   "resolved_by",
                                           "note",     "resolved_at"};
static const char *const ACTION_KEYS[] = {"uuid"};
static const char *const ACTION_NAMES[] = {
    "uuid",  "cycle", "store", "metric",       "checklist",    "item",       "section",
    "status", "owner", "due",  "source_audit", "carried_from", "carried_to", "created_at",
    "updated_at"};
static const char *const TARGET_KEYS[] = {"cycle", "scope", "scope_id", "metric"};
static const char *const TARGET_NAMES[] = {"cycle", "scope", "scope_id", "metric", "value",
                                           "set_at"};
static const char *const SURVEY_KEYS[] = {"cycle", "store", "metric"};
static const char *const SURVEY_NAMES[] = {"cycle", "store", "metric", "value", "respondents",
                                           "imported_at"};
static const char *const REASON_KEYS[] = {"cycle", "store", "metric"};
static const char *const REASON_NAMES[] = {"cycle", "store", "metric", "text", "at"};
static const char *const PLAN_KEYS[] = {"cycle", "checklist", "scope", "scope_id"};
static const char *const PLAN_NAMES[] = {"cycle", "checklist", "scope", "scope_id",
                                         "per_employee", "times", "every", "auditor",
                                         "uuid", "set_at"};
static const char *const PLAN_REASON_KEYS[] = {"cycle", "checklist", "store", "employee"};
static const char *const PLAN_REASON_NAMES[] = {"cycle", "checklist", "store", "employee",
                                                "text", "at"};
/* (seq: the cycle's n-th close at that time, from 0: a cycle closed, reopened
 * and closed again within a second has two) */
static const char *const CLOSE_KEYS[] = {"cycle", "closed_at", "seq"};
static const char *const CLOSE_NAMES[] = {"cycle",     "closed_at",   "seq",
                                          "closed_by", "reopened_at", "reopened_by",
                                          "reopen_reason"};
static const char *const CHECK_KEYS[] = {"action", "cycle"};
static const char *const CHECK_NAMES[] = {"action", "cycle", "verified", "n_answers", "n_failed",
                                          "actor", "at"};
static const char *const CARRY_KEYS[] = {"action", "from_cycle"};
static const char *const CARRY_NAMES[] = {"action",    "from_cycle", "to_cycle", "status",
                                          "due_before", "due_after", "actor",    "at"};
/* The version of an action check or carry from a row of the file read in
 * the columns of mg_action_checks / mg_action_carries (action id, the rest
 * in order, at, actor, then the sync columns): one layout for the merge and
 * for a conflict that keeps the row (with_rows). */
static void check_ver(ver *t, sql_stmt *q, const char *uuid, const mg *m)
{
    ser_put(&t->content, "action", uuid);
    ser_put(&t->content, "cycle", sql_text(q, 1));
    for (int i = 2; i < 5; i++)
        ser_int(&t->content, CHECK_NAMES[i], sql_int(q, i));
    ser_put(&t->content, "actor", sql_text(q, 6));
    ser_put(&t->stamps, "at", sql_text(q, 5));
    ver_meta(t, q, 7, m);
}

static void carry_ver(ver *t, sql_stmt *q, const char *uuid, const mg *m)
{
    ser_put(&t->content, "action", uuid);
    for (int i = 1; i < 6; i++)
        ser_put(&t->content, CARRY_NAMES[i], sql_text(q, i));
    ser_put(&t->content, "actor", sql_text(q, 7));
    ser_put(&t->stamps, "at", sql_text(q, 6));
    ver_meta(t, q, 8, m);
}

static const char *const OWNER_KEYS[] = {"store", "checklist", "section", "item"};
static const char *const OWNER_NAMES[] = {"store", "checklist", "section", "item", "employee",
                                          "set_at"};

/* One role per name: 'c' compared, 'r' compared as a real, 's' a stamp (checked
 * here, as the versions read from the file are built in the same order). */
#define CYCLE_ROLES "ccccss"
#define VOID_ROLES "ccccssssssss"
#define APPEAL_ROLES "cccccccccs"
#define ACTION_ROLES "ccccccccccccccs"
#define TARGET_ROLES "ccccrs"
#define SURVEY_ROLES "cccrcs"
#define REASON_ROLES "ccccs"
#define PLAN_ROLES "ccccccccss"
#define PLAN_REASON_ROLES "cccccs"
#define OWNER_ROLES "cccccs"
#define CLOSE_ROLES "ccccccc"
#define CHECK_ROLES "ccccccs"
#define CARRY_ROLES "cccccccs"
#define ROLES_MATCH(N) _Static_assert(sizeof N##_ROLES - 1 == MG_NCOLS(N##_NAMES), #N " roles")
ROLES_MATCH(CYCLE);
ROLES_MATCH(VOID);
ROLES_MATCH(APPEAL);
ROLES_MATCH(ACTION);
ROLES_MATCH(TARGET);
ROLES_MATCH(SURVEY);
ROLES_MATCH(REASON);
ROLES_MATCH(PLAN);
ROLES_MATCH(PLAN_REASON);
ROLES_MATCH(OWNER);
ROLES_MATCH(CLOSE);
ROLES_MATCH(CHECK);
ROLES_MATCH(CARRY);

#define AUDIT_CYCLE "SELECT cycle_id FROM audit WHERE uuid = ?1"

static const kind_def KINDS[] = {
    {"cycle",
     "SELECT id, date_from, date_to, CASE state WHEN 'plan' THEN 'do' ELSE state END, state,"
     " created_at, origin, sync_rev, changed_in FROM cycle WHERE id = ?1",
     CYCLE_KEYS, 1, CYCLE_NAMES, CYCLE_ROLES, apply_cycle, NULL, NULL},
    {"audit",
     "SELECT uuid, fingerprint, voided_at IS NOT NULL, void_reason, voided_at, voided_by,"
     " unvoided_at, unvoided_by, revision, revised_at, revised_by, revision_reason, origin,"
     " sync_rev, changed_in FROM audit WHERE uuid = ?1",
     VOID_KEYS, 1, VOID_NAMES, VOID_ROLES, apply_void, "uuid", AUDIT_CYCLE},
    {"appeal",
     "SELECT a.uuid, p.opened_at, p.opened_by, p.reason, p.revision, p.voided, p.outcome,"
     " p.resolved_by, p.note, p.resolved_at, p.origin, p.sync_rev, p.changed_in FROM appeal p"
     " JOIN audit a ON a.id = p.audit_id WHERE a.uuid = ?1 AND p.opened_at = ?2"
     " AND p.opened_by = ?3",
     APPEAL_KEYS, 3, APPEAL_NAMES, APPEAL_ROLES, apply_appeal, "audit", AUDIT_CYCLE},
    {"action",
     "SELECT a.uuid, a.cycle_id, a.store_id, a.metric, a.checklist_id, a.item_id, a.section_id,"
     " a.status, a.owner, a.due, (SELECT uuid FROM audit WHERE id = a.source_audit),"
     " (SELECT uuid FROM action WHERE id = a.carried_from),"
     " (SELECT uuid FROM action WHERE id = a.carried_to), a.created_at, a.updated_at,"
     " a.origin, a.sync_rev, a.changed_in, a.id FROM action a WHERE a.uuid = ?1",
     ACTION_KEYS, 1, ACTION_NAMES, ACTION_ROLES, apply_action, "cycle", NULL},
    {"target",
     "SELECT cycle_id, scope, scope_id, metric, value, set_at, origin, sync_rev, changed_in"
     " FROM target WHERE cycle_id = ?1 AND scope = ?2 AND scope_id = ?3 AND metric = ?4",
     TARGET_KEYS, 4, TARGET_NAMES, TARGET_ROLES, apply_target, "cycle", NULL},
    {"survey",
     "SELECT cycle_id, store_id, metric, value, respondents, imported_at, origin, sync_rev,"
     " changed_in FROM survey WHERE cycle_id = ?1 AND store_id = ?2 AND metric = ?3",
     SURVEY_KEYS, 3, SURVEY_NAMES, SURVEY_ROLES, apply_survey, "cycle", NULL},
    {"reason",
     "SELECT cycle_id, store_id, metric, text, at, origin, sync_rev, changed_in FROM"
     " cycle_reason WHERE cycle_id = ?1 AND store_id = ?2 AND metric = ?3",
     REASON_KEYS, 3, REASON_NAMES, REASON_ROLES, apply_reason, "cycle", NULL},
    {"plan",
     "SELECT cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor, uuid,"
     " set_at, origin, sync_rev, changed_in FROM plan WHERE cycle_id = ?1 AND checklist_id = ?2"
     " AND scope = ?3 AND scope_id = ?4",
     PLAN_KEYS, 4, PLAN_NAMES, PLAN_ROLES, apply_plan, "cycle", NULL},
    {"plan reason",
     "SELECT cycle_id, checklist_id, store_id, employee_id, text, at, origin, sync_rev,"
     " changed_in FROM plan_reason WHERE cycle_id = ?1 AND checklist_id = ?2 AND store_id = ?3"
     " AND employee_id = ?4",
     PLAN_REASON_KEYS, 4, PLAN_REASON_NAMES, PLAN_REASON_ROLES, apply_plan_reason,
     "cycle", NULL},
    {"owner",
     "SELECT store_id, checklist_id, section_id, item_id, employee_id, set_at, origin, sync_rev,"
     " changed_in FROM owner WHERE store_id = ?1 AND checklist_id = ?2 AND section_id = ?3"
     " AND item_id = ?4",
     OWNER_KEYS, 4, OWNER_NAMES, OWNER_ROLES, apply_owner, NULL, NULL},
    {"close",
     "SELECT cycle_id, closed_at, CAST(?3 AS INTEGER), closed_by, reopened_at, reopened_by,"
     " reopen_reason, origin, sync_rev, changed_in FROM cycle_close WHERE cycle_id = ?1"
     " AND closed_at = ?2 ORDER BY id LIMIT 1 OFFSET CAST(?3 AS INTEGER)",
     CLOSE_KEYS, 3, CLOSE_NAMES, CLOSE_ROLES, apply_close, NULL, NULL},
    {"action check",
     "SELECT a.uuid, k.cycle_id, k.verified, k.n_answers, k.n_failed, k.actor, k.at, k.origin,"
     " k.sync_rev, k.changed_in FROM action_check k JOIN action a ON a.id = k.action_id"
     " WHERE a.uuid = ?1 AND k.cycle_id = ?2",
     CHECK_KEYS, 2, CHECK_NAMES, CHECK_ROLES, apply_check, "cycle", NULL},
    {"action carry",
     "SELECT a.uuid, k.from_cycle, k.to_cycle, k.status, k.due_before, k.due_after, k.actor,"
     " k.at, k.origin, k.sync_rev, k.changed_in FROM action_carry k JOIN action a"
     " ON a.id = k.action_id WHERE a.uuid = ?1 AND k.from_cycle = ?2",
     CARRY_KEYS, 2, CARRY_NAMES, CARRY_ROLES, apply_carry, "from_cycle", NULL},
};

static const kind_def *kind_find(const char *kind)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (strcmp(KINDS[i].kind, kind) == 0)
            return &KINDS[i];
    return NULL;
}

/* Column @p i of the current row as text ("%.17g" for reals), into @p b. */
static void put_col(sva_buf *b, const char *name, sql_stmt *q, int i, bool real)
{
    switch (sql_column_kind(q, i)) {
    case SQL_NULL:
        ser_put(b, name, NULL);
        break;
    case SQL_INT:
        if (real)
            ser_real(b, name, (double)sql_int(q, i));
        else
            ser_int(b, name, sql_int(q, i));
        break;
    case SQL_REAL:
        ser_real(b, name, sql_double(q, i));
        break;
    default:
        ser_put(b, name, sql_text(q, i));
        break;
    }
}

/* The fields of action @p id here, as "field." and "pos." lines. */
static sva_error here_fields(sva_db *db, long long id, ver *v, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT key, value, pos FROM action_field WHERE action_id = ?1 ORDER BY key",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, id);
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        char name[120];
        snprintf(name, sizeof name, "field.%s", sql_text(q, 0));
        ser_put(&v->content, name, sql_text(q, 1));
        snprintf(name, sizeof name, "pos.%s", sql_text(q, 0));
        ser_int(&v->stamps, name, sql_int(q, 2));
    }
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot read an action's fields");
}

/* The version here of the record that version @p there (parsed) is of;
 * *found false when there is none. */
static sva_error read_here(sva_db *db, const kind_def *k, const ser_rec *there, ver *v,
                           bool *found, sva_diag *d)
{
    memset(v, 0, sizeof *v);
    *found = false;
    sql_stmt *q;
    if (db_prep(db, k->here_sql, &q, d))
        return SVA_ERR_DB;
    for (size_t i = 0; i < k->n_keys; i++)
        sql_bind_text(q, (int)i + 1, ser_get(there, k->keys[i], NULL));
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    if (r == SQL_ROW) {
        *found = true;
        size_t n = strlen(k->roles);
        for (size_t i = 0; i < n; i++)
            put_col(k->roles[i] == 's' ? &v->stamps : &v->content, k->names[i], q, (int)i,
                    k->roles[i] == 'r');
        ver_meta(v, q, (int)n, NULL);
        if (strcmp(k->kind, "action") == 0)
            rc = here_fields(db, sql_int(q, (int)n + 3), v, d);
    } else if (r != SQL_DONE) {
        rc = db_fail(db, d, "cannot read a record");
    }
    sql_finalize(q);
    if (!rc && (v->content.failed || v->stamps.failed))
        rc = SVA_ERR_NOMEM;
    return rc;
}

/* The key a conflict names: the key fields, '/'-separated. */
static char *key_of(const kind_def *k, const ser_rec *r)
{
    sva_buf b = {0};
    for (size_t i = 0; i < k->n_keys; i++) {
        const char *v = ser_get(r, k->keys[i], NULL);
        sva_buf_printf(&b, "%s%s", i ? "/" : "", v ? v : "");
    }
    sva_buf_puts(&b, "");
    return b.failed ? (sva_buf_free(&b), NULL) : sva_buf_take(&b);
}

/* The compared part of a written version (its 'c' and 'r' fields, an action's
 * fields), in its order; NULL when out of memory. */
static char *content_of(const kind_def *k, const char *full)
{
    sva_buf b = {0};
    size_t n = strlen(k->roles);
    for (const char *line = full; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        size_t name_len = strcspn(line, "=~\n");
        bool keep = strncmp(line, "field.", 6) == 0 && name_len > 6;
        for (size_t i = 0; !keep && i < n; i++)
            keep = k->roles[i] != 's' && strlen(k->names[i]) == name_len &&
                   strncmp(line, k->names[i], name_len) == 0;
        if (keep) {
            sva_buf_append(&b, line, len);
            sva_buf_puts(&b, "\n");
        }
        line += len + (end != NULL);
    }
    sva_buf_puts(&b, "");
    return b.failed ? (sva_buf_free(&b), NULL) : sva_buf_take(&b);
}

/* The version @p t was just taken: an open conflict over the same record that
 * holds what is here now has nothing left to settle, and goes (so which
 * versions end as conflicts does not depend on the order of merges: A then C
 * may keep A's version as a conflict that C's, the same, then makes moot). */
static sva_error drop_moot(mg *m, const kind_def *k, const char *key, const ver *t)
{
    char *full = ver_full(t), *mine = full ? content_of(k, full) : NULL;
    free(full);
    if (!mine)
        return SVA_ERR_NOMEM;
    sql_stmt *q, *del = NULL;
    if (db_prep(m->db,
                "SELECT id, there FROM sync_conflict WHERE kind = ?1 AND key = ?2"
                " AND resolved_at IS NULL ORDER BY id",
                &q, m->d)) {
        free(mine);
        return SVA_ERR_DB;
    }
    sql_bind_text(q, 1, k->kind);
    sql_bind_text(q, 2, key);
    long long *ids = NULL;
    size_t n = 0;
    sva_error rc = SVA_OK;
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char *theirs = content_of(k, sql_text(q, 1));
        if (!theirs) {
            rc = SVA_ERR_NOMEM;
        } else if (strcmp(theirs, mine) == 0) {
            long long *ni = realloc(ids, (n + 1) * sizeof *ni);
            if (!ni)
                rc = SVA_ERR_NOMEM;
            else
                (ids = ni)[n++] = sql_int(q, 0);
        }
        free(theirs);
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(m->db, m->d, "cannot read conflicts");
    sql_finalize(q);
    free(mine);
    if (!rc && n && db_prep(m->db, "DELETE FROM sync_conflict WHERE id = ?1", &del, m->d))
        rc = SVA_ERR_DB;
    for (size_t i = 0; !rc && i < n; i++) {
        sql_reset(del);
        sql_bind_int(del, 1, ids[i]);
        if (sql_step(del) != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot drop a settled conflict");
    }
    sql_finalize(del);
    free(ids);
    return rc;
}

/* Is the record @p r (of kind @p k) of a cycle closed here? 1: yes (reported
 * when @p report), 0: no, -1: error. */
static int closed_record(mg *m, const kind_def *k, const ser_rec *r, const char *key,
                         bool report)
{
    if (!m->closedmap.n || !k->cycle_field)
        return 0;
    const char *v = ser_get(r, k->cycle_field, NULL);
    if (!v)
        return 0;
    char *cycle = NULL;
    if (k->cycle_sql) {
        sql_stmt *q;
        if (db_prep(m->db, k->cycle_sql, &q, m->d))
            return -1;
        sql_bind_text(q, 1, v);
        int s = sql_step(q);
        if (s == SQL_ROW)
            cycle = sva_strdup(sql_text(q, 0));
        sql_finalize(q);
        if (s != SQL_ROW && s != SQL_DONE)
            return db_fail(m->db, m->d, "cannot read a record's cycle"), -1;
        if (s == SQL_ROW && !cycle)
            return -1;
    }
    const char *c = k->cycle_sql ? cycle : v;
    int out = c && mg_closed(m, c);
    if (out && report)
        mg_not_taken(m, k->kind, key, c);
    free(cycle);
    return out;
}

bool mg_closed(const mg *m, const char *cycle)
{
    return cycle && m->closedmap.n && sva_map_get(&m->closedmap, cycle, &(size_t){0});
}

/* The words of a record a cycle closed here does not take (a merge's, and
 * --keep there's): what, its key, the cycle, then how to take it. */
#define NOT_TAKEN "%s %s of cycle %s, which is closed here: not taken"

void mg_not_taken(mg *m, const char *what, const char *key, const char *cycle)
{
    m->st->closed_skipped++;
    sva_diag_add(&m->conf, m->file, 0,
                 NOT_TAKEN " (to take it: 'svcaudit cycle reopen %s --reason TEXT', then merge "
                 "again)",
                 what, key, cycle, cycle);
}

/* Merge version @p t of the other file into this database; a record that is
 * not here is added when @p may_add. */
static sva_error merge_version(mg *m, const kind_def *k, ver *t, bool may_add, size_t *added,
                               size_t *taken)
{
    char *full = ver_full(t);
    ser_rec tr;
    if (!full || !ser_parse(full, &tr)) {
        free(full);
        return SVA_ERR_NOMEM;
    }
    char *key = key_of(k, &tr);
    ver h;
    bool found = false;
    sva_error rc = key ? read_here(m->db, k, &tr, &h, &found, m->d) : SVA_ERR_NOMEM;
    int closed = 0;
    if (!rc && !found && may_add && (closed = closed_record(m, k, &tr, key, true)) != 0) {
        rc = closed < 0 ? SVA_ERR_DB : SVA_OK;
    } else if (!rc && !found && may_add) {
        rc = k->apply(m->db, &tr, m, m->d);
        if (!rc && added)
            (*added)++;
    } else if (!rc && found) {
        bool c_there, c_here;
        enum verdict v = decide(m, &h, t, &c_there, &c_here);
        bool differs = strcmp(h.content.data ? h.content.data : "",
                              t->content.data ? t->content.data : "") != 0;
        /* a cycle closed here takes no change (a new version of the same content
         * is no change of its figures: left as it is, unsaid) */
        if (v == V_TAKE && (closed = closed_record(m, k, &tr, key, differs)) != 0) {
            if (closed < 0)
                rc = SVA_ERR_DB;
            v = V_KEEP;
            c_here = false;
        }
        if (c_here)
            rc = keep_conflict(m, k->kind, key, &h);
        if (!rc && c_there)
            rc = keep_conflict(m, k->kind, key, t);
        if (!rc && v == V_TAKE) {
            rc = k->apply(m->db, &tr, m, m->d);
            if (!rc)
                rc = drop_moot(m, k, key, t);
            if (!rc && taken && strcmp(h.content.data ? h.content.data : "",
                                       t->content.data ? t->content.data : "") != 0)
                (*taken)++;
        }
    }
    if (found)
        ver_free(&h);
    ser_free(&tr);
    free(full);
    free(key);
    return rc;
}

/* ---- the records of the other file ---------------------------------------------------------- */

static bool one_of(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, v[i]) == 0)
            return true;
    return false;
}

/* Does this database have a row for @p arg (one-parameter query)? */
static int here_has(mg *m, const char *sql, const char *arg)
{
    return db_exists(m->db, sql, arg, m->d);
}

/* Is a region or store scope of the file's record in this database's scope. */
static bool scope_here(mg *m, const char *scope, const char *sid)
{
    if (!m->scope.on || strcmp(scope, "network") == 0)
        return true;
    if (strcmp(scope, "store") == 0)
        return mg_store_here(m, sid) > 0;
    return mg_region_here(m, sid) > 0;
}

static sva_error need(mg *m, const char *label, const char *what, const char *sql,
                      const char *id)
{
    int ex = here_has(m, sql, id);
    if (ex < 0)
        return SVA_ERR_DB;
    return ex ? SVA_OK : mg_refuse(m, "%s: %s '%s', which the file does not have", label, what, id);
}

#define NEED_CYCLE(L, id) need(m, L, "cycle", "SELECT 1 FROM cycle WHERE id = ?1", id)
#define NEED_STORE(L, id) need(m, L, "store", "SELECT 1 FROM store WHERE id = ?1", id)

/* A metric: ssi, csi, 6s or a checklist id. */
static bool metric_ok(const char *s)
{
    return strcmp(s, "ssi") == 0 || strcmp(s, "csi") == 0 || strcmp(s, "6s") == 0 ||
           sva_valid_id(s, true);
}

static const char *const CYCLE_STATES[] = {"plan", "do", "check", "act", "closed"};

sva_error mg_cycles(mg *m)
{
    static const mg_col cols[] = {{"id", K_REF, 40, 0},         {"date_from", K_DATE, 10, 0},
                                  {"date_to", K_DATE, 10, 0},   {"state", K_CHK, 10, 0},
                                  {"created_at", K_TIME, 20, 0}, MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "cycle", cols, MG_NCOLS(cols), "id", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("cycle");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        mg_row_label(q, "cycle", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        const char *from = sql_text(q, 1), *to = sql_text(q, 2), *state = sql_text(q, 3);
        if (strcmp(from, to) > 0) {
            rc = mg_refuse(m, "%s: ends (%s) before it starts (%s)", label, to, from);
            break;
        }
        if (!one_of(state, CYCLE_STATES, MG_NCOLS(CYCLE_STATES))) {
            rc = mg_refuse(m, "%s: state '%s' is not one of plan, do, check, act, closed", label,
                           state);
            break;
        }
        ver t = {0};
        ser_put(&t.content, "id", sql_text(q, 0));
        ser_put(&t.content, "date_from", from);
        ser_put(&t.content, "date_to", to);
        ser_put(&t.content, "stage", strcmp(state, "plan") == 0 ? "do" : state);
        ser_put(&t.stamps, "state", state);
        ser_put(&t.stamps, "created_at", sql_text(q, 4));
        ver_meta(&t, q, 5, m);
        rc = merge_version(m, k, &t, true, &m->st->cycles_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its cycles");
    sql_finalize(q);
    return rc;
}

sva_error mg_audit_void(mg *m, sql_stmt *q, const int col[MG_AUDIT_VCOLS], const char *fp,
                        const char *here_fp, bool amendable)
{
    ver t = {0};
    ser_put(&t.content, "uuid", sql_text(q, col[0]));
    ser_put(&t.content, "answers", fp);
    ser_int(&t.content, "void", !sql_is_null(q, col[1]));
    ser_put(&t.content, "void_reason", sql_text(q, col[2]));
    ser_put(&t.stamps, "voided_at", sql_text(q, col[1]));
    ser_put(&t.stamps, "voided_by", sql_text(q, col[4]));
    ser_put(&t.stamps, "unvoided_at", sql_text(q, col[5]));
    ser_put(&t.stamps, "unvoided_by", sql_text(q, col[6]));
    ser_int(&t.stamps, "revision", sql_int(q, col[7]));
    ser_put(&t.stamps, "revised_at", sql_text(q, col[8]));
    ser_put(&t.stamps, "revised_by", sql_text(q, col[9]));
    ser_put(&t.stamps, "revision_reason", sql_text(q, col[10]));
    ver_meta(&t, q, col[3], m);
    sva_error rc;
    bool other = here_fp && strcmp(here_fp, fp) != 0;
    if (t.content.failed || t.stamps.failed)
        rc = SVA_ERR_NOMEM;
    else if (other && !amendable)
        /* another audit under the same UUID, or an amendment of another line than
         * the one here: never taken, whatever its version */
        rc = keep_conflict(m, "audit", sql_text(q, col[0]), &t);
    else {
        /* the same audit (its void), or a later revision of it (its maker's
         * amendment is taken; one made elsewhere is a conflict) */
        size_t taken = 0;
        rc = merge_version(m, kind_find("audit"), &t, false, NULL, &taken);
        if (other)
            m->st->amendments += m->amend && m->amend->done;
        else
            m->st->voids += taken;
    }
    ver_free(&t);
    return rc;
}

/* ---- actions: the fields and links with each, then the history ---------------------------- */

static const char *const STATUSES[] = {"open", "in_progress", "done", "verified", "reopened"};

/* Is @p item (or section, @p is_item false) of checklist @p cl in some stored
 * version of it, here or in the file? -1: no version of that checklist is
 * known (the id is then only checked as an id). */
static int in_checklist(mg *m, const char *cl, const char *id, bool is_item)
{
    int known = -1;
    for (size_t i = 0; i < m->n_v; i++) {
        const sva_checklist *c = m->v[i].cl;
        if (strcmp(c->id, cl) != 0)
            continue;
        known = 0;
        if ((is_item ? sva_checklist_item_index(c, id) : sva_checklist_section_index(c, id)) >= 0)
            return 1;
    }
    return known;
}

static const mg_col ACTION_COLS[] = {
    {"id", K_INT, 0, 0},
    {"uuid", K_UUID, 36, 0},
    {"cycle_id", K_REF, 40, 0},
    {"store_id", K_REF, 40, 0},
    {"metric", K_CHK, 100, F_NULL},
    {"checklist_id", K_CHK, 100, F_NULL},
    {"item_id", K_CHK, 100, F_NULL},
    {"section_id", K_CHK, 100, F_NULL},
    {"status", K_CHK, 20, 0},
    {"owner", K_TEXT, 2000, F_EMPTY},
    {"due", K_DATE, 10, F_NULL},
    {"source_audit", K_INT, 0, F_NULL},
    {"carried_from", K_INT, 0, F_NULL},
    {"carried_to", K_INT, 0, F_NULL},
    {"created_at", K_TIME, 20, 0},
    {"updated_at", K_TIME, 20, 0},
    MG_SYNC_COLS};
static const mg_col FIELD_COLS[] = {{"action_id", K_INT, 0, 0},
                                    {"key", K_CHK, 100, 0},
                                    {"value", K_TEXT, 2000, F_EMPTY | F_LINES},
                                    {"pos", K_INT, 10000, 0}};

static int cmp_ref(const void *a, const void *b)
{
    long long x = ((const mg_ref *)a)->id, y = ((const mg_ref *)b)->id;
    return x < y ? -1 : x > y;
}

/* The file's action ids and UUIDs, for the links between its actions. */
static sva_error action_ids(mg *m)
{
    static const mg_col cols[] = {{"id", K_INT, 0, 0}, {"uuid", K_UUID, 36, 0}};
    sql_stmt *q;
    if (mg_select(m, "action", cols, MG_NCOLS(cols), "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    int r;
    size_t cap = 0;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        mg_row_label(q, "action", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        if (m->n_actions == cap) {
            cap = cap ? cap * 2 : 64;
            mg_ref *nv = realloc(m->actions, cap * sizeof *nv);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            m->actions = nv;
        }
        m->actions[m->n_actions].id = sql_int(q, 0);
        snprintf(m->actions[m->n_actions].uuid, 37, "%s", sql_text(q, 1));
        m->n_actions++;
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its actions");
    sql_finalize(q);
    if (!rc && m->n_actions)
        qsort(m->actions, m->n_actions, sizeof *m->actions, cmp_ref);
    return rc;
}

static const char *find_ref(const mg_ref *v, size_t n, long long id)
{
    if (!n)
        return NULL;
    mg_ref key = {.id = id};
    const mg_ref *r = bsearch(&key, v, n, sizeof *v, cmp_ref);
    return r ? r->uuid : NULL;
}

const char *mg_audit_uuid(const mg *m, long long id)
{
    return find_ref(m->audits, m->n_audits, id);
}

const char *mg_action_uuid(const mg *m, long long id)
{
    return find_ref(m->actions, m->n_actions, id);
}

/* A key a scoped merge takes (kept in m->taken). */
static bool take(mg *m, sva_map *map, const char *key)
{
    if (sva_map_get(map, key, &(size_t){0}))
        return true;
    char **nt = realloc(m->taken, (m->n_taken + 1) * sizeof *nt);
    if (!nt)
        return false;
    m->taken = nt;
    if (!(nt[m->n_taken] = sva_strdup(key)))
        return false;
    if (!sva_map_put(map, nt[m->n_taken], m->n_taken)) {
        free(nt[m->n_taken]);
        return false;
    }
    m->n_taken++;
    return true;
}

/* One action as the plan reads it (not yet checked: odd values only make it
 * not taken; mg_actions refuses them). */
typedef struct plan_row {
    char uuid[37], source[37];
    long long id, from, to;
    bool take;
} plan_row;

static const char *col_or(sql_stmt *q, int i)
{
    return sql_column_kind(q, i) == SQL_TEXT ? sql_text(q, i) : "";
}

sva_error mg_plan_actions(mg *m)
{
    sql_stmt *q;
    sva_diag tmp;
    sva_diag_init(&tmp);
    sva_error rc = sql_prepare(m->o,
                               "SELECT a.id, a.uuid, a.store_id, a.cycle_id, a.status,"
                               " a.carried_from, a.carried_to,"
                               " (SELECT uuid FROM audit WHERE id = a.source_audit),"
                               " (SELECT auditor FROM audit WHERE id = a.source_audit),"
                               " (SELECT region FROM store WHERE id = a.store_id)"
                               " FROM action a ORDER BY a.id",
                               &q, &tmp);
    sva_diag_clear(&tmp);
    if (rc)
        return mg_unreadable(m, "its actions");
    plan_row *v = NULL;
    size_t n = 0;
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        plan_row *nv = realloc(v, (n + 1) * sizeof *nv);
        if (!nv) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        v = nv;
        plan_row *p = &v[n++];
        memset(p, 0, sizeof *p);
        p->id = sql_int(q, 0);
        snprintf(p->uuid, sizeof p->uuid, "%s", col_or(q, 1));
        snprintf(p->source, sizeof p->source, "%s", col_or(q, 7));
        p->from = sql_column_kind(q, 5) == SQL_INT ? sql_int(q, 5) : 0;
        p->to = sql_column_kind(q, 6) == SQL_INT ? sql_int(q, 6) : 0;
        const char *status = col_or(q, 4);
        /* open (not verified, not carried on), in scope; an auditor's: from their audits */
        p->take = !p->to && strcmp(status, "verified") != 0 &&
                  mg_in_scope_store(m, col_or(q, 2), col_or(q, 9)) &&
                  mg_in_scope_cycle(m, col_or(q, 3)) &&
                  (!*m->scope.auditor || strcmp(col_or(q, 8), m->scope.auditor) == 0);
        if (!p->take) {
            int here = db_exists(m->db, "SELECT 1 FROM action WHERE uuid = ?1", p->uuid, m->d);
            if (here < 0)
                rc = SVA_ERR_DB;
            p->take = here > 0;
        }
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its actions");
    sql_finalize(q);
    /* and the actions linked to them (carried from, carried to), to the ends of
     * their chains: read in id order, each found by its id */
    size_t *work = rc ? NULL : malloc((n ? n : 1) * sizeof *work), nw = 0;
    if (!rc && !work)
        rc = SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        if (v[i].take)
            work[nw++] = i;
    while (!rc && nw) {
        plan_row *p = &v[work[--nw]];
        long long links[2] = {p->from, p->to};
        for (int k = 0; k < 2; k++) {
            if (!links[k])
                continue;
            size_t lo = 0, hi = n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (v[mid].id < links[k])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < n && v[lo].id == links[k] && !v[lo].take) {
                v[lo].take = true;
                work[nw++] = lo;
            }
        }
    }
    free(work);
    for (size_t i = 0; !rc && i < n; i++)
        if (v[i].take && (!take(m, &m->take_actions, v[i].uuid) ||
                          (*v[i].source && !take(m, &m->take_audits, v[i].source))))
            rc = SVA_ERR_NOMEM;
    free(v);
    return rc;
}

/* One action row of the file: checked, written down as a version. */
static sva_error action_version(mg *m, sql_stmt *q, const char *label, ver *t)
{
    const char *cl = sql_text(q, 5), *item = sql_text(q, 6), *section = sql_text(q, 7),
               *metric = sql_text(q, 4);
    sva_error rc;
    if ((rc = NEED_CYCLE(label, sql_text(q, 2))) || (rc = NEED_STORE(label, sql_text(q, 3))))
        return rc;
    if (!one_of(sql_text(q, 8), STATUSES, MG_NCOLS(STATUSES)))
        return mg_refuse(m, "%s: status '%s' is not one of open, in_progress, done, verified, "
                            "reopened",
                         label, sql_text(q, 8));
    if (metric && !metric_ok(metric))
        return mg_refuse(m, "%s: metric '%s' is not ssi, csi, 6s or a checklist", label, metric);
    if ((item || section) && !cl)
        return mg_refuse(m, "%s: an item or section without a checklist", label);
    if (item && section)
        return mg_refuse(m, "%s: both an item and a section", label);
    if (cl && (item || section) && in_checklist(m, cl, item ? item : section, item != NULL) == 0)
        return mg_refuse(m, "%s: checklist '%s' has no %s '%s' in any version", label, cl,
                         item ? "item" : "section", item ? item : section);
    const char *links[3] = {NULL, NULL, NULL};
    static const char *const what[3] = {"source audit", "action it was carried from",
                                        "action it was carried to"};
    for (int i = 0; i < 3; i++) {
        if (sql_is_null(q, 11 + i))
            continue;
        long long id = sql_int(q, 11 + i);
        links[i] = i == 0 ? mg_audit_uuid(m, id) : mg_action_uuid(m, id);
        if (!links[i])
            return mg_refuse(m, "%s: its %s (%lld) is not in the file", label, what[i], id);
    }
    static const char *const names[] = {"uuid",  "cycle",  "store", "metric", "checklist",
                                        "item",  "section", "status", "owner", "due"};
    for (int i = 0; i < 10; i++)
        ser_put(&t->content, names[i], sql_text(q, i + 1));
    ser_put(&t->content, "source_audit", links[0]);
    ser_put(&t->content, "carried_from", links[1]);
    ser_put(&t->content, "carried_to", links[2]);
    ser_put(&t->content, "created_at", sql_text(q, 14));
    ser_put(&t->stamps, "updated_at", sql_text(q, 15));
    ver_meta(t, q, 16, m);
    return SVA_OK;
}

/* Is action @p uuid here of a cycle closed here? */
static bool action_in_closed(mg *m, const char *uuid)
{
    sql_stmt *q;
    sva_diag tmp;
    sva_diag_init(&tmp);
    bool out = false;
    if (db_prep(m->db, "SELECT cycle_id FROM action WHERE uuid = ?1", &q, &tmp) == SVA_OK) {
        sql_bind_text(q, 1, uuid);
        out = sql_step(q) == SQL_ROW && mg_closed(m, sql_text(q, 0));
        sql_finalize(q);
    }
    sva_diag_clear(&tmp);
    return out;
}

sva_error mg_actions(mg *m)
{
    sva_error rc = action_ids(m);
    if (rc)
        return rc;
    sql_stmt *q = NULL, *f = NULL;
    if (mg_select(m, "action", ACTION_COLS, MG_NCOLS(ACTION_COLS), "id", &q) ||
        mg_select(m, "action_field", FIELD_COLS, MG_NCOLS(FIELD_COLS), "action_id, key", &f)) {
        sql_finalize(q);
        return SVA_ERR_INVALID;
    }
    const kind_def *k = kind_find("action");
    int fr = sql_step(f), r = SQL_DONE;
    long row = 0, frow = 1;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        mg_row_label(q, "action", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, ACTION_COLS, MG_NCOLS(ACTION_COLS), label)))
            break;
        long long id = sql_int(q, 0);
        snprintf(label, sizeof label, "action %lld (%s)", id, sql_text(q, 1));
        ver t = {0};
        /* a scoped database (a packed laptop) takes only the actions of its scope
         * (and those it has): the others' references may be outside it */
        bool may_add = !m->scope.on ||
                       sva_map_get(&m->take_actions, sql_text(q, 1), &(size_t){0});
        if (may_add)
            rc = action_version(m, q, label, &t);
        t.file_action = id;
        /* its fields, read alongside (both in action id order) */
        for (; !rc && fr == SQL_ROW; fr = sql_step(f), frow++) {
            char fl[96];
            snprintf(fl, sizeof fl, "action field in row %ld", frow);
            if ((rc = mg_check_row(m, f, FIELD_COLS, MG_NCOLS(FIELD_COLS), fl)))
                break;
            long long aid = sql_int(f, 0);
            if (aid < id) {
                rc = mg_refuse(m, "fields of action %lld, which the file does not have", aid);
                break;
            }
            if (aid > id)
                break;
            char name[120];
            snprintf(name, sizeof name, "field.%s", sql_text(f, 1));
            ser_put(&t.content, name, sql_text(f, 2));
            snprintf(name, sizeof name, "pos.%s", sql_text(f, 1));
            ser_int(&t.stamps, name, sql_int(f, 3));
        }
        if (!rc && fr == SQL_ERROR)
            rc = mg_unreadable(m, "its action fields");
        if (!rc && (t.content.failed || t.stamps.failed))
            rc = SVA_ERR_NOMEM;
        if (!rc && may_add)
            rc = merge_version(m, k, &t, true, &m->st->actions_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its actions");
    if (!rc && fr == SQL_ROW)
        rc = mg_refuse(m, "fields of action %lld, which the file does not have", sql_int(f, 0));
    sql_finalize(q);
    sql_finalize(f);
    /* every action of the file is here now: the links */
    for (size_t i = 0; !rc && i < m->n_links; i++)
        rc = set_links(m->db, m->links[i].uuid, m->links[i].from, m->links[i].to, m->d);
    if (rc)
        return rc;
    /* the history: lines made anywhere, each once */
    static const mg_col hcols[] = {{"id", K_INT, 0, 0},
                                   {"action_id", K_INT, 0, 0},
                                   {"at", K_TIME, 20, 0},
                                   {"actor", K_TEXT, 200, 0},
                                   {"change", K_TEXT, 10000, F_LINES},
                                   {"origin", K_UUID, 36, F_EMPTY}};
    sql_stmt *h = NULL, *has = NULL, *put = NULL;
    if (mg_select(m, "action_history", hcols, MG_NCOLS(hcols), "id", &h))
        return SVA_ERR_INVALID;
    if (db_prep(m->db,
                "SELECT 1 FROM action_history WHERE action_id = (SELECT id FROM action WHERE"
                " uuid = ?1) AND at = ?2 AND actor = ?3 AND change = ?4",
                &has, m->d) ||
        db_prep(m->db,
                "INSERT INTO action_history(action_id, at, actor, change, origin)"
                " VALUES((SELECT id FROM action WHERE uuid = ?1), ?2, ?3, ?4, ?5)",
                &put, m->d))
        rc = SVA_ERR_DB;
    row = 0;
    while (!rc && (r = sql_step(h)) == SQL_ROW) {
        char label[96];
        mg_row_label(h, "action history line", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, h, hcols, MG_NCOLS(hcols), label)))
            break;
        const char *uuid = mg_action_uuid(m, sql_int(h, 1));
        if (!uuid) {
            rc = mg_refuse(m, "%s: of action %lld, which the file does not have", label,
                           sql_int(h, 1));
            break;
        }
        int here = db_exists(m->db, "SELECT 1 FROM action WHERE uuid = ?1", uuid, m->d);
        if (here > 0 && m->closedmap.n)
            here = action_in_closed(m, uuid) ? 0 : 1; /* (its changes were not taken) */
        if (here < 0) {
            rc = SVA_ERR_DB;
            break;
        }
        if (!here)
            continue; /* an action out of this database's scope, or of a closed cycle */
        sql_reset(has);
        sql_bind_text(has, 1, uuid);
        sql_bind_text(has, 2, sql_text(h, 2));
        sql_bind_text(has, 3, sql_text(h, 3));
        sql_bind_text(has, 4, sql_text(h, 4));
        int e = sql_step(has);
        if (e == SQL_ROW)
            continue;
        if (e != SQL_DONE) {
            rc = db_fail(m->db, m->d, "cannot read an action's history");
            break;
        }
        sql_reset(put);
        sql_bind_text(put, 1, uuid);
        sql_bind_text(put, 2, sql_text(h, 2));
        sql_bind_text(put, 3, sql_text(h, 3));
        sql_bind_text(put, 4, sql_text(h, 4));
        sql_bind_text(put, 5, mg_map(m, sql_text(h, 5)));
        if (sql_step(put) != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot add to an action's history");
        m->st->history_added++;
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its action history");
    sql_finalize(h);
    sql_finalize(has);
    sql_finalize(put);
    return rc;
}

/* ---- targets, survey results, reasons -------------------------------------------------------- */

sva_error mg_targets(mg *m)
{
    static const mg_col cols[] = {{"cycle_id", K_REF, 40, 0}, {"scope", K_CHK, 10, 0},
                                  {"scope_id", K_TEXT, 100, F_EMPTY}, {"metric", K_CHK, 100, 0},
                                  {"value", K_REAL, 0, 0},   {"set_at", K_TIME, 20, 0},
                                  MG_SYNC_COLS};
    static const char *const scopes[] = {"network", "region", "store"};
    sql_stmt *q;
    if (mg_select(m, "target", cols, MG_NCOLS(cols), "cycle_id, scope, scope_id, metric", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("target");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        snprintf(label, sizeof label, "target in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        const char *scope = sql_text(q, 1), *sid = sql_text(q, 2), *metric = sql_text(q, 3);
        snprintf(label, sizeof label, "target %s %s%s%s %s", sql_text(q, 0), scope,
                 *sid ? " " : "", sid, metric);
        double v = sql_double(q, 4);
        if (!one_of(scope, scopes, 3))
            rc = mg_refuse(m, "%s: scope '%s' is not network, region or store", label, scope);
        else if (!metric_ok(metric))
            rc = mg_refuse(m, "%s: metric '%s' is not ssi, csi, 6s or a checklist", label,
                           metric);
        else if (v < 0 || v > 100)
            rc = mg_refuse(m, "%s: %g is outside 0..100", label, v);
        else if (strcmp(scope, "network") == 0 && *sid)
            rc = mg_refuse(m, "%s: a network target names '%s'", label, sid);
        /* (a scoped database, a laptop, checks the stores and regions it has) */
        else if (!(rc = NEED_CYCLE(label, sql_text(q, 0))) && strcmp(scope, "store") == 0 &&
                 scope_here(m, scope, sid))
            rc = NEED_STORE(label, sid);
        else if (!rc && strcmp(scope, "region") == 0 && scope_here(m, scope, sid))
            rc = need(m, label, "region", "SELECT 1 FROM store WHERE region = ?1 AND region != ''",
                      sid);
        if (rc)
            break;
        ver t = {0};
        for (int i = 0; i < 4; i++)
            ser_put(&t.content, TARGET_NAMES[i], sql_text(q, i));
        ser_real(&t.content, "value", v);
        ser_put(&t.stamps, "set_at", sql_text(q, 5));
        ver_meta(&t, q, 6, m);
        bool may_add = mg_in_scope_cycle(m, sql_text(q, 0));
        if (may_add && m->scope.on && strcmp(scope, "store") == 0)
            may_add = mg_store_here(m, sid) > 0;
        else if (may_add && m->scope.on && strcmp(scope, "region") == 0)
            may_add = mg_region_here(m, sid) > 0;
        rc = merge_version(m, k, &t, may_add, &m->st->targets_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its targets");
    sql_finalize(q);
    return rc;
}

sva_error mg_surveys(mg *m)
{
    static const mg_col cols[] = {{"cycle_id", K_REF, 40, 0},     {"store_id", K_REF, 40, 0},
                                  {"metric", K_CHK, 10, 0},       {"value", K_REAL, 0, 0},
                                  {"respondents", K_INT, 1000000000, 0},
                                  {"imported_at", K_TIME, 20, 0}, MG_SYNC_COLS};
    static const char *const metrics[] = {"ssi", "csi"};
    sql_stmt *q;
    if (mg_select(m, "survey", cols, MG_NCOLS(cols), "cycle_id, store_id, metric", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("survey");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        snprintf(label, sizeof label, "survey result in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        snprintf(label, sizeof label, "survey result %s %s %s", sql_text(q, 0), sql_text(q, 1),
                 sql_text(q, 2));
        double v = sql_double(q, 3);
        if (!one_of(sql_text(q, 2), metrics, 2))
            rc = mg_refuse(m, "%s: metric '%s' is not ssi or csi", label, sql_text(q, 2));
        else if (v < 0 || v > 100)
            rc = mg_refuse(m, "%s: %g is outside 0..100", label, v);
        else if (!(rc = NEED_CYCLE(label, sql_text(q, 0))) &&
                 scope_here(m, "store", sql_text(q, 1)))
            rc = NEED_STORE(label, sql_text(q, 1));
        if (rc)
            break;
        ver t = {0};
        for (int i = 0; i < 3; i++)
            ser_put(&t.content, SURVEY_NAMES[i], sql_text(q, i));
        ser_real(&t.content, "value", v);
        ser_int(&t.content, "respondents", sql_int(q, 4));
        ser_put(&t.stamps, "imported_at", sql_text(q, 5));
        ver_meta(&t, q, 6, m);
        bool may_add = mg_in_scope_cycle(m, sql_text(q, 0)) &&
                       (!m->scope.on || mg_store_here(m, sql_text(q, 1)) > 0);
        rc = merge_version(m, k, &t, may_add, &m->st->surveys_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its survey results");
    sql_finalize(q);
    return rc;
}

sva_error mg_reasons(mg *m)
{
    static const mg_col cols[] = {{"cycle_id", K_REF, 40, 0}, {"store_id", K_REF, 40, 0},
                                  {"metric", K_CHK, 100, 0},  {"text", K_TEXT, 2000, F_NOTBLANK},
                                  {"at", K_TIME, 20, 0},      MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "cycle_reason", cols, MG_NCOLS(cols), "cycle_id, store_id, metric", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("reason");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        snprintf(label, sizeof label, "reason in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        snprintf(label, sizeof label, "reason %s %s %s", sql_text(q, 0), sql_text(q, 1),
                 sql_text(q, 2));
        if (!metric_ok(sql_text(q, 2)))
            rc = mg_refuse(m, "%s: metric '%s' is not ssi, csi, 6s or a checklist", label,
                           sql_text(q, 2));
        else if (!(rc = NEED_CYCLE(label, sql_text(q, 0))) &&
                 scope_here(m, "store", sql_text(q, 1)))
            rc = NEED_STORE(label, sql_text(q, 1));
        if (rc)
            break;
        ver t = {0};
        for (int i = 0; i < 4; i++)
            ser_put(&t.content, REASON_NAMES[i], sql_text(q, i));
        ser_put(&t.stamps, "at", sql_text(q, 4));
        ver_meta(&t, q, 5, m);
        bool may_add = mg_in_scope_cycle(m, sql_text(q, 0)) &&
                       (!m->scope.on || mg_store_here(m, sql_text(q, 1)) > 0);
        rc = merge_version(m, k, &t, may_add, &m->st->reasons_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its reasons");
    sql_finalize(q);
    return rc;
}

/* ---- settling a conflict (db_sync.c) ------------------------------------------------------ */

sva_error sync_here_version(sva_db *db, const char *kind, const char *there, char **out,
                            sva_diag *d)
{
    *out = NULL;
    const kind_def *k = kind_find(kind);
    ser_rec tr;
    if (!k || !ser_parse(there, &tr)) {
        sva_diag_add(d, NULL, 0, "a conflict of an unknown kind '%s'", kind);
        return SVA_ERR_INVALID;
    }
    ver h;
    bool found;
    sva_error rc = read_here(db, k, &tr, &h, &found, d);
    ser_free(&tr);
    if (rc || !found)
        return rc;
    *out = ver_full(&h);
    ver_free(&h);
    return *out ? SVA_OK : SVA_ERR_NOMEM;
}

/* `--keep there` of an action: the checks and carries of it made elsewhere
 * that its conflict keeps (with_rows), each added as it was made (who, when,
 * where) unless one of the same key is here or its cycle is closed here (a
 * merge would not take it either: each such one is named in @p d, in a
 * merge's words). */
static sva_error keep_rows(sva_db *db, const ser_rec *tr, sva_diag *d)
{
    sva_error rc = SVA_OK;
    for (size_t i = 0; !rc && i < tr->n; i++) {
        bool check = strcmp(tr->v[i].name, "check") == 0;
        if (!check && strcmp(tr->v[i].name, "carry") != 0)
            continue;
        const kind_def *k = kind_find(check ? "action check" : "action carry");
        ser_rec r;
        if (!tr->v[i].value || !ser_parse(tr->v[i].value, &r)) {
            sva_diag_add(d, NULL, 0, "the conflict's action %s cannot be read", tr->v[i].name);
            return SVA_ERR_INVALID;
        }
        const char *cycle = ser_get(&r, k->cycle_field, NULL);
        ver h;
        bool found;
        rc = read_here(db, k, &r, &h, &found, d);
        if (!rc && found)
            ver_free(&h);
        int closed = 0;
        if (!rc && !found && cycle &&
            (closed = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1 AND state = 'closed'",
                                cycle, d)) < 0)
            rc = SVA_ERR_DB;
        if (!rc && !found && cycle && !closed)
            rc = k->apply(db, &r, NULL, d);
        if (!rc && !found && closed) {
            char *key = key_of(k, &r);
            if (!key) {
                rc = SVA_ERR_NOMEM;
            } else {
                sva_diag_add(d, NULL, 0,
                             NOT_TAKEN " (it stays with the settled conflict: 'svcaudit merge "
                             "--conflicts --all')",
                             k->kind, key, cycle);
            }
            free(key);
        }
        ser_free(&r);
    }
    return rc;
}

/* `--keep there` of an action takes no cycle closed here, as a merge would
 * not: the version there must not put the action into one. Said in a
 * merge's words, with the way to keep there after. */
static sva_error keep_closed(sva_db *db, const kind_def *k, const ser_rec *tr, sva_diag *d)
{
    const char *cycle = ser_get(tr, k->cycle_field, NULL);
    int closed = cycle ? db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1 AND state = 'closed'",
                                   cycle, d)
                       : 0;
    if (closed <= 0)
        return closed < 0 ? SVA_ERR_DB : SVA_OK;
    char *key = key_of(k, tr);
    if (!key)
        return SVA_ERR_NOMEM;
    sva_diag_add(d, NULL, 0,
                 NOT_TAKEN " (to keep there: 'svcaudit cycle reopen %s --reason TEXT', then "
                 "settle the conflict again)",
                 k->kind, key, cycle, cycle);
    free(key);
    return SVA_ERR_STATE;
}

sva_error sync_keep(sva_db *db, const char *kind, const char *there, bool keep_there,
                    sva_diag *d)
{
    const kind_def *k = kind_find(kind);
    ser_rec tr;
    if (!k || !ser_parse(there, &tr)) {
        sva_diag_add(d, NULL, 0, "a conflict of an unknown kind '%s'", kind);
        return SVA_ERR_INVALID;
    }
    ver h;
    bool found;
    sva_error rc = read_here(db, k, &tr, &h, &found, d);
    if (rc) {
        ser_free(&tr);
        return rc;
    }
    /* the version kept, and its place: made here, a person's decision is a
     * change of its maker (counted, so it reaches everyone); made elsewhere, it
     * is a change made here, unless it is the maker's own later version */
    const char *trev = ser_get(&tr, "sync_rev", NULL), *tin = ser_get(&tr, "changed_in", NULL);
    long long there_rev = trev ? atoll(trev) : 0;
    bool there_clean = tin == NULL;
    ser_rec out = {0};
    char *full = NULL;
    if (keep_there && strcmp(kind, "audit") == 0 && found) {
        const char *a = ser_get(&tr, "answers", NULL);
        sva_buf hb = {0};
        sva_buf_append(&hb, h.content.data ? h.content.data : "", h.content.len);
        ser_rec hr;
        if (ser_parse(hb.data ? hb.data : "", &hr)) {
            const char *b = ser_get(&hr, "answers", NULL);
            if (a && b && strcmp(a, b) != 0) {
                sva_diag_add(d, NULL, 0,
                             "the two audits differ in their answers, not only in their void: "
                             "an audit is never replaced by a version whose answers are not "
                             "here to score again; keep here, and amend it here (or record "
                             "the other one again) if the other is right");
                rc = SVA_ERR_STATE;
            }
            ser_free(&hr);
        }
        sva_buf_free(&hb);
    }
    if (!rc && keep_there && strcmp(kind, "action") == 0)
        rc = keep_closed(db, k, &tr, d);
    if (!rc && keep_there) {
        /* the content and stamps of there, the place decided here */
        const char *origin = found ? h.origin : ser_get(&tr, "origin", NULL);
        long long rev = found && h.rev > there_rev ? h.rev : there_rev;
        sva_buf b = {0};
        for (size_t i = 0; i < tr.n; i++)
            if (strcmp(tr.v[i].name, "origin") && strcmp(tr.v[i].name, "sync_rev") &&
                strcmp(tr.v[i].name, "changed_in"))
                ser_put(&b, tr.v[i].name, tr.v[i].value);
        ser_put(&b, "origin", origin ? origin : "");
        if (!origin || !*origin) {
            ser_int(&b, "sync_rev", rev + 1);
            ser_put(&b, "changed_in", NULL);
        } else if (there_clean && found && there_rev >= h.rev) {
            ser_int(&b, "sync_rev", there_rev);
            ser_put(&b, "changed_in", NULL);
        } else {
            ser_int(&b, "sync_rev", rev);
            ser_put(&b, "changed_in", "");
        }
        full = b.failed ? NULL : sva_buf_take(&b);
        sva_buf_free(&b);
        if (!full || !ser_parse(full, &out))
            rc = SVA_ERR_NOMEM;
        else
            rc = k->apply(db, &out, NULL, d);
        if (!rc && strcmp(kind, "action") == 0)
            rc = keep_rows(db, &tr, d);
    } else if (!rc && found) {
        /* here kept: made here, counted as a change; else a decision made here */
        char *hf = ver_full(&h);
        ser_rec hr;
        if (!hf || !ser_parse(hf, &hr)) {
            rc = SVA_ERR_NOMEM;
        } else {
            sva_buf b = {0};
            for (size_t i = 0; i < hr.n; i++)
                if (strcmp(hr.v[i].name, "sync_rev") && strcmp(hr.v[i].name, "changed_in"))
                    ser_put(&b, hr.v[i].name, hr.v[i].value);
            if (!*h.origin) {
                ser_int(&b, "sync_rev", (h.rev > there_rev ? h.rev : there_rev) + 1);
                ser_put(&b, "changed_in", NULL);
            } else {
                ser_int(&b, "sync_rev", h.rev);
                ser_put(&b, "changed_in", h.clean ? NULL : "");
            }
            ser_free(&hr);
            full = b.failed ? NULL : sva_buf_take(&b);
            sva_buf_free(&b);
            if (!full || !ser_parse(full, &out))
                rc = SVA_ERR_NOMEM;
            else
                rc = k->apply(db, &out, NULL, d);
        }
        free(hf);
    }
    if (found)
        ver_free(&h);
    ser_free(&tr);
    ser_free(&out);
    free(full);
    return rc;
}

/* ---- plans, reasons for missed plans, owners (schema 4: per-cycle master data) --------------- */

static const char *const PLAN_SCOPES[] = {"network", "region", "store"};
static const char *const PLAN_EVERY[] = {"cycle", "day", "week", "month"};

sva_error mg_plans(mg *m)
{
    static const mg_col cols[] = {{"uuid", K_UUID, 36, 0},
                                  {"cycle_id", K_REF, 40, 0},
                                  {"checklist_id", K_CHK, 100, 0},
                                  {"scope", K_CHK, 10, 0},
                                  {"scope_id", K_TEXT, 100, F_EMPTY},
                                  {"per_employee", K_INT, 1, 0},
                                  {"times", K_INT, 1000, 0},
                                  {"every", K_CHK, 10, 0},
                                  {"auditor", K_TEXT, 100, F_EMPTY},
                                  {"set_at", K_TIME, 20, 0},
                                  MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "plan", cols, MG_NCOLS(cols), "cycle_id, checklist_id, scope, scope_id", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("plan");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[200];
        snprintf(label, sizeof label, "plan in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        const char *scope = sql_text(q, 3), *sid = sql_text(q, 4);
        snprintf(label, sizeof label, "plan %s %s %s%s%s", sql_text(q, 1), sql_text(q, 2), scope,
                 *sid ? " " : "", sid);
        if (!one_of(scope, PLAN_SCOPES, 3))
            rc = mg_refuse(m, "%s: scope '%s' is not network, region or store", label, scope);
        else if (!one_of(sql_text(q, 7), PLAN_EVERY, 4))
            rc = mg_refuse(m, "%s: every '%s' is not cycle, day, week or month", label,
                           sql_text(q, 7));
        else if (strcmp(scope, "network") == 0 && *sid)
            rc = mg_refuse(m, "%s: a network plan names '%s'", label, sid);
        else if (strcmp(scope, "network") != 0 && !*sid)
            rc = mg_refuse(m, "%s: a %s plan names none", label, scope);
        else if (!(rc = NEED_CYCLE(label, sql_text(q, 1))) && strcmp(scope, "store") == 0 &&
                 scope_here(m, scope, sid))
            rc = NEED_STORE(label, sid);
        if (rc)
            break;
        ver t = {0};
        ser_put(&t.content, "cycle", sql_text(q, 1));
        ser_put(&t.content, "checklist", sql_text(q, 2));
        ser_put(&t.content, "scope", scope);
        ser_put(&t.content, "scope_id", sid);
        ser_int(&t.content, "per_employee", sql_int(q, 5));
        ser_int(&t.content, "times", sql_int(q, 6));
        ser_put(&t.content, "every", sql_text(q, 7));
        ser_put(&t.content, "auditor", sql_text(q, 8));
        ser_put(&t.stamps, "uuid", sql_text(q, 0));
        ser_put(&t.stamps, "set_at", sql_text(q, 9));
        ver_meta(&t, q, 10, m);
        bool may_add = mg_in_scope_cycle(m, sql_text(q, 1)) && scope_here(m, scope, sid);
        rc = merge_version(m, k, &t, may_add, &m->st->plans_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its plans");
    sql_finalize(q);
    if (rc)
        return rc;

    static const mg_col rcols[] = {{"cycle_id", K_REF, 40, 0},
                                   {"checklist_id", K_CHK, 100, 0},
                                   {"store_id", K_REF, 40, 0},
                                   {"employee_id", K_TEXT, 40, F_EMPTY},
                                   {"text", K_TEXT, 2000, F_NOTBLANK},
                                   {"at", K_TIME, 20, 0},
                                   MG_SYNC_COLS};
    if (mg_select(m, "plan_reason", rcols, MG_NCOLS(rcols),
                  "cycle_id, checklist_id, store_id, employee_id", &q))
        return SVA_ERR_INVALID;
    k = kind_find("plan reason");
    row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[200];
        snprintf(label, sizeof label, "reason for a missed plan in row %ld", ++row);
        if ((rc = mg_check_row(m, q, rcols, MG_NCOLS(rcols), label)))
            break;
        const char *emp = sql_text(q, 3);
        snprintf(label, sizeof label, "reason for a missed plan %s %s %s%s%s", sql_text(q, 0),
                 sql_text(q, 1), sql_text(q, 2), *emp ? " " : "", emp);
        bool here = !m->scope.on || mg_store_here(m, sql_text(q, 2)) > 0;
        if (*emp && !sva_ref_id_valid(emp))
            rc = mg_refuse(m, "%s: employee_id is not a valid id", label);
        else if (!(rc = NEED_CYCLE(label, sql_text(q, 0))) && here &&
                 !(rc = NEED_STORE(label, sql_text(q, 2))) && *emp)
            rc = need(m, label, "employee", "SELECT 1 FROM employee WHERE id = ?1", emp);
        if (rc)
            break;
        ver t = {0};
        for (int i = 0; i < 5; i++)
            ser_put(&t.content, PLAN_REASON_NAMES[i], sql_text(q, i));
        ser_put(&t.stamps, "at", sql_text(q, 5));
        ver_meta(&t, q, 6, m);
        bool may_add = mg_in_scope_cycle(m, sql_text(q, 0)) && here;
        rc = merge_version(m, k, &t, may_add, &m->st->plans_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its reasons for missed plans");
    sql_finalize(q);
    return rc;
}

sva_error mg_owners(mg *m)
{
    static const mg_col cols[] = {{"store_id", K_REF, 40, 0},
                                  {"checklist_id", K_CHK, 100, 0},
                                  {"section_id", K_CHK, 100, F_EMPTY},
                                  {"item_id", K_CHK, 100, F_EMPTY},
                                  {"employee_id", K_REF, 40, 0},
                                  {"set_at", K_TIME, 20, 0},
                                  MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "owner", cols, MG_NCOLS(cols), "store_id, checklist_id, section_id, item_id",
                  &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("owner");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[200];
        snprintf(label, sizeof label, "owner in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        const char *section = sql_text(q, 2), *item = sql_text(q, 3);
        snprintf(label, sizeof label, "owner of %s %s%s at %s", sql_text(q, 1),
                 *item ? item : section, *item || *section ? "" : "(every item)", sql_text(q, 0));
        bool here = !m->scope.on || mg_store_here(m, sql_text(q, 0)) > 0;
        if (*section && *item)
            rc = mg_refuse(m, "%s: both a section and an item", label);
        else if (!*section && !*item)
            rc = mg_refuse(m, "%s: neither a section nor an item", label);
        else if (in_checklist(m, sql_text(q, 1), *item ? item : section, *item != 0) == 0)
            rc = mg_refuse(m, "%s: checklist '%s' has no %s '%s' in any version", label,
                           sql_text(q, 1), *item ? "item" : "section", *item ? item : section);
        else if (here && !(rc = NEED_STORE(label, sql_text(q, 0))))
            rc = need(m, label, "employee", "SELECT 1 FROM employee WHERE id = ?1",
                      sql_text(q, 4));
        if (rc)
            break;
        ver t = {0};
        for (int i = 0; i < 5; i++)
            ser_put(&t.content, OWNER_NAMES[i], sql_text(q, i));
        ser_put(&t.stamps, "set_at", sql_text(q, 5));
        ver_meta(&t, q, 6, m);
        rc = merge_version(m, k, &t, here, &m->st->owners_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its owners");
    sql_finalize(q);
    return rc;
}

/* ---- the revisions an amendment replaced (schema 5) ------------------------------------- */

/* A score the file keeps for a revision: NULL or 0..100. */
static bool pct_ok(sql_stmt *q, int i)
{
    return sql_is_null(q, i) || (sql_double(q, i) >= 0 && sql_double(q, i) <= 100);
}

/* The answers and section scores of revision @p rev of the file's audit @p fid,
 * copied to audit @p id here (the rows checked as typed). */
static sva_error revision_rows(mg *m, long long fid, long long rev, long long id,
                               const char *label)
{
    static const mg_col acols[] = {{"item_no", K_INT, 100000, 0},
                                   {"value", K_INT, 1000, F_NULL},
                                   {"points", K_REAL, 0, 0},
                                   {"max_points", K_REAL, 0, 0},
                                   {"passed", K_INT, 1, F_NULL},
                                   {"note", K_TEXT, 4000, F_EMPTY | F_LINES},
                                   {"evidence", K_TEXT, 1000, F_EMPTY}};
    static const mg_col scols[] = {{"section_id", K_CHK, 100, 0}, {"scorable", K_INT, 1, 0},
                                   {"pct", K_REAL, 0, F_NULL},    {"points", K_REAL, 0, 0},
                                   {"max_points", K_REAL, 0, 0}};
    static const char *const sel[2] = {
        "SELECT item_no, value, points, max_points, passed, note, evidence FROM answer_revision"
        " WHERE audit_id = ?1 AND revision = ?2 ORDER BY item_no",
        "SELECT section_id, scorable, pct, points, max_points FROM section_revision"
        " WHERE audit_id = ?1 AND revision = ?2 ORDER BY section_id"};
    static const char *const put[2] = {
        "INSERT INTO answer_revision(audit_id, revision, item_no, value, points, max_points,"
        " passed, note, evidence) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "INSERT INTO section_revision(audit_id, revision, section_id, scorable, pct, points,"
        " max_points) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
    sva_error rc = SVA_OK;
    for (int t = 0; !rc && t < 2; t++) {
        const mg_col *cols = t ? scols : acols;
        size_t n = t ? MG_NCOLS(scols) : MG_NCOLS(acols);
        sql_stmt *q = NULL, *w = NULL;
        sva_diag tmp;
        sva_diag_init(&tmp);
        if (sql_prepare(m->o, sel[t], &q, &tmp)) {
            sva_diag_clear(&tmp);
            return mg_unreadable(m, "its revisions");
        }
        sva_diag_clear(&tmp);
        if (db_prep(m->db, put[t], &w, m->d)) {
            sql_finalize(q);
            return SVA_ERR_DB;
        }
        sql_bind_int(q, 1, fid);
        sql_bind_int(q, 2, rev);
        int r;
        while (!rc && (r = sql_step(q)) == SQL_ROW) {
            if ((rc = mg_check_row(m, q, cols, n, label)))
                break;
            if (t == 1 && !pct_ok(q, 2)) {
                rc = mg_refuse(m, "%s: a section score outside 0..100", label);
                break;
            }
            sql_reset(w);
            sql_bind_int(w, 1, id);
            sql_bind_int(w, 2, rev);
            for (size_t i = 0; i < n; i++) {
                if (sql_is_null(q, (int)i))
                    continue;
                if (cols[i].kind == K_INT)
                    sql_bind_int(w, (int)i + 3, sql_int(q, (int)i));
                else if (cols[i].kind == K_REAL)
                    sql_bind_double(w, (int)i + 3, sql_double(q, (int)i));
                else
                    sql_bind_text(w, (int)i + 3, sql_text(q, (int)i));
            }
            if (sql_step(w) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot keep a revision");
        }
        if (!rc && r != SQL_DONE)
            rc = mg_unreadable(m, "its revisions");
        sql_finalize(q);
        sql_finalize(w);
    }
    return rc;
}

sva_error mg_revisions(mg *m)
{
    static const mg_col cols[] = {
        {"audit_id", K_INT, 0, 0},          {"uuid", K_UUID, 36, 0},
        {"fingerprint", K_HASH, 64, 0},     {"revision", K_INT, 1000000, 0},
        {"made_at", K_TIME, 20, F_EMPTY},   {"made_by", K_TEXT, 100, F_EMPTY},
        {"reason", K_TEXT, 1000, F_NULL | F_LINES},
        {"employee_id", K_REF, 40, F_NULL},
        {"audit_date", K_DATE, 10, 0},      {"scorable", K_INT, 1, 0},
        {"pct", K_REAL, 0, F_NULL},         {"raw_pct", K_REAL, 0, F_NULL},
        {"failed", K_INT, 1, 0},            {"n_failed_critical", K_INT, 0, 0},
        {"n_items", K_INT, 0, 0},           {"n_na", K_INT, 0, 0},
        {"points", K_REAL, 0, 0},           {"max_points", K_REAL, 0, 0},
        {"n_answered", K_INT, 0, 0},        {"n_passed", K_INT, 0, 0},
        {"rfingerprint", K_HASH, 64, 0},    {"replaced_at", K_TIME, 20, F_EMPTY},
        {"replaced_by", K_TEXT, 100, F_EMPTY}};
    sql_stmt *q, *here, *has, *put;
    sva_diag tmp;
    sva_diag_init(&tmp);
    sva_error rc = sql_prepare(
        m->o,
        "SELECT r.audit_id, a.uuid, a.fingerprint, r.revision, r.made_at, r.made_by, r.reason,"
        " r.employee_id, r.audit_date, r.scorable, r.pct, r.raw_pct, r.failed,"
        " r.n_failed_critical, r.n_items, r.n_na, r.points, r.max_points, r.n_answered,"
        " r.n_passed, r.fingerprint, r.replaced_at, r.replaced_by FROM audit_revision r"
        " JOIN audit a ON a.id = r.audit_id ORDER BY r.audit_id, r.revision",
        &q, &tmp);
    sva_diag_clear(&tmp);
    if (rc)
        return mg_unreadable(m, "its revisions");
    if (db_prep(m->db, "SELECT id, revision FROM audit WHERE uuid = ?1 AND fingerprint = ?2",
                &here, m->d)) {
        sql_finalize(q);
        return SVA_ERR_DB;
    }
    if (db_prep(m->db, "SELECT 1 FROM audit_revision WHERE audit_id = ?1 AND revision = ?2",
                &has, m->d) ||
        db_prep(m->db,
                "INSERT INTO audit_revision(audit_id, revision, made_at, made_by, reason,"
                " employee_id, audit_date, scorable, pct, raw_pct, failed, n_failed_critical,"
                " n_items, n_na, points, max_points, n_answered, n_passed, fingerprint,"
                " replaced_at, replaced_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                &put, m->d)) {
        sql_finalize(q);
        sql_finalize(here);
        return SVA_ERR_DB;
    }
    int r;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[128];
        snprintf(label, sizeof label, "audit revision in row %ld", ++row);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        snprintf(label, sizeof label, "audit %lld (%s) revision %lld", sql_int(q, 0),
                 sql_text(q, 1), sql_int(q, 3));
        if (!pct_ok(q, 10) || !pct_ok(q, 11)) {
            rc = mg_refuse(m, "%s: a score outside 0..100", label);
            break;
        }
        /* the audit here, as the file has it now (another version: a conflict) */
        sql_reset(here);
        sql_bind_text(here, 1, sql_text(q, 1));
        sql_bind_text(here, 2, sql_text(q, 2));
        int e = sql_step(here);
        if (e != SQL_ROW) {
            if (e != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot read an audit");
            continue;
        }
        long long id = sql_int(here, 0), rev = sql_int(q, 3);
        if (rev >= sql_int(here, 1)) {
            rc = mg_refuse(m, "%s: not before the audit's revision %lld", label,
                           sql_int(here, 1));
            break;
        }
        sql_reset(has);
        sql_bind_int(has, 1, id);
        sql_bind_int(has, 2, rev);
        e = sql_step(has);
        if (e == SQL_ROW)
            continue; /* here already */
        if (e != SQL_DONE) {
            rc = db_fail(m->db, m->d, "cannot read a revision");
            break;
        }
        sql_reset(put);
        sql_bind_int(put, 1, id);
        sql_bind_int(put, 2, rev);
        for (int i = 4; i < 23; i++) {
            if (sql_is_null(q, i))
                continue;
            if (cols[i].kind == K_INT)
                sql_bind_int(put, i - 1, sql_int(q, i));
            else if (cols[i].kind == K_REAL)
                sql_bind_double(put, i - 1, sql_double(q, i));
            else
                sql_bind_text(put, i - 1, sql_text(q, i));
        }
        if (sql_step(put) != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot keep a revision");
        else
            rc = revision_rows(m, sql_int(q, 0), rev, id, label);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its revisions");
    sql_finalize(q);
    sql_finalize(here);
    sql_finalize(has);
    sql_finalize(put);
    return rc;
}

/* ---- appeals (schema 7): records of the database that opened them ------------------------ */

static const char *const OUTCOMES[] = {"upheld", "rejected"};

sva_error mg_appeals(mg *m)
{
    static const mg_col cols[] = {{"id", K_INT, 0, 0},
                                  {"audit_id", K_INT, 0, 0},
                                  {"opened_at", K_TIME, 20, 0},
                                  {"opened_by", K_TEXT, 100, F_NOTBLANK},
                                  {"reason", K_TEXT, 1000, F_NOTBLANK},
                                  {"revision", K_INT, 1000000, 0},
                                  {"voided", K_INT, 1, 0},
                                  {"resolved_at", K_TIME, 20, F_NULL},
                                  {"resolved_by", K_TEXT, 100, F_NULL | F_NOTBLANK},
                                  {"outcome", K_CHK, 10, F_NULL},
                                  {"note", K_TEXT, 2000, F_NULL | F_NOTBLANK},
                                  MG_SYNC_COLS};
    sql_stmt *q, *rev = NULL;
    /* in the order they were opened: a database's appeal resolved before it
     * opened the next one of the same audit */
    if (mg_select(m, "appeal", cols, MG_NCOLS(cols), "opened_at, id", &q))
        return SVA_ERR_INVALID;
    sva_diag tmp;
    sva_diag_init(&tmp);
    sva_error rc = SVA_OK;
    if (sql_prepare(m->o, "SELECT revision FROM audit WHERE id = ?1", &rev, &tmp))
        rc = mg_unreadable(m, "its audits");
    sva_diag_clear(&tmp);
    const kind_def *k = kind_find("appeal");
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        mg_row_label(q, "appeal", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        long long aid = sql_int(q, 1);
        const char *uuid = mg_audit_uuid(m, aid);
        if (!uuid) {
            rc = mg_refuse(m, "%s: of audit %lld, which the file does not have", label, aid);
            break;
        }
        snprintf(label, sizeof label, "appeal %lld (of audit %lld, %s)", sql_int(q, 0), aid,
                 uuid);
        const char *opened = sql_text(q, 2), *at = sql_text(q, 7), *outcome = sql_text(q, 9);
        int given = !sql_is_null(q, 7) + !sql_is_null(q, 8) + !sql_is_null(q, 9) +
                    !sql_is_null(q, 10);
        sql_reset(rev);
        sql_bind_int(rev, 1, aid);
        long long arev = sql_step(rev) == SQL_ROW ? sql_int(rev, 0) : 0;
        if (given != 0 && given != 4)
            rc = mg_refuse(m, "%s: resolved in part (an outcome, its time, who and a note go "
                              "together)",
                           label);
        else if (outcome && !one_of(outcome, OUTCOMES, 2))
            rc = mg_refuse(m, "%s: outcome '%s' is not upheld or rejected", label, outcome);
        else if (at && strcmp(at, opened) < 0)
            rc = mg_refuse(m, "%s: resolved (%s) before it was opened (%s)", label, at, opened);
        else if (sql_int(q, 5) < 1 || sql_int(q, 5) > arev)
            rc = mg_refuse(m, "%s: of revision %lld; the audit has revisions 1 to %lld", label,
                           sql_int(q, 5), arev);
        if (rc)
            break;
        ver t = {0};
        ser_put(&t.content, "audit", uuid);
        ser_put(&t.content, "opened_at", opened);
        ser_put(&t.content, "opened_by", sql_text(q, 3));
        ser_put(&t.content, "reason", sql_text(q, 4));
        ser_int(&t.content, "revision", sql_int(q, 5));
        ser_int(&t.content, "voided", sql_int(q, 6));
        ser_put(&t.content, "outcome", outcome);
        ser_put(&t.content, "resolved_by", sql_text(q, 8));
        ser_put(&t.content, "note", sql_text(q, 10));
        ser_put(&t.stamps, "resolved_at", at);
        ver_meta(&t, q, 11, m);
        int here = db_exists(m->db, "SELECT 1 FROM audit WHERE uuid = ?1", uuid, m->d);
        if (here < 0)
            rc = SVA_ERR_DB;
        /* one open appeal per audit and database that opened it */
        if (!rc && here && !outcome) {
            sql_stmt *o;
            if (db_prep(m->db,
                        "SELECT 1 FROM appeal p JOIN audit a ON a.id = p.audit_id WHERE"
                        " a.uuid = ?1 AND p.origin = ?2 AND p.outcome IS NULL AND NOT"
                        " (p.opened_at = ?3 AND p.opened_by = ?4)",
                        &o, m->d))
                rc = SVA_ERR_DB;
            else {
                sql_bind_text(o, 1, uuid);
                sql_bind_text(o, 2, t.origin);
                sql_bind_text(o, 3, opened);
                sql_bind_text(o, 4, sql_text(q, 3));
                int e = sql_step(o);
                sql_finalize(o);
                if (e == SQL_ROW)
                    rc = mg_refuse(m, "%s: a second open appeal of the audit made in one "
                                      "database",
                                   label);
                else if (e != SQL_DONE)
                    rc = db_fail(m->db, m->d, "cannot read appeals");
            }
        }
        if (!rc && (t.content.failed || t.stamps.failed))
            rc = SVA_ERR_NOMEM;
        if (!rc)
            rc = merge_version(m, k, &t, here > 0, &m->st->appeals_added, &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its appeals");
    sql_finalize(q);
    sql_finalize(rev);
    return rc;
}

/* ---- closes and reopens of cycles (schema 7) ------------------------------------------------ */

sva_error mg_closes(mg *m)
{
    static const mg_col cols[] = {{"id", K_INT, 0, 0},
                                  {"cycle_id", K_REF, 40, 0},
                                  {"closed_at", K_TIME, 20, F_EMPTY},
                                  {"closed_by", K_TEXT, 100, F_EMPTY},
                                  {"reopened_at", K_TIME, 20, F_NULL},
                                  {"reopened_by", K_TEXT, 100, F_NULL | F_EMPTY},
                                  {"reopen_reason", K_TEXT, 1000, F_NULL | F_NOTBLANK},
                                  MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "cycle_close", cols, MG_NCOLS(cols), "cycle_id, closed_at, id", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("close");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    char last[100] = "";
    long long seq = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        mg_row_label(q, "close", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        const char *cycle = sql_text(q, 1), *at = sql_text(q, 2), *re = sql_text(q, 4);
        snprintf(label, sizeof label, "close of cycle %s at %s", cycle, *at ? at : "(unknown)");
        char key[100];
        snprintf(key, sizeof key, "%s/%s", cycle, at);
        int given = !sql_is_null(q, 4) + !sql_is_null(q, 5) + !sql_is_null(q, 6);
        seq = strcmp(key, last) == 0 ? seq + 1 : 0;
        if (given != 0 && given != 3)
            rc = mg_refuse(m, "%s: reopened in part (its time, who and why go together)", label);
        else if (re && strcmp(re, at) < 0)
            rc = mg_refuse(m, "%s: reopened (%s) before it was closed", label, re);
        else
            rc = NEED_CYCLE(label, cycle);
        if (rc)
            break;
        snprintf(last, sizeof last, "%s", key);
        ver t = {0};
        ser_put(&t.content, "cycle", cycle);
        ser_put(&t.content, "closed_at", at);
        ser_int(&t.content, "seq", seq);
        for (int i = 3; i < 7; i++)
            ser_put(&t.content, CLOSE_NAMES[i], sql_text(q, i));
        ver_meta(&t, q, 7, m);
        /* a close is the cycle's: one made elsewhere than where the cycle was
         * made (its state then a conflict of the cycle) is not added */
        sql_stmt *o;
        int maker = -1;
        if (db_prep(m->db, "SELECT CASE WHEN origin = ?2 THEN 1 ELSE 0 END FROM cycle WHERE id = ?1", &o, m->d) == SVA_OK) {
            sql_bind_text(o, 1, cycle);
            sql_bind_text(o, 2, t.origin);
            maker = sql_step(o) == SQL_ROW ? (int)sql_int(o, 0) : -1;
            sql_finalize(o);
        }
        if (maker < 0)
            rc = db_fail(m->db, m->d, "cannot read a cycle");
        else
            rc = t.content.failed ? SVA_ERR_NOMEM
                                  : merge_version(m, k, &t, maker > 0, &m->st->closes_added,
                                                  &m->st->updated);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its closes");
    sql_finalize(q);
    return rc;
}

/* ---- an action's checks and carries (schema 7) ---------------------------------------------- */

/* Merge version @p t of a check or carry of action @p uuid: a change of the
 * action, taken from the database that made the action (as the action's own
 * changes are); one made elsewhere is already a conflict of the action and
 * is not added. */
static sva_error merge_of_action(mg *m, const kind_def *k, ver *t, const char *uuid,
                                 size_t *added)
{
    sql_stmt *o;
    if (db_prep(m->db, "SELECT origin FROM action WHERE uuid = ?1", &o, m->d))
        return SVA_ERR_DB;
    sql_bind_text(o, 1, uuid);
    int s = sql_step(o);
    /* (a pack copies the database: every row of its actions) */
    bool maker = s == SQL_ROW && (m->trusted || strcmp(sql_text(o, 0), t->origin) == 0);
    sql_finalize(o);
    if (s != SQL_ROW && s != SQL_DONE)
        return db_fail(m->db, m->d, "cannot read an action");
    if (s == SQL_DONE)
        return SVA_OK; /* an action out of this database's scope */
    if (t->content.failed || t->stamps.failed)
        return SVA_ERR_NOMEM;
    return merge_version(m, k, t, maker, added, &m->st->updated);
}

/* The file's checks and carries of action @p uuid (id v->file_action there)
 * made elsewhere than @p v, the action's version there, which is being kept
 * as a conflict: merge does not add them (see merge_of_action), so the
 * conflict keeps them after the action's fields, one line each ("check" or
 * "carry", each a version written down as merge would write it), for `--keep
 * there` to bring (keep_rows). Read again with the same file, they are the
 * same lines: the same conflict. (They are checked with the rest of the
 * file's rows later in the merge: a bad one refuses the whole file.) */
static sva_error with_rows(mg *m, const ver *v, const char *uuid, char **full)
{
    /* the columns of mg_action_checks / mg_action_carries: one layout (check_ver,
     * carry_ver) */
    static const char *const sql[2] = {
        "SELECT action_id, cycle_id, verified, n_answers, n_failed, at, actor, origin,"
        " sync_rev, changed_in FROM action_check WHERE action_id = ?1 ORDER BY cycle_id",
        "SELECT action_id, from_cycle, to_cycle, status, due_before, due_after, at, actor,"
        " origin, sync_rev, changed_in FROM action_carry WHERE action_id = ?1"
        " ORDER BY from_cycle"};
    sva_buf b = {0};
    sva_buf_puts(&b, *full);
    sva_error rc = SVA_OK;
    for (int w = 0; !rc && w < 2; w++) {
        sql_stmt *q;
        sva_diag tmp;
        sva_diag_init(&tmp);
        rc = sql_prepare(m->o, sql[w], &q, &tmp);
        sva_diag_clear(&tmp);
        if (rc) {
            rc = mg_unreadable(m, w ? "its action carries" : "its action checks");
            break;
        }
        sql_bind_int(q, 1, v->file_action);
        int r;
        while (!rc && (r = sql_step(q)) == SQL_ROW) {
            ver t = {0};
            (w ? carry_ver : check_ver)(&t, q, uuid, m);
            if (strcmp(t.origin, v->origin) == 0) {
                ver_free(&t);
                continue; /* the action maker's: merged as it is */
            }
            char *row = ver_full(&t);
            ver_free(&t);
            if (!row)
                rc = SVA_ERR_NOMEM;
            else
                ser_put(&b, w ? "carry" : "check", row);
            free(row);
        }
        if (!rc && r != SQL_DONE)
            rc = mg_unreadable(m, w ? "its action carries" : "its action checks");
        sql_finalize(q);
    }
    if (!rc && b.failed)
        rc = SVA_ERR_NOMEM;
    if (rc) {
        sva_buf_free(&b);
        return rc;
    }
    free(*full);
    *full = sva_buf_take(&b);
    return SVA_OK;
}

sva_error mg_action_checks(mg *m)
{
    static const mg_col cols[] = {{"action_id", K_INT, 0, 0},
                                  {"cycle_id", K_REF, 40, 0},
                                  {"verified", K_INT, 1, 0},
                                  {"n_answers", K_INT, 1000000, 0},
                                  {"n_failed", K_INT, 1000000, 0},
                                  {"at", K_TIME, 20, 0},
                                  {"actor", K_TEXT, 200, 0},
                                  MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "action_check", cols, MG_NCOLS(cols), "action_id, cycle_id", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("action check");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    long long last_id = -1;
    char last_cycle[48] = "";
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[160];
        mg_row_label(q, "action check", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        long long aid = sql_int(q, 0);
        const char *cycle = sql_text(q, 1), *uuid = mg_action_uuid(m, aid);
        if (!uuid) {
            rc = mg_refuse(m, "%s: of action %lld, which the file does not have", label, aid);
            break;
        }
        snprintf(label, sizeof label, "check of action %lld (%s) by cycle %s", aid, uuid, cycle);
        if (aid == last_id && strcmp(cycle, last_cycle) == 0)
            rc = mg_refuse(m, "%s: a second check of the action by the cycle", label);
        else if (sql_int(q, 4) > sql_int(q, 3))
            rc = mg_refuse(m, "%s: %lld of %lld answers failed", label, sql_int(q, 4),
                           sql_int(q, 3));
        else
            rc = NEED_CYCLE(label, cycle);
        if (rc)
            break;
        last_id = aid;
        snprintf(last_cycle, sizeof last_cycle, "%s", cycle);
        ver t = {0};
        check_ver(&t, q, uuid, m);
        rc = merge_of_action(m, k, &t, uuid, &m->st->checks_added);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its action checks");
    sql_finalize(q);
    return rc;
}

sva_error mg_action_carries(mg *m)
{
    static const mg_col cols[] = {{"action_id", K_INT, 0, 0},
                                  {"from_cycle", K_REF, 40, 0},
                                  {"to_cycle", K_REF, 40, 0},
                                  {"status", K_CHK, 20, 0},
                                  {"due_before", K_DATE, 10, F_NULL},
                                  {"due_after", K_DATE, 10, F_NULL},
                                  {"at", K_TIME, 20, 0},
                                  {"actor", K_TEXT, 200, 0},
                                  MG_SYNC_COLS};
    sql_stmt *q;
    if (mg_select(m, "action_carry", cols, MG_NCOLS(cols), "action_id, from_cycle", &q))
        return SVA_ERR_INVALID;
    const kind_def *k = kind_find("action carry");
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    long long last_id = -1;
    char last_cycle[48] = "";
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[200];
        mg_row_label(q, "action carry", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, MG_NCOLS(cols), label)))
            break;
        long long aid = sql_int(q, 0);
        const char *from = sql_text(q, 1), *to = sql_text(q, 2), *uuid = mg_action_uuid(m, aid);
        if (!uuid) {
            rc = mg_refuse(m, "%s: of action %lld, which the file does not have", label, aid);
            break;
        }
        snprintf(label, sizeof label, "carry of action %lld (%s) from cycle %s", aid, uuid,
                 from);
        if (aid == last_id && strcmp(from, last_cycle) == 0)
            rc = mg_refuse(m, "%s: a second carry of the action out of the cycle", label);
        else if (!one_of(sql_text(q, 3), STATUSES, MG_NCOLS(STATUSES)))
            rc = mg_refuse(m, "%s: status '%s' is not one of open, in_progress, done, verified, "
                              "reopened",
                           label, sql_text(q, 3));
        else if (strcmp(from, to) == 0)
            rc = mg_refuse(m, "%s: carried into the cycle it leaves", label);
        else if (sql_is_null(q, 4) && !sql_is_null(q, 5))
            rc = mg_refuse(m, "%s: a due date after the carry without one before", label);
        else if (!(rc = NEED_CYCLE(label, from)))
            rc = NEED_CYCLE(label, to);
        if (rc)
            break;
        last_id = aid;
        snprintf(last_cycle, sizeof last_cycle, "%s", from);
        ver t = {0};
        carry_ver(&t, q, uuid, m);
        rc = merge_of_action(m, k, &t, uuid, &m->st->carries_added);
        ver_free(&t);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its action carries");
    sql_finalize(q);
    return rc;
}

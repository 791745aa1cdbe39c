/* svcaudit: a database's identity (its UUID and name, in meta), the
 * databases it merged, and what `svcaudit info` shows (see sync.h). */
#include "db_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sva_error sva_db_identity(sva_db *db, sva_identity *out, sva_diag *d)
{
    memset(out, 0, sizeof *out);
    sql_stmt *q;
    if (db_prep(db, "SELECT key, value FROM meta WHERE key IN ('db_uuid', 'db_name')", &q, d))
        return SVA_ERR_DB;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        const char *k = sql_text(q, 0), *v = sql_text(q, 1);
        if (!v)
            continue;
        if (strcmp(k, "db_uuid") == 0)
            snprintf(out->uuid, sizeof out->uuid, "%s", v);
        else
            snprintf(out->name, sizeof out->name, "%s", v);
    }
    sql_finalize(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot read the database's identity");
    if (strlen(out->uuid) != 36) {
        sva_diag_add(d, db->path, 0, "the database has no identity (meta 'db_uuid')");
        return SVA_ERR_DB;
    }
    return SVA_OK;
}

sva_error sva_db_set_name(sva_db *db, const char *name, sva_diag *d)
{
    if (!sva_text_ok(name, 100, false) || sva_text_blank(name)) {
        sva_diag_add(d, NULL, 0, "--name: give the database a name (1-100 bytes of text, not "
                                 "blank), e.g. \"laptop Zhang\" or \"East office\"");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q;
    if (!(rc = db_prep(db, "UPDATE meta SET value = ?1 WHERE key = 'db_name'", &q, d))) {
        sql_bind_text(q, 1, name);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot name the database");
        sql_finalize(q);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* One number from a query without parameters; -1 on error. */
static long count(sva_db *db, const char *sql, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return -1;
    long n = sql_step(q) == SQL_ROW ? (long)sql_int(q, 0) : -1;
    if (n < 0)
        db_fail(db, d, "cannot count");
    sql_finalize(q);
    return n;
}

static bool fill_peer(sql_stmt *q, void *e)
{
    sva_peer *p = e;
    snprintf(p->uuid, sizeof p->uuid, "%s", sql_text(q, 0));
    p->merges = (long)sql_int(q, 2);
    p->audits = (long)sql_int(q, 4);
    p->actions = (long)sql_int(q, 5);
    p->last_merged_at = db_col_text(q, 3);
    return (p->name = db_col_text(q, 1)) && (p->last_merged_at || sql_is_null(q, 3));
}

static void clear_peer(void *e)
{
    sva_peer *p = e;
    free(p->name);
    free(p->last_merged_at);
}

sva_error sva_db_info_get(sva_db *db, sva_db_info *out, sva_diag *d)
{
    memset(out, 0, sizeof *out);
    sva_error rc = sva_db_identity(db, &out->id, d);
    if (rc)
        return rc;
    out->schema = sql_schema_version(db->c);
    struct {
        long *v;
        const char *sql;
    } counts[] = {
        {&out->stores, "SELECT count(*) FROM store"},
        {&out->employees, "SELECT count(*) FROM employee"},
        {&out->cycles, "SELECT count(*) FROM cycle"},
        {&out->checklist_versions, "SELECT count(*) FROM checklist_version"},
        {&out->audits, "SELECT count(*) FROM audit"},
        {&out->audits_void, "SELECT count(*) FROM audit WHERE voided_at IS NOT NULL"},
        {&out->actions, "SELECT count(*) FROM action"},
        {&out->audits_here, "SELECT count(*) FROM audit WHERE origin = ''"},
        {&out->actions_here, "SELECT count(*) FROM action WHERE origin = ''"},
        {&out->appeals, "SELECT count(*) FROM appeal"},
        {&out->appeals_open, "SELECT count(*) FROM appeal WHERE outcome IS NULL"},
        {&out->appeals_here, "SELECT count(*) FROM appeal WHERE origin = ''"},
        {&out->conflicts_open, "SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL"},
        {&out->closes, "SELECT count(*) FROM cycle_close"},
        {&out->closes_reopened, "SELECT count(*) FROM cycle_close WHERE reopened_at IS NOT NULL"},
        {&out->action_checks, "SELECT count(*) FROM action_check"},
        {&out->action_carries, "SELECT count(*) FROM action_carry"},
        {&out->events, "SELECT (SELECT count(*) FROM store_event)"
                       " + (SELECT count(*) FROM employee_event)"},
    };
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        if ((*counts[i].v = count(db, counts[i].sql, d)) < 0)
            return SVA_ERR_DB;
    /* every database a record here comes from, merged here or only heard of */
    sql_stmt *q;
    if (db_prep(db,
                "WITH o(uuid) AS (SELECT uuid FROM sync_peer UNION SELECT origin FROM audit"
                "  WHERE origin != '' UNION SELECT origin FROM action WHERE origin != '')"
                " SELECT o.uuid, coalesce(p.name, ''), coalesce(p.merges, 0), p.last_merged_at,"
                "  (SELECT count(*) FROM audit WHERE origin = o.uuid),"
                "  (SELECT count(*) FROM action WHERE origin = o.uuid)"
                " FROM o LEFT JOIN sync_peer p ON p.uuid = o.uuid"
                " ORDER BY coalesce(p.name, '') = '', p.name, o.uuid",
                &q, d))
        return SVA_ERR_DB;
    rc = db_collect(db, q, sizeof *out->peers, fill_peer, clear_peer, (void **)&out->peers,
                    &out->n_peers, "cannot list the databases merged", d);
    return rc;
}

void sva_db_info_clear(sva_db_info *info)
{
    for (size_t i = 0; info->peers && i < info->n_peers; i++)
        clear_peer(&info->peers[i]);
    free(info->peers);
    memset(info, 0, sizeof *info);
}

/* ---- conflicts ---------------------------------------------------------------------------- */

static void conflict_clear(sva_conflict *c)
{
    free(c->kind);
    free(c->key);
    free(c->sender);
    free(c->sender_name);
    free(c->found_at);
    free(c->resolved_at);
    free(c->resolved_by);
    free(c->kept);
    for (size_t i = 0; i < c->n_fields; i++) {
        free(c->fields[i].name);
        free(c->fields[i].here);
        free(c->fields[i].there);
    }
    free(c->fields);
}

void sva_conflicts_free(sva_conflict *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        conflict_clear(&v[i]);
    free(v);
}

static bool is_place(const char *name)
{
    return strcmp(name, "origin") == 0 || strcmp(name, "sync_rev") == 0 ||
           strcmp(name, "changed_in") == 0;
}

static bool add_field(sva_conflict *c, const char *name, const char *here, const char *there)
{
    sva_conflict_field *nf = realloc(c->fields, (c->n_fields + 1) * sizeof *nf);
    if (!nf)
        return false;
    c->fields = nf;
    sva_conflict_field *f = &nf[c->n_fields++];
    f->name = sva_strdup(name);
    f->here = sva_strdup(here);
    f->there = sva_strdup(there);
    return f->name && (f->here || !here) && (f->there || !there);
}

/* What differs between the version here (NULL: none) and there, but where
 * each was made. */
static sva_error diff(sva_conflict *c, const char *here, const char *there)
{
    ser_rec h = {0}, t = {0};
    if ((here && !ser_parse(here, &h)) || !ser_parse(there, &t)) {
        ser_free(&h);
        return SVA_ERR_NOMEM;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < t.n; i++) {
        if (is_place(t.v[i].name))
            continue;
        bool present;
        const char *hv = ser_get(&h, t.v[i].name, &present);
        const char *tv = t.v[i].value;
        if (here && present && ((!hv && !tv) || (hv && tv && strcmp(hv, tv) == 0)))
            continue;
        ok = add_field(c, t.v[i].name, hv, tv);
    }
    for (size_t i = 0; ok && i < h.n; i++) {
        bool present;
        ser_get(&t, h.v[i].name, &present);
        if (!is_place(h.v[i].name) && !present)
            ok = add_field(c, h.v[i].name, h.v[i].value, NULL);
    }
    ser_free(&h);
    ser_free(&t);
    return ok ? SVA_OK : SVA_ERR_NOMEM;
}

sva_error sva_db_conflicts(sva_db *db, bool all, sva_conflict **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT c.id, c.kind, c.key, c.there, c.sender,"
                " coalesce(nullif(c.sender_name, ''), p.name, ''), c.found_at, c.resolved_at,"
                " c.resolved_by, c.kept FROM sync_conflict c LEFT JOIN sync_peer p"
                " ON p.uuid = c.sender WHERE ?1 OR c.resolved_at IS NULL ORDER BY c.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_int(q, 1, all);
    sva_conflict *v = NULL;
    size_t cnt = 0;
    int r;
    sva_error rc = SVA_OK;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        sva_conflict *nv = realloc(v, (cnt + 1) * sizeof *nv);
        if (!nv) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        v = nv;
        sva_conflict *c = &v[cnt++];
        memset(c, 0, sizeof *c);
        c->id = sql_int(q, 0);
        c->kind = db_col_text(q, 1);
        c->key = db_col_text(q, 2);
        c->sender = db_col_text(q, 4);
        c->sender_name = db_col_text(q, 5);
        c->found_at = db_col_text(q, 6);
        c->resolved_at = db_col_text(q, 7);
        c->resolved_by = db_col_text(q, 8);
        c->kept = db_col_text(q, 9);
        char *there = db_col_text(q, 3), *here = NULL;
        if (!c->kind || !c->key || !there) {
            free(there);
            rc = SVA_ERR_NOMEM;
            break;
        }
        rc = sync_here_version(db, c->kind, there, &here, d);
        c->here_missing = !rc && !here;
        if (!rc)
            rc = diff(c, here, there);
        free(here);
        free(there);
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot list conflicts");
    sql_finalize(q);
    if (rc) {
        sva_conflicts_free(v, cnt);
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        return rc;
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error sva_db_conflict_resolve(sva_db *db, long long id, bool keep_there, const char *by,
                                  sva_diag *d)
{
    if (!sva_text_ok(by, 100, false) || sva_text_blank(by)) {
        sva_diag_add(d, NULL, 0, "--by: who settles it (1-100 bytes of text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL;
    char *kind = NULL, *there = NULL;
    if ((rc = db_prep(db,
                      "SELECT kind, there, resolved_at, resolved_by, kept FROM sync_conflict"
                      " WHERE id = ?1",
                      &q, d)))
        goto out;
    sql_bind_int(q, 1, id);
    int r = sql_step(q);
    if (r == SQL_DONE) {
        sva_diag_add(d, NULL, 0, "no conflict %lld (see 'svcaudit merge --conflicts')", id);
        rc = SVA_ERR_NOT_FOUND;
    } else if (r != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the conflict");
    } else if (!sql_is_null(q, 2)) {
        sva_diag_add(d, NULL, 0, "conflict %lld was settled on %s by %s (kept %s)", id,
                     sql_text(q, 2), sql_text(q, 3), sql_text(q, 4));
        rc = SVA_ERR_STATE;
    } else if (!(kind = db_col_text(q, 0)) || !(there = db_col_text(q, 1))) {
        rc = SVA_ERR_NOMEM;
    }
    sql_finalize(q);
    q = NULL;
    if (rc)
        goto out;
    if ((rc = db_exec(db, "INSERT INTO meta VALUES('sync_applying', '1')", d)) ||
        (rc = sync_keep(db, kind, there, keep_there, d)) ||
        (rc = db_exec(db, "DELETE FROM meta WHERE key = 'sync_applying'", d)))
        goto out;
    if ((rc = db_prep(db,
                      "UPDATE sync_conflict SET resolved_at = ?2, resolved_by = ?3, kept = ?4"
                      " WHERE id = ?1",
                      &q, d)))
        goto out;
    char now[32];
    db_now(now);
    sql_bind_int(q, 1, id);
    sql_bind_text(q, 2, now);
    sql_bind_text(q, 3, by);
    sql_bind_text(q, 4, keep_there ? "there" : "here");
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot settle the conflict");
out:
    sql_finalize(q);
    free(kind);
    free(there);
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

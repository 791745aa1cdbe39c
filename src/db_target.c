/* svcaudit: the store's Plan (see pdca.h): targets per cycle for the network,
 * a region or a store, set one by one or from a targets file. */
#include "db_internal.h"
#include "svcaudit/pdca.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sva_scope scope_parse(const char *s)
{
    return strcmp(s, "store") == 0 ? SVA_SCOPE_STORE
           : strcmp(s, "region") == 0 ? SVA_SCOPE_REGION
                                      : SVA_SCOPE_NETWORK;
}

bool sva_metric_valid(const char *metric, const sva_catalog *cat)
{
    if (!metric)
        return false;
    if (strcmp(metric, "ssi") == 0 || strcmp(metric, "csi") == 0 || strcmp(metric, "6s") == 0)
        return true;
    return sva_catalog_find(cat, metric) != NULL;
}

bool sva_metric_check(const char *metric, const sva_catalog *cat, const char *file, int line,
                      sva_diag *d)
{
    if (sva_metric_valid(metric, cat))
        return true;
    char near[600] = "";
    if (cat)
        sva_catalog_near(cat, metric, true, near, sizeof near);
    sva_diag_add(d, file, line, "unknown metric '%s'%s", metric ? metric : "",
                 *near ? near
                       : " (want ssi, csi, 6s or a checklist id; see 'svcaudit checklist list')");
    return false;
}

/* ---- targets ----------------------------------------------------------------------- */

static bool target_fields_ok(const sva_target *t, const sva_catalog *cat, const char *file,
                             sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(t->cycle)) {
        sva_diag_add(d, file, t->line, "bad cycle id '%s'", t->cycle ? t->cycle : "");
        ok = false;
    }
    if (!sva_metric_check(t->metric, cat, file, t->line, d))
        ok = false;
    if (!isfinite(t->value) || t->value < 0 || t->value > 100) {
        sva_diag_add(d, file, t->line, "target %g for '%s' is outside 0..100", t->value,
                     t->metric ? t->metric : "");
        ok = false;
    }
    return ok;
}

/* The cycle, store or region a target names exist (inside a transaction). */
static sva_error target_refs(sva_db *db, const sva_target *t, const char *file, sva_diag *d)
{
    sva_error rc = db_cycle_writable(db, t->cycle, "a target", file,
                                     t->cycle_line ? t->cycle_line : t->line, d);
    if (rc == SVA_ERR_DB)
        return rc;
    int ex;
    if (t->scope == SVA_SCOPE_STORE) {
        ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", t->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            db_unknown(db, SVA_REF_STORE, t->scope_id, file ? NULL : "--store", file,
                       t->scope_line ? t->scope_line : t->line, d); /* did you mean */
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        }
    } else if (t->scope == SVA_SCOPE_REGION) {
        ex = db_exists(db, "SELECT 1 FROM store WHERE region = ?1 AND region != ''",
                       t->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            db_unknown(db, SVA_REF_REGION, t->scope_id, file ? NULL : "--region", file,
                       t->scope_line ? t->scope_line : t->line, d);
            rc = rc ? rc : SVA_ERR_NOT_FOUND;
        }
    }
    return rc;
}

/* "target ssi network", "target 6s store SH-001": the object of the log line */
static void target_object(const sva_target *t, char *buf, size_t size)
{
    snprintf(buf, size, "target %s %s%s%s", t->metric, sva_scope_name(t->scope),
             t->scope == SVA_SCOPE_NETWORK ? "" : " ",
             t->scope == SVA_SCOPE_NETWORK ? "" : t->scope_id);
}

/* Set one target and log it as @p what (with @p file, may be NULL). */
static sva_error target_put(sva_db *db, const sva_target *t, const char *what, const char *file,
                            sva_diag *d)
{
    sql_stmt *q;
    bool had = false;
    double was = 0;
    if (db_prep(db,
                "SELECT value FROM target WHERE cycle_id = ?1 AND scope = ?2 AND scope_id = ?3"
                " AND metric = ?4",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, t->cycle);
    sql_bind_text(q, 2, sva_scope_name(t->scope));
    sql_bind_text(q, 3, t->scope == SVA_SCOPE_NETWORK ? "" : t->scope_id);
    sql_bind_text(q, 4, t->metric);
    if (sql_step(q) == SQL_ROW) {
        had = true;
        was = sql_double(q, 0);
    }
    sql_finalize(q);
    if (db_prep(db,
                "INSERT INTO target(cycle_id, scope, scope_id, metric, value, set_at)"
                " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(cycle_id, scope, scope_id, metric)"
                " DO UPDATE SET value = excluded.value, set_at = excluded.set_at"
                " WHERE target.value IS DISTINCT FROM excluded.value",
                &q, d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_bind_text(q, 1, t->cycle);
    sql_bind_text(q, 2, sva_scope_name(t->scope));
    sql_bind_text(q, 3, t->scope == SVA_SCOPE_NETWORK ? "" : t->scope_id);
    sql_bind_text(q, 4, t->metric);
    sql_bind_double(q, 5, t->value);
    sql_bind_text(q, 6, now);
    int r = sql_step(q);
    sql_finalize(q);
    if (r != SQL_DONE)
        return db_fail(db, d, "cannot store the target");
    char obj[200], prev[48] = "";
    target_object(t, obj, sizeof obj);
    if (had)
        snprintf(prev, sizeof prev, " (was %.1f)", was);
    return db_log(db, t->cycle, what, obj, d, "%.1f%s%s%s", t->value, prev, file ? " from " : "",
                  file ? file : "");
}

sva_error sva_db_target_set(sva_db *db, const sva_target *t, const sva_catalog *cat,
                            sva_diag *d)
{
    if (!target_fields_ok(t, cat, NULL, d))
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    rc = target_refs(db, t, NULL, d);
    if (!rc)
        rc = target_put(db, t, "target set", NULL, d);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_target_list(sva_db *db, const char *cycle, sva_target **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT cycle_id, scope, scope_id, metric, value FROM target"
                " WHERE ?1 IS NULL OR cycle_id = ?1 ORDER BY cycle_id,"
                " CASE scope WHEN 'network' THEN 0 WHEN 'region' THEN 1 ELSE 2 END,"
                " scope_id, metric",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    sva_target *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            sva_target *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sql_finalize(q);
                sva_targets_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        memset(&v[cnt], 0, sizeof v[cnt]);
        v[cnt].cycle = db_col_text(q, 0);
        v[cnt].scope = scope_parse(sql_text(q, 1));
        v[cnt].scope_id = db_col_text(q, 2);
        v[cnt].metric = db_col_text(q, 3);
        v[cnt].value = sql_double(q, 4);
        cnt++;
    }
    sql_finalize(q);
    if (r != SQL_DONE) {
        sva_targets_free(v, cnt);
        return db_fail(db, d, "cannot list targets");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error sva_db_targets_put(sva_db *db, const sva_target *v, size_t n, const char *file,
                             bool check_only, sva_diag *d)
{
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    size_t bad = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        /* a section's cycle and store are checked once, at its first target */
        if (i > 0 && v[i].cycle_line == v[i - 1].cycle_line &&
            v[i].scope_line == v[i - 1].scope_line)
            continue;
        sva_error e = target_refs(db, &v[i], file, d);
        if (e == SVA_ERR_DB)
            rc = e;
        else if (e)
            bad++;
    }
    for (size_t i = 0; !rc && !bad && !check_only && i < n; i++)
        rc = target_put(db, &v[i], "target import", file, d);
    if (!rc && bad)
        rc = SVA_ERR_NOT_FOUND;
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    return rc ? rc : rc2;
}

sva_error sva_db_target_unset(sva_db *db, const sva_target *t, sva_diag *d)
{
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL;
    const char *scope_id = t->scope == SVA_SCOPE_NETWORK ? "" : t->scope_id;
    if ((rc = db_cycle_writable(db, t->cycle, "unsetting a target", NULL, 0, d)))
        goto out;
    if ((rc = db_prep(db,
                      "DELETE FROM target WHERE cycle_id = ?1 AND scope = ?2 AND scope_id = ?3"
                      " AND metric = ?4 RETURNING value",
                      &q, d)))
        goto out;
    sql_bind_text(q, 1, t->cycle);
    sql_bind_text(q, 2, sva_scope_name(t->scope));
    sql_bind_text(q, 3, scope_id);
    sql_bind_text(q, 4, t->metric);
    int r = sql_step(q);
    char obj[200];
    target_object(t, obj, sizeof obj);
    if (r == SQL_DONE) {
        sva_diag_add(d, NULL, 0, "cycle %s has no %s to unset (see 'svcaudit target list --cycle %s')",
                     t->cycle, obj, t->cycle);
        rc = SVA_ERR_NOT_FOUND;
        goto out;
    }
    if (r != SQL_ROW) {
        rc = db_fail(db, d, "cannot unset the target");
        goto out;
    }
    double was = sql_double(q, 0);
    if (sql_step(q) != SQL_DONE) {
        rc = db_fail(db, d, "cannot unset the target");
        goto out;
    }
    rc = db_log(db, t->cycle, "target unset", obj, d, "unset (was %.1f)", was);
out:
    sql_finalize(q);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_target_copy(sva_db *db, const char *from, const char *to, size_t *copied,
                             size_t *kept, sva_diag *d)
{
    size_t nc = 0, nk = 0;
    if (from && to && strcmp(from, to) == 0) {
        sva_diag_add(d, NULL, 0, "--from and --to name the same cycle '%s'", from);
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_target *v = NULL;
    size_t n = 0;
    if ((rc = sva_db_ref_check(db, SVA_REF_CYCLE, from, "--from", d)) ||
        (rc = db_cycle_writable(db, to, "copying targets into it", NULL, 0, d)) ||
        (rc = sva_db_target_list(db, from, &v, &n, d)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        sva_target t = v[i];
        t.cycle = (char *)to;
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT 1 FROM target WHERE cycle_id = ?1 AND scope = ?2"
                          " AND scope_id = ?3 AND metric = ?4",
                          &q, d)))
            break;
        sql_bind_text(q, 1, to);
        sql_bind_text(q, 2, sva_scope_name(t.scope));
        sql_bind_text(q, 3, t.scope_id);
        sql_bind_text(q, 4, t.metric);
        bool has = sql_step(q) == SQL_ROW;
        sql_finalize(q);
        if (has) {
            nk++;
            continue;
        }
        char file[96];
        snprintf(file, sizeof file, "cycle %s", from);
        rc = target_put(db, &t, "target copy", file, d);
        nc++;
    }
out:
    sva_targets_free(v, n);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2) {
        if (copied)
            *copied = nc;
        if (kept)
            *kept = nk;
    }
    return rc ? rc : rc2;
}

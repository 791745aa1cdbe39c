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
    sva_diag_add(d, file, line,
                 "unknown metric '%s' (want ssi, csi, 6s or a checklist id; see 'svcaudit "
                 "checklist list')",
                 metric ? metric : "");
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
    int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", t->cycle, d);
    if (ex < 0)
        return SVA_ERR_DB;
    sva_error rc = SVA_OK;
    if (!ex) {
        sva_diag_add(d, file, t->cycle_line ? t->cycle_line : t->line,
                     "unknown cycle '%s' (see 'svcaudit cycle list')", t->cycle);
        rc = SVA_ERR_NOT_FOUND;
    }
    if (t->scope == SVA_SCOPE_STORE) {
        ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", t->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            sva_diag_add(d, file, t->scope_line ? t->scope_line : t->line, "unknown store '%s'",
                         t->scope_id);
            rc = SVA_ERR_NOT_FOUND;
        }
    } else if (t->scope == SVA_SCOPE_REGION) {
        ex = db_exists(db, "SELECT 1 FROM store WHERE region = ?1 AND region != ''",
                       t->scope_id, d);
        if (ex < 0)
            return SVA_ERR_DB;
        if (!ex) {
            sva_diag_add(d, file, t->scope_line ? t->scope_line : t->line,
                         "unknown region '%s' (no store is in it)", t->scope_id);
            rc = SVA_ERR_NOT_FOUND;
        }
    }
    return rc;
}

static sva_error target_put(sva_db *db, const sva_target *t, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO target(cycle_id, scope, scope_id, metric, value, set_at)"
                " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(cycle_id, scope, scope_id, metric)"
                " DO UPDATE SET value = excluded.value, set_at = excluded.set_at",
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
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot store the target");
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
        rc = target_put(db, t, d);
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
        rc = target_put(db, &v[i], d);
    if (!rc && bad)
        rc = SVA_ERR_NOT_FOUND;
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    return rc ? rc : rc2;
}

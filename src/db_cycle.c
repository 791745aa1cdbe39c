/* svcaudit: the store's Check and Act (see pdca.h): survey results, cycle
 * states, reasons for missed targets, the verification of done actions by a
 * later cycle's answers, and closing with carry-over. */
#include "db_internal.h"
#include "svcaudit/analysis.h"
#include "svcaudit/facts.h"
#include "svcaudit/pdca.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- surveys ------------------------------------------------------------------------- */

sva_error sva_db_surveys_put(sva_db *db, const sva_survey *v, size_t n, const char *file,
                             const int *lines, bool check_only, sva_import_stats *st,
                            sva_diag *d)
{
    sva_import_stats local = {0};
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *has = NULL, *put = NULL;
    if ((rc = db_prep(db, "SELECT 1 FROM survey WHERE cycle_id = ?1 AND store_id = ?2"
                          " AND metric = ?3",
                      &has, d)) ||
        (rc = db_prep(db,
                      "INSERT INTO survey(cycle_id, store_id, metric, value,"
                      " respondents, imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                      " ON CONFLICT(cycle_id, store_id, metric) DO UPDATE SET"
                      " value = excluded.value, respondents = excluded.respondents,"
                      " imported_at = excluded.imported_at",
                      &put, d))) {
        sql_finalize(has);
        db_end(db, false, d);
        return rc;
    }
    char now[32];
    db_now(now);
    size_t errors = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const sva_survey *s = &v[i];
        int line = lines ? lines[i] : 0;
        int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", s->cycle, d);
        if (ex < 0) {
            rc = SVA_ERR_DB;
            break;
        }
        if (!ex) {
            sva_diag_add(d, file, line, "unknown cycle '%s'", s->cycle);
            errors++;
            continue;
        }
        ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", s->store, d);
        if (ex < 0) {
            rc = SVA_ERR_DB;
            break;
        }
        if (!ex) {
            sva_diag_add(d, file, line, "unknown store '%s'", s->store);
            errors++;
            continue;
        }
        sql_reset(has);
        sql_bind_text(has, 1, s->cycle);
        sql_bind_text(has, 2, s->store);
        sql_bind_text(has, 3, s->metric);
        bool existed = sql_step(has) == SQL_ROW;
        sql_reset(put);
        sql_bind_text(put, 1, s->cycle);
        sql_bind_text(put, 2, s->store);
        sql_bind_text(put, 3, s->metric);
        sql_bind_double(put, 4, s->value);
        sql_bind_int(put, 5, s->respondents);
        sql_bind_text(put, 6, now);
        if (sql_step(put) != SQL_DONE) {
            rc = db_fail(db, d, "cannot store the survey value");
            break;
        }
        if (existed)
            st->updated++;
        else
            st->added++;
    }
    sql_finalize(has);
    sql_finalize(put);
    if (!rc && errors)
        rc = SVA_ERR_INVALID;
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    if (rc || rc2 || check_only)
        memset(st, 0, sizeof *st);
    return rc ? rc : rc2;
}

/* ---- cycle states, reasons, closing ------------------------------------------------------ */

static sva_error cycle_state(sva_db *db, const char *id, sva_cycle_state *st, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT state FROM cycle WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    if (r == SQL_ROW)
        *st = db_cycle_state_parse(sql_text(q, 0));
    else if (r == SQL_DONE) {
        sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", id);
        rc = SVA_ERR_NOT_FOUND;
    } else
        rc = db_fail(db, d, "cannot read the cycle");
    sql_finalize(q);
    return rc;
}

static sva_error put_state(sva_db *db, const char *id, sva_cycle_state st, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "UPDATE cycle SET state = ?2 WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, sva_cycle_state_name(st));
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot update the cycle");
}

sva_error sva_db_cycle_advance(sva_db *db, const char *id, sva_cycle_state *now, sva_diag *d)
{
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_cycle_state st = SVA_CYCLE_PLAN;
    rc = cycle_state(db, id, &st, d);
    if (!rc && st >= SVA_CYCLE_ACT) {
        sva_diag_add(d, NULL, 0,
                     st == SVA_CYCLE_CLOSED
                         ? "cycle '%s' is closed"
                         : "cycle '%s' is in act: close it with 'svcaudit cycle close %s'",
                     id, id);
        rc = SVA_ERR_STATE;
    }
    if (!rc) {
        st = (sva_cycle_state)(st + 1);
        rc = put_state(db, id, st, d);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && now)
        *now = st;
    return rc ? rc : rc2;
}

sva_error sva_db_cycle_reason(sva_db *db, const sva_catalog *cat, const char *cycle,
                              const char *store, const char *metric, const char *text,
                              sva_diag *d)
{
    if (!sva_text_ok(text, 2000, false)) {
        sva_diag_add(d, NULL, 0, "--text: give the reason (1-2000 bytes of UTF-8 text)");
        return SVA_ERR_INVALID;
    }
    if (!sva_metric_check(metric, cat, NULL, 0, d))
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_cycle_state st = SVA_CYCLE_PLAN;
    rc = cycle_state(db, cycle, &st, d);
    if (!rc && st == SVA_CYCLE_CLOSED) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is closed", cycle);
        rc = SVA_ERR_STATE;
    }
    if (!rc) {
        int ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", store, d);
        if (ex < 0)
            rc = SVA_ERR_DB;
        else if (!ex) {
            sva_diag_add(d, NULL, 0, "unknown store '%s'", store ? store : "");
            rc = SVA_ERR_NOT_FOUND;
        }
    }
    if (!rc) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "INSERT INTO cycle_reason(cycle_id, store_id, metric, text, at)"
                          " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(cycle_id, store_id, metric)"
                          " DO UPDATE SET text = excluded.text, at = excluded.at",
                          &q, d)) == SVA_OK) {
            char now[32];
            db_now(now);
            sql_bind_text(q, 1, cycle);
            sql_bind_text(q, 2, store);
            sql_bind_text(q, 3, metric);
            sql_bind_text(q, 4, text);
            sql_bind_text(q, 5, now);
            if (sql_step(q) != SQL_DONE)
                rc = db_fail(db, d, "cannot store the reason");
            sql_finalize(q);
        }
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_pdca_verify_actions(sva_db *db, const char *cycle, sva_verification **out,
                                  size_t *n_out, sva_diag *d)
{
    sva_verification *vs = NULL;
    size_t n_vs = 0;
    if (out) {
        *out = NULL;
        *n_out = 0;
    }
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
                      "SELECT count(*), coalesce(sum(CASE WHEN an.passed = 0 THEN 1 ELSE 0 END), 0)"
                      " FROM answer an"
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
        if (!rc && out) {
            sva_verification *nv = realloc(vs, (n_vs + 1) * sizeof *nv);
            if (!nv)
                rc = SVA_ERR_NOMEM;
            else {
                vs = nv;
                sva_verification *v = &nv[n_vs++];
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
    if (rc || rc2) {
        sva_verifications_free(vs, n_vs);
        return rc ? rc : rc2;
    }
    if (out) {
        *out = vs;
        *n_out = n_vs;
    }
    return SVA_OK;
}

sva_error sva_db_cycle_close(sva_db *db, const char *id, const char *today,
                             sva_close_report *rep, sva_diag *d)
{
    if (rep)
        memset(rep, 0, sizeof *rep);
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_cycle_state st = SVA_CYCLE_PLAN;
    sva_cycle_status *cs = NULL;
    char *next = NULL;
    size_t carried = 0;
    rc = cycle_state(db, id, &st, d);
    if (!rc && st == SVA_CYCLE_CLOSED) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is closed already", id);
        rc = SVA_ERR_STATE;
    }
    sva_cycle_facts *facts = NULL;
    if (!rc)
        rc = sva_db_cycle_facts(db, id, &facts, d);
    if (!rc) {
        char td[16];
        if (today)
            snprintf(td, sizeof td, "%s", today);
        else
            db_today(td);
        rc = sva_analysis_status(facts, td, &cs);
    }
    sva_cycle_facts_free(facts);
    size_t missing = 0;
    for (size_t i = 0; !rc && i < cs->n_rows; i++) {
        const sva_status_row *r = &cs->rows[i];
        if (r->scope != SVA_SCOPE_STORE || r->status != SVA_TARGET_MISSED)
            continue;
        if (!r->has_reason) {
            sva_diag_add(d, NULL, 0,
                         "store %s missed %s (%.1f < %.1f): no reason (svcaudit cycle reason %s "
                         "--store %s --metric %s --text ...)",
                         r->id, r->metric, r->actual, r->target, id, r->id, r->metric);
            missing++;
        }
        if (!r->n_actions) {
            sva_diag_add(d, NULL, 0,
                         "store %s missed %s: no action (svcaudit action add --cycle %s --store "
                         "%s --metric %s --set ...)",
                         r->id, r->metric, id, r->id, r->metric);
            missing++;
        }
    }
    if (!rc) { /* planned audits not done need a reason each, as missed targets do */
        long no_reason = db_plan_close_check(db, id, d);
        if (no_reason < 0)
            rc = SVA_ERR_DB;
        else
            missing += (size_t)no_reason;
    }
    if (!rc && missing)
        rc = SVA_ERR_STATE;
    /* open actions carry into the next cycle */
    long long *open_ids = NULL;
    size_t n_open = 0;
    if (!rc) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT id FROM action WHERE cycle_id = ?1 AND carried_to IS NULL"
                          " AND status IN ('open', 'in_progress', 'reopened') ORDER BY id",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            int r;
            while ((r = sql_step(q)) == SQL_ROW) {
                long long *nv = realloc(open_ids, (n_open + 1) * sizeof *nv);
                if (!nv) {
                    rc = SVA_ERR_NOMEM;
                    break;
                }
                open_ids = nv;
                open_ids[n_open++] = sql_int(q, 0);
            }
            sql_finalize(q);
        }
    }
    if (!rc && n_open) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT n.id FROM cycle n, cycle c WHERE c.id = ?1 AND n.id != c.id"
                          " AND n.date_from > c.date_to AND n.state != 'closed'"
                          " ORDER BY n.date_from, n.id LIMIT 1",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            if (sql_step(q) == SQL_ROW)
                next = db_col_text(q, 0);
            sql_finalize(q);
        }
        if (!rc && !next) {
            sva_diag_add(d, NULL, 0,
                         "%zu open action%s must carry into the next cycle: open it first "
                         "(svcaudit cycle open ID --from DATE --to DATE)",
                         n_open, n_open == 1 ? "" : "s");
            rc = SVA_ERR_STATE;
        }
        for (size_t i = 0; !rc && i < n_open; i++) {
            rc = db_carry_action(db, open_ids[i], next, d);
            if (!rc)
                carried++;
        }
    }
    free(open_ids);
    if (!rc)
        rc = put_state(db, id, SVA_CYCLE_CLOSED, d);
    sva_cycle_status_free(cs);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && rep) {
        rep->next_cycle = next;
        rep->carried = carried;
        next = NULL;
    }
    free(next);
    return rc ? rc : rc2;
}

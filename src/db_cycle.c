/* svcaudit: the store's Check and Act (see pdca.h): survey results, cycle
 * states, reasons for missed targets, the verification of done actions by a
 * later cycle's answers, and closing with carry-over. */
#include "db_internal.h"
#include "svcaudit/analysis.h"
#include "svcaudit/facts.h"
#include "svcaudit/pdca.h"
#include "svcaudit/report.h"
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
                      "INSERT INTO survey(cycle_id, store_id, metric, value, respondents,"
                      " imported_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                      " ON CONFLICT(cycle_id, store_id, metric) DO UPDATE SET"
                      " value = excluded.value, respondents = excluded.respondents,"
                      " imported_at = excluded.imported_at"
                      " WHERE survey.value IS DISTINCT FROM excluded.value"
                      " OR survey.respondents IS DISTINCT FROM excluded.respondents",
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
            db_unknown(db, SVA_REF_CYCLE, s->cycle, NULL, file, line, d); /* did you mean */
            errors++;
            continue;
        }
        sva_error w = db_cycle_writable(db, s->cycle, "a survey import", file, line, d);
        if (w == SVA_ERR_DB) {
            rc = w;
            break;
        }
        if (w) {
            errors++;
            continue;
        }
        ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", s->store, d);
        if (ex < 0) {
            rc = SVA_ERR_DB;
            break;
        }
        if (!ex) {
            db_unknown(db, SVA_REF_STORE, s->store, NULL, file, line, d);
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
        char obj[160];
        snprintf(obj, sizeof obj, "survey %s %s", s->store, s->metric);
        if (!check_only && (rc = db_log(db, s->cycle, "survey import", obj, d,
                                        "%.1f (%ld respondents)%s%s%s", s->value,
                                        s->respondents, existed ? ", replacing the earlier one" : "",
                                        file ? " from " : "", file ? file : "")))
            break;
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
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "cycle %s", id);
        rc = db_log(db, id, "cycle advance", obj, d, "%s -> %s",
                    sva_cycle_state_name((sva_cycle_state)(st - 1)), sva_cycle_state_name(st));
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2 && now)
        *now = st;
    return rc ? rc : rc2;
}

/* A reason explains a missed target: refused (SVA_ERR_STATE) when @p store
 * met its target on @p metric in @p cycle. What the status cannot tell (an
 * unknown cycle or store) is left to the write's own checks. */
static sva_error reason_for_missed(sva_db *db, const char *cycle, const char *store,
                                   const char *metric, sva_diag *d)
{
    sva_diag quiet;
    sva_diag_init(&quiet);
    sva_cycle_status *cs = NULL;
    char today[11];
    sva_today(today);
    sva_error rc = SVA_OK;
    if (sva_analysis_cycle_status(db, cycle, today, &cs, &quiet) == SVA_OK) {
        for (size_t i = 0; i < cs->n_rows; i++) {
            const sva_status_row *r = &cs->rows[i];
            if (r->scope != SVA_SCOPE_STORE || strcmp(r->id, store) != 0 ||
                strcmp(r->metric, metric) != 0 || r->status != SVA_TARGET_MET)
                continue;
            sva_diag_add(d, NULL, 0,
                         "--metric %s: store %s met its target in %s (%.1f %% against %.1f %%): "
                         "a reason is for a missed target",
                         metric, store, cycle, r->actual, r->target);
            rc = SVA_ERR_STATE;
        }
        sva_cycle_status_free(cs);
    }
    sva_diag_clear(&quiet);
    return rc;
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
    sva_error rc = reason_for_missed(db, cycle, store, metric, d);
    if (rc)
        return rc;
    if ((rc = db_begin(db, d)))
        return rc;
    rc = db_cycle_writable(db, cycle, "a reason", NULL, 0, d);
    if (!rc) {
        int ex = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", store, d);
        if (ex < 0)
            rc = SVA_ERR_DB;
        else if (!ex) {
            db_unknown(db, SVA_REF_STORE, store, "--store", NULL, 0, d); /* did you mean */
            rc = SVA_ERR_NOT_FOUND;
        }
    }
    if (!rc) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "INSERT INTO cycle_reason(cycle_id, store_id, metric, text, at)"
                          " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(cycle_id, store_id, metric)"
                          " DO UPDATE SET text = excluded.text, at = excluded.at"
                          " WHERE cycle_reason.text IS DISTINCT FROM excluded.text",
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
    if (!rc) {
        char obj[160];
        snprintf(obj, sizeof obj, "reason %s %s", store, metric);
        rc = db_log(db, cycle, "reason", obj, d, "%s", text);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* Write what @p cycle's answers decide about done actions of earlier cycles
 * (inside the close's transaction): the status, a history line, the check;
 * an action reopened in a closed cycle is carried on with the cycle's own
 * open actions (its id goes to *reopened_ids). */
static sva_error apply_verifications(sva_db *db, const char *cycle, const sva_cycle_status *cs,
                                     long long **carry, size_t *n_carry,
                                     sva_close_report *rep, sva_diag *d)
{
    sql_stmt *st = NULL, *chk = NULL, *home = NULL;
    sva_error rc;
    if ((rc = db_prep(db, "UPDATE action SET status = ?2, updated_at = ?3 WHERE id = ?1", &st,
                      d)) ||
        (rc = db_prep(db,
                      "INSERT INTO action_check(action_id, cycle_id, verified, n_answers,"
                      " n_failed, at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                      " ON CONFLICT(action_id, cycle_id) DO UPDATE SET"
                      " verified = excluded.verified, n_answers = excluded.n_answers,"
                      " n_failed = excluded.n_failed, at = excluded.at, actor = excluded.actor",
                      &chk, d)) ||
        (rc = db_prep(db,
                      "SELECT c.state = 'closed' AND x.carried_to IS NULL FROM action x"
                      " JOIN cycle c ON c.id = x.cycle_id WHERE x.id = ?1",
                      &home, d)))
        goto out;
    char now[32];
    db_now(now);
    for (size_t i = 0; !rc && i < cs->n_verifications; i++) {
        const sva_verification *v = &cs->verifications[i];
        sql_reset(st);
        sql_bind_int(st, 1, v->action_id);
        sql_bind_text(st, 2, v->confirmed ? "verified" : "reopened");
        sql_bind_text(st, 3, now);
        if (sql_step(st) != SQL_DONE) {
            rc = db_fail(db, d, "cannot update an action");
            break;
        }
        sql_reset(chk);
        sql_bind_int(chk, 1, v->action_id);
        sql_bind_text(chk, 2, cycle);
        sql_bind_int(chk, 3, v->confirmed);
        sql_bind_int(chk, 4, v->n_answers);
        sql_bind_int(chk, 5, v->n_failed);
        sql_bind_text(chk, 6, now);
        sql_bind_text(chk, 7, sva_db_actor(db));
        if (sql_step(chk) != SQL_DONE) {
            rc = db_fail(db, d, "cannot record an action's check");
            break;
        }
        char *change = sva_asprintf("%s by cycle %s: %ld of %ld answers failed",
                                    v->confirmed ? "verified" : "reopened", cycle, v->n_failed,
                                    v->n_answers);
        if (!change) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        rc = db_action_history(db, v->action_id, NULL, change, d);
        char obj[48];
        snprintf(obj, sizeof obj, "action %lld", v->action_id);
        if (!rc)
            rc = db_log(db, cycle, "action check", obj, d, "%s", change);
        free(change);
        if (rc)
            break;
        if (v->confirmed) {
            rep->verified++;
            continue;
        }
        rep->reopened++;
        sql_reset(home);
        sql_bind_int(home, 1, v->action_id);
        int r = sql_step(home);
        if (r != SQL_ROW) {
            rc = db_fail(db, d, "cannot read an action");
            break;
        }
        if (sql_int(home, 0)) { /* reopened where nobody works any more: it moves on */
            long long *nv = realloc(*carry, (*n_carry + 1) * sizeof *nv);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            *carry = nv;
            (*carry)[(*n_carry)++] = v->action_id;
        }
    }
out:
    sql_finalize(st);
    sql_finalize(chk);
    sql_finalize(home);
    return rc;
}

sva_error sva_db_cycle_close(sva_db *db, const char *id, const char *today, const char *due,
                             sva_close_report *rep, sva_diag *d)
{
    char td[16];
    if (today)
        snprintf(td, sizeof td, "%s", today);
    else
        db_today(td);
    if (due && (!sva_parse_date(due) || strcmp(due, td) < 0)) {
        sva_diag_add(d, NULL, 0,
                     "--due %s is %s: the actions carried on would arrive overdue", due,
                     sva_parse_date(due) ? "before today" : "not a date");
        return SVA_ERR_INVALID;
    }
    if (rep)
        memset(rep, 0, sizeof *rep);
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_cycle_state st = SVA_CYCLE_PLAN;
    sva_cycle_status *cs = NULL;
    char *next = NULL;
    size_t carried = 0;
    sva_close_report local = {0};
    if (!rep)
        rep = &local;
    rc = cycle_state(db, id, &st, d);
    if (!rc && st == SVA_CYCLE_CLOSED) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is closed already", id);
        rc = SVA_ERR_STATE;
    }
    sva_cycle_facts *facts = NULL;
    if (!rc)
        rc = sva_db_cycle_facts(db, id, &facts, d);
    if (!rc)
        rc = sva_analysis_status(facts, td, &cs);
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
    /* an open appeal: the figure it disputes is not settled */
    if (!rc) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT a.id, a.store_id FROM appeal p JOIN audit a ON a.id = p.audit_id"
                          " WHERE a.cycle_id = ?1 AND p.outcome IS NULL ORDER BY a.id",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            int r;
            while ((r = sql_step(q)) == SQL_ROW) {
                sva_diag_add(d, NULL, 0,
                             "audit %lld (%s) has an open appeal (svcaudit audit resolve %lld "
                             "--upheld|--rejected --note TEXT)",
                             sql_int(q, 0), sql_text(q, 1), sql_int(q, 0));
                missing++;
            }
            if (r != SQL_DONE)
                rc = db_fail(db, d, "cannot read appeals");
            sql_finalize(q);
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
    /* the Act step's check of done actions by this cycle's answers, then the
     * open actions (and those it reopened in closed cycles) carry on */
    long long *open_ids = NULL;
    size_t n_open = 0;
    if (!rc)
        rc = apply_verifications(db, id, cs, &open_ids, &n_open, rep, d);
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
    char due_past[16] = "";
    if (!rc && n_open) {
        sql_stmt *q;
        if ((rc = db_prep(db,
                          "SELECT n.id, n.date_to FROM cycle n, cycle c WHERE c.id = ?1"
                          " AND n.id != c.id AND n.date_from > c.date_to"
                          " AND n.state != 'closed' ORDER BY n.date_from, n.id LIMIT 1",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            if (sql_step(q) == SQL_ROW) {
                next = db_col_text(q, 0);
                /* a due date already past moves to --due, else to the end of the
                 * cycle it goes into, else (closing late) to today: none arrives
                 * overdue */
                const char *end = sql_text(q, 1);
                snprintf(due_past, sizeof due_past, "%s",
                         due ? due : strcmp(end, td) < 0 ? td : end);
            }
            sql_finalize(q);
        }
        if (!rc && !next) {
            /* the next step, with the one date it can name: the day after this
             * cycle ends (a later start works too: the first one after is next) */
            char from[11];
            if (!cs->to || !sva_next_day(cs->to, from))
                snprintf(from, sizeof from, "DATE");
            sva_diag_add(d, NULL, 0,
                         "%zu open action%s must carry into the next cycle, and no open "
                         "cycle follows %s: open it first (svcaudit cycle open ID --from %s "
                         "--to DATE)",
                         n_open, n_open == 1 ? "" : "s", id, from);
            rc = SVA_ERR_STATE;
        }
        for (size_t i = 0; !rc && i < n_open; i++) {
            rc = db_carry_action(db, open_ids[i], next, td, due_past, d);
            if (!rc)
                carried++;
        }
    }
    free(open_ids);
    if (!rc)
        rc = put_state(db, id, SVA_CYCLE_CLOSED, d);
    if (!rc) {
        sql_stmt *q;
        char now[32];
        db_now(now);
        if ((rc = db_prep(db,
                          "INSERT INTO cycle_close(cycle_id, closed_at, closed_by)"
                          " VALUES(?1, ?2, ?3)",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            sql_bind_text(q, 2, now);
            sql_bind_text(q, 3, sva_db_actor(db));
            if (sql_step(q) != SQL_DONE)
                rc = db_fail(db, d, "cannot record the close");
            sql_finalize(q);
        }
    }
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "cycle %s", id);
        rc = db_log(db, id, "cycle close", obj, d,
                    "%zu done action%s verified, %zu reopened; %zu carried%s%s", rep->verified,
                    rep->verified == 1 ? "" : "s", rep->reopened, carried, next ? " into " : "",
                    next ? next : "");
    }
    sva_cycle_status_free(cs);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc && !rc2) {
        rep->next_cycle = next;
        rep->carried = carried;
        next = NULL;
    } else {
        rep->verified = rep->reopened = 0;
    }
    free(next);
    return rc ? rc : rc2;
}

sva_error sva_db_cycle_reopen(sva_db *db, const char *id, const char *reason, sva_diag *d)
{
    if (!sva_text_ok(reason, 1000, false) || sva_text_blank(reason)) {
        sva_diag_add(d, NULL, 0, "--reason: give the reason (1-1000 bytes of UTF-8 text)");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sva_cycle_state st = SVA_CYCLE_PLAN;
    rc = cycle_state(db, id, &st, d);
    if (!rc && st != SVA_CYCLE_CLOSED) {
        sva_diag_add(d, NULL, 0, "cycle '%s' is not closed (it is in %s)", id,
                     sva_cycle_state_name(st));
        rc = SVA_ERR_STATE;
    }
    if (!rc)
        rc = put_state(db, id, SVA_CYCLE_ACT, d);
    if (!rc) {
        sql_stmt *q;
        char now[32];
        db_now(now);
        if ((rc = db_prep(db,
                          "UPDATE cycle_close SET reopened_at = ?2, reopened_by = ?3,"
                          " reopen_reason = ?4 WHERE id = (SELECT max(id) FROM cycle_close"
                          "  WHERE cycle_id = ?1 AND reopened_at IS NULL)",
                          &q, d)) == SVA_OK) {
            sql_bind_text(q, 1, id);
            sql_bind_text(q, 2, now);
            sql_bind_text(q, 3, sva_db_actor(db));
            sql_bind_text(q, 4, reason);
            if (sql_step(q) != SQL_DONE)
                rc = db_fail(db, d, "cannot record the reopening");
            sql_finalize(q);
        }
    }
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "cycle %s", id);
        rc = db_log(db, id, "cycle reopen", obj, d, "%s", reason);
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

static bool fill_close(sql_stmt *q, void *e)
{
    sva_cycle_close *c = e;
    if (!sql_is_null(q, 2) &&
        (!(c->reopened_at = db_col_text(q, 2)) || !(c->reopened_by = db_col_text(q, 3)) ||
         !(c->reason = db_col_text(q, 4))))
        return false;
    return (c->closed_at = db_col_text(q, 0)) && (c->closed_by = db_col_text(q, 1));
}

static void clear_close(void *e)
{
    sva_cycle_close *c = e;
    free(c->closed_at);
    free(c->closed_by);
    free(c->reopened_at);
    free(c->reopened_by);
    free(c->reason);
}

void sva_cycle_closes_free(sva_cycle_close *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_close(&v[i]);
    free(v);
}

sva_error sva_db_cycle_closes(sva_db *db, const char *id, sva_cycle_close **out, size_t *n,
                              sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT closed_at, closed_by, reopened_at, coalesce(reopened_by, ''),"
                " coalesce(reopen_reason, '') FROM cycle_close WHERE cycle_id = ?1 ORDER BY id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    return db_collect(db, q, sizeof **out, fill_close, clear_close, (void **)out, n,
                      "cannot read the cycle's closes", d);
}

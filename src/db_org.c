/* svcaudit: the organisation over time in the store (see db.h): stores
 * active or not from a day, employees moving between stores or leaving,
 * each cycle's stores as they were in it, and deleting an empty cycle. */
#include "db_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sva_error org_log(sva_db *db, const char *what, const char *kind, const char *id,
                         sva_diag *d, const char *detail)
{
    char obj[96];
    snprintf(obj, sizeof obj, "%s %s", kind, id);
    return db_log(db, NULL, what, obj, d, "%s", detail);
}

sva_error sva_db_store_set_active(sva_db *db, const char *id, bool active, const char *from,
                                  sva_diag *d)
{
    if (!sva_parse_date(from)) {
        sva_diag_add(d, NULL, 0, "--from: '%s' is not a date (want YYYY-MM-DD)", from ? from : "");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL;
    if ((rc = sva_db_ref_check(db, SVA_REF_STORE, id, NULL, d)) ||
        (rc = db_after_closed(db, from, "--from", d)))
        goto out;
    if ((rc = db_prep(db, "SELECT " DB_STORE_ACTIVE_SQL("?1", "?2"), &q, d)))
        goto out;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, from);
    if (sql_step(q) != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the store");
        goto out;
    }
    if ((sql_int(q, 0) != 0) == active) {
        sva_diag_add(d, NULL, 0, "store '%s' is %s on %s already", id,
                     active ? "active" : "inactive", from);
        rc = SVA_ERR_STATE;
        goto out;
    }
    sql_finalize(q);
    q = NULL;
    char now[32];
    db_now(now);
    if ((rc = db_prep(db,
                      "INSERT INTO store_event(store_id, from_date, at, active, actor, seq)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, " DB_EVENT_SEQ("store_event", "store_id") ")",
                      &q, d)))
        goto out;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, from);
    sql_bind_text(q, 3, now);
    sql_bind_int(q, 4, active);
    sql_bind_text(q, 5, sva_db_actor(db));
    if (sql_step(q) != SQL_DONE) {
        rc = db_fail(db, d, "cannot record the store's change");
        goto out;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s from %s", active ? "active" : "inactive", from);
    rc = org_log(db, active ? "store reactivate" : "store deactivate", "store", id, d, detail);
out:
    sql_finalize(q);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_employee_move(sva_db *db, const char *id, const char *store, const char *from,
                               sva_diag *d)
{
    if (!sva_parse_date(from)) {
        sva_diag_add(d, NULL, 0, "--from: '%s' is not a date (want YYYY-MM-DD)", from ? from : "");
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL;
    char *was = NULL;
    if ((rc = sva_db_ref_check(db, SVA_REF_EMPLOYEE, id, NULL, d)) ||
        (store && (rc = sva_db_ref_check(db, SVA_REF_STORE, store, "--store", d))) ||
        (rc = db_after_closed(db, from, "--from", d)))
        goto out;
    if (store) {
        if ((rc = db_prep(db, "SELECT " DB_STORE_ACTIVE_SQL("?1", "?2"), &q, d)))
            goto out;
        sql_bind_text(q, 1, store);
        sql_bind_text(q, 2, from);
        bool active = sql_step(q) == SQL_ROW && sql_int(q, 0);
        sql_finalize(q);
        q = NULL;
        if (!active) {
            sva_diag_add(d, NULL, 0, "--store: store '%s' is not active on %s", store, from);
            rc = SVA_ERR_STATE;
            goto out;
        }
    }
    if ((rc = db_prep(db,
                      "SELECT " DB_EMPLOYEE_STORE_SQL("e", "?2") " FROM employee e WHERE e.id = ?1",
                      &q, d)))
        goto out;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, from);
    if (sql_step(q) != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the employee");
        goto out;
    }
    was = db_col_text(q, 0);
    sql_finalize(q);
    q = NULL;
    if ((!was && !store) || (was && store && strcmp(was, store) == 0)) {
        sva_diag_add(d, NULL, 0, "employee '%s' %s%s on %s already", id,
                     store ? "works at " : "works at no store", store ? store : "", from);
        rc = SVA_ERR_STATE;
        goto out;
    }
    char now[32];
    db_now(now);
    /* the first change: where the employee worked until then, as the first event */
    if ((rc = db_prep(db,
                      "INSERT INTO employee_event(employee_id, from_date, store_id, at, actor,"
                      " seq) SELECT id, ?2, store_id, ?3, ?4, "
                      DB_EVENT_SEQ("employee_event", "employee_id") " FROM employee WHERE id = ?1"
                      " AND NOT EXISTS (SELECT 1 FROM employee_event WHERE employee_id = ?1)",
                      &q, d)))
        goto out;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, "");
    sql_bind_text(q, 3, now);
    sql_bind_text(q, 4, sva_db_actor(db));
    if (sql_step(q) != SQL_DONE) {
        rc = db_fail(db, d, "cannot record the employee's change");
        goto out;
    }
    sql_finalize(q);
    if ((rc = db_prep(db,
                      "INSERT INTO employee_event(employee_id, from_date, at, store_id, actor,"
                      " seq) VALUES(?1, ?2, ?3, ?4, ?5, "
                      DB_EVENT_SEQ("employee_event", "employee_id") ")",
                      &q, d)))
        goto out;
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, from);
    sql_bind_text(q, 3, now);
    sql_bind_text(q, 4, store);
    sql_bind_text(q, 5, sva_db_actor(db));
    if (sql_step(q) != SQL_DONE) {
        rc = db_fail(db, d, "cannot record the employee's change");
        goto out;
    }
    /* the employee row names the last store worked at (for lists of people) */
    if ((rc = db_employee_store_from_events(db, id, d)))
        goto out;
    char detail[160];
    if (store)
        snprintf(detail, sizeof detail, "from %s at %s (was %s)", from, store,
                 was ? was : "at no store");
    else
        snprintf(detail, sizeof detail, "at no store from %s (was at %s)", from, was);
    rc = org_log(db, store ? "employee move" : "employee deactivate", "employee", id, d, detail);
out:
    sql_finalize(q);
    free(was);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error db_employee_store_from_events(sva_db *db, const char *id, sva_diag *d)
{
#define LAST_STORE                                                                            \
    "(SELECT ev.store_id FROM employee_event ev WHERE ev.employee_id = employee.id"          \
    " AND ev.store_id IS NOT NULL ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1)"
    sql_stmt *q;
    if (db_prep(db,
                "UPDATE employee SET store_id = " LAST_STORE " WHERE (?1 IS NULL OR id = ?1)"
                " AND " LAST_STORE " IS NOT NULL AND store_id != " LAST_STORE,
                &q, d))
        return SVA_ERR_DB;
#undef LAST_STORE
    sql_bind_text(q, 1, id);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot record the employee's change");
}

static bool fill_store_on(sql_stmt *q, void *e)
{
    sva_store_on *x = e;
    if (!sql_is_null(q, 3) && !(x->inactive_from = db_col_text(q, 3)))
        return false;
    return (x->s.id = db_col_text(q, 0)) && (x->s.name = db_col_text(q, 1)) &&
           (x->s.region = db_col_text(q, 2));
}

static void clear_store_on(void *e)
{
    sva_store_on *x = e;
    free(x->s.id);
    free(x->s.name);
    free(x->s.region);
    free(x->inactive_from);
}

void sva_stores_on_free(sva_store_on *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_store_on(&v[i]);
    free(v);
}

sva_error sva_db_store_list_on(sva_db *db, const char *on, sva_store_on **out, size_t *n,
                               sva_diag *d)
{
    char today[16];
    if (!on) {
        db_today(today);
        on = today;
    }
    sql_stmt *q;
    /* inactive on @p on: since the day its latest event (or, before it opened,
     * its first) says so */
    if (db_prep(db,
                "SELECT id, name, region, CASE WHEN " DB_STORE_ACTIVE_SQL("s.id", "?1")
                " THEN NULL ELSE coalesce((SELECT ev.from_date FROM store_event ev"
                "  WHERE ev.store_id = s.id AND ev.from_date <= ?1"
                "  ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1), '') END"
                " FROM store s ORDER BY region, id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, on);
    return db_collect(db, q, sizeof **out, fill_store_on, clear_store_on, (void **)out, n,
                      "cannot list stores", d);
}

static bool fill_employee_on(sql_stmt *q, void *e)
{
    sva_employee_on *x = e;
    if (!sql_is_null(q, 4) && !(x->inactive_from = db_col_text(q, 4)))
        return false;
    return (x->e.id = db_col_text(q, 0)) && (x->e.name = db_col_text(q, 1)) &&
           (x->e.store = db_col_text(q, 2)) && (x->e.role = db_col_text(q, 3));
}

static void clear_employee_on(void *e)
{
    sva_employee_on *x = e;
    free(x->e.id);
    free(x->e.name);
    free(x->e.store);
    free(x->e.role);
    free(x->inactive_from);
}

void sva_employees_on_free(sva_employee_on *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        clear_employee_on(&v[i]);
    free(v);
}

sva_error sva_db_employee_list_on(sva_db *db, const char *store, const char *on,
                                  sva_employee_on **out, size_t *n, sva_diag *d)
{
    char today[16];
    if (!on) {
        db_today(today);
        on = today;
    }
    sql_stmt *q;
    if (db_prep(db,
                "SELECT id, name, coalesce(at, (SELECT ev.store_id FROM employee_event ev"
                "  WHERE ev.employee_id = x.id AND ev.store_id IS NOT NULL AND ev.from_date <= ?1"
                "  ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1), store_id), role,"
                " CASE WHEN at IS NULL"
                " AND has THEN (SELECT ev.from_date FROM employee_event ev"
                "  WHERE ev.employee_id = x.id AND ev.from_date <= ?1"
                "  ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1) END"
                " FROM (SELECT e.*, " DB_EMPLOYEE_STORE_SQL("e", "?1") " AS at,"
                "  EXISTS (SELECT 1 FROM employee_event ev WHERE ev.employee_id = e.id) AS has"
                "  FROM employee e) x WHERE ?2 IS NULL OR coalesce(at, store_id) = ?2"
                " ORDER BY coalesce(at, store_id), id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, on);
    sql_bind_text(q, 2, store);
    return db_collect(db, q, sizeof **out, fill_employee_on, clear_employee_on, (void **)out, n,
                      "cannot list employees", d);
}

static bool fill_store(sql_stmt *q, void *e)
{
    sva_store *s = e;
    return (s->id = db_col_text(q, 0)) && (s->name = db_col_text(q, 1)) &&
           (s->region = db_col_text(q, 2));
}

static void clear_store(void *e)
{
    sva_store *s = e;
    free(s->id);
    free(s->name);
    free(s->region);
}

sva_error sva_db_cycle_stores(sva_db *db, const char *cycle, sva_store **out, size_t *n,
                              sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db,
                "SELECT s.id, s.name, s.region FROM store s, cycle c WHERE c.id = ?1"
                " AND (" DB_STORE_IN_CYCLE_SQL("s.id", "c.date_from", "c.date_to")
                "  OR EXISTS (SELECT 1 FROM audit a WHERE a.cycle_id = c.id"
                "   AND a.store_id = s.id))"
                " ORDER BY s.region, s.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    return db_collect(db, q, sizeof **out, fill_store, clear_store, (void **)out, n,
                      "cannot list the cycle's stores", d);
}

sva_error sva_db_cycle_delete(sva_db *db, const char *id, sva_diag *d)
{
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    sql_stmt *q = NULL;
    if ((rc = sva_db_ref_check(db, SVA_REF_CYCLE, id, NULL, d)))
        goto out;
    static const struct {
        const char *what, *sql;
    } holds[] = {
        {"audits", "SELECT count(*) FROM audit WHERE cycle_id = ?1"},
        {"targets", "SELECT count(*) FROM target WHERE cycle_id = ?1"},
        {"actions", "SELECT count(*) FROM action WHERE cycle_id = ?1"},
        {"actions carried through it",
         "SELECT count(*) FROM action_carry WHERE from_cycle = ?1 OR to_cycle = ?1"},
        {"reasons", "SELECT count(*) FROM cycle_reason WHERE cycle_id = ?1"},
        {"survey results", "SELECT count(*) FROM survey WHERE cycle_id = ?1"},
        {"closes", "SELECT count(*) FROM cycle_close WHERE cycle_id = ?1"},
        {"action checks", "SELECT count(*) FROM action_check WHERE cycle_id = ?1"},
    };
    for (size_t i = 0; !rc && i < sizeof holds / sizeof *holds; i++) {
        if ((rc = db_prep(db, holds[i].sql, &q, d)))
            break;
        sql_bind_text(q, 1, id);
        long long k = sql_step(q) == SQL_ROW ? sql_int(q, 0) : -1;
        sql_finalize(q);
        q = NULL;
        if (k < 0)
            rc = db_fail(db, d, "cannot read the cycle");
        else if (k > 0) {
            sva_diag_add(d, NULL, 0,
                         "cycle '%s' holds %lld %s: only an empty cycle is deleted (void its "
                         "audits instead; a record is never deleted)",
                         id, k, holds[i].what);
            rc = SVA_ERR_STATE;
        }
    }
    if (!rc && (rc = db_prep(db, "DELETE FROM cycle WHERE id = ?1", &q, d)) == SVA_OK) {
        sql_bind_text(q, 1, id);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot delete the cycle");
    }
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "cycle %s", id);
        rc = db_log(db, id, "cycle delete", obj, d, "an empty cycle");
    }
out:
    sql_finalize(q);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

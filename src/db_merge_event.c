/* svcaudit: dated store and employee events travel by merge (schema 8, issue
 * 14's last step). An event (a store active or not from a day, an employee
 * at a store or at none from a day) is a record of the database that made
 * it, known in every database by its subject, effective date, time made,
 * maker and seq; it is never changed, so a merge only adds the events it
 * lacks. Which one holds on a day is worked out from all of them in one
 * order (db_internal.h's DB_EVENT_ORDER), the same in every database: the
 * later by effective date wins, then by the time made, then the maker; the
 * others stay as history. Where an employee works on a day is read from the
 * events (DB_EMPLOYEE_STORE_SQL); the employee's row stays master data (its
 * store the later change's, by the time made): rewriting it here from the
 * events would give one version of it other stores in other databases, and
 * its history would then depend on the order of merges. */
#include "db_sync.h"

#include <stdio.h>
#include <string.h>

/* The closed cycle (here before the merge, still after the file's cycles)
 * that ends last, and its end: an event dated on or before it is not taken. */
static sva_error closed_end(mg *m, char end[16], char cycle[48])
{
    *end = *cycle = '\0';
    sql_stmt *q;
    if (db_prep(m->db, "SELECT date_to FROM cycle WHERE id = ?1", &q, m->d))
        return SVA_ERR_DB;
    sva_error rc = SVA_OK;
    for (size_t i = 0; !rc && i < m->n_closed; i++) {
        if (!mg_closed(m, m->closed[i]))
            continue;
        sql_reset(q);
        sql_bind_text(q, 1, m->closed[i]);
        int r = sql_step(q);
        if (r == SQL_ROW && strcmp(sql_text(q, 0), end) > 0) {
            snprintf(end, 16, "%s", sql_text(q, 0));
            snprintf(cycle, 48, "%s", m->closed[i]);
        } else if (r != SQL_ROW && r != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot read cycles");
    }
    sql_finalize(q);
    return rc;
}

/* One kind of event: its table, subject and value columns. */
typedef struct ev_def {
    const char *what;     /* "store" or "employee": the subject */
    const char *table;
    const mg_col *cols;   /* id, subject, from_date, value, at, actor, origin, seq */
    const char *find;     /* ?1..?5 the key: the value and actor here */
    const char *put;      /* ?1..?7: subject, from, at, value, actor, origin, seq */
} ev_def;

static const mg_col STORE_EV_COLS[] = {
    {"id", K_INT, 0, 0},          {"store_id", K_REF, 40, 0},
    {"from_date", K_DATE, 10, 0}, {"active", K_INT, 1, 0},
    {"at", K_TIME, 20, 0},        {"actor", K_TEXT, 200, 0},
    {"origin", K_UUID, 36, F_EMPTY}, {"seq", K_INT, 1000000, 0}};
static const mg_col EMPLOYEE_EV_COLS[] = {
    {"id", K_INT, 0, 0},
    {"employee_id", K_REF, 40, 0},
    /* '': where the employee worked before any dated move (the first move writes it) */
    {"from_date", K_DATE, 10, F_EMPTY},
    {"store_id", K_REF, 40, F_NULL},
    {"at", K_TIME, 20, 0},
    {"actor", K_TEXT, 200, 0},
    {"origin", K_UUID, 36, F_EMPTY},
    {"seq", K_INT, 1000000, 0}};

static const ev_def STORE_EV = {
    "store", "store_event", STORE_EV_COLS,
    "SELECT active, actor FROM store_event WHERE store_id = ?1 AND from_date = ?2 AND at = ?3"
    " AND origin = ?4 AND seq = ?5",
    "INSERT INTO store_event(store_id, from_date, at, active, actor, origin, seq)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
static const ev_def EMPLOYEE_EV = {
    "employee", "employee_event", EMPLOYEE_EV_COLS,
    "SELECT store_id, actor FROM employee_event WHERE employee_id = ?1 AND from_date = ?2"
    " AND at = ?3 AND origin = ?4 AND seq = ?5",
    "INSERT INTO employee_event(employee_id, from_date, at, store_id, actor, origin, seq)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};

/* The value of an event as text ("1"/"0" for a store, a store id or NULL). */
static const char *ev_value(const ev_def *k, sql_stmt *q, int col, char buf[4])
{
    if (k == &STORE_EV) {
        snprintf(buf, 4, "%d", sql_int(q, col) != 0);
        return buf;
    }
    return sql_is_null(q, col) ? NULL : sql_text(q, col);
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static sva_error merge_events(mg *m, const ev_def *k, const char *end, const char *cycle)
{
    sql_stmt *q, *find = NULL, *put = NULL;
    if (mg_select(m, k->table, k->cols, 8, "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, k->find, &find, m->d) || db_prep(m->db, k->put, &put, m->d))
        rc = SVA_ERR_DB;
    bool employees = k == &EMPLOYEE_EV;
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[200];
        snprintf(label, sizeof label, "%s event in row %ld", k->what, ++row);
        if ((rc = mg_check_row(m, q, k->cols, 8, label)))
            break;
        const char *subj = sql_text(q, 1), *from = sql_text(q, 2), *at = sql_text(q, 4);
        char vbuf[4];
        const char *value = ev_value(k, q, 3, vbuf);
        snprintf(label, sizeof label, "%s event of %s '%s' from %s made %s", k->what, k->what,
                 subj, *from ? from : "the start", at);
        if (!sva_map_get(employees ? &m->empmap : &m->file_stores, subj, &(size_t){0})) {
            rc = mg_refuse(m, "%s: of %s '%s', which the file does not have", label, k->what,
                           subj);
            break;
        }
        if (!employees && !*from) {
            rc = mg_refuse(m, "%s: a store's event needs a date", label);
            break;
        }
        if (employees && value && !sva_map_get(&m->file_stores, value, &(size_t){0})) {
            rc = mg_refuse(m, "%s: at store '%s', which the file does not have", label, value);
            break;
        }
        /* out of this database's scope: its subject, or the store it names, not here */
        int here = db_exists(m->db,
                             employees ? "SELECT 1 FROM employee WHERE id = ?1"
                                       : "SELECT 1 FROM store WHERE id = ?1",
                             subj, m->d);
        /* every move of an employee here: a laptop of a region or stores holds
         * the stores they name (db_merge.c's move_stores) */
        if (here > 0 && employees && value)
            here = db_exists(m->db, "SELECT 1 FROM store WHERE id = ?1", value, m->d);
        if (here < 0) {
            rc = SVA_ERR_DB;
            break;
        }
        if (!here)
            continue;
        const char *origin = mg_map(m, sql_text(q, 6));
        long long seq = sql_int(q, 7);
        sql_reset(find);
        sql_bind_text(find, 1, subj);
        sql_bind_text(find, 2, from);
        sql_bind_text(find, 3, at);
        sql_bind_text(find, 4, origin);
        sql_bind_int(find, 5, seq);
        int g = sql_step(find);
        if (g == SQL_ROW) {
            /* an event is never changed: the same key with other content is forged */
            char hbuf[4];
            if (!same_text(ev_value(k, find, 0, hbuf), value) ||
                strcmp(sql_text(find, 1), sql_text(q, 5)) != 0) {
                rc = mg_refuse(m, "%s: differs from the one here (an event is never changed)",
                               label);
                break;
            }
            continue;
        }
        if (g != SQL_DONE) {
            rc = db_fail(m->db, m->d, "cannot read events");
            break;
        }
        if (!*origin) {
            rc = mg_refuse(m, "%s: said to be made here, but this database has no such event",
                           label);
            break;
        }
        if (*from && *end && strcmp(from, end) <= 0) {
            char key[120];
            snprintf(key, sizeof key, "'%s' from %s", subj, from);
            mg_not_taken(m, employees ? "employee event of" : "store event of", key, cycle);
            continue;
        }
        sql_reset(put);
        sql_bind_text(put, 1, subj);
        sql_bind_text(put, 2, from);
        sql_bind_text(put, 3, at);
        if (employees)
            sql_bind_text(put, 4, value);
        else
            sql_bind_int(put, 4, sql_int(q, 3) != 0);
        sql_bind_text(put, 5, sql_text(q, 5));
        sql_bind_text(put, 6, origin);
        sql_bind_int(put, 7, seq);
        if (sql_step(put) != SQL_DONE) {
            rc = db_fail(m->db, m->d, "cannot write an event");
            break;
        }
        m->st->events_added++;
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, k->table);
    sql_finalize(q);
    sql_finalize(find);
    sql_finalize(put);
    return rc;
}

sva_error mg_events(mg *m)
{
    char end[16], cycle[48];
    sva_error rc = closed_end(m, end, cycle);
    if (!rc)
        rc = merge_events(m, &STORE_EV, end, cycle);
    if (!rc)
        rc = merge_events(m, &EMPLOYEE_EV, end, cycle);
    return rc;
}

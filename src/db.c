/* svcaudit: the store (see db.h): opening and migrating, write transactions,
 * organisation, cycles. Every db*.c file talks SQL through the statement
 * layer (sql.h) only; the engine is its driver's business. */
#include "db_internal.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers shared with db_audit.c and db_merge.c ---------------------------- */

sva_error db_fail(sva_db *db, sva_diag *d, const char *what)
{
    return sql_fail(db->c, d, what);
}

sva_error db_prep(sva_db *db, const char *sql, sql_stmt **st, sva_diag *d)
{
    return sql_prepare(db->c, sql, st, d);
}

sva_error db_exec(sva_db *db, const char *sql, sva_diag *d)
{
    return sql_exec(db->c, sql, d);
}

sva_error db_cached(sva_db *db, db_slot slot, const char *sql, sva_diag *d)
{
    if (db->cache[slot]) {
        sql_reset(db->cache[slot]);
        return SVA_OK;
    }
    return sql_prepare(db->c, sql, &db->cache[slot], d);
}

char *db_col_text(sql_stmt *st, int i)
{
    const char *t = sql_text(st, i);
    return t ? sva_strdup(t) : NULL;
}

sva_error db_collect(sva_db *db, sql_stmt *q, size_t size, db_fill_fn fill,
                     void (*clear)(void *elem), void **out, size_t *n, const char *what,
                     sva_diag *d)
{
    *out = NULL;
    *n = 0;
    char *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    sva_error rc = SVA_OK;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char *nv = realloc(v, nc * size);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        char *e = v + cnt * size;
        memset(e, 0, size);
        cnt++;
        if (!fill(q, e)) {
            rc = SVA_ERR_NOMEM;
            break;
        }
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, what);
    sql_finalize(q);
    if (rc) {
        for (size_t i = 0; clear && i < cnt; i++)
            clear(v + i * size);
        free(v);
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        return rc;
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error db_begin(sva_db *db, sva_diag *d)
{
    if (db->batch)
        return sql_savepoint(db->c, d);
    return sql_begin(db->c, true, d);
}

sva_error db_end(sva_db *db, bool commit, sva_diag *d)
{
    if (db->batch) {
        if (commit)
            return sql_release(db->c, d);
        sql_rollback_to(db->c);
        return SVA_OK;
    }
    if (commit) {
        if (sql_commit(db->c, d)) {
            sql_rollback(db->c);
            return SVA_ERR_DB;
        }
        return SVA_OK;
    }
    sql_rollback(db->c);
    return SVA_OK;
}

void db_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void db_today(char buf[16])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, 16, "%Y-%m-%d", &tm);
}

/* Does a row exist for this one-parameter query? -1 on error. */
int db_exists(sva_db *db, const char *sql, const char *arg, sva_diag *d)
{
    sql_stmt *st;
    if (db_prep(db, sql, &st, d))
        return -1;
    sql_bind_text(st, 1, arg);
    int rc = sql_step(st);
    sql_finalize(st);
    if (rc == SQL_ROW)
        return 1;
    if (rc == SQL_DONE)
        return 0;
    db_fail(db, d, "query failed");
    return -1;
}

bool sva_ref_id_valid(const char *s)
{
    return sva_id_ok(s, 40, SVA_ID_DOTS | SVA_ID_UPPER);
}


/* ---- open, create, migrate -------------------------------------------------------- */

static long latest_schema(sva_db *db)
{
    size_t n;
    const sql_migration *m = sql_migrations(db->c, &n);
    return n ? m[n - 1].to : 0;
}

static sva_error migrate(sva_db *db, long from, sva_diag *d)
{
    size_t n;
    const sql_migration *steps = sql_migrations(db->c, &n);
    long latest = latest_schema(db);
    if (from >= latest)
        return SVA_OK;
    if (sql_begin(db->c, true, d))
        return SVA_ERR_DB;
    long now = sql_schema_version(db->c); /* another process may have migrated meanwhile */
    for (size_t i = 0; i < n; i++) {
        if (steps[i].to <= now)
            continue;
        if (sql_exec(db->c, steps[i].sql, NULL)) {
            sva_error rc = db_fail(db, d, "cannot update the database schema");
            sql_rollback(db->c);
            return rc;
        }
    }
    if (now < latest && sql_set_schema_version(db->c, latest, d)) {
        sql_rollback(db->c);
        return SVA_ERR_DB;
    }
    return db_end(db, true, d);
}

bool sva_db_created(const sva_db *db)
{
    return db->created;
}

sva_error sva_db_open(const char *path, sva_open_mode mode, sva_db **out, sva_diag *d)
{
    *out = NULL;
    sva_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = sva_strdup(path))) {
        free(db);
        return SVA_ERR_NOMEM;
    }
    bool empty = false;
    sva_error rc = sql_open(path, mode == SVA_DB_CREATE ? SQL_OPEN_CREATE : 0, &db->c, &empty, d);
    if (rc)
        goto fail;
    long v = sql_schema_version(db->c);
    if (v < 0) {
        rc = db_fail(db, d, "not an svcaudit database");
        goto fail;
    }
    if (v == 0) {
        if (!empty) {
            sva_diag_add(d, path, 0, "not an svcaudit database (%s of another program)",
                         sql_thing(db->c));
            rc = SVA_ERR_DB;
            goto fail;
        }
        if (mode != SVA_DB_CREATE) {
            sva_diag_add(d, path, 0, "not an svcaudit database (it has no tables)");
            rc = SVA_ERR_DB;
            goto fail;
        }
        db->created = true;
    } else {
        /* whose file is it? (before the version: another program's numbers mean nothing) */
        sql_stmt *st;
        int ok = 0;
        if (sql_prepare(db->c, "SELECT value FROM meta WHERE key = 'application'", &st, NULL) ==
            SVA_OK) {
            ok = sql_step(st) == SQL_ROW && sql_column_kind(st, 0) == SQL_TEXT &&
                 strcmp(sql_text(st, 0), "svcaudit") == 0;
            sql_finalize(st);
        }
        if (!ok) {
            sva_diag_add(d, path, 0, "not an svcaudit database (%s of another program)",
                         sql_thing(db->c));
            rc = SVA_ERR_DB;
            goto fail;
        }
        long latest = latest_schema(db);
        if (v > latest) {
            sva_diag_add(d, path, 0,
                         "made by a newer svcaudit (schema %ld; this one knows up to %ld): "
                         "upgrade svcaudit",
                         v, latest);
            rc = SVA_ERR_DB;
            goto fail;
        }
    }
    if ((rc = migrate(db, v, d)))
        goto fail;
    *out = db;
    return SVA_OK;
fail:
    sva_db_close(db);
    return rc;
}

void sva_db_close(sva_db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < DB_N_CACHED; i++)
        sql_finalize(db->cache[i]);
    sql_close(db->c);
    free(db->path);
    free(db);
}

sva_error sva_db_batch_begin(sva_db *db, sva_diag *d)
{
    if (db->batch) {
        sva_diag_add(d, db->path, 0, "a batch is already open");
        return SVA_ERR_USAGE;
    }
    sql_batch(db->c, true);
    sva_error rc = sql_begin(db->c, true, d);
    if (rc)
        sql_batch(db->c, false);
    else
        db->batch = true;
    return rc;
}

sva_error sva_db_batch_end(sva_db *db, bool commit, sva_diag *d)
{
    if (!db->batch)
        return SVA_OK;
    db->batch = false;
    sva_error rc = db_end(db, commit, d);
    sql_batch(db->c, false);
    return rc;
}

/* ---- organisation ------------------------------------------------------------------ */

/* What sva_ref_id_valid takes, for messages. */
#define ID_RULE "A-Z a-z 0-9 _ . -, at most 40, not . or .."

/* Field checks shared by add and import; file/line may be NULL/0 (command line). */
static bool store_ok(const sva_store *s, const char *file, int line, sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(s->id)) {
        sva_diag_add(d, file, line, "bad store id '%s' (want " ID_RULE ")", s->id ? s->id : "");
        ok = false;
    }
    if (!sva_text_ok(s->name, 200, false) || sva_text_blank(s->name)) {
        sva_diag_add(d, file, line, "store '%s': %s", s->id ? s->id : "",
                     sva_text_ok(s->name, 200, false)
                         ? "the name is blank (only spaces)"
                         : "bad name (want 1-200 bytes of UTF-8 text)");
        ok = false;
    }
    bool region_blank = s->region && *s->region && sva_text_blank(s->region);
    if (!sva_text_ok(s->region, 100, true) || region_blank) {
        sva_diag_add(d, file, line, "store '%s': %s", s->id ? s->id : "",
                     sva_text_ok(s->region, 100, true)
                         ? "the region is blank (only spaces; leave it empty for none)"
                         : "bad region (at most 100 bytes of UTF-8 text)");
        ok = false;
    }
    return ok;
}

static bool employee_ok(const sva_employee *e, const char *file, int line, sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(e->id)) {
        sva_diag_add(d, file, line, "bad employee id '%s' (want " ID_RULE ")",
                     e->id ? e->id : "");
        ok = false;
    }
    if (!sva_text_ok(e->name, 200, false) || sva_text_blank(e->name)) {
        sva_diag_add(d, file, line, "employee '%s': %s", e->id ? e->id : "",
                     sva_text_ok(e->name, 200, false)
                         ? "the name is blank (only spaces)"
                         : "bad name (want 1-200 bytes of UTF-8 text)");
        ok = false;
    }
    if (!sva_ref_id_valid(e->store)) {
        sva_diag_add(d, file, line, "employee '%s': bad store id '%s'", e->id ? e->id : "",
                     e->store ? e->store : "");
        ok = false;
    }
    bool role_blank = e->role && *e->role && sva_text_blank(e->role);
    if (!sva_text_ok(e->role, 100, true) || role_blank) {
        sva_diag_add(d, file, line, "employee '%s': %s", e->id ? e->id : "",
                     role_blank ? "the role is blank (only spaces; leave it empty for none)"
                                : "bad role (at most 100 bytes of UTF-8 text)");
        ok = false;
    }
    return ok;
}

/* Insert or update one store inside an open transaction; counts into st. */
static sva_error store_put(sva_db *db, const sva_store *s, bool update, sva_import_stats *st,
                           const char *file, int line, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT name, region FROM store WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, s->id);
    int r = sql_step(q);
    const char *region = s->region ? s->region : "";
    sva_error rc = SVA_OK;
    if (r == SQL_ROW) {
        bool same = strcmp(sql_text(q, 0), s->name) == 0 &&
                    strcmp(sql_text(q, 1), region) == 0;
        sql_finalize(q);
        if (same) {
            if (st)
                st->unchanged++;
            return SVA_OK;
        }
        if (!update) {
            sva_diag_add(d, file, line, "store '%s' exists already", s->id);
            return SVA_ERR_CONFLICT;
        }
        if (db_prep(db, "UPDATE store SET name = ?2, region = ?3 WHERE id = ?1", &q, d))
            return SVA_ERR_DB;
        if (st)
            st->updated++;
    } else if (r == SQL_DONE) {
        sql_finalize(q);
        if (db_prep(db, "INSERT INTO store(id, name, region) VALUES(?1, ?2, ?3)", &q, d))
            return SVA_ERR_DB;
        if (st)
            st->added++;
    } else {
        sql_finalize(q);
        return db_fail(db, d, "cannot read stores");
    }
    sql_bind_text(q, 1, s->id);
    sql_bind_text(q, 2, s->name);
    sql_bind_text(q, 3, region);
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot write a store");
    sql_finalize(q);
    return rc;
}

static sva_error employee_put(sva_db *db, const sva_employee *e, bool update,
                              sva_import_stats *st, const char *file, int line, sva_diag *d)
{
    int has_store = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", e->store, d);
    if (has_store < 0)
        return SVA_ERR_DB;
    if (!has_store) {
        sva_diag_add(d, file, line, "employee '%s': unknown store '%s'", e->id, e->store);
        return SVA_ERR_NOT_FOUND;
    }
    const char *role = e->role ? e->role : "";
    sql_stmt *q;
    if (db_prep(db, "SELECT name, store_id, role FROM employee WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, e->id);
    int r = sql_step(q);
    if (r == SQL_ROW) {
        bool same = strcmp(sql_text(q, 0), e->name) == 0 &&
                    strcmp(sql_text(q, 1), e->store) == 0 &&
                    strcmp(sql_text(q, 2), role) == 0;
        sql_finalize(q);
        if (same) {
            if (st)
                st->unchanged++;
            return SVA_OK;
        }
        if (!update) {
            sva_diag_add(d, file, line, "employee '%s' exists already", e->id);
            return SVA_ERR_CONFLICT;
        }
        if (db_prep(db, "UPDATE employee SET name = ?2, store_id = ?3, role = ?4 WHERE id = ?1",
                    &q, d))
            return SVA_ERR_DB;
        if (st)
            st->updated++;
    } else if (r == SQL_DONE) {
        sql_finalize(q);
        if (db_prep(db, "INSERT INTO employee(id, name, store_id, role) VALUES(?1, ?2, ?3, ?4)",
                    &q, d))
            return SVA_ERR_DB;
        if (st)
            st->added++;
    } else {
        sql_finalize(q);
        return db_fail(db, d, "cannot read employees");
    }
    sql_bind_text(q, 1, e->id);
    sql_bind_text(q, 2, e->name);
    sql_bind_text(q, 3, e->store);
    sql_bind_text(q, 4, role);
    sva_error rc = SVA_OK;
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot write an employee");
    sql_finalize(q);
    return rc;
}

sva_error sva_db_store_add(sva_db *db, const sva_store *s, sva_diag *d)
{
    if (!store_ok(s, NULL, 0, d))
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    rc = store_put(db, s, false, NULL, NULL, 0, d);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

sva_error sva_db_employee_add(sva_db *db, const sva_employee *e, sva_diag *d)
{
    if (!employee_ok(e, NULL, 0, d))
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    rc = employee_put(db, e, false, NULL, NULL, 0, d);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
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

sva_error sva_db_store_list(sva_db *db, sva_store **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db, "SELECT id, name, region FROM store ORDER BY region, id", &q, d))
        return SVA_ERR_DB;
    return db_collect(db, q, sizeof **out, fill_store, clear_store, (void **)out, n,
                      "cannot list stores", d);
}

/* The employees a query of columns (id, name, store_id, role) with ?1 = store returns. */
static bool fill_employee(sql_stmt *q, void *e)
{
    sva_employee *x = e;
    return (x->id = db_col_text(q, 0)) && (x->name = db_col_text(q, 1)) &&
           (x->store = db_col_text(q, 2)) && (x->role = db_col_text(q, 3));
}

static void clear_employee(void *e)
{
    sva_employee *x = e;
    free(x->id);
    free(x->name);
    free(x->store);
    free(x->role);
}

static sva_error employees_of(sva_db *db, const char *sql, const char *store, sva_employee **out,
                              size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, store);
    return db_collect(db, q, sizeof **out, fill_employee, clear_employee, (void **)out, n,
                      "cannot list employees", d);
}

sva_error sva_db_employee_list(sva_db *db, const char *store, sva_employee **out, size_t *n,
                               sva_diag *d)
{
    return employees_of(db,
                        "SELECT id, name, store_id, role FROM employee"
                        " WHERE ?1 IS NULL OR store_id = ?1 ORDER BY store_id, id",
                        store, out, n, d);
}

sva_error sva_db_store_people(sva_db *db, const char *store, sva_employee **out, size_t *n,
                              sva_diag *d)
{
    /* cycle_id IN (all cycles) lets the audit_cycle_store index find the store's audits */
    return employees_of(db,
                        "SELECT id, name, store_id, role FROM employee WHERE store_id = ?1"
                        " OR id IN (SELECT employee_id FROM audit"
                        "  WHERE cycle_id IN (SELECT id FROM cycle) AND store_id = ?1)"
                        " ORDER BY id",
                        store, out, n, d);
}

/* One row of an import: checked as if typed, then put (update = true). */
typedef bool (*row_ok_fn)(const void *row, const char *file, int line, sva_diag *d);
typedef sva_error (*row_put_fn)(sva_db *db, const void *row, bool update, sva_import_stats *st,
                                const char *file, int line, sva_diag *d);

static bool store_ok_row(const void *row, const char *file, int line, sva_diag *d)
{
    return store_ok(row, file, line, d);
}

static bool employee_ok_row(const void *row, const char *file, int line, sva_diag *d)
{
    return employee_ok(row, file, line, d);
}

static sva_error store_put_row(sva_db *db, const void *row, bool update, sva_import_stats *st,
                               const char *file, int line, sva_diag *d)
{
    return store_put(db, row, update, st, file, line, d);
}

static sva_error employee_put_row(sva_db *db, const void *row, bool update,
                                  sva_import_stats *st, const char *file, int line,
                                  sva_diag *d)
{
    return employee_put(db, row, update, st, file, line, d);
}

/* Put @p n rows of @p size bytes in one transaction, all or nothing, every
 * problem reported first (see sva_db_stores_put). */
static sva_error put_rows(sva_db *db, const void *v, size_t n, size_t size, row_ok_fn ok,
                          row_put_fn put, const char *file, const int *lines, bool check_only,
                          sva_import_stats *st, sva_diag *d)
{
    sva_import_stats local = {0};
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    size_t errors = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const void *row = (const char *)v + i * size;
        int line = lines ? lines[i] : 0;
        if (!ok(row, file, line, d)) {
            errors++;
            continue;
        }
        sva_error e = put(db, row, true, st, file, line, d);
        if (e == SVA_ERR_DB || e == SVA_ERR_NOMEM)
            rc = e;
        else if (e)
            errors++;
    }
    if (!rc && errors)
        rc = SVA_ERR_INVALID;
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    if (rc || rc2 || check_only)
        memset(st, 0, sizeof *st);
    return rc ? rc : rc2;
}

sva_error sva_db_stores_put(sva_db *db, const sva_store *v, size_t n, const char *file,
                            const int *lines, bool check_only, sva_import_stats *st,
                            sva_diag *d)
{
    return put_rows(db, v, n, sizeof *v, store_ok_row, store_put_row, file, lines, check_only,
                    st, d);
}

sva_error sva_db_employees_put(sva_db *db, const sva_employee *v, size_t n, const char *file,
                               const int *lines, bool check_only, sva_import_stats *st,
                               sva_diag *d)
{
    return put_rows(db, v, n, sizeof *v, employee_ok_row, employee_put_row, file, lines,
                    check_only, st, d);
}

/* ---- cycles ------------------------------------------------------------------------ */

sva_cycle_state db_cycle_state_parse(const char *s)
{
    for (int i = 0; i <= SVA_CYCLE_CLOSED; i++)
        if (strcmp(s, sva_cycle_state_name((sva_cycle_state)i)) == 0)
            return (sva_cycle_state)i;
    return SVA_CYCLE_PLAN;
}

sva_error sva_db_cycle_open(sva_db *db, const char *id, const char *from, const char *to,
                            sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(id)) {
        sva_diag_add(d, NULL, 0, "bad cycle id '%s' (e.g. 2026-11, 2026-Q4)", id ? id : "");
        ok = false;
    }
    if (!sva_parse_date(from)) {
        sva_diag_add(d, NULL, 0, "--from: '%s' is not a date (want YYYY-MM-DD)",
                     from ? from : "");
        ok = false;
    }
    if (!sva_parse_date(to)) {
        sva_diag_add(d, NULL, 0, "--to: '%s' is not a date (want YYYY-MM-DD)", to ? to : "");
        ok = false;
    }
    if (ok && strcmp(from, to) > 0) {
        sva_diag_add(d, NULL, 0, "--to %s is before --from %s", to, from);
        ok = false;
    }
    if (!ok)
        return SVA_ERR_INVALID;
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    int ex = db_exists(db, "SELECT 1 FROM cycle WHERE id = ?1", id, d);
    if (ex) {
        if (ex > 0)
            sva_diag_add(d, NULL, 0, "cycle '%s' exists already", id);
        db_end(db, false, d);
        return ex > 0 ? SVA_ERR_CONFLICT : SVA_ERR_DB;
    }
    sql_stmt *q;
    if ((rc = db_prep(db, "INSERT INTO cycle(id, date_from, date_to, created_at)"
                          " VALUES(?1, ?2, ?3, ?4)",
                      &q, d))) {
        db_end(db, false, d);
        return rc;
    }
    char now[32];
    db_now(now);
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, from);
    sql_bind_text(q, 3, to);
    sql_bind_text(q, 4, now);
    if (sql_step(q) != SQL_DONE)
        rc = db_fail(db, d, "cannot open the cycle");
    sql_finalize(q);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

static bool fill_cycle(sql_stmt *q, void *e)
{
    sva_cycle *c = e;
    c->state = db_cycle_state_parse(sql_text(q, 3));
    c->n_audits = sql_int(q, 4);
    return (c->id = db_col_text(q, 0)) && (c->from = db_col_text(q, 1)) &&
           (c->to = db_col_text(q, 2));
}

static void clear_cycle(void *e)
{
    sva_cycle *c = e;
    free(c->id);
    free(c->from);
    free(c->to);
}

static sva_error cycle_query(sva_db *db, const char *id, sva_cycle **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (db_prep(db,
                "SELECT c.id, c.date_from, c.date_to, c.state,"
                " (SELECT count(*) FROM audit a WHERE a.cycle_id = c.id AND a.voided_at IS NULL)"
                " FROM cycle c WHERE ?1 IS NULL OR c.id = ?1 ORDER BY c.date_from, c.id",
                &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, id);
    return db_collect(db, q, sizeof **out, fill_cycle, clear_cycle, (void **)out, n,
                      "cannot list cycles", d);
}

sva_error sva_db_cycle_list(sva_db *db, sva_cycle **out, size_t *n, sva_diag *d)
{
    return cycle_query(db, NULL, out, n, d);
}

sva_error sva_db_cycle_get(sva_db *db, const char *id, sva_cycle **out, sva_diag *d)
{
    size_t n;
    sva_error rc = cycle_query(db, id, out, &n, d);
    if (rc)
        return rc;
    if (n == 0) {
        sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", id);
        return SVA_ERR_NOT_FOUND;
    }
    return SVA_OK;
}

/* svcaudit: the store (see db.h): opening and migrating, write transactions,
 * organisation, cycles. Every db*.c file talks SQL through the statement
 * layer (sql.h) only; the engine is its driver's business. */
#include "db_internal.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
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

void db_lookups_clear(sva_db *db)
{
    db_lookups *l = db->look;
    if (!l)
        return;
    for (size_t i = 0; i < l->n_cycles; i++)
        free(l->cycles[i].id);
    sva_map_free(&l->stores);
    sva_map_free(&l->employees);
    free(l->spans);
    sva_map_free(&l->versions);
    sva_map_free(&l->prints);
    sva_pool_free(&l->strings);
    free(l);
    db->look = NULL;
}

/* A write on this connection ends its read snapshot (see sva_db_read_begin):
 * nothing was written in it, so ending it is all; its holders see that
 * sva_db_read_snapshot changed. */
static void read_abandon(sva_db *db)
{
    if (db->reading > 0 && !db->batch)
        sql_rollback(db->c);
    db->reading = 0;
    db->snapshot = 0;
}

sva_error db_nomem(sva_diag *d)
{
    sva_diag_add(d, NULL, 0, "out of memory");
    return SVA_ERR_NOMEM;
}

sva_error db_begin(sva_db *db, sva_diag *d)
{
    if (db->batch) {
        db_lookups_clear(db); /* this write may change what they say */
        return sql_savepoint(db->c, d);
    }
    read_abandon(db);
    return sql_begin(db->c, true, d);
}

sva_error db_end(sva_db *db, bool commit, sva_diag *d)
{
    if (db->batch) {
        if (commit)
            return sql_release(db->c, d);
        db_lookups_clear(db);
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

sva_error sva_db_read_begin(sva_db *db, sva_diag *d)
{
    if (db->reading++ > 0)
        return SVA_OK;
    sva_error rc = db->batch ? SVA_OK : sql_begin(db->c, false, d);
    if (rc)
        db->reading = 0;
    else
        db->snapshot = ++db->snapshots;
    return rc;
}

void sva_db_read_end(sva_db *db)
{
    if (db->reading > 0 && --db->reading == 0) {
        if (!db->batch)
            sql_rollback(db->c); /* nothing was written: ending it is all */
        db->snapshot = 0;
    }
}

unsigned long sva_db_read_snapshot(const sva_db *db)
{
    return db->snapshot;
}

sva_error db_log(sva_db *db, const char *cycle, const char *what, const char *object,
                 sva_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!detail)
        return SVA_ERR_NOMEM;
    /* in a batch with an id of its own (db_next_id) */
    long long id = db->batch && db->look ? db_next_id(db, "change_log", &db->look->next_log, d)
                                         : -1;
    sva_error rc = !id ? SVA_ERR_DB
        : id > 0 ? db_cached(db, DB_INS_LOG_ID,
                             "INSERT INTO change_log(at, actor, cycle_id, what, object, detail,"
                             " id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             d)
                 : db_cached(db, DB_INS_LOG,
                             "INSERT INTO change_log(at, actor, cycle_id, what, object, detail)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                             d);
    if (!rc) {
        sql_stmt *q = db->cache[id > 0 ? DB_INS_LOG_ID : DB_INS_LOG];
        if (id > 0)
            sql_bind_int(q, 7, id);
        char now[32];
        db_now(now);
        sql_bind_text(q, 1, now);
        sql_bind_text(q, 2, sva_db_actor(db));
        sql_bind_text(q, 3, cycle);
        sql_bind_text(q, 4, what);
        sql_bind_text(q, 5, object);
        sql_bind_text_ref(q, 6, detail);
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot write the change log");
        else if (id > 0)
            db->look->next_log++;
        sql_reset(q);
    }
    free(detail);
    return rc;
}

long long db_next_id(sva_db *db, const char *table, long long *next, sva_diag *d)
{
    if (*next)
        return *next;
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table);
    sql_stmt *q;
    if (db_prep(db, sql, &q, d))
        return 0;
    if (sql_step(q) == SQL_ROW)
        *next = sql_int(q, 0) + 1;
    else
        db_fail(db, d, "cannot read the largest id");
    sql_finalize(q);
    return *next;
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
    sva_today(buf);
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

sva_error sva_db_set_actor(sva_db *db, const char *actor, sva_diag *d)
{
    if (actor && *actor && (!sva_text_ok(actor, 100, false) || sva_text_blank(actor))) {
        sva_diag_add(d, NULL, 0, "--by: give a name (1-100 bytes of text)");
        return SVA_ERR_INVALID;
    }
    char *copy = NULL;
    if (actor && *actor && !(copy = sva_strdup(actor)))
        return SVA_ERR_NOMEM;
    free(db->actor);
    db->actor = copy;
    return SVA_OK;
}

const char *sva_db_actor(const sva_db *db)
{
    return db->actor ? db->actor : "unknown";
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
        if (mode == SVA_DB_AS_IS && v < latest) {
            sva_diag_add(d, sql_target(db->c), 0,
                         "made by an older svcaudit (schema %ld; this one writes %ld) and "
                         "opened to be read only: bring it forward first (any other command "
                         "on it does, e.g. 'svcaudit --db DB cycle list')",
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
    db_lookups_clear(db);
    sql_close(db->c);
    free(db->path);
    free(db->actor);
    free(db);
}

sva_error sva_db_batch_begin(sva_db *db, sva_diag *d)
{
    if (db->batch) {
        sva_diag_add(d, db->path, 0, "a batch is already open");
        return SVA_ERR_USAGE;
    }
    read_abandon(db);
    sql_batch(db->c, true);
    sva_error rc = sql_begin(db->c, true, d);
    if (rc)
        sql_batch(db->c, false);
    else
        db->batch = true;
    db_lookups_clear(db);
    db->broken = false;
    return rc;
}

sva_error sva_db_batch_end(sva_db *db, bool commit, sva_diag *d)
{
    if (!db->batch)
        return SVA_OK;
    db->batch = false;
    db_lookups_clear(db);
    sva_error rc = SVA_OK;
    if (commit && db->broken) {
        /* an audit's write failed after its first row (it takes no savepoint
         * in a batch): nothing of the batch may stay */
        sva_diag_add(d, db->path, 0, "the batch was rolled back: one of its writes failed");
        commit = false;
        rc = SVA_ERR_DB;
    }
    db->broken = false;
    sva_error rc2 = db_end(db, commit, d);
    sql_batch(db->c, false);
    return rc ? rc : rc2;
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
/* A new store opens on @p from, or, when some cycle is closed, the day after the
 * last closed cycle ends (so a closed cycle never gains a store); else always. */
static sva_error store_opening(sva_db *db, const char *id, const char *from, sva_diag *d)
{
    char end[16], cycle[48], day[16] = "";
    sva_error rc = db_closed_end(db, end, cycle, d);
    if (rc)
        return rc;
    if (from)
        snprintf(day, sizeof day, "%s", from);
    else if (*end && !sva_next_day(end, day))
        return SVA_ERR_INVALID;
    if (!*day)
        return SVA_OK;
    sql_stmt *q;
    if (db_prep(db,
                "INSERT INTO store_event(store_id, from_date, at, active, actor, seq)"
                " VALUES(?1, ?2, ?3, 1, ?4, " DB_EVENT_SEQ("store_event", "store_id") ")",
                &q, d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_bind_text(q, 1, id);
    sql_bind_text(q, 2, day);
    sql_bind_text(q, 3, now);
    sql_bind_text(q, 4, sva_db_actor(db));
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot record the store's opening");
}

static sva_error store_put(sva_db *db, const sva_store *s, bool update, sva_import_stats *st,
                           const char *from, const char *file, int line, sva_diag *d)
{
    sql_stmt *q;
    bool added = false;
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
        added = true;
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
    if (!rc && added)
        rc = store_opening(db, s->id, from, d);
    return rc;
}

static sva_error employee_put(sva_db *db, const sva_employee *e, bool update,
                              sva_import_stats *st, const char *file, int line, sva_diag *d)
{
    int has_store = db_exists(db, "SELECT 1 FROM store WHERE id = ?1", e->store, d);
    if (has_store < 0)
        return SVA_ERR_DB;
    if (!has_store) {
        char hint[600];
        db_ref_hint(db, SVA_REF_STORE, e->store, hint, sizeof hint);
        sva_diag_add(d, file, line, "employee '%s': unknown store '%s' %s", e->id, e->store,
                     hint);
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
    /* an employee with a history of stores: a store changed by an import is a
     * move from today (employee move --from dates it otherwise) */
    if (!rc && (rc = db_prep(db,
                             "INSERT INTO employee_event(employee_id, from_date, at, store_id,"
                             " actor, seq) SELECT ?1, ?2, ?3, ?4, ?5, "
                             DB_EVENT_SEQ("employee_event", "employee_id")
                             " WHERE EXISTS (SELECT 1 FROM employee_event WHERE employee_id = ?1)"
                             " AND ?4 IS DISTINCT FROM (SELECT ev.store_id FROM employee_event ev"
                             " WHERE ev.employee_id = ?1 AND ev.from_date <= ?2"
                             " ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1)",
                             &q, d)) == SVA_OK) {
        char today[16], now[32];
        db_today(today);
        db_now(now);
        sql_bind_text(q, 1, e->id);
        sql_bind_text(q, 2, today);
        sql_bind_text(q, 3, now);
        sql_bind_text(q, 4, e->store);
        sql_bind_text(q, 5, sva_db_actor(db));
        if (sql_step(q) != SQL_DONE)
            rc = db_fail(db, d, "cannot record the employee's move");
        sql_finalize(q);
    }
    return rc;
}

sva_error sva_db_store_add(sva_db *db, const sva_store *s, sva_diag *d)
{
    return sva_db_store_add_from(db, s, NULL, d);
}

sva_error sva_db_store_add_from(sva_db *db, const sva_store *s, const char *from, sva_diag *d)
{
    if (!store_ok(s, NULL, 0, d))
        return SVA_ERR_INVALID;
    if (from && !sva_parse_date(from)) {
        sva_diag_add(d, NULL, 0, "--from: '%s' is not a date (want YYYY-MM-DD)", from);
        return SVA_ERR_INVALID;
    }
    sva_error rc = db_begin(db, d);
    if (rc)
        return rc;
    if (from)
        rc = db_after_closed(db, from, "--from", d);
    if (!rc)
        rc = store_put(db, s, false, NULL, from, NULL, 0, d);
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "store %s", s->id);
        rc = db_log(db, NULL, "store add", obj, d, "%s%s%s", s->name,
                    s->region && *s->region ? ", region " : "", s->region ? s->region : "");
    }
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
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "employee %s", e->id);
        rc = db_log(db, NULL, "employee add", obj, d, "%s at %s%s%s", e->name, e->store,
                    e->role && *e->role ? ", " : "", e->role ? e->role : "");
    }
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
    return store_put(db, row, update, st, NULL, file, line, d);
}

static sva_error employee_put_row(sva_db *db, const void *row, bool update,
                                  sva_import_stats *st, const char *file, int line,
                                  sva_diag *d)
{
    return employee_put(db, row, update, st, file, line, d);
}

/* Put @p n rows of @p size bytes in one transaction, all or nothing, every
 * problem reported first (see sva_db_stores_put); logged as @p what. */
static sva_error put_rows(sva_db *db, const char *what, const void *v, size_t n, size_t size,
                          row_ok_fn ok, row_put_fn put, const char *file, const int *lines,
                          bool check_only, sva_import_stats *st, sva_diag *d)
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
    if (!rc && !check_only && (st->added || st->updated))
        rc = db_log(db, NULL, what, file ? file : "-", d,
                    "%zu added, %zu updated, %zu unchanged", st->added, st->updated,
                    st->unchanged);
    sva_error rc2 = db_end(db, rc == SVA_OK && !check_only, d);
    if (rc || rc2 || check_only)
        memset(st, 0, sizeof *st);
    return rc ? rc : rc2;
}

sva_error sva_db_stores_put(sva_db *db, const sva_store *v, size_t n, const char *file,
                            const int *lines, bool check_only, sva_import_stats *st,
                            sva_diag *d)
{
    return put_rows(db, "store import", v, n, sizeof *v, store_ok_row, store_put_row, file,
                    lines, check_only, st, d);
}

sva_error sva_db_employees_put(sva_db *db, const sva_employee *v, size_t n, const char *file,
                               const int *lines, bool check_only, sva_import_stats *st,
                               sva_diag *d)
{
    return put_rows(db, "employee import", v, n, sizeof *v, employee_ok_row, employee_put_row,
                    file, lines, check_only, st, d);
}

/* ---- closed means closed ----------------------------------------------------------------- */

sva_error db_cycle_writable(sva_db *db, const char *cycle, const char *what, const char *file,
                            int line, sva_diag *d)
{
    sql_stmt *q;
    if (db_prep(db, "SELECT state FROM cycle WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    sql_bind_text(q, 1, cycle);
    int r = sql_step(q);
    sva_error rc = SVA_OK;
    if (r == SQL_ROW && strcmp(sql_text(q, 0), "closed") == 0) {
        sva_diag_add(d, file, line,
                     "cycle '%s' is closed: %s is refused (the one way back: svcaudit cycle "
                     "reopen %s --reason TEXT)",
                     cycle, what, cycle);
        rc = SVA_ERR_STATE;
    } else if (r == SQL_DONE) {
        sva_diag_add(d, file, line, "unknown cycle '%s' (see 'svcaudit cycle list')",
                     cycle ? cycle : "");
        rc = SVA_ERR_NOT_FOUND;
    } else if (r != SQL_ROW) {
        rc = db_fail(db, d, "cannot read the cycle");
    }
    sql_finalize(q);
    return rc;
}

/* ---- the last closed cycle: the organisation before it does not change ---------------- */

sva_error db_closed_end(sva_db *db, char end[16], char cycle[48], sva_diag *d)
{
    end[0] = cycle[0] = '\0';
    sql_stmt *q;
    if (db_prep(db,
                "SELECT date_to, id FROM cycle WHERE state = 'closed'"
                " ORDER BY date_to DESC, id LIMIT 1",
                &q, d))
        return SVA_ERR_DB;
    int r = sql_step(q);
    if (r == SQL_ROW) {
        snprintf(end, 16, "%s", sql_text(q, 0));
        snprintf(cycle, 48, "%s", sql_text(q, 1));
    }
    sql_finalize(q);
    return r == SQL_ROW || r == SQL_DONE ? SVA_OK : db_fail(db, d, "cannot read cycles");
}

sva_error db_after_closed(sva_db *db, const char *from, const char *flag, sva_diag *d)
{
    char end[16], cycle[48];
    sva_error rc = db_closed_end(db, end, cycle, d);
    if (rc || !*end || strcmp(from, end) > 0)
        return rc;
    sva_diag_add(d, NULL, 0,
                 "%s %s is not after closed cycle '%s' (it ends %s): a closed cycle's "
                 "organisation does not change (reopen it first, or give a later day)",
                 flag, from, cycle, end);
    return SVA_ERR_STATE;
}

/* ---- references: is a name there, and if not, which names is it close to ---------------- */

static const struct {
    const char *noun;  /* in messages */
    const char *list;  /* where to see them */
    const char *all;   /* every name, one column */
} REFS[] = {
    [SVA_REF_CYCLE] = {"cycle", "svcaudit cycle list", "SELECT id FROM cycle ORDER BY 1"},
    [SVA_REF_STORE] = {"store", "svcaudit store list", "SELECT id FROM store ORDER BY 1"},
    [SVA_REF_REGION] = {"region", "svcaudit store list",
                        "SELECT DISTINCT region FROM store WHERE region != '' ORDER BY 1"},
    [SVA_REF_EMPLOYEE] = {"employee", "svcaudit employee list",
                          "SELECT id FROM employee ORDER BY 1"},
    [SVA_REF_AUDITOR] = {"auditor", "svcaudit audit list --all",
                         "SELECT DISTINCT auditor FROM audit ORDER BY 1"},
    [SVA_REF_OWNER] = {"action owner", "svcaudit action list",
                       "SELECT DISTINCT owner FROM action WHERE owner != ''"
                       " ORDER BY 1"},
    [SVA_REF_CHECKLIST] = {"checklist", "svcaudit audit list --all",
                           "SELECT DISTINCT checklist_id FROM audit ORDER BY 1"},
    [SVA_REF_LOGGED_CYCLE] = {"cycle", "svcaudit cycle list",
                              "SELECT id FROM cycle UNION SELECT cycle_id FROM change_log"
                              " WHERE cycle_id IS NOT NULL ORDER BY 1"},
};

void db_ref_hint(sva_db *db, sva_ref_kind kind, const char *id, char *out, size_t size)
{
    char sug[512] = "";
    sql_stmt *q;
    const char **names = NULL;
    char **owned = NULL;
    size_t n = 0, cap = 0;
    if (id && sql_prepare(db->c, REFS[kind].all, &q, NULL) == SVA_OK) {
        while (sql_step(q) == SQL_ROW && n < 100000) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **no = realloc(owned, cap * sizeof *no);
                if (no)
                    owned = no;
                const char **nn = realloc(names, cap * sizeof *nn);
                if (nn)
                    names = nn;
                if (!no || !nn)
                    break;
            }
            if (!(owned[n] = db_col_text(q, 0)))
                break;
            names[n] = owned[n];
            n++;
        }
        sql_finalize(q);
        sva_suggest(id, names, n, sug, sizeof sug);
    }
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    free(owned);
    free(names);
    if (*sug)
        snprintf(out, size, "(did you mean %s?)", sug);
    else
        snprintf(out, size, "(see '%s')", REFS[kind].list);
}

void db_unknown(sva_db *db, sva_ref_kind kind, const char *id, const char *flag,
                const char *file, int line, sva_diag *d)
{
    char hint[600];
    db_ref_hint(db, kind, id, hint, sizeof hint);
    sva_diag_add(d, file, line, "%s%sunknown %s '%s' %s", flag ? flag : "", flag ? ": " : "",
                 REFS[kind].noun, id ? id : "", hint);
}

sva_error sva_db_ref_check(sva_db *db, sva_ref_kind kind, const char *id, const char *flag,
                           sva_diag *d)
{
    static const char *const one[] = {
        [SVA_REF_CYCLE] = "SELECT 1 FROM cycle WHERE id = ?1",
        [SVA_REF_STORE] = "SELECT 1 FROM store WHERE id = ?1",
        [SVA_REF_REGION] = "SELECT 1 FROM store WHERE region = ?1 AND region != ''",
        [SVA_REF_EMPLOYEE] = "SELECT 1 FROM employee WHERE id = ?1",
        [SVA_REF_AUDITOR] = "SELECT 1 FROM audit WHERE auditor = ?1",
        [SVA_REF_OWNER] = "SELECT 1 FROM action WHERE owner = ?1",
        [SVA_REF_CHECKLIST] = "SELECT 1 FROM audit WHERE checklist_id = ?1",
        [SVA_REF_LOGGED_CYCLE] = "SELECT 1 FROM cycle WHERE id = ?1"
                                 " UNION ALL SELECT 1 FROM change_log WHERE cycle_id = ?1",
    };
    int ex = db_exists(db, one[kind], id, d);
    if (ex < 0)
        return SVA_ERR_DB;
    if (ex)
        return SVA_OK;
    db_unknown(db, kind, id, flag, NULL, 0, d);
    return SVA_ERR_NOT_FOUND;
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
    /* cycles follow one another: a period that overlaps another is a mistake
     * (the empty one would become the "latest" cycle of every report) */
    sql_stmt *q;
    if ((rc = db_prep(db,
                      "SELECT id, date_from, date_to FROM cycle WHERE date_from <= ?2"
                      " AND date_to >= ?1 ORDER BY date_from, id LIMIT 1",
                      &q, d))) {
        db_end(db, false, d);
        return rc;
    }
    sql_bind_text(q, 1, from);
    sql_bind_text(q, 2, to);
    int r0 = sql_step(q);
    if (r0 == SQL_ROW)
        sva_diag_add(d, NULL, 0,
                     "cycle '%s' (%s .. %s) overlaps cycle '%s' (%s .. %s): cycles follow one "
                     "another",
                     id, from, to, sql_text(q, 0), sql_text(q, 1), sql_text(q, 2));
    sql_finalize(q);
    if (r0 != SQL_DONE) {
        db_end(db, false, d);
        return r0 == SQL_ROW ? SVA_ERR_CONFLICT : db_fail(db, d, "cannot read cycles");
    }
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
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "cycle %s", id);
        rc = db_log(db, id, "cycle open", obj, d, "%s .. %s", from, to);
    }
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
        db_unknown(db, SVA_REF_CYCLE, id, NULL, NULL, 0, d);
        return SVA_ERR_NOT_FOUND;
    }
    return SVA_OK;
}

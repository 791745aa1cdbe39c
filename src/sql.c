/* svcaudit: the statement layer (sql.h): each call goes to the driver that
 * opened the connection. PostgreSQL's claims its URLs (its module is opened
 * then: sql_pg_load.c), SQLite's every other name. */
#include "sql.h"

#include <stdio.h>

#define DRV(x) (((const struct sql_conn_head *)(x))->drv)
#define SDRV(x) (((const struct sql_stmt_head *)(x))->drv)

sva_error sql_open(const char *target, unsigned flags, sql_conn **out, bool *empty,
                   sva_diag *d)
{
    *out = NULL;
    if (!sql_pg_claims(target))
        return sql_sqlite_driver.open(target, flags, out, empty, d);
    const sql_driver *pg = sql_pg_load(d);
    return pg ? pg->open(target, flags, out, empty, d) : SVA_ERR_DB;
}

void sql_close(sql_conn *c)
{
    if (c)
        DRV(c)->close(c);
}

const char *sql_target(const sql_conn *c)
{
    return ((const struct sql_conn_head *)c)->target;
}

const char *sql_thing(const sql_conn *c)
{
    return DRV(c)->thing;
}

bool sql_is_file(const char *target)
{
    return !sql_pg_claims(target);
}

void sql_shown_name(const char *target, char *buf, size_t size)
{
    if (!sql_pg_claims(target)) {
        snprintf(buf, size, "%s", target);
        return;
    }
    /* the driver hides a password; without it, nothing of the URL is shown */
    const sql_driver *pg = sql_pg_load(NULL);
    if (pg && pg->shown)
        pg->shown(target, buf, size);
    else
        snprintf(buf, size, "postgresql://...");
}

void sql_batch(sql_conn *c, bool on)
{
    if (DRV(c)->batch)
        DRV(c)->batch(c, on);
}

void sql_round(sql_conn *c)
{
    if (DRV(c)->round)
        DRV(c)->round(c);
}

const sql_migration *sql_migrations(const sql_conn *c, size_t *n)
{
    return DRV(c)->migrations(n);
}

long sql_schema_version(sql_conn *c)
{
    return DRV(c)->schema_version(c);
}

sva_error sql_fail(sql_conn *c, sva_diag *d, const char *what)
{
    if (sql_last_fault(c) == SQL_FAULT_BUSY)
        sva_diag_add(d, sql_target(c), 0,
                     "%s: the database stayed busy (another svcaudit is writing); try again",
                     what);
    else
        sva_diag_add(d, sql_target(c), 0, "%s: %s", what, sql_errmsg(c));
    return SVA_ERR_DB;
}

/* A driver call's result, with the message the layer adds on failure. */
static sva_error checked(sql_conn *c, sva_error rc, sva_diag *d, const char *what)
{
    if (rc == SVA_ERR_DB)
        return sql_fail(c, d, what);
    return rc;
}

sva_error sql_set_schema_version(sql_conn *c, long v, sva_diag *d)
{
    return checked(c, DRV(c)->set_schema_version(c, v), d, "cannot update the database schema");
}

sva_error sql_schema_check(sql_conn *c, long version, sva_diag *d)
{
    char why[512] = "";
    if (!DRV(c)->schema_check) {
        sva_diag_add(d, sql_target(c), 0, "cannot check the schema of a %s database",
                     DRV(c)->name);
        return SVA_ERR_DB;
    }
    sva_error rc = DRV(c)->schema_check(c, version, why, sizeof why);
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, sql_target(c), 0, "out of memory");
    else if (rc)
        sva_diag_add(d, sql_target(c), 0, "%s", why);
    return rc;
}

sva_error sql_prepare(sql_conn *c, const char *sql, sql_stmt **out, sva_diag *d)
{
    return checked(c, DRV(c)->prepare(c, sql, out), d, "cannot prepare a query");
}

void sql_finalize(sql_stmt *s)
{
    if (s)
        SDRV(s)->finalize(s);
}

void sql_reset(sql_stmt *s)
{
    SDRV(s)->reset(s);
}

void sql_bind_text(sql_stmt *s, int i, const char *v)
{
    SDRV(s)->bind_text(s, i, v, true);
}

void sql_bind_text_ref(sql_stmt *s, int i, const char *v)
{
    SDRV(s)->bind_text(s, i, v, false);
}

void sql_bind_int(sql_stmt *s, int i, long long v)
{
    SDRV(s)->bind_int(s, i, v);
}

void sql_bind_double(sql_stmt *s, int i, double v)
{
    SDRV(s)->bind_double(s, i, v);
}

void sql_bind_blob_ref(sql_stmt *s, int i, const void *v, size_t n)
{
    SDRV(s)->bind_blob(s, i, v, n);
}

void sql_bind_null(sql_stmt *s, int i)
{
    SDRV(s)->bind_null(s, i);
}

int sql_step(sql_stmt *s)
{
    return SDRV(s)->step(s);
}

sql_kind sql_column_kind(sql_stmt *s, int col)
{
    return SDRV(s)->column_kind(s, col);
}

bool sql_is_null(sql_stmt *s, int col)
{
    return SDRV(s)->column_kind(s, col) == SQL_NULL;
}

const char *sql_text(sql_stmt *s, int col)
{
    return SDRV(s)->text(s, col);
}

long long sql_int(sql_stmt *s, int col)
{
    return SDRV(s)->int64(s, col);
}

double sql_double(sql_stmt *s, int col)
{
    return SDRV(s)->dbl(s, col);
}

const void *sql_blob(sql_stmt *s, int col, size_t *n)
{
    return SDRV(s)->blob(s, col, n);
}

sva_error sql_exec(sql_conn *c, const char *sql, sva_diag *d)
{
    return checked(c, DRV(c)->exec(c, sql), d, "database error");
}

long long sql_changes(sql_conn *c)
{
    return DRV(c)->changes(c);
}

sva_error sql_begin(sql_conn *c, bool write, sva_diag *d)
{
    return checked(c, DRV(c)->begin(c, write), d, "database error");
}

sva_error sql_catalog(sql_conn *c, sql_stmt **out, sva_diag *d)
{
    return checked(c, DRV(c)->prepare(c, DRV(c)->catalog_sql, out), d,
                   "cannot read the database's schema");
}

sva_error sql_defer_checks(sql_conn *c, sva_diag *d)
{
    return checked(c, DRV(c)->exec(c, DRV(c)->defer_sql), d, "database error");
}

sva_error sql_commit(sql_conn *c, sva_diag *d)
{
    return checked(c, DRV(c)->commit(c), d, "cannot commit");
}

void sql_rollback(sql_conn *c)
{
    DRV(c)->rollback(c);
}

sva_error sql_savepoint(sql_conn *c, sva_diag *d)
{
    return checked(c, DRV(c)->savepoint(c), d, "database error");
}

sva_error sql_release(sql_conn *c, sva_diag *d)
{
    return checked(c, DRV(c)->release(c), d, "database error");
}

void sql_rollback_to(sql_conn *c)
{
    DRV(c)->rollback_to(c);
}

sql_fault sql_last_fault(sql_conn *c)
{
    return DRV(c)->last_fault(c);
}

const char *sql_errmsg(sql_conn *c)
{
    return DRV(c)->errmsg(c);
}

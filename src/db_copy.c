/* svcaudit: copying a whole database into another, between any engines
 * (sva_db_copy): an office's SQLite file into the central PostgreSQL store,
 * or back. Two connections at once through the statement layer; the tables
 * and columns are read from the schemas themselves, which must be the same. */
#include "db_internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sva_db_name(const char *target, char *buf, size_t size)
{
    sql_shown_name(target, buf, size);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The catalogue of @p db as sorted lines "kind table name type notnull pk". */
static sva_error catalog(sva_db *db, char ***out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sql_stmt *q;
    if (sql_catalog(db->c, &q, d))
        return SVA_ERR_DB;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    sva_error rc = SVA_OK;
    while ((r = sql_step(q)) == SQL_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[cnt] = sva_asprintf("%s %s %s %s %lld %lld", sql_text(q, 0), sql_text(q, 1),
                              sql_text(q, 2), sql_text(q, 3), sql_int(q, 4), sql_int(q, 5));
        if (!v[cnt]) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        cnt++;
    }
    if (!rc && r != SQL_DONE)
        rc = db_fail(db, d, "cannot read the database's schema");
    sql_finalize(q);
    if (rc) {
        for (size_t i = 0; i < cnt; i++)
            free(v[i]);
        free(v);
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        return rc;
    }
    qsort(v, cnt, sizeof *v, cmp_str);
    *out = v;
    *n = cnt;
    return SVA_OK;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* A name from the schema, used in SQL: letters, digits and _ only (the
 * schema is svcaudit's own; this keeps anything else out of the SQL). */
static bool plain_name(const char *s, size_t n)
{
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || (i && s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* One table to copy: its name, its columns (comma-separated) and key. */
typedef struct copy_table {
    char name[64];
    sva_buf cols, key;
    int ncols;
} copy_table;

/* The tables and columns of a catalogue (lines "column TABLE NAME TYPE NN PK"). */
static sva_error tables_of(char **lines, size_t n, copy_table **out, size_t *nt, sva_diag *d)
{
    copy_table *t = NULL;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++) {
        char kind[16], table[64], col[64], type[32];
        long long nn, pk;
        if (sscanf(lines[i], "%15s %63s %63s %31s %lld %lld", kind, table, col, type, &nn, &pk) !=
                6 ||
            strcmp(kind, "column") != 0)
            continue;
        if (!plain_name(table, strlen(table)) || !plain_name(col, strlen(col))) {
            sva_diag_add(d, NULL, 0, "copy: unexpected name in the schema: %s.%s", table, col);
            goto fail;
        }
        if (!cnt || strcmp(t[cnt - 1].name, table) != 0) {
            copy_table *nv = realloc(t, (cnt + 1) * sizeof *nv);
            if (!nv)
                goto nomem;
            t = nv;
            memset(&t[cnt], 0, sizeof t[cnt]);
            snprintf(t[cnt].name, sizeof t[cnt].name, "%s", table);
            cnt++;
        }
        copy_table *c = &t[cnt - 1];
        sva_buf_printf(&c->cols, "%s%s", c->ncols ? ", " : "", col);
        c->ncols++;
        if (pk > 0 && pk <= 8) { /* the key's columns as "PK:NAME", ordered below */
            sva_buf_printf(&c->key, "%s%lld:%s", c->key.len ? "," : "", pk, col);
        }
        if (c->cols.failed || c->key.failed)
            goto nomem;
    }
    /* the key "2:b,1:a" as "a, b" */
    for (size_t k = 0; k < cnt; k++) {
        sva_buf ordered = {0};
        for (long want = 1; want <= 8; want++) {
            char tag[24]; /* room for any long: -O1 cannot see want <= 8 */
            snprintf(tag, sizeof tag, "%ld:", want);
            const char *s = t[k].key.data;
            for (const char *p = s; p && *p;) {
                size_t len = strcspn(p, ",");
                if (strncmp(p, tag, strlen(tag)) == 0)
                    sva_buf_printf(&ordered, "%s%.*s", ordered.len ? ", " : "",
                                   (int)(len - strlen(tag)), p + strlen(tag));
                p += len;
                if (*p == ',')
                    p++;
            }
        }
        if (ordered.failed) {
            sva_buf_free(&ordered);
            goto nomem;
        }
        sva_buf_free(&t[k].key);
        t[k].key = ordered;
    }
    *out = t;
    *nt = cnt;
    return SVA_OK;
nomem:
    sva_diag_add(d, NULL, 0, "out of memory");
fail:
    for (size_t k = 0; k < cnt; k++) {
        sva_buf_free(&t[k].cols);
        sva_buf_free(&t[k].key);
    }
    free(t);
    return SVA_ERR_NOMEM;
}

/* Does @p db hold a row in any table but meta? -1 on error; the table in @p which. */
static int holds_data(sva_db *db, const copy_table *t, size_t nt, const char **which,
                      sva_diag *d)
{
    for (size_t k = 0; k < nt; k++) {
        if (strcmp(t[k].name, "meta") == 0)
            continue;
        char *sql = sva_asprintf("SELECT 1 FROM %s LIMIT 1", t[k].name);
        if (!sql)
            return -1;
        sql_stmt *q;
        sva_error rc = db_prep(db, sql, &q, d);
        free(sql);
        if (rc)
            return -1;
        int r = sql_step(q);
        sql_finalize(q);
        if (r == SQL_ROW) {
            *which = t[k].name;
            return 1;
        }
        if (r != SQL_DONE) {
            db_fail(db, d, "cannot read the database");
            return -1;
        }
    }
    return 0;
}

/* Bind column @p i of the row of @p from as parameter @p i + 1 of @p to. */
static void bind_like(sql_stmt *to, sql_stmt *from, int i)
{
    switch (sql_column_kind(from, i)) {
    case SQL_INT: sql_bind_int(to, i + 1, sql_int(from, i)); break;
    case SQL_REAL: sql_bind_double(to, i + 1, sql_double(from, i)); break;
    case SQL_TEXT: sql_bind_text_ref(to, i + 1, sql_text(from, i)); break;
    case SQL_BLOB: {
        size_t n;
        const void *b = sql_blob(from, i, &n);
        sql_bind_blob_ref(to, i + 1, b ? b : "", n);
        break;
    }
    default: sql_bind_null(to, i + 1); break;
    }
}

/* Copy every row of table @p t (meta: every key but the engine's own). */
static sva_error copy_rows(sva_db *src, sva_db *dst, const copy_table *t, size_t *rows,
                           sva_diag *d)
{
    bool meta = strcmp(t->name, "meta") == 0;
    sva_buf params = {0};
    for (int i = 1; i <= t->ncols; i++)
        sva_buf_printf(&params, "%s?%d", i > 1 ? ", " : "", i);
    char *sel = sva_asprintf("SELECT %s FROM %s%s ORDER BY %s", t->cols.data, t->name,
                             meta ? " WHERE key != 'schema_version'" : "",
                             t->key.len ? t->key.data : "1");
    char *ins = sva_asprintf("INSERT INTO %s(%s) VALUES(%s)%s", t->name, t->cols.data,
                             params.data ? params.data : "",
                             meta ? " ON CONFLICT(key) DO UPDATE SET value = excluded.value" : "");
    sva_buf_free(&params);
    sql_stmt *from = NULL, *to = NULL;
    sva_error rc = SVA_OK;
    if (!sel || !ins) {
        sva_diag_add(d, NULL, 0, "out of memory");
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    if ((rc = db_prep(src, sel, &from, d)) || (rc = db_prep(dst, ins, &to, d)))
        goto out;
    int r;
    while ((r = sql_step(from)) == SQL_ROW) {
        sql_reset(to);
        for (int i = 0; i < t->ncols; i++)
            bind_like(to, from, i);
        if (sql_step(to) != SQL_DONE) {
            char *what = sva_asprintf("cannot copy table %s", t->name);
            rc = db_fail(dst, d, what ? what : "cannot copy");
            free(what);
            goto out;
        }
        (*rows)++;
    }
    if (r != SQL_DONE) {
        char *what = sva_asprintf("cannot read table %s", t->name);
        rc = db_fail(src, d, what ? what : "cannot read");
        free(what);
    }
out:
    sql_finalize(from);
    sql_finalize(to);
    free(sel);
    free(ins);
    return rc;
}

/* Are @p a and @p b the same file (two names of one SQLite database)? */
static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return sql_is_file(a) && sql_is_file(b) && stat(a, &x) == 0 && stat(b, &y) == 0 &&
           x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

sva_error sva_db_copy(const char *from, const char *to, sva_copy_stats *st, sva_diag *d)
{
    sva_copy_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (strcmp(from, to) == 0 || same_file(from, to)) {
        char name[256];
        sva_db_name(to, name, sizeof name);
        sva_diag_add(d, name, 0, "--from and --to are the same database");
        return SVA_ERR_USAGE;
    }
    sva_db *src = NULL, *dst = NULL;
    char **cs = NULL, **cd = NULL;
    size_t ns = 0, nd = 0, nt = 0;
    copy_table *t = NULL;
    bool created = false, begun = false, reading = false;
    sva_error rc;
    if ((rc = sva_db_open(from, SVA_DB_AS_IS, &src, d)) ||
        (rc = sva_db_open(to, SVA_DB_CREATE, &dst, d)))
        goto out;
    created = sva_db_created(dst);
    /* the same tables, columns, indexes and triggers on both sides */
    if ((rc = catalog(src, &cs, &ns, d)) || (rc = catalog(dst, &cd, &nd, d)))
        goto out;
    for (size_t i = 0, k = 0; i < ns || k < nd;) {
        int c = i == ns ? 1 : k == nd ? -1 : strcmp(cs[i], cd[k]);
        if (c == 0) {
            i++, k++;
            continue;
        }
        sva_diag_add(d, sql_target(c < 0 ? src->c : dst->c), 0,
                     "copy: the two schemas differ: only this one has '%s'",
                     c < 0 ? cs[i] : cd[k]);
        rc = SVA_ERR_DB;
        goto out;
    }
    if ((rc = tables_of(cd, nd, &t, &nt, d)))
        goto out;
    const char *which = NULL;
    int full = holds_data(dst, t, nt, &which, d);
    if (full) {
        if (full > 0)
            sva_diag_add(d, sql_target(dst->c), 0,
                         "holds data already (table %s): copy fills a new or empty database",
                         which);
        rc = full > 0 ? SVA_ERR_CONFLICT : SVA_ERR_DB;
        goto out;
    }
    /* a consistent read of the source; one transaction on the destination,
     * its foreign keys checked at the commit (tables come in any order) */
    if ((rc = sql_begin(src->c, false, d)))
        goto out;
    reading = true;
    sql_batch(dst->c, true);
    if ((rc = sql_begin(dst->c, true, d)))
        goto out;
    begun = true;
    /* the rows go in as they are: the triggers that keep sync versions and
     * master data's times (schema 6) stand aside, as for a merge */
    if ((rc = sql_defer_checks(dst->c, d)) ||
        (rc = db_exec(dst, "INSERT INTO meta VALUES('sync_applying', '1')", d)))
        goto out;
    for (size_t k = 0; k < nt; k++) {
        size_t rows = 0;
        if ((rc = copy_rows(src, dst, &t[k], &rows, d)))
            goto out;
        st->tables++;
        st->rows += rows;
        if (strcmp(t[k].name, "audit") == 0)
            st->audits = rows;
    }
    if ((rc = db_exec(dst, "DELETE FROM meta WHERE key = 'sync_applying'", d)))
        goto out;
    rc = sql_commit(dst->c, d);
    begun = false;
out:
    if (begun)
        sql_rollback(dst->c);
    if (dst)
        sql_batch(dst->c, false);
    if (reading)
        sql_rollback(src->c);
    for (size_t k = 0; k < nt; k++) {
        sva_buf_free(&t[k].cols);
        sva_buf_free(&t[k].key);
    }
    free(t);
    free_lines(cs, ns);
    free_lines(cd, nd);
    sva_db_close(src);
    sva_db_close(dst);
    if (rc) {
        memset(st, 0, sizeof *st);
        /* a file this copy created holds nothing worth keeping */
        if (created && sql_is_file(to)) {
            char *wal = sva_asprintf("%s-wal", to), *shm = sva_asprintf("%s-shm", to);
            unlink(to);
            if (wal)
                unlink(wal);
            if (shm)
                unlink(shm);
            free(wal);
            free(shm);
        }
    }
    return rc;
}

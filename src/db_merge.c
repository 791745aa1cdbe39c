/* svcaudit: merging another svcaudit database into this one (sva_db_merge).
 * The other file is a stranger's: it is opened untrusted (sql.h), its schema
 * compared object by object, and every row it holds is checked as if a user
 * typed it; every audit is validated and scored again from its answers and
 * its stored checklist text by the audit module, and the values written here
 * are those, never the file's. The first problem refuses the whole file with
 * one message; the merge is one transaction, so nothing of a refused file is
 * written. Audits are matched by UUID, everything else by id. */
#include "db_internal.h"
#include "svcaudit/audit.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* At most this many checklist versions in a received file (each is parsed
 * and kept while the merge runs). */
#define MAX_VERSIONS 2000

/* One checklist version of the file, parsed from its stored text. */
typedef struct mg_version {
    char hash[65];
    sva_checklist *cl;
} mg_version;

/* One employee of the file: where the file says they work. */
typedef struct mg_employee {
    char *id, *store;
} mg_employee;

enum { Q_FIND, Q_AUDIT, Q_ANSWER, Q_SECTION, Q_CYCLE, Q_EMPLOYEE, Q_VOID, Q_PLAN_DO, Q_N };

typedef struct mg {
    sva_db *db;
    sql_conn *o;          /* the other file */
    const char *file;     /* its name, for messages */
    sva_diag *d;
    sva_diag conf;        /* the conflicts found, reported when the merge is done */
    sva_merge_stats *st;
    bool refused;         /* a problem was reported: nothing is written */
    mg_version *v;        /* the file's checklist versions, by hash */
    size_t n_v;
    sva_map vmap;
    mg_employee *emp;     /* the file's employees, by id */
    size_t n_emp;
    sva_map empmap;
    sql_stmt *c[Q_N];     /* statements kept prepared for the audits */
} mg;

/* ---- refusing ------------------------------------------------------------------------- */

/* Refuse the file: one message naming it and what is wrong (only the first
 * problem is reported). @return SVA_ERR_INVALID. */
static sva_error refuse(mg *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static sva_error refuse(mg *m, const char *fmt, ...)
{
    if (!m->refused) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = sva_vasprintf(fmt, ap);
        va_end(ap);
        sva_diag_add(m->d, m->file, 0, "%s: nothing merged",
                     msg ? msg : "refused (out of memory)");
        free(msg);
        m->refused = true;
    }
    return SVA_ERR_INVALID;
}

/* A read of the other file failed (damaged, a value over the limit, too
 * much work): refused with the engine's reason. */
static sva_error unreadable(mg *m, const char *what)
{
    return refuse(m, "cannot read %s: %s", what, sql_errmsg(m->o));
}

/* ---- checking one column as if typed ------------------------------------------------------ */

enum col_kind {
    K_TEXT,   /* free text: UTF-8, no control characters but tab (F_LINES: and newline) */
    K_REF,    /* a store, employee or cycle id (sva_ref_id_valid) */
    K_CHK,    /* a checklist, section or item id (lower case, dots) */
    K_UUID,   /* 8-4-4-4-12 lower-case hex */
    K_HASH,   /* 64 lower-case hex digits */
    K_DATE,   /* YYYY-MM-DD */
    K_TIME,   /* YYYY-MM-DDTHH:MM:SSZ */
    K_INT,
    K_REAL,   /* finite */
    K_BLOB
};
enum { F_NULL = 1, F_EMPTY = 2, F_LINES = 4, F_NOTBLANK = 8 };

typedef struct mg_col {
    const char *name;
    enum col_kind kind;
    size_t max;      /* text and blobs: bytes */
    unsigned fl;
} mg_col;

static bool hex_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return false;
    return true;
}

static bool uuid_ok(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !hex_ok(s + i, 1))
            return false;
    }
    return true;
}

static bool time_ok(const char *s)
{
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    for (int i = 11; i < 19; i++)
        if (i != 13 && i != 16 && !isdigit((unsigned char)s[i]))
            return false;
    return sva_parse_date(date) && atoi(s + 11) < 24 && atoi(s + 14) < 60 && atoi(s + 17) < 61;
}

/* Free text: valid UTF-8, no control characters but tab (and newline with
 * F_LINES), no NUL inside. */
static const char *text_problem(const char *s, size_t n, unsigned fl)
{
    if (strlen(s) != n)
        return "holds a NUL byte";
    if (sva_utf8_valid_prefix((const unsigned char *)s, n) != n)
        return "is not valid UTF-8";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t' && !(ch == '\n' && (fl & F_LINES))) || ch == 0x7f)
            return "holds a control character";
    }
    return NULL;
}

/* Why column @p i of the current row of @p q does not pass @p c; NULL if it
 * does. */
static const char *col_problem(sql_stmt *q, int i, const mg_col *c, char *buf, size_t size)
{
    sql_kind k = sql_column_kind(q, i);
    if (k == SQL_NULL)
        return c->fl & F_NULL ? NULL : "is missing (NULL)";
    switch (c->kind) {
    case K_INT:
        return k == SQL_INT ? NULL : "is not a whole number";
    case K_REAL:
        if (k != SQL_REAL && k != SQL_INT)
            return "is not a number";
        return isfinite(sql_double(q, i)) ? NULL : "is not a finite number";
    case K_BLOB: {
        size_t n = 0;
        if (k != SQL_BLOB)
            return "is not a blob";
        sql_blob(q, i, &n);
        if (n > c->max) {
            snprintf(buf, size, "is longer than %zu bytes", c->max);
            return buf;
        }
        return NULL;
    }
    default:
        break;
    }
    if (k != SQL_TEXT)
        return "is not text";
    const char *s = sql_text(q, i);
    size_t n = 0;
    sql_blob(q, i, &n);
    if (!s)
        return "cannot be read";
    const char *why = text_problem(s, n, c->fl);
    if (why)
        return why;
    if (n > c->max) {
        snprintf(buf, size, "is longer than %zu bytes", c->max);
        return buf;
    }
    if (n == 0)
        return c->fl & F_EMPTY ? NULL : "is empty";
    switch (c->kind) {
    case K_TEXT:
        return (c->fl & F_NOTBLANK) && sva_text_blank(s) ? "is blank (only spaces)" : NULL;
    case K_REF:
        return sva_ref_id_valid(s) ? NULL : "is not a valid id (A-Z a-z 0-9 _ . -, at most 40)";
    case K_CHK:
        return sva_valid_id(s, true) ? NULL : "is not a valid id (a-z 0-9 _ . -)";
    case K_UUID:
        return uuid_ok(s) ? NULL : "is not a UUID";
    case K_HASH:
        return n == 64 && hex_ok(s, 64) ? NULL : "is not a SHA-256 (64 hex digits)";
    case K_DATE:
        return sva_parse_date(s) ? NULL : "is not a date (YYYY-MM-DD)";
    case K_TIME:
        return time_ok(s) ? NULL : "is not a time (YYYY-MM-DDTHH:MM:SSZ)";
    default:
        return NULL;
    }
}

/* What the current row is, for messages: WHAT 'KEY' when its first column is
 * a short readable text, else WHAT in row N. */
static void row_label(sql_stmt *q, const char *what, long row, char *buf, size_t size)
{
    const char *s = sql_column_kind(q, 0) == SQL_TEXT ? sql_text(q, 0) : NULL;
    size_t n = 0;
    if (s)
        sql_blob(q, 0, &n);
    if (s && n > 0 && n <= 64 && !text_problem(s, n, 0))
        snprintf(buf, size, "%s '%s'", what, s);
    else if (sql_column_kind(q, 0) == SQL_INT)
        snprintf(buf, size, "%s %lld", what, sql_int(q, 0));
    else
        snprintf(buf, size, "%s in row %ld", what, row);
}

/* Check every column of the current row of @p q against @p cols. */
static sva_error check_row(mg *m, sql_stmt *q, const mg_col *cols, size_t n, const char *label)
{
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        const char *why = col_problem(q, (int)i, &cols[i], buf, sizeof buf);
        if (why)
            return refuse(m, "%s: %s %s", label, cols[i].name, why);
    }
    return SVA_OK;
}

/* "SELECT col, col, ... FROM table ORDER BY order": the statement from a
 * column list (constant names only). */
static sva_error select_cols(mg *m, const char *table, const mg_col *cols, size_t n,
                             const char *order, sql_stmt **q)
{
    sva_buf b = {0};
    sva_buf_puts(&b, "SELECT ");
    for (size_t i = 0; i < n; i++)
        sva_buf_printf(&b, "%s%s", i ? ", " : "", cols[i].name);
    sva_buf_printf(&b, " FROM %s ORDER BY %s", table, order);
    if (b.failed) {
        sva_buf_free(&b);
        return SVA_ERR_NOMEM;
    }
    sva_diag tmp;
    sva_diag_init(&tmp);
    sva_error rc = sql_prepare(m->o, b.data, q, &tmp);
    sva_buf_free(&b);
    if (rc)
        rc = unreadable(m, table);
    sva_diag_clear(&tmp);
    return rc;
}

#define NCOLS(a) (sizeof(a) / sizeof *(a))

/* ---- the other file: is it an svcaudit database of this schema? --------------------------- */

static sva_error open_other(mg *m)
{
    bool empty = false;
    sva_error rc = sql_open(m->file, SQL_OPEN_UNTRUSTED, &m->o, &empty, m->d);
    if (rc)
        return rc == SVA_ERR_NOMEM ? rc : SVA_ERR_DB;
    long v = empty ? 0 : sql_schema_version(m->o);
    if (v <= 0) {
        sva_diag_add(m->d, m->file, 0, "not an svcaudit database%s",
                     v < 0 ? " (its header cannot be read)" : empty ? " (the file is empty)"
                                                                   : "");
        return SVA_ERR_DB;
    }
    if (v > SVA_SCHEMA_VERSION) {
        sva_diag_add(m->d, m->file, 0,
                     "made by a newer svcaudit (schema %ld; this one knows up to %d): upgrade "
                     "svcaudit to merge it",
                     v, SVA_SCHEMA_VERSION);
        return SVA_ERR_DB;
    }
    /* an older file is named, and not read: its tables are not this schema's */
    sql_stmt *q;
    int app = 0;
    sva_diag tmp;
    sva_diag_init(&tmp);
    if (sql_prepare(m->o, "SELECT value FROM meta WHERE key = 'application'", &q, &tmp) ==
        SVA_OK) {
        app = sql_step(q) == SQL_ROW && sql_column_kind(q, 0) == SQL_TEXT &&
              strcmp(sql_text(q, 0), "svcaudit") == 0;
        sql_finalize(q);
    }
    sva_diag_clear(&tmp);
    if (!app) {
        sva_diag_add(m->d, m->file, 0, "not an svcaudit database");
        return SVA_ERR_DB;
    }
    if (v != SVA_SCHEMA_VERSION) {
        sva_diag_add(m->d, m->file, 0,
                     "an older schema (%ld; this svcaudit writes %d): open it once with this "
                     "svcaudit (e.g. 'svcaudit --db %s audit list') to bring it up to date",
                     v, SVA_SCHEMA_VERSION, m->file);
        return SVA_ERR_DB;
    }
    sva_diag_init(&tmp);
    rc = sql_schema_check(m->o, v, &tmp);
    if (rc == SVA_ERR_DB && tmp.n)
        refuse(m, "%s", tmp.msgs[0].msg);
    sva_diag_clear(&tmp);
    if (rc)
        return rc == SVA_ERR_NOMEM ? rc : SVA_ERR_INVALID;
    sva_diag_init(&tmp);
    rc = sql_prepare(m->o, "PRAGMA quick_check(1)", &q, &tmp);
    sva_diag_clear(&tmp);
    if (rc)
        return unreadable(m, "it");
    int r = sql_step(q);
    bool fine = r == SQL_ROW && sql_column_kind(q, 0) == SQL_TEXT &&
                strcmp(sql_text(q, 0), "ok") == 0;
    if (r == SQL_ROW && !fine) {
        /* its first problem, on one line */
        char what[200];
        const char *t = sql_text(q, 0) ? sql_text(q, 0) : "?";
        if (strncmp(t, "*** in database main ***\n", 25) == 0)
            t += 25;
        snprintf(what, sizeof what, "%s", t);
        for (char *p = what; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        refuse(m, "damaged database (its quick check says: %s)", what);
    }
    else if (r != SQL_ROW)
        unreadable(m, "it");
    sql_finalize(q);
    return m->refused ? SVA_ERR_INVALID : SVA_OK;
}

/* The meta table: only the keys svcaudit writes, each a value of its kind. */
static sva_error check_meta(mg *m)
{
    static const mg_col cols[] = {{"key", K_CHK, 40, 0}, {"value", K_TEXT, 200, F_EMPTY}};
    sql_stmt *q;
    if (select_cols(m, "meta", cols, NCOLS(cols), "key", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    bool salt = false;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        row_label(q, "meta key", ++row, label, sizeof label);
        if ((rc = check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *k = sql_text(q, 0), *v = sql_text(q, 1);
        if (strcmp(k, "application") == 0)
            continue;
        if (strcmp(k, "pseudonym_salt") == 0 && strlen(v) == 32 && hex_ok(v, 32))
            salt = true;
        else if (strcmp(k, "pseudonym_salt") == 0)
            rc = refuse(m, "%s: not 32 hex digits", label);
        else
            rc = refuse(m, "%s is not one svcaudit writes", label);
    }
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its meta table");
    if (!rc && !salt)
        rc = refuse(m, "its meta table has no pseudonym_salt");
    sql_finalize(q);
    return rc;
}

/* ---- conflicts: reported, this database's record kept ---------------------------------------- */

static void conflict(mg *m, const char *what, const char *id, const char *here,
                     const char *there)
{
    sva_diag_add(&m->conf, NULL, 0,
                 "conflict: %s '%s' differs (here: %s; there: %s); kept this one", what, id, here,
                 there);
    m->st->conflicts++;
}

/* ---- stores, employees, cycles -------------------------------------------------------------- */

static sva_error merge_stores(mg *m)
{
    static const mg_col cols[] = {{"id", K_REF, 40, 0},
                                  {"name", K_TEXT, 200, F_NOTBLANK},
                                  {"region", K_TEXT, 100, F_EMPTY | F_NOTBLANK}};
    sql_stmt *q, *get = NULL, *put = NULL;
    if (select_cols(m, "store", cols, NCOLS(cols), "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, "SELECT name, region FROM store WHERE id = ?1", &get, m->d) ||
        db_prep(m->db, "INSERT INTO store(id, name, region) VALUES(?1, ?2, ?3)", &put, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        row_label(q, "store", ++row, label, sizeof label);
        if ((rc = check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *id = sql_text(q, 0), *name = sql_text(q, 1), *region = sql_text(q, 2);
        sql_reset(get);
        sql_bind_text(get, 1, id);
        int g = sql_step(get);
        if (g == SQL_ROW) {
            if (strcmp(sql_text(get, 0), name) != 0 || strcmp(sql_text(get, 1), region) != 0) {
                char *here = sva_asprintf("%s / %s", sql_text(get, 0), sql_text(get, 1));
                char *there = sva_asprintf("%s / %s", name, region);
                conflict(m, "store", id, here ? here : "?", there ? there : "?");
                free(here);
                free(there);
            }
        } else if (g == SQL_DONE) {
            sql_reset(put);
            sql_bind_text(put, 1, id);
            sql_bind_text(put, 2, name);
            sql_bind_text(put, 3, region);
            if (sql_step(put) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot add a store");
            m->st->stores_added++;
        } else {
            rc = db_fail(m->db, m->d, "cannot read stores");
        }
    }
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its stores");
    sql_finalize(q);
    sql_finalize(get);
    sql_finalize(put);
    return rc;
}

static int cmp_employee(const void *a, const void *b)
{
    return strcmp(((const mg_employee *)a)->id, ((const mg_employee *)b)->id);
}

static sva_error merge_employees(mg *m)
{
    static const mg_col cols[] = {{"id", K_REF, 40, 0},
                                  {"name", K_TEXT, 200, F_NOTBLANK},
                                  {"store_id", K_REF, 40, 0},
                                  {"role", K_TEXT, 100, F_EMPTY | F_NOTBLANK}};
    sql_stmt *q, *get = NULL, *put = NULL, *store = NULL;
    if (select_cols(m, "employee", cols, NCOLS(cols), "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, "SELECT name, store_id, role FROM employee WHERE id = ?1", &get, m->d) ||
        db_prep(m->db, "INSERT INTO employee(id, name, store_id, role) VALUES(?1, ?2, ?3, ?4)",
                &put, m->d) ||
        db_prep(m->db, "SELECT 1 FROM store WHERE id = ?1", &store, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    size_t cap = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        row_label(q, "employee", ++row, label, sizeof label);
        if ((rc = check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *id = sql_text(q, 0), *name = sql_text(q, 1), *at = sql_text(q, 2),
                   *role = sql_text(q, 3);
        /* every store of the file is here by now: added, or here already */
        sql_reset(store);
        sql_bind_text(store, 1, at);
        int s = sql_step(store);
        if (s == SQL_DONE) {
            rc = refuse(m, "%s: works at store '%s', which the file does not have", label, at);
            break;
        }
        if (s != SQL_ROW) {
            rc = db_fail(m->db, m->d, "cannot read stores");
            break;
        }
        if (m->n_emp == cap) {
            size_t nc = cap ? cap * 2 : 64;
            mg_employee *ne = realloc(m->emp, nc * sizeof *ne);
            if (!ne) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            m->emp = ne;
            cap = nc;
        }
        mg_employee *e = &m->emp[m->n_emp];
        e->id = sva_strdup(id);
        e->store = sva_strdup(at);
        if (!e->id || !e->store) {
            free(e->id);
            free(e->store);
            rc = SVA_ERR_NOMEM;
            break;
        }
        m->n_emp++;
        sql_reset(get);
        sql_bind_text(get, 1, id);
        int g = sql_step(get);
        if (g == SQL_ROW) {
            if (strcmp(sql_text(get, 0), name) != 0 || strcmp(sql_text(get, 1), at) != 0 ||
                strcmp(sql_text(get, 2), role) != 0) {
                char *here = sva_asprintf("%s @ %s / %s", sql_text(get, 0), sql_text(get, 1),
                                          sql_text(get, 2));
                char *there = sva_asprintf("%s @ %s / %s", name, at, role);
                conflict(m, "employee", id, here ? here : "?", there ? there : "?");
                free(here);
                free(there);
            }
        } else if (g == SQL_DONE) {
            sql_reset(put);
            sql_bind_text(put, 1, id);
            sql_bind_text(put, 2, name);
            sql_bind_text(put, 3, at);
            sql_bind_text(put, 4, role);
            if (sql_step(put) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot add an employee");
            m->st->employees_added++;
        } else {
            rc = db_fail(m->db, m->d, "cannot read employees");
        }
    }
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its employees");
    sql_finalize(q);
    sql_finalize(get);
    sql_finalize(put);
    sql_finalize(store);
    /* read in id order: sorted already; the map finds them */
    if (!rc)
        qsort(m->emp, m->n_emp, sizeof *m->emp, cmp_employee);
    for (size_t i = 0; !rc && i < m->n_emp; i++)
        if (!sva_map_put(&m->empmap, m->emp[i].id, i))
            rc = SVA_ERR_NOMEM;
    return rc;
}

static const char *const CYCLE_STATES[] = {"plan", "do", "check", "act", "closed"};

static bool one_of(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, v[i]) == 0)
            return true;
    return false;
}

static sva_error merge_cycles(mg *m)
{
    static const mg_col cols[] = {{"id", K_REF, 40, 0},
                                  {"date_from", K_DATE, 10, 0},
                                  {"date_to", K_DATE, 10, 0},
                                  {"state", K_CHK, 10, 0},
                                  {"created_at", K_TIME, 20, 0}};
    sql_stmt *q, *get = NULL, *put = NULL;
    if (select_cols(m, "cycle", cols, NCOLS(cols), "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, "SELECT date_from, date_to FROM cycle WHERE id = ?1", &get, m->d) ||
        db_prep(m->db,
                "INSERT INTO cycle(id, date_from, date_to, state, created_at)"
                " VALUES(?1, ?2, ?3, 'plan', ?4)",
                &put, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        row_label(q, "cycle", ++row, label, sizeof label);
        if ((rc = check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *id = sql_text(q, 0), *from = sql_text(q, 1), *to = sql_text(q, 2);
        if (strcmp(from, to) > 0) {
            rc = refuse(m, "%s: ends (%s) before it starts (%s)", label, to, from);
            break;
        }
        if (!one_of(sql_text(q, 3), CYCLE_STATES, NCOLS(CYCLE_STATES))) {
            rc = refuse(m, "%s: state '%s' is not one of plan, do, check, act, closed", label,
                        sql_text(q, 3));
            break;
        }
        sql_reset(get);
        sql_bind_text(get, 1, id);
        int g = sql_step(get);
        if (g == SQL_ROW) {
            if (strcmp(sql_text(get, 0), from) != 0 || strcmp(sql_text(get, 1), to) != 0) {
                char *here = sva_asprintf("%s..%s", sql_text(get, 0), sql_text(get, 1));
                char *there = sva_asprintf("%s..%s", from, to);
                conflict(m, "cycle", id, here ? here : "?", there ? there : "?");
                free(here);
                free(there);
            }
        } else if (g == SQL_DONE) {
            sql_reset(put);
            sql_bind_text(put, 1, id);
            sql_bind_text(put, 2, from);
            sql_bind_text(put, 3, to);
            sql_bind_text(put, 4, sql_text(q, 4));
            if (sql_step(put) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot add a cycle");
            m->st->cycles_added++;
        } else {
            rc = db_fail(m->db, m->d, "cannot read cycles");
        }
    }
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its cycles");
    sql_finalize(q);
    sql_finalize(get);
    sql_finalize(put);
    return rc;
}

/* ---- checklist versions: each text parsed, its hash and id checked ------------------------------ */

static sva_error merge_versions(mg *m)
{
    static const mg_col cols[] = {{"hash", K_HASH, 64, 0},
                                  {"checklist_id", K_CHK, 100, 0},
                                  {"version", K_INT, 0, 0},
                                  {"source", K_BLOB, SQL_UNTRUSTED_MAX_VALUE, 0},
                                  {"stored_at", K_TIME, 20, 0}};
    sql_stmt *q, *has = NULL, *put = NULL;
    if (select_cols(m, "checklist_version", cols, NCOLS(cols), "hash", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, "SELECT 1 FROM checklist_version WHERE hash = ?1", &has, m->d) ||
        db_prep(m->db,
                "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at)"
                " VALUES(?1, ?2, ?3, ?4, ?5)",
                &put, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[128];
        row_label(q, "checklist version", ++row, label, sizeof label);
        if ((rc = check_row(m, q, cols, NCOLS(cols), label)))
            break;
        if (m->n_v == MAX_VERSIONS) {
            rc = refuse(m, "more than %d checklist versions", MAX_VERSIONS);
            break;
        }
        const char *hash = sql_text(q, 0), *id = sql_text(q, 1);
        long long version = sql_int(q, 2);
        size_t len = 0;
        const void *src = sql_blob(q, 3, &len);
        char name[160];
        snprintf(name, sizeof name, "%s (version %lld, stored in %s)", id, version, m->file);
        sva_diag tmp;
        sva_diag_init(&tmp);
        sva_checklist *cl = NULL;
        sva_error prc = sva_checklist_parse(name, src ? src : "", len, &cl, &tmp);
        if (prc == SVA_ERR_NOMEM)
            rc = SVA_ERR_NOMEM;
        else if (prc) {
            char first[512] = "it does not load";
            if (tmp.n)
                sva_diag_format(&tmp, 0, first, sizeof first);
            rc = refuse(m, "checklist version %.12s: its stored text does not load: %s", hash,
                        first);
        } else if (strcmp(cl->hash, hash) != 0)
            rc = refuse(m, "checklist version %.12s: its stored text has another hash (%.12s)",
                        hash, cl->hash);
        else if (strcmp(cl->id, id) != 0 || cl->version != version)
            rc = refuse(m, "checklist version %.12s: it says %s version %lld, its text %s "
                           "version %ld",
                        hash, id, version, cl->id, cl->version);
        sva_diag_clear(&tmp);
        if (rc) {
            sva_checklist_free(cl);
            break;
        }
        mg_version *nv = realloc(m->v, (m->n_v + 1) * sizeof *nv);
        if (!nv) {
            sva_checklist_free(cl);
            rc = SVA_ERR_NOMEM;
            break;
        }
        m->v = nv;
        memcpy(nv[m->n_v].hash, hash, 65);
        nv[m->n_v].cl = cl;
        m->n_v++;
        sql_reset(has);
        sql_bind_text(has, 1, hash);
        int g = sql_step(has);
        if (g == SQL_DONE) {
            sql_reset(put);
            sql_bind_text(put, 1, hash);
            sql_bind_text(put, 2, id);
            sql_bind_int(put, 3, version);
            sql_bind_blob_ref(put, 4, cl->source, cl->source_len);
            sql_bind_text(put, 5, sql_text(q, 4));
            if (sql_step(put) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot add a checklist version");
            m->st->checklists_added++;
        } else if (g != SQL_ROW) {
            rc = db_fail(m->db, m->d, "cannot read checklist versions");
        }
    }
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its checklist versions");
    sql_finalize(q);
    sql_finalize(has);
    sql_finalize(put);
    for (size_t i = 0; !rc && i < m->n_v; i++)
        if (!sva_map_put(&m->vmap, m->v[i].hash, i))
            rc = SVA_ERR_NOMEM;
    return rc;
}

/* ---- audits: validated and scored again, then added ------------------------------------------ */

/* The audit columns, in the order the checks below read them. */
static const mg_col AUDIT_COLS[] = {
    {"id", K_INT, 0, 0},
    {"uuid", K_UUID, 36, 0},
    {"checklist_hash", K_HASH, 64, 0},
    {"checklist_id", K_CHK, 100, 0},
    {"checklist_version", K_INT, 0, 0},
    {"feeds", K_CHK, 10, 0},
    {"cycle_id", K_REF, 40, 0},
    {"store_id", K_REF, 40, 0},
    {"employee_id", K_REF, 40, F_NULL},
    {"auditor", K_TEXT, 100, 0},
    {"audit_date", K_DATE, 10, 0},
    {"scorable", K_INT, 0, 0},
    {"pct", K_REAL, 0, F_NULL},
    {"raw_pct", K_REAL, 0, F_NULL},
    {"failed", K_INT, 0, 0},
    {"n_failed_critical", K_INT, 0, 0},
    {"n_items", K_INT, 0, 0},
    {"n_na", K_INT, 0, 0},
    {"points", K_REAL, 0, 0},
    {"max_points", K_REAL, 0, 0},
    {"recorded_at", K_TIME, 20, 0},
    {"voided_at", K_TIME, 20, F_NULL},
    {"void_reason", K_TEXT, 1000, F_NULL},
    {"fingerprint", K_HASH, 64, 0},
    {"n_answered", K_INT, 0, 0},
    {"n_passed", K_INT, 0, 0},
    {"item_marks", K_TEXT, 100000, F_EMPTY},
};
enum {
    A_ID, A_UUID, A_HASH, A_CL, A_VER, A_FEEDS, A_CYCLE, A_STORE, A_EMP, A_AUDITOR, A_DATE,
    A_SCORABLE, A_PCT, A_RAW, A_FAILED, A_NFC, A_NITEMS, A_NNA, A_POINTS, A_MAX, A_RECORDED,
    A_VOIDED, A_REASON, A_FP, A_NANS, A_NPASS, A_MARKS
};

static const mg_col ANSWER_COLS[] = {
    {"audit_id", K_INT, 0, 0},       {"item_no", K_INT, 0, 0},
    {"item_id", K_CHK, 100, 0},      {"section_id", K_CHK, 100, 0},
    {"value", K_INT, 0, F_NULL},     {"points", K_REAL, 0, 0},
    {"max_points", K_REAL, 0, 0},    {"passed", K_INT, 0, F_NULL},
    {"note", K_TEXT, 4000, F_EMPTY}, {"evidence", K_TEXT, 1000, F_EMPTY},
};
static const mg_col SECTION_COLS[] = {
    {"audit_id", K_INT, 0, 0}, {"section_id", K_CHK, 100, 0}, {"scorable", K_INT, 0, 0},
    {"pct", K_REAL, 0, F_NULL}, {"points", K_REAL, 0, 0},     {"max_points", K_REAL, 0, 0},
};

/* Two scores the same? Both computed by this scoring module; the tolerance
 * allows for another machine's last bit, not for another score. */
static bool same_num(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (1 + fabs(a) + fabs(b));
}

/* The answers and section scores of the file, read alongside its audits. */
typedef struct mg_cursor {
    sql_stmt *q;
    int r;        /* SQL_ROW, SQL_DONE or SQL_ERROR */
    long row;
} mg_cursor;

static void advance(mg_cursor *c)
{
    c->r = sql_step(c->q);
    c->row++;
}

/* "audit 3, answer 5" (or "answer in row 12" while the numbers are not
 * numbers): the current row of an answer or section score cursor. */
static void cursor_label(mg_cursor *c, const char *what, const char *of, char *buf, size_t size)
{
    if (sql_column_kind(c->q, 0) == SQL_INT && sql_column_kind(c->q, 1) == SQL_INT)
        snprintf(buf, size, "audit %lld, %s %s %lld", sql_int(c->q, 0), what, of,
                 sql_int(c->q, 1));
    else if (sql_column_kind(c->q, 0) == SQL_INT && sql_column_kind(c->q, 1) == SQL_TEXT)
        snprintf(buf, size, "audit %lld, %s of %s '%.40s'", sql_int(c->q, 0), what, of,
                 sql_text(c->q, 1));
    else
        snprintf(buf, size, "%s in row %ld", what, c->row);
}

/* One audit of the file, as read: its answers (owned) and where it belongs. */
typedef struct mg_audit {
    sva_answer *ans;
    size_t n;
    const sva_checklist *cl;
    const char *label;
} mg_audit;

static void audit_answers_free(mg_audit *a)
{
    for (size_t i = 0; a->ans && i < a->n; i++) {
        free(a->ans[i].note);
        free(a->ans[i].evidence);
    }
    free(a->ans);
    a->ans = NULL;
}

/* Read the answers of audit @p id (the cursor's rows for it) into @p a, each
 * checked against its item; the stored points are compared after scoring. */
static sva_error read_answers(mg *m, mg_cursor *c, long long id, mg_audit *a, double *pts,
                              double *maxs, int *passed)
{
    const sva_checklist *cl = a->cl;
    size_t seen = 0;
    for (; c->r == SQL_ROW; advance(c)) {
        char label[96];
        cursor_label(c, "answer to", "item", label, sizeof label);
        if (check_row(m, c->q, ANSWER_COLS, NCOLS(ANSWER_COLS), label))
            return SVA_ERR_INVALID;
        long long aid = sql_int(c->q, 0);
        if (aid < id)
            return refuse(m, "answers of audit %lld, which the file does not have", aid);
        if (aid > id)
            break;
        long long no = sql_int(c->q, 1);
        if (no < 0 || no >= (long long)cl->n_items)
            return refuse(m, "%s: an answer to item number %lld; its checklist has %zu items",
                          a->label, no, cl->n_items);
        if (no != (long long)seen)
            return refuse(m, "%s: no answer to item '%s'", a->label, cl->items[seen].id);
        const sva_item *it = &cl->items[no];
        if (strcmp(sql_text(c->q, 2), it->id) != 0 ||
            strcmp(sql_text(c->q, 3), cl->sections[it->section].id) != 0)
            return refuse(m, "%s: answer %lld is to item '%s' of section '%s'; its checklist "
                             "has '%s' of '%s' there",
                          a->label, no, sql_text(c->q, 2), sql_text(c->q, 3), it->id,
                          cl->sections[it->section].id);
        sva_answer *an = &a->ans[no];
        an->answered = true;
        an->na = sql_is_null(c->q, 4);
        if (!an->na) {
            long long v = sql_int(c->q, 4);
            if (v < 0 || v > it->scale.max)
                return refuse(m, "%s: item '%s': answer %lld is outside the scale 0..%d",
                              a->label, it->id, v, it->scale.max);
            an->value = (int)v;
        }
        const char *note = sql_text(c->q, 8), *ev = sql_text(c->q, 9);
        if ((*note && !(an->note = sva_strdup(note))) || (*ev && !(an->evidence = sva_strdup(ev))))
            return SVA_ERR_NOMEM;
        pts[no] = sql_double(c->q, 5);
        maxs[no] = sql_double(c->q, 6);
        passed[no] = sql_is_null(c->q, 7) ? -1 : (int)sql_int(c->q, 7);
        seen++;
    }
    if (c->r == SQL_ERROR)
        return unreadable(m, "its answers");
    if (seen != cl->n_items)
        return refuse(m, "%s: %zu answers for the %zu items of its checklist", a->label, seen,
                      cl->n_items);
    return SVA_OK;
}

/* Check the section scores of audit @p id against the new scoring. */
static sva_error check_sections(mg *m, mg_cursor *c, long long id, const mg_audit *a,
                                const sva_score *sc)
{
    const sva_checklist *cl = a->cl;
    size_t seen = 0;
    for (; c->r == SQL_ROW; advance(c)) {
        char label[96];
        cursor_label(c, "score of", "section", label, sizeof label);
        if (check_row(m, c->q, SECTION_COLS, NCOLS(SECTION_COLS), label))
            return SVA_ERR_INVALID;
        long long aid = sql_int(c->q, 0);
        if (aid < id)
            return refuse(m, "section scores of audit %lld, which the file does not have", aid);
        if (aid > id)
            break;
        long s = sva_checklist_section_index(cl, sql_text(c->q, 1));
        if (s < 0)
            return refuse(m, "%s: a score for section '%s', which its checklist has not",
                          a->label, sql_text(c->q, 1));
        const sva_section_score *ss = &sc->sections[s];
        bool scorable = sql_int(c->q, 2) != 0;
        if (scorable != ss->scorable || (scorable && (sql_is_null(c->q, 3) ||
                                                      !same_num(sql_double(c->q, 3), ss->pct))) ||
            (!scorable && !sql_is_null(c->q, 3)) || !same_num(sql_double(c->q, 4), ss->points) ||
            !same_num(sql_double(c->q, 5), ss->max))
            return refuse(m, "%s: the stored score of section '%s' disagrees with its answers",
                          a->label, cl->sections[s].id);
        seen++;
    }
    if (c->r == SQL_ERROR)
        return unreadable(m, "its section scores");
    if (seen != cl->n_sections)
        return refuse(m, "%s: %zu section scores for the %zu sections of its checklist",
                      a->label, seen, cl->n_sections);
    return SVA_OK;
}

/* The stored figures of the audit row against the new scoring. */
static sva_error check_score(mg *m, sql_stmt *q, const mg_audit *a, const sva_audit_ready *r,
                             const double *pts, const double *maxs, const int *passed,
                             const char *marks, const char *fp)
{
    const sva_score *sc = &r->score;
    char want[32] = "none";
    if (sc->scorable)
        snprintf(want, sizeof want, "%.1f", sc->pct);
    bool scorable = sql_int(q, A_SCORABLE) != 0;
    if (scorable != sc->scorable ||
        (scorable && (sql_is_null(q, A_PCT) || sql_is_null(q, A_RAW) ||
                      !same_num(sql_double(q, A_PCT), sc->pct) ||
                      !same_num(sql_double(q, A_RAW), sc->raw_pct))) ||
        (!scorable && (!sql_is_null(q, A_PCT) || !sql_is_null(q, A_RAW)))) {
        char got[32] = "none";
        if (!sql_is_null(q, A_PCT))
            snprintf(got, sizeof got, "%g", sql_double(q, A_PCT));
        return refuse(m, "%s: its stored score %s disagrees with its answers (%s)", a->label,
                      got, want);
    }
    long long answered = 0, npass = 0;
    for (size_t i = 0; i < a->cl->n_items; i++) {
        const sva_item_score *is = &sc->items[i];
        if (!is->na) {
            answered++;
            npass += is->passed;
        }
        int want_passed = is->na ? -1 : is->passed;
        if (!same_num(pts[i], is->points) || !same_num(maxs[i], is->max) ||
            passed[i] != want_passed)
            return refuse(m, "%s: the stored points of item '%s' disagree with its answer",
                          a->label, a->cl->items[i].id);
    }
    if ((sql_int(q, A_FAILED) != 0) != sc->failed ||
        sql_int(q, A_NFC) != (long long)sc->n_failed_critical ||
        sql_int(q, A_NITEMS) != (long long)sc->n_items ||
        sql_int(q, A_NNA) != (long long)sc->n_na || !same_num(sql_double(q, A_POINTS), sc->points) ||
        !same_num(sql_double(q, A_MAX), sc->max) || sql_int(q, A_NANS) != answered ||
        sql_int(q, A_NPASS) != npass)
        return refuse(m, "%s: its stored figures (failed, counts, points) disagree with its "
                         "answers",
                      a->label);
    if (strcmp(sql_text(q, A_MARKS), marks) != 0)
        return refuse(m, "%s: its stored item marks disagree with its answers", a->label);
    if (strcmp(sql_text(q, A_FP), fp) != 0)
        return refuse(m, "%s: its stored fingerprint disagrees with its content", a->label);
    return SVA_OK;
}

/* The references of an audit, against this database (every store, employee
 * and cycle of the file is here by now): the employee works at the store (as
 * the file says, or as this database does), the date lies in the cycle. */
static sva_error check_refs(mg *m, sql_stmt *q, const mg_audit *a)
{
    const char *cycle = sql_text(q, A_CYCLE), *store = sql_text(q, A_STORE),
               *emp = sql_text(q, A_EMP), *date = sql_text(q, A_DATE);
    sql_stmt *c = m->c[Q_CYCLE];
    sql_reset(c);
    sql_bind_text(c, 1, cycle);
    int r = sql_step(c);
    if (r == SQL_DONE)
        return refuse(m, "%s: cycle '%s', which the file does not have", a->label, cycle);
    if (r != SQL_ROW)
        return db_fail(m->db, m->d, "cannot read cycles");
    if (strcmp(date, sql_text(c, 0)) < 0 || strcmp(date, sql_text(c, 1)) > 0)
        return refuse(m, "%s: its date %s is outside cycle %s (%s .. %s)", a->label, date, cycle,
                      sql_text(c, 0), sql_text(c, 1));
    size_t i;
    if (emp && !sva_map_get(&m->empmap, emp, &i))
        return refuse(m, "%s: employee '%s', whom the file does not have", a->label, emp);
    if (emp && strcmp(m->emp[i].store, store) != 0) {
        sql_stmt *e = m->c[Q_EMPLOYEE];
        sql_reset(e);
        sql_bind_text(e, 1, emp);
        r = sql_step(e);
        if (r != SQL_ROW && r != SQL_DONE)
            return db_fail(m->db, m->d, "cannot read employees");
        if (r == SQL_DONE || strcmp(sql_text(e, 0), store) != 0)
            return refuse(m, "%s: employee '%s' works at store '%s', not '%s'", a->label, emp,
                          m->emp[i].store, store);
    }
    return SVA_OK;
}

static sva_error insert_audit(mg *m, sql_stmt *q, const sva_audit_ready *r, const char *marks,
                              const char *fp)
{
    const sva_score *sc = &r->score;
    sql_stmt *s = m->c[Q_AUDIT];
    sql_reset(s);
    sql_bind_text(s, 1, sql_text(q, A_UUID));
    sql_bind_text(s, 2, r->cl->hash);
    sql_bind_text(s, 3, r->cl->id);
    sql_bind_int(s, 4, r->cl->version);
    sql_bind_text(s, 5, r->header.cycle);
    sql_bind_text(s, 6, r->header.store);
    sql_bind_text(s, 7, r->header.employee);
    sql_bind_text(s, 8, r->header.auditor);
    sql_bind_text(s, 9, r->date);
    sql_bind_int(s, 10, sc->scorable);
    if (sc->scorable) {
        sql_bind_double(s, 11, sc->pct);
        sql_bind_double(s, 12, sc->raw_pct);
    }
    sql_bind_int(s, 13, sc->failed);
    sql_bind_int(s, 14, (long long)sc->n_failed_critical);
    sql_bind_int(s, 15, (long long)sc->n_items);
    sql_bind_int(s, 16, (long long)sc->n_na);
    sql_bind_double(s, 17, sc->points);
    sql_bind_double(s, 18, sc->max);
    sql_bind_text(s, 19, sql_text(q, A_RECORDED));
    sql_bind_text(s, 20, sql_text(q, A_VOIDED));
    sql_bind_text(s, 21, sql_text(q, A_REASON));
    sql_bind_text(s, 22, sva_index_name(r->cl->index));
    sql_bind_text(s, 23, fp);
    long long answered = 0, passed = 0;
    for (size_t i = 0; i < r->cl->n_items; i++)
        if (!sc->items[i].na) {
            answered++;
            passed += sc->items[i].passed;
        }
    sql_bind_int(s, 24, answered);
    sql_bind_int(s, 25, passed);
    sql_bind_text_ref(s, 26, marks);
    long long id = 0;
    int rr = sql_step(s);
    if (rr == SQL_ROW) {
        id = sql_int(s, 0);
        rr = sql_step(s);
    }
    sql_reset(s);
    if (rr != SQL_DONE)
        return db_fail(m->db, m->d, "cannot add an audit");
    s = m->c[Q_ANSWER];
    for (size_t i = 0; i < r->cl->n_items; i++) {
        const sva_item *it = &r->cl->items[i];
        const sva_answer *a = &r->answers[i];
        const sva_item_score *is = &sc->items[i];
        sql_reset(s);
        sql_bind_int(s, 1, id);
        sql_bind_int(s, 2, (long long)i);
        sql_bind_text_ref(s, 3, it->id);
        sql_bind_text_ref(s, 4, r->cl->sections[it->section].id);
        if (is->na) {
            sql_bind_null(s, 5);
            sql_bind_null(s, 8);
        } else {
            sql_bind_int(s, 5, a->value);
            sql_bind_int(s, 8, is->passed);
        }
        sql_bind_double(s, 6, is->points);
        sql_bind_double(s, 7, is->max);
        sql_bind_text_ref(s, 9, a->note ? a->note : "");
        sql_bind_text_ref(s, 10, a->evidence ? a->evidence : "");
        if (sql_step(s) != SQL_DONE) {
            sql_reset(s);
            return db_fail(m->db, m->d, "cannot add an answer");
        }
    }
    sql_reset(s);
    s = m->c[Q_SECTION];
    for (size_t k = 0; k < r->cl->n_sections; k++) {
        const sva_section_score *ss = &sc->sections[k];
        sql_reset(s);
        sql_bind_int(s, 1, id);
        sql_bind_text_ref(s, 2, r->cl->sections[k].id);
        sql_bind_int(s, 3, ss->scorable);
        if (ss->scorable)
            sql_bind_double(s, 4, ss->pct);
        else
            sql_bind_null(s, 4);
        sql_bind_double(s, 5, ss->points);
        sql_bind_double(s, 6, ss->max);
        if (sql_step(s) != SQL_DONE) {
            sql_reset(s);
            return db_fail(m->db, m->d, "cannot add a section score");
        }
    }
    sql_reset(s);
    /* the first audit of a cycle in plan moves it to do, as recording does */
    s = m->c[Q_PLAN_DO];
    sql_reset(s);
    sql_bind_text(s, 1, r->header.cycle);
    rr = sql_step(s);
    sql_reset(s);
    if (rr != SQL_DONE)
        return db_fail(m->db, m->d, "cannot update a cycle's state");
    m->st->audits_added++;
    return SVA_OK;
}

/* An audit of the file that is here already (same UUID): the same audit, or
 * a conflict; a void made there travels here (voids only add). */
static sva_error audit_here(mg *m, sql_stmt *q, sql_stmt *f, const sva_audit_ready *r,
                            const char *fp)
{
    const char *uuid = sql_text(q, A_UUID);
    if (strcmp(sql_text(f, 1), fp) != 0 || strcmp(sql_text(f, 2), r->cl->hash) != 0) {
        char *here = sva_asprintf("audit %lld %s at %s on %s", sql_int(f, 0), sql_text(f, 3),
                                  sql_text(f, 4), sql_text(f, 5));
        char *there = sva_asprintf("%s at %s on %s", r->cl->id, r->header.store, r->date);
        conflict(m, "audit", uuid, here ? here : "?", there ? there : "?");
        free(here);
        free(there);
        return SVA_OK;
    }
    m->st->audits_same++;
    if (!sql_is_null(f, 6) || sql_is_null(q, A_VOIDED))
        return SVA_OK;
    sql_stmt *v = m->c[Q_VOID];
    sql_reset(v);
    sql_bind_int(v, 1, sql_int(f, 0));
    sql_bind_text(v, 2, sql_text(q, A_VOIDED));
    sql_bind_text(v, 3, sql_text(q, A_REASON));
    int rr = sql_step(v);
    sql_reset(v);
    return rr == SQL_DONE ? SVA_OK : db_fail(m->db, m->d, "cannot void an audit");
}

/* One audit row of the file (the current row of @p q), with its answers and
 * section scores from the cursors. */
static sva_error one_audit(mg *m, sql_stmt *q, mg_cursor *ans, mg_cursor *sec, long row)
{
    char label[96];
    row_label(q, "audit", row, label, sizeof label);
    if (check_row(m, q, AUDIT_COLS, NCOLS(AUDIT_COLS), label))
        return SVA_ERR_INVALID;
    long long id = sql_int(q, A_ID);
    snprintf(label, sizeof label, "audit %lld (%s)", id, sql_text(q, A_UUID));
    size_t vi;
    if (!sva_map_get(&m->vmap, sql_text(q, A_HASH), &vi))
        return refuse(m, "%s: checklist version %.12s, which the file does not have", label,
                      sql_text(q, A_HASH));
    const sva_checklist *cl = m->v[vi].cl;
    if (strcmp(sql_text(q, A_CL), cl->id) != 0 || sql_int(q, A_VER) != cl->version ||
        strcmp(sql_text(q, A_FEEDS), sva_index_name(cl->index)) != 0)
        return refuse(m, "%s: its checklist, version or index (%s %lld, %s) is not its checklist "
                         "version's (%s %ld, %s)",
                      label, sql_text(q, A_CL), sql_int(q, A_VER), sql_text(q, A_FEEDS), cl->id,
                      cl->version, sva_index_name(cl->index));
    if (sql_is_null(q, A_VOIDED) != sql_is_null(q, A_REASON))
        return refuse(m, "%s: %s", label,
                      sql_is_null(q, A_VOIDED) ? "a void reason but no void"
                                               : "void without a reason");
    if (!sql_is_null(q, A_REASON) && !*sql_text(q, A_REASON))
        return refuse(m, "%s: void without a reason", label);
    mg_audit a = {.cl = cl, .label = label, .n = cl->n_items};
    size_t ni = cl->n_items ? cl->n_items : 1;
    a.ans = calloc(ni, sizeof *a.ans);
    double *pts = calloc(ni, sizeof *pts), *maxs = calloc(ni, sizeof *maxs);
    int *passed = calloc(ni, sizeof *passed);
    char *marks = malloc(cl->n_items + 1);
    const sva_audit_ready *r = NULL;
    sva_error rc = SVA_OK;
    if (!a.ans || !pts || !maxs || !passed || !marks) {
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    if ((rc = read_answers(m, ans, id, &a, pts, maxs, passed)))
        goto out;
    /* the one validation and scoring, as when it was recorded */
    sva_audit_header h = {.cycle = sql_text(q, A_CYCLE),
                          .store = sql_text(q, A_STORE),
                          .employee = sql_text(q, A_EMP),
                          .auditor = sql_text(q, A_AUDITOR),
                          .date = sql_text(q, A_DATE)};
    sva_diag tmp;
    sva_diag_init(&tmp);
    rc = sva_audit_prepare(cl, &h, a.ans, &r, &tmp);
    if (rc && rc != SVA_ERR_NOMEM) {
        char first[512] = "it does not validate";
        if (tmp.n)
            sva_diag_format(&tmp, 0, first, sizeof first);
        rc = refuse(m, "%s: %s", label, first);
    }
    sva_diag_clear(&tmp);
    if (rc)
        goto out;
    if (cl->subject == SVA_SUBJECT_STORE && h.employee) {
        rc = refuse(m, "%s: checklist '%s' scores a store, yet it names employee '%s'", label,
                    cl->id, h.employee);
        goto out;
    }
    for (size_t i = 0; i < cl->n_items; i++)
        marks[i] = r->score.items[i].na ? '-' : r->score.items[i].passed ? '1' : '0';
    marks[cl->n_items] = '\0';
    char fp[65];
    if (!db_audit_fingerprint(r, fp)) {
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    if ((rc = check_score(m, q, &a, r, pts, maxs, passed, marks, fp)) ||
        (rc = check_sections(m, sec, id, &a, &r->score)) || (rc = check_refs(m, q, &a)))
        goto out;
    sql_stmt *f = m->c[Q_FIND];
    sql_reset(f);
    sql_bind_text(f, 1, sql_text(q, A_UUID));
    int g = sql_step(f);
    if (g == SQL_ROW)
        rc = audit_here(m, q, f, r, fp);
    else if (g == SQL_DONE)
        rc = insert_audit(m, q, r, marks, fp);
    else
        rc = db_fail(m->db, m->d, "cannot read audits");
    sql_reset(f);
out:
    sva_audit_ready_free(r);
    audit_answers_free(&a);
    free(pts);
    free(maxs);
    free(passed);
    free(marks);
    return rc;
}

static sva_error merge_audits(mg *m)
{
    static const char *const here[] = {
        [Q_FIND] = "SELECT id, fingerprint, checklist_hash, checklist_id, store_id, audit_date,"
                   " voided_at FROM audit WHERE uuid = ?1",
        [Q_AUDIT] =
            "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"
            " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"
            " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"
            " voided_at, void_reason, feeds, fingerprint, n_answered, n_passed, item_marks)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
            " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) RETURNING id",
        [Q_ANSWER] = "INSERT INTO answer(audit_id, item_no, item_id, section_id, value, points,"
                     " max_points, passed, note, evidence) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                     " ?8, ?9, ?10)",
        [Q_SECTION] = "INSERT INTO section_score(audit_id, section_id, scorable, pct, points,"
                      " max_points) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        [Q_CYCLE] = "SELECT date_from, date_to FROM cycle WHERE id = ?1",
        [Q_EMPLOYEE] = "SELECT store_id FROM employee WHERE id = ?1",
        [Q_VOID] = "UPDATE audit SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
        [Q_PLAN_DO] = "UPDATE cycle SET state = 'do' WHERE id = ?1 AND state = 'plan'",
    };
    for (size_t i = 0; i < NCOLS(here); i++)
        if (db_prep(m->db, here[i], &m->c[i], m->d))
            return SVA_ERR_DB;
    sql_stmt *q;
    mg_cursor ans = {0}, sec = {0};
    if (select_cols(m, "audit", AUDIT_COLS, NCOLS(AUDIT_COLS), "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (select_cols(m, "answer", ANSWER_COLS, NCOLS(ANSWER_COLS), "audit_id, item_no", &ans.q) ||
        select_cols(m, "section_score", SECTION_COLS, NCOLS(SECTION_COLS),
                    "audit_id, section_id", &sec.q))
        rc = SVA_ERR_INVALID;
    if (!rc) {
        advance(&ans);
        advance(&sec);
    }
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW)
        rc = one_audit(m, q, &ans, &sec, ++row);
    if (!rc && r != SQL_DONE)
        rc = unreadable(m, "its audits");
    if (!rc && ans.r == SQL_ROW)
        rc = refuse(m, "answers of audit %lld, which the file does not have",
                    sql_int(ans.q, 0));
    if (!rc && sec.r == SQL_ROW)
        rc = refuse(m, "section scores of audit %lld, which the file does not have",
                    sql_int(sec.q, 0));
    if (!rc && (ans.r == SQL_ERROR || sec.r == SQL_ERROR))
        rc = unreadable(m, "its answers");
    sql_finalize(q);
    sql_finalize(ans.q);
    sql_finalize(sec.q);
    return rc;
}

/* ---- the merge ---------------------------------------------------------------------------- */

static void mg_free(mg *m)
{
    for (size_t i = 0; i < m->n_v; i++)
        sva_checklist_free(m->v[i].cl);
    free(m->v);
    sva_map_free(&m->vmap);
    for (size_t i = 0; i < m->n_emp; i++) {
        free(m->emp[i].id);
        free(m->emp[i].store);
    }
    free(m->emp);
    sva_map_free(&m->empmap);
    for (size_t i = 0; i < NCOLS(m->c); i++)
        sql_finalize(m->c[i]);
    sql_close(m->o);
}

sva_error sva_db_merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d)
{
    sva_merge_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    struct stat a, b;
    if (stat(other, &a) == 0 && stat(db->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        sva_diag_add(d, other, 0, "is this database itself: nothing to merge");
        return SVA_ERR_USAGE;
    }
    mg m = {.db = db, .file = other, .d = d, .st = st};
    sva_diag_init(&m.conf);
    sva_error rc = open_other(&m);
    if (!rc)
        rc = check_meta(&m);
    if (!rc)
        rc = db_begin(db, d);
    if (rc) {
        mg_free(&m);
        return rc == SVA_ERR_INVALID ? SVA_ERR_DB : rc;
    }
    if (!rc)
        rc = merge_stores(&m);
    if (!rc)
        rc = merge_employees(&m);
    if (!rc)
        rc = merge_cycles(&m);
    if (!rc)
        rc = merge_versions(&m);
    if (!rc)
        rc = merge_audits(&m);
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, other, 0, "out of memory: nothing merged");
    for (size_t i = 0; i < NCOLS(m.c); i++) {
        sql_finalize(m.c[i]);
        m.c[i] = NULL;
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    mg_free(&m);
    if (!rc)
        rc = rc2;
    for (size_t i = 0; !rc && i < m.conf.n; i++)
        sva_diag_add(d, m.conf.msgs[i].file, m.conf.msgs[i].line, "%s", m.conf.msgs[i].msg);
    sva_diag_clear(&m.conf);
    if (rc)
        memset(st, 0, sizeof *st);
    return rc == SVA_ERR_INVALID ? SVA_ERR_DB : rc;
}

/* svcaudit: what the merge files share: refusing a received file with one
 * message, checking its rows column by column as if typed, versions written
 * down (one line per field), and the scope a packed laptop keeps. */
#include "db_sync.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- versions written down ------------------------------------------------------------- */

void ser_put(sva_buf *b, const char *name, const char *value)
{
    sva_buf_puts(b, name);
    if (!value) {
        sva_buf_puts(b, "~\n");
        return;
    }
    sva_buf_puts(b, "=");
    for (const char *p = value; *p; p++) {
        if (*p == '\\')
            sva_buf_puts(b, "\\\\");
        else if (*p == '\n')
            sva_buf_puts(b, "\\n");
        else
            sva_buf_append(b, p, 1);
    }
    sva_buf_puts(b, "\n");
}

void ser_int(sva_buf *b, const char *name, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    ser_put(b, name, buf);
}

void ser_real(sva_buf *b, const char *name, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    ser_put(b, name, buf);
}

void ser_free(ser_rec *r)
{
    for (size_t i = 0; r->v && i < r->n; i++) {
        free(r->v[i].name);
        free(r->v[i].value);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

bool ser_parse(const char *s, ser_rec *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        if (!nl)
            goto bad;
        size_t k = strcspn(s, "=~\n");
        if (s + k >= nl && s[k] != '\n')
            goto bad;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            ser_kv *nv = realloc(out->v, cap * sizeof *nv);
            if (!nv)
                goto bad;
            out->v = nv;
        }
        ser_kv *kv = &out->v[out->n++];
        kv->name = sva_strndup(s, k);
        kv->value = NULL;
        if (!kv->name)
            goto bad;
        if (s[k] == '=') {
            sva_buf b = {0};
            for (const char *p = s + k + 1; p < nl; p++) {
                if (*p == '\\' && p + 1 < nl) {
                    p++;
                    sva_buf_puts(&b, *p == 'n' ? "\n" : *p == '\\' ? "\\" : "?");
                } else {
                    sva_buf_append(&b, p, 1);
                }
            }
            sva_buf_puts(&b, "");
            if (b.failed) {
                sva_buf_free(&b);
                goto bad;
            }
            kv->value = sva_buf_take(&b);
        } else if (s[k] != '~') {
            goto bad;
        }
        s = nl + 1;
    }
    return true;
bad:
    ser_free(out);
    return false;
}

const char *ser_get(const ser_rec *r, const char *name, bool *present)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0) {
            if (present)
                *present = true;
            return r->v[i].value;
        }
    if (present)
        *present = false;
    return NULL;
}

/* ---- refusing ------------------------------------------------------------------------- */

/* Refuse the file: one message naming it and what is wrong (only the first
 * problem is reported). @return SVA_ERR_INVALID. */
sva_error mg_refuse(mg *m, const char *fmt, ...)
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
sva_error mg_unreadable(mg *m, const char *what)
{
    return mg_refuse(m, "cannot read %s: %s", what, sql_errmsg(m->o));
}

/* ---- checking one column as if typed ------------------------------------------------------ */

bool mg_hex_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return false;
    return true;
}

bool mg_uuid_ok(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !mg_hex_ok(s + i, 1))
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
        if (k != SQL_INT)
            return "is not a whole number";
        if (c->max && (sql_int(q, i) < 0 || (unsigned long long)sql_int(q, i) > c->max))
            return "is out of range";
        return NULL;
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
        return mg_uuid_ok(s) ? NULL : "is not a UUID";
    case K_HASH:
        return n == 64 && mg_hex_ok(s, 64) ? NULL : "is not a SHA-256 (64 hex digits)";
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
void mg_row_label(sql_stmt *q, const char *what, long row, char *buf, size_t size)
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
sva_error mg_check_row(mg *m, sql_stmt *q, const mg_col *cols, size_t n, const char *label)
{
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        const char *why = col_problem(q, (int)i, &cols[i], buf, sizeof buf);
        if (why)
            return mg_refuse(m, "%s: %s %s", label, cols[i].name, why);
    }
    return SVA_OK;
}

/* "SELECT col, col, ... FROM table ORDER BY order": the statement from a
 * column list (constant names only). */
sva_error mg_select(mg *m, const char *table, const mg_col *cols, size_t n, const char *order,
                    sql_stmt **q)
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
        rc = mg_unreadable(m, table);
    sva_diag_clear(&tmp);
    return rc;
}


const char *mg_map(const mg *m, const char *uuid)
{
    if (!uuid)
        return NULL;
    if (!*uuid)
        return m->there;
    return strcmp(uuid, m->here) == 0 ? "" : uuid;
}

/* ---- what a scoped database (a packed laptop) takes ------------------------------------------- */

char *mg_scope_text(const mg_scope *sc)
{
    sva_buf b = {0};
    if (*sc->region)
        ser_put(&b, "region", sc->region);
    for (size_t i = 0; i < sc->n_stores; i++)
        ser_put(&b, "store", sc->stores[i]);
    if (*sc->auditor)
        ser_put(&b, "auditor", sc->auditor);
    if (*sc->cycle)
        ser_put(&b, "cycle", sc->cycle);
    sva_buf_puts(&b, "");
    if (b.failed) {
        sva_buf_free(&b);
        return NULL;
    }
    return sva_buf_take(&b);
}

bool mg_scope_parse(const char *text, mg_scope *out)
{
    memset(out, 0, sizeof *out);
    ser_rec r;
    if (!ser_parse(text, &r))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < r.n; i++) {
        const char *k = r.v[i].name, *v = r.v[i].value;
        if (!v || !*v)
            ok = false;
        else if (strcmp(k, "region") == 0 && sva_text_ok(v, 100, false))
            snprintf(out->region, sizeof out->region, "%s", v);
        else if (strcmp(k, "auditor") == 0 && sva_text_ok(v, 100, false))
            snprintf(out->auditor, sizeof out->auditor, "%s", v);
        else if (strcmp(k, "cycle") == 0 && sva_ref_id_valid(v))
            snprintf(out->cycle, sizeof out->cycle, "%s", v);
        else if (strcmp(k, "store") == 0 && sva_ref_id_valid(v)) {
            char **ns = realloc(out->stores, (out->n_stores + 1) * sizeof *ns);
            if (!ns || !(ns[out->n_stores] = sva_strdup(v))) {
                if (ns)
                    out->stores = ns;
                ok = false;
            } else {
                out->stores = ns;
                out->n_stores++;
            }
        } else
            ok = false;
    }
    ser_free(&r);
    out->on = ok;
    if (!ok)
        mg_scope_free(out);
    return ok;
}

void mg_scope_free(mg_scope *sc)
{
    for (size_t i = 0; i < sc->n_stores; i++)
        free(sc->stores[i]);
    free(sc->stores);
    memset(sc, 0, sizeof *sc);
}

bool mg_in_scope_store(const mg *m, const char *id, const char *region)
{
    const mg_scope *sc = &m->scope;
    if (!sc->on)
        return true;
    if (*sc->region)
        return region && strcmp(region, sc->region) == 0;
    if (sc->n_stores) {
        for (size_t i = 0; i < sc->n_stores; i++)
            if (strcmp(sc->stores[i], id) == 0)
                return true;
        return false;
    }
    return true;
}

bool mg_in_scope_cycle(const mg *m, const char *cycle)
{
    return !m->scope.on || !*m->scope.cycle || strcmp(cycle, m->scope.cycle) == 0;
}

int mg_store_here(mg *m, const char *id)
{
    const mg_scope *sc = &m->scope;
    if (!sc->on || (!*sc->region && !sc->n_stores))
        return db_exists(m->db, "SELECT 1 FROM store WHERE id = ?1", id, m->d);
    /* a laptop of a region or stores also holds the stores its employees'
     * moves name: here, but not in its scope */
    sql_stmt *q;
    if (db_prep(m->db, "SELECT region FROM store WHERE id = ?1", &q, m->d))
        return -1;
    sql_bind_text(q, 1, id);
    int r = sql_step(q), out = 0;
    if (r == SQL_ROW)
        out = mg_in_scope_store(m, id, sql_text(q, 0));
    else if (r != SQL_DONE) {
        db_fail(m->db, m->d, "cannot read stores");
        out = -1;
    }
    sql_finalize(q);
    return out;
}

int mg_region_here(mg *m, const char *region)
{
    const mg_scope *sc = &m->scope;
    if (*sc->region)
        return strcmp(region, sc->region) == 0;
    if (!sc->n_stores)
        return db_exists(m->db, "SELECT 1 FROM store WHERE region = ?1", region, m->d);
    /* a laptop of some stores: the regions of those stores */
    for (size_t i = 0; i < sc->n_stores; i++) {
        sql_stmt *q;
        if (db_prep(m->db, "SELECT 1 FROM store WHERE id = ?1 AND region = ?2", &q, m->d))
            return -1;
        sql_bind_text(q, 1, sc->stores[i]);
        sql_bind_text(q, 2, region);
        int r = sql_step(q);
        sql_finalize(q);
        if (r == SQL_ROW)
            return 1;
        if (r != SQL_DONE)
            return -1;
    }
    return 0;
}


/* svcaudit: merging another svcaudit database into this one (sva_db_merge).
 * The other file is a stranger's: it is opened untrusted (sql.h), its schema
 * compared object by object, and every row it holds is checked as if a user
 * typed it; every audit is validated and scored again from its answers and
 * its stored checklist text by the audit module, and the values written here
 * are those, never the file's. The first problem refuses the whole file with
 * one message; the merge is one transaction, so nothing of a refused file is
 * written. Audits are matched by UUID, everything else by id. */
#include "db_sync.h"
#include "svcaudit/audit.h"

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

#define NCOLS MG_NCOLS

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
        mg_refuse(m, "%s", tmp.msgs[0].msg);
    sva_diag_clear(&tmp);
    if (rc)
        return rc == SVA_ERR_NOMEM ? rc : SVA_ERR_INVALID;
    sva_diag_init(&tmp);
    rc = sql_prepare(m->o, "PRAGMA quick_check(1)", &q, &tmp);
    sva_diag_clear(&tmp);
    if (rc)
        return mg_unreadable(m, "it");
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
        mg_refuse(m, "damaged database (its quick check says: %s)", what);
    }
    else if (r != SQL_ROW)
        mg_unreadable(m, "it");
    sql_finalize(q);
    return m->refused ? SVA_ERR_INVALID : SVA_OK;
}

/* The meta table: only the keys svcaudit writes, each a value of its kind;
 * the other database's identity, which must not be this one's. */
static sva_error check_meta(mg *m)
{
    static const mg_col cols[] = {{"key", K_CHK, 40, 0},
                                  {"value", K_TEXT, 4000, F_EMPTY | F_LINES}};
    sql_stmt *q;
    if (mg_select(m, "meta", cols, NCOLS(cols), "key", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    int r;
    long row = 0;
    bool salt = false;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        mg_row_label(q, "meta key", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *k = sql_text(q, 0), *v = sql_text(q, 1);
        if (strcmp(k, "application") == 0)
            continue;
        if (strchr(v, '\n') && strcmp(k, "pack_scope") != 0) {
            rc = mg_refuse(m, "%s: value holds a line break", label);
            break;
        }
        if (strcmp(k, "pseudonym_salt") == 0 && strlen(v) == 32 && mg_hex_ok(v, 32))
            salt = true;
        else if (strcmp(k, "pseudonym_salt") == 0)
            rc = mg_refuse(m, "%s: not 32 hex digits", label);
        else if (strcmp(k, "db_uuid") == 0 && mg_uuid_ok(v))
            snprintf(m->there, sizeof m->there, "%s", v);
        else if (strcmp(k, "db_uuid") == 0)
            rc = mg_refuse(m, "%s: not a UUID", label);
        else if (strcmp(k, "db_name") == 0 && strlen(v) <= 100 && (!*v || !sva_text_blank(v)))
            snprintf(m->there_name, sizeof m->there_name, "%s", v);
        else if (strcmp(k, "db_name") == 0)
            rc = mg_refuse(m, "%s: not a name (at most 100 bytes, not blank)", label);
        else if (strcmp(k, "packed_from") == 0 && !mg_uuid_ok(v))
            rc = mg_refuse(m, "%s: not a UUID", label);
        else if (strcmp(k, "pack_scope") == 0) {
            mg_scope sc;
            if (!mg_scope_parse(v, &sc))
                rc = mg_refuse(m, "%s: not a scope", label);
            mg_scope_free(&sc);
        } else if (strcmp(k, "packed_from") == 0)
            continue;
        else
            rc = mg_refuse(m, "%s is not one svcaudit writes", label);
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its meta table");
    if (!rc && !salt)
        rc = mg_refuse(m, "its meta table has no pseudonym_salt");
    if (!rc && !*m->there)
        rc = mg_refuse(m, "its meta table has no db_uuid (the database's identity)");
    if (!rc && strcmp(m->there, m->here) == 0)
        rc = mg_refuse(m, "it has this database's identity (%s): it is a copy of it, whose "
                          "records cannot be told from this one's; make a laptop's database "
                          "with 'svcaudit pack'",
                       m->here);
    sql_finalize(q);
    if (!rc) {
        memcpy(m->st->from.uuid, m->there, sizeof m->there);
        memcpy(m->st->from.name, m->there_name, sizeof m->there_name);
    }
    return rc;
}

/* A database's UUID for comparisons: '' is this one. */
static const char *real_uuid(const mg *m, const char *uuid)
{
    return *uuid ? uuid : m->here;
}

/* ---- the databases the other knows: names for the records they made ----------------------- */

static sva_error merge_peers(mg *m)
{
    static const mg_col cols[] = {{"uuid", K_UUID, 36, 0},
                                  {"name", K_TEXT, 100, F_EMPTY},
                                  {"merges", K_INT, 1LL << 40, 0},
                                  {"last_merged_at", K_TIME, 20, F_NULL}};
    sql_stmt *q, *put = NULL;
    if (mg_select(m, "sync_peer", cols, NCOLS(cols), "uuid", &q))
        return SVA_ERR_INVALID;
    sva_error rc = db_prep(m->db,
                           "INSERT INTO sync_peer(uuid, name) VALUES(?1, ?2)"
                           " ON CONFLICT(uuid) DO NOTHING",
                           &put, m->d);
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[96];
        mg_row_label(q, "database", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, NCOLS(cols), label)))
            break;
        const char *u = sql_text(q, 0);
        if (strcmp(u, m->here) == 0 || strcmp(u, m->there) == 0)
            continue;
        sql_reset(put);
        sql_bind_text(put, 1, u);
        sql_bind_text(put, 2, sql_text(q, 1));
        if (sql_step(put) != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot note a database");
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "the databases it merged");
    sql_finalize(q);
    sql_finalize(put);
    return rc;
}

/* Is the other database unknown here, or known by another name? */
static bool peer_unknown(mg *m)
{
    sql_stmt *q;
    bool unknown = true;
    if (db_prep(m->db, "SELECT name FROM sync_peer WHERE uuid = ?1 AND merges > 0", &q, m->d) ==
        SVA_OK) {
        sql_bind_text(q, 1, m->there);
        unknown = sql_step(q) != SQL_ROW || strcmp(sql_text(q, 0), m->there_name) != 0;
        sql_finalize(q);
    }
    return unknown;
}

/* The other database itself: its name, one more merge that brought something
 * (a laptop being packed notes the office it comes from, merged never). */
static sva_error note_peer(mg *m)
{
    sql_stmt *q;
    if (db_prep(m->db,
                "INSERT INTO sync_peer(uuid, name, merges, last_merged_at) VALUES(?1, ?2, ?4, ?3)"
                " ON CONFLICT(uuid) DO UPDATE SET name = excluded.name,"
                " merges = sync_peer.merges + ?4,"
                " last_merged_at = coalesce(excluded.last_merged_at, sync_peer.last_merged_at)",
                &q, m->d))
        return SVA_ERR_DB;
    char now[32];
    db_now(now);
    sql_bind_text(q, 1, m->there);
    sql_bind_text(q, 2, m->there_name);
    sql_bind_text(q, 3, m->trusted ? NULL : now);
    sql_bind_int(q, 4, m->trusted ? 0 : 1);
    int r = sql_step(q);
    sql_finalize(q);
    return r == SQL_DONE ? SVA_OK : db_fail(m->db, m->d, "cannot note the merge");
}

/* ---- stores and employees: the later change wins, the other stays in history ------------- */

typedef struct master_def {
    const char *what, *table;
    const mg_col *cols;      /* id, the fields, origin, changed_at, changed_in */
    size_t n_fields;
    const char *get, *put, *hist;
    const mg_col *hcols;     /* the history table: id, the fields, changed_at, changed_in */
    const char *all;         /* every row here: id, then get's columns */
} master_def;

static const mg_col STORE_COLS[] = {{"id", K_REF, 40, 0},
                                    {"name", K_TEXT, 200, F_NOTBLANK},
                                    {"region", K_TEXT, 100, F_EMPTY | F_NOTBLANK},
                                    {"origin", K_UUID, 36, F_EMPTY},
                                    {"changed_at", K_TIME, 20, F_EMPTY},
                                    {"changed_in", K_UUID, 36, F_EMPTY}};
static const mg_col STORE_HCOLS[] = {{"id", K_REF, 40, 0},
                                     {"name", K_TEXT, 200, F_NOTBLANK},
                                     {"region", K_TEXT, 100, F_EMPTY | F_NOTBLANK},
                                     {"changed_at", K_TIME, 20, F_EMPTY},
                                     {"changed_in", K_UUID, 36, F_EMPTY}};
static const mg_col EMPLOYEE_COLS[] = {{"id", K_REF, 40, 0},
                                       {"name", K_TEXT, 200, F_NOTBLANK},
                                       {"store_id", K_REF, 40, 0},
                                       {"role", K_TEXT, 100, F_EMPTY | F_NOTBLANK},
                                       {"origin", K_UUID, 36, F_EMPTY},
                                       {"changed_at", K_TIME, 20, F_EMPTY},
                                       {"changed_in", K_UUID, 36, F_EMPTY}};
static const mg_col EMPLOYEE_HCOLS[] = {{"id", K_REF, 40, 0},
                                        {"name", K_TEXT, 200, F_NOTBLANK},
                                        {"store_id", K_REF, 40, 0},
                                        {"role", K_TEXT, 100, F_EMPTY | F_NOTBLANK},
                                        {"changed_at", K_TIME, 20, F_EMPTY},
                                        {"changed_in", K_UUID, 36, F_EMPTY}};

static const master_def STORES = {
    "store", "store", STORE_COLS, 2,
    "SELECT name, region, origin, changed_at, changed_in FROM store WHERE id = ?1",
    "INSERT INTO store(id, name, region, origin, changed_at, changed_in)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
    " region = excluded.region, origin = excluded.origin, changed_at = excluded.changed_at,"
    " changed_in = excluded.changed_in",
    "INSERT INTO store_history(id, name, region, changed_at, changed_in)"
    " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    STORE_HCOLS, "SELECT id, name, region, origin, changed_at, changed_in FROM store"};
static const master_def EMPLOYEES = {
    "employee", "employee", EMPLOYEE_COLS, 3,
    "SELECT name, store_id, role, origin, changed_at, changed_in FROM employee WHERE id = ?1",
    "INSERT INTO employee(id, name, store_id, role, origin, changed_at, changed_in)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
    " store_id = excluded.store_id, role = excluded.role, origin = excluded.origin,"
    " changed_at = excluded.changed_at, changed_in = excluded.changed_in",
    "INSERT INTO employee_history(id, name, store_id, role, changed_at, changed_in)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    EMPLOYEE_HCOLS,
    "SELECT id, name, store_id, role, origin, changed_at, changed_in FROM employee"};

/* One version of a store or employee: its fields, where and when it was made. */
typedef struct master_ver {
    const char *f[3];
    const char *origin, *at, *in;
} master_ver;

/* Which version is later: the time of the change, then (the same time) the
 * database it was made in. */
static int master_cmp(const mg *m, const master_ver *a, const master_ver *b)
{
    int c = strcmp(a->at, b->at);
    return c ? c : strcmp(real_uuid(m, a->in), real_uuid(m, b->in));
}

static sva_error master_write(mg *m, sql_stmt *s, const master_def *k, const char *id,
                              const master_ver *v)
{
    sql_reset(s);
    sql_bind_text(s, 1, id);
    for (size_t i = 0; i < k->n_fields; i++)
        sql_bind_text(s, (int)i + 2, v->f[i]);
    int n = (int)k->n_fields + 2;
    if (v->origin)
        sql_bind_text(s, n++, v->origin);
    sql_bind_text(s, n, v->at);
    sql_bind_text(s, n + 1, v->in);
    return sql_step(s) == SQL_DONE ? SVA_OK : db_fail(m->db, m->d, "cannot write master data");
}

static int cmp_employee(const void *a, const void *b)
{
    return strcmp(((const mg_employee *)a)->id, ((const mg_employee *)b)->id);
}

/* Keep where the file says an employee works (for its audits). */
static sva_error keep_employee(mg *m, const char *id, const char *store)
{
    mg_employee *ne = realloc(m->emp, (m->n_emp + 1) * sizeof *ne);
    if (!ne)
        return SVA_ERR_NOMEM;
    m->emp = ne;
    mg_employee *e = &m->emp[m->n_emp];
    e->id = sva_strdup(id);
    e->store = sva_strdup(store);
    if (!e->id || !e->store) {
        free(e->id);
        free(e->store);
        return SVA_ERR_NOMEM;
    }
    m->n_emp++;
    return SVA_OK;
}

/* The last store employee @p id worked at by the file's dated moves (its
 * latest event naming a store), or NULL (none, or out of memory). A laptop of
 * a region takes an employee whose row names a store elsewhere when the
 * events say they work at one of its stores last. */
static char *file_last_store(mg *m, const char *id)
{
    sql_stmt *q;
    sva_diag tmp;
    sva_diag_init(&tmp);
    char *out = NULL;
    if (sql_prepare(m->o,
                    "SELECT ev.store_id FROM employee_event ev WHERE ev.employee_id = ?1"
                    " AND ev.store_id IS NOT NULL ORDER BY " DB_EVENT_ORDER("ev", " DESC")
                    " LIMIT 1",
                    &q, &tmp) == SVA_OK) {
        sql_bind_text(q, 1, id);
        if (sql_step(q) == SQL_ROW && sql_column_kind(q, 0) == SQL_TEXT)
            out = sva_strdup(sql_text(q, 0));
        sql_finalize(q);
    }
    sva_diag_clear(&tmp);
    return out;
}

/* The rows of a master table here, read at once rather than one look-up per
 * row of the file (on PostgreSQL each is a round trip): the merge holds the
 * writer lock, so only its own writes change them; a row it writes is looked
 * up again (stale). */
typedef struct master_here {
    sva_pool strings;
    sva_map map;        /* id -> its row */
    const char **cells; /* a row: get's columns */
    bool *stale;
    size_t n, cap, width;
} master_here;

static void master_here_free(master_here *h)
{
    sva_map_free(&h->map);
    sva_pool_free(&h->strings);
    free(h->cells);
    free(h->stale);
}

/* Add row @p id (its cells from @p q's columns 1.., or none: stale). */
static bool master_here_add(master_here *h, const char *id, sql_stmt *q)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        const char **c = realloc(h->cells, cap * (h->width ? h->width : 1) * sizeof *c);
        if (c)
            h->cells = c;
        bool *st = realloc(h->stale, cap * sizeof *st);
        if (st)
            h->stale = st;
        if (!c || !st)
            return false;
        h->cap = cap;
    }
    const char *key = sva_pool_str(&h->strings, id);
    if (!key)
        return false;
    for (size_t i = 0; i < h->width; i++) {
        const char *v = q ? sql_text(q, (int)i + 1) : NULL;
        h->cells[h->n * h->width + i] = v ? sva_pool_str(&h->strings, v) : NULL;
        if (v && !h->cells[h->n * h->width + i])
            return false;
    }
    h->stale[h->n] = !q;
    if (!sva_map_put(&h->map, key, h->n))
        return false;
    h->n++;
    return true;
}

/* Row @p id was written by the merge: looked up again from now on. */
static bool master_here_wrote(master_here *h, const char *id)
{
    size_t i;
    if (sva_map_get(&h->map, id, &i)) {
        h->stale[i] = true;
        return true;
    }
    return master_here_add(h, id, NULL);
}

static sva_error master_here_read(mg *m, const char *sql, size_t width, master_here *h)
{
    h->width = width;
    sql_stmt *q;
    if (db_prep(m->db, sql, &q, m->d))
        return SVA_ERR_DB;
    sva_error rc = SVA_OK;
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW)
        if (!master_here_add(h, sql_text(q, 0), q))
            rc = SVA_ERR_NOMEM;
    if (!rc && r != SQL_DONE)
        rc = db_fail(m->db, m->d, "cannot read master data");
    sql_finalize(q);
    return rc;
}

/* mg_store_here's answers, kept: the stores are merged before the employees
 * (and the scope does not change), so one question per store, not per
 * employee. */
typedef struct store_memo {
    sva_pool keys;
    sva_map map; /* store id -> mg_store_here's answer */
} store_memo;

static int store_here(mg *m, store_memo *s, const char *id)
{
    size_t v;
    if (sva_map_get(&s->map, id, &v))
        return (int)v;
    int ex = mg_store_here(m, id);
    const char *key = ex >= 0 ? sva_pool_str(&s->keys, id) : NULL;
    if (key)
        sva_map_put(&s->map, key, (size_t)ex); /* (out of memory: asked again) */
    return ex;
}

/* Column @p i of get's row: the one read at once, else get's. */
static const char *cell(const char *const *hv, sql_stmt *get, int i)
{
    return hv ? hv[i] : sql_text(get, i);
}

/* The file's region of its store @p id, in a caller's buffer ("" if none). */
static const char *file_region(sql_stmt *reg, const char *id, char *buf, size_t size)
{
    sql_reset(reg);
    sql_bind_text(reg, 1, id);
    const char *r = sql_step(reg) == SQL_ROW ? sql_text(reg, 0) : NULL;
    snprintf(buf, size, "%s", r ? r : "");
    return buf;
}

/* A laptop of a region or stores holds, besides the stores of its scope, the
 * stores its employees' dated moves name, so that every move of an employee
 * it holds travels with them (the store's row, history and dated changes:
 * nothing else of it). @p out gets the ids of the file's stores named by a
 * move of an employee here, or one the merge takes: working at a store of the
 * scope by the file's row or by their last move. Keys owned by @p keys. */
static sva_error move_stores(mg *m, sva_map *out, char ***keys, size_t *n)
{
    sql_stmt *q = NULL, *row = NULL, *reg = NULL;
    sva_diag tmp;
    sva_diag_init(&tmp);
    if (sql_prepare(m->o,
                    "SELECT DISTINCT employee_id, store_id FROM employee_event"
                    " WHERE store_id IS NOT NULL ORDER BY 1, 2",
                    &q, &tmp) ||
        sql_prepare(m->o, "SELECT store_id FROM employee WHERE id = ?1", &row, &tmp) ||
        sql_prepare(m->o, "SELECT region FROM store WHERE id = ?1", &reg, &tmp)) {
        sql_finalize(q);
        sql_finalize(row);
        sql_finalize(reg);
        sva_diag_clear(&tmp);
        return mg_unreadable(m, "employee_event");
    }
    sva_diag_clear(&tmp);
    sva_error rc = SVA_OK;
    char *who = NULL, rbuf[128];
    bool carried = false;
    int r = SQL_DONE;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        const char *emp = sql_text(q, 0);
        if (!emp || !sql_text(q, 1))
            continue; /* (refused when the events are read) */
        if (!who || strcmp(emp, who) != 0) { /* the next employee: held, or taken? */
            free(who);
            if (!(who = sva_strdup(emp))) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            int ex = db_exists(m->db, "SELECT 1 FROM employee WHERE id = ?1", emp, m->d);
            if (ex < 0) {
                rc = SVA_ERR_DB;
                break;
            }
            carried = ex > 0;
            sql_reset(row);
            sql_bind_text(row, 1, emp);
            if (!carried && sql_step(row) == SQL_ROW && sql_text(row, 0)) {
                const char *at = sql_text(row, 0);
                carried = mg_in_scope_store(m, at, file_region(reg, at, rbuf, sizeof rbuf));
            }
            char *last = carried ? NULL : file_last_store(m, emp);
            if (last)
                carried = mg_in_scope_store(m, last,
                                            file_region(reg, last, rbuf, sizeof rbuf));
            free(last);
        }
        const char *store = sql_text(q, 1);
        if (!carried || sva_map_get(out, store, &(size_t){0}))
            continue;
        char **nk = realloc(*keys, (*n + 1) * sizeof *nk);
        if (!nk || !(nk[*n] = sva_strdup(store))) {
            if (nk)
                *keys = nk;
            rc = SVA_ERR_NOMEM;
            break;
        }
        *keys = nk;
        if (!sva_map_put(out, nk[(*n)++], 0))
            rc = SVA_ERR_NOMEM;
    }
    free(who);
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "employee_event");
    sql_finalize(q);
    sql_finalize(row);
    sql_finalize(reg);
    return rc;
}

static sva_error merge_master(mg *m, const master_def *k)
{
    size_t nf = k->n_fields, nc = nf + 4;
    sql_stmt *q, *get = NULL, *put = NULL, *hist = NULL;
    if (mg_select(m, k->table, k->cols, nc, "id", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, k->get, &get, m->d) || db_prep(m->db, k->put, &put, m->d) ||
        db_prep(m->db, k->hist, &hist, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    bool employees = k == &EMPLOYEES;
    char *last = NULL;
    master_here here = {0};
    store_memo stores = {0};
    if (!rc)
        rc = master_here_read(m, k->all, nf + 3, &here);
    sva_map moves = {0}; /* a laptop of a region or stores: the stores moves name */
    char **move_keys = NULL;
    size_t n_moves = 0;
    if (!rc && !employees && m->scope.on && (*m->scope.region || m->scope.n_stores))
        rc = move_stores(m, &moves, &move_keys, &n_moves);
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        free(last);
        last = NULL;
        char label[96];
        mg_row_label(q, k->what, ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, k->cols, nc, label)))
            break;
        const char *id = sql_text(q, 0);
        bool may_add = true;
        if (employees) {
            const char *at = sql_text(q, 2);
            if (!sva_map_get(&m->file_stores, at, &(size_t){0})) {
                rc = mg_refuse(m, "%s: works at store '%s', which the file does not have",
                               label, at);
                break;
            }
            if ((rc = keep_employee(m, id, at)))
                break;
            int ex = store_here(m, &stores, at); /* a store out of scope is not here */
            if (ex == 0 && (last = file_last_store(m, id)) != NULL)
                ex = store_here(m, &stores, last); /* ... but the last one by the events may be */
            /* the row keeps its store when this database holds it (for a move) */
            int held = ex > 0 && last
                           ? db_exists(m->db, "SELECT 1 FROM store WHERE id = ?1", at, m->d)
                           : 0;
            if (ex < 0 || held < 0) {
                rc = SVA_ERR_DB;
                break;
            }
            if (held) {
                free(last);
                last = NULL;
            }
            may_add = ex > 0;
        } else {
            char **ni = realloc(m->store_ids, (m->n_store_ids + 1) * sizeof *ni);
            if (!ni || !(ni[m->n_store_ids] = sva_strdup(id))) {
                if (ni)
                    m->store_ids = ni;
                rc = SVA_ERR_NOMEM;
                break;
            }
            m->store_ids = ni;
            m->n_store_ids++;
            may_add = mg_in_scope_store(m, id, sql_text(q, 2)) ||
                      sva_map_get(&moves, id, &(size_t){0});
        }
        master_ver t = {.origin = mg_map(m, sql_text(q, (int)nf + 1)),
                        .at = sql_text(q, (int)nf + 2),
                        .in = mg_map(m, sql_text(q, (int)nf + 3))};
        for (size_t i = 0; i < nf; i++)
            t.f[i] = sql_text(q, (int)i + 1);
        size_t hi;
        const char *const *hv = NULL;
        int g = SQL_DONE; /* not here (nor written by this merge) */
        if (sva_map_get(&here.map, id, &hi) && !here.stale[hi]) {
            hv = &here.cells[hi * here.width];
            g = SQL_ROW;
        } else if (sva_map_get(&here.map, id, &hi)) {
            sql_reset(get);
            sql_bind_text(get, 1, id);
            g = sql_step(get);
        }
        if (g == SQL_DONE && !may_add) {
            free(last);
            last = NULL;
            continue;
        }
        if (g == SQL_DONE) {
            if (last)
                t.f[1] = last; /* the row names a store out of this database's scope */
            rc = master_write(m, put, k, id, &t);
            if (!rc && !master_here_wrote(&here, id))
                rc = SVA_ERR_NOMEM;
            free(last);
            last = NULL;
            if (employees)
                m->st->employees_added++;
            else
                m->st->stores_added++;
            continue;
        }
        if (g != SQL_ROW) {
            rc = db_fail(m->db, m->d, "cannot read master data");
            break;
        }
        master_ver h = {.origin = cell(hv, get, (int)nf), .at = cell(hv, get, (int)nf + 1),
                        .in = cell(hv, get, (int)nf + 2)};
        bool same = true;
        for (size_t i = 0; i < nf; i++) {
            h.f[i] = cell(hv, get, (int)i);
            same = same && strcmp(h.f[i], t.f[i]) == 0;
        }
        /* made in two places: the first UUID (this database stays its maker) */
        const char *origin = h.origin;
        if (*h.origin && strcmp(h.origin, t.origin) != 0 &&
            strcmp(real_uuid(m, t.origin), h.origin) < 0)
            origin = t.origin;
        bool later = master_cmp(m, &t, &h) > 0;
        const master_ver *loser = later ? &h : &t;
        master_ver w = later ? t : h;
        w.origin = origin;
        if (!same && (rc = master_write(m, hist, k, id, &(master_ver){
                                                            .f = {loser->f[0], loser->f[1],
                                                                  loser->f[2]},
                                                            .at = loser->at,
                                                            .in = loser->in})))
            break;
        if (later || strcmp(origin, h.origin) != 0) {
            /* copies: get's text is overwritten by the write */
            char *c[6] = {0};
            for (size_t i = 0; i < nf; i++)
                c[i] = sva_strdup(w.f[i]);
            c[3] = sva_strdup(w.origin);
            c[4] = sva_strdup(w.at);
            c[5] = sva_strdup(w.in);
            bool ok = c[3] && c[4] && c[5];
            for (size_t i = 0; i < nf; i++)
                ok = ok && c[i];
            master_ver cw = {.f = {c[0], c[1], c[2]}, .origin = c[3], .at = c[4], .in = c[5]};
            rc = ok ? master_write(m, put, k, id, &cw) : SVA_ERR_NOMEM;
            if (!rc && !master_here_wrote(&here, id))
                rc = SVA_ERR_NOMEM;
            if (!same && later)
                m->st->master_changed++;
            for (int i = 0; i < 6; i++)
                free(c[i]);
        }
    }
    free(last);
    for (size_t i = 0; i < n_moves; i++)
        free(move_keys[i]);
    free(move_keys);
    sva_map_free(&moves);
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, k->table);
    sql_finalize(q);
    sql_finalize(get);
    sql_finalize(put);
    for (size_t i = 0; !rc && !employees && i < m->n_store_ids; i++)
        if (!sva_map_put(&m->file_stores, m->store_ids[i], i))
            rc = SVA_ERR_NOMEM;
    if (!rc && employees) {
        if (m->n_emp)
            qsort(m->emp, m->n_emp, sizeof *m->emp, cmp_employee);
        for (size_t i = 0; !rc && i < m->n_emp; i++)
            if (!sva_map_put(&m->empmap, m->emp[i].id, i))
                rc = SVA_ERR_NOMEM;
    }
    /* the file's history: every version it saw */
    sql_stmt *h = NULL;
    char table[32];
    snprintf(table, sizeof table, "%s_history", k->table);
    if (!rc && mg_select(m, table, k->hcols, nf + 3, "id", &h))
        rc = SVA_ERR_INVALID;
    row = 0;
    while (!rc && (r = sql_step(h)) == SQL_ROW) {
        char label[96];
        snprintf(label, sizeof label, "%s history in row %ld", k->what, ++row);
        if ((rc = mg_check_row(m, h, k->hcols, nf + 3, label)))
            break;
        if (!sva_map_get(employees ? &m->empmap : &m->file_stores, sql_text(h, 0), &(size_t){0})) {
            rc = mg_refuse(m, "%s: of %s '%s', which the file does not have", label, k->what,
                           sql_text(h, 0));
            break;
        }
        /* here (read at once, with what this merge added)? */
        if (!sva_map_get(&here.map, sql_text(h, 0), &(size_t){0}))
            continue; /* out of scope */
        master_ver v = {.at = sql_text(h, (int)nf + 1), .in = mg_map(m, sql_text(h, (int)nf + 2))};
        for (size_t i = 0; i < nf; i++)
            v.f[i] = sql_text(h, (int)i + 1);
        rc = master_write(m, hist, k, sql_text(h, 0), &v);
    }
    if (!rc && h && r != SQL_DONE)
        rc = mg_unreadable(m, table);
    sql_finalize(h);
    sql_finalize(hist);
    master_here_free(&here);
    sva_map_free(&stores.map);
    sva_pool_free(&stores.keys);
    return rc;
}

/* ---- checklist versions: each text parsed, its hash and id checked ------------------------------ */

static sva_error merge_versions(mg *m)
{
    static const mg_col cols[] = {{"hash", K_HASH, 64, 0},
                                  {"checklist_id", K_CHK, 100, 0},
                                  {"version", K_INT, 0, 0},
                                  {"source", K_BLOB, SQL_UNTRUSTED_MAX_VALUE, 0},
                                  {"stored_at", K_TIME, 20, 0},
                                  {"origin", K_UUID, 36, F_EMPTY}};
    sql_stmt *q, *has = NULL, *put = NULL;
    if (mg_select(m, "checklist_version", cols, NCOLS(cols), "hash", &q))
        return SVA_ERR_INVALID;
    sva_error rc = SVA_OK;
    if (db_prep(m->db, "SELECT origin FROM checklist_version WHERE hash = ?1", &has, m->d) ||
        db_prep(m->db,
                "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at,"
                " origin) VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(hash) DO UPDATE SET"
                " origin = excluded.origin, stored_at = excluded.stored_at",
                &put, m->d))
        rc = SVA_ERR_DB;
    int r = SQL_DONE;
    long row = 0;
    while (!rc && (r = sql_step(q)) == SQL_ROW) {
        char label[128];
        mg_row_label(q, "checklist version", ++row, label, sizeof label);
        if ((rc = mg_check_row(m, q, cols, NCOLS(cols), label)))
            break;
        if (m->n_v == MAX_VERSIONS) {
            rc = mg_refuse(m, "more than %d checklist versions", MAX_VERSIONS);
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
            rc = mg_refuse(m, "checklist version %.12s: its stored text does not load: %s", hash,
                        first);
        } else if (strcmp(cl->hash, hash) != 0)
            rc = mg_refuse(m, "checklist version %.12s: its stored text has another hash (%.12s)",
                        hash, cl->hash);
        else if (strcmp(cl->id, id) != 0 || cl->version != version)
            rc = mg_refuse(m, "checklist version %.12s: it says %s version %lld, its text %s "
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
        /* stored in two places: the first UUID is its maker (this database stays) */
        const char *origin = mg_map(m, sql_text(q, 5));
        bool write = g == SQL_DONE ||
                     (g == SQL_ROW && *sql_text(has, 0) && strcmp(sql_text(has, 0), origin) &&
                      strcmp(real_uuid(m, origin), sql_text(has, 0)) < 0);
        if (write) {
            if (g == SQL_DONE)
                m->st->checklists_added++;
            sql_reset(put);
            sql_bind_text(put, 1, hash);
            sql_bind_text(put, 2, id);
            sql_bind_int(put, 3, version);
            sql_bind_blob_ref(put, 4, cl->source, cl->source_len);
            sql_bind_text(put, 5, sql_text(q, 4));
            sql_bind_text(put, 6, origin);
            if (sql_step(put) != SQL_DONE)
                rc = db_fail(m->db, m->d, "cannot add a checklist version");
        } else if (g != SQL_ROW) {
            rc = db_fail(m->db, m->d, "cannot read checklist versions");
        }
    }
    if (!rc && r != SQL_DONE)
        rc = mg_unreadable(m, "its checklist versions");
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
    MG_SYNC_COLS,
    /* schema 5: who recorded and voided it, its revision */
    {"recorded_by", K_TEXT, 100, F_EMPTY},
    {"voided_by", K_TEXT, 100, F_NULL | F_EMPTY},
    {"revision", K_INT, 1000000, 0},
    {"revised_at", K_TIME, 20, F_NULL},
    {"revised_by", K_TEXT, 100, F_NULL | F_EMPTY},
    {"revision_reason", K_TEXT, 1000, F_NULL | F_LINES},
    /* schema 7: the last unvoid */
    {"unvoided_at", K_TIME, 20, F_NULL},
    {"unvoided_by", K_TEXT, 100, F_NULL | F_EMPTY},
};
enum {
    A_ID, A_UUID, A_HASH, A_CL, A_VER, A_FEEDS, A_CYCLE, A_STORE, A_EMP, A_AUDITOR, A_DATE,
    A_SCORABLE, A_PCT, A_RAW, A_FAILED, A_NFC, A_NITEMS, A_NNA, A_POINTS, A_MAX, A_RECORDED,
    A_VOIDED, A_REASON, A_FP, A_NANS, A_NPASS, A_MARKS, A_ORIGIN, A_REV, A_CHANGED,
    A_RECBY, A_VOIDBY, A_REVISION, A_REVAT, A_REVBY, A_REVREASON, A_UNVAT, A_UNVBY
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
        if (mg_check_row(m, c->q, ANSWER_COLS, NCOLS(ANSWER_COLS), label))
            return SVA_ERR_INVALID;
        long long aid = sql_int(c->q, 0);
        if (aid < id)
            return mg_refuse(m, "answers of audit %lld, which the file does not have", aid);
        if (aid > id)
            break;
        long long no = sql_int(c->q, 1);
        if (no < 0 || no >= (long long)cl->n_items)
            return mg_refuse(m, "%s: an answer to item number %lld; its checklist has %zu items",
                          a->label, no, cl->n_items);
        if (no != (long long)seen)
            return mg_refuse(m, "%s: no answer to item '%s'", a->label, cl->items[seen].id);
        const sva_item *it = &cl->items[no];
        if (strcmp(sql_text(c->q, 2), it->id) != 0 ||
            strcmp(sql_text(c->q, 3), cl->sections[it->section].id) != 0)
            return mg_refuse(m, "%s: answer %lld is to item '%s' of section '%s'; its checklist "
                             "has '%s' of '%s' there",
                          a->label, no, sql_text(c->q, 2), sql_text(c->q, 3), it->id,
                          cl->sections[it->section].id);
        sva_answer *an = &a->ans[no];
        an->answered = true;
        an->na = sql_is_null(c->q, 4);
        if (!an->na) {
            long long v = sql_int(c->q, 4);
            if (v < 0 || v > it->scale.max)
                return mg_refuse(m, "%s: item '%s': answer %lld is outside the scale 0..%d",
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
        return mg_unreadable(m, "its answers");
    if (seen != cl->n_items)
        return mg_refuse(m, "%s: %zu answers for the %zu items of its checklist", a->label, seen,
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
        if (mg_check_row(m, c->q, SECTION_COLS, NCOLS(SECTION_COLS), label))
            return SVA_ERR_INVALID;
        long long aid = sql_int(c->q, 0);
        if (aid < id)
            return mg_refuse(m, "section scores of audit %lld, which the file does not have", aid);
        if (aid > id)
            break;
        long s = sva_checklist_section_index(cl, sql_text(c->q, 1));
        if (s < 0)
            return mg_refuse(m, "%s: a score for section '%s', which its checklist has not",
                          a->label, sql_text(c->q, 1));
        const sva_section_score *ss = &sc->sections[s];
        bool scorable = sql_int(c->q, 2) != 0;
        if (scorable != ss->scorable || (scorable && (sql_is_null(c->q, 3) ||
                                                      !same_num(sql_double(c->q, 3), ss->pct))) ||
            (!scorable && !sql_is_null(c->q, 3)) || !same_num(sql_double(c->q, 4), ss->points) ||
            !same_num(sql_double(c->q, 5), ss->max))
            return mg_refuse(m, "%s: the stored score of section '%s' disagrees with its answers",
                          a->label, cl->sections[s].id);
        seen++;
    }
    if (c->r == SQL_ERROR)
        return mg_unreadable(m, "its section scores");
    if (seen != cl->n_sections)
        return mg_refuse(m, "%s: %zu section scores for the %zu sections of its checklist",
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
        return mg_refuse(m, "%s: its stored score %s disagrees with its answers (%s)", a->label,
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
            return mg_refuse(m, "%s: the stored points of item '%s' disagree with its answer",
                          a->label, a->cl->items[i].id);
    }
    if ((sql_int(q, A_FAILED) != 0) != sc->failed ||
        sql_int(q, A_NFC) != (long long)sc->n_failed_critical ||
        sql_int(q, A_NITEMS) != (long long)sc->n_items ||
        sql_int(q, A_NNA) != (long long)sc->n_na || !same_num(sql_double(q, A_POINTS), sc->points) ||
        !same_num(sql_double(q, A_MAX), sc->max) || sql_int(q, A_NANS) != answered ||
        sql_int(q, A_NPASS) != npass)
        return mg_refuse(m, "%s: its stored figures (failed, counts, points) disagree with its "
                         "answers",
                      a->label);
    if (strcmp(sql_text(q, A_MARKS), marks) != 0)
        return mg_refuse(m, "%s: its stored item marks disagree with its answers", a->label);
    if (strcmp(sql_text(q, A_FP), fp) != 0)
        return mg_refuse(m, "%s: its stored fingerprint disagrees with its content", a->label);
    return SVA_OK;
}

/* Did employee @p emp work at @p store on @p date by the dated moves kept in
 * @p c (employee_event: the latest from that day or before)? */
static bool worked_at(sql_conn *c, const char *emp, const char *store, const char *date)
{
    sql_stmt *q;
    sva_diag tmp;
    sva_diag_init(&tmp);
    bool ok = false;
    if (sql_prepare(c,
                    "SELECT ev.store_id FROM employee_event ev WHERE ev.employee_id = ?1"
                    " AND ev.from_date <= ?2 ORDER BY " DB_EVENT_ORDER("ev", " DESC") " LIMIT 1",
                    &q, &tmp) == SVA_OK) {
        sql_bind_text(q, 1, emp);
        sql_bind_text(q, 2, date);
        ok = sql_step(q) == SQL_ROW && sql_column_kind(q, 0) == SQL_TEXT &&
             strcmp(sql_text(q, 0), store) == 0;
        sql_finalize(q);
    }
    sva_diag_clear(&tmp);
    return ok;
}

/* What the audits of the file need of this database, read once while they are
 * merged rather than asked per audit (on PostgreSQL each question is a round
 * trip, and it sends the rows gathered so far: the audits' rows could not go
 * together, sql_round). The merge holds the writer lock, so nobody else
 * changes them meanwhile. */
typedef struct here_cycle {
    char *id, *from, *to;
    bool moved; /* Q_PLAN_DO has run for it in this merge */
} here_cycle;

typedef struct mg_here {
    here_cycle *cycles; /* the cycles the file's audits named, as read here */
    size_t n_cycles, cap_cycles;
    unsigned long long *uuids; /* hashes of the UUIDs of the audits here (0: empty) */
    size_t cap_uuids, n_uuids;
    long long next_id; /* the next audit's id (db_next_id), 0 until read */
} mg_here;

static void here_free(mg_here *h)
{
    for (size_t i = 0; i < h->n_cycles; i++) {
        free(h->cycles[i].id);
        free(h->cycles[i].from);
        free(h->cycles[i].to);
    }
    free(h->cycles);
    free(h->uuids);
}

static unsigned long long uuid_hash(const char *uuid)
{
    unsigned long long x = 14695981039346656037ull; /* FNV-1a */
    for (; *uuid; uuid++)
        x = (x ^ (unsigned char)*uuid) * 1099511628211ull;
    return x ? x : 1;
}

static bool uuid_put(mg_here *h, const char *uuid)
{
    if (2 * (h->n_uuids + 1) > h->cap_uuids) {
        size_t cap = h->cap_uuids ? 2 * h->cap_uuids : 1024;
        unsigned long long *nu = calloc(cap, sizeof *nu);
        if (!nu)
            return false;
        for (size_t i = 0; i < h->cap_uuids; i++)
            if (h->uuids[i]) {
                size_t j = (size_t)(h->uuids[i] % cap);
                while (nu[j])
                    j = (j + 1) % cap;
                nu[j] = h->uuids[i];
            }
        free(h->uuids);
        h->uuids = nu;
        h->cap_uuids = cap;
    }
    unsigned long long x = uuid_hash(uuid);
    size_t j = (size_t)(x % h->cap_uuids);
    while (h->uuids[j] && h->uuids[j] != x)
        j = (j + 1) % h->cap_uuids;
    if (!h->uuids[j]) {
        h->uuids[j] = x;
        h->n_uuids++;
    }
    return true;
}

/* Might an audit of UUID @p uuid be here? false: surely not (true may be a
 * collision of hashes: Q_FIND then answers). */
static bool uuid_maybe(const mg_here *h, const char *uuid)
{
    if (!h->cap_uuids)
        return false;
    unsigned long long x = uuid_hash(uuid);
    size_t j = (size_t)(x % h->cap_uuids);
    while (h->uuids[j] && h->uuids[j] != x)
        j = (j + 1) % h->cap_uuids;
    return h->uuids[j] != 0;
}

/* Read the UUIDs of the audits here. */
static sva_error here_read(mg *m, mg_here *h)
{
    sql_stmt *q;
    if (db_prep(m->db, "SELECT uuid FROM audit", &q, m->d))
        return SVA_ERR_DB;
    sva_error rc = SVA_OK;
    int r;
    while (!rc && (r = sql_step(q)) == SQL_ROW)
        if (!uuid_put(h, sql_text(q, 0)))
            rc = SVA_ERR_NOMEM;
    if (!rc && r != SQL_DONE)
        rc = db_fail(m->db, m->d, "cannot read audits");
    sql_finalize(q);
    return rc;
}

/* Cycle @p id as read here (Q_CYCLE, once per cycle): NULL with *@p rc
 * SVA_OK when it is not here. */
static here_cycle *here_cycle_find(mg *m, const char *id, sva_error *rc)
{
    mg_here *h = m->here_audits;
    *rc = SVA_OK;
    for (size_t i = h->n_cycles; i-- > 0;)
        if (strcmp(h->cycles[i].id, id) == 0)
            return &h->cycles[i];
    sql_stmt *c = m->c[Q_CYCLE];
    sql_reset(c);
    sql_bind_text(c, 1, id);
    int r = sql_step(c);
    if (r != SQL_ROW) {
        sql_reset(c);
        if (r != SQL_DONE)
            *rc = db_fail(m->db, m->d, "cannot read cycles");
        return NULL;
    }
    if (h->n_cycles == h->cap_cycles) {
        size_t cap = h->cap_cycles ? 2 * h->cap_cycles : 16;
        here_cycle *nc = realloc(h->cycles, cap * sizeof *nc);
        if (!nc) {
            sql_reset(c);
            *rc = SVA_ERR_NOMEM;
            return NULL;
        }
        h->cycles = nc;
        h->cap_cycles = cap;
    }
    here_cycle *hc = &h->cycles[h->n_cycles];
    *hc = (here_cycle){.id = sva_strdup(id),
                       .from = sva_strdup(sql_text(c, 0)),
                       .to = sva_strdup(sql_text(c, 1))};
    sql_reset(c);
    if (!hc->id || !hc->from || !hc->to) {
        free(hc->id);
        free(hc->from);
        free(hc->to);
        *rc = SVA_ERR_NOMEM;
        return NULL;
    }
    h->n_cycles++;
    return hc;
}

/* The references of an audit, against this database (every store, employee
 * and cycle of the file is here by now): the employee works at the store (as
 * the file says, or as this database does, today or on the audit's date by
 * either's dated moves: an employee moved since keeps their audits), the
 * date lies in the cycle. */
static sva_error check_refs(mg *m, sql_stmt *q, const mg_audit *a)
{
    const char *cycle = sql_text(q, A_CYCLE), *store = sql_text(q, A_STORE),
               *emp = sql_text(q, A_EMP), *date = sql_text(q, A_DATE);
    if (!sva_map_get(&m->file_stores, store, &(size_t){0}))
        return mg_refuse(m, "%s: store '%s', which the file does not have", a->label, store);
    sva_error rc;
    const here_cycle *hc = here_cycle_find(m, cycle, &rc);
    if (rc)
        return rc;
    if (!hc)
        return mg_refuse(m, "%s: cycle '%s', which the file does not have", a->label, cycle);
    if (strcmp(date, hc->from) < 0 || strcmp(date, hc->to) > 0)
        return mg_refuse(m, "%s: its date %s is outside cycle %s (%s .. %s)", a->label, date, cycle,
                      hc->from, hc->to);
    size_t i;
    if (emp && !sva_map_get(&m->empmap, emp, &i))
        return mg_refuse(m, "%s: employee '%s', whom the file does not have", a->label, emp);
    if (emp && strcmp(m->emp[i].store, store) != 0) {
        sql_stmt *e = m->c[Q_EMPLOYEE];
        sql_reset(e);
        sql_bind_text(e, 1, emp);
        int r = sql_step(e);
        if (r != SQL_ROW && r != SQL_DONE)
            return db_fail(m->db, m->d, "cannot read employees");
        if ((r == SQL_DONE || strcmp(sql_text(e, 0), store) != 0) &&
            !worked_at(m->o, emp, store, date) && !worked_at(m->db->c, emp, store, date))
            return mg_refuse(m, "%s: employee '%s' works at store '%s', not '%s'", a->label, emp,
                          m->emp[i].store, store);
    }
    return SVA_OK;
}

/* Is the file's audit @p q, here (@p f: Q_FIND's row) with other answers, a
 * later revision of the one here: the same checklist version, cycle, store,
 * auditor and time of recording, a later revision number, and the file keeps
 * the revision here, with the same fingerprint, in its history (then
 * am->replaced_at and _by say when and by whom it was replaced)? Else it is
 * another audit, or another line of amendments: a conflict, never taken. */
static sva_error amendment(mg *m, sql_stmt *q, sql_stmt *f, mg_amend *am, bool *yes)
{
    *yes = false;
    long long here_rev = sql_int(f, 2);
    if (strcmp(sql_text(f, 3), sql_text(q, A_HASH)) != 0 ||
        strcmp(sql_text(f, 4), sql_text(q, A_CYCLE)) != 0 ||
        strcmp(sql_text(f, 5), sql_text(q, A_STORE)) != 0 ||
        strcmp(sql_text(f, 6), sql_text(q, A_AUDITOR)) != 0 ||
        strcmp(sql_text(f, 7), sql_text(q, A_RECORDED)) != 0 || sql_int(q, A_REVISION) <= here_rev)
        return SVA_OK;
    sql_stmt *h;
    sva_diag tmp;
    sva_diag_init(&tmp);
    sva_error rc = sql_prepare(m->o,
                               "SELECT replaced_at, replaced_by FROM audit_revision"
                               " WHERE audit_id = ?1 AND revision = ?2 AND fingerprint = ?3",
                               &h, &tmp);
    sva_diag_clear(&tmp);
    if (rc)
        return mg_unreadable(m, "its revisions");
    sql_bind_int(h, 1, sql_int(q, A_ID));
    sql_bind_int(h, 2, here_rev);
    sql_bind_text(h, 3, am->here_fp);
    int r = sql_step(h);
    if (r == SQL_ROW && sql_column_kind(h, 0) == SQL_TEXT && sql_column_kind(h, 1) == SQL_TEXT &&
        strlen(sql_text(h, 0)) < sizeof am->replaced_at &&
        strlen(sql_text(h, 1)) < sizeof am->replaced_by) {
        /* (checked as typed with every revision of the file, later in the merge) */
        snprintf(am->replaced_at, sizeof am->replaced_at, "%s", sql_text(h, 0));
        snprintf(am->replaced_by, sizeof am->replaced_by, "%s", sql_text(h, 1));
        *yes = true;
    } else if (r != SQL_ROW && r != SQL_DONE) {
        rc = mg_unreadable(m, "its revisions");
    }
    sql_finalize(h);
    return rc;
}

/* Run @p sql binding ?1 = the audit here (and ?2, ?3 when given). */
static sva_error amend_exec(mg *m, const char *sql, long long id, const char *a2, const char *a3,
                            long long rev)
{
    sql_stmt *s;
    if (db_prep(m->db, sql, &s, m->d))
        return SVA_ERR_DB;
    sql_bind_int(s, 1, id);
    if (a2) {
        sql_bind_text(s, 2, a2);
        sql_bind_text(s, 3, a3);
    } else if (rev) {
        sql_bind_int(s, 2, rev);
    }
    int r = sql_step(s);
    sql_finalize(s);
    return r == SQL_DONE ? SVA_OK : db_fail(m->db, m->d, "cannot take an amended audit");
}

static sva_error audit_amend(mg *m)
{
    mg_amend *am = m->amend;
    sql_stmt *q = am->q;
    const sva_audit_ready *r = am->r;
    const sva_score *sc = &r->score;
    long long id = am->here_id;
    /* the revision here, kept as the amendment there kept it (as audit amend does) */
    sql_stmt *s;
    if (db_prep(m->db, "SELECT revision FROM audit WHERE id = ?1", &s, m->d))
        return SVA_ERR_DB;
    sql_bind_int(s, 1, id);
    long long rev = sql_step(s) == SQL_ROW ? sql_int(s, 0) : 0;
    sql_finalize(s);
    sva_error rc = amend_exec(
        m,
        "INSERT INTO audit_revision(audit_id, revision, made_at, made_by, reason, employee_id,"
        " audit_date, scorable, pct, raw_pct, failed, n_failed_critical, n_items, n_na, points,"
        " max_points, n_answered, n_passed, fingerprint, replaced_at, replaced_by)"
        " SELECT id, revision, coalesce(revised_at, recorded_at), coalesce(revised_by,"
        " recorded_by), revision_reason, employee_id, audit_date, scorable, pct, raw_pct, failed,"
        " n_failed_critical, n_items, n_na, points, max_points, n_answered, n_passed,"
        " fingerprint, ?2, ?3 FROM audit WHERE id = ?1",
        id, am->replaced_at, am->replaced_by, 0);
    if (!rc)
        rc = amend_exec(m,
                        "INSERT INTO answer_revision(audit_id, revision, item_no, value, points,"
                        " max_points, passed, note, evidence) SELECT audit_id, ?2, item_no,"
                        " value, points, max_points, passed, note, evidence FROM answer"
                        " WHERE audit_id = ?1",
                        id, NULL, NULL, rev);
    if (!rc)
        rc = amend_exec(m,
                        "INSERT INTO section_revision(audit_id, revision, section_id, scorable,"
                        " pct, points, max_points) SELECT audit_id, ?2, section_id, scorable,"
                        " pct, points, max_points FROM section_score WHERE audit_id = ?1",
                        id, NULL, NULL, rev);
    if (rc)
        return rc;
    /* the maker's revision, as scored again here */
    long long answered = 0, passed = 0;
    for (size_t i = 0; i < r->cl->n_items; i++)
        if (!sc->items[i].na) {
            answered++;
            passed += sc->items[i].passed;
        }
    if (db_prep(m->db,
                "UPDATE audit SET employee_id = ?2, audit_date = ?3, scorable = ?4, pct = ?5,"
                " raw_pct = ?6, failed = ?7, n_failed_critical = ?8, n_items = ?9, n_na = ?10,"
                " points = ?11, max_points = ?12, n_answered = ?13, n_passed = ?14,"
                " fingerprint = ?15, item_marks = ?16, revision = ?17, revised_at = ?18,"
                " revised_by = ?19, revision_reason = ?20 WHERE id = ?1",
                &s, m->d))
        return SVA_ERR_DB;
    sql_bind_int(s, 1, id);
    sql_bind_text(s, 2, r->header.employee);
    sql_bind_text(s, 3, r->date);
    db_bind_score(s, 4, sc);
    sql_bind_int(s, 13, answered);
    sql_bind_int(s, 14, passed);
    sql_bind_text(s, 15, am->fp);
    sql_bind_text(s, 16, am->marks);
    sql_bind_int(s, 17, sql_int(q, A_REVISION));
    sql_bind_text(s, 18, sql_text(q, A_REVAT));
    sql_bind_text(s, 19, sql_text(q, A_REVBY));
    sql_bind_text(s, 20, sql_text(q, A_REVREASON));
    int rr = sql_step(s);
    sql_finalize(s);
    if (rr != SQL_DONE)
        return db_fail(m->db, m->d, "cannot take an amended audit");
    if (db_prep(m->db,
                "UPDATE answer SET value = ?3, points = ?4, max_points = ?5, passed = ?6,"
                " note = ?7, evidence = ?8 WHERE audit_id = ?1 AND item_no = ?2",
                &s, m->d))
        return SVA_ERR_DB;
    for (size_t i = 0; !rc && i < r->cl->n_items; i++) {
        const sva_answer *an = &r->answers[i];
        const sva_item_score *is = &sc->items[i];
        sql_reset(s);
        sql_bind_int(s, 1, id);
        sql_bind_int(s, 2, (long long)i);
        if (is->na) {
            sql_bind_null(s, 3);
            sql_bind_null(s, 6);
        } else {
            sql_bind_int(s, 3, an->value);
            sql_bind_int(s, 6, is->passed);
        }
        sql_bind_double(s, 4, is->points);
        sql_bind_double(s, 5, is->max);
        sql_bind_text(s, 7, an->note ? an->note : "");
        sql_bind_text(s, 8, an->evidence ? an->evidence : "");
        if (sql_step(s) != SQL_DONE || sql_changes(m->db->c) != 1)
            rc = db_fail(m->db, m->d, "cannot take an amended answer");
    }
    sql_finalize(s);
    if (rc || db_prep(m->db,
                      "UPDATE section_score SET scorable = ?3, pct = ?4, points = ?5,"
                      " max_points = ?6 WHERE audit_id = ?1 AND section_id = ?2",
                      &s, m->d))
        return rc ? rc : SVA_ERR_DB;
    for (size_t i = 0; !rc && i < r->cl->n_sections; i++) {
        const sva_section_score *ss = &sc->sections[i];
        sql_reset(s);
        sql_bind_int(s, 1, id);
        sql_bind_text(s, 2, r->cl->sections[i].id);
        sql_bind_int(s, 3, ss->scorable);
        if (ss->scorable)
            sql_bind_double(s, 4, ss->pct);
        else
            sql_bind_null(s, 4);
        sql_bind_double(s, 5, ss->points);
        sql_bind_double(s, 6, ss->max);
        if (sql_step(s) != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot take an amended section score");
    }
    sql_finalize(s);
    if (!rc)
        am->done = true;
    return rc;
}

static sva_error insert_audit(mg *m, sql_stmt *q, const sva_audit_ready *r, const char *marks,
                              const char *fp)
{
    const sva_score *sc = &r->score;
    mg_here *h = m->here_audits;
    /* its id from the program (as the store would give it), so that nothing of
     * it waits for the store and its rows may go with the others' (sql_round) */
    long long id = db_next_id(m->db, "audit", &h->next_id, m->d);
    if (!id)
        return SVA_ERR_DB;
    sql_round(m->db->c);
    sql_stmt *s = m->c[Q_AUDIT];
    sql_reset(s);
    sql_bind_int(s, 38, id);
    sql_bind_text(s, 1, sql_text(q, A_UUID));
    sql_bind_text(s, 2, r->cl->hash);
    sql_bind_text(s, 3, r->cl->id);
    sql_bind_int(s, 4, r->cl->version);
    sql_bind_text(s, 5, r->header.cycle);
    sql_bind_text(s, 6, r->header.store);
    sql_bind_text(s, 7, r->header.employee);
    sql_bind_text(s, 8, r->header.auditor);
    sql_bind_text(s, 9, r->date);
    db_bind_score(s, 10, sc);
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
    sql_bind_text(s, 27, mg_map(m, sql_text(q, A_ORIGIN)));
    sql_bind_int(s, 28, sql_int(q, A_REV));
    sql_bind_text(s, 29, mg_map(m, sql_text(q, A_CHANGED)));
    sql_bind_text(s, 30, sql_text(q, A_RECBY));
    sql_bind_text(s, 31, sql_text(q, A_VOIDBY));
    sql_bind_int(s, 32, sql_int(q, A_REVISION));
    sql_bind_text(s, 33, sql_text(q, A_REVAT));
    sql_bind_text(s, 34, sql_text(q, A_REVBY));
    sql_bind_text(s, 35, sql_text(q, A_REVREASON));
    sql_bind_text(s, 36, sql_text(q, A_UNVAT));
    sql_bind_text(s, 37, sql_text(q, A_UNVBY));
    int rr = sql_step(s);
    sql_reset(s);
    if (rr != SQL_DONE)
        return db_fail(m->db, m->d, "cannot add an audit");
    h->next_id++;
    if (!uuid_put(h, sql_text(q, A_UUID)))
        return SVA_ERR_NOMEM;
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
    /* the first audit of a cycle in plan moves it to do, as recording does
     * (once a merge: then it is past plan) */
    sva_error rc;
    here_cycle *hc = here_cycle_find(m, r->header.cycle, &rc);
    if (rc)
        return rc;
    if (!hc || !hc->moved) {
        s = m->c[Q_PLAN_DO];
        sql_reset(s);
        sql_bind_text(s, 1, r->header.cycle);
        rr = sql_step(s);
        sql_reset(s);
        if (rr != SQL_DONE)
            return db_fail(m->db, m->d, "cannot update a cycle's state");
        if (hc)
            hc->moved = true;
    }
    m->st->audits_added++;
    return SVA_OK;
}

/* Does this database take a new audit of the file? Everything, unless it has
 * a scope: then the audits its actions come from, at a store and by an
 * employee it has. */
static bool take_audit(mg *m, sql_stmt *q)
{
    if (!m->scope.on)
        return true;
    if (!sva_map_get(&m->take_audits, sql_text(q, A_UUID), &(size_t){0}))
        return false;
    if (mg_store_here(m, sql_text(q, A_STORE)) <= 0)
        return false;
    return sql_is_null(q, A_EMP) ||
           db_exists(m->db, "SELECT 1 FROM employee WHERE id = ?1", sql_text(q, A_EMP), m->d) >
               0;
}

/* One audit row of the file (the current row of @p q), with its answers and
 * section scores from the cursors. */
static sva_error one_audit(mg *m, sql_stmt *q, mg_cursor *ans, mg_cursor *sec, long row)
{
    char label[96];
    mg_row_label(q, "audit", row, label, sizeof label);
    if (mg_check_row(m, q, AUDIT_COLS, NCOLS(AUDIT_COLS), label))
        return SVA_ERR_INVALID;
    long long id = sql_int(q, A_ID);
    snprintf(label, sizeof label, "audit %lld (%s)", id, sql_text(q, A_UUID));
    if (m->n_audits % 1024 == 0) {
        mg_ref *nv = realloc(m->audits, (m->n_audits + 1024) * sizeof *nv);
        if (!nv)
            return SVA_ERR_NOMEM;
        m->audits = nv;
    }
    /* read in id order: the array stays sorted for mg_audit_uuid */
    m->audits[m->n_audits].id = id;
    memcpy(m->audits[m->n_audits].uuid, sql_text(q, A_UUID), 37);
    m->n_audits++;
    size_t vi;
    if (!sva_map_get(&m->vmap, sql_text(q, A_HASH), &vi))
        return mg_refuse(m, "%s: checklist version %.12s, which the file does not have", label,
                      sql_text(q, A_HASH));
    const sva_checklist *cl = m->v[vi].cl;
    if (strcmp(sql_text(q, A_CL), cl->id) != 0 || sql_int(q, A_VER) != cl->version ||
        strcmp(sql_text(q, A_FEEDS), sva_index_name(cl->index)) != 0)
        return mg_refuse(m, "%s: its checklist, version or index (%s %lld, %s) is not its checklist "
                         "version's (%s %ld, %s)",
                      label, sql_text(q, A_CL), sql_int(q, A_VER), sql_text(q, A_FEEDS), cl->id,
                      cl->version, sva_index_name(cl->index));
    if (sql_is_null(q, A_VOIDED) != sql_is_null(q, A_REASON))
        return mg_refuse(m, "%s: %s", label,
                      sql_is_null(q, A_VOIDED) ? "a void reason but no void"
                                               : "void without a reason");
    if (!sql_is_null(q, A_REASON) && !*sql_text(q, A_REASON))
        return mg_refuse(m, "%s: void without a reason", label);
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
        rc = mg_refuse(m, "%s: %s", label, first);
    }
    sva_diag_clear(&tmp);
    if (rc)
        goto out;
    if (cl->subject == SVA_SUBJECT_STORE && h.employee) {
        rc = mg_refuse(m, "%s: checklist '%s' scores a store, yet it names employee '%s'", label,
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
    /* asked only when it may be here (most new audits are surely not) */
    int g = uuid_maybe(m->here_audits, sql_text(q, A_UUID)) ? sql_step(f) : SQL_DONE;
    if (g == SQL_ROW) {
        /* here already: the same audit (its void travels as a version), or another
         * under the same UUID (a conflict) */
        bool same = strcmp(sql_text(f, 1), fp) == 0;
        if (same)
            m->st->audits_same++;
        char *here_fp = sva_strdup(sql_text(f, 1));
        static const int cols[MG_AUDIT_VCOLS] = {A_UUID,     A_VOIDED,     A_REASON, A_ORIGIN,
                                                 A_VOIDBY,   A_UNVAT,      A_UNVBY,  A_REVISION,
                                                 A_REVAT,    A_REVBY,      A_REVREASON};
        mg_amend am = {.q = q, .r = r, .marks = marks, .fp = fp, .here_fp = here_fp,
                       .here_id = sql_int(f, 0), .write = audit_amend};
        bool amendable = false;
        if (!here_fp)
            rc = SVA_ERR_NOMEM;
        else if (!same)
            rc = amendment(m, q, f, &am, &amendable);
        sql_reset(f);
        if (!rc) {
            m->amend = amendable ? &am : NULL;
            rc = mg_audit_void(m, q, cols, fp, here_fp, amendable);
            m->amend = NULL;
        }
        free(here_fp);
    } else if (g == SQL_DONE && take_audit(m, q) && mg_closed(m, sql_text(q, A_CYCLE))) {
        mg_not_taken(m, "audit", sql_text(q, A_UUID), sql_text(q, A_CYCLE));
    } else if (g == SQL_DONE && take_audit(m, q)) {
        rc = insert_audit(m, q, r, marks, fp);
    } else if (g == SQL_DONE) {
        /* out of this database's scope: checked, not taken */
    }
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
        [Q_FIND] = "SELECT id, fingerprint, revision, checklist_hash, cycle_id, store_id,"
                   " auditor, recorded_at FROM audit WHERE uuid = ?1",
        [Q_AUDIT] =
            "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"
            " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"
            " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"
            " voided_at, void_reason, feeds, fingerprint, n_answered, n_passed, item_marks,"
            " origin, sync_rev, changed_in, recorded_by, voided_by, revision, revised_at,"
            " revised_by, revision_reason, unvoided_at, unvoided_by, id)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
            " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,"
            " ?33, ?34, ?35, ?36, ?37, ?38)",
        [Q_ANSWER] = "INSERT INTO answer(audit_id, item_no, item_id, section_id, value, points,"
                     " max_points, passed, note, evidence) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                     " ?8, ?9, ?10)",
        [Q_SECTION] = "INSERT INTO section_score(audit_id, section_id, scorable, pct, points,"
                      " max_points) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        [Q_CYCLE] = "SELECT date_from, date_to FROM cycle WHERE id = ?1",
        [Q_EMPLOYEE] = "SELECT store_id FROM employee WHERE id = ?1",
        [Q_PLAN_DO] = "UPDATE cycle SET state = 'do' WHERE id = ?1 AND state = 'plan'",
    };
    for (size_t i = 0; i < NCOLS(here); i++)
        if (db_prep(m->db, here[i], &m->c[i], m->d))
            return SVA_ERR_DB;
    mg_here h = {0};
    sva_error rc = here_read(m, &h);
    if (rc) {
        here_free(&h);
        return rc;
    }
    m->here_audits = &h;
    sql_stmt *q;
    mg_cursor ans = {0}, sec = {0};
    if (mg_select(m, "audit", AUDIT_COLS, NCOLS(AUDIT_COLS), "id", &q)) {
        m->here_audits = NULL;
        here_free(&h);
        return SVA_ERR_INVALID;
    }
    if (mg_select(m, "answer", ANSWER_COLS, NCOLS(ANSWER_COLS), "audit_id, item_no", &ans.q) ||
        mg_select(m, "section_score", SECTION_COLS, NCOLS(SECTION_COLS),
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
        rc = mg_unreadable(m, "its audits");
    if (!rc && ans.r == SQL_ROW)
        rc = mg_refuse(m, "answers of audit %lld, which the file does not have",
                    sql_int(ans.q, 0));
    if (!rc && sec.r == SQL_ROW)
        rc = mg_refuse(m, "section scores of audit %lld, which the file does not have",
                    sql_int(sec.q, 0));
    if (!rc && (ans.r == SQL_ERROR || sec.r == SQL_ERROR))
        rc = mg_unreadable(m, "its answers");
    sql_finalize(q);
    sql_finalize(ans.q);
    sql_finalize(sec.q);
    m->here_audits = NULL;
    here_free(&h);
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
    free(m->audits);
    free(m->actions);
    free(m->links);
    for (size_t i = 0; i < NCOLS(m->c); i++)
        sql_finalize(m->c[i]);
    for (size_t i = 0; i < m->n_store_ids; i++)
        free(m->store_ids[i]);
    free(m->store_ids);
    sva_map_free(&m->file_stores);
    for (size_t i = 0; i < m->n_taken; i++)
        free(m->taken[i]);
    free(m->taken);
    sva_map_free(&m->take_actions);
    sva_map_free(&m->take_audits);
    for (size_t i = 0; i < m->n_closed; i++)
        free(m->closed[i]);
    free(m->closed);
    sva_map_free(&m->closedmap);
    mg_scope_free(&m->scope);
    if (!m->trusted)
        sql_close(m->o);
}

/* This database's scope, when it is a packed laptop (meta 'pack_scope'). */
static sva_error own_scope(mg *m)
{
    sql_stmt *q;
    if (db_prep(m->db, "SELECT value FROM meta WHERE key = 'pack_scope'", &q, m->d))
        return SVA_ERR_DB;
    sva_error rc = SVA_OK;
    int r = sql_step(q);
    if (r == SQL_ROW && !mg_scope_parse(sql_text(q, 0), &m->scope)) {
        sva_diag_add(m->d, m->db->path, 0, "its pack scope (meta 'pack_scope') is damaged");
        rc = SVA_ERR_DB;
    } else if (r != SQL_ROW && r != SQL_DONE) {
        rc = db_fail(m->db, m->d, "cannot read the database's scope");
    }
    sql_finalize(q);
    return rc;
}

/* The cycles closed here before the merge (@p after false), then those of
 * them still closed once the file's cycles are merged (a file that reopens
 * one, by the database that closed it, opens it to the rest of the file). */
static sva_error closed_cycles(mg *m, bool after)
{
    if (!after) {
        sql_stmt *q;
        if (db_prep(m->db, "SELECT id FROM cycle WHERE state = 'closed' ORDER BY id", &q, m->d))
            return SVA_ERR_DB;
        sva_error rc = SVA_OK;
        int r;
        while (!rc && (r = sql_step(q)) == SQL_ROW) {
            char **nc = realloc(m->closed, (m->n_closed + 1) * sizeof *nc);
            if (!nc || !(nc[m->n_closed] = sva_strdup(sql_text(q, 0)))) {
                if (nc)
                    m->closed = nc;
                rc = SVA_ERR_NOMEM;
                break;
            }
            m->closed = nc;
            m->n_closed++;
        }
        if (!rc && r != SQL_DONE)
            rc = db_fail(m->db, m->d, "cannot read cycles");
        sql_finalize(q);
        return rc;
    }
    for (size_t i = 0; i < m->n_closed; i++) {
        int still = db_exists(m->db, "SELECT 1 FROM cycle WHERE id = ?1 AND state = 'closed'",
                              m->closed[i], m->d);
        if (still < 0)
            return SVA_ERR_DB;
        if (still && !sva_map_put(&m->closedmap, m->closed[i], i))
            return SVA_ERR_NOMEM;
    }
    return SVA_OK;
}

/* The merge of m->o into m->db, in one transaction, once the other database
 * is open and its identity known. */
static sva_error mg_run(mg *m)
{
    sva_db *db = m->db;
    sva_diag *d = m->d;
    sva_merge_stats *st = m->st;
    sva_error rc = m->scope.on ? SVA_OK : own_scope(m);
    if (!rc)
        rc = db_begin(db, d);
    if (rc)
        return rc;
    /* the triggers that version changes made here stand aside while merging */
    rc = db_exec(db, "INSERT INTO meta VALUES('sync_applying', '1')", d);
    if (!rc)
        rc = merge_peers(m);
    if (!rc)
        rc = merge_master(m, &STORES);
    if (!rc)
        rc = merge_master(m, &EMPLOYEES);
    if (!rc)
        rc = closed_cycles(m, false);
    if (!rc)
        rc = mg_cycles(m);
    if (!rc)
        rc = closed_cycles(m, true);
    if (!rc)
        rc = mg_closes(m);
    if (!rc)
        rc = mg_events(m);
    if (!rc)
        rc = merge_versions(m);
    if (!rc && m->scope.on)
        rc = mg_plan_actions(m);
    if (!rc)
        rc = merge_audits(m);
    if (!rc)
        rc = mg_revisions(m);
    if (!rc)
        rc = mg_appeals(m);
    if (!rc)
        rc = mg_actions(m);
    if (!rc)
        rc = mg_action_checks(m);
    if (!rc)
        rc = mg_action_carries(m);
    if (!rc)
        rc = mg_targets(m);
    if (!rc)
        rc = mg_surveys(m);
    if (!rc)
        rc = mg_reasons(m);
    if (!rc)
        rc = mg_plans(m);
    if (!rc)
        rc = mg_owners(m);
    /* the other database's name, and a merge that brought something */
    if (!rc && (st->audits_added || st->stores_added || st->employees_added ||
                st->cycles_added || st->checklists_added || st->actions_added ||
                st->history_added || st->targets_added || st->surveys_added ||
                st->reasons_added || st->plans_added || st->owners_added ||
                st->master_changed || st->voids || st->updated || st->appeals_added ||
                st->amendments || st->closes_added || st->checks_added ||
                st->carries_added || st->events_added || st->conflicts_new ||
                peer_unknown(m)))
        rc = note_peer(m);
    /* the change log says what a merge brought, and from where */
    if (!rc && !m->trusted && (st->audits_added || st->actions_added || st->voids ||
                               st->updated || st->master_changed || st->conflicts_new ||
                               st->appeals_added || st->amendments))
        rc = db_log(m->db, NULL, "merge", m->file, m->d,
                    "from %s (%s): %zu audits, %zu actions, %zu appeals added; %zu voids,"
                    " %zu amendments, %zu store or employee changes, %zu other changes taken;"
                    " %zu new conflicts",
                    *m->there_name ? m->there_name : "unnamed", m->there, st->audits_added,
                    st->actions_added, st->appeals_added, st->voids, st->amendments,
                    st->master_changed, st->updated, st->conflicts_new);
    /* a cycle with audits is past plan; the current version of master data is
     * not history */
    if (!rc)
        rc = db_exec(db,
                     "UPDATE cycle SET state = 'do' WHERE state = 'plan' AND EXISTS (SELECT 1"
                     "  FROM audit WHERE cycle_id = cycle.id);"
                     "DELETE FROM store_history WHERE EXISTS (SELECT 1 FROM store s WHERE"
                     "  s.id = store_history.id AND s.name = store_history.name AND s.region ="
                     "  store_history.region AND s.changed_at = store_history.changed_at AND"
                     "  s.changed_in = store_history.changed_in);"
                     "DELETE FROM employee_history WHERE EXISTS (SELECT 1 FROM employee e WHERE"
                     "  e.id = employee_history.id AND e.name = employee_history.name AND"
                     "  e.store_id = employee_history.store_id AND e.role = employee_history.role"
                     "  AND e.changed_at = employee_history.changed_at AND"
                     "  e.changed_in = employee_history.changed_in);"
                     "DELETE FROM meta WHERE key = 'sync_applying'",
                     d);
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, m->file, 0, "out of memory: nothing merged");
    for (size_t i = 0; i < NCOLS(m->c); i++) {
        sql_finalize(m->c[i]);
        m->c[i] = NULL;
    }
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (!rc)
        rc = rc2;
    for (size_t i = 0; !rc && i < m->conf.n; i++)
        sva_diag_add(d, m->conf.msgs[i].file, m->conf.msgs[i].line, "%s", m->conf.msgs[i].msg);
    return rc;
}

sva_error sva_db_merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d)
{
    sva_merge_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    /* the received database is a file: a laptop's (this database may be
     * either engine: the two connections need not share one) */
    if (!sql_is_file(other)) {
        sva_diag_add(d, other, 0,
                     "merge takes an SQLite file (a laptop's or an office's); 'svcaudit copy' "
                     "moves a whole database between SQLite and PostgreSQL");
        return SVA_ERR_USAGE;
    }
    struct stat a, b;
    if (stat(other, &a) == 0 && stat(db->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        sva_diag_add(d, other, 0, "is this database itself: nothing to merge");
        return SVA_ERR_USAGE;
    }
    mg m = {.db = db, .file = other, .d = d, .st = st};
    sva_diag_init(&m.conf);
    sva_identity me;
    sva_error rc = sva_db_identity(db, &me, d);
    if (!rc) {
        memcpy(m.here, me.uuid, sizeof m.here);
        rc = open_other(&m);
    }
    if (!rc)
        rc = check_meta(&m);
    if (!rc)
        rc = mg_run(&m);
    mg_free(&m);
    sva_diag_clear(&m.conf);
    if (rc)
        memset(st, 0, sizeof *st);
    return rc == SVA_ERR_INVALID ? SVA_ERR_DB : rc;
}

sva_error mg_pack_run(sva_db *dst, sql_conn *src, const char *src_name, const char *src_uuid,
                      const char *src_label, const mg_scope *scope, sva_merge_stats *st,
                      sva_diag *d)
{
    memset(st, 0, sizeof *st);
    mg m = {.db = dst, .o = src, .file = src_name, .d = d, .st = st, .trusted = true};
    sva_diag_init(&m.conf);
    sva_identity me;
    sva_error rc = sva_db_identity(dst, &me, d);
    if (!rc) {
        memcpy(m.here, me.uuid, sizeof m.here);
        snprintf(m.there, sizeof m.there, "%s", src_uuid);
        snprintf(m.there_name, sizeof m.there_name, "%s", src_label);
        memcpy(st->from.uuid, m.there, sizeof m.there);
        memcpy(st->from.name, m.there_name, sizeof m.there_name);
        m.scope = *scope;
        m.scope.on = true;
        rc = sql_begin(src, false, d); /* one snapshot of the source */
    }
    if (!rc) {
        rc = mg_run(&m);
        sql_rollback(src);
    }
    m.scope = (mg_scope){0}; /* the caller's */
    mg_free(&m);
    sva_diag_clear(&m.conf);
    return rc == SVA_ERR_INVALID ? SVA_ERR_DB : rc;
}

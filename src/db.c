/* svcaudit: the SQLite store (see db.h): opening, schema and migrations,
 * write transactions, organisation, cycles. Audits are in db_audit.c, merge
 * in db_merge.c; all three share db_internal.h and are the only files that
 * include <sqlite3.h>. */
#include "db_internal.h"
#include "csv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The whole schema, version by version: each step takes the database to
 * user_version `to` (a version may need several steps: C compilers limit the
 * length of one string). Never edit a shipped step; add one. */
struct migration {
    long to;
    const char *sql;
};
static const struct migration migrations[] = {
    {1,
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
    "INSERT INTO meta VALUES('application', 'svcaudit');"
    "INSERT INTO meta VALUES('pseudonym_salt', lower(hex(randomblob(16))));"
    "CREATE TABLE store(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  region TEXT NOT NULL DEFAULT '') STRICT;"
    "CREATE TABLE employee(id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  store_id TEXT NOT NULL REFERENCES store(id), role TEXT NOT NULL DEFAULT '') STRICT;"
    "CREATE INDEX employee_store ON employee(store_id);"
    "CREATE TABLE cycle(id TEXT PRIMARY KEY, date_from TEXT NOT NULL, date_to TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'plan'"
    "    CHECK (state IN ('plan', 'do', 'check', 'act', 'closed')),"
    "  created_at TEXT NOT NULL) STRICT;"
    "CREATE TABLE checklist_version(hash TEXT PRIMARY KEY, checklist_id TEXT NOT NULL,"
    "  version INTEGER NOT NULL, source BLOB NOT NULL, stored_at TEXT NOT NULL) STRICT;"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    "  checklist_hash TEXT NOT NULL REFERENCES checklist_version(hash),"
    "  checklist_id TEXT NOT NULL, checklist_version INTEGER NOT NULL,"
    "  feeds TEXT NOT NULL CHECK (feeds IN ('ssi', 'csi', '6s', 'none')),"
    "  cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  store_id TEXT NOT NULL REFERENCES store(id),"
    "  employee_id TEXT REFERENCES employee(id),"
    "  auditor TEXT NOT NULL, audit_date TEXT NOT NULL,"
    "  scorable INTEGER NOT NULL, pct REAL, raw_pct REAL,"
    "  failed INTEGER NOT NULL, n_failed_critical INTEGER NOT NULL,"
    "  n_items INTEGER NOT NULL, n_na INTEGER NOT NULL,"
    "  points REAL NOT NULL, max_points REAL NOT NULL,"
    "  recorded_at TEXT NOT NULL, voided_at TEXT, void_reason TEXT,"
    "  fingerprint TEXT NOT NULL) STRICT;"
    "CREATE INDEX audit_cycle_store ON audit(cycle_id, store_id);"
    "CREATE INDEX audit_fingerprint ON audit(fingerprint);"
    "CREATE TABLE answer(audit_id INTEGER NOT NULL REFERENCES audit(id),"
    "  item_no INTEGER NOT NULL, item_id TEXT NOT NULL, section_id TEXT NOT NULL,"
    "  value INTEGER, points REAL NOT NULL, max_points REAL NOT NULL, passed INTEGER,"
    "  note TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(audit_id, item_no)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE section_score(audit_id INTEGER NOT NULL REFERENCES audit(id),"
    "  section_id TEXT NOT NULL, scorable INTEGER NOT NULL, pct REAL,"
    "  points REAL NOT NULL, max_points REAL NOT NULL,"
    "  PRIMARY KEY(audit_id, section_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX answer_item ON answer(item_id);"},
    {1,
    /* PDCA: Plan (targets), Do (5W1H actions), Check (surveys), Act (reasons) */
    "CREATE TABLE target(cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('network', 'region', 'store')),"
    "  scope_id TEXT NOT NULL DEFAULT '', metric TEXT NOT NULL, value REAL NOT NULL,"
    "  set_at TEXT NOT NULL, PRIMARY KEY(cycle_id, scope, scope_id, metric)) STRICT;"
    "CREATE TABLE action(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    "  cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  store_id TEXT NOT NULL REFERENCES store(id),"
    "  metric TEXT, checklist_id TEXT, item_id TEXT, section_id TEXT,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN"
    "    ('open', 'in_progress', 'done', 'verified', 'reopened')),"
    "  owner TEXT NOT NULL DEFAULT '', due TEXT, source_audit INTEGER REFERENCES audit(id),"
    "  carried_from INTEGER REFERENCES action(id), carried_to INTEGER REFERENCES action(id),"
    "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
    "CREATE INDEX action_cycle_store ON action(cycle_id, store_id);"
    "CREATE TABLE action_field(action_id INTEGER NOT NULL REFERENCES action(id),"
    "  key TEXT NOT NULL, value TEXT NOT NULL, pos INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(action_id, key)) STRICT;"
    "CREATE TABLE action_history(id INTEGER PRIMARY KEY,"
    "  action_id INTEGER NOT NULL REFERENCES action(id), at TEXT NOT NULL,"
    "  actor TEXT NOT NULL, change TEXT NOT NULL) STRICT;"
    "CREATE TABLE cycle_reason(cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  store_id TEXT NOT NULL REFERENCES store(id), metric TEXT NOT NULL, text TEXT NOT NULL,"
    "  at TEXT NOT NULL, PRIMARY KEY(cycle_id, store_id, metric)) STRICT;"
    "CREATE TABLE survey(cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  store_id TEXT NOT NULL REFERENCES store(id),"
    "  metric TEXT NOT NULL CHECK (metric IN ('ssi', 'csi')), value REAL NOT NULL,"
    "  respondents INTEGER NOT NULL, imported_at TEXT NOT NULL,"
    "  PRIMARY KEY(cycle_id, store_id, metric)) STRICT;"
    "CREATE TRIGGER action_never_deleted BEFORE DELETE ON action"
    "  BEGIN SELECT RAISE(ABORT, 'actions are never deleted'); END;"
    "CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audits are never deleted; void them'); END;"
    "CREATE TRIGGER answer_never_deleted BEFORE DELETE ON answer"
    "  BEGIN SELECT RAISE(ABORT, 'answers are never deleted'); END;"},
    {2,
    /* each audit's answered (not N/A) and passed items, so compliance rates per
     * store, region and network come from the audits alone, without reading a
     * million answers for each figure; filled in for the audits already there */
    "ALTER TABLE audit ADD COLUMN n_answered INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit ADD COLUMN n_passed INTEGER NOT NULL DEFAULT 0;"
    "UPDATE audit SET"
    "  n_answered = (SELECT count(passed) FROM answer WHERE audit_id = audit.id),"
    "  n_passed = (SELECT coalesce(sum(passed), 0) FROM answer WHERE audit_id = audit.id);"},
};
#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)
#define LATEST_SCHEMA (migrations[N_MIGRATIONS - 1].to)

/* ---- small helpers shared with db_audit.c and db_merge.c ---------------------------- */

sva_error db_fail(sva_db *db, sva_diag *d, const char *what)
{
    int code = sqlite3_extended_errcode(db->h);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        sva_diag_add(d, db->path, 0, "%s: the database stayed busy (another svcaudit is "
                                     "writing); try again", what);
    else
        sva_diag_add(d, db->path, 0, "%s: %s", what, sqlite3_errmsg(db->h));
    return SVA_ERR_DB;
}

sva_error db_prep(sva_db *db, const char *sql, sqlite3_stmt **st, sva_diag *d)
{
    if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_fail(db, d, "cannot prepare a query");
    }
    return SVA_OK;
}

sva_error db_exec(sva_db *db, const char *sql, sva_diag *d)
{
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, d, "database error");
    return SVA_OK;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

char *db_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? sva_strdup((const char *)t) : NULL;
}

sva_error db_begin(sva_db *db, sva_diag *d)
{
    if (db->batch)
        return db_exec(db, "SAVEPOINT sva_write", d);
    return db_exec(db, "BEGIN IMMEDIATE", d);
}

sva_error db_end(sva_db *db, bool commit, sva_diag *d)
{
    if (db->batch) {
        if (commit)
            return db_exec(db, "RELEASE sva_write", d);
        sqlite3_exec(db->h, "ROLLBACK TO sva_write; RELEASE sva_write", NULL, NULL, NULL);
        return SVA_OK;
    }
    if (commit) {
        if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            sva_error rc = db_fail(db, d, "cannot commit");
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        return SVA_OK;
    }
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
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
    sqlite3_stmt *st;
    if (db_prep(db, sql, &st, d))
        return -1;
    db_bind_text(st, 1, arg);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_fail(db, d, "query failed");
    return -1;
}

bool sva_ref_id_valid(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* A name or free text from a user: valid UTF-8, no control characters, <= max bytes. */
bool db_text_ok(const char *s, size_t max, bool allow_empty)
{
    if (!s)
        return allow_empty;
    size_t n = strlen(s);
    if ((!n && !allow_empty) || n > max)
        return false;
    if (sva_utf8_valid_prefix((const unsigned char *)s, n) != n)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\t')
            return false;
    return true;
}

/* ---- open, create, migrate -------------------------------------------------------- */

static sva_error check_header(const char *path, bool *empty, sva_diag *d)
{
    *empty = false;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        sva_diag_add(d, path, 0, "cannot open the database: %s", strerror(errno));
        return SVA_ERR_DB;
    }
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n == 0) {
        *empty = true;
        return SVA_OK;
    }
    if (n != 16 || memcmp(buf, "SQLite format 3", 16) != 0) {
        sva_diag_add(d, path, 0, "not an svcaudit database (not an SQLite file)");
        return SVA_ERR_DB;
    }
    return SVA_OK;
}

static long user_version(sva_db *db)
{
    sqlite3_stmt *st;
    long v = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static sva_error migrate(sva_db *db, long from, sva_diag *d)
{
    if (from >= LATEST_SCHEMA)
        return SVA_OK;
    if (db_exec(db, "BEGIN IMMEDIATE", d))
        return SVA_ERR_DB;
    long now = user_version(db); /* another process may have migrated meanwhile */
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        if (migrations[i].to <= now)
            continue;
        if (sqlite3_exec(db->h, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
            sva_error rc = db_fail(db, d, "cannot update the database schema");
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %ld", (long)LATEST_SCHEMA);
    if (now < LATEST_SCHEMA && sqlite3_exec(db->h, pragma, NULL, NULL, NULL) != SQLITE_OK) {
        sva_error rc = db_fail(db, d, "cannot update the database schema");
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return rc;
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
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && mode == SVA_DB_EXISTING) {
        sva_diag_add(d, path, 0, "no such database (create it with 'svcaudit init', or choose "
                                 "one with --db or SVCAUDIT_DB)");
        return SVA_ERR_NOT_FOUND;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        sva_diag_add(d, path, 0, "is a folder, not a database");
        return SVA_ERR_DB;
    }
    bool empty = !exists;
    if (exists) {
        sva_error rc = check_header(path, &empty, d);
        if (rc)
            return rc;
        if (empty && mode == SVA_DB_EXISTING) {
            sva_diag_add(d, path, 0, "not an svcaudit database (the file is empty)");
            return SVA_ERR_DB;
        }
    }
    sva_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = sva_strdup(path))) {
        free(db);
        return SVA_ERR_NOMEM;
    }
    int flags = SQLITE_OPEN_READWRITE | (mode == SVA_DB_CREATE ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        sva_diag_add(d, path, 0, "cannot open the database: %s",
                     db->h ? sqlite3_errmsg(db->h) : "out of memory");
        sva_db_close(db);
        return SVA_ERR_DB;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 30000);
    sva_error rc = SVA_OK;
    long v = user_version(db);
    if (v < 0) {
        rc = db_fail(db, d, "not an svcaudit database");
        goto fail;
    }
    if (v == 0) {
        int tables = db_exists(db, "SELECT 1 FROM sqlite_master WHERE ?1 IS NULL", NULL, d);
        if (tables != 0) {
            sva_diag_add(d, path, 0, "not an svcaudit database (an SQLite file of another "
                                     "program)");
            rc = SVA_ERR_DB;
            goto fail;
        }
        if (mode != SVA_DB_CREATE) {
            sva_diag_add(d, path, 0, "not an svcaudit database (it has no tables)");
            rc = SVA_ERR_DB;
            goto fail;
        }
        db->created = true;
        if ((rc = db_exec(db, "PRAGMA journal_mode = WAL", d)))
            goto fail;
    } else {
        /* whose file is it? (before the version: another program's numbers mean nothing) */
        sqlite3_stmt *st;
        int ok = 0;
        if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = 'application'", -1,
                               &st, NULL) == SQLITE_OK) {
            ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT &&
                 strcmp((const char *)sqlite3_column_text(st, 0), "svcaudit") == 0;
            sqlite3_finalize(st);
        }
        if (!ok) {
            sva_diag_add(d, path, 0, "not an svcaudit database (an SQLite file of another "
                                     "program)");
            rc = SVA_ERR_DB;
            goto fail;
        }
        if (v > LATEST_SCHEMA) {
            sva_diag_add(d, path, 0,
                         "made by a newer svcaudit (schema %ld; this one knows up to %ld): "
                         "upgrade svcaudit",
                         v, (long)LATEST_SCHEMA);
            rc = SVA_ERR_DB;
            goto fail;
        }
    }
    /* a 16 MiB page cache (SQLite's default is 2 MiB): the workbook reads the
     * cycle's audits a few dozen times (series per region and metric), which
     * then come from memory instead of the file */
    if ((rc = db_exec(db,
                      "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                      " PRAGMA cache_size = -16384",
                      d)))
        goto fail;
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
    db_audit_finalize(db);
    if (db->h)
        sqlite3_close_v2(db->h);
    free(db->path);
    free(db);
}

sva_error sva_db_batch_begin(sva_db *db, sva_diag *d)
{
    if (db->batch) {
        sva_diag_add(d, db->path, 0, "a batch is already open");
        return SVA_ERR_USAGE;
    }
    /* the savepoint journals of a batch's many writes stay in memory (they are
     * small per write); outside batches temporary data goes to files, so large
     * reports do not hold their sorts in memory */
    sva_error rc = db_exec(db, "PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE", d);
    if (!rc)
        db->batch = true;
    return rc;
}

sva_error sva_db_batch_end(sva_db *db, bool commit, sva_diag *d)
{
    if (!db->batch)
        return SVA_OK;
    db->batch = false;
    sva_error rc = db_end(db, commit, d);
    sqlite3_exec(db->h, "PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
    return rc;
}

/* ---- organisation ------------------------------------------------------------------ */

void sva_stores_free(sva_store *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].name);
        free(v[i].region);
    }
    free(v);
}

void sva_employees_free(sva_employee *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].name);
        free(v[i].store);
        free(v[i].role);
    }
    free(v);
}

/* Field checks shared by add and import; file/line may be NULL/0 (command line). */
static bool store_ok(const sva_store *s, const char *file, int line, sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(s->id)) {
        sva_diag_add(d, file, line, "bad store id '%s' (want A-Z a-z 0-9 _ . -, at most 40)",
                     s->id ? s->id : "");
        ok = false;
    }
    if (!db_text_ok(s->name, 200, false)) {
        sva_diag_add(d, file, line, "store '%s': bad name (want 1-200 bytes of UTF-8 text)",
                     s->id ? s->id : "");
        ok = false;
    }
    if (!db_text_ok(s->region, 100, true)) {
        sva_diag_add(d, file, line, "store '%s': bad region (at most 100 bytes of UTF-8 text)",
                     s->id ? s->id : "");
        ok = false;
    }
    return ok;
}

static bool employee_ok(const sva_employee *e, const char *file, int line, sva_diag *d)
{
    bool ok = true;
    if (!sva_ref_id_valid(e->id)) {
        sva_diag_add(d, file, line,
                     "bad employee id '%s' (want A-Z a-z 0-9 _ . -, at most 40)",
                     e->id ? e->id : "");
        ok = false;
    }
    if (!db_text_ok(e->name, 200, false)) {
        sva_diag_add(d, file, line, "employee '%s': bad name (want 1-200 bytes of UTF-8 text)",
                     e->id ? e->id : "");
        ok = false;
    }
    if (!sva_ref_id_valid(e->store)) {
        sva_diag_add(d, file, line, "employee '%s': bad store id '%s'", e->id ? e->id : "",
                     e->store ? e->store : "");
        ok = false;
    }
    if (!db_text_ok(e->role, 100, true)) {
        sva_diag_add(d, file, line, "employee '%s': bad role (at most 100 bytes of UTF-8 text)",
                     e->id ? e->id : "");
        ok = false;
    }
    return ok;
}

/* Insert or update one store inside an open transaction; counts into st. */
static sva_error store_put(sva_db *db, const sva_store *s, bool update, sva_import_stats *st,
                           const char *file, int line, sva_diag *d)
{
    sqlite3_stmt *q;
    if (db_prep(db, "SELECT name, region FROM store WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    db_bind_text(q, 1, s->id);
    int r = sqlite3_step(q);
    const char *region = s->region ? s->region : "";
    sva_error rc = SVA_OK;
    if (r == SQLITE_ROW) {
        bool same = strcmp((const char *)sqlite3_column_text(q, 0), s->name) == 0 &&
                    strcmp((const char *)sqlite3_column_text(q, 1), region) == 0;
        sqlite3_finalize(q);
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
    } else if (r == SQLITE_DONE) {
        sqlite3_finalize(q);
        if (db_prep(db, "INSERT INTO store(id, name, region) VALUES(?1, ?2, ?3)", &q, d))
            return SVA_ERR_DB;
        if (st)
            st->added++;
    } else {
        sqlite3_finalize(q);
        return db_fail(db, d, "cannot read stores");
    }
    db_bind_text(q, 1, s->id);
    db_bind_text(q, 2, s->name);
    db_bind_text(q, 3, region);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = db_fail(db, d, "cannot write a store");
    sqlite3_finalize(q);
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
    sqlite3_stmt *q;
    if (db_prep(db, "SELECT name, store_id, role FROM employee WHERE id = ?1", &q, d))
        return SVA_ERR_DB;
    db_bind_text(q, 1, e->id);
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW) {
        bool same = strcmp((const char *)sqlite3_column_text(q, 0), e->name) == 0 &&
                    strcmp((const char *)sqlite3_column_text(q, 1), e->store) == 0 &&
                    strcmp((const char *)sqlite3_column_text(q, 2), role) == 0;
        sqlite3_finalize(q);
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
    } else if (r == SQLITE_DONE) {
        sqlite3_finalize(q);
        if (db_prep(db, "INSERT INTO employee(id, name, store_id, role) VALUES(?1, ?2, ?3, ?4)",
                    &q, d))
            return SVA_ERR_DB;
        if (st)
            st->added++;
    } else {
        sqlite3_finalize(q);
        return db_fail(db, d, "cannot read employees");
    }
    db_bind_text(q, 1, e->id);
    db_bind_text(q, 2, e->name);
    db_bind_text(q, 3, e->store);
    db_bind_text(q, 4, role);
    sva_error rc = SVA_OK;
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = db_fail(db, d, "cannot write an employee");
    sqlite3_finalize(q);
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

sva_error sva_db_store_list(sva_db *db, sva_store **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q;
    if (db_prep(db, "SELECT id, name, region FROM store ORDER BY region, id", &q, d))
        return SVA_ERR_DB;
    sva_store *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            sva_store *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sqlite3_finalize(q);
                sva_stores_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        v[cnt].id = db_col_text(q, 0);
        v[cnt].name = db_col_text(q, 1);
        v[cnt].region = db_col_text(q, 2);
        cnt++;
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        sva_stores_free(v, cnt);
        return db_fail(db, d, "cannot list stores");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

/* The employees a query of columns (id, name, store_id, role) with ?1 = store returns. */
static sva_error employees_of(sva_db *db, const char *sql, const char *store, sva_employee **out,
                              size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q;
    if (db_prep(db, sql, &q, d))
        return SVA_ERR_DB;
    db_bind_text(q, 1, store);
    sva_employee *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            sva_employee *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sqlite3_finalize(q);
                sva_employees_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        v[cnt].id = db_col_text(q, 0);
        v[cnt].name = db_col_text(q, 1);
        v[cnt].store = db_col_text(q, 2);
        v[cnt].role = db_col_text(q, 3);
        cnt++;
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        sva_employees_free(v, cnt);
        return db_fail(db, d, "cannot list employees");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
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

/* Column positions of a CSV header; -1 = absent. */
static bool csv_columns(char **f, size_t n, const char *const *names, int *pos, size_t nnames,
                        const char *file, int line, sva_diag *d)
{
    bool ok = true;
    for (size_t k = 0; k < nnames; k++)
        pos[k] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < nnames; k++)
            if (strcmp(f[i], names[k]) == 0)
                break;
        if (k == nnames) {
            sva_diag_add(d, file, line, "unknown column '%s'", f[i]);
            ok = false;
        } else if (pos[k] >= 0) {
            sva_diag_add(d, file, line, "column '%s' appears twice", f[i]);
            ok = false;
        } else {
            pos[k] = (int)i;
        }
    }
    return ok;
}

/* Has this import seen the key already? Returns the first line, 0 if new, -1 on error. */
static int seen_key(sva_db *db, sqlite3_stmt *ins, sqlite3_stmt *sel, const char *key, int line)
{
    sqlite3_reset(sel);
    db_bind_text(sel, 1, key);
    int r = sqlite3_step(sel);
    if (r == SQLITE_ROW)
        return sqlite3_column_int(sel, 0);
    if (r != SQLITE_DONE)
        return -1;
    sqlite3_reset(ins);
    db_bind_text(ins, 1, key);
    sqlite3_bind_int(ins, 2, line);
    (void)db;
    return sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
}

sva_error db_import_csv(sva_db *db, const char *path, const char *const *cols, size_t ncols,
                        size_t nrequired, size_t nkey, row_fn put, sva_import_stats *st,
                        sva_diag *d)
{
    sqlite3_stmt *kins = NULL, *ksel = NULL;
    sva_import_stats local = {0};
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return rc;
    sva_csv *r;
    if ((rc = sva_csv_open(path, data, len, &r))) {
        free(data);
        return rc;
    }
    size_t errors = 0, header_fields = 0;
    int pos[16];
    bool have_header = false;
    char **f;
    size_t n;
    int line, got;
    if ((rc = db_begin(db, d))) {
        sva_csv_free(r);
        free(data);
        return rc;
    }
    /* the same key twice in one file is an error, not a silent overwrite */
    if ((rc = db_exec(db,
                      "CREATE TEMP TABLE IF NOT EXISTS import_key(k TEXT PRIMARY KEY, line INT);"
                      "DELETE FROM temp.import_key",
                      d)) ||
        (rc = db_prep(db, "INSERT INTO temp.import_key(k, line) VALUES(?1, ?2)", &kins, d)) ||
        (rc = db_prep(db, "SELECT line FROM temp.import_key WHERE k = ?1", &ksel, d))) {
        db_end(db, false, d);
        sqlite3_finalize(kins);
        sqlite3_finalize(ksel);
        sva_csv_free(r);
        free(data);
        return rc;
    }
    while ((got = sva_csv_next(r, &f, &n, &line, d)) == 1) {
        if (n == 1 && !*f[0])
            continue; /* blank line */
        if (!have_header) {
            have_header = true;
            header_fields = n;
            if (!csv_columns(f, n, cols, pos, ncols, path, line, d)) {
                errors++;
                break;
            }
            for (size_t k = 0; k < nrequired; k++)
                if (pos[k] < 0) {
                    sva_diag_add(d, path, line, "missing column '%s'", cols[k]);
                    errors++;
                }
            if (errors)
                break;
            continue;
        }
        char *vals[16];
        bool short_row = false;
        for (size_t k = 0; k < ncols; k++) {
            vals[k] = pos[k] >= 0 && (size_t)pos[k] < n ? f[pos[k]] : (pos[k] >= 0 ? NULL : "");
            if (!vals[k])
                short_row = true;
        }
        if (short_row || n != header_fields) {
            sva_diag_add(d, path, line, "row has %zu fields; the header has %zu", n,
                         header_fields);
            errors++;
            continue;
        }
        sva_buf key = {0};
        for (size_t k = 0; k < nkey; k++) {
            sva_buf_puts(&key, vals[k]);
            sva_buf_append(&key, "\x1f", 1);
        }
        int first = key.failed ? -1 : seen_key(db, kins, ksel, key.data, line);
        if (first != 0) {
            if (first > 0) {
                char shown[256] = "";
                for (size_t k = 0; k < nkey; k++) {
                    strncat(shown, k ? " " : "", sizeof shown - strlen(shown) - 1);
                    strncat(shown, vals[k], sizeof shown - strlen(shown) - 1);
                }
                sva_diag_add(d, path, line, "'%s' appears twice (first at line %d)", shown,
                             first);
                errors++;
            } else {
                rc = SVA_ERR_DB;
            }
            sva_buf_free(&key);
            if (rc)
                break;
            continue;
        }
        sva_buf_free(&key);
        sva_error e = put(db, vals, st, path, line, d);
        if (e == SVA_ERR_DB || e == SVA_ERR_NOMEM) {
            rc = e;
            break;
        }
        if (e)
            errors++;
    }
    if (got < 0)
        errors++;
    if (!have_header && !errors && !rc) {
        sva_diag_add(d, path, 0, "empty file (want a header row: %s, ...)", cols[0]);
        errors++;
    }
    if (errors && !rc)
        rc = SVA_ERR_INVALID;
    sqlite3_finalize(kins);
    sqlite3_finalize(ksel);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    if (rc)
        memset(st, 0, sizeof *st);
    sva_csv_free(r);
    free(data);
    return rc ? rc : rc2;
}

static sva_error store_row(sva_db *db, char **v, sva_import_stats *st, const char *file,
                           int line, sva_diag *d)
{
    sva_store s = {v[0], v[1], v[2]};
    if (!store_ok(&s, file, line, d))
        return SVA_ERR_INVALID;
    return store_put(db, &s, true, st, file, line, d);
}

static sva_error employee_row(sva_db *db, char **v, sva_import_stats *st, const char *file,
                              int line, sva_diag *d)
{
    sva_employee e = {v[0], v[1], v[2], v[3]};
    if (!employee_ok(&e, file, line, d))
        return SVA_ERR_INVALID;
    return employee_put(db, &e, true, st, file, line, d);
}

sva_error sva_db_store_import(sva_db *db, const char *path, sva_import_stats *st, sva_diag *d)
{
    static const char *const cols[] = {"id", "name", "region"};
    return db_import_csv(db, path, cols, 3, 2, 1, store_row, st, d);
}

sva_error sva_db_employee_import(sva_db *db, const char *path, sva_import_stats *st,
                                 sva_diag *d)
{
    static const char *const cols[] = {"id", "name", "store", "role"};
    return db_import_csv(db, path, cols, 4, 3, 1, employee_row, st, d);
}

/* ---- cycles ------------------------------------------------------------------------ */

const char *sva_cycle_state_name(sva_cycle_state s)
{
    static const char *names[] = {"plan", "do", "check", "act", "closed"};
    return names[s];
}

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
    sqlite3_stmt *q;
    if ((rc = db_prep(db, "INSERT INTO cycle(id, date_from, date_to, created_at)"
                          " VALUES(?1, ?2, ?3, ?4)",
                      &q, d))) {
        db_end(db, false, d);
        return rc;
    }
    char now[32];
    db_now(now);
    db_bind_text(q, 1, id);
    db_bind_text(q, 2, from);
    db_bind_text(q, 3, to);
    db_bind_text(q, 4, now);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = db_fail(db, d, "cannot open the cycle");
    sqlite3_finalize(q);
    sva_error rc2 = db_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

void sva_cycles_free(sva_cycle *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].from);
        free(v[i].to);
    }
    free(v);
}

static sva_error cycle_query(sva_db *db, const char *id, sva_cycle **out, size_t *n,
                             sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q;
    if (db_prep(db,
                "SELECT c.id, c.date_from, c.date_to, c.state,"
                " (SELECT count(*) FROM audit a WHERE a.cycle_id = c.id AND a.voided_at IS NULL)"
                " FROM cycle c WHERE ?1 IS NULL OR c.id = ?1 ORDER BY c.date_from, c.id",
                &q, d))
        return SVA_ERR_DB;
    db_bind_text(q, 1, id);
    sva_cycle *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 8;
            sva_cycle *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                sqlite3_finalize(q);
                sva_cycles_free(v, cnt);
                return SVA_ERR_NOMEM;
            }
            v = nv;
        }
        v[cnt].id = db_col_text(q, 0);
        v[cnt].from = db_col_text(q, 1);
        v[cnt].to = db_col_text(q, 2);
        v[cnt].state = db_cycle_state_parse((const char *)sqlite3_column_text(q, 3));
        v[cnt].n_audits = sqlite3_column_int(q, 4);
        cnt++;
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE) {
        sva_cycles_free(v, cnt);
        return db_fail(db, d, "cannot list cycles");
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
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

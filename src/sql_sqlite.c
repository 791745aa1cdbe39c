/* svcaudit: the SQLite driver of the statement layer (sql.h), and the SQLite
 * schema. The only file that includes <sqlite3.h>. A database is one file:
 * WAL, synchronous = FULL, foreign keys on, a 30 s busy timeout for a second
 * writer; the schema version is PRAGMA user_version. */
#include "sql.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct lite_conn {
    struct sql_conn_head head;
    sqlite3 *h;
} lite_conn;

typedef struct lite_stmt {
    struct sql_stmt_head head;
    sqlite3_stmt *st;
    lite_conn *c;
} lite_stmt;

/* The whole schema, version by version: each step takes the database to
 * user_version `to` (a version may need several steps: C compilers limit the
 * length of one string). Never edit a shipped step; add one. */
static const sql_migration migrations[] = {
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
    {3,
    /* each audit's items in item order, one character each: 1 passed, 0 failed,
     * - N/A. Item compliance per cycle, item moves and repeat failures then read
     * the audits of the cycles they need, never a million answers per cycle.
     * Filled in for the audits already there (the answers of an audit are read
     * in item_no order: their primary key). The QA reads of a cycle (series,
     * item marks, auditors, employees) find everything they need in one covering
     * index, so years of history cost them no table look-ups. */
    "ALTER TABLE audit ADD COLUMN item_marks TEXT NOT NULL DEFAULT '';"
    "UPDATE audit SET item_marks = coalesce((SELECT group_concat(m, '') FROM"
    "  (SELECT CASE WHEN passed IS NULL THEN '-' WHEN passed THEN '1' ELSE '0' END AS m"
    "   FROM answer WHERE audit_id = audit.id ORDER BY item_no)), '');"
    "CREATE INDEX IF NOT EXISTS audit_qa ON audit(cycle_id, feeds, checklist_id, store_id,"
    "  voided_at, scorable, pct, raw_pct, n_passed, n_answered, auditor, employee_id, failed,"
    "  checklist_hash, item_marks);"},
    {4,
    /* plans: which checklist is due how often at which stores (per employee),
     * by whom; why planned audits were missed; who owns a section or item at a
     * store. One plan per checklist and scope in a cycle (set replaces it). */
    "CREATE TABLE plan(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    "  cycle_id TEXT NOT NULL REFERENCES cycle(id), checklist_id TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN ('network', 'region', 'store')),"
    "  scope_id TEXT NOT NULL DEFAULT '', per_employee INTEGER NOT NULL DEFAULT 0,"
    "  times INTEGER NOT NULL CHECK (times BETWEEN 0 AND 1000),"
    "  every TEXT NOT NULL CHECK (every IN ('cycle', 'day', 'week', 'month')),"
    "  auditor TEXT NOT NULL DEFAULT '', set_at TEXT NOT NULL,"
    "  UNIQUE(cycle_id, checklist_id, scope, scope_id)) STRICT;"
    "CREATE TABLE plan_reason(cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  checklist_id TEXT NOT NULL, store_id TEXT NOT NULL REFERENCES store(id),"
    "  employee_id TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, at TEXT NOT NULL,"
    "  PRIMARY KEY(cycle_id, checklist_id, store_id, employee_id)) STRICT;"
    "CREATE TABLE owner(store_id TEXT NOT NULL REFERENCES store(id),"
    "  checklist_id TEXT NOT NULL, section_id TEXT NOT NULL DEFAULT '',"
    "  item_id TEXT NOT NULL DEFAULT '', employee_id TEXT NOT NULL REFERENCES employee(id),"
    "  set_at TEXT NOT NULL, PRIMARY KEY(store_id, checklist_id, section_id, item_id)) STRICT;"},
    {5,
    /* the record (issue 13): who changed what and when, never changed or
     * deleted; each close and reopen of a cycle; who recorded and voided an
     * audit; the revisions an amendment replaced; appeals */
    "CREATE TABLE change_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
    "  cycle_id TEXT, what TEXT NOT NULL, object TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '') STRICT;"
    "CREATE INDEX change_log_cycle ON change_log(cycle_id);"
    "CREATE TRIGGER change_log_never_deleted BEFORE DELETE ON change_log"
    "  BEGIN SELECT RAISE(ABORT, 'the change log is never deleted'); END;"
    "CREATE TRIGGER change_log_never_changed BEFORE UPDATE ON change_log"
    "  BEGIN SELECT RAISE(ABORT, 'the change log is never changed'); END;"
    "CREATE TABLE cycle_close(id INTEGER PRIMARY KEY, cycle_id TEXT NOT NULL REFERENCES cycle(id),"
    "  closed_at TEXT NOT NULL, closed_by TEXT NOT NULL, reopened_at TEXT, reopened_by TEXT,"
    "  reopen_reason TEXT) STRICT;"
    "INSERT INTO cycle_close(cycle_id, closed_at, closed_by)"
    "  SELECT id, '', '' FROM cycle WHERE state = 'closed' ORDER BY date_from, id;"
    "ALTER TABLE audit ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE audit ADD COLUMN voided_by TEXT;"
    "ALTER TABLE audit ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE audit ADD COLUMN revised_at TEXT;"
    "ALTER TABLE audit ADD COLUMN revised_by TEXT;"
    "ALTER TABLE audit ADD COLUMN revision_reason TEXT;"
    "CREATE TABLE audit_revision(audit_id INTEGER NOT NULL REFERENCES audit(id),"
    "  revision INTEGER NOT NULL, made_at TEXT NOT NULL, made_by TEXT NOT NULL, reason TEXT,"
    "  employee_id TEXT, audit_date TEXT NOT NULL, scorable INTEGER NOT NULL, pct REAL,"
    "  raw_pct REAL, failed INTEGER NOT NULL, n_failed_critical INTEGER NOT NULL,"
    "  n_items INTEGER NOT NULL, n_na INTEGER NOT NULL, points REAL NOT NULL,"
    "  max_points REAL NOT NULL, n_answered INTEGER NOT NULL, n_passed INTEGER NOT NULL,"
    "  fingerprint TEXT NOT NULL, replaced_at TEXT NOT NULL, replaced_by TEXT NOT NULL,"
    "  PRIMARY KEY(audit_id, revision)) STRICT;"
    "CREATE TABLE answer_revision(audit_id INTEGER NOT NULL, revision INTEGER NOT NULL,"
    "  item_no INTEGER NOT NULL, value INTEGER, points REAL NOT NULL, max_points REAL NOT NULL,"
    "  passed INTEGER, note TEXT NOT NULL, evidence TEXT NOT NULL,"
    "  PRIMARY KEY(audit_id, revision, item_no),"
    "  FOREIGN KEY(audit_id, revision) REFERENCES audit_revision(audit_id, revision))"
    "  STRICT, WITHOUT ROWID;"
    "CREATE TABLE section_revision(audit_id INTEGER NOT NULL, revision INTEGER NOT NULL,"
    "  section_id TEXT NOT NULL, scorable INTEGER NOT NULL, pct REAL, points REAL NOT NULL,"
    "  max_points REAL NOT NULL, PRIMARY KEY(audit_id, revision, section_id),"
    "  FOREIGN KEY(audit_id, revision) REFERENCES audit_revision(audit_id, revision))"
    "  STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER audit_revision_never_deleted BEFORE DELETE ON audit_revision"
    "  BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;"
    "CREATE TRIGGER answer_revision_never_deleted BEFORE DELETE ON answer_revision"
    "  BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;"
    "CREATE TABLE appeal(id INTEGER PRIMARY KEY, audit_id INTEGER NOT NULL REFERENCES audit(id),"
    "  opened_at TEXT NOT NULL, opened_by TEXT NOT NULL, reason TEXT NOT NULL,"
    "  revision INTEGER NOT NULL, voided INTEGER NOT NULL, resolved_at TEXT, resolved_by TEXT,"
    "  outcome TEXT CHECK (outcome IN ('upheld', 'rejected')), note TEXT) STRICT;"
    "CREATE INDEX appeal_audit ON appeal(audit_id);"
    "CREATE UNIQUE INDEX appeal_one_open ON appeal(audit_id) WHERE outcome IS NULL;"},
    {5,
    /* actions: each check by a later cycle's answers (written when that cycle
     * closes; the ones an older svcaudit wrote while showing a status are
     * read back from their history lines), each carry into the next cycle
     * (the action keeps its id; its status and due date as they were) */
    "CREATE TABLE action_check(action_id INTEGER NOT NULL REFERENCES action(id),"
    "  cycle_id TEXT NOT NULL REFERENCES cycle(id), verified INTEGER NOT NULL,"
    "  n_answers INTEGER NOT NULL, n_failed INTEGER NOT NULL, at TEXT NOT NULL,"
    "  actor TEXT NOT NULL, PRIMARY KEY(action_id, cycle_id)) STRICT;"
    "INSERT OR IGNORE INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at,"
    "  actor) SELECT action_id, substr(rest, 1, instr(rest, ': ') - 1),"
    "  change LIKE 'verified%',"
    "  CAST(substr(rest, instr(rest, ' of ') + 4) AS INTEGER),"
    "  CAST(substr(rest, instr(rest, ': ') + 2) AS INTEGER), at, actor"
    "  FROM (SELECT action_id, change, at, actor, substr(change, 19) AS rest FROM action_history"
    "   WHERE change LIKE 'verified by cycle %: % of % answers failed'"
    "   OR change LIKE 'reopened by cycle %: % of % answers failed')"
    "  WHERE substr(rest, 1, instr(rest, ': ') - 1) IN (SELECT id FROM cycle) ORDER BY action_id;"
    "CREATE TABLE action_carry(action_id INTEGER NOT NULL REFERENCES action(id),"
    "  from_cycle TEXT NOT NULL REFERENCES cycle(id), to_cycle TEXT NOT NULL REFERENCES cycle(id),"
    "  status TEXT NOT NULL, due_before TEXT, due_after TEXT, at TEXT NOT NULL,"
    "  actor TEXT NOT NULL, PRIMARY KEY(action_id, from_cycle)) STRICT;"
    "CREATE INDEX action_carry_from ON action_carry(from_cycle);"
    /* stores and employees over time: from a date a store is active or not, an
     * employee works at a store or nowhere; none: as the store row says, always */
    "CREATE TABLE store_event(id INTEGER PRIMARY KEY, store_id TEXT NOT NULL REFERENCES store(id),"
    "  from_date TEXT NOT NULL, active INTEGER NOT NULL, at TEXT NOT NULL,"
    "  actor TEXT NOT NULL) STRICT;"
    "CREATE INDEX store_event_store ON store_event(store_id, from_date);"
    "CREATE TABLE employee_event(id INTEGER PRIMARY KEY,"
    "  employee_id TEXT NOT NULL REFERENCES employee(id), from_date TEXT NOT NULL,"
    "  store_id TEXT REFERENCES store(id), at TEXT NOT NULL, actor TEXT NOT NULL) STRICT;"
    "CREATE INDEX employee_event_employee ON employee_event(employee_id, from_date);"},
};

#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)

static const sql_migration *lite_migrations(size_t *n)
{
    *n = N_MIGRATIONS;
    return migrations;
}

static bool lite_claims(const char *target)
{
    (void)target;
    return true; /* anything that is not another driver's URL is a file name */
}

/* What the file's first bytes say: SQLite, empty, or something else. */
static sva_error check_header(const char *path, bool *empty, sva_diag *d)
{
    *empty = false;
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* never wait, should it have become a FIFO */
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        sva_diag_add(d, path, 0, "cannot open the database: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return SVA_ERR_DB;
    }
    if (!S_ISREG(sb.st_mode)) {
        sva_diag_add(d, path, 0,
                     "is not a regular file (a FIFO, device or socket), not a database");
        close(fd);
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

static void lite_close(sql_conn *pc)
{
    lite_conn *c = (lite_conn *)pc;
    if (!c)
        return;
    if (c->h)
        sqlite3_close_v2(c->h);
    free(c->head.target);
    free(c);
}

static sva_error lite_exec(sql_conn *pc, const char *sql);

static bool has_tables(lite_conn *c)
{
    sqlite3_stmt *st;
    bool any = true;
    if (sqlite3_prepare_v2(c->h, "SELECT 1 FROM sqlite_master", -1, &st, NULL) == SQLITE_OK) {
        any = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return any;
}

static sva_error lite_open(const char *path, unsigned flags, sql_conn **out, bool *empty_out,
                           sva_diag *d)
{
    *out = NULL;
    bool create = flags & SQL_OPEN_CREATE, ro = flags & SQL_OPEN_READONLY;
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && ro) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno));
        return SVA_ERR_NOT_FOUND;
    }
    if (!exists && !create) {
        sva_diag_add(d, path, 0, "no such database (create it with 'svcaudit init', or choose "
                                 "one with --db or SVCAUDIT_DB)");
        return SVA_ERR_NOT_FOUND;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        sva_diag_add(d, path, 0, "is a folder, not a database");
        return SVA_ERR_DB;
    }
    /* Only a regular file: opening a FIFO waits for a writer for ever. */
    if (exists && !S_ISREG(sb.st_mode)) {
        sva_diag_add(d, path, 0,
                     "is not a regular file (a FIFO, device or socket), not a database");
        return SVA_ERR_DB;
    }
    bool empty = !exists;
    if (exists) {
        sva_error rc = check_header(path, &empty, d);
        if (rc)
            return rc;
        if (empty && !create) {
            sva_diag_add(d, path, 0, "not an svcaudit database (the file is empty)");
            return SVA_ERR_DB;
        }
    }
    lite_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->head.target = sva_strdup(path))) {
        free(c);
        return SVA_ERR_NOMEM;
    }
    c->head.drv = &sql_sqlite_driver;
    int oflags = ro ? SQLITE_OPEN_READONLY
                    : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &c->h, oflags, NULL) != SQLITE_OK) {
        sva_diag_add(d, path, 0, "cannot open%s: %s", ro ? "" : " the database",
                     c->h ? sqlite3_errmsg(c->h) : "out of memory");
        lite_close((sql_conn *)c);
        return SVA_ERR_DB;
    }
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_busy_timeout(c->h, 30000);
    if (!empty)
        empty = !has_tables(c);
    sva_error rc = SVA_OK;
    if (!ro) {
        /* a new database is WAL from the start; a 16 MiB page cache (SQLite's
         * default is 2 MiB): the workbook reads the cycle's audits a few dozen
         * times (series per region and metric), which then come from memory */
        if ((empty && create && (rc = lite_exec((sql_conn *)c, "PRAGMA journal_mode = WAL"))) ||
            (rc = lite_exec((sql_conn *)c, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                                           " PRAGMA cache_size = -16384"))) {
            sva_diag_add(d, path, 0, "database error: %s", sqlite3_errmsg(c->h));
            goto fail;
        }
    }
    if (empty_out)
        *empty_out = empty;
    *out = (sql_conn *)c;
    return SVA_OK;
fail:
    lite_close((sql_conn *)c);
    return rc;
}

static long lite_schema_version(sql_conn *pc)
{
    lite_conn *c = (lite_conn *)pc;
    sqlite3_stmt *st;
    long v = -1;
    if (sqlite3_prepare_v2(c->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static sva_error lite_set_schema_version(sql_conn *pc, long v)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %ld", v);
    return lite_exec(pc, pragma);
}

static sva_error lite_prepare(sql_conn *pc, const char *sql, sql_stmt **out)
{
    lite_conn *c = (lite_conn *)pc;
    *out = NULL;
    lite_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return SVA_ERR_NOMEM;
    if (sqlite3_prepare_v2(c->h, sql, -1, &s->st, NULL) != SQLITE_OK) {
        free(s);
        return SVA_ERR_DB;
    }
    s->head.drv = &sql_sqlite_driver;
    s->c = c;
    *out = (sql_stmt *)s;
    return SVA_OK;
}

static void lite_finalize(sql_stmt *ps)
{
    lite_stmt *s = (lite_stmt *)ps;
    sqlite3_finalize(s->st);
    free(s);
}

static void lite_reset(sql_stmt *ps)
{
    lite_stmt *s = (lite_stmt *)ps;
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

static void lite_bind_text(sql_stmt *ps, int i, const char *v, bool copy)
{
    lite_stmt *s = (lite_stmt *)ps;
    if (v)
        sqlite3_bind_text(s->st, i, v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
    else
        sqlite3_bind_null(s->st, i);
}

static void lite_bind_int(sql_stmt *ps, int i, long long v)
{
    sqlite3_bind_int64(((lite_stmt *)ps)->st, i, (sqlite3_int64)v);
}

static void lite_bind_double(sql_stmt *ps, int i, double v)
{
    sqlite3_bind_double(((lite_stmt *)ps)->st, i, v);
}

static void lite_bind_blob(sql_stmt *ps, int i, const void *v, size_t n)
{
    sqlite3_bind_blob(((lite_stmt *)ps)->st, i, v, (int)n, SQLITE_STATIC);
}

static void lite_bind_null(sql_stmt *ps, int i)
{
    sqlite3_bind_null(((lite_stmt *)ps)->st, i);
}

static int lite_step(sql_stmt *ps)
{
    int r = sqlite3_step(((lite_stmt *)ps)->st);
    return r == SQLITE_ROW ? SQL_ROW : r == SQLITE_DONE ? SQL_DONE : SQL_ERROR;
}

static sql_kind lite_column_kind(sql_stmt *ps, int col)
{
    switch (sqlite3_column_type(((lite_stmt *)ps)->st, col)) {
    case SQLITE_INTEGER: return SQL_INT;
    case SQLITE_FLOAT: return SQL_REAL;
    case SQLITE_TEXT: return SQL_TEXT;
    case SQLITE_BLOB: return SQL_BLOB;
    default: return SQL_NULL;
    }
}

static const char *lite_text(sql_stmt *ps, int col)
{
    return (const char *)sqlite3_column_text(((lite_stmt *)ps)->st, col);
}

static long long lite_int(sql_stmt *ps, int col)
{
    return sqlite3_column_int64(((lite_stmt *)ps)->st, col);
}

static double lite_double(sql_stmt *ps, int col)
{
    return sqlite3_column_double(((lite_stmt *)ps)->st, col);
}

static const void *lite_blob(sql_stmt *ps, int col, size_t *n)
{
    sqlite3_stmt *st = ((lite_stmt *)ps)->st;
    const void *p = sqlite3_column_blob(st, col);
    *n = (size_t)sqlite3_column_bytes(st, col);
    return p;
}

static sva_error lite_exec(sql_conn *pc, const char *sql)
{
    return sqlite3_exec(((lite_conn *)pc)->h, sql, NULL, NULL, NULL) == SQLITE_OK ? SVA_OK
                                                                                 : SVA_ERR_DB;
}

static long long lite_changes(sql_conn *pc)
{
    return sqlite3_changes(((lite_conn *)pc)->h);
}

static sva_error lite_begin(sql_conn *pc, bool write)
{
    return lite_exec(pc, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static void quiet(sql_conn *pc, const char *sql)
{
    sqlite3_exec(((lite_conn *)pc)->h, sql, NULL, NULL, NULL);
}

static sva_error lite_commit(sql_conn *pc)
{
    return lite_exec(pc, "COMMIT");
}

static void lite_rollback(sql_conn *pc)
{
    quiet(pc, "ROLLBACK");
}

static sva_error lite_savepoint(sql_conn *pc)
{
    return lite_exec(pc, "SAVEPOINT sva_write");
}

static sva_error lite_release(sql_conn *pc)
{
    return lite_exec(pc, "RELEASE sva_write");
}

static void lite_rollback_to(sql_conn *pc)
{
    quiet(pc, "ROLLBACK TO sva_write; RELEASE sva_write");
}

/* The savepoint journals of a batch's many writes stay in memory (they are
 * small per write); outside batches temporary data goes to files, so large
 * reports do not hold their sorts in memory. */
static void lite_batch(sql_conn *pc, bool on)
{
    quiet(pc, on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT");
}

static sql_fault lite_last_fault(sql_conn *pc)
{
    int code = sqlite3_extended_errcode(((lite_conn *)pc)->h) & 0xff;
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE)
        return SQL_FAULT_NONE;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return SQL_FAULT_BUSY;
    if (code == SQLITE_CONSTRAINT)
        return SQL_FAULT_CONSTRAINT;
    return SQL_FAULT_OTHER;
}

static const char *lite_errmsg(sql_conn *pc)
{
    const char *m = sqlite3_errmsg(((lite_conn *)pc)->h);
    return m ? m : "unknown error";
}

const sql_driver sql_sqlite_driver = {
    .name = "sqlite",
    .thing = "an SQLite file",
    .catalog_sql =
        "SELECT 'column', m.name, p.name, CASE upper(p.type) WHEN 'INTEGER' THEN 'int'"
        "  WHEN 'REAL' THEN 'real' WHEN 'TEXT' THEN 'text' WHEN 'BLOB' THEN 'blob'"
        "  ELSE lower(p.type) END, p.\"notnull\" OR p.pk > 0, p.pk"
        " FROM sqlite_schema m JOIN pragma_table_info(m.name) p"
        " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'"
        " UNION ALL SELECT type, tbl_name, name, '', 0, 0 FROM sqlite_schema"
        " WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY 1, 2, 3",
    .defer_sql = "PRAGMA defer_foreign_keys = ON",
    .claims = lite_claims,
    .open = lite_open,
    .close = lite_close,
    .migrations = lite_migrations,
    .schema_version = lite_schema_version,
    .set_schema_version = lite_set_schema_version,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .bind_text = lite_bind_text,
    .bind_int = lite_bind_int,
    .bind_double = lite_bind_double,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .column_kind = lite_column_kind,
    .text = lite_text,
    .int64 = lite_int,
    .dbl = lite_double,
    .blob = lite_blob,
    .exec = lite_exec,
    .changes = lite_changes,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .savepoint = lite_savepoint,
    .release = lite_release,
    .rollback_to = lite_rollback_to,
    .batch = lite_batch,
    .last_fault = lite_last_fault,
    .errmsg = lite_errmsg,
};

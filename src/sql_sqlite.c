/* svcaudit: the SQLite driver of the statement layer (sql.h), and the SQLite
 * schema. The only file that includes <sqlite3.h>. A database is one file:
 * WAL, synchronous = FULL, foreign keys on, a 30 s busy timeout for a second
 * writer; the schema version is PRAGMA user_version. A received file
 * (SQL_OPEN_UNTRUSTED) is read as immutable, with SQLite's defensive
 * settings, no views or triggers, bounded values and a bounded amount of work;
 * its schema is compared with the migrations' (lite_schema_check). */
#include "sql.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct lite_conn {
    struct sql_conn_head head;
    sqlite3 *h;
    bool untrusted;
    unsigned long long budget, spent; /* untrusted: progress calls allowed, made */
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
    {6,
    /* sync (issue 14): the database's identity (a random UUID and a name), and
     * where every record was made: origin '' is this database, else the UUID of
     * the one that made it. Master data keeps the time and place of its last
     * change (the later change wins a merge; the other stays in the history
     * tables). The records a merge carries keep a version: sync_rev counts the
     * changes made where the record was made; changed_in is NULL while the
     * record is as its maker left it at that count, else where it was changed
     * since ('' here). The triggers keep them on every change made here; a
     * merge sets them itself (meta 'sync_applying' while it writes). */
    "INSERT INTO meta VALUES('db_uuid', lower(hex(randomblob(4)) || '-' || hex(randomblob(2))"
    "  || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)"
    "  || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))));"
    "INSERT INTO meta VALUES('db_name', '');"
    "ALTER TABLE store ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE store ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE store ADD COLUMN changed_in TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN changed_in TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE checklist_version ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE action_history ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX action_history_action ON action_history(action_id);"
    "ALTER TABLE cycle ADD COLUMN origin TEXT NOT NULL DEFAULT '';"},
    {6,
    "ALTER TABLE cycle ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cycle ADD COLUMN changed_in TEXT;"
    "ALTER TABLE audit ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE audit ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit ADD COLUMN changed_in TEXT;"
    "ALTER TABLE action ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE action ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE action ADD COLUMN changed_in TEXT;"
    "ALTER TABLE target ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE target ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE target ADD COLUMN changed_in TEXT;"
    "ALTER TABLE survey ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE survey ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE survey ADD COLUMN changed_in TEXT;"
    "ALTER TABLE cycle_reason ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cycle_reason ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cycle_reason ADD COLUMN changed_in TEXT;"
    "ALTER TABLE plan ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE plan ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE plan ADD COLUMN changed_in TEXT;"
    "ALTER TABLE plan_reason ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE plan_reason ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE plan_reason ADD COLUMN changed_in TEXT;"
    "ALTER TABLE owner ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE owner ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE owner ADD COLUMN changed_in TEXT;"},
    {6,
    /* (the key's columns in the table's order: SQLite 3.40's quick_check reports
     * NULLs that are not there in a WITHOUT ROWID table whose key reorders them) */
    "CREATE TABLE store_history(id TEXT NOT NULL, changed_at TEXT NOT NULL,"
    "  changed_in TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,"
    "  PRIMARY KEY(id, changed_at, changed_in, name, region)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE employee_history(id TEXT NOT NULL, changed_at TEXT NOT NULL,"
    "  changed_in TEXT NOT NULL, name TEXT NOT NULL, store_id TEXT NOT NULL, role TEXT NOT NULL,"
    "  PRIMARY KEY(id, changed_at, changed_in, name, store_id, role)) STRICT, WITHOUT ROWID;"
    /* the databases merged here or heard of, and the conflicts found: kept here */
    "CREATE TABLE sync_peer(uuid TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  merges INTEGER NOT NULL DEFAULT 0, last_merged_at TEXT) STRICT;"
    "CREATE TABLE sync_conflict(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,"
    "  there TEXT NOT NULL, sender TEXT NOT NULL, sender_name TEXT NOT NULL,"
    "  found_at TEXT NOT NULL, resolved_at TEXT, resolved_by TEXT,"
    "  kept TEXT CHECK (kept IN ('here', 'there')), UNIQUE(kind, key, there)) STRICT;"},
    {6,
#define SYNC_HERE "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'sync_applying')"
#define SYNC_BUMP(T, K)                                                                         \
    " BEGIN UPDATE " T " SET sync_rev = sync_rev + (origin = ''),"                              \
    "  changed_in = CASE WHEN origin = '' THEN NULL ELSE '' END WHERE " K "; END;"
    "CREATE TRIGGER store_changed AFTER UPDATE OF name, region ON store WHEN " SYNC_HERE
    " BEGIN INSERT OR IGNORE INTO store_history(id, changed_at, changed_in, name, region)"
    "  VALUES(OLD.id, OLD.changed_at, OLD.changed_in, OLD.name, OLD.region);"
    "  UPDATE store SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), changed_in = ''"
    "  WHERE id = NEW.id; END;"
    /* a store or employee made here: its first version's time */
    "CREATE TRIGGER store_made AFTER INSERT ON store WHEN " SYNC_HERE " AND NEW.changed_at = ''"
    " BEGIN UPDATE store SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    "  WHERE id = NEW.id; END;"
    "CREATE TRIGGER employee_made AFTER INSERT ON employee WHEN " SYNC_HERE
    " AND NEW.changed_at = ''"
    " BEGIN UPDATE employee SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    "  WHERE id = NEW.id; END;"
    "CREATE TRIGGER employee_changed AFTER UPDATE OF name, store_id, role ON employee"
    "  WHEN " SYNC_HERE
    " BEGIN INSERT OR IGNORE INTO employee_history(id, changed_at, changed_in, name, store_id,"
    "  role) VALUES(OLD.id, OLD.changed_at, OLD.changed_in, OLD.name, OLD.store_id, OLD.role);"
    "  UPDATE employee SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), changed_in = ''"
    "  WHERE id = NEW.id; END;"
    /* the first audit of a cycle moving it from plan to do is no change of it */
    "CREATE TRIGGER cycle_changed AFTER UPDATE OF date_from, date_to, state ON cycle"
    "  WHEN " SYNC_HERE " AND NOT (OLD.state = 'plan' AND NEW.state = 'do'"
    "  AND OLD.date_from = NEW.date_from AND OLD.date_to = NEW.date_to)"
    SYNC_BUMP("cycle", "id = NEW.id")
    "CREATE TRIGGER audit_changed AFTER UPDATE OF voided_at, void_reason ON audit"
    "  WHEN " SYNC_HERE SYNC_BUMP("audit", "id = NEW.id")
    "CREATE TRIGGER action_changed AFTER UPDATE ON action WHEN " SYNC_HERE
    SYNC_BUMP("action", "id = NEW.id")
    "CREATE TRIGGER target_changed AFTER UPDATE OF value ON target WHEN " SYNC_HERE
    SYNC_BUMP("target", "cycle_id = NEW.cycle_id AND scope = NEW.scope AND scope_id ="
              " NEW.scope_id AND metric = NEW.metric")
    "CREATE TRIGGER survey_changed AFTER UPDATE OF value, respondents ON survey WHEN " SYNC_HERE
    SYNC_BUMP("survey", "cycle_id = NEW.cycle_id AND store_id = NEW.store_id AND metric ="
              " NEW.metric")
    "CREATE TRIGGER cycle_reason_changed AFTER UPDATE OF text ON cycle_reason WHEN " SYNC_HERE
    SYNC_BUMP("cycle_reason", "cycle_id = NEW.cycle_id AND store_id = NEW.store_id AND metric ="
              " NEW.metric")},
    {6,
    "CREATE TRIGGER plan_changed AFTER UPDATE OF per_employee, times, every, auditor ON plan"
    "  WHEN " SYNC_HERE SYNC_BUMP("plan", "id = NEW.id")
    "CREATE TRIGGER plan_reason_changed AFTER UPDATE OF text ON plan_reason WHEN " SYNC_HERE
    SYNC_BUMP("plan_reason", "cycle_id = NEW.cycle_id AND checklist_id = NEW.checklist_id AND"
              " store_id = NEW.store_id AND employee_id = NEW.employee_id")
    "CREATE TRIGGER owner_changed AFTER UPDATE OF employee_id ON owner WHEN " SYNC_HERE
    SYNC_BUMP("owner", "store_id = NEW.store_id AND checklist_id = NEW.checklist_id AND"
              " section_id = NEW.section_id AND item_id = NEW.item_id")},
    {7,
    /* the record travels (issue 14's remainder): an appeal is a record of the
     * database that opened it, with a version like the others (every appeal
     * so far was opened here: origin ''); one open appeal per audit and
     * opening database (two databases may each open one, resolved together).
     * An audit's amendment is a change of it like its void (sync_rev counts
     * those its maker made: the amendments made here of audits made here
     * count from now). The last unvoid, who and when, travels with the audit. */
    "ALTER TABLE appeal ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE appeal ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE appeal ADD COLUMN changed_in TEXT;"
    "DROP INDEX appeal_one_open;"
    "CREATE UNIQUE INDEX appeal_one_open ON appeal(audit_id, origin) WHERE outcome IS NULL;"
    "ALTER TABLE audit ADD COLUMN unvoided_at TEXT;"
    "ALTER TABLE audit ADD COLUMN unvoided_by TEXT;"
    "UPDATE audit SET sync_rev = sync_rev + revision - 1 WHERE origin = '' AND revision > 1;"
    "DROP TRIGGER audit_changed;"
    "CREATE TRIGGER audit_changed AFTER UPDATE OF voided_at, void_reason, revision ON audit"
    "  WHEN " SYNC_HERE SYNC_BUMP("audit", "id = NEW.id")
    "CREATE TRIGGER appeal_changed AFTER UPDATE OF outcome, resolved_at, resolved_by, note,"
    "  voided ON appeal WHEN " SYNC_HERE SYNC_BUMP("appeal", "id = NEW.id")},
    {7,
    /* a cycle's closes and reopens travel: a close is a record of the database
     * that closed the cycle (every one so far was made here), its reopen a
     * change of it */
    "ALTER TABLE cycle_close ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cycle_close ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cycle_close ADD COLUMN changed_in TEXT;"
    "CREATE TRIGGER cycle_close_changed AFTER UPDATE OF reopened_at, reopened_by, reopen_reason"
    "  ON cycle_close WHEN " SYNC_HERE SYNC_BUMP("cycle_close", "id = NEW.id")},
    {7,
    /* an action's checks and carries travel with it: a record of the database
     * that made the action (every one so far was made here); a check written
     * again when its cycle closes again is a change of it */
    "ALTER TABLE action_check ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE action_check ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE action_check ADD COLUMN changed_in TEXT;"
    "ALTER TABLE action_carry ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE action_carry ADD COLUMN sync_rev INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE action_carry ADD COLUMN changed_in TEXT;"
    "CREATE TRIGGER action_check_changed AFTER UPDATE OF verified, n_answers, n_failed, at,"
    "  actor ON action_check WHEN " SYNC_HERE
    SYNC_BUMP("action_check", "action_id = NEW.action_id AND cycle_id = NEW.cycle_id")
    "CREATE TRIGGER action_carry_changed AFTER UPDATE OF to_cycle, status, due_before,"
    "  due_after, at, actor ON action_carry WHEN " SYNC_HERE
    SYNC_BUMP("action_carry", "action_id = NEW.action_id AND from_cycle = NEW.from_cycle")},
    {8,
    /* dated store and employee events travel (issue 14's last step): each is a
     * record of the database that made it (every one so far was made here:
     * origin ''), known everywhere by its subject, effective date, time made
     * (at) and maker, and seq: which event of those four it is (0 unless one
     * database made two in one second); events are never changed. Events of
     * one date are ordered by time made, then maker, then seq (db_internal.h's
     * DB_EVENT_ORDER), never by the local row id. */
    "ALTER TABLE store_event ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE store_event ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
    "UPDATE store_event SET seq = (SELECT count(*) FROM store_event x WHERE"
    "  x.store_id = store_event.store_id AND x.from_date = store_event.from_date"
    "  AND x.at = store_event.at AND x.id < store_event.id);"
    "DROP INDEX store_event_store;"
    "CREATE UNIQUE INDEX store_event_key ON store_event(store_id, from_date, at, origin, seq);"
    "ALTER TABLE employee_event ADD COLUMN origin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE employee_event ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
    "UPDATE employee_event SET seq = (SELECT count(*) FROM employee_event x WHERE"
    "  x.employee_id = employee_event.employee_id AND x.from_date = employee_event.from_date"
    "  AND x.at = employee_event.at AND x.id < employee_event.id);"
    "DROP INDEX employee_event_employee;"
    "CREATE UNIQUE INDEX employee_event_key ON employee_event(employee_id, from_date, at, origin,"
    "  seq);"},
    {9,
    /* a dated store or employee event is a record like an audit: svcaudit
     * never changes or deletes one (a later event overrides it; a merge only
     * adds those missing), so a change by hand is refused, as for the change
     * log */
    "CREATE TRIGGER store_event_never_deleted BEFORE DELETE ON store_event"
    "  BEGIN SELECT RAISE(ABORT, 'store events are never deleted'); END;"
    "CREATE TRIGGER store_event_never_changed BEFORE UPDATE ON store_event"
    "  BEGIN SELECT RAISE(ABORT, 'store events are never changed'); END;"
    "CREATE TRIGGER employee_event_never_deleted BEFORE DELETE ON employee_event"
    "  BEGIN SELECT RAISE(ABORT, 'employee events are never deleted'); END;"
    "CREATE TRIGGER employee_event_never_changed BEFORE UPDATE ON employee_event"
    "  BEGIN SELECT RAISE(ABORT, 'employee events are never changed'); END;"},
#undef SYNC_HERE
#undef SYNC_BUMP
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

/* The progress handler of an untrusted connection: SQLite calls it every
 * 1000 virtual-machine steps; past the budget the statement is interrupted. */
static int over_budget(void *p)
{
    lite_conn *c = p;
    return ++c->spent > c->budget;
}

/* Is there a non-empty FILE-SUFFIX beside @p path (a write-ahead log or a
 * journal with changes not yet in the file)? */
static bool has_sidecar(const char *path, const char *suffix)
{
    char side[PATH_MAX + 16];
    if (snprintf(side, sizeof side, "%s%s", path, suffix) >= (int)sizeof side)
        return false;
    struct stat sb;
    return stat(side, &sb) == 0 && sb.st_size > 0;
}

/* "file:" URI of an absolute path, every byte but [A-Za-z0-9/._~-] escaped. */
static char *file_uri(const char *abs, const char *query)
{
    size_t n = strlen(abs);
    char *u = malloc(5 + 3 * n + strlen(query) + 1);
    if (!u)
        return NULL;
    char *p = u;
    memcpy(p, "file:", 5);
    p += 5;
    for (const unsigned char *s = (const unsigned char *)abs; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/._~-", *s))
            *p++ = (char)*s;
        else
            p += sprintf(p, "%%%02X", *s);
    }
    strcpy(p, query);
    return u;
}

/* Open a received file: immutable (never locked, no -shm or -wal made, so a
 * read-only folder works, and nothing is written), defensive, no views or
 * triggers, no functions from its schema, values and work bounded. */
static sva_error open_untrusted(lite_conn *c, const char *path, off_t size, sva_diag *d)
{
    if (has_sidecar(path, "-wal") || has_sidecar(path, "-journal")) {
        sva_diag_add(d, path, 0,
                     "has changes in its %s file that are not in the database file yet (is "
                     "svcaudit still working on it, or was it stopped?): open it once with "
                     "svcaudit where it was made (e.g. 'svcaudit --db FILE info'), then merge",
                     has_sidecar(path, "-wal") ? "-wal" : "-journal");
        return SVA_ERR_DB;
    }
    /* an absolute path with one leading slash ("file://x" would name a host) */
    char abs[PATH_MAX + 2];
    if (path[0] == '/') {
        while (path[1] == '/')
            path++;
        snprintf(abs, sizeof abs, "%s", path);
    } else if (!getcwd(abs, PATH_MAX) ||
               strlen(abs) + 1 + strlen(path) >= sizeof abs) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno ? errno : ENAMETOOLONG));
        return SVA_ERR_DB;
    } else {
        size_t k = strlen(abs);
        snprintf(abs + k, sizeof abs - k, "%s%s", k && abs[k - 1] == '/' ? "" : "/", path);
    }
    char *uri = file_uri(abs, "?immutable=1");
    if (!uri)
        return SVA_ERR_NOMEM;
    int rc = sqlite3_open_v2(uri, &c->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             NULL);
    free(uri);
    if (rc != SQLITE_OK) {
        sva_diag_add(d, path, 0, "cannot open: %s",
                     c->h ? sqlite3_errmsg(c->h) : "out of memory");
        return SVA_ERR_DB;
    }
    c->untrusted = true;
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_db_config(c->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(c->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(c->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(c->h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_db_config(c->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_limit(c->h, SQLITE_LIMIT_LENGTH, SQL_UNTRUSTED_MAX_VALUE);
    sqlite3_limit(c->h, SQLITE_LIMIT_ATTACHED, 0);
    /* 10^8 steps, and 64 more per byte of the file: a whole read of a large
     * laptop needs a small part of it; a loop the file sets up does not end */
    c->budget = 100000 + (unsigned long long)size / 16;
    sqlite3_progress_handler(c->h, 1000, over_budget, c);
    if (sqlite3_exec(c->h,
                     "PRAGMA query_only = 1; PRAGMA cell_size_check = 1; PRAGMA mmap_size = 0;"
                     " PRAGMA cache_size = -8192",
                     NULL, NULL, NULL) != SQLITE_OK) {
        sva_diag_add(d, path, 0, "cannot read: %s", sqlite3_errmsg(c->h));
        return SVA_ERR_DB;
    }
    return SVA_OK;
}

void sva_db_lean_memory(void)
{
    /* SQLITE_MISUSE once SQLite has started: then nothing changes (db.h) */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static sva_error lite_open(const char *path, unsigned flags, sql_conn **out, bool *empty_out,
                           sva_diag *d)
{
    *out = NULL;
    bool untrusted = flags & SQL_OPEN_UNTRUSTED;
    bool create = (flags & SQL_OPEN_CREATE) && !untrusted;
    bool ro = (flags & SQL_OPEN_READONLY) || untrusted;
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
    if (untrusted) {
        sva_error urc = open_untrusted(c, path, sb.st_size, d);
        if (urc) {
            lite_close((sql_conn *)c);
            return urc;
        }
        if (empty_out)
            *empty_out = empty || !has_tables(c);
        *out = (sql_conn *)c;
        return SVA_OK;
    }
    /* NOMUTEX: a connection is used by one thread at a time (db.h), so
     * SQLite's own lock around every call is not needed (it was 2-3 % of a
     * batch's CPU) */
    int oflags = SQLITE_OPEN_NOMUTEX |
                 (ro ? SQLITE_OPEN_READONLY
                     : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0));
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
    lite_conn *c = (lite_conn *)pc;
    if (c->untrusted && c->spent > c->budget)
        return "reading it took more work than a database of its size needs (a damaged or "
               "hostile file?)";
    const char *m = sqlite3_errmsg(c->h);
    return m ? m : "unknown error";
}


/* ---- the schema of a received file, object by object ------------------------------------ */

/* One object of sqlite_master. */
typedef struct lite_obj {
    char *type, *name, *sql;
} lite_obj;

static void objs_free(lite_obj *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].type);
        free(v[i].name);
        free(v[i].sql);
    }
    free(v);
}

static char *col_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return sva_strdup(t ? (const char *)t : "");
}

/* Every object of @p h but SQLite's statistics, by name; -1 on error. */
static long read_objs(sqlite3 *h, lite_obj **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h,
                           "SELECT type, name, sql FROM sqlite_master WHERE name NOT IN"
                           " ('sqlite_stat1', 'sqlite_stat4') ORDER BY name COLLATE BINARY",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    lite_obj *v = NULL;
    size_t n = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        lite_obj *nv = realloc(v, (n + 1) * sizeof *nv);
        if (!nv)
            break;
        v = nv;
        v[n].type = col_dup(st, 0);
        v[n].name = col_dup(st, 1);
        v[n].sql = col_dup(st, 2);
        n++;
        if (!v[n - 1].type || !v[n - 1].name || !v[n - 1].sql)
            break;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE) {
        objs_free(v, n);
        return -1;
    }
    *out = v;
    return (long)n;
}

/* A name as a message may show it: at most 40 bytes. */
static const char *shown(const char *name, char buf[48])
{
    snprintf(buf, 48, "%.40s%s", name, strlen(name) > 40 ? "..." : "");
    return buf;
}

/* The rows of a table-valued pragma (@p sql with ?1 = the object's name) as
 * one string per row, fields separated by '|'; -1 on error. */
static long pragma_rows(sqlite3 *h, const char *sql, const char *name, char ***out)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    char **v = NULL;
    size_t n = 0;
    int r;
    bool oom = false;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        sva_buf b = {0};
        int nc = sqlite3_column_count(st);
        for (int i = 0; i < nc; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            sva_buf_printf(&b, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
        }
        char **nv = realloc(v, (n + 1) * sizeof *nv);
        if (b.failed || !nv) {
            sva_buf_free(&b);
            free(nv ? nv : v);
            v = NULL;
            oom = true;
            break;
        }
        v = nv;
        v[n++] = sva_buf_take(&b);
    }
    sqlite3_finalize(st);
    if (oom || r != SQLITE_DONE) {
        for (size_t i = 0; v && i < n; i++)
            free(v[i]);
        free(v);
        return -1;
    }
    *out = v;
    return (long)n;
}

static void rows_free(char **v, long n)
{
    for (long i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* The first field of a pragma row (a column's name). */
static void first_field(const char *row, char *buf, size_t size)
{
    size_t k = strcspn(row, "|");
    snprintf(buf, size, "%.*s", (int)(k < 40 ? k : 40), row);
}

static bool has_field(char **rows, long n, const char *name)
{
    char f[48];
    for (long i = 0; i < n; i++) {
        first_field(rows[i], f, sizeof f);
        if (strcmp(f, name) == 0)
            return true;
    }
    return false;
}

/* A column as pragma_table_xinfo describes it ("name|type|notnull|default|pk|
 * hidden"), in words: "TEXT NOT NULL DEFAULT '' PRIMARY KEY". */
static const char *describe(const char *row, char *buf, size_t size)
{
    char f[6][48] = {{0}};
    for (int i = 0; i < 6 && row; i++) {
        size_t k = strcspn(row, "|");
        snprintf(f[i], sizeof f[i], "%.*s", (int)(k < 40 ? k : 40), row);
        row = row[k] ? row + k + 1 : NULL;
    }
    snprintf(buf, size, "%s%s%s%s%s%s%s", *f[1] ? f[1] : "no type",
             strcmp(f[2], "1") == 0 ? " NOT NULL" : "", strcmp(f[3], "NULL") ? " DEFAULT " : "",
             strcmp(f[3], "NULL") ? f[3] : "", strcmp(f[4], "0") ? " PRIMARY KEY" : "",
             strcmp(f[5], "0") == 0 ? "" : strcmp(f[5], "1") == 0 ? " hidden" : " generated",
             "");
    return buf;
}

/* Compare the columns of table @p name (pragma_table_xinfo: name, type, not
 * null, default, key, hidden) in the file @p h with the reference @p ref. */
static int compare_columns(sqlite3 *h, sqlite3 *ref, const char *name, char *why, size_t size)
{
    static const char *const q =
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)"
        " ORDER BY cid";
    char **a = NULL, **b = NULL;
    long na = pragma_rows(h, q, name, &a), nb = pragma_rows(ref, q, name, &b);
    int diff = 0;
    char nm[48], ca[48], cb[48];
    shown(name, nm);
    if (na < 0 || nb < 0) {
        snprintf(why, size, "cannot read the columns of table '%s': %s", nm, sqlite3_errmsg(h));
        diff = -1;
        goto out;
    }
    for (long i = 0; i < na || i < nb; i++) {
        if (i < na && i < nb && strcmp(a[i], b[i]) == 0)
            continue;
        diff = 1;
        if (i < na)
            first_field(a[i], ca, sizeof ca);
        if (i < nb)
            first_field(b[i], cb, sizeof cb);
        if (i < na && !has_field(b, nb, ca))
            snprintf(why, size, "table '%s' has a column '%s' that svcaudit's has not", nm, ca);
        else if (i < nb && !has_field(a, na, cb))
            snprintf(why, size, "table '%s' has no column '%s'", nm, cb);
        else if (strcmp(ca, cb) != 0)
            snprintf(why, size, "table '%s' has its columns in another order ('%s' where "
                                "svcaudit's has '%s')", nm, ca, cb);
        else {
            char da[160], db[160];
            snprintf(why, size, "table '%s': column '%s' is declared differently (%s; "
                                "svcaudit's: %s)", nm, ca, describe(a[i], da, sizeof da),
                     describe(b[i], db, sizeof db));
        }
        break;
    }
out:
    rows_free(a, na);
    rows_free(b, nb);
    return diff;
}

/* CREATE statements compared with runs of white space as one space. */
static bool same_sql(const char *a, const char *b)
{
    for (;;) {
        bool sa = false, sb = false;
        while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
            a++, sa = true;
        while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
            b++, sb = true;
        if (!*a || !*b)
            return !*a && !*b;
        if (sa != sb || *a != *b)
            return false;
        a++, b++;
    }
}

static sva_error lite_schema_check(sql_conn *pc, long version, char *why, size_t size)
{
    lite_conn *c = (lite_conn *)pc;
    sqlite3 *ref = NULL;
    lite_obj *a = NULL, *b = NULL;
    long na = -1, nb = -1;
    sva_error rc = SVA_ERR_DB;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(why, size, "cannot make the reference schema: out of memory");
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < N_MIGRATIONS; i++)
        if (migrations[i].to <= version &&
            sqlite3_exec(ref, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(why, size, "cannot make the reference schema: %s", sqlite3_errmsg(ref));
            goto out;
        }
    if ((na = read_objs(c->h, &a)) < 0) {
        snprintf(why, size, "cannot read its schema: %s", lite_errmsg(pc));
        goto out;
    }
    if ((nb = read_objs(ref, &b)) < 0) {
        snprintf(why, size, "cannot read the reference schema: %s", sqlite3_errmsg(ref));
        goto out;
    }
    char n1[48];
    for (long i = 0, j = 0; i < na || j < nb;) {
        int cmp = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].name, b[j].name);
        if (cmp < 0) {
            snprintf(why, size, "has %s %s '%s' that svcaudit's schema has not (nothing in a "
                                "received file is run)",
                     strchr("aeiou", a[i].type[0]) ? "an" : "a", a[i].type, shown(a[i].name, n1));
            goto out;
        }
        if (cmp > 0) {
            snprintf(why, size, "has no %s '%s'", b[j].type, shown(b[j].name, n1));
            goto out;
        }
        if (strcmp(a[i].type, b[j].type) != 0) {
            snprintf(why, size, "'%s' is a %s, not a %s", shown(a[i].name, n1), a[i].type,
                     b[j].type);
            goto out;
        }
        if (strcmp(a[i].type, "table") == 0) {
            int diff = compare_columns(c->h, ref, a[i].name, why, size);
            if (diff)
                goto out;
        }
        if (!same_sql(a[i].sql, b[j].sql)) {
            snprintf(why, size, "%s '%s' is defined differently from svcaudit's (its CREATE "
                                "statement differs)", a[i].type, shown(a[i].name, n1));
            goto out;
        }
        i++, j++;
    }
    rc = SVA_OK;
out:
    objs_free(a, na > 0 ? (size_t)na : 0);
    objs_free(b, nb > 0 ? (size_t)nb : 0);
    sqlite3_close(ref);
    return rc;
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
    .schema_check = lite_schema_check,
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

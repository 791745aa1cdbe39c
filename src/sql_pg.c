/* svcaudit: the PostgreSQL driver of the statement layer (sql.h), and the
 * PostgreSQL schema. The only file that includes <libpq-fe.h>.
 *
 * A database is a schema of its own (`svcaudit` unless the URL says
 * ?schema=NAME) in a PostgreSQL database named by a libpq URL
 * (postgresql://USER@HOST/DBNAME, with libpq's environment, service and
 * password files). The schema version is the meta row 'schema_version'.
 *
 * How statements run. The layer's SQL (?N parameters, rewritten to $N) is
 * sent with the extended protocol in libpq's pipeline mode:
 *   - parameters are sent as text; those bound as text are declared text,
 *     blobs bytea (binary), the rest (integers, reals, NULL) left for the
 *     server to infer from their place (a 1 bound where a boolean is wanted
 *     is read as true); results come as text and are converted on demand;
 *   - a statement's first run is unnamed (one round trip); a statement run
 *     again is prepared under a name of its own, once;
 *   - rows are read one at a time (single-row mode), so a million answers
 *     never sit in memory; when another statement needs the connection while
 *     one is still being read, the rest of its rows are read into memory first;
 *   - inside a transaction, a statement that returns nothing (INSERT, UPDATE,
 *     DELETE without RETURNING, SAVEPOINT) is queued without waiting for its
 *     result (but sent at once: the server works while the program goes
 *     on); the next statement that needs an answer, RELEASE and COMMIT wait
 *     for all queued results first, so an error still fails the write it
 *     belongs to before that write is reported done;
 *   - inside a transaction, the rows of one INSERT ... VALUES(...) run again
 *     and again (an audit's answers) are gathered and sent as one INSERT of
 *     many rows when any other statement needs the connection: the same rows,
 *     in the same order, checked the same way, one statement for the server
 *     to start instead of one per row (its fixed cost is most of a row's).
 *     Rows of several such INSERTs run one after the other (an audit's
 *     answers, then its section scores) are gathered side by side, each
 *     statement's rows sent as one, in the order they were run; a statement
 *     run again after another one sends them all first, unless the caller
 *     marks rounds (sql_round): then the next rounds' rows join their
 *     statement's (a batch's audits: all their audit rows, then all their
 *     answers, ...), as sql_round's contract allows. One statement for the
 *     server per table and a few dozen audits instead of four per audit,
 *     and its statement triggers run once for them. From 256 rows on, when
 *     every statement gathered is an INSERT of bare parameters, the rows go
 *     by COPY ... FROM STDIN instead (the pipeline is left for it: one round
 *     trip per table): no statement started per row group, each column's
 *     text converted by an input function looked up once.
 *
 * Transactions and isolation (what the README's table states per command):
 *   - a write transaction is BEGIN ISOLATION LEVEL READ COMMITTED followed at
 *     once by the schema's writer lock (a transaction-level advisory lock on
 *     the schema's name), the equivalent of SQLite's BEGIN IMMEDIATE: writers
 *     of one schema run one after the other, readers never wait. Each
 *     statement then reads everything committed before the lock was granted,
 *     so a check and the write it guards cannot race another writer (the
 *     duplicate-audit check and the insert; close's checks and the state
 *     change; an import's reads and writes). Deadlocks and serialization
 *     failures between svcaudit writers cannot happen: they take one lock,
 *     first;
 *   - a second writer waits for the lock up to lock_timeout (30 s unless the
 *     session sets another), then gets SQL_FAULT_BUSY ("try again"), as
 *     SQLite's busy timeout;
 *   - a statement outside any transaction (every read) is its own
 *     transaction; should PostgreSQL ask to retry it (SQLSTATE 40001
 *     serialization failure, 40P01 deadlock: only an outside session can
 *     cause them), it is retried, with a growing pause, before any row was
 *     returned; so is BEGIN with its lock;
 *   - migrations run in a write transaction: one process migrates, the others
 *     wait and then find the schema up to date. */
#include "sql.h"
#include "svcaudit/svcaudit.h"
#include "util.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Type OIDs (pg_type.h is a server header). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

/* The first number of the schema's advisory lock ("svca"); the second is
 * hashtext(schema). */
#define LOCK_CLASS "1937138017"
/* Queued results read at the latest after this many statements (the
 * server's replies must not fill the socket while we only write). */
#define MAX_QUEUED 512
/* A gathered column's type while it holds NULLs only (never an OID). */
#define NO_TYPE ((Oid)~0u)
/* Statements whose rows are gathered side by side (see the top). */
#define MAX_GROUP 8
/* A marked round sends the gathered rows first once one statement's hold
 * this many parameters (half of the protocol's 65535 a statement), so that
 * a batch's many-row statements have the same number of rows, prepared once */
#define ROUND_PARAMS 32767
/* Gathered rows go by COPY from this many on (see send_rows) */
#define COPY_ROWS 256
/* Retries of a statement PostgreSQL asks to retry (40001, 40P01). */
#define MAX_RETRIES 8

typedef struct pg_stmt pg_stmt;
static const sql_driver sql_pg_driver;

/* The rows of one INSERT gathered to be sent as one (see the top). */
typedef struct pg_rows {
    pg_stmt *s;    /* the INSERT; NULL when none is gathered */
    int rows, max; /* rows so far, rows per statement */
    Oid *types;    /* its parameters' types, of every row: a value's own, NO_TYPE
                    * while a column has NULLs only (a NULL fits any type) */
    Oid *first;    /* the first row's, as bound (a column of NULLs is sent so) */
    size_t *off;   /* rows x n offsets into buf; (size_t)-1 for NULL */
    int *len;      /* rows x n lengths (blobs) */
    size_t cap;    /* values there is room for in off and len */
    char *buf;     /* the values, one after the other */
    size_t used, size;
} pg_rows;

typedef struct pg_conn {
    struct sql_conn_head head;
    PGconn *h;
    char schema[64];
    pg_stmt *streaming;  /* the statement whose rows are being read */
    int queued;          /* statements sent whose results are not read yet */
    bool in_tx;          /* between BEGIN and COMMIT/ROLLBACK */
    long long changes;   /* rows of the last INSERT/UPDATE/DELETE */
    unsigned long names; /* statement names s1, s2, ... */
    char **garbage;      /* names of finalized statements to deallocate */
    size_t n_garbage, cap_garbage;
    sql_fault fault;
    char sqlstate[6];
    char *msg;
    pg_rows acc[MAX_GROUP]; /* gathered rows, in the order they are sent */
    int n_acc;
    int cursor;    /* the one gathered to last in this round; -1 at a round's start */
    bool rounds;   /* a round was marked since they began: their first round is over */
    bool gathered; /* the last statement run was gathered */
    bool failed;   /* a COPY failed: the next read of results fails (kept in msg) */
} pg_conn;

typedef struct pg_param {
    const char *v; /* as sent; NULL for SQL NULL */
    char *own;     /* v when it is a copy */
    int len;       /* bytes of a blob */
    Oid type;      /* OID_TEXT, OID_BYTEA, or 0: the server infers it */
    char num[32];  /* an integer or real as text */
} pg_param;

enum { ST_IDLE, ST_STREAM, ST_BUFFERED, ST_DONE };

struct pg_stmt {
    struct sql_stmt_head head;
    pg_conn *c;
    char *sql;        /* with $N parameters */
    int n;            /* parameters */
    pg_param *p;
    Oid *types;       /* the types of the last run */
    bool no_rows;     /* returns nothing: may be queued in a transaction */
    char *ins_head;   /* INSERT INTO t(c, ...) VALUES: rows may be gathered (with tuple) */
    char *tuple;      /* its (...) of $N parameters */
    char *copy;       /* COPY t(c, ...) FROM STDIN when tuple is ($1, ..., $n) */
    char multi[24];   /* the many-row INSERT prepared for multi_rows rows ("" none) */
    int multi_rows;
    Oid *multi_types; /* its parameters' types (one row's) */
    char name[24];    /* "" until prepared under a name */
    Oid *named_types; /* the types it was prepared with */
    int runs;
    int state;
    PGresult *cur; /* the current row(s) */
    int row, nrows;
    PGresult **buf; /* rows read ahead when another statement needed the connection */
    size_t nbuf, ibuf, capbuf;
    int end;        /* SQL_DONE or SQL_ERROR once the rows read ahead are used up */
    char *end_msg;  /* the error that ended them */
    sql_fault end_fault;
    unsigned char *blob; /* the current row's blob, unescaped */
};

/* ---- the PostgreSQL schema --------------------------------------------------------- */

/* The same tables, columns and version numbers as SQLite's migrations
 * (sql_sqlite.c), in PostgreSQL's types: INTEGER is bigint for ids and
 * integer for counts and flags (so sums stay integers), REAL double
 * precision, TEXT text with the "C" collation (sorted by bytes, as SQLite
 * does, whatever the database's locale), BLOB bytea. Foreign keys are
 * DEFERRABLE so that copy can load tables in any order. A new row's id is
 * the largest so far plus one, as SQLite gives an INTEGER PRIMARY KEY (no
 * sequence: a write that rolls back leaves no gap, so the same history gives
 * the same ids on both engines; writers hold the schema's lock, so two never
 * take the same). The catalogue test (tests/e2e/test_pg.sh) fails when the
 * two engines' schemas differ. Never edit a shipped step; add one. */
#define T "text COLLATE \"C\""
#define FK " DEFERRABLE"
/* the function giving table X's next id, and the id column that uses it */
#define NEXT_ID(x)                                                                           \
    "CREATE FUNCTION " x "_next_id() RETURNS bigint LANGUAGE plpgsql SET search_path FROM"    \
    " CURRENT AS $$BEGIN RETURN (SELECT coalesce(max(id), 0) + 1 FROM " x "); END$$;"
#define ID(x) "id bigint PRIMARY KEY DEFAULT " x "_next_id()"
static const sql_migration migrations[] = {
    {1,
    "CREATE TABLE meta(key " T " PRIMARY KEY, value " T " NOT NULL);"
    "INSERT INTO meta VALUES('application', 'svcaudit');"
    "INSERT INTO meta VALUES('pseudonym_salt', replace(gen_random_uuid()::text, '-', ''));"
    "CREATE TABLE store(id " T " PRIMARY KEY, name " T " NOT NULL,"
    "  region " T " NOT NULL DEFAULT '');"
    "CREATE TABLE employee(id " T " PRIMARY KEY, name " T " NOT NULL,"
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ", role " T " NOT NULL DEFAULT '');"
    "CREATE INDEX employee_store ON employee(store_id);"
    "CREATE TABLE cycle(id " T " PRIMARY KEY, date_from " T " NOT NULL, date_to " T " NOT NULL,"
    "  state " T " NOT NULL DEFAULT 'plan'"
    "    CHECK (state IN ('plan', 'do', 'check', 'act', 'closed')),"
    "  created_at " T " NOT NULL);"
    "CREATE TABLE checklist_version(hash " T " PRIMARY KEY, checklist_id " T " NOT NULL,"
    "  version bigint NOT NULL, source bytea NOT NULL, stored_at " T " NOT NULL);"
    NEXT_ID("audit")
    "CREATE TABLE audit(" ID("audit") ", uuid " T " NOT NULL UNIQUE,"
    "  checklist_hash " T " NOT NULL REFERENCES checklist_version(hash)" FK ","
    "  checklist_id " T " NOT NULL, checklist_version bigint NOT NULL,"
    "  feeds " T " NOT NULL CHECK (feeds IN ('ssi', 'csi', '6s', 'none')),"
    "  cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  employee_id " T " REFERENCES employee(id)" FK ","
    "  auditor " T " NOT NULL, audit_date " T " NOT NULL,"
    "  scorable integer NOT NULL, pct double precision, raw_pct double precision,"
    "  failed integer NOT NULL, n_failed_critical integer NOT NULL,"
    "  n_items integer NOT NULL, n_na integer NOT NULL,"
    "  points double precision NOT NULL, max_points double precision NOT NULL,"
    "  recorded_at " T " NOT NULL, voided_at " T ", void_reason " T ","
    "  fingerprint " T " NOT NULL);"
    "CREATE INDEX audit_cycle_store ON audit(cycle_id, store_id);"
    "CREATE INDEX audit_fingerprint ON audit(fingerprint);"
    "CREATE TABLE answer(audit_id bigint NOT NULL REFERENCES audit(id)" FK ","
    "  item_no integer NOT NULL, item_id " T " NOT NULL, section_id " T " NOT NULL,"
    "  value integer, points double precision NOT NULL, max_points double precision NOT NULL,"
    "  passed integer, note " T " NOT NULL DEFAULT '', evidence " T " NOT NULL DEFAULT '',"
    "  PRIMARY KEY(audit_id, item_no));"
    "CREATE TABLE section_score(audit_id bigint NOT NULL REFERENCES audit(id)" FK ","
    "  section_id " T " NOT NULL, scorable integer NOT NULL, pct double precision,"
    "  points double precision NOT NULL, max_points double precision NOT NULL,"
    "  PRIMARY KEY(audit_id, section_id));"
    "CREATE INDEX answer_item ON answer(item_id);"},
    {1,
    /* PDCA: Plan (targets), Do (5W1H actions), Check (surveys), Act (reasons) */
    "CREATE TABLE target(cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  scope " T " NOT NULL CHECK (scope IN ('network', 'region', 'store')),"
    "  scope_id " T " NOT NULL DEFAULT '', metric " T " NOT NULL,"
    "  value double precision NOT NULL,"
    "  set_at " T " NOT NULL, PRIMARY KEY(cycle_id, scope, scope_id, metric));"
    NEXT_ID("action")
    "CREATE TABLE action(" ID("action") ", uuid " T " NOT NULL UNIQUE,"
    "  cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  metric " T ", checklist_id " T ", item_id " T ", section_id " T ","
    "  status " T " NOT NULL DEFAULT 'open' CHECK (status IN"
    "    ('open', 'in_progress', 'done', 'verified', 'reopened')),"
    "  owner " T " NOT NULL DEFAULT '', due " T ","
    "  source_audit bigint REFERENCES audit(id)" FK ","
    "  carried_from bigint REFERENCES action(id)" FK ","
    "  carried_to bigint REFERENCES action(id)" FK ","
    "  created_at " T " NOT NULL, updated_at " T " NOT NULL);"
    "CREATE INDEX action_cycle_store ON action(cycle_id, store_id);"
    "CREATE TABLE action_field(action_id bigint NOT NULL REFERENCES action(id)" FK ","
    "  key " T " NOT NULL, value " T " NOT NULL, pos integer NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(action_id, key));"
    NEXT_ID("action_history")
    "CREATE TABLE action_history(" ID("action_history") ","
    "  action_id bigint NOT NULL REFERENCES action(id)" FK ", at " T " NOT NULL,"
    "  actor " T " NOT NULL, change " T " NOT NULL);"
    "CREATE TABLE cycle_reason(cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ", metric " T " NOT NULL,"
    "  text " T " NOT NULL, at " T " NOT NULL, PRIMARY KEY(cycle_id, store_id, metric));"
    "CREATE TABLE survey(cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  metric " T " NOT NULL CHECK (metric IN ('ssi', 'csi')), value double precision NOT NULL,"
    "  respondents integer NOT NULL, imported_at " T " NOT NULL,"
    "  PRIMARY KEY(cycle_id, store_id, metric));"
    "CREATE FUNCTION never_deleted() RETURNS trigger LANGUAGE plpgsql"
    "  AS $$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$$;"
    "CREATE TRIGGER action_never_deleted BEFORE DELETE ON action"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('actions are never deleted');"
    "CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('audits are never deleted; void them');"
    "CREATE TRIGGER answer_never_deleted BEFORE DELETE ON answer"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('answers are never deleted');"},
    {2,
    "ALTER TABLE audit ADD COLUMN n_answered integer NOT NULL DEFAULT 0;"
    "ALTER TABLE audit ADD COLUMN n_passed integer NOT NULL DEFAULT 0;"
    "UPDATE audit SET"
    "  n_answered = (SELECT count(passed) FROM answer WHERE audit_id = audit.id),"
    "  n_passed = (SELECT coalesce(sum(passed), 0) FROM answer WHERE audit_id = audit.id);"},
    {3,
    /* each audit's items in item order, one character each (see sql_sqlite.c) */
    "ALTER TABLE audit ADD COLUMN item_marks " T " NOT NULL DEFAULT '';"
    "UPDATE audit SET item_marks = coalesce((SELECT string_agg(CASE WHEN passed IS NULL"
    "  THEN '-' WHEN passed = 1 THEN '1' ELSE '0' END, '' ORDER BY item_no)"
    "  FROM answer WHERE audit_id = audit.id), '');"
    "CREATE INDEX IF NOT EXISTS audit_qa ON audit(cycle_id, feeds, checklist_id, store_id,"
    "  voided_at, scorable, pct, raw_pct, n_passed, n_answered, auditor, employee_id, failed,"
    "  checklist_hash, item_marks);"},
    {4,
    /* plans, the reasons planned audits were missed, owners (see sql_sqlite.c) */
    NEXT_ID("plan")
    "CREATE TABLE plan(" ID("plan") ", uuid " T " NOT NULL UNIQUE,"
    "  cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ", checklist_id " T " NOT NULL,"
    "  scope " T " NOT NULL CHECK (scope IN ('network', 'region', 'store')),"
    "  scope_id " T " NOT NULL DEFAULT '', per_employee integer NOT NULL DEFAULT 0,"
    "  times integer NOT NULL CHECK (times BETWEEN 0 AND 1000),"
    "  every " T " NOT NULL CHECK (every IN ('cycle', 'day', 'week', 'month')),"
    "  auditor " T " NOT NULL DEFAULT '', set_at " T " NOT NULL,"
    "  UNIQUE(cycle_id, checklist_id, scope, scope_id));"
    "CREATE TABLE plan_reason(cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  checklist_id " T " NOT NULL, store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  employee_id " T " NOT NULL DEFAULT '', text " T " NOT NULL, at " T " NOT NULL,"
    "  PRIMARY KEY(cycle_id, checklist_id, store_id, employee_id));"
    "CREATE TABLE owner(store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  checklist_id " T " NOT NULL, section_id " T " NOT NULL DEFAULT '',"
    "  item_id " T " NOT NULL DEFAULT '',"
    "  employee_id " T " NOT NULL REFERENCES employee(id)" FK ","
    "  set_at " T " NOT NULL, PRIMARY KEY(store_id, checklist_id, section_id, item_id));"},
    {5,
    /* the record: the change log (never changed or deleted), closes and
     * reopens, who recorded and voided, revisions, appeals (see sql_sqlite.c);
     * never_deleted() raises its argument, for an UPDATE as for a DELETE */
    NEXT_ID("change_log")
    "CREATE TABLE change_log(" ID("change_log") ", at " T " NOT NULL, actor " T " NOT NULL,"
    "  cycle_id " T ", what " T " NOT NULL, object " T " NOT NULL,"
    "  detail " T " NOT NULL DEFAULT '');"
    "CREATE INDEX change_log_cycle ON change_log(cycle_id);"
    "CREATE TRIGGER change_log_never_deleted BEFORE DELETE ON change_log"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('the change log is never deleted');"
    "CREATE TRIGGER change_log_never_changed BEFORE UPDATE ON change_log"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('the change log is never changed');"
    NEXT_ID("cycle_close")
    "CREATE TABLE cycle_close(" ID("cycle_close") ","
    "  cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  closed_at " T " NOT NULL, closed_by " T " NOT NULL, reopened_at " T ","
    "  reopened_by " T ", reopen_reason " T ");"
    "INSERT INTO cycle_close(cycle_id, closed_at, closed_by)"
    "  SELECT id, '', '' FROM cycle WHERE state = 'closed' ORDER BY date_from, id;"
    "ALTER TABLE audit ADD COLUMN recorded_by " T " NOT NULL DEFAULT '';"
    "ALTER TABLE audit ADD COLUMN voided_by " T ";"
    "ALTER TABLE audit ADD COLUMN revision integer NOT NULL DEFAULT 1;"
    "ALTER TABLE audit ADD COLUMN revised_at " T ";"
    "ALTER TABLE audit ADD COLUMN revised_by " T ";"
    "ALTER TABLE audit ADD COLUMN revision_reason " T ";"},
    {5,
    "CREATE TABLE audit_revision(audit_id bigint NOT NULL REFERENCES audit(id)" FK ","
    "  revision integer NOT NULL, made_at " T " NOT NULL, made_by " T " NOT NULL,"
    "  reason " T ", employee_id " T ", audit_date " T " NOT NULL, scorable integer NOT NULL,"
    "  pct double precision, raw_pct double precision, failed integer NOT NULL,"
    "  n_failed_critical integer NOT NULL, n_items integer NOT NULL, n_na integer NOT NULL,"
    "  points double precision NOT NULL, max_points double precision NOT NULL,"
    "  n_answered integer NOT NULL, n_passed integer NOT NULL, fingerprint " T " NOT NULL,"
    "  replaced_at " T " NOT NULL, replaced_by " T " NOT NULL,"
    "  PRIMARY KEY(audit_id, revision));"
    "CREATE TABLE answer_revision(audit_id bigint NOT NULL, revision integer NOT NULL,"
    "  item_no integer NOT NULL, value integer, points double precision NOT NULL,"
    "  max_points double precision NOT NULL, passed integer, note " T " NOT NULL,"
    "  evidence " T " NOT NULL, PRIMARY KEY(audit_id, revision, item_no),"
    "  FOREIGN KEY(audit_id, revision) REFERENCES audit_revision(audit_id, revision)" FK ");"
    "CREATE TABLE section_revision(audit_id bigint NOT NULL, revision integer NOT NULL,"
    "  section_id " T " NOT NULL, scorable integer NOT NULL, pct double precision,"
    "  points double precision NOT NULL, max_points double precision NOT NULL,"
    "  PRIMARY KEY(audit_id, revision, section_id),"
    "  FOREIGN KEY(audit_id, revision) REFERENCES audit_revision(audit_id, revision)" FK ");"
    "CREATE TRIGGER audit_revision_never_deleted BEFORE DELETE ON audit_revision"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('revisions are never deleted');"
    "CREATE TRIGGER answer_revision_never_deleted BEFORE DELETE ON answer_revision"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('revisions are never deleted');"
    NEXT_ID("appeal")
    "CREATE TABLE appeal(" ID("appeal") ", audit_id bigint NOT NULL REFERENCES audit(id)" FK ","
    "  opened_at " T " NOT NULL, opened_by " T " NOT NULL, reason " T " NOT NULL,"
    "  revision integer NOT NULL, voided integer NOT NULL, resolved_at " T ","
    "  resolved_by " T ", outcome " T " CHECK (outcome IN ('upheld', 'rejected')),"
    "  note " T ");"
    "CREATE INDEX appeal_audit ON appeal(audit_id);"
    "CREATE UNIQUE INDEX appeal_one_open ON appeal(audit_id) WHERE outcome IS NULL;"},
    {5,
    /* actions: each check by a later cycle's answers (those an older svcaudit
     * wrote read back from their history lines, as sql_sqlite.c does: the
     * cycle before ': ', the leading digits after ': ' and after ' of '),
     * each carry; stores and employees over time (see sql_sqlite.c) */
    "CREATE TABLE action_check(action_id bigint NOT NULL REFERENCES action(id)" FK ","
    "  cycle_id " T " NOT NULL REFERENCES cycle(id)" FK ", verified integer NOT NULL,"
    "  n_answers integer NOT NULL, n_failed integer NOT NULL, at " T " NOT NULL,"
    "  actor " T " NOT NULL, PRIMARY KEY(action_id, cycle_id));"
    "INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor)"
    "  SELECT action_id, cyc, CASE WHEN change LIKE 'verified%' THEN 1 ELSE 0 END,"
    "  coalesce(substring(substr(rest, strpos(rest, ' of ') + 4) FROM '^[0-9]+')::integer, 0),"
    "  coalesce(substring(substr(rest, strpos(rest, ': ') + 2) FROM '^[0-9]+')::integer, 0),"
    "  at, actor"
    "  FROM (SELECT id, action_id, change, at, actor, substr(change, 19) AS rest,"
    "   substr(substr(change, 19), 1, strpos(substr(change, 19), ': ') - 1) AS cyc"
    "   FROM action_history"
    "   WHERE change LIKE 'verified by cycle %: % of % answers failed'"
    "   OR change LIKE 'reopened by cycle %: % of % answers failed') h"
    "  WHERE cyc IN (SELECT id FROM cycle) ORDER BY action_id, id ON CONFLICT DO NOTHING;"
    "CREATE TABLE action_carry(action_id bigint NOT NULL REFERENCES action(id)" FK ","
    "  from_cycle " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  to_cycle " T " NOT NULL REFERENCES cycle(id)" FK ","
    "  status " T " NOT NULL, due_before " T ", due_after " T ", at " T " NOT NULL,"
    "  actor " T " NOT NULL, PRIMARY KEY(action_id, from_cycle));"
    "CREATE INDEX action_carry_from ON action_carry(from_cycle);"
    NEXT_ID("store_event")
    "CREATE TABLE store_event(" ID("store_event") ","
    "  store_id " T " NOT NULL REFERENCES store(id)" FK ","
    "  from_date " T " NOT NULL, active integer NOT NULL, at " T " NOT NULL,"
    "  actor " T " NOT NULL);"
    "CREATE INDEX store_event_store ON store_event(store_id, from_date);"
    NEXT_ID("employee_event")
    "CREATE TABLE employee_event(" ID("employee_event") ","
    "  employee_id " T " NOT NULL REFERENCES employee(id)" FK ", from_date " T " NOT NULL,"
    "  store_id " T " REFERENCES store(id)" FK ", at " T " NOT NULL, actor " T " NOT NULL);"
    "CREATE INDEX employee_event_employee ON employee_event(employee_id, from_date);"},
    {6,
    /* sync (issue 14): the database's identity, where every record was made,
     * the time and place of master data's last change, the records' versions
     * (see sql_sqlite.c) */
    "INSERT INTO meta VALUES('db_uuid', gen_random_uuid()::text);"
    "INSERT INTO meta VALUES('db_name', '');"
    "ALTER TABLE store ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE store ADD COLUMN changed_at " T " NOT NULL DEFAULT '';"
    "ALTER TABLE store ADD COLUMN changed_in " T " NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN changed_at " T " NOT NULL DEFAULT '';"
    "ALTER TABLE employee ADD COLUMN changed_in " T " NOT NULL DEFAULT '';"
    "ALTER TABLE checklist_version ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE action_history ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "CREATE INDEX action_history_action ON action_history(action_id);"
    "ALTER TABLE cycle ADD COLUMN origin " T " NOT NULL DEFAULT '';"},
    {6,
#define SYNC_COLS(x)                                                                         \
    "ALTER TABLE " x " ADD COLUMN origin " T " NOT NULL DEFAULT '';"                          \
    "ALTER TABLE " x " ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"                       \
    "ALTER TABLE " x " ADD COLUMN changed_in " T ";"
    "ALTER TABLE cycle ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"
    "ALTER TABLE cycle ADD COLUMN changed_in " T ";"
    SYNC_COLS("audit") SYNC_COLS("action") SYNC_COLS("target") SYNC_COLS("survey")
    SYNC_COLS("cycle_reason") SYNC_COLS("plan") SYNC_COLS("plan_reason") SYNC_COLS("owner")},
#undef SYNC_COLS
    {6,
    "CREATE TABLE store_history(id " T " NOT NULL, changed_at " T " NOT NULL,"
    "  changed_in " T " NOT NULL, name " T " NOT NULL, region " T " NOT NULL,"
    "  PRIMARY KEY(id, changed_at, changed_in, name, region));"
    "CREATE TABLE employee_history(id " T " NOT NULL, changed_at " T " NOT NULL,"
    "  changed_in " T " NOT NULL, name " T " NOT NULL, store_id " T " NOT NULL,"
    "  role " T " NOT NULL, PRIMARY KEY(id, changed_at, changed_in, name, store_id, role));"
    "CREATE TABLE sync_peer(uuid " T " PRIMARY KEY, name " T " NOT NULL,"
    "  merges integer NOT NULL DEFAULT 0, last_merged_at " T ");"
    NEXT_ID("sync_conflict")
    "CREATE TABLE sync_conflict(" ID("sync_conflict") ", kind " T " NOT NULL,"
    "  key " T " NOT NULL, there " T " NOT NULL, sender " T " NOT NULL,"
    "  sender_name " T " NOT NULL, found_at " T " NOT NULL, resolved_at " T ","
    "  resolved_by " T ", kept " T " CHECK (kept IN ('here', 'there')),"
    "  UNIQUE(kind, key, there));"},
    {6,
    /* the triggers that keep the versions, as BEFORE triggers setting NEW
     * where SQLite's AFTER triggers update the row again (the same values; a
     * PostgreSQL trigger's UPDATE of its own table would fire it again): a
     * change made here (no 'sync_applying' in meta, which a merge writes
     * while it applies a received file) counts in sync_rev when the record
     * was made here, else marks it changed here; a store's or employee's
     * change keeps the old version in its history table and the time of the
     * new; a new one made here gets its first version's time */
#define SYNC_HERE "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'sync_applying')"
#define SYNC_NOW "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define SYNC_FN(name, body)                                                                  \
    "CREATE FUNCTION " name "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT" \
    " AS $$BEGIN IF " SYNC_HERE " THEN " body " END IF; RETURN NEW; END$$;"
    SYNC_FN("sync_bump", "NEW.sync_rev := NEW.sync_rev + CASE WHEN NEW.origin = '' THEN 1"
            " ELSE 0 END; NEW.changed_in := CASE WHEN NEW.origin = '' THEN NULL ELSE '' END;")
    SYNC_FN("sync_made", "IF NEW.changed_at = '' THEN NEW.changed_at := " SYNC_NOW "; END IF;")
    SYNC_FN("store_changed", "INSERT INTO store_history(id, changed_at, changed_in, name,"
            " region) VALUES(OLD.id, OLD.changed_at, OLD.changed_in, OLD.name, OLD.region)"
            " ON CONFLICT DO NOTHING; NEW.changed_at := " SYNC_NOW "; NEW.changed_in := '';")
    SYNC_FN("employee_changed", "INSERT INTO employee_history(id, changed_at, changed_in,"
            " name, store_id, role) VALUES(OLD.id, OLD.changed_at, OLD.changed_in, OLD.name,"
            " OLD.store_id, OLD.role) ON CONFLICT DO NOTHING; NEW.changed_at := " SYNC_NOW ";"
            " NEW.changed_in := '';")
#define SYNC_TRIGGER(name, when, table) \
    "CREATE TRIGGER " name " BEFORE " when " ON " table " FOR EACH ROW"
    SYNC_TRIGGER("store_changed", "UPDATE OF name, region", "store")
    " EXECUTE FUNCTION store_changed();"
    SYNC_TRIGGER("store_made", "INSERT", "store") " EXECUTE FUNCTION sync_made();"
    SYNC_TRIGGER("employee_made", "INSERT", "employee") " EXECUTE FUNCTION sync_made();"
    SYNC_TRIGGER("employee_changed", "UPDATE OF name, store_id, role", "employee")
    " EXECUTE FUNCTION employee_changed();"
    /* the first audit of a cycle moving it from plan to do is no change of it */
    SYNC_TRIGGER("cycle_changed", "UPDATE OF date_from, date_to, state", "cycle")
    " WHEN (NOT (OLD.state = 'plan' AND NEW.state = 'do' AND OLD.date_from = NEW.date_from"
    "  AND OLD.date_to = NEW.date_to)) EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("audit_changed", "UPDATE OF voided_at, void_reason", "audit")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("action_changed", "UPDATE", "action") " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("target_changed", "UPDATE OF value", "target") " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("survey_changed", "UPDATE OF value, respondents", "survey")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("cycle_reason_changed", "UPDATE OF text", "cycle_reason")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("plan_changed", "UPDATE OF per_employee, times, every, auditor", "plan")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("plan_reason_changed", "UPDATE OF text", "plan_reason")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("owner_changed", "UPDATE OF employee_id", "owner")
    " EXECUTE FUNCTION sync_bump();"},
    {7,
    /* appeals' versions, one open appeal per audit and opening database, an
     * amendment counted as a change of the audit, the last unvoid (see
     * sql_sqlite.c) */
    "ALTER TABLE appeal ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE appeal ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"
    "ALTER TABLE appeal ADD COLUMN changed_in " T ";"
    "DROP INDEX appeal_one_open;"
    "CREATE UNIQUE INDEX appeal_one_open ON appeal(audit_id, origin) WHERE outcome IS NULL;"
    "ALTER TABLE audit ADD COLUMN unvoided_at " T ";"
    "ALTER TABLE audit ADD COLUMN unvoided_by " T ";"
    "UPDATE audit SET sync_rev = sync_rev + revision - 1 WHERE origin = '' AND revision > 1;"
    "DROP TRIGGER audit_changed ON audit;"
    SYNC_TRIGGER("audit_changed", "UPDATE OF voided_at, void_reason, revision", "audit")
    " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("appeal_changed", "UPDATE OF outcome, resolved_at, resolved_by, note, voided",
                 "appeal") " EXECUTE FUNCTION sync_bump();"},
    {7,
    /* closes and reopens carry a version (see sql_sqlite.c) */
    "ALTER TABLE cycle_close ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE cycle_close ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"
    "ALTER TABLE cycle_close ADD COLUMN changed_in " T ";"
    SYNC_TRIGGER("cycle_close_changed", "UPDATE OF reopened_at, reopened_by, reopen_reason",
                 "cycle_close") " EXECUTE FUNCTION sync_bump();"},
    {7,
    /* an action's checks and carries travel with it (see sql_sqlite.c) */
    "ALTER TABLE action_check ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE action_check ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"
    "ALTER TABLE action_check ADD COLUMN changed_in " T ";"
    "ALTER TABLE action_carry ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE action_carry ADD COLUMN sync_rev integer NOT NULL DEFAULT 0;"
    "ALTER TABLE action_carry ADD COLUMN changed_in " T ";"
    SYNC_TRIGGER("action_check_changed", "UPDATE OF verified, n_answers, n_failed, at, actor",
                 "action_check") " EXECUTE FUNCTION sync_bump();"
    SYNC_TRIGGER("action_carry_changed",
                 "UPDATE OF to_cycle, status, due_before, due_after, at, actor",
                 "action_carry") " EXECUTE FUNCTION sync_bump();"},
    {8,
    /* an audit's answers and section scores checked against audit once per
     * statement, not per row (issue 15): PostgreSQL checks a foreign key
     * with a query per row (its RI trigger), two thirds of the server's work
     * for an audit's 44 answers. The foreign keys answer.audit_id and
     * section_score.audit_id become triggers that raise the same error
     * (SQLSTATE 23503, the same message): after an INSERT, one look-up per
     * audit of the new rows (a scalar subquery, so always by the key, never
     * a scan); while a copy defers its checks (sql_defer_checks sets
     * svcaudit.defer_checks for its transaction) a row's check waits for the
     * commit instead; a change of audit_id is checked at once (or at the
     * commit when deferred). An audit is never deleted (audit_never_deleted)
     * and its id never changes, so no lock on the audit row is needed. These
     * triggers stand for foreign keys, which neither engine's catalogue
     * lists: their names start with fk_ and the catalogue leaves them out
     * (as SQLite has no such triggers) */
#define FK_RAISE(id)                                                                         \
    " RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = format("              \
    "'insert or update on table \"%s\" violates foreign key constraint \"%s_audit_id_fkey\"',"  \
    " TG_TABLE_NAME, TG_TABLE_NAME), DETAIL = format("                                         \
    "'Key (audit_id)=(%s) is not present in table \"audit\".', " id ");"
#define FK_DEFERRED "current_setting('svcaudit.defer_checks', true) = 'on'"
    "CREATE FUNCTION fk_audit_rows() RETURNS trigger LANGUAGE plpgsql SET search_path FROM"
    " CURRENT AS $$DECLARE missing bigint; BEGIN"
    " IF " FK_DEFERRED " THEN RETURN NULL; END IF;"
    " SELECT m.audit_id INTO missing FROM (SELECT DISTINCT audit_id FROM new_rows) m"
    "  WHERE (SELECT a.id FROM audit a WHERE a.id = m.audit_id) IS NULL LIMIT 1;"
    " IF FOUND THEN" FK_RAISE("missing") " END IF; RETURN NULL; END$$;"
    "CREATE FUNCTION fk_audit_row() RETURNS trigger LANGUAGE plpgsql SET search_path FROM"
    " CURRENT AS $$BEGIN"
    " IF (SELECT a.id FROM audit a WHERE a.id = NEW.audit_id) IS NULL THEN"
    FK_RAISE("NEW.audit_id") " END IF; RETURN NULL; END$$;"
#define FK_AUDIT(t)                                                                          \
    "ALTER TABLE " t " DROP CONSTRAINT " t "_audit_id_fkey;"                                  \
    "CREATE TRIGGER fk_" t "_audit AFTER INSERT ON " t " REFERENCING NEW TABLE AS new_rows"   \
    " FOR EACH STATEMENT EXECUTE FUNCTION fk_audit_rows();"                                   \
    "CREATE CONSTRAINT TRIGGER fk_" t "_audit_deferred AFTER INSERT ON " t                    \
    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (" FK_DEFERRED ")"                     \
    " EXECUTE FUNCTION fk_audit_row();"                                                       \
    "CREATE CONSTRAINT TRIGGER fk_" t "_audit_changed AFTER UPDATE OF audit_id ON " t         \
    " DEFERRABLE FOR EACH ROW WHEN (OLD.audit_id IS DISTINCT FROM NEW.audit_id)"             \
    " EXECUTE FUNCTION fk_audit_row();"
    FK_AUDIT("answer") FK_AUDIT("section_score")
    "CREATE TRIGGER fk_audit_id_kept BEFORE UPDATE OF id ON audit FOR EACH ROW"
    " WHEN (OLD.id IS DISTINCT FROM NEW.id)"
    " EXECUTE FUNCTION never_deleted('an audit''s id never changes');"},
#undef FK_RAISE
#undef FK_DEFERRED
#undef FK_AUDIT
    {8,
    /* TRUNCATE passes row triggers: those that keep records from being
     * deleted or changed and keep the sync versions. svcaudit never
     * truncates; a TRUNCATE by hand of a table with such triggers (or of
     * section_score, whose audit is checked by one) is refused with a line
     * saying why. SQLite has no TRUNCATE: the catalogue leaves these out
     * (no_truncate_) */
#define NO_TRUNCATE(t)                                                                       \
    "CREATE TRIGGER no_truncate_" t " BEFORE TRUNCATE ON " t " FOR EACH STATEMENT"            \
    " EXECUTE FUNCTION never_deleted('table " t " is never truncated: TRUNCATE would"          \
    " pass the triggers that keep svcaudit''s records');"
    NO_TRUNCATE("action") NO_TRUNCATE("action_carry") NO_TRUNCATE("action_check")
    NO_TRUNCATE("answer") NO_TRUNCATE("answer_revision") NO_TRUNCATE("appeal")
    NO_TRUNCATE("audit") NO_TRUNCATE("audit_revision") NO_TRUNCATE("change_log")},
    {8,
    NO_TRUNCATE("cycle") NO_TRUNCATE("cycle_close") NO_TRUNCATE("cycle_reason")
    NO_TRUNCATE("employee") NO_TRUNCATE("owner") NO_TRUNCATE("plan")
    NO_TRUNCATE("plan_reason") NO_TRUNCATE("section_score") NO_TRUNCATE("store")
    NO_TRUNCATE("survey") NO_TRUNCATE("target")},
    {8,
    /* dated store and employee events travel: origin and seq, one key in every
     * database (see sql_sqlite.c) */
    "ALTER TABLE store_event ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE store_event ADD COLUMN seq integer NOT NULL DEFAULT 0;"
    "UPDATE store_event SET seq = (SELECT count(*) FROM store_event x WHERE"
    "  x.store_id = store_event.store_id AND x.from_date = store_event.from_date"
    "  AND x.at = store_event.at AND x.id < store_event.id);"
    "DROP INDEX store_event_store;"
    "CREATE UNIQUE INDEX store_event_key ON store_event(store_id, from_date, at, origin, seq);"
    "ALTER TABLE employee_event ADD COLUMN origin " T " NOT NULL DEFAULT '';"
    "ALTER TABLE employee_event ADD COLUMN seq integer NOT NULL DEFAULT 0;"
    "UPDATE employee_event SET seq = (SELECT count(*) FROM employee_event x WHERE"
    "  x.employee_id = employee_event.employee_id AND x.from_date = employee_event.from_date"
    "  AND x.at = employee_event.at AND x.id < employee_event.id);"
    "DROP INDEX employee_event_employee;"
    "CREATE UNIQUE INDEX employee_event_key ON employee_event(employee_id, from_date, at, origin,"
    "  seq);"},
    {9,
    /* dated store and employee events are never changed or deleted (see
     * sql_sqlite.c), nor truncated (no_truncate_, as in schema 8) */
    "CREATE TRIGGER store_event_never_deleted BEFORE DELETE ON store_event"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('store events are never deleted');"
    "CREATE TRIGGER store_event_never_changed BEFORE UPDATE ON store_event"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('store events are never changed');"
    "CREATE TRIGGER employee_event_never_deleted BEFORE DELETE ON employee_event"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('employee events are never deleted');"
    "CREATE TRIGGER employee_event_never_changed BEFORE UPDATE ON employee_event"
    "  FOR EACH ROW EXECUTE FUNCTION never_deleted('employee events are never changed');"
    NO_TRUNCATE("store_event") NO_TRUNCATE("employee_event")},
#undef NO_TRUNCATE
#undef SYNC_HERE
#undef SYNC_NOW
#undef SYNC_FN
#undef SYNC_TRIGGER
};
#undef T
#undef FK
#undef NEXT_ID
#undef ID

#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)

static const sql_migration *pg_migrations(size_t *n)
{
    *n = N_MIGRATIONS;
    return migrations;
}

/* ---- errors ------------------------------------------------------------------------ */

static void set_msg(pg_conn *c, const char *sqlstate, const char *msg)
{
    free(c->msg);
    /* one line: libpq's messages may run over several */
    size_t n = strcspn(msg ? msg : "", "\n");
    c->msg = malloc(n + 1);
    if (c->msg) {
        memcpy(c->msg, msg ? msg : "", n);
        c->msg[n] = '\0';
    }
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", sqlstate ? sqlstate : "");
    if (strncmp(c->sqlstate, "23", 2) == 0)
        c->fault = SQL_FAULT_CONSTRAINT;
    else if (strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0 ||
             strcmp(c->sqlstate, "55P03") == 0)
        c->fault = SQL_FAULT_BUSY;
    else
        c->fault = SQL_FAULT_OTHER;
}

static void set_error(pg_conn *c, const PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_msg(c, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL,
            m ? m : PQerrorMessage(c->h));
}

/* The connection broke (the server went away): every result is lost. */
static bool conn_broken(pg_conn *c)
{
    if (PQstatus(c->h) != CONNECTION_BAD)
        return false;
    if (!c->msg || c->fault == SQL_FAULT_NONE)
        set_msg(c, "08006", PQerrorMessage(c->h));
    c->queued = 0;
    c->in_tx = false;
    return true;
}

static bool retryable(const pg_conn *c)
{
    return strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0;
}

/* A pause before retry @p attempt: 10 ms doubling, at most about 1 s. */
static void backoff(int attempt)
{
    long ms = 10L << (attempt < 7 ? attempt : 7);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- reading results ----------------------------------------------------------- */

static void note_changes(pg_conn *c, PGresult *r)
{
    const char *t = PQcmdTuples(r);
    if (t && *t)
        c->changes = strtoll(t, NULL, 10);
}

/* Read one statement's results up to its end (NULL). @return false when it
 * failed (the first failure is kept in c unless @p quiet). */
static bool read_to_end(pg_conn *c, bool ok, bool quiet)
{
    PGresult *r;
    while ((r = PQgetResult(c->h))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_FATAL_ERROR) {
            if (ok && !quiet)
                set_error(c, r);
            ok = false;
        } else if (st == PGRES_PIPELINE_ABORTED) {
            ok = false;
        } else if (st == PGRES_COMMAND_OK) {
            note_changes(c, r);
        }
        PQclear(r);
        if (conn_broken(c))
            return false;
    }
    return ok;
}

/* Read the results of the statements queued so far. */
static bool read_queued(pg_conn *c, bool quiet)
{
    bool ok = !c->failed; /* a COPY's failure is this read's */
    c->failed = false;
    for (; c->queued > 0; c->queued--) {
        if (!read_to_end(c, ok, quiet))
            ok = false;
        if (conn_broken(c))
            return false;
    }
    return ok;
}

/* Read the end of a pipeline segment (the Sync's result). */
static bool read_sync(pg_conn *c)
{
    PGresult *r = PQgetResult(c->h);
    bool ok = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (!ok && !conn_broken(c))
        set_msg(c, "08000", "lost track of the server's replies");
    return ok;
}

static bool send_sync(pg_conn *c)
{
    if (PQpipelineSync(c->h) != 1) {
        conn_broken(c);
        set_msg(c, "08000", PQerrorMessage(c->h));
        return false;
    }
    return true;
}

/* Wait for every queued statement. @return false if one failed (kept in c
 * unless @p quiet). */
static void conn_ready(pg_conn *c);

static bool sync_all(pg_conn *c, bool quiet)
{
    conn_ready(c);
    if (!c->queued)
        return read_queued(c, quiet);
    if (!send_sync(c))
        return false;
    bool ok = read_queued(c, quiet);
    return read_sync(c) && ok;
}

/* ---- statements ---------------------------------------------------------------- */

static void clear_rows(pg_stmt *s)
{
    PQclear(s->cur);
    s->cur = NULL;
    s->row = s->nrows = 0;
    for (size_t i = s->ibuf; i < s->nbuf; i++)
        PQclear(s->buf[i]);
    s->nbuf = s->ibuf = 0;
    free(s->end_msg);
    s->end_msg = NULL;
    PQfreemem(s->blob);
    s->blob = NULL;
}

/* The next result of the statement being read: rows (SQL_ROW, kept in
 * s->cur), its end (SQL_DONE) or its failure (SQL_ERROR, kept in c). The
 * statement's end is read through, with its segment's Sync. */
static int read_next(pg_stmt *s)
{
    pg_conn *c = s->c;
    PGresult *r = PQgetResult(c->h);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if ((st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) && PQntuples(r) > 0) {
        PQclear(s->cur);
        s->cur = r;
        s->row = 0;
        s->nrows = PQntuples(r);
        if (st == PGRES_TUPLES_OK) { /* not in single-row mode: all rows at once */
            read_to_end(c, true, false);
            read_sync(c);
            c->streaming = NULL;
            s->state = ST_BUFFERED;
            s->end = SQL_DONE;
        }
        return SQL_ROW;
    }
    int rc = SQL_DONE;
    if (st == PGRES_COMMAND_OK)
        note_changes(c, r);
    else if (st == PGRES_FATAL_ERROR) {
        set_error(c, r);
        rc = SQL_ERROR;
    } else if (st != PGRES_TUPLES_OK) {
        rc = SQL_ERROR; /* aborted: the failure was kept before */
    }
    PQclear(r);
    if (!r) {
        conn_broken(c);
        c->streaming = NULL;
        return SQL_ERROR;
    }
    if (!read_to_end(c, rc == SQL_DONE, false))
        rc = SQL_ERROR;
    if (!read_sync(c))
        rc = SQL_ERROR;
    c->streaming = NULL;
    s->state = ST_DONE;
    return rc;
}

/* Read the rest of the rows of the statement being read into memory, so
 * that another statement can use the connection. */
static void read_ahead(pg_conn *c)
{
    pg_stmt *s = c->streaming;
    if (!s)
        return;
    /* keep the current row; what follows goes to s->buf */
    PGresult *keep = s->cur;
    int row = s->row, nrows = s->nrows;
    s->cur = NULL;
    for (;;) {
        int r = read_next(s);
        if (r != SQL_ROW) {
            s->end = r;
            if (r == SQL_ERROR) {
                s->end_msg = sva_strdup(c->msg ? c->msg : "unknown error");
                s->end_fault = c->fault;
            }
            break;
        }
        if (s->state == ST_BUFFERED) { /* the whole result came at once */
            s->end = SQL_DONE;
        }
        if (s->nbuf == s->capbuf) {
            size_t cap = s->capbuf ? s->capbuf * 2 : 64;
            PGresult **nb = realloc(s->buf, cap * sizeof *nb);
            if (!nb) {
                PQclear(s->cur);
                s->cur = NULL;
                s->end = SQL_ERROR;
                s->end_msg = sva_strdup("out of memory");
                s->end_fault = SQL_FAULT_OTHER;
                /* drop the rest: the statement fails when it gets there */
                while (c->streaming == s && read_next(s) == SQL_ROW)
                    ;
                break;
            }
            s->buf = nb;
            s->capbuf = cap;
        }
        s->buf[s->nbuf++] = s->cur;
        s->cur = NULL;
        if (s->state == ST_BUFFERED)
            break;
    }
    s->cur = keep;
    s->row = row;
    s->nrows = nrows;
    s->state = ST_BUFFERED;
    c->streaming = NULL;
}

/* Note a prepared statement's name to be dropped at the next chance (the
 * server keeps it until the connection closes should memory run out). */
static void add_garbage(pg_conn *c, const char *name)
{
    if (c->n_garbage == c->cap_garbage) {
        size_t cap = c->cap_garbage ? c->cap_garbage * 2 : 16;
        char **ng = realloc(c->garbage, cap * sizeof *ng);
        if (!ng)
            return;
        c->garbage = ng;
        c->cap_garbage = cap;
    }
    char *copy = sva_strdup(name);
    if (copy)
        c->garbage[c->n_garbage++] = copy;
}

/* Send what is queued to the server now, not at the next statement that
 * waits for an answer (libpq's pipeline keeps it until then): the server
 * works on an audit's answers while the program prepares the next audit. */
static void send_now(pg_conn *c)
{
    if (PQflush(c->h) != 0)
        conn_broken(c);
}

/* Send the rows gathered for one statement as one INSERT (queued). */
static void send_acc(pg_conn *c, pg_rows *a)
{
    pg_stmt *s = a->s;
    a->s = NULL;
    if (!s || !a->rows)
        return;
    int n = s->n, rows = a->rows;
    a->rows = 0;
    for (int i = 0; i < n; i++)
        if (a->types[i] == NO_TYPE)
            a->types[i] = a->first[i]; /* NULLs only: as the first was bound */
    /* prepared once per number of rows (an audit's answers: its items) */
    bool same = s->multi_rows == rows && s->multi_types &&
                memcmp(s->multi_types, a->types, (size_t)n * sizeof *a->types) == 0;
    size_t tl = strlen(s->tuple);
    sva_buf sql = {0};
    sva_buf_puts(&sql, s->ins_head);
    for (int r = 0; !same && r < rows; r++) {
        sva_buf_puts(&sql, r ? ", " : " ");
        /* the tuple with $K as $(K + r * n), quotes left alone */
        for (size_t i = 0; i < tl; i++) {
            char ch = s->tuple[i];
            if (ch == '\'') {
                size_t j = i + 1;
                while (j < tl && s->tuple[j] != '\'')
                    j++;
                sva_buf_printf(&sql, "%.*s", (int)(j - i + 1), s->tuple + i);
                i = j;
            } else if (ch == '$') {
                long k = strtol(s->tuple + i + 1, NULL, 10);
                while (i + 1 < tl && s->tuple[i + 1] >= '0' && s->tuple[i + 1] <= '9')
                    i++;
                sva_buf_printf(&sql, "$%ld", k + (long)r * n);
            } else {
                sva_buf_printf(&sql, "%c", ch);
            }
        }
    }
    size_t np = (size_t)rows * (size_t)n;
    const char **values = malloc((np ? np : 1) * sizeof *values);
    int *formats = malloc((np ? np : 1) * sizeof *formats);
    Oid *types = malloc((np ? np : 1) * sizeof *types);
    if (sql.failed || !values || !formats || !types) {
        set_msg(c, "53200", "out of memory");
        c->fault = SQL_FAULT_OTHER;
    } else {
        for (size_t i = 0; i < np; i++) {
            values[i] = a->off[i] == (size_t)-1 ? NULL : a->buf + a->off[i];
            types[i] = a->types[i % (size_t)n];
            formats[i] = types[i] == OID_BYTEA;
        }
        if (!same) {
            Oid *mt = realloc(s->multi_types, (size_t)(n ? n : 1) * sizeof *mt);
            if (mt) {
                s->multi_types = mt;
                memcpy(mt, a->types, (size_t)n * sizeof *mt);
            }
            if (*s->multi)
                add_garbage(c, s->multi);
            snprintf(s->multi, sizeof s->multi, "m%lu", ++c->names);
            s->multi_rows = mt ? rows : 0;
            if (PQsendPrepare(c->h, s->multi, sql.data, (int)np, types) == 1)
                c->queued++;
        }
        if (PQsendQueryPrepared(c->h, s->multi, (int)np, values, a->len, formats, 0) == 1) {
            c->queued++;
            send_now(c);
        } else {
            set_msg(c, "08000", PQerrorMessage(c->h));
        }
    }
    free(values);
    free(formats);
    free(types);
    sva_buf_free(&sql);
    a->used = 0;
}

static void drop_rows(pg_conn *c);

/* Append value @p v (@p len bytes of a blob) to @p b as COPY's text format
 * has it. */
static void copy_value(sva_buf *b, const char *v, int len, Oid type)
{
    static const char hex[] = "0123456789abcdef";
    if (!v) {
        sva_buf_append(b, "\\N", 2);
        return;
    }
    if (type == OID_BYTEA) { /* bytea's hex input, its backslash escaped */
        sva_buf_append(b, "\\\\x", 3);
        for (int i = 0; i < len; i++) {
            char h[2] = {hex[(unsigned char)v[i] >> 4], hex[(unsigned char)v[i] & 15]};
            sva_buf_append(b, h, 2);
        }
        return;
    }
    const char *run = v;
    for (const char *p = v;; p++) {
        char e = *p == '\\' ? '\\' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't' : 0;
        if (!e && *p)
            continue;
        sva_buf_append(b, run, (size_t)(p - run));
        if (!*p)
            return;
        char esc[2] = {'\\', e};
        sva_buf_append(b, esc, 2);
        run = p + 1;
    }
}

/* Send the rows gathered for one statement by COPY and wait for its end.
 * @return false when it failed (kept in c). */
static bool copy_acc(pg_conn *c, pg_rows *a)
{
    pg_stmt *s = a->s;
    int n = s->n, rows = a->rows;
    a->s = NULL;
    a->rows = 0;
    bool ok = PQsendQueryParams(c->h, s->copy, 0, NULL, NULL, NULL, NULL, 0) == 1;
    PGresult *r = ok ? PQgetResult(c->h) : NULL;
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        if (r && PQresultStatus(r) == PGRES_FATAL_ERROR)
            set_error(c, r);
        else
            set_msg(c, "08000", PQerrorMessage(c->h));
        PQclear(r);
        read_to_end(c, false, true);
        a->used = 0;
        return false;
    }
    PQclear(r);
    sva_buf b = {0};
    for (int row = 0; ok && row < rows; row++) {
        for (int i = 0; i < n; i++) {
            size_t at = (size_t)row * (size_t)n + (size_t)i;
            if (i)
                sva_buf_append(&b, "\t", 1);
            copy_value(&b, a->off[at] == (size_t)-1 ? NULL : a->buf + a->off[at], a->len[at],
                       a->types[i]);
        }
        sva_buf_append(&b, "\n", 1);
        if (b.failed) {
            set_msg(c, "53200", "out of memory");
            ok = false;
        } else if (b.len >= 65536 || row == rows - 1) {
            ok = PQputCopyData(c->h, b.data, (int)b.len) == 1;
            b.len = 0;
        }
    }
    sva_buf_free(&b);
    a->used = 0;
    if (PQputCopyEnd(c->h, ok ? NULL : "svcaudit could not send the rows") != 1) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        conn_broken(c);
        return false;
    }
    return read_to_end(c, ok, !ok) && ok;
}

/* Send every statement's gathered rows, in their order: many rows by COPY
 * (one round trip each: the pipeline is left for it), else as one INSERT
 * each (queued). COPY starts no statement per row group at all and
 * converts each column's text once per column, not per parameter. */
static void send_rows(pg_conn *c)
{
    bool copy = c->n_acc > 0;
    int rows = 0;
    for (int i = 0; i < c->n_acc; i++) {
        copy = copy && c->acc[i].s->copy;
        rows += c->acc[i].rows;
    }
    if (copy && rows >= COPY_ROWS && !conn_broken(c)) {
        /* what is queued comes first: its results read, the pipeline left */
        bool ok = !c->failed;
        if (ok && c->queued) {
            ok = send_sync(c) && read_queued(c, false);
            ok = read_sync(c) && ok;
        }
        if (ok && PQexitPipelineMode(c->h) != 1) {
            set_msg(c, "08000", PQerrorMessage(c->h));
            ok = false;
        }
        for (int i = 0; ok && i < c->n_acc; i++)
            ok = copy_acc(c, &c->acc[i]);
        if (PQpipelineStatus(c->h) == PQ_PIPELINE_OFF && PQenterPipelineMode(c->h) != 1)
            conn_broken(c);
        if (!ok) { /* the transaction failed: the next read says so */
            c->failed = true;
            drop_rows(c);
        }
    }
    for (int i = 0; i < c->n_acc; i++)
        send_acc(c, &c->acc[i]);
    c->n_acc = 0;
    c->cursor = -1;
    c->rounds = false;
}

/* Is @p s's row gathered? */
static bool gathering(const pg_conn *c, const pg_stmt *s)
{
    for (int i = 0; i < c->n_acc; i++)
        if (c->acc[i].s == s)
            return true;
    return false;
}

/* Gather the row bound to @p s; false when it cannot join what is gathered
 * (the caller sends that first) or when out of memory (nothing gathered). */
static bool gather(pg_stmt *s)
{
    pg_conn *c = s->c;
    int n = s->n, j = 0;
    while (j < c->n_acc && c->acc[j].s != s)
        j++;
    if (j == c->n_acc) {
        /* a statement new to them joins at the end while that keeps the
         * order the rows were run in: before any round was marked */
        if (c->rounds || c->n_acc == MAX_GROUP)
            return false;
    } else if (j < c->cursor) {
        return false; /* run out of the first round's order */
    }
    pg_rows *a = &c->acc[j];
    if (j < c->n_acc) {
        if (a->rows == a->max || (!c->rounds && !s->copy && a->rows >= 1000))
            return false;
        /* each value of the type its column has so far (a NULL fits any) */
        for (int i = 0; i < n; i++)
            if (s->p[i].v && a->types[i] != NO_TYPE && a->types[i] != s->p[i].type)
                return false;
    }
    if (j == c->n_acc) {
        Oid *t = realloc(a->types, (size_t)(n ? n : 1) * sizeof *t);
        if (t)
            a->types = t;
        Oid *f = realloc(a->first, (size_t)(n ? n : 1) * sizeof *f);
        if (f)
            a->first = f;
        if (!t || !f)
            return false;
        for (int i = 0; i < n; i++) {
            a->types[i] = NO_TYPE;
            a->first[i] = s->p[i].type;
        }
        a->s = s;
        a->rows = 0;
        a->used = 0;
        /* a statement has at most 65535 parameters; up to 1000 rows unless
         * rounds are marked (which send them at half of that) or the rows
         * may go by COPY */
        a->max = n ? 65535 / n : 1000;
        c->n_acc++;
    }
    if ((size_t)(a->rows + 1) * (size_t)n > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        while (cap < (size_t)(a->rows + 1) * (size_t)n)
            cap *= 2;
        size_t *off = realloc(a->off, cap * sizeof *off);
        if (off)
            a->off = off;
        int *len = realloc(a->len, cap * sizeof *len);
        if (len)
            a->len = len;
        if (!off || !len)
            return false;
        a->cap = cap;
    }
    for (int i = 0; i < n; i++) {
        const pg_param *p = &s->p[i];
        size_t at = (size_t)a->rows * (size_t)n + (size_t)i;
        if (p->v)
            a->types[i] = p->type;
        a->len[at] = p->len;
        if (!p->v) {
            a->off[at] = (size_t)-1;
            continue;
        }
        size_t len = p->type == OID_BYTEA ? (size_t)p->len : strlen(p->v) + 1;
        if (a->used + len > a->size) {
            size_t size = a->size ? a->size : 4096;
            while (a->used + len > size)
                size *= 2;
            char *buf = realloc(a->buf, size);
            if (!buf)
                return false;
            a->buf = buf;
            a->size = size;
        }
        memcpy(a->buf + a->used, p->v, len);
        a->off[at] = a->used;
        a->used += len;
    }
    a->rows++;
    c->cursor = j;
    return true;
}

/* Make the connection free for the next statement: the statement being read
 * reads ahead, gathered rows are sent, finalized statements' names are
 * dropped (all queued). */
static void conn_ready(pg_conn *c)
{
    read_ahead(c);
    send_rows(c);
    if (c->n_garbage && PQtransactionStatus(c->h) != PQTRANS_INERROR) {
        for (size_t i = 0; i < c->n_garbage; i++) {
            char sql[48];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", c->garbage[i]);
            if (PQsendQueryParams(c->h, sql, 0, NULL, NULL, NULL, NULL, 0) == 1)
                c->queued++;
            free(c->garbage[i]);
        }
        c->n_garbage = 0;
    }
}

/* Rewrite ?N (and a bare ?) to $N outside quotes; count the parameters. */
static char *rewrite(const char *sql, int *n)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 2 + 1);
    if (!out)
        return NULL;
    char *o = out;
    int max = 0, next = 1;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p && *p != q)
                *o++ = *p++;
            if (*p)
                *o++ = *p++;
        } else if (*p == '?') {
            p++;
            int k = 0;
            while (*p >= '0' && *p <= '9' && k < 10000)
                k = k * 10 + (*p++ - '0');
            if (!k)
                k = next;
            next = k + 1;
            if (k > max)
                max = k;
            o += sprintf(o, "$%d", k);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *n = max;
    return out;
}

/* Does @p sql return no rows (INSERT, UPDATE, DELETE without RETURNING)? */
static bool returns_nothing(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE"};
    bool dml = false;
    for (size_t i = 0; i < 3; i++)
        dml |= strncasecmp(sql, verbs[i], 6) == 0;
    if (!dml)
        return false;
    for (const char *p = sql; *p; p++)
        if (strncasecmp(p, "RETURNING", 9) == 0)
            return false;
    return true;
}

/* An INSERT INTO t(c, ...) VALUES(...) with parameters and nothing after:
 * keep its head and tuple, so that its rows may be gathered. */
static void split_insert(pg_stmt *s)
{
    const char *q = s->sql;
    while (*q == ' ')
        q++;
    if (strncasecmp(q, "INSERT INTO ", 12) != 0)
        return;
    const char *v = NULL;
    for (const char *p = q; *p; p++)
        if (strncasecmp(p, " VALUES", 7) == 0) {
            v = p + 7;
            break;
        }
    if (!v)
        return;
    while (*v == ' ')
        v++;
    if (*v != '(')
        return;
    int depth = 0;
    const char *e = v;
    for (; *e; e++) {
        if (*e == '\'') {
            for (e++; *e && *e != '\''; e++)
                ;
            if (!*e)
                return;
        } else if (*e == '(') {
            depth++;
        } else if (*e == ')' && --depth == 0) {
            break;
        }
    }
    if (!*e)
        return;
    for (const char *t = e + 1; *t; t++)
        if (*t != ' ' && *t != '\n' && *t != ';')
            return; /* ON CONFLICT, RETURNING, ...: as it is */
    s->ins_head = malloc((size_t)(v - s->sql) + 1);
    s->tuple = malloc((size_t)(e - v) + 2);
    if (!s->ins_head || !s->tuple) {
        free(s->ins_head);
        free(s->tuple);
        s->ins_head = s->tuple = NULL;
        return;
    }
    memcpy(s->ins_head, s->sql, (size_t)(v - s->sql));
    s->ins_head[v - s->sql] = '\0';
    memcpy(s->tuple, v, (size_t)(e - v) + 1);
    s->tuple[e - v + 1] = '\0';
    /* ($1, $2, ..., $n): its rows may go by COPY t(c, ...) FROM STDIN */
    const char *t = s->tuple + 1;
    int k = 1;
    for (;; k++) {
        while (*t == ' ')
            t++;
        char want[16];
        int wl = snprintf(want, sizeof want, "$%d", k);
        if (strncmp(t, want, (size_t)wl) != 0)
            return;
        t += wl;
        while (*t == ' ')
            t++;
        if (*t == ')')
            break;
        if (*t++ != ',')
            return;
    }
    if (k != s->n || t[1])
        return;
    const char *into = s->ins_head;
    while (*into == ' ')
        into++;
    into += 12; /* after INSERT INTO */
    while (*into == ' ')
        into++;
    size_t il = strlen(into);
    while (il && into[il - 1] == ' ')
        il--;
    if (il < 6 || strncasecmp(into + il - 6, "VALUES", 6) != 0)
        return;
    il -= 6;
    s->copy = sva_asprintf("COPY %.*s FROM STDIN", (int)il, into);
}

static sva_error pg_prepare(sql_conn *pc, const char *sql, sql_stmt **out)
{
    pg_conn *c = (pg_conn *)pc;
    *out = NULL;
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return SVA_ERR_NOMEM;
    s->head.drv = &sql_pg_driver;
    s->c = c;
    s->sql = rewrite(sql, &s->n);
    s->no_rows = returns_nothing(sql);
    if (s->sql && s->n)
        split_insert(s);
    if (!s->sql || (s->n && (!(s->p = calloc((size_t)s->n, sizeof *s->p)) ||
                             !(s->types = calloc((size_t)s->n, sizeof *s->types)) ||
                             !(s->named_types = calloc((size_t)s->n, sizeof *s->types))))) {
        free(s->sql);
        free(s->p);
        free(s->types);
        free(s->named_types);
        free(s);
        return SVA_ERR_NOMEM;
    }
    /* PostgreSQL parses at the first run: a statement that cannot be
     * prepared fails there, with the server's message */
    *out = (sql_stmt *)s;
    return SVA_OK;
}

static void unbind(pg_stmt *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->p[i].own);
        memset(&s->p[i], 0, sizeof s->p[i]);
    }
}

static void pg_reset(sql_stmt *ps)
{
    pg_stmt *s = (pg_stmt *)ps;
    if (s->c->streaming == s)
        read_ahead(s->c);
    clear_rows(s);
    s->state = ST_IDLE;
    unbind(s);
}

static void pg_finalize(sql_stmt *ps)
{
    pg_stmt *s = (pg_stmt *)ps;
    pg_conn *c = s->c;
    if (gathering(c, s))
        conn_ready(c); /* its gathered rows go now */
    pg_reset(ps);
    if (*s->name)
        add_garbage(c, s->name);
    if (*s->multi)
        add_garbage(c, s->multi);
    free(s->multi_types);
    free(s->buf);
    free(s->p);
    free(s->types);
    free(s->named_types);
    free(s->sql);
    free(s->ins_head);
    free(s->tuple);
    free(s->copy);
    free(s);
}

static pg_param *param(pg_stmt *s, int i)
{
    if (i < 1 || i > s->n)
        return NULL;
    pg_param *p = &s->p[i - 1];
    free(p->own);
    memset(p, 0, sizeof *p);
    return p;
}

static void pg_bind_text(sql_stmt *ps, int i, const char *v, bool copy)
{
    pg_param *p = param((pg_stmt *)ps, i);
    if (!p)
        return;
    p->type = OID_TEXT;
    if (v && copy) {
        p->own = sva_strdup(v);
        p->v = p->own;
    } else {
        p->v = v;
    }
}

static void pg_bind_int(sql_stmt *ps, int i, long long v)
{
    pg_param *p = param((pg_stmt *)ps, i);
    if (!p)
        return;
    snprintf(p->num, sizeof p->num, "%lld", v);
    p->v = p->num;
}

static void pg_bind_double(sql_stmt *ps, int i, double v)
{
    pg_param *p = param((pg_stmt *)ps, i);
    if (!p)
        return;
    snprintf(p->num, sizeof p->num, "%.17g", v);
    p->v = p->num;
}

static void pg_bind_blob(sql_stmt *ps, int i, const void *v, size_t n)
{
    pg_param *p = param((pg_stmt *)ps, i);
    if (!p)
        return;
    p->type = OID_BYTEA;
    p->v = v ? v : "";
    p->len = (int)n;
}

static void pg_bind_null(sql_stmt *ps, int i)
{
    param((pg_stmt *)ps, i);
}

/* Prepare @p s under a new name with the types of its parameters now, and
 * wait for the server's answer. */
static bool prepare_named(pg_stmt *s)
{
    pg_conn *c = s->c;
    if (*s->name) { /* prepared with other types: drop that one */
        add_garbage(c, s->name);
        *s->name = '\0';
    }
    char name[24];
    snprintf(name, sizeof name, "s%lu", ++c->names);
    if (PQsendPrepare(c->h, name, s->sql, s->n, s->types) != 1) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        return false;
    }
    if (!send_sync(c))
        return false;
    bool ok = read_queued(c, false);
    bool mine = read_to_end(c, ok, false);
    bool synced = read_sync(c);
    if (ok && mine && synced) {
        memcpy(s->name, name, sizeof name);
        if (s->n)
            memcpy(s->named_types, s->types, (size_t)s->n * sizeof *s->types);
    }
    return ok && mine && synced;
}

/* Send one run of @p s (not waiting). */
static bool send_stmt(pg_stmt *s)
{
    pg_conn *c = s->c;
    const char *values[s->n ? s->n : 1];
    int lengths[s->n ? s->n : 1], formats[s->n ? s->n : 1];
    for (int i = 0; i < s->n; i++) {
        values[i] = s->p[i].v;
        lengths[i] = s->p[i].len;
        formats[i] = s->p[i].type == OID_BYTEA;
        s->types[i] = s->p[i].type;
    }
    bool same = !*s->name ||
                !s->n || memcmp(s->types, s->named_types, (size_t)s->n * sizeof *s->types) == 0;
    int ok;
    if (s->runs == 0) {
        ok = PQsendQueryParams(c->h, s->sql, s->n, s->types, values, lengths, formats, 0);
    } else {
        if ((!*s->name || !same) && !prepare_named(s))
            return false;
        ok = PQsendQueryPrepared(c->h, s->name, s->n, values, lengths, formats, 0);
    }
    if (ok != 1) {
        conn_broken(c);
        set_msg(c, "08000", PQerrorMessage(c->h));
        return false;
    }
    s->runs++;
    return true;
}

/* Run @p s: queue it (a statement returning nothing, in a transaction) or
 * send it and read its first result. */
static int run(pg_stmt *s)
{
    pg_conn *c = s->c;
    c->gathered = false;
    if (c->in_tx && s->tuple && !conn_broken(c)) {
        for (int i = 0; i < s->n; i++)
            s->types[i] = s->p[i].type;
        if (!gather(s)) {
            conn_ready(c); /* what was gathered goes first */
            if (!gather(s)) {
                set_msg(c, "53200", "out of memory");
                return SQL_ERROR;
            }
        }
        c->gathered = true;
        s->state = ST_DONE;
        if (c->queued >= MAX_QUEUED && !sync_all(c, false))
            return SQL_ERROR;
        return SQL_DONE;
    }
    for (int attempt = 0;; attempt++) {
        conn_ready(c);
        if (conn_broken(c))
            return SQL_ERROR;
        if (!send_stmt(s))
            return SQL_ERROR;
        if (c->in_tx && s->no_rows) {
            c->queued++;
            send_now(c);
            s->state = ST_DONE;
            if (c->queued >= MAX_QUEUED && !sync_all(c, false))
                return SQL_ERROR;
            return SQL_DONE;
        }
        if (!send_sync(c))
            return SQL_ERROR;
        bool before = read_queued(c, false);
        if (!before) { /* an earlier queued statement failed: this one was skipped */
            char *m = sva_strdup(c->msg ? c->msg : "");
            sql_fault f = c->fault;
            char state[6];
            memcpy(state, c->sqlstate, sizeof state);
            read_to_end(c, false, true);
            read_sync(c);
            set_msg(c, state, m ? m : "");
            c->fault = f;
            free(m);
            s->state = ST_DONE;
            return SQL_ERROR;
        }
        PQsetSingleRowMode(c->h);
        c->streaming = s;
        s->state = ST_STREAM;
        int r = read_next(s);
        if (r == SQL_ERROR && retryable(c) && !c->in_tx && attempt < MAX_RETRIES) {
            backoff(attempt);
            s->state = ST_IDLE;
            continue;
        }
        return r;
    }
}

static int pg_step(sql_stmt *ps)
{
    pg_stmt *s = (pg_stmt *)ps;
    pg_conn *c = s->c;
    PQfreemem(s->blob);
    s->blob = NULL;
    switch (s->state) {
    case ST_IDLE:
        return run(s);
    case ST_STREAM:
        if (s->cur && ++s->row < s->nrows)
            return SQL_ROW;
        return read_next(s);
    case ST_BUFFERED:
        if (s->cur && ++s->row < s->nrows)
            return SQL_ROW;
        PQclear(s->cur);
        s->cur = NULL;
        if (s->ibuf < s->nbuf) {
            s->cur = s->buf[s->ibuf++];
            s->row = 0;
            s->nrows = PQntuples(s->cur);
            return SQL_ROW;
        }
        s->state = ST_DONE;
        if (s->end == SQL_ERROR) {
            set_msg(c, s->end_fault == SQL_FAULT_BUSY ? "55P03" : "XX000",
                    s->end_msg ? s->end_msg : "unknown error");
            c->fault = s->end_fault;
            return SQL_ERROR;
        }
        return SQL_DONE;
    default:
        return SQL_DONE;
    }
}

/* ---- columns ------------------------------------------------------------------- */

static bool has_row(pg_stmt *s, int col)
{
    return s->cur && s->row < s->nrows && col >= 0 && col < PQnfields(s->cur);
}

static sql_kind pg_column_kind(sql_stmt *ps, int col)
{
    pg_stmt *s = (pg_stmt *)ps;
    if (!has_row(s, col) || PQgetisnull(s->cur, s->row, col))
        return SQL_NULL;
    switch (PQftype(s->cur, col)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        return SQL_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
        return SQL_REAL;
    case OID_NUMERIC:
        return strpbrk(PQgetvalue(s->cur, s->row, col), ".eEIN") ? SQL_REAL : SQL_INT;
    case OID_BYTEA:
        return SQL_BLOB;
    default:
        return SQL_TEXT;
    }
}

static const char *pg_text(sql_stmt *ps, int col)
{
    pg_stmt *s = (pg_stmt *)ps;
    if (!has_row(s, col) || PQgetisnull(s->cur, s->row, col))
        return NULL;
    const char *v = PQgetvalue(s->cur, s->row, col);
    if (PQftype(s->cur, col) == OID_BOOL) /* as SQLite shows a comparison */
        return *v == 't' ? "1" : "0";
    return v;
}

static long long pg_int(sql_stmt *ps, int col)
{
    pg_stmt *s = (pg_stmt *)ps;
    if (!has_row(s, col) || PQgetisnull(s->cur, s->row, col))
        return 0;
    const char *v = PQgetvalue(s->cur, s->row, col);
    switch (PQftype(s->cur, col)) {
    case OID_BOOL:
        return *v == 't';
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return (long long)strtod(v, NULL);
    default:
        return strtoll(v, NULL, 10);
    }
}

static double pg_double(sql_stmt *ps, int col)
{
    pg_stmt *s = (pg_stmt *)ps;
    if (!has_row(s, col) || PQgetisnull(s->cur, s->row, col))
        return 0;
    const char *v = PQgetvalue(s->cur, s->row, col);
    if (PQftype(s->cur, col) == OID_BOOL)
        return *v == 't';
    return strtod(v, NULL);
}

static const void *pg_blob(sql_stmt *ps, int col, size_t *n)
{
    pg_stmt *s = (pg_stmt *)ps;
    *n = 0;
    if (!has_row(s, col) || PQgetisnull(s->cur, s->row, col))
        return NULL;
    const char *v = PQgetvalue(s->cur, s->row, col);
    if (PQftype(s->cur, col) != OID_BYTEA) {
        *n = (size_t)PQgetlength(s->cur, s->row, col);
        return v;
    }
    PQfreemem(s->blob);
    s->blob = PQunescapeBytea((const unsigned char *)v, n);
    return s->blob;
}

/* ---- connections --------------------------------------------------------------- */


/* A schema name svcaudit accepts: lower-case letters, digits, _; not first a digit. */
static bool schema_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63 || (*s >= '0' && *s <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Split @p url into the URL libpq is given (without svcaudit's own
 * ?schema=NAME), the schema, and the name shown in messages (the password,
 * if any, replaced by ***). @return false with a message in @p why (and the
 * shown name, when there is memory for it). */
static bool split_url(const char *url, char **conninfo, char *schema, char **shown,
                      const char **why)
{
    *conninfo = *shown = NULL;
    *why = NULL;
    snprintf(schema, 64, "svcaudit");
    size_t n = strlen(url);
    char *ci = malloc(n + 1), *sh = malloc(n + 1);
    if (!ci || !sh) {
        free(ci);
        free(sh);
        *why = "out of memory";
        return false;
    }
    const char *q = strchr(url, '?');
    size_t base = q ? (size_t)(q - url) : n;
    memcpy(ci, url, base);
    ci[base] = '\0';
    /* the shown name: user:password@ becomes user:***@ */
    const char *auth = strstr(url, "://") + 3;
    const char *auth_end = auth + strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        size_t k = (size_t)(colon - url) + 1;
        memcpy(sh, url, k);
        strcpy(sh + k, "***");
        size_t rest = base - (size_t)(at - url);
        memcpy(sh + k + 3, at, rest);
        sh[k + 3 + rest] = '\0';
    } else {
        memcpy(sh, url, base);
        sh[base] = '\0';
    }
    bool first = true, first_shown = true;
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&");
        if (len >= 7 && strncmp(p, "schema=", 7) == 0) {
            if (!schema_ok(p + 7, len - 7))
                *why = "bad ?schema= (want a name of a-z, 0-9 and _, at most 63, "
                       "not starting with a digit)";
            else {
                memcpy(schema, p + 7, len - 7);
                schema[len - 7] = '\0';
            }
        } else if (len) {
            strcat(ci, first ? "?" : "&");
            strncat(ci, p, len);
            first = false;
        }
        if (len) {
            strcat(sh, first_shown ? "?" : "&");
            first_shown = false;
            if (len >= 9 && strncmp(p, "password=", 9) == 0)
                strcat(sh, "password=***");
            else
                strncat(sh, p, len);
        }
        p += len;
        if (*p == '&')
            p++;
    }
    *shown = sh;
    if (*why) {
        free(ci);
        return false;
    }
    *conninfo = ci;
    return true;
}

/* Add "WHAT: MESSAGE" (libpq's, one line) to @p d, any password of @p url in
 * it (libpq quotes a URL it cannot parse) starred out. */
static void add_scrubbed(sva_diag *d, const char *shown, const char *url, const char *what,
                         const char *msg)
{
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(msg, "\n"), msg);
    char *fatal = strstr(line, "FATAL:  "); /* the server's severity, in libpq's words */
    if (fatal)
        memmove(fatal, fatal + 8, strlen(fatal + 8) + 1);
    /* the passwords: after user: in the authority, and password= */
    const char *auth = strstr(url, "://") + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    const char *secrets[2] = {NULL, NULL};
    size_t lens[2] = {0, 0};
    if (colon) {
        secrets[0] = colon + 1;
        lens[0] = (size_t)(at - colon - 1);
    }
    const char *pw = strstr(url, "password=");
    if (pw) {
        secrets[1] = pw + 9;
        lens[1] = strcspn(secrets[1], "&");
    }
    for (int k = 0; k < 2; k++) {
        if (!secrets[k] || !lens[k])
            continue;
        for (char *hit = line; *hit; hit++)
            if (strncmp(hit, secrets[k], lens[k]) == 0)
                memset(hit, '*', lens[k]);
    }
    sva_diag_add(d, shown, 0, "%s: %s", what, line);
}

static void pg_shown(const char *target, char *buf, size_t size)
{
    char schema[64];
    char *conninfo = NULL, *shown = NULL;
    const char *why;
    split_url(target, &conninfo, schema, &shown, &why);
    snprintf(buf, size, "%s", shown ? shown : "postgresql://...");
    free(conninfo);
    free(shown);
}

static void pg_close(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    if (!c)
        return;
    if (c->h)
        PQfinish(c->h);
    for (size_t i = 0; i < c->n_garbage; i++)
        free(c->garbage[i]);
    free(c->garbage);
    for (int i = 0; i < MAX_GROUP; i++) {
        free(c->acc[i].types);
        free(c->acc[i].first);
        free(c->acc[i].off);
        free(c->acc[i].len);
        free(c->acc[i].buf);
    }
    free(c->msg);
    free(c->head.target);
    free(c);
}

/* Run @p sql (no parameters but $1 = the schema name) outside pipeline
 * mode; the single row's text columns are copied to @p out (up to @p n). */
static bool setup_query(pg_conn *c, const char *sql, const char *arg, char out[][16], int n)
{
    const char *values[1] = {arg};
    PGresult *r = PQexecParams(c->h, sql, arg ? 1 : 0, NULL, arg ? values : NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
    if (!ok)
        set_error(c, r);
    for (int i = 0; ok && i < n; i++)
        snprintf(out[i], 16, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, i) : "");
    PQclear(r);
    return ok;
}

static sva_error pg_open(const char *target, unsigned flags, sql_conn **out, bool *empty_out,
                         sva_diag *d)
{
    *out = NULL;
    char schema[64];
    char *conninfo = NULL, *shown = NULL;
    const char *why = NULL;
    if (!split_url(target, &conninfo, schema, &shown, &why)) {
        sva_diag_add(d, shown ? shown : "postgresql://...", 0, "bad database URL: %s", why);
        free(shown);
        return SVA_ERR_DB;
    }
    pg_conn *c = calloc(1, sizeof *c);
    if (c)
        c->cursor = -1;
    sva_error rc = SVA_ERR_DB;
    if (!c) {
        free(conninfo);
        free(shown);
        return SVA_ERR_NOMEM;
    }
    c->head.drv = &sql_pg_driver;
    c->head.target = shown;
    memcpy(c->schema, schema, sizeof c->schema);
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
    if (!opts) {
        add_scrubbed(d, shown, target, "bad database URL", err ? err : "out of memory");
        PQfreemem(err);
        goto fail;
    }
    PQconninfoFree(opts);
    /* the URL may set its own connect_timeout; the encoding is always UTF-8 */
    const char *const keys[] = {"connect_timeout", "dbname", "client_encoding",
                                "fallback_application_name", NULL};
    const char *const vals[] = {"10", conninfo, "UTF8", "svcaudit", NULL};
    c->h = PQconnectdbParams(keys, vals, 1);
    if (!c->h) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    if (PQstatus(c->h) != CONNECTION_OK) {
        add_scrubbed(d, shown, target, "cannot connect", PQerrorMessage(c->h));
        goto fail;
    }
    if (PQserverVersion(c->h) < 130000) {
        sva_diag_add(d, shown, 0, "PostgreSQL %d.%d is too old (svcaudit needs 13 or later)",
                     PQserverVersion(c->h) / 10000, PQserverVersion(c->h) / 100 % 100);
        goto fail;
    }
    char *quoted = PQescapeIdentifier(c->h, schema, strlen(schema));
    if (!quoted) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    /* the schema first on the search path (PostgreSQL's own catalogue is
     * searched before it), a lock timeout unless the session has one, and
     * whether the schema exists and holds tables */
    char row[2][16];
    bool ok = setup_query(c,
                          "SELECT set_config('search_path', $1, false),"
                          " set_config('lock_timeout', CASE WHEN current_setting('lock_timeout')"
                          "  IN ('0', '0ms') THEN '30s' ELSE current_setting('lock_timeout') END,"
                          "  false)",
                          quoted, NULL, 0) &&
              setup_query(c,
                          "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace"
                          "  WHERE nspname = $1),"
                          " (SELECT count(*) FROM pg_catalog.pg_class k"
                          "  JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace"
                          "  WHERE n.nspname = $1 AND k.relkind IN ('r', 'p', 'v', 'm', 'f'))",
                          schema, row, 2);
    if (ok && (flags & SQL_OPEN_READONLY))
        ok = setup_query(c, "SET default_transaction_read_only = on", NULL, NULL, 0);
    bool exists = ok && strcmp(row[0], "0") != 0;
    bool empty = ok && strcmp(row[1], "0") == 0;
    if (ok && !exists && !(flags & SQL_OPEN_CREATE)) {
        PQfreemem(quoted);
        sva_diag_add(d, shown, 0, "no svcaudit schema '%s' in this database (create it with "
                     "'svcaudit init', or choose another with ?schema=NAME)", schema);
        rc = SVA_ERR_NOT_FOUND;
        goto fail;
    }
    if (ok && !exists) {
        /* under the schema's lock, so that two inits at once do not collide;
         * the name is checked (schema_ok) and quoted, never user SQL */
        char sql[200];
        snprintf(sql, sizeof sql,
                 "BEGIN; SELECT pg_advisory_xact_lock(" LOCK_CLASS ", hashtext('%s'));"
                 " CREATE SCHEMA IF NOT EXISTS %s; COMMIT",
                 schema, quoted);
        PGresult *r = PQexec(c->h, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            set_error(c, r);
            PQclear(PQexec(c->h, "ROLLBACK"));
        }
        PQclear(r);
        empty = true;
    }
    PQfreemem(quoted);
    if (!ok) {
        sva_diag_add(d, shown, 0, "cannot open the schema '%s': %s", schema,
                     c->msg ? c->msg : "unknown error");
        goto fail;
    }
    if (PQenterPipelineMode(c->h) != 1) {
        sva_diag_add(d, shown, 0, "cannot open: %s", PQerrorMessage(c->h));
        goto fail;
    }
    free(conninfo);
    if (empty_out)
        *empty_out = empty;
    *out = (sql_conn *)c;
    return SVA_OK;
fail:
    free(conninfo);
    pg_close((sql_conn *)c);
    return rc;
}

/* ---- simple statements and transactions -------------------------------------- */

/* Run @p sql, which may hold several statements, outside pipeline mode. */
static sva_error pg_exec(sql_conn *pc, const char *sql)
{
    pg_conn *c = (pg_conn *)pc;
    conn_ready(c);
    if (!sync_all(c, false))
        return SVA_ERR_DB;
    if (PQexitPipelineMode(c->h) != 1) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        return SVA_ERR_DB;
    }
    sva_error rc = SVA_OK;
    if (!PQsendQuery(c->h, sql)) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        rc = SVA_ERR_DB;
    } else {
        PGresult *r;
        while ((r = PQgetResult(c->h))) {
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_FATAL_ERROR && !rc) {
                set_error(c, r);
                rc = SVA_ERR_DB;
            } else if (st == PGRES_COMMAND_OK) {
                note_changes(c, r);
            }
            PQclear(r);
        }
    }
    if (PQenterPipelineMode(c->h) != 1 && !rc) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        rc = SVA_ERR_DB;
    }
    if (conn_broken(c))
        rc = SVA_ERR_DB;
    return rc;
}

/* Run transaction control statements @p sql[0..n) (the first may take the
 * schema as $1) in one round trip, after every queued statement. With
 * @p quiet, failures of the queued statements are not reported (a rollback
 * follows them). */
static bool control(pg_conn *c, const char *const *sql, int n, bool quiet)
{
    conn_ready(c);
    if (conn_broken(c))
        return false;
    for (int i = 0; i < n; i++) {
        const char *values[1] = {c->schema};
        bool arg = strstr(sql[i], "$1") != NULL;
        if (PQsendQueryParams(c->h, sql[i], arg, NULL, arg ? values : NULL, NULL, NULL, 0) !=
            1) {
            set_msg(c, "08000", PQerrorMessage(c->h));
            conn_broken(c);
            return false;
        }
    }
    if (!send_sync(c))
        return false;
    bool ok = read_queued(c, quiet);
    for (int i = 0; i < n; i++) {
        PGresult *r;
        bool mine = true;
        while ((r = PQgetResult(c->h))) {
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_FATAL_ERROR) {
                if (ok && mine)
                    set_error(c, r);
                mine = false;
            } else if (st == PGRES_PIPELINE_ABORTED) {
                mine = false;
            } else if (st == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "ROLLBACK") == 0 &&
                       strcmp(sql[i], "COMMIT") == 0) {
                /* COMMIT of a failed transaction rolls it back */
                if (ok && mine)
                    set_msg(c, "40000", "the transaction failed and was rolled back");
                mine = false;
            }
            PQclear(r);
            if (conn_broken(c))
                return false;
        }
        ok = ok && mine;
    }
    return read_sync(c) && ok;
}

static sva_error pg_begin(sql_conn *pc, bool write)
{
    pg_conn *c = (pg_conn *)pc;
    static const char *const w[] = {
        "BEGIN ISOLATION LEVEL READ COMMITTED",
        "SELECT pg_advisory_xact_lock(" LOCK_CLASS ", hashtext($1))"};
    static const char *const r[] = {"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"};
    static const char *const rb[] = {"ROLLBACK"};
    for (int attempt = 0;; attempt++) {
        if (control(c, write ? w : r, write ? 2 : 1, false)) {
            c->in_tx = true;
            return SVA_OK;
        }
        char state[6];
        memcpy(state, c->sqlstate, sizeof state);
        char *m = sva_strdup(c->msg ? c->msg : "");
        sql_fault f = c->fault;
        control(c, rb, 1, true);
        set_msg(c, state, m ? m : "");
        c->fault = f;
        free(m);
        if (!retryable(c) || attempt >= MAX_RETRIES)
            return SVA_ERR_DB;
        backoff(attempt);
    }
}

static sva_error pg_commit(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    static const char *const sql[] = {"COMMIT"};
    bool ok = control(c, sql, 1, false);
    if (ok || PQtransactionStatus(c->h) == PQTRANS_IDLE)
        c->in_tx = false;
    return ok ? SVA_OK : SVA_ERR_DB;
}

/* Forget the gathered rows (they would be rolled back). */
static void drop_rows(pg_conn *c)
{
    for (int i = 0; i < c->n_acc; i++) {
        c->acc[i].s = NULL;
        c->acc[i].rows = 0;
        c->acc[i].used = 0;
    }
    c->n_acc = 0;
    c->cursor = -1;
    c->rounds = false;
}

static void pg_rollback(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    static const char *const sql[] = {"ROLLBACK"};
    drop_rows(c);
    char *m = c->msg ? sva_strdup(c->msg) : NULL;
    control(c, sql, 1, true);
    c->in_tx = false;
    if (m) { /* keep the message of the failure that led here */
        free(c->msg);
        c->msg = m;
    }
}

static sva_error pg_savepoint(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    conn_ready(c);
    if (PQsendQueryParams(c->h, "SAVEPOINT sva_write", 0, NULL, NULL, NULL, NULL, 0) != 1) {
        set_msg(c, "08000", PQerrorMessage(c->h));
        return SVA_ERR_DB;
    }
    c->queued++;
    return SVA_OK;
}

static sva_error pg_release(sql_conn *pc)
{
    static const char *const sql[] = {"RELEASE SAVEPOINT sva_write"};
    return control((pg_conn *)pc, sql, 1, false) ? SVA_OK : SVA_ERR_DB;
}

static void pg_rollback_to(sql_conn *pc)
{
    static const char *const sql[] = {"ROLLBACK TO SAVEPOINT sva_write",
                                      "RELEASE SAVEPOINT sva_write"};
    pg_conn *c = (pg_conn *)pc;
    char *m = c->msg ? sva_strdup(c->msg) : NULL;
    drop_rows(c); /* gathered since the savepoint, which sent what came before */
    control(c, sql, 2, true);
    if (m) {
        free(c->msg);
        c->msg = m;
    }
}

/* See sql_round. */
static void pg_round(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    if (!c->n_acc)
        return; /* the round to come is their first */
    for (int i = 0; i < c->n_acc; i++)
        if ((long)c->acc[i].rows * c->acc[i].s->n >= ROUND_PARAMS) {
            conn_ready(c);
            return;
        }
    c->rounds = true;
    c->cursor = -1;
}

static long long pg_changes(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    bool gathered = c->gathered; /* the last INSERT wrote one row of those sent */
    if (!sync_all(c, false))
        return 0;
    return gathered ? 1 : c->changes;
}

/* ---- the schema version ------------------------------------------------------------ */

static long pg_schema_version(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    sql_stmt *q;
    if (pg_prepare(pc, "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ?1"
                       " AND tablename = 'meta'",
                   &q))
        return -1;
    pg_bind_text(q, 1, c->schema, false);
    int r = pg_step(q);
    pg_finalize(q);
    if (r != SQL_ROW)
        return r == SQL_DONE ? 0 : -1; /* no meta table: version 0 */
    if (pg_prepare(pc, "SELECT value FROM meta WHERE key = 'schema_version'", &q))
        return -1;
    r = pg_step(q);
    long v = -1;
    if (r == SQL_DONE) {
        v = 0;
    } else if (r == SQL_ROW) {
        const char *t = pg_text(q, 0);
        char *end;
        errno = 0;
        v = t ? strtol(t, &end, 10) : 0;
        if (t && (errno || end == t || *end || v < 0))
            v = -1;
    }
    pg_finalize(q);
    return v;
}

static sva_error pg_set_schema_version(sql_conn *pc, long v)
{
    sql_stmt *q;
    if (pg_prepare(pc, "INSERT INTO meta(key, value) VALUES('schema_version', ?1)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   &q))
        return SVA_ERR_DB;
    char num[32];
    snprintf(num, sizeof num, "%ld", v);
    pg_bind_text(q, 1, num, true);
    int r = pg_step(q);
    pg_finalize(q);
    return r == SQL_DONE ? SVA_OK : SVA_ERR_DB;
}

static sql_fault pg_last_fault(sql_conn *pc)
{
    return ((pg_conn *)pc)->fault;
}

static const char *pg_errmsg(sql_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    return c->msg && *c->msg ? c->msg : "unknown error";
}

static const sql_driver sql_pg_driver = {
    .name = "postgresql",
    .thing = "a PostgreSQL schema",
    .catalog_sql =
        "SELECT 'column', k.relname, a.attname,"
        " CASE WHEN a.atttypid IN (20, 21, 23) THEN 'int' WHEN a.atttypid IN (700, 701)"
        "  THEN 'real' WHEN a.atttypid = 25 THEN 'text' WHEN a.atttypid = 17 THEN 'blob'"
        "  ELSE format_type(a.atttypid, a.atttypmod) END,"
        " a.attnotnull::int, coalesce(array_position(i.indkey::int2[], a.attnum) + 1, 0)"
        " FROM pg_catalog.pg_class k"
        " JOIN pg_catalog.pg_attribute a ON a.attrelid = k.oid AND a.attnum > 0"
        "  AND NOT a.attisdropped"
        " LEFT JOIN pg_catalog.pg_index i ON i.indrelid = k.oid AND i.indisprimary"
        " WHERE k.relnamespace = current_schema()::regnamespace AND k.relkind = 'r'"
        " UNION ALL SELECT 'index', t.relname, x.relname, '', 0, 0"
        " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid"
        " JOIN pg_catalog.pg_class t ON t.oid = i.indrelid"
        " WHERE t.relnamespace = current_schema()::regnamespace AND NOT EXISTS"
        "  (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid)"
        " UNION ALL SELECT 'trigger', t.relname, g.tgname, '', 0, 0"
        " FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid"
        " WHERE t.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal"
        /* what SQLite has without triggers: foreign keys (schema 8), no TRUNCATE */
        "  AND g.tgname NOT LIKE 'fk\\_%' AND g.tgname NOT LIKE 'no\\_truncate\\_%'"
        " ORDER BY 1, 2, 3",
    /* the foreign keys, and the triggers that stand for some (schema 8) */
    .defer_sql = "SET CONSTRAINTS ALL DEFERRED; SET LOCAL svcaudit.defer_checks = 'on'",
    .claims = sql_pg_claims,
    .shown = pg_shown,
    .open = pg_open,
    .close = pg_close,
    .migrations = pg_migrations,
    .schema_version = pg_schema_version,
    .set_schema_version = pg_set_schema_version,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_kind = pg_column_kind,
    .text = pg_text,
    .int64 = pg_int,
    .dbl = pg_double,
    .blob = pg_blob,
    .exec = pg_exec,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .round = pg_round,
    .last_fault = pg_last_fault,
    .errmsg = pg_errmsg,
};

/* what the module exports (see sql_pg_load.c) */
const sql_pg_module_info sql_pg_module = {SVA_VERSION, sizeof(sql_driver), &sql_pg_driver};

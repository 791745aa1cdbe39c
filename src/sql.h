/* svcaudit: the statement layer under the store (internal): connections,
 * prepared statements, binding, stepping, columns and transactions, the same
 * for every database engine. Each engine is one driver file (sql_sqlite.c:
 * the only file that includes <sqlite3.h>; sql_pg.c, the only one that
 * includes <libpq-fe.h>) that fills an sql_driver; nothing above this header
 * knows which driver runs. A program may hold connections of several
 * engines at once (copy reads one and writes the other).
 *
 * SQL is written once, with numbered parameters ?1, ?2, ... (a driver whose
 * engine spells them otherwise rewrites them) and in the dialect the engines
 * share (SQLite 3.40, PostgreSQL 13 and later); what differs lives in the
 * drivers (their schemas as migrations, transactions, sql_batch). Statements
 * are always prepared: no SQL is built from user data. The shared dialect:
 *   - upserts are INSERT ... ON CONFLICT(key) DO UPDATE SET c = excluded.c or
 *     DO NOTHING, never INSERT OR REPLACE / OR IGNORE; new ids come back with
 *     RETURNING id;
 *   - values that may be NULL compare with IS [NOT] DISTINCT FROM, not IS;
 *   - a comparison is a boolean, not 0 or 1: count with
 *     sum(CASE WHEN c THEN 1 ELSE 0 END), test integer flags as x = 1; a
 *     parameter may stand for a boolean (bound 0 or 1);
 *   - a parameter tested with IS NULL is bound with sql_bind_text (NULL or
 *     not: it is then text for every engine); an integer one is compared
 *     with a value instead (?3 = 0 OR version = ?3);
 *   - every column selected beside an aggregate is grouped by; rows come in
 *     the order an ORDER BY gives in full (no engine promises the order of a
 *     GROUP BY or of an index); floating-point sums whose last bits reach an
 *     output are summed in C over rows in a given order;
 *   - CROSS JOIN has no ON (its condition goes to WHERE); no PRAGMA, ATTACH
 *     or temp tables above the drivers (but merge's quick_check of the file it
 *     receives, always an SQLite file, on that file's own connection);
 *   - text compares and sorts as bytes in both engines. */
#ifndef SVA_SQL_H
#define SVA_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/error.h"

typedef struct sql_conn sql_conn;
typedef struct sql_stmt sql_stmt;

/** What sql_step returns. */
enum { SQL_ERROR = -1, SQL_DONE = 0, SQL_ROW = 1 };

/** The kind of a column's value in the current row. */
typedef enum sql_kind { SQL_NULL, SQL_INT, SQL_REAL, SQL_TEXT, SQL_BLOB } sql_kind;

/** How a connection is opened. */
enum {
    SQL_OPEN_CREATE = 1u << 0,   /**< create the database if it does not exist */
    SQL_OPEN_READONLY = 1u << 1, /**< never write (a received file, say) */
    SQL_OPEN_UNTRUSTED = 1u << 2 /**< a file from elsewhere (implies READONLY): read as
                                      it is on disk, never locked or written (a read-only
                                      folder works); defensive settings, nothing the file
                                      defines runs (views, triggers, functions in its
                                      schema); values, time and memory bounded */
};

/** The longest text or blob an untrusted connection reads (SQL_OPEN_UNTRUSTED):
 *  a longer one is an error, not a 5 MB allocation. */
#define SQL_UNTRUSTED_MAX_VALUE (2 * 1024 * 1024)

/** Why the last call on a connection failed. */
typedef enum sql_fault {
    SQL_FAULT_NONE,
    SQL_FAULT_BUSY,     /**< another writer held the database past the timeout */
    SQL_FAULT_CONSTRAINT,
    SQL_FAULT_OTHER
} sql_fault;

/** One step of the schema: take the database to version @p to. */
typedef struct sql_migration {
    long to;
    const char *sql;
} sql_migration;

/**
 * @brief Open a connection to @p target (a file name for SQLite).
 * @param empty set to true when the database has no tables yet (a new or
 *        empty file); may be NULL.
 * @return SVA_OK; SVA_ERR_NOT_FOUND (no such database and no SQL_OPEN_CREATE);
 *         SVA_ERR_DB (not a database, cannot open), with a message naming
 *         @p target. Close with sql_close.
 */
sva_error sql_open(const char *target, unsigned flags, sql_conn **out, bool *empty,
                   sva_diag *d);
void sql_close(sql_conn *c);

/** @brief The name given to sql_open (for messages; a password in it hidden). */
const char *sql_target(const sql_conn *c);
/** @brief What the engine keeps a database in, for messages ("an SQLite
 *  file", "a PostgreSQL schema"). */
const char *sql_thing(const sql_conn *c);
/** @brief Is @p target a database of the SQLite driver (a file name)? */
bool sql_is_file(const char *target);
/** @brief @p target as messages show it (a password in it hidden), in @p buf. */
void sql_shown_name(const char *target, char *buf, size_t size);

/** @brief The driver's schema steps, oldest first (versions may repeat when
 *  one version needs several steps). */
const sql_migration *sql_migrations(const sql_conn *c, size_t *n);

/** @brief The schema version stored in the database (0 for none), -1 on error. */
long sql_schema_version(sql_conn *c);
/** @brief Store the schema version (inside the migration's transaction). */
sva_error sql_set_schema_version(sql_conn *c, long v, sva_diag *d);

/**
 * @brief Compare the schema of @p c (a received file) with the one the
 * driver's migrations make at version @p version, object by object: every
 * table with its columns (name, type, NOT NULL, default, key, hidden or
 * generated), every index with its columns, every trigger, and each object's
 * definition; anything more (a view, a trigger, a table, an index) or less is
 * a difference. Nothing of the file is executed.
 * @return SVA_OK; SVA_ERR_DB with one message naming the target and the
 *         first difference; SVA_ERR_NOMEM.
 */
sva_error sql_schema_check(sql_conn *c, long version, sva_diag *d);

/** @brief Prepare @p sql. @return SVA_OK or SVA_ERR_DB (message in @p d). */
sva_error sql_prepare(sql_conn *c, const char *sql, sql_stmt **out, sva_diag *d);
/** @brief Free a statement; NULL is fine. */
void sql_finalize(sql_stmt *s);
/** @brief Make a statement ready to run again, its parameters cleared. */
void sql_reset(sql_stmt *s);

/** Parameters are numbered from 1. Text and blobs are copied unless _ref:
 *  then the caller keeps them alive until the statement is reset. */
void sql_bind_text(sql_stmt *s, int i, const char *v); /**< NULL binds SQL NULL */
void sql_bind_text_ref(sql_stmt *s, int i, const char *v);
void sql_bind_int(sql_stmt *s, int i, long long v);
void sql_bind_double(sql_stmt *s, int i, double v);
void sql_bind_blob_ref(sql_stmt *s, int i, const void *v, size_t n);
void sql_bind_null(sql_stmt *s, int i);

/** @brief Run the statement to its next row: SQL_ROW, SQL_DONE or SQL_ERROR
 *  (then sql_fault/sql_errmsg of the connection say why). */
int sql_step(sql_stmt *s);

/** Columns of the current row, numbered from 0. Text is valid until the next
 *  step, reset or finalize; NULL for SQL NULL. */
sql_kind sql_column_kind(sql_stmt *s, int col);
bool sql_is_null(sql_stmt *s, int col);
const char *sql_text(sql_stmt *s, int col);
long long sql_int(sql_stmt *s, int col);
double sql_double(sql_stmt *s, int col);
const void *sql_blob(sql_stmt *s, int col, size_t *n);

/** @brief Run statements without parameters or results (schema, pragmas). */
sva_error sql_exec(sql_conn *c, const char *sql, sva_diag *d);
/** @brief Rows changed by the last INSERT, UPDATE or DELETE. */
long long sql_changes(sql_conn *c);

/** @brief The schema as the engine holds it, for comparing engines and for
 *  copying: a statement whose rows are (kind, table, name, type, notnull, pk)
 *  ordered by kind, table, name; kind is 'column' (type int, real, text or
 *  blob; notnull 1 for a key column too; pk its place in the primary key,
 *  from 1, else 0), 'index' (made by CREATE INDEX, not by a key) or
 *  'trigger' (type '', notnull and pk 0). Finalize it. */
sva_error sql_catalog(sql_conn *c, sql_stmt **out, sva_diag *d);
/** @brief Check foreign keys at COMMIT only, until the transaction ends (a
 *  copy loads tables in any order). */
sva_error sql_defer_checks(sql_conn *c, sva_diag *d);

/** @brief Many writes follow in one transaction (imports, merge, copy): the
 *  driver may tune itself for them until sql_batch(c, false). */
void sql_batch(sql_conn *c, bool on);

/** @brief A new round of the same writes begins (a batch's next audit: its
 *  row, its answers, its section scores, its log line). In a transaction a
 *  driver may then send the rows of each INSERT of the rounds together
 *  (PostgreSQL: one statement for a few dozen audits' answers), in the
 *  order the INSERTs came in the first round: all audit rows, then all
 *  answers, and so on. So a row of a round may need (by a foreign key or a
 *  trigger) rows of its own round made before it and rows of earlier rounds
 *  made by INSERTs that came before its own in the first round, never rows
 *  of earlier rounds made by INSERTs that came after its own. Any other
 *  statement (a read, an UPDATE, an INSERT new to the rounds or out of
 *  their order), a savepoint and the commit send what is gathered first, so
 *  reads see every row written; an error in a gathered row is reported by
 *  the statement that sent it or the commit, and fails the transaction. */
void sql_round(sql_conn *c);

/** Transactions. A write transaction takes the write lock at once (SQLite:
 *  BEGIN IMMEDIATE) so that checks and writes inside it cannot race another
 *  writer; a second writer waits (busy timeout) rather than fails. */
sva_error sql_begin(sql_conn *c, bool write, sva_diag *d);
sva_error sql_commit(sql_conn *c, sva_diag *d);
void sql_rollback(sql_conn *c);
sva_error sql_savepoint(sql_conn *c, sva_diag *d);
sva_error sql_release(sql_conn *c, sva_diag *d);
void sql_rollback_to(sql_conn *c);

/** @brief Why the last call failed, and the engine's message (never NULL). */
sql_fault sql_last_fault(sql_conn *c);
const char *sql_errmsg(sql_conn *c);
/** @brief Add "WHAT: the engine's message" for the last failure to @p d
 *  (a busy database gets a message saying so and to try again), naming the
 *  database. @return SVA_ERR_DB. */
sva_error sql_fail(sql_conn *c, sva_diag *d, const char *what);

/* ---- the driver interface: what a driver file provides ------------------------- */

typedef struct sql_driver {
    const char *name;
    const char *thing;       /**< see sql_thing */
    const char *catalog_sql; /**< see sql_catalog */
    const char *defer_sql;   /**< see sql_defer_checks */
    /** Does @p target name a database of this driver (a URL scheme, say)? */
    bool (*claims)(const char *target);
    /** @p target as messages show it; NULL: as it is */
    void (*shown)(const char *target, char *buf, size_t size);
    sva_error (*open)(const char *target, unsigned flags, sql_conn **out, bool *empty,
                      sva_diag *d);
    void (*close)(sql_conn *c);
    const sql_migration *(*migrations)(size_t *n);
    long (*schema_version)(sql_conn *c);
    /* The calls below that can fail return SVA_ERR_DB (or SVA_ERR_NOMEM) and
     * leave the message to the layer (last_fault and errmsg say why). */
    sva_error (*set_schema_version)(sql_conn *c, long v);
    /** Fill @p why (one line) with the first difference; NULL: not supported. */
    sva_error (*schema_check)(sql_conn *c, long version, char *why, size_t size);
    sva_error (*prepare)(sql_conn *c, const char *sql, sql_stmt **out);
    void (*finalize)(sql_stmt *s);
    void (*reset)(sql_stmt *s);
    void (*bind_text)(sql_stmt *s, int i, const char *v, bool copy);
    void (*bind_int)(sql_stmt *s, int i, long long v);
    void (*bind_double)(sql_stmt *s, int i, double v);
    void (*bind_blob)(sql_stmt *s, int i, const void *v, size_t n);
    void (*bind_null)(sql_stmt *s, int i);
    int (*step)(sql_stmt *s);
    sql_kind (*column_kind)(sql_stmt *s, int col);
    const char *(*text)(sql_stmt *s, int col);
    long long (*int64)(sql_stmt *s, int col);
    double (*dbl)(sql_stmt *s, int col);
    const void *(*blob)(sql_stmt *s, int col, size_t *n);
    sva_error (*exec)(sql_conn *c, const char *sql);
    long long (*changes)(sql_conn *c);
    sva_error (*begin)(sql_conn *c, bool write);
    sva_error (*commit)(sql_conn *c);
    void (*rollback)(sql_conn *c);
    sva_error (*savepoint)(sql_conn *c);
    sva_error (*release)(sql_conn *c);
    void (*rollback_to)(sql_conn *c);
    void (*batch)(sql_conn *c, bool on); /**< may be NULL */
    void (*round)(sql_conn *c);          /**< may be NULL */
    sql_fault (*last_fault)(sql_conn *c);
    const char *(*errmsg)(sql_conn *c);
} sql_driver;

/** Every connection and statement of a driver starts with this header, so
 *  the layer finds the driver. */
struct sql_conn_head {
    const sql_driver *drv;
    char *target;
};
struct sql_stmt_head {
    const sql_driver *drv;
};

extern const sql_driver sql_sqlite_driver;

/* The PostgreSQL driver lives in src/sql_pg.c, built into the module
 * svcaudit-pg.so for the svcaudit binary and linked directly into the tests
 * and benchmarks (sql_pg_load.c says why). The module exports this. */
typedef struct sql_pg_module_info {
    const char *version;       /**< SVA_VERSION of the build */
    size_t driver_size;        /**< sizeof(sql_driver) of the build */
    const sql_driver *driver;  /**< its driver */
} sql_pg_module_info;
#define SQL_PG_MODULE_FILE "svcaudit-pg.so"
extern const sql_pg_module_info sql_pg_module;

/** @brief Is @p target a PostgreSQL URL (postgresql:// or postgres://)? */
bool sql_pg_claims(const char *target);
/** @brief The PostgreSQL driver, its module opened the first time; NULL with
 *  a message in @p d when it cannot be. */
const sql_driver *sql_pg_load(sva_diag *d);

#endif

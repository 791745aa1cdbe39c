/* svcaudit tests: the statement layer (sql.h) on each engine: the same tests
 * on an SQLite file and, when SVA_TEST_PG names a PostgreSQL database (make
 * check starts one: scripts/with_pg.sh), on a fresh schema there. Values of
 * every kind, NULL parameters in the shared dialect, statements interleaved
 * on one connection, statements run again, failures inside transactions and
 * savepoints, two engines at once; PostgreSQL's writer lock, its retry of
 * serialization failures and its queued writes; and the two drivers' schemas
 * (their migrations) alike: the same latest version, the same tables,
 * columns (kind, NOT NULL, key), indexes and triggers. */
#include "testutil.h"

#include "sql.h"

#include <unistd.h>

typedef struct engine {
    const char *name;
    char target[1100];
    bool pg;
} engine;

static char g_dir[1024];
static engine g_lite, g_pg;
static int g_schemas; /* a fresh PostgreSQL schema per connection opened */

/* A new, empty database of engine @p e. */
static sql_conn *open_empty(engine *e)
{
    if (e->pg && !*e->target)
        skip(); /* no PostgreSQL server */
    sql_conn *c = NULL;
    sva_diag d;
    sva_diag_init(&d);
    char target[1300];
    if (e->pg)
        snprintf(target, sizeof target, "%s&schema=unit_sql_%d_%d", e->target, (int)getpid(),
                 ++g_schemas);
    else
        snprintf(target, sizeof target, "%s/t%d.db", g_dir, ++g_schemas);
    bool empty = false;
    sva_error rc = sql_open(target, SQL_OPEN_CREATE, &c, &empty, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_true(empty);
    sva_diag_clear(&d);
    return c;
}

static sql_conn *open_engine(engine *e)
{
    if (e->pg && !*e->target)
        skip(); /* no PostgreSQL server */
    sql_conn *c = NULL;
    sva_diag d;
    sva_diag_init(&d);
    char target[1300];
    if (e->pg)
        snprintf(target, sizeof target, "%s&schema=unit_sql_%d_%d", e->target, (int)getpid(),
                 ++g_schemas);
    else
        snprintf(target, sizeof target, "%s/t%d.db", g_dir, ++g_schemas);
    bool empty = false;
    sva_error rc = sql_open(target, SQL_OPEN_CREATE, &c, &empty, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_true(empty);
    sva_diag_clear(&d);
    /* one table of every kind, in each engine's words */
    sva_diag_init(&d);
    rc = sql_exec(c,
                  e->pg ? "CREATE TABLE t(k bigint PRIMARY KEY, i bigint, r double precision,"
                          " s text COLLATE \"C\", b bytea)"
                        : "CREATE TABLE t(k INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT,"
                          " b BLOB) STRICT",
                  &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    sva_diag_clear(&d);
    return c;
}

static void must(sql_conn *c, sva_error rc, sva_diag *d)
{
    if (rc)
        fprintf(stderr, "  %s: %s\n", sql_target(c), sql_errmsg(c));
    if (rc)
        diag_dump(d);
    assert_int_equal(rc, SVA_OK);
}

static sql_stmt *prep(sql_conn *c, const char *sql)
{
    sql_stmt *q = NULL;
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_prepare(c, sql, &q, &d), &d);
    sva_diag_clear(&d);
    return q;
}

/* Insert (k, i, r, s) rows 1..n: i = k, r = k / 4, s = "row k". */
static void fill(sql_conn *c, int n)
{
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *q = prep(c, "INSERT INTO t(k, i, r, s) VALUES(?1, ?2, ?3, ?4)");
    for (int k = 1; k <= n; k++) {
        char s[32];
        snprintf(s, sizeof s, "row %d", k);
        sql_reset(q);
        sql_bind_int(q, 1, k);
        sql_bind_int(q, 2, k);
        sql_bind_double(q, 3, k / 4.0);
        sql_bind_text(q, 4, s);
        assert_int_equal(sql_step(q), SQL_DONE);
    }
    sql_finalize(q);
    must(c, sql_commit(c, &d), &d);
    sva_diag_clear(&d);
}

static long long count(sql_conn *c, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE %s", where);
    sql_stmt *q = prep(c, sql);
    assert_int_equal(sql_step(q), SQL_ROW);
    long long n = sql_int(q, 0);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_finalize(q);
    return n;
}

/* ---- the tests, run on each engine ------------------------------------------------ */

static void values_of_every_kind(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)i;
    sql_stmt *q = prep(c, "INSERT INTO t(k, i, r, s, b) VALUES(?1, ?2, ?3, ?4, ?5)");
    sql_bind_int(q, 1, 1);
    sql_bind_int(q, 2, -9007199254740993LL);
    sql_bind_double(q, 3, 0.1 + 0.2);
    sql_bind_text(q, 4, "na\xc3\xafve 'quoted' ?1 $1");
    sql_bind_blob_ref(q, 5, bytes, sizeof bytes);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_reset(q);
    sql_bind_int(q, 1, 2);
    sql_bind_null(q, 2);
    sql_bind_null(q, 3);
    sql_bind_text(q, 4, NULL);
    sql_bind_null(q, 5);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_finalize(q);

    q = prep(c, "SELECT i, r, s, b, i < 0, count(*) OVER () FROM t ORDER BY k");
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_column_kind(q, 0), SQL_INT);
    assert_true(sql_int(q, 0) == -9007199254740993LL);
    assert_int_equal(sql_column_kind(q, 1), SQL_REAL);
    assert_true(sql_double(q, 1) == 0.1 + 0.2); /* to the last bit */
    assert_int_equal(sql_column_kind(q, 2), SQL_TEXT);
    assert_string_equal(sql_text(q, 2), "na\xc3\xafve 'quoted' ?1 $1");
    assert_int_equal(sql_column_kind(q, 3), SQL_BLOB);
    size_t n = 0;
    const unsigned char *b = sql_blob(q, 3, &n);
    assert_int_equal(n, 256);
    assert_memory_equal(b, bytes, 256);
    /* a comparison reads as 1 or 0, as an integer and as text */
    assert_int_equal(sql_int(q, 4), 1);
    assert_string_equal(sql_text(q, 4), "1");
    assert_int_equal(sql_int(q, 5), 2);
    assert_int_equal(sql_step(q), SQL_ROW);
    for (int col = 0; col < 4; col++) {
        assert_int_equal(sql_column_kind(q, col), SQL_NULL);
        assert_true(sql_is_null(q, col));
    }
    assert_null(sql_text(q, 2));
    assert_int_equal(sql_int(q, 4), 0);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_finalize(q);
    sql_close(c);
}

static void null_and_boolean_parameters(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    fill(c, 10);
    /* "?1 IS NULL OR column = ?1": a text parameter, NULL or not */
    sql_stmt *q = prep(c, "SELECT count(*) FROM t WHERE ?1 IS NULL OR s = ?1");
    sql_bind_text(q, 1, NULL);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 10);
    sql_reset(q);
    sql_bind_text(q, 1, "row 3");
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 1);
    sql_finalize(q);
    /* a parameter standing for a boolean, bound 0 or 1 */
    q = prep(c, "SELECT count(*) FROM t WHERE (?1 OR i > 7) AND (NOT ?2 OR i > 2)");
    sql_bind_int(q, 1, 0);
    sql_bind_int(q, 2, 1);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 3);
    sql_reset(q);
    sql_bind_int(q, 1, 1);
    sql_bind_int(q, 2, 0);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 10);
    sql_finalize(q);
    /* an integer compared with a value; the shared upsert; a CASE count */
    q = prep(c, "SELECT count(*), sum(CASE WHEN i % 2 = 0 THEN 1 ELSE 0 END) FROM t"
                " WHERE ?1 = 0 OR i = ?1");
    sql_bind_int(q, 1, 0);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 10);
    assert_int_equal(sql_int(q, 1), 5);
    sql_finalize(q);
    q = prep(c, "INSERT INTO t(k, s) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET s = excluded.s");
    sql_bind_int(q, 1, 4);
    sql_bind_text(q, 2, "four");
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_finalize(q);
    assert_int_equal(count(c, "s = 'four' AND i = 4"), 1);
    assert_int_equal(count(c, "s IS NOT DISTINCT FROM NULL"), 0);
    sql_close(c);
}

/* A statement read row by row while others run on the same connection, also
 * writes inside a transaction: every row of each arrives. */
static void statements_interleaved(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    fill(c, 2000);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *outer = prep(c, "SELECT k, s FROM t WHERE k <= 1000 ORDER BY k");
    sql_stmt *inner = prep(c, "SELECT i FROM t WHERE k = ?1");
    sql_stmt *upd = prep(c, "UPDATE t SET i = i + 1 WHERE k = ?1");
    long long k = 0, sum = 0;
    int r;
    while ((r = sql_step(outer)) == SQL_ROW) {
        k++;
        assert_int_equal(sql_int(outer, 0), k);
        char want[32];
        snprintf(want, sizeof want, "row %lld", k);
        assert_string_equal(sql_text(outer, 1), want);
        sql_reset(inner);
        sql_bind_int(inner, 1, 2001 - k);
        assert_int_equal(sql_step(inner), SQL_ROW);
        sum += sql_int(inner, 0);
        sql_reset(upd);
        sql_bind_int(upd, 1, 2001 - k);
        assert_int_equal(sql_step(upd), SQL_DONE);
    }
    assert_int_equal(r, SQL_DONE);
    assert_int_equal(k, 1000);
    assert_int_equal(sum, (1001 + 2000) * 1000 / 2);
    assert_int_equal(sql_changes(c), 1);
    sql_finalize(outer);
    sql_finalize(inner);
    sql_finalize(upd);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(count(c, "k > 1000 AND i = k + 1"), 1000);
    assert_int_equal(count(c, "k <= 1000 AND i = k"), 1000);
    /* a statement reset before its last row, another run meanwhile */
    sql_stmt *q = prep(c, "SELECT k FROM t ORDER BY k");
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(count(c, "k > 0"), 2000);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 2);
    sql_reset(q);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 1);
    sql_finalize(q);
    sva_diag_clear(&d);
    sql_close(c);
}

/* One statement run many times, its parameters' kinds changing. */
static void statement_run_again(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    sql_stmt *q = prep(c, "INSERT INTO t(k, i, s) VALUES(?1, ?2, ?3)");
    for (int k = 1; k <= 50; k++) {
        sql_reset(q);
        sql_bind_int(q, 1, k);
        if (k % 3)
            sql_bind_int(q, 2, k * 10);
        else
            sql_bind_null(q, 2);
        if (k % 2)
            sql_bind_text(q, 3, "odd");
        else
            sql_bind_text(q, 3, NULL);
        assert_int_equal(sql_step(q), SQL_DONE);
    }
    sql_finalize(q);
    assert_int_equal(count(c, "i IS NULL"), 16);
    assert_int_equal(count(c, "s = 'odd'"), 25);
    assert_int_equal(count(c, "i = k * 10"), 34);
    sql_close(c);
}

/* Many runs of one INSERT inside a transaction (PostgreSQL sends them as
 * INSERTs of many rows): every row arrives as bound, whatever its values'
 * kinds, quotes or a $1 inside a literal, also past the rows one statement
 * takes, and while another statement reads and writes in between. */
static void rows_gathered(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    sva_diag d;
    sva_diag_init(&d);
    unsigned char blob[3] = {0, '\t', 0xff};
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *q = prep(c, "INSERT INTO t(k, i, r, s, b) VALUES(?1, ?2, ?3, 'x$1' || ?4, ?5)");
    sql_stmt *other = prep(c, "SELECT count(*) FROM t WHERE k <= ?1");
    for (int k = 1; k <= 2500; k++) {
        char s[64];
        snprintf(s, sizeof s, "it's \\ row\t%d\n", k);
        sql_reset(q);
        sql_bind_int(q, 1, k);
        if (k % 7)
            sql_bind_int(q, 2, k);
        else
            sql_bind_null(q, 2);
        sql_bind_double(q, 3, k / 3.0);
        if (k % 11)
            sql_bind_text_ref(q, 4, s); /* gone before the rows are sent */
        else
            sql_bind_text(q, 4, NULL);
        if (k % 5)
            sql_bind_null(q, 5);
        else
            sql_bind_blob_ref(q, 5, blob, sizeof blob);
        assert_int_equal(sql_step(q), SQL_DONE);
        memset(s, '?', sizeof s - 1);
        if (k % 1000 == 500) { /* another statement in between sees every row so far */
            sql_reset(other);
            sql_bind_int(other, 1, k);
            assert_int_equal(sql_step(other), SQL_ROW);
            assert_int_equal(sql_int(other, 0), k);
        }
    }
    sql_finalize(other);
    sql_finalize(q);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(count(c, "k > 0"), 2500);
    assert_int_equal(count(c, "i IS NULL"), 357);
    assert_int_equal(count(c, "i IS NOT NULL AND i != k"), 0);
    assert_int_equal(count(c, "s IS NULL"), 227);
    sql_stmt *all = prep(c, "SELECT k, s FROM t ORDER BY k");
    for (int k = 1; k <= 2500; k++) {
        char want[64];
        snprintf(want, sizeof want, "x$1it's \\ row\t%d\n", k);
        assert_int_equal(sql_step(all), SQL_ROW);
        assert_int_equal(sql_int(all, 0), k);
        if (k % 11)
            assert_string_equal(sql_text(all, 1), want);
        else
            assert_null(sql_text(all, 1));
    }
    assert_int_equal(sql_step(all), SQL_DONE);
    sql_finalize(all);
    assert_int_equal(count(c, "b IS NOT NULL"), 500);
    sql_stmt *r = prep(c, "SELECT r, b FROM t WHERE k = 2500");
    assert_int_equal(sql_step(r), SQL_ROW);
    assert_true(sql_double(r, 0) == 2500 / 3.0);
    size_t n;
    const unsigned char *got = sql_blob(r, 1, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(got, blob, 3);
    sql_finalize(r);
    sva_diag_clear(&d);
    sql_close(c);
}

/* Many runs of an INSERT of bare parameters (PostgreSQL sends hundreds of
 * gathered rows by COPY, in its text format): every value arrives as bound,
 * the characters COPY escapes (backslash, tab, newline, carriage return),
 * what looks like its NULL (\N) or end mark (\.), empty text against NULL,
 * blobs of every byte and none, integers at their limits, reals to the last
 * bit; and a row the table refuses fails the transaction, which leaves
 * nothing. */
static const char *const g_awkward[] = {"plain",  "tab\there", "line\nbreak", "cr\rhere",
                                        "back\\slash", "\\N", "\\.", "",
                                        "quote ' \" both", "\xe5\xba\x97 \xe9\x93\xba",
                                        "end\\"};
#define N_AWKWARD (sizeof g_awkward / sizeof *g_awkward)

static long long count_of(sql_conn *c, const char *sql);

static void rows_copied(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    sva_diag d;
    sva_diag_init(&d);
    unsigned char blob[256];
    for (int i = 0; i < 256; i++)
        blob[i] = (unsigned char)i;
    const double reals[] = {1.0 / 3.0, -0.1, 1e-300, 1.7976931348623157e308, 0.0, 123456789.125};
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *q = prep(c, "INSERT INTO t(k, i, r, s, b) VALUES(?1, ?2, ?3, ?4, ?5)");
    for (int k = 1; k <= 3000; k++) {
        sql_reset(q);
        sql_bind_int(q, 1, k);
        if (k % 3 == 0)
            sql_bind_int(q, 2, k % 2 ? INT64_MAX - k : INT64_MIN + k);
        else if (k % 3 == 1)
            sql_bind_null(q, 2);
        else
            sql_bind_int(q, 2, -k);
        sql_bind_double(q, 3, reals[k % 6] * k);
        if (k % 13 == 0)
            sql_bind_text(q, 4, NULL);
        else
            sql_bind_text(q, 4, g_awkward[k % N_AWKWARD]);
        if (k % 4 == 0)
            sql_bind_blob_ref(q, 5, blob, (size_t)(k % 257));
        else
            sql_bind_null(q, 5);
        assert_int_equal(sql_step(q), SQL_DONE);
    }
    sql_finalize(q);
    must(c, sql_commit(c, &d), &d);
    sql_stmt *all = prep(c, "SELECT k, i, r, s, b FROM t ORDER BY k");
    for (int k = 1; k <= 3000; k++) {
        assert_int_equal(sql_step(all), SQL_ROW);
        assert_int_equal(sql_int(all, 0), k);
        if (k % 3 == 1)
            assert_true(sql_is_null(all, 1));
        else
            assert_true(sql_int(all, 1) == (k % 3 ? -k : k % 2 ? INT64_MAX - k : INT64_MIN + k));
        assert_true(sql_double(all, 2) == reals[k % 6] * k);
        if (k % 13 == 0) {
            assert_true(sql_is_null(all, 3));
        } else {
            assert_false(sql_is_null(all, 3));
            assert_string_equal(sql_text(all, 3), g_awkward[k % N_AWKWARD]);
        }
        if (k % 4 == 0) {
            size_t n = 9999;
            const void *got = sql_blob(all, 4, &n);
            assert_false(sql_is_null(all, 4));
            assert_int_equal(n, (size_t)(k % 257));
            if (n)
                assert_memory_equal(got, blob, n);
        } else {
            assert_true(sql_is_null(all, 4));
        }
    }
    assert_int_equal(sql_step(all), SQL_DONE);
    sql_finalize(all);

    /* a key already there, among hundreds of new rows: the whole fails */
    must(c, sql_begin(c, true, &d), &d);
    q = prep(c, "INSERT INTO t(k, i, r, s, b) VALUES(?1, ?2, ?3, ?4, ?5)");
    int r = SQL_DONE;
    for (int k = 5000; k <= 5600 && r == SQL_DONE; k++) {
        sql_reset(q);
        sql_bind_int(q, 1, k == 5300 ? 7 : k);
        sql_bind_null(q, 2);
        sql_bind_double(q, 3, 0.5);
        sql_bind_text(q, 4, "late");
        sql_bind_null(q, 5);
        r = sql_step(q);
    }
    sql_finalize(q);
    bool failed = r == SQL_ERROR || sql_commit(c, &d) != SVA_OK;
    assert_true(failed);
    assert_int_equal(sql_last_fault(c), SQL_FAULT_CONSTRAINT);
    sql_rollback(c);
    assert_int_equal(count(c, "s = 'late'"), 0);
    assert_int_equal(count(c, "k > 0"), 3000);
    sva_diag_clear(&d);
    sql_close(c);
}

/* Rounds of the same INSERTs (sql_round: a parent row, then its children, as
 * a batch's audit and its answers), which PostgreSQL sends grouped per
 * statement: every child finds its parent (a foreign key checked at once),
 * also when a read, a statement new to the rounds or one out of their order
 * comes in between, and when a round begins in the middle of what was
 * gathered; a savepoint rolled back drops only what came after it. */
static void rounds_grouped(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_exec(c,
                     e->pg ? "CREATE TABLE p(id bigint PRIMARY KEY, name text);"
                             "CREATE TABLE ch(pid bigint NOT NULL REFERENCES p(id), n bigint,"
                             " PRIMARY KEY(pid, n));"
                             "CREATE TABLE u(id bigint PRIMARY KEY REFERENCES p(id))"
                           : "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT);"
                             "CREATE TABLE ch(pid INTEGER NOT NULL REFERENCES p(id), n INTEGER,"
                             " PRIMARY KEY(pid, n));"
                             "CREATE TABLE u(id INTEGER PRIMARY KEY REFERENCES p(id))",
                     &d),
         &d);
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *par = prep(c, "INSERT INTO p(id, name) VALUES(?1, ?2)");
    sql_stmt *kid = prep(c, "INSERT INTO ch(pid, n) VALUES(?1, ?2)");
    sql_stmt *other = prep(c, "INSERT INTO u(id) VALUES(?1)");
    sql_stmt *look = prep(c, "SELECT count(*) FROM ch WHERE pid <= ?1");
    for (int id = 1; id <= 400; id++) {
        sql_round(c);
        if (id % 50 == 7) { /* a round that starts with its children's parent read */
            sql_reset(look);
            sql_bind_int(look, 1, id - 1);
            assert_int_equal(sql_step(look), SQL_ROW);
            assert_int_equal(sql_int(look, 0), (id - 1) * 5 - (id > 300 ? 5 : 0));
        }
        if (id == 300) { /* a savepoint: sends what is gathered */
            must(c, sql_savepoint(c, &d), &d);
        }
        sql_reset(par);
        sql_bind_int(par, 1, id);
        sql_bind_text(par, 2, "parent");
        assert_int_equal(sql_step(par), SQL_DONE);
        if (id % 60 == 30) { /* a read in the middle of a round */
            sql_reset(look);
            sql_bind_int(look, 1, id);
            assert_int_equal(sql_step(look), SQL_ROW);
            assert_int_equal(sql_int(look, 0), (id - 1) * 5 - (id > 300 ? 5 : 0));
        }
        for (int n = 1; n <= 5; n++) {
            sql_reset(kid);
            sql_bind_int(kid, 1, id);
            sql_bind_int(kid, 2, n);
            assert_int_equal(sql_step(kid), SQL_DONE);
            if (id % 70 == 11 && n == 2) { /* a statement new to the rounds */
                sql_reset(other);
                sql_bind_int(other, 1, id);
                assert_int_equal(sql_step(other), SQL_DONE);
            }
        }
        if (id == 300) /* its rows are dropped, the rest kept */
            sql_rollback_to(c);
    }
    sql_finalize(par);
    sql_finalize(kid);
    sql_finalize(other);
    sql_finalize(look);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(count_of(c, "SELECT count(*) FROM p"), 399);
    assert_int_equal(count_of(c, "SELECT count(*) FROM ch"), 399 * 5);
    assert_int_equal(count_of(c, "SELECT count(*) FROM p WHERE id = 300"), 0);
    assert_int_equal(count_of(c, "SELECT count(*) FROM u"), 6);
    assert_int_equal(count_of(c, "SELECT count(*) FROM ch x JOIN p ON p.id = x.pid"), 399 * 5);
    sva_diag_clear(&d);
    sql_close(c);
}

/* Without rounds, gathered rows keep the order they were run in: two tables
 * whose rows each need the other table's row before them (x1, y1 -> x1,
 * x2 -> y1, y2 -> x2, ...), hundreds of them in one transaction. */
static void gathered_in_order(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_exec(c,
                     e->pg ? "CREATE TABLE y(id bigint PRIMARY KEY);"
                             "CREATE TABLE x(id bigint PRIMARY KEY, prev bigint REFERENCES y(id));"
                             "ALTER TABLE y ADD COLUMN prev bigint REFERENCES x(id)"
                           : "CREATE TABLE x(id INTEGER PRIMARY KEY, prev INTEGER REFERENCES"
                             " y(id));"
                             "CREATE TABLE y(id INTEGER PRIMARY KEY, prev INTEGER REFERENCES"
                             " x(id))",
                     &d),
         &d);
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *x = prep(c, "INSERT INTO x(id, prev) VALUES(?1, ?2)");
    sql_stmt *y = prep(c, "INSERT INTO y(id, prev) VALUES(?1, ?2)");
    for (int id = 1; id <= 600; id++) {
        sql_reset(x);
        sql_bind_int(x, 1, id);
        if (id > 1)
            sql_bind_int(x, 2, id - 1);
        else
            sql_bind_null(x, 2);
        assert_int_equal(sql_step(x), SQL_DONE);
        sql_reset(y);
        sql_bind_int(y, 1, id);
        sql_bind_int(y, 2, id);
        assert_int_equal(sql_step(y), SQL_DONE);
    }
    sql_finalize(x);
    sql_finalize(y);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(count_of(c, "SELECT count(*) FROM x JOIN y ON y.prev = x.id"), 600);
    sva_diag_clear(&d);
    sql_close(c);
}

/* A write that fails inside a transaction fails it, at the latest at commit,
 * and leaves nothing; a savepoint rolled back leaves the rest. */
static void failures_in_transactions(void **state)
{
    engine *e = *state;
    sql_conn *c = open_engine(e);
    fill(c, 3);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_begin(c, true, &d), &d);
    sql_stmt *q = prep(c, "INSERT INTO t(k, s) VALUES(?1, 'new')");
    sql_bind_int(q, 1, 10);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_reset(q);
    sql_bind_int(q, 1, 2); /* exists */
    int r = sql_step(q);
    sql_finalize(q);
    bool failed = r == SQL_ERROR;
    if (!failed) {
        failed = sql_commit(c, &d) != SVA_OK;
        assert_true(d.n > 0);
        assert_true(diag_has(&d, -1, "cannot commit"));
    }
    assert_true(failed);
    assert_int_equal(sql_last_fault(c), SQL_FAULT_CONSTRAINT);
    sql_rollback(c);
    assert_int_equal(count(c, "s = 'new'"), 0);

    /* batch-like: each write in a savepoint, the failing one rolled back */
    sva_diag_clear(&d);
    sva_diag_init(&d);
    must(c, sql_begin(c, true, &d), &d);
    for (int k = 1; k <= 6; k++) {
        must(c, sql_savepoint(c, &d), &d);
        q = prep(c, "INSERT INTO t(k, s) VALUES(?1, 'saved')");
        sql_bind_int(q, 1, k + 1); /* 2 and 3 exist */
        r = sql_step(q);
        sql_finalize(q);
        bool ok = r == SQL_DONE && sql_release(c, &d) == SVA_OK;
        if (!ok)
            sql_rollback_to(c);
        assert_int_equal(ok, k >= 3);
    }
    sva_diag_clear(&d);
    sva_diag_init(&d);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(count(c, "s = 'saved'"), 4);
    assert_int_equal(count(c, "k > 0"), 7);
    sva_diag_clear(&d);
    sql_close(c);
}

/* Rows streamed from one engine into the other, both connections open. */
static void two_engines_at_once(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    sql_conn *a = open_engine(&g_lite), *b = open_engine(&g_pg);
    fill(a, 500);
    sva_diag d;
    sva_diag_init(&d);
    must(b, sql_begin(b, true, &d), &d);
    sql_stmt *from = prep(a, "SELECT k, i, r, s FROM t ORDER BY k");
    sql_stmt *to = prep(b, "INSERT INTO t(k, i, r, s) VALUES(?1, ?2, ?3, ?4)");
    int r, n = 0;
    while ((r = sql_step(from)) == SQL_ROW) {
        sql_reset(to);
        sql_bind_int(to, 1, sql_int(from, 0));
        sql_bind_int(to, 2, sql_int(from, 1));
        sql_bind_double(to, 3, sql_double(from, 2));
        sql_bind_text(to, 4, sql_text(from, 3));
        assert_int_equal(sql_step(to), SQL_DONE);
        n++;
    }
    assert_int_equal(r, SQL_DONE);
    sql_finalize(from);
    sql_finalize(to);
    must(b, sql_commit(b, &d), &d);
    assert_int_equal(n, 500);
    assert_int_equal(count(b, "r * 4 = i AND s = 'row ' || k"), 500);
    sva_diag_clear(&d);
    sql_close(a);
    sql_close(b);
}

/* ---- the two schemas ------------------------------------------------------------- */

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A new database of engine @p e with every migration run; @p latest (may be
 * NULL) its version. */
static sql_conn *open_migrated(engine *e, long *latest)
{
    sql_conn *c = open_empty(e);
    sva_diag d;
    sva_diag_init(&d);
    size_t nm;
    const sql_migration *m = sql_migrations(c, &nm);
    assert_true(nm > 0);
    long v = m[nm - 1].to;
    must(c, sql_begin(c, true, &d), &d);
    for (size_t i = 0; i < nm; i++)
        must(c, sql_exec(c, m[i].sql, &d), &d);
    must(c, sql_set_schema_version(c, v, &d), &d);
    must(c, sql_commit(c, &d), &d);
    assert_int_equal(sql_schema_version(c), v);
    sva_diag_clear(&d);
    if (latest)
        *latest = v;
    return c;
}

/* Engine @p e's schema, freshly migrated to its latest version: the catalogue
 * as sorted lines "kind table name type notnull pk"; @p latest its version. */
static char **schema_of(engine *e, size_t *n, long *latest)
{
    sql_conn *c = open_migrated(e, latest);
    sva_diag d;
    sva_diag_init(&d);
    sql_stmt *q = NULL;
    must(c, sql_catalog(c, &q, &d), &d);
    char **v = NULL;
    size_t cnt = 0;
    int r;
    while ((r = sql_step(q)) == SQL_ROW) {
        v = realloc(v, (cnt + 1) * sizeof *v);
        assert_non_null(v);
        char line[512];
        snprintf(line, sizeof line, "%s %s %s %s %lld %lld", sql_text(q, 0), sql_text(q, 1),
                 sql_text(q, 2), sql_text(q, 3), sql_int(q, 4), sql_int(q, 5));
        v[cnt++] = strdup(line);
    }
    assert_int_equal(r, SQL_DONE);
    sql_finalize(q);
    sva_diag_clear(&d);
    sql_close(c);
    qsort(v, cnt, sizeof *v, cmp_lines);
    *n = cnt;
    return v;
}

/* What one engine's schema has that the other's lacks, listed; the number. */
static size_t missing(char **a, size_t na, char **b, size_t nb, const char *in, const char *not)
{
    size_t k = 0, miss = 0;
    for (size_t i = 0; i < na; i++) {
        while (k < nb && strcmp(b[k], a[i]) < 0)
            k++;
        if (k == nb || strcmp(b[k], a[i]) != 0) {
            fprintf(stderr, "  in %s, not in %s: %s\n", in, not, a[i]);
            miss++;
        }
    }
    return miss;
}

/* The two drivers' migrations make the same schema: a table, column, index or
 * trigger (or a column's kind, NOT NULL or key) that one engine has and the
 * other has not fails here. */
static void schemas_alike(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    size_t nl, np;
    long vl, vp;
    char **l = schema_of(&g_lite, &nl, &vl), **p = schema_of(&g_pg, &np, &vp);
    if (vl != vp)
        fprintf(stderr, "  SQLite's migrations end at version %ld, PostgreSQL's at %ld\n", vl,
                vp);
    size_t miss = missing(l, nl, p, np, "SQLite", "PostgreSQL") +
                  missing(p, np, l, nl, "PostgreSQL", "SQLite");
    assert_int_equal(vl, vp);
    assert_int_equal(miss, 0);
    assert_true(nl > 50); /* the catalogue is read, not empty */
    for (size_t i = 0; i < nl; i++)
        free(l[i]);
    for (size_t i = 0; i < np; i++)
        free(p[i]);
    free(l);
    free(p);
}

/* Run @p sql (no parameters); SQL_DONE or SQL_ERROR. */
static int run_sql(sql_conn *c, const char *sql)
{
    sql_stmt *q = prep(c, sql);
    int r = sql_step(q);
    sql_finalize(q);
    return r;
}

static long long count_of(sql_conn *c, const char *sql)
{
    sql_stmt *q = prep(c, sql);
    assert_int_equal(sql_step(q), SQL_ROW);
    long long n = sql_int(q, 0);
    sql_finalize(q);
    return n;
}

#define ANSWER_OF(id, no)                                                                    \
    "(" #id ", " #no ", 'i" #no "', 's', 1, 1.0, 1.0, 1, '', '')"
#define ANSWER_INSERT                                                                         \
    "INSERT INTO answer(audit_id, item_no, item_id, section_id, value, points, max_points,"   \
    " passed, note, evidence) VALUES"

/* An answer or a section score of no audit is refused as a constraint error
 * (PostgreSQL: a statement's check since schema 8, not a foreign key), alone
 * or among an audit's rows, in one statement or at the commit when checks
 * are deferred (copy); a change of an answer's audit to none is refused, and
 * so is a change of an audit's id that has answers; nothing is written. */
static void audit_of_every_answer(void **state)
{
    engine *e = *state;
    sql_conn *c = open_migrated(e, NULL);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_begin(c, true, &d), &d);
    must(c, sql_exec(c, "INSERT INTO store(id, name) VALUES('S1', 'one');"
                        "INSERT INTO cycle(id, date_from, date_to, created_at)"
                        " VALUES('2026-11', '2026-11-01', '2026-11-30', 'now')", &d), &d);
    sql_stmt *q = prep(c, "INSERT INTO checklist_version(hash, checklist_id, version, source,"
                          " stored_at) VALUES('h', 'c', 1, ?1, 'now')");
    sql_bind_blob_ref(q, 1, "[c]", 3);
    assert_int_equal(sql_step(q), SQL_DONE);
    sql_finalize(q);
    must(c, sql_exec(c, "INSERT INTO audit(id, uuid, checklist_hash, checklist_id,"
                        " checklist_version, feeds, cycle_id, store_id, auditor, audit_date,"
                        " scorable, failed, n_failed_critical, n_items, n_na, points, max_points,"
                        " recorded_at, fingerprint) VALUES(1, 'u1', 'h', 'c', 1, 'ssi', '2026-11',"
                        " 'S1', 'a', '2026-11-02', 1, 0, 0, 2, 0, 2, 2, 'now', 'f1')", &d), &d);
    must(c, sql_exec(c, ANSWER_INSERT ANSWER_OF(1, 0) "," ANSWER_OF(1, 1), &d), &d);
    must(c, sql_commit(c, &d), &d);
    static const char *const bad[] = {
        ANSWER_INSERT ANSWER_OF(2, 0),
        ANSWER_INSERT ANSWER_OF(1, 2) "," ANSWER_OF(7, 0) "," ANSWER_OF(1, 3),
        "INSERT INTO section_score(audit_id, section_id, scorable, pct, points, max_points)"
        " VALUES(1, 's', 1, 100, 2, 2), (3, 's', 1, 100, 2, 2)",
        "UPDATE answer SET audit_id = 5 WHERE audit_id = 1 AND item_no = 1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        must(c, sql_begin(c, true, &d), &d);
        int r = run_sql(c, bad[i]);
        bool failed = r == SQL_ERROR;
        if (!failed)
            failed = sql_commit(c, &d) != SVA_OK; /* a queued write fails at the latest here */
        sql_fault f = sql_last_fault(c);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", sql_errmsg(c));
        sql_rollback(c);
        if (!failed || f != SQL_FAULT_CONSTRAINT)
            fprintf(stderr, "  %s: %s: %s\n", e->name, bad[i], msg);
        assert_true(failed);
        assert_int_equal(f, SQL_FAULT_CONSTRAINT);
        if (e->pg) /* the message of the foreign key it stands for */
            assert_non_null(strstr(msg, "violates foreign key constraint"));
        sva_diag_clear(&d);
        sva_diag_init(&d);
    }
    /* deferred (as copy defers them): the check comes at the commit */
    must(c, sql_begin(c, true, &d), &d);
    must(c, sql_defer_checks(c, &d), &d);
    assert_int_equal(run_sql(c, ANSWER_INSERT ANSWER_OF(9, 0)), SQL_DONE);
    assert_int_not_equal(sql_commit(c, &d), SVA_OK);
    assert_int_equal(sql_last_fault(c), SQL_FAULT_CONSTRAINT);
    sql_rollback(c);
    sva_diag_clear(&d);
    sva_diag_init(&d);
    /* deferred, the audit coming after its answers: accepted */
    must(c, sql_begin(c, true, &d), &d);
    must(c, sql_defer_checks(c, &d), &d);
    assert_int_equal(run_sql(c, ANSWER_INSERT ANSWER_OF(2, 0)), SQL_DONE);
    must(c, sql_exec(c, "INSERT INTO audit(id, uuid, checklist_hash, checklist_id,"
                        " checklist_version, feeds, cycle_id, store_id, auditor, audit_date,"
                        " scorable, failed, n_failed_critical, n_items, n_na, points, max_points,"
                        " recorded_at, fingerprint) VALUES(2, 'u2', 'h', 'c', 1, 'ssi', '2026-11',"
                        " 'S1', 'a', '2026-11-02', 1, 0, 0, 2, 0, 2, 2, 'now', 'f2')", &d), &d);
    must(c, sql_commit(c, &d), &d);
    /* an audit's id with answers does not change */
    must(c, sql_begin(c, true, &d), &d);
    int r = run_sql(c, "UPDATE audit SET id = 8 WHERE id = 1");
    if (r != SQL_ERROR)
        assert_int_not_equal(sql_commit(c, &d), SVA_OK);
    sql_rollback(c);
    sva_diag_clear(&d);
    assert_int_equal(count_of(c, "SELECT count(*) FROM answer"), 3);
    assert_int_equal(count_of(c, "SELECT count(*) FROM answer WHERE audit_id = 1"), 2);
    assert_int_equal(count_of(c, "SELECT count(*) FROM section_score"), 0);
    assert_int_equal(count_of(c, "SELECT count(*) FROM audit WHERE id IN (1, 2)"), 2);
    sql_close(c);
}

/* ---- PostgreSQL only -------------------------------------------------------------- */

/* TRUNCATE passes row triggers (the record's, the sync versions'): it is
 * refused, with a line naming the table; the rows stay. */
static void pg_no_truncate(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    sql_conn *c = open_migrated(&g_pg, NULL);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_exec(c, "INSERT INTO store(id, name) VALUES('S1', 'one')", &d), &d);
    static const char *const tables[] = {"answer", "section_score", "change_log", "survey"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[64], want[64];
        snprintf(sql, sizeof sql, "TRUNCATE %s", tables[i]);
        snprintf(want, sizeof want, "table %s is never truncated", tables[i]);
        assert_int_equal(sql_exec(c, sql, &d), SVA_ERR_DB);
        if (!strstr(sql_errmsg(c), want))
            fprintf(stderr, "  %s: %s\n", sql, sql_errmsg(c));
        assert_non_null(strstr(sql_errmsg(c), want));
    }
    assert_int_equal(count_of(c, "SELECT count(*) FROM store"), 1);
    sva_diag_clear(&d);
    sql_close(c);
}

/* A second writer waits for the first up to lock_timeout, then is told the
 * database is busy; once the first commits it writes. */
static void pg_writer_lock(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    engine short_wait = g_pg;
    assert_true(strlen(g_pg.target) < 1000);
    snprintf(short_wait.target, sizeof short_wait.target, "%.1000s&options=-c%%20lock_timeout%%3D300",
             g_pg.target);
    sql_conn *a = open_engine(&short_wait);
    /* the same schema from a second connection */
    char target[1300];
    snprintf(target, sizeof target, "%s&schema=unit_sql_%d_%d", short_wait.target, (int)getpid(),
             g_schemas);
    sql_conn *b = NULL;
    sva_diag d;
    sva_diag_init(&d);
    must(a, sql_open(target, 0, &b, NULL, &d), &d);
    must(a, sql_begin(a, true, &d), &d);
    assert_int_equal(sql_begin(b, true, &d), SVA_ERR_DB);
    assert_int_equal(sql_last_fault(b), SQL_FAULT_BUSY);
    assert_true(diag_has(&d, -1, "stayed busy"));
    /* reads do not wait */
    assert_int_equal(count(b, "k > 0"), 0);
    must(a, sql_commit(a, &d), &d);
    sva_diag_clear(&d);
    sva_diag_init(&d);
    must(b, sql_begin(b, true, &d), &d);
    must(b, sql_commit(b, &d), &d);
    sva_diag_clear(&d);
    sql_close(a);
    sql_close(b);
}

/* A statement PostgreSQL asks to retry (SQLSTATE 40001) is retried; one that
 * keeps failing fails with the busy message. */
static void pg_retry(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    sql_conn *c = open_engine(&g_pg);
    sva_diag d;
    sva_diag_init(&d);
    must(c, sql_exec(c,
                     "CREATE SEQUENCE tries;"
                     "CREATE FUNCTION flaky(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$"
                     "BEGIN IF nextval('tries') <= n THEN RAISE EXCEPTION 'try again'"
                     " USING ERRCODE = '40001'; END IF; RETURN currval('tries'); END$$",
                     &d),
         &d);
    sql_stmt *q = prep(c, "SELECT flaky(?1)");
    sql_bind_int(q, 1, 2);
    assert_int_equal(sql_step(q), SQL_ROW);
    assert_int_equal(sql_int(q, 0), 3); /* two failures, then the third try */
    sql_reset(q);
    sql_bind_int(q, 1, 1000);
    assert_int_equal(sql_step(q), SQL_ERROR);
    assert_int_equal(sql_last_fault(c), SQL_FAULT_BUSY);
    sql_finalize(q);
    sva_diag_clear(&d);
    sql_close(c);
}

/* Bad targets: one line each, naming the target without its password. */
static void pg_bad_targets(void **state)
{
    (void)state;
    if (!*g_pg.target)
        skip();
    static const struct {
        const char *target, *want;
    } cases[] = {
        {"postgresql://u:secret@[::1/db", "bad database URL"},
        {"postgresql:///db?nonsense=1", "bad database URL"},
        {"postgresql:///db?schema=Bad-Name", "bad ?schema="},
        {"postgresql://u:secret@/db?host=/nonexistent", "cannot connect"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sql_conn *c = NULL;
        sva_diag d;
        sva_diag_init(&d);
        assert_int_not_equal(sql_open(cases[i].target, 0, &c, NULL, &d), SVA_OK);
        assert_null(c);
        assert_int_equal(d.n, 1);
        if (!diag_has(&d, -1, cases[i].want))
            diag_dump(&d);
        assert_true(diag_has(&d, -1, cases[i].want));
        assert_null(strstr(d.msgs[0].msg, "secret"));
        assert_null(d.msgs[0].file ? strstr(d.msgs[0].file, "secret") : NULL);
        assert_null(strchr(d.msgs[0].msg, '\n'));
        sva_diag_clear(&d);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/svcaudit-sql.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(g_dir))
        return -1;
    g_lite.name = "sqlite";
    const char *pg = getenv("SVA_TEST_PG");
    g_pg.name = "postgresql";
    g_pg.pg = true;
    if (pg && *pg)
        snprintf(g_pg.target, sizeof g_pg.target, "%.1000s", pg);
    else
        fprintf(stderr, "test_sql: SVA_TEST_PG is not set: the PostgreSQL cases are skipped "
                        "(make check sets it)\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int on_pg(void **state)
{
    *state = &g_pg;
    return 0;
}

static int on_lite(void **state)
{
    *state = &g_lite;
    return 0;
}

#define BOTH(f)                                                                              \
    cmocka_unit_test_setup(f, on_lite), cmocka_unit_test_setup(f, on_pg)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(values_of_every_kind),
        BOTH(null_and_boolean_parameters),
        BOTH(statements_interleaved),
        BOTH(statement_run_again),
        BOTH(rows_gathered),
        BOTH(rows_copied),
        BOTH(rounds_grouped),
        BOTH(gathered_in_order),
        BOTH(failures_in_transactions),
        BOTH(audit_of_every_answer),
        cmocka_unit_test(two_engines_at_once),
        cmocka_unit_test(schemas_alike),
        cmocka_unit_test(pg_writer_lock),
        cmocka_unit_test(pg_retry),
        cmocka_unit_test(pg_bad_targets),
        cmocka_unit_test(pg_no_truncate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

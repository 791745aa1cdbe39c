/* svcaudit tests: the store (db.h) on real SQLite files in a mkdtemp folder:
 * open/create/refuse, organisation, imports, cycles, recording with scores
 * worked out by hand from SPEC.md "Scoring rules", void, merge, and a second
 * writer waiting for the first. */
#include "testutil.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* cmocka 1.1.5's assert_float_equal works in float; compare doubles here. */
#define EPS 1e-9
#define assert_near(actual, expected)                                                        \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= EPS)) {                                                       \
            print_error("%s = %.12g, expected %.12g\n", #actual, a_, e_);                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* ---- the temp folder and files ------------------------------------------------- */

static char g_dir[1024];

/* A path in the temp folder; kept until teardown. */
static char *g_paths[512];
static size_t g_npaths;

static const char *tpath(const char *name)
{
    size_t n = strlen(g_dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", g_dir, name);
    assert_true(g_npaths < sizeof g_paths / sizeof *g_paths);
    g_paths[g_npaths++] = p;
    return p;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
    write_file(path, text, strlen(text));
}

/* The whole file; *len receives its size. Caller frees. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0)
            break;
        n += k;
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void rm_rf(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[4096];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                rm_rf(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/svcaudit-test-db.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rm_rf(g_dir);
    for (size_t i = 0; i < g_npaths; i++)
        free(g_paths[i]);
    g_npaths = 0;
    return 0;
}

/* ---- raw SQLite, to look at the file from outside the library --------------------- */

/* One integer from @p sql on the file at @p path (read-only connection). */
static long long q_int(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        print_error("%s: %s\n", sql, sqlite3_errmsg(h));
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* One text from @p sql (malloc'd; NULL for SQL NULL). */
static char *q_text(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    char *v = t ? strdup((const char *)t) : NULL;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void q_exec(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
        print_error("%s: %s\n", sql, err ? err : "?");
    assert_null(err);
    sqlite3_close(h);
}

/* Every row of every table, as one string: equal snapshots = same content. */
static char *snapshot(const char *path)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tabs = NULL;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " ORDER BY name",
                                        -1, &tabs, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
#define SNAP_PUT(s)                                                                          \
    do {                                                                                     \
        const char *s_ = (s);                                                                \
        size_t l_ = strlen(s_);                                                              \
        while (n + l_ + 2 > cap) {                                                           \
            cap *= 2;                                                                        \
            out = realloc(out, cap);                                                         \
            assert_non_null(out);                                                            \
        }                                                                                    \
        memcpy(out + n, s_, l_);                                                             \
        n += l_;                                                                             \
        out[n++] = '|';                                                                      \
        out[n] = '\0';                                                                       \
    } while (0)
    while (sqlite3_step(tabs) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tabs, 0);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t);
        SNAP_PUT(t);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                SNAP_PUT(v ? (const char *)v : "<null>");
            }
            SNAP_PUT("\n");
        }
        sqlite3_finalize(st);
    }
#undef SNAP_PUT
    sqlite3_finalize(tabs);
    sqlite3_close(h);
    return out;
}

/* ---- the library ------------------------------------------------------------------ */

static sva_db *open_db(const char *path, sva_open_mode mode)
{
    sva_db *db = NULL;
    sva_diag d = {0};
    sva_error rc = sva_db_open(path, mode, &db, &d);
    if (rc != SVA_OK)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    assert_non_null(db);
    return db;
}

/* sva_db_open must refuse @p path with SVA_ERR_DB and a message containing
 * @p needle, and leave its bytes as they were. */
static void expect_refused(const char *path, sva_open_mode mode, const char *needle)
{
    size_t before_len, after_len;
    char *before = read_all(path, &before_len);
    sva_db *db = (sva_db *)0x1;
    sva_diag d = {0};
    sva_error rc = sva_db_open(path, mode, &db, &d);
    if (rc != SVA_ERR_DB || !diag_has(&d, -1, needle)) {
        print_error("open '%s' (mode %d): rc %d, want %d and a message with '%s'\n", path,
                    (int)mode, (int)rc, (int)SVA_ERR_DB, needle);
        diag_dump(&d);
    }
    assert_int_equal(rc, SVA_ERR_DB);
    assert_null(db);
    assert_true(diag_has(&d, -1, needle));
    sva_diag_clear(&d);
    char *after = read_all(path, &after_len);
    assert_int_equal(after_len, before_len);
    assert_memory_equal(after, before, before_len);
    free(before);
    free(after);
}

static sva_checklist *mk(const char *text)
{
    sva_checklist *cl = NULL;
    sva_diag d = {0};
    sva_error e = sva_checklist_parse("inline.ini", text, strlen(text), &cl, &d);
    if (e != SVA_OK)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(e, SVA_OK);
    return cl;
}

static size_t idx(const sva_checklist *cl, const char *id)
{
    long i = sva_checklist_item_index(cl, id);
    if (i < 0)
        print_error("no item '%s'\n", id);
    assert_true(i >= 0);
    return (size_t)i;
}

static size_t sidx(const sva_checklist *cl, const char *id)
{
    long i = sva_checklist_section_index(cl, id);
    assert_true(i >= 0);
    return (size_t)i;
}

/* Set the answer of item @p id: "na", "yes", "no" or a number. Note may be NULL. */
static void ans(const sva_checklist *cl, sva_answer *a, const char *id, const char *text,
                const char *note)
{
    sva_answer *x = &a[idx(cl, id)];
    memset(x, 0, sizeof *x);
    x->answered = true;
    if (!strcmp(text, "na"))
        x->na = true;
    else if (!strcmp(text, "yes"))
        x->value = 1;
    else if (!strcmp(text, "no"))
        x->value = 0;
    else
        x->value = atoi(text);
    x->note = (char *)note;
}

/* A store checklist: section weights 3/1/2, scales yesno, 0-4, 0-10, points:8,
 * one critical item, critical_policy flag, N/A on two items. */
static const char STORE_CL[] =
    "[checklist]\n"
    "id = db_store_test\n"
    "version = 1\n"
    "title = DB store test\n"
    "subject = store\n"
    "index = 6s\n"
    "scale = yesno\n"
    "critical_policy = flag\n"
    "\n[section.front]\ntitle = Front\nweight = 3\n"
    "\n[section.back]\ntitle = Back\nweight = 1\n"
    "\n[section.extra]\ntitle = Extra\nweight = 2\n"
    "\n[item.front.greet]\nsection = front\ntext = Greets\nweight = 2\nevidence = on_fail\n"
    "\n[item.front.tidy]\nsection = front\ntext = Tidy\nscale = 0-4\n"
    "\n[item.front.sign]\nsection = front\ntext = Sign\nna = yes\n"
    "\n[item.back.clean]\nsection = back\ntext = Clean\nscale = 0-10\nweight = 3\n"
    "\n[item.back.exit]\nsection = back\ntext = Exit clear\ncritical = yes\nevidence = always\n"
    "\n[item.extra.bonus]\nsection = extra\ntext = Bonus\nna = yes\nscale = points:8\n";

/* An employee checklist: no section weights (points pool), critical_policy zero. */
static const char EMP_CL[] =
    "[checklist]\n"
    "id = db_emp_test\n"
    "version = 1\n"
    "title = DB employee test\n"
    "subject = employee\n"
    "index = ssi\n"
    "critical_policy = zero\n"
    "\n[section.a]\ntitle = A\n"
    "\n[section.b]\ntitle = B\n"
    "\n[item.a.one]\nsection = a\ntext = One\nweight = 2\ncritical = yes\nevidence = on_fail\n"
    "\n[item.a.two]\nsection = a\ntext = Two\nscale = 0-5\n"
    "\n[item.b.three]\nsection = b\ntext = Three\nscale = points:4\nna = yes\n"
    "\n[item.b.four]\nsection = b\ntext = Four\nweight = 3\n";

/* The store answers "A" used throughout; expected scores in test_record_store_audit. */
static sva_answer *store_answers_a(const sva_checklist *cl)
{
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    assert_non_null(a);
    ans(cl, a, "front.greet", "no", "no greeting at the door");
    ans(cl, a, "front.tidy", "3", NULL);
    ans(cl, a, "front.sign", "na", NULL);
    ans(cl, a, "back.clean", "7", NULL);
    ans(cl, a, "back.exit", "no", "blocked by boxes");
    a[idx(cl, "back.exit")].evidence = "photos/exit.jpg";
    ans(cl, a, "extra.bonus", "na", NULL);
    return a;
}

/* A database with stores S1 (east), S2 (west), employees E1@S1, E2@S2 and
 * cycles C1 (2026-11) and C0 (2026-10). */
static sva_db *org_db(const char *name)
{
    const char *path = tpath(name);
    unlink(path);
    sva_db *db = open_db(path, SVA_DB_CREATE);
    sva_diag d = {0};
    sva_store s1 = {"S1", "Sunrise Shanghai", "east"}, s2 = {"S2", "Sunrise Chengdu", "west"};
    sva_employee e1 = {"E1", "Li Ming", "S1", "sales"}, e2 = {"E2", "Wang Fang", "S2", ""};
    assert_int_equal(sva_db_store_add(db, &s1, &d), SVA_OK);
    assert_int_equal(sva_db_store_add(db, &s2, &d), SVA_OK);
    assert_int_equal(sva_db_employee_add(db, &e1, &d), SVA_OK);
    assert_int_equal(sva_db_employee_add(db, &e2, &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(db, "C1", "2026-11-01", "2026-11-30", &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(db, "C0", "2026-10-01", "2026-10-31", &d), SVA_OK);
    if (d.n)
        diag_dump(&d);
    assert_int_equal(d.n, 0);
    return db;
}

/* One recording as a program makes it: checked and scored by the audit
 * module, then stored; when the module refuses, the store's own checks still
 * run (as in the CLI), so every problem is in @p d. */
typedef struct recording {
    const sva_checklist *cl;
    sva_audit_header h;
    const sva_answer *answers;
    bool duplicate;
} recording;

static sva_error record(sva_db *db, const recording *in, long long *id, sva_diag *d)
{
    const sva_audit_ready *r = NULL;
    sva_error rc = sva_audit_prepare(in->cl, &in->h, in->answers, &r, d);
    if (rc) {
        sva_db_audit_check_header(db, &in->h, d);
        return rc;
    }
    rc = sva_db_audit_record(db, r, in->duplicate, id, d);
    sva_audit_ready_free(r);
    return rc;
}

static long long record_ok(sva_db *db, const sva_checklist *cl, const char *store,
                           const char *employee, const char *cycle, const char *auditor,
                           const char *date, const sva_answer *a)
{
    recording in = {.cl = cl,
                    .h = {.cycle = cycle, .store = store, .employee = employee,
                          .auditor = auditor, .date = date},
                    .answers = a};
    long long id = -1;
    sva_diag d = {0};
    sva_error rc = record(db, &in, &id, &d);
    if (rc != SVA_OK)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    assert_true(id > 0);
    return id;
}

/* ---- open, create, refuse --------------------------------------------------------- */

static void test_open_create(void **state)
{
    (void)state;
    const char *path = tpath("create.db");
    sva_db *db = (sva_db *)0x1;
    sva_diag d = {0};
    /* not there, not asked to create: not found, and nothing created */
    assert_int_equal(sva_db_open(path, SVA_DB_EXISTING, &db, &d), SVA_ERR_NOT_FOUND);
    assert_null(db);
    assert_true(d.n >= 1);
    assert_false(exists(path));
    sva_diag_clear(&d);

    db = open_db(path, SVA_DB_CREATE);
    assert_true(sva_db_created(db));
    sva_db_close(db);
    assert_true(exists(path));

    /* migrated: user_version is this build's schema, the file says it is svcaudit's, WAL */
    assert_int_equal(q_int(path, "PRAGMA user_version"), SVA_SCHEMA_VERSION);
    char *app = q_text(path, "SELECT value FROM meta WHERE key = 'application'");
    assert_string_equal(app, "svcaudit");
    free(app);
    char *jm = q_text(path, "PRAGMA journal_mode");
    assert_string_equal(jm, "wal");
    free(jm);

    /* opened again: not created, same schema; CREATE on an existing db is fine too */
    db = open_db(path, SVA_DB_EXISTING);
    assert_false(sva_db_created(db));
    sva_db_close(db);
    db = open_db(path, SVA_DB_CREATE);
    assert_false(sva_db_created(db));
    sva_db_close(db);
    assert_int_equal(q_int(path, "PRAGMA user_version"), SVA_SCHEMA_VERSION);

    /* sva_db_close(NULL) is fine */
    sva_db_close(NULL);
}

/* Schema 2 adds each audit's answered (not N/A) and passed item counts. A
 * schema-1 file (made here by dropping the two columns again) is brought
 * forward on open, the counts filled in from its answers. */
static void test_migrate_from_schema_1(void **state)
{
    (void)state;
    const char *path = tpath("migrate.db");
    sva_db *db = org_db("migrate.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    /* answers A: greet no, tidy 3 (pass), sign N/A, clean 7 (pass), exit no, bonus N/A:
     * 4 answered, 2 passed */
    long long ida = record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);
    /* answers B: every item answered and passing: 6 answered, 6 passed */
    ans(cl, a, "front.greet", "yes", NULL);
    ans(cl, a, "front.tidy", "4", NULL);
    ans(cl, a, "front.sign", "yes", NULL);
    ans(cl, a, "back.clean", "10", NULL);
    ans(cl, a, "back.exit", "yes", "clear"); /* evidence = always: a note */
    ans(cl, a, "extra.bonus", "8", NULL);
    long long idb = record_ok(db, cl, "S2", NULL, "C1", "Zhang Min", "2026-11-13", a);
    sva_db_close(db);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT n_answered * 100 + n_passed FROM audit WHERE id = %lld", ida);
    assert_int_equal(q_int(path, sql), 402);
    snprintf(sql, sizeof sql, "SELECT n_answered * 100 + n_passed FROM audit WHERE id = %lld", idb);
    assert_int_equal(q_int(path, sql), 606);

    /* back to schema 1: without what schemas 2 to 6 added */
    q_exec(path, SVA_TEST_UNDO_SYNC DROP_SCHEMA_5
                 " DROP INDEX audit_qa; ALTER TABLE audit DROP COLUMN n_answered;"
                 " ALTER TABLE audit DROP COLUMN n_passed; ALTER TABLE audit DROP COLUMN item_marks;"
                 " DROP TABLE plan; DROP TABLE plan_reason; DROP TABLE owner;"
                 " PRAGMA user_version = 1");
    assert_int_equal(q_int(path, "SELECT count(*) FROM pragma_table_info('audit')"
                                 " WHERE name IN ('n_answered', 'n_passed')"),
                     0);
    db = open_db(path, SVA_DB_EXISTING);
    sva_db_close(db);
    assert_int_equal(q_int(path, "PRAGMA user_version"), SVA_SCHEMA_VERSION);
    snprintf(sql, sizeof sql, "SELECT n_answered * 100 + n_passed FROM audit WHERE id = %lld", ida);
    assert_int_equal(q_int(path, sql), 402);
    snprintf(sql, sizeof sql, "SELECT n_answered * 100 + n_passed FROM audit WHERE id = %lld", idb);
    assert_int_equal(q_int(path, sql), 606);
    free(a);
    sva_checklist_free(cl);
}

static void test_open_refuses_foreign_files(void **state)
{
    (void)state;
    /* a text file (longer and shorter than the 16-byte SQLite header) */
    const char *txt = tpath("notes.txt");
    write_text(txt, "id,name\nS1,not a database at all\n");
    expect_refused(txt, SVA_DB_EXISTING, "not an svcaudit database");
    expect_refused(txt, SVA_DB_CREATE, "not an svcaudit database");
    const char *tiny = tpath("tiny.db");
    write_text(tiny, "hello");
    expect_refused(tiny, SVA_DB_EXISTING, "not an svcaudit database");

    /* an empty file: no command but init may treat it as a database */
    const char *empty = tpath("empty.db");
    write_text(empty, "");
    expect_refused(empty, SVA_DB_EXISTING, "not an svcaudit database");

    /* another program's SQLite file (user_version 0, its own tables) */
    const char *other = tpath("other.sqlite");
    q_exec(other, "PRAGMA journal_mode = DELETE; CREATE TABLE contacts(name TEXT, phone TEXT);"
                  "INSERT INTO contacts VALUES('Zhang', '123');");
    expect_refused(other, SVA_DB_EXISTING, "not an svcaudit database");
    expect_refused(other, SVA_DB_CREATE, "not an svcaudit database");
    assert_int_equal(q_int(other, "SELECT count(*) FROM contacts"), 1);

    /* an svcaudit database from a newer svcaudit: refused, says so, untouched */
    const char *newer = tpath("newer.db");
    sva_db_close(open_db(newer, SVA_DB_CREATE));
    q_exec(newer, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99");
    expect_refused(newer, SVA_DB_EXISTING, "newer");

    /* a folder */
    const char *dir = tpath("adir.db");
    assert_int_equal(mkdir(dir, 0700), 0);
    sva_db *db = (sva_db *)0x1;
    sva_diag d = {0};
    assert_int_equal(sva_db_open(dir, SVA_DB_CREATE, &db, &d), SVA_ERR_DB);
    assert_null(db);
    assert_true(d.n >= 1);
    sva_diag_clear(&d);
}

/* Another program's SQLite file that sets user_version (many do) and even has
 * a table called meta is still not ours, and must be called that, not "made
 * by a newer svcaudit". */
static void test_open_refuses_foreign_user_version(void **state)
{
    (void)state;
    const char *other7 = tpath("other7.sqlite");
    q_exec(other7, "PRAGMA journal_mode = DELETE; CREATE TABLE meta(k TEXT, v TEXT);"
                   "INSERT INTO meta VALUES('application', 'photos');"
                   "PRAGMA user_version = 7;");
    expect_refused(other7, SVA_DB_EXISTING, "not an svcaudit database");
    const char *other2 = tpath("other2.sqlite");
    q_exec(other2, "PRAGMA journal_mode = DELETE; CREATE TABLE photos(path TEXT);"
                   "PRAGMA user_version = 2;");
    expect_refused(other2, SVA_DB_EXISTING, "not an svcaudit database");
}

/* ---- organisation ------------------------------------------------------------------ */

static void test_store_employee_add_list(void **state)
{
    (void)state;
    sva_db *db = org_db("org.db");
    sva_diag d = {0};
    sva_store s3 = {"A9", "Alpha", "east"};
    assert_int_equal(sva_db_store_add(db, &s3, &d), SVA_OK);

    /* ordered by region then id: east A9, east S1, west S2 */
    sva_store *v;
    size_t n;
    assert_int_equal(sva_db_store_list(db, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].id, "A9");
    assert_string_equal(v[1].id, "S1");
    assert_string_equal(v[1].name, "Sunrise Shanghai");
    assert_string_equal(v[1].region, "east");
    assert_string_equal(v[2].id, "S2");
    assert_string_equal(v[2].region, "west");
    sva_stores_free(v, n);

    /* the same id with another name: a conflict naming it, the first kept */
    sva_store dup = {"S1", "Another Name", "east"};
    assert_int_equal(sva_db_store_add(db, &dup, &d), SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, -1, "S1"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_store_list(db, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[1].name, "Sunrise Shanghai");
    sva_stores_free(v, n);

    /* bad fields */
    sva_store bad = {"S 1", "Bad", ""};
    assert_int_equal(sva_db_store_add(db, &bad, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, -1, "S 1"));
    sva_diag_clear(&d);
    sva_store noname = {"S7", "", ""};
    assert_int_equal(sva_db_store_add(db, &noname, &d), SVA_ERR_INVALID);
    sva_diag_clear(&d);

    /* employees: unknown store refused; duplicate id conflicts */
    sva_employee ghost = {"E9", "Ghost", "S404", ""};
    assert_int_equal(sva_db_employee_add(db, &ghost, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "S404"));
    sva_diag_clear(&d);
    sva_employee edup = {"E1", "Somebody Else", "S1", "sales"};
    assert_int_equal(sva_db_employee_add(db, &edup, &d), SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, -1, "E1"));
    sva_diag_clear(&d);
    sva_employee e3 = {"E3", "Zhao Lei", "S1", "service"};
    assert_int_equal(sva_db_employee_add(db, &e3, &d), SVA_OK);

    sva_employee *ev;
    assert_int_equal(sva_db_employee_list(db, NULL, &ev, &n, &d), SVA_OK);
    assert_int_equal(n, 3); /* ordered by store then id: E1 S1, E3 S1, E2 S2 */
    assert_string_equal(ev[0].id, "E1");
    assert_string_equal(ev[0].name, "Li Ming");
    assert_string_equal(ev[0].role, "sales");
    assert_string_equal(ev[1].id, "E3");
    assert_string_equal(ev[2].id, "E2");
    assert_string_equal(ev[2].role, "");
    sva_employees_free(ev, n);
    assert_int_equal(sva_db_employee_list(db, "S2", &ev, &n, &d), SVA_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].id, "E2");
    sva_employees_free(ev, n);
    assert_int_equal(sva_db_employee_list(db, "S404", &ev, &n, &d), SVA_OK);
    assert_int_equal(n, 0);
    sva_employees_free(ev, n);
    sva_db_close(db);
}

static void test_import_all_or_nothing(void **state)
{
    (void)state;
    const char *path = tpath("import.db");
    unlink(path);
    sva_db *db = open_db(path, SVA_DB_CREATE);
    sva_diag d = {0};
    sva_import_stats st;

    const char *good = tpath("stores.csv");
    write_text(good, "id,name,region\nS1,Sunrise Shanghai,east\nS2,\"Sunrise, Pudong\",east\n"
                     "B1,Capital Motors,north\n");
    assert_int_equal(sva_import_stores(db, good, &st, &d), SVA_OK);
    assert_int_equal(st.added, 3);
    assert_int_equal(st.updated, 0);
    assert_int_equal(q_int(path, "SELECT count(*) FROM store"), 3);
    char *nm = q_text(path, "SELECT name FROM store WHERE id = 'S2'");
    assert_string_equal(nm, "Sunrise, Pudong");
    free(nm);

    /* again: unchanged; with one name changed: updated (the file is the master list) */
    assert_int_equal(sva_import_stores(db, good, &st, &d), SVA_OK);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.unchanged, 3);
    const char *upd = tpath("stores2.csv");
    write_text(upd, "name,id\nCapital Motors Beijing,B1\n"); /* columns in any order */
    assert_int_equal(sva_import_stores(db, upd, &st, &d), SVA_OK);
    assert_int_equal(st.updated, 1);
    nm = q_text(path, "SELECT name || '/' || region FROM store WHERE id = 'B1'");
    assert_string_equal(nm, "Capital Motors Beijing/");
    free(nm);
    sva_diag_clear(&d);

    char *before = snapshot(path);
    /* a bad id on line 4 after two good new rows: nothing imported, file:4 reported */
    const char *bad = tpath("bad_id.csv");
    write_text(bad, "id,name,region\nN1,New One,south\nN2,New Two,south\nN 3,Bad Id,south\n"
                    "N4,New Four,south\n");
    assert_int_equal(sva_import_stores(db, bad, &st, &d), SVA_ERR_INVALID);
    assert_int_equal(st.added, 0);
    assert_true(d.n >= 1);
    assert_string_equal(d.msgs[0].file, bad);
    assert_int_equal(d.msgs[0].line, 4);
    assert_true(diag_has(&d, 4, "N 3"));
    sva_diag_clear(&d);
    char *after = snapshot(path);
    assert_string_equal(after, before);
    free(after);

    /* two bad rows: both reported with their lines */
    const char *bad2 = tpath("bad_two.csv");
    write_text(bad2, "id,name\nN1,\nN2,ok\nN3,ok,extra\n");
    assert_int_equal(sva_import_stores(db, bad2, &st, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, 2, "N1"));
    assert_true(diag_has(&d, 4, "field"));
    sva_diag_clear(&d);

    /* unknown column, missing column, empty file: line-numbered, nothing imported */
    const char *unk = tpath("unknown_col.csv");
    write_text(unk, "id,name,regoin\nN1,New,x\n");
    assert_int_equal(sva_import_stores(db, unk, &st, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, 1, "regoin"));
    sva_diag_clear(&d);
    const char *miss = tpath("missing_col.csv");
    write_text(miss, "id,region\nN1,x\n");
    assert_int_equal(sva_import_stores(db, miss, &st, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, 1, "name"));
    sva_diag_clear(&d);
    const char *empty = tpath("empty.csv");
    write_text(empty, "");
    assert_true(sva_import_stores(db, empty, &st, &d) != SVA_OK);
    assert_true(d.n >= 1);
    assert_string_equal(d.msgs[0].file, empty);
    sva_diag_clear(&d);
    const char *quote = tpath("quote.csv");
    write_text(quote, "id,name\nN1,\"unterminated\nN2,x\n");
    assert_true(sva_import_stores(db, quote, &st, &d) != SVA_OK);
    assert_true(d.n >= 1);
    assert_int_equal(d.msgs[0].line, 2);
    sva_diag_clear(&d);
    after = snapshot(path);
    assert_string_equal(after, before);
    free(after);

    /* employees: an unknown store on line 3 keeps line 2 out too */
    const char *emp = tpath("emp_bad.csv");
    write_text(emp, "id,name,store,role\nE1,Li Ming,S1,sales\nE2,Wang Fang,S404,\n");
    assert_int_not_equal(sva_import_employees(db, emp, &st, &d), SVA_OK);
    assert_int_equal(st.added, 0);
    assert_true(diag_has(&d, 3, "S404"));
    sva_diag_clear(&d);
    assert_int_equal(q_int(path, "SELECT count(*) FROM employee"), 0);
    after = snapshot(path);
    assert_string_equal(after, before);
    free(after);
    free(before);

    const char *emp_ok = tpath("emp.csv");
    write_text(emp_ok, "id,name,store,role\nE1,Li Ming,S1,sales\nE2,Wang Fang,S2,\n");
    assert_int_equal(sva_import_employees(db, emp_ok, &st, &d), SVA_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(q_int(path, "SELECT count(*) FROM employee WHERE store_id = 'S2'"), 1);
    sva_db_close(db);
}

/* ---- cycles ------------------------------------------------------------------------- */

static void test_cycle_open(void **state)
{
    (void)state;
    const char *path = tpath("cycle.db");
    unlink(path);
    sva_db *db = open_db(path, SVA_DB_CREATE);
    sva_diag d = {0};
    assert_int_equal(sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(db, "2026-Q3", "2026-07-01", "2026-09-30", &d), SVA_OK);
    assert_int_equal(d.n, 0);
    char *before = snapshot(path);

    assert_int_equal(sva_db_cycle_open(db, "X1", "2026-13-01", "2026-12-31", &d),
                     SVA_ERR_INVALID);
    assert_true(diag_has(&d, -1, "2026-13-01"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_cycle_open(db, "X2", "2026-02-01", "2026-02-30", &d),
                     SVA_ERR_INVALID);
    assert_true(diag_has(&d, -1, "2026-02-30"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_cycle_open(db, "X3", "2026-12-31", "2026-12-01", &d),
                     SVA_ERR_INVALID);
    assert_true(diag_has(&d, -1, "before"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d),
                     SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, -1, "2026-11"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_cycle_open(db, "bad id", "2026-11-01", "2026-11-30", &d),
                     SVA_ERR_INVALID);
    sva_diag_clear(&d);
    char *after = snapshot(path);
    assert_string_equal(after, before);
    free(before);
    free(after);

    sva_cycle *v;
    size_t n;
    assert_int_equal(sva_db_cycle_list(db, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 2); /* by start date: Q3 first */
    assert_string_equal(v[0].id, "2026-Q3");
    assert_string_equal(v[1].id, "2026-11");
    assert_string_equal(v[1].from, "2026-11-01");
    assert_string_equal(v[1].to, "2026-11-30");
    assert_int_equal(v[1].state, SVA_CYCLE_PLAN);
    assert_int_equal(v[1].n_audits, 0);
    sva_cycles_free(v, n);
    sva_cycle *c;
    assert_int_equal(sva_db_cycle_get(db, "nope", &c, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "nope"));
    sva_diag_clear(&d);
    sva_db_close(db);
}

/* ---- recording --------------------------------------------------------------------- */

static void test_record_store_audit(void **state)
{
    (void)state;
    sva_db *db = org_db("rec_store.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    long long id = record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);

    /*
     * By hand (SPEC "Scoring rules"):
     *   front (weight 3): greet no 0/2; tidy 3 on 0-4 = 1 x 3/4 = 0.75/1; sign N/A (out)
     *                     -> 0.75 / 3 = 25.0 %
     *   back  (weight 1): clean 7 on 0-10, weight 3 = 2.1/3; exit no 0/1
     *                     -> 2.1 / 4 = 52.5 %
     *   extra (weight 2): bonus N/A, no scorable item: drops out, no %
     *   audit = (3 x 25.0 + 1 x 52.5) / (3 + 1) = 127.5 / 4 = 31.875 %
     *   back.exit is critical and failed -> FAILED; policy flag: the score stands.
     *   pooled points 0.75 + 2.1 = 2.85 of max 2 + 1 + 3 + 1 = 7; 2 items N/A.
     *   passes: greet no (fail), tidy 3 >= 2 (pass), clean 7 >= 5 (pass), exit no (fail).
     */
    sva_audit_detail *ad = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_db_audit_get(db, id, &ad, &d), SVA_OK);
    const sva_audit *au = &ad->audit;
    assert_int_equal(au->id, id);
    assert_string_equal(au->checklist, "db_store_test");
    assert_int_equal(au->version, 1);
    assert_string_equal(au->hash, cl->hash);
    assert_string_equal(au->cycle, "C1");
    assert_string_equal(au->store, "S1");
    assert_string_equal(au->region, "east");
    assert_null(au->employee);
    assert_string_equal(au->auditor, "Zhang Min");
    assert_string_equal(au->date, "2026-11-12");
    assert_int_equal(strlen(au->uuid), 36); /* a version 4 UUID, lower-case hex */
    for (int i = 0; i < 36; i++)
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(au->uuid[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", au->uuid[i]));
    assert_int_equal(au->uuid[14], '4');
    assert_non_null(strchr("89ab", au->uuid[19]));
    assert_true(au->scorable);
    assert_near(au->pct, 31.875);
    assert_near(au->raw_pct, 31.875);
    assert_true(au->failed);
    assert_int_equal(au->n_failed_critical, 1);
    assert_int_equal(au->n_items, 6);
    assert_int_equal(au->n_na, 2);
    assert_false(au->voided);
    assert_null(au->void_reason);

    /* the stored checklist is the exact text, parsed back */
    assert_non_null(ad->cl);
    assert_string_equal(ad->cl->hash, cl->hash);
    assert_int_equal(ad->cl->n_items, 6);
    assert_int_equal(q_int(tpath("rec_store.db"),
                           "SELECT length(source) FROM checklist_version"),
                     (long long)strlen(STORE_CL));

    /* sections */
    const sva_section_score *fr = &ad->score.sections[sidx(cl, "front")];
    const sva_section_score *bk = &ad->score.sections[sidx(cl, "back")];
    const sva_section_score *ex = &ad->score.sections[sidx(cl, "extra")];
    assert_true(fr->scorable);
    assert_near(fr->pct, 25.0);
    assert_near(fr->points, 0.75);
    assert_near(fr->max, 3.0);
    assert_true(bk->scorable);
    assert_near(bk->pct, 52.5);
    assert_near(bk->points, 2.1);
    assert_near(bk->max, 4.0);
    assert_false(ex->scorable);
    assert_near(ad->score.pct, 31.875);
    assert_true(ad->score.failed);

    /* answers, notes, evidence and item points come back as given */
    const sva_answer *g = &ad->answers[idx(cl, "front.greet")];
    assert_true(g->answered);
    assert_false(g->na);
    assert_int_equal(g->value, 0);
    assert_string_equal(g->note, "no greeting at the door");
    const sva_answer *t = &ad->answers[idx(cl, "front.tidy")];
    assert_int_equal(t->value, 3);
    assert_true(ad->answers[idx(cl, "front.sign")].na);
    assert_true(ad->answers[idx(cl, "extra.bonus")].na);
    assert_int_equal(ad->answers[idx(cl, "back.clean")].value, 7);
    const sva_answer *x = &ad->answers[idx(cl, "back.exit")];
    assert_string_equal(x->note, "blocked by boxes");
    assert_string_equal(x->evidence, "photos/exit.jpg");
    assert_near(ad->score.items[idx(cl, "back.clean")].points, 2.1);
    assert_near(ad->score.items[idx(cl, "back.clean")].max, 3.0);
    assert_true(ad->score.items[idx(cl, "back.clean")].passed);
    assert_near(ad->score.items[idx(cl, "front.tidy")].points, 0.75);
    assert_true(ad->score.items[idx(cl, "front.tidy")].passed);
    assert_false(ad->score.items[idx(cl, "front.greet")].passed);
    assert_near(ad->score.items[idx(cl, "front.greet")].max, 2.0);
    assert_false(ad->score.items[idx(cl, "back.exit")].passed);
    assert_true(ad->score.items[idx(cl, "front.sign")].na);
    sva_audit_detail_free(ad);

    /* the same numbers in the tables themselves */
    const char *p = tpath("rec_store.db");
    assert_int_equal(q_int(p, "SELECT count(*) FROM answer"), 6);
    assert_int_equal(q_int(p, "SELECT count(*) FROM section_score"), 3);
    assert_int_equal(q_int(p, "SELECT count(*) FROM answer WHERE value IS NULL"), 2);
    assert_int_equal(q_int(p, "SELECT round(pct * 1000) FROM audit"), 31875);
    assert_int_equal(q_int(p, "SELECT round(points * 100) FROM audit"), 285);
    assert_int_equal(q_int(p, "SELECT round(max_points) FROM audit"), 7);

    /* unknown audit */
    assert_int_equal(sva_db_audit_get(db, 999, &ad, &d), SVA_ERR_NOT_FOUND);
    assert_null(ad);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
    sva_db_close(db);
}

static void test_record_employee_audit(void **state)
{
    (void)state;
    sva_db *db = org_db("rec_emp.db");
    sva_checklist *cl = mk(EMP_CL);
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    assert_non_null(a);

    /*
     * Passing audit, no section weights so points pool:
     *   a.one yes, weight 2: 2/2; a.two 3 on 0-5: 0.6/1   -> section a 2.6/3 = 86.666... %
     *   b.three 1 on points:4: 0.25/1; b.four yes, weight 3: 3/3 -> section b 3.25/4 = 81.25 %
     *   audit = (2.6 + 3.25) / (3 + 4) = 5.85 / 7 = 83.571428... %; not failed.
     */
    ans(cl, a, "a.one", "yes", NULL);
    ans(cl, a, "a.two", "3", NULL);
    ans(cl, a, "b.three", "1", NULL);
    ans(cl, a, "b.four", "yes", "friendly");
    long long id1 = record_ok(db, cl, "S1", "E1", "C1", "Zhang Min", "2026-11-03", a);

    /*
     * Failing audit (critical a.one is no), critical_policy zero:
     *   a.one no 0/2 (note given); a.two 5 on 0-5: 1/1 -> section a 1/3 = 33.333... %
     *   b.three N/A; b.four no 0/3                 -> section b 0/3 = 0 %
     *   raw = (0 + 1 + 0) / (2 + 1 + 3) = 1/6 = 16.666... %; FAILED, counts as 0.
     */
    ans(cl, a, "a.one", "no", "did not introduce himself");
    ans(cl, a, "a.two", "5", NULL);
    ans(cl, a, "b.three", "na", NULL);
    ans(cl, a, "b.four", "no", NULL);
    sva_diag d = {0};
    /* a cycle that holds today, beside C0 and C1 (cycles do not overlap) */
    char today[16];
    time_t now = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", localtime(&now));
    const char *cy = "CY";
    if (strcmp(today, "2026-10-01") < 0)
        assert_int_equal(sva_db_cycle_open(db, "CY", "2000-01-01", "2026-09-30", &d), SVA_OK);
    else if (strcmp(today, "2026-10-31") <= 0)
        cy = "C0";
    else if (strcmp(today, "2026-11-30") <= 0)
        cy = "C1";
    else
        assert_int_equal(sva_db_cycle_open(db, "CY", "2026-12-01", "2099-12-31", &d), SVA_OK);
    long long id2 = record_ok(db, cl, "S2", "E2", cy, "Li Na", NULL, a); /* today */
    assert_true(id2 > id1);

    sva_audit_detail *ad;
    assert_int_equal(sva_db_audit_get(db, id1, &ad, &d), SVA_OK);
    assert_string_equal(ad->audit.employee, "E1");
    assert_near(ad->audit.pct, 5.85 / 7.0 * 100.0);
    assert_near(ad->audit.raw_pct, 5.85 / 7.0 * 100.0);
    assert_false(ad->audit.failed);
    assert_int_equal(ad->audit.n_na, 0);
    assert_near(ad->score.sections[sidx(cl, "a")].pct, 2.6 / 3.0 * 100.0);
    assert_near(ad->score.sections[sidx(cl, "b")].pct, 81.25);
    assert_near(ad->score.items[idx(cl, "b.three")].points, 0.25);
    assert_string_equal(ad->answers[idx(cl, "b.four")].note, "friendly");
    /* empty notes come back empty (or NULL), never as another item's note */
    const char *n1 = ad->answers[idx(cl, "a.one")].note;
    assert_true(n1 == NULL || *n1 == '\0');
    sva_audit_detail_free(ad);

    assert_int_equal(sva_db_audit_get(db, id2, &ad, &d), SVA_OK);
    assert_string_equal(ad->audit.employee, "E2");
    assert_string_equal(ad->audit.region, "west");
    assert_true(ad->audit.failed);
    assert_int_equal(ad->audit.n_failed_critical, 1);
    assert_near(ad->audit.pct, 0.0);
    assert_near(ad->audit.raw_pct, 100.0 / 6.0);
    assert_int_equal(ad->audit.n_na, 1);
    assert_near(ad->score.sections[sidx(cl, "a")].pct, 100.0 / 3.0);
    assert_near(ad->score.sections[sidx(cl, "b")].pct, 0.0);
    assert_true(ad->answers[idx(cl, "b.three")].na);
    assert_string_equal(ad->answers[idx(cl, "a.one")].note, "did not introduce himself");
    /* no date given: today, YYYY-MM-DD */
    assert_int_equal(strlen(ad->audit.date), 10);
    assert_string_equal(ad->audit.date, today);
    sva_audit_detail_free(ad);

    /* cycle counts submitted audits */
    sva_cycle *c;
    assert_int_equal(sva_db_cycle_get(db, "C1", &c, &d), SVA_OK);
    assert_int_equal(c->n_audits, strcmp(cy, "C1") == 0 ? 2 : 1);
    sva_cycles_free(c, 1);
    assert_int_equal(sva_db_cycle_get(db, cy, &c, &d), SVA_OK);
    assert_int_equal(c->n_audits, strcmp(cy, "C1") == 0 ? 2 : 1);
    sva_cycles_free(c, 1);
    free(a);
    sva_checklist_free(cl);
    sva_db_close(db);
}

static void test_checklist_version_stored_once(void **state)
{
    (void)state;
    sva_db *db = org_db("versions.db");
    const char *p = tpath("versions.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    static const char *const dates[] = {"2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13",
                                        "2026-11-14"};
    for (int i = 0; i < 5; i++)
        record_ok(db, cl, i % 2 ? "S1" : "S2", NULL, "C1", "Zhang Min", dates[i], a);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 5);
    assert_int_equal(q_int(p, "SELECT count(*) FROM checklist_version"), 1);
    char *h = q_text(p, "SELECT hash FROM checklist_version");
    assert_string_equal(h, cl->hash);
    free(h);
    assert_int_equal(q_int(p, "SELECT count(DISTINCT checklist_hash) FROM audit"), 1);

    /* the same checklist with one byte changed (a comment) and the same version is
     * refused: a checklist is what its hash says; with its version bumped it is
     * another version */
    size_t len = strlen(STORE_CL);
    char *text2 = malloc(len + 16);
    assert_non_null(text2);
    snprintf(text2, len + 16, "; v1b\n%s", STORE_CL);
    sva_checklist *cl1b = mk(text2);
    assert_string_not_equal(cl1b->hash, cl->hash);
    sva_answer *a1b = store_answers_a(cl1b);
    recording in = {.cl = cl1b,
                    .h = {.cycle = "C1", .store = "S1", .auditor = "Zhang Min",
                          .date = "2026-11-13"},
                    .answers = a1b};
    long long none = -1;
    sva_diag d = {0};
    assert_int_equal(record(db, &in, &none, &d), SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, -1, "version 1 differs from the version 1 already used by 5 "
                                 "audits: bump its version"));
    sva_diag_clear(&d);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 5);
    assert_int_equal(q_int(p, "SELECT count(*) FROM checklist_version"), 1);
    free(a1b);
    sva_checklist_free(cl1b);
    char *v = strstr(text2, "version = 1");
    assert_non_null(v);
    v[strlen("version = ")] = '2';
    sva_checklist *cl2 = mk(text2);
    assert_int_equal(cl2->version, 2);
    sva_answer *a2 = store_answers_a(cl2);
    long long id = record_ok(db, cl2, "S1", NULL, "C1", "Zhang Min", "2026-11-13", a2);
    record_ok(db, cl2, "S1", NULL, "C1", "Zhang Min", "2026-11-14", a2);
    assert_int_equal(q_int(p, "SELECT count(*) FROM checklist_version"), 2);
    sva_audit_detail *ad;
    assert_int_equal(sva_db_audit_get(db, id, &ad, &d), SVA_OK);
    assert_string_equal(ad->audit.hash, cl2->hash);
    assert_string_equal(ad->cl->hash, cl2->hash);
    sva_audit_detail_free(ad);
    free(a);
    free(a2);
    free(text2);
    sva_checklist_free(cl);
    sva_checklist_free(cl2);
    sva_db_close(db);
}

/* Recording @p in must fail with @p want, a message containing @p needle, and
 * not change a single row. */
static void expect_record_refused(sva_db *db, const char *path, const recording *in,
                                  sva_error want, const char *needle)
{
    char *before = snapshot(path);
    long long id = -7;
    sva_diag d = {0};
    sva_error rc = record(db, in, &id, &d);
    if (rc != want || !diag_has(&d, -1, needle)) {
        print_error("record: rc %d (want %d), want a message with '%s'\n", (int)rc, (int)want,
                    needle);
        diag_dump(&d);
    }
    assert_int_equal(rc, want);
    assert_true(diag_has(&d, -1, needle));
    assert_int_equal(id, -7);
    sva_diag_clear(&d);
    char *after = snapshot(path);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void test_record_validation_writes_nothing(void **state)
{
    (void)state;
    sva_db *db = org_db("invalid.db");
    const char *p = tpath("invalid.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_checklist *ecl = mk(EMP_CL);
    sva_answer *a = store_answers_a(cl);
    sva_answer *ea = calloc(ecl->n_items, sizeof *ea);
    assert_non_null(ea);
    ans(ecl, ea, "a.one", "yes", NULL);
    ans(ecl, ea, "a.two", "3", NULL);
    ans(ecl, ea, "b.three", "na", NULL);
    ans(ecl, ea, "b.four", "yes", NULL);
    /* one good audit first, so "nothing changed" is checked against a non-empty db */
    record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 1);

    recording ok = {.cl = cl,
                    .h = {.cycle = "C1", .store = "S1", .employee = NULL,
                          .auditor = "Zhang Min", .date = "2026-11-12"},
                    .answers = a};
    recording in;
    in = ok, in.h.cycle = "C404";
    expect_record_refused(db, p, &in, SVA_ERR_NOT_FOUND, "C404");
    in = ok, in.h.store = "S404";
    expect_record_refused(db, p, &in, SVA_ERR_NOT_FOUND, "S404");
    in = ok, in.h.date = "2026-02-30";
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "date");
    in = ok, in.h.date = "12/11/2026";
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "12/11/2026");
    in = ok, in.h.date = "2026-12-05"; /* C1 is November (db.h: a date outside the period) */
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "2026-12-05");
    in = ok, in.h.auditor = NULL;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "auditor");
    /* the very same audit again (db.h: stored once unless allow_duplicate) */
    expect_record_refused(db, p, &ok, SVA_ERR_CONFLICT, "already");
    in = ok, in.h.cycle = NULL;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "cycle");

    recording eok = {.cl = ecl,
                     .h = {.cycle = "C1", .store = "S1", .employee = "E1", .auditor = "Li Na",
                           .date = "2026-11-12"},
                     .answers = ea};
    record_ok(db, ecl, "S1", "E1", "C1", "Li Na", "2026-11-12", ea);
    in = eok, in.h.employee = NULL;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "employee");
    in = eok, in.h.employee = "E404";
    expect_record_refused(db, p, &in, SVA_ERR_NOT_FOUND, "E404");
    in = eok, in.h.employee = "E2"; /* works at S2 */
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "E2");

    /* answer problems, each naming the item */
    sva_answer *b = store_answers_a(cl);
    b[idx(cl, "front.tidy")].answered = false;
    in = ok, in.answers = b;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "front.tidy");
    free(b);
    b = store_answers_a(cl);
    ans(cl, b, "front.tidy", "5", NULL); /* 0-4 scale */
    in = ok, in.answers = b;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "front.tidy");
    ans(cl, b, "front.tidy", "3", NULL);
    ans(cl, b, "back.clean", "-1", NULL);
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "back.clean");
    free(b);
    b = store_answers_a(cl);
    ans(cl, b, "back.clean", "na", NULL); /* na = no */
    in = ok, in.answers = b;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "back.clean");
    free(b);
    b = store_answers_a(cl);
    ans(cl, b, "front.greet", "no", NULL); /* evidence on_fail, failed, no note */
    in = ok, in.answers = b;
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "front.greet");
    ans(cl, b, "front.greet", "no", ""); /* an empty note is no note */
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "front.greet");
    ans(cl, b, "front.greet", "yes", NULL);
    ans(cl, b, "back.exit", "yes", NULL); /* evidence always: a note even when it passes */
    expect_record_refused(db, p, &in, SVA_ERR_INVALID, "back.exit");
    free(b);

    /* a closed cycle takes no audits (closing is not a command yet: set it directly) */
    sva_db_close(db);
    q_exec(p, "UPDATE cycle SET state = 'closed' WHERE id = 'C0'");
    db = open_db(p, SVA_DB_EXISTING);
    in = ok, in.h.cycle = "C0";
    expect_record_refused(db, p, &in, SVA_ERR_STATE, "C0");

    /* check_header: the store's header checks, without answers, writing nothing */
    sva_diag d = {0};
    sva_audit_header h = ok.h;
    assert_int_equal(sva_db_audit_check_header(db, &h, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    h.store = "S404";
    assert_int_equal(sva_db_audit_check_header(db, &h, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "S404"));
    sva_diag_clear(&d);
    h = eok.h, h.employee = "E2";
    assert_int_equal(sva_db_audit_check_header(db, &h, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, -1, "E2"));
    sva_diag_clear(&d);

    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 2);
    /* allow_duplicate records the same audit a second time */
    recording dup = ok;
    dup.duplicate = true;
    long long id = 0;
    assert_int_equal(record(db, &dup, &id, &d), SVA_OK);
    assert_int_equal(id, 3);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 3);
    free(a);
    free(ea);
    sva_checklist_free(cl);
    sva_checklist_free(ecl);
    sva_db_close(db);
}

/* The store's own part. Its header checks pass over what is missing (the
 * audit module reports that) and report every problem they can see, naming the
 * sheet's line or the flag; recording writes the ready audit as the module
 * made it: the store neither checks answers nor scores again. */
static void test_store_part(void **state)
{
    (void)state;
    sva_db *db = org_db("store_part.db");
    const char *p = tpath("store_part.db");
    sva_diag d = {0};

    /* unknown cycle, unknown store, and an employee of another store: three */
    sva_audit_header h = {.cycle = "C404", .store = "S404", .employee = "E2",
                          .date = "2026-11-12", .sheet = "v.ini", .line_cycle = 5,
                          .line_employee = 3};
    assert_int_equal(sva_db_audit_check_header(db, &h, &d), SVA_ERR_NOT_FOUND);
    assert_int_equal(d.n, 3);
    assert_true(diag_has(&d, 5, "unknown cycle 'C404'"));
    assert_string_equal(d.msgs[0].file, "v.ini");
    assert_true(diag_has(&d, 0, "--store: unknown store 'S404'"));
    assert_true(diag_has(&d, 3, "employee 'E2' works at store 'S2', not 'S404'"));
    sva_diag_clear(&d);

    /* missing fields and a date that is no date: nothing for the store to say */
    sva_audit_header none = {.date = "12/11/2026"};
    assert_int_equal(sva_db_audit_check_header(db, &none, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    none.cycle = "C1";
    none.store = "";
    assert_int_equal(sva_db_audit_check_header(db, &none, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    none.date = "2026-12-01"; /* a real date outside C1 */
    assert_int_equal(sva_db_audit_check_header(db, &none, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, 0, "date 2026-12-01 is outside cycle C1"));
    sva_diag_clear(&d);

    /* the stored score is the ready audit's: not computed again */
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    sva_audit_header ok = {.cycle = "C1", .store = "S1", .auditor = "Zhang Min",
                           .date = "2026-11-12"};
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare(cl, &ok, a, &r, &d), SVA_OK);
    assert_near(r->score.pct, 31.875); /* test_record_store_audit's hand computation */
    sva_audit_ready *marked = (sva_audit_ready *)r;
    marked->score.pct = 12.5;
    marked->score.raw_pct = 12.5;
    long long id = 0;
    assert_int_equal(sva_db_audit_record(db, r, false, &id, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pct * 1000 FROM audit WHERE id = %lld", id);
    assert_int_equal(q_int(p, sql), 12500);
    /* and the same ready audit again is the same audit: refused, nothing written */
    char *before = snapshot(p);
    assert_int_equal(sva_db_audit_record(db, r, false, &id, &d), SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, 0, "already"));
    char *after = snapshot(p);
    assert_string_equal(after, before);
    free(before);
    free(after);
    sva_diag_clear(&d);
    sva_audit_ready_free(r);
    free(a);
    sva_checklist_free(cl);
    sva_db_close(db);
}

/* ---- listing and voiding ------------------------------------------------------------ */

static size_t list_n(sva_db *db, const sva_audit_filter *f, long long *first)
{
    sva_audit *v;
    size_t n;
    sva_diag d = {0};
    assert_int_equal(sva_db_audit_list(db, f, &v, &n, &d), SVA_OK);
    if (first)
        *first = n ? v[0].id : -1;
    sva_audits_free(v, n);
    return n;
}

static void test_list_filters_and_void(void **state)
{
    (void)state;
    sva_db *db = org_db("list.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_checklist *ecl = mk(EMP_CL);
    sva_answer *a = store_answers_a(cl);
    sva_answer *ea = calloc(ecl->n_items, sizeof *ea);
    assert_non_null(ea);
    ans(ecl, ea, "a.one", "yes", NULL);
    ans(ecl, ea, "a.two", "3", NULL);
    ans(ecl, ea, "b.three", "na", NULL);
    ans(ecl, ea, "b.four", "yes", NULL);
    long long s1 = record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);
    long long s2 = record_ok(db, cl, "S2", NULL, "C0", "Li Na", "2026-10-12", a);
    long long e1 = record_ok(db, ecl, "S1", "E1", "C1", "Li Na", "2026-11-13", ea);
    long long e2 = record_ok(db, ecl, "S2", "E2", "C1", "Zhang Min", "2026-11-14", ea);

    long long first;
    sva_audit_filter f = {0};
    assert_int_equal(list_n(db, NULL, &first), 4);
    assert_int_equal(first, s1);
    f = (sva_audit_filter){.cycle = "C1"};
    assert_int_equal(list_n(db, &f, NULL), 3);
    f = (sva_audit_filter){.cycle = "C0"};
    assert_int_equal(list_n(db, &f, &first), 1);
    assert_int_equal(first, s2);
    f = (sva_audit_filter){.store = "S2"};
    assert_int_equal(list_n(db, &f, NULL), 2);
    f = (sva_audit_filter){.employee = "E1"};
    assert_int_equal(list_n(db, &f, &first), 1);
    assert_int_equal(first, e1);
    f = (sva_audit_filter){.checklist = "db_emp_test"};
    assert_int_equal(list_n(db, &f, NULL), 2);
    f = (sva_audit_filter){.auditor = "Li Na"};
    assert_int_equal(list_n(db, &f, NULL), 2);
    f = (sva_audit_filter){.region = "west"};
    assert_int_equal(list_n(db, &f, NULL), 2);
    f = (sva_audit_filter){.region = "west", .cycle = "C1", .auditor = "Zhang Min"};
    assert_int_equal(list_n(db, &f, &first), 1);
    assert_int_equal(first, e2);
    f = (sva_audit_filter){.store = "S404"};
    assert_int_equal(list_n(db, &f, NULL), 0);

    /* void: kept, out of the list, in it with include_voided */
    sva_diag d = {0};
    const char *p = tpath("list.db");
    long long answers = q_int(p, "SELECT count(*) FROM answer");
    assert_int_equal(sva_db_audit_void(db, s1, "shopper visited the wrong store", &d), SVA_OK);
    assert_int_equal(list_n(db, NULL, &first), 3);
    assert_int_equal(first, s2);
    f = (sva_audit_filter){.include_voided = true};
    sva_audit *v;
    size_t n;
    assert_int_equal(sva_db_audit_list(db, &f, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, s1);
    assert_true(v[0].voided);
    assert_string_equal(v[0].void_reason, "shopper visited the wrong store");
    assert_false(v[1].voided);
    sva_audits_free(v, n);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 4);
    assert_int_equal(q_int(p, "SELECT count(*) FROM answer"), answers);
    sva_cycle *c;
    assert_int_equal(sva_db_cycle_get(db, "C1", &c, &d), SVA_OK);
    assert_int_equal(c->n_audits, 2); /* three in C1, one void */
    sva_cycles_free(c, 1);
    sva_audit_detail *ad;
    assert_int_equal(sva_db_audit_get(db, s1, &ad, &d), SVA_OK);
    assert_true(ad->audit.voided);
    assert_near(ad->audit.pct, 31.875); /* the record stays as it was */
    sva_audit_detail_free(ad);

    char *before = snapshot(p);
    assert_int_equal(sva_db_audit_void(db, s1, "again", &d), SVA_ERR_STATE);
    sva_diag_clear(&d);
    assert_int_equal(sva_db_audit_void(db, 999, "no such audit", &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "999"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_audit_void(db, s2, "", &d), SVA_ERR_INVALID);
    sva_diag_clear(&d);
    char *after = snapshot(p);
    assert_string_equal(after, before);
    free(before);
    free(after);

    /* audits are never deleted, even by hand: a trigger refuses */
    sqlite3 *h;
    assert_int_equal(sqlite3_open(p, &h), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 4);

    free(a);
    free(ea);
    sva_checklist_free(cl);
    sva_checklist_free(ecl);
    sva_db_close(db);
}

/* ---- merge --------------------------------------------------------------------------- */

static sva_error merge(sva_db *db, const char *other, sva_merge_stats *st, sva_diag *d)
{
    memset(st, 0xff, sizeof *st); /* must be filled in */
    return sva_db_merge(db, other, st, d);
}

static void test_merge(void **state)
{
    (void)state;
    sva_db *office = org_db("office.db");
    sva_db *laptop = org_db("laptop.db");
    const char *op = tpath("office.db"), *lp = tpath("laptop.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_checklist *ecl = mk(EMP_CL);
    sva_answer *a = store_answers_a(cl);
    sva_answer *ea = calloc(ecl->n_items, sizeof *ea);
    assert_non_null(ea);
    ans(ecl, ea, "a.one", "no", "no name given");
    ans(ecl, ea, "a.two", "4", NULL);
    ans(ecl, ea, "b.three", "2", NULL);
    ans(ecl, ea, "b.four", "yes", NULL);

    /* the office has one audit of its own; the laptop a new store, employee, cycle */
    record_ok(office, cl, "S2", NULL, "C1", "Office", "2026-11-02", a);
    sva_diag d = {0};
    sva_store s3 = {"S3", "Sunrise Xian", "west"};
    sva_employee e3 = {"E3", "Zhao Lei", "S3", "sales"};
    assert_int_equal(sva_db_store_add(laptop, &s3, &d), SVA_OK);
    assert_int_equal(sva_db_employee_add(laptop, &e3, &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(laptop, "C2", "2026-12-01", "2026-12-31", &d), SVA_OK);
    long long l1 = record_ok(laptop, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);
    long long l2 = record_ok(laptop, ecl, "S3", "E3", "C2", "Zhang Min", "2026-12-03", ea);
    (void)l1;
    (void)l2;
    sva_db_close(laptop);

    sva_merge_stats st;
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    if (d.n)
        diag_dump(&d);
    assert_int_equal(d.n, 0);
    assert_int_equal(st.audits_added, 2);
    assert_int_equal(st.audits_same, 0);
    assert_int_equal(st.stores_added, 1);
    assert_int_equal(st.employees_added, 1);
    assert_int_equal(st.cycles_added, 1);
    assert_int_equal(st.checklists_added, 1); /* the store checklist is here already */
    assert_int_equal(st.conflicts, 0);
    assert_int_equal(q_int(op, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(q_int(op, "SELECT count(*) FROM checklist_version"), 2);
    /* office's own 6 answers + laptop's 6 (store) + 4 (employee); 3 + 3 + 2 sections */
    assert_int_equal(q_int(op, "SELECT count(*) FROM answer"), 16);
    assert_int_equal(q_int(op, "SELECT count(*) FROM section_score"), 8);
    assert_int_equal(q_int(op, "SELECT count(*) FROM store WHERE id = 'S3'"), 1);
    assert_int_equal(q_int(op, "SELECT count(*) FROM employee WHERE id = 'E3'"), 1);
    assert_int_equal(q_int(op, "SELECT count(*) FROM cycle WHERE id = 'C2'"), 1);
    /* the merged audits' answered and passed counts (schema 2), from their answers:
     * store answers A 4 answered, 2 passed (tidy 3 of 0-4, clean 7 of 0-10); the
     * employee audit 4 answered, 3 passed (a.two 4 of 0-5, b.three 2 of points:4, b.four) */
    assert_int_equal(q_int(op, "SELECT n_answered * 100 + n_passed FROM audit"
                               " WHERE store_id = 'S1' AND auditor = 'Zhang Min'"),
                     402);
    assert_int_equal(q_int(op, "SELECT n_answered * 100 + n_passed FROM audit"
                               " WHERE employee_id = 'E3'"),
                     403);
    /* same UUIDs on both sides */
    char *u1 = q_text(lp, "SELECT group_concat(uuid) FROM (SELECT uuid FROM audit ORDER BY uuid)");
    char *u2 = q_text(op, "SELECT group_concat(uuid) FROM (SELECT uuid FROM audit"
                          " WHERE auditor = 'Zhang Min' ORDER BY uuid)");
    assert_string_equal(u1, u2);
    free(u1);
    free(u2);

    /* the merged employee audit reads back whole, with its note and scores:
     *   a.one no 0/2, a.two 4 on 0-5 0.8/1, b.three 2 on points:4 0.5/1, b.four yes 3/3
     *   raw = 4.3 / 7 = 61.428...%; a.one critical failed, policy zero -> 0 */
    sva_audit_filter f = {.employee = "E3"};
    sva_audit *v;
    size_t n;
    assert_int_equal(sva_db_audit_list(office, &f, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 1);
    long long merged_id = v[0].id;
    assert_string_equal(v[0].region, "west");
    sva_audits_free(v, n);
    sva_audit_detail *ad;
    assert_int_equal(sva_db_audit_get(office, merged_id, &ad, &d), SVA_OK);
    assert_string_equal(ad->answers[idx(ecl, "a.one")].note, "no name given");
    assert_int_equal(ad->answers[idx(ecl, "b.three")].value, 2);
    assert_near(ad->audit.raw_pct, 4.3 / 7.0 * 100.0);
    assert_near(ad->audit.pct, 0.0);
    assert_true(ad->audit.failed);
    assert_near(ad->score.sections[sidx(ecl, "b")].pct, 3.5 / 4.0 * 100.0);
    sva_audit_detail_free(ad);

    /* merging again adds nothing */
    char *before = snapshot(op);
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    assert_int_equal(st.audits_added, 0);
    assert_int_equal(st.audits_same, 2);
    assert_int_equal(st.stores_added + st.employees_added + st.cycles_added +
                         st.checklists_added + st.conflicts,
                     0);
    char *after = snapshot(op);
    assert_string_equal(after, before);
    free(after);
    free(before);

    /* a void made on the laptop later travels with the next merge */
    laptop = open_db(lp, SVA_DB_EXISTING);
    assert_int_equal(sva_db_audit_void(laptop, l1, "wrong store", &d), SVA_OK);
    sva_db_close(laptop);
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    assert_int_equal(st.audits_added, 0);
    assert_int_equal(q_int(op, "SELECT count(*) FROM audit WHERE void_reason = 'wrong store'"),
                     1);

    /* master data: laptop2 named S1 otherwise, later; the later change wins, the
     * office's name stays in the history, and laptop2's audit on S1 merges */
    sva_db *l2db = open_db(tpath("laptop2.db"), SVA_DB_CREATE);
    sva_store s1b = {"S1", "Sunrise Shanghai North", "east"};
    assert_int_equal(sva_db_store_add(l2db, &s1b, &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(l2db, "C1", "2026-11-01", "2026-11-30", &d), SVA_OK);
    record_ok(l2db, cl, "S1", NULL, "C1", "Wu Gang", "2026-11-20", a);
    sva_db_close(l2db);
    q_exec(tpath("laptop2.db"), "UPDATE store SET changed_at = '2030-01-01T00:00:00Z'"
                                " WHERE id = 'S1'");
    assert_int_equal(merge(office, tpath("laptop2.db"), &st, &d), SVA_OK);
    assert_int_equal(st.conflicts, 0);
    assert_int_equal(st.master_changed, 1);
    assert_int_equal(st.audits_added, 1);
    sva_diag_clear(&d);
    char *name = q_text(op, "SELECT name FROM store WHERE id = 'S1'");
    assert_string_equal(name, "Sunrise Shanghai North");
    free(name);
    assert_int_equal(q_int(op, "SELECT count(*) FROM store_history WHERE id = 'S1'"
                               " AND name = 'Sunrise Shanghai'"),
                     1);
    assert_int_equal(q_int(op, "SELECT count(*) FROM audit WHERE auditor = 'Wu Gang'"), 1);
    /* and again: nothing changes */
    before = snapshot(op);
    assert_int_equal(merge(office, tpath("laptop2.db"), &st, &d), SVA_OK);
    assert_int_equal(st.master_changed + st.audits_added + st.conflicts, 0);
    after = snapshot(op);
    assert_string_equal(after, before);
    free(after);
    free(before);
    sva_diag_clear(&d);

    /* not an svcaudit database: refused, neither file changed */
    const char *txt = tpath("notes.csv");
    write_text(txt, "id,name\nS1,x\n");
    const char *other = tpath("other_merge.sqlite");
    q_exec(other, "PRAGMA journal_mode = DELETE; CREATE TABLE audit(uuid TEXT)");
    const char *files[] = {txt, other};
    for (size_t k = 0; k < 2; k++) {
        before = snapshot(op);
        size_t l0, l1n;
        char *b0 = read_all(files[k], &l0);
        assert_int_equal(merge(office, files[k], &st, &d), SVA_ERR_DB);
        assert_true(diag_has(&d, -1, "not an svcaudit database"));
        sva_diag_clear(&d);
        after = snapshot(op);
        assert_string_equal(after, before);
        char *b1 = read_all(files[k], &l1n);
        assert_int_equal(l1n, l0);
        assert_memory_equal(b1, b0, l0);
        free(b0);
        free(b1);
        free(before);
        free(after);
    }
    assert_true(merge(office, tpath("missing.db"), &st, &d) != SVA_OK);
    sva_diag_clear(&d);
    assert_false(exists(tpath("missing.db")));

    free(a);
    free(ea);
    sva_checklist_free(cl);
    sva_checklist_free(ecl);
    sva_db_close(office);
}

/* A change made elsewhere to a record is a conflict, never applied silently;
 * a person settles it (who and when kept), and the decision travels back. */
static void test_merge_conflicts(void **state)
{
    (void)state;
    sva_db *office = org_db("c_office.db");
    sva_db *laptop = org_db("c_laptop.db");
    const char *op = tpath("c_office.db"), *lp = tpath("c_laptop.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    sva_diag d = {0};
    sva_merge_stats st;
    long long oa = record_ok(office, cl, "S1", NULL, "C1", "Office", "2026-11-02", a);
    sva_target t = {.cycle = "C1", .scope = SVA_SCOPE_NETWORK, .scope_id = "", .metric = "ssi",
                    .value = 85};
    assert_int_equal(sva_db_target_set(office, &t, NULL, &d), SVA_OK);
    sva_identity oid, lid;
    assert_int_equal(sva_db_identity(office, &oid, &d), SVA_OK);
    assert_int_equal(sva_db_identity(laptop, &lid, &d), SVA_OK);
    assert_string_not_equal(oid.uuid, lid.uuid);
    sva_db_close(office);

    /* the laptop takes the office's audit; it knows where it was made */
    assert_int_equal(merge(laptop, op, &st, &d), SVA_OK);
    assert_int_equal(st.audits_added, 1);
    assert_int_equal(st.targets_added, 1);
    char *origin = q_text(lp, "SELECT origin FROM audit");
    assert_string_equal(origin, oid.uuid);
    free(origin);
    /* it voids the office's audit, and sets the target otherwise */
    sva_audit *v;
    size_t n;
    assert_int_equal(sva_db_audit_list(laptop, NULL, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sva_db_audit_void(laptop, v[0].id, "not our visit", &d), SVA_OK);
    sva_audits_free(v, n);
    t.value = 80;
    assert_int_equal(sva_db_target_set(laptop, &t, NULL, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    sva_db_close(laptop);

    /* the office: two conflicts, its own records as they were */
    office = open_db(op, SVA_DB_EXISTING);
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    assert_int_equal(st.conflicts, 2);
    assert_int_equal(st.conflicts_new, 2);
    assert_int_equal(st.voids + st.updated, 0);
    assert_true(diag_has(&d, -1, "conflict 1"));
    sva_diag_clear(&d);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE id = %lld AND voided_at IS NULL",
             oa);
    assert_int_equal(q_int(op, sql), 1);
    assert_int_equal(q_int(op, "SELECT value FROM target"), 85);
    /* again: the same conflicts, still open, nothing new */
    char *before = snapshot(op);
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    assert_int_equal(st.conflicts, 2);
    assert_int_equal(st.conflicts_new, 0);
    char *after = snapshot(op);
    assert_string_equal(after, before);
    free(before);
    free(after);

    /* listed with what differs */
    sva_conflict *c;
    assert_int_equal(sva_db_conflicts(office, false, &c, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    long long audit_conflict = 0, target_conflict = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(c[i].sender, lid.uuid);
        assert_false(c[i].here_missing);
        if (strcmp(c[i].kind, "audit") == 0) {
            audit_conflict = c[i].id;
            bool seen = false;
            for (size_t k = 0; k < c[i].n_fields; k++)
                if (strcmp(c[i].fields[k].name, "void_reason") == 0) {
                    assert_null(c[i].fields[k].here);
                    assert_string_equal(c[i].fields[k].there, "not our visit");
                    seen = true;
                }
            assert_true(seen);
        } else {
            assert_string_equal(c[i].kind, "target");
            assert_string_equal(c[i].key, "C1/network//ssi");
            target_conflict = c[i].id;
        }
    }
    sva_conflicts_free(c, n);

    /* settled: the void taken, by whom and when; a second time refused */
    assert_int_equal(sva_db_conflict_resolve(office, audit_conflict, true, "", &d),
                     SVA_ERR_INVALID);
    sva_diag_clear(&d);
    assert_int_equal(sva_db_conflict_resolve(office, audit_conflict, true, "Chen Jie", &d),
                     SVA_OK);
    assert_int_equal(q_int(op, sql), 0);
    snprintf(sql, sizeof sql, "SELECT sync_rev FROM audit WHERE id = %lld", oa);
    assert_int_equal(q_int(op, sql), 1); /* made here: the decision counts as a change */
    assert_int_equal(sva_db_conflict_resolve(office, audit_conflict, false, "Chen Jie", &d),
                     SVA_ERR_STATE);
    assert_true(diag_has(&d, -1, "Chen Jie"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_conflict_resolve(office, target_conflict, false, "Chen Jie", &d),
                     SVA_OK);
    assert_int_equal(sva_db_conflict_resolve(office, 99, false, "Chen Jie", &d),
                     SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
    assert_int_equal(sva_db_conflicts(office, false, &c, &n, &d), SVA_OK);
    assert_int_equal(n, 0);
    sva_conflicts_free(c, n);
    assert_int_equal(sva_db_conflicts(office, true, &c, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].resolved_by, "Chen Jie");
    sva_conflicts_free(c, n);
    /* the laptop's file again: settled conflicts stay settled, nothing new */
    assert_int_equal(merge(office, lp, &st, &d), SVA_OK);
    assert_int_equal(st.conflicts, 0);
    sva_db_close(office);

    /* back on the laptop: the office's decision arrives; its void is the laptop's,
     * so no conflict; the target made in two places is one */
    laptop = open_db(lp, SVA_DB_EXISTING);
    assert_int_equal(merge(laptop, op, &st, &d), SVA_OK);
    assert_int_equal(q_int(lp, "SELECT count(*) FROM audit WHERE voided_at IS NOT NULL"
                               " AND changed_in IS NULL AND sync_rev = 1"),
                     1);
    assert_int_equal(st.conflicts, 1); /* the target: 85 there, 80 here */
    sva_diag_clear(&d);
    sva_db_close(laptop);

    free(a);
    sva_checklist_free(cl);
}

/* ---- a second writer waits --------------------------------------------------------------- */

/* Is process @p pid inside a sleep system call (SQLite's busy handler sleeps
 * between tries)? -1 when /proc/PID/syscall cannot be read. */
static int in_sleep_syscall(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/syscall", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (n == 0 || !(buf[0] >= '0' && buf[0] <= '9'))
        return buf[0] == 'r' ? 0 : -1; /* "running" */
    long nr = strtol(buf, NULL, 10);
#ifdef SYS_nanosleep
    if (nr == SYS_nanosleep)
        return 1;
#endif
#ifdef SYS_clock_nanosleep
    if (nr == SYS_clock_nanosleep)
        return 1;
#endif
    return 0;
}

/* A read of many queries sees one snapshot: an audit recorded by another
 * connection while a read is open is in none of its queries until the read
 * ends (then in all); nested reads share the outer one; the file is not
 * written by the read itself. */
static size_t n_audits(sva_db *db)
{
    sva_audit *v = NULL;
    size_t n = 0;
    sva_diag d = {0};
    assert_int_equal(sva_db_audit_list(db, NULL, &v, &n, &d), SVA_OK);
    sva_audits_free(v, n);
    return n;
}

static void test_read_snapshot(void **state)
{
    (void)state;
    const char *p = tpath("snap.db");
    sva_db *w = org_db("snap.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    record_ok(w, cl, "S1", NULL, "C1", "Zhang", "2026-11-03", a);
    sva_db *r = open_db(p, SVA_DB_EXISTING);
    sva_diag d = {0};
    assert_int_equal(sva_db_read_begin(r, &d), SVA_OK);
    assert_int_equal(n_audits(r), 1);
    assert_int_equal(sva_db_read_begin(r, &d), SVA_OK); /* nested */
    record_ok(w, cl, "S2", NULL, "C1", "Zhang", "2026-11-04", a);
    assert_int_equal(n_audits(r), 1);
    sva_db_read_end(r); /* the inner end keeps the snapshot */
    assert_int_equal(n_audits(r), 1);
    sva_db_read_end(r);
    assert_int_equal(n_audits(r), 2);
    sva_db_read_end(r); /* one end too many does nothing */
    assert_int_equal(n_audits(r), 2);
    sva_db_close(r);
    sva_db_close(w);
    free(a);
    sva_checklist_free(cl);
}

static const sva_item_fact *fact_of(const sva_item_fact *v, size_t n, const char *item)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].item, item) == 0)
            return &v[i];
    return NULL;
}

/* Item facts are summed from the audits' item marks; an audit whose marks do
 * not fit its stored version (emptied, cut) makes them summed from the answers
 * instead, with the same result, field by field and in the same order. */
static void test_item_facts_marks(void **state)
{
    (void)state;
    const char *p = tpath("facts.db");
    sva_db *db = org_db("facts.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    record_ok(db, cl, "S1", NULL, "C1", "Zhang", "2026-11-03", a);
    record_ok(db, cl, "S2", NULL, "C1", "Zhang", "2026-11-04", a);
    ans(cl, a, "front.greet", "yes", NULL);
    long long last = record_ok(db, cl, "S2", NULL, "C1", "Li", "2026-11-05", a);
    record_ok(db, cl, "S1", NULL, "C0", "Zhang", "2026-10-03", a); /* another cycle */
    sva_diag d = {0};
    sva_item_fact *m = NULL, *x = NULL;
    size_t nm = 0, nx = 0;
    assert_int_equal(sva_db_item_facts(db, "C1", NULL, &m, &nm, &d), SVA_OK);
    /* front.sign and extra.bonus are N/A everywhere: not counted */
    assert_int_equal(nm, cl->n_items - 2);
    assert_null(fact_of(m, nm, "front.sign"));
    const sva_item_fact *g = fact_of(m, nm, "front.greet"), *e = fact_of(m, nm, "back.exit");
    assert_non_null(g);
    assert_int_equal(g->answered, 3);
    assert_int_equal(g->passed, 1);
    assert_int_equal(g->stores, 2);
    assert_int_equal(g->stores_failing, 2); /* S2 failed it once of two */
    assert_string_equal(g->section, "front");
    assert_int_equal(g->version, 1);
    assert_non_null(e);
    assert_int_equal(e->answered, 3);
    assert_int_equal(e->passed, 0);
    assert_string_equal(e->failing, "S1, S2");
    for (int k = 0; k < 2; k++) {
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE audit SET item_marks = '%s' WHERE id = %lld",
                 k == 0 ? "" : "1-", last);
        q_exec(p, sql);
        assert_int_equal(sva_db_item_facts(db, "C1", NULL, &x, &nx, &d), SVA_OK);
        assert_int_equal(nx, nm);
        for (size_t i = 0; i < nm; i++) {
            assert_string_equal(x[i].checklist, m[i].checklist);
            assert_string_equal(x[i].item, m[i].item);
            assert_string_equal(x[i].section, m[i].section);
            assert_int_equal(x[i].version, m[i].version);
            assert_int_equal(x[i].answered, m[i].answered);
            assert_int_equal(x[i].passed, m[i].passed);
            assert_int_equal(x[i].stores, m[i].stores);
            assert_int_equal(x[i].stores_failing, m[i].stores_failing);
            assert_true((x[i].failing == NULL) == (m[i].failing == NULL));
            if (m[i].failing)
                assert_string_equal(x[i].failing, m[i].failing);
        }
        sva_item_facts_free(x, nx);
    }
    /* a region: S1 (east) alone */
    assert_int_equal(sva_db_item_facts(db, "C1", "east", &x, &nx, &d), SVA_OK);
    assert_int_equal(fact_of(x, nx, "front.greet")->answered, 1);
    assert_string_equal(fact_of(x, nx, "back.exit")->failing, "S1");
    sva_item_facts_free(x, nx);
    sva_item_facts_free(m, nm);
    sva_db_close(db);
    free(a);
    sva_checklist_free(cl);
}

/* A write on the reading connection ends its snapshot, nested or not: the
 * write is made, the connection's reads see it and what another connection
 * wrote, and the sva_db_read_end calls left over do nothing. Each outermost
 * begin has a new number. */
static void test_read_then_write(void **state)
{
    (void)state;
    const char *p = tpath("snapw.db");
    sva_db *w = org_db("snapw.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    sva_db *r = open_db(p, SVA_DB_EXISTING);
    sva_diag d = {0};
    assert_int_equal(sva_db_read_snapshot(r), 0);
    assert_int_equal(sva_db_read_begin(r, &d), SVA_OK);
    unsigned long first = sva_db_read_snapshot(r);
    assert_true(first != 0);
    assert_int_equal(sva_db_read_begin(r, &d), SVA_OK); /* nested: the same one */
    assert_int_equal(sva_db_read_snapshot(r), first);
    assert_int_equal(n_audits(r), 0);
    record_ok(w, cl, "S1", NULL, "C1", "Zhang", "2026-11-03", a);
    assert_int_equal(n_audits(r), 0);
    record_ok(r, cl, "S2", NULL, "C1", "Zhang", "2026-11-04", a); /* ends it */
    assert_int_equal(sva_db_read_snapshot(r), 0);
    assert_int_equal(n_audits(r), 2);
    sva_db_read_end(r);
    sva_db_read_end(r);
    assert_int_equal(n_audits(r), 2);
    assert_int_equal(sva_db_read_begin(r, &d), SVA_OK);
    assert_true(sva_db_read_snapshot(r) != first);
    assert_int_equal(n_audits(r), 2); /* the snapshot is taken at the first query */
    record_ok(w, cl, "S1", NULL, "C1", "Zhang", "2026-11-05", a);
    assert_int_equal(n_audits(r), 2);
    sva_db_read_end(r);
    assert_int_equal(sva_db_read_snapshot(r), 0);
    assert_int_equal(n_audits(r), 3);
    sva_db_close(r);
    sva_db_close(w);
    free(a);
    sva_checklist_free(cl);
}

/*
 * Deterministic, no timing: the child waits on a pipe, then tries to record
 * while the parent holds a batch (BEGIN IMMEDIATE). The parent commits only
 * once it has seen the child sleeping in SQLite's busy handler (a sleep system
 * call: nothing else in the child sleeps). The child must then succeed.
 */
static void test_second_writer_waits(void **state)
{
    (void)state;
    const char *p = tpath("busy.db");
    sva_db *db = org_db("busy.db");
    sva_db_close(db); /* no connection may cross fork() */
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);

    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(go[1]);
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(10);
        sva_db *h = NULL;
        if (sva_db_open(p, SVA_DB_EXISTING, &h, NULL) != SVA_OK)
            _exit(11);
        recording in = {.cl = cl,
                        .h = {.cycle = "C1", .store = "S2", .employee = NULL, .auditor = "Child",
                              .date = "2026-11-20"},
                        .answers = a};
        long long id = 0;
        sva_error rc = record(h, &in, &id, NULL);
        sva_db_close(h);
        _exit(rc == SVA_OK ? 0 : 20 + (int)rc);
    }
    close(go[0]);
    db = open_db(p, SVA_DB_EXISTING);
    sva_diag d = {0};
    assert_int_equal(sva_db_batch_begin(db, &d), SVA_OK);
    sva_store s9 = {"S9", "Batch Store", "north"};
    assert_int_equal(sva_db_store_add(db, &s9, &d), SVA_OK);
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);

    int status = 0, seen = 0, unreadable = 0;
    pid_t done = 0;
    for (;;) {
        done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break; /* finished while we hold the lock: it did not wait */
        int s = in_sleep_syscall(pid);
        if (s < 0) {
            unreadable = 1;
            break;
        }
        if (s == 1) {
            seen = 1;
            break;
        }
        sched_yield();
    }
    if (unreadable) {
        sva_db_batch_end(db, false, &d);
        sva_db_close(db);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        free(a);
        sva_checklist_free(cl);
        skip(); /* /proc/PID/syscall not readable here */
    }
    if (!seen) {
        print_error("the second writer ended (status %d) while the first held the lock\n",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        sva_db_batch_end(db, false, &d);
        fail();
    }
    /* the child is waiting; nothing of it is in the file yet */
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(sva_db_batch_end(db, true, &d), SVA_OK);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit WHERE auditor = 'Child'"), 1);
    assert_int_equal(q_int(p, "SELECT count(*) FROM store WHERE id = 'S9'"), 1);
    sva_db_close(db);
    free(a);
    sva_checklist_free(cl);
}

/* A batch rolled back leaves nothing; committed, everything. */
static void test_batch(void **state)
{
    (void)state;
    const char *p = tpath("batch.db");
    sva_db *db = org_db("batch.db");
    sva_diag d = {0};
    char *before = snapshot(p);
    assert_int_equal(sva_db_batch_begin(db, &d), SVA_OK);
    assert_int_equal(sva_db_batch_begin(db, &d), SVA_ERR_USAGE);
    sva_diag_clear(&d);
    sva_store s = {"B1", "Batch One", ""};
    assert_int_equal(sva_db_store_add(db, &s, &d), SVA_OK);
    /* a failing write inside the batch rolls back only itself */
    sva_store dup = {"B1", "Other", ""};
    assert_int_equal(sva_db_store_add(db, &dup, &d), SVA_ERR_CONFLICT);
    sva_diag_clear(&d);
    assert_int_equal(sva_db_batch_end(db, false, &d), SVA_OK);
    char *after = snapshot(p);
    assert_string_equal(after, before);
    free(after);
    assert_int_equal(sva_db_batch_begin(db, &d), SVA_OK);
    assert_int_equal(sva_db_store_add(db, &s, &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(db, "B-C", "2027-01-01", "2027-01-31", &d), SVA_OK);
    assert_int_equal(sva_db_batch_end(db, true, &d), SVA_OK);
    assert_int_equal(q_int(p, "SELECT count(*) FROM store WHERE id = 'B1'"), 1);
    assert_int_equal(q_int(p, "SELECT count(*) FROM cycle WHERE id = 'B-C'"), 1);
    free(before);
    sva_db_close(db);
}

/* A batch keeps what its recordings look up (the cycle, a store on a day,
 * the checklist version), but never past another write in it: a store
 * closed inside the batch refuses the next audit there on a day already
 * looked up. The same audit twice in a batch is recorded once (the second
 * refused, nothing of it written, the batch going on); the cycle moves to
 * do; one change-log line per audit. */
static void test_batch_lookups(void **state)
{
    (void)state;
    const char *p = tpath("batch_look.db");
    sva_db *db = org_db("batch_look.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    sva_diag d = {0};
    assert_int_equal(q_int(p, "SELECT count(*) FROM cycle WHERE id = 'C1' AND state = 'plan'"), 1);
    assert_int_equal(sva_db_batch_begin(db, &d), SVA_OK);
    long long id1 = record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-21", a);
    long long id2 = record_ok(db, cl, "S2", NULL, "C1", "Zhang Min", "2026-11-21", a);
    assert_true(id2 == id1 + 1);
    recording same = {.cl = cl,
                      .h = {.cycle = "C1", .store = "S2", .auditor = "Zhang Min",
                            .date = "2026-11-21"},
                      .answers = a};
    long long id = 0;
    assert_int_equal(record(db, &same, &id, &d), SVA_ERR_CONFLICT);
    assert_true(diag_has(&d, 0, "recorded already as audit"));
    sva_diag_clear(&d);
    assert_int_equal(sva_db_store_set_active(db, "S1", false, "2026-11-20", &d), SVA_OK);
    recording late = {.cl = cl,
                      .h = {.cycle = "C1", .store = "S1", .auditor = "Li Na",
                            .date = "2026-11-21"},
                      .answers = a};
    assert_int_equal(record(db, &late, &id, &d), SVA_ERR_INVALID);
    assert_true(diag_has(&d, 0, "store 'S1' is not active on 2026-11-21"));
    sva_diag_clear(&d);
    long long id3 = record_ok(db, cl, "S2", NULL, "C1", "Li Na", "2026-11-22", a);
    assert_true(id3 == id2 + 1);
    assert_int_equal(sva_db_batch_end(db, true, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(q_int(p, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(q_int(p, "SELECT count(DISTINCT audit_id) FROM answer"), 3);
    assert_int_equal(q_int(p, "SELECT count(*) FROM change_log WHERE what = 'record'"), 3);
    assert_int_equal(q_int(p, "SELECT count(*) FROM checklist_version"), 1);
    assert_int_equal(q_int(p, "SELECT count(*) FROM cycle WHERE id = 'C1' AND state = 'do'"), 1);
    free(a);
    sva_checklist_free(cl);
    sva_db_close(db);
}

/* The duplicate rule's fingerprint is stored with every audit and compared
 * with audits recorded by other builds (merge, a batch run again), so its
 * text never changes: SHA-256 of the checklist hash, cycle, store, employee,
 * auditor and date, one per line, then per item "na|value|len:note|len:evidence". */
static void test_fingerprint_format(void **state)
{
    (void)state;
    const char *p = tpath("fingerprint.db");
    sva_db *db = org_db("fingerprint.db");
    sva_checklist *cl = mk(STORE_CL);
    sva_answer *a = store_answers_a(cl);
    long long id = record_ok(db, cl, "S1", NULL, "C1", "Zhang Min", "2026-11-12", a);
    sva_buf b = {0};
    sva_buf_printf(&b, "%s\nC1\nS1\n\nZhang Min\n2026-11-12\n", cl->hash);
    for (size_t i = 0; i < cl->n_items; i++) {
        const char *note = a[i].note ? a[i].note : "", *ev = a[i].evidence ? a[i].evidence : "";
        sva_buf_printf(&b, "%d|%d|%zu:%s|%zu:%s\n", a[i].na ? 1 : 0, a[i].na ? 0 : a[i].value,
                       strlen(note), note, strlen(ev), ev);
    }
    assert_false(b.failed);
    char want[65], sql[80];
    sva_sha256_hex(b.data, b.len, want);
    snprintf(sql, sizeof sql, "SELECT fingerprint FROM audit WHERE id = %lld", id);
    char *got = q_text(p, sql);
    assert_string_equal(got, want);
    free(got);
    sva_buf_free(&b);
    free(a);
    sva_checklist_free(cl);
    sva_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_create),
        cmocka_unit_test(test_open_refuses_foreign_files),
        cmocka_unit_test(test_open_refuses_foreign_user_version),
        cmocka_unit_test(test_migrate_from_schema_1),
        cmocka_unit_test(test_store_employee_add_list),
        cmocka_unit_test(test_import_all_or_nothing),
        cmocka_unit_test(test_cycle_open),
        cmocka_unit_test(test_record_store_audit),
        cmocka_unit_test(test_record_employee_audit),
        cmocka_unit_test(test_checklist_version_stored_once),
        cmocka_unit_test(test_record_validation_writes_nothing),
        cmocka_unit_test(test_store_part),
        cmocka_unit_test(test_list_filters_and_void),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_merge_conflicts),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_batch_lookups),
        cmocka_unit_test(test_fingerprint_format),
        cmocka_unit_test(test_second_writer_waits),
        cmocka_unit_test(test_read_snapshot),
        cmocka_unit_test(test_read_then_write),
        cmocka_unit_test(test_item_facts_marks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

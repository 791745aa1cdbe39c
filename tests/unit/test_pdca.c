/* svcaudit tests: the PDCA cycle (pdca.h, analysis.h) through the library, on
 * real SQLite files in a mkdtemp folder: targets and their precedence
 * (store, else region, else network), targets files, 5W1H actions with their
 * history and lifecycle, actions from an audit's failed items, customer
 * surveys shown beside (never mixed into) the audit figures, cycle states,
 * reasons, closing with carry-over, and done actions verified or reopened by
 * the next cycle's answers.
 *
 * Every expected number is worked out by hand in the comments from SPEC.md
 * ("Scoring rules", "PDCA cycles") and README.md ("Plan, Do, Check, Act");
 * none was copied from running the code. Refused calls must change nothing:
 * the whole database is compared before and after. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sqlite3.h>

/* cmocka 1.1.5's assert_float_equal works in float; compare doubles here.
 * Figures are shown at one decimal, so 1e-6 is far below anything that matters. */
#define EPS 1e-6
#define assert_near(actual, expected)                                                        \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= EPS)) {                                                       \
            print_error("%s = %.12g, expected %.12g\n", #actual, a_, e_);                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

#define KV(k, v) ((sva_kv){(char *)(k), (char *)(v)})

/* ---- the temp folder and files ------------------------------------------------- */

static char g_dir[1024];
static char *g_paths[256];
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

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
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
    snprintf(g_dir, sizeof g_dir, "%s/svcaudit-test-pdca.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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
#define SNAP_PUT(s, sep)                                                                     \
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
        out[n++] = (sep);                                                                    \
        out[n] = '\0';                                                                       \
    } while (0)
    while (sqlite3_step(tabs) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tabs, 0);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t);
        SNAP_PUT(t, '\n');
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int nc = sqlite3_column_count(st);
            for (int c = 0; c < nc; c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                SNAP_PUT(v ? (const char *)v : "<null>", c + 1 == nc ? '\n' : '|');
            }
        }
        sqlite3_finalize(st);
    }
#undef SNAP_PUT
    sqlite3_finalize(tabs);
    sqlite3_close(h);
    return out;
}

static void expect_same(const char *before, const char *path, const char *what)
{
    char *after = snapshot(path);
    if (strcmp(before, after) != 0) {
        print_error("%s: the database changed\n", what);
        free(after);
        fail();
    }
    free(after);
}

/* ---- diagnostics -------------------------------------------------------------- */

/* A message (at @p line unless -1, in a file ending with @p file unless NULL)
 * that contains every one of the NULL-terminated needles. */
static int diag_find(const sva_diag *d, const char *file, int line, ...)
{
    for (size_t i = 0; i < d->n; i++) {
        const sva_diag_msg *m = &d->msgs[i];
        if (line >= 0 && m->line != line)
            continue;
        if (file) {
            if (!m->file)
                continue;
            size_t a = strlen(m->file), b = strlen(file);
            if (a < b || strcmp(m->file + a - b, file) != 0)
                continue;
        }
        va_list ap;
        va_start(ap, line);
        int all = 1;
        const char *needle;
        while ((needle = va_arg(ap, const char *)))
            all &= strstr(m->msg, needle) != NULL;
        va_end(ap);
        if (all)
            return 1;
    }
    return 0;
}

#define expect_diag(d, file, line, ...)                                                      \
    do {                                                                                     \
        if (!diag_find((d), (file), (line), __VA_ARGS__, (const char *)NULL)) {              \
            print_error("no diagnostic at %s:%d with: %s\n", (file) ? (file) : "-", (line),  \
                        #__VA_ARGS__);                                                       \
            diag_dump(d);                                                                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* ---- the world: a database, a catalog with an inline checklist, the 5W1H form ---- */

/* pdca_unit: a store checklist feeding SSI with four yes/no items of weight 1
 * in two sections without weights, so points pool (SPEC "Scoring rules") and
 * an audit scores (yes answers) / 4 x 100: 4 -> 100, 3 -> 75, 2 -> 50, 1 -> 25. */
static const char UNIT_CL[] = "[checklist]\n"
                              "id = pdca_unit\n"
                              "version = 1\n"
                              "title = PDCA unit store check\n"
                              "subject = store\n"
                              "index = ssi\n"
                              "scale = yesno\n"
                              "critical_policy = flag\n"
                              "\n[section.front]\ntitle = Front\n"
                              "\n[section.back]\ntitle = Back\n"
                              "\n[item.front.greet]\nsection = front\ntext = Greets within 60 s\n"
                              "\n[item.front.tidy]\nsection = front\ntext = Counter tidy\n"
                              "\n[item.back.clean]\nsection = back\ntext = Floor clean\n"
                              "\n[item.back.exit]\nsection = back\ntext = Exit clear\n";

/* The item order of the y/n strings given to record(). */
static const char *const ITEMS[4] = {"front.greet", "front.tidy", "back.clean", "back.exit"};

typedef struct world {
    const char *path;
    sva_db *db;
    sva_catalog *cat;
    sva_checklist *cl;     /* pdca_unit, parsed from UNIT_CL */
    const sva_form *form;  /* actions_5w1h from the shipped checklists */
} world;

/* A fresh database with three stores in two regions and the cycle 2026-11:
 *   SH-001 Sunrise Shanghai (East), SH-002 Sunrise Pudong (East),
 *   BJ-001 Capital Motors (North).
 * The catalog holds pdca_unit (written to a folder of its own) and the
 * shipped checklists with the 5W1H form. */
static void world_open(world *w, const char *name)
{
    memset(w, 0, sizeof *w);
    sva_diag d = {0};
    assert_int_equal(sva_checklist_parse("pdca_unit.ini", UNIT_CL, strlen(UNIT_CL), &w->cl, &d),
                     SVA_OK);
    const char *cldir = tpath("cl");
    mkdir(cldir, 0700);
    char file[2048];
    snprintf(file, sizeof file, "%s/pdca_unit.ini", cldir);
    write_text(file, UNIT_CL);
    char shipped[4096];
    snprintf(shipped, sizeof shipped, "%s", src_path("checklists"));
    const char *dirs[] = {cldir, shipped};
    assert_int_equal(sva_catalog_open(dirs, 2, &w->cat, &d), SVA_OK);
    const sva_checklist *found = sva_catalog_find(w->cat, "pdca_unit");
    assert_non_null(found);
    assert_string_equal(found->hash, w->cl->hash);
    w->form = sva_catalog_find_form(w->cat, "actions_5w1h");
    assert_non_null(w->form);

    w->path = tpath(name);
    unlink(w->path);
    assert_int_equal(sva_db_open(w->path, SVA_DB_CREATE, &w->db, &d), SVA_OK);
    sva_store st[] = {{"SH-001", "Sunrise Shanghai", "East"},
                      {"SH-002", "Sunrise Pudong", "East"},
                      {"BJ-001", "Capital Motors", "North"}};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(sva_db_store_add(w->db, &st[i], &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(w->db, "2026-11", "2026-11-01", "2026-11-30", &d),
                     SVA_OK);
    if (d.n)
        diag_dump(&d);
    assert_int_equal(d.n, 0);
}

static void world_close(world *w)
{
    sva_db_close(w->db);
    sva_catalog_free(w->cat);
    sva_checklist_free(w->cl);
}

static void open_cycle(world *w, const char *id, const char *from, const char *to)
{
    sva_diag d = {0};
    sva_error rc = sva_db_cycle_open(w->db, id, from, to, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
}

/* Record a pdca_unit audit; yn = four 'y'/'n' in ITEMS order. */
static long long record_by(world *w, const char *store, const char *cycle, const char *date,
                           const char *yn, const char *auditor);

static long long record(world *w, const char *store, const char *cycle, const char *date,
                        const char *yn)
{
    return record_by(w, store, cycle, date, yn, "Zhang Min");
}

static long long record_by(world *w, const char *store, const char *cycle, const char *date,
                           const char *yn, const char *auditor)
{
    assert_int_equal(strlen(yn), 4);
    sva_answer a[4];
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < 4; i++) {
        long k = sva_checklist_item_index(w->cl, ITEMS[i]);
        assert_true(k >= 0);
        a[k].answered = true;
        a[k].value = yn[i] == 'y';
    }
    sva_audit_header h = {.cycle = cycle, .store = store, .auditor = auditor, .date = date};
    const sva_audit_ready *ready = NULL;
    long long id = -1;
    sva_diag d = {0};
    sva_error rc = sva_audit_prepare(w->cl, &h, a, &ready, &d);
    if (!rc)
        rc = sva_db_audit_record(w->db, ready, false, &id, &d);
    sva_audit_ready_free(ready);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    return id;
}

static void target(world *w, const char *cycle, sva_scope scope, const char *id,
                   const char *metric, double value)
{
    sva_target t = {(char *)cycle, scope, (char *)id, (char *)metric, value, 0, 0, 0};
    sva_diag d = {0};
    sva_error rc = sva_db_target_set(w->db, &t, w->cat, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
}

/* Open an action with all six required 5W1H fields; item or section of pdca_unit. */
static long long action_full(world *w, const char *cycle, const char *store, const char *metric,
                             const char *item, const char *section, const char *who,
                             const char *when)
{
    sva_kv set[] = {KV("why", "greeting after two minutes"), KV("what", "door duty rota"),
                    KV("who", who),  KV("when", when),
                    KV("where", "showroom"), KV("how", "rota on the board")};
    sva_action_input in = {.cycle = cycle, .store = store, .metric = metric,
                           .checklist = item || section ? "pdca_unit" : NULL,
                           .item = item, .section = section, .set = set,
                           .n_set = sizeof set / sizeof *set, .actor = "Li Na"};
    long long id = -1;
    sva_diag d = {0};
    sva_error rc = sva_db_action_add(w->db, w->form, w->cat, &in, &id, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    assert_true(id > 0);
    return id;
}

static long long action(world *w, const char *cycle, const char *store, const char *metric,
                        const char *item, const char *section)
{
    return action_full(w, cycle, store, metric, item, section, "Wang Fang", "2026-11-20");
}

static void update(world *w, long long id, const char *status, const char *actor)
{
    sva_diag d = {0};
    sva_error rc = sva_db_action_update(w->db, w->form, id, status, NULL, 0, actor,
                                        "2026-11-15", &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
}

static sva_action *get_action(world *w, long long id, const char *today)
{
    sva_action *a = NULL;
    sva_diag d = {0};
    sva_error rc = sva_db_action_get(w->db, id, today, &a, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    assert_non_null(a);
    return a;
}

static sva_action_status status_of(world *w, long long id)
{
    sva_action *a = get_action(w, id, "2026-11-15");
    sva_action_status s = a->status;
    sva_actions_free(a, 1);
    return s;
}

static const char *field_of(const sva_action *a, const char *key)
{
    for (size_t i = 0; i < a->n_fields; i++)
        if (strcmp(a->fields[i].key, key) == 0)
            return a->fields[i].value;
    return NULL;
}

static sva_cycle_status *status(world *w, const char *cycle, const char *today)
{
    sva_cycle_status *cs = NULL;
    sva_diag d = {0};
    sva_error rc = sva_analysis_cycle_status(w->db, cycle, today, &cs, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    assert_non_null(cs);
    return cs;
}

static const sva_status_row *find_row(const sva_cycle_status *cs, sva_scope scope,
                                      const char *id, const char *metric)
{
    const sva_status_row *found = NULL;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *r = &cs->rows[i];
        if (r->scope == scope && strcmp(r->id, id) == 0 && strcmp(r->metric, metric) == 0) {
            if (found) {
                print_error("two rows for %s %s %s\n", sva_scope_name(scope), id, metric);
                fail();
            }
            found = r;
        }
    }
    if (!found) {
        print_error("no row for %s '%s' %s\n", sva_scope_name(scope), id, metric);
        fail();
    }
    return found;
}

/* Check one status row. actual/target/gap NAN = none; from is ignored without a target.
 * A mismatch names the row and the field. */
static int g_row_bad;
static void row_num(const char *label, const char *field, bool has, double got, double want)
{
    if (isnan(want) ? has : (!has || fabs(got - want) > EPS)) {
        char g[32] = "none", e[32] = "none";
        if (has)
            snprintf(g, sizeof g, "%.6g", got);
        if (!isnan(want))
            snprintf(e, sizeof e, "%.6g", want);
        print_error("%s: %s is %s, expected %s\n", label, field, g, e);
        g_row_bad = 1;
    }
}

static void check_row(const sva_cycle_status *cs, sva_scope scope, const char *id,
                      const char *metric, double actual, long n, double target, sva_scope from,
                      double gap, sva_target_status st)
{
    const sva_status_row *r = find_row(cs, scope, id, metric);
    char label[128];
    snprintf(label, sizeof label, "%s row '%s' %s", sva_scope_name(scope), id, metric);
    g_row_bad = 0;
    row_num(label, "actual", r->has_actual, r->actual, actual);
    if (r->n != n) {
        print_error("%s: n is %ld, expected %ld\n", label, r->n, n);
        g_row_bad = 1;
    }
    row_num(label, "target", r->has_target, r->target, target);
    if (!isnan(target) && r->has_target && r->target_from != from) {
        print_error("%s: target from %s, expected %s\n", label, sva_scope_name(r->target_from),
                    sva_scope_name(from));
        g_row_bad = 1;
    }
    if (!isnan(gap))
        row_num(label, "gap", r->has_actual && r->has_target, r->gap, gap);
    if (r->status != st) {
        print_error("%s: status %s, expected %s\n", label, sva_target_status_name(r->status),
                    sva_target_status_name(st));
        g_row_bad = 1;
    }
    if (g_row_bad)
        fail();
}

static size_t count_actions(world *w, const sva_action_filter *f, long long *ids, size_t max)
{
    sva_action *v = NULL;
    size_t n = 0;
    sva_diag d = {0};
    sva_error rc = sva_db_action_list(w->db, f, &v, &n, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = v[i].id;
    sva_actions_free(v, n);
    return n;
}

/* ---- metrics, statuses, transitions ------------------------------------------------ */

static void test_metrics_and_transitions(void **state)
{
    (void)state;
    world w;
    world_open(&w, "names.db");
    /* a metric is ssi, csi, 6s or the id of a checklist (SPEC "CLI contract") */
    assert_true(sva_metric_valid("ssi", w.cat));
    assert_true(sva_metric_valid("csi", w.cat));
    assert_true(sva_metric_valid("6s", w.cat));
    assert_true(sva_metric_valid("pdca_unit", w.cat));
    assert_true(sva_metric_valid("phone_handling", w.cat));
    assert_false(sva_metric_valid("nps", w.cat));
    assert_false(sva_metric_valid("", w.cat));
    assert_false(sva_metric_valid(NULL, w.cat));
    assert_false(sva_metric_valid("actions_5w1h", w.cat)); /* a form, not a checklist */

    const char *names[] = {"open", "in_progress", "done", "verified", "reopened"};
    for (int i = 0; i < 5; i++) {
        sva_action_status s;
        assert_true(sva_action_status_parse(names[i], &s));
        assert_string_equal(sva_action_status_name(s), names[i]);
    }
    sva_action_status s;
    assert_false(sva_action_status_parse("finished", &s));
    assert_false(sva_action_status_parse("", &s));

    /* open -> in_progress -> done -> verified | reopened; reopened -> in_progress or
     * done again (README "Do"); never backward */
    const sva_action_status O = SVA_ACTION_OPEN, P = SVA_ACTION_IN_PROGRESS,
                            D = SVA_ACTION_DONE, V = SVA_ACTION_VERIFIED,
                            R = SVA_ACTION_REOPENED;
    assert_true(sva_action_transition_ok(O, P));
    assert_true(sva_action_transition_ok(P, D));
    assert_true(sva_action_transition_ok(D, V));
    assert_true(sva_action_transition_ok(D, R));
    assert_true(sva_action_transition_ok(R, P));
    assert_true(sva_action_transition_ok(R, D));
    assert_false(sva_action_transition_ok(P, O));
    assert_false(sva_action_transition_ok(D, O));
    assert_false(sva_action_transition_ok(D, P));
    assert_false(sva_action_transition_ok(V, O));
    assert_false(sva_action_transition_ok(V, P));
    assert_false(sva_action_transition_ok(V, D));
    assert_false(sva_action_transition_ok(R, O));
    assert_false(sva_action_transition_ok(O, V)); /* verified or reopened only after done */
    assert_false(sva_action_transition_ok(O, R));

    assert_string_equal(sva_scope_name(SVA_SCOPE_NETWORK), "network");
    assert_string_equal(sva_scope_name(SVA_SCOPE_REGION), "region");
    assert_string_equal(sva_scope_name(SVA_SCOPE_STORE), "store");
    world_close(&w);
}

/* ---- Plan and Check: target precedence and the figures ------------------------------- */

/* The data of the precedence test, also used by the close test.
 * Audits of pdca_unit in 2026-11 (each yes = 25 %):
 *   SH-001: yyyy = 100, yynn = 50           -> mean 75.0, n 2
 *   SH-002: ynnn = 25; yyyy = 100 voided     -> 25.0, n 1 (void audits count nowhere)
 *   BJ-001: yyyn = 75                        -> 75.0, n 1
 * Targets of 2026-11: network ssi 60, region East ssi 70, store SH-002 ssi 30,
 * network csi 80 (no csi audits anywhere), store BJ-001 pdca_unit 75 (a
 * checklist metric), and in 2026-12 network ssi 99 (another cycle: ignored). */
static void load_precedence(world *w)
{
    open_cycle(w, "2026-12", "2026-12-01", "2026-12-31");
    record(w, "SH-001", "2026-11", "2026-11-05", "yyyy");
    record(w, "SH-001", "2026-11", "2026-11-06", "yynn");
    record(w, "SH-002", "2026-11", "2026-11-07", "ynnn");
    long long v = record(w, "SH-002", "2026-11", "2026-11-08", "yyyy");
    sva_diag d = {0};
    assert_int_equal(sva_db_audit_void(w->db, v, "wrong store visited", &d), SVA_OK);
    record(w, "BJ-001", "2026-11", "2026-11-09", "yyyn");
    target(w, "2026-11", SVA_SCOPE_NETWORK, "", "ssi", 60);
    target(w, "2026-11", SVA_SCOPE_REGION, "East", "ssi", 70);
    target(w, "2026-11", SVA_SCOPE_STORE, "SH-002", "ssi", 30);
    target(w, "2026-11", SVA_SCOPE_NETWORK, "", "csi", 80);
    target(w, "2026-11", SVA_SCOPE_STORE, "BJ-001", "pdca_unit", 75);
    target(w, "2026-12", SVA_SCOPE_NETWORK, "", "ssi", 99);
}

static void test_target_precedence(void **state)
{
    (void)state;
    world w;
    world_open(&w, "precedence.db");
    load_precedence(&w);
    const sva_scope ST = SVA_SCOPE_STORE, RG = SVA_SCOPE_REGION, NW = SVA_SCOPE_NETWORK;
    const sva_target_status MET = SVA_TARGET_MET, MISSED = SVA_TARGET_MISSED,
                            NONE = SVA_TARGET_NONE, NODATA = SVA_TARGET_NO_DATA;

    /* the targets as listed: network first, then regions, then stores; 2026-12's not here */
    sva_target *tv = NULL;
    size_t nt = 0;
    sva_diag d = {0};
    assert_int_equal(sva_db_target_list(w.db, "2026-11", &tv, &nt, &d), SVA_OK);
    assert_int_equal(nt, 5);
    for (size_t i = 0; i < nt; i++) {
        assert_string_equal(tv[i].cycle, "2026-11");
        if (i)
            assert_true(tv[i - 1].scope <= tv[i].scope);
    }
    assert_int_equal(tv[0].scope, NW);
    assert_int_equal(tv[2].scope, RG);
    assert_string_equal(tv[2].scope_id, "East");
    assert_near(tv[2].value, 70);
    assert_int_equal(tv[4].scope, ST);
    sva_targets_free(tv, nt);

    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-15");
    assert_string_equal(cs->cycle, "2026-11");
    assert_string_equal(cs->from, "2026-11-01");
    assert_string_equal(cs->to, "2026-11-30");
    assert_int_equal(cs->state, SVA_CYCLE_DO);  /* the first audit moved it from plan */
    assert_int_equal(cs->n_audits, 4);          /* 5 recorded, one void */
    assert_int_equal(cs->stores_audited, 3);
    assert_int_equal(cs->stores_total, 3);
    /* rows: 3 stores x 4 metrics (ssi, csi, 6s, then pdca_unit which has a target),
     * 2 regions x 4, the network x 4 = 24 */
    assert_int_equal(cs->n_rows, 24);
    /* stores first (by region, then id), then regions, then the network */
    assert_int_equal(cs->rows[0].scope, ST);
    assert_string_equal(cs->rows[0].id, "SH-001");
    assert_string_equal(cs->rows[0].metric, "ssi");
    assert_string_equal(cs->rows[1].metric, "csi");
    assert_string_equal(cs->rows[2].metric, "6s");
    assert_string_equal(cs->rows[3].metric, "pdca_unit");
    assert_string_equal(cs->rows[4].id, "SH-002");
    assert_string_equal(cs->rows[8].id, "BJ-001");
    assert_int_equal(cs->rows[12].scope, RG);
    assert_string_equal(cs->rows[12].id, "East");
    assert_string_equal(cs->rows[16].id, "North");
    assert_int_equal(cs->rows[20].scope, NW);
    assert_int_equal(cs->rows[23].scope, NW);

    /* SH-001 (East): no store target, the region's 70; 75.0 - 70 = +5.0 met */
    check_row(cs, ST, "SH-001", "ssi", 75.0, 2, 70, RG, 5.0, MET);
    /* SH-002 (East): its own 30 wins over the region's 70; 25.0 - 30 = -5.0 missed */
    check_row(cs, ST, "SH-002", "ssi", 25.0, 1, 30, ST, -5.0, MISSED);
    /* BJ-001 (North): no store or North target, the network's 60; 75.0 - 60 = +15.0 met */
    check_row(cs, ST, "BJ-001", "ssi", 75.0, 1, 60, NW, 15.0, MET);
    /* csi: a network target of 80 but no csi audits: no data, everywhere */
    check_row(cs, ST, "SH-001", "csi", NAN, 0, 80, NW, NAN, NODATA);
    check_row(cs, ST, "SH-002", "csi", NAN, 0, 80, NW, NAN, NODATA);
    check_row(cs, ST, "BJ-001", "csi", NAN, 0, 80, NW, NAN, NODATA);
    /* 6s: no audits, no target */
    check_row(cs, ST, "SH-001", "6s", NAN, 0, NAN, NW, NAN, NONE);
    /* the checklist metric pdca_unit: the checklist's own audits, same figures as ssi;
     * only BJ-001 has a target (its own 75): 75.0 >= 75 is met with gap 0.0 */
    check_row(cs, ST, "SH-001", "pdca_unit", 75.0, 2, NAN, NW, NAN, NONE);
    check_row(cs, ST, "SH-002", "pdca_unit", 25.0, 1, NAN, NW, NAN, NONE);
    check_row(cs, ST, "BJ-001", "pdca_unit", 75.0, 1, 75, ST, 0.0, MET);

    /* East = mean over its stores, each once: (75.0 + 25.0) / 2 = 50.0, n = 2 stores
     * (by audits it would be (100 + 50 + 25) / 3 = 58.3); the region's 70: -20.0 missed */
    check_row(cs, RG, "East", "ssi", 50.0, 2, 70, RG, -20.0, MISSED);
    /* North = BJ-001 alone: 75.0, n 1; no North target, the network's 60: +15.0 met */
    check_row(cs, RG, "North", "ssi", 75.0, 1, 60, NW, 15.0, MET);
    check_row(cs, RG, "East", "csi", NAN, 0, 80, NW, NAN, NODATA);
    /* a store's own target does not become its region's */
    check_row(cs, RG, "North", "pdca_unit", 75.0, 1, NAN, NW, NAN, NONE);
    check_row(cs, RG, "East", "pdca_unit", 50.0, 2, NAN, NW, NAN, NONE);
    /* network = mean over 3 stores: (75.0 + 25.0 + 75.0) / 3 = 58.33.., kept unrounded,
     * n = 3; shown 58.3, and 58.3 - 60 = -1.7 missed (by audits: (100+50+25+75)/4 =
     * 62.5 would be met) */
    check_row(cs, NW, "", "ssi", 175.0 / 3, 3, 60, NW, -1.7, MISSED);
    check_row(cs, NW, "", "csi", NAN, 0, 80, NW, NAN, NODATA);
    check_row(cs, NW, "", "6s", NAN, 0, NAN, NW, NAN, NONE);
    check_row(cs, NW, "", "pdca_unit", 175.0 / 3, 3, NAN, NW, NAN, NONE);
    /* no survey, no reasons, no actions yet */
    for (size_t i = 0; i < cs->n_rows; i++) {
        assert_false(cs->rows[i].has_survey);
        assert_false(cs->rows[i].has_reason);
        assert_int_equal(cs->rows[i].n_actions, 0);
    }
    sva_cycle_status_free(cs);

    /* a store target for SH-001 now overrides the region's: 80 -> 75.0 - 80 = -5.0 missed */
    target(&w, "2026-11", ST, "SH-001", "ssi", 80);
    /* and a North target overrides the network's for BJ-001 and the North row: 76 ->
     * 75.0 - 76 = -1.0 missed */
    target(&w, "2026-11", RG, "North", "ssi", 76);
    cs = status(&w, "2026-11", "2026-11-15");
    check_row(cs, ST, "SH-001", "ssi", 75.0, 2, 80, ST, -5.0, MISSED);
    check_row(cs, ST, "BJ-001", "ssi", 75.0, 1, 76, RG, -1.0, MISSED);
    check_row(cs, RG, "North", "ssi", 75.0, 1, 76, RG, -1.0, MISSED);
    check_row(cs, RG, "East", "ssi", 50.0, 2, 70, RG, -20.0, MISSED);
    sva_cycle_status_free(cs);

    /* setting a target again replaces it: SH-001 ssi 75 -> 75.0 >= 75 met, gap 0.0 */
    long long before = q_int(w.path, "SELECT count(*) FROM target");
    target(&w, "2026-11", ST, "SH-001", "ssi", 75);
    assert_int_equal(q_int(w.path, "SELECT count(*) FROM target"), before);
    cs = status(&w, "2026-11", "2026-11-15");
    check_row(cs, ST, "SH-001", "ssi", 75.0, 2, 75, ST, 0.0, MET);
    sva_cycle_status_free(cs);

    /* 2026-12: no audits; its network ssi 99 applies to every store, no data */
    cs = status(&w, "2026-12", "2026-12-15");
    assert_int_equal(cs->n_audits, 0);
    assert_int_equal(cs->state, SVA_CYCLE_PLAN);
    check_row(cs, ST, "SH-002", "ssi", NAN, 0, 99, NW, NAN, NODATA);
    check_row(cs, NW, "", "ssi", NAN, 0, 99, NW, NAN, NODATA);
    sva_cycle_status_free(cs);

    /* an unknown cycle has no status */
    sva_cycle_status *none = NULL;
    assert_int_equal(sva_analysis_cycle_status(w.db, "2031-01", "2026-11-15", &none, &d),
                     SVA_ERR_NOT_FOUND);
    assert_null(none);
    expect_diag(&d, NULL, -1, "2031-01");
    sva_diag_clear(&d);
    world_close(&w);
}

static void test_target_set_refused(void **state)
{
    (void)state;
    world w;
    world_open(&w, "target-bad.db");
    target(&w, "2026-11", SVA_SCOPE_NETWORK, "", "ssi", 90);
    char *before = snapshot(w.path);
    struct {
        sva_target t;
        const char *needle;
        const char *what;
    } bad[] = {
        {{"2026-11", SVA_SCOPE_NETWORK, "", "ssi", 120, 0, 0, 0}, "120", "value 120"},
        {{"2026-11", SVA_SCOPE_NETWORK, "", "ssi", -0.5, 0, 0, 0}, "-0.5", "value -0.5"},
        {{"2026-11", SVA_SCOPE_NETWORK, "", "ssi", 100.01, 0, 0, 0}, "100.01", "value 100.01"},
        {{"2026-11", SVA_SCOPE_NETWORK, "", "ssi", NAN, 0, 0, 0}, "ssi", "value NaN"},
        {{"2026-11", SVA_SCOPE_NETWORK, "", "nps", 80, 0, 0, 0}, "nps", "unknown metric"},
        {{"2026-11", SVA_SCOPE_STORE, "XX-999", "ssi", 80, 0, 0, 0}, "XX-999", "unknown store"},
        {{"2026-11", SVA_SCOPE_REGION, "South", "ssi", 80, 0, 0, 0}, "South", "unknown region"},
        {{"2031-01", SVA_SCOPE_NETWORK, "", "ssi", 80, 0, 0, 0}, "2031-01", "unknown cycle"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  refused: %s\n", bad[i].what);
        sva_diag d = {0};
        sva_error rc = sva_db_target_set(w.db, &bad[i].t, w.cat, &d);
        assert_true(rc == SVA_ERR_INVALID || rc == SVA_ERR_NOT_FOUND);
        expect_diag(&d, NULL, -1, bad[i].needle);
        sva_diag_clear(&d);
        expect_same(before, w.path, bad[i].what);
    }
    /* the bounds themselves are fine */
    target(&w, "2026-11", SVA_SCOPE_NETWORK, "", "csi", 0);
    target(&w, "2026-11", SVA_SCOPE_NETWORK, "", "6s", 100);
    free(before);
    world_close(&w);
}

/* ---- Plan: targets files --------------------------------------------------------------- */

static char *fixture(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/pdca/%s", SRCDIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        print_error("cannot open %s\n", path);
    assert_non_null(f);
    char *buf = malloc(65536);
    assert_non_null(buf);
    *len = fread(buf, 1, 65535, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const char *fixture_path(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/pdca/%s", SRCDIR, rel);
    size_t n = strlen(path) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    memcpy(p, path, n);
    assert_true(g_npaths < sizeof g_paths / sizeof *g_paths);
    g_paths[g_npaths++] = p;
    return p;
}

static const sva_target *find_target(const sva_target *v, size_t n, const char *cycle,
                                     sva_scope scope, const char *id, const char *metric)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].cycle, cycle) && v[i].scope == scope && !strcmp(v[i].scope_id, id) &&
            !strcmp(v[i].metric, metric))
            return &v[i];
    print_error("no target %s %s '%s' %s\n", cycle, sva_scope_name(scope), id, metric);
    fail();
    return NULL;
}

/* A bad targets file and where its problem is. */
typedef struct bad_targets {
    const char *file; /* under tests/fixtures/pdca/ */
    int line;
    const char *needle;
} bad_targets;

/* sva_import_targets must refuse the file, import nothing, and name the file (and
 * the needle). The line is asserted when @p line_hard, else reported: returns whether
 * a message has the expected line. */
static bool refused_import(world *w, const bad_targets *b, bool line_hard)
{
    const char *base = strrchr(b->file, '/') + 1;
    char *before = snapshot(w->path);
    sva_diag d = {0};
    size_t count = 99;
    sva_error rc = sva_import_targets(w->db, fixture_path(b->file), w->cat, &count, &d);
    assert_int_not_equal(rc, SVA_OK);
    assert_int_equal(count, 0);
    expect_same(before, w->path, b->file);
    free(before);
    expect_diag(&d, base, -1, b->needle);
    bool at_line = diag_find(&d, base, b->line, b->needle, (const char *)NULL);
    if (!at_line) {
        print_error("%s: no message at line %d naming '%s'\n", b->file, b->line, b->needle);
        diag_dump(&d);
        if (line_hard)
            fail();
    }
    sva_diag_clear(&d);
    return at_line;
}

static void test_targets_file(void **state)
{
    (void)state;
    world w;
    world_open(&w, "targets-file.db");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    sva_diag d = {0};

    /* good.ini: [network] 2026-11 ssi 90 (line 5), csi 88, 6s 85; [east] region East
     * ssi 92 (line 12); [pudong] store SH-002 6s 80, phone_handling 70.5 (line 18);
     * [december] 2026-12 ssi 91, csi 89.5 (line 23): 3 + 1 + 2 + 2 = 8 targets */
    size_t len;
    char *text = fixture("targets/good.ini", &len);
    sva_target *v = NULL;
    size_t n = 0;
    sva_error rc = sva_targets_parse("good.ini", text, len, w.cat, &v, &n, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(n, 8);
    const sva_target *t = find_target(v, n, "2026-11", SVA_SCOPE_NETWORK, "", "ssi");
    assert_near(t->value, 90);
    assert_int_equal(t->line, 5);
    t = find_target(v, n, "2026-11", SVA_SCOPE_REGION, "East", "ssi");
    assert_near(t->value, 92);
    assert_int_equal(t->line, 12);
    t = find_target(v, n, "2026-11", SVA_SCOPE_STORE, "SH-002", "phone_handling");
    assert_near(t->value, 70.5);
    assert_int_equal(t->line, 18);
    t = find_target(v, n, "2026-12", SVA_SCOPE_NETWORK, "", "csi");
    assert_near(t->value, 89.5);
    assert_int_equal(t->line, 23);
    sva_targets_free(v, n);
    free(text);

    size_t count = 0;
    rc = sva_import_targets(w.db, fixture_path("targets/good.ini"), w.cat, &count, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(count, 8);
    assert_int_equal(q_int(w.path, "SELECT count(*) FROM target WHERE cycle_id = '2026-11'"), 6);
    assert_int_equal(q_int(w.path, "SELECT count(*) FROM target WHERE cycle_id = '2026-12'"), 2);
    /* the effective targets: SH-002 6s is its own 80, SH-001 6s the network's 85,
     * SH-001 ssi East's 92, BJ-001 ssi the network's 90 */
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-15");
    check_row(cs, SVA_SCOPE_STORE, "SH-002", "6s", NAN, 0, 80, SVA_SCOPE_STORE, NAN,
              SVA_TARGET_NO_DATA);
    check_row(cs, SVA_SCOPE_STORE, "SH-001", "6s", NAN, 0, 85, SVA_SCOPE_NETWORK, NAN,
              SVA_TARGET_NO_DATA);
    check_row(cs, SVA_SCOPE_STORE, "SH-001", "ssi", NAN, 0, 92, SVA_SCOPE_REGION, NAN,
              SVA_TARGET_NO_DATA);
    check_row(cs, SVA_SCOPE_STORE, "BJ-001", "ssi", NAN, 0, 90, SVA_SCOPE_NETWORK, NAN,
              SVA_TARGET_NO_DATA);
    check_row(cs, SVA_SCOPE_STORE, "SH-002", "phone_handling", NAN, 0, 70.5, SVA_SCOPE_STORE,
              NAN, SVA_TARGET_NO_DATA);
    sva_cycle_status_free(cs);
    sva_diag_clear(&d);

    /* bad files: each refused with the file and line; nothing imported (the targets of
     * good.ini stay exactly as they are, the good sections of the bad file are not added) */
    static const bad_targets bad[] = {
        {"targets/bad_metric.ini", 8, "nps"},
        {"targets/bad_value.ini", 9, "120"},
        {"targets/bad_both.ini", 9, "region"},
        {"targets/bad_no_cycle.ini", 6, "cycle"},
        {"targets/bad_syntax.ini", 7, ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  bad targets file %s\n", bad[i].file);
        const char *base = strrchr(bad[i].file, '/') + 1;
        /* found by the parser alone, before any database */
        text = fixture(bad[i].file, &len);
        rc = sva_targets_parse(base, text, len, w.cat, &v, &n, &d);
        free(text);
        assert_int_not_equal(rc, SVA_OK);
        assert_null(v);
        assert_int_equal(n, 0);
        expect_diag(&d, base, bad[i].line, bad[i].needle);
        sva_diag_clear(&d);
        refused_import(&w, &bad[i], true);
    }

    /* an empty file has no targets */
    rc = sva_targets_parse("empty.ini", "", 0, w.cat, &v, &n, &d);
    assert_int_not_equal(rc, SVA_OK);
    assert_true(d.n > 0);
    sva_diag_clear(&d);
    world_close(&w);
}

/* Targets files that are well-formed but name a store or cycle the database does not
 * have: the import checks them (all or nothing) and names the file and line. */
static void test_targets_file_refs(void **state)
{
    (void)state;
    world w;
    world_open(&w, "targets-refs.db");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    sva_diag d = {0};
    size_t count = 0;
    assert_int_equal(sva_import_targets(w.db, fixture_path("targets/good.ini"), w.cat, &count,
                                          &d),
                     SVA_OK);
    assert_int_equal(count, 8);
    static const bad_targets bad[] = {
        {"targets/bad_store.ini", 8, "XX-999"},  /* store = XX-999 */
        {"targets/bad_cycle.ini", 7, "2031-01"}, /* cycle = 2031-01 */
    };
    int wrong_line = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  bad targets file %s\n", bad[i].file);
        size_t len;
        char *text = fixture(bad[i].file, &len);
        sva_target *v = NULL;
        size_t n = 0;
        /* the file itself is well-formed */
        assert_int_equal(sva_targets_parse("x.ini", text, len, w.cat, &v, &n, &d), SVA_OK);
        sva_targets_free(v, n);
        free(text);
        wrong_line += !refused_import(&w, &bad[i], false);
    }
    world_close(&w);
    /* BUG: the unknown store / cycle is reported at the line of the metric under it
     * (bad_store.ini:9 'ssi = 50', bad_cycle.ini:8 'ssi = 95'), not at the line that
     * names it (bad_store.ini:8 'store = XX-999', bad_cycle.ini:7 'cycle = 2031-01'). */
    assert_int_equal(wrong_line, 0);
}

/* ---- Do: actions ----------------------------------------------------------------------- */

static long long n_rows(world *w, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return q_int(w->path, sql);
}

static void test_action_add(void **state)
{
    (void)state;
    world w;
    world_open(&w, "action-add.db");
    sva_diag d = {0};

    /* all eight fields of the form, given in another order than the form's */
    sva_kv set[] = {KV("how", "rota on the board; manager checks daily"),
                    KV("priority", "high"),
                    KV("who", "Wang Fang"),
                    KV("why", "greeted after 2 min twice"),
                    KV("how_much", "120.5"),
                    KV("when", "2026-11-20"),
                    KV("what", "door duty rota"),
                    KV("where", "showroom")};
    sva_action_input in = {.cycle = "2026-11", .store = "SH-001", .checklist = "pdca_unit",
                           .item = "front.greet", .set = set, .n_set = 8, .actor = "Li Na"};
    long long id = 0;
    sva_error rc = sva_db_action_add(w.db, w.form, w.cat, &in, &id, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_true(id > 0);
    sva_action *a = get_action(&w, id, "2026-11-15");
    assert_string_equal(a->cycle, "2026-11");
    assert_string_equal(a->store, "SH-001");
    assert_string_equal(a->region, "East");
    assert_string_equal(a->checklist, "pdca_unit");
    assert_string_equal(a->item, "front.greet");
    assert_null(a->section);
    /* no --metric: pdca_unit feeds ssi, so the action works on ssi */
    assert_non_null(a->metric);
    assert_string_equal(a->metric, "ssi");
    assert_int_equal(a->status, SVA_ACTION_OPEN);
    /* owner = the first person field (who), due = the first date field (when) */
    assert_string_equal(a->owner, "Wang Fang");
    assert_string_equal(a->due, "2026-11-20");
    assert_false(a->overdue); /* 2026-11-20 has not passed on 2026-11-15 */
    assert_int_equal(a->carried_from, 0);
    assert_int_equal(a->carried_to, 0);
    assert_int_equal(a->source_audit, 0);
    assert_int_equal(a->n_fields, 8);
    assert_string_equal(field_of(a, "why"), "greeted after 2 min twice");
    assert_string_equal(field_of(a, "how_much"), "120.5");
    assert_string_equal(field_of(a, "priority"), "high");
    sva_actions_free(a, 1);

    /* a section of the checklist: metric ssi as well */
    long long sec = action(&w, "2026-11", "SH-002", NULL, NULL, "back");
    a = get_action(&w, sec, NULL);
    assert_string_equal(a->section, "back");
    assert_null(a->item);
    assert_string_equal(a->metric, "ssi");
    sva_actions_free(a, 1);
    /* an explicit metric and no checklist */
    long long csi = action(&w, "2026-11", "BJ-001", "csi", NULL, NULL);
    a = get_action(&w, csi, NULL);
    assert_string_equal(a->metric, "csi");
    assert_null(a->checklist);
    sva_actions_free(a, 1);
    /* no metric and no checklist: a general action */
    long long gen = action(&w, "2026-11", "BJ-001", NULL, NULL, NULL);
    a = get_action(&w, gen, NULL);
    assert_null(a->metric);
    sva_actions_free(a, 1);
    /* a checklist that feeds no index: the metric is the checklist id */
    sva_kv six[] = {KV("why", "w"), KV("what", "w"), KV("who", "Li Na"),
                    KV("when", "2026-11-30"), KV("where", "phone"), KV("how", "h")};
    sva_action_input ph = {.cycle = "2026-11", .store = "SH-002", .checklist = "phone_handling",
                           .item = "answer.three_rings", .set = six, .n_set = 6};
    assert_int_equal(sva_db_action_add(w.db, w.form, w.cat, &ph, &id, &d), SVA_OK);
    a = get_action(&w, id, NULL);
    assert_string_equal(a->metric, "phone_handling");
    sva_actions_free(a, 1);
    sva_diag_clear(&d);

    /* refused, each with a message naming the problem, nothing written */
    char *before = snapshot(w.path);
    long long n_act = n_rows(&w, "action"), n_fld = n_rows(&w, "action_field"),
              n_his = n_rows(&w, "action_history");
    sva_kv no_how[] = {KV("why", "w"), KV("what", "w"), KV("who", "Li Na"),
                       KV("when", "2026-11-30"), KV("where", "showroom")};
    sva_kv only_why[] = {KV("why", "w")};
    sva_kv unknown_field[] = {KV("why", "w"),       KV("what", "w"),  KV("who", "Li Na"),
                              KV("when", "2026-11-30"), KV("where", "x"), KV("how", "h"),
                              KV("cost", "5")};
    sva_kv feb30[] = {KV("why", "w"), KV("what", "w"), KV("who", "Li Na"),
                      KV("when", "2026-02-30"), KV("where", "x"), KV("how", "h")};
    sva_kv words[] = {KV("why", "w"), KV("what", "w"), KV("who", "Li Na"),
                      KV("when", "next week"), KV("where", "x"), KV("how", "h")};
    sva_kv urgent[] = {KV("why", "w"),  KV("what", "w"), KV("who", "Li Na"),
                       KV("when", "2026-11-30"), KV("where", "x"), KV("how", "h"),
                       KV("priority", "urgent")};
    sva_kv lots[] = {KV("why", "w"),  KV("what", "w"), KV("who", "Li Na"),
                     KV("when", "2026-11-30"), KV("where", "x"), KV("how", "h"),
                     KV("how_much", "lots")};
    sva_kv empty_why[] = {KV("why", ""), KV("what", "w"), KV("who", "Li Na"),
                          KV("when", "2026-11-30"), KV("where", "x"), KV("how", "h")};
    struct {
        sva_action_input in;
        const char *needle, *needle2;
        const char *what;
    } bad[] = {
        {{.cycle = "2026-11", .store = "SH-001", .set = no_how, .n_set = 5}, "how", NULL,
         "required field how missing"},
        {{.cycle = "2026-11", .store = "SH-001", .set = only_why, .n_set = 1}, "where", NULL,
         "five required fields missing"},
        {{.cycle = "2026-11", .store = "SH-001", .set = unknown_field, .n_set = 7}, "cost", NULL,
         "unknown field"},
        {{.cycle = "2026-11", .store = "SH-001", .set = feb30, .n_set = 6}, "2026-02-30", NULL,
         "when = 2026-02-30 is not a date"},
        {{.cycle = "2026-11", .store = "SH-001", .set = words, .n_set = 6}, "next week", NULL,
         "when = next week is not a date"},
        {{.cycle = "2026-11", .store = "SH-001", .set = urgent, .n_set = 7}, "urgent", NULL,
         "priority not one of low|medium|high"},
        {{.cycle = "2026-11", .store = "SH-001", .set = lots, .n_set = 7}, "lots", NULL,
         "how_much not a number"},
        {{.cycle = "2026-11", .store = "SH-001", .set = empty_why, .n_set = 6}, "why", NULL,
         "required why empty"},
        {{.cycle = "2026-11", .store = "XX-999", .set = six, .n_set = 6}, "XX-999", NULL,
         "unknown store"},
        {{.cycle = "2031-01", .store = "SH-001", .set = six, .n_set = 6}, "2031-01", NULL,
         "unknown cycle"},
        {{.cycle = "2026-11", .store = "SH-001", .metric = "nps", .set = six, .n_set = 6}, "nps",
         NULL, "unknown metric"},
        {{.cycle = "2026-11", .store = "SH-001", .checklist = "nope", .item = "a.b", .set = six,
          .n_set = 6},
         "nope", NULL, "unknown checklist"},
        {{.cycle = "2026-11", .store = "SH-001", .checklist = "pdca_unit", .item = "front.nope",
          .set = six, .n_set = 6},
         "front.nope", NULL, "unknown item"},
        {{.cycle = "2026-11", .store = "SH-001", .checklist = "pdca_unit", .section = "middle",
          .set = six, .n_set = 6},
         "middle", NULL, "unknown section"},
        {{.cycle = "2026-11", .store = "SH-001", .checklist = "pdca_unit", .item = "front.greet",
          .section = "front", .set = six, .n_set = 6},
         "section", NULL, "item and section both"},
        {{.cycle = "2026-11", .store = "SH-001", .item = "front.greet", .set = six, .n_set = 6},
         "checklist", NULL, "item without checklist"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  refused: %s\n", bad[i].what);
        long long nid = -7;
        rc = sva_db_action_add(w.db, w.form, w.cat, &bad[i].in, &nid, &d);
        assert_int_not_equal(rc, SVA_OK);
        assert_int_equal(nid, -7);
        expect_diag(&d, NULL, -1, bad[i].needle);
        if (i == 1) /* every missing field is named, not just the first */
            for (size_t k = 1; k < 6; k++)
                expect_diag(&d, NULL, -1, w.form->fields[k].key);
        sva_diag_clear(&d);
        assert_int_equal(n_rows(&w, "action"), n_act);
        assert_int_equal(n_rows(&w, "action_field"), n_fld);
        assert_int_equal(n_rows(&w, "action_history"), n_his);
        expect_same(before, w.path, bad[i].what);
    }
    free(before);
    world_close(&w);
}

/* pdca.h: sva_action.fields are "the 5W1H fields, in the form's order", whatever the
 * order of --set. */
static void test_action_fields_in_form_order(void **state)
{
    (void)state;
    world w;
    world_open(&w, "action-order.db");
    sva_diag d = {0};
    sva_kv set[] = {KV("how", "rota on the board"), KV("priority", "high"),
                    KV("who", "Wang Fang"),         KV("why", "greeted late"),
                    KV("how_much", "120.5"),        KV("when", "2026-11-20"),
                    KV("what", "door duty rota"),   KV("where", "showroom")};
    sva_action_input in = {.cycle = "2026-11", .store = "SH-001", .metric = "ssi", .set = set,
                           .n_set = 8, .actor = "Li Na"};
    long long id = 0;
    assert_int_equal(sva_db_action_add(w.db, w.form, w.cat, &in, &id, &d), SVA_OK);
    sva_action *a = get_action(&w, id, NULL);
    assert_int_equal(a->n_fields, 8);
    /* the form's order: why, what, who, when, where, how, priority, how_much */
    char got[256] = "", want[256] = "";
    for (size_t i = 0; i < w.form->n_fields; i++) {
        strcat(want, w.form->fields[i].key);
        strcat(want, " ");
    }
    assert_string_equal(want, "why what who when where how priority how_much ");
    for (size_t i = 0; i < a->n_fields; i++) {
        strcat(got, a->fields[i].key);
        strcat(got, " ");
    }
    /* BUG: sva_db_action_add + sva_db_action_get return the fields in the order they
     * were given (here "how priority who why how_much when what where"), not in the
     * form's order that pdca.h promises; `action show --format json` shows them so. */
    sva_actions_free(a, 1);
    world_close(&w);
    assert_string_equal(got, want);
}

static void test_action_history(void **state)
{
    (void)state;
    world w;
    world_open(&w, "action-history.db");
    sva_diag d = {0};
    long long id = action(&w, "2026-11", "SH-001", NULL, "front.greet", NULL); /* by Li Na */

    /* status open -> in_progress by Wang Fang */
    update(&w, id, "in_progress", "Wang Fang");
    /* a field change by Zhang Min */
    sva_kv how[] = {KV("how", "two people on the door at peak hours")};
    assert_int_equal(sva_db_action_update(w.db, w.form, id, NULL, how, 1, "Zhang Min",
                                          "2026-11-15", &d),
                     SVA_OK);
    /* the owner and due date follow who and when */
    sva_kv who[] = {KV("who", "Chen Jie"), KV("when", "2026-11-25")};
    assert_int_equal(sva_db_action_update(w.db, w.form, id, NULL, who, 2, "Zhang Min",
                                          "2026-11-15", &d),
                     SVA_OK);
    sva_action *a = get_action(&w, id, "2026-11-15");
    assert_string_equal(a->owner, "Chen Jie");
    assert_string_equal(a->due, "2026-11-25");
    assert_string_equal(field_of(a, "how"), "two people on the door at peak hours");
    assert_int_equal(a->status, SVA_ACTION_IN_PROGRESS);
    sva_actions_free(a, 1);
    /* a status and a field in one call, by Wang Fang */
    sva_kv done_how[] = {KV("how", "door rota kept for four weeks")};
    assert_int_equal(sva_db_action_update(w.db, w.form, id, "done", done_how, 1, "Wang Fang",
                                          "2026-11-15", &d),
                     SVA_OK);
    if (d.n)
        diag_dump(&d);
    assert_int_equal(status_of(&w, id), SVA_ACTION_DONE);

    sva_history *h = NULL;
    size_t nh = 0;
    assert_int_equal(sva_db_action_history(w.db, id, &h, &nh, &d), SVA_OK);
    /* opened; in_progress; how; who; when; done; how = at least 7 lines */
    assert_true(nh >= 7);
    for (size_t i = 0; i < nh; i++) {
        assert_true(strlen(h[i].at) >= 10 && h[i].at[4] == '-' && h[i].at[7] == '-');
    }
    assert_string_equal(h[0].actor, "Li Na");
    assert_non_null(strstr(h[0].change, "open"));
    assert_string_equal(h[1].actor, "Wang Fang");
    assert_non_null(strstr(h[1].change, "in_progress"));
    assert_string_equal(h[2].actor, "Zhang Min");
    assert_non_null(strstr(h[2].change, "how"));
    assert_non_null(strstr(h[2].change, "two people on the door"));
    bool who_line = false, when_line = false, done_line = false, how2_line = false;
    for (size_t i = 3; i < nh; i++) {
        who_line |= !strcmp(h[i].actor, "Zhang Min") && strstr(h[i].change, "who") &&
                    strstr(h[i].change, "Chen Jie");
        when_line |= !strcmp(h[i].actor, "Zhang Min") && strstr(h[i].change, "2026-11-25");
        done_line |= !strcmp(h[i].actor, "Wang Fang") && strstr(h[i].change, "done");
        how2_line |= !strcmp(h[i].actor, "Wang Fang") && strstr(h[i].change, "four weeks");
    }
    assert_true(who_line);
    assert_true(when_line);
    assert_true(done_line);
    assert_true(how2_line);
    sva_history_free(h, nh);

    /* refused, each changing nothing: backward (done -> in_progress, done -> open), an
     * unknown status, emptying a required field, an unknown field, a bad date, nothing to
     * change, an unknown action */
    char *before = snapshot(w.path);
    sva_kv empty_why[] = {KV("why", "")};
    sva_kv cost[] = {KV("cost", "5")};
    sva_kv bad_date[] = {KV("when", "2026-11-31")};
    struct {
        long long id;
        const char *status;
        sva_kv *set;
        size_t n;
        const char *needle;
        const char *what;
    } bad[] = {
        {id, "in_progress", NULL, 0, "in_progress", "done -> in_progress"},
        {id, "open", NULL, 0, "open", "done -> open"},
        {id, "finished", NULL, 0, "finished", "unknown status"},
        {id, NULL, empty_why, 1, "why", "emptying why"},
        {id, NULL, cost, 1, "cost", "unknown field"},
        {id, NULL, bad_date, 1, "2026-11-31", "when = 2026-11-31"},
        {id, NULL, NULL, 0, "", "nothing to change"},
        {id + 1000, "done", NULL, 0, "", "unknown action"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  refused: %s\n", bad[i].what);
        sva_error rc = sva_db_action_update(w.db, w.form, bad[i].id, bad[i].status, bad[i].set,
                                            bad[i].n, "Wang Fang", "2026-11-15", &d);
        assert_int_not_equal(rc, SVA_OK);
        assert_true(d.n > 0);
        expect_diag(&d, NULL, -1, bad[i].needle);
        sva_diag_clear(&d);
        expect_same(before, w.path, bad[i].what);
    }
    free(before);
    assert_int_equal(status_of(&w, id), SVA_ACTION_DONE);

    /* forward again: done -> reopened -> in_progress -> done -> verified, then nothing */
    update(&w, id, "reopened", "QA");
    update(&w, id, "in_progress", "Wang Fang");
    update(&w, id, "done", "Wang Fang");
    update(&w, id, "verified", "QA");
    assert_int_equal(status_of(&w, id), SVA_ACTION_VERIFIED);
    before = snapshot(w.path);
    const char *after_verified[] = {"open", "in_progress", "done"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_not_equal(sva_db_action_update(w.db, w.form, id, after_verified[i], NULL, 0,
                                                  "Wang Fang", "2026-11-15", &d),
                             SVA_OK);
        sva_diag_clear(&d);
        expect_same(before, w.path, after_verified[i]);
    }
    free(before);
    world_close(&w);
}

static void test_action_list_filters(void **state)
{
    (void)state;
    world w;
    world_open(&w, "action-list.db");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    /* a1 SH-001 Wang Fang due 11-10 open; a2 SH-001 Li Na due 11-20 in_progress;
     * a3 SH-002 Wang Fang due 11-05 done; a4 BJ-001 Wang Fang due 12-20 open, in 2026-12 */
    long long a1 = action_full(&w, "2026-11", "SH-001", "ssi", NULL, NULL, "Wang Fang",
                               "2026-11-10");
    long long a2 = action_full(&w, "2026-11", "SH-001", "ssi", NULL, NULL, "Li Na", "2026-11-20");
    long long a3 = action_full(&w, "2026-11", "SH-002", "ssi", NULL, NULL, "Wang Fang",
                               "2026-11-05");
    long long a4 = action_full(&w, "2026-12", "BJ-001", "csi", NULL, NULL, "Wang Fang",
                               "2026-12-20");
    update(&w, a2, "in_progress", "Li Na");
    update(&w, a3, "done", "Wang Fang");

    long long ids[8];
    sva_action_filter f = {.today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 4);
    f = (sva_action_filter){.cycle = "2026-11", .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 3);
    f = (sva_action_filter){.store = "SH-001", .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 2);
    assert_int_equal(ids[0], a1);
    assert_int_equal(ids[1], a2);
    f = (sva_action_filter){.status = "done", .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 1);
    assert_int_equal(ids[0], a3);
    f = (sva_action_filter){.owner = "Wang Fang", .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 3); /* a1, a3, a4 */
    assert_int_equal(ids[2], a4);
    f = (sva_action_filter){.cycle = "2026-11", .owner = "Wang Fang", .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 2); /* a1, a3 */
    assert_int_equal(ids[0], a1);
    assert_int_equal(ids[1], a3);

    /* overdue = the due date has passed (due < today) and it is not done:
     * on 11-15: a1 (11-10, open); a3 is past due but done; a2 (11-20) not yet */
    f = (sva_action_filter){.overdue_only = true, .today = "2026-11-15"};
    assert_int_equal(count_actions(&w, &f, ids, 8), 1);
    assert_int_equal(ids[0], a1);
    /* on 11-20 a2 is due that day, not past it */
    f.today = "2026-11-20";
    assert_int_equal(count_actions(&w, &f, ids, 8), 1);
    /* on 11-21: a1 and a2 */
    f.today = "2026-11-21";
    assert_int_equal(count_actions(&w, &f, ids, 8), 2);
    assert_int_equal(ids[1], a2);
    /* on 12-21 a4 too */
    f.today = "2026-12-21";
    assert_int_equal(count_actions(&w, &f, ids, 8), 3);
    assert_int_equal(ids[2], a4);
    sva_action *a = get_action(&w, a1, "2026-11-15");
    assert_true(a->overdue);
    sva_actions_free(a, 1);
    a = get_action(&w, a1, "2026-11-10"); /* due today: not overdue */
    assert_false(a->overdue);
    sva_actions_free(a, 1);
    a = get_action(&w, a3, "2026-11-15");
    assert_false(a->overdue);
    sva_actions_free(a, 1);

    /* the cycle's Check counts them: on 11-15, open (open, in progress, reopened) = a1, a2;
     * overdue a1; done a3 */
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-15");
    assert_int_equal(cs->actions_open, 2);
    assert_int_equal(cs->actions_overdue, 1);
    assert_int_equal(cs->actions_done, 1);
    assert_int_equal(cs->actions_verified, 0);
    /* the store rows count actions on their metric: SH-001 ssi 2, SH-002 ssi 1 */
    assert_int_equal(find_row(cs, SVA_SCOPE_STORE, "SH-001", "ssi")->n_actions, 2);
    assert_int_equal(find_row(cs, SVA_SCOPE_STORE, "SH-002", "ssi")->n_actions, 1);
    assert_int_equal(find_row(cs, SVA_SCOPE_STORE, "BJ-001", "csi")->n_actions, 0);
    sva_cycle_status_free(cs);
    cs = status(&w, "2026-11", "2026-11-21");
    assert_int_equal(cs->actions_overdue, 2);
    sva_cycle_status_free(cs);
    world_close(&w);
}

static void test_action_from_audit(void **state)
{
    (void)state;
    world w;
    world_open(&w, "action-from-audit.db");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    sva_diag d = {0};
    /* SH-002 answers ynnn: greet passes; tidy, clean and exit fail */
    long long au = record(&w, "SH-002", "2026-11", "2026-11-07", "ynnn");
    /* already worked on at SH-002 in 2026-11: back.clean (open) -> skipped;
     * back.exit is verified -> a new one is opened; front.tidy has actions only at
     * another store and in another cycle -> a new one is opened */
    long long clean = action(&w, "2026-11", "SH-002", NULL, "back.clean", NULL);
    long long exitv = action(&w, "2026-11", "SH-002", NULL, "back.exit", NULL);
    update(&w, exitv, "done", "Wang Fang");
    update(&w, exitv, "verified", "QA");
    action(&w, "2026-11", "SH-001", NULL, "front.tidy", NULL);
    action(&w, "2026-12", "SH-002", NULL, "front.tidy", NULL);
    long long n_before = n_rows(&w, "action");

    sva_kv set[] = {KV("who", "Wang Fang"), KV("when", "2026-11-20"), KV("where", "showroom"),
                    KV("how", "coaching")};
    size_t made = 99, skipped = 99;
    sva_error rc = sva_db_action_from_audit(w.db, w.form, w.cat, au, set, 4, "Li Na", &made,
                                            &skipped, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(made, 2);    /* front.tidy, back.exit */
    assert_int_equal(skipped, 1); /* back.clean */
    assert_int_equal(n_rows(&w, "action"), n_before + 2);

    long long ids[16];
    sva_action_filter f = {.cycle = "2026-11", .store = "SH-002", .today = "2026-11-15"};
    size_t n = count_actions(&w, &f, ids, 16);
    assert_int_equal(n, 4);
    bool tidy = false, exit_new = false;
    for (size_t i = 0; i < n; i++) {
        sva_action *a = get_action(&w, ids[i], "2026-11-15");
        if (a->source_audit == au) {
            assert_string_equal(a->checklist, "pdca_unit");
            assert_string_equal(a->metric, "ssi");
            assert_int_equal(a->status, SVA_ACTION_OPEN);
            assert_string_equal(a->owner, "Wang Fang");
            /* why and what are filled from the item when not given */
            assert_non_null(field_of(a, "why"));
            assert_true(strlen(field_of(a, "why")) > 0);
            assert_non_null(field_of(a, "what"));
            assert_true(strlen(field_of(a, "what")) > 0);
            assert_string_equal(field_of(a, "how"), "coaching");
            tidy |= !strcmp(a->item, "front.tidy");
            exit_new |= !strcmp(a->item, "back.exit");
            sva_history *h = NULL;
            size_t nh = 0;
            assert_int_equal(sva_db_action_history(w.db, a->id, &h, &nh, &d), SVA_OK);
            assert_int_equal(nh, 1);
            assert_string_equal(h[0].actor, "Li Na");
            sva_history_free(h, nh);
        } else {
            assert_true(a->id == clean || a->id == exitv);
        }
        sva_actions_free(a, 1);
    }
    assert_true(tidy);
    assert_true(exit_new);

    /* again: every failed item has an action now -> nothing opened, 3 skipped */
    made = skipped = 99;
    assert_int_equal(sva_db_action_from_audit(w.db, w.form, w.cat, au, set, 4, "Li Na", &made,
                                              &skipped, &d),
                     SVA_OK);
    assert_int_equal(made, 0);
    assert_int_equal(skipped, 3);

    /* an audit with no failed item opens nothing */
    long long clean_audit = record(&w, "SH-001", "2026-11", "2026-11-08", "yyyy");
    made = skipped = 99;
    assert_int_equal(sva_db_action_from_audit(w.db, w.form, w.cat, clean_audit, set, 4, "Li Na",
                                              &made, &skipped, &d),
                     SVA_OK);
    assert_int_equal(made, 0);
    assert_int_equal(skipped, 0);

    /* refused, nothing written: a required field missing (how), a void audit, no audit */
    long long bj = record(&w, "BJ-001", "2026-11", "2026-11-09", "nnyy");
    long long gone = record(&w, "BJ-001", "2026-11", "2026-11-10", "nnnn");
    assert_int_equal(sva_db_audit_void(w.db, gone, "test visit", &d), SVA_OK);
    char *before = snapshot(w.path);
    sva_kv no_how[] = {KV("who", "Wang Fang"), KV("when", "2026-11-20"), KV("where", "x")};
    rc = sva_db_action_from_audit(w.db, w.form, w.cat, bj, no_how, 3, "Li Na", NULL, NULL, &d);
    assert_int_not_equal(rc, SVA_OK);
    expect_diag(&d, NULL, -1, "how");
    sva_diag_clear(&d);
    expect_same(before, w.path, "from-audit without how");
    rc = sva_db_action_from_audit(w.db, w.form, w.cat, gone, set, 4, "Li Na", NULL, NULL, &d);
    assert_int_not_equal(rc, SVA_OK);
    sva_diag_clear(&d);
    expect_same(before, w.path, "from-audit of a void audit");
    rc = sva_db_action_from_audit(w.db, w.form, w.cat, 9999, set, 4, "Li Na", NULL, NULL, &d);
    assert_int_equal(rc, SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
    expect_same(before, w.path, "from-audit of no audit");
    free(before);
    world_close(&w);
}

/* ---- Check: surveys beside the audit figures ------------------------------------------ */

static void test_survey_import(void **state)
{
    (void)state;
    world w;
    world_open(&w, "survey.db");
    sva_diag d = {0};
    /* SH-001: yyyn = 75.0 (n 1); target network ssi 80 -> -5.0 missed */
    record(&w, "SH-001", "2026-11", "2026-11-05", "yyyn");
    target(&w, "2026-11", SVA_SCOPE_NETWORK, "", "ssi", 80);

    /* errors first, on an empty survey table: each names file and line, imports nothing
     * (every bad file has a good row 2 before the bad row) */
    struct {
        const char *file;
        int line;
        const char *needle;
    } bad[] = {
        {"surveys/bad_metric.csv", 3, "nps"},
        {"surveys/above_scale.csv", 3, "1200"},          /* 1200 of 1000 */
        {"surveys/above_default_scale.csv", 3, "101"},   /* 101 of the default 100 */
        {"surveys/respondents0.csv", 3, "respondents"},
        {"surveys/unknown_store.csv", 3, "XX-999"},
        {"surveys/unknown_cycle.csv", 3, "2031-01"},
        {"surveys/missing_column.csv", 1, "respondents"},
    };
    char *before = snapshot(w.path);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  bad survey %s\n", bad[i].file);
        sva_import_stats st = {0};
        sva_error rc = sva_import_surveys(w.db, fixture_path(bad[i].file), &st, &d);
        assert_int_not_equal(rc, SVA_OK);
        expect_diag(&d, strrchr(bad[i].file, '/') + 1, bad[i].line, bad[i].needle);
        sva_diag_clear(&d);
        assert_int_equal(n_rows(&w, "survey"), 0);
        expect_same(before, w.path, bad[i].file);
    }
    free(before);

    /* good.csv: SH-001 ssi 850 of 1000 -> 85.0, 40 respondents; BJ-001 csi 72.5 of 100 */
    sva_import_stats st = {0};
    sva_error rc = sva_import_surveys(w.db, fixture_path("surveys/good.csv"), &st, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.updated, 0);
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-15");
    /* beside, never mixed in: SH-001 ssi stays 75.0 (n 1) and missed (mixed in it would
     * be (75 + 85) / 2 = 80.0, met) */
    const sva_status_row *r = find_row(cs, SVA_SCOPE_STORE, "SH-001", "ssi");
    check_row(cs, SVA_SCOPE_STORE, "SH-001", "ssi", 75.0, 1, 80, SVA_SCOPE_NETWORK, -5.0,
              SVA_TARGET_MISSED);
    assert_true(r->has_survey);
    assert_near(r->survey, 85.0);
    assert_int_equal(r->respondents, 40);
    r = find_row(cs, SVA_SCOPE_STORE, "BJ-001", "csi");
    assert_false(r->has_actual);
    assert_true(r->has_survey);
    assert_near(r->survey, 72.5);
    assert_int_equal(r->respondents, 12);
    assert_false(find_row(cs, SVA_SCOPE_STORE, "SH-001", "csi")->has_survey);
    assert_false(find_row(cs, SVA_SCOPE_STORE, "SH-002", "ssi")->has_survey);
    /* the region and network figures are the audits' alone: 75.0 over 1 store */
    check_row(cs, SVA_SCOPE_REGION, "East", "ssi", 75.0, 1, 80, SVA_SCOPE_NETWORK, -5.0,
              SVA_TARGET_MISSED);
    check_row(cs, SVA_SCOPE_NETWORK, "", "ssi", 75.0, 1, 80, SVA_SCOPE_NETWORK, -5.0,
              SVA_TARGET_MISSED);
    check_row(cs, SVA_SCOPE_NETWORK, "", "csi", NAN, 0, NAN, SVA_SCOPE_NETWORK, NAN,
              SVA_TARGET_NONE);
    sva_cycle_status_free(cs);

    /* the same cycle, store and metric again replaces: 900 of 1000 -> 90.0, 41 */
    rc = sva_import_surveys(w.db, fixture_path("surveys/replace.csv"), &st, &d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(st.updated, 1);
    assert_int_equal(n_rows(&w, "survey"), 2);
    cs = status(&w, "2026-11", "2026-11-15");
    r = find_row(cs, SVA_SCOPE_STORE, "SH-001", "ssi");
    assert_near(r->survey, 90.0);
    assert_int_equal(r->respondents, 41);
    assert_near(r->actual, 75.0);
    sva_cycle_status_free(cs);
    sva_diag_clear(&d);
    world_close(&w);
}

/* ---- Act: states, reasons, closing, carry-over, verification --------------------------- */

static sva_cycle_state state_of(world *w, const char *id)
{
    sva_cycle *c = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_db_cycle_get(w->db, id, &c, &d), SVA_OK);
    sva_cycle_state s = c->state;
    sva_cycles_free(c, 1);
    return s;
}

static void test_cycle_states(void **state)
{
    (void)state;
    world w;
    world_open(&w, "states.db");
    sva_diag d = {0};
    sva_cycle_state now;
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_PLAN);
    assert_string_equal(sva_cycle_state_name(SVA_CYCLE_PLAN), "plan");
    assert_string_equal(sva_cycle_state_name(SVA_CYCLE_CLOSED), "closed");
    /* the first audit moves plan -> do */
    record(&w, "SH-001", "2026-11", "2026-11-05", "yyyy");
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_DO);
    record(&w, "SH-002", "2026-11", "2026-11-06", "yyyy");
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_DO);

    /* advance: plan -> do -> check -> act, one step at a time; not past act */
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    assert_int_equal(sva_db_cycle_advance(w.db, "2026-12", &now, &d), SVA_OK);
    assert_int_equal(now, SVA_CYCLE_DO);
    assert_int_equal(sva_db_cycle_advance(w.db, "2026-12", &now, &d), SVA_OK);
    assert_int_equal(now, SVA_CYCLE_CHECK);
    /* an audit recorded in check does not move it back to do */
    record(&w, "SH-001", "2026-12", "2026-12-03", "yyyn");
    assert_int_equal(state_of(&w, "2026-12"), SVA_CYCLE_CHECK);
    assert_int_equal(sva_db_cycle_advance(w.db, "2026-12", &now, &d), SVA_OK);
    assert_int_equal(now, SVA_CYCLE_ACT);
    char *before = snapshot(w.path);
    assert_int_equal(sva_db_cycle_advance(w.db, "2026-12", &now, &d), SVA_ERR_STATE);
    assert_true(d.n > 0);
    sva_diag_clear(&d);
    expect_same(before, w.path, "advance past act");
    assert_int_equal(sva_db_cycle_advance(w.db, "2031-01", &now, &d), SVA_ERR_NOT_FOUND);
    expect_diag(&d, NULL, -1, "2031-01");
    sva_diag_clear(&d);
    expect_same(before, w.path, "advance an unknown cycle");
    free(before);
    record(&w, "SH-002", "2026-12", "2026-12-04", "yyyn");
    assert_int_equal(state_of(&w, "2026-12"), SVA_CYCLE_ACT);

    /* the list shows the states */
    sva_cycle *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_db_cycle_list(w.db, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, "2026-11");
    assert_int_equal(v[0].state, SVA_CYCLE_DO);
    assert_int_equal(v[0].n_audits, 2);
    assert_int_equal(v[1].state, SVA_CYCLE_ACT);
    sva_cycles_free(v, n);

    /* close (no targets, no actions: nothing missing, nothing to carry) */
    sva_close_report rep;
    assert_int_equal(sva_db_cycle_close(w.db, "2026-12", "2026-12-31", NULL, &rep, &d), SVA_OK);
    assert_null(rep.next_cycle);
    assert_int_equal(rep.carried, 0);
    assert_int_equal(state_of(&w, "2026-12"), SVA_CYCLE_CLOSED);
    before = snapshot(w.path);
    assert_int_equal(sva_db_cycle_advance(w.db, "2026-12", &now, &d), SVA_ERR_STATE);
    assert_int_not_equal(sva_db_cycle_close(w.db, "2026-12", "2026-12-31", NULL, &rep, &d), SVA_OK);
    sva_diag_clear(&d);
    expect_same(before, w.path, "advance or close a closed cycle");
    free(before);
    world_close(&w);
}

static void test_close_needs_reason_and_action(void **state)
{
    (void)state;
    world w;
    world_open(&w, "close.db");
    load_precedence(&w);
    sva_diag d = {0};
    sva_close_report rep;
    /* store targets of 2026-11 (see test_target_precedence): SH-001 ssi met, SH-002 ssi
     * missed (25.0 < 30), BJ-001 ssi met, BJ-001 pdca_unit met (75.0 >= 75), csi no data.
     * East and the network missed too, but only store targets need a reason and an action. */
    char *before = snapshot(w.path);
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d),
                     SVA_ERR_STATE);
    expect_diag(&d, NULL, -1, "SH-002", "ssi", "reason");
    expect_diag(&d, NULL, -1, "SH-002", "ssi", "action");
    assert_int_equal(d.n, 2); /* a reason and an action for SH-002 ssi, nothing else */
    assert_false(diag_find(&d, NULL, -1, "SH-001", (const char *)NULL));
    assert_false(diag_find(&d, NULL, -1, "BJ-001", (const char *)NULL));
    assert_false(diag_find(&d, NULL, -1, "csi", (const char *)NULL));
    sva_diag_clear(&d);
    expect_same(before, w.path, "refused close");
    free(before);
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_DO);

    /* a reason on another metric or store does not count */
    assert_int_equal(sva_db_cycle_reason(w.db, w.cat, "2026-11", "SH-002", "csi", "survey late", &d),
                     SVA_OK);
    /* a target met takes no reason: refused, naming the store, the metric, and that it was met */
    char *met = snapshot(w.path);
    assert_int_equal(
        sva_db_cycle_reason(w.db, w.cat, "2026-11", "SH-001", "ssi", "not needed", &d),
        SVA_ERR_STATE);
    expect_diag(&d, NULL, -1, "--metric ssi", "SH-001", "met its target");
    assert_int_equal(d.n, 1);
    sva_diag_clear(&d);
    expect_same(met, w.path, "a reason for a met target");
    free(met);
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d),
                     SVA_ERR_STATE);
    expect_diag(&d, NULL, -1, "SH-002", "ssi", "reason");
    sva_diag_clear(&d);

    /* the reason alone: still refused, now only the action is missing */
    assert_int_equal(sva_db_cycle_reason(w.db, w.cat, "2026-11", "SH-002", "ssi",
                                         "two new consultants untrained", &d),
                     SVA_OK);
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-30");
    assert_true(find_row(cs, SVA_SCOPE_STORE, "SH-002", "ssi")->has_reason);
    sva_cycle_status_free(cs);
    before = snapshot(w.path);
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d),
                     SVA_ERR_STATE);
    assert_int_equal(d.n, 1);
    expect_diag(&d, NULL, -1, "SH-002", "ssi", "action");
    sva_diag_clear(&d);
    expect_same(before, w.path, "close with the reason only");
    free(before);

    /* actions on another metric at SH-002, or on ssi at another store, do not count */
    action(&w, "2026-11", "SH-002", "csi", NULL, NULL);
    action(&w, "2026-11", "SH-001", "ssi", NULL, NULL);
    action(&w, "2026-11", "SH-002", NULL, NULL, NULL); /* a general action: no metric */
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d),
                     SVA_ERR_STATE);
    expect_diag(&d, NULL, -1, "SH-002", "ssi", "action");
    sva_diag_clear(&d);
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_DO);

    /* an action on an item of pdca_unit (which feeds ssi) at SH-002: now it closes; the four
     * open actions carry into 2026-12 */
    long long fix = action(&w, "2026-11", "SH-002", NULL, "front.tidy", NULL);
    cs = status(&w, "2026-11", "2026-11-30");
    assert_int_equal(find_row(cs, SVA_SCOPE_STORE, "SH-002", "ssi")->n_actions, 1);
    sva_cycle_status_free(cs);
    sva_error rc = sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_non_null(rep.next_cycle);
    assert_string_equal(rep.next_cycle, "2026-12");
    assert_int_equal(rep.carried, 4);
    free(rep.next_cycle);
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_CLOSED);
    sva_action *a = get_action(&w, fix, "2026-11-30");
    assert_string_equal(a->cycle, "2026-12"); /* the same action, carried on */
    assert_string_equal(a->carried_from_cycle, "2026-11");
    sva_actions_free(a, 1);
    sva_diag_clear(&d);
    world_close(&w);
}

static void test_close_carries_open_actions(void **state)
{
    (void)state;
    world w;
    world_open(&w, "carry.db");
    sva_diag d = {0};
    sva_close_report rep;
    open_cycle(&w, "2026-10", "2026-10-01", "2026-10-31"); /* before 2026-11: never the next */
    record(&w, "SH-001", "2026-11", "2026-11-05", "yyyy");
    /* a1 open, a2 in progress, a3 done, a4 reopened, a5 open at BJ-001 (csi, no item) */
    long long a1 = action(&w, "2026-11", "SH-001", NULL, "front.greet", NULL);
    long long a2 = action(&w, "2026-11", "SH-001", NULL, "front.tidy", NULL);
    long long a3 = action(&w, "2026-11", "SH-001", NULL, "back.clean", NULL);
    long long a4 = action(&w, "2026-11", "SH-001", NULL, NULL, "back");
    long long a5 = action(&w, "2026-11", "BJ-001", "csi", NULL, NULL);
    update(&w, a2, "in_progress", "Wang Fang");
    update(&w, a3, "done", "Wang Fang");
    update(&w, a4, "done", "Wang Fang");
    update(&w, a4, "reopened", "QA");

    /* no cycle after 2026-11: four open actions have nowhere to go -> refused */
    char *before = snapshot(w.path);
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d),
                     SVA_ERR_STATE);
    assert_true(d.n > 0);
    sva_diag_clear(&d);
    expect_same(before, w.path, "close with open actions and no next cycle");
    free(before);
    assert_int_equal(state_of(&w, "2026-11"), SVA_CYCLE_DO);

    /* the next cycle is the first that starts after 2026-11 ends: 2026-12, not 2027-01
     * (opened first) */
    open_cycle(&w, "2027-01", "2027-01-01", "2027-01-31");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    sva_error rc = sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_string_equal(rep.next_cycle, "2026-12");
    assert_int_equal(rep.carried, 4); /* a1, a2, a4, a5; a3 is done */
    free(rep.next_cycle);

    /* the same actions move on: same id, fields, history; the due date 2026-11-20 had
     * passed on 2026-11-30, so it moves to 2026-12's last day and none arrives overdue */
    long long open_ids[] = {a1, a2, a4, a5};
    const sva_action_status was[] = {SVA_ACTION_OPEN, SVA_ACTION_IN_PROGRESS,
                                     SVA_ACTION_REOPENED, SVA_ACTION_OPEN};
    for (size_t i = 0; i < 4; i++) {
        sva_action *a = get_action(&w, open_ids[i], "2026-12-01");
        assert_string_equal(a->cycle, "2026-12");
        assert_string_equal(a->carried_from_cycle, "2026-11");
        assert_null(a->carried_to_cycle);
        assert_int_equal(a->carried_from, 0);
        assert_int_equal(a->carried_to, 0);
        assert_int_equal(a->status, was[i]);
        assert_string_equal(a->due, "2026-12-31");
        assert_string_equal(field_of(a, "when"), "2026-12-31");
        assert_false(a->overdue);
        assert_string_equal(field_of(a, "what"), "door duty rota");
        sva_history *h = NULL;
        size_t nh = 0;
        assert_int_equal(sva_db_action_history(w.db, a->id, &h, &nh, &d), SVA_OK);
        assert_true(nh >= 2);
        assert_string_equal(h[0].change, "opened");
        assert_string_equal(h[nh - 1].change,
                            "carried from 2026-11 to 2026-12; due 2026-11-20 (passed) -> "
                            "2026-12-31");
        sva_history_free(h, nh);
        sva_actions_free(a, 1);
    }
    sva_action *done = get_action(&w, a3, "2026-12-15");
    assert_string_equal(done->cycle, "2026-11");
    assert_null(done->carried_from_cycle);
    sva_actions_free(done, 1);
    long long ids[16];
    sva_action_filter f = {.cycle = "2026-12", .today = "2026-12-15"};
    assert_int_equal(count_actions(&w, &f, ids, 16), 4);
    f.cycle = "2027-01";
    assert_int_equal(count_actions(&w, &f, ids, 16), 0);
    f.cycle = "2026-10";
    assert_int_equal(count_actions(&w, &f, ids, 16), 0);
    /* the closed cycle still lists them, as they stood when carried */
    sva_action *v = NULL;
    size_t nv = 0;
    f.cycle = "2026-11";
    assert_int_equal(sva_db_action_list(w.db, &f, &v, &nv, &d), SVA_OK);
    assert_int_equal(nv, 5);
    for (size_t i = 0; i < nv; i++) {
        assert_string_equal(v[i].cycle, "2026-11");
        if (v[i].id == a3) {
            assert_null(v[i].carried_to_cycle);
            continue;
        }
        assert_string_equal(v[i].carried_to_cycle, "2026-12");
        assert_int_equal(v[i].carried_to, v[i].id);
        assert_string_equal(v[i].due, "2026-11-20");
        assert_false(v[i].overdue);
        if (v[i].id == a2)
            assert_int_equal(v[i].status, SVA_ACTION_IN_PROGRESS);
    }
    sva_actions_free(v, nv);
    /* the closed cycle's Check is as it was: BJ-001's csi action counts there */
    sva_cycle_status *cs = status(&w, "2026-11", "2026-12-15");
    assert_int_equal(find_row(cs, SVA_SCOPE_STORE, "BJ-001", "csi")->n_actions, 1);
    assert_int_equal(cs->actions_open, 0); /* counted in the cycle they went to */
    sva_cycle_status_free(cs);
    /* the new cycle's Check counts them as open, none overdue */
    cs = status(&w, "2026-12", "2026-12-15");
    assert_int_equal(cs->actions_open, 4);
    assert_int_equal(cs->actions_overdue, 0);
    sva_cycle_status_free(cs);

    /* the closed cycle takes no new audits (SVA_ERR_STATE) and no new actions */
    before = snapshot(w.path);
    sva_answer ans[4];
    memset(ans, 0, sizeof ans);
    for (size_t i = 0; i < 4; i++)
        ans[i].answered = true, ans[i].value = 1;
    sva_audit_header ah = {.cycle = "2026-11", .store = "SH-002", .auditor = "Zhang Min",
                           .date = "2026-11-20"};
    const sva_audit_ready *ready = NULL;
    assert_int_equal(sva_audit_prepare(w.cl, &ah, ans, &ready, &d), SVA_OK);
    long long aid = -1;
    assert_int_equal(sva_db_audit_record(w.db, ready, false, &aid, &d), SVA_ERR_STATE);
    sva_audit_ready_free(ready);
    expect_diag(&d, NULL, -1, "closed");
    sva_diag_clear(&d);
    expect_same(before, w.path, "audit into a closed cycle");
    sva_kv six[] = {KV("why", "w"), KV("what", "w"), KV("who", "Li Na"),
                    KV("when", "2026-11-30"), KV("where", "x"), KV("how", "h")};
    sva_action_input ai = {.cycle = "2026-11", .store = "SH-001", .metric = "ssi", .set = six,
                           .n_set = 6};
    long long nid = -1;
    assert_int_not_equal(sva_db_action_add(w.db, w.form, w.cat, &ai, &nid, &d), SVA_OK);
    expect_diag(&d, NULL, -1, "closed");
    sva_diag_clear(&d);
    expect_same(before, w.path, "action into a closed cycle");
    free(before);

    /* closing 2026-12 carries them on into 2027-01 (due 2026-12-31 has not passed on
     * 2026-12-31: kept); each cycle left lists them, carried to the next */
    sva_error rc2 = sva_db_cycle_close(w.db, "2026-12", "2026-12-31", NULL, &rep, &d);
    if (rc2)
        diag_dump(&d);
    assert_int_equal(rc2, SVA_OK);
    assert_string_equal(rep.next_cycle, "2027-01");
    assert_int_equal(rep.carried, 4);
    free(rep.next_cycle);
    sva_action *last = get_action(&w, a1, NULL);
    assert_string_equal(last->cycle, "2027-01");
    assert_string_equal(last->carried_from_cycle, "2026-12");
    assert_string_equal(last->due, "2026-12-31");
    sva_actions_free(last, 1);
    const char *left[] = {"2026-11", "2026-12"}, *went[] = {"2026-12", "2027-01"};
    for (int k = 0; k < 2; k++) {
        f.cycle = left[k];
        assert_int_equal(sva_db_action_list(w.db, &f, &v, &nv, &d), SVA_OK);
        bool seen = false;
        for (size_t i = 0; i < nv; i++)
            if (v[i].id == a1) {
                seen = true;
                assert_string_equal(v[i].carried_to_cycle, went[k]);
            }
        assert_true(seen);
        sva_actions_free(v, nv);
    }
    sva_diag_clear(&d);
    world_close(&w);
}

/* A store without a region: no region row for it, the network's target, and it counts
 * in the network's mean. */
static void test_store_without_region(void **state)
{
    (void)state;
    world w;
    world_open(&w, "no-region.db");
    sva_diag d = {0};
    sva_store lone = {"NR-1", "Roadside Outlet", ""};
    assert_int_equal(sva_db_store_add(w.db, &lone, &d), SVA_OK);
    /* SH-001 yyyy = 100.0; NR-1 yynn = 50.0; targets network ssi 60, East ssi 70 */
    record(&w, "SH-001", "2026-11", "2026-11-05", "yyyy");
    record(&w, "NR-1", "2026-11", "2026-11-06", "yynn");
    target(&w, "2026-11", SVA_SCOPE_NETWORK, "", "ssi", 60);
    target(&w, "2026-11", SVA_SCOPE_REGION, "East", "ssi", 70);
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-15");
    assert_int_equal(cs->stores_total, 4);
    assert_int_equal(cs->stores_audited, 2);
    /* NR-1: 50.0 against the network's 60: -10.0 missed */
    check_row(cs, SVA_SCOPE_STORE, "NR-1", "ssi", 50.0, 1, 60, SVA_SCOPE_NETWORK, -10.0,
              SVA_TARGET_MISSED);
    /* East: SH-001 alone (SH-002 has no audit): 100.0, n 1, East's 70: +30.0 met */
    check_row(cs, SVA_SCOPE_REGION, "East", "ssi", 100.0, 1, 70, SVA_SCOPE_REGION, 30.0,
              SVA_TARGET_MET);
    /* North: no audits: no data against the network's 60 */
    check_row(cs, SVA_SCOPE_REGION, "North", "ssi", NAN, 0, 60, SVA_SCOPE_NETWORK, NAN,
              SVA_TARGET_NO_DATA);
    /* network: (100.0 + 50.0) / 2 = 75.0 over 2 stores: +15.0 met */
    check_row(cs, SVA_SCOPE_NETWORK, "", "ssi", 75.0, 2, 60, SVA_SCOPE_NETWORK, 15.0,
              SVA_TARGET_MET);
    /* regions East and North only, 3 metrics each; 4 stores x 3; network x 3 */
    size_t regions = 0;
    for (size_t i = 0; i < cs->n_rows; i++)
        if (cs->rows[i].scope == SVA_SCOPE_REGION) {
            assert_true(strcmp(cs->rows[i].id, "East") == 0 ||
                        strcmp(cs->rows[i].id, "North") == 0);
            regions++;
        }
    assert_int_equal(regions, 6);
    assert_int_equal(cs->n_rows, 4 * 3 + 6 + 3);
    sva_cycle_status_free(cs);
    world_close(&w);
}

static const sva_verification *find_verif(const sva_cycle_status *cs, long long id)
{
    for (size_t i = 0; i < cs->n_verifications; i++)
        if (cs->verifications[i].action_id == id)
            return &cs->verifications[i];
    return NULL;
}

static void test_verify_and_reopen(void **state)
{
    (void)state;
    world w;
    world_open(&w, "verify.db");
    open_cycle(&w, "2026-12", "2026-12-01", "2026-12-31");
    sva_diag d = {0};
    /* 2026-11: SH-001 fails greet and exit (nyyn); done actions on them */
    record(&w, "SH-001", "2026-11", "2026-11-05", "nyyn");
    long long p = action(&w, "2026-11", "SH-001", NULL, "front.greet", NULL);
    long long q = action(&w, "2026-11", "SH-001", NULL, "back.exit", NULL);
    long long r = action(&w, "2026-11", "BJ-001", NULL, NULL, "back"); /* a section */
    long long t = action(&w, "2026-11", "SH-002", NULL, "front.greet", NULL);
    long long u = action(&w, "2026-11", "SH-001", NULL, "front.tidy", NULL);
    update(&w, p, "done", "Wang Fang");
    update(&w, q, "done", "Wang Fang");
    update(&w, r, "done", "Wang Fang");
    update(&w, t, "done", "Wang Fang");
    update(&w, u, "in_progress", "Wang Fang");

    /* 2026-11's own answers do not verify 2026-11's actions: only a later cycle does */
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-30");
    assert_int_equal(cs->n_verifications, 0);
    sva_cycle_status_free(cs);
    assert_int_equal(status_of(&w, p), SVA_ACTION_DONE);

    /* 2026-12, before any result: nothing to check yet */
    cs = status(&w, "2026-12", "2026-12-15");
    assert_int_equal(cs->n_verifications, 0);
    sva_cycle_status_free(cs);

    /* 2026-12: SH-001 yyyn and yyyy: greet passes both times (2 of 2) -> p verified;
     * exit fails once of 2 -> q reopened; BJ-001 nnyy: both back items pass -> r verified;
     * SH-002 has no audit in 2026-12 -> t stays done; u is not done -> not checked */
    record(&w, "SH-001", "2026-12", "2026-12-03", "yyyn");
    record(&w, "SH-001", "2026-12", "2026-12-04", "yyyy");
    record(&w, "BJ-001", "2026-12", "2026-12-05", "nnyy");
    /* the status shows what 2026-12's answers decide, and writes nothing: the
     * same answer however often it is asked */
    char *before = snapshot(w.path);
    for (int look = 0; look < 2; look++) {
        cs = status(&w, "2026-12", "2026-12-15");
        assert_false(cs->verifications_applied);
        assert_int_equal(cs->n_verifications, 3);
        const sva_verification *v = find_verif(cs, p);
        assert_non_null(v);
        assert_true(v->confirmed);
        assert_string_equal(v->store, "SH-001");
        assert_non_null(strstr(v->what, "front.greet"));
        assert_int_equal(v->n_answers, 2);
        assert_int_equal(v->n_failed, 0);
        v = find_verif(cs, q);
        assert_non_null(v);
        assert_false(v->confirmed);
        assert_non_null(strstr(v->what, "back.exit"));
        assert_int_equal(v->n_answers, 2);
        assert_int_equal(v->n_failed, 1);
        v = find_verif(cs, r);
        assert_non_null(v);
        assert_true(v->confirmed);
        assert_string_equal(v->store, "BJ-001");
        assert_non_null(strstr(v->what, "back"));
        assert_int_equal(v->n_answers, 2); /* back.clean and back.exit */
        assert_int_equal(v->n_failed, 0);
        assert_null(find_verif(cs, t));
        assert_null(find_verif(cs, u));
        sva_cycle_status_free(cs);
    }
    expect_same(before, w.path, "cycle status (a read)");
    free(before);
    assert_int_equal(status_of(&w, p), SVA_ACTION_DONE);
    assert_int_equal(status_of(&w, q), SVA_ACTION_DONE);

    /* closing 2026-12 writes them, with a history line naming the cycle */
    sva_close_report rep;
    assert_int_equal(sva_db_cycle_close(w.db, "2026-12", "2026-12-31", NULL, &rep, &d), SVA_OK);
    assert_int_equal(rep.verified, 2);
    assert_int_equal(rep.reopened, 1);
    free(rep.next_cycle);
    assert_int_equal(status_of(&w, p), SVA_ACTION_VERIFIED);
    assert_int_equal(status_of(&w, q), SVA_ACTION_REOPENED);
    assert_int_equal(status_of(&w, r), SVA_ACTION_VERIFIED);
    assert_int_equal(status_of(&w, t), SVA_ACTION_DONE);
    assert_int_equal(status_of(&w, u), SVA_ACTION_IN_PROGRESS);
    sva_history *h = NULL;
    size_t nh = 0;
    assert_int_equal(sva_db_action_history(w.db, p, &h, &nh, &d), SVA_OK);
    assert_true(nh >= 3); /* opened, done, verified */
    assert_non_null(strstr(h[nh - 1].change, "verified"));
    assert_non_null(strstr(h[nh - 1].change, "2026-12"));
    sva_history_free(h, nh);
    assert_int_equal(sva_db_action_history(w.db, q, &h, &nh, &d), SVA_OK);
    assert_non_null(strstr(h[nh - 1].change, "reopened"));
    assert_non_null(strstr(h[nh - 1].change, "2026-12"));
    sva_history_free(h, nh);
    assert_int_equal(q_int(w.path, "SELECT count(*) FROM action_check WHERE cycle_id = '2026-12'"),
                     3);

    /* the closed cycle's status shows what its close decided */
    cs = status(&w, "2026-12", "2026-12-31");
    assert_true(cs->verifications_applied);
    assert_int_equal(cs->n_verifications, 3);
    assert_true(find_verif(cs, p)->confirmed);
    assert_false(find_verif(cs, q)->confirmed);
    sva_cycle_status_free(cs);
    cs = status(&w, "2026-11", "2026-11-30");
    assert_int_equal(cs->actions_verified, 2); /* p, r */
    assert_int_equal(cs->actions_done, 1);     /* t */
    assert_int_equal(cs->actions_open, 2);     /* q reopened, u in progress */
    sva_cycle_status_free(cs);

    /* the reopened action is worked on again: reopened -> in_progress -> done */
    update(&w, q, "in_progress", "Wang Fang");
    update(&w, q, "done", "Wang Fang");
    assert_int_equal(status_of(&w, q), SVA_ACTION_DONE);
    sva_diag_clear(&d);
    world_close(&w);
}

static void test_reason_refused(void **state)
{
    (void)state;
    world w;
    world_open(&w, "reason.db");
    sva_diag d = {0};
    char *before = snapshot(w.path);
    struct {
        const char *cycle, *store, *metric, *text, *needle, *what;
    } bad[] = {
        {"2031-01", "SH-001", "ssi", "x", "2031-01", "unknown cycle"},
        {"2026-11", "XX-999", "ssi", "x", "XX-999", "unknown store"},
        {"2026-11", "SH-001", "ssi", "", "text", "empty text"},
        {"2026-11", "SH-001", "", "x", "metric", "empty metric"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        print_message("  refused: %s\n", bad[i].what);
        assert_int_not_equal(sva_db_cycle_reason(w.db, w.cat, bad[i].cycle, bad[i].store,
                                                 bad[i].metric, bad[i].text, &d),
                             SVA_OK);
        expect_diag(&d, NULL, -1, bad[i].needle);
        sva_diag_clear(&d);
        expect_same(before, w.path, bad[i].what);
    }
    free(before);
    /* a second reason for the same store and metric replaces the first */
    assert_int_equal(sva_db_cycle_reason(w.db, w.cat, "2026-11", "SH-001", "ssi", "first", &d), SVA_OK);
    assert_int_equal(sva_db_cycle_reason(w.db, w.cat, "2026-11", "SH-001", "ssi", "second", &d),
                     SVA_OK);
    assert_int_equal(n_rows(&w, "cycle_reason"), 1);
    world_close(&w);
}


/* The Auditors view counts each auditor's appeals and how many were upheld. */
static void test_auditor_appeals(void **state)
{
    (void)state;
    world w;
    world_open(&w, "appeals.db");
    sva_diag d = {0};
    long long a1 = record_by(&w, "SH-001", "2026-11", "2026-11-05", "nyyn", "Zhang Min");
    long long a2 = record_by(&w, "SH-001", "2026-11", "2026-11-06", "yyyn", "Zhang Min");
    long long a3 = record_by(&w, "SH-002", "2026-11", "2026-11-07", "yyyy", "Li Ping");
    record_by(&w, "SH-002", "2026-11", "2026-11-08", "yyyy", "Wu Gang");
    assert_int_equal(sva_db_set_actor(w.db, "SH-001 manager", &d), SVA_OK);
    /* a1: upheld (voided); a2: rejected; a3: open */
    assert_int_equal(sva_db_audit_appeal(w.db, a1, "wrong store", &d), SVA_OK);
    assert_int_equal(sva_db_audit_resolve(w.db, a1, SVA_APPEAL_UPHELD, "x", &d), SVA_ERR_STATE);
    sva_diag_clear(&d);
    assert_int_equal(sva_db_audit_void(w.db, a1, "wrong store", &d), SVA_OK);
    assert_int_equal(sva_db_audit_resolve(w.db, a1, SVA_APPEAL_UPHELD, "voided", &d), SVA_OK);
    assert_int_equal(sva_db_audit_appeal(w.db, a2, "too strict", &d), SVA_OK);
    assert_int_equal(sva_db_audit_resolve(w.db, a2, SVA_APPEAL_REJECTED, "it stands", &d),
                     SVA_OK);
    assert_int_equal(sva_db_audit_appeal(w.db, a3, "the exit was clear", &d), SVA_OK);
    if (d.n)
        diag_dump(&d);
    assert_int_equal(d.n, 0);
    sva_auditor_row *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_trend_auditors(w.db, "2026-11", &v, &n, &d), SVA_OK);
    long got[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
    for (size_t i = 0; i < n; i++) {
        int k = strcmp(v[i].auditor, "Zhang Min") == 0 ? 0
                : strcmp(v[i].auditor, "Li Ping") == 0 ? 1
                : strcmp(v[i].auditor, "Wu Gang") == 0 ? 2
                                                       : -1;
        assert_true(k >= 0);
        got[k][0] = v[i].appeals;
        got[k][1] = v[i].upheld;
    }
    assert_int_equal(got[0][0], 2); /* Zhang Min: two appeals, one upheld */
    assert_int_equal(got[0][1], 1);
    assert_int_equal(got[1][0], 1); /* Li Ping: one, open */
    assert_int_equal(got[1][1], 0);
    assert_int_equal(got[2][0], 0); /* Wu Gang: none */
    sva_auditor_rows_free(v, n);
    /* the open appeal blocks the close; counted in the status */
    sva_cycle_status *cs = status(&w, "2026-11", "2026-11-30");
    assert_int_equal(cs->appeals_open, 1);
    assert_int_equal(cs->appeals_upheld, 1);
    assert_int_equal(cs->appeals_rejected, 1);
    sva_cycle_status_free(cs);
    sva_close_report rep;
    assert_int_equal(sva_db_cycle_close(w.db, "2026-11", "2026-11-30", NULL, &rep, &d), SVA_ERR_STATE);
    assert_true(diag_has(&d, -1, "open appeal"));
    sva_diag_clear(&d);
    world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_and_transitions),
        cmocka_unit_test(test_target_precedence),
        cmocka_unit_test(test_target_set_refused),
        cmocka_unit_test(test_targets_file),
        cmocka_unit_test(test_targets_file_refs),
        cmocka_unit_test(test_action_add),
        cmocka_unit_test(test_action_fields_in_form_order),
        cmocka_unit_test(test_action_history),
        cmocka_unit_test(test_action_list_filters),
        cmocka_unit_test(test_action_from_audit),
        cmocka_unit_test(test_survey_import),
        cmocka_unit_test(test_cycle_states),
        cmocka_unit_test(test_close_needs_reason_and_action),
        cmocka_unit_test(test_close_carries_open_actions),
        cmocka_unit_test(test_store_without_region),
        cmocka_unit_test(test_verify_and_reopen),
        cmocka_unit_test(test_auditor_appeals),
        cmocka_unit_test(test_reason_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

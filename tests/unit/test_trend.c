/* svcaudit tests: QA trends (trend.h), first through the library on a real
 * SQLite file: the series of a metric (Welch on audit %, p-chart on
 * compliance), item moves (two-proportion z-test), repeat failures and
 * auditor consistency; then the pure side (trend.c) on hand-made rows.
 * Every expected number is worked out by hand in the comments. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include <sqlite3.h>

#define EPS 1e-9
#define assert_near(actual, expected)                                                        \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= EPS * (1 + fabs(e_)))) {                                      \
            print_error("%s = %.12g, expected %.12g\n", #actual, a_, e_);                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* trend_unit: four yes/no items of weight 1, pooled: an audit scores
 * (yes answers) x 25 %. Item order: greet, tidy, clean, exit. */
static const char CL[] = "[checklist]\nid = trend_unit\nversion = 1\ntitle = Trend unit\n"
                         "subject = store\nindex = ssi\nscale = yesno\ncritical_policy = flag\n"
                         "\n[section.front]\ntitle = Front\n\n[section.back]\ntitle = Back\n"
                         "\n[item.front.greet]\nsection = front\ntext = Greet\nevidence = none\n"
                         "\n[item.front.tidy]\nsection = front\ntext = Tidy\nevidence = none\n"
                         "\n[item.back.clean]\nsection = back\ntext = Clean\nevidence = none\n"
                         "\n[item.back.exit]\nsection = back\ntext = Exit\nevidence = none\n";
static const char *const ITEMS[4] = {"front.greet", "front.tidy", "back.clean", "back.exit"};

static char g_path[1024];
static sva_db *g_db;
static sva_checklist *g_cl;
static int g_day;

static long long rec(const char *store, const char *cycle, const char *auditor, const char *yn)
{
    sva_answer a[4];
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < 4; i++) {
        long k = sva_checklist_item_index(g_cl, ITEMS[i]);
        assert_true(k >= 0);
        a[k].answered = true;
        a[k].value = yn[i] == 'y';
    }
    char date[16];
    snprintf(date, sizeof date, "%s-%02d", cycle, 1 + (g_day++ % 28));
    sva_audit_header h = {.cycle = cycle, .store = store, .auditor = auditor, .date = date};
    const sva_audit_ready *ready = NULL;
    long long id = -1;
    sva_diag d = {0};
    sva_error rc = sva_audit_prepare(g_cl, &h, a, &ready, &d);
    if (!rc)
        rc = sva_db_audit_record(g_db, ready, true, &id, &d);
    sva_audit_ready_free(ready);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    return id;
}

/* The world, built once:
 *  A-01 (East): 20 audits in 2026-01 and 20 in 2026-02, audit j (0..19) passing
 *    greet  j < 18 | j < 6      (18/20 -> 6/20)
 *    tidy   j < 10 | j < 18     (10/20 -> 18/20)
 *    clean  j < 19 | always     (19/20 -> 20/20)
 *    exit   j < 10 | j < 11     (10/20 -> 11/20)
 *  B-01 (North): 2026-01 yyyy yyyn yynn (100 75 50); 2026-02 yynn ynnn yynn
 *    (50 25 50); 2026-03 yyyn (75), plus nnnn voided.
 *  2026-03 at A-01: Kind yyyy yyyy yyyy yyyn (100 100 100 75), Fair yynn yyyn
 *    x3 (50 75 50 75 50 75). */
static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_path, sizeof g_path, "%s/svcaudit-test-trend-%ld.db", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    unlink(g_path);
    sva_diag d = {0};
    if (sva_checklist_parse("trend_unit.ini", CL, strlen(CL), &g_cl, &d) ||
        sva_db_open(g_path, SVA_DB_CREATE, &g_db, &d)) {
        diag_dump(&d);
        return -1;
    }
    sva_store st[] = {{"A-01", "Alpha", "East"}, {"B-01", "Beta", "North"}};
    for (size_t i = 0; i < 2; i++)
        if (sva_db_store_add(g_db, &st[i], &d))
            return -1;
    if (sva_db_cycle_open(g_db, "2026-01", "2026-01-01", "2026-01-31", &d) ||
        sva_db_cycle_open(g_db, "2026-02", "2026-02-01", "2026-02-28", &d) ||
        sva_db_cycle_open(g_db, "2026-03", "2026-03-01", "2026-03-31", &d))
        return -1;
    for (int j = 0; j < 20; j++) {
        char a[5] = {j < 18 ? 'y' : 'n', j < 10 ? 'y' : 'n', j < 19 ? 'y' : 'n',
                     j < 10 ? 'y' : 'n', 0};
        char b[5] = {j < 6 ? 'y' : 'n', j < 18 ? 'y' : 'n', 'y', j < 11 ? 'y' : 'n', 0};
        rec("A-01", "2026-01", "Fair", a);
        rec("A-01", "2026-02", "Fair", b);
    }
    rec("B-01", "2026-01", "Fair", "yyyy");
    rec("B-01", "2026-01", "Fair", "yyyn");
    rec("B-01", "2026-01", "Fair", "yynn");
    rec("B-01", "2026-02", "Fair", "yynn");
    rec("B-01", "2026-02", "Fair", "ynnn");
    rec("B-01", "2026-02", "Fair", "yynn");
    rec("B-01", "2026-03", "Fair", "yyyn");
    long long v = rec("B-01", "2026-03", "Kind", "nnnn");
    if (sva_db_audit_void(g_db, v, "wrong store", &d))
        return -1;
    for (int i = 0; i < 4; i++)
        rec("A-01", "2026-03", "Kind", i < 3 ? "yyyy" : "yyyn");
    for (int i = 0; i < 6; i++)
        rec("A-01", "2026-03", "Fair", i % 2 ? "yyyn" : "yynn");
    /* an action on B-01's exit in 2026-03, written as the CLI would store it */
    sqlite3 *h = NULL;
    if (sqlite3_open(g_path, &h) != SQLITE_OK ||
        sqlite3_exec(h,
                     "INSERT INTO action(uuid, cycle_id, store_id, checklist_id, item_id,"
                     " created_at, updated_at) VALUES('00000000-0000-4000-8000-000000000001',"
                     " '2026-03', 'B-01', 'trend_unit', 'back.exit', '2026-03-05T09:00:00Z',"
                     " '2026-03-05T09:00:00Z')",
                     NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    sqlite3_close(h);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sva_db_close(g_db);
    sva_checklist_free(g_cl);
    unlink(g_path);
    return 0;
}

static void test_series_store(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_trend *t = NULL;
    sva_trend_query q = {.metric = "ssi", .store = "B-01", .last_cycle = "2026-02", .cycles = 6};
    assert_int_equal(sva_trend_series(g_db, &q, &t, &d), SVA_OK);
    assert_int_equal(t->n, 2); /* only two cycles up to 2026-02 */
    const sva_trend_point *a = &t->points[0], *b = &t->points[1];
    assert_string_equal(a->cycle, "2026-01");
    assert_false(a->has_change);
    /* 100 75 50: mean 75, sd 25; 50 25 50: mean 125/3, sd sqrt(625/3) */
    assert_int_equal(a->audits.n, 3);
    assert_near(a->audits.mean, 75);
    assert_near(a->audits.sd, 25);
    assert_near(b->audits.mean, 125.0 / 3);
    assert_near(b->audits.sd, sqrt(625.0 / 3));
    /* Welch: va = 625/3, vb = 625/9, se = 50/3, diff = -100/3, t = -2,
     * df = (2500/9)^2 / ((625/3)^2/2 + (625/9)^2/2) = 3.2 */
    assert_true(b->has_change);
    assert_near(b->change.diff, -100.0 / 3);
    assert_near(b->change.se, 50.0 / 3);
    assert_near(b->change.t, -2);
    assert_near(b->change.df, 3.2);
    assert_near(b->change.p_value, sva_stats_t_pvalue(-2, 3.2));
    assert_true(b->change.p_value > 0.05);
    assert_int_equal(b->change.verdict, SVA_VERDICT_NO_CHANGE);
    /* compliance 9/12 and 5/12; centre 14/24; n (1 - p) = 12 x 10/24 = 5: enough */
    assert_int_equal(a->compliance.passed, 9);
    assert_int_equal(a->compliance.n, 12);
    assert_int_equal(b->compliance.passed, 5);
    assert_near(t->pchart.pbar, 14.0 / 24);
    double sigma = sqrt(14.0 / 24 * 10.0 / 24 / 12);
    assert_near(b->compliance.lcl, 14.0 / 24 - 3 * sigma);
    assert_near(b->compliance.ucl, 1); /* 0.583 + 0.427 clamped */
    assert_false(b->compliance.insufficient);
    assert_int_equal(b->compliance.signal, SVA_PCHART_IN);
    sva_trend_free(t);
    /* the region North is B-01 alone: the same figures; the voided audit is not in 2026-03 */
    q = (sva_trend_query){.metric = "trend_unit", .region = "North", .cycles = 1};
    assert_int_equal(sva_trend_series(g_db, &q, &t, &d), SVA_OK);
    assert_int_equal(t->n, 1);
    assert_string_equal(t->points[0].cycle, "2026-03");
    assert_int_equal(t->points[0].audits.n, 1);
    assert_near(t->points[0].audits.mean, 75);
    assert_int_equal(t->points[0].compliance.n, 4);
    assert_true(t->points[0].compliance.insufficient); /* 4 answers */
    sva_trend_free(t);
    /* a metric nothing feeds: n 0, and the change is insufficient n */
    q = (sva_trend_query){.metric = "csi", .cycles = 2};
    assert_int_equal(sva_trend_series(g_db, &q, &t, &d), SVA_OK);
    assert_int_equal(t->points[1].audits.n, 0);
    assert_int_equal(t->points[1].change.verdict, SVA_VERDICT_INSUFFICIENT_N);
    sva_trend_free(t);
    assert_int_equal(d.n, 0);
}

/* The scan reads once what sva_trend_series reads per scope: each store's series
 * in it equals that store's own. */
static void test_scan_db(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_trend_scopes *s = NULL;
    assert_int_equal(sva_trend_scan(g_db, "ssi", NULL, "2026-03", 3, SVA_STATS_FDR, &s, &d),
                     SVA_OK);
    /* A-01 (East), B-01 (North), East, North, the network */
    assert_int_equal(s->n, 5);
    for (size_t i = 0; i < 2; i++) {
        sva_trend *t = NULL;
        sva_trend_query q = {.metric = "ssi", .store = s->scopes[i].id,
                             .last_cycle = "2026-03", .cycles = 3};
        assert_int_equal(sva_trend_series(g_db, &q, &t, &d), SVA_OK);
        const sva_trend *u = s->scopes[i].series;
        assert_int_equal(u->n, 3);
        for (size_t k = 0; k < 3; k++) {
            assert_int_equal(u->points[k].audits.n, t->points[k].audits.n);
            assert_near(u->points[k].figure.mean, t->points[k].figure.mean);
            assert_int_equal(u->points[k].compliance.passed, t->points[k].compliance.passed);
        }
        assert_near(u->window.slope, t->window.slope);
        sva_trend_free(t);
    }
    /* North is B-01 alone: one store figure a cycle, so its change is insufficient n */
    const sva_trend_scope *north = sva_trend_scopes_find(s, SVA_SCOPE_REGION, "North");
    assert_non_null(north);
    assert_near(north->series->points[1].figure.mean, 125.0 / 3);
    assert_int_equal(north->change_verdict, SVA_VERDICT_INSUFFICIENT_N);
    sva_trend_scopes_free(s);
    assert_int_equal(sva_trend_scan(g_db, "nosuch", NULL, NULL, 3, 0.05, &s, &d),
                     SVA_ERR_NOT_FOUND);
    assert_null(s);
    sva_diag_clear(&d);
}

static void test_series_refused(void **state)
{
    (void)state;
    static const struct {
        sva_trend_query q;
        sva_error rc;
        const char *needle;
    } bad[] = {
        {{.metric = "nosuch", .cycles = 3}, SVA_ERR_NOT_FOUND, "unknown metric 'nosuch'"},
        {{.metric = "ssi", .store = "X-1", .cycles = 3}, SVA_ERR_NOT_FOUND, "unknown store"},
        {{.metric = "ssi", .region = "West", .cycles = 3}, SVA_ERR_NOT_FOUND, "unknown region"},
        {{.metric = "ssi", .last_cycle = "2030", .cycles = 3}, SVA_ERR_NOT_FOUND, "unknown cycle"},
        {{.metric = "ssi", .cycles = 0}, SVA_ERR_USAGE, "at least 1 cycle"},
        {{.metric = "ssi", .store = "A-01", .region = "East", .cycles = 1}, SVA_ERR_USAGE, "not both"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sva_diag d = {0};
        sva_trend *t = (sva_trend *)&d; /* must be set to NULL */
        assert_int_equal(sva_trend_series(g_db, &bad[i].q, &t, &d), bad[i].rc);
        assert_null(t);
        if (!diag_has(&d, -1, bad[i].needle))
            diag_dump(&d);
        assert_true(diag_has(&d, -1, bad[i].needle));
        sva_diag_clear(&d);
    }
}

static void test_items(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_item_moves *m = NULL;
    assert_int_equal(sva_trend_items(g_db, "2026-02", "A-01", NULL, &m, &d), SVA_OK);
    assert_string_equal(m->previous, "2026-01");
    assert_int_equal(m->n, 4);
    /* tidy 10/20 -> 18/20: pooled 0.7, se sqrt(0.7 x 0.3 x 0.1), z = 0.4 / se = 2.760: improved
     * greet 18/20 -> 6/20: pooled 0.6, se sqrt(0.024), z = -0.6 / se = -3.873: declined
     * clean 19/20 -> 20/20: pooled 39/40, 20 x 1/40 < 5: insufficient n
     * exit 10/20 -> 11/20: pooled 0.525, z = 0.05 / sqrt(0.525 x 0.475 x 0.1) = 0.317 */
    assert_string_equal(m->items[0].item, "front.tidy");
    assert_int_equal(m->items[0].test.verdict, SVA_VERDICT_IMPROVED);
    assert_near(m->items[0].test.z, 0.4 / sqrt(0.7 * 0.3 * 0.1));
    assert_string_equal(m->items[1].item, "front.greet");
    assert_int_equal(m->items[1].test.verdict, SVA_VERDICT_DECLINED);
    assert_near(m->items[1].test.z, -0.6 / sqrt(0.6 * 0.4 * 0.1));
    assert_int_equal(m->items[1].passed_before, 18);
    assert_int_equal(m->items[1].n_before, 20);
    assert_int_equal(m->items[1].passed_after, 6);
    assert_string_equal(m->items[2].item, "back.clean");
    assert_int_equal(m->items[2].test.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_string_equal(m->items[3].item, "back.exit");
    assert_int_equal(m->items[3].test.verdict, SVA_VERDICT_NO_CHANGE);
    assert_near(m->items[3].test.z, 0.05 / sqrt(0.525 * 0.475 * 0.1));
    assert_int_equal(m->n_improved, 1);
    assert_int_equal(m->n_declined, 1);
    assert_int_equal(m->n_insufficient, 1);
    assert_int_equal(m->n_no_change, 1);
    sva_item_moves_free(m);
    /* refused: the first cycle, an unknown cycle or store */
    assert_int_equal(sva_trend_items(g_db, "2026-01", NULL, NULL, &m, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "first cycle"));
    assert_int_equal(sva_trend_items(g_db, "2030", NULL, NULL, &m, &d), SVA_ERR_NOT_FOUND);
    assert_int_equal(sva_trend_items(g_db, "2026-02", "X-1", NULL, &m, &d), SVA_ERR_NOT_FOUND);
    assert_null(m);
    sva_diag_clear(&d);

    /* by region: East is A-01 alone, so the same four moves as A-01 (tidy first) */
    assert_int_equal(sva_trend_items(g_db, "2026-02", NULL, "East", &m, &d), SVA_OK);
    assert_int_equal(m->n, 4);
    assert_string_equal(m->items[0].item, "front.tidy");
    assert_near(m->items[0].test.z, 0.4 / sqrt(0.7 * 0.3 * 0.1));
    assert_int_equal(m->n_improved, 1);
    assert_int_equal(m->n_declined, 1);
    sva_item_moves_free(m);
    /* North is B-01: three audits a cycle. clean passed in yyyy yyyn (2 of 3) in 2026-01,
     * in none of yynn ynnn yynn in 2026-02; with n = 3 every item is insufficient n */
    assert_int_equal(sva_trend_items(g_db, "2026-02", NULL, "North", &m, &d), SVA_OK);
    assert_int_equal(m->n, 4);
    assert_int_equal(m->n_insufficient, 4);
    for (size_t i = 0; i < m->n; i++) {
        assert_int_equal(m->items[i].n_before, 3);
        assert_int_equal(m->items[i].n_after, 3);
        if (strcmp(m->items[i].item, "back.clean") == 0) {
            assert_int_equal(m->items[i].passed_before, 2);
            assert_int_equal(m->items[i].passed_after, 0);
        }
    }
    sva_item_moves_free(m);
    /* a region nobody is in; a store and a region at once */
    assert_int_equal(sva_trend_items(g_db, "2026-02", NULL, "Mars", &m, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown region 'Mars'"));
    assert_int_equal(sva_trend_items(g_db, "2026-02", "A-01", "East", &m, &d), SVA_ERR_USAGE);
    assert_null(m);
    sva_diag_clear(&d);
}

static void test_repeats(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_repeat *v = NULL;
    size_t n = 0;
    /* Ending 2026-02: A-01 fails exit (10, 9 of 20), greet (2, 14), tidy (10, 2) in both;
     * clean only in 2026-01. B-01 fails clean (1, 3 of 3) and exit (2, 3) in both; tidy
     * only in 2026-02: five repeats, one family.
     * Each against the item at the other store in the same two cycles, given that
     * it failed in each (X1, X2 >= 1), with r the other store's smoothed rate:
     *   B-01 clean 1/3 then 3/3, A-01 clean 1/40: r = 2/42 = 1/21. With
     *        a_k = C(3,k) r^k (1-r)^(3-k): P(X1 + X2 >= 4, both >= 1) = 2 a1 a3 + a2^2
     *        + 2 a2 a3 + a3^2, over P(both >= 1) = (1 - (1-r)^3)^2: p = 0.00385
     *   A-01 greet 2/20 then 14/20, B-01 greet 0/6: r = 1/8; 16 failures where 5
     *        are expected: p about 1.2e-5
     *   B-01 exit 2/3 then 3/3 against 19/40: r = 20/42; (2 a2 a3 + a3^2) over
     *        (1 - (1-r)^3)^2 = 0.121
     *   A-01 tidy 12/40 (r 2/8) and exit 19/40 (r 6/8): large p
     * BH over the 5 repeats: q(greet) = 5 x 1.2e-5, q(clean) = 5 x 0.00385 / 2 =
     * 0.0096: ESCALATE; q(B-01 exit) = 5 x 0.121 / 3 = 0.2: watch, and the rest.
     * Order: escalations by failure rate (clean 4/6 before greet 16/40), then the
     * watch list by rate: B-01 exit 5/6, A-01 exit 19/40, A-01 tidy 12/40. */
    assert_int_equal(sva_trend_repeats(g_db, "2026-02", &v, &n, &d), SVA_OK);
    static const char *const want2[][2] = {{"B-01", "back.clean"}, {"A-01", "front.greet"},
                                           {"B-01", "back.exit"},  {"A-01", "back.exit"},
                                           {"A-01", "front.tidy"}};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].store, want2[i][0]);
        assert_string_equal(v[i].item, want2[i][1]);
        assert_int_equal(v[i].n_cycles, 2);
        assert_string_equal(v[i].cycles[0], "2026-01");
        assert_true(v[i].escalate == (i < 2));
        assert_int_equal(v[i].n_actions, 0);
        assert_false(v[i].critical);
    }
    double r = 1.0 / 21, q = 1 - r;
    double a1 = 3 * r * q * q, a2 = 3 * r * r * q, a3 = r * r * r, both = pow(1 - q * q * q, 2);
    double pc = (2 * a1 * a3 + a2 * a2 + 2 * a2 * a3 + a3 * a3) / both;
    assert_int_equal(v[0].run_failed, 4);
    assert_int_equal(v[0].run_answered, 6);
    assert_int_equal(v[0].ref_failed, 1);
    assert_int_equal(v[0].ref_answered, 40);
    assert_near(v[0].p_value, pc);
    assert_near(v[0].q_value, 2.5 * pc);
    assert_int_equal(v[1].failed, 14);
    assert_int_equal(v[1].answered, 20);
    assert_near(v[1].ref_rate, 0.125);
    assert_true(v[1].p_value < 2e-5 && v[1].p_value > 1e-5);
    r = 20.0 / 42;
    q = 1 - r;
    a2 = 3 * r * r * q;
    a3 = r * r * r;
    assert_near(v[2].p_value, (2 * a2 * a3 + a3 * a3) / pow(1 - q * q * q, 2));
    sva_repeats_free(v, n);
    /* Ending 2026-03: exit at both stores, three cycles in a row. The voided nnnn would
     * have made B-01's tidy a repeat; it does not count. A-01's exit in 2026-03: Kind
     * fails it once, Fair six times: 7 of 10. B-01 has the action. B-01: 2/3, 3/3,
     * 1/1 against A-01's 26/50 (r = 27/52); given a failure in each, the last cycle's
     * one answer is that failure, so p is 2026-02's formula at this r, about 0.13:
     * watch; A-01's 26/50 against 6/7 (r = 7/9): p about 1. B-01 first: 6/7 > 26/50. */
    assert_int_equal(sva_trend_repeats(g_db, "2026-03", &v, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].store, "B-01");
    assert_string_equal(v[0].region, "North");
    assert_string_equal(v[0].item, "back.exit");
    assert_int_equal(v[0].n_cycles, 3);
    assert_int_equal(v[0].failed, 1);
    assert_int_equal(v[0].answered, 1);
    assert_int_equal(v[0].n_actions, 1);
    r = 27.0 / 52;
    q = 1 - r;
    a2 = 3 * r * r * q;
    a3 = r * r * r;
    assert_near(v[0].p_value, (2 * a2 * a3 + a3 * a3) / pow(1 - q * q * q, 2));
    assert_false(v[0].escalate);
    assert_string_equal(v[1].store, "A-01");
    assert_string_equal(v[1].cycles[2], "2026-03");
    assert_int_equal(v[1].failed, 7);
    assert_int_equal(v[1].answered, 10);
    assert_int_equal(v[1].run_failed, 26);
    assert_int_equal(v[1].n_actions, 0);
    sva_repeats_free(v, n);
    /* the first cycle can have none; an unknown cycle is refused */
    assert_int_equal(sva_trend_repeats(g_db, "2026-01", &v, &n, &d), SVA_OK);
    assert_int_equal(n, 0);
    sva_repeats_free(v, n);
    assert_int_equal(sva_trend_repeats(g_db, "2030", &v, &n, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown cycle"));
    sva_diag_clear(&d);
}

static void test_auditors(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_auditor_row *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_trend_auditors(g_db, "2026-03", &v, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    /* One cell: trend_unit at A-01 in 2026-03. Fair 50 75 50 75 50 75 (mean 62.5),
     * Kind 100 100 100 75 (93.75); Fair's B-01 audit has no co-auditor, Kind's B-01
     * audit is void. Two auditors: their effects differ by 62.5 - 93.75 = -31.25 and
     * are centred on their median (their mean): -15.625 and +15.625. Fair's
     * difference: 62.5 - (93.75 - 15.625) = -15.625; Kind's +15.625. One cell is one
     * comparison: insufficient n. */
    assert_string_equal(v[0].auditor, "Fair");
    assert_int_equal(v[0].audits, 7);
    assert_int_equal(v[0].cells, 1);
    assert_int_equal(v[0].own.n, 6);
    assert_near(v[0].own.mean, 62.5);
    assert_near(v[0].own.sd, sqrt(187.5));
    assert_int_equal(v[0].others.n, 4);
    assert_near(v[0].others.mean, 93.75);
    assert_near(v[0].cmp.diff, -15.625);
    assert_int_equal(v[0].cmp.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_string_equal(v[1].auditor, "Kind");
    assert_int_equal(v[1].audits, 4);
    assert_near(v[1].cmp.diff, 15.625);
    assert_int_equal(v[1].cmp.verdict, SVA_VERDICT_INSUFFICIENT_N);
    sva_auditor_rows_free(v, n);
    /* over all cycles: Fair's 40 audits of 2026-01/02 at A-01 had no co-auditor in
     * their cycle, so they are not compared (the old rule compared them with Kind's
     * 2026-03 audits: a store's change charged to an auditor) */
    assert_int_equal(sva_trend_auditors(g_db, NULL, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].audits, 53);
    assert_int_equal(v[0].own.n, 6);
    assert_int_equal(v[1].others.n, 6);
    assert_int_equal(v[0].cells, 1);
    sva_auditor_rows_free(v, n);
    assert_int_equal(sva_trend_auditors(g_db, "2030", &v, &n, &d), SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
}

/* Three auditors in one cell, and a store only A audited (counted among A's
 * audits, compared with nothing). C-01, 2026-05: A ynnn yynn (25 50), B yyyn (75),
 * C yyyy yyyn (100 75); D-01: A nnnn (0). */
static void test_auditors_three(void **state)
{
    (void)state;
    sva_db *keep = g_db;
    char path[1100];
    snprintf(path, sizeof path, "%s-three.db", g_path);
    unlink(path);
    sva_diag d = {0};
    assert_int_equal(sva_db_open(path, SVA_DB_CREATE, &g_db, &d), SVA_OK);
    sva_store st[] = {{"C-01", "Gamma", "West"}, {"D-01", "Delta", "West"}};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(sva_db_store_add(g_db, &st[i], &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(g_db, "2026-05", "2026-05-01", "2026-05-31", &d), SVA_OK);
    rec("C-01", "2026-05", "A", "ynnn");
    rec("C-01", "2026-05", "C", "yyyy");
    rec("C-01", "2026-05", "B", "yyyn");
    rec("C-01", "2026-05", "A", "yynn");
    rec("C-01", "2026-05", "C", "yyyn");
    rec("D-01", "2026-05", "A", "nnnn");
    sva_auditor_row *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_trend_auditors(g_db, "2026-05", &v, &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    /* The model in one cell: level c and effects a with c + a_A = 37.5 (A's mean),
     * c + a_B = 75, c + a_C = 87.5, centred on the median effect (B's): a_B = 0, c = 75,
     * a_A = -37.5, a_C = +12.5 (and c is the mean of y - a over the five audits:
     * (62.5 + 87.5 + 75 + 87.5 + 62.5) / 5 = 75). Differences: A 37.5 - mean(75, 87.5,
     * 62.5) = -37.5; B 75 - mean(62.5, 87.5, 87.5, 62.5) = 0; C 87.5 - mean(62.5, 87.5,
     * 75) = +12.5. own and others are the raw audits:
     * A: own 25 50 (mean 37.5, sd sqrt(312.5)); others 75 100 75 (250/3, sd sqrt(625/3)) */
    assert_string_equal(v[0].auditor, "A");
    assert_int_equal(v[0].audits, 3);
    assert_int_equal(v[0].own.n, 2);
    assert_near(v[0].own.mean, 37.5);
    assert_near(v[0].own.sd, sqrt(312.5));
    assert_int_equal(v[0].others.n, 3);
    assert_near(v[0].others.mean, 250.0 / 3);
    assert_near(v[0].others.sd, sqrt(625.0 / 3));
    assert_near(v[0].cmp.diff, -37.5);
    /* B: others 25 50 100 75: mean 62.5, sd sqrt(3125/3) */
    assert_string_equal(v[1].auditor, "B");
    assert_int_equal(v[1].audits, 1);
    assert_near(v[1].others.mean, 62.5);
    assert_near(v[1].others.sd, sqrt(3125.0 / 3));
    assert_near(v[1].cmp.diff, 0);
    /* C: own 100 75, others 25 50 75: mean 50, sd 25 */
    assert_string_equal(v[2].auditor, "C");
    assert_near(v[2].own.mean, 87.5);
    assert_near(v[2].others.mean, 50);
    assert_near(v[2].others.sd, 25);
    assert_near(v[2].cmp.diff, 12.5);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(v[i].cells, 1);
        assert_int_equal(v[i].cmp.verdict, SVA_VERDICT_INSUFFICIENT_N);
    }
    sva_auditor_rows_free(v, n);
    /* the first cycle: nothing can repeat, and the early answer is an empty list */
    sva_repeat *r = (sva_repeat *)0x1;
    assert_int_equal(sva_trend_repeats(g_db, "2026-05", &r, &n, &d), SVA_OK);
    assert_int_equal(n, 0);
    assert_null(r);
    sva_db_close(g_db);
    g_db = keep;
    unlink(path);
    sva_diag_clear(&d);
}

/* ---- the pure side: hand-made rows, no database ------------------------------------------ */

static const sva_cycle CY[4] = {{"c0", "2026-01-01", "2026-01-31", SVA_CYCLE_CLOSED, 0},
                                {"c1", "2026-02-01", "2026-02-28", SVA_CYCLE_CLOSED, 0},
                                {"c2", "2026-03-01", "2026-03-31", SVA_CYCLE_CLOSED, 0},
                                {"c3", "2026-04-01", "2026-04-30", SVA_CYCLE_DO, 0}};

static void test_window(void **state)
{
    (void)state;
    sva_diag d = {0};
    size_t first = 9, at = 9;
    /* the last 2 of 4 cycles: c2 and c3; 3 ending with c0: c0 alone */
    assert_int_equal(sva_trend_window(CY, 4, NULL, 2, &first, &at, &d), SVA_OK);
    assert_int_equal(first, 2);
    assert_int_equal(at, 3);
    assert_int_equal(sva_trend_window(CY, 4, "c0", 3, &first, &at, &d), SVA_OK);
    assert_int_equal(first, 0);
    assert_int_equal(at, 0);
    assert_int_equal(sva_trend_window(CY, 4, "c2", 2, &first, &at, &d), SVA_OK);
    assert_int_equal(first, 1);
    assert_int_equal(at, 2);
    assert_int_equal(d.n, 0);
    assert_int_equal(sva_trend_window(CY, 4, "c9", 2, &first, &at, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown cycle 'c9'"));
    assert_int_equal(sva_trend_window(CY, 0, NULL, 2, &first, &at, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "no cycles yet"));
    assert_int_equal(sva_trend_window(CY, 4, NULL, 0, &first, &at, &d), SVA_ERR_USAGE);
    sva_diag_clear(&d);
    /* the default window ends with the latest cycle that has audits: c3 is just open */
    sva_cycle cy[4];
    memcpy(cy, CY, sizeof cy);
    cy[0].n_audits = cy[1].n_audits = cy[2].n_audits = 5;
    assert_int_equal(sva_trend_window(cy, 4, NULL, 2, &first, &at, &d), SVA_OK);
    assert_int_equal(first, 1);
    assert_int_equal(at, 2);
    /* asked for by name, an empty cycle is still the end */
    assert_int_equal(sva_trend_window(cy, 4, "c3", 2, &first, &at, &d), SVA_OK);
    assert_int_equal(at, 3);
}

/* A region's figure is the mean of its store figures, and its change and slope test
 * those store figures (each store one value), not the pooled audits.
 *   c0: A 80 90 (mean 85), B 70        -> figure 77.5, sd sqrt(112.5), 2 stores
 *   c1: A 60,     B 50 70 (mean 60)    -> figure 60, sd 0
 *   c2: A 50,     B 40                 -> figure 45
 * Pooled audits of c0 would give 80: not what is shown. Change c0 -> c1: Welch on
 * {85, 70} -> {60, 60}: se = sqrt(112.5 / 2) = 7.5, diff -17.5, t = -7/3, df 1.
 * Slope over (0, 85) (0, 70) (1, 60) (1, 60) (2, 50) (2, 40): sxx = 4,
 * sxy = sum (x - 1) y = -(85 + 70) + (50 + 40) = -65: slope -16.25; syy =
 * 23425 - 365^2 / 6 = 1220.8333, rss = 1220.8333 - 65^2 / 4 = 164.5833, df 4,
 * se = sqrt(164.5833 / 4 / 4) = 3.2073, t = -5.07, p about 0.007: declining. */
static void test_series_region(void **state)
{
    (void)state;
    static const sva_series_row rows[] = {
        {0, "A", "East", 80, 8, 10}, {0, "B", "East", 70, 7, 10}, {0, "A", "East", 90, 9, 10},
        {1, "B", "East", 50, 5, 10}, {1, "A", "East", 60, 6, 10}, {1, "B", "East", 70, 7, 10},
        {2, "A", "East", 50, 5, 10}, {2, "B", "East", 40, 4, 10},
    };
    sva_trend_query q = {.metric = "ssi", .region = "East", .cycles = 3};
    sva_diag d = {0};
    sva_trend *t = NULL;
    assert_int_equal(sva_trend_series_compute(&q, CY, 3, rows, 8, &t, &d), SVA_OK);
    const sva_trend_point *a = &t->points[0], *b = &t->points[1];
    assert_int_equal(a->audits.n, 3);
    assert_near(a->audits.mean, 80); /* pooled, kept for reference */
    assert_int_equal(a->stores, 2);
    assert_int_equal(a->figure.n, 2);
    assert_near(a->figure.mean, 77.5);
    assert_near(a->figure.sd, sqrt(112.5));
    assert_near(b->figure.mean, 60);
    assert_near(b->figure.sd, 0);
    assert_near(b->change.diff, -17.5);
    assert_near(b->change.se, 7.5);
    assert_near(b->change.t, -7.0 / 3);
    assert_near(b->change.df, 1);
    /* df 1: p = 1 - (2 / pi) atan(7/3) */
    assert_near(b->change.p_value, 1 - 2 / 3.14159265358979323846 * atan(7.0 / 3));
    assert_int_equal(b->change.verdict, SVA_VERDICT_NO_CHANGE);
    assert_near(t->window.slope, -16.25);
    assert_near(t->window.se, sqrt((23425 - 365.0 * 365 / 6 - 65.0 * 65 / 4) / 16));
    assert_int_equal(t->window.n, 6);
    assert_int_equal(t->window.n_x, 3);
    assert_true(t->window.p_value < 0.01);
    assert_int_equal(t->window.verdict, SVA_VERDICT_DECLINING);
    assert_int_equal(t->points[2].compliance.passed, 9);
    sva_trend_free(t);
    /* the same rows as one store's audits: the figure is the pooled mean */
    q = (sva_trend_query){.metric = "ssi", .store = "A", .cycles = 3};
    assert_int_equal(sva_trend_series_compute(&q, CY, 3, rows, 8, &t, &d), SVA_OK);
    assert_near(t->points[0].figure.mean, 80);
    assert_int_equal(t->points[0].figure.n, 3);
    assert_int_equal(t->points[0].stores, 1);
    /* the slope now runs over the 8 audits: x 0 0 0 1 1 1 2 2, mean 7/8; sxx = 3 (7/8)^2
     * + 3 (1/8)^2 + 2 (9/8)^2 = (147 + 3 + 162) / 64 = 312/64; sxy = sum (x - 7/8) y =
     * -7/8 240 + 1/8 180 + 9/8 90 = -210 + 22.5 + 101.25 = -86.25: slope -17.69 */
    assert_near(t->window.slope, -86.25 * 64 / 312);
    sva_trend_free(t);
    assert_int_equal(d.n, 0);
}

/* A scan: every store, region and the network at once, verdicts after BH.
 *   A (East): 90 92 88 91 | 80 82 78 81 | 70 72 68 71  -- a slide, each step large
 *   B (East): 80 85       | 82 83       | 81 84        -- noise
 *   C (West): -           | -           | 75           -- one audit: insufficient n */
static void test_scan(void **state)
{
    (void)state;
    sva_series_row rows[32];
    size_t n = 0;
    static const double A[3][4] = {{90, 92, 88, 91}, {80, 82, 78, 81}, {70, 72, 68, 71}};
    static const double B[3][2] = {{80, 85}, {82, 83}, {81, 84}};
    for (size_t c = 0; c < 3; c++) {
        for (size_t k = 0; k < 4; k++)
            rows[n++] = (sva_series_row){c, "A", "East", A[c][k], 9, 10};
        for (size_t k = 0; k < 2; k++)
            rows[n++] = (sva_series_row){c, "B", "East", B[c][k], 8, 10};
    }
    rows[n++] = (sva_series_row){2, "C", "West", 75, 7, 10};
    sva_diag d = {0};
    sva_trend_scopes *s = NULL;
    assert_int_equal(sva_trend_scan_compute("ssi", NULL, CY, 3, rows, n, 0.05, &s, &d), SVA_OK);
    /* stores by region and id, then regions, then the network */
    assert_int_equal(s->n, 6);
    static const char *const ids[] = {"A", "B", "C", "East", "West", ""};
    static const sva_scope kinds[] = {SVA_SCOPE_STORE,  SVA_SCOPE_STORE,  SVA_SCOPE_STORE,
                                      SVA_SCOPE_REGION, SVA_SCOPE_REGION, SVA_SCOPE_NETWORK};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(s->scopes[i].id, ids[i]);
        assert_int_equal(s->scopes[i].scope, kinds[i]);
        assert_true(s->scopes[i].change_q >= s->scopes[i].series->points[2].change.p_value ||
                    s->scopes[i].series->points[2].change.insufficient);
    }
    const sva_trend_scope *a = sva_trend_scopes_find(s, SVA_SCOPE_STORE, "A");
    assert_ptr_equal(a, &s->scopes[0]);
    assert_int_equal(a->change_verdict, SVA_VERDICT_DECLINED);
    assert_int_equal(a->window_verdict, SVA_VERDICT_DECLINING);
    /* each cycle's four audits are 90 92 88 91 less 10 per cycle: slope -10 */
    assert_near(a->series->window.slope, -10);
    const sva_trend_scope *b = sva_trend_scopes_find(s, SVA_SCOPE_STORE, "B");
    assert_int_equal(b->change_verdict, SVA_VERDICT_NO_CHANGE);
    assert_int_equal(b->window_verdict, SVA_VERDICT_STABLE);
    const sva_trend_scope *c = sva_trend_scopes_find(s, SVA_SCOPE_STORE, "C");
    assert_int_equal(c->change_verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_int_equal(c->window_verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(c->change_q, 1);
    /* West is C alone: nothing to test. East's figures: c1 {80.25, 82.5}, c2 {70.25,
     * 82.5}: both tests are defined; the network's too (3 cycles, 2 + 2 + 3 values).
     * Family: A 2, B 2, East 2, network 2 = 8 tests. */
    const sva_trend_scope *w = sva_trend_scopes_find(s, SVA_SCOPE_REGION, "West");
    assert_int_equal(w->window_verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_int_equal(s->n_tests, 8);
    assert_non_null(sva_trend_scopes_find(s, SVA_SCOPE_NETWORK, NULL));
    assert_null(sva_trend_scopes_find(s, SVA_SCOPE_STORE, "Z"));
    sva_trend_scopes_free(s);
    /* a region's scan: its stores and itself, no network */
    assert_int_equal(sva_trend_scan_compute("ssi", "West", CY, 3, rows, n, 0.05, &s, &d), SVA_OK);
    assert_int_equal(s->n, 2);
    assert_string_equal(s->scopes[0].id, "C");
    assert_string_equal(s->scopes[1].id, "West");
    sva_trend_scopes_free(s);
    assert_int_equal(d.n, 0);
    assert_int_equal(sva_trend_scan_compute("ssi", NULL, CY, 3, rows, n, 1.5, &s, &d),
                     SVA_ERR_USAGE);
    assert_null(s);
    sva_diag_clear(&d);
}

/* B-01's figures of test_series_store, as rows: the same hand-worked numbers */
static void test_series_compute(void **state)
{
    (void)state;
    static const sva_series_row rows[] = {
        {1, "B-01", "North", 50, 2, 4},  {0, "B-01", "North", 100, 4, 4}, {0, "B-01", "North", 75, 3, 4},
        {1, "B-01", "North", 25, 1, 4},  {0, "B-01", "North", 50, 2, 4},  {1, "B-01", "North", 50, 2, 4},
    };
    sva_trend_query q = {.metric = "ssi", .store = "B-01", .cycles = 2};
    sva_diag d = {0};
    sva_trend *t = NULL;
    assert_int_equal(sva_trend_series_compute(&q, CY, 2, rows, 6, &t, &d), SVA_OK);
    assert_string_equal(t->metric, "ssi");
    assert_string_equal(t->store, "B-01");
    assert_null(t->region);
    assert_int_equal(t->n, 2);
    assert_string_equal(t->points[1].cycle, "c1");
    assert_string_equal(t->points[1].from, "2026-02-01");
    /* 100 75 50: mean 75, sd 25; 50 25 50: mean 125/3; Welch t = -2, df 3.2 */
    assert_near(t->points[0].audits.mean, 75);
    assert_near(t->points[0].audits.sd, 25);
    assert_false(t->points[0].has_change);
    assert_near(t->points[1].audits.mean, 125.0 / 3);
    assert_near(t->points[1].change.t, -2);
    assert_near(t->points[1].change.df, 3.2);
    /* compliance 9/12, 5/12; centre 14/24 */
    assert_int_equal(t->points[0].compliance.passed, 9);
    assert_int_equal(t->points[1].compliance.n, 12);
    assert_near(t->pchart.pbar, 14.0 / 24);
    sva_trend_free(t);
    /* a cycle with no rows: n 0, insufficient n */
    assert_int_equal(sva_trend_series_compute(&q, CY, 3, rows, 6, &t, &d), SVA_OK);
    assert_int_equal(t->points[2].audits.n, 0);
    assert_int_equal(t->points[2].change.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_true(t->points[2].compliance.insufficient);
    sva_trend_free(t);
    assert_int_equal(d.n, 0);
    /* refused: a row outside the window, more passed than answered */
    t = (sva_trend *)&d;
    assert_int_equal(sva_trend_series_compute(&q, CY, 1, rows, 6, &t, &d), SVA_ERR_USAGE);
    assert_null(t);
    static const sva_series_row bad[] = {{0, "B-01", "North", 50, 5, 4}};
    assert_int_equal(sva_trend_series_compute(&q, CY, 1, bad, 1, &t, &d), SVA_ERR_USAGE);
    assert_true(diag_has(&d, -1, "series"));
    sva_diag_clear(&d);
}

/* A-01's counts of test_items, in no particular order */
static void test_items_compute(void **state)
{
    (void)state;
    static const sva_item_count rows[] = {
        {"trend_unit", "back", "back.exit", 10, 20, 11, 20},
        {"trend_unit", "front", "front.greet", 18, 20, 6, 20},
        {"trend_unit", "back", "back.clean", 19, 20, 20, 20},
        {"trend_unit", "front", "front.tidy", 10, 20, 18, 20},
    };
    sva_diag d = {0};
    sva_item_moves *m = NULL;
    assert_int_equal(sva_trend_items_compute("c1", "c0", rows, 4, &m, &d), SVA_OK);
    assert_string_equal(m->cycle, "c1");
    assert_string_equal(m->previous, "c0");
    assert_int_equal(m->n, 4);
    /* moves first, biggest rise (tidy +0.4) to biggest fall (greet -0.6); then the
     * rest by checklist and item: back.clean, back.exit */
    assert_string_equal(m->items[0].item, "front.tidy");
    assert_near(m->items[0].test.z, 0.4 / sqrt(0.7 * 0.3 * 0.1));
    assert_string_equal(m->items[1].item, "front.greet");
    assert_string_equal(m->items[1].section, "front");
    assert_string_equal(m->items[2].item, "back.clean");
    assert_int_equal(m->items[2].test.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_string_equal(m->items[3].item, "back.exit");
    assert_int_equal(m->n_improved, 1);
    assert_int_equal(m->n_declined, 1);
    assert_int_equal(m->n_insufficient, 1);
    assert_int_equal(m->n_no_change, 1);
    /* three items were tested (clean was not): p greet < p tidy < p exit, so
     * q(tidy) = min(3 p(tidy) / 2, q(exit)) = 1.5 p(tidy), q(greet) = 3 p(greet) */
    assert_near(m->items[0].q_value, 1.5 * m->items[0].test.p_value);
    assert_near(m->items[1].q_value, 3 * m->items[1].test.p_value);
    assert_near(m->items[2].q_value, 1);
    sva_item_moves_free(m);
    /* One item 10/20 -> 16/20: pooled 0.65, se sqrt(0.65 x 0.35 x 0.1) = 0.1508,
     * z = 1.989, p = 0.0467: a move when it is tested alone; among nine others that
     * did not move (10/20 -> 10/20, p 1) q = 10 x 0.0467 = 0.467: no move, its own
     * p kept. */
    sva_item_count many[10];
    for (int i = 0; i < 10; i++)
        many[i] = (sva_item_count){"cl", "s", ITEMS[i % 4], 10, 20, i ? 10 : 16, 20};
    assert_int_equal(sva_trend_items_compute("c1", "c0", many, 1, &m, &d), SVA_OK);
    assert_int_equal(m->items[0].test.verdict, SVA_VERDICT_IMPROVED);
    assert_near(m->items[0].q_value, m->items[0].test.p_value);
    sva_item_moves_free(m);
    assert_int_equal(sva_trend_items_compute("c1", "c0", many, 10, &m, &d), SVA_OK);
    assert_int_equal(m->n_improved, 0);
    assert_int_equal(m->n_no_change, 10);
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i].passed_after == 16) {
            assert_near(m->items[i].test.p_value, sva_stats_z_pvalue(0.3 / sqrt(0.02275)));
            assert_true(m->items[i].test.p_value < 0.05);
            assert_near(m->items[i].q_value, 10 * m->items[i].test.p_value);
            assert_int_equal(m->items[i].test.verdict, SVA_VERDICT_NO_CHANGE);
        }
    sva_item_moves_free(m);
    /* no rows: an empty list; impossible counts: refused */
    assert_int_equal(sva_trend_items_compute("c1", "c0", NULL, 0, &m, &d), SVA_OK);
    assert_int_equal(m->n, 0);
    sva_item_moves_free(m);
    static const sva_item_count bad[] = {{"x", "s", "s.i", 3, 2, 0, 1}};
    assert_int_equal(sva_trend_items_compute("c1", "c0", bad, 1, &m, &d), SVA_ERR_USAGE);
    assert_null(m);
    sva_diag_clear(&d);
}

/* Repeats ending with c3, family 10, FDR 0.05. Rows: store/item: cycle
 * failed/answered, ref = the item elsewhere that cycle. The evidence is given that
 * each cycle of the run failed (sva_stats_binom_runs_upper):
 *   S a  c2 2/2 ref 0/8, c3 2/2 ref 0/8: rate (0+1)/(16+2) = 1/18; both cycles
 *        failing twice given each failed: r^2 r^2 / (2r - r^2)^2 = r^2 / (2 - r)^2
 *        = (1/324) / (1225/324) = 1/1225
 *   S b  c0 1/1 (before the gap at c1: not in the run), c2 1/1 ref 3/7,
 *        c3 1/1 ref 4/7: one failure a cycle, all there is: p 1
 *   S c  critical; c2 1/2, c3 1/2: one failure a cycle: p 1
 *   S d  c1 c2 only: does not fail in c3, no repeat
 *   S e  as S b (p 1) but with an action in c3
 *   T a  critical; c1 c2 c3 1/2 each: p 1
 *   T z  c3 only: no repeat
 * BH over 10: q(S a) = 10/1225; the rest 1. ESCALATE: S a. Order: S a; then the
 * watch list: critical first (S c and T a, both 1/2 of their answers: S c has no
 * action, T a one in c2), then S b (no action) and S e (an action). */
static void test_repeats_compute(void **state)
{
    (void)state;
    static const sva_failure_row f[] = {
        {"S", "East", "cl", "a", 2, 2, 2, 0, 8, false},  {"S", "East", "cl", "a", 3, 2, 2, 0, 8, false},
        {"S", "East", "cl", "b", 0, 1, 1, 0, 9, false},  {"S", "East", "cl", "b", 2, 1, 1, 3, 7, false},
        {"S", "East", "cl", "b", 3, 1, 1, 4, 7, false},  {"S", "East", "cl", "c", 2, 1, 2, 0, 0, true},
        {"S", "East", "cl", "c", 3, 1, 2, 0, 0, true},   {"S", "East", "cl", "d", 1, 1, 4, 0, 4, false},
        {"S", "East", "cl", "d", 2, 1, 4, 0, 4, false},  {"S", "East", "cl", "e", 2, 1, 1, 3, 7, false},
        {"S", "East", "cl", "e", 3, 1, 1, 4, 7, false},  {"T", NULL, "cl", "a", 1, 1, 2, 0, 33, true},
        {"T", NULL, "cl", "a", 2, 1, 2, 0, 33, true},    {"T", NULL, "cl", "a", 3, 1, 2, 0, 32, true},
        {"T", NULL, "cl", "z", 3, 1, 2, 0, 5, false},
    };
    static const sva_action_row act[] = {
        {"S", NULL, "e", 3}, {"S", "other", "b", 3}, {"S", "cl", "a", 0}, {"T", "cl", "a", 2},
    };
    const size_t nf = sizeof f / sizeof *f;
    sva_diag d = {0};
    sva_repeat *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 3, f, nf, act, 4, 10, 0.05, &v, &n, &d),
                     SVA_OK);
    assert_int_equal(n, 5);
    static const char *const order[][2] = {{"S", "a"}, {"S", "c"}, {"T", "a"}, {"S", "b"}, {"S", "e"}};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(v[i].store, order[i][0]);
        assert_string_equal(v[i].item, order[i][1]);
        assert_true(v[i].escalate == (i == 0));
    }
    /* S a: its action in c0 is before its run */
    assert_near(v[0].ref_rate, 1.0 / 18);
    assert_near(v[0].p_value, 1.0 / 1225);
    assert_near(v[0].q_value, 10.0 / 1225);
    assert_int_equal(v[0].n_actions, 0);
    assert_int_equal(v[0].failed, 2);
    assert_int_equal(v[0].answered, 2);
    assert_string_equal(v[0].region, "East");
    /* S c, critical, no action */
    assert_true(v[1].critical);
    assert_near(v[1].p_value, 1);
    assert_int_equal(v[1].n_actions, 0);
    /* T a: three cycles, its action in c2 counts, its region "" */
    assert_int_equal(v[2].n_cycles, 3);
    assert_string_equal(v[2].cycles[0], "c1");
    assert_string_equal(v[2].region, "");
    assert_true(v[2].critical);
    assert_int_equal(v[2].run_failed, 3);
    assert_int_equal(v[2].run_answered, 6);
    assert_int_equal(v[2].ref_answered, 98);
    assert_near(v[2].ref_rate, 0.01);
    assert_int_equal(v[2].n_actions, 1);
    /* S b, S e: watch; c0's failure is before b's gap */
    assert_int_equal(v[3].n_cycles, 2);
    assert_int_equal(v[3].run_answered, 2);
    assert_int_equal(v[3].ref_failed, 7);
    assert_near(v[3].q_value, 1);
    assert_int_equal(v[3].n_actions, 0); /* its action names another checklist */
    assert_int_equal(v[4].n_actions, 1); /* no checklist named: counts */
    sva_repeats_free(v, n);

    /* ending with c2: rows of c3 are ignored. S a c2 alone, S b c2 alone (c1 breaks
     * it), S d c1 c2, S e c2 alone, T a c1 c2: two repeats */
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 2, f, nf, act, 4, 10, 0.05, &v, &n, &d),
                     SVA_OK);
    assert_int_equal(n, 2);
    sva_repeats_free(v, n);
    /* refused: cycle out of range, rows out of order, a bad rate */
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 4, f, nf, act, 4, 10, 0.05, &v, &n, &d),
                     SVA_ERR_USAGE);
    static const sva_failure_row unsorted[] = {{"T", "", "cl", "a", 2, 1, 1, 0, 1, false},
                                               {"S", "", "cl", "a", 3, 1, 1, 0, 1, false}};
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 3, unsorted, 2, NULL, 0, 10, 0.05, &v, &n, &d),
                     SVA_ERR_USAGE);
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 3, f, nf, NULL, 0, 10, 0, &v, &n, &d),
                     SVA_ERR_USAGE);
    static const sva_failure_row impossible[] = {{"S", "", "cl", "a", 2, 3, 1, 0, 1, false},
                                                 {"S", "", "cl", "a", 3, 1, 1, 0, 1, false}};
    assert_int_equal(sva_trend_repeats_compute(CY, 4, 3, impossible, 2, NULL, 0, 10, 0.05, &v, &n, &d),
                     SVA_ERR_USAGE);
    assert_null(v);
    assert_int_equal(n, 0);
    sva_diag_clear(&d);
}

/* The matched comparison on hand-made rows.
 * 1. Exactly additive scores: cells (store s, cycle c) with levels 70 (s1 c1),
 *    60 (s2 c1), 50 (s3 c1) and 72 (s1 c2: the store changed); A and B score the
 *    level, C scores it + 10. A's cells: s1c1 with C (80), s3c1 with B, s1c2 with
 *    B; B's: s2c1 with C, s3c1, s1c2. Effects 0, 0, +10 (median 0), so each of
 *    A's and B's differences is exactly 0 and each of C's exactly +10: the
 *    lenient C does not make A and B look strict (the mean of the others would
 *    have put A at -10 in s1c1), and s1's change between cycles is nobody's.
 *    No spread: insufficient n.
 * 2. Two auditors X, Y in three cells, one audit each, X - Y = 10, 12, 8:
 *    mean 10, sd 2. Effects differ by 10, centred: +5, -5. X's difference in a
 *    cell is x - (y + 5) = (x - y) - 5: 5 7 3, mean 5, sd 2; Y the mirror image.
 *    Its uncertainty: the spread over cells, 2^2 / 3; the reference leans wholly
 *    on Y's effect, whose variance is s^2 / 3 with s^2 the pooled spread of the
 *    differences, (8 + 8) / (2 + 2) = 4; and the median the effects are centred
 *    on, (pi / 2) x mean(4/3, 4/3) / 2 = pi / 3. se^2 = (8 + pi) / 3, t = 2.59
 *    with 2 df: p = 1 - t / sqrt(2 + t^2) = 0.122: consistent, both (with two
 *    auditors sharing cells nobody can tell which of them is off).
 *    Z audits alone. */
static void test_auditors_compute(void **state)
{
    (void)state;
    static const sva_auditor_audit add[] = {
        {"cl", "s1", "c1", "A", 70}, {"cl", "s1", "c1", "C", 80}, {"cl", "s1", "c2", "A", 72},
        {"cl", "s1", "c2", "B", 72}, {"cl", "s2", "c1", "B", 60}, {"cl", "s2", "c1", "C", 70},
        {"cl", "s3", "c1", "A", 50}, {"cl", "s3", "c1", "B", 50},
    };
    sva_diag d = {0};
    sva_auditor_row *v = NULL;
    size_t n = 0;
    assert_int_equal(sva_trend_auditors_compute(add, 8, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    assert_near(v[0].cmp.diff, 0);
    assert_near(v[1].cmp.diff, 0);
    assert_near(v[2].cmp.diff, 10);
    assert_int_equal(v[0].cells, 3);
    assert_int_equal(v[2].cells, 2);
    assert_int_equal(v[0].others.n, 3);
    assert_near(v[0].others.mean, (80 + 72 + 50) / 3.0);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(v[i].cmp.verdict, SVA_VERDICT_INSUFFICIENT_N);
    sva_auditor_rows_free(v, n);

    static const sva_auditor_audit two[] = {
        {"cl", "s1", "c1", "X", 80}, {"cl", "s1", "c1", "Y", 70}, {"cl", "s2", "c1", "X", 72},
        {"cl", "s2", "c1", "Y", 60}, {"cl", "s3", "c1", "X", 58}, {"cl", "s3", "c1", "Y", 50},
        {"cl", "s4", "c1", "Z", 40},
    };
    assert_int_equal(sva_trend_auditors_compute(two, 7, &v, &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    double se = sqrt((8 + 3.14159265358979323846) / 3), t = 5 / se,
           pv = 1 - t / sqrt(2 + t * t);
    assert_string_equal(v[0].auditor, "X");
    assert_near(v[0].cmp.diff, 5);
    assert_near(v[0].cmp.test.se, se);
    assert_near(v[0].cmp.test.t, t);
    assert_near(v[0].cmp.test.df, 2);
    assert_near(v[0].cmp.test.p_value, pv);
    assert_near(v[0].q_value, pv);
    assert_true(fabs(v[0].lo - (5 - 4.302653 * se)) < 1e-5);
    assert_int_equal(v[0].cmp.verdict, SVA_VERDICT_CONSISTENT);
    assert_near(v[1].cmp.diff, -5);
    assert_int_equal(v[1].cmp.verdict, SVA_VERDICT_CONSISTENT);
    assert_string_equal(v[2].auditor, "Z");
    assert_int_equal(v[2].audits, 1);
    assert_int_equal(v[2].cells, 0);
    assert_int_equal(v[2].cmp.verdict, SVA_VERDICT_INSUFFICIENT_N);
    sva_auditor_rows_free(v, n);

    static const sva_auditor_audit unsorted[] = {{"cl", "D-01", "c1", "A", 0},
                                                 {"cl", "C-01", "c1", "A", 0}};
    assert_int_equal(sva_trend_auditors_compute(unsorted, 2, &v, &n, &d), SVA_ERR_USAGE);
    assert_null(v);
    sva_diag_clear(&d);
}

/* ---- the audits' item marks (schema 3): recorded, migrated, merged -------------------- */

/* Audits of @p path whose item marks differ from the marks their answers give. */
static long marks_wrong(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_open(path, &h) == SQLITE_OK &&
        sqlite3_prepare_v2(h,
                           "SELECT count(*) FROM audit a WHERE item_marks IS NOT"
                           " (SELECT group_concat(CASE WHEN passed IS NULL THEN '-' WHEN passed"
                           " THEN '1' ELSE '0' END, '') FROM (SELECT passed FROM answer"
                           " WHERE audit_id = a.id ORDER BY item_no))",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static void test_item_marks(void **state)
{
    (void)state;
    sva_diag d = {0};
    /* recorded: one character per item; A-01's first audit of 2026-01 is j = 0:
     * every item passes */
    assert_int_equal(marks_wrong(g_path), 0);
    /* migrated: an older file loses its marks and says schema 2; opening it fills
     * them from the answers, and item moves come out the same */
    sva_item_moves *before = NULL, *after = NULL;
    assert_int_equal(sva_trend_items(g_db, "2026-02", NULL, NULL, &before, &d), SVA_OK);
    sva_db_close(g_db);
    g_db = NULL;
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(g_path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, SVA_TEST_UNDO_SYNC DROP_SCHEMA_5
                                     "DROP INDEX audit_qa; ALTER TABLE audit DROP COLUMN"
                                     " item_marks; DROP TABLE plan; DROP TABLE plan_reason;"
                                     " DROP TABLE owner; PRAGMA user_version = 2", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(sva_db_open(g_path, SVA_DB_EXISTING, &g_db, &d), SVA_OK);
    assert_int_equal(marks_wrong(g_path), 0);
    assert_int_equal(sva_trend_items(g_db, "2026-02", NULL, NULL, &after, &d), SVA_OK);
    assert_int_equal(after->n, before->n);
    for (size_t i = 0; i < after->n; i++) {
        assert_string_equal(after->items[i].item, before->items[i].item);
        assert_int_equal(after->items[i].passed_after, before->items[i].passed_after);
        assert_int_equal(after->items[i].n_before, before->items[i].n_before);
    }
    sva_item_moves_free(before);
    sva_item_moves_free(after);
    /* merged: audits brought from another file get their marks from their answers
     * (the file closed first: a merge refuses a file with changes in its -wal) */
    sva_db_close(g_db);
    g_db = NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s-merged.db", g_path);
    unlink(path);
    sva_db *m = NULL;
    assert_int_equal(sva_db_open(path, SVA_DB_CREATE, &m, &d), SVA_OK);
    sva_merge_stats ms;
    memset(&ms, 0, sizeof ms);
    if (sva_db_merge(m, g_path, &ms, &d) != SVA_OK)
        diag_dump(&d);
    assert_int_equal(d.n, 0);
    assert_true(ms.audits_added > 40);
    sva_db_close(m);
    assert_int_equal(sva_db_open(g_path, SVA_DB_EXISTING, &g_db, &d), SVA_OK);
    assert_int_equal(marks_wrong(path), 0);
    unlink(path);
    if (d.n)
        diag_dump(&d);
    sva_diag_clear(&d);
}

/* ---- employees over a rolling window ---------------------------------------------------- */

/* S (East): E1 80 90, E2 70 60, E3 75; T (West): F1 50 60, F2 60 50.
 * sigma_w^2: within sums of squares 50 + 50 + 50 + 50 over 4 df = 50.
 * S's employee means 85 65 75 (mean 75): 100 + 100 + 0 = 200 over 2 df; T's 55 55:
 * 0 over 1 df; S_b = 200/3. mean(1/n) = (1/2 + 1/2 + 1 + 1/2 + 1/2) / 5 = 0.6.
 * tau^2 = 200/3 - 50 x 0.6 = 110/3; k = 50 / (110/3) = 15/11.
 * Store means (audits): S 375/5 = 75, T 55. E1: w = 2 / (2 + 15/11) = 22/37,
 * rating 75 + 10 x 22/37 = 80.95; E2 75 - 220/37 = 69.05; E3 (1 audit, min 2):
 * w = 11/26, rating 75, not rated. F1 = F2 = 55: a tie, both rank 1, no best. */
static void test_employees_compute(void **state)
{
    (void)state;
    static const sva_employee_audit rows[] = {
        {"E1", "Ann", "sales", "S", "East", 1, 80, false}, {"F1", "Fay", "", "T", "West", 0, 50, false},
        {"E2", "Bo", "sales", "S", "East", 0, 70, true},   {"E1", "Ann", "sales", "S", "East", 2, 90, false},
        {"E3", "Cy", "sales", "S", "East", 2, 75, false},  {"F2", "Gus", "", "T", "West", 1, 60, false},
        {"E2", "Bo", "sales", "S", "East", 2, 60, false},  {"F1", "Fay", "", "T", "West", 2, 60, false},
        {"F2", "Gus", "", "T", "West", 2, 50, false},
    };
    sva_diag d = {0};
    sva_employee_ratings *r = NULL;
    assert_int_equal(sva_trend_employees_compute(rows, 9, 2, 3, &r, &d), SVA_OK);
    assert_int_equal(r->n, 5);
    assert_near(r->sigma_w, sqrt(50));
    assert_near(r->tau, sqrt(110.0 / 3));
    assert_near(r->k, 15.0 / 11);
    static const char *const order[] = {"E1", "E2", "E3", "F1", "F2"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(r->v[i].employee, order[i]);
    const sva_employee_rating *e1 = &r->v[0], *e2 = &r->v[1], *e3 = &r->v[2];
    assert_int_equal(e1->n, 2);
    assert_int_equal(e1->n_last, 1);
    assert_near(e1->mean, 85);
    assert_near(e1->store_mean, 75);
    assert_near(e1->weight, 22.0 / 37);
    assert_near(e1->rating, 75 + 220.0 / 37);
    assert_true(e1->rated);
    assert_int_equal(e1->rank, 1);
    assert_true(e1->best);
    assert_string_equal(e1->name, "Ann");
    assert_near(e2->rating, 75 - 220.0 / 37);
    assert_int_equal(e2->rank, 2);
    assert_int_equal(e2->failed, 1);
    assert_false(e2->best);
    assert_false(e3->rated);
    assert_int_equal(e3->rank, 0);
    assert_near(e3->weight, 11.0 / 26);
    assert_near(e3->rating, 75);
    assert_int_equal(r->v[3].rank, 1);
    assert_int_equal(r->v[4].rank, 1);
    assert_false(r->v[3].best);
    assert_string_equal(r->v[3].region, "West");
    sva_employee_ratings_free(r);
    /* with a minimum of 1, E3 is rated: third at S */
    assert_int_equal(sva_trend_employees_compute(rows, 9, 1, 3, &r, &d), SVA_OK);
    assert_int_equal(r->v[1].rank, 2); /* E3 at 75 sits between E1 and E2 */
    assert_int_equal(r->v[2].rank, 3);
    assert_string_equal(r->v[1].employee, "E3");
    sva_employee_ratings_free(r);
    /* no spread between employees (70 and 70): tau 0, k infinite, everyone at the
     * store's mean, nobody best; one audit each: no within spread, k 0 (own mean) */
    static const sva_employee_audit flat[] = {{"A", "", "", "S", "", 0, 80, false},
                                              {"A", "", "", "S", "", 1, 60, false},
                                              {"B", "", "", "S", "", 0, 60, false},
                                              {"B", "", "", "S", "", 1, 80, false}};
    assert_int_equal(sva_trend_employees_compute(flat, 4, 2, 2, &r, &d), SVA_OK);
    assert_near(r->tau, 0);
    assert_true(isinf(r->k));
    assert_near(r->v[0].rating, 70);
    assert_near(r->v[0].weight, 0);
    assert_false(r->v[0].best);
    sva_employee_ratings_free(r);
    static const sva_employee_audit single[] = {{"A", "", "", "S", "", 0, 90, false},
                                                {"B", "", "", "S", "", 0, 60, false}};
    assert_int_equal(sva_trend_employees_compute(single, 2, 1, 1, &r, &d), SVA_OK);
    assert_near(r->k, 0);
    assert_near(r->v[0].rating, 90);
    assert_true(r->v[0].best);
    sva_employee_ratings_free(r);
    assert_int_equal(sva_trend_employees_compute(rows, 9, 0, 3, &r, &d), SVA_ERR_USAGE);
    assert_null(r);
    sva_diag_clear(&d);
}

static bool keep_not(const char *employee, void *user)
{
    return strcmp(employee, user) != 0;
}

/* Leaving one out (pseudonymous: a role would name them) keeps everyone's figures
 * and ranks the rest among themselves: without E1 (first at S), E2 is first and,
 * the only rated one left at S, not "best"; E3 stays unrated; T is untouched. */
static void test_employees_keep(void **state)
{
    (void)state;
    static const sva_employee_audit rows[] = {
        {"E1", "Ann", "sales", "S", "East", 1, 80, false}, {"E1", "Ann", "sales", "S", "East", 2, 90, false},
        {"E2", "Bo", "sales", "S", "East", 0, 70, true},   {"E2", "Bo", "sales", "S", "East", 2, 60, false},
        {"E4", "Di", "sales", "S", "East", 0, 60, false},  {"E4", "Di", "sales", "S", "East", 1, 50, false},
        {"E3", "Cy", "sales", "S", "East", 2, 75, false},  {"F1", "Fay", "", "T", "West", 0, 50, false},
        {"F1", "Fay", "", "T", "West", 2, 60, false},      {"F2", "Gus", "", "T", "West", 1, 40, false},
        {"F2", "Gus", "", "T", "West", 2, 50, false},
    };
    sva_diag d = {0};
    sva_employee_ratings *r = NULL;
    assert_int_equal(sva_trend_employees_compute(rows, 11, 2, 3, &r, &d), SVA_OK);
    assert_int_equal(r->n, 6);
    assert_string_equal(r->v[0].employee, "E1");
    assert_int_equal(r->v[1].rank, 2); /* E2 */
    assert_int_equal(r->v[2].rank, 3); /* E4 */
    double e2 = r->v[1].rating, e4 = r->v[2].rating;
    assert_int_equal(sva_employee_ratings_keep(r, keep_not, (void *)"E1"), 1);
    assert_int_equal(r->n, 5);
    static const char *const order[] = {"E2", "E4", "E3", "F1", "F2"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(r->v[i].employee, order[i]);
    assert_int_equal(r->v[0].rank, 1);
    assert_true(r->v[0].best); /* first of its own among E2 and E4 */
    assert_int_equal(r->v[1].rank, 2);
    assert_false(r->v[1].best);
    assert_near(r->v[0].rating, e2); /* the figures are the whole population's */
    assert_near(r->v[1].rating, e4);
    assert_false(r->v[2].rated);
    assert_int_equal(r->v[2].rank, 0);
    assert_int_equal(r->v[3].rank, 1); /* F1 */
    assert_int_equal(r->v[4].rank, 2);
    assert_true(r->v[3].best);
    /* down to one rated at S: rank 1, not best */
    assert_int_equal(sva_employee_ratings_keep(r, keep_not, (void *)"E4"), 1);
    assert_int_equal(r->v[0].rank, 1);
    assert_false(r->v[0].best);
    sva_employee_ratings_free(r);
    sva_diag_clear(&d);
}

/* The store query: an employee checklist, one shop per person per cycle over three
 * cycles; the window pools them (3 audits each), a window of 1 rates nobody. */
static void test_employees_db(void **state)
{
    (void)state;
    static const char ECL[] = "[checklist]\nid = emp_unit\nversion = 1\ntitle = Emp unit\n"
                              "subject = employee\nindex = csi\nscale = yesno\n"
                              "critical_policy = flag\n\n[section.s]\ntitle = S\n"
                              "\n[item.s.a]\nsection = s\ntext = A\nevidence = none\n"
                              "\n[item.s.b]\nsection = s\ntext = B\nevidence = none\n";
    char path[1100];
    snprintf(path, sizeof path, "%s-emp.db", g_path);
    unlink(path);
    sva_diag d = {0};
    sva_db *db = NULL;
    sva_checklist *cl = NULL;
    assert_int_equal(sva_checklist_parse("emp_unit.ini", ECL, strlen(ECL), &cl, &d), SVA_OK);
    assert_int_equal(sva_db_open(path, SVA_DB_CREATE, &db, &d), SVA_OK);
    sva_store st = {"S-1", "Shop", "East"};
    assert_int_equal(sva_db_store_add(db, &st, &d), SVA_OK);
    sva_employee em[2] = {{"P-1", "Pat", "S-1", "sales"}, {"P-2", "Quinn", "S-1", "sales"}};
    for (int i = 0; i < 2; i++)
        assert_int_equal(sva_db_employee_add(db, &em[i], &d), SVA_OK);
    static const char *const cyc[3] = {"2027-01", "2027-02", "2027-03"};
    for (int c = 0; c < 3; c++) {
        char from[16], to[16];
        snprintf(from, sizeof from, "%s-01", cyc[c]);
        snprintf(to, sizeof to, "%s-28", cyc[c]);
        assert_int_equal(sva_db_cycle_open(db, cyc[c], from, to, &d), SVA_OK);
        for (int e = 0; e < 2; e++) {
            sva_answer a[2];
            memset(a, 0, sizeof a);
            /* Pat passes both items every time (100); Quinn one of two (50) */
            a[0].answered = a[1].answered = true;
            a[0].value = 1;
            a[1].value = e == 0;
            char date[16];
            snprintf(date, sizeof date, "%s-1%d", cyc[c], e);
            sva_audit_header h = {.cycle = cyc[c], .store = "S-1", .employee = em[e].id,
                                  .auditor = "Aud", .date = date};
            const sva_audit_ready *ready = NULL;
            assert_int_equal(sva_audit_prepare(cl, &h, a, &ready, &d), SVA_OK);
            assert_int_equal(sva_db_audit_record(db, ready, false, NULL, &d), SVA_OK);
            sva_audit_ready_free(ready);
        }
    }
    /* 3 audits each, no spread within (sigma_w 0): k = 0, ratings = own means */
    sva_employee_ratings *r = NULL;
    assert_int_equal(sva_trend_employees(db, "2027-03", 3, NULL, 2, &r, &d), SVA_OK);
    assert_int_equal(r->cycles, 3);
    assert_int_equal(r->n, 2);
    assert_string_equal(r->v[0].employee, "P-1");
    assert_string_equal(r->v[0].name, "Pat");
    assert_string_equal(r->v[0].region, "East");
    assert_int_equal(r->v[0].n, 3);
    assert_int_equal(r->v[0].n_last, 1);
    assert_near(r->v[0].mean, 100);
    assert_near(r->v[0].store_mean, 75);
    assert_true(r->v[0].best);
    assert_near(r->v[1].mean, 50);
    sva_employee_ratings_free(r);
    /* one cycle: one audit each, below the minimum of 2: nobody rated, nobody best */
    assert_int_equal(sva_trend_employees(db, "2027-03", 1, NULL, 2, &r, &d), SVA_OK);
    assert_int_equal(r->v[0].n, 1);
    assert_false(r->v[0].rated);
    assert_false(r->v[0].best);
    sva_employee_ratings_free(r);
    assert_int_equal(sva_trend_employees(db, "2027-03", 3, "West", 2, &r, &d), SVA_OK);
    assert_int_equal(r->n, 0);
    sva_employee_ratings_free(r);
    assert_int_equal(sva_trend_employees(db, "2099", 3, NULL, 2, &r, &d), SVA_ERR_NOT_FOUND);
    sva_db_close(db);
    sva_checklist_free(cl);
    unlink(path);
    sva_diag_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_store),
        cmocka_unit_test(test_series_refused),
        cmocka_unit_test(test_scan_db),
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_repeats),
        cmocka_unit_test(test_auditors),
        cmocka_unit_test(test_auditors_three),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_series_compute),
        cmocka_unit_test(test_series_region),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_items_compute),
        cmocka_unit_test(test_repeats_compute),
        cmocka_unit_test(test_auditors_compute),
        cmocka_unit_test(test_item_marks),
        cmocka_unit_test(test_employees_compute),
        cmocka_unit_test(test_employees_keep),
        cmocka_unit_test(test_employees_db),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

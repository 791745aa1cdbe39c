/* svcaudit tests: privacy by construction (privacy.c): free text is scrubbed
 * of every employee of the database, whatever their store, in any case, in
 * full-width forms, with odd spacing, by name and by id, whole words only
 * where the name has ASCII edges. A real SQLite file in a temporary folder. */
#include "testutil.h"

#include "privacy.h"

#include <unistd.h>

static char g_dir[] = "/tmp/svcaudit-privacy.XXXXXX";
static sva_db *g_db;

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(g_dir))
        return -1;
    char path[256];
    snprintf(path, sizeof path, "%s/t.db", g_dir);
    sva_diag d = {0};
    if (sva_db_open(path, SVA_DB_CREATE, &g_db, &d))
        return -1;
    sva_store s1 = {"SH-001", "Pudong", "East"}, s2 = {"BJ-001", "Chaoyang", "North"};
    sva_employee e[] = {
        {"E0001", "Qian Duoduo", "SH-001", "sales"},
        {"E0002", "钱多多", "SH-001", "sales"},
        {"E0100", "Li Wei", "BJ-001", "service"}, /* another store */
        {"X", "Y", "BJ-001", "sales"},            /* too short to scrub */
    };
    if (sva_db_store_add(g_db, &s1, &d) || sva_db_store_add(g_db, &s2, &d))
        return -1;
    for (size_t i = 0; i < sizeof e / sizeof *e; i++)
        if (sva_db_employee_add(g_db, &e[i], &d))
            return -1;
    sva_diag_clear(&d);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sva_db_close(g_db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void expect(sva_scrubber *s, const char *text, const char *want)
{
    sva_error err = SVA_OK;
    const char *got = sva_scrub(s, "SH-001", text, &err, NULL);
    assert_int_equal(err, SVA_OK);
    if (strcmp(got, want) != 0)
        fail_msg("scrub(\"%s\") gave \"%s\", want \"%s\"", text, got, want);
}

static void test_pseudonymous(void **state)
{
    (void)state;
    char p1[16], p2[16], p3[16];
    sva_pseudonym("s", "E0001", p1);
    sva_pseudonym("s", "E0002", p2);
    sva_pseudonym("s", "E0100", p3);
    sva_scrubber *s = sva_scrubber_new(g_db, SVA_PRIVACY_PSEUDONYMOUS, "s", NULL);
    assert_non_null(s);
    char want[256];
    snprintf(want, sizeof want, "%s was late", p1);
    expect(s, "Qian Duoduo was late", want);
    expect(s, "QIAN DUODUO was late", want);            /* any case */
    expect(s, "qian  duoduo was late", want);           /* spaces collapsed */
    expect(s, "\xEF\xBC\xB1IAN\xE3\x80\x80" "Duoduo was late", want); /* full-width Q, ideographic space */
    snprintf(want, sizeof want, "asked %s twice", p1);
    expect(s, "asked e0001 twice", want);                /* the id, in lower case */
    snprintf(want, sizeof want, "%s迟到了", p2);
    expect(s, "钱多多迟到了", want);                     /* a Chinese name inside a word */
    snprintf(want, sizeof want, "met %s from Beijing", p3);
    expect(s, "met Li Wei from Beijing", want);          /* an employee of another store */
    /* whole words: E00012 is not E0001, nor is BE0001 */
    const char *plain = "ids E00012 and BE0001 are someone else";
    sva_error err = SVA_OK;
    assert_ptr_equal(sva_scrub(s, "SH-001", plain, &err, NULL), plain); /* untouched */
    /* a one-letter name or id is not scrubbed (it would match everywhere) */
    const char *tiny = "Y and X went";
    assert_ptr_equal(sva_scrub(s, "SH-001", tiny, &err, NULL), tiny);
    sva_scrubber_free(s);
}

static void test_none_and_full(void **state)
{
    (void)state;
    sva_scrubber *s = sva_scrubber_new(g_db, SVA_PRIVACY_NONE, "s", NULL);
    assert_non_null(s);
    expect(s, "Qian Duoduo and Li Wei", "[employee] and [employee]");
    sva_scrubber_free(s);
    s = sva_scrubber_new(g_db, SVA_PRIVACY_FULL, "s", NULL);
    const char *t = "Qian Duoduo";
    sva_error err = SVA_OK;
    assert_ptr_equal(sva_scrub(s, "SH-001", t, &err, NULL), t); /* full: as written */
    sva_scrubber_free(s);
}

/* Two employees of one name (at two stores): a note naming it may mean
 * either, so it gets neither's pseudonym (it once got the first one's, pinning
 * the other's notes on them) but "[employee]"; their ids keep their own. Adds
 * employees: runs after the tests above. */
static void test_shared_name(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_employee a = {"E0201", "Zhou Jie", "SH-001", "sales"};
    sva_employee b = {"E0202", "Zhou Jie", "BJ-001", "sales"};
    assert_int_equal(sva_db_employee_add(g_db, &a, &d), SVA_OK);
    assert_int_equal(sva_db_employee_add(g_db, &b, &d), SVA_OK);
    char pa[16], pb[16], want[128];
    sva_pseudonym("s", "E0201", pa);
    sva_pseudonym("s", "E0202", pb);
    sva_scrubber *s = sva_scrubber_new(g_db, SVA_PRIVACY_PSEUDONYMOUS, "s", NULL);
    assert_non_null(s);
    expect(s, "Zhou Jie was late", "[employee] was late");
    expect(s, "ZHOU  JIE was late", "[employee] was late");
    snprintf(want, sizeof want, "%s and %s", pa, pb);
    expect(s, "E0201 and E0202", want);
    char p1[16];
    sva_pseudonym("s", "E0001", p1);
    snprintf(want, sizeof want, "%s met [employee]", p1); /* the others keep theirs */
    expect(s, "Qian Duoduo met Zhou Jie", want);
    sva_scrubber_free(s);
    s = sva_scrubber_new(g_db, SVA_PRIVACY_NONE, "s", NULL);
    assert_non_null(s);
    expect(s, "Zhou Jie and E0202", "[employee] and [employee]");
    sva_scrubber_free(s);
    sva_diag_clear(&d);
}

/* Many employees (the patterns' arrays grow many times, the slots are rebuilt
 * to fit): each one's name and id still find their own pseudonym, and the
 * first ones still theirs. Runs last: it adds employees to the database. */
static void test_many(void **state)
{
    (void)state;
    sva_diag d = {0};
    for (int i = 0; i < 3000; i++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "M%05d", i);
        snprintf(name, sizeof name, "Worker %d Sun", i);
        sva_employee e = {id, name, i % 2 ? "SH-001" : "BJ-001", "sales"};
        assert_int_equal(sva_db_employee_add(g_db, &e, &d), SVA_OK);
    }
    sva_scrubber *s = sva_scrubber_new(g_db, SVA_PRIVACY_PSEUDONYMOUS, "s", NULL);
    assert_non_null(s);
    const int probe[] = {0, 1, 255, 256, 1024, 2047, 2999};
    for (size_t k = 0; k < sizeof probe / sizeof *probe; k++) {
        char id[16], text[96], p[16], want[96];
        snprintf(id, sizeof id, "M%05d", probe[k]);
        sva_pseudonym("s", id, p);
        snprintf(text, sizeof text, "worker %d sun and m%05d", probe[k], probe[k]);
        snprintf(want, sizeof want, "%s and %s", p, p);
        expect(s, text, want);
    }
    char p1[16], want[64];
    sva_pseudonym("s", "E0001", p1);
    snprintf(want, sizeof want, "%s left", p1);
    expect(s, "Qian Duoduo left", want);
    sva_scrubber_free(s);
    sva_diag_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pseudonymous),
        cmocka_unit_test(test_none_and_full),
        cmocka_unit_test(test_shared_name),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* svcaudit tests: the rules of plans (plan.h), pure: a cycle's periods
 * (days, calendar weeks by their Thursday, months by their 15th), a plan's
 * fields, and coverage: planned, done (on time or late), due and missed per
 * unit, store and network, over hand-made facts.
 *
 * Every expected count is worked out by hand in the comments; the calendar
 * facts used: 2026-11-01 is a Sunday, so November 2026's Thursdays are the
 * 5th, 12th, 19th and 26th, and 2026-11-30 is a Monday. */
#include "testutil.h"

/* ---- periods ---------------------------------------------------------------------- */

static void expect_periods(const char *from, const char *to, sva_plan_every every,
                           const char *const *want, size_t n_want)
{
    sva_period *p;
    size_t n;
    assert_int_equal(sva_plan_periods(from, to, every, &p, &n), SVA_OK);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(p[i].from, want[2 * i]);
        assert_string_equal(p[i].to, want[2 * i + 1]);
    }
    free(p);
}

static void test_periods_weeks(void **state)
{
    (void)state;
    /* Thursdays 5, 12, 19, 26: four weeks; Sunday the 1st joins the first,
     * Monday the 30th the last */
    static const char *const nov[] = {"2026-11-01", "2026-11-08", "2026-11-09", "2026-11-15",
                                      "2026-11-16", "2026-11-22", "2026-11-23", "2026-11-30"};
    expect_periods("2026-11-01", "2026-11-30", SVA_EVERY_WEEK, nov, 4);
    /* across the new year: Mondays 2026-12-28 and 2027-01-04, Thursdays 31st and 7th */
    static const char *const ny[] = {"2026-12-28", "2027-01-03", "2027-01-04", "2027-01-10"};
    expect_periods("2026-12-28", "2027-01-10", SVA_EVERY_WEEK, ny, 2);
    /* Monday to Wednesday holds no Thursday: one period */
    static const char *const short_[] = {"2026-11-02", "2026-11-04"};
    expect_periods("2026-11-02", "2026-11-04", SVA_EVERY_WEEK, short_, 1);
    /* Wednesday to Thursday: the Thursday's week, clipped */
    static const char *const two[] = {"2026-11-04", "2026-11-05"};
    expect_periods("2026-11-04", "2026-11-05", SVA_EVERY_WEEK, two, 1);
}

static void test_periods_months_days(void **state)
{
    (void)state;
    static const char *const q4[] = {"2026-10-01", "2026-10-31", "2026-11-01", "2026-11-30",
                                     "2026-12-01", "2026-12-31"};
    expect_periods("2026-10-01", "2026-12-31", SVA_EVERY_MONTH, q4, 3);
    /* 15 Nov to 14 Feb: the 15ths of Nov, Dec and Jan lie inside, Feb's not:
     * February's days join January */
    static const char *const mid[] = {"2026-11-15", "2026-11-30", "2026-12-01", "2026-12-31",
                                      "2027-01-01", "2027-02-14"};
    expect_periods("2026-11-15", "2027-02-14", SVA_EVERY_MONTH, mid, 3);
    /* 16 Nov to 14 Dec holds no 15th: one period */
    static const char *const none[] = {"2026-11-16", "2026-12-14"};
    expect_periods("2026-11-16", "2026-12-14", SVA_EVERY_MONTH, none, 1);
    /* days, over a leap day */
    static const char *const leap[] = {"2028-02-28", "2028-02-28", "2028-02-29", "2028-02-29",
                                       "2028-03-01", "2028-03-01"};
    expect_periods("2028-02-28", "2028-03-01", SVA_EVERY_DAY, leap, 3);
    static const char *const whole[] = {"2026-11-01", "2026-11-30"};
    expect_periods("2026-11-01", "2026-11-30", SVA_EVERY_CYCLE, whole, 1);

    sva_period *p = NULL;
    size_t n = 9;
    assert_int_equal(sva_plan_periods("2026-11-30", "2026-11-01", SVA_EVERY_DAY, &p, &n),
                     SVA_ERR_INVALID);
    assert_int_equal(sva_plan_periods("2026-02-30", "2026-03-01", SVA_EVERY_DAY, &p, &n),
                     SVA_ERR_INVALID);
    assert_null(p);
    assert_int_equal(n, 0);

    char mon[11], sun[11];
    assert_true(sva_plan_week_of("2026-11-01", mon, sun));
    assert_string_equal(mon, "2026-10-26");
    assert_string_equal(sun, "2026-11-01");
    assert_true(sva_plan_week_of("2026-11-30", mon, sun));
    assert_string_equal(mon, "2026-11-30");
    assert_string_equal(sun, "2026-12-06");
}

static void test_every_names(void **state)
{
    (void)state;
    sva_plan_every e;
    assert_true(sva_plan_every_parse("week", &e));
    assert_int_equal(e, SVA_EVERY_WEEK);
    assert_string_equal(sva_plan_every_name(SVA_EVERY_MONTH), "month");
    assert_false(sva_plan_every_parse("weekly", &e));
    assert_false(sva_plan_every_parse(NULL, &e));
}

/* ---- a plan's fields ------------------------------------------------------------------- */

static void test_plan_check(void **state)
{
    (void)state;
    const char *dirs[] = {src_path("checklists")};
    sva_catalog *cat;
    assert_int_equal(sva_catalog_open(dirs, 1, &cat, NULL), SVA_OK);
    sva_plan ok = {.cycle = "2026-11", .checklist = "6s_store", .scope = SVA_SCOPE_STORE,
                   .scope_id = "SH-001", .times = 0, .every = SVA_EVERY_WEEK, .auditor = ""};
    sva_diag d;
    sva_diag_init(&d);
    assert_true(sva_plan_check(&ok, cat, NULL, &d)); /* 0 at one store: none there */
    assert_int_equal(d.n, 0);

    /* five problems, each reported: per employee of a store checklist, times 0
     * for a region, a bad cycle id, an auditor over 100 bytes, no such checklist */
    char longname[120];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    sva_plan bad = {.cycle = "2026/11", .checklist = "6s_store", .scope = SVA_SCOPE_REGION,
                    .scope_id = "East", .per_employee = true, .times = 0,
                    .every = SVA_EVERY_DAY, .auditor = longname, .line = 3, .cycle_line = 4,
                    .times_line = 7, .auditor_line = 8};
    assert_false(sva_plan_check(&bad, cat, "p.ini", &d));
    assert_true(diag_has(&d, 4, "bad cycle id '2026/11'"));
    assert_true(diag_has(&d, 7, "times 0"));
    assert_true(diag_has(&d, 8, "bad auditor name"));
    assert_true(diag_has(&d, 3, "cannot be planned per employee"));
    assert_int_equal(d.n, 4);
    sva_diag_clear(&d);
    bad.checklist = "no_such";
    bad.per_employee = false;
    bad.times = 2;
    bad.cycle = "2026-11";
    bad.auditor = "";
    assert_false(sva_plan_check(&bad, cat, NULL, &d));
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 0, "--checklist: unknown checklist 'no_such'"));
    sva_diag_clear(&d);
    sva_catalog_free(cat);
}

/* ---- coverage ------------------------------------------------------------------------------ */

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void add_plan(sva_plan_facts *f, const char *cl, sva_scope scope, const char *id,
                     bool per_employee, long times, sva_plan_every every)
{
    f->plans = realloc(f->plans, (f->n_plans + 1) * sizeof *f->plans);
    f->plans[f->n_plans++] = (sva_plan){.id = (long long)f->n_plans + 1,
                                        .cycle = dup("2026-11"),
                                        .checklist = dup(cl),
                                        .scope = scope,
                                        .scope_id = dup(id),
                                        .per_employee = per_employee,
                                        .times = times,
                                        .every = every,
                                        .auditor = dup("Zhang")};
}

static void add_visit(sva_plan_facts *f, const char *cl, const char *store, const char *employee,
                      const char *date)
{
    f->visits = realloc(f->visits, (f->n_visits + 1) * sizeof *f->visits);
    sva_plan_visit *v = &f->visits[f->n_visits++];
    *v = (sva_plan_visit){.audit = (long long)f->n_visits,
                          .checklist = dup(cl),
                          .store = dup(store),
                          .employee = dup(employee),
                          .auditor = dup("Zhang")};
    snprintf(v->date, sizeof v->date, "%s", date);
}

static void add_person(sva_plan_facts *f, const char *employee, const char *store,
                       const char *from)
{
    f->people = realloc(f->people, (f->n_people + 1) * sizeof *f->people);
    f->people[f->n_people++] =
        (sva_plan_person){dup(employee), dup(store), dup(from), NULL};
}

/* November 2026 at three stores: S1 and S2 in East, S3 in West.
 *   6s_store: every day at S1 (its own plan), every week elsewhere (network);
 *   sales_mystery_shop: twice a month per employee in East (E1, E2 at S1; E3
 *     at S2 from the 10th);
 *   phone_handling: once in the cycle everywhere but S2 (times 0 there). */
static sva_plan_facts *november(void)
{
    sva_plan_facts *f = calloc(1, sizeof *f);
    f->cycle = (sva_cycle){dup("2026-11"), dup("2026-11-01"), dup("2026-11-30"),
                           SVA_CYCLE_DO, 0};
    f->stores = calloc(3, sizeof *f->stores);
    f->stores[0] = (sva_store){dup("S1"), dup("One"), dup("East")};
    f->stores[1] = (sva_store){dup("S2"), dup("Two"), dup("East")};
    f->stores[2] = (sva_store){dup("S3"), dup("Three"), dup("West")};
    f->n_stores = 3;
    add_plan(f, "6s_store", SVA_SCOPE_STORE, "S1", false, 1, SVA_EVERY_DAY);
    add_plan(f, "6s_store", SVA_SCOPE_NETWORK, "", false, 1, SVA_EVERY_WEEK);
    add_plan(f, "sales_mystery_shop", SVA_SCOPE_REGION, "East", true, 2, SVA_EVERY_MONTH);
    add_plan(f, "phone_handling", SVA_SCOPE_NETWORK, "", false, 1, SVA_EVERY_CYCLE);
    add_plan(f, "phone_handling", SVA_SCOPE_STORE, "S2", false, 0, SVA_EVERY_CYCLE);
    add_person(f, "E1", "S1", NULL);
    add_person(f, "E2", "S1", NULL);
    add_person(f, "E3", "S2", "2026-11-10");
    add_person(f, "E5", "S3", NULL);
    /* S1's daily 6S: the 1st, 2nd, 3rd, twice on the 5th, 10th, 17th, 18th */
    static const char *const s1[] = {"2026-11-18", "2026-11-01", "2026-11-02", "2026-11-03",
                                      "2026-11-05", "2026-11-05", "2026-11-10", "2026-11-17"};
    for (size_t i = 0; i < 8; i++)
        add_visit(f, "6s_store", "S1", NULL, s1[i]);
    /* S2's weekly 6S: twice in the first week; S3's: twice in the second */
    add_visit(f, "6s_store", "S2", NULL, "2026-11-03");
    add_visit(f, "6s_store", "S2", NULL, "2026-11-04");
    add_visit(f, "6s_store", "S3", NULL, "2026-11-13");
    add_visit(f, "6s_store", "S3", NULL, "2026-11-12");
    /* sales: E1 twice, E2 once, E3 once; E9 (left S1) counts for nobody */
    add_visit(f, "sales_mystery_shop", "S1", "E1", "2026-11-06");
    add_visit(f, "sales_mystery_shop", "S1", "E2", "2026-11-07");
    add_visit(f, "sales_mystery_shop", "S1", "E1", "2026-11-12");
    add_visit(f, "sales_mystery_shop", "S2", "E3", "2026-11-11");
    add_visit(f, "sales_mystery_shop", "S1", "E9", "2026-11-13");
    /* phone: one at S3 (of an employee: a store's plan counts anyone's) */
    add_visit(f, "phone_handling", "S3", "E5", "2026-11-02");
    return f;
}

static void expect_unit(const sva_cover_unit *u, const char *store, const char *cl,
                        const char *employee, long planned, long done, long late, long due,
                        long missed)
{
    assert_string_equal(u->store, store);
    assert_string_equal(u->checklist, cl);
    if (employee)
        assert_string_equal(u->employee, employee);
    else
        assert_null(u->employee);
    assert_int_equal(u->planned, planned);
    assert_int_equal(u->done, done);
    assert_int_equal(u->late, late);
    assert_int_equal(u->due, due);
    assert_int_equal(u->missed, missed);
}

static void expect_total(const sva_cover_total *t, long planned, long done, long late, long due,
                         long missed, long no_reason)
{
    assert_int_equal(t->planned, planned);
    assert_int_equal(t->done, done);
    assert_int_equal(t->late, late);
    assert_int_equal(t->due, due);
    assert_int_equal(t->missed, missed);
    assert_int_equal(t->units_missed_no_reason, no_reason);
}

static const sva_cover_slot *slot_of(const sva_coverage *c, size_t unit, const char *from)
{
    const sva_cover_unit *u = &c->units[unit];
    for (size_t i = 0; i < u->n_slots; i++)
        if (strcmp(c->slots[u->first_slot + i].period.from, from) == 0)
            return &c->slots[u->first_slot + i];
    fail_msg("no slot from %s", from);
    return NULL;
}

static void test_coverage(void **state)
{
    (void)state;
    sva_plan_facts *f = november();
    sva_coverage *c;
    /* Wednesday the 18th: days up to the 17th and weeks up to the 15th are over */
    assert_int_equal(sva_plan_coverage(f, "2026-11-18", false, &c), SVA_OK);
    assert_int_equal(c->n_units, 8);
    /* S1 daily 6S: 30 days. On time: 1, 2, 3, 5, 10, 17, 18 (7); the second
     * audit of the 5th makes up the 4th (late). Missed: days 1-17 not done:
     * 17 - 7 (1, 2, 3, 4, 5, 10, 17) = 10. Due: the 19th to the 30th = 12. */
    expect_unit(&c->units[0], "S1", "6s_store", NULL, 30, 8, 1, 12, 10);
    assert_string_equal(c->units[0].next_from, "2026-11-19");
    assert_string_equal(c->units[0].last, "2026-11-18");
    const sva_cover_slot *s4 = slot_of(c, 0, "2026-11-04");
    assert_int_equal(s4->late, 1);
    assert_int_equal(s4->done, 0);
    assert_string_equal(s4->last, "2026-11-05");
    assert_int_equal(slot_of(c, 0, "2026-11-06")->missed, 1);
    assert_int_equal(slot_of(c, 0, "2026-11-30")->due, 1);
    /* S1 phone, once in the cycle: not yet, the cycle not over: due */
    expect_unit(&c->units[1], "S1", "phone_handling", NULL, 1, 0, 0, 1, 0);
    /* S1 sales twice a month: E1 both, E2 one of two; E9's audit counts for nobody */
    expect_unit(&c->units[2], "S1", "sales_mystery_shop", "E1", 2, 2, 0, 0, 0);
    expect_unit(&c->units[3], "S1", "sales_mystery_shop", "E2", 2, 1, 0, 1, 0);
    assert_string_equal(c->units[3].next_from, "2026-11-01");
    /* S2 weekly 6S: week 1 done (its second audit makes up no earlier week),
     * week 2 (9-15) missed, weeks 3 and 4 due */
    expect_unit(&c->units[4], "S2", "6s_store", NULL, 4, 1, 0, 2, 1);
    assert_string_equal(c->units[4].next_from, "2026-11-16");
    assert_string_equal(c->units[4].next_to, "2026-11-22");
    /* S2 sales, E3 from the 10th: the month clipped to 10-30; one of two */
    expect_unit(&c->units[5], "S2", "sales_mystery_shop", "E3", 2, 1, 0, 1, 0);
    assert_string_equal(c->units[5].next_from, "2026-11-10");
    /* S3 weekly 6S: two audits in week 2: the 12th there, the 13th makes up week 1 */
    expect_unit(&c->units[6], "S3", "6s_store", NULL, 4, 2, 1, 2, 0);
    assert_string_equal(slot_of(c, 6, "2026-11-01")->last, "2026-11-13");
    assert_int_equal(slot_of(c, 6, "2026-11-01")->late, 1);
    /* S3 phone: E5's audit on the 2nd */
    expect_unit(&c->units[7], "S3", "phone_handling", NULL, 1, 1, 0, 0, 0);
    /* stores: S1 35 = 30 + 1 + 2 + 2, done 8 + 0 + 2 + 1 = 11, due 12 + 1 + 0 + 1
     * = 14, missed 10; S2 6 = 4 + 2, done 2, due 3, missed 1; S3 5, done 3 (one
     * late), due 2. Network: 46 planned, 16 done (2 late), 19 due, 11 missed;
     * two units with missed audits and no reason (S1's and S2's 6S) */
    assert_int_equal(c->n_stores, 3);
    expect_total(&c->stores[0], 35, 11, 1, 14, 10, 1);
    expect_total(&c->stores[1], 6, 2, 0, 3, 1, 1);
    expect_total(&c->stores[2], 5, 3, 1, 2, 0, 0);
    expect_total(&c->network, 46, 16, 2, 19, 11, 2);
    sva_coverage_free(c);

    /* a reason for S2's missed week; at the close every period is over: the
     * 19 due become missed (11 + 19 = 30), and five units miss without a
     * reason: S1 6s, S1 phone, S1 E2, S2 E3, S3 6s (S2's 6S has one) */
    f->reasons = calloc(1, sizeof *f->reasons);
    f->reasons[0] = (sva_plan_reason){dup("6s_store"), dup("S2"), dup(""), dup("flooded")};
    f->n_reasons = 1;
    assert_int_equal(sva_plan_coverage(f, "2026-11-18", true, &c), SVA_OK);
    expect_total(&c->network, 46, 16, 2, 0, 30, 5);
    assert_string_equal(c->units[4].reason, "flooded");
    assert_null(c->units[0].reason);
    sva_coverage_free(c);

    /* before the cycle starts everything is due; after it ends nothing is */
    assert_int_equal(sva_plan_coverage(f, "2026-10-31", false, &c), SVA_OK);
    expect_total(&c->network, 46, 16, 2, 30, 0, 0);
    sva_coverage_free(c);
    assert_int_equal(sva_plan_coverage(f, "2026-12-01", false, &c), SVA_OK);
    expect_total(&c->network, 46, 16, 2, 0, 30, 5);
    sva_coverage_free(c);
    assert_int_equal(sva_plan_coverage(f, "soon", false, &c), SVA_ERR_INVALID);
    sva_plan_facts_free(f);
}

/* November 2026 with one store, S1, and no plans yet. */
static sva_plan_facts *one_store(void)
{
    sva_plan_facts *f = calloc(1, sizeof *f);
    f->cycle = (sva_cycle){dup("2026-11"), dup("2026-11-01"), dup("2026-11-30"),
                           SVA_CYCLE_DO, 0};
    f->stores = calloc(1, sizeof *f->stores);
    f->stores[0] = (sva_store){dup("S1"), dup("One"), dup("")};
    f->n_stores = 1;
    return f;
}

/* An employee who left: the periods after their last day are not planned. */
static void test_coverage_leaver(void **state)
{
    (void)state;
    sva_plan_facts *f = one_store();
    add_plan(f, "sales_mystery_shop", SVA_SCOPE_NETWORK, "", true, 1, SVA_EVERY_WEEK);
    add_person(f, "E1", "S1", NULL);
    f->people[0].to = dup("2026-11-12"); /* left on Thursday of week 2 */
    add_visit(f, "sales_mystery_shop", "S1", "E1", "2026-11-03");
    sva_coverage *c;
    assert_int_equal(sva_plan_coverage(f, "2026-11-20", false, &c), SVA_OK);
    /* weeks 1 (done) and 2 (9-12, over: missed); weeks 3 and 4 not planned */
    assert_int_equal(c->n_units, 1);
    expect_unit(&c->units[0], "S1", "sales_mystery_shop", "E1", 2, 1, 0, 0, 1);
    assert_string_equal(c->slots[1].period.to, "2026-11-12");
    sva_coverage_free(c);
    sva_plan_facts_free(f);
}

/* A store closed from the 19th to the 25th and open again from the 26th: its
 * weekly units have the weeks 1-8, 9-15, 16-18 and 26-30 (4, not 5 or 4
 * whole weeks); E1, there from the 10th, has 10-15, 16-18 and 26-30. */
static void test_coverage_closed(void **state)
{
    (void)state;
    sva_plan_facts *f = one_store();
    add_plan(f, "6s_store", SVA_SCOPE_NETWORK, "", false, 1, SVA_EVERY_WEEK);
    add_plan(f, "sales_mystery_shop", SVA_SCOPE_NETWORK, "", true, 1, SVA_EVERY_WEEK);
    add_person(f, "E1", "S1", "2026-11-10");
    f->closed = calloc(1, sizeof *f->closed);
    f->closed[0] = (sva_plan_closed){dup("S1"), dup("2026-11-19"), dup("2026-11-25")};
    f->n_closed = 1;
    add_visit(f, "6s_store", "S1", NULL, "2026-11-27");
    sva_coverage *c;
    assert_int_equal(sva_plan_coverage(f, "2026-11-28", false, &c), SVA_OK);
    /* 6s_store: 1-8, 9-15, 16-18 missed; 26-30 done; two units, one a window */
    assert_int_equal(c->n_units, 4);
    expect_unit(&c->units[0], "S1", "6s_store", NULL, 3, 0, 0, 0, 3);
    expect_unit(&c->units[1], "S1", "6s_store", NULL, 1, 1, 0, 0, 0);
    assert_string_equal(c->slots[c->units[0].first_slot + 2].period.to, "2026-11-18");
    assert_string_equal(c->slots[c->units[1].first_slot].period.from, "2026-11-26");
    /* E1: 10-15 and 16-18 missed; 26-30 due (ends after the 28th) */
    expect_unit(&c->units[2], "S1", "sales_mystery_shop", "E1", 2, 0, 0, 0, 2);
    assert_string_equal(c->slots[c->units[2].first_slot].period.from, "2026-11-10");
    expect_unit(&c->units[3], "S1", "sales_mystery_shop", "E1", 1, 0, 0, 1, 0);
    expect_total(&c->network, 7, 1, 0, 1, 5, 2);
    sva_coverage_free(c);
    sva_plan_facts_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods_weeks),
        cmocka_unit_test(test_periods_months_days),
        cmocka_unit_test(test_every_names),
        cmocka_unit_test(test_plan_check),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_coverage_leaver),
        cmocka_unit_test(test_coverage_closed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

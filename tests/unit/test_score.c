/* svcaudit tests: scoring (score.h). Every expected number below is worked
 * out by hand from SPEC.md "Scoring rules" and the pass rule documented in
 * score.h; the derivation is in the comment above each assertion. */
#include "testutil.h"

#include <math.h>

/* cmocka 1.1.5's assert_float_equal casts everything to float, which makes an
 * epsilon of 1e-9 meaningless; compare in double precision instead. */
#define EPS 1e-9   /* exact-ish values (terminating decimals) */
#define EPS_R 1e-6 /* recurring decimals */
#define assert_near(actual, expected, eps)                                                   \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= (eps))) {                                                     \
            print_error("%s = %.12g, expected %.12g (eps %g)\n", #actual, a_, e_,            \
                        (double)(eps));                                                      \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* [checklist] head; scale yesno by default. */
#define HEAD(policy)                                                                         \
    "[checklist]\n"                                                                          \
    "id = score_test\n"                                                                      \
    "version = 1\n"                                                                          \
    "title = Score test\n"                                                                   \
    "subject = store\n"                                                                      \
    "index = none\n"                                                                         \
    "scale = yesno\n"                                                                        \
    "critical_policy = " policy "\n\n"

/* ---- helpers --------------------------------------------------------------- */

static sva_checklist *mk(const char *text)
{
    sva_checklist *cl = NULL;
    sva_diag d = {0};
    sva_error e = sva_checklist_parse("score_test.ini", text, strlen(text), &cl, &d);
    if (e != SVA_OK)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(e, SVA_OK);
    assert_non_null(cl);
    return cl;
}

/* One answer slot per item, all unanswered. */
static sva_answer *blank(const sva_checklist *cl)
{
    sva_answer *a = calloc(cl->n_items ? cl->n_items : 1, sizeof *a);
    assert_non_null(a);
    return a;
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

static void val(const sva_checklist *cl, sva_answer *a, const char *id, int v)
{
    sva_answer *x = &a[idx(cl, id)];
    x->answered = true;
    x->na = false;
    x->value = v;
}

static void na(const sva_checklist *cl, sva_answer *a, const char *id)
{
    sva_answer *x = &a[idx(cl, id)];
    x->answered = true;
    x->na = true;
    x->value = 0;
}

static void compute(const sva_checklist *cl, const sva_answer *a, sva_score *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(sva_score_compute(cl, a, s), SVA_OK);
    assert_int_equal(s->n_items, cl->n_items);
    assert_int_equal(s->n_sections, cl->n_sections);
    assert_non_null(s->items);
    assert_non_null(s->sections);
}

/* ---- scoring ----------------------------------------------------------------- */

static void test_pooled_item_weights(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\n\n"
                           "[section.b]\ntitle = B\n\n"
                           "[item.a.x]\nsection = a\ntext = X\nweight = 2\n\n"
                           "[item.a.y]\nsection = a\ntext = Y\n\n"
                           "[item.b.z]\nsection = b\ntext = Z\nweight = 4\nscale = 0-4\n");
    sva_answer *a = blank(cl);
    val(cl, a, "a.x", 1);
    val(cl, a, "a.y", 0);
    val(cl, a, "b.z", 3);
    sva_score s;
    compute(cl, a, &s);

    /* a.x: yes = 1, weight 2 -> 2 * 1 = 2 of 2 */
    assert_near(s.items[idx(cl, "a.x")].points, 2.0, EPS);
    assert_near(s.items[idx(cl, "a.x")].max, 2.0, EPS);
    assert_false(s.items[idx(cl, "a.x")].na);
    /* a.y: no = 0, weight 1 (default) -> 1 * 0 = 0 of 1 */
    assert_near(s.items[idx(cl, "a.y")].points, 0.0, EPS);
    assert_near(s.items[idx(cl, "a.y")].max, 1.0, EPS);
    /* b.z: 0-4 answered 3, weight 4 -> 4 * 3/4 = 3 of 4 */
    assert_near(s.items[idx(cl, "b.z")].points, 3.0, EPS);
    assert_near(s.items[idx(cl, "b.z")].max, 4.0, EPS);

    /* section a: 2 + 0 = 2 of 2 + 1 = 3 -> 66.667 % */
    size_t sa = sidx(cl, "a"), sb = sidx(cl, "b");
    assert_true(s.sections[sa].scorable);
    assert_near(s.sections[sa].points, 2.0, EPS);
    assert_near(s.sections[sa].max, 3.0, EPS);
    assert_near(s.sections[sa].pct, 200.0 / 3.0, EPS_R);
    /* section b: 3 of 4 -> 75 % */
    assert_true(s.sections[sb].scorable);
    assert_near(s.sections[sb].points, 3.0, EPS);
    assert_near(s.sections[sb].max, 4.0, EPS);
    assert_near(s.sections[sb].pct, 75.0, EPS);

    /* no section has a weight -> points pool: 2 + 0 + 3 = 5 of 2 + 1 + 4 = 7
     * -> 71.428571 % (an unweighted mean of the sections would give 70.833) */
    assert_true(s.scorable);
    assert_near(s.points, 5.0, EPS);
    assert_near(s.max, 7.0, EPS);
    assert_near(s.raw_pct, 500.0 / 7.0, EPS_R);
    assert_near(s.pct, 500.0 / 7.0, EPS_R);
    /* no critical items, nothing N/A */
    assert_false(s.failed);
    assert_int_equal(s.n_failed_critical, 0);
    assert_int_equal(s.n_na, 0);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_section_weights(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\nweight = 20\n\n"
                           "[section.b]\ntitle = B\nweight = 80\n\n"
                           "[item.a.x]\nsection = a\ntext = X\nweight = 2\n\n"
                           "[item.a.y]\nsection = a\ntext = Y\n\n"
                           "[item.b.z]\nsection = b\ntext = Z\nscale = 0-4\n\n"
                           "[item.b.w]\nsection = b\ntext = W\n");
    sva_answer *a = blank(cl);
    val(cl, a, "a.x", 1);
    val(cl, a, "a.y", 0);
    val(cl, a, "b.z", 1);
    val(cl, a, "b.w", 1);
    sva_score s;
    compute(cl, a, &s);

    /* section a: 2*1 + 1*0 = 2 of 3 -> 66.667 % */
    size_t sa = sidx(cl, "a"), sb = sidx(cl, "b");
    assert_near(s.sections[sa].points, 2.0, EPS);
    assert_near(s.sections[sa].max, 3.0, EPS);
    assert_near(s.sections[sa].pct, 200.0 / 3.0, EPS_R);
    /* section b: b.z 1 * 1/4 = 0.25, b.w 1 * 1 = 1 -> 1.25 of 2 -> 62.5 % */
    assert_near(s.items[idx(cl, "b.z")].points, 0.25, EPS);
    assert_near(s.sections[sb].points, 1.25, EPS);
    assert_near(s.sections[sb].max, 2.0, EPS);
    assert_near(s.sections[sb].pct, 62.5, EPS);

    /* weighted mean by section weight:
     * (20 * 66.667 + 80 * 62.5) / (20 + 80) = (4000/3 + 5000) / 100 = 190/3 = 63.333 %
     * (pooling would give 3.25 of 5 = 65 %) */
    assert_true(s.scorable);
    assert_near(s.raw_pct, 190.0 / 3.0, EPS_R);
    assert_near(s.pct, 190.0 / 3.0, EPS_R);
    /* pooled totals are still reported: 2 + 0 + 0.25 + 1 = 3.25 of 2 + 1 + 1 + 1 = 5 */
    assert_near(s.points, 3.25, EPS);
    assert_near(s.max, 5.0, EPS);
    assert_false(s.failed);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_na_left_out(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\n\n"
                           "[item.a.x]\nsection = a\ntext = X\n\n"
                           "[item.a.y]\nsection = a\ntext = Y\nweight = 3\nna = yes\n\n"
                           "[item.a.z]\nsection = a\ntext = Z\n");
    sva_answer *a = blank(cl);
    val(cl, a, "a.x", 1);
    na(cl, a, "a.y");
    val(cl, a, "a.z", 0);
    sva_score s;
    compute(cl, a, &s);

    /* a.y is N/A: out of both points and max -> 0 of 0 */
    size_t y = idx(cl, "a.y");
    assert_true(s.items[y].na);
    assert_near(s.items[y].points, 0.0, EPS);
    assert_near(s.items[y].max, 0.0, EPS);
    /* N/A does not pass (score.h) */
    assert_false(sva_answer_passes(&cl->items[y], &a[y]));
    assert_int_equal(s.n_na, 1);

    /* section a: 1*1 + 1*0 = 1 of 1 + 1 = 2 -> 50 %
     * (counting a.y as 0 would give 1 of 5 = 20 %, as full 4 of 5 = 80 %) */
    assert_near(s.sections[0].points, 1.0, EPS);
    assert_near(s.sections[0].max, 2.0, EPS);
    assert_near(s.sections[0].pct, 50.0, EPS);
    assert_true(s.sections[0].scorable);
    /* pooled: the same 1 of 2 -> 50 % */
    assert_true(s.scorable);
    assert_near(s.points, 1.0, EPS);
    assert_near(s.max, 2.0, EPS);
    assert_near(s.raw_pct, 50.0, EPS);
    assert_near(s.pct, 50.0, EPS);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_all_na_section_drops_out(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\nweight = 1\n\n"
                           "[section.b]\ntitle = B\nweight = 2\n\n"
                           "[section.c]\ntitle = C\nweight = 1\n\n"
                           "[item.a.x]\nsection = a\ntext = X\n\n"
                           "[item.b.y]\nsection = b\ntext = Y\nna = yes\n\n"
                           "[item.b.z]\nsection = b\ntext = Z\nna = yes\nweight = 5\n\n"
                           "[item.c.w]\nsection = c\ntext = W\nscale = 0-5\n");
    sva_answer *a = blank(cl);
    val(cl, a, "a.x", 1);
    na(cl, a, "b.y");
    na(cl, a, "b.z");
    val(cl, a, "c.w", 2);
    sva_score s;
    compute(cl, a, &s);

    size_t sa = sidx(cl, "a"), sb = sidx(cl, "b"), sc = sidx(cl, "c");
    /* a: 1 of 1 -> 100 % */
    assert_true(s.sections[sa].scorable);
    assert_near(s.sections[sa].pct, 100.0, EPS);
    /* b: every item N/A -> 0 of 0, not scorable */
    assert_false(s.sections[sb].scorable);
    assert_near(s.sections[sb].points, 0.0, EPS);
    assert_near(s.sections[sb].max, 0.0, EPS);
    /* c: 0-5 answered 2 -> 1 * 2/5 = 0.4 of 1 -> 40 % */
    assert_true(s.sections[sc].scorable);
    assert_near(s.sections[sc].points, 0.4, EPS);
    assert_near(s.sections[sc].pct, 40.0, EPS);

    /* b drops out, weights a = 1, c = 1 re-normalise:
     * (1 * 100 + 1 * 40) / (1 + 1) = 70 %
     * (keeping b at 0 % would give (100 + 0 + 40) / 4 = 35 %) */
    assert_true(s.scorable);
    assert_near(s.raw_pct, 70.0, EPS);
    assert_near(s.pct, 70.0, EPS);
    assert_int_equal(s.n_na, 2);
    /* pooled: 1 + 0.4 = 1.4 of 1 + 1 = 2 */
    assert_near(s.points, 1.4, EPS);
    assert_near(s.max, 2.0, EPS);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_every_item_na_not_scorable(void **state)
{
    (void)state;
    /* pooled checklist */
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\n\n"
                           "[item.a.x]\nsection = a\ntext = X\nna = yes\n\n"
                           "[item.a.y]\nsection = a\ntext = Y\nna = yes\nscale = 0-10\n");
    sva_answer *a = blank(cl);
    na(cl, a, "a.x");
    na(cl, a, "a.y");
    sva_score s;
    compute(cl, a, &s);
    /* both N/A -> 0 of 0: no audit %, no failure */
    assert_false(s.scorable);
    assert_int_equal(s.n_na, 2);
    assert_near(s.points, 0.0, EPS);
    assert_near(s.max, 0.0, EPS);
    assert_false(s.sections[0].scorable);
    assert_false(s.failed);
    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);

    /* section-weighted checklist: every section drops out -> nothing left */
    cl = mk(HEAD("zero")
            "[section.a]\ntitle = A\nweight = 3\n\n"
            "[section.b]\ntitle = B\nweight = 1\n\n"
            "[item.a.x]\nsection = a\ntext = X\nna = yes\ncritical = yes\n\n"
            "[item.b.y]\nsection = b\ntext = Y\nna = yes\n");
    a = blank(cl);
    na(cl, a, "a.x");
    na(cl, a, "b.y");
    compute(cl, a, &s);
    assert_false(s.scorable);
    assert_int_equal(s.n_na, 2);
    assert_false(s.sections[0].scorable);
    assert_false(s.sections[1].scorable);
    /* the N/A critical item does not fail the audit */
    assert_false(s.failed);
    assert_int_equal(s.n_failed_critical, 0);
    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_scales(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.s]\ntitle = S\n\n"
                           "[item.s.four]\nsection = s\ntext = 4\nscale = 0-4\nweight = 2\n\n"
                           "[item.s.five]\nsection = s\ntext = 5\nscale = 0-5\n\n"
                           "[item.s.ten]\nsection = s\ntext = 10\nscale = 0-10\nweight = 3\n\n"
                           "[item.s.pts]\nsection = s\ntext = 12\nscale = points:12\n\n"
                           "[item.s.full]\nsection = s\ntext = 3\nscale = points:3\n"
                           "weight = 0.5\n\n"
                           "[item.s.nil]\nsection = s\ntext = 0\nscale = 0-10\n");
    sva_answer *a = blank(cl);
    val(cl, a, "s.four", 3);
    val(cl, a, "s.five", 4);
    val(cl, a, "s.ten", 7);
    val(cl, a, "s.pts", 9);
    val(cl, a, "s.full", 3);
    val(cl, a, "s.nil", 0);
    sva_score s;
    compute(cl, a, &s);

    /* 0-4: 2 * 3/4 = 1.5 of 2 */
    assert_near(s.items[idx(cl, "s.four")].points, 1.5, EPS);
    assert_near(s.items[idx(cl, "s.four")].max, 2.0, EPS);
    /* 0-5: 1 * 4/5 = 0.8 of 1 */
    assert_near(s.items[idx(cl, "s.five")].points, 0.8, EPS);
    assert_near(s.items[idx(cl, "s.five")].max, 1.0, EPS);
    /* 0-10: 3 * 7/10 = 2.1 of 3 */
    assert_near(s.items[idx(cl, "s.ten")].points, 2.1, EPS);
    assert_near(s.items[idx(cl, "s.ten")].max, 3.0, EPS);
    /* points:12: 1 * 9/12 = 0.75 of 1 */
    assert_near(s.items[idx(cl, "s.pts")].points, 0.75, EPS);
    assert_near(s.items[idx(cl, "s.pts")].max, 1.0, EPS);
    /* points:3 at the top: 0.5 * 3/3 = 0.5 of 0.5 */
    assert_near(s.items[idx(cl, "s.full")].points, 0.5, EPS);
    assert_near(s.items[idx(cl, "s.full")].max, 0.5, EPS);
    /* 0-10 at the bottom: 1 * 0/10 = 0 of 1 */
    assert_near(s.items[idx(cl, "s.nil")].points, 0.0, EPS);
    assert_near(s.items[idx(cl, "s.nil")].max, 1.0, EPS);

    /* pooled: 1.5 + 0.8 + 2.1 + 0.75 + 0.5 + 0 = 5.65
     *     of 2 + 1 + 3 + 1 + 0.5 + 1 = 8.5 -> 66.470588 % */
    assert_near(s.points, 5.65, EPS);
    assert_near(s.max, 8.5, EPS);
    assert_near(s.raw_pct, 565.0 / 8.5, EPS_R);
    assert_near(s.pct, 565.0 / 8.5, EPS_R);
    assert_near(s.sections[0].pct, 565.0 / 8.5, EPS_R);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_pass_boundaries(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.p]\ntitle = P\n\n"
                           "[item.p.f4]\nsection = p\ntext = a\nscale = 0-4\n\n"
                           "[item.p.p4]\nsection = p\ntext = b\nscale = 0-4\n\n"
                           "[item.p.f5]\nsection = p\ntext = c\nscale = 0-5\n\n"
                           "[item.p.p5]\nsection = p\ntext = d\nscale = 0-5\n\n"
                           "[item.p.f10]\nsection = p\ntext = e\nscale = 0-10\n\n"
                           "[item.p.p10]\nsection = p\ntext = f\nscale = 0-10\n\n"
                           "[item.p.fyn]\nsection = p\ntext = g\n\n"
                           "[item.p.pyn]\nsection = p\ntext = h\n\n"
                           "[item.p.fpts]\nsection = p\ntext = i\nscale = points:7\n\n"
                           "[item.p.ppts]\nsection = p\ntext = j\nscale = points:7\n\n"
                           "[item.p.hpts]\nsection = p\ntext = k\nscale = points:4\n");
    sva_answer *a = blank(cl);
    /* pass = half the scale or more (score.h) */
    val(cl, a, "p.f4", 1);   /* 1 of 4 < 2    -> fails */
    val(cl, a, "p.p4", 2);   /* 2 of 4 = half -> passes */
    val(cl, a, "p.f5", 2);   /* 2 of 5 < 2.5  -> fails */
    val(cl, a, "p.p5", 3);   /* 3 of 5 >= 2.5 -> passes */
    val(cl, a, "p.f10", 4);  /* 4 of 10 < 5   -> fails */
    val(cl, a, "p.p10", 5);  /* 5 of 10 = half -> passes */
    val(cl, a, "p.fyn", 0);  /* no           -> fails */
    val(cl, a, "p.pyn", 1);  /* yes          -> passes */
    val(cl, a, "p.fpts", 3); /* 3 of 7 < 3.5  -> fails */
    val(cl, a, "p.ppts", 4); /* 4 of 7 >= 3.5 -> passes */
    val(cl, a, "p.hpts", 2); /* 2 of 4 = half -> passes */

    static const struct {
        const char *id;
        bool pass;
    } want[] = {{"p.f4", false},  {"p.p4", true},   {"p.f5", false},   {"p.p5", true},
                {"p.f10", false}, {"p.p10", true},  {"p.fyn", false},  {"p.pyn", true},
                {"p.fpts", false}, {"p.ppts", true}, {"p.hpts", true}};
    sva_score s;
    compute(cl, a, &s);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        size_t i = idx(cl, want[k].id);
        bool got = sva_answer_passes(&cl->items[i], &a[i]);
        if (got != want[k].pass || s.items[i].passed != want[k].pass)
            print_error("%s (value %d): passes=%d, score passed=%d, want %d\n", want[k].id,
                        a[i].value, got, s.items[i].passed, want[k].pass);
        assert_true(got == want[k].pass);
        assert_true(s.items[i].passed == want[k].pass);
    }
    sva_score_free(&s);

    /* the ends of each scale: 0 fails, max passes */
    size_t f4 = idx(cl, "p.f4"), f10 = idx(cl, "p.f10");
    sva_answer lo = {.answered = true, .value = 0}, hi4 = {.answered = true, .value = 4},
               hi10 = {.answered = true, .value = 10};
    assert_false(sva_answer_passes(&cl->items[f4], &lo));
    assert_true(sva_answer_passes(&cl->items[f4], &hi4));
    assert_false(sva_answer_passes(&cl->items[f10], &lo));
    assert_true(sva_answer_passes(&cl->items[f10], &hi10));
    /* unanswered does not pass (score.h) */
    sva_answer none = {0};
    assert_false(sva_answer_passes(&cl->items[idx(cl, "p.pyn")], &none));

    free(a);
    sva_checklist_free(cl);
}

/* Four items: two critical. Shared by the flag and zero tests. */
#define CRIT_BODY                                                                            \
    "[section.a]\ntitle = A\n\n"                                                             \
    "[item.a.key]\nsection = a\ntext = Key\ncritical = yes\n\n"                              \
    "[item.a.other]\nsection = a\ntext = Other\nweight = 3\n\n"                              \
    "[item.a.c2]\nsection = a\ntext = C2\ncritical = yes\n\n"                                \
    "[item.a.grade]\nsection = a\ntext = Grade\nscale = 0-4\nweight = 2\ncritical = yes\n"

static void crit_answers(const sva_checklist *cl, sva_answer *a)
{
    val(cl, a, "a.key", 0);   /* critical yesno, no: fails */
    val(cl, a, "a.other", 1); /* not critical */
    val(cl, a, "a.c2", 1);    /* critical yesno, yes: passes */
    val(cl, a, "a.grade", 1); /* critical 0-4, 1 < 2: fails */
}

static void test_critical_flag(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag") CRIT_BODY);
    sva_answer *a = blank(cl);
    crit_answers(cl, a);
    sva_score s;
    compute(cl, a, &s);

    /* key 1*0 = 0 of 1; other 3*1 = 3 of 3; c2 1*1 = 1 of 1; grade 2 * 1/4 = 0.5 of 2
     * -> 4.5 of 7 -> 64.285714 % */
    assert_near(s.points, 4.5, EPS);
    assert_near(s.max, 7.0, EPS);
    assert_near(s.raw_pct, 450.0 / 7.0, EPS_R);
    /* policy flag: the score stands, the audit is FAILED */
    assert_near(s.pct, 450.0 / 7.0, EPS_R);
    assert_near(s.pct, s.raw_pct, EPS);
    assert_true(s.failed);
    /* key and grade failed; c2 passed */
    assert_int_equal(s.n_failed_critical, 2);
    assert_false(s.items[idx(cl, "a.key")].passed);
    assert_false(s.items[idx(cl, "a.grade")].passed);
    assert_true(s.items[idx(cl, "a.c2")].passed);

    sva_score_free(&s);
    free(a);
    sva_checklist_free(cl);
}

static void test_critical_zero(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("zero") CRIT_BODY);
    sva_answer *a = blank(cl);
    crit_answers(cl, a);
    sva_score s;
    compute(cl, a, &s);

    /* as in the flag test: 4.5 of 7 -> 64.285714 % before the policy */
    assert_near(s.raw_pct, 450.0 / 7.0, EPS_R);
    assert_near(s.points, 4.5, EPS);
    assert_near(s.max, 7.0, EPS);
    /* policy zero: FAILED and counts as 0 */
    assert_true(s.failed);
    assert_int_equal(s.n_failed_critical, 2);
    assert_near(s.pct, 0.0, EPS);
    sva_score_free(&s);

    /* control: same checklist, critical items passed -> no failure, pct stands:
     * key 1 of 1; other 3 of 3; c2 1 of 1; grade 2 * 2/4 = 1 of 2 -> 6 of 7 -> 85.714 % */
    val(cl, a, "a.key", 1);
    val(cl, a, "a.grade", 2);
    compute(cl, a, &s);
    assert_false(s.failed);
    assert_int_equal(s.n_failed_critical, 0);
    assert_near(s.raw_pct, 600.0 / 7.0, EPS_R);
    assert_near(s.pct, 600.0 / 7.0, EPS_R);
    sva_score_free(&s);

    free(a);
    sva_checklist_free(cl);
}

static void test_critical_na_does_not_fail(void **state)
{
    (void)state;
    static const char *const policies[] = {HEAD("flag"), HEAD("zero")};
    for (size_t p = 0; p < 2; p++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s", policies[p],
                 "[section.a]\ntitle = A\n\n"
                 "[item.a.crit]\nsection = a\ntext = Crit\ncritical = yes\nna = yes\n\n"
                 "[item.a.plain]\nsection = a\ntext = Plain\nscale = 0-4\n");
        sva_checklist *cl = mk(text);
        sva_answer *a = blank(cl);
        na(cl, a, "a.crit");
        val(cl, a, "a.plain", 3);
        sva_score s;
        compute(cl, a, &s);
        /* crit N/A: out of the score and not a failure.
         * plain 1 * 3/4 = 0.75 of 1 -> 75 %, under flag and zero alike */
        assert_false(s.failed);
        assert_int_equal(s.n_failed_critical, 0);
        assert_int_equal(s.n_na, 1);
        assert_true(s.scorable);
        assert_near(s.raw_pct, 75.0, EPS);
        assert_near(s.pct, 75.0, EPS);
        sva_score_free(&s);
        free(a);
        sva_checklist_free(cl);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pooled_item_weights),
        cmocka_unit_test(test_section_weights),
        cmocka_unit_test(test_na_left_out),
        cmocka_unit_test(test_all_na_section_drops_out),
        cmocka_unit_test(test_every_item_na_not_scorable),
        cmocka_unit_test(test_scales),
        cmocka_unit_test(test_pass_boundaries),
        cmocka_unit_test(test_critical_flag),
        cmocka_unit_test(test_critical_zero),
        cmocka_unit_test(test_critical_na_does_not_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

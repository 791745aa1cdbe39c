/* svcaudit tests: statistics for QA trends (stats.h). Every expected number is
 * worked out by hand in the comment above its assertion; python3 was used only
 * to check that arithmetic, never to produce the expected values. */
#include "testutil.h"

#include <limits.h>
#include <math.h>

#include "svcaudit/stats.h"

/* cmocka 1.1.5's assert_float_equal casts to float; compare in double. */
#define assert_near(actual, expected, eps)                                                   \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= (eps))) {                                                     \
            print_error("%s = %.15g, expected %.15g (eps %g)\n", #actual, a_, e_,            \
                        (double)(eps));                                                      \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

#define ALPHA SVA_STATS_ALPHA
#define M_PI_VALUE 3.14159265358979323846

/* ---- verdict names -------------------------------------------------------------- */

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(sva_verdict_name(SVA_VERDICT_IMPROVED), "improved");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_DECLINED), "declined");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_NO_CHANGE), "no significant change");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_INSUFFICIENT_N), "insufficient n");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_LENIENT), "lenient");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_STRICT), "strict");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_CONSISTENT), "consistent");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_IMPROVING), "improving");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_DECLINING), "declining");
    assert_string_equal(sva_verdict_name(SVA_VERDICT_STABLE), "stable");
    assert_string_equal(sva_verdict_name((sva_verdict)99), "unknown");
    assert_string_equal(sva_pchart_signal_name(SVA_PCHART_IN), "in control");
    assert_string_equal(sva_pchart_signal_name(SVA_PCHART_ABOVE), "above UCL");
    assert_string_equal(sva_pchart_signal_name(SVA_PCHART_BELOW), "below LCL");
}

/* ---- p-chart ---------------------------------------------------------------------- */

static void pchart(sva_pchart_point *pts, size_t k, sva_pchart *c)
{
    assert_int_equal(sva_stats_pchart(pts, k, c), SVA_OK);
}

/* Varying n: 40/50, 45/50, 30/40, 10/20. */
static void test_pchart_varying_n(void **state)
{
    (void)state;
    sva_pchart_point pt[4] = {{.passed = 40, .n = 50},
                              {.passed = 45, .n = 50},
                              {.passed = 30, .n = 40},
                              {.passed = 10, .n = 20}};
    sva_pchart c;
    pchart(pt, 4, &c);

    /* pbar = (40+45+30+10)/(50+50+40+20) = 125/160 = 0.78125 (= 25/32)
     * pbar (1 - pbar) = 25/32 * 7/32 = 175/1024 = 0.1708984375 */
    assert_int_equal(c.total_passed, 125);
    assert_int_equal(c.total_n, 160);
    assert_near(c.pbar, 0.78125, 1e-15);

    /* n = 50: sigma^2 = 175/1024/50 = 7/2048;
     * sigma = sqrt(7)/sqrt(2048) = 2.6457513111/45.2548339959 = 0.0584633967
     * 3 sigma = 0.1753901900
     * UCL = 0.78125 + 0.1753901900 = 0.9566401900
     * LCL = 0.78125 - 0.1753901900 = 0.6058598100 */
    for (int i = 0; i < 2; i++) {
        assert_near(pt[i].sigma, 0.0584633967, 1e-9);
        assert_near(pt[i].ucl, 0.9566401900, 1e-9);
        assert_near(pt[i].lcl, 0.6058598100, 1e-9);
        /* 50 pbar = 39.0625, 50 (1 - pbar) = 10.9375: both >= 5 */
        assert_false(pt[i].insufficient);
    }
    /* 40/50 = 0.8 and 45/50 = 0.9 lie inside [0.6059, 0.9566] */
    assert_near(pt[0].p, 0.8, 1e-15);
    assert_near(pt[1].p, 0.9, 1e-15);
    assert_int_equal(pt[0].signal, SVA_PCHART_IN);
    assert_int_equal(pt[1].signal, SVA_PCHART_IN);

    /* n = 40: sigma^2 = 175/1024/40 = 35/8192;
     * sigma = sqrt(35)/sqrt(8192) = 5.9160797831/90.5096679919 = 0.0653640646
     * 3 sigma = 0.1960921937
     * UCL = 0.78125 + 0.1960921937 = 0.9773421937
     * LCL = 0.78125 - 0.1960921937 = 0.5851578063
     * 40 pbar = 31.25, 40 (1 - pbar) = 8.75: sufficient; 30/40 = 0.75 inside */
    assert_near(pt[2].sigma, 0.0653640646, 1e-9);
    assert_near(pt[2].ucl, 0.9773421937, 1e-9);
    assert_near(pt[2].lcl, 0.5851578063, 1e-9);
    assert_near(pt[2].p, 0.75, 1e-15);
    assert_false(pt[2].insufficient);
    assert_int_equal(pt[2].signal, SVA_PCHART_IN);

    /* n = 20: sigma^2 = 175/1024/20 = 35/4096; sigma = sqrt(35)/64
     * = 5.9160797831/64 = 0.0924387466; 3 sigma = 0.2773162398
     * UCL = 0.78125 + 0.2773162398 = 1.0585662398 -> clamped to 1
     * LCL = 0.78125 - 0.2773162398 = 0.5039337602
     * 10/20 = 0.5 is BELOW the LCL, but 20 (1 - pbar) = 20 * 0.21875 = 4.375
     * < 5: insufficient, so it must not be flagged. */
    assert_near(pt[3].sigma, 0.0924387466, 1e-9);
    assert_near(pt[3].ucl, 1.0, 0.0);
    assert_near(pt[3].lcl, 0.5039337602, 1e-9);
    assert_near(pt[3].p, 0.5, 1e-15);
    assert_true(pt[3].p < pt[3].lcl);
    assert_true(pt[3].insufficient);
    assert_int_equal(pt[3].signal, SVA_PCHART_IN);
}

/* Out of control both ways: 90/100, 60/100, 75/100. */
static void test_pchart_out_of_control(void **state)
{
    (void)state;
    sva_pchart_point pt[3] = {{.passed = 90, .n = 100},
                              {.passed = 60, .n = 100},
                              {.passed = 75, .n = 100}};
    sva_pchart c;
    pchart(pt, 3, &c);
    /* pbar = 225/300 = 0.75; sigma = sqrt(0.75 * 0.25 / 100) = sqrt(3/1600)
     * = sqrt(3)/40 = 1.7320508076/40 = 0.0433012702; 3 sigma = 0.1299038106
     * UCL = 0.8799038106, LCL = 0.6200961894; 100 pbar = 75, 100 (1-pbar) = 25 */
    assert_near(c.pbar, 0.75, 1e-15);
    for (int i = 0; i < 3; i++) {
        assert_near(pt[i].ucl, 0.8799038106, 1e-9);
        assert_near(pt[i].lcl, 0.6200961894, 1e-9);
        assert_false(pt[i].insufficient);
    }
    /* 0.90 > 0.8799 -> above; 0.60 < 0.6201 -> below; 0.75 inside */
    assert_int_equal(pt[0].signal, SVA_PCHART_ABOVE);
    assert_int_equal(pt[1].signal, SVA_PCHART_BELOW);
    assert_int_equal(pt[2].signal, SVA_PCHART_IN);
}

/* LCL below zero is clamped: 6/100, 8/100. */
static void test_pchart_lcl_clamped(void **state)
{
    (void)state;
    sva_pchart_point pt[2] = {{.passed = 6, .n = 100}, {.passed = 8, .n = 100}};
    sva_pchart c;
    pchart(pt, 2, &c);
    /* pbar = 14/200 = 0.07; sigma = sqrt(0.07 * 0.93 / 100) = sqrt(0.000651)
     * = 0.0255147016; 3 sigma = 0.0765441049 > 0.07, so LCL = max(0, -0.0065) = 0;
     * UCL = 0.07 + 0.0765441049 = 0.1465441049. 100 pbar = 7 >= 5: sufficient. */
    assert_near(c.pbar, 0.07, 1e-15);
    assert_near(pt[0].lcl, 0.0, 0.0);
    assert_near(pt[0].ucl, 0.1465441049, 1e-9);
    assert_false(pt[0].insufficient);
    assert_int_equal(pt[0].signal, SVA_PCHART_IN);
}

/* n pbar = 5 exactly is sufficient, below 5 is not; exact, not floating. */
static void test_pchart_insufficient_boundary(void **state)
{
    (void)state;
    /* 5/77, 5/77: pbar = 10/154; 77 * 10/154 = 5 exactly: sufficient, although
     * 77 * (10.0/154) evaluates to 4.999999999999999 in double arithmetic.
     * 77 (1 - pbar) = 77 * 144/154 = 72. */
    sva_pchart_point at[2] = {{.passed = 5, .n = 77}, {.passed = 5, .n = 77}};
    sva_pchart c;
    pchart(at, 2, &c);
    assert_false(at[0].insufficient);
    assert_false(at[1].insufficient);

    /* 4/77, 5/77: pbar = 9/154; 77 * 9/154 = 4.5 < 5: insufficient */
    sva_pchart_point below[2] = {{.passed = 4, .n = 77}, {.passed = 5, .n = 77}};
    pchart(below, 2, &c);
    assert_true(below[0].insufficient);
    assert_true(below[1].insufficient);

    /* the other side: 72/77, 72/77: 77 (1 - pbar) = 77 * 10/154 = 5: sufficient */
    sva_pchart_point q[2] = {{.passed = 72, .n = 77}, {.passed = 72, .n = 77}};
    pchart(q, 2, &c);
    assert_false(q[0].insufficient);
    /* 73/77, 72/77: 77 (1 - pbar) = 77 * 9/154 = 4.5: insufficient */
    sva_pchart_point q2[2] = {{.passed = 73, .n = 77}, {.passed = 72, .n = 77}};
    pchart(q2, 2, &c);
    assert_true(q2[0].insufficient);

    /* pbar = 1 (everything passed): sigma 0, n (1 - pbar) = 0: insufficient;
     * an empty point (n = 0) is insufficient with limits [0, 1] */
    sva_pchart_point all[2] = {{.passed = 30, .n = 30}, {.passed = 0, .n = 0}};
    pchart(all, 2, &c);
    assert_near(c.pbar, 1.0, 0.0);
    assert_near(all[0].sigma, 0.0, 0.0);
    assert_true(all[0].insufficient);
    assert_true(all[1].insufficient);
    assert_near(all[1].lcl, 0.0, 0.0);
    assert_near(all[1].ucl, 1.0, 0.0);
    assert_int_equal(all[1].signal, SVA_PCHART_IN);

    /* no points at all: pbar 0 */
    pchart(NULL, 0, &c);
    assert_int_equal(c.total_n, 0);
    assert_near(c.pbar, 0.0, 0.0);
}

static void test_pchart_usage(void **state)
{
    (void)state;
    sva_pchart c;
    sva_pchart_point over[1] = {{.passed = 6, .n = 5}};
    assert_int_equal(sva_stats_pchart(over, 1, &c), SVA_ERR_USAGE);
    sva_pchart_point neg[1] = {{.passed = -1, .n = 5}};
    assert_int_equal(sva_stats_pchart(neg, 1, &c), SVA_ERR_USAGE);
    sva_pchart_point negn[1] = {{.passed = 0, .n = -5}};
    assert_int_equal(sva_stats_pchart(negn, 1, &c), SVA_ERR_USAGE);
    sva_pchart_point big[2] = {{.passed = 0, .n = LONG_MAX}, {.passed = 0, .n = 1}};
    assert_int_equal(sva_stats_pchart(big, 2, &c), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_pchart(NULL, 1, &c), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_pchart(over, 1, NULL), SVA_ERR_USAGE);
}

/* ---- two-proportion z-test --------------------------------------------------------- */

/* 45/60 -> 30/60. */
static void test_prop_declined_and_improved(void **state)
{
    (void)state;
    sva_prop_test r;
    assert_int_equal(sva_stats_prop_test(45, 60, 30, 60, ALPHA, &r), SVA_OK);
    /* p1 = 0.75, p2 = 0.5, diff = -0.25
     * pooled = 75/120 = 0.625; pooled (1 - pooled) = 0.625 * 0.375 = 0.234375
     * SE = sqrt(0.234375 * (1/60 + 1/60)) = sqrt(0.234375/30) = sqrt(0.0078125)
     *    = sqrt(1/128) = 1/(8 sqrt 2) = 0.0883883476
     * z = -0.25/0.0883883476 = -2 sqrt 2 = -2.8284271247
     * p = erfc(|z|/sqrt 2) = erfc(2) = 0.0046777350 (tables: erfc(2) = 0.004677735)
     * n p^ = 60 * 0.625 = 37.5, n (1 - p^) = 22.5: sufficient; p < 0.05 and
     * p2 < p1: declined */
    assert_near(r.p1, 0.75, 1e-15);
    assert_near(r.p2, 0.5, 1e-15);
    assert_near(r.diff, -0.25, 1e-15);
    assert_near(r.pooled, 0.625, 1e-15);
    assert_near(r.se, 0.0883883476, 1e-9);
    assert_near(r.z, -2.8284271247, 1e-9);
    assert_near(r.p_value, 0.0046777350, 1e-9);
    assert_false(r.insufficient);
    assert_int_equal(r.verdict, SVA_VERDICT_DECLINED);

    /* the same change the other way round: z = +2.8284271247, improved */
    assert_int_equal(sva_stats_prop_test(30, 60, 45, 60, ALPHA, &r), SVA_OK);
    assert_near(r.z, 2.8284271247, 1e-9);
    assert_near(r.p_value, 0.0046777350, 1e-9);
    assert_int_equal(r.verdict, SVA_VERDICT_IMPROVED);

    /* at alpha = 0.001 the same p = 0.00468 is not significant */
    assert_int_equal(sva_stats_prop_test(30, 60, 45, 60, 0.001, &r), SVA_OK);
    assert_int_equal(r.verdict, SVA_VERDICT_NO_CHANGE);
}

/* 45/60 -> 42/60: within noise. */
static void test_prop_no_change(void **state)
{
    (void)state;
    sva_prop_test r;
    assert_int_equal(sva_stats_prop_test(45, 60, 42, 60, ALPHA, &r), SVA_OK);
    /* pooled = 87/120 = 0.725; 0.725 * 0.275 = 0.199375
     * SE = sqrt(0.199375/30) = sqrt(0.0066458333) = 0.0815219807
     * diff = 0.7 - 0.75 = -0.05; z = -0.05/0.0815219807 = -0.6133315161
     * p = erfc(0.6133315161/1.4142135624) = erfc(0.4336846) = 0.5396571585
     * (normal table: Phi(0.6133) = 0.7302, 2 (1 - 0.7302) = 0.5397) */
    assert_near(r.se, 0.0815219807, 1e-9);
    assert_near(r.z, -0.6133315161, 1e-9);
    assert_near(r.p_value, 0.5396571585, 1e-4);
    assert_near(r.p_value, 0.5396571585, 1e-9);
    assert_int_equal(r.verdict, SVA_VERDICT_NO_CHANGE);
}

/* The rule is on the pooled p^; exactly 5 is sufficient. */
static void test_prop_insufficient_boundary(void **state)
{
    (void)state;
    sva_prop_test r;
    /* 4/20 -> 6/20: p^ = 10/40 = 0.25; n1 p^ = n2 p^ = 20 * 0.25 = 5: sufficient
     * (n (1 - p^) = 15). The change itself is noise: SE = sqrt(0.1875/10)
     * = 0.1369306394, z = 0.1/0.1369306394 = 0.7302967433 */
    assert_int_equal(sva_stats_prop_test(4, 20, 6, 20, ALPHA, &r), SVA_OK);
    assert_false(r.insufficient);
    assert_near(r.z, 0.7302967433, 1e-9);
    assert_int_equal(r.verdict, SVA_VERDICT_NO_CHANGE);

    /* 4/20 -> 5/20: p^ = 9/40 = 0.225; 20 * 0.225 = 4.5 < 5: insufficient */
    assert_int_equal(sva_stats_prop_test(4, 20, 5, 20, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);
    assert_int_equal(r.verdict, SVA_VERDICT_INSUFFICIENT_N);

    /* 5/77 -> 5/77: p^ = 10/154 and 77 * 10/154 = 5 exactly, though
     * 77 * (10.0/154) is 4.999999999999999 in double: still sufficient */
    assert_int_equal(sva_stats_prop_test(5, 77, 5, 77, ALPHA, &r), SVA_OK);
    assert_false(r.insufficient);
    assert_int_equal(r.verdict, SVA_VERDICT_NO_CHANGE);

    /* the (1 - p^) side: 16/20 -> 14/20: 1 - p^ = 10/40, 20 * 0.25 = 5: sufficient;
     * 16/20 -> 15/20: 1 - p^ = 9/40, 4.5: insufficient */
    assert_int_equal(sva_stats_prop_test(16, 20, 14, 20, ALPHA, &r), SVA_OK);
    assert_false(r.insufficient);
    assert_int_equal(sva_stats_prop_test(16, 20, 15, 20, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);

    /* unequal n: each of the four products can fail alone. n1 = 10, n2 = 90,
     * so the pooled p^ = X/100 for X = x1 + x2 passed in all.
     * X = 50: n1 p^ = 10 * 0.5 = 5 and n1 (1 - p^) = 5: both exactly 5, sufficient */
    assert_int_equal(sva_stats_prop_test(5, 10, 45, 90, ALPHA, &r), SVA_OK);
    assert_false(r.insufficient);
    /* X = 49: n1 p^ = 4.9 fails alone (n1 (1-p^) = 5.1, n2 p^ = 44.1, n2 (1-p^) = 45.9) */
    assert_int_equal(sva_stats_prop_test(5, 10, 44, 90, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);
    /* X = 51: n1 (1 - p^) = 4.9 fails alone (n1 p^ = 5.1) */
    assert_int_equal(sva_stats_prop_test(5, 10, 46, 90, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);
    /* the same with the small sample second: n1 = 90, n2 = 10;
     * X = 49: n2 p^ = 4.9 fails alone; X = 51: n2 (1 - p^) = 4.9 fails alone */
    assert_int_equal(sva_stats_prop_test(45, 90, 5, 10, ALPHA, &r), SVA_OK);
    assert_false(r.insufficient);
    assert_int_equal(sva_stats_prop_test(44, 90, 5, 10, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);
    assert_int_equal(sva_stats_prop_test(46, 90, 5, 10, ALPHA, &r), SVA_OK);
    assert_true(r.insufficient);

    /* a large but small-sample change is never reported: 1/5 -> 5/5,
     * p^ = 0.6, n1 p^ = 3 < 5. z = 0.8/sqrt(0.24 * 0.4) = 0.8/0.3098386677
     * = 2.5819888975, p = 0.0098 < 0.05, yet the verdict is insufficient n */
    assert_int_equal(sva_stats_prop_test(1, 5, 5, 5, ALPHA, &r), SVA_OK);
    assert_near(r.z, 2.5819888975, 1e-9);
    assert_true(r.p_value < ALPHA);
    assert_int_equal(r.verdict, SVA_VERDICT_INSUFFICIENT_N);

    /* an empty side: n2 = 0 -> insufficient, z 0, p 1 */
    assert_int_equal(sva_stats_prop_test(10, 20, 0, 0, ALPHA, &r), SVA_OK);
    assert_int_equal(r.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(r.z, 0.0, 0.0);
    assert_near(r.p_value, 1.0, 0.0);
    /* nothing on either side: insufficient, pooled 0 */
    assert_int_equal(sva_stats_prop_test(0, 0, 0, 0, ALPHA, &r), SVA_OK);
    assert_int_equal(r.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(r.pooled, 0.0, 0.0);
}

static void test_prop_usage(void **state)
{
    (void)state;
    sva_prop_test r;
    assert_int_equal(sva_stats_prop_test(21, 20, 5, 20, ALPHA, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(-1, 20, 5, 20, ALPHA, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(1, 20, 5, -20, ALPHA, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(1, 20, 5, 20, 0.0, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(1, 20, 5, 20, 1.0, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(1, 20, 5, 20, NAN, &r), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(1, 20, 5, 20, ALPHA, NULL), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_prop_test(0, LONG_MAX, 0, 1, ALPHA, &r), SVA_ERR_USAGE);
}

/* ---- incomplete beta and the t distribution ------------------------------------------- */

static void test_betai_closed_forms(void **state)
{
    (void)state;
    /* I_x(1, 1) = x */
    assert_near(sva_stats_betai(1, 1, 0.3), 0.3, 1e-13);
    assert_near(sva_stats_betai(1, 1, 0.85), 0.85, 1e-13);
    /* I_x(a, 1) = x^a: 0.6^2.5 = 0.36 * sqrt(0.6) = 0.36 * 0.7745966692 = 0.2788548009
     * (x = 0.6 < (a+1)/(a+b+2) = 3.5/5.5 = 0.636: the direct fraction);
     * 0.9^2.5 = 0.81 * sqrt(0.9) = 0.81 * 0.9486832981 = 0.7684334715 (the
     * symmetric branch) */
    assert_near(sva_stats_betai(2.5, 1, 0.6), 0.2788548009, 1e-9);
    assert_near(sva_stats_betai(2.5, 1, 0.9), 0.7684334715, 1e-9);
    /* I_x(1, b) = 1 - (1 - x)^b: b = 3, x = 0.2: 1 - 0.8^3 = 1 - 0.512 = 0.488 */
    assert_near(sva_stats_betai(1, 3, 0.2), 0.488, 1e-13);
    /* I_0.5(a, a) = 0.5 by symmetry, small to large a (the large ones need many
     * steps of the fraction) */
    assert_near(sva_stats_betai(0.5, 0.5, 0.5), 0.5, 1e-12);
    assert_near(sva_stats_betai(3, 3, 0.5), 0.5, 1e-12);
    assert_near(sva_stats_betai(50, 50, 0.5), 0.5, 1e-12);
    assert_near(sva_stats_betai(1e4, 1e4, 0.5), 0.5, 1e-9);
    /* integer a, b: I_p(k, n-k+1) = P(Binomial(n, p) >= k).
     * I_0.3(2, 4) = P(Bin(5, 0.3) >= 2) = 1 - 0.7^5 - 5 * 0.3 * 0.7^4
     *             = 1 - 0.16807 - 0.36015 = 0.47178 */
    assert_near(sva_stats_betai(2, 4, 0.3), 0.47178, 1e-12);
    /* ends and domain */
    assert_near(sva_stats_betai(2, 3, 0.0), 0.0, 0.0);
    assert_near(sva_stats_betai(2, 3, 1.0), 1.0, 0.0);
    assert_true(isnan(sva_stats_betai(0, 1, 0.5)));
    assert_true(isnan(sva_stats_betai(1, -1, 0.5)));
    assert_true(isnan(sva_stats_betai(1, 1, 1.5)));
    assert_true(isnan(sva_stats_betai(1, 1, NAN)));
}

static void test_t_pvalue_closed_forms(void **state)
{
    (void)state;
    /* df = 1 (Cauchy): p = 1 - (2/pi) atan|t|; t = 1.5: atan 1.5 = 0.9827937232,
     * p = 1 - 0.6366197724 * 0.9827937232 = 0.3743340836 */
    assert_near(sva_stats_t_pvalue(1.5, 1), 0.3743340836, 1e-9);
    assert_near(sva_stats_t_pvalue(-1.5, 1), 0.3743340836, 1e-9);
    /* df = 2: p = 1 - |t| / sqrt(t^2 + 2); t = 1.5: 1.5/sqrt(4.25)
     * = 1.5/2.0615528128 = 0.7276068751, p = 0.2723931249 */
    assert_near(sva_stats_t_pvalue(1.5, 2), 0.2723931249, 1e-9);
    /* df = 3 (A&S 26.7.3): p = 1 - (2/pi)(theta + sin theta cos theta),
     * theta = atan(t / sqrt 3); t = 2: theta = atan(1.1547005384) = 0.8570719479,
     * sin cos = tan/(1 + tan^2) = 1.1547005384/2.3333333333 = 0.4948716593,
     * p = 1 - 0.6366197724 * 1.3519436072 = 0.1393259686 */
    assert_near(sva_stats_t_pvalue(2, 3), 0.1393259686, 1e-9);
    /* t = 0: p = 1; infinite t: p = 0 */
    assert_near(sva_stats_t_pvalue(0, 7), 1.0, 1e-15);
    assert_near(sva_stats_t_pvalue(INFINITY, 7), 0.0, 0.0);
    /* huge df tends to the normal: erfc(1.96/sqrt 2) = 0.0499957903; the t tail
     * with df = 1e6 is larger by about 3e-7 (0.0499960681) */
    assert_near(sva_stats_z_pvalue(1.96), 0.0499957903, 1e-9);
    assert_near(sva_stats_t_pvalue(1.96, 1e6), 0.0499960681, 1e-9);
    assert_near(sva_stats_t_pvalue(1.96, 1e7), 0.0499957903, 1e-7);
    assert_true(isnan(sva_stats_t_pvalue(1, 0)));
    assert_true(isnan(sva_stats_t_pvalue(NAN, 5)));
}

/* ---- Welford ------------------------------------------------------------------------- */

static void test_summarize(void **state)
{
    (void)state;
    sva_summary s;
    /* 2 4 4 4 5 5 7 9: sum 40, mean 5; squared deviations 9 1 1 1 0 0 4 16 = 32;
     * sample variance 32/7 = 4.5714285714, sd = 2.1380899353 */
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    assert_int_equal(sva_stats_summarize(x, 8, &s), SVA_OK);
    assert_int_equal(s.n, 8);
    assert_near(s.mean, 5.0, 1e-15);
    assert_near(s.sd, 2.1380899353, 1e-9);

    /* the same shape far from zero, where sum-of-squares minus square-of-sum
     * loses every digit: 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, deviations
     * -6 -3 3 6, squares 36 9 9 36 = 90, variance 90/3 = 30, sd = sqrt 30
     * = 5.4772255751 */
    const double y[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    assert_int_equal(sva_stats_summarize(y, 4, &s), SVA_OK);
    assert_near(s.mean, 1e9 + 10, 1e-6);
    assert_near(s.sd, 5.4772255751, 1e-7);

    /* one value: sd 0; none: mean 0 */
    assert_int_equal(sva_stats_summarize(x, 1, &s), SVA_OK);
    assert_int_equal(s.n, 1);
    assert_near(s.mean, 2.0, 0.0);
    assert_near(s.sd, 0.0, 0.0);
    assert_int_equal(sva_stats_summarize(NULL, 0, &s), SVA_OK);
    assert_int_equal(s.n, 0);
    assert_near(s.mean, 0.0, 0.0);

    const double bad[] = {1, NAN};
    assert_int_equal(sva_stats_summarize(bad, 2, &s), SVA_ERR_USAGE);
    const double inf[] = {INFINITY};
    assert_int_equal(sva_stats_summarize(inf, 1, &s), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_summarize(NULL, 2, &s), SVA_ERR_USAGE);
}

static void test_acc_merge(void **state)
{
    (void)state;
    /* {2, 4, 4} merged with {4, 5, 5, 7, 9} is the whole of the array above:
     * mean 5, sd sqrt(32/7) = 2.1380899353 */
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    sva_stats_acc a, b, empty;
    sva_stats_acc_init(&a);
    sva_stats_acc_init(&b);
    sva_stats_acc_init(&empty);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sva_stats_acc_add(&a, x[i]), SVA_OK);
    for (int i = 3; i < 8; i++)
        assert_int_equal(sva_stats_acc_add(&b, x[i]), SVA_OK);
    /* the parts: {2,4,4}: mean 10/3, squares (4/3)^2 + 2 (2/3)^2 = 24/9, var 4/3 */
    sva_summary sa = sva_stats_acc_summary(&a);
    assert_near(sa.mean, 10.0 / 3.0, 1e-12);
    assert_near(sa.sd, sqrt(4.0 / 3.0), 1e-12);
    assert_int_equal(sva_stats_acc_merge(&a, &b), SVA_OK);
    assert_int_equal(sva_stats_acc_merge(&a, &empty), SVA_OK);
    sva_summary s = sva_stats_acc_summary(&a);
    assert_int_equal(s.n, 8);
    assert_near(s.mean, 5.0, 1e-12);
    assert_near(s.sd, 2.1380899353, 1e-9);
    /* merging into an empty accumulator copies */
    assert_int_equal(sva_stats_acc_merge(&empty, &a), SVA_OK);
    s = sva_stats_acc_summary(&empty);
    assert_int_equal(s.n, 8);
    assert_near(s.sd, 2.1380899353, 1e-9);
    assert_int_equal(sva_stats_acc_add(&a, NAN), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_acc_merge(NULL, &a), SVA_ERR_USAGE);
}

/* ---- Welch ----------------------------------------------------------------------------- */

/* Summaries with round numbers: 80 (sd 10, n 25) -> 86 (sd 12, n 36). */
static void test_welch_summaries(void **state)
{
    (void)state;
    sva_summary a = {80, 10, 25}, b = {86, 12, 36};
    sva_welch w;
    assert_int_equal(sva_stats_welch(&a, &b, ALPHA, &w), SVA_OK);
    /* va = 100/25 = 4, vb = 144/36 = 4; SE = sqrt 8 = 2.8284271247
     * t = 6/sqrt 8 = 3/sqrt 2 = 2.1213203436
     * df = (4 + 4)^2 / (4^2/24 + 4^2/35) = 64 / (2/3 + 16/35) = 64 / (118/105)
     *    = 6720/118 = 56.9491525424
     * p = I_{df/(df+t^2)}(df/2, 1/2), checked against a Simpson integration of
     * the t density over [0, t] (independent of the incomplete beta):
     * 1 - 2 * integral = 0.0382597454 < 0.05: improved */
    assert_near(w.diff, 6.0, 1e-12);
    assert_near(w.se, 2.8284271247, 1e-9);
    assert_near(w.t, 2.1213203436, 1e-9);
    assert_near(w.df, 56.9491525424, 1e-9);
    assert_near(w.p_value, 0.0382597454, 1e-9);
    assert_false(w.insufficient);
    assert_int_equal(w.verdict, SVA_VERDICT_IMPROVED);

    /* reversed: t = -2.1213203436, same p, declined */
    assert_int_equal(sva_stats_welch(&b, &a, ALPHA, &w), SVA_OK);
    assert_near(w.t, -2.1213203436, 1e-9);
    assert_near(w.p_value, 0.0382597454, 1e-9);
    assert_int_equal(w.verdict, SVA_VERDICT_DECLINED);

    /* at alpha = 0.01 it is noise */
    assert_int_equal(sva_stats_welch(&a, &b, 0.01, &w), SVA_OK);
    assert_int_equal(w.verdict, SVA_VERDICT_NO_CHANGE);
}

/* Raw data from R's documentation-style example (t.test, Welch by default):
 * ts1 = 11 9 10 11 10 12 9 11 12 9, ts2 = 11 13 10 13 12 9 11 12 12 11;
 * R prints t = -1.8325, df = 17.9, p-value = 0.08356 for t.test(ts1, ts2). */
static void test_welch_textbook(void **state)
{
    (void)state;
    const double ts1[] = {11, 9, 10, 11, 10, 12, 9, 11, 12, 9};
    const double ts2[] = {11, 13, 10, 13, 12, 9, 11, 12, 12, 11};
    sva_summary a, b;
    assert_int_equal(sva_stats_summarize(ts1, 10, &a), SVA_OK);
    assert_int_equal(sva_stats_summarize(ts2, 10, &b), SVA_OK);
    /* ts1: sum 104, mean 10.4; deviations .6 -1.4 -.4 .6 -.4 1.6 -1.4 .6 1.6 -1.4,
     * squares sum to 12.4, variance 12.4/9 = 1.3777777778.
     * ts2: sum 114, mean 11.4; deviations -.4 1.6 -1.4 1.6 .6 -2.4 -.4 .6 .6 -.4,
     * squares sum to 14.4, variance 14.4/9 = 1.6 */
    assert_near(a.mean, 10.4, 1e-12);
    assert_near(a.sd * a.sd, 12.4 / 9.0, 1e-12);
    assert_near(b.mean, 11.4, 1e-12);
    assert_near(b.sd * b.sd, 1.6, 1e-12);

    sva_welch w;
    assert_int_equal(sva_stats_welch(&a, &b, ALPHA, &w), SVA_OK);
    /* va = 1.3777777778/10 = 31/225, vb = 0.16 = 36/225; SE^2 = 67/225,
     * SE = sqrt(67)/15 = 8.1853527719/15 = 0.5456901848
     * t = (11.4 - 10.4)/0.5456901848 = 1.8325416653 (R: ts1 - ts2, so -1.8325)
     * df = (67/225)^2 / ((31/225)^2/9 + (36/225)^2/9) = 67^2 * 9 / (31^2 + 36^2)
     *    = 40401/2257 = 17.9003101462 (R: 17.9)
     * p = 0.0835597916 (R: 0.08356) > 0.05: no significant change */
    assert_near(w.se, 0.5456901848, 1e-9);
    assert_near(w.t, 1.8325416653, 1e-9);
    assert_near(w.df, 17.9003101462, 1e-9);
    assert_near(w.p_value, 0.08356, 5e-6);
    assert_near(w.p_value, 0.0835597916, 1e-9);
    assert_int_equal(w.verdict, SVA_VERDICT_NO_CHANGE);
    /* at 90 % confidence it is an improvement */
    assert_int_equal(sva_stats_welch(&a, &b, 0.10, &w), SVA_OK);
    assert_int_equal(w.verdict, SVA_VERDICT_IMPROVED);
}

static void test_welch_insufficient(void **state)
{
    (void)state;
    sva_welch w;
    /* n < 2 on either side */
    sva_summary one = {90, 0, 1}, many = {80, 5, 30};
    assert_int_equal(sva_stats_welch(&one, &many, ALPHA, &w), SVA_OK);
    assert_int_equal(w.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_int_equal(sva_stats_welch(&many, &one, ALPHA, &w), SVA_OK);
    assert_int_equal(w.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(w.p_value, 1.0, 0.0);
    assert_near(w.diff, 10.0, 1e-12);

    /* both sd 0: no test, even with different means */
    sva_summary flat1 = {80, 0, 10}, flat2 = {90, 0, 10};
    assert_int_equal(sva_stats_welch(&flat1, &flat2, ALPHA, &w), SVA_OK);
    assert_true(w.insufficient);
    assert_int_equal(w.verdict, SVA_VERDICT_INSUFFICIENT_N);

    /* one sd 0 is fine: a = (10, 0, 5), b = (12, 2, 4): va = 0, vb = 4/4 = 1,
     * SE = 1, t = 2, df = 1 / (0 + 1^2/3) = 3; p for t = 2, df = 3 is
     * 0.1393259686 (closed form, see test_t_pvalue_closed_forms) */
    sva_summary z = {10, 0, 5}, s = {12, 2, 4};
    assert_int_equal(sva_stats_welch(&z, &s, ALPHA, &w), SVA_OK);
    assert_false(w.insufficient);
    assert_near(w.t, 2.0, 1e-12);
    assert_near(w.df, 3.0, 1e-12);
    assert_near(w.p_value, 0.1393259686, 1e-9);
    assert_int_equal(w.verdict, SVA_VERDICT_NO_CHANGE);

    sva_summary negsd = {10, -1, 5}, nanmean = {NAN, 1, 5};
    assert_int_equal(sva_stats_welch(&negsd, &s, ALPHA, &w), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_welch(&s, &nanmean, ALPHA, &w), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_welch(&s, &s, 1.5, &w), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_welch(NULL, &s, ALPHA, &w), SVA_ERR_USAGE);
}

/* ---- auditor consistency ------------------------------------------------------------------ */

static void test_auditor(void **state)
{
    (void)state;
    sva_auditor_cmp r;
    /* others: mean 85, sd 6, n 64; auditor: sd 4, n 16.
     * v_others = 36/64 = 0.5625, v_auditor = 16/16 = 1; SE = sqrt(1.5625) = 1.25
     * df = 1.5625^2 / (0.5625^2/63 + 1^2/15) = 2.44140625 / (0.0050223214 +
     *      0.0666666667) = 2.44140625/0.0716889881 = 34.0555267255 */
    sva_summary others = {85, 6, 64};

    /* auditor mean 92: diff = 7, t = 7/1.25 = 5.6, p = 2.8e-6: lenient */
    sva_summary hi = {92, 4, 16};
    assert_int_equal(sva_stats_auditor(&hi, &others, ALPHA, &r), SVA_OK);
    assert_near(r.diff, 7.0, 1e-12);
    assert_near(r.test.t, 5.6, 1e-12);
    assert_near(r.test.df, 34.0555267255, 1e-9);
    assert_true(r.test.p_value < 1e-5);
    assert_int_equal(r.verdict, SVA_VERDICT_LENIENT);

    /* auditor mean 78: diff = -7, t = -5.6: strict */
    sva_summary lo = {78, 4, 16};
    assert_int_equal(sva_stats_auditor(&lo, &others, ALPHA, &r), SVA_OK);
    assert_near(r.diff, -7.0, 1e-12);
    assert_near(r.test.t, -5.6, 1e-12);
    assert_int_equal(r.verdict, SVA_VERDICT_STRICT);

    /* auditor mean 86: diff = 1, t = 0.8, p = 0.4292561753 (Simpson
     * integration of the t density, df 34.0555): consistent */
    sva_summary mid = {86, 4, 16};
    assert_int_equal(sva_stats_auditor(&mid, &others, ALPHA, &r), SVA_OK);
    assert_near(r.test.t, 0.8, 1e-12);
    assert_near(r.test.p_value, 0.4292561753, 1e-9);
    assert_int_equal(r.verdict, SVA_VERDICT_CONSISTENT);

    /* a single audit says nothing about an auditor */
    sva_summary single = {99, 0, 1};
    assert_int_equal(sva_stats_auditor(&single, &others, ALPHA, &r), SVA_OK);
    assert_int_equal(r.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(r.diff, 14.0, 1e-12);

    assert_int_equal(sva_stats_auditor(&mid, &others, ALPHA, NULL), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_auditor(&mid, &others, -0.1, &r), SVA_ERR_USAGE);
}

/* ---- a slope over a window --------------------------------------------------------- */

static sva_stats_reg reg_of(const double *x, const double *y, size_t n)
{
    sva_stats_reg r;
    sva_stats_reg_init(&r);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sva_stats_reg_add(&r, x[i], y[i]), SVA_OK);
    return r;
}

static void test_slope(void **state)
{
    (void)state;
    /* Three cycles, two audits each, on the line y = 81 - 10 x give or take 1:
     * (0, 80) (0, 82) (1, 70) (1, 72) (2, 60) (2, 62). mean x 1, mean y 71;
     * sxx = 2 (1 + 0 + 1) = 4; sxy = -9 - 11 + 0 + 0 - 11 - 9 = -40: slope -10;
     * syy = 81 + 121 + 1 + 1 + 121 + 81 = 406; rss = 406 - 400 = 6, df 4,
     * s^2 = 1.5, se = sqrt(1.5 / 4) = 0.6123724357, t = -16.3299316186.
     * t(0.975, 4) = 2.7764451052 (tables): CI -10 -+ 1.7002 */
    const double x[] = {0, 0, 1, 1, 2, 2}, y[] = {80, 82, 70, 72, 60, 62};
    sva_stats_reg r = reg_of(x, y, 6);
    assert_near(r.sxx, 4, 1e-12);
    assert_near(r.sxy, -40, 1e-12);
    assert_near(r.syy, 406, 1e-12);
    sva_slope s;
    assert_int_equal(sva_stats_slope(&r, 3, ALPHA, &s), SVA_OK);
    assert_near(s.slope, -10, 1e-12);
    assert_near(s.se, sqrt(0.375), 1e-12);
    assert_near(s.t, -10 / sqrt(0.375), 1e-9);
    assert_near(s.df, 4, 0);
    assert_near(s.p_value, sva_stats_t_pvalue(-10 / sqrt(0.375), 4), 1e-15);
    assert_true(s.p_value < 1e-4);
    assert_near(s.lo, -10 - 2.7764451052 * sqrt(0.375), 1e-8);
    assert_near(s.hi, -10 + 2.7764451052 * sqrt(0.375), 1e-8);
    assert_int_equal(s.verdict, SVA_VERDICT_DECLINING);
    assert_string_equal(sva_verdict_name(s.verdict), "declining");

    /* a flatter cloud: y 81 83 80 82 80 80, mean 81, deviations 0 2 -1 1 -1 -1;
     * sxy = 0 - 2 + 0 + 0 - 1 - 1 = -4, slope -1; syy = 8, rss = 8 - 4 = 4,
     * se = sqrt(4 / 4 / 4) = 0.5, t = -2 with 4 df: p = 0.1161: stable */
    const double flat[] = {81, 83, 80, 82, 80, 80};
    r = reg_of(x, flat, 6);
    assert_int_equal(sva_stats_slope(&r, 3, ALPHA, &s), SVA_OK);
    assert_near(s.slope, -1, 1e-12);
    assert_near(s.se, 0.5, 1e-12);
    assert_near(s.t, -2, 1e-12);
    assert_near(s.p_value, 0.1161, 1e-4);
    assert_int_equal(s.verdict, SVA_VERDICT_STABLE);
    /* rising: the mirror image of the first */
    const double up[] = {60, 62, 70, 72, 80, 82};
    r = reg_of(x, up, 6);
    assert_int_equal(sva_stats_slope(&r, 3, ALPHA, &s), SVA_OK);
    assert_near(s.slope, 10, 1e-12);
    assert_int_equal(s.verdict, SVA_VERDICT_IMPROVING);

    /* insufficient: two cycles; four points on one line (no residual spread);
     * three pairs; every y the same */
    r = reg_of(x, y, 4); /* x 0 0 1 1 */
    assert_int_equal(sva_stats_slope(&r, 2, ALPHA, &s), SVA_OK);
    assert_int_equal(s.verdict, SVA_VERDICT_INSUFFICIENT_N);
    assert_near(s.p_value, 1, 0);
    const double lx[] = {0, 1, 2, 3}, ly[] = {90, 80, 70, 60};
    r = reg_of(lx, ly, 4);
    assert_int_equal(sva_stats_slope(&r, 4, ALPHA, &s), SVA_OK);
    assert_near(s.slope, -10, 1e-12);
    assert_true(s.insufficient);
    r = reg_of(lx, ly, 3);
    assert_int_equal(sva_stats_slope(&r, 3, ALPHA, &s), SVA_OK);
    assert_true(s.insufficient);
    const double same[] = {75, 75, 75, 75, 75, 75};
    r = reg_of(x, same, 6);
    assert_int_equal(sva_stats_slope(&r, 3, ALPHA, &s), SVA_OK);
    assert_int_equal(s.verdict, SVA_VERDICT_INSUFFICIENT_N);

    assert_int_equal(sva_stats_reg_add(&r, NAN, 1), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_slope(&r, 3, 0, &s), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_slope(NULL, 3, ALPHA, &s), SVA_ERR_USAGE);
}

static void test_t_quantile(void **state)
{
    (void)state;
    /* df 1 (Cauchy): P(|T| >= t) = 1 - (2/pi) atan t = 0.05 -> t = tan(0.475 pi) */
    assert_near(sva_stats_t_quantile(0.05, 1), tan(0.475 * M_PI_VALUE), 1e-9);
    /* df 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2) = 0.05 -> t^2 = 0.9025 x 2 / 0.0975 */
    assert_near(sva_stats_t_quantile(0.05, 2), sqrt(1.805 / 0.0975), 1e-9);
    /* large df tends to the normal's 1.959964 */
    assert_near(sva_stats_t_quantile(0.05, 1e7), 1.959964, 1e-5);
    assert_true(isnan(sva_stats_t_quantile(0.05, 0)));
    assert_true(isnan(sva_stats_t_quantile(1.5, 3)));
}

/* ---- Benjamini-Hochberg ------------------------------------------------------------ */

static void test_bh_ties(void **state)
{
    (void)state;
    /* p 0.01 0.04 0.03 0.04 0.20 and one "no test" (NaN), family m = 5.
     * Sorted: 0.01 (rank 1), 0.03 (2), 0.04 (3), 0.04 (4), 0.20 (5);
     * m p / rank: 0.05, 0.075, 0.0667, 0.05, 0.2; running minimum from the top:
     * 0.2, 0.05, 0.05, 0.05, 0.05. The tied 0.04s share 0.05. At q = 0.05 the
     * step-up rule agrees: the largest i with p(i) <= 0.01 i is 4 (0.04 <= 0.04). */
    const double p[] = {0.01, 0.04, 0.03, 0.04, 0.20, NAN};
    double adj[6];
    bool rej[6];
    assert_int_equal(sva_stats_bh(p, 6, 5, 0.05, adj, rej), SVA_OK);
    for (int i = 0; i < 4; i++) {
        assert_near(adj[i], 0.05, 1e-15);
        assert_true(rej[i]);
    }
    assert_near(adj[4], 0.2, 1e-15);
    assert_false(rej[4]);
    assert_near(adj[5], 1, 0);
    assert_false(rej[5]);
    /* a family of 10 (5 untested, never rejected): m p / rank 0.1, 0.15, 0.133,
     * 0.1, 0.4 -> 0.1 for the four smallest: nothing at q = 0.05 */
    assert_int_equal(sva_stats_bh(p, 6, 10, 0.05, adj, rej), SVA_OK);
    assert_near(adj[0], 0.1, 1e-15);
    assert_near(adj[1], 0.1, 1e-15);
    for (int i = 0; i < 6; i++)
        assert_false(rej[i]);
    /* m smaller than the p given counts as the p given; adj never above 1 */
    const double big[] = {0.9, 0.8};
    assert_int_equal(sva_stats_bh(big, 2, 0, 0.05, adj, NULL), SVA_OK);
    assert_near(adj[0], 0.9, 1e-15); /* min(2 x 0.9 / 2, 1) */
    assert_near(adj[1], 0.9, 1e-15); /* min(2 x 0.8 / 1, 0.9) */
    const double bad[] = {1.5};
    assert_int_equal(sva_stats_bh(bad, 1, 1, 0.05, adj, rej), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_bh(p, 6, 6, 0, adj, rej), SVA_ERR_USAGE);
    assert_int_equal(sva_stats_bh(NULL, 0, 0, 0.05, NULL, NULL), SVA_OK);
}

/* ---- binomial tail ------------------------------------------------------------------ */

static void test_binom_upper(void **state)
{
    (void)state;
    /* P(X >= 2), n 3, p 1/2: (3 + 1) / 8; P(X >= 3), n 3, p 0.1: 0.001;
     * P(X >= 1), n 4, p 1/4: 1 - 0.75^4 = 0.68359375 */
    assert_near(sva_stats_binom_upper(2, 3, 0.5), 0.5, 1e-13);
    assert_near(sva_stats_binom_upper(3, 3, 0.1), 0.001, 1e-15);
    assert_near(sva_stats_binom_upper(1, 4, 0.25), 0.68359375, 1e-13);
    /* P(X >= 8), n 14, p 0.1 = sum_{k=8}^{14} C(14,k) 0.1^k 0.9^(14-k):
     * 3003 x 1e-8 x 0.531441 + 2002 x 1e-9 x 0.59049 + 1001 x 1e-10 x 0.6561
     * + 364 x 1e-11 x 0.729 + 91 x 1e-12 x 0.81 + 14 x 1e-13 x 0.9 + 1e-14
     * = 1.5959173e-5 + 1.1821610e-6 + 6.567561e-8 + 2.65356e-9 + 7.371e-11
     * + 1.26e-12 + 1e-14 = 1.72097e-5 */
    assert_near(sva_stats_binom_upper(8, 14, 0.1), 1.72097e-5, 1e-10);
    assert_near(sva_stats_binom_upper(0, 5, 0.3), 1, 0);
    assert_near(sva_stats_binom_upper(6, 5, 0.3), 0, 0);
    assert_near(sva_stats_binom_upper(1, 5, 0), 0, 0);
    assert_true(isnan(sva_stats_binom_upper(1, 5, 1.1)));
    assert_true(isnan(sva_stats_binom_upper(1, -1, 0.5)));
}

static void test_binom_runs_upper(void **state)
{
    (void)state;
    /* two cycles of 2 answers, p 1/2, each cycle with a failure: P(X >= 1) = 3/4 each,
     * so P(given) = 9/16. Both failing twice: (1/4)(1/4) = 1/16 -> P(sum >= 4 | given)
     * = 1/9. Sum 3: (1,2) or (2,1), 2 (1/2)(1/4) = 4/16 -> P(sum >= 3 | given) = 5/9. */
    const long n22[] = {2, 2};
    assert_near(sva_stats_binom_runs_upper(4, n22, 2, 0.5), 1.0 / 9, 1e-14);
    assert_near(sva_stats_binom_runs_upper(3, n22, 2, 0.5), 5.0 / 9, 1e-14);
    /* one failure a cycle is what being picked out means: no evidence */
    assert_near(sva_stats_binom_runs_upper(2, n22, 2, 0.01), 1, 0);
    const long n11[] = {1, 1};
    assert_near(sva_stats_binom_runs_upper(2, n11, 2, 0.001), 1, 0);
    /* three answers in one cycle, p 0.1: P(X >= 1) = 0.271; P(X = 3) = 0.001:
     * P(X >= 3 | X >= 1) = 0.001 / 0.271 */
    const long n3[] = {3};
    assert_near(sva_stats_binom_runs_upper(3, n3, 1, 0.1), 0.001 / 0.271, 1e-14);
    assert_near(sva_stats_binom_runs_upper(5, n22, 2, 0.5), 0, 0);
    assert_near(sva_stats_binom_runs_upper(4, n22, 2, 1), 1, 0);
    assert_true(isnan(sva_stats_binom_runs_upper(3, n22, 0, 0.5)));
    assert_true(isnan(sva_stats_binom_runs_upper(3, n22, 2, 0)));
    const long n0[] = {2, 0};
    assert_true(isnan(sva_stats_binom_runs_upper(3, n0, 2, 0.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_pchart_varying_n),
        cmocka_unit_test(test_pchart_out_of_control),
        cmocka_unit_test(test_pchart_lcl_clamped),
        cmocka_unit_test(test_pchart_insufficient_boundary),
        cmocka_unit_test(test_pchart_usage),
        cmocka_unit_test(test_prop_declined_and_improved),
        cmocka_unit_test(test_prop_no_change),
        cmocka_unit_test(test_prop_insufficient_boundary),
        cmocka_unit_test(test_prop_usage),
        cmocka_unit_test(test_betai_closed_forms),
        cmocka_unit_test(test_t_pvalue_closed_forms),
        cmocka_unit_test(test_summarize),
        cmocka_unit_test(test_acc_merge),
        cmocka_unit_test(test_welch_summaries),
        cmocka_unit_test(test_welch_textbook),
        cmocka_unit_test(test_welch_insufficient),
        cmocka_unit_test(test_auditor),
        cmocka_unit_test(test_slope),
        cmocka_unit_test(test_t_quantile),
        cmocka_unit_test(test_bh_ties),
        cmocka_unit_test(test_binom_upper),
        cmocka_unit_test(test_binom_runs_upper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

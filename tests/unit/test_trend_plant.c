/* svcaudit tests: do the QA verdicts find what is real, and only that? A
 * generator plants known effects in random data (seeded, so every run is the
 * same) and the pure QA functions (trend.h) must find each plant (recall 1.0)
 * with a precision of 0.95 or more over PLANT_SEEDS seeds; a control run with
 * the same noise and no plant must stay almost silent.
 *
 * The world of one seed: 20 stores in 4 regions, 6 cycles; per store and cycle
 * 8 audits (audit % ~ N(store level, 8), clamped to 0-100) by 2 of 6 auditors
 * (4 audits each); 30 items a store answers 8 times a cycle, each item failing
 * at its own base rate (2 % to 12 %) everywhere. Planted:
 *   - S00 slides -8 points a cycle over the last three cycles (80 72 64 56 from
 *     a level of 80, the 80.8 63.5 55.6 in size): each step is 8
 *     points, 2 of its standard errors (8 sqrt(2/8) = 4), which a single step
 *     test at alpha 0.05 mostly misses; the window's slope (about 5 points a
 *     cycle over the six, se about 0.7) does not;
 *   - S01 jumps -30 points in the last cycle (7.5 standard errors);
 *   - S02 has too few audits: one audit in each of two cycles (insufficient n);
 *   - S03's item 7 fails at a rate of 85 % in each of the last 2 cycles
 *     (a real repeat failure among the random one-off failures everywhere);
 *   - auditor A5 scores 10 points above the level, the others at it;
 *   - S04 declines 25 points in cycle 3, audited in that cycle by A0 alone:
 *     a store's change that a fair comparison must not charge to A0.
 * Scored: the store scopes of a scan (a flag: a change or a window verdict
 * that is not "no change"/"stable"/"insufficient n"), the escalated repeats,
 * the lenient or strict auditors. True flags: S00, S01 (any direction found
 * must be "declined"/"declining"), S03 item 7, A5 lenient. */
#include "testutil.h"

#include <math.h>

#ifndef PLANT_SEEDS
#define PLANT_SEEDS 20
#endif
#define M_PI_VALUE 3.14159265358979323846
#define N_STORES 20
#define N_CYCLES 6
#define AUDITS 8
#define N_AUDITORS 6
#define N_ITEMS 30
#define ANSWERS 8

static const sva_cycle CYCLES[N_CYCLES] = {
    {"c1", "2026-01-01", "2026-01-31", SVA_CYCLE_CLOSED, 1},
    {"c2", "2026-02-01", "2026-02-28", SVA_CYCLE_CLOSED, 1},
    {"c3", "2026-03-01", "2026-03-31", SVA_CYCLE_CLOSED, 1},
    {"c4", "2026-04-01", "2026-04-30", SVA_CYCLE_CLOSED, 1},
    {"c5", "2026-05-01", "2026-05-31", SVA_CYCLE_CLOSED, 1},
    {"c6", "2026-06-01", "2026-06-30", SVA_CYCLE_DO, 1},
};

static const char *const STORE[N_STORES] = {"S00", "S01", "S02", "S03", "S04", "S05", "S06",
                                            "S07", "S08", "S09", "S10", "S11", "S12", "S13",
                                            "S14", "S15", "S16", "S17", "S18", "S19"};
static const char *const REGION[4] = {"R0", "R1", "R2", "R3"};
static const char *const AUDITOR[N_AUDITORS] = {"A0", "A1", "A2", "A3", "A4", "A5"};
static const char *const ITEM[N_ITEMS] = {
    "i00", "i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08", "i09",
    "i10", "i11", "i12", "i13", "i14", "i15", "i16", "i17", "i18", "i19",
    "i20", "i21", "i22", "i23", "i24", "i25", "i26", "i27", "i28", "i29"};

/* xorshift64*, and normals by Box-Muller: the same numbers on every machine */
static unsigned long long g_rng;

static double uniform(void)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return (double)((g_rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double normal(void)
{
    double u = uniform(), v = uniform();
    return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(2.0 * M_PI_VALUE * v);
}

static double clamp(double x)
{
    return x < 0 ? 0 : x > 100 ? 100 : x;
}

typedef struct tally {
    long tp, fp, fn;
} tally;

static void add(tally *t, bool flagged, bool planted)
{
    if (flagged && planted)
        t->tp++;
    else if (flagged)
        t->fp++;
    else if (planted)
        t->fn++;
}

/* One audit of the world: store s, cycle c, by auditor a. */
typedef struct audit {
    size_t s, c, a;
    double pct;
} audit;

/* The audits of one seed; @p plant adds the planted effects, @p lenient the
 * lenient auditor (left out of the trend's world: a lenient auditor's visits
 * are real changes of a store's scores, which no trend should call noise). */
static size_t gen_audits(bool plant, bool lenient, audit *v)
{
    size_t n = 0;
    double level[N_STORES];
    for (size_t s = 0; s < N_STORES; s++)
        level[s] = 70 + 10 * uniform();
    for (size_t s = 0; s < N_STORES; s++)
        for (size_t c = 0; c < N_CYCLES; c++) {
            double mu = level[s];
            if (plant && s == 0 && c >= 3)
                mu = 80 - 8.0 * (double)(c - 2);
            if (plant && s == 0 && c < 3)
                mu = 80;
            if (plant && s == 1 && c == N_CYCLES - 1)
                mu -= 30;
            if (plant && s == 4 && c == 3)
                mu -= 30;
            size_t k = AUDITS;
            if (plant && s == 2)
                k = c == 1 || c == 4 ? 1 : 0;
            /* two auditors a cell, four audits each; S04's cycle 3 by A0 alone */
            size_t a1 = (size_t)(uniform() * N_AUDITORS) % N_AUDITORS;
            size_t a2 = (a1 + 1 + (size_t)(uniform() * (N_AUDITORS - 1))) % N_AUDITORS;
            for (size_t j = 0; j < k; j++) {
                size_t a = j % 2 ? a2 : a1;
                if (plant && s == 4 && c == 3)
                    a = 0;
                double x = mu + 8 * normal() + (lenient && a == 5 ? 10 : 0);
                v[n++] = (audit){s, c, a, clamp(x)};
            }
        }
    return n;
}

static void score_trend(const audit *v, size_t n, bool plant, tally *t)
{
    sva_series_row rows[N_STORES * N_CYCLES * AUDITS];
    for (size_t i = 0; i < n; i++)
        rows[i] = (sva_series_row){v[i].c, STORE[v[i].s], REGION[v[i].s % 4], v[i].pct, 0, 0};
    sva_diag d = {0};
    sva_trend_scopes *sc = NULL;
    assert_int_equal(sva_trend_scan_compute("ssi", NULL, CYCLES, N_CYCLES, rows, n,
                                            SVA_STATS_FDR, &sc, &d),
                     SVA_OK);
    for (size_t i = 0; i < sc->n; i++) {
        const sva_trend_scope *x = &sc->scopes[i];
        /* S04's dip in cycle 3 is real but no trend's business: not scored here */
        if (x->scope != SVA_SCOPE_STORE || (plant && strcmp(x->id, "S04") == 0))
            continue;
        bool planted = plant && (strcmp(x->id, "S00") == 0 || strcmp(x->id, "S01") == 0);
        bool down = x->change_verdict == SVA_VERDICT_DECLINED ||
                    x->window_verdict == SVA_VERDICT_DECLINING;
        bool up = x->change_verdict == SVA_VERDICT_IMPROVED ||
                  x->window_verdict == SVA_VERDICT_IMPROVING;
        if (planted && !down) {
            const sva_trend_point *lp = &x->series->points[N_CYCLES - 1];
            printf("%s missed: change %g p %g q %g; window %g p %g q %g\n", x->id, lp->change.diff,
                   lp->change.p_value, x->change_q, x->series->window.slope,
                   x->series->window.p_value, x->window_q);
        }
        /* a planted decline found as a rise would be wrong twice */
        add(t, planted ? down : down || up, planted);
        if (planted && up)
            t->fp++;
        if (plant && strcmp(x->id, "S02") == 0) {
            assert_int_equal(x->change_verdict, SVA_VERDICT_INSUFFICIENT_N);
            assert_int_equal(x->window_verdict, SVA_VERDICT_INSUFFICIENT_N);
        }
        /* the slide: no single step of it is large; the window finds it */
        if (plant && strcmp(x->id, "S00") == 0 && x->window_verdict != SVA_VERDICT_DECLINING)
        { printf("S00 slope %g se %g p %g q %g n %ld nx %ld:", x->series->window.slope, x->series->window.se, x->series->window.p_value, x->window_q, x->series->window.n, x->series->window.n_x);
            for (size_t k = 0; k < 6; k++)
                printf(" %.1f/%ld", x->series->points[k].figure.mean, x->series->points[k].figure.n);
            printf("\n");
        }
    }
    sva_trend_scopes_free(sc);
}

static void score_auditors(const audit *v, size_t n, bool plant, tally *t)
{
    sva_auditor_audit rows[N_STORES * N_CYCLES * AUDITS];
    static char cyc[N_CYCLES][4];
    for (size_t c = 0; c < N_CYCLES; c++)
        snprintf(cyc[c], sizeof cyc[c], "c%zu", c);
    /* sorted by checklist, store, cycle, auditor: the generator's order is store,
     * cycle; sort the auditors within each cell */
    for (size_t i = 0; i < n; i++)
        rows[i] = (sva_auditor_audit){"cl", STORE[v[i].s], cyc[v[i].c], AUDITOR[v[i].a], v[i].pct};
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && rows[j - 1].store == rows[j].store &&
                           rows[j - 1].cycle == rows[j].cycle &&
                           strcmp(rows[j - 1].auditor, rows[j].auditor) > 0;
             j--) {
            sva_auditor_audit tmp = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = tmp;
        }
    sva_diag d = {0};
    sva_auditor_row *r = NULL;
    size_t nr = 0;
    assert_int_equal(sva_trend_auditors_compute(rows, n, &r, &nr, &d), SVA_OK);
    for (size_t i = 0; i < nr; i++) {
        bool planted = plant && strcmp(r[i].auditor, "A5") == 0;
        bool flagged = r[i].cmp.verdict == SVA_VERDICT_LENIENT ||
                       r[i].cmp.verdict == SVA_VERDICT_STRICT;
        add(t, flagged && (!planted || r[i].cmp.verdict == SVA_VERDICT_LENIENT), planted);
        if (planted && r[i].cmp.verdict == SVA_VERDICT_STRICT)
            t->fp++;
    }
    sva_auditor_rows_free(r, nr);
}

/* Item answers per store, item and cycle; the failure rows the store side would
 * read for the repeats ending with the last cycle (walking back while failing). */
static void score_repeats(bool plant, tally *t)
{
    static long failed[N_STORES][N_ITEMS][N_CYCLES];
    double base[N_ITEMS];
    for (size_t i = 0; i < N_ITEMS; i++)
        base[i] = 0.02 + 0.10 * uniform();
    for (size_t s = 0; s < N_STORES; s++)
        for (size_t i = 0; i < N_ITEMS; i++)
            for (size_t c = 0; c < N_CYCLES; c++) {
                double p = base[i];
                if (plant && s == 3 && i == 7 && c >= N_CYCLES - 2)
                    p = 0.85;
                failed[s][i][c] = 0;
                for (int k = 0; k < ANSWERS; k++)
                    failed[s][i][c] += uniform() < p;
            }
    static sva_failure_row rows[N_STORES * N_ITEMS * N_CYCLES];
    size_t n = 0, at = N_CYCLES - 1;
    for (size_t s = 0; s < N_STORES; s++)
        for (size_t i = 0; i < N_ITEMS; i++) {
            if (!failed[s][i][at])
                continue;
            size_t first = at;
            while (first > 0 && failed[s][i][first - 1])
                first--;
            for (size_t c = first; c <= at; c++) {
                long nf = 0;
                for (size_t o = 0; o < N_STORES; o++)
                    nf += o == s ? 0 : failed[o][i][c];
                rows[n++] = (sva_failure_row){STORE[s], REGION[s % 4], "cl", ITEM[i], c,
                                              failed[s][i][c], ANSWERS, nf,
                                              (long)(N_STORES - 1) * ANSWERS, false};
            }
        }
    sva_diag d = {0};
    sva_repeat *r = NULL;
    size_t nr = 0;
    assert_int_equal(sva_trend_repeats_compute(CYCLES, N_CYCLES, at, rows, n, NULL, 0,
                                               0, SVA_STATS_FDR, &r, &nr, &d),
                     SVA_OK);
    bool found = false;
    for (size_t k = 0; k < nr; k++) {
        bool planted = plant && strcmp(r[k].store, "S03") == 0 && strcmp(r[k].item, "i07") == 0;
        found |= planted && r[k].escalate;
        if (r[k].escalate && !planted)
            t->fp++;
    }
    if (plant) {
        t->tp += found;
        t->fn += !found;
    }
    sva_repeats_free(r, nr);
}

static void run(bool plant, tally *trend, tally *rep, tally *aud)
{
    static audit v[N_STORES * N_CYCLES * AUDITS];
    for (unsigned seed = 1; seed <= PLANT_SEEDS; seed++) {
        g_rng = 0x9E3779B97F4A7C15ULL * seed + (plant ? 0 : 0x5bd1e995ULL);
        size_t n = gen_audits(plant, false, v);
        score_trend(v, n, plant, trend);
        n = gen_audits(plant, plant, v);
        score_auditors(v, n, plant, aud);
        score_repeats(plant, rep);
    }
}

static double precision(const tally *t)
{
    return t->tp + t->fp ? (double)t->tp / (double)(t->tp + t->fp) : 1.0;
}

static void test_planted(void **state)
{
    (void)state;
    tally tr = {0}, rp = {0}, au = {0};
    run(true, &tr, &rp, &au);
    tally all = {tr.tp + rp.tp + au.tp, tr.fp + rp.fp + au.fp, tr.fn + rp.fn + au.fn};
    printf("planted, %d seeds: trend tp %ld fp %ld fn %ld; repeats tp %ld fp %ld fn %ld; "
           "auditors tp %ld fp %ld fn %ld; precision %.3f, recall %.3f\n",
           PLANT_SEEDS, tr.tp, tr.fp, tr.fn, rp.tp, rp.fp, rp.fn, au.tp, au.fp, au.fn,
           precision(&all), (double)all.tp / (double)(all.tp + all.fn));
    /* every plant found in every seed */
    assert_int_equal(tr.tp, 2 * PLANT_SEEDS);
    assert_int_equal(rp.tp, PLANT_SEEDS);
    assert_int_equal(au.tp, PLANT_SEEDS);
    assert_int_equal(all.fn, 0);
    assert_true(precision(&all) >= 0.95);
}

static void test_control(void **state)
{
    (void)state;
    tally tr = {0}, rp = {0}, au = {0};
    run(false, &tr, &rp, &au);
    printf("control, %d seeds: false flags: trend %ld, repeats %ld, auditors %ld\n",
           PLANT_SEEDS, tr.fp, rp.fp, au.fp);
    /* at a 5 % false discovery rate a world with nothing in it is flagged at all in
     * about 1 seed in 20, per kind; allow that, not more */
    assert_true(tr.fp + rp.fp + au.fp <= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted),
        cmocka_unit_test(test_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* svcaudit: statistics for QA trends (stats.h), pure: no I/O, no globals.
 * The formulas and the insufficient-n rules are documented in stats.h. */
#include "svcaudit/stats.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Continued fraction of the incomplete beta: stop when a step changes the
 * value by less than BETA_EPS (relative); BETA_TINY guards divisions by 0.
 * The fraction needs O(sqrt(max(a, b))) steps, so BETA_MAXIT covers a Welch
 * df in the tens of millions. */
#define BETA_EPS 1e-15
#define BETA_TINY 1e-300
#define BETA_MAXIT 100000

const char *sva_verdict_name(sva_verdict v)
{
    switch (v) {
    case SVA_VERDICT_NO_CHANGE:
        return "no significant change";
    case SVA_VERDICT_IMPROVED:
        return "improved";
    case SVA_VERDICT_DECLINED:
        return "declined";
    case SVA_VERDICT_INSUFFICIENT_N:
        return "insufficient n";
    case SVA_VERDICT_LENIENT:
        return "lenient";
    case SVA_VERDICT_STRICT:
        return "strict";
    case SVA_VERDICT_CONSISTENT:
        return "consistent";
    case SVA_VERDICT_IMPROVING:
        return "improving";
    case SVA_VERDICT_DECLINING:
        return "declining";
    case SVA_VERDICT_STABLE:
        return "stable";
    }
    return "unknown";
}

const char *sva_pchart_signal_name(sva_pchart_signal s)
{
    switch (s) {
    case SVA_PCHART_IN:
        return "in control";
    case SVA_PCHART_ABOVE:
        return "above UCL";
    case SVA_PCHART_BELOW:
        return "below LCL";
    }
    return "unknown";
}

static bool alpha_ok(double alpha)
{
    return alpha > 0.0 && alpha < 1.0; /* false for NaN too */
}

static bool counts_ok(long x, long n)
{
    return n >= 0 && x >= 0 && x <= n;
}

/* Is n * num / den below SVA_STATS_MIN_EXPECTED? Decided exactly as
 * n * num < 5 * den in integers (den > 0, all >= 0), so that n * p = 5 is
 * never lost to rounding; long double only if a product would overflow,
 * which takes counts far beyond any audit programme. */
static bool below_min_expected(long n, long num, long den)
{
    const long long m = SVA_STATS_MIN_EXPECTED;
    if ((num == 0 || (long long)n <= LLONG_MAX / num) && (long long)den <= LLONG_MAX / m)
        return (long long)n * num < m * den;
    return (long double)n * num < (long double)m * den;
}

/* ---- p-chart ------------------------------------------------------------------ */

sva_error sva_stats_pchart(sva_pchart_point *points, size_t k, sva_pchart *out)
{
    if (!out || (!points && k > 0))
        return SVA_ERR_USAGE;
    long sp = 0, sn = 0;
    for (size_t i = 0; i < k; i++) {
        if (!counts_ok(points[i].passed, points[i].n))
            return SVA_ERR_USAGE;
        if (points[i].n > LONG_MAX - sn)
            return SVA_ERR_USAGE;
        sp += points[i].passed;
        sn += points[i].n;
    }
    out->total_passed = sp;
    out->total_n = sn;
    out->pbar = sn > 0 ? (double)sp / (double)sn : 0.0;
    double pq = out->pbar * (1.0 - out->pbar);

    for (size_t i = 0; i < k; i++) {
        sva_pchart_point *pt = &points[i];
        pt->signal = SVA_PCHART_IN;
        if (pt->n == 0) {
            pt->p = 0.0;
            pt->sigma = 0.0;
            pt->lcl = 0.0;
            pt->ucl = 1.0;
            pt->insufficient = true;
            continue;
        }
        pt->p = (double)pt->passed / (double)pt->n;
        pt->sigma = sqrt(pq / (double)pt->n);
        pt->lcl = fmax(0.0, out->pbar - 3.0 * pt->sigma);
        pt->ucl = fmin(1.0, out->pbar + 3.0 * pt->sigma);
        /* n pbar = n sp / sn and n (1 - pbar) = n (sn - sp) / sn */
        pt->insufficient = below_min_expected(pt->n, sp, sn) ||
                           below_min_expected(pt->n, sn - sp, sn);
        if (pt->insufficient)
            continue;
        if (pt->p > pt->ucl)
            pt->signal = SVA_PCHART_ABOVE;
        else if (pt->p < pt->lcl)
            pt->signal = SVA_PCHART_BELOW;
    }
    return SVA_OK;
}

/* ---- two-proportion z-test ---------------------------------------------------- */

static sva_verdict change_verdict(double p_value, double alpha, double diff)
{
    if (!(p_value < alpha) || diff == 0.0)
        return SVA_VERDICT_NO_CHANGE;
    return diff > 0.0 ? SVA_VERDICT_IMPROVED : SVA_VERDICT_DECLINED;
}

sva_error sva_stats_prop_test(long x1, long n1, long x2, long n2, double alpha,
                              sva_prop_test *out)
{
    if (!out || !alpha_ok(alpha) || !counts_ok(x1, n1) || !counts_ok(x2, n2) ||
        n1 > LONG_MAX - n2)
        return SVA_ERR_USAGE;
    long x = x1 + x2, n = n1 + n2; /* x <= n, so x cannot overflow either */

    out->p1 = n1 > 0 ? (double)x1 / (double)n1 : 0.0;
    out->p2 = n2 > 0 ? (double)x2 / (double)n2 : 0.0;
    out->diff = out->p2 - out->p1;
    out->pooled = n > 0 ? (double)x / (double)n : 0.0;
    out->se = 0.0;
    out->z = 0.0;
    out->p_value = 1.0;
    if (n1 > 0 && n2 > 0) {
        double pq = out->pooled * (1.0 - out->pooled);
        out->se = sqrt(pq * (1.0 / (double)n1 + 1.0 / (double)n2));
        if (out->se > 0.0) {
            out->z = out->diff / out->se;
            out->p_value = sva_stats_z_pvalue(out->z);
        }
    }
    /* n1 == 0 or n2 == 0 (n == 0 included) fails the rule: 0 < 5 */
    out->insufficient = n1 == 0 || n2 == 0 || below_min_expected(n1, x, n) ||
                        below_min_expected(n1, n - x, n) || below_min_expected(n2, x, n) ||
                        below_min_expected(n2, n - x, n);
    out->verdict = out->insufficient ? SVA_VERDICT_INSUFFICIENT_N
                                     : change_verdict(out->p_value, alpha, out->diff);
    return SVA_OK;
}

/* ---- Welford ------------------------------------------------------------------ */

void sva_stats_acc_init(sva_stats_acc *acc)
{
    if (!acc)
        return;
    acc->n = 0;
    acc->mean = 0.0;
    acc->m2 = 0.0;
}

sva_error sva_stats_acc_add(sva_stats_acc *acc, double x)
{
    if (!acc || !isfinite(x) || acc->n == LONG_MAX)
        return SVA_ERR_USAGE;
    acc->n++;
    double delta = x - acc->mean;
    acc->mean += delta / (double)acc->n;
    acc->m2 += delta * (x - acc->mean);
    return SVA_OK;
}

sva_error sva_stats_acc_merge(sva_stats_acc *acc, const sva_stats_acc *other)
{
    if (!acc || !other || other->n < 0 || acc->n < 0 || acc->n > LONG_MAX - other->n)
        return SVA_ERR_USAGE;
    if (other->n == 0)
        return SVA_OK;
    if (acc->n == 0) {
        *acc = *other;
        return SVA_OK;
    }
    double na = (double)acc->n, nb = (double)other->n, n = na + nb;
    double delta = other->mean - acc->mean;
    acc->mean += delta * (nb / n);
    acc->m2 += other->m2 + delta * delta * (na / n) * nb;
    acc->n += other->n;
    return SVA_OK;
}

sva_summary sva_stats_acc_summary(const sva_stats_acc *acc)
{
    sva_summary s = {0.0, 0.0, 0};
    if (!acc || acc->n <= 0)
        return s;
    s.n = acc->n;
    s.mean = acc->mean;
    s.sd = acc->n >= 2 ? sqrt(fmax(0.0, acc->m2) / (double)(acc->n - 1)) : 0.0;
    return s;
}

sva_error sva_stats_summarize(const double *x, size_t n, sva_summary *out)
{
    if (!out || (!x && n > 0) || n > (size_t)LONG_MAX)
        return SVA_ERR_USAGE;
    sva_stats_acc acc;
    sva_stats_acc_init(&acc);
    for (size_t i = 0; i < n; i++)
        if (sva_stats_acc_add(&acc, x[i]) != SVA_OK)
            return SVA_ERR_USAGE;
    *out = sva_stats_acc_summary(&acc);
    return SVA_OK;
}

/* ---- Welch -------------------------------------------------------------------- */

static bool summary_ok(const sva_summary *s)
{
    return s && s->n >= 0 && isfinite(s->mean) && isfinite(s->sd) && s->sd >= 0.0;
}

sva_error sva_stats_welch(const sva_summary *a, const sva_summary *b, double alpha,
                          sva_welch *out)
{
    if (!out || !summary_ok(a) || !summary_ok(b) || !alpha_ok(alpha))
        return SVA_ERR_USAGE;
    out->diff = b->mean - a->mean;
    out->se = 0.0;
    out->t = 0.0;
    out->df = 0.0;
    out->p_value = 1.0;
    out->insufficient = a->n < 2 || b->n < 2 || (a->sd == 0.0 && b->sd == 0.0);
    if (out->insufficient) {
        out->verdict = SVA_VERDICT_INSUFFICIENT_N;
        return SVA_OK;
    }
    /* qa^2 = va = sa^2 / na; hypot avoids overflow and underflow of the squares */
    double qa = a->sd / sqrt((double)a->n), qb = b->sd / sqrt((double)b->n);
    out->se = hypot(qa, qb);
    /* df = (va + vb)^2 / (va^2 / (na - 1) + vb^2 / (nb - 1)), divided through by
     * (va + vb)^2: 1 / (ra^2 / (na - 1) + rb^2 / (nb - 1)), r = v / (va + vb) */
    double ra = (qa / out->se) * (qa / out->se), rb = (qb / out->se) * (qb / out->se);
    out->df = 1.0 / (ra * ra / (double)(a->n - 1) + rb * rb / (double)(b->n - 1));
    out->t = out->diff / out->se;
    out->p_value = sva_stats_t_pvalue(out->t, out->df);
    out->verdict = change_verdict(out->p_value, alpha, out->diff);
    return SVA_OK;
}

sva_error sva_stats_auditor(const sva_summary *auditor, const sva_summary *others,
                            double alpha, sva_auditor_cmp *out)
{
    if (!out)
        return SVA_ERR_USAGE;
    sva_error e = sva_stats_welch(others, auditor, alpha, &out->test);
    if (e != SVA_OK)
        return e;
    out->diff = out->test.diff;
    switch (out->test.verdict) {
    case SVA_VERDICT_IMPROVED:
        out->verdict = SVA_VERDICT_LENIENT;
        break;
    case SVA_VERDICT_DECLINED:
        out->verdict = SVA_VERDICT_STRICT;
        break;
    case SVA_VERDICT_INSUFFICIENT_N:
        out->verdict = SVA_VERDICT_INSUFFICIENT_N;
        break;
    default:
        out->verdict = SVA_VERDICT_CONSISTENT;
        break;
    }
    return SVA_OK;
}

/* ---- a slope over a window ------------------------------------------------------ */

void sva_stats_reg_init(sva_stats_reg *r)
{
    if (r)
        *r = (sva_stats_reg){0, 0.0, 0.0, 0.0, 0.0, 0.0};
}

sva_error sva_stats_reg_add(sva_stats_reg *r, double x, double y)
{
    if (!r || !isfinite(x) || !isfinite(y) || r->n == LONG_MAX)
        return SVA_ERR_USAGE;
    r->n++;
    double dx = x - r->mx, dy = y - r->my;
    r->mx += dx / (double)r->n;
    r->my += dy / (double)r->n;
    /* the co-moments with one old and one new deviation: Welford's form */
    r->sxx += dx * (x - r->mx);
    r->syy += dy * (y - r->my);
    r->sxy += dx * (y - r->my);
    return SVA_OK;
}

sva_error sva_stats_slope(const sva_stats_reg *r, long n_x, double alpha, sva_slope *out)
{
    if (!r || !out || !alpha_ok(alpha) || r->n < 0 || n_x < 0)
        return SVA_ERR_USAGE;
    out->n = r->n;
    out->n_x = n_x;
    out->slope = r->sxx > 0.0 ? r->sxy / r->sxx : 0.0;
    out->se = 0.0;
    out->t = 0.0;
    out->df = 0.0;
    out->p_value = 1.0;
    out->lo = out->hi = out->slope;
    double rss = r->sxx > 0.0 ? fmax(0.0, r->syy - r->sxy * out->slope) : 0.0;
    out->insufficient = n_x < 3 || r->n < 4 || !(r->sxx > 0.0) || !(rss > 1e-12 * r->syy) ||
                        !(rss > 0.0);
    if (out->insufficient) {
        out->verdict = SVA_VERDICT_INSUFFICIENT_N;
        return SVA_OK;
    }
    out->df = (double)(r->n - 2);
    out->se = sqrt(rss / out->df / r->sxx);
    out->t = out->slope / out->se;
    out->p_value = sva_stats_t_pvalue(out->t, out->df);
    double tq = sva_stats_t_quantile(alpha, out->df);
    out->lo = out->slope - tq * out->se;
    out->hi = out->slope + tq * out->se;
    if (!(out->p_value < alpha) || out->slope == 0.0)
        out->verdict = SVA_VERDICT_STABLE;
    else
        out->verdict = out->slope > 0.0 ? SVA_VERDICT_IMPROVING : SVA_VERDICT_DECLINING;
    return SVA_OK;
}

/* ---- many tests at once ---------------------------------------------------------- */

typedef struct ranked {
    double p;
    size_t i;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

sva_error sva_stats_bh(const double *p, size_t n, size_t m, double q, double *adj,
                       bool *reject)
{
    if ((n > 0 && (!p || !adj)) || !alpha_ok(q))
        return SVA_ERR_USAGE;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue;
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            return SVA_ERR_USAGE;
        k++;
    }
    ranked *v = malloc((k ? k : 1) * sizeof *v);
    if (!v)
        return SVA_ERR_NOMEM;
    k = 0;
    for (size_t i = 0; i < n; i++) {
        adj[i] = 1.0;
        if (reject)
            reject[i] = false;
        if (!isnan(p[i]))
            v[k++] = (ranked){p[i], i};
    }
    qsort(v, k, sizeof *v, ranked_cmp);
    double mm = (double)(m > k ? m : k), run = 1.0;
    for (size_t j = k; j-- > 0;) {
        run = fmin(run, mm * v[j].p / (double)(j + 1));
        adj[v[j].i] = run;
        if (reject)
            reject[v[j].i] = run <= q;
    }
    free(v);
    return SVA_OK;
}

/* ---- binomial ------------------------------------------------------------------- */

double sva_stats_binom_upper(long x, long n, double p)
{
    if (n < 0 || !(p >= 0.0 && p <= 1.0))
        return NAN;
    if (x <= 0)
        return 1.0;
    if (x > n)
        return 0.0;
    if (p == 0.0)
        return 0.0;
    if (p == 1.0)
        return 1.0;
    /* P(X >= x) = I_p(x, n - x + 1) (A&S 26.5.24) */
    return sva_stats_betai((double)x, (double)(n - x + 1), p);
}

/* The Binomial(n, p) probabilities of 1..n into pmf[1..n], cut at X >= 1 and
 * renormalised: from the mode (one lgamma) outwards by the ratio of neighbours,
 * so a term costs a multiplication, not three lgamma calls; terms below 1e-300
 * of the mode's are left at 0. */
static void binom_cut_pmf(long n, double p, double *pmf)
{
    double q = 1.0 - p, r = p / q;
    long mode = (long)floor((double)(n + 1) * p);
    if (mode < 1)
        mode = 1;
    if (mode > n)
        mode = n;
    double lm = lgamma((double)n + 1) - lgamma((double)mode + 1) -
                lgamma((double)(n - mode) + 1) + (double)mode * log(p) +
                (double)(n - mode) * log1p(-p);
    for (long j = 0; j <= n; j++)
        pmf[j] = 0.0;
    pmf[mode] = exp(lm);
    for (long j = mode + 1; j <= n; j++) {
        pmf[j] = pmf[j - 1] * r * (double)(n - j + 1) / (double)j;
        if (pmf[j] < 1e-300 * pmf[mode])
            break;
    }
    for (long j = mode - 1; j >= 1; j--) {
        pmf[j] = pmf[j + 1] / r * (double)(j + 1) / (double)(n - j);
        if (pmf[j] < 1e-300 * pmf[mode])
            break;
    }
    double keep = -expm1((double)n * log1p(-p)); /* P(X >= 1) */
    for (long j = 1; j <= n; j++)
        pmf[j] /= keep;
}

double sva_stats_binom_runs_upper(long x, const long *n, size_t k, double p)
{
    if (k == 0 || !n || !(p > 0.0 && p <= 1.0))
        return NAN;
    long total = 0, most = 0;
    for (size_t i = 0; i < k; i++) {
        if (n[i] < 1 || n[i] > 100000 - total)
            return NAN;
        total += n[i];
        most = n[i] > most ? n[i] : most;
    }
    if (x <= (long)k)
        return 1.0; /* every X_i >= 1 makes the sum >= k */
    if (x > total)
        return 0.0;
    if (p == 1.0)
        return 1.0; /* every answer fails: the sum is the total */
    /* dist[s]: P(sum of the cycles so far = s | each >= 1), nonzero on [lo, hi] */
    double *dist = calloc((size_t)total + 1, sizeof *dist),
           *next = calloc((size_t)total + 1, sizeof *next),
           *pmf = calloc((size_t)most + 1, sizeof *pmf);
    if (!dist || !next || !pmf) {
        free(dist);
        free(next);
        free(pmf);
        return NAN;
    }
    dist[0] = 1.0;
    long lo = 0, hi = 0;
    for (size_t i = 0; i < k; i++) {
        binom_cut_pmf(n[i], p, pmf);
        long a = 1, b = n[i];
        while (a < b && pmf[a] == 0.0)
            a++;
        while (b > a && pmf[b] == 0.0)
            b--;
        for (long s = lo + a; s <= hi + b; s++)
            next[s] = 0.0;
        for (long s = lo; s <= hi; s++)
            if (dist[s] != 0.0)
                for (long j = a; j <= b; j++)
                    next[s + j] += dist[s] * pmf[j];
        for (long s = lo; s <= hi; s++)
            dist[s] = 0.0;
        lo += a;
        hi += b;
        /* drop what is negligible at either end of the support */
        double top = 0.0;
        for (long s = lo; s <= hi; s++)
            top = fmax(top, next[s]);
        while (lo < hi && next[lo] < 1e-300 * top)
            next[lo++] = 0.0;
        while (hi > lo && next[hi] < 1e-300 * top)
            next[hi--] = 0.0;
        double *t = dist;
        dist = next;
        next = t;
    }
    double tail = 0.0;
    for (long s = x > lo ? x : lo; s <= hi; s++)
        tail += dist[s];
    free(dist);
    free(next);
    free(pmf);
    return fmin(1.0, fmax(0.0, tail));
}

/* ---- distributions ------------------------------------------------------------ */

/*
 * The continued fraction for the incomplete beta (Abramowitz & Stegun 26.5.8):
 *   I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...)))
 *   d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
 *   d(2m)   = m (b - m) x / ((a + 2m - 1)(a + 2m))
 * evaluated forward with the modified Lentz method: f = 1 + d1/(1 + d2/...)
 * as a running product f = C1 D1 C2 D2 ..., with C_j = 1 + d_j / C_{j-1},
 * D_j = 1 / (1 + d_j D_{j-1}), C_0 = 1, D_0 = 0. Converges quickly when
 * x < (a + 1) / (a + b + 2).
 */
static double beta_cf(double a, double b, double x)
{
    double c = 1.0, d = 0.0, f = 1.0;
    for (int j = 1; j <= BETA_MAXIT; j++) {
        int m = j / 2;
        double dj;
        if (j % 2)
            dj = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        else
            dj = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + dj * d;
        if (fabs(d) < BETA_TINY)
            d = BETA_TINY;
        d = 1.0 / d;
        c = 1.0 + dj / c;
        if (fabs(c) < BETA_TINY)
            c = BETA_TINY;
        double step = c * d;
        f *= step;
        if (fabs(step - 1.0) < BETA_EPS)
            break;
    }
    return f;
}

/* I_x(a, b) with y = 1 - x passed in, so that a caller who knows it exactly
 * (the t p-value: t^2 / (df + t^2)) loses no digits to 1 - x. Uses
 * I_x(a, b) = 1 - I_y(b, a) where the fraction for x would converge slowly. */
static double betai_xy(double a, double b, double x, double y)
{
    if (x <= 0.0)
        return 0.0;
    if (y <= 0.0)
        return 1.0;
    double lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
    double front = exp(a * log(x) + b * log(y) - lbeta);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front / (a * beta_cf(a, b, x));
    return 1.0 - front / (b * beta_cf(b, a, y));
}

double sva_stats_betai(double a, double b, double x)
{
    if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0) || isinf(a) || isinf(b))
        return NAN;
    double r = betai_xy(a, b, x, 1.0 - x);
    return fmin(1.0, fmax(0.0, r));
}

double sva_stats_z_pvalue(double z)
{
    /* P(|Z| >= |z|) = 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2) */
    return erfc(fabs(z) / sqrt(2.0));
}

double sva_stats_t_pvalue(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (isinf(df))
        return sva_stats_z_pvalue(t);
    double t2 = t * t;
    if (isinf(t2))
        return 0.0;
    /* P(|T| >= |t|) = I_x(df/2, 1/2), x = df / (df + t^2), 1 - x = t^2 / (df + t^2) */
    double r = betai_xy(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2));
    return fmin(1.0, fmax(0.0, r));
}

double sva_stats_t_quantile(double alpha, double df)
{
    if (!alpha_ok(alpha) || !(df > 0.0))
        return NAN;
    /* p(t) = P(|T| >= t) falls from 1 at t = 0: double hi until p(hi) < alpha, then bisect */
    double lo = 0.0, hi = 1.0;
    while (sva_stats_t_pvalue(hi, df) >= alpha && hi < 1e12)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * fmax(1.0, hi); i++) {
        double mid = 0.5 * (lo + hi);
        if (sva_stats_t_pvalue(mid, df) >= alpha)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

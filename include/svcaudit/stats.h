/* svcaudit: statistics for QA trends, a pure module (no I/O, no globals):
 * p-chart, two-proportion z-test, Welch's t-test, auditor consistency, a
 * slope over a window, the Benjamini-Hochberg step-up, binomial tails. */
#ifndef SVCAUDIT_STATS_H
#define SVCAUDIT_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/error.h"

/*
 * Conventions of the whole module
 * -------------------------------
 * - Higher is better: a pass rate or an audit % that goes up is IMPROVED.
 * - "Before -> after": every two-sample call takes the earlier (or reference)
 *   sample first; differences and test statistics are after - before.
 * - alpha is the two-sided significance level, 0 < alpha < 1; a change is
 *   significant when p_value < alpha (strictly). SVA_STATS_ALPHA is the
 *   default the CLI uses (95 % confidence).
 * - The normal approximation rule ("n p >= 5 and n (1-p) >= 5") is evaluated
 *   in exact integer arithmetic: n * p = 5 exactly is SUFFICIENT, anything
 *   below 5 is INSUFFICIENT_N. An insufficient result is never reported as a
 *   change, whatever its p-value.
 * - Counts are long and must be >= 0 with passed <= n; anything else (and a
 *   NULL pointer, a non-finite mean, a negative or non-finite sd, alpha
 *   outside (0, 1)) returns SVA_ERR_USAGE and leaves *out unspecified: these
 *   numbers come from the database, so a bad one is a caller bug, not user
 *   input, and no diag is taken.
 */

/** Default significance level: 0.05 (95 % confidence). */
#define SVA_STATS_ALPHA 0.05

/** Smallest expected count for the normal approximation (n p and n (1-p)). */
#define SVA_STATS_MIN_EXPECTED 5

/** @brief The verdict on a change, a window or an auditor. Change tests give
 *  IMPROVED / DECLINED / NO_CHANGE / INSUFFICIENT_N; auditor comparisons give
 *  LENIENT / STRICT / CONSISTENT / INSUFFICIENT_N; a slope over a window gives
 *  IMPROVING / DECLINING / STABLE / INSUFFICIENT_N. */
typedef enum sva_verdict {
    SVA_VERDICT_NO_CHANGE = 0,  /**< "no significant change" */
    SVA_VERDICT_IMPROVED,       /**< "improved": significantly higher after */
    SVA_VERDICT_DECLINED,       /**< "declined": significantly lower after */
    SVA_VERDICT_INSUFFICIENT_N, /**< "insufficient n": too small a sample to say */
    SVA_VERDICT_LENIENT,        /**< "lenient": an auditor scores significantly higher */
    SVA_VERDICT_STRICT,         /**< "strict": an auditor scores significantly lower */
    SVA_VERDICT_CONSISTENT,     /**< "consistent": no significant difference */
    SVA_VERDICT_IMPROVING,      /**< "improving": a significantly rising slope */
    SVA_VERDICT_DECLINING,      /**< "declining": a significantly falling slope */
    SVA_VERDICT_STABLE          /**< "stable": no significant slope */
} sva_verdict;

/** @brief The user-facing name of @p v ("improved", "declined",
 *  "no significant change", "insufficient n", "lenient", "strict",
 *  "consistent", "improving", "declining", "stable"); "unknown" for a value
 *  outside the enum. Static, never NULL. */
const char *sva_verdict_name(sva_verdict v);

/* ---- p-chart --------------------------------------------------------------- */

/** Where a p-chart point falls against its limits. */
typedef enum sva_pchart_signal {
    SVA_PCHART_IN = 0, /**< LCL <= p <= UCL (or the point is insufficient) */
    SVA_PCHART_ABOVE,  /**< p > UCL */
    SVA_PCHART_BELOW   /**< p < LCL */
} sva_pchart_signal;

/** @brief "in control", "above UCL", "below LCL"; "unknown" otherwise. */
const char *sva_pchart_signal_name(sva_pchart_signal s);

/** One point of a p-chart (a cycle): the counts in, the rest computed. */
typedef struct sva_pchart_point {
    long passed;         /**< input: items (or sections) passed */
    long n;              /**< input: items (or sections) answered; 0 allowed */
    double p;            /**< passed / n; 0 when n == 0 */
    double sigma;        /**< sqrt(pbar (1 - pbar) / n); 0 when n == 0 */
    double lcl;          /**< max(0, pbar - 3 sigma); 0 when n == 0 */
    double ucl;          /**< min(1, pbar + 3 sigma); 1 when n == 0 */
    bool insufficient;   /**< n pbar < 5 or n (1 - pbar) < 5 (exact; 5 is enough) */
    sva_pchart_signal signal; /**< ABOVE/BELOW only when !insufficient */
} sva_pchart_point;

/** A p-chart: the centre line and the per-point limits (n may vary). */
typedef struct sva_pchart {
    long total_passed;   /**< sum of passed */
    long total_n;        /**< sum of n */
    double pbar;         /**< centre line total_passed / total_n; 0 when total_n == 0 */
} sva_pchart;

/**
 * @brief Compute a p-chart over @p k points. The caller fills passed and n
 * of points[0..k-1]; this fills the other fields of each point and @p out.
 * Limits are pbar +- 3 sqrt(pbar (1 - pbar) / n_i), clamped to [0, 1]. A
 * point with n_i pbar < 5 or n_i (1 - pbar) < 5 (e.g. pbar = 0 or 1, or
 * n_i = 0) is insufficient: its limits are still filled in, but its signal
 * stays SVA_PCHART_IN, so it is never reported as out of control.
 * @param points k points, updated in place (may be NULL when k == 0).
 * @param k number of points (0 gives pbar 0).
 * @param out the centre line.
 * @return SVA_OK; SVA_ERR_USAGE for a NULL pointer, a count < 0, passed > n,
 *         or sums that overflow a long.
 */
sva_error sva_stats_pchart(sva_pchart_point *points, size_t k, sva_pchart *out);

/* ---- two-proportion z-test ------------------------------------------------- */

/** A change in a proportion x1/n1 (before) -> x2/n2 (after). */
typedef struct sva_prop_test {
    double p1, p2;       /**< x1 / n1, x2 / n2 (0 when that n is 0) */
    double diff;         /**< p2 - p1 */
    double pooled;       /**< (x1 + x2) / (n1 + n2); 0 when both n are 0 */
    double se;           /**< sqrt(pooled (1 - pooled) (1/n1 + 1/n2)); 0 if undefined */
    double z;            /**< diff / se; 0 when se == 0 */
    double p_value;      /**< two-sided, erfc(|z| / sqrt 2); 1 when se == 0 */
    bool insufficient;   /**< the rule below failed */
    sva_verdict verdict; /**< IMPROVED, DECLINED, NO_CHANGE or INSUFFICIENT_N */
} sva_prop_test;

/**
 * @brief Two-proportion z-test (pooled) of x1/n1 -> x2/n2 at level @p alpha.
 * Insufficient n, by the POOLED proportion p^ = (x1 + x2) / (n1 + n2): when
 * any of n1 p^, n1 (1 - p^), n2 p^, n2 (1 - p^) is below 5 (exactly 5 is
 * sufficient; compared exactly as n1 (x1 + x2) < 5 (n1 + n2) and so on).
 * That includes n1 == 0 or n2 == 0 and p^ of 0 or 1. The statistic is still
 * computed when it is defined, but the verdict is INSUFFICIENT_N.
 * Otherwise IMPROVED if p_value < alpha and p2 > p1, DECLINED if p_value <
 * alpha and p2 < p1, else NO_CHANGE.
 * @return SVA_OK or SVA_ERR_USAGE (see the module conventions).
 */
sva_error sva_stats_prop_test(long x1, long n1, long x2, long n2, double alpha,
                              sva_prop_test *out);

/* ---- means: summaries, Welford, Welch ------------------------------------- */

/** A sample summarised: mean, sample standard deviation (n - 1), size. */
typedef struct sva_summary {
    double mean;         /**< 0 when n == 0 */
    double sd;           /**< sample sd with n - 1; 0 when n < 2 */
    long n;
} sva_summary;

/** A running Welford accumulator: zero-initialise (or sva_stats_acc_init),
 *  then add values one by one, e.g. while stepping through database rows. */
typedef struct sva_stats_acc {
    long n;
    double mean;
    double m2;           /**< sum of squared deviations from the running mean */
} sva_stats_acc;

/** @brief Reset @p acc to the empty sample. */
void sva_stats_acc_init(sva_stats_acc *acc);

/** @brief Add one value (Welford's update: numerically stable, one pass).
 *  @return SVA_OK; SVA_ERR_USAGE if @p acc is NULL or @p x is not finite. */
sva_error sva_stats_acc_add(sva_stats_acc *acc, double x);

/** @brief Fold @p other into @p acc, as if every value of @p other had been
 *  added to @p acc (Chan et al.'s parallel update). @return SVA_OK;
 *  SVA_ERR_USAGE for a NULL pointer or a count that would overflow. */
sva_error sva_stats_acc_merge(sva_stats_acc *acc, const sva_stats_acc *other);

/** @brief The summary (mean, sample sd with n - 1, n) of @p acc. */
sva_summary sva_stats_acc_summary(const sva_stats_acc *acc);

/**
 * @brief Mean and sample sd (n - 1) of @p x[0..n-1] by Welford's method.
 * n == 0 gives mean 0, sd 0; n == 1 gives sd 0.
 * @return SVA_OK; SVA_ERR_USAGE if @p x is NULL with n > 0, a value is not
 *         finite, or n does not fit a long.
 */
sva_error sva_stats_summarize(const double *x, size_t n, sva_summary *out);

/** Welch's unequal-variance t-test of two means, before (a) -> after (b). */
typedef struct sva_welch {
    double diff;         /**< b.mean - a.mean */
    double se;           /**< sqrt(a.sd^2 / a.n + b.sd^2 / b.n): the spread of diff */
    double t;            /**< diff / se; 0 when insufficient */
    double df;           /**< Welch-Satterthwaite; 0 when insufficient */
    double p_value;      /**< two-sided; 1 when insufficient */
    bool insufficient;   /**< a.n < 2 or b.n < 2, or both sd are 0 */
    sva_verdict verdict; /**< IMPROVED, DECLINED, NO_CHANGE or INSUFFICIENT_N */
} sva_welch;

/**
 * @brief Welch's t-test on two summaries at level @p alpha.
 * t = (b.mean - a.mean) / se with se^2 = va + vb, va = a.sd^2 / a.n,
 * vb = b.sd^2 / b.n; df = (va + vb)^2 / (va^2 / (a.n - 1) + vb^2 / (b.n - 1));
 * p = I_{df / (df + t^2)}(df / 2, 1 / 2) (see sva_stats_t_pvalue).
 * INSUFFICIENT_N when either n is below 2 (no sd) or both sd are 0 (no spread
 * at all, so no test is defined, even if the means differ); then t = df = 0
 * and p = 1. Otherwise IMPROVED / DECLINED by the sign of diff when
 * p_value < alpha, else NO_CHANGE.
 * @return SVA_OK or SVA_ERR_USAGE (see the module conventions).
 */
sva_error sva_stats_welch(const sva_summary *a, const sva_summary *b, double alpha,
                          sva_welch *out);

/* ---- auditor consistency --------------------------------------------------- */

/** One auditor's mean against the other auditors' mean on the same checklists. */
typedef struct sva_auditor_cmp {
    double diff;         /**< auditor mean - others' mean (> 0: scores higher) */
    sva_welch test;      /**< the Welch test with a = others, b = the auditor */
    sva_verdict verdict; /**< LENIENT, STRICT, CONSISTENT or INSUFFICIENT_N */
} sva_auditor_cmp;

/**
 * @brief Compare @p auditor's scores with @p others' (Welch, level @p alpha).
 * LENIENT when the auditor's mean is significantly higher, STRICT when
 * significantly lower, CONSISTENT when not significant; INSUFFICIENT_N under
 * the same rule as sva_stats_welch (either n < 2, or both sd 0).
 * @return SVA_OK or SVA_ERR_USAGE (see the module conventions).
 */
sva_error sva_stats_auditor(const sva_summary *auditor, const sva_summary *others,
                            double alpha, sva_auditor_cmp *out);

/* ---- a slope over a window ---------------------------------------------------- */

/** A running accumulator of (x, y) pairs for a least-squares line: zero it
 *  (or sva_stats_reg_init), then add pairs one by one. Co-moments are
 *  updated as Welford's, so a million pairs lose no digits to cancellation. */
typedef struct sva_stats_reg {
    long n;
    double mx, my;       /**< means of x and y */
    double sxx, syy, sxy; /**< sums of squared and cross deviations from the means */
} sva_stats_reg;

void sva_stats_reg_init(sva_stats_reg *r);
/** @return SVA_OK; SVA_ERR_USAGE for NULL, a non-finite value or a full count. */
sva_error sva_stats_reg_add(sva_stats_reg *r, double x, double y);

/** A least-squares slope with its test and confidence interval. */
typedef struct sva_slope {
    double slope;        /**< change of y per unit of x (per cycle) */
    double se;           /**< sqrt(s^2 / sxx), s^2 = residual sum of squares / (n - 2) */
    double t;            /**< slope / se; 0 when insufficient */
    double df;           /**< n - 2; 0 when insufficient */
    double p_value;      /**< two-sided; 1 when insufficient */
    double lo, hi;       /**< slope -+ t(1 - alpha/2, df) se; both = slope when insufficient */
    long n;              /**< pairs */
    long n_x;            /**< distinct x (cycles with data), as the caller counted them */
    bool insufficient;   /**< n_x < 3, n < 4, or no residual spread */
    sva_verdict verdict; /**< IMPROVING, DECLINING, STABLE or INSUFFICIENT_N */
} sva_slope;

/**
 * @brief The least-squares slope of @p r 's pairs and its t-test (H0: slope
 * 0) at level @p alpha. slope = sxy / sxx; residual sum of squares
 * syy - sxy^2 / sxx (clamped at 0); se = sqrt(rss / (n - 2) / sxx); t with
 * n - 2 degrees of freedom. INSUFFICIENT_N when @p n_x (the distinct x, which
 * the caller knows) is below 3, n below 4, or the residuals have no spread
 * (rss <= 1e-12 syy, e.g. every y equal or on one line): then t = df = 0,
 * p = 1. Otherwise IMPROVING / DECLINING by the sign of the slope when
 * p_value < alpha, else STABLE. The interval uses sva_stats_t_quantile.
 * @return SVA_OK or SVA_ERR_USAGE (see the module conventions).
 */
sva_error sva_stats_slope(const sva_stats_reg *r, long n_x, double alpha, sva_slope *out);

/* ---- many tests at once -------------------------------------------------------- */

/**
 * @brief Benjamini-Hochberg step-up over a family of @p m tests of which
 * @p n have p-values @p p[0..n-1] (the other m - n are never rejected; a NaN
 * in p means "no test": it is not counted, gets adj 1 and is not rejected).
 * With the valid p sorted p(1) <= ... <= p(k), adj(i) = min(1, min over
 * j >= i of m' p(j) / j), m' = max(m, k); ties get the same adj (the running
 * minimum from the top makes it so). reject[i] = adj[i] <= @p q: exactly the
 * step-up rule "reject the i smallest, i the largest with p(i) <= i q / m'".
 * @param adj receives the adjusted p-values (q-values); may alias nothing.
 * @param reject may be NULL.
 * @return SVA_OK; SVA_ERR_USAGE for NULL arrays with n > 0, q outside (0, 1),
 *         or a p outside [0, 1]; SVA_ERR_NOMEM.
 */
sva_error sva_stats_bh(const double *p, size_t n, size_t m, double q, double *adj,
                       bool *reject);

/** Default false discovery rate of the QA lists (repeats, item moves, auditors). */
#define SVA_STATS_FDR 0.05

/* ---- binomial ------------------------------------------------------------------- */

/** @brief P(X >= @p x) for X ~ Binomial(@p n, @p p): 1 for x <= 0, 0 for x > n,
 *  else I_p(x, n - x + 1). NaN for n < 0 or p outside [0, 1]. */
double sva_stats_binom_upper(long x, long n, double p);

/**
 * @brief P(X_1 + ... + X_k >= @p x | every X_i >= 1) for independent
 * X_i ~ Binomial(@p n[i], @p p): the evidence of a run of k cycles that were
 * picked out because each had a failure. Given that selection, a run of one
 * failure a cycle is no evidence at all (1), whatever the rate. Computed by
 * convolving the k binomials, each cut below 1 and renormalised.
 * @return the probability in [0, 1]; NaN for k == 0, an n[i] < 1, p outside
 *         (0, 1], or sums above 100,000 answers (memory).
 */
double sva_stats_binom_runs_upper(long x, const long *n, size_t k, double p);

/* ---- distributions ---------------------------------------------------------- */

/**
 * @brief The regularized incomplete beta function I_x(a, b), by its continued
 * fraction (modified Lentz), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
 * where the fraction converges faster. Accurate to about 1e-13 for a, b up
 * to a few thousand; the log-gamma terms lose digits beyond (about 1e-10 at
 * a = b = 1e5). Uses lgamma(), which sets the global signgam in glibc.
 * @return I_x(a, b) in [0, 1]; NaN when a <= 0, b <= 0, x outside [0, 1] or
 *         any argument is NaN.
 */
double sva_stats_betai(double a, double b, double x);

/** @brief Two-sided p-value of Student's t with @p df degrees of freedom:
 *  P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2). @return NaN when df <= 0 or
 *  an argument is NaN; 0 for an infinite t. */
double sva_stats_t_pvalue(double t, double df);

/** @brief Two-sided p-value of a standard normal z: erfc(|z| / sqrt 2). */
double sva_stats_z_pvalue(double z);

/** @brief The t with P(|T| >= t) = @p alpha for Student's T with @p df degrees
 *  of freedom (the 1 - alpha/2 quantile), by bisection on sva_stats_t_pvalue
 *  to 1e-12. NaN when df <= 0 or alpha is outside (0, 1). */
double sva_stats_t_quantile(double alpha, double df);

#endif

/* svcaudit bench: QA over years of history (issue 16). Generates, through the
 * library, a database of CYCLES monthly cycles of ITEMS answered items each
 * (STORES stores, EMP employees a store, 40 auditors, two auditors a store and
 * cycle), and a second database holding only its last cycle, the same audits.
 * Then, best of REPS:
 *   - the latency of each QA read on the history database (the calls behind
 *     `repeats`, `trend items`, `trend`, `auditors`, `cycle status`), each
 *     against the same call on the one-cycle database, interleaved;
 *   - `svcaudit export --data` of the last cycle from each database (./svcaudit,
 *     each run a new process: CPU time and peak RSS its own), alternated: with
 *     history it must cost no more than 1.2x the one-cycle export, in under
 *     64 MiB.
 * usage: bench_history CHECKLIST.ini CYCLES ITEMS STORES EMP REPS WORKDIR */
#define _DEFAULT_SOURCE /* wait4 */
#include <string.h>
#include <sys/wait.h>

#include "benchgen.h"

#define N_AUDITORS 40

static double cpu_of(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* Record the audits of cycle c (seeded by c, so both databases get the same). */
static void gen_cycle(sva_db *db, const sva_checklist *cl, int c, long n_audits, int stores,
                      int emp)
{
    sva_diag d;
    sva_diag_init(&d);
    char id[32], from[32], to[32];
    snprintf(id, sizeof id, "2026-%02d", c + 1);
    snprintf(from, sizeof from, "2026-%02d-01", c + 1);
    snprintf(to, sizeof to, "2026-%02d-28", c + 1);
    if (sva_db_cycle_open(db, id, from, to, &d))
        die("cycle", &d);
    sva_answer *answers = calloc(cl->n_items, sizeof *answers);
    if (!answers || sva_db_batch_begin(db, &d))
        die("batch", &d);
    rng_state = 1000003ull * (unsigned long long)(c + 1);
    for (long k = 0; k < n_audits; k++) {
        char store[32], employee[32], auditor[32], date[32];
        int s = (int)(rnd() % (unsigned)stores);
        snprintf(store, sizeof store, "S%04d", s);
        snprintf(employee, sizeof employee, "S%04d-E%02u", s, rnd() % (unsigned)emp);
        /* two auditors a store and cycle, of 40 */
        snprintf(auditor, sizeof auditor, "auditor-%02u",
                 (unsigned)((s * 7 + c * 3 + (int)(rnd() % 2)) % N_AUDITORS));
        snprintf(date, sizeof date, "2026-%02d-%02u", c + 1, 1 + rnd() % 28);
        gen_answers(cl, answers);
        sva_audit_header h = {.cycle = id, .store = store, .employee = employee,
                              .auditor = auditor, .date = date};
        const sva_audit_ready *ready;
        if (sva_audit_prepare(cl, &h, answers, &ready, &d) ||
            sva_db_audit_record(db, ready, true, NULL, &d))
            die("record", &d);
        sva_audit_ready_free(ready);
    }
    if (sva_db_batch_end(db, true, &d))
        die("commit", &d);
    free(answers);
}

/* A database of stores and employees and cycles first..last (0-based). */
static void gen_db(const char *path, const sva_checklist *cl, int first, int last,
                   long n_audits, int stores, int emp)
{
    sva_diag d;
    sva_diag_init(&d);
    unlink(path);
    sva_db *db;
    if (sva_db_open(path, SVA_DB_CREATE, &db, &d) || sva_db_batch_begin(db, &d))
        die("create", &d);
    for (int s = 0; s < stores; s++) {
        char sid[32], name[64];
        snprintf(sid, sizeof sid, "S%04d", s);
        snprintf(name, sizeof name, "Store %d", s);
        sva_store st = {sid, name, (char *)REGIONS[s % 3]};
        if (sva_db_store_add(db, &st, &d))
            die("store", &d);
        for (int e = 0; e < emp; e++) {
            char eid[32];
            snprintf(eid, sizeof eid, "S%04d-E%02d", s, e);
            sva_employee em = {eid, "Employee", sid, "sales"};
            if (sva_db_employee_add(db, &em, &d))
                die("employee", &d);
        }
    }
    if (sva_db_batch_end(db, true, &d))
        die("commit", &d);
    for (int c = first; c <= last; c++)
        gen_cycle(db, cl, c, n_audits, stores, emp);
    sva_db_close(db);
}

typedef enum read_kind { R_REPEATS, R_ITEMS, R_TREND, R_SCAN, R_AUDITORS, R_AUDITORS_ALL,
                         R_STATUS, R_EMPLOYEES, N_READS } read_kind;
static const char *const READ_NAME[N_READS] = {
    "repeats --cycle LAST", "trend items --cycle LAST", "trend (network, 6 cycles)",
    "trend scan (every store, ssi)", "auditors --cycle LAST", "auditors (all cycles)",
    "cycle status LAST", "employee ratings (3 cycles)"};

/* One read on an open database; its wall time. */
static double read_once(sva_db *db, read_kind k, const char *last)
{
    sva_diag d;
    sva_diag_init(&d);
    double t0 = now();
    sva_error rc = SVA_OK;
    switch (k) {
    case R_REPEATS: {
        sva_repeat *v = NULL;
        size_t n = 0;
        rc = sva_trend_repeats(db, last, &v, &n, &d);
        sva_repeats_free(v, n);
        break;
    }
    case R_ITEMS: {
        sva_item_moves *m = NULL;
        rc = sva_trend_items(db, last, NULL, NULL, &m, &d);
        if (rc == SVA_ERR_NOT_FOUND) /* the one-cycle database has no cycle before */
            rc = SVA_OK;
        sva_item_moves_free(m);
        break;
    }
    case R_TREND: {
        sva_trend_query q = {.metric = "ssi", .last_cycle = last, .cycles = 6};
        sva_trend *t = NULL;
        rc = sva_trend_series(db, &q, &t, &d);
        sva_trend_free(t);
        break;
    }
    case R_SCAN: {
        sva_trend_scopes *s = NULL;
        rc = sva_trend_scan(db, "ssi", NULL, last, 6, SVA_STATS_FDR, &s, &d);
        sva_trend_scopes_free(s);
        break;
    }
    case R_AUDITORS:
    case R_AUDITORS_ALL: {
        sva_auditor_row *v = NULL;
        size_t n = 0;
        rc = sva_trend_auditors(db, k == R_AUDITORS ? last : NULL, &v, &n, &d);
        sva_auditor_rows_free(v, n);
        break;
    }
    case R_STATUS: {
        sva_cycle_status *st = NULL;
        rc = sva_analysis_cycle_status(db, last, "2026-12-31", &st, &d);
        sva_cycle_status_free(st);
        break;
    }
    case R_EMPLOYEES: {
        sva_employee_ratings *r = NULL;
        rc = sva_trend_employees(db, last, 3, NULL, 2, &r, &d);
        sva_employee_ratings_free(r);
        break;
    }
    default:
        break;
    }
    double t = now() - t0;
    if (rc)
        die(READ_NAME[k], &d);
    sva_diag_clear(&d);
    return t;
}

typedef struct job {
    const char *db, *xlsx, *checklists, *cycle;
} job;

/* Run `svcaudit export --data` (the real command, ./svcaudit of the source tree) in
 * a new process: its CPU time and peak RSS (KiB), its own, not this process's. */
static void measure(const job *j, double *cpu, long *rss)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork", NULL);
    if (pid == 0) {
        setenv("SVCAUDIT_CHECKLISTS", j->checklists, 1);
        char *argv[] = {"svcaudit", "--db", (char *)j->db, "export", "--cycle",
                        (char *)j->cycle, "--data", "-o", (char *)j->xlsx, NULL};
        execv("./svcaudit", argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        die("the export failed (is ./svcaudit built?)", NULL);
    *cpu = cpu_of(&ru);
    *rss = ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: bench_history CHECKLIST.ini CYCLES ITEMS STORES EMP REPS "
                        "WORKDIR\n");
        return 2;
    }
    int cycles = atoi(argv[2]), stores = atoi(argv[4]), emp = atoi(argv[5]);
    int reps = atoi(argv[6]) > 0 ? atoi(argv[6]) : 1;
    long target = atol(argv[3]);
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl;
    if (cycles < 2 || cycles > 12 || sva_checklist_load(argv[1], &cl, &d))
        die("CYCLES 2-12 and a checklist, please", &d);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    long n_audits = (target + (long)cl->n_items - 1) / (long)cl->n_items;
    char hist[4096], one[4096], x1[4096], x2[4096], last[32];
    snprintf(hist, sizeof hist, "%s/bench-history-%d.db", argv[7], cycles);
    snprintf(one, sizeof one, "%s/bench-history-1.db", argv[7]);
    snprintf(x1, sizeof x1, "%s/bench-history.xlsx", argv[7]);
    snprintf(x2, sizeof x2, "%s/bench-history-one.xlsx", argv[7]);
    snprintf(last, sizeof last, "2026-%02d", cycles);
    /* BENCH_KEEP_DB=1 keeps (and reuses) the generated databases */
    bool keep = getenv("BENCH_KEEP_DB") != NULL;
    double t0 = now();
    if (!keep || access(hist, F_OK) != 0)
        gen_db(hist, cl, 0, cycles - 1, n_audits, stores, emp);
    if (!keep || access(one, F_OK) != 0)
        gen_db(one, cl, cycles - 1, cycles - 1, n_audits, stores, emp);
    printf("history: %d cycles of %ld audits (%ld answered items each, %ld in all), %d stores, "
           "%d employees, %d auditors; generated in %.0f s\n",
           cycles, n_audits, n_audits * (long)cl->n_items,
           n_audits * (long)cl->n_items * cycles, stores, stores * emp, N_AUDITORS, now() - t0);

    /* the reads, interleaved: history, one cycle, ... best of reps */
    sva_db *dh, *d1;
    if (sva_db_open(hist, SVA_DB_EXISTING, &dh, &d) || sva_db_open(one, SVA_DB_EXISTING, &d1, &d))
        die("open", &d);
    int status = 0;
    printf("  %-32s %10s %10s   target\n", "read (library call)", "history", "1 cycle");
    for (int k = 0; k < N_READS; k++) {
        double bh = 1e9, b1 = 1e9;
        for (int r = 0; r < reps; r++) {
            double t = read_once(dh, (read_kind)k, last);
            bh = t < bh ? t : bh;
            t = read_once(d1, (read_kind)k, last);
            b1 = t < b1 ? t : b1;
        }
        bool timed = k != R_SCAN && k != R_EMPLOYEES;
        printf("  %-32s %9.3fs %9.3fs   %s\n", READ_NAME[k], bh, b1,
               !timed ? "(information)" : bh < 1.0 ? "< 1 s OK" : "< 1 s MISSED");
        if (timed && bh >= 1.0)
            status = 1;
    }
    sva_db_close(dh);
    sva_db_close(d1);

    /* the export of the last cycle, alternated, best of reps (CPU time) */
    job jh = {hist, x1, dir, last}, j1 = {one, x2, dir, last};
    double ch = 1e9, c1 = 1e9;
    long mh = 0, m1 = 0;
    for (int r = 0; r < reps; r++) {
        double c;
        long m;
        measure(&jh, &c, &m);
        ch = c < ch ? c : ch;
        mh = m > mh ? m : mh;
        measure(&j1, &c, &m);
        c1 = c < c1 ? c : c1;
        m1 = m > m1 ? m : m1;
    }
    double ratio = ch / c1;
    printf("  export --data of %s, %d cycles behind it  %7.2f s CPU   peak RSS %4ld MiB\n", last,
           cycles, ch, mh / 1024);
    printf("  export --data of %s, alone                %7.2f s CPU   peak RSS %4ld MiB\n", last,
           c1, m1 / 1024);
    printf("  ratio history/one cycle: %.2fx (target <= 1.20x) %s\n", ratio,
           ratio <= 1.2 ? "OK" : "MISSED");
    printf("  export peak RSS with history: %ld MiB (target < 64 MiB) %s\n", mh / 1024,
           mh < 64 * 1024 ? "OK" : "MISSED");
    if (ratio > 1.2 || mh >= 64 * 1024)
        status = 1;
    unlink(x1);
    unlink(x2);
    if (!keep) {
        unlink(hist);
        unlink(one);
    }
    sva_checklist_free(cl);
    return status;
}

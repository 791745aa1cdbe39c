/* svcaudit bench: PostgreSQL against SQLite, in the same run (issue 15).
 *   record: the same generated audits recorded through the library
 *           (sva_audit_prepare, sva_db_audit_record, one batch) into a new
 *           SQLite file and into a new PostgreSQL schema;
 *   export: a cycle of ITEMS answered items (1,000 stores, 20,000 employees)
 *           generated into SQLite and copied into PostgreSQL (sva_db_copy,
 *           timed too), then the workbook with --data from each, in child
 *           processes, best of REPS alternated runs, with each one's peak RSS.
 * Prints each time and the ratio PostgreSQL / SQLite (target <= 2x for both),
 * and the export's peak memory from each (PostgreSQL's no more than SQLite's).
 * usage: bench_pg CHECKLIST.ini ITEMS REPS WORKDIR POSTGRESQL_URL */
#define _DEFAULT_SOURCE /* wait4: the child's own peak memory */
#include <string.h>
#include <sys/wait.h>

#include "benchgen.h"

#define REC_STORES 100
#define REC_EMP 5
#define EXP_STORES 1000
#define EXP_EMP 20

/* Record n_audits audits (the generator from rng_state 42) into a new
 * database at @p target; the time taken. */
static double record(const char *target, const sva_checklist *cl, long n_audits)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = gen_setup(target, REC_STORES, REC_EMP);
    sva_answer *answers = calloc(cl->n_items, sizeof *answers);
    rng_state = 42;
    double t0 = now();
    if (!answers || sva_db_batch_begin(db, &d))
        die("batch", &d);
    for (long k = 0; k < n_audits; k++) {
        char store[32], emp[32], auditor[32];
        int s = (int)(rnd() % REC_STORES);
        snprintf(store, sizeof store, "S%04d", s);
        snprintf(emp, sizeof emp, "S%04d-E%02u", s, rnd() % REC_EMP);
        snprintf(auditor, sizeof auditor, "auditor-%ld", k);
        gen_answers(cl, answers);
        sva_audit_header h = {.cycle = "2026-11", .store = store, .employee = emp,
                              .auditor = auditor, .date = "2026-11-15"};
        const sva_audit_ready *ready;
        if (sva_audit_prepare(cl, &h, answers, &ready, &d) ||
            sva_db_audit_record(db, ready, false, NULL, &d))
            die("record", &d);
        sva_audit_ready_free(ready);
    }
    if (sva_db_batch_end(db, true, &d))
        die("commit", &d);
    double t = now() - t0;
    sva_db_close(db);
    free(answers);
    return t;
}

typedef struct job {
    const char *db, *xlsx, *checklists;
} job;

static int run_export(void *p)
{
    job *j = p;
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db;
    if (sva_db_open(j->db, SVA_DB_EXISTING, &db, &d))
        die("open", &d);
    const char *dirs[] = {j->checklists};
    sva_catalog *cat;
    if (sva_catalog_open(dirs, 1, &cat, &d))
        die("catalog", &d);
    sva_export_opts o = {.cycle = "2026-11", .path = j->xlsx, .data = true,
                         .employees = SVA_PRIVACY_FULL, .min_audits = 2, .trend_cycles = 6,
                         .cat = cat};
    if (sva_export_workbook(db, &o, &d))
        die("export", &d);
    sva_catalog_free(cat);
    sva_db_close(db);
    return 0;
}

/* Run fn(arg) in a child; its wall time and peak RSS (KiB). */
static int measure(int (*fn)(void *), void *arg, double *secs, long *rss_kib)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(fn(arg));
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *secs = now() - t0;
    *rss_kib = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void verdict(const char *what, double ratio)
{
    printf("  ratio PostgreSQL/SQLite %s time: %.2fx (target <= 2.00x) %s\n", what, ratio,
           ratio <= 2.0 ? "OK" : "MISSED");
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_pg CHECKLIST.ini ITEMS REPS WORKDIR POSTGRESQL_URL\n");
        return 2;
    }
    long target = atol(argv[2]);
    int reps = atoi(argv[3]);
    const char *work = argv[4], *pg = argv[5];
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl;
    if (sva_checklist_load(argv[1], &cl, &d))
        die("cannot load the checklist", &d);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    long n_audits = (target + (long)cl->n_items - 1) / (long)cl->n_items;
    long items = n_audits * (long)cl->n_items;
    int status = 0;
    char lite[4096], url[4096];

    /* 1. recording, alternated: SQLite, PostgreSQL, ... best of reps */
    double t_lite = 1e9, t_pg = 1e9;
    for (int k = 0; k < reps; k++) {
        snprintf(lite, sizeof lite, "%s/bench-pg-record.db", work);
        snprintf(url, sizeof url, "%s%sschema=bench_record_%d_%d", pg,
                 strchr(pg, '?') ? "&" : "?", (int)getpid(), k);
        double t = record(lite, cl, n_audits);
        t_lite = t < t_lite ? t : t_lite;
        unlink(lite);
        t = record(url, cl, n_audits);
        t_pg = t < t_pg ? t : t_pg;
    }
    printf("record: %ld audits, %ld item results (%s), one batch, best of %d\n", n_audits, items,
           cl->id, reps);
    printf("  SQLite      %8.0f item results/s  (%.2f s)\n", (double)items / t_lite, t_lite);
    printf("  PostgreSQL  %8.0f item results/s  (%.2f s)\n", (double)items / t_pg, t_pg);
    verdict("record", t_pg / t_lite);
    status |= t_pg / t_lite > 2.0;
    fflush(stdout);

    /* 2. the export of one cycle: the same data in both (copied) */
    snprintf(lite, sizeof lite, "%s/bench-pg-export.db", work);
    snprintf(url, sizeof url, "%s%sschema=bench_export_%d", pg, strchr(pg, '?') ? "&" : "?",
             (int)getpid());
    rng_state = 7;
    sva_db *db = gen_setup(lite, EXP_STORES, EXP_EMP);
    gen_audits(db, cl, n_audits, EXP_STORES, EXP_EMP);
    sva_db_close(db);
    double t0 = now();
    sva_copy_stats st;
    if (sva_db_copy(lite, url, &st, &d))
        die("copy into PostgreSQL", &d);
    double t_copy = now() - t0;
    char x1[4096], x2[4096];
    snprintf(x1, sizeof x1, "%s/bench-pg-lite.xlsx", work);
    snprintf(x2, sizeof x2, "%s/bench-pg-pg.xlsx", work);
    job jl = {lite, x1, dir}, jp = {url, x2, dir};
    double e_lite = 1e9, e_pg = 1e9;
    long m_lite = 0, m_pg = 0;
    for (int k = 0; k < reps; k++) {
        double t;
        long m;
        if (measure(run_export, &jl, &t, &m) != 0)
            die("the export from SQLite failed", NULL);
        e_lite = t < e_lite ? t : e_lite;
        m_lite = m > m_lite ? m : m_lite;
        if (measure(run_export, &jp, &t, &m) != 0)
            die("the export from PostgreSQL failed", NULL);
        e_pg = t < e_pg ? t : e_pg;
        m_pg = m > m_pg ? m : m_pg;
    }
    printf("export --data: %d stores, %d employees, %ld audits, %ld answered items, best of %d\n",
           EXP_STORES, EXP_STORES * EXP_EMP, n_audits, items, reps);
    printf("  copy SQLite -> PostgreSQL  %7.2f s  (%zu rows)\n", t_copy, st.rows);
    printf("  from SQLite      %7.2f s   peak RSS %4ld MiB\n", e_lite, m_lite / 1024);
    printf("  from PostgreSQL  %7.2f s   peak RSS %4ld MiB\n", e_pg, m_pg / 1024);
    verdict("export", e_pg / e_lite);
    /* the same workbook from either engine: PostgreSQL's rows arrive one at a
     * time (single-row mode), so it must not need more memory than SQLite */
    printf("  export peak RSS from PostgreSQL: %ld MiB, from SQLite %ld MiB (target: no more) %s\n",
           m_pg / 1024, m_lite / 1024, m_pg <= m_lite ? "OK" : "MISSED");
    status |= e_pg / e_lite > 2.0 || m_pg > m_lite;
    unlink(lite);
    unlink(x1);
    unlink(x2);
    sva_checklist_free(cl);
    return status;
}

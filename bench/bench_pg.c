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
 *   merge:  a laptop of LAPTOP_ITEMS item results (100,000), packed from an
 *           office of ITEMS and recording more, merged (sva_db_merge) into
 *           a fresh copy of the office in SQLite and in PostgreSQL (copied
 *           there with sva_db_copy, not timed), alternated, best of REPS.
 * usage: bench_pg CHECKLIST.ini ITEMS REPS WORKDIR POSTGRESQL_URL [PARTS]
 * (PARTS: any of record, export, merge, comma-separated; all by default) */
#define _DEFAULT_SOURCE /* wait4: the child's own peak memory */
#include <string.h>
#include <sys/wait.h>

#include "benchgen.h"
#include "svcaudit/sync.h"

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

/* Merge the laptop into the office at @p target; the time taken. */
static double merge_into(const char *target, const char *laptop, long n_lap)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db;
    if (sva_db_open(target, SVA_DB_EXISTING, &db, &d))
        die("office copy", &d);
    sva_merge_stats st;
    double t0 = now();
    if (sva_db_merge(db, laptop, &st, &d))
        die("merge", &d);
    double t = now() - t0;
    sva_db_close(db);
    if (st.audits_added != (size_t)n_lap) {
        fprintf(stderr, "bench: merge added %zu audits, want %ld\n", st.audits_added, n_lap);
        exit(3);
    }
    return t;
}

/* 3. merge: a laptop of LAPTOP_ITEMS into an office of n_off audits, in
 * SQLite and in PostgreSQL; 1 when the ratio misses 2x. */
#define LAPTOP_ITEMS 100000
static int bench_merge(const sva_checklist *cl, long n_off, int reps, const char *work,
                       const char *pg)
{
    sva_diag d;
    sva_diag_init(&d);
    char office[4096], laptop[4096], lite[4096], url[4096];
    snprintf(office, sizeof office, "%s/bench-pg-office.db", work);
    snprintf(laptop, sizeof laptop, "%s/bench-pg-laptop.db", work);
    snprintf(lite, sizeof lite, "%s/bench-pg-merge.db", work);
    long n_lap = (LAPTOP_ITEMS + (long)cl->n_items - 1) / (long)cl->n_items;
    gen_office_laptop(cl, office, laptop, n_off, n_lap, REC_STORES, REC_EMP);
    double m_lite = 1e9, m_pg = 1e9;
    for (int k = 0; k < reps; k++) {
        bench_copy_file(office, lite);
        double t = merge_into(lite, laptop, n_lap);
        m_lite = t < m_lite ? t : m_lite;
        unlink(lite);
        snprintf(url, sizeof url, "%s%sschema=bench_merge_%d_%d", pg,
                 strchr(pg, '?') ? "&" : "?", (int)getpid(), k);
        sva_copy_stats st;
        if (sva_db_copy(office, url, &st, &d))
            die("copy the office into PostgreSQL", &d);
        t = merge_into(url, laptop, n_lap);
        m_pg = t < m_pg ? t : m_pg;
    }
    long items = n_lap * (long)cl->n_items;
    printf("merge: a laptop of %ld audits (%ld item results) into an office of %ld audits"
           " (%ld item results), best of %d\n",
           n_lap, items, n_off, n_off * (long)cl->n_items, reps);
    printf("  into SQLite      %8.0f item results/s  (%.2f s)\n", (double)items / m_lite, m_lite);
    printf("  into PostgreSQL  %8.0f item results/s  (%.2f s)\n", (double)items / m_pg, m_pg);
    verdict("merge", m_pg / m_lite);
    unlink(office);
    unlink(laptop);
    return m_pg / m_lite > 2.0;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: bench_pg CHECKLIST.ini ITEMS REPS WORKDIR POSTGRESQL_URL"
                        " [record,export,merge]\n");
        return 2;
    }
    const char *parts = argc == 7 ? argv[6] : "record,export,merge";
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
    if (strstr(parts, "record")) {
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
        printf("record: %ld audits, %ld item results (%s), one batch, best of %d\n", n_audits,
               items, cl->id, reps);
        printf("  SQLite      %8.0f item results/s  (%.2f s)\n", (double)items / t_lite, t_lite);
        printf("  PostgreSQL  %8.0f item results/s  (%.2f s)\n", (double)items / t_pg, t_pg);
        verdict("record", t_pg / t_lite);
        status |= t_pg / t_lite > 2.0;
        fflush(stdout);
    }

    /* 2. the export of one cycle: the same data in both (copied) */
    if (strstr(parts, "export")) {
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
        printf("export --data: %d stores, %d employees, %ld audits, %ld answered items,"
               " best of %d\n",
               EXP_STORES, EXP_STORES * EXP_EMP, n_audits, items, reps);
        printf("  copy SQLite -> PostgreSQL  %7.2f s  (%zu rows)\n", t_copy, st.rows);
        printf("  from SQLite      %7.2f s   peak RSS %4ld MiB\n", e_lite, m_lite / 1024);
        printf("  from PostgreSQL  %7.2f s   peak RSS %4ld MiB\n", e_pg, m_pg / 1024);
        verdict("export", e_pg / e_lite);
        /* the same workbook from either engine: PostgreSQL's rows arrive one at a
         * time (single-row mode), so it must not need more memory than SQLite */
        printf("  export peak RSS from PostgreSQL: %ld MiB, from SQLite %ld MiB (target: no more)"
               " %s\n",
               m_pg / 1024, m_lite / 1024, m_pg <= m_lite ? "OK" : "MISSED");
        status |= e_pg / e_lite > 2.0 || m_pg > m_lite;
        unlink(lite);
        unlink(x1);
        unlink(x2);
        fflush(stdout);
    }

    if (strstr(parts, "merge"))
        status |= bench_merge(cl, n_audits, reps, work, pg);
    sva_checklist_free(cl);
    return status;
}

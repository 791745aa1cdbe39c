/* svcaudit bench: the deterministic data generator shared by the benchmarks
 * (xorshift64*, fixed seeds: the same data on every run and machine). */
#ifndef SVA_BENCHGEN_H
#define SVA_BENCHGEN_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "svcaudit/svcaudit.h"

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

static inline unsigned rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 2685821657736338717ull) >> 33);
}

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copy the database file @p from to @p to (its -wal and -shm beside @p to
 * removed first, so the copy is not read with a stale log); exit 3 on an
 * I/O error. */
static inline void bench_copy_file(const char *from, const char *to)
{
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", to);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", to);
    unlink(side);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        fprintf(stderr, "bench: cannot copy %s to %s\n", from, to);
        exit(3);
    }
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            exit(3);
    fclose(in);
    if (fclose(out) != 0)
        exit(3);
}

static inline void die(const char *what, sva_diag *d)
{
    fprintf(stderr, "bench: %s\n", what);
    char buf[1024];
    for (size_t i = 0; d && i < d->n; i++) {
        sva_diag_format(d, i, buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
    exit(3);
}

/* Answers for one audit: mostly passing, some failures, N/A where allowed. */
static inline void gen_answers(const sva_checklist *cl, sva_answer *a)
{
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        a[i].answered = true;
        a[i].na = it->na && rnd() % 10 == 0;
        a[i].value = rnd() % 100 < 80 ? it->scale.max
                                      : (int)(rnd() % (unsigned)(it->scale.max + 1));
        a[i].note = it->evidence != SVA_EVIDENCE_NONE ? "observed by the shopper" : NULL;
        a[i].evidence = NULL;
    }
}

static const char *const REGIONS[] = {"East", "North", "South"};

/* A new database at path with one cycle, n_stores stores and emp employees each. */
static inline sva_db *gen_setup(const char *path, int n_stores, int emp)
{
    unlink(path);
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db;
    if (sva_db_open(path, SVA_DB_CREATE, &db, &d))
        die("cannot create the database", &d);
    if (sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d))
        die("cycle", &d);
    sva_db_batch_begin(db, &d);
    for (int s = 0; s < n_stores; s++) {
        char id[32], name[64];
        snprintf(id, sizeof id, "S%04d", s);
        snprintf(name, sizeof name, "Store %d", s);
        sva_store st = {id, name, (char *)REGIONS[s % 3]};
        if (sva_db_store_add(db, &st, &d))
            die("store", &d);
        for (int e = 0; e < emp; e++) {
            char eid[32];
            snprintf(eid, sizeof eid, "S%04d-E%02d", s, e);
            sva_employee em = {eid, "Employee", id, "sales"};
            if (sva_db_employee_add(db, &em, &d))
                die("employee", &d);
        }
    }
    if (sva_db_batch_end(db, true, &d))
        die("commit", &d);
    return db;
}

/* Record n_audits generated audits of cl (one batch); auditor names unique. */
static inline void gen_audits(sva_db *db, const sva_checklist *cl, long n_audits, int n_stores, int emp)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_answer *answers = calloc(cl->n_items, sizeof *answers);
    if (!answers || sva_db_batch_begin(db, &d))
        die("batch", &d);
    for (long k = 0; k < n_audits; k++) {
        char store[32], employee[32], auditor[32];
        int s = (int)(rnd() % (unsigned)n_stores);
        snprintf(store, sizeof store, "S%04d", s);
        snprintf(employee, sizeof employee, "S%04d-E%02u", s, rnd() % (unsigned)emp);
        snprintf(auditor, sizeof auditor, "auditor-%ld", k);
        gen_answers(cl, answers);
        sva_audit_header h = {.cycle = "2026-11", .store = store, .employee = employee,
                              .auditor = auditor, .date = "2026-11-15"};
        const sva_audit_ready *ready;
        if (sva_audit_prepare(cl, &h, answers, &ready, &d) ||
            sva_db_audit_record(db, ready, false, NULL, &d))
            die("record", &d);
        sva_audit_ready_free(ready);
    }
    if (sva_db_batch_end(db, true, &d))
        die("commit", &d);
    free(answers);
}

/* An office of @p n_off audits at @p office and a laptop packed from it at
 * @p laptop that then recorded @p n_lap audits of its own (the merge
 * benches' pair; fixed seeds: the same files every run). */
static inline void gen_office_laptop(const sva_checklist *cl, const char *office,
                                     const char *laptop, long n_off, long n_lap, int n_stores,
                                     int emp)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = gen_setup(office, n_stores, emp);
    rng_state = 42;
    gen_audits(db, cl, n_off, n_stores, emp);
    unlink(laptop);
    if (sva_db_pack(db, laptop, "laptop", NULL, NULL, &d))
        die("pack", &d);
    sva_db_close(db);
    if (sva_db_open(laptop, SVA_DB_EXISTING, &db, &d))
        die("laptop", &d);
    rng_state = 4242;
    gen_audits(db, cl, n_lap, n_stores, emp);
    sva_db_close(db);
}

#endif

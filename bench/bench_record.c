/* svcaudit bench: recording speed. A deterministic generator makes stores,
 * employees and audits and records them through the library (sva_audit_prepare
 * then sva_db_audit_record, inside one batch); the baseline inserts the same
 * rows (audit, answers, section scores) with a bare prepared-statement loop in
 * one transaction into a database of the same schema, in the same run. Prints
 * the ratio and peak RSS.
 * usage: bench_record CHECKLIST.ini ITEM_RESULTS WORKDIR */
#include <sqlite3.h>

#include <string.h>

#include "benchgen.h"

/* The checklist version the bare loop's audits point at (named columns: the
 * table grows with the schema). */
#define RAW_VERSION_SQL                                                                       \
    "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at)"          \
    " VALUES('h', 'x', 1, X'00', '2026-11-15')"

#define N_STORES 100
#define EMP_PER_STORE 5

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_record CHECKLIST.ini ITEM_RESULTS WORKDIR\n");
        return 2;
    }
    long target = atol(argv[2]);
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl;
    if (sva_checklist_load(argv[1], &cl, &d))
        die("cannot load the checklist", &d);
    long n_audits = (target + (long)cl->n_items - 1) / (long)cl->n_items;
    long items = n_audits * (long)cl->n_items;
    char lib_path[4096], raw_path[4096];
    snprintf(lib_path, sizeof lib_path, "%s/bench-lib.db", argv[3]);
    snprintf(raw_path, sizeof raw_path, "%s/bench-raw.db", argv[3]);
    sva_answer *answers = calloc(cl->n_items, sizeof *answers);

    /* 1. through the library */
    sva_db *db = gen_setup(lib_path, N_STORES, EMP_PER_STORE);
    rng_state = 42;
    double t0 = now();
    if (sva_db_batch_begin(db, &d))
        die("batch", &d);
    for (long k = 0; k < n_audits; k++) {
        char store[32], emp[32];
        int s = (int)(rnd() % N_STORES);
        snprintf(store, sizeof store, "S%04d", s);
        snprintf(emp, sizeof emp, "S%04d-E%02u", s, rnd() % EMP_PER_STORE);
        gen_answers(cl, answers);
        char auditor[32]; /* unique, so no audit is a duplicate of another */
        snprintf(auditor, sizeof auditor, "auditor-%ld", k);
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
    double t_lib = now() - t0;
    sva_db_close(db);

    /* 2. the raw baseline: same schema, same rows, bare prepared statements */
    db = gen_setup(raw_path, N_STORES, EMP_PER_STORE);
    sva_db_close(db);
    sqlite3 *h;
    sqlite3_open(raw_path, &h);
    sqlite3_exec(h, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (sqlite3_exec(h, RAW_VERSION_SQL, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot store the bare loop's checklist version: %s\n", sqlite3_errmsg(h));
        exit(1);
    }
    sqlite3_stmt *qa, *qi, *qs;
    sqlite3_prepare_v2(h,
                       "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"
                       " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct,"
                       " raw_pct, failed, n_failed_critical, n_items, n_na, points, max_points,"
                       " recorded_at, feeds, fingerprint) VALUES(?1, 'h', 'x', 1, '2026-11', ?2,"
                       " ?3, 'bench', '2026-11-15', 1, ?4, ?4, 0, 0, ?5, 0, 1, 1, '2026-11-15',"
                       " 'ssi', ?6)",
                       -1, &qa, NULL);
    sqlite3_prepare_v2(h,
                       "INSERT INTO answer(audit_id, item_no, item_id, section_id, value,"
                       " points, max_points, passed, note, evidence)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1, 1, ?7, '')",
                       -1, &qi, NULL);
    sqlite3_prepare_v2(h,
                       "INSERT INTO section_score(audit_id, section_id, scorable, pct, points,"
                       " max_points) VALUES(?1, ?2, 1, 50, 1, 2)",
                       -1, &qs, NULL);
    rng_state = 42;
    t0 = now();
    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (long k = 0; k < n_audits; k++) {
        char store[32], emp[32], uuid[40];
        int s = (int)(rnd() % N_STORES);
        snprintf(store, sizeof store, "S%04d", s);
        snprintf(emp, sizeof emp, "S%04d-E%02u", s, rnd() % EMP_PER_STORE);
        /* random-looking keys, like the library's UUIDs and fingerprints */
        snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-8%03x-%08x%04x", rnd(), rnd() & 0xffff,
                 rnd() & 0xfff, rnd() & 0xfff, rnd(), rnd() & 0xffff);
        char fp[72];
        snprintf(fp, sizeof fp, "%08x%08x%08x%08x%08x%08x%08x%08x", rnd(), rnd(), rnd(), rnd(),
                 rnd(), rnd(), rnd(), rnd());
        gen_answers(cl, answers);
        sqlite3_reset(qa);
        sqlite3_bind_text(qa, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 2, store, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 3, emp, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(qa, 4, 80.0);
        sqlite3_bind_int64(qa, 5, (sqlite3_int64)cl->n_items);
        sqlite3_bind_text(qa, 6, fp, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(qa) != SQLITE_DONE) {
            fprintf(stderr, "raw insert failed: %s\n", sqlite3_errmsg(h));
            return 3;
        }
        sqlite3_int64 id = sqlite3_last_insert_rowid(h);
        for (size_t i = 0; i < cl->n_items; i++) {
            sqlite3_reset(qi);
            sqlite3_bind_int64(qi, 1, id);
            sqlite3_bind_int64(qi, 2, (sqlite3_int64)i);
            sqlite3_bind_text(qi, 3, cl->items[i].id, -1, SQLITE_STATIC);
            sqlite3_bind_text(qi, 4, cl->sections[cl->items[i].section].id, -1, SQLITE_STATIC);
            sqlite3_bind_int(qi, 5, answers[i].value);
            sqlite3_bind_double(qi, 6, 1.0);
            sqlite3_bind_text(qi, 7, answers[i].note ? answers[i].note : "", -1, SQLITE_STATIC);
            if (sqlite3_step(qi) != SQLITE_DONE) {
                fprintf(stderr, "raw insert failed: %s\n", sqlite3_errmsg(h));
                return 3;
            }
        }
        for (size_t sct = 0; sct < cl->n_sections; sct++) {
            sqlite3_reset(qs);
            sqlite3_bind_int64(qs, 1, id);
            sqlite3_bind_text(qs, 2, cl->sections[sct].id, -1, SQLITE_STATIC);
            sqlite3_step(qs);
        }
    }
    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    double t_raw = now() - t0;
    sqlite3_finalize(qa);
    sqlite3_finalize(qi);
    sqlite3_finalize(qs);
    sqlite3_close(h);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double ratio = t_lib / t_raw;
    printf("record: %ld audits, %ld item results (%s, %zu items each)\n", n_audits, items, cl->id,
           cl->n_items);
    printf("  library   %8.0f item results/s\n", (double)items / t_lib);
    printf("  raw SQLite%8.0f item results/s\n", (double)items / t_raw);
    printf("  ratio library/raw time: %.2fx (target <= 2.00x) %s\n", ratio,
           ratio <= 2.0 ? "OK" : "MISSED");
    printf("  peak RSS: %ld MiB\n", ru.ru_maxrss / 1024);
    unlink(lib_path);
    unlink(raw_path);
    free(answers);
    sva_checklist_free(cl);
    return ratio <= 2.0 ? 0 : 1;
}

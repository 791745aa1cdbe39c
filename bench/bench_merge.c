/* svcaudit bench: merging a laptop into an office (issue 14). An office of
 * OFFICE_ITEMS answered items and a laptop packed from it that then records
 * LAPTOP_ITEMS more (the deterministic generator, 100 stores, 5 employees
 * each); each repetition merges the laptop into a fresh copy of the office
 * with sva_db_merge (the file opened untrusted, its schema compared, every
 * row checked, every audit scored again from its answers and stored
 * checklist text, versions and conflicts), and the baseline copies the same
 * rows (audits, answers, section scores) from the laptop into another fresh
 * copy with a bare SQLite loop: a prepared SELECT on the attached file, each
 * value bound to a prepared INSERT, one transaction. The best of REPS runs of
 * each; prints the ratio (target <= 2.00x) and peak RSS.
 * usage: bench_merge CHECKLIST.ini OFFICE_ITEMS LAPTOP_ITEMS REPS WORKDIR */
#include <sqlite3.h>

#include <string.h>

#include "benchgen.h"

#define N_STORES 100
#define EMP_PER_STORE 5

static void must(int rc, sqlite3 *h, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench: raw %s: %s\n", what, sqlite3_errmsg(h));
        exit(3);
    }
}

/* Copy the table's rows for one audit (or every audit: @p sel without a
 * parameter) column by column. */
static void copy_rows(sqlite3 *h, sqlite3_stmt *sel, sqlite3_stmt *ins, int ncols,
                      sqlite3_int64 new_id)
{
    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, new_id);
        for (int i = 1; i < ncols; i++)
            sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i));
        must(sqlite3_step(ins), h, "insert");
    }
    must(rc, h, "select");
}

/* The bare loop: every audit of the laptop, its answers and section scores. */
static double raw_copy(const char *office, const char *laptop)
{
    sqlite3 *h;
    char sql[4300];
    snprintf(sql, sizeof sql, "ATTACH 'file:%s?mode=ro' AS l", laptop);
    if (sqlite3_open_v2(office, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
        exit(3);
    sqlite3_exec(h, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    must(sqlite3_exec(h, sql, NULL, NULL, NULL), h, "attach");
    static const char AUDIT_COLS[] =
        "uuid, checklist_hash, checklist_id, checklist_version, feeds, cycle_id, store_id,"
        " employee_id, auditor, audit_date, scorable, pct, raw_pct, failed, n_failed_critical,"
        " n_items, n_na, points, max_points, recorded_at, voided_at, void_reason, fingerprint,"
        " n_answered, n_passed, item_marks";
    sqlite3_stmt *sa, *ia, *sn, *in, *ss, *is;
    snprintf(sql, sizeof sql, "SELECT id, %s FROM l.audit ORDER BY id", AUDIT_COLS);
    must(sqlite3_prepare_v2(h, sql, -1, &sa, NULL), h, "prepare");
    snprintf(sql, sizeof sql,
             "INSERT INTO main.audit(%s) VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
             " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
             AUDIT_COLS);
    must(sqlite3_prepare_v2(h, sql, -1, &ia, NULL), h, "prepare");
    must(sqlite3_prepare_v2(h,
                            "SELECT audit_id, item_no, item_id, section_id, value, points,"
                            " max_points, passed, note, evidence FROM l.answer WHERE audit_id = ?1",
                            -1, &sn, NULL),
         h, "prepare");
    must(sqlite3_prepare_v2(h,
                            "INSERT INTO main.answer(audit_id, item_no, item_id, section_id,"
                            " value, points, max_points, passed, note, evidence)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                            -1, &in, NULL),
         h, "prepare");
    must(sqlite3_prepare_v2(h,
                            "SELECT audit_id, section_id, scorable, pct, points, max_points"
                            " FROM l.section_score WHERE audit_id = ?1",
                            -1, &ss, NULL),
         h, "prepare");
    must(sqlite3_prepare_v2(h,
                            "INSERT INTO main.section_score(audit_id, section_id, scorable,"
                            " pct, points, max_points) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                            -1, &is, NULL),
         h, "prepare");
    double t0 = now();
    must(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), h, "begin");
    int rc;
    while ((rc = sqlite3_step(sa)) == SQLITE_ROW) {
        sqlite3_reset(ia);
        for (int i = 1; i <= 26; i++)
            sqlite3_bind_value(ia, i + 1, sqlite3_column_value(sa, i));
        must(sqlite3_step(ia), h, "insert audit");
        sqlite3_int64 id = sqlite3_last_insert_rowid(h), old = sqlite3_column_int64(sa, 0);
        sqlite3_reset(sn);
        sqlite3_bind_int64(sn, 1, old);
        copy_rows(h, sn, in, 10, id);
        sqlite3_reset(ss);
        sqlite3_bind_int64(ss, 1, old);
        copy_rows(h, ss, is, 6, id);
    }
    must(rc, h, "select audits");
    must(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), h, "commit");
    double t = now() - t0;
    sqlite3_finalize(sa);
    sqlite3_finalize(ia);
    sqlite3_finalize(sn);
    sqlite3_finalize(in);
    sqlite3_finalize(ss);
    sqlite3_finalize(is);
    sqlite3_close(h);
    return t;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_merge CHECKLIST.ini OFFICE_ITEMS LAPTOP_ITEMS REPS"
                        " WORKDIR\n");
        return 2;
    }
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl;
    if (sva_checklist_load(argv[1], &cl, &d))
        die("cannot load the checklist", &d);
    long n_off = (atol(argv[2]) + (long)cl->n_items - 1) / (long)cl->n_items;
    long n_lap = (atol(argv[3]) + (long)cl->n_items - 1) / (long)cl->n_items;
    int reps = atoi(argv[4]);
    char office[4096], laptop[4096], work[4096];
    snprintf(office, sizeof office, "%s/merge-office.db", argv[5]);
    snprintf(laptop, sizeof laptop, "%s/merge-laptop.db", argv[5]);
    snprintf(work, sizeof work, "%s/merge-work.db", argv[5]);

    gen_office_laptop(cl, office, laptop, n_off, n_lap, N_STORES, EMP_PER_STORE);
    sva_db *db;

    double best_lib = 1e30, best_raw = 1e30;
    for (int r = 0; r < reps; r++) {
        bench_copy_file(office, work);
        if (sva_db_open(work, SVA_DB_EXISTING, &db, &d))
            die("office copy", &d);
        sva_merge_stats st;
        double t0 = now();
        if (sva_db_merge(db, laptop, &st, &d))
            die("merge", &d);
        double t = now() - t0;
        sva_db_close(db);
        if (st.audits_added != (size_t)n_lap) {
            fprintf(stderr, "bench: merge added %zu audits, want %ld\n", st.audits_added, n_lap);
            return 3;
        }
        if (t < best_lib)
            best_lib = t;
        bench_copy_file(office, work);
        t = raw_copy(work, laptop);
        if (t < best_raw)
            best_raw = t;
    }
    unlink(work);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double ratio = best_lib / best_raw;
    long items = n_lap * (long)cl->n_items;
    printf("merge: a laptop of %ld audits (%ld item results) into an office of %ld audits"
           " (%ld item results), %s; best of %d\n",
           n_lap, items, n_off, n_off * (long)cl->n_items, cl->id, reps);
    printf("  merge (checked, scored again) %6.2f s  %8.0f item results/s\n", best_lib,
           (double)items / best_lib);
    printf("  raw SQLite copy loop          %6.2f s  %8.0f item results/s\n", best_raw,
           (double)items / best_raw);
    printf("  ratio merge/raw time: %.2fx (target <= 2.00x) %s\n", ratio,
           ratio <= 2.0 ? "OK" : "MISSED");
    printf("  peak RSS: %ld MiB\n", ru.ru_maxrss / 1024);
    unlink(office);
    unlink(laptop);
    sva_checklist_free(cl);
    return ratio <= 2.0 ? 0 : 1;
}

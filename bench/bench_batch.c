/* svcaudit bench: recording answer sheets with the real binary (issue 18).
 * 1. A batch: N generated sheets in one `svcaudit record --answers DIR/`,
 *    against a bare SQLite loop inserting the same rows (audit, answers,
 *    section scores) in one transaction, in this process.
 * 2. One sheet per process: M `svcaudit record --answers FILE` processes,
 *    against M `sqlite3` processes each running the same inserts as one
 *    transaction; the two alternate, so a busy moment hits both.
 * The same rows as the library writes them (the audit row with its item
 * marks and counts); same schema, synchronous = FULL, WAL; wall-clock times
 * of the same run.
 * usage: bench_batch CHECKLIST.ini SVCAUDIT SHEETS SINGLE REPS WORKDIR */
#include <sqlite3.h>

#include <errno.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "benchgen.h"

/* The checklist version the bare loop's audits point at (named columns: the
 * table grows with the schema). */
#define RAW_VERSION_SQL                                                                       \
    "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at)"          \
    " VALUES('h', 'x', 1, X'00', '2026-11-15')"

#define N_STORES 100
#define EMP_PER_STORE 5

static const char *g_bin, *g_checklists;

/* Wall and CPU (user + system) time of something measured. */
typedef struct spent {
    double wall, cpu;
} spent;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU time of the children waited for so far (one runs at a time). */
static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Run argv (stdout and stderr to /dev/null unless it fails: then shown) and
 * return its wall and CPU time; exit on failure. */
static spent run_cmd(char *const *argv, const char *in_path)
{
    char errf[4200];
    snprintf(errf, sizeof errf, "%s.err", in_path ? in_path : "/tmp/bench_batch");
    fflush(stdout); /* the child must not write our buffer again */
    double t0 = now(), c0 = children_cpu();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen(errf, "w", stderr))
            _exit(127);
        if (in_path && !freopen(in_path, "r", stdin))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    spent t = {now() - t0, children_cpu() - c0};
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench: %s failed (status %d):\n", argv[0], st);
        FILE *f = fopen(errf, "r");
        char line[1024];
        for (int i = 0; f && i < 20 && fgets(line, sizeof line, f); i++)
            fputs(line, stderr);
        if (f)
            fclose(f);
        exit(3);
    }
    unlink(errf);
    return t;
}

/* One generated audit: its store, employee, auditor and answers. */
typedef struct gen_audit {
    char store[32], employee[40], auditor[40];
} gen_audit;

static void gen_one(const sva_checklist *cl, long k, gen_audit *g, sva_answer *a)
{
    int s = (int)(rnd() % N_STORES);
    snprintf(g->store, sizeof g->store, "S%04d", s);
    snprintf(g->employee, sizeof g->employee, "S%04d-E%02u", s, rnd() % EMP_PER_STORE);
    snprintf(g->auditor, sizeof g->auditor, "auditor-%ld", k);
    gen_answers(cl, a);
}

/* Write sheet @p path for audit @p g. */
static void write_sheet(const sva_checklist *cl, const char *path, gen_audit *g,
                        const sva_answer *a)
{
    sva_sheet_header h = {.checklist = (char *)cl->id,
                          .version = cl->version,
                          .store = g->store,
                          .employee = g->employee,
                          .cycle = "2026-11",
                          .auditor = g->auditor,
                          .date = "2026-11-15"};
    char *text;
    if (sva_sheet_write(cl, SVA_SHEET_INI, NULL, &h, a, &text))
        die("sheet", NULL);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        die("cannot write a sheet", NULL);
    free(text);
}

/* The rows of one audit as SQL (the sqlite3 process's script), or bound to
 * the prepared statements of the in-process loop. */
static void random_keys(char uuid[40], char fp[72])
{
    snprintf(uuid, 40, "%08x-%04x-4%03x-8%03x-%08x%04x", rnd(), rnd() & 0xffff, rnd() & 0xfff,
             rnd() & 0xfff, rnd(), rnd() & 0xffff);
    snprintf(fp, 72, "%08x%08x%08x%08x%08x%08x%08x%08x", rnd(), rnd(), rnd(), rnd(), rnd(),
             rnd(), rnd(), rnd());
}

static void write_script(const sva_checklist *cl, const char *path, const gen_audit *g,
                         const sva_answer *a)
{
    char uuid[40], fp[72];
    random_keys(uuid, fp);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write a script", NULL);
    fprintf(f, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; BEGIN IMMEDIATE;\n"
               "INSERT INTO audit(uuid, checklist_hash, checklist_id, checklist_version,"
               " cycle_id, store_id, employee_id, auditor, audit_date, scorable, pct, raw_pct,"
               " failed, n_failed_critical, n_items, n_na, points, max_points, recorded_at,"
               " feeds, fingerprint, n_answered, n_passed, item_marks) VALUES('%s', 'h', 'x',"
               " 1, '2026-11', '%s', '%s', '%s', '2026-11-15', 1, 80, 80, 0, 0, %zu, 0, 1, 1,"
               " '2026-11-15', 'ssi', '%s', %zu, %zu, '%.*s');\n",
            uuid, g->store, g->employee, g->auditor, cl->n_items, fp, cl->n_items, cl->n_items,
            (int)cl->n_items, "1111111111111111111111111111111111111111111111111111111111111111");
    for (size_t i = 0; i < cl->n_items; i++)
        fprintf(f,
                "INSERT INTO answer(audit_id, item_no, item_id, section_id, value, points,"
                " max_points, passed, note, evidence) VALUES((SELECT max(id) FROM audit), %zu,"
                " '%s', '%s', %d, 1, 1, 1, '%s', '');\n",
                i, cl->items[i].id, cl->sections[cl->items[i].section].id, a[i].value,
                a[i].note ? a[i].note : "");
    for (size_t s = 0; s < cl->n_sections; s++)
        fprintf(f,
                "INSERT INTO section_score(audit_id, section_id, scorable, pct, points,"
                " max_points) VALUES((SELECT max(id) FROM audit), '%s', 1, 50, 1, 2);\n",
                cl->sections[s].id);
    fprintf(f, "COMMIT;\n");
    if (fclose(f) != 0)
        die("cannot write a script", NULL);
}

/* The bare loop: the rows of @p n audits (regenerated from @p seed) in one transaction. */
static spent raw_loop(const sva_checklist *cl, const char *path, long n, unsigned long long seed)
{
    sqlite3 *h;
    sqlite3_open(path, &h);
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
                       " recorded_at, feeds, fingerprint, n_answered, n_passed, item_marks)"
                       " VALUES(?1, 'h', 'x', 1, '2026-11', ?2, ?3, ?7, '2026-11-15', 1, ?4, ?4,"
                       " 0, 0, ?5, 0, 1, 1, '2026-11-15', 'ssi', ?6, ?5, ?5, ?8)",
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
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    char *marks = malloc(cl->n_items + 1); /* each item's mark, as the library keeps them */
    memset(marks, '1', cl->n_items);
    marks[cl->n_items] = '\0';
    rng_state = seed;
    double t0 = now(), c0 = cpu_now();
    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (long k = 0; k < n; k++) {
        gen_audit g;
        gen_one(cl, k, &g, a);
        char uuid[40], fp[72];
        random_keys(uuid, fp);
        sqlite3_reset(qa);
        sqlite3_bind_text(qa, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 2, g.store, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 3, g.employee, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(qa, 4, 80.0);
        sqlite3_bind_int64(qa, 5, (sqlite3_int64)cl->n_items);
        sqlite3_bind_text(qa, 6, fp, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 7, g.auditor, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(qa, 8, marks, (int)cl->n_items, SQLITE_STATIC);
        if (sqlite3_step(qa) != SQLITE_DONE) {
            fprintf(stderr, "raw insert failed: %s\n", sqlite3_errmsg(h));
            exit(3);
        }
        sqlite3_int64 id = sqlite3_last_insert_rowid(h);
        for (size_t i = 0; i < cl->n_items; i++) {
            sqlite3_reset(qi);
            sqlite3_bind_int64(qi, 1, id);
            sqlite3_bind_int64(qi, 2, (sqlite3_int64)i);
            sqlite3_bind_text(qi, 3, cl->items[i].id, -1, SQLITE_STATIC);
            sqlite3_bind_text(qi, 4, cl->sections[cl->items[i].section].id, -1, SQLITE_STATIC);
            sqlite3_bind_int(qi, 5, a[i].value);
            sqlite3_bind_double(qi, 6, 1.0);
            sqlite3_bind_text(qi, 7, a[i].note ? a[i].note : "", -1, SQLITE_STATIC);
            if (sqlite3_step(qi) != SQLITE_DONE) {
                fprintf(stderr, "raw insert failed: %s\n", sqlite3_errmsg(h));
                exit(3);
            }
        }
        for (size_t s = 0; s < cl->n_sections; s++) {
            sqlite3_reset(qs);
            sqlite3_bind_int64(qs, 1, id);
            sqlite3_bind_text(qs, 2, cl->sections[s].id, -1, SQLITE_STATIC);
            sqlite3_step(qs);
        }
    }
    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    spent t = {now() - t0, cpu_now() - c0};
    sqlite3_finalize(qa);
    sqlite3_finalize(qi);
    sqlite3_finalize(qs);
    sqlite3_close(h);
    free(a);
    free(marks);
    return t;
}

static double median(double *v, int n)
{
    for (int i = 1; i < n; i++) /* insertion sort: n <= 16 */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long count_audits(const char *path)
{
    sqlite3 *h;
    sqlite3_stmt *q;
    long n = -1;
    if (sqlite3_open(path, &h) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT count(*) FROM audit", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_batch CHECKLIST.ini SVCAUDIT SHEETS SINGLE REPS WORKDIR\n");
        return 2;
    }
    g_bin = argv[2];
    long n_sheets = atol(argv[3]), n_single = atol(argv[4]);
    int reps = atoi(argv[5]);
    if (reps < 1 || reps > 16)
        reps = 3;
    const char *work = argv[6];
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl;
    if (sva_checklist_load(argv[1], &cl, &d))
        die("cannot load the checklist", &d);
    char *cldir_copy = strdup(argv[1]);
    g_checklists = dirname(cldir_copy);
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    char dir[4096], path[4200], lib[4096], raw[4096];

    /* ---- 1. a batch of n_sheets ---- */
    snprintf(dir, sizeof dir, "%s/sheets", work);
    mkdir(dir, 0700);
    rng_state = 7;
    for (long k = 0; k < n_sheets; k++) {
        gen_audit g;
        gen_one(cl, k, &g, a);
        snprintf(path, sizeof path, "%s/sheet-%06ld.ini", dir, k);
        write_sheet(cl, path, &g, a);
    }
    /* each side reps times on fresh databases, alternating; the median ratio */
    double rw[16], rc[16];
    spent sb = {0, 0}, sr = {0, 0};
    for (int r = 0; r < reps; r++) {
        snprintf(lib, sizeof lib, "%s/batch-lib.db", work);
        snprintf(raw, sizeof raw, "%s/batch-raw.db", work);
        sva_db_close(gen_setup(lib, N_STORES, EMP_PER_STORE));
        sva_db_close(gen_setup(raw, N_STORES, EMP_PER_STORE));
        char *batch_argv[] = {(char *)g_bin, "--db", lib, "--checklists", (char *)g_checklists,
                              "--checklists-only", "record", "--answers", dir, NULL};
        spent b = run_cmd(batch_argv, NULL);
        if (count_audits(lib) != n_sheets)
            die("the batch did not record every sheet", NULL);
        spent w = raw_loop(cl, raw, n_sheets, 7);
        rw[r] = b.wall / w.wall;
        rc[r] = b.cpu / w.cpu;
        sb.wall += b.wall, sb.cpu += b.cpu, sr.wall += w.wall, sr.cpu += w.cpu;
    }
    double r1 = median(rw, reps), r1c = median(rc, reps);
    printf("record --answers DIR/: %ld sheets of %s (%zu items each), %d runs\n", n_sheets, cl->id,
           cl->n_items, reps);
    printf("  svcaudit, one process  %7.3f ms an audit, %7.3f ms CPU\n",
           1000 * sb.wall / reps / n_sheets, 1000 * sb.cpu / reps / n_sheets);
    printf("  bare SQLite loop       %7.3f ms an audit, %7.3f ms CPU\n",
           1000 * sr.wall / reps / n_sheets, 1000 * sr.cpu / reps / n_sheets);
    /* judged on CPU: on a shared machine one busy moment moves a wall ratio
     * by half (BENCHMARKS.md) */
    printf("  ratio (median): %.2fx wall, %.2fx CPU (target <= 2.00x CPU) %s\n", r1, r1c,
           r1c <= 2.0 ? "OK" : "MISSED");

    /* ---- 2. one sheet per process, alternating with a sqlite3 process ---- */
    snprintf(lib, sizeof lib, "%s/single-lib.db", work);
    snprintf(raw, sizeof raw, "%s/single-raw.db", work);
    sva_db_close(gen_setup(lib, N_STORES, EMP_PER_STORE));
    sva_db_close(gen_setup(raw, N_STORES, EMP_PER_STORE));
    {
        sqlite3 *h; /* the checklist version the scripts' audits point at */
        sqlite3_open(raw, &h);
        if (sqlite3_exec(h, RAW_VERSION_SQL, NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "cannot store the scripts' checklist version: %s\n", sqlite3_errmsg(h));
            exit(1);
        }
        sqlite3_close(h);
    }
    rng_state = 11;
    spent t_sva = {0, 0}, t_sql = {0, 0};
    for (long k = 0; k < n_single; k++) {
        gen_audit g;
        gen_one(cl, k, &g, a);
        char sheet[4200], script[4200];
        snprintf(sheet, sizeof sheet, "%s/single.ini", work);
        snprintf(script, sizeof script, "%s/single.sql", work);
        write_sheet(cl, sheet, &g, a);
        write_script(cl, script, &g, a);
        char *one_argv[] = {(char *)g_bin, "--db", lib, "--checklists", (char *)g_checklists,
                            "--checklists-only", "record", "--answers", sheet, NULL};
        char *sql_argv[] = {"sqlite3", raw, NULL};
        spent x, y;
        if (k % 2) {
            x = run_cmd(one_argv, NULL);
            y = run_cmd(sql_argv, script);
        } else {
            y = run_cmd(sql_argv, script);
            x = run_cmd(one_argv, NULL);
        }
        t_sva.wall += x.wall, t_sva.cpu += x.cpu, t_sql.wall += y.wall, t_sql.cpu += y.cpu;
    }
    if (count_audits(lib) != n_single || count_audits(raw) != n_single)
        die("the single recordings did not all land", NULL);
    double r2 = t_sva.wall / t_sql.wall, r2c = t_sva.cpu / t_sql.cpu;
    printf("record --answers FILE, one process per sheet: %ld sheets\n", n_single);
    printf("  svcaudit               %7.2f ms a sheet, %6.2f ms CPU\n",
           1000 * t_sva.wall / n_single, 1000 * t_sva.cpu / n_single);
    printf("  sqlite3, same inserts  %7.2f ms a sheet, %6.2f ms CPU\n",
           1000 * t_sql.wall / n_single, 1000 * t_sql.cpu / n_single);
    printf("  ratio: %.2fx wall, %.2fx CPU (target <= 1.50x CPU) %s\n", r2, r2c,
           r2c <= 1.5 ? "OK" : "MISSED");

    free(a);
    free(cldir_copy);
    sva_checklist_free(cl);
    return r1c <= 2.0 && r2c <= 1.5 ? 0 : 1;
}

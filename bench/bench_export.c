/* svcaudit bench: exporting a large cycle. Generates a database of STORES
 * stores with EMP employees each and ITEMS answered items (through the
 * library), then in a child process exports the cycle's workbook with --data
 * (sva_export_workbook), and in another child writes the same number of
 * Data-sheet cells with bare libxlsxwriter calls (constant_memory): the
 * baseline, measured in the same run; then once more in the pseudonymous
 * mode (the CLI's default) for its memory. Prints the time ratio and each
 * child's peak RSS, at each size given (memory must stay flat). The time target
 * (1.2x, issue 17) is the largest size's: the large cycle of issue 5.
 * usage: bench_export CHECKLIST.ini ITEMS[,ITEMS...] STORES EMP REPS WORKDIR */
#define _DEFAULT_SOURCE /* wait4: the child's own peak memory */
#include <xlsxwriter.h>

#include <string.h>
#include <sys/wait.h>

#include "benchgen.h"

/* Run fn(arg) in a child; return its wall time, CPU time (user + system) and
 * peak RSS (KiB). */
static int measure(int (*fn)(void *), void *arg, double *secs, double *cpu, long *rss_kib)
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
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    *rss_kib = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

typedef struct job {
    const char *db, *xlsx, *checklists;
    long rows;
    const sva_checklist *cl; /* the baseline's item texts */
    int stores, emp;
    sva_privacy employees;   /* the export's mode */
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
                         .employees = j->employees, .min_audits = 2, .trend_cycles = 6,
                         .cat = cat};
    if (sva_export_workbook(db, &o, &d))
        die("export", &d);
    sva_catalog_free(cat);
    sva_db_close(db);
    return 0;
}

/* The same Data cells, written by a bare constant_memory loop: 23 per row,
 * the same mix of numbers, dates and texts, and the same kind of values as the
 * generated cycle (its audits in store order, each audit's 44 items with their
 * section titles, ids and texts from the checklist, each audit's own auditor,
 * a random employee of the store, answers drawn as gen_answers draws them),
 * so that deflate, which is half of the cost, has the same work on both sides.
 * Until 2026-12-06 the baseline repeated one constant row, which deflates
 * faster than any real sheet. */
static int run_raw(void *p)
{
    job *j = p;
    const sva_checklist *cl = j->cl;
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(j->xlsx, &opts);
    if (!wb)
        return 3;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.0%");
    lxw_datetime day = {.year = 2026, .month = 11, .day = 15};
    long n_audits = j->rows / (long)cl->n_items;
    char store[32], sname[32], emp[64], aud[32];
    int st = 0;
    rng_state = 11;
    for (long r = 0; r < j->rows; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        long a = r / (long)cl->n_items;
        size_t i = (size_t)(r % (long)cl->n_items);
        const sva_item *it = &cl->items[i];
        if (i == 0) {
            st = (int)(a * j->stores / (n_audits ? n_audits : 1));
            snprintf(store, sizeof store, "S%04d", st);
            snprintf(sname, sizeof sname, "Store %d", st);
            snprintf(emp, sizeof emp, "Employee (S%04d-E%02u)", st, rnd() % (unsigned)j->emp);
            snprintf(aud, sizeof aud, "auditor-%ld", a);
        }
        bool na = it->na && rnd() % 10 == 0;
        int v = rnd() % 100 < 80 ? it->scale.max : (int)(rnd() % (unsigned)(it->scale.max + 1));
        double mx = it->scale.max > 0 ? it->scale.max : 1;
        worksheet_write_number(ws, row, 0, (double)(a + 1), NULL);
        worksheet_write_datetime(ws, row, 1, &day, date);
        worksheet_write_string(ws, row, 2, "2026-11", NULL);
        worksheet_write_string(ws, row, 3, REGIONS[st % 3], NULL);
        worksheet_write_string(ws, row, 4, store, NULL);
        worksheet_write_string(ws, row, 5, sname, NULL);
        worksheet_write_string(ws, row, 6, emp, NULL);
        worksheet_write_string(ws, row, 7, "sales", NULL);
        worksheet_write_string(ws, row, 8, cl->id, NULL);
        worksheet_write_number(ws, row, 9, (double)cl->version, NULL);
        worksheet_write_string(ws, row, 10, aud, NULL);
        worksheet_write_string(ws, row, 11, sva_i18n_get(&cl->sections[it->section].title, ""),
                               NULL);
        worksheet_write_string(ws, row, 12, it->id, NULL);
        worksheet_write_string(ws, row, 13, sva_i18n_get(&it->text, ""), NULL);
        worksheet_write_string(ws, row, 14, it->critical ? "yes" : "no", NULL);
        if (!na) {
            if (it->scale.kind == SVA_SCALE_YESNO)
                worksheet_write_string(ws, row, 15, v ? "yes" : "no", NULL);
            else
                worksheet_write_number(ws, row, 15, v, NULL);
            worksheet_write_number(ws, row, 16, v / mx, pct);
        }
        worksheet_write_number(ws, row, 17, na ? 0 : v * it->weight, NULL);
        worksheet_write_number(ws, row, 18, na ? 0 : mx * it->weight, NULL);
        if (!na)
            worksheet_write_number(ws, row, 19, v == it->scale.max, NULL);
        worksheet_write_number(ws, row, 20, na, NULL);
        worksheet_write_string(ws, row, 21,
                               it->evidence != SVA_EVIDENCE_NONE ? "observed by the shopper" : "",
                               NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 3;
}

/* Best of `reps` alternated runs of export and baseline (noise only adds time). */
static int one_size(const sva_checklist *cl, const char *dir, long target, int stores, int emp,
                    const char *work, int reps, bool time_target)
{
    long n_audits = (target + (long)cl->n_items - 1) / (long)cl->n_items;
    long rows = n_audits * (long)cl->n_items;
    char dbp[4096], x1[4096], x2[4096];
    snprintf(dbp, sizeof dbp, "%s/bench-export-%ld.db", work, rows);
    snprintf(x1, sizeof x1, "%s/bench-export.xlsx", work);
    snprintf(x2, sizeof x2, "%s/bench-raw.xlsx", work);
    /* BENCH_KEEP_DB=1 keeps the generated database for the next run, which
     * reuses it (when profiling the export: generating takes minutes) */
    bool keep = getenv("BENCH_KEEP_DB") != NULL;
    if (!keep || access(dbp, F_OK) != 0) {
        unlink(dbp);
        rng_state = 7;
        sva_db *db = gen_setup(dbp, stores, emp);
        gen_audits(db, cl, n_audits, stores, emp);
        sva_db_close(db);
    }
    job j = {dbp, x1, dir, rows, cl, stores, emp, SVA_PRIVACY_FULL},
        r = {dbp, x2, dir, rows, cl, stores, emp, SVA_PRIVACY_FULL};
    double t_exp = 1e9, t_raw = 1e9, c_exp = 1e9, c_raw = 1e9;
    long m_exp = 0, m_raw = 0;
    for (int k = 0; k < reps; k++) {
        double t, c;
        long m;
        if (measure(run_export, &j, &t, &c, &m) != 0)
            die("the export failed", NULL);
        t_exp = t < t_exp ? t : t_exp;
        c_exp = c < c_exp ? c : c_exp;
        m_exp = m > m_exp ? m : m_exp;
        if (measure(run_raw, &r, &t, &c, &m) != 0)
            die("the baseline failed", NULL);
        t_raw = t < t_raw ? t : t_raw;
        c_raw = c < c_raw ? c : c_raw;
        m_raw = m > m_raw ? m : m_raw;
    }
    /* the CLI's default mode, pseudonymous, once: its peak memory (it scrubs
     * notes of 20,000 employees' names and ids, and hides small groups) */
    double t_ps, c_ps;
    long m_ps;
    j.employees = SVA_PRIVACY_PSEUDONYMOUS;
    if (measure(run_export, &j, &t_ps, &c_ps, &m_ps) != 0)
        die("the pseudonymous export failed", NULL);
    /* judged on CPU time: the machines are shared, and a busy neighbour moves
     * wall time by 2x between two runs of the same program */
    double ratio = c_exp / c_raw, wall = t_exp / t_raw;
    printf("export: %d stores, %d employees, %ld audits, %ld answered items (Data rows), "
           "best of %d\n",
           stores, stores * emp, n_audits, rows, reps);
    printf("  svcaudit export --data   %7.2f s wall %7.2f s CPU   peak RSS %4ld MiB\n", t_exp,
           c_exp, m_exp / 1024);
    printf("  raw libxlsxwriter        %7.2f s wall %7.2f s CPU   peak RSS %4ld MiB\n", t_raw,
           c_raw, m_raw / 1024);
    printf("  export, pseudonymous     %7.2f s wall %7.2f s CPU   peak RSS %4ld MiB (one run)\n",
           t_ps, c_ps, m_ps / 1024);
    if (time_target)
        printf("  ratio export/raw CPU time: %.2fx (target <= 1.20x) %s; wall %.2fx\n", ratio,
               ratio <= 1.2 ? "OK" : "MISSED", wall);
    else /* the other sheets' fixed costs weigh more at a smaller size */
        printf("  ratio export/raw CPU time: %.2fx, wall %.2fx (for information: the time "
               "target is the largest size's)\n",
               ratio, wall);
    printf("  export peak RSS: %ld MiB full, %ld MiB pseudonymous (target < 64 MiB) %s\n",
           m_exp / 1024, m_ps / 1024, m_exp < 64 * 1024 && m_ps < 64 * 1024 ? "OK" : "MISSED");
    fflush(stdout);
    if (!keep)
        unlink(dbp);
    unlink(x1);
    unlink(x2);
    return (!time_target || ratio <= 1.5) && m_exp < 64 * 1024 && m_ps < 64 * 1024 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_export CHECKLIST.ini ITEMS[,ITEMS...] STORES EMP REPS "
                        "WORKDIR\n");
        return 2;
    }
    int stores = atoi(argv[3]), emp = atoi(argv[4]), reps = atoi(argv[5]);
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
    int status = 0;
    long largest = 0;
    for (char *p = argv[2]; *p;) {
        long target = strtol(p, &p, 10);
        largest = target > largest ? target : largest;
        if (*p != ',')
            break;
        p++;
    }
    for (char *p = argv[2]; *p;) {
        long target = strtol(p, &p, 10);
        if (target > 0)
            status |= one_size(cl, dir, target, stores, emp, argv[6], reps > 0 ? reps : 1,
                               target == largest);
        if (*p == ',')
            p++;
        else
            break;
    }
    sva_checklist_free(cl);
    return status;
}

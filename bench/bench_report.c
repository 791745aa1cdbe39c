/* svcaudit bench: the PDF audit reports of the demo. On the demo database
 * (`make demo`'s: 336 audits in 3 cycles), in a child process, writes every
 * cycle's audit reports as `report audits --cycle` does (sva_pdf_audits: the
 * model of each audit from the store, laid out with pango, pictures looked up,
 * each file written beside its name and renamed into place); then, in another
 * child, the baseline: the same number of files with the same number of pages
 * of plain text (60 lines of 90 characters a page) drawn by cairo alone with
 * its toy text API. Prints the time ratio, and the reports' peak RSS for the
 * first cycle alone and for all of them (memory must not grow with the pages).
 * usage: bench_report DEMO.db CHECKLISTS_DIR REPS WORKDIR */
#define _DEFAULT_SOURCE /* wait4: the child's own peak memory */
#include <cairo-pdf.h>
#include <cairo.h>

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "benchgen.h"

/* Run fn(arg) in a child; return its wall time and peak RSS (KiB). */
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

typedef struct job {
    const char *db, *checklists, *out;
    sva_cycle *cycles;
    size_t n_cycles;       /* how many of them to write */
    int *pages;            /* the baseline: pages per file */
    size_t n_files;
} job;

static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    if (d)
        closedir(d);
}

static int run_reports(void *p)
{
    job *j = p;
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db;
    sva_catalog *cat;
    const char *dirs[] = {j->checklists};
    if (sva_db_open(j->db, SVA_DB_EXISTING, &db, &d) || sva_catalog_open(dirs, 1, &cat, &d))
        die("cannot open the demo", &d);
    sva_reports_opts o = {.employees = SVA_PRIVACY_FULL, .today = "2026-11-28", .cat = cat};
    sva_reports *ctx;
    if (sva_reports_open(db, &o, &ctx, &d))
        die("cannot start the reports", &d);
    for (size_t i = 0; i < j->n_cycles; i++)
        if (sva_pdf_audits(ctx, j->cycles[i].id, NULL, j->out, NULL, &d))
            die("cannot write the reports", &d);
    sva_reports_close(ctx);
    sva_catalog_free(cat);
    sva_db_close(db);
    return 0;
}

static int run_baseline(void *p)
{
    job *j = p;
    char line[96], path[4096];
    for (size_t f = 0; f < j->n_files; f++) {
        snprintf(path, sizeof path, "%s/plain-%zu.pdf", j->out, f);
        cairo_surface_t *s = cairo_pdf_surface_create(path, 595.276, 841.89);
        cairo_t *cr = cairo_create(s);
        cairo_select_font_face(cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, 8.5);
        for (int pg = 0; pg < j->pages[f]; pg++) {
            for (int l = 0; l < 60; l++) {
                for (int k = 0; k < 90; k++)
                    line[k] = (char)('a' + (f * 7 + (size_t)l * 13 + (size_t)k) % 26);
                line[90] = '\0';
                cairo_move_to(cr, 40, 50 + 12.0 * l);
                cairo_show_text(cr, line);
            }
            cairo_show_page(cr);
        }
        cairo_destroy(cr);
        cairo_surface_finish(s);
        int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
        cairo_surface_destroy(s);
        if (bad)
            return 3;
    }
    return 0;
}

/* The pages of each PDF in @p dir (its "/Type /Page" objects), into j->pages. */
static void count_pages(job *j, size_t *total)
{
    DIR *d = opendir(j->out);
    struct dirent *e;
    size_t cap = 0;
    *total = 0;
    while (d && (e = readdir(d))) {
        if (!strstr(e->d_name, ".pdf"))
            continue;
        char path[4096], *data;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", j->out, e->d_name);
        if (sva_file_read(path, &data, &len, NULL))
            die("cannot read a report", NULL);
        int n = 0;
        for (size_t i = 0; i + 12 <= len; i++)
            n += memcmp(data + i, "/Type /Page", 11) == 0 && data[i + 11] != 's';
        free(data);
        if (j->n_files == cap) {
            cap = cap ? 2 * cap : 256;
            if (!(j->pages = realloc(j->pages, cap * sizeof *j->pages)))
                die("out of memory", NULL);
        }
        j->pages[j->n_files++] = n;
        *total += (size_t)n;
    }
    if (d)
        closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_report DEMO.db CHECKLISTS_DIR REPS WORKDIR\n");
        return 2;
    }
    int reps = atoi(argv[3]);
    char out[4096];
    snprintf(out, sizeof out, "%s/bench-report", argv[4]);
    mkdir(out, 0700);
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db;
    job j = {.db = argv[1], .checklists = argv[2], .out = out};
    if (sva_db_open(argv[1], SVA_DB_EXISTING, &db, &d) ||
        sva_db_cycle_list(db, &j.cycles, &j.n_cycles, &d))
        die("cannot read the demo's cycles", &d);
    long audits = 0;
    for (size_t i = 0; i < j.n_cycles; i++)
        audits += j.cycles[i].n_audits;
    sva_db_close(db);
    size_t all = j.n_cycles;

    /* the reports once, to count their files and pages for the baseline */
    double t, best_rep = 1e30, best_base = 1e30;
    long rss, rss_all = 0, rss_one = 0, rss_base = 0;
    if (measure(run_reports, &j, &t, &rss))
        die("the reports failed", NULL);
    size_t pages;
    count_pages(&j, &pages);
    for (int r = 0; r < (reps > 0 ? reps : 1); r++) {
        empty_dir(out);
        j.n_cycles = all;
        if (measure(run_reports, &j, &t, &rss))
            die("the reports failed", NULL);
        best_rep = t < best_rep ? t : best_rep;
        rss_all = rss > rss_all ? rss : rss_all;
        empty_dir(out);
        if (measure(run_baseline, &j, &t, &rss))
            die("the baseline failed", NULL);
        best_base = t < best_base ? t : best_base;
        rss_base = rss > rss_base ? rss : rss_base;
        empty_dir(out);
        j.n_cycles = 1;
        if (measure(run_reports, &j, &t, &rss))
            die("the reports failed", NULL);
        rss_one = rss > rss_one ? rss : rss_one;
    }
    empty_dir(out);
    rmdir(out);
    double ratio = best_rep / best_base;
    bool flat = rss_all <= rss_one + 4096;
    printf("PDF audit reports of the demo: %ld audits in %zu cycles, %zu files, %zu pages "
           "(best of %d)\n",
           audits, all, j.n_files, pages, reps > 0 ? reps : 1);
    printf("  reports (sva_pdf_audits per cycle): %7.2f s  %6.1f pages/s  peak RSS %ld MiB "
           "(first cycle alone: %ld MiB)\n",
           best_rep, (double)pages / best_rep, rss_all / 1024, rss_one / 1024);
    printf("  baseline (cairo alone, plain text): %7.2f s  %6.1f pages/s  peak RSS %ld MiB\n",
           best_base, (double)pages / best_base, rss_base / 1024);
    printf("  ratio: %.2fx; memory %s\n", ratio,
           flat ? "flat (all cycles within 4 MiB of one)" : "GROWS with the pages");
    free(j.pages);
    sva_cycles_free(j.cycles, all);
    return flat ? 0 : 1;
}

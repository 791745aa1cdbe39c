/* svcaudit fuzzing: helpers shared by the libFuzzer harnesses in fuzz/.
 * Each harness has the library sources (src/) compiled in, with ASan + UBSan. */
#ifndef SVA_FUZZ_COMMON_H
#define SVA_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcaudit/svcaudit.h"

/* The source tree (for the shipped checklists); the Makefile passes it. */
#ifndef SVA_FUZZ_ROOT
#define SVA_FUZZ_ROOT "."
#endif

/* Abort on a broken invariant: libFuzzer saves the input as a crash. */
#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__,           \
                    __LINE__);                                                                \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* Every diagnostic must format (this walks each message, so a dangling or
 * unterminated one shows up under ASan), and an error must come with one. */
static inline void fuzz_diag_check(const sva_diag *d)
{
    char buf[4096];
    for (size_t i = 0; i < d->n; i++) {
        int n = sva_diag_format(d, i, buf, sizeof buf);
        FUZZ_CHECK(n >= 0);
        FUZZ_CHECK(d->msgs[i].msg != NULL);
        FUZZ_CHECK(d->msgs[i].line >= 0);
    }
}

/* Load a shipped checklist once (aborts if it does not load: the harness
 * would test nothing). Never freed: reachable, so not a leak. */
static inline sva_checklist *fuzz_load_checklist(const char *id)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/checklists/%s.ini", SVA_FUZZ_ROOT, id);
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl = NULL;
    if (sva_checklist_load(path, &cl, &d) != SVA_OK) {
        fprintf(stderr, "fuzz: cannot load %s\n", path);
        abort();
    }
    sva_diag_clear(&d);
    return cl;
}

/* The catalog of the shipped checklists, loaded once. */
static inline sva_catalog *fuzz_catalog(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/checklists", SVA_FUZZ_ROOT);
    const char *dirs[] = {dir};
    sva_diag d;
    sva_diag_init(&d);
    sva_catalog *cat = NULL;
    if (sva_catalog_open(dirs, 1, &cat, &d) != SVA_OK || !cat || cat->n_checklists == 0) {
        fprintf(stderr, "fuzz: cannot load the catalog in %s\n", dir);
        abort();
    }
    sva_diag_clear(&d);
    return cat;
}

/* A private temporary folder for files the library reads by path; removed at
 * exit with every file made by fuzz_tmp_path (a crash may leave it behind). */
static char fuzz_tmp_dir[4096];
static char fuzz_tmp_files[8][4200];
static int fuzz_tmp_n;

static void fuzz_tmp_cleanup(void)
{
    for (int i = 0; i < fuzz_tmp_n; i++) {
        char side[4300];
        unlink(fuzz_tmp_files[i]);
        snprintf(side, sizeof side, "%s-wal", fuzz_tmp_files[i]);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", fuzz_tmp_files[i]);
        unlink(side);
        snprintf(side, sizeof side, "%s-journal", fuzz_tmp_files[i]);
        unlink(side);
    }
    if (fuzz_tmp_dir[0])
        rmdir(fuzz_tmp_dir);
}

/* The path of file @p name in the private folder (made on first use). */
static inline const char *fuzz_tmp_path(const char *name)
{
    if (!fuzz_tmp_dir[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(fuzz_tmp_dir, sizeof fuzz_tmp_dir, "%s/svcaudit-fuzz.XXXXXX",
                 base && *base ? base : "/tmp");
        if (!mkdtemp(fuzz_tmp_dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(fuzz_tmp_cleanup);
    }
    if (fuzz_tmp_n == 8)
        abort();
    snprintf(fuzz_tmp_files[fuzz_tmp_n], sizeof fuzz_tmp_files[0], "%s/%s", fuzz_tmp_dir, name);
    return fuzz_tmp_files[fuzz_tmp_n++];
}

/* Write @p data to @p path (replacing it). */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        abort();
    }
    if (size && fwrite(data, 1, size, f) != size) {
        perror(path);
        abort();
    }
    if (fclose(f) != 0) {
        perror(path);
        abort();
    }
}

#endif

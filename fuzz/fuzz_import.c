/* svcaudit fuzzing: the CSV importers (sva_import_stores,
 * sva_import_employees, sva_import_surveys). They read a path, so each
 * input is written to a temporary file. The database is a real svcaudit file
 * made once (stores, an employee and a cycle, so rows can succeed) and copied
 * back before every input, so every run starts from the same database and the
 * importers use their own transactions (BEGIN IMMEDIATE, commit or roll back)
 * exactly as the CLI does. Every input goes through all three importers with
 * the default options, then the store importer once more with options its
 * last byte picks (';' or tab between fields, GB18030, both), so the
 * separator, the encoding conversion and their messages are reached too.
 * SVA_FUZZ_STRICT=1 also aborts on an error without a message. */
#include "fuzz_common.h"

#include <sys/stat.h>

static int strict;
static const char *path, *dbpath;
static uint8_t *dbimage;
static size_t dbimage_len;

static void must(sva_error rc, const char *what)
{
    if (rc != SVA_OK) {
        fprintf(stderr, "fuzz: set-up failed: %s: %s\n", what, sva_strerror(rc));
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *s = getenv("SVA_FUZZ_STRICT");
    strict = s && *s == '1';
    path = fuzz_tmp_path("import.csv");
    dbpath = fuzz_tmp_path("import.db");
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = NULL;
    must(sva_db_open(dbpath, SVA_DB_CREATE, &db, &d), "open");
    static const sva_store stores[] = {{"SH-001", "Sunrise Shanghai", "east"},
                                       {"SH-002", "Sunrise Pudong", "east"},
                                       {"BJ-001", "Capital Motors", "north"}};
    for (size_t i = 0; i < 3; i++)
        must(sva_db_store_add(db, &stores[i], &d), "store add");
    sva_employee e = {"SH-001-E01", "Li Ming", "SH-001", "sales"};
    must(sva_db_employee_add(db, &e, &d), "employee add");
    must(sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d), "cycle open");
    sva_db_close(db); /* the last connection: the WAL is folded into the file */
    sva_diag_clear(&d);
    FILE *f = fopen(dbpath, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || sb.st_size <= 0)
        abort();
    dbimage_len = (size_t)sb.st_size;
    dbimage = malloc(dbimage_len);
    if (!dbimage || fread(dbimage, 1, dbimage_len, f) != dbimage_len)
        abort();
    fclose(f);
    return 0;
}

typedef sva_error (*importer)(sva_db *, const char *, sva_import_stats *, sva_diag *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const importer imps[] = {sva_import_stores, sva_import_employees,
                                    sva_import_surveys};
    fuzz_write_file(path, data, size);
    fuzz_write_file(dbpath, dbimage, dbimage_len);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = NULL;
    must(sva_db_open(dbpath, SVA_DB_EXISTING, &db, &d), "reopen");
    unsigned pick = size ? data[size - 1] & 3u : 0;
    sva_import_opts opts = {pick & 1 ? (size > 1 && data[size - 2] & 1 ? '\t' : ';') : ',',
                            pick & 2 ? "gb18030" : NULL};
    for (size_t k = 0; k <= sizeof imps / sizeof *imps; k++) {
        sva_import_stats st = {0};
        sva_error rc = k < sizeof imps / sizeof *imps
                           ? imps[k](db, path, &st, &d)
                           : sva_import_stores_opt(db, path, &opts, &st, &d);
        fuzz_diag_check(&d);
        FUZZ_CHECK(rc != SVA_ERR_USAGE); /* the options are always valid ones */
        if (strict)
            FUZZ_CHECK(rc == SVA_OK || d.n > 0);
        if (rc != SVA_OK)
            FUZZ_CHECK(st.added == 0 && st.updated == 0 && st.unchanged == 0);
        sva_diag_clear(&d);
    }
    sva_db_close(db);
    return 0;
}

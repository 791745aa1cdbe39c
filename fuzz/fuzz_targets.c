/* svcaudit fuzzing: targets files (sva_targets_parse against the shipped
 * checklists' catalog); a file that parses is also imported
 * (sva_import_targets) into an in-memory database with a cycle, stores and
 * regions, inside a batch that is rolled back.
 * SVA_FUZZ_STRICT=1 also aborts on an error without a message and on a parsed
 * target outside the rules (value 0..100, a valid metric, a cycle). */
#include "fuzz_common.h"

static int strict;
static sva_catalog *cat;
static sva_db *db;
static const char *path;

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
    cat = fuzz_catalog();
    sva_diag d;
    sva_diag_init(&d);
    must(sva_db_open(":memory:", SVA_DB_CREATE, &db, &d), "open");
    static const sva_store stores[] = {{"SH-001", "Sunrise Shanghai", "East"},
                                       {"BJ-001", "Capital Motors", "north"}};
    for (size_t i = 0; i < 2; i++)
        must(sva_db_store_add(db, &stores[i], &d), "store add");
    must(sva_db_cycle_open(db, "2026-11", "2026-11-01", "2026-11-30", &d), "cycle open");
    sva_diag_clear(&d);
    path = fuzz_tmp_path("targets.ini");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_target *v = NULL;
    size_t n = 0;
    sva_error rc = sva_targets_parse("fuzz-targets.ini", (const char *)data, size, cat, &v, &n, &d);
    fuzz_diag_check(&d);
    if (strict)
        FUZZ_CHECK(rc == SVA_OK ? n > 0 : (d.n > 0 && v == NULL && n == 0));
    if (rc == SVA_OK) {
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(v[i].cycle && v[i].metric && v[i].scope_id);
            if (strict) {
                FUZZ_CHECK(v[i].value >= 0 && v[i].value <= 100);
                FUZZ_CHECK(sva_metric_valid(v[i].metric, cat));
                FUZZ_CHECK(*v[i].cycle);
            }
        }
        fuzz_write_file(path, data, size);
        sva_diag_clear(&d);
        if (sva_db_batch_begin(db, &d) != SVA_OK)
            abort();
        size_t count = 0;
        sva_error irc = sva_import_targets(db, path, cat, &count, &d);
        fuzz_diag_check(&d);
        if (strict)
            FUZZ_CHECK(irc == SVA_OK ? count == n : d.n > 0);
        sva_db_batch_end(db, false, &d);
    }
    sva_targets_free(v, n);
    sva_diag_clear(&d);
    return 0;
}

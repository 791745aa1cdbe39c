/* svcaudit fuzzing: the CSV reader on its own (sva_csv_open, sva_csv_next):
 * every record until the end or the first error, with the reader's promises
 * checked: at most SVA_CSV_MAX_FIELDS fields, NUL-terminated fields, line
 * numbers that never go back, an error always with a message. */
#include "fuzz_common.h"

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sva_csv *r = NULL;
    if (sva_csv_open("fuzz.csv", (const char *)data, size, &r) != SVA_OK)
        return 0;
    sva_diag d;
    sva_diag_init(&d);
    char **f;
    size_t n;
    int line, last = 1, got;
    size_t records = 0;
    while ((got = sva_csv_next(r, &f, &n, &line, &d)) == 1) {
        FUZZ_CHECK(n >= 1 && n <= SVA_CSV_MAX_FIELDS);
        FUZZ_CHECK(line >= last);
        last = line;
        size_t total = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(f[i] != NULL);
            total += strlen(f[i]);
        }
        FUZZ_CHECK(total <= size);
        records++;
        FUZZ_CHECK(records <= size + 1);
    }
    FUZZ_CHECK(got == 0 || got == -1);
    if (got == -1)
        FUZZ_CHECK(d.n == 1);
    else
        FUZZ_CHECK(d.n == 0);
    fuzz_diag_check(&d);
    /* after the end or an error the reader stays there */
    FUZZ_CHECK(sva_csv_next(r, &f, &n, &line, &d) == 0);
    sva_diag_clear(&d);
    sva_csv_free(r);
    return 0;
}

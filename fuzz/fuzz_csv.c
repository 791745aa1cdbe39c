/* svcaudit fuzzing: the CSV reader on its own (sva_csv_open, sva_csv_next),
 * once with each separator (',' ';' tab '|'): every record until the end or
 * the first error, with the reader's promises checked: at most
 * SVA_CSV_MAX_FIELDS fields, NUL-terminated fields, line numbers that never go
 * back, an error always with a message. Then the encoding helpers the
 * importers use: the GBK/GB18030 guess, and the conversion, whose output must
 * be valid UTF-8 with the same line breaks. */
#include "fuzz_common.h"

#include "csv.h"
#include "util.h"

static void read_all(const uint8_t *data, size_t size, char sep)
{
    sva_csv *r = NULL;
    if (sva_csv_open("fuzz.csv", (const char *)data, size, &r) != SVA_OK)
        return;
    FUZZ_CHECK(sva_csv_set_sep(r, sep));
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
}

static size_t count_lf(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seps[] = {',', ';', '\t', '|'};
    for (size_t i = 0; i < sizeof seps; i++)
        read_all(data, size, seps[i]);

    const char *text = (const char *)data;
    (void)sva_looks_gb18030(text, size);
    char *u = NULL;
    size_t ulen, bad;
    sva_error rc = sva_gb18030_to_utf8(text, size, &u, &ulen, &bad);
    FUZZ_CHECK(rc == SVA_OK || rc == SVA_ERR_INVALID);
    if (rc == SVA_OK) {
        FUZZ_CHECK(u != NULL && strlen(u) <= ulen && ulen <= 2 * size);
        FUZZ_CHECK(sva_utf8_valid_prefix((const unsigned char *)u, ulen) == ulen);
        FUZZ_CHECK(count_lf(u, ulen) == count_lf(text, size));
    } else {
        FUZZ_CHECK(u == NULL && bad < size);
    }
    free(u);
    return 0;
}

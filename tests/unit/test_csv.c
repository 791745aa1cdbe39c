/* svcaudit tests: the strict RFC 4180 CSV reader (src/csv.c): fields, line
 * numbers, BOM, CRLF, and every error with the line it names. */
#include "testutil.h"

#include "csv.h"
#include "util.h"


/* A reader over a fixture file; the bytes stay alive in *data. */
static sva_csv *open_fixture(const char *rel, char **data)
{
    size_t len;
    sva_diag d = {0};
    assert_int_equal(sva_read_file(src_path(rel), data, &len, &d), SVA_OK);
    sva_diag_clear(&d);
    sva_csv *r = NULL;
    assert_int_equal(sva_csv_open(rel, *data, len, &r), SVA_OK);
    return r;
}

static sva_csv *open_text(const char *text, size_t len)
{
    sva_csv *r = NULL;
    assert_int_equal(sva_csv_open("t.csv", text, len, &r), SVA_OK);
    return r;
}

/* Read the next record and check its line and fields (NULL-terminated list). */
static void expect_record(sva_csv *r, int line, const char *const *want)
{
    char **f;
    size_t n;
    int l;
    sva_diag d = {0};
    int rc = sva_csv_next(r, &f, &n, &l, &d);
    if (rc != 1)
        diag_dump(&d);
    assert_int_equal(rc, 1);
    assert_int_equal(d.n, 0);
    assert_int_equal(l, line);
    size_t k = 0;
    while (want[k])
        k++;
    assert_int_equal(n, k);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(f[i], want[i]);
    sva_diag_clear(&d);
}

static void expect_end(sva_csv *r)
{
    char **f;
    size_t n;
    int l;
    sva_diag d = {0};
    assert_int_equal(sva_csv_next(r, &f, &n, &l, &d), 0);
    assert_int_equal(d.n, 0);
}

/* The next call fails with one message at @p line containing @p needle, and
 * reading stops there. */
static void expect_error(sva_csv *r, int line, const char *needle)
{
    char **f;
    size_t n;
    int l;
    sva_diag d = {0};
    assert_int_equal(sva_csv_next(r, &f, &n, &l, &d), -1);
    if (d.n != 1 || !diag_has(&d, line, needle))
        diag_dump(&d);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, line, needle));
    assert_non_null(d.msgs[0].file);
    sva_diag_clear(&d);
    assert_int_equal(sva_csv_next(r, &f, &n, &l, &d), 0);
    assert_int_equal(d.n, 0);
}

/* A reader over a string literal (which may hold NUL bytes). */
#define OPEN_LIT(s) open_text((s), sizeof(s) - 1)
#define REC(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_quoted_fields(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/quoted.csv", &data);
    expect_record(r, 1, REC("id", "name", "comment"));
    expect_record(r, 2, REC("1", "Smith, John", "said \"hi\""));
    expect_record(r, 3, REC("2", "multi\nline\nfield", "x"));
    /* the quoted field spanned lines 3-5, so the next record is on line 6 */
    expect_record(r, 6, REC("3", "plain", ""));
    expect_record(r, 7, REC("")); /* a blank line: one empty field */
    expect_record(r, 8, REC("4", "", "last")); /* no final line break */
    expect_end(r);
    expect_end(r);
    sva_csv_free(r);
    free(data);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/crlf_bom.csv", &data);
    expect_record(r, 1, REC("name", "note")); /* BOM not part of the first field */
    expect_record(r, 2, REC("S1", "two\r\nlines")); /* a quoted line break is kept as is */
    expect_record(r, 4, REC("S2", "plain"));
    expect_end(r);
    sva_csv_free(r);
    free(data);
}

static void test_edges(void **state)
{
    (void)state;
    sva_csv *r = OPEN_LIT("");
    expect_end(r);
    sva_csv_free(r);

    r = OPEN_LIT("\xEF\xBB\xBF");
    expect_end(r);
    sva_csv_free(r);

    r = OPEN_LIT("\n\r\n");
    expect_record(r, 1, REC(""));
    expect_record(r, 2, REC(""));
    expect_end(r);
    sva_csv_free(r);

    /* trailing comma: an empty last field, also at the end of input */
    r = OPEN_LIT("a,\n,b,\n,");
    expect_record(r, 1, REC("a", ""));
    expect_record(r, 2, REC("", "b", ""));
    expect_record(r, 3, REC("", ""));
    expect_end(r);
    sva_csv_free(r);

    /* the data need not be NUL-terminated: only len bytes are read */
    const char buf[] = {'a', ',', 'b', 'c', 'X', 'Y'};
    r = open_text(buf, 4);
    expect_record(r, 1, REC("a", "bc"));
    expect_end(r);
    sva_csv_free(r);

    /* a quoted field ending exactly at the end of input, and UTF-8 text */
    r = OPEN_LIT("\"x\",\"\xE4\xB8\xAD\xE6\x96\x87\"");
    expect_record(r, 1, REC("x", "\xE4\xB8\xAD\xE6\x96\x87"));
    expect_end(r);
    sva_csv_free(r);

    /* "" is an empty field, """" a single quote */
    r = OPEN_LIT("\"\",\"\"\"\"\n");
    expect_record(r, 1, REC("", "\""));
    expect_end(r);
    sva_csv_free(r);
}

static void test_error_unterminated(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_unterminated.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    expect_error(r, 2, "unterminated quoted field (the quote opens on line 2)");
    sva_csv_free(r);
    free(data);
}

static void test_error_after_quote(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_after_quote.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    expect_error(r, 2, "text after the closing quote");
    sva_csv_free(r);
    free(data);
}

static void test_error_lone_cr(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_cr.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    expect_error(r, 2, "carriage return not followed by a line feed");
    sva_csv_free(r);
    free(data);

    /* also right after a quoted field */
    r = OPEN_LIT("\"a\"\rb\n");
    expect_error(r, 1, "carriage return");
    sva_csv_free(r);
}

static void test_error_utf8(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_utf8.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    /* the field opens on line 2; the bad byte is on line 3 */
    expect_error(r, 3, "invalid UTF-8");
    sva_csv_free(r);
    free(data);

    r = OPEN_LIT("ok\nx,\xC0\xAF\n"); /* overlong '/' */
    expect_record(r, 1, REC("ok"));
    expect_error(r, 2, "invalid UTF-8 in field 2");
    sva_csv_free(r);
}

static void test_error_nul(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_nul.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    expect_error(r, 2, "NUL byte");
    sva_csv_free(r);
    free(data);

    r = OPEN_LIT("\"a\nb\0\"\n"); /* inside a quoted field, on its second line */
    expect_error(r, 2, "NUL byte");
    sva_csv_free(r);
}

static void test_error_quote_in_unquoted(void **state)
{
    (void)state;
    char *data;
    sva_csv *r = open_fixture("tests/fixtures/csv/bad_quote_in_field.csv", &data);
    expect_record(r, 1, REC("a", "b"));
    expect_error(r, 2, "double quote inside an unquoted field");
    sva_csv_free(r);
    free(data);
}

static void test_max_fields(void **state)
{
    (void)state;
    sva_buf b = {0};
    /* line 1: exactly SVA_CSV_MAX_FIELDS fields; line 2: one more */
    for (int i = 0; i < SVA_CSV_MAX_FIELDS; i++)
        sva_buf_printf(&b, "%s%d", i ? "," : "", i);
    sva_buf_puts(&b, "\n");
    for (int i = 0; i <= SVA_CSV_MAX_FIELDS; i++)
        sva_buf_printf(&b, "%s%d", i ? "," : "", i);
    sva_buf_puts(&b, "\n");
    sva_csv *r = open_text(b.data, b.len);
    char **f;
    size_t n;
    int l;
    sva_diag d = {0};
    assert_int_equal(sva_csv_next(r, &f, &n, &l, &d), 1);
    assert_int_equal(n, SVA_CSV_MAX_FIELDS);
    assert_string_equal(f[SVA_CSV_MAX_FIELDS - 1], "255");
    expect_error(r, 2, "too many fields");
    sva_csv_free(r);
    sva_buf_free(&b);
}

/* 200k rows and one 8 MiB field: no field length limit, line numbers right to
 * the end. (Speed is measured by make bench, never by a clock in a test.) */
static void test_large(void **state)
{
    (void)state;
    enum { ROWS = 200000 };
    sva_buf b = {0};
    for (int i = 0; i < ROWS; i++)
        sva_buf_printf(&b, "S%d,\"Store %d, \"\"north\"\"\",plain text %d\n", i, i, i);
    sva_buf_puts(&b, "big,\"");
    size_t big = 8u * 1024u * 1024u;
    for (size_t i = 0; i < big / 64; i++)
        sva_buf_puts(&b, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n");
    sva_buf_puts(&b, "\"\n");
    assert_false(b.failed);

    sva_csv *r = open_text(b.data, b.len);
    char **f;
    size_t n;
    int l, rc;
    sva_diag d = {0};
    long rows = 0;
    while ((rc = sva_csv_next(r, &f, &n, &l, &d)) == 1) {
        if (rows < ROWS) {
            char want[64];
            snprintf(want, sizeof want, "Store %ld, \"north\"", rows);
            assert_int_equal(n, 3);
            assert_string_equal(f[1], want);
            assert_int_equal(l, rows + 1);
        } else {
            assert_int_equal(l, ROWS + 1);
            assert_int_equal(n, 2);
            assert_int_equal(strlen(f[1]), big);
        }
        rows++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(rows, ROWS + 1);
    sva_csv_free(r);
    sva_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_error_unterminated),
        cmocka_unit_test(test_error_after_quote),
        cmocka_unit_test(test_error_lone_cr),
        cmocka_unit_test(test_error_utf8),
        cmocka_unit_test(test_error_nul),
        cmocka_unit_test(test_error_quote_in_unquoted),
        cmocka_unit_test(test_max_fields),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* svcaudit tests: the strict RFC 4180 CSV reader (src/csv.c): fields, line
 * numbers, BOM, CRLF, separators, and every error with the line it names; and
 * how the importers read a CSV (src/import.c): header names, separators,
 * GBK/GB18030, each problem one message. */
#include "testutil.h"

#include "csv.h"
#include "util.h"

#include <unistd.h>


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

/* ---- separators and a byte order mark after the start ------------------------------------ */

static void test_separators(void **state)
{
    (void)state;
    sva_csv *r = OPEN_LIT("id;name;note\nS1;\"Smith; John\";a,b\n");
    assert_true(sva_csv_set_sep(r, ';'));
    expect_record(r, 1, REC("id", "name", "note"));
    expect_record(r, 2, REC("S1", "Smith; John", "a,b"));
    expect_end(r);
    sva_csv_free(r);

    r = OPEN_LIT("a\tb\t\n");
    assert_true(sva_csv_set_sep(r, '\t'));
    expect_record(r, 1, REC("a", "b", ""));
    expect_end(r);
    sva_csv_free(r);

    /* nothing else is a separator; the reader keeps ',' */
    r = OPEN_LIT("a,b\n");
    assert_false(sva_csv_set_sep(r, '"'));
    assert_false(sva_csv_set_sep(r, '\n'));
    assert_false(sva_csv_set_sep(r, 'x'));
    expect_record(r, 1, REC("a", "b"));
    sva_csv_free(r);
}

static void test_error_bom_mid_file(void **state)
{
    (void)state;
    /* two files joined: the second one's BOM opens line 3 */
    sva_csv *r = OPEN_LIT("\xEF\xBB\xBFid,name\nS1,One\n\xEF\xBB\xBFid,name\n");
    expect_record(r, 1, REC("id", "name"));
    expect_record(r, 2, REC("S1", "One"));
    expect_error(r, 3, "byte order mark (U+FEFF) in field 1");
    sva_csv_free(r);
    /* inside a quoted field, on the line it is on */
    r = OPEN_LIT("a,\"x\ny\xEF\xBB\xBFz\"\n");
    expect_error(r, 2, "byte order mark (U+FEFF) in field 2");
    sva_csv_free(r);
}

/* ---- GB18030 -------------------------------------------------------------------------- */

/* 上海大众 (Shanghai Dazhong) and 华东 (east China) in GBK, and in UTF-8 */
#define GBK_NAME "\xC9\xCF\xBA\xA3\xB4\xF3\xD6\xDA"
#define GBK_REGION "\xBB\xAA\xB6\xAB"
#define UTF8_NAME "\xE4\xB8\x8A\xE6\xB5\xB7\xE5\xA4\xA7\xE4\xBC\x97"
#define UTF8_REGION "\xE5\x8D\x8E\xE4\xB8\x9C"

static void test_gb18030(void **state)
{
    (void)state;
    const char *gbk = "id,name\nS1," GBK_NAME "\n";
    assert_true(sva_looks_gb18030(gbk, strlen(gbk)));
    char *u;
    size_t n, bad;
    assert_int_equal(sva_gb18030_to_utf8(gbk, strlen(gbk), &u, &n, &bad), SVA_OK);
    assert_string_equal(u, "id,name\nS1," UTF8_NAME "\n");
    assert_int_equal(n, strlen(u));
    free(u);
    /* a four-byte GB18030 character (U+00E9 is 81 30 87 30... here U+0080: 81 30 81 30) */
    assert_int_equal(sva_gb18030_to_utf8("\x81\x30\x81\x30", 4, &u, &n, &bad), SVA_OK);
    assert_string_equal(u, "\xC2\x80");
    free(u);
    /* not GB18030: where it stops */
    assert_int_equal(sva_gb18030_to_utf8("ab\xFF", 3, &u, &n, &bad), SVA_ERR_INVALID);
    assert_null(u);
    assert_int_equal(bad, 2);

    /* Latin-1 (an accented letter before ASCII) does not look like GBK, nor do
     * UTF-16, bytes GB18030 never has, or plain ASCII */
    static const char *const not_gbk[] = {"Caf\xE9 Lounge", "M\xFCller", "Se\xF1or", "a\x80",
                                          "\xFF\xFEi\0d\0", "plain"};
    static const size_t not_len[] = {11, 6, 5, 2, 6, 5};
    for (size_t i = 0; i < sizeof not_gbk / sizeof *not_gbk; i++) {
        if (sva_looks_gb18030(not_gbk[i], not_len[i]))
            fprintf(stderr, "  case %zu looks like GBK\n", i);
        assert_false(sva_looks_gb18030(not_gbk[i], not_len[i]));
    }
}

/* ---- the importers' reading: a real store in a temporary folder ------------------------- */

static char g_dir[] = "/tmp/svcaudit-csv-XXXXXX";

/* Write @p name in the test folder; its path stays valid for the next 7 calls. */
static const char *tfile(const char *name, const char *text, size_t len)
{
    static char paths[8][4096];
    static unsigned next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", g_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}
#define TFILE(name, lit) tfile((name), (lit), sizeof(lit) - 1)

static sva_db *new_db(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/t.db", g_dir);
    unlink(path);
    sva_db *db = NULL;
    assert_int_equal(sva_db_open(path, SVA_DB_CREATE, &db, NULL), SVA_OK);
    return db;
}

/* The name and region of store @p id, "" when there is no such store. */
static void store_of(sva_db *db, const char *id, char *name, char *region, size_t size)
{
    sva_store *v;
    size_t n;
    assert_int_equal(sva_db_store_list(db, &v, &n, NULL), SVA_OK);
    name[0] = region[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0) {
            snprintf(name, size, "%s", v[i].name);
            snprintf(region, size, "%s", v[i].region ? v[i].region : "");
        }
    sva_stores_free(v, n);
}

/* Import must fail with exactly one message, at @p line, containing @p needle,
 * and add nothing. */
static void import_fails(sva_db *db, const char *path, const sva_import_opts *o, int line,
                         const char *needle)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    sva_error rc = sva_import_stores_opt(db, path, o, &st, &d);
    if (d.n != 1 || !diag_has(&d, line, needle))
        diag_dump(&d);
    assert_int_equal(rc, SVA_ERR_INVALID);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, line, needle));
    assert_int_equal(st.added, 0);
    sva_diag_clear(&d);
}

static void import_ok(sva_db *db, const char *path, const sva_import_opts *o, size_t added)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    sva_error rc = sva_import_stores_opt(db, path, o, &st, &d);
    if (rc || d.n)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(st.added, added);
    sva_diag_clear(&d);
}

static int setup_dir(void **state)
{
    (void)state;
    return mkdtemp(g_dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_import_header_names(void **state)
{
    (void)state;
    sva_db *db = new_db();
    /* any letter case, spaces around the names, columns in any order */
    import_ok(db, TFILE("up.csv", " Region ,ID,\tNAME\r\neast,SH-1,One\r\n"), NULL, 1);
    char name[256], region[256];
    store_of(db, "SH-1", name, region, sizeof name);
    assert_string_equal(name, "One");
    assert_string_equal(region, "east");
    /* a name that is not a column says which are */
    import_fails(db, TFILE("unk.csv", "id,name,store id\nSH-2,Two,x\n"), NULL, 1,
                 "unknown column 'store id' (the columns are id, name, region)");
    sva_db_close(db);
}

static void test_import_separator(void **state)
{
    (void)state;
    sva_db *db = new_db();
    const char *semi = TFILE("semi.csv", "\xEF\xBB\xBFid;name;region\r\nSH-1;\"Sunrise, Pudong\";east\r\n");
    import_fails(db, semi, NULL, 1, "the file looks ';'-separated");
    /* quoted header names too (the CSV reader would stop at the ';' after a quote) */
    import_fails(db, TFILE("semiq.csv", "\n\"id\";\"name\"\nSH-1;One\n"), NULL, 2,
                 "use --sep ';'");
    sva_import_opts o = {0};
    assert_int_equal(sva_import_opts_set(&o, ";", NULL, NULL), SVA_OK);
    import_ok(db, semi, &o, 1);
    char name[256], region[256];
    store_of(db, "SH-1", name, region, sizeof name);
    assert_string_equal(name, "Sunrise, Pudong");
    assert_string_equal(region, "east");
    /* the other way round: ',' file read with --sep ';' */
    import_fails(db, TFILE("comma.csv", "id,name\nSH-3,Three\n"), &o, 1,
                 "looks ','-separated, not ';'-separated");
    assert_int_equal(sva_import_opts_set(&o, "tab", NULL, NULL), SVA_OK);
    import_ok(db, TFILE("tab.csv", "id\tname\nSH-4\tFour, with comma\n"), &o, 1);
    sva_db_close(db);
}

static void test_import_gb18030(void **state)
{
    (void)state;
    sva_db *db = new_db();
    const char *gbk = TFILE("gbk.csv", "id,name,region\nSH-1,Plain,east\nSH-2," GBK_NAME
                                       "," GBK_REGION "\n");
    import_fails(db, gbk, NULL, 3,
                 "not UTF-8: the file looks like GBK/GB18030 (Excel in a Chinese locale): save "
                 "as CSV UTF-8, or use --encoding gb18030");
    sva_import_opts o = {0};
    assert_int_equal(sva_import_opts_set(&o, NULL, "GBK", NULL), SVA_OK);
    assert_string_equal(o.encoding, "gb18030");
    import_ok(db, gbk, &o, 2);
    char name[256], region[256];
    store_of(db, "SH-2", name, region, sizeof name);
    assert_string_equal(name, UTF8_NAME);
    assert_string_equal(region, UTF8_REGION);

    /* Latin-1 is not taken for GBK: the usual message at the field */
    import_fails(db, TFILE("latin1.csv", "id,name\nSH-5,Caf\xE9 Lounge\n"), NULL, 2,
                 "invalid UTF-8 in field 2");
    /* UTF-16 says so */
    import_fails(db, TFILE("utf16.csv", "\xFF\xFEi\0d\0"), NULL, 1, "the file is UTF-16");
    /* --encoding gb18030 on a UTF-8 file with Chinese text would garble it */
    import_fails(db, TFILE("utf8.csv", "id,name\nSH-6," UTF8_NAME "\n"), &o, 0,
                 "the file is UTF-8 already");
    /* and on a file that is not GB18030, the line and byte */
    import_fails(db, TFILE("notgb.csv", "id,name\nSH-7,ok\nSH-8,ab\xFF\n"), &o, 3,
                 "not GB18030 text at byte 8 of the line");
    sva_db_close(db);
}

static void test_import_opts_set(void **state)
{
    (void)state;
    sva_import_opts o = {0};
    sva_diag d;
    sva_diag_init(&d);
    assert_int_equal(sva_import_opts_set(&o, "\t", "utf8", &d), SVA_OK);
    assert_int_equal(o.sep, '\t');
    assert_null(o.encoding);
    assert_int_equal(sva_import_opts_set(&o, "|", "gb2312", &d), SVA_OK);
    assert_int_equal(o.sep, '|');
    assert_string_equal(o.encoding, "gb18030");
    assert_int_equal(d.n, 0);
    assert_int_equal(sva_import_opts_set(&o, ";;", NULL, &d), SVA_ERR_USAGE);
    assert_true(diag_has(&d, 0, "--sep: ';;' is not a separator"));
    assert_int_equal(sva_import_opts_set(&o, NULL, "latin1", &d), SVA_ERR_USAGE);
    assert_true(diag_has(&d, 0, "--encoding: 'latin1' is not supported"));
    assert_int_equal(o.sep, '|'); /* a refused value changes nothing */
    sva_diag_clear(&d);
    /* options set by hand are checked too */
    sva_db *db = new_db();
    sva_import_opts bad = {'x', NULL};
    sva_import_stats st;
    assert_int_equal(sva_import_stores_opt(db, TFILE("a.csv", "id,name\n"), &bad, &st, &d),
                     SVA_ERR_USAGE);
    bad = (sva_import_opts){0, "ebcdic"};
    assert_int_equal(sva_import_stores_opt(db, TFILE("a.csv", "id,name\n"), &bad, &st, &d),
                     SVA_ERR_USAGE);
    assert_int_equal(d.n, 2);
    sva_diag_clear(&d);
    sva_db_close(db);
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
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_error_bom_mid_file),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_import_header_names),
        cmocka_unit_test(test_import_separator),
        cmocka_unit_test(test_import_gb18030),
        cmocka_unit_test(test_import_opts_set),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}

/* svcaudit tests: the INI reader (src/ini.h): values exactly as iniparser 4.1
 * reads them, and every problem of the pre-scan reported with its line. */
#include "testutil.h"
#include "ini.h"
#include "util.h"

#include <iniparser.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Parse text (NUL-terminated) and return the result; rc and diag to the caller. */
static sva_ini *parse(const char *text, sva_error *rc, sva_diag *d)
{
    sva_ini *ini = NULL;
    *rc = sva_ini_parse("test.ini", text, strlen(text), &ini, d);
    return ini;
}

/* Parse text that must be clean; the test fails (showing the diag) if not. */
static sva_ini *parse_ok(const char *text, size_t len)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse("test.ini", text, len, &ini, &d);
    if (rc != SVA_OK || d.n)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(d.n, 0);
    assert_non_null(ini);
    sva_diag_clear(&d);
    return ini;
}

/* The value of section:key, which must exist, and its line. */
static void want(const sva_ini *ini, const char *sec, const char *key, const char *value,
                 int line)
{
    const sva_ini_section *s = sva_ini_section_get(ini, sec);
    if (!s)
        fprintf(stderr, "  no section [%s]\n", sec);
    assert_non_null(s);
    const sva_ini_entry *e = sva_ini_entry_get(s, key);
    if (!e)
        fprintf(stderr, "  no key '%s' in [%s]\n", key, sec);
    assert_non_null(e);
    if (strcmp(e->value, value) != 0)
        fprintf(stderr, "  [%s] %s: got '%s', want '%s'\n", sec, key, e->value, value);
    assert_string_equal(e->value, value);
    assert_int_equal(e->line, line);
}

/* ---- values ------------------------------------------------------------------ */

static void test_values_as_iniparser_reads_them(void **state)
{
    (void)state;
    /* every value below is also read by iniparser and compared (the cross-check),
     * so a clean parse means both readers agree */
    const char *text = "; a comment\n"                        /* 1 */
                       "# another comment\n"                  /* 2 */
                       "[Section.One]\n"                      /* 3 */
                       "plain = value\n"                      /* 4 */
                       "cut = value ; comment\n"              /* 5 */
                       "cut2 = value# comment\n"              /* 6 */
                       "quoted = \"a; b # c\"\n"              /* 7 */
                       "single = 'x ; y # z'\n"               /* 8 */
                       "empty_q = \"\"\n"                     /* 9 */
                       "empty_s = ''\n"                       /* 10 */
                       "empty_c = ;\n"                        /* 11 */
                       "bare =\n"                             /* 12 */
                       "eq = a=b\n"                           /* 13 */
                       "   spaced   =   v  w   \n"            /* 14 */
                       "qspaces = \"  in  \"\n"               /* 15 */
                       "inner = He said \"hi\"\n"             /* 16 */
                       "q_comment = \"k;v\" ; a comment\n"    /* 17 */
                       "Key_UPPER = Value Kept\n"             /* 18 */
                       "\t tabbed\t=\tt\n"                    /* 19 */
                       "zh = 中文; 注释\n"                    /* 20 */
                       "\n"                                   /* 21 */
                       "  [ other ]  \n"                      /* 22 */
                       "k = v\n";                             /* 23 */
    sva_ini *ini = parse_ok(text, strlen(text));
    assert_string_equal(ini->name, "test.ini");
    assert_int_equal(ini->n, 2);
    assert_string_equal(ini->secs[0].name, "section.one"); /* lower-cased */
    assert_int_equal(ini->secs[0].line, 3);
    assert_string_equal(ini->secs[1].name, "other");       /* blanks stripped */
    assert_int_equal(ini->secs[1].line, 22);

    const char *s = "section.one";
    want(ini, s, "plain", "value", 4);
    want(ini, s, "cut", "value", 5);
    want(ini, s, "cut2", "value", 6);
    want(ini, s, "quoted", "a; b # c", 7);
    want(ini, s, "single", "x ; y # z", 8);
    want(ini, s, "empty_q", "", 9);
    want(ini, s, "empty_s", "", 10);
    want(ini, s, "empty_c", "", 11);
    want(ini, s, "bare", "", 12);
    want(ini, s, "eq", "a=b", 13);
    want(ini, s, "spaced", "v  w", 14);
    want(ini, s, "qspaces", "  in  ", 15);
    want(ini, s, "inner", "He said \"hi\"", 16);
    want(ini, s, "q_comment", "k;v", 17);
    want(ini, s, "key_upper", "Value Kept", 18); /* key lower-cased, value not */
    want(ini, s, "tabbed", "t", 19);
    want(ini, s, "zh", "中文", 20);
    want(ini, "other", "k", "v", 23);
    assert_int_equal(ini->secs[0].n, 17);
    assert_null(sva_ini_entry_get(&ini->secs[0], "Key_UPPER"));
    assert_null(sva_ini_section_get(ini, "Section.One"));
    assert_null(sva_ini_section_get(ini, "nosuch"));
    sva_ini_free(ini);
}

static void test_bom_and_crlf(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF[a]\r\n"        /* 1: BOM skipped */
                       "k = v\r\n"                  /* 2 */
                       "q = \"x ; y\"\r\n"          /* 3 */
                       "c = w ; comment\r\n"        /* 4 */
                       "\r\n"                       /* 5 */
                       "[b]\r\n"                    /* 6 */
                       "e =\r\n"                    /* 7 */
                       "last = no newline at end";  /* 8 */
    sva_ini *ini = parse_ok(text, strlen(text));
    assert_int_equal(ini->n, 2);
    assert_string_equal(ini->secs[0].name, "a");
    assert_int_equal(ini->secs[0].line, 1);
    want(ini, "a", "k", "v", 2); /* no '\r' left in values */
    want(ini, "a", "q", "x ; y", 3);
    want(ini, "a", "c", "w", 4);
    assert_int_equal(ini->secs[1].line, 6);
    want(ini, "b", "e", "", 7);
    want(ini, "b", "last", "no newline at end", 8);
    sva_ini_free(ini);

    /* a BOM is skipped only at the very start; later it is one problem at its
     * line, and the line is still read (its key is there, nothing else is said) */
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    ini = parse("[a]\n\xEF\xBB\xBFk = v\n", &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 2, "byte order mark (U+FEFF) inside the file"));
    want(ini, "a", "k", "v", 2);
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

/* Two files joined: the second one's BOM sits before a section header. One
 * problem at that line; its keys are filed under their own section, not the
 * one before (where they would be false duplicates). */
static void test_bom_mid_file(void **state)
{
    (void)state;
    const char *text = "[item.a]\n"                  /* 1 */
                       "text = A\n"                  /* 2 */
                       "weight = 1\n"                /* 3 */
                       "\xEF\xBB\xBF[item.b]\n"      /* 4 */
                       "text = B\n"                  /* 5 */
                       "weight = 2\n"                /* 6 */
                       "x = \"in \xEF\xBB\xBF value\"\n"; /* 7: in a value too */
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    sva_ini *ini = parse(text, &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    if (d.n != 2)
        diag_dump(&d);
    assert_int_equal(d.n, 2);
    assert_true(diag_has(&d, 4, "byte order mark"));
    assert_true(diag_has(&d, 7, "byte order mark"));
    assert_false(diag_has(&d, -1, "duplicate"));
    want(ini, "item.a", "text", "A", 2);
    want(ini, "item.b", "text", "B", 5);
    want(ini, "item.b", "weight", "2", 6);
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

/* A carriage return that ends no line: one problem at its line, none after. */
static void test_lone_cr(void **state)
{
    (void)state;
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    /* in a value: the item text would keep an invisible line break */
    const char *text = "[item.a]\r\n"
                       "text = first\rsecond\r\n" /* 2 */
                       "guide = g\r\n"
                       "[item.b]\n"
                       "text = \"quoted\rvalue\"\n"; /* 5 */
    sva_ini *ini = parse(text, &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    if (d.n != 2)
        diag_dump(&d);
    assert_int_equal(d.n, 2);
    assert_true(diag_has(&d, 2, "carriage return in the middle of a line"));
    assert_true(diag_has(&d, 5, "carriage return in the middle of a line"));
    want(ini, "item.a", "guide", "g", 3);
    assert_non_null(sva_ini_entry_get(sva_ini_section_get(ini, "item.b"), "text"));
    sva_ini_free(ini);
    sva_diag_clear(&d);

    /* in a section header: the keys after it go nowhere, quietly */
    ini = parse("[a]\nk = 1\n[b]\r[c]\nk = 2\n", &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    if (d.n != 1)
        diag_dump(&d);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 3, "carriage return"));
    want(ini, "a", "k", "1", 2);
    sva_ini_free(ini);
    sva_diag_clear(&d);

    /* old Mac line endings (CR only): one problem for the file, every line read */
    ini = parse("[a]\rk = 1\r\r[b]\rk = 2\r", &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    if (d.n != 1)
        diag_dump(&d);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 1, "carriage return only"));
    want(ini, "a", "k", "1", 2);
    want(ini, "b", "k", "2", 5);
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

/* A line the scan cannot read (bad UTF-8, too long) that was a section header:
 * the keys after it are not filed under the section before it. */
static void test_lost_header(void **state)
{
    (void)state;
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    sva_ini *ini = parse("[a]\nk = 1\n[caf\xE9]\nk = 2\n", &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    if (d.n != 1)
        diag_dump(&d);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 3, "invalid UTF-8"));
    sva_ini_free(ini);
    sva_diag_clear(&d);
    /* a bad value line keeps its section: a duplicate after it is still found */
    ini = parse("[a]\nk = 1\nv = caf\xE9\nk = 2\n", &rc, &d);
    assert_int_equal(d.n, 2);
    assert_true(diag_has(&d, 3, "invalid UTF-8"));
    assert_true(diag_has(&d, 4, "duplicate key 'k'"));
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

static void test_empty_and_comment_only(void **state)
{
    (void)state;
    sva_ini *ini = parse_ok("", 0);
    assert_int_equal(ini->n, 0);
    sva_ini_free(ini);
    const char *text = "; nothing\n# here\n\n   \n";
    ini = parse_ok(text, strlen(text));
    assert_int_equal(ini->n, 0);
    sva_ini_free(ini);
    ini = parse_ok("\xEF\xBB\xBF", 3);
    assert_int_equal(ini->n, 0);
    sva_ini_free(ini);
    /* a section without keys */
    ini = parse_ok("[lonely]\n", 9);
    assert_int_equal(ini->n, 1);
    assert_int_equal(ini->secs[0].n, 0);
    sva_ini_free(ini);
}

/* Lines up to SVA_INI_MAX_LINE bytes (the CR of CRLF not counted) are read whole. */
static void test_line_length_limit(void **state)
{
    (void)state;
    assert_int_equal(SVA_INI_MAX_LINE, 1000);
    char text[1200];
    char value[1000];
    /* "k = " + 996 x = 1000 bytes */
    memset(value, 'x', 996);
    value[996] = '\0';
    snprintf(text, sizeof text, "[s]\nk = %s\n", value);
    sva_ini *ini = parse_ok(text, strlen(text));
    want(ini, "s", "k", value, 2);
    sva_ini_free(ini);

    snprintf(text, sizeof text, "[s]\r\nk = %s\r\n", value);
    ini = parse_ok(text, strlen(text));
    want(ini, "s", "k", value, 2);
    sva_ini_free(ini);

    /* one more byte: rejected */
    snprintf(text, sizeof text, "[s]\nk = %sx\n", value);
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    ini = parse(text, &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 2, "line too long (1001 bytes; at most 1000)"));
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

/* ---- problems ------------------------------------------------------------------ */

typedef struct problem {
    const char *what;
    const char *text;
    size_t len; /* 0: strlen(text) */
    int line;
    const char *msg;
} problem;

static const problem PROBLEMS[] = {
    {"NUL byte", "[s]\nk = a\0b\n", 12, 2, "binary data (NUL byte)"},
    {"Latin-1 byte", "[s]\nk = caf\xE9\n", 0, 2, "invalid UTF-8 at byte 8 of the line"},
    {"overlong NUL", "[s]\nk = \xC0\x80\n", 0, 2, "invalid UTF-8 at byte 5"},
    {"overlong 3-byte", "[s]\nk = \xE0\x80\xAF\n", 0, 2, "invalid UTF-8 at byte 5"},
    {"surrogate", "[s]\nk = \xED\xA0\x80\n", 0, 2, "invalid UTF-8 at byte 5"},
    {"above U+10FFFF", "[s]\nk = \xF4\x90\x80\x80\n", 0, 2, "invalid UTF-8 at byte 5"},
    {"truncated sequence", "[s]\nk = ab\xE4\xB8\n", 0, 2, "invalid UTF-8 at byte 7"},
    {"stray continuation", "[s]\nk = \x80\n", 0, 2, "invalid UTF-8 at byte 5"},
    {"line continuation", "[s]\nk = a \\\n", 0, 2, "line continuation is not supported"},
    /* iniparser would join the next line to the comment and lose it */
    {"comment ending in backslash", "[s]\n; see C:\\docs\\\nk = v\n", 0, 2,
     "line continuation"},
    {"unclosed header", "[s\nk = v\n", 0, 1, "malformed section header"},
    {"comment after header", "[s] ; c\n", 0, 1, "malformed section header"},
    {"empty section name", "[]\n", 0, 1, "empty section name"},
    {"blank section name", "[  ]\n", 0, 1, "empty section name"},
    {"space in section name", "[a b]\n", 0, 1, "invalid character in section name 'a b'"},
    {"colon in section name", "[a:b]\n", 0, 1, "invalid character in section name 'a:b'"},
    {"duplicate section", "[s]\nk = 1\n[S]\n", 0, 3, "duplicate section [s] (first at line 1)"},
    {"no equals sign", "[s]\njust some words\n", 0, 2, "syntax error"},
    {"empty key", "[s]\n = v\n", 0, 2, "empty key name"},
    {"space in key", "[s]\nmy key = v\n", 0, 2, "invalid character in key name 'my key'"},
    {"colon in key", "[s]\nk:x = v\n", 0, 2, "invalid character in key name 'k:x'"},
    {"unterminated double quote", "[s]\nk = \"abc\n", 0, 2, "unterminated quoted value"},
    {"unterminated single quote", "[s]\nk = 'abc\n", 0, 2, "unterminated quoted value"},
    {"text after quote", "[s]\nk = \"a\" b\n", 0, 2, "text after the closing quote"},
    {"key outside section", "k = v\n[s]\n", 0, 1, "key 'k' outside any section"},
    {"duplicate key", "[s]\nk = 1\nK = 2\n", 0, 3, "duplicate key 'k' in [s] (first at line 2)"},
    {"duplicate key, CRLF", "[s]\r\nk = 1\r\n\r\nk = 1\r\n", 0, 4, "duplicate key 'k'"},
};

static void test_each_problem(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof PROBLEMS / sizeof *PROBLEMS; i++) {
        const problem *p = &PROBLEMS[i];
        size_t len = p->len ? p->len : strlen(p->text);
        sva_diag d;
        sva_diag_init(&d);
        sva_ini *ini = NULL;
        sva_error rc = sva_ini_parse("p.ini", p->text, len, &ini, &d);
        if (rc != SVA_ERR_PARSE || d.n != 1 || !diag_has(&d, p->line, p->msg)) {
            fprintf(stderr, "  case '%s': rc %d, want line %d '%s'\n", p->what, (int)rc,
                    p->line, p->msg);
            diag_dump(&d);
        }
        assert_int_equal(rc, SVA_ERR_PARSE);
        assert_non_null(ini); /* returned anyway, for lint */
        assert_int_equal(d.n, 1);
        assert_true(diag_has(&d, p->line, p->msg));
        assert_string_equal(d.msgs[0].file, "p.ini");
        sva_ini_free(ini);
        sva_diag_clear(&d);
    }
}

/* One file, many problems: all reported, each with its line; the good parts kept. */
static void test_many_problems(void **state)
{
    (void)state;
    const char *text = "k0 = outside\n"        /* 1  key outside any section */
                       "[s]\n"                 /* 2 */
                       "a = 1\n"               /* 3 */
                       "A = 2\n"               /* 4  duplicate key */
                       "no equals here\n"      /* 5  syntax error */
                       "[bad section\n"        /* 6  malformed header */
                       "x = ignored\n"         /* 7  (in the rejected section: quiet) */
                       "[t]\n"                 /* 8 */
                       "q = \"open\n"          /* 9  unterminated quote */
                       "w = caf\xE9\n"         /* 10 invalid UTF-8 */
                       "c = x \\\n"            /* 11 line continuation */
                       "[s]\n"                 /* 12 duplicate section */
                       "z = ignored\n"         /* 13 (in the rejected section: quiet) */
                       "[u]\n"                 /* 14 */
                       "ok = fine\n";          /* 15 */
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    sva_ini *ini = parse(text, &rc, &d);
    assert_int_equal(rc, SVA_ERR_PARSE);
    static const struct {
        int line;
        const char *msg;
    } w[] = {
        {1, "key 'k0' outside any section"},
        {4, "duplicate key 'a' in [s] (first at line 3)"},
        {5, "syntax error"},
        {6, "malformed section header"},
        {9, "unterminated quoted value"},
        {10, "invalid UTF-8 at byte 8"},
        {11, "line continuation"},
        {12, "duplicate section [s] (first at line 2)"},
    };
    size_t nw = sizeof w / sizeof *w;
    if (d.n != nw)
        diag_dump(&d);
    assert_int_equal(d.n, nw);
    for (size_t i = 0; i < nw; i++) {
        if (!diag_has(&d, w[i].line, w[i].msg))
            fprintf(stderr, "  missing line %d: %s\n", w[i].line, w[i].msg);
        assert_true(diag_has(&d, w[i].line, w[i].msg));
        assert_int_equal(d.msgs[i].line, w[i].line); /* in file order */
    }
    /* what could be read is there */
    assert_non_null(ini);
    want(ini, "s", "a", "1", 3);
    want(ini, "u", "ok", "fine", 15);
    assert_null(sva_ini_entry_get(sva_ini_section_get(ini, "s"), "z"));
    assert_null(sva_ini_entry_get(sva_ini_section_get(ini, "t"), "q"));
    sva_ini_free(ini);
    sva_diag_clear(&d);
}

/* A header with text after its ']'. */
static void test_header_trailing_text(void **state)
{
    (void)state;
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    sva_ini *ini = parse("[a] [b]\nk = v\n", &rc, &d);
    bool read_as_a = rc == SVA_OK && sva_ini_section_get(ini, "a") != NULL;
    sva_ini_free(ini);
    sva_diag_clear(&d);
    /* "[a] [b]" is a malformed header, like "[a] ; note": never silently [a] */
    assert_false(read_as_a);
    assert_int_equal(rc, SVA_ERR_PARSE);
}

/* ---- files and the cross-check ---------------------------------------------------- */

static void test_load_file(void **state)
{
    (void)state;
    sva_diag d;
    sva_diag_init(&d);
    sva_ini *ini = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s", src_path("tests/fixtures/checklists/good/minimal.ini"));
    assert_int_equal(sva_ini_load(path, &ini, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(ini->name, path);
    assert_int_equal(ini->n, 3);
    assert_string_equal(ini->secs[0].name, "checklist");
    assert_string_equal(ini->secs[1].name, "section.main");
    assert_string_equal(ini->secs[2].name, "item.main.one");
    assert_int_equal(ini->secs[2].line, 12);
    want(ini, "checklist", "title", "Minimal checklist", 5);
    want(ini, "item.main.one", "text", "The only item", 14);
    sva_ini_free(ini);

    assert_int_equal(sva_ini_load("/nonexistent/x.ini", &ini, &d), SVA_ERR_IO);
    assert_null(ini);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0].file, "/nonexistent/x.ini");
    sva_diag_clear(&d);
}

/* Only regular files are read: a FIFO would wait for a writer for ever and a
 * device never ends. Each is refused at once with one message naming it. */
static void test_only_regular_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/svcaudit-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[4096];
    snprintf(fifo, sizeof fifo, "%s/sheet.ini", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    static const struct {
        const char *path;
        const char *msg;
    } cases[] = {
        {NULL, "is not a regular file (a FIFO, device or socket)"},
        {"/dev/null", "is not a regular file"},
        {"/dev/zero", "is not a regular file"},
        {"/tmp", "is a folder, not a file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path = cases[i].path ? cases[i].path : fifo;
        sva_diag d;
        sva_diag_init(&d);
        sva_ini *ini = NULL;
        char *data = NULL;
        size_t len;
        assert_int_equal(sva_file_read(path, &data, &len, &d), SVA_ERR_IO);
        assert_null(data);
        assert_int_equal(sva_ini_load(path, &ini, &d), SVA_ERR_IO);
        assert_null(ini);
        assert_int_equal(d.n, 2);
        assert_string_equal(d.msgs[0].file, path);
        assert_int_equal(d.msgs[0].line, 0);
        assert_true(diag_has(&d, 0, cases[i].msg));
        sva_diag_clear(&d);
    }
    unlink(fifo);
    rmdir(dir);
}

/* A clean file with quoted values is read a second time by iniparser:
 * through a pipe, no file made; a piece larger than a pipe holds (here 256
 * quoted values of 900 bytes) through a temporary file in $TMPDIR, and
 * when that is impossible the error says so instead of passing. A file
 * without quotes needs no second reading. */
static void test_cross_check_needs_tmpdir(void **state)
{
    (void)state;
    sva_buf big = {0};
    char value[901];
    memset(value, 'x', 900);
    value[900] = '\0';
    sva_buf_printf(&big, "[s]\n");
    for (int i = 0; i < 256; i++) {
        value[0] = (char)('a' + i % 26);
        sva_buf_printf(&big, "k%d = \"%s\"\n", i, value);
    }
    assert_false(big.failed);
    const char *old = getenv("TMPDIR");
    char *saved = old ? sva_strdup(old) : NULL;
    assert_int_equal(setenv("TMPDIR", "/nonexistent/svcaudit-no-such-dir", 1), 0);
    sva_diag d, d_small;
    sva_diag_init(&d);
    sva_diag_init(&d_small);
    sva_error rc, rc_small;
    sva_ini *ini = NULL;
    rc = sva_ini_parse("test.ini", big.data, big.len, &ini, &d);
    sva_ini *small = parse("[s]\nk = \"v ; w\"\n", &rc_small, &d_small);
    sva_error rc_plain;
    sva_ini *plain = parse("[s]\nk = v ; note\nn = \"\"\n", &rc_plain, NULL);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    assert_int_equal(rc, SVA_ERR_IO);
    assert_true(diag_has(&d, 0, "cannot create a temporary file"));
    if (rc_small)
        diag_dump(&d_small);
    assert_int_equal(rc_small, SVA_OK);
    want(small, "s", "k", "v ; w", 2);
    assert_int_equal(rc_plain, SVA_OK);
    want(plain, "s", "k", "v", 2);
    want(plain, "s", "n", "", 3);
    sva_ini_free(plain);
    sva_ini_free(small);
    sva_ini_free(ini);
    sva_diag_clear(&d);
    sva_diag_clear(&d_small);

    /* and with $TMPDIR back, the same text is fine through the file */
    ini = parse_ok(big.data, big.len);
    value[0] = 'a';
    want(ini, "s", "k0", value, 2);
    value[0] = (char)('a' + 255 % 26);
    want(ini, "s", "k255", value, 257);
    sva_ini_free(ini);
    sva_buf_free(&big);
    ini = parse_ok("[s]\nk = v\n", 10);
    sva_ini_free(ini);
}

static void test_null_safety(void **state)
{
    (void)state;
    sva_ini_free(NULL);
    assert_null(sva_ini_section_get(NULL, "s"));
    assert_null(sva_ini_entry_get(NULL, "k"));
    /* a NULL diag: problems still make it fail */
    sva_ini *ini = NULL;
    assert_int_equal(sva_ini_parse("x", "[s]\nk\n", 6, &ini, NULL), SVA_ERR_PARSE);
    sva_ini_free(ini);
}

/* ---- the id rule and blank text ------------------------------------------------ */

static void test_id_rule(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t max;
        unsigned flags;
        bool ok;
    } cases[] = {
        {"sh-001", 40, 0, true},
        {"SH-001", 40, 0, false},
        {"SH-001", 40, SVA_ID_UPPER, true},
        {"a.b", 40, 0, false},
        {"a.b", 40, SVA_ID_DOTS, true},
        {"..a", 40, SVA_ID_DOTS, true}, /* only "." and ".." alone mean folders */
        {".", 40, SVA_ID_DOTS | SVA_ID_UPPER, false},
        {"..", 40, SVA_ID_DOTS | SVA_ID_UPPER, false},
        {"a/b", 40, SVA_ID_DOTS | SVA_ID_UPPER, false},
        {"../x", 40, SVA_ID_DOTS | SVA_ID_UPPER, false},
        {"", 40, SVA_ID_DOTS, false},
        {" a", 40, SVA_ID_DOTS, false},
        {"a ", 40, SVA_ID_DOTS, false},
        {"a\tb", 40, SVA_ID_DOTS, false},
        {"a\x7f", 40, SVA_ID_DOTS, false},
        {"a\xE2\x80\x8B", 40, SVA_ID_DOTS, false},  /* zero-width space */
        {"a\xE2\x80\xAE" "b", 40, SVA_ID_DOTS, false}, /* right-to-left override */
        {"\xEF\xBB\xBF" "a", 40, SVA_ID_DOTS, false}, /* BOM */
        {"abcd", 4, 0, true},
        {"abcde", 4, 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool got = sva_id_ok(cases[i].s, cases[i].max, cases[i].flags);
        if (got != cases[i].ok)
            fprintf(stderr, "  case %zu '%s': got %d\n", i, cases[i].s, got);
        assert_int_equal(got, cases[i].ok);
    }
    assert_false(sva_id_ok(NULL, 40, 0));
    /* the store's rule is this one with capitals, dots and 40 bytes */
    assert_true(sva_ref_id_valid("SH-001.a"));
    assert_false(sva_ref_id_valid(".."));
    assert_false(sva_ref_id_valid("a/b"));
    assert_true(sva_ref_id_valid("0123456789012345678901234567890123456789"));
    assert_false(sva_ref_id_valid("01234567890123456789012345678901234567890"));
    assert_false(sva_valid_id(".", true));
    assert_true(sva_valid_id("a.b", true));
}

static void test_text_blank(void **state)
{
    (void)state;
    assert_true(sva_text_blank(""));
    assert_true(sva_text_blank(" \t "));
    assert_true(sva_text_blank("\xE3\x80\x80"));         /* ideographic space */
    assert_true(sva_text_blank("\xC2\xA0\xE2\x80\x8B ")); /* no-break, zero-width space */
    assert_true(sva_text_blank("\xEF\xBB\xBF"));
    assert_false(sva_text_blank(" a "));
    assert_false(sva_text_blank("\xE4\xB8\xAD"));         /* 中 */
    assert_false(sva_text_blank("."));
}

/* ---- the UTF-8 check the pre-scan relies on --------------------------------------- */

static void test_utf8_valid_prefix(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"", 0},
        {"plain ascii", 11},
        {"\xC2\xA9", 2},              /* © */
        {"\xE4\xB8\xAD\xE6\x96\x87", 6}, /* 中文 */
        {"\xF0\x9F\x98\x80", 4},      /* U+1F600 */
        {"\xF4\x8F\xBF\xBF", 4},      /* U+10FFFF */
        {"\xEF\xBB\xBF", 3},          /* U+FEFF */
        {"ab\xC0\x80", 2},            /* overlong */
        {"ab\xC1\xBF", 2},            /* overlong */
        {"\xE0\x9F\xBF", 0},          /* overlong 3-byte */
        {"\xF0\x8F\xBF\xBF", 0},      /* overlong 4-byte */
        {"a\xED\xA0\x80", 1},         /* surrogate */
        {"a\xED\xBF\xBF", 1},         /* surrogate */
        {"\xF4\x90\x80\x80", 0},      /* above U+10FFFF */
        {"\xF5\x80\x80\x80", 0},
        {"\xFF", 0},
        {"abc\x80", 3},               /* lone continuation byte */
        {"abc\xE4\xB8", 3},           /* cut short at the end */
        {"\xE4\xB8x", 0},             /* continuation missing */
        {"\xC2", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = sva_utf8_valid_prefix((const unsigned char *)cases[i].s,
                                           strlen(cases[i].s));
        if (got != cases[i].want)
            fprintf(stderr, "  case %zu: got %zu, want %zu\n", i, got, cases[i].want);
        assert_int_equal(got, cases[i].want);
    }
    /* the length is respected: a valid character beyond n is not looked at */
    assert_int_equal(sva_utf8_valid_prefix((const unsigned char *)"\xE4\xB8\xAD", 2), 0);
    assert_int_equal(sva_utf8_valid_prefix((const unsigned char *)"a\0b", 3), 3);
}

/* ---- linear time ---------------------------------------------------------------- */

typedef struct timed {
    const char *text;
    size_t len;
    int times;   /* parses per run */
    size_t want; /* sections */
} timed;

static void parse_times(const timed *t)
{
    for (int i = 0; i < t->times; i++) {
        sva_ini *ini = NULL;
        sva_error rc = sva_ini_parse("t.ini", t->text, t->len, &ini, NULL);
        assert_int_equal(rc, SVA_OK);
        assert_int_equal(ini->n, t->want);
        sva_ini_free(ini);
    }
}

/* CPU seconds of the fastest of three runs (CPU time, not the clock: the
 * machine may be busy with other work). */
static double cpu_best_of_3(const timed *t)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        struct timespec a, b;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
        parse_times(t);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
        double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (s < best)
            best = s;
    }
    return best;
}

/* n sections "[junk.N]" of one key each, or (one_section) one section of n keys. */
static void make_ini(sva_buf *b, int n, bool one_section)
{
    if (one_section)
        sva_buf_puts(b, "[audit]\n");
    for (int i = 0; i < n; i++) {
        if (one_section)
            sva_buf_printf(b, "answer%d = \"yes\"\n\n", i);
        else
            sva_buf_printf(b, "[junk.%d]\nanswer = \"yes\"\n", i);
    }
    assert_false(b->failed);
}

/* 10^5 sections, and 10^5 keys in one section, cost per byte what a small
 * file does (read as many times as makes the same number of bytes): within 3x.
 * A reader that compares each new name with all earlier ones is 100x and more
 * slower here (this file took 14 s before the readers were made linear). */
static void test_linear_time(void **state)
{
    (void)state;
    enum { BIG = 100000, SMALL = 1000 };
    sva_buf small = {0}, many = {0}, wide = {0};
    make_ini(&small, SMALL, false);
    make_ini(&many, BIG, false);
    make_ini(&wide, BIG, true);
    timed base = {small.data, small.len, (int)(many.len / small.len), SMALL};
    timed t_many = {many.data, many.len, 1, BIG};
    timed t_wide = {wide.data, wide.len, 1, 1};
    double tb = cpu_best_of_3(&base);
    double tm = cpu_best_of_3(&t_many);
    double tw = cpu_best_of_3(&t_wide) * (double)many.len / (double)wide.len;
    fprintf(stderr, "  ini: %d small files %.3f s, %d sections %.3f s, %d keys in one "
                    "section %.3f s (per %zu bytes)\n",
            base.times, tb, BIG, tm, BIG, tw, many.len);
    assert_true(tm < 3 * tb);
    assert_true(tw < 3 * tb);
    /* and the big section's look-ups and duplicates still work */
    sva_ini *ini = NULL;
    assert_int_equal(sva_ini_parse("w.ini", wide.data, wide.len, &ini, NULL), SVA_OK);
    want(ini, "audit", "answer0", "yes", 2);
    want(ini, "audit", "answer99999", "yes", 2 + 2 * 99999);
    assert_null(sva_ini_entry_get(&ini->secs[0], "answer100000"));
    sva_ini_free(ini);
    sva_buf_puts(&wide, "ANSWER77 = no\n");
    sva_diag d;
    sva_diag_init(&d);
    assert_int_equal(sva_ini_parse("w.ini", wide.data, wide.len, &ini, &d), SVA_ERR_PARSE);
    assert_int_equal(d.n, 1);
    assert_true(diag_has(&d, 2 + 2 * BIG, "duplicate key 'answer77' in [audit] (first at line 156)"));
    sva_ini_free(ini);
    sva_diag_clear(&d);
    sva_buf_free(&small);
    sva_buf_free(&many);
    sva_buf_free(&wide);
}

/* The cross-check reads big files in pieces: a value iniparser reads otherwise
 * is still found far into the file (a piece boundary on the way). */
static void test_cross_check_in_pieces(void **state)
{
    (void)state;
    sva_buf b = {0};
    make_ini(&b, 2000, false);
    sva_ini *ini = NULL;
    assert_int_equal(sva_ini_parse("p.ini", b.data, b.len, &ini, NULL), SVA_OK);
    assert_int_equal(ini->n, 2000);
    want(ini, "junk.1999", "answer", "yes", 4000);
    sva_ini_free(ini);
    sva_buf_free(&b);
}

/* A cross-check shared by several files (sva_ini_parse_queued): each file's
 * values and result are what it gets alone, the pre-scan's problems at once,
 * across pieces that hold lines of several files; a file whose own lines are
 * too big for a pipe goes through the temporary file, and when that fails
 * only that file fails: a small file queued beside it does not. */
static void test_cross_check_shared(void **state)
{
    (void)state;
    sva_buf big = {0};
    sva_buf_printf(&big, "[s]\n");
    for (int i = 0; i < 300; i++)
        sva_buf_printf(&big, "k%d = \"v%d ; #\"\n", i, i);
    const char *a = "[s]\nk = \"it's ; a\" ; c\n[t]\nplain = x\nq = 'say \"hi\"'\n";
    const char *b = "[s]\nk = \"open\n";
    sva_ini_check *c = sva_ini_check_new();
    assert_non_null(c);
    sva_diag d[3];
    sva_ini *ini[3];
    sva_error rc[3];
    const char *text[3] = {a, b, big.data};
    size_t len[3] = {strlen(a), strlen(b), big.len};
    const char *name[3] = {"a.ini", "b.ini", "c.ini"};
    for (int i = 0; i < 3; i++) {
        sva_diag_init(&d[i]);
        sva_error r = sva_ini_parse_queued(c, name[i], text[i], len[i], &ini[i], &d[i], &rc[i]);
        assert_int_equal(r, i == 1 ? SVA_ERR_PARSE : SVA_OK);
    }
    assert_true(diag_has(&d[1], 2, "unterminated quoted value"));
    assert_int_equal(sva_ini_check_flush(c), SVA_OK);
    sva_ini_check_free(c);
    assert_int_equal(rc[0], SVA_OK);
    assert_int_equal(rc[1], SVA_ERR_PARSE);
    assert_int_equal(rc[2], SVA_OK);
    assert_int_equal(d[0].n, 0);
    assert_int_equal(d[1].n, 1);
    assert_int_equal(d[2].n, 0);
    want(ini[0], "s", "k", "it's ; a", 2);
    want(ini[0], "t", "q", "say \"hi\"", 5);
    want(ini[2], "s", "k0", "v0 ; #", 2);
    want(ini[2], "s", "k299", "v299 ; #", 301);
    for (int i = 0; i < 3; i++) {
        sva_ini_free(ini[i]);
        sva_diag_clear(&d[i]);
    }
    sva_buf_free(&big);

    /* 255 values of 900 bytes: a piece of one file larger than a pipe */
    char value[901];
    memset(value, 'x', 900);
    value[900] = '\0';
    sva_buf_printf(&big, "[s]\n");
    for (int i = 0; i < 255; i++)
        sva_buf_printf(&big, "k%d = \"%s\"\n", i, value);
    const char *old = getenv("TMPDIR");
    char *saved = old ? sva_strdup(old) : NULL;
    assert_int_equal(setenv("TMPDIR", "/nonexistent/svcaudit-no-such-dir", 1), 0);
    c = sva_ini_check_new();
    assert_non_null(c);
    text[0] = a;
    len[0] = strlen(a);
    text[1] = big.data;
    len[1] = big.len;
    for (int i = 0; i < 2; i++) {
        sva_diag_init(&d[i]);
        assert_int_equal(
            sva_ini_parse_queued(c, name[i], text[i], len[i], &ini[i], &d[i], &rc[i]), SVA_OK);
    }
    sva_error fl = sva_ini_check_flush(c);
    sva_ini_check_free(c);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    assert_int_equal(fl, SVA_ERR_IO);
    if (rc[0])
        diag_dump(&d[0]);
    assert_int_equal(rc[0], SVA_OK);
    assert_int_equal(d[0].n, 0);
    assert_int_equal(rc[1], SVA_ERR_IO);
    assert_true(diag_has(&d[1], 0, "cannot create a temporary file"));
    assert_int_equal(d[1].n, 1);
    for (int i = 0; i < 2; i++) {
        sva_ini_free(ini[i]);
        sva_diag_clear(&d[i]);
    }
    sva_buf_free(&big);
}

/* The cross-check leaves out values without quotes (ini.c, needs_check): for
 * those the pre-scan must read what iniparser reads. Random quote-free values
 * of blanks, '=', ';', '#', letters, digits and UTF-8, each compared with
 * iniparser's own reading of the same file. */
/* Is the cross-check's "read ambiguously" reachable with this iniparser
 * (4.1)? Every value of up to four pieces (quotes, escapes, comment marks,
 * '=', blanks, empty quotes, UTF-8) that the pre-scan accepts must be read by
 * iniparser as the pre-scan reads it, and none may draw that message. */
/* The pre-scan's reading of the file @p data (section [s], @p n keys) is
 * iniparser's, value for value (iniparser reads it from a file). */
static void read_alike(const char *data, size_t len, size_t n)
{
    sva_ini *ini = parse_ok(data, len);
    char path[] = "/tmp/svcaudit-test-alike-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    dictionary *dict = iniparser_load(path);
    unlink(path);
    assert_non_null(dict);
    const sva_ini_section *s = sva_ini_section_get(ini, "s");
    assert_int_equal(s->n, n);
    for (size_t i = 0; i < s->n; i++) {
        char k[32];
        snprintf(k, sizeof k, "s:%s", s->entries[i].key);
        const char *v = iniparser_getstring(dict, k, NULL);
        if (!v || strcmp(v, s->entries[i].value) != 0)
            fail_msg("line %d: iniparser reads '%s', the pre-scan '%s'", s->entries[i].line,
                     v ? v : "(nothing)", s->entries[i].value);
    }
    iniparser_freedict(dict);
    sva_ini_free(ini);
}

static void test_quoted_values_read_alike(void **state)
{
    (void)state;
    static const char *const parts[] = {"\"", "'", ";", "#", "=", "\\", " ", "a",
                                        "\"\"", "''", "\\\"", "\xc3\xa9"};
    enum { NP = sizeof parts / sizeof *parts, DEPTH = 4 };
    sva_buf all = {0};
    sva_buf_puts(&all, "[s]\n");
    size_t n_ok = 0, n_quoted = 0;
    int idx[DEPTH];
    for (int len = 0; len <= DEPTH; len++) {
        for (int i = 0; i < len; i++)
            idx[i] = 0;
        for (;;) {
            char v[64] = "";
            for (int i = 0; i < len; i++)
                strcat(v, parts[idx[i]]);
            char text[96];
            int tn = snprintf(text, sizeof text, "[s]\nkey =%s\n", v);
            sva_ini *ini = NULL;
            sva_diag d;
            sva_diag_init(&d);
            sva_error rc = sva_ini_parse("q.ini", text, (size_t)tn, &ini, &d);
            for (size_t m = 0; m < d.n; m++)
                if (strstr(d.msgs[m].msg, "ambiguous"))
                    fail_msg("value [%s]: %s", v, d.msgs[m].msg);
            if (rc == SVA_OK) {
                n_ok++;
                n_quoted += strchr(v, '"') || strchr(v, '\'');
                sva_buf_printf(&all, "k%zu =%s\n", n_ok, v);
            }
            sva_ini_free(ini);
            sva_diag_clear(&d);
            int i = len - 1;
            while (i >= 0 && ++idx[i] == NP)
                idx[i--] = 0;
            if (i < 0)
                break;
        }
    }
    assert_true(n_quoted > 1000); /* the quoted values were tried, not only refused */
    /* and read directly by iniparser, all in one file, alike */
    read_alike(all.data, all.len, n_ok);
    sva_buf_free(&all);
}

static void test_quote_free_values_read_alike(void **state)
{
    (void)state;
    static const char *const parts[] = {" ", "\t", "=", ";", "#", "a", "B", "7", ",", "-",
                                        "/", "\xc3\xa9", "\xe5\x8f\xa3", "x y", ":", "."};
    unsigned long long r = 0x2545F4914F6CDD1Dull;
    sva_buf b = {0};
    sva_buf_puts(&b, "[s]\n");
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        sva_buf_printf(&b, "k%d =", i);
        int len = (int)(r % 12);
        for (int k = 0; k < len; k++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            sva_buf_puts(&b, parts[r % (sizeof parts / sizeof *parts)]);
        }
        sva_buf_puts(&b, "\n");
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    }
    read_alike(b.data, b.len, N);
    sva_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_as_iniparser_reads_them),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_bom_mid_file),
        cmocka_unit_test(test_lone_cr),
        cmocka_unit_test(test_lost_header),
        cmocka_unit_test(test_empty_and_comment_only),
        cmocka_unit_test(test_line_length_limit),
        cmocka_unit_test(test_each_problem),
        cmocka_unit_test(test_many_problems),
        cmocka_unit_test(test_header_trailing_text),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_only_regular_files),
        cmocka_unit_test(test_cross_check_needs_tmpdir),
        cmocka_unit_test(test_null_safety),
        cmocka_unit_test(test_utf8_valid_prefix),
        cmocka_unit_test(test_id_rule),
        cmocka_unit_test(test_text_blank),
        cmocka_unit_test(test_linear_time),
        cmocka_unit_test(test_cross_check_in_pieces),
        cmocka_unit_test(test_cross_check_shared),
        cmocka_unit_test(test_quote_free_values_read_alike),
        cmocka_unit_test(test_quoted_values_read_alike),
    };
    return cmocka_run_group_tests_name("ini", tests, NULL, NULL);
}

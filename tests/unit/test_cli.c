/* svcaudit tests: the CLI's option layer (src/cli/opt.c) and its JSON writer
 * (src/cli/json.c), without main.c: the checked conversions, edit distance
 * and suggestions, parsing per subcommand, and JSON that always decodes. */
#include "testutil.h"

#include <limits.h>
#include <math.h>

#include "cli/cli.h"

/* ---- conversions ------------------------------------------------------------------ */

static void test_to_int(void **state)
{
    (void)state;
    long long v = 0;
    assert_true(cli_to_int("12", 1, 100, &v));
    assert_int_equal(v, 12);
    assert_true(cli_to_int("-3", -5, 5, &v));
    assert_int_equal(v, -3);
    assert_true(cli_to_int("9223372036854775807", 1, LLONG_MAX, &v));
    assert_true(v == LLONG_MAX);
    v = 7;
    const char *bad[] = {"",    "-",  "12abc", "+5", " 5", "5 ", "0x10", "1e3",
                         "1.0", "--1", "99999999999999999999", "9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (cli_to_int(bad[i], LLONG_MIN, LLONG_MAX, &v))
            fail_msg("'%s' converted to %lld", bad[i], v);
    }
    assert_int_equal(v, 7); /* a refused value leaves the variable alone */
    assert_false(cli_to_int("-3", 1, 1000, &v));
    assert_false(cli_to_int("1001", 1, 1000, &v));
    assert_false(cli_to_int("0", 1, 1000, &v));
    assert_true(cli_to_int("1000", 1, 1000, &v));
}

static void test_to_double(void **state)
{
    (void)state;
    double v = 0;
    assert_true(cli_to_double("82.5", 0, 100, &v));
    assert_true(v == 82.5);
    assert_true(cli_to_double("1e2", 0, 100, &v));
    assert_true(v == 100.0);
    assert_true(cli_to_double("-0", 0, 100, &v));
    assert_false(signbit(v)); /* never -0 */
    const char *bad[] = {"", "abc", "1e999", "-1e999", "nan", "inf", "0x1p3", " 5", "5 ", "1,5",
                         "."};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cli_to_double(bad[i], -1e308, 1e308, &v))
            fail_msg("'%s' converted to %g", bad[i], v);
    assert_false(cli_to_double("100.01", 0, 100, &v));
    assert_false(cli_to_double("-0.5", 0, 100, &v));
}

static void test_is_date(void **state)
{
    (void)state;
    assert_true(cli_is_date("2026-11-30"));
    assert_true(cli_is_date("2024-02-29")); /* divisible by 4 */
    assert_true(cli_is_date("2000-02-29")); /* by 400 */
    assert_false(cli_is_date("1900-02-29")); /* by 100, not 400 */
    assert_false(cli_is_date("2023-02-29"));
    assert_false(cli_is_date("2026-02-30"));
    assert_false(cli_is_date("2026-13-01"));
    assert_false(cli_is_date("2026-00-10"));
    assert_false(cli_is_date("2026-11-00"));
    assert_false(cli_is_date("2026-1-01"));
    assert_false(cli_is_date("12/11/2026"));
    assert_false(cli_is_date("1899-12-31"));
    assert_false(cli_is_date(""));
}

/* ---- did you mean ------------------------------------------------------------------- */

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(cli_edit_distance("record", "record"), 0);
    assert_int_equal(cli_edit_distance("recrod", "record"), 1); /* one swap */
    assert_int_equal(cli_edit_distance("lsit", "list"), 1);
    assert_int_equal(cli_edit_distance("cylce", "cycle"), 1);
    assert_int_equal(cli_edit_distance("kitten", "sitting"), 3); /* k->s, e->i, +g */
    assert_int_equal(cli_edit_distance("", "abc"), 3);
    assert_int_equal(cli_edit_distance("audit", "auditors"), 3);
}

static void test_suggest(void **state)
{
    (void)state;
    static const char *const cmds[] = {"action", "audit", "auditors", "checklist", "cycle",
                                       "employee", "export", "init", "merge", "record",
                                       "repeats", "store", "survey", "target", "trend"};
    size_t n = sizeof cmds / sizeof *cmds;
    char out[128];
    cli_suggest("recrod", cmds, n, "", out, sizeof out);
    assert_string_equal(out, "'record'");
    cli_suggest("cylce", cmds, n, "", out, sizeof out);
    assert_string_equal(out, "'cycle'");
    cli_suggest("frobnicate", cmds, n, "", out, sizeof out);
    assert_string_equal(out, "");
    cli_suggest("x", cmds, n, "", out, sizeof out); /* never a word wholly different */
    assert_string_equal(out, "");
    static const char *const subs[] = {"list", "last", "show"};
    cli_suggest("lst", subs, 3, "--", out, sizeof out); /* a tie: both, with the prefix */
    assert_string_equal(out, "'--list' or '--last'");
}

/* ---- parsing ------------------------------------------------------------------------ */

static const char *p_cycle, *p_text, *p_date;
static bool p_all;
static long p_n = 6;
static double p_value;
static int p_format;
static long long p_id;
static sva_kv p_set[2];
static size_t p_nset;
static int runs;

static int p_run(cli_ctx *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    return runs++;
}

static const cli_opt list_opts[] = {
    OPT_STRING(0, "cycle", &p_cycle, "ID", "", 0),
    OPT_FLAG(0, "all", &p_all, ""),
    OPT_INT("cycles", &p_n, "N", 1, 1000, ""),
    OPT_ENUM("format", &p_format, cli_formats, ""),
    OPT_END(),
};
static const cli_opt set_opts[] = {
    OPT_STRING(0, "text", &p_text, "T", "", CLI_OPT_REQUIRED),
    OPT_DOUBLE("value", &p_value, "V", 0, 100, "", 0),
    OPT_DATE("date", &p_date, "", 0),
    OPT_SET("set", p_set, &p_nset, 2, "K=V", ""),
    OPT_END(),
};
static const cli_sub p_subs[] = {
    {.name = "list", .synopsis = "t list", .opts = list_opts, .run = p_run},
    {.name = "set", .synopsis = "t set ID", .opts = set_opts, .min_args = 1, .max_args = 1,
     .args = "one ID", .id_arg = &p_id, .id_what = "a number", .run = p_run},
};
static const cli_command p_cmd = {p_subs, 2, NULL};

static void reset(void)
{
    p_cycle = p_text = p_date = NULL;
    p_all = false;
    p_n = 6;
    p_value = 0;
    p_format = CLI_TABLE;
    p_id = 0;
    p_nset = 0;
}

/* parse the words of @p line (split at spaces; argv[0] is "t") */
static int parse(const char *line, const cli_sub **sub, int *nargs, char ***args)
{
    static char buf[512];
    static char *argv[32];
    snprintf(buf, sizeof buf, "t %s", line);
    int argc = 0;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && argc < 31;
         w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    reset();
    return cli_parse(&p_cmd, "t", argc, argv, sub, nargs, args);
}

static void test_parse(void **state)
{
    (void)state;
    const cli_sub *sub;
    int n;
    char **args;
    /* options before and after the subcommand word, abbreviations, --x=v */
    assert_int_equal(parse("--form json list --cycle 2026-11 --al --cycles=12", &sub, &n, &args),
                     -1);
    assert_string_equal(sub->name, "list");
    assert_int_equal(n, 0);
    assert_int_equal(p_format, CLI_JSON);
    assert_string_equal(p_cycle, "2026-11");
    assert_true(p_all);
    assert_int_equal(p_n, 12);
    /* positional id, a double, a date, repeated K=V; "--" ends the options */
    assert_int_equal(parse("set --text hi --value 82.5 --set a=1 --set b= --date 2026-11-30 -- 7",
                           &sub, &n, &args),
                     -1);
    assert_string_equal(sub->name, "set");
    assert_int_equal(n, 1);
    assert_string_equal(args[0], "7");
    assert_int_equal(p_id, 7);
    assert_true(p_value == 82.5);
    assert_string_equal(p_date, "2026-11-30");
    assert_int_equal(p_nset, 2);
    assert_string_equal(p_set[0].key, "a");
    assert_string_equal(p_set[0].value, "1");
    assert_string_equal(p_set[1].key, "b");
    assert_string_equal(p_set[1].value, "");
    /* a value that starts with '-' is still the option's value */
    assert_int_equal(parse("set 7 --text -x", &sub, &n, &args), -1);
    assert_string_equal(p_text, "-x");
    /* --help and --version anywhere: exit 0 without running */
    assert_int_equal(parse("list --help", &sub, &n, &args), EXIT_OKAY);
    assert_int_equal(parse("set --version", &sub, &n, &args), EXIT_OKAY);
    assert_int_equal(parse("--help", &sub, &n, &args), EXIT_OKAY);
    /* the global ones too */
    assert_int_equal(parse("list --db x.db", &sub, &n, &args), -1);
    assert_string_equal(g_cli.db, "x.db");
}

static void test_parse_refused(void **state)
{
    (void)state;
    const cli_sub *sub;
    int n;
    char **args;
    const char *bad[] = {
        "list --text x",        /* another subcommand's option */
        "set 7 --text x --all", /* ... the other way round */
        "list --cylce x",       /* unknown (a typo) */
        "list --c x",           /* ambiguous: --cycle, --cycles, --checklists */
        "list --cyc x",         /* ambiguous: --cycle, --cycles */
        "list --all=yes",       /* a flag takes no value */
        "list --cycle",         /* a value missing */
        "list --cycles 0",      /* out of range */
        "list --cycles x",
        "list --format xml", /* not a choice */
        "set 7",             /* --text is required */
        "set --text x",      /* the ID is missing */
        "set 7 8 --text x",  /* one too many */
        "set 12abc --text x", /* not a number */
        "set 0 --text x",
        "set 7 --text x --value 1e999",
        "set 7 --text x --value nan",
        "set 7 --text x --value 100.5",
        "set 7 --text x --date 2026-02-30",
        "set 7 --text x --set novalue",
        "set 7 --text x --set a=1 --set b=2 --set c=3", /* more than 2 */
        "lsit",                                          /* unknown subcommand */
        "",                                              /* none */
        "list --db=",                                    /* an empty global value */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = parse(bad[i], &sub, &n, &args);
        if (rc != EXIT_USAGE)
            fail_msg("'%s': exit %d, want %d", bad[i], rc, EXIT_USAGE);
    }
    assert_int_equal(runs, 0); /* parsing never runs anything */
}

/* ---- JSON ------------------------------------------------------------------------------ */

static char *json_of(void (*write)(cli_json *j))
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    cli_json j;
    json_init(&j, f);
    write(&j);
    fclose(f);
    return buf;
}

static void write_strings(cli_json *j)
{
    json_array(j);
    json_string(j, "tab\there \"quoted\" back\\slash\nline\r\x01\x1f");
    json_string(j, "\xe5\x85\xad" "S \xe7\xae\xa1\xe7\x90\x86"); /* valid UTF-8 stays */
    json_string(j, "a\xff" "b");                  /* a byte that starts nothing */
    json_string(j, "\xc0\xaf");                   /* overlong '/' */
    json_string(j, "\xed\xa0\x80");               /* a surrogate */
    json_string(j, "cut \xe4\xb8");               /* a character cut short */
    json_string(j, "\xf4\x90\x80\x80");           /* beyond U+10FFFF */
    json_string(j, NULL);
    json_end(j);
    json_finish(j);
}

static void test_json_strings(void **state)
{
    (void)state;
    char *s = json_of(write_strings);
    assert_string_equal(s, "[\"tab\\there \\\"quoted\\\" back\\\\slash\\nline\\r\\u0001\\u001f\", "
                           "\"\xe5\x85\xad" "S \xe7\xae\xa1\xe7\x90\x86\", "
                           "\"a\xef\xbf\xbd" "b\", "
                           "\"\xef\xbf\xbd\xef\xbf\xbd\", "
                           "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\", "
                           "\"cut \xef\xbf\xbd\xef\xbf\xbd\", "
                           "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\", null]\n");
    free(s);
}

/* the shapes the outputs have: a document with its members on one line, two
 * members after a line break, a table-like array of one object per line */
static void write_document(cli_json *j)
{
    json_object(j);
    json_layout(j, NULL, "\n", true);
    json_kstring(j, "cycle", "2026-11");
    json_knumber(j, "score", "82.5");
    json_knumber(j, "none", "");
    json_kint(j, "n", -3);
    json_kreal(j, "alpha", 0.05);
    json_kreal(j, "bad", NAN);
    json_kbool(j, "ok", true);
    json_break(j, "\n ");
    json_key(j, "empty");
    json_array(j);
    json_end(j);
    json_break(j, "\n ");
    json_key(j, "rows");
    json_array(j);
    json_layout(j, "\n ", "\n", false);
    for (int i = 1; i <= 2; i++) {
        json_object(j);
        json_kint(j, "i", i);
        json_key(j, "x");
        json_null(j);
        json_end(j);
    }
    json_end(j);
    json_end(j);
    json_finish(j);
}

static void test_json_layout(void **state)
{
    (void)state;
    char *s = json_of(write_document);
    assert_string_equal(s, "{\"cycle\": \"2026-11\", \"score\": 82.5, \"none\": null, \"n\": -3, "
                           "\"alpha\": 0.05, \"bad\": null, \"ok\": true,\n"
                           " \"empty\": [],\n"
                           " \"rows\": [\n"
                           " {\"i\": 1, \"x\": null},\n"
                           " {\"i\": 2, \"x\": null}\n"
                           "]\n"
                           "}\n");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_int),       cmocka_unit_test(test_to_double),
        cmocka_unit_test(test_is_date),      cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest),      cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_refused), cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_json_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

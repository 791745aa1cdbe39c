/* svcaudit tests: the CLI's JSON writer (src/cli/json.c), without the rest of
 * the CLI: strings that always decode, and the layouts the outputs use. */
#include "testutil.h"

#include <math.h>

#include "cli/json.h"

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
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_json_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

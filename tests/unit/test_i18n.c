/* svcaudit tests: the label catalogue is complete in every language, keys
 * are unique, look-ups find them, and an unknown language is known as such. */
#include "testutil.h"

static void test_complete(void **state)
{
    (void)state;
    int n = sva_tr_count();
    assert_true(n > 0);
    int missing = 0;
    for (int i = 0; i < n; i++) {
        const char *k = sva_tr_key(i);
        if (!sva_tr_at(i, "en")) {
            print_error("key '%s' has no English text\n", k);
            missing++;
        }
        if (!sva_tr_at(i, "zh")) {
            print_error("key '%s' has no Chinese text\n", k);
            missing++;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(sva_tr_key(j), k) == 0) {
                print_error("key '%s' is in the catalogue twice\n", k);
                missing++;
            }
    }
    assert_int_equal(missing, 0);
}

/* The printf conversions of a text, in order ("%ld%s"). */
static void conversions(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 4 < size; s++) {
        if (*s != '%')
            continue;
        s++;
        while (*s && strchr("0123456789.-+ #l", *s))
            out[o++] = *s++;
        if (*s)
            out[o++] = *s;
        if (!*s)
            break;
    }
    out[o] = '\0';
}

static void test_same_conversions(void **state)
{
    (void)state;
    int bad = 0;
    for (int i = 0; i < sva_tr_count(); i++) {
        char en[64], zh[64];
        conversions(sva_tr_at(i, "en"), en, sizeof en);
        conversions(sva_tr_at(i, "zh"), zh, sizeof zh);
        if (strcmp(en, zh) != 0) {
            print_error("key '%s': conversions '%s' in English, '%s' in Chinese\n",
                        sva_tr_key(i), en, zh);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    char c[16];
    conversions("%ld of %5.1f%%", c, sizeof c);
    assert_string_equal(c, "ld5.1f%");
}

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(sva_tr(NULL, "status.met"), "met");
    assert_string_equal(sva_tr("en", "status.missed"), "missed");
    assert_string_equal(sva_tr("zh", "status.met"), "达标");
    /* every key is found by its look-up, in both languages */
    for (int i = 0; i < sva_tr_count(); i++) {
        assert_string_equal(sva_tr("zh", sva_tr_key(i)), sva_tr_at(i, "zh"));
        assert_string_equal(sva_tr(NULL, sva_tr_key(i)), sva_tr_at(i, "en"));
    }
    /* an unknown key comes back as it is */
    assert_string_equal(sva_tr("zh", "no.such.key"), "no.such.key");
    assert_true(sva_lang_known(NULL));
    assert_true(sva_lang_known("zh"));
    assert_false(sva_lang_known("fr"));
    /* a name without a translation stays itself */
    assert_string_equal(sva_tr_name("zh", "verdict", "improved"), "改善");
    assert_string_equal(sva_tr_name("zh", "verdict", "made-up"), "made-up");
    assert_string_equal(sva_tr_name(NULL, "role", "sales"), "sales");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_same_conversions),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

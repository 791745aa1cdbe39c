/* svcaudit tests: the checklist and 5W1H form loader, lint, the catalog and
 * the content hash, on the fixtures in tests/fixtures/checklists/{good,bad}. */
#include "testutil.h"
#include "util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GOOD "tests/fixtures/checklists/good/"
#define BAD_DIR "tests/fixtures/checklists/bad/"

/* ---- helpers -------------------------------------------------------------- */

/* Absolute path of a file in the source tree, in a caller's buffer. */
static char *path_of(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s", src_path(rel));
    return buf;
}

/* Load a good checklist; fails the test (showing the diag) if it does not load. */
static sva_checklist *load_good(const char *rel)
{
    char path[4096];
    path_of(path, sizeof path, rel);
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl = NULL;
    sva_error rc = sva_checklist_load(path, &cl, &d);
    if (rc != SVA_OK || d.n) {
        fprintf(stderr, "  loading %s:\n", rel);
        diag_dump(&d);
    }
    assert_int_equal(rc, SVA_OK);
    assert_int_equal(d.n, 0);
    assert_non_null(cl);
    sva_diag_clear(&d);
    return cl;
}

static const sva_item *item_named(const sva_checklist *cl, const char *id)
{
    long i = sva_checklist_item_index(cl, id);
    if (i < 0)
        fprintf(stderr, "  no item '%s' in '%s'\n", id, cl->id);
    assert_true(i >= 0);
    return &cl->items[i];
}

static const sva_field *field_named(const sva_form *f, const char *key)
{
    for (size_t i = 0; i < f->n_fields; i++)
        if (strcmp(f->fields[i].key, key) == 0)
            return &f->fields[i];
    fprintf(stderr, "  no field '%s'\n", key);
    fail();
    return NULL;
}

/* Read a whole file (NUL-terminated); the test fails if it cannot. */
static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    sva_diag d;
    sva_diag_init(&d);
    assert_int_equal(sva_read_file(path, &data, len, &d), SVA_OK);
    sva_diag_clear(&d);
    return data;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Does a file in the checklists folder define a form (a [form] line)? */
static int is_form_text(const char *data)
{
    return strncmp(data, "[form]", 6) == 0 || strstr(data, "\n[form]") != NULL;
}

/* ---- rejected files: one fixture per problem ----------------------------------- */

typedef struct bad_case {
    const char *file;  /* under tests/fixtures/checklists/bad/ */
    int line;          /* line of the expected message (0 = the whole file) */
    const char *msg;   /* a substring of the expected message */
    size_t count;      /* exact number of messages; 0 = not checked */
    const char *bug;   /* non-NULL: a known bug (see the comment in the table) */
} bad_case;

/* The expected line of each was read off the fixture. `count` is given where the
 * fixture has exactly one problem and nothing else may be reported. */
static const bad_case BAD_CASES[] = {
    {"unknown_key.ini", 15, "unknown key 'wieght' in [item.main.one]", 1, NULL},
    {"unknown_section.ini", 16, "unknown section [sections.extra]", 1, NULL},
    {"duplicate_key.ini", 8, "duplicate key 'title' in [checklist] (first at line 5)", 1, NULL},
    {"duplicate_section.ini", 16, "duplicate section [section.main] (first at line 9)", 1, NULL},
    {"missing_id.ini", 2, "missing required key 'id'", 1, NULL},
    {"missing_title.ini", 2, "missing required key 'title'", 1, NULL},
    {"missing_subject.ini", 2, "missing required key 'subject'", 1, NULL},
    {"missing_item_text.ini", 16, "[item.main.two]: missing required key 'text'", 1, NULL},
    {"item_unknown_section.ini", 17, "item 'main.two' is in unknown section 'mian'", 1, NULL},
    {"bad_scale.ini", 15, "bad scale '0-3'", 1, NULL},
    {"bad_weight.ini", 15, "bad weight 'heavy'", 1, NULL},
    {"zero_weight.ini", 15, "bad weight '0'", 1, NULL},
    {"bad_id.ini", 3, "bad id 'Sales Shop'", 1, NULL},
    {"bad_version.ini", 4, "bad version '2.0'", 1, NULL},
    {"bad_subject.ini", 6, "bad subject 'customer'", 1, NULL},
    {"bad_index.ini", 7, "bad index 'nps'", 1, NULL},
    {"bad_policy.ini", 8, "bad critical_policy 'fail'", 1, NULL},
    {"bad_evidence.ini", 15, "bad evidence 'sometimes'", 1, NULL},
    {"bad_bool.ini", 15, "'na' must be yes or no, not 'maybe'", 1, NULL},
    {"invalid_utf8.ini", 15, "invalid UTF-8 at byte 14", 1, NULL},
    {"long_line.ini", 15, "line too long (1200 bytes", 1, NULL},
    {"no_items.ini", 0, "checklist has no items", 1, NULL},
    /* nothing at all: no [checklist] (and no items) */
    {"empty.ini", 0, "missing [checklist] section", 0, NULL},
    /* reported at line 13, the first section without a weight */
    {"mixed_section_weights.ini", 13, "give every section a weight or none", 1, NULL},
    {"section_without_items.ini", 12, "section 'extra' has no items", 1, NULL},
    {"key_outside_section.ini", 2, "key 'author' outside any section", 1, NULL},
    {"unterminated_quote.ini", 15, "unterminated quoted value", 1, NULL},
    /* the continued line (16) is also reported, as a syntax error */
    {"line_continuation.ini", 15, "line continuation", 0, NULL},
    {"nul_byte.ini", 15, "NUL byte", 1, NULL},
    {"malformed_header.ini", 16, "malformed section header", 1, NULL},
    {"form_bad_type.ini", 14, "bad type 'string'", 1, NULL},
    {"form_enum_no_values.ini", 12, "[field.status]: type enum needs 'values", 1, NULL},
    {"form_missing_label.ini", 12, "[field.who]: missing required key 'label'", 1, NULL},
    {"many_errors.ini", 4, "bad version 'one'", 6, NULL},
    /* one message: the keys after the BOM are not false duplicates of item one's */
    {"bom_mid_file.ini", 15, "byte order mark (U+FEFF) inside the file", 1, NULL},
    {"lone_cr_value.ini", 14, "carriage return in the middle of a line", 1, NULL},
};
#define N_BAD (sizeof BAD_CASES / sizeof *BAD_CASES)

/* Each bad fixture: the loader fails, returns nothing, and says where and what. */
static void test_bad_fixture(void **state)
{
    const bad_case *c = *state;
    char rel[512], path[4096];
    snprintf(rel, sizeof rel, BAD_DIR "%s", c->file);
    path_of(path, sizeof path, rel);
    bool form = strncmp(c->file, "form_", 5) == 0;

    sva_diag d;
    sva_diag_init(&d);
    sva_error rc;
    if (form) {
        sva_form *f = (sva_form *)&d; /* anything but NULL: the loader must reset it */
        rc = sva_form_load(path, &f, &d);
        assert_null(f);
    } else {
        sva_checklist *cl = (sva_checklist *)&d;
        rc = sva_checklist_load(path, &cl, &d);
        assert_null(cl);
    }
    assert_true(rc == SVA_ERR_PARSE || rc == SVA_ERR_INVALID);
    assert_true(d.n >= 1);
    for (size_t i = 0; i < d.n; i++) {
        assert_non_null(d.msgs[i].file); /* "file:line: message" */
        assert_string_equal(d.msgs[i].file, path);
    }
    if (!diag_has(&d, -1, c->msg))
        diag_dump(&d);
    assert_true(diag_has(&d, -1, c->msg));

    if (!diag_has(&d, c->line, c->msg)) {
        fprintf(stderr, "  want line %d: %s\n", c->line, c->msg);
        diag_dump(&d);
    }
    assert_true(diag_has(&d, c->line, c->msg));
    if (c->count && d.n != c->count)
        diag_dump(&d);
    if (c->count)
        assert_int_equal(d.n, c->count);

    /* lint reports the same problem at the same line */
    sva_diag l;
    sva_diag_init(&l);
    assert_true(sva_lint_file(path, &l) >= 1);
    assert_true(diag_has(&l, c->line, c->msg));
    sva_diag_clear(&l);
    sva_diag_clear(&d);
}

/* Every fixture in bad/ has an expectation above (none is left untested). */
static void test_bad_fixtures_all_listed(void **state)
{
    (void)state;
    char dir[4096];
    path_of(dir, sizeof dir, BAD_DIR);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    size_t seen = 0;
    while ((de = readdir(dp))) {
        if (!ends_with(de->d_name, ".ini"))
            continue;
        bool listed = false;
        for (size_t i = 0; i < N_BAD; i++)
            listed |= strcmp(BAD_CASES[i].file, de->d_name) == 0;
        if (!listed)
            fprintf(stderr, "  %s has no expectation in BAD_CASES\n", de->d_name);
        assert_true(listed);
        seen++;
    }
    closedir(dp);
    assert_int_equal(seen, N_BAD);
}

/* The byte-level fixtures are what the table assumes (an editor may "fix" them). */
static void test_bad_fixture_bytes(void **state)
{
    (void)state;
    char path[4096];
    size_t len;

    char *data = slurp(path_of(path, sizeof path, BAD_DIR "long_line.ini"), &len);
    const char *p = data;
    for (int line = 1; line < 15; line++)
        p = strchr(p, '\n') + 1;
    assert_int_equal(strcspn(p, "\n"), 1200);
    free(data);

    data = slurp(path_of(path, sizeof path, BAD_DIR "invalid_utf8.ini"), &len);
    p = data;
    for (int line = 1; line < 15; line++)
        p = strchr(p, '\n') + 1;
    assert_int_equal((unsigned char)p[13], 0xE9); /* byte 14 of line 15 */
    assert_int_equal(sva_utf8_valid_prefix((const unsigned char *)p, strcspn(p, "\n")), 13);
    free(data);

    data = slurp(path_of(path, sizeof path, BAD_DIR "nul_byte.ini"), &len);
    assert_true(strlen(data) < len); /* a NUL before the end */
    size_t nl = 0;
    for (size_t i = 0; i < strlen(data); i++)
        nl += data[i] == '\n';
    assert_int_equal(nl, 14); /* so the NUL is on line 15 */
    free(data);

    data = slurp(path_of(path, sizeof path, BAD_DIR "empty.ini"), &len);
    assert_int_equal(len, 0);
    free(data);

    data = slurp(path_of(path, sizeof path, GOOD "bom_crlf.ini"), &len);
    assert_memory_equal(data, "\xEF\xBB\xBF", 3);
    size_t crlf = 0, lf = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n') {
            lf++;
            crlf += i > 0 && data[i - 1] == '\r';
        }
    assert_int_equal(lf, 16);
    assert_int_equal(crlf, lf);
    free(data);
}

/* A NULL diag is accepted (messages discarded); nothing returned still. */
static void test_bad_null_diag(void **state)
{
    (void)state;
    char path[4096];
    sva_checklist *cl = NULL;
    sva_error rc = sva_checklist_load(path_of(path, sizeof path, BAD_DIR "bad_scale.ini"), &cl,
                                      NULL);
    assert_int_not_equal(rc, SVA_OK);
    assert_null(cl);
}

static void test_missing_file(void **state)
{
    (void)state;
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl = NULL;
    const char *path = "/nonexistent/svcaudit/none.ini";
    assert_int_equal(sva_checklist_load(path, &cl, &d), SVA_ERR_IO);
    assert_null(cl);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0].file, path);
    assert_true(diag_has(&d, 0, "cannot open"));
    sva_diag_clear(&d);

    assert_int_equal(sva_lint_file(path, &d), 1);
    assert_true(diag_has(&d, 0, "cannot open"));
    sva_diag_clear(&d);
}

/* A form is not a checklist and a checklist is not a form. */
static void test_form_checklist_confusion(void **state)
{
    (void)state;
    char path[4096];
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl = NULL;
    assert_int_not_equal(sva_checklist_load(path_of(path, sizeof path, GOOD "form.ini"), &cl, &d),
                         SVA_OK);
    assert_null(cl);
    assert_true(diag_has(&d, 2, "this is a form"));
    sva_diag_clear(&d);

    sva_form *f = NULL;
    assert_int_not_equal(sva_form_load(path_of(path, sizeof path, GOOD "minimal.ini"), &f, &d),
                         SVA_OK);
    assert_null(f);
    assert_true(diag_has(&d, 0, "missing [form] section"));
    sva_diag_clear(&d);
}

/* ---- good files ------------------------------------------------------------------ */

static void test_minimal_defaults(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "minimal.ini");
    assert_string_equal(cl->id, "minimal");
    assert_int_equal(cl->version, 1);
    assert_string_equal(sva_i18n_get(&cl->title, NULL), "Minimal checklist");
    assert_string_equal(sva_i18n_get(&cl->description, NULL), "");
    assert_int_equal(cl->subject, SVA_SUBJECT_STORE);
    assert_int_equal(cl->index, SVA_INDEX_NONE);
    /* defaults: yesno scale, critical_policy flag */
    assert_int_equal(cl->scale.kind, SVA_SCALE_YESNO);
    assert_int_equal(cl->scale.max, 1);
    assert_int_equal(cl->policy, SVA_POLICY_FLAG);

    assert_int_equal(cl->n_sections, 1);
    assert_string_equal(cl->sections[0].id, "main");
    assert_string_equal(sva_i18n_get(&cl->sections[0].title, NULL), "Main");
    assert_false(cl->sections[0].has_weight);
    assert_int_equal(cl->sections[0].line, 9);

    assert_int_equal(cl->n_items, 1);
    const sva_item *it = &cl->items[0];
    assert_string_equal(it->id, "main.one");
    assert_int_equal(it->section, 0);
    assert_string_equal(sva_i18n_get(&it->text, NULL), "The only item");
    assert_string_equal(sva_i18n_get(&it->guide, NULL), "");
    /* item defaults: weight 1, the checklist's scale, no N/A, not critical, no note */
    assert_true(it->weight == 1.0);
    assert_int_equal(it->scale.kind, SVA_SCALE_YESNO);
    assert_int_equal(it->scale.max, 1);
    assert_false(it->na);
    assert_false(it->critical);
    assert_int_equal(it->evidence, SVA_EVIDENCE_NONE);
    assert_int_equal(it->line, 12);

    assert_int_equal(sva_checklist_item_index(cl, "main.one"), 0);
    assert_int_equal(sva_checklist_item_index(cl, "main.two"), -1);
    assert_int_equal(sva_checklist_section_index(cl, "main"), 0);
    assert_int_equal(sva_checklist_section_index(cl, "other"), -1);
    assert_true(ends_with(cl->path, GOOD "minimal.ini"));
    sva_checklist_free(cl);
}

static void check_item(const sva_checklist *cl, const char *id, const char *section,
                       sva_scale_kind kind, int max, const char *scale_name, double weight,
                       bool na, bool critical, sva_evidence ev)
{
    const sva_item *it = item_named(cl, id);
    assert_string_equal(cl->sections[it->section].id, section);
    assert_int_equal(it->scale.kind, kind);
    assert_int_equal(it->scale.max, max);
    char name[32];
    sva_scale_name(it->scale, name, sizeof name);
    assert_string_equal(name, scale_name);
    assert_true(it->weight == weight);
    assert_int_equal(it->na, na);
    assert_int_equal(it->critical, critical);
    assert_int_equal(it->evidence, ev);
}

static void test_all_scales(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "all_scales.ini");
    assert_string_equal(cl->id, "all_scales");
    assert_int_equal(cl->version, 12);
    assert_string_equal(sva_i18n_get(&cl->description, NULL), "One item per scale.");
    assert_int_equal(cl->subject, SVA_SUBJECT_EMPLOYEE);
    assert_int_equal(cl->index, SVA_INDEX_SSI);
    assert_int_equal(cl->scale.kind, SVA_SCALE_RANGE);
    assert_int_equal(cl->scale.max, 5);
    assert_int_equal(cl->policy, SVA_POLICY_ZERO);

    assert_int_equal(cl->n_sections, 2);
    assert_string_equal(cl->sections[0].id, "binary");
    assert_true(cl->sections[0].has_weight);
    assert_true(cl->sections[0].weight == 30.0);
    assert_string_equal(cl->sections[1].id, "graded");
    assert_true(cl->sections[1].has_weight);
    assert_true(cl->sections[1].weight == 70.5);

    assert_int_equal(cl->n_items, 5);
    check_item(cl, "binary.yes_no", "binary", SVA_SCALE_YESNO, 1, "yesno", 2.0, true, true,
               SVA_EVIDENCE_ON_FAIL);
    check_item(cl, "graded.four", "graded", SVA_SCALE_RANGE, 4, "0-4", 0.5, false, false,
               SVA_EVIDENCE_ALWAYS);
    /* no scale key: the checklist's 0-5 */
    check_item(cl, "graded.five", "graded", SVA_SCALE_RANGE, 5, "0-5", 1.0, false, false,
               SVA_EVIDENCE_NONE);
    check_item(cl, "graded.ten", "graded", SVA_SCALE_RANGE, 10, "0-10", 3.0, false, false,
               SVA_EVIDENCE_NONE);
    check_item(cl, "graded.points", "graded", SVA_SCALE_POINTS, 7, "points:7", 1.25, true,
               false, SVA_EVIDENCE_NONE);
    assert_int_equal(item_named(cl, "graded.points")->line, 49);
    sva_checklist_free(cl);
}

static void test_scale_parse(void **state)
{
    (void)state;
    static const char *const ok[] = {"yesno", "0-4", "0-5", "0-10", "points:1", "points:1000"};
    static const int ok_max[] = {1, 4, 5, 10, 1, 1000};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        sva_scale sc = {SVA_SCALE_YESNO, -1};
        assert_true(sva_scale_parse(ok[i], &sc));
        assert_int_equal(sc.max, ok_max[i]);
        char name[32];
        sva_scale_name(sc, name, sizeof name);
        assert_string_equal(name, ok[i]);
    }
    static const char *const bad[] = {"",          "yes",       "YESNO",      "0-3",
                                      "0-100",     "1-5",       "0-4 ",       "points",
                                      "points:",   "points:0",  "points:-1",  "points:+5",
                                      "points:1001", "points:1.5", "points:1e3", "points:7x",
                                      "points: 7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sva_scale sc;
        if (sva_scale_parse(bad[i], &sc))
            fprintf(stderr, "  scale '%s' accepted\n", bad[i]);
        assert_false(sva_scale_parse(bad[i], &sc));
    }
}

#define ZH_TITLE "销售流程神秘顾客检查"
#define ZH_SECTION "接待与第一印象"
#define ZH_TEXT "顾客到店30秒内，销售顾问微笑并目光交流"
#define ZH_GUIDE "从顾客进门开始计时。"

static void test_chinese_text(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "chinese.ini");
    const sva_item *it = item_named(cl, "greeting.smile");
    const char *zh = sva_i18n_get(&it->text, "zh");
    /* byte for byte: 17 CJK characters, a full-width comma and "30" */
    assert_int_equal(strlen(ZH_TEXT), 56);
    assert_int_equal(strlen(zh), 56);
    assert_memory_equal(zh, ZH_TEXT, 56);
    assert_memory_equal(zh, "\xE9\xA1\xBE\xE5\xAE\xA2", 6); /* 顾客, in case the source is re-encoded */
    assert_string_equal(sva_i18n_get(&it->guide, "zh"), ZH_GUIDE);
    assert_string_equal(sva_i18n_get(&cl->title, "zh"), ZH_TITLE);
    assert_string_equal(sva_i18n_get(&cl->sections[0].title, "zh"), ZH_SECTION);
    /* English is untouched */
    assert_string_equal(sva_i18n_get(&it->text, NULL),
                        "Salesperson smiles and makes eye contact within 30 s of arrival");
    assert_string_equal(sva_i18n_get(&cl->title, NULL), "Sales process mystery shop");
    sva_checklist_free(cl);
}

static void test_i18n_fallback(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "chinese.ini");
    const sva_item *it = item_named(cl, "greeting.smile");
    const char *en = "Salesperson smiles and makes eye contact within 30 s of arrival";
    assert_string_equal(sva_i18n_get(&it->text, "fr"), en);
    assert_string_equal(sva_i18n_get(&it->text, "en"), en);
    assert_string_equal(sva_i18n_get(&it->text, ""), en);
    assert_string_equal(sva_i18n_get(&it->text, NULL), en);
    assert_string_equal(sva_i18n_get(&it->text, "z"), en);   /* not a prefix match */
    assert_string_equal(sva_i18n_get(&it->text, "zh_tw"), en);
    /* an item without a translation */
    assert_string_equal(sva_i18n_get(&item_named(cl, "greeting.offer")->text, "zh"),
                        "Offers a drink");
    sva_checklist_free(cl);

    /* hand-made texts: translation first in the list, and none at all */
    sva_text v[] = {{"zh", "中文"}, {"", "English"}};
    sva_i18n t = {v, 2};
    assert_string_equal(sva_i18n_get(&t, "zh"), "中文");
    assert_string_equal(sva_i18n_get(&t, "de"), "English");
    sva_i18n none = {NULL, 0};
    assert_string_equal(sva_i18n_get(&none, "zh"), "");
    assert_string_equal(sva_i18n_get(&none, NULL), "");
}

static void test_quoted_values(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "quoted.ini");
    assert_string_equal(cl->id, "quoted");        /* "; an inline comment" cut */
    assert_int_equal(cl->version, 2);             /* "# another ..." cut */
    assert_string_equal(sva_i18n_get(&cl->title, NULL), "Quoted; values # kept");
    assert_string_equal(sva_i18n_get(&cl->sections[0].title, NULL), "Single; quoted # title");
    const sva_item *one = item_named(cl, "main.one");
    assert_string_equal(sva_i18n_get(&one->text, NULL), "Ask: price; options # colour");
    assert_string_equal(sva_i18n_get(&one->guide, NULL), "  spaces kept inside quotes  ");
    const sva_item *two = item_named(cl, "main.two");
    assert_string_equal(sva_i18n_get(&two->text, NULL), "Plain text, then a comment");
    assert_string_equal(sva_i18n_get(&two->guide, NULL), "");
    sva_checklist_free(cl);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "bom_crlf.ini");
    assert_string_equal(cl->id, "bom_crlf");
    assert_int_equal(cl->version, 3);
    assert_int_equal(cl->index, SVA_INDEX_CSI);
    assert_string_equal(sva_i18n_get(&cl->title, NULL), "BOM and CRLF");
    assert_string_equal(sva_i18n_get(&cl->title, "zh"), "带BOM的文件");
    assert_int_equal(cl->n_items, 1);
    assert_string_equal(sva_i18n_get(&cl->items[0].text, NULL), "Windows line endings");
    assert_true(cl->items[0].weight == 2.0);
    /* line numbers count from the first line, BOM or not */
    assert_int_equal(cl->sections[0].line, 10);
    assert_int_equal(cl->items[0].line, 13);
    /* the hash and the kept source are of the exact bytes, BOM and CRs included */
    assert_string_equal(cl->hash,
                        "8865352e5530aa288d7559c0fa29c244578490bf50f61412383890be679111eb");
    assert_memory_equal(cl->source, "\xEF\xBB\xBF", 3);
    sva_checklist_free(cl);
}

static void test_items_grouped_by_section(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "interleaved.ini");
    assert_int_equal(cl->n_sections, 2);
    assert_string_equal(cl->sections[0].id, "first");
    assert_string_equal(cl->sections[1].id, "second");
    static const char *const want[] = {"first.y", "first.w", "second.x", "second.z"};
    static const size_t want_sec[] = {0, 0, 1, 1};
    static const int want_line[] = {19, 27, 12, 23};
    assert_int_equal(cl->n_items, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(cl->items[i].id, want[i]);
        assert_int_equal(cl->items[i].section, want_sec[i]);
        assert_int_equal(cl->items[i].line, want_line[i]);
        assert_int_equal(sva_checklist_item_index(cl, want[i]), (long)i);
    }
    /* texts moved with their items */
    assert_string_equal(sva_i18n_get(&cl->items[2].text, NULL), "Second section, first in file");
    sva_checklist_free(cl);
}

/* An unknown item's did-you-mean: a typo, a key without its section, a word of
 * a key (the typed section's items first), and nothing for what is not near. */
static void test_near_items(void **state)
{
    (void)state;
    sva_checklist *cl = load_good(GOOD "interleaved.ini"); /* first.y first.w second.x second.z */
    char out[256];
    sva_checklist_near_items(cl, "first.q", out, sizeof out);
    assert_string_equal(out, " (did you mean 'first.y' or 'first.w'?)");
    sva_checklist_near_items(cl, "secnd.x", out, sizeof out);
    assert_string_equal(out, " (did you mean 'second.x'?)");
    sva_checklist_near_items(cl, "nothing.near.at.all", out, sizeof out);
    assert_string_equal(out, "");
    sva_checklist_near_items(cl, "first.y", out, 0); /* no room: nothing written */
    sva_checklist_free(cl);

    char path[4096];
    path_of(path, sizeof path, "checklists/6s_store.ini");
    assert_int_equal(sva_checklist_load(path, &cl, NULL), SVA_OK);
    sva_checklist_near_items(cl, "safety.extinguishers", out, sizeof out);
    assert_string_equal(out, " (did you mean 'safety.fire_extinguishers'?)");
    sva_checklist_near_items(cl, "back.exit", out, sizeof out); /* another section's word */
    assert_string_equal(out, " (did you mean 'safety.emergency_exits'?)");
    sva_checklist_near_items(cl, "zzz.q", out, sizeof out); /* a one-letter word: no guess */
    assert_string_equal(out, "");
    sva_checklist_free(cl);
}

/* ---- hash ------------------------------------------------------------------ */

/* sha256sum tests/fixtures/checklists/good/minimal.ini */
#define MINIMAL_SHA256 "b687dc66b153962b11be811a12143025f8fd808f4d65e2ce488499a98a2796cf"

static void test_hash_of_file_bytes(void **state)
{
    (void)state;
    sva_checklist *a = load_good(GOOD "minimal.ini");
    sva_checklist *b = load_good(GOOD "minimal.ini");
    assert_string_equal(a->hash, MINIMAL_SHA256);
    assert_string_equal(b->hash, a->hash);

    char path[4096];
    size_t len;
    char *data = slurp(path_of(path, sizeof path, GOOD "minimal.ini"), &len);
    assert_int_equal(a->source_len, len);
    assert_memory_equal(a->source, data, len);
    char h[65];
    sva_sha256_hex(data, len, h);
    assert_string_equal(h, MINIMAL_SHA256);

    /* the name plays no part; one changed byte changes the hash */
    sva_checklist *c = NULL;
    assert_int_equal(sva_checklist_parse("another-name", data, len, &c, NULL), SVA_OK);
    assert_string_equal(c->hash, MINIMAL_SHA256);
    sva_checklist_free(c);
    assert_int_equal(data[len - 1], '\n');
    data[len - 1] = ' '; /* the last newline becomes a space: same model, other bytes */
    assert_int_equal(sva_checklist_parse("changed", data, len, &c, NULL), SVA_OK);
    assert_string_not_equal(c->hash, MINIMAL_SHA256);
    sva_checklist_free(c);
    free(data);

    sva_checklist *other = load_good(GOOD "quoted.ini");
    assert_string_not_equal(other->hash, a->hash);
    sva_checklist_free(other);
    sva_checklist_free(a);
    sva_checklist_free(b);
}

static void check_sha(const char *data, size_t len, const char *want)
{
    char h[65];
    memset(h, 'x', sizeof h);
    sva_sha256_hex(data, len, h);
    assert_int_equal(strlen(h), 64);
    assert_string_equal(h, want);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    /* FIPS 180-2 / NIST test vectors */
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_sha(m448, strlen(m448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    check_sha(m896, strlen(m896),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* padding edges: n x 'a' (digests from sha256sum) */
    static const struct {
        size_t n;
        const char *hex;
    } edges[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
    char *as = malloc(1000000);
    assert_non_null(as);
    memset(as, 'a', 1000000);
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        check_sha(as, edges[i].n, edges[i].hex);
    free(as);
}

/* ---- shipped checklists ------------------------------------------------------------ */

/* Every .ini file in checklists/ loads (forms with the form loader) and lints clean. */
static void test_shipped_files_load(void **state)
{
    (void)state;
    char dir[4096];
    path_of(dir, sizeof dir, "checklists");
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    size_t n = 0;
    bool six_s = false, sales = false;
    while ((de = readdir(dp))) {
        if (!ends_with(de->d_name, ".ini") || de->d_name[0] == '.')
            continue;
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len;
        char *data = slurp(path, &len);
        sva_diag d;
        sva_diag_init(&d);
        sva_error rc;
        if (is_form_text(data)) {
            sva_form *f = NULL;
            rc = sva_form_load(path, &f, &d);
            if (f) {
                assert_true(f->n_fields > 0);
                assert_int_equal(strlen(f->hash), 64);
            }
            sva_form_free(f);
        } else {
            sva_checklist *cl = NULL;
            rc = sva_checklist_load(path, &cl, &d);
            if (cl) {
                assert_true(cl->n_sections > 0);
                assert_true(cl->n_items > 0);
                for (size_t i = 0; i < cl->n_items; i++)
                    assert_true(*sva_i18n_get(&cl->items[i].text, NULL) != '\0');
                char h[65];
                sva_sha256_hex(data, len, h);
                assert_string_equal(cl->hash, h);
                if (strcmp(cl->id, "6s_store") == 0) {
                    six_s = true;
                    assert_int_equal(cl->n_sections, 6);
                    assert_int_equal(cl->index, SVA_INDEX_6S);
                    assert_int_equal(cl->subject, SVA_SUBJECT_STORE);
                }
                if (strcmp(cl->id, "sales_mystery_shop") == 0) {
                    sales = true;
                    assert_int_equal(cl->index, SVA_INDEX_SSI);
                }
            }
            sva_checklist_free(cl);
        }
        if (rc != SVA_OK || d.n) {
            fprintf(stderr, "  %s:\n", de->d_name);
            diag_dump(&d);
        }
        assert_int_equal(rc, SVA_OK);
        assert_int_equal(d.n, 0);
        assert_int_equal(sva_lint_file(path, &d), 0);
        sva_diag_clear(&d);
        free(data);
        n++;
    }
    closedir(dp);
    assert_true(n >= 2);
    assert_true(six_s);
    assert_true(sales);
}

/* The shipped 5W1H form: at least its six W/H fields, each with a label. */
static void test_shipped_form_loads(void **state)
{
    (void)state;
    char path[4096];
    path_of(path, sizeof path, "checklists/actions-5w1h.ini");
    assert_int_equal(access(path, R_OK), 0);
    sva_diag d;
    sva_diag_init(&d);
    sva_form *f = NULL;
    sva_error rc = sva_form_load(path, &f, &d);
    if (rc != SVA_OK)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    assert_non_null(f);
    assert_true(f->n_fields >= 6);
    for (size_t i = 0; i < f->n_fields; i++)
        assert_true(*sva_i18n_get(&f->fields[i].label, NULL) != '\0');
    sva_form_free(f);
    sva_diag_clear(&d);
}

/* ---- lint ---------------------------------------------------------------- */

static void test_lint_reports_every_error(void **state)
{
    (void)state;
    char path[4096];
    path_of(path, sizeof path, BAD_DIR "many_errors.ini");
    sva_diag d;
    sva_diag_init(&d);
    size_t n = sva_lint_file(path, &d);
    static const struct {
        int line;
        const char *msg;
    } want[] = {
        {4, "bad version 'one'"},
        {8, "unknown key 'colour' in [checklist]"},
        {16, "bad scale '0-7'"},
        {19, "item 'main.two' is in unknown section 'nowhere'"},
        {21, "bad weight '-1'"},
        {22, "duplicate key 'text' in [item.main.two] (first at line 20)"},
    };
    size_t nwant = sizeof want / sizeof *want;
    if (n != nwant)
        diag_dump(&d);
    assert_int_equal(n, nwant);
    assert_int_equal(d.n, nwant);
    for (size_t i = 0; i < nwant; i++) {
        if (!diag_has(&d, want[i].line, want[i].msg))
            fprintf(stderr, "  missing %d: %s\n", want[i].line, want[i].msg);
        assert_true(diag_has(&d, want[i].line, want[i].msg));
    }
    for (size_t i = 0; i < d.n; i++)
        assert_string_equal(d.msgs[i].file, path);

    /* "file:line: message" as printed */
    char buf[1024];
    sva_diag_format(&d, 0, buf, sizeof buf);
    assert_true(strstr(buf, path) == buf);
    assert_non_null(strstr(buf, ".ini:"));

    /* a second file adds to the same diag; its own count is returned */
    path_of(path, sizeof path, BAD_DIR "bad_scale.ini");
    assert_int_equal(sva_lint_file(path, &d), 1);
    assert_int_equal(d.n, nwant + 1);
    /* a clean file adds nothing */
    path_of(path, sizeof path, GOOD "all_scales.ini");
    assert_int_equal(sva_lint_file(path, &d), 0);
    path_of(path, sizeof path, GOOD "form.ini");
    assert_int_equal(sva_lint_file(path, &d), 0);
    assert_int_equal(d.n, nwant + 1);
    sva_diag_clear(&d);
}

/* ---- the 5W1H form and field checks ------------------------------------------- */

static void test_form_fields(void **state)
{
    (void)state;
    char path[4096];
    sva_diag d;
    sva_diag_init(&d);
    sva_form *f = NULL;
    assert_int_equal(sva_form_load(path_of(path, sizeof path, GOOD "form.ini"), &f, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(f->id, "test-form");
    assert_int_equal(f->version, 1);
    assert_string_equal(sva_i18n_get(&f->title, "zh"), "测试表单");
    assert_int_equal(f->n_fields, 5);
    static const char *const keys[] = {"what", "who", "due", "cost", "status"};
    static const sva_field_type types[] = {SVA_FIELD_TEXT, SVA_FIELD_PERSON, SVA_FIELD_DATE,
                                           SVA_FIELD_NUMBER, SVA_FIELD_ENUM};
    static const bool required[] = {true, true, false, false, false};
    static const int lines[] = {8, 15, 20, 24, 28};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(f->fields[i].key, keys[i]);
        assert_int_equal(f->fields[i].type, types[i]);
        assert_int_equal(f->fields[i].required, required[i]);
        assert_int_equal(f->fields[i].line, lines[i]);
    }
    assert_string_equal(sva_i18n_get(&f->fields[0].label, "zh"), "什么");
    assert_string_equal(sva_i18n_get(&f->fields[0].help, NULL), "What is to be done.");
    const sva_field *st = field_named(f, "status");
    assert_int_equal(st->n_values, 3);
    assert_string_equal(st->values[0], "open");
    assert_string_equal(st->values[1], "in_progress");
    assert_string_equal(st->values[2], "done");
    assert_string_equal(sva_field_type_name(SVA_FIELD_ENUM), "enum");
    sva_form_free(f);
}

/* Check value against field key; expect ok; when not ok, the diag names the field
 * and contains msg. */
static void field_case(const sva_form *f, const char *key, const char *value, bool ok,
                       const char *msg)
{
    sva_diag d;
    sva_diag_init(&d);
    bool got = sva_field_check(field_named(f, key), value, &d);
    if (got != ok)
        fprintf(stderr, "  field '%s' value '%s': want %s\n", key, value ? value : "(null)",
                ok ? "valid" : "invalid");
    assert_int_equal(got, ok);
    if (ok) {
        assert_int_equal(d.n, 0);
    } else {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", key);
        assert_int_equal(d.n, 1);
        assert_true(diag_has(&d, -1, quoted));
        if (msg)
            assert_true(diag_has(&d, -1, msg));
    }
    sva_diag_clear(&d);
}

static void test_field_check(void **state)
{
    (void)state;
    char path[4096];
    sva_form *f = NULL;
    assert_int_equal(sva_form_load(path_of(path, sizeof path, GOOD "form.ini"), &f, NULL),
                     SVA_OK);

    /* date */
    field_case(f, "due", "2026-03-15", true, NULL);
    field_case(f, "due", "2028-02-29", true, NULL);  /* leap year */
    field_case(f, "due", "2000-02-29", true, NULL);  /* divisible by 400 */
    field_case(f, "due", "2026-12-31", true, NULL);
    field_case(f, "due", "2026-02-29", false, "not a date");
    field_case(f, "due", "2100-02-29", false, "not a date"); /* divisible by 100 */
    field_case(f, "due", "2026-04-31", false, "not a date");
    field_case(f, "due", "2026-13-01", false, "not a date");
    field_case(f, "due", "2026-00-10", false, "not a date");
    field_case(f, "due", "2026-01-00", false, "not a date");
    field_case(f, "due", "2026-1-05", false, "not a date");
    field_case(f, "due", "20260315", false, "not a date");
    field_case(f, "due", "2026/03/15", false, "not a date");
    field_case(f, "due", "2026-03-15 ", false, "not a date");
    field_case(f, "due", "tomorrow", false, "not a date");
    field_case(f, "due", "", true, NULL);            /* not required */
    field_case(f, "due", NULL, true, NULL);

    /* number */
    field_case(f, "cost", "12.5", true, NULL);
    field_case(f, "cost", "-3", true, NULL);
    field_case(f, "cost", "0", true, NULL);
    field_case(f, "cost", "1e3", true, NULL);
    field_case(f, "cost", "abc", false, "not a number");
    field_case(f, "cost", "1,5", false, "not a number");
    field_case(f, "cost", " 5", false, "not a number");
    field_case(f, "cost", "5 ", false, "not a number");
    field_case(f, "cost", "inf", false, "not a number");
    field_case(f, "cost", "nan", false, "not a number");
    field_case(f, "cost", "0x10", false, "not a number");
    field_case(f, "cost", "1e999", false, "not a number");
    field_case(f, "cost", ".", false, "not a number");
    field_case(f, "cost", "-", false, "not a number");

    /* enum */
    field_case(f, "status", "open", true, NULL);
    field_case(f, "status", "in_progress", true, NULL);
    field_case(f, "status", "done", true, NULL);
    field_case(f, "status", "Open", false, "not one of the allowed values");
    field_case(f, "status", "closed", false, "not one of the allowed values");
    field_case(f, "status", "open|done", false, "not one of the allowed values");
    field_case(f, "status", "ope", false, "not one of the allowed values");

    /* required */
    field_case(f, "what", "Fix the door", true, NULL);
    field_case(f, "what", "", false, "required");
    field_case(f, "what", NULL, false, "required");
    field_case(f, "who", "", false, "required");
    field_case(f, "who", "张伟", true, NULL);
    field_case(f, "what", "bad \xff byte", false, "UTF-8");
    sva_form_free(f);
}

/* A form saved with a BOM (Windows editors add one) right before [form]. */
static void test_form_with_bom(void **state)
{
    (void)state;
    char path[4096];
    path_of(path, sizeof path, GOOD "form_bom_crlf.ini");
    sva_diag d;
    sva_diag_init(&d);
    sva_form *f = NULL;
    assert_int_equal(sva_form_load(path, &f, &d), SVA_OK);
    assert_string_equal(f->id, "bom-form");
    assert_int_equal(f->n_fields, 1);
    assert_string_equal(sva_i18n_get(&f->fields[0].label, NULL), "What");
    sva_form_free(f);
    assert_int_equal(d.n, 0);

    size_t n = sva_lint_file(path, &d);
    if (n)
        diag_dump(&d);
    sva_diag_clear(&d);
    /* a BOM before "[form]" (as Windows editors write) is still a form */
    assert_int_equal(n, 0);
}

/* ---- catalog ---------------------------------------------------------------- */

static const char CL_TEMPLATE[] = "[checklist]\nid = %s\nversion = 1\ntitle = %s\n"
                                  "subject = store\nindex = none\n\n[section.s]\ntitle = S\n\n"
                                  "[item.s.one]\nsection = s\ntext = One\n";

static void write_checklist(const char *dir, const char *file, const char *id, const char *title)
{
    char path[2048], text[1024];
    snprintf(path, sizeof path, "%.1100s/%.900s", dir, file);
    snprintf(text, sizeof text, CL_TEMPLATE, id, title);
    write_file(path, text);
}

static void test_catalog(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char root[1024];
    snprintf(root, sizeof root, "%s/svcaudit-catalog-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(root));
    char one[1100], two[1100], gone[1100];
    snprintf(one, sizeof one, "%s/one", root);
    snprintf(two, sizeof two, "%s/two", root);
    snprintf(gone, sizeof gone, "%s/does-not-exist", root);
    assert_int_equal(mkdir(one, 0700), 0);
    assert_int_equal(mkdir(two, 0700), 0);

    /* the same id in both folders: the first folder wins, even though "a_" < "z_" */
    write_checklist(one, "z_first.ini", "dup", "From folder one");
    write_checklist(two, "a_second.ini", "dup", "From folder two");
    write_checklist(two, "other.ini", "other", "Other");
    char p[2048];
    snprintf(p, sizeof p, "%s/broken.ini", one);
    write_file(p, "[checklist]\nid = broken\nversion = 1\ntitle = Broken\nsubject = store\n"
                  "index = none\nwieght = 3\n\n[section.s]\ntitle = S\n\n"
                  "[item.s.one]\nsection = s\ntext = One\n");
    snprintf(p, sizeof p, "%s/notes.txt", one);
    write_file(p, "not a checklist, and not *.ini: ignored\n");
    snprintf(p, sizeof p, "%s/form.ini", two);
    write_file(p, "[form]\nid = a-form\nversion = 1\ntitle = A form\n\n"
                  "[field.what]\nlabel = What\ntype = text\n");

    const char *dirs[] = {one, gone, two};
    sva_diag d;
    sva_diag_init(&d);
    sva_catalog *cat = NULL;
    assert_int_equal(sva_catalog_open(dirs, 3, &cat, &d), SVA_OK);
    assert_non_null(cat);

    assert_int_equal(cat->n_dirs, 2); /* the missing folder is skipped */
    assert_string_equal(cat->dirs[0], one);
    assert_string_equal(cat->dirs[1], two);
    assert_int_equal(cat->n_checklists, 2);
    assert_string_equal(cat->checklists[0]->id, "dup"); /* sorted by id */
    assert_string_equal(cat->checklists[1]->id, "other");
    char near[128]; /* did you mean: checklists, not forms; metrics when asked */
    sva_catalog_near(cat, "othr", false, near, sizeof near);
    assert_string_equal(near, " (did you mean 'other'?)");
    sva_catalog_near(cat, "a-frm", false, near, sizeof near);
    assert_string_equal(near, "");
    sva_catalog_near(cat, "sssi", false, near, sizeof near);
    assert_string_equal(near, "");
    sva_catalog_near(cat, "sssi", true, near, sizeof near);
    assert_string_equal(near, " (did you mean 'ssi'?)");
    const sva_checklist *dup = sva_catalog_find(cat, "dup");
    assert_non_null(dup);
    assert_string_equal(sva_i18n_get(&dup->title, NULL), "From folder one");
    assert_true(ends_with(dup->path, "/one/z_first.ini"));
    assert_non_null(sva_catalog_find(cat, "other"));
    assert_null(sva_catalog_find(cat, "broken"));
    assert_null(sva_catalog_find(cat, "nosuch"));
    assert_int_equal(cat->n_forms, 1);
    assert_non_null(sva_catalog_find_form(cat, "a-form"));
    assert_null(sva_catalog_find_form(cat, "dup"));

    /* the broken file is named, with the line of its problem; nothing else is */
    if (d.n != 1)
        diag_dump(&d);
    assert_int_equal(d.n, 1);
    assert_true(ends_with(d.msgs[0].file, "/one/broken.ini"));
    assert_true(diag_has(&d, 7, "unknown key 'wieght'"));
    sva_diag_clear(&d);
    sva_catalog_free(cat);

    /* no folder at all: an empty catalog, not an error */
    const char *none[] = {gone};
    assert_int_equal(sva_catalog_open(none, 1, &cat, &d), SVA_OK);
    assert_int_equal(cat->n_checklists + cat->n_forms + cat->n_dirs, 0);
    assert_int_equal(d.n, 0);
    sva_catalog_free(cat);
    sva_catalog_free(NULL);

    static const char *const files[] = {"one/z_first.ini", "one/broken.ini", "one/notes.txt",
                                        "two/a_second.ini", "two/other.ini", "two/form.ini"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", root, files[i]);
        assert_int_equal(unlink(p), 0);
    }
    assert_int_equal(rmdir(one), 0);
    assert_int_equal(rmdir(two), 0);
    assert_int_equal(rmdir(root), 0);
}

/* A lazy catalog finds what a full one finds: the first file of an id that
 * loads wins (a broken first file gives way to a later good one), an id in
 * quotes with a comment after it, a file whose id the quick look cannot see;
 * loading the rest afterwards reports the broken files as a full open does. */
static void test_catalog_lazy(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char root[1024];
    snprintf(root, sizeof root, "%s/svcaudit-lazy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(root));
    char one[1100], two[1100], p[2048];
    snprintf(one, sizeof one, "%s/one", root);
    snprintf(two, sizeof two, "%s/two", root);
    assert_int_equal(mkdir(one, 0700), 0);
    assert_int_equal(mkdir(two, 0700), 0);
    snprintf(p, sizeof p, "%s/a.ini", one); /* x, broken: the later x wins */
    write_file(p, "[checklist]\nid = x\nversion = 1\ntitle = Broken x\nsubject = store\n"
                  "index = none\ncolour = red\n\n[section.s]\ntitle = S\n\n"
                  "[item.s.one]\nsection = s\ntext = One\n");
    snprintf(p, sizeof p, "%s/b.ini", one); /* y, quoted, a comment after it */
    write_file(p, "; y\n[ Checklist ]\nID = \"y\" ; the id\nversion = 1\ntitle = First y\n"
                  "subject = store\nindex = none\n\n[section.s]\ntitle = S\n\n"
                  "[item.s.one]\nsection = s\ntext = One\n");
    snprintf(p, sizeof p, "%s/c.ini", one); /* no id: broken */
    write_file(p, "[checklist]\nversion = 1\ntitle = No id\n");
    write_checklist(two, "x.ini", "x", "Good x");
    write_checklist(two, "y.ini", "y", "Second y");
    snprintf(p, sizeof p, "%s/form.ini", two);
    write_file(p, "[form]\nid = a-form\nversion = 1\ntitle = A form\n\n"
                  "[field.what]\nlabel = What\ntype = text\n");

    const char *dirs[] = {one, two};
    sva_diag d;
    sva_diag_init(&d);
    sva_catalog *cat = NULL;
    assert_int_equal(sva_catalog_index(dirs, 2, &cat, &d), SVA_OK);
    assert_non_null(cat->lazy);
    assert_int_equal(cat->n_checklists, 0); /* nothing loaded yet */
    assert_int_equal(cat->n_dirs, 2);
    const sva_checklist *y = sva_catalog_find(cat, "y");
    assert_non_null(y);
    assert_string_equal(sva_i18n_get(&y->title, NULL), "First y");
    assert_ptr_equal(sva_catalog_find(cat, "y"), y); /* loaded once */
    const sva_checklist *x = sva_catalog_find(cat, "x");
    assert_non_null(x);
    assert_string_equal(sva_i18n_get(&x->title, NULL), "Good x");
    assert_null(sva_catalog_find(cat, "nosuch"));
    assert_non_null(sva_catalog_find_form(cat, "a-form"));
    assert_int_equal(d.n, 0);
    char near[128]; /* did you mean, from the index: no more loaded for it */
    sva_catalog_near(cat, "6S", true, near, sizeof near);
    assert_string_equal(near, " (did you mean '6s'?)");
    sva_catalog_near(cat, "a-frm", false, near, sizeof near); /* a form is no checklist */
    assert_string_equal(near, "");
    assert_non_null(cat->lazy);

    assert_int_equal(sva_catalog_load_all(cat, &d), SVA_OK);
    assert_null(cat->lazy);
    assert_int_equal(cat->n_checklists, 2);
    assert_ptr_equal(cat->checklists[0], x); /* sorted by id, the same objects */
    assert_ptr_equal(cat->checklists[1], y);
    assert_int_equal(cat->n_forms, 1);
    assert_ptr_equal(sva_catalog_find(cat, "y"), y);
    /* the broken files are reported as a full open reports them: a.ini and c.ini */
    sva_diag full;
    sva_diag_init(&full);
    sva_catalog *all = NULL;
    assert_int_equal(sva_catalog_open(dirs, 2, &all, &full), SVA_OK);
    assert_int_equal(d.n, full.n);
    for (size_t i = 0; i < d.n; i++) {
        assert_string_equal(d.msgs[i].file, full.msgs[i].file);
        assert_string_equal(d.msgs[i].msg, full.msgs[i].msg);
    }
    assert_true(d.n >= 2);
    assert_true(ends_with(d.msgs[0].file, "/one/a.ini"));
    assert_string_equal(sva_i18n_get(&sva_catalog_find(all, "x")->title, NULL), "Good x");
    assert_string_equal(sva_i18n_get(&sva_catalog_find(all, "y")->title, NULL), "First y");
    sva_catalog_free(all);
    sva_diag_clear(&full);
    sva_diag_clear(&d);
    sva_catalog_free(cat);

    static const char *const files[] = {"one/a.ini", "one/b.ini", "one/c.ini",
                                        "two/x.ini", "two/y.ini", "two/form.ini"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", root, files[i]);
        assert_int_equal(unlink(p), 0);
    }
    assert_int_equal(rmdir(one), 0);
    assert_int_equal(rmdir(two), 0);
    assert_int_equal(rmdir(root), 0);
}

/* ---- linear time ---------------------------------------------------------------- */

typedef struct timed {
    const char *text;
    size_t len;
    int times;     /* parses per run */
    sva_error want;
} timed;

static void parse_times(const timed *t)
{
    for (int i = 0; i < t->times; i++) {
        sva_checklist *cl = NULL;
        sva_diag d;
        sva_diag_init(&d);
        assert_int_equal(sva_checklist_parse("t.ini", t->text, t->len, &cl, &d), t->want);
        assert_true(t->want ? d.n > 0 : d.n == 0);
        sva_checklist_free(cl);
        sva_diag_clear(&d);
    }
}

/* CPU seconds of the fastest of three runs (CPU time: the machine may be busy). */
static double cpu_best_of_3(const timed *t)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        struct timespec a, b;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
        parse_times(t);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
        double sec = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (sec < best)
            best = sec;
    }
    return best;
}

enum { SHAPE_PLAIN, SHAPE_REVERSED, SHAPE_UNKNOWN };

/* A checklist of n items. PLAIN: one section, items in order. REVERSED: a
 * section per item, the items in the opposite order (every item is moved to
 * its section's place, every section id looked up). UNKNOWN: one item and n
 * unknown sections (n problems, like a folder's stray file). */
static void make_checklist(sva_buf *b, int n, int shape)
{
    sva_buf_puts(b, "[checklist]\nid = big\nversion = 1\ntitle = Big\nsubject = store\n"
                    "index = none\n\n");
    if (shape == SHAPE_REVERSED) {
        for (int i = 0; i < n; i++)
            sva_buf_printf(b, "[section.s%d]\ntitle = S\n", i);
        for (int i = n - 1; i >= 0; i--)
            sva_buf_printf(b, "[item.s%d.a]\nsection = s%d\ntext = T\n", i, i);
    } else {
        sva_buf_puts(b, "[section.main]\ntitle = Main\n\n");
        for (int i = 0; i < (shape == SHAPE_UNKNOWN ? 1 : n); i++)
            sva_buf_printf(b, "[item.main.i%d]\nsection = main\ntext = T\n", i);
        for (int i = 0; shape == SHAPE_UNKNOWN && i < n; i++)
            sva_buf_printf(b, "[junk.%d]\ntext = T\n", i);
    }
    assert_false(b->failed);
}

/* 10^5 items (a section each, in reverse order) and 10^5 unknown sections cost
 * per byte what a small plain checklist does, read as often as makes the same
 * bytes: within 3x. Quadratic look-ups or sorting are 100x and more slower here
 * (20,000 items took 5.9 s to lint before the readers were made linear). */
static void test_linear_time(void **state)
{
    (void)state;
    enum { BIG = 100000, SMALL = 500 };
    sva_buf small = {0}, rev = {0}, unk = {0};
    make_checklist(&small, SMALL, SHAPE_PLAIN);
    make_checklist(&rev, BIG, SHAPE_REVERSED);
    make_checklist(&unk, BIG, SHAPE_UNKNOWN);
    timed base = {small.data, small.len, (int)(rev.len / small.len), SVA_OK};
    timed t_rev = {rev.data, rev.len, 1, SVA_OK};
    timed t_unk = {unk.data, unk.len, 1, SVA_ERR_INVALID};
    double tb = cpu_best_of_3(&base);
    double tr = cpu_best_of_3(&t_rev);
    double tu = cpu_best_of_3(&t_unk) * (double)rev.len / (double)unk.len;
    fprintf(stderr, "  checklist: %d small files %.3f s, %d items reversed %.3f s, %d unknown "
                    "sections %.3f s (per %zu bytes)\n",
            base.times, tb, BIG, tr, BIG, tu, rev.len);
    assert_true(tr < 3 * tb);
    assert_true(tu < 3 * tb);

    /* what the fast paths give: items grouped by section, found by id */
    sva_checklist *cl = NULL;
    assert_int_equal(sva_checklist_parse("r.ini", rev.data, rev.len, &cl, NULL), SVA_OK);
    assert_int_equal(cl->n_items, BIG);
    for (size_t i = 0; i < cl->n_items; i += 997) {
        char id[32];
        snprintf(id, sizeof id, "s%zu.a", i);
        assert_string_equal(cl->items[i].id, id);
        assert_int_equal(cl->items[i].section, i);
        assert_int_equal(sva_checklist_item_index(cl, id), (long)i);
        assert_int_equal(sva_checklist_section_index(cl, cl->sections[i].id),
                         (long)i);
    }
    assert_int_equal(sva_checklist_item_index(cl, "s100000.a"), -1);
    assert_int_equal(sva_checklist_section_index(cl, "nope"), -1);
    sva_checklist_free(cl);
    sva_buf_free(&small);
    sva_buf_free(&rev);
    sva_buf_free(&unk);
}

static void test_free_null(void **state)
{
    (void)state;
    sva_checklist_free(NULL);
    sva_form_free(NULL);
    sva_catalog_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_fixtures_all_listed),
        cmocka_unit_test(test_bad_fixture_bytes),
        cmocka_unit_test(test_bad_null_diag),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_form_checklist_confusion),
        cmocka_unit_test(test_minimal_defaults),
        cmocka_unit_test(test_all_scales),
        cmocka_unit_test(test_scale_parse),
        cmocka_unit_test(test_chinese_text),
        cmocka_unit_test(test_i18n_fallback),
        cmocka_unit_test(test_quoted_values),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_items_grouped_by_section),
        cmocka_unit_test(test_near_items),
        cmocka_unit_test(test_hash_of_file_bytes),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_shipped_files_load),
        cmocka_unit_test(test_shipped_form_loads),
        cmocka_unit_test(test_lint_reports_every_error),
        cmocka_unit_test(test_form_fields),
        cmocka_unit_test(test_field_check),
        cmocka_unit_test(test_form_with_bom),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_catalog_lazy),
        cmocka_unit_test(test_linear_time),
        cmocka_unit_test(test_free_null),
    };
    int failed = cmocka_run_group_tests_name("checklist", tests, NULL, NULL);

    /* one test per rejected fixture, named after it */
    struct CMUnitTest bad[N_BAD];
    for (size_t i = 0; i < N_BAD; i++)
        bad[i] = (struct CMUnitTest){.name = BAD_CASES[i].file,
                                     .test_func = test_bad_fixture,
                                     .initial_state = (void *)&BAD_CASES[i]};
    failed += _cmocka_run_group_tests("checklist bad fixtures", bad, N_BAD, NULL, NULL);
    return failed ? 1 : 0;
}

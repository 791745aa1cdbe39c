/* svcaudit tests: answer sheets (src/answers.c): templates, filled sheets that
 * read back to the same answers (INI and CSV), and every error with its line. */
#include "testutil.h"

#include "ini.h"
#include "util.h"

#include <dirent.h>

/* Items in checklist order (grouped by section): front.greet, front.crit,
 * back.clean, back.points. */
static const char CHECKLIST[] =
    "[checklist]\n"
    "id = sheet_test\n"
    "version = 2\n"
    "title = Sheet test\n"
    "title_zh = 答卷测试\n"
    "subject = employee\n"
    "index = none\n"
    "scale = yesno\n"
    "\n"
    "[section.front]\n"
    "title = Front desk\n"
    "title_zh = 前台\n"
    "\n"
    "[section.back]\n"
    "title = Workshop\n"
    "\n"
    "[item.back.clean]\n"
    "section = back\n"
    "text = Workshop floor is clean\n"
    "scale = 0-4\n"
    "\n"
    "[item.front.greet]\n"
    "section = front\n"
    "text = Greets the customer, by name\n"
    "text_zh = 问候顾客\n"
    "guide = Count from the door.\n"
    "na = yes\n"
    "evidence = on_fail\n"
    "\n"
    "[item.front.crit]\n"
    "section = front\n"
    "text = Checks the customer's ID\n"
    "critical = yes\n"
    "\n"
    "[item.back.points]\n"
    "section = back\n"
    "text = Points item\n"
    "scale = points:12\n"
    "evidence = always\n";

enum { GREET, CRIT, CLEAN, POINTS, N_ITEMS };

static int setup(void **state)
{
    sva_checklist *cl = NULL;
    sva_diag d = {0};
    sva_error rc = sva_checklist_parse("sheet_test.ini", CHECKLIST, sizeof CHECKLIST - 1, &cl, &d);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    if (rc || cl->n_items != N_ITEMS || strcmp(cl->items[GREET].id, "front.greet") != 0 ||
        strcmp(cl->items[POINTS].id, "back.points") != 0)
        return -1;
    *state = cl;
    return 0;
}

static int teardown(void **state)
{
    sva_checklist_free(*state);
    return 0;
}

/* Parse @p text; expect @p want; the diag is left in @p d for the caller. */
static sva_sheet *parse(const sva_checklist *cl, const char *name, const char *text,
                        sva_error want, sva_diag *d)
{
    sva_sheet *s = NULL;
    sva_error rc = sva_sheet_parse(name, text, strlen(text), cl, &s, d);
    if (rc != want)
        diag_dump(d);
    assert_int_equal(rc, want);
    if (want == SVA_OK) {
        assert_non_null(s);
        assert_int_equal(s->n, cl->n_items);
    } else {
        assert_null(s);
    }
    return s;
}

static sva_sheet *load(const sva_checklist *cl, const char *rel, sva_error want, sva_diag *d)
{
    sva_sheet *s = NULL;
    sva_error rc = sva_sheet_load(src_path(rel), cl, &s, d);
    if (rc != want)
        diag_dump(d);
    assert_int_equal(rc, want);
    assert_true(want == SVA_OK ? s != NULL : s == NULL);
    return s;
}

/* True if some message of d is at line, contains needle and names the file. */
static int diag_at(const sva_diag *d, int line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->msgs[i].line == line && strstr(d->msgs[i].msg, needle) && d->msgs[i].file)
            return 1;
    diag_dump(d);
    return 0;
}

static void assert_str_or_null(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

/* ---- answers one by one ----------------------------------------------------- */

static void test_answer_parse(void **state)
{
    const sva_checklist *cl = *state;
    const sva_item *yn = &cl->items[CRIT], *range = &cl->items[CLEAN], *pts = &cl->items[POINTS];
    sva_answer a;
    static const struct {
        const char *text;
        int value;
    } yes_no[] = {{"yes", 1}, {"YES", 1}, {"y", 1}, {"Y", 1}, {"1", 1},  {" Yes ", 1},
                  {"no", 0},  {"No", 0},  {"n", 0}, {"N", 0}, {"0", 0}, {"\tno", 0}};
    for (size_t i = 0; i < sizeof yes_no / sizeof yes_no[0]; i++) {
        memset(&a, 0, sizeof a);
        assert_true(sva_answer_parse(yn, yes_no[i].text, &a));
        assert_true(a.answered);
        assert_false(a.na);
        assert_int_equal(a.value, yes_no[i].value);
    }
    /* na is parsed even where the item does not allow it; validation rejects it later */
    const char *nas[] = {"na", "NA", "n/a", "N/A", " N/a "};
    for (size_t i = 0; i < 5; i++) {
        memset(&a, 0, sizeof a);
        assert_true(sva_answer_parse(yn, nas[i], &a));
        assert_true(a.answered && a.na);
        memset(&a, 0, sizeof a);
        assert_true(sva_answer_parse(range, nas[i], &a));
        assert_true(a.answered && a.na);
    }
    const char *bad_yn[] = {"", "  ", "maybe", "2", "yess", "-1", "true", "nan", NULL};
    for (size_t i = 0; i < sizeof bad_yn / sizeof bad_yn[0]; i++) {
        memset(&a, 0, sizeof a);
        assert_false(sva_answer_parse(yn, bad_yn[i], &a));
        assert_false(a.answered);
    }
    for (int v = 0; v <= 4; v++) {
        char t[16];
        snprintf(t, sizeof t, "%d", v);
        assert_true(sva_answer_parse(range, t, &a));
        assert_int_equal(a.value, v);
        assert_false(a.na);
    }
    const char *bad_range[] = {"5", "-1", "+2", "2.5", "yes", "1e1", "4x", "99999999"};
    for (size_t i = 0; i < sizeof bad_range / sizeof bad_range[0]; i++)
        assert_false(sva_answer_parse(range, bad_range[i], &a));
    assert_true(sva_answer_parse(pts, "12", &a));
    assert_int_equal(a.value, 12);
    assert_false(sva_answer_parse(pts, "13", &a));

    char buf[16];
    sva_answer x = {.answered = true, .value = 1};
    sva_answer_format(yn, &x, buf, sizeof buf);
    assert_string_equal(buf, "yes");
    x.value = 0;
    sva_answer_format(yn, &x, buf, sizeof buf);
    assert_string_equal(buf, "no");
    x.value = 3;
    sva_answer_format(range, &x, buf, sizeof buf);
    assert_string_equal(buf, "3");
    x.na = true;
    sva_answer_format(range, &x, buf, sizeof buf);
    assert_string_equal(buf, "na");
    x.answered = false;
    sva_answer_format(range, &x, buf, sizeof buf);
    assert_string_equal(buf, "");

    sva_item_allowed(&cl->items[GREET], buf, sizeof buf);
    assert_string_equal(buf, "yes | no | na");
    sva_item_allowed(range, buf, sizeof buf);
    assert_string_equal(buf, "0..4");
}

/* ---- templates ------------------------------------------------------------------ */

static void test_template_ini(void **state)
{
    const sva_checklist *cl = *state;
    char *t = NULL;
    assert_int_equal(sva_sheet_template(cl, SVA_SHEET_INI, NULL, &t), SVA_OK);
    assert_non_null(strstr(t, "; svcaudit answer sheet: Sheet test (sheet_test, version 2)\n"));
    assert_non_null(strstr(t, "[audit]\n"
                              "checklist = sheet_test\n"
                              "version   = 2\n"
                              "store     =\n"
                              "employee  =  ; required: this checklist scores one employee\n"
                              "cycle     =\n"
                              "auditor   =\n"
                              "date      =  ; YYYY-MM-DD\n"));
    assert_non_null(strstr(t, "\n; ==== Front desk ====\n"
                              "\n; 1/4 Greets the customer, by name\n"
                              ";   guide: Count from the door.\n"
                              ";   answer: yes | no | na   note required if it fails\n"
                              "[item.front.greet]\n"
                              "answer   =\n"
                              "note     = \"\"\n"
                              "evidence =\n"));
    assert_non_null(strstr(t, ";   answer: yes | no   CRITICAL\n[item.front.crit]\n"));
    assert_non_null(strstr(t, ";   answer: 0..12   note always required\n[item.back.points]\n"));
    /* sva_sheet_template is sva_sheet_write with nothing filled in */
    char *w = NULL;
    assert_int_equal(sva_sheet_write(cl, SVA_SHEET_INI, NULL, NULL, NULL, &w), SVA_OK);
    assert_string_equal(t, w);
    free(w);

    /* the template reads back: header known, every item unanswered, no error */
    sva_diag d = {0};
    sva_sheet *s = parse(cl, "t.ini", t, SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(s->format, SVA_SHEET_INI);
    assert_string_equal(s->header.checklist, "sheet_test");
    assert_int_equal(s->header.version, 2);
    assert_null(s->header.store);
    assert_null(s->header.employee);
    assert_null(s->header.date);
    for (size_t i = 0; i < s->n; i++) {
        assert_false(s->answers[i].answered);
        assert_null(s->answers[i].note);
        assert_null(s->answers[i].evidence);
        assert_true(s->lines[i] > 0);
    }
    sva_sheet_free(s);
    free(t);

    assert_int_equal(sva_sheet_template(cl, SVA_SHEET_INI, "zh", &t), SVA_OK);
    assert_non_null(strstr(t, "答卷测试 (sheet_test, version 2)"));
    assert_non_null(strstr(t, "; ==== 前台 ====\n\n; 1/4 问候顾客\n"));
    assert_non_null(strstr(t, "; ==== Workshop ====")); /* no translation: English */
    free(t);
}

static void test_template_csv(void **state)
{
    const sva_checklist *cl = *state;
    char *t = NULL;
    assert_int_equal(sva_sheet_template(cl, SVA_SHEET_CSV, NULL, &t), SVA_OK);
    assert_string_equal(
        t, "field,value\nchecklist,sheet_test\nversion,2\nstore,\nemployee,\ncycle,\n"
           "auditor,\ndate,\n\n"
           "item,section,text,allowed,critical,note_rule,answer,note,evidence\n"
           "front.greet,Front desk,\"Greets the customer, by name\",yes | no | na,no,on_fail,,,\n"
           "front.crit,Front desk,Checks the customer's ID,yes | no,yes,none,,,\n"
           "back.clean,Workshop,Workshop floor is clean,0..4,no,none,,,\n"
           "back.points,Workshop,Points item,0..12,no,always,,,\n");
    sva_diag d = {0};
    sva_sheet *s = parse(cl, "t.csv", t, SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(s->format, SVA_SHEET_CSV);
    assert_string_equal(s->header.checklist, "sheet_test");
    assert_int_equal(s->header.version, 2);
    assert_null(s->header.auditor);
    for (size_t i = 0; i < s->n; i++) {
        assert_false(s->answers[i].answered);
        assert_null(s->answers[i].note);
        assert_int_equal(s->lines[i], 11 + (int)i);
    }
    sva_sheet_free(s);
    free(t);
}

/* ---- filled sheets read back --------------------------------------------------- */

static const char NOTE_ZH[] = "顾客进门30秒内问候，使用了店名";
static const char NOTE_MARKS[] = "door; said #1 = ok, it's fine [really]";

static void fill(sva_answer a[N_ITEMS], sva_sheet_header *h)
{
    memset(a, 0, N_ITEMS * sizeof *a);
    a[GREET] = (sva_answer){.answered = true, .value = 1, .note = (char *)NOTE_ZH,
                            .evidence = (char *)"photos/门口 1.jpg"};
    a[CRIT] = (sva_answer){.answered = true, .value = 0, .note = (char *)NOTE_MARKS};
    /* unanswered, but with a note and evidence kept in the draft */
    a[CLEAN] = (sva_answer){.answered = false, .note = (char *)"  come back later ",
                            .evidence = (char *)"C:\\photos\\ws#1;a.jpg"};
    a[POINTS] = (sva_answer){.answered = true, .na = true};
    memset(h, 0, sizeof *h);
    h->checklist = (char *)"sheet_test";
    h->version = 2;
    h->store = (char *)"S-01";
    h->employee = (char *)"张三";
    h->cycle = (char *)"2026-11";
    h->auditor = (char *)"Li; Wang #2 = \"QA\"";
    h->date = (char *)"2026-11-25";
}

static void check_roundtrip(const sva_checklist *cl, sva_sheet_format fmt, const char *auditor)
{
    sva_answer a[N_ITEMS];
    sva_sheet_header h;
    fill(a, &h);
    char *text = NULL;
    assert_int_equal(sva_sheet_write(cl, fmt, NULL, &h, a, &text), SVA_OK);
    sva_diag d = {0};
    sva_sheet *s = parse(cl, fmt == SVA_SHEET_INI ? "w.ini" : "w.csv", text, SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(s->format, fmt);
    assert_string_equal(s->header.checklist, "sheet_test");
    assert_int_equal(s->header.version, 2);
    assert_string_equal(s->header.store, "S-01");
    assert_string_equal(s->header.employee, "张三");
    assert_string_equal(s->header.cycle, "2026-11");
    assert_string_equal(s->header.auditor, auditor);
    assert_string_equal(s->header.date, "2026-11-25");
    for (size_t i = 0; i < N_ITEMS; i++) {
        assert_int_equal(s->answers[i].answered, a[i].answered);
        assert_int_equal(s->answers[i].na, a[i].na);
        if (a[i].answered && !a[i].na)
            assert_int_equal(s->answers[i].value, a[i].value);
        assert_str_or_null(s->answers[i].note, a[i].note);
        assert_str_or_null(s->answers[i].evidence, a[i].evidence);
        assert_true(s->lines[i] > 0);
    }
    sva_sheet_free(s);

    /* the same sheet saved by a Windows editor: CRLF line ends and a BOM */
    sva_buf crlf = {0};
    sva_buf_puts(&crlf, "\xEF\xBB\xBF");
    for (const char *p = text; *p; p++)
        sva_buf_puts(&crlf, *p == '\n' ? "\r\n" : (char[]){*p, 0});
    s = parse(cl, "crlf", crlf.data, SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_string_equal(s->header.auditor, auditor);
    for (size_t i = 0; i < N_ITEMS; i++) {
        assert_int_equal(s->answers[i].answered, a[i].answered);
        assert_int_equal(s->answers[i].value, a[i].answered && !a[i].na ? a[i].value : 0);
        /* CSV keeps a quoted line break as written, so only compare one-line notes */
        if (a[i].note && !strchr(a[i].note, '\n'))
            assert_str_or_null(s->answers[i].note, a[i].note);
    }
    sva_sheet_free(s);
    sva_buf_free(&crlf);

    /* the header alone */
    sva_sheet_header rh;
    assert_int_equal(sva_sheet_read_header("w", text, strlen(text), &rh, &d), SVA_OK);
    assert_string_equal(rh.checklist, "sheet_test");
    assert_int_equal(rh.version, 2);
    assert_string_equal(rh.employee, "张三");
    assert_string_equal(rh.auditor, auditor);
    sva_sheet_header_free(&rh);
    assert_null(rh.checklist);
    assert_int_equal(d.n, 0);
    free(text);
}

static void test_roundtrip_ini(void **state)
{
    /* a '"' cannot be written in an INI value: it comes back as '\'' */
    check_roundtrip(*state, SVA_SHEET_INI, "Li; Wang #2 = 'QA'");
}

static void test_roundtrip_csv(void **state)
{
    check_roundtrip(*state, SVA_SHEET_CSV, "Li; Wang #2 = \"QA\"");
}

/* Quotes and line breaks: kept in CSV; in INI '"' -> '\'' and a line break -> ' '. */
static void test_quotes_and_line_breaks(void **state)
{
    const sva_checklist *cl = *state;
    sva_answer a[N_ITEMS] = {0};
    a[GREET] = (sva_answer){.answered = true, .value = 0,
                            .note = (char *)"he said \"wait\"\r\nthen left\nat 10:05",
                            .evidence = (char *)"a.jpg\nb.jpg"};
    char *ini = NULL, *csv = NULL;
    assert_int_equal(sva_sheet_write(cl, SVA_SHEET_INI, NULL, NULL, a, &ini), SVA_OK);
    assert_int_equal(sva_sheet_write(cl, SVA_SHEET_CSV, NULL, NULL, a, &csv), SVA_OK);
    assert_non_null(strstr(ini, "[item.front.greet]\nanswer   = no\n"
                                "note     = \"he said 'wait' then left at 10:05\"\n"
                                "evidence = \"a.jpg b.jpg\"\n"));
    sva_diag d = {0};
    sva_sheet *s = parse(cl, "q.ini", ini, SVA_OK, &d);
    assert_string_equal(s->answers[GREET].note, "he said 'wait' then left at 10:05");
    assert_string_equal(s->answers[GREET].evidence, "a.jpg b.jpg");
    assert_true(s->answers[GREET].answered);
    assert_int_equal(s->answers[GREET].value, 0);
    sva_sheet_free(s);
    s = parse(cl, "q.csv", csv, SVA_OK, &d);
    assert_string_equal(s->answers[GREET].note, a[GREET].note);
    assert_string_equal(s->answers[GREET].evidence, a[GREET].evidence);
    /* the greet row spans lines 11-14 (two breaks in the note, one in the evidence) */
    assert_int_equal(s->lines[GREET], 11);
    assert_int_equal(s->lines[CRIT], 15);
    sva_sheet_free(s);
    assert_int_equal(d.n, 0);
    free(ini);
    free(csv);
}

/* An INI line holds at most SVA_INI_MAX_LINE bytes: a longer note is cut at a
 * character boundary and ends in "..."; CSV keeps it whole. */
static void test_long_note(void **state)
{
    const sva_checklist *cl = *state;
    sva_buf note = {0};
    for (int i = 0; i < 500; i++)
        sva_buf_puts(&note, "长");
    sva_answer a[N_ITEMS] = {0};
    a[CRIT] = (sva_answer){.answered = true, .value = 1, .note = note.data};
    char *ini = NULL, *csv = NULL;
    assert_int_equal(sva_sheet_write(cl, SVA_SHEET_INI, NULL, NULL, a, &ini), SVA_OK);
    assert_int_equal(sva_sheet_write(cl, SVA_SHEET_CSV, NULL, NULL, a, &csv), SVA_OK);
    sva_diag d = {0};
    sva_sheet *s = parse(cl, "long.ini", ini, SVA_OK, &d);
    const char *got = s->answers[CRIT].note;
    size_t n = strlen(got);
    assert_true(n > 900 && n <= SVA_INI_MAX_LINE - strlen("note     = \"\""));
    assert_string_equal(got + n - 3, "...");
    assert_memory_equal(got, note.data, n - 3); /* whole characters only */
    assert_int_equal((n - 3) % 3, 0);
    sva_sheet_free(s);
    s = parse(cl, "long.csv", csv, SVA_OK, &d);
    assert_string_equal(s->answers[CRIT].note, note.data);
    sva_sheet_free(s);
    assert_int_equal(d.n, 0);
    free(ini);
    free(csv);
    sva_buf_free(&note);
}

/* Checklist texts go into comment lines of the INI template; a text near the
 * INI line limit is cut there so the template still reads back. */
static void test_template_long_text(void **state)
{
    (void)state;
    sva_buf src = {0}, guide = {0};
    for (int i = 0; i < 990; i++)
        sva_buf_puts(&guide, "g");
    sva_buf_printf(&src,
                   "[checklist]\nid = long_text\nversion = 1\ntitle = Long\nsubject = store\n"
                   "index = none\n[section.s]\ntitle = S\n[item.s.one]\nsection = s\n"
                   "text = One\nguide = %s\n",
                   guide.data);
    sva_diag d = {0};
    sva_checklist *cl = NULL;
    assert_int_equal(sva_checklist_parse("long.ini", src.data, src.len, &cl, &d), SVA_OK);
    char *t = NULL;
    assert_int_equal(sva_sheet_template(cl, SVA_SHEET_INI, NULL, &t), SVA_OK);
    for (const char *line = t; *line;) {
        size_t n = strcspn(line, "\n");
        assert_true(n <= SVA_INI_MAX_LINE);
        line += n + (line[n] ? 1 : 0);
    }
    assert_non_null(strstr(t, ";   guide: ggg"));
    assert_non_null(strstr(t, "g...\n;   answer: yes | no\n[item.s.one]\n"));
    sva_sheet *s = parse(cl, "t.ini", t, SVA_OK, &d);
    assert_int_equal(d.n, 0);
    sva_sheet_free(s);
    free(t);
    sva_checklist_free(cl);
    sva_buf_free(&src);
    sva_buf_free(&guide);
}

static void test_filled_by_hand(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    sva_sheet *s = load(cl, "tests/fixtures/sheets/filled.ini", SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_string_equal(s->header.store, "S01");
    assert_string_equal(s->header.employee, "E7");
    assert_null(s->header.cycle);
    assert_null(s->header.auditor);
    assert_string_equal(s->header.date, "2026-11-25");
    assert_true(s->answers[GREET].answered);
    assert_int_equal(s->answers[GREET].value, 1);
    assert_string_equal(s->answers[GREET].note, "Greeted at the door; said the dealer name #1");
    assert_int_equal(s->lines[GREET], 9);
    /* N/A where the item does not allow it: read here, rejected by validation */
    assert_true(s->answers[CRIT].answered && s->answers[CRIT].na);
    assert_int_equal(s->lines[CRIT], 12);
    assert_int_equal(s->answers[CLEAN].value, 4);
    assert_string_equal(s->answers[CLEAN].evidence, "photos/ws1.jpg");
    /* not in the file: unanswered, line 0 */
    assert_false(s->answers[POINTS].answered);
    assert_int_equal(s->lines[POINTS], 0);
    /* the audit module names the sheet and each item's line (none when absent) */
    sva_audit_header flags = {.cycle = "C1", .auditor = "Li Na"}, h;
    sva_audit_header_merge(&h, &flags, &s->header, s->name);
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_ERR_INVALID);
    assert_null(r);
    assert_true(diag_at(&d, 12, "item 'front.crit': N/A is not allowed"));
    assert_true(diag_at(&d, 0, "item 'back.points' is not answered"));
    sva_diag_clear(&d);
    sva_sheet_free(s);

    assert_int_equal(sva_sheet_load(src_path("tests/fixtures/sheets/none.ini"), cl, &s, &d),
                     SVA_ERR_IO);
    assert_null(s);
    assert_int_equal(d.n, 1);
    sva_diag_clear(&d);
}

/* Format rule: first line that is not blank or a comment starts with '[' = INI. */
static void test_format_detection(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    sva_sheet *s = parse(cl, "x", "\xEF\xBB\xBF\n  ; comment\n# another\n\n  [item.back.clean]\n"
                                  "answer = 2\n",
                         SVA_OK, &d);
    assert_int_equal(s->format, SVA_SHEET_INI);
    assert_int_equal(s->answers[CLEAN].value, 2);
    assert_int_equal(s->lines[CLEAN], 5);
    assert_null(s->header.checklist); /* no [audit]: nothing to compare */
    sva_sheet_free(s);
    /* CSV without the field,value block and without a blank line */
    s = parse(cl, "x", "\xEF\xBB\xBF" "item,answer\r\nback.clean,1\r\n", SVA_OK, &d);
    assert_int_equal(s->format, SVA_SHEET_CSV);
    assert_int_equal(s->answers[CLEAN].value, 1);
    assert_int_equal(s->lines[CLEAN], 2);
    sva_sheet_free(s);
    /* header rows directly followed by the item header row */
    s = parse(cl, "x", "checklist,sheet_test\nversion,2\nitem,answer\nfront.greet,n\n", SVA_OK,
              &d);
    assert_int_equal(s->answers[GREET].value, 0);
    assert_int_equal(s->lines[GREET], 4);
    sva_sheet_free(s);
    assert_int_equal(d.n, 0);
}

/* ---- errors, each with its line ----------------------------------------------- */

static void test_unknown_item(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/unknown_item.ini", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 8, "unknown item 'front.nope'"));
    assert_non_null(strstr(d.msgs[0].file, "unknown_item.ini"));
    sva_diag_clear(&d);

    parse(cl, "u.csv", "item,answer\nfront.greet,yes\nback.nope,1\n", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 3, "unknown item 'back.nope'"));
    sva_diag_clear(&d);
}

static void test_duplicate_item(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/dup_item.ini", SVA_ERR_PARSE, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 5, "duplicate section [item.front.greet] (first at line 3)"));
    sva_diag_clear(&d);
    load(cl, "tests/fixtures/sheets/dup_item.csv", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 4, "item 'front.greet' appears twice (first at line 2)"));
    sva_diag_clear(&d);
}

static void test_bad_answers(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/bad_answers.ini", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 3);
    assert_true(diag_at(&d, 5,
                        "item 'front.greet': 'maybe' is not an allowed answer (allowed: yes | no | na)"));
    assert_true(diag_at(&d, 9, "item 'back.clean': '5' is not an allowed answer (allowed: 0..4)"));
    assert_true(diag_at(&d, 11, "item 'back.points': '2.5' is not an allowed answer (allowed: 0..12)"));
    sva_diag_clear(&d);
}

/* A CSV with bad rows: every one is reported, not only the first. */
static void test_bad_rows_all_reported(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/bad_rows.csv", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 5);
    assert_true(diag_at(&d, 6, "item 'front.greet': 'maybe' is not an allowed answer (allowed: yes | no | na)"));
    assert_true(diag_at(&d, 7, "unknown item 'front.unknown'"));
    assert_true(diag_at(&d, 9, "item 'front.crit' appears twice (first at line 8)"));
    assert_true(diag_at(&d, 10, "item 'back.clean': '7' is not an allowed answer (allowed: 0..4)"));
    assert_true(diag_at(&d, 11, "row without an item id"));
    sva_diag_clear(&d);
}

static void test_version_mismatch(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/version_old.ini", SVA_ERR_INVALID, &d);
    /* one message: the items of another version are not reported one by one */
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 4,
                        "sheet is for version 1 of 'sheet_test'; the checklist is now version 2: "
                        "make a new template"));
    sva_diag_clear(&d);
    parse(cl, "v.csv", "field,value\nversion,3\nchecklist,sheet_test\n\nitem,answer\n", SVA_ERR_INVALID,
          &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 2, "sheet is for version 3 of 'sheet_test'"));
    sva_diag_clear(&d);
}

static void test_checklist_mismatch(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/other_checklist.csv", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 2, "sheet is for checklist '6s_store', not 'sheet_test'"));
    sva_diag_clear(&d);
    parse(cl, "c.ini", "[audit]\nversion = 2\nchecklist = phone_handling\n[item.front.greet]\n",
          SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 3, "sheet is for checklist 'phone_handling', not 'sheet_test'"));
    sva_diag_clear(&d);
}

static void test_bad_version(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/bad_version.csv", SVA_ERR_INVALID, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 2, "bad version 'abc' (want a whole number from 1)"));
    sva_diag_clear(&d);
    const char *bad[] = {"0", "-1", "+2", "1.0", "2x"};
    for (size_t i = 0; i < 5; i++) {
        char text[128];
        snprintf(text, sizeof text, "[audit]\nchecklist = sheet_test\nversion = %s\n", bad[i]);
        parse(cl, "v.ini", text, SVA_ERR_INVALID, &d);
        assert_true(diag_at(&d, 3, "bad version"));
        sva_diag_clear(&d);
    }
    sva_sheet_header h;
    const char zero[] = "[audit]\nversion = zero\n";
    assert_int_equal(sva_sheet_read_header("h.ini", zero, sizeof zero - 1, &h, &d), SVA_ERR_PARSE);
    assert_true(diag_at(&d, 2, "bad version 'zero'"));
    assert_null(h.checklist);
    sva_diag_clear(&d);
}

static void test_unknown_keys_and_sections(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/unknown_keys.ini", SVA_ERR_PARSE, &d);
    assert_int_equal(d.n, 3);
    assert_true(diag_at(&d, 3, "unknown key 'shop' in [audit]"));
    assert_true(diag_at(&d, 6, "unknown key 'comment' in [item.front.greet]"));
    assert_true(diag_at(&d, 7, "unknown section [extra]"));
    sva_diag_clear(&d);
    parse(cl, "k.csv", "field,value\nchecklist,sheet_test\nshop,S1\nitem,answer\n", SVA_ERR_PARSE,
          &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 3, "unknown header field 'shop'"));
    sva_diag_clear(&d);
    parse(cl, "k.csv", "store,S1\nstore,S2\nitem,answer\n", SVA_ERR_INVALID, &d);
    assert_true(diag_at(&d, 2, "duplicate header field 'store' (first at line 1)"));
    sva_diag_clear(&d);
}

/* Spreadsheet CSV: header rows padded with commas, a blank row of commas,
 * columns in another order, template columns kept, rows in any order. */
static void test_csv_reordered_columns(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    sva_sheet *s = load(cl, "tests/fixtures/sheets/reordered.csv", SVA_OK, &d);
    assert_int_equal(d.n, 0);
    assert_string_equal(s->header.checklist, "sheet_test");
    assert_int_equal(s->header.version, 2);
    assert_string_equal(s->header.auditor, "Wang, Li");
    assert_string_equal(s->header.store, "S01");
    assert_null(s->header.employee);
    assert_true(s->answers[POINTS].answered);
    assert_int_equal(s->answers[POINTS].value, 12);
    assert_string_equal(s->answers[POINTS].note, "twelve, of twelve");
    assert_null(s->answers[POINTS].evidence);
    assert_int_equal(s->lines[POINTS], 7);
    assert_true(s->answers[GREET].answered);
    assert_int_equal(s->answers[GREET].value, 1);
    assert_null(s->answers[GREET].note);
    assert_int_equal(s->lines[GREET], 8);
    assert_false(s->answers[CLEAN].answered);
    assert_string_equal(s->answers[CLEAN].evidence, "photo.jpg");
    assert_int_equal(s->lines[CLEAN], 9);
    assert_false(s->answers[CRIT].answered);
    assert_int_equal(s->lines[CRIT], 0);
    sva_sheet_free(s);
}

static void test_csv_structure_errors(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    load(cl, "tests/fixtures/sheets/bad_columns.csv", SVA_ERR_PARSE, &d);
    assert_int_equal(d.n, 3);
    assert_true(diag_at(&d, 1, "unknown column 'answr'"));
    assert_true(diag_at(&d, 1, "unknown column 'notes'"));
    assert_true(diag_at(&d, 1, "no 'answer' column"));
    sva_diag_clear(&d);

    load(cl, "tests/fixtures/sheets/bad_syntax.csv", SVA_ERR_PARSE, &d);
    assert_int_equal(d.n, 1);
    assert_true(diag_at(&d, 2, "unterminated quoted field"));
    sva_diag_clear(&d);

    parse(cl, "c.csv", "item,answer,answer\n", SVA_ERR_PARSE, &d);
    assert_true(diag_at(&d, 1, "duplicate column 'answer'"));
    sva_diag_clear(&d);
    parse(cl, "c.csv", "field,value\nchecklist,sheet_test\n", SVA_ERR_PARSE, &d);
    assert_true(diag_has(&d, 0, "no item header row"));
    sva_diag_clear(&d);
    parse(cl, "c.csv", "", SVA_ERR_PARSE, &d);
    assert_true(diag_has(&d, 0, "empty answer sheet"));
    sva_diag_clear(&d);
    parse(cl, "c.csv", "item,answer\nfront.greet,yes,extra\n", SVA_ERR_PARSE, &d);
    assert_true(diag_at(&d, 2, "value in column 3"));
    sva_diag_clear(&d);
    parse(cl, "c.csv", "store,S1,S2\nitem,answer\n", SVA_ERR_PARSE, &d);
    assert_true(diag_at(&d, 1, "more than two values"));
    sva_diag_clear(&d);
}

/* ---- read once, then bind ------------------------------------------------------ */

/* The text is read once: the header says which checklist, and the entries
 * read then are bound to it (no second reading). A sheet with problems in
 * some entries still comes back, bound, with those problems counted and
 * their items flagged, so the rest can be checked in the same run. */
static void test_read_then_bind(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    sva_sheet *s = NULL;
    static const char text[] = "[audit]\n"                  /* 1 */
                               "checklist = sheet_test\n"   /* 2 */
                               "version = 2\n"              /* 3 */
                               "store = S01\n"              /* 4 */
                               "[item.front.greet]\n"       /* 5 */
                               "answer = maybe\n"           /* 6: not an answer */
                               "[item.front.crit]\n"        /* 7 */
                               "answer = yes\n"             /* 8 */
                               "remark = fine\n"            /* 9: unknown key */
                               "[item.back.clean]\n"        /* 10 */
                               "answer = 3\n"               /* 11 */
                               "[item.back.gone]\n"         /* 12: unknown item */
                               "answer = 1\n";              /* 13 */
    assert_int_equal(sva_sheet_read("r.ini", text, sizeof text - 1, &s, &d), SVA_ERR_PARSE);
    assert_non_null(s);
    assert_null(s->cl);
    assert_int_equal(s->n, 0);
    assert_string_equal(s->header.checklist, "sheet_test");
    assert_string_equal(s->header.store, "S01");
    assert_int_equal(s->header.line_store, 4);
    assert_int_equal(s->problems, 1);
    assert_true(diag_at(&d, 9, "unknown key 'remark' in [item.front.crit]"));
    assert_false(s->incomplete);

    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_ERR_INVALID);
    assert_ptr_equal(s->cl, cl);
    assert_int_equal(s->n, cl->n_items);
    assert_int_equal(s->problems, 3);
    assert_int_equal(d.n, 3);
    assert_true(diag_at(&d, 6, "item 'front.greet': 'maybe' is not an allowed answer"));
    assert_true(diag_at(&d, 12, "unknown item 'back.gone'"));
    /* flagged: the items whose entry had a problem, and only those */
    assert_true(s->flagged[GREET]);
    assert_true(s->flagged[CRIT]);
    assert_false(s->flagged[CLEAN]);
    assert_false(s->flagged[POINTS]);
    assert_true(s->answers[CRIT].answered); /* what could be read, was */
    assert_int_equal(s->answers[CLEAN].value, 3);
    assert_int_equal(s->lines[CLEAN], 10);
    assert_int_equal(s->lines[POINTS], 0);
    /* bound once */
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_ERR_USAGE);
    assert_int_equal(d.n, 3);
    sva_sheet_free(s);
    sva_diag_clear(&d);

    /* a clean sheet: read and bound without a message */
    static const char ok[] = "item,answer,note\nfront.greet,yes,\nback.points,12,photo 3\n";
    assert_int_equal(sva_sheet_read("ok.csv", ok, sizeof ok - 1, &s, &d), SVA_OK);
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_OK);
    assert_int_equal(s->problems, 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(s->answers[POINTS].value, 12);
    assert_string_equal(s->answers[POINTS].note, "photo 3");
    assert_int_equal(s->lines[POINTS], 3);
    sva_sheet_free(s);
}

/* What cannot be bound stays unbound (s->cl NULL), with one message: a sheet
 * for another checklist or version, a bad version, a CSV with no item rows. */
static void test_bind_refused(void **state)
{
    const sva_checklist *cl = *state;
    static const struct {
        const char *text, *msg;
        int line;
    } cases[] = {
        {"[audit]\nchecklist = other\n[item.front.greet]\nanswer = yes\n",
         "sheet is for checklist 'other'", 2},
        {"[audit]\nversion = 1\n[item.front.greet]\nanswer = yes\n", "sheet is for version 1", 2},
        {"[audit]\nversion = two\n[item.front.greet]\nanswer = yes\n", "bad version 'two'", 2},
        {"field,value\nchecklist,sheet_test\n", "no item header row", 0},
        {"\xEF\xBB\xBF", "empty answer sheet", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        sva_diag d = {0};
        sva_sheet *s = NULL;
        sva_sheet_read("b", cases[k].text, strlen(cases[k].text), &s, &d);
        assert_non_null(s);
        assert_true(sva_sheet_bind(s, cl, &d) != SVA_OK);
        assert_null(s->cl);
        assert_null(s->answers);
        if (d.n != 1 || !diag_has(&d, cases[k].line, cases[k].msg))
            diag_dump(&d);
        assert_int_equal(d.n, 1);
        assert_true(diag_has(&d, cases[k].line, cases[k].msg));
        assert_true(s->problems >= 1);
        sva_sheet_free(s);
        sva_diag_clear(&d);
    }
}

/* A syntax error leaves part of the text unread: the sheet is marked
 * incomplete, and what was read before and after it is still bound. */
static void test_incomplete(void **state)
{
    const sva_checklist *cl = *state;
    sva_diag d = {0};
    sva_sheet *s = NULL;
    static const char ini[] = "[audit]\nchecklist = sheet_test\n"
                              "[item.front.greet]\nanswer = yes\nnote = \"not closed\n"
                              "[item.back.clean]\nanswer = 2\n";
    assert_int_equal(sva_sheet_read("q.ini", ini, sizeof ini - 1, &s, &d), SVA_ERR_PARSE);
    assert_true(s->incomplete);
    assert_true(diag_at(&d, 5, "quote"));
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_OK);
    assert_true(s->answers[GREET].answered);
    assert_null(s->answers[GREET].note);
    assert_int_equal(s->answers[CLEAN].value, 2);
    sva_sheet_free(s);
    sva_diag_clear(&d);

    /* CSV: the rows before a broken one are read, the rest is not */
    static const char csv[] = "item,answer\nfront.greet,no\nback.clean,\"4\n";
    assert_int_equal(sva_sheet_read("q.csv", csv, sizeof csv - 1, &s, &d), SVA_ERR_PARSE);
    assert_true(s->incomplete);
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_OK);
    assert_true(s->answers[GREET].answered);
    assert_false(s->answers[CLEAN].answered);
    sva_sheet_free(s);
    sva_diag_clear(&d);

    /* an unknown key or column value is not a syntax error of the file */
    static const char extra[] = "item,answer\nfront.greet,yes,surplus\nback.clean,1\n";
    assert_int_equal(sva_sheet_read("x.csv", extra, sizeof extra - 1, &s, &d), SVA_ERR_PARSE);
    assert_false(s->incomplete);
    assert_true(diag_at(&d, 2, "value in column 3"));
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_OK);
    assert_true(s->flagged[GREET]);
    assert_false(s->answers[GREET].answered);
    assert_int_equal(s->lines[GREET], 2);
    assert_int_equal(s->answers[CLEAN].value, 1);
    sva_sheet_free(s);
    sva_diag_clear(&d);
}

/* Both messages lists are the same, in the same order. */
static void same_diag(const sva_diag *a, const sva_diag *b)
{
    assert_int_equal(a->n, b->n);
    char x[2048], y[2048];
    for (size_t i = 0; i < a->n; i++) {
        sva_diag_format(a, i, x, sizeof x);
        sva_diag_format(b, i, y, sizeof y);
        assert_string_equal(x, y);
    }
}

/* sva_sheet_read_many gives every sheet what sva_sheet_read gives it alone:
 * result, header, messages (the same text, in the same order), and once
 * bound the same answers and notes; over every bad sheet of tests/bad/sheet
 * and clean sheets with quoted notes (read by iniparser a second time,
 * shared by the batch), between and around them. */
static void test_read_many(void **state)
{
    const sva_checklist *cl = *state;
    enum { MAX = 200 };
    char *names[MAX], *texts[MAX];
    size_t lens[MAX], n = 0;
    static const char good[] = "[audit]\nchecklist = sheet_test\nstore = S%zu\n"
                               "[item.front.greet]\nanswer = no\nnote = \"late; #%zu\" ; x\n"
                               "[item.back.clean]\nanswer = 3\nnote = 'say \"hi\"'\n";
    const char *dir = src_path("tests/bad/sheet");
    char dirname[4096];
    snprintf(dirname, sizeof dirname, "%s", dir);
    DIR *dh = opendir(dirname);
    assert_non_null(dh);
    struct dirent *de;
    while ((de = readdir(dh)) && n + 2 < MAX) {
        if (de->d_name[0] == '.')
            continue;
        names[n] = sva_asprintf("good%zu.ini", n);
        texts[n] = sva_asprintf(good, n, n);
        lens[n] = strlen(texts[n]);
        n++;
        names[n] = sva_asprintf("%s/%s", dirname, de->d_name);
        assert_int_equal(sva_read_file(names[n], &texts[n], &lens[n], NULL), SVA_OK);
        n++;
    }
    closedir(dh);
    assert_true(n > 60);
    sva_sheet *many[MAX];
    sva_error rcs[MAX];
    sva_diag ds[MAX];
    for (size_t i = 0; i < n; i++)
        sva_diag_init(&ds[i]);
    assert_int_equal(sva_sheet_read_many(n, (const char *const *)names,
                                         (const char *const *)texts, lens, many, rcs, ds),
                     SVA_OK);
    size_t quoted = 0;
    for (size_t i = 0; i < n; i++) {
        sva_diag d;
        sva_diag_init(&d);
        sva_sheet *one = NULL;
        sva_error rc = sva_sheet_read(names[i], texts[i], lens[i], &one, &d);
        if (rc != rcs[i])
            fprintf(stderr, "  %s: %d alone, %d in the batch\n", names[i], rc, rcs[i]);
        assert_int_equal(rc, rcs[i]);
        same_diag(&d, &ds[i]);
        assert_int_equal(one == NULL, many[i] == NULL);
        if (one) {
            assert_int_equal(one->problems, many[i]->problems);
            assert_int_equal(one->incomplete, many[i]->incomplete);
            assert_int_equal(one->format, many[i]->format);
            if (one->header.checklist)
                assert_string_equal(one->header.checklist, many[i]->header.checklist);
            else
                assert_null(many[i]->header.checklist);
            if (strncmp(names[i], "good", 4) == 0) {
                assert_int_equal(rc, SVA_OK);
                assert_int_equal(sva_sheet_bind(one, cl, &d), SVA_OK);
                assert_int_equal(sva_sheet_bind(many[i], cl, &ds[i]), SVA_OK);
                char want[32];
                snprintf(want, sizeof want, "late; #%zu", i);
                assert_string_equal(many[i]->answers[GREET].note, want);
                assert_string_equal(one->answers[GREET].note, want);
                assert_string_equal(many[i]->answers[CLEAN].note, "say \"hi\"");
                quoted++;
            }
        }
        sva_sheet_free(one);
        sva_sheet_free(many[i]);
        sva_diag_clear(&d);
        sva_diag_clear(&ds[i]);
        free(names[i]);
        free(texts[i]);
    }
    assert_int_equal(quoted, n / 2);
    /* none at all */
    assert_int_equal(sva_sheet_read_many(0, NULL, NULL, NULL, NULL, NULL, NULL), SVA_OK);
}

static void test_read_header(void **state)
{
    (void)state;
    sva_diag d = {0};
    sva_sheet_header h;
    const char ini[] = "; x\n[audit]\nchecklist = sales_mystery_shop\nversion = 4\nstore =\n"
                       "[item.whatever]\nanswer = anything\n";
    assert_int_equal(sva_sheet_read_header("h.ini", ini, sizeof ini - 1, &h, &d), SVA_OK);
    assert_string_equal(h.checklist, "sales_mystery_shop");
    assert_int_equal(h.version, 4);
    assert_null(h.store);
    sva_sheet_header_free(&h);
    /* CSV: only the header block is read; rows after the item header do not matter */
    const char csv[] = "field,value\ncycle,2026-Q4\nchecklist,6s_store\n\nitem,answer\n\"broken\n";
    assert_int_equal(sva_sheet_read_header("h.csv", csv, sizeof csv - 1, &h, &d), SVA_OK);
    assert_string_equal(h.checklist, "6s_store");
    assert_string_equal(h.cycle, "2026-Q4");
    assert_int_equal(h.version, 0);
    sva_sheet_header_free(&h);
    assert_int_equal(d.n, 0);
    sva_sheet_header_free(NULL);
    sva_sheet_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_parse),
        cmocka_unit_test(test_template_ini),
        cmocka_unit_test(test_template_csv),
        cmocka_unit_test(test_roundtrip_ini),
        cmocka_unit_test(test_roundtrip_csv),
        cmocka_unit_test(test_quotes_and_line_breaks),
        cmocka_unit_test(test_long_note),
        cmocka_unit_test(test_template_long_text),
        cmocka_unit_test(test_filled_by_hand),
        cmocka_unit_test(test_format_detection),
        cmocka_unit_test(test_unknown_item),
        cmocka_unit_test(test_duplicate_item),
        cmocka_unit_test(test_bad_answers),
        cmocka_unit_test(test_bad_rows_all_reported),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_checklist_mismatch),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_unknown_keys_and_sections),
        cmocka_unit_test(test_csv_reordered_columns),
        cmocka_unit_test(test_csv_structure_errors),
        cmocka_unit_test(test_read_header),
        cmocka_unit_test(test_read_then_bind),
        cmocka_unit_test(test_bind_refused),
        cmocka_unit_test(test_incomplete),
        cmocka_unit_test(test_read_many),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

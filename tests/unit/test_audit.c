/* svcaudit tests: the audit module (audit.h) on its own, no database: the
 * header merged from flags and sheet, every problem of a sheet reported in one
 * pass with its line, each answer rule, and the one scoring of a ready audit
 * (worked out by hand from SPEC.md "Scoring rules" in the comments). */
#include "testutil.h"

#include <math.h>
#include <time.h>

#define EPS 1e-9
#define assert_near(actual, expected)                                                        \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (!(fabs(a_ - e_) <= EPS)) {                                                       \
            print_error("%s = %.12g, expected %.12g\n", #actual, a_, e_);                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* [checklist] head; scale yesno by default. */
#define HEAD(policy)                                                                         \
    "[checklist]\n"                                                                          \
    "id = score_test\n"                                                                      \
    "version = 1\n"                                                                          \
    "title = Score test\n"                                                                   \
    "subject = store\n"                                                                      \
    "index = none\n"                                                                         \
    "scale = yesno\n"                                                                        \
    "critical_policy = " policy "\n\n"

/* The checklist of the sheet tests: section weights 3 and 1; items in this
 * order: front.greet (weight 2, note on fail), front.tidy (0-4), front.sign
 * (N/A allowed), back.clean (0-10, weight 3), back.exit (critical, note always). */
static const char AUDIT_CL[] =
    "[checklist]\n"
    "id = audit_test\n"
    "version = 1\n"
    "title = Audit test\n"
    "subject = store\n"
    "index = 6s\n"
    "scale = yesno\n"
    "critical_policy = flag\n"
    "\n[section.front]\ntitle = Front\nweight = 3\n"
    "\n[section.back]\ntitle = Back\nweight = 1\n"
    "\n[item.front.greet]\nsection = front\ntext = Greets\nweight = 2\nevidence = on_fail\n"
    "\n[item.front.tidy]\nsection = front\ntext = Tidy\nscale = 0-4\n"
    "\n[item.front.sign]\nsection = front\ntext = Sign\nna = yes\n"
    "\n[item.back.clean]\nsection = back\ntext = Clean\nscale = 0-10\nweight = 3\n"
    "\n[item.back.exit]\nsection = back\ntext = Exit clear\ncritical = yes\nevidence = always\n";

/* ---- helpers --------------------------------------------------------------- */

static sva_checklist *mk(const char *text)
{
    sva_checklist *cl = NULL;
    sva_diag d = {0};
    sva_error e = sva_checklist_parse("audit_test.ini", text, strlen(text), &cl, &d);
    if (e != SVA_OK)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(e, SVA_OK);
    assert_non_null(cl);
    return cl;
}

/* One answer slot per item, all unanswered. */
static sva_answer *blank(const sva_checklist *cl)
{
    sva_answer *a = calloc(cl->n_items ? cl->n_items : 1, sizeof *a);
    assert_non_null(a);
    return a;
}

static size_t idx(const sva_checklist *cl, const char *id)
{
    long i = sva_checklist_item_index(cl, id);
    if (i < 0)
        print_error("no item '%s'\n", id);
    assert_true(i >= 0);
    return (size_t)i;
}

static void val(const sva_checklist *cl, sva_answer *a, const char *id, int v)
{
    sva_answer *x = &a[idx(cl, id)];
    x->answered = true;
    x->na = false;
    x->value = v;
}

static void na(const sva_checklist *cl, sva_answer *a, const char *id)
{
    sva_answer *x = &a[idx(cl, id)];
    x->answered = true;
    x->na = true;
    x->value = 0;
}

static void note(const sva_checklist *cl, sva_answer *a, const char *id, char *text)
{
    a[idx(cl, id)].note = text;
}

/* Number of messages in d that mention needle. */
static size_t diag_count(const sva_diag *d, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->msgs[i].msg, needle))
            n++;
    return n;
}

/* d holds exactly n messages (dumps them when not). */
static void assert_diag_n(const sva_diag *d, size_t n)
{
    if (d->n != n)
        diag_dump(d);
    assert_int_equal(d->n, n);
}

/* Every message of d names one of ids[] (n ids). */
static void every_msg_names_an_item(const sva_diag *d, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < d->n; i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found |= strstr(d->msgs[i].msg, ids[k]) != NULL;
        if (!found)
            print_error("message names no item: %s\n", d->msgs[i].msg);
        assert_true(found);
    }
}

/* A header that passes every check of the module. */
static const sva_audit_header GOOD = {.cycle = "C1", .store = "S1", .auditor = "Zhang Min",
                                      .date = "2026-11-12"};

/* The answer checks alone: prepare under a good header. A ready audit comes
 * back exactly when there is no problem. */
static sva_error validate(const sva_checklist *cl, const sva_answer *a, sva_diag *d)
{
    const sva_audit_ready *r = (const sva_audit_ready *)0x1;
    sva_error rc = sva_audit_prepare(cl, &GOOD, a, &r, d);
    assert_true(rc == SVA_OK ? r != NULL : r == NULL);
    sva_audit_ready_free(r);
    return rc;
}

/* The message at file @p file, line @p line holding @p needle: how many. */
static size_t at(const sva_diag *d, const char *file, int line, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->msgs[i].line == line && d->msgs[i].file && !strcmp(d->msgs[i].file, file) &&
            strstr(d->msgs[i].msg, needle))
            n++;
    return n;
}

/* A sheet read from @p text and bound to @p cl; the diag keeps the messages. */
static sva_sheet *sheet(const sva_checklist *cl, const char *name, const char *text, sva_diag *d)
{
    sva_sheet *s = NULL;
    sva_sheet_read(name, text, strlen(text), &s, d);
    assert_non_null(s);
    sva_sheet_bind(s, cl, d);
    assert_true(s->cl == cl);
    return s;
}


/* ---- a sheet: every problem in one pass ------------------------------------- */

/* Six mistakes planted in one sheet. Reading finds the answer outside its scale
 * and the misspelt key; the module the rest. Each is reported once, at its
 * line; the misspelt item (front.sign) is not reported again as unanswered. */
static const char SIX[] = "[audit]\n"                /* 1 */
                          "checklist = audit_test\n" /* 2 */
                          "version = 1\n"            /* 3 */
                          "store = S1\n"             /* 4 */
                          "cycle = C1\n"             /* 5 */
                          "auditor =\n"              /* 6: missing auditor */
                          "date = 12/11/2026\n"      /* 7: not YYYY-MM-DD */
                          "\n"                       /* 8 */
                          "[item.front.greet]\n"     /* 9: failed, note on fail, none */
                          "answer = no\n"            /* 10 */
                          "\n"                       /* 11 */
                          "[item.front.tidy]\n"      /* 12 */
                          "answer = 7\n"             /* 13: outside 0-4 */
                          "\n"                       /* 14 */
                          "[item.front.sign]\n"      /* 15 */
                          "anwser = yes\n"           /* 16: unknown key */
                          "\n"                       /* 17 */
                          "[item.back.clean]\n"      /* 18: unanswered */
                          "answer =\n"               /* 19 */
                          "\n"                       /* 20 */
                          "[item.back.exit]\n"       /* 21 */
                          "answer = yes\n"           /* 22 */
                          "note = exits clear\n";    /* 23 */

static void test_six_mistakes_at_once(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_diag d = {0};
    sva_sheet *s = sheet(cl, "six.ini", SIX, &d);
    assert_int_equal(s->problems, 2); /* the two reading found */
    assert_false(s->incomplete);
    sva_audit_header h;
    sva_audit_header_merge(&h, NULL, &s->header, s->name);
    const sva_audit_ready *r = (const sva_audit_ready *)0x1;
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_ERR_INVALID);
    assert_null(r);
    assert_diag_n(&d, 6);
    assert_int_equal(at(&d, "six.ini", 6, "auditor: missing"), 1);
    assert_int_equal(at(&d, "six.ini", 7, "'12/11/2026' is not a date"), 1);
    assert_int_equal(at(&d, "six.ini", 9, "item 'front.greet': a note is required when it fails"),
                     1);
    assert_int_equal(at(&d, "six.ini", 13, "item 'front.tidy': '7' is not an allowed answer"), 1);
    assert_int_equal(at(&d, "six.ini", 16, "unknown key 'anwser' in [item.front.sign]"), 1);
    assert_int_equal(at(&d, "six.ini", 18, "item 'back.clean' is not answered"), 1);
    sva_diag_clear(&d);

    /* the same sheet with its six mistakes fixed is ready */
    sva_sheet_free(s);
    s = sheet(cl, "fixed.ini",
              "[audit]\nchecklist = audit_test\nversion = 1\nstore = S1\ncycle = C1\n"
              "auditor = Zhang Min\ndate = 2026-11-12\n"
              "[item.front.greet]\nanswer = no\nnote = nobody at the door\n"
              "[item.front.tidy]\nanswer = 4\n[item.front.sign]\nanswer = yes\n"
              "[item.back.clean]\nanswer = 10\n[item.back.exit]\nanswer = yes\nnote = clear\n",
              &d);
    sva_audit_header_merge(&h, NULL, &s->header, s->name);
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_OK);
    assert_diag_n(&d, 0);
    assert_non_null(r);
    sva_audit_ready_free(r);
    sva_sheet_free(s);
    sva_checklist_free(cl);
}

/* A sheet whose text could not be read whole: what is absent may be on a line
 * in error, so absent things (auditor, answers, notes) are not reported; what
 * was read is still checked; no ready audit. */
static void test_incomplete_sheet(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_diag d = {0};
    sva_sheet *s = NULL;
    static const char text[] = "[audit]\n"                   /* 1 */
                               "checklist = audit_test\n"    /* 2 */
                               "store = S1\n"                /* 3 */
                               "cycle = C1\n"                /* 4 */
                               "auditor = Zhang \xff Min\n"  /* 5: not UTF-8 */
                               "date = 2026-11-31\n"         /* 6: no such day */
                               "[item.front.greet]\n"        /* 7 */
                               "answer = no\n"               /* 8 */
                               "note = \xfe\n"               /* 9: not UTF-8 */
                               "[item.front.tidy]\n"         /* 10 */
                               "answer = 9\n";               /* 11: outside 0-4 */
    assert_int_equal(sva_sheet_read("cut.ini", text, sizeof text - 1, &s, &d), SVA_ERR_PARSE);
    assert_non_null(s);
    assert_true(s->incomplete);
    sva_sheet_bind(s, cl, &d);
    assert_true(s->cl == cl);
    sva_audit_header h;
    sva_audit_header_merge(&h, NULL, &s->header, s->name);
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_ERR_INVALID);
    assert_null(r);
    assert_int_equal(at(&d, "cut.ini", 5, "UTF-8"), 1);
    assert_int_equal(at(&d, "cut.ini", 9, "UTF-8"), 1);
    assert_int_equal(at(&d, "cut.ini", 11, "item 'front.tidy': '9'"), 1);
    assert_int_equal(at(&d, "cut.ini", 6, "'2026-11-31' is not a date"), 1);
    assert_diag_n(&d, 4);
    sva_diag_clear(&d);
    sva_sheet_free(s);
    sva_checklist_free(cl);
}

/* Only a bound sheet can be prepared; one for another checklist stays unbound. */
static void test_unbound_sheet(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_diag d = {0};
    sva_sheet *s = NULL;
    static const char text[] = "[audit]\nchecklist = other\n[item.front.tidy]\nanswer = 3\n";
    assert_int_equal(sva_sheet_read("o.ini", text, sizeof text - 1, &s, &d), SVA_OK);
    sva_audit_header h;
    sva_audit_header_merge(&h, &GOOD, &s->header, s->name);
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_ERR_USAGE);
    assert_int_equal(sva_sheet_bind(s, cl, &d), SVA_ERR_INVALID);
    assert_null(s->cl);
    assert_int_equal(at(&d, "o.ini", 2, "sheet is for checklist 'other', not 'audit_test'"), 1);
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_ERR_USAGE);
    assert_null(r);
    assert_diag_n(&d, 1);
    sva_diag_clear(&d);
    sva_sheet_free(s);
    sva_checklist_free(cl);
}

/* ---- the header ------------------------------------------------------------- */

static void test_header_merge(void **state)
{
    (void)state;
    sva_sheet_header sh = {.store = "S1", .cycle = "C1", .auditor = "Li Na",
                           .date = "2026-11-12", .line_store = 4, .line_cycle = 5,
                           .line_auditor = 6, .line_date = 7, .line_employee = 3};
    sva_audit_header flags = {.store = "S2", .date = "2026-13-01"};
    sva_audit_header h;
    sva_audit_header_merge(&h, &flags, &sh, "x.ini");
    /* flags win, and then no line is named; the rest keep the sheet's line */
    assert_ptr_equal(h.store, flags.store);
    assert_int_equal(h.line_store, 0);
    assert_ptr_equal(h.date, flags.date);
    assert_int_equal(h.line_date, 0);
    assert_ptr_equal(h.cycle, sh.cycle);
    assert_int_equal(h.line_cycle, 5);
    assert_ptr_equal(h.auditor, sh.auditor);
    assert_int_equal(h.line_auditor, 6);
    assert_null(h.employee);
    assert_int_equal(h.line_employee, 3);
    assert_string_equal(h.sheet, "x.ini");

    sva_checklist *cl = mk(AUDIT_CL);
    sva_diag d = {0};
    /* a bad value from a flag is named by the flag, one from the sheet by its line */
    assert_int_equal(sva_audit_check_header(cl, &h, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 1);
    assert_null(d.msgs[0].file);
    assert_string_equal(d.msgs[0].msg, "--date: '2026-13-01' is not a date (want YYYY-MM-DD)");
    sva_diag_clear(&d);
    sh.date = "2026-13-02";
    sva_audit_header_merge(&h, NULL, &sh, "x.ini");
    assert_int_equal(sva_audit_check_header(cl, &h, &d), SVA_ERR_INVALID);
    assert_int_equal(at(&d, "x.ini", 7, "'2026-13-02' is not a date"), 1);
    assert_diag_n(&d, 1);
    sva_diag_clear(&d);
    /* no sheet: plain messages; missing fields each named */
    sva_audit_header none = {0};
    assert_int_equal(sva_audit_check_header(cl, &none, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 3);
    assert_int_equal(diag_count(&d, "cycle: missing"), 1);
    assert_int_equal(diag_count(&d, "store: missing"), 1);
    assert_int_equal(diag_count(&d, "auditor: missing"), 1);
    for (size_t i = 0; i < d.n; i++)
        assert_null(d.msgs[i].file);
    sva_diag_clear(&d);
    /* no sheet, but flags (the walk, audit amend): a flag's bad value names the
     * flag, a date after today too; a field no flag gave stays plain */
    sva_audit_header fl = {.cycle = "C1", .store = "S1", .auditor = "Li Na",
                           .date = "2999-01-01"};
    sva_audit_header_merge(&h, &fl, NULL, NULL);
    assert_null(h.sheet);
    assert_int_equal(sva_audit_check_header(cl, &h, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 1);
    assert_null(d.msgs[0].file);
    assert_true(strncmp(d.msgs[0].msg, "--date: date 2999-01-01 is after today (", 40) == 0);
    sva_diag_clear(&d);
    fl.date = "2026-13-01";
    sva_audit_header_merge(&h, &fl, NULL, NULL);
    assert_int_equal(sva_audit_check_header(cl, &h, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 1);
    assert_string_equal(d.msgs[0].msg, "--date: '2026-13-01' is not a date (want YYYY-MM-DD)");
    sva_diag_clear(&d);
    sva_audit_field_diag(&d, &h, SVA_AUDIT_FIELD_EMPLOYEE, "not a flag");
    assert_string_equal(d.msgs[0].msg, "not a flag");
    sva_diag_clear(&d);
    /* an auditor's name must be text the store keeps */
    sva_audit_header bad = GOOD;
    bad.auditor = "Zhang\x01Min";
    assert_int_equal(sva_audit_check_header(cl, &bad, &d), SVA_ERR_INVALID);
    assert_int_equal(diag_count(&d, "bad auditor name"), 1);
    sva_diag_clear(&d);
    sva_checklist_free(cl);

    /* an employee checklist names an employee */
    cl = mk("[checklist]\nid = emp_test\nversion = 1\ntitle = E\nsubject = employee\n"
            "index = ssi\n\n[section.a]\ntitle = A\n\n[item.a.one]\nsection = a\ntext = One\n");
    assert_int_equal(sva_audit_check_header(cl, &GOOD, &d), SVA_ERR_INVALID);
    assert_int_equal(diag_count(&d, "employee: missing: checklist 'emp_test' scores one employee"),
                     1);
    assert_diag_n(&d, 1);
    sva_diag_clear(&d);
    sva_audit_header with = GOOD;
    with.employee = "E1";
    assert_int_equal(sva_audit_check_header(cl, &with, &d), SVA_OK);
    assert_diag_n(&d, 0);
    sva_checklist_free(cl);
}

/* ---- the ready audit: scored once --------------------------------------------- */

/* A valid sheet of AUDIT_CL, answers:
 *   front (weight 3): greet yes   weight 2: 2 x 1     = 2    of 2
 *                     tidy 3/4    weight 1: 1 x 3/4   = 0.75 of 1
 *                     sign N/A    out of points and maximum
 *                     -> 2.75 / 3 = 91.666...%
 *   back (weight 1):  clean 7/10  weight 3: 3 x 7/10  = 2.1  of 3
 *                     exit no     weight 1: 0              of 1 (critical: FAILED)
 *                     -> 2.1 / 4 = 52.5 %
 *   audit = (3 x 91.666... + 1 x 52.5) / (3 + 1) = (275 + 52.5) / 4 = 81.875 %;
 *   critical_policy flag: the score stands (pct = raw_pct = 81.875), failed.
 *   Pooled: points 2 + 0.75 + 2.1 = 4.85 of max 2 + 1 + 3 + 1 = 7; one N/A. */
static const char GOOD_SHEET[] = "[audit]\nchecklist = audit_test\nversion = 1\nstore = S1\n"
                                 "cycle = C1\nauditor = Zhang Min\ndate = 2026-11-12\n"
                                 "[item.front.greet]\nanswer = yes\n"
                                 "[item.front.tidy]\nanswer = 3\n"
                                 "[item.front.sign]\nanswer = na\n"
                                 "[item.back.clean]\nanswer = 7\n"
                                 "[item.back.exit]\nanswer = no\nnote = boxes in the way\n"
                                 "evidence = photos/exit.jpg\n";

static void test_ready_score_by_hand(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_diag d = {0};
    sva_sheet *s = sheet(cl, "good.ini", GOOD_SHEET, &d);
    assert_diag_n(&d, 0);
    sva_audit_header flags = {.auditor = "Li Na"}, h;
    sva_audit_header_merge(&h, &flags, &s->header, s->name);
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare_sheet(&h, s, &r, &d), SVA_OK);
    assert_diag_n(&d, 0);
    assert_non_null(r);
    const sva_score *sc = &r->score;
    assert_true(sc->scorable);
    assert_near(sc->sections[0].pct, 2.75 / 3 * 100);
    assert_near(sc->sections[1].pct, 52.5);
    assert_near(sc->raw_pct, 81.875);
    assert_near(sc->pct, 81.875);
    assert_true(sc->failed);
    assert_int_equal(sc->n_failed_critical, 1);
    assert_int_equal(sc->n_na, 1);
    assert_near(sc->points, 4.85);
    assert_near(sc->max, 7);
    assert_true(sc->items[idx(cl, "front.tidy")].passed); /* 3 of 4: half or more */
    assert_false(sc->items[idx(cl, "back.exit")].passed);
    assert_true(sc->items[idx(cl, "front.sign")].na);

    /* the header as recorded (the flag won) and the answers are the audit's own
     * copies: changing the sheet afterwards changes nothing */
    assert_ptr_equal(r->cl, cl);
    assert_string_equal(r->date, "2026-11-12");
    assert_string_equal(r->header.auditor, "Li Na");
    assert_int_equal(r->header.line_auditor, 0);
    assert_string_equal(r->header.store, "S1");
    assert_int_equal(r->header.line_store, 4);
    assert_string_equal(r->header.sheet, "good.ini");
    size_t ex = idx(cl, "back.exit");
    assert_true(r->answers != s->answers);
    s->answers[ex].value = 1;
    s->answers[ex].note[0] = 'B';
    free(s->header.store);
    s->header.store = NULL;
    assert_int_equal(r->answers[ex].value, 0);
    assert_string_equal(r->answers[ex].note, "boxes in the way");
    assert_string_equal(r->answers[ex].evidence, "photos/exit.jpg");
    assert_string_equal(r->header.store, "S1");
    sva_sheet_free(s);
    assert_near(r->score.pct, 81.875);
    sva_audit_ready_free(r);
    sva_checklist_free(cl);
}

/* With no date given the audit is dated today (local time), and the header
 * keeps saying it was not given. */
static void test_date_defaults_to_today(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_answer *a = blank(cl);
    val(cl, a, "front.greet", 1);
    val(cl, a, "front.tidy", 4);
    na(cl, a, "front.sign");
    val(cl, a, "back.clean", 10);
    val(cl, a, "back.exit", 1);
    note(cl, a, "back.exit", "clear");
    sva_audit_header h = GOOD;
    h.date = NULL;
    sva_diag d = {0};
    const sva_audit_ready *r = NULL;
    char before[16], after[16];
    time_t t = time(NULL);
    struct tm tm;
    strftime(before, sizeof before, "%Y-%m-%d", localtime_r(&t, &tm));
    assert_int_equal(sva_audit_prepare(cl, &h, a, &r, &d), SVA_OK);
    t = time(NULL);
    strftime(after, sizeof after, "%Y-%m-%d", localtime_r(&t, &tm));
    assert_true(!strcmp(r->date, before) || !strcmp(r->date, after)); /* midnight */
    assert_null(r->header.date);
    assert_near(r->score.pct, 100);
    sva_audit_ready_free(r);
    free(a);
    sva_checklist_free(cl);
}

/* Notes and evidence are text the store keeps: UTF-8, no control characters,
 * at most 4000 / 1000 bytes; each bad one names its item. */
static void test_note_and_evidence_text(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_answer *a = blank(cl);
    val(cl, a, "front.greet", 1);
    val(cl, a, "front.tidy", 4);
    na(cl, a, "front.sign");
    val(cl, a, "back.clean", 10);
    val(cl, a, "back.exit", 1);
    note(cl, a, "back.exit", "clear");
    static char long_note[4002];
    memset(long_note, 'n', 4001);
    note(cl, a, "front.tidy", long_note);           /* 4001 bytes */
    note(cl, a, "front.greet", "bell\x07rang");      /* a control character */
    a[idx(cl, "back.clean")].evidence = "bad \xc3("; /* not UTF-8 */
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 3);
    static const char *const bad[] = {"front.tidy", "front.greet", "back.clean"};
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(diag_count(&d, bad[k]), 1);
    assert_int_equal(diag_count(&d, "not valid text"), 3);
    sva_diag_clear(&d);
    long_note[4000] = '\0'; /* 4000 bytes: fine */
    note(cl, a, "front.greet", "bell rang\ttwice");
    a[idx(cl, "back.clean")].evidence = "photos/\xe5\x90\x8e.jpg";
    assert_int_equal(validate(cl, a, &d), SVA_OK);
    assert_diag_n(&d, 0);
    free(a);
    sva_checklist_free(cl);
}

/* ---- each answer against its item (under a good header) ------------------------- */

static void test_validate_clean(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.a]\ntitle = A\n\n"
                           "[item.a.yes]\nsection = a\ntext = Y\n\n"
                           "[item.a.top]\nsection = a\ntext = T\nscale = 0-10\n\n"
                           "[item.a.bottom]\nsection = a\ntext = B\nscale = points:12\n\n"
                           "[item.a.skip]\nsection = a\ntext = S\nna = yes\n");
    sva_answer *a = blank(cl);
    val(cl, a, "a.yes", 1);
    val(cl, a, "a.top", 10);   /* max itself is inside the scale */
    val(cl, a, "a.bottom", 0); /* 0 is inside the scale */
    na(cl, a, "a.skip");       /* N/A allowed here */
    sva_diag d = {0};
    sva_error e = validate(cl, a, &d);
    assert_diag_n(&d, 0);
    assert_int_equal(e, SVA_OK);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}

static void test_validate_unanswered(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.q]\ntitle = Q\n\n"
                           "[item.q.first]\nsection = q\ntext = 1\n\n"
                           "[item.q.second]\nsection = q\ntext = 2\n\n"
                           "[item.q.third]\nsection = q\ntext = 3\nscale = 0-4\n");
    sva_answer *a = blank(cl);
    val(cl, a, "q.first", 1);
    /* q.second and q.third left unanswered: two problems */
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 2);
    assert_int_equal(diag_count(&d, "q.second"), 1);
    assert_int_equal(diag_count(&d, "q.third"), 1);
    assert_int_equal(diag_count(&d, "q.first"), 0);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}

static void test_validate_range(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.r]\ntitle = R\n\n"
                           "[item.r.yn_two]\nsection = r\ntext = 1\n\n"
                           "[item.r.four_five]\nsection = r\ntext = 2\nscale = 0-4\n\n"
                           "[item.r.ten_neg]\nsection = r\ntext = 3\nscale = 0-10\n\n"
                           "[item.r.pts_over]\nsection = r\ntext = 4\nscale = points:12\n\n"
                           "[item.r.five_max]\nsection = r\ntext = 5\nscale = 0-5\n\n"
                           "[item.r.yn_neg]\nsection = r\ntext = 6\n\n"
                           "[item.r.four_zero]\nsection = r\ntext = 7\nscale = 0-4\n");
    sva_answer *a = blank(cl);
    val(cl, a, "r.yn_two", 2);     /* yesno max 1: above max */
    val(cl, a, "r.four_five", 5);  /* 0-4: above max */
    val(cl, a, "r.ten_neg", -1);   /* negative */
    val(cl, a, "r.pts_over", 13);  /* points:12: above max */
    val(cl, a, "r.five_max", 5);   /* 0-5 at max: fine */
    val(cl, a, "r.yn_neg", -1);    /* negative */
    val(cl, a, "r.four_zero", 0);  /* fine */
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    /* 5 problems, one per bad item */
    assert_diag_n(&d, 5);
    assert_int_equal(diag_count(&d, "r.yn_two"), 1);
    assert_int_equal(diag_count(&d, "r.four_five"), 1);
    assert_int_equal(diag_count(&d, "r.ten_neg"), 1);
    assert_int_equal(diag_count(&d, "r.pts_over"), 1);
    assert_int_equal(diag_count(&d, "r.yn_neg"), 1);
    assert_int_equal(diag_count(&d, "r.five_max"), 0);
    assert_int_equal(diag_count(&d, "r.four_zero"), 0);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}

static void test_validate_na_not_allowed(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.n]\ntitle = N\n\n"
                           "[item.n.forbid]\nsection = n\ntext = 1\n\n"
                           "[item.n.forbid_explicit]\nsection = n\ntext = 2\nna = no\n"
                           "scale = 0-5\n\n"
                           "[item.n.allowed]\nsection = n\ntext = 3\nna = yes\n");
    sva_answer *a = blank(cl);
    na(cl, a, "n.forbid");          /* na defaults to no */
    na(cl, a, "n.forbid_explicit"); /* na = no */
    na(cl, a, "n.allowed");         /* na = yes: fine */
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 2);
    /* "n.forbid" is also a prefix of "n.forbid_explicit": count exact messages */
    assert_int_equal(diag_count(&d, "n.forbid_explicit"), 1);
    assert_int_equal(diag_count(&d, "n.forbid"), 2);
    assert_int_equal(diag_count(&d, "n.allowed"), 0);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}

static void test_validate_evidence_on_fail(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.e]\ntitle = E\n\n"
                           "[item.e.failed]\nsection = e\ntext = 1\nevidence = on_fail\n\n"
                           "[item.e.passed]\nsection = e\ntext = 2\nevidence = on_fail\n\n"
                           "[item.e.noted]\nsection = e\ntext = 3\nevidence = on_fail\n\n"
                           "[item.e.low]\nsection = e\ntext = 4\nevidence = on_fail\n"
                           "scale = 0-4\n\n"
                           "[item.e.half]\nsection = e\ntext = 5\nevidence = on_fail\n"
                           "scale = 0-4\n\n"
                           "[item.e.none]\nsection = e\ntext = 6\nevidence = none\n\n"
                           "[item.e.skipped]\nsection = e\ntext = 7\nevidence = on_fail\n"
                           "na = yes\n");
    sva_answer *a = blank(cl);
    val(cl, a, "e.failed", 0); /* no, no note: problem */
    val(cl, a, "e.passed", 1); /* yes, no note: fine (note only on fail) */
    val(cl, a, "e.noted", 0);  /* no, with a note: fine */
    note(cl, a, "e.noted", "brochure rack empty");
    val(cl, a, "e.low", 1);    /* 1 of 4 fails, no note: problem */
    val(cl, a, "e.half", 2);   /* 2 of 4 passes, no note: fine */
    val(cl, a, "e.none", 0);   /* failed but evidence = none: fine */
    na(cl, a, "e.skipped");    /* N/A is not a failure: fine */
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 2);
    assert_int_equal(diag_count(&d, "e.failed"), 1);
    assert_int_equal(diag_count(&d, "e.low"), 1);
    assert_int_equal(diag_count(&d, "e.passed"), 0);
    assert_int_equal(diag_count(&d, "e.noted"), 0);
    assert_int_equal(diag_count(&d, "e.half"), 0);
    assert_int_equal(diag_count(&d, "e.none"), 0);
    assert_int_equal(diag_count(&d, "e.skipped"), 0);
    sva_diag_clear(&d);

    /* the same item passed without a note validates clean */
    val(cl, a, "e.failed", 1);
    val(cl, a, "e.low", 4);
    assert_int_equal(validate(cl, a, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    sva_diag_clear(&d);

    free(a);
    sva_checklist_free(cl);
}

static void test_validate_evidence_always(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.w]\ntitle = W\n\n"
                           "[item.w.passed]\nsection = w\ntext = 1\nevidence = always\n\n"
                           "[item.w.failed]\nsection = w\ntext = 2\nevidence = always\n\n"
                           "[item.w.noted]\nsection = w\ntext = 3\nevidence = always\n"
                           "scale = 0-10\n");
    sva_answer *a = blank(cl);
    val(cl, a, "w.passed", 1);  /* passed, no note: still a problem */
    val(cl, a, "w.failed", 0);  /* failed, no note: problem */
    val(cl, a, "w.noted", 10);  /* passed, note given: fine */
    note(cl, a, "w.noted", "photo 12");
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);
    assert_diag_n(&d, 2);
    assert_int_equal(diag_count(&d, "w.passed"), 1);
    assert_int_equal(diag_count(&d, "w.failed"), 1);
    assert_int_equal(diag_count(&d, "w.noted"), 0);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}

static void test_validate_reports_all(void **state)
{
    (void)state;
    sva_checklist *cl = mk(HEAD("flag")
                           "[section.v]\ntitle = V\n\n"
                           "[item.v.unanswered]\nsection = v\ntext = 1\n\n"
                           "[item.v.too_high]\nsection = v\ntext = 2\nscale = 0-5\n\n"
                           "[item.v.negative]\nsection = v\ntext = 3\nscale = 0-4\n\n"
                           "[item.v.na_forbidden]\nsection = v\ntext = 4\n\n"
                           "[item.v.fail_no_note]\nsection = v\ntext = 5\nevidence = on_fail\n\n"
                           "[item.v.always_no_note]\nsection = v\ntext = 6\nevidence = always\n\n"
                           "[item.v.clean_yes]\nsection = v\ntext = 7\nevidence = on_fail\n\n"
                           "[item.v.clean_noted]\nsection = v\ntext = 8\nevidence = always\n");
    sva_answer *a = blank(cl);
    /* v.unanswered: left blank */
    val(cl, a, "v.too_high", 6);
    val(cl, a, "v.negative", -3);
    na(cl, a, "v.na_forbidden");
    val(cl, a, "v.fail_no_note", 0);
    val(cl, a, "v.always_no_note", 1);
    val(cl, a, "v.clean_yes", 1);
    val(cl, a, "v.clean_noted", 0);
    note(cl, a, "v.clean_noted", "customer waited 10 min");
    sva_diag d = {0};
    assert_int_equal(validate(cl, a, &d), SVA_ERR_INVALID);

    /* six problems, one per bad item, each message naming its item */
    static const char *const bad[] = {"v.unanswered",   "v.too_high",     "v.negative",
                                      "v.na_forbidden", "v.fail_no_note", "v.always_no_note"};
    assert_diag_n(&d, 6);
    for (size_t k = 0; k < 6; k++) {
        if (diag_count(&d, bad[k]) != 1)
            print_error("want one message naming %s\n", bad[k]);
        assert_int_equal(diag_count(&d, bad[k]), 1);
    }
    every_msg_names_an_item(&d, bad, 6);
    assert_int_equal(diag_count(&d, "v.clean_yes"), 0);
    assert_int_equal(diag_count(&d, "v.clean_noted"), 0);
    sva_diag_clear(&d);
    free(a);
    sva_checklist_free(cl);
}


/* An amendment's changes: every problem reported, nothing changed then; the
 * changes applied when there is none (the score by hand). */
static void test_change_answers(void **state)
{
    (void)state;
    sva_checklist *cl = mk(AUDIT_CL);
    sva_answer *a = blank(cl);
    for (size_t i = 0; i < cl->n_items; i++)
        a[i].answered = true;
    a[idx(cl, "front.greet")].value = 0;
    a[idx(cl, "front.greet")].note = strdup("ignored us");
    a[idx(cl, "front.tidy")].value = 2;
    a[idx(cl, "back.clean")].value = 5;
    a[idx(cl, "back.exit")].value = 1;
    a[idx(cl, "back.exit")].note = strdup("clear");
    sva_diag d = {0};
    const sva_answer_change bad[] = {{"front.gret", "yes", false},
                                     {"front.tidy", "5", false},
                                     {"back.exit", "na", false},
                                     {"back.clean", "7", false},
                                     {"back.clean", "8", false}};
    assert_int_equal(sva_audit_change_answers(cl, a, bad, 5, &d), SVA_ERR_INVALID);
    assert_int_equal(d.n, 4); /* unknown item, 5 on 0-4, na not allowed, twice */
    assert_true(diag_has(&d, -1, "front.gret"));
    assert_true(diag_has(&d, -1, "twice"));
    assert_int_equal(a[idx(cl, "back.clean")].value, 5); /* nothing changed */
    sva_diag_clear(&d);

    const sva_answer_change good[] = {{"front.greet", "yes", false},
                                      {"front.greet", "", true},
                                      {"back.clean", "10", false}};
    assert_int_equal(sva_audit_change_answers(cl, a, good, 3, &d), SVA_OK);
    assert_int_equal(d.n, 0);
    assert_true(a[idx(cl, "front.greet")].value == 1 && a[idx(cl, "back.clean")].value == 10);
    assert_string_equal(a[idx(cl, "front.greet")].note, "");
    /* front: greet 2 of 2, tidy 2 of 4 (2/4 x 1 = 0.5), sign yes 1 of 1 -> 3.5 / 4 = 87.5;
     * back: clean 3 of 3, exit 1 of 1 -> 100; audit (3 x 87.5 + 1 x 100) / 4 = 90.625 */
    sva_audit_header h = {.cycle = "C1", .store = "S1", .auditor = "A", .date = "2026-11-02"};
    a[idx(cl, "front.sign")].value = 1;
    const sva_audit_ready *r = NULL;
    assert_int_equal(sva_audit_prepare(cl, &h, a, &r, &d), SVA_OK);
    assert_true(r->score.pct > 90.624 && r->score.pct < 90.626);
    sva_audit_ready_free(r);
    for (size_t i = 0; i < cl->n_items; i++)
        free(a[i].note);
    free(a);
    sva_diag_clear(&d);
    sva_checklist_free(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_six_mistakes_at_once),
        cmocka_unit_test(test_change_answers),
        cmocka_unit_test(test_incomplete_sheet),
        cmocka_unit_test(test_unbound_sheet),
        cmocka_unit_test(test_header_merge),
        cmocka_unit_test(test_ready_score_by_hand),
        cmocka_unit_test(test_date_defaults_to_today),
        cmocka_unit_test(test_note_and_evidence_text),
        cmocka_unit_test(test_validate_clean),
        cmocka_unit_test(test_validate_unanswered),
        cmocka_unit_test(test_validate_range),
        cmocka_unit_test(test_validate_na_not_allowed),
        cmocka_unit_test(test_validate_evidence_on_fail),
        cmocka_unit_test(test_validate_evidence_always),
        cmocka_unit_test(test_validate_reports_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

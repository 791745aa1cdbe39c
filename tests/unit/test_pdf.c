/* svcaudit tests: the one-page reports. The models (report.h) on a small
 * database made here, every figure worked out by hand in the comments; the
 * privacy modes; the pictures named as evidence (found, embedded, missing, not
 * a picture); the picture probe on hand-made headers; the PDF files (complete,
 * the JPEG embedded as it is, written atomically, one per audit in a batch).
 * (test_i18n checks that the report texts keep their printf conversions.)
 * The text on the pages is checked with pdftotext in tests/e2e/test_report.sh. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photo.h"

#define assert_near(actual, expected)                                                        \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected);                                               \
        if (a_ - e_ > 1e-6 || e_ - a_ > 1e-6) {                                              \
            print_error("%s = %.12g, expected %.12g\n", #actual, a_, e_);                    \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

#define KV(k, v) ((sva_kv){(char *)(k), (char *)(v)})

/* ---- a temp folder ---------------------------------------------------------------- */

static char g_dir[1024];

static const char *at(const char *name)
{
    static char buf[4][2048];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static void rm_rf(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_rf(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void copy_file(const char *from, const char *to)
{
    char *data;
    size_t len;
    assert_int_equal(sva_file_read(from, &data, &len, NULL), SVA_OK);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(data);
}

/* Names in @p dir containing @p part, and the number of entries in all. */
static int count_in(const char *dir, const char *part, int *all)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0, a = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        a++;
        n += strstr(e->d_name, part) != NULL;
    }
    closedir(d);
    if (all)
        *all = a;
    return n;
}

/* ---- the world ---------------------------------------------------------------------- */

static const char UNIT_CL[] = "[checklist]\n"
                              "id = report_unit\n"
                              "version = 1\n"
                              "title = Report unit visit\n"
                              "title_zh = 报告单元检查\n"
                              "subject = employee\n"
                              "index = ssi\n"
                              "scale = yesno\n"
                              "critical_policy = flag\n"
                              "\n[section.front]\ntitle = Front\ntitle_zh = 前台\n"
                              "\n[section.back]\ntitle = Back\n"
                              "\n[item.front.greet]\nsection = front\ntext = Greets within 60 s\n"
                              "critical = yes\n"
                              "\n[item.front.tidy]\nsection = front\ntext = Counter tidy\n"
                              "\n[item.back.clean]\nsection = back\ntext = Floor clean\n"
                              "text_zh = 地面清洁\n"
                              "\n[item.back.exit]\nsection = back\ntext = Exit clear\n";

static const char *const ITEMS[4] = {"front.greet", "front.tidy", "back.clean", "back.exit"};

typedef struct world {
    sva_db *db;
    sva_catalog *cat;
    sva_checklist *cl;
    long long a1, a2, a3, a4, action;
} world;

/* Record a report_unit audit of @p emp; yn = four 'y'/'n' in ITEMS order; notes
 * and evidence per item (NULL: none). */
static long long record(world *w, const char *cycle, const char *emp, const char *date,
                        const char *yn, const char *const *notes, const char *const *ev)
{
    sva_answer a[4];
    memset(a, 0, sizeof a);
    for (size_t i = 0; i < 4; i++) {
        long k = sva_checklist_item_index(w->cl, ITEMS[i]);
        assert_true(k >= 0);
        a[k].answered = true;
        a[k].value = yn[i] == 'y';
        a[k].note = notes ? (char *)notes[i] : NULL;
        a[k].evidence = ev ? (char *)ev[i] : NULL;
    }
    sva_audit_header h = {.cycle = cycle, .store = "SH-001", .employee = emp,
                          .auditor = "Zhang Min", .date = date};
    const sva_audit_ready *ready = NULL;
    long long id = -1;
    sva_diag d = {0};
    sva_error rc = sva_audit_prepare(w->cl, &h, a, &ready, &d);
    if (!rc)
        rc = sva_db_audit_record(w->db, ready, false, &id, &d);
    sva_audit_ready_free(ready);
    if (rc)
        diag_dump(&d);
    sva_diag_clear(&d);
    assert_int_equal(rc, SVA_OK);
    return id;
}

static void target(world *w, const char *cycle, sva_scope scope, const char *id, double v)
{
    sva_target t = {(char *)cycle, scope, (char *)id, (char *)"ssi", v, 0, 0, 0};
    sva_diag d = {0};
    assert_int_equal(sva_db_target_set(w->db, &t, w->cat, &d), SVA_OK);
}

/* SH-001 Sunrise Shanghai (East) with Wang Fang (E1) and Li Na (E2); cycles
 * 2026-10 and 2026-11; SSI targets: network 70 (2026-10), store 80 (2026-11).
 *   a1 2026-11-05 E1 yyny  75 %  (front 2/2 = 100, back 1/2 = 50; pooled 3/4)
 *   a2 2026-11-10 E1 nyyy  75 %  FAILED (the greeting is critical)
 *   a3 2026-10-10 E1 yyyy 100 %
 *   a4 2026-11-12 E2 yyyy 100 %
 * a1's failed item back.clean has a note naming Wang Fang, and evidence: a
 * JPEG, a PNG, a missing file, a file that is no picture, and two words. An
 * action on it from a1, owned by Wang Fang, due 2026-11-20 (overdue on the
 * 28th). Pictures live in g_dir/pics. */
static void world_open(world *w)
{
    memset(w, 0, sizeof *w);
    sva_diag d = {0};
    assert_int_equal(sva_checklist_parse("report_unit.ini", UNIT_CL, strlen(UNIT_CL), &w->cl, &d),
                     SVA_OK);
    mkdir(at("cl"), 0700);
    FILE *f = fopen(at("cl/report_unit.ini"), "wb");
    assert_non_null(f);
    fputs(UNIT_CL, f);
    fclose(f);
    char shipped[4096];
    snprintf(shipped, sizeof shipped, "%s", src_path("checklists"));
    const char *dirs[] = {at("cl"), shipped};
    assert_int_equal(sva_catalog_open(dirs, 2, &w->cat, &d), SVA_OK);
    mkdir(at("pics"), 0700);
    mkdir(at("pics/photos"), 0700);
    copy_file(src_path("tests/fixtures/report/photo.jpg"), at("pics/photos/a.jpg"));
    copy_file(src_path("tests/fixtures/report/photo.png"), at("pics/photos/b.png"));
    f = fopen(at("pics/photos/c.jpg"), "wb");
    assert_non_null(f);
    fputs("not a picture", f);
    fclose(f);

    assert_int_equal(sva_db_open(at("r.db"), SVA_DB_CREATE, &w->db, &d), SVA_OK);
    sva_store st = {"SH-001", "Sunrise Shanghai", "East"};
    assert_int_equal(sva_db_store_add(w->db, &st, &d), SVA_OK);
    sva_employee e1 = {"E1", "Wang Fang", "SH-001", "sales"}, e2 = {"E2", "Li Na", "SH-001", ""};
    assert_int_equal(sva_db_employee_add(w->db, &e1, &d), SVA_OK);
    assert_int_equal(sva_db_employee_add(w->db, &e2, &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(w->db, "2026-10", "2026-10-01", "2026-10-31", &d), SVA_OK);
    assert_int_equal(sva_db_cycle_open(w->db, "2026-11", "2026-11-01", "2026-11-30", &d), SVA_OK);
    target(w, "2026-10", SVA_SCOPE_NETWORK, "", 70);
    target(w, "2026-11", SVA_SCOPE_STORE, "SH-001", 80);
    const char *notes[4] = {"warm welcome", NULL, "Wang Fang left a mop out", NULL};
    const char *ev[4] = {NULL, NULL,
                         "photos/a.jpg, photos/b.png;photos/missing.jpg photos/c.jpg see shelf",
                         NULL};
    w->a1 = record(w, "2026-11", "E1", "2026-11-05", "yyny", notes, ev);
    w->a2 = record(w, "2026-11", "E1", "2026-11-10", "nyyy", NULL, NULL);
    w->a3 = record(w, "2026-10", "E1", "2026-10-10", "yyyy", NULL, NULL);
    w->a4 = record(w, "2026-11", "E2", "2026-11-12", "yyyy", NULL, NULL);
    sva_kv set[] = {KV("why", "mop left out"), KV("what", "clean-up rota"),
                    KV("who", "Wang Fang"), KV("when", "2026-11-20"),
                    KV("where", "back room"), KV("how", "rota on the board")};
    sva_action_input in = {.cycle = "2026-11", .store = "SH-001", .checklist = "report_unit",
                           .item = "back.clean", .source_audit = w->a1, .set = set,
                           .n_set = 6, .actor = "Li Na"};
    const sva_form *form = sva_catalog_find_form(w->cat, "actions_5w1h");
    assert_non_null(form);
    sva_error rc = sva_db_action_add(w->db, form, w->cat, &in, &w->action, &d);
    if (rc)
        diag_dump(&d);
    assert_int_equal(rc, SVA_OK);
    sva_diag_clear(&d);
}

static void world_close(world *w)
{
    sva_db_close(w->db);
    sva_catalog_free(w->cat);
    sva_checklist_free(w->cl);
}

static sva_reports *reports(world *w, sva_privacy mode, const char *lang)
{
    sva_reports_opts o = {.employees = mode, .salt = "s", .lang = lang, .today = "2026-11-28",
                          .photos = at("pics"), .cat = w->cat};
    sva_reports *ctx = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_open(w->db, &o, &ctx, &d), SVA_OK);
    return ctx;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/svcaudit-test-pdf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rm_rf(g_dir);
    return 0;
}

/* ---- the audit model ------------------------------------------------------------------- */

static void test_audit_model(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    sva_audit_report *r = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_audit(ctx, w.a1, &r, &d), SVA_OK);
    assert_string_equal(r->store_name, "Sunrise Shanghai");
    assert_string_equal(r->region, "East");
    assert_string_equal(r->employee, "Wang Fang (E1)");
    assert_string_equal(r->title, "Report unit visit");
    assert_string_equal(r->date, "2026-11-05");
    /* 3 of 4 passed: 75 % against the store's 80: missed by 5, red */
    assert_near(r->pct, 75.0);
    assert_string_equal(r->metric, "SSI");
    assert_true(r->has_target);
    assert_near(r->target, 80.0);
    assert_near(r->gap, -5.0);
    assert_int_equal(r->status, SVA_TARGET_MISSED);
    assert_int_equal(r->colour, SVA_COLOUR_RED);
    assert_int_equal(r->n_passed, 3);
    assert_int_equal(r->n_failed, 1);
    /* sections: front 100 (met, green), back 50 (missed, red) */
    assert_int_equal(r->n_sections, 2);
    assert_string_equal(r->sections[0].title, "Front");
    assert_near(r->sections[0].pct, 100.0);
    assert_int_equal(r->sections[0].colour, SVA_COLOUR_GREEN);
    assert_near(r->sections[1].pct, 50.0);
    assert_int_equal(r->sections[1].status, SVA_TARGET_MISSED);
    assert_int_equal(r->sections[1].passed, 1);
    assert_int_equal(r->sections[1].answered, 2);
    /* recognition first: standards met, the critical one met, Front, the good note */
    assert_int_equal(r->n_went_well, 4);
    assert_string_equal(r->went_well[0].text, "3 of 4 standards met");
    assert_string_equal(r->went_well[1].text, "Every critical standard met (1)");
    assert_string_equal(r->went_well[2].text, "Sections at or above the target (1)");
    assert_string_equal(r->went_well[2].detail, "Front");
    assert_string_equal(r->went_well[3].text, "Greets within 60 s");
    assert_string_equal(r->went_well[3].detail, "warm welcome");
    /* the failed item, its note, its evidence */
    assert_int_equal(r->n_findings, 1);
    const sva_report_finding *f = &r->findings[0];
    assert_string_equal(f->item, "back.clean");
    assert_string_equal(f->section, "Back");
    assert_string_equal(f->answer, "no");
    assert_false(f->critical);
    assert_string_equal(f->note, "Wang Fang left a mop out");
    assert_string_equal(f->evidence, "see shelf");
    assert_int_equal(f->n_photos, 4);
    assert_string_equal(f->photos[0].name, "photos/a.jpg");
    assert_int_equal(f->photos[0].kind, SVA_PHOTO_JPEG);
    assert_int_equal(f->photos[0].width, 640);
    assert_int_equal(f->photos[0].height, 480);
    assert_string_equal(f->photos[0].problem, "");
    assert_non_null(strstr(f->photos[0].file, "pics/photos/a.jpg"));
    assert_int_equal(f->photos[1].kind, SVA_PHOTO_PNG);
    assert_int_equal(f->photos[2].kind, SVA_PHOTO_NONE);
    assert_string_equal(f->photos[2].name, "photos/missing.jpg");
    assert_string_equal(f->photos[2].problem, "file not found");
    assert_null(f->photos[2].file);
    assert_int_equal(f->photos[3].kind, SVA_PHOTO_NONE);
    assert_string_equal(f->photos[3].problem, "not a JPEG or PNG picture");
    /* the action opened on it: overdue on the 28th */
    assert_int_equal(r->n_actions, 1);
    assert_int_equal(r->actions[0].id, w.action);
    assert_string_equal(r->actions[0].owner, "Wang Fang");
    assert_string_equal(r->actions[0].what, "clean-up rota");
    assert_string_equal(r->actions[0].about, "Floor clean");
    assert_string_equal(r->actions[0].due, "2026-11-20");
    assert_true(r->actions[0].overdue);
    assert_string_equal(r->actions[0].status_text, "open");
    assert_string_equal(r->actions[0].item, "back.clean");
    /* ... and listed under the failed item */
    assert_true(r->actions[0].on_finding);
    assert_int_equal(f->n_actions, 1);
    assert_ptr_equal(f->actions[0], &r->actions[0]);
    char want[128];
    snprintf(want, sizeof want, "within 7 days, quoting audit %lld.", w.a1);
    assert_non_null(strstr(r->appeal, want));
    sva_audit_report_free(r);

    /* a2: the critical item failed; it comes first, and no "critical met" line */
    assert_int_equal(sva_reports_audit(ctx, w.a2, &r, &d), SVA_OK);
    assert_true(r->failed);
    assert_false(r->zeroed);
    assert_true(r->findings[0].critical);
    for (size_t i = 0; i < r->n_went_well; i++)
        assert_null(strstr(r->went_well[i].text, "critical"));
    assert_int_equal(r->n_actions, 0);
    sva_audit_report_free(r);

    /* a3 (2026-10): no store target, the network's 70; 100 % meets it, said first */
    assert_int_equal(sva_reports_audit(ctx, w.a3, &r, &d), SVA_OK);
    assert_near(r->target, 70.0);
    assert_int_equal(r->status, SVA_TARGET_MET);
    assert_int_equal(r->colour, SVA_COLOUR_GREEN);
    assert_string_equal(r->went_well[0].text, "Score 100.0 % meets the target of 70.0 %");
    assert_int_equal(r->n_findings, 0);
    sva_audit_report_free(r);

    /* a void audit still has its report, which says so */
    assert_int_equal(sva_db_audit_void(w.db, w.a4, "wrong store", &d), SVA_OK);
    assert_int_equal(sva_reports_audit(ctx, w.a4, &r, &d), SVA_OK);
    assert_true(r->voided);
    assert_string_equal(r->void_reason, "wrong store");
    sva_audit_report_free(r);

    /* an unknown audit: not found, with a message */
    assert_int_equal(sva_reports_audit(ctx, 999, &r, &d), SVA_ERR_NOT_FOUND);
    assert_null(r);
    assert_true(diag_has(&d, -1, "no audit 999"));
    sva_diag_clear(&d);
    sva_reports_close(ctx);
    world_close(&w);
}

/* ---- privacy ---------------------------------------------------------------------------- */

static void test_audit_privacy(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    char pseud[16];
    sva_pseudonym("s", "E1", pseud);
    sva_diag d = {0};
    /* pseudonymous: the pseudonym everywhere the name was, the pictures still found */
    sva_reports *ctx = reports(&w, SVA_PRIVACY_PSEUDONYMOUS, NULL);
    sva_audit_report *r = NULL;
    assert_int_equal(sva_reports_audit(ctx, w.a1, &r, &d), SVA_OK);
    assert_string_equal(r->employee, pseud);
    char note[64];
    snprintf(note, sizeof note, "%s left a mop out", pseud);
    assert_string_equal(r->findings[0].note, note);
    assert_string_equal(r->actions[0].owner, pseud);
    assert_int_equal(r->findings[0].photos[0].kind, SVA_PHOTO_JPEG);
    sva_audit_report_free(r);
    sva_reports_close(ctx);
    /* none: no employee at all */
    ctx = reports(&w, SVA_PRIVACY_NONE, NULL);
    assert_int_equal(sva_reports_audit(ctx, w.a1, &r, &d), SVA_OK);
    assert_string_equal(r->employee, "");
    assert_string_equal(r->findings[0].note, "[employee] left a mop out");
    assert_string_equal(r->actions[0].owner, "[employee]");
    sva_audit_report_free(r);
    /* and no employee report */
    sva_employee_report *er = NULL;
    assert_int_equal(sva_reports_employee(ctx, "E1", NULL, 2, &er, &d), SVA_ERR_USAGE);
    assert_null(er);
    assert_true(diag_has(&d, -1, "--employees none"));
    sva_diag_clear(&d);
    sva_reports_close(ctx);
    world_close(&w);
}

static void test_audit_chinese(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, "zh");
    sva_audit_report *r = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_audit(ctx, w.a1, &r, &d), SVA_OK);
    assert_string_equal(r->lang, "zh");
    assert_string_equal(r->title, "报告单元检查");
    assert_string_equal(r->sections[0].title, "前台");
    assert_string_equal(r->sections[1].title, "Back"); /* no title_zh: the English one */
    assert_string_equal(r->findings[0].text, "地面清洁");
    assert_string_equal(r->findings[0].answer, "否");
    assert_string_equal(r->findings[0].photos[2].problem, "找不到文件");
    assert_string_equal(r->actions[0].status_text, "未开始");
    assert_non_null(strstr(r->appeal, "7 天内"));
    sva_audit_report_free(r);
    sva_reports_close(ctx);
    /* an unknown language is refused */
    sva_reports_opts o = {.lang = "fr"};
    assert_int_equal(sva_reports_open(w.db, &o, &ctx, &d), SVA_ERR_USAGE);
    assert_true(diag_has(&d, -1, "unknown language 'fr' (available: en, zh)"));
    sva_diag_clear(&d);
    world_close(&w);
}

/* ---- the employee and store models ----------------------------------------------------------- */

static void test_employee_model(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    sva_employee_report *r = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_employee(ctx, "E1", NULL, 2, &r, &d), SVA_OK);
    assert_string_equal(r->employee, "Wang Fang (E1)");
    assert_string_equal(r->role, "sales");
    assert_string_equal(r->store_name, "Sunrise Shanghai");
    assert_string_equal(r->metric, "SSI");
    assert_int_equal(r->n_trend, 2);
    /* 2026-10: a3 alone, 100 %, not rated (minimum 2); the store's SSI 100 against 70 */
    assert_string_equal(r->trend[0].cycle, "2026-10");
    assert_int_equal(r->trend[0].n, 1);
    assert_near(r->trend[0].pct, 100.0);
    assert_false(r->trend[0].rated);
    assert_near(r->trend[0].store_pct, 100.0);
    assert_near(r->trend[0].target, 70.0);
    /* 2026-11: a1 and a2, 75 each: 75, rated, first but alone (E2 has one audit):
     * not "best in store"; the store's SSI (75 + 75 + 100) / 3 */
    assert_int_equal(r->trend[1].n, 2);
    assert_near(r->trend[1].pct, 75.0);
    assert_true(r->trend[1].rated);
    assert_int_equal(r->trend[1].rank, 1);
    assert_false(r->trend[1].best_in_store);
    assert_near(r->trend[1].store_pct, 250.0 / 3);
    assert_near(r->trend[1].target, 80.0);
    /* coaching over both cycles: greet and clean each failed once of 3 (66.7 %),
     * weakest first, ties by checklist then item: back.clean, front.greet */
    assert_int_equal(r->n_coaching, 2);
    assert_string_equal(r->coaching[0].text, "Floor clean");
    assert_string_equal(r->coaching[0].section, "Back");
    assert_int_equal(r->coaching[0].failed, 1);
    assert_int_equal(r->coaching[0].answered, 3);
    assert_near(r->coaching[0].pct, 200.0 / 3);
    assert_string_equal(r->coaching[1].text, "Greets within 60 s");
    /* went well: tidy and exit passed in all three audits (nothing else: below the
     * store, down since 2026-10) */
    assert_int_equal(r->n_went_well, 1);
    assert_string_equal(r->went_well[0].text, "2 standards met in every audit");
    /* the audits, newest first */
    assert_int_equal(r->n_audits, 3);
    assert_int_equal(r->audits[0].id, w.a2);
    assert_int_equal(r->audits[1].id, w.a1);
    assert_int_equal(r->audits[2].id, w.a3);
    assert_true(r->audits[0].failed);
    assert_string_equal(r->audits[0].title, "Report unit visit");
    sva_employee_report_free(r);
    /* one cycle, the earlier one */
    assert_int_equal(sva_reports_employee(ctx, "E1", "2026-10", 1, &r, &d), SVA_OK);
    assert_int_equal(r->n_trend, 1);
    assert_int_equal(r->n_audits, 1);
    assert_int_equal(r->n_coaching, 0);
    sva_employee_report_free(r);
    /* unknown employee, unknown cycle */
    assert_int_equal(sva_reports_employee(ctx, "E9", NULL, 2, &r, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown employee 'E9'"));
    assert_int_equal(sva_reports_employee(ctx, "E1", "2030-01", 2, &r, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown cycle '2030-01'"));
    sva_diag_clear(&d);
    sva_reports_close(ctx);
    world_close(&w);
}

static void test_store_model(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    sva_store_report *r = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_store(ctx, "SH-001", "2026-11", &r, &d), SVA_OK);
    assert_string_equal(r->store_name, "Sunrise Shanghai");
    assert_string_equal(r->from, "2026-11-01");
    assert_string_equal(r->previous, "2026-10");
    /* SSI: (75 + 75 + 100) / 3 against 80: met; 100 in 2026-10 */
    const sva_report_figure *ssi = NULL;
    for (size_t i = 0; i < r->n_figures; i++)
        if (strcmp(r->figures[i].row->metric, "ssi") == 0)
            ssi = &r->figures[i];
    assert_non_null(ssi);
    assert_string_equal(ssi->name, "SSI");
    assert_near(ssi->row->actual, 250.0 / 3);
    assert_int_equal(ssi->row->status, SVA_TARGET_MET);
    assert_true(ssi->has_change);
    assert_near(ssi->change, 250.0 / 3 - 100);
    /* weakest in 2026-11: clean (a1) and greet (a2), each 2 of 3 */
    assert_int_equal(r->n_weakest, 2);
    assert_string_equal(r->weakest[0].text, "Floor clean");
    assert_int_equal(r->weakest[0].failed, 1);
    assert_int_equal(r->weakest[0].answered, 3);
    assert_string_equal(r->weakest[0].title, "Report unit visit");
    assert_false(r->weakest[0].repeat);
    assert_string_equal(r->weakest[1].text, "Greets within 60 s");
    /* the open action, overdue */
    assert_int_equal(r->n_actions, 1);
    assert_true(r->actions[0].overdue);
    /* the audits by date, the employee shown */
    assert_int_equal(r->n_audits, 3);
    assert_int_equal(r->audits[0].id, w.a1);
    assert_int_equal(r->audits[2].id, w.a4);
    assert_string_equal(r->audits[2].employee, "Li Na (E2)");
    /* went well: SSI met, tidy and exit met in every audit; no best in store (only
     * E1 is rated) */
    assert_int_equal(r->n_went_well, 2);
    assert_string_equal(r->went_well[0].text, "SSI meets its target of 80.0 %");
    assert_string_equal(r->went_well[1].text, "2 standards met in every audit");
    sva_store_report_free(r);
    assert_int_equal(sva_reports_store(ctx, "NOPE", "2026-11", &r, &d), SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown store 'NOPE'"));
    assert_int_equal(sva_reports_store(ctx, "SH-001", "2030-01", &r, &d), SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
    sva_reports_close(ctx);
    world_close(&w);
}

/* ---- the PDF files --------------------------------------------------------------------------- */

/* The first @p needle in @p len bytes at @p hay, or NULL. */
static const char *find_bytes(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Does @p path hold a complete PDF with at least @p images images, one a raw JPEG? */
static void expect_pdf(const char *path, int images, bool jpeg)
{
    char *data;
    size_t len;
    assert_int_equal(sva_file_read(path, &data, &len, NULL), SVA_OK);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-", 5);
    /* the end of file marker is there: the file is complete */
    assert_non_null(strstr(data + len - 32, "%%EOF"));
    int n = 0;
    for (const char *s = data; (s = find_bytes(s, len - (size_t)(s - data), "/Subtype /Image"));
         s++)
        n++;
    assert_true(n >= images);
    if (jpeg)
        assert_non_null(find_bytes(data, len, "/DCTDecode"));
    free(data);
}

static void test_pdf_files(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_diag d = {0};
    for (int zh = 0; zh < 2; zh++) {
        sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, zh ? "zh" : NULL);
        sva_audit_report *ar = NULL;
        sva_employee_report *er = NULL;
        sva_store_report *sr = NULL;
        assert_int_equal(sva_reports_audit(ctx, w.a1, &ar, &d), SVA_OK);
        assert_int_equal(sva_reports_employee(ctx, "E1", NULL, 2, &er, &d), SVA_OK);
        assert_int_equal(sva_reports_store(ctx, "SH-001", "2026-11", &sr, &d), SVA_OK);
        mkdir(at("out"), 0700);
        /* the JPEG and the PNG embedded, the JPEG as it is */
        assert_int_equal(sva_pdf_audit(ar, at("out/a.pdf"), &d), SVA_OK);
        expect_pdf(at("out/a.pdf"), 2, true);
        assert_int_equal(sva_pdf_employee(er, at("out/e.pdf"), &d), SVA_OK);
        expect_pdf(at("out/e.pdf"), 0, false);
        assert_int_equal(sva_pdf_store(sr, at("out/s.pdf"), &d), SVA_OK);
        expect_pdf(at("out/s.pdf"), 0, false);
        /* nothing but the three files */
        int all;
        assert_int_equal(count_in(at("out"), ".pdf", &all), 3);
        assert_int_equal(all, 3);
        /* a folder that does not exist: an error naming the file, nothing written */
        assert_int_equal(sva_pdf_audit(ar, at("nowhere/a.pdf"), &d), SVA_ERR_IO);
        assert_true(diag_has(&d, -1, "nowhere/a.pdf"));
        assert_int_equal(access(at("nowhere"), F_OK), -1);
        sva_diag_clear(&d);
        sva_audit_report_free(ar);
        sva_employee_report_free(er);
        sva_store_report_free(sr);
        sva_reports_close(ctx);
        rm_rf(at("out"));
    }
    world_close(&w);
}

static void test_batch(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_PSEUDONYMOUS, NULL);
    sva_diag d = {0};
    size_t n = 99;
    mkdir(at("batch"), 0700);
    /* 2026-11 has a1, a2 and a4 */
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("batch/"), &n, &d), SVA_OK);
    assert_int_equal(n, 3);
    int all;
    assert_int_equal(count_in(at("batch"), "audit-", &all), 3);
    assert_int_equal(all, 3);
    char name[64];
    snprintf(name, sizeof name, "batch/audit-%lld.pdf", w.a4);
    expect_pdf(at(name), 0, false);
    /* one store: the same three (one store here); an unknown store or cycle */
    assert_int_equal(sva_pdf_audits(ctx, "2026-10", "SH-001", at("batch"), &n, &d), SVA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", "NOPE", at("batch"), &n, &d),
                     SVA_ERR_NOT_FOUND);
    assert_true(diag_has(&d, -1, "unknown store 'NOPE'"));
    assert_int_equal(sva_pdf_audits(ctx, "2030-01", NULL, at("batch"), &n, &d),
                     SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
    /* a folder that does not exist */
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("none"), &n, &d), SVA_ERR_IO);
    assert_int_equal(n, 0);
    assert_true(diag_has(&d, -1, "no folder"));
    sva_diag_clear(&d);
    /* a folder in the way of the second file: an error, no temporary file left */
    mkdir(at("batch2"), 0700);
    snprintf(name, sizeof name, "batch2/audit-%lld.pdf", w.a2);
    mkdir(at(name), 0700);
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("batch2"), &n, &d), SVA_ERR_IO);
    assert_int_equal(n, 0);
    assert_int_equal(count_in(at("batch2"), ".tmp-", NULL), 0);
    snprintf(name, sizeof name, "batch2/audit-%lld.pdf", w.a4);
    assert_int_equal(access(at(name), F_OK), -1);
    sva_diag_clear(&d);
    /* a void audit has no report in a batch */
    assert_int_equal(sva_db_audit_void(w.db, w.a4, "wrong store", &d), SVA_OK);
    mkdir(at("batch3"), 0700);
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("batch3"), &n, &d), SVA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(count_in(at("batch3"), "audit-", NULL), 2);
    sva_reports_close(ctx);
    world_close(&w);
}

/* ---- one snapshot ------------------------------------------------------------------------- */

/* How many audits of 2026-11 a context lists for a batch, and whether @p find
 * is one of them. */
static size_t ids_of(sva_reports *ctx, long long find, bool *found)
{
    long long *ids = NULL;
    size_t n = 0;
    sva_diag d = {0};
    assert_int_equal(sva_reports_audit_ids(ctx, "2026-11", NULL, &ids, &n, &d), SVA_OK);
    *found = false;
    for (size_t i = 0; i < n; i++)
        *found |= ids[i] == find;
    free(ids);
    return n;
}

/* The store report of SH-001 in 2026-11: its audit lines, and the audits and
 * mean behind its first figure (the cycle's status, which the context keeps). */
static void store_seen(sva_reports *ctx, size_t *lines, long *n, double *actual)
{
    sva_store_report *r = NULL;
    sva_diag d = {0};
    assert_int_equal(sva_reports_store(ctx, "SH-001", "2026-11", &r, &d), SVA_OK);
    assert_true(r->n_figures > 0);
    *lines = r->n_audits;
    *n = r->figures[0].row->n;
    *actual = r->figures[0].row->actual;
    sva_store_report_free(r);
}

/* An audit recorded by another connection while a context makes reports is in
 * all of them or in none: the batch's list and files, and the store's figures,
 * come from the snapshot the context began with; the next context has it
 * everywhere. A write on the context's own connection is seen by the next
 * report, everywhere too (what the context kept of the cycle is read again). */
static void test_snapshot(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    sva_diag d = {0};
    sva_db *other = NULL;
    assert_int_equal(sva_db_open(at("r.db"), SVA_DB_EXISTING, &other, &d), SVA_OK);
    sva_reports *ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    bool found;
    size_t lines, lines2;
    long n, n2;
    double actual, actual2;
    assert_int_equal(ids_of(ctx, -1, &found), 3);
    store_seen(ctx, &lines, &n, &actual);
    assert_int_equal(lines, 3);
    assert_int_equal(n, 3);
    /* another connection records a failing audit at the store meanwhile */
    sva_db *mine = w.db;
    w.db = other;
    long long a5 = record(&w, "2026-11", "E2", "2026-11-20", "nnnn", NULL, NULL);
    w.db = mine;
    /* not in this context: not listed, no page, not in the store's figures */
    assert_int_equal(ids_of(ctx, a5, &found), 3);
    assert_false(found);
    sva_audit_report *ar5 = NULL;
    assert_int_equal(sva_reports_audit(ctx, a5, &ar5, &d), SVA_ERR_NOT_FOUND);
    sva_diag_clear(&d);
    store_seen(ctx, &lines2, &n2, &actual2);
    assert_int_equal(lines2, 3);
    assert_int_equal(n2, 3);
    assert_near(actual2, actual);
    size_t files = 0;
    mkdir(at("snap1"), 0700);
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("snap1"), &files, &d), SVA_OK);
    assert_int_equal(files, 3);
    assert_int_equal(count_in(at("snap1"), "audit-", NULL), 3);
    sva_reports_close(ctx);

    /* the next context: in all of them */
    ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    assert_int_equal(ids_of(ctx, a5, &found), 4);
    assert_true(found);
    store_seen(ctx, &lines2, &n2, &actual2);
    assert_int_equal(lines2, 4);
    assert_int_equal(n2, 4);
    assert_true(actual2 < actual); /* a failing audit more */
    mkdir(at("snap2"), 0700);
    assert_int_equal(sva_pdf_audits(ctx, "2026-11", NULL, at("snap2"), &files, &d), SVA_OK);
    assert_int_equal(files, 4);

    /* its own connection voids it and lowers the store's target between two
     * reports: the next ones show both (the target through the cycle the
     * context kept for the audit pages) */
    sva_audit_report *ar = NULL;
    assert_int_equal(sva_reports_audit(ctx, w.a1, &ar, &d), SVA_OK);
    assert_near(ar->target, 80.0);
    sva_audit_report_free(ar);
    assert_int_equal(sva_db_audit_void(w.db, a5, "wrong store", &d), SVA_OK);
    target(&w, "2026-11", SVA_SCOPE_STORE, "SH-001", 70);
    assert_int_equal(sva_reports_audit(ctx, w.a1, &ar, &d), SVA_OK);
    assert_near(ar->target, 70.0);
    sva_audit_report_free(ar);
    assert_int_equal(ids_of(ctx, a5, &found), 3);
    assert_false(found);
    store_seen(ctx, &lines2, &n2, &actual2);
    assert_int_equal(lines2, 3);
    assert_int_equal(n2, 3);
    assert_near(actual2, actual);
    /* and the snapshot it read then holds again against the other connection */
    w.db = other;
    long long a6 = record(&w, "2026-11", "E2", "2026-11-21", "nnnn", NULL, NULL);
    w.db = mine;
    assert_int_equal(ids_of(ctx, a6, &found), 3);
    assert_false(found);
    store_seen(ctx, &lines2, &n2, &actual2);
    assert_int_equal(n2, 3);
    sva_reports_close(ctx);
    /* closing ended it: reads on the connection see the store as it is */
    assert_int_equal(sva_db_read_snapshot(w.db), 0);
    ctx = reports(&w, SVA_PRIVACY_FULL, NULL);
    assert_int_equal(ids_of(ctx, a6, &found), 4);
    assert_true(found);
    sva_reports_close(ctx);
    sva_db_close(other);
    world_close(&w);
}

/* ---- the picture probe ----------------------------------------------------------------------- */

static void test_probe(void **state)
{
    (void)state;
    int wd, ht;
    /* SOI, an APP0 of 16 bytes, SOF0: precision 8, 240 high, 320 wide, 3 components */
    unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0,
                           0,    1,    0,    1,    0,    0,    0xFF, 0xC0, 0x00, 0x11, 8,
                           0x00, 0xF0, 0x01, 0x40, 3,    1,    0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
    assert_int_equal(sva_photo_probe(jpg, sizeof jpg, &wd, &ht), SVA_PHOTO_JPEG);
    assert_int_equal(wd, 320);
    assert_int_equal(ht, 240);
    /* fill bytes before a marker are allowed; a progressive frame (SOF2) too */
    unsigned char prog[sizeof jpg + 2];
    memcpy(prog, jpg, 20);
    prog[20] = 0xFF;
    prog[21] = 0xFF;
    memcpy(prog + 22, jpg + 20, sizeof jpg - 20);
    prog[23] = 0xC2;
    assert_int_equal(sva_photo_probe(prog, sizeof prog, &wd, &ht), SVA_PHOTO_JPEG);
    /* cut short, in the APP0 and in the frame header */
    assert_int_equal(sva_photo_probe(jpg, 12, &wd, &ht), SVA_PHOTO_NONE);
    assert_int_equal(sva_photo_probe(jpg, 26, &wd, &ht), SVA_PHOTO_NONE);
    assert_int_equal(wd, 0);
    /* bytes between segments, 12-bit samples, 2 components, a zero width, DHT is no frame */
    unsigned char bad[sizeof jpg];
    memcpy(bad, jpg, sizeof jpg);
    bad[20] = 0x00;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(bad, jpg, sizeof jpg);
    bad[24] = 12;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(bad, jpg, sizeof jpg);
    bad[29] = 2;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(bad, jpg, sizeof jpg);
    bad[27] = bad[28] = 0;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(bad, jpg, sizeof jpg);
    bad[21] = 0xC4;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    /* a scan before any frame header; a segment length of 0 */
    memcpy(bad, jpg, sizeof jpg);
    bad[21] = 0xDA;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(bad, jpg, sizeof jpg);
    bad[4] = bad[5] = 0;
    assert_int_equal(sva_photo_probe(bad, sizeof bad, &wd, &ht), SVA_PHOTO_NONE);
    /* PNG: the signature, IHDR 13 bytes, 640 x 480 */
    unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H',
                           'D',  'R', 0,   0,   2,    0x80, 0,    0,    1, 0xE0, 8, 2, 0, 0, 0};
    assert_int_equal(sva_photo_probe(png, sizeof png, &wd, &ht), SVA_PHOTO_PNG);
    assert_int_equal(wd, 640);
    assert_int_equal(ht, 480);
    unsigned char pbad[sizeof png];
    memcpy(pbad, png, sizeof png);
    pbad[11] = 12; /* IHDR of the wrong length */
    assert_int_equal(sva_photo_probe(pbad, sizeof pbad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(pbad, png, sizeof png);
    pbad[16] = 0x80; /* a width past 2^31 */
    assert_int_equal(sva_photo_probe(pbad, sizeof pbad, &wd, &ht), SVA_PHOTO_NONE);
    memcpy(pbad, png, sizeof png);
    pbad[18] = 0x80; /* 32768 wide: more than cairo takes */
    pbad[19] = 0x00;
    assert_int_equal(sva_photo_probe(pbad, sizeof pbad, &wd, &ht), SVA_PHOTO_NONE);
    assert_int_equal(sva_photo_probe(png, 20, &wd, &ht), SVA_PHOTO_NONE);
    /* neither */
    assert_int_equal(sva_photo_probe((const unsigned char *)"GIF89a", 6, &wd, &ht),
                     SVA_PHOTO_NONE);
    assert_int_equal(sva_photo_probe((const unsigned char *)"", 0, &wd, &ht), SVA_PHOTO_NONE);
    /* the fixtures */
    char *data;
    size_t len;
    assert_int_equal(sva_file_read(src_path("tests/fixtures/report/photo.jpg"), &data, &len, NULL),
                     SVA_OK);
    assert_int_equal(sva_photo_probe((unsigned char *)data, len, &wd, &ht), SVA_PHOTO_JPEG);
    assert_int_equal(wd, 640);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_audit_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_privacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chinese, setup, teardown),
        cmocka_unit_test_setup_teardown(test_employee_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
        cmocka_unit_test(test_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

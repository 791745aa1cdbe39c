/* svcaudit tests: the workbook's sheets, each on a hand-made report model,
 * read back cell by cell from the cell layer's recorder: no database, no
 * file, no libxlsxwriter. They check that a sheet lays out the model (values,
 * places, styles) and computes nothing of its own. */
#include "testutil.h"

#include "sheet.h"

/* A cycle with two stores in East: S1 met (green), S2 missed by 1.6 (amber). */
typedef struct fixture {
    sva_status_row rows[4];
    sva_cycle_status cs;
    sva_cycle_status *statuses[1];
    sva_cycle window[1];
    const sva_status_row *scoped[4];
    sva_scope_counts counts;
    sva_report_store stores[2];
    const sva_report_store *chart[2];
    sva_report r;
} fixture;

static void make(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->rows[0] = (sva_status_row){.scope = SVA_SCOPE_STORE, .id = "S1", .name = "One",
                                  .region = "East", .metric = "ssi", .has_actual = true,
                                  .actual = 85.0, .n = 2, .has_target = true, .target = 85,
                                  .target_from = SVA_SCOPE_REGION, .status = SVA_TARGET_MET,
                                  .colour = SVA_COLOUR_GREEN};
    f->rows[1] = (sva_status_row){.scope = SVA_SCOPE_STORE, .id = "S2", .name = "Two",
                                  .region = "East", .metric = "ssi", .has_actual = true,
                                  .actual = 83.4, .n = 1, .has_target = true, .target = 85,
                                  .gap = -1.6, .target_from = SVA_SCOPE_REGION,
                                  .status = SVA_TARGET_MISSED, .colour = SVA_COLOUR_AMBER,
                                  .has_reason = true, .n_actions = 2};
    f->rows[2] = (sva_status_row){.scope = SVA_SCOPE_REGION, .id = "East", .name = "East",
                                  .region = "East", .metric = "ssi", .has_actual = true,
                                  .actual = 84.2, .n = 2, .has_target = true, .target = 85,
                                  .gap = -0.8, .status = SVA_TARGET_MISSED,
                                  .colour = SVA_COLOUR_AMBER};
    f->rows[3] = (sva_status_row){.scope = SVA_SCOPE_NETWORK, .id = "", .name = "network",
                                  .region = "", .metric = "ssi", .has_actual = true,
                                  .actual = 84.2, .n = 2, .status = SVA_TARGET_NONE};
    f->cs = (sva_cycle_status){.cycle = "2026-11", .from = "2026-11-01", .to = "2026-11-30",
                               .state = SVA_CYCLE_DO, .rows = f->rows, .n_rows = 4};
    f->statuses[0] = &f->cs;
    f->window[0] = (sva_cycle){.id = "2026-11", .from = "2026-11-01", .to = "2026-11-30"};
    for (int i = 0; i < 4; i++)
        f->scoped[i] = &f->rows[i];
    f->counts = (sva_scope_counts){.n_audits = 7, .stores_audited = 2, .stores_total = 3,
                                   .actions_open = 4, .actions_overdue = 1};
    for (int i = 0; i < 2; i++) {
        f->stores[i].store = &f->rows[i];
        f->stores[i].fig[0].row = &f->rows[i];
    }
    f->stores[1].fig[0].has_change = true;
    f->stores[1].fig[0].change = -3.1;
    sva_report *r = &f->r;
    r->o.cycle = "2026-11";
    r->o.employees = SVA_PRIVACY_FULL;
    r->window = f->window;
    r->n_window = 1;
    r->statuses = f->statuses;
    r->status = &f->cs;
    r->rows = f->scoped;
    r->n_rows = 4;
    r->counts = &f->counts;
    r->kpi[0].row = &f->rows[3];
    r->stores = f->stores;
    r->n_stores = 2;
    f->chart[0] = &f->stores[0];
    f->chart[1] = &f->stores[1];
    r->chart = f->chart;
    r->n_chart = 2;
}

static const xl_cell *cell(const xl_book *b, const char *sheet, xl_row r, xl_col c)
{
    const xl_cell *x = xl_recorded(b, sheet, r, c);
    if (!x)
        fail_msg("no cell at %s!%u,%u", sheet, (unsigned)r, (unsigned)c);
    return x;
}

static void expect_num(const xl_book *b, const char *sheet, xl_row r, xl_col c, double v,
                       xl_style st)
{
    const xl_cell *x = cell(b, sheet, r, c);
    assert_true(x->is_num);
    assert_float_equal(x->num, v, 1e-9);
    assert_string_equal(xs_name(x->st), xs_name(st));
}

static void expect_str(const xl_book *b, const char *sheet, xl_row r, xl_col c,
                       const char *text, xl_style st)
{
    const xl_cell *x = cell(b, sheet, r, c);
    assert_false(x->is_num);
    assert_string_equal(x->text, text);
    assert_string_equal(xs_name(x->st), xs_name(st));
}

static void test_dashboard(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    f.r.headline[0] = (sva_report_headline){SVA_COLOUR_RED, "1 action overdue"};
    f.r.n_headline = 1;
    f.r.act = (sva_act){.missed = 1, .no_reason = 0, .no_action = 1, .open = 4, .overdue = 1,
                        .overdue_age = {0, 1, 0}, .actions = 4, .completed = 1};
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_dashboard(&c);
    assert_int_equal(xl_book_error(b), SVA_OK);
    expect_str(b, "Dashboard", 0, 0, "Service audit - cycle 2026-11", XS_TITLE);
    /* the privacy mode and what the indexes are, stated */
    const xl_cell *note = cell(b, "Dashboard", 2, 0);
    assert_non_null(strstr(note->text, "by name"));
    assert_non_null(strstr(note->text, "audit-based"));
    /* what needs doing leads, coloured by urgency */
    expect_str(b, "Dashboard", 4, 0, "What needs doing", XS_BOLD);
    expect_str(b, "Dashboard", 5, 0, "1 action overdue", XS_HL_RED);
    /* KPIs from row 7: the network's SSI (no target): a fraction with a % format */
    expect_str(b, "Dashboard", 7, 0, "KPI", XS_HDR);
    expect_str(b, "Dashboard", 8, 0, "SSI", XS_BOLD);
    expect_num(b, "Dashboard", 8, 1, 0.842, XS_PCT);
    expect_str(b, "Dashboard", 8, 4, "no target", XS_TEXT);
    assert_null(xl_recorded(b, "Dashboard", 8, 2)); /* no target: nothing written */
    /* counts on row 12: 7 audits, 2 of 3 stores; the Act block below it, one
     * figure a line in column C, red where something needs doing */
    expect_num(b, "Dashboard", 12, 2, 7, XS_NUM);
    expect_str(b, "Dashboard", 12, 3, "Stores audited: 2 of 3", XS_TEXT);
    expect_num(b, "Dashboard", 15, 2, 1, XS_NUM);     /* missed store targets */
    expect_num(b, "Dashboard", 16, 2, 0, XS_NUM);     /* ... without a reason: none */
    expect_num(b, "Dashboard", 17, 2, 1, XS_NUM_RED); /* ... without an action: one, red */
    expect_num(b, "Dashboard", 20, 2, 1, XS_NUM_RED); /* overdue */
    expect_num(b, "Dashboard", 22, 2, 1, XS_NUM_RED); /* overdue 8-30 days */
    expect_num(b, "Dashboard", 24, 2, 0.25, XS_PCT);  /* 1 of 4 completed */
    /* the store table below the first screen (row 27), in the model's order (the
     * model sorts it, worst gap first), S1 green, S2 amber with its gap and change */
    expect_str(b, "Dashboard", 27, 1, "Store", XS_HDR);
    expect_str(b, "Dashboard", 28, 1, "S1", XS_TEXT);
    expect_num(b, "Dashboard", 28, 3, 0.85, XS_PCT_GREEN);
    expect_str(b, "Dashboard", 29, 1, "S2", XS_TEXT);
    expect_num(b, "Dashboard", 29, 3, 0.834, XS_PCT_AMBER);
    expect_num(b, "Dashboard", 29, 5, -1.6, XS_DELTA_DOWN); /* down: red */
    expect_num(b, "Dashboard", 29, 6, -3.1, XS_DELTA_DOWN);
    /* charts: SSI by store and the trend in the first screen, CSI and 6S by store */
    assert_int_equal(xl_recorded_charts(b, "Dashboard"), 4);
    xl_book_close(b);
}

/* A cycle with no audits: the headline says so and no chart is drawn. */
static void test_dashboard_empty(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    f.r.no_audits = true;
    f.r.headline[0] = (sva_report_headline){SVA_COLOUR_GREY, "No audits yet"};
    f.r.n_headline = 1;
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_dashboard(&c);
    expect_str(b, "Dashboard", 5, 0, "No audits yet", XS_ST_GREY);
    assert_int_equal(xl_recorded_charts(b, "Dashboard"), 0);
    xl_book_close(b);
}

/* --lang zh: the sheet's name, headers and words come from the catalogue. */
static void test_dashboard_chinese(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    f.r.o.lang = "zh";
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_dashboard(&c);
    const char *names[2];
    assert_int_equal(xl_recorded_sheets(b, names, 2), 1);
    assert_string_equal(names[0], "仪表板");
    expect_str(b, "仪表板", 4, 0, "待办事项", XS_BOLD);
    expect_str(b, "仪表板", 7, 4, "无目标", XS_TEXT);
    xl_book_close(b);
}

static void test_stores(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_stores(&c);
    /* one row per status row in scope, as the model lists them */
    expect_str(b, "Stores", 2, 1, "S2", XS_TEXT);
    expect_num(b, "Stores", 2, 5, 0.834, XS_PCT_AMBER);
    expect_str(b, "Stores", 2, 10, "missed", XS_ST_AMBER);
    expect_str(b, "Stores", 2, 13, "yes", XS_TEXT);
    expect_num(b, "Stores", 2, 14, 2, XS_NUM);
    expect_str(b, "Stores", 3, 0, "region", XS_TEXT);
    expect_str(b, "Stores", 4, 2, "network", XS_TEXT);
    assert_null(xl_recorded(b, "Stores", 5, 0));
    /* reasons and actions are for stores only */
    assert_null(xl_recorded(b, "Stores", 3, 14));
    xl_book_close(b);
}

/* Three employees of S1 rated over the window: the best, one behind her, one
 * not rated; two more not shown one by one (pseudonymous), said below the table. */
static void test_employees(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    sva_employee_rating er[3] = {
        {.employee = "E1", .name = "Wang Fang", .role = "sales", .store = "S1",
         .region = "East", .n = 4, .n_last = 2, .failed = 0, .mean = 93.06, .store_mean = 84.0,
         .weight = 0.8, .rating = 91.248, .rated = true, .rank = 1, .best = true},
        {.employee = "E2", .name = "Li Ming", .role = "sales", .store = "S1", .region = "East",
         .n = 3, .n_last = 0, .failed = 2, .mean = 76.0, .store_mean = 84.0, .weight = 0.75,
         .rating = 78.0, .rated = true, .rank = 2},
        {.employee = "E3", .name = "Zhou Hua", .role = "service", .store = "S1",
         .region = "East", .n = 1, .n_last = 1, .failed = 1, .mean = 60.0, .store_mean = 84.0,
         .weight = 0.5, .rating = 72.0, .rated = false},
    };
    /* the colours, labels and notes are the model's: the sheet only lays them out */
    sva_report_employee e[3] = {
        {&er[0], SVA_COLOUR_GREEN, "P-1234abcd", "sales", "best in store"},
        {&er[1], SVA_COLOUR_AMBER, "P-5678ef01", "sales", ""},
        {&er[2], SVA_COLOUR_GREY, "P-9abc2345", "service", "not rated: 1 audit (minimum 2)"},
    };
    f.r.employees = e;
    f.r.n_employees = 3;
    f.r.n_employees_hidden = 2;
    f.r.o.min_group = 3;
    f.r.o.employees = SVA_PRIVACY_PSEUDONYMOUS;
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_employees(&c);
    /* the table under its filter is complete before the note goes below it */
    assert_int_equal(xl_book_error(b), SVA_OK);
    static const char *const hdr[] = {"Region", "Store", "Employee", "Role", "Audits",
                                      "This cycle", "Own mean", "Rating", "Rank in store",
                                      "Critical fails", "Recognition"};
    for (xl_col k = 0; k < 11; k++)
        expect_str(b, "Employees", 0, k, hdr[k], XS_HDR);
    assert_null(xl_recorded(b, "Employees", 0, 11));
    /* the label the model gives, never the name: the sheet applies no privacy itself */
    expect_str(b, "Employees", 1, 0, "East", XS_TEXT);
    expect_str(b, "Employees", 1, 1, "S1", XS_TEXT);
    expect_str(b, "Employees", 1, 2, "P-1234abcd", XS_TEXT);
    expect_str(b, "Employees", 1, 3, "sales", XS_TEXT);
    expect_num(b, "Employees", 1, 4, 4, XS_NUM);       /* audits in the window */
    expect_num(b, "Employees", 1, 5, 2, XS_NUM);       /* of them in this cycle */
    expect_num(b, "Employees", 1, 6, 0.931, XS_PCT);   /* own mean, rounded once */
    expect_num(b, "Employees", 1, 7, 0.912, XS_PCT_GREEN); /* the rating, not the mean */
    expect_num(b, "Employees", 1, 8, 1, XS_NUM);
    expect_num(b, "Employees", 1, 9, 0, XS_NUM);
    expect_str(b, "Employees", 1, 10, "best in store", XS_HL_GREEN);
    expect_num(b, "Employees", 2, 5, 0, XS_NUM);       /* none this cycle: still rated */
    expect_num(b, "Employees", 2, 7, 0.78, XS_PCT_AMBER);
    expect_num(b, "Employees", 2, 8, 2, XS_NUM);
    expect_num(b, "Employees", 2, 9, 2, XS_NUM_RED);   /* critical fails need attention */
    assert_null(xl_recorded(b, "Employees", 2, 10));   /* rated, not the best: no note */
    /* not rated: the own mean stands, no rating and no rank */
    expect_num(b, "Employees", 3, 6, 0.6, XS_PCT);
    assert_null(xl_recorded(b, "Employees", 3, 7));
    assert_null(xl_recorded(b, "Employees", 3, 8));
    expect_str(b, "Employees", 3, 10, "not rated: 1 audit (minimum 2)", XS_ST_GREY);
    /* one blank row, then how many are not shown and why */
    for (xl_col k = 0; k < 11; k++)
        assert_null(xl_recorded(b, "Employees", 4, k));
    expect_str(b, "Employees", 5, 0,
               "2 employees whose role has fewer than 3 people at their store are not shown "
               "one by one; their audits count in their store's figures.",
               XS_SUB);
    /* every cell of the three rows but the empty recognition, rating and rank */
    assert_int_equal(xl_recorded_count(b, "Employees"), 11 + 3 * 11 - 3 + 1);
    xl_book_close(b);
    /* nobody hidden (full): no note; nobody shown at all: the header and the note */
    f.r.n_employees_hidden = 0;
    f.r.o.employees = SVA_PRIVACY_FULL;
    b = xl_book_recorder();
    c.b = b;
    sheet_employees(&c);
    assert_null(xl_recorded(b, "Employees", 5, 0));
    xl_book_close(b);
    f.r.n_employees = 0;
    f.r.n_employees_hidden = 1;
    f.r.o.employees = SVA_PRIVACY_PSEUDONYMOUS;
    b = xl_book_recorder();
    c.b = b;
    sheet_employees(&c);
    assert_int_equal(xl_book_error(b), SVA_OK);
    expect_str(b, "Employees", 2, 0,
               "1 employee whose role has fewer than 3 people at their store is not shown "
               "one by one; their audits count in their store's figures.",
               XS_SUB);
    assert_int_equal(xl_recorded_count(b, "Employees"), 11 + 1);
    xl_book_close(b);
    /* none: no per-employee rows at all, whatever the model holds */
    f.r.n_employees = 3;
    f.r.o.employees = SVA_PRIVACY_NONE;
    b = xl_book_recorder();
    c.b = b;
    sheet_employees(&c);
    assert_int_equal(xl_recorded_count(b, "Employees"), 1);
    xl_book_close(b);
}

/* The Trend sheet over a window of two cycles: the verdicts are the scan's
 * (controlled for the false discovery rate), not the tests' own. */
static void test_trend(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    sva_status_row before[4];
    for (int i = 0; i < 4; i++) {
        before[i] = f.rows[i];
        before[i].actual += 5.0;
    }
    sva_cycle_status cs_before = f.cs;
    cs_before.cycle = "2026-10";
    cs_before.rows = before;
    sva_cycle window[2] = {{.id = "2026-10"}, {.id = "2026-11"}};
    sva_cycle_status *statuses[2] = {&cs_before, &f.cs};
    const sva_status_row *series[4][2];
    sva_report_trend t[4];
    memset(t, 0, sizeof t);
    for (int i = 0; i < 4; i++) {
        series[i][0] = &before[i];
        series[i][1] = &f.rows[i];
        t[i].row = &f.rows[i];
        t[i].series = series[i];
        t[i].has_change = true;
        t[i].change = -5.0;
    }
    /* S1: a fall that survives the control, sliding over the window, below the LCL */
    t[0].t = (sva_row_trend){.has = true, .has_test = true,
                             .test = {.diff = -5, .p_value = 0.0004,
                                      .verdict = SVA_VERDICT_DECLINED},
                             .change_q = 0.0048, .change_verdict = SVA_VERDICT_DECLINED,
                             .window = {.slope = -5, .p_value = 0.001,
                                        .verdict = SVA_VERDICT_DECLINING},
                             .window_q = 0.006, .window_verdict = SVA_VERDICT_DECLINING,
                             .has_pchart = true,
                             .pchart = {.passed = 60, .n = 100, .p = 0.6, .lcl = 0.65,
                                        .ucl = 0.95, .signal = SVA_PCHART_BELOW}};
    t[0].compliance = 60.0;
    t[0].lcl = 65.04;
    t[0].ucl = 95.0;
    /* S2: its own test says declined (p 0.03), the family does not (q 0.12) */
    t[1].t = (sva_row_trend){.has = true, .has_test = true,
                             .test = {.diff = -5, .p_value = 0.03,
                                      .verdict = SVA_VERDICT_DECLINED},
                             .change_q = 0.12, .change_verdict = SVA_VERDICT_NO_CHANGE,
                             .window = {.verdict = SVA_VERDICT_DECLINING, .p_value = 0.04},
                             .window_q = 0.12, .window_verdict = SVA_VERDICT_STABLE};
    /* the region: too few to test; the network: no audits in the window */
    t[2].t = (sva_row_trend){.has = true, .has_test = true,
                             .test = {.p_value = 1, .insufficient = true,
                                      .verdict = SVA_VERDICT_INSUFFICIENT_N},
                             .change_q = 1, .change_verdict = SVA_VERDICT_INSUFFICIENT_N,
                             .window = {.insufficient = true,
                                        .verdict = SVA_VERDICT_INSUFFICIENT_N},
                             .window_q = 1, .window_verdict = SVA_VERDICT_INSUFFICIENT_N};
    t[3].has_change = false;
    f.r.window = window;
    f.r.n_window = 2;
    f.r.statuses = statuses;
    f.r.trend = t;
    f.r.n_trend = 4;
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_trend(&c);
    assert_int_equal(xl_book_error(b), SVA_OK);
    /* after the cycles (columns E, F): Change G, Verdict H, p I, q J, Over the
     * window K, Compliance L, LCL M, UCL N, Control O */
    static const char *const hdr[] = {"Scope", "Id", "Name", "Metric", "2026-10", "2026-11",
                                      "Change", "Verdict", "p", "q", "Over the window",
                                      "Compliance", "LCL", "UCL", "Control"};
    for (xl_col k = 0; k < 15; k++)
        expect_str(b, "Trend", 0, k, hdr[k], XS_HDR);
    assert_null(xl_recorded(b, "Trend", 0, 15));
    expect_str(b, "Trend", 1, 1, "S1", XS_TEXT);
    expect_num(b, "Trend", 1, 4, 0.9, XS_PCT);
    expect_num(b, "Trend", 1, 5, 0.85, XS_PCT);
    expect_num(b, "Trend", 1, 6, -5.0, XS_DELTA_DOWN);
    expect_str(b, "Trend", 1, 7, "declined", XS_HL_RED);
    expect_num(b, "Trend", 1, 8, 0.0004, XS_P);
    expect_num(b, "Trend", 1, 9, 0.0048, XS_P);
    expect_str(b, "Trend", 1, 10, "declining", XS_HL_RED);
    expect_num(b, "Trend", 1, 11, 0.6, XS_PCT);
    expect_num(b, "Trend", 1, 12, 0.65, XS_PCT); /* rounded once, to what it shows */
    expect_num(b, "Trend", 1, 13, 0.95, XS_PCT);
    expect_str(b, "Trend", 1, 14, "below LCL", XS_HL_RED);
    /* the family's verdicts, with the test's own p and its q beside them */
    expect_str(b, "Trend", 2, 7, "no significant change", XS_TEXT);
    expect_num(b, "Trend", 2, 8, 0.03, XS_P);
    expect_num(b, "Trend", 2, 9, 0.12, XS_P);
    expect_str(b, "Trend", 2, 10, "stable", XS_TEXT);
    assert_null(xl_recorded(b, "Trend", 2, 11)); /* no p-chart point */
    /* too few: said in grey, no p or q */
    expect_str(b, "Trend", 3, 7, "insufficient n", XS_ST_GREY);
    assert_null(xl_recorded(b, "Trend", 3, 8));
    assert_null(xl_recorded(b, "Trend", 3, 9));
    expect_str(b, "Trend", 3, 10, "insufficient n", XS_ST_GREY);
    /* nothing in the window: the figures only */
    expect_str(b, "Trend", 4, 2, "network", XS_TEXT);
    for (xl_col k = 6; k < 15; k++)
        assert_null(xl_recorded(b, "Trend", 4, k));
    assert_null(xl_recorded(b, "Trend", 5, 0));
    /* the network's SSI over the window, one chart */
    assert_int_equal(xl_recorded_charts(b, "Trend"), 1);
    xl_book_close(b);
}

static void test_standards_and_repeats(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    sva_item_fact itf = {"sales", 3, "greet", "greet.smile", 40, 30, 10, 4, "S2, S9"};
    sva_item_compliance ic = {&itf, 75.0, SVA_COLOUR_AMBER};
    sva_report_item it = {&ic, "Smiles within 30 s", "Greeting", true, SVA_VERDICT_DECLINED};
    f.r.items = &it;
    f.r.n_items = 1;
    char *cyc[2] = {"2026-10", "2026-11"};
    sva_repeat rp = {.store = "S2", .region = "East", .checklist = "sales",
                     .item = "greet.smile", .cycles = cyc, .n_cycles = 2, .failed = 3,
                     .answered = 4, .n_actions = 0, .critical = true, .run_failed = 5,
                     .run_answered = 8, .run_rate = 0.625, .ref_rate = 0.2, .q_value = 0.0004,
                     .escalate = true};
    const sva_repeat *rps[1] = {&rp};
    f.r.repeats = rps;
    f.r.n_repeats = 1;
    xl_book *b = xl_book_recorder();
    sheet_ctx c = {b, &f.r, NULL, NULL};
    sheet_standards(&c);
    sheet_repeats(&c);
    expect_num(b, "Service standards", 1, 0, 1, XS_NUM);
    expect_str(b, "Service standards", 1, 2, "Greeting", XS_TEXT);
    expect_str(b, "Service standards", 1, 3, "Smiles within 30 s", XS_WRAP);
    expect_str(b, "Service standards", 1, 4, "greet.smile", XS_TEXT);
    expect_num(b, "Service standards", 1, 7, 0.75, XS_PCT_AMBER);
    expect_num(b, "Service standards", 1, 9, 4, XS_NUM_RED);
    expect_str(b, "Service standards", 1, 10, "S2, S9", XS_WRAP);
    expect_str(b, "Service standards", 1, 11, "declined", XS_HL_RED);
    expect_str(b, "Repeats", 1, 4, "yes", XS_HL_RED); /* critical */
    expect_str(b, "Repeats", 1, 5, "2026-10, 2026-11", XS_TEXT);
    expect_num(b, "Repeats", 1, 9, 0.625, XS_PCT);   /* 5 of 8 failed over the run */
    expect_num(b, "Repeats", 1, 10, 0.2, XS_PCT);    /* 20 % elsewhere */
    expect_num(b, "Repeats", 1, 11, 0.0004, XS_P);
    expect_num(b, "Repeats", 1, 12, 0, XS_NUM_RED); /* no action on a repeat failure */
    expect_str(b, "Repeats", 1, 13, "ESCALATE", XS_HL_RED);
    const char *names[4];
    assert_int_equal(xl_recorded_sheets(b, names, 4), 2);
    assert_string_equal(names[0], "Service standards");
    xl_book_close(b);
}

/* Text is text: a formula-looking note stays a string, control characters go. */
static void test_cell_layer_text(void **state)
{
    (void)state;
    xl_book *b = xl_book_recorder();
    xl_sheet *s = xl_sheet_add(b, "T");
    xl_str(s, 0, 0, "=1+1", XS_TEXT);
    xl_str(s, 0, 1, "a\x01" "b\x1b" "c", XS_TEXT);
    xl_str(s, 0, 2, "", XS_TEXT);
    expect_str(b, "T", 0, 0, "=1+1", XS_TEXT);
    expect_str(b, "T", 0, 1, "abc", XS_TEXT);
    assert_null(xl_recorded(b, "T", 0, 2));
    xl_book_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dashboard),
        cmocka_unit_test(test_dashboard_empty),
        cmocka_unit_test(test_dashboard_chinese),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_employees),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_standards_and_repeats),
        cmocka_unit_test(test_cell_layer_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* svcaudit CLI: `svcaudit cycle ...`: PDCA cycles: open, list, status (the
 * Check step), reason, advance and close (the Act step). */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "A cycle is one PDCA period (e.g. 2026-11, 2026-Q4, 2026): plan -> do -> check ->\n"
    "act -> closed. The first audit moves a cycle from plan to do; 'advance' moves it\n"
    "one step; nothing moves it back.\n"
    "  status   per store and metric: actual (n audits), effective target, gap,\n"
    "           met/missed; then regions and the network (mean over stores, each\n"
    "           store once, with the number of stores); imported survey values\n"
    "           beside, never mixed in; open and overdue actions; and the done\n"
    "           actions of earlier cycles this cycle's answers verify or reopen (a\n"
    "           preview until the cycle closes). A read: it changes nothing.\n"
    "  close    refused until every missed store target has a reason and an action;\n"
    "           then the done actions its answers decide are verified or reopened,\n"
    "           open actions carry into the next cycle (the same actions; a due date\n"
    "           already past moves to --due, else to the next cycle's end: none\n"
    "           arrives overdue). A closed cycle takes no\n"
    "           change to its figures or register (audits, voids, amendments,\n"
    "           appeals, targets, surveys, reasons, its actions).\n"
    "  reopen   the one way back, with a reason; kept with who and when, shown by\n"
    "           list, status and the log. Closing again is a new close.\n"
    "  delete   a cycle opened by mistake, with nothing in it. Cycles may not overlap.\n";

typedef struct status_filter {
    const char *region, *store, *metric;
} status_filter;

static bool row_shown(const sva_status_row *r, const status_filter *f)
{
    if (f->metric && strcmp(r->metric, f->metric) != 0)
        return false;
    if (f->store && !(r->scope == SVA_SCOPE_STORE && strcmp(r->id, f->store) == 0))
        return false;
    if (f->region && !(r->scope != SVA_SCOPE_NETWORK && strcmp(r->region, f->region) == 0))
        return false;
    return true;
}

static int status(sva_db *db, const char *id, const status_filter *f, cli_format fmt,
                  bool fail_on_missed)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_cycle_status *cs = NULL;
    sva_cycle_close *closes = NULL;
    size_t n_closes = 0;
    if (sva_analysis_cycle_status(db, id, cli_today(), &cs, &d) ||
        sva_db_cycle_closes(db, id, &closes, &n_closes, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        sva_cycle_status_free(cs);
        return EXIT_DATA;
    }
    /* each row's trend over the last 6 cycles (one scan per metric, FDR-controlled;
     * with --region, of its stores and itself: the family of the region's workbook) */
    sva_row_trend *rt = NULL;
    if (sva_status_trends(db, cs, f->region, 6, &rt, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        sva_cycle_status_free(cs);
        return EXIT_DATA;
    }
    /* a filter that matches nothing is a mistyped value, not an empty report */
    bool store_ok = !f->store, region_ok = !f->region, metric_ok = !f->metric;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *r = &cs->rows[i];
        if (!store_ok && r->scope == SVA_SCOPE_STORE && strcmp(r->id, f->store) == 0)
            store_ok = true;
        if (!region_ok && r->scope == SVA_SCOPE_REGION && strcmp(r->id, f->region) == 0)
            region_ok = true;
        if (!metric_ok && strcmp(r->metric, f->metric) == 0)
            metric_ok = true;
    }
    if (!store_ok || !region_ok || !metric_ok) {
        const cli_ref refs[] = {{SVA_REF_STORE, "--store", store_ok ? NULL : f->store},
                                {SVA_REF_REGION, "--region", region_ok ? NULL : f->region},
                                {0, NULL, NULL}};
        if (cli_check_refs(db, refs))
            ; /* unknown: said with the closest names */
        else if (!store_ok)
            cli_error("--store: store '%s' is not in cycle %s (not active then)", f->store,
                      cs->cycle);
        else if (!region_ok)
            cli_error("--region: no store of region '%s' is in cycle %s", f->region, cs->cycle);
        else {
            /* the metrics the cycle has, for a did-you-mean ("sssi", "6S") */
            const char **names = malloc((cs->n_rows + 1) * sizeof *names);
            size_t n = 0;
            for (size_t i = 0; names && i < cs->n_rows; i++) {
                bool seen = false;
                for (size_t j = 0; j < n && !seen; j++)
                    seen = strcmp(names[j], cs->rows[i].metric) == 0;
                if (!seen)
                    names[n++] = cs->rows[i].metric;
            }
            char sug[512] = "";
            if (names)
                cli_suggest(f->metric, names, n, "", sug, sizeof sug);
            free(names);
            if (*sug)
                cli_error("--metric: no metric '%s' in cycle %s (did you mean %s?)", f->metric,
                          cs->cycle, sug);
            else
                cli_error("--metric: no metric '%s' in cycle %s (ssi, csi, 6s, and checklists "
                          "with a target)",
                          f->metric, cs->cycle);
        }
        free(rt);
        sva_cycle_status_free(cs);
        sva_cycle_closes_free(closes, n_closes);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    /* coverage of the plans, when the cycle has any in force */
    sva_plan_facts *pf = NULL;
    sva_coverage *cov = NULL;
    if (sva_plan_status(db, id, cli_today(), &pf, &cov, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        sva_cycle_status_free(cs);
        return EXIT_DATA;
    }
    if (!cov->n_units) {
        sva_coverage_free(cov);
        cov = NULL;
    }
    static const char *const hdr[] = {"scope",  "id",     "name",   "region", "metric",
                                      "actual", "n",      "target", "from",   "gap",
                                      "status", "colour", "change", "window", "survey",
                                      "respondents"};
    cli_table t;
    table_init(&t, 16, hdr);
    t.numeric = (1u << 5) | (1u << 6) | (1u << 7) | (1u << 9) | (1u << 14) | (1u << 15);
    t.nullable = (1u << 8) | (1u << 11) | (1u << 12) | (1u << 13);
    long missed = 0;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *r = &cs->rows[i];
        if (!row_shown(r, f))
            continue;
        char actual[32], n[24], target[32], gap[32], survey[32], resp[24];
        fmt_pct(actual, sizeof actual, r->has_actual, r->actual);
        snprintf(n, sizeof n, "%ld", r->n);
        fmt_pct(target, sizeof target, r->has_target, r->target);
        fmt_pct(gap, sizeof gap, r->has_actual && r->has_target, r->gap);
        fmt_pct(survey, sizeof survey, r->has_survey, r->survey);
        snprintf(resp, sizeof resp, "%ld", r->respondents);
        const char *row[] = {sva_scope_name(r->scope),
                             r->id,
                             r->name,
                             r->region,
                             r->metric,
                             actual,
                             n,
                             target,
                             r->has_target ? sva_scope_name(r->target_from) : "",
                             gap,
                             sva_target_status_name(r->status),
                             sva_colour_name(r->colour),
                             rt[i].has && rt[i].has_test ? sva_verdict_name(rt[i].change_verdict)
                                                         : "",
                             rt[i].has ? sva_verdict_name(rt[i].window_verdict) : "",
                             survey,
                             r->has_survey ? resp : ""};
        table_row(&t, row);
        missed += r->status == SVA_TARGET_MISSED;
    }
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", cs->cycle);
        json_kstring(&j, "from", cs->from);
        json_kstring(&j, "to", cs->to);
        json_kstring(&j, "state", sva_cycle_state_name(cs->state));
        json_kint(&j, "audits", cs->n_audits);
        json_kint(&j, "stores_audited", cs->stores_audited);
        json_kint(&j, "stores_total", cs->stores_total);
        json_kint(&j, "actions_open", cs->actions_open);
        json_kint(&j, "actions_overdue", cs->actions_overdue);
        json_kint(&j, "actions_done", cs->actions_done);
        json_kint(&j, "actions_verified", cs->actions_verified);
        json_kint(&j, "appeals_open", cs->appeals_open);
        json_kint(&j, "appeals_upheld", cs->appeals_upheld);
        json_kint(&j, "appeals_rejected", cs->appeals_rejected);
        json_break(&j, "\n ");
        json_key(&j, "closes");
        json_array(&j);
        for (size_t i = 0; i < n_closes; i++) {
            json_object(&j);
            json_kstring(&j, "closed_at", closes[i].closed_at);
            json_kstring(&j, "closed_by", closes[i].closed_by);
            json_kstring(&j, "reopened_at", closes[i].reopened_at);
            json_kstring(&j, "reopened_by", closes[i].reopened_by);
            json_kstring(&j, "reopen_reason", closes[i].reason);
            json_end(&j);
        }
        json_end(&j);
        json_kbool(&j, "verifications_applied", cs->verifications_applied);
        json_break(&j, "\n ");
        json_key(&j, "verifications");
        json_array(&j);
        for (size_t i = 0; i < cs->n_verifications; i++) {
            const sva_verification *v = &cs->verifications[i];
            json_object(&j);
            json_kint(&j, "action", v->action_id);
            json_kstring(&j, "store", v->store);
            json_kstring(&j, "about", v->what);
            json_kstring(&j, "result", v->confirmed ? "verified" : "reopened");
            json_kint(&j, "answers", v->n_answers);
            json_kint(&j, "failed", v->n_failed);
            json_end(&j);
        }
        json_end(&j);
        if (cov) {
            json_break(&j, "\n ");
            json_key(&j, "coverage");
            plan_coverage_json(cov, f->store, f->region, &j);
        }
        json_break(&j, "\n ");
        json_key(&j, "rows");
        table_json(&t, &j);
        json_end(&j);
        json_finish(&j);
    } else if (fmt == CLI_CSV) {
        table_print(&t, fmt, stdout);
        /* CSV has no place for them: say them on stderr rather than lose them */
        for (size_t i = 0; i < cs->n_verifications; i++) {
            const sva_verification *v = &cs->verifications[i];
            cli_error("note: action %lld at %s (%s) %s by cycle %s: %ld of %ld answers failed",
                      v->action_id, v->store, v->what,
                      cs->verifications_applied ? v->confirmed ? "verified" : "reopened"
                      : v->confirmed                ? "would be verified"
                                                    : "would be reopened",
                      cs->cycle, v->n_failed, v->n_answers);
        }
    } else {
        printf("cycle %s  %s .. %s  state %s\n", cs->cycle, cs->from, cs->to,
               sva_cycle_state_name(cs->state));
        for (size_t i = 0; i < n_closes; i++) {
            const sva_cycle_close *k = &closes[i];
            printf("closed %s by %s", *k->closed_at ? k->closed_at : "(before closes were kept)",
                   *k->closed_by ? k->closed_by : "-");
            if (k->reopened_at)
                printf("; reopened %s by %s: %s", k->reopened_at, k->reopened_by, k->reason);
            printf("\n");
        }
        printf("audits %ld; stores audited %ld of %ld; actions: %ld open (%ld overdue), %ld "
               "done, %ld verified\n",
               cs->n_audits, cs->stores_audited, cs->stores_total, cs->actions_open,
               cs->actions_overdue, cs->actions_done, cs->actions_verified);
        printf("appeals: %ld open, %ld upheld, %ld rejected%s\n\n", cs->appeals_open,
               cs->appeals_upheld, cs->appeals_rejected,
               cs->appeals_open ? " (an open appeal blocks the close: svcaudit audit list "
                                  "--appealed)"
                                : "");
        table_print(&t, fmt, stdout);
        if (cs->n_verifications)
            printf(cs->verifications_applied
                       ? "\ndone actions this cycle's answers decided when it closed:\n"
                       : "\ndone actions this cycle's answers decide (written when it closes):\n");
        for (size_t i = 0; i < cs->n_verifications; i++) {
            const sva_verification *v = &cs->verifications[i];
            printf("action %lld at %s (%s): %s%s, %ld of %ld answers failed\n", v->action_id,
                   v->store, v->what, cs->verifications_applied ? "" : "would be ",
                   v->confirmed ? "VERIFIED" : "REOPENED", v->n_failed, v->n_answers);
        }
        if (cov) {
            printf("\nplanned audits (svcaudit plan status --cycle %s):\n", cs->cycle);
            plan_coverage_print(cov, f->store, f->region, stdout);
        }
    }
    sva_coverage_free(cov);
    sva_plan_facts_free(pf);
    table_free(&t);
    free(rt);
    sva_cycle_status_free(cs);
    sva_cycle_closes_free(closes, n_closes);
    sva_diag_clear(&d);
    return fail_on_missed && missed ? EXIT_FOUND : EXIT_OKAY;
}

/* ---- the subcommands ---- */

static const char *from, *to, *text, *due;
static status_filter sf;
static int format = CLI_TABLE;
static bool fail_on_missed;

static int run_open(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_cycle_open(c->db, argv[0], from, to, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("cycle %s opened (%s .. %s), state plan\n", argv[0], from, to);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_cycle *v;
    size_t n;
    if (sva_db_cycle_list(c->db, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"id",     "from",      "to",       "state",
                                      "audits", "closed_at", "closed_by", "reopened"};
    cli_table t;
    table_init(&t, 8, hdr);
    t.numeric = (1u << 4) | (1u << 7);
    t.nullable = (1u << 5) | (1u << 6);
    int rc = EXIT_OKAY;
    for (size_t i = 0; i < n && rc == EXIT_OKAY; i++) {
        char na[24], nr[24];
        snprintf(na, sizeof na, "%ld", v[i].n_audits);
        sva_cycle_close *cl = NULL;
        size_t ncl = 0;
        if (sva_db_cycle_closes(c->db, v[i].id, &cl, &ncl, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
            break;
        }
        /* the close that stands (a closed cycle's last), and how often it was reopened */
        size_t reopens = 0;
        for (size_t k = 0; k < ncl; k++)
            reopens += cl[k].reopened_at != NULL;
        const sva_cycle_close *last = ncl && !cl[ncl - 1].reopened_at ? &cl[ncl - 1] : NULL;
        snprintf(nr, sizeof nr, "%zu", reopens);
        const char *row[] = {v[i].id,
                             v[i].from,
                             v[i].to,
                             sva_cycle_state_name(v[i].state),
                             na,
                             last ? last->closed_at : "",
                             last ? last->closed_by : "",
                             nr};
        table_row(&t, row);
        sva_cycle_closes_free(cl, ncl);
    }
    if (rc != EXIT_OKAY) {
        table_free(&t);
        sva_cycles_free(v, n);
        sva_diag_clear(&d);
        return rc;
    }
    table_print(&t, (cli_format)format, stdout);
    table_free(&t);
    sva_cycles_free(v, n);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static int run_status(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    return status(c->db, argv[0], &sf, (cli_format)format, fail_on_missed);
}

static int run_reason(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_cycle_reason(c->db, c->cat, argv[0], sf.store, sf.metric, text, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("reason recorded for %s %s in %s\n", sf.store, sf.metric, argv[0]);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_advance(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    sva_cycle_state st;
    if (sva_db_cycle_advance(c->db, argv[0], &st, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("cycle %s is now in %s\n", argv[0], sva_cycle_state_name(st));
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_close(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    sva_close_report rep;
    sva_error e = sva_db_cycle_close(c->db, argv[0], cli_today(), due, &rep, &d);
    cli_print_diag(&d);
    if (e) {
        rc = e == SVA_ERR_STATE ? EXIT_FOUND : EXIT_DATA;
    } else {
        printf("cycle %s closed", argv[0]);
        if (rep.verified || rep.reopened)
            printf("; its answers verified %zu %s and reopened %zu",
                   CLI_N(rep.verified, "done action", "done actions"), rep.reopened);
        if (rep.carried)
            printf("; %zu %s carried into %s", CLI_N(rep.carried, "open action", "open actions"),
                   rep.next_cycle);
        printf("\n");
        free(rep.next_cycle);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_delete(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_cycle_delete(c->db, argv[0], &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("cycle %s deleted\n", argv[0]);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_reopen(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_cycle_reopen(c->db, argv[0], text, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("cycle %s reopened (now in act); close it again with 'svcaudit cycle close %s'\n",
               argv[0], argv[0]);
    }
    sva_diag_clear(&d);
    return rc;
}

static const cli_opt open_opts[] = {
    OPT_DATE("from", &from, "the cycle's first day", CLI_OPT_REQUIRED),
    OPT_DATE("to", &to, "its last day", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt status_opts[] = {
    OPT_STRING(0, "region", &sf.region, "R", "only this region's stores and the region", 0),
    OPT_STRING(0, "store", &sf.store, "S", "only this store", 0),
    OPT_STRING(0, "metric", &sf.metric, "M", "only this metric (ssi, csi, 6s, a checklist)", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_FLAG(0, "fail-on-missed", &fail_on_missed, "exit 1 when a target is missed"),
    OPT_END(),
};
static const cli_opt reason_opts[] = {
    OPT_STRING(0, "store", &sf.store, "S", "the store that missed", CLI_OPT_REQUIRED),
    OPT_STRING(0, "metric", &sf.metric, "M", "the metric it missed", CLI_OPT_REQUIRED),
    OPT_STRING(0, "text", &text, "TEXT", "why", CLI_OPT_REQUIRED),
    OPT_END(),
};

static const cli_opt close_opts[] = {
    OPT_DATE("due", &due, "the new due date of carried actions whose due date has passed "
                          "(default: the next cycle's last day)",
             0),
    OPT_END(),
};
static const cli_opt reopen_opts[] = {
    OPT_STRING(0, "reason", &text, "TEXT", "why it is reopened", CLI_OPT_REQUIRED),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "open",
     .synopsis = "svcaudit cycle open ID --from YYYY-MM-DD --to YYYY-MM-DD",
     .opts = open_opts, .min_args = 1, .max_args = 1, .args = "one cycle ID", .run = run_open},
    {.name = "list", .synopsis = "svcaudit cycle list [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "status",
     .synopsis = "svcaudit cycle status ID [--region R] [--store S] [--metric M]\n"
                 "                                [--format table|csv|json] [--fail-on-missed]",
     .opts = status_opts, .min_args = 1, .max_args = 1, .args = "one cycle ID",
     .run = run_status},
    {.name = "reason", .synopsis = "svcaudit cycle reason ID --store S --metric M --text TEXT",
     .opts = reason_opts, .min_args = 1, .max_args = 1, .args = "one cycle ID",
     .run = run_reason, .needs = CLI_NEED_CATALOG},
    {.name = "advance", .synopsis = "svcaudit cycle advance ID", .min_args = 1, .max_args = 1,
     .args = "one cycle ID", .run = run_advance},
    {.name = "close", .synopsis = "svcaudit cycle close ID [--due YYYY-MM-DD]",
     .opts = close_opts, .min_args = 1, .max_args = 1, .args = "one cycle ID",
     .run = run_close},
    {.name = "reopen", .synopsis = "svcaudit cycle reopen ID --reason TEXT", .opts = reopen_opts,
     .min_args = 1, .max_args = 1, .args = "one cycle ID", .run = run_reopen},
    {.name = "delete", .synopsis = "svcaudit cycle delete ID", .min_args = 1, .max_args = 1,
     .args = "one cycle ID", .run = run_delete},
};

const cli_command cmd_cycle = {subs, sizeof subs / sizeof *subs, ABOUT};

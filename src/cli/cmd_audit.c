/* svcaudit CLI: `svcaudit audit list|show|void`: the recorded audits. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "  list   one line per audit; void audits only with --all\n"
    "  show   every answer, the section and audit scores, the failed critical items\n"
    "  void   keep the audit but take it out of every figure (audits are never deleted)\n";

static int list(sva_db *db, const sva_audit_filter *f, cli_format fmt)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_audit *v;
    size_t n;
    if (sva_db_audit_list(db, f, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"id",      "date",    "cycle",  "region", "store",
                                      "employee", "checklist", "version", "auditor", "score",
                                      "failed",  "items",   "na",     "status"};
    cli_table t;
    table_init(&t, 14, hdr);
    t.numeric = (1u << 0) | (1u << 7) | (1u << 9) | (1u << 11) | (1u << 12);
    t.boolean = 1u << 10;
    t.nullable = 1u << 5;
    for (size_t i = 0; i < n; i++) {
        const sva_audit *a = &v[i];
        char id[24], ver[24], score[32], items[24], na[24];
        snprintf(id, sizeof id, "%lld", a->id);
        snprintf(ver, sizeof ver, "%ld", a->version);
        fmt_pct(score, sizeof score, a->scorable, a->pct);
        snprintf(items, sizeof items, "%ld", a->n_items);
        snprintf(na, sizeof na, "%ld", a->n_na);
        const char *row[] = {id,
                             a->date,
                             a->cycle,
                             a->region,
                             a->store,
                             a->employee ? a->employee : "",
                             a->checklist,
                             ver,
                             a->auditor,
                             score,
                             a->failed ? "FAILED" : "",
                             items,
                             na,
                             a->voided ? "void" : "ok"};
        table_row(&t, row);
    }
    table_print(&t, fmt, stdout);
    table_free(&t);
    sva_audits_free(v, n);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static void show_table(const sva_audit_detail *ad, const char *lang)
{
    const sva_audit *a = &ad->audit;
    const sva_checklist *cl = ad->cl;
    char pct[32], raw[32];
    fmt_pct(pct, sizeof pct, a->scorable, a->pct);
    fmt_pct(raw, sizeof raw, a->scorable, a->raw_pct);
    printf("audit %lld  %s  (uuid %s)\n", a->id, a->voided ? "VOID" : "", a->uuid);
    if (a->voided)
        printf("void: %s\n", cli_clean(a->void_reason));
    printf("checklist: %s version %ld  %s\n", cl->id, cl->version,
           cli_clean(sva_i18n_get(&cl->title, lang)));
    printf("cycle: %s   store: %s (%s)   employee: %s\n", a->cycle, a->store,
           *a->region ? cli_clean(a->region) : "no region", a->employee ? a->employee : "-");
    printf("auditor: %s   date: %s   recorded: %s\n", cli_clean(a->auditor), a->date,
           a->recorded_at);
    if (!a->scorable)
        printf("score: none (every item N/A)\n");
    else if (a->failed && cl->policy == SVA_POLICY_ZERO)
        printf("score: %s %%  FAILED (critical policy zero; %s %% before)\n", pct, raw);
    else
        printf("score: %s %%%s\n", pct, a->failed ? "  FAILED" : "");
    for (size_t s = 0; s < cl->n_sections; s++) {
        const sva_section_score *ss = &ad->score.sections[s];
        char sp[32];
        fmt_pct(sp, sizeof sp, ss->scorable, ss->pct);
        printf("\n[%s] %s: %s\n", cl->sections[s].id,
               cli_clean(sva_i18n_get(&cl->sections[s].title, lang)),
               ss->scorable ? sp : "N/A");
        for (size_t i = 0; i < cl->n_items; i++) {
            const sva_item *it = &cl->items[i];
            if (it->section != s)
                continue;
            const sva_answer *an = &ad->answers[i];
            const sva_item_score *is = &ad->score.items[i];
            char ans[32];
            sva_answer_format(it, an, ans, sizeof ans);
            printf("  %-4s %-28s %-5s", an->na ? "" : is->passed ? "ok" : "FAIL", it->id, ans);
            if (!an->na)
                printf(" %g/%g", is->points, is->max);
            printf("%s  %s\n", it->critical ? " CRITICAL" : "",
                   cli_clean(sva_i18n_get(&it->text, lang)));
            if (an->note && *an->note)
                printf("       note: %s\n", cli_clean(an->note));
            if (an->evidence && *an->evidence)
                printf("       evidence: %s\n", cli_clean(an->evidence));
        }
    }
    if (a->n_failed_critical) {
        printf("\nfailed critical items:\n");
        for (size_t i = 0; i < cl->n_items; i++)
            if (cl->items[i].critical && !ad->answers[i].na && !ad->score.items[i].passed)
                printf("  %s  %s\n", cl->items[i].id,
                       cli_clean(sva_i18n_get(&cl->items[i].text, lang)));
    }
}

static void show_json(const sva_audit_detail *ad, const char *lang)
{
    const sva_audit *a = &ad->audit;
    const sva_checklist *cl = ad->cl;
    char pct[32], raw[32];
    fmt_pct(pct, sizeof pct, a->scorable, a->pct);
    fmt_pct(raw, sizeof raw, a->scorable, a->raw_pct);
    cli_json j;
    json_init(&j, stdout);
    json_object(&j);
    json_kint(&j, "id", a->id);
    json_kstring(&j, "uuid", a->uuid);
    json_kstring(&j, "checklist", cl->id);
    json_kint(&j, "version", cl->version);
    json_kstring(&j, "hash", a->hash);
    json_kstring(&j, "cycle", a->cycle);
    json_kstring(&j, "store", a->store);
    json_kstring(&j, "region", a->region);
    json_kstring(&j, "employee", a->employee);
    json_kstring(&j, "auditor", a->auditor);
    json_kstring(&j, "date", a->date);
    json_kstring(&j, "recorded_at", a->recorded_at);
    json_knumber(&j, "score", pct);
    json_knumber(&j, "raw_score", raw);
    json_kbool(&j, "failed", a->failed);
    json_kbool(&j, "void", a->voided);
    json_break(&j, "\n ");
    json_key(&j, "sections");
    json_array(&j);
    for (size_t s = 0; s < cl->n_sections; s++) {
        const sva_section_score *ss = &ad->score.sections[s];
        char sp[32];
        fmt_pct(sp, sizeof sp, ss->scorable, ss->pct);
        json_object(&j);
        json_kstring(&j, "id", cl->sections[s].id);
        json_knumber(&j, "score", sp);
        json_end(&j);
    }
    json_end(&j);
    json_break(&j, "\n ");
    json_key(&j, "answers");
    json_array(&j);
    json_layout(&j, "\n  ", "\n", true);
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        const sva_answer *an = &ad->answers[i];
        const sva_item_score *is = &ad->score.items[i];
        char ans[32];
        sva_answer_format(it, an, ans, sizeof ans);
        json_object(&j);
        json_kstring(&j, "item", it->id);
        json_kstring(&j, "section", cl->sections[it->section].id);
        json_kstring(&j, "text", sva_i18n_get(&it->text, lang));
        json_kstring(&j, "answer", ans);
        json_kreal(&j, "points", is->points);
        json_kreal(&j, "max", is->max);
        json_key(&j, "passed");
        if (an->na)
            json_null(&j);
        else
            json_bool(&j, is->passed);
        json_kbool(&j, "critical", it->critical);
        json_kstring(&j, "note", an->note ? an->note : "");
        json_kstring(&j, "evidence", an->evidence ? an->evidence : "");
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    json_finish(&j);
}

/* ---- the subcommands ---- */

static sva_audit_filter filter;
static const char *reason, *lang;
static int format = CLI_TABLE;
static long long id;

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return list(c->db, &filter, (cli_format)format);
}

static int run_show(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_audit_detail *ad;
    int rc = EXIT_OKAY;
    if (sva_db_audit_get(c->db, id, &ad, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        if (format == CLI_JSON)
            show_json(ad, lang);
        else
            show_table(ad, lang);
        sva_audit_detail_free(ad);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_void(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_audit_void(c->db, id, reason, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("audit %lld is void; it no longer counts in any figure\n", id);
    }
    sva_diag_clear(&d);
    return rc;
}

static const cli_opt list_opts[] = {
    OPT_STRING(0, "cycle", &filter.cycle, "ID", "only this cycle", 0),
    OPT_STRING(0, "store", &filter.store, "S", "only this store", 0),
    OPT_STRING(0, "region", &filter.region, "R", "only this region", 0),
    OPT_STRING(0, "employee", &filter.employee, "E", "only this employee", 0),
    OPT_STRING(0, "checklist", &filter.checklist, "C", "only this checklist", 0),
    OPT_STRING(0, "auditor", &filter.auditor, "A", "only this auditor", 0),
    OPT_FLAG(0, "all", &filter.include_voided, "void audits too"),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt show_opts[] = {
    OPT_STRING_CHECK("lang", &lang, "LANG", "checklist texts in this language", 0,
                     cli_check_lang),
    OPT_ENUM("format", &format, cli_formats_show, "output format (default table)"),
    OPT_END(),
};
static const cli_opt void_opts[] = {
    OPT_STRING(0, "reason", &reason, "TEXT", "why the audit does not count", CLI_OPT_REQUIRED),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "list",
     .synopsis = "svcaudit audit list [--cycle ID] [--store S] [--region R] [--employee E]\n"
                 "                           [--checklist C] [--auditor A] [--all]\n"
                 "                           [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "show", .synopsis = "svcaudit audit show ID [--lang LANG] [--format table|json]",
     .opts = show_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .run = run_show},
    {.name = "void", .synopsis = "svcaudit audit void ID --reason TEXT", .opts = void_opts,
     .min_args = 1, .max_args = 1, .args = "one audit number", .id_arg = &id,
     .id_what = "an audit number", .run = run_void},
};

const cli_command cmd_audit = {subs, sizeof subs / sizeof *subs, ABOUT};

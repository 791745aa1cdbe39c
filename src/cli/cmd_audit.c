/* svcaudit CLI: `svcaudit audit list|show|void`: the recorded audits. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "  list    one line per audit; void audits only with --all\n"
    "  show    every answer, the section and audit scores, the failed critical items;\n"
    "          --history: every revision and every change, with who, when and why\n"
    "  void    keep the audit but take it out of every figure (audits are never deleted)\n"
    "  unvoid  it counts again (the void stays in its history)\n"
    "  sheet   the audit as a filled answer sheet, to correct and amend from\n"
    "  amend   a new revision: answers, notes, evidence, date or employee corrected,\n"
    "          scored with the checklist version it was recorded with; the revision\n"
    "          it replaces is kept; every figure uses the latest\n"
    "  appeal  the store disputes the audit; an open appeal blocks closing the cycle\n"
    "  resolve --upheld (the audit was corrected: amend or void it first) or\n"
    "          --rejected (it stands), with a note; by whom: --by\n"
    "A closed cycle's audits take none of these (reopen the cycle first).\n";

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
        printf("void: %s (%s%s%s)\n", cli_clean(a->void_reason), a->voided_at,
               a->voided_by && *a->voided_by ? " by " : "",
               a->voided_by ? cli_clean(a->voided_by) : "");
    if (a->revision > 1)
        printf("revision %ld: amended %s by %s: %s\n", a->revision,
               a->revised_at ? a->revised_at : "", cli_clean(a->revised_by),
               cli_clean(a->revision_reason));
    if (a->open_appeals)
        printf("APPEALED: an appeal is open (svcaudit audit resolve %lld)\n", a->id);
    printf("checklist: %s version %ld  %s\n", cl->id, cl->version,
           cli_clean(sva_i18n_get(&cl->title, lang)));
    printf("cycle: %s   store: %s (%s)   employee: %s\n", a->cycle, a->store,
           *a->region ? cli_clean(a->region) : "no region", a->employee ? a->employee : "-");
    printf("auditor: %s   date: %s   recorded: %s%s%s\n", cli_clean(a->auditor), a->date,
           a->recorded_at, a->recorded_by && *a->recorded_by ? " by " : "",
           a->recorded_by ? cli_clean(a->recorded_by) : "");
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

/* The audit's revisions and its lines of the change log, for --history. */
typedef struct audit_history {
    sva_audit_revision *rev;
    size_t n_rev;
    sva_change *log;
    size_t n_log;
} audit_history;

static void appeals_json(cli_json *j, const sva_appeal *p, size_t n)
{
    json_break(j, "\n ");
    json_key(j, "appeals");
    json_array(j);
    for (size_t i = 0; i < n; i++) {
        json_object(j);
        json_kint(j, "appeal", p[i].id);
        json_kstring(j, "opened_at", p[i].opened_at);
        json_kstring(j, "opened_by", p[i].opened_by);
        json_kstring(j, "reason", p[i].reason);
        json_kint(j, "revision", p[i].revision);
        json_kstring(j, "outcome", sva_appeal_outcome_name(p[i].outcome));
        json_kstring(j, "resolved_at", p[i].resolved_at);
        json_kstring(j, "resolved_by", p[i].resolved_by);
        json_kstring(j, "note", p[i].note);
        json_end(j);
    }
    json_end(j);
}

static void appeals_table(const sva_appeal *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("appeal %lld: opened %s by %s: %s\n", p[i].id, p[i].opened_at,
               cli_clean(p[i].opened_by), cli_clean(p[i].reason));
        if (p[i].outcome == SVA_APPEAL_OPEN)
            printf("  OPEN: not resolved yet\n");
        else
            printf("  %s %s by %s: %s\n", p[i].outcome == SVA_APPEAL_UPHELD ? "UPHELD" : "REJECTED",
                   p[i].resolved_at, cli_clean(p[i].resolved_by), cli_clean(p[i].note));
    }
}

static void history_json(cli_json *j, const audit_history *h)
{
    json_break(j, "\n ");
    json_key(j, "revisions");
    json_array(j);
    for (size_t i = 0; i < h->n_rev; i++) {
        const sva_audit_revision *r = &h->rev[i];
        char pct[32], chg[32];
        fmt_pct(pct, sizeof pct, r->scorable, r->pct);
        fmt_pct(chg, sizeof chg, r->has_change, r->change);
        json_object(j);
        json_kint(j, "revision", r->revision);
        json_kstring(j, "at", r->made_at);
        json_kstring(j, "by", r->made_by);
        json_kstring(j, "reason", r->reason);
        json_kstring(j, "date", r->date);
        json_kstring(j, "employee", r->employee);
        json_knumber(j, "score", pct);
        json_knumber(j, "change", chg);
        json_kbool(j, "failed", r->failed);
        json_end(j);
    }
    json_end(j);
    json_break(j, "\n ");
    json_key(j, "events");
    json_array(j);
    for (size_t i = 0; i < h->n_log; i++) {
        json_object(j);
        json_kstring(j, "at", h->log[i].at);
        json_kstring(j, "by", h->log[i].actor);
        json_kstring(j, "what", h->log[i].what);
        json_kstring(j, "detail", h->log[i].detail);
        json_end(j);
    }
    json_end(j);
}

static void history_table(const audit_history *h)
{
    static const char *const hdr[] = {"revision", "at", "by", "date", "employee",
                                      "score",    "change", "why"};
    cli_table t;
    table_init(&t, 8, hdr);
    for (size_t i = 0; i < h->n_rev; i++) {
        const sva_audit_revision *r = &h->rev[i];
        char rev[24], pct[32], chg[32];
        snprintf(rev, sizeof rev, "%ld", r->revision);
        fmt_pct(pct, sizeof pct, r->scorable, r->pct);
        if (r->has_change)
            snprintf(chg, sizeof chg, "%+.1f", r->change + 0.0);
        else
            chg[0] = '\0';
        const char *row[] = {rev,   r->made_at, *r->made_by ? r->made_by : "-",
                             r->date, r->employee ? r->employee : "",
                             pct,   chg,        r->reason ? r->reason : "recorded"};
        table_row(&t, row);
    }
    printf("\nrevisions:\n");
    table_print(&t, CLI_TABLE, stdout);
    table_free(&t);
    printf("\nchanges (svcaudit log):\n");
    for (size_t i = 0; i < h->n_log; i++)
        printf("  %s  %s  %s: %s\n", h->log[i].at, cli_clean(h->log[i].actor), h->log[i].what,
               cli_clean(h->log[i].detail));
}

static void show_json(const sva_audit_detail *ad, const char *lang, const audit_history *h,
                      const sva_appeal *appeals, size_t n_appeals)
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
    json_kstring(&j, "recorded_by", a->recorded_by);
    json_kint(&j, "revision", a->revision);
    json_kstring(&j, "revised_at", a->revised_at);
    json_kstring(&j, "revised_by", a->revised_by);
    json_kstring(&j, "revision_reason", a->revision_reason);
    json_kstring(&j, "voided_at", a->voided_at);
    json_kstring(&j, "voided_by", a->voided_by);
    json_kstring(&j, "void_reason", a->void_reason);
    json_kint(&j, "open_appeals", a->open_appeals);
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
    appeals_json(&j, appeals, n_appeals);
    if (h)
        history_json(&j, h);
    json_end(&j);
    json_finish(&j);
}

/* ---- the subcommands ---- */

#define MAX_CHANGES 256

static sva_audit_filter filter;
static const char *reason, *lang, *answers, *date, *employee, *out_file;
static int format = CLI_TABLE, sheet_format = -1;
static long long id;
static bool history;
static sva_kv sets[MAX_CHANGES], notes[MAX_CHANGES];
static size_t n_sets, n_notes;

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    /* an unknown name in a filter is a mistake, not an empty list; a checklist
     * no audit used yet is known when the checklists folder has it */
    const char *cl = filter.checklist;
    if (cl) {
        sva_catalog *cat = cli_catalog(NULL, true);
        if (cat && sva_catalog_find(cat, cl))
            cl = NULL;
        sva_catalog_free(cat);
    }
    const cli_ref refs[] = {{SVA_REF_CYCLE, "--cycle", filter.cycle},
                            {SVA_REF_STORE, "--store", filter.store},
                            {SVA_REF_REGION, "--region", filter.region},
                            {SVA_REF_EMPLOYEE, "--employee", filter.employee},
                            {SVA_REF_CHECKLIST, "--checklist", cl},
                            {SVA_REF_AUDITOR, "--auditor", filter.auditor},
                            {0, NULL, NULL}};
    int rc = cli_check_refs(c->db, refs);
    return rc ? rc : list(c->db, &filter, (cli_format)format);
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
        audit_history h = {0};
        char obj[48];
        snprintf(obj, sizeof obj, "audit %lld", id);
        sva_change_filter f = {.object = obj};
        sva_appeal *ap = NULL;
        size_t nap = 0;
        if (sva_db_audit_appeals(c->db, id, &ap, &nap, &d) ||
            (history && (sva_db_audit_revisions(c->db, id, &h.rev, &h.n_rev, &d) ||
                         sva_db_log_list(c->db, &f, &h.log, &h.n_log, &d)))) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            sva_analysis_revisions(h.rev, h.n_rev);
            if (format == CLI_JSON) {
                show_json(ad, lang, history ? &h : NULL, ap, nap);
            } else {
                show_table(ad, lang);
                if (nap)
                    printf("\n");
                appeals_table(ap, nap);
                if (history)
                    history_table(&h);
            }
        }
        sva_appeals_free(ap, nap);
        sva_audit_revisions_free(h.rev, h.n_rev);
        sva_changes_free(h.log, h.n_log);
        sva_audit_detail_free(ad);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_unvoid(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_audit_unvoid(c->db, id, reason, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("audit %lld counts again\n", id);
    }
    sva_diag_clear(&d);
    return rc;
}

static int check_amend(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (answers && (n_sets || n_notes))
        return cli_usage_error(c->name, "give --answers or --set/--note, not both");
    if (!answers && !n_sets && !n_notes && !date && !employee)
        return cli_usage_error(c->name,
                               "nothing to amend: give --answers SHEET, --set ITEM=ANSWER, "
                               "--note ITEM=TEXT, --date or --employee");
    return EXIT_OKAY;
}

/* The audit as it stands, with what the sheet or the flags change, prepared
 * (validated and scored with its own checklist version) by the audit module. */
static sva_error amend_prepare(const sva_audit_detail *ad, const char *data, size_t len,
                               sva_sheet **sheet, const sva_audit_ready **ready, sva_diag *d)
{
    const sva_audit *a = &ad->audit;
    sva_audit_header flags = {.employee = employee, .date = date}, h;
    if (data) {
        sva_error rc = sva_sheet_read(answers, data, len, sheet, d);
        if (!*sheet)
            return rc;
        if (sva_sheet_bind(*sheet, ad->cl, d) && !(*sheet)->cl)
            return SVA_ERR_INVALID;
        sva_audit_header_merge(&h, &flags, &(*sheet)->header, answers);
    } else {
        sva_audit_header_merge(&h, &flags, NULL, NULL);
    }
    /* what neither gives stays as it is */
    if (!h.cycle)
        h.cycle = a->cycle;
    if (!h.store)
        h.store = a->store;
    if (!h.auditor)
        h.auditor = a->auditor;
    if (!h.employee)
        h.employee = a->employee;
    if (!h.date)
        h.date = a->date;
    else if (strcmp(h.date, a->date) != 0 && sva_audit_check_when(&h, d))
        return SVA_ERR_INVALID; /* a new date: not after today */
    if (data)
        return sva_audit_prepare_sheet(&h, *sheet, ready, d);
    sva_answer_change ch[2 * MAX_CHANGES];
    size_t n = 0;
    for (size_t i = 0; i < n_sets; i++)
        ch[n++] = (sva_answer_change){sets[i].key, sets[i].value, false};
    for (size_t i = 0; i < n_notes; i++)
        ch[n++] = (sva_answer_change){notes[i].key, notes[i].value, true};
    sva_error rc = sva_audit_change_answers(ad->cl, ad->answers, ch, n, d);
    if (rc)
        return rc;
    return sva_audit_prepare(ad->cl, &h, ad->answers, ready, d);
}

static int run_amend(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_DATA;
    sva_audit_detail *ad = NULL;
    sva_sheet *sheet = NULL;
    const sva_audit_ready *ready = NULL;
    char *data = NULL;
    size_t len = 0;
    if (answers && sva_file_read(answers, &data, &len, &d))
        goto done;
    if (sva_db_audit_get(c->db, id, &ad, &d))
        goto done;
    bool had = ad->audit.scorable;
    double was = ad->audit.pct;
    long rev = 0;
    if (amend_prepare(ad, data, len, &sheet, &ready, &d) ||
        sva_db_audit_amend(c->db, id, ready, reason, &rev, &d))
        goto done;
    char before[32], after[32];
    fmt_pct(before, sizeof before, had, was);
    fmt_pct(after, sizeof after, ready->score.scorable, ready->score.pct);
    printf("audit %lld amended: revision %ld, %s %% -> %s %%%s\n", id, rev,
           had ? before : "no score", ready->score.scorable ? after : "no score",
           ready->score.failed ? "  FAILED (a critical item failed)" : "");
    rc = EXIT_OKAY;
done:
    if (rc)
        cli_print_diag(&d);
    free(data);
    sva_audit_ready_free(ready);
    sva_sheet_free(sheet);
    sva_audit_detail_free(ad);
    sva_diag_clear(&d);
    return rc;
}

static bool upheld, rejected;
static const char *note;

static int run_appeal(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_audit_appeal(c->db, id, reason, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("audit %lld is appealed; its cycle cannot close until 'svcaudit audit resolve %lld "
               "--upheld|--rejected --note TEXT'\n",
               id, id);
    }
    sva_diag_clear(&d);
    return rc;
}

static int check_resolve(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (upheld == rejected)
        return cli_usage_error(c->name, "give --upheld or --rejected (one of them)");
    return EXIT_OKAY;
}

static int run_resolve(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    sva_appeal_outcome o = upheld ? SVA_APPEAL_UPHELD : SVA_APPEAL_REJECTED;
    if (sva_db_audit_resolve(c->db, id, o, note, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("the appeal of audit %lld is %s\n", id, sva_appeal_outcome_name(o));
    }
    sva_diag_clear(&d);
    return rc;
}

static const cli_choice sheet_formats[] = {{"ini", SVA_SHEET_INI}, {"csv", SVA_SHEET_CSV},
                                           {NULL, 0}};

static int run_sheet(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_DATA;
    sva_audit_detail *ad = NULL;
    char *text = NULL;
    if (sva_db_audit_get(c->db, id, &ad, &d))
        goto done;
    const sva_audit *a = &ad->audit;
    sva_sheet_format fmt = SVA_SHEET_INI;
    if (sheet_format >= 0)
        fmt = (sva_sheet_format)sheet_format;
    else if (strlen(out_file) > 4 && strcmp(out_file + strlen(out_file) - 4, ".csv") == 0)
        fmt = SVA_SHEET_CSV;
    sva_sheet_header h = {.checklist = (char *)ad->cl->id,
                          .version = ad->cl->version,
                          .store = a->store,
                          .employee = a->employee,
                          .cycle = a->cycle,
                          .auditor = a->auditor,
                          .date = a->date};
    if (sva_sheet_write(ad->cl, fmt, lang, &h, ad->answers, &text)) {
        cli_error("out of memory");
        goto done;
    }
    if (sva_file_replace(out_file, text, strlen(text), &d))
        goto done;
    printf("audit %lld (revision %ld) written to %s: edit it, then 'svcaudit audit amend %lld "
           "--answers %s --reason TEXT'\n",
           id, a->revision, out_file, id, out_file);
    rc = EXIT_OKAY;
done:
    if (rc)
        cli_print_diag(&d);
    free(text);
    sva_audit_detail_free(ad);
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
    OPT_FLAG(0, "appealed", &filter.appealed, "only audits with an open appeal (void ones too)"),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt show_opts[] = {
    OPT_STRING_CHECK("lang", &lang, "LANG", "checklist texts in this language", 0,
                     cli_check_lang),
    OPT_ENUM("format", &format, cli_formats_show, "output format (default table)"),
    OPT_FLAG(0, "history", &history, "every revision (who, when, why, the score change) "
                                     "and every change to it"),
    OPT_END(),
};
static const cli_opt unvoid_opts[] = {
    OPT_STRING(0, "reason", &reason, "TEXT", "why it counts again", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt amend_opts[] = {
    OPT_STRING(0, "answers", &answers, "SHEET", "the corrected answer sheet (from 'audit sheet')",
               CLI_OPT_NONEMPTY),
    OPT_SET("set", sets, &n_sets, MAX_CHANGES, "ITEM=ANSWER", "change one answer"),
    OPT_SET("note", notes, &n_notes, MAX_CHANGES, "ITEM=TEXT", "change one item's note"),
    OPT_DATE("date", &date, "the audit's date", 0),
    OPT_STRING(0, "employee", &employee, "E", "the employee audited", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "reason", &reason, "TEXT", "why it is amended", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt appeal_opts[] = {
    OPT_STRING(0, "reason", &reason, "TEXT", "what the store disputes", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt resolve_opts[] = {
    OPT_FLAG(0, "upheld", &upheld, "the store was right: the audit was amended or voided"),
    OPT_FLAG(0, "rejected", &rejected, "the audit stands"),
    OPT_STRING(0, "note", &note, "TEXT", "how it was decided", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt sheet_opts[] = {
    {.type = CLI_OPT_STRING, .short_name = 'o', .long_name = "output", .value = &out_file,
     .argh = "FILE", .help = "the sheet to write", .flags = CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY},
    OPT_ENUM("format", &sheet_format, sheet_formats, "ini or csv (default: by FILE's name)"),
    OPT_STRING_CHECK("lang", &lang, "LANG", "checklist texts in this language", 0,
                     cli_check_lang),
    OPT_END(),
};
static const cli_opt void_opts[] = {
    OPT_STRING(0, "reason", &reason, "TEXT", "why the audit does not count", CLI_OPT_REQUIRED),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "list",
     .synopsis = "svcaudit audit list [--cycle ID] [--store S] [--region R] [--employee E]\n"
                 "                           [--checklist C] [--auditor A] [--all] [--appealed]\n"
                 "                           [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "show",
     .synopsis = "svcaudit audit show ID [--history] [--lang LANG] [--format table|json]",
     .opts = show_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .run = run_show},
    {.name = "void", .synopsis = "svcaudit audit void ID --reason TEXT", .opts = void_opts,
     .min_args = 1, .max_args = 1, .args = "one audit number", .id_arg = &id,
     .id_what = "an audit number", .run = run_void},
    {.name = "unvoid", .synopsis = "svcaudit audit unvoid ID --reason TEXT", .opts = unvoid_opts,
     .min_args = 1, .max_args = 1, .args = "one audit number", .id_arg = &id,
     .id_what = "an audit number", .run = run_unvoid},
    {.name = "amend",
     .synopsis = "svcaudit audit amend ID (--answers SHEET | --set ITEM=ANSWER... "
                 "[--note ITEM=TEXT]...)\n"
                 "                            [--date DATE] [--employee E] --reason TEXT",
     .opts = amend_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .check = check_amend, .run = run_amend},
    {.name = "appeal", .synopsis = "svcaudit audit appeal ID --reason TEXT [--by NAME]",
     .opts = appeal_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .run = run_appeal},
    {.name = "resolve",
     .synopsis = "svcaudit audit resolve ID --upheld|--rejected --note TEXT [--by NAME]",
     .opts = resolve_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .check = check_resolve, .run = run_resolve},
    {.name = "sheet",
     .synopsis = "svcaudit audit sheet ID -o FILE [--format ini|csv] [--lang LANG]",
     .opts = sheet_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .run = run_sheet},
};

const cli_command cmd_audit = {subs, sizeof subs / sizeof *subs, ABOUT};

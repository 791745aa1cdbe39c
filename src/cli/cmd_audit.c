/* svcaudit CLI: `svcaudit audit list|show|void`: the recorded audits. */
#include "cli.h"
#include "commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: svcaudit audit list [--cycle ID] [--store S] [--region R] [--employee E]\n"
    "                           [--checklist C] [--auditor A] [--all]\n"
    "                           [--format table|csv|json]\n"
    "       svcaudit audit show ID [--lang LANG] [--format table|json]\n"
    "       svcaudit audit void ID --reason TEXT\n"
    "\n"
    "  list   one line per audit; void audits only with --all\n"
    "  show   every answer, the section and audit scores, the failed critical items\n"
    "  void   keep the audit but take it out of every figure (audits are never deleted)\n";

static bool parse_id(const char *s, long long *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0 || errno == ERANGE)
        return false;
    *id = v;
    return true;
}

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
        printf("void: %s\n", a->void_reason ? a->void_reason : "");
    printf("checklist: %s version %ld  %s\n", cl->id, cl->version,
           sva_i18n_get(&cl->title, lang));
    printf("cycle: %s   store: %s (%s)   employee: %s\n", a->cycle, a->store,
           *a->region ? a->region : "no region", a->employee ? a->employee : "-");
    printf("auditor: %s   date: %s   recorded: %s\n", a->auditor, a->date, a->recorded_at);
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
        printf("\n[%s] %s: %s\n", cl->sections[s].id, sva_i18n_get(&cl->sections[s].title, lang),
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
            printf("%s  %s\n", it->critical ? " CRITICAL" : "", sva_i18n_get(&it->text, lang));
            if (an->note && *an->note)
                printf("       note: %s\n", an->note);
            if (an->evidence && *an->evidence)
                printf("       evidence: %s\n", an->evidence);
        }
    }
    if (a->n_failed_critical) {
        printf("\nfailed critical items:\n");
        for (size_t i = 0; i < cl->n_items; i++)
            if (cl->items[i].critical && !ad->answers[i].na && !ad->score.items[i].passed)
                printf("  %s  %s\n", cl->items[i].id, sva_i18n_get(&cl->items[i].text, lang));
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

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"cycle", required_argument, NULL, 'c'},
                                         {"store", required_argument, NULL, 's'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"employee", required_argument, NULL, 'e'},
                                         {"checklist", required_argument, NULL, 'k'},
                                         {"auditor", required_argument, NULL, 'a'},
                                         {"all", no_argument, NULL, 'A'},
                                         {"reason", required_argument, NULL, 'R'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    sva_audit_filter f = {0};
    const char *reason = NULL, *lang = NULL, *format = NULL;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'c': f.cycle = optarg; break;
        case 's': f.store = optarg; break;
        case 'r': f.region = optarg; break;
        case 'e': f.employee = optarg; break;
        case 'k': f.checklist = optarg; break;
        case 'a': f.auditor = optarg; break;
        case 'A': f.include_voided = true; break;
        case 'R': reason = optarg; break;
        case 'l': lang = optarg; break;
        case 'f': format = optarg; break;
        default:
            return cli_usage_error("audit", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("audit", "missing subcommand (list, show, void)");
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    long long id = 0;
    if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("audit", "list takes no arguments");
    } else if (strcmp(sub, "show") == 0 || strcmp(sub, "void") == 0) {
        if (npos != 1)
            return cli_usage_error("audit", "%s takes one audit number", sub);
        if (!parse_id(pos[0], &id))
            return cli_usage_error("audit", "%s: '%s' is not an audit number", sub, pos[0]);
        if (strcmp(sub, "void") == 0 && !reason)
            return cli_usage_error("audit", "void needs --reason TEXT");
        if (strcmp(sub, "show") == 0 && fmt == CLI_CSV)
            return cli_usage_error("audit", "--format: show prints table or json");
    } else {
        return cli_usage_error("audit", "unknown subcommand '%s'", sub);
    }
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    int status = EXIT_OKAY;
    sva_diag d;
    sva_diag_init(&d);
    if (strcmp(sub, "list") == 0) {
        status = list(db, &f, fmt);
    } else if (strcmp(sub, "show") == 0) {
        sva_audit_detail *ad;
        if (sva_db_audit_get(db, id, &ad, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            if (fmt == CLI_JSON)
                show_json(ad, lang);
            else
                show_table(ad, lang);
            sva_audit_detail_free(ad);
        }
    } else {
        if (sva_db_audit_void(db, id, reason, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("audit %lld is void; it no longer counts in any figure\n", id);
        }
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

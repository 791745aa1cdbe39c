/* svcaudit CLI: `svcaudit checklist list|show|lint|template`: what is checked
 * and how it is scored. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: svcaudit checklist list [--format table|csv|json]\n"
    "       svcaudit checklist show ID [--lang LANG] [--format table|json]\n"
    "       svcaudit checklist lint FILE...\n"
    "       svcaudit checklist template ID [--format ini|csv] [--lang LANG] [-o FILE]\n"
    "\n"
    "  list      every checklist and form found: id, version, title, subject, index, items\n"
    "  show      sections and items with text, scale, weight, N/A, critical, evidence\n"
    "  lint      check files against the checklist format; every problem as file:line\n"
    "            (exit 1 if any)\n"
    "  template  an empty answer sheet to fill in offline, for 'svcaudit record --answers'\n"
    "\n"
    "Checklists are looked for in --checklists DIR, $SVCAUDIT_CHECKLISTS (DIR:DIR...),\n"
    "./checklists (when neither is given), then the installed share folder.\n";

static int list(cli_format fmt)
{
    size_t broken = 0;
    sva_catalog *cat = cli_catalog(&broken);
    if (!cat)
        return EXIT_DATA;
    static const char *const hdr[] = {"id", "version", "kind", "title", "subject", "index",
                                      "items", "file"};
    cli_table t;
    table_init(&t, 8, hdr);
    t.numeric = (1u << 1) | (1u << 6);
    for (size_t i = 0; i < cat->n_checklists; i++) {
        const sva_checklist *cl = cat->checklists[i];
        char ver[24], n[24];
        snprintf(ver, sizeof ver, "%ld", cl->version);
        snprintf(n, sizeof n, "%zu", cl->n_items);
        const char *row[] = {cl->id, ver, "checklist", sva_i18n_get(&cl->title, NULL),
                             sva_subject_name(cl->subject), sva_index_name(cl->index), n,
                             cl->path};
        table_row(&t, row);
    }
    for (size_t i = 0; i < cat->n_forms; i++) {
        const sva_form *f = cat->forms[i];
        char ver[24], n[24];
        snprintf(ver, sizeof ver, "%ld", f->version);
        snprintf(n, sizeof n, "%zu", f->n_fields);
        const char *row[] = {f->id, ver, "form", sva_i18n_get(&f->title, NULL), "-", "-", n,
                             f->path};
        table_row(&t, row);
    }
    table_print(&t, fmt, stdout);
    table_free(&t);
    if (cat->n_checklists + cat->n_forms == 0 && fmt == CLI_TABLE)
        cli_error("no checklists found (looked in --checklists, $SVCAUDIT_CHECKLISTS, "
                  "./checklists and the installed folder)");
    sva_catalog_free(cat);
    if (broken) {
        cli_error("%zu checklist file%s could not be loaded; run 'svcaudit checklist lint' on "
                  "%s",
                  broken, broken == 1 ? "" : "s", broken == 1 ? "it" : "them");
        return EXIT_FOUND;
    }
    return EXIT_OKAY;
}

static void show_json(const sva_checklist *cl, const char *lang)
{
    char sc[32];
    cli_json j;
    json_init(&j, stdout);
    json_object(&j);
    json_kstring(&j, "id", cl->id);
    json_kint(&j, "version", cl->version);
    json_kstring(&j, "title", sva_i18n_get(&cl->title, lang));
    json_kstring(&j, "subject", sva_subject_name(cl->subject));
    json_kstring(&j, "index", sva_index_name(cl->index));
    sva_scale_name(cl->scale, sc, sizeof sc);
    json_kstring(&j, "scale", sc);
    json_kstring(&j, "critical_policy", sva_policy_name(cl->policy));
    json_kstring(&j, "hash", cl->hash);
    json_break(&j, "\n ");
    json_key(&j, "sections");
    json_array(&j);
    json_layout(&j, "\n  ", "\n", true);
    for (size_t s = 0; s < cl->n_sections; s++) {
        const sva_section *sec = &cl->sections[s];
        json_object(&j);
        json_kstring(&j, "id", sec->id);
        json_kstring(&j, "title", sva_i18n_get(&sec->title, lang));
        json_key(&j, "weight");
        if (sec->has_weight)
            json_real(&j, sec->weight);
        else
            json_null(&j);
        json_key(&j, "items");
        json_array(&j);
        json_layout(&j, "\n   ", NULL, false);
        for (size_t i = 0; i < cl->n_items; i++) {
            const sva_item *it = &cl->items[i];
            if (it->section != s)
                continue;
            json_object(&j);
            json_kstring(&j, "id", it->id);
            json_kstring(&j, "text", sva_i18n_get(&it->text, lang));
            json_kstring(&j, "guide", sva_i18n_get(&it->guide, lang));
            sva_scale_name(it->scale, sc, sizeof sc);
            json_kstring(&j, "scale", sc);
            json_kint(&j, "max", it->scale.max);
            json_kreal(&j, "weight", it->weight);
            json_kbool(&j, "na", it->na);
            json_kbool(&j, "critical", it->critical);
            json_kstring(&j, "evidence", sva_evidence_name(it->evidence));
            json_end(&j);
        }
        json_end(&j);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    json_finish(&j);
}

static void show_table(const sva_checklist *cl, const char *lang)
{
    char sc[32];
    sva_scale_name(cl->scale, sc, sizeof sc);
    printf("%s  %s (version %ld)\n", cl->id, sva_i18n_get(&cl->title, lang), cl->version);
    const char *desc = sva_i18n_get(&cl->description, lang);
    if (*desc)
        printf("%s\n", desc);
    printf("subject: %s   index: %s   default scale: %s   critical policy: %s\n",
           sva_subject_name(cl->subject), sva_index_name(cl->index), sc,
           sva_policy_name(cl->policy));
    printf("items: %zu   file: %s\nsha256: %s\n", cl->n_items, cl->path, cl->hash);
    for (size_t s = 0; s < cl->n_sections; s++) {
        const sva_section *sec = &cl->sections[s];
        printf("\n[%s] %s", sec->id, sva_i18n_get(&sec->title, lang));
        if (sec->has_weight)
            printf("  (section weight %g)", sec->weight);
        printf("\n");
        for (size_t i = 0; i < cl->n_items; i++) {
            const sva_item *it = &cl->items[i];
            if (it->section != s)
                continue;
            sva_scale_name(it->scale, sc, sizeof sc);
            printf("  %-28s %s\n", it->id, sva_i18n_get(&it->text, lang));
            printf("  %-28s scale %s, weight %g%s%s", "", sc, it->weight,
                   it->na ? ", N/A allowed" : "", it->critical ? ", CRITICAL" : "");
            if (it->evidence != SVA_EVIDENCE_NONE)
                printf(", note %s", it->evidence == SVA_EVIDENCE_ALWAYS ? "always required"
                                                                        : "required on fail");
            printf("\n");
            const char *g = sva_i18n_get(&it->guide, lang);
            if (*g)
                printf("  %-28s guide: %s\n", "", g);
        }
    }
}

static int show(const char *id, const char *lang, cli_format fmt)
{
    sva_catalog *cat = cli_catalog(NULL);
    if (!cat)
        return EXIT_DATA;
    const sva_checklist *cl = sva_catalog_find(cat, id);
    int rc = EXIT_OKAY;
    if (!cl) {
        cli_unknown_checklist(id, NULL);
        rc = EXIT_DATA;
    } else if (fmt == CLI_JSON) {
        show_json(cl, lang);
    } else {
        show_table(cl, lang);
    }
    sva_catalog_free(cat);
    return rc;
}

static int lint(int n, char **files)
{
    size_t problems = 0, bad_files = 0;
    for (int i = 0; i < n; i++) {
        sva_diag d;
        sva_diag_init(&d);
        size_t k = sva_lint_file(files[i], &d);
        cli_print_diag(&d);
        sva_diag_clear(&d);
        problems += k;
        bad_files += k > 0;
    }
    if (problems) {
        /* the problems are on stderr, one line each; the tally is a result */
        printf("%zu problem%s in %zu of %d file%s\n", problems, problems == 1 ? "" : "s",
               bad_files, n, n == 1 ? "" : "s");
        return EXIT_FOUND;
    }
    printf("%d file%s ok\n", n, n == 1 ? "" : "s");
    return EXIT_OKAY;
}

static int write_text_file(const char *path, const char *text)
{
    if (!path || strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return EXIT_OKAY;
    }
    char *tmp = malloc(strlen(path) + 16);
    if (!tmp)
        return EXIT_DATA;
    sprintf(tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        cli_error("-o: cannot write '%s'", path);
        free(tmp);
        return EXIT_DATA;
    }
    fputs(text, f);
    int bad = ferror(f) | (fclose(f) != 0);
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        cli_error("-o: cannot write '%s'", path);
        free(tmp);
        return EXIT_DATA;
    }
    free(tmp);
    return EXIT_OKAY;
}

static int template(const char *id, const char *fmt, const char *lang, const char *out)
{
    sva_sheet_format sf;
    if (!fmt || strcmp(fmt, "ini") == 0)
        sf = SVA_SHEET_INI;
    else if (strcmp(fmt, "csv") == 0)
        sf = SVA_SHEET_CSV;
    else
        return cli_usage_error("checklist", "--format: template formats are ini and csv, not '%s'",
                               fmt);
    sva_catalog *cat = cli_catalog(NULL);
    if (!cat)
        return EXIT_DATA;
    const sva_checklist *cl = sva_catalog_find(cat, id);
    int rc = EXIT_OKAY;
    char *text = NULL;
    if (!cl) {
        cli_unknown_checklist(id, NULL);
        rc = EXIT_DATA;
    } else if (sva_sheet_template(cl, sf, lang, &text) != SVA_OK) {
        cli_error("out of memory");
        rc = EXIT_DATA;
    } else {
        rc = write_text_file(out, text);
    }
    free(text);
    sva_catalog_free(cat);
    return rc;
}

int cmd_checklist(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"format", required_argument, NULL, 'f'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *format = NULL, *lang = NULL, *out = NULL;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h':
            fputs(USAGE, stdout);
            return EXIT_OKAY;
        case 'f': format = optarg; break;
        case 'l': lang = optarg; break;
        case 'o': out = optarg; break;
        default:
            return cli_usage_error("checklist", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("checklist", "missing subcommand (list, show, lint, template)");
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    if (lang && (!*lang || strspn(lang, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(lang)))
        return cli_usage_error("checklist", "--lang: bad language '%s' (e.g. zh)", lang);
    if (lang && strcmp(lang, "en") == 0)
        lang = NULL;

    if (strcmp(sub, "template") == 0) {
        if (npos != 1)
            return cli_usage_error("checklist", "template takes one checklist id");
        return template(pos[0], format, lang, out);
    }
    if (out)
        return cli_usage_error("checklist", "-o is only for 'template'");
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("checklist", "list takes no arguments");
        return list(fmt);
    }
    if (strcmp(sub, "show") == 0) {
        if (npos != 1)
            return cli_usage_error("checklist", "show takes one checklist id");
        if (fmt == CLI_CSV)
            return cli_usage_error("checklist", "--format: show prints table or json");
        return show(pos[0], lang, fmt);
    }
    if (strcmp(sub, "lint") == 0) {
        if (npos < 1)
            return cli_usage_error("checklist", "lint needs at least one FILE");
        return lint(npos, pos);
    }
    return cli_usage_error("checklist", "unknown subcommand '%s'", sub);
}

/* svcaudit CLI: `svcaudit checklist list|show|lint|template`: what is checked
 * and how it is scored. */
#include "cli.h"
#include "commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char ABOUT[] =
    "  list      every checklist and form found: id, version, title, subject, index, items\n"
    "  show      sections and items with text, scale, weight, N/A, critical, evidence\n"
    "  lint      check files against the checklist format; every problem as file:line\n"
    "            (exit 1 if any); with --db (or $SVCAUDIT_DB), also that each one's\n"
    "            version is the text the database's audits of that version used\n"
    "  template  an empty answer sheet to fill in offline, for 'svcaudit record --answers'\n"
    "\n"
    "Checklists are looked for in --checklists DIR, $SVCAUDIT_CHECKLISTS (DIR:DIR...),\n"
    "./checklists (when neither is given), then the installed share folder.\n";

static int list(const sva_catalog *cat, const sva_diag *problems, cli_format fmt)
{
    cli_print_diag(problems);
    size_t broken = cli_catalog_broken();
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
    if (broken) {
        cli_error("%zu %s could not be loaded; run 'svcaudit checklist lint' on %s",
                  CLI_N(broken, "checklist file", "checklist files"),
                  cli_plural((long long)broken, "it", "them"));
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

static int show(const sva_catalog *cat, const char *id, const char *lang, cli_format fmt)
{
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
    return rc;
}

static int lint(int n, char **files)
{
    size_t problems = 0, bad_files = 0;
    /* with a database (--db or $SVCAUDIT_DB): each checklist against the
     * versions its audits used, and what the database holds already */
    sva_db *db = NULL;
    if (g_cli.db && !(db = cli_open_db(SVA_DB_EXISTING)))
        return EXIT_DATA;
    for (int i = 0; i < n; i++) {
        sva_diag d;
        sva_diag_init(&d);
        size_t k = sva_lint_file(files[i], &d);
        sva_checklist *cl = NULL;
        if (db && !k && sva_checklist_load(files[i], &cl, NULL) == SVA_OK &&
            sva_db_checklist_check(db, cl, files[i], &d) != SVA_OK)
            k++;
        sva_checklist_free(cl);
        cli_print_diag(&d);
        sva_diag_clear(&d);
        problems += k;
        bad_files += k > 0;
    }
    sva_checklist_drift *dr = NULL;
    size_t ndr = 0;
    sva_diag d;
    sva_diag_init(&d);
    if (db && sva_db_checklist_drift(db, &dr, &ndr, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        sva_db_close(db);
        return EXIT_DATA;
    }
    for (size_t i = 0; i < ndr; i++)
        cli_error("%s: checklist '%s' version %ld has %ld different texts among its %ld audits "
                  "(recorded before svcaudit checked): their figures are pooled",
                  g_cli.db, cli_clean(dr[i].id), dr[i].version, dr[i].texts, dr[i].audits);
    problems += ndr;
    sva_checklist_drift_free(dr, ndr);
    sva_diag_clear(&d);
    sva_db_close(db);
    if (problems) {
        /* the problems are on stderr, one line each; the tally is a result */
        printf("%zu %s in %zu of %d %s\n", CLI_N(problems, "problem", "problems"), bad_files,
               n, cli_plural(n, "file", "files"));
        return EXIT_FOUND;
    }
    printf("%d %s ok\n", n, cli_plural(n, "file", "files"));
    return EXIT_OKAY;
}

/* The template to standard output, or to @p path by way of the library's
 * file replacement (never a half-written file in its place). */
static int write_text_file(const char *path, const char *text)
{
    if (!path || strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return EXIT_OKAY;
    }
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_file_replace(path, text, strlen(text), &d)) {
        cli_print_diag(&d);
        if (!d.n)
            cli_error("-o: cannot write '%s'", path);
        rc = EXIT_DATA;
    }
    sva_diag_clear(&d);
    return rc;
}

/* ---- the subcommands ---- */

static const char *lang, *out;
static int format = CLI_TABLE;
static int sheet_format = SVA_SHEET_INI;

static const char *lang_or_english(void)
{
    return lang && strcmp(lang, "en") == 0 ? NULL : lang;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return list(c->cat, &c->cat_problems, (cli_format)format);
}

static int run_show(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    return show(c->cat, argv[0], lang_or_english(), (cli_format)format);
}

static int run_lint(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    return lint(argc, argv);
}

/* Pre-filled header fields (NULL: blank). */
static const char *pre_store, *pre_employee, *pre_cycle, *pre_auditor, *until;
static bool from_plan;

static int check_template(const cli_ctx *c, int argc, char **argv)
{
    (void)argv;
    if (from_plan) {
        if (argc)
            return cli_usage_error(c->name, "--from-plan writes the plan's checklists: no ID");
        if (!pre_cycle || !out)
            return cli_usage_error(c->name, "--from-plan needs --cycle and -o DIR");
        if (pre_store || pre_employee)
            return cli_usage_error(c->name, "--from-plan takes the stores and employees from "
                                            "the plan (not --store, --employee)");
    } else {
        if (!argc)
            return cli_usage_error(c->name, "which checklist? (or --from-plan)");
        if (until)
            return cli_usage_error(c->name, "--until goes with --from-plan");
    }
    return EXIT_OKAY;
}

/* One sheet per planned audit still due (by --until) of the plans of
 * --auditor in --cycle, in the folder -o: never over an existing file (an
 * auditor may have filled it in already). */
static int templates_from_plan(const cli_ctx *c)
{
    /* a missing folder is made (one level, its parent must exist), but only
     * once there is a sheet to write: a refused command leaves nothing */
    struct stat sb;
    bool make_dir = stat(out, &sb) != 0 && errno == ENOENT;
    if (!make_dir && (stat(out, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        cli_error("-o: '%s' is not a folder", out);
        return EXIT_DATA;
    }
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    static const char *const hdr[] = {"cycle",   "store", "employee", "checklist",
                                      "auditor", "from",  "to",       "due"};
    cli_table t;
    table_init(&t, 8, hdr);
    sva_diag d;
    sva_diag_init(&d);
    int rc = plan_due_rows(db, pre_cycle, pre_auditor, until, &t, &d);
    if (rc)
        cli_print_diag(&d);
    size_t written = 0, kept = 0;
    for (int r = 1; !rc && r < t.nrows; r++) {
        char **row = &t.cells[r * t.ncols];
        const sva_checklist *cl = sva_catalog_find(c->cat, row[3]);
        if (!cl) {
            cli_unknown_checklist(row[3], "the plan");
            rc = EXIT_DATA;
            break;
        }
        sva_sheet_header h = {.checklist = (char *)cl->id,
                              .version = cl->version,
                              .store = row[1],
                              .employee = *row[2] ? row[2] : NULL,
                              .cycle = row[0],
                              .auditor = *row[4] ? row[4] : (char *)pre_auditor,
                              .date = strcmp(row[5], row[6]) == 0 ? row[5] : NULL};
        long due = atol(row[7]);
        for (long k = 1; !rc && k <= due; k++) {
            char name[256], *path;
            snprintf(name, sizeof name, "%s-%s%s%s-%s", cl->id, row[1], *row[2] ? "-" : "",
                     row[2], row[5]);
            if (k > 1)
                snprintf(name + strlen(name), sizeof name - strlen(name), "-%ld", k);
            path = malloc(strlen(out) + strlen(name) + 8);
            if (!path) {
                rc = EXIT_DATA;
                break;
            }
            sprintf(path, "%s%s%s.%s", out, out[strlen(out) - 1] == '/' ? "" : "/", name,
                    sheet_format == SVA_SHEET_CSV ? "csv" : "ini");
            char *text = NULL;
            if (make_dir) {
                if (mkdir(out, 0777) != 0) {
                    cli_error("-o: cannot make the folder '%s': %s", out, strerror(errno));
                    free(path);
                    rc = EXIT_DATA;
                    break;
                }
                make_dir = false;
            }
            if (stat(path, &sb) == 0) {
                kept++;
            } else if (sva_sheet_write(cl, (sva_sheet_format)sheet_format, lang_or_english(), &h,
                                       NULL, &text) != SVA_OK) {
                cli_error("out of memory");
                rc = EXIT_DATA;
            } else if ((rc = write_text_file(path, text)) == EXIT_OKAY) {
                printf("%s\n", path);
                written++;
            }
            free(text);
            free(path);
        }
    }
    if (!rc)
        printf("%zu %s written to %s%s%zu already there (kept)\n",
               CLI_N(written, "sheet", "sheets"), out, out[strlen(out) - 1] == '/' ? "; " : "/; ", kept);
    table_free(&t);
    sva_diag_clear(&d);
    sva_db_close(db);
    return rc;
}

static int run_template(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    if (from_plan)
        return templates_from_plan(c);
    const sva_checklist *cl = sva_catalog_find(c->cat, argv[0]);
    if (!cl) {
        cli_unknown_checklist(argv[0], NULL);
        return EXIT_DATA;
    }
    char *text = NULL;
    int rc;
    sva_sheet_header h = {.store = (char *)pre_store,
                          .employee = (char *)pre_employee,
                          .cycle = (char *)pre_cycle,
                          .auditor = (char *)pre_auditor};
    if (sva_sheet_write(cl, (sva_sheet_format)sheet_format, lang_or_english(), &h, NULL, &text) !=
        SVA_OK) {
        cli_error("out of memory");
        rc = EXIT_DATA;
    } else {
        rc = write_text_file(out, text);
    }
    free(text);
    return rc;
}

static const cli_choice sheet_formats[] = {
    {"ini", SVA_SHEET_INI}, {"csv", SVA_SHEET_CSV}, {NULL, 0}};

#define OPT_LANG                                                                              \
    OPT_STRING_CHECK("lang", &lang, "LANG", "texts in this language (e.g. zh)", 0,           \
                     cli_check_lang)

static const cli_opt list_opts[] = {
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt show_opts[] = {
    OPT_LANG,
    OPT_ENUM("format", &format, cli_formats_show, "output format (default table)"),
    OPT_END(),
};
static const cli_opt template_opts[] = {
    OPT_ENUM("format", &sheet_format, sheet_formats, "the sheet's format (default ini)"),
    OPT_LANG,
    OPT_STRING('o', "output", &out, "FILE", "write it there (default standard output; a "
               "folder with --from-plan)", CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_STRING(0, "store", &pre_store, "S", "fill in the store", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "employee", &pre_employee, "E", "fill in the employee", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "cycle", &pre_cycle, "ID", "fill in the cycle", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "auditor", &pre_auditor, "A", "fill in the auditor (--from-plan: only the "
               "plans of this auditor)", CLI_OPT_NONEMPTY),
    OPT_FLAG(0, "from-plan", &from_plan, "one filled-in sheet per planned audit still due"),
    OPT_DATE("until", &until, "--from-plan: only what is due by this day", 0),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "list", .synopsis = "svcaudit checklist list [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "show", .synopsis = "svcaudit checklist show ID [--lang LANG] [--format table|json]",
     .opts = show_opts, .min_args = 1, .max_args = 1, .args = "one checklist id",
     .run = run_show, .needs = CLI_NEED_LAZY},
    {.name = "lint", .synopsis = "svcaudit checklist lint FILE... [--db FILE]", .min_args = 1,
     .max_args = -1, .args = "at least one FILE", .run = run_lint, .needs = CLI_NEED_NONE},
    {.name = "template",
     .synopsis = "svcaudit checklist template ID [--format ini|csv] [--lang LANG] [-o FILE]\n"
                 "                   [--store S] [--employee E] [--cycle ID] [--auditor A]\n"
                 "       svcaudit checklist template --from-plan --cycle ID [--auditor A]\n"
                 "                   [--until YYYY-MM-DD] -o DIR [--format ini|csv] [--lang LANG]",
     .opts = template_opts, .min_args = 0, .max_args = 1, .args = "one checklist id",
     .check = check_template, .run = run_template, .needs = CLI_NEED_LAZY},
};

const cli_command cmd_checklist = {subs, sizeof subs / sizeof *subs, ABOUT};

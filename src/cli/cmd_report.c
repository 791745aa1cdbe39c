/* svcaudit CLI: `svcaudit report`: the one-page PDF reports of an audit, an
 * employee, a store, and a batch of a cycle's audit reports (pdf.h). */
#include "cli.h"
#include "commands.h"

#include <string.h>

static const char ABOUT[] =
    "One page where it fits, soon after the visit, recognition first: who, where,\n"
    "when, the score against the store's target, what went well, the failed items\n"
    "with the auditor's notes and the evidence pictures, the actions, and how to\n"
    "query the result. The employee report shows the last cycles and what to\n"
    "coach; the store report the cycle's figures against targets, its weakest\n"
    "standards and open actions.\n"
    "  --employees  pseudonymous (the default, as for export): a stable pseudonym per\n"
    "               employee (per salt: --salt, else the database's own); full:\n"
    "               names, a choice to make on purpose; none: no employee (and no\n"
    "               employee report)\n"
    "  --photos DIR where evidence pictures named relative are (default: here);\n"
    "               JPEG and PNG are embedded, a missing file is named\n"
    "  --lang LANG  every label and checklist text in LANG (en, zh)\n"
    "Each file is written beside its name and renamed into place when complete;\n"
    "`report audits` writes DIR/audit-ID.pdf for each audit of the cycle.\n";

static long long id;
static const char *cycle, *store, *out, *salt, *lang, *photos;
/* Pseudonymous unless asked, as for the workbook: a report travels by mail too. */
static int employees = SVA_PRIVACY_PSEUDONYMOUS;
static long cycles = 6, min_audits = 2;

static bool check_pdf(const char *value, char *why, size_t size)
{
    size_t n = strlen(value);
    if (n >= 5 && strcmp(value + n - 4, ".pdf") == 0)
        return true;
    snprintf(why, size, "the report's name must end in .pdf");
    return false;
}

/* Rules the option table cannot say, checked before anything is opened. */
static int check(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (lang && !sva_lang_known(lang))
        return cli_usage_error(c->name, "--lang: no language '%s' (available: %s)", lang,
                               sva_lang_names());
    return EXIT_OKAY;
}

static int check_employee(const cli_ctx *c, int argc, char **argv)
{
    if (employees == SVA_PRIVACY_NONE)
        return cli_usage_error(c->name, "an employee report shows one employee: "
                                        "not with --employees none");
    return check(c, argc, argv);
}

/* The reports' context over the opened database; NULL after a message. */
static sva_reports *open_reports(cli_ctx *c)
{
    sva_reports_opts o = {.employees = (sva_privacy)employees,
                          .salt = salt,
                          .lang = lang,
                          .today = cli_today(),
                          .photos = photos,
                          .min_audits = min_audits,
                          .cat = c->cat};
    sva_diag d;
    sva_diag_init(&d);
    sva_reports *r = NULL;
    if (sva_reports_open(c->db, &o, &r, &d))
        cli_print_diag(&d);
    sva_diag_clear(&d);
    return r;
}

static int finish(sva_reports *r, sva_error rc, sva_diag *d, const char *what)
{
    if (rc)
        cli_print_diag(d);
    else
        printf("%s\n", what);
    sva_diag_clear(d);
    sva_reports_close(r);
    return rc ? EXIT_DATA : EXIT_OKAY;
}

static int run_audit(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_reports *r = open_reports(c);
    if (!r)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_audit_report *m = NULL;
    sva_error rc = sva_reports_audit(r, id, &m, &d);
    if (!rc)
        rc = sva_pdf_audit(m, out, &d);
    sva_audit_report_free(m);
    char msg[4200];
    snprintf(msg, sizeof msg, "report written: %s", out);
    return finish(r, rc, &d, msg);
}

static int run_employee(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_reports *r = open_reports(c);
    if (!r)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_employee_report *m = NULL;
    sva_error rc = sva_reports_employee(r, argv[0], cycle, (int)cycles, &m, &d);
    if (!rc)
        rc = sva_pdf_employee(m, out, &d);
    sva_employee_report_free(m);
    char msg[4200];
    snprintf(msg, sizeof msg, "report written: %s", out);
    return finish(r, rc, &d, msg);
}

static int run_store(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_reports *r = open_reports(c);
    if (!r)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_store_report *m = NULL;
    sva_error rc = sva_reports_store(r, argv[0], cycle, &m, &d);
    if (!rc)
        rc = sva_pdf_store(m, out, &d);
    sva_store_report_free(m);
    char msg[4200];
    snprintf(msg, sizeof msg, "report written: %s", out);
    return finish(r, rc, &d, msg);
}

static int run_audits(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_reports *r = open_reports(c);
    if (!r)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    size_t n = 0;
    sva_error rc = sva_pdf_audits(r, cycle, store, out, &n, &d);
    char msg[4200];
    snprintf(msg, sizeof msg, "%zu %s written to %s", CLI_N(n, "report", "reports"), out);
    return finish(r, rc, &d, msg);
}

static const cli_choice privacy[] = {{"full", SVA_PRIVACY_FULL},
                                     {"pseudonymous", SVA_PRIVACY_PSEUDONYMOUS},
                                     {"none", SVA_PRIVACY_NONE},
                                     {NULL, 0}};

#define OPT_PDF                                                                                \
    {.type = CLI_OPT_STRING, .short_name = 'o', .long_name = "output", .value = &out,          \
     .argh = "FILE.pdf", .help = "the report to write", .flags = CLI_OPT_REQUIRED,             \
     .check = check_pdf}
#define OPT_PRIVACY                                                                            \
    OPT_ENUM("employees", &employees, privacy, "how employees are shown (default pseudonymous)"), \
        OPT_STRING(0, "salt", &salt, "TEXT", "pseudonym salt (default the database's own)", 0)
#define OPT_LANG                                                                               \
    OPT_STRING_CHECK("lang", &lang, "LANG", "labels and checklist texts in this language", 0,  \
                     cli_check_lang)
#define OPT_PHOTOS                                                                             \
    OPT_STRING(0, "photos", &photos, "DIR", "the folder evidence pictures are in", 0)

static const cli_opt audit_opts[] = {OPT_PDF, OPT_PRIVACY, OPT_LANG, OPT_PHOTOS, OPT_END()};
static const cli_opt employee_opts[] = {
    OPT_PDF,
    OPT_STRING(0, "cycle", &cycle, "ID", "the last cycle shown (default the latest)", 0),
    OPT_INT("cycles", &cycles, "N", 1, 60, "how many cycles (default 6)"),
    OPT_INT("min-audits", &min_audits, "N", 1, 1000, "fewer audits in a cycle: not rated "
                                                      "(default 2)"),
    OPT_PRIVACY,
    OPT_LANG,
    OPT_END()};
static const cli_opt store_opts[] = {
    OPT_PDF,
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_INT("min-audits", &min_audits, "N", 1, 1000, "fewer audits: not rated (default 2)"),
    OPT_PRIVACY,
    OPT_LANG,
    OPT_END()};
static const cli_opt audits_opts[] = {
    {.type = CLI_OPT_STRING, .short_name = 'o', .long_name = "output", .value = &out,
     .argh = "DIR", .help = "the folder to write audit-ID.pdf files in (it must exist)",
     .flags = CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY},
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "only this store's audits", 0),
    OPT_PRIVACY,
    OPT_LANG,
    OPT_PHOTOS,
    OPT_END()};

static const cli_sub subs[] = {
    {.name = "audit",
     .synopsis = "svcaudit report audit ID -o FILE.pdf [--employees full|pseudonymous|none]\n"
                 "                             [--salt TEXT] [--lang LANG] [--photos DIR]",
     .opts = audit_opts, .min_args = 1, .max_args = 1, .args = "one audit number",
     .id_arg = &id, .id_what = "an audit number", .check = check, .run = run_audit},
    {.name = "audits",
     .synopsis = "svcaudit report audits --cycle ID [--store S] -o DIR\n"
                 "                              [--employees full|pseudonymous|none]\n"
                 "                              [--salt TEXT] [--lang LANG] [--photos DIR]",
     .opts = audits_opts, .check = check, .run = run_audits},
    {.name = "employee",
     .synopsis = "svcaudit report employee ID -o FILE.pdf [--cycle ID] [--cycles N]\n"
                 "                                [--min-audits N]\n"
                 "                                [--employees full|pseudonymous]\n"
                 "                                [--salt TEXT] [--lang LANG]",
     .opts = employee_opts, .min_args = 1, .max_args = 1, .args = "one employee ID",
     .check = check_employee, .run = run_employee},
    {.name = "store",
     .synopsis = "svcaudit report store ID --cycle ID -o FILE.pdf [--min-audits N]\n"
                 "                             [--employees full|pseudonymous|none] [--salt TEXT]\n"
                 "                             [--lang LANG]",
     .opts = store_opts, .min_args = 1, .max_args = 1, .args = "one store ID", .check = check,
     .run = run_store},
};

const cli_command cmd_report = {subs, sizeof subs / sizeof *subs, ABOUT};

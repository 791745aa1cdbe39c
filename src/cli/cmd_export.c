/* svcaudit CLI: `svcaudit export`: the Excel workbook of one PDCA cycle. */
#include "cli.h"
#include "commands.h"

#include <string.h>

static const char ABOUT[] =
    "One workbook per cycle: Dashboard, Stores, 6S, Service standards, Employees,\n"
    "Actions 5W1H, Trend, Audits, Repeats, Auditors, and with --data a Data sheet:\n"
    "one row per answered item (past 1,048,576 rows it goes on in Data 2, ...).\n"
    "  --employees     full: names; pseudonymous: a stable pseudonym per employee\n"
    "                  (per salt: --salt, else the database's own); none: no\n"
    "                  per-employee results (default pseudonymous)\n"
    "  --min-audits N  employees with fewer audits are shown as not rated (default 2)\n"
    "The file is written beside FILE.xlsx and renamed into place when complete.\n";

/* Pseudonymous unless asked: names in a workbook that travels by mail are a
 * choice to make, not a default (README: Employees). */
static sva_export_opts o = {.employees = SVA_PRIVACY_PSEUDONYMOUS};
static int employees = SVA_PRIVACY_PSEUDONYMOUS;
static long min_audits = 2, trend_cycles = 6;

static bool check_xlsx(const char *value, char *why, size_t size)
{
    size_t n = strlen(value);
    if (n >= 6 && strcmp(value + n - 5, ".xlsx") == 0)
        return true;
    snprintf(why, size, "the workbook's name must end in .xlsx");
    return false;
}

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    o.employees = (sva_privacy)employees;
    o.min_audits = min_audits;
    o.trend_cycles = (int)trend_cycles;
    if (o.lang && strcmp(o.lang, "en") == 0)
        o.lang = NULL;
    o.today = cli_today();
    o.cat = c->cat;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_ref_check(c->db, SVA_REF_CYCLE, o.cycle, "--cycle", &d) ||
        (o.region && sva_db_ref_check(c->db, SVA_REF_REGION, o.region, "--region", &d))) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    }
    if (!rc && sva_export_workbook(c->db, &o, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else if (!rc) {
        printf("workbook written: %s\n", o.path);
    }
    sva_diag_clear(&d);
    return rc;
}

static const cli_choice privacy[] = {{"full", SVA_PRIVACY_FULL},
                                     {"pseudonymous", SVA_PRIVACY_PSEUDONYMOUS},
                                     {"none", SVA_PRIVACY_NONE},
                                     {NULL, 0}};

static const cli_opt opts[] = {
    OPT_STRING(0, "cycle", &o.cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    {.type = CLI_OPT_STRING, .short_name = 'o', .long_name = "output", .value = &o.path,
     .argh = "FILE.xlsx", .help = "the workbook to write", .flags = CLI_OPT_REQUIRED | CLI_OPT_PATH,
     .check = check_xlsx},
    OPT_STRING(0, "region", &o.region, "R", "only this region", 0),
    OPT_ENUM("employees", &employees, privacy, "per-employee results (default pseudonymous)"),
    OPT_INT("min-audits", &min_audits, "N", 1, 1000,
            "fewer audits: not rated (default 2)"),
    OPT_STRING(0, "salt", &o.salt, "TEXT", "pseudonym salt (default the database's own)", 0),
    OPT_FLAG(0, "data", &o.data, "add one row per answered item"),
    OPT_STRING_CHECK("lang", &o.lang, "LANG", "checklist texts in this language", 0,
                     cli_check_lang),
    OPT_INT("trend-cycles", &trend_cycles, "N", 1, 60, "cycles on the Trend sheet (default 6)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit export --cycle ID -o FILE.xlsx [--region R]\n"
                 "                       [--employees full|pseudonymous|none] [--min-audits N]\n"
                 "                       [--salt TEXT] [--data] [--lang LANG] [--trend-cycles N]",
     .opts = opts, .run = run},
};

const cli_command cmd_export = {subs, 1, ABOUT};

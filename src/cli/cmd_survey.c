/* svcaudit CLI: `svcaudit survey import`: customer survey results (SSI, CSI),
 * shown beside the audit-based figures, never mixed into them. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Columns: cycle, store, metric (ssi or csi), value, respondents, and optionally\n"
    "scale (the value's full scale, default 100; e.g. 1000 for industry indexes).\n"
    "Values are kept on 0-100. All or nothing: one bad row imports nothing.\n";

static const char *sep, *encoding;
static sva_import_opts import_opts;

static int check_import(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_import_opts(c, sep, encoding, &import_opts);
}

static int run_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    int status = EXIT_OKAY;
    if (sva_import_surveys_opt(c->db, argv[0], &import_opts, &st, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("survey results: %zu added, %zu replaced\n", st.added, st.updated);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt opts[] = {
    OPT_STRING(0, "sep", &sep, "SEP", "the field separator: ',' (default), ';', tab or '|'", 0),
    OPT_STRING(0, "encoding", &encoding, "ENC",
               "utf-8 (default) or gb18030 (GBK: Excel's CSV in a Chinese locale)", 0),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "import",
     .synopsis = "svcaudit survey import FILE.csv [--sep SEP] [--encoding utf-8|gb18030]",
     .opts = opts, .min_args = 1, .max_args = 1, .args = "one FILE.csv", .check = check_import,
     .run = run_import},
};

const cli_command cmd_survey = {subs, 1, ABOUT};

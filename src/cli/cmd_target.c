/* svcaudit CLI: `svcaudit target set|list|import`: the Plan step's targets. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "A target is on the 0-100 scale for a metric: ssi, csi, 6s or a checklist id.\n"
    "Without --store or --region it is the network default; a store's effective\n"
    "target is its own, else its region's, else the network's.\n"
    "\n"
    "FILE.ini: any number of sections, each with 'cycle = ID', optionally\n"
    "'store = S' or 'region = R', and lines 'METRIC = VALUE'. All or nothing.\n"
    "unset removes one target; copy brings a cycle's targets into another (those\n"
    "it sets already are kept). A closed cycle's targets do not change.\n";

static const char *cycle, *store, *region, *metric, *from, *to;
static double value;
static int format = CLI_TABLE;

static int check_set(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (store && region)
        return cli_usage_error(c->name, "give --store or --region, not both");
    return EXIT_OKAY;
}

static int run_set(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_target t = {(char *)cycle,
                    store ? SVA_SCOPE_STORE : region ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK,
                    (char *)(store ? store : region ? region : ""), (char *)metric, value, 0, 0,
                    0};
    if (sva_db_target_set(c->db, &t, c->cat, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("target %s %s%s%s = %.1f for cycle %s\n", metric, sva_scope_name(t.scope),
               *t.scope_id ? " " : "", t.scope_id, value, cycle);
    }
    sva_diag_clear(&d);
    return status;
}

static int run_unset(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_target t = {(char *)cycle,
                    store ? SVA_SCOPE_STORE : region ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK,
                    (char *)(store ? store : region ? region : ""), (char *)metric, 0, 0, 0,
                    0};
    const cli_ref refs[] = {{SVA_REF_CYCLE, "--cycle", cycle},
                            {SVA_REF_STORE, "--store", store},
                            {SVA_REF_REGION, "--region", region},
                            {0, NULL, NULL}};
    if (cli_check_refs(c->db, refs)) {
        status = EXIT_DATA;
    } else if (sva_db_target_unset(c->db, &t, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("target %s %s%s%s unset for cycle %s\n", metric, sva_scope_name(t.scope),
               *t.scope_id ? " " : "", t.scope_id, cycle);
    }
    sva_diag_clear(&d);
    return status;
}

static int run_copy(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    size_t copied = 0, kept = 0;
    if (sva_db_target_copy(c->db, from, to, &copied, &kept, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("targets: %zu copied from %s to %s; %zu set there already, kept\n", copied, from,
               to, kept);
    }
    sva_diag_clear(&d);
    return status;
}

static int run_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    size_t n;
    if (sva_db_target_import(c->db, argv[0], c->cat, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("targets: %zu set from %s\n", n, argv[0]);
    }
    sva_diag_clear(&d);
    return status;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_target *tv;
    size_t n;
    const cli_ref refs[] = {{SVA_REF_CYCLE, "--cycle", cycle}, {0, NULL, NULL}};
    if (cli_check_refs(c->db, refs)) {
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    if (sva_db_target_list(c->db, cycle, &tv, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"cycle", "scope", "id", "metric", "target"};
        cli_table t;
        table_init(&t, 5, hdr);
        t.numeric = 1u << 4;
        for (size_t i = 0; i < n; i++) {
            char val[32];
            snprintf(val, sizeof val, "%.1f", tv[i].value);
            const char *row[] = {tv[i].cycle, sva_scope_name(tv[i].scope), tv[i].scope_id,
                                 tv[i].metric, val};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
        sva_targets_free(tv, n);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt set_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "for this store", 0),
    OPT_STRING(0, "region", &region, "R", "for this region (default the network)", 0),
    OPT_STRING(0, "metric", &metric, "M", "ssi, csi, 6s or a checklist id", CLI_OPT_REQUIRED),
    OPT_DOUBLE("value", &value, "V", 0, 100, "the target, 0 to 100", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt unset_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "the store's own target", 0),
    OPT_STRING(0, "region", &region, "R", "the region's (default the network's)", 0),
    OPT_STRING(0, "metric", &metric, "M", "ssi, csi, 6s or a checklist id", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt copy_opts[] = {
    OPT_STRING(0, "from", &from, "ID", "the cycle whose targets are copied", CLI_OPT_REQUIRED),
    OPT_STRING(0, "to", &to, "ID", "the cycle they go to", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "set",
     .synopsis =
         "svcaudit target set --cycle ID [--store S | --region R] --metric M --value V",
     .opts = set_opts, .check = check_set, .run = run_set},
    {.name = "unset",
     .synopsis = "svcaudit target unset --cycle ID [--store S | --region R] --metric M",
     .opts = unset_opts, .check = check_set, .run = run_unset},
    {.name = "copy", .synopsis = "svcaudit target copy --from ID --to ID", .opts = copy_opts,
     .run = run_copy},
    {.name = "list", .synopsis = "svcaudit target list --cycle ID [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "import", .synopsis = "svcaudit target import FILE.ini", .min_args = 1,
     .max_args = 1, .args = "one FILE.ini", .run = run_import},
};

const cli_command cmd_target = {subs, sizeof subs / sizeof *subs, ABOUT};

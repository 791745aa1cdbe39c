/* svcaudit CLI: `svcaudit owner set|list`: who answers for a section or an
 * item of a checklist at a store (6S: every checked item has a named person);
 * an action opened for a failed item defaults to its owner. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "An owner is an employee of the store who answers for a section or an item of a\n"
    "checklist there (e.g. the 6S Safety section, or the fire extinguishers). An\n"
    "action opened for a failed item (action add --from-audit, record --actions)\n"
    "names the item's owner, else its section's, as its owner unless one is given.\n";

static const char *store, *checklist, *section, *item, *employee;
static int format = CLI_TABLE;

static int check_set(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if ((section != NULL) == (item != NULL))
        return cli_usage_error(c->name, "give --section or --item (one of them)");
    return EXIT_OKAY;
}

static int run_set(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_owner o = {(char *)store, (char *)checklist, (char *)section, (char *)item,
                   (char *)employee, NULL};
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_owner_set(c->db, c->cat, &o, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("owner of %s %s %s at %s: %s\n", checklist, item ? "item" : "section",
               item ? item : section, cli_clean(store), cli_clean(employee));
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_owner *v;
    size_t n;
    const cli_ref refs[] = {{SVA_REF_STORE, "--store", store}, {0, NULL, NULL}};
    if (cli_check_refs(c->db, refs))
        return EXIT_DATA;
    if (sva_db_owner_list(c->db, store, &v, &n, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"store", "checklist", "section", "item", "employee",
                                      "name"};
    cli_table t;
    table_init(&t, 6, hdr);
    t.nullable = (1u << 2) | (1u << 3);
    for (size_t i = 0; i < n; i++) {
        const char *row[] = {v[i].store, v[i].checklist, v[i].section ? v[i].section : "",
                             v[i].item ? v[i].item : "", v[i].employee, v[i].name};
        table_row(&t, row);
    }
    table_print(&t, (cli_format)format, stdout);
    table_free(&t);
    sva_owners_free(v, n);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static const cli_opt set_opts[] = {
    OPT_STRING(0, "store", &store, "S", "the store", CLI_OPT_REQUIRED),
    OPT_STRING(0, "checklist", &checklist, "C", "the checklist", CLI_OPT_REQUIRED),
    OPT_STRING(0, "section", &section, "K", "the section (e.g. safety)", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "item", &item, "K", "the item (e.g. safety.extinguishers)", CLI_OPT_NONEMPTY),
    OPT_STRING(0, "employee", &employee, "E", "who answers for it (works at the store)",
               CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_STRING(0, "store", &store, "S", "only this store", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "set",
     .synopsis = "svcaudit owner set --store S --checklist C (--section K | --item K) "
                 "--employee E",
     .opts = set_opts, .check = check_set, .run = run_set, .needs = CLI_NEED_CATALOG},
    {.name = "list", .synopsis = "svcaudit owner list [--store S] [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
};

const cli_command cmd_owner = {subs, sizeof subs / sizeof *subs, ABOUT};

/* svcaudit CLI: `svcaudit pack -o LAPTOP.db [--region R | --store S... | --auditor A]
 * [--cycle ID] [--name NAME]`: a laptop's database for a scope. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "Write a new database for a laptop: its own identity (--name, e.g. \"laptop\n"
    "Zhang\"), the stores and employees of the scope with their history and\n"
    "dated changes, every\n"
    "cycle, the targets, survey results and reasons of the scope, its plans (the\n"
    "network's, the region's, the stores'), reasons for missed planned audits\n"
    "and owners, the checklist versions, and the open actions of the scope (with\n"
    "their fields, history, the actions they are carried from or to, and the\n"
    "audits they come from). The scope: one region, some stores (--store again\n"
    "for each), or every store for one auditor (then the actions from that\n"
    "auditor's audits); one cycle or all. Every record keeps where it was made.\n"
    "The laptop keeps its scope: merging this database's file into it later\n"
    "brings what it holds up to date and adds what is new in its scope.\n"
    "LAPTOP.db must not exist.\n";

#define MAX_STORES 200

static const char *out, *name, *region, *auditor, *cycle;
static const char *stores[MAX_STORES];
static size_t n_stores;

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_pack_scope scope = {.region = region, .stores = stores, .n_stores = n_stores,
                            .auditor = auditor, .cycle = cycle};
    sva_diag d;
    sva_diag_init(&d);
    sva_merge_stats st;
    sva_error rc = sva_db_pack(c->db, out, name, &scope, &st, &d);
    bool said = d.n > 0; /* a problem the library named (an unknown region, store, cycle) */
    cli_print_diag(&d);
    sva_diag_clear(&d);
    if (rc)
        return rc == SVA_ERR_USAGE && !said ? EXIT_USAGE : EXIT_DATA;
    /* what the laptop holds, only what is not zero (most scopes have no
     * survey results, reasons, plans or owners) */
    printf("packed %s:", out);
    const struct {
        size_t n;
        const char *one, *many;
    } held[] = {{st.stores_added, "store", "stores"},
                {st.employees_added, "employee", "employees"},
                {st.cycles_added, "cycle", "cycles"},
                {st.checklists_added, "checklist version", "checklist versions"},
                {st.targets_added, "target", "targets"},
                {st.surveys_added, "survey result", "survey results"},
                {st.reasons_added, "reason", "reasons"},
                {st.plans_added, "plan", "plans"},
                {st.owners_added, "owner", "owners"},
                {st.actions_added, "action", "actions"}};
    const char *sep = " ";
    for (size_t i = 0; i < sizeof held / sizeof *held; i++)
        if (held[i].n) {
            printf("%s%zu %s", sep, CLI_N(held[i].n, held[i].one, held[i].many));
            sep = ", ";
        }
    if (st.history_added)
        printf(" (%zu %s)", CLI_N(st.history_added, "history line", "history lines"));
    if (st.audits_added)
        printf("%s%zu %s they come from", *sep == ' ' ? " " : ", ",
               CLI_N(st.audits_added, "audit", "audits"));
    if (*sep == ' ')
        printf(" nothing of the scope");
    printf("\n");
    return EXIT_OKAY;
}

static int check(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if ((region != NULL) + (n_stores > 0) + (auditor != NULL) > 1)
        return cli_usage_error(c->name, "give one of --region, --store, --auditor");
    return EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_STRING('o', "output", &out, "LAPTOP.db", "the new database (must not exist)",
               CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_STRING(0, "name", &name, "NAME", "its name (default: \"packed from\" this one's)",
               CLI_OPT_NONEMPTY),
    OPT_STRING(0, "region", &region, "R", "the stores of this region", CLI_OPT_NONEMPTY),
    OPT_LIST("store", stores, &n_stores, MAX_STORES, "S", "this store"),
    OPT_STRING(0, "auditor", &auditor, "A", "every store; the actions from A's audits",
               CLI_OPT_NONEMPTY),
    OPT_STRING(0, "cycle", &cycle, "ID", "this cycle only (default: all)", CLI_OPT_NONEMPTY),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit [--db FILE|URL] pack -o LAPTOP.db [--name NAME]\n"
                 "                            [--region R | --store S... | --auditor A] "
                 "[--cycle ID]",
     .opts = opts, .check = check, .run = run}};

const cli_command cmd_pack = {subs, 1, ABOUT};

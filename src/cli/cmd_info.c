/* svcaudit CLI: `svcaudit info`: the database's identity and name, what it
 * holds, where its records were made, the databases it merged. */
#include "cli.h"
#include "commands.h"

static const char ABOUT[] =
    "This database's identity (UUID and name), its schema, how many stores,\n"
    "employees, cycles, audits and actions it holds, how many were made here,\n"
    "and every database its records came from: how many of its audits and\n"
    "actions are here, how often it was merged, when last; the open conflicts.\n";

static int format = CLI_TABLE;

static void print_json(const sva_db_info *in)
{
    cli_json j;
    json_init(&j, stdout);
    json_object(&j);
    json_kstring(&j, "uuid", in->id.uuid);
    json_kstring(&j, "name", in->id.name);
    json_kint(&j, "schema", in->schema);
    json_kint(&j, "stores", in->stores);
    json_kint(&j, "employees", in->employees);
    json_kint(&j, "cycles", in->cycles);
    json_kint(&j, "checklist_versions", in->checklist_versions);
    json_kint(&j, "audits", in->audits);
    json_kint(&j, "audits_void", in->audits_void);
    json_kint(&j, "audits_made_here", in->audits_here);
    json_kint(&j, "actions", in->actions);
    json_kint(&j, "actions_made_here", in->actions_here);
    json_kint(&j, "appeals", in->appeals);
    json_kint(&j, "appeals_open", in->appeals_open);
    json_kint(&j, "appeals_made_here", in->appeals_here);
    json_kint(&j, "conflicts_open", in->conflicts_open);
    json_key(&j, "databases");
    json_array(&j);
    for (size_t i = 0; i < in->n_peers; i++) {
        const sva_peer *p = &in->peers[i];
        json_object(&j);
        json_kstring(&j, "uuid", p->uuid);
        json_kstring(&j, "name", p->name);
        json_kint(&j, "merges", p->merges);
        json_kstring(&j, "last_merged_at", p->last_merged_at);
        json_kint(&j, "audits", p->audits);
        json_kint(&j, "actions", p->actions);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
    json_finish(&j);
}

static int run(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_db_info in;
    if (sva_db_info_get(c->db, &in, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    sva_diag_clear(&d);
    if (format == CLI_JSON) {
        print_json(&in);
        sva_db_info_clear(&in);
        return EXIT_OKAY;
    }
    const char *path = g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db";
    printf("database   %s\n", cli_clean(path));
    printf("name       %s\n", *in.id.name ? cli_clean(in.id.name) : "(none: 'svcaudit init --name NAME')");
    printf("uuid       %s\n", in.id.uuid);
    printf("schema     %ld\n", in.schema);
    printf("holds      %ld %s, %ld %s, %ld %s, %ld %s\n", in.stores,
           cli_plural(in.stores, "store", "stores"), in.employees,
           cli_plural(in.employees, "employee", "employees"), in.cycles,
           cli_plural(in.cycles, "cycle", "cycles"), in.checklist_versions,
           cli_plural(in.checklist_versions, "checklist version", "checklist versions"));
    printf("audits     %ld (%ld void), %ld made here\n", in.audits, in.audits_void,
           in.audits_here);
    printf("actions    %ld, %ld made here\n", in.actions, in.actions_here);
    printf("appeals    %ld (%ld open), %ld made here\n", in.appeals, in.appeals_open,
           in.appeals_here);
    printf("conflicts  %ld open%s\n", in.conflicts_open,
           in.conflicts_open ? " (see 'svcaudit merge --conflicts')" : "");
    if (in.n_peers) {
        printf("\nmade elsewhere, or merged from:\n");
        static const char *const hdr[] = {"name", "uuid", "audits", "actions", "merges",
                                          "last merged"};
        cli_table t;
        table_init(&t, 6, hdr);
        for (size_t i = 0; i < in.n_peers; i++) {
            const sva_peer *p = &in.peers[i];
            char au[24], ac[24], mg[24];
            snprintf(au, sizeof au, "%ld", p->audits);
            snprintf(ac, sizeof ac, "%ld", p->actions);
            snprintf(mg, sizeof mg, "%ld", p->merges);
            const char *row[] = {*p->name ? p->name : "?", p->uuid, au, ac, mg,
                                 p->last_merged_at ? p->last_merged_at : "never"};
            table_row(&t, row);
        }
        table_print(&t, CLI_TABLE, stdout);
        table_free(&t);
    }
    sva_db_info_clear(&in);
    return EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_ENUM("format", &format, cli_formats_show, "output format (default table)"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit [--db FILE|URL] info [--format table|json]", .opts = opts, .run = run}};

const cli_command cmd_info = {subs, 1, ABOUT};

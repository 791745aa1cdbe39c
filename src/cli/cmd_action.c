/* svcaudit CLI: `svcaudit action add|list|show|update`: the Do step's 5W1H
 * corrective actions, with the fields the action form defines. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char ABOUT[] =
    "The fields (why, what, who, when, where, how, ...) come from the action form\n"
    "checklists/actions-5w1h.ini: add a field there and --set takes it at once.\n"
    "Without --set, at a terminal, add asks for each field. --from-audit opens one\n"
    "action per failed item of an audit (skipping items that already have one),\n"
    "filling why and what from the item. Status moves open -> in_progress -> done ->\n"
    "verified | reopened, never backward; every change is kept in the history.\n";

#define MAX_SET 64

/* The 5W1H form, found like the checklists. */
static const sva_form *find_form(const sva_catalog *cat)
{
    const sva_form *f = sva_catalog_find_form(cat, "actions_5w1h");
    if (!f && cat->n_forms == 1)
        f = cat->forms[0];
    if (!f)
        cli_error("the action form 'actions_5w1h' (checklists/actions-5w1h.ini) is not found");
    return f;
}

/* Ask each field at the terminal; values go into kv (malloc'd strings). */
static size_t ask_fields(const sva_form *form, sva_kv *kv, char **owned)
{
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < form->n_fields && n < MAX_SET; i++) {
        const sva_field *f = &form->fields[i];
        const char *help = sva_i18n_get(&f->help, NULL);
        for (;;) {
            printf("%s (%s%s)%s%s\n> ", sva_i18n_get(&f->label, NULL),
                   sva_field_type_name(f->type), f->required ? ", required" : "",
                   *help ? ": " : "", help);
            fflush(stdout);
            ssize_t got = getline(&line, &cap, stdin);
            if (got < 0)
                goto out;
            while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
                line[--got] = '\0';
            sva_diag d;
            sva_diag_init(&d);
            bool ok = sva_field_check(f, line, &d);
            for (size_t k = 0; k < d.n; k++)
                printf("  %s\n", d.msgs[k].msg);
            sva_diag_clear(&d);
            if (!ok)
                continue;
            if (*line) {
                owned[n] = strdup(line);
                kv[n].key = f->key;
                kv[n].value = owned[n];
                n++;
            }
            break;
        }
    }
out:
    free(line);
    return n;
}

static void print_actions(const sva_action *v, size_t n, cli_format fmt)
{
    static const char *const hdr[] = {"id",    "cycle", "store",   "region", "metric",
                                      "about", "status", "owner",  "due",    "overdue",
                                      "carried", "what"};
    cli_table t;
    table_init(&t, 12, hdr);
    t.numeric = 1u;
    t.boolean = 1u << 9;
    t.nullable = (1u << 4) | (1u << 5) | (1u << 8);
    for (size_t i = 0; i < n; i++) {
        const sva_action *a = &v[i];
        char id[24], about[256], carried[64] = "";
        snprintf(id, sizeof id, "%lld", a->id);
        if (a->item)
            snprintf(about, sizeof about, "%s/%s", a->checklist, a->item);
        else if (a->section)
            snprintf(about, sizeof about, "%s/[%s]", a->checklist, a->section);
        else
            snprintf(about, sizeof about, "%s", a->checklist ? a->checklist : "");
        if (a->carried_to_cycle)
            snprintf(carried, sizeof carried, "to %s", a->carried_to_cycle);
        else if (a->carried_from_cycle)
            snprintf(carried, sizeof carried, "from %s", a->carried_from_cycle);
        else if (a->carried_from)
            snprintf(carried, sizeof carried, "from %lld", a->carried_from);
        else if (a->carried_to)
            snprintf(carried, sizeof carried, "to %lld", a->carried_to);
        const char *what = "";
        for (size_t k = 0; k < a->n_fields; k++)
            if (strcmp(a->fields[k].key, "what") == 0)
                what = a->fields[k].value;
        const char *row[] = {id,
                             a->cycle,
                             a->store,
                             a->region,
                             a->metric ? a->metric : "",
                             about,
                             sva_action_status_name(a->status),
                             a->owner,
                             a->due ? a->due : "",
                             a->overdue ? "overdue" : "",
                             carried,
                             what};
        table_row(&t, row);
    }
    table_print(&t, fmt, stdout);
    table_free(&t);
}

static void show_action(sva_db *db, const sva_action *a, const sva_form *form, cli_format fmt)
{
    sva_history *h = NULL;
    size_t nh = 0;
    sva_diag d;
    sva_diag_init(&d);
    sva_db_action_history(db, a->id, &h, &nh, &d);
    sva_diag_clear(&d);
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_kint(&j, "id", a->id);
        json_kstring(&j, "cycle", a->cycle);
        json_kstring(&j, "store", a->store);
        json_kstring(&j, "status", sva_action_status_name(a->status));
        json_kbool(&j, "overdue", a->overdue);
        json_kstring(&j, "owner", a->owner);
        json_kstring(&j, "due", a->due);
        json_kstring(&j, "metric", a->metric);
        json_kint(&j, "carried_from", a->carried_from);
        json_kint(&j, "carried_to", a->carried_to);
        json_kstring(&j, "carried_from_cycle", a->carried_from_cycle);
        json_key(&j, "fields");
        json_object(&j);
        for (size_t k = 0; k < a->n_fields; k++)
            json_kstring(&j, a->fields[k].key, a->fields[k].value);
        json_end(&j);
        json_key(&j, "history");
        json_array(&j);
        for (size_t k = 0; k < nh; k++) {
            json_object(&j);
            json_kstring(&j, "at", h[k].at);
            json_kstring(&j, "by", h[k].actor);
            json_kstring(&j, "change", h[k].change);
            json_end(&j);
        }
        json_end(&j);
        json_end(&j);
        json_finish(&j);
    } else {
        printf("action %lld  cycle %s  store %s (%s)\n", a->id, a->cycle, a->store,
               *a->region ? cli_clean(a->region) : "no region");
        printf("status: %s%s", sva_action_status_name(a->status), a->overdue ? "  OVERDUE" : "");
        if (a->carried_from_cycle)
            printf("  (carried over from cycle %s)", a->carried_from_cycle);
        if (a->carried_from)
            printf("  (carried over from action %lld)", a->carried_from);
        if (a->carried_to)
            printf("  (carried over to action %lld)", a->carried_to);
        printf("\n");
        if (a->metric)
            printf("metric: %s\n", a->metric);
        if (a->checklist)
            printf("about: %s %s%s\n", a->checklist, a->item ? a->item : "",
                   a->section ? a->section : "");
        if (a->source_audit)
            printf("from audit: %lld\n", a->source_audit);
        for (size_t i = 0; i < form->n_fields; i++) {
            const char *val = "";
            for (size_t k = 0; k < a->n_fields; k++)
                if (strcmp(a->fields[k].key, form->fields[i].key) == 0)
                    val = a->fields[k].value;
            printf("  %-10s %s\n", cli_clean(sva_i18n_get(&form->fields[i].label, NULL)),
                   cli_clean(val));
        }
        printf("history:\n");
        for (size_t k = 0; k < nh; k++)
            printf("  %s  %s  %s\n", h[k].at, cli_clean(h[k].actor), cli_clean(h[k].change));
    }
    sva_history_free(h, nh);
}

/* ---- the subcommands ---- */

static sva_action_input in;
static sva_action_filter filt;
static sva_kv set[MAX_SET];
static size_t n_set;
static const char *status;
static long long from_audit, id;
static int format = CLI_TABLE;

static bool check_status(const char *value, char *why, size_t size)
{
    sva_action_status st;
    if (sva_action_status_parse(value, &st))
        return true;
    size_t used = (size_t)snprintf(why, size, "unknown status '%s' (", value);
    for (int s = SVA_ACTION_OPEN; s <= SVA_ACTION_REOPENED && used < size; s++)
        used += (size_t)snprintf(why + used, size - used, "%s%s", s ? ", " : "",
                                 sva_action_status_name((sva_action_status)s));
    if (used < size)
        snprintf(why + used, size - used, ")");
    return false;
}

static int check_add(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!from_audit && (!in.cycle || !in.store))
        return cli_usage_error(c->name, "add needs --cycle and --store (or --from-audit)");
    return EXIT_OKAY;
}

static int run_add(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    const sva_form *form = find_form(c->cat);
    if (!form)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    char *owned[MAX_SET] = {0};
    in.actor = NULL; /* the database's: --by, $SVCAUDIT_USER, the login name */
    if (from_audit) {
        size_t made = 0, skipped = 0;
        if (sva_db_action_from_audit(c->db, form, c->cat, from_audit, set, n_set, NULL, &made,
                                     &skipped, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            printf("%zu %s opened from audit %lld; %zu %s already had one\n",
                   CLI_N(made, "action", "actions"), from_audit,
                   CLI_N(skipped, "failed item", "failed items"));
        }
    } else {
        if (!n_set && isatty(STDIN_FILENO))
            n_set = ask_fields(form, set, owned);
        in.set = set;
        in.n_set = n_set;
        long long nid;
        if (sva_db_action_add(c->db, form, c->cat, &in, &nid, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            printf("action %lld opened\n", nid);
        }
    }
    for (size_t i = 0; i < MAX_SET; i++)
        free(owned[i]);
    sva_diag_clear(&d);
    return rc;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_action *v;
    size_t n;
    int rc = EXIT_OKAY;
    filt.today = cli_today();
    const cli_ref refs[] = {{SVA_REF_CYCLE, "--cycle", filt.cycle},
                            {SVA_REF_STORE, "--store", filt.store},
                            {SVA_REF_OWNER, "--owner", filt.owner},
                            {0, NULL, NULL}};
    if (cli_check_refs(c->db, refs)) {
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    if (sva_db_action_list(c->db, &filt, &v, &n, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        print_actions(v, n, (cli_format)format);
        sva_actions_free(v, n);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_show(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    const sva_form *form = find_form(c->cat);
    if (!form)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    sva_action *a;
    int rc = EXIT_OKAY;
    if (sva_db_action_get(c->db, id, cli_today(), &a, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        show_action(c->db, a, form, (cli_format)format);
        sva_actions_free(a, 1);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_update(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    const sva_form *form = find_form(c->cat);
    if (!form)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_action_update(c->db, form, id, status, set, n_set, NULL, cli_today(), &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("action %lld updated\n", id);
    }
    sva_diag_clear(&d);
    return rc;
}

#define OPT_FIELDS OPT_SET("set", set, &n_set, MAX_SET, "FIELD=VALUE", "a field of the action form")

static const cli_opt add_opts[] = {
    OPT_STRING(0, "cycle", &in.cycle, "ID", "the cycle", 0),
    OPT_STRING(0, "store", &in.store, "S", "the store", 0),
    OPT_STRING(0, "checklist", &in.checklist, "C", "about this checklist ...", 0),
    OPT_STRING(0, "item", &in.item, "I", "... and this item of it", 0),
    OPT_STRING(0, "section", &in.section, "S", "... or this section of it", 0),
    OPT_STRING(0, "metric", &in.metric, "M", "the metric it is to raise", 0),
    OPT_FIELDS,
    OPT_ID("from-audit", &from_audit, "ID", "one action per failed item of this audit"),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_STRING(0, "cycle", &filt.cycle, "ID", "only this cycle", 0),
    OPT_STRING(0, "store", &filt.store, "S", "only this store", 0),
    OPT_STRING_CHECK("status", &filt.status, "S", "only this status", 0, check_status),
    OPT_STRING(0, "owner", &filt.owner, "O", "only this owner", 0),
    OPT_FLAG(0, "overdue", &filt.overdue_only, "only overdue actions"),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt show_opts[] = {
    OPT_ENUM("format", &format, cli_formats_show, "output format (default table)"),
    OPT_END(),
};
static const cli_opt update_opts[] = {
    OPT_STRING_CHECK("status", &status, "S", "the new status", 0, check_status),
    OPT_FIELDS,
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "add",
     .synopsis =
         "svcaudit action add --cycle ID --store S [--checklist C [--item I | --section S]]\n"
         "                           [--metric M] [--set FIELD=VALUE]... [--by NAME]\n"
         "       svcaudit action add --from-audit ID [--set FIELD=VALUE]...",
     .opts = add_opts, .check = check_add, .run = run_add},
    {.name = "list",
     .synopsis = "svcaudit action list [--cycle ID] [--store S] [--status S] [--owner O] "
                 "[--overdue]\n"
                 "                            [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "show", .synopsis = "svcaudit action show ID [--format table|json]",
     .opts = show_opts, .min_args = 1, .max_args = 1, .args = "one action number",
     .id_arg = &id, .id_what = "an action number", .run = run_show},
    {.name = "update",
     .synopsis = "svcaudit action update ID [--status in_progress|done|verified|reopened]\n"
                 "                                 [--set FIELD=VALUE]... [--by NAME]",
     .opts = update_opts, .min_args = 1, .max_args = 1, .args = "one action number",
     .id_arg = &id, .id_what = "an action number", .run = run_update},
};

const cli_command cmd_action = {subs, sizeof subs / sizeof *subs, ABOUT};

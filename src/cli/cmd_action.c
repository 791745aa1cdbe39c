/* svcaudit CLI: `svcaudit action add|list|show|update`: the Do step's 5W1H
 * corrective actions, with the fields the action form defines. */
#include "cli.h"
#include "commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: svcaudit action add --cycle ID --store S [--checklist C [--item I | --section S]]\n"
    "                           [--metric M] [--set FIELD=VALUE]... [--by NAME]\n"
    "       svcaudit action add --from-audit ID [--set FIELD=VALUE]...\n"
    "       svcaudit action list [--cycle ID] [--store S] [--status S] [--owner O] [--overdue]\n"
    "                            [--format table|csv|json]\n"
    "       svcaudit action show ID [--format table|json]\n"
    "       svcaudit action update ID [--status in_progress|done|verified|reopened]\n"
    "                                 [--set FIELD=VALUE]... [--by NAME]\n"
    "\n"
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
        if (a->carried_from)
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
               *a->region ? a->region : "no region");
        printf("status: %s%s", sva_action_status_name(a->status), a->overdue ? "  OVERDUE" : "");
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
            printf("  %-10s %s\n", sva_i18n_get(&form->fields[i].label, NULL), val);
        }
        printf("history:\n");
        for (size_t k = 0; k < nh; k++)
            printf("  %s  %s  %s\n", h[k].at, h[k].actor, h[k].change);
    }
    sva_history_free(h, nh);
}

static bool parse_id(const char *s, long long *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0 || errno == ERANGE)
        return false;
    *id = v;
    return true;
}

int cmd_action(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"cycle", required_argument, NULL, 'c'},
                                         {"store", required_argument, NULL, 's'},
                                         {"checklist", required_argument, NULL, 'k'},
                                         {"item", required_argument, NULL, 'i'},
                                         {"section", required_argument, NULL, 'S'},
                                         {"metric", required_argument, NULL, 'm'},
                                         {"set", required_argument, NULL, 'x'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"from-audit", required_argument, NULL, 'a'},
                                         {"status", required_argument, NULL, 't'},
                                         {"owner", required_argument, NULL, 'o'},
                                         {"overdue", no_argument, NULL, 'O'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    sva_action_input in = {0};
    sva_action_filter filt = {0};
    sva_kv set[MAX_SET];
    size_t n_set = 0;
    const char *by = NULL, *from_audit = NULL, *status = NULL, *format = NULL;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'c': in.cycle = filt.cycle = optarg; break;
        case 's': in.store = filt.store = optarg; break;
        case 'k': in.checklist = optarg; break;
        case 'i': in.item = optarg; break;
        case 'S': in.section = optarg; break;
        case 'm': in.metric = optarg; break;
        case 'b': by = optarg; break;
        case 'a': from_audit = optarg; break;
        case 't': status = filt.status = optarg; break;
        case 'o': filt.owner = optarg; break;
        case 'O': filt.overdue_only = true; break;
        case 'f': format = optarg; break;
        case 'x':
            if (n_set == MAX_SET)
                return cli_usage_error("action", "--set: at most %d fields", MAX_SET);
            if (!cli_parse_set(optarg, &set[n_set]))
                return cli_usage_error("action", "--set: want FIELD=VALUE, not '%s'", optarg);
            n_set++;
            break;
        default:
            return cli_usage_error("action", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("action", "missing subcommand (add, list, show, update)");
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    long long id = 0;
    if (strcmp(sub, "add") == 0) {
        if (npos)
            return cli_usage_error("action", "add takes no arguments");
        if (from_audit && !parse_id(from_audit, &id))
            return cli_usage_error("action", "--from-audit: '%s' is not an audit number",
                                   from_audit);
        if (!from_audit && (!in.cycle || !in.store))
            return cli_usage_error("action", "add needs --cycle and --store (or --from-audit)");
        if (status)
            return cli_usage_error("action", "a new action is open; --status is for update");
    } else if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("action", "list takes no arguments");
        if (status) {
            sva_action_status st;
            if (!sva_action_status_parse(status, &st))
                return cli_usage_error("action", "--status: unknown status '%s'", status);
        }
    } else if (strcmp(sub, "show") == 0 || strcmp(sub, "update") == 0) {
        if (npos != 1)
            return cli_usage_error("action", "%s takes one action number", sub);
        if (!parse_id(pos[0], &id))
            return cli_usage_error("action", "%s: '%s' is not an action number", sub, pos[0]);
    } else {
        return cli_usage_error("action", "unknown subcommand '%s'", sub);
    }
    sva_catalog *cat = cli_catalog(NULL);
    if (!cat)
        return EXIT_DATA;
    const sva_form *form = find_form(cat);
    sva_db *db = form ? cli_open_db(SVA_DB_EXISTING) : NULL;
    if (!db) {
        sva_catalog_free(cat);
        return EXIT_DATA;
    }
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    char *owned[MAX_SET] = {0};
    in.actor = cli_actor(by);
    filt.today = cli_today();
    if (strcmp(sub, "add") == 0 && from_audit) {
        size_t made = 0, skipped = 0;
        if (sva_db_action_from_audit(db, form, cat, id, set, n_set, in.actor, &made, &skipped,
                                     &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            printf("%zu action%s opened from audit %lld; %zu failed item%s already had one\n",
                   made, made == 1 ? "" : "s", id, skipped, skipped == 1 ? "" : "s");
        }
    } else if (strcmp(sub, "add") == 0) {
        if (!n_set && isatty(STDIN_FILENO))
            n_set = ask_fields(form, set, owned);
        in.set = set;
        in.n_set = n_set;
        long long nid;
        if (sva_db_action_add(db, form, cat, &in, &nid, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            printf("action %lld opened\n", nid);
        }
    } else if (strcmp(sub, "list") == 0) {
        sva_action *v;
        size_t n;
        if (sva_db_action_list(db, &filt, &v, &n, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            print_actions(v, n, fmt);
            sva_actions_free(v, n);
        }
    } else if (strcmp(sub, "show") == 0) {
        sva_action *a;
        if (sva_db_action_get(db, id, filt.today, &a, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            show_action(db, a, form, fmt);
            sva_actions_free(a, 1);
        }
    } else {
        if (sva_db_action_update(db, form, id, status, set, n_set, in.actor, filt.today, &d)) {
            cli_print_diag(&d);
            rc = EXIT_DATA;
        } else {
            printf("action %lld updated\n", id);
        }
    }
    for (size_t i = 0; i < MAX_SET; i++)
        free(owned[i]);
    sva_diag_clear(&d);
    sva_db_close(db);
    sva_catalog_free(cat);
    return rc;
}

/* svcaudit CLI: `svcaudit merge OTHER.db | --conflicts | --resolve N --keep here|there`:
 * bring another database's records in, trusting nothing in it; list and
 * settle the conflicts. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "Bring the records of OTHER.db in: audits with their voids, unvoids and\n"
    "amendments (every revision, with the ones it replaced), appeals, actions\n"
    "with their fields, history, checks and carries, targets, survey results,\n"
    "reasons for missed targets, plans, reasons for missed planned audits,\n"
    "owners, cycles with their closes and reopens, stores and employees with\n"
    "their history and dated changes (--from), and the checklist versions they\n"
    "use. The file is\n"
    "trusted for nothing: its schema, every row and every audit's score are\n"
    "checked, and the first problem refuses the whole file (exit 3, nothing\n"
    "merged). Merging twice adds nothing; the order of merges does not matter.\n"
    "\n"
    "A record changes here only when the database that made it changed it. A\n"
    "change made elsewhere to a record (voiding or amending this office's audit,\n"
    "editing its action, resolving its appeal) is a conflict: this database's\n"
    "version stays, the other is kept, and the exit status is 1 until someone\n"
    "settles it with --resolve N --keep here|there (who and when are kept).\n"
    "Stores and employees take the later change; the other stays in their\n"
    "history. Of their dated changes the latest by its day holds (one day: the\n"
    "one made later). A cycle closed here takes nothing: each record of it the file\n"
    "would add or change is named, not taken, and the exit status is 1 (reopen\n"
    "the cycle and merge again to take them).\n"
    "\n"
    "It says what came in one line: the audits, actions, cycles and cycle closes\n"
    "added, how many other records, the open conflicts (\"nothing new\" when\n"
    "nothing came); --verbose gives every count.\n"
    "\n"
    "  --conflicts        list the open conflicts, with what differs (--all: settled too)\n"
    "  --resolve N        settle conflict N, keeping --keep here or --keep there\n";

static bool list_conflicts, all, verbose;
static long long resolve;
static int keep = -1;
static int format = CLI_TABLE;

static const cli_choice keeps[] = {{"here", 0}, {"there", 1}, {NULL, 0}};

static const char *shown(const char *v)
{
    return v ? cli_clean(v) : "(none)";
}

/* An action's check or carry kept with its conflict is a version written
 * down ("name=value", "name~" for none, one a line): shown one field a line,
 * without the action (the conflict's key) and the merge's bookkeeping. */
static void print_row(const char *v)
{
    if (!v || !strchr(v, '\n')) {
        printf("        %s\n", shown(v));
        return;
    }
    static const char *const skip[] = {"action", "origin", "sync_rev", "changed_in"};
    for (const char *line = v; *line;) {
        size_t len = strcspn(line, "\n"), k = strcspn(line, "=~\n");
        char *l = strndup(line, len);
        if (l && k < len) {
            l[k] = '\0';
            bool show = true;
            for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
                show = show && strcmp(l, skip[i]) != 0;
            if (show)
                printf("        %s: %s\n", cli_clean(l),
                       line[k] == '=' ? cli_clean(l + k + 1) : "(none)");
        }
        free(l);
        line += len + (line[len] == '\n');
    }
}

static void print_table(const sva_conflict *v, size_t n)
{
    if (!n) {
        printf("no %sconflicts\n", all ? "" : "open ");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const sva_conflict *c = &v[i];
        printf("conflict %lld: %s %s, a version from %s%s%s, found %s", c->id, c->kind,
               cli_clean(c->key), *c->sender_name ? "'" : "another database (",
               *c->sender_name ? cli_clean(c->sender_name) : c->sender,
               *c->sender_name ? "'" : ")", c->found_at);
        if (c->resolved_at)
            printf("; settled %s by %s: kept %s", c->resolved_at, cli_clean(c->resolved_by),
                   c->kept);
        printf("\n");
        if (c->here_missing)
            printf("    (the record is not here)\n");
        for (size_t k = 0; k < c->n_fields; k++) {
            const sva_conflict_field *f = &c->fields[k];
            if (strcmp(f->name, "check") == 0 || strcmp(f->name, "carry") == 0) {
                if (f->here) {
                    printf("    %s: here:\n", f->name);
                    print_row(f->here);
                    printf("      there:\n");
                } else {
                    printf("    %s: here (none), there:\n", f->name);
                }
                print_row(f->there);
                continue;
            }
            printf("    %s: here %s, there %s\n", cli_clean(f->name), shown(f->here),
                   shown(f->there));
        }
    }
}

static void print_json(const sva_conflict *v, size_t n)
{
    cli_json j;
    json_init(&j, stdout);
    json_array(&j);
    for (size_t i = 0; i < n; i++) {
        const sva_conflict *c = &v[i];
        json_object(&j);
        json_kint(&j, "id", c->id);
        json_kstring(&j, "kind", c->kind);
        json_kstring(&j, "key", c->key);
        json_kstring(&j, "from", c->sender);
        json_kstring(&j, "from_name", c->sender_name);
        json_kstring(&j, "found_at", c->found_at);
        json_kstring(&j, "resolved_at", c->resolved_at);
        json_kstring(&j, "resolved_by", c->resolved_by);
        json_kstring(&j, "kept", c->kept);
        json_kbool(&j, "here_missing", c->here_missing);
        json_key(&j, "fields");
        json_array(&j);
        for (size_t k = 0; k < c->n_fields; k++) {
            json_object(&j);
            json_kstring(&j, "field", c->fields[k].name);
            json_kstring(&j, "here", c->fields[k].here);
            json_kstring(&j, "there", c->fields[k].there);
            json_end(&j);
        }
        json_end(&j);
        json_end(&j);
    }
    json_end(&j);
    json_finish(&j);
}

static void print_csv(const sva_conflict *v, size_t n)
{
    printf("id,kind,key,from,from_name,found_at,resolved_at,resolved_by,kept,field,here,there\n");
    for (size_t i = 0; i < n; i++) {
        const sva_conflict *c = &v[i];
        for (size_t k = 0; k < c->n_fields || (k == 0 && !c->n_fields); k++) {
            printf("%lld,", c->id);
            const char *cells[] = {c->kind,        c->key,         c->sender, c->sender_name,
                                   c->found_at,    c->resolved_at, c->resolved_by, c->kept,
                                   c->n_fields ? c->fields[k].name : NULL,
                                   c->n_fields ? c->fields[k].here : NULL,
                                   c->n_fields ? c->fields[k].there : NULL};
            for (size_t x = 0; x < sizeof cells / sizeof *cells; x++) {
                csv_str(stdout, cells[x] ? cells[x] : "");
                fputs(x + 1 < sizeof cells / sizeof *cells ? "," : "\n", stdout);
            }
        }
    }
}

static int run_conflicts(sva_db *db)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_conflict *v;
    size_t n;
    int rc = EXIT_OKAY;
    if (sva_db_conflicts(db, all, &v, &n, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        if (format == CLI_JSON)
            print_json(v, n);
        else if (format == CLI_CSV)
            print_csv(v, n);
        else
            print_table(v, n);
        sva_conflicts_free(v, n);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_resolve(sva_db *db)
{
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_conflict_resolve(db, resolve, keep == 1, cli_actor(), &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        /* settled, with the rows a cycle closed here did not take named */
        cli_print_diag(&d);
        printf("conflict %lld settled: kept the version %s\n", resolve,
               keep == 1 ? "there" : "here");
        if (d.n)
            rc = EXIT_FOUND;
    }
    sva_diag_clear(&d);
    return rc;
}

/* Every count of a merge on one line (--verbose). */
static void print_every_count(const char *other, const sva_merge_stats *st)
{
    printf("merged %s%s%s%s: %zu %s added, %zu already here; %zu %s, %zu %s, %zu %s, %zu %s "
           "added; %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, %zu %s, "
           "%zu %s, %zu %s added; %zu %s added; %zu %s, %zu %s, %zu %s, %zu %s taken; %zu %s\n",
           other, *st->from.name ? " (" : "", cli_clean(st->from.name),
           *st->from.name ? ")" : "", CLI_N(st->audits_added, "audit", "audits"),
           st->audits_same, CLI_N(st->stores_added, "store", "stores"),
           CLI_N(st->employees_added, "employee", "employees"),
           CLI_N(st->cycles_added, "cycle", "cycles"),
           CLI_N(st->checklists_added, "checklist version", "checklist versions"),
           CLI_N(st->actions_added, "action", "actions"),
           CLI_N(st->history_added, "history line", "history lines"),
           CLI_N(st->targets_added, "target", "targets"),
           CLI_N(st->surveys_added, "survey result", "survey results"),
           CLI_N(st->reasons_added, "reason", "reasons"),
           CLI_N(st->plans_added, "plan", "plans"), CLI_N(st->owners_added, "owner", "owners"),
           CLI_N(st->appeals_added, "appeal", "appeals"),
           CLI_N(st->closes_added, "close", "closes"),
           CLI_N(st->checks_added, "action check", "action checks"),
           CLI_N(st->carries_added, "action carry", "action carries"),
           CLI_N(st->events_added, "store or employee event", "store and employee events"),
           CLI_N(st->voids, "void", "voids"), CLI_N(st->amendments, "amendment", "amendments"),
           CLI_N(st->master_changed, "store or employee change", "store or employee changes"),
           CLI_N(st->updated, "other change", "other changes"),
           CLI_N(st->conflicts, "conflict", "conflicts"));
}

/* The summary a regional manager reads: the audits, actions, cycles and
 * closes added, how many other records came, the open conflicts; only what
 * is not zero, and "nothing new" when nothing came. */
static void print_summary(const char *other, const sva_merge_stats *st)
{
    printf("merged %s%s%s%s: ", other, *st->from.name ? " (" : "", cli_clean(st->from.name),
           *st->from.name ? ")" : "");
    const struct {
        size_t n;
        const char *one, *many;
    } added[] = {{st->audits_added, "audit", "audits"},
                 {st->actions_added, "action", "actions"},
                 {st->cycles_added, "cycle", "cycles"},
                 {st->closes_added, "cycle close", "cycle closes"}};
    const char *sep = "";
    for (size_t i = 0; i < sizeof added / sizeof *added; i++)
        if (added[i].n) {
            printf("%s%zu %s", sep, CLI_N(added[i].n, added[i].one, added[i].many));
            sep = ", ";
        }
    if (*sep)
        printf(" added");
    size_t more = st->stores_added + st->employees_added + st->checklists_added +
                  st->history_added + st->targets_added + st->surveys_added + st->reasons_added +
                  st->plans_added + st->owners_added + st->appeals_added + st->checks_added +
                  st->carries_added + st->events_added + st->voids + st->amendments +
                  st->master_changed + st->updated;
    if (more) {
        printf("%s%zu %s (--verbose counts them)", *sep ? "; " : "",
               CLI_N(more, "other record added or changed", "other records added or changed"));
        sep = "; ";
    }
    if (st->conflicts) {
        printf("%s%zu %s", *sep ? "; " : "", CLI_N(st->conflicts, "conflict", "conflicts"));
        sep = "; ";
    }
    if (!*sep) {
        printf("%s", st->closed_skipped ? "nothing taken" : "nothing new");
        if (st->audits_same)
            printf(" (%zu %s)", CLI_N(st->audits_same, "audit already here", "audits already here"));
    }
    printf("\n");
}

static int run_merge(sva_db *db, const char *other)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_merge_stats st;
    sva_error rc = sva_db_merge(db, other, &st, &d);
    cli_print_diag(&d);
    int status = EXIT_OKAY;
    if (rc) {
        status = EXIT_DATA;
    } else {
        if (verbose)
            print_every_count(other, &st);
        else
            print_summary(other, &st);
        if (st.closed_skipped)
            printf("%zu %s of closed cycles not taken (see above)\n",
                   CLI_N(st.closed_skipped, "record", "records"));
        if (st.conflicts || st.closed_skipped)
            status = EXIT_FOUND;
    }
    sva_diag_clear(&d);
    return status;
}

static int run(cli_ctx *c, int argc, char **argv)
{
    if (list_conflicts)
        return run_conflicts(c->db);
    if (resolve)
        return run_resolve(c->db);
    (void)argc;
    return run_merge(c->db, argv[0]);
}

/* One of OTHER.db, --conflicts, --resolve N --keep ...; the others' flags only with them. */
static int check(const cli_ctx *c, int argc, char **argv)
{
    (void)argv;
    int modes = (argc > 0) + (list_conflicts != 0) + (resolve != 0);
    if (modes != 1)
        return cli_usage_error(c->name, modes ? "give one of OTHER.db, --conflicts, --resolve N"
                                              : "missing OTHER.db (or --conflicts, or "
                                                "--resolve N --keep here|there)");
    if (resolve && keep < 0)
        return cli_usage_error(c->name, "--resolve N needs --keep here or --keep there");
    if (!resolve && keep >= 0)
        return cli_usage_error(c->name, "--keep goes with --resolve N");
    if (verbose && (list_conflicts || resolve))
        return cli_usage_error(c->name, "--verbose goes with merge OTHER.db");
    if (!list_conflicts && (all || format != CLI_TABLE))
        return cli_usage_error(c->name, "--%s goes with --conflicts", all ? "all" : "format");
    return EXIT_OKAY;
}

static const cli_opt opts[] = {
    OPT_FLAG(0, "verbose", &verbose, "with OTHER.db: every count, on one line"),
    OPT_FLAG(0, "conflicts", &list_conflicts, "list the open conflicts"),
    OPT_FLAG(0, "all", &all, "with --conflicts: the settled ones too"),
    OPT_ID("resolve", &resolve, "N", "settle conflict N"),
    OPT_ENUM("keep", &keep, keeps, "with --resolve: keep the version here or there"),
    OPT_ENUM("format", &format, cli_formats, "with --conflicts: table, csv or json"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit [--db FILE|URL] merge [--verbose] OTHER.db\n"
                 "       svcaudit [--db FILE|URL] merge --conflicts [--all] [--format table|csv|json]\n"
                 "       svcaudit [--db FILE|URL] merge --resolve N --keep here|there [--by NAME]",
     .opts = opts, .min_args = 0, .max_args = 1, .args = "one OTHER.db", .check = check,
     .run = run}};

const cli_command cmd_merge = {subs, 1, ABOUT};

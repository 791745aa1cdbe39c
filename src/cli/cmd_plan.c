/* svcaudit CLI: `svcaudit plan ...`: which checklists are due how often at
 * which stores (per employee) and by whom, per cycle; coverage (planned,
 * done, due, missed); an auditor's list of what is due; reasons for missed
 * planned audits. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char ABOUT[] =
    "A plan says how many audits of a checklist a store needs in a cycle: --times N\n"
    "over the whole cycle, or per --every day, week or month (N each, default 1);\n"
    "--per-employee: that many for each employee working there. For one checklist a\n"
    "store's own plan wins over its region's, which wins over --all-stores (as\n"
    "targets do); --times 0 at one store: none there. Setting a plan again for the\n"
    "same checklist and scope replaces it.\n"
    "\n"
    "Weeks run Monday to Sunday; a week belongs to the cycle holding its Thursday,\n"
    "a month to the cycle holding its 15th; the days of a cycle outside them join\n"
    "its first or last week (month). An audit counts in its own period first; one\n"
    "beyond what its period needs makes up for an earlier period (done late). What\n"
    "is not done is due while its period lasts and missed after it; a missed\n"
    "planned audit needs a reason before the cycle closes (plan reason).\n"
    "\n"
    "FILE.ini: one section per plan with cycle, checklist, store | region |\n"
    "all_stores = yes, times and/or every, per_employee = yes|no, auditor. All or\n"
    "nothing, errors as file:line.\n";

static const char *cycle, *checklist, *store, *region, *auditor, *employee, *from_cycle,
    *to_cycle, *until, *text;
static bool all_stores, per_employee, week;
static long times = -1;
static int every = -1;
static int format = CLI_TABLE;

static const cli_choice every_choices[] = {
    {"day", SVA_EVERY_DAY}, {"week", SVA_EVERY_WEEK}, {"month", SVA_EVERY_MONTH}, {NULL, 0}};

/* ---- the coverage block, shared with cycle status ---------------------------------------- */

/* "16/46" */
static const char *of(long done, long planned, char *buf, size_t size)
{
    snprintf(buf, size, "%ld/%ld", done, planned);
    return buf;
}

void plan_coverage_print(const sva_coverage *c, const char *only, const char *in_region, FILE *f)
{
    static const char *const hdr[] = {"store", "region", "done/planned", "late", "due", "missed"};
    cli_table t;
    table_init(&t, 6, hdr);
    char a[48], b[24], e[24], g[24];
    for (size_t i = 0; i < c->n_stores; i++) {
        const sva_cover_total *s = &c->stores[i];
        if ((only && strcmp(s->store, only) != 0) || (in_region && strcmp(s->region, in_region) != 0))
            continue;
        snprintf(b, sizeof b, "%ld", s->late);
        snprintf(e, sizeof e, "%ld", s->due);
        snprintf(g, sizeof g, "%ld", s->missed);
        const char *row[] = {s->store, s->region, of(s->done, s->planned, a, sizeof a), b, e, g};
        table_row(&t, row);
    }
    if (!only && !in_region) {
        const sva_cover_total *s = &c->network;
        snprintf(b, sizeof b, "%ld", s->late);
        snprintf(e, sizeof e, "%ld", s->due);
        snprintf(g, sizeof g, "%ld", s->missed);
        const char *row[] = {"network", "", of(s->done, s->planned, a, sizeof a), b, e, g};
        table_row(&t, row);
    }
    table_print(&t, CLI_TABLE, f);
    table_free(&t);
    sva_cover_miss *m = NULL;
    size_t nm = 0, shown = 0;
    if (sva_coverage_missed(c, only, &m, &nm)) {
        cli_error("out of memory");
        return;
    }
    for (size_t i = 0; i < nm; i++) {
        const sva_cover_unit *u = &c->units[m[i].unit];
        if (in_region && strcmp(u->region, in_region) != 0)
            continue;
        if (!shown++)
            fprintf(f, "\nmissed planned audits:\n");
        fprintf(f, "  %s%s%s  %s  %s..%s  %ld of %ld%s%s\n", cli_clean(u->store),
                u->employee ? " " : "", u->employee ? cli_clean(u->employee) : "", u->checklist,
                m[i].from, m[i].to, m[i].missed, m[i].planned, u->reason ? "  reason: " : "",
                u->reason ? cli_clean(u->reason) : "");
    }
    free(m);
}

static void total_json(cli_json *j, const sva_cover_total *s)
{
    json_kint(j, "planned", s->planned);
    json_kint(j, "done", s->done);
    json_kint(j, "late", s->late);
    json_kint(j, "due", s->due);
    json_kint(j, "missed", s->missed);
}

void plan_coverage_json(const sva_coverage *c, const char *only, const char *in_region,
                        cli_json *j)
{
    json_object(j);
    json_kstring(j, "today", c->today);
    json_key(j, "network");
    json_object(j);
    total_json(j, &c->network);
    json_end(j);
    json_key(j, "stores");
    json_array(j);
    for (size_t i = 0; i < c->n_stores; i++) {
        if ((only && strcmp(c->stores[i].store, only) != 0) ||
            (in_region && strcmp(c->stores[i].region, in_region) != 0))
            continue;
        json_object(j);
        json_kstring(j, "store", c->stores[i].store);
        json_kstring(j, "region", c->stores[i].region);
        total_json(j, &c->stores[i]);
        json_end(j);
    }
    json_end(j);
    json_key(j, "missed");
    json_array(j);
    sva_cover_miss *m = NULL;
    size_t nm = 0;
    if (sva_coverage_missed(c, only, &m, &nm))
        cli_error("out of memory");
    for (size_t i = 0; i < nm; i++) {
        const sva_cover_unit *u = &c->units[m[i].unit];
        if (in_region && strcmp(u->region, in_region) != 0)
            continue;
        json_object(j);
        json_kstring(j, "store", u->store);
        if (u->employee)
            json_kstring(j, "employee", u->employee);
        else {
            json_key(j, "employee");
            json_null(j);
        }
        json_kstring(j, "checklist", u->checklist);
        json_kstring(j, "from", m[i].from);
        json_kstring(j, "to", m[i].to);
        json_kint(j, "periods", m[i].periods);
        json_kint(j, "planned", m[i].planned);
        json_kint(j, "missed", m[i].missed);
        if (u->reason)
            json_kstring(j, "reason", u->reason);
        else {
            json_key(j, "reason");
            json_null(j);
        }
        json_end(j);
    }
    free(m);
    json_end(j);
    json_end(j);
}

/* ---- set, import, list, copy ------------------------------------------------------------------ */

static int check_set(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if ((store != NULL) + (region != NULL) + all_stores != 1)
        return cli_usage_error(c->name, "give one of --store, --region or --all-stores");
    if (times < 0 && every < 0)
        return cli_usage_error(c->name, "how often? give --times N and/or --every "
                                        "day|week|month");
    return EXIT_OKAY;
}

static int run_set(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_plan p = {.cycle = (char *)cycle,
                  .checklist = (char *)checklist,
                  .scope = store ? SVA_SCOPE_STORE : region ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK,
                  .scope_id = (char *)(store ? store : region ? region : ""),
                  .per_employee = per_employee,
                  .times = times < 0 ? 1 : times,
                  .every = every < 0 ? SVA_EVERY_CYCLE : (sva_plan_every)every,
                  .auditor = (char *)(auditor ? auditor : "")};
    sva_diag d;
    sva_diag_init(&d);
    long long id = 0;
    int rc = EXIT_OKAY;
    if (sva_db_plan_set(c->db, &p, c->cat, &id, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("plan %lld: %s %ld %s %s%s at %s%s%s in cycle %s%s%s\n", id, checklist, p.times,
               p.every == SVA_EVERY_CYCLE ? "in the" : "a", sva_plan_every_name(p.every),
               per_employee ? " per employee" : "",
               sva_scope_name(p.scope), *p.scope_id ? " " : "", cli_clean(p.scope_id), cycle,
               *p.auditor ? ", by " : "", cli_clean(p.auditor));
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    size_t n = 0;
    int rc = EXIT_OKAY;
    if (sva_import_plans(c->db, argv[0], c->cat, &n, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("plans: %zu set from %s\n", n, argv[0]);
    }
    sva_diag_clear(&d);
    return rc;
}

static int run_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_plan *v = NULL;
    size_t n = 0;
    sva_plan_facts *f = NULL;
    sva_coverage *cov = NULL;
    int rc = EXIT_OKAY;
    if (sva_plan_status(c->db, cycle, cli_today(), &f, &cov, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    v = f->plans;
    n = f->n_plans;
    static const char *const hdr[] = {"plan",   "cycle",   "checklist", "scope",
                                      "id",     "per_employee", "times", "every",
                                      "auditor", "stores", "planned"};
    cli_table t;
    table_init(&t, 11, hdr);
    t.numeric = (1u << 0) | (1u << 6) | (1u << 9) | (1u << 10);
    t.boolean = 1u << 5;
    for (size_t i = 0; i < n; i++) {
        /* what the plan comes to: the stores it is in force at, its audits */
        long planned = 0, stores = 0;
        const char *last = NULL;
        for (size_t u = 0; u < cov->n_units; u++) {
            if (cov->units[u].plan != &v[i])
                continue;
            planned += cov->units[u].planned;
            if (!last || strcmp(last, cov->units[u].store) != 0)
                stores++;
            last = cov->units[u].store;
        }
        char id[24], tm[24], st[24], pl[24];
        snprintf(id, sizeof id, "%lld", v[i].id);
        snprintf(tm, sizeof tm, "%ld", v[i].times);
        snprintf(st, sizeof st, "%ld", stores);
        snprintf(pl, sizeof pl, "%ld", planned);
        const char *row[] = {id, v[i].cycle, v[i].checklist, sva_scope_name(v[i].scope),
                             v[i].scope_id, v[i].per_employee ? "yes" : "", tm,
                             sva_plan_every_name(v[i].every), v[i].auditor, st, pl};
        table_row(&t, row);
    }
    table_print(&t, (cli_format)format, stdout);
    table_free(&t);
    sva_coverage_free(cov);
    sva_plan_facts_free(f);
    sva_diag_clear(&d);
    return rc;
}

static int run_copy(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    size_t n = 0;
    int rc = EXIT_OKAY;
    if (sva_db_plan_copy(c->db, from_cycle, to_cycle, &n, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("plans: %zu copied from cycle %s to %s\n", n, from_cycle, to_cycle);
    }
    sva_diag_clear(&d);
    return rc;
}

/* ---- status, due, reason ---------------------------------------------------------------------- */

static int check_status(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (store && auditor)
        return cli_usage_error(c->name, "give --store or --auditor, not both");
    return EXIT_OKAY;
}

/* "did you mean" among the auditors @p f's plans name, into @p out when it is
 * still empty (the first cycle with a near name gives it). */
static void near_auditor(const sva_plan_facts *f, const char *who, char *out, size_t size)
{
    if (!f || !f->n_plans || *out)
        return;
    const char **names = malloc(f->n_plans * sizeof *names);
    if (!names)
        return;
    size_t n = 0;
    for (size_t i = 0; i < f->n_plans; i++) { /* each name once: several plans share one */
        const char *a = f->plans[i].auditor;
        bool seen = !a || !*a;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(names[j], a) == 0;
        if (!seen)
            names[n++] = a;
    }
    cli_suggest(who, names, n, "", out, size);
    free(names);
}

static int run_status(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_plan_facts *f = NULL;
    sva_coverage *cov = NULL;
    if (sva_plan_status(c->db, cycle, cli_today(), &f, &cov, &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    bool found = !store && !auditor;
    for (size_t i = 0; i < f->n_stores && store && !found; i++)
        found = strcmp(f->stores[i].id, store) == 0;
    for (size_t i = 0; i < f->n_plans && auditor && !found; i++)
        found = strcmp(f->plans[i].auditor, auditor) == 0;
    if (!found) {
        const cli_ref refs[] = {{SVA_REF_STORE, "--store", store}, {0, NULL, NULL}};
        if (store && !cli_check_refs(c->db, refs))
            cli_error("--store: store '%s' is in no plan of cycle %s", store, cycle);
        else if (!store) {
            char sug[512] = "";
            near_auditor(f, auditor, sug, sizeof sug);
            if (*sug)
                cli_error("--auditor: no plan of cycle %s names auditor '%s' (did you mean %s?)",
                          cycle, auditor, sug);
            else
                cli_error("--auditor: no plan of cycle %s names auditor '%s' (see 'svcaudit "
                          "plan list --cycle %s')",
                          cycle, auditor, cycle);
        }
        sva_coverage_free(cov);
        sva_plan_facts_free(f);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"store",   "region", "employee", "checklist", "auditor",
                                      "every",   "planned", "done",    "late",      "due",
                                      "missed",  "next_from", "next_to", "last_done", "reason"};
    cli_table t;
    table_init(&t, 15, hdr);
    t.numeric = (1u << 6) | (1u << 7) | (1u << 8) | (1u << 9) | (1u << 10);
    t.nullable = (1u << 2) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14);
    for (size_t i = 0; i < cov->n_units; i++) {
        const sva_cover_unit *u = &cov->units[i];
        if ((store && strcmp(u->store, store) != 0) || (auditor && strcmp(u->auditor, auditor)))
            continue;
        char pl[24], dn[24], lt[24], du[24], ms[24];
        snprintf(pl, sizeof pl, "%ld", u->planned);
        snprintf(dn, sizeof dn, "%ld", u->done);
        snprintf(lt, sizeof lt, "%ld", u->late);
        snprintf(du, sizeof du, "%ld", u->due);
        snprintf(ms, sizeof ms, "%ld", u->missed);
        const char *row[] = {u->store,  u->region, u->employee ? u->employee : "",
                             u->checklist, u->auditor, sva_plan_every_name(u->plan->every),
                             pl, dn, lt, du, ms, u->next_from, u->next_to, u->last,
                             u->reason ? u->reason : ""};
        table_row(&t, row);
    }
    sva_cover_total sum;
    sva_coverage_sum(cov, store, NULL, auditor, &sum);
    if (format == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", f->cycle.id);
        json_kstring(&j, "from", f->cycle.from);
        json_kstring(&j, "to", f->cycle.to);
        json_kstring(&j, "state", sva_cycle_state_name(f->cycle.state));
        json_key(&j, "total");
        json_object(&j);
        total_json(&j, &sum);
        json_end(&j);
        json_break(&j, "\n ");
        json_key(&j, "coverage");
        plan_coverage_json(cov, store, NULL, &j);
        json_break(&j, "\n ");
        json_key(&j, "units");
        table_json(&t, &j);
        json_end(&j);
        json_finish(&j);
    } else if (format == CLI_CSV) {
        table_print(&t, CLI_CSV, stdout);
    } else {
        printf("coverage of cycle %s (%s .. %s, %s) on %s%s%s%s%s\n", f->cycle.id, f->cycle.from,
               f->cycle.to, sva_cycle_state_name(f->cycle.state), cov->today,
               store ? ", store " : "", store ? cli_clean(store) : "",
               auditor ? ", auditor " : "", auditor ? cli_clean(auditor) : "");
        printf("%ld of %ld %s done (%ld late), %ld due, %ld missed\n\n", sum.done, sum.planned,
               cli_plural(sum.planned, "planned audit", "planned audits"), sum.late, sum.due,
               sum.missed);
        if (!cov->n_units)
            printf("no plans%s (see 'svcaudit plan set --help')\n",
                   f->n_plans ? " in force at any store" : "");
        else
            table_print(&t, CLI_TABLE, stdout);
        if (!auditor && cov->n_units) {
            printf("\n");
            plan_coverage_print(cov, store, NULL, stdout);
        }
    }
    table_free(&t);
    sva_coverage_free(cov);
    sva_plan_facts_free(f);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static int check_due(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (week && until)
        return cli_usage_error(c->name, "give --week or --until, not both");
    return EXIT_OKAY;
}

/* The horizon of 'due': --until, the end of this week, or today. */
static void horizon(char out[11])
{
    const char *t = cli_today();
    char mon[11];
    if (until)
        t = until;
    if (until || !week || !sva_plan_week_of(t, mon, out)) {
        size_t l = strnlen(t, 10);
        memcpy(out, t, l);
        out[l] = '\0';
    }
}

static int run_due(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    char upto[11];
    horizon(upto);
    static const char *const hdr[] = {"cycle",   "store", "employee", "checklist",
                                      "auditor", "from",  "to",       "due"};
    cli_table t;
    table_init(&t, 8, hdr);
    t.numeric = 1u << 7;
    t.nullable = 1u << 2;
    sva_diag d;
    sva_diag_init(&d);
    int rc = plan_due_rows(c->db, cycle, auditor, upto, &t, &d);
    if (rc) {
        cli_print_diag(&d);
    } else if (format == CLI_TABLE) {
        if (t.nrows <= 1)
            printf("nothing due%s%s by %s\n", auditor ? " for " : "",
                   auditor ? cli_clean(auditor) : "", upto);
        else
            table_print(&t, CLI_TABLE, stdout);
    } else {
        table_print(&t, (cli_format)format, stdout);
    }
    table_free(&t);
    sva_diag_clear(&d);
    return rc;
}

/* The rows of 'plan due' (and the visits of 'checklist template --from-plan'):
 * every period with audits due by @p upto, of the plans of @p who, in
 * @p only_cycle or every cycle not closed. */
int plan_due_rows(sva_db *db, const char *only_cycle, const char *who, const char *upto,
                  cli_table *t, sva_diag *d)
{
    sva_cycle *cv = NULL;
    size_t nc = 0;
    if (only_cycle) {
        if (sva_db_cycle_get(db, only_cycle, &cv, d))
            return EXIT_DATA;
        nc = 1;
    } else if (sva_db_cycle_list(db, &cv, &nc, d)) {
        return EXIT_DATA;
    }
    int rc = EXIT_OKAY;
    bool named = !who; /* an auditor no plan names is a mistyped name, not "nothing due" */
    char sug[512] = "";  /* and the name meant, from the plans of the cycles read */
    for (size_t k = 0; k < nc && !rc; k++) {
        if (cv[k].state == SVA_CYCLE_CLOSED)
            continue;
        sva_plan_facts *f = NULL;
        sva_coverage *cov = NULL;
        size_t *due = NULL, n = 0;
        if (sva_plan_status(db, cv[k].id, cli_today(), &f, &cov, d) ||
            sva_coverage_due(cov, who, upto, &due, &n)) {
            rc = EXIT_DATA;
        }
        for (size_t i = 0; f && !named && i < f->n_plans; i++)
            named = strcmp(f->plans[i].auditor, who) == 0;
        if (!named)
            near_auditor(f, who, sug, sizeof sug);
        for (size_t i = 0; i < n; i++) {
            const sva_cover_slot *s = &cov->slots[due[i]];
            const sva_cover_unit *u = &cov->units[s->unit];
            char nd[24];
            snprintf(nd, sizeof nd, "%ld", s->due);
            const char *row[] = {cv[k].id, u->store, u->employee ? u->employee : "",
                                 u->checklist, u->auditor, s->period.from, s->period.to, nd};
            table_row(t, row);
        }
        free(due);
        sva_coverage_free(cov);
        sva_plan_facts_free(f);
    }
    sva_cycles_free(cv, nc);
    if (!rc && !named) {
        if (*sug)
            sva_diag_add(d, NULL, 0,
                         "--auditor: no plan of %s names auditor '%s' (did you mean %s?)",
                         only_cycle ? only_cycle : "a cycle still open", who, sug);
        else
            sva_diag_add(d, NULL, 0,
                         "--auditor: no plan of %s names auditor '%s' (see 'svcaudit plan list "
                         "--cycle ID')",
                         only_cycle ? only_cycle : "a cycle still open", who);
        rc = EXIT_DATA;
    }
    return rc;
}

static int run_reason(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_db_plan_reason(c->db, cycle, checklist, store, employee, text, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else {
        printf("reason recorded for %s at %s%s%s in %s\n", checklist, cli_clean(store),
               employee ? ", employee " : "", employee ? cli_clean(employee) : "", cycle);
    }
    sva_diag_clear(&d);
    return rc;
}

/* ---- the options ------------------------------------------------------------------------------- */

static const cli_opt set_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "checklist", &checklist, "C", "the checklist to audit", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "at this store", 0),
    OPT_STRING(0, "region", &region, "R", "at every store of this region", 0),
    OPT_FLAG(0, "all-stores", &all_stores, "at every store"),
    OPT_FLAG(0, "per-employee", &per_employee, "for each employee working there"),
    OPT_INT("times", &times, "N", 0, 1000, "audits a period (default 1; 0: none at this store)"),
    OPT_ENUM("every", &every, every_choices, "the period: day, week or month (default the cycle)"),
    OPT_STRING(0, "auditor", &auditor, "A", "who is to audit (default anyone)", CLI_OPT_NONEMPTY),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt copy_opts[] = {
    OPT_STRING(0, "from", &from_cycle, "ID", "the cycle whose plans to copy", CLI_OPT_REQUIRED),
    OPT_STRING(0, "to", &to_cycle, "ID", "the cycle to copy them into", CLI_OPT_REQUIRED),
    OPT_END(),
};
static const cli_opt status_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "only this store", 0),
    OPT_STRING(0, "auditor", &auditor, "A", "only the plans of this auditor", CLI_OPT_NONEMPTY),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt due_opts[] = {
    OPT_STRING(0, "auditor", &auditor, "A", "the plans of this auditor (default everyone's)",
               CLI_OPT_NONEMPTY),
    OPT_FLAG(0, "week", &week, "what is due by the end of this week (Sunday)"),
    OPT_DATE("until", &until, "what is due by this day (default today)", 0),
    OPT_STRING(0, "cycle", &cycle, "ID", "only this cycle (default every open one)", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt reason_opts[] = {
    OPT_STRING(0, "cycle", &cycle, "ID", "the cycle", CLI_OPT_REQUIRED),
    OPT_STRING(0, "checklist", &checklist, "C", "the checklist planned", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "S", "the store", CLI_OPT_REQUIRED),
    OPT_STRING(0, "employee", &employee, "E", "the employee (a plan per employee)", 0),
    OPT_STRING(0, "text", &text, "TEXT", "why the planned audits were missed", CLI_OPT_REQUIRED),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.name = "set",
     .synopsis = "svcaudit plan set --cycle ID --checklist C (--store S | --region R |\n"
                 "                         --all-stores) [--per-employee] [--times N]\n"
                 "                         [--every day|week|month] [--auditor A]",
     .opts = set_opts, .check = check_set, .run = run_set, .needs = CLI_NEED_CATALOG},
    {.name = "import", .synopsis = "svcaudit plan import FILE.ini", .min_args = 1,
     .max_args = 1, .args = "one FILE.ini", .run = run_import, .needs = CLI_NEED_CATALOG},
    {.name = "list", .synopsis = "svcaudit plan list --cycle ID [--format table|csv|json]",
     .opts = list_opts, .run = run_list},
    {.name = "copy", .synopsis = "svcaudit plan copy --from ID --to ID", .opts = copy_opts,
     .run = run_copy},
    {.name = "status",
     .synopsis = "svcaudit plan status --cycle ID [--store S | --auditor A]\n"
                 "                            [--format table|csv|json]",
     .opts = status_opts, .check = check_status, .run = run_status},
    {.name = "due",
     .synopsis = "svcaudit plan due [--auditor A] [--week | --until YYYY-MM-DD] [--cycle ID]\n"
                 "                         [--format table|csv|json]",
     .opts = due_opts, .check = check_due, .run = run_due},
    {.name = "reason",
     .synopsis = "svcaudit plan reason --cycle ID --checklist C --store S [--employee E]\n"
                 "                            --text TEXT",
     .opts = reason_opts, .run = run_reason},
};

const cli_command cmd_plan = {subs, sizeof subs / sizeof *subs, ABOUT};

/* svcaudit: the report model (see report.h): one pass that gathers what a
 * cycle's outputs show: facts from the store, figures from the pure
 * analysis and trend code, texts from the checklists the audits used, and
 * privacy applied. Renderers lay it out and compute nothing. */
#include "privacy.h"
#include "svcaudit/i18n.h"
#include "svcaudit/report.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const char *const SVA_INDEXES[SVA_N_INDEXES] = {"ssi", "csi", "6s"};
const char *const SVA_INDEX_NAMES[SVA_N_INDEXES] = {"SSI", "CSI", "6S"};

static void local_today(char buf[16])
{
    sva_today(buf);
}

/* A checklist as the cycle's audits used it, looked up once. */
typedef struct used_cl {
    char *id;
    long version;
    sva_checklist *stored;    /* parsed from the database; NULL if that failed */
    const sva_checklist *use; /* stored, else the catalog's of that version, else NULL */
} used_cl;

struct sva_report_priv {
    sva_db *db;
    sva_pool pool;            /* labels, notes, texts of the model */
    char *salt;
    sva_scrubber *scrub;
    used_cl *used;
    size_t n_used;
    sva_checklist *six_used;
    sva_fact *section_facts;
    size_t n_section_facts;
    sva_item_fact *item_facts;
    size_t n_item_facts;
    sva_item_compliance *ic;
    sva_action *actions;
    size_t n_actions;
    sva_repeat *all_repeats;
    size_t n_all_repeats;
    sva_act_fact *act_facts;
    size_t n_act_facts;
    sva_map hidden;           /* pseudonymous: employees not to be shown one by one */
    char **hidden_ids;        /* the keys of hidden */
    size_t n_hidden;
    sva_plan_facts *plan_facts;
    sva_coverage *coverage;
    sva_diag *d;
    sva_error err;            /* the first failure of a scrub */
};

static const char *keep(sva_report *r, const char *s)
{
    const char *k = sva_pool_str(&r->priv->pool, s ? s : "");
    if (!k && !r->priv->err)
        r->priv->err = SVA_ERR_NOMEM;
    return k ? k : "";
}

static const char *keepf(sva_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sva_vasprintf(fmt, ap);
    va_end(ap);
    const char *k = keep(r, s);
    free(s);
    return k;
}

static const char *scrubbed(sva_report *r, const char *store, const char *text)
{
    return keep(r, sva_scrub(r->priv->scrub, store, text, &r->priv->err, r->priv->d));
}

static bool in_scope(const sva_report *r, const sva_status_row *s)
{
    if (s->scope == SVA_SCOPE_NETWORK)
        return !r->o.region;
    return !r->o.region || strcmp(s->region, r->o.region) == 0;
}

/* The texts of checklist @p id at @p version: the exact text stored with the
 * cycle's audits (so a checklist changed or missing since still shows what the
 * auditors answered), else the catalog's if it is that version; NULL if neither. */
static const sva_checklist *checklist_of(sva_report *r, const char *id, long version)
{
    struct sva_report_priv *p = r->priv;
    for (size_t i = 0; i < p->n_used; i++)
        if (p->used[i].version == version && strcmp(p->used[i].id, id) == 0)
            return p->used[i].use;
    const sva_checklist *cat = sva_catalog_find(r->o.cat, id);
    if (cat && cat->version != version)
        cat = NULL;
    used_cl *nu = realloc(p->used, (p->n_used + 1) * sizeof *nu);
    if (!nu)
        return cat;
    p->used = nu;
    used_cl *u = &p->used[p->n_used];
    if (!(u->id = sva_strdup(id)))
        return cat;
    u->version = version;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_db_checklist_used(p->db, r->o.cycle, id, version, NULL, &u->stored, &quiet))
        u->stored = NULL;
    sva_diag_clear(&quiet);
    u->use = u->stored ? u->stored : cat;
    p->n_used++;
    return u->use;
}

sva_error sva_analysis_cycle_status(sva_db *db, const char *cycle, const char *today,
                                    sva_cycle_status **out, sva_diag *d)
{
    *out = NULL;
    sva_cycle_facts *f = NULL;
    sva_error rc = sva_db_cycle_facts(db, cycle, &f, d);
    if (rc)
        return rc;
    char td[16];
    if (today)
        snprintf(td, sizeof td, "%s", today);
    else
        local_today(td);
    rc = sva_analysis_status(f, td, out);
    sva_cycle_facts_free(f);
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    return rc;
}

/* ---- the window and its statuses --------------------------------------------------------- */

static sva_error load_window(sva_report *r, sva_diag *d)
{
    sva_cycle *all = NULL;
    size_t n = 0;
    sva_error rc = sva_db_cycle_list(r->priv->db, &all, &n, d);
    if (rc)
        return rc;
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].id, r->o.cycle) == 0)
            at = i;
    if (at == n) {
        sva_cycles_free(all, n);
        sva_diag_add(d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')", r->o.cycle);
        return SVA_ERR_NOT_FOUND;
    }
    size_t keep_n = (size_t)r->o.trend_cycles;
    size_t first = at + 1 >= keep_n ? at + 1 - keep_n : 0;
    /* the window moves to the front; the rest are freed */
    for (size_t i = 0; i < n; i++)
        if (i < first || i > at) {
            free(all[i].id);
            free(all[i].from);
            free(all[i].to);
        }
    memmove(all, all + first, (at - first + 1) * sizeof *all);
    r->window = all;
    r->n_window = at - first + 1;
    r->statuses = calloc(r->n_window, sizeof *r->statuses);
    if (!r->statuses)
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < r->n_window; i++)
        if ((rc = sva_analysis_cycle_status(r->priv->db, r->window[i].id, r->o.today,
                                            &r->statuses[i], d)))
            return rc;
    r->status = r->statuses[r->n_window - 1];
    r->counts = sva_status_counts(r->status, r->o.region);
    return SVA_OK;
}

/* ---- Dashboard ---------------------------------------------------------------------------- */

static sva_report_fig fig_of(const sva_report *r, sva_scope scope, const char *id,
                             const char *metric)
{
    sva_report_fig f = {sva_status_find(r->status, scope, id, metric), false, 0};
    const sva_cycle_status *prev = r->n_window > 1 ? r->statuses[r->n_window - 2] : NULL;
    const sva_status_row *p = prev ? sva_status_find(prev, scope, id, metric) : NULL;
    if (f.row && p && f.row->has_actual && p->has_actual) {
        f.has_change = true;
        f.change = f.row->actual - p->actual;
    }
    return f;
}

static int by_id(const void *pa, const void *pb)
{
    const sva_report_store *a = pa, *b = pb;
    return strcmp(a->store->id, b->store->id);
}

/* Worst gap first; stores without a gap to any target after, by id. */
static int by_worst_gap(const void *pa, const void *pb)
{
    const sva_report_store *a = pa, *b = pb;
    const sva_status_row *ra[SVA_N_INDEXES], *rb[SVA_N_INDEXES];
    for (int m = 0; m < SVA_N_INDEXES; m++) {
        ra[m] = a->fig[m].row;
        rb[m] = b->fig[m].row;
    }
    double ga = 0, gb = 0;
    bool ha = sva_worst_gap(ra, SVA_N_INDEXES, &ga), hb = sva_worst_gap(rb, SVA_N_INDEXES, &gb);
    if (ha != hb)
        return ha ? -1 : 1;
    if (ha && ga != gb)
        return ga < gb ? -1 : 1;
    return strcmp(a->store->id, b->store->id);
}

static sva_error dashboard(sva_report *r, sva_diag *d)
{
    for (int m = 0; m < SVA_N_INDEXES; m++)
        r->kpi[m] = r->o.region ? fig_of(r, SVA_SCOPE_REGION, r->o.region, SVA_INDEXES[m])
                                : fig_of(r, SVA_SCOPE_NETWORK, "", SVA_INDEXES[m]);
    const sva_cycle_status *cs = r->status;
    r->stores = calloc(cs->n_rows ? cs->n_rows : 1, sizeof *r->stores);
    r->rows = calloc(cs->n_rows ? cs->n_rows : 1, sizeof *r->rows);
    r->regions = calloc(cs->n_counts ? cs->n_counts : 1, sizeof *r->regions);
    if (!r->stores || !r->rows || !r->regions)
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < cs->n_rows; i++)
        if (in_scope(r, &cs->rows[i]))
            r->rows[r->n_rows++] = &cs->rows[i];
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "ssi") != 0 || !in_scope(r, s))
            continue;
        sva_report_store *x = &r->stores[r->n_stores++];
        x->store = s;
        for (int m = 0; m < SVA_N_INDEXES; m++)
            x->fig[m] = fig_of(r, SVA_SCOPE_STORE, s->id, SVA_INDEXES[m]);
    }
    /* where each store's audits start on the Audits sheet (by store id) */
    sva_cycle_facts *facts = NULL;
    sva_error frc = sva_db_cycle_facts(r->priv->db, r->o.cycle, &facts, d);
    if (frc)
        return frc;
    for (size_t i = 0; i < r->n_stores; i++) {
        const sva_fact *x = sva_fact_find(facts->audit_counts, facts->n_audit_counts,
                                          r->stores[i].store->id, "");
        r->stores[i].audits = x ? x->n : 0;
    }
    sva_cycle_facts_free(facts);
    if (r->n_stores > 1)
        qsort(r->stores, r->n_stores, sizeof *r->stores, by_id);
    long row = 1;
    for (size_t i = 0; i < r->n_stores; i++) {
        r->stores[i].audits_row = r->stores[i].audits ? row : 0;
        row += r->stores[i].audits;
    }
    if (r->n_stores > 1)
        qsort(r->stores, r->n_stores, sizeof *r->stores, by_worst_gap);
    /* the charts: every store, or the worst and the best N of many */
    size_t keep_n = (size_t)r->o.chart_stores;
    if (!(r->chart = calloc(r->n_stores ? r->n_stores : 1, sizeof *r->chart)))
        return SVA_ERR_NOMEM;
    r->chart_cut = r->n_stores > 2 * keep_n;
    for (size_t i = 0; i < r->n_stores; i++)
        if (!r->chart_cut || i < keep_n || i >= r->n_stores - keep_n)
            r->chart[r->n_chart++] = &r->stores[i];
    /* regions, in the network's report */
    for (size_t i = 0; !r->o.region && i < cs->n_counts; i++) {
        if (cs->counts[i].scope != SVA_SCOPE_REGION)
            continue;
        sva_report_region *g = &r->regions[r->n_regions++];
        g->region = cs->counts[i].id;
        g->counts = &cs->counts[i];
        for (int m = 0; m < SVA_N_INDEXES; m++)
            g->fig[m] = fig_of(r, SVA_SCOPE_REGION, g->region, SVA_INDEXES[m]);
    }
    r->no_audits = !r->counts || r->counts->n_audits == 0;
    /* the Act step: missed targets, the actions of this cycle and the backlog */
    struct sva_report_priv *p = r->priv;
    sva_error rc = sva_db_act_facts(p->db, r->o.cycle, r->o.region, &p->act_facts,
                                    &p->n_act_facts, d);
    if (rc)
        return rc;
    char td[16];
    if (r->o.today)
        snprintf(td, sizeof td, "%s", r->o.today);
    else
        local_today(td);
    sva_analysis_act(cs, r->o.region, p->act_facts, p->n_act_facts, td, &r->act);
    return SVA_OK;
}

/* A fact of the headline, formatted from the catalogue; its first argument is
 * a count (a long), and a count of one takes KEY.one where there is one. */
static void head(sva_report *r, sva_colour c, const char *key, ...)
{
    if (r->n_headline >= SVA_MAX_HEADLINES)
        return;
    va_list ap, cp;
    va_start(ap, key);
    va_copy(cp, ap);
    long count = va_arg(cp, long);
    va_end(cp);
    char one[64];
    snprintf(one, sizeof one, "%s.one", key);
    const char *f = count == 1 && sva_tr(r->o.lang, one) != one ? sva_tr(r->o.lang, one)
                                                                  : sva_tr(r->o.lang, key);
    char *t = sva_vasprintf(f, ap);
    va_end(ap);
    r->headline[r->n_headline].colour = c;
    r->headline[r->n_headline++].text = keep(r, t);
    free(t);
}

/* The three to five facts that need doing, most urgent first. */
static void headline(sva_report *r)
{
    const sva_act *a = &r->act;
    const sva_scope_counts *n = r->counts;
    if (r->no_audits) {
        head(r, SVA_COLOUR_GREY, "head.no_audits", 0L);
        return;
    }
    if (a->no_reason || a->no_action)
        head(r, SVA_COLOUR_RED, "head.missed", a->no_reason, a->no_action, a->missed);
    if (a->overdue)
        head(r, SVA_COLOUR_RED, "head.overdue", a->overdue, a->overdue_age[2],
             a->oldest_due ? a->oldest_due : "");
    long escalate = 0;
    for (size_t i = 0; i < r->n_repeats; i++)
        escalate += r->repeats[i]->escalate;
    if (escalate)
        head(r, SVA_COLOUR_AMBER, "head.repeats", escalate);
    /* stores whose index (SSI, CSI, 6S) is sliding over the window or fell since the
     * last cycle (after the false discovery rate control), each store once */
    long declined = 0;
    const char *last_store = NULL;
    for (size_t i = 0; i < r->n_trend; i++) {
        const sva_report_trend *t = &r->trend[i];
        bool index = false;
        for (int m = 0; m < SVA_N_INDEXES && !index; m++)
            index = strcmp(t->row->metric, SVA_INDEXES[m]) == 0;
        if (t->row->scope != SVA_SCOPE_STORE || !index || !t->t.has ||
            (t->t.window_verdict != SVA_VERDICT_DECLINING &&
             t->t.change_verdict != SVA_VERDICT_DECLINED))
            continue;
        if (!last_store || strcmp(last_store, t->row->id) != 0)
            declined++;
        last_store = t->row->id;
    }
    if (declined)
        head(r, SVA_COLOUR_AMBER, "head.declined", declined);
    if (a->open_earlier)
        head(r, SVA_COLOUR_AMBER, "head.backlog", a->open_earlier);
    if (n && n->stores_audited < n->stores_total)
        head(r, SVA_COLOUR_AMBER, "head.not_audited", n->stores_total - n->stores_audited,
             n->stores_total);
    if (!r->n_headline)
        head(r, SVA_COLOUR_GREEN, "head.all_well", 0L);
}

/* ---- 6S ----------------------------------------------------------------------------------- */

static const sva_checklist *six_of_catalog(const sva_catalog *cat)
{
    for (size_t i = 0; cat && i < cat->n_checklists; i++)
        if (cat->checklists[i]->index == SVA_INDEX_6S)
            return cat->checklists[i];
    return NULL;
}

static sva_error six(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    /* the 6S checklist the cycle's audits used (its sections as they were),
     * else the catalog's */
    r->six = six_of_catalog(r->o.cat);
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_db_checklist_used(p->db, r->o.cycle, NULL, 0, "6s", &p->six_used, &quiet) ==
        SVA_OK)
        r->six = p->six_used;
    sva_diag_clear(&quiet);
    if (!r->six)
        return SVA_OK;
    sva_error rc = sva_db_section_facts(p->db, r->o.cycle, r->six->id, r->o.region,
                                        &p->section_facts, &p->n_section_facts, d);
    if (rc || (rc = sva_analysis_section_means(p->section_facts, p->n_section_facts,
                                               &r->section_means)))
        return rc;
    r->n_section_means = p->n_section_facts;
    if ((rc = sva_analysis_radar(r->status, r->o.region, r->six, r->section_means,
                                 r->n_section_means, &r->radar)))
        return rc;
    const sva_cycle_status *cs = r->status;
    r->heat = calloc(cs->n_rows ? cs->n_rows : 1, sizeof *r->heat);
    if (!r->heat)
        return SVA_ERR_NOMEM;
    size_t ns = r->six->n_sections;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "6s") != 0 || !in_scope(r, s))
            continue;
        sva_report_heat *h = &r->heat[r->n_heat++];
        h->row = s;
        h->colour = s->colour; /* against its target, as everywhere a figure has one */
        if (!(h->sections = calloc(ns ? ns : 1, sizeof *h->sections)))
            return SVA_ERR_NOMEM;
        for (size_t k = 0; k < ns; k++)
            for (size_t j = 0; j < r->n_section_means && !h->sections[k]; j++)
                if (strcmp(r->section_means[j].store, s->id) == 0 &&
                    strcmp(r->section_means[j].section, r->six->sections[k].id) == 0)
                    h->sections[k] = &r->section_means[j];
    }
    return SVA_OK;
}

/* ---- Service standards ----------------------------------------------------------------- */

static sva_error standards(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    sva_error rc = sva_db_item_facts(p->db, r->o.cycle, r->o.region, &p->item_facts,
                                     &p->n_item_facts, d);
    if (rc || (rc = sva_analysis_item_compliance(p->item_facts, p->n_item_facts, &p->ic)))
        return rc;
    r->n_items = p->n_item_facts;
    if (!(r->items = calloc(r->n_items ? r->n_items : 1, sizeof *r->items)))
        return SVA_ERR_NOMEM;
    /* significant moves since the previous cycle, in the report's scope */
    sva_item_moves *mv = NULL;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_trend_items(p->db, r->o.cycle, NULL, r->o.region, &mv, &quiet) != SVA_OK)
        mv = NULL; /* the first cycle has nothing to move from */
    sva_diag_clear(&quiet);
    for (size_t i = 0; i < r->n_items; i++) {
        sva_report_item *it = &r->items[i];
        const sva_item_fact *f = p->ic[i].fact;
        it->c = &p->ic[i];
        it->text = "";
        it->section = f->section;
        const sva_checklist *cl = checklist_of(r, f->checklist, f->version);
        long k = cl ? sva_checklist_item_index(cl, f->item) : -1;
        if (k >= 0) {
            it->text = sva_i18n_get(&cl->items[k].text, r->o.lang);
            it->section = sva_i18n_get(&cl->sections[cl->items[k].section].title, r->o.lang);
        }
        for (size_t j = 0; mv && j < mv->n; j++) {
            const sva_item_move *m = &mv->items[j];
            if (strcmp(m->item, f->item) != 0 || strcmp(m->checklist, f->checklist) != 0)
                continue;
            it->moved = m->test.verdict == SVA_VERDICT_IMPROVED ||
                        m->test.verdict == SVA_VERDICT_DECLINED;
            it->move = m->test.verdict;
            break;
        }
        it->text = keep(r, it->text);
        it->section = keep(r, it->section);
    }
    sva_item_moves_free(mv);
    return p->err;
}

/* ---- Employees --------------------------------------------------------------------------- */

static int by_store_role(const void *a, const void *b)
{
    const sva_employee *x = a, *y = b;
    int c = strcmp(x->store, y->store);
    return c ? c : strcmp(x->role, y->role);
}

/* Pseudonymous: who would a role name? An employee whose role has fewer than
 * o.min_group people at their store is shown only within the store's figures. */
static sva_error hide_small_groups(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    if (r->o.employees != SVA_PRIVACY_PSEUDONYMOUS)
        return SVA_OK;
    sva_employee *people;
    size_t n;
    sva_error rc = sva_db_employee_list(p->db, NULL, &people, &n, d);
    if (rc)
        return rc;
    if (n > 1)
        qsort(people, n, sizeof *people, by_store_role);
    /* only the hidden ids are kept: the list (20,000 employees in the bench's
     * database, 3 MiB) is not held through the export */
    if (!(p->hidden_ids = calloc(n ? n : 1, sizeof *p->hidden_ids)))
        rc = SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n;) {
        size_t j = i;
        while (j < n && by_store_role(&people[i], &people[j]) == 0)
            j++;
        for (size_t k = i; !rc && (long)(j - i) < r->o.min_group && k < j; k++) {
            char *id = sva_strdup(people[k].id);
            if (!id || !sva_map_put(&p->hidden, id, k)) {
                free(id);
                rc = SVA_ERR_NOMEM;
            } else {
                p->hidden_ids[p->n_hidden++] = id;
            }
        }
        i = j;
    }
    sva_employees_free(people, n);
    if (!rc && p->n_hidden < n) { /* the array to its size */
        char **v = realloc(p->hidden_ids, (p->n_hidden ? p->n_hidden : 1) * sizeof *v);
        if (v)
            p->hidden_ids = v;
    }
    return rc;
}

static bool hidden(const sva_report *r, const char *employee)
{
    size_t k;
    return employee && sva_map_get(&r->priv->hidden, employee, &k);
}

/* Keep an employee in the ratings unless a role would name them; count the
 * others, each once. */
typedef struct keep_ctx {
    sva_report *r;
    sva_map seen;
    bool failed;
} keep_ctx;

static bool keep_shown(const char *employee, void *user)
{
    keep_ctx *k = user;
    if (!hidden(k->r, employee))
        return true;
    size_t v;
    if (!sva_map_get(&k->seen, employee, &v)) {
        const char *own = keep(k->r, employee); /* the map borrows its keys */
        if (!sva_map_put(&k->seen, own, 0))
            k->failed = true;
        k->r->n_employees_hidden++;
    }
    return false;
}

/* Employees rated over the window (trend.c: pooled, shrunk toward the
 * store) over everyone, so a rating does not depend on who is shown; then
 * those a role would name are left out and the rest ranked among themselves,
 * so nobody shown is ranked behind someone not shown. */
static sva_error employees(sva_report *r, sva_diag *d)
{
    if (r->o.employees == SVA_PRIVACY_NONE)
        return SVA_OK;
    struct sva_report_priv *p = r->priv;
    sva_error rc = hide_small_groups(r, d);
    if (rc)
        return rc;
    rc = sva_trend_employees(p->db, r->o.cycle, r->o.rating_cycles, r->o.region,
                             r->o.min_audits, &r->ratings, d);
    if (rc)
        return rc;
    keep_ctx k = {r, {0}, false};
    sva_employee_ratings_keep(r->ratings, keep_shown, &k);
    sva_map_free(&k.seen);
    if (k.failed)
        return SVA_ERR_NOMEM;
    size_t n = r->ratings->n;
    if (!(r->employees = calloc(n ? n : 1, sizeof *r->employees)))
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const sva_employee_rating *s = &r->ratings->v[i];
        sva_report_employee *e = &r->employees[r->n_employees++];
        char lbl[256];
        e->s = s;
        e->label = keep(r, sva_employee_label(r->o.employees, r->salt, s->employee, s->name,
                                              lbl, sizeof lbl));
        e->role = sva_tr_name(r->o.lang, "role", s->role);
        e->colour = s->rated ? sva_heat_colour(sva_round1(s->rating)) : SVA_COLOUR_GREY;
        if (!s->rated)
            e->note = keepf(r, sva_tr(r->o.lang, "value.not_rated"), s->n, r->o.min_audits);
        else
            e->note = s->best ? sva_tr(r->o.lang, "value.best") : "";
    }
    return p->err;
}

/* ---- Plans: coverage ------------------------------------------------------------------------- */

static int by_most_missed(const void *a, const void *b)
{
    const sva_cover_total *x = *(const sva_cover_total *const *)a;
    const sva_cover_total *y = *(const sva_cover_total *const *)b;
    if (x->missed != y->missed)
        return x->missed > y->missed ? -1 : 1;
    return strcmp(x->store, y->store);
}

static sva_error plans(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    sva_report_plans *pl = &r->plans;
    sva_error rc = sva_plan_status(p->db, r->o.cycle, r->o.today, &p->plan_facts, &p->coverage, d);
    if (rc || !p->coverage->n_units)
        return rc;
    const sva_coverage *c = p->coverage;
    pl->cov = c;
    sva_coverage_sum(c, NULL, r->o.region, NULL, &pl->total);
    if (!(pl->stores = calloc(c->n_stores ? c->n_stores : 1, sizeof *pl->stores)))
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < c->n_stores; i++)
        if (c->stores[i].missed && (!r->o.region || strcmp(c->stores[i].region, r->o.region) == 0))
            pl->stores[pl->n_stores++] = &c->stores[i];
    qsort(pl->stores, pl->n_stores, sizeof *pl->stores, by_most_missed);
    size_t n;
    if ((rc = sva_coverage_missed(c, NULL, &pl->missed, &n)))
        return rc;
    if (!(pl->missed_employee = calloc(n ? n : 1, sizeof *pl->missed_employee)))
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const sva_cover_unit *u = &c->units[pl->missed[i].unit];
        if (r->o.region && strcmp(u->region, r->o.region) != 0)
            continue;
        char lbl[256] = "";
        if (u->employee && !hidden(r, u->employee))
            sva_employee_label(r->o.employees, r->salt, u->employee, NULL, lbl, sizeof lbl);
        pl->missed_employee[pl->n_missed] = keep(r, lbl);
        pl->missed[pl->n_missed++] = pl->missed[i];
    }
    return p->err;
}

/* ---- Actions 5W1H -------------------------------------------------------------------------- */

static sva_error actions(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    const sva_form *form = sva_catalog_find_form(r->o.cat, "actions_5w1h");
    sva_action_filter f = {.cycle = r->o.cycle, .today = r->o.today};
    sva_error rc = sva_db_action_list(p->db, &f, &p->actions, &p->n_actions, d);
    if (rc)
        return rc;
    /* the field columns: the form's, in its order; without the form (no
     * checklists folder here), the keys the actions have, as first seen */
    size_t nk = 0;
    for (size_t i = 0; i < p->n_actions; i++)
        nk += p->actions[i].n_fields;
    const char **keys = calloc((form ? form->n_fields : 0) + nk + 1, sizeof *keys);
    if (!keys)
        return SVA_ERR_NOMEM;
    size_t nf = 0;
    for (size_t k = 0; form && k < form->n_fields; k++)
        keys[nf++] = form->fields[k].key;
    for (size_t i = 0; !form && i < p->n_actions; i++)
        for (size_t j = 0; j < p->actions[i].n_fields; j++) {
            size_t k = 0;
            while (k < nf && strcmp(keys[k], p->actions[i].fields[j].key) != 0)
                k++;
            if (k == nf)
                keys[nf++] = p->actions[i].fields[j].key;
        }
    r->n_action_columns = nf;
    r->action_columns = calloc(nf ? nf : 1, sizeof *r->action_columns);
    r->action_types = calloc(nf ? nf : 1, sizeof *r->action_types);
    r->actions = calloc(p->n_actions ? p->n_actions : 1, sizeof *r->actions);
    if (!r->action_columns || !r->actions || !r->action_types) {
        free(keys);
        return SVA_ERR_NOMEM;
    }
    for (size_t k = 0; k < nf; k++) {
        r->action_columns[k] =
            keep(r, form ? sva_i18n_get(&form->fields[k].label, r->o.lang) : keys[k]);
        r->action_types[k] = form ? form->fields[k].type : SVA_FIELD_TEXT;
    }
    for (size_t i = 0; i < p->n_actions && !p->err; i++) {
        const sva_action *a = &p->actions[i];
        if (r->o.region && strcmp(a->region, r->o.region) != 0)
            continue;
        sva_report_action *x = &r->actions[r->n_actions++];
        x->a = a;
        x->about = !a->checklist ? ""
                   : a->item     ? keepf(r, sva_tr(r->o.lang, "act.item"), a->checklist, a->item)
                   : a->section  ? keepf(r, sva_tr(r->o.lang, "act.section"), a->checklist,
                                         a->section)
                                 : a->checklist;
        x->owner = scrubbed(r, a->store, a->owner);
        x->carried = a->carried_to_cycle
                         ? keepf(r, sva_tr(r->o.lang, "act.to_cycle"), a->carried_to_cycle)
                     : a->carried_from_cycle
                         ? keepf(r, sva_tr(r->o.lang, "act.from_cycle"), a->carried_from_cycle)
                     : a->carried_from ? keepf(r, sva_tr(r->o.lang, "act.from"), a->carried_from)
                     : a->carried_to   ? keepf(r, sva_tr(r->o.lang, "act.to"), a->carried_to)
                                       : "";
        if (!(x->values = calloc(nf ? nf : 1, sizeof *x->values))) {
            free(keys);
            return SVA_ERR_NOMEM;
        }
        for (size_t k = 0; k < nf; k++)
            for (size_t j = 0; j < a->n_fields && !x->values[k]; j++)
                if (strcmp(a->fields[j].key, keys[k]) == 0)
                    x->values[k] = scrubbed(r, a->store, a->fields[j].value);
    }
    free(keys);
    return p->err;
}

/* ---- Trend ------------------------------------------------------------------------------- */

sva_error sva_status_trends(sva_db *db, const sva_cycle_status *cs, const char *region,
                            int cycles, sva_row_trend **out, sva_diag *d)
{
    *out = calloc(cs->n_rows ? cs->n_rows : 1, sizeof **out);
    if (!*out)
        return SVA_ERR_NOMEM;
    /* one scan per metric, in the order the rows first name them */
    sva_error rc = SVA_OK;
    for (size_t i = 0; i < cs->n_rows && !rc; i++) {
        const char *metric = cs->rows[i].metric;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(cs->rows[k].metric, metric) == 0;
        if (seen)
            continue;
        sva_trend_scopes *sc = NULL;
        sva_diag quiet;
        sva_diag_init(&quiet);
        sva_error e = sva_trend_scan(db, metric, region, cs->cycle, cycles, SVA_STATS_FDR, &sc,
                                     &quiet);
        sva_diag_clear(&quiet);
        if (e == SVA_ERR_NOT_FOUND)
            continue; /* a checklist metric nobody audited yet: nothing to test */
        if (e) {
            rc = e;
            sva_diag_add(d, NULL, 0, "cannot compute the trends of '%s'", metric);
            break;
        }
        for (size_t k = i; k < cs->n_rows; k++) {
            const sva_status_row *row = &cs->rows[k];
            if (strcmp(row->metric, metric) != 0)
                continue;
            const sva_trend_scope *s = sva_trend_scopes_find(sc, row->scope, row->id);
            if (!s || !s->series || s->series->n == 0)
                continue;
            /* the scan always holds the network, audited in the window or not */
            bool audited = false;
            for (size_t j = 0; j < s->series->n && !audited; j++)
                audited = s->series->points[j].audits.n > 0;
            if (!audited)
                continue;
            const sva_trend_point *pt = &s->series->points[s->series->n - 1];
            if (strcmp(pt->cycle, cs->cycle) != 0)
                continue;
            sva_row_trend *t = &(*out)[k];
            t->has = true;
            t->has_test = pt->has_change;
            t->test = pt->change;
            t->change_q = s->change_q;
            t->change_verdict = s->change_verdict;
            t->window = s->series->window;
            t->window_q = s->window_q;
            t->window_verdict = s->window_verdict;
            t->has_pchart = pt->compliance.n > 0;
            t->pchart = pt->compliance;
        }
        sva_trend_scopes_free(sc);
    }
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static sva_error trend(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    size_t nc = r->n_window;
    const sva_cycle_status *cs = r->status;
    sva_row_trend *rt = NULL;
    sva_error rc = sva_status_trends(p->db, cs, r->o.region, r->o.trend_cycles, &rt, d);
    if (rc)
        return rc;
    if (!(r->trend = calloc(cs->n_rows ? cs->n_rows : 1, sizeof *r->trend))) {
        free(rt);
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (!in_scope(r, s))
            continue;
        sva_report_trend *t = &r->trend[r->n_trend++];
        t->row = s;
        t->t = rt[i];
        if (!(t->series = calloc(nc, sizeof *t->series))) {
            free(rt);
            return SVA_ERR_NOMEM;
        }
        const sva_status_row *last = NULL, *before = NULL;
        for (size_t k = 0; k < nc; k++) {
            const sva_status_row *x = sva_status_find(r->statuses[k], s->scope, s->id,
                                                      s->metric);
            t->series[k] = x;
            if (x && x->has_actual) {
                before = last;
                last = x;
            }
        }
        /* the change since the last cycle before this one with a figure */
        if (last && before && last == s) {
            t->has_change = true;
            t->change = last->actual - before->actual;
        }
        t->compliance = t->t.pchart.p * 100;
        t->lcl = t->t.pchart.lcl * 100;
        t->ucl = t->t.pchart.ucl * 100;
    }
    free(rt);
    return SVA_OK;
}

/* ---- Repeats and Auditors ---------------------------------------------------------------- */

static sva_error qa(sva_report *r, sva_diag *d)
{
    struct sva_report_priv *p = r->priv;
    sva_repeat *v = NULL;
    size_t n = 0;
    sva_error rc = sva_trend_repeats(p->db, r->o.cycle, &v, &n, d);
    if (rc)
        return rc;
    p->all_repeats = v;
    p->n_all_repeats = n;
    if (!(r->repeats = calloc(n ? n : 1, sizeof *r->repeats)))
        return SVA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!r->o.region || strcmp(v[i].region ? v[i].region : "", r->o.region) == 0)
            r->repeats[r->n_repeats++] = &v[i];
    /* over every recorded cycle: one cycle rarely has enough audits per auditor */
    return sva_trend_auditors(p->db, NULL, &r->auditors, &r->n_auditors, d);
}

/* ---- the whole model ----------------------------------------------------------------------- */

sva_error sva_report_build(sva_db *db, const sva_report_opts *o, sva_report **out,
                           sva_diag *d)
{
    *out = NULL;
    sva_report *r = calloc(1, sizeof *r);
    if (!r || !(r->priv = calloc(1, sizeof *r->priv))) {
        free(r);
        sva_diag_add(d, NULL, 0, "out of memory");
        return SVA_ERR_NOMEM;
    }
    r->o = *o;
    if (r->o.min_audits <= 0)
        r->o.min_audits = 2;
    if (r->o.trend_cycles <= 0)
        r->o.trend_cycles = 6;
    if (r->o.chart_stores <= 0)
        r->o.chart_stores = 10;
    if (r->o.min_group <= 0)
        r->o.min_group = 3;
    if (r->o.rating_cycles <= 0)
        r->o.rating_cycles = 3;
    struct sva_report_priv *p = r->priv;
    p->db = db;
    p->d = d;
    p->salt = o->salt ? sva_strdup(o->salt) : sva_db_meta_get(db, "pseudonym_salt");
    r->salt = p->salt;
    /* every part from one snapshot of the store (nested in the export's) */
    sva_error rc = sva_db_read_begin(db, d);
    if (rc) {
        sva_report_free(r);
        return rc;
    }
    p->scrub = sva_scrubber_new(db, r->o.employees, r->salt, d);
    rc = p->scrub ? SVA_OK : SVA_ERR_DB;
    if (!rc)
        rc = load_window(r, d);
    if (!rc)
        rc = dashboard(r, d);
    if (!rc)
        rc = six(r, d);
    if (!rc)
        rc = standards(r, d);
    if (!rc)
        rc = employees(r, d);
    if (!rc)
        rc = actions(r, d);
    if (!rc)
        rc = trend(r, d);
    if (!rc)
        rc = qa(r, d);
    if (!rc)
        rc = plans(r, d);
    if (!rc)
        headline(r);
    if (!rc)
        rc = p->err;
    sva_db_read_end(db);
    if (rc) {
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        sva_report_free(r);
        return rc;
    }
    *out = r;
    return SVA_OK;
}

void sva_report_free(sva_report *r)
{
    if (!r)
        return;
    struct sva_report_priv *p = r->priv;
    for (size_t i = 0; r->statuses && i < r->n_window; i++)
        sva_cycle_status_free(r->statuses[i]);
    free(r->statuses);
    sva_cycles_free(r->window, r->n_window);
    free(r->stores);
    free(r->chart);
    free(r->regions);
    free(r->rows);
    for (size_t i = 0; i < r->n_heat; i++)
        free(r->heat[i].sections);
    free(r->heat);
    free(r->section_means);
    sva_radar_free(&r->radar);
    free(r->items);
    free(r->employees);
    sva_employee_ratings_free(r->ratings);
    free(r->action_columns);
    free(r->action_types);
    for (size_t i = 0; i < r->n_actions; i++)
        free(r->actions[i].values);
    free(r->actions);
    for (size_t i = 0; i < r->n_trend; i++)
        free(r->trend[i].series);
    free(r->trend);
    free(r->repeats);
    sva_auditor_rows_free(r->auditors, r->n_auditors);
    free(r->plans.stores);
    free(r->plans.missed);
    free(r->plans.missed_employee);
    if (p) {
        sva_coverage_free(p->coverage);
        sva_plan_facts_free(p->plan_facts);
        sva_pool_free(&p->pool);
        free(p->salt);
        sva_scrubber_free(p->scrub);
        for (size_t i = 0; i < p->n_used; i++) {
            free(p->used[i].id);
            sva_checklist_free(p->used[i].stored);
        }
        free(p->used);
        sva_checklist_free(p->six_used);
        sva_facts_free(p->section_facts, p->n_section_facts);
        sva_item_facts_free(p->item_facts, p->n_item_facts);
        free(p->ic);
        sva_actions_free(p->actions, p->n_actions);
        sva_repeats_free(p->all_repeats, p->n_all_repeats);
        sva_act_facts_free(p->act_facts, p->n_act_facts);
        sva_map_free(&p->hidden);
        for (size_t i = 0; i < p->n_hidden; i++)
            free(p->hidden_ids[i]);
        free(p->hidden_ids);
        free(p);
    }
    free(r);
}

/* ---- streams: audits and answers, privacy applied ------------------------------------------ */

/* Store names and employee roles by id, for the streamed rows. */
typedef struct lookup {
    sva_map names;       /* store id -> index in stores */
    sva_store *stores;
    size_t n_stores;
    sva_map roles;       /* employee id -> index in people */
    sva_employee *people;
    size_t n_people;
} lookup;

static void lookup_free(lookup *l)
{
    sva_map_free(&l->names);
    sva_map_free(&l->roles);
    sva_stores_free(l->stores, l->n_stores);
    sva_employees_free(l->people, l->n_people);
}

static sva_error lookup_load(sva_db *db, lookup *l, sva_diag *d)
{
    memset(l, 0, sizeof *l);
    sva_error rc = sva_db_store_list(db, &l->stores, &l->n_stores, d);
    if (!rc)
        rc = sva_db_employee_list(db, NULL, &l->people, &l->n_people, d);
    for (size_t i = 0; !rc && i < l->n_stores; i++)
        if (!sva_map_put(&l->names, l->stores[i].id, i))
            rc = SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < l->n_people; i++)
        if (!sva_map_put(&l->roles, l->people[i].id, i))
            rc = SVA_ERR_NOMEM;
    return rc;
}

static const char *store_name(const lookup *l, const char *id)
{
    size_t i;
    return id && sva_map_get(&l->names, id, &i) ? l->stores[i].name : "";
}

typedef struct audit_pass {
    sva_report *r;
    lookup l;
    int (*cb)(const sva_report_audit *a, void *user);
    void *user;
} audit_pass;

static int audit_one(const sva_audit *a, void *user)
{
    audit_pass *c = user;
    char lbl[64];
    sva_report_audit x = {a,
                          hidden(c->r, a->employee)
                              ? ""
                              : sva_employee_label(c->r->o.employees, c->r->salt, a->employee,
                                                   NULL, lbl, sizeof lbl),
                          store_name(&c->l, a->store)};
    return c->cb(&x, c->user);
}

sva_error sva_report_each_audit(sva_report *r, sva_db *db,
                                int (*cb)(const sva_report_audit *a, void *user), void *user,
                                sva_diag *d)
{
    sva_audit_filter f = {.cycle = r->o.cycle, .region = r->o.region, .by_store = true};
    audit_pass c = {.r = r, .cb = cb, .user = user};
    sva_error rc = lookup_load(db, &c.l, d);
    if (!rc)
        rc = sva_db_audit_each(db, &f, audit_one, &c, d);
    lookup_free(&c.l);
    return rc;
}

typedef struct answer_pass {
    sva_report *r;
    sva_db *db;
    lookup l;
    int (*cb)(const sva_report_answer *a, void *user);
    void *user;
    char *note;          /* the note scrubbed, while the evidence is */
    size_t cap;
    const char *cl_id;   /* the checklist version of the last row, looked up once */
    long cl_version;
    const sva_checklist *cl;
    const char *yes, *no, *na; /* the words, looked up once */
    /* what is the same for every row of one audit (its employee's label and
     * role, its store's name), worked out at the audit's first row */
    bool in_audit;
    long long audit;
    const char *employee, *role, *store_name;
    char lbl[64];
} answer_pass;

/* The evidence as a file to link: an absolute path that is a regular file here. */
static const char *evidence_file(const char *e)
{
    struct stat st;
    return e && e[0] == '/' && stat(e, &st) == 0 && S_ISREG(st.st_mode) ? e : NULL;
}

static int answer_one(const sva_answer_row *row, void *user)
{
    answer_pass *c = user;
    sva_report *r = c->r;
    struct sva_report_priv *p = r->priv;
    const char *lang = r->o.lang;
    if (!c->in_audit || c->audit != row->audit) {
        if (!c->cl_id || c->cl_version != row->version ||
            strcmp(c->cl_id, row->checklist) != 0) {
            c->cl = checklist_of(r, row->checklist, row->version);
            c->cl_id = keep(r, row->checklist);
            c->cl_version = row->version;
        }
        size_t k;
        bool hide = hidden(r, row->employee);
        c->role = r->o.employees != SVA_PRIVACY_NONE && !hide && row->employee &&
                          *row->employee && sva_map_get(&c->l.roles, row->employee, &k)
                      ? sva_tr_name(lang, "role", c->l.people[k].role)
                      : "";
        c->employee = hide ? ""
                           : sva_employee_label(r->o.employees, r->salt, row->employee, NULL,
                                                c->lbl, sizeof c->lbl);
        c->store_name = store_name(&c->l, row->store);
        c->in_audit = true;
        c->audit = row->audit;
    }
    const sva_item *it = c->cl && row->item_no >= 0 && (size_t)row->item_no < c->cl->n_items &&
                                 strcmp(c->cl->items[row->item_no].id, row->item) == 0
                             ? &c->cl->items[row->item_no]
                             : NULL;
    sva_report_answer x = {
        .row = row,
        .employee = c->employee,
        .role = c->role,
        .store_name = c->store_name,
        .section_title = it ? sva_i18n_get(&c->cl->sections[it->section].title, lang)
                            : row->section,
        .item_text = it ? sva_i18n_get(&it->text, lang) : "",
        .critical = it && it->critical,
        .yesno = it && it->scale.kind == SVA_SCALE_YESNO,
        .has_score = !row->na && row->max > 0,
        .score = !row->na && row->max > 0 ? 100.0 * row->points / row->max : 0,
    };
    if (row->na)
        x.answer = c->na;
    else if (x.yesno)
        x.answer = row->value ? c->yes : c->no;
    /* the scrubber's result lives until its next call: keep the note's */
    const char *note = sva_scrub(p->scrub, row->store, row->note, &p->err, p->d);
    if (note && note != row->note) {
        size_t n = strlen(note) + 1;
        if (n > c->cap) {
            char *nb = realloc(c->note, n);
            if (!nb) {
                p->err = SVA_ERR_NOMEM;
                return 1;
            }
            c->note = nb;
            c->cap = n;
        }
        memcpy(c->note, note, n);
        note = c->note;
    }
    x.note = note;
    x.evidence = sva_scrub(p->scrub, row->store, row->evidence, &p->err, p->d);
    /* a scrubbed path is not a file any more; only link what is shown as it is */
    x.evidence_file = x.evidence == row->evidence ? evidence_file(row->evidence) : NULL;
    if (p->err)
        return 1;
    return c->cb(&x, c->user);
}

sva_error sva_report_each_answer(sva_report *r, sva_db *db,
                                 int (*cb)(const sva_report_answer *a, void *user), void *user,
                                 sva_diag *d)
{
    answer_pass c = {.r = r, .db = db, .cb = cb, .user = user,
                     .yes = sva_tr(r->o.lang, "value.yes"), .no = sva_tr(r->o.lang, "value.no"),
                     .na = sva_tr(r->o.lang, "value.na")};
    sva_error rc = lookup_load(db, &c.l, d);
    if (!rc)
        rc = sva_db_answer_rows(db, r->o.cycle, r->o.region, answer_one, &c, d);
    free(c.note);
    lookup_free(&c.l);
    if (r->priv->err)
        return r->priv->err;
    return rc;
}

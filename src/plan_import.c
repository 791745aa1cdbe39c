/* svcaudit: the plans file (see plan.h): one INI section per plan, read and
 * checked with its lines, then handed to the store in one transaction. */
#include "ini.h"
#include "svcaudit/file.h"
#include "svcaudit/plan.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const KEYS[] = {"cycle", "checklist", "store",  "region", "all_stores",
                                   "per_employee", "times", "every", "auditor"};
#define N_KEYS (sizeof KEYS / sizeof *KEYS)

/* yes / no (also true/false, 1/0); false when it is neither. */
static bool yes_no(const char *s, bool *out)
{
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
        return (*out = true);
    if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
        return !(*out = false);
    return false;
}

/* One section into @p p; its problems to @p d. false when it has one. */
static bool read_section(const char *name, const sva_ini_section *s, sva_plan *p, sva_diag *d)
{
    bool ok = true;
    const sva_ini_entry *e[N_KEYS] = {0};
    for (size_t k = 0; k < s->n; k++) {
        size_t i = 0;
        while (i < N_KEYS && strcmp(KEYS[i], s->entries[k].key) != 0)
            i++;
        if (i == N_KEYS) {
            sva_diag_add(d, name, s->entries[k].line,
                         "[%s]: unknown key '%s' (want cycle, checklist, store | region | "
                         "all_stores, per_employee, times, every, auditor)",
                         s->name, s->entries[k].key);
            ok = false;
        } else {
            e[i] = &s->entries[k];
        }
    }
    const sva_ini_entry *cy = e[0], *cl = e[1], *st = e[2], *rg = e[3], *all = e[4];
    const sva_ini_entry *pe = e[5], *tm = e[6], *ev = e[7], *au = e[8];
    p->line = s->line;
    if (!cy || !*cy->value || !cl || !*cl->value) {
        sva_diag_add(d, name, s->line, "[%s]: missing '%s = ...'", s->name,
                     !cy || !*cy->value ? "cycle" : "checklist");
        ok = false;
    }
    bool every_store = false;
    if (all && !yes_no(all->value, &every_store)) {
        sva_diag_add(d, name, all->line, "[%s]: all_stores '%s': want yes or no", s->name,
                     all->value);
        ok = false;
    }
    if ((st != NULL) + (rg != NULL) + every_store != 1) {
        sva_diag_add(d, name, s->line,
                     "[%s]: give one of 'store = S', 'region = R' or 'all_stores = yes'",
                     s->name);
        ok = false;
    }
    if (pe && !yes_no(pe->value, &p->per_employee)) {
        sva_diag_add(d, name, pe->line, "[%s]: per_employee '%s': want yes or no", s->name,
                     pe->value);
        ok = false;
    }
    p->times = 1;
    if (tm && (!sva_parse_int(tm->value, &p->times))) {
        sva_diag_add(d, name, tm->line, "[%s]: times '%s': want a whole number", s->name,
                     tm->value);
        ok = false;
    }
    p->every = SVA_EVERY_CYCLE;
    if (ev && (!sva_plan_every_parse(ev->value, &p->every) || p->every == SVA_EVERY_CYCLE)) {
        sva_diag_add(d, name, ev->line, "[%s]: every '%s': want day, week or month", s->name,
                     ev->value);
        ok = false;
    }
    if (!tm && !ev) {
        sva_diag_add(d, name, s->line, "[%s]: how often? give 'times = N' and/or 'every = "
                                       "day|week|month'",
                     s->name);
        ok = false;
    }
    p->scope = st ? SVA_SCOPE_STORE : rg ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK;
    p->cycle = sva_strdup(cy ? cy->value : "");
    p->checklist = sva_strdup(cl ? cl->value : "");
    p->scope_id = sva_strdup(st ? st->value : rg ? rg->value : "");
    p->auditor = sva_strdup(au ? au->value : "");
    p->cycle_line = cy ? cy->line : 0;
    p->checklist_line = cl ? cl->line : 0;
    p->scope_line = st ? st->line : rg ? rg->line : 0;
    p->times_line = tm ? tm->line : 0;
    p->auditor_line = au ? au->line : 0;
    return ok;
}

/* Every section into *out (also those with problems: @p good says which
 * are clean); the number with problems in *bad. */
static sva_error parse_all(const char *name, const char *data, size_t len,
                           const sva_catalog *cat, sva_plan **out, bool **good, size_t *n,
                           size_t *bad, sva_diag *d)
{
    *out = NULL;
    *good = NULL;
    *n = *bad = 0;
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse(name, data, len, &ini, d);
    if (rc) {
        sva_ini_free(ini); /* syntax problems reported; what they cause would repeat them */
        return rc;
    }
    sva_plan *v = calloc(ini->n ? ini->n : 1, sizeof *v);
    bool *ok = calloc(ini->n ? ini->n : 1, sizeof *ok);
    if (!v || !ok) {
        free(v);
        free(ok);
        sva_ini_free(ini);
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0; i < ini->n; i++) {
        ok[i] = read_section(name, &ini->secs[i], &v[i], d);
        if (!v[i].cycle || !v[i].checklist || !v[i].scope_id || !v[i].auditor)
            rc = SVA_ERR_NOMEM;
        else if (ok[i])
            ok[i] = sva_plan_check(&v[i], cat, name, d);
        *bad += !ok[i];
    }
    if (!ini->n) {
        sva_diag_add(d, name, 0, "no plans in the file (one [section] per plan)");
        (*bad)++;
    }
    *n = ini->n;
    sva_ini_free(ini);
    *out = v;
    *good = ok;
    return rc;
}

sva_error sva_plans_parse(const char *name, const char *data, size_t len,
                          const sva_catalog *cat, sva_plan **out, size_t *n, sva_diag *d)
{
    bool *good = NULL;
    size_t bad = 0;
    sva_error rc = parse_all(name, data, len, cat, out, &good, n, &bad, d);
    free(good);
    if (rc || bad) {
        sva_plans_free(*out, *n);
        *out = NULL;
        *n = 0;
        return rc ? rc : SVA_ERR_INVALID;
    }
    return SVA_OK;
}

sva_error sva_import_plans(sva_db *db, const char *path, const sva_catalog *cat, size_t *count,
                           sva_diag *d)
{
    if (count)
        *count = 0;
    char *data;
    size_t len;
    sva_error rc = sva_file_read(path, &data, &len, d);
    if (rc)
        return rc;
    sva_plan *v = NULL;
    bool *good = NULL;
    size_t n = 0, bad = 0;
    rc = parse_all(path, data, len, cat, &v, &good, &n, &bad, d);
    free(data);
    if (!rc && bad) {
        /* every problem in one run: the clean plans' stores, regions and cycles too */
        sva_plan *clean = malloc((n ? n : 1) * sizeof *clean); /* borrowed copies */
        size_t k = 0;
        for (size_t i = 0; clean && i < n; i++)
            if (good[i])
                clean[k++] = v[i];
        if (clean && k)
            sva_db_plans_put(db, clean, k, path, cat, true, d);
        free(clean);
        rc = SVA_ERR_INVALID;
    } else if (!rc) {
        rc = sva_db_plans_put(db, v, n, path, cat, false, d);
        if (!rc && count)
            *count = n;
    }
    sva_plans_free(v, n);
    free(good);
    return rc;
}

/* svcaudit: the rules of plans, pure (see plan.h): a plan's fields, the
 * periods of a cycle, and coverage: which planned audits are done, due or
 * missed. No store, no I/O: the facts come in, the counts go out. */
#include "svcaudit/plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ----------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a calendar date (Howard Hinnant's days_from_civil). */
static bool day_of(const char *s, long *out)
{
    if (!sva_parse_date(s))
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

/* The calendar date of day number @p z (civil_from_days). */
static void date_of(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[80];
    snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

/* 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(long z)
{
    long w = (z + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

bool sva_plan_week_of(const char *date, char monday[11], char sunday[11])
{
    long z;
    if (!day_of(date, &z))
        return false;
    long mon = z - weekday(z);
    date_of(mon, monday);
    date_of(mon + 6, sunday);
    return true;
}

/* ---- plans ------------------------------------------------------------------------------ */

static const char *const EVERY[] = {"cycle", "day", "week", "month"};

const char *sva_plan_every_name(sva_plan_every e)
{
    return (unsigned)e < 4 ? EVERY[e] : "?";
}

bool sva_plan_every_parse(const char *s, sva_plan_every *out)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, EVERY[i]) == 0) {
            *out = (sva_plan_every)i;
            return true;
        }
    return false;
}

void sva_plans_free(sva_plan *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].cycle);
        free(v[i].checklist);
        free(v[i].scope_id);
        free(v[i].auditor);
    }
    free(v);
}

/* A field's place in a message: the file's line, else the flag. */
static void field_diag(sva_diag *d, const char *file, int line, const char *flag,
                       const char *msg, const char *value)
{
    if (file)
        sva_diag_add(d, file, line, msg, value);
    else {
        char buf[256];
        snprintf(buf, sizeof buf, msg, value);
        sva_diag_add(d, NULL, 0, "%s: %s", flag, buf);
    }
}

bool sva_plan_check(const sva_plan *p, const sva_catalog *cat, const char *file, sva_diag *d)
{
    bool ok = true;
    int l = p->line;
    if (!sva_id_ok(p->cycle, 40, SVA_ID_DOTS | SVA_ID_UPPER)) {
        field_diag(d, file, p->cycle_line ? p->cycle_line : l, "--cycle", "bad cycle id '%s'",
                   p->cycle ? p->cycle : "");
        ok = false;
    }
    const sva_checklist *cl = p->checklist ? sva_catalog_find(cat, p->checklist) : NULL;
    if (!cl) {
        char near[600]; /* as field_diag words it, with the ids meant */
        sva_catalog_near(cat, p->checklist, false, near, sizeof near);
        sva_diag_add(d, file, file ? (p->checklist_line ? p->checklist_line : l) : 0,
                     "%sunknown checklist '%s'%s", file ? "" : "--checklist: ",
                     p->checklist ? p->checklist : "",
                     *near ? near : " (see 'svcaudit checklist list')");
        ok = false;
    }
    const char *flag = p->scope == SVA_SCOPE_STORE ? "--store" : "--region";
    if (p->scope == SVA_SCOPE_STORE && !sva_id_ok(p->scope_id, 40, SVA_ID_DOTS | SVA_ID_UPPER)) {
        field_diag(d, file, p->scope_line ? p->scope_line : l, flag, "bad store id '%s'",
                   p->scope_id ? p->scope_id : "");
        ok = false;
    }
    if (p->scope == SVA_SCOPE_REGION && !sva_text_ok(p->scope_id, 100, false)) {
        field_diag(d, file, p->scope_line ? p->scope_line : l, flag, "bad region '%s'",
                   p->scope_id ? p->scope_id : "");
        ok = false;
    }
    if (p->times < (p->scope == SVA_SCOPE_STORE ? 0 : 1) || p->times > 1000) {
        char v[32];
        snprintf(v, sizeof v, "%ld", p->times);
        field_diag(d, file, p->times_line ? p->times_line : l, "--times",
                   p->scope == SVA_SCOPE_STORE
                       ? "times %s: want 1 to 1000 audits a period (0: none at this store)"
                       : "times %s: want 1 to 1000 audits a period",
                   v);
        ok = false;
    }
    if (p->auditor && *p->auditor && !sva_text_ok(p->auditor, 100, false)) {
        field_diag(d, file, p->auditor_line ? p->auditor_line : l, "--auditor",
                   "bad auditor name '%s' (1-100 bytes of text)", p->auditor);
        ok = false;
    }
    if (cl && p->per_employee && cl->subject != SVA_SUBJECT_EMPLOYEE) {
        field_diag(d, file, l, "--per-employee",
                   "checklist '%s' audits a store, not an employee: it cannot be planned per "
                   "employee",
                   cl->id);
        ok = false;
    }
    return ok;
}

/* ---- periods ----------------------------------------------------------------------------- */

/* The day of the anchor of the week or month holding day @p z: its Thursday,
 * or its 15th. */
static long anchor_of(long z, sva_plan_every every)
{
    if (every == SVA_EVERY_WEEK)
        return z - weekday(z) + 3;
    char s[11];
    date_of(z, s);
    s[8] = '1', s[9] = '5';
    long a;
    day_of(s, &a);
    return a;
}

/* The first day of the week or month after the one holding day @p z. */
static long next_start(long z, sva_plan_every every)
{
    if (every == SVA_EVERY_WEEK)
        return z - weekday(z) + 7;
    char s[11];
    date_of(z, s);
    int y = atoi(s), m = atoi(s + 5);
    if (++m > 12)
        m = 1, y++;
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
    memcpy(s, buf, 11);
    long n;
    day_of(s, &n);
    return n;
}

sva_error sva_plan_periods(const char *from, const char *to, sva_plan_every every,
                           sva_period **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    long a, b;
    if (!day_of(from, &a) || !day_of(to, &b) || b < a)
        return SVA_ERR_INVALID;
    /* the starts of the periods, then each ends the day before the next */
    size_t cap = every == SVA_EVERY_DAY ? (size_t)(b - a + 1) : (size_t)((b - a) / 7 + 2);
    long *starts = malloc(cap * sizeof *starts);
    if (!starts)
        return SVA_ERR_NOMEM;
    size_t k = 0;
    if (every == SVA_EVERY_CYCLE) {
        starts[k++] = a;
    } else if (every == SVA_EVERY_DAY) {
        for (long z = a; z <= b; z++)
            starts[k++] = z;
    } else {
        /* each week (month) whose anchor lies in the cycle starts a period at its
         * first day, or at the cycle's first day for the first one */
        for (long z = a; z <= b; z = next_start(z, every)) {
            long anc = anchor_of(z, every);
            if (anc >= a && anc <= b) {
                starts[k] = k ? z : a;
                k++;
            }
        }
        if (!k)
            starts[k++] = a;
    }
    sva_period *v = malloc(k * sizeof *v);
    if (!v) {
        free(starts);
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0; i < k; i++) {
        date_of(starts[i], v[i].from);
        date_of(i + 1 < k ? starts[i + 1] - 1 : b, v[i].to);
    }
    free(starts);
    *out = v;
    *n = k;
    return SVA_OK;
}

/* ---- coverage ---------------------------------------------------------------------------- */

void sva_plan_facts_free(sva_plan_facts *f)
{
    if (!f)
        return;
    free(f->cycle.id);
    free(f->cycle.from);
    free(f->cycle.to);
    sva_plans_free(f->plans, f->n_plans);
    sva_stores_free(f->stores, f->n_stores);
    for (size_t i = 0; i < f->n_people; i++) {
        free(f->people[i].employee);
        free(f->people[i].store);
        free(f->people[i].from);
        free(f->people[i].to);
    }
    free(f->people);
    for (size_t i = 0; i < f->n_closed; i++) {
        free(f->closed[i].store);
        free(f->closed[i].from);
        free(f->closed[i].to);
    }
    free(f->closed);
    for (size_t i = 0; i < f->n_visits; i++) {
        free(f->visits[i].checklist);
        free(f->visits[i].store);
        free(f->visits[i].employee);
        free(f->visits[i].auditor);
    }
    free(f->visits);
    for (size_t i = 0; i < f->n_reasons; i++) {
        free(f->reasons[i].checklist);
        free(f->reasons[i].store);
        free(f->reasons[i].employee);
        free(f->reasons[i].text);
    }
    free(f->reasons);
    free(f);
}

void sva_coverage_free(sva_coverage *c)
{
    if (!c)
        return;
    free(c->units);
    free(c->slots);
    free(c->stores);
    free(c);
}

/* Visits ordered by checklist, store, employee (store audits first), date, audit. */
static int visit_cmp(const sva_plan_visit *a, const sva_plan_visit *b)
{
    int c = strcmp(a->checklist, b->checklist);
    if (!c)
        c = strcmp(a->store, b->store);
    if (!c && (a->employee || b->employee))
        c = !a->employee ? -1 : !b->employee ? 1 : strcmp(a->employee, b->employee);
    if (!c)
        c = strcmp(a->date, b->date);
    if (!c)
        c = a->audit < b->audit ? -1 : a->audit > b->audit;
    return c;
}

static int by_visit(const void *pa, const void *pb)
{
    return visit_cmp(*(const sva_plan_visit *const *)pa, *(const sva_plan_visit *const *)pb);
}
static int by_date(const void *pa, const void *pb)
{
    const sva_plan_visit *a = *(const sva_plan_visit *const *)pa;
    const sva_plan_visit *b = *(const sva_plan_visit *const *)pb;
    int c = strcmp(a->date, b->date);
    return c ? c : a->audit < b->audit ? -1 : a->audit > b->audit;
}

/* The first position in @p idx (sorted by by_visit) whose visit is not
 * before (checklist, store, employee); employee NULL: the store's first. */
static size_t lower_bound(const sva_plan_visit *const *idx, size_t n, const char *cl,
                          const char *store, const char *employee)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const sva_plan_visit *v = idx[mid];
        int c = strcmp(v->checklist, cl);
        if (!c)
            c = strcmp(v->store, store);
        if (!c && employee)
            c = !v->employee ? -1 : strcmp(v->employee, employee);
        else if (!c)
            c = 1; /* employee NULL: before every visit of the store */
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The effective plan of @p checklist at store @p s: its own, else its
 * region's, else the network's; NULL when none (or times 0). */
static const sva_plan *effective(const sva_plan_facts *f, const char *checklist,
                                 const sva_store *s)
{
    const sva_plan *best = NULL;
    for (size_t i = 0; i < f->n_plans; i++) {
        const sva_plan *p = &f->plans[i];
        if (strcmp(p->checklist, checklist) != 0)
            continue;
        bool match = p->scope == SVA_SCOPE_NETWORK ||
                     (p->scope == SVA_SCOPE_REGION && *s->region &&
                      strcmp(p->scope_id, s->region) == 0) ||
                     (p->scope == SVA_SCOPE_STORE && strcmp(p->scope_id, s->id) == 0);
        if (match && (!best || p->scope > best->scope))
            best = p;
    }
    return best && best->times > 0 ? best : NULL;
}

static const char *reason_of(const sva_plan_facts *f, const char *cl, const char *store,
                             const char *employee)
{
    for (size_t i = 0; i < f->n_reasons; i++) {
        const sva_plan_reason *r = &f->reasons[i];
        if (strcmp(r->checklist, cl) == 0 && strcmp(r->store, store) == 0 &&
            strcmp(r->employee, employee ? employee : "") == 0)
            return r->text;
    }
    return NULL;
}

typedef struct cover_build {
    const sva_plan_facts *f;
    sva_coverage *c;
    size_t cap_units, cap_slots;
    const sva_plan_visit **idx;  /* the visits sorted by by_visit */
    const sva_plan_visit **pick; /* scratch: a unit's visits, by date */
    long today;
} cover_build;

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return false;
    *p = np;
    *cap = nc;
    return true;
}

/* Add the unit of plan @p p at store @p s (employee @p who, working there
 * from @p wfrom to @p wto, NULL: all along) and count its periods. */
static sva_error add_unit(cover_build *b, const sva_plan *p, const sva_store *s, const char *who,
                          const char *wfrom, const char *wto)
{
    const sva_plan_facts *f = b->f;
    sva_coverage *c = b->c;
    sva_period *per;
    size_t np;
    sva_error rc = sva_plan_periods(f->cycle.from, f->cycle.to, p->every, &per, &np);
    if (rc)
        return rc;
    /* clip to the days the employee works there */
    size_t first = 0, last = np; /* periods [first, last) */
    for (size_t i = 0; i < np; i++) {
        if (wfrom && strcmp(per[i].to, wfrom) < 0)
            first = i + 1;
        if (wto && strcmp(per[i].from, wto) > 0 && last == np)
            last = i;
    }
    if (first >= last) {
        free(per);
        return SVA_OK; /* not there in the cycle */
    }
    if (wfrom && strcmp(per[first].from, wfrom) < 0)
        memcpy(per[first].from, wfrom, 11);
    if (wto && strcmp(per[last - 1].to, wto) > 0)
        memcpy(per[last - 1].to, wto, 11);
    size_t ns = last - first;
    if (!grow((void **)&c->units, &b->cap_units, c->n_units + 1, sizeof *c->units) ||
        !grow((void **)&c->slots, &b->cap_slots, c->n_slots + ns, sizeof *c->slots)) {
        free(per);
        return SVA_ERR_NOMEM;
    }
    sva_cover_unit *u = &c->units[c->n_units];
    memset(u, 0, sizeof *u);
    u->plan = p;
    u->checklist = p->checklist;
    u->store = s->id;
    u->region = s->region;
    u->auditor = p->auditor;
    u->employee = who;
    u->reason = reason_of(f, p->checklist, s->id, who);
    u->first_slot = c->n_slots;
    u->n_slots = ns;
    sva_cover_slot *sl = &c->slots[c->n_slots];
    for (size_t i = 0; i < ns; i++) {
        memset(&sl[i], 0, sizeof sl[i]);
        sl[i].unit = c->n_units;
        sl[i].period = per[first + i];
        sl[i].planned = p->times;
    }
    free(per);
    /* the unit's audits, by date */
    size_t lo = lower_bound(b->idx, f->n_visits, p->checklist, s->id, who);
    size_t k = 0;
    for (size_t i = lo; i < f->n_visits; i++) {
        const sva_plan_visit *v = b->idx[i];
        if (strcmp(v->checklist, p->checklist) != 0 || strcmp(v->store, s->id) != 0 ||
            (who && (!v->employee || strcmp(v->employee, who) != 0)))
            break;
        b->pick[k++] = v;
    }
    if (!who)
        qsort(b->pick, k, sizeof *b->pick, by_date);
    /* first each audit in its own period, then the surplus for earlier ones */
    bool *used = calloc(k ? k : 1, sizeof *used);
    size_t *at = malloc((k ? k : 1) * sizeof *at);
    if (!used || !at) {
        free(used);
        free(at);
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0, j = 0; i < k; i++) {
        const char *date = b->pick[i]->date;
        while (j < ns && strcmp(sl[j].period.to, date) < 0)
            j++;
        at[i] = j < ns && strcmp(sl[j].period.from, date) <= 0 ? j : ns; /* ns: in none */
        if (at[i] < ns && sl[at[i]].done < sl[at[i]].planned) {
            sl[at[i]].done++;
            used[i] = true;
            memcpy(sl[at[i]].last, date, 11);
        }
    }
    for (size_t i = 0; i < k; i++) {
        if (used[i] || at[i] == ns)
            continue;
        for (size_t j = 0; j < at[i]; j++)
            if (sl[j].done + sl[j].late < sl[j].planned) {
                sl[j].late++;
                memcpy(sl[j].last, b->pick[i]->date, 11);
                break;
            }
    }
    free(used);
    free(at);
    for (size_t i = 0; i < ns; i++) {
        long left = sl[i].planned - sl[i].done - sl[i].late;
        long end;
        day_of(sl[i].period.to, &end);
        if (c->closing || end < b->today)
            sl[i].missed = left;
        else
            sl[i].due = left;
        u->planned += sl[i].planned;
        u->done += sl[i].done + sl[i].late;
        u->late += sl[i].late;
        u->due += sl[i].due;
        u->missed += sl[i].missed;
        if (sl[i].due && !*u->next_from) {
            memcpy(u->next_from, sl[i].period.from, 11);
            memcpy(u->next_to, sl[i].period.to, 11);
        }
        if (strcmp(sl[i].last, u->last) > 0)
            memcpy(u->last, sl[i].last, 11);
    }
    c->n_slots += ns;
    c->n_units++;
    return SVA_OK;
}

static void add_total(sva_cover_total *t, const sva_cover_unit *u)
{
    t->planned += u->planned;
    t->done += u->done;
    t->late += u->late;
    t->due += u->due;
    t->missed += u->missed;
    t->units_missed_no_reason += u->missed && !u->reason;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Days a store is open in the cycle: from..to, "" for the cycle's own end. */
typedef struct open_window {
    char from[11], to[11];
} open_window;

/* The windows of the cycle store @p s is open (its closed days cut out), in
 * order, into @p w (room for one more than the store's closed spans). */
static size_t open_windows(const sva_plan_facts *f, const char *s, long cfrom, long cto,
                           open_window *w)
{
    size_t n = 0;
    long cur = cfrom;
    for (size_t i = 0; i < f->n_closed; i++) {
        const sva_plan_closed *x = &f->closed[i];
        long a = cfrom, b = cto;
        if (strcmp(x->store, s) != 0 || (x->from && !day_of(x->from, &a)) ||
            (x->to && !day_of(x->to, &b)))
            continue;
        if (a > cur) {
            date_of(cur, w[n].from);
            date_of(a - 1, w[n].to);
            n++;
        }
        if (b + 1 > cur)
            cur = b + 1;
    }
    if (cur <= cto) {
        date_of(cur, w[n].from);
        date_of(cto, w[n].to);
        n++;
    }
    for (size_t i = 0; i < n; i++) { /* the cycle's own ends stay open */
        long a, b;
        if (day_of(w[i].from, &a) && a == cfrom)
            w[i].from[0] = '\0';
        if (day_of(w[i].to, &b) && b == cto)
            w[i].to[0] = '\0';
    }
    return n;
}

/* Add @p p's units at store @p st for the days of window @p w: the store's
 * own, or one per stay of an employee there that meets the window. */
static sva_error add_window(cover_build *b, const sva_plan *p, const sva_store *st,
                            const open_window *w)
{
    const sva_plan_facts *f = b->f;
    const char *wf = *w->from ? w->from : NULL, *wt = *w->to ? w->to : NULL;
    if (!p->per_employee)
        return add_unit(b, p, st, NULL, wf, wt);
    sva_error rc = SVA_OK;
    for (size_t e = 0; !rc && e < f->n_people; e++) {
        const sva_plan_person *pp = &f->people[e];
        if (strcmp(pp->store, st->id) != 0)
            continue;
        const char *from = !wf || (pp->from && strcmp(pp->from, wf) > 0) ? pp->from : wf;
        const char *to = !wt || (pp->to && strcmp(pp->to, wt) < 0) ? pp->to : wt;
        if (!from || !to || strcmp(from, to) <= 0)
            rc = add_unit(b, p, st, pp->employee, from, to);
    }
    return rc;
}

sva_error sva_plan_coverage(const sva_plan_facts *f, const char *today, bool closing,
                            sva_coverage **out)
{
    *out = NULL;
    long td;
    if (!day_of(today, &td))
        return SVA_ERR_INVALID;
    sva_coverage *c = calloc(1, sizeof *c);
    size_t nv = f->n_visits;
    const sva_plan_visit **idx = malloc((nv ? nv : 1) * sizeof *idx);
    const sva_plan_visit **pick = malloc((nv ? nv : 1) * sizeof *pick);
    const char **cls = malloc((f->n_plans ? f->n_plans : 1) * sizeof *cls);
    if (!c || !idx || !pick || !cls) {
        free(idx);
        free(pick);
        free(cls);
        free(c);
        return SVA_ERR_NOMEM;
    }
    memcpy(c->today, today, 11);
    c->closing = closing;
    for (size_t i = 0; i < nv; i++)
        idx[i] = &f->visits[i];
    qsort(idx, nv, sizeof *idx, by_visit);
    /* the checklists planned, each once, in id order */
    size_t ncl = 0;
    for (size_t i = 0; i < f->n_plans; i++)
        cls[ncl++] = f->plans[i].checklist;
    qsort(cls, ncl, sizeof *cls, str_cmp);
    size_t m = 0;
    for (size_t i = 0; i < ncl; i++)
        if (!m || strcmp(cls[m - 1], cls[i]) != 0)
            cls[m++] = cls[i];
    ncl = m;
    cover_build b = {.f = f, .c = c, .idx = idx, .pick = pick, .today = td};
    sva_error rc = SVA_OK;
    c->stores = calloc(f->n_stores ? f->n_stores : 1, sizeof *c->stores);
    long cfrom, cto;
    open_window *win = malloc((f->n_closed + 1) * sizeof *win);
    if (!c->stores || !win)
        rc = SVA_ERR_NOMEM;
    else if (!day_of(f->cycle.from, &cfrom) || !day_of(f->cycle.to, &cto))
        rc = SVA_ERR_INVALID;
    for (size_t s = 0; !rc && s < f->n_stores; s++) {
        const sva_store *st = &f->stores[s];
        size_t before = c->n_units;
        size_t nw = open_windows(f, st->id, cfrom, cto, win);
        for (size_t k = 0; !rc && k < ncl; k++) {
            const sva_plan *p = effective(f, cls[k], st);
            for (size_t w = 0; p && !rc && w < nw; w++)
                rc = add_window(&b, p, st, &win[w]);
        }
        if (rc || c->n_units == before)
            continue;
        sva_cover_total *t = &c->stores[c->n_stores++];
        t->store = st->id;
        t->region = st->region;
        for (size_t u = before; u < c->n_units; u++) {
            add_total(t, &c->units[u]);
            add_total(&c->network, &c->units[u]);
        }
    }
    free(win);
    free(idx);
    free(pick);
    free(cls);
    if (rc) {
        sva_coverage_free(c);
        return rc;
    }
    *out = c;
    return SVA_OK;
}

/* ---- reading coverage ------------------------------------------------------------------------- */

static bool unit_for(const sva_cover_unit *u, const char *store, const char *auditor)
{
    return (!store || strcmp(u->store, store) == 0) &&
           (!auditor || strcmp(u->auditor, auditor) == 0);
}

void sva_coverage_sum(const sva_coverage *c, const char *store, const char *region,
                      const char *auditor, sva_cover_total *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < c->n_units; i++)
        if (unit_for(&c->units[i], store, auditor) &&
            (!region || strcmp(c->units[i].region, region) == 0))
            add_total(out, &c->units[i]);
}

typedef struct due_ref {
    const sva_cover_slot *s;
    const sva_cover_unit *u;
    size_t i;
} due_ref;

static int by_deadline(const void *pa, const void *pb)
{
    const due_ref *a = pa, *b = pb;
    int r = strcmp(a->s->period.to, b->s->period.to);
    if (!r)
        r = strcmp(a->s->period.from, b->s->period.from);
    if (!r)
        r = strcmp(a->u->store, b->u->store);
    if (!r)
        r = strcmp(a->u->checklist, b->u->checklist);
    if (!r)
        r = strcmp(a->u->employee ? a->u->employee : "", b->u->employee ? b->u->employee : "");
    return r;
}

sva_error sva_coverage_due(const sva_coverage *c, const char *auditor, const char *until,
                           size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    due_ref *r = malloc((c->n_slots ? c->n_slots : 1) * sizeof *r);
    size_t *v = malloc((c->n_slots ? c->n_slots : 1) * sizeof *v);
    if (!r || !v) {
        free(r);
        free(v);
        return SVA_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < c->n_slots; i++) {
        const sva_cover_slot *s = &c->slots[i];
        if (s->due && unit_for(&c->units[s->unit], NULL, auditor) &&
            (!until || strcmp(s->period.from, until) <= 0))
            r[k++] = (due_ref){s, &c->units[s->unit], i};
    }
    qsort(r, k, sizeof *r, by_deadline);
    for (size_t i = 0; i < k; i++)
        v[i] = r[i].i;
    free(r);
    *out = v;
    *n = k;
    return SVA_OK;
}

sva_error sva_coverage_missed(const sva_coverage *c, const char *store, sva_cover_miss **out,
                              size_t *n)
{
    *out = NULL;
    *n = 0;
    sva_cover_miss *v = malloc((c->n_slots ? c->n_slots : 1) * sizeof *v);
    if (!v)
        return SVA_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < c->n_slots; i++) {
        const sva_cover_slot *s = &c->slots[i];
        if (!s->missed || !unit_for(&c->units[s->unit], store, NULL))
            continue;
        /* the slot before is the same unit's previous period: join it */
        if (k && i > 0 && v[k - 1].unit == s->unit && c->slots[i - 1].missed) {
            sva_cover_miss *m = &v[k - 1];
            memcpy(m->to, s->period.to, 11);
            m->periods++;
            m->planned += s->planned;
            m->missed += s->missed;
            continue;
        }
        sva_cover_miss *m = &v[k++];
        m->unit = s->unit;
        memcpy(m->from, s->period.from, 11);
        memcpy(m->to, s->period.to, 11);
        m->periods = 1;
        m->planned = s->planned;
        m->missed = s->missed;
    }
    *out = v;
    *n = k;
    return SVA_OK;
}

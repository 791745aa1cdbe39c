/* svcaudit: the models of the one-page reports (see report.h): one audit, one
 * employee over the last cycles, one store in a cycle. Facts come from the
 * store's public calls (and db_report.c's look-ups), figures from the pure
 * analysis, texts from the checklists the audits used; privacy is applied
 * here, so the PDF renderer only lays the model out. */
#include "db_report.h"
#include "photo.h"
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

/* At most this many pictures of one failed item are embedded. */
#define MAX_PHOTOS 4
#define MAX_COACHING 8
#define MAX_WEAKEST 10
#define MAX_NOTES 5

/* ---- what one report owns ------------------------------------------------------------------ */

struct sva_page_priv {
    sva_pool pool;           /* every string of the model */
    void **blocks;           /* every array of the model */
    size_t n_blocks, cap;
    sva_cycle_status *status; /* the store report's rows point into it */
    sva_error err;           /* the first failure to keep something */
};

static void priv_free(struct sva_page_priv *p)
{
    if (!p)
        return;
    sva_pool_free(&p->pool);
    for (size_t i = 0; i < p->n_blocks; i++)
        free(p->blocks[i]);
    free(p->blocks);
    sva_cycle_status_free(p->status);
    free(p);
}

static const char *keep(struct sva_page_priv *p, const char *s)
{
    const char *k = sva_pool_str(&p->pool, s ? s : "");
    if (!k && !p->err)
        p->err = SVA_ERR_NOMEM;
    return k ? k : "";
}

static const char *keepf(struct sva_page_priv *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!s) {
        if (!p->err)
            p->err = SVA_ERR_NOMEM;
        return "";
    }
    const char *k = keep(p, s);
    free(s);
    return k;
}

/* A zeroed array of @p n elements (at least one), freed with the report. */
static void *arr(struct sva_page_priv *p, size_t n, size_t size)
{
    if (p->n_blocks == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 16;
        void **nb = realloc(p->blocks, nc * sizeof *nb);
        if (!nb)
            goto nomem;
        p->blocks = nb;
        p->cap = nc;
    }
    void *v = calloc(n ? n : 1, size);
    if (!v)
        goto nomem;
    p->blocks[p->n_blocks++] = v;
    return v;
nomem:
    if (!p->err)
        p->err = SVA_ERR_NOMEM;
    return NULL;
}

/* ---- the shared context ---------------------------------------------------------------------- */

/* A cycle's status and actions, gathered once for every report that needs them. */
typedef struct cycle_info {
    char *id;
    sva_cycle_status *status;
    sva_action *actions;
    size_t n_actions;
} cycle_info;

/* A checklist version's texts, as the audits used it. */
typedef struct cl_entry {
    char *id;
    long version;
    sva_checklist *stored;
    const sva_checklist *use;  /* stored, else the catalog's of that version, else NULL */
} cl_entry;

struct sva_reports {
    sva_db *db;
    sva_reports_opts o;
    char *salt;
    char today[16];
    sva_scrubber *scrub;
    cycle_info **cycles;     /* each allocated once: pointers to them stay valid */
    size_t n_cycles;
    cl_entry *cls;
    size_t n_cls;
    unsigned long snapshot;  /* the read snapshot the cycles and the scrubber come from */
};

static const char *tr(const sva_reports *ctx, const char *key)
{
    return sva_tr(ctx->o.lang, key);
}

static void cycles_drop(sva_reports *c)
{
    for (size_t i = 0; i < c->n_cycles; i++) {
        free(c->cycles[i]->id);
        sva_cycle_status_free(c->cycles[i]->status);
        sva_actions_free(c->cycles[i]->actions, c->cycles[i]->n_actions);
        free(c->cycles[i]);
    }
    free(c->cycles);
    c->cycles = NULL;
    c->n_cycles = 0;
}

/* Every report reads the context's snapshot, so a batch of them shows an
 * audit recorded meanwhile on all of its pages or on none. A write on the same
 * connection (between two reports) ended it: what was gathered from it goes,
 * and a new one begins, in which the write is seen. */
static sva_error current(sva_reports *c, sva_diag *d)
{
    if (c->snapshot && sva_db_read_snapshot(c->db) == c->snapshot)
        return SVA_OK;
    cycles_drop(c);
    sva_scrubber_free(c->scrub); /* it knows the employees of the old one */
    c->scrub = NULL;
    c->snapshot = 0;
    sva_error rc = sva_db_read_begin(c->db, d);
    if (rc)
        return rc;
    c->snapshot = sva_db_read_snapshot(c->db);
    if (!(c->scrub = sva_scrubber_new(c->db, c->o.employees, c->salt, d)))
        return SVA_ERR_DB; /* the scrubber said why */
    return SVA_OK;
}

sva_error sva_reports_open(sva_db *db, const sva_reports_opts *o, sva_reports **out,
                           sva_diag *d)
{
    *out = NULL;
    if (!sva_lang_known(o->lang)) {
        sva_diag_add(d, NULL, 0, "unknown language '%s' (available: %s)", o->lang,
                     sva_lang_names());
        return SVA_ERR_USAGE;
    }
    sva_reports *c = calloc(1, sizeof *c);
    if (!c)
        goto nomem;
    c->db = db;
    c->o = *o;
    if (c->o.lang && strcmp(c->o.lang, "en") == 0)
        c->o.lang = NULL;
    if (c->o.min_audits <= 0)
        c->o.min_audits = 2;
    if (c->o.appeal_days <= 0)
        c->o.appeal_days = 7;
    if (o->today) {
        snprintf(c->today, sizeof c->today, "%s", o->today);
    } else {
        sva_today(c->today);
    }
    c->o.today = c->today;
    c->salt = o->salt ? sva_strdup(o->salt) : sva_db_meta_get(db, "pseudonym_salt");
    if (o->salt && !c->salt)
        goto nomem;
    sva_error rc = current(c, d);
    if (rc) {
        sva_reports_close(c);
        return rc;
    }
    *out = c;
    return SVA_OK;
nomem:
    sva_reports_close(c);
    sva_diag_add(d, NULL, 0, "out of memory");
    return SVA_ERR_NOMEM;
}

void sva_reports_close(sva_reports *c)
{
    if (!c)
        return;
    if (c->snapshot && sva_db_read_snapshot(c->db) == c->snapshot)
        sva_db_read_end(c->db); /* unless a write ended it already */
    cycles_drop(c);
    for (size_t i = 0; i < c->n_cls; i++) {
        free(c->cls[i].id);
        sva_checklist_free(c->cls[i].stored);
    }
    free(c->cls);
    sva_scrubber_free(c->scrub);
    free(c->salt);
    free(c);
}

/* The status and actions of cycle @p id, from the cache or the store. */
static sva_error cycle_get(sva_reports *c, const char *id, const cycle_info **out, sva_diag *d)
{
    for (size_t i = 0; i < c->n_cycles; i++)
        if (strcmp(c->cycles[i]->id, id) == 0) {
            *out = c->cycles[i];
            return SVA_OK;
        }
    cycle_info *ci = calloc(1, sizeof *ci);
    if (!ci) {
        sva_diag_add(d, NULL, 0, "out of memory");
        return SVA_ERR_NOMEM;
    }
    sva_action_filter f = {.cycle = id, .today = c->today};
    sva_error rc = sva_analysis_cycle_status(c->db, id, c->today, &ci->status, d);
    if (!rc)
        rc = sva_db_action_list(c->db, &f, &ci->actions, &ci->n_actions, d);
    cycle_info **nv = NULL;
    if (!rc && (!(ci->id = sva_strdup(id)) ||
                !(nv = realloc(c->cycles, (c->n_cycles + 1) * sizeof *nv)))) {
        sva_diag_add(d, NULL, 0, "out of memory");
        rc = SVA_ERR_NOMEM;
    }
    if (rc) {
        free(ci->id);
        sva_cycle_status_free(ci->status);
        sva_actions_free(ci->actions, ci->n_actions);
        free(ci);
        return rc;
    }
    c->cycles = nv;
    c->cycles[c->n_cycles++] = ci;
    *out = ci;
    return SVA_OK;
}

/* Checklist @p id at @p version as @p cycle's audits used it (the stored text),
 * else the catalog's when it is that version; NULL when neither. */
static const sva_checklist *cl_get(sva_reports *c, const char *cycle, const char *id,
                                   long version)
{
    for (size_t i = 0; i < c->n_cls; i++)
        if (c->cls[i].version == version && strcmp(c->cls[i].id, id) == 0)
            return c->cls[i].use;
    const sva_checklist *cat = sva_catalog_find(c->o.cat, id);
    if (cat && cat->version != version)
        cat = NULL;
    cl_entry *nv = realloc(c->cls, (c->n_cls + 1) * sizeof *nv);
    if (!nv)
        return cat;
    c->cls = nv;
    cl_entry *e = &c->cls[c->n_cls];
    if (!(e->id = sva_strdup(id)))
        return cat;
    e->version = version;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_db_checklist_used(c->db, cycle, id, version, NULL, &e->stored, &quiet))
        e->stored = NULL;
    sva_diag_clear(&quiet);
    e->use = e->stored ? e->stored : cat;
    c->n_cls++;
    return e->use;
}

static const char *scrub(sva_reports *c, struct sva_page_priv *p, const char *store,
                         const char *text, sva_diag *d)
{
    if (!text || !*text)
        return "";
    return keep(p, sva_scrub(c->scrub, store, text, &p->err, d));
}

/* An employee as the privacy mode shows them; the name is looked up for full. */
static const char *person(sva_reports *c, struct sva_page_priv *p, const char *id,
                          const char *name)
{
    if (!id || !*id || c->o.employees == SVA_PRIVACY_NONE)
        return "";
    sva_employee *e = NULL;
    if (!name && c->o.employees == SVA_PRIVACY_FULL) {
        sva_diag quiet;
        sva_diag_init(&quiet);
        if (sva_db_employee_get(c->db, id, &e, &quiet) == SVA_OK)
            name = e->name;
        sva_diag_clear(&quiet);
    }
    char buf[512];
    const char *s = keep(p, sva_employee_label(c->o.employees, c->salt, id, name, buf,
                                               sizeof buf));
    sva_employees_free(e, e ? 1 : 0);
    return s;
}

static const char *index_metric(sva_index i)
{
    return i == SVA_INDEX_NONE ? NULL : sva_index_name(i);
}

/* "SSI", "CSI", "6S", else the checklist's title in the report's language, else @p m. */
static const char *metric_name(sva_reports *c, struct sva_page_priv *p, const char *m)
{
    for (int i = 0; i < SVA_N_INDEXES; i++)
        if (strcmp(m, SVA_INDEXES[i]) == 0)
            return SVA_INDEX_NAMES[i];
    const sva_checklist *cl = sva_catalog_find(c->o.cat, m);
    return cl ? keep(p, sva_i18n_get(&cl->title, c->o.lang)) : keep(p, m);
}

/* A figure against a target, by the one verdict rule (sva_judge). */
static void judge(bool has, double pct, bool has_target, double target, double *gap,
                  sva_target_status *st, sva_colour *colour)
{
    sva_judgement j = sva_judge(has, pct, has_target, target);
    *gap = j.gap;
    *st = j.status;
    *colour = j.colour;
}

static const char *field(const sva_action *a, const char *key)
{
    for (size_t i = 0; i < a->n_fields; i++)
        if (strcmp(a->fields[i].key, key) == 0)
            return a->fields[i].value;
    return "";
}

/* An action as a report shows it; @p cl gives the item's or section's text. */
static void todo_of(sva_reports *c, struct sva_page_priv *p, const sva_action *a,
                    const sva_checklist *cl, sva_report_todo *t, sva_diag *d)
{
    t->id = a->id;
    t->item = keep(p, a->item);
    long k;
    if (cl && a->item && (k = sva_checklist_item_index(cl, a->item)) >= 0)
        t->about = keep(p, sva_i18n_get(&cl->items[k].text, c->o.lang));
    else if (cl && a->section && (k = sva_checklist_section_index(cl, a->section)) >= 0)
        t->about = keep(p, sva_i18n_get(&cl->sections[k].title, c->o.lang));
    else if (a->item || a->section)
        t->about = keep(p, a->item ? a->item : a->section);
    else
        t->about = a->metric ? metric_name(c, p, a->metric) : "";
    t->what = scrub(c, p, a->store, field(a, "what"), d);
    t->owner = scrub(c, p, a->store, a->owner, d);
    t->due = keep(p, a->due);
    t->status = a->status;
    t->status_text = sva_tr_name(c->o.lang, "action", sva_action_status_name(a->status));
    t->overdue = a->overdue;
}

/* ---- pictures named as evidence -------------------------------------------------------------- */

static bool is_picture_name(const char *s, size_t n)
{
    static const char *const EXT[] = {".jpg", ".jpeg", ".png"};
    for (size_t i = 0; i < sizeof EXT / sizeof *EXT; i++) {
        size_t e = strlen(EXT[i]);
        if (n > e) {
            size_t j = 0;
            while (j < e && (s[n - e + j] | 0x20) == EXT[i][j])
                j++;
            if (j == e)
                return true;
        }
    }
    return false;
}

/* Look at the file @p name (relative to the photos folder): found, a picture, its size. */
static void probe_photo(sva_reports *c, struct sva_page_priv *p, const char *name,
                        sva_report_photo *ph)
{
    char *path = name[0] == '/' || !c->o.photos ? sva_strdup(name)
                                                : sva_asprintf("%s/%s", c->o.photos, name);
    if (!path) {
        p->err = SVA_ERR_NOMEM;
        return;
    }
    struct stat sb;
    char *data = NULL;
    size_t len = 0;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        ph->problem = tr(c, "report.photo.missing");
    } else if (sva_file_read(path, &data, &len, &quiet) != SVA_OK) {
        ph->problem = tr(c, "report.photo.unreadable");
    } else {
        ph->kind = sva_photo_probe((const unsigned char *)data, len, &ph->width, &ph->height);
        if (ph->kind == SVA_PHOTO_NONE) {
            ph->problem = tr(c, "report.photo.not_picture");
        } else if (ph->kind == SVA_PHOTO_PNG &&
                   (long)ph->width * ph->height > SVA_PHOTO_MAX_PNG_PIXELS) {
            ph->problem = keepf(p, tr(c, "report.photo.too_large"), ph->width, ph->height);
            ph->kind = SVA_PHOTO_NONE;
        } else {
            ph->file = keep(p, path);
            ph->problem = "";
        }
    }
    sva_diag_clear(&quiet);
    free(data);
    free(path);
}

/* The evidence of a failed item: the picture files it names (separated by
 * spaces, commas or semicolons), and the other words. */
static void evidence_of(sva_reports *c, struct sva_page_priv *p, const char *store,
                        const char *ev, sva_report_finding *f, sva_diag *d)
{
    f->evidence = "";
    if (!ev || !*ev)
        return;
    static const char SEP[] = " \t\r\n,;";
    size_t n_pics = 0;
    for (const char *s = ev; *s;) {
        s += strspn(s, SEP);
        size_t n = strcspn(s, SEP);
        n_pics += n && is_picture_name(s, n);
        s += n;
    }
    if (n_pics && !(f->photos = arr(p, n_pics, sizeof *f->photos)))
        return;
    sva_buf words = {0};
    for (const char *s = ev; *s && !p->err;) {
        s += strspn(s, SEP);
        size_t n = strcspn(s, SEP);
        if (!n)
            break;
        char *tok = sva_strndup(s, n);
        if (!tok) {
            p->err = SVA_ERR_NOMEM;
            break;
        }
        if (is_picture_name(s, n)) {
            sva_report_photo *ph = &f->photos[f->n_photos++];
            ph->name = scrub(c, p, store, tok, d);
            if (f->n_photos > MAX_PHOTOS)
                ph->problem = keepf(p, tr(c, "report.photo.more"), MAX_PHOTOS);
            else
                probe_photo(c, p, tok, ph);
        } else {
            if (words.len)
                sva_buf_puts(&words, " ");
            sva_buf_puts(&words, tok);
        }
        free(tok);
        s += n;
    }
    if (words.failed)
        p->err = SVA_ERR_NOMEM;
    if (words.len)
        f->evidence = scrub(c, p, store, words.data, d);
    sva_buf_free(&words);
}

/* ---- one audit ------------------------------------------------------------------------------- */

static void answer_text(sva_reports *c, struct sva_page_priv *p, const sva_item *it,
                        const sva_answer *a, sva_report_finding *f)
{
    if (it->scale.kind == SVA_SCALE_YESNO)
        f->answer = tr(c, a->value ? "value.yes" : "value.no");
    else
        f->answer = keepf(p, "%d / %d", a->value, it->scale.max);
}

/* What went well, recognition first: the target met, the standards met, the
 * critical ones all met, the sections at their best, the auditor's good notes. */
static void audit_went_well(sva_reports *c, struct sva_page_priv *p, sva_audit_report *r,
                            const sva_audit_detail *ad, sva_diag *d)
{
    const sva_checklist *cl = ad->cl;
    size_t cap = 4 + MAX_NOTES;
    sva_report_point *v = arr(p, cap, sizeof *v);
    if (!v)
        return;
    size_t n = 0;
    if (r->scorable && r->status == SVA_TARGET_MET)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.target"), r->pct, r->target),
                                    "", false, 0};
    if (r->n_passed)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.standards"), r->n_passed,
                                          r->n_passed + r->n_failed),
                                    "", false, 0};
    long crit = 0;
    for (size_t i = 0; i < cl->n_items; i++)
        crit += cl->items[i].critical && !ad->answers[i].na;
    if (crit && !r->failed)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.critical"), crit), "", false,
                                    0};
    /* the sections that met the target (without one: green), as one point */
    sva_buf names = {0};
    long good = 0;
    for (size_t s = 0; s < r->n_sections; s++) {
        const sva_report_section *x = &r->sections[s];
        if (!x->scorable || !(x->status == SVA_TARGET_MET ||
                              (x->status == SVA_TARGET_NONE && x->colour == SVA_COLOUR_GREEN)))
            continue;
        if (good++)
            sva_buf_puts(&names, tr(c, "report.list_sep"));
        sva_buf_puts(&names, x->title);
    }
    if (names.failed)
        p->err = SVA_ERR_NOMEM;
    if (good)
        v[n++] = (sva_report_point){
            r->has_target ? keepf(p, tr(c, "report.well.sections"), good)
                          : keepf(p, tr(c, "report.well.sections_high"), SVA_HEAT_GREEN, good),
            keep(p, names.data), false, 0};
    sva_buf_free(&names);
    size_t notes = 0;
    for (size_t i = 0; i < cl->n_items && notes < MAX_NOTES; i++) {
        const sva_answer *a = &ad->answers[i];
        if (a->na || !ad->score.items[i].passed || !a->note || !*a->note)
            continue;
        v[n++] = (sva_report_point){keep(p, sva_i18n_get(&cl->items[i].text, c->o.lang)),
                                    scrub(c, p, ad->audit.store, a->note, d), false, 0};
        notes++;
    }
    r->went_well = v;
    r->n_went_well = n;
}

static void audit_findings(sva_reports *c, struct sva_page_priv *p, sva_audit_report *r,
                           const sva_audit_detail *ad, sva_diag *d)
{
    const sva_checklist *cl = ad->cl;
    if (!(r->findings = arr(p, (size_t)r->n_failed, sizeof *r->findings)))
        return;
    /* critical ones first, then in checklist order */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cl->n_items && !p->err; i++) {
            const sva_item *it = &cl->items[i];
            const sva_answer *a = &ad->answers[i];
            if (a->na || ad->score.items[i].passed || it->critical != (pass == 0))
                continue;
            sva_report_finding *f = &r->findings[r->n_findings++];
            f->item = keep(p, it->id);
            f->section = keep(p, sva_i18n_get(&cl->sections[it->section].title, c->o.lang));
            f->text = keep(p, sva_i18n_get(&it->text, c->o.lang));
            answer_text(c, p, it, a, f);
            f->critical = it->critical;
            f->note = scrub(c, p, ad->audit.store, a->note, d);
            evidence_of(c, p, ad->audit.store, a->evidence, f, d);
        }
}

/* The actions opened on the audit, and the cycle's actions at the store on
 * its failed items. */
static void audit_actions(sva_reports *c, struct sva_page_priv *p, sva_audit_report *r,
                          const sva_audit_detail *ad, const cycle_info *ci, sva_diag *d)
{
    const sva_audit *a = &ad->audit;
    size_t n = 0;
    bool *take = calloc(ci->n_actions ? ci->n_actions : 1, sizeof *take);
    if (!take) {
        p->err = SVA_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < ci->n_actions; i++) {
        const sva_action *x = &ci->actions[i];
        bool on_item = false;
        if (strcmp(x->store, a->store) == 0 && x->checklist && x->item &&
            strcmp(x->checklist, a->checklist) == 0)
            for (size_t k = 0; k < r->n_findings && !on_item; k++)
                on_item = strcmp(r->findings[k].item, x->item) == 0;
        take[i] = x->source_audit == a->id || on_item;
        n += take[i];
    }
    if ((r->actions = arr(p, n, sizeof *r->actions)))
        for (size_t i = 0; i < ci->n_actions; i++)
            if (take[i])
                todo_of(c, p, &ci->actions[i], ad->cl, &r->actions[r->n_actions++], d);
    /* each failed item's actions, shown under it */
    for (size_t k = 0; r->actions && k < r->n_findings; k++) {
        sva_report_finding *f = &r->findings[k];
        size_t m = 0;
        for (size_t i = 0; i < r->n_actions; i++)
            m += strcmp(r->actions[i].item, f->item) == 0;
        if (!m || !(f->actions = arr(p, m, sizeof *f->actions)))
            continue;
        for (size_t i = 0; i < r->n_actions; i++)
            if (strcmp(r->actions[i].item, f->item) == 0) {
                f->actions[f->n_actions++] = &r->actions[i];
                r->actions[i].on_finding = true;
            }
    }
    free(take);
}

sva_error sva_reports_audit(sva_reports *c, long long id, sva_audit_report **out, sva_diag *d)
{
    *out = NULL;
    sva_error cur = current(c, d);
    if (cur)
        return cur;
    sva_audit_detail *ad = NULL;
    sva_store *st = NULL;
    sva_error rc;
    sva_audit_report *r = calloc(1, sizeof *r);
    if (!r || !(r->priv = calloc(1, sizeof *r->priv))) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    struct sva_page_priv *p = r->priv;
    const cycle_info *ci;
    if ((rc = sva_db_audit_get(c->db, id, &ad, d)) ||
        (rc = sva_db_store_get(c->db, ad->audit.store, &st, d)) ||
        (rc = cycle_get(c, ad->audit.cycle, &ci, d)))
        goto fail;
    const sva_audit *a = &ad->audit;
    const sva_checklist *cl = ad->cl;
    const char *lang = c->o.lang;
    r->lang = lang;
    r->privacy = c->o.employees;
    r->id = a->id;
    r->checklist = keep(p, cl->id);
    r->title = keep(p, sva_i18n_get(&cl->title, lang));
    r->version = cl->version;
    r->cycle = keep(p, a->cycle);
    r->store = keep(p, a->store);
    r->store_name = keep(p, st->name);
    r->region = keep(p, a->region);
    r->employee = person(c, p, a->employee, NULL);
    r->auditor = scrub(c, p, a->store, a->auditor, d);
    r->date = keep(p, a->date);
    r->voided = a->voided;
    r->void_reason = scrub(c, p, a->store, a->void_reason, d);
    r->scorable = a->scorable;
    r->pct = a->pct;
    r->raw_pct = a->raw_pct;
    r->failed = a->failed;
    r->zeroed = a->failed && cl->policy == SVA_POLICY_ZERO;
    r->n_items = (long)cl->n_items;
    for (size_t i = 0; i < cl->n_items; i++) {
        if (ad->answers[i].na)
            r->n_na++;
        else if (ad->score.items[i].passed)
            r->n_passed++;
        else
            r->n_failed++;
    }
    /* the target: the store's on the index the checklist feeds, else on the checklist */
    const char *metric = index_metric(cl->index);
    const sva_status_row *row =
        metric ? sva_status_find(ci->status, SVA_SCOPE_STORE, a->store, metric) : NULL;
    if (!row || !row->has_target) {
        const sva_status_row *own = sva_status_find(ci->status, SVA_SCOPE_STORE, a->store, cl->id);
        if (own && own->has_target) {
            row = own;
            metric = cl->id;
        }
    }
    r->metric = metric ? metric_name(c, p, metric) : "";
    r->has_target = row && row->has_target;
    r->target = r->has_target ? row->target : 0;
    judge(r->scorable, r->pct, r->has_target, r->target, &r->gap, &r->status, &r->colour);
    r->n_sections = cl->n_sections;
    if (!(r->sections = arr(p, cl->n_sections, sizeof *r->sections)))
        goto fail_p;
    for (size_t s = 0; s < cl->n_sections; s++) {
        sva_report_section *x = &r->sections[s];
        const sva_section_score *ss = &ad->score.sections[s];
        x->title = keep(p, sva_i18n_get(&cl->sections[s].title, lang));
        x->scorable = ss->scorable;
        x->pct = ss->pct;
        double gap;
        judge(ss->scorable, ss->pct, r->has_target, r->target, &gap, &x->status, &x->colour);
        for (size_t i = 0; i < cl->n_items; i++)
            if (cl->items[i].section == s && !ad->answers[i].na) {
                x->answered++;
                x->passed += ad->score.items[i].passed;
            }
    }
    audit_findings(c, p, r, ad, d);
    audit_went_well(c, p, r, ad, d);
    audit_actions(c, p, r, ad, ci, d);
    r->appeal = keepf(p, tr(c, "report.appeal"), c->o.appeal_days, a->id);
fail_p:
    rc = p->err;
fail:
    sva_audit_detail_free(ad);
    sva_stores_free(st, st ? 1 : 0);
    if (rc) {
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        sva_audit_report_free(r);
        return rc;
    }
    *out = r;
    return SVA_OK;
}

void sva_audit_report_free(sva_audit_report *r)
{
    if (!r)
        return;
    priv_free(r->priv);
    free(r);
}

sva_error sva_reports_audit_ids(sva_reports *c, const char *cycle, const char *store,
                                long long **ids, size_t *n, sva_diag *d)
{
    *ids = NULL;
    *n = 0;
    sva_error cur = current(c, d);
    if (cur)
        return cur;
    sva_cycle *cy = NULL;
    sva_store *st = NULL;
    sva_error rc = sva_db_cycle_get(c->db, cycle, &cy, d);
    sva_cycles_free(cy, cy ? 1 : 0);
    if (!rc && store)
        rc = sva_db_store_get(c->db, store, &st, d);
    sva_stores_free(st, st ? 1 : 0);
    if (rc)
        return rc;
    sva_audit_filter f = {.cycle = cycle, .store = store};
    sva_audit *v = NULL;
    size_t nv = 0;
    if ((rc = sva_db_audit_list(c->db, &f, &v, &nv, d)))
        return rc;
    if (!(*ids = calloc(nv ? nv : 1, sizeof **ids))) {
        sva_audits_free(v, nv);
        sva_diag_add(d, NULL, 0, "out of memory");
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0; i < nv; i++)
        (*ids)[i] = v[i].id;
    *n = nv;
    sva_audits_free(v, nv);
    return SVA_OK;
}

/* ---- the lists the employee and store reports share ------------------------------------------ */

/* The audits @p v (already chosen) as lines, in their order. */
static sva_report_audit_line *audit_lines(sva_reports *c, struct sva_page_priv *p,
                                          const sva_audit *const *v, size_t n,
                                          const sva_employee *people, size_t n_people)
{
    sva_report_audit_line *out = arr(p, n, sizeof *out);
    for (size_t i = 0; out && i < n; i++) {
        const sva_audit *a = v[i];
        sva_report_audit_line *l = &out[i];
        const sva_checklist *cl = cl_get(c, a->cycle, a->checklist, a->version);
        const char *name = NULL;
        for (size_t k = 0; a->employee && k < n_people && !name; k++)
            if (strcmp(people[k].id, a->employee) == 0)
                name = people[k].name;
        l->id = a->id;
        l->date = keep(p, a->date);
        l->cycle = keep(p, a->cycle);
        l->title = cl ? keep(p, sva_i18n_get(&cl->title, c->o.lang)) : keep(p, a->checklist);
        l->employee = a->employee ? person(c, p, a->employee, name) : "";
        l->auditor = keep(p, a->auditor);
        l->scorable = a->scorable;
        l->pct = a->pct;
        l->failed = a->failed;
    }
    return out;
}

/* Item facts of several cycles summed per (checklist, item), the section and
 * version of the latest cycle kept; @p more is freed. */
static sva_error merge_items(sva_item_fact **all, size_t *n, sva_item_fact *more, size_t nm)
{
    sva_error rc = SVA_OK;
    for (size_t i = 0; i < nm && !rc; i++) {
        size_t k = 0;
        while (k < *n && (strcmp((*all)[k].checklist, more[i].checklist) != 0 ||
                          strcmp((*all)[k].item, more[i].item) != 0))
            k++;
        if (k == *n) {
            sva_item_fact *nv = realloc(*all, (*n + 1) * sizeof *nv);
            if (!nv) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            *all = nv;
            nv[(*n)++] = more[i];
            memset(&more[i], 0, sizeof more[i]);
            continue;
        }
        sva_item_fact *f = &(*all)[k];
        f->answered += more[i].answered;
        f->passed += more[i].passed;
        f->stores_failing = f->passed < f->answered;
        free(f->section);
        f->section = more[i].section;
        f->version = more[i].version;
        more[i].section = NULL;
    }
    sva_item_facts_free(more, nm);
    return rc;
}

/* The window: @p want cycles ending with @p last (NULL: the latest with
 * audits, as everywhere: a cycle just opened says nothing yet), oldest first. */
static sva_error window_of(sva_reports *c, const char *last, int want, sva_cycle **out,
                           size_t *n, sva_diag *d)
{
    sva_cycle *all = NULL;
    size_t na = 0;
    sva_error rc = sva_db_cycle_list(c->db, &all, &na, d);
    if (rc)
        return rc;
    size_t first, at;
    if ((last && (rc = sva_db_ref_check(c->db, SVA_REF_CYCLE, last, NULL, d))) ||
        (rc = sva_trend_window(all, na, last, want > 0 ? want : 6, &first, &at, d))) {
        sva_cycles_free(all, na);
        return rc;
    }
    for (size_t i = 0; i < na; i++)
        if (i < first || i > at) {
            free(all[i].id);
            free(all[i].from);
            free(all[i].to);
        }
    memmove(all, all + first, (at - first + 1) * sizeof *all);
    *out = all;
    *n = at - first + 1;
    return SVA_OK;
}

/* Audits by date (then id), and the other way round. */
static int line_cmp(const void *pa, const void *pb)
{
    const sva_audit *a = *(const sva_audit *const *)pa, *b = *(const sva_audit *const *)pb;
    int cmp = strcmp(a->date, b->date);
    return cmp ? cmp : a->id < b->id ? -1 : a->id > b->id;
}

static int newest_first(const void *pa, const void *pb)
{
    return line_cmp(pb, pa);
}

/* ---- one employee ---------------------------------------------------------------------------- */

typedef struct emp_work {
    sva_cycle *window;
    size_t n_window;
    sva_audit *audits;       /* every audit of the employee */
    size_t n_audits;
    sva_item_fact *items;
    size_t n_items;
    sva_item_compliance *ic;
} emp_work;

/* The index every audit in the window feeds, or NULL when they differ. */
static const char *employee_metric(sva_reports *c, const sva_audit *const *mine, size_t n)
{
    const char *m = NULL;
    for (size_t i = 0; i < n; i++) {
        const sva_checklist *cl = cl_get(c, mine[i]->cycle, mine[i]->checklist,
                                         mine[i]->version);
        const char *x = cl ? index_metric(cl->index) : NULL;
        if (!x || (m && strcmp(m, x) != 0))
            return NULL;
        m = x;
    }
    return m;
}

static void employee_went_well(sva_reports *c, struct sva_page_priv *p,
                               sva_employee_report *r, const emp_work *w)
{
    sva_report_point *v = arr(p, r->n_trend + 3, sizeof *v);
    if (!v)
        return;
    size_t n = 0;
    for (size_t i = r->n_trend; i-- > 0;)
        if (r->trend[i].best_in_store)
            v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.best"), r->trend[i].cycle),
                                        "", true, r->trend[i].pct};
    const sva_report_cycle *last = NULL, *before = NULL;
    for (size_t i = 0; i < r->n_trend; i++)
        if (r->trend[i].has_pct) {
            before = last;
            last = &r->trend[i];
        }
    if (last && last->has_store && last->pct >= last->store_pct)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.above_store"), r->metric,
                                          last->cycle, last->store_pct),
                                    "", true, last->pct};
    if (last && before && sva_round1(last->pct) > sva_round1(before->pct))
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.up"),
                                          sva_round1(last->pct) - sva_round1(before->pct),
                                          before->cycle),
                                    "", true, last->pct};
    long always = 0;
    for (size_t i = 0; i < w->n_items; i++)
        always += w->items[i].answered > 0 && w->items[i].passed == w->items[i].answered;
    if (always)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.every_time"), always), "",
                                    false, 0};
    r->went_well = v;
    r->n_went_well = n;
}

sva_error sva_reports_employee(sva_reports *c, const char *id, const char *cycle, int cycles,
                               sva_employee_report **out, sva_diag *d)
{
    *out = NULL;
    if (c->o.employees == SVA_PRIVACY_NONE) {
        sva_diag_add(d, NULL, 0,
                     "an employee report shows one employee: not with --employees none");
        return SVA_ERR_USAGE;
    }
    sva_error cur = current(c, d);
    if (cur)
        return cur;
    emp_work w = {0};
    sva_employee *e = NULL;
    sva_store *st = NULL;
    const sva_audit **mine = NULL;
    sva_error rc;
    sva_employee_report *r = calloc(1, sizeof *r);
    if (!r || !(r->priv = calloc(1, sizeof *r->priv))) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    struct sva_page_priv *p = r->priv;
    if ((rc = sva_db_employee_get(c->db, id, &e, d)) ||
        (rc = sva_db_store_get(c->db, e->store, &st, d)) ||
        (rc = window_of(c, cycle, cycles, &w.window, &w.n_window, d)))
        goto fail;
    sva_audit_filter af = {.employee = id};
    if ((rc = sva_db_audit_list(c->db, &af, &w.audits, &w.n_audits, d)))
        goto fail;
    r->lang = c->o.lang;
    r->privacy = c->o.employees;
    r->min_audits = c->o.min_audits;
    r->employee = person(c, p, e->id, e->name);
    r->role = keep(p, e->role);
    r->store = keep(p, st->id);
    r->store_name = keep(p, st->name);
    r->region = keep(p, st->region);
    /* the employee's audits in the window, newest first */
    if (!(mine = calloc(w.n_audits ? w.n_audits : 1, sizeof *mine))) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    size_t n_mine = 0;
    for (size_t i = 0; i < w.n_audits; i++)
        for (size_t k = 0; k < w.n_window; k++)
            if (strcmp(w.audits[i].cycle, w.window[k].id) == 0)
                mine[n_mine++] = &w.audits[i];
    qsort(mine, n_mine, sizeof *mine, newest_first);
    const char *metric = employee_metric(c, mine, n_mine);
    r->metric = metric ? metric_name(c, p, metric) : "";
    if (!(r->trend = arr(p, w.n_window, sizeof *r->trend)))
        goto fail_p;
    r->n_trend = w.n_window;
    for (size_t k = 0; k < w.n_window && !rc; k++) {
        sva_report_cycle *t = &r->trend[k];
        t->cycle = keep(p, w.window[k].id);
        sva_employee_fact *ef = NULL;
        sva_employee_score *es = NULL;
        size_t nef = 0;
        rc = sva_db_employee_facts(c->db, w.window[k].id, st->region, &ef, &nef, d);
        if (!rc && (rc = sva_analysis_employee_scores(ef, nef, c->o.min_audits, &es)))
            sva_diag_add(d, NULL, 0, "out of memory");
        for (size_t i = 0; !rc && i < nef; i++)
            if (strcmp(es[i].fact->employee, id) == 0) {
                t->n = es[i].fact->n;
                t->has_pct = es[i].fact->n > 0;
                t->pct = es[i].pct;
                t->rated = es[i].rated;
                t->rank = es[i].rank;
                t->best_in_store = es[i].best_in_store;
            }
        free(es);
        sva_employee_facts_free(ef, nef);
        const cycle_info *ci;
        if (!rc && metric && !(rc = cycle_get(c, w.window[k].id, &ci, d))) {
            const sva_status_row *row =
                sva_status_find(ci->status, SVA_SCOPE_STORE, st->id, metric);
            if (row) {
                t->has_store = row->has_actual;
                t->store_pct = row->actual;
                t->has_target = row->has_target;
                t->target = row->target;
            }
        }
        sva_item_fact *f = NULL;
        size_t nf = 0;
        if (!rc && !(rc = sva_db_report_item_facts(c->db, w.window[k].id, NULL, id, &f, &nf, d)) &&
            (rc = merge_items(&w.items, &w.n_items, f, nf)))
            sva_diag_add(d, NULL, 0, "out of memory");
    }
    if (rc)
        goto fail;
    /* coaching: the items failed most, weakest first */
    if (sva_analysis_item_compliance(w.items, w.n_items, &w.ic)) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    if (!(r->coaching = arr(p, MAX_COACHING, sizeof *r->coaching)))
        goto fail_p;
    const char *newest = w.window[w.n_window - 1].id;
    for (size_t i = 0; i < w.n_items && r->n_coaching < MAX_COACHING; i++) {
        const sva_item_fact *f = w.ic[i].fact;
        if (f->passed >= f->answered)
            continue;
        sva_report_coaching *x = &r->coaching[r->n_coaching++];
        const sva_checklist *cl = NULL;
        for (size_t k = n_mine; k-- > 0 && !cl;) /* a cycle where that version was used */
            if (strcmp(mine[k]->checklist, f->checklist) == 0 && mine[k]->version == f->version)
                cl = cl_get(c, mine[k]->cycle, f->checklist, f->version);
        if (!cl)
            cl = cl_get(c, newest, f->checklist, f->version);
        long it = cl ? sva_checklist_item_index(cl, f->item) : -1;
        x->text = it >= 0 ? keep(p, sva_i18n_get(&cl->items[it].text, c->o.lang))
                          : keep(p, f->item);
        x->section = it >= 0 ? keep(p, sva_i18n_get(&cl->sections[cl->items[it].section].title,
                                                   c->o.lang))
                             : keep(p, f->section);
        x->failed = f->answered - f->passed;
        x->answered = f->answered;
        x->pct = w.ic[i].pct;
    }
    employee_went_well(c, p, r, &w);
    sva_employee people = {(char *)e->id, (char *)e->name, (char *)e->store, (char *)e->role};
    r->audits = audit_lines(c, p, mine, n_mine, &people, 1);
    r->n_audits = r->audits ? n_mine : 0;
fail_p:
    if (!rc)
        rc = r->priv->err;
fail:
    free(mine);
    free(w.ic);
    sva_item_facts_free(w.items, w.n_items);
    sva_audits_free(w.audits, w.n_audits);
    sva_cycles_free(w.window, w.n_window);
    sva_employees_free(e, e ? 1 : 0);
    sva_stores_free(st, st ? 1 : 0);
    if (rc) {
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        sva_employee_report_free(r);
        return rc;
    }
    *out = r;
    return SVA_OK;
}

void sva_employee_report_free(sva_employee_report *r)
{
    if (!r)
        return;
    priv_free(r->priv);
    free(r);
}

/* ---- one store ------------------------------------------------------------------------------- */

static int todo_cmp(const void *pa, const void *pb)
{
    const sva_report_todo *a = pa, *b = pb;
    if (a->overdue != b->overdue)
        return a->overdue ? -1 : 1;
    if (!*a->due != !*b->due)
        return *a->due ? -1 : 1;
    int cmp = strcmp(a->due, b->due);
    if (cmp)
        return cmp;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void store_went_well(sva_reports *c, struct sva_page_priv *p, sva_store_report *r,
                            const sva_item_fact *items, size_t n_items, const char *best,
                            double best_pct)
{
    sva_report_point *v = arr(p, 2 * r->n_figures + 2, sizeof *v);
    if (!v)
        return;
    size_t n = 0;
    for (size_t i = 0; i < r->n_figures; i++) {
        const sva_report_figure *f = &r->figures[i];
        if (f->row->status == SVA_TARGET_MET)
            v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.metric_met"), f->name,
                                              f->row->target),
                                        "", true, f->row->actual};
    }
    for (size_t i = 0; i < r->n_figures; i++) {
        const sva_report_figure *f = &r->figures[i];
        if (f->has_change && sva_round1(f->change) > 0)
            v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.metric_up"), f->name,
                                              sva_round1(f->change), r->previous),
                                        "", true, f->row->actual};
    }
    long always = 0;
    for (size_t i = 0; i < n_items; i++)
        always += items[i].answered > 0 && items[i].passed == items[i].answered;
    if (always)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.store_every_time"), always),
                                    "", false, 0};
    if (best)
        v[n++] = (sva_report_point){keepf(p, tr(c, "report.well.store_best"), best), "", true,
                                    best_pct};
    r->went_well = v;
    r->n_went_well = n;
}

sva_error sva_reports_store(sva_reports *c, const char *id, const char *cycle,
                            sva_store_report **out, sva_diag *d)
{
    *out = NULL;
    sva_error cur = current(c, d);
    if (cur)
        return cur;
    sva_store *st = NULL;
    sva_cycle *window = NULL;
    size_t n_window = 0;
    sva_item_fact *items = NULL;
    size_t n_items = 0;
    sva_item_compliance *ic = NULL;
    sva_repeat *reps = NULL;
    size_t n_reps = 0;
    sva_audit *audits = NULL;
    size_t n_audits = 0;
    const sva_audit **sorted = NULL;
    sva_employee *people = NULL;
    size_t n_people = 0;
    sva_employee_fact *ef = NULL;
    size_t nef = 0;
    sva_employee_score *es = NULL;
    sva_error rc;
    sva_store_report *r = calloc(1, sizeof *r);
    if (!r || !(r->priv = calloc(1, sizeof *r->priv))) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    struct sva_page_priv *p = r->priv;
    if ((rc = sva_db_store_get(c->db, id, &st, d)) ||
        (rc = window_of(c, cycle, 2, &window, &n_window, d)) ||
        (rc = sva_analysis_cycle_status(c->db, cycle, c->today, &p->status, d)))
        goto fail;
    const cycle_info *ci, *prev = NULL;
    if ((rc = cycle_get(c, cycle, &ci, d)) ||
        (n_window > 1 && (rc = cycle_get(c, window[0].id, &prev, d))))
        goto fail;
    r->lang = c->o.lang;
    r->privacy = c->o.employees;
    r->store = keep(p, st->id);
    r->store_name = keep(p, st->name);
    r->region = keep(p, st->region);
    r->cycle = keep(p, p->status->cycle);
    r->from = keep(p, p->status->from);
    r->to = keep(p, p->status->to);
    r->state = p->status->state;
    r->previous = prev ? keep(p, prev->id) : "";
    /* the store's figures, in status order */
    const sva_cycle_status *cs = p->status;
    if (!(r->figures = arr(p, cs->n_rows, sizeof *r->figures)))
        goto fail_p;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->id, id) != 0)
            continue;
        sva_report_figure *f = &r->figures[r->n_figures++];
        f->row = s;
        f->name = metric_name(c, p, s->metric);
        const sva_status_row *b =
            prev ? sva_status_find(prev->status, SVA_SCOPE_STORE, id, s->metric) : NULL;
        if (b && b->has_actual && s->has_actual) {
            f->has_change = true;
            f->change = s->actual - b->actual;
        }
    }
    /* the weakest items, with the repeats escalated */
    if ((rc = sva_db_report_item_facts(c->db, cycle, id, NULL, &items, &n_items, d)) ||
        (rc = sva_trend_repeats(c->db, cycle, &reps, &n_reps, d)))
        goto fail;
    if (sva_analysis_item_compliance(items, n_items, &ic)) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    if (!(r->weakest = arr(p, MAX_WEAKEST, sizeof *r->weakest)))
        goto fail_p;
    for (size_t i = 0; i < n_items && r->n_weakest < MAX_WEAKEST; i++) {
        const sva_item_fact *f = ic[i].fact;
        if (f->passed >= f->answered)
            continue;
        sva_report_weak *x = &r->weakest[r->n_weakest++];
        const sva_checklist *cl = cl_get(c, cycle, f->checklist, f->version);
        long it = cl ? sva_checklist_item_index(cl, f->item) : -1;
        x->text = it >= 0 ? keep(p, sva_i18n_get(&cl->items[it].text, c->o.lang))
                          : keep(p, f->item);
        x->section = it >= 0 ? keep(p, sva_i18n_get(&cl->sections[cl->items[it].section].title,
                                                   c->o.lang))
                             : keep(p, f->section);
        x->title = cl ? keep(p, sva_i18n_get(&cl->title, c->o.lang)) : keep(p, f->checklist);
        x->failed = f->answered - f->passed;
        x->answered = f->answered;
        x->pct = ic[i].pct;
        x->colour = ic[i].colour;
        for (size_t k = 0; k < n_reps; k++)
            x->repeat |= strcmp(reps[k].store, id) == 0 &&
                         strcmp(reps[k].checklist, f->checklist) == 0 &&
                         strcmp(reps[k].item, f->item) == 0;
    }
    /* the open actions, overdue first */
    size_t n_open = 0;
    for (size_t i = 0; i < ci->n_actions; i++) {
        const sva_action *a = &ci->actions[i];
        n_open += strcmp(a->store, id) == 0 && !a->carried_to &&
                  (a->status == SVA_ACTION_OPEN || a->status == SVA_ACTION_IN_PROGRESS ||
                   a->status == SVA_ACTION_REOPENED);
    }
    if (!(r->actions = arr(p, n_open, sizeof *r->actions)))
        goto fail_p;
    for (size_t i = 0; i < ci->n_actions; i++) {
        const sva_action *a = &ci->actions[i];
        if (strcmp(a->store, id) != 0 || a->carried_to ||
            !(a->status == SVA_ACTION_OPEN || a->status == SVA_ACTION_IN_PROGRESS ||
              a->status == SVA_ACTION_REOPENED))
            continue;
        const sva_checklist *cl = a->checklist ? sva_catalog_find(c->o.cat, a->checklist) : NULL;
        todo_of(c, p, a, cl, &r->actions[r->n_actions++], d);
    }
    if (r->n_actions > 1)
        qsort(r->actions, r->n_actions, sizeof *r->actions, todo_cmp);
    /* the cycle's audits there, by date; who was best in the store */
    sva_audit_filter af = {.cycle = cycle, .store = id};
    if ((rc = sva_db_audit_list(c->db, &af, &audits, &n_audits, d)) ||
        (rc = sva_db_store_people(c->db, id, &people, &n_people, d)))
        goto fail;
    if (!(sorted = calloc(n_audits ? n_audits : 1, sizeof *sorted))) {
        rc = SVA_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0; i < n_audits; i++)
        sorted[i] = &audits[i];
    qsort(sorted, n_audits, sizeof *sorted, line_cmp);
    r->audits = audit_lines(c, p, sorted, n_audits, people, n_people);
    r->n_audits = r->audits ? n_audits : 0;
    const char *best = NULL;
    double best_pct = 0;
    if (c->o.employees != SVA_PRIVACY_NONE) {
        if ((rc = sva_db_employee_facts(c->db, cycle, st->region, &ef, &nef, d)))
            goto fail;
        if (sva_analysis_employee_scores(ef, nef, c->o.min_audits, &es)) {
            rc = SVA_ERR_NOMEM;
            goto fail;
        }
        for (size_t i = 0; i < nef && !best; i++)
            if (es[i].best_in_store && strcmp(es[i].fact->store, id) == 0) {
                best = person(c, p, es[i].fact->employee, es[i].fact->name);
                best_pct = es[i].pct;
            }
    }
    store_went_well(c, p, r, items, n_items, best, best_pct);
fail_p:
    if (!rc)
        rc = r->priv->err;
fail:
    free(es);
    sva_employee_facts_free(ef, nef);
    sva_employees_free(people, n_people);
    free(sorted);
    sva_audits_free(audits, n_audits);
    sva_repeats_free(reps, n_reps);
    free(ic);
    sva_item_facts_free(items, n_items);
    sva_cycles_free(window, n_window);
    sva_stores_free(st, st ? 1 : 0);
    if (rc) {
        if (rc == SVA_ERR_NOMEM)
            sva_diag_add(d, NULL, 0, "out of memory");
        sva_store_report_free(r);
        return rc;
    }
    *out = r;
    return SVA_OK;
}

void sva_store_report_free(sva_store_report *r)
{
    if (!r)
        return;
    priv_free(r->priv);
    free(r);
}

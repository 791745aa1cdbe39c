/* svcaudit: checklist and 5W1H form loading and validation (see checklist.h).
 * Every rule of SPEC.md's checklist format is enforced here, each failure
 * reported as "file:line: message", all of them, not only the first. */
#include "svcaudit/checklist.h"
#include "ini.h"
#include "util.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- names ---------------------------------------------------------------- */

const char *sva_subject_name(sva_subject s)
{
    return s == SVA_SUBJECT_EMPLOYEE ? "employee" : "store";
}

const char *sva_index_name(sva_index i)
{
    switch (i) {
    case SVA_INDEX_SSI: return "ssi";
    case SVA_INDEX_CSI: return "csi";
    case SVA_INDEX_6S: return "6s";
    case SVA_INDEX_NONE: break;
    }
    return "none";
}

const char *sva_policy_name(sva_policy p)
{
    return p == SVA_POLICY_ZERO ? "zero" : "flag";
}

const char *sva_evidence_name(sva_evidence e)
{
    switch (e) {
    case SVA_EVIDENCE_ON_FAIL: return "on_fail";
    case SVA_EVIDENCE_ALWAYS: return "always";
    case SVA_EVIDENCE_NONE: break;
    }
    return "none";
}

const char *sva_field_type_name(sva_field_type t)
{
    static const char *names[] = {"text", "person", "date", "enum", "number"};
    return names[t];
}

bool sva_scale_parse(const char *s, sva_scale *out)
{
    if (strcmp(s, "yesno") == 0) {
        *out = (sva_scale){SVA_SCALE_YESNO, 1};
        return true;
    }
    if (strcmp(s, "0-4") == 0 || strcmp(s, "0-5") == 0 || strcmp(s, "0-10") == 0) {
        *out = (sva_scale){SVA_SCALE_RANGE, atoi(s + 2)};
        return true;
    }
    long n;
    if (strncmp(s, "points:", 7) == 0 && sva_parse_int(s + 7, &n) && n >= 1 && n <= 1000 &&
        s[7] != '+') {
        *out = (sva_scale){SVA_SCALE_POINTS, (int)n};
        return true;
    }
    return false;
}

void sva_scale_name(sva_scale sc, char *buf, size_t size)
{
    if (sc.kind == SVA_SCALE_YESNO)
        snprintf(buf, size, "yesno");
    else if (sc.kind == SVA_SCALE_RANGE)
        snprintf(buf, size, "0-%d", sc.max);
    else
        snprintf(buf, size, "points:%d", sc.max);
}

const char *sva_i18n_get(const sva_i18n *t, const char *lang)
{
    const char *def = "";
    for (size_t i = 0; i < t->n; i++) {
        if (lang && *lang && strcmp(t->v[i].lang, lang) == 0)
            return t->v[i].text;
        if (!*t->v[i].lang)
            def = t->v[i].text;
    }
    return def;
}

/* ---- freeing ------------------------------------------------------------ */

/* Items and sections by id (the maps borrow the ids from the items and sections). */
struct sva_checklist_ids {
    sva_map items, sections;
};

static void i18n_free(sva_i18n *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].lang);
        free(t->v[i].text);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

void sva_checklist_free(sva_checklist *cl)
{
    if (!cl)
        return;
    for (size_t i = 0; i < cl->n_sections; i++) {
        free(cl->sections[i].id);
        i18n_free(&cl->sections[i].title);
    }
    for (size_t i = 0; i < cl->n_items; i++) {
        free(cl->items[i].id);
        i18n_free(&cl->items[i].text);
        i18n_free(&cl->items[i].guide);
    }
    free(cl->sections);
    free(cl->items);
    if (cl->ids) {
        sva_map_free(&cl->ids->items);
        sva_map_free(&cl->ids->sections);
        free(cl->ids);
    }
    i18n_free(&cl->title);
    i18n_free(&cl->description);
    free(cl->path);
    free(cl->id);
    free(cl->source);
    free(cl);
}

void sva_form_free(sva_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_fields; i++) {
        sva_field *fl = &f->fields[i];
        free(fl->key);
        i18n_free(&fl->label);
        i18n_free(&fl->help);
        for (size_t j = 0; j < fl->n_values; j++)
            free(fl->values[j]);
        free(fl->values);
    }
    free(f->fields);
    i18n_free(&f->title);
    free(f->path);
    free(f->id);
    free(f);
}

long sva_checklist_item_index(const sva_checklist *cl, const char *id)
{
    size_t i;
    if (cl->ids)
        return sva_map_get(&cl->ids->items, id, &i) ? (long)i : -1;
    for (i = 0; i < cl->n_items; i++)
        if (strcmp(cl->items[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* The key of item @p it: its id after "SECTION.". */
static const char *item_key(const sva_checklist *cl, const sva_item *it)
{
    size_t n = strlen(cl->sections[it->section].id);
    return strncmp(it->id, cl->sections[it->section].id, n) == 0 && it->id[n] == '.'
               ? it->id + n + 1
               : it->id;
}

void sva_checklist_near_items(const sva_checklist *cl, const char *typed, char *out,
                              size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (!cl->n_items)
        return;
    char sug[512] = "";
    const char **names = malloc(cl->n_items * sizeof *names);
    if (names) {
        for (size_t i = 0; i < cl->n_items; i++)
            names[i] = cl->items[i].id;
        sva_suggest(typed, names, cl->n_items, sug, sizeof sug);
        free(names);
    }
    if (!*sug) { /* not a slip of the keys: the same word inside another key */
        const char *dot = strrchr(typed, '.');
        const char *key = dot ? dot + 1 : typed;
        size_t sec_len = dot ? (size_t)(dot - typed) : 0;
        size_t used = 0, shown = 0;
        for (int pass = 0; pass < 2 && shown == 0; pass++) /* the typed section first */
            for (size_t i = 0; i < cl->n_items && shown < 3 && strlen(key) >= 3; i++) {
                const sva_item *it = &cl->items[i];
                const char *sec = cl->sections[it->section].id;
                bool same = dot && strlen(sec) == sec_len && strncmp(sec, typed, sec_len) == 0;
                if (pass == 0 ? !same : same)
                    continue;
                const char *k = item_key(cl, it);
                if (!strstr(k, key) && !(strlen(k) >= 3 && strstr(key, k)))
                    continue;
                int w = snprintf(sug + used, sizeof sug - used, "%s'%s'", shown ? " or " : "",
                                 it->id);
                if (w < 0 || (size_t)w >= sizeof sug - used)
                    break;
                used += (size_t)w;
                shown++;
            }
    }
    if (*sug)
        snprintf(out, size, " (did you mean %s?)", sug);
}

long sva_checklist_section_index(const sva_checklist *cl, const char *id)
{
    size_t i;
    if (cl->ids)
        return sva_map_get(&cl->ids->sections, id, &i) ? (long)i : -1;
    for (i = 0; i < cl->n_sections; i++)
        if (strcmp(cl->sections[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* ---- validation helpers --------------------------------------------------- */

/* A loading context: the file name, the diag and an error count. */
typedef struct ctx {
    const char *name;
    sva_diag *d;
    size_t errors;
    bool oom;
} ctx;

#define BAD(c, line, ...)                                                                     \
    do {                                                                                      \
        sva_diag_add((c)->d, (c)->name, (line), __VA_ARGS__);                                 \
        (c)->errors++;                                                                        \
    } while (0)

/* Is key one of the allowed names, or "<base>_<lang>" of a translatable one? */
static bool key_allowed(const char *key, const char *const *plain, const char *const *trans)
{
    for (const char *const *p = plain; *p; p++)
        if (strcmp(key, *p) == 0)
            return true;
    for (const char *const *p = trans; *p; p++) {
        size_t n = strlen(*p);
        if (strcmp(key, *p) == 0)
            return true;
        if (strncmp(key, *p, n) == 0 && key[n] == '_' && sva_valid_id(key + n + 1, false))
            return true;
    }
    return false;
}

static void check_keys(ctx *c, const sva_ini_section *s, const char *const *plain,
                       const char *const *trans)
{
    for (size_t i = 0; i < s->n; i++)
        if (!key_allowed(s->entries[i].key, plain, trans))
            BAD(c, s->entries[i].line, "unknown key '%s' in [%s]", s->entries[i].key, s->name);
}

static const sva_ini_entry *require(ctx *c, const sva_ini_section *s, const char *key)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, key);
    if (!e)
        BAD(c, s->line, "[%s]: missing required key '%s'", s->name, key);
    else if (!*e->value) {
        BAD(c, e->line, "'%s' must not be empty", key);
        return NULL;
    }
    return e;
}

/* Collect "base" and "base_<lang>" into t. */
static void read_i18n(ctx *c, const sva_ini_section *s, const char *base, sva_i18n *t)
{
    size_t bl = strlen(base);
    for (size_t i = 0; i < s->n; i++) {
        const char *k = s->entries[i].key;
        const char *lang;
        if (strcmp(k, base) == 0)
            lang = "";
        else if (strncmp(k, base, bl) == 0 && k[bl] == '_')
            lang = k + bl + 1;
        else
            continue;
        sva_text *v = realloc(t->v, (t->n + 1) * sizeof *v);
        if (!v) {
            c->oom = true;
            return;
        }
        t->v = v;
        t->v[t->n].lang = sva_strdup(lang);
        t->v[t->n].text = sva_strdup(s->entries[i].value);
        if (!t->v[t->n].lang || !t->v[t->n].text) {
            free(t->v[t->n].lang);
            free(t->v[t->n].text);
            c->oom = true;
            return;
        }
        t->n++;
    }
}

static bool read_bool(ctx *c, const sva_ini_section *s, const char *key, bool def)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, key);
    if (!e)
        return def;
    if (strcmp(e->value, "yes") == 0)
        return true;
    if (strcmp(e->value, "no") == 0)
        return false;
    BAD(c, e->line, "'%s' must be yes or no, not '%s'", key, e->value);
    return def;
}

/* Pick one of names[] (NULL-terminated) for key; returns index or def. */
static int read_enum(ctx *c, const sva_ini_section *s, const char *key,
                     const char *const *names, int def)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, key);
    if (!e)
        return def;
    for (int i = 0; names[i]; i++)
        if (strcmp(e->value, names[i]) == 0)
            return i;
    char allowed[200] = "";
    for (int i = 0; names[i]; i++) {
        strncat(allowed, i ? " | " : "", sizeof allowed - strlen(allowed) - 1);
        strncat(allowed, names[i], sizeof allowed - strlen(allowed) - 1);
    }
    BAD(c, e->line, "bad %s '%s' (want %s)", key, e->value, allowed);
    return def;
}

static bool read_weight(ctx *c, const sva_ini_section *s, double *out)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, "weight");
    if (!e)
        return false;
    double w;
    if (!sva_parse_double(e->value, &w) || !(w > 0) || w > 1000000) {
        BAD(c, e->line, "bad weight '%s' (want a number above 0)", e->value);
        return false;
    }
    *out = w;
    return true;
}

static long read_version(ctx *c, const sva_ini_section *s)
{
    const sva_ini_entry *e = require(c, s, "version");
    long v = 0;
    if (e && (!sva_parse_int(e->value, &v) || v < 1 || v > 1000000 || e->value[0] == '+')) {
        BAD(c, e->line, "bad version '%s' (want a whole number from 1)", e->value);
        v = 0;
    }
    return v;
}

static char *read_id(ctx *c, const sva_ini_section *s)
{
    const sva_ini_entry *e = require(c, s, "id");
    if (!e)
        return NULL;
    if (!sva_valid_id(e->value, true) || strlen(e->value) > 64) {
        BAD(c, e->line, "bad id '%s' (want lower-case a-z 0-9 _ . -, at most 64)", e->value);
        return NULL;
    }
    char *p = sva_strdup(e->value);
    if (!p)
        c->oom = true;
    return p;
}

/* ---- checklists -------------------------------------------------------------- */

static const char *const CL_PLAIN[] = {"id", "version", "subject", "index", "scale",
                                       "critical_policy", NULL};
static const char *const CL_TRANS[] = {"title", "description", NULL};
static const char *const SEC_PLAIN[] = {"weight", NULL};
static const char *const SEC_TRANS[] = {"title", NULL};
static const char *const ITEM_PLAIN[] = {"section", "weight", "scale", "na", "critical",
                                         "evidence", NULL};
static const char *const ITEM_TRANS[] = {"text", "guide", NULL};

static const char *const SUBJECTS[] = {"store", "employee", NULL};
static const char *const INDEXES[] = {"none", "ssi", "csi", "6s", NULL};
static const char *const POLICIES[] = {"flag", "zero", NULL};
static const char *const EVIDENCES[] = {"none", "on_fail", "always", NULL};

static sva_scale read_scale(ctx *c, const sva_ini_section *s, sva_scale def)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, "scale");
    if (!e)
        return def;
    sva_scale sc;
    if (!sva_scale_parse(e->value, &sc)) {
        BAD(c, e->line, "bad scale '%s' (want yesno | 0-4 | 0-5 | 0-10 | points:N)", e->value);
        return def;
    }
    return sc;
}

/* O(sections + keys) of the file: a section's keys are read a fixed number of
 * times, sections and items are found by id through maps, grouped by a
 * counting sort. */
static void load_checklist_model(ctx *c, const sva_ini *ini, sva_checklist *cl)
{
    const sva_ini_section *head = sva_ini_section_get(ini, "checklist");
    if (!head) {
        BAD(c, 0, "missing [checklist] section");
    } else {
        check_keys(c, head, CL_PLAIN, CL_TRANS);
        cl->id = read_id(c, head);
        cl->version = read_version(c, head);
        require(c, head, "title");
        read_i18n(c, head, "title", &cl->title);
        read_i18n(c, head, "description", &cl->description);
        if (require(c, head, "subject"))
            cl->subject = (sva_subject)read_enum(c, head, "subject", SUBJECTS, 0);
        if (require(c, head, "index"))
            cl->index = (sva_index)read_enum(c, head, "index", INDEXES, 0);
        cl->scale = read_scale(c, head, (sva_scale){SVA_SCALE_YESNO, 1});
        cl->policy = (sva_policy)read_enum(c, head, "critical_policy", POLICIES, 0);
    }

    size_t nsec = 0, nitem = 0;
    for (size_t i = 0; i < ini->n; i++) {
        const char *nm = ini->secs[i].name;
        if (strncmp(nm, "section.", 8) == 0)
            nsec++;
        else if (strncmp(nm, "item.", 5) == 0)
            nitem++;
        else if (strcmp(nm, "checklist") != 0)
            BAD(c, ini->secs[i].line,
                "unknown section [%s] (want [checklist], [section.ID] or [item.ID])", nm);
    }
    cl->sections = calloc(nsec ? nsec : 1, sizeof *cl->sections);
    cl->items = calloc(nitem ? nitem : 1, sizeof *cl->items);
    if (!cl->sections || !cl->items) {
        c->oom = true;
        return;
    }

    size_t weighted = 0;
    for (size_t i = 0; i < ini->n && !c->oom; i++) {
        const sva_ini_section *s = &ini->secs[i];
        if (strncmp(s->name, "section.", 8) != 0)
            continue;
        const char *id = s->name + 8;
        if (!sva_valid_id(id, false)) {
            BAD(c, s->line, "bad section id '%s' (want a-z 0-9 _ -, no dots)", id);
            continue;
        }
        check_keys(c, s, SEC_PLAIN, SEC_TRANS);
        sva_section *sec = &cl->sections[cl->n_sections++];
        sec->id = sva_strdup(id);
        sec->line = s->line;
        if (!sec->id || !sva_map_put(&cl->ids->sections, sec->id, cl->n_sections - 1))
            c->oom = true;
        require(c, s, "title");
        read_i18n(c, s, "title", &sec->title);
        sec->has_weight = read_weight(c, s, &sec->weight);
        if (sva_ini_entry_get(s, "weight"))
            weighted++; /* count the attempt even if the value was bad */
    }
    if (weighted && weighted != cl->n_sections) {
        for (size_t i = 0; i < ini->n; i++) {
            const sva_ini_section *s = &ini->secs[i];
            if (strncmp(s->name, "section.", 8) == 0 && !sva_ini_entry_get(s, "weight")) {
                BAD(c, s->line,
                    "section '%s' has no weight: give every section a weight or none (%zu of "
                    "%zu have one)",
                    s->name + 8, weighted, cl->n_sections);
                break;
            }
        }
    }

    /* Items, then grouped by section in section order (stable). */
    size_t *order = calloc(nitem ? nitem : 1, sizeof *order);
    if (!order) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < ini->n && !c->oom; i++) {
        const sva_ini_section *s = &ini->secs[i];
        if (strncmp(s->name, "item.", 5) != 0)
            continue;
        const char *id = s->name + 5;
        if (!sva_valid_id(id, true) || strlen(id) > 96) {
            BAD(c, s->line, "bad item id '%s' (want a-z 0-9 _ . -)", id);
            continue;
        }
        check_keys(c, s, ITEM_PLAIN, ITEM_TRANS);
        sva_item *it = &cl->items[cl->n_items];
        memset(it, 0, sizeof *it);
        it->line = s->line;
        it->id = sva_strdup(id);
        if (!it->id) {
            c->oom = true;
            break;
        }
        const sva_ini_entry *se = require(c, s, "section");
        long si = se ? sva_checklist_section_index(cl, se->value) : -1;
        if (se && si < 0)
            BAD(c, se->line, "item '%s' is in unknown section '%s'", id, se->value);
        it->section = si < 0 ? 0 : (size_t)si;
        require(c, s, "text");
        read_i18n(c, s, "text", &it->text);
        read_i18n(c, s, "guide", &it->guide);
        it->weight = 1;
        read_weight(c, s, &it->weight);
        it->scale = read_scale(c, s, cl->scale);
        it->na = read_bool(c, s, "na", false);
        it->critical = read_bool(c, s, "critical", false);
        it->evidence = (sva_evidence)read_enum(c, s, "evidence", EVIDENCES, 0);
        order[cl->n_items] = si < 0 ? (size_t)-1 : (size_t)si;
        cl->n_items++;
    }
    if (!c->oom && cl->n_items == 0)
        BAD(c, 0, "checklist has no items");
    /* Stable grouping by section, in O(items + sections): count the items of
     * each section (slot n_sections: those in an unknown section, kept last),
     * then place each item after the sections before its own. */
    size_t ns = cl->n_sections;
    size_t *start = c->oom ? NULL : calloc(ns + 2, sizeof *start);
    sva_item *sorted = start ? malloc((cl->n_items ? cl->n_items : 1) * sizeof *sorted) : NULL;
    if (!sorted) {
        c->oom = true;
        free(start);
        free(order);
        return;
    }
    for (size_t i = 0; i < cl->n_items; i++)
        start[(order[i] < ns ? order[i] : ns) + 1]++;
    for (size_t s = 0; s < ns; s++)
        if (!start[s + 1])
            BAD(c, cl->sections[s].line, "section '%s' has no items", cl->sections[s].id);
    for (size_t s = 1; s <= ns + 1; s++)
        start[s] += start[s - 1];
    for (size_t i = 0; i < cl->n_items; i++)
        sorted[start[order[i] < ns ? order[i] : ns]++] = cl->items[i];
    memcpy(cl->items, sorted, cl->n_items * sizeof *sorted);
    free(sorted);
    free(start);
    free(order);
    for (size_t i = 0; i < cl->n_items && !c->oom; i++)
        if (!sva_map_put(&cl->ids->items, cl->items[i].id, i))
            c->oom = true;
}

sva_error sva_checklist_parse(const char *name, const char *data, size_t len,
                              sva_checklist **out, sva_diag *d)
{
    *out = NULL;
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse(name, data, len, &ini, d);
    if (!ini)
        return rc;
    ctx c = {name, d, rc ? 1 : 0, false};
    sva_checklist *cl = calloc(1, sizeof *cl);
    if (!cl || !(cl->ids = calloc(1, sizeof *cl->ids))) {
        free(cl);
        sva_ini_free(ini);
        return SVA_ERR_NOMEM;
    }
    if (sva_ini_section_get(ini, "form") && !sva_ini_section_get(ini, "checklist")) {
        BAD(&c, sva_ini_section_get(ini, "form")->line,
            "this is a form ([form]), not a checklist");
    } else {
        load_checklist_model(&c, ini, cl);
    }
    sva_ini_free(ini);
    if (!c.oom && !c.errors) {
        cl->path = sva_strdup(name);
        cl->source = sva_strndup(data, len);
        cl->source_len = len;
        if (!cl->path || !cl->source)
            c.oom = true;
        sva_sha256_hex(data, len, cl->hash);
    }
    if (c.oom || c.errors) {
        sva_checklist_free(cl);
        return c.oom ? SVA_ERR_NOMEM : (rc ? rc : SVA_ERR_INVALID);
    }
    *out = cl;
    return SVA_OK;
}

sva_error sva_checklist_load(const char *path, sva_checklist **out, sva_diag *d)
{
    *out = NULL;
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return rc;
    rc = sva_checklist_parse(path, data, len, out, d);
    free(data);
    return rc;
}

/* ---- forms -------------------------------------------------------------------- */

static const char *const FORM_PLAIN[] = {"id", "version", NULL};
static const char *const FORM_TRANS[] = {"title", NULL};
static const char *const FIELD_PLAIN[] = {"type", "required", "values", NULL};
static const char *const FIELD_TRANS[] = {"label", "help", NULL};
static const char *const FIELD_TYPES[] = {"text", "person", "date", "enum", "number", NULL};

static void read_enum_values(ctx *c, const sva_ini_section *s, sva_field *f)
{
    const sva_ini_entry *e = sva_ini_entry_get(s, "values");
    if (f->type != SVA_FIELD_ENUM) {
        if (e)
            BAD(c, e->line, "'values' is only for type = enum");
        return;
    }
    if (!e || !*e->value) {
        BAD(c, s->line, "[%s]: type enum needs 'values = a|b|c'", s->name);
        return;
    }
    const char *p = e->value;
    while (!c->oom) {
        size_t n = strcspn(p, "|");
        char *v = sva_strndup(p, n);
        char **vs = v ? realloc(f->values, (f->n_values + 1) * sizeof *vs) : NULL;
        if (!vs) {
            free(v);
            c->oom = true;
            return;
        }
        f->values = vs;
        f->values[f->n_values++] = v;
        if (!sva_valid_id(v, false))
            BAD(c, e->line, "bad enum value '%s' (want a-z 0-9 _ -)", v);
        if (!p[n])
            break;
        p += n + 1;
    }
}

static void load_form_model(ctx *c, const sva_ini *ini, sva_form *f)
{
    const sva_ini_section *head = sva_ini_section_get(ini, "form");
    if (!head) {
        BAD(c, 0, "missing [form] section");
    } else {
        check_keys(c, head, FORM_PLAIN, FORM_TRANS);
        f->id = read_id(c, head);
        f->version = read_version(c, head);
        require(c, head, "title");
        read_i18n(c, head, "title", &f->title);
    }
    size_t n = 0;
    for (size_t i = 0; i < ini->n; i++) {
        const char *nm = ini->secs[i].name;
        if (strncmp(nm, "field.", 6) == 0)
            n++;
        else if (strcmp(nm, "form") != 0)
            BAD(c, ini->secs[i].line, "unknown section [%s] (want [form] or [field.KEY])", nm);
    }
    f->fields = calloc(n ? n : 1, sizeof *f->fields);
    if (!f->fields) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < ini->n && !c->oom; i++) {
        const sva_ini_section *s = &ini->secs[i];
        if (strncmp(s->name, "field.", 6) != 0)
            continue;
        const char *key = s->name + 6;
        if (!sva_valid_id(key, false)) {
            BAD(c, s->line, "bad field key '%s' (want a-z 0-9 _ -)", key);
            continue;
        }
        check_keys(c, s, FIELD_PLAIN, FIELD_TRANS);
        sva_field *fl = &f->fields[f->n_fields++];
        fl->line = s->line;
        if (!(fl->key = sva_strdup(key)))
            c->oom = true;
        require(c, s, "label");
        read_i18n(c, s, "label", &fl->label);
        read_i18n(c, s, "help", &fl->help);
        if (require(c, s, "type"))
            fl->type = (sva_field_type)read_enum(c, s, "type", FIELD_TYPES, 0);
        fl->required = read_bool(c, s, "required", false);
        read_enum_values(c, s, fl);
    }
    if (!c->oom && f->n_fields == 0)
        BAD(c, 0, "form has no fields");
}

sva_error sva_form_parse(const char *name, const char *data, size_t len, sva_form **out,
                         sva_diag *d)
{
    *out = NULL;
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse(name, data, len, &ini, d);
    if (!ini)
        return rc;
    ctx c = {name, d, rc ? 1 : 0, false};
    sva_form *f = calloc(1, sizeof *f);
    if (!f) {
        sva_ini_free(ini);
        return SVA_ERR_NOMEM;
    }
    load_form_model(&c, ini, f);
    sva_ini_free(ini);
    if (!c.oom && !c.errors) {
        if (!(f->path = sva_strdup(name)))
            c.oom = true;
        sva_sha256_hex(data, len, f->hash);
    }
    if (c.oom || c.errors) {
        sva_form_free(f);
        return c.oom ? SVA_ERR_NOMEM : (rc ? rc : SVA_ERR_INVALID);
    }
    *out = f;
    return SVA_OK;
}

sva_error sva_form_load(const char *path, sva_form **out, sva_diag *d)
{
    *out = NULL;
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return rc;
    rc = sva_form_parse(path, data, len, out, d);
    free(data);
    return rc;
}

bool sva_field_check(const sva_field *f, const char *value, sva_diag *d)
{
    if (!value || !*value) {
        if (f->required) {
            sva_diag_add(d, NULL, 0, "field '%s' is required", f->key);
            return false;
        }
        return true;
    }
    size_t len = strlen(value);
    if (sva_utf8_valid_prefix((const unsigned char *)value, len) != len) {
        sva_diag_add(d, NULL, 0, "field '%s': invalid UTF-8", f->key);
        return false;
    }
    double x;
    switch (f->type) {
    case SVA_FIELD_DATE:
        if (!sva_parse_date(value)) {
            sva_diag_add(d, NULL, 0, "field '%s': '%s' is not a date (want YYYY-MM-DD)", f->key,
                         value);
            return false;
        }
        break;
    case SVA_FIELD_NUMBER:
        if (!sva_parse_double(value, &x)) {
            sva_diag_add(d, NULL, 0, "field '%s': '%s' is not a number", f->key, value);
            return false;
        }
        break;
    case SVA_FIELD_ENUM:
        for (size_t i = 0; i < f->n_values; i++)
            if (strcmp(f->values[i], value) == 0)
                return true;
        sva_diag_add(d, NULL, 0, "field '%s': '%s' is not one of the allowed values", f->key,
                     value);
        return false;
    case SVA_FIELD_TEXT:
    case SVA_FIELD_PERSON:
        break;
    }
    return true;
}

/* ---- lint and catalog ----------------------------------------------------------- */

/* Does the text contain a [form] header? (decides which loader lints it; the
 * same leniency as the INI reader: BOM, blanks, any case) */
static bool looks_like_form(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        if (p < eol && *p == '[') {
            p++;
            while (p < eol && (*p == ' ' || *p == '\t'))
                p++;
            if (eol - p >= 4 && strncasecmp(p, "form", 4) == 0) {
                p += 4;
                while (p < eol && (*p == ' ' || *p == '\t'))
                    p++;
                if (p < eol && *p == ']')
                    return true;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return false;
}

size_t sva_lint_file(const char *path, sva_diag *d)
{
    size_t before = d ? d->n : 0;
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return 1;
    if (looks_like_form(data, len)) {
        sva_form *f = NULL;
        rc = sva_form_parse(path, data, len, &f, d);
        sva_form_free(f);
    } else {
        sva_checklist *cl = NULL;
        rc = sva_checklist_parse(path, data, len, &cl, d);
        sva_checklist_free(cl);
    }
    free(data);
    size_t added = d ? d->n - before : 0;
    if (rc && !added) {
        sva_diag_add(d, path, 0, "%s", sva_strerror(rc));
        added = 1;
    }
    return rc ? (added ? added : 1) : 0;
}

/* A file of the search path in a lazy catalog: the id its text names (NULL
 * when a quick look finds none), whether it is a form, whether it was loaded
 * (or failed to load) already. */
typedef struct cat_entry {
    char *path;
    char *id;
    bool form;
    bool tried;
} cat_entry;

struct sva_catalog_lazy {
    cat_entry *e;         /* every file of the search path, in search order */
    size_t n;
    sva_checklist **cl;   /* loaded so far, each the first file of its id */
    size_t n_cl;
    sva_form **fm;
    size_t n_fm;
    sva_diag problems;    /* of the files loaded so far */
};

static void lazy_free(struct sva_catalog_lazy *z)
{
    if (!z)
        return;
    for (size_t i = 0; i < z->n; i++) {
        free(z->e[i].path);
        free(z->e[i].id);
    }
    for (size_t i = 0; i < z->n_cl; i++)
        sva_checklist_free(z->cl[i]);
    for (size_t i = 0; i < z->n_fm; i++)
        sva_form_free(z->fm[i]);
    free(z->e);
    free(z->cl);
    free(z->fm);
    sva_diag_clear(&z->problems);
    free(z);
}

void sva_catalog_free(sva_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_checklists; i++)
        sva_checklist_free(c->checklists[i]);
    for (size_t i = 0; i < c->n_forms; i++)
        sva_form_free(c->forms[i]);
    for (size_t i = 0; i < c->n_dirs; i++)
        free(c->dirs[i]);
    free(c->checklists);
    free(c->forms);
    free(c->dirs);
    lazy_free(c->lazy);
    free(c);
}

static const sva_checklist *lazy_find(struct sva_catalog_lazy *z, const char *id, bool form);

const sva_checklist *sva_catalog_find(const sva_catalog *c, const char *id)
{
    if (c && c->lazy)
        return lazy_find(c->lazy, id, false);
    /* sorted by id (sva_catalog_open): a binary search */
    size_t lo = 0, hi = c ? c->n_checklists : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->checklists[mid]->id, id);
        if (cmp == 0)
            return c->checklists[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const sva_form *sva_catalog_find_form(const sva_catalog *c, const char *id)
{
    if (c && c->lazy)
        return (const sva_form *)lazy_find(c->lazy, id, true);
    for (size_t i = 0; c && i < c->n_forms; i++)
        if (strcmp(c->forms[i]->id, id) == 0)
            return c->forms[i];
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_checklist(const void *a, const void *b)
{
    return strcmp((*(sva_checklist *const *)a)->id, (*(sva_checklist *const *)b)->id);
}

/* The array @p p of n elements (of @p size bytes) with room for one more: it
 * doubles when n reaches a power of two, so n appends cost O(n). NULL when out
 * of memory (p is then unchanged). */
static void *room_for(void *p, size_t n, size_t size)
{
    if (n & (n - 1))
        return p; /* not a power of two (nor 0): there is room */
    return realloc(p, (n ? 2 * n : 1) * size);
}

/* Every *.ini file of @p dirs in search order (each folder's by name), and
 * the folders that exist into c->dirs. */
static sva_error list_files(sva_catalog *c, const char *const *dirs, size_t n_dirs,
                            char ***out, size_t *n_out)
{
    char **paths = NULL;
    size_t np = 0;
    sva_error rc = SVA_OK;
    for (size_t i = 0; i < n_dirs && !rc; i++) {
        DIR *dir = opendir(dirs[i]);
        if (!dir)
            continue;
        char **dv = realloc(c->dirs, (c->n_dirs + 1) * sizeof *dv);
        if (!dv || !(dv[c->n_dirs] = sva_strdup(dirs[i]))) {
            if (dv)
                c->dirs = dv;
            closedir(dir);
            rc = SVA_ERR_NOMEM;
            break;
        }
        c->dirs = dv;
        c->n_dirs++;
        char **names = NULL;
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(dir))) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".ini") != 0 || de->d_name[0] == '.')
                continue;
            char **v = room_for(names, nn, sizeof *v);
            if (v)
                names = v;
            if (!v || !(names[nn] = sva_strdup(de->d_name))) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            nn++;
        }
        closedir(dir);
        if (names)
            qsort(names, nn, sizeof *names, cmp_str);
        for (size_t k = 0; k < nn; k++) {
            char *path = rc ? NULL : sva_asprintf("%s/%s", dirs[i], names[k]);
            struct stat st;
            if (!rc && !path)
                rc = SVA_ERR_NOMEM;
            if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                char **v = room_for(paths, np, sizeof *v);
                if (v) {
                    paths = v;
                    paths[np++] = path;
                    path = NULL;
                } else {
                    rc = SVA_ERR_NOMEM;
                }
            }
            free(path);
            free(names[k]);
        }
        free(names);
    }
    if (rc) {
        for (size_t i = 0; i < np; i++)
            free(paths[i]);
        free(paths);
        return rc;
    }
    *out = paths;
    *n_out = np;
    return SVA_OK;
}

/* Load one file into the catalog unless its id is already there (@p ids:
 * the checklists' and forms' ids so far, so a folder of n files costs O(n)). */
static sva_error catalog_add_file(sva_catalog *c, const char *path, sva_map ids[2],
                                  sva_diag *d)
{
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return rc == SVA_ERR_NOMEM ? rc : SVA_OK;
    if (looks_like_form(data, len)) {
        sva_form *f = NULL;
        rc = sva_form_parse(path, data, len, &f, d);
        if (f && !sva_map_get(&ids[1], f->id, NULL)) {
            sva_form **v = room_for(c->forms, c->n_forms, sizeof *v);
            if (v)
                c->forms = v;
            if (!v || !sva_map_put(&ids[1], f->id, c->n_forms)) {
                sva_form_free(f);
                free(data);
                return SVA_ERR_NOMEM;
            }
            c->forms[c->n_forms++] = f;
        } else {
            sva_form_free(f);
        }
    } else {
        sva_checklist *cl = NULL;
        rc = sva_checklist_parse(path, data, len, &cl, d);
        if (cl && !sva_map_get(&ids[0], cl->id, NULL)) {
            sva_checklist **v = room_for(c->checklists, c->n_checklists, sizeof *v);
            if (v)
                c->checklists = v;
            if (!v || !sva_map_put(&ids[0], cl->id, c->n_checklists)) {
                sva_checklist_free(cl);
                free(data);
                return SVA_ERR_NOMEM;
            }
            c->checklists[c->n_checklists++] = cl;
        } else {
            sva_checklist_free(cl);
        }
    }
    free(data);
    return rc == SVA_ERR_NOMEM ? rc : SVA_OK;
}

sva_error sva_catalog_open(const char *const *dirs, size_t n_dirs, sva_catalog **out,
                           sva_diag *d)
{
    *out = NULL;
    sva_catalog *c = calloc(1, sizeof *c);
    if (!c)
        return SVA_ERR_NOMEM;
    char **paths = NULL;
    size_t np = 0;
    sva_error rc = list_files(c, dirs, n_dirs, &paths, &np);
    sva_map ids[2] = {{0}, {0}}; /* checklist and form ids so far */
    for (size_t k = 0; k < np; k++) {
        if (!rc)
            rc = catalog_add_file(c, paths[k], ids, d);
        free(paths[k]);
    }
    free(paths);
    sva_map_free(&ids[0]);
    sva_map_free(&ids[1]);
    if (rc) {
        sva_catalog_free(c);
        return rc;
    }
    if (c->n_checklists)
        qsort(c->checklists, c->n_checklists, sizeof *c->checklists, cmp_checklist);
    *out = c;
    return SVA_OK;
}

/* ---- the lazy catalog: each file loaded when its id is first asked for ---------- */

/* The id a checklist's [checklist] (a form's [form]) section gives, by a quick
 * look that follows the INI reader's rules (names in any case, blanks, quotes,
 * inline comments); NULL when there is none. Malloc'd. */
static char *quick_id(const char *data, size_t len, bool form)
{
    const char *want = form ? "form" : "checklist";
    const char *p = data, *end = data + len;
    bool in = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        while (p < eol && (*p == ' ' || *p == '\t' || (unsigned char)*p == 0xEF ||
                           (unsigned char)*p == 0xBB || (unsigned char)*p == 0xBF))
            p++;
        if (p < eol && *p == '[') {
            const char *q = ++p;
            while (q < eol && *q != ']')
                q++;
            const char *a = p, *b = q;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            in = (size_t)(b - a) == strlen(want) && strncasecmp(a, want, (size_t)(b - a)) == 0;
        } else if (in && eol - p > 2 && strncasecmp(p, "id", 2) == 0) {
            const char *q = p + 2;
            while (q < eol && (*q == ' ' || *q == '\t'))
                q++;
            if (q < eol && *q == '=') {
                q++;
                while (q < eol && (*q == ' ' || *q == '\t'))
                    q++;
                const char *v = q, *ve;
                if (q < eol && *q == '"') {
                    v = ++q;
                    ve = memchr(v, '"', (size_t)(eol - v));
                    if (!ve)
                        return NULL;
                } else {
                    ve = v;
                    while (ve < eol && *ve != ';' && *ve != '#')
                        ve++;
                    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
                        ve--;
                }
                return ve > v ? sva_strndup(v, (size_t)(ve - v)) : NULL;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return NULL;
}

sva_error sva_catalog_index(const char *const *dirs, size_t n_dirs, sva_catalog **out,
                            sva_diag *d)
{
    (void)d;
    *out = NULL;
    sva_catalog *c = calloc(1, sizeof *c);
    struct sva_catalog_lazy *z = calloc(1, sizeof *z);
    if (!c || !z) {
        free(c);
        free(z);
        return SVA_ERR_NOMEM;
    }
    c->lazy = z;
    char **paths = NULL;
    size_t np = 0;
    sva_error rc = list_files(c, dirs, n_dirs, &paths, &np);
    if (!rc && !(z->e = calloc(np ? np : 1, sizeof *z->e)))
        rc = SVA_ERR_NOMEM;
    for (size_t k = 0; k < np; k++) {
        char *data = NULL;
        size_t len = 0;
        if (!rc) {
            cat_entry *e = &z->e[z->n++];
            e->path = paths[k];
            paths[k] = NULL;
            /* a file that cannot be read is looked at (and reported) when loaded */
            if (sva_read_file(e->path, &data, &len, NULL) == SVA_OK) {
                e->form = looks_like_form(data, len);
                e->id = quick_id(data, len, e->form);
            }
        }
        free(data);
        free(paths[k]);
    }
    free(paths);
    if (rc) {
        sva_catalog_free(c);
        return rc;
    }
    *out = c;
    return SVA_OK;
}

/* Is a checklist (form) with @p id loaded already? */
static void *lazy_loaded(const struct sva_catalog_lazy *z, const char *id, bool form)
{
    if (form) {
        for (size_t i = 0; i < z->n_fm; i++)
            if (strcmp(z->fm[i]->id, id) == 0)
                return z->fm[i];
    } else {
        for (size_t i = 0; i < z->n_cl; i++)
            if (strcmp(z->cl[i]->id, id) == 0)
                return z->cl[i];
    }
    return NULL;
}

/* Could a file before entry @p k, not yet loaded, have id @p id? */
static bool earlier_may_be(const struct sva_catalog_lazy *z, size_t k, const char *id, bool form)
{
    for (size_t j = 0; j < k; j++) {
        const cat_entry *e = &z->e[j];
        if (!e->tried && e->form == form && (!e->id || strcmp(e->id, id) == 0))
            return true;
    }
    return false;
}

/* Load entry @p k; keep what it defines when it is the first file of its id.
 * Returns what was kept (NULL: nothing, a problem, or not first). */
static void *lazy_load(struct sva_catalog_lazy *z, size_t k)
{
    cat_entry *e = &z->e[k];
    e->tried = true;
    char *data;
    size_t len;
    if (sva_read_file(e->path, &data, &len, &z->problems))
        return NULL;
    void *got = NULL;
    const char *id = NULL;
    if (e->form) {
        sva_form *f = NULL;
        sva_form_parse(e->path, data, len, &f, &z->problems);
        got = f;
        id = f ? f->id : NULL;
    } else {
        sva_checklist *cl = NULL;
        sva_checklist_parse(e->path, data, len, &cl, &z->problems);
        got = cl;
        id = cl ? cl->id : NULL;
    }
    free(data);
    if (!got)
        return NULL;
    /* a file whose quick look named another id than it has waits for its turn */
    if (lazy_loaded(z, id, e->form) || earlier_may_be(z, k, id, e->form)) {
        if (!lazy_loaded(z, id, e->form))
            e->tried = false;
        e->form ? sva_form_free(got) : sva_checklist_free(got);
        return NULL;
    }
    void **v = e->form ? room_for(z->fm, z->n_fm, sizeof *v) : room_for(z->cl, z->n_cl, sizeof *v);
    if (!v) {
        e->form ? sva_form_free(got) : sva_checklist_free(got);
        return NULL;
    }
    if (e->form) {
        z->fm = (sva_form **)v;
        z->fm[z->n_fm++] = got;
    } else {
        z->cl = (sva_checklist **)v;
        z->cl[z->n_cl++] = got;
    }
    return got;
}

static const sva_checklist *lazy_find(struct sva_catalog_lazy *z, const char *id, bool form)
{
    void *got = lazy_loaded(z, id, form);
    for (size_t k = 0; !got && k < z->n; k++) {
        cat_entry *e = &z->e[k];
        if (e->tried || e->form != form || (e->id && strcmp(e->id, id) != 0))
            continue;
        void *v = lazy_load(z, k);
        if (v && strcmp(form ? ((sva_form *)v)->id : ((sva_checklist *)v)->id, id) == 0)
            got = v;
    }
    return got;
}

sva_error sva_catalog_load_all(sva_catalog *c, sva_diag *d)
{
    struct sva_catalog_lazy *z = c ? c->lazy : NULL;
    if (!z)
        return SVA_OK;
    for (size_t k = 0; k < z->n; k++)
        if (!z->e[k].tried)
            lazy_load(z, k);
    for (size_t i = 0; i < z->problems.n; i++)
        sva_diag_add(d, z->problems.msgs[i].file, z->problems.msgs[i].line, "%s",
                     z->problems.msgs[i].msg);
    c->checklists = z->cl;
    c->n_checklists = z->n_cl;
    c->forms = z->fm;
    c->n_forms = z->n_fm;
    z->cl = NULL;
    z->fm = NULL;
    z->n_cl = z->n_fm = 0;
    lazy_free(z);
    c->lazy = NULL;
    if (c->n_checklists)
        qsort(c->checklists, c->n_checklists, sizeof *c->checklists, cmp_checklist);
    return SVA_OK;
}

void sva_catalog_near(const sva_catalog *c, const char *typed, bool metrics, char *out,
                      size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (!typed)
        return;
    size_t cap = 3 + c->n_checklists + (c->lazy ? c->lazy->n : 0);
    const char **names = malloc(cap * sizeof *names);
    if (!names)
        return;
    size_t n = 0;
    if (metrics) {
        names[n++] = "ssi";
        names[n++] = "csi";
        names[n++] = "6s";
    }
    for (size_t i = 0; i < c->n_checklists; i++)
        names[n++] = c->checklists[i]->id;
    for (size_t i = 0; c->lazy && i < c->lazy->n; i++) {
        const cat_entry *e = &c->lazy->e[i];
        bool dup = !e->id || e->form;
        for (size_t j = 0; j < n && !dup; j++)
            dup = strcmp(names[j], e->id) == 0;
        if (!dup)
            names[n++] = e->id;
    }
    char sug[512];
    sva_suggest(typed, names, n, sug, sizeof sug);
    free(names);
    if (*sug)
        snprintf(out, size, " (did you mean %s?)", sug);
}

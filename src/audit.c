/* svcaudit: the audit module: an audit's header and answers checked in one
 * pass, every problem reported, then scored once into a ready audit. */
#include "svcaudit/audit.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const FIELD_NAMES[] = {"cycle", "store", "employee", "auditor", "date"};

void sva_audit_header_merge(sva_audit_header *out, const sva_audit_header *flags,
                            const sva_sheet_header *from, const char *sheet)
{
    static const sva_audit_header no_flags;
    static const sva_sheet_header no_header;
    if (!flags)
        flags = &no_flags;
    if (!from)
        from = &no_header;
    memset(out, 0, sizeof *out);
    out->cycle = flags->cycle ? flags->cycle : from->cycle;
    out->store = flags->store ? flags->store : from->store;
    out->employee = flags->employee ? flags->employee : from->employee;
    out->auditor = flags->auditor ? flags->auditor : from->auditor;
    out->date = flags->date ? flags->date : from->date;
    out->line_cycle = flags->cycle ? 0 : from->line_cycle;
    out->line_store = flags->store ? 0 : from->line_store;
    out->line_employee = flags->employee ? 0 : from->line_employee;
    out->line_auditor = flags->auditor ? 0 : from->line_auditor;
    out->line_date = flags->date ? 0 : from->line_date;
    out->sheet = sheet;
}

static int field_line(const sva_audit_header *h, sva_audit_field f)
{
    switch (f) {
    case SVA_AUDIT_FIELD_CYCLE: return h->line_cycle;
    case SVA_AUDIT_FIELD_STORE: return h->line_store;
    case SVA_AUDIT_FIELD_EMPLOYEE: return h->line_employee;
    case SVA_AUDIT_FIELD_AUDITOR: return h->line_auditor;
    case SVA_AUDIT_FIELD_DATE: return h->line_date;
    }
    return 0;
}

void sva_audit_field_diag(sva_diag *d, const sva_audit_header *h, sva_audit_field f,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!msg)
        return;
    int line = field_line(h, f);
    if (h->sheet && line > 0)
        sva_diag_add(d, h->sheet, line, "%s", msg);
    else if (h->sheet)
        sva_diag_add(d, NULL, 0, "--%s: %s", FIELD_NAMES[f], msg);
    else
        sva_diag_add(d, NULL, 0, "%s", msg);
    free(msg);
}


static bool blank(const char *s)
{
    return !s || !*s;
}

/* A field that is missing: reported at the sheet's line of its (empty) key.
 * When the sheet could not be read whole and the key was not seen, it may be
 * on a line in error, reported already: then nothing is added. */
static void missing(sva_diag *d, const sva_audit_header *h, sva_audit_field f,
                    bool incomplete, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static void missing(sva_diag *d, const sva_audit_header *h, sva_audit_field f,
                    bool incomplete, const char *fmt, ...)
{
    int line = h->sheet ? field_line(h, f) : 0;
    if (incomplete && line == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (msg)
        sva_diag_add(d, h->sheet, line, "%s", msg);
    free(msg);
}

static sva_error check_header(const sva_checklist *cl, const sva_audit_header *h,
                              bool incomplete, sva_diag *d)
{
    sva_error rc = SVA_OK;
    if (blank(h->cycle)) {
        missing(d, h, SVA_AUDIT_FIELD_CYCLE, incomplete,
                "cycle: missing (give --cycle or 'cycle =' in the sheet)");
        rc = SVA_ERR_INVALID;
    }
    if (blank(h->store)) {
        missing(d, h, SVA_AUDIT_FIELD_STORE, incomplete,
                "store: missing (give --store or 'store =' in the sheet)");
        rc = SVA_ERR_INVALID;
    }
    if (blank(h->auditor)) {
        missing(d, h, SVA_AUDIT_FIELD_AUDITOR, incomplete,
                "auditor: missing (give --auditor or 'auditor =' in the sheet)");
        rc = SVA_ERR_INVALID;
    } else if (!sva_text_ok(h->auditor, 100, false)) {
        sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_AUDITOR,
                             "bad auditor name (1-100 bytes of text)");
        rc = SVA_ERR_INVALID;
    }
    if (cl->subject == SVA_SUBJECT_EMPLOYEE && blank(h->employee)) {
        missing(d, h, SVA_AUDIT_FIELD_EMPLOYEE, incomplete,
                "employee: missing: checklist '%s' scores one employee (give --employee or "
                "'employee =' in the sheet)",
                cl->id);
        rc = SVA_ERR_INVALID;
    }
    if (h->date && !sva_parse_date(h->date)) {
        sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_DATE, "'%s' is not a date (want YYYY-MM-DD)",
                             h->date);
        rc = SVA_ERR_INVALID;
    }
    return rc;
}

sva_error sva_audit_check_when(const sva_audit_header *h, sva_diag *d)
{
    if (!h->date || !sva_parse_date(h->date))
        return SVA_OK; /* none (today's), or not a date: check_header says so */
    char today[11];
    sva_today(today);
    if (strcmp(h->date, today) <= 0)
        return SVA_OK;
    sva_audit_field_diag(d, h, SVA_AUDIT_FIELD_DATE,
                         "date %s is after today (%s): an audit is recorded once done", h->date,
                         today);
    return SVA_ERR_INVALID;
}

sva_error sva_audit_check_header(const sva_checklist *cl, const sva_audit_header *h,
                                 sva_diag *d)
{
    sva_error rc = check_header(cl, h, false, d);
    return sva_audit_check_when(h, d) ? SVA_ERR_INVALID : rc;
}

static bool note_missing(const sva_item *it, const sva_answer *a)
{
    if ((a->note && *a->note) || a->na)
        return false;
    if (it->evidence == SVA_EVIDENCE_ALWAYS)
        return true;
    return it->evidence == SVA_EVIDENCE_ON_FAIL && !sva_answer_passes(it, a);
}

/* One answer against its item; messages name @p file and @p line (either may
 * be NULL/0). Absent things (no answer, no note) are not reported when the
 * sheet could not be read whole (@p incomplete), but still fail. */
static bool answer_ok(const sva_item *it, const sva_answer *a, const char *file, int line,
                      bool incomplete, sva_diag *d)
{
    bool ok = true;
    if (!sva_text_ok(a->note, 4000, true) || !sva_text_ok(a->evidence, 1000, true)) {
        sva_diag_add(d, file, line,
                     "item '%s': note or evidence is not valid text (UTF-8, at most 4000 bytes)",
                     it->id);
        ok = false;
    }
    if (!a->answered) {
        if (!incomplete)
            sva_diag_add(d, file, line, "item '%s' is not answered", it->id);
        return false;
    }
    if (a->na) {
        if (!it->na) {
            sva_diag_add(d, file, line, "item '%s': N/A is not allowed for this item", it->id);
            ok = false;
        }
    } else if (a->value < 0 || a->value > it->scale.max) {
        sva_diag_add(d, file, line, "item '%s': answer %d is outside the scale 0..%d", it->id,
                     a->value, it->scale.max);
        ok = false;
    } else if (note_missing(it, a)) {
        if (!incomplete)
            sva_diag_add(d, file, line, "item '%s': a note is required %s", it->id,
                         it->evidence == SVA_EVIDENCE_ALWAYS ? "for this item" : "when it fails");
        ok = false;
    }
    return ok;
}

void sva_today(char out[11])
{
    const char *env = getenv("SVCAUDIT_TODAY");
    if (env && sva_parse_date(env)) {
        memcpy(out, env, 11);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    if (strftime(out, 11, "%Y-%m-%d", &tm) == 0)
        out[0] = '\0';
}

/* A ready audit, its answers and the texts of both: one allocation. */
typedef struct ready_block {
    sva_audit_ready a;
    sva_answer ans[];
    /* then the header's and the answers' texts */
} ready_block;

void sva_audit_ready_free(const sva_audit_ready *a)
{
    if (!a)
        return;
    sva_audit_ready *m = (sva_audit_ready *)a;
    sva_score_free(&m->score);
    free(m); /* with its answers and texts (ready_block) */
}

/* The room a copy of @p s takes (0 for NULL). */
static size_t text_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* A copy of @p s (NULL for NULL) at *at, which moves past it. */
static char *copy_text(const char *s, char **at)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = memcpy(*at, s, n);
    *at += n;
    return c;
}

/* The ready audit: copies of the header and answers, the date, the score. */
static sva_error make_ready(const sva_checklist *cl, const sva_audit_header *h,
                            const sva_answer *answers, const sva_audit_ready **out)
{
    size_t n = cl->n_items;
    size_t texts = text_size(h->cycle) + text_size(h->store) + text_size(h->employee) +
                   text_size(h->auditor) + text_size(h->date) + text_size(h->sheet);
    for (size_t i = 0; i < n; i++)
        texts += text_size(answers[i].note) + text_size(answers[i].evidence);
    ready_block *blk = calloc(1, sizeof *blk + n * sizeof blk->ans[0] + texts);
    if (!blk)
        return SVA_ERR_NOMEM;
    sva_audit_ready *a = &blk->a;
    char *at = (char *)(blk->ans + n);
    a->cl = cl;
    a->header = *h;
    a->header.cycle = copy_text(h->cycle, &at);
    a->header.store = copy_text(h->store, &at);
    a->header.employee = copy_text(h->employee, &at);
    a->header.auditor = copy_text(h->auditor, &at);
    a->header.date = copy_text(h->date, &at);
    a->header.sheet = copy_text(h->sheet, &at);
    for (size_t i = 0; i < n; i++) {
        blk->ans[i] = answers[i];
        blk->ans[i].note = copy_text(answers[i].note, &at);
        blk->ans[i].evidence = copy_text(answers[i].evidence, &at);
    }
    a->answers = blk->ans;
    if (sva_score_compute(cl, blk->ans, &a->score) != SVA_OK) {
        free(blk);
        return SVA_ERR_NOMEM;
    }
    if (h->date)
        snprintf(a->date, sizeof a->date, "%s", h->date);
    else
        sva_today(a->date);
    *out = a;
    return SVA_OK;
}

/* The checks and the scoring; @p s (may be NULL) is the sheet the answers
 * were read from, for lines, flagged items and problems found reading it. */
static sva_error prepare(const sva_checklist *cl, const sva_audit_header *h,
                         const sva_answer *answers, const sva_sheet *s,
                         const sva_audit_ready **out, sva_diag *d)
{
    *out = NULL;
    bool incomplete = s && s->incomplete;
    size_t bad = s ? s->problems : 0;
    if (check_header(cl, h, incomplete, d))
        bad++;
    for (size_t i = 0; i < cl->n_items; i++) {
        if (s && s->flagged[i])
            continue; /* reported when the sheet was read */
        bad += !answer_ok(&cl->items[i], &answers[i], s ? s->name : NULL, s ? s->lines[i] : 0,
                          incomplete, d);
    }
    if (bad)
        return SVA_ERR_INVALID;
    return make_ready(cl, h, answers, out);
}

sva_error sva_audit_prepare(const sva_checklist *cl, const sva_audit_header *h,
                            const sva_answer *answers, const sva_audit_ready **out,
                            sva_diag *d)
{
    return prepare(cl, h, answers, NULL, out, d);
}

sva_error sva_audit_prepare_sheet(const sva_audit_header *h, const sva_sheet *s,
                                  const sva_audit_ready **out, sva_diag *d)
{
    *out = NULL;
    if (!s->cl || !s->answers || s->n != s->cl->n_items)
        return SVA_ERR_USAGE;
    return prepare(s->cl, h, s->answers, s, out, d);
}

sva_error sva_audit_change_answers(const sva_checklist *cl, sva_answer *answers,
                                   const sva_answer_change *v, size_t n, sva_diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const char *flag = v[i].note ? "--note" : "--set";
        long k = sva_checklist_item_index(cl, v[i].item);
        if (k < 0) {
            char near[600];
            sva_checklist_near_items(cl, v[i].item, near, sizeof near);
            sva_diag_add(d, NULL, 0, "%s: checklist '%s' version %ld has no item '%s'%s", flag,
                         cl->id, cl->version, v[i].item, near);
            ok = false;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (v[j].note == v[i].note && strcmp(v[j].item, v[i].item) == 0) {
                sva_diag_add(d, NULL, 0, "%s: item '%s' given twice", flag, v[i].item);
                ok = false;
            }
        if (v[i].note) {
            if (!sva_text_ok(v[i].text, 4000, true)) {
                sva_diag_add(d, NULL, 0, "--note: item '%s': want at most 4000 bytes of text",
                             v[i].item);
                ok = false;
            }
            continue;
        }
        sva_answer a = {0};
        if (!sva_answer_parse(&cl->items[k], v[i].text, &a)) {
            char allowed[96];
            sva_item_allowed(&cl->items[k], allowed, sizeof allowed);
            sva_diag_add(d, NULL, 0, "--set: item '%s': '%s' is not an answer (want %s)",
                         v[i].item, v[i].text, allowed);
            ok = false;
        } else if (a.na && !cl->items[k].na) {
            sva_diag_add(d, NULL, 0, "--set: item '%s' may not be answered N/A", v[i].item);
            ok = false;
        }
    }
    if (!ok)
        return SVA_ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
        sva_answer *a = &answers[sva_checklist_item_index(cl, v[i].item)];
        if (v[i].note) {
            char *copy = sva_strdup(v[i].text);
            if (!copy)
                return SVA_ERR_NOMEM;
            free(a->note);
            a->note = copy;
            continue;
        }
        sva_answer parsed = {0};
        sva_answer_parse(&cl->items[sva_checklist_item_index(cl, v[i].item)], v[i].text,
                         &parsed);
        a->answered = true;
        a->na = parsed.na;
        a->value = parsed.value;
    }
    return SVA_OK;
}

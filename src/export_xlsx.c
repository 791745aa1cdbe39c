/* svcaudit: the cycle workbook (see export.h). The only file that includes
 * xlsxwriter.h. Every sheet is written strictly row by row (constant_memory). */
#include "svcaudit/svcaudit.h"
#include "util.h"
#include "zipcheck.h"

#include <xlsxwriter.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CELL 32767           /* Excel's limit on the text of one cell */
#define MAX_ROWS 1048576         /* Excel's rows per sheet */
#define CUT_MARK " [...cut]"

void sva_pseudonym(const char *salt, const char *id, char out[16])
{
    sva_buf b = {0};
    sva_buf_printf(&b, "%s:%s", salt ? salt : "", id);
    char hex[65];
    sva_sha256_hex(b.data ? b.data : "", b.len, hex);
    sva_buf_free(&b);
    snprintf(out, 16, "P-%.8s", hex);
}

/* ---- the writer ---------------------------------------------------------------------- */

typedef struct fmts {
    lxw_format *title, *sub, *hdr, *bold, *text, *wrap, *num, *pct, *delta;
    lxw_format *pct_green, *pct_amber, *pct_red, *pct_grey;
    lxw_format *st_green, *st_amber, *st_red, *st_grey;
    lxw_format *hl_red, *hl_amber, *hl_green;
} fmts;

/* A checklist as the cycle's audits used it, looked up once. */
typedef struct used_cl {
    char *id;
    long version;
    sva_checklist *stored;    /* parsed from the database; NULL if that failed */
    const sva_checklist *use; /* stored, else the catalog's of that version, else NULL */
} used_cl;

typedef struct xw {
    lxw_workbook *wb;
    fmts f;
    sva_db *db;
    const sva_export_opts *o;
    sva_diag *d;
    char *salt;
    used_cl *used;
    size_t n_used;
    char *scrub_store;      /* whose employees scrub_emp holds */
    sva_employee *scrub_emp;
    size_t n_scrub;
    sva_buf scrub_buf;
    sva_error err; /* the first failure; later writes are skipped */
} xw;

/* The texts of checklist @p id at @p version: the exact text stored with the
 * cycle's audits (so a checklist changed or missing since still shows what the
 * auditors answered), else the catalog's if it is that version; NULL if neither. */
static const sva_checklist *checklist_of(xw *w, const char *id, long version)
{
    for (size_t i = 0; i < w->n_used; i++)
        if (w->used[i].version == version && strcmp(w->used[i].id, id) == 0)
            return w->used[i].use;
    const sva_checklist *cat = sva_catalog_find(w->o->cat, id);
    if (cat && cat->version != version)
        cat = NULL;
    used_cl *nu = realloc(w->used, (w->n_used + 1) * sizeof *nu);
    if (!nu)
        return cat;
    w->used = nu;
    used_cl *u = &w->used[w->n_used];
    if (!(u->id = sva_strdup(id)))
        return cat;
    u->version = version;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_db_checklist_used(w->db, w->o->cycle, id, version, NULL, &u->stored, &quiet))
        u->stored = NULL;
    sva_diag_clear(&quiet);
    u->use = u->stored ? u->stored : cat;
    w->n_used++;
    return u->use;
}

static void used_free(xw *w)
{
    for (size_t i = 0; i < w->n_used; i++) {
        free(w->used[i].id);
        sva_checklist_free(w->used[i].stored);
    }
    free(w->used);
}

static lxw_format *fmt(lxw_workbook *wb, const char *num, uint32_t bg, uint32_t fg, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    if (!f)
        return NULL;
    if (num)
        format_set_num_format(f, num);
    if (bg)
        format_set_bg_color(f, bg);
    if (fg)
        format_set_font_color(f, fg);
    if (bold)
        format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

#define PCT_FMT "0.0\" %\""
#define GREEN_BG 0xC6EFCE
#define GREEN_FG 0x006100
#define AMBER_BG 0xFFEB9C
#define AMBER_FG 0x9C5700
#define RED_BG 0xFFC7CE
#define RED_FG 0x9C0006
#define GREY_BG 0xEDEDED

static void make_formats(xw *w)
{
    fmts *f = &w->f;
    f->title = fmt(w->wb, NULL, 0, 0x1F3864, true);
    if (f->title)
        format_set_font_size(f->title, 16);
    f->sub = fmt(w->wb, NULL, 0, 0x595959, false);
    f->hdr = fmt(w->wb, NULL, 0x1F3864, 0xFFFFFF, true);
    if (f->hdr)
        format_set_text_wrap(f->hdr);
    f->bold = fmt(w->wb, NULL, 0, 0, true);
    f->text = fmt(w->wb, "@", 0, 0, false);
    f->wrap = fmt(w->wb, "@", 0, 0, false);
    if (f->wrap)
        format_set_text_wrap(f->wrap);
    f->num = fmt(w->wb, "0", 0, 0, false);
    f->pct = fmt(w->wb, PCT_FMT, 0, 0, false);
    f->delta = fmt(w->wb, "\"\xE2\x96\xB2 \"0.0;\"\xE2\x96\xBC \"0.0;\"= \"0.0", 0, 0, false);
    f->pct_green = fmt(w->wb, PCT_FMT, GREEN_BG, GREEN_FG, false);
    f->pct_amber = fmt(w->wb, PCT_FMT, AMBER_BG, AMBER_FG, false);
    f->pct_red = fmt(w->wb, PCT_FMT, RED_BG, RED_FG, false);
    f->pct_grey = fmt(w->wb, PCT_FMT, GREY_BG, 0, false);
    f->st_green = fmt(w->wb, NULL, GREEN_BG, GREEN_FG, true);
    f->st_amber = fmt(w->wb, NULL, AMBER_BG, AMBER_FG, true);
    f->st_red = fmt(w->wb, NULL, RED_BG, RED_FG, true);
    f->st_grey = fmt(w->wb, NULL, GREY_BG, 0, false);
    f->hl_red = fmt(w->wb, "@", RED_BG, RED_FG, false);
    f->hl_amber = fmt(w->wb, "@", AMBER_BG, AMBER_FG, false);
    f->hl_green = fmt(w->wb, "@", GREEN_BG, GREEN_FG, false);
}

static void check(xw *w, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR && !w->err) {
        sva_diag_add(w->d, w->o->path, 0, "cannot write the workbook (%s): %s", what,
                     lxw_strerror(e));
        w->err = SVA_ERR_IO;
    }
}

/* Text is always written as text (never a formula, whatever it starts with),
 * cut with a visible mark at Excel's cell limit, control characters dropped. */
static void str_cell(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                     lxw_format *f)
{
    if (w->err || !s || !*s)
        return;
    size_t n = strlen(s);
    bool clean = n <= MAX_CELL;
    for (size_t i = 0; clean && i < n; i++)
        clean = (unsigned char)s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n';
    if (clean) {
        check(w, worksheet_write_string(ws, r, c, s, f), "a text cell");
        return;
    }
    char *buf = malloc(MAX_CELL + 1);
    if (!buf) {
        w->err = SVA_ERR_NOMEM;
        return;
    }
    size_t o = 0, limit = n > MAX_CELL ? MAX_CELL - strlen(CUT_MARK) : n;
    for (size_t i = 0; i < n && o < limit; i++)
        if ((unsigned char)s[i] >= 0x20 || s[i] == '\t' || s[i] == '\n')
            buf[o++] = s[i];
    while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
        o--; /* do not cut a UTF-8 character in half */
    if (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
        o--;
    buf[o] = '\0';
    if (n > MAX_CELL)
        strcat(buf, CUT_MARK);
    check(w, worksheet_write_string(ws, r, c, buf, f), "a text cell");
    free(buf);
}

/* With the text format "@" unless @p f says otherwise. */
static void put_str(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    str_cell(w, ws, r, c, s, f ? f : w->f.text);
}

static void num_cell(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (!w->err)
        check(w, worksheet_write_number(ws, r, c, v, f), "a number cell");
}

/* With the whole-number format unless @p f says otherwise. */
static void put_num(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    num_cell(w, ws, r, c, v, f ? f : w->f.num);
}

static void header(xw *w, lxw_worksheet *ws, lxw_row_t r, const char *const *names,
                   const double *widths, int n)
{
    for (int c = 0; c < n; c++) {
        put_str(w, ws, r, (lxw_col_t)c, names[c], w->f.hdr);
        if (widths && !w->err)
            check(w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL),
                  "column widths");
    }
}

/* Frozen header, filter over the table, print set-up. */
static void finish_table(xw *w, lxw_worksheet *ws, lxw_row_t hdr, lxw_row_t last, int ncols)
{
    if (w->err)
        return;
    worksheet_freeze_panes(ws, hdr + 1, 0);
    check(w, worksheet_autofilter(ws, hdr, 0, last > hdr ? last : hdr, (lxw_col_t)(ncols - 1)),
          "a filter");
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    check(w, worksheet_repeat_rows(ws, hdr, hdr), "print titles");
}

static lxw_worksheet *sheet(xw *w, const char *name)
{
    if (w->err)
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    if (!ws) {
        sva_diag_add(w->d, w->o->path, 0, "cannot add the sheet '%s'", name);
        w->err = SVA_ERR_IO;
    }
    return ws;
}

/* The colour of a target status: green met; amber missed by 2 points or less;
 * red missed by more; grey no data. */
static lxw_format *status_fmt(xw *w, const sva_status_row *r, bool pct)
{
    switch (r->status) {
    case SVA_TARGET_MET: return pct ? w->f.pct_green : w->f.st_green;
    case SVA_TARGET_MISSED:
        if (r->gap >= -2.0)
            return pct ? w->f.pct_amber : w->f.st_amber;
        return pct ? w->f.pct_red : w->f.st_red;
    case SVA_TARGET_NO_DATA: return pct ? w->f.pct_grey : w->f.st_grey;
    case SVA_TARGET_NONE: break;
    }
    return pct ? w->f.pct : w->f.text;
}

/* A heat-map colour for a plain percentage. */
static lxw_format *heat(xw *w, double pct)
{
    return pct >= 85 ? w->f.pct_green : pct >= 70 ? w->f.pct_amber : w->f.pct_red;
}

static double round1(double x)
{
    return sva_round1(x);
}

static const char *employee_label(xw *w, const char *id, const char *name, char *buf,
                                  size_t size)
{
    if (!id || !*id)
        return "";
    if (w->o->employees == SVA_PRIVACY_PSEUDONYMOUS) {
        char p[16];
        sva_pseudonym(w->salt, id, p);
        snprintf(buf, size, "%s", p);
    } else if (w->o->employees == SVA_PRIVACY_NONE) {
        snprintf(buf, size, "%s", "");
    } else if (name) {
        snprintf(buf, size, "%s (%s)", name, id);
    } else {
        snprintf(buf, size, "%s", id);
    }
    return buf;
}

/* Does @p cand (n bytes) stand at @p p of @p text as a word of its own? An
 * ASCII letter or digit at its edge must not touch another one ("E1" is not in
 * "E12" or "BE1"); CJK names have no such edges and match anywhere. */
static bool whole_word(const char *text, const char *p, const char *cand, size_t n)
{
    unsigned char first = (unsigned char)cand[0], last = (unsigned char)cand[n - 1];
    unsigned char before = p > text ? (unsigned char)p[-1] : 0, after = (unsigned char)p[n];
    bool fa = first < 0x80 && isalnum(first), la = last < 0x80 && isalnum(last);
    return !(fa && before && before < 0x80 && isalnum(before)) &&
           !(la && after && after < 0x80 && isalnum(after));
}

/* Free text (notes, evidence, 5W1H fields) in a pseudonymous or anonymous
 * workbook: a name or id of anyone who works or worked at @p store (audited
 * there) becomes their pseudonym (or "[employee]" with --employees none), so a
 * note does not undo the privacy mode. Whole words only where the name has
 * ASCII edges; names and ids under 2 bytes are left alone. The result lives
 * until the next call. */
static const char *scrubbed(xw *w, const char *store, const char *text)
{
    if (w->o->employees == SVA_PRIVACY_FULL || !text || !*text || !store)
        return text;
    if (!w->scrub_store || strcmp(w->scrub_store, store) != 0) {
        sva_employees_free(w->scrub_emp, w->n_scrub);
        w->scrub_emp = NULL;
        w->n_scrub = 0;
        free(w->scrub_store);
        w->scrub_store = sva_strdup(store);
        sva_error e = w->scrub_store
                          ? sva_db_store_people(w->db, store, &w->scrub_emp, &w->n_scrub, w->d)
                          : SVA_ERR_NOMEM;
        if (e) { /* never write a note unscrubbed */
            w->scrub_emp = NULL;
            w->n_scrub = 0;
            if (!w->err)
                w->err = e;
            return "";
        }
    }
    bool any = false;
    for (size_t k = 0; k < w->n_scrub && !any; k++)
        any = (strlen(w->scrub_emp[k].name) >= 2 && strstr(text, w->scrub_emp[k].name)) ||
              (strlen(w->scrub_emp[k].id) >= 2 && strstr(text, w->scrub_emp[k].id));
    if (!any)
        return text;
    sva_buf *b = &w->scrub_buf;
    b->len = 0;
    for (const char *p = text; *p;) {
        size_t best = 0;
        const sva_employee *who = NULL;
        for (size_t k = 0; k < w->n_scrub; k++) {
            const char *cand[2] = {w->scrub_emp[k].name, w->scrub_emp[k].id};
            for (int c = 0; c < 2; c++) {
                size_t n = strlen(cand[c]);
                if (n >= 2 && n > best && strncmp(p, cand[c], n) == 0 &&
                    whole_word(text, p, cand[c], n)) {
                    best = n;
                    who = &w->scrub_emp[k];
                }
            }
        }
        if (who) {
            char lbl[32];
            sva_buf_puts(b, w->o->employees == SVA_PRIVACY_NONE
                                ? "[employee]"
                                : employee_label(w, who->id, NULL, lbl, sizeof lbl));
            p += best;
        } else {
            sva_buf_append(b, p, 1);
            p++;
        }
    }
    if (b->failed) {
        if (!w->err)
            w->err = SVA_ERR_NOMEM;
        return "";
    }
    return b->data ? b->data : "";
}

/* Status rows come in blocks: per store (in the store list's order) its
 * metrics, then per region, then the network; a look-up walks only the block
 * of the wanted id. The exporter asks for the same ids in the same order, so
 * the last hit is remembered as the starting point. */
static const sva_status_row *find_row(const sva_cycle_status *s, sva_scope scope,
                                      const char *id, const char *metric)
{
    static const sva_cycle_status *last_s;
    static size_t last_i;
    if (!s || !s->n_rows)
        return NULL;
    size_t start = last_s == s && last_i < s->n_rows ? last_i : 0;
    for (size_t k = 0; k < s->n_rows; k++) {
        size_t i = (start + k) % s->n_rows;
        const sva_status_row *r = &s->rows[i];
        if (r->scope == scope && strcmp(r->metric, metric) == 0 && strcmp(r->id, id) == 0) {
            last_s = s;
            last_i = i;
            return r;
        }
    }
    return NULL;
}

static bool in_scope(const xw *w, const sva_status_row *r)
{
    return !w->o->region || strcmp(r->region, w->o->region) == 0;
}

/* ---- the cycles around this one -------------------------------------------------------- */

typedef struct history {
    sva_cycle *cycles;     /* all cycles, by start date */
    size_t n;
    size_t at;             /* index of this cycle */
    sva_cycle_status **st; /* status per cycle for the trend window (NULL outside) */
    size_t first;          /* first cycle of the trend window */
} history;

static void history_free(history *h)
{
    for (size_t i = 0; h->st && i < h->n; i++)
        sva_cycle_status_free(h->st[i]);
    free(h->st);
    sva_cycles_free(h->cycles, h->n);
}

static sva_error history_load(xw *w, history *h)
{
    memset(h, 0, sizeof *h);
    sva_error rc = sva_db_cycle_list(w->db, &h->cycles, &h->n, w->d);
    if (rc)
        return rc;
    bool found = false;
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->cycles[i].id, w->o->cycle) == 0) {
            h->at = i;
            found = true;
        }
    if (!found) {
        sva_diag_add(w->d, NULL, 0, "unknown cycle '%s' (see 'svcaudit cycle list')",
                     w->o->cycle);
        return SVA_ERR_NOT_FOUND;
    }
    h->st = calloc(h->n, sizeof *h->st);
    if (!h->st)
        return SVA_ERR_NOMEM;
    int keep = w->o->trend_cycles > 0 ? w->o->trend_cycles : 6;
    h->first = h->at + 1 >= (size_t)keep ? h->at + 1 - (size_t)keep : 0;
    for (size_t i = h->first; i <= h->at; i++)
        if ((rc = sva_analysis_cycle_status(w->db, h->cycles[i].id, w->o->today, &h->st[i],
                                            w->d)))
            return rc;
    return SVA_OK;
}

/* ---- Dashboard ------------------------------------------------------------------------- */

typedef struct count_ctx {
    long audits;
    char **stores;
    size_t n_stores;
} count_ctx;

static int count_audit(const sva_audit *a, void *user)
{
    count_ctx *c = user;
    c->audits++;
    for (size_t i = 0; i < c->n_stores; i++)
        if (strcmp(c->stores[i], a->store) == 0)
            return 0;
    char **v = realloc(c->stores, (c->n_stores + 1) * sizeof *v);
    if (!v || !(v[c->n_stores] = sva_strdup(a->store))) {
        if (v)
            c->stores = v;
        return 1;
    }
    c->stores = v;
    c->n_stores++;
    return 0;
}

/* The Dashboard's counts for one region: audits, stores audited and in it,
 * open and overdue actions (the network's come with the cycle status). */
static void region_counts(xw *w, const sva_cycle_status *cs, long *audits, long *audited,
                          long *total, long *open, long *overdue)
{
    *total = 0;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope == SVA_SCOPE_STORE && strcmp(s->metric, "ssi") == 0 &&
            strcmp(s->region, w->o->region) == 0)
            (*total)++;
    }
    count_ctx c = {0};
    sva_audit_filter f = {.cycle = w->o->cycle, .region = w->o->region};
    if (sva_db_audit_each(w->db, &f, count_audit, &c, w->d) && !w->err)
        w->err = SVA_ERR_DB;
    *audits = c.audits;
    *audited = (long)c.n_stores;
    for (size_t i = 0; i < c.n_stores; i++)
        free(c.stores[i]);
    free(c.stores);
    sva_action_filter af = {.cycle = w->o->cycle, .today = w->o->today};
    sva_action *v = NULL;
    size_t n = 0;
    *open = *overdue = 0;
    if (sva_db_action_list(w->db, &af, &v, &n, w->d)) {
        if (!w->err)
            w->err = SVA_ERR_DB;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].region, w->o->region) != 0 || v[i].carried_to)
            continue;
        if (v[i].status == SVA_ACTION_OPEN || v[i].status == SVA_ACTION_IN_PROGRESS ||
            v[i].status == SVA_ACTION_REOPENED) {
            (*open)++;
            *overdue += v[i].overdue;
        }
    }
    sva_actions_free(v, n);
}

static const char *const METRICS[] = {"ssi", "csi", "6s"};
static const char *const METRIC_NAMES[] = {"SSI", "CSI", "6S"};

static void dashboard(xw *w, const history *h, const sva_section_mean *sm, size_t n_sm,
                      const sva_checklist *six)
{
    lxw_worksheet *ws = sheet(w, "Dashboard");
    if (!ws)
        return;
    const sva_cycle_status *cs = h->st[h->at];
    const sva_cycle_status *prev = h->at > h->first ? h->st[h->at - 1] : NULL;
    char buf[256];
    static const double widths[] = {10, 12, 26, 9, 9, 8, 9, 9, 9, 8, 9, 9, 9, 8, 9};
    for (int c = 0; c < 15; c++)
        check(w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL),
              "column widths");
    lxw_row_t r = 0;
    snprintf(buf, sizeof buf, "Service audit - cycle %s%s%s", cs->cycle,
             w->o->region ? " - region " : "", w->o->region ? w->o->region : "");
    put_str(w, ws, r++, 0, buf, w->f.title);
    time_t now = time(NULL);
    char gen[32];
    strftime(gen, sizeof gen, "%Y-%m-%d %H:%M", localtime(&now));
    snprintf(buf, sizeof buf, "Period %s .. %s   State: %s   Generated: %s", cs->from, cs->to,
             sva_cycle_state_name(cs->state), gen);
    put_str(w, ws, r++, 0, buf, w->f.sub);
    r++;
    /* KPI block */
    static const char *const kh[] = {"KPI",    "Actual", "Target", "Gap",
                                     "Status", "Stores", "vs prev."};
    lxw_row_t kpi_hdr = r;
    header(w, ws, r++, kh, NULL, 7);
    for (int m = 0; m < 3; m++) {
        const sva_status_row *k =
            w->o->region ? find_row(cs, SVA_SCOPE_REGION, w->o->region, METRICS[m])
                         : find_row(cs, SVA_SCOPE_NETWORK, "", METRICS[m]);
        put_str(w, ws, r, 0, METRIC_NAMES[m], w->f.bold);
        if (k && k->has_actual)
            put_num(w, ws, r, 1, k->actual, status_fmt(w, k, true));
        if (k && k->has_target)
            put_num(w, ws, r, 2, k->target, w->f.pct);
        if (k && k->has_actual && k->has_target)
            put_num(w, ws, r, 3, k->gap, w->f.delta);
        if (k)
            put_str(w, ws, r, 4, sva_target_status_name(k->status), status_fmt(w, k, false));
        if (k)
            put_num(w, ws, r, 5, (double)k->n, w->f.num);
        const sva_status_row *pk =
            !prev ? NULL
            : w->o->region ? find_row(prev, SVA_SCOPE_REGION, w->o->region, METRICS[m])
                           : find_row(prev, SVA_SCOPE_NETWORK, "", METRICS[m]);
        if (k && pk && k->has_actual && pk->has_actual)
            put_num(w, ws, r, 6, round1(k->actual - pk->actual), w->f.delta);
        r++;
    }
    (void)kpi_hdr;
    r++;
    long stores_total = cs->stores_total, stores_audited = cs->stores_audited;
    long n_audits = cs->n_audits, open = cs->actions_open, overdue = cs->actions_overdue;
    if (w->o->region)
        region_counts(w, cs, &n_audits, &stores_audited, &stores_total, &open, &overdue);
    put_str(w, ws, r, 0, "Audits", w->f.bold);
    put_num(w, ws, r, 1, (double)n_audits, w->f.num);
    put_str(w, ws, r, 2, "Stores audited", w->f.bold);
    snprintf(buf, sizeof buf, "%ld of %ld", stores_audited, stores_total);
    put_str(w, ws, r, 3, buf, NULL);
    put_str(w, ws, r, 4, "Open actions", w->f.bold);
    put_num(w, ws, r, 5, (double)open, w->f.num);
    put_str(w, ws, r, 6, "Overdue", w->f.bold);
    put_num(w, ws, r, 7, (double)overdue, overdue ? w->f.st_red : w->f.num);
    r += 2;
    /* store table */
    static const char *const th[] = {"Region",     "Store",      "Name",    "SSI",
                                     "SSI target", "SSI gap",    "SSI chg", "CSI",
                                     "CSI target", "CSI gap",    "CSI chg", "6S",
                                     "6S target",  "6S gap",     "6S chg"};
    lxw_row_t table_hdr = r;
    header(w, ws, r++, th, NULL, 15);
    lxw_row_t first_store = r;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "ssi") != 0 || !in_scope(w, s))
            continue;
        put_str(w, ws, r, 0, s->region, NULL);
        put_str(w, ws, r, 1, s->id, NULL);
        put_str(w, ws, r, 2, s->name, NULL);
        for (int m = 0; m < 3; m++) {
            const sva_status_row *x = find_row(cs, SVA_SCOPE_STORE, s->id, METRICS[m]);
            lxw_col_t c = (lxw_col_t)(3 + 4 * m);
            if (!x)
                continue;
            if (x->has_actual)
                put_num(w, ws, r, c, x->actual, status_fmt(w, x, true));
            if (x->has_target)
                put_num(w, ws, r, c + 1, x->target, w->f.pct);
            if (x->has_actual && x->has_target)
                put_num(w, ws, r, c + 2, x->gap, w->f.delta);
            const sva_status_row *p = prev ? find_row(prev, SVA_SCOPE_STORE, s->id, METRICS[m])
                                           : NULL;
            if (p && p->has_actual && x->has_actual)
                put_num(w, ws, r, c + 3, round1(x->actual - p->actual), w->f.delta);
        }
        r++;
    }
    lxw_row_t last_store = r > first_store ? r - 1 : first_store;
    worksheet_freeze_panes(ws, table_hdr + 1, 3);
    r += 1;
    /* 6S radar data: network mean and the best and worst store per section */
    lxw_row_t radar_hdr = r, radar_first = 0, radar_last = 0;
    const char *best = NULL, *worst = NULL;
    if (six && n_sm) {
        double best_v = -1, worst_v = 1e9;
        for (size_t i = 0; i < cs->n_rows; i++) {
            const sva_status_row *s = &cs->rows[i];
            if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "6s") != 0 || !s->has_actual ||
                !in_scope(w, s))
                continue;
            if (s->actual > best_v) {
                best_v = s->actual;
                best = s->id;
            }
            if (s->actual < worst_v) {
                worst_v = s->actual;
                worst = s->id;
            }
        }
        snprintf(buf, sizeof buf, "Best: %s", best ? best : "-");
        char buf2[128];
        snprintf(buf2, sizeof buf2, "Worst: %s", worst ? worst : "-");
        const char *rh[] = {"6S section", w->o->region ? "Region" : "Network", buf, buf2};
        header(w, ws, r++, rh, NULL, 4);
        radar_first = r;
        for (size_t k = 0; k < six->n_sections; k++) {
            const char *sec = six->sections[k].id;
            double sum = 0, bv = -1, wv = -1;
            long n = 0;
            for (size_t i = 0; i < n_sm; i++) {
                if (strcmp(sm[i].section, sec) != 0)
                    continue;
                sum += sm[i].pct;
                n++;
                if (best && strcmp(sm[i].store, best) == 0)
                    bv = sm[i].pct;
                if (worst && strcmp(sm[i].store, worst) == 0)
                    wv = sm[i].pct;
            }
            put_str(w, ws, r, 0, sva_i18n_get(&six->sections[k].title, w->o->lang), NULL);
            if (n)
                put_num(w, ws, r, 1, round1(sum / (double)n), w->f.pct);
            if (bv >= 0)
                put_num(w, ws, r, 2, bv, w->f.pct);
            if (wv >= 0)
                put_num(w, ws, r, 3, wv, w->f.pct);
            r++;
        }
        radar_last = r - 1;
        r++;
    }
    /* trend data: the network (or region) figure per cycle */
    lxw_row_t trend_hdr = r;
    static const char *const trh[] = {"Cycle", "SSI", "CSI", "6S"};
    header(w, ws, r++, trh, NULL, 4);
    lxw_row_t trend_first = r;
    for (size_t i = h->first; i <= h->at; i++) {
        put_str(w, ws, r, 0, h->cycles[i].id, NULL);
        for (int m = 0; m < 3; m++) {
            const sva_status_row *k =
                w->o->region ? find_row(h->st[i], SVA_SCOPE_REGION, w->o->region, METRICS[m])
                             : find_row(h->st[i], SVA_SCOPE_NETWORK, "", METRICS[m]);
            if (k && k->has_actual)
                put_num(w, ws, r, (lxw_col_t)(1 + m), k->actual, w->f.pct);
        }
        r++;
    }
    lxw_row_t trend_last = r - 1;
    (void)trend_hdr;
    (void)radar_hdr;
    if (w->err)
        return;
    /* charts, to the right of the tables */
    lxw_chart_options place = {.x_offset = 10, .y_offset = 5, .x_scale = 1.3, .y_scale = 1.1};
    lxw_row_t at = 0;
    for (int m = 0; m < 2 && last_store >= first_store && r > first_store; m++) {
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
        if (!ch)
            break;
        lxw_chart_series *a = chart_add_series(ch, NULL, NULL);
        lxw_chart_series *t = chart_add_series(ch, NULL, NULL);
        if (!a || !t)
            break;
        lxw_col_t c = (lxw_col_t)(3 + 4 * m);
        chart_series_set_categories(a, "Dashboard", first_store, 1, last_store, 1);
        chart_series_set_values(a, "Dashboard", first_store, c, last_store, c);
        chart_series_set_name(a, "Actual");
        chart_series_set_categories(t, "Dashboard", first_store, 1, last_store, 1);
        chart_series_set_values(t, "Dashboard", first_store, c + 1, last_store, c + 1);
        chart_series_set_name(t, "Target");
        snprintf(buf, sizeof buf, "%s actual vs target by store", METRIC_NAMES[m]);
        chart_title_set_name(ch, buf);
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_max(ch->y_axis, 100);
        check(w, worksheet_insert_chart_opt(ws, at, 16, ch, &place), "a chart");
        at += 18;
    }
    if (radar_last >= radar_first && radar_first) {
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_RADAR);
        if (ch) {
            for (int k = 1; k <= 3; k++) {
                if (k == 2 && !best)
                    continue;
                if (k == 3 && !worst)
                    continue;
                lxw_chart_series *sr = chart_add_series(ch, NULL, NULL);
                if (!sr)
                    break;
                chart_series_set_categories(sr, "Dashboard", radar_first, 0, radar_last, 0);
                chart_series_set_values(sr, "Dashboard", radar_first, (lxw_col_t)k, radar_last,
                                        (lxw_col_t)k);
                chart_series_set_name_range(sr, "Dashboard", radar_first - 1, (lxw_col_t)k);
            }
            chart_title_set_name(ch, "6S by section");
            check(w, worksheet_insert_chart_opt(ws, at, 16, ch, &place), "a chart");
            at += 18;
        }
    }
    if (trend_last >= trend_first) {
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_LINE);
        if (ch) {
            for (int m = 0; m < 3; m++) {
                lxw_chart_series *sr = chart_add_series(ch, NULL, NULL);
                if (!sr)
                    break;
                chart_series_set_categories(sr, "Dashboard", trend_first, 0, trend_last, 0);
                chart_series_set_values(sr, "Dashboard", trend_first, (lxw_col_t)(1 + m),
                                        trend_last, (lxw_col_t)(1 + m));
                chart_series_set_name(sr, METRIC_NAMES[m]);
            }
            chart_title_set_name(ch, "SSI, CSI and 6S over the last cycles");
            check(w, worksheet_insert_chart_opt(ws, at, 16, ch, &place), "a chart");
        }
    }
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    check(w, worksheet_repeat_rows(ws, table_hdr, table_hdr), "print titles");
}

/* ---- Stores: every status row, as `cycle status` prints it ----------------------------- */

static void stores_sheet(xw *w, const sva_cycle_status *cs)
{
    lxw_worksheet *ws = sheet(w, "Stores");
    if (!ws)
        return;
    static const char *const h[] = {"Scope",  "Id",     "Name",        "Region", "Metric",
                                    "Actual", "n",      "Target",      "From",   "Gap",
                                    "Status", "Survey", "Respondents", "Reason", "Actions"};
    static const double wd[] = {9, 10, 24, 10, 20, 9, 6, 9, 9, 8, 10, 9, 11, 8, 8};
    header(w, ws, 0, h, wd, 15);
    lxw_row_t r = 1;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope == SVA_SCOPE_NETWORK ? w->o->region != NULL : !in_scope(w, s))
            continue;
        put_str(w, ws, r, 0, sva_scope_name(s->scope), NULL);
        put_str(w, ws, r, 1, s->id, NULL);
        put_str(w, ws, r, 2, s->name, NULL);
        put_str(w, ws, r, 3, s->region, NULL);
        put_str(w, ws, r, 4, s->metric, NULL);
        if (s->has_actual)
            put_num(w, ws, r, 5, s->actual, status_fmt(w, s, true));
        put_num(w, ws, r, 6, (double)s->n, NULL);
        if (s->has_target) {
            put_num(w, ws, r, 7, s->target, w->f.pct);
            put_str(w, ws, r, 8, sva_scope_name(s->target_from), NULL);
        }
        if (s->has_actual && s->has_target)
            put_num(w, ws, r, 9, s->gap, w->f.delta);
        put_str(w, ws, r, 10, sva_target_status_name(s->status), status_fmt(w, s, false));
        if (s->has_survey) {
            put_num(w, ws, r, 11, s->survey, w->f.pct);
            put_num(w, ws, r, 12, (double)s->respondents, NULL);
        }
        if (s->scope == SVA_SCOPE_STORE) {
            put_str(w, ws, r, 13, s->has_reason ? "yes" : "", NULL);
            put_num(w, ws, r, 14, (double)s->n_actions, NULL);
        }
        r++;
    }
    finish_table(w, ws, 0, r - 1, 15);
}

/* ---- 6S heat map ------------------------------------------------------------------------ */

static void six_sheet(xw *w, const sva_cycle_status *cs, const sva_section_mean *sm, size_t n_sm,
                      const sva_checklist *six)
{
    lxw_worksheet *ws = sheet(w, "6S");
    if (!ws)
        return;
    if (!six) {
        put_str(w, ws, 0, 0, "No 6S checklist is installed.", NULL);
        return;
    }
    size_t ns = six->n_sections;
    int ncols = (int)(3 + ns + 2);
    const char **h = calloc((size_t)ncols, sizeof *h);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!h || !wd) {
        free(h);
        free(wd);
        w->err = SVA_ERR_NOMEM;
        return;
    }
    h[0] = "Region";
    h[1] = "Store";
    h[2] = "Name";
    wd[0] = 10;
    wd[1] = 10;
    wd[2] = 24;
    for (size_t k = 0; k < ns; k++) {
        h[3 + k] = sva_i18n_get(&six->sections[k].title, w->o->lang);
        wd[3 + k] = 14;
    }
    h[3 + ns] = "6S";
    h[4 + ns] = "Audits";
    wd[3 + ns] = 9;
    wd[4 + ns] = 8;
    header(w, ws, 0, h, wd, ncols);
    free(h);
    free(wd);
    lxw_row_t r = 1;
    for (size_t i = 0; i < cs->n_rows; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope != SVA_SCOPE_STORE || strcmp(s->metric, "6s") != 0 || !in_scope(w, s))
            continue;
        put_str(w, ws, r, 0, s->region, NULL);
        put_str(w, ws, r, 1, s->id, NULL);
        put_str(w, ws, r, 2, s->name, NULL);
        for (size_t k = 0; k < ns; k++)
            for (size_t j = 0; j < n_sm; j++)
                if (strcmp(sm[j].store, s->id) == 0 &&
                    strcmp(sm[j].section, six->sections[k].id) == 0)
                    put_num(w, ws, r, (lxw_col_t)(3 + k), sm[j].pct, heat(w, sm[j].pct));
        if (s->has_actual) {
            put_num(w, ws, r, (lxw_col_t)(3 + ns), s->actual, heat(w, s->actual));
            put_num(w, ws, r, (lxw_col_t)(4 + ns), (double)s->n, NULL);
        }
        r++;
    }
    finish_table(w, ws, 0, r - 1, ncols);
    worksheet_freeze_panes(ws, 1, 3);
}

/* ---- Service standards --------------------------------------------------------------- */

static lxw_format *verdict_fmt(xw *w, sva_verdict v)
{
    switch (v) {
    case SVA_VERDICT_IMPROVED: return w->f.hl_green;
    case SVA_VERDICT_DECLINED: return w->f.hl_red;
    case SVA_VERDICT_INSUFFICIENT_N: return w->f.st_grey;
    default: break;
    }
    return NULL;
}


static void standards_sheet(xw *w, const sva_item_compliance *ic, size_t n)
{
    lxw_worksheet *ws = sheet(w, "Service standards");
    if (!ws)
        return;
    static const char *const h[] = {"Rank",     "Checklist", "Section",    "Item",
                                    "Standard", "Answered",  "Passed",     "Compliance",
                                    "Stores",   "Stores failing", "Move"};
    static const double wd[] = {6, 20, 22, 28, 60, 9, 8, 11, 8, 9, 12};
    header(w, ws, 0, h, wd, 11);
    /* significant moves since the previous cycle, in the workbook's scope */
    sva_item_moves *mv = NULL;
    {
        sva_diag quiet;
        sva_diag_init(&quiet);
        if (sva_trend_items(w->db, w->o->cycle, NULL, w->o->region, &mv, &quiet) != SVA_OK)
            mv = NULL; /* the first cycle has nothing to move from */
        sva_diag_clear(&quiet);
    }
    lxw_row_t r = 1;
    for (size_t i = 0; i < n; i++) {
        const sva_item_compliance *c = &ic[i];
        const sva_checklist *cl = checklist_of(w, c->checklist, c->version);
        const char *text = "", *section = c->section;
        if (cl) {
            long k = sva_checklist_item_index(cl, c->item);
            if (k >= 0) {
                text = sva_i18n_get(&cl->items[k].text, w->o->lang);
                section = sva_i18n_get(&cl->sections[cl->items[k].section].title, w->o->lang);
            }
        }
        put_num(w, ws, r, 0, (double)(i + 1), NULL);
        put_str(w, ws, r, 1, c->checklist, NULL);
        put_str(w, ws, r, 2, section, NULL);
        put_str(w, ws, r, 3, c->item, NULL);
        put_str(w, ws, r, 4, text, w->f.wrap);
        put_num(w, ws, r, 5, (double)c->answered, NULL);
        put_num(w, ws, r, 6, (double)c->passed, NULL);
        put_num(w, ws, r, 7, c->pct, heat(w, c->pct));
        put_num(w, ws, r, 8, (double)c->stores, NULL);
        put_num(w, ws, r, 9, (double)c->stores_failing, NULL);
        for (size_t k = 0; mv && k < mv->n; k++) {
            const sva_item_move *m = &mv->items[k];
            if (strcmp(m->item, c->item) != 0 || strcmp(m->checklist, c->checklist) != 0)
                continue;
            if (m->test.verdict == SVA_VERDICT_IMPROVED || m->test.verdict == SVA_VERDICT_DECLINED)
                put_str(w, ws, r, 10, sva_verdict_name(m->test.verdict),
                        verdict_fmt(w, m->test.verdict));
            break;
        }
        r++;
    }
    sva_item_moves_free(mv);
    finish_table(w, ws, 0, r - 1, 11);
}

/* ---- Employees ------------------------------------------------------------------------- */

static void employees_sheet(xw *w, const sva_employee_score *es, size_t n)
{
    lxw_worksheet *ws = sheet(w, "Employees");
    if (!ws)
        return;
    if (w->o->employees == SVA_PRIVACY_NONE) {
        put_str(w, ws, 0, 0,
                "Per-employee results are not included in this workbook (--employees none).",
                NULL);
        return;
    }
    static const char *const h[] = {"Region", "Store",          "Employee", "Role",
                                    "Audits", "Score",          "Rank in store",
                                    "Critical fails", "Recognition"};
    static const double wd[] = {10, 10, 28, 16, 8, 9, 9, 9, 34};
    header(w, ws, 0, h, wd, 9);
    lxw_row_t r = 1;
    long min = w->o->min_audits > 0 ? w->o->min_audits : 2;
    /* the list is by store, best first: rank = place among the store's rated ones */
    long rank = 0, rated = 0;
    size_t store_start = 0;
    for (size_t i = 0; i < n; i++) {
        const sva_employee_score *e = &es[i];
        if (i == 0 || strcmp(es[i - 1].store, e->store) != 0) {
            rank = 0;
            rated = 0;
            store_start = i;
            for (size_t k = i; k < n && strcmp(es[k].store, e->store) == 0; k++)
                rated += es[k].n >= min;
        }
        (void)store_start;
        if (e->n >= min)
            rank++;
        char lbl[256];
        put_str(w, ws, r, 0, e->region, NULL);
        put_str(w, ws, r, 1, e->store, NULL);
        put_str(w, ws, r, 2, employee_label(w, e->employee, e->name, lbl, sizeof lbl), NULL);
        put_str(w, ws, r, 3, e->role, NULL);
        put_num(w, ws, r, 4, (double)e->n, NULL);
        put_num(w, ws, r, 5, e->pct, e->n >= min ? heat(w, e->pct) : w->f.pct_grey);
        if (e->n >= min)
            put_num(w, ws, r, 6, (double)rank, NULL);
        put_num(w, ws, r, 7, (double)e->failed, e->failed ? w->f.pct_red : NULL);
        char note[96];
        if (e->n < min)
            snprintf(note, sizeof note, "not rated: %ld audit%s (minimum %ld)", e->n,
                     e->n == 1 ? "" : "s", min);
        else if (rank == 1 && rated > 1)
            snprintf(note, sizeof note, "best in store");
        else
            note[0] = '\0';
        put_str(w, ws, r, 8, note,
                e->n < min ? w->f.st_grey : rank == 1 && rated > 1 ? w->f.hl_green : NULL);
        r++;
    }
    finish_table(w, ws, 0, r - 1, 9);
}

/* ---- Actions 5W1H ---------------------------------------------------------------------- */

static void actions_sheet(xw *w)
{
    lxw_worksheet *ws = sheet(w, "Actions 5W1H");
    if (!ws)
        return;
    const sva_form *form = sva_catalog_find_form(w->o->cat, "actions_5w1h");
    sva_action_filter f = {.cycle = w->o->cycle, .today = w->o->today};
    sva_action *v = NULL;
    size_t n = 0;
    sva_error rc = sva_db_action_list(w->db, &f, &v, &n, w->d);
    if (rc) {
        w->err = rc;
        return;
    }
    /* the field columns: the form's, in its order; without the form (no
     * checklists folder here), the keys the actions have, as first seen */
    size_t nk = 0;
    for (size_t i = 0; i < n; i++)
        nk += v[i].n_fields;
    size_t nf = 0;
    const char **keys = calloc((form ? form->n_fields : 0) + nk + 1, sizeof *keys);
    for (size_t k = 0; keys && form && k < form->n_fields; k++)
        keys[nf++] = form->fields[k].key;
    for (size_t i = 0; keys && !form && i < n; i++)
        for (size_t j = 0; j < v[i].n_fields; j++) {
            size_t k = 0;
            while (k < nf && strcmp(keys[k], v[i].fields[j].key) != 0)
                k++;
            if (k == nf)
                keys[nf++] = v[i].fields[j].key;
        }
    int ncols = (int)(10 + nf);
    const char **h = calloc((size_t)ncols, sizeof *h);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!h || !wd || !keys) {
        free(h);
        free(wd);
        free(keys);
        sva_actions_free(v, n);
        w->err = SVA_ERR_NOMEM;
        return;
    }
    static const char *const base[] = {"Id",     "Store", "Region",  "Metric", "About",
                                       "Status", "Owner", "Due",     "Overdue", "Carried"};
    static const double bw[] = {6, 10, 10, 12, 30, 11, 16, 11, 9, 12};
    for (int c = 0; c < 10; c++) {
        h[c] = base[c];
        wd[c] = bw[c];
    }
    for (size_t k = 0; k < nf; k++) {
        h[10 + k] = form ? sva_i18n_get(&form->fields[k].label, w->o->lang) : keys[k];
        wd[10 + k] = 30;
    }
    header(w, ws, 0, h, wd, ncols);
    free(h);
    free(wd);
    lxw_row_t r = 1;
    for (size_t i = 0; i < n; i++) {
        const sva_action *a = &v[i];
        if (w->o->region && strcmp(a->region, w->o->region) != 0)
            continue;
        char buf[256];
        put_num(w, ws, r, 0, (double)a->id, NULL);
        put_str(w, ws, r, 1, a->store, NULL);
        put_str(w, ws, r, 2, a->region, NULL);
        put_str(w, ws, r, 3, a->metric, NULL);
        if (a->checklist) {
            snprintf(buf, sizeof buf, "%s %s%s%s", a->checklist, a->item ? a->item : "",
                     a->section ? "section " : "", a->section ? a->section : "");
            put_str(w, ws, r, 4, buf, NULL);
        }
        put_str(w, ws, r, 5, sva_action_status_name(a->status),
                a->status == SVA_ACTION_VERIFIED ? w->f.hl_green
                : a->status == SVA_ACTION_REOPENED ? w->f.hl_red
                                                   : NULL);
        put_str(w, ws, r, 6, scrubbed(w, a->store, a->owner), NULL);
        put_str(w, ws, r, 7, a->due, a->overdue ? w->f.hl_red : NULL);
        put_str(w, ws, r, 8, a->overdue ? "OVERDUE" : "", w->f.hl_red);
        if (a->carried_from) {
            snprintf(buf, sizeof buf, "from #%lld", a->carried_from);
            put_str(w, ws, r, 9, buf, w->f.hl_amber);
        } else if (a->carried_to) {
            snprintf(buf, sizeof buf, "to #%lld", a->carried_to);
            put_str(w, ws, r, 9, buf, w->f.hl_amber);
        }
        for (size_t k = 0; k < nf; k++)
            for (size_t j = 0; j < a->n_fields; j++)
                if (strcmp(a->fields[j].key, keys[k]) == 0)
                    put_str(w, ws, r, (lxw_col_t)(10 + k),
                            scrubbed(w, a->store, a->fields[j].value), w->f.wrap);
        r++;
    }
    free(keys);
    sva_actions_free(v, n);
    finish_table(w, ws, 0, r - 1, ncols);
}

/* ---- Trend ----------------------------------------------------------------------------- */

/* The last change of a row and its compliance on a p-chart over the window:
 * from per-store summaries (stores) or a trend series (regions, network). */
typedef struct qa_cells {
    bool has_change;
    sva_welch change;
    bool has_pchart;
    sva_pchart_point last;
} qa_cells;

static void qa_store(const history *h, sva_store_summary **sums, const size_t *nsums,
                     const char *store, const char *metric, qa_cells *out)
{
    memset(out, 0, sizeof *out);
    size_t nc = h->at - h->first + 1;
    sva_pchart_point pts[64];
    size_t k = 0;
    for (size_t i = 0; i < nc && k < 64; i++) {
        const sva_store_summary *x = sva_store_summary_find(sums[i], nsums[i], store, metric);
        if (x && x->answered > 0) {
            memset(&pts[k], 0, sizeof pts[k]);
            pts[k].passed = x->passed;
            pts[k].n = x->answered;
            k++;
        }
    }
    sva_pchart pc;
    if (k > 0 && sva_stats_pchart(pts, k, &pc) == SVA_OK) {
        const sva_store_summary *x = sva_store_summary_find(sums[nc - 1], nsums[nc - 1], store,
                                                            metric);
        if (x && x->answered > 0) {
            out->has_pchart = true;
            out->last = pts[k - 1];
        }
    }
    if (nc >= 2) {
        const sva_store_summary *a = sva_store_summary_find(sums[nc - 2], nsums[nc - 2], store,
                                                            metric);
        const sva_store_summary *b = sva_store_summary_find(sums[nc - 1], nsums[nc - 1], store,
                                                            metric);
        if (a && b) {
            sva_summary sa = {a->mean, a->sd, a->n}, sb = {b->mean, b->sd, b->n};
            out->has_change = sva_stats_welch(&sa, &sb, SVA_STATS_ALPHA, &out->change) == SVA_OK;
        }
    }
}

static void qa_series(xw *w, const char *region, const char *metric, qa_cells *out)
{
    memset(out, 0, sizeof *out);
    int nc = (int)(w->o->trend_cycles > 0 ? w->o->trend_cycles : 6);
    sva_trend_query q = {.metric = metric, .region = region && *region ? region : NULL,
                         .last_cycle = w->o->cycle, .cycles = nc};
    sva_trend *t = NULL;
    sva_diag quiet;
    sva_diag_init(&quiet);
    if (sva_trend_series(w->db, &q, &t, &quiet) == SVA_OK && t->n > 0) {
        const sva_trend_point *p = &t->points[t->n - 1];
        if (strcmp(p->cycle, w->o->cycle) == 0) {
            out->has_change = p->has_change;
            out->change = p->change;
            out->has_pchart = p->compliance.n > 0;
            out->last = p->compliance;
        }
    }
    sva_trend_free(t);
    sva_diag_clear(&quiet);
}

static void trend_sheet(xw *w, const history *h)
{
    lxw_worksheet *ws = sheet(w, "Trend");
    if (!ws)
        return;
    size_t nc = h->at - h->first + 1;
    int ncols = (int)(4 + nc + 1 + 6);
    put_str(w, ws, 0, 0, "Scope", w->f.hdr);
    put_str(w, ws, 0, 1, "Id", w->f.hdr);
    put_str(w, ws, 0, 2, "Name", w->f.hdr);
    put_str(w, ws, 0, 3, "Metric", w->f.hdr);
    for (size_t i = 0; i < nc; i++)
        put_str(w, ws, 0, (lxw_col_t)(4 + i), h->cycles[h->first + i].id, w->f.hdr);
    lxw_col_t c0 = (lxw_col_t)(4 + nc);
    static const char *const qh[] = {"Change", "Verdict", "p", "Compliance", "LCL", "UCL",
                                     "Control"};
    for (int k = 0; k < 7; k++)
        put_str(w, ws, 0, (lxw_col_t)(c0 + k), qh[k], w->f.hdr);
    check(w, worksheet_set_column(ws, 0, 1, 10, NULL), "column widths");
    check(w, worksheet_set_column(ws, 2, 2, 24, NULL), "column widths");
    check(w, worksheet_set_column(ws, 3, (lxw_col_t)(c0), 10, NULL), "column widths");
    check(w, worksheet_set_column(ws, c0 + 1, c0 + 1, 20, NULL), "column widths");
    check(w, worksheet_set_column(ws, c0 + 2, c0 + 5, 10, NULL), "column widths");
    check(w, worksheet_set_column(ws, c0 + 6, c0 + 6, 14, NULL), "column widths");
    lxw_row_t chart_row[3] = {0, 0, 0};
    /* per-store summaries of each cycle in the window: one query per cycle */
    sva_store_summary *sums[64] = {0};
    size_t nsums[64] = {0};
    for (size_t i = 0; i < nc && i < 64 && !w->err; i++)
        if (sva_analysis_store_summaries(w->db, h->cycles[h->first + i].id, w->o->region,
                                         &sums[i], &nsums[i], w->d))
            w->err = SVA_ERR_DB;
    const sva_cycle_status *cs = h->st[h->at];
    lxw_row_t r = 1;
    for (size_t i = 0; i < cs->n_rows && !w->err; i++) {
        const sva_status_row *s = &cs->rows[i];
        if (s->scope == SVA_SCOPE_NETWORK ? w->o->region != NULL : !in_scope(w, s))
            continue;
        put_str(w, ws, r, 0, sva_scope_name(s->scope), NULL);
        put_str(w, ws, r, 1, s->id, NULL);
        put_str(w, ws, r, 2, s->name, NULL);
        put_str(w, ws, r, 3, s->metric, NULL);
        /* the rows the charts draw: the network's (or the region's) per metric */
        bool top = w->o->region ? s->scope == SVA_SCOPE_REGION : s->scope == SVA_SCOPE_NETWORK;
        for (int m = 0; top && m < 3; m++)
            if (strcmp(s->metric, METRICS[m]) == 0)
                chart_row[m] = r;
        const sva_status_row *last = NULL, *before = NULL;
        for (size_t k = 0; k < nc; k++) {
            const sva_status_row *x = find_row(h->st[h->first + k], s->scope, s->id, s->metric);
            if (x && x->has_actual) {
                put_num(w, ws, r, (lxw_col_t)(4 + k), x->actual, w->f.pct);
                before = last;
                last = x;
            }
        }
        if (last && before && last == s)
            put_num(w, ws, r, c0, round1(last->actual - before->actual), w->f.delta);
        qa_cells q;
        if (s->scope == SVA_SCOPE_STORE && nc <= 64)
            qa_store(h, sums, nsums, s->id, s->metric, &q);
        else
            qa_series(w, s->scope == SVA_SCOPE_REGION ? s->id : NULL, s->metric, &q);
        if (q.has_change) {
            put_str(w, ws, r, c0 + 1, sva_verdict_name(q.change.verdict),
                    verdict_fmt(w, q.change.verdict));
            if (q.change.verdict != SVA_VERDICT_INSUFFICIENT_N)
                put_num(w, ws, r, c0 + 2, q.change.p_value, NULL);
        }
        if (q.has_pchart) {
            put_num(w, ws, r, c0 + 3, round1(q.last.p * 100), w->f.pct);
            put_num(w, ws, r, c0 + 4, round1(q.last.lcl * 100), w->f.pct);
            put_num(w, ws, r, c0 + 5, round1(q.last.ucl * 100), w->f.pct);
            put_str(w, ws, r, c0 + 6,
                    q.last.insufficient ? "insufficient n" : sva_pchart_signal_name(q.last.signal),
                    q.last.insufficient               ? w->f.st_grey
                    : q.last.signal == SVA_PCHART_BELOW ? w->f.hl_red
                    : q.last.signal == SVA_PCHART_ABOVE ? w->f.hl_green
                                                        : NULL);
        }
        r++;
    }
    for (size_t i = 0; i < nc && i < 64; i++)
        sva_store_summaries_free(sums[i], nsums[i]);
    finish_table(w, ws, 0, r - 1, ncols);
    worksheet_freeze_panes(ws, 1, 4);
    /* a chart per metric: the network's (or the region's) figure over the cycles */
    lxw_chart_options place = {.x_offset = 10, .y_offset = 5, .x_scale = 1.0, .y_scale = 0.9};
    for (int m = 0; m < 3 && !w->err; m++) {
        if (!chart_row[m])
            continue;
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_LINE);
        lxw_chart_series *sr = ch ? chart_add_series(ch, NULL, NULL) : NULL;
        if (!sr)
            break;
        chart_series_set_categories(sr, "Trend", 0, 4, 0, (lxw_col_t)(4 + nc - 1));
        chart_series_set_values(sr, "Trend", chart_row[m], 4, chart_row[m],
                                (lxw_col_t)(4 + nc - 1));
        chart_series_set_name(sr, METRIC_NAMES[m]);
        char title[96];
        snprintf(title, sizeof title, "%s over the last cycles (%s)", METRIC_NAMES[m],
                 w->o->region ? w->o->region : "network");
        chart_title_set_name(ch, title);
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_max(ch->y_axis, 100);
        check(w, worksheet_insert_chart_opt(ws, (lxw_row_t)(1 + 16 * m), (lxw_col_t)(c0 + 8), ch,
                                            &place),
              "a chart");
    }
}

/* ---- Repeats and Auditors (QA) ----------------------------------------------------------- */

static void repeats_sheet(xw *w)
{
    lxw_worksheet *ws = sheet(w, "Repeats");
    if (!ws)
        return;
    static const char *const h[] = {"Store",  "Region",   "Checklist", "Item",    "Cycles",
                                    "In a row", "Failed", "Answered",  "Actions", "Escalate"};
    static const double wd[] = {10, 10, 20, 28, 30, 8, 8, 9, 8, 10};
    header(w, ws, 0, h, wd, 10);
    sva_repeat *v = NULL;
    size_t n = 0;
    if (sva_trend_repeats(w->db, w->o->cycle, &v, &n, w->d)) {
        w->err = SVA_ERR_DB;
        return;
    }
    lxw_row_t r = 1;
    for (size_t i = 0; i < n; i++) {
        const sva_repeat *x = &v[i];
        if (w->o->region && strcmp(x->region ? x->region : "", w->o->region) != 0)
            continue;
        sva_buf cyc = {0};
        for (size_t k = 0; k < x->n_cycles; k++)
            sva_buf_printf(&cyc, "%s%s", k ? ", " : "", x->cycles[k]);
        put_str(w, ws, r, 0, x->store, NULL);
        put_str(w, ws, r, 1, x->region, NULL);
        put_str(w, ws, r, 2, x->checklist, NULL);
        put_str(w, ws, r, 3, x->item, NULL);
        put_str(w, ws, r, 4, cyc.data, NULL);
        put_num(w, ws, r, 5, (double)x->n_cycles, NULL);
        put_num(w, ws, r, 6, (double)x->failed, NULL);
        put_num(w, ws, r, 7, (double)x->answered, NULL);
        put_num(w, ws, r, 8, (double)x->n_actions, x->n_actions ? NULL : w->f.pct_red);
        put_str(w, ws, r, 9, x->escalate ? "ESCALATE" : "", w->f.hl_red);
        sva_buf_free(&cyc);
        r++;
    }
    sva_repeats_free(v, n);
    finish_table(w, ws, 0, r - 1, 10);
}

static void auditors_sheet(xw *w)
{
    lxw_worksheet *ws = sheet(w, "Auditors");
    if (!ws)
        return;
    static const char *const h[] = {"Auditor",     "Audits",    "Compared", "Mean",
                                    "SD",          "Others mean", "Others SD", "Others n",
                                    "Difference",  "p",         "Verdict"};
    static const double wd[] = {20, 8, 9, 9, 8, 11, 9, 9, 10, 9, 16};
    header(w, ws, 0, h, wd, 11);
    sva_auditor_row *v = NULL;
    size_t n = 0;
    /* over every recorded cycle: one cycle rarely has enough audits per auditor */
    if (sva_trend_auditors(w->db, NULL, &v, &n, w->d)) {
        w->err = SVA_ERR_DB;
        return;
    }
    lxw_row_t r = 1;
    for (size_t i = 0; i < n; i++) {
        const sva_auditor_row *x = &v[i];
        put_str(w, ws, r, 0, x->auditor, NULL);
        put_num(w, ws, r, 1, (double)x->audits, NULL);
        put_num(w, ws, r, 2, (double)x->own.n, NULL);
        if (x->own.n) {
            put_num(w, ws, r, 3, round1(x->own.mean), w->f.pct);
            put_num(w, ws, r, 4, round1(x->own.sd), NULL);
        }
        if (x->others.n) {
            put_num(w, ws, r, 5, round1(x->others.mean), w->f.pct);
            put_num(w, ws, r, 6, round1(x->others.sd), NULL);
        }
        put_num(w, ws, r, 7, (double)x->others.n, NULL);
        if (x->own.n && x->others.n)
            put_num(w, ws, r, 8, round1(x->cmp.diff), w->f.delta);
        if (x->cmp.verdict != SVA_VERDICT_INSUFFICIENT_N)
            put_num(w, ws, r, 9, x->cmp.test.p_value, NULL);
        put_str(w, ws, r, 10, sva_verdict_name(x->cmp.verdict),
                x->cmp.verdict == SVA_VERDICT_LENIENT || x->cmp.verdict == SVA_VERDICT_STRICT
                    ? w->f.hl_amber
                : x->cmp.verdict == SVA_VERDICT_INSUFFICIENT_N ? w->f.st_grey
                                                                : NULL);
        r++;
    }
    sva_auditor_rows_free(v, n);
    finish_table(w, ws, 0, r - 1, 11);
}

/* ---- Audits ------------------------------------------------------------------------------ */

typedef struct audits_ctx {
    xw *w;
    lxw_worksheet *ws;
    lxw_row_t r;
} audits_ctx;

/* The first nine columns of an Audits or a Data row: what identifies the
 * audit. Numbers in @p fnum, texts in @p ftext (NULL: General). */
static void audit_cells(xw *w, lxw_worksheet *ws, lxw_row_t r, long long id, const char *date,
                        const char *cycle, const char *region, const char *store,
                        const char *employee, const char *checklist, long version,
                        const char *auditor, lxw_format *fnum, lxw_format *ftext)
{
    char lbl[64];
    num_cell(w, ws, r, 0, (double)id, fnum);
    str_cell(w, ws, r, 1, date, ftext);
    str_cell(w, ws, r, 2, cycle, ftext);
    str_cell(w, ws, r, 3, region, ftext);
    str_cell(w, ws, r, 4, store, ftext);
    str_cell(w, ws, r, 5, employee_label(w, employee, NULL, lbl, sizeof lbl), ftext);
    str_cell(w, ws, r, 6, checklist, ftext);
    num_cell(w, ws, r, 7, (double)version, fnum);
    str_cell(w, ws, r, 8, auditor, ftext);
}

static int audit_row(const sva_audit *a, void *user)
{
    audits_ctx *c = user;
    xw *w = c->w;
    lxw_worksheet *ws = c->ws;
    lxw_row_t r = c->r++;
    audit_cells(w, ws, r, a->id, a->date, a->cycle, a->region, a->store, a->employee,
                a->checklist, a->version, a->auditor, w->f.num, w->f.text);
    if (a->scorable) /* as `audit list` shows it */
        put_num(w, ws, r, 9, round1(a->pct), a->failed ? w->f.pct_red : w->f.pct);
    put_str(w, ws, r, 10, a->failed ? "FAILED" : "", w->f.hl_red);
    put_num(w, ws, r, 11, (double)a->n_items, NULL);
    put_num(w, ws, r, 12, (double)a->n_na, NULL);
    return w->err ? 1 : 0;
}

/* One row per audit, streamed from the database (any number of audits). */
static void audits_sheet(xw *w)
{
    lxw_worksheet *ws = sheet(w, "Audits");
    if (!ws)
        return;
    static const char *const h[] = {"Id",        "Date",    "Cycle",   "Region", "Store",
                                    "Employee",  "Checklist", "Version", "Auditor", "Score",
                                    "Failed",    "Items",   "N/A"};
    static const double wd[] = {7, 11, 9, 10, 10, 26, 22, 8, 16, 9, 8, 7, 6};
    header(w, ws, 0, h, wd, 13);
    sva_audit_filter f = {.cycle = w->o->cycle, .region = w->o->region};
    audits_ctx c = {w, ws, 1};
    sva_error rc = sva_db_audit_each(w->db, &f, audit_row, &c, w->d);
    if (rc && !w->err)
        w->err = rc;
    finish_table(w, ws, 0, c.r - 1, 13);
}

/* ---- Data: one row per answered item, across as many sheets as it needs ------------------ */

typedef struct data_ctx {
    xw *w;
    lxw_worksheet *ws;
    lxw_row_t row;
    int sheets;
} data_ctx;

static const char *const DATA_H[] = {"Audit",  "Date",   "Cycle",   "Region", "Store",
                                     "Employee", "Checklist", "Version", "Auditor", "Section",
                                     "Item",   "Answer", "N/A",     "Points", "Max",
                                     "Passed", "Note",   "Evidence"};
static const double DATA_W[] = {7, 11, 9, 10, 10, 14, 20, 8, 14, 16, 26, 7, 5, 7, 6, 7, 40, 20};

static void data_finish(data_ctx *c)
{
    if (c->ws)
        finish_table(c->w, c->ws, 0, c->row - 1, 18);
}

static int data_row(const sva_answer_row *a, void *user)
{
    data_ctx *c = user;
    xw *w = c->w;
    if (!c->ws || c->row >= MAX_ROWS) {
        data_finish(c);
        char name[32];
        c->sheets++;
        if (c->sheets == 1)
            snprintf(name, sizeof name, "Data");
        else
            snprintf(name, sizeof name, "Data %d", c->sheets);
        c->ws = sheet(w, name);
        if (!c->ws)
            return 1;
        header(w, c->ws, 0, DATA_H, DATA_W, 18);
        c->row = 1;
    }
    lxw_worksheet *ws = c->ws;
    lxw_row_t r = c->row++;
    audit_cells(w, ws, r, a->audit, a->date, a->cycle, a->region, a->store, a->employee,
                a->checklist, a->version, a->auditor, NULL, NULL);
    str_cell(w, ws, r, 9, a->section, NULL);
    str_cell(w, ws, r, 10, a->item, NULL);
    if (!a->na)
        num_cell(w, ws, r, 11, a->value, NULL);
    num_cell(w, ws, r, 12, a->na ? 1 : 0, NULL);
    num_cell(w, ws, r, 13, a->points, NULL);
    num_cell(w, ws, r, 14, a->max, NULL);
    if (a->passed >= 0)
        num_cell(w, ws, r, 15, a->passed, NULL);
    str_cell(w, ws, r, 16, scrubbed(w, a->store, a->note), NULL);
    str_cell(w, ws, r, 17, scrubbed(w, a->store, a->evidence), NULL);
    return w->err ? 1 : 0;
}

/* ---- the whole workbook ------------------------------------------------------------------ */

static const sva_checklist *six_checklist(const sva_catalog *cat)
{
    for (size_t i = 0; cat && i < cat->n_checklists; i++)
        if (cat->checklists[i]->index == SVA_INDEX_6S)
            return cat->checklists[i];
    return NULL;
}

sva_error sva_export_workbook(sva_db *db, const sva_export_opts *o, sva_diag *d)
{
    xw w = {.db = db, .o = o, .d = d};
    history h;
    sva_error rc = history_load(&w, &h);
    sva_section_mean *sm = NULL;
    size_t n_sm = 0;
    sva_item_compliance *ic = NULL;
    size_t n_ic = 0;
    sva_employee_score *es = NULL;
    size_t n_es = 0;
    char *tmp = NULL, *dir = NULL;
    /* the 6S checklist the cycle's audits used (its sections as they were), else
     * the catalog's */
    sva_checklist *six_used = NULL;
    const sva_checklist *six = six_checklist(o->cat);
    if (!rc) {
        sva_diag quiet;
        sva_diag_init(&quiet);
        if (sva_db_checklist_used(db, o->cycle, NULL, 0, "6s", &six_used, &quiet) == SVA_OK)
            six = six_used;
        sva_diag_clear(&quiet);
    }
    if (!rc && six)
        rc = sva_analysis_section_means(db, o->cycle, six->id, o->region, &sm, &n_sm, d);
    if (!rc)
        rc = sva_analysis_item_compliance(db, o->cycle, o->region, &ic, &n_ic, d);
    if (!rc && o->employees != SVA_PRIVACY_NONE)
        rc = sva_analysis_employee_scores(db, o->cycle, o->region, &es, &n_es, d);
    if (rc)
        goto out;
    w.salt = o->salt ? sva_strdup(o->salt) : sva_db_meta_get(db, "pseudonym_salt");
    /* the temporary file beside the target, so the rename stays on one file
     * system (what killed exports left there goes first) */
    tmp = sva_replace_begin(o->path, ".xlsx");
    char *copy = sva_strdup(o->path);
    dir = copy ? sva_strdup(dirname(copy)) : NULL;
    free(copy);
    if (!tmp || !dir) {
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    if (access(dir, W_OK) != 0) {
        /* before libxlsxwriter, which would print its own error line */
        sva_diag_add(d, o->path, 0, "cannot write there: %s", strerror(errno));
        rc = SVA_ERR_IO;
        goto out;
    }
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = dir,
                                 .use_zip64 = LXW_TRUE};
    w.wb = workbook_new_opt(tmp, &opts);
    if (!w.wb) {
        sva_diag_add(d, o->path, 0, "cannot create the workbook: %s", strerror(errno));
        rc = SVA_ERR_IO;
        goto out;
    }
    make_formats(&w);
    char title[128], comments[256];
    snprintf(title, sizeof title, "Service audit, cycle %s", o->cycle);
    snprintf(comments, sizeof comments, "Made by svcaudit %s from %s%s%s", SVA_VERSION,
             o->cycle, o->region ? ", region " : "", o->region ? o->region : "");
    lxw_doc_properties props = {.title = title,
                                .subject = "Mystery shopping and 6S audit results against "
                                           "SSI, CSI and 6S targets",
                                .author = "svcaudit",
                                .category = "PDCA cycle report",
                                .keywords = "6S, SSI, CSI, PDCA, mystery shopping",
                                .comments = comments,
                                .status = "generated"};
    check(&w, workbook_set_properties(w.wb, &props), "document properties");
    dashboard(&w, &h, sm, n_sm, six);
    stores_sheet(&w, h.st[h.at]);
    six_sheet(&w, h.st[h.at], sm, n_sm, six);
    standards_sheet(&w, ic, n_ic);
    employees_sheet(&w, es, n_es);
    actions_sheet(&w);
    trend_sheet(&w, &h);
    audits_sheet(&w);
    repeats_sheet(&w);
    auditors_sheet(&w);
    if (o->data && !w.err) {
        data_ctx dc = {&w, NULL, 0, 0};
        sva_error e = sva_db_answer_rows(db, o->cycle, o->region, data_row, &dc, d);
        if (e && !w.err)
            w.err = e;
        if (!w.err && !dc.ws) { /* no answers: still an (empty) Data sheet */
            dc.ws = sheet(&w, "Data");
            if (dc.ws)
                header(&w, dc.ws, 0, DATA_H, DATA_W, 18);
            dc.row = 1;
        }
        data_finish(&dc);
    }
    lxw_error ce = workbook_close(w.wb);
    w.wb = NULL;
    if (!w.err && ce != LXW_NO_ERROR) {
        sva_diag_add(d, o->path, 0, "cannot write the workbook: %s", lxw_strerror(ce));
        w.err = SVA_ERR_IO;
    }
    rc = w.err;
    if (!rc)
        rc = sva_xlsx_check(tmp, o->path, d);
    if (!rc) /* on disk before it takes the old file's place */
        rc = sva_replace_commit(tmp, o->path, d);
out:
    if (w.wb)
        workbook_close(w.wb);
    if (tmp && rc)
        unlink(tmp);
    free(tmp);
    free(dir);
    free(w.salt);
    sva_section_means_free(sm, n_sm);
    sva_item_compliance_free(ic, n_ic);
    sva_employee_scores_free(es, n_es);
    history_free(&h);
    used_free(&w);
    sva_checklist_free(six_used);
    free(w.scrub_store);
    sva_employees_free(w.scrub_emp, w.n_scrub);
    sva_buf_free(&w.scrub_buf);
    return rc;
}

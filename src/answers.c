/* svcaudit: answer sheets (INI or CSV): writing templates and filled-in sheets,
 * reading them back for a checklist with every problem reported as file:line. */
#include "svcaudit/answers.h"
#include "csv.h"
#include "ini.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- answers ----------------------------------------------------------------- */

void sva_item_allowed(const sva_item *it, char *buf, size_t size)
{
    if (it->scale.kind == SVA_SCALE_YESNO)
        snprintf(buf, size, "yes | no%s", it->na ? " | na" : "");
    else
        snprintf(buf, size, "0..%d%s", it->scale.max, it->na ? " | na" : "");
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A cut at most @p max bytes into s (which has more than max bytes) that does not split a UTF-8 character. */
static size_t utf8_cut(const char *s, size_t max)
{
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* s without surrounding ASCII blanks: start in *b, length returned. */
static size_t trim_span(const char *s, const char **b)
{
    while (*s && is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_blank(s[n - 1]))
        n--;
    *b = s;
    return n;
}

/* malloc'd trimmed copy of s, lower-cased (ASCII) when asked; NULL on OOM. */
static char *dup_trim(const char *s, bool lower_case)
{
    const char *b;
    size_t n = trim_span(s, &b);
    char *p = sva_strndup(b, n);
    for (size_t i = 0; p && i < n; i++)
        if (lower_case)
            p[i] = lower(p[i]);
    return p;
}

static bool all_blank(const char *s)
{
    const char *b;
    return trim_span(s, &b) == 0;
}

/* Is s, without surrounding blanks, @p word (lower-case) in any letter case? */
static bool is_word(const char *s, const char *word)
{
    const char *b;
    size_t n = trim_span(s, &b);
    if (n != strlen(word))
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(b[i]) != word[i])
            return false;
    return true;
}

/* Answers are matched case-insensitively: "Yes", "N/A". Only the fields
 * answered, na and value of *a are set (note and evidence are left alone). */
bool sva_answer_parse(const sva_item *it, const char *text, sva_answer *a)
{
    if (!text)
        return false;
    const char *b;
    size_t n = trim_span(text, &b);
    char w[8];
    if (n == 0 || n >= sizeof w)
        return false;
    for (size_t i = 0; i < n; i++)
        w[i] = lower(b[i]);
    w[n] = '\0';
    if (strcmp(w, "na") == 0 || strcmp(w, "n/a") == 0) {
        a->answered = true;
        a->na = true;
        a->value = 0;
        return true;
    }
    int v = -1;
    if (it->scale.kind == SVA_SCALE_YESNO) {
        if (strcmp(w, "yes") == 0 || strcmp(w, "y") == 0 || strcmp(w, "1") == 0)
            v = 1;
        else if (strcmp(w, "no") == 0 || strcmp(w, "n") == 0 || strcmp(w, "0") == 0)
            v = 0;
    } else {
        long x = 0;
        size_t i = 0;
        while (i < n && w[i] >= '0' && w[i] <= '9')
            x = x * 10 + (w[i++] - '0'); /* at most 7 digits: no overflow */
        if (i == n && x <= it->scale.max)
            v = (int)x;
    }
    if (v < 0)
        return false;
    a->answered = true;
    a->na = false;
    a->value = v;
    return true;
}

void sva_answer_format(const sva_item *it, const sva_answer *a, char *buf, size_t size)
{
    if (!size)
        return;
    if (!a || !a->answered)
        buf[0] = '\0';
    else if (a->na)
        snprintf(buf, size, "na");
    else if (it->scale.kind == SVA_SCALE_YESNO)
        snprintf(buf, size, "%s", a->value ? "yes" : "no");
    else
        snprintf(buf, size, "%d", a->value);
}

/* ---- reading ----------------------------------------------------------------- */

/* The header fields, in the order the templates write them. */
enum { H_CHECKLIST, H_VERSION, H_STORE, H_EMPLOYEE, H_CYCLE, H_AUDITOR, H_DATE, H_COUNT };
static const char *const HEADER_KEYS[H_COUNT] = {"checklist", "version", "store", "employee",
                                                 "cycle",     "auditor", "date"};

static char **header_slot(sva_sheet_header *h, int i)
{
    switch (i) {
    case H_CHECKLIST: return &h->checklist;
    case H_STORE: return &h->store;
    case H_EMPLOYEE: return &h->employee;
    case H_CYCLE: return &h->cycle;
    case H_AUDITOR: return &h->auditor;
    case H_DATE: return &h->date;
    default: return NULL;
    }
}

static const char *header_get(const sva_sheet_header *h, int i)
{
    if (!h)
        return NULL;
    switch (i) {
    case H_CHECKLIST: return h->checklist;
    case H_STORE: return h->store;
    case H_EMPLOYEE: return h->employee;
    case H_CYCLE: return h->cycle;
    case H_AUDITOR: return h->auditor;
    case H_DATE: return h->date;
    default: return NULL;
    }
}

/* One item's entry as written: [item.ID] in INI, a row in CSV. Its texts are
 * the INI file's (kept in raw->ini) or, in CSV, copies of its own. */
typedef struct sheet_entry {
    char *item;        /* the id as written (CSV: trimmed, lower-cased) */
    int line;          /* of [item.ID] or of the row */
    char *answer;      /* NULL: no answer key or column */
    int answer_line;
    char *note;        /* NULL: none, or empty */
    char *evidence;
    bool bad;          /* a problem in it was reported while reading */
} sheet_entry;

/* What reading leaves for binding. */
struct sva_sheet_raw {
    sheet_entry *v;
    size_t n, cap;
    int hline[H_COUNT];  /* line of each header field, 0 = not seen */
    bool version_bad;    /* 'version' was given but is not a number */
    bool no_table;       /* CSV: no item rows (why is in no_table_msg, or said already) */
    const char *no_table_msg;
    sva_ini *ini;        /* an INI sheet's reading, which its entries point into */
};

/* A sheet, what reading leaves for binding and its name: one allocation. */
typedef struct sheet_block {
    sva_sheet s;
    struct sva_sheet_raw raw;
    char name[];
} sheet_block;

/* ---- freeing ----------------------------------------------------------------- */

void sva_sheet_header_free(sva_sheet_header *h)
{
    if (!h)
        return;
    free(h->checklist);
    free(h->store);
    free(h->employee);
    free(h->cycle);
    free(h->auditor);
    free(h->date);
    memset(h, 0, sizeof *h);
}

void sva_sheet_free(sva_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->answers && i < s->n; i++) {
        free(s->answers[i].note);
        free(s->answers[i].evidence);
    }
    free(s->answers); /* lines and flagged are in its block (sva_sheet_bind) */
    if (s->raw) {
        for (size_t i = 0; !s->raw->ini && i < s->raw->n; i++) {
            free(s->raw->v[i].item);
            free(s->raw->v[i].answer);
            free(s->raw->v[i].note);
            free(s->raw->v[i].evidence);
        }
        free(s->raw->v);
        sva_ini_free(s->raw->ini);
    }
    sva_sheet_header_free(&s->header);
    free(s); /* with its raw and name (sheet_block) */
}

/* A reading: where problems go and how many of each kind there were.
 * syntax: the file cannot be read as a sheet (SVA_ERR_PARSE);
 * invalid: it can, but breaks a rule of the checklist (SVA_ERR_INVALID). */
typedef struct reader {
    const char *name;
    sva_diag *d;
    sva_sheet *s;
    struct sva_sheet_raw *raw;
    bool header_only;    /* item entries are not looked at */
    size_t syntax, invalid;
    bool oom, io;
} reader;

#define SYNTAX(r, line, ...)                                                                  \
    do {                                                                                      \
        sva_diag_add((r)->d, (r)->name, (line), __VA_ARGS__);                                 \
        (r)->syntax++;                                                                        \
    } while (0)
#define INVALID(r, line, ...)                                                                 \
    do {                                                                                      \
        sva_diag_add((r)->d, (r)->name, (line), __VA_ARGS__);                                 \
        (r)->invalid++;                                                                       \
    } while (0)

static sva_error reader_result(const reader *r)
{
    if (r->oom)
        return SVA_ERR_NOMEM;
    if (r->io)
        return SVA_ERR_IO;
    if (r->syntax)
        return SVA_ERR_PARSE;
    return r->invalid ? SVA_ERR_INVALID : SVA_OK;
}

/* A positive whole number of at most 9 digits (no sign, no spaces). */
static bool parse_version(const char *s, long *out)
{
    long v = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n >= 9)
            return false;
        v = v * 10 + (s[n] - '0');
    }
    if (n == 0 || v < 1)
        return false;
    *out = v;
    return true;
}

/* One header field: key (already lower-case) = value (trimmed here). */
static void header_set(reader *r, const char *key, const char *value, int line, bool ini)
{
    sva_sheet_header *h = &r->s->header;
    int i = 0;
    while (i < H_COUNT && strcmp(key, HEADER_KEYS[i]) != 0)
        i++;
    if (i == H_COUNT) {
        if (ini)
            SYNTAX(r, line,
                   "unknown key '%s' in [audit] (want checklist, version, store, employee, "
                   "cycle, auditor, date)",
                   key);
        else
            SYNTAX(r, line,
                   "unknown header field '%s' (want checklist, version, store, employee, "
                   "cycle, auditor, date, then the item header row)",
                   key);
        return;
    }
    if (r->raw->hline[i]) {
        INVALID(r, line, "duplicate header field '%s' (first at line %d)", key, r->raw->hline[i]);
        return;
    }
    r->raw->hline[i] = line;
    switch (i) { /* the line, even of an empty value: "employee =" says where to write it */
    case H_CHECKLIST: h->line_checklist = line; break;
    case H_STORE: h->line_store = line; break;
    case H_EMPLOYEE: h->line_employee = line; break;
    case H_CYCLE: h->line_cycle = line; break;
    case H_AUDITOR: h->line_auditor = line; break;
    case H_DATE: h->line_date = line; break;
    default: break;
    }
    char *v = dup_trim(value, false);
    if (!v) {
        r->oom = true;
        return;
    }
    if (!*v) {
        free(v);
        return;
    }
    if (i == H_VERSION) {
        if (!parse_version(v, &h->version)) {
            INVALID(r, line, "bad version '%s' (want a whole number from 1)", v);
            r->raw->version_bad = true;
        }
        free(v);
        return;
    }
    char **slot = header_slot(h, i);
    free(*slot);
    *slot = v;
}

/* A new entry for item @p id at @p line, copied (trimmed; lower-cased when
 * asked) or, with @p borrow, the INI file's (a section name: trimmed);
 * NULL when out of memory. */
static sheet_entry *entry_add(reader *r, const char *id, bool lower_case, bool borrow, int line)
{
    struct sva_sheet_raw *raw = r->raw;
    if (raw->n == raw->cap) {
        size_t cap = raw->cap ? raw->cap * 2 : 64;
        sheet_entry *v = realloc(raw->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return NULL;
        }
        raw->v = v;
        raw->cap = cap;
    }
    sheet_entry *e = &raw->v[raw->n];
    memset(e, 0, sizeof *e);
    e->item = borrow ? (char *)id : dup_trim(id, lower_case);
    if (!e->item) {
        r->oom = true;
        return NULL;
    }
    e->line = line;
    raw->n++;
    return e;
}

/* Keep @p text in *slot (a copy); empty = NULL (keep_empty: "" kept as ""). */
static void keep(reader *r, char **slot, const char *text, bool keep_empty)
{
    if (!text || (!*text && !keep_empty))
        return;
    free(*slot);
    if (!(*slot = sva_strdup(text)))
        r->oom = true;
}

/* -- INI sheets -- */

/* keep, pointing at @p text (a value of the INI file, kept with the sheet:
 * raw->ini) instead of a copy; a key is in a section once (the INI reader). */
static void borrow(char **slot, char *text, bool keep_empty)
{
    if (text && (*text || keep_empty))
        *slot = text;
}

static void ini_item(reader *r, sva_ini_section *sec)
{
    /* a section name has no blanks (the INI reader): the id as written */
    sheet_entry *e = entry_add(r, sec->name + 5, false, true, sec->line);
    if (!e)
        return;
    for (size_t k = 0; k < sec->n; k++) {
        sva_ini_entry *en = &sec->entries[k];
        if (strcmp(en->key, "answer") == 0) {
            borrow(&e->answer, en->value, true);
            e->answer_line = en->line;
        } else if (strcmp(en->key, "note") == 0) {
            borrow(&e->note, en->value, false);
        } else if (strcmp(en->key, "evidence") == 0) {
            borrow(&e->evidence, en->value, false);
        } else {
            SYNTAX(r, en->line, "unknown key '%s' in [%s] (want answer, note, evidence)",
                   en->key, sec->name);
            e->bad = true;
        }
    }
}

/* What the INI reader gave (@p rc, @p ini, which the sheet keeps) into the sheet. */
static void read_ini_done(reader *r, sva_ini *ini, sva_error rc)
{
    if (rc == SVA_ERR_NOMEM)
        r->oom = true;
    else if (rc == SVA_ERR_IO)
        r->io = true;
    else if (rc != SVA_OK) {
        r->syntax++;
        r->s->incomplete = true; /* the lines in error are left out of ini */
    }
    if (!ini)
        return;
    const sva_ini_section *audit = sva_ini_section_get(ini, "audit");
    for (size_t k = 0; audit && k < audit->n; k++)
        header_set(r, audit->entries[k].key, audit->entries[k].value, audit->entries[k].line,
                   true);
    for (size_t k = 0; !r->header_only && k < ini->n && !r->oom; k++) {
        sva_ini_section *sec = &ini->secs[k];
        if (strcmp(sec->name, "audit") == 0)
            continue;
        if (strncmp(sec->name, "item.", 5) == 0)
            ini_item(r, sec);
        else
            SYNTAX(r, sec->line, "unknown section [%s] (an answer sheet has [audit] and [item.ID])",
                   sec->name);
    }
    r->raw->ini = ini;
}

static void read_ini(reader *r, const char *data, size_t len)
{
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse(r->name, data, len, &ini, r->d);
    read_ini_done(r, ini, rc);
}

/* -- CSV sheets -- */

enum { C_ITEM, C_ANSWER, C_NOTE, C_EVIDENCE, C_COUNT };
static const char *const COLUMNS[C_COUNT] = {"item", "answer", "note", "evidence"};
/* Template columns a spreadsheet user may keep; their content is not read. */
static const char *const IGNORED_COLUMNS[] = {"section", "text",      "allowed",
                                              "critical", "note_rule", NULL};

static bool row_blank(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!all_blank(f[i]))
            return false;
    return true;
}

static const char *cell(char **f, size_t n, int col)
{
    return col >= 0 && (size_t)col < n ? f[col] : "";
}

/* The item header row: which column holds what. false = unusable (reported). */
static bool csv_columns(reader *r, char **f, size_t n, int line, int col[C_COUNT])
{
    size_t before = r->syntax;
    for (int k = 0; k < C_COUNT; k++)
        col[k] = -1;
    for (size_t j = 0; j < n && !r->oom; j++) {
        char *nm = dup_trim(f[j], true);
        if (!nm) {
            r->oom = true;
            break;
        }
        int k = 0;
        while (k < C_COUNT && strcmp(nm, COLUMNS[k]) != 0)
            k++;
        if (k < C_COUNT) {
            if (col[k] >= 0)
                SYNTAX(r, line, "duplicate column '%s' (columns %d and %zu)", nm, col[k] + 1,
                       j + 1);
            else
                col[k] = (int)j;
        } else if (*nm) {
            size_t g = 0;
            while (IGNORED_COLUMNS[g] && strcmp(nm, IGNORED_COLUMNS[g]) != 0)
                g++;
            if (!IGNORED_COLUMNS[g])
                SYNTAX(r, line,
                       "unknown column '%s' (want item, answer, note, evidence; section, text, "
                       "allowed, critical, note_rule are ignored)",
                       nm);
        }
        free(nm);
    }
    if (col[C_ANSWER] < 0)
        SYNTAX(r, line, "the item header row has no 'answer' column");
    return !r->oom && r->syntax == before;
}

static void csv_row(reader *r, char **f, size_t n, int line, const int col[C_COUNT],
                    size_t ncols)
{
    bool extra = false;
    for (size_t j = ncols; j < n && !extra; j++)
        if (!all_blank(f[j])) {
            SYNTAX(r, line, "row has a value in column %zu, but the item header row names %zu "
                            "columns",
                   j + 1, ncols);
            extra = true;
        }
    const char *id = cell(f, n, col[C_ITEM]);
    if (all_blank(id)) {
        if (!extra)
            INVALID(r, line, "row without an item id");
        return;
    }
    sheet_entry *e = entry_add(r, id, true, false, line);
    if (!e)
        return;
    if (extra) {
        e->bad = true; /* its item is not reported again as unanswered */
        return;
    }
    keep(r, &e->answer, cell(f, n, col[C_ANSWER]), true);
    e->answer_line = line;
    if (col[C_NOTE] >= 0)
        keep(r, &e->note, cell(f, n, col[C_NOTE]), false);
    if (col[C_EVIDENCE] >= 0)
        keep(r, &e->evidence, cell(f, n, col[C_EVIDENCE]), false);
}

static void read_csv(reader *r, const char *data, size_t len)
{
    sva_csv *c = NULL;
    if (sva_csv_open(r->name, data, len, &c) != SVA_OK) {
        r->oom = true;
        return;
    }
    bool in_items = false, any = false, stop = false;
    int col[C_COUNT];
    size_t ncols = 0;
    char **f;
    size_t n;
    int line, rc = 0;
    while (!stop && !r->oom && (rc = sva_csv_next(c, &f, &n, &line, r->d)) == 1) {
        if (row_blank(f, n))
            continue;
        if (in_items) {
            csv_row(r, f, n, line, col, ncols);
            continue;
        }
        bool first = !any;
        any = true;
        char *key = dup_trim(f[0], true);
        if (!key) {
            r->oom = true;
            break;
        }
        if (strcmp(key, "item") == 0) {
            /* the header block ends here */
            stop = r->header_only || !csv_columns(r, f, n, line, col);
            in_items = true;
            ncols = n;
        } else if (first && strcmp(key, "field") == 0 && n >= 2 && is_word(f[1], "value")) {
            /* the "field,value" title row */
        } else {
            size_t j = 2;
            while (j < n && all_blank(f[j]))
                j++;
            if (j < n) {
                SYNTAX(r, line, "header row '%s' has more than two values", key);
                r->s->incomplete = true; /* the field's value is left out */
            } else {
                size_t before = r->syntax;
                header_set(r, key, n > 1 ? f[1] : "", line, false);
                if (r->syntax > before) {
                    /* not a header field: the rest would only repeat it (an item header
                     * row without its 'item' column reads as more unknown fields) */
                    free(key);
                    stop = true;
                    break;
                }
            }
        }
        free(key);
    }
    if (rc < 0) {
        r->syntax++;
        r->s->incomplete = true; /* the rest of the file is not read */
    }
    if (r->header_only || r->oom) {
        /* the item rows are not looked at */
    } else if (stop || !in_items) {
        r->raw->no_table = true; /* nothing to bind; said why already, unless: */
        if (!in_items && !stop && rc >= 0)
            r->raw->no_table_msg =
                any ? "no item header row (a row that starts with 'item' and names the columns, "
                      "e.g. item,answer,note,evidence)"
                    : "empty answer sheet";
    }
    if (stop && !r->header_only)
        r->s->incomplete = true;
    sva_csv_free(c);
}

/* Format rule: after an optional UTF-8 BOM, if the first line that is neither
 * blank nor a comment (';' or '#') starts with '[', the sheet is INI; so is it
 * when that line is "key = value" with an '=' before any ',' (an INI sheet
 * whose first lines lost their section, which the INI reader then names);
 * otherwise it is CSV. */
static sva_sheet_format detect_format(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        while (i < len && is_blank(data[i]))
            i++;
        if (i >= len)
            break;
        if (data[i] == ';' || data[i] == '#') {
            const char *nl = memchr(data + i, '\n', len - i);
            if (!nl)
                break;
            i = (size_t)(nl - data) + 1;
            continue;
        }
        if (data[i] == '[')
            return SVA_SHEET_INI;
        for (size_t k = i; k < len && data[k] != '\n'; k++) {
            if (data[k] == ',' || data[k] == '"')
                break;
            if (data[k] == '=')
                return SVA_SHEET_INI;
        }
        return SVA_SHEET_CSV;
    }
    return SVA_SHEET_CSV;
}

/* A sheet being read: begun (sheet_begin), its INI cross-check perhaps
 * queued, then finished (sheet_end). */
typedef struct sheet_job {
    reader r;
    sva_ini *ini;      /* an INI sheet's queued reading, or NULL */
    sva_error ini_rc;  /* its result, once the queue is flushed */
    bool queued;
} sheet_job;

/* Begin reading @p data into a new sheet (header only when asked): all of it,
 * or with @p c the INI reader's cross-check queued there. false: out of
 * memory. */
static bool sheet_begin(sheet_job *j, sva_ini_check *c, const char *name, const char *data,
                        size_t len, bool header_only, sva_diag *d)
{
    memset(j, 0, sizeof *j);
    size_t nl = strlen(name);
    sheet_block *blk = calloc(1, sizeof *blk + nl + 1);
    if (!blk)
        return false;
    sva_sheet *s = &blk->s;
    s->name = memcpy(blk->name, name, nl + 1);
    s->raw = &blk->raw;
    reader *r = &j->r;
    r->name = s->name;
    r->d = d;
    r->s = s;
    r->raw = s->raw;
    r->header_only = header_only;
    s->format = detect_format(data, len);
    if (s->format == SVA_SHEET_CSV) {
        read_csv(r, data, len);
    } else if (!c) {
        read_ini(r, data, len);
    } else {
        sva_ini_parse_queued(c, r->name, data, len, &j->ini, d, &j->ini_rc);
        j->queued = true;
    }
    return true;
}

/* The sheet of a begun job (its queue flushed) into *out; NULL on NOMEM/IO. */
static sva_error sheet_end(sheet_job *j, sva_sheet **out)
{
    reader *r = &j->r;
    sva_sheet *s = r->s;
    *out = NULL;
    if (j->queued)
        read_ini_done(r, j->ini, j->ini_rc);
    j->ini = NULL;
    sva_error rc = reader_result(r);
    if (rc == SVA_ERR_NOMEM || rc == SVA_ERR_IO) {
        sva_sheet_free(s);
        return rc;
    }
    s->problems = r->syntax + r->invalid;
    *out = s;
    return rc;
}

/* Read @p data into a new sheet (header only when asked); *out NULL on
 * NOMEM/IO. */
static sva_error read_sheet(const char *name, const char *data, size_t len, bool header_only,
                            sva_sheet **out, sva_diag *d)
{
    sheet_job j;
    *out = NULL;
    if (!sheet_begin(&j, NULL, name, data, len, header_only, d))
        return SVA_ERR_NOMEM;
    return sheet_end(&j, out);
}

sva_error sva_sheet_read_many(size_t n, const char *const *names, const char *const *data,
                              const size_t *lens, sva_sheet **out, sva_error *rcs, sva_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        rcs[i] = SVA_ERR_NOMEM;
    }
    sheet_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    sva_ini_check *c = sva_ini_check_new();
    bool *begun = calloc(n ? n : 1, sizeof *begun);
    if (!jobs || !c || !begun) {
        free(jobs);
        free(begun);
        sva_ini_check_free(c);
        return SVA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        begun[i] = sheet_begin(&jobs[i], c, names[i], data[i], lens[i], false, &d[i]);
    sva_ini_check_flush(c); /* its failures are the sheets' */
    for (size_t i = 0; i < n; i++) {
        if (begun[i])
            rcs[i] = sheet_end(&jobs[i], &out[i]);
    }
    sva_ini_check_free(c);
    free(jobs);
    free(begun);
    return SVA_OK;
}

sva_error sva_sheet_read(const char *name, const char *data, size_t len, sva_sheet **out,
                         sva_diag *d)
{
    return read_sheet(name, data, len, false, out, d);
}

sva_error sva_sheet_read_header(const char *name, const char *data, size_t len,
                                sva_sheet_header *out, sva_diag *d)
{
    memset(out, 0, sizeof *out);
    sva_sheet *s;
    sva_error rc = read_sheet(name, data, len, true, &s, d);
    if (rc == SVA_OK) {
        *out = s->header;
        memset(&s->header, 0, sizeof s->header);
    } else if (rc == SVA_ERR_INVALID) {
        rc = SVA_ERR_PARSE;
    }
    sva_sheet_free(s);
    return rc;
}

/* -- binding to a checklist -- */

/* Does the header name this checklist and version? Reports the mismatch. */
static bool identity_ok(reader *r, const sva_checklist *cl)
{
    const sva_sheet_header *h = &r->s->header;
    if (h->checklist && strcmp(h->checklist, cl->id) != 0) {
        INVALID(r, r->raw->hline[H_CHECKLIST], "sheet is for checklist '%s', not '%s'",
                h->checklist, cl->id);
        return false;
    }
    if (h->version && h->version != cl->version) {
        INVALID(r, r->raw->hline[H_VERSION],
                "sheet is for version %ld of '%s'; the checklist is now version %ld: make a new "
                "template",
                h->version, cl->id, cl->version);
        return false;
    }
    return true;
}

/* The checklist index of entry @p e's item, or -1 (reported). */
static long item_at(reader *r, const sva_checklist *cl, const sheet_entry *e)
{
    long i = sva_checklist_item_index(cl, e->item);
    if (i < 0) {
        char near[600];
        sva_checklist_near_items(cl, e->item, near, sizeof near);
        INVALID(r, e->line, "unknown item '%s' (checklist '%s' version %ld has no such item)%s",
                e->item, cl->id, cl->version, near);
        return -1;
    }
    if (r->s->lines[i]) {
        INVALID(r, e->line, "item '%s' appears twice (first at line %d)", e->item,
                r->s->lines[i]);
        r->s->flagged[i] = true;
        return -1;
    }
    r->s->lines[i] = e->line;
    return i;
}

static void bind_answer(reader *r, const sva_checklist *cl, long i, const sheet_entry *e)
{
    const char *text = e->answer;
    if (!text || all_blank(text))
        return;
    const sva_item *it = &cl->items[i];
    sva_answer *a = &r->s->answers[i];
    if (sva_answer_parse(it, text, a))
        return;
    char allowed[64];
    sva_item_allowed(it, allowed, sizeof allowed);
    const char *b;
    size_t n = trim_span(text, &b);
    INVALID(r, e->answer_line, "item '%s': '%.*s' is not an allowed answer (allowed: %s)", it->id,
            (int)(n > 60 ? utf8_cut(b, 60) : n), b, allowed);
    r->s->flagged[i] = true;
}

sva_error sva_sheet_bind(sva_sheet *s, const sva_checklist *cl, sva_diag *d)
{
    if (s->cl || s->answers || !s->raw)
        return SVA_ERR_USAGE;
    reader r = {0};
    r.name = s->name;
    r.d = d;
    r.s = s;
    r.raw = s->raw;
    struct sva_sheet_raw *raw = s->raw;
    /* A sheet for another checklist or version: its items would only add noise. */
    if (raw->version_bad || !identity_ok(&r, cl))
        goto unbound;
    if (raw->no_table) {
        if (raw->no_table_msg)
            SYNTAX(&r, 0, "%s", raw->no_table_msg);
        goto unbound;
    }
    /* answers, lines and flagged in one block (each part's size keeps the
     * next one aligned: sva_answer holds pointers), freed with answers */
    size_t n = cl->n_items ? cl->n_items : 1;
    char *blk = calloc(n, sizeof *s->answers + sizeof *s->lines + sizeof *s->flagged);
    if (!blk)
        return SVA_ERR_NOMEM;
    s->answers = (sva_answer *)(void *)blk;
    s->lines = (int *)(void *)(blk + n * sizeof *s->answers);
    s->flagged = (bool *)(blk + n * (sizeof *s->answers + sizeof *s->lines));
    s->n = cl->n_items;
    s->cl = cl;
    for (size_t k = 0; k < raw->n && !r.oom; k++) {
        sheet_entry *e = &raw->v[k];
        long i = item_at(&r, cl, e);
        if (i < 0)
            continue;
        bind_answer(&r, cl, i, e);
        sva_answer *a = &s->answers[i];
        keep(&r, &a->note, e->note, false);
        keep(&r, &a->evidence, e->evidence, false);
        if (e->bad)
            s->flagged[i] = true;
    }
    s->problems += r.syntax + r.invalid;
    return reader_result(&r);
unbound: /* said why: now, or when it was read */
    s->problems += r.syntax + r.invalid;
    sva_error rc = reader_result(&r);
    return rc ? rc : SVA_ERR_INVALID;
}

sva_error sva_sheet_parse(const char *name, const char *data, size_t len,
                          const sva_checklist *cl, sva_sheet **out, sva_diag *d)
{
    *out = NULL;
    sva_sheet *s;
    sva_error rc = sva_sheet_read(name, data, len, &s, d);
    if (rc == SVA_ERR_NOMEM || rc == SVA_ERR_IO)
        return rc;
    sva_error brc = sva_sheet_bind(s, cl, d);
    if (rc == SVA_OK)
        rc = brc;
    else if (brc == SVA_ERR_NOMEM)
        rc = brc;
    else if (brc == SVA_ERR_PARSE)
        rc = SVA_ERR_PARSE;
    if (rc != SVA_OK || !s->cl) {
        sva_sheet_free(s);
        return rc ? rc : SVA_ERR_INVALID;
    }
    *out = s;
    return SVA_OK;
}

/* Standard input, whole, at most SVA_MAX_INPUT_BYTES. */
static sva_error read_stdin(const char *name, char **out, size_t *len, sva_diag *d)
{
    *out = NULL;
    *len = 0;
    sva_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (b.len + n > SVA_MAX_INPUT_BYTES) {
            sva_diag_add(d, name, 0, "input too large (more than %u MiB)",
                         SVA_MAX_INPUT_BYTES / (1024u * 1024u));
            sva_buf_free(&b);
            return SVA_ERR_INVALID;
        }
        sva_buf_append(&b, chunk, n);
    }
    if (ferror(stdin)) {
        sva_diag_add(d, name, 0, "cannot read standard input: %s", strerror(errno));
        sva_buf_free(&b);
        return SVA_ERR_IO;
    }
    *len = b.len;
    if (!(*out = sva_buf_take(&b))) {
        *len = 0;
        return SVA_ERR_NOMEM;
    }
    return SVA_OK;
}

sva_error sva_sheet_load(const char *path, const sva_checklist *cl, sva_sheet **out,
                         sva_diag *d)
{
    *out = NULL;
    bool in = strcmp(path, "-") == 0;
    const char *name = in ? "<stdin>" : path;
    char *data;
    size_t len;
    sva_error rc = in ? read_stdin(name, &data, &len, d) : sva_read_file(path, &data, &len, d);
    if (rc)
        return rc;
    rc = sva_sheet_parse(name, data, len, cl, out, d);
    free(data);
    return rc;
}

/* ---- writing ----------------------------------------------------------------- */

static const char *note_rule(const sva_item *it)
{
    switch (it->evidence) {
    case SVA_EVIDENCE_ON_FAIL: return "note required if it fails";
    case SVA_EVIDENCE_ALWAYS: return "note always required";
    case SVA_EVIDENCE_NONE: break;
    }
    return "";
}

/* May @p v be written bare after "key = "? Both the INI pre-scan and iniparser
 * must read it back unchanged: no comment, quote or continuation characters,
 * no control characters, no surrounding blanks. */
static bool ini_bare(const char *v)
{
    if (!*v || is_blank(v[0]) || is_blank(v[strlen(v) - 1]))
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f || strchr(";#\"'\\=", *p))
            return false;
    return true;
}

/*
 * One "key = value  suffix" line. INI values are one line and iniparser has
 * no escapes, so a value that is not bare is written in double quotes with
 * each '"' replaced by '\'' and each line break (CRLF, CR or LF) by a space.
 * Lines are capped at SVA_INI_MAX_LINE bytes: the suffix comment is dropped
 * first, then an over-long value is cut at a character boundary and ends in
 * "..." (a note that long belongs in a CSV sheet, which has no limit).
 */
static void ini_line(sva_buf *b, const char *key, const char *v, bool quote, const char *suffix)
{
    if (!v || !*v) {
        sva_buf_printf(b, "%s%s%s\n", key, quote ? " \"\"" : "", suffix);
        return;
    }
    if (!quote && ini_bare(v) &&
        strlen(key) + 1 + strlen(v) + strlen(suffix) <= SVA_INI_MAX_LINE) {
        sva_buf_printf(b, "%s %s%s\n", key, v, suffix);
        return;
    }
    sva_buf t = {0};
    for (const char *p = v; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            p++;
        if (*p == '\r' || *p == '\n')
            sva_buf_puts(&t, " ");
        else
            sva_buf_append(&t, *p == '"' ? "'" : p, 1);
    }
    if (t.failed) {
        b->failed = true;
        return;
    }
    size_t room = SVA_INI_MAX_LINE - strlen(key) - 3; /* " " and the two quotes */
    if (t.len > room - strlen(suffix))
        suffix = "";
    if (t.len > room) {
        t.len = utf8_cut(t.data, room - 3);
        sva_buf_puts(&t, "...");
    }
    sva_buf_printf(b, "%s \"%s\"%s\n", key, t.data ? t.data : "", suffix);
    sva_buf_free(&t);
}

/* A comment line holding checklist text; cut to SVA_INI_MAX_LINE bytes (ending
 * in "...") so the sheet stays readable even for a very long text. */
static void ini_comment(sva_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void ini_comment(sva_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!line) {
        b->failed = true;
        return;
    }
    size_t n = strlen(line);
    if (n > SVA_INI_MAX_LINE) {
        sva_buf_append(b, line, utf8_cut(line, SVA_INI_MAX_LINE - 3));
        sva_buf_puts(b, "...");
    } else {
        sva_buf_append(b, line, n);
    }
    sva_buf_puts(b, "\n");
    free(line);
}

static void ini_write(const sva_checklist *cl, const char *lang, const sva_sheet_header *h,
                      const sva_answer *answers, sva_buf *b)
{
    const char *subject_note = cl->subject == SVA_SUBJECT_EMPLOYEE
                                   ? "  ; required: this checklist scores one employee"
                                   : "  ; optional: this checklist scores the store";
    ini_comment(b, "; svcaudit answer sheet: %s (%s, version %ld)", sva_i18n_get(&cl->title, lang),
                cl->id, cl->version);
    sva_buf_printf(b,
                   "; Fill in every 'answer' with one of the allowed answers shown above it.\n"
                   "; Write notes inside the double quotes. Lines starting with ; are comments.\n"
                   "; Then: svcaudit record %s --answers THIS_FILE\n\n",
                   cl->id);
    sva_buf_printf(b, "[audit]\nchecklist = %s\nversion   = %ld\n", cl->id, cl->version);
    ini_line(b, "store     =", header_get(h, H_STORE), false, "");
    ini_line(b, "employee  =", header_get(h, H_EMPLOYEE), false, subject_note);
    ini_line(b, "cycle     =", header_get(h, H_CYCLE), false, "");
    ini_line(b, "auditor   =", header_get(h, H_AUDITOR), false, "");
    ini_line(b, "date      =", header_get(h, H_DATE), false, "  ; YYYY-MM-DD");
    size_t cur = (size_t)-1;
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        const sva_answer *a = answers ? &answers[i] : NULL;
        if (it->section != cur) {
            cur = it->section;
            const sva_section *s = &cl->sections[cur];
            sva_buf_puts(b, "\n");
            ini_comment(b, "; ==== %s ====", sva_i18n_get(&s->title, lang));
        }
        char allowed[64], ans[16];
        sva_item_allowed(it, allowed, sizeof allowed);
        sva_answer_format(it, a, ans, sizeof ans);
        /* texts come from INI values: one line each, safe in a comment */
        sva_buf_puts(b, "\n");
        ini_comment(b, "; %zu/%zu %s", i + 1, cl->n_items, sva_i18n_get(&it->text, lang));
        const char *guide = sva_i18n_get(&it->guide, lang);
        if (*guide)
            ini_comment(b, ";   guide: %s", guide);
        sva_buf_printf(b, ";   answer: %s%s%s%s\n", allowed, it->critical ? "   CRITICAL" : "",
                       *note_rule(it) ? "   " : "", note_rule(it));
        sva_buf_printf(b, "[item.%s]\n", it->id);
        ini_line(b, "answer   =", ans, false, "");
        ini_line(b, "note     =", a ? a->note : NULL, true, "");
        ini_line(b, "evidence =", a ? a->evidence : NULL, false, "");
    }
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(sva_buf *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        sva_buf_puts(b, s);
        return;
    }
    sva_buf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            sva_buf_puts(b, "\"");
        sva_buf_append(b, p, 1);
    }
    sva_buf_puts(b, "\"");
}

static void csv_write(const sva_checklist *cl, const char *lang, const sva_sheet_header *h,
                      const sva_answer *answers, sva_buf *b)
{
    sva_buf_printf(b, "field,value\nchecklist,%s\nversion,%ld\n", cl->id, cl->version);
    for (int k = H_STORE; k < H_COUNT; k++) {
        sva_buf_printf(b, "%s,", HEADER_KEYS[k]);
        csv_field(b, header_get(h, k));
        sva_buf_puts(b, "\n");
    }
    sva_buf_puts(b, "\nitem,section,text,allowed,critical,note_rule,answer,note,evidence\n");
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        const sva_answer *a = answers ? &answers[i] : NULL;
        char allowed[64], ans[16];
        sva_item_allowed(it, allowed, sizeof allowed);
        sva_answer_format(it, a, ans, sizeof ans);
        csv_field(b, it->id);
        sva_buf_puts(b, ",");
        csv_field(b, sva_i18n_get(&cl->sections[it->section].title, lang));
        sva_buf_puts(b, ",");
        csv_field(b, sva_i18n_get(&it->text, lang));
        sva_buf_printf(b, ",%s,%s,%s,%s,", allowed, it->critical ? "yes" : "no",
                       sva_evidence_name(it->evidence), ans);
        csv_field(b, a ? a->note : NULL);
        sva_buf_puts(b, ",");
        csv_field(b, a ? a->evidence : NULL);
        sva_buf_puts(b, "\n");
    }
}

/* The checklist id and version are always @p cl's: a sheet is written for it. */
sva_error sva_sheet_write(const sva_checklist *cl, sva_sheet_format fmt, const char *lang,
                          const sva_sheet_header *h, const sva_answer *answers, char **out)
{
    sva_buf b = {0};
    if (fmt == SVA_SHEET_CSV)
        csv_write(cl, lang, h, answers, &b);
    else
        ini_write(cl, lang, h, answers, &b);
    *out = sva_buf_take(&b);
    return *out ? SVA_OK : SVA_ERR_NOMEM;
}

sva_error sva_sheet_template(const sva_checklist *cl, sva_sheet_format fmt, const char *lang,
                             char **out)
{
    return sva_sheet_write(cl, fmt, lang, NULL, NULL, out);
}

/* svcaudit: privacy of employee results (see privacy.h): labels under a
 * privacy mode and the scrubbing of free text. Scrubbing matches every
 * employee of the database (any store, any time) by name and by id, ignoring
 * case, Unicode compatibility forms (NFKC: a full-width "ＱＩＡＮ" is "QIAN")
 * and runs of white space; libunistring supplies the Unicode tables. */
#include "privacy.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

void sva_pseudonym(const char *salt, const char *id, char out[16])
{
    sva_buf b = {0};
    sva_buf_printf(&b, "%s:%s", salt ? salt : "", id);
    char hex[65];
    sva_sha256_hex(b.data ? b.data : "", b.len, hex);
    sva_buf_free(&b);
    snprintf(out, 16, "P-%.8s", hex);
}

const char *sva_employee_label(sva_privacy mode, const char *salt, const char *id,
                               const char *name, char *buf, size_t size)
{
    if (!id || !*id) {
        snprintf(buf, size, "%s", "");
    } else if (mode == SVA_PRIVACY_PSEUDONYMOUS) {
        char p[16];
        sva_pseudonym(salt, id, p);
        snprintf(buf, size, "%s", p);
    } else if (mode == SVA_PRIVACY_NONE) {
        snprintf(buf, size, "%s", "");
    } else if (name) {
        snprintf(buf, size, "%s (%s)", name, id);
    } else {
        snprintf(buf, size, "%s", id);
    }
    return buf;
}

/* ---- text as folded code points --------------------------------------------------------- */

/* A text in the form matching uses: NFKC, white space runs as one space,
 * trimmed; `shown` keeps the case, `fold` is lower case (one code point for
 * one, so an offset in one is an offset in the other). */
typedef struct folded {
    uint32_t *shown, *fold;
    size_t n;
} folded;

static void folded_free(folded *f)
{
    free(f->shown);
    free(f->fold);
    memset(f, 0, sizeof *f);
}

static bool fold_text(const char *text, folded *out)
{
    memset(out, 0, sizeof *out);
    size_t len = 0, n = strlen(text);
    uint8_t *nf = u8_normalize(UNINORM_NFKC, (const uint8_t *)text, n, NULL, &len);
    const uint8_t *s = nf ? nf : (const uint8_t *)text; /* invalid UTF-8: as it is */
    if (!nf)
        len = n;
    out->shown = malloc((len + 1) * sizeof *out->shown);
    out->fold = malloc((len + 1) * sizeof *out->fold);
    if (!out->shown || !out->fold) {
        free(nf);
        folded_free(out);
        return false;
    }
    bool space = true; /* drops leading space */
    for (size_t i = 0; i < len;) {
        ucs4_t uc;
        int k = u8_mbtouc(&uc, s + i, len - i); /* U+FFFD for a bad sequence */
        i += k > 0 ? (size_t)k : 1;
        if (uc_is_property_white_space(uc)) {
            if (space)
                continue;
            uc = ' ';
            space = true;
        } else {
            space = false;
        }
        out->shown[out->n] = uc;
        out->fold[out->n++] = uc_tolower(uc);
    }
    if (out->n && out->shown[out->n - 1] == ' ')
        out->n--;
    free(nf);
    return true;
}

static bool ascii_alnum(uint32_t c)
{
    return c < 0x80 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z'));
}

static uint64_t hash32(const uint32_t *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ---- the scrubber ---------------------------------------------------------------------- */

/* A pattern is a run of the scrubber's code points and a label in its label
 * text: 12 bytes, no allocation of its own. A database of 20,000 employees
 * made 40,000 allocations of a pattern's code points and 32-byte labels
 * (7 MiB of peak memory in the export, most of it the allocator's overhead
 * and holes); all of them now fit in four arrays. */
typedef struct pattern {
    uint32_t off, n;     /* the name or id, folded: cp[off .. off + n) */
    uint32_t label;      /* what replaces it: labels + label */
} pattern;

struct sva_scrubber {
    sva_privacy mode;
    uint32_t *cp;        /* every pattern's code points */
    size_t n_cp, cap_cp;
    char *labels;        /* the labels, each NUL-terminated */
    size_t n_labels, cap_labels;
    pattern *pats;
    size_t n_pats;
    uint32_t *slots;     /* open addressing: index + 1 into pats, 0 empty */
    size_t n_slots;
    size_t *lengths;     /* the patterns' distinct lengths, longest first */
    size_t n_lengths;
    uint32_t anyone;     /* "[employee]" in labels, once needed (has_anyone) */
    bool has_anyone;
    sva_buf out;
};

static size_t find(const sva_scrubber *s, const uint32_t *fold, size_t n)
{
    if (!s->n_slots)
        return (size_t)-1;
    for (size_t h = hash32(fold, n) & (s->n_slots - 1);; h = (h + 1) & (s->n_slots - 1)) {
        uint32_t k = s->slots[h];
        if (!k)
            return (size_t)-1;
        const pattern *p = &s->pats[k - 1];
        if (p->n == n && memcmp(s->cp + p->off, fold, n * sizeof *fold) == 0)
            return k - 1;
    }
}

/* Room for @p more elements of @p size in *@p v (holding @p n of *@p cap). */
static bool grow(void **v, size_t *cap, size_t n, size_t more, size_t size)
{
    if (n + more <= *cap)
        return true;
    size_t c = *cap ? *cap : 256;
    while (c < n + more)
        c *= 2;
    void *p = realloc(*v, c * size);
    if (!p)
        return false;
    *v = p;
    *cap = c;
    return true;
}

/* Add @p label to the labels; its offset in *@p at. */
static bool add_label(sva_scrubber *s, const char *label, uint32_t *at)
{
    size_t n = strlen(label) + 1;
    if (s->n_labels + n > UINT32_MAX ||
        !grow((void **)&s->labels, &s->cap_labels, s->n_labels, n, 1))
        return false;
    memcpy(s->labels + s->n_labels, label, n);
    *at = (uint32_t)s->n_labels;
    s->n_labels += n;
    return true;
}

/* A name or id that two employees share (two "Wang Fang", or one's id the
 * other's name): a note naming it may mean either, so it takes neither's
 * pseudonym but the label of nobody in particular, "[employee]" (as under
 * `none`): a pseudonym would pin the note on one of them. false: out of
 * memory. */
static bool shared(sva_scrubber *s, pattern *p, uint32_t label)
{
    if (p->label == label || strcmp(s->labels + p->label, s->labels + label) == 0)
        return true;
    if (!s->has_anyone) {
        if (!add_label(s, "[employee]", &s->anyone))
            return false;
        s->has_anyone = true;
    }
    p->label = s->anyone;
    return true;
}

/* Add @p text as a pattern labelled @p label (offset into labels; names and
 * ids under 2 characters are left alone: they would match everywhere). */
static bool add_pattern(sva_scrubber *s, const char *text, uint32_t label)
{
    folded f;
    if (!text || !fold_text(text, &f))
        return text == NULL;
    free(f.shown);
    f.shown = NULL;
    size_t had = f.n < 2 ? (size_t)-1 : find(s, f.fold, f.n);
    if (had != (size_t)-1) {
        folded_free(&f);
        return shared(s, &s->pats[had], label);
    }
    if (f.n < 2 || f.n > UINT32_MAX || s->n_cp + f.n > UINT32_MAX) {
        folded_free(&f);
        return true;
    }
    if (!grow((void **)&s->cp, &s->cap_cp, s->n_cp, f.n, sizeof *s->cp)) {
        folded_free(&f);
        return false;
    }
    pattern *p = &s->pats[s->n_pats];
    p->off = (uint32_t)s->n_cp;
    p->n = (uint32_t)f.n;
    p->label = label;
    memcpy(s->cp + s->n_cp, f.fold, f.n * sizeof *f.fold);
    s->n_cp += f.n;
    folded_free(&f);
    for (size_t h = hash32(s->cp + p->off, p->n) & (s->n_slots - 1);;
         h = (h + 1) & (s->n_slots - 1))
        if (!s->slots[h]) {
            s->slots[h] = (uint32_t)++s->n_pats;
            break;
        }
    size_t k = 0;
    while (k < s->n_lengths && s->lengths[k] > p->n)
        k++;
    if (k == s->n_lengths || s->lengths[k] != p->n) {
        size_t *v = realloc(s->lengths, (s->n_lengths + 1) * sizeof *v);
        if (!v)
            return false;
        s->lengths = v;
        memmove(&v[k + 1], &v[k], (s->n_lengths - k) * sizeof *v);
        v[k] = p->n;
        s->n_lengths++;
    }
    return true;
}

/* The arrays to their sizes once every pattern is in (names shared by many
 * employees, as in the bench's database, make far fewer patterns than the
 * 2 per employee made room for), the slots rebuilt at most half full.
 * false: out of memory. */
static bool trim(sva_scrubber *s)
{
    size_t n_slots = 16;
    while (n_slots < 2 * s->n_pats + 16)
        n_slots *= 2;
    if (n_slots < s->n_slots) {
        uint32_t *slots = calloc(n_slots, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < s->n_pats; i++)
            for (size_t h = hash32(s->cp + s->pats[i].off, s->pats[i].n) & (n_slots - 1);;
                 h = (h + 1) & (n_slots - 1))
                if (!slots[h]) {
                    slots[h] = (uint32_t)(i + 1);
                    break;
                }
        free(s->slots);
        s->slots = slots;
        s->n_slots = n_slots;
    }
    pattern *p = realloc(s->pats, (s->n_pats ? s->n_pats : 1) * sizeof *p);
    uint32_t *cp = realloc(s->cp, (s->n_cp ? s->n_cp : 1) * sizeof *cp);
    char *l = realloc(s->labels, s->n_labels ? s->n_labels : 1);
    if (p)
        s->pats = p;
    if (cp)
        s->cp = cp;
    if (l)
        s->labels = l;
    return true;
}

sva_scrubber *sva_scrubber_new(sva_db *db, sva_privacy mode, const char *salt, sva_diag *d)
{
    sva_scrubber *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->mode = mode;
    if (mode == SVA_PRIVACY_FULL)
        return s;
    sva_employee *people = NULL;
    size_t n = 0;
    if (sva_db_employee_list(db, NULL, &people, &n, d)) {
        free(s);
        return NULL;
    }
    s->n_slots = 16;
    while (s->n_slots < 4 * n + 16)
        s->n_slots *= 2;
    s->pats = calloc(2 * n + 1, sizeof *s->pats);
    s->slots = calloc(s->n_slots, sizeof *s->slots);
    bool ok = s->pats && s->slots && 2 * n + 1 < UINT32_MAX;
    if (ok && mode == SVA_PRIVACY_NONE)
        ok = s->has_anyone = add_label(s, "[employee]", &s->anyone);
    for (size_t i = 0; ok && i < n; i++) {
        char lbl[32];
        uint32_t at = s->anyone;
        if (mode != SVA_PRIVACY_NONE)
            ok = add_label(s, sva_employee_label(mode, salt, people[i].id, NULL, lbl, sizeof lbl),
                           &at);
        ok = ok && add_pattern(s, people[i].name, at) && add_pattern(s, people[i].id, at);
    }
    sva_employees_free(people, n);
    if (ok)
        ok = trim(s);
    if (!ok) {
        sva_scrubber_free(s);
        return NULL;
    }
    return s;
}

void sva_scrubber_free(sva_scrubber *s)
{
    if (!s)
        return;
    free(s->cp);
    free(s->labels);
    free(s->pats);
    free(s->slots);
    free(s->lengths);
    sva_buf_free(&s->out);
    free(s);
}

static const char *failed(sva_error *err, sva_error e)
{
    if (err && !*err)
        *err = e;
    return "";
}

/* Is the match of @p n code points at @p i a word of its own? An ASCII letter
 * or digit at its edge may not touch another one ("e1" is not in "e12");
 * names without ASCII edges (Chinese) match anywhere. */
static bool whole_word(const folded *t, size_t i, size_t n)
{
    if (ascii_alnum(t->fold[i]) && i > 0 && ascii_alnum(t->fold[i - 1]))
        return false;
    return !(ascii_alnum(t->fold[i + n - 1]) && i + n < t->n && ascii_alnum(t->fold[i + n]));
}

static void put_code(sva_buf *b, uint32_t c)
{
    uint8_t u[6];
    int k = u8_uctomb(u, c, (int)sizeof u);
    if (k > 0)
        sva_buf_append(b, (const char *)u, (size_t)k);
}

const char *sva_scrub(sva_scrubber *s, const char *store, const char *text, sva_error *err,
                      sva_diag *d)
{
    (void)store;
    (void)d;
    if (s->mode == SVA_PRIVACY_FULL || !text || !*text || !s->n_pats)
        return text;
    folded t;
    if (!fold_text(text, &t))
        return failed(err, SVA_ERR_NOMEM);
    sva_buf *b = &s->out;
    b->len = 0;
    bool any = false;
    for (size_t i = 0; i < t.n;) {
        size_t hit = (size_t)-1, len = 0;
        for (size_t k = 0; k < s->n_lengths && hit == (size_t)-1; k++) {
            len = s->lengths[k];
            if (len > t.n - i)
                continue;
            hit = find(s, t.fold + i, len);
            if (hit != (size_t)-1 && !whole_word(&t, i, len))
                hit = (size_t)-1;
        }
        if (hit != (size_t)-1) {
            sva_buf_puts(b, s->labels + s->pats[hit].label);
            i += len;
            any = true;
        } else {
            put_code(b, t.shown[i++]);
        }
    }
    folded_free(&t);
    if (b->failed)
        return failed(err, SVA_ERR_NOMEM);
    /* nothing to hide: the text as it was written (not its normal form) */
    return any ? (b->data ? b->data : "") : text;
}

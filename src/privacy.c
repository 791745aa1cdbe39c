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

typedef struct pattern {
    uint32_t *fold;      /* the name or id, folded */
    size_t n;
    char label[32];      /* what replaces it */
} pattern;

struct sva_scrubber {
    sva_privacy mode;
    pattern *pats;
    size_t n_pats;
    size_t *slots;       /* open addressing: index + 1 into pats, 0 empty */
    size_t n_slots;
    size_t *lengths;     /* the patterns' distinct lengths, longest first */
    size_t n_lengths;
    sva_buf out;
};

static size_t find(const sva_scrubber *s, const uint32_t *fold, size_t n)
{
    if (!s->n_slots)
        return (size_t)-1;
    for (size_t h = hash32(fold, n) & (s->n_slots - 1);; h = (h + 1) & (s->n_slots - 1)) {
        size_t k = s->slots[h];
        if (!k)
            return (size_t)-1;
        const pattern *p = &s->pats[k - 1];
        if (p->n == n && memcmp(p->fold, fold, n * sizeof *fold) == 0)
            return k - 1;
    }
}

/* Add @p text as a pattern labelled @p label (names and ids under 2 characters
 * are left alone: they would match everywhere). */
static bool add_pattern(sva_scrubber *s, const char *text, const char *label)
{
    folded f;
    if (!text || !fold_text(text, &f))
        return text == NULL;
    if (f.n < 2 || find(s, f.fold, f.n) != (size_t)-1) {
        folded_free(&f);
        return true;
    }
    pattern *p = &s->pats[s->n_pats];
    p->fold = f.fold;
    p->n = f.n;
    free(f.shown);
    snprintf(p->label, sizeof p->label, "%s", label);
    for (size_t h = hash32(p->fold, p->n) & (s->n_slots - 1);; h = (h + 1) & (s->n_slots - 1))
        if (!s->slots[h]) {
            s->slots[h] = ++s->n_pats;
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
    bool ok = s->pats && s->slots;
    for (size_t i = 0; ok && i < n; i++) {
        char lbl[32];
        if (mode == SVA_PRIVACY_NONE)
            snprintf(lbl, sizeof lbl, "[employee]");
        else
            sva_employee_label(mode, salt, people[i].id, NULL, lbl, sizeof lbl);
        ok = add_pattern(s, people[i].name, lbl) && add_pattern(s, people[i].id, lbl);
    }
    sva_employees_free(people, n);
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
    for (size_t i = 0; i < s->n_pats; i++)
        free(s->pats[i].fold);
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
            sva_buf_puts(b, s->pats[hit].label);
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

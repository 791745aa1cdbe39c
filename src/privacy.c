/* svcaudit: privacy of employee results (see privacy.h): labels under a
 * privacy mode and the scrubbing of free text. */
#include "privacy.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct sva_scrubber {
    sva_db *db;
    sva_privacy mode;
    const char *salt;
    char *store;         /* whose people `people` holds */
    sva_employee *people;
    size_t n;
    sva_buf out;
};

sva_scrubber *sva_scrubber_new(sva_db *db, sva_privacy mode, const char *salt)
{
    sva_scrubber *s = calloc(1, sizeof *s);
    if (s) {
        s->db = db;
        s->mode = mode;
        s->salt = salt;
    }
    return s;
}

void sva_scrubber_free(sva_scrubber *s)
{
    if (!s)
        return;
    free(s->store);
    sva_employees_free(s->people, s->n);
    sva_buf_free(&s->out);
    free(s);
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

static const char *failed(sva_error *err, sva_error e)
{
    if (err && !*err)
        *err = e;
    return "";
}

/* Whole words only where the name has ASCII edges; names and ids under 2
 * bytes are left alone. */
const char *sva_scrub(sva_scrubber *s, const char *store, const char *text, sva_error *err,
                      sva_diag *d)
{
    if (s->mode == SVA_PRIVACY_FULL || !text || !*text || !store)
        return text;
    if (!s->store || strcmp(s->store, store) != 0) {
        sva_employees_free(s->people, s->n);
        s->people = NULL;
        s->n = 0;
        free(s->store);
        s->store = sva_strdup(store);
        sva_error e = s->store ? sva_db_store_people(s->db, store, &s->people, &s->n, d)
                               : SVA_ERR_NOMEM;
        if (e) { /* never give a note back unscrubbed */
            s->people = NULL;
            s->n = 0;
            free(s->store);
            s->store = NULL;
            return failed(err, e);
        }
    }
    bool any = false;
    for (size_t k = 0; k < s->n && !any; k++)
        any = (strlen(s->people[k].name) >= 2 && strstr(text, s->people[k].name)) ||
              (strlen(s->people[k].id) >= 2 && strstr(text, s->people[k].id));
    if (!any)
        return text;
    sva_buf *b = &s->out;
    b->len = 0;
    for (const char *p = text; *p;) {
        size_t best = 0;
        const sva_employee *who = NULL;
        for (size_t k = 0; k < s->n; k++) {
            const char *cand[2] = {s->people[k].name, s->people[k].id};
            for (int c = 0; c < 2; c++) {
                size_t n = strlen(cand[c]);
                if (n >= 2 && n > best && strncmp(p, cand[c], n) == 0 &&
                    whole_word(text, p, cand[c], n)) {
                    best = n;
                    who = &s->people[k];
                }
            }
        }
        if (who) {
            char lbl[32];
            sva_buf_puts(b, s->mode == SVA_PRIVACY_NONE
                                ? "[employee]"
                                : sva_employee_label(s->mode, s->salt, who->id, NULL, lbl,
                                                     sizeof lbl));
            p += best;
        } else {
            sva_buf_append(b, p, 1);
            p++;
        }
    }
    if (b->failed)
        return failed(err, SVA_ERR_NOMEM);
    return b->data ? b->data : "";
}

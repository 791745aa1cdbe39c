/* svcaudit: small internal helpers (strings, growing buffers, files, UTF-8,
 * checked number parsing). */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sva_strdup(const char *s)
{
    return s ? sva_strndup(s, strlen(s)) : NULL;
}

char *sva_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sva_vasprintf(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *sva_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = sva_vasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void sva_buf_free(sva_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

void sva_buf_append(sva_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sva_buf_puts(sva_buf *b, const char *s)
{
    sva_buf_append(b, s, strlen(s));
}

void sva_buf_printf(sva_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!p) {
        b->failed = true;
        return;
    }
    sva_buf_puts(b, p);
    free(p);
}

char *sva_buf_take(sva_buf *b)
{
    if (b->failed) {
        sva_buf_free(b);
        return NULL;
    }
    if (!b->data)
        sva_buf_append(b, "", 0);
    char *p = b->data;
    memset(b, 0, sizeof *b);
    return p;
}

sva_error sva_read_file(const char *path, char **out, size_t *len, sva_diag *d)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno));
        return SVA_ERR_IO;
    }
    sva_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > SVA_MAX_INPUT_BYTES) {
            sva_diag_add(d, path, 0, "file too large (more than %u MiB)",
                         SVA_MAX_INPUT_BYTES / (1024u * 1024u));
            fclose(f);
            sva_buf_free(&b);
            return SVA_ERR_INVALID;
        }
        sva_buf_append(&b, chunk, n);
    }
    int err = ferror(f);
    int saved = errno;
    fclose(f);
    if (err) {
        sva_diag_add(d, path, 0, "cannot read: %s", strerror(saved));
        sva_buf_free(&b);
        return SVA_ERR_IO;
    }
    *len = b.len;
    *out = sva_buf_take(&b);
    if (!*out) {
        *len = 0;
        return SVA_ERR_NOMEM;
    }
    return SVA_OK;
}

size_t sva_utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + need >= n)
            return i;
        for (size_t k = 1; k <= need; k++) {
            unsigned cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return n;
}

bool sva_valid_id(const char *s, bool dots)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            continue;
        if (c == '.' && dots)
            continue;
        return false;
    }
    return true;
}

bool sva_parse_int(const char *s, long *out)
{
    if (!s || !*s || isspace((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool sva_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool sva_parse_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || day < 1)
        return false;
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return day <= max;
}

double sva_round1(double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.1f", x);
    double v = strtod(buf, NULL);
    return v == 0 ? 0 : v; /* never -0.0 */
}

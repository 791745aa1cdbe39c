/* svcaudit: a strict RFC 4180 CSV reader with line numbers (see csv.h).
 * One pass over the bytes, fields unescaped into one reused buffer: linear time. */
#include "csv.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct sva_csv {
    char *name;
    const char *data;
    size_t len;
    size_t pos;
    int line;       /* line of data[pos] */
    bool stopped;   /* an error was reported: no more records */
    char sep;       /* the field separator */
    char *buf;      /* the current record's fields, each NUL-terminated */
    size_t buf_len, buf_cap;
    size_t off[SVA_CSV_MAX_FIELDS];
    char *fields[SVA_CSV_MAX_FIELDS];
};

sva_error sva_csv_open(const char *name, const char *data, size_t len, sva_csv **out)
{
    *out = NULL;
    sva_csv *r = calloc(1, sizeof *r);
    if (!r || !(r->name = sva_strdup(name ? name : "<csv>"))) {
        free(r);
        return SVA_ERR_NOMEM;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    r->data = data;
    r->len = len;
    r->line = 1;
    r->sep = ',';
    *out = r;
    return SVA_OK;
}

bool sva_csv_set_sep(sva_csv *r, char sep)
{
    if (sep != ',' && sep != ';' && sep != '\t' && sep != '|')
        return false;
    r->sep = sep;
    return true;
}

void sva_csv_free(sva_csv *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->buf);
    free(r);
}

static bool put(sva_csv *r, const char *s, size_t n)
{
    if (n == 0)
        return true;
    if (r->buf_cap - r->buf_len < n) {
        size_t cap = r->buf_cap ? r->buf_cap : 256;
        while (cap - r->buf_len < n) {
            if (cap > ((size_t)-1) / 2)
                return false;
            cap *= 2;
        }
        char *p = realloc(r->buf, cap);
        if (!p)
            return false;
        r->buf = p;
        r->buf_cap = cap;
    }
    memcpy(r->buf + r->buf_len, s, n);
    r->buf_len += n;
    return true;
}

static int fail(sva_csv *r, sva_diag *d, int line, const char *msg)
{
    sva_diag_add(d, r->name, line, "%s", msg);
    r->stopped = true;
    return -1;
}

/* Check the field that starts at buf[off] (NUL-terminated) for valid UTF-8
 * and for a byte order mark (at the start of the file it was skipped; anywhere
 * else two files were joined, or a spreadsheet kept an invisible character);
 * the error names the line of the bad byte (a quoted field may span lines). */
static bool field_utf8_ok(sva_csv *r, size_t nf, int first_line, sva_diag *d)
{
    const unsigned char *f = (const unsigned char *)r->buf + r->off[nf];
    size_t n = r->buf_len - r->off[nf] - 1;
    size_t ok = sva_utf8_valid_prefix(f, n), bom = n;
    for (size_t i = 0; ok == n && i + 2 < n; i++)
        if (f[i] == 0xEF && f[i + 1] == 0xBB && f[i + 2] == 0xBF) {
            bom = i;
            break;
        }
    if (ok == n && bom == n)
        return true;
    size_t at = ok < n ? ok : bom;
    int line = first_line;
    for (size_t i = 0; i < at; i++)
        if (f[i] == '\n')
            line++;
    if (ok < n)
        sva_diag_add(d, r->name, line, "invalid UTF-8 in field %zu (save the file as UTF-8)",
                     nf + 1);
    else
        sva_diag_add(d, r->name, line,
                     "byte order mark (U+FEFF) in field %zu (were two files joined?): remove it",
                     nf + 1);
    return false;
}

int sva_csv_next(sva_csv *r, char ***fields, size_t *n, int *line, sva_diag *d)
{
    *fields = NULL;
    *n = 0;
    *line = r->line;
    if (r->stopped || r->pos >= r->len)
        return 0;
    const char *s = r->data;
    size_t len = r->len;
    size_t nf = 0;
    r->buf_len = 0;
    for (;;) {
        if (nf == SVA_CSV_MAX_FIELDS)
        {
            sva_diag_add(d, r->name, *line, "too many fields in one record (at most %d)",
                         SVA_CSV_MAX_FIELDS);
            r->stopped = true;
            return -1;
        }
        r->off[nf] = r->buf_len;
        int field_line = r->line;
        bool quoted = r->pos < len && s[r->pos] == '"';
        if (quoted) {
            r->pos++;
            for (;;) {
                size_t start = r->pos;
                while (r->pos < len && s[r->pos] != '"' && s[r->pos] != '\n' && s[r->pos] != '\0')
                    r->pos++;
                if (!put(r, s + start, r->pos - start))
                    return fail(r, d, r->line, "out of memory");
                if (r->pos >= len) {
                    sva_diag_add(d, r->name, field_line,
                                 "unterminated quoted field (the quote opens on line %d)",
                                 field_line);
                    r->stopped = true;
                    return -1;
                }
                char c = s[r->pos];
                if (c == '\0')
                    return fail(r, d, r->line, "NUL byte: not a text file");
                if (c == '\n') {
                    if (!put(r, "\n", 1))
                        return fail(r, d, r->line, "out of memory");
                    r->line++;
                    r->pos++;
                    continue;
                }
                /* a quote: doubled = one quote, else the field ends */
                if (r->pos + 1 < len && s[r->pos + 1] == '"') {
                    if (!put(r, "\"", 1))
                        return fail(r, d, r->line, "out of memory");
                    r->pos += 2;
                    continue;
                }
                r->pos++;
                break;
            }
        } else {
            size_t start = r->pos;
            char sep = r->sep;
            while (r->pos < len && s[r->pos] != sep && s[r->pos] != '\n' && s[r->pos] != '\r' &&
                   s[r->pos] != '"' && s[r->pos] != '\0')
                r->pos++;
            if (r->pos < len && s[r->pos] == '"')
                return fail(r, d, r->line,
                            "double quote inside an unquoted field (quote the whole field "
                            "and double the quote)");
            if (r->pos < len && s[r->pos] == '\0')
                return fail(r, d, r->line, "NUL byte: not a text file");
            if (!put(r, s + start, r->pos - start))
                return fail(r, d, r->line, "out of memory");
        }
        if (!put(r, "", 1))
            return fail(r, d, r->line, "out of memory");
        if (!field_utf8_ok(r, nf, field_line, d)) {
            r->stopped = true;
            return -1;
        }
        nf++;
        if (r->pos >= len)
            break;
        char c = s[r->pos];
        if (c == r->sep) {
            r->pos++;
            continue;
        }
        if (c == '\n') {
            r->pos++;
            r->line++;
            break;
        }
        if (c == '\r') {
            if (r->pos + 1 < len && s[r->pos + 1] == '\n') {
                r->pos += 2;
                r->line++;
                break;
            }
            return fail(r, d, r->line,
                        "carriage return not followed by a line feed (lines must end with "
                        "LF or CRLF)");
        }
        if (c == '\0')
            return fail(r, d, r->line, "NUL byte: not a text file");
        /* only a quoted field can stop on anything else */
        return fail(r, d, r->line,
                    "text after the closing quote of a field (a quote inside a quoted field "
                    "is written twice)");
    }
    for (size_t i = 0; i < nf; i++)
        r->fields[i] = r->buf + r->off[i];
    *fields = r->fields;
    *n = nf;
    return 1;
}

/* svcaudit CLI: the one JSON writer (see json.h). */
#include "json.h"

#include <math.h>
#include <string.h>

void json_init(cli_json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
}

/* Before a value or a key: the comma and the break the layout asks for. */
static void next_element(cli_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0)
        return;
    int k = j->depth - 1;
    const char *brk = j->brk_once ? j->brk_once : j->level[k].brk;
    if (j->level[k].n)
        fputc(',', j->f);
    if (brk)
        fputs(brk, j->f);
    else if (j->level[k].n)
        fputc(' ', j->f);
    j->brk_once = NULL;
    j->level[k].n++;
}

static void begin(cli_json *j, char open, char close)
{
    next_element(j);
    fputc(open, j->f);
    if (j->depth < CLI_JSON_DEPTH)
        j->level[j->depth] = (cli_json_level){.close = close};
    j->depth++;
}

void json_object(cli_json *j)
{
    begin(j, '{', '}');
}

void json_array(cli_json *j)
{
    begin(j, '[', ']');
}

void json_layout(cli_json *j, const char *brk, const char *end, bool end_empty)
{
    if (j->depth < 1 || j->depth > CLI_JSON_DEPTH)
        return;
    j->level[j->depth - 1].brk = brk;
    j->level[j->depth - 1].end = end;
    j->level[j->depth - 1].end_empty = end_empty;
}

void json_break(cli_json *j, const char *brk)
{
    j->brk_once = brk;
}

void json_end(cli_json *j)
{
    if (j->depth < 1)
        return;
    j->depth--;
    if (j->depth >= CLI_JSON_DEPTH) {
        fputc('}', j->f);
        return;
    }
    const cli_json_level *l = &j->level[j->depth];
    if (l->end && (l->n || l->end_empty))
        fputs(l->end, j->f);
    fputc(l->close, j->f);
    j->brk_once = NULL;
}

int utf8_next(const unsigned char *p, unsigned *cp)
{
    unsigned c = p[0];
    int len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000, c &= 0x07;
    else
        return 0;
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

void json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len = utf8_next(p, &cp);
        if (len == 0) {
            fputs("\xEF\xBF\xBD", f); /* U+FFFD for the byte that starts no character */
            p++;
            continue;
        }
        if (len > 1) {
            fwrite(p, 1, (size_t)len, f);
            p += len;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
        p++;
    }
    fputc('"', f);
}

void json_key(cli_json *j, const char *key)
{
    next_element(j);
    json_write_string(j->f, key);
    fputs(": ", j->f);
    j->after_key = true;
}

void json_string(cli_json *j, const char *s)
{
    if (!s) {
        json_null(j);
        return;
    }
    next_element(j);
    json_write_string(j->f, s);
}

void json_number(cli_json *j, const char *text)
{
    next_element(j);
    fputs(text && *text ? text : "null", j->f);
}

void json_int(cli_json *j, long long v)
{
    next_element(j);
    fprintf(j->f, "%lld", v);
}

void json_real(cli_json *j, double v)
{
    next_element(j);
    if (isfinite(v))
        fprintf(j->f, "%g", v + 0.0);
    else
        fputs("null", j->f);
}

void json_bool(cli_json *j, bool v)
{
    next_element(j);
    fputs(v ? "true" : "false", j->f);
}

void json_null(cli_json *j)
{
    next_element(j);
    fputs("null", j->f);
}

void json_finish(cli_json *j)
{
    fputc('\n', j->f);
}

void json_kstring(cli_json *j, const char *key, const char *s)
{
    json_key(j, key);
    json_string(j, s);
}

void json_knumber(cli_json *j, const char *key, const char *text)
{
    json_key(j, key);
    json_number(j, text);
}

void json_kint(cli_json *j, const char *key, long long v)
{
    json_key(j, key);
    json_int(j, v);
}

void json_kreal(cli_json *j, const char *key, double v)
{
    json_key(j, key);
    json_real(j, v);
}

void json_kbool(cli_json *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}

/* svcaudit: INI reading. iniparser 4.1 keeps the last of duplicate keys,
 * lower-cases names, caps lines at 1024 bytes and reports errors only as
 * printed text, so every file is pre-scanned here first (with line numbers),
 * then read by iniparser and the two readings are cross-checked. */
#include "ini.h"
#include "util.h"

#include <iniparser.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sva_ini_free(sva_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        sva_ini_section *s = &ini->secs[i];
        for (size_t j = 0; j < s->n; j++) {
            free(s->entries[j].key);
            free(s->entries[j].value);
        }
        free(s->entries);
        free(s->name);
    }
    free(ini->secs);
    free(ini->name);
    free(ini);
}

const sva_ini_section *sva_ini_section_get(const sva_ini *ini, const char *name)
{
    for (size_t i = 0; ini && i < ini->n; i++)
        if (strcmp(ini->secs[i].name, name) == 0)
            return &ini->secs[i];
    return NULL;
}

const sva_ini_entry *sva_ini_entry_get(const sva_ini_section *sec, const char *key)
{
    for (size_t i = 0; sec && i < sec->n; i++)
        if (strcmp(sec->entries[i].key, key) == 0)
            return &sec->entries[i];
    return NULL;
}

static bool name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* Lower-case copy of s[0..n) with surrounding blanks removed; NULL on OOM. */
static char *stripped_lower(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *p = sva_strndup(s, n);
    for (size_t i = 0; p && p[i]; i++)
        p[i] = (char)tolower((unsigned char)p[i]);
    return p;
}

static bool check_name(const char *what, const char *nm, const char *file, int line, sva_diag *d)
{
    if (!*nm) {
        sva_diag_add(d, file, line, "empty %s name", what);
        return false;
    }
    for (const char *p = nm; *p; p++)
        if (!name_char((unsigned char)*p)) {
            sva_diag_add(d, file, line, "invalid character in %s name '%s' (use a-z 0-9 _ - .)",
                         what, nm);
            return false;
        }
    return true;
}

static sva_ini_section *add_section(sva_ini *ini, char *name, int line)
{
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? ini->cap * 2 : 16;
        sva_ini_section *p = realloc(ini->secs, cap * sizeof *p);
        if (!p)
            return NULL;
        ini->secs = p;
        ini->cap = cap;
    }
    sva_ini_section *s = &ini->secs[ini->n++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->line = line;
    return s;
}

static bool add_entry(sva_ini_section *s, char *key, char *value, int line)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        sva_ini_entry *p = realloc(s->entries, cap * sizeof *p);
        if (!p)
            return false;
        s->entries = p;
        s->cap = cap;
    }
    s->entries[s->n].key = key;
    s->entries[s->n].value = value;
    s->entries[s->n].line = line;
    s->n++;
    return true;
}

/* Parse the value part (after '=') the way iniparser 4.1 does; NULL + diag on
 * a value iniparser would read differently from what the user sees. */
static char *parse_value(const char *v, const char *file, int line, sva_diag *d, bool *oom)
{
    while (*v && isspace((unsigned char)*v))
        v++;
    if (*v == '"' || *v == '\'') {
        char q = *v;
        const char *end = strchr(v + 1, q);
        if (!end) {
            sva_diag_add(d, file, line, "unterminated quoted value");
            return NULL;
        }
        const char *rest = end + 1;
        while (*rest && isspace((unsigned char)*rest))
            rest++;
        if (*rest && *rest != ';' && *rest != '#') {
            sva_diag_add(d, file, line, "text after the closing quote");
            return NULL;
        }
        char *p = sva_strndup(v + 1, (size_t)(end - v - 1));
        if (!p)
            *oom = true;
        return p;
    }
    size_t n = strcspn(v, ";#");
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    char *p = sva_strndup(v, n);
    if (!p)
        *oom = true;
    return p;
}

static int swallow(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

/* Read the same bytes with iniparser and compare every value. */
static sva_error cross_check(sva_ini *ini, const char *data, size_t len, sva_diag *d)
{
    const char *tmpdir = getenv("TMPDIR");
    char *tmpl = sva_asprintf("%s/svcaudit-ini-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!tmpl)
        return SVA_ERR_NOMEM;
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        sva_diag_add(d, ini->name, 0, "cannot create a temporary file in '%s'",
                     tmpdir && *tmpdir ? tmpdir : "/tmp");
        free(tmpl);
        return SVA_ERR_IO;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fd);
    if (off != len) {
        unlink(tmpl);
        free(tmpl);
        sva_diag_add(d, ini->name, 0, "cannot write a temporary file");
        return SVA_ERR_IO;
    }
    iniparser_set_error_callback(swallow);
    dictionary *dict = iniparser_load(tmpl);
    unlink(tmpl);
    free(tmpl);
    if (!dict) {
        sva_diag_add(d, ini->name, 0, "the INI parser could not read this file");
        return SVA_ERR_PARSE;
    }
    sva_error rc = SVA_OK;
    for (size_t i = 0; i < ini->n; i++) {
        sva_ini_section *s = &ini->secs[i];
        for (size_t j = 0; j < s->n; j++) {
            char *k = sva_asprintf("%s:%s", s->name, s->entries[j].key);
            if (!k) {
                rc = SVA_ERR_NOMEM;
                goto done;
            }
            const char *v = iniparser_getstring(dict, k, NULL);
            free(k);
            if (!v || strcmp(v, s->entries[j].value) != 0) {
                sva_diag_add(d, ini->name, s->entries[j].line,
                             "value of '%s' is read ambiguously; put it in double quotes",
                             s->entries[j].key);
                rc = SVA_ERR_PARSE;
            }
        }
    }
done:
    iniparser_freedict(dict);
    return rc;
}

sva_error sva_ini_parse(const char *name, const char *data, size_t len, sva_ini **out,
                        sva_diag *d)
{
    *out = NULL;
    sva_ini *ini = calloc(1, sizeof *ini);
    if (!ini || !(ini->name = sva_strdup(name))) {
        free(ini);
        return SVA_ERR_NOMEM;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t errors_before = d ? d->n : 0;
    int problems = 0;
    sva_ini_section *cur = NULL;
    bool skipping = false; /* inside a rejected section: its keys are not reported */
    int lineno = 0;
    size_t pos = 0;
    char *line = NULL;
    while (pos < len) {
        lineno++;
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n && start[n - 1] == '\r')
            n--;
        if (memchr(start, '\0', n)) {
            sva_diag_add(d, name, lineno, "binary data (NUL byte); not a text file");
            problems++;
            break;
        }
        if (n > SVA_INI_MAX_LINE) {
            sva_diag_add(d, name, lineno, "line too long (%zu bytes; at most %d)", n,
                         SVA_INI_MAX_LINE);
            problems++;
            if (!cur)
                skipping = true; /* it may have been the section its keys belong to */
            continue;
        }
        size_t ok = sva_utf8_valid_prefix((const unsigned char *)start, n);
        if (ok != n) {
            sva_diag_add(d, name, lineno, "invalid UTF-8 at byte %zu of the line", ok + 1);
            problems++;
            if (!cur)
                skipping = true;
            continue;
        }
        free(line);
        line = sva_strndup(start, n);
        if (!line)
            goto oom;
        char *s = line;
        while (*s && isspace((unsigned char)*s))
            s++;
        size_t sl = strlen(s);
        while (sl && isspace((unsigned char)s[sl - 1]))
            s[--sl] = '\0';
        if (sl && s[sl - 1] == '\\') {
            sva_diag_add(d, name, lineno,
                         "line ends with '\\' (line continuation is not supported)");
            problems++;
            continue;
        }
        if (!sl || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close != s + sl - 1) {
                sva_diag_add(d, name, lineno, "malformed section header (want [name])");
                problems++;
                cur = NULL;
                skipping = true;
                continue;
            }
            char *nm = stripped_lower(s + 1, (size_t)(close - s - 1));
            if (!nm)
                goto oom;
            if (!check_name("section", nm, name, lineno, d)) {
                free(nm);
                problems++;
                cur = NULL;
                skipping = true;
                continue;
            }
            const sva_ini_section *dup = sva_ini_section_get(ini, nm);
            if (dup) {
                sva_diag_add(d, name, lineno, "duplicate section [%s] (first at line %d)", nm,
                             dup->line);
                free(nm);
                problems++;
                cur = NULL;
                skipping = true;
                continue;
            }
            if (!(cur = add_section(ini, nm, lineno))) {
                free(nm);
                goto oom;
            }
            skipping = false;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            sva_diag_add(d, name, lineno, "syntax error: expected 'key = value' or [section]");
            problems++;
            continue;
        }
        char *key = stripped_lower(s, (size_t)(eq - s));
        if (!key)
            goto oom;
        if (!check_name("key", key, name, lineno, d)) {
            free(key);
            problems++;
            continue;
        }
        bool oom = false;
        char *val = parse_value(eq + 1, name, lineno, d, &oom);
        if (!val) {
            free(key);
            if (oom)
                goto oom;
            problems++;
            continue;
        }
        if (!cur) {
            if (!skipping) {
                sva_diag_add(d, name, lineno, "key '%s' outside any section", key);
                problems++;
            }
            free(key);
            free(val);
            continue;
        }
        const sva_ini_entry *dup = sva_ini_entry_get(cur, key);
        if (dup) {
            sva_diag_add(d, name, lineno, "duplicate key '%s' in [%s] (first at line %d)", key,
                         cur->name, dup->line);
            problems++;
            free(key);
            free(val);
            continue;
        }
        if (!add_entry(cur, key, val, lineno)) {
            free(key);
            free(val);
            goto oom;
        }
    }
    free(line);
    line = NULL;
    *out = ini;
    if (problems || (d && d->n > errors_before))
        return SVA_ERR_PARSE;
    return cross_check(ini, data, len, d);
oom:
    free(line);
    sva_ini_free(ini);
    return SVA_ERR_NOMEM;
}

sva_error sva_ini_load(const char *path, sva_ini **out, sva_diag *d)
{
    *out = NULL;
    char *data;
    size_t len;
    sva_error rc = sva_read_file(path, &data, &len, d);
    if (rc)
        return rc;
    rc = sva_ini_parse(path, data, len, out, d);
    free(data);
    return rc;
}

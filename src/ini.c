/* svcaudit: INI reading. iniparser 4.1 keeps the last of duplicate keys,
 * lower-cases names, caps lines at 1024 bytes and reports errors only as
 * printed text, so every file is pre-scanned here first (with line numbers),
 * then read by iniparser and the two readings are cross-checked where they
 * could differ (values with quotes). Both passes are linear in the file: see
 * the pre-scan's loop and CHECK_KEYS. */
#include "ini.h"
#include "util.h"

#include <iniparser.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The chunks section names, keys and values are kept in (freed with the
 * file): no allocation of their own for each, and no free. */
struct sva_ini_chunk {
    struct sva_ini_chunk *next;
    size_t used, cap;
    char data[];
};

void sva_ini_free(sva_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        sva_ini_section *s = &ini->secs[i];
        sva_map_free(&s->by_key);
    }
    free(ini->all);
    free(ini->secs);
    sva_map_free(&ini->by_name);
    for (struct sva_ini_chunk *c = ini->names, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(ini->name);
    free(ini);
}

const sva_ini_section *sva_ini_section_get(const sva_ini *ini, const char *name)
{
    size_t i;
    if (ini && sva_map_get(&ini->by_name, name, &i))
        return &ini->secs[i];
    return NULL;
}

/* A section's keys are looked up by a scan while it has at most this many, and
 * through its own map after: few keys cost no map, many cost O(1) each. */
#define SCAN_KEYS 16

const sva_ini_entry *sva_ini_entry_get(const sva_ini_section *sec, const char *key)
{
    if (!sec)
        return NULL;
    if (sec->by_key.n) {
        size_t j;
        return sva_map_get(&sec->by_key, key, &j) ? &sec->entries[j] : NULL;
    }
    for (size_t i = 0; i < sec->n; i++)
        if (strcmp(sec->entries[i].key, key) == 0)
            return &sec->entries[i];
    return NULL;
}

static bool name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* Room for @p n bytes in the file's chunks (it lives as long as @p ini);
 * NULL on OOM. Chunks double up to 64 KiB, then stay at that size. */
static char *chunk_alloc(sva_ini *ini, size_t n)
{
    struct sva_ini_chunk *c = ini->names;
    if (!c || c->cap - c->used < n) {
        size_t cap = !c ? 4096 : c->cap < 65536 ? 2 * c->cap : c->cap;
        if (cap < n)
            cap = n;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->next = ini->names;
        c->used = 0;
        c->cap = cap;
        ini->names = c;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

/* Copy of s[0..n) in the file's chunks, NUL-terminated; NULL on OOM. */
static char *chunk_strndup(sva_ini *ini, const char *s, size_t n)
{
    char *p = chunk_alloc(ini, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Lower-case copy of s[0..n) with surrounding blanks removed, in the file's
 * chunks; NULL on OOM. */
static char *stripped_lower(sva_ini *ini, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *p = chunk_alloc(ini, n + 1);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++)
        p[i] = (char)tolower((unsigned char)s[i]);
    p[n] = '\0';
    return p;
}

/* ---- the pre-scan ------------------------------------------------------------------- */

#define NO_SECTION ((size_t)-1)

/* The pre-scan's state: the file so far, the section keys go to, and the
 * current line's problem (one message per line: what a first problem causes
 * on the same line would only repeat it). */
typedef struct scan {
    sva_ini *ini;
    const char *name;
    sva_diag *d;
    size_t cur;          /* the section keys go to, or NO_SECTION */
    bool skipping;       /* inside a rejected section: its keys are not reported */
    int problems;
    int lineno;
    bool line_reported;  /* the current line has its message */
    bool oom;
} scan;

static void problem(scan *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void problem(scan *st, const char *fmt, ...)
{
    st->problems++;
    if (st->line_reported)
        return;
    st->line_reported = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = sva_vasprintf(fmt, ap);
    va_end(ap);
    if (!msg) {
        st->oom = true;
        return;
    }
    sva_diag_add(st->d, st->name, st->lineno, "%s", msg);
    free(msg);
}

static bool check_name(scan *st, const char *what, const char *nm)
{
    if (!*nm) {
        problem(st, "empty %s name", what);
        return false;
    }
    for (const char *p = nm; *p; p++)
        if (!name_char((unsigned char)*p)) {
            problem(st, "invalid character in %s name '%s' (use a-z 0-9 _ - .)", what, nm);
            return false;
        }
    return true;
}

static bool add_section(sva_ini *ini, char *name, int line)
{
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? ini->cap * 2 : 16;
        sva_ini_section *p = realloc(ini->secs, cap * sizeof *p);
        if (!p)
            return false;
        ini->secs = p;
        ini->cap = cap;
    }
    if (!sva_map_put(&ini->by_name, name, ini->n))
        return false;
    sva_ini_section *s = &ini->secs[ini->n++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->line = line;
    return true;
}

/* Append an entry to the last section @p s of @p ini (keys go only to the
 * section read last: a section cannot be reopened, so each section's entries
 * are one run of the file's array); false when out of memory. */
static bool add_entry(sva_ini *ini, sva_ini_section *s, char *key, char *value, int line,
                      size_t off, size_t len)
{
    if (ini->n_all == ini->cap_all) {
        size_t cap = ini->cap_all ? ini->cap_all * 2 : 64;
        sva_ini_entry *p = realloc(ini->all, cap * sizeof *p);
        if (!p)
            return false;
        ini->all = p;
        ini->cap_all = cap;
        for (size_t i = 0; i < ini->n; i++) /* the array moved */
            if (ini->secs[i].n)
                ini->secs[i].entries = p + ini->secs[i].first;
    }
    if (!s->n) {
        s->first = ini->n_all;
        s->entries = ini->all + s->first;
    }
    ini->all[ini->n_all++] = (sva_ini_entry){key, value, line, off, len};
    s->n++;
    if (s->n == SCAN_KEYS + 1) {
        for (size_t i = 0; i < s->n; i++)
            if (!sva_map_put(&s->by_key, s->entries[i].key, i))
                goto oom;
    } else if (s->n > SCAN_KEYS + 1 && !sva_map_put(&s->by_key, key, s->n - 1)) {
        goto oom;
    }
    return true;
oom:
    s->n--;
    ini->n_all--;
    sva_map_free(&s->by_key);
    return false;
}

/* Parse the value part (after '=') the way iniparser 4.1 does, into the
 * file's chunks; NULL and a problem on a value iniparser would read
 * differently from what the user sees. */
static char *parse_value(scan *st, const char *v)
{
    while (*v && isspace((unsigned char)*v))
        v++;
    if (*v == '"' || *v == '\'') {
        char q = *v;
        const char *end = strchr(v + 1, q);
        if (!end) {
            problem(st, "unterminated quoted value");
            return NULL;
        }
        const char *rest = end + 1;
        while (*rest && isspace((unsigned char)*rest))
            rest++;
        if (*rest && *rest != ';' && *rest != '#') {
            problem(st, "text after the closing quote");
            return NULL;
        }
        char *p = chunk_strndup(st->ini, v + 1, (size_t)(end - v - 1));
        if (!p)
            st->oom = true;
        return p;
    }
    size_t n = strcspn(v, ";#");
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    char *p = chunk_strndup(st->ini, v, n);
    if (!p)
        st->oom = true;
    return p;
}

/* Does a line the scan could not read look like a section header? Then the
 * keys after it are not filed under the section before it (they would show as
 * false duplicates there). */
static void lost_line(scan *st, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '[') {
        st->cur = NO_SECTION;
        st->skipping = true;
    } else if (st->cur == NO_SECTION) {
        st->skipping = true; /* it may have been the section its keys belong to */
    }
}

/* One line: s is NUL-terminated valid UTF-8 of @p sl bytes with no line
 * break and no NUL; it lies at src_off in the text (src_len bytes there, for
 * the cross-check). */
static void scan_text(scan *st, char *s, size_t sl, size_t src_off, size_t src_len)
{
    while (sl && isspace((unsigned char)*s)) {
        s++;
        sl--;
    }
    while (sl && isspace((unsigned char)s[sl - 1]))
        s[--sl] = '\0';
    if (sl && s[sl - 1] == '\\') {
        problem(st, "line ends with '\\' (line continuation is not supported)");
        return;
    }
    if (!sl || *s == ';' || *s == '#')
        return;
    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close || close != s + sl - 1) {
            problem(st, "malformed section header (want [name])");
            st->cur = NO_SECTION;
            st->skipping = true;
            return;
        }
        char *nm = stripped_lower(st->ini, s + 1, (size_t)(close - s - 1));
        if (!nm) {
            st->oom = true;
            return;
        }
        bool ok = check_name(st, "section", nm);
        const sva_ini_section *dup = ok ? sva_ini_section_get(st->ini, nm) : NULL;
        if (dup)
            problem(st, "duplicate section [%s] (first at line %d)", nm, dup->line);
        if (!ok || dup) {
            st->cur = NO_SECTION;
            st->skipping = true;
            return;
        }
        if (!add_section(st->ini, nm, st->lineno)) {
            st->oom = true;
            return;
        }
        st->cur = st->ini->n - 1;
        st->skipping = false;
        return;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        problem(st, "syntax error: expected 'key = value' or [section]");
        return;
    }
    char *key = stripped_lower(st->ini, s, (size_t)(eq - s));
    if (!key) {
        st->oom = true;
        return;
    }
    if (!check_name(st, "key", key)) {
        return;
    }
    char *val = parse_value(st, eq + 1);
    if (!val || st->cur == NO_SECTION) {
        if (val && !st->skipping)
            problem(st, "key '%s' outside any section", key);
        return;
    }
    sva_ini_section *sec = &st->ini->secs[st->cur];
    const sva_ini_entry *dup = sva_ini_entry_get(sec, key);
    if (dup) {
        problem(st, "duplicate key '%s' in [%s] (first at line %d)", key, sec->name, dup->line);
        return;
    }
    if (!add_entry(st->ini, sec, key, val, st->lineno, src_off, src_len))
        st->oom = true;
}

/* Is s[0..n) (valid UTF-8, no NUL) a line scan_text would pass over without
 * a word: blank, or a comment not ending in '\\', with no BOM and no CR to
 * report (@p cr_ef: the file has CR or 0xEF bytes somewhere)? Most of a
 * template's lines are comments: they are not copied. */
static bool quiet_line(const char *s, size_t n, bool cr_ef)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]) && s[i] != '\r')
        i++;
    if (i == n)
        return true;
    if (s[i] != ';' && s[i] != '#')
        return false;
    if (cr_ef && (memchr(s + i, '\r', n - i) || memchr(s + i, 0xEF, n - i)))
        return false;
    while (n > i && isspace((unsigned char)s[n - 1]))
        n--;
    return s[n - 1] != '\\';
}

/* Remove every UTF-8 byte order mark (EF BB BF) from s[0..*n); true if there was one. */
static bool drop_boms(char *s, size_t *n)
{
    if (!memchr(s, 0xEF, *n))
        return false; /* no BOM can start here: nothing to move */
    size_t w = 0;
    bool any = false;
    for (size_t i = 0; i < *n;) {
        if (*n - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0) {
            i += 3;
            any = true;
            continue;
        }
        s[w++] = s[i++];
    }
    s[w] = '\0';
    *n = w;
    return any;
}

/* ---- the cross-check ------------------------------------------------------------------ */

static int swallow(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

/* iniparser 4.1 keeps its dictionary in an array that it searches from the
 * start for every key it sets or gets, so a file of n keys costs it O(n^2).
 * It therefore reads the lines in pieces of at most CHECK_KEYS keys, each
 * piece the original lines of its keys (the keys renamed, see queue_file)
 * under one header: O(n) pieces of bounded cost. (A value's reading depends
 * on its own line only: iniparser reads line by line, and the pre-scan has
 * refused line continuations.) One checker serves any number of files (a
 * batch of answer sheets, sva_ini_check_new): their lines share pieces, and
 * a piece with lines of several files stays under PIECE_BYTES, what a pipe
 * holds (load_pipe), so that other files' lines never send a file's lines
 * through a temporary file. */
#define CHECK_KEYS 256
#define PIECE_BYTES 60000

/* A queued key: its file (for messages), the entry, the section header it is under. */
typedef struct pending {
    const sva_ini *ini;
    const sva_ini_entry *e;
    sva_diag *d;
    sva_error *rc; /* the file's result: SVA_ERR_PARSE on an ambiguous value */
} pending;

struct sva_ini_check {
    char *tmp;       /* the temporary file's name, once made; NULL before */
    int fd;
    bool used;       /* a piece was written to it already */
    sva_buf text;    /* the piece: "[p]", then its keys' lines as k0, k1, ... */
    pending v[CHECK_KEYS];
    size_t n;
};

sva_ini_check *sva_ini_check_new(void)
{
    sva_ini_check *c = calloc(1, sizeof *c);
    if (c)
        c->fd = -1;
    return c;
}

void sva_ini_check_free(sva_ini_check *c)
{
    if (!c)
        return;
    if (c->tmp) {
        close(c->fd);
        unlink(c->tmp);
        free(c->tmp);
    }
    sva_buf_free(&c->text);
    free(c);
}

/* iniparser reads a file by its name: the piece goes through a pipe, named
 * /dev/fd/N, so that no file is made, written and removed for every sheet
 * with a quoted value (that was a fifth of a batch's time). The write end
 * does not block: a piece larger than what the pipe holds, or a system
 * without /dev/fd, gives NULL here and the piece is read from a temporary
 * file instead (load_file). */
static dictionary *load_pipe(const char *p, size_t len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    dictionary *dict = NULL;
    size_t off = 0;
    int fl = fcntl(fds[1], F_GETFL);
    if (fl != -1 && fcntl(fds[1], F_SETFL, fl | O_NONBLOCK) != -1)
        while (off < len) {
            ssize_t w = write(fds[1], p + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
    close(fds[1]);
    if (off == len) {
        char name[32];
        snprintf(name, sizeof name, "/dev/fd/%d", fds[0]);
        dict = iniparser_load(name);
    }
    close(fds[0]);
    return dict;
}

/* Every file of the piece gets @p fmt once, at line 0, and result @p rc. */
static void piece_failed(sva_ini_check *c, sva_error rc, const char *fmt, const char *arg)
{
    for (size_t i = 0; i < c->n; i++) {
        if (i == 0 || c->v[i].d != c->v[i - 1].d) {
            if (fmt)
                sva_diag_add(c->v[i].d, c->v[i].ini->name, 0, fmt, arg);
        }
        *c->v[i].rc = rc;
    }
}

/* The piece from a temporary file (made the first time, removed by
 * sva_ini_check_free) into *@p out. @return SVA_OK; SVA_ERR_PARSE (iniparser
 * cannot read it), SVA_ERR_IO, SVA_ERR_NOMEM, with a message to each file. */
static sva_error load_file(sva_ini_check *c, const char *p, size_t len, dictionary **out)
{
    *out = NULL;
    if (!c->tmp) {
        const char *tmpdir = getenv("TMPDIR");
        if (!(c->tmp = sva_asprintf("%s/svcaudit-ini-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp")))
            return SVA_ERR_NOMEM;
        if ((c->fd = mkstemp(c->tmp)) < 0) {
            piece_failed(c, SVA_ERR_IO, "cannot create a temporary file in '%s'",
                         tmpdir && *tmpdir ? tmpdir : "/tmp");
            free(c->tmp);
            c->tmp = NULL;
            return SVA_ERR_IO;
        }
    }
    /* only a used file is truncated: ext4 writes a file truncated to 0 out to
     * disk when it is closed (its guard for replace-by-truncate), which made
     * every parse wait for the disk */
    size_t off = 0;
    bool ok = !c->used || ftruncate(c->fd, 0) == 0;
    c->used = true;
    while (ok && off < len) {
        ssize_t w = pwrite(c->fd, p + off, len - off, (off_t)off);
        if (w <= 0)
            ok = false;
        else
            off += (size_t)w;
    }
    if (!ok) {
        piece_failed(c, SVA_ERR_IO, "cannot write a temporary file%s", "");
        return SVA_ERR_IO;
    }
    if (!(*out = iniparser_load(c->tmp))) {
        piece_failed(c, SVA_ERR_PARSE, "the INI parser could not read this file%s", "");
        return SVA_ERR_PARSE;
    }
    return SVA_OK;
}

/* Read the piece with iniparser and compare its keys' values; the piece is
 * then empty. A failure is each file's (SVA_ERR_NOMEM, SVA_ERR_IO, with a
 * message): @return it, or SVA_OK (ambiguous values are the files' results). */
static sva_error check_piece(sva_ini_check *c)
{
    sva_error rc = SVA_OK;
    if (c->text.failed) {
        piece_failed(c, SVA_ERR_NOMEM, NULL, NULL);
        rc = SVA_ERR_NOMEM;
        goto done;
    }
    const char *p = c->text.data ? c->text.data : "";
    iniparser_set_error_callback(swallow);
    dictionary *dict = load_pipe(p, c->text.len);
    if (!dict) {
        rc = load_file(c, p, c->text.len, &dict);
        if (rc)
            goto done;
    }
    char k[32];
    for (size_t i = 0; i < c->n; i++) {
        const pending *q = &c->v[i];
        snprintf(k, sizeof k, "p:k%zu", i);
        const char *v = iniparser_getstring(dict, k, NULL);
        /* An assertion that refuses rather than aborts: with iniparser 4.1
         * (Debian's) no line the pre-scan accepts gets here, as it refuses
         * what 4.1 reads otherwise (an unterminated quote, text after the
         * closing one, a trailing '\\', a duplicate key, a long line) and
         * reads quotes, "" and '' as 4.1 does (test_ini's
         * test_quoted_values_read_alike tries every value of up to four
         * tricky pieces). Another iniparser may read quotes or escapes
         * otherwise: the file is then refused, not misread. */
        if (!v || strcmp(v, q->e->value) != 0) {
            sva_diag_add(q->d, q->ini->name, q->e->line,
                         "value of '%s' is read ambiguously; put it in double quotes",
                         q->e->key);
            if (*q->rc == SVA_OK)
                *q->rc = SVA_ERR_PARSE;
        }
    }
    iniparser_freedict(dict);
done:
    if (c->text.failed) {
        sva_buf_free(&c->text);
        memset(&c->text, 0, sizeof c->text);
    }
    c->text.len = 0;
    c->n = 0;
    return rc;
}

/* Can iniparser read this key line otherwise than the pre-scan did? Only
 * through quotes: without them both read the value as the text after the
 * first '=' up to the first ';' or '#', blanks around it removed (iniparser's
 * "%[^=] = %[^;#]", then strstrip; the pre-scan's parse_value), and an empty
 * pair of quotes as empty. */
static bool needs_check(const char *line, size_t len)
{
    const char *eq = memchr(line, '=', len);
    if (!eq)
        return true;
    const char *v = eq + 1, *end = line + len;
    while (v < end && isspace((unsigned char)*v))
        v++;
    while (end > v && isspace((unsigned char)end[-1]))
        end--;
    if (end - v == 2 && (memcmp(v, "\"\"", 2) == 0 || memcmp(v, "''", 2) == 0))
        return false;
    return memchr(v, '"', (size_t)(end - v)) || memchr(v, '\'', (size_t)(end - v));
}

/* Queue every value of @p ini that iniparser could read otherwise
 * (needs_check), reading pieces as they fill. @return SVA_OK, or a piece's
 * failure (queuing stops). */
static sva_error queue_file(sva_ini_check *c, const sva_ini *ini, const char *data, sva_diag *d,
                            sva_error *rc)
{
    for (size_t i = 0; i < ini->n; i++) {
        const sva_ini_section *s = &ini->secs[i];
        for (size_t j = 0; j < s->n; j++) {
            const sva_ini_entry *e = &s->entries[j];
            if (!needs_check(data + e->src_off, e->src_len))
                continue;
            if (c->n == CHECK_KEYS ||
                (c->n && c->v[0].ini != ini && c->text.len + e->src_len + 16 > PIECE_BYTES)) {
                sva_error r = check_piece(c);
                if (r)
                    return r;
            }
            if (!c->n)
                sva_buf_append(&c->text, "[p]\n", 4);
            /* the line with its key renamed k<n>: iniparser reads a key as the
             * text before the first '=', which the pre-scan found to be a
             * name, so the value's reading is the same, and keys of many
             * sections and files can share one section */
            const char *line = data + e->src_off, *eq = memchr(line, '=', e->src_len);
            char k[24];
            int kn = snprintf(k, sizeof k, "k%zu ", c->n);
            sva_buf_append(&c->text, k, (size_t)kn);
            sva_buf_append(&c->text, eq, e->src_len - (size_t)(eq - line));
            sva_buf_append(&c->text, "\n", 1);
            c->v[c->n] = (pending){ini, e, d, rc};
            c->n++;
        }
    }
    return SVA_OK;
}

sva_error sva_ini_check_flush(sva_ini_check *c)
{
    return c->n ? check_piece(c) : SVA_OK;
}

/* ---- parse ---------------------------------------------------------------------------- */

/* The pre-scan, then the cross-check: at once (c NULL), or queued in c with
 * the result to *rc_later (the return value is then the pre-scan's). */
static sva_error parse(sva_ini_check *c, const char *name, const char *data, size_t len,
                       sva_ini **out, sva_diag *d, sva_error *rc_later)
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
    /* A file with carriage returns and no line feed has old Mac line endings:
     * its lines end at each CR (one message says so, the rest is read). */
    bool cr_lines = len && !memchr(data, '\n', len) && memchr(data, '\r', len);
    char eol = cr_lines ? '\r' : '\n';
    /* what few files have is looked for per line only when the file has it */
    bool has_nul = memchr(data, '\0', len) != NULL;
    bool has_cr_ef = memchr(data, '\r', len) || memchr(data, 0xEF, len);
    scan st = {ini, name, d, NO_SECTION, false, 0, 0, false, false};
    size_t pos = 0;
    char *line = NULL;
    size_t line_cap = 0;
    /* Every step below is O(length of the line): the whole scan is linear. */
    while (pos < len && !st.oom) {
        st.lineno++;
        st.line_reported = false;
        const char *start = data + pos;
        size_t off = pos, raw;
        const char *nl = memchr(start, eol, len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (!cr_lines && n && start[n - 1] == '\r')
            n--;
        raw = n;
        if (has_nul && memchr(start, '\0', n)) {
            problem(&st, "binary data (NUL byte); not a text file");
            break;
        }
        if (cr_lines && st.lineno == 1)
            problem(&st, "lines end with a carriage return only (old Mac line endings): "
                         "save the file with LF or CRLF line endings");
        if (n > SVA_INI_MAX_LINE) {
            problem(&st, "line too long (%zu bytes; at most %d)", n, SVA_INI_MAX_LINE);
            lost_line(&st, start, n);
            continue;
        }
        size_t ok = sva_utf8_valid_prefix((const unsigned char *)start, n);
        if (ok != n) {
            problem(&st, "invalid UTF-8 at byte %zu of the line", ok + 1);
            lost_line(&st, start, n);
            continue;
        }
        if (quiet_line(start, n, has_cr_ef))
            continue;
        if (n >= line_cap) { /* one buffer for every line */
            size_t cap = n + 1 > 2 * line_cap ? n + 1 : 2 * line_cap;
            char *p = realloc(line, cap);
            if (!p) {
                st.oom = true;
                break;
            }
            line = p;
            line_cap = cap;
        }
        memcpy(line, start, n);
        line[n] = '\0';
        /* A BOM after the start (two files joined?) and a CR that ends no line are
         * reported here; the line is then read without them, quietly, so what it
         * holds (a section header, a key) is still there for the lines after it. */
        if (has_cr_ef && drop_boms(line, &n))
            problem(&st, "byte order mark (U+FEFF) inside the file (were two files joined?): "
                         "remove it");
        if (has_cr_ef && memchr(line, '\r', n)) {
            problem(&st, "carriage return in the middle of a line (lines end with LF or "
                         "CRLF; a value is one line)");
            for (char *cr = line; (cr = memchr(cr, '\r', (size_t)(line + n - cr))) != NULL;)
                *cr = ' ';
        }
        scan_text(&st, line, n, off, raw);
    }
    free(line);
    if (st.oom) {
        sva_ini_free(ini);
        return SVA_ERR_NOMEM;
    }
    *out = ini;
    if (st.problems)
        return SVA_ERR_PARSE;
    if (!c) {
        /* alone: a checker only when a value needs one */
        bool none = true;
        for (size_t i = 0; i < ini->n && none; i++)
            for (size_t j = 0; j < ini->secs[i].n && none; j++)
                none = !needs_check(data + ini->secs[i].entries[j].src_off,
                                    ini->secs[i].entries[j].src_len);
        if (none)
            return SVA_OK;
        if (!(c = sva_ini_check_new()))
            return SVA_ERR_NOMEM;
        sva_error rc = SVA_OK;
        sva_error r = queue_file(c, ini, data, d, &rc);
        if (!r)
            r = sva_ini_check_flush(c);
        sva_ini_check_free(c);
        return rc ? rc : r;
    }
    *rc_later = SVA_OK;
    sva_error r = queue_file(c, ini, data, d, rc_later);
    if (r && *rc_later == SVA_OK)
        *rc_later = r; /* its values after the failed piece are not checked */
    return SVA_OK;
}

sva_error sva_ini_parse(const char *name, const char *data, size_t len, sva_ini **out,
                        sva_diag *d)
{
    return parse(NULL, name, data, len, out, d, NULL);
}

sva_error sva_ini_parse_queued(sva_ini_check *c, const char *name, const char *data, size_t len,
                               sva_ini **out, sva_diag *d, sva_error *rc)
{
    *rc = SVA_OK;
    sva_error r = parse(c, name, data, len, out, d, rc);
    if (r) /* not queued: the pre-scan's result is the file's */
        *rc = r;
    return r;
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

/* svcaudit CLI: shared helpers (messages, output formats, checklist search). */
#include "cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SVA_DATADIR
#define SVA_DATADIR "/usr/local/share/svcaudit"
#endif

cli_globals g_cli;
static size_t g_broken_checklists; /* files on the search path that failed to load */
static char g_first_broken[1024];  /* the first of them */

const cli_choice cli_formats[] = {
    {"table", CLI_TABLE}, {"csv", CLI_CSV}, {"json", CLI_JSON}, {NULL, 0}};
const cli_choice cli_formats_show[] = {{"table", CLI_TABLE}, {"json", CLI_JSON}, {NULL, 0}};

/* Append @p s to @p out with what would break the one line or fool the
 * terminal escaped: C0/C1 controls and DEL, invisible format characters
 * (zero-width, bidi, line separators, BOM), bytes that are not UTF-8. */
static void put_clean(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len = utf8_next(p, &cp);
        if (len == 0) {
            fprintf(out, "\\x%02x", *p++);
            continue;
        }
        if (cp == '\n')
            fputs("\\n", out);
        else if (cp == '\r')
            fputs("\\r", out);
        else if (cp == '\t')
            fputs("\\t", out);
        else if (cp < 0x20 || cp == 0x7f)
            fprintf(out, "\\x%02x", cp);
        else if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
                 (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
                 cp == 0xfeff)
            fprintf(out, "\\u%04x", cp);
        else
            fwrite(p, 1, (size_t)len, out);
        p += len;
    }
}

const char *cli_clean(const char *s)
{
    /* a ring, so that several may stand in one printf */
    static char *ring[8];
    static size_t next;
    if (!s)
        return "";
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return "";
    put_clean(m, s);
    if (fclose(m) != 0 || !buf)
        return "";
    free(ring[next]);
    ring[next] = buf;
    next = (next + 1) % 8;
    return buf;
}

/* One line on stderr, written at once: "svcaudit: " + the cleaned message. */
static void say(const char *msg, const char *tail)
{
    char *line = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&line, &size);
    if (!m) { /* no memory: the same line, in pieces */
        fputs("svcaudit: ", stderr);
        put_clean(stderr, msg);
        fprintf(stderr, "%s\n", tail);
        return;
    }
    fputs("svcaudit: ", m);
    put_clean(m, msg);
    fputs(tail, m);
    fputc('\n', m);
    if (fclose(m) == 0)
        fwrite(line, 1, size, stderr);
    free(line);
}

static void vsay(const char *fmt, va_list ap, const char *tail)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!msg) {
        say("out of memory", "");
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    say(msg, tail);
    free(msg);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap, "");
    va_end(ap);
}

void cli_print_diag(const sva_diag *d)
{
    char buf[2048];
    for (size_t i = 0; d && i < d->n; i++) {
        sva_diag_format(d, i, buf, sizeof buf);
        say(buf, "");
    }
}

void cli_print_diag_in(const sva_diag *d, const char *file)
{
    char buf[2048];
    for (size_t i = 0; d && i < d->n; i++) {
        sva_diag_format(d, i, buf, sizeof buf);
        if (d->msgs[i].file)
            say(buf, "");
        else
            cli_error("%s: %s", file, buf);
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char tail[160];
    snprintf(tail, sizeof tail, " (see 'svcaudit %s%s--help')", cmd ? cmd : "", cmd ? " " : "");
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap, tail);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write output: %s", strerror(errno));
        return EXIT_DATA;
    }
    return rc;
}

/* A folder the user named must be one (a misspelt --checklists would
 * otherwise hide the checklists the user meant, silently). */
static bool user_dir(const char *dir, const char *where)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    cli_error("%s: no folder '%s'", where, dir);
    return false;
}

static sva_catalog *g_catalog; /* the one cli_catalog opened: its problems, for the hint */
static char g_searched[1024];  /* the folders it searched, "A, B or C", for the hint */

/* Name the folders searched in g_searched, as a person would list them (the
 * shipped relative one as ./checklists: a folder here, not a word). */
static void note_searched(const char *const *dirs, size_t n)
{
    size_t used = 0;
    g_searched[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof g_searched; i++) {
        int k = snprintf(g_searched + used, sizeof g_searched - used, "%s%s%s",
                         i == 0 ? "" : i + 1 == n ? " or " : ", ",
                         strcmp(dirs[i], "checklists") == 0 ? "./" : "", dirs[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

/* Count the files in @p d's messages (one file's messages are together). */
static void count_broken(const sva_diag *d)
{
    size_t files = 0;
    for (size_t i = 0; i < d->n; i++)
        if (i == 0 || !d->msgs[i].file || !d->msgs[i - 1].file ||
            strcmp(d->msgs[i].file, d->msgs[i - 1].file) != 0)
            files++;
    g_broken_checklists = files;
    if (files && d->msgs[0].file)
        snprintf(g_first_broken, sizeof g_first_broken, "%s", d->msgs[0].file);
}

sva_catalog *cli_catalog(sva_diag *problems, bool lazy)
{
    /* the user's folders first (--checklists, then $SVCAUDIT_CHECKLISTS), then,
     * unless --checklists-only, the shipped ones: ./checklists (a source tree)
     * and the installed share folder; the first file of an id wins */
    const char *dirs[16];
    size_t n = 0;
    if (g_cli.checklists) {
        if (!user_dir(g_cli.checklists, "--checklists"))
            return NULL;
        dirs[n++] = g_cli.checklists;
    }
    char *env = getenv("SVCAUDIT_CHECKLISTS") ? strdup(getenv("SVCAUDIT_CHECKLISTS")) : NULL;
    if (env) {
        for (char *save = NULL, *p = strtok_r(env, ":", &save); p && n < 13;
             p = strtok_r(NULL, ":", &save)) {
            if (!user_dir(p, "$SVCAUDIT_CHECKLISTS")) {
                free(env);
                return NULL;
            }
            dirs[n++] = p;
        }
    }
    if (!g_cli.checklists_only || n == 0) {
        dirs[n++] = "checklists";
        dirs[n++] = SVA_DATADIR "/checklists";
    }
    note_searched(dirs, n);
    sva_diag d;
    sva_diag_init(&d);
    sva_catalog *cat = NULL;
    sva_error rc = lazy ? sva_catalog_index(dirs, n, &cat, &d) : sva_catalog_open(dirs, n, &cat, &d);
    count_broken(&d); /* files, not messages */
    g_catalog = cat;
    if (problems) {
        *problems = d; /* the caller's now */
        sva_diag_init(&d);
    }
    sva_diag_clear(&d);
    free(env);
    if (rc) {
        cli_error("cannot load checklists: %s", sva_strerror(rc));
        return NULL;
    }
    return cat;
}

size_t cli_catalog_broken(void)
{
    return g_broken_checklists;
}

void cli_unknown_checklist(const char *id, const char *where)
{
    if (g_catalog && g_catalog->lazy) { /* which files failed to load? load them all */
        sva_diag d;
        sva_diag_init(&d);
        sva_catalog_load_all(g_catalog, &d);
        count_broken(&d);
        sva_diag_clear(&d);
    }
    if (!g_broken_checklists && g_catalog && !g_catalog->lazy && g_catalog->n_checklists == 0) {
        /* not a typo: no checklist at all (a build tree's binary run from another
         * folder, say); name where it looked and how to point it at them */
        cli_error("%s%sunknown checklist '%s': no checklists found in %s (give their folder "
                  "with --checklists DIR or $SVCAUDIT_CHECKLISTS, e.g. the source tree's "
                  "checklists/, or run 'make install')",
                  where ? where : "", where ? ": " : "", id, g_searched);
        return;
    }
    if (g_broken_checklists)
        cli_error("%s%sunknown checklist '%s' (%zu %s failed to load, e.g. %s: "
                  "see 'svcaudit checklist lint')",
                  where ? where : "", where ? ": " : "", id,
                  CLI_N(g_broken_checklists, "checklist file", "checklist files"), g_first_broken);
    else {
        char near[600] = "";
        if (g_catalog)
            sva_catalog_near(g_catalog, id, false, near, sizeof near);
        cli_error("%s%sunknown checklist '%s'%s", where ? where : "", where ? ": " : "", id,
                  *near ? near : " (see 'svcaudit checklist list')");
    }
}

sva_db *cli_open_db(sva_open_mode mode)
{
    const char *path = g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db";
    sva_diag d;
    sva_diag_init(&d);
    sva_db *db = NULL;
    sva_error rc = sva_db_open(path, mode, &db, &d);
    if (rc) {
        cli_print_diag(&d);
        if (!d.n)
            cli_error("%s: %s", path, sva_strerror(rc));
    }
    sva_diag_clear(&d);
    return db;
}

int cli_import_opts(const cli_ctx *c, const char *sep, const char *encoding,
                    sva_import_opts *o)
{
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (sva_import_opts_set(o, sep, encoding, &d)) {
        rc = cli_usage_error(c->name, "%s", d.n ? d.msgs[0].msg : "bad --sep or --encoding");
    }
    sva_diag_clear(&d);
    return rc;
}

int cli_check_refs(sva_db *db, const cli_ref *refs)
{
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    for (const cli_ref *r = refs; r->flag; r++)
        if (r->value && sva_db_ref_check(db, r->kind, r->value, r->flag, &d) != SVA_OK)
            rc = EXIT_DATA;
    cli_print_diag(&d);
    sva_diag_clear(&d);
    return rc;
}

const char *cli_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

const char *cli_today(void)
{
    static char today[11];
    sva_today(today);
    return today;
}

const char *cli_actor(void)
{
    if (g_cli.by && *g_cli.by)
        return g_cli.by;
    const char *u = getenv("SVCAUDIT_USER");
    if (u && *u)
        return u;
    const struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    u = getenv("LOGNAME");
    if (!u || !*u)
        u = getenv("USER");
    return u && *u ? u : "unknown";
}

void fmt_pct(char *buf, size_t size, bool present, double pct)
{
    if (present)
        snprintf(buf, size, "%.1f", pct + 0.0); /* + 0.0: never print -0.0 */
    else
        snprintf(buf, size, "%s", "");
}

void csv_str(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

int text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            len = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            len = 3;
        } else {
            cp = *p & 0x07;
            len = 4;
        }
        for (int i = 1; i < len; i++) {
            if (!p[i]) {
                len = i;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += len;
        /* East Asian wide and full-width ranges */
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
            (cp >= 0x20000 && cp <= 0x3FFFD))
            w += 2;
        else
            w += 1;
    }
    return w;
}

void print_padded(FILE *f, const char *s, int w)
{
    fputs(s, f);
    for (int i = text_width(s); i < w; i++)
        fputc(' ', f);
}

void table_init(cli_table *t, int ncols, const char *const *header)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    table_row(t, header);
}

void table_row(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *c);
        if (!c) {
            cli_error("out of memory");
            exit(EXIT_DATA);
        }
        t->cells = c;
        t->cap = cap;
    }
    for (int i = 0; i < t->ncols; i++) {
        char *s = strdup(cells[i] ? cells[i] : "");
        if (!s) {
            cli_error("out of memory");
            exit(EXIT_DATA);
        }
        t->cells[t->nrows * t->ncols + i] = s;
    }
    t->nrows++;
}

void table_print(const cli_table *t, cli_format fmt, FILE *f)
{
    if (fmt == CLI_JSON) {
        cli_json j;
        json_init(&j, f);
        table_json(t, &j);
        json_finish(&j);
        return;
    }
    if (fmt == CLI_CSV) {
        for (int r = 0; r < t->nrows; r++) {
            for (int c = 0; c < t->ncols; c++) {
                if (c)
                    fputc(',', f);
                const char *v = t->cells[r * t->ncols + c];
                /* CSV injection: a text that a spreadsheet would take for a formula
                 * gets a leading apostrophe (numbers are numbers, left as they are) */
                if (*v && !(t->numeric & (1u << c)) && strchr("=+-@\t\r", *v)) {
                    size_t n = strlen(v);
                    char *g = malloc(n + 2);
                    if (!g) {
                        cli_error("out of memory");
                        exit(EXIT_DATA);
                    }
                    g[0] = '\'';
                    memcpy(g + 1, v, n + 1);
                    csv_str(f, g);
                    free(g);
                } else {
                    csv_str(f, v);
                }
            }
            fputc('\n', f);
        }
        return;
    }
    /* for a person at a terminal: every cell cleaned (a name holding an
     * escape sequence or a newline is shown, not obeyed) */
    size_t ncells = (size_t)t->nrows * (size_t)t->ncols;
    int *w = calloc((size_t)t->ncols, sizeof *w);
    char **shown = calloc(ncells ? ncells : 1, sizeof *shown);
    if (!w || !shown) {
        free(w);
        free(shown);
        return;
    }
    for (size_t i = 0; i < ncells; i++)
        shown[i] = strdup(cli_clean(t->cells[i]));
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *v = shown[r * t->ncols + c];
            int x = text_width(v ? v : "");
            if (x > w[c])
                w[c] = x;
        }
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *v = shown[r * t->ncols + c];
            if (c == t->ncols - 1)
                fputs(v ? v : "", f);
            else {
                print_padded(f, v ? v : "", w[c]);
                fputs("  ", f);
            }
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < ncells; i++)
        free(shown[i]);
    free(shown);
    free(w);
}

void table_json(const cli_table *t, cli_json *j)
{
    json_array(j);
    json_layout(j, "\n ", "\n", false);
    for (int r = 1; r < t->nrows; r++) {
        json_object(j);
        for (int c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            json_key(j, t->cells[c]);
            if (t->numeric & (1u << c))
                json_number(j, v);
            else if (t->boolean & (1u << c))
                json_bool(j, *v);
            else if ((t->nullable & (1u << c)) && !*v)
                json_null(j);
            else
                json_string(j, v);
        }
        json_end(j);
    }
    json_end(j);
}

void table_free(cli_table *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

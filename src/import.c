/* svcaudit: the import files (see import.h): CSVs of stores, employees and
 * survey results, and the targets file. Each file is read once, checked row
 * by row (the header, each row's fields, a key given twice), turned into rows
 * with their lines, and given to the store, which checks what needs the
 * database and writes all rows in one transaction or none. */
#include "svcaudit/import.h"
#include "csv.h"
#include "ini.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- a CSV file as a table of named columns --------------------------------------------- */

#define MAX_COLS 16

/* Every row's values in the order of the importer's columns ("" where the
 * file has no such column), with the row's line. The strings live in the pool. */
typedef struct table {
    const char **vals; /* n rows x ncols */
    int *lines;
    size_t n, cap, ncols;
    sva_pool pool;
} table;

static void table_free(table *t)
{
    free(t->vals);
    free(t->lines);
    sva_pool_free(&t->pool);
}

/* Does header field @p f name column @p want (any letter case, surrounding
 * spaces and tabs ignored)? */
static bool column_is(const char *f, const char *want)
{
    while (*f == ' ' || *f == '\t')
        f++;
    size_t n = strlen(want);
    if (strncasecmp(f, want, n) != 0)
        return false;
    for (f += n; *f == ' ' || *f == '\t'; f++)
        ;
    return !*f;
}

/* Column positions of a header row; -1 = absent. Every problem is reported.
 * O(fields x names): names are a handful, fields at most SVA_CSV_MAX_FIELDS. */
static bool header_columns(char **f, size_t n, const char *const *names, int *pos,
                           size_t nnames, const char *file, int line, sva_diag *d)
{
    bool ok = true;
    for (size_t k = 0; k < nnames; k++)
        pos[k] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < nnames; k++)
            if (column_is(f[i], names[k]))
                break;
        if (k == nnames) {
            char want[160] = "";
            for (size_t j = 0; j < nnames; j++) {
                strncat(want, j ? ", " : "", sizeof want - strlen(want) - 1);
                strncat(want, names[j], sizeof want - strlen(want) - 1);
            }
            sva_diag_add(d, file, line, "unknown column '%s' (the columns are %s)", f[i], want);
            ok = false;
        } else if (pos[k] >= 0) {
            sva_diag_add(d, file, line, "column '%s' appears twice", f[i]);
            ok = false;
        } else {
            pos[k] = (int)i;
        }
    }
    return ok;
}

/* ---- options, encodings, separators ------------------------------------------------- */

sva_error sva_import_opts_set(sva_import_opts *o, const char *sep, const char *encoding,
                              sva_diag *d)
{
    sva_error rc = SVA_OK;
    if (sep) {
        if (strcmp(sep, ",") == 0 || strcmp(sep, ";") == 0 || strcmp(sep, "|") == 0)
            o->sep = *sep;
        else if (strcmp(sep, "\t") == 0 || strcasecmp(sep, "tab") == 0)
            o->sep = '\t';
        else {
            sva_diag_add(d, NULL, 0, "--sep: '%s' is not a separator (want ',', ';', tab or '|')",
                         sep);
            rc = SVA_ERR_USAGE;
        }
    }
    if (encoding) {
        if (strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0)
            o->encoding = NULL;
        else if (strcasecmp(encoding, "gb18030") == 0 || strcasecmp(encoding, "gbk") == 0 ||
                 strcasecmp(encoding, "gb2312") == 0 || strcasecmp(encoding, "cp936") == 0)
            o->encoding = "gb18030";
        else {
            sva_diag_add(d, NULL, 0, "--encoding: '%s' is not supported (want utf-8 or gb18030)",
                         encoding);
            rc = SVA_ERR_USAGE;
        }
    }
    return rc;
}

/* The options, checked; SVA_ERR_USAGE (reported) for ones sva_import_opts_set
 * would not have made. */
static sva_error opts_check(const sva_import_opts *o, char *sep, bool *gb, sva_diag *d)
{
    *sep = o && o->sep ? o->sep : ',';
    *gb = false;
    if (*sep != ',' && *sep != ';' && *sep != '\t' && *sep != '|') {
        sva_diag_add(d, NULL, 0, "--sep: not a separator (want ',', ';', tab or '|')");
        return SVA_ERR_USAGE;
    }
    if (o && o->encoding) {
        sva_import_opts tmp = {0};
        if (sva_import_opts_set(&tmp, NULL, o->encoding, d))
            return SVA_ERR_USAGE;
        *gb = tmp.encoding != NULL;
    }
    return SVA_OK;
}

/* The line of byte @p off of @p data. */
static int line_of(const char *data, size_t off)
{
    int line = 1;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + off - p))) != NULL; p++)
        line++;
    return line;
}

/* Put the file's text into UTF-8: as it is (checked by the CSV reader), or
 * converted from GB18030 when asked. A file that is not UTF-8 but looks like
 * GBK/GB18030 is one message that says so. *data may be replaced. */
static sva_error decode(const char *path, bool gb, char **data, size_t *len, sva_diag *d)
{
    if (*len >= 2 && (memcmp(*data, "\xFF\xFE", 2) == 0 || memcmp(*data, "\xFE\xFF", 2) == 0)) {
        sva_diag_add(d, path, 1, "the file is UTF-16 (Excel's \"Unicode text\"): save it as "
                                 "CSV UTF-8");
        return SVA_ERR_INVALID;
    }
    size_t ok = sva_utf8_valid_prefix((const unsigned char *)*data, *len);
    bool ascii = true;
    for (size_t i = 0; i < *len && ascii; i++)
        ascii = (unsigned char)(*data)[i] < 0x80;
    if (!gb) {
        if (ok != *len && sva_looks_gb18030(*data, *len)) {
            sva_diag_add(d, path, line_of(*data, ok),
                         "not UTF-8: the file looks like GBK/GB18030 (Excel in a Chinese "
                         "locale): save as CSV UTF-8, or use --encoding gb18030");
            return SVA_ERR_INVALID;
        }
        return SVA_OK; /* the CSV reader reports any other bad byte at its field */
    }
    if (ascii)
        return SVA_OK; /* the same bytes in both */
    if (ok == *len) {
        sva_diag_add(d, path, 0,
                     "the file is UTF-8 already (its non-ASCII text is valid UTF-8): leave out "
                     "--encoding gb18030");
        return SVA_ERR_INVALID;
    }
    char *u;
    size_t ulen, bad;
    sva_error rc = sva_gb18030_to_utf8(*data, *len, &u, &ulen, &bad);
    if (rc == SVA_ERR_INVALID) {
        size_t sol = bad;
        while (sol && (*data)[sol - 1] != '\n')
            sol--;
        sva_diag_add(d, path, line_of(*data, bad),
                     "not GB18030 text at byte %zu of the line (is the encoding right?)",
                     bad - sol + 1);
    } else if (rc == SVA_ERR_IO) {
        sva_diag_add(d, path, 0, "this system cannot convert from GB18030 (iconv)");
    }
    if (rc)
        return rc;
    free(*data);
    *data = u;
    *len = ulen;
    return SVA_OK;
}

static const char *sep_name(char c)
{
    return c == ',' ? "','" : c == ';' ? "';'" : c == '\t' ? "tab" : "'|'";
}

/* The header line (the first that is not blank) holds none of @p sep but
 * another separator: the file was saved with that one. One message says so
 * (a header of one column is never right: every import has two or more). */
static bool wrong_separator(const char *path, const char *data, size_t len, char sep,
                            sva_diag *d)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int line = 1;
    while (i < len && (data[i] == '\n' || data[i] == '\r')) {
        line += data[i] == '\n';
        i++;
    }
    const char *nl = memchr(data + i, '\n', len - i);
    size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
    const char *h = data + i;
    if (!n || memchr(h, sep, n))
        return false;
    static const char seps[] = {';', ',', '\t', '|'};
    for (size_t k = 0; k < sizeof seps; k++) {
        char c = seps[k];
        if (c == sep || !memchr(h, c, n))
            continue;
        if (c == ';')
            sva_diag_add(d, path, line,
                         "the file looks ';'-separated (as Excel saves CSV where the decimal "
                         "mark is a comma): save it as CSV UTF-8 (comma delimited), or use "
                         "--sep ';'");
        else
            sva_diag_add(d, path, line, "the file looks %s-separated, not %s-separated: use "
                                        "--sep %s",
                         sep_name(c), sep_name(sep), c == '\t' ? "tab" : sep_name(c));
        return true;
    }
    return false;
}

/* ---- reading a table ------------------------------------------------------------------ */

/* Read @p path as CSV with a header naming columns (cols[0..nrequired)
 * required). The first nkey columns are a row's key: the same key twice in a
 * file is an error. Every problem is reported; *errors counts them.
 * Linear in the file: keys are found through a hash map. */
static sva_error read_table(const char *path, const sva_import_opts *o,
                            const char *const *cols, size_t ncols, size_t nrequired,
                            size_t nkey, table *t, size_t *errors, sva_diag *d)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    *errors = 0;
    char sep;
    bool gb;
    sva_error rc = opts_check(o, &sep, &gb, d);
    if (rc)
        return rc;
    char *data;
    size_t len;
    if ((rc = sva_file_read(path, &data, &len, d)))
        return rc;
    if ((rc = decode(path, gb, &data, &len, d)) == SVA_ERR_INVALID ||
        (!rc && wrong_separator(path, data, len, sep, d))) {
        free(data);
        (*errors)++;
        return SVA_OK;
    }
    if (rc) {
        free(data);
        return rc;
    }
    sva_csv *r;
    if ((rc = sva_csv_open(path, data, len, &r))) {
        free(data);
        return rc;
    }
    sva_csv_set_sep(r, sep);
    sva_map keys = {0};
    sva_buf key = {0};
    size_t header_fields = 0;
    int pos[MAX_COLS];
    bool have_header = false;
    char **f;
    size_t n;
    int line, got;
    while ((got = sva_csv_next(r, &f, &n, &line, d)) == 1) {
        if (n == 1 && !*f[0])
            continue; /* blank line */
        if (!have_header) {
            have_header = true;
            header_fields = n;
            if (!header_columns(f, n, cols, pos, ncols, path, line, d)) {
                (*errors)++;
                break;
            }
            for (size_t k = 0; k < nrequired; k++)
                if (pos[k] < 0) {
                    sva_diag_add(d, path, line, "missing column '%s'", cols[k]);
                    (*errors)++;
                }
            if (*errors)
                break;
            continue;
        }
        if (n != header_fields) {
            sva_diag_add(d, path, line, "row has %zu fields; the header has %zu", n,
                         header_fields);
            (*errors)++;
            continue;
        }
        const char *vals[MAX_COLS];
        for (size_t k = 0; k < ncols; k++)
            vals[k] = pos[k] >= 0 ? f[pos[k]] : "";
        key.len = 0;
        for (size_t k = 0; k < nkey; k++) {
            sva_buf_puts(&key, vals[k]);
            sva_buf_append(&key, "\x1f", 1);
        }
        const char *k0 = key.failed ? NULL : sva_pool_str(&t->pool, key.data);
        if (!k0) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        size_t first;
        if (sva_map_get(&keys, k0, &first)) {
            char shown[256] = "";
            for (size_t k = 0; k < nkey; k++) {
                strncat(shown, k ? " " : "", sizeof shown - strlen(shown) - 1);
                strncat(shown, vals[k], sizeof shown - strlen(shown) - 1);
            }
            sva_diag_add(d, path, line, "'%s' appears twice (first at line %zu)", shown, first);
            (*errors)++;
            continue;
        }
        if (!sva_map_put(&keys, k0, (size_t)line)) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            const char **nv = realloc(t->vals, cap * ncols * sizeof *nv);
            int *nl = nv ? realloc(t->lines, cap * sizeof *nl) : NULL;
            if (nv)
                t->vals = nv;
            if (!nv || !nl) {
                rc = SVA_ERR_NOMEM;
                break;
            }
            t->lines = nl;
            t->cap = cap;
        }
        for (size_t k = 0; k < ncols; k++)
            if (!(t->vals[t->n * ncols + k] = sva_pool_str(&t->pool, vals[k])))
                rc = SVA_ERR_NOMEM;
        if (rc)
            break;
        t->lines[t->n++] = line;
    }
    if (got < 0)
        (*errors)++;
    if (!have_header && !*errors && !rc) {
        sva_diag_add(d, path, 0, "empty file (want a header row: %s, ...)", cols[0]);
        (*errors)++;
    }
    sva_buf_free(&key);
    sva_map_free(&keys);
    sva_csv_free(r);
    free(data);
    return rc;
}

#define CELL(t, row, col) ((t)->vals[(row) * (t)->ncols + (col)])

/* ---- stores, employees, surveys ----------------------------------------------------------- */

sva_error sva_import_stores_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                sva_import_stats *st, sva_diag *d)
{
    static const char *const cols[] = {"id", "name", "region"};
    if (st)
        memset(st, 0, sizeof *st);
    table t;
    size_t errors;
    sva_error rc = read_table(path, o, cols, 3, 2, 1, &t, &errors, d);
    sva_store *v = rc ? NULL : calloc(t.n ? t.n : 1, sizeof *v);
    if (!rc && !v)
        rc = SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < t.n; i++)
        v[i] = (sva_store){(char *)CELL(&t, i, 0), (char *)CELL(&t, i, 1), (char *)CELL(&t, i, 2)};
    if (!rc) {
        rc = sva_db_stores_put(db, v, t.n, path, t.lines, errors > 0, st, d);
        if (!rc && errors)
            rc = SVA_ERR_INVALID;
    }
    free(v);
    table_free(&t);
    return rc;
}

sva_error sva_import_employees_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                   sva_import_stats *st, sva_diag *d)
{
    static const char *const cols[] = {"id", "name", "store", "role"};
    if (st)
        memset(st, 0, sizeof *st);
    table t;
    size_t errors;
    sva_error rc = read_table(path, o, cols, 4, 3, 1, &t, &errors, d);
    sva_employee *v = rc ? NULL : calloc(t.n ? t.n : 1, sizeof *v);
    if (!rc && !v)
        rc = SVA_ERR_NOMEM;
    for (size_t i = 0; !rc && i < t.n; i++)
        v[i] = (sva_employee){(char *)CELL(&t, i, 0), (char *)CELL(&t, i, 1),
                              (char *)CELL(&t, i, 2), (char *)CELL(&t, i, 3)};
    if (!rc) {
        rc = sva_db_employees_put(db, v, t.n, path, t.lines, errors > 0, st, d);
        if (!rc && errors)
            rc = SVA_ERR_INVALID;
    }
    free(v);
    table_free(&t);
    return rc;
}

/* A survey row's numbers: value on 0..scale (default 100) to 0..100. */
static bool survey_fields(const char *const *v, sva_survey *s, const char *file, int line,
                          sva_diag *d)
{
    bool ok = true;
    double value, scale = 100;
    long resp;
    if (strcmp(v[2], "ssi") != 0 && strcmp(v[2], "csi") != 0) {
        static const char *const indexes[] = {"ssi", "csi"};
        char near[64];
        sva_suggest(v[2], indexes, 2, near, sizeof near);
        sva_diag_add(d, file, line, "metric '%s': surveys are ssi or csi%s%s%s", v[2],
                     *near ? " (did you mean " : "", near, *near ? "?)" : "");
        ok = false;
    }
    if (*v[5] && (!sva_parse_double(v[5], &scale) || scale <= 0)) {
        sva_diag_add(d, file, line, "scale '%s': want a number above 0 (e.g. 100 or 1000)",
                     v[5]);
        ok = false;
    }
    if (!sva_parse_double(v[3], &value) || value < 0 || (ok && value > scale)) {
        sva_diag_add(d, file, line, "value '%s': want a number from 0 to %g", v[3], scale);
        ok = false;
    }
    if (!sva_parse_int(v[4], &resp) || resp < 1) {
        sva_diag_add(d, file, line, "respondents '%s': want a whole number from 1", v[4]);
        ok = false;
    }
    *s = (sva_survey){(char *)v[0], (char *)v[1], (char *)v[2], ok ? value / scale * 100.0 : 0,
                      ok ? resp : 0};
    return ok;
}

sva_error sva_import_surveys_opt(sva_db *db, const char *path, const sva_import_opts *o,
                                 sva_import_stats *st, sva_diag *d)
{
    static const char *const cols[] = {"cycle", "store", "metric", "value", "respondents",
                                       "scale"};
    if (st)
        memset(st, 0, sizeof *st);
    table t;
    size_t errors;
    sva_error rc = read_table(path, o, cols, 6, 5, 3, &t, &errors, d);
    sva_survey *v = rc ? NULL : calloc(t.n ? t.n : 1, sizeof *v);
    int *lines = rc ? NULL : calloc(t.n ? t.n : 1, sizeof *lines);
    if (!rc && (!v || !lines))
        rc = SVA_ERR_NOMEM;
    size_t nv = 0;
    for (size_t i = 0; !rc && i < t.n; i++) {
        if (survey_fields(&CELL(&t, i, 0), &v[nv], path, t.lines[i], d))
            lines[nv++] = t.lines[i];
        else
            errors++;
    }
    if (!rc) {
        rc = sva_db_surveys_put(db, v, nv, path, lines, errors > 0, st, d);
        if (!rc && errors)
            rc = SVA_ERR_INVALID;
    }
    free(v);
    free(lines);
    table_free(&t);
    return rc;
}

sva_error sva_import_stores(sva_db *db, const char *path, sva_import_stats *st, sva_diag *d)
{
    return sva_import_stores_opt(db, path, NULL, st, d);
}

sva_error sva_import_employees(sva_db *db, const char *path, sva_import_stats *st,
                               sva_diag *d)
{
    return sva_import_employees_opt(db, path, NULL, st, d);
}

sva_error sva_import_surveys(sva_db *db, const char *path, sva_import_stats *st, sva_diag *d)
{
    return sva_import_surveys_opt(db, path, NULL, st, d);
}

/* ---- targets -------------------------------------------------------------------------- */

sva_error sva_targets_parse(const char *name, const char *data, size_t len,
                            const sva_catalog *cat, sva_target **out, size_t *n, sva_diag *d)
{
    *out = NULL;
    *n = 0;
    sva_ini *ini = NULL;
    sva_error rc = sva_ini_parse(name, data, len, &ini, d);
    if (rc) {
        /* the syntax problems are reported; what they cause would only repeat them */
        sva_ini_free(ini);
        return rc;
    }
    size_t errors = 0, cap = 0, cnt = 0;
    sva_target *v = NULL;
    for (size_t i = 0; i < ini->n; i++) {
        const sva_ini_section *s = &ini->secs[i];
        const sva_ini_entry *cy = sva_ini_entry_get(s, "cycle");
        const sva_ini_entry *st = sva_ini_entry_get(s, "store");
        const sva_ini_entry *rg = sva_ini_entry_get(s, "region");
        if (!cy || !*cy->value) {
            sva_diag_add(d, name, s->line, "[%s]: missing 'cycle = ID'", s->name);
            errors++;
        }
        if (st && rg) {
            sva_diag_add(d, name, rg->line, "[%s]: give store or region, not both", s->name);
            errors++;
        }
        if ((st && !*st->value) || (rg && !*rg->value)) {
            sva_diag_add(d, name, st && !*st->value ? st->line : rg->line,
                         "[%s]: empty %s", s->name, st && !*st->value ? "store" : "region");
            errors++;
        }
        size_t metrics = 0;
        for (size_t k = 0; k < s->n; k++) {
            const sva_ini_entry *e = &s->entries[k];
            if (e == cy || e == st || e == rg)
                continue;
            metrics++;
            double val;
            if (!sva_metric_check(e->key, cat, name, e->line, d)) { /* with the one meant */
                errors++;
                continue;
            }
            if (!sva_parse_double(e->value, &val) || val < 0 || val > 100) {
                sva_diag_add(d, name, e->line, "target '%s' for %s: want a number from 0 to 100",
                             e->value, e->key);
                errors++;
                continue;
            }
            if (!cy || !*cy->value)
                continue;
            if (cnt == cap) {
                cap = cap ? cap * 2 : 16;
                sva_target *nv = realloc(v, cap * sizeof *nv);
                if (!nv) {
                    sva_targets_free(v, cnt);
                    sva_ini_free(ini);
                    return SVA_ERR_NOMEM;
                }
                v = nv;
            }
            sva_target *t = &v[cnt++];
            t->cycle = sva_strdup(cy->value);
            t->scope = st ? SVA_SCOPE_STORE : rg ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK;
            t->scope_id = sva_strdup(st ? st->value : rg ? rg->value : "");
            t->metric = sva_strdup(e->key);
            t->value = val;
            t->line = e->line;
            t->cycle_line = cy->line;
            t->scope_line = st ? st->line : rg ? rg->line : 0;
            if (!t->cycle || !t->scope_id || !t->metric) {
                sva_targets_free(v, cnt);
                sva_ini_free(ini);
                return SVA_ERR_NOMEM;
            }
            if (!sva_ref_id_valid(t->cycle)) {
                sva_diag_add(d, name, cy->line, "bad cycle id '%s'", t->cycle);
                errors++;
            }
        }
        if (!metrics) {
            sva_diag_add(d, name, s->line, "[%s]: no targets (want lines like 'ssi = 90')",
                         s->name);
            errors++;
        }
    }
    if (!errors && !cnt) {
        sva_diag_add(d, name, 0, "no targets in the file");
        errors++;
    }
    sva_ini_free(ini);
    if (errors) {
        sva_targets_free(v, cnt);
        return rc ? rc : SVA_ERR_INVALID;
    }
    *out = v;
    *n = cnt;
    return SVA_OK;
}

sva_error sva_import_targets(sva_db *db, const char *path, const sva_catalog *cat,
                             size_t *count, sva_diag *d)
{
    if (count)
        *count = 0;
    char *data;
    size_t len;
    sva_error rc = sva_file_read(path, &data, &len, d);
    if (rc)
        return rc;
    sva_target *v;
    size_t n;
    rc = sva_targets_parse(path, data, len, cat, &v, &n, d);
    free(data);
    if (rc)
        return rc;
    rc = sva_db_targets_put(db, v, n, path, false, d);
    if (!rc && count)
        *count = n;
    sva_targets_free(v, n);
    return rc;
}

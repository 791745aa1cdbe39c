/* svcaudit: small internal helpers (strings, growing buffers, files, UTF-8,
 * checked number parsing). */
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

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

/* Open @p path for reading if it is a regular file. A FIFO would block the
 * open (and then the read) until some other process writes to it, a device
 * never ends: both are refused, as is a folder, without waiting. */
static FILE *open_regular(const char *path, sva_diag *d, sva_error *rc)
{
    *rc = SVA_ERR_IO;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            sva_diag_add(d, path, 0, "is a folder, not a file");
        else
            sva_diag_add(d, path, 0,
                         "is not a regular file (a FIFO, device or socket): give a file");
        close(fd);
        return NULL;
    }
    if (st.st_size > (off_t)SVA_MAX_INPUT_BYTES) {
        sva_diag_add(d, path, 0, "file too large (more than %u MiB)",
                     SVA_MAX_INPUT_BYTES / (1024u * 1024u));
        close(fd);
        *rc = SVA_ERR_INVALID;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl != -1)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        sva_diag_add(d, path, 0, "cannot open: %s", strerror(errno));
        close(fd);
        *rc = SVA_ERR_NOMEM;
    }
    return f;
}

sva_error sva_file_read(const char *path, char **out, size_t *len, sva_diag *d)
{
    *out = NULL;
    *len = 0;
    bool in = strcmp(path, "-") == 0;
    sva_error orc = SVA_OK;
    FILE *f = in ? stdin : open_regular(path, d, &orc);
    if (!f)
        return orc;
    /* read straight into a buffer of the file's size (one more byte to see
     * the end, or a file that grew), not through a chunk and a copy: a batch
     * of answer sheets reads thousands of files */
    struct stat st;
    size_t cap = 65536, n = 0;
    if (!in && fstat(fileno(f), &st) == 0 && st.st_size >= 0 &&
        st.st_size < (off_t)SVA_MAX_INPUT_BYTES)
        cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    bool oom = !buf, big = false;
    while (buf) {
        if (n == cap) {
            size_t c = 2 * cap;
            char *p = realloc(buf, c);
            if (!p) {
                oom = true;
                break;
            }
            buf = p;
            cap = c;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
        if (n > SVA_MAX_INPUT_BYTES) {
            big = true;
            break;
        }
    }
    int err = ferror(f);
    int saved = errno;
    if (!in)
        fclose(f);
    if (big) {
        sva_diag_add(d, path, 0, "file too large (more than %u MiB)",
                     SVA_MAX_INPUT_BYTES / (1024u * 1024u));
        free(buf);
        return SVA_ERR_INVALID;
    }
    if (err && !oom) {
        sva_diag_add(d, path, 0, "cannot read: %s", strerror(saved));
        free(buf);
        return SVA_ERR_IO;
    }
    if (!oom && n == cap) {
        char *p = realloc(buf, cap + 1);
        if (p)
            buf = p;
        else
            oom = true;
    }
    if (!oom)
        buf[n] = '\0';
    else {
        free(buf);
        buf = NULL;
    }
    *len = n;
    *out = buf;
    if (!*out) {
        *len = 0;
        return SVA_ERR_NOMEM;
    }
    return SVA_OK;
}

/* ---- replacing a file ---------------------------------------------------------------- */

/* This machine's name, for temporary file names ("host" if it has none). */
static void host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0 || !buf[0])
        snprintf(buf, size, "host");
    buf[size - 1] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '/')
            *p = '_';
}

/* A copy of the folder part of @p path ("." when none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sva_strdup(".");
    if (slash == path)
        return sva_strdup("/");
    return sva_strndup(path, (size_t)(slash - path));
}

/* Is @p pid (from a name made on this machine) a process that is gone? */
static bool gone(long pid)
{
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Remove a folder of ours and the files in it (no subfolders are made). */
static void remove_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *full = sva_asprintf("%s/%s", dir, e->d_name);
        if (full)
            unlink(full);
        free(full);
    }
    if (dh)
        closedir(dh);
    rmdir(dir);
}

/* Remove what killed processes of this machine left in @p dir: files
 * "ANYTHING.tmp-HOST-PID..." (a workbook, a draft, a template being written)
 * and folders ".svcaudit-tmp-HOST-PID" (libxlsxwriter's temporary files),
 * whose PID is gone (a SIGKILL leaves no chance to clean up). A live
 * process's, and another machine's (a shared folder: its PIDs mean nothing
 * here), stay. */
static void sweep_stale(const char *dir)
{
    char host[72];
    host_name(host, sizeof host);
    char *mark = sva_asprintf(".tmp-%s-", host);
    char *folder = sva_asprintf(".svcaudit-tmp-%s-", host);
    DIR *dh = mark && folder ? opendir(dir) : NULL;
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        const char *n = e->d_name, *p = NULL;
        bool is_folder = strncmp(n, folder, strlen(folder)) == 0;
        if (is_folder)
            p = n + strlen(folder);
        else if ((p = strstr(n, mark)) != NULL)
            p += strlen(mark);
        if (!p || !isdigit((unsigned char)*p))
            continue;
        errno = 0;
        char *end;
        long pid = strtol(p, &end, 10);
        /* only names svcaudit makes: "X.tmp-HOST-PID" and "X.tmp-HOST-PID.xlsx" or
         * ".pdf"; a user's "notes.tmp-HOST-12.txt" is not ours and stays */
        bool ours = is_folder ? !*end
                              : !*end || strcmp(end, ".xlsx") == 0 || strcmp(end, ".pdf") == 0;
        if (errno || !ours || !gone(pid))
            continue;
        char *full = sva_asprintf("%s/%s", dir, n);
        if (full && is_folder)
            remove_dir(full);
        else if (full)
            unlink(full);
        free(full);
    }
    if (dh)
        closedir(dh);
    free(mark);
    free(folder);
}

char *sva_replace_begin(const char *path, const char *suffix)
{
    char host[72];
    host_name(host, sizeof host);
    char *dir = dir_of(path);
    char *tmp = sva_asprintf("%s.tmp-%s-%ld%s", path, host, (long)getpid(), suffix);
    if (dir && tmp)
        sweep_stale(dir);
    free(dir);
    return tmp;
}

char *sva_temp_dir_begin(const char *path)
{
    char host[72];
    host_name(host, sizeof host);
    char *dir = dir_of(path);
    char *t = dir ? sva_asprintf("%s/.svcaudit-tmp-%s-%ld", dir, host, (long)getpid()) : NULL;
    free(dir);
    if (t && mkdir(t, 0700) != 0 && errno != EEXIST) {
        free(t);
        return NULL;
    }
    return t;
}

void sva_temp_dir_end(const char *dir)
{
    if (dir)
        remove_dir(dir);
}

sva_error sva_replace_commit(const char *tmp, const char *path, sva_diag *d)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        sva_diag_add(d, path, 0, "cannot flush to disk: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return SVA_ERR_IO;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        sva_diag_add(d, path, 0, "cannot put the file in place: %s", strerror(errno));
        unlink(tmp);
        return SVA_ERR_IO;
    }
    char *dir = dir_of(path);
    int dfd = dir ? open(dir, O_RDONLY) : -1;
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    return SVA_OK;
}

sva_error sva_file_replace(const char *path, const void *data, size_t len, sva_diag *d)
{
    char *tmp = sva_replace_begin(path, "");
    if (!tmp)
        return SVA_ERR_NOMEM;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0644);
    if (fd < 0) {
        sva_diag_add(d, path, 0, "cannot write: %s", strerror(errno));
        free(tmp);
        return SVA_ERR_IO;
    }
    const char *p = data;
    size_t off = 0;
    while (off < len) {
        ssize_t k = write(fd, p + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    int saved = errno;
    if (close(fd) != 0 && off == len)
        saved = errno, off = len + 1;
    if (off != len) {
        sva_diag_add(d, path, 0, "cannot write: %s", strerror(saved ? saved : EIO));
        unlink(tmp);
        free(tmp);
        return SVA_ERR_IO;
    }
    sva_error rc = sva_replace_commit(tmp, path, d);
    free(tmp);
    return rc;
}

/* ---- the hash map and the string pool ------------------------------------------------- */

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

static bool map_grow(sva_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash_str(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

bool sva_map_put(sva_map *m, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap && !map_grow(m))
        return false;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j] && strcmp(m->keys[j], key) != 0)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) {
        m->keys[j] = key;
        m->n++;
    }
    m->vals[j] = val;
    return true;
}

bool sva_map_get(const sva_map *m, const char *key, size_t *val)
{
    if (!m->cap)
        return false;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            if (val)
                *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

const char *sva_map_key(const sva_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return m->keys[j];
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void sva_map_free(sva_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

const char *sva_pool_str(sva_pool *p, const char *s)
{
    if (!s)
        return NULL;
    const char *have = sva_map_key(&p->map, s);
    if (have)
        return have;
    size_t n = strlen(s) + 1;
    if (!p->n_chunks || p->used + n > p->size) {
        size_t size = n > 16384 ? n : 16384;
        char **nc = realloc(p->chunks, (p->n_chunks + 1) * sizeof *nc);
        if (!nc)
            return NULL;
        p->chunks = nc;
        if (!(p->chunks[p->n_chunks] = malloc(size)))
            return NULL;
        p->n_chunks++;
        p->used = 0;
        p->size = size;
    }
    char *copy = p->chunks[p->n_chunks - 1] + p->used;
    memcpy(copy, s, n);
    p->used += n;
    if (!sva_map_put(&p->map, copy, 0))
        return NULL;
    return copy;
}

void sva_pool_free(sva_pool *p)
{
    for (size_t i = 0; i < p->n_chunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    sva_map_free(&p->map);
    memset(p, 0, sizeof *p);
}

size_t sva_utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            /* then runs of ASCII eight bytes at a time (most of a sheet) */
            while (n - i >= 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & UINT64_C(0x8080808080808080))
                    break;
                i += 8;
            }
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

/* ---- GB18030 ---------------------------------------------------------------------- */

bool sva_looks_gb18030(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t high = 0, low = 0, multi = 0;
    for (size_t i = 0; i < n;) {
        unsigned b = p[i];
        if (b == 0)
            return false;
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b == 0x80 || b == 0xFF || i + 1 >= n)
            return false;
        unsigned t = p[i + 1];
        if (t >= 0x30 && t <= 0x39) { /* four bytes: lead, digit, lead, digit */
            if (i + 3 >= n || p[i + 2] < 0x81 || p[i + 2] > 0xFE || p[i + 3] < 0x30 ||
                p[i + 3] > 0x39)
                return false;
            i += 4;
            multi++;
            continue;
        }
        if (t < 0x40 || t == 0x7F || t == 0xFF)
            return false;
        if (t >= 0x80)
            high++;
        else
            low++;
        multi++;
        i += 2;
    }
    return multi > 0 && high >= low;
}

sva_error sva_gb18030_to_utf8(const char *s, size_t n, char **out, size_t *out_len,
                              size_t *bad)
{
    *out = NULL;
    *out_len = 0;
    *bad = 0;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return SVA_ERR_IO;
    size_t cap = n * 2 + 16; /* GB18030 to UTF-8 grows by at most 2x (4 -> 4, 2 -> 3) */
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return SVA_ERR_NOMEM;
    }
    char *in = (char *)s, *o = buf;
    size_t left = n, room = cap - 1;
    sva_error rc = SVA_OK;
    if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 || left) {
        rc = errno == E2BIG ? SVA_ERR_NOMEM : SVA_ERR_INVALID;
        *bad = (size_t)(in - s);
    }
    iconv_close(cd);
    if (rc) {
        free(buf);
        return rc;
    }
    *o = '\0';
    *out = buf;
    *out_len = (size_t)(o - buf);
    return SVA_OK;
}

bool sva_id_ok(const char *s, size_t max, unsigned flags)
{
    if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    size_t n = 0;
    for (const char *p = s; *p; p++, n++) {
        char c = *p;
        if (n == max)
            return false;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            continue;
        if (c == '.' && (flags & SVA_ID_DOTS))
            continue;
        if (c >= 'A' && c <= 'Z' && (flags & SVA_ID_UPPER))
            continue;
        return false;
    }
    return true;
}

bool sva_valid_id(const char *s, bool dots)
{
    return sva_id_ok(s, (size_t)-1, dots ? SVA_ID_DOTS : 0);
}

/* Is the code point a blank a name may be typed with? */
static bool blank_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200D) || cp == 0x202F || cp == 0x205F || cp == 0x2060 ||
           cp == 0x3000 || cp == 0xFEFF;
}

bool sva_text_blank(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        unsigned cp = *p;
        size_t k = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (k > 1) {
            cp &= k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07;
            for (size_t i = 1; i < k; i++) {
                if ((p[i] & 0xC0) != 0x80)
                    return false; /* not UTF-8: not blank either */
                cp = (cp << 6) | (p[i] & 0x3F);
            }
        }
        if (!blank_cp(cp))
            return false;
        p += k;
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

bool sva_text_ok(const char *s, size_t max, bool allow_empty)
{
    if (!s)
        return allow_empty;
    size_t n = strlen(s);
    if ((!n && !allow_empty) || n > max)
        return false;
    if (sva_utf8_valid_prefix((const unsigned char *)s, n) != n)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\t')
            return false;
    return true;
}

static bool day_step(const char *date, int step, char out[11])
{
    if (!sva_parse_date(date))
        return false;
    struct tm tm = {0};
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8) + step;
    tm.tm_hour = 12; /* no daylight-saving edge */
    if (mktime(&tm) == (time_t)-1)
        return false;
    return strftime(out, 11, "%Y-%m-%d", &tm) == 10;
}

bool sva_next_day(const char *date, char out[11])
{
    return day_step(date, 1, out);
}

bool sva_prev_day(const char *date, char out[11])
{
    return day_step(date, -1, out);
}

size_t sva_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return n > m ? n : m;
    size_t dd[65][65];
    for (size_t i = 0; i <= n; i++)
        dd[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        dd[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = dd[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (dd[i - 1][j] + 1 < best)
                best = dd[i - 1][j] + 1;
            if (dd[i][j - 1] + 1 < best)
                best = dd[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                dd[i - 2][j - 2] + 1 < best)
                best = dd[i - 2][j - 2] + 1;
            dd[i][j] = best;
        }
    return dd[n][m];
}

void sva_suggest(const char *typed, const char *const *names, size_t n, char *out, size_t size)
{
    size_t len = strlen(typed);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    size_t best = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t dist = sva_edit_distance(typed, names[i]);
        if (dist < best && dist < strlen(names[i]))
            best = dist;
    }
    out[0] = '\0';
    size_t shown = 0, used = 0;
    for (size_t i = 0; i < n && best <= limit && shown < 3; i++) {
        if (sva_edit_distance(typed, names[i]) != best)
            continue;
        int k = snprintf(out + used, size - used, "%s'%s'", shown ? " or " : "", names[i]);
        if (k < 0 || (size_t)k >= size - used)
            break;
        used += (size_t)k;
        shown++;
    }
}

/* svcaudit: error strings and the diagnostic list (see error.h). */
#include "svcaudit/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sva_strerror(sva_error err)
{
    switch (err) {
    case SVA_OK: return "success";
    case SVA_ERR_NOMEM: return "out of memory";
    case SVA_ERR_IO: return "input/output error";
    case SVA_ERR_PARSE: return "malformed input";
    case SVA_ERR_INVALID: return "invalid input";
    case SVA_ERR_NOT_FOUND: return "not found";
    case SVA_ERR_CONFLICT: return "conflict with existing data";
    case SVA_ERR_STATE: return "not allowed in the current state";
    case SVA_ERR_DB: return "database error";
    case SVA_ERR_USAGE: return "bad argument";
    }
    return "unknown error";
}

void sva_diag_init(sva_diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

void sva_diag_clear(sva_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->msgs[i].file);
        free(d->msgs[i].msg);
    }
    free(d->msgs);
    memset(d, 0, sizeof *d);
}

/* error.c stands below every other module (util.c included), so it formats
 * and copies its strings itself. */
static char *dup_vprintf(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *p = n < 0 ? NULL : malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

void sva_diag_add(sva_diag *d, const char *file, int line, const char *fmt, ...)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        sva_diag_msg *m = realloc(d->msgs, cap * sizeof *m);
        if (!m)
            return;
        d->msgs = m;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = dup_vprintf(fmt, ap);
    va_end(ap);
    if (!msg)
        return;
    char *f = NULL;
    if (file) {
        size_t n = strlen(file);
        if (!(f = malloc(n + 1))) {
            free(msg);
            return;
        }
        memcpy(f, file, n + 1);
    }
    d->msgs[d->n].file = f;
    d->msgs[d->n].line = line;
    d->msgs[d->n].msg = msg;
    d->n++;
}

int sva_diag_format(const sva_diag *d, size_t i, char *buf, size_t size)
{
    if (!d || i >= d->n)
        return snprintf(buf, size, "%s", "");
    const sva_diag_msg *m = &d->msgs[i];
    if (m->file && m->line > 0)
        return snprintf(buf, size, "%s:%d: %s", m->file, m->line, m->msg);
    if (m->file)
        return snprintf(buf, size, "%s: %s", m->file, m->msg);
    return snprintf(buf, size, "%s", m->msg);
}

/* svcaudit tests: helpers shared by the cmocka unit tests. */
#ifndef SVA_TESTUTIL_H
#define SVA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svcaudit/svcaudit.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

/* Path of a file in the source tree; static buffer, valid until the next call. */
static inline const char *src_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", SRCDIR, rel);
    return buf;
}

/* True if some message of d is at line and contains needle. */
static inline int diag_has(const sva_diag *d, int line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if ((line < 0 || d->msgs[i].line == line) && strstr(d->msgs[i].msg, needle))
            return 1;
    return 0;
}

/* Print a diag (to help when an assertion fails). */
static inline void diag_dump(const sva_diag *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++) {
        sva_diag_format(d, i, buf, sizeof buf);
        fprintf(stderr, "  diag: %s\n", buf);
    }
}

#endif

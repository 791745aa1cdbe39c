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

/* SQL that takes a database of this build back to schema 4: without what
 * schema 5 (the record) added. Tests that make an older file from a new one
 * run it first. */
#define DROP_SCHEMA_5                                                                          \
    "DROP TABLE change_log; DROP TABLE cycle_close; DROP TABLE answer_revision;"             \
    " DROP TABLE section_revision; DROP TABLE audit_revision; DROP TABLE appeal;"            \
    " DROP TABLE action_check; DROP TABLE action_carry; DROP TABLE store_event;"             \
    " DROP TABLE employee_event; ALTER TABLE audit DROP COLUMN recorded_by;"                 \
    " ALTER TABLE audit DROP COLUMN voided_by; ALTER TABLE audit DROP COLUMN revision;"      \
    " ALTER TABLE audit DROP COLUMN revised_at; ALTER TABLE audit DROP COLUMN revised_by;"   \
    " ALTER TABLE audit DROP COLUMN revision_reason;"

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

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

/* SQL that takes back what schema 7 adds outside the appeal table (which
 * DROP_SCHEMA_5 drops with its trigger and index). */
#define SVA_TEST_UNDO_7                                                                       \
    "ALTER TABLE audit DROP COLUMN unvoided_at; ALTER TABLE audit DROP COLUMN unvoided_by;"

/* SQL that takes a database of this build back to schema 3 (before sync,
 * schema 6), for the tests that fake an older file: every trigger, table,
 * index, column and meta row schemas 6 and 7 add goes. */
#define SVA_TEST_UNDO_SYNC                                                                    \
    SVA_TEST_UNDO_7 " DROP TRIGGER store_changed; DROP TRIGGER employee_changed; DROP TRIGGER cycle_changed;"  \
    " DROP TRIGGER store_made; DROP TRIGGER employee_made;"                                   \
    " DROP TRIGGER audit_changed; DROP TRIGGER action_changed; DROP TRIGGER target_changed;" \
    " DROP TRIGGER survey_changed; DROP TRIGGER cycle_reason_changed;"                        \
    " DROP TRIGGER plan_changed; DROP TRIGGER plan_reason_changed; DROP TRIGGER owner_changed;" \
    " ALTER TABLE plan DROP COLUMN origin; ALTER TABLE plan DROP COLUMN sync_rev;"            \
    " ALTER TABLE plan DROP COLUMN changed_in; ALTER TABLE plan_reason DROP COLUMN origin;"   \
    " ALTER TABLE plan_reason DROP COLUMN sync_rev;"                                          \
    " ALTER TABLE plan_reason DROP COLUMN changed_in; ALTER TABLE owner DROP COLUMN origin;"  \
    " ALTER TABLE owner DROP COLUMN sync_rev; ALTER TABLE owner DROP COLUMN changed_in;"                        \
    " DROP TABLE store_history; DROP TABLE employee_history; DROP TABLE sync_peer;"           \
    " DROP TABLE sync_conflict; DROP INDEX action_history_action;"                           \
    " ALTER TABLE store DROP COLUMN origin; ALTER TABLE store DROP COLUMN changed_at;"        \
    " ALTER TABLE store DROP COLUMN changed_in; ALTER TABLE employee DROP COLUMN origin;"     \
    " ALTER TABLE employee DROP COLUMN changed_at; ALTER TABLE employee DROP COLUMN changed_in;" \
    " ALTER TABLE checklist_version DROP COLUMN origin;"                                      \
    " ALTER TABLE action_history DROP COLUMN origin;"                                         \
    " ALTER TABLE cycle DROP COLUMN origin; ALTER TABLE cycle DROP COLUMN sync_rev;"          \
    " ALTER TABLE cycle DROP COLUMN changed_in; ALTER TABLE audit DROP COLUMN origin;"        \
    " ALTER TABLE audit DROP COLUMN sync_rev; ALTER TABLE audit DROP COLUMN changed_in;"      \
    " ALTER TABLE action DROP COLUMN origin; ALTER TABLE action DROP COLUMN sync_rev;"        \
    " ALTER TABLE action DROP COLUMN changed_in; ALTER TABLE target DROP COLUMN origin;"      \
    " ALTER TABLE target DROP COLUMN sync_rev; ALTER TABLE target DROP COLUMN changed_in;"    \
    " ALTER TABLE survey DROP COLUMN origin; ALTER TABLE survey DROP COLUMN sync_rev;"        \
    " ALTER TABLE survey DROP COLUMN changed_in; ALTER TABLE cycle_reason DROP COLUMN origin;" \
    " ALTER TABLE cycle_reason DROP COLUMN sync_rev;"                                         \
    " ALTER TABLE cycle_reason DROP COLUMN changed_in;"                                       \
    " DELETE FROM meta WHERE key IN ('db_uuid', 'db_name');"

#endif

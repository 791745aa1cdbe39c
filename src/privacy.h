/* svcaudit: privacy of employee results (internal): the label an employee is
 * shown by under a privacy mode, and the scrubbing of free text (notes,
 * evidence, 5W1H fields) so that a note does not undo the mode. Used by the
 * report model only: no renderer applies privacy. */
#ifndef SVA_PRIVACY_H
#define SVA_PRIVACY_H

#include <stddef.h>

#include "svcaudit/db.h"
#include "svcaudit/report.h"

/** @brief How employee @p id (named @p name, may be NULL) is shown: "name
 *  (id)" or the id (full), the pseudonym, or "" (none); "" for no id.
 *  @return @p buf. */
const char *sva_employee_label(sva_privacy mode, const char *salt, const char *id,
                               const char *name, char *buf, size_t size);

typedef struct sva_scrubber sva_scrubber;

/** @brief A scrubber for @p mode that looks people up in @p db. NULL when out
 *  of memory. Free with sva_scrubber_free. */
sva_scrubber *sva_scrubber_new(sva_db *db, sva_privacy mode, const char *salt);
void sva_scrubber_free(sva_scrubber *s);

/**
 * @brief @p text with the name or id of anyone who works or worked at @p store
 * (audited there) replaced by their pseudonym (or "[employee]" with mode
 * none); @p text itself in mode full. The result lives until the next call.
 * On a failure (database, memory) returns "" (never the text unscrubbed) and
 * sets *err when it is still SVA_OK.
 */
const char *sva_scrub(sva_scrubber *s, const char *store, const char *text, sva_error *err,
                      sva_diag *d);

#endif

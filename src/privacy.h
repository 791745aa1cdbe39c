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

/** @brief A scrubber for @p mode that knows every employee of @p db (their
 *  names and ids, whatever their store). NULL when out of memory or the
 *  database fails (with a message). Free with sva_scrubber_free. */
sva_scrubber *sva_scrubber_new(sva_db *db, sva_privacy mode, const char *salt, sva_diag *d);
void sva_scrubber_free(sva_scrubber *s);

/**
 * @brief @p text with the name or id of any employee of the database
 * replaced by their pseudonym (or "[employee]" with mode none); matching
 * ignores case, Unicode compatibility forms (NFKC) and runs of white space; a
 * name or id with an ASCII letter or digit at an edge matches as a whole word
 * only. A text with a match comes back in its normal form (NFKC, one space);
 * a text without one, and every text in mode full, as it was. @p store is
 * where the text was written (kept for messages). The result lives until the
 * next call. On a failure returns "" (never the text unscrubbed) and sets
 * *err when it is still SVA_OK.
 */
const char *sva_scrub(sva_scrubber *s, const char *store, const char *text, sva_error *err,
                      sva_diag *d);

#endif

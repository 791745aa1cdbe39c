/* svcaudit: answer sheets: the file an auditor fills in offline (INI or CSV),
 * made from a checklist by `svcaudit checklist template`, read back by
 * `svcaudit record --answers`, and used as the draft of an interactive walk. */
#ifndef SVCAUDIT_ANSWERS_H
#define SVCAUDIT_ANSWERS_H

#include "svcaudit/checklist.h"
#include "svcaudit/error.h"
#include "svcaudit/score.h"

typedef enum sva_sheet_format { SVA_SHEET_INI, SVA_SHEET_CSV } sva_sheet_format;

/** The header fields of a sheet ([audit] in INI, the field,value block in CSV).
 *  Each is NULL when absent or empty. */
typedef struct sva_sheet_header {
    char *checklist;
    long version;      /**< 0 when absent */
    char *store;
    char *employee;
    char *cycle;
    char *auditor;
    char *date;
    int line_store, line_employee, line_cycle, line_auditor, line_date; /**< 0 = not in the file */
    int line_checklist;                                                  /**< 0 = not in the file */
} sva_sheet_header;

struct sva_sheet_raw;

/** A sheet as read (sva_sheet_read): the header, and once bound to its
 *  checklist (sva_sheet_bind), per checklist item, the answer. */
typedef struct sva_sheet {
    char *name;               /**< file name for messages */
    sva_sheet_format format;
    sva_sheet_header header;
    const sva_checklist *cl;  /**< the checklist it is bound to; NULL until bound */
    size_t n;                 /**< == the checklist's n_items once bound, else 0 */
    sva_answer *answers;      /**< aligned with the checklist's items */
    int *lines;               /**< line of each item's entry (0 = not in the file) */
    bool *flagged;            /**< per item: its entry had a problem, reported already */
    size_t problems;          /**< problems reported while reading and binding */
    bool incomplete;          /**< some of the text could not be read at all (a syntax
                                   error): what is absent may be on a line in error */
    struct sva_sheet_raw *raw; /**< the entries as read (internal) */
} sva_sheet;

/**
 * @brief Read a sheet once: the header and every item entry as written, not
 * yet tied to a checklist (the header may name it; see sva_sheet_bind). The
 * format is guessed from the content: when the first line that is neither
 * blank nor a comment starts with '[' (or is "key = value"), INI, else CSV.
 * Every problem goes to @p d as "name:line: message": syntax (the file, a
 * line, a row that cannot be read; such a sheet is marked incomplete), an
 * unknown header field, key or section, a header field twice.
 * @param out receives the sheet whenever the text was read, also when it had
 *            problems (counted in problems: the caller may bind and check it
 *            to report the rest, but must not record it); NULL only on
 *            SVA_ERR_NOMEM. Caller frees with sva_sheet_free.
 * @return SVA_OK; SVA_ERR_PARSE (a syntax problem) or SVA_ERR_INVALID;
 *         SVA_ERR_NOMEM.
 */
sva_error sva_sheet_read(const char *name, const char *data, size_t len, sva_sheet **out,
                         sva_diag *d);

/**
 * @brief sva_sheet_read of @p n sheets at once: sheet i (@p names[i],
 * @p data[i], @p lens[i]) into @p out[i] with its result in @p rcs[i] and
 * its messages in @p d[i], exactly as sva_sheet_read would give them; a
 * batch of INI sheets is read much faster (iniparser's second reading of
 * quoted values is shared).
 * @return SVA_OK (each sheet's result is in @p rcs), or SVA_ERR_NOMEM with no
 *         sheet read (every @p out[i] NULL).
 */
sva_error sva_sheet_read_many(size_t n, const char *const *names, const char *const *data,
                              const size_t *lens, sva_sheet **out, sva_error *rcs, sva_diag *d);

/**
 * @brief Tie a sheet read by sva_sheet_read to checklist @p cl (which must
 * outlive it): answers aligned with its items, the line of each item's entry.
 * Every problem goes to @p d as "name:line: message": an item the checklist
 * does not have, the same item twice, an answer that is not one of the item's
 * allowed answers (yes/no/na for yesno, 0..max or na for numeric scales;
 * "n/a" is accepted for na, case-insensitive); the item of such an entry is
 * flagged. Unanswered items (empty answer, or item missing from the file) are
 * NOT problems here: they come back with answered = false, so a draft can be
 * resumed; the audit module (audit.h) rejects them before submission.
 * A sheet for another checklist or version, a bad version, or a CSV sheet
 * with no item rows stays unbound (s->cl NULL): its items are not read.
 * @return SVA_OK; SVA_ERR_INVALID or SVA_ERR_PARSE for what binding found
 *         (see @p d; s->problems counts those of reading too); SVA_ERR_USAGE
 *         if bound already; SVA_ERR_NOMEM.
 */
sva_error sva_sheet_bind(sva_sheet *s, const sva_checklist *cl, sva_diag *d);

/**
 * @brief Read only the header of a sheet (to learn which checklist it is for);
 * item entries are not looked at.
 * @return SVA_OK, SVA_ERR_PARSE (see @p d), SVA_ERR_NOMEM. Caller frees the
 * header with sva_sheet_header_free.
 */
sva_error sva_sheet_read_header(const char *name, const char *data, size_t len,
                                sva_sheet_header *out, sva_diag *d);

/**
 * @brief sva_sheet_read and sva_sheet_bind in one, for a sheet that must be
 * free of problems: on any problem nothing is returned.
 * @return SVA_OK, SVA_ERR_PARSE / SVA_ERR_INVALID (see @p d), SVA_ERR_NOMEM.
 * Caller frees with sva_sheet_free.
 */
sva_error sva_sheet_parse(const char *name, const char *data, size_t len,
                          const sva_checklist *cl, sva_sheet **out, sva_diag *d);

/** @brief Read @p path (or standard input when path is "-") and sva_sheet_parse it. */
sva_error sva_sheet_load(const char *path, const sva_checklist *cl, sva_sheet **out,
                         sva_diag *d);

void sva_sheet_header_free(sva_sheet_header *h);
void sva_sheet_free(sva_sheet *s);

/**
 * @brief Write an answer sheet for @p cl in @p fmt, texts in @p lang (NULL or
 * "" = English; missing translations fall back to English), with the header
 * @p h and @p answers filled in where given (both may be NULL: an empty
 * template). A sheet written with answers reads back to the same answers.
 * @param out receives a malloc'd NUL-terminated text; caller frees.
 * @return SVA_OK or SVA_ERR_NOMEM.
 */
sva_error sva_sheet_write(const sva_checklist *cl, sva_sheet_format fmt, const char *lang,
                          const sva_sheet_header *h, const sva_answer *answers, char **out);

/** @brief An empty template: sva_sheet_write with no header and no answers. */
sva_error sva_sheet_template(const sva_checklist *cl, sva_sheet_format fmt, const char *lang,
                             char **out);

/** @brief The allowed answers of an item as shown to people ("yes | no | na"). */
void sva_item_allowed(const sva_item *it, char *buf, size_t size);

/** @brief Parse one answer for @p it ("yes", "no", "na", "n/a", "3"...).
 *  @return true and fills @p a (answered = true) when valid. Empty = false. */
bool sva_answer_parse(const sva_item *it, const char *text, sva_answer *a);

/** @brief The answer as written in a sheet ("yes", "no", "na", "3"; "" if unanswered). */
void sva_answer_format(const sva_item *it, const sva_answer *a, char *buf, size_t size);

#endif

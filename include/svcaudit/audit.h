/* svcaudit: the audit module: the one place where an audit is validated and
 * scored before it is stored. No database: what needs one is the store's. */
#ifndef SVCAUDIT_AUDIT_H
#define SVCAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/answers.h"
#include "svcaudit/checklist.h"
#include "svcaudit/error.h"
#include "svcaudit/score.h"

/** The header of an audit: who, where, when; and, for messages, where each
 *  field came from. A field with a line in @p sheet is named as sheet:line;
 *  one given by a flag (@p flagged) as --field, and so is one without a line
 *  of a sheet's recording; otherwise (no sheet, not a flag), plainly. */
typedef struct sva_audit_header {
    const char *cycle;
    const char *store;
    const char *employee; /**< required when the checklist's subject is employee */
    const char *auditor;
    const char *date;     /**< YYYY-MM-DD; NULL = today */
    const char *sheet;    /**< the sheet's name; NULL = none */
    /** The line of each field in the sheet; 0 = not from the sheet. */
    int line_cycle, line_store, line_employee, line_auditor, line_date;
    /** The fields given by a flag: bit (1u << sva_audit_field) each, as
     *  sva_audit_header_merge sets them (a walk or an amend without a sheet
     *  still names the flag). */
    unsigned flagged;
} sva_audit_header;

/** The header fields, to name one in a message. */
typedef enum sva_audit_field {
    SVA_AUDIT_FIELD_CYCLE,
    SVA_AUDIT_FIELD_STORE,
    SVA_AUDIT_FIELD_EMPLOYEE,
    SVA_AUDIT_FIELD_AUDITOR,
    SVA_AUDIT_FIELD_DATE
} sva_audit_field;

/**
 * @brief The header as recorded: each field from @p flags when given there
 * (flags win), else from the sheet's header @p from (with its line). The
 * result points into @p flags and @p from, which must outlive it.
 * @param flags values given on the command line (lines ignored); may be NULL
 * @param from  the sheet's header; may be NULL (no sheet)
 * @param sheet the sheet's name for messages; NULL names fields plainly
 */
void sva_audit_header_merge(sva_audit_header *out, const sva_audit_header *flags,
                            const sva_sheet_header *from, const char *sheet);

/** @brief Add a message about field @p f of @p h to @p d: "sheet:line: msg"
 *  when the field came from the sheet, "--field: msg" when from a flag (with
 *  or without a sheet) or, in a sheet's recording, from neither; "msg" when
 *  there is no sheet and no flag gave it. */
void sva_audit_field_diag(sva_diag *d, const sva_audit_header *h, sva_audit_field f,
                          const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * @brief Today as YYYY-MM-DD into @p out: $SVCAUDIT_TODAY when it holds a
 * date (demos, tests), else the local date. Every "today" of svcaudit (an
 * audit's default date, overdue actions, plan coverage, the lists as of
 * today, the reports) is this one.
 */
void sva_today(char out[11]);

/**
 * @brief A rule of recording: the audit's date (when given and a date) is
 * not after today (sva_today), so a typo of the year or the day is caught.
 * Not part of sva_audit_prepare: a merge takes audits another database
 * recorded on its own day. The problem names the sheet's line or the flag.
 * @return SVA_OK or SVA_ERR_INVALID.
 */
sva_error sva_audit_check_when(const sva_audit_header *h, sva_diag *d);

/**
 * @brief The checks of a header that need no database: cycle, store and
 * auditor given, the auditor's name is text (1-100 bytes), an employee
 * checklist names an employee, the date is a real YYYY-MM-DD and not after
 * today (sva_audit_check_when). Every problem
 * goes to @p d. Whether the cycle, store and employee exist is the store's
 * (sva_db_audit_check_header).
 * @return SVA_OK or SVA_ERR_INVALID.
 */
sva_error sva_audit_check_header(const sva_checklist *cl, const sva_audit_header *h,
                                 sva_diag *d);

/** A finished audit: validated and scored, ready to be stored. Made only by
 *  sva_audit_prepare(_sheet), handed out const: nothing changes it after. It
 *  owns copies of the header and the answers; the checklist is borrowed and
 *  must outlive it. */
typedef struct sva_audit_ready {
    const sva_checklist *cl;   /**< its hash and text are what the store keeps */
    sva_audit_header header;   /**< as given (date NULL when it defaulted to today) */
    char date[11];             /**< the audit's date: header.date, or today's */
    const sva_answer *answers; /**< cl->n_items, in item order, every one answered */
    sva_score score;           /**< the one scoring (sva_score_compute) of these answers */
} sva_audit_ready;

/**
 * @brief Validate and score an audit: the header (sva_audit_check_header) and
 * every answer against its item (answered, inside its scale, N/A only where
 * allowed, a note where the evidence rule requires one, note and evidence
 * valid text of at most 4000 / 1000 bytes). Every problem goes to @p d, each
 * naming its field or item. Then scores once.
 * @param answers cl->n_items answers in item order (copied)
 * @param out     receives the ready audit on SVA_OK only; free with
 *                sva_audit_ready_free
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOMEM.
 */
sva_error sva_audit_prepare(const sva_checklist *cl, const sva_audit_header *h,
                            const sva_answer *answers, const sva_audit_ready **out,
                            sva_diag *d);

/**
 * @brief sva_audit_prepare for a sheet bound to its checklist
 * (sva_sheet_bind): the checklist and the answers are the sheet's; messages
 * name the sheet and each item's line; an item whose entry already had a
 * problem when the sheet was read is not reported again, and a sheet read
 * with problems (s->problems) yields no ready audit, though every other
 * problem is still reported. When the sheet is incomplete (part of its text
 * could not be read), what is absent (an answer, a note, a field whose key was
 * not seen) may be on a line in error: it is not reported, but still fails.
 * @return as sva_audit_prepare; SVA_ERR_USAGE when @p s is not bound.
 */
sva_error sva_audit_prepare_sheet(const sva_audit_header *h, const sva_sheet *s,
                                  const sva_audit_ready **out, sva_diag *d);

/** What to change in an audit's answers (an amendment's --set and --note):
 *  the item's id and its new answer ("yes", "3", "na") or note. */
typedef struct sva_answer_change {
    const char *item;
    const char *text;
    bool note;       /**< a note, not an answer */
} sva_answer_change;

/**
 * @brief Apply changes to the answers of a recorded audit before it is
 * prepared again (sva_audit_prepare) as an amendment: each answer is parsed
 * for its item of @p cl (sva_answer_parse), each note replaces the item's.
 * Every problem goes to @p d (an item @p cl does not have, an answer outside
 * the item's scale, an item's answer or note given twice); @p answers is
 * changed only when there is none.
 * @param answers cl->n_items answers in item order; notes are malloc'd and
 *                owned by the caller (an old one replaced is freed)
 * @return SVA_OK, SVA_ERR_INVALID, SVA_ERR_NOMEM.
 */
sva_error sva_audit_change_answers(const sva_checklist *cl, sva_answer *answers,
                                   const sva_answer_change *v, size_t n, sva_diag *d);

/** @brief Free a ready audit; NULL is fine. */
void sva_audit_ready_free(const sva_audit_ready *a);

#endif

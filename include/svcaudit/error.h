/* svcaudit: error codes and diagnostics shared by every module.
 * The library never prints; it returns an sva_error and fills an sva_diag. */
#ifndef SVCAUDIT_ERROR_H
#define SVCAUDIT_ERROR_H

#include <stddef.h>

/** @brief Result of every library call that can fail. 0 is success. */
typedef enum sva_error {
    SVA_OK = 0,          /**< success */
    SVA_ERR_NOMEM,       /**< out of memory */
    SVA_ERR_IO,          /**< a file could not be opened, read or written */
    SVA_ERR_PARSE,       /**< malformed input (syntax); details in the diag */
    SVA_ERR_INVALID,     /**< well-formed input that breaks a rule; details in the diag */
    SVA_ERR_NOT_FOUND,   /**< a named thing (checklist, store, audit...) does not exist */
    SVA_ERR_CONFLICT,    /**< exists already with different content */
    SVA_ERR_STATE,       /**< not allowed in the current state (e.g. a closed cycle) */
    SVA_ERR_DB,          /**< the database failed or is not an svcaudit database */
    SVA_ERR_USAGE        /**< a caller passed an argument the API does not accept */
} sva_error;

/** @brief A short English description of @p err (static string, never NULL). */
const char *sva_strerror(sva_error err);

/** One diagnostic: where (file may be NULL, line 0 = whole file) and what. */
typedef struct sva_diag_msg {
    char *file;
    int line;
    char *msg;
} sva_diag_msg;

/** @brief A growing list of diagnostics; lint-like calls add every problem,
 *  other calls usually one. Zero-initialise (or sva_diag_init) before use;
 *  sva_diag_clear frees the messages. A NULL diag is accepted everywhere and
 *  discards messages. */
typedef struct sva_diag {
    sva_diag_msg *msgs;
    size_t n;
    size_t cap;
} sva_diag;

/** @brief Initialise an empty diag. */
void sva_diag_init(sva_diag *d);

/** @brief Free every message; the diag is empty and reusable afterwards. */
void sva_diag_clear(sva_diag *d);

/** @brief Append a printf-style message for @p file at @p line (0 = none).
 *  Silently drops the message when out of memory or when @p d is NULL. */
void sva_diag_add(sva_diag *d, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** @brief Format message @p i as "file:line: msg" (or "file: msg", or "msg")
 *  into @p buf. @return the length that would have been written. */
int sva_diag_format(const sva_diag *d, size_t i, char *buf, size_t size);

#endif

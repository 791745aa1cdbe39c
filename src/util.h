/* svcaudit: small internal helpers (strings, growing buffers, files, UTF-8).
 * Not part of the public API; used by the library only. */
#ifndef SVA_UTIL_H
#define SVA_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcaudit/error.h"

/** strdup that returns NULL for NULL. Caller frees. */
char *sva_strdup(const char *s);
/** strndup; caller frees. */
char *sva_strndup(const char *s, size_t n);
/** malloc'd printf; NULL on failure. */
char *sva_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *sva_vasprintf(const char *fmt, va_list ap);

/** A growing byte buffer, always NUL-terminated when len > 0 or after any append. */
typedef struct sva_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed: content is incomplete */
} sva_buf;

void sva_buf_free(sva_buf *b);
void sva_buf_append(sva_buf *b, const char *s, size_t n);
void sva_buf_puts(sva_buf *b, const char *s);
void sva_buf_printf(sva_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Take ownership of the data (never NULL unless failed); buffer is emptied. */
char *sva_buf_take(sva_buf *b);

/** Largest input file svcaudit reads whole (checklists, answer sheets, CSVs). */
#define SVA_MAX_INPUT_BYTES (64u * 1024u * 1024u)

/** Read a whole file (NUL-terminated copy in *out, length in *len).
 *  SVA_ERR_IO with a diag naming @p path on failure. Caller frees *out. */
sva_error sva_read_file(const char *path, char **out, size_t *len, sva_diag *d);

/** Length of the valid UTF-8 prefix of s[0..n); returns n if all valid.
 *  Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t sva_utf8_valid_prefix(const unsigned char *s, size_t n);

/** SHA-256 of data as 64 lower-case hex digits plus NUL in out. */
void sva_sha256_hex(const void *data, size_t len, char out[65]);

/** True if s is a non-empty id of [a-z0-9_.-] (dots allowed when dots). */
bool sva_valid_id(const char *s, bool dots);

/** Parse a strict decimal integer (optional sign, no spaces). */
bool sva_parse_int(const char *s, long *out);
/** Parse a strict finite decimal number (no spaces, no hex, no inf/nan). */
bool sva_parse_double(const char *s, double *out);
/** x rounded to one decimal exactly as printf("%.1f") shows it, so a number in
 *  the workbook equals the one the CLI prints. */
double sva_round1(double x);

/** Parse an ISO date YYYY-MM-DD that exists in the calendar. */
bool sva_parse_date(const char *s);

#endif

/* svcaudit: small internal helpers (strings, growing buffers, files, UTF-8).
 * Not part of the public API; used by the library only. */
#ifndef SVA_UTIL_H
#define SVA_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcaudit/error.h"
#include "svcaudit/file.h"

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

/** The whole-file reader (svcaudit/file.h); the old name stays for the library. */
#define sva_read_file sva_file_read

/* ---- a hash map from strings to indexes ---------------------------------------------- */

/** Open addressing, FNV-1a: put and get are O(1) expected, so a file of n
 *  keys is checked for duplicates in O(n), not O(n^2). The keys are
 *  borrowed: they must outlive the map. Zero-initialise before use. */
typedef struct sva_map {
    const char **keys;
    size_t *vals;
    size_t cap, n;
} sva_map;

/** Set @p key to @p val (replacing). false when out of memory. */
bool sva_map_put(sva_map *m, const char *key, size_t val);
/** The value of @p key in *val; false if absent. */
bool sva_map_get(const sva_map *m, const char *key, size_t *val);
/** The map's own pointer for a key equal to @p key; NULL if absent. */
const char *sva_map_key(const sva_map *m, const char *key);
void sva_map_free(sva_map *m);

/** Strings kept once each, alive until the pool is freed (rows of a report
 *  repeat the same store ids and names thousands of times). */
typedef struct sva_pool {
    sva_map map;
    char **chunks;
    size_t n_chunks;
    size_t used, size; /* of the last chunk */
} sva_pool;

/** The pool's copy of @p s (NULL for NULL, and when out of memory). */
const char *sva_pool_str(sva_pool *p, const char *s);
void sva_pool_free(sva_pool *p);

/** Length of the valid UTF-8 prefix of s[0..n); returns n if all valid.
 *  Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t sva_utf8_valid_prefix(const unsigned char *s, size_t n);

/** Does text that is not valid UTF-8 look like GBK/GB18030 (what Excel in a
 *  Chinese locale saves as "CSV")? True when it has no NUL byte, every byte is
 *  part of a well-formed GB18030 character, and most two-byte characters have
 *  a second byte of 0x80 or more, as the common Chinese characters (GB2312)
 *  have; Latin-1 text (an accented letter before an ASCII one) has not. O(n). */
bool sva_looks_gb18030(const char *s, size_t n);

/** Convert GB18030 text (GBK and GB2312 are subsets) to UTF-8 with iconv;
 *  line breaks stay where they were. @return SVA_OK (*out malloc'd, NUL-
 *  terminated, *out_len bytes), SVA_ERR_INVALID (*bad: offset of the first
 *  byte that is not GB18030), SVA_ERR_NOMEM, SVA_ERR_IO (iconv has no GB18030). */
sva_error sva_gb18030_to_utf8(const char *s, size_t n, char **out, size_t *out_len,
                              size_t *bad);

/** SHA-256 of data as 64 lower-case hex digits plus NUL in out. */
void sva_sha256_hex(const void *data, size_t len, char out[65]);

/** What sva_id_ok allows beyond [a-z0-9_-]. */
enum { SVA_ID_DOTS = 1, SVA_ID_UPPER = 2 };

/** The one rule for every id (store, employee, cycle, checklist, section,
 *  item, field): 1..max bytes of [a-z0-9_-], plus '.' with SVA_ID_DOTS and
 *  A-Z with SVA_ID_UPPER, and never "." or ".." (names that mean folders).
 *  So no '/', no space anywhere, no control or invisible character (zero-width
 *  space, bidi marks, BOM), nothing outside ASCII. */
bool sva_id_ok(const char *s, size_t max, unsigned flags);

/** sva_id_ok with no length limit and lower case only (dots when @p dots). */
bool sva_valid_id(const char *s, bool dots);

/** True if @p s holds nothing but blanks: spaces, tabs, and the Unicode
 *  spaces and invisible characters a name may be typed with (no-break and
 *  ideographic space, zero-width space and joiners, word joiner, BOM).
 *  An empty string is blank. @p s must be valid UTF-8. */
bool sva_text_blank(const char *s);

/** A name or free text a user gives: valid UTF-8, no control characters but
 *  tab, at most @p max bytes; NULL or "" only when @p allow_empty. */
bool sva_text_ok(const char *s, size_t max, bool allow_empty);

/** Parse a strict decimal integer (optional sign, no spaces). */
bool sva_parse_int(const char *s, long *out);
/** Parse a strict finite decimal number (no spaces, no hex, no inf/nan). */
bool sva_parse_double(const char *s, double *out);
/** x rounded to one decimal exactly as printf("%.1f") shows it, so a number in
 *  the workbook equals the one the CLI prints. */
double sva_round1(double x);

/** Parse an ISO date YYYY-MM-DD that exists in the calendar. */
bool sva_parse_date(const char *s);
/** The day after @p date (YYYY-MM-DD) into @p out; false when it is not a date. */
bool sva_next_day(const char *date, char out[11]);
/** The day before @p date (YYYY-MM-DD) into @p out; false when it is not a date. */
bool sva_prev_day(const char *date, char out[11]);

/** Damerau-Levenshtein distance (optimal string alignment) of @p a and @p b;
 *  words longer than 64 bytes count as far apart. */
size_t sva_edit_distance(const char *a, const char *b);
/** "did you mean": the names among @p names closest to @p typed within a
 *  threshold like git's (1 for up to 4 bytes, 2 up to 8, else 3), as
 *  "'A' or 'B'" (at most three) into @p out; "" when none is close. */
void sva_suggest(const char *typed, const char *const *names, size_t n, char *out,
                 size_t size);

#endif

/* svcaudit CLI: the one JSON writer. Every command that prints JSON builds it
 * here: objects, arrays, strings (always valid UTF-8: control characters
 * escaped, invalid bytes replaced by U+FFFD), numbers as the outputs format
 * them, null and bool; where lines break is said by the caller. */
#ifndef SVA_CLI_JSON_H
#define SVA_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_JSON_DEPTH 16

/** One open object or array. */
typedef struct cli_json_level {
    char close;      /* '}' or ']' */
    int n;           /* elements written */
    const char *brk; /* written before each element ("\n  "), else ", " */
    const char *end; /* written before the closing bracket */
    bool end_empty;  /* ... even when there is no element */
} cli_json_level;

/** A writer on one stream; set up with json_init. */
typedef struct cli_json {
    FILE *f;
    int depth;
    cli_json_level level[CLI_JSON_DEPTH];
    const char *brk_once; /* before the next element only */
    bool after_key;
} cli_json;

/** @brief A writer on @p f. */
void json_init(cli_json *j, FILE *f);
/** @brief Begin an object ('{') or an array ('['), as a value. */
void json_object(cli_json *j);
void json_array(cli_json *j);
/**
 * @brief The layout of the object or array just begun: @p brk before each
 * element (after its comma) instead of a space; @p end before the closing
 * bracket, when there is an element or @p end_empty. NULL: nothing.
 */
void json_layout(cli_json *j, const char *brk, const char *end, bool end_empty);
/** @brief @p brk (e.g. "\n ") before the next element, instead of a space. */
void json_break(cli_json *j, const char *brk);
/** @brief Close the innermost object or array. */
void json_end(cli_json *j);
/** @brief The key of the next member of the current object. */
void json_key(cli_json *j, const char *key);
/** @brief A string; NULL writes null. */
void json_string(cli_json *j, const char *s);
/** @brief A number already formatted the outputs' way ("82.5"); "" or NULL writes null. */
void json_number(cli_json *j, const char *text);
void json_int(cli_json *j, long long v);
/** @brief A number as %g (weights, points, alpha); not finite: null. */
void json_real(cli_json *j, double v);
void json_bool(cli_json *j, bool v);
void json_null(cli_json *j);
/** @brief End the document: a line break. */
void json_finish(cli_json *j);

/* key + value in one call */
void json_kstring(cli_json *j, const char *key, const char *s);
void json_knumber(cli_json *j, const char *key, const char *text);
void json_kint(cli_json *j, const char *key, long long v);
void json_kreal(cli_json *j, const char *key, double v);
void json_kbool(cli_json *j, const char *key, bool v);

/**
 * @brief Write @p s as a JSON string literal (quotes included) to @p f:
 * '"', '\\' and control characters escaped, invalid UTF-8 as U+FFFD.
 */
void json_write_string(FILE *f, const char *s);

/**
 * @brief The length of the valid UTF-8 sequence at @p p (1-4), or 0 when the
 * bytes there are not one (stray continuation, overlong, surrogate, beyond
 * U+10FFFF, cut short); *cp gets the code point. Also used to clean messages.
 */
int utf8_next(const unsigned char *p, unsigned *cp);

#endif

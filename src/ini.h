/* svcaudit: the INI reader shared by checklists, forms, answer sheets and
 * target files. The only module that uses iniparser (internal header). */
#ifndef SVA_INI_H
#define SVA_INI_H

#include <stddef.h>

#include "svcaudit/error.h"
#include "util.h"

/** Longest line accepted (iniparser 4.1 fails on lines of 1024 bytes). */
#define SVA_INI_MAX_LINE 1000

typedef struct sva_ini_entry {
    char *key;   /* lower-cased; kept by the file (sva_ini_free) */
    char *value; /* as iniparser reads it: quotes removed, inline comment cut; kept by
                    the file */
    int line;
    size_t src_off, src_len; /* the line's bytes in the parsed text (the cross-check) */
} sva_ini_entry;

typedef struct sva_ini_section {
    char *name; /* lower-cased; kept by the file (sva_ini_free) */
    int line;
    sva_ini_entry *entries; /* n of them, in the file's array (NULL when n is 0) */
    size_t n;
    size_t first;   /* where they start in the file's array */
    sva_map by_key; /* key -> entry, kept once the section has more than a few keys */
} sva_ini_section;

typedef struct sva_ini {
    char *name; /* the file name used in messages */
    sva_ini_section *secs;
    size_t n, cap;
    sva_ini_entry *all; /* every section's entries, section after section */
    size_t n_all, cap_all;
    sva_map by_name; /* section name -> index */
    struct sva_ini_chunk *names; /* where the section names and keys are */
} sva_ini;

/**
 * @brief Parse INI text. A pre-scan checks every line (UTF-8, length, syntax,
 * names, duplicates, keys outside sections, line continuations, a carriage
 * return that ends no line, a byte order mark after the start) and reports
 * every problem to @p d as "name:line", at most one per line; when it finds
 * none, iniparser reads the same lines and each value is cross-checked
 * against it. Time and memory are linear in @p len (sections and keys are
 * found through hash maps; iniparser reads the lines in bounded pieces).
 * @param name  file name for messages
 * @param data  the bytes (need not be NUL-terminated); a UTF-8 BOM is skipped
 * @param out   receives the parsed file even when problems were found (lint
 *              goes on to check the rest); NULL only on SVA_ERR_NOMEM/IO.
 * @return SVA_OK, SVA_ERR_PARSE (problems in @p d), SVA_ERR_NOMEM, SVA_ERR_IO.
 * Caller frees *out with sva_ini_free.
 */
sva_error sva_ini_parse(const char *name, const char *data, size_t len, sva_ini **out,
                        sva_diag *d);

/** A cross-check shared by many files (a batch of answer sheets): iniparser
 *  reads the values of all of them in a few pieces instead of a piece per file. */
typedef struct sva_ini_check sva_ini_check;

/** @brief A new shared cross-check; NULL when out of memory. */
sva_ini_check *sva_ini_check_new(void);

/**
 * @brief sva_ini_parse with the cross-check queued in @p c: the pre-scan's
 * problems go to @p d now, the cross-check's later (at the latest at
 * sva_ini_check_flush), to the same @p d, so a file's messages keep the
 * order sva_ini_parse gives them. *@p out and @p d must live until the
 * flush (@p data need not).
 * @param rc  receives the file's whole result once flushed: what
 *            sva_ini_parse would have returned.
 * @return the pre-scan's result (as sva_ini_parse; SVA_OK when the
 *         cross-check is queued).
 */
sva_error sva_ini_parse_queued(sva_ini_check *c, const char *name, const char *data, size_t len,
                               sva_ini **out, sva_diag *d, sva_error *rc);

/** @brief Cross-check what is still queued in @p c. @return SVA_OK, or the
 *  SVA_ERR_NOMEM / SVA_ERR_IO that the files queued got (each file's rc). */
sva_error sva_ini_check_flush(sva_ini_check *c);

/** @brief Free @p c (flush it first); NULL is fine. */
void sva_ini_check_free(sva_ini_check *c);

/** @brief Read @p path and sva_ini_parse it. */
sva_error sva_ini_load(const char *path, sva_ini **out, sva_diag *d);

/** @brief Free a parsed file; NULL is fine. */
void sva_ini_free(sva_ini *ini);

/** @brief The section named @p name, or NULL. O(1). */
const sva_ini_section *sva_ini_section_get(const sva_ini *ini, const char *name);

/** @brief The entry @p key of @p sec, or NULL. O(1). */
const sva_ini_entry *sva_ini_entry_get(const sva_ini_section *sec, const char *key);

#endif

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
    char *key;   /* lower-cased */
    char *value; /* as iniparser reads it: quotes removed, inline comment cut */
    int line;
    size_t src_off, src_len; /* the line's bytes in the parsed text (the cross-check) */
} sva_ini_entry;

typedef struct sva_ini_section {
    char *name; /* lower-cased */
    int line;
    sva_ini_entry *entries;
    size_t n, cap;
    sva_map by_key; /* key -> entry, kept once the section has more than a few keys */
} sva_ini_section;

typedef struct sva_ini {
    char *name; /* the file name used in messages */
    sva_ini_section *secs;
    size_t n, cap;
    sva_map by_name; /* section name -> index */
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

/** @brief Read @p path and sva_ini_parse it. */
sva_error sva_ini_load(const char *path, sva_ini **out, sva_diag *d);

/** @brief Free a parsed file; NULL is fine. */
void sva_ini_free(sva_ini *ini);

/** @brief The section named @p name, or NULL. O(1). */
const sva_ini_section *sva_ini_section_get(const sva_ini *ini, const char *name);

/** @brief The entry @p key of @p sec, or NULL. O(1). */
const sva_ini_entry *sva_ini_entry_get(const sva_ini_section *sec, const char *key);

#endif

/* svcaudit: the checklist model and its loader (INI files in checklists/),
 * the 5W1H action form, and the catalog that finds them on disk. */
#ifndef SVCAUDIT_CHECKLIST_H
#define SVCAUDIT_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "svcaudit/error.h"

/** A text with its translations: lang "" is the English `text`, others come
 *  from `text_<lang>` keys. */
typedef struct sva_text {
    char *lang;
    char *text;
} sva_text;

typedef struct sva_i18n {
    sva_text *v;
    size_t n;
} sva_i18n;

/** @brief The text in @p lang, else the English one; "" when there is none. */
const char *sva_i18n_get(const sva_i18n *t, const char *lang);

typedef enum sva_scale_kind {
    SVA_SCALE_YESNO,  /**< yes = 1, no = 0 */
    SVA_SCALE_RANGE,  /**< 0-4, 0-5, 0-10: value / max */
    SVA_SCALE_POINTS  /**< points:N, 0..N: value / N */
} sva_scale_kind;

typedef struct sva_scale {
    sva_scale_kind kind;
    int max; /**< 1 for yesno */
} sva_scale;

/** @brief Parse "yesno", "0-4", "0-5", "0-10" or "points:N" (1 <= N <= 1000). */
bool sva_scale_parse(const char *s, sva_scale *out);
/** @brief The scale's name as written in a checklist ("yesno", "0-4", "points:12"). */
void sva_scale_name(sva_scale sc, char *buf, size_t size);

typedef enum sva_subject { SVA_SUBJECT_STORE, SVA_SUBJECT_EMPLOYEE } sva_subject;
typedef enum sva_index { SVA_INDEX_NONE, SVA_INDEX_SSI, SVA_INDEX_CSI, SVA_INDEX_6S } sva_index;
typedef enum sva_policy { SVA_POLICY_FLAG, SVA_POLICY_ZERO } sva_policy;
typedef enum sva_evidence {
    SVA_EVIDENCE_NONE,
    SVA_EVIDENCE_ON_FAIL,
    SVA_EVIDENCE_ALWAYS
} sva_evidence;

const char *sva_subject_name(sva_subject s);
const char *sva_index_name(sva_index i);
const char *sva_policy_name(sva_policy p);
const char *sva_evidence_name(sva_evidence e);

typedef struct sva_section {
    char *id;
    sva_i18n title;
    double weight;   /**< meaningful when has_weight */
    bool has_weight;
    int line;
} sva_section;

typedef struct sva_item {
    char *id;          /**< as in [item.ID], e.g. "greeting.smile" */
    size_t section;    /**< index into sva_checklist.sections */
    sva_i18n text;
    sva_i18n guide;
    double weight;     /**< default 1 */
    sva_scale scale;
    bool na;           /**< N/A allowed */
    bool critical;
    sva_evidence evidence;
    int line;
} sva_item;

typedef struct sva_checklist {
    char *path;        /**< where it was read from (or a label) */
    char *id;
    long version;
    sva_i18n title;
    sva_i18n description;
    sva_subject subject;
    sva_index index;
    sva_scale scale;   /**< default item scale */
    sva_policy policy;
    sva_section *sections;
    size_t n_sections;
    sva_item *items;   /**< grouped by section, in section order, file order within */
    size_t n_items;
    char hash[65];     /**< SHA-256 of the exact file bytes, hex */
    char *source;      /**< the exact file bytes (NUL-terminated copy) */
    size_t source_len;
    struct sva_checklist_ids *ids; /**< private: finds items and sections by id in O(1) */
} sva_checklist;

/**
 * @brief Parse a checklist from its bytes. Every problem goes to @p d as
 * "name:line: message"; on any problem nothing is returned.
 * @return SVA_OK (caller frees *out with sva_checklist_free), SVA_ERR_PARSE or
 * SVA_ERR_INVALID (see @p d), SVA_ERR_NOMEM, SVA_ERR_IO.
 */
sva_error sva_checklist_parse(const char *name, const char *data, size_t len,
                              sva_checklist **out, sva_diag *d);

/** @brief Read @p path and sva_checklist_parse it. */
sva_error sva_checklist_load(const char *path, sva_checklist **out, sva_diag *d);

/** @brief Free a checklist; NULL is fine. */
void sva_checklist_free(sva_checklist *cl);

/** @brief Index of item @p id, or -1. O(1) for a loaded checklist. */
long sva_checklist_item_index(const sva_checklist *cl, const char *id);

/** @brief Index of section @p id, or -1. O(1) for a loaded checklist. */
long sva_checklist_section_index(const sva_checklist *cl, const char *id);

/**
 * @brief "did you mean" for an item id @p typed that @p cl lacks: into @p out,
 * " (did you mean 'A' or 'B'?)" with at most three of its items, else "".
 * The items near in spelling (sva_suggest's rule), else those whose key (the
 * part after the section) contains the typed key or is contained in it, those
 * of the typed section first ("safety.extinguishers": safety.fire_extinguishers).
 */
void sva_checklist_near_items(const sva_checklist *cl, const char *typed, char *out,
                              size_t size);

/* ---- the 5W1H action form ------------------------------------------------ */

typedef enum sva_field_type {
    SVA_FIELD_TEXT,
    SVA_FIELD_PERSON,
    SVA_FIELD_DATE,
    SVA_FIELD_ENUM,
    SVA_FIELD_NUMBER
} sva_field_type;

const char *sva_field_type_name(sva_field_type t);

typedef struct sva_field {
    char *key;
    sva_i18n label;
    sva_i18n help;
    sva_field_type type;
    bool required;
    char **values;     /**< enum values */
    size_t n_values;
    int line;
} sva_field;

typedef struct sva_form {
    char *path;
    char *id;
    long version;
    sva_i18n title;
    sva_field *fields; /**< in file order */
    size_t n_fields;
    char hash[65];
} sva_form;

/** @brief Parse a form ([form] + [field.KEY] sections); like sva_checklist_parse. */
sva_error sva_form_parse(const char *name, const char *data, size_t len, sva_form **out,
                         sva_diag *d);
sva_error sva_form_load(const char *path, sva_form **out, sva_diag *d);
void sva_form_free(sva_form *f);

/** @brief Check @p value against field @p f (type, enum values, non-empty when
 *  required). Adds a message naming the field to @p d. @return true if valid. */
bool sva_field_check(const sva_field *f, const char *value, sva_diag *d);

/**
 * @brief Lint one file: a checklist, or a form if it has a [form] section.
 * Every problem is added to @p d. @return number of problems (0 = clean).
 */
size_t sva_lint_file(const char *path, sva_diag *d);

/* ---- the catalog: every checklist and form found on the search path ------ */

typedef struct sva_catalog {
    sva_checklist **checklists; /**< sorted by id (empty while lazy) */
    size_t n_checklists;
    sva_form **forms;           /**< (empty while lazy) */
    size_t n_forms;
    char **dirs;                /**< the folders searched, in order */
    size_t n_dirs;
    struct sva_catalog_lazy *lazy; /**< NULL when everything is loaded; else what
                                        sva_catalog_index found, loaded on demand */
} sva_catalog;

/**
 * @brief Load every *.ini in @p dirs (in order; the first file with a given
 * id wins). Folders that do not exist are skipped. Files that fail to load
 * are skipped and each adds its problems to @p d (the caller decides whether
 * that is fatal). @return SVA_OK or SVA_ERR_NOMEM; caller frees *out.
 */
sva_error sva_catalog_open(const char *const *dirs, size_t n_dirs, sva_catalog **out,
                           sva_diag *d);
void sva_catalog_free(sva_catalog *c);

/**
 * @brief A lazy catalog: the files of @p dirs (in the same order as
 * sva_catalog_open) are listed and each one's id is read by a quick look at
 * its [checklist] or [form] section; nothing is parsed. sva_catalog_find then
 * loads a file when its id is first asked for, with the same result as a full
 * catalog (the first file of an id that loads wins), so a command that needs
 * one checklist parses one file. The arrays stay empty until
 * sva_catalog_load_all. Finding through a lazy catalog changes its cache: one
 * thread at a time. @return SVA_OK or SVA_ERR_NOMEM; caller frees *out.
 */
sva_error sva_catalog_index(const char *const *dirs, size_t n_dirs, sva_catalog **out,
                            sva_diag *d);

/** @brief Load everything a lazy catalog has not loaded yet (no-op for a full
 *  one): afterwards it is a full catalog; the problems of every file that
 *  failed to load go to @p d, as sva_catalog_open reports them. */
sva_error sva_catalog_load_all(sva_catalog *c, sva_diag *d);

/** @brief The checklist with @p id, or NULL. */
const sva_checklist *sva_catalog_find(const sva_catalog *c, const char *id);

/**
 * @brief "did you mean" for a checklist id @p typed that @p c lacks: into
 * @p out, " (did you mean 'A' or 'B'?)" with the ids within a typo
 * (sva_suggest's rule), else "". With @p metrics, ssi, csi and 6s are
 * candidates too (a metric is one of them or a checklist id). Reads a lazy
 * catalog's index without loading anything.
 */
void sva_catalog_near(const sva_catalog *c, const char *typed, bool metrics, char *out,
                      size_t size);
/** @brief The form with @p id, or NULL. */
const sva_form *sva_catalog_find_form(const sva_catalog *c, const char *id);

#endif

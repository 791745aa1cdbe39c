/* svcaudit: the labels of the outputs (sheet names, headers, KPI labels,
 * statuses, chart titles, report texts) in every language the product
 * speaks. One catalogue (src/i18n.c), complete in each language: a unit test
 * fails when a key lacks a translation. Checklist texts are not here: they
 * come with the checklists (text_zh = ...). */
#ifndef SVCAUDIT_I18N_H
#define SVCAUDIT_I18N_H

#include <stdbool.h>

/** @brief Is @p lang a language of the catalogue ("en", "zh")? NULL is English. */
bool sva_lang_known(const char *lang);

/** @brief The catalogue's languages, for messages: "en, zh". Static. */
const char *sva_lang_names(void);

/** @brief The label @p key in @p lang (NULL: English). An unknown language
 *  falls back to English; an unknown key is returned as it is (the catalogue
 *  test keeps that from happening). Static text, never NULL. */
const char *sva_tr(const char *lang, const char *key);

/** @brief A name (a status, a verdict, a role...) in @p lang: the text of
 *  "prefix.name" when the catalogue has it, else @p name itself. */
const char *sva_tr_name(const char *lang, const char *prefix, const char *name);

/** @brief How many keys the catalogue has, and the i-th key (tests). */
int sva_tr_count(void);
const char *sva_tr_key(int i);
/** @brief The i-th key's text in @p lang, or NULL when it has none. */
const char *sva_tr_at(int i, const char *lang);

#endif

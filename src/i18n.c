/* svcaudit: the catalogue of output labels (see i18n.h). Each entry: a key,
 * the English text, the Chinese text. Keys are grouped by where they appear;
 * keep each group sorted. A key is looked up by binary search over an index
 * built once. */
#include "svcaudit/i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct msg {
    const char *key;
    const char *en;
    const char *zh;
} msg;

static const msg CATALOGUE[] = {
    /* ---- statuses, verdicts, colours ---- */
    {"colour.amber", "amber", "黄"},
    {"colour.green", "green", "绿"},
    {"colour.grey", "grey", "灰"},
    {"colour.red", "red", "红"},
    {"status.met", "met", "达标"},
    {"status.missed", "missed", "未达标"},
    {"status.no data", "no data", "无数据"},
    {"status.no target", "no target", "无目标"},
};

#define N_MSG ((int)(sizeof CATALOGUE / sizeof *CATALOGUE))

static const char *const LANGS[] = {"en", "zh"};

bool sva_lang_known(const char *lang)
{
    if (!lang)
        return true;
    for (size_t i = 0; i < sizeof LANGS / sizeof *LANGS; i++)
        if (strcmp(lang, LANGS[i]) == 0)
            return true;
    return false;
}

const char *sva_lang_names(void)
{
    return "en, zh";
}

static const char *text_of(const msg *m, const char *lang)
{
    if (lang && strcmp(lang, "zh") == 0)
        return m->zh;
    return m->en;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const msg *const *)a)->key, (*(const msg *const *)b)->key);
}

/* The catalogue sorted by key, built on first use. The table is static and
 * never changes, so a race between two first uses builds the same index. */
static const msg *const *index_of(void)
{
    static const msg *idx[N_MSG];
    static int built;
    if (!built) {
        for (int i = 0; i < N_MSG; i++)
            idx[i] = &CATALOGUE[i];
        qsort(idx, N_MSG, sizeof *idx, by_key);
        built = 1;
    }
    return idx;
}

const char *sva_tr(const char *lang, const char *key)
{
    msg k = {key, NULL, NULL};
    const msg *kp = &k;
    const msg *const *hit = bsearch(&kp, index_of(), N_MSG, sizeof *hit, by_key);
    if (!hit)
        return key;
    const char *t = text_of(*hit, lang);
    return t && *t ? t : (*hit)->en;
}

int sva_tr_count(void)
{
    return N_MSG;
}

const char *sva_tr_key(int i)
{
    return i >= 0 && i < N_MSG ? CATALOGUE[i].key : NULL;
}

const char *sva_tr_at(int i, const char *lang)
{
    if (i < 0 || i >= N_MSG)
        return NULL;
    const char *t = text_of(&CATALOGUE[i], lang);
    return t && *t ? t : NULL;
}

/* svcaudit fuzzing: answer sheets, INI and CSV (sva_sheet_read_header,
 * sva_sheet_parse, the audit module's checks, then scoring), against the shipped
 * checklists: the one the sheet's header names, else sales_mystery_shop.
 * SVA_FUZZ_STRICT=1 also aborts on an error without a message and on a sheet
 * that, written back with its answers, does not read back the same. */
#include "fuzz_common.h"

static int strict;
static sva_catalog *cat;
static const sva_checklist *sales;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *s = getenv("SVA_FUZZ_STRICT");
    strict = s && *s == '1';
    cat = fuzz_catalog();
    sales = sva_catalog_find(cat, "sales_mystery_shop");
    if (!sales)
        abort();
    return 0;
}

/* Does text @p b, read back from a sheet written with @p a, hold what the
 * writer promises? CSV keeps text exactly. INI has no escapes (answers.c,
 * ini_line): each '"' becomes '\'', each line break (CRLF, CR, LF) a space,
 * and a value too long for one line is cut and ends in "...". */
static bool same_text(sva_sheet_format fmt, const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    if (fmt == SVA_SHEET_CSV)
        return strcmp(a, b) == 0;
    size_t nb = strlen(b);
    bool cut = nb >= 3 && strcmp(b + nb - 3, "...") == 0;
    size_t i = 0, k = 0;
    for (; a[i]; i++, k++) {
        char want = a[i];
        if (want == '\r' && a[i + 1] == '\n')
            i++;
        if (want == '\r' || want == '\n')
            want = ' ';
        else if (want == '"')
            want = '\'';
        if (cut && k >= nb - 3)
            return true;
        if (b[k] != want)
            return false;
    }
    return b[k] == '\0';
}

static void roundtrip(const sva_sheet *sh, const sva_checklist *cl)
{
    char *text = NULL;
    if (sva_sheet_write(cl, sh->format, NULL, &sh->header, sh->answers, &text) != SVA_OK)
        return;
    sva_diag d;
    sva_diag_init(&d);
    sva_sheet *back = NULL;
    sva_error rc = sva_sheet_parse("back", text, strlen(text), cl, &back, &d);
    fuzz_diag_check(&d);
    if (strict) {
        if (rc != SVA_OK) {
            char buf[4096];
            for (size_t i = 0; i < d.n; i++) {
                sva_diag_format(&d, i, buf, sizeof buf);
                fprintf(stderr, "written sheet does not read back: %s\n", buf);
            }
        }
        FUZZ_CHECK(rc == SVA_OK);
        for (size_t i = 0; i < cl->n_items; i++) {
            const sva_answer *a = &sh->answers[i], *b = &back->answers[i];
            FUZZ_CHECK(a->answered == b->answered);
            FUZZ_CHECK(!a->answered || a->na == b->na);
            FUZZ_CHECK(!a->answered || a->na || a->value == b->value);
            FUZZ_CHECK(same_text(sh->format, a->note, b->note));
            FUZZ_CHECK(same_text(sh->format, a->evidence, b->evidence));
        }
    }
    sva_sheet_free(back);
    sva_diag_clear(&d);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    sva_diag d;
    sva_diag_init(&d);
    sva_sheet_header h = {0};
    sva_error rc = sva_sheet_read_header("fuzz-sheet", text, size, &h, &d);
    fuzz_diag_check(&d);
    if (strict)
        FUZZ_CHECK(rc == SVA_OK || d.n > 0);
    const sva_checklist *cl = NULL;
    if (rc == SVA_OK && h.checklist)
        cl = sva_catalog_find(cat, h.checklist);
    if (!cl)
        cl = sales;
    sva_sheet_header_free(&h);
    sva_diag_clear(&d);

    sva_sheet *sh = NULL;
    rc = sva_sheet_parse("fuzz-sheet", text, size, cl, &sh, &d);
    fuzz_diag_check(&d);
    if (strict)
        FUZZ_CHECK(rc == SVA_OK ? sh != NULL : d.n > 0);
    if (rc == SVA_OK && sh) {
        FUZZ_CHECK(sh->n == cl->n_items);
        sva_diag_clear(&d);
        sva_audit_header ah;
        sva_audit_header_merge(&ah, NULL, &sh->header, sh->name);
        const sva_audit_ready *ready = NULL;
        sva_error v = sva_audit_prepare_sheet(&ah, sh, &ready, &d);
        fuzz_diag_check(&d);
        if (strict)
            FUZZ_CHECK(v == SVA_OK ? ready != NULL : d.n > 0);
        sva_audit_ready_free(ready);
        sva_score sc;
        if (sva_score_compute(cl, sh->answers, &sc) == SVA_OK) {
            if (sc.scorable)
                FUZZ_CHECK(sc.pct >= 0 && sc.pct <= 100 && sc.raw_pct >= 0 && sc.raw_pct <= 100);
            sva_score_free(&sc);
        }
        char buf[64];
        for (size_t i = 0; i < cl->n_items; i++)
            sva_answer_format(&cl->items[i], &sh->answers[i], buf, sizeof buf);
        roundtrip(sh, cl);
    }
    sva_sheet_free(sh);
    sva_diag_clear(&d);

    /* as record reads it: once, bound even with problems, then every check */
    sh = NULL;
    rc = sva_sheet_read("fuzz-sheet", text, size, &sh, &d);
    if (sh) {
        if (sva_sheet_bind(sh, cl, &d) != SVA_ERR_NOMEM && sh->cl) {
            FUZZ_CHECK(sh->n == cl->n_items);
            sva_audit_header ah;
            sva_audit_header_merge(&ah, NULL, &sh->header, sh->name);
            const sva_audit_ready *ready = NULL;
            sva_error v = sva_audit_prepare_sheet(&ah, sh, &ready, &d);
            FUZZ_CHECK(v != SVA_OK || (rc == SVA_OK && sh->problems == 0));
            sva_audit_ready_free(ready);
        }
        fuzz_diag_check(&d);
    }
    sva_sheet_free(sh);
    sva_diag_clear(&d);
    return 0;
}

/* svcaudit fuzzing: checklist and 5W1H form parsing (sva_checklist_parse,
 * sva_form_parse, and through them sva_ini_parse), then the template writer on
 * every checklist that loads, read back by the sheet parser.
 * SVA_FUZZ_STRICT=1 also aborts on broken promises: an error with no message,
 * a loaded checklist that breaks its own model, a template that does not
 * read back. */
#include "fuzz_common.h"

static int strict;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *s = getenv("SVA_FUZZ_STRICT");
    strict = s && *s == '1';
    return 0;
}

static void check_model(const sva_checklist *cl)
{
    FUZZ_CHECK(cl->id && *cl->id);
    FUZZ_CHECK(cl->n_items > 0 && cl->n_sections > 0);
    FUZZ_CHECK(strlen(cl->hash) == 64);
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        FUZZ_CHECK(it->section < cl->n_sections);
        FUZZ_CHECK(sva_checklist_item_index(cl, it->id) == (long)i);
        FUZZ_CHECK(it->scale.max >= 1 && it->scale.max <= 1000);
        FUZZ_CHECK(it->weight > 0);
        FUZZ_CHECK(i == 0 || cl->items[i - 1].section <= it->section);
    }
    for (size_t s = 0; s < cl->n_sections; s++)
        FUZZ_CHECK(sva_checklist_section_index(cl, cl->sections[s].id) == (long)s);
}

/* Write an empty template (and one with every answer set) and read it back. */
static void template_roundtrip(const sva_checklist *cl, sva_sheet_format fmt, const char *lang)
{
    char *text = NULL;
    if (sva_sheet_template(cl, fmt, lang, &text) != SVA_OK)
        return;
    sva_diag d;
    sva_diag_init(&d);
    sva_sheet *sh = NULL;
    sva_error rc = sva_sheet_parse("template", text, strlen(text), cl, &sh, &d);
    fuzz_diag_check(&d);
    if (strict) {
        if (rc != SVA_OK) {
            char buf[4096];
            for (size_t i = 0; i < d.n; i++) {
                sva_diag_format(&d, i, buf, sizeof buf);
                fprintf(stderr, "template does not read back: %s\n", buf);
            }
        }
        FUZZ_CHECK(rc == SVA_OK);
        FUZZ_CHECK(sh->n == cl->n_items);
    }
    sva_sheet_free(sh);
    sva_diag_clear(&d);
    free(text);

    /* every item answered with its lowest value, N/A where allowed */
    sva_answer *ans = calloc(cl->n_items, sizeof *ans);
    if (!ans)
        return;
    for (size_t i = 0; i < cl->n_items; i++) {
        ans[i].answered = true;
        ans[i].na = cl->items[i].na && (i % 2);
        ans[i].value = (int)(i % (size_t)(cl->items[i].scale.max + 1));
        ans[i].note = (char *)"seen; #1, twice";
    }
    sva_sheet_header h = {.checklist = cl->id, .version = cl->version, .store = (char *)"S1",
                          .cycle = (char *)"C1", .auditor = (char *)"A", .date = (char *)"2026-01-02"};
    if (sva_sheet_write(cl, fmt, lang, &h, ans, &text) == SVA_OK) {
        sva_diag_init(&d);
        rc = sva_sheet_parse("sheet", text, strlen(text), cl, &sh, &d);
        fuzz_diag_check(&d);
        if (strict) {
            FUZZ_CHECK(rc == SVA_OK);
            for (size_t i = 0; i < cl->n_items; i++) {
                FUZZ_CHECK(sh->answers[i].answered);
                FUZZ_CHECK(sh->answers[i].na == ans[i].na);
                FUZZ_CHECK(ans[i].na || sh->answers[i].value == ans[i].value);
            }
        }
        if (rc == SVA_OK) {
            sva_score sc;
            if (sva_score_compute(cl, sh->answers, &sc) == SVA_OK)
                sva_score_free(&sc);
        }
        sva_sheet_free(sh);
        sva_diag_clear(&d);
        free(text);
    }
    free(ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_checklist *cl = NULL;
    sva_error rc = sva_checklist_parse("fuzz.ini", (const char *)data, size, &cl, &d);
    fuzz_diag_check(&d);
    if (strict)
        FUZZ_CHECK(rc == SVA_OK ? cl != NULL : (cl == NULL && d.n > 0));
    if (rc == SVA_OK && cl) {
        if (strict)
            check_model(cl);
        char name[64];
        for (size_t i = 0; i < cl->n_items; i++)
            sva_item_allowed(&cl->items[i], name, sizeof name);
        sva_scale_name(cl->scale, name, sizeof name);
        template_roundtrip(cl, SVA_SHEET_INI, NULL);
        template_roundtrip(cl, SVA_SHEET_CSV, "zh");
    }
    sva_checklist_free(cl);
    sva_diag_clear(&d);

    sva_form *f = NULL;
    rc = sva_form_parse("fuzz-form.ini", (const char *)data, size, &f, &d);
    fuzz_diag_check(&d);
    if (strict)
        FUZZ_CHECK(rc == SVA_OK ? f != NULL : (f == NULL && d.n > 0));
    if (rc == SVA_OK && f) {
        static const char *const probes[] = {"", "x", "2026-02-30", "2026-01-31", "12.5",
                                             "-1", "a|b", "high", "\xff"};
        for (size_t i = 0; i < f->n_fields; i++)
            for (size_t k = 0; k < sizeof probes / sizeof *probes; k++)
                sva_field_check(&f->fields[i], probes[k], &d);
        fuzz_diag_check(&d);
    }
    sva_form_free(f);
    sva_diag_clear(&d);
    return 0;
}

/* svcaudit: the cycle workbook (see export.h): builds the report model, then
 * runs the table of sheets over the cell layer into a temporary file that
 * replaces the target only when complete and checked. */
#include "sheet.h"
#include "svcaudit/svcaudit.h"
#include "util.h"
#include "zipcheck.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The sheets, in the workbook's order. */
static const struct {
    sheet_fn write;
    bool data_only;   /* only with --data */
} SHEETS[] = {
    {sheet_dashboard, false}, {sheet_stores, false},    {sheet_six, false},
    {sheet_standards, false}, {sheet_employees, false}, {sheet_actions, false},
    {sheet_trend, false},     {sheet_audits, false},    {sheet_repeats, false},
    {sheet_auditors, false},  {sheet_data, true},
};

sva_error sva_export_sheets(xl_book *b, sva_report *r, sva_db *db, bool data, sva_diag *d)
{
    sheet_ctx c = {b, r, db, d};
    for (size_t i = 0; i < sizeof SHEETS / sizeof *SHEETS && !xl_book_error(b); i++)
        if (!SHEETS[i].data_only || data)
            SHEETS[i].write(&c);
    return xl_book_error(b);
}

sva_error sva_export_workbook(sva_db *db, const sva_export_opts *o, sva_diag *d)
{
    sva_report_opts ro = {.cycle = o->cycle, .region = o->region, .employees = o->employees,
                          .salt = o->salt, .min_audits = o->min_audits, .lang = o->lang,
                          .today = o->today, .trend_cycles = o->trend_cycles, .cat = o->cat};
    sva_report *r = NULL;
    char *tmp = NULL, *dir = NULL, *tmpdir = NULL;
    xl_book *b = NULL;
    if (!sva_lang_known(o->lang)) {
        sva_diag_add(d, NULL, 0, "--lang: no labels in '%s' (want one of: %s)", o->lang,
                     sva_lang_names());
        return SVA_ERR_INVALID;
    }
    /* one snapshot for the model and the sheets that stream audits after it */
    sva_error rc = sva_db_read_begin(db, d);
    if (rc)
        return rc;
    rc = sva_report_build(db, &ro, &r, d);
    if (rc)
        goto out;
    /* the temporary file beside the target, so the rename stays on one file
     * system (what killed exports left there goes first) */
    tmp = sva_replace_begin(o->path, ".xlsx");
    char *copy = sva_strdup(o->path);
    dir = copy ? sva_strdup(dirname(copy)) : NULL;
    free(copy);
    if (!tmp || !dir) {
        rc = SVA_ERR_NOMEM;
        goto out;
    }
    if (access(dir, W_OK) != 0) {
        /* before libxlsxwriter, which would print its own error line */
        sva_diag_add(d, o->path, 0, "cannot write there: %s", strerror(errno));
        rc = SVA_ERR_IO;
        goto out;
    }
    /* libxlsxwriter's temporary files go into a folder of our own, which the
     * next export here sweeps if this process is killed */
    tmpdir = sva_temp_dir_begin(o->path);
    if (!(b = xl_book_new(tmp, tmpdir ? tmpdir : dir, o->path, d))) {
        rc = SVA_ERR_IO;
        goto out;
    }
    char title[256], comments[512];
    snprintf(title, sizeof title, sva_tr(o->lang, "dash.title"), o->cycle);
    static const char *const privacy[] = {"full", "pseudonymous", "none"};
    snprintf(comments, sizeof comments,
             "Made by svcaudit %s from cycle %s%s%s; employees: %s; SSI, CSI and 6S are "
             "audit-based", SVA_VERSION, o->cycle, o->region ? ", region " : "",
             o->region ? o->region : "", privacy[o->employees]);
    xl_book_props(b, title, sva_tr(o->lang, "doc.subject"), comments);
    sva_export_sheets(b, r, db, o->data, d);
    rc = xl_book_close(b);
    b = NULL;
    if (!rc)
        rc = sva_xlsx_check(tmp, o->path, d);
    if (!rc) /* on disk before it takes the old file's place */
        rc = sva_replace_commit(tmp, o->path, d);
out:
    if (b)
        xl_book_close(b);
    if (tmp && rc)
        unlink(tmp);
    free(tmp);
    free(dir);
    sva_temp_dir_end(tmpdir);
    free(tmpdir);
    sva_report_free(r);
    sva_db_read_end(db);
    return rc;
}

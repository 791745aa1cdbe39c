/* svcaudit: the PDF reports' entry points (see pdf.h), through the renderer
 * module (pdf_module.h). A program linked with src/pdf.c (the tests, the
 * benchmarks) calls it directly; the svcaudit binary is not, so that no other
 * command pays for cairo and pango: the first report opens svcaudit-pdf.so
 * from the binary's own folder (a build tree) or else from SVA_LIBDIR (an
 * installed one), and refuses a module from another build. */
#include "pdf_module.h"
#include "svcaudit/svcaudit.h"
#include "util.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SVA_LIBDIR
#define SVA_LIBDIR "/usr/local/lib/svcaudit"
#endif

/* defined when src/pdf.c is linked in; null in the svcaudit binary */
extern const sva_pdf_ops sva_pdf_module __attribute__((weak));

static const sva_pdf_ops *ops;

static bool same_build(const sva_pdf_ops *o)
{
    static const size_t want[4] = SVA_PDF_SIZES;
    return o && o->version && strcmp(o->version, SVA_VERSION) == 0 &&
           memcmp(o->sizes, want, sizeof want) == 0;
}

/* the folder of the running program, or "" */
static void exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

static sva_error open_module(const char *path, sva_diag *d)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        sva_diag_add(d, path, 0, "cannot load the PDF renderer: %s", why ? why : "unknown error");
        return SVA_ERR_IO;
    }
    const sva_pdf_ops *o = (const sva_pdf_ops *)dlsym(h, "sva_pdf_module");
    if (!same_build(o)) {
        dlclose(h);
        sva_diag_add(d, path, 0, "the PDF renderer is from another build of svcaudit %s: "
                     "install both from the same build", SVA_VERSION);
        return SVA_ERR_IO;
    }
    ops = o; /* kept open for the life of the process */
    return SVA_OK;
}

static sva_error load(sva_diag *d)
{
    if (ops)
        return SVA_OK;
    if (&sva_pdf_module) {
        ops = &sva_pdf_module;
        return SVA_OK;
    }
    char dir[PATH_MAX], here[PATH_MAX + 32];
    exe_dir(dir, sizeof dir);
    snprintf(here, sizeof here, "%s/" SVA_PDF_MODULE_FILE, dir);
    const char *places[] = {here, SVA_LIBDIR "/" SVA_PDF_MODULE_FILE};
    for (size_t i = 0; i < sizeof places / sizeof *places; i++)
        if (dir[0] || i > 0)
            if (access(places[i], F_OK) == 0)
                return open_module(places[i], d);
    sva_diag_add(d, NULL, 0, "the PDF renderer %s is not installed (looked in %s and %s)",
                 SVA_PDF_MODULE_FILE, dir[0] ? dir : "the program's folder", SVA_LIBDIR);
    return SVA_ERR_IO;
}

sva_error sva_pdf_audit(const sva_audit_report *r, const char *path, sva_diag *d)
{
    sva_error rc = load(d);
    return rc ? rc : ops->audit(r, path, d);
}

sva_error sva_pdf_employee(const sva_employee_report *r, const char *path, sva_diag *d)
{
    sva_error rc = load(d);
    return rc ? rc : ops->employee(r, path, d);
}

sva_error sva_pdf_store(const sva_store_report *r, const char *path, sva_diag *d)
{
    sva_error rc = load(d);
    return rc ? rc : ops->store(r, path, d);
}

sva_error sva_pdf_audits(sva_reports *ctx, const char *cycle, const char *store,
                         const char *dir, size_t *written, sva_diag *d)
{
    if (written)
        *written = 0;
    sva_error rc = load(d);
    return rc ? rc : ops->audits(ctx, cycle, store, dir, written, d);
}

/* svcaudit: the PDF renderer as a module (see pdf_load.c). cairo and pango map
 * some thirty shared libraries at a process's start, which cost every command
 * about 3.6 ms of CPU though only `report` draws; so src/pdf.c is built into
 * svcaudit-pdf.so, opened on the first report, and into the test and bench
 * programs directly. This table is what the module exports; the loader checks
 * it was built from the same headers before it calls through it. */
#ifndef SVCAUDIT_PDF_MODULE_H
#define SVCAUDIT_PDF_MODULE_H

#include "svcaudit/pdf.h"

typedef struct sva_pdf_ops {
    const char *version;  /**< SVA_VERSION of the build */
    size_t sizes[4];      /**< SVA_PDF_SIZES of the build */
    sva_error (*audit)(const sva_audit_report *r, const char *path, sva_diag *d);
    sva_error (*employee)(const sva_employee_report *r, const char *path, sva_diag *d);
    sva_error (*store)(const sva_store_report *r, const char *path, sva_diag *d);
    sva_error (*audits)(sva_reports *ctx, const char *cycle, const char *store, const char *dir,
                        size_t *written, sva_diag *d);
} sva_pdf_ops;

/* the layouts both sides must agree on: a module from another build is refused */
#define SVA_PDF_SIZES                                                                        \
    {                                                                                        \
        sizeof(sva_audit_report), sizeof(sva_employee_report), sizeof(sva_store_report),     \
            sizeof(sva_pdf_ops)                                                              \
    }

/* the module's one exported symbol (the file name the loader looks for) */
#define SVA_PDF_MODULE_FILE "svcaudit-pdf.so"
extern const sva_pdf_ops sva_pdf_module;

#endif

/* svcaudit: finding the PostgreSQL driver (see sql.h). libpq maps some twenty
 * shared libraries (TLS, Kerberos, LDAP) at a process's start, which cost
 * every command as much CPU as the rest of its start, though only commands
 * given a postgresql:// URL talk to a server. So src/sql_pg.c is built into
 * svcaudit-pg.so, opened for the first such URL, and into the test and bench
 * programs directly (as pdf_load.c does for the PDF renderer): the svcaudit
 * binary does not link libpq. A module from another build is refused. */
#include "sql.h"
#include "svcaudit/svcaudit.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SVA_LIBDIR
#define SVA_LIBDIR "/usr/local/lib/svcaudit"
#endif

/* defined when src/sql_pg.c is linked in; null in the svcaudit binary */
extern const sql_pg_module_info sql_pg_module __attribute__((weak));

static const sql_driver *pg;

bool sql_pg_claims(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

static bool same_build(const sql_pg_module_info *m)
{
    return m && m->version && strcmp(m->version, SVA_VERSION) == 0 &&
           m->driver_size == sizeof(sql_driver) && m->driver;
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

static const sql_driver *open_module(const char *path, sva_diag *d)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        sva_diag_add(d, path, 0, "cannot load the PostgreSQL driver: %s",
                     why ? why : "unknown error");
        return NULL;
    }
    const sql_pg_module_info *m = (const sql_pg_module_info *)dlsym(h, "sql_pg_module");
    if (!same_build(m)) {
        dlclose(h);
        sva_diag_add(d, path, 0, "the PostgreSQL driver is from another build of svcaudit %s: "
                     "install both from the same build", SVA_VERSION);
        return NULL;
    }
    return pg = m->driver; /* kept open for the life of the process */
}

const sql_driver *sql_pg_load(sva_diag *d)
{
    if (pg)
        return pg;
    if (&sql_pg_module)
        return pg = sql_pg_module.driver;
    char dir[PATH_MAX], here[PATH_MAX + 32];
    exe_dir(dir, sizeof dir);
    snprintf(here, sizeof here, "%s/" SQL_PG_MODULE_FILE, dir);
    const char *places[] = {here, SVA_LIBDIR "/" SQL_PG_MODULE_FILE};
    for (size_t i = 0; i < sizeof places / sizeof *places; i++)
        if (dir[0] || i > 0)
            if (access(places[i], F_OK) == 0)
                return open_module(places[i], d);
    sva_diag_add(d, NULL, 0, "the PostgreSQL driver %s is not installed (looked in %s and %s)",
                 SQL_PG_MODULE_FILE, dir[0] ? dir : "the program's folder", SVA_LIBDIR);
    return NULL;
}

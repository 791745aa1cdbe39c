/* svcaudit CLI: `svcaudit store ...` and `svcaudit employee ...`: the
 * organisation (regions, stores, employees with roles). Both commands share
 * this file because they are the same shape: add, list, import. */
#include "cli.h"
#include "commands.h"

static const char STORE_ABOUT[] =
    "FILE.csv has a header row with columns id, name and optionally region.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n"
    "An id already present is updated to the file's values.\n";

static const char EMPLOYEE_ABOUT[] =
    "FILE.csv has a header row with columns id, name, store and optionally role.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n";

static int report_import(sva_error rc, const sva_diag *d, const char *what,
                         const sva_import_stats *st)
{
    cli_print_diag(d);
    if (rc) {
        return EXIT_DATA;
    }
    printf("%s: %zu added, %zu updated, %zu unchanged\n", what, st->added, st->updated,
           st->unchanged);
    return EXIT_OKAY;
}

static const char *name, *region, *store, *role, *sep, *encoding;
static int format = CLI_TABLE;
static sva_import_opts import_opts;

static int check_import(const cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    return cli_import_opts(c, sep, encoding, &import_opts);
}

/* ---- store ---- */

static int store_add(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_store s = {argv[0], (char *)name, (char *)(region ? region : "")};
    if (sva_db_store_add(c->db, &s, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("store %s added\n", s.id);
    }
    sva_diag_clear(&d);
    return status;
}

static int store_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    int status = report_import(sva_import_stores_opt(c->db, argv[0], &import_opts, &st, &d), &d,
                               "stores", &st);
    sva_diag_clear(&d);
    return status;
}

static int store_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_store *v;
    size_t n;
    if (sva_db_store_list(c->db, &v, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"id", "name", "region"};
        cli_table t;
        table_init(&t, 3, hdr);
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {v[i].id, v[i].name, v[i].region};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
        sva_stores_free(v, n);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt store_add_opts[] = {
    OPT_STRING(0, "name", &name, "NAME", "the store's name", CLI_OPT_REQUIRED),
    OPT_STRING(0, "region", &region, "REGION", "its region", 0),
    OPT_END(),
};
static const cli_opt list_opts[] = {
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};
static const cli_opt import_opts_table[] = {
    OPT_STRING(0, "sep", &sep, "SEP", "the field separator: ',' (default), ';', tab or '|'", 0),
    OPT_STRING(0, "encoding", &encoding, "ENC",
               "utf-8 (default) or gb18030 (GBK: Excel's CSV in a Chinese locale)", 0),
    OPT_END(),
};

static const cli_sub store_subs[] = {
    {.name = "add", .synopsis = "svcaudit store add ID --name NAME [--region REGION]",
     .opts = store_add_opts, .min_args = 1, .max_args = 1, .args = "one store ID",
     .run = store_add},
    {.name = "list", .synopsis = "svcaudit store list [--format table|csv|json]",
     .opts = list_opts, .run = store_list},
    {.name = "import",
     .synopsis = "svcaudit store import FILE.csv [--sep SEP] [--encoding utf-8|gb18030]",
     .opts = import_opts_table, .min_args = 1, .max_args = 1, .args = "one FILE.csv",
     .check = check_import, .run = store_import},
};

const cli_command cmd_store = {store_subs, sizeof store_subs / sizeof *store_subs, STORE_ABOUT};

/* ---- employee ---- */

static int employee_add(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_employee e = {argv[0], (char *)name, (char *)store, (char *)(role ? role : "")};
    if (sva_db_employee_add(c->db, &e, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("employee %s added\n", e.id);
    }
    sva_diag_clear(&d);
    return status;
}

static int employee_import(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    sva_import_stats st;
    int status = report_import(sva_import_employees_opt(c->db, argv[0], &import_opts, &st, &d),
                               &d, "employees", &st);
    sva_diag_clear(&d);
    return status;
}

static int employee_list(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    sva_employee *v;
    size_t n;
    if (sva_db_employee_list(c->db, store, &v, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"id", "name", "store", "role"};
        cli_table t;
        table_init(&t, 4, hdr);
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {v[i].id, v[i].name, v[i].store, v[i].role};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
        sva_employees_free(v, n);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt employee_add_opts[] = {
    OPT_STRING(0, "name", &name, "NAME", "the employee's name", CLI_OPT_REQUIRED),
    OPT_STRING(0, "store", &store, "STORE", "where they work", CLI_OPT_REQUIRED),
    OPT_STRING(0, "role", &role, "ROLE", "e.g. sales, service", 0),
    OPT_END(),
};
static const cli_opt employee_list_opts[] = {
    OPT_STRING(0, "store", &store, "STORE", "only this store's employees", 0),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
    OPT_END(),
};

static const cli_sub employee_subs[] = {
    {.name = "add",
     .synopsis = "svcaudit employee add ID --name NAME --store STORE [--role ROLE]",
     .opts = employee_add_opts, .min_args = 1, .max_args = 1, .args = "one employee ID",
     .run = employee_add},
    {.name = "list",
     .synopsis = "svcaudit employee list [--store STORE] [--format table|csv|json]",
     .opts = employee_list_opts, .run = employee_list},
    {.name = "import",
     .synopsis = "svcaudit employee import FILE.csv [--sep SEP] [--encoding utf-8|gb18030]",
     .opts = import_opts_table, .min_args = 1, .max_args = 1, .args = "one FILE.csv",
     .check = check_import, .run = employee_import},
};

const cli_command cmd_employee = {employee_subs, sizeof employee_subs / sizeof *employee_subs,
                                  EMPLOYEE_ABOUT};

/* svcaudit CLI: `svcaudit store ...` and `svcaudit employee ...`: the
 * organisation (regions, stores, employees with roles). Both commands share
 * this file because they are the same shape: add, list, import. */
#include "cli.h"
#include "commands.h"

static const char STORE_ABOUT[] =
    "FILE.csv has a header row with columns id, name and optionally region.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n"
    "An id already present is updated to the file's values.\n"
    "Stores over time: a store is active from --from (add), or, when some cycle is\n"
    "closed, from the day after the last closed cycle ends; deactivate and\n"
    "reactivate take effect from a day after every closed cycle. A cycle shows the\n"
    "stores active on some day of it (and those with audits in it).\n";

static const char EMPLOYEE_ABOUT[] =
    "FILE.csv has a header row with columns id, name, store and optionally role.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n"
    "Employees over time: move and deactivate take effect from a day after every\n"
    "closed cycle; an audit is checked against the store the employee worked at on\n"
    "its date, and keeps the store it was recorded at.\n";

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

static const char *name, *region, *store, *role, *sep, *encoding, *from;
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
    if (sva_db_store_add_from(c->db, &s, from, &d)) {
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
    sva_store_on *v;
    size_t n;
    if (sva_db_store_list_on(c->db, cli_today(), &v, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"id", "name", "region", "inactive_from"};
        cli_table t;
        table_init(&t, 4, hdr);
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {v[i].s.id, v[i].s.name, v[i].s.region,
                                 v[i].inactive_from ? v[i].inactive_from : ""};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
        sva_stores_on_free(v, n);
    }
    sva_diag_clear(&d);
    return status;
}

static int store_active(cli_ctx *c, const char *id, bool active)
{
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (sva_db_store_set_active(c->db, id, active, from, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        printf("store %s is %s from %s\n", id, active ? "active" : "inactive", from);
    }
    sva_diag_clear(&d);
    return status;
}

static int store_deactivate(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    return store_active(c, argv[0], false);
}

static int store_reactivate(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    return store_active(c, argv[0], true);
}

static const cli_opt store_add_opts[] = {
    OPT_STRING(0, "name", &name, "NAME", "the store's name", CLI_OPT_REQUIRED),
    OPT_STRING(0, "region", &region, "REGION", "its region", 0),
    OPT_DATE("from", &from, "the day it opens (default: see below)", 0),
    OPT_END(),
};
static const cli_opt from_opts[] = {
    OPT_DATE("from", &from, "from this day on", CLI_OPT_REQUIRED),
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
    {.name = "add",
     .synopsis = "svcaudit store add ID --name NAME [--region REGION] [--from YYYY-MM-DD]",
     .opts = store_add_opts, .min_args = 1, .max_args = 1, .args = "one store ID",
     .run = store_add},
    {.name = "deactivate", .synopsis = "svcaudit store deactivate ID --from YYYY-MM-DD",
     .opts = from_opts, .min_args = 1, .max_args = 1, .args = "one store ID",
     .run = store_deactivate},
    {.name = "reactivate", .synopsis = "svcaudit store reactivate ID --from YYYY-MM-DD",
     .opts = from_opts, .min_args = 1, .max_args = 1, .args = "one store ID",
     .run = store_reactivate},
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
    sva_employee_on *v;
    size_t n;
    if ((store && sva_db_ref_check(c->db, SVA_REF_STORE, store, "--store", &d)) ||
        sva_db_employee_list_on(c->db, store, cli_today(), &v, &n, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else {
        static const char *const hdr[] = {"id", "name", "store", "role", "inactive_from"};
        cli_table t;
        table_init(&t, 5, hdr);
        for (size_t i = 0; i < n; i++) {
            const char *row[] = {v[i].e.id, v[i].e.name, v[i].e.store, v[i].e.role,
                                 v[i].inactive_from ? v[i].inactive_from : ""};
            table_row(&t, row);
        }
        table_print(&t, (cli_format)format, stdout);
        table_free(&t);
        sva_employees_on_free(v, n);
    }
    sva_diag_clear(&d);
    return status;
}

static int employee_move(cli_ctx *c, int argc, char **argv)
{
    (void)argc;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (sva_db_employee_move(c->db, argv[0], store, from, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    } else if (store) {
        printf("employee %s works at %s from %s\n", argv[0], store, from);
    } else {
        printf("employee %s works at no store from %s\n", argv[0], from);
    }
    sva_diag_clear(&d);
    return status;
}

static const cli_opt employee_move_opts[] = {
    OPT_STRING(0, "store", &store, "STORE", "the store they work at from then",
               CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY),
    OPT_DATE("from", &from, "from this day on", CLI_OPT_REQUIRED),
    OPT_END(),
};

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
    {.name = "move", .synopsis = "svcaudit employee move ID --store STORE --from YYYY-MM-DD",
     .opts = employee_move_opts, .min_args = 1, .max_args = 1, .args = "one employee ID",
     .run = employee_move},
    {.name = "deactivate", .synopsis = "svcaudit employee deactivate ID --from YYYY-MM-DD",
     .opts = from_opts, .min_args = 1, .max_args = 1, .args = "one employee ID",
     .run = employee_move},
    {.name = "import",
     .synopsis = "svcaudit employee import FILE.csv [--sep SEP] [--encoding utf-8|gb18030]",
     .opts = import_opts_table, .min_args = 1, .max_args = 1, .args = "one FILE.csv",
     .check = check_import, .run = employee_import},
};

const cli_command cmd_employee = {employee_subs, sizeof employee_subs / sizeof *employee_subs,
                                  EMPLOYEE_ABOUT};

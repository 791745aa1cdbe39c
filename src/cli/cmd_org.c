/* svcaudit CLI: `svcaudit store ...` and `svcaudit employee ...`: the
 * organisation (regions, stores, employees with roles). Both commands share
 * this file because they are the same shape: add, list, import. */
#include "cli.h"
#include "commands.h"
#include "json.h"

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

static const char *rate_cycle, *rate_region;
static long rate_cycles = 3, rate_min = 2;

/* Employees rated over the last cycles (trend.h: pooled, shrunk toward the
 * store): what the workbook's Employees sheet shows, here with names. */
static int employee_ratings(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    sva_diag d;
    sva_diag_init(&d);
    sva_employee_ratings *r = NULL;
    const cli_ref refs[] = {{SVA_REF_CYCLE, "--cycle", rate_cycle},
                            {SVA_REF_REGION, "--region", rate_region},
                            {0, NULL, NULL}};
    if (cli_check_refs(c->db, refs))
        return EXIT_DATA;
    if (sva_trend_employees(c->db, rate_cycle, (int)rate_cycles, rate_region, rate_min, &r,
                            &d)) {
        cli_print_diag(&d);
        sva_diag_clear(&d);
        return EXIT_DATA;
    }
    static const char *const hdr[] = {"employee", "name",  "store",  "region", "role",
                                      "audits",   "in_cycle", "mean", "store_mean", "weight",
                                      "rating",   "rated", "rank",   "best",   "critical_fails"};
    cli_table t;
    table_init(&t, 15, hdr);
    t.numeric = (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 9) | (1u << 10) |
                (1u << 12) | (1u << 14);
    t.boolean = (1u << 11) | (1u << 13);
    t.nullable = (1u << 10) | (1u << 12);
    for (size_t i = 0; i < r->n; i++) {
        const sva_employee_rating *x = &r->v[i];
        char n[24], nl[24], m[32], sm[32], w[32], rt[32], rk[24], f[24];
        snprintf(n, sizeof n, "%ld", x->n);
        snprintf(nl, sizeof nl, "%ld", x->n_last);
        fmt_pct(m, sizeof m, x->n > 0, x->mean);
        fmt_pct(sm, sizeof sm, true, x->store_mean);
        snprintf(w, sizeof w, "%.3f", x->weight + 0.0);
        fmt_pct(rt, sizeof rt, x->rated, x->rating);
        snprintf(rk, sizeof rk, "%ld", x->rank);
        snprintf(f, sizeof f, "%ld", x->failed);
        const char *row[] = {x->employee, x->name, x->store, x->region, x->role, n, nl, m, sm,
                             w, rt, x->rated ? "yes" : "", x->rated ? rk : "",
                             x->best ? "yes" : "", f};
        table_row(&t, row);
    }
    if (format == CLI_JSON) {
        cli_json j;
        json_init(&j, stdout);
        json_object(&j);
        json_layout(&j, NULL, "\n", true);
        json_kstring(&j, "cycle", rate_cycle);
        json_kint(&j, "cycles", r->cycles);
        json_kint(&j, "min_audits", r->min_audits);
        json_kreal(&j, "sigma_w", r->sigma_w);
        json_kreal(&j, "tau", r->tau);
        json_kstring(&j, "method", SVA_TREND_EMPLOYEES_METHOD);
        json_break(&j, "\n ");
        json_key(&j, "employees");
        table_json(&t, &j);
        json_end(&j);
        json_finish(&j);
    } else {
        table_print(&t, (cli_format)format, stdout);
        if (format == CLI_TABLE)
            printf("\nmethod: %s\n", SVA_TREND_EMPLOYEES_METHOD);
    }
    table_free(&t);
    sva_employee_ratings_free(r);
    sva_diag_clear(&d);
    return EXIT_OKAY;
}

static const cli_opt employee_ratings_opts[] = {
    OPT_STRING(0, "cycle", &rate_cycle, "ID", "the window's last cycle", CLI_OPT_REQUIRED),
    OPT_INT("cycles", &rate_cycles, "N", 1, 60, "cycles in the window (default 3)"),
    OPT_STRING(0, "region", &rate_region, "R", "only this region", 0),
    OPT_INT("min-audits", &rate_min, "N", 1, 1000,
            "fewer audits in the window: not rated (default 2)"),
    OPT_ENUM("format", &format, cli_formats, "output format (default table)"),
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
    {.name = "ratings",
     .synopsis = "svcaudit employee ratings --cycle ID [--cycles N] [--region R] "
                 "[--min-audits N]\n                          [--format table|csv|json]",
     .opts = employee_ratings_opts, .run = employee_ratings},
};

const cli_command cmd_employee = {employee_subs, sizeof employee_subs / sizeof *employee_subs,
                                  EMPLOYEE_ABOUT};

/* svcaudit CLI: `svcaudit store ...` and `svcaudit employee ...`: the
 * organisation (regions, stores, employees with roles). Both commands share
 * this file because they are the same shape: add, list, import. */
#include "cli.h"
#include "commands.h"

#include <string.h>

static const char STORE_USAGE[] =
    "usage: svcaudit store add ID --name NAME [--region REGION]\n"
    "       svcaudit store list [--format table|csv|json]\n"
    "       svcaudit store import FILE.csv\n"
    "\n"
    "FILE.csv has a header row with columns id, name and optionally region.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n"
    "An id already present is updated to the file's values.\n";

static const char EMPLOYEE_USAGE[] =
    "usage: svcaudit employee add ID --name NAME --store STORE [--role ROLE]\n"
    "       svcaudit employee list [--store STORE] [--format table|csv|json]\n"
    "       svcaudit employee import FILE.csv\n"
    "\n"
    "FILE.csv has a header row with columns id, name, store and optionally role.\n"
    "Import is all or nothing: one bad row (reported as file:line) imports nothing.\n";

typedef struct org_opts {
    const char *name, *region, *store, *role, *format;
} org_opts;

/* Parse options shared by both commands; returns -1 to go on, else an exit code. */
static int parse(const char *cmd, const char *usage, int argc, char **argv, org_opts *o)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"name", required_argument, NULL, 'n'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"store", required_argument, NULL, 's'},
                                         {"role", required_argument, NULL, 'R'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(usage, stdout); return EXIT_OKAY;
        case 'n': o->name = optarg; break;
        case 'r': o->region = optarg; break;
        case 's': o->store = optarg; break;
        case 'R': o->role = optarg; break;
        case 'f': o->format = optarg; break;
        default:
            return cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cmd, "missing subcommand (add, list, import)");
    return -1;
}

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

int cmd_store(int argc, char **argv)
{
    org_opts o;
    int rc = parse("store", STORE_USAGE, argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (o.format && !cli_parse_format(o.format, &fmt))
        return EXIT_USAGE;
    if (o.store || o.role)
        return cli_usage_error("store", "--store and --role belong to 'employee'");
    if (strcmp(sub, "add") == 0) {
        if (npos != 1)
            return cli_usage_error("store", "add takes one store ID");
        if (!o.name)
            return cli_usage_error("store", "add needs --name");
    } else if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("store", "list takes no arguments");
    } else if (strcmp(sub, "import") == 0) {
        if (npos != 1)
            return cli_usage_error("store", "import takes one FILE.csv");
    } else {
        return cli_usage_error("store", "unknown subcommand '%s'", sub);
    }
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (strcmp(sub, "add") == 0) {
        sva_store s = {pos[0], (char *)o.name, (char *)(o.region ? o.region : "")};
        if (sva_db_store_add(db, &s, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("store %s added\n", s.id);
        }
    } else if (strcmp(sub, "import") == 0) {
        sva_import_stats st;
        status = report_import(sva_db_store_import(db, pos[0], &st, &d), &d, "stores", &st);
    } else {
        sva_store *v;
        size_t n;
        if (sva_db_store_list(db, &v, &n, &d)) {
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
            table_print(&t, fmt, stdout);
            table_free(&t);
            sva_stores_free(v, n);
        }
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

int cmd_employee(int argc, char **argv)
{
    org_opts o;
    int rc = parse("employee", EMPLOYEE_USAGE, argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (o.format && !cli_parse_format(o.format, &fmt))
        return EXIT_USAGE;
    if (o.region)
        return cli_usage_error("employee", "--region belongs to 'store'");
    if (strcmp(sub, "add") == 0) {
        if (npos != 1)
            return cli_usage_error("employee", "add takes one employee ID");
        if (!o.name || !o.store)
            return cli_usage_error("employee", "add needs --name and --store");
    } else if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("employee", "list takes no arguments");
    } else if (strcmp(sub, "import") == 0) {
        if (npos != 1)
            return cli_usage_error("employee", "import takes one FILE.csv");
    } else {
        return cli_usage_error("employee", "unknown subcommand '%s'", sub);
    }
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (strcmp(sub, "add") == 0) {
        sva_employee e = {pos[0], (char *)o.name, (char *)o.store,
                          (char *)(o.role ? o.role : "")};
        if (sva_db_employee_add(db, &e, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("employee %s added\n", e.id);
        }
    } else if (strcmp(sub, "import") == 0) {
        sva_import_stats st;
        status =
            report_import(sva_db_employee_import(db, pos[0], &st, &d), &d, "employees", &st);
    } else {
        sva_employee *v;
        size_t n;
        if (sva_db_employee_list(db, o.store, &v, &n, &d)) {
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
            table_print(&t, fmt, stdout);
            table_free(&t);
            sva_employees_free(v, n);
        }
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

/* svcaudit CLI: `svcaudit export`: the Excel workbook of one PDCA cycle. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: svcaudit export --cycle ID -o FILE.xlsx [--region R]\n"
    "                       [--employees full|pseudonymous|none] [--min-audits N]\n"
    "                       [--salt TEXT] [--data] [--lang LANG] [--trend-cycles N]\n"
    "\n"
    "One workbook per cycle: Dashboard, Stores, 6S, Service standards, Employees,\n"
    "Actions 5W1H, Trend, Audits, and with --data one row per answered item.\n"
    "  --employees     full: names; pseudonymous: a stable pseudonym per employee\n"
    "                  (per salt: --salt, else the database's own); none: no\n"
    "                  per-employee results (default full)\n"
    "  --min-audits N  employees with fewer audits are shown as not rated (default 2)\n"
    "The file is written beside FILE.xlsx and renamed into place when complete.\n";

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"cycle", required_argument, NULL, 'c'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"employees", required_argument, NULL, 'e'},
                                         {"min-audits", required_argument, NULL, 'm'},
                                         {"salt", required_argument, NULL, 's'},
                                         {"data", no_argument, NULL, 'D'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"trend-cycles", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    sva_export_opts o = {.employees = SVA_PRIVACY_FULL, .min_audits = 2, .trend_cycles = 6};
    cli_reset_getopt();
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'c': o.cycle = optarg; break;
        case 'o': o.path = optarg; break;
        case 'r': o.region = optarg; break;
        case 's': o.salt = optarg; break;
        case 'D': o.data = true; break;
        case 'l': o.lang = strcmp(optarg, "en") == 0 ? NULL : optarg; break;
        case 'e':
            if (strcmp(optarg, "full") == 0)
                o.employees = SVA_PRIVACY_FULL;
            else if (strcmp(optarg, "pseudonymous") == 0)
                o.employees = SVA_PRIVACY_PSEUDONYMOUS;
            else if (strcmp(optarg, "none") == 0)
                o.employees = SVA_PRIVACY_NONE;
            else
                return cli_usage_error("export",
                                       "--employees: want full, pseudonymous or none, not '%s'",
                                       optarg);
            break;
        case 'm':
            o.min_audits = strtol(optarg, &end, 10);
            if (!*optarg || *end || o.min_audits < 1 || o.min_audits > 1000)
                return cli_usage_error("export", "--min-audits: want a number from 1, not '%s'",
                                       optarg);
            break;
        case 't':
            o.trend_cycles = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || o.trend_cycles < 1 || o.trend_cycles > 60)
                return cli_usage_error("export", "--trend-cycles: want 1 to 60, not '%s'",
                                       optarg);
            break;
        default:
            return cli_usage_error("export", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
    if (!o.cycle || !o.path)
        return cli_usage_error("export", "export needs --cycle ID and -o FILE.xlsx");
    size_t pl = strlen(o.path);
    if (pl < 6 || strcmp(o.path + pl - 5, ".xlsx") != 0)
        return cli_usage_error("export", "-o: the workbook's name must end in .xlsx");
    o.today = cli_today();
    sva_catalog *cat = cli_catalog(NULL);
    if (!cat)
        return EXIT_DATA;
    o.cat = cat;
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db) {
        sva_catalog_free(cat);
        return EXIT_DATA;
    }
    sva_diag d;
    sva_diag_init(&d);
    int rc = EXIT_OKAY;
    if (o.region) {
        sva_store *v;
        size_t n;
        bool found = false;
        if (sva_db_store_list(db, &v, &n, &d) == SVA_OK) {
            for (size_t i = 0; i < n; i++)
                found |= strcmp(v[i].region, o.region) == 0;
            sva_stores_free(v, n);
        }
        if (!found) {
            cli_error("--region: no store is in region '%s'", o.region);
            rc = EXIT_DATA;
        }
    }
    if (!rc && sva_export_workbook(db, &o, &d)) {
        cli_print_diag(&d);
        rc = EXIT_DATA;
    } else if (!rc) {
        printf("workbook written: %s\n", o.path);
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    sva_catalog_free(cat);
    return rc;
}

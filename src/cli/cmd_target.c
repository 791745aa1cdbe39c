/* svcaudit CLI: `svcaudit target set|list|import`: the Plan step's targets. */
#include "cli.h"
#include "commands.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: svcaudit target set --cycle ID [--store S | --region R] --metric M --value V\n"
    "       svcaudit target list --cycle ID [--format table|csv|json]\n"
    "       svcaudit target import FILE.ini\n"
    "\n"
    "A target is on the 0-100 scale for a metric: ssi, csi, 6s or a checklist id.\n"
    "Without --store or --region it is the network default; a store's effective\n"
    "target is its own, else its region's, else the network's.\n"
    "\n"
    "FILE.ini: any number of sections, each with 'cycle = ID', optionally\n"
    "'store = S' or 'region = R', and lines 'METRIC = VALUE'. All or nothing.\n";

int cmd_target(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"cycle", required_argument, NULL, 'c'},
                                         {"store", required_argument, NULL, 's'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"metric", required_argument, NULL, 'm'},
                                         {"value", required_argument, NULL, 'v'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *cycle = NULL, *store = NULL, *region = NULL, *metric = NULL, *value = NULL,
               *format = NULL;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'c': cycle = optarg; break;
        case 's': store = optarg; break;
        case 'r': region = optarg; break;
        case 'm': metric = optarg; break;
        case 'v': value = optarg; break;
        case 'f': format = optarg; break;
        default:
            return cli_usage_error("target", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("target", "missing subcommand (set, list, import)");
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    double v = 0;
    if (strcmp(sub, "set") == 0) {
        if (npos)
            return cli_usage_error("target", "set takes no arguments");
        if (!cycle || !metric || !value)
            return cli_usage_error("target", "set needs --cycle, --metric and --value");
        if (store && region)
            return cli_usage_error("target", "give --store or --region, not both");
        char *end;
        v = strtod(value, &end);
        if (!*value || *end)
            return cli_usage_error("target", "--value: '%s' is not a number", value);
    } else if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("target", "list takes no arguments");
    } else if (strcmp(sub, "import") == 0) {
        if (npos != 1)
            return cli_usage_error("target", "import takes one FILE.ini");
    } else {
        return cli_usage_error("target", "unknown subcommand '%s'", sub);
    }
    sva_catalog *cat = cli_catalog(NULL);
    if (!cat)
        return EXIT_DATA;
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db) {
        sva_catalog_free(cat);
        return EXIT_DATA;
    }
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (strcmp(sub, "set") == 0) {
        sva_target t = {(char *)cycle,
                        store ? SVA_SCOPE_STORE : region ? SVA_SCOPE_REGION : SVA_SCOPE_NETWORK,
                        (char *)(store ? store : region ? region : ""), (char *)metric, v, 0, 0,
                        0};
        if (sva_db_target_set(db, &t, cat, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("target %s %s%s%s = %.1f for cycle %s\n", metric, sva_scope_name(t.scope),
                   *t.scope_id ? " " : "", t.scope_id, v, cycle);
        }
    } else if (strcmp(sub, "import") == 0) {
        size_t n;
        if (sva_db_target_import(db, pos[0], cat, &n, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("targets: %zu set from %s\n", n, pos[0]);
        }
    } else {
        sva_target *tv;
        size_t n;
        if (sva_db_target_list(db, cycle, &tv, &n, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            static const char *const hdr[] = {"cycle", "scope", "id", "metric", "target"};
            cli_table t;
            table_init(&t, 5, hdr);
            t.numeric = 1u << 4;
            for (size_t i = 0; i < n; i++) {
                char val[32];
                snprintf(val, sizeof val, "%.1f", tv[i].value);
                const char *row[] = {tv[i].cycle, sva_scope_name(tv[i].scope), tv[i].scope_id,
                                     tv[i].metric, val};
                table_row(&t, row);
            }
            table_print(&t, fmt, stdout);
            table_free(&t);
            sva_targets_free(tv, n);
        }
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    sva_catalog_free(cat);
    return status;
}

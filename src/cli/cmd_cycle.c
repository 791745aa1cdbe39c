/* svcaudit CLI: `svcaudit cycle open|list`: PDCA cycles (the Plan/Do/Check/
 * Act steps beyond opening and listing come with the PDCA work). */
#include "cli.h"
#include "commands.h"

#include <string.h>

static const char USAGE[] =
    "usage: svcaudit cycle open ID --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "       svcaudit cycle list [--format table|csv|json]\n"
    "\n"
    "A cycle is one PDCA period (e.g. 2026-11, 2026-Q4, 2026). Audits are recorded\n"
    "into a cycle. A new cycle starts in state 'plan'.\n";

int cmd_cycle(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_LONGOPTS,
                                         {"from", required_argument, NULL, 'F'},
                                         {"to", required_argument, NULL, 'T'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL, *format = NULL;
    cli_reset_getopt();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_common_opt(c, optarg))
            continue;
        switch (c) {
        case 'h': fputs(USAGE, stdout); return EXIT_OKAY;
        case 'F': from = optarg; break;
        case 'T': to = optarg; break;
        case 'f': format = optarg; break;
        default:
            return cli_usage_error("cycle", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("cycle", "missing subcommand (open, list)");
    const char *sub = argv[optind++];
    int npos = argc - optind;
    char **pos = argv + optind;
    cli_format fmt = CLI_TABLE;
    if (format && !cli_parse_format(format, &fmt))
        return EXIT_USAGE;
    if (strcmp(sub, "open") == 0) {
        if (npos != 1)
            return cli_usage_error("cycle", "open takes one cycle ID");
        if (!from || !to)
            return cli_usage_error("cycle", "open needs --from and --to");
    } else if (strcmp(sub, "list") == 0) {
        if (npos)
            return cli_usage_error("cycle", "list takes no arguments");
    } else {
        return cli_usage_error("cycle", "unknown subcommand '%s'", sub);
    }
    sva_db *db = cli_open_db(SVA_DB_EXISTING);
    if (!db)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    if (strcmp(sub, "open") == 0) {
        if (sva_db_cycle_open(db, pos[0], from, to, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            printf("cycle %s opened (%s .. %s), state plan\n", pos[0], from, to);
        }
    } else {
        sva_cycle *v;
        size_t n;
        if (sva_db_cycle_list(db, &v, &n, &d)) {
            cli_print_diag(&d);
            status = EXIT_DATA;
        } else {
            static const char *const hdr[] = {"id", "from", "to", "state", "audits"};
            cli_table t;
            table_init(&t, 5, hdr);
            t.numeric = 1u << 4;
            for (size_t i = 0; i < n; i++) {
                char na[24];
                snprintf(na, sizeof na, "%ld", v[i].n_audits);
                const char *row[] = {v[i].id, v[i].from, v[i].to,
                                     sva_cycle_state_name(v[i].state), na};
                table_row(&t, row);
            }
            table_print(&t, fmt, stdout);
            table_free(&t);
            sva_cycles_free(v, n);
        }
    }
    sva_diag_clear(&d);
    sva_db_close(db);
    return status;
}

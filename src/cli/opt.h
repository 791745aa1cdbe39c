/* svcaudit CLI: the option layer, in the spirit of git's parse-options. Each
 * subcommand declares its options in a table (type, where the value goes,
 * range or choices); parsing fills the variables and checks every value. */
#ifndef SVA_CLI_OPT_H
#define SVA_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "svcaudit/svcaudit.h"

typedef enum cli_opt_type {
    CLI_OPT_END = 0,
    CLI_OPT_FLAG,   /**< bool *: true when given */
    CLI_OPT_STRING, /**< const char **: the text (CLI_OPT_NONEMPTY: not ""; check: more rules) */
    CLI_OPT_INT,    /**< long *: a whole number in [min, max] */
    CLI_OPT_DOUBLE, /**< double *: a finite number in [min, max] */
    CLI_OPT_ENUM,   /**< int *: the value of the chosen name in choices */
    CLI_OPT_SET,    /**< sva_kv[max_count] + *count: KEY=VALUE, repeatable */
    CLI_OPT_DATE,   /**< const char **: a calendar date YYYY-MM-DD */
    CLI_OPT_ID,     /**< long long *: a record number, 1 or more */
    CLI_OPT_LIST,   /**< const char *[max_count] + *count: a text, repeatable */
    CLI_OPT_HELP,   /**< --help: print the usage, exit 0 (global) */
    CLI_OPT_VERSION /**< --version: print "svcaudit X.Y.Z", exit 0 (global) */
} cli_opt_type;

#define CLI_OPT_REQUIRED 1u /**< the subcommand needs it */
#define CLI_OPT_NONEMPTY 2u /**< CLI_OPT_STRING: "" is refused */
#define CLI_OPT_PATH 4u     /**< CLI_OPT_STRING: a file or folder name: no control
                                 characters (a newline in a name would make every
                                 message naming it two lines) */

/** One name of an enumerated option and the value it stands for. */
typedef struct cli_choice {
    const char *name;
    int value;
} cli_choice;

/** One option. Tables end with OPT_END. */
typedef struct cli_opt {
    cli_opt_type type;
    char short_name;       /**< 0 when it has none */
    const char *long_name; /**< without the dashes */
    void *value;           /**< where the value goes (see cli_opt_type) */
    const char *argh;      /**< the value's name in --help ("FILE") */
    const char *help;
    unsigned flags;              /**< CLI_OPT_REQUIRED, CLI_OPT_NONEMPTY, CLI_OPT_PATH */
    double min, max;             /**< CLI_OPT_INT, CLI_OPT_DOUBLE */
    const cli_choice *choices;   /**< CLI_OPT_ENUM: ends with {NULL, 0} */
    size_t *count, max_count;    /**< CLI_OPT_SET, CLI_OPT_LIST */
    /** CLI_OPT_STRING: false (and what is wrong in @p why) to refuse @p value. */
    bool (*check)(const char *value, char *why, size_t size);
} cli_opt;

#define OPT_END() {.type = CLI_OPT_END}
#define OPT_FLAG(s, l, v, h) {.type = CLI_OPT_FLAG, .short_name = (s), .long_name = (l), .value = (v), .help = (h)}
#define OPT_STRING(s, l, v, a, h, f)                                                             \
    {.type = CLI_OPT_STRING, .short_name = (s), .long_name = (l), .value = (v), .argh = (a),    \
     .help = (h), .flags = (f)}
#define OPT_STRING_CHECK(l, v, a, h, f, c)                                                       \
    {.type = CLI_OPT_STRING, .long_name = (l), .value = (v), .argh = (a), .help = (h),         \
     .flags = (f), .check = (c)}
#define OPT_INT(l, v, a, lo, hi, h)                                                              \
    {.type = CLI_OPT_INT, .long_name = (l), .value = (v), .argh = (a), .help = (h), .min = (lo), \
     .max = (hi)}
#define OPT_DOUBLE(l, v, a, lo, hi, h, f)                                                        \
    {.type = CLI_OPT_DOUBLE, .long_name = (l), .value = (v), .argh = (a), .help = (h),         \
     .flags = (f), .min = (lo), .max = (hi)}
#define OPT_ENUM(l, v, c, h)                                                                     \
    {.type = CLI_OPT_ENUM, .long_name = (l), .value = (v), .choices = (c), .help = (h)}
#define OPT_SET(l, v, n, max, a, h)                                                              \
    {.type = CLI_OPT_SET, .long_name = (l), .value = (v), .count = (n), .max_count = (max),     \
     .argh = (a), .help = (h)}
#define OPT_LIST(l, v, n, max, a, h)                                                             \
    {.type = CLI_OPT_LIST, .long_name = (l), .value = (v), .count = (n), .max_count = (max),    \
     .argh = (a), .help = (h)}
#define OPT_DATE(l, v, h, f)                                                                     \
    {.type = CLI_OPT_DATE, .long_name = (l), .value = (v), .argh = "YYYY-MM-DD", .help = (h),  \
     .flags = (f)}
#define OPT_ID(l, v, a, h) {.type = CLI_OPT_ID, .long_name = (l), .value = (v), .argh = (a), .help = (h)}

/* What a subcommand needs opened before it runs (main.c opens it). */
#define CLI_NEED_DB 1u        /**< the existing database */
#define CLI_NEED_DB_CREATE 2u /**< the database, created when missing */
#define CLI_NEED_CATALOG 4u   /**< the checklist catalog */
#define CLI_NEED_NONE 8u      /**< in a cli_sub: nothing, whatever the command needs */
#define CLI_NEED_LAZY 16u     /**< with CLI_NEED_CATALOG: the command only finds checklists
                                   by id, so each is loaded when first asked for */

/** What a running subcommand gets: its name and what main.c opened for it. */
typedef struct cli_ctx {
    const char *name;     /**< "cycle status", for messages */
    sva_db *db;           /**< when CLI_NEED_DB or CLI_NEED_DB_CREATE */
    sva_catalog *cat;     /**< when CLI_NEED_CATALOG */
    sva_diag cat_problems; /**< files of the search path that failed to load (not printed) */
} cli_ctx;

/** A subcommand (or, with a NULL name, the command itself). */
typedef struct cli_sub {
    const char *name;     /**< NULL: what runs without a subcommand word */
    const char *synopsis; /**< "svcaudit cycle open ID --from ..." (may hold line breaks) */
    const cli_opt *opts;  /**< its options; the global ones are added */
    int min_args, max_args; /**< positional arguments; max_args -1: any number */
    const char *args;     /**< what they are, for messages: "one cycle ID" */
    long long *id_arg;    /**< when set, the first argument is a record number, put here */
    const char *id_what;  /**< ... named so in messages: "audit number" */
    /** More usage rules, checked before anything is opened: EXIT_OKAY to go
     *  on, else (after a message) the exit status. May be NULL. */
    int (*check)(const cli_ctx *c, int argc, char **argv);
    int (*run)(cli_ctx *c, int argc, char **argv);
    unsigned needs; /**< added to the command's needs; CLI_NEED_NONE: none */
} cli_sub;

/** A command: its subcommands and the text --help shows after the synopsis. */
typedef struct cli_command {
    const cli_sub *subs;
    size_t n_subs;
    const char *about;
} cli_command;

/**
 * @brief Parse the arguments of command @p name (argv[0] is its name): find
 * the subcommand, fill its options' variables, check every value, the
 * required options, the arguments and the subcommand's own rules.
 * @return -1 to go on, with *sub and the positional arguments (in argv,
 *         options removed) in *args / *nargs; else the exit status, after a
 *         message (EXIT_USAGE) or after --help / --version (EXIT_OKAY).
 */
int cli_parse(const cli_command *cmd, const char *name, int argc, char **argv,
              const cli_sub **sub, int *nargs, char ***args);

/**
 * @brief The global options before the command (--db, --checklists, --help,
 * --version). @return -1 with *first the index of the command word (argc when
 * none); CLI_PARSED_HELP or CLI_PARSED_VERSION; or EXIT_USAGE after a message.
 */
int cli_parse_globals(int argc, char **argv, int *first);
#define CLI_PARSED_HELP 100
#define CLI_PARSED_VERSION 101

/** Print the usage of @p cmd (all its subcommands) and its about text. */
void cli_command_usage(const cli_command *cmd, FILE *f);

/**
 * @brief The one checked conversion of a whole number from the command line:
 * optional '-', then digits, nothing else, within [@p min, @p max].
 */
/** @brief Is @p s a file name without control characters? */
bool cli_path_ok(const char *s);
bool cli_to_int(const char *s, long long min, long long max, long long *out);
/** @brief The same for a finite decimal number (no nan, inf, hex). */
bool cli_to_double(const char *s, double min, double max, double *out);
/** @brief A calendar date YYYY-MM-DD (years 1900-9999). */
bool cli_is_date(const char *s);

/**
 * @brief The names among the @p n in @p names closest to @p typed by edit
 * distance (Damerau-Levenshtein, an adjacent swap counts 1), within a
 * threshold like git's (1 for words up to 4 letters, 2 up to 8, else 3):
 * "'--a' or '--b'" in @p out (each with @p prefix), or "" when none is close.
 */
void cli_suggest(const char *typed, const char *const *names, size_t n, const char *prefix,
                 char *out, size_t size);

/** @brief Damerau-Levenshtein distance (optimal string alignment) of @p a and @p b. */
size_t cli_edit_distance(const char *a, const char *b);

/** A person's name (--by): 1-100 bytes, no control characters, not only blanks. */
bool cli_check_name(const char *value, char *why, size_t size);

/** A --lang value: letters, digits, '_' and '-' (e.g. zh, zh-tw). */
bool cli_check_lang(const char *value, char *why, size_t size);

#endif

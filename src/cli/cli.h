/* svcaudit CLI: helpers shared by the command files (messages, output
 * formats, the checklist search path). Commands call only the public API. */
#ifndef SVA_CLI_H
#define SVA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "svcaudit/svcaudit.h"
#include "json.h"
#include "opt.h"

/* Exit statuses (STYLE.md): */
#define EXIT_OKAY 0
#define EXIT_FOUND 1 /* ran, but found failures (lint errors, missed targets) */
#define EXIT_USAGE 2
#define EXIT_DATA 3 /* data or I/O error */

/* Options every command accepts, wherever they stand on the line (opt.c). */
typedef struct cli_globals {
    const char *db;         /* --db, else $SVCAUDIT_DB, else svcaudit.db */
    const char *checklists; /* --checklists DIR */
    bool checklists_only;   /* --checklists-only: not the shipped folders */
    const char *by;         /* --by NAME: who makes the changes */
} cli_globals;
extern cli_globals g_cli;

/* Every message goes to stderr as exactly one line: control characters,
 * invisible format characters and invalid UTF-8 in it (from argv values, ids,
 * file contents) come out escaped ("\x1b", "\n", "\u202e"). */

/** Print "svcaudit: <message>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print every message of @p d as "svcaudit: file:line: msg". */
void cli_print_diag(const sva_diag *d);
/** Like cli_print_diag, naming @p file in messages that name no file. */
void cli_print_diag_in(const sva_diag *d, const char *file);
/** Print a usage error with a hint to 'svcaudit CMD --help' (@p cmd NULL:
 *  'svcaudit --help'); returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Flush stdout and turn a write error (full disk, closed pipe) into EXIT_DATA. */
int cli_finish(int rc);

typedef enum cli_format { CLI_TABLE, CLI_CSV, CLI_JSON } cli_format;
/** The --format choices of listings (table, csv, json) and of 'show'
 *  subcommands (table, json), for OPT_ENUM. */
extern const cli_choice cli_formats[];
extern const cli_choice cli_formats_show[];

/** Open the checklist catalog from the search path. Problems in files found
 *  there go to @p problems (not printed; may be NULL) and are counted for
 *  cli_unknown_checklist's hint and cli_catalog_broken. With @p lazy each
 *  file is loaded when its id is first asked for (sva_catalog_index), and
 *  its problems are found only then. NULL (after a message) on a fatal error. */
sva_catalog *cli_catalog(sva_diag *problems, bool lazy);
/** How many files of the search path failed to load in cli_catalog. */
size_t cli_catalog_broken(void);
/** "unknown checklist 'id'" in one line, with a hint when files failed to load. */
void cli_unknown_checklist(const char *id, const char *where);

/** The filter values a user typed exist: each (kind, flag, value) whose value
 *  is not NULL is checked (sva_db_ref_check; "did you mean"); EXIT_OKAY, or
 *  EXIT_DATA after one message per unknown value. A list ends with a NULL flag. */
typedef struct cli_ref {
    sva_ref_kind kind;
    const char *flag;
    const char *value;
} cli_ref;
int cli_check_refs(sva_db *db, const cli_ref *refs);

/** Open the database (--db, $SVCAUDIT_DB, ./svcaudit.db); NULL after a message. */
sva_db *cli_open_db(sva_open_mode mode);

/** --sep and --encoding of the CSV imports (NULL: not given) into @p o;
 *  EXIT_OKAY, or EXIT_USAGE after one message naming the flag. */
int cli_import_opts(const cli_ctx *c, const char *sep, const char *encoding,
                    sva_import_opts *o);

/** The word for @p n things: @p one when n is 1, else @p many ("1 cycle",
 *  "2 cycles", "1 history line"): the one plural of every count printed. */
const char *cli_plural(long long n, const char *one, const char *many);
/** A count and its word, for "%zu %s": printf("%zu %s", CLI_N(n, "cycle", "cycles")). */
#define CLI_N(n, one, many) (size_t)(n), cli_plural((long long)(n), (one), (many))
/** Today as YYYY-MM-DD (sva_today: $SVCAUDIT_TODAY when it holds a date,
 *  else the local date). */
const char *cli_today(void);
/** Who makes a change, for the change log and histories: --by, else
 *  $SVCAUDIT_USER, else the login name, else "unknown". */
const char *cli_actor(void);

/** Format a percentage the one way all outputs show it ("82.5"; "" when none). */
void fmt_pct(char *buf, size_t size, bool present, double pct);

/* ---- output helpers ---- */
/** Write s as one CSV field. */
void csv_str(FILE *f, const char *s);
/** Display width of UTF-8 text in a terminal (CJK counts 2). */
int text_width(const char *s);
/** Print s padded with spaces to width w (left-aligned). */
void print_padded(FILE *f, const char *s, int w);
/** @brief @p s as it may be shown at a terminal: control characters,
 *  invisible format characters and bytes that are not UTF-8 escaped ("\x1b",
 *  "\n"), so stored text is shown, never obeyed. The result lives until
 *  eight more calls. */
const char *cli_clean(const char *s);

/** A simple table: add rows of strings, then print with aligned columns. */
typedef struct cli_table {
    int ncols;
    char **cells; /* row-major, header first */
    int nrows;
    int cap;
    unsigned numeric;  /* bit c set: column c is a number in JSON (empty = null) */
    unsigned boolean;  /* bit c set: true in JSON when the cell is not empty */
    unsigned nullable; /* bit c set: an empty cell is null in JSON */
} cli_table;
void table_init(cli_table *t, int ncols, const char *const *header);
void table_row(cli_table *t, const char *const *cells);
/** Print as table, CSV or JSON (array of objects keyed by the header). */
void table_print(const cli_table *t, cli_format fmt, FILE *f);
/** The JSON array of table_print, as a value inside a document. */
void table_json(const cli_table *t, cli_json *j);
void table_free(cli_table *t);

#endif

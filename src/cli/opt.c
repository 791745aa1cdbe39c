/* svcaudit CLI: the option layer: finds the subcommand, parses its options
 * and the global ones wherever they stand, converts and checks every value
 * (the one place numbers from the command line are converted), and says
 * "did you mean" for a mistyped command, subcommand, option or choice. */
#include "opt.h"
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The options every command takes, wherever they stand on the line. */
static const cli_opt globals[] = {
    OPT_STRING(0, "db", &g_cli.db, "FILE|URL",
               "the database: a file or postgresql://USER@HOST/DB (default: $SVCAUDIT_DB, "
               "else ./svcaudit.db)",
               CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_STRING(0, "checklists", &g_cli.checklists, "DIR",
               "look for checklists here first, then in the shipped ones (also "
               "$SVCAUDIT_CHECKLISTS)",
               CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_FLAG(0, "checklists-only", &g_cli.checklists_only,
             "only the --checklists / $SVCAUDIT_CHECKLISTS folders, not the shipped ones"),
    OPT_STRING_CHECK("by", &g_cli.by, "NAME",
                     "who makes the change (default $SVCAUDIT_USER, else the login name)",
                     CLI_OPT_NONEMPTY, cli_check_name),
    {.type = CLI_OPT_HELP, .short_name = 'h', .long_name = "help", .help = "this help"},
    {.type = CLI_OPT_VERSION, .long_name = "version", .help = "print svcaudit's version"},
    OPT_END(),
};

/* ---- conversions ------------------------------------------------------------------- */

bool cli_path_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

bool cli_to_int(const char *s, long long min, long long max, long long *out)
{
    const char *p = s + (*s == '-');
    if (!*p || strspn(p, "0123456789") != strlen(p))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool cli_to_double(const char *s, double min, double max, double *out)
{
    /* digits, one point, an exponent: no spaces, nan, inf or hex */
    if (!*s || strspn(s, "0123456789.+-eE") != strlen(s) || !strpbrk(s, "0123456789"))
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno == ERANGE || *end || !isfinite(v) || v < min || v > max)
        return false;
    *out = v + 0.0; /* never -0.0 */
    return true;
}

bool cli_is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = ((s[0] - '0') * 10 + (s[1] - '0')) * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || day < 1)
        return false;
    int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return day <= last;
}

bool cli_check_name(const char *value, char *why, size_t size)
{
    size_t n = strlen(value);
    bool printable = n <= 100;
    for (const unsigned char *p = (const unsigned char *)value; printable && *p; p++)
        printable = *p >= 0x20 && *p != 0x7f;
    if (printable && strspn(value, " \t") < n)
        return true;
    snprintf(why, size, "want a name (1-100 bytes of text), not '%s'", value);
    return false;
}

bool cli_check_lang(const char *value, char *why, size_t size)
{
    if (*value && strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(value))
        return true;
    snprintf(why, size, "bad language '%s' (e.g. zh)", value);
    return false;
}

/* ---- did you mean -------------------------------------------------------------------- */

size_t cli_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64) /* names are short; a long word is not a typo of one */
        return n > m ? n : m;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

void cli_suggest(const char *typed, const char *const *names, size_t n, const char *prefix,
                 char *out, size_t size)
{
    size_t len = strlen(typed);
    /* like git: a small share of the word may be wrong, never all of it */
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    size_t best = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = cli_edit_distance(typed, names[i]);
        if (d < best && d < strlen(names[i]))
            best = d;
    }
    out[0] = '\0';
    size_t shown = 0, used = 0;
    for (size_t i = 0; i < n && best <= limit && shown < 3; i++) {
        if (cli_edit_distance(typed, names[i]) != best)
            continue;
        int k = snprintf(out + used, size - used, "%s'%s%s'", shown ? " or " : "", prefix,
                         names[i]);
        if (k < 0 || (size_t)k >= size - used)
            break;
        used += (size_t)k;
        shown++;
    }
}

/* ---- the parser -------------------------------------------------------------------- */

typedef struct parser {
    const char *who;        /* "cycle status"; "" before the command */
    const cli_command *cmd; /* NULL before the command */
    const cli_sub *sub;
    const cli_opt *opts; /* the subcommand's (never NULL) */
    bool seen[64];       /* per option of opts */
} parser;

static const cli_opt no_opts[] = {OPT_END()};

static bool takes_value(const cli_opt *o)
{
    return o->type != CLI_OPT_FLAG && o->type != CLI_OPT_HELP && o->type != CLI_OPT_VERSION;
}

static int usage_err(const parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_err(const parser *p, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cli_usage_error(*p->who ? p->who : NULL, "%s", msg);
}

/* " for 'cycle status'", or "" before the command */
static const char *for_who(const parser *p, char *buf, size_t size)
{
    if (*p->who)
        snprintf(buf, size, " for '%s'", p->who);
    else
        buf[0] = '\0';
    return buf;
}

static const cli_opt *find_exact(const cli_opt *t, const char *name, size_t len, char shrt)
{
    for (; t->type != CLI_OPT_END; t++)
        if (shrt ? t->short_name == shrt
                 : (t->long_name && strlen(t->long_name) == len &&
                    strncmp(t->long_name, name, len) == 0))
            return t;
    return NULL;
}

/* The option named (or uniquely abbreviated) by name[0..len) among the
 * subcommand's and the global ones; NULL with *ambiguous when several fit. */
static const cli_opt *find_long(const parser *p, const char *name, size_t len, bool *ambiguous,
                                char *cands, size_t size)
{
    *ambiguous = false;
    const cli_opt *o = find_exact(p->opts, name, len, 0);
    if (!o)
        o = find_exact(globals, name, len, 0);
    if (o || !len)
        return o;
    const cli_opt *tables[] = {p->opts, globals}, *hit = NULL;
    size_t n = 0, used = 0;
    cands[0] = '\0';
    for (size_t k = 0; k < 2; k++)
        for (const cli_opt *t = tables[k]; t->type != CLI_OPT_END; t++)
            if (t->long_name && strncmp(t->long_name, name, len) == 0) {
                hit = t;
                n++;
                int w = snprintf(cands + used, size - used, "%s--%s", used ? ", " : "",
                                 t->long_name);
                if (w > 0 && (size_t)w < size - used)
                    used += (size_t)w;
            }
    *ambiguous = n > 1;
    return n == 1 ? hit : NULL;
}

/* An option that is not the subcommand's: another subcommand's (named), or unknown
 * (with the closest names). */
static int not_an_option(const parser *p, const char *typed, const char *name, size_t len,
                         char shrt)
{
    if (p->cmd) {
        char others[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < p->cmd->n_subs; i++) {
            const cli_sub *s = &p->cmd->subs[i];
            if (s == p->sub || !s->opts || !find_exact(s->opts, name, len, shrt))
                continue;
            const char *cmdname = p->who; /* "cycle status": the command is its first word */
            size_t cl = strcspn(cmdname, " ");
            int w = snprintf(others + used, sizeof others - used, "%s'%.*s%s%s'",
                             used ? " or " : "", (int)cl, cmdname, s->name ? " " : "",
                             s->name ? s->name : "");
            if (w > 0 && (size_t)w < sizeof others - used)
                used += (size_t)w;
        }
        if (used)
            return usage_err(p, "'%s' is not an option of '%s' (it goes with %s)", typed,
                             p->who, others);
    }
    const char *names[128];
    size_t n = 0;
    const cli_opt *tables[] = {p->opts, globals};
    for (size_t k = 0; k < 2; k++)
        for (const cli_opt *t = tables[k]; t->type != CLI_OPT_END && n < 128; t++)
            if (t->long_name)
                names[n++] = t->long_name;
    char word[80], sug[256] = "", fw[160];
    if (!shrt && name && len < sizeof word) {
        memcpy(word, name, len);
        word[len] = '\0';
        cli_suggest(word, names, n, "--", sug, sizeof sug);
    }
    if (*sug)
        return usage_err(p, "unknown option '%s'%s; did you mean %s?", typed,
                         for_who(p, fw, sizeof fw), sug);
    return usage_err(p, "unknown option '%s'%s", typed, for_who(p, fw, sizeof fw));
}

static void print_opt_help(FILE *f, const cli_opt *o)
{
    char left[128];
    size_t used;
    if (o->short_name)
        used = (size_t)snprintf(left, sizeof left, "  -%c, --%s", o->short_name, o->long_name);
    else
        used = (size_t)snprintf(left, sizeof left, "      --%s", o->long_name);
    if (o->type == CLI_OPT_ENUM) {
        for (const cli_choice *c = o->choices; c->name && used < sizeof left; c++)
            used += (size_t)snprintf(left + used, sizeof left - used, "%c%s",
                                     c == o->choices ? ' ' : '|', c->name);
    } else if (o->argh && used < sizeof left) {
        snprintf(left + used, sizeof left - used, " %s", o->argh);
    }
    if (strlen(left) > 32) /* the help on a line of its own */
        fprintf(f, "%s\n%33s", left, "");
    else
        fprintf(f, "%-32s ", left);
    fprintf(f, "%s%s%s\n", o->help ? o->help : "",
            o->type == CLI_OPT_SET || o->type == CLI_OPT_LIST ? " (repeatable)" : "",
            o->flags & CLI_OPT_REQUIRED ? " (required)" : "");
}

static void sub_usage(const parser *p, FILE *f)
{
    bool whole = !p->sub->name && p->cmd->n_subs > 1; /* "trend": its subcommands too */
    for (size_t i = 0; i < p->cmd->n_subs; i++)
        if (whole || &p->cmd->subs[i] == p->sub)
            fprintf(f, "%s%s\n", i && whole ? "       " : "usage: ", p->cmd->subs[i].synopsis);
    if (p->opts->type != CLI_OPT_END) {
        fprintf(f, "\noptions%s%s:\n", whole ? " of " : "", whole ? p->who : "");
        for (const cli_opt *o = p->opts; o->type != CLI_OPT_END; o++)
            print_opt_help(f, o);
    }
    fprintf(f, "\nglobal options:\n");
    for (const cli_opt *o = globals; o->type != CLI_OPT_END; o++)
        print_opt_help(f, o);
    if (p->cmd->about)
        fprintf(f, "\n%s", p->cmd->about);
}

void cli_command_usage(const cli_command *cmd, FILE *f)
{
    for (size_t i = 0; i < cmd->n_subs; i++)
        fprintf(f, "%s%s\n", i ? "       " : "usage: ", cmd->subs[i].synopsis);
    if (cmd->about)
        fprintf(f, "\n%s", cmd->about);
}

static void names_of(const cli_choice *c, char *buf, size_t size)
{
    size_t n = 0, used = 0;
    while (c[n].name)
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                         c[i].name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static void range_text(char *buf, size_t size, double min, double max, bool whole)
{
    if (whole && max >= (double)LLONG_MAX)
        snprintf(buf, size, "a whole number from %.0f", min);
    else if (whole)
        snprintf(buf, size, "a whole number in %.0f..%.0f", min, max);
    else
        snprintf(buf, size, "a number in %g..%g", min, max);
}

/* Put @p val into @p o's variable; @p flag names it in messages. */
static int apply(parser *p, const cli_opt *o, const char *flag, char *val)
{
    char why[512], r[96];
    for (size_t i = 0; p->opts[i].type != CLI_OPT_END && i < sizeof p->seen; i++)
        if (&p->opts[i] == o)
            p->seen[i] = true;
    switch (o->type) {
    case CLI_OPT_END: break;
    case CLI_OPT_HELP: return CLI_PARSED_HELP;
    case CLI_OPT_VERSION: return CLI_PARSED_VERSION;
    case CLI_OPT_FLAG: *(bool *)o->value = true; break;
    case CLI_OPT_STRING:
        if ((o->flags & CLI_OPT_NONEMPTY) && !*val)
            return usage_err(p, "%s: an empty value", flag);
        if ((o->flags & CLI_OPT_PATH) && !cli_path_ok(val))
            return usage_err(p, "%s: '%s': a file name may not hold control characters", flag,
                             val);
        if (o->check && !o->check(val, why, sizeof why))
            return usage_err(p, "%s: %s", flag, why);
        *(const char **)o->value = val;
        break;
    case CLI_OPT_DATE:
        if (!cli_is_date(val))
            return usage_err(p, "%s: '%s' is not a date (want YYYY-MM-DD)", flag, val);
        *(const char **)o->value = val;
        break;
    case CLI_OPT_INT: {
        long long v;
        if (!cli_to_int(val, (long long)o->min, (long long)o->max, &v)) {
            range_text(r, sizeof r, o->min, o->max, true);
            return usage_err(p, "%s: want %s, not '%s'", flag, r, val);
        }
        *(long *)o->value = (long)v;
        break;
    }
    case CLI_OPT_ID: {
        long long v;
        if (!cli_to_int(val, 1, LLONG_MAX, &v)) {
            range_text(r, sizeof r, 1, (double)LLONG_MAX, true);
            return usage_err(p, "%s: want %s, not '%s'", flag, r, val);
        }
        *(long long *)o->value = v;
        break;
    }
    case CLI_OPT_DOUBLE: {
        double v;
        if (!cli_to_double(val, o->min, o->max, &v)) {
            range_text(r, sizeof r, o->min, o->max, false);
            return usage_err(p, "%s: want %s, not '%s'", flag, r, val);
        }
        *(double *)o->value = v;
        break;
    }
    case CLI_OPT_ENUM: {
        const char *names[32];
        size_t n = 0;
        for (const cli_choice *c = o->choices; c->name && n < 32; c++, n++) {
            names[n] = c->name;
            if (strcmp(c->name, val) == 0) {
                *(int *)o->value = c->value;
                return -1;
            }
        }
        char sug[128];
        names_of(o->choices, why, sizeof why);
        cli_suggest(val, names, n, "", sug, sizeof sug);
        return usage_err(p, "%s: want %s, not '%s'%s%s%s", flag, why, val,
                         *sug ? "; did you mean " : "", sug, *sug ? "?" : "");
    }
    case CLI_OPT_LIST:
        if (!*val)
            return usage_err(p, "%s: an empty value", flag);
        if (*o->count == o->max_count)
            return usage_err(p, "%s: at most %zu", flag, o->max_count);
        ((const char **)o->value)[(*o->count)++] = val;
        break;
    case CLI_OPT_SET: {
        char *eq = strchr(val, '=');
        if (!eq || eq == val)
            return usage_err(p, "%s: want %s, not '%s'", flag, o->argh, val);
        if (*o->count == o->max_count)
            return usage_err(p, "%s: at most %zu", flag, o->max_count);
        *eq = '\0';
        sva_kv *kv = &((sva_kv *)o->value)[(*o->count)++];
        kv->key = val;
        kv->value = eq + 1;
        break;
    }
    }
    return -1;
}

/* --NAME, --NAME=VALUE (argv[*i] is "--" + body); the value may be the next word. */
static int take_long(parser *p, char *body, int argc, char **argv, int *i)
{
    char *eq = strchr(body, '=');
    size_t len = eq ? (size_t)(eq - body) : strlen(body);
    char typed[128], cands[256];
    snprintf(typed, sizeof typed, "--%.*s", (int)len, body);
    bool ambiguous;
    const cli_opt *o = find_long(p, body, len, &ambiguous, cands, sizeof cands);
    if (ambiguous) {
        char fw[160];
        return usage_err(p, "ambiguous option '%s'%s (%s)", typed, for_who(p, fw, sizeof fw),
                         cands);
    }
    if (!o)
        return not_an_option(p, typed, body, len, 0);
    char flag[96];
    snprintf(flag, sizeof flag, "--%s", o->long_name);
    if (!takes_value(o)) {
        if (eq)
            return usage_err(p, "option '%s' takes no value", flag);
        return apply(p, o, flag, NULL);
    }
    char *val = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (!val)
        return usage_err(p, "option '%s' needs a value (%s)", flag,
                         o->type == CLI_OPT_ENUM ? "see --help" : o->argh);
    return apply(p, o, flag, val);
}

/* -X or -XVALUE (argv[*i] is "-" + body); the value may be the next word. */
static int take_short(parser *p, char *body, int argc, char **argv, int *i)
{
    char typed[8];
    snprintf(typed, sizeof typed, "-%c", body[0]);
    const cli_opt *o = find_exact(p->opts, NULL, 0, body[0]);
    if (!o)
        o = find_exact(globals, NULL, 0, body[0]);
    if (!o) {
        char whole[128];
        snprintf(whole, sizeof whole, "-%s", body);
        return not_an_option(p, strlen(body) > 1 ? whole : typed, NULL, 0, body[0]);
    }
    if (!takes_value(o)) {
        if (body[1]) {
            char whole[128];
            snprintf(whole, sizeof whole, "-%s", body);
            return not_an_option(p, whole, NULL, 0, 0);
        }
        return apply(p, o, typed, NULL);
    }
    char *val = body[1] ? body + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (!val)
        return usage_err(p, "option '%s' needs a value (%s)", typed, o->argh);
    return apply(p, o, typed, val);
}

/* One word that starts with '-' (not "-" or "--"). */
static int take(parser *p, int argc, char **argv, int *i)
{
    char *a = argv[*i];
    return a[1] == '-' ? take_long(p, a + 2, argc, argv, i) : take_short(p, a + 1, argc, argv, i);
}

int cli_parse_globals(int argc, char **argv, int *first)
{
    parser p = {.who = "", .opts = no_opts};
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            *first = i + 1;
            return -1;
        }
        if (a[0] != '-' || !a[1]) {
            *first = i;
            return -1;
        }
        int rc = take(&p, argc, argv, &i);
        if (rc >= 0)
            return rc;
    }
    *first = argc;
    return -1;
}

/* Does the word @p a (an option) take the next word as its value, in any of
 * the command's subcommands? Used only to find the subcommand word. */
static bool word_takes_value(const cli_command *cmd, const char *a)
{
    if (a[1] == '-' && strchr(a, '='))
        return false;
    const char *name = a[1] == '-' ? a + 2 : NULL;
    char shrt = a[1] == '-' ? 0 : a[1];
    if (shrt && a[2])
        return false;
    size_t len = name ? strlen(name) : 0;
    for (size_t i = 0; i <= cmd->n_subs; i++) {
        const cli_opt *t = i < cmd->n_subs ? cmd->subs[i].opts : globals;
        if (!t)
            continue;
        const cli_opt *o = find_exact(t, name, len, shrt);
        if (o)
            return takes_value(o);
    }
    for (size_t i = 0; name && i <= cmd->n_subs; i++) { /* an abbreviation */
        const cli_opt *t = i < cmd->n_subs ? cmd->subs[i].opts : globals;
        for (; t && t->type != CLI_OPT_END; t++)
            if (t->long_name && strncmp(t->long_name, name, len) == 0)
                return takes_value(t);
    }
    return false;
}

static int finish_help(parser *p, int rc)
{
    if (rc == CLI_PARSED_HELP)
        sub_usage(p, stdout);
    else if (rc == CLI_PARSED_VERSION)
        printf("svcaudit %s\n", SVA_VERSION);
    else
        return rc;
    return EXIT_OKAY;
}

int cli_parse(const cli_command *cmd, const char *name, int argc, char **argv,
              const cli_sub **subp, int *nargs, char ***args)
{
    /* the subcommand word: the first word that is neither an option nor its value */
    int subpos = -1, end_opts = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            end_opts = i;
            subpos = i + 1 < argc ? i + 1 : -1;
            break;
        }
        if (a[0] == '-' && a[1]) {
            if (word_takes_value(cmd, a))
                i++;
            continue;
        }
        subpos = i;
        break;
    }
    const cli_sub *sub = NULL, *dflt = NULL;
    const char *subnames[32];
    size_t n_named = 0;
    for (size_t i = 0; i < cmd->n_subs; i++) {
        if (!cmd->subs[i].name)
            dflt = &cmd->subs[i];
        else if (n_named < 32)
            subnames[n_named++] = cmd->subs[i].name;
        if (cmd->subs[i].name && subpos >= 0 && strcmp(cmd->subs[i].name, argv[subpos]) == 0)
            sub = &cmd->subs[i];
    }
    parser top = {.who = name, .cmd = cmd, .opts = no_opts};
    if (!sub) {
        char list[256] = "";
        for (size_t i = 0, used = 0; i < n_named; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", subnames[i]);
            if (w > 0 && (size_t)w < sizeof list - used)
                used += (size_t)w;
        }
        if (subpos < 0 && !dflt) {
            /* no subcommand: only --help and --version make sense */
            for (int i = 1; i < end_opts; i++) {
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                    cli_command_usage(cmd, stdout);
                    return EXIT_OKAY;
                }
                if (strcmp(argv[i], "--version") == 0)
                    return finish_help(&top, CLI_PARSED_VERSION);
            }
            return usage_err(&top, "missing subcommand (%s)", list);
        }
        if (subpos >= 0 && n_named && (!dflt || dflt->max_args == 0)) {
            char sug[160];
            cli_suggest(argv[subpos], subnames, n_named, "", sug, sizeof sug);
            if (*sug)
                return usage_err(&top, "unknown subcommand '%s' for '%s'; did you mean %s?",
                                 argv[subpos], name, sug);
            return usage_err(&top, "unknown subcommand '%s' for '%s' (%s)", argv[subpos], name,
                             list);
        }
        sub = dflt;
        subpos = -1; /* the word is an argument */
    }
    static char who[96]; /* the running subcommand's name, for ctx->name */
    if (sub->name)
        snprintf(who, sizeof who, "%s %s", name, sub->name);
    else
        snprintf(who, sizeof who, "%s", name);
    parser p = {.who = who, .cmd = cmd, .sub = sub, .opts = sub->opts ? sub->opts : no_opts};

    int w = 1; /* positional arguments move to argv[1..w) */
    bool dashdash = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (i == subpos)
            continue;
        if (dashdash || a[0] != '-' || !a[1]) {
            argv[w++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = true;
            continue;
        }
        int rc = take(&p, argc, argv, &i);
        if (rc >= 0)
            return finish_help(&p, rc);
    }
    int n = w - 1;
    if (n < sub->min_args)
        return usage_err(&p, "%s needs %s", who, sub->args);
    if (sub->max_args >= 0 && n > sub->max_args)
        return usage_err(&p, "unexpected argument '%s' for '%s'%s%s", argv[1 + sub->max_args],
                         who, sub->max_args ? ", which takes " : " (it takes no arguments)",
                         sub->max_args ? sub->args : "");
    if (sub->id_arg && !cli_to_int(argv[1], 1, LLONG_MAX, sub->id_arg))
        return usage_err(&p, "%s: '%s' is not %s (a whole number from 1)", who, argv[1],
                         sub->id_what);
    /* the required options: every missing one in one message */
    const cli_opt *missing[16];
    size_t n_missing = 0;
    for (size_t i = 0; p.opts[i].type != CLI_OPT_END && i < sizeof p.seen; i++)
        if ((p.opts[i].flags & CLI_OPT_REQUIRED) && !p.seen[i] && n_missing < 16)
            missing[n_missing++] = &p.opts[i];
    if (n_missing) {
        char list[256] = "";
        for (size_t k = 0, used = 0; k < n_missing; k++) {
            const cli_opt *o = missing[k];
            char flag[80];
            if (o->short_name) /* the name people use: -o */
                snprintf(flag, sizeof flag, "-%c", o->short_name);
            else
                snprintf(flag, sizeof flag, "--%s", o->long_name);
            int m = snprintf(list + used, sizeof list - used, "%s%s",
                             k == 0 ? "" : k + 1 == n_missing ? " and " : ", ", flag);
            if (m > 0 && (size_t)m < sizeof list - used)
                used += (size_t)m;
        }
        return usage_err(&p, "%s needs %s", who, list);
    }
    cli_ctx probe = {.name = who};
    if (sub->check) {
        int rc = sub->check(&probe, n, argv + 1);
        if (rc != EXIT_OKAY)
            return rc;
    }
    *subp = sub;
    *nargs = n;
    *args = argv + 1;
    return -1;
}

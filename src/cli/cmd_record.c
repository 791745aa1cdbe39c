/* svcaudit CLI: `svcaudit record`: record one audit, from a filled answer
 * sheet, from standard input, or by a guided walk at the terminal whose every
 * answer is saved to a draft so a killed session resumes where it stopped. */
#include "cli.h"
#include "commands.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char ABOUT[] =
    "Three ways to record:\n"
    "  --answers FILE   a filled answer sheet (from 'svcaudit checklist template');\n"
    "                   '-' reads it from standard input. Header fields in the sheet\n"
    "                   (store, cycle, ...) and flags both work; flags win.\n"
    "  (no --answers)   at a terminal: a guided walk, item by item. Every answer is\n"
    "                   saved at once to a draft (--draft FILE, default\n"
    "                   svcaudit-drafts/ beside the database); 'record --resume DRAFT'\n"
    "                   continues an interrupted walk. Not at a terminal: the sheet is\n"
    "                   read from standard input. --walk forces the walk.\n"
    "\n"
    "Nothing is stored until every item is answered and everything checks out.\n"
    "The same audit (same checklist version, cycle, store, employee, auditor, date\n"
    "and answers) is stored once: recording a sheet again is refused unless\n"
    "--duplicate is given, so a batch can be re-run safely.\n"
    "--actions also opens a 5W1H action for each failed item (why and what come\n"
    "from the item; the other required fields from --set, or asked once at a\n"
    "terminal), skipping items that already have one: the audit and its actions\n"
    "are stored together, or neither when an action is refused.\n"
    "\n"
    "A batch: --answers DIR/ (every *.ini and *.csv in it, by name) or --answers\n"
    "FILE FILE... Every sheet is checked first and every problem of every sheet is\n"
    "reported; then all are recorded in one transaction, or none when one is\n"
    "refused. A sheet recorded already is skipped (so a batch can be re-run),\n"
    "unless --duplicate. Flags (--cycle, --auditor, ...) apply to every sheet.\n";

static const char WALK_HELP[] =
    "  yes / no / na, or a number on a numeric scale; a note may follow the answer:\n"
    "      no waited three minutes at the door\n"
    "  Enter    keep the answer shown in [brackets]\n"
    "  b        back to the previous item\n"
    "  g N      go to item N\n"
    "  r        review: unanswered items and the live score, then submit\n"
    "  q        save the draft and quit (resume later with --resume)\n"
    "  ?        this help\n";

/* A draft is an INI answer sheet, whose lines hold at most 1000 bytes. */
#define WALK_MAX_NOTE 900

typedef struct record_opts {
    const char *cycle, *store, *employee, *auditor, *date, *answers, *resume, *lang, *draft;
    bool walk;
    bool duplicate; /* record even if the same audit is already stored */
    bool actions;   /* open a 5W1H action for each failed item afterwards */
    sva_kv set[32]; /* --set FIELD=VALUE for those actions */
    size_t n_set;
} record_opts;

/* The header fields given as flags (NULL where not given). */
static sva_audit_header flag_fields(const record_opts *o)
{
    sva_audit_header f = {.cycle = o->cycle, .store = o->store, .employee = o->employee,
                          .auditor = o->auditor, .date = o->date};
    return f;
}

static void print_result(long long id, const sva_audit_ready *a)
{
    const sva_score *sc = &a->score;
    char pct[32];
    fmt_pct(pct, sizeof pct, sc->scorable, sc->pct);
    if (!sc->scorable)
        printf("audit %lld recorded: no score (every item N/A)\n", id);
    else
        printf("audit %lld recorded: %s %%%s\n", id, pct,
               sc->failed ? "  FAILED (a critical item failed)" : "");
}

/* --actions: the fields of the actions (from --set, or asked once at a
 * terminal before the audit is stored), and what came of them. */
typedef struct action_plan {
    const sva_form *form;
    const sva_catalog *cat;
    const char *actor;
    sva_kv set[64];
    char *owned[64];
    size_t n;
    size_t made, skipped;
    bool refused; /* the actions were refused: nothing was stored */
} action_plan;

/* Validate and score once (the audit module), then store. When the module
 * finds problems, the store's checks still run, so every problem of both is
 * in @p d after one run. With @p ap (--actions) the audit and its actions are
 * written in one transaction: an action refused leaves neither. *ready is
 * the caller's to free. */
static sva_error submit(sva_db *db, const sva_checklist *cl, const sva_audit_header *h,
                        const sva_sheet *sheet, const sva_answer *answers, bool duplicate,
                        action_plan *ap, const sva_audit_ready **ready, long long *id,
                        sva_diag *d)
{
    sva_error wrc = sva_audit_check_when(h, d); /* recorded once done */
    sva_error rc = sheet ? sva_audit_prepare_sheet(h, sheet, ready, d)
                         : sva_audit_prepare(cl, h, answers, ready, d);
    if (wrc && !rc) {
        sva_audit_ready_free(*ready);
        *ready = NULL;
        rc = wrc;
    }
    if (rc) {
        if (rc != SVA_ERR_NOMEM && (sva_db_audit_check_header(db, h, d) == SVA_ERR_DB ||
                                    sva_db_checklist_check(db, cl, cl->path, d) == SVA_ERR_DB))
            rc = SVA_ERR_DB;
        return rc;
    }
    if (!ap)
        return sva_db_audit_record(db, *ready, duplicate, id, d);
    if ((rc = sva_db_batch_begin(db, d)))
        return rc;
    rc = sva_db_audit_record(db, *ready, duplicate, id, d);
    if (!rc) {
        rc = sva_db_action_from_audit(db, ap->form, ap->cat, *id, ap->set, ap->n, ap->actor,
                                      &ap->made, &ap->skipped, d);
        ap->refused = rc != SVA_OK;
    }
    sva_error rc2 = sva_db_batch_end(db, rc == SVA_OK, d);
    return rc ? rc : rc2;
}

/* Read a whole answer sheet ("-" = standard input, which can be read only
 * once) through the library's one reader: regular files only (a FIFO would
 * wait for ever), the input size cap, one message naming the flag. */
static bool slurp(const char *path, const char *flag, char **data, size_t *len)
{
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc = sva_file_read(path, data, len, &d);
    if (rc) {
        char buf[2048];
        for (size_t i = 0; i < d.n; i++) {
            sva_diag_format(&d, i, buf, sizeof buf);
            cli_error("%s: %s", flag, buf);
        }
        if (!d.n)
            cli_error("%s: cannot read '%s': %s", flag, path, sva_strerror(rc));
    }
    sva_diag_clear(&d);
    return rc == SVA_OK;
}

/* --actions, before anything is stored: the action form, the fields --set
 * gives, and at a terminal the required ones it does not (asked once, used
 * for every action). Returns false (said) when the form is not installed. */
static bool plan_actions(const sva_catalog *cat, const record_opts *o, action_plan *ap)
{
    memset(ap, 0, sizeof *ap);
    ap->cat = cat;
    ap->actor = g_cli.by ? NULL : o->auditor;
    ap->form = sva_catalog_find_form(cat, "actions_5w1h");
    if (!ap->form) {
        cli_error("--actions: the action form 'actions_5w1h' is not found");
        return false;
    }
    const sva_form *form = ap->form;
    sva_kv *set = ap->set;
    size_t n = 0;
    for (size_t i = 0; i < o->n_set && n < 64; i++)
        set[n++] = o->set[i];
    if (isatty(STDIN_FILENO)) {
        char *line = NULL;
        size_t cap = 0;
        for (size_t k = 0; k < form->n_fields && n < 64; k++) {
            const sva_field *f = &form->fields[k];
            bool given = strcmp(f->key, "why") == 0 || strcmp(f->key, "what") == 0;
            for (size_t i = 0; i < n; i++)
                given |= strcmp(set[i].key, f->key) == 0;
            if (given || !f->required)
                continue;
            for (;;) {
                printf("actions for the failed items: %s (%s), for all of them> ",
                       sva_i18n_get(&f->label, NULL), sva_field_type_name(f->type));
                fflush(stdout);
                ssize_t got = getline(&line, &cap, stdin);
                if (got < 0)
                    break;
                while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
                    line[--got] = '\0';
                sva_diag fd;
                sva_diag_init(&fd);
                bool ok = sva_field_check(f, line, &fd);
                for (size_t m = 0; m < fd.n; m++)
                    printf("  %s\n", fd.msgs[m].msg);
                sva_diag_clear(&fd);
                if (ok) {
                    ap->owned[n] = strdup(line);
                    set[n].key = f->key;
                    set[n].value = ap->owned[n];
                    n++;
                    break;
                }
            }
        }
        free(line);
    }
    ap->n = n;
    return true;
}

static void plan_free(action_plan *ap)
{
    for (size_t i = 0; i < 64; i++)
        free(ap->owned[i]);
}

/* What came of a submit with --actions: the actions opened, or, when they
 * were refused (their problems printed), that nothing was stored. */
static int actions_said(const action_plan *ap)
{
    if (ap->refused) {
        cli_error("--actions: nothing is recorded, neither the audit nor its actions (give "
                  "the fields with --set FIELD=VALUE)");
        return EXIT_DATA;
    }
    printf("%zu %s opened for the failed items (%zu already had one)\n",
           CLI_N(ap->made, "action", "actions"), ap->skipped);
    return EXIT_OKAY;
}

/* ---- from a sheet ----------------------------------------------------------------- */

static int record_sheet(sva_db *db, const sva_catalog *cat, const char *cl_id,
                        const record_opts *o)
{
    const char *path = o->answers ? o->answers : "-";
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_DATA;
    sva_sheet *sheet = NULL;
    const sva_audit_ready *ready = NULL;
    char *data = NULL;
    size_t len = 0;
    action_plan ap;
    if (o->actions && !plan_actions(cat, o, &ap))
        return EXIT_DATA;
    if (!slurp(path, "--answers", &data, &len)) {
        if (o->actions)
            plan_free(&ap);
        return EXIT_DATA;
    }
    /* read once: the header names the checklist the entries are then bound to */
    sva_error rc = sva_sheet_read(name, data, len, &sheet, &d);
    if (!sheet) {
        cli_print_diag(&d);
        goto done;
    }
    const char *want = cl_id ? cl_id : sheet->header.checklist;
    if (!want) {
        cli_print_diag(&d);
        if (rc)
            goto done;
        cli_error("%s: which checklist? give CHECKLIST or 'checklist =' in the sheet", name);
        status = EXIT_USAGE;
        goto done;
    }
    const sva_checklist *cl = sva_catalog_find(cat, want);
    if (!cl) {
        cli_print_diag(&d);
        /* the sheet's line that names it, when the sheet named it */
        char where[4200];
        if (!cl_id && sheet->header.line_checklist)
            snprintf(where, sizeof where, "%s:%d", name, sheet->header.line_checklist);
        else
            snprintf(where, sizeof where, "%s", name);
        cli_unknown_checklist(want, where);
        goto done;
    }
    if (sva_sheet_bind(sheet, cl, &d) && !sheet->cl) {
        cli_print_diag(&d); /* for another checklist or version: its items are not read */
        goto done;
    }
    sva_audit_header flags = flag_fields(o), h;
    sva_audit_header_merge(&h, &flags, &sheet->header, name);
    long long id;
    if (submit(db, cl, &h, sheet, NULL, o->duplicate, o->actions ? &ap : NULL, &ready, &id,
               &d)) {
        cli_print_diag(&d);
        if (o->actions)
            actions_said(&ap);
        goto done;
    }
    print_result(id, ready);
    status = o->actions ? actions_said(&ap) : EXIT_OKAY;
done:
    if (o->actions)
        plan_free(&ap);
    free(data);
    sva_audit_ready_free(ready);
    sva_sheet_free(sheet);
    sva_diag_clear(&d);
    return status;
}

/* ---- a batch of sheets ----------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does @p name end with .ini or .csv (any case)? */
static bool sheet_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && name[0] != '.' &&
           (strcasecmp(name + n - 4, ".ini") == 0 || strcasecmp(name + n - 4, ".csv") == 0);
}

/* The sheets of a batch: the files of folder @p dir (*.ini, *.csv, by name),
 * or @p dir itself and @p more when it is a file. NULL after a message. */
static char **batch_files(const char *dir, int nmore, char **more, size_t *n)
{
    struct stat sb;
    char **v = NULL;
    size_t k = 0;
    *n = 0;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *dh = opendir(dir);
        if (!dh) {
            cli_error("--answers: cannot read the folder '%s': %s", dir, strerror(errno));
            return NULL;
        }
        size_t cap = 0;
        struct dirent *de;
        bool slash = dir[strlen(dir) - 1] == '/';
        while ((de = readdir(dh))) {
            if (!sheet_name(de->d_name))
                continue;
            if (k == cap) {
                cap = cap ? 2 * cap : 64;
                char **nv = realloc(v, cap * sizeof *v);
                if (!nv)
                    break;
                v = nv;
            }
            size_t len = strlen(dir) + strlen(de->d_name) + 2;
            if (!(v[k] = malloc(len)))
                break;
            snprintf(v[k++], len, "%s%s%s", dir, slash ? "" : "/", de->d_name);
        }
        closedir(dh);
        if (!k) {
            cli_error("--answers: no sheets (*.ini, *.csv) in the folder '%s'", dir);
            free(v);
            return NULL;
        }
        qsort(v, k, sizeof *v, by_name);
    } else {
        v = calloc((size_t)nmore + 1, sizeof *v);
        for (int i = -1; v && i < nmore; i++)
            v[k++] = strdup(i < 0 ? dir : more[i]);
    }
    *n = k;
    return v;
}

/* A sheet of a batch as read ahead (read_ahead): unread (its file could not
 * be read: the message in d), or its reading's result, sheet and messages. */
typedef struct batch_sheet {
    bool unread;
    sva_error rc;
    sva_sheet *sheet;
    sva_diag d;
} batch_sheet;

/* Sheets are read this many at a time, before any of them is checked
 * against the store: their INI values share iniparser's reading. */
#define READ_AHEAD 64

/* Read files[0..n) into b[0..n) (n <= READ_AHEAD). false: out of memory. */
static bool read_ahead(char **files, size_t n, batch_sheet *b)
{
    char *data[READ_AHEAD] = {0};
    size_t lens[READ_AHEAD] = {0};
    const char *names[READ_AHEAD] = {0}, *texts[READ_AHEAD] = {0};
    sva_sheet *sheets[READ_AHEAD] = {0};
    sva_error rcs[READ_AHEAD] = {0};
    sva_diag ds[READ_AHEAD];
    size_t k = 0, at[READ_AHEAD] = {0};
    for (size_t i = 0; i < n; i++) {
        memset(&b[i], 0, sizeof b[i]);
        sva_diag_init(&b[i].d);
        data[i] = NULL;
        if (sva_file_read(files[i], &data[i], &lens[i], &b[i].d)) {
            b[i].unread = true;
            continue;
        }
        names[k] = files[i];
        texts[k] = data[i];
        lens[k] = lens[i];
        sva_diag_init(&ds[k]);
        at[k++] = i;
    }
    bool ok = sva_sheet_read_many(k, names, texts, lens, sheets, rcs, ds) == SVA_OK;
    for (size_t j = 0; j < k; j++) {
        b[at[j]].rc = rcs[j];
        b[at[j]].sheet = sheets[j];
        b[at[j]].d = ds[j]; /* the messages move */
    }
    for (size_t i = 0; i < n; i++)
        free(data[i]);
    return ok;
}

/* Check one sheet of a batch (read ahead) and, when it is clean, record it
 * inside the batch's transaction; what came of it goes to @p said (shown only
 * when the batch commits). Returns 1 recorded, 0 skipped (stored already), -1
 * refused (its problems printed), -2 a database failure. */
static int batch_one(sva_db *db, const sva_catalog *cat, const char *cl_id, const char *path,
                     batch_sheet *b, const record_opts *o, FILE *said)
{
    sva_diag d = b->d;
    int res = -1;
    sva_sheet *sheet = b->sheet;
    const sva_audit_ready *ready = NULL;
    b->sheet = NULL;
    sva_diag_init(&b->d);
    if (b->unread) {
        cli_print_diag_in(&d, path);
        goto done;
    }
    sva_error rc = b->rc;
    if (!sheet) {
        cli_print_diag(&d);
        goto done;
    }
    const char *want = cl_id ? cl_id : sheet->header.checklist;
    const sva_checklist *cl = want ? sva_catalog_find(cat, want) : NULL;
    if (!cl) {
        cli_print_diag(&d);
        if (!want) {
            if (!rc)
                cli_error("%s: which checklist? give 'checklist =' in the sheet", path);
        } else {
            char where[4200];
            if (!cl_id && sheet->header.line_checklist)
                snprintf(where, sizeof where, "%s:%d", path, sheet->header.line_checklist);
            else
                snprintf(where, sizeof where, "%s", path);
            cli_unknown_checklist(want, where);
        }
        goto done;
    }
    if (sva_sheet_bind(sheet, cl, &d) && !sheet->cl) {
        cli_print_diag(&d);
        goto done;
    }
    sva_audit_header flags = flag_fields(o), h;
    sva_audit_header_merge(&h, &flags, &sheet->header, path);
    long long id = 0;
    rc = submit(db, cl, &h, sheet, NULL, o->duplicate, NULL, &ready, &id, &d);
    if (rc == SVA_ERR_CONFLICT) {
        char msg[4400];
        sva_diag_format(&d, 0, msg, sizeof msg);
        fprintf(said, "skipped %s\n", msg);
        res = 0;
    } else if (rc) {
        cli_print_diag(&d);
        res = rc == SVA_ERR_DB ? -2 : -1;
    } else {
        char pct[32];
        fmt_pct(pct, sizeof pct, ready->score.scorable, ready->score.pct);
        fprintf(said, "%s: audit %lld, %s%s%s\n", path, id, ready->score.scorable ? pct : "no score",
                ready->score.scorable ? " %" : "", ready->score.failed ? " FAILED" : "");
        res = 1;
    }
done:
    sva_audit_ready_free(ready);
    sva_sheet_free(sheet);
    sva_diag_clear(&d);
    return res;
}

static int record_batch(sva_db *db, const sva_catalog *cat, const char *cl_id, int nmore,
                        char **more, const record_opts *o)
{
    size_t n;
    char **files = batch_files(o->answers, nmore, more, &n);
    if (!files)
        return EXIT_DATA;
    sva_diag d;
    sva_diag_init(&d);
    int status = EXIT_OKAY;
    size_t recorded = 0, skipped = 0, refused = 0;
    char *text = NULL;
    size_t text_len = 0;
    FILE *said = open_memstream(&text, &text_len);
    if (!said) {
        cli_error("out of memory");
        status = EXIT_DATA;
    } else if (sva_db_batch_begin(db, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
    }
    batch_sheet *ahead = status ? NULL : calloc(READ_AHEAD, sizeof *ahead);
    if (!status && !ahead) {
        cli_error("out of memory");
        status = EXIT_DATA;
    }
    for (size_t i = 0; i < n && !status; i += READ_AHEAD) {
        size_t m = n - i < READ_AHEAD ? n - i : READ_AHEAD;
        if (!read_ahead(files + i, m, ahead)) {
            cli_error("out of memory");
            status = EXIT_DATA;
        }
        for (size_t j = 0; j < m; j++) {
            int r = status ? -1 : batch_one(db, cat, cl_id, files[i + j], &ahead[j], o, said);
            if (r == -2)
                status = EXIT_DATA;
            recorded += r == 1;
            skipped += r == 0;
            refused += r < 0;
            sva_sheet_free(ahead[j].sheet); /* those after a database failure */
            sva_diag_clear(&ahead[j].d);
        }
    }
    free(ahead);
    bool commit = !status && !refused;
    if (sva_db_batch_end(db, commit, &d)) {
        cli_print_diag(&d);
        status = EXIT_DATA;
        commit = false;
    }
    if (said && fclose(said) != 0) /* the text so far stays: it is only what is shown */
        cli_error("out of memory");
    if (commit) {
        if (text)
            fputs(text, stdout);
        printf("%zu %s: %zu recorded, %zu already there (skipped), 0 refused\n",
               CLI_N(n, "sheet", "sheets"), recorded, skipped);
    } else {
        cli_error("nothing recorded: %zu of %zu %s refused%s", refused, CLI_N(n, "sheet", "sheets"),
                  status ? " (a database error stopped the batch)" : "");
        status = EXIT_DATA;
    }
    free(text);
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    sva_diag_clear(&d);
    return status;
}

/* ---- the guided walk ---------------------------------------------------------------- */

typedef struct walk {
    sva_db *db;
    const sva_checklist *cl;
    sva_audit_header h;      /* flags over the draft's header */
    sva_sheet_header header; /* what the draft carries */
    sva_answer *answers;
    const char *lang;
    char *draft;
    const sva_audit_ready *ready; /* what was submitted */
    action_plan *ap;              /* --actions: written with the audit */
} walk;

/* Write the draft by way of the library's file replacement, so a kill never
 * leaves half a draft; readable by its owner only (it holds what was seen). */
static bool save_draft(walk *w)
{
    char *text = NULL;
    if (sva_sheet_write(w->cl, SVA_SHEET_INI, w->lang, &w->header, w->answers, &text))
        return false;
    sva_diag d;
    sva_diag_init(&d);
    char *tmp = sva_replace_begin(w->draft, "");
    int fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = f && fputs(text, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    const char *why = strerror(errno);
    if (ok) {
        ok = sva_replace_commit(tmp, w->draft, &d) == SVA_OK; /* removes tmp on failure */
        if (!ok && d.n)
            why = d.msgs[0].msg;
    } else if (fd >= 0) {
        unlink(tmp);
    }
    if (!ok)
        cli_error("cannot save the draft '%s': %s", w->draft, tmp ? why : "out of memory");
    sva_diag_clear(&d);
    free(tmp);
    free(text);
    return ok;
}

/* One line from standard input without its line end; NULL at end of input. */
static char *read_line(void)
{
    static char *buf = NULL;
    static size_t cap = 0;
    fflush(stdout);
    ssize_t n = getline(&buf, &cap, stdin);
    if (n < 0)
        return NULL;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return buf;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool note_required(const sva_item *it, const sva_answer *a)
{
    if (a->na)
        return false;
    return it->evidence == SVA_EVIDENCE_ALWAYS ||
           (it->evidence == SVA_EVIDENCE_ON_FAIL && !sva_answer_passes(it, a));
}

static void set_text(char **dst, const char *s)
{
    free(*dst);
    *dst = s && *s ? strdup(s) : NULL;
}

static size_t first_unanswered(const walk *w)
{
    for (size_t i = 0; i < w->cl->n_items; i++)
        if (!w->answers[i].answered)
            return i;
    return w->cl->n_items;
}

enum step { STEP_NEXT, STEP_BACK, STEP_GOTO, STEP_REVIEW, STEP_QUIT };

/* "g N" (N from 1 to n): item N - 1 in *target; false when N is not one. */
static bool goto_item(char *s, size_t n, size_t *target)
{
    long long k;
    if (!cli_to_int(trim(s + 1), 1, (long long)n, &k))
        return false;
    *target = (size_t)k - 1;
    return true;
}

/* Ask item i. Returns what to do next; *target for STEP_GOTO. */
static enum step ask_item(walk *w, size_t i, size_t *target)
{
    const sva_checklist *cl = w->cl;
    const sva_item *it = &cl->items[i];
    sva_answer *a = &w->answers[i];
    char allowed[64], cur[32];
    sva_item_allowed(it, allowed, sizeof allowed);
    printf("\n[%s]  %zu/%zu\n%s\n", sva_i18n_get(&cl->sections[it->section].title, w->lang),
           i + 1, cl->n_items, sva_i18n_get(&it->text, w->lang));
    const char *guide = sva_i18n_get(&it->guide, w->lang);
    if (*guide)
        printf("  guide: %s\n", guide);
    for (;;) {
        sva_answer_format(it, a, cur, sizeof cur);
        printf("  %s%s%s  [%s]%s> ", allowed, it->critical ? "  CRITICAL" : "",
               it->evidence == SVA_EVIDENCE_ALWAYS ? "  note required" : "",
               a->answered ? cur : "-", "  (? help)");
        char *line = read_line();
        if (!line)
            return STEP_QUIT;
        char *s = trim(line);
        if (!*s) {
            if (a->answered)
                return STEP_NEXT;
            continue;
        }
        if (strcmp(s, "?") == 0) {
            fputs(WALK_HELP, stdout);
            continue;
        }
        if (strcmp(s, "q") == 0)
            return STEP_QUIT;
        if (strcmp(s, "b") == 0)
            return STEP_BACK;
        if (strcmp(s, "r") == 0)
            return STEP_REVIEW;
        if (s[0] == 'g' && (s[1] == ' ' || (s[1] >= '0' && s[1] <= '9'))) {
            if (goto_item(s, cl->n_items, target))
                return STEP_GOTO;
            printf("  no item %s (1..%zu)\n", trim(s + 1), cl->n_items);
            continue;
        }
        char *note = s + strcspn(s, " \t");
        if (*note)
            *note++ = '\0';
        note = trim(note);
        sva_answer parsed = {0};
        if (!sva_answer_parse(it, s, &parsed)) {
            printf("  '%s' is not an answer here: %s (? for help)\n", s, allowed);
            continue;
        }
        if (parsed.na && !it->na) {
            printf("  N/A is not allowed for this item\n");
            continue;
        }
        if (strlen(note) > WALK_MAX_NOTE) {
            printf("  the note is too long for the draft (%zu bytes; at most %d)\n", strlen(note),
                   WALK_MAX_NOTE);
            continue;
        }
        a->answered = true;
        a->na = parsed.na;
        a->value = parsed.value;
        if (*note)
            set_text(&a->note, note);
        while (note_required(it, a) && (!a->note || !*a->note)) {
            printf("  a note is required here (what was seen?)> ");
            char *nl = read_line();
            if (!nl) {
                save_draft(w);
                return STEP_QUIT;
            }
            if (strlen(trim(nl)) > WALK_MAX_NOTE)
                printf("  the note is too long for the draft (at most %d bytes)\n", WALK_MAX_NOTE);
            else
                set_text(&a->note, trim(nl));
        }
        if (note_required(it, a)) {
            printf("  evidence: photo or file path (Enter to skip)%s%s%s> ",
                   a->evidence ? " [" : "", a->evidence ? a->evidence : "",
                   a->evidence ? "]" : "");
            char *ev = read_line();
            if (ev && *trim(ev))
                set_text(&a->evidence, trim(ev));
        }
        return save_draft(w) ? STEP_NEXT : STEP_QUIT;
    }
}

/* The review screen; returns STEP_NEXT after a successful submit. */
static enum step review(walk *w, size_t *target, long long *id, int *status)
{
    const sva_checklist *cl = w->cl;
    for (;;) {
        size_t missing = 0;
        printf("\n==== review: %s ====\n", sva_i18n_get(&cl->title, w->lang));
        for (size_t i = 0; i < cl->n_items; i++)
            if (!w->answers[i].answered) {
                if (missing++ < 20)
                    printf("  unanswered %zu/%zu  %s\n", i + 1, cl->n_items, cl->items[i].id);
            }
        if (missing > 20)
            printf("  ... and %zu more unanswered\n", missing - 20);
        sva_score sc;
        if (sva_score_compute(cl, w->answers, &sc) == SVA_OK) {
            char pct[32];
            fmt_pct(pct, sizeof pct, sc.scorable, sc.pct);
            printf("  live score: %s%s over %zu answered items%s\n", sc.scorable ? pct : "none",
                   sc.scorable ? " %" : "", cl->n_items - missing - (sc.n_na - missing),
                   sc.failed ? "  FAILED (critical item)" : "");
            for (size_t i = 0; i < cl->n_items; i++)
                if (cl->items[i].critical && w->answers[i].answered && !sc.items[i].na &&
                    !sc.items[i].passed)
                    printf("  failed critical: %zu %s\n", i + 1, cl->items[i].id);
            sva_score_free(&sc);
        }
        printf("%s  g N = go to item N, b = back, q = save draft and quit> ",
               missing ? "" : "  s = submit,");
        char *line = read_line();
        if (!line)
            return STEP_QUIT;
        char *s = trim(line);
        if (strcmp(s, "q") == 0)
            return STEP_QUIT;
        if (strcmp(s, "b") == 0) {
            *target = cl->n_items - 1;
            return STEP_GOTO;
        }
        if (s[0] == 'g') {
            if (goto_item(s, cl->n_items, target))
                return STEP_GOTO;
            continue;
        }
        if (strcmp(s, "s") == 0 && !missing) {
            sva_diag d;
            sva_diag_init(&d);
            sva_audit_ready_free(w->ready);
            w->ready = NULL;
            sva_error rc = submit(w->db, cl, &w->h, NULL, w->answers, false, w->ap, &w->ready,
                                  id, &d);
            cli_print_diag(&d);
            sva_diag_clear(&d);
            if (rc == SVA_OK) {
                *status = EXIT_OKAY;
                return STEP_NEXT;
            }
            if (rc == SVA_ERR_DB || (w->ap && w->ap->refused)) {
                if (w->ap && w->ap->refused)
                    actions_said(w->ap);
                *status = EXIT_DATA;
                return STEP_QUIT;
            }
            printf("  not submitted: fix the items above (g N), then submit again\n");
        }
    }
}

static char *default_draft(const sva_checklist *cl, const char *store)
{
    const char *dbpath = g_cli.db && *g_cli.db ? g_cli.db : "svcaudit.db";
    char *copy = strdup(dbpath);
    if (!copy)
        return NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/svcaudit-drafts", dirname(copy));
    free(copy);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        cli_error("cannot create the drafts folder '%s': %s", dir, strerror(errno));
        return NULL;
    }
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    size_t n = strlen(dir) + strlen(cl->id) + strlen(store) + 64;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s-%s-%s-%ld.ini", dir, cl->id, store, stamp, (long)getpid());
    return p;
}

static int record_walk(sva_db *db, const sva_catalog *cat, const char *cl_id,
                       const record_opts *o)
{
    walk w = {.db = db, .lang = o->lang};
    action_plan ap;
    sva_diag d;
    sva_diag_init(&d);
    sva_sheet *sheet = NULL;
    int status = EXIT_DATA;
    if (o->resume) {
        char *data;
        size_t len;
        if (!slurp(o->resume, "--resume", &data, &len))
            return EXIT_DATA;
        sva_error rc = sva_sheet_read(o->resume, data, len, &sheet, &d);
        free(data);
        if (!sheet) {
            cli_print_diag(&d);
            if (!d.n)
                cli_error("--resume: cannot read '%s'", o->resume);
            sva_diag_clear(&d);
            return EXIT_DATA;
        }
        const char *want = cl_id ? cl_id : sheet->header.checklist;
        w.cl = want ? sva_catalog_find(cat, want) : NULL;
        if (!w.cl) {
            cli_print_diag(&d);
            cli_error("%s: unknown checklist '%s'", o->resume, want ? want : "(none)");
            goto done;
        }
        if (sva_sheet_bind(sheet, w.cl, &d) || rc) {
            cli_print_diag(&d);
            goto done;
        }
        w.answers = sheet->answers;
        w.draft = strdup(o->resume);
        sva_audit_header flags = flag_fields(o);
        sva_audit_header_merge(&w.h, &flags, &sheet->header, NULL);
    } else {
        w.cl = sva_catalog_find(cat, cl_id);
        if (!w.cl) {
            cli_unknown_checklist(cl_id, NULL);
            return EXIT_DATA;
        }
        w.answers = calloc(w.cl->n_items ? w.cl->n_items : 1, sizeof *w.answers);
        sva_audit_header flags = flag_fields(o);
        sva_audit_header_merge(&w.h, &flags, NULL, NULL);
        if (w.answers && w.h.store)
            w.draft = o->draft ? strdup(o->draft) : default_draft(w.cl, w.h.store);
    }
    /* Fail before the first question, not after the last. */
    sva_error hrc = sva_audit_check_header(w.cl, &w.h, &d);
    sva_error crc = sva_db_checklist_check(db, w.cl, w.cl->path, &d);
    if (sva_db_audit_check_header(db, &w.h, &d) || hrc || crc) {
        cli_print_diag(&d);
        goto done;
    }
    if (!w.answers || !w.draft)
        goto done;
    if (o->actions && !plan_actions(cat, o, &ap))
        goto done;
    w.ap = o->actions ? &ap : NULL;
    w.header.checklist = (char *)w.cl->id;
    w.header.version = w.cl->version;
    w.header.store = (char *)w.h.store;
    w.header.employee = (char *)w.h.employee;
    w.header.cycle = (char *)w.h.cycle;
    w.header.auditor = (char *)w.h.auditor;
    w.header.date = (char *)w.h.date;
    if (!save_draft(&w))
        goto done;
    printf("%s: %s, store %s%s%s, cycle %s\ndraft: %s\n", w.cl->id,
           sva_i18n_get(&w.cl->title, w.lang), w.h.store, w.h.employee ? ", employee " : "",
           w.h.employee ? w.h.employee : "", w.h.cycle, w.draft);
    printf("every answer is saved as you go; type ? for help\n");
    size_t i = first_unanswered(&w);
    long long id = 0;
    int submitted = -1; /* not tried yet */
    for (;;) {
        size_t target = 0;
        enum step st;
        if (i >= w.cl->n_items)
            st = review(&w, &target, &id, &submitted);
        else
            st = ask_item(&w, i, &target);
        if (st == STEP_QUIT)
            break;
        if (st == STEP_NEXT && i >= w.cl->n_items && submitted == EXIT_OKAY) {
            unlink(w.draft);
            print_result(id, w.ready);
            status = w.ap ? actions_said(w.ap) : EXIT_OKAY;
            goto done;
        }
        switch (st) {
        case STEP_NEXT: i++; break;
        case STEP_BACK: i = i > 0 ? i - 1 : 0; break;
        case STEP_GOTO: i = target; break;
        case STEP_REVIEW: i = w.cl->n_items; break;
        case STEP_QUIT: break;
        }
    }
    printf("\ndraft saved: %s\nresume with: svcaudit record --resume %s\n", w.draft, w.draft);
    status = submitted == -1 ? EXIT_OKAY : submitted; /* a saved draft is not an error */
done:
    if (sheet) {
        sva_sheet_free(sheet);
    } else if (w.answers) {
        for (size_t k = 0; k < w.cl->n_items; k++) {
            free(w.answers[k].note);
            free(w.answers[k].evidence);
        }
        free(w.answers);
    }
    free(w.draft);
    if (w.ap)
        plan_free(w.ap);
    sva_audit_ready_free(w.ready);
    sva_diag_clear(&d);
    return status;
}

/* ---- the command ---- */

static record_opts o;

static bool walking(void)
{
    return o.resume || (!o.answers && (o.walk || isatty(STDIN_FILENO)));
}

/* Does an argument name a sheet (a batch's) rather than a checklist? A
 * checklist id has no '/', no .ini or .csv ending and names no file here. */
static bool sheet_arg(const char *a)
{
    struct stat sb;
    return strcmp(a, "-") == 0 || strchr(a, '/') || sheet_name(a) || stat(a, &sb) == 0;
}

/* A batch: --answers names a folder, or more sheets follow on the line. The
 * checklist, if any, is the first argument that is not a sheet. */
static bool batch(int argc, char **argv)
{
    struct stat sb;
    if (!o.answers || strcmp(o.answers, "-") == 0)
        return false;
    if (stat(o.answers, &sb) == 0 && S_ISDIR(sb.st_mode))
        return true;
    for (int i = 0; i < argc; i++)
        if (sheet_arg(argv[i]))
            return true;
    return false;
}

static int check(const cli_ctx *c, int argc, char **argv)
{
    if (batch(argc, argv)) {
        int ids = 0;
        for (int i = 0; i < argc; i++)
            ids += !sheet_arg(argv[i]);
        if (ids > 1 || (ids && sheet_arg(argv[0])))
            return cli_usage_error(c->name, "a batch takes one CHECKLIST, first, then sheets");
        for (int i = 0; i < argc; i++)
            if (strcmp(argv[i], "-") == 0)
                return cli_usage_error(c->name, "a batch reads files, not standard input");
        if (o.actions || o.n_set)
            return cli_usage_error(c->name, "--actions goes with one sheet at a time");
        if (o.resume || o.walk || o.draft)
            return cli_usage_error(c->name, "a batch is recorded from files, not walked");
        return EXIT_OKAY;
    }
    if (argc > 1)
        return cli_usage_error(c->name, "'%s': one CHECKLIST only (a batch of sheets: "
                                        "--answers FILE FILE... or --answers DIR/)",
                               argv[1]);
    const char *cl_id = argc ? argv[0] : NULL;
    if (o.answers && o.resume)
        return cli_usage_error(c->name, "--answers and --resume do not go together");
    if (o.n_set && !o.actions)
        return cli_usage_error(c->name, "--set gives the fields of --actions");
    if (walking() && !o.resume && !cl_id)
        return cli_usage_error(c->name, "which checklist? (see 'svcaudit checklist list')");
    if (walking() && !o.resume && !o.store)
        return cli_usage_error(c->name, "the walk needs --store (and --cycle, --auditor)");
    return EXIT_OKAY;
}

static int run(cli_ctx *c, int argc, char **argv)
{
    if (batch(argc, argv)) {
        bool has_id = argc && !sheet_arg(argv[0]);
        return record_batch(c->db, c->cat, has_id ? argv[0] : NULL, argc - has_id,
                            argv + has_id, &o);
    }
    const char *cl_id = argc ? argv[0] : NULL;
    return walking() ? record_walk(c->db, c->cat, cl_id, &o) : record_sheet(c->db, c->cat, cl_id, &o);
}

static const cli_opt opts[] = {
    OPT_STRING(0, "cycle", &o.cycle, "ID", "the cycle (else the sheet's)", 0),
    OPT_STRING(0, "store", &o.store, "S", "the store (else the sheet's)", 0),
    OPT_STRING(0, "employee", &o.employee, "E", "the employee (else the sheet's)", 0),
    OPT_STRING(0, "auditor", &o.auditor, "A", "who audited (else the sheet's)", 0),
    OPT_DATE("date", &o.date, "the day of the audit (else the sheet's)", 0),
    OPT_STRING(0, "answers", &o.answers, "FILE", "the filled sheet (.ini, .csv; - for stdin); a "
               "folder or several files: a batch", 0),
    OPT_STRING(0, "resume", &o.resume, "DRAFT", "continue an interrupted walk", 0),
    OPT_STRING_CHECK("lang", &o.lang, "LANG", "checklist texts in this language", 0,
                     cli_check_lang),
    OPT_STRING(0, "draft", &o.draft, "FILE", "where the walk saves its draft",
               CLI_OPT_NONEMPTY | CLI_OPT_PATH),
    OPT_FLAG(0, "walk", &o.walk, "the guided walk even when not at a terminal"),
    OPT_FLAG(0, "duplicate", &o.duplicate, "record even when the same audit is stored"),
    OPT_FLAG(0, "actions", &o.actions, "then open a 5W1H action per failed item"),
    OPT_SET("set", o.set, &o.n_set, sizeof o.set / sizeof *o.set, "FIELD=VALUE",
            "a field of those actions"),
    OPT_END(),
};

static const cli_sub subs[] = {
    {.synopsis = "svcaudit record CHECKLIST --cycle ID --store S [--employee E] --auditor A\n"
                 "                       [--date YYYY-MM-DD] [--answers FILE.ini|FILE.csv|-]\n"
                 "                       [--lang LANG] [--draft FILE] [--walk] [--duplicate]\n"
                 "                       [--actions [--set FIELD=VALUE]...]\n"
                 "       svcaudit record --resume DRAFT [--lang LANG]\n"
                 "       svcaudit record [CHECKLIST] --answers DIR/ | --answers FILE FILE...\n"
                 "                       [--cycle ID] [--auditor A] ... [--duplicate]",
     .opts = opts, .max_args = -1, .args = "one CHECKLIST", .check = check, .run = run},
};

const cli_command cmd_record = {subs, 1, ABOUT};

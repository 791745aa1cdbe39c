/* svcaudit: the cell layer (see xlsx.h): cells, formats, tables and charts
 * over libxlsxwriter, or recorded in memory for tests. The only file that
 * includes <xlsxwriter.h>. Sheets are written row by row (constant_memory). */
#include "xlsx.h"
#include "util.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CELL 32767 /* Excel's limit on the text of one cell */
#define CUT_MARK " [...cut]"

#define PCT_FMT "0.0%"
/* up, down, no change; the colour comes with the cell's font (green up, red
 * down), which Excel and LibreOffice show alike ([Color10] is grey in one) */
#define DELTA_FMT "\"\xE2\x96\xB2 \"0.0;\"\xE2\x96\xBC \"0.0;\"= \"0.0"
#define P_FMT "[<0.001]\"< 0.001\";0.000"
#define MAX_LINKS 65530 /* Excel's hyperlinks per sheet */
#define GREEN_BG 0xC6EFCE
#define GREEN_FG 0x006100
#define AMBER_BG 0xFFEB9C
#define AMBER_FG 0x9C5700
#define RED_BG 0xFFC7CE
#define RED_FG 0x9C0006
#define GREY_BG 0xEDEDED

struct xl_sheet {
    xl_book *b;
    lxw_worksheet *ws;   /* NULL in a recorder */
    char *name;
    size_t charts;
    size_t links;
    xl_row last_row;     /* the highest row written: in constant_memory mode a table
                            ending above it is refused, and the recorder refuses it too */
    bool any_row;
    char last_iso[11];   /* the last date written, parsed: rows of one audit share it */
    lxw_datetime last_dt;
};

struct xl_book {
    lxw_workbook *wb;    /* NULL in a recorder */
    FILE *said;          /* what libxlsxwriter prints on stderr, caught (see hush) */
    int stderr_fd;       /* the real stderr while it is caught; -1 when not */
    lxw_format *f[XS_N];
    const char *shown;   /* the file named in messages */
    sva_diag *d;
    sva_error err;
    xl_sheet **sheets;
    size_t n_sheets;
    /* the recorder */
    bool recorder;
    xl_cell *cells;
    size_t n_cells, cap_cells;
    sva_pool pool;
    /* figures rounded to one decimal, by their bits: a sheet's scores repeat
     * (the Data sheet's million rows hold a few dozen), and sva_round1 prints
     * and parses */
    struct { uint64_t in; double out; bool set; } round1[64];
};

xl_style xs_pct(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return XS_PCT_GREEN;
    case SVA_COLOUR_AMBER: return XS_PCT_AMBER;
    case SVA_COLOUR_RED: return XS_PCT_RED;
    case SVA_COLOUR_GREY: return XS_PCT_GREY;
    case SVA_COLOUR_NONE: break;
    }
    return XS_PCT;
}

xl_style xs_status(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return XS_ST_GREEN;
    case SVA_COLOUR_AMBER: return XS_ST_AMBER;
    case SVA_COLOUR_RED: return XS_ST_RED;
    case SVA_COLOUR_GREY: return XS_ST_GREY;
    case SVA_COLOUR_NONE: break;
    }
    return XS_TEXT;
}

xl_style xs_hl(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return XS_HL_GREEN;
    case SVA_COLOUR_AMBER: return XS_HL_AMBER;
    case SVA_COLOUR_RED: return XS_HL_RED;
    default: break;
    }
    return XS_TEXT;
}

const char *xs_name(xl_style s)
{
    static const char *const names[XS_N] = {
        "general",   "title",     "sub",      "hdr",      "bold",     "text",
        "wrap",      "num",       "pct",      "delta",    "pct_green", "pct_amber",
        "pct_red",   "pct_grey",  "st_green", "st_amber", "st_red",   "st_grey",
        "hl_green",  "hl_amber",  "hl_red",   "p",        "dec1",     "num_red",
        "date",      "link",      "delta_up", "delta_down"};
    return s < XS_N ? names[s] : "?";
}

/* ---- the book ----------------------------------------------------------------------------- */

static void fail(xl_book *b, sva_error e, const char *what, lxw_error le)
{
    if (b->err)
        return;
    b->err = e;
    if (what)
        sva_diag_add(b->d, b->shown, 0, "cannot write the workbook (%s): %s", what,
                     lxw_strerror(le));
}

static void check(xl_book *b, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        fail(b, SVA_ERR_IO, what, e);
}

static lxw_format *fmt(lxw_workbook *wb, const char *num, uint32_t bg, uint32_t fg, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    if (!f)
        return NULL;
    if (num)
        format_set_num_format(f, num);
    if (bg)
        format_set_bg_color(f, bg);
    if (fg)
        format_set_font_color(f, fg);
    if (bold)
        format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void make_formats(xl_book *b)
{
    lxw_workbook *wb = b->wb;
    lxw_format **f = b->f;
    f[XS_GENERAL] = NULL;
    f[XS_TITLE] = fmt(wb, NULL, 0, 0x1F3864, true);
    if (f[XS_TITLE])
        format_set_font_size(f[XS_TITLE], 16);
    f[XS_SUB] = fmt(wb, NULL, 0, 0x595959, false);
    f[XS_HDR] = fmt(wb, NULL, 0x1F3864, 0xFFFFFF, true);
    if (f[XS_HDR])
        format_set_text_wrap(f[XS_HDR]);
    f[XS_BOLD] = fmt(wb, NULL, 0, 0, true);
    f[XS_TEXT] = fmt(wb, "@", 0, 0, false);
    f[XS_WRAP] = fmt(wb, "@", 0, 0, false);
    if (f[XS_WRAP])
        format_set_text_wrap(f[XS_WRAP]);
    f[XS_NUM] = fmt(wb, "0", 0, 0, false);
    f[XS_PCT] = fmt(wb, PCT_FMT, 0, 0, false);
    f[XS_DELTA] = fmt(wb, DELTA_FMT, 0, 0, false);
    f[XS_DELTA_UP] = fmt(wb, DELTA_FMT, 0, GREEN_FG, false);
    f[XS_DELTA_DOWN] = fmt(wb, DELTA_FMT, 0, RED_FG, false);
    f[XS_PCT_GREEN] = fmt(wb, PCT_FMT, GREEN_BG, GREEN_FG, false);
    f[XS_PCT_AMBER] = fmt(wb, PCT_FMT, AMBER_BG, AMBER_FG, false);
    f[XS_PCT_RED] = fmt(wb, PCT_FMT, RED_BG, RED_FG, false);
    f[XS_PCT_GREY] = fmt(wb, PCT_FMT, GREY_BG, 0, false);
    f[XS_ST_GREEN] = fmt(wb, NULL, GREEN_BG, GREEN_FG, true);
    f[XS_ST_AMBER] = fmt(wb, NULL, AMBER_BG, AMBER_FG, true);
    f[XS_ST_RED] = fmt(wb, NULL, RED_BG, RED_FG, true);
    f[XS_ST_GREY] = fmt(wb, NULL, GREY_BG, 0, false);
    f[XS_HL_GREEN] = fmt(wb, "@", GREEN_BG, GREEN_FG, false);
    f[XS_HL_AMBER] = fmt(wb, "@", AMBER_BG, AMBER_FG, false);
    f[XS_HL_RED] = fmt(wb, "@", RED_BG, RED_FG, false);
    f[XS_P] = fmt(wb, P_FMT, 0, 0, false);
    f[XS_DEC1] = fmt(wb, "0.0", 0, 0, false);
    f[XS_NUM_RED] = fmt(wb, "0", RED_BG, RED_FG, false);
    f[XS_DATE] = fmt(wb, "yyyy-mm-dd", 0, 0, false);
    f[XS_LINK] = fmt(wb, NULL, 0, 0x0563C1, false);
    if (f[XS_LINK])
        format_set_underline(f[XS_LINK], LXW_UNDERLINE_SINGLE);
}

/* libxlsxwriter prints its errors ("[ERROR] ...") on stderr, beside the one
 * line svcaudit promises for an error: while a book is open, stderr goes to a
 * temporary file, and what was said there is folded into the message. */
static void hush(xl_book *b)
{
    b->stderr_fd = -1;
    fflush(stderr);
    if (!(b->said = tmpfile()))
        return;
    if ((b->stderr_fd = dup(2)) < 0 || dup2(fileno(b->said), 2) < 0) {
        if (b->stderr_fd >= 0)
            close(b->stderr_fd);
        b->stderr_fd = -1;
        fclose(b->said);
        b->said = NULL;
    }
}

/* Give stderr back; what libxlsxwriter said, its "System error = ..." if it
 * gave one (why it failed, in the system's words), goes to @p why. */
static void unhush(xl_book *b, char *why, size_t size)
{
    why[0] = '\0';
    if (!b->said)
        return;
    fflush(stderr);
    dup2(b->stderr_fd, 2);
    close(b->stderr_fd);
    char text[1024];
    rewind(b->said);
    size_t n = fread(text, 1, sizeof text - 1, b->said);
    text[n] = '\0';
    fclose(b->said);
    b->said = NULL;
    const char *sys = strstr(text, "System error = ");
    if (sys) {
        sys += strlen("System error = ");
        size_t k = strcspn(sys, "\r\n");
        snprintf(why, size, "%.*s", (int)k, sys);
    }
}

xl_book *xl_book_new(const char *path, const char *tmpdir, const char *shown, sva_diag *d)
{
    xl_book *b = calloc(1, sizeof *b);
    if (!b) {
        sva_diag_add(d, shown, 0, "out of memory");
        return NULL;
    }
    b->shown = shown;
    b->d = d;
    hush(b);
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir,
                                 .use_zip64 = LXW_TRUE};
    b->wb = workbook_new_opt(path, &opts);
    if (!b->wb) {
        int e = errno;
        char why[256];
        unhush(b, why, sizeof why);
        sva_diag_add(d, shown, 0, "cannot create the workbook: %s", *why ? why : strerror(e));
        free(b);
        return NULL;
    }
    make_formats(b);
    return b;
}

xl_book *xl_book_recorder(void)
{
    xl_book *b = calloc(1, sizeof *b);
    if (b)
        b->recorder = true;
    return b;
}

void xl_book_props(xl_book *b, const char *title, const char *subject, const char *comments)
{
    if (!b->wb || b->err)
        return;
    lxw_doc_properties props = {.title = (char *)title,
                                .subject = (char *)subject,
                                .author = "svcaudit",
                                .category = "PDCA cycle report",
                                .keywords = "6S, SSI, CSI, PDCA, mystery shopping",
                                .comments = (char *)comments,
                                .status = "generated"};
    check(b, workbook_set_properties(b->wb, &props), "document properties");
}

sva_error xl_book_error(const xl_book *b)
{
    return b ? b->err : SVA_ERR_NOMEM;
}

void xl_book_fail(xl_book *b, sva_error e)
{
    if (!b->err)
        b->err = e;
}

sva_error xl_book_close(xl_book *b)
{
    if (!b)
        return SVA_ERR_NOMEM;
    sva_error rc = b->err;
    if (b->wb) {
        lxw_error ce = workbook_close(b->wb);
        char why[256];
        unhush(b, why, sizeof why);
        if (!rc && ce != LXW_NO_ERROR) {
            if (*why)
                sva_diag_add(b->d, b->shown, 0, "cannot write the workbook: %s", why);
            else
                sva_diag_add(b->d, b->shown, 0, "cannot write the workbook: %s",
                             lxw_strerror(ce));
            rc = SVA_ERR_IO;
        }
    }
    for (size_t i = 0; i < b->n_sheets; i++) {
        free(b->sheets[i]->name);
        free(b->sheets[i]);
    }
    free(b->sheets);
    free(b->cells);
    sva_pool_free(&b->pool);
    free(b);
    return rc;
}

xl_sheet *xl_sheet_add(xl_book *b, const char *name)
{
    if (b->err)
        return NULL;
    xl_sheet *s = calloc(1, sizeof *s);
    xl_sheet **v = realloc(b->sheets, (b->n_sheets + 1) * sizeof *v);
    if (v)
        b->sheets = v;
    if (!s || !v || !(s->name = sva_strdup(name))) {
        free(s);
        fail(b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
        return NULL;
    }
    s->b = b;
    if (b->wb && !(s->ws = workbook_add_worksheet(b->wb, name))) {
        sva_diag_add(b->d, b->shown, 0, "cannot add the sheet '%s'", name);
        fail(b, SVA_ERR_IO, NULL, LXW_NO_ERROR);
        free(s->name);
        free(s);
        return NULL;
    }
    b->sheets[b->n_sheets++] = s;
    return s;
}

const char *xl_sheet_name(const xl_sheet *s)
{
    return s ? s->name : "";
}

/* ---- cells -------------------------------------------------------------------------------- */

static void saw_row(xl_sheet *s, xl_row r)
{
    if (!s->any_row || r > s->last_row)
        s->last_row = r;
    s->any_row = true;
}

static xl_cell *record(xl_sheet *s, xl_row r, xl_col c, bool is_num, double v,
                      const char *text, xl_style st)
{
    xl_book *b = s->b;
    saw_row(s, r);
    if (b->n_cells == b->cap_cells) {
        size_t nc = b->cap_cells ? b->cap_cells * 2 : 256;
        xl_cell *nv = realloc(b->cells, nc * sizeof *nv);
        if (!nv) {
            fail(b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
            return NULL;
        }
        b->cells = nv;
        b->cap_cells = nc;
    }
    xl_cell *x = &b->cells[b->n_cells++];
    x->sheet = s->name;
    x->r = r;
    x->c = c;
    x->is_num = is_num;
    x->num = v;
    x->text = text ? sva_pool_str(&b->pool, text) : NULL;
    x->st = st;
    x->link = NULL;
    if (text && !x->text)
        fail(b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
    return x;
}

static bool keep_char(unsigned char ch)
{
    return ch >= 0x20 || ch == '\t' || ch == '\n';
}


static void put_string(xl_sheet *s, xl_row r, xl_col c, const char *text, xl_style st)
{
    saw_row(s, r);
    if (s->b->recorder)
        record(s, r, c, false, 0, text, st);
    else
        check(s->b, worksheet_write_string(s->ws, r, c, text, s->b->f[st]), "a text cell");
}

void xl_str(xl_sheet *s, xl_row r, xl_col c, const char *text, xl_style st)
{
    if (!s || s->b->err || !text || !*text)
        return;
    /* one pass to the first character that is not kept, or the end */
    const unsigned char *e = (const unsigned char *)text;
    while (*e >= 0x20 || (*e && keep_char(*e)))
        e++;
    size_t n = (size_t)(e - (const unsigned char *)text);
    if (!*e && n <= MAX_CELL) {
        put_string(s, r, c, text, st);
        return;
    }
    n += strlen((const char *)e);
    char *buf = malloc(MAX_CELL + 1);
    if (!buf) {
        fail(s->b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
        return;
    }
    size_t o = 0, limit = n > MAX_CELL ? MAX_CELL - strlen(CUT_MARK) : n;
    for (size_t i = 0; i < n && o < limit; i++)
        if (keep_char((unsigned char)text[i]))
            buf[o++] = text[i];
    while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
        o--; /* do not cut a UTF-8 character in half */
    if (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
        o--;
    buf[o] = '\0';
    if (n > MAX_CELL)
        strcat(buf, CUT_MARK);
    put_string(s, r, c, buf, st);
    free(buf);
}

static double round1(xl_book *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    size_t h = (size_t)((bits ^ bits >> 21 ^ bits >> 43) & 63);
    if (!b->round1[h].set || b->round1[h].in != bits) {
        b->round1[h].in = bits;
        b->round1[h].out = sva_round1(v);
        b->round1[h].set = true;
    }
    return b->round1[h].out;
}

static bool is_pct(xl_style st)
{
    return st == XS_PCT || (st >= XS_PCT_GREEN && st <= XS_PCT_GREY);
}

/* A figure shown with one decimal is stored rounded once, as shown, so what a
 * reader adds up in Excel is what they see; a percentage (given on 0-100) is
 * stored as the fraction its % format shows. */
void xl_num(xl_sheet *s, xl_row r, xl_col c, double v, xl_style st)
{
    if (!s || s->b->err)
        return;
    saw_row(s, r);
    if (is_pct(st))
        v = round1(s->b, v) / 100;
    else if (st == XS_DELTA || st == XS_DEC1)
        v = round1(s->b, v);
    if (st == XS_DELTA)
        st = v > 0 ? XS_DELTA_UP : v < 0 ? XS_DELTA_DOWN : XS_DELTA;
    if (s->b->recorder)
        record(s, r, c, true, v, NULL, st);
    else
        check(s->b, worksheet_write_number(s->ws, r, c, v, s->b->f[st]), "a number cell");
}

void xl_date(xl_sheet *s, xl_row r, xl_col c, const char *iso)
{
    if (!s || s->b->err || !iso || !*iso)
        return;
    if (s->ws && strcmp(iso, s->last_iso) == 0) {
        lxw_datetime dt = s->last_dt;
        check(s->b, worksheet_write_datetime(s->ws, r, c, &dt, s->b->f[XS_DATE]),
              "a date cell");
        return;
    }
    int y, m, d;
    char tail;
    if (strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        !sva_parse_date(iso)) {
        xl_str(s, r, c, iso, XS_TEXT);
        return;
    }
    if (s->b->recorder) {
        record(s, r, c, false, 0, iso, XS_DATE);
        return;
    }
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    memcpy(s->last_iso, iso, sizeof s->last_iso); /* ten characters and the NUL */
    s->last_dt = dt;
    check(s->b, worksheet_write_datetime(s->ws, r, c, &dt, s->b->f[XS_DATE]), "a date cell");
}

void xl_link(xl_sheet *s, xl_row r, xl_col c, const char *target, bool internal,
             const char *text)
{
    if (!s || s->b->err || !text || !*text)
        return;
    if (!target || !*target || s->links >= MAX_LINKS) {
        xl_str(s, r, c, text, XS_TEXT);
        return;
    }
    s->links++;
    sva_buf url = {0};
    if (internal)
        sva_buf_printf(&url, "internal:%s", target);
    else
        sva_buf_printf(&url, "file://%s", target);
    if (url.failed) {
        fail(s->b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
    } else if (s->b->recorder) {
        xl_cell *x = record(s, r, c, false, 0, text, XS_LINK);
        if (x && !(x->link = sva_pool_str(&s->b->pool, url.data)))
            fail(s->b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
    } else {
        check(s->b,
              worksheet_write_url_opt(s->ws, r, c, url.data, s->b->f[XS_LINK], text, NULL),
              "a link");
    }
    sva_buf_free(&url);
}

double xl_fit_height(const char *text, double width)
{
    int lines = 1, col = 0, w = width > 2 ? (int)width - 1 : 1;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        if (*p == '\n') {
            lines++;
            col = 0;
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue; /* a continuation byte */
        int cw = *p >= 0xE3 && *p < 0xF0 ? 2 : 1; /* CJK (U+3000..) is two wide */
        if (col + cw > w) {
            lines++;
            col = 0;
        }
        col += cw;
    }
    if (lines > 20)
        lines = 20; /* past that the cell scrolls: a row is not a page */
    return 15.0 * lines;
}

void xl_row_height(xl_sheet *s, xl_row r, double points)
{
    if (s && !s->b->err && s->ws)
        check(s->b, worksheet_set_row(s->ws, r, points, NULL), "a row height");
}

void xl_width(xl_sheet *s, xl_col first, xl_col last, double width)
{
    if (s && !s->b->err && s->ws)
        check(s->b, worksheet_set_column(s->ws, first, last, width, NULL), "column widths");
}

void xl_header(xl_sheet *s, xl_row r, const char *const *names, const double *widths, int n)
{
    for (int c = 0; c < n; c++) {
        xl_str(s, r, (xl_col)c, names[c], XS_HDR);
        if (widths)
            xl_width(s, (xl_col)c, (xl_col)c, widths[c]);
    }
}

void xl_freeze(xl_sheet *s, xl_row r, xl_col c)
{
    if (s && !s->b->err && s->ws)
        worksheet_freeze_panes(s->ws, r, c);
}

void xl_print_wide(xl_sheet *s, xl_row repeat, int pages_wide)
{
    if (!s || s->b->err || !s->ws)
        return;
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_fit_to_pages(s->ws, (uint16_t)(pages_wide > 0 ? pages_wide : 1), 0);
    if (repeat != XL_NO_REPEAT)
        check(s->b, worksheet_repeat_rows(s->ws, repeat, repeat), "print titles");
}

void xl_print(xl_sheet *s, xl_row repeat)
{
    xl_print_wide(s, repeat, 1);
}

void xl_table(xl_sheet *s, xl_row hdr, xl_row last, int ncols)
{
    if (!s || s->b->err)
        return;
    if (s->b->recorder) {
        /* as libxlsxwriter's constant_memory mode: the rows below are gone */
        if (s->any_row && (last > hdr ? last : hdr) < s->last_row)
            fail(s->b, SVA_ERR_IO, NULL, LXW_NO_ERROR);
        return;
    }
    if (!s->ws)
        return;
    worksheet_freeze_panes(s->ws, hdr + 1, 0);
    check(s->b,
          worksheet_autofilter(s->ws, hdr, 0, last > hdr ? last : hdr, (lxw_col_t)(ncols - 1)),
          "a filter");
    xl_print(s, hdr);
}

/* ---- charts ------------------------------------------------------------------------------- */

void xl_chart_insert(xl_sheet *s, const xl_chart *ch, const xl_series *series, size_t n)
{
    if (!s || s->b->err)
        return;
    s->charts++;
    if (!s->ws)
        return;
    static const uint8_t kinds[] = {LXW_CHART_COLUMN, LXW_CHART_LINE, LXW_CHART_RADAR};
    lxw_chart *c = workbook_add_chart(s->b->wb, kinds[ch->kind]);
    if (!c) {
        fail(s->b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const xl_series *x = &series[i];
        lxw_chart_series *sr = chart_add_series(c, NULL, NULL);
        if (!sr) {
            fail(s->b, SVA_ERR_NOMEM, NULL, LXW_NO_ERROR);
            return;
        }
        chart_series_set_categories(sr, ch->sheet, x->cat_first, x->cat_col, x->cat_last,
                                    x->cat_col_last);
        chart_series_set_values(sr, ch->sheet, x->val_first, x->val_col, x->val_last,
                                x->val_col_last);
        if (x->name_cell)
            chart_series_set_name_range(sr, ch->sheet, x->name_row, x->name_col);
        else if (x->name)
            chart_series_set_name(sr, x->name);
        if (x->markers_only) {
            lxw_chart_line none = {.none = LXW_TRUE};
            chart_series_set_line(sr, &none);
            chart_series_set_marker_type(sr, LXW_CHART_MARKER_SQUARE);
            chart_series_set_marker_size(sr, 7);
        } else if (x->line_only) {
            lxw_chart_line dash = {.color = 0xC00000, .width = 1.5,
                                   .dash_type = LXW_CHART_LINE_DASH_DASH};
            chart_series_set_line(sr, &dash);
            chart_series_set_marker_type(sr, LXW_CHART_MARKER_NONE);
        } else if (ch->kind == XC_LINE) {
            chart_series_set_marker_type(sr, LXW_CHART_MARKER_CIRCLE);
        }
    }
    chart_title_set_name(c, ch->title);
    if (ch->y_fixed) {
        chart_axis_set_min(c->y_axis, ch->y_min);
        chart_axis_set_max(c->y_axis, ch->y_max);
    }
    if (ch->y_percent)
        chart_axis_set_num_format(c->y_axis, "0%");
    lxw_chart_options place = {.x_offset = ch->x_offset, .y_offset = ch->y_offset,
                               .x_scale = ch->x_scale, .y_scale = ch->y_scale};
    check(s->b, worksheet_insert_chart_opt(s->ws, ch->at_row, ch->at_col, c, &place), "a chart");
}

/* ---- the recorder --------------------------------------------------------------------------- */

const xl_cell *xl_recorded(const xl_book *b, const char *sheet, xl_row r, xl_col c)
{
    for (size_t i = 0; i < b->n_cells; i++)
        if (b->cells[i].r == r && b->cells[i].c == c && strcmp(b->cells[i].sheet, sheet) == 0)
            return &b->cells[i];
    return NULL;
}

size_t xl_recorded_count(const xl_book *b, const char *sheet)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_cells; i++)
        n += !sheet || strcmp(b->cells[i].sheet, sheet) == 0;
    return n;
}

size_t xl_recorded_sheets(const xl_book *b, const char **names, size_t max)
{
    for (size_t i = 0; i < b->n_sheets && i < max; i++)
        names[i] = b->sheets[i]->name;
    return b->n_sheets;
}

size_t xl_recorded_charts(const xl_book *b, const char *sheet)
{
    for (size_t i = 0; i < b->n_sheets; i++)
        if (strcmp(b->sheets[i]->name, sheet) == 0)
            return b->sheets[i]->charts;
    return 0;
}

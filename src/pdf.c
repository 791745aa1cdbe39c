/* svcaudit: the PDF reports (see pdf.h): A4 pages laid out with pango (so
 * Chinese is shaped and falls back to a CJK font) on cairo's PDF surface. The
 * only file that includes cairo's and pango's headers. It lays out the models
 * of report.h and computes nothing: figures, colours, privacy and texts come
 * from the model; labels from the catalogue (i18n.h). */
#include "svcaudit/i18n.h"
#include "pdf_module.h"
#include "svcaudit/svcaudit.h"
#include "util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A4 in points, the margins, the type sizes. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN 40.0
#define FOOT 22.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - FOOT)
#define BODY 8.5
#define SMALL 7.0
#define HEAD 11.0
#define TITLE 17.0
/* Photos: the box one thumbnail fits in; a PNG is scaled down to this many pixels
 * on its longer side before it is embedded (a JPEG is embedded as it is). */
#define THUMB_W 100.0
#define THUMB_H 75.0
#define PNG_MAX_SIDE 1200

typedef struct rgb {
    double r, g, b;
} rgb;

static const rgb INK = {0.13, 0.13, 0.15}, GREY = {0.42, 0.42, 0.45},
                 RULE = {0.78, 0.79, 0.82}, SHADE = {0.95, 0.96, 0.97},
                 BRAND = {0.12, 0.27, 0.45}, WHITE = {1, 1, 1},
                 NOTE = {0.22, 0.33, 0.50}; /* what people wrote: notes (no italic: one
                                               font less to embed in every file) */

/* The one colour rule's colours (the workbook's), and a light tint of each for cells. */
static rgb colour_of(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return (rgb){0.13, 0.55, 0.27};
    case SVA_COLOUR_AMBER: return (rgb){0.85, 0.55, 0.05};
    case SVA_COLOUR_RED: return (rgb){0.78, 0.13, 0.13};
    case SVA_COLOUR_GREY: return (rgb){0.55, 0.55, 0.58};
    case SVA_COLOUR_NONE: break;
    }
    return BRAND;
}

static rgb tint(sva_colour c)
{
    switch (c) {
    case SVA_COLOUR_GREEN: return (rgb){0.85, 0.94, 0.87};
    case SVA_COLOUR_AMBER: return (rgb){1.00, 0.93, 0.78};
    case SVA_COLOUR_RED: return (rgb){0.98, 0.84, 0.84};
    case SVA_COLOUR_GREY: return (rgb){0.92, 0.92, 0.93};
    case SVA_COLOUR_NONE: break;
    }
    return WHITE;
}

/* ---- the document ---------------------------------------------------------------------------- */

/* A layout kept with what it was made for. */
typedef struct layout_slot {
    PangoLayout *layout;
    char *text;              /* NULL: unused */
    int width;
    double size;
    bool bold, one_line;
    int align;
    unsigned long used;
} layout_slot;

#define N_SLOTS 12

typedef struct pdf {
    const char *lang;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;     /* for the pills */
    layout_slot slots[N_SLOTS];
    unsigned long tick;
    PangoFontDescription *font;
    FILE *f;
    int werr;                /* errno of the first failed write */
    double y;                /* where the next block goes */
    int page;
    char foot[1200];         /* the footer's left part */
    char cont[1200];         /* the heading of a continued page */
    /* the table being drawn, to repeat its header on a new page */
    const struct col *cols;
    int ncols;
} pdf;

static const char *L(const pdf *p, const char *key)
{
    return sva_tr(p->lang, key);
}

/* printf into a buffer with a catalogue text as the format. */
static const char *fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, size, f, ap);
    va_end(ap);
    return buf;
}

static void set_rgb(pdf *p, rgb c)
{
    cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

static void rect(pdf *p, double x, double y, double w, double h, rgb c)
{
    set_rgb(p, c);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
}

static void hline(pdf *p, double x, double y, double w, rgb c, double width)
{
    set_rgb(p, c);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + w, y);
    cairo_stroke(p->cr);
}

enum { LEFT, RIGHT, CENTRE };

typedef struct style {
    double size;
    bool bold;
    rgb colour;
    int align;
    bool one_line;           /* cut with an ellipsis instead of wrapping */
} style;

#define S_BODY ((style){BODY, false, INK, LEFT, false})
#define S_SMALL ((style){SMALL, false, GREY, LEFT, false})

/* Most text is measured, then drawn (a table row measures every cell first):
 * the last few layouts are kept, so a text is shaped once, not twice. */
static PangoLayout *layout_for(pdf *p, double w, const char *s, style st)
{
    int width = (int)(w * PANGO_SCALE);
    unsigned long tick = ++p->tick;
    layout_slot *lru = &p->slots[0];
    for (int i = 0; i < N_SLOTS; i++) {
        layout_slot *k = &p->slots[i];
        if (k->text && k->width == width && k->size == st.size && k->bold == st.bold &&
            k->one_line == st.one_line && k->align == st.align &&
            strcmp(k->text, s) == 0) {
            k->used = tick;
            return k->layout;
        }
        if (k->used < lru->used)
            lru = k;
    }
    char *copy = sva_strdup(s);
    if (!copy)
        return NULL;
    free(lru->text);
    *lru = (layout_slot){lru->layout, copy, width, st.size, st.bold, st.one_line, st.align, tick};
    PangoLayout *l = lru->layout;
    pango_font_description_set_absolute_size(p->font, st.size * PANGO_SCALE);
    pango_font_description_set_weight(p->font, st.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, p->font);
    pango_layout_set_width(l, width);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l, st.one_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_alignment(l, st.align == RIGHT    ? PANGO_ALIGN_RIGHT
                                  : st.align == CENTRE ? PANGO_ALIGN_CENTER
                                                       : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, s, -1);
    return l;
}

/* Lay @p s out in width @p w; draw it at (x, y) when @p draw. @return its height. */
static double text(pdf *p, double x, double y, double w, const char *s, style st, bool draw)
{
    if (!s || !*s)
        return 0;
    PangoLayout *l = layout_for(p, w, s, st);
    if (!l)
        return 0;
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    if (draw) {
        set_rgb(p, st.colour);
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, l);
    }
    return (double)ph / PANGO_SCALE;
}

static void footer(pdf *p)
{
    char buf[64];
    double y = PAGE_H - MARGIN - 8;
    hline(p, MARGIN, y - 4, TEXT_W, RULE, 0.5);
    text(p, MARGIN, y, TEXT_W - 60, p->foot, S_SMALL, true);
    style r = S_SMALL;
    r.align = RIGHT;
    text(p, MARGIN + TEXT_W - 60, y, 60, fmt(buf, sizeof buf, L(p, "report.page"), p->page), r,
         true);
}

static void table_head(pdf *p);

static void new_page(pdf *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
    style st = S_SMALL;
    st.bold = true;
    p->y += text(p, MARGIN, p->y, TEXT_W, p->cont, st, true) + 4;
    hline(p, MARGIN, p->y, TEXT_W, RULE, 0.5);
    p->y += 8;
    if (p->cols)
        table_head(p);
}

/* Room for @p h points more on this page, else a new page. */
static void need(pdf *p, double h)
{
    if (p->y + h > BOTTOM && p->y > MARGIN + 40)
        new_page(p);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    pdf *p = closure;
    if (p->werr)
        return CAIRO_STATUS_WRITE_ERROR;
    if (len && fwrite(data, 1, len, p->f) != len) {
        p->werr = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Start writing @p tmp (the file that will replace @p path). */
static sva_error doc_open(pdf *p, const char *lang, const char *title, const char *path,
                          const char *tmp, sva_diag *d)
{
    memset(p, 0, sizeof *p);
    p->lang = lang;
    p->page = 1;
    p->y = MARGIN;
    if (!(p->f = fopen(tmp, "wb"))) {
        sva_diag_add(d, NULL, 0, "cannot write '%s': %s", path, strerror(errno));
        return SVA_ERR_IO;
    }
    p->surface = cairo_pdf_surface_create_for_stream(write_out, p, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
                                   "svcaudit " SVA_VERSION);
    p->cr = cairo_create(p->surface);
    /* one context for every layout: unhinted metrics (a PDF is scaled), the
     * language for the choice of CJK glyphs */
    PangoContext *ctx = pango_cairo_create_context(p->cr);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(ctx, pango_language_from_string(lang && strcmp(lang, "zh") == 0
                                                                   ? "zh-cn"
                                                                   : "en"));
    p->layout = pango_layout_new(ctx);
    for (int i = 0; i < N_SLOTS; i++)
        p->slots[i].layout = pango_layout_new(ctx);
    g_object_unref(ctx);
    p->font = pango_font_description_from_string("Sans");
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS || !p->font) {
        sva_diag_add(d, NULL, 0, "cannot write '%s': %s", path,
                     cairo_status_to_string(cairo_status(p->cr)));
        return SVA_ERR_IO;
    }
    return SVA_OK;
}

/* Finish the document and close @p tmp. On failure @p tmp is removed. */
static sva_error doc_close(pdf *p, bool ok, const char *path, const char *tmp, sva_diag *d)
{
    if (ok && p->cr) {
        footer(p);
        cairo_show_page(p->cr);
    }
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (p->surface) {
        cairo_surface_finish(p->surface);
        cs = cairo_surface_status(p->surface);
    }
    if (p->font)
        pango_font_description_free(p->font);
    if (p->layout)
        g_object_unref(p->layout);
    for (int i = 0; i < N_SLOTS; i++) {
        if (p->slots[i].layout)
            g_object_unref(p->slots[i].layout);
        free(p->slots[i].text);
    }
    if (p->cr) {
        if (cs == CAIRO_STATUS_SUCCESS)
            cs = cairo_status(p->cr);
        cairo_destroy(p->cr);
    }
    if (p->surface)
        cairo_surface_destroy(p->surface);
    bool closed = p->f && fclose(p->f) == 0;
    if (p->f && !closed && !p->werr)
        p->werr = errno ? errno : EIO;
    p->f = NULL;
    if (ok && (p->werr || cs != CAIRO_STATUS_SUCCESS)) {
        sva_diag_add(d, NULL, 0, "cannot write '%s': %s", path,
                     p->werr ? strerror(p->werr) : cairo_status_to_string(cs));
        ok = false;
    }
    if (!ok)
        unlink(tmp);
    return ok ? SVA_OK : SVA_ERR_IO;
}

/* ---- blocks ---------------------------------------------------------------------------------- */

/* The title band: a big title, a line under it, the number on the right. */
static void title_band(pdf *p, const char *kind, const char *title, const char *right)
{
    rect(p, 0, 0, PAGE_W, 6, BRAND);
    style k = S_SMALL;
    k.colour = BRAND;
    k.bold = true;
    p->y = MARGIN - 8;
    double h = text(p, MARGIN, p->y, TEXT_W * 0.7, kind, k, true);
    style r = k;
    r.align = RIGHT;
    text(p, MARGIN + TEXT_W * 0.5, p->y, TEXT_W * 0.5, right, r, true);
    p->y += h + 2;
    style t = {TITLE, true, INK, LEFT, false};
    p->y += text(p, MARGIN, p->y, TEXT_W, title, t, true) + 6;
}

/* Label: value pairs, two to a line. */
static void facts(pdf *p, const char *const *pairs, size_t n)
{
    double col = TEXT_W / 2, lw = 62;
    for (size_t i = 0; i < n; i += 4) {
        double h = 0;
        for (size_t k = 0; k < 4 && i + k + 1 < n; k += 2) {
            const char *label = pairs[i + k], *value = pairs[i + k + 1];
            if (!value || !*value)
                continue;
            double x = MARGIN + (double)(k / 2) * col;
            text(p, x, p->y, lw, label, S_SMALL, true);
            double vh = text(p, x + lw, p->y - 0.5, col - lw - 8, value, S_BODY, true);
            h = h > vh ? h : vh;
        }
        p->y += h + 3;
    }
    p->y += 4;
}

static void heading(pdf *p, const char *s)
{
    style st = {HEAD, true, BRAND, LEFT, false};
    double h = text(p, 0, 0, TEXT_W, s, st, false);
    need(p, h + 40);
    p->y += 6;
    text(p, MARGIN, p->y, TEXT_W, s, st, true);
    p->y += h + 2;
    hline(p, MARGIN, p->y, TEXT_W, BRAND, 0.8);
    p->y += 5;
}

static void para(pdf *p, const char *s, style st)
{
    double h = text(p, 0, 0, TEXT_W, s, st, false);
    need(p, h);
    text(p, MARGIN, p->y, TEXT_W, s, st, true);
    p->y += h + 3;
}

/* A pill: text on its colour, at (x, y). @return its width. */
static double pill(pdf *p, double x, double y, double h, const char *s, double size,
                   sva_colour c)
{
    style st = {size, true, WHITE, CENTRE, false};
    pango_font_description_set_absolute_size(p->font, size * PANGO_SCALE);
    pango_font_description_set_weight(p->font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(p->layout, p->font);
    pango_layout_set_width(p->layout, -1);
    pango_layout_set_text(p->layout, s, -1);
    int pw, ph;
    pango_layout_get_size(p->layout, &pw, &ph);
    double w = (double)pw / PANGO_SCALE + size, th = (double)ph / PANGO_SCALE;
    rgb bg = colour_of(c);
    set_rgb(p, bg);
    double r = h / 4;
    cairo_new_sub_path(p->cr);
    cairo_arc(p->cr, x + w - r, y + r, r, -G_PI / 2, 0);
    cairo_arc(p->cr, x + w - r, y + h - r, r, 0, G_PI / 2);
    cairo_arc(p->cr, x + r, y + h - r, r, G_PI / 2, G_PI);
    cairo_arc(p->cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
    cairo_close_path(p->cr);
    cairo_fill(p->cr);
    text(p, x, y + (h - th) / 2, w, s, st, true);
    return w;
}

/* A bullet list of points: a mark, the text, a figure on the right, a detail under it. */
static void points(pdf *p, const sva_report_point *v, size_t n, const char *none)
{
    if (!n) {
        para(p, none, S_SMALL);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char pct[32] = "";
        if (v[i].has_pct)
            snprintf(pct, sizeof pct, "%.1f %%", v[i].pct);
        double tw = TEXT_W - 14 - 60;
        double h = text(p, 0, 0, tw, v[i].text, S_BODY, false);
        double dh = text(p, 0, 0, tw, v[i].detail, S_SMALL, false);
        need(p, h + dh + 2);
        style mark = {BODY, true, colour_of(SVA_COLOUR_GREEN), LEFT, false};
        text(p, MARGIN, p->y, 12, "\u2713", mark, true);
        text(p, MARGIN + 14, p->y, tw, v[i].text, S_BODY, true);
        style r = S_BODY;
        r.align = RIGHT;
        r.bold = true;
        text(p, MARGIN + TEXT_W - 60, p->y, 60, pct, r, true);
        if (dh) {
            style it = S_SMALL;
            it.colour = NOTE;
            text(p, MARGIN + 14, p->y + h, tw, v[i].detail, it, true);
        }
        p->y += h + dh + 2;
    }
    p->y += 2;
}

/* ---- tables ---------------------------------------------------------------------------------- */

typedef struct col {
    const char *head;
    double w;                /* a share of the text width */
    int align;
} col;

typedef struct cell {
    const char *text;
    const char *sub;         /* a second, smaller line ("" or NULL: none) */
    sva_colour tint;         /* a coloured background (NONE: none) */
    rgb colour;              /* of the text */
    bool bold;
} cell;

#define CELL(t) ((cell){(t), NULL, SVA_COLOUR_NONE, INK, false})

static void table_head(pdf *p)
{
    double x = MARGIN, h = 0;
    style st = S_SMALL;
    st.bold = true;
    for (int i = 0; i < p->ncols; i++) {
        double w = p->cols[i].w * TEXT_W;
        double th = text(p, 0, 0, w - 6, p->cols[i].head, st, false);
        h = h > th ? h : th;
    }
    for (int i = 0; i < p->ncols; i++) {
        double w = p->cols[i].w * TEXT_W;
        st.align = p->cols[i].align;
        text(p, x + 3, p->y, w - 6, p->cols[i].head, st, true);
        x += w;
    }
    p->y += h + 2;
    hline(p, MARGIN, p->y, TEXT_W, RULE, 0.6);
    p->y += 2;
}

static void table_begin(pdf *p, const col *cols, int n)
{
    need(p, 40);
    p->cols = cols;
    p->ncols = n;
    table_head(p);
}

static void table_end(pdf *p)
{
    p->cols = NULL;
    p->ncols = 0;
    p->y += 4;
}

static void table_row(pdf *p, const cell *c, bool shade)
{
    double h = 0;
    for (int i = 0; i < p->ncols; i++) {
        double w = p->cols[i].w * TEXT_W - 6;
        style st = S_BODY;
        st.bold = c[i].bold;
        double ch = text(p, 0, 0, w, c[i].text, st, false) +
                    (c[i].sub && *c[i].sub ? text(p, 0, 0, w, c[i].sub, S_SMALL, false) : 0);
        h = h > ch ? h : ch;
    }
    h += 4;
    need(p, h);
    if (shade)
        rect(p, MARGIN, p->y, TEXT_W, h, SHADE);
    double x = MARGIN;
    for (int i = 0; i < p->ncols; i++) {
        double w = p->cols[i].w * TEXT_W;
        if (c[i].tint != SVA_COLOUR_NONE)
            rect(p, x + 1, p->y + 1, w - 2, h - 2, tint(c[i].tint));
        style st = S_BODY;
        st.bold = c[i].bold;
        st.colour = c[i].colour;
        st.align = p->cols[i].align;
        double th = text(p, x + 3, p->y + 2, w - 6, c[i].text, st, true);
        if (c[i].sub && *c[i].sub) {
            style sm = S_SMALL;
            sm.align = p->cols[i].align;
            text(p, x + 3, p->y + 2 + th, w - 6, c[i].sub, sm, true);
        }
        x += w;
    }
    p->y += h;
}

/* ---- pictures -------------------------------------------------------------------------------- */

typedef struct membuf {
    const unsigned char *data;
    size_t len, at;
} membuf;

static cairo_status_t read_mem(void *closure, unsigned char *out, unsigned int len)
{
    membuf *m = closure;
    if (m->len - m->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, m->data + m->at, len);
    m->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* The picture @p ph as a surface to draw: a JPEG as a small grey stand-in that
 * carries the file as its MIME data (cairo's PDF writer embeds the JPEG itself,
 * undecoded, at the stand-in's place); a PNG decoded, and scaled down when large.
 * NULL when the file cannot be read or decoded any more. */
static cairo_surface_t *picture(const sva_report_photo *ph)
{
    char *data = NULL;
    size_t len = 0;
    if (sva_file_read(ph->file, &data, &len, NULL) != SVA_OK)
        return NULL;
    cairo_surface_t *s = NULL;
    if (ph->kind == SVA_PHOTO_JPEG) {
        int big = ph->width > ph->height ? ph->width : ph->height;
        int w = ph->width * 64 / big, h = ph->height * 64 / big;
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w > 0 ? w : 1, h > 0 ? h : 1);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_paint(cr);
        cairo_destroy(cr);
        cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (unsigned char *)ph->file,
                                    strlen(ph->file), NULL, NULL);
        if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, (unsigned char *)data, len,
                                        free, data) == CAIRO_STATUS_SUCCESS)
            data = NULL; /* cairo frees it with the surface */
    } else {
        membuf m = {(const unsigned char *)data, len, 0};
        s = cairo_image_surface_create_from_png_stream(read_mem, &m);
        int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
        int big = w > h ? w : h;
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && big > PNG_MAX_SIDE) {
            double k = (double)PNG_MAX_SIDE / big;
            int sw = (int)(w * k), sh = (int)(h * k);
            cairo_surface_t *small = cairo_image_surface_create(
                CAIRO_FORMAT_ARGB32, sw > 0 ? sw : 1, sh > 0 ? sh : 1);
            cairo_t *cr = cairo_create(small);
            cairo_scale(cr, k, k);
            cairo_set_source_surface(cr, s, 0, 0);
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
            cairo_paint(cr);
            cairo_destroy(cr);
            cairo_surface_destroy(s);
            s = small;
        }
    }
    free(data);
    if (s && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        s = NULL;
    }
    return s;
}

/* Draw @p s scaled into the box at (x, y), keeping its shape. @return the height used. */
static double draw_picture(pdf *p, cairo_surface_t *s, double x, double y, double bw, double bh)
{
    double w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    double k = bw / w < bh / h ? bw / w : bh / h;
    cairo_save(p->cr);
    cairo_translate(p->cr, x, y);
    cairo_scale(p->cr, k, k);
    cairo_set_source_surface(p->cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(p->cr), CAIRO_FILTER_GOOD);
    cairo_paint(p->cr);
    cairo_restore(p->cr);
    set_rgb(p, RULE);
    cairo_set_line_width(p->cr, 0.5);
    cairo_rectangle(p->cr, x, y, w * k, h * k);
    cairo_stroke(p->cr);
    return h * k;
}

/* The pictures of a finding: thumbnails in a row with their names; then the
 * ones not embedded, each named with why. */
static void photos(pdf *p, const sva_report_finding *f, double x0)
{
    double x = x0, row_h = 0, avail = MARGIN + TEXT_W - x0;
    int per_row = (int)((avail + 8) / (THUMB_W + 8));
    int in_row = 0;
    bool *lost = calloc(f->n_photos, sizeof *lost); /* could not be read any more */
    for (size_t i = 0; i < f->n_photos; i++) {
        const sva_report_photo *ph = &f->photos[i];
        if (ph->kind == SVA_PHOTO_NONE)
            continue;
        cairo_surface_t *s = picture(ph);
        if (!s) {
            if (lost)
                lost[i] = true;
            continue;
        }
        if (in_row == per_row) {
            p->y += row_h + 4;
            x = x0;
            in_row = 0;
            row_h = 0;
        }
        double name_h = text(p, 0, 0, THUMB_W, ph->name, S_SMALL, false);
        if (in_row == 0)
            need(p, THUMB_H + name_h + 4);
        double h = draw_picture(p, s, x, p->y, THUMB_W, THUMB_H);
        cairo_surface_destroy(s);
        style cap = S_SMALL;
        cap.one_line = true;
        text(p, x, p->y + h + 1, THUMB_W, ph->name, cap, true);
        row_h = row_h > h + name_h + 2 ? row_h : h + name_h + 2;
        x += THUMB_W + 8;
        in_row++;
    }
    if (in_row)
        p->y += row_h + 4;
    style miss = S_SMALL;
    miss.colour = colour_of(SVA_COLOUR_RED);
    char buf[1024];
    for (size_t i = 0; i < f->n_photos; i++) {
        const sva_report_photo *ph = &f->photos[i];
        const char *why = ph->kind == SVA_PHOTO_NONE ? ph->problem
                          : lost && lost[i]          ? L(p, "report.photo.unreadable")
                                                     : NULL;
        if (!why)
            continue;
        fmt(buf, sizeof buf, L(p, "report.photo.named"), ph->name, why);
        double h = text(p, 0, 0, avail, buf, miss, false);
        need(p, h);
        text(p, x0, p->y, avail, buf, miss, true);
        p->y += h + 1;
    }
    free(lost);
}

/* ---- the audit report ------------------------------------------------------------------------ */

static const char *privacy_text(const pdf *p, sva_privacy m)
{
    return L(p, m == SVA_PRIVACY_FULL           ? "report.privacy.full"
                : m == SVA_PRIVACY_PSEUDONYMOUS ? "report.privacy.pseudonymous"
                                                : "report.privacy.none");
}

static const char *status_text(const pdf *p, sva_target_status s)
{
    switch (s) {
    case SVA_TARGET_MET: return L(p, "status.met");
    case SVA_TARGET_MISSED: return L(p, "status.missed");
    case SVA_TARGET_NO_DATA: return L(p, "status.no data");
    case SVA_TARGET_NONE: break;
    }
    return L(p, "status.no target");
}

/* A 0-100 bar with the target as a tick. */
static void bar(pdf *p, double x, double y, double w, double h, bool has, double pct,
                sva_colour c, bool has_target, double target)
{
    rect(p, x, y, w, h, (rgb){0.90, 0.91, 0.93});
    if (has)
        rect(p, x, y, w * (pct < 0 ? 0 : pct > 100 ? 1 : pct / 100), h, colour_of(c));
    if (has_target) {
        double tx = x + w * (target < 0 ? 0 : target > 100 ? 1 : target / 100);
        set_rgb(p, INK);
        cairo_set_line_width(p->cr, 1.2);
        cairo_move_to(p->cr, tx, y - 2);
        cairo_line_to(p->cr, tx, y + h + 2);
        cairo_stroke(p->cr);
    }
}

static void audit_score(pdf *p, const sva_audit_report *r)
{
    char buf[512], pct[32];
    double top = p->y;
    if (r->scorable)
        snprintf(pct, sizeof pct, "%.1f %%", r->pct);
    else
        snprintf(pct, sizeof pct, "\u2013");
    double w = pill(p, MARGIN, top, 34, pct, 20, r->colour);
    double x = MARGIN + w + 12, tw = TEXT_W - w - 12;
    double y = top;
    style b = S_BODY;
    b.bold = true;
    if (r->has_target) {
        fmt(buf, sizeof buf, L(p, "report.vs_target"), r->metric, r->target,
            status_text(p, r->status));
        y += text(p, x, y, tw, buf, b, true);
        if (r->scorable) {
            char gap[96];
            fmt(gap, sizeof gap, L(p, "report.gap_line"), sva_round1(r->gap) >= 0 ? "+" : "",
                r->gap);
            y += text(p, x, y, tw, gap, S_BODY, true);
        }
    } else {
        y += text(p, x, y, tw, L(p, "report.no_target"), b, true);
    }
    fmt(buf, sizeof buf, L(p, "report.standards_line"), r->n_items, r->n_passed, r->n_failed,
        r->n_na);
    y += text(p, x, y, tw, buf, S_SMALL, true);
    p->y = (y > top + 34 ? y : top + 34) + 6;
    style red = S_BODY;
    red.bold = true;
    red.colour = colour_of(SVA_COLOUR_RED);
    if (!r->scorable)
        para(p, L(p, "report.no_score"), red);
    if (r->failed) {
        para(p, L(p, "report.failed"), red);
        if (r->zeroed)
            para(p, fmt(buf, sizeof buf, L(p, "report.zeroed"), r->raw_pct), S_BODY);
    }
    if (r->voided)
        para(p, fmt(buf, sizeof buf, L(p, "report.void"), r->void_reason), red);
}

static void audit_sections(pdf *p, const sva_audit_report *r)
{
    heading(p, L(p, "report.sections"));
    char pct[32], cnt[32];
    double tw = TEXT_W * 0.42, bw = TEXT_W * 0.38;
    for (size_t i = 0; i < r->n_sections; i++) {
        const sva_report_section *s = &r->sections[i];
        double h = text(p, 0, 0, tw, s->title, S_BODY, false);
        h = h > 10 ? h : 10;
        need(p, h + 2);
        text(p, MARGIN, p->y, tw, s->title, S_BODY, true);
        bar(p, MARGIN + tw + 6, p->y + 2, bw, 7, s->scorable, s->pct, s->colour, r->has_target,
            r->target);
        if (s->scorable)
            snprintf(pct, sizeof pct, "%.1f %%", s->pct);
        else
            snprintf(pct, sizeof pct, "%s", L(p, "value.na"));
        style st = S_BODY;
        st.align = RIGHT;
        st.bold = true;
        st.colour = s->scorable ? colour_of(s->colour) : GREY;
        text(p, MARGIN + tw + bw + 10, p->y, 50, pct, st, true);
        snprintf(cnt, sizeof cnt, "%ld/%ld", s->passed, s->answered);
        style sm = S_SMALL;
        sm.align = RIGHT;
        text(p, MARGIN + TEXT_W - 40, p->y + 1, 40, cnt, sm, true);
        p->y += h + 2;
    }
    p->y += 2;
}

/* An action under its failed item, on one line where it fits: its number, what
 * (unless it repeats the item), the owner, the due date, the status. */
static void action_line(pdf *p, const sva_report_todo *t, const char *item, double x, double w)
{
    char buf[1024], part[256];
    size_t n = (size_t)snprintf(buf, sizeof buf, "\u2192 ");
    fmt(part, sizeof part, L(p, "report.action_no"), t->id);
    n += (size_t)snprintf(buf + n, sizeof buf - (n < sizeof buf ? n : sizeof buf), "%s", part);
    const char *bits[4] = {*t->what && !strstr(t->what, item) ? t->what : "", t->owner,
                           *t->due ? fmt(part, sizeof part, L(p, "report.due"), t->due) : "",
                           t->status_text};
    for (int i = 0; i < 4 && n < sizeof buf; i++)
        if (*bits[i])
            n += (size_t)snprintf(buf + n, sizeof buf - n, " \u00b7 %s", bits[i]);
    if (t->overdue && n < sizeof buf)
        snprintf(buf + n, sizeof buf - n, ", %s", L(p, "report.overdue"));
    style st = S_SMALL;
    st.colour = t->overdue ? colour_of(SVA_COLOUR_RED) : BRAND;
    double h = text(p, 0, 0, w, buf, st, false);
    need(p, h);
    p->y += text(p, x, p->y, w, buf, st, true) + 1;
}

static void audit_findings(pdf *p, const sva_audit_report *r)
{
    heading(p, L(p, "report.improve"));
    if (!r->n_findings) {
        para(p, L(p, "report.improve.none"), S_SMALL);
        return;
    }
    char buf[1024];
    double x = MARGIN + 14, tw = TEXT_W - 14;
    style cross = {BODY, true, colour_of(SVA_COLOUR_RED), LEFT, false};
    for (size_t i = 0; i < r->n_findings; i++) {
        const sva_report_finding *f = &r->findings[i];
        if (f->critical)
            fmt(buf, sizeof buf, "%s  \u00b7  %s", L(p, "report.critical"), f->text);
        else
            snprintf(buf, sizeof buf, "%s", f->text);
        style head = S_BODY;
        head.bold = true;
        if (f->critical)
            head.colour = colour_of(SVA_COLOUR_RED);
        double h = text(p, 0, 0, tw, buf, head, false);
        need(p, h + 12);
        text(p, MARGIN, p->y, 12, "\u2717", cross, true);
        p->y += text(p, x, p->y, tw, buf, head, true);
        char line[512];
        fmt(line, sizeof line, "%s  \u00b7  %s: %s", f->section, L(p, "report.answer"),
            f->answer);
        p->y += text(p, x, p->y, tw, line, S_SMALL, true) + 1;
        if (*f->note) {
            fmt(buf, sizeof buf, "%s: %s", L(p, "report.note"), f->note);
            style it = S_BODY;
            it.colour = NOTE;
            double nh = text(p, 0, 0, tw, buf, it, false);
            need(p, nh);
            p->y += text(p, x, p->y, tw, buf, it, true) + 1;
        }
        if (*f->evidence) {
            fmt(buf, sizeof buf, "%s: %s", L(p, "report.evidence"), f->evidence);
            double eh = text(p, 0, 0, tw, buf, S_SMALL, false);
            need(p, eh);
            p->y += text(p, x, p->y, tw, buf, S_SMALL, true) + 1;
        }
        if (f->n_photos) {
            p->y += 2;
            photos(p, f, x);
        }
        for (size_t k = 0; k < f->n_actions; k++)
            action_line(p, f->actions[k], f->text, x, tw);
        p->y += 4;
    }
    if (!r->n_actions)
        para(p, L(p, "report.actions.none"), S_SMALL);
}

static const col TODO_COLS[] = {
    {"#", 0.06, LEFT}, {NULL, 0.50, LEFT}, {NULL, 0.18, LEFT}, {NULL, 0.12, LEFT},
    {NULL, 0.14, LEFT}};

/* The actions as a table; those listed under a failed item are left out. */
static void todos(pdf *p, const sva_report_todo *v, size_t n, const char *title,
                  const char *none)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++)
        shown += !v[i].on_finding;
    if (!shown && !none)
        return;
    heading(p, title);
    if (!shown) {
        para(p, none, S_SMALL);
        return;
    }
    col cols[5];
    memcpy(cols, TODO_COLS, sizeof cols);
    cols[1].head = L(p, "report.col.action");
    cols[2].head = L(p, "report.col.owner");
    cols[3].head = L(p, "report.col.due");
    cols[4].head = L(p, "report.col.status");
    table_begin(p, cols, 5);
    for (size_t i = 0, row = 0; i < n; i++) {
        const sva_report_todo *t = &v[i];
        if (t->on_finding)
            continue;
        char id[24], st[128];
        snprintf(id, sizeof id, "%lld", t->id);
        if (t->overdue)
            fmt(st, sizeof st, "%s, %s", t->status_text, L(p, "report.overdue"));
        else
            snprintf(st, sizeof st, "%s", t->status_text);
        cell c[5] = {CELL(id), CELL(*t->what ? t->what : t->about), CELL(t->owner), CELL(t->due),
                     CELL(st)};
        if (*t->what && !strstr(t->what, t->about))
            c[1].sub = t->about;
        if (t->overdue) {
            c[4].tint = SVA_COLOUR_RED;
            c[3].colour = colour_of(SVA_COLOUR_RED);
        }
        table_row(p, c, row++ % 2 == 1);
    }
    table_end(p);
}

/* The appeal route, in a shaded box: the question in bold, then the route. */
static void appeal(pdf *p, const char *s)
{
    style b = S_BODY;
    b.bold = true;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s %s", L(p, "report.appeal.title"), s);
    double h = text(p, 0, 0, TEXT_W - 16, buf, b, false);
    need(p, h + 14);
    p->y += 4;
    rect(p, MARGIN, p->y, TEXT_W, h + 8, SHADE);
    rect(p, MARGIN, p->y, 3, h + 8, BRAND);
    text(p, MARGIN + 10, p->y + 4, TEXT_W - 16, buf, b, true);
    p->y += h + 12;
}

static sva_error audit_pages(pdf *p, const sva_audit_report *r)
{
    char num[64], store[512], version[64];
    fmt(num, sizeof num, L(p, "report.audit_no"), r->id);
    snprintf(p->foot, sizeof p->foot, "svcaudit \u00b7 %s \u00b7 %s", num,
             privacy_text(p, r->privacy));
    snprintf(p->cont, sizeof p->cont, "%s \u00b7 %s \u00b7 %s", L(p, "report.title.audit"), num,
             r->title);
    title_band(p, L(p, "report.title.audit"), r->title, num);
    snprintf(store, sizeof store, "%s (%s)", r->store_name, r->store);
    snprintf(version, sizeof version, "%s v%ld", r->checklist, r->version);
    const char *pairs[] = {L(p, "report.label.store"),    store,
                           L(p, "report.label.region"),   r->region,
                           L(p, "report.label.date"),     r->date,
                           L(p, "report.label.cycle"),    r->cycle,
                           L(p, "report.label.employee"), r->employee,
                           L(p, "report.label.auditor"),  r->auditor,
                           L(p, "report.label.checklist"), version};
    facts(p, pairs, sizeof pairs / sizeof *pairs);
    audit_score(p, r);
    heading(p, L(p, "report.well"));
    points(p, r->went_well, r->n_went_well, L(p, "report.well.none"));
    audit_sections(p, r);
    audit_findings(p, r);
    todos(p, r->actions, r->n_actions, L(p, "report.actions"), NULL);
    appeal(p, r->appeal);
    return SVA_OK;
}

/* ---- the employee report --------------------------------------------------------------------- */

/* The employee's figure per cycle (a line with markers), the store's (dashed)
 * and the target (a red tick per cycle), on a fixed 0-100 axis. */
static void trend_chart(pdf *p, const sva_employee_report *r)
{
    double h = 120, x0 = MARGIN + 26, w = TEXT_W - 26 - 110, y0;
    need(p, h + 24);
    y0 = p->y + 4;
    style ax = S_SMALL;
    ax.align = RIGHT;
    for (int v = 0; v <= 100; v += 25) {
        double y = y0 + h - h * v / 100.0;
        hline(p, x0, y, w, RULE, v ? 0.3 : 0.8);
        char lbl[8];
        snprintf(lbl, sizeof lbl, "%d", v);
        text(p, MARGIN, y - 4, 22, lbl, ax, true);
    }
    size_t n = r->n_trend;
    double step = n > 1 ? w / (double)(n - 1) : 0;
#define XAT(i) (n > 1 ? x0 + step * (double)(i) : x0 + w / 2)
#define YAT(v) (y0 + h - h * ((v) < 0 ? 0 : (v) > 100 ? 100 : (v)) / 100.0)
    style lbl = S_SMALL;
    lbl.align = CENTRE;
    for (size_t i = 0; i < n; i++)
        text(p, XAT(i) - 30, y0 + h + 3, 60, r->trend[i].cycle, lbl, true);
    cairo_t *cr = p->cr;
    /* the target */
    set_rgb(p, colour_of(SVA_COLOUR_RED));
    cairo_set_line_width(cr, 1.2);
    for (size_t i = 0; i < n; i++)
        if (r->trend[i].has_target) {
            cairo_move_to(cr, XAT(i) - 8, YAT(r->trend[i].target));
            cairo_line_to(cr, XAT(i) + 8, YAT(r->trend[i].target));
            cairo_stroke(cr);
        }
    /* the store, dashed */
    static const double dash[] = {3, 2};
    set_rgb(p, GREY);
    cairo_set_dash(cr, dash, 2, 0);
    bool on = false;
    for (size_t i = 0; i < n; i++) {
        if (!r->trend[i].has_store) {
            on = false;
            continue;
        }
        if (on)
            cairo_line_to(cr, XAT(i), YAT(r->trend[i].store_pct));
        else
            cairo_move_to(cr, XAT(i), YAT(r->trend[i].store_pct));
        on = true;
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    /* the employee, with markers and values */
    set_rgb(p, BRAND);
    cairo_set_line_width(cr, 1.8);
    on = false;
    for (size_t i = 0; i < n; i++) {
        if (!r->trend[i].has_pct) {
            on = false;
            continue;
        }
        if (on)
            cairo_line_to(cr, XAT(i), YAT(r->trend[i].pct));
        else
            cairo_move_to(cr, XAT(i), YAT(r->trend[i].pct));
        on = true;
    }
    cairo_stroke(cr);
    style val = S_SMALL;
    val.colour = BRAND;
    val.bold = true;
    val.align = CENTRE;
    for (size_t i = 0; i < n; i++)
        if (r->trend[i].has_pct) {
            set_rgb(p, BRAND);
            cairo_arc(cr, XAT(i), YAT(r->trend[i].pct), 2.6, 0, 2 * G_PI);
            cairo_fill(cr);
            char v[16];
            snprintf(v, sizeof v, "%.1f", r->trend[i].pct);
            text(p, XAT(i) - 20, YAT(r->trend[i].pct) - 12, 40, v, val, true);
        }
#undef XAT
#undef YAT
    /* the legend */
    double lx = x0 + w + 14, ly = y0 + 10;
    char store[128];
    fmt(store, sizeof store, L(p, "report.chart.store"), r->metric);
    const char *names[] = {L(p, "report.chart.employee"), store, L(p, "report.chart.target")};
    rgb cols[] = {BRAND, GREY, colour_of(SVA_COLOUR_RED)};
    for (int i = 0; i < 3; i++) {
        if (i == 1 && !*r->metric)
            continue;
        rect(p, lx, ly + 3, 10, 3, cols[i]);
        text(p, lx + 14, ly, 90, names[i], S_SMALL, true);
        ly += 13;
    }
    p->y = y0 + h + 16;
}

static sva_error employee_pages(pdf *p, const sva_employee_report *r)
{
    char store[512], window[128];
    snprintf(p->foot, sizeof p->foot, "svcaudit \u00b7 %s \u00b7 %s", r->employee,
             privacy_text(p, r->privacy));
    snprintf(p->cont, sizeof p->cont, "%s \u00b7 %s", L(p, "report.title.employee"),
             r->employee);
    const char *first = r->n_trend ? r->trend[0].cycle : "";
    const char *last = r->n_trend ? r->trend[r->n_trend - 1].cycle : "";
    fmt(window, sizeof window, L(p, "report.window"), first, last);
    title_band(p, L(p, "report.title.employee"), r->employee, window);
    snprintf(store, sizeof store, "%s (%s)", r->store_name, r->store);
    const char *pairs[] = {L(p, "report.label.store"), store, L(p, "report.label.region"),
                           r->region, L(p, "report.label.role"), r->role};
    facts(p, pairs, sizeof pairs / sizeof *pairs);
    heading(p, L(p, "report.well"));
    points(p, r->went_well, r->n_went_well, L(p, "report.well.none"));
    heading(p, L(p, "report.trend"));
    trend_chart(p, r);
    col cols[] = {{L(p, "report.col.cycle"), 0.16, LEFT},
                  {L(p, "report.col.audits"), 0.12, RIGHT},
                  {L(p, "report.col.score"), 0.14, RIGHT},
                  {L(p, "report.col.rank"), 0.26, LEFT},
                  {NULL, 0.16, RIGHT},
                  {L(p, "report.col.target"), 0.16, RIGHT}};
    char store_col[96];
    cols[4].head = fmt(store_col, sizeof store_col, L(p, "report.chart.store"), r->metric);
    table_begin(p, cols, 6);
    for (size_t i = 0; i < r->n_trend; i++) {
        const sva_report_cycle *t = &r->trend[i];
        char n[24], pct[32] = "", rank[128] = "", sp[32] = "", tg[32] = "";
        snprintf(n, sizeof n, "%ld", t->n);
        if (t->has_pct)
            snprintf(pct, sizeof pct, "%.1f %%", t->pct);
        if (t->rated && t->best_in_store)
            fmt(rank, sizeof rank, L(p, "report.rank_best"), t->rank);
        else if (t->rated)
            fmt(rank, sizeof rank, L(p, "report.rank"), t->rank);
        else if (t->n)
            fmt(rank, sizeof rank, L(p, "report.not_rated"), r->min_audits);
        if (t->has_store)
            snprintf(sp, sizeof sp, "%.1f %%", t->store_pct);
        if (t->has_target)
            snprintf(tg, sizeof tg, "%.1f %%", t->target);
        cell c[6] = {CELL(t->cycle), CELL(n), CELL(pct), CELL(rank), CELL(sp), CELL(tg)};
        c[2].bold = true;
        if (t->best_in_store)
            c[3].tint = SVA_COLOUR_GREEN;
        table_row(p, c, i % 2 == 1);
    }
    table_end(p);
    heading(p, L(p, "report.coaching"));
    if (!r->n_coaching) {
        para(p, L(p, "report.coaching.none"), S_SMALL);
    } else {
        col cc[] = {{L(p, "report.col.standard"), 0.66, LEFT},
                    {L(p, "report.col.missed"), 0.16, RIGHT},
                    {L(p, "report.col.compliance"), 0.18, RIGHT}};
        table_begin(p, cc, 3);
        for (size_t i = 0; i < r->n_coaching; i++) {
            const sva_report_coaching *x = &r->coaching[i];
            char m[64], pct[32];
            fmt(m, sizeof m, L(p, "report.missed_of"), x->failed, x->answered);
            snprintf(pct, sizeof pct, "%.1f %%", x->pct);
            cell c[3] = {CELL(x->text), CELL(m), CELL(pct)};
            c[0].sub = x->section;
            table_row(p, c, i % 2 == 1);
        }
        table_end(p);
    }
    heading(p, L(p, "report.audits"));
    if (!r->n_audits) {
        para(p, L(p, "report.audits.none"), S_SMALL);
        return SVA_OK;
    }
    col ac[] = {{"#", 0.08, LEFT},
                {L(p, "report.col.date"), 0.16, LEFT},
                {L(p, "report.col.checklist"), 0.42, LEFT},
                {L(p, "report.label.auditor"), 0.20, LEFT},
                {L(p, "report.col.score"), 0.14, RIGHT}};
    table_begin(p, ac, 5);
    for (size_t i = 0; i < r->n_audits; i++) {
        const sva_report_audit_line *a = &r->audits[i];
        char id[24], pct[64] = "";
        snprintf(id, sizeof id, "%lld", a->id);
        if (a->scorable)
            snprintf(pct, sizeof pct, "%.1f %%", a->pct);
        cell c[5] = {CELL(id), CELL(a->date), CELL(a->title), CELL(a->auditor), CELL(pct)};
        if (a->failed) {
            c[4].sub = L(p, "value.failed");
            c[4].tint = SVA_COLOUR_RED;
        }
        table_row(p, c, i % 2 == 1);
    }
    table_end(p);
    return SVA_OK;
}

/* ---- the store report ------------------------------------------------------------------------ */

static sva_error store_pages(pdf *p, const sva_store_report *r)
{
    char title[512], period[128];
    snprintf(title, sizeof title, "%s (%s)", r->store_name, r->store);
    snprintf(p->foot, sizeof p->foot, "svcaudit \u00b7 %s \u00b7 %s \u00b7 %s", r->store, r->cycle,
             privacy_text(p, r->privacy));
    snprintf(p->cont, sizeof p->cont, "%s \u00b7 %s \u00b7 %s", L(p, "report.title.store"), title,
             r->cycle);
    title_band(p, L(p, "report.title.store"), title, r->cycle);
    snprintf(period, sizeof period, "%s \u2013 %s (%s)", r->from, r->to,
             sva_tr_name(p->lang, "state", sva_cycle_state_name(r->state)));
    const char *pairs[] = {L(p, "report.label.region"), r->region, L(p, "report.label.cycle"),
                           period};
    facts(p, pairs, sizeof pairs / sizeof *pairs);
    heading(p, L(p, "report.well"));
    points(p, r->went_well, r->n_went_well, L(p, "report.well.none"));
    heading(p, L(p, "report.figures"));
    if (!r->n_figures) {
        para(p, L(p, "report.figures.none"), S_SMALL);
    } else {
        col fc[] = {{L(p, "report.col.metric"), 0.24, LEFT},
                    {L(p, "report.col.actual"), 0.11, RIGHT},
                    {L(p, "report.col.target"), 0.11, RIGHT},
                    {L(p, "report.col.gap"), 0.09, RIGHT},
                    {L(p, "report.col.status"), 0.13, LEFT},
                    {L(p, "report.col.change"), 0.11, RIGHT},
                    {L(p, "report.col.audits"), 0.09, RIGHT},
                    {L(p, "report.col.survey"), 0.12, RIGHT}};
        table_begin(p, fc, 8);
        for (size_t i = 0; i < r->n_figures; i++) {
            const sva_report_figure *f = &r->figures[i];
            const sva_status_row *s = f->row;
            char act[32] = "", tg[32] = "", gap[32] = "", ch[48] = "", n[24], sv[48] = "";
            if (s->has_actual)
                snprintf(act, sizeof act, "%.1f %%", s->actual);
            if (s->has_target)
                snprintf(tg, sizeof tg, "%.1f %%", s->target);
            if (s->has_actual && s->has_target)
                snprintf(gap, sizeof gap, "%+.1f", s->gap);
            if (f->has_change)
                snprintf(ch, sizeof ch, "%s %+.1f",
                         sva_round1(f->change) > 0   ? "\u25b2"
                         : sva_round1(f->change) < 0 ? "\u25bc"
                                                     : "\u25cf",
                         f->change);
            snprintf(n, sizeof n, "%ld", s->n);
            if (s->has_survey)
                snprintf(sv, sizeof sv, "%.1f (%ld)", s->survey, s->respondents);
            cell c[8] = {CELL(f->name), CELL(act), CELL(tg),  CELL(gap),
                         CELL(status_text(p, s->status)), CELL(ch), CELL(n), CELL(sv)};
            c[1].bold = true;
            c[4].tint = s->colour;
            if (f->has_change && sva_round1(f->change) != 0)
                c[5].colour = colour_of(f->change > 0 ? SVA_COLOUR_GREEN : SVA_COLOUR_RED);
            table_row(p, c, false);
        }
        table_end(p);
        if (*r->previous) {
            char buf[128];
            para(p, fmt(buf, sizeof buf, L(p, "report.change_since"), r->previous), S_SMALL);
        }
    }
    heading(p, L(p, "report.weakest"));
    if (!r->n_weakest) {
        para(p, L(p, "report.weakest.none"), S_SMALL);
    } else {
        col wc[] = {{L(p, "report.col.standard"), 0.64, LEFT},
                    {L(p, "report.col.missed"), 0.16, RIGHT},
                    {L(p, "report.col.compliance"), 0.20, RIGHT}};
        table_begin(p, wc, 3);
        for (size_t i = 0; i < r->n_weakest; i++) {
            const sva_report_weak *x = &r->weakest[i];
            char m[64], pct[32], sub[512];
            fmt(m, sizeof m, L(p, "report.missed_of"), x->failed, x->answered);
            snprintf(pct, sizeof pct, "%.1f %%", x->pct);
            snprintf(sub, sizeof sub, "%s \u00b7 %s%s%s", x->title, x->section,
                     x->repeat ? "  \u00b7  " : "", x->repeat ? L(p, "report.escalate") : "");
            cell c[3] = {CELL(x->text), CELL(m), CELL(pct)};
            c[0].sub = sub;
            c[2].tint = x->colour;
            if (x->repeat)
                c[0].colour = colour_of(SVA_COLOUR_RED);
            table_row(p, c, i % 2 == 1);
        }
        table_end(p);
    }
    todos(p, r->actions, r->n_actions, L(p, "report.open_actions"),
          L(p, "report.open_actions.none"));
    heading(p, L(p, "report.audits"));
    if (!r->n_audits) {
        para(p, L(p, "report.audits.none"), S_SMALL);
        return SVA_OK;
    }
    bool people = r->privacy != SVA_PRIVACY_NONE;
    col ac[] = {{"#", 0.07, LEFT},
                {L(p, "report.col.date"), 0.14, LEFT},
                {L(p, "report.col.checklist"), people ? 0.37 : 0.55, LEFT},
                {L(p, "report.label.employee"), 0.18, LEFT},
                {L(p, "report.col.score"), 0.12, RIGHT},
                {L(p, "report.label.auditor"), 0.12, LEFT}};
    if (!people) { /* no employee column */
        ac[3] = ac[4];
        ac[4] = ac[5];
    }
    int nc = people ? 6 : 5;
    table_begin(p, ac, nc);
    for (size_t i = 0; i < r->n_audits; i++) {
        const sva_report_audit_line *a = &r->audits[i];
        char id[24], pct[32] = "";
        snprintf(id, sizeof id, "%lld", a->id);
        if (a->scorable)
            snprintf(pct, sizeof pct, "%.1f %%", a->pct);
        cell c[6] = {CELL(id),  CELL(a->date), CELL(a->title), CELL(a->employee),
                     CELL(pct), CELL(a->auditor)};
        if (a->failed) {
            c[4].sub = L(p, "value.failed");
            c[4].tint = SVA_COLOUR_RED;
        }
        if (!people) {
            c[3] = c[4];
            c[4] = c[5];
        }
        table_row(p, c, i % 2 == 1);
    }
    table_end(p);
    return SVA_OK;
}

/* ---- writing files --------------------------------------------------------------------------- */

typedef enum kind { K_AUDIT, K_EMPLOYEE, K_STORE } kind;

/* Render one report into @p tmp (to replace @p path later). */
static sva_error render(kind k, const void *model, const char *path, const char *tmp,
                        sva_diag *d)
{
    pdf p;
    const char *lang = k == K_AUDIT      ? ((const sva_audit_report *)model)->lang
                       : k == K_EMPLOYEE ? ((const sva_employee_report *)model)->lang
                                         : ((const sva_store_report *)model)->lang;
    char title[256];
    if (k == K_AUDIT)
        fmt(title, sizeof title, sva_tr(lang, "report.audit_no"),
            ((const sva_audit_report *)model)->id);
    else if (k == K_EMPLOYEE)
        snprintf(title, sizeof title, "%s: %s", sva_tr(lang, "report.title.employee"),
                 ((const sva_employee_report *)model)->employee);
    else
        snprintf(title, sizeof title, "%s: %s %s", sva_tr(lang, "report.title.store"),
                 ((const sva_store_report *)model)->store,
                 ((const sva_store_report *)model)->cycle);
    sva_error rc = doc_open(&p, lang, title, path, tmp, d);
    if (!rc)
        rc = k == K_AUDIT      ? audit_pages(&p, model)
             : k == K_EMPLOYEE ? employee_pages(&p, model)
                               : store_pages(&p, model);
    sva_error cr = doc_close(&p, rc == SVA_OK, path, tmp, d);
    return rc ? rc : cr;
}

static sva_error write_one(kind k, const void *model, const char *path, sva_diag *d)
{
    char *tmp = sva_replace_begin(path, "");
    if (!tmp) {
        sva_diag_add(d, NULL, 0, "out of memory");
        return SVA_ERR_NOMEM;
    }
    sva_error rc = render(k, model, path, tmp, d);
    if (!rc)
        rc = sva_replace_commit(tmp, path, d);
    free(tmp);
    return rc;
}

static sva_error pdf_audit(const sva_audit_report *r, const char *path, sva_diag *d)
{
    return write_one(K_AUDIT, r, path, d);
}

static sva_error pdf_employee(const sva_employee_report *r, const char *path, sva_diag *d)
{
    return write_one(K_EMPLOYEE, r, path, d);
}

static sva_error pdf_store(const sva_store_report *r, const char *path, sva_diag *d)
{
    return write_one(K_STORE, r, path, d);
}

static sva_error pdf_audits(sva_reports *ctx, const char *cycle, const char *store,
                         const char *dir, size_t *written, sva_diag *d)
{
    if (written)
        *written = 0;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        sva_diag_add(d, NULL, 0, "no folder '%s' to write the reports in", dir);
        return SVA_ERR_IO;
    }
    long long *ids = NULL;
    size_t n = 0;
    sva_error rc = sva_reports_audit_ids(ctx, cycle, store, &ids, &n, d);
    if (rc)
        return rc;
    char **paths = calloc(n ? n : 1, sizeof *paths), **tmps = calloc(n ? n : 1, sizeof *tmps);
    size_t done = 0;
    if (!paths || !tmps)
        rc = SVA_ERR_NOMEM;
    size_t dl = strlen(dir);
    bool slash = dl && dir[dl - 1] == '/';
    for (size_t i = 0; i < n && !rc; i++) {
        sva_audit_report *r = NULL;
        if (!(paths[i] = sva_asprintf("%s%saudit-%lld.pdf", dir, slash ? "" : "/", ids[i])) ||
            !(tmps[i] = sva_replace_begin(paths[i], ""))) {
            rc = SVA_ERR_NOMEM;
            break;
        }
        if (!(rc = sva_reports_audit(ctx, ids[i], &r, d)) &&
            !(rc = render(K_AUDIT, r, paths[i], tmps[i], d)))
            done = i + 1;
        sva_audit_report_free(r);
    }
    /* all rendered: put them in place; else take every temporary file away */
    for (size_t i = 0; i < done; i++) {
        if (rc)
            unlink(tmps[i]);
        else
            rc = sva_replace_commit(tmps[i], paths[i], d); /* removes its own on failure */
    }
    if (rc == SVA_ERR_NOMEM)
        sva_diag_add(d, NULL, 0, "out of memory");
    if (written)
        *written = rc ? 0 : n;
    for (size_t i = 0; i < n && paths && tmps; i++) {
        free(paths[i]);
        free(tmps[i]);
    }
    free(paths);
    free(tmps);
    free(ids);
    return rc;
}

const sva_pdf_ops sva_pdf_module = {
    SVA_VERSION, SVA_PDF_SIZES, pdf_audit, pdf_employee, pdf_store, pdf_audits,
};

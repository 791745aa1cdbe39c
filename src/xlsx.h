/* svcaudit: the cell layer under the workbook's sheets (internal). Sheets
 * write cells, column widths, tables and charts through it; xlsx.c is the
 * only file that includes <xlsxwriter.h>. A book opened with
 * xl_book_recorder() keeps the cells in memory instead of writing a file, so
 * a sheet's cells are tested without libxlsxwriter or a file. Every call
 * after the first failure does nothing; xl_book_error() says what failed. */
#ifndef SVA_XLSX_H
#define SVA_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svcaudit/analysis.h"
#include "svcaudit/error.h"

typedef uint32_t xl_row;
typedef uint16_t xl_col;

/** Excel's rows per sheet. */
#define XL_MAX_ROWS 1048576u

/** The cell styles of the workbook. */
typedef enum xl_style {
    XS_GENERAL,   /**< no format: General */
    XS_TITLE,     /**< the sheet title */
    XS_SUB,       /**< a subtitle line */
    XS_HDR,       /**< a table header cell */
    XS_BOLD,
    XS_TEXT,      /**< text ("@") */
    XS_WRAP,      /**< text, wrapped */
    XS_NUM,       /**< a whole number */
    XS_PCT,       /**< a percentage: given on 0-100, stored as a fraction with a
                       one-decimal % format (85.1 -> 0.851, shown 85.1%) */
    XS_DELTA,     /**< a change in points, one decimal, an up arrow in green or a down
                       arrow in red (by the sign of the figure as shown) */
    XS_PCT_GREEN, XS_PCT_AMBER, XS_PCT_RED, XS_PCT_GREY,
    XS_ST_GREEN, XS_ST_AMBER, XS_ST_RED, XS_ST_GREY, /**< a status word */
    XS_HL_GREEN, XS_HL_AMBER, XS_HL_RED,             /**< highlighted text */
    XS_P,         /**< a p-value: three decimals, "< 0.001" below */
    XS_DEC1,      /**< a number with one decimal (a standard deviation) */
    XS_NUM_RED,   /**< a whole number in red (a count that needs attention) */
    XS_DATE,      /**< a date (yyyy-mm-dd) */
    XS_LINK,      /**< a hyperlink */
    XS_DELTA_UP, XS_DELTA_DOWN, /**< XS_DELTA picks these by the sign it shows */
    XS_N
} xl_style;

/** @brief A percentage in the colour @p c (XS_PCT for none). */
xl_style xs_pct(sva_colour c);
/** @brief A status word in the colour @p c (XS_TEXT for none). */
xl_style xs_status(sva_colour c);
/** @brief Highlighted text in @p c (green, amber, red; else XS_TEXT). */
xl_style xs_hl(sva_colour c);
/** @brief The name of a style, for tests and dumps ("pct_green"). */
const char *xs_name(xl_style s);

typedef struct xl_book xl_book;
typedef struct xl_sheet xl_sheet;

/** @brief A workbook written to @p path (temporary files in @p tmpdir);
 *  messages name @p shown (the file the user asked for). NULL after a
 *  message when it cannot be created. */
xl_book *xl_book_new(const char *path, const char *tmpdir, const char *shown, sva_diag *d);
/** @brief A book that records cells in memory (tests). */
xl_book *xl_book_recorder(void);
/** @brief Document properties (title, subject, comments). */
void xl_book_props(xl_book *b, const char *title, const char *subject, const char *comments);
/** @brief The first failure (SVA_OK if none); its message is in the diag. */
sva_error xl_book_error(const xl_book *b);
/** @brief Record a failure of the caller's (out of memory, a database error
 *  while streaming) so later writes stop. */
void xl_book_fail(xl_book *b, sva_error e);
/** @brief Write the file (if any) and free the book. @return the first failure. */
sva_error xl_book_close(xl_book *b);

/** @brief A new sheet; NULL after a failure. */
xl_sheet *xl_sheet_add(xl_book *b, const char *name);
/** @brief The sheet's name (for chart ranges and links). */
const char *xl_sheet_name(const xl_sheet *s);

/** Text is always written as text (never a formula, whatever it starts
 *  with), cut with a visible mark at Excel's cell limit, control characters
 *  dropped; NULL or "" writes nothing. */
void xl_str(xl_sheet *s, xl_row r, xl_col c, const char *text, xl_style st);
void xl_num(xl_sheet *s, xl_row r, xl_col c, double v, xl_style st);
/** @brief A date cell from "YYYY-MM-DD" (written as text when it is not one). */
void xl_date(xl_sheet *s, xl_row r, xl_col c, const char *iso);
/** @brief A link showing @p text: to a place in the workbook ("'Audits'!A5")
 *  when @p internal, else to a file (an absolute path). Excel takes at most
 *  65,530 links a sheet; past that the text is written without the link. */
void xl_link(xl_sheet *s, xl_row r, xl_col c, const char *target, bool internal,
             const char *text);
/** @brief The height of row @p r in points (rows with wrapped text). */
void xl_row_height(xl_sheet *s, xl_row r, double points);
/** @brief The height in points a row needs to show @p text whole, wrapped in
 *  a column @p width characters wide (a CJK character counts two; Excel and
 *  LibreOffice do not fit rows to wrapped text when they open a file). */
double xl_fit_height(const char *text, double width);

/** @brief Header cells @p names[0..n) in row @p r, and column widths when given. */
void xl_header(xl_sheet *s, xl_row r, const char *const *names, const double *widths, int n);
void xl_width(xl_sheet *s, xl_col first, xl_col last, double width);
void xl_freeze(xl_sheet *s, xl_row r, xl_col c);
/** @brief Frozen header, a filter over the table, print set-up (landscape A4,
 *  fit to width, the header row repeated). */
void xl_table(xl_sheet *s, xl_row hdr, xl_row last, int ncols);
/** @brief Print set-up alone: landscape A4, rows @p repeat repeated, fit to
 *  @p pages_wide pages across (1 for most sheets; wide ones take more so the
 *  print stays readable). */
void xl_print(xl_sheet *s, xl_row repeat);
void xl_print_wide(xl_sheet *s, xl_row repeat, int pages_wide);
/** No row repeated on every printed page. */
#define XL_NO_REPEAT ((xl_row)-1)

/** A chart series: values (and categories) are ranges of a sheet. */
typedef struct xl_series {
    const char *name;            /**< a fixed name, or NULL ... */
    bool markers_only;           /**< a line chart's series drawn as markers, no line */
    bool line_only;              /**< a line chart's series drawn as a dashed line, no
                                      markers (a target) */
    bool name_cell;              /**< ... the cell (name_row, name_col) */
    xl_row name_row;
    xl_col name_col;
    xl_row cat_first, cat_last;  /**< categories: (cat_first..cat_last, cat_col) or a row */
    xl_col cat_col, cat_col_last;
    xl_row val_first, val_last;
    xl_col val_col, val_col_last;
} xl_series;

typedef enum xl_chart_kind { XC_COLUMN, XC_LINE, XC_RADAR } xl_chart_kind;

typedef struct xl_chart {
    xl_chart_kind kind;
    const char *title;
    const char *sheet;           /**< the sheet the ranges are on */
    bool y_fixed;                /**< y axis from y_min to y_max */
    bool y_percent;              /**< values are fractions: the axis shows 0% .. 100% */
    double y_min, y_max;
    xl_row at_row;               /**< where the chart goes */
    xl_col at_col;
    double x_scale, y_scale;
    int x_offset, y_offset;
} xl_chart;

/** @brief Insert a chart of @p n series on @p s. */
void xl_chart_insert(xl_sheet *s, const xl_chart *ch, const xl_series *series, size_t n);

/* ---- the recorder (tests) ----------------------------------------------------------------- */

/** One recorded cell. */
typedef struct xl_cell {
    const char *sheet;
    xl_row r;
    xl_col c;
    bool is_num;
    double num;
    const char *text;
    xl_style st;
    const char *link;            /**< the link's target, NULL for none */
} xl_cell;

/** @brief The cell of a recorder book at (sheet, r, c); NULL if none was written. */
const xl_cell *xl_recorded(const xl_book *b, const char *sheet, xl_row r, xl_col c);
/** @brief How many cells a recorder book holds on @p sheet (NULL: all). */
size_t xl_recorded_count(const xl_book *b, const char *sheet);
/** @brief The names of the sheets added, in order, and how many charts each has. */
size_t xl_recorded_sheets(const xl_book *b, const char **names, size_t max);
size_t xl_recorded_charts(const xl_book *b, const char *sheet);

#endif

#!/usr/bin/python3
"""svcaudit golden outputs: a workbook as text, cell by cell.

usage: dump_xlsx.py BOOK.xlsx OUTDIR

One file per sheet (OUTDIR/NN-<sheet name>.txt), one line per non-empty row:
the row number, then for each cell "COL=TYPE:VALUE" with the number format
(when not General) and the fill colour (when filled) appended, tab-separated.
Times of day that change on every run ("Generated: YYYY-MM-DD HH:MM") are
written as <time>. Also OUTDIR/00-book.txt: the sheet names, frozen panes,
autofilters, merged cells and print set-up of each sheet, and each chart's
plot types, titles and series ranges.
"""
import os
import re
import sys
import zipfile

import openpyxl

TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?")


def norm(v):
    if isinstance(v, str):
        return TIME.sub("<time>", v).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if isinstance(v, float):
        return repr(v)
    return str(v)


def main():
    book, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    wb = openpyxl.load_workbook(book)
    meta = []
    for k, ws in enumerate(wb.worksheets, 1):
        meta.append("sheet %d %s: dims %s freeze %s filter %s merged %s landscape %s fit %s/%s"
                    " print_rows %s" % (
                        k, ws.title, ws.dimensions, ws.freeze_panes, ws.auto_filter.ref,
                        sorted(str(r) for r in ws.merged_cells.ranges),
                        ws.page_setup.orientation, ws.page_setup.fitToWidth,
                        ws.page_setup.fitToHeight, ws.print_title_rows))
        safe = re.sub(r"[^A-Za-z0-9]+", "_", ws.title)
        with open(os.path.join(out, "%02d-%s.txt" % (k, safe)), "w", encoding="utf-8") as f:
            for row in ws.iter_rows():
                cells = []
                for c in row:
                    if c.value is None:
                        continue
                    s = "%s=%s:%s" % (c.column_letter, c.data_type, norm(c.value))
                    if c.number_format != "General":
                        s += " @" + c.number_format
                    fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None
                    if fill and isinstance(fill, str) and fill != "00000000":
                        s += " #" + fill
                    if c.hyperlink is not None:
                        s += " ->" + (c.hyperlink.target or c.hyperlink.location or "")
                    cells.append(s)
                if cells:
                    f.write("%d\t%s\n" % (row[0].row, "\t".join(cells)))
    # charts (openpyxl does not read them back): per chart part, its plot
    # types, titles and the ranges its series draw
    with zipfile.ZipFile(book) as z:
        names = sorted((n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        for n in names:
            x = z.read(n).decode("utf-8")
            kinds = re.findall(r"<c:(\w+Chart)>", x)
            texts = re.findall(r"<a:t>([^<]*)</a:t>", x)
            refs = re.findall(r"<c:f>([^<]*)</c:f>", x)
            meta.append("%s: %s titles %s ranges %s" % (n, kinds, texts, refs))
    with open(os.path.join(out, "00-book.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(meta) + "\n")


if __name__ == "__main__":
    main()

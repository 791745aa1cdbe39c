#!/bin/sh
# svcaudit e2e: the PDF reports (`svcaudit report`), through the real binary.
# A database made with the CLI: stores and employees of tests/fixtures/export,
# two cycles, SSI targets, sales mystery shops filled from templates (one with
# failed items, an English and a Chinese note, and evidence naming a JPEG, a
# PNG and a missing file; one with the critical greeting failed), 5W1H actions
# opened from the first. Each report is read back with pdftotext and compared
# with what the CLI says (`audit show`, `checklist show`) or the values put in
# here; pdfimages and the raw file show the pictures embedded; pdftoppm renders
# a page to check it is not blank. Then privacy modes, Chinese, the batch, and
# bad input: one line on stderr, exit 3 (2 for usage), nothing left behind,
# the database unchanged.
. "$ROOT/tests/e2e/lib.sh"
SVCAUDIT_TODAY=2026-11-28
export SVCAUDIT_TODAY

# rec SHEET: record a filled sales_mystery_shop sheet; the new id in $AID
rec() {
    run "$SVA" record sales_mystery_shop --answers "$1"
    expect_rc 0 "record $1"
    AID=$(printf '%s\n' "$OUT" | sed -n 's/^audit \([0-9][0-9]*\) recorded.*/\1/p')
    [ -n "$AID" ] || { fail "record $1: no audit id in '$OUT'"; AID=0; }
}
# text PDF: its text in PDF.txt, and with every space and line break taken out
# in PDF.flat (a text wrapped across lines, Chinese too, is found in one piece)
text() {
    pdftotext -enc UTF-8 "$1" "$1.txt" || fail "pdftotext $1"
    tr -d ' \n\f\t' < "$1.txt" > "$1.flat"
}
# has PDF STRING [WHY]: the report's text holds STRING (spaces ignored)
has() {
    want=$(printf '%s' "$2" | tr -d ' \n\t')
    grep -qF -- "$want" "$1.flat" || fail "$1 lacks '$2' ${3:-}"
}
lacks() {
    want=$(printf '%s' "$2" | tr -d ' \n\t')
    grep -qF -- "$want" "$1.flat" && fail "$1 has '$2' ${3:-}"
    true
}
# item ID [--lang L]: an item's text as `checklist show` gives it
item() {
    id=$1
    shift
    "$SVA" checklist show sales_mystery_shop --format json "$@" |
        "$PY" -c 'import json, sys
d = json.load(sys.stdin)
print([i["text"] for s in d["sections"] for i in s["items"] if i["id"] == sys.argv[1]][0])' "$id"
}
# not_blank PDF: page 1 rendered by pdftoppm has ink on it
not_blank() {
    pdftoppm -r 40 -gray -f 1 -l 1 -singlefile "$1" page || { fail "pdftoppm $1"; return; }
    "$PY" - page.pgm <<'EOF' || fail "page 1 of $1 is blank"
import sys
data = open(sys.argv[1], 'rb').read()
# P5, width, height, maxval, then the pixels
parts = data.split(b'\n', 3)
pix = parts[3]
dark = sum(1 for b in pix if b < 128)
sys.exit(0 if dark > len(pix) // 100 else 1)
EOF
}
snapshot() { db_dump | md5sum; }

# ---- the database -------------------------------------------------------------------
export_org
for c in "2026-10 2026-10-01 2026-10-31" "2026-11 2026-11-01 2026-11-30"; do
    set -- $c
    run "$SVA" cycle open "$1" --from "$2" --to "$3"
    expect_rc 0 "cycle open $1"
done
run "$SVA" target set --cycle 2026-11 --metric ssi --value 85
expect_rc 0 "target network"
run "$SVA" target set --cycle 2026-11 --store SH-001 --metric ssi --value 90
expect_rc 0 "target SH-001"
run "$SVA" checklist template sales_mystery_shop -o sms.ini
expect_rc 0 "template"
mkdir -p pics/photos
cp "$FIX/report/photo.jpg" pics/photos/car.jpg
cp "$FIX/report/photo.png" pics/photos/desk.png

ZH_NOTE="顾客等候超过五分钟，无人接待饮品。"
fill sms.ini o1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-10 \
    -H date=2026-10-08 -H auditor="Zhang Min" --rest-yesno yes needs.budget=no
rec o1.ini
fill sms.ini n1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-03 -H auditor="Zhang Min" --rest-yesno yes \
    facility.display_cars=no "facility.display_cars:note=Wang Fang left fingerprints on the glass" \
    "facility.display_cars:evidence=photos/car.jpg, photos/desk.png photos/gone.jpg" \
    greeting.drink=no "greeting.drink:note=$ZH_NOTE" offer.finance=no
rec n1.ini
A1=$AID
fill sms.ini n2.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-17 -H auditor="Li Na" --rest-yesno yes greeting.within_60s=no \
    "greeting.within_60s:note=waited 4 min at the door"
rec n2.ini
A2=$AID
fill sms.ini n3.ini -H store=SH-002 -H employee=SH-002-E01 -H cycle=2026-11 \
    -H date=2026-11-06 -H auditor="Li Na" --rest-yesno yes
rec n3.ini
A3=$AID
run "$SVA" action add --from-audit "$A1" --set who="Wang Fang" --set when=2026-11-20 \
    --set where=showroom --set how="daily check list" --by "Li Na"
expect_rc 0 "actions from audit $A1"
expect_out "3 actions opened" "one action per failed item"
BEFORE=$(snapshot)

# ---- one audit ----------------------------------------------------------------------------
run "$SVA" report audit "$A1" -o a1.pdf --photos pics --employees full
expect_rc 0 "report audit"
expect_out "report written: a1.pdf"
text a1.pdf
SCORE=$("$SVA" audit show "$A1" --format json |
    "$PY" -c 'import json, sys; print("%.1f" % json.load(sys.stdin)["score"])')
has a1.pdf "Sunrise Shanghai (SH-001)" "(the store)"
has a1.pdf "Li Ming (SH-001-E01)" "(the employee, full)"
has a1.pdf "2026-11-03"
has a1.pdf "Zhang Min"
has a1.pdf "$SCORE %" "(the score of audit show)"
has a1.pdf "Target (SSI): 90.0 %" "(the store's own target)"
has a1.pdf "What went well"
for it in facility.display_cars greeting.drink offer.finance; do
    has a1.pdf "$(item $it)" "(failed item $it)"
done
has a1.pdf "Wang Fang left fingerprints on the glass" "(the note)"
has a1.pdf "$ZH_NOTE" "(the Chinese note, extracted)"
has a1.pdf "photos/car.jpg" "(the JPEG's name under its picture)"
has a1.pdf "Picture photos/gone.jpg: file not found" "(the missing file named)"
# each failed item's action under it: owner, due, overdue on the 28th
[ "$(grep -o 'Wang Fang · due 2026-11-20 · open, overdue' a1.pdf.txt | wc -l)" -eq 3 ] ||
    fail "a1.pdf: want the three actions under their items: $(grep -n 'Action' a1.pdf.txt)"
has a1.pdf "within 7 days, quoting audit $A1" "(the appeal route)"
lacks a1.pdf "FAILED" "(no critical item failed)"
# the pictures: one JPEG embedded as it is (DCT), the PNG as an image
pdfimages -list a1.pdf > img.txt || fail "pdfimages"
encs=$(awk 'NR > 2 { print $9 }' img.txt | sort | tr '\n' ' ')
[ "$encs" = "image jpeg " ] || fail "a1.pdf: want a JPEG and a decoded PNG: $(cat img.txt)"
grep -aq '/Subtype /Image' a1.pdf || fail "a1.pdf has no image XObject"
grep -aq '/DCTDecode' a1.pdf || fail "a1.pdf: the JPEG is not embedded as DCT"
not_blank a1.pdf
# the critical failure says so, first among the failed items
run "$SVA" report audit "$A2" -o a2.pdf
expect_rc 0 "report audit $A2"
text a2.pdf
has a2.pdf "FAILED: a critical standard was not met."
has a2.pdf "CRITICAL · $(item greeting.within_60s)"
has a2.pdf "No action has been opened on these findings yet."

# ---- Chinese ------------------------------------------------------------------------------
run "$SVA" report audit "$A1" -o zh.pdf --lang zh --photos pics --employees full
expect_rc 0 "report audit --lang zh"
text zh.pdf
has zh.pdf "审核报告" "(the title)"
has zh.pdf "销售流程神秘顾客检查" "(the checklist's title_zh)"
has zh.pdf "做得好的方面"
has zh.pdf "需要改进的方面"
has zh.pdf "$(item facility.display_cars --lang zh)" "(item text_zh)"
has zh.pdf "$ZH_NOTE"
has zh.pdf "图片photos/gone.jpg：找不到文件"
has zh.pdf "请在7天内联系区域办公室，并注明审核编号$A1。"
lacks zh.pdf "What went well" "(an English label left)"
lacks zh.pdf "Auditor's note"
not_blank zh.pdf

# ---- privacy --------------------------------------------------------------------------------
PSEUD=$("$PY" -c 'import hashlib; print("P-" + hashlib.sha256(b"t:SH-001-E01").hexdigest()[:8])')
PW=$("$PY" -c 'import hashlib; print("P-" + hashlib.sha256(b"t:SH-001-E02").hexdigest()[:8])')
run "$SVA" report audit "$A1" -o p.pdf --employees pseudonymous --salt t
expect_rc 0 "pseudonymous"
text p.pdf
has p.pdf "$PSEUD" "(the employee's pseudonym)"
has p.pdf "$PW left fingerprints" "(Wang Fang scrubbed from the note)"
lacks p.pdf "Li Ming"
lacks p.pdf "Wang Fang"
lacks p.pdf "SH-001-E01"
# the default is pseudonymous (as for the workbook): the database's own salt
run "$SVA" report audit "$A1" -o d.pdf
expect_rc 0 "no --employees"
text d.pdf
has d.pdf "P-" "(a pseudonym by default)"
lacks d.pdf "Li Ming" "(no name by default)"
lacks d.pdf "Wang Fang" "(no name by default)"
run "$SVA" report audit "$A1" -o n.pdf --employees none
expect_rc 0 "none"
text n.pdf
has n.pdf "[employee] left fingerprints"
lacks n.pdf "Li Ming"
lacks n.pdf "Wang Fang"
lacks n.pdf "SH-001-E01"
lacks n.pdf "P-" "(no pseudonym either)"
lacks n.pdf "Employee" "(no employee line)"

# ---- an employee, a store ----------------------------------------------------------------
run "$SVA" report employee SH-001-E01 -o e.pdf --cycles 2 --employees full
expect_rc 0 "report employee"
text e.pdf
has e.pdf "Employee report"
has e.pdf "Li Ming (SH-001-E01)"
has e.pdf "cycles 2026-10 to 2026-11"
has e.pdf "Coaching points"
has e.pdf "$(item facility.display_cars)" "(a coaching point)"
has e.pdf "2026-11-17" "(an audit)"
not_blank e.pdf
run "$SVA" report employee SH-001-E01 -o e.pdf --employees none
expect_rc 2 "employee report with --employees none"
expect_err "not with --employees none"
run "$SVA" report store SH-001 --cycle 2026-11 -o s.pdf --employees full
expect_rc 0 "report store"
text s.pdf
has s.pdf "Store report"
has s.pdf "Sunrise Shanghai (SH-001)"
has s.pdf "Figures against targets"
has s.pdf "90.0 %" "(SH-001's SSI target)"
has s.pdf "Weakest standards"
has s.pdf "$(item greeting.within_60s)" "(a weak standard)"
has s.pdf "Open actions"
has s.pdf "Wang Fang"
not_blank s.pdf
run "$SVA" report store SH-001 --cycle 2026-11 -o szh.pdf --lang zh
expect_rc 0 "report store --lang zh"
text szh.pdf
has szh.pdf "门店报告"
has szh.pdf "指标与目标对比"

# ---- a batch ------------------------------------------------------------------------------
mkdir out
run "$SVA" report audits --cycle 2026-11 -o out/ --photos pics --employees full
expect_rc 0 "report audits"
expect_out "3 reports written to out/"
want=$("$SVA" audit list --cycle 2026-11 --format csv | sed 1d | cut -d, -f1 |
    sed 's/.*/audit-&.pdf/' | sort | tr '\n' ' ')
got=$(ls out | sort | tr '\n' ' ')
[ "$got" = "$want" ] || fail "report audits wrote '$got', want '$want'"
text "out/audit-$A3.pdf"
has "out/audit-$A3.pdf" "陈静怡" "(SH-002's employee)"
mkdir one
run "$SVA" report audits --cycle 2026-11 --store SH-002 -o one
expect_rc 0 "report audits --store"
[ "$(ls one)" = "audit-$A3.pdf" ] || fail "report audits --store SH-002 wrote: $(ls one)"

# ---- bad input: one line, exit 3 (2 for usage), nothing left, the database unchanged -------
listing() { ls | grep -v '^files\.'; }
listing > files.before
bad() { # bad RC WHAT ARGS...: one stderr line, the status, no new file
    rc=$1 what=$2
    shift 2
    run "$SVA" report "$@"
    expect_rc "$rc" "$what"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "$what: want one line on stderr: $ERR"
    listing > files.after
    cmp -s files.before files.after || fail "$what left files: $(diff files.before files.after)"
}
bad 3 "unknown audit" audit 999 -o x.pdf
expect_err "svcaudit: no audit 999"
bad 3 "unwritable -o" audit "$A1" -o no/such/dir/x.pdf
expect_err "cannot write 'no/such/dir/x.pdf'"
bad 3 "no such batch folder" audits --cycle 2026-11 -o nowhere/
expect_err "no folder 'nowhere/'"
[ -e nowhere ] && fail "the batch made its folder"
bad 3 "unknown cycle" audits --cycle 2030-01 -o out
expect_err "unknown cycle '2030-01'"
bad 3 "unknown store" audits --cycle 2026-11 --store NOPE -o out
expect_err "unknown store 'NOPE'"
bad 3 "unknown employee" employee NOPE -o x.pdf
# a slip of an id gets the one meant, as everywhere else
bad 3 "misspelt employee" employee SH-001-E1 -o x.pdf
expect_err "unknown employee 'SH-001-E1' (did you mean 'SH-001-E01'?)"
bad 3 "misspelt store" store SH-01 --cycle 2026-11 -o x.pdf
expect_err "unknown store 'SH-01' (did you mean 'SH-001'?)"
bad 3 "store report: unknown cycle" store SH-001 --cycle 2030-01 -o x.pdf
bad 2 "not a .pdf" audit "$A1" -o x.txt
expect_err "must end in .pdf"
bad 2 "unknown language" audit "$A1" -o x.pdf --lang fr
expect_err "no language 'fr' (available: en, zh)"
bad 2 "no audit number" audit abc -o x.pdf
bad 2 "store report without --cycle" store SH-001 -o x.pdf
# a file in the way of the batch: the other reports are not left behind either
mkdir blocked
mkdir "blocked/audit-$A2.pdf"
run "$SVA" report audits --cycle 2026-11 -o blocked
expect_rc 3 "a folder in the way"
[ -e "blocked/audit-$A3.pdf" ] && fail "the batch left a report behind after a failure"
ls blocked | grep -q tmp && fail "the batch left a temporary file: $(ls blocked)"
# the renderer is a module (svcaudit-pdf.so) the binary opens on the first report,
# from its own folder, else the installed one: a binary without it, or with a
# module that is not svcaudit's, says so in one line and writes nothing
if [ -e "$(dirname "$(readlink -f "$ROOT/svcaudit")")/svcaudit-pdf.so" ] &&
   ! ls /usr/local/lib/svcaudit/svcaudit-pdf.so >/dev/null 2>&1; then
    mkdir lone
    cp "$ROOT/svcaudit" lone/svcaudit
    # (on PostgreSQL the copied binary needs the store's module beside it)
    on_pg && cp "$(dirname "$(readlink -f "$ROOT/svcaudit")")/svcaudit-pg.so" lone/
    run lone/svcaudit report audit "$A1" -o lone.pdf
    expect_rc 3 "no PDF module"
    expect_err "the PDF renderer svcaudit-pdf.so is not installed"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "no module: want one line: $ERR"
    [ -e lone.pdf ] && fail "a report was written without the renderer"
    printf 'not a library\n' > lone/svcaudit-pdf.so
    run lone/svcaudit report audit "$A1" -o lone.pdf
    expect_rc 3 "a module that is not a library"
    expect_err "lone/svcaudit-pdf.so: cannot load the PDF renderer"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "bad module: want one line: $ERR"
    z=$(ldd "$ROOT/svcaudit" | sed -n 's/.*libz.so[^ ]* => \([^ ]*\).*/\1/p')
    cp "$z" lone/svcaudit-pdf.so
    run lone/svcaudit report audit "$A1" -o lone.pdf
    expect_rc 3 "another library as the module"
    expect_err "from another build of svcaudit"
    [ -e lone.pdf ] && fail "a report was written with a foreign module"
    cp "$(dirname "$(readlink -f "$ROOT/svcaudit")")/svcaudit-pdf.so" lone/
    run lone/svcaudit report audit "$A1" -o lone.pdf
    expect_rc 0 "the module next to a copied binary"
    [ -s lone.pdf ] || fail "no report with the module next to the binary"
    rm -rf lone lone.pdf
else
    echo "skipped: the module lookup (an installed svcaudit-pdf.so would be found)"
fi
# the other commands do not load cairo or pango at all
ldd "$ROOT/svcaudit" | grep -q -e cairo -e pango && fail "svcaudit links cairo or pango itself"
# reads never write
[ "$(snapshot)" = "$BEFORE" ] || fail "the report commands changed the database"
done_testing

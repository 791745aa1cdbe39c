#!/bin/sh
# svcaudit e2e: `svcaudit export` on bad input and failing writes, through the
# real binary: every bad flag exits 2 and every unknown cycle, region or
# database 3, with a message naming it, nothing created and the database
# unchanged; the workbook is written beside the target and renamed into place,
# so a failure (unknown cycle, a folder that does not exist, a rename that
# fails, a write that fails half-way) leaves the previous workbook
# byte-identical and no temporary file behind. The figures themselves are
# proved in test_export.sh. Also: a cycle without audits exports.
. "$ROOT/tests/e2e/lib.sh"
dump() { sqlite3 svcaudit.db .dump; }
SVCAUDIT_TODAY=2026-11-28
export SVCAUDIT_TODAY
# no_tmp LABEL: no temporary workbook is left anywhere under this folder
no_tmp() {
    left=$(find . -name '*.tmp-*' -o -name '.svcaudit-tmp-*')
    [ -z "$left" ] || fail "$1: temporary files left: $left"
}
# files: the folder's files, but for the ones these helpers write
files() { ls -A | grep -v -x -e before.dump -e after.dump -e out.txt -e err.txt; }
# refused RC LABEL ARGS...: `export ARGS` exits RC with a message on stderr (naming
# $NEEDLE if set), nothing on stdout, no new file, the database unchanged
refused() {
    want=$1
    label=$2
    shift 2
    dump > before.dump
    BEFORE=$(files)
    run "$SVA" export "$@"
    expect_rc "$want" "$label"
    [ -n "$ERR" ] || fail "$label: no message on stderr"
    [ -z "${NEEDLE:-}" ] || expect_err "$NEEDLE" "$label"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ "$(files)" = "$BEFORE" ] || fail "$label: the folder changed: $(files | tr '\n' ' ')"
    no_tmp "$label"
    NEEDLE=
}

# ---- a small database: one cycle, eight audits -------------------------------------
export_org
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open"
run "$SVA" checklist template sales_mystery_shop -o sales.ini
expect_rc 0 "template"
day=10
for emp in SH-001-E01 SH-001-E02 SH-002-E01 SH-002-E02 BJ-001-E01 BJ-001-E02 BJ-002-E01 \
    SH-001-E01; do
    store=${emp%-E0?}
    fill sales.ini "a$day.ini" -H store="$store" -H employee="$emp" -H cycle=2026-11 \
        -H date="2026-11-$day" -H auditor="Zhang Min" --rest-yesno yes greeting.drink=no
    run "$SVA" record sales_mystery_shop --answers "a$day.ini"
    expect_rc 0 "record a$day.ini"
    day=$((day + 1))
done
rm -f ./*.ini
ANSWERS=$(sqlite3 svcaudit.db "SELECT count(*) FROM answer")
[ "$ANSWERS" -eq 352 ] || fail "the database has $ANSWERS answers, not 8 x 44"

# ---- bad flags: exit 2 ----------------------------------------------------------------
NEEDLE="--cycle" refused 2 "no --cycle" -o wb.xlsx
NEEDLE="-o" refused 2 "no -o" --cycle 2026-11
NEEDLE="export" refused 2 "neither" --data
NEEDLE=".xlsx" refused 2 "-o wb.xls" --cycle 2026-11 -o wb.xls
NEEDLE=".xlsx" refused 2 "-o wb.xlsx.txt" --cycle 2026-11 -o wb.xlsx.txt
NEEDLE=".xlsx" refused 2 "-o wb (no extension)" --cycle 2026-11 -o wb
NEEDLE=".xlsx" refused 2 "-o .xlsx (no name)" --cycle 2026-11 -o .xlsx
NEEDLE="bogus" refused 2 "--employees bogus" --cycle 2026-11 -o wb.xlsx --employees bogus
NEEDLE="--employees" refused 2 "--employees ''" --cycle 2026-11 -o wb.xlsx --employees ""
NEEDLE="--min-audits" refused 2 "--min-audits 0" --cycle 2026-11 -o wb.xlsx --min-audits 0
NEEDLE="--min-audits" refused 2 "--min-audits -1" --cycle 2026-11 -o wb.xlsx --min-audits -1
NEEDLE="--min-audits" refused 2 "--min-audits two" --cycle 2026-11 -o wb.xlsx --min-audits two
NEEDLE="--trend-cycles" refused 2 "--trend-cycles 0" --cycle 2026-11 -o wb.xlsx \
    --trend-cycles 0
NEEDLE="extra" refused 2 "a stray argument" --cycle 2026-11 -o wb.xlsx extra
NEEDLE="--bogus" refused 2 "an unknown option" --cycle 2026-11 -o wb.xlsx --bogus

# ---- unknown things: exit 3, nothing created --------------------------------------------
NEEDLE="2099-01" refused 3 "unknown cycle" --cycle 2099-01 -o wb.xlsx
NEEDLE="Atlantis" refused 3 "unknown region" --cycle 2026-11 -o wb.xlsx --region Atlantis
NEEDLE="nothere.db" refused 3 "no database" --db nothere.db --cycle 2026-11 -o wb.xlsx
[ -e nothere.db ] && fail "export created the database nothere.db"

# ---- a cycle without audits is no error: a complete workbook, an empty Data sheet ----
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle open 2026-12"
run "$SVA" export --cycle 2026-12 -o empty.xlsx --data
expect_rc 0 "export of a cycle without audits"
"$PY" "$ROOT/tests/e2e/export_check.py" openable empty.xlsx --data-rows 0 ||
    fail "the workbook of a cycle without audits is not complete"
rm -f empty.xlsx

# ---- the first workbook, then failures over it ---------------------------------------------
run "$SVA" export --cycle 2026-11 -o wb.xlsx --data
expect_rc 0 "export wb.xlsx"
expect_out "workbook written: wb.xlsx" "export wb.xlsx"
"$PY" "$ROOT/tests/e2e/export_check.py" openable wb.xlsx --data-rows "$ANSWERS" ||
    fail "the first workbook is not complete"
no_tmp "a successful export"
# export --help names every sheet the workbook has (it once left out Repeats
# and Auditors)
run "$SVA" export --help
HELP=$(printf '%s\n' "$OUT" | tr -s ' \n' '  ')
"$PY" -c 'import re, sys, zipfile
print("\n".join(re.findall(r"<sheet name=\"([^\"]*)\"", zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode())))' \
    wb.xlsx > sheets.txt
[ "$(wc -l < sheets.txt)" -ge 10 ] || fail "wb.xlsx: only $(wc -l < sheets.txt) sheets read"
while read -r sheet; do
    case $HELP in *"$sheet"*) ;; *) fail "export --help does not name the sheet '$sheet'" ;; esac
done < sheets.txt
rm -f sheets.txt
cp wb.xlsx old.xlsx
# over_old RC LABEL ARGS...: refused like above, and wb.xlsx is still the old workbook
over_old() {
    refused "$@"
    cmp -s wb.xlsx old.xlsx || fail "$2: the previous workbook changed"
}
NEEDLE="2099-01" over_old 3 "unknown cycle over a workbook" --cycle 2099-01 -o wb.xlsx --data
NEEDLE="Atlantis" over_old 3 "unknown region over a workbook" --cycle 2026-11 -o wb.xlsx \
    --region Atlantis
NEEDLE="bogus" over_old 2 "a bad flag over a workbook" --cycle 2026-11 -o wb.xlsx \
    --employees bogus

# a folder that does not exist: exit 3 naming the file, no folder and no file made
NEEDLE="nodir/wb.xlsx" refused 3 "a folder that does not exist" --cycle 2026-11 \
    -o nodir/wb.xlsx
[ -e nodir ] && fail "export created the folder nodir"
NEEDLE="nodir/sub/wb.xlsx" refused 3 "two folders that do not exist" --cycle 2026-11 \
    -o nodir/sub/wb.xlsx

# the rename fails: the target is a folder (the temporary file is written beside it
# and must go again)
mkdir dir.xlsx
: > dir.xlsx/keep
NEEDLE="dir.xlsx" refused 3 "the target is a folder" --cycle 2026-11 -o dir.xlsx --data
[ -d dir.xlsx ] && [ "$(ls -A dir.xlsx)" = keep ] || fail "the folder dir.xlsx changed"

# A write that fails half-way: a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored so
# that write() fails with EFBIG instead of the process being killed) below the size
# of the Data sheet and above what opening the database needs. Either the export
# fails (exit 3, the previous workbook byte-identical, nothing left behind) or, if
# it says it succeeded, the workbook it put in place must be complete.
# BUG: it says "workbook written" (exit 0) and puts a truncated workbook in place of
# the good one: libxlsxwriter's constant_memory temporary sheet files are cut at the
# limit without an error reaching sva_export_workbook, the (smaller) zip is written
# and renamed over wb.xlsx; sheet XML ends mid-row, openpyxl cannot read it.
limited() {
    "$PY" -c 'import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
os.execv(sys.argv[2], sys.argv[2:])' "$@"
}
BIG=$("$PY" -c 'import sys, zipfile; print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' wb.xlsx)
LIMIT=131072
[ "$BIG" -gt $((LIMIT + 16384)) ] || fail "the Data sheet ($BIG bytes) is too small for the test"
dump > before.dump
run limited "$LIMIT" "$SVA" export --cycle 2026-11 -o wb.xlsx --data
if [ "$RC" -eq 0 ]; then
    "$PY" "$ROOT/tests/e2e/export_check.py" openable wb.xlsx --data-rows "$ANSWERS" > lim.out 2>&1 ||
        fail "a write failed half-way (file size limit $LIMIT), yet export said '$OUT' (exit 0) and put an incomplete workbook in place of the old one: $(grep FAIL lim.out | head -3)"
else
    expect_rc 3 "a write failed half-way"
    [ -n "$ERR" ] || fail "a write failed half-way: no message"
    cmp -s wb.xlsx old.xlsx || fail "a write failed half-way: the previous workbook changed"
fi
no_tmp "a write failed half-way"
dump > after.dump
cmp -s before.dump after.dump || fail "a write failed half-way: the database changed"
# the same export without the limit works and replaces the workbook
run "$SVA" export --cycle 2026-11 -o wb.xlsx --data
expect_rc 0 "export again"
"$PY" "$ROOT/tests/e2e/export_check.py" openable wb.xlsx --data-rows "$ANSWERS" ||
    fail "the workbook written after the failures is not complete"
no_tmp "export again"

# ---- what killed exports left is cleared by the next export ----------------------------------
# A SIGKILLed export leaves its NAME.tmp-HOST-PID.xlsx and libxlsxwriter's folder
# .svcaudit-tmp-HOST-PID; the next export into that folder on the same machine removes
# those whose process is gone, whatever their target (README), and nothing else: not a
# live export's, not another machine's (a shared folder: its PIDs mean nothing here),
# not a name where no pid ends the mark.
H=$(uname -n)
sh -c 'exit 0' & dead=$!
wait "$dead"
sleep 30 & live=$!
printf 'partial' > "wb.xlsx.tmp-$H-$dead.xlsx"
printf 'partial' > "other.xlsx.tmp-$H-$dead.xlsx"
mkdir ".svcaudit-tmp-$H-$dead" ".svcaudit-tmp-$H-$live" ".svcaudit-tmp-elsewhere-$dead" \
    ".svcaudit-tmp-$H-${dead}x"
printf 'partial' > ".svcaudit-tmp-$H-$dead/tmp.a"
printf 'partial' > "wb.xlsx.tmp-$H-$live.xlsx"
printf 'partial' > "wb.xlsx.tmp-elsewhere-$dead.xlsx"
printf 'keep' > "wb.xlsx.tmp-$H- $dead.xlsx"
printf 'keep' > "wb.xlsx.tmp-$H-${dead}x.xlsx"
printf 'keep' > "wb.xlsx.tmp-$H-.xlsx"
printf 'keep' > "notes.tmp-$H-$dead.txt"         # a user's, not a name svcaudit makes
printf 'keep' > "wb.xlsx.tmp-$H-$dead.xlsx.keep"
run "$SVA" export --cycle 2026-11 -o wb.xlsx
expect_rc 0 "export beside a killed export's file"
[ -e "wb.xlsx.tmp-$H-$dead.xlsx" ] && fail "a dead export's wb.xlsx.tmp-$H-$dead.xlsx is still there"
[ -e "other.xlsx.tmp-$H-$dead.xlsx" ] && fail "a dead export's other.xlsx.tmp-$H-$dead.xlsx is still there"
[ -e ".svcaudit-tmp-$H-$dead" ] && fail "a dead export's folder .svcaudit-tmp-$H-$dead is still there"
[ -e ".svcaudit-tmp-$H-$live" ] || fail "a live export's (pid $live) temporary folder was removed"
[ -e ".svcaudit-tmp-elsewhere-$dead" ] || fail "another machine's temporary folder was removed"
[ -e ".svcaudit-tmp-$H-${dead}x" ] || fail "a folder with no pid at the end of its name was removed"
[ -e "wb.xlsx.tmp-$H-$live.xlsx" ] || fail "a live export's (pid $live) temporary file was removed"
[ -e "wb.xlsx.tmp-elsewhere-$dead.xlsx" ] || fail "another machine's temporary file was removed"
[ -e "wb.xlsx.tmp-$H- $dead.xlsx" ] || fail "a file with a space before the pid was removed"
[ -e "wb.xlsx.tmp-$H-${dead}x.xlsx" ] || fail "a file with a letter after the pid was removed"
[ -e "wb.xlsx.tmp-$H-.xlsx" ] || fail "a file without a pid was removed"
[ -e "notes.tmp-$H-$dead.txt" ] || fail "a user's notes.tmp-$H-$dead.txt was removed"
[ -e "wb.xlsx.tmp-$H-$dead.xlsx.keep" ] || fail "a user's wb.xlsx.tmp-$H-$dead.xlsx.keep was removed"
kill "$live" 2>/dev/null
wait "$live" 2>/dev/null
rm -rf wb.xlsx.tmp-* other.xlsx.tmp-* notes.tmp-* .svcaudit-tmp-*

# ---- many stores: the Dashboard's charts show the 10 worst and the 10 best --------------
# 25 stores, 6S audits at seven of them (two pairs with equal gaps, against the
# target of 75), none at the others: past 20 stores a by-store chart would be a
# comb, so its data block holds the store table's first 10 (worst gap) and last
# 10; the table itself keeps every store, worst gap first (equal gaps by id),
# those without a gap last by id.
# (test_export.sh proves every figure; this is the cut, against `cycle status`.)
M="--db many.db"
run "$SVA" $M init
expect_rc 0 "init many.db"
"$PY" -c 'import sys
print("id,name,region")
for i in range(25, 0, -1):
    print("M-%02d,Store %d,%s" % (i, i, "R%d" % (i % 3)))' > many.csv
run "$SVA" $M store import many.csv
expect_rc 0 "store import many.csv"
run "$SVA" $M cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open (many)"
printf '[nov]\ncycle = 2026-11\n6s = 75\n' > many.ini
run "$SVA" $M target import many.ini
expect_rc 0 "target import (many)"
run "$SVA" checklist template 6s_store -o six.ini
expect_rc 0 "template 6s_store"
for spec in "M-03 0" "M-07 4" "M-11 2" "M-12 1" "M-19 3" "M-20 2" "M-24 4"; do
    set -- $spec
    fill six.ini "m-$1.ini" -H store="$1" -H cycle=2026-11 -H date=2026-11-10 \
        -H auditor="Wu Gang" --rest-num "$2" --rest-yesno yes
    run "$SVA" $M record 6s_store --answers "m-$1.ini"
    expect_rc 0 "record 6s_store at $1"
done
run "$SVA" $M export --cycle 2026-11 -o many.xlsx
expect_rc 0 "export of 25 stores"
"$SVA" $M cycle status 2026-11 --format json > many-status.json ||
    fail "cycle status (many): exit $?"
"$PY" "$ROOT/tests/e2e/export_check.py" chart-cut many.xlsx many-status.json 10 ||
    fail "the Dashboard of 25 stores does not chart the 10 worst and the 10 best"

# ---- a disk that fills up half-way: one line, the reason, nothing left ---------------------
# A file size limit (ulimit -f, SIGXFSZ ignored) makes the write fail with EFBIG, as
# a full disk fails with ENOSPC. libxlsxwriter prints its own "[ERROR] ..." lines on
# stderr; svcaudit catches them and says why in its one line.
cp old.xlsx before.xlsx
(trap '' XFSZ; ulimit -f 100; "$SVA" export --cycle 2026-11 -o old.xlsx --data) \
    > out.txt 2> err.txt
RC=$?
ERR=$(cat err.txt)
expect_rc 3 "export onto a full disk"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "a full disk: $(wc -l < err.txt) lines on stderr: $ERR"
expect_err "^svcaudit: old.xlsx: " "a full disk"
grep -q "ERROR" err.txt && fail "a full disk: libxlsxwriter's own lines reach stderr: $ERR"
cmp -s old.xlsx before.xlsx || fail "a full disk: the previous old.xlsx changed"
rm -f before.xlsx
no_tmp "a full disk"

done_testing

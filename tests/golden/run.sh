#!/bin/sh
# svcaudit golden outputs: the demo database (scripts/demo.sh, deterministic
# data from tools/gen_demo) read back through every listing and reporting
# command in JSON and CSV (and some tables), and the workbooks of two cycles
# in the three privacy modes dumped cell by cell (dump_xlsx.py). The result is
# compared with tests/golden/out/; a difference fails and is shown.
#
# usage: tests/golden/run.sh            compare (make check runs this)
#        tests/golden/run.sh --update   rewrite tests/golden/out/ (commit it
#                                       with a message that says why it changed)
#        tests/golden/run.sh --db URL   the same on another store: the demo is
#                                       built in URL (a PostgreSQL URL naming a
#                                       fresh schema) and every output must be
#                                       the same file as on SQLite; the URL is
#                                       shown as the SQLite file's name
#
# Normalised, because they change on every run: times of recording
# (YYYY-MM-DDTHH:MM:SSZ), audit and action UUIDs, the source folder.
set -u
cd "$(dirname "$0")/../.." || exit 3
ROOT=$(pwd)
SVA="${SVA_BIN:-$ROOT/svcaudit}"
GEN_DEMO="${GEN_DEMO:-$ROOT/build/tools/gen_demo}"
PY=/usr/bin/python3
update=false
db=""
case "${1:-}" in
--update) update=true ;;
--db) db=${2:?--db URL} ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-golden.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
out="$work/out"
mkdir -p "$out"

export SVCAUDIT_CHECKLISTS="$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-28
unset SVCAUDIT_DB
DB="$work/demo/svcaudit.db"

# the database's name as the SQLite file's (a literal replacement: URLs hold ? and &)
as_file() {
    if [ -n "$db" ]; then
        awk -v from="$db" -v to="$DB" '{
            out = ""
            while ((i = index($0, from)) > 0) {
                out = out substr($0, 1, i - 1) to
                $0 = substr($0, i + length(from))
            }
            print out $0 }'
    else
        cat
    fi
}
norm() {
    as_file | sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g' \
        -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' \
        -e "s#$ROOT#<root>#g" -e "s#$work#<work>#g"
}

# g NAME ARGS...: run svcaudit on the demo database; stdout to out/NAME, and
# when it exits non-zero or writes to stderr, both to out/NAME.stderr
g() {
    name=$1
    shift
    "$SVA" --db "${db:-$DB}" "$@" > "$work/stdout" 2> "$work/stderr"
    rc=$?
    norm < "$work/stdout" > "$out/$name"
    if [ "$rc" -ne 0 ] || [ -s "$work/stderr" ]; then
        { echo "exit $rc"; norm < "$work/stderr"; } > "$out/$name.stderr"
    fi
}

# The demo itself (its own output is golden too).
SVCAUDIT_DEMO_DIR="$work/demo" SVCAUDIT_DEMO_DB="${db:-$DB}" SVA_BIN="$SVA" GEN_DEMO="$GEN_DEMO" \
    sh scripts/demo.sh \
    > "$work/demo.out" 2>&1 || { cat "$work/demo.out"; echo "golden: the demo failed"; exit 1; }
norm < "$work/demo.out" > "$out/demo.txt"

cycles="2026-09 2026-10 2026-11"
for f in json csv; do
    g checklist-list.$f checklist list --format $f
    g store-list.$f store list --format $f
    g employee-list.$f employee list --format $f
    g employee-list-TJ-001.$f employee list --store TJ-001 --format $f
    g cycle-list.$f cycle list --format $f
    g audit-list.$f audit list --format $f
    g audit-list-all.$f audit list --all --format $f
    g audit-list-east-6s.$f audit list --region East --checklist 6s_store --format $f
    g action-list.$f action list --format $f
    g action-list-overdue.$f action list --overdue --format $f
    g auditors.$f auditors --format $f
    g log.$f log --format $f
    g log-2026-10.$f log --cycle 2026-10 --format $f
    for c in $cycles; do
        g cycle-status-$c.$f cycle status $c --format $f
        g target-list-$c.$f target list --cycle $c --format $f
        g repeats-$c.$f repeats --cycle $c --format $f
        g repeats-all-$c.$f repeats --cycle $c --all --format $f
        g auditors-$c.$f auditors --cycle $c --format $f
        g trend-items-$c.$f trend items --cycle $c --format $f
        g trend-items-all-$c.$f trend items --cycle $c --all --format $f
        g trend-items-east-$c.$f trend items --cycle $c --region East --format $f
    done
    g cycle-status-2026-11-east.$f cycle status 2026-11 --region East --format $f
    for m in ssi csi 6s phone_handling; do
        g trend-$m.$f trend --metric $m --format $f
        g trend-$m-north.$f trend --metric $m --region North --format $f
        g trend-$m-TJ-001.$f trend --metric $m --store TJ-001 --format $f
    done
    g trend-6s-FS-001-2026-10.$f trend --metric 6s --store FS-001 --cycle 2026-10 --cycles 2 \
        --format $f
done
for c in $cycles; do
    g cycle-status-$c.txt cycle status $c
done
g trend-6s-TJ-001.txt trend --metric 6s --store TJ-001
for id in $("$SVA" --db "${db:-$DB}" checklist list --format csv | awk -F, 'NR > 1 { print $1 }'); do
    g checklist-show-$id.json checklist show "$id" --format json
done
for a in 1 2 17 77 150 228; do
    g audit-show-$a.json audit show $a --format json
done
for a in $("$SVA" --db "${db:-$DB}" action list --format csv | awk -F, 'NR > 1 { print $1 }'); do
    g action-show-$a.json action show "$a" --format json
done

# The workbooks: two cycles, three privacy modes; one with the Data sheet,
# one region, one in Chinese.
book() {
    bk=$1
    shift
    g "export-$bk.stdout" export -o "$work/$bk.xlsx" --salt golden "$@"
    if [ -f "$work/$bk.xlsx" ]; then
        "$PY" "$ROOT/tests/golden/dump_xlsx.py" "$work/$bk.xlsx" "$out/xlsx-$bk" ||
            echo "dump failed" > "$out/xlsx-$bk.failed"
    else
        echo "no workbook" > "$out/xlsx-$bk.failed"
    fi
}
for c in 2026-10 2026-11; do
    for m in full pseudonymous none; do
        book "$c-$m" --cycle $c --employees $m
    done
done
book 2026-11-full-data --cycle 2026-11 --data
book 2026-11-east --cycle 2026-11 --region East --employees pseudonymous
book 2026-11-zh --cycle 2026-11 --lang zh

if $update; then
    rm -rf tests/golden/out
    cp -r "$out" tests/golden/out
    echo "golden: tests/golden/out rewritten ($(find tests/golden/out -type f | wc -l) files)"
    exit 0
fi
if diff -r -u tests/golden/out "$out" > "$work/diff"; then
    echo "golden: $(find "$out" -type f | wc -l) outputs identical"
    exit 0
fi
echo "golden: outputs differ from tests/golden/out (first 80 lines of the diff):"
head -n 80 "$work/diff"
echo "golden: $(grep -c '^[-+][^-+]' "$work/diff") lines differ; if the change is meant," \
     "run tests/golden/run.sh --update and say why in the commit"
exit 1

#!/bin/sh
# svcaudit e2e: several processes on one database at once (SPEC "Reliability
# promises": WAL, BEGIN IMMEDIATE for writes, a busy timeout for a second
# writer). Started together behind a barrier, each for a fixed number of
# operations:
#   3 writers      40 `record` each (distinct auditors, three checklists)
#   1 importer     20 `employee import` of 2000 rows, alternating two versions
#                  of the names so every round writes
#   1 merger       6 `merge` of a laptop with 30 audits (the first adds them)
#   1 reader       25 rounds of `cycle status`, `audit list --format csv`,
#                  `employee list`, and an `export` every fifth round
#   1 exporter     5 rounds of `export --data` and `audit list --format json`
# On PostgreSQL (the e2e --pg pass) the same: the laptop, an SQLite file
# packed from the PostgreSQL office, is merged into it.
# Then: every command exited 0 with nothing on stderr (above all no "database
# is locked" / "busy", no serialization failure), nothing is lost (audits =
# 3 x 40 + 30, 40 per writer, the importers' last version of every employee
# and store), every audit is whole, the reader never saw the number of audits
# go down, PRAGMA integrity_check is ok (SQLite). Nothing asserts on time.
# SVA_SKIP_SLOW=1 (e.g. `make valgrind`) skips it.
. "$ROOT/tests/e2e/lib.sh"
if [ -n "${SVA_SKIP_SLOW:-}" ]; then
    echo "skipped (SVA_SKIP_SLOW is set)"
    exit 0
fi
REC="$FIX/record"
q() { dbq "$1"; }
WRITERS=3
PER_WRITER=40
ROUNDS_IMPORT=20
ROUNDS_MERGE=6
EMPLOYEES=2000
ROUNDS_READ=25
LAPTOP=30

# ---- the database, the sheets, the laptop ----------------------------------------------------
"$SVA" init > /dev/null || fail "init"
"$SVA" store import "$REC/stores.csv" > /dev/null || fail "store import"
"$SVA" employee import "$REC/employees.csv" > /dev/null || fail "employee import"
"$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "cycle open"
"$SVA" target set --cycle 2026-11 --metric 6s --value 80 > /dev/null || fail "target set"
NS=""
for c in phone_handling 6s_store sales_mystery_shop; do
    "$SVA" checklist template "$c" -o "t-$c.ini" > /dev/null || fail "template $c"
    "$SVA" checklist show "$c" --format json > "cl-$c.json" || fail "checklist show $c"
    v=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("(%r, %d, %d)" % (d["id"], len(d["sections"]), sum(len(s["items"]) for s in d["sections"])))' \
        "cl-$c.json") || fail "checklist show $c: not the JSON expected"
    NS="$NS${NS:+, }$v"
done
fill t-phone_handling.ini phone.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-10 --rest-yesno yes --rest-num 4 answer.greeting=no \
    'answer.greeting:note=no own name'
fill t-6s_store.ini 6s.ini -H store=BJ-001 -H cycle=2026-11 -H date=2026-11-11 \
    --rest-yesno yes --rest-num 3
fill t-sales_mystery_shop.ini sales.ini -H store=SH-001 -H employee=SH-001-E02 \
    -H cycle=2026-11 -H date=2026-11-12 --rest-yesno yes --rest-num 3
"$SVA" pack -o laptop.db > /dev/null || fail "pack the laptop"
n=0
while [ "$n" -lt "$LAPTOP" ]; do
    n=$((n + 1))
    "$SVA" --db laptop.db record 6s_store --answers 6s.ini --auditor "Laptop $n" > /dev/null ||
        fail "laptop: record $n"
done
for v in 1 2; do
    awk -v v="$v" -v n="$EMPLOYEES" 'BEGIN { print "id,name,store,role"
        for (r = 1; r <= n; r++) printf "C-%05d,Colleague %d v%d,SH-002,sales\n", r, r, v }' \
        > "emp$v.csv"
done

# ---- the processes ---------------------------------------------------------------------------------
# step NAME CMD...: run CMD as one operation of process NAME: stderr appended to NAME.err,
# a non-zero exit noted in NAME.fail, stdout in NAME.out (last operation)
step() {
    name=$1
    shift
    "$@" > "$name.out" 2>> "$name.err" || echo "exit $?: $*" >> "$name.fail"
}
# barrier: wait (bounded) for the file 'go', so all start together
barrier() {
    t=0
    while [ ! -e go ] && [ "$t" -lt 3000 ]; do
        t=$((t + 1))
        sleep 0.01
    done
}
writer() {
    w=$1
    barrier
    j=0
    while [ "$j" -lt "$PER_WRITER" ]; do
        j=$((j + 1))
        case $(((j + w) % 3)) in
        0) step "w$w" "$SVA" record phone_handling --answers phone.ini --auditor "Writer $w-$j" ;;
        1) step "w$w" "$SVA" record 6s_store --answers 6s.ini --auditor "Writer $w-$j" ;;
        *) step "w$w" "$SVA" record sales_mystery_shop --answers sales.ini --auditor "Writer $w-$j" ;;
        esac
    done
}
importer() {
    barrier
    j=0
    while [ "$j" -lt "$ROUNDS_IMPORT" ]; do
        j=$((j + 1))
        step imp "$SVA" employee import "emp$((j % 2 + 1)).csv"
    done
}
merger() {
    barrier
    j=0
    while [ "$j" -lt "$ROUNDS_MERGE" ]; do
        j=$((j + 1))
        step mrg "$SVA" merge laptop.db
        cat mrg.out >> mrg.all
    done
}
reader() {
    barrier
    j=0
    while [ "$j" -lt "$ROUNDS_READ" ]; do
        j=$((j + 1))
        step rd "$SVA" cycle status 2026-11
        step rd "$SVA" audit list --format csv
        echo $(($(wc -l < rd.out) - 1)) >> rd.counts
        step rd "$SVA" employee list --store SH-002 --format csv
        [ $((j % 5)) -eq 0 ] && step rd "$SVA" export --cycle 2026-11 -o "r$j.xlsx" --data
    done
}
exporter() {
    barrier
    j=0
    while [ "$j" -lt 5 ]; do
        j=$((j + 1))
        step exp "$SVA" export --cycle 2026-11 -o "x$j.xlsx" --data
        step exp "$SVA" audit list --format json
    done
}
rm -f go
pids=""
w=0
while [ "$w" -lt "$WRITERS" ]; do
    w=$((w + 1))
    writer "$w" &
    pids="$pids $!"
done
importer &
pids="$pids $!"
merger &
pids="$pids $!"
reader &
pids="$pids $!"
exporter &
pids="$pids $!"
touch go
for p in $pids; do
    wait "$p"
done

# ---- nothing failed, nothing was locked, nothing lost ---------------------------------------------------
for f in *.fail; do
    [ -e "$f" ] && fail "${f%.fail}: $(wc -l < "$f") command(s) failed: $(head -3 "$f")"
done
for f in *.err; do
    [ -e "$f" ] || continue
    if grep -qiE 'locked|busy' "$f"; then
        fail "${f%.err}: a 'locked'/'busy' message reached the user: $(grep -iE 'locked|busy' "$f" | head -3)"
    elif [ -s "$f" ]; then
        fail "${f%.err}: wrote to stderr: $(head -3 "$f")"
    fi
done
if ! on_pg; then # PostgreSQL checks its foreign keys at every write
    ic=$(q 'PRAGMA integrity_check')
    [ "$ic" = ok ] || fail "integrity_check: $ic"
    fk=$(q 'PRAGMA foreign_key_check')
    [ -z "$fk" ] || fail "foreign_key_check: $fk"
fi
WANT=$((WRITERS * PER_WRITER + LAPTOP))
[ "$(q 'SELECT count(*) FROM audit')" = "$WANT" ] ||
    fail "$(q 'SELECT count(*) FROM audit') audits in the database, want $WANT"
w=0
while [ "$w" -lt "$WRITERS" ]; do
    w=$((w + 1))
    got=$(q "SELECT count(DISTINCT auditor) FROM audit WHERE auditor LIKE 'Writer $w-%'")
    [ "$got" = "$PER_WRITER" ] || fail "writer $w: $got of its $PER_WRITER audits stored"
done
[ "$(q "SELECT count(*) FROM audit WHERE auditor LIKE 'Laptop %'")" = "$LAPTOP" ] ||
    fail "the laptop's audits: not $LAPTOP"
grep -q ": $LAPTOP audits[ ,]" mrg.all ||
    fail "no merge added the laptop's $LAPTOP audits: $(cat mrg.all)"
[ "$(grep -c ": nothing new ($LAPTOP audits already here)$" mrg.all)" = $((ROUNDS_MERGE - 1)) ] ||
    fail "the other merges added something: $(cat mrg.all)"
for j in 1 2 3 4 5; do
    [ -s "x$j.xlsx" ] || fail "export $j: no workbook"
done
last=$((ROUNDS_IMPORT % 2 + 1))
[ "$(q "SELECT count(*) FROM employee WHERE id LIKE 'C-%' AND name LIKE '% v$last'")" = "$EMPLOYEES" ] ||
    fail "the employees are not those of the last import (emp$last.csv)"
half=$(q "WITH ns(cl, nsec, nit) AS (VALUES $NS)
SELECT (SELECT count(*) FROM audit a LEFT JOIN ns ON ns.cl = a.checklist_id
        WHERE ns.cl IS NULL OR a.n_items != ns.nit
           OR (SELECT count(*) FROM answer WHERE audit_id = a.id) != ns.nit
           OR (SELECT count(*) FROM section_score WHERE audit_id = a.id) != ns.nsec),
       (SELECT count(*) FROM answer WHERE audit_id NOT IN (SELECT id FROM audit)),
       (SELECT count(*) FROM section_score WHERE audit_id NOT IN (SELECT id FROM audit));")
[ "$half" = "0|0|0" ] || fail "part of an audit (bad audits|orphan answers|orphan sections): $half"
sort -n -c rd.counts 2> /dev/null || fail "the reader saw the number of audits go down: $(tr '\n' ' ' < rd.counts)"
[ "$(wc -l < rd.counts)" = "$ROUNDS_READ" ] || fail "the reader did not finish its rounds"
ops=$((WRITERS * PER_WRITER + ROUNDS_IMPORT + ROUNDS_MERGE + ROUNDS_READ * 3 + ROUNDS_READ / 5 + 10))
echo "$ops commands by $((WRITERS + 4)) processes at once${SVA_PG_URL:+ on PostgreSQL}:" \
    "$WANT audits stored; the reader saw $(head -1 rd.counts) .. $(tail -1 rd.counts)"
done_testing

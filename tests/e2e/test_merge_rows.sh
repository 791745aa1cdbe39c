#!/bin/sh
# svcaudit e2e: the rows a merge writes for the file's new audits. The merge
# gives them their ids itself (the largest here plus one, as the store would:
# so nothing of an audit waits for the store and PostgreSQL sends many
# audits' rows at once) and asks this database about cycles and UUIDs once,
# not per audit. An office with an audit of its own, a laptop packed from it
# that records five audits in two cycles (one still in plan), the office one
# more meanwhile: after the merge the office's ids run 1..7 without a gap,
# every audit's answers and section scores are under its own id (as the
# laptop has them, matched by UUID), the cycle in plan is in do; a second
# merge takes nothing and changes no id. Both engines (make check's --pg).
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
run "$SVA" init
run "$SVA" store import "$REC/stores.csv"
expect_rc 0 "stores"
run "$SVA" employee import "$REC/employees.csv"
expect_rc 0 "employees"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle 2026-11"
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle 2026-12"
"$SVA" checklist template phone_handling -o phone.ini > /dev/null
# sheet NAME EMPLOYEE CYCLE DATE GREETING
sheet() {
    fill phone.ini "$1.ini" -H store=SH-001 -H employee="$2" -H cycle="$3" \
        -H auditor="Zhang Min" -H date="$4" --rest-yesno yes --rest-num 3 \
        answer.greeting="$5" answer.hold=na ${6:+"answer.greeting:note=$6"}
}
sheet o1 SH-001-E01 2026-11 2026-11-03 yes
run "$SVA" record phone_handling --answers o1.ini
expect_rc 0 "the office's first audit"
run "$SVA" pack -o lap.db
expect_rc 0 "pack the laptop"
n=0
for s in "l1 SH-001-E01 2026-11 2026-11-10 no no-name" "l2 SH-001-E01 2026-11 2026-11-11 yes" \
    "l3 SH-001-E01 2026-11 2026-11-12 no no-name" "l4 SH-001-E01 2026-12 2026-12-02 yes" \
    "l5 SH-001-E01 2026-12 2026-12-03 no no-name"; do
    set -- $s
    sheet "$@"
    run "$SVA" --db lap.db record phone_handling --answers "$1.ini"
    expect_rc 0 "laptop: $1"
    n=$((n + 1))
done
sheet o2 SH-001-E01 2026-11 2026-11-20 no no-name
run "$SVA" record phone_handling --answers o2.ini
expect_rc 0 "the office's second audit"
[ "$(dbq "SELECT state FROM cycle WHERE id = '2026-12'")" = plan ] ||
    fail "cycle 2026-12 is not in plan before the merge"

run "$SVA" merge lap.db
expect_rc 0 "the merge"
[ "$(dbq "SELECT count(*) || ' ' || min(id) || ' ' || max(id) FROM audit")" = "7 1 7" ] ||
    fail "ids after the merge: $(dbq 'SELECT id FROM audit ORDER BY id' | tr '\n' ' ')"
# every laptop audit's rows under its own id here
rows='SELECT a.uuid, n.item_no, n.item_id, n.section_id, n.value, n.passed FROM audit a
      JOIN answer n ON n.audit_id = a.id ORDER BY 1, 2'
secs='SELECT a.uuid, s.section_id, s.scorable FROM audit a
      JOIN section_score s ON s.audit_id = a.id ORDER BY 1, 2'
for q in rows secs; do
    eval "sql=\$$q"
    sqlite3 lap.db "$sql" | LC_ALL=C sort > "lap.$q"
    dbq "$sql" | LC_ALL=C sort > "office.$q"
    [ -s "lap.$q" ] || fail "$q: the laptop has none"
    [ -z "$(LC_ALL=C comm -23 "lap.$q" "office.$q")" ] ||
        fail "$q: the laptop's are not all here under their audits: $(LC_ALL=C comm -23 "lap.$q" "office.$q" | head -3)"
done
# (a pack keeps none of the office's audits: the laptop has its five)
[ "$(dbq "SELECT count(*) FROM answer")" = "$(($(wc -l < lap.rows) * 7 / 5))" ] ||
    fail "answers here: $(dbq 'SELECT count(*) FROM answer'), the laptop $(wc -l < lap.rows)"
[ "$(dbq "SELECT state FROM cycle WHERE id = '2026-12'")" = do ] ||
    fail "cycle 2026-12 is not in do after its audits came"
before=$(dbq "SELECT id, uuid FROM audit ORDER BY id")
run "$SVA" merge lap.db
expect_rc 0 "the merge again"
expect_out "nothing new"
[ "$(dbq "SELECT id, uuid FROM audit ORDER BY id")" = "$before" ] || fail "a second merge changed ids"
[ "$n" -eq 5 ] || fail "the laptop recorded $n audits"
done_testing

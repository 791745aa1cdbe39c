#!/bin/sh
# svcaudit e2e: a batch checks each sheet against the store and employee as
# they were on its date, also when it keeps what it looked up (a store or
# employee is looked up once for the days between two of its dated changes,
# and after 32 look-ups all of them at once). Forty stores and employees; S02
# closes from the 20th, E03 moves from S03 to S04 on the 15th. Sheets of
# days before and after those changes, in one batch: each is judged by its
# own day. Then a batch with a sheet of S02 after it closed and one of E03
# at its old store: refused, naming exactly those two, nothing recorded. A
# voided audit's sheet is recorded again by a batch; the others are skipped.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_CHECKLISTS="$FIX/plan/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-10-30
dump() { db_dump; }

run "$SVA" init
{
    echo "id,name,region"
    for i in $(seq -w 1 40); do echo "S$i,Store $i,East"; done
} > stores.csv
run "$SVA" store import stores.csv
expect_rc 0 "forty stores"
{
    echo "id,name,store"
    for i in $(seq -w 1 40); do echo "E$i,Person $i,S$i"; done
} > employees.csv
run "$SVA" employee import employees.csv
expect_rc 0 "forty employees"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" store deactivate S02 --from 2026-11-20
expect_rc 0 "S02 closes on the 20th"
run "$SVA" employee move E03 --store S04 --from 2026-11-15
expect_rc 0 "E03 moves on the 15th"
export SVCAUDIT_TODAY=2026-12-01
run "$SVA" checklist template plan_person -o blank.ini
expect_rc 0 "a blank sheet"

# sheet DIR NAME STORE EMPLOYEE DAY
sheet() {
    sed -e "s/^store *=.*/store = $3/" -e "s/^employee *=.*/employee = $4/" \
        -e "s/^cycle *=.*/cycle = 2026-11/" -e "s/^auditor *=.*/auditor = Zhang/" \
        -e "s/^date *=.*/date = 2026-11-$5/" -e "s/^answer *=.*/answer = yes/" \
        blank.ini > "$1/$2.ini"
}

# ---- days on both sides of the changes, in one batch: every sheet fits its day ----
mkdir b1
for i in $(seq -w 1 40); do
    sheet b1 "s$i-a" "S$i" "E$i" 10
    case $i in
    02) ;;                                   # closed on the 25th
    03) sheet b1 "s$i-b" S04 E03 25 ;;       # moved on the 15th
    *) sheet b1 "s$i-b" "S$i" "E$i" 25 ;;
    esac
done
run "$SVA" record --answers b1/
expect_rc 0 "the batch of days before and after the changes"
expect_out "79 sheets: 79 recorded, 0 already there (skipped), 0 refused"
[ "$(dbq "SELECT count(*) FROM audit WHERE employee_id = 'E03' AND store_id = 'S04'")" = 1 ] ||
    fail "E03's audit at S04 after the move"

# ---- a sheet of a closed store and one at the old store: refused, those two only ----
mkdir b2
for i in $(seq -w 1 40); do
    sheet b2 "s$i-a" "S$i" "E$i" 05
done
sheet b2 s02-b S02 E02 19                    # the day before it closed: fine
sheet b2 s02-c S02 E02 25                    # closed
sheet b2 s03-b S03 E03 28                    # E03 works at S04 by then
sheet b2 s03-c S03 E03 14                    # the day before the move: fine
dump > before.dump
run "$SVA" record --answers b2/
expect_rc 3 "a batch with a closed store's and a moved employee's sheet"
expect_err "b2/s02-c.ini:.*store 'S02' is not active on 2026-11-25"
expect_err "b2/s03-b.ini:.*employee 'E03' works at store 'S04', not 'S03'"
expect_err "nothing recorded: 2 of 44 sheets refused"
[ "$(printf '%s\n' "$ERR" | grep -c 'b2/')" = 2 ] || fail "only the two sheets named: $ERR"
dump > after.dump
cmp -s before.dump after.dump || fail "a refused batch changed the database"

# ---- a voided audit's sheet is recorded again; the rest are there ----
id=$(dbq "SELECT id FROM audit WHERE store_id = 'S07' AND audit_date = '2026-11-25'")
run "$SVA" audit void "$id" --reason "visit was at the wrong time"
expect_rc 0 "void"
run "$SVA" record --answers b1/
expect_rc 0 "the batch again"
expect_out "79 sheets: 1 recorded, 78 already there (skipped), 0 refused"
expect_out "b1/s07-b.ini: audit [0-9]*"
[ "$(dbq 'SELECT count(*) FROM audit')" = 80 ] || fail "one audit more"
# the ids follow on from the largest, with no gap, on either engine
[ "$(dbq 'SELECT max(id) FROM audit')" = 80 ] || fail "ids 1..80: $(dbq 'SELECT max(id) FROM audit')"
[ "$(dbq 'SELECT count(DISTINCT id) FROM change_log')" = "$(dbq 'SELECT max(id) FROM change_log')" ] ||
    fail "change log ids without a gap"

done_testing

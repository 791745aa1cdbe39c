#!/bin/sh
# svcaudit e2e: dated store and employee events travel by merge (schema 8, issue
# 14's last step). Two laptops packed from one office move the same employees:
# one the later by effective date but made first, two on one date (the one made
# later holds that day). Merged into the office in both orders: the same events,
# the same employees and stores on every day, whatever the order; each
# laptop's first "where they worked until then" row is kept, and the later made
# holds before any dated move. Merging again adds nothing; a laptop takes the
# other's moves through the office. An event dated in a cycle closed here is
# not taken (one line, exit 1, nothing of it written); a packed laptop of a
# region or stores has every event of its employees, whatever the store, and
# the stores those name (without their employees), the office takes nothing
# back from it, and it takes the office's later moves the same way.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
export SVCAUDIT_TODAY=2026-11-20

O="$SVA --db office.db"
{
    $O init --name office > /dev/null && $O store import "$REC/stores.csv" > /dev/null &&
        $O employee import "$REC/employees.csv" > /dev/null &&
        $O cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null &&
        $O pack -o a.db --name "laptop A" > /dev/null &&
        $O pack -o b.db --name "laptop B" > /dev/null
} || fail "the office and its laptops"
A="$SVA --db a.db"
B="$SVA --db b.db"
# packing is no merge: the laptop names the office, merged never
run $A info --format json
expect_out '"merges": 0' "a packed laptop: no merge yet"
expect_out '"last_merged_at": null' "a packed laptop: never merged"
# E01: A moves them to SH-002 from February (made first), B to BJ-001 from January
$A employee move SH-001-E01 --store SH-002 --from 2027-02-01 > /dev/null || fail "A: move E01"
# E02: both move them from 2027-01-10, B a second later
$A employee move SH-001-E02 --store BJ-001 --from 2027-01-10 > /dev/null || fail "A: move E02"
$A store deactivate BJ-001 --from 2027-03-01 > /dev/null || fail "A: deactivate BJ-001"
sleep 1
$B employee move SH-001-E01 --store BJ-001 --from 2027-01-05 > /dev/null || fail "B: move E01"
$B employee move SH-001-E02 --store SH-002 --from 2027-01-10 > /dev/null || fail "B: move E02"
$B store reactivate BJ-001 --from 2027-03-01 > /dev/null 2>&1 &&
    fail "B: BJ-001 is active on 2027-03-01 there: reactivate refused"
$B store deactivate BJ-001 --from 2027-02-15 > /dev/null || fail "B: deactivate BJ-001"

# ---- both orders -------------------------------------------------------------------------------
cp office.db ab.db
cp office.db ba.db
for f in a b; do
    run $SVA --db ab.db merge --verbose $f.db
    expect_rc 0 "ab: merge $f"
done
expect_out "; 5 store and employee events added;" "ab: B's events (its first rows of E01 and E02 too)"
for f in b a; do
    run $SVA --db ba.db merge --verbose $f.db
    expect_rc 0 "ba: merge $f"
done
expect_out "; 5 store and employee events added;" "ba: A's events"
events() {
    sqlite3 "$1" "SELECT 'store', store_id, from_date, active, at, origin, seq FROM store_event
        ORDER BY 2, 3, 5, 6, 7; SELECT 'employee', employee_id, from_date, store_id, at, origin, seq
        FROM employee_event ORDER BY 2, 3, 5, 6, 7"
}
events ab.db > ab.ev
events ba.db > ba.ev
cmp -s ab.ev ba.ev || fail "the events differ by order: $(diff ab.ev ba.ev | head -4)"
[ "$(wc -l < ab.ev)" -eq 10 ] || fail "not 10 events: $(cat ab.ev)"
# each laptop's first row of E01 and E02 (where they worked until then) is kept
[ "$(sqlite3 ab.db "SELECT count(*) FROM employee_event WHERE from_date = ''")" = 4 ] ||
    fail "the first rows: $(sqlite3 ab.db "SELECT * FROM employee_event WHERE from_date = ''")"
lists() {
    for day in 2026-12-15 2027-01-07 2027-01-12 2027-02-05 2027-02-20 2027-03-05; do
        echo "== $day"
        SVCAUDIT_TODAY=$day $SVA --db "$1" employee list --format csv
        SVCAUDIT_TODAY=$day $SVA --db "$1" store list --format csv
    done
}
lists ab.db > ab.lists
lists ba.db > ba.lists
cmp -s ab.lists ba.lists || fail "the lists differ by order: $(diff ab.lists ba.lists | head -4)"
on() { # DAY LINE: the line of the lists on that day
    awk -v d="== $1" '$0 == d { on = 1; next } /^== / { on = 0 } on' ab.lists | grep -q -- "^$2" ||
        fail "on $1: no '$2' in $(awk -v d="== $1" '$0 == d { on = 1; next } /^== / { on = 0 } on' ab.lists)"
}
on 2026-12-15 "SH-001-E01,Li Ming,SH-001,"
on 2027-01-07 "SH-001-E01,Li Ming,BJ-001," # B's move, though made later, is dated earlier
on 2027-02-05 "SH-001-E01,Li Ming,SH-002," # A's is the later by its date
on 2027-01-12 "SH-001-E02,Wang Fang,SH-002," # one date: the one made later
on 2027-02-20 "BJ-001,Capital Motors,north,2027-02-15"
on 2027-03-05 "BJ-001,Capital Motors,north,2027-03-01" # A's from 2027-03-01, the latest

# ---- again: nothing; the laptops take each other's moves through the office ----------------------
run $SVA --db ab.db merge --verbose a.db
expect_out "; 0 store and employee events added;" "ab: merge A again"
run $SVA --db ab.db merge --verbose b.db
expect_out "; 0 store and employee events added;" "ab: merge B again"
events ab.db | cmp -s ab.ev - || fail "merging again changed the events"
run $A merge --verbose ab.db
expect_rc 0 "A takes the office"
expect_out "; 5 store and employee events added;" "A takes B's events"
lists a.db > a.lists
cmp -s ab.lists a.lists || fail "A lists otherwise: $(diff ab.lists a.lists | head -4)"
run $SVA --db ab.db merge --verbose a.db
expect_out "; 0 store and employee events added;" "the office takes back nothing"
# info: one merge that brought something is one merge; the dated changes counted
run $A info
expect_out "^changes    10 dated store and employee changes$" "A's info: the events"
expect_out "^office  *[0-9a-f-]*  *0  *0  *1  " "A merged the office once: $OUT"

# ---- a cycle closed here takes no event dated in it ----------------------------------------------
$SVA --db ab.db cycle close 2026-11 > /dev/null || fail "close 2026-11"
run $SVA --db ab.db info
expect_out "^closes     1 (0 reopened); action checks 0, carries 0$" "info: the close"
$B store deactivate SH-002 --from 2026-11-25 > /dev/null || fail "B: deactivate SH-002 in November"
cp ab.db keep.db
run $SVA --db ab.db merge b.db
expect_rc 1 "an event in a closed cycle"
expect_err "store event of 'SH-002' from 2026-11-25 of cycle 2026-11, which is closed here: not taken" \
    "an event in a closed cycle"
[ "$(sqlite3 ab.db "SELECT count(*) FROM store_event WHERE store_id = 'SH-002'")" = 0 ] ||
    fail "the event of the closed cycle was written"

# ---- a region's laptop: every move of its employees, whatever the store ------------------------
run $SVA --db ab.db pack -o east.db --region east
expect_rc 0 "pack east"
# E01 and E02 moved to BJ-001 (north) as well as within east: all their events travel, and
# with them BJ-001's row and dated changes, so the laptop's history of them is the
# office's; nothing else of BJ-001 (its employee BJ-001-E01)
moves() { # DB: the events of the east employees, as every database knows them
    sqlite3 "$1" "SELECT employee_id, from_date, store_id, at, seq FROM employee_event
        WHERE employee_id LIKE 'SH-%' ORDER BY 1, 2, 4, 3"
}
moves ab.db > ab.moves
moves east.db > east.moves
[ "$(wc -l < ab.moves)" -eq 8 ] || fail "the office's moves of E01 and E02: $(cat ab.moves)"
cmp -s ab.moves east.moves || fail "east: not every move: $(diff ab.moves east.moves)"
[ "$(sqlite3 east.db "SELECT id || ':' || region FROM store WHERE id = 'BJ-001'")" = "BJ-001:north" ] ||
    fail "east: no BJ-001, the store of their moves"
[ "$(sqlite3 east.db "SELECT count(*) FROM store_event WHERE store_id = 'BJ-001'")" = 2 ] ||
    fail "east: BJ-001's dated changes: $(sqlite3 east.db 'SELECT * FROM store_event')"
[ "$(sqlite3 east.db "SELECT count(*) FROM employee WHERE store_id = 'BJ-001'
    AND id NOT LIKE 'SH-%'")" = 0 ] || fail "east: BJ-001's own employee came along"
[ "$(sqlite3 east.db "SELECT store_id FROM employee WHERE id = 'SH-001-E01'")" = \
    "$(sqlite3 ab.db "SELECT store_id FROM employee WHERE id = 'SH-001-E01'")" ] ||
    fail "east: E01's row is not the office's"
# on every day, the laptop shows its employees where the office does
lists east.db | grep -v '^BJ-001-E01,' > east.lists
grep -v '^BJ-001-E01,' ab.lists | cmp -s - east.lists ||
    fail "east lists otherwise: $(grep -v '^BJ-001-E01,' ab.lists | diff - east.lists | head -6)"
on 2027-01-07 "SH-001-E01,Li Ming,BJ-001,"
# the office takes back nothing
org() { sqlite3 "$1" "SELECT * FROM store; SELECT * FROM employee; SELECT * FROM store_history;
    SELECT * FROM employee_history"; }
org ab.db > ab.org
events ab.db > ab.ev
run $SVA --db ab.db merge --verbose east.db
expect_rc 0 "the office merges east"
expect_out "; 0 stores, 0 employees, " "the office merges east: no store"
expect_out "; 0 store and employee events added;" "the office merges east: no event"
org ab.db | cmp -s ab.org - || fail "merging east changed the office's stores or employees"
events ab.db | cmp -s ab.ev - || fail "merging east changed the office's events"
# the office moves E02 to a new store of another region and adds an employee at BJ-001:
# the laptop takes the move and its store, not BJ-001's new employee
{
    $SVA --db ab.db store add TJ-001 --name "Tianjin Motors" --region north > /dev/null &&
        $SVA --db ab.db employee add BJ-001-E09 --name "Qian Hao" --store BJ-001 > /dev/null &&
        $SVA --db ab.db employee move SH-001-E02 --store TJ-001 --from 2027-04-01 > /dev/null
} || fail "the office's later changes"
run $SVA --db east.db merge --verbose ab.db
expect_rc 0 "east takes the office"
expect_out "; 1 store, 0 employees, " "east takes TJ-001, the store of E02's move"
expect_out "; 2 store and employee events added;" "east takes E02's move and TJ-001's opening"
[ "$(sqlite3 east.db "SELECT count(*) FROM employee WHERE id = 'BJ-001-E09'")" = 0 ] ||
    fail "east took an employee of BJ-001, a store out of its scope"
SVCAUDIT_TODAY=2027-04-05 run $SVA --db east.db employee list --format csv
expect_out "^SH-001-E02,Wang Fang,TJ-001," "east: E02 from April"
run $SVA --db east.db merge --verbose ab.db
expect_out "; 0 stores, 0 employees, " "east merges again: no store"
expect_out "; 0 store and employee events added;" "east merges again: no event"
# a laptop of one store: the same (E01 works at SH-002 last, E02 at TJ-001 now; SH-001
# and BJ-001, the other stores of E01's moves, come along without their employees)
run $SVA --db ab.db pack -o sh2.db --store SH-002
expect_rc 0 "pack SH-002"
moves ab.db | grep '^SH-001-E01|' > ab1.moves
moves sh2.db | cmp -s ab1.moves - || fail "sh2: not every move of E01: $(moves sh2.db | diff ab1.moves -)"
[ "$(sqlite3 sh2.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM employee ORDER BY id)")" = \
    "SH-001-E01" ] || fail "sh2: the employees: $(sqlite3 sh2.db 'SELECT id FROM employee')"
[ "$(sqlite3 sh2.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM store ORDER BY id)")" = \
    "BJ-001 SH-001 SH-002" ] || fail "sh2: the stores: $(sqlite3 sh2.db 'SELECT id FROM store')"
done_testing

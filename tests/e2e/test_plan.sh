#!/bin/sh
# svcaudit e2e: plans through the real binary (issue 18). A November with
# daily, weekly and monthly plans, per store and per employee, some audits on
# time, some late, some missed, one void: plan set, import (all or nothing,
# file:line), list, status (table, csv, json: the same counts), due (today,
# --week), copy, reason; cycle status's coverage block; the close refused
# until every missed planned audit has a reason; sheets from the plan; owners
# as the default owner of an action; bad input: a message, a non-zero exit and
# the database unchanged.
#
# The world is the one of tests/unit/test_plan.c (whose counts are worked out
# by hand there) with E3 at S2 all month: 2026-11-01 is a Sunday, the weeks
# are 1-8, 9-15, 16-22, 23-30, and "today" is Wednesday the 18th.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_CHECKLISTS="$FIX/plan/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-18
dump() { db_dump; }
# refused CODE LABEL CMD...: exit CODE, a message, nothing on stdout, the database unchanged
refused() {
    code=$1
    label=$2
    shift 2
    dump > before.dump
    run "$@"
    why=""
    [ "$RC" -eq "$code" ] || why="$why; exit $RC, expected $code"
    dump > after.dump
    cmp -s before.dump after.dump || why="$why; the database changed"
    [ -n "$ERR" ] || why="$why; no message on stderr"
    [ -z "$OUT" ] || why="$why; wrote to stdout: $OUT"
    [ -z "$why" ] || fail "$label${why} (stderr: $ERR)"
}
# rec CHECKLIST STORE EMPLOYEE DATE AUDITOR ANSWER...: record one audit
n_sheet=0
rec() {
    n_sheet=$((n_sheet + 1))
    f=s$n_sheet.ini
    printf '[audit]\nchecklist = %s\nversion = 1\nstore = %s\nemployee = %s\ncycle = 2026-11\nauditor = %s\ndate = %s\n' \
        "$1" "$2" "$3" "$5" "$4" > "$f"
    cl=$1
    shift 5
    case $cl in
    plan_store) items="front.tidy back.exit" ;;
    plan_person) items="greeting.smile greeting.name" ;;
    plan_call) items="call.rings" ;;
    esac
    for it in $items; do
        printf '[item.%s]\nanswer = %s\n' "$it" "$1" >> "$f"
        shift
    done
    run "$SVA" record --answers "$f"
    expect_rc 0 "record $f"
}
# py LABEL SCRIPT: a python check on out.txt
py() {
    "$PY" -c "$2" < out.txt > py.out 2>&1 || fail "$1: $(cat py.out)"
}

run "$SVA" init
printf 'id,name,region\nS1,One,East\nS2,Two,East\nS3,Three,West\n' > stores.csv
printf 'id,name,store,role\nE1,Ann,S1,sales\nE2,Bob,S1,sales\nE3,Cy,S2,sales\nE5,Di,S3,sales\n' > emp.csv
run "$SVA" store import stores.csv
run "$SVA" employee import emp.csv
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle open"

# ---- plans: two set by hand, three from a file ----
run "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S1 --every day --auditor Zhang
expect_rc 0 "plan set daily"
expect_out "plan 1: plan_store 1 a day at store S1 in cycle 2026-11, by Zhang"
run "$SVA" plan set --cycle 2026-11 --checklist plan_store --all-stores --every week --auditor Li
expect_rc 0 "plan set weekly"
# set again: the same checklist and scope is replaced, not added
run "$SVA" plan set --cycle 2026-11 --checklist plan_store --all-stores --every week --auditor Zhang
expect_out "plan 2: plan_store 1 a week at network"
cat > plans.ini <<'EOF'
[sales]
cycle        = 2026-11
checklist    = plan_person
region       = East
per_employee = yes
times        = 2
every        = month
auditor      = Li

[calls]
cycle      = 2026-11
checklist  = plan_call
all_stores = yes
times      = 1

[no_calls_at_s2]
cycle     = 2026-11
checklist = plan_call
store     = S2
times     = 0
EOF
run "$SVA" plan import plans.ini
expect_rc 0 "plan import"
expect_out "plans: 3 set from plans.ini"
[ "$(dbq 'SELECT count(*) FROM plan')" = 5 ] || fail "five plans stored"
run "$SVA" plan list --cycle 2026-11 --format csv
# what each plan comes to: the daily one 30 at S1; the weekly one 4 at S2 and
# S3 (S1 has its own); sales 2 x (E1, E2, E3); calls 1 at S1 and S3; none at S2
expect_out "^1,2026-11,plan_store,store,S1,,1,day,Zhang,1,30"
expect_out "^2,2026-11,plan_store,network,,,1,week,Zhang,2,8"
expect_out "^3,2026-11,plan_person,region,East,yes,2,month,Li,2,6"
expect_out "^4,2026-11,plan_call,network,,,1,cycle,,2,2"
expect_out "^5,2026-11,plan_call,store,S2,,0,cycle,,0,0"

# ---- the audits ----
# S1 daily: the 1st, 2nd, 3rd, twice on the 5th (the second makes up the 4th,
# late), 10th, 17th, 18th; S2 weekly: the 3rd and 4th (week 1), one on the 9th
# voided (week 2 stays missed); S3: the 12th and 13th (week 2; the 13th makes
# up week 1, late)
for d in 01 02 03 05 10 17 18; do rec plan_store S1 "" 2026-11-$d Zhang yes yes; done
rec plan_store S1 "" 2026-11-05 Wu yes no
rec plan_store S2 "" 2026-11-03 Zhang yes yes
rec plan_store S2 "" 2026-11-04 Zhang no yes
rec plan_store S2 "" 2026-11-09 Zhang yes yes
void_id=$(printf '%s' "$OUT" | sed -n 's/^audit \([0-9]*\) recorded.*/\1/p')
run "$SVA" audit void "$void_id" --reason "wrong store"
expect_rc 0 "void"
rec plan_store S3 "" 2026-11-13 Zhang yes yes
rec plan_store S3 "" 2026-11-12 Zhang yes yes
# sales: E1 twice, E2 once, E3 once; calls: E5 at S3 once (a store's plan
# counts anyone's)
rec plan_person S1 E1 2026-11-06 Li yes yes
rec plan_person S1 E2 2026-11-07 Li yes no
rec plan_person S1 E1 2026-11-12 Li no yes
rec plan_person S2 E3 2026-11-11 Li yes yes
rec plan_call S3 E5 2026-11-02 Wu yes

# ---- status: the hand-worked counts ----
run "$SVA" plan status --cycle 2026-11
expect_rc 0 "plan status"
# network: 46 planned, 16 done (2 late), 19 due, 11 missed
expect_out "16 of 46 planned audits done (2 late), 19 due, 11 missed"
run "$SVA" plan status --cycle 2026-11 --format csv
expect_out "^S1,East,,plan_store,Zhang,day,30,8,1,12,10,2026-11-19,2026-11-19,2026-11-18,"
expect_out "^S1,East,,plan_call,,cycle,1,0,0,1,0,2026-11-01,2026-11-30,,"
expect_out "^S1,East,E1,plan_person,Li,month,2,2,0,0,0,,,2026-11-12,"
expect_out "^S1,East,E2,plan_person,Li,month,2,1,0,1,0,2026-11-01,2026-11-30,2026-11-07,"
# the 4th counts for nothing (week 1 is full, no week before it): last is the 3rd
expect_out "^S2,East,,plan_store,Zhang,week,4,1,0,2,1,2026-11-16,2026-11-22,2026-11-03,"
expect_out "^S2,East,E3,plan_person,Li,month,2,1,0,1,0,"
expect_out "^S3,West,,plan_store,Zhang,week,4,2,1,2,0,2026-11-16,2026-11-22,2026-11-13,"
expect_out "^S3,West,,plan_call,,cycle,1,1,0,0,0,"
[ "$(grep -c . out.txt)" = 9 ] || fail "csv: a header and 8 units, got $(cat out.txt)"
run "$SVA" plan status --cycle 2026-11 --format json
py "status json" '
import json, sys
j = json.load(sys.stdin)
n = j["coverage"]["network"]
assert (n["planned"], n["done"], n["late"], n["due"], n["missed"]) == (46, 16, 2, 19, 11), n
assert j["total"] == n, j["total"]
s = {x["store"]: (x["planned"], x["done"], x["late"], x["due"], x["missed"]) for x in j["coverage"]["stores"]}
assert s == {"S1": (35, 11, 1, 14, 10), "S2": (6, 2, 0, 3, 1), "S3": (5, 3, 1, 2, 0)}, s
m = [(x["store"], x["checklist"], x["from"], x["to"], x["periods"], x["missed"]) for x in j["coverage"]["missed"]]
# S1 missed the 6th-9th and 11th-16th (the 4th made up late); S2 week 2
assert m == [("S1", "plan_store", "2026-11-06", "2026-11-09", 4, 4),
             ("S1", "plan_store", "2026-11-11", "2026-11-16", 6, 6),
             ("S2", "plan_store", "2026-11-09", "2026-11-15", 1, 1)], m
assert len(j["units"]) == 8
'
run "$SVA" plan status --cycle 2026-11 --auditor Li
expect_out "4 of 6 planned audits done (0 late), 2 due, 0 missed"
run "$SVA" plan status --cycle 2026-11 --store S2
expect_out "2 of 6 planned audits done (0 late), 3 due, 1 missed"
expect_no_out "S1 "

# cycle status shows the same coverage under the targets
run "$SVA" cycle status 2026-11
expect_rc 0 "cycle status"
expect_out "planned audits"
expect_out "S1 *East *11/35 *1 *14 *10"
expect_out "network *16/46 *2 *19 *11"
expect_out "S2  plan_store  2026-11-09..2026-11-15  1 of 1"
run "$SVA" cycle status 2026-11 --format json
py "cycle status json" '
import json, sys
c = json.load(sys.stdin)["coverage"]
assert c["network"]["done"] == 16 and c["network"]["planned"] == 46, c["network"]
'

# the Dashboard: the same coverage, the stores that missed most, the missed list
run "$SVA" export --cycle 2026-11 -o w.xlsx --employees pseudonymous
expect_rc 0 "export"
"$PY" - w.xlsx > py.out 2>&1 <<'PYEOF' || fail "dashboard coverage: $(cat py.out)"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Dashboard"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
at = next(i for i, r in enumerate(rows) if r[0] == "Planned audits")
assert rows[at + 1][:7] == ["Store", "Region", "Done", "Planned", "Done late", "Still due", "Missed"], rows[at + 1]
# all stores 16 of 46 (2 late, 19 due, 11 missed); then S1 (10 missed), S2 (1)
assert rows[at + 2][0] == "All stores" and rows[at + 2][2:7] == [16, 46, 2, 19, 11], rows[at + 2]
assert rows[at + 3][:7] == ["S1", "East", 11, 35, 1, 14, 10], rows[at + 3]
assert rows[at + 4][:7] == ["S2", "East", 2, 6, 0, 3, 1], rows[at + 4]
m = next(i for i, r in enumerate(rows) if r[0] == "Missed planned audits")
got = [(r[0], r[1], r[2], str(r[3])[:10], str(r[4])[:10], r[5]) for r in rows[m + 2:m + 5]]
assert got == [("S1", None, "plan_store", "2026-11-06", "2026-11-09", 4),
               ("S1", None, "plan_store", "2026-11-11", "2026-11-16", 6),
               ("S2", None, "plan_store", "2026-11-09", "2026-11-15", 1)], got
PYEOF

# ---- due: today, this week ----
run "$SVA" plan due --auditor Zhang --format csv
# today (the 18th, done at S1): the third week at S2 and S3
[ "$(grep -c '^2026-11' out.txt)" = 2 ] || fail "due today: $(cat out.txt)"
expect_out "^2026-11,S2,,plan_store,Zhang,2026-11-16,2026-11-22,1"
run "$SVA" plan due --auditor Zhang --week --format csv
# by Sunday the 22nd: S1 the 19th-22nd, S2 and S3 week 3; soonest first
[ "$(grep -c '^2026-11' out.txt)" = 6 ] || fail "due this week: $(cat out.txt)"
[ "$(sed -n 2p out.txt)" = "2026-11,S1,,plan_store,Zhang,2026-11-19,2026-11-19,1" ] ||
    fail "due this week, first: $(sed -n 2p out.txt)"
[ "$(sed -n 7p out.txt)" = "2026-11,S1,,plan_store,Zhang,2026-11-22,2026-11-22,1" ] ||
    fail "due this week, last: $(sed -n 7p out.txt)"
# an auditor no plan names is a mistyped name (issue 13: an unknown name in a
# filter is an error), not "nothing due"
run "$SVA" plan due --auditor Nobody
expect_rc 3 "plan due for an auditor no plan names"
expect_err "--auditor: no plan of a cycle still open names auditor 'Nobody'"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "plan due --auditor Nobody: one line: $ERR"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Nobody -o .
expect_rc 3 "sheets from the plan for an auditor no plan names"
# a name one slip away from a planned auditor's: the name meant
run "$SVA" plan due --auditor Zhnag
expect_rc 3 "plan due for a misspelt auditor"
expect_err "names auditor 'Zhnag' (did you mean 'Zhang'?)" "plan due: the auditor meant"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Zhnag -o .
expect_rc 3 "sheets from the plan for a misspelt auditor"
expect_err "(did you mean 'Zhang'?)" "template --from-plan: the auditor meant"

# ---- sheets from the plan ----
# a refused command makes no folder; a missing folder is made when there are sheets
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Zhnag -o sheets
expect_rc 3 "a misspelt auditor, -o to a new folder"
[ ! -e sheets ] || fail "a refused template --from-plan made its folder"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Li -o no/such/sheets
expect_rc 3 "-o under a folder that does not exist"
expect_err "cannot make the folder 'no/such/sheets'"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Li -o plans.ini
expect_rc 3 "-o names a file"
expect_err "-o: 'plans.ini' is not a folder"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Li -o sheets
expect_rc 0 "template --from-plan"
[ -d sheets ] || fail "template --from-plan did not make its folder"
# E2 and E3 have one each still due
expect_out "2 sheets written to sheets/; 0 already there (kept)"
grep -q '^employee *= *E2' sheets/plan_person-S1-E2-2026-11-01.ini || fail "E2's sheet"
grep -q '^auditor *= *Li' sheets/plan_person-S2-E3-2026-11-01.ini || fail "E3's sheet auditor"
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Zhang --until 2026-11-22 -o sheets/
expect_out "6 sheets written"
# a day's sheet suggests its day; a week's leaves the date blank
grep -q '^date *= *2026-11-19' sheets/plan_store-S1-2026-11-19.ini || fail "daily sheet date"
grep -q '^date *= *$\|^date *= *;' sheets/plan_store-S2-2026-11-16.ini || fail "weekly sheet date"
# again: nothing overwritten
echo "filled" >> sheets/plan_store-S2-2026-11-16.ini
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Zhang --until 2026-11-22 -o sheets
expect_out "0 sheets written to sheets/; 6 already there (kept)"
grep -q '^filled' sheets/plan_store-S2-2026-11-16.ini || fail "a sheet was overwritten"
run "$SVA" checklist template plan_person --store S1 --employee E2 --cycle 2026-11 --auditor Li
grep -q '^store *= *S1' out.txt && grep -q '^employee *= *E2' out.txt || fail "pre-filled template"

# ---- bad input: a message, exit 2 or 3, nothing changed ----
refused 3 "unknown store" "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S9 --times 1
expect_err "unknown store 'S9'"
refused 3 "unknown region" "$SVA" plan set --cycle 2026-11 --checklist plan_store --region North --times 1
refused 3 "unknown cycle" "$SVA" plan set --cycle 2027-01 --checklist plan_store --all-stores --times 1
refused 3 "misspelt checklist" "$SVA" plan set --cycle 2026-11 --checklist plan_stor --all-stores --times 1
expect_err "--checklist: unknown checklist 'plan_stor' (did you mean 'plan_store'?)" "plan set: the checklist meant"
refused 3 "unknown checklist" "$SVA" plan set --cycle 2026-11 --checklist nope --all-stores --times 1
refused 3 "store checklist per employee" "$SVA" plan set --cycle 2026-11 --checklist plan_store \
    --all-stores --per-employee --times 1
expect_err "cannot be planned per employee"
refused 3 "times 0 for all stores" "$SVA" plan set --cycle 2026-11 --checklist plan_store --all-stores --times 0
refused 2 "how often" "$SVA" plan set --cycle 2026-11 --checklist plan_store --all-stores
refused 2 "two scopes" "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S1 --region East --times 1
refused 2 "every fortnight" "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S1 --every fortnight
refused 2 "times 1001" "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S1 --times 1001
cat > bad.ini <<'EOF'
[a]
cycle     = 2026-11
checklist = plan_store
store     = S9
times     = 1

[b]
cycle     = 2026-11
checklist = plan_person
all_stores = yes
every     = fortnight

[c]
cycle     = 2026-11
checklist = plan_store
region    = East
times     = 2
colour    = red

[d]
cycle     = 2026-11
checklist = plan_store
store     = S1
EOF
refused 3 "bad plans file" "$SVA" plan import bad.ini
expect_err "bad.ini:4: unknown store 'S9'"
expect_err "bad.ini:11: \[b\]: every 'fortnight'"
expect_err "bad.ini:18: \[c\]: unknown key 'colour'"
expect_err "bad.ini:20: \[d\]: how often"
refused 3 "copy into an unknown cycle" "$SVA" plan copy --from 2026-11 --to 2027-01
expect_err "^svcaudit: --to: unknown cycle '2027-01' (open it first: svcaudit cycle open 2027-01 " \
    "copy: how to open the --to cycle"
# the --to cycle not opened yet, the --from one the only one near: it is not the one meant
"$SVA" --db copy.db init > /dev/null
"$SVA" --db copy.db cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null
run "$SVA" --db copy.db plan copy --from 2026-11 --to 2026-12
expect_rc 3 "copy into a cycle not opened yet"
expect_err "^svcaudit: --to: unknown cycle '2026-12' (open it first: svcaudit cycle open 2026-12 " \
    "copy: the --from cycle is not the --to meant"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "copy into a cycle not opened yet: one line: $ERR"
refused 3 "reason for no plan" "$SVA" plan reason --cycle 2026-11 --checklist plan_person --store S3 --text x
expect_err "no plan of 'plan_person' at store 'S3'"
refused 3 "status of an unknown auditor" "$SVA" plan status --cycle 2026-11 --auditor Nobody
refused 3 "status of a misspelt auditor" "$SVA" plan status --cycle 2026-11 --auditor Zhnag
expect_err "names auditor 'Zhnag' (did you mean 'Zhang'?)" "plan status: the auditor meant"

# ---- the close: every missed planned audit needs a reason ----
export SVCAUDIT_TODAY=2026-12-01
refused 1 "close without reasons" "$SVA" cycle close 2026-11
# at the close every period is over: six units missed audits, none has a reason
[ "$(printf '%s\n' "$ERR" | grep -c 'planned .* audit.*: no reason')" = 6 ] ||
    fail "close: six units without a reason: $ERR"
expect_err "store S1 missed 22 of 30 planned plan_store audits: no reason (svcaudit plan reason --cycle 2026-11 --checklist plan_store --store S1 --text ...)"
expect_err "store S1, employee E2 missed 1 of 2 planned plan_person audits"
run "$SVA" plan reason --cycle 2026-11 --checklist plan_store --store S1 --text "manager on leave"
expect_rc 0 "reason"
for u in "plan_store --store S2" "plan_store --store S3" "plan_call --store S1" \
    "plan_person --store S1 --employee E2" "plan_person --store S2 --employee E3"; do
    # shellcheck disable=SC2086
    run "$SVA" plan reason --cycle 2026-11 --checklist $u --text "short of staff"
    expect_rc 0 "reason $u"
done
# every planned audit done (S3's one call, E1's two visits): nothing missed, no reason
refused 3 "reason for a plan done" "$SVA" plan reason --cycle 2026-11 --checklist plan_call \
    --store S3 --text x
expect_err "^svcaudit: --store S3: every planned 'plan_call' audit was done in cycle 2026-11 (1 of 1)"
refused 3 "reason for an employee's plan done" "$SVA" plan reason --cycle 2026-11 \
    --checklist plan_person --store S1 --employee E1 --text x
expect_err "^svcaudit: --store S1 --employee E1: every planned 'plan_person' audit was done" \
    "the employee named"
run "$SVA" plan status --cycle 2026-11 --format csv
expect_out "^S1,East,,plan_store,Zhang,day,30,8,1,0,22,,,2026-11-18,manager on leave"
run "$SVA" cycle close 2026-11
expect_rc 0 "close with reasons"
refused 3 "reason in a closed cycle" "$SVA" plan reason --cycle 2026-11 --checklist plan_store --store S1 --text x
refused 3 "plan in a closed cycle" "$SVA" plan set --cycle 2026-11 --checklist plan_store --store S1 --times 1

# ---- copy into the next cycle ----
run "$SVA" plan copy --from 2026-11 --to 2026-12
expect_rc 0 "copy"
expect_out "plans: 5 copied from cycle 2026-11 to 2026-12"
run "$SVA" plan list --cycle 2026-12 --format csv
expect_out ",2026-12,plan_store,store,S1,,1,day,Zhang,1,31"

# ---- owners: an action for a failed item names its owner ----
run "$SVA" owner set --store S1 --checklist plan_store --section back --employee E2
expect_rc 0 "owner set"
refused 3 "owner from another store" "$SVA" owner set --store S1 --checklist plan_store --item back.exit --employee E3
expect_err "works at store 'S2'"
refused 3 "owner of no such item" "$SVA" owner set --store S1 --checklist plan_store --item back.nope --employee E1
expect_err "see 'svcaudit checklist show plan_store'" "owner of no such item: where to look"
# a key without its section, or a word of it: the items meant
refused 3 "owner of an item without its section" "$SVA" owner set --store S1 --checklist plan_store --item exit --employee E1
expect_err "has no item 'exit' (did you mean 'back.exit'?)" "owner: the item meant"
refused 2 "owner of what" "$SVA" owner set --store S1 --checklist plan_store --employee E1
run "$SVA" owner list --format csv
expect_out "^S1,plan_store,back,,E2,Bob"
export SVCAUDIT_TODAY=2026-12-03
printf '[audit]\nchecklist = plan_store\nversion = 1\nstore = S1\ncycle = 2026-12\nauditor = Zhang\ndate = 2026-12-02\n[item.front.tidy]\nanswer = yes\n[item.back.exit]\nanswer = no\n' > dec.ini
run "$SVA" record --answers dec.ini
id=$(printf '%s' "$OUT" | sed -n 's/^audit \([0-9]*\) recorded.*/\1/p')
run "$SVA" action add --from-audit "$id" --set when=2026-12-10 --set where=workshop --set how="clear it"
expect_rc 0 "action from audit with an owner"
run "$SVA" action list --cycle 2026-12 --format csv
expect_out "Bob"

# every write has an author in the change log (issue 13): plans, reasons, owners
run "$SVA" log --format csv
for w in "plan set" "plan import" "plan copy" "plan reason" "owner set"; do
    printf '%s\n' "$OUT" | grep -q ",$w," || fail "the log has no '$w'"
done
printf '%s\n' "$OUT" | grep -q ',2026-11,plan reason,plan plan_store store S1,manager on leave$' ||
    fail "the plan reason's log line: $(printf '%s\n' "$OUT" | grep 'plan reason' | head -2)"

done_testing

#!/bin/sh
# svcaudit e2e: corrections as revisions (issue 13). An amended audit is
# re-scored (hand-worked here) with the checklist version it was recorded
# with, even after the checklists folder moved on; the revision it replaces is
# kept with who, when and why (audit show --history); every figure uses the
# latest revision (cycle status before and after); `audit sheet` writes the
# audit as a filled sheet that amends back; a void records who and when and
# can be undone (audit unvoid), but not into a double count; nothing of this
# works in a closed cycle, and every refusal changes nothing.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
mkdir cl
cp "$P/checklists/pdca_mini.ini" cl/
cp "$P/checklists/pdca_mini.ini" pdca_mini.v1
export SVCAUDIT_CHECKLISTS="$WORK/cl:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-20
export SVCAUDIT_USER="Zhang Min"
dump() { db_dump; }
refused() { # refused CODE LABEL CMD...: exit CODE, one line, nothing changed
    code=$1; label=$2; shift 2
    dump > before.dump
    run "$@"
    [ "$RC" -eq "$code" ] || fail "$label: exit $RC, want $code ($ERR)"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ -n "$ERR" ] || fail "$label: no message"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}
jq_py() { # jq_py FILE EXPR: print a python expression over the JSON in FILE as j
    "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}
ssi() { # ssi STORE: the store's ssi actual in cycle 2026-11
    "$SVA" cycle status 2026-11 --store "$1" --metric "${2:-ssi}" --format json > st.json
    jq_py st.json "[r['actual'] for r in j['rows'] if r['scope'] == 'store'][0]"
}

run "$SVA" init
run "$SVA" store import "$P/stores.csv"
printf 'id,name,store,role\nE1,Wang Fang,SH-001,Sales\nE2,Li Lei,SH-001,Sales\n' > emp.csv
run "$SVA" employee import emp.csv
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "set-up"

# ---- a weighted checklist: README's worked example, then its correction ------------------------
# 6s_store: six sections of weight 1; every 0-4 item 3 -> 75.0 % in five sections; Safety:
# four 0-4 items at 3 (3 of 4) + fire_extinguishers yes (2 of 2) + emergency_exits no
# (0 of 2) = 5 / 8 = 62.5 %; audit = (5 x 75 + 62.5) / 6 = 72.9 %, FAILED.
run "$SVA" checklist template 6s_store -o 6s.ini
fill 6s.ini s.ini -H store=SH-001 -H cycle=2026-11 -H auditor="Wu Gang" -H date=2026-11-05 \
    --rest-num 3 safety.fire_extinguishers=yes safety.emergency_exits=no \
    'safety.emergency_exits:note=rear exit chained'
run "$SVA" record 6s_store --answers s.ini
expect_out "^audit 1 recorded: 72.9 %  FAILED" "the worked example"
[ "$(ssi SH-001 6s)" = "72.9" ] || fail "SH-001 6s before the amendment: $(ssi SH-001 6s)"
# The exit was clear; the shopper looked at the wrong door. emergency_exits yes: Safety
# = (3 + 2 + 2) / 8 = 87.5 %; audit = (5 x 75 + 87.5) / 6 = 462.5 / 6 = 77.08 -> 77.1,
# not FAILED any more
run "$SVA" audit amend 1 --set safety.emergency_exits=yes --note safety.emergency_exits= \
    --reason "the shopper checked the wrong door" --by "Li Na"
expect_rc 0 "amend audit 1"
expect_out "^audit 1 amended: revision 2, 72.9 % -> 77.1 %$" "the re-score, by hand"
[ "$(ssi SH-001 6s)" = "77.1" ] || fail "SH-001 6s after the amendment: $(ssi SH-001 6s)"
run "$SVA" audit show 1 --format json
printf '%s' "$OUT" > a1.json
"$PY" - a1.json <<'PY' || fail "audit show after the amendment: $(head -c 500 a1.json)"
import json, sys
a = json.load(open(sys.argv[1]))
assert a['score'] == 77.1 and a['failed'] is False, a['score']
assert a['revision'] == 2 and a['revised_by'] == 'Li Na', a
assert a['revision_reason'] == 'the shopper checked the wrong door', a
assert a['recorded_by'] == 'Zhang Min', a
sec = {s['id']: s['score'] for s in a['sections']}
assert sec['safety'] == 87.5 and sec['sort'] == 75.0, sec
ans = {x['item']: x for x in a['answers']}
assert ans['safety.emergency_exits']['answer'] == 'yes' and ans['safety.emergency_exits']['note'] == ''
PY
run "$SVA" audit show 1 --history --format json
printf '%s' "$OUT" > h1.json
"$PY" - h1.json <<'PY' || fail "the history: $(head -c 800 h1.json)"
import json, sys
a = json.load(open(sys.argv[1]))
r = a['revisions']
assert [(x['revision'], x['by'], x['score'], x['change'], x['failed']) for x in r] == \
    [(1, 'Zhang Min', 72.9, None, True), (2, 'Li Na', 77.1, 4.2, False)], r
assert r[0]['reason'] is None and r[1]['reason'] == 'the shopper checked the wrong door', r
assert [e['what'] for e in a['events']] == ['record', 'amend'], a['events']
assert a['events'][1]['by'] == 'Li Na', a['events']
PY
# the revision replaced is kept whole: its answers and section scores as they were
[ "$(dbq "SELECT ar.value FROM answer_revision ar JOIN answer a USING (audit_id, item_no)
    WHERE ar.audit_id = 1 AND ar.revision = 1 AND a.item_id = 'safety.emergency_exits'")" = 0 ] ||
    fail "revision 1's answer to emergency_exits is not kept"
[ "$(dbq "SELECT pct FROM section_revision WHERE audit_id = 1 AND revision = 1
    AND section_id = 'safety'")" = 62.5 ] || fail "revision 1's Safety score is not kept"
run "$SVA" audit show 1 --history
expect_out "the shopper checked the wrong door" "the table history says why"
expect_out "+4.2" "the table history shows the change"

# ---- the checklist version it was recorded with, not the folder's ------------------------------
# pdca_mini version 1: four yes/no items of weight 1, pooled (25 each). Then the folder
# gets version 2 in which front.greet weighs 3: an amendment still scores with version 1.
printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = no\n[item.front.tidy]\nanswer = yes\n[item.back.clean]\nanswer = no\n[item.back.exit]\nanswer = yes\n' > m.ini
run "$SVA" record pdca_mini --cycle 2026-11 --store SH-002 --auditor "Wu Gang" \
    --date 2026-11-06 --answers m.ini
expect_out "^audit 2 recorded: 50.0 %" "nyny = 50.0"
sed -e 's/^version *= *1/version = 2/' cl/pdca_mini.ini > v2.tmp
awk '{ print } /^\[item.front.greet\]/ { print "weight = 3" }' v2.tmp > cl/pdca_mini.ini
run "$SVA" checklist show pdca_mini --format json
expect_out '"version": 2' "the folder holds version 2 now"
# greet yes: version 1 says 3 of 4 = 75.0 (version 2 would say 5 of 6 = 83.3)
run "$SVA" audit amend 2 --set front.greet=yes --reason "greeted at the door"
expect_out "50.0 % -> 75.0 %" "scored with the recorded version 1"
[ "$(ssi SH-002)" = "75.0" ] || fail "SH-002 ssi after the amendment: $(ssi SH-002)"

# ---- audit sheet: the audit as a filled sheet, edited, amended from ------------------------------
run "$SVA" audit sheet 2 -o fix.ini
expect_rc 0 "audit sheet"
grep -q '^version *= *1' fix.ini || fail "the sheet names version 1"
grep -q '^date *= *2026-11-06' fix.ini || fail "the sheet has the audit's date"
run "$SVA" audit sheet 2 -o fix.csv
grep -q '^version,1' fix.csv || fail "the CSV sheet names version 1: $(head -3 fix.csv)"
# every answer yes, the date corrected: 4 of 4 = 100.0
sed -e 's/^answer *= *no/answer = yes/' -e 's/^date *= .*/date = 2026-11-07/' fix.ini > fixed.ini
run "$SVA" audit amend 2 --answers fixed.ini --reason "the sheet corrected" --by "Li Na"
expect_out "75.0 % -> 100.0 %" "amended from the sheet"
[ "$(dbq 'SELECT audit_date || revision FROM audit WHERE id = 2')" = "2026-11-073" ] ||
    fail "the date and the revision of audit 2"
# the CSV form amends too: fix.csv is revision 2's sheet (yyny, 75.0)
run "$SVA" audit amend 2 --answers fix.csv --reason "the first sheet was right after all"
expect_out "100.0 % -> 75.0 %" "amended from the CSV sheet (the sheet of revision 2: nyyy... 75.0)"

# ---- refusals: one line, nothing changed -------------------------------------------------------
refused 3 "amend: unknown item" "$SVA" audit amend 2 --set front.gret=yes --reason x
expect_err "has no item 'front.gret' (did you mean 'front.greet'?)" "amend: the item meant"
expect_err "front.gret" "the item named"
refused 3 "amend: answer outside the scale" "$SVA" audit amend 1 --set sort.parts_red_tag=7 --reason x
expect_err "parts_red_tag" "the item named"
refused 3 "amend: no change" "$SVA" audit amend 2 --set front.greet=yes --reason x
expect_err "changes nothing" "nothing to change"
refused 3 "amend: a date outside the cycle" "$SVA" audit amend 2 --date 2026-10-02 --reason x
expect_err "outside cycle" "the date"
refused 3 "amend: a date after today" "$SVA" audit amend 2 --date 2026-11-21 --reason x
expect_err "after today (2026-11-20)" "the date"
refused 3 "amend: a typo'd year" "$SVA" audit amend 2 --date 2062-11-12 --reason x
[ "$(wc -l < err.txt)" -eq 1 ] || fail "amend: a typo'd year is one line: $ERR"
expect_err "after today" "amend: a typo'd year"
refused 3 "amend: an employee of a store audit's other store" "$SVA" audit amend 2 \
    --employee E1 --set front.tidy=no --reason x
refused 3 "amend: a sheet of another store" sh -c "sed 's/^store *= .*/store = BJ-001/' fix.ini > other.ini && '$SVA' audit amend 2 --answers other.ini --reason x"
expect_err "keeps its store" "the store"
refused 3 "amend: the sheet of another checklist" "$SVA" audit amend 2 --answers s.ini --reason x
refused 2 "amend: no reason" "$SVA" audit amend 2 --set front.greet=no
refused 2 "amend: nothing to amend" "$SVA" audit amend 2 --reason x
refused 2 "amend: --answers and --set" "$SVA" audit amend 2 --answers fix.ini --set front.greet=no --reason x
refused 3 "amend: no such audit" "$SVA" audit amend 99 --set front.greet=no --reason x
refused 3 "amend: blank reason" "$SVA" audit amend 2 --set front.greet=no --reason "  "

# ---- void who and when, unvoid ---------------------------------------------------------------------
run "$SVA" audit void 2 --reason "wrong store" --by "Chen Jie"
expect_rc 0 "void"
run "$SVA" audit show 2 --format json
printf '%s' "$OUT" > a2.json
[ "$(jq_py a2.json "(j['void'], j['voided_by'], j['void_reason'], j['voided_at'] is not None)")" = \
    "(True, 'Chen Jie', 'wrong store', True)" ] || fail "the void: $(cat a2.json | head -c 400)"
refused 3 "amend a void audit" "$SVA" audit amend 2 --set front.greet=no --reason x
expect_err "unvoid" "the way"
[ "$(ssi SH-002)" = "None" ] || fail "a void audit counts: $(ssi SH-002)"
refused 3 "unvoid an audit that is not void" "$SVA" audit unvoid 1 --reason x
run "$SVA" audit unvoid 2 --reason "it was the right store" --by "Li Na"
expect_rc 0 "unvoid"
[ "$(ssi SH-002)" = "75.0" ] || fail "the unvoided audit counts again: $(ssi SH-002)"
run "$SVA" audit show 2 --history --format json
printf '%s' "$OUT" > h2.json
[ "$(jq_py h2.json "[(e['what'], e['by']) for e in j['events']][-2:]")" = \
    "[('void', 'Chen Jie'), ('unvoid', 'Li Na')]" ] || fail "void and unvoid in the history"
# no double count: void 2, record the same audit again, then unvoid 2
run "$SVA" audit sheet 2 -o again.ini
run "$SVA" audit void 2 --reason "to be recorded again"
cp pdca_mini.v1 cl/pdca_mini.ini # version 1 again, to record with
run "$SVA" record pdca_mini --answers again.ini
expect_rc 0 "the same audit recorded again (2 is void)"
refused 3 "unvoid into a double count" "$SVA" audit unvoid 2 --reason x
expect_err "count twice" "says why"

# ---- a closed cycle takes no correction --------------------------------------------------------
run "$SVA" target set --cycle 2026-11 --metric ssi --value 10
run "$SVA" target set --cycle 2026-11 --metric 6s --value 10
run "$SVA" cycle close 2026-11
expect_rc 0 "close 2026-11"
refused 3 "amend in a closed cycle" "$SVA" audit amend 1 --set sort.parts_red_tag=4 --reason x
expect_err "closed" "says the cycle is closed"
refused 3 "amend from a sheet in a closed cycle" "$SVA" audit amend 3 --answers fixed.ini --reason x
refused 3 "unvoid in a closed cycle" "$SVA" audit unvoid 2 --reason x
expect_err "closed" "says the cycle is closed"
# reading is still fine, and writes nothing
dump > before.dump
run "$SVA" audit show 1 --history
run "$SVA" audit sheet 1 -o closed.ini
expect_rc 0 "audit sheet of a closed cycle's audit"
dump > after.dump
cmp -s before.dump after.dump || fail "show --history or sheet wrote to the database"

# ---- a merge carries the revisions with the audit -------------------------------------------------
# (the received database is a file: on PostgreSQL, copy the database to one first, which must
# carry the revisions too)
DB=svcaudit.db
if on_pg; then
    run "$SVA" copy --from "$SVA_PG_URL" --to here.db
    expect_rc 0 "copy PostgreSQL into an SQLite file"
    DB=here.db
fi
run "$SVA" --db region.db init
run "$SVA" --db region.db merge "$DB"
expect_rc 0 "merge into a new database"
q() { sqlite3 "$1" "SELECT group_concat(r.revision || ':' || r.made_by || ':' || r.pct, ' ')
    FROM audit_revision r JOIN audit a ON a.id = r.audit_id WHERE a.uuid = (SELECT uuid FROM
    audit WHERE checklist_id = '6s_store' LIMIT 1)"; }
[ "$(q region.db)" = "$(q "$DB")" ] && [ -n "$(q "$DB")" ] ||
    fail "the merged audit's revisions: '$(q region.db)' here, '$(q "$DB")' there"
done_testing

#!/bin/sh
# svcaudit e2e: a database made by an earlier svcaudit (schema 2:
# tests/fixtures/history/schema2.sql, made by make_schema2.sh) is brought
# forward to this build's schema (9) the first time this svcaudit opens it:
# every row it had is there unchanged, what schemas 3 to 7 add is filled in
# where the old rows tell it (closed cycles' closes, the checks an old `cycle
# status` wrote into the actions' history; schema 6 gives the file an identity,
# two new meta rows), and every command reads it as before. So are the schema-4
# and schema-6 files below (schema 7: appeals and amendments travel), and the
# schema-7 file (schema 8: dated store and employee events travel; schema 9:
# they are never changed or deleted).
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_CHECKLISTS="$FIX/pdca/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-15
DB=old.db
sqlite3 "$DB" < "$FIX/history/schema2.sql" || fail "cannot load the fixture"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2 ] || fail "the fixture is not schema 2"
# every table's rows, columns of schema 2 only, in rowid order
rows() {
    for t in $(sqlite3 old-copy.db "SELECT name FROM sqlite_master WHERE type = 'table'"); do
        cols=$(sqlite3 old-copy.db "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
        echo "== $t"
        where=""
        [ "$t" = meta ] && where="WHERE key NOT IN ('db_uuid', 'db_name')" # schema 6's identity
        [ -n "${SKIP:-}" ] && [ "$t" = audit ] && cols=$(printf '%s' "$cols" | sed "s/, $SKIP//")
        sqlite3 "$1" "SELECT $cols FROM $t $where ORDER BY $cols"
    done
}
cp "$DB" old-copy.db
rows old-copy.db > before.txt

# copy only reads its source: an older file is refused, not brought forward
run "$SVA" copy --from "$DB" --to copied.db
expect_rc 3 "copy from an older file"
expect_err "old.db: made by an older svcaudit (schema 2; this one writes 9)" "copy says why"
expect_err "bring it forward first" "copy says what to do"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "copy from an older file: not one line: $ERR"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2 ] || fail "copy brought its source forward"
cmp -s "$DB" old-copy.db || fail "copy changed its source's bytes"
[ -e copied.db ] && fail "copy left a destination behind"

run "$SVA" --db "$DB" audit list --all --format csv
expect_rc 0 "audit list on the old file"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 9 ] || fail "not brought forward to schema 9"
rows "$DB" > after.txt
cmp -s before.txt after.txt || fail "rows changed: $(diff before.txt after.txt | head -5)"
# as schema 2 listed them (by hand from make_schema2.sh: yyny 75, ynnn 25, yyyy 100, ...)
cat > want.csv <<'CSV'
id,date,cycle,region,store,employee,checklist,version,auditor,score,failed,items,na,status
1,2026-10-05,2026-10,East,SH-001,,pdca_mini,1,Zhang Min,75.0,,4,0,ok
2,2026-10-06,2026-10,East,SH-002,,pdca_mini,1,Zhang Min,25.0,,4,0,ok
3,2026-10-07,2026-10,North,BJ-001,,pdca_mini,1,Li Ping,100.0,,4,0,ok
4,2026-11-05,2026-11,East,SH-001,,pdca_mini,1,Li Ping,100.0,,4,0,ok
5,2026-11-06,2026-11,East,SH-002,,pdca_mini,1,Zhang Min,50.0,,4,0,ok
6,2026-11-07,2026-11,East,SH-002,,pdca_mini,1,Li Ping,100.0,,4,0,void
CSV
printf '%s\n' "$OUT" > got.csv
cmp -s want.csv got.csv || fail "audit list differs: $(diff want.csv got.csv)"

# filled in: the close of 2026-10 (when and by whom unknown), the two checks the old
# `cycle status 2026-11` wrote (action 2 verified 0 of 1 failed, 3 reopened 1 of 1)
[ "$(sqlite3 "$DB" "SELECT cycle_id || '|' || closed_at || '|' || closed_by FROM cycle_close")" = "2026-10||" ] ||
    fail "the old close: $(sqlite3 "$DB" 'SELECT * FROM cycle_close')"
got=$(sqlite3 "$DB" "SELECT group_concat(action_id || ':' || cycle_id || ':' || verified || ':' ||
    n_answers || ':' || n_failed, ' ') FROM (SELECT * FROM action_check ORDER BY action_id)")
[ "$got" = "2:2026-11:1:1:0 3:2026-11:0:1:1" ] || fail "old checks: $got"

# the old carried copies read as before: 1 -> 4 and 3 -> 5
run "$SVA" --db "$DB" action list --format csv
expect_rc 0 "action list"
printf '%s\n' "$OUT" > actions.csv
"$PY" - actions.csv <<'PY' || fail "carried copies: $(cat actions.csv)"
import csv, sys
r = {x['id']: x for x in csv.DictReader(open(sys.argv[1]))}
assert r['1']['carried'] == 'to 4' and r['4']['carried'] == 'from 1', r
assert r['3']['carried'] == 'to 5' and r['5']['carried'] == 'from 3', r
assert r['2']['status'] == 'verified' and r['3']['status'] == 'reopened', r
PY
# the closed 2026-11's checks are not its to show: 2026-11 is open, nothing done is left
run "$SVA" --db "$DB" cycle status 2026-11 --format json
expect_rc 0 "cycle status 2026-11"
printf '%s' "$OUT" > s.json
"$PY" - s.json <<'PY' || fail "status of the old file: $(head -c 400 s.json)"
import json, sys
s = json.load(open(sys.argv[1]))
assert s['verifications'] == [] and s['verifications_applied'] is False, s
assert s['audits'] == 2, s
PY
# opened again: nothing more to do, nothing written
sum1=$(sha256sum "$DB")
run "$SVA" --db "$DB" cycle list
expect_rc 0 "cycle list"
[ "$(sha256sum "$DB")" = "$sum1" ] || fail "a second open changed the file"

# ---- the previous version: schema 4 (plans, owners; tests/fixtures/history/schema4.sql,
# made by make_schema4.sh with main at a569f56) is brought forward to schema 6 ------------
DB=old4.db
rm -f old-copy.db
sqlite3 "$DB" < "$FIX/history/schema4.sql" || fail "cannot load the schema-4 fixture"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 4 ] || fail "the fixture is not schema 4"
cp "$DB" old-copy.db
rows old-copy.db > before4.txt
run "$SVA" --db "$DB" audit list --all --format csv
expect_rc 0 "audit list on the schema-4 file"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 9 ] || fail "schema 4 not brought forward to 9"
rows "$DB" > after4.txt
cmp -s before4.txt after4.txt || fail "schema 4 rows changed: $(diff before4.txt after4.txt | head -5)"
# as the schema-4 svcaudit listed them
cat > want4.csv <<'CSV'
id,date,cycle,region,store,employee,checklist,version,auditor,score,failed,items,na,status
1,2026-10-05,2026-10,East,SH-001,,pdca_mini,1,Zhang Min,75.0,,4,0,ok
2,2026-10-06,2026-10,East,SH-002,,pdca_mini,1,Zhang Min,100.0,,4,0,ok
3,2026-10-07,2026-10,North,BJ-001,,pdca_mini,1,Li Ping,100.0,,4,0,ok
4,2026-11-05,2026-11,East,SH-001,,pdca_mini,1,Li Ping,75.0,,4,0,ok
5,2026-11-06,2026-11,East,SH-002,,pdca_mini,1,Zhang Min,100.0,,4,0,void
CSV
printf '%s\n' "$OUT" > got4.csv
cmp -s want4.csv got4.csv || fail "schema 4: audit list differs: $(diff want4.csv got4.csv)"
run "$SVA" --db "$DB" plan list --cycle 2026-11 --format csv
[ "$OUT" = "plan,cycle,checklist,scope,id,per_employee,times,every,auditor,stores,planned
1,2026-11,pdca_mini,network,,,2,cycle,Zhang Min,3,6" ] || fail "schema 4: plan list: $OUT"
run "$SVA" --db "$DB" owner list --format csv
expect_out "^SH-001,pdca_mini,back,,E1,Wang Fang" "schema 4: the owner"
# what schema 5 fills in: the close of the closed 2026-10; the old carried copy reads as before
[ "$(sqlite3 "$DB" "SELECT cycle_id FROM cycle_close")" = "2026-10" ] || fail "schema 4: the old close"
run "$SVA" --db "$DB" action list --format csv
expect_out "^1,2026-10,SH-001,East,ssi,pdca_mini/back.clean,open,Li Lei,2026-10-25,,to 2,clean" "the carried copy"
# and the record works on it: a closed cycle is closed, a correction is a revision, all logged
run "$SVA" --db "$DB" --by "Zhou Qing" audit void 1 --reason late
expect_rc 3 "schema 4: void in the closed 2026-10"
sheet() { printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = yes\n[item.front.tidy]\nanswer = yes\n[item.back.clean]\nanswer = yes\n[item.back.exit]\nanswer = yes\n' > s4.ini; }
sheet
run "$SVA" --db "$DB" --by "Zhou Qing" audit amend 4 --answers s4.ini --reason "tidy after all"
expect_rc 0 "schema 4: amend"
run "$SVA" --db "$DB" audit list --format csv
expect_out "^4,2026-11-05,2026-11,East,SH-001,,pdca_mini,1,Li Ping,100.0," "the amended score"
run "$SVA" --db "$DB" log --format csv
expect_out ",Zhou Qing,2026-11,amend,audit 4,revision 2: 75.0 % -> 100.0 %: tidy after all" "the amend is logged"

# ---- the previous version: schema 6 (merge; tests/fixtures/history/schema6.sql, made
# by make_schema6.sh with main at 728b1d8) is brought forward to schema 7: appeals get
# their version (every one so far was opened here), an amendment made here of an audit
# made here counts as a change of it (audit 1: revision 2, so one change) ----------------
DB=old6.db
rm -f old-copy.db
sqlite3 "$DB" < "$FIX/history/schema6.sql" || fail "cannot load the schema-6 fixture"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 6 ] || fail "the fixture is not schema 6"
cp "$DB" old-copy.db
SKIP=sync_rev rows old-copy.db > before6.txt
run "$SVA" --db "$DB" audit list --all --format csv
expect_rc 0 "audit list on the schema-6 file"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 9 ] || fail "schema 6 not brought forward to 9"
SKIP=sync_rev rows "$DB" > after6.txt
cmp -s before6.txt after6.txt || fail "schema 6 rows changed: $(diff before6.txt after6.txt | head -5)"
[ "$(sqlite3 "$DB" "SELECT group_concat(id || ':' || revision || ':' || sync_rev || ':' || (origin = ''), ' ')
    FROM (SELECT * FROM audit ORDER BY id)")" = "1:2:1:1 2:1:0:1 3:1:0:0" ] ||
    fail "schema 6: the audits' versions: $(sqlite3 "$DB" 'SELECT id, revision, sync_rev, origin FROM audit')"
[ "$(sqlite3 "$DB" "SELECT group_concat(audit_id || ':' || origin || ':' || sync_rev || ':' ||
    coalesce(changed_in, '-') || ':' || coalesce(outcome, 'open'), ' ') FROM (SELECT * FROM appeal ORDER BY id)")" = \
    "2::0:-:rejected 1::0:-:open" ] || fail "schema 6: the appeals: $(sqlite3 "$DB" 'SELECT * FROM appeal')"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE unvoided_at IS NOT NULL OR unvoided_by IS NOT NULL")" = 0 ] ||
    fail "schema 6: unvoids made up"
# an action's checks and carries get their version (the fixture has none: one
# written by hand, foreign keys off, is made here; written again, it is a change)
sqlite3 "$DB" "INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor)
    VALUES(1, '2026-11', 1, 2, 0, '2026-12-01T09:00:00Z', 'QA')" ||
    fail "schema 6: a check"
[ "$(sqlite3 "$DB" "SELECT origin || ':' || sync_rev || ':' || coalesce(changed_in, '-') FROM action_check")" = ":0:-" ] ||
    fail "schema 6: the new check's version: $(sqlite3 "$DB" 'SELECT * FROM action_check')"
sqlite3 "$DB" "UPDATE action_check SET verified = 0, n_failed = 1" || fail "schema 6: the check again"
[ "$(sqlite3 "$DB" "SELECT sync_rev FROM action_check")" = 1 ] || fail "schema 6: the check written again is no change"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM pragma_table_info('action_carry') WHERE name IN ('origin', 'sync_rev', 'changed_in')")" = 3 ] ||
    fail "schema 6: the carries have no version"
# and the record works on it: a resolve and an amendment count as changes of their records
run "$SVA" --db "$DB" --by "QA lead" audit resolve 1 --rejected --note "the exit was blocked"
expect_rc 0 "schema 6: resolve the old open appeal"
[ "$(sqlite3 "$DB" "SELECT sync_rev FROM appeal WHERE audit_id = 1")" = 1 ] || fail "schema 6: the resolve is no change"
sheet
run "$SVA" --db "$DB" --by "Zhou Qing" audit amend 2 --answers s4.ini --reason "clean after all"
expect_rc 0 "schema 6: amend"
[ "$(sqlite3 "$DB" "SELECT revision || ':' || sync_rev FROM audit WHERE id = 2")" = "2:1" ] ||
    fail "schema 6: the amendment is no change: $(sqlite3 "$DB" 'SELECT revision, sync_rev FROM audit WHERE id = 2')"
run "$SVA" --db "$DB" info
expect_rc 0 "schema 6: info"
expect_out "old office" "schema 6: the identity kept"
# ---- the previous version: schema 7 (tests/fixtures/history/schema7.sql, made by
# make_schema7.sh with main at 8d0f631) is brought forward to schema 8: its dated
# store and employee events get their key (origin '': made here, as every record
# this database made; seq by row id where one database made two of one subject,
# date and second: E1's two moves from 2026-12-02, the later one holds) --------------
DB=old7.db
rm -f old-copy.db
sqlite3 "$DB" < "$FIX/history/schema7.sql" || fail "cannot load the schema-7 fixture"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 7 ] || fail "the fixture is not schema 7"
cp "$DB" old-copy.db
rows old-copy.db > before7.txt
SVCAUDIT_TODAY=2026-12-03 run "$SVA" --db "$DB" employee list --format csv
expect_rc 0 "employee list on the schema-7 file"
expect_out "^E1,Wang Fang,SH-009,Sales,$" "schema 7: the later of two moves of one second holds"
[ "$(sqlite3 "$DB" 'PRAGMA user_version')" = 9 ] || fail "schema 7 not brought forward to 9"
rows "$DB" > after7.txt
cmp -s before7.txt after7.txt || fail "schema 7 rows changed: $(diff before7.txt after7.txt | head -5)"
[ "$(sqlite3 "$DB" "SELECT group_concat(employee_id || ':' || from_date || ':' || origin || ':' || seq, ' ')
    FROM (SELECT * FROM employee_event ORDER BY id)")" = "E1:::0 E1:2026-12-02::0 E1:2026-12-02::1 E2:::0 E2:2026-12-15::0" ] ||
    fail "schema 7: the employees' events: $(sqlite3 "$DB" 'SELECT * FROM employee_event')"
[ "$(sqlite3 "$DB" "SELECT group_concat(store_id || ':' || origin || ':' || seq, ' ')
    FROM (SELECT * FROM store_event ORDER BY id)")" = "SH-009::0 SH-002::0 SH-002::0" ] ||
    fail "schema 7: the stores' events: $(sqlite3 "$DB" 'SELECT * FROM store_event')"
# schema 9: from now on the events are kept
sqlite3 "$DB" "UPDATE store_event SET active = 1" 2> upd7.err && fail "schema 7: an event changed"
grep -q "store events are never changed" upd7.err || fail "schema 7: the refusal: $(cat upd7.err)"
sqlite3 "$DB" "INSERT INTO employee_event(employee_id, from_date, store_id, at, actor)
    SELECT employee_id, from_date, store_id, at, actor FROM employee_event WHERE id = 2" 2> dup.err &&
    fail "schema 7: an event's key is not unique"
SVCAUDIT_TODAY=2026-12-20 run "$SVA" --db "$DB" store list --format csv
expect_out "^SH-002,.*,2026-12-10$" "schema 7: the store's deactivation"
# the events travel: a laptop packed from it has them, moves E2 back, the office takes it
run "$SVA" --db "$DB" pack -o lap7.db --name "laptop 7"
expect_rc 0 "schema 7: pack"
[ "$(sqlite3 lap7.db "SELECT count(*) FROM employee_event") $(sqlite3 lap7.db "SELECT count(*) FROM store_event")" = "5 3" ] ||
    fail "schema 7: pack did not carry the events: $(sqlite3 lap7.db 'SELECT * FROM employee_event')"
SVCAUDIT_TODAY=2026-12-20 run "$SVA" --db lap7.db employee move E2 --store SH-001 --from 2027-01-02
expect_rc 0 "schema 7: a move on the laptop"
run "$SVA" --db "$DB" merge --verbose lap7.db
expect_rc 0 "schema 7: merge the laptop"
expect_out "; 1 store or employee event added;" "schema 7: the laptop's move"
SVCAUDIT_TODAY=2027-01-03 run "$SVA" --db "$DB" employee list --format csv
expect_out "^E2,Li Lei,SH-001,Sales,$" "schema 7: the office knows the laptop's move"
done_testing

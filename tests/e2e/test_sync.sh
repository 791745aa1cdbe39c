#!/bin/sh
# svcaudit e2e: laptops and offices (issue 14) through the binary. The office
# is named (init --name) and packs laptops for a scope (region, store; an
# existing file, two scopes, an unknown region refused); `info` shows the
# identity and where records were made; a laptop records with --actions, works
# on the office's action, imports survey results, gives a reason and a target;
# the office merges: everything arrives, the change to its own action is a
# conflict (exit 1), listed with both versions and settled with who; twice
# adds nothing; the office's later change reaches the laptop. Two laptops
# merged into copies of the office in both orders, and again, give the same
# canonical content. In the PostgreSQL pass the office is PostgreSQL and the
# laptops SQLite files: the same story, the office's copies for the orders
# made with `copy` (which keeps its identity), the office's later change sent
# to the laptop in a new pack, and the office's records after the merge the
# same as those of its SQLite twin after the same merge.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
count() { sqlite3 "${2:-svcaudit.db}" "SELECT count(*) FROM $1"; }
# canon DB: the database's records without local numbering or local times:
# audits and actions by UUID, every row sorted; the peers without the time of
# their last merge, the conflicts without their number and time.
canon() {
    sqlite3 "$1" <<'EOF'
.mode list
.separator |
SELECT 'store', id, name, region, origin, changed_at, changed_in FROM store ORDER BY id;
SELECT 'store_history', * FROM store_history ORDER BY 2, 3, 4, 5, 6;
SELECT 'employee', id, name, store_id, role, origin, changed_at, changed_in FROM employee ORDER BY id;
SELECT 'employee_history', * FROM employee_history ORDER BY 2, 3, 4, 5, 6, 7;
SELECT 'cycle', id, date_from, date_to, state, created_at, origin, sync_rev, changed_in FROM cycle ORDER BY id;
SELECT 'checklist', hash, checklist_id, version, length(source), stored_at, origin FROM checklist_version ORDER BY hash;
SELECT 'audit', uuid, checklist_hash, cycle_id, store_id, employee_id, auditor, audit_date,
       scorable, pct, raw_pct, failed, points, max_points, recorded_at, voided_at, void_reason,
       fingerprint, n_answered, n_passed, item_marks, origin, sync_rev, changed_in
  FROM audit ORDER BY uuid;
SELECT 'answer', a.uuid, x.item_no, x.item_id, x.value, x.points, x.passed, x.note
  FROM answer x JOIN audit a ON a.id = x.audit_id ORDER BY a.uuid, x.item_no;
SELECT 'section', a.uuid, s.section_id, s.pct, s.points FROM section_score s
  JOIN audit a ON a.id = s.audit_id ORDER BY a.uuid, s.section_id;
SELECT 'action', x.uuid, x.cycle_id, x.store_id, x.metric, x.checklist_id, x.item_id, x.status,
       x.owner, x.due, sa.uuid, cf.uuid, ct.uuid, x.created_at, x.updated_at, x.origin,
       x.sync_rev, x.changed_in
  FROM action x LEFT JOIN audit sa ON sa.id = x.source_audit
  LEFT JOIN action cf ON cf.id = x.carried_from LEFT JOIN action ct ON ct.id = x.carried_to
  ORDER BY x.uuid;
SELECT 'field', x.uuid, f.key, f.value, f.pos FROM action_field f JOIN action x ON x.id = f.action_id
  ORDER BY x.uuid, f.key;
SELECT 'history', x.uuid, h.at, h.actor, h.change, h.origin FROM action_history h
  JOIN action x ON x.id = h.action_id ORDER BY x.uuid, h.at, h.actor, h.change, h.origin;
SELECT 'target', * FROM target ORDER BY 2, 3, 4, 5;
SELECT 'survey', * FROM survey ORDER BY 2, 3, 4;
SELECT 'reason', * FROM cycle_reason ORDER BY 2, 3, 4;
SELECT 'plan', uuid, cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor,
       set_at, origin, sync_rev, changed_in FROM plan ORDER BY 3, 4, 5, 6;
SELECT 'plan_reason', * FROM plan_reason ORDER BY 2, 3, 4, 5;
SELECT 'owner', * FROM owner ORDER BY 2, 3, 4, 5;
SELECT 'peer', uuid, name, merges FROM sync_peer ORDER BY uuid;
SELECT 'conflict', kind, key, there, sender, sender_name, resolved_at, resolved_by, kept
  FROM sync_conflict ORDER BY kind, key, there;
EOF
}

# ---- the office: named, organisation, a cycle, its own audit and action, a target ------------
run "$SVA" init --name "East office"
expect_rc 0 "init --name"
expect_out "named 'East office'" "init names the database"
"$SVA" store import "$REC/stores.csv" > /dev/null || fail "store import"
"$SVA" employee import "$REC/employees.csv" > /dev/null || fail "employee import"
"$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "cycle open"
"$SVA" target set --cycle 2026-11 --metric ssi --value 85 > /dev/null || fail "office target"
# records of the north that a laptop of the east does not take (nor refuse)
printf 'cycle,store,metric,value,respondents\n2026-11,BJ-001,csi,77,12\n' > north.csv
{
    "$SVA" target set --cycle 2026-11 --region north --metric ssi --value 70 > /dev/null &&
        "$SVA" target set --cycle 2026-11 --store BJ-001 --metric csi --value 75 > /dev/null &&
        "$SVA" survey import north.csv > /dev/null &&
        "$SVA" cycle reason 2026-11 --store BJ-001 --metric csi --text "roadworks" > /dev/null
} || fail "office: the north's target, survey and reason"
# plans (per-cycle master data): every store, region east, one store of north; an owner
"$SVA" plan set --cycle 2026-11 --checklist 6s_store --all-stores --times 1 > /dev/null &&
    "$SVA" plan set --cycle 2026-11 --checklist phone_handling --region east --times 2 \
        --every month > /dev/null &&
    "$SVA" plan set --cycle 2026-11 --checklist 6s_store --store BJ-001 --times 3 > /dev/null &&
    "$SVA" owner set --store SH-001 --checklist 6s_store --section sort --employee SH-001-E01 \
        > /dev/null || fail "office plans and owner"
run "$SVA" action add --cycle 2026-11 --store SH-001 --metric ssi --set why="slow greeting" \
    --set what="greet within 30 s" --set who="Li Ming" --set when=2026-11-28 \
    --set where=reception --set how="a bell at the door" --by Office
expect_rc 0 "the office's action"
run "$SVA" info
expect_rc 0 "info"
expect_out "name       East office" "info: the name"
expect_out "schema     " "info: the schema"
ouuid=$(dbq "SELECT value FROM meta WHERE key = 'db_uuid'")
expect_out "uuid       $ouuid" "info: the uuid"
run "$SVA" info --format json
expect_rc 0 "info json"
expect_out "\"name\": *\"East office\"" "info json: the name"

# ---- pack: scopes, and what is refused --------------------------------------------------------
# the help says what travels, as the README does
run "$SVA" pack --help
for w in "plans" "owners" "reasons for missed planned audits" "carried from or to"; do
    expect_out "$w" "pack --help names $w"
done
run "$SVA" merge --help
for w in "plans" "owners" "revision" "unvoids" "reasons for missed planned audits"; do
    expect_out "$w" "merge --help names $w"
done
run "$SVA" pack -o zhang.db --region east --name "laptop Zhang"
expect_rc 0 "pack --region east"
expect_out "packed zhang.db: 2 stores" "pack: the region's stores"
echo "$OUT" | grep -q '[^0-9]0 ' && fail "pack: a count of 0 shown: $OUT"
expect_out ", 1 action (" "pack: the region's open action"
[ "$(sqlite3 zhang.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM store ORDER BY id)")" = \
    "SH-001 SH-002" ] || fail "pack --region east: stores $(sqlite3 zhang.db 'SELECT id FROM store')"
[ "$(count employee zhang.db)" = 2 ] || fail "pack --region east: employees $(count employee zhang.db)"
[ "$(count action zhang.db)" = 1 ] || fail "pack: the region's open action did not travel"
[ "$(count target zhang.db)" = 1 ] || fail "pack: the target did not travel"
[ "$(sqlite3 zhang.db "SELECT group_concat(scope, ' ') FROM (SELECT scope FROM plan ORDER BY scope)")" = \
    "network region" ] || fail "pack --region east: plans $(sqlite3 zhang.db 'SELECT scope, scope_id FROM plan')"
[ "$(count owner zhang.db)" = 1 ] || fail "pack: the owner did not travel"
zuuid=$(sqlite3 zhang.db "SELECT value FROM meta WHERE key = 'db_uuid'")
[ -n "$zuuid" ] && [ "$zuuid" != "$ouuid" ] || fail "pack: the laptop has no identity of its own"
run "$SVA" --db zhang.db info
expect_out "name       laptop Zhang" "the laptop's name"
run "$SVA" pack -o bj.db --store BJ-001
expect_rc 0 "pack --store"
[ "$(sqlite3 bj.db 'SELECT group_concat(id) FROM store')" = BJ-001 ] || fail "pack --store BJ-001"
[ "$(count action bj.db)" = 0 ] || fail "pack --store BJ-001 took another store's action"
cp zhang.db zhang.keep
run "$SVA" pack -o zhang.db --region east
[ "$RC" -ne 0 ] || fail "pack over an existing file succeeded"
cmp -s zhang.db zhang.keep || fail "pack over an existing file changed it"
run "$SVA" pack -o two.db --region east --store SH-001
expect_rc 2 "pack with two scopes"
expect_err "one of --region, --store, --auditor" "pack with two scopes"
run "$SVA" pack -o nowhere.db --region nowhere
[ "$RC" -ne 0 ] || fail "pack of an unknown region succeeded"
[ -e nowhere.db ] && fail "pack of an unknown region left a file"
run "$SVA" pack -o wu.db --region east --name "laptop Wu"
expect_rc 0 "pack a second laptop"

# ---- on the laptop: an audit with its actions, work on the office's action, surveys ----------
"$SVA" checklist template phone_handling -o phone.ini > /dev/null
L="--db zhang.db"
fill phone.ini z1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H auditor="Zhang Min" -H date=2026-11-18 --rest-yesno yes --rest-num 4 \
    answer.greeting=no 'answer.greeting:note=no dealer name'
# shellcheck disable=SC2086
run "$SVA" $L record phone_handling --answers z1.ini --actions --set who="Li Ming" \
    --set when=2026-11-29 --set where=reception --set how="script"
expect_rc 0 "the laptop records with --actions"
expect_out "1 action opened" "the laptop's action"
oact=$(sqlite3 zhang.db "SELECT id FROM action WHERE origin != ''")
# shellcheck disable=SC2086
run "$SVA" $L action update "$oact" --status in_progress --set how="retrain at 9:00" --by Zhang
expect_rc 0 "the laptop works on the office's action"
printf 'cycle,store,metric,value,respondents\n2026-11,SH-001,csi,81.5,40\n' > survey.csv
# shellcheck disable=SC2086
"$SVA" $L survey import survey.csv > /dev/null || fail "laptop survey import"
# shellcheck disable=SC2086
"$SVA" $L cycle reason 2026-11 --store SH-002 --metric ssi --text "new staff" > /dev/null ||
    fail "laptop reason"
# shellcheck disable=SC2086
"$SVA" $L target set --cycle 2026-11 --region east --metric ssi --value 88 > /dev/null ||
    fail "laptop target"
# shellcheck disable=SC2086
{
    "$SVA" $L plan reason --cycle 2026-11 --checklist 6s_store --store SH-002 \
        --text "closed for works" > /dev/null &&
        "$SVA" $L plan set --cycle 2026-11 --checklist sales_mystery_shop --store SH-001 \
            --times 1 > /dev/null &&
        "$SVA" $L owner set --store SH-001 --checklist 6s_store --section safety \
            --employee SH-001-E02 > /dev/null
} || fail "laptop plan reason, plan, owner"
# the second laptop: one audit, nothing of the office's touched
fill phone.ini w1.ini -H store=SH-001 -H employee=SH-001-E02 -H cycle=2026-11 -H auditor="Wu Gang" \
    -H date=2026-11-20 --rest-yesno yes --rest-num 2
"$SVA" --db wu.db record phone_handling --answers w1.ini > /dev/null || fail "wu records"

# ---- order does not matter: two copies of the office, the laptops in both orders -------------
# office_copy FILE: the office as an SQLite file, its identity and every row kept
office_copy() {
    if on_pg; then
        "$SVA" copy --from "$DBNAME" --to "$1" > /dev/null || fail "copy the office to $1"
    else
        cp svcaudit.db "$1"
    fi
}
office_copy ab.db
office_copy ba.db
office_copy twin.db
"$SVA" --db ab.db merge zhang.db > /dev/null 2>&1
"$SVA" --db ab.db merge wu.db > /dev/null 2>&1
"$SVA" --db ba.db merge wu.db > /dev/null 2>&1
"$SVA" --db ba.db merge zhang.db > /dev/null 2>&1
canon ab.db > ab.canon
canon ba.db > ba.canon
[ -s ab.canon ] || fail "canonical dump empty"
cmp -s ab.canon ba.canon || { fail "A then B differs from B then A"; diff ab.canon ba.canon | head; }
for f in zhang.db wu.db zhang.db; do
    "$SVA" --db ab.db merge "$f" > /dev/null 2>&1
    "$SVA" --db ba.db merge "$f" > /dev/null 2>&1
done
canon ab.db > ab2.canon
canon ba.db > ba2.canon
cmp -s ab.canon ab2.canon || { fail "merging again changed A-then-B"; diff ab.canon ab2.canon | head; }
cmp -s ab2.canon ba2.canon || fail "merging again: the orders differ"
for f in zhang.db wu.db; do
    for u in $(sqlite3 "$f" "SELECT uuid FROM audit UNION ALL SELECT uuid FROM action"); do
        grep -q "$u" ab.canon || fail "$f: record $u is missing from the office"
    done
done

# ---- the office merges the laptop: everything arrives, one conflict -----------------------------
run "$SVA" merge --verbose zhang.db
expect_rc 1 "merge with a conflict"
expect_out "merged zhang.db (laptop Zhang): 1 audit added" "merge: the audit"
expect_out "1 action," "merge: the laptop's action"
expect_out "1 target, 1 survey result, 1 reason, 2 plans, 1 owner, 0 appeals, 0 closes, 0 action checks, 0 action carries added" \
    "merge: target, survey, reason, plan and its reason, owner"
expect_out "; 1 conflict$" "merge: the conflict counted"
expect_err "conflict 1" "merge: the conflict reported"
[ "$(dbq "SELECT status FROM action WHERE origin = ''")" = open ] ||
    fail "the laptop changed the office's action silently"
[ "$(dbq "SELECT count(*) FROM action_history h JOIN action a ON a.id = h.action_id
      WHERE a.origin != ''")" -ge 1 ] || fail "the laptop's action came without its history"
[ "$(dbq "SELECT value FROM survey WHERE store_id = 'SH-001'")" = 81.5 ] ||
    fail "the survey result did not travel"
[ "$(dbq "SELECT text FROM cycle_reason WHERE store_id = 'SH-002'")" = "new staff" ] ||
    fail "the reason did not travel"
[ "$(dbq "SELECT text FROM plan_reason")" = "closed for works" ] ||
    fail "the reason for a missed plan did not travel"
[ "$(dbq "SELECT times FROM plan WHERE checklist_id = 'sales_mystery_shop'")" = 1 ] ||
    fail "the laptop's plan did not travel"
[ "$(dbq "SELECT employee_id FROM owner WHERE section_id = 'safety'")" = SH-001-E02 ] ||
    fail "the laptop's owner did not travel"
# the same merge into the office's SQLite twin (made before it) gives the same records
"$SVA" --db twin.db merge zhang.db > /dev/null 2>&1
[ $? -eq 1 ] || fail "the twin: not one conflict"
office_copy now.db
canon now.db > now.canon
canon twin.db > twin.canon
cmp -s now.canon twin.canon || {
    fail "the office and its SQLite twin differ after the same merge"
    diff now.canon twin.canon | head
}
rm -f now.db
run "$SVA" merge --conflicts
expect_rc 0 "merge --conflicts"
expect_out "conflict 1: action" "conflicts: the kind"
expect_out "'laptop Zhang'" "conflicts: from whom"
expect_out "status: here open, there in_progress" "conflicts: both versions"
run "$SVA" merge --conflicts --format json
expect_rc 0 "merge --conflicts json"
expect_out '"kind": *"action"' "conflicts json"
run "$SVA" merge --resolve 1
expect_rc 2 "--resolve without --keep"
run "$SVA" merge --resolve 7 --keep there --by "Chen Jie"
[ "$RC" -ne 0 ] || fail "settling a conflict that does not exist succeeded"
run "$SVA" merge --resolve 1 --keep there --by "Chen Jie"
expect_rc 0 "merge --resolve"
expect_out "conflict 1 settled: kept the version there" "resolve"
[ "$(dbq "SELECT status FROM action WHERE origin = ''")" = in_progress ] ||
    fail "keeping the version there did not take it"
run "$SVA" merge --conflicts --all
expect_out "settled .* by Chen Jie: kept there" "who settled it"
run "$SVA" merge --resolve 1 --keep here
[ "$RC" -ne 0 ] || fail "settling a conflict twice succeeded"
db_dump > before.dump
run "$SVA" merge zhang.db
expect_rc 0 "merge again, settled"
expect_out ": nothing new (1 audit already here)$" "merge again: nothing new"
db_dump | grep -v "sync_peer" > after.dump
grep -v "sync_peer" before.dump > before2.dump
cmp -s before2.dump after.dump || fail "merging again changed more than the peer's count"

# ---- the office changes; the laptop takes it --------------------------------------------------
"$SVA" target set --cycle 2026-11 --metric ssi --value 90 > /dev/null || fail "office target 90"
# (a PostgreSQL office sends its records to a laptop in a new pack of the laptop's scope)
if on_pg; then
    run "$SVA" pack -o office-now.db --region east
    expect_rc 0 "the PostgreSQL office packs its news"
    run "$SVA" --db zhang.db merge office-now.db
else
    run "$SVA" --db zhang.db merge svcaudit.db
fi
expect_rc 0 "the laptop merges the office"
[ "$(sqlite3 zhang.db "SELECT value FROM target WHERE scope = 'network'")" = 90.0 ] ||
    fail "the office's new target did not reach the laptop"
[ "$(sqlite3 zhang.db "SELECT status FROM action WHERE origin != ''")" = in_progress ] ||
    fail "the laptop lost its change to the office's action"
run "$SVA" --db zhang.db info
expect_out "East office" "the laptop's info names the office"
run "$SVA" --db zhang.db merge --conflicts
expect_out "no open conflicts" "the laptop: no conflicts"
[ "$(sqlite3 zhang.db 'PRAGMA integrity_check')" = ok ] || fail "laptop integrity"
on_pg || [ "$(sqlite3 svcaudit.db 'PRAGMA integrity_check')" = ok ] || fail "office integrity"

# ---- an employee moved after their audit: the audit stays theirs, the region still packs ------
"$SVA" employee move SH-001-E01 --store SH-002 --from 2026-12-01 > /dev/null || fail "office: move"
run "$SVA" pack -o after-move.db --region east
expect_rc 0 "pack after an employee moved since their audit"
[ "$(sqlite3 after-move.db "SELECT count(*) FROM audit WHERE employee_id = 'SH-001-E01'
      AND store_id = 'SH-001'")" = 1 ] || fail "the moved employee's audit did not travel"

# ---- a move out of the region travels with the employee: every move, and the store it names
# (its row and dated changes; not its employees or the north region's target) ------------------
{
    "$SVA" employee move SH-001-E01 --store BJ-001 --from 2026-12-05 > /dev/null &&
        "$SVA" employee move SH-001-E01 --store SH-002 --from 2026-12-20 > /dev/null
} || fail "office: a stay at BJ-001"
run "$SVA" pack -o stay.db --region east
expect_rc 0 "pack after a stay out of the region"
[ "$(sqlite3 stay.db "SELECT group_concat(from_date || ':' || store_id, ' ') FROM (SELECT * FROM
    employee_event WHERE employee_id = 'SH-001-E01' ORDER BY from_date)")" = \
    ":SH-001 2026-12-01:SH-002 2026-12-05:BJ-001 2026-12-20:SH-002" ] ||
    fail "the laptop lacks a move of E01: $(sqlite3 stay.db 'SELECT * FROM employee_event')"
[ "$(sqlite3 stay.db "SELECT group_concat(id, ' ') FROM (SELECT id FROM store ORDER BY id)")" = \
    "BJ-001 SH-001 SH-002" ] || fail "the laptop's stores: $(sqlite3 stay.db 'SELECT id FROM store')"
[ "$(sqlite3 stay.db "SELECT count(*) FROM employee WHERE id LIKE 'BJ-%'")" = 0 ] ||
    fail "BJ-001's employees came along"
[ "$(sqlite3 stay.db "SELECT (SELECT count(*) FROM target WHERE scope_id IN ('north', 'BJ-001'))
    + (SELECT count(*) FROM survey WHERE store_id = 'BJ-001')
    + (SELECT count(*) FROM cycle_reason WHERE store_id = 'BJ-001')
    + (SELECT count(*) FROM plan WHERE scope_id IN ('north', 'BJ-001'))")" = 0 ] ||
    fail "the north's or BJ-001's targets, surveys, reasons or plans came along"
SVCAUDIT_TODAY=2026-12-10 run "$SVA" --db stay.db employee list --format csv
expect_out "^SH-001-E01,Li Ming,BJ-001," "the laptop: E01 at BJ-001 on 2026-12-10"
run "$SVA" merge --verbose stay.db
expect_rc 0 "the office merges the laptop back"
expect_out "; 0 stores, 0 employees, " "the office takes back no store"
expect_out "; 0 store and employee events added;" "the office takes back no event"

done_testing

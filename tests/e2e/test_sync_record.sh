#!/bin/sh
# svcaudit e2e: the record's own additions travel (issue 14's remainder,
# schema 7). Appeals go both ways with their resolution, keyed by (audit,
# opened at, opened by); resolving an appeal another database opened is a
# change made elsewhere: a conflict at its maker, settled with --keep. An
# audit amended by its maker after the office has it arrives as a new
# revision (scored again, the replaced one kept), the same as when the whole
# history arrives at once; one amended elsewhere stays a conflict, and
# --keep there is refused for it (its answers are not in the conflict to be
# scored again). A void and an unvoid made after the first merge arrive with
# who and when. An action's checks and carries made where the action was
# made arrive with it; the office's carry of the laptop's action does not
# reach the laptop by merge: it is a conflict of the action there, and --keep
# there brings the carry with the action's new cycle (--keep here leaves it
# out). Every merge is idempotent. In the PostgreSQL pass the office
# is PostgreSQL; the laptop takes the office's changes from a pack.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
lq() { sqlite3 lap.db "$1"; }
L="--db lap.db"
# office_file: a file of the office's records for the laptop to merge
n_pack=0
office_file() {
    if on_pg; then
        n_pack=$((n_pack + 1))
        rm -f "now$n_pack.db"
        "$SVA" pack -o "now$n_pack.db" > /dev/null || fail "pack the office for the laptop"
        OFFICE_FILE="now$n_pack.db"
    else
        OFFICE_FILE=svcaudit.db
    fi
}

"$SVA" init --name "East office" > /dev/null &&
    "$SVA" store import "$REC/stores.csv" > /dev/null &&
    "$SVA" employee import "$REC/employees.csv" > /dev/null &&
    "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "the office"
"$SVA" checklist template phone_handling -o phone.ini > /dev/null
sheet() { # OUT DAY NUM [ANSWER...]
    o=$1 day=$2 num=$3
    shift 3
    fill phone.ini "$o" -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
        -H auditor="Zhang Min" -H date="2026-11-$day" --rest-yesno yes --rest-num "$num" "$@"
}
sheet o1.ini 10 4 answer.greeting=no 'answer.greeting:note=no dealer name'
"$SVA" record phone_handling --answers o1.ini > /dev/null || fail "the office's audit"
# (its action takes it to the laptop)
"$SVA" action add --from-audit 1 --set why=w --set what=x --set who=y --set when=2026-11-28 \
    --set where=z --set how=h --by Office > /dev/null || fail "the office's action"
"$SVA" pack -o lap.db --name "laptop Zhang" > /dev/null || fail "pack"
sheet l1.ini 12 3
# shellcheck disable=SC2086
"$SVA" $L record phone_handling --answers l1.ini > /dev/null || fail "the laptop's audit"
luuid=$(lq "SELECT uuid FROM audit WHERE origin = ''")
ouuid=$(lq "SELECT uuid FROM audit WHERE origin != ''")
run "$SVA" merge lap.db
expect_rc 0 "the first merge"
expect_out "1 audit added" "the first merge"

# ---- appeals: opened on the laptop, of its audit and of the office's ---------------------------
# shellcheck disable=SC2086
{
    "$SVA" $L --by "SH-001 manager" audit appeal 2 --reason "the greeting was on time" > /dev/null &&
        "$SVA" $L --by "SH-001 manager" audit appeal 1 --reason "hold music was on" > /dev/null
} || fail "the laptop's appeals"
run "$SVA" merge --verbose lap.db
expect_rc 0 "merge the appeals"
expect_out "2 appeals, 0 closes, 0 action checks, 0 action carries added" "merge the appeals"
got=$(dbq "SELECT a.uuid || '|' || p.opened_by || '|' || p.reason || '|' || p.revision || '|' || coalesce(p.outcome, 'open')
    FROM appeal p JOIN audit a ON a.id = p.audit_id ORDER BY a.uuid")
want=$(printf '%s\n%s\n' "$luuid|SH-001 manager|the greeting was on time|1|open" \
    "$ouuid|SH-001 manager|hold music was on|1|open" | sort)
[ "$got" = "$want" ] || fail "the appeals at the office: $got"
[ "$(dbq "SELECT count(*) FROM appeal WHERE origin = '$(lq "SELECT value FROM meta WHERE key = 'db_uuid'")'")" = 2 ] ||
    fail "the appeals are not the laptop's"
run "$SVA" audit list --appealed --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || fail "audit list --appealed: $OUT"
run "$SVA" cycle close 2026-11
[ "$RC" -ne 0 ] || fail "an open appeal from the laptop does not block the close"
expect_err "audit 2 (SH-001) has an open appeal" "the close names the laptop's appeal"
run "$SVA" merge --verbose lap.db
expect_rc 0 "merge the appeals again"
expect_out "0 appeals, 0 closes, 0 action checks, 0 action carries added" "merge the appeals again"
dbq "SELECT count(*) FROM appeal" | grep -qx 2 || fail "a second merge added appeals"

# the laptop resolves its appeal: the resolution arrives with who and when
# shellcheck disable=SC2086
"$SVA" $L --by "QA Lin" audit resolve 2 --rejected --note "the recording shows 40 s" > /dev/null ||
    fail "the laptop resolves"
run "$SVA" merge lap.db
expect_rc 0 "merge the resolution"
[ "$(dbq "SELECT p.outcome || '|' || p.resolved_by || '|' || p.note || '|' || p.resolved_at FROM appeal p
    JOIN audit a ON a.id = p.audit_id WHERE a.uuid = '$luuid'")" = \
    "rejected|QA Lin|the recording shows 40 s|$(lq 'SELECT resolved_at FROM appeal WHERE audit_id = 2')" ] ||
    fail "the resolution at the office: $(dbq 'SELECT * FROM appeal')"
run "$SVA" info
expect_out "appeals    2 (1 open), 0 made here" "info counts the appeals"
run "$SVA" $L info --format json
expect_out '"appeals_made_here": 2' "info --format json: the laptop's appeals"

# the office resolves the laptop's appeal of its audit: a change made elsewhere, a conflict there
run "$SVA" --by "QA lead" audit resolve 1 --rejected --note "hold music is not the rule"
expect_rc 0 "the office resolves the laptop's appeal"
run "$SVA" merge lap.db
expect_rc 0 "the laptop's open version gives way quietly to the office's decision"
[ "$(dbq "SELECT outcome FROM appeal p JOIN audit a ON a.id = p.audit_id WHERE a.uuid = '$ouuid'")" = rejected ] ||
    fail "the office's resolution was undone by the laptop's open version"
office_file
run "$SVA" $L merge "$OFFICE_FILE"
expect_rc 1 "the laptop: the office resolved its appeal"
expect_err "conflict [0-9]*: appeal $ouuid/" "the laptop: the conflict names the appeal"
[ "$(lq "SELECT outcome IS NULL FROM appeal WHERE audit_id = 1")" = 1 ] ||
    fail "the laptop's appeal was changed silently"
cid=$(lq "SELECT id FROM sync_conflict WHERE kind = 'appeal' AND resolved_at IS NULL")
run "$SVA" $L merge --conflicts --format csv
expect_out "appeal" "the laptop lists the appeal's conflict"
run "$SVA" $L merge --resolve "$cid" --keep there --by "SH-001 manager"
expect_rc 0 "the laptop keeps the office's decision"
[ "$(lq "SELECT outcome || '|' || resolved_by FROM appeal WHERE audit_id = 1")" = "rejected|QA lead" ] ||
    fail "the laptop after --keep there: $(lq 'SELECT * FROM appeal')"
run "$SVA" $L merge "$OFFICE_FILE"
expect_rc 0 "the laptop merges the office again: settled"

# ---- amendments: the maker's is taken, another's is a conflict ------------------------------------
on_pg || cp svcaudit.db before-amend.db
sheet l1b.ini 12 4
# shellcheck disable=SC2086
"$SVA" $L --by "Zhang Min" audit amend 2 --answers l1b.ini --reason "the hold was fine" > /dev/null ||
    fail "the laptop amends its audit"
lfp=$(lq "SELECT fingerprint || '|' || item_marks || '|' || revision FROM audit WHERE id = 2")
run "$SVA" merge --verbose lap.db
expect_rc 0 "the maker's amendment is no conflict"
expect_out "1 amendment," "the amendment counted"
[ "$(dbq "SELECT fingerprint || '|' || item_marks || '|' || revision FROM audit WHERE uuid = '$luuid'")" = "$lfp" ] ||
    fail "the office has not the laptop's revision"
[ "$(dbq "SELECT revised_by || '|' || revision_reason FROM audit WHERE uuid = '$luuid'")" = \
    "Zhang Min|the hold was fine" ] || fail "who amended and why"
[ "$(dbq "SELECT r.revision || '|' || r.fingerprint || '|' || r.replaced_by FROM audit_revision r
    JOIN audit a ON a.id = r.audit_id WHERE a.uuid = '$luuid'")" = "$(lq "SELECT revision || '|' ||
    fingerprint || '|' || replaced_by FROM audit_revision WHERE audit_id = 2")" ] ||
    fail "the replaced revision at the office"
[ "$(dbq "SELECT count(*) FROM answer_revision r JOIN audit a ON a.id = r.audit_id WHERE a.uuid = '$luuid'")" = \
    "$(lq 'SELECT count(*) FROM answer_revision WHERE audit_id = 2')" ] || fail "the replaced answers"
run "$SVA" audit show 2 --history
expect_rc 0 "audit show --history of the amended audit"
expect_out "the hold was fine" "the history shows the laptop's reason"
run "$SVA" merge --verbose lap.db
expect_rc 0 "the amendment merged again"
expect_out "0 amendments" "the amendment merged again"
if ! on_pg; then
    # the whole history at once: an office that never saw revision 1 holds the same
    cp before-amend.db whole.db
    sqlite3 whole.db "SELECT 1" > /dev/null
    q="SELECT a.uuid, a.fingerprint, a.pct, a.revision, a.revised_at, a.revised_by, a.sync_rev,
        a.changed_in, r.revision, r.fingerprint, r.made_at, r.made_by, r.replaced_at, r.replaced_by
        FROM audit a LEFT JOIN audit_revision r ON r.audit_id = a.id ORDER BY 1, 9"
    sqlite3 svcaudit.db "$q" > inc.txt
    # a fresh office (the laptop's records arrive at once)
    "$SVA" --db fresh.db init > /dev/null
    "$SVA" --db fresh.db merge lap.db > /dev/null 2>&1
    sqlite3 fresh.db "$q" > fresh.txt
    cmp -s inc.txt fresh.txt || fail "amendment in two merges differs from at once: $(diff inc.txt fresh.txt)"
fi

# the laptop amends the office's audit: a conflict, never taken; keep there is refused
sheet o1b.ini 10 2
# shellcheck disable=SC2086
"$SVA" $L --by "Zhang Min" audit amend 1 --answers o1b.ini --reason "redo" > /dev/null ||
    fail "the laptop amends the office's audit"
ofp=$(dbq "SELECT fingerprint FROM audit WHERE uuid = '$ouuid'")
run "$SVA" merge lap.db
expect_rc 1 "an amendment made elsewhere"
expect_err "conflict [0-9]*: audit $ouuid" "the conflict names the audit"
[ "$(dbq "SELECT fingerprint FROM audit WHERE uuid = '$ouuid'")" = "$ofp" ] ||
    fail "the office's audit was amended by the laptop"
cid=$(dbq "SELECT id FROM sync_conflict WHERE kind = 'audit' AND resolved_at IS NULL")
run "$SVA" merge --resolve "$cid" --keep there
expect_rc 3 "keep there for an amendment made elsewhere"
expect_err "amend it here" "keep there says what to do"
[ "$(dbq "SELECT fingerprint FROM audit WHERE uuid = '$ouuid'")" = "$ofp" ] ||
    fail "keep there replaced the office's answers"
run "$SVA" merge --resolve "$cid" --keep here --by "QA lead"
expect_rc 0 "keep here"

# ---- a void and an unvoid after the first merge: who and when --------------------------------------
# shellcheck disable=SC2086
"$SVA" $L --by "Zhang Min" audit void 2 --reason "wrong day" > /dev/null || fail "the laptop voids"
run "$SVA" merge lap.db
expect_rc 0 "merge the void"
[ "$(dbq "SELECT voided_by || '|' || voided_at || '|' || void_reason FROM audit WHERE uuid = '$luuid'")" = \
    "$(lq "SELECT voided_by || '|' || voided_at || '|' || void_reason FROM audit WHERE id = 2")" ] ||
    fail "the void's author and time at the office"
dbq "SELECT voided_by FROM audit WHERE uuid = '$luuid'" | grep -qx "Zhang Min" || fail "voided_by"
# shellcheck disable=SC2086
"$SVA" $L --by "Li Ping" audit unvoid 2 --reason "the right day after all" > /dev/null ||
    fail "the laptop unvoids"
run "$SVA" merge lap.db
expect_rc 0 "merge the unvoid"
[ "$(dbq "SELECT coalesce(voided_at, '-') || '|' || unvoided_by || '|' || unvoided_at FROM audit
    WHERE uuid = '$luuid'")" = "-|Li Ping|$(lq 'SELECT unvoided_at FROM audit WHERE id = 2')" ] ||
    fail "the unvoid's author and time at the office: $(dbq "SELECT voided_at, unvoided_by, unvoided_at FROM audit WHERE uuid = '$luuid'")"
run "$SVA" merge --verbose lap.db
expect_rc 0 "merged again"
expect_out "0 voids, 0 amendments" "merged again: nothing"


# ---- closed means closed: closes and reopens travel; a closed cycle takes nothing new --------
# the laptop records while the office closes the cycle (with nothing open: the appeals are settled)
sheet l2.ini 20 4
# shellcheck disable=SC2086
"$SVA" $L record phone_handling --answers l2.ini > /dev/null || fail "the laptop's late audit"
l2uuid=$(lq "SELECT uuid FROM audit ORDER BY id DESC LIMIT 1")
# shellcheck disable=SC2086
"$SVA" $L --by "Zhang Min" audit void 2 --reason "after all" > /dev/null || fail "the laptop's late void"
"$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31 > /dev/null || fail "the next cycle"
run "$SVA" --by "QA lead" cycle close 2026-11
expect_rc 0 "the office closes 2026-11"
on_pg || cp svcaudit.db closed.db
before=$(db_dump | grep -v -i 'sync_peer\|change_log' | md5sum)
run "$SVA" merge lap.db
expect_rc 1 "records of a closed cycle are not taken"
expect_err "audit $l2uuid of cycle 2026-11, which is closed here: not taken" "the new audit named"
expect_err "audit $luuid of cycle 2026-11, which is closed here: not taken" "the void named"
expect_err "svcaudit cycle reopen 2026-11" "the way to take them"
expect_out "2 records of closed cycles not taken" "the summary counts them"
[ "$(db_dump | grep -v -i 'sync_peer\|change_log' | md5sum)" = "$before" ] ||
    fail "the merge changed the closed cycle"
dbq "SELECT count(*) FROM audit WHERE uuid = '$l2uuid'" | grep -qx 0 || fail "the late audit was added"
dbq "SELECT voided_at IS NULL FROM audit WHERE uuid = '$luuid'" | grep -Eqx '1|t' || fail "the late void was taken"
# the laptop takes the close: who and when
office_file
run "$SVA" $L merge "$OFFICE_FILE"
[ "$RC" -le 1 ] || fail "the laptop merges the closed office: $ERR"
[ "$(lq "SELECT closed_by || '|' || closed_at FROM cycle_close")" = \
    "$(dbq "SELECT closed_by || '|' || closed_at FROM cycle_close")" ] ||
    fail "the close at the laptop: $(lq 'SELECT * FROM cycle_close')"
[ "$(lq "SELECT state FROM cycle WHERE id = '2026-11'")" = closed ] || fail "the laptop's cycle is not closed"
# the office reopens: the records come in, and the reopen reaches the laptop
run "$SVA" --by "QA lead" cycle reopen 2026-11 --reason "the laptop's audit came late"
expect_rc 0 "reopen"
run "$SVA" merge lap.db
expect_rc 0 "the reopened cycle takes the laptop's records"
dbq "SELECT count(*) FROM audit WHERE uuid = '$l2uuid'" | grep -qx 1 || fail "the late audit after the reopen"
dbq "SELECT voided_by FROM audit WHERE uuid = '$luuid'" | grep -qx "Zhang Min" || fail "the late void after the reopen"
office_file
run "$SVA" $L merge "$OFFICE_FILE"
[ "$RC" -le 1 ] || fail "the laptop merges the reopened office: $ERR"
[ "$(lq "SELECT reopened_by || '|' || reopen_reason FROM cycle_close")" = \
    "QA lead|the laptop's audit came late" ] || fail "the reopen at the laptop: $(lq 'SELECT * FROM cycle_close')"
[ "$(lq "SELECT state FROM cycle WHERE id = '2026-11'")" = act ] || fail "the laptop's cycle is not reopened"
run "$SVA" merge lap.db
expect_rc 0 "merged again after the reopen"
# ---- an action's checks and carries: the laptop's own cycles and actions -----------------------
# (a check and a carry are changes of the action: taken from the database that made it;
# each audit recorded on the day it is dated, never before)
# shellcheck disable=SC2086
{
    "$SVA" $L cycle open 2027-01 --from 2027-01-01 --to 2027-01-31 > /dev/null &&
        "$SVA" $L cycle open 2027-02 --from 2027-02-01 --to 2027-02-28 > /dev/null &&
        "$SVA" $L cycle open 2027-03 --from 2027-03-01 --to 2027-03-31 > /dev/null
} || fail "the laptop's cycles"
fill phone.ini j1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2027-01 \
    -H auditor="Zhang Min" -H date=2027-01-12 --rest-yesno yes --rest-num 4 \
    answer.greeting=no 'answer.greeting:note=no dealer name'
fill phone.ini j2.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2027-02 \
    -H auditor="Zhang Min" -H date=2027-02-12 --rest-yesno yes --rest-num 4
# shellcheck disable=SC2086
{
    env SVCAUDIT_TODAY=2027-01-12 "$SVA" $L record phone_handling --answers j1.ini > /dev/null &&
        "$SVA" $L action add --from-audit "$(lq "SELECT id FROM audit WHERE cycle_id = '2027-01'")" \
            --set why=w --set what=x --set who=y --set when=2027-01-28 --set where=z \
            --set how=h --by Zhang > /dev/null &&
        "$SVA" $L action update "$(lq "SELECT id FROM action WHERE cycle_id = '2027-01'")" \
            --status done --by Zhang > /dev/null &&
        "$SVA" $L action add --cycle 2027-01 --store SH-002 --metric ssi --by Zhang \
            --set why=w2 --set what=x --set who=y --set when=2027-01-20 --set where=z \
            --set how=h > /dev/null &&
        "$SVA" $L --by Zhang cycle close 2027-01 > /dev/null &&
        env SVCAUDIT_TODAY=2027-02-12 "$SVA" $L record phone_handling --answers j2.ini > /dev/null &&
        "$SVA" $L --by Zhang cycle close 2027-02 > /dev/null
} || fail "the laptop's actions, checked and carried"
[ "$(lq "SELECT count(*) FROM action_check WHERE origin = ''")" = 1 ] || fail "the laptop's check: $(lq 'SELECT * FROM action_check')"
[ "$(lq "SELECT count(*) FROM action_carry WHERE origin = ''")" = 2 ] || fail "the laptop's carries: $(lq 'SELECT * FROM action_carry')"
checks="SELECT a.uuid || '|' || k.cycle_id || '|' || k.verified || '|' || k.n_answers || '|' || k.n_failed || '|' || k.actor || '|' || k.at FROM action_check k JOIN action a ON a.id = k.action_id ORDER BY 1"
carries="SELECT a.uuid || '|' || k.from_cycle || '|' || k.to_cycle || '|' || k.status || '|' || coalesce(k.due_before, '-') || '|' || coalesce(k.due_after, '-') || '|' || k.actor FROM action_carry k JOIN action a ON a.id = k.action_id ORDER BY 1"
run "$SVA" merge --verbose lap.db
expect_rc 0 "the laptop's checks and carries"
expect_out "1 action check, 2 action carries added" "the laptop's checks and carries"
[ "$(dbq "$checks")" = "$(lq "$checks")" ] || fail "the check at the office: $(dbq "$checks")"
[ "$(dbq "$carries")" = "$(lq "$carries")" ] || fail "the carries at the office: $(dbq "$carries")"
dbq "$checks" | grep -q "|2027-02|1|1|0|Zhang|" || fail "the check is not the verification by 2027-02: $(dbq "$checks")"
run "$SVA" merge --verbose lap.db
expect_rc 0 "merged again"
expect_out "0 action checks, 0 action carries added" "merged again"
# the office carries the laptop's action on: a change made elsewhere, not added at the laptop
run "$SVA" cycle open 2027-04 --from 2027-04-01 --to 2027-04-30
expect_rc 0 "the office's next cycle"
run "$SVA" --by "QA lead" cycle close 2027-03
expect_rc 0 "the office closes the laptop's cycle"
[ "$(dbq "SELECT count(*) FROM action_carry WHERE from_cycle = '2027-03'")" = 1 ] || fail "the office's carry"
office_file
run "$SVA" $L merge "$OFFICE_FILE"
[ "$RC" -le 1 ] || fail "the laptop merges the office's carry: $ERR"
[ "$(lq "SELECT count(*) FROM action_carry WHERE from_cycle = '2027-03'")" = 0 ] ||
    fail "the office's carry of the laptop's action was added at the laptop"
[ "$(lq "SELECT cycle_id FROM action WHERE id = (SELECT action_id FROM action_carry WHERE to_cycle = '2027-03')")" = 2027-03 ] ||
    fail "the laptop's action moved"
# the laptop keeps the office's version: the action's new cycle and the carry that says why
aid=$(lq "SELECT action_id FROM action_carry WHERE to_cycle = '2027-03'")
auuid=$(lq "SELECT uuid FROM action WHERE id = $aid")
cid=$(lq "SELECT id FROM sync_conflict WHERE kind = 'action' AND key = '$auuid' AND resolved_at IS NULL")
[ -n "$cid" ] || fail "no conflict of the laptop's action: $(lq 'SELECT kind, key FROM sync_conflict')"
run "$SVA" $L merge --conflicts --format csv
expect_out "carry" "the conflict lists the carry that comes with the action"
# (keeping the laptop's version leaves the office's carry out)
cp lap.db lap-here.db
run "$SVA" --db lap-here.db merge --resolve "$cid" --keep here --by "Zhang Min"
expect_rc 0 "the laptop keeps its own version"
[ "$(sqlite3 lap-here.db "SELECT count(*) FROM action_carry WHERE from_cycle = '2027-03'")" = 0 ] ||
    fail "--keep here added the office's carry"
[ "$(sqlite3 lap-here.db "SELECT cycle_id FROM action WHERE id = $aid")" = 2027-03 ] ||
    fail "--keep here moved the action"
# the table lists the carry a field a line, as the action's own fields
run "$SVA" $L merge --conflicts
expect_rc 0 "the laptop's conflicts"
expect_out "^    carry: here (none), there:$" "the carry's heading"
expect_out "^        from_cycle: 2027-03$" "the carry's from_cycle on a line"
expect_out "^        to_cycle: 2027-04$" "the carry's to_cycle on a line"
expect_out "^        actor: QA lead$" "who carried it, on a line"
expect_no_out 'from_cycle=' "the carry as one escaped line"
# (closed means closed: keeping there never puts the action into a cycle closed here)
cp lap.db lap-closed4.db
"$SVA" --db lap-closed4.db --by Zhang cycle close 2027-04 > /dev/null || fail "the laptop closes 2027-04"
before=$(sqlite3 lap-closed4.db .dump | md5sum)
run "$SVA" --db lap-closed4.db merge --resolve "$cid" --keep there --by "Zhang Min"
expect_rc 3 "--keep there into a cycle closed here"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "--keep there into a closed cycle: not one line: $ERR"
expect_err "^svcaudit: action $auuid of cycle 2027-04, which is closed here: not taken (to keep there: 'svcaudit cycle reopen 2027-04" \
    "--keep there into a closed cycle: named"
[ "$(sqlite3 lap-closed4.db .dump | md5sum)" = "$before" ] || fail "--keep there into a closed cycle changed the laptop"
# (a carry of a cycle closed here is not added, and said so, one line; the action is kept there)
cp lap.db lap-closed3.db
{
    "$SVA" --db lap-closed3.db action update "$aid" --status done --by Zhang > /dev/null &&
        "$SVA" --db lap-closed3.db --by Zhang cycle close 2027-03 > /dev/null
} || fail "the laptop closes 2027-03"
run "$SVA" --db lap-closed3.db merge --resolve "$cid" --keep there --by "Zhang Min"
expect_rc 1 "--keep there with a carry of a cycle closed here"
expect_out "^conflict $cid settled: kept the version there$" "settled all the same"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "the carry of a closed cycle: not one line: $ERR"
expect_err "^svcaudit: action carry $auuid/2027-03 of cycle 2027-03, which is closed here: not taken" \
    "the carry of a closed cycle: named"
[ "$(sqlite3 lap-closed3.db "SELECT count(*) FROM action_carry WHERE from_cycle = '2027-03'")" = 0 ] ||
    fail "the carry of a cycle closed here was added"
[ "$(sqlite3 lap-closed3.db "SELECT cycle_id FROM action WHERE id = $aid")" = 2027-04 ] ||
    fail "the action's version there was not kept"
run "$SVA" $L merge --resolve "$cid" --keep there --by "Zhang Min"
expect_rc 0 "the laptop keeps the office's carry"
[ -z "$ERR" ] || fail "--keep there said something: $ERR"
[ "$(lq "SELECT cycle_id FROM action WHERE id = $aid")" = 2027-04 ] ||
    fail "the action's cycle after --keep there: $(lq "SELECT cycle_id FROM action WHERE id = $aid")"
[ "$(lq "$carries")" = "$(dbq "$carries")" ] ||
    fail "the carries at the laptop after --keep there: $(lq "$carries")"
[ "$(lq "SELECT k.at || '|' || k.actor || '|' || k.origin FROM action_carry k WHERE k.from_cycle = '2027-03'")" = \
    "$(dbq "SELECT at || '|' || actor FROM action_carry WHERE from_cycle = '2027-03'")|$(dbq "SELECT value FROM meta WHERE key = 'db_uuid'")" ] ||
    fail "who and when of the carry: $(lq "SELECT * FROM action_carry WHERE from_cycle = '2027-03'")"
before=$(sqlite3 lap.db .dump | grep -v -i 'sync_peer\|change_log' | md5sum)
run "$SVA" $L merge --verbose "$OFFICE_FILE"
[ "$RC" -le 1 ] || fail "the laptop merges the office again: $ERR"
expect_out "0 action checks, 0 action carries added" "merged again after --keep there"
[ "$(sqlite3 lap.db .dump | grep -v -i 'sync_peer\|change_log' | md5sum)" = "$before" ] ||
    fail "merging the office again after --keep there changed the laptop"
[ "$(lq "SELECT count(*) FROM sync_conflict WHERE kind = 'action' AND key = '$auuid' AND resolved_at IS NULL")" = 0 ] ||
    fail "the action is a conflict again"
done_testing

#!/bin/sh
# svcaudit e2e: merge's property test (issue 14). Three laptops packed from one
# office each do random operations (record, void, unvoid, amend, appeal and
# resolve, close and reopen the cycles (checking and carrying actions), open and work on actions, targets, survey results, reasons, plans
# and owners, store renames) and now
# and then merge the office's file or another laptop's (so they change each
# other's records: conflicts). Then copies of the office merge the three
# files in all six orders: every copy must hold the same records (by UUID;
# local numbers and times of merges left out), and merging again must not
# change them; after each has merged the three files a second time, the same
# conflicts too (the first pass can keep a version as a conflict in one order
# that another order never sees: 2 rounds in 20 did); a third pass must
# change nothing. No file may be refused, and every audit and action made on
# a laptop must be in the office. SVA_PROP_ROUNDS (default 2) rounds, each with
# its own random operations; SVA_PROP_SEED fixes the first round's seed (the
# seed of each round is printed, to replay a failure). Dated store and
# employee events (schema 8: moves, deactivations, reactivations, several on
# one day and in one second on different laptops) are dated after the audits'
# cycles (an audit's employee must work at its store as the file or the office
# says on its date); the dump holds the events, and each office copy lists
# the same employees and stores on days around the moves.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
ROUNDS=${SVA_PROP_ROUNDS:-2}
SEED=${SVA_PROP_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

# a small deterministic generator (so a seed replays a round): rnd N gives 0..N-1
rnd() {
    SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
    R=$(((SEED / 65536) % $1))
}
q() { sqlite3 "$1" "$2"; }

canon() {
    sqlite3 "$1" <<'EOF'
.mode list
.separator |
SELECT 'store', id, name, region, origin, changed_at, changed_in FROM store ORDER BY id;
SELECT 'store_history', * FROM store_history ORDER BY 2, 3, 4, 5, 6;
SELECT 'employee', id, name, store_id, role, origin, changed_at, changed_in FROM employee ORDER BY id;
SELECT 'employee_history', * FROM employee_history ORDER BY 2, 3, 4, 5, 6, 7;
SELECT 'cycle', id, date_from, date_to, state, created_at, origin, sync_rev, changed_in FROM cycle ORDER BY id;
SELECT 'checklist', hash, checklist_id, version, length(source), origin FROM checklist_version ORDER BY hash;
SELECT 'audit', uuid, checklist_hash, cycle_id, store_id, employee_id, auditor, audit_date,
       scorable, pct, raw_pct, failed, points, max_points, recorded_at, voided_at, void_reason,
       fingerprint, n_answered, n_passed, item_marks, origin, sync_rev, changed_in,
       voided_by, unvoided_at, unvoided_by, revision, revised_at, revised_by, revision_reason
  FROM audit ORDER BY uuid;
SELECT 'answer', a.uuid, x.item_no, x.item_id, x.value, x.points, x.passed, x.note
  FROM answer x JOIN audit a ON a.id = x.audit_id ORDER BY a.uuid, x.item_no;
SELECT 'revision', a.uuid, r.revision, r.made_at, r.made_by, r.reason, r.pct, r.fingerprint,
       r.replaced_at, r.replaced_by
  FROM audit_revision r JOIN audit a ON a.id = r.audit_id ORDER BY a.uuid, r.revision;
SELECT 'answer_revision', a.uuid, r.revision, r.item_no, r.value, r.points, r.passed
  FROM answer_revision r JOIN audit a ON a.id = r.audit_id ORDER BY a.uuid, r.revision, r.item_no;
SELECT 'close', cycle_id, closed_at, closed_by, reopened_at, reopened_by, reopen_reason, origin,
       sync_rev, changed_in FROM cycle_close ORDER BY cycle_id, closed_at;
SELECT 'appeal', a.uuid, p.opened_at, p.opened_by, p.reason, p.revision, p.voided, p.resolved_at,
       p.resolved_by, p.outcome, p.note, p.origin, p.sync_rev, p.changed_in
  FROM appeal p JOIN audit a ON a.id = p.audit_id ORDER BY a.uuid, p.opened_at, p.opened_by;
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
SELECT 'check', x.uuid, k.cycle_id, k.verified, k.n_answers, k.n_failed, k.at, k.actor, k.origin,
       k.sync_rev, k.changed_in FROM action_check k JOIN action x ON x.id = k.action_id ORDER BY 2, 3;
SELECT 'carry', x.uuid, k.from_cycle, k.to_cycle, k.status, k.due_before, k.due_after, k.at, k.actor,
       k.origin, k.sync_rev, k.changed_in FROM action_carry k JOIN action x ON x.id = k.action_id
  ORDER BY 2, 3;
SELECT 'target', * FROM target ORDER BY 2, 3, 4, 5;
SELECT 'survey', * FROM survey ORDER BY 2, 3, 4;
SELECT 'reason', * FROM cycle_reason ORDER BY 2, 3, 4;
SELECT 'plan', uuid, cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor,
       set_at, origin, sync_rev, changed_in FROM plan ORDER BY 3, 4, 5, 6;
SELECT 'plan_reason', * FROM plan_reason ORDER BY 2, 3, 4, 5;
SELECT 'owner', * FROM owner ORDER BY 2, 3, 4, 5;
SELECT 'store_event', store_id, from_date, active, at, actor, origin, seq FROM store_event
  ORDER BY 2, 3, 5, 7, 8;
SELECT 'employee_event', employee_id, from_date, store_id, at, actor, origin, seq
  FROM employee_event ORDER BY 2, 3, 5, 7, 8;
SELECT 'peer', uuid, name FROM sync_peer ORDER BY uuid;
EOF
}
# conflicts DB: the conflicts, without their number and the time they were found
conflicts() {
    sqlite3 "$1" "SELECT 'conflict', kind, key, there, sender, sender_name, resolved_at,
        resolved_by, kept FROM sync_conflict ORDER BY kind, key, there"
}

# merge_ok DB FILE LABEL: a merge that is not refused (0, or 1 for open conflicts)
merge_ok() {
    "$SVA" --db "$1" merge "$2" > m.out 2> m.err
    mrc=$?
    [ "$mrc" -le 1 ] || fail "$3: merge $2 into $1: exit $mrc: $(cat m.err)"
}

"$SVA" checklist template phone_handling -o phone.ini > /dev/null || fail "template"
r=0
total_ops=0
while [ "$r" -lt "$ROUNDS" ]; do
    r=$((r + 1))
    echo "round $r: SVA_PROP_SEED=$SEED"
    rm -rf "round$r"
    mkdir "round$r"
    cd "round$r" || exit 1
    cp ../phone.ini .
    # ---- the office, and three laptops packed from it ------------------------------------
    "$SVA" --db office.db init --name "office" > /dev/null &&
        "$SVA" --db office.db store import "$REC/stores.csv" > /dev/null &&
        "$SVA" --db office.db employee import "$REC/employees.csv" > /dev/null &&
        "$SVA" --db office.db cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null &&
        "$SVA" --db office.db cycle open 2026-12 --from 2026-12-01 --to 2026-12-31 > /dev/null &&
        "$SVA" --db office.db cycle open 2027-01 --from 2027-01-01 --to 2027-01-31 > /dev/null &&
        "$SVA" --db office.db target set --cycle 2026-11 --metric ssi --value 80 > /dev/null &&
        "$SVA" --db office.db action add --cycle 2026-11 --store SH-001 --metric ssi --by Office \
            --set why=w --set what=x --set who=y --set when=2026-11-28 --set where=z \
            --set how=h > /dev/null || fail "round $r: the office"
    for l in A B C; do
        "$SVA" --db office.db pack -o "$l.db" --name "laptop $l" > /dev/null ||
            fail "round $r: pack $l"
    done
    # ---- random operations ----------------------------------------------------------------
    n=0
    while [ "$n" -lt 48 ]; do
        n=$((n + 1))
        rnd 3
        case $R in 0) L=A ;; 1) L=B ;; *) L=C ;; esac
        D="--db $L.db"
        rnd 23
        op=$R
        [ "$op" -ge 21 ] && op=$((op - 2)) # moves and store events twice as often
        case $op in
        0 | 1 | 2)
            rnd 2
            st=SH-001
            emp=SH-001-E0$((R + 1))
            rnd 5
            num=$((R % 3 + 2)) # (a failed item without its note is refused)
            rnd 28
            day=$(printf '%02d' $((R + 1)))
            fill phone.ini s.ini -H store="$st" -H employee="$emp" -H cycle=2026-11 \
                -H auditor="$L $n" -H date="2026-11-$day" --rest-yesno yes --rest-num "$num"
            # shellcheck disable=SC2086
            "$SVA" $D record phone_handling --answers s.ini > /dev/null 2>&1
            ;;
        3)
            id=$(q "$L.db" "SELECT id FROM audit WHERE voided_at IS NULL ORDER BY uuid LIMIT 1")
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D audit void "$id" --reason "void $n" > /dev/null 2>&1
            ;;
        4 | 5)
            rnd 2
            id=$(q "$L.db" "SELECT id FROM action ORDER BY uuid LIMIT 1 OFFSET $R")
            [ -n "$id" ] || id=$(q "$L.db" "SELECT id FROM action ORDER BY uuid LIMIT 1")
            rnd 3
            case $R in 0) s=in_progress ;; 1) s=done ;; *) s="" ;; esac
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D action update "$id" ${s:+--status $s} \
                --set how="step $n" --by "$L" > /dev/null 2>&1
            ;;
        6)
            rnd 2
            # (one about a section: a later cycle's close checks it once it is done)
            # shellcheck disable=SC2086
            [ "$R" = 0 ] && "$SVA" $D action add --cycle 2026-11 --store SH-001 \
                --checklist phone_handling --section answer --by "$L" --set why="s$n" \
                --set what=x --set who=y --set when=2026-11-28 --set where=z --set how=h \
                > /dev/null 2>&1
            # shellcheck disable=SC2086
            [ "$R" = 1 ] && "$SVA" $D action add --cycle 2026-11 --store SH-002 --metric ssi --by "$L" \
                --set why="w$n" --set what=x --set who=y --set when=2026-11-28 --set where=z \
                --set how=h > /dev/null 2>&1
            ;;
        7)
            rnd 30
            # shellcheck disable=SC2086
            "$SVA" $D target set --cycle 2026-11 --region east --metric ssi --value $((R + 60)) \
                > /dev/null 2>&1
            ;;
        8)
            rnd 40
            printf 'cycle,store,metric,value,respondents\n2026-11,SH-001,csi,%d,%d\n' \
                $((R + 50)) $((R + 5)) > sv.csv
            # shellcheck disable=SC2086
            "$SVA" $D survey import sv.csv > /dev/null 2>&1
            ;;
        9)
            # shellcheck disable=SC2086
            "$SVA" $D cycle reason 2026-11 --store SH-002 --metric ssi --text "r $L $n" \
                > /dev/null 2>&1
            ;;
        10)
            rnd 3
            # shellcheck disable=SC2086
            "$SVA" $D plan set --cycle 2026-11 --checklist phone_handling --region east \
                --times $((R + 1)) > /dev/null 2>&1
            # shellcheck disable=SC2086
            "$SVA" $D owner set --store SH-001 --checklist phone_handling --section answer \
                --employee SH-001-E0$((R % 2 + 1)) > /dev/null 2>&1
            ;;
        11)
            printf 'id,name,region\nSH-002,Pudong %s %d,east\n' "$L" "$n" > rn.csv
            sleep 1 # master data: the later change wins by its time (seconds)
            # shellcheck disable=SC2086
            "$SVA" $D store import rn.csv > /dev/null 2>&1
            ;;
        13)
            # an appeal of an audit (its own or another database's)
            rnd 3
            id=$(q "$L.db" "SELECT id FROM audit WHERE voided_at IS NULL ORDER BY uuid LIMIT 1 OFFSET $R")
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D --by "manager $L" audit appeal "$id" --reason "appeal $n" \
                > /dev/null 2>&1
            ;;
        14)
            # resolving one (maybe opened elsewhere: a conflict at its maker)
            id=$(q "$L.db" "SELECT audit_id FROM appeal WHERE outcome IS NULL ORDER BY opened_at LIMIT 1")
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D --by "QA $L" audit resolve "$id" --rejected --note "no $n" \
                > /dev/null 2>&1
            ;;
        15)
            # an amendment (of its own audit, or of another's: a conflict)
            rnd 2
            id=$(q "$L.db" "SELECT id FROM audit WHERE voided_at IS NULL ORDER BY origin != '', uuid LIMIT 1 OFFSET $R")
            rnd 5
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D --by "$L" audit amend "$id" \
                --set conversation.smile_voice="$R" --reason "amend $n" > /dev/null 2>&1
            ;;
        16)
            id=$(q "$L.db" "SELECT id FROM audit WHERE voided_at IS NOT NULL ORDER BY uuid LIMIT 1")
            # shellcheck disable=SC2086
            [ -n "$id" ] && "$SVA" $D --by "$L" audit unvoid "$id" --reason "unvoid $n" \
                > /dev/null 2>&1
            ;;
        17)
            # a laptop closes the office's cycle, or reopens it (conflicts at the office;
            # a cycle closed on the laptop takes no record of it from the others)
            if [ "$(q "$L.db" "SELECT state FROM cycle WHERE id = '2026-11'")" = closed ]; then
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" cycle reopen 2026-11 --reason "reopen $n" > /dev/null 2>&1
            else
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" cycle close 2026-11 > /dev/null 2>&1
            fi
            ;;
        18)
            # the next cycle: an audit in it, then closed (its close checks the done
            # actions of 2026-11 on its answers and carries its open ones into 2027-01)
            # or reopened
            if [ "$(q "$L.db" "SELECT state FROM cycle WHERE id = '2026-12'")" = closed ]; then
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" cycle reopen 2026-12 --reason "reopen $n" > /dev/null 2>&1
            else
                rnd 3
                fill phone.ini s.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-12 \
                    -H auditor="$L $n" -H date="2026-12-1$R" --rest-yesno yes \
                    --rest-num $((R + 2))
                # shellcheck disable=SC2086
                "$SVA" $D record phone_handling --answers s.ini > /dev/null 2>&1
                id=$(q "$L.db" "SELECT id FROM action WHERE section_id IS NOT NULL AND cycle_id = '2026-11' AND status != 'done' ORDER BY uuid LIMIT 1")
                # shellcheck disable=SC2086
                [ -n "$id" ] && "$SVA" $D action update "$id" --status done --by "$L" \
                    > /dev/null 2>&1
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" cycle close 2026-12 > /dev/null 2>&1
            fi
            ;;
        19)
            # an employee moves (or leaves) from a day after the audits' cycles
            rnd 3
            case $R in 0) emp=SH-001-E01 ;; 1) emp=SH-001-E02 ;; *) emp=BJ-001-E01 ;; esac
            rnd 4
            case $R in 0) day=2027-01-05 ;; 1) day=2027-01-20 ;; 2) day=2027-02-01 ;; *) day=2027-01-05 ;; esac
            rnd 4
            case $R in 0) to=SH-001 ;; 1) to=SH-002 ;; 2) to=BJ-001 ;; *) to="" ;; esac
            if [ -n "$to" ]; then
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" employee move "$emp" --store "$to" --from "$day" > /dev/null 2>&1
            else
                # shellcheck disable=SC2086
                "$SVA" $D --by "$L" employee deactivate "$emp" --from "$day" > /dev/null 2>&1
            fi
            ;;
        20)
            # a store closes or opens again from a day (SH-001 keeps the audits)
            rnd 2
            case $R in 0) st=SH-002 ;; *) st=BJ-001 ;; esac
            rnd 3
            case $R in 0) day=2027-01-10 ;; 1) day=2027-01-20 ;; *) day=2027-02-01 ;; esac
            rnd 2
            case $R in 0) how=deactivate ;; *) how=reactivate ;; esac
            # shellcheck disable=SC2086
            "$SVA" $D --by "$L" store "$how" "$st" --from "$day" > /dev/null 2>&1
            ;;
        12)
            rnd 3
            case $R in 0) F=office ;; 1) F=A ;; *) F=B ;; esac
            [ "$F" = "$L" ] && F=C
            [ "$F" = "$L" ] && F=office
            merge_ok "$L.db" "$F.db" "round $r op $n"
            ;;
        esac
        total_ops=$((total_ops + 1))
    done
    # ---- every order, then again ----------------------------------------------------------
    first=""
    for order in "A B C" "A C B" "B A C" "B C A" "C A B" "C B A"; do
        o=$(echo "$order" | tr -d ' ')
        cp office.db "o$o.db"
        for l in $order; do merge_ok "o$o.db" "$l.db" "round $r order $o"; done
        canon "o$o.db" > "o$o.canon"
        for l in $order; do merge_ok "o$o.db" "$l.db" "round $r order $o again"; done
        canon "o$o.db" | cmp -s "o$o.canon" - || {
            fail "round $r: merging $order again changed the records"
            canon "o$o.db" | diff "o$o.canon" - | head -5
        }
        { canon "o$o.db"; conflicts "o$o.db"; } > "o$o.again"
        for l in $order; do merge_ok "o$o.db" "$l.db" "round $r order $o a third time"; done
        { canon "o$o.db"; conflicts "o$o.db"; } > "o$o.third"
        cmp -s "o$o.again" "o$o.third" || {
            fail "round $r: merging $order a third time changed the office"
            diff "o$o.again" "o$o.third" | head -5
        }
        [ "$(q "o$o.db" 'PRAGMA integrity_check')" = ok ] || fail "round $r: order $o: integrity"
        if [ -z "$first" ]; then
            first=$o
        else
            cmp -s "o$first.canon" "o$o.canon" || {
                fail "round $r (SVA_PROP_SEED above): the records of $first and $o differ"
                diff "o$first.canon" "o$o.canon" | head -8
            }
            cmp -s "o$first.again" "o$o.again" || {
                fail "round $r (SVA_PROP_SEED above): after two passes, $first and $o differ"
                diff "o$first.again" "o$o.again" | head -8
            }
        fi
    done
    for l in A B C; do
        for u in $(q "$l.db" "SELECT uuid FROM audit UNION ALL SELECT uuid FROM action"); do
            grep -q "$u" "oABC.canon" || fail "round $r: $l's record $u is not in the office"
        done
        # its own events, by their key (the office names the laptop by its UUID)
        lu=$(q "$l.db" "SELECT value FROM meta WHERE key = 'db_uuid'")
        for t in store_event employee_event; do
            mine=$(q "$l.db" "SELECT count(*) FROM $t WHERE origin = ''")
            there=$(q oABC.db "SELECT count(*) FROM $t WHERE origin = '$lu'")
            [ "$mine" = "$there" ] || fail "round $r: $l made $mine ${t}s, the office has $there"
        done
    done
    # where each employee works on days around the moves: the same in every order
    for o in ABC ACB BAC BCA CAB CBA; do
        for day in 2026-12-31 2027-01-05 2027-01-15 2027-02-10; do
            SVCAUDIT_TODAY=$day "$SVA" --db "o$o.db" employee list --format csv
            SVCAUDIT_TODAY=$day "$SVA" --db "o$o.db" store list --format csv
        done > "o$o.emp"
        cmp -s oABC.emp "o$o.emp" || fail "round $r: the employees or stores listed differ in $o: $(diff oABC.emp "o$o.emp" | head -3)"
    done
    echo "round $r: $(q oABC.db 'SELECT count(*) FROM audit') audits," \
        "$(q oABC.db 'SELECT count(*) FROM action') actions," \
        "$(q oABC.db 'SELECT count(*) FROM store_event') + $(q oABC.db 'SELECT count(*) FROM employee_event') events," \
        "$(q oABC.db 'SELECT count(*) FROM sync_conflict') conflicts in the office"
    cd .. || exit 1
done
echo "$ROUNDS rounds, $total_ops random operations, 6 orders each"
done_testing

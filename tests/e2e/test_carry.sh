#!/bin/sh
# svcaudit e2e: actions keep their identity when carried (issue 13). Closing
# a cycle moves its open actions into the next one: the same id, fields and
# history, a history line "carried from A to B"; the cycle left still lists
# them as they stood. Due dates: one already past at the close moves to
# `cycle close --due DATE`, else to the next cycle's last day, else (closing
# late) to today; one still ahead stays; nothing arrives overdue.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
export SVCAUDIT_USER="Zhou Qing"
act() { # act CYCLE STORE DUE: an open ssi action, due DUE
    run "$SVA" action add --cycle "$1" --store "$2" --metric ssi --set why=w --set what="fix $2" \
        --set who="Li Lei" --set when="$3" --set where=x --set how=y
    expect_rc 0 "action add $*"
}
show() { "$SVA" action show "$1" --format json > "a$1.json" || fail "action show $1"; }
py_check() { label=$1; shift; "$PY" - "$@" > py.out 2>&1 || fail "$label: $(cat py.out)"; }

run "$SVA" init
run "$SVA" store import "$P/stores.csv"
for c in "2026-09 2026-09-01 2026-09-30" "2026-10 2026-10-01 2026-10-31" \
    "2026-11 2026-11-01 2026-11-30" "2026-12 2026-12-01 2026-12-31"; do
    set -- $c
    run "$SVA" cycle open "$1" --from "$2" --to "$3"
done
act 2026-09 SH-001 2026-09-20      # 1: past at the close (2026-09-30)
act 2026-09 SH-002 2026-10-15      # 2: still ahead at the close
act 2026-09 BJ-001 2026-09-25      # 3: past; worked on
run "$SVA" action update 3 --status in_progress --by "Li Lei"

# ---- close on the cycle's last day: past due dates move to 2026-10's last day ----------------
SVCAUDIT_TODAY=2026-09-30 run "$SVA" cycle close 2026-09
expect_rc 0 "close 2026-09"
expect_out "3 open actions carried into 2026-10" "the close"
for i in 1 2 3; do show $i; done
py_check "carried: same ids, due dates by the rule" a1.json a2.json a3.json <<'PY'
import json, sys
a1, a2, a3 = (json.load(open(p)) for p in sys.argv[1:4])
for a in (a1, a2, a3):
    assert a['cycle'] == '2026-10' and a['carried_from_cycle'] == '2026-09', a
    assert a['carried_from'] == 0 and a['carried_to'] == 0, a
    assert a['history'][0]['change'] == 'opened' and a['history'][0]['by'] == 'Zhou Qing', a
assert a1['due'] == '2026-10-31' and a1['fields']['when'] == '2026-10-31', a1
assert a1['history'][-1]['change'] == \
    'carried from 2026-09 to 2026-10; due 2026-09-20 (passed) -> 2026-10-31', a1['history']
assert a2['due'] == '2026-10-15' and a2['history'][-1]['change'] == 'carried from 2026-09 to 2026-10'
assert a3['status'] == 'in_progress' and a3['due'] == '2026-10-31', a3
assert [h['change'] for h in a3['history']][:2] == ['opened', 'status open -> in_progress'], a3
PY
# nothing arrives overdue
SVCAUDIT_TODAY=2026-10-01 run "$SVA" action list --overdue --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "overdue on arrival: $OUT"
# the cycle left lists them as they stood: due dates and statuses then, carried to 2026-10
run "$SVA" action list --cycle 2026-09 --format json
printf '%s' "$OUT" > left.json
py_check "the closed cycle's register" left.json <<'PY'
import json, sys
r = {x['id']: x for x in json.load(open(sys.argv[1]))}
assert sorted(r) == [1, 2, 3], r
assert [(r[i]['due'], r[i]['status'], r[i]['carried'], r[i]['overdue']) for i in (1, 2, 3)] == [
    ('2026-09-20', 'open', 'to 2026-10', False), ('2026-10-15', 'open', 'to 2026-10', False),
    ('2026-09-25', 'in_progress', 'to 2026-10', False)], r
PY
run "$SVA" action list --cycle 2026-10 --format csv
[ "$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 { print $1 ":" $11 }' | tr '\n' ' ')" = \
    "1:from 2026-09 2:from 2026-09 3:from 2026-09 " ] || fail "2026-10's register: $OUT"
run "$SVA" log --cycle 2026-09 --format csv
[ "$(printf '%s\n' "$OUT" | grep -c ',action carry,')" -eq 3 ] || fail "three carries logged: $OUT"

# ---- close late, with --due: past due dates move to --due -------------------------------------
run "$SVA" action update 2 --status done --by "Li Lei"
SVCAUDIT_TODAY=2026-11-10 run "$SVA" cycle close 2026-10 --due 2026-09-01
[ "$RC" -eq 3 ] || fail "--due before today: exit $RC"
expect_err "overdue" "says why"
SVCAUDIT_TODAY=2026-11-10 run "$SVA" cycle close 2026-10 --due 2026-11-20
expect_rc 0 "close 2026-10 --due"
for i in 1 3; do show $i; done
py_check "--due for the past ones" a1.json a3.json <<'PY'
import json, sys
for p in sys.argv[1:3]:
    a = json.load(open(p))
    assert a['cycle'] == '2026-11' and a['due'] == '2026-11-20', a
    assert a['history'][-1]['change'] == \
        'carried from 2026-10 to 2026-11; due 2026-10-31 (passed) -> 2026-11-20', a['history']
    assert [h['change'].split(';')[0] for h in a['history'] if 'carried' in h['change']] == \
        ['carried from 2026-09 to 2026-10', 'carried from 2026-10 to 2026-11'], a['history']
PY

# ---- close late without --due: the next cycle's end has passed too, so today --------------------
SVCAUDIT_TODAY=2027-01-05 run "$SVA" cycle close 2026-11
expect_rc 0 "close 2026-11 late"
show 1
py_check "today when even the next cycle's end has passed" a1.json <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
assert a['cycle'] == '2026-12' and a['due'] == '2027-01-05' and a['overdue'] is False, a
PY
SVCAUDIT_TODAY=2027-01-05 run "$SVA" action list --overdue --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "overdue on arrival after a late close: $OUT"
# every cycle it passed through still lists it, each carried on
for c in 2026-09:2026-10 2026-10:2026-11 2026-11:2026-12; do
    run "$SVA" action list --cycle "${c%%:*}" --format csv
    printf '%s\n' "$OUT" | grep -q "^1,${c%%:*},.*,to ${c#*:}," || fail "cycle ${c%%:*} lists action 1: $OUT"
done
done_testing

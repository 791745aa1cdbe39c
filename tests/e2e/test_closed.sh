#!/bin/sh
# svcaudit e2e: closed means closed (issue 13). After `cycle close`, every kind
# of change to that cycle's figures or register is tried and refused: exit 3,
# one line saying the cycle is closed, the database's .dump unchanged. Then
# `cycle reopen --reason` is the one way back: recorded (who, when, why) in
# cycle list, cycle status and the log; the changes then work; closing again
# is a new close.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-12-02
export SVCAUDIT_USER="Zhou Qing"
dump() { db_dump; }
sheet() {
    printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = %s\n[item.front.tidy]\nanswer = %s\n[item.back.clean]\nanswer = %s\n[item.back.exit]\nanswer = %s\n' "$1" "$2" "$3" "$4" > sheet.ini
}
rec() { # rec STORE CYCLE DATE A1 A2 A3 A4
    sheet "$4" "$5" "$6" "$7"
    run "$SVA" record pdca_mini --cycle "$2" --store "$1" --auditor "Zhang Min" --date "$3" \
        --answers sheet.ini
    expect_rc 0 "record $1 $2 $3"
}
# closed LABEL CMD...: refused with exit 3 and one line naming the closed cycle; nothing changed
closed() {
    label=$1
    shift
    dump > before.dump
    run "$@"
    [ "$RC" -eq 3 ] || fail "$label: exit $RC, want 3 ($ERR)"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "$label: not one line: $ERR"
    printf '%s' "$ERR" | grep -q "2026-11.* closed\|closed.*2026-11" ||
        fail "$label: the message does not say 2026-11 is closed: $ERR"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}

run "$SVA" init
run "$SVA" store import "$P/stores.csv"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
run "$SVA" target set --cycle 2026-11 --metric ssi --value 70
expect_rc 0 "set-up"
# SH-001 yyyn 75 (met), SH-002 ynnn 25 (missed), BJ-001 yyyy 100
rec SH-001 2026-11 2026-11-05 yes yes yes no
rec SH-002 2026-11 2026-11-06 yes no no no
rec BJ-001 2026-11 2026-11-07 yes yes yes yes
run "$SVA" cycle reason 2026-11 --store SH-002 --metric ssi --text "new staff"
run "$SVA" action add --cycle 2026-11 --store SH-002 --metric ssi --set why=w --set what=x \
    --set who="Li Lei" --set when=2026-11-20 --set where=y --set how=z
run "$SVA" action add --cycle 2026-11 --store SH-001 --checklist pdca_mini --item back.exit \
    --set why=w --set what=x --set who="Li Lei" --set when=2026-11-20 --set where=y --set how=z
run "$SVA" action update 2 --status done
expect_rc 0 "Act of 2026-11"
run "$SVA" cycle close 2026-11
expect_rc 0 "close 2026-11"

# ---- every kind of change to 2026-11, refused ------------------------------------------------
closed "target set" "$SVA" target set --cycle 2026-11 --metric ssi --value 10
closed "target set for a store" "$SVA" target set --cycle 2026-11 --store SH-002 --metric ssi --value 10
printf '[n]\ncycle = 2026-11\nssi = 10\n' > t.ini
closed "target import" "$SVA" target import t.ini
rec_sheet() { sheet yes yes yes yes; }
rec_sheet
closed "record" "$SVA" record pdca_mini --cycle 2026-11 --store SH-002 --auditor "Zhang Min" \
    --date 2026-11-21 --answers sheet.ini
closed "void" "$SVA" audit void 2 --reason "moves SH-002 to met"
closed "amend" "$SVA" audit amend 2 --set front.tidy=yes --reason "moves SH-002 up"
closed "appeal" "$SVA" audit appeal 2 --reason "the store disputes it"
closed "resolve" "$SVA" audit resolve 2 --rejected --note "it stands"
closed "amend from a sheet" "$SVA" audit amend 2 --answers sheet.ini --reason "moves SH-002 up"
printf 'cycle,store,metric,value,respondents\n2026-11,SH-001,csi,82,40\n' > sv.csv
closed "survey import" "$SVA" survey import sv.csv
closed "reason" "$SVA" cycle reason 2026-11 --store SH-002 --metric ssi --text "other"
closed "action add" "$SVA" action add --cycle 2026-11 --store SH-001 --metric ssi --set why=w \
    --set what=x --set who=X --set when=2026-11-30 --set where=y --set how=z
closed "action update of the done action" "$SVA" action update 2 --status verified
closed "action update of a field" "$SVA" action update 2 --set how=other
closed "action add --from-audit" "$SVA" action add --from-audit 2 --set who=X \
    --set when=2026-11-28 --set where=x --set how=x
closed "advance" "$SVA" cycle advance 2026-11
run "$SVA" cycle close 2026-11
[ "$RC" -ne 0 ] || fail "closing a closed cycle again"

# ---- reopen: the one way back -----------------------------------------------------------------
closed_not() { # the reopen of a cycle that is not closed
    run "$SVA" cycle reopen 2026-12 --reason x
    [ "$RC" -eq 3 ] || fail "reopen of an open cycle: exit $RC"
    expect_err "not closed" "reopen of an open cycle"
}
closed_not
run "$SVA" cycle reopen 2026-11
[ "$RC" -eq 2 ] || fail "reopen without --reason: exit $RC"
run "$SVA" cycle reopen 2026-11 --reason "   "
[ "$RC" -eq 3 ] || fail "reopen with a blank reason: exit $RC"
run "$SVA" cycle reopen 2026-11 --reason "audit 2 was of the wrong store" --by "Li Na"
expect_rc 0 "reopen"
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cl.json
"$PY" - cl.json <<'PY' || fail "cycle list after the reopen: $(cat cl.json)"
import json, sys
c = {r['id']: r for r in json.load(open(sys.argv[1]))}
assert c['2026-11']['state'] == 'act' and c['2026-11']['reopened'] == 1, c
assert c['2026-11']['closed_at'] is None, c   # no close stands
PY
run "$SVA" audit void 2 --reason "wrong store"
expect_rc 0 "void after the reopen"
run "$SVA" target set --cycle 2026-11 --metric ssi --value 72
expect_rc 0 "target after the reopen"
run "$SVA" log --cycle 2026-11 --format json
printf '%s' "$OUT" > log.json
"$PY" - log.json <<'PY' || fail "the log: $(cat log.json)"
import json, sys
rows = json.load(open(sys.argv[1]))
w = [(r['what'], r['by'], r['detail']) for r in rows]
i = w.index(('cycle reopen', 'Li Na', 'audit 2 was of the wrong store'))
assert [x[0] for x in w[i + 1:]] == ['void', 'target set'], w[i:]
assert [x[0] for x in w[:i]].count('cycle close') == 1, w
PY
run "$SVA" cycle close 2026-11
expect_rc 0 "close again"
run "$SVA" cycle status 2026-11 --format json
printf '%s' "$OUT" > st.json
"$PY" - st.json <<'PY' || fail "status after two closes: $(head -c 600 st.json)"
import json, sys
s = json.load(open(sys.argv[1]))
c = s['closes']
assert len(c) == 2, c
assert c[0]['closed_by'] == 'Zhou Qing' and c[0]['reopened_by'] == 'Li Na', c
assert c[0]['reopen_reason'] == 'audit 2 was of the wrong store', c
assert c[1]['reopened_at'] is None and c[1]['closed_by'] == 'Zhou Qing', c
assert s['state'] == 'closed', s
PY
run "$SVA" cycle status 2026-11
expect_out "reopened .* by Li Na: audit 2 was of the wrong store" "the table shows the reopen"
run "$SVA" cycle list --format csv
expect_out "2026-11,2026-11-01,2026-11-30,closed,2,.*,Zhou Qing,1" "cycle list: closed again, one reopen"
closed "target set after the second close" "$SVA" target set --cycle 2026-11 --metric ssi --value 10
done_testing

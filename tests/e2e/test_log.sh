#!/bin/sh
# svcaudit e2e: every change has an author (issue 13). Who: --by NAME, else
# $SVCAUDIT_USER, else the login name; when: the time of the change. Every
# kind of write leaves one line in the change log; `svcaudit log` lists it,
# filtered by --cycle and --since, in table, csv and json; bad names and
# filters are refused with one line.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-15
sheet() {
    printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = %s\n[item.front.tidy]\nanswer = %s\n[item.back.clean]\nanswer = %s\n[item.back.exit]\nanswer = %s\n' "$1" "$2" "$3" "$4" > sheet.ini
}
# log ARGS...: the log as JSON rows in log.json
log() { "$SVA" log --format json "$@" > log.json 2> log.err || fail "log $*: $(cat log.err)"; }
# last FIELD=VALUE...: the last log line has these fields
last() {
    log
    "$PY" - log.json "$@" <<'PY' || fail "last log line: $(tail -c 400 log.json)"
import json, sys
rows = json.load(open(sys.argv[1]))
last = rows[-1]
for kv in sys.argv[2:]:
    k, v = kv.split('=', 1)
    assert str(last[k]) == v, (k, last[k], v)
PY
}

me=$(id -un)
run "$SVA" init
expect_rc 0 "init"
run "$SVA" store add SH-001 --name "Sunrise Shanghai" --region East
last by="$me" what="store add" object="store SH-001" "detail=Sunrise Shanghai, region East"
export SVCAUDIT_USER="Wu Gang"
run "$SVA" store import "$P/stores.csv"
last by="Wu Gang" what="store import" object="$P/stores.csv" \
    "detail=2 added, 0 updated, 1 unchanged"
run "$SVA" --by "Li Na" employee add E1 --name "Wang Fang" --store SH-001
last by="Li Na" what="employee add" object="employee E1" "detail=Wang Fang at SH-001"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 --by "Li Na"
last by="Li Na" cycle=2026-11 what="cycle open" object="cycle 2026-11"
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
run "$SVA" target set --cycle 2026-11 --metric ssi --value 80
last cycle=2026-11 what="target set" "object=target ssi network" detail=80.0
run "$SVA" target set --cycle 2026-11 --metric ssi --value 85
last "detail=85.0 (was 80.0)"
run "$SVA" target set --cycle 2026-11 --store SH-002 --metric ssi --value 60
last "object=target ssi store SH-002" detail=60.0
sheet no yes no yes
run "$SVA" record pdca_mini --cycle 2026-11 --store SH-002 --auditor "Zhang Min" \
    --date 2026-11-05 --answers sheet.ini --by "Zhang Min"
expect_rc 0 "record"
last by="Zhang Min" cycle=2026-11 what=record "object=audit 1" \
    "detail=pdca_mini version 1 at SH-002, 2026-11-05: 50.0 %"
[ "$(dbq 'SELECT recorded_by FROM audit WHERE id = 1')" = "Zhang Min" ] ||
    fail "the audit keeps who recorded it"
sheet yes yes yes yes
run "$SVA" record pdca_mini --cycle 2026-11 --store SH-001 --auditor "Zhang Min" \
    --date 2026-11-06 --answers sheet.ini
run "$SVA" audit void 2 --reason "wrong store" --by "Chen Jie"
last by="Chen Jie" what=void "object=audit 2" "detail=wrong store" cycle=2026-11
[ "$(dbq "SELECT voided_by || '|' || CASE WHEN voided_at IS NOT NULL THEN 1 ELSE 0 END
    FROM audit WHERE id = 2")" = "Chen Jie|1" ] ||
    fail "the void keeps who and when"
run "$SVA" cycle reason 2026-11 --store SH-002 --metric ssi --text "new staff"
last what=reason "object=reason SH-002 ssi" "detail=new staff"
run "$SVA" action add --cycle 2026-11 --store SH-002 --metric ssi --set why=w --set what=x \
    --set who="Li Lei" --set when=2026-11-20 --set where=y --set how=z --by "Zhou Qing"
last by="Zhou Qing" what="action add" "object=action 1" "detail=opened at SH-002 on ssi"
run "$SVA" action update 1 --status in_progress --by "Li Lei"
last by="Li Lei" what="action update" "object=action 1" "detail=status open -> in_progress"
run "$SVA" action show 1 --format json
printf '%s' "$OUT" > a1.json
"$PY" - a1.json <<'PY' || fail "the action's history keeps the authors: $(cat a1.json)"
import json, sys
h = json.load(open(sys.argv[1]))['history']
assert [x['by'] for x in h] == ['Zhou Qing', 'Li Lei'], h
PY
printf 'cycle,store,metric,value,respondents\n2026-11,SH-001,csi,82,40\n' > sv.csv
run "$SVA" survey import sv.csv
last what="survey import" "object=survey SH-001 csi" cycle=2026-11
run "$SVA" cycle advance 2026-11
last what="cycle advance" "detail=do -> check"
run "$SVA" cycle close 2026-11 --by "Zhou Qing"
expect_rc 0 "close"
last by="Zhou Qing" what="cycle close" "object=cycle 2026-11"

# the filters
log --cycle 2026-12
"$PY" - log.json <<'PY' || fail "log --cycle 2026-12: $(cat log.json)"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [(r['what'], r['object']) for r in rows] == [('cycle open', 'cycle 2026-12')], rows
PY
log --since 2999-01-01
[ "$(cat log.json)" = "[]" ] || fail "log --since the future: $(cat log.json)"
today=$(date -u +%Y-%m-%d)
log --since "$today"
n_today=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' log.json)
log
n_all=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' log.json)
[ "$n_today" = "$n_all" ] && [ "$n_all" -ge 18 ] || fail "log --since today: $n_today of $n_all"
run "$SVA" log --format csv
expect_rc 0 "log csv"
[ "$(printf '%s\n' "$OUT" | head -1)" = "at,by,cycle,what,object,detail" ] || fail "csv header: $OUT"
run "$SVA" log
expect_out "cycle close" "the table lists the close"

# refused: one line, exit 2 or 3, nothing written
dump() { db_dump; }
refused() {
    code=$1; label=$2; shift 2
    dump > before.dump
    run "$@"
    if [ "$code" = x ]; then
        [ "$RC" -ne 0 ] || fail "$label: exit 0"
    else
        [ "$RC" -eq "$code" ] || fail "$label: exit $RC, want $code"
    fi
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && [ -n "$ERR" ] || fail "$label: not one line: $ERR"
}
refused 2 "--by empty" "$SVA" store add X1 --name X --by ""
refused 2 "--by blank" "$SVA" store add X1 --name X --by "   "
refused 2 "--by with a newline" "$SVA" store add X1 --name X --by "$(printf 'a\nb')"
expect_err "by" "the flag named"
refused 2 "--by not UTF-8" "$SVA" store add X1 --name X --by "$(printf 'Zh\377ang')"
expect_err "by" "the flag named (invalid UTF-8)"
SVCAUDIT_USER="$(printf 'bad\001name')" refused 2 "SVCAUDIT_USER not a name" "$SVA" store add X1 --name X
expect_err "SVCAUDIT_USER" "the variable named"
refused 3 "log of an unknown cycle" "$SVA" log --cycle 2031-01
expect_err "2031-01" "the cycle named"
refused 2 "log --since not a date" "$SVA" log --since yesterday
refused x "the log is never changed" dbq "UPDATE change_log SET actor = 'x'"
expect_err "the change log is never changed" "the trigger's reason"
refused x "the log is never deleted" dbq "DELETE FROM change_log"
expect_err "the change log is never deleted" "the trigger's reason"
done_testing

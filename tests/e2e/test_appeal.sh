#!/bin/sh
# svcaudit e2e: appeals (issue 13). A store disputes an audit (audit appeal,
# who and why kept); the appeal is listed (audit list --appealed), shown (audit
# show), counted (cycle status, JSON and table) and blocks closing the cycle
# until resolved: upheld after an amendment or a void (not before), or
# rejected; every refusal changes nothing; a closed cycle takes no appeal.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-25
dump() { db_dump; }
refused() { # refused CODE LABEL CMD...: exit CODE, a message, nothing changed
    code=$1; label=$2; shift 2
    dump > before.dump
    run "$@"
    [ "$RC" -eq "$code" ] || fail "$label: exit $RC, want $code ($ERR)"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ -n "$ERR" ] || fail "$label: no message"
}
sheet() {
    printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = %s\n[item.front.tidy]\nanswer = %s\n[item.back.clean]\nanswer = %s\n[item.back.exit]\nanswer = %s\n' "$1" "$2" "$3" "$4" > sheet.ini
}
rec() { # rec STORE AUDITOR DATE A1 A2 A3 A4
    sheet "$4" "$5" "$6" "$7"
    run "$SVA" record pdca_mini --cycle 2026-11 --store "$1" --auditor "$2" --date "$3" \
        --answers sheet.ini
    expect_rc 0 "record $1"
}
status_json() { "$SVA" cycle status 2026-11 --format json > st.json || fail "cycle status"; }
py_check() { label=$1; shift; "$PY" - "$@" > py.out 2>&1 || fail "$label: $(cat py.out)"; }

run "$SVA" init
run "$SVA" store import "$P/stores.csv"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "set-up"
rec SH-001 "Zhang Min" 2026-11-05 no no yes yes     # audit 1: 50.0
rec SH-002 "Li Ping" 2026-11-06 yes yes yes yes     # audit 2: 100.0
rec BJ-001 "Zhang Min" 2026-11-07 yes no no no      # audit 3: 25.0

# ---- open: shown, listed, counted, blocks the close ------------------------------------------
run "$SVA" audit appeal 1 --reason "the greeting was within 60 s on the CCTV" --by "SH-001 manager"
expect_rc 0 "appeal audit 1"
refused 3 "a second open appeal of the same audit" "$SVA" audit appeal 1 --reason again
expect_err "open appeal already" "says why"
run "$SVA" audit show 1 --format json
printf '%s' "$OUT" > a1.json
py_check "audit show: the open appeal" a1.json <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
assert a['open_appeals'] == 1, a
p = a['appeals']
assert len(p) == 1 and p[0]['outcome'] == 'open' and p[0]['opened_by'] == 'SH-001 manager', p
assert p[0]['reason'] == 'the greeting was within 60 s on the CCTV' and p[0]['revision'] == 1, p
PY
run "$SVA" audit show 1
expect_out "APPEALED" "the table says so"
run "$SVA" audit list --appealed --format csv
[ "$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 { print $1 }' | tr '\n' ' ')" = "1 " ] ||
    fail "audit list --appealed: $OUT"
status_json
py_check "cycle status counts the open appeal" st.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert (s['appeals_open'], s['appeals_upheld'], s['appeals_rejected']) == (1, 0, 0), s
PY
run "$SVA" cycle status 2026-11
expect_out "appeals: 1 open, 0 upheld, 0 rejected" "the table counts it"
refused 1 "close with an open appeal" "$SVA" cycle close 2026-11
expect_err "audit 1 (SH-001) has an open appeal" "the close names the appeal"

# ---- upheld: only after an amendment (or a void) ----------------------------------------------
refused 3 "upheld before the audit is corrected" "$SVA" audit resolve 1 --upheld --note "CCTV"
expect_err "amend audit 1" "says to amend or void first"
run "$SVA" audit amend 1 --set front.greet=yes --reason "appeal: CCTV shows the greeting in time"
expect_out "50.0 % -> 75.0 %" "the amendment"
refused 2 "resolve with both" "$SVA" audit resolve 1 --upheld --rejected --note x
refused 2 "resolve with neither" "$SVA" audit resolve 1 --note x
refused 2 "resolve without a note" "$SVA" audit resolve 1 --upheld
run "$SVA" audit resolve 1 --upheld --note "CCTV confirms the greeting" --by "QA Chen"
expect_rc 0 "upheld"
refused 3 "resolve again" "$SVA" audit resolve 1 --rejected --note x
expect_err "no open appeal" "says why"

# ---- rejected, and upheld by a void ----------------------------------------------------------
run "$SVA" audit appeal 3 --reason "the shopper came on a public holiday" --by "BJ-001 manager"
run "$SVA" audit resolve 3 --rejected --note "the standard holds on holidays" --by "QA Chen"
expect_rc 0 "rejected"
run "$SVA" audit appeal 2 --reason "the shopper was at another store" --by "SH-002 manager"
run "$SVA" audit void 2 --reason "appeal: wrong store"
run "$SVA" audit resolve 2 --upheld --note "voided: wrong store" --by "QA Chen"
expect_rc 0 "upheld by a void"
refused 3 "an appeal of a void audit" "$SVA" audit appeal 2 --reason x
refused 3 "an appeal of no audit" "$SVA" audit appeal 99 --reason x
refused 2 "an appeal without a reason" "$SVA" audit appeal 3
run "$SVA" audit show 3 --format json
printf '%s' "$OUT" > a3.json
py_check "the rejected appeal as shown" a3.json <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))['appeals'][0]
assert (p['outcome'], p['resolved_by'], p['note']) == \
    ('rejected', 'QA Chen', 'the standard holds on holidays'), p
PY
status_json
py_check "counted after resolving" st.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert (s['appeals_open'], s['appeals_upheld'], s['appeals_rejected']) == (0, 2, 1), s
PY
run "$SVA" audit list --appealed --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "no open appeal left: $OUT"
# the Auditors view counts each auditor's appeals and the upheld ones: Zhang Min's
# audits 1 (upheld) and 3 (rejected); Li Ping's audit 2 (upheld, by a void)
"$SVA" auditors --cycle 2026-11 --format json > aud.json || fail "auditors"
py_check "appeals per auditor" aud.json <<'PY'
import json, sys
rows = {r['auditor']: (r['appeals'], r['upheld']) for r in json.load(open(sys.argv[1]))['auditors']}
assert rows.get('Zhang Min') == (2, 1), rows
assert rows.get('Li Ping', (1, 1)) == (1, 1), rows
PY
run "$SVA" log --cycle 2026-11 --format csv
printf '%s\n' "$OUT" > log.csv
py_check "the log" log.csv <<'PY'
import csv, sys
rows = [(r['what'], r['object'], r['by']) for r in csv.DictReader(open(sys.argv[1]))
        if r['what'] in ('appeal', 'resolve')]
assert rows == [('appeal', 'audit 1', 'SH-001 manager'), ('resolve', 'audit 1', 'QA Chen'),
                ('appeal', 'audit 3', 'BJ-001 manager'), ('resolve', 'audit 3', 'QA Chen'),
                ('appeal', 'audit 2', 'SH-002 manager'), ('resolve', 'audit 2', 'QA Chen')], rows
PY

# ---- the close goes through now; a closed cycle takes no appeal -------------------------------------
run "$SVA" cycle close 2026-11
expect_rc 0 "close after the appeals are resolved"
refused 3 "an appeal in a closed cycle" "$SVA" audit appeal 3 --reason "again"
expect_err "closed" "says the cycle is closed"
done_testing

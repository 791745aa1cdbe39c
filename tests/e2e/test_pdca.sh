#!/bin/sh
# svcaudit e2e: the PDCA cycle through the real binary. Plan (target set, list,
# import of a targets file with file:line errors), Do (5W1H actions: add, list
# with filters and overdue, show with history, update, --from-audit), Check
# (cycle status as table, csv and json with the same numbers, surveys beside
# the audit figures), Act (reasons, close refused until every missed store
# target has a reason and an action, carry-over into the next cycle, a closed
# cycle takes nothing new, done actions verified or reopened by the next
# cycle's answers), the states plan -> do -> check -> act -> closed, and bad
# input: a clear message, a non-zero exit and `sqlite3 .dump` unchanged.
#
# Every expected figure is worked out by hand in the comments from SPEC.md and
# README.md, none copied from a run. The audits use the fixture checklist
# pdca_mini (tests/fixtures/pdca/checklists): four yes/no items of weight 1,
# pooled, so an audit scores (yes answers) x 25 %.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
# "today" for overdue actions; commands that need another day say so
export SVCAUDIT_TODAY=2026-11-15
DB=svcaudit.db
dump() { db_dump; }
# refused CODE LABEL CMD...: CMD exits CODE ("x": any failure, but not a crash),
# says something on stderr, nothing on stdout, and leaves $DB as it was; one
# failed check listing whatever of that went wrong
refused() {
    code=$1
    label=$2
    shift 2
    dump > before.dump
    run "$@"
    why=""
    if [ "$code" = x ]; then
        [ "$RC" -ne 0 ] && [ "$RC" -lt 128 ] || why="$why; exit $RC, expected a failure"
    else
        [ "$RC" -eq "$code" ] || why="$why; exit $RC, expected $code"
    fi
    dump > after.dump
    cmp -s before.dump after.dump || why="$why; the database changed"
    [ -n "$ERR" ] || why="$why; no message on stderr"
    [ -z "$OUT" ] || why="$why; wrote to stdout: $OUT"
    [ -z "$why" ] || fail "$label${why} (stderr: $ERR)"
}
expect_no_err() { printf '%s' "$ERR" | grep -q -- "$1" && fail "stderr has '$1': ${2:-} (stderr: $ERR)"; true; }
# py LABEL SCRIPT ARGS...: run a python check; a failed assert is a failed check
py() {
    label=$1
    shift
    "$PY" "$@" > py.out 2>&1 || fail "$label: $(cat py.out)"
}
# sheet A1 A2 A3 A4: write sheet.ini, a pdca_mini answer sheet with these answers to
# front.greet, front.tidy, back.clean, back.exit
sheet() {
    cat > sheet.ini <<EOF
[audit]
checklist = pdca_mini
version   = 1

[item.front.greet]
answer = $1
[item.front.tidy]
answer = $2
[item.back.clean]
answer = $3
[item.back.exit]
answer = $4
EOF
}
# rec STORE CYCLE DATE A1 A2 A3 A4: record a pdca_mini audit with these answers, on the
# day it was done (an audit is never dated after today)
rec() {
    sheet "$4" "$5" "$6" "$7"
    run env SVCAUDIT_TODAY="$3" "$SVA" record pdca_mini --cycle "$2" --store "$1" --auditor "Zhang Min" --date "$3" \
        --answers sheet.ini
}
# ids CMD...: the ids of the rows a `--format json` listing prints, space-separated
ids() {
    "$@" > ids.json 2> ids.err || { echo "exit $?: $(cat ids.err)"; return; }
    "$PY" -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))))' ids.json
}

# ---- set-up ---------------------------------------------------------------------------
run "$SVA" init
expect_rc 0 "init"
run "$SVA" store import "$P/stores.csv"
expect_rc 0 "store import"
expect_out "3 added" "three stores: SH-001, SH-002 (East), BJ-001 (North)"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open 2026-11"
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cycles.json
py "a new cycle is in plan" - cycles.json <<'EOF'
import json, sys
c = {r['id']: r for r in json.load(open(sys.argv[1]))}
assert c['2026-11']['state'] == 'plan', c
assert c['2026-11']['audits'] == 0, c
EOF

# ---- Plan ----------------------------------------------------------------------------------
run "$SVA" target set --cycle 2026-11 --metric ssi --value 60
expect_rc 0 "network ssi target"
run "$SVA" target set --cycle 2026-11 --region East --metric ssi --value 70
expect_rc 0 "region East ssi target"
run "$SVA" target set --cycle 2026-11 --store SH-002 --metric ssi --value 30
expect_rc 0 "store SH-002 ssi target"
run "$SVA" target set --cycle 2026-11 --metric csi --value 80
expect_rc 0 "network csi target"
run "$SVA" target set --cycle 2026-11 --store BJ-001 --metric pdca_mini --value 75
expect_rc 0 "a checklist id is a metric"
run "$SVA" target list --cycle 2026-11 --format json
expect_rc 0 "target list"
printf '%s' "$OUT" > targets.json
py "target list" - targets.json <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
got = sorted((r['scope'], r['id'], r['metric'], r['target']) for r in rows)
want = sorted([('network', '', 'ssi', 60.0), ('region', 'East', 'ssi', 70.0),
               ('store', 'SH-002', 'ssi', 30.0), ('network', '', 'csi', 80.0),
               ('store', 'BJ-001', 'pdca_mini', 75.0)])
assert got == want, got
scopes = [r['scope'] for r in rows]
assert scopes == sorted(scopes, key=['network', 'region', 'store'].index), scopes
assert all(r['cycle'] == '2026-11' for r in rows)
EOF

refused 2 "target 120" "$SVA" target set --cycle 2026-11 --metric ssi --value 120
expect_err "120" "target 120 named"
refused 2 "target -1" "$SVA" target set --cycle 2026-11 --metric ssi --value -1
expect_err "0..100" "target -1: the range named"
refused 3 "target: unknown metric" "$SVA" target set --cycle 2026-11 --metric nps --value 80
expect_err "nps" "unknown metric named"
refused 3 "target: a metric in capitals" "$SVA" target set --cycle 2026-11 --metric SSI --value 80
expect_err "unknown metric 'SSI'" "the metric named"
refused 3 "target: misspelt metric" "$SVA" target set --cycle 2026-11 --metric sssi --value 80
expect_err "unknown metric 'sssi' (did you mean 'ssi'?)" "target: the metric meant"
refused 3 "target: unknown store" "$SVA" target set --cycle 2026-11 --store XX-999 --metric ssi --value 80
expect_err "XX-999" "unknown store named"
refused 3 "target: unknown region" "$SVA" target set --cycle 2026-11 --region South --metric ssi --value 80
expect_err "South" "unknown region named"
# a slip of a name gets the one meant, with the flag that gave it
refused 3 "target: misspelt store" "$SVA" target set --cycle 2026-11 --store SH-01 --metric ssi --value 80
expect_err "--store: unknown store 'SH-01' (did you mean 'SH-001'?)" "target: the store meant"
refused 3 "target: misspelt region" "$SVA" target set --cycle 2026-11 --region Eats --metric ssi --value 80
expect_err "--region: unknown region 'Eats' (did you mean 'East'?)" "target: the region meant"
refused 3 "target: unknown cycle" "$SVA" target set --cycle 2031-01 --metric ssi --value 80
expect_err "2031-01" "unknown cycle named"
refused 2 "target: not a number" "$SVA" target set --cycle 2026-11 --metric ssi --value abc
expect_err "abc" "the bad value named"
refused 2 "target: store and region" "$SVA" target set --cycle 2026-11 --store SH-001 --region East --metric ssi --value 80
refused 2 "target: no value" "$SVA" target set --cycle 2026-11 --metric ssi

# ---- audits --------------------------------------------------------------------------------
# SH-001: yyyy 100, yynn 50 -> 75.0 (n 2); SH-002: ynnn 25, yyyy 100 voided -> 25.0 (n 1);
# BJ-001: yyyn 75 -> 75.0 (n 1)
rec SH-001 2026-11 2026-11-05 yes yes yes yes
expect_rc 0 "audit 1"
expect_out "^audit 1 recorded: 100.0 %" "yyyy = 100.0"
rec SH-001 2026-11 2026-11-06 yes yes no no
expect_out "^audit 2 recorded: 50.0 %" "yynn = 50.0"
rec SH-002 2026-11 2026-11-07 yes no no no
expect_out "^audit 3 recorded: 25.0 %" "ynnn = 25.0"
rec SH-002 2026-11 2026-11-08 yes yes yes yes
expect_out "^audit 4 recorded: 100.0 %" "yyyy = 100.0"
run "$SVA" audit void 4 --reason "shopper visited the wrong store"
expect_rc 0 "void audit 4"
rec BJ-001 2026-11 2026-11-09 yes yes yes no
expect_out "^audit 5 recorded: 75.0 %" "yyyn = 75.0"
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cycles.json
py "the first audit moved 2026-11 to do" - cycles.json <<'EOF'
import json, sys
c = {r['id']: r for r in json.load(open(sys.argv[1]))}
assert c['2026-11']['state'] == 'do', c
assert c['2026-11']['audits'] == 4, c   # five recorded, one void
EOF

# ---- Check: cycle status as table, csv and json -------------------------------------------
run "$SVA" cycle status 2026-11
expect_rc 0 "cycle status (table)"
printf '%s\n' "$OUT" > status.txt
run "$SVA" cycle status 2026-11 --format csv
expect_rc 0 "cycle status (csv)"
printf '%s\n' "$OUT" > status.csv
run "$SVA" cycle status 2026-11 --format json
expect_rc 0 "cycle status (json)"
printf '%s\n' "$OUT" > status.json
cat > status_check.py <<'EOF'
# Parse the table, csv and json of `cycle status`, check that they hold the same
# rows with the same numbers, and (with --expect) that the rows are these:
import csv, json, re, sys

NUM = ('actual', 'n', 'target', 'gap', 'survey', 'respondents')

def norm(row):
    out = {}
    for k, v in row.items():
        if k in NUM:
            out[k] = None if v in ('', None) else float(v)
        else:
            out[k] = '' if v is None else v
    return out

def table(path):
    lines = open(path).read().split('\n')
    i = next(i for i, l in enumerate(lines) if l.startswith('scope '))
    hdr = [(m.group(), m.start()) for m in re.finditer(r'\S+', lines[i])]
    rows = []
    for l in lines[i + 1:]:
        if not l.strip():
            break
        cells = {}
        for k, (name, start) in enumerate(hdr):
            end = hdr[k + 1][1] if k + 1 < len(hdr) else None
            cells[name] = l[start:end].strip()
        rows.append(norm(cells))
    return rows

def csvrows(path):
    return [norm(r) for r in csv.DictReader(open(path, newline=''))]

def jsonrows(path):
    return [norm(r) for r in json.load(open(path))['rows']]

t, c, j = table(sys.argv[1]), csvrows(sys.argv[2]), jsonrows(sys.argv[3])
assert len(t) == len(c) == len(j), (len(t), len(c), len(j))
for a, b, d in zip(t, c, j):
    assert a == b == d, ('table', a, 'csv', b, 'json', d)

if len(sys.argv) > 4 and sys.argv[4] == '--expect':
    # (scope, id, metric): (actual, n, target, from, gap, status)
    E = {
        # SH-001 (East): no store target, East's 70: 75.0 - 70 = +5.0 met
        ('store', 'SH-001', 'ssi'): (75.0, 2, 70.0, 'region', 5.0, 'met'),
        ('store', 'SH-001', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('store', 'SH-001', '6s'): (None, 0, None, '', None, 'no target'),
        ('store', 'SH-001', 'pdca_mini'): (75.0, 2, None, '', None, 'no target'),
        # SH-002: its own 30 over East's 70: 25.0 - 30 = -5.0 missed (the void 100 is out)
        ('store', 'SH-002', 'ssi'): (25.0, 1, 30.0, 'store', -5.0, 'missed'),
        ('store', 'SH-002', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('store', 'SH-002', '6s'): (None, 0, None, '', None, 'no target'),
        ('store', 'SH-002', 'pdca_mini'): (25.0, 1, None, '', None, 'no target'),
        # BJ-001 (North): no store or North target, the network's 60: +15.0 met
        ('store', 'BJ-001', 'ssi'): (75.0, 1, 60.0, 'network', 15.0, 'met'),
        ('store', 'BJ-001', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('store', 'BJ-001', '6s'): (None, 0, None, '', None, 'no target'),
        # its own pdca_mini target 75: 75.0 >= 75 met, gap 0.0
        ('store', 'BJ-001', 'pdca_mini'): (75.0, 1, 75.0, 'store', 0.0, 'met'),
        # East = (75.0 + 25.0) / 2 stores = 50.0 (by audits it would be 58.3): -20.0 missed
        ('region', 'East', 'ssi'): (50.0, 2, 70.0, 'region', -20.0, 'missed'),
        ('region', 'East', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('region', 'East', '6s'): (None, 0, None, '', None, 'no target'),
        ('region', 'East', 'pdca_mini'): (50.0, 2, None, '', None, 'no target'),
        # North = BJ-001 alone, the network's 60: +15.0 met; BJ-001's own pdca_mini
        # target is not the region's
        ('region', 'North', 'ssi'): (75.0, 1, 60.0, 'network', 15.0, 'met'),
        ('region', 'North', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('region', 'North', '6s'): (None, 0, None, '', None, 'no target'),
        ('region', 'North', 'pdca_mini'): (75.0, 1, None, '', None, 'no target'),
        # network = (75.0 + 25.0 + 75.0) / 3 stores = 58.3 (by audits 62.5, met): -1.7 missed
        ('network', '', 'ssi'): (58.3, 3, 60.0, 'network', -1.7, 'missed'),
        ('network', '', 'csi'): (None, 0, 80.0, 'network', None, 'no data'),
        ('network', '', '6s'): (None, 0, None, '', None, 'no target'),
        ('network', '', 'pdca_mini'): (58.3, 3, None, '', None, 'no target'),
    }
    got = {(r['scope'], r['id'], r['metric']): r for r in j}
    assert len(got) == len(j) == len(E), sorted(got)
    for key, (actual, n, target, frm, gap, status) in E.items():
        r = got[key]
        want = {'actual': actual, 'n': float(n), 'target': target, 'from': frm, 'gap': gap,
                'status': status}
        have = {k: r[k] for k in want}
        assert have == want, (key, 'got', have, 'want', want)
    # stores first (East's by id, then North's), then the regions, then the network
    order = [(r['scope'], r['id']) for r in j]
    firsts = [k for i, k in enumerate(order) if k not in order[:i]]
    assert firsts == [('store', 'SH-001'), ('store', 'SH-002'), ('store', 'BJ-001'),
                      ('region', 'East'), ('region', 'North'), ('network', '')], firsts
    head = json.load(open(sys.argv[3]))
    assert (head['cycle'], head['from'], head['to'], head['state']) == \
        ('2026-11', '2026-11-01', '2026-11-30', 'do'), head
    assert (head['audits'], head['stores_audited'], head['stores_total']) == (4, 3, 3), head
print(len(j), 'rows')
EOF
py "cycle status: table, csv and json agree, with the hand-worked figures" status_check.py \
    status.txt status.csv status.json --expect
grep -q "audits 4; stores audited 3 of 3" status.txt || fail "status header: audits 4, stores 3 of 3"

run "$SVA" cycle status 2026-11 --fail-on-missed
expect_rc 1 "--fail-on-missed: SH-002 ssi is missed"
run "$SVA" cycle status 2026-11 --store SH-002 --format json
printf '%s' "$OUT" > f.json
py "--store SH-002: its four rows" -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert [(r["scope"], r["id"]) for r in rows] == [("store", "SH-002")] * 4, rows' f.json
run "$SVA" cycle status 2026-11 --metric ssi --format json
printf '%s' "$OUT" > f.json
py "--metric ssi: 3 stores, 2 regions, the network" -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert len(rows) == 6 and all(r["metric"] == "ssi" for r in rows), rows' f.json
run "$SVA" cycle status 2026-11 --region East --format json
printf '%s' "$OUT" > f.json
py "--region East: SH-001, SH-002 and East" -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert sorted(set((r["scope"], r["id"]) for r in rows)) == \
    [("region", "East"), ("store", "SH-001"), ("store", "SH-002")], rows
assert len(rows) == 12, len(rows)' f.json

# ---- Act: closing needs a reason and an action for every missed store target -------------
# missed store targets: SH-002 ssi only (East and the network missed too, but those are
# not store targets)
refused 1 "close: SH-002 ssi has no reason and no action" "$SVA" cycle close 2026-11
expect_err "SH-002" "close names the store"
expect_err "ssi" "close names the metric"
expect_err "reason" "close lists the missing reason"
expect_err "action" "close lists the missing action"
expect_no_err "SH-001" "SH-001 met its target"
expect_no_err "BJ-001" "BJ-001 met its targets"

refused 3 "reason: unknown store" "$SVA" cycle reason 2026-11 --store XX-999 --metric ssi --text x
expect_err "XX-999" "unknown store named"
refused 3 "reason: misspelt store" "$SVA" cycle reason 2026-11 --store SH-01 --metric ssi --text x
expect_err "--store: unknown store 'SH-01' (did you mean 'SH-001'?)" "reason: the store meant"
refused 3 "reason: unknown cycle" "$SVA" cycle reason 2031-01 --store SH-002 --metric ssi --text x
expect_err "2031-01" "unknown cycle named"
refused 2 "reason: no text" "$SVA" cycle reason 2026-11 --store SH-002 --metric ssi
refused 3 "reason: a target met" "$SVA" cycle reason 2026-11 --store SH-001 --metric ssi --text x
expect_err "^svcaudit: --metric ssi: store SH-001 met its target in 2026-11" "a met target takes no reason"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "a met target: one line: $ERR"
# a reason for a metric that does not exist is refused (it once was stored: the library
# checked only that it looked like an id)
refused x "reason: unknown metric" "$SVA" cycle reason 2026-11 --store SH-002 --metric nps --text x

run "$SVA" cycle reason 2026-11 --store SH-002 --metric ssi --text "two new consultants untrained"
expect_rc 0 "reason for SH-002 ssi"
refused 1 "close: the reason alone is not enough" "$SVA" cycle close 2026-11
expect_err "SH-002" "close names the store"
expect_err "action" "close still lists the missing action"
expect_no_err "reason" "the reason is there now"

# ---- Do: 5W1H actions ----------------------------------------------------------------------
run "$SVA" action add --cycle 2026-11 --store SH-002 --checklist pdca_mini --item front.tidy \
    --set why="counter cluttered in two audits" --set what="clear-desk rule" \
    --set who="Wang Fang" --set when=2026-11-20 --set where=reception \
    --set how="manager checks at opening" --by "Li Na"
expect_rc 0 "action add 1"
expect_out "action 1 opened" "action 1"
run "$SVA" action list --format json
printf '%s' "$OUT" > a.json
py "action 1 as listed" - a.json <<'EOF'
import json, sys
(a,) = json.load(open(sys.argv[1]))
# pdca_mini feeds ssi: the action works on ssi; owner = who, due = when
want = {'id': 1, 'cycle': '2026-11', 'store': 'SH-002', 'region': 'East', 'metric': 'ssi',
        'about': 'pdca_mini/front.tidy', 'status': 'open', 'owner': 'Wang Fang',
        'due': '2026-11-20', 'overdue': False, 'what': 'clear-desk rule'}
assert {k: a[k] for k in want} == want, a
EOF
# overdue: the due date has passed (due < today) and it is not done
[ "$(ids env SVCAUDIT_TODAY=2026-11-20 "$SVA" action list --overdue --format json)" = "" ] ||
    fail "due 2026-11-20 is not overdue on 2026-11-20"
[ "$(ids env SVCAUDIT_TODAY=2026-11-21 "$SVA" action list --overdue --format json)" = "1" ] ||
    fail "due 2026-11-20 is overdue on 2026-11-21"
run env SVCAUDIT_TODAY=2026-11-21 "$SVA" cycle status 2026-11 --format json
printf '%s' "$OUT" > s.json
py "status counts the open and overdue action" -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["actions_open"], s["actions_overdue"], s["actions_done"]) == (1, 1, 0), s' s.json

run "$SVA" action update 1 --status in_progress --by "Wang Fang"
expect_rc 0 "action 1 in progress"
run "$SVA" action update 1 --set how="manager checks at opening and at noon" --by "Zhang Min"
expect_rc 0 "action 1: how changed"
run "$SVA" action show 1 --format json
expect_rc 0 "action show 1"
printf '%s' "$OUT" > a1.json
py "action 1: fields and history" - a1.json <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
assert a['status'] == 'in_progress', a
assert a['fields']['how'] == 'manager checks at opening and at noon', a
h = a['history']
assert [x['by'] for x in h] == ['Li Na', 'Wang Fang', 'Zhang Min'], h
assert 'open' in h[0]['change'], h
assert 'in_progress' in h[1]['change'], h
assert 'how' in h[2]['change'] and 'at noon' in h[2]['change'], h
assert all(x['at'][:4].isdigit() and x['at'][4] == '-' for x in h), h
EOF
run "$SVA" action show 1
expect_out "history:" "action show (table) has the history"
expect_out "Zhang Min" "action show (table) names who changed it"

# actions 2 and 3 at SH-001 on front.greet and back.exit, both done
run "$SVA" action add --cycle 2026-11 --store SH-001 --checklist pdca_mini --item front.greet \
    --set why="greeted late" --set what="door rota" --set who="Chen Jie" \
    --set when=2026-11-25 --set where=showroom --set how="rota on the board" --by "Li Na"
expect_out "action 2 opened" "action 2"
run "$SVA" action add --cycle 2026-11 --store SH-001 --checklist pdca_mini --item back.exit \
    --set why="exit blocked by boxes" --set what="keep exit clear" --set who="Chen Jie" \
    --set when=2026-11-25 --set where=workshop --set how="daily walk" --by "Li Na"
expect_out "action 3 opened" "action 3"
run "$SVA" action update 2 --status done --by "Chen Jie"
expect_rc 0 "action 2 done (open -> done)"
run "$SVA" action update 3 --status in_progress --by "Chen Jie"
run "$SVA" action update 3 --status done --by "Chen Jie"
expect_rc 0 "action 3 done"
refused x "backward: done -> in_progress" "$SVA" action update 2 --status in_progress --by X
expect_err "in_progress" "the refused status named"
refused x "backward: done -> open" "$SVA" action update 2 --status open --by X
refused x "unknown status" "$SVA" action update 2 --status finished --by X
expect_err "finished" "the unknown status named"
refused x "update: emptying a required field" "$SVA" action update 2 --set why= --by X
expect_err "why" "the field named"
refused x "update: not a date" "$SVA" action update 2 --set when=2026-11-31 --by X
expect_err "2026-11-31" "the bad date named"
refused x "update: no such action" "$SVA" action update 99 --status done --by X
expect_err "99" "the action number named"

# list filters: cycle, store, status, owner
[ "$(ids "$SVA" action list --cycle 2026-11 --format json)" = "1 2 3" ] || fail "list --cycle"
[ "$(ids "$SVA" action list --store SH-001 --format json)" = "2 3" ] || fail "list --store SH-001"
[ "$(ids "$SVA" action list --status done --format json)" = "2 3" ] || fail "list --status done"
[ "$(ids "$SVA" action list --status in_progress --format json)" = "1" ] || fail "list --status in_progress"
[ "$(ids "$SVA" action list --owner "Chen Jie" --format json)" = "2 3" ] || fail "list --owner"
# on 2026-11-26 action 1 (due 11-20, in progress) is overdue; 2 and 3 are done
[ "$(ids env SVCAUDIT_TODAY=2026-11-26 "$SVA" action list --overdue --format json)" = "1" ] ||
    fail "list --overdue on 2026-11-26"

# --from-audit 3 (SH-002 ynnn): tidy, clean and exit failed; tidy has action 1 already
run "$SVA" action add --from-audit 3 --set who="Wang Fang" --set when=2026-11-28 \
    --set where=workshop --set how=coaching --by "Li Na"
expect_rc 0 "--from-audit 3"
expect_out "2 actions opened from audit 3; 1 failed item already had one" "from-audit counts"
run "$SVA" action list --store SH-002 --format json
printf '%s' "$OUT" > sh2.json
py "from-audit opened back.clean and back.exit" - sh2.json <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r['id'] for r in rows] == [1, 4, 5], rows
assert sorted(r['about'] for r in rows[1:]) == ['pdca_mini/back.clean', 'pdca_mini/back.exit'], rows
for r in rows[1:]:
    assert r['status'] == 'open' and r['metric'] == 'ssi' and r['owner'] == 'Wang Fang', r
    assert r['what'], r   # filled from the item
EOF
run "$SVA" action add --from-audit 3 --set who="Wang Fang" --set when=2026-11-28 \
    --set where=workshop --set how=coaching
expect_rc 0 "--from-audit 3 again"
expect_out "0 actions opened from audit 3; 3 failed items already had one" "nothing twice"
refused 3 "--from-audit of a void audit" "$SVA" action add --from-audit 4 --set who=X \
    --set when=2026-11-28 --set where=x --set how=x
refused 3 "--from-audit of no audit" "$SVA" action add --from-audit 99 --set who=X \
    --set when=2026-11-28 --set where=x --set how=x
refused 3 "--from-audit without how" "$SVA" action add --from-audit 5 --set who=X \
    --set when=2026-11-28 --set where=x
expect_err "how" "the missing field named"

# bad input for action add: each refused, nothing written
A="action add --cycle 2026-11 --store SH-001"
F5="--set why=w --set what=w --set who=X --set where=x --set how=h"
refused 3 "add: required fields missing" "$SVA" $A --set why=w
expect_err "how" "a missing field named"
expect_err "where" "every missing field named"
refused 3 "add: not a date" "$SVA" $A $F5 --set when=2026-13-01
expect_err "2026-13-01" "the bad date named"
refused 3 "add: a date in words" "$SVA" $A $F5 --set "when=next week"
refused 3 "add: unknown field" "$SVA" $A $F5 --set when=2026-11-30 --set cost=5
expect_err "cost" "the unknown field named"
refused 3 "add: bad enum" "$SVA" $A $F5 --set when=2026-11-30 --set priority=urgent
expect_err "urgent" "the bad value named"
refused 3 "add: unknown store" "$SVA" action add --cycle 2026-11 --store XX-999 $F5 --set when=2026-11-30
expect_err "XX-999" "the store named"
refused 3 "add: unknown cycle" "$SVA" action add --cycle 2031-01 --store SH-001 $F5 --set when=2026-11-30
expect_err "2031-01" "the cycle named"
refused 3 "add: misspelt store and cycle" "$SVA" action add --cycle 2026-1 --store SH-01 $F5 --set when=2026-11-30
expect_err "--cycle: unknown cycle '2026-1' (did you mean '2026-11'" "add: the cycle meant"
expect_err "--store: unknown store 'SH-01' (did you mean 'SH-001'?)" "add: the store meant"
refused 3 "add: unknown metric" "$SVA" $A --metric nps $F5 --set when=2026-11-30
expect_err "nps" "the metric named"
refused 3 "add: unknown item" "$SVA" $A --checklist pdca_mini --item front.nope $F5 --set when=2026-11-30
expect_err "front.nope" "the item named"
refused 3 "add: unknown checklist" "$SVA" $A --checklist nope --item a.b $F5 --set when=2026-11-30
expect_err "nope" "the checklist named"
refused 2 "add: --set without =" "$SVA" $A --set why
refused 2 "list: unknown status" "$SVA" action list --status finished

# ---- Check: surveys beside the audit figures --------------------------------------------------
for f in bad_metric:3:nps above_scale:3:1200 above_default_scale:3:101 respondents0:3:respondents \
    unknown_store:3:XX-999 unknown_cycle:3:2031-01 missing_column:1:respondents; do
    name=${f%%:*}
    rest=${f#*:}
    line=${rest%%:*}
    needle=${rest#*:}
    refused 3 "survey $name" "$SVA" survey import "$P/surveys/$name.csv"
    expect_err "$name.csv:$line: " "survey $name: file:line"
    expect_err "$needle" "survey $name: the problem named"
done
run "$SVA" survey import "$P/surveys/good.csv"
expect_rc 0 "survey import"
expect_out "2 added" "two survey rows"
run "$SVA" cycle status 2026-11 --format json
printf '%s\n' "$OUT" > status2.json
py "survey values beside, audit figures unchanged" - status.json status2.json <<'EOF'
import json, sys
before = json.load(open(sys.argv[1]))['rows']
after = json.load(open(sys.argv[2]))['rows']
assert len(before) == len(after)
for b, a in zip(before, after):
    # every audit figure as before the import
    for k in ('scope', 'id', 'metric', 'actual', 'n', 'target', 'from', 'gap', 'status'):
        assert a[k] == b[k], (k, b, a)
surv = {(r['scope'], r['id'], r['metric']): (r['survey'], r['respondents']) for r in after
        if r['survey'] is not None}
# SH-001 ssi 850 of 1000 -> 85.0 (40 respondents), BJ-001 csi 72.5 of 100 (12)
assert surv == {('store', 'SH-001', 'ssi'): (85.0, 40), ('store', 'BJ-001', 'csi'): (72.5, 12)}, surv
EOF
run "$SVA" cycle status 2026-11 --format csv
printf '%s\n' "$OUT" > status2.csv
run "$SVA" cycle status 2026-11
printf '%s\n' "$OUT" > status2.txt
py "with surveys: table, csv and json still agree" status_check.py status2.txt status2.csv status2.json

# ---- Act: close, carry-over, a closed cycle takes nothing new ------------------------------------
# SH-002 ssi has its reason and actions 1, 4, 5 (ssi); open are 1 (in progress), 4, 5:
# with no cycle after 2026-11 they have nowhere to go
refused 1 "close: open actions and no next cycle" "$SVA" cycle close 2026-11
expect_err "open" "close says what is open"
# the next step, with the date it can name: the day after 2026-11 ends
expect_err "svcaudit cycle open ID --from 2026-12-01 --to DATE" "close says how to open the next cycle"
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle open 2026-12"
run "$SVA" cycle close 2026-11
expect_rc 0 "cycle close 2026-11"
expect_out "3 open actions carried into 2026-12" "close carries 1, 4, 5"
run "$SVA" action list --format json
printf '%s' "$OUT" > all.json
run "$SVA" action list --cycle 2026-11 --format json
printf '%s' "$OUT" > closed.json
py "carried on, the same actions" - all.json closed.json <<'EOF'
import json, sys
rows = {r['id']: r for r in json.load(open(sys.argv[1]))}
moved = sorted(i for i, r in rows.items() if r['cycle'] == '2026-12')
assert moved == [1, 4, 5], rows          # the same ids: no copies
assert len(rows) == 5, rows
for i in moved:
    assert rows[i]['carried'] == 'from 2026-11', rows[i]
    assert rows[i]['status'] not in ('done', 'verified'), rows[i]
# 2 and 3 are done: not carried
assert rows[2]['carried'] == '' and rows[3]['carried'] == '', rows
# the closed cycle still lists all five: 1, 4, 5 as they stood, carried to 2026-12
old = {r['id']: r for r in json.load(open(sys.argv[2]))}
assert sorted(old) == [1, 2, 3, 4, 5], old
for i in moved:
    assert old[i]['cycle'] == '2026-11' and old[i]['carried'] == 'to 2026-12', old[i]
    assert old[i]['overdue'] is False, old[i]
    for k in ('store', 'metric', 'about', 'owner', 'status', 'what'):
        assert old[i][k] == rows[i][k], (k, old[i], rows[i])
EOF
run "$SVA" action show 1
expect_out "carried over from cycle 2026-11" "action show says where it came from"
expect_out "carried from 2026-11 to 2026-12" "the history line of the carry"
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cycles.json
py "2026-11 closed, 2026-12 in plan" - cycles.json <<'EOF'
import json, sys
c = {r['id']: r['state'] for r in json.load(open(sys.argv[1]))}
assert c == {'2026-11': 'closed', '2026-12': 'plan'}, c
EOF
sheet yes yes yes yes
refused 3 "record into a closed cycle" "$SVA" record pdca_mini --cycle 2026-11 --store SH-002 \
    --auditor "Zhang Min" --date 2026-11-21 --answers sheet.ini
expect_err "closed" "the record refusal says the cycle is closed"
refused 3 "action into a closed cycle" "$SVA" action add --cycle 2026-11 --store SH-001 \
    --metric ssi --set why=w --set what=w --set who=X --set when=2026-11-30 --set where=x --set how=h
expect_err "closed" "the action refusal says the cycle is closed"
refused x "advance a closed cycle" "$SVA" cycle advance 2026-11
# audit 2 (SH-001 yynn) failed back.clean, which has no action yet: the new one would go
# into the closed 2026-11
refused 3 "--from-audit into a closed cycle" "$SVA" action add --from-audit 2 --set who=X \
    --set when=2026-11-28 --set where=x --set how=x
expect_err "closed" "the refusal says the cycle is closed"
refused x "close a closed cycle" "$SVA" cycle close 2026-11

# ---- the next cycle's answers verify or reopen done actions ---------------------------------------
# action 2: SH-001 front.greet done; action 3: SH-001 back.exit done.
# 2026-12, SH-001 yyyn: greet passes -> 2 verified; exit fails -> 3 reopened. `cycle status`
# shows it as what the close of 2026-12 will write; it writes nothing itself.
rec SH-001 2026-12 2026-12-03 yes yes yes no
expect_rc 0 "audit in 2026-12"
expect_out "recorded: 75.0 %" "yyyn = 75.0"
dump > before_status.dump
run "$SVA" cycle status 2026-12
expect_rc 0 "cycle status 2026-12"
expect_out "action 2 at SH-001 .*front.greet.*would be VERIFIED" "action 2 verified by 2026-12"
expect_out "action 3 at SH-001 .*back.exit.*would be REOPENED" "action 3 reopened by 2026-12"
expect_out "written when it closes" "the status says when it is written"
expect_no_out "action 1 at" "action 1 was not done"
run "$SVA" cycle status 2026-12 --format json
printf '%s' "$OUT" > s12.json
dump > after_status.dump
cmp -s before_status.dump after_status.dump || fail "cycle status changed the database"
py "the preview in JSON" - s12.json <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert s['verifications_applied'] is False, s
v = {x['action']: (x['result'], x['answers'], x['failed']) for x in s['verifications']}
assert v == {2: ('verified', 1, 0), 3: ('reopened', 1, 1)}, v
EOF
run "$SVA" action show 2 --format json
printf '%s' "$OUT" > a2.json
py "still done until 2026-12 closes" - a2.json <<'EOF'
import json, sys
a2 = json.load(open(sys.argv[1]))
assert a2['status'] == 'done', a2
EOF

# ---- states: plan -> do -> check -> act -> closed, never backward ---------------------------------
run "$SVA" cycle advance 2026-12
expect_rc 0 "advance 2026-12"
expect_out "check" "do -> check"
run "$SVA" cycle advance 2026-12
expect_out "act" "check -> act"
refused x "advance past act" "$SVA" cycle advance 2026-12
rec BJ-001 2026-12 2026-12-04 yes yes yes yes
expect_rc 0 "an audit in act"
run "$SVA" cycle open 2027-01 --from 2027-01-01 --to 2027-01-31
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cycles.json
py "states as listed" - cycles.json <<'EOF'
import json, sys
c = {r['id']: r['state'] for r in json.load(open(sys.argv[1]))}
# an audit in act does not move the cycle back to do
assert c == {'2026-11': 'closed', '2026-12': 'act', '2027-01': 'plan'}, c
EOF
run "$SVA" cycle list
expect_out "closed" "cycle list (table) shows closed"

# closing 2026-12 writes what its answers decide (BJ-001's yyyy has no action on it)
run "$SVA" cycle close 2026-12
expect_rc 0 "cycle close 2026-12"
expect_out "verified 1 done action and reopened 1" "the close says what it decided"
run "$SVA" action show 2 --format json
printf '%s' "$OUT" > a2.json
run "$SVA" action show 3 --format json
printf '%s' "$OUT" > a3.json
py "verified / reopened, with a history line naming the cycle" - a2.json a3.json <<'EOF'
import json, sys
a2, a3 = (json.load(open(p)) for p in sys.argv[1:3])
assert a2['status'] == 'verified', a2
assert 'verified' in a2['history'][-1]['change'] and '2026-12' in a2['history'][-1]['change'], a2
assert a3['status'] == 'reopened', a3
assert any('reopened' in h['change'] and '2026-12' in h['change'] for h in a3['history']), a3
# reopened in the closed cycle 2026-11, it is carried into 2027-01 to be worked on there
assert a3['history'][-1]['change'] == 'carried from 2026-11 to 2027-01', a3
assert a3['cycle'] == '2027-01' and a3['carried_from_cycle'] == '2026-11', a3
EOF
run "$SVA" cycle status 2026-12 --format json
printf '%s' "$OUT" > s12.json
py "the closed cycle shows what its close decided" - s12.json <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert s['verifications_applied'] is True, s
v = {x['action']: x['result'] for x in s['verifications']}
assert v == {2: 'verified', 3: 'reopened'}, v
EOF

# ---- more bad input --------------------------------------------------------------------------------
refused 3 "status of an unknown cycle" "$SVA" cycle status 2031-01
expect_err "2031-01" "the cycle named"
refused 2 "open: not a date" "$SVA" cycle open 2027-02 --from 2027-02-30 --to 2027-03-01
expect_err "2027-02-30" "the date named"
refused 3 "open: to before from" "$SVA" cycle open 2027-02 --from 2027-02-10 --to 2027-02-01
refused 3 "survey: no such file" "$SVA" survey import no-such.csv
refused 3 "targets: no such file" "$SVA" target import no-such.ini
# a status filter naming a store or metric that does not exist is refused (it once gave an
# empty table, so a typo looked like "nothing to report")
refused x "status --store of an unknown store" "$SVA" cycle status 2026-12 --store XX-999
refused x "status --metric of an unknown metric" "$SVA" cycle status 2026-12 --metric nps
refused 3 "status --metric misspelt" "$SVA" cycle status 2026-12 --metric sssi
expect_err "--metric: no metric 'sssi' in cycle 2026-12 (did you mean 'ssi'?)" "status: the metric meant"

# ---- Plan from a file: target import (another database) ----------------------------------------
DB=plan.db
run "$SVA" --db plan.db init
run "$SVA" --db plan.db store import "$P/stores.csv"
run "$SVA" --db plan.db cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" --db plan.db cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "plan.db set up"
bad_targets() {
    for f in bad_metric:8:nps bad_value:9:120 bad_both:9:region bad_no_cycle:6:cycle \
        bad_syntax:7: bad_store:8:XX-999 bad_cycle:7:2031-01; do
        name=${f%%:*}
        rest=${f#*:}
        line=${rest%%:*}
        needle=${rest#*:}
        refused 3 "targets $name ($1)" "$SVA" --db plan.db target import "$P/targets/$name.ini"
        # bad_store, bad_cycle: reported at the line naming the unknown store / cycle (8,
        # 7), not at the metric line under it, as they once were
        expect_err "$name.ini:$line: " "targets $name: file:line"
        [ -z "$needle" ] || expect_err "$needle" "targets $name: the problem named"
    done
}
bad_targets "empty plan"
run "$SVA" --db plan.db target import "$P/targets/good.ini"
expect_rc 0 "target import good.ini"
expect_out "targets: 8 set" "eight targets"
run "$SVA" --db plan.db target list --cycle 2026-11 --format json
printf '%s' "$OUT" > t11.json
run "$SVA" --db plan.db target list --cycle 2026-12 --format json
printf '%s' "$OUT" > t12.json
py "good.ini as listed" - t11.json t12.json <<'EOF'
import json, sys
t11, t12 = (json.load(open(p)) for p in sys.argv[1:3])
got = sorted((r['scope'], r['id'], r['metric'], r['target']) for r in t11)
assert got == sorted([('network', '', 'ssi', 90.0), ('network', '', 'csi', 88.0),
                      ('network', '', '6s', 85.0), ('region', 'East', 'ssi', 92.0),
                      ('store', 'SH-002', '6s', 80.0),
                      ('store', 'SH-002', 'phone_handling', 70.5)]), got
got = sorted((r['scope'], r['id'], r['metric'], r['target']) for r in t12)
assert got == [('network', '', 'csi', 89.5), ('network', '', 'ssi', 91.0)], got
EOF
run "$SVA" --db plan.db cycle status 2026-11 --format json
printf '%s' "$OUT" > p.json
py "effective targets from good.ini" - p.json <<'EOF'
import json, sys
rows = {(r['scope'], r['id'], r['metric']): r for r in json.load(open(sys.argv[1]))['rows']}
def t(k):
    r = rows[k]
    return (r['target'], r['from'], r['status'])
# SH-002 6s: its own 80; SH-001 6s: the network's 85; SH-001 ssi: East's 92;
# BJ-001 ssi: the network's 90 (no North target); no audits: no data
assert t(('store', 'SH-002', '6s')) == (80.0, 'store', 'no data'), rows[('store', 'SH-002', '6s')]
assert t(('store', 'SH-001', '6s')) == (85.0, 'network', 'no data')
assert t(('store', 'SH-001', 'ssi')) == (92.0, 'region', 'no data')
assert t(('store', 'BJ-001', 'ssi')) == (90.0, 'network', 'no data')
assert t(('store', 'SH-002', 'phone_handling')) == (70.5, 'store', 'no data')
assert t(('region', 'North', 'ssi')) == (90.0, 'network', 'no data')
EOF
bad_targets "after good.ini"

# an action's fields come back in the form's order (why, what, who, when, where, how,
# priority, how_much), whatever the order of --set
run "$SVA" --db plan.db action add --cycle 2026-11 --store SH-001 --checklist pdca_mini \
    --section back --set how_much=120 --set how="weekly walk" --set priority=high \
    --set where=workshop --set when=2026-11-30 --set who="Chen Jie" --set what="clear the exit" \
    --set why="exit blocked" --by "Li Na"
expect_rc 0 "action add with --set in another order"
run "$SVA" --db plan.db action show 1 --format json
printf '%s' "$OUT" > order.json
# they come back in the form's order, not in the order given (as they once did)
py "fields in the form's order" - order.json <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
assert a['metric'] == 'ssi', a   # pdca_mini feeds ssi
keys = list(a['fields'])
assert keys == ['why', 'what', 'who', 'when', 'where', 'how', 'priority', 'how_much'], keys
EOF
run "$SVA" --db plan.db action list --format json
printf '%s' "$OUT" > sec.json
py "an action on a section" -c '
import json, sys
(a,) = json.load(open(sys.argv[1]))
assert a["about"] == "pdca_mini/[back]" and a["metric"] == "ssi", a' sec.json

done_testing

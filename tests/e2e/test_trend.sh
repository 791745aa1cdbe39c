#!/bin/sh
# svcaudit e2e: QA trends through the real binary: `trend` (Welch on audit %,
# p-chart on compliance), `trend items` (two-proportion z-test), `repeats` and
# `auditors`, on the deterministic plan of tests/fixtures/trend/plan.awk (132
# audits: 4 stores x 3 cycles x 11). The tool must find exactly what is planted:
# the decline at D-01 in 2026-11, the repeat failure of floor.i20 at R-01, the
# lenient auditor Zhao Lei; and nothing in the noise stores N-01, N-02, R-01.
#
# Why the design is robust (worked from the plan, not from a run):
# - D-01 2026-10 -> 2026-11: means 80.9 -> 65.9 (10 audits sd 7.9 plus one at
#   +10), se about 3.5, t about -4.3 (p < 0.001). Compliance 178/220 -> 145/220:
#   centre 501/660 = 0.759, 3 sigma at n 220 = 0.0865, LCL 0.673 > 0.659.
# - noise stores: means move by 0.9 and 1.8 points with sd about 8 and n 11:
#   t below 0.6 (p > 0.5); compliance 0.80-0.82 against limits 0.809 +- 0.080.
# - Zhao Lei is 10 points above the others at every store and cycle: in each of
#   his 12 cells (store, cycle) his difference from the level the others give it
#   is about +10, t over the cells far beyond any threshold: lenient. Li Na and
#   Wang Fang score alike, and the reference corrects Zhao Lei's audits by his
#   own effect (centred on the median auditor), so he does not make them look
#   strict: their differences are the plants' +-2 points, consistent.
# - a store's failing items alternate between two groups from cycle to cycle,
#   so only the planted i20 at R-01 fails in two consecutive cycles.
. "$ROOT/tests/e2e/lib.sh"
T="$FIX/trend"
export SVCAUDIT_CHECKLISTS="$T/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-30
DB=svcaudit.db
# js FILE EXPR: evaluate a python expression on the JSON in FILE (as j)
js() { "$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

run "$SVA" init; expect_rc 0 init
for s in "D-01 East" "N-01 East" "N-02 North" "R-01 North"; do
    set -- $s
    run "$SVA" store add "$1" --name "Store $1" --region "$2"; expect_rc 0 "store add $1"
done
run "$SVA" cycle open 2026-09 --from 2026-09-01 --to 2026-09-30; expect_rc 0 cycle
run "$SVA" cycle open 2026-10 --from 2026-10-01 --to 2026-10-31; expect_rc 0 cycle
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30; expect_rc 0 cycle

# before any audit: a trend shows cycles with n 0, and every change is insufficient n
run "$SVA" trend --format json > /dev/null; expect_rc 0 "trend on an empty database"

awk -f "$T/plan.awk" > plan.txt
[ "$(wc -l < plan.txt)" -eq 132 ] || fail "the plan has $(wc -l < plan.txt) audits, want 132"
# one answer sheet per audit, written by awk (sheet-N.ini for line N of the plan)
awk -F'|' '{
    f = "sheet-" NR ".ini"
    printf "[audit]\nchecklist = trend_mini\nversion = 1\n" > f
    for (i = 1; i <= 20; i++)
        printf "[item.floor.i%02d]\nanswer = %s\n", i, substr($5, i, 1) == "y" ? "yes" : "no" > f
    close(f)
}' plan.txt
n=0
while IFS='|' read -r store cycle date who answers; do
    n=$((n + 1))
    "$SVA" record trend_mini --cycle "$cycle" --store "$store" --auditor "$who" --date "$date" \
        --answers "sheet-$n.ini" > /dev/null 2> rec.err || fail "record $store $cycle $date: $(cat rec.err)"
done < plan.txt

# ---- trend: the planted decline, and only it -----------------------------------------
"$SVA" trend --store D-01 --format json > d.json || fail "trend --store D-01"
[ "$(js d.json '[c["cycle"] for c in j["cycles"]]')" = "['2026-09', '2026-10', '2026-11']" ] ||
    fail "D-01 cycles: $(js d.json '[c["cycle"] for c in j["cycles"]]')"
# 2026-11: 10 audits at fails 5..9 (75..55, mean 65) and one at 75: mean 725/11 = 65.9
[ "$(js d.json '[c["mean"] for c in j["cycles"]]')" = "[80.9, 80.9, 65.9]" ] ||
    fail "D-01 means: $(js d.json '[c["mean"] for c in j["cycles"]]')"
[ "$(js d.json '[c["verdict"] for c in j["cycles"]]')" = "[None, 'no significant change', 'declined']" ] ||
    fail "D-01 verdicts: $(js d.json '[c["verdict"] for c in j["cycles"]]')"
[ "$(js d.json '[c["passed"] for c in j["cycles"]]')" = "[178, 178, 145]" ] ||
    fail "D-01 passed answers: $(js d.json '[c["passed"] for c in j["cycles"]]')"
[ "$(js d.json '[c["control"] for c in j["cycles"]]')" = "['in control', 'in control', 'below LCL']" ] ||
    fail "D-01 p-chart: $(js d.json '[c["control"] for c in j["cycles"]]')"
# centre 501/660 = 75.9 %; 2026-11's LCL 0.759 - 3 sqrt(0.759 x 0.241 / 220) = 67.3 %
[ "$(js d.json 'j["compliance_centre"]')" = 75.9 ] || fail "D-01 centre $(js d.json 'j["compliance_centre"]')"
[ "$(js d.json 'j["cycles"][2]["lcl"]')" = 67.3 ] || fail "D-01 LCL $(js d.json 'j["cycles"][2]["lcl"]')"
[ -n "$(js d.json 'j["method"]')" ] || fail "no method in the JSON"
# over the window (33 audits, x = 0 1 2): the slope is -7.5 a cycle, se about 1.8: declining
[ "$(js d.json 'j["window"]["verdict"]')" = declining ] ||
    fail "D-01 window: $(js d.json 'j["window"]')"
[ "$(js d.json 'round(j["window"]["slope"], 1)')" = -7.5 ] ||
    fail "D-01 slope: $(js d.json 'j["window"]["slope"]')"
for s in N-01 N-02 R-01; do
    "$SVA" trend --store $s --format json > n.json || fail "trend --store $s"
    [ "$(js n.json '[c["verdict"] for c in j["cycles"]]')" = "[None, 'no significant change', 'no significant change']" ] ||
        fail "$s (noise) verdicts: $(js n.json '[c["verdict"] for c in j["cycles"]]')"
    [ "$(js n.json '[c["control"] for c in j["cycles"]]')" = "['in control', 'in control', 'in control']" ] ||
        fail "$s (noise) p-chart: $(js n.json '[c["control"] for c in j["cycles"]]')"
    [ "$(js n.json 'j["window"]["verdict"]')" = stable ] || fail "$s (noise) window: $(js n.json 'j["window"]')"
done
run "$SVA" trend --region North --metric trend_mini
expect_rc 0 "trend --region North"
expect_out "method: figure: " "the table states the method"
expect_no_out "declined" "region North has no decline"
# table, csv and json show the same numbers
run "$SVA" trend --store D-01 --cycles 2 --format csv
expect_rc 0 "trend csv"
[ "$(printf '%s\n' "$OUT" | sed -n 3p | cut -d, -f1,3,4,5,10)" = "2026-11,11,1,65.9,declined" ] ||
    fail "csv row: $(printf '%s\n' "$OUT" | sed -n 3p)"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || fail "--cycles 2 shows $(printf '%s\n' "$OUT" | wc -l) lines"
run "$SVA" trend --store D-01 --cycle 2026-10
expect_rc 0 "trend --cycle 2026-10"
expect_no_out "2026-11" "--cycle ends the window"

# ---- trend items ---------------------------------------------------------------------
"$SVA" trend items --cycle 2026-11 --all --format json > items.json || fail "trend items"
# every item answered: 20, each 44 times per cycle
[ "$(js items.json 'len(j["items"])')" = 20 ] || fail "items: $(js items.json 'len(j["items"])')"
[ "$(js items.json 'j["improved"] + j["declined"] + j["no_change"] + j["insufficient_n"]')" = 20 ] ||
    fail "item verdict counts do not add up"
# the moves come first, best first: the changes are sorted from highest to lowest
js items.json '[i["change"] for i in j["items"] if i["verdict"] in ("improved", "declined")]' > moves.txt
"$PY" -c 'import ast,sys; v=ast.literal_eval(open(sys.argv[1]).read()); sys.exit(v != sorted(v, reverse=True))' moves.txt ||
    fail "moves not best first: $(cat moves.txt)"
# at one store n = 11 per item: the moves there are insufficient n, never a change
"$SVA" trend items --cycle 2026-11 --store N-01 --format json > items.json || fail "trend items --store"
[ "$(js items.json 'j["items"]')" = "[]" ] || fail "N-01 item moves: $(js items.json 'j["items"]')"
# by region: East is D-01 and N-01, 11 answers each per item and cycle: n = 22
"$SVA" trend items --cycle 2026-11 --region East --all --format json > items.json ||
    fail "trend items --region"
[ "$(js items.json 'j["region"]')" = East ] || fail "items --region: region $(js items.json 'j["region"]')"
[ "$(js items.json 'sorted({(i["n_before"], i["n"]) for i in j["items"]})')" = "[(22, 22)]" ] ||
    fail "items --region East: n $(js items.json 'sorted({(i["n_before"], i["n"]) for i in j["items"]})')"

# ---- repeats: exactly the planted one ------------------------------------------------
# R-01's i20 fails in 7 of 11 answers in each of 2026-10 and 2026-11 and nowhere
# else: against the smoothed rate 1/68, P(X >= 14 | 22) is about 1e-19, far below
# 0.05 / 80 (the 4 stores x 20 items answered in 2026-11): ESCALATE
"$SVA" repeats --cycle 2026-11 --format json > rep.json || fail "repeats"
[ "$(js rep.json '[(r["store"], r["item"], r["cycles"], r["failed"], r["escalate"], r["status"]) for r in j]')" = \
  "[('R-01', 'floor.i20', '2026-10 2026-11', 7, True, 'ESCALATE')]" ] ||
    fail "repeats: $(js rep.json '[(r["store"], r["item"], r["cycles"], r["q"]) for r in j]')"
[ "$(js rep.json 'j[0]["run_failed"], j[0]["run_answered"]')" = "(14, 22)" ] ||
    fail "repeat run: $(js rep.json 'j[0]')"
# --all shows the watch list too: here it is empty (the failing groups alternate)
[ "$("$SVA" repeats --cycle 2026-11 --all --format csv | wc -l)" -eq 2 ] || fail "repeats --all"
[ "$(js rep.json 'j[0]["actions"]')" = 0 ] || fail "repeat actions $(js rep.json 'j[0]["actions"]')"
run "$SVA" repeats --cycle 2026-10 --fail-on-repeats
expect_rc 0 "no repeats ending in 2026-10 (i20 first failed there)"
run "$SVA" action add --cycle 2026-11 --store R-01 --checklist trend_mini --item floor.i20 \
    --set what="retrain" --set who="Li Na" --set when=2026-12-15 --set why="repeat failure" \
    --set where="showroom" --set how="coach on the floor"
expect_rc 0 "action add"
"$SVA" repeats --cycle 2026-11 --format json > rep.json
[ "$(js rep.json 'j[0]["actions"]')" = 1 ] || fail "the action is not counted: $(cat rep.json)"
run "$SVA" repeats --cycle 2026-11 --fail-on-repeats
expect_rc 1 "--fail-on-repeats with a repeat"
expect_out "ESCALATE"

# ---- auditors: exactly the planted lenient one ----------------------------------------
"$SVA" auditors --format json > au.json || fail "auditors"
[ "$(js au.json '[(a["auditor"], a["audits"], a["verdict"]) for a in j["auditors"]]')" = \
  "[('Li Na', 60, 'consistent'), ('Wang Fang', 60, 'consistent'), ('Zhao Lei', 12, 'lenient')]" ] ||
    fail "auditors: $(js au.json '[(a["auditor"], a["audits"], a["verdict"], a["p"]) for a in j["auditors"]]')"
"$SVA" auditors --cycle 2026-09 --format json > au.json || fail "auditors --cycle"
[ "$(js au.json '[a["audits"] for a in j["auditors"]]')" = "[20, 20, 4]" ] ||
    fail "auditors in 2026-09: $(js au.json '[a["audits"] for a in j["auditors"]]')"

# ---- bad input: one clear message, a non-zero exit, nothing on stdout ----------------
bad() {
    code=$1; label=$2; shift 2
    run "$@"
    [ "$RC" -eq "$code" ] || fail "$label: exit $RC, want $code (stderr: $ERR)"
    [ -n "$ERR" ] || fail "$label: no message"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "$label: more than one line: $ERR"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}
bad 3 "unknown metric" "$SVA" trend --metric nosuch
bad 3 "a metric in capitals" "$SVA" trend --metric 6S
printf '%s' "$ERR" | grep -q "unknown metric '6S' (did you mean '6s'?)" || fail "trend --metric 6S: $ERR"
bad 3 "unknown store" "$SVA" trend --store X-99
bad 3 "unknown region" "$SVA" trend --region Nowhere
bad 3 "unknown cycle" "$SVA" trend --cycle 2030-01
bad 2 "--cycles 0" "$SVA" trend --cycles 0
bad 2 "--cycles x" "$SVA" trend --cycles 3x
bad 2 "store and region" "$SVA" trend --store D-01 --region East
bad 2 "bad format" "$SVA" trend --format xml
bad 2 "items without --cycle" "$SVA" trend items
bad 3 "items unknown cycle" "$SVA" trend items --cycle 2030-01
bad 3 "items first cycle" "$SVA" trend items --cycle 2026-09
bad 3 "items unknown store" "$SVA" trend items --cycle 2026-11 --store X-99
bad 3 "items unknown region" "$SVA" trend items --cycle 2026-11 --region Nowhere
bad 2 "items store and region" "$SVA" trend items --cycle 2026-11 --store D-01 --region East
bad 2 "trend bad subcommand" "$SVA" trend itemz
bad 2 "repeats without --cycle" "$SVA" repeats
bad 3 "repeats unknown cycle" "$SVA" repeats --cycle 2030-01
bad 2 "repeats bad format" "$SVA" repeats --cycle 2026-11 --format yaml
bad 3 "auditors unknown cycle" "$SVA" auditors --cycle 2030-01
bad 2 "auditors bad format" "$SVA" auditors --format x
# ---- the workbook carries the same findings -------------------------------------------
# (the checklist trend_mini feeds ssi: see tests/fixtures/trend)
run "$SVA" export --cycle 2026-11 -o qa.xlsx
expect_rc 0 "export of the planted cycles"
$PY - qa.xlsx <<'PYEOF' || fail "the workbook's QA sheets do not show exactly the planted findings"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def rows(name):
    ws = wb[name]
    it = ws.iter_rows(values_only=True)
    head = next(it)
    return [dict(zip(head, r)) for r in it if any(v is not None for v in r)]
# Repeats: exactly R-01 floor.i20, 2026-10 and 2026-11, escalated
rep = [(r['Store'], r['Item'], r['Cycles'], r['Escalate']) for r in rows('Repeats')]
assert rep == [('R-01', 'floor.i20', '2026-10, 2026-11', 'ESCALATE')], rep
# Auditors: Zhao Lei lenient, nobody else lenient or strict
aud = {r['Auditor']: r['Verdict'] for r in rows('Auditors')}
assert aud.get('Zhao Lei') == 'lenient', aud
assert [a for a, v in aud.items() if v in ('lenient', 'strict') and a != 'Zhao Lei'] == [], aud
# Trend: D-01's ssi declined and sits below its lower control limit; no noise
# store shows a significant change
tr = {(r['Id'], r['Metric']): r for r in rows('Trend') if r['Scope'] == 'store'}
d = tr[('D-01', 'ssi')]
assert d['Verdict'] == 'declined' and d['Control'] == 'below LCL', d
for s in ('N-01', 'N-02', 'R-01'):
    assert tr[(s, 'ssi')]['Verdict'] == 'no significant change', tr[(s, 'ssi')]
PYEOF
# Service standards' Move column is `trend items` of the workbook's scope: the network's,
# or the region's in a --region workbook. A second database plants one move per region
# (12 audits per store and cycle, every item yes but):
#   M-01 (region Up)   i01: no in all 12 of 2026-10, yes in all 12 of 2026-11
#   M-02 (region Flat) i02: yes in all 12 of 2026-10, no in all 12 of 2026-11
# Up, i01 0/12 -> 12/12: pooled 0.5, se sqrt(0.25 x 2/12) = 0.204, z = 4.9: improved.
# Flat, i02 12/12 -> 0/12: z = -4.9: declined. Network, i01 12/24 -> 24/24 and i02
# 24/24 -> 12/24: pooled 0.75, n(1-p) = 6, se 0.125, z = +-4: both. Every other item
# is 100 % in both cycles (n(1-p) = 0): insufficient n, never a move.
# In a folder and a database of their own (on PostgreSQL a schema of its own), not a
# subshell: each case fails on its own, by its name; a failure before them is not counted again.
mkdir moves && cd moves || { fail "moves: cannot make its folder"; done_testing; }
outer_db=${SVCAUDIT_DB-}
if on_pg; then export SVCAUDIT_DB="${SVA_PG_URL}_moves"; fi
{
    run "$SVA" init; expect_rc 0 "moves: init"
    run "$SVA" store add M-01 --name "Store M-01" --region Up; expect_rc 0 "moves: store"
    run "$SVA" store add M-02 --name "Store M-02" --region Flat; expect_rc 0 "moves: store"
    for c in 2026-10 2026-11; do
        run "$SVA" cycle open "$c" --from "$c-01" --to "$c-28"; expect_rc 0 "moves: cycle $c"
        for st in M-01 M-02; do
            i01=yes; i02=yes
            [ "$st$c" = M-012026-10 ] && i01=no
            [ "$st$c" = M-022026-11 ] && i02=no
            { printf '[audit]\nchecklist = trend_mini\nversion = 1\n'
              printf '[item.floor.i01]\nanswer = %s\n[item.floor.i02]\nanswer = %s\n' "$i01" "$i02"
              for i in 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
                  printf '[item.floor.i%s]\nanswer = yes\n' "$i"
              done; } > "$st-$c.ini"
            for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
                "$SVA" record trend_mini --cycle "$c" --store "$st" --auditor "A$k" \
                    --date "$c-$((k + 10))" --answers "$st-$c.ini" > /dev/null 2> rec.err ||
                    fail "moves: record $st $c $k: $(cat rec.err)"
            done
        done
    done
    run "$SVA" export --cycle 2026-11 -o net.xlsx; expect_rc 0 "moves: export"
    run "$SVA" export --cycle 2026-11 --region Up -o up.xlsx; expect_rc 0 "moves: export Up"
    run "$SVA" export --cycle 2026-11 --region Flat -o flat.xlsx; expect_rc 0 "moves: export Flat"
    for x in "net.xlsx  floor.i01=improved,floor.i02=declined" "up.xlsx  floor.i01=improved" \
        "flat.xlsx  floor.i02=declined"; do
        set -- $x
        scope=
        [ "$1" = up.xlsx ] && scope="--region Up"
        [ "$1" = flat.xlsx ] && scope="--region Flat"
        # shellcheck disable=SC2086
        "$SVA" trend items --cycle 2026-11 $scope --all --format json > items.json ||
            fail "moves: trend items $scope"
        "$PY" - "$1" items.json "$2" > move.out 2>&1 <<'PYEOF' ||
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['Service standards']
it = ws.iter_rows(values_only=True)
head = next(it)
got = {r[head.index('Item key')]: r[head.index('Move')] for r in it if r[0] is not None}
planted = dict(kv.split('=') for kv in sys.argv[3].split(','))
j = json.load(open(sys.argv[2]))
cli = {i['item']: i['verdict'] for i in j['items'] if i['verdict'] in ('improved', 'declined')}
assert cli == planted, ('trend items', cli, 'planted', planted)
moves = {k: v for k, v in got.items() if v}
assert moves == planted, ('workbook', moves, 'planted', planted)
PYEOF
            fail "moves: $1: the planted item moves are not what trend items and the workbook show: $(tail -2 move.out)"
    done
}
if on_pg; then export SVCAUDIT_DB="$outer_db"; fi
cd .. || fail "moves: cannot leave its folder"
done_testing

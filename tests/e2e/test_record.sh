#!/bin/sh
# svcaudit e2e: the recording flow through the real binary: init, store and
# employee import, cycle open, answer sheets (INI and CSV) filled as an auditor
# would, record (sheet, flags, stdin), audit list/show/void, and every
# validation failure (exit 3, a message naming the item or field, the database
# unchanged). Scores are worked out by hand in the comments.
. "$ROOT/tests/e2e/lib.sh"
# today, not the clock's: audits dated after it are refused
export SVCAUDIT_TODAY=2026-12-06
REC="$FIX/record"
dump() { db_dump; }
# refused LABEL CMD...: CMD must exit 3 and leave the database as it was
refused() {
    label=$1
    shift
    dump > before.dump
    run "$@"
    expect_rc 3 "$label"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}
# n_audits [FILTER...]: how many audits audit list --format json shows
n_audits() {
    "$SVA" audit list --format json "$@" > n.json || { echo -1; return; }
    "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' n.json
}
# line_of FILE ITEM: the line of `answer` in [item.ITEM] of an INI sheet
line_of() { awk -v s="[item.$2]" '$0 == s { f = 1; next } f && /^answer/ { print NR; exit }' "$1"; }
# sect_of FILE ITEM: the line of [item.ITEM]
sect_of() { grep -n -F "[item.$2]" "$1" | cut -d: -f1; }

# ---- init and the organisation -------------------------------------------------
run "$SVA" init
expect_rc 0 "init"
expect_out "created $DBNAME" "init"
[ "$(db_version)" = 9 ] || fail "init: the schema version is not 9"
run "$SVA" store import "$REC/stores.csv"
expect_rc 0 "store import"
expect_out "3 added" "store import"
run "$SVA" employee import "$REC/employees.csv"
expect_rc 0 "employee import"
expect_out "3 added" "employee import"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open 2026-11"
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle open 2026-12"

# ---- templates --------------------------------------------------------------------
run "$SVA" checklist template phone_handling -o phone.ini
expect_rc 0 "template phone_handling (ini)"
run "$SVA" checklist template phone_handling --format csv -o phone.csv
expect_rc 0 "template phone_handling (csv)"
run "$SVA" checklist show phone_handling --format json
printf '%s' "$OUT" > phone.json
PHONE_HASH=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' phone.json)
# The hand computation below relies on these items, scales, weights and rules:
"$PY" - phone.json <<'EOF' || fail "phone_handling is not the checklist the scores below assume"
import json, sys
d = json.load(open(sys.argv[1]))
got = [(i['id'], i['scale'], i['weight'], i['na'], i['critical'], i['evidence'])
       for s in d['sections'] for i in s['items']]
want = [
    ('answer.three_rings', 'yesno', 2, False, True, 'on_fail'),
    ('answer.greeting', 'yesno', 1, False, False, 'on_fail'),
    ('answer.hold', 'yesno', 1, True, False, 'on_fail'),
    ('conversation.smile_voice', '0-4', 1, False, False, 'none'),
    ('conversation.pace_clarity', '0-4', 1, False, False, 'none'),
    ('conversation.uses_name', 'yesno', 1, False, False, 'none'),
    ('conversation.needs', 'yesno', 1, False, False, 'none'),
    ('conversation.information', '0-4', 1, False, False, 'on_fail'),
    ('conversation.no_refusal', 'yesno', 1, False, False, 'on_fail'),
    ('closing.offers_visit', 'yesno', 1, False, False, 'none'),
    ('closing.callback_number', 'yesno', 1, False, False, 'none'),
    ('closing.summary', 'yesno', 1, True, False, 'none'),
    ('closing.thanks', 'yesno', 1, False, False, 'none'),
    ('closing.caller_hangs_up_first', 'yesno', 1, False, False, 'none'),
    ('callback.promise_kept', 'yesno', 2, True, False, 'on_fail'),
    ('callback.material_sent', 'yesno', 1, True, False, 'on_fail'),
]
assert got == want, got
assert all(s['weight'] is None for s in d['sections']), 'sections have weights: points no longer pool'
assert d['critical_policy'] == 'flag' and d['subject'] == 'employee'
EOF

# ---- sheet A: one fully specified phone_handling visit (INI) -------------------------
# Sections carry no weight, so points pool (SPEC "Scoring rules"):
#   three_rings yes  w2 2/2     greeting no w1 0/1 (note)   hold N/A (out)
#   smile 3 of 4  0.75/1        pace 2 of 4 0.5/1           uses_name yes 1/1
#   needs yes 1/1               information 4 of 4 1/1      no_refusal yes 1/1
#   offers_visit no 0/1         callback_number yes 1/1     summary N/A (out)
#   thanks yes 1/1              hangs_up_first yes 1/1      promise_kept yes w2 2/2
#   material_sent N/A (out)
#   points = 2+0+0.75+0.5+1+1+1+1+0+1+1+1+2 = 12.25; max = 2+11x1+2 = 15
#   audit  = 12.25 / 15 = 81.67 % -> "81.7"; not FAILED (three_rings passed)
#   sections: answer 2/3 = 66.7; conversation 5.25/6 = 87.5; closing 3/4 = 75.0;
#             callback 2/2 = 100.0
fill_a() {
    fill "$1" "$2" -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
        -H auditor="Zhang Min" -H date=2026-11-12 \
        answer.three_rings=yes answer.greeting=no 'answer.greeting:note=no own name given' \
        'answer.greeting:evidence=calls/1112.mp3' answer.hold=na \
        conversation.smile_voice=3 conversation.pace_clarity=2 conversation.uses_name=yes \
        conversation.needs=yes conversation.information=4 conversation.no_refusal=yes \
        closing.offers_visit=no closing.callback_number=yes closing.summary=na \
        closing.thanks=yes closing.caller_hangs_up_first=yes callback.promise_kept=yes \
        callback.material_sent=na
}
fill_a phone.ini a.ini
fill_a phone.csv a.csv
run "$SVA" record phone_handling --answers a.ini
expect_rc 0 "record sheet A (ini)"
expect_out "^audit 1 recorded: 81.7 %$" "sheet A scores 81.7"
expect_no_out "FAILED" "sheet A has not failed"
A1=1

# the same sheet as CSV scores the same (another day: the same audit is stored once)
run "$SVA" record phone_handling --answers a.csv --date 2026-11-14
expect_rc 0 "record sheet A (csv)"
expect_out "^audit 2 recorded: 81.7 %$" "sheet A (csv) scores 81.7"

# ---- sheet B: a failed critical item (CSV) -----------------------------------------------
# everything at its best, three_rings no (note): points 18 - 2 = 16 of 18 = 88.9 %, FAILED;
# critical_policy flag: the score stands.
fill phone.csv b.csv -H store=SH-001 -H employee=SH-001-E02 -H cycle=2026-11 \
    -H auditor="Li Na" -H date=2026-11-13 --rest-yesno yes --rest-num 4 \
    answer.three_rings=no 'answer.three_rings:note=rang 6 times, then "please hold"'
run "$SVA" record phone_handling --answers b.csv
expect_rc 0 "record sheet B (csv)"
expect_out "^audit 3 recorded: 88.9 %  FAILED" "sheet B: 88.9 FAILED"

# ---- 6s_store: README's worked example (a store audit, weighted sections) ------------------
# six sections of weight 1; every 0-4 item 3 -> 75.0 % in five sections; Safety: four
# 0-4 items at 3 (3 of 4) + fire_extinguishers yes (2 of 2) + emergency_exits no (0 of 2)
# = 5 / 8 = 62.5 %; audit = (5 x 75 + 62.5) / 6 = 72.9 %, FAILED (emergency_exits critical)
run "$SVA" checklist template 6s_store -o 6s.ini
fill 6s.ini s.ini -H store=BJ-001 -H cycle=2026-12 -H auditor="Wu Gang" -H date=2026-12-02 \
    --rest-num 3 safety.fire_extinguishers=yes safety.emergency_exits=no \
    'safety.emergency_exits:note=rear exit chained'
run "$SVA" record 6s_store --answers s.ini
expect_rc 0 "record 6s_store"
expect_out "^audit 4 recorded: 72.9 %  FAILED" "6s_store worked example: 72.9 FAILED"

# ---- flags win over the sheet's header ------------------------------------------------------
run "$SVA" record phone_handling --answers a.ini --employee SH-001-E02 --auditor "Chen Jie" \
    --date 2026-11-20
expect_rc 0 "record with flags over the header"
expect_out "^audit 5 recorded: 81.7 %$" "flags over header"
run "$SVA" audit show 5 --format json
printf '%s' "$OUT" > a5.json
"$PY" - a5.json <<'EOF' || fail "flags did not win over the sheet's header"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d['employee'], d['auditor'], d['date']) == ('SH-001-E02', 'Chen Jie', '2026-11-20'), d
assert (d['store'], d['cycle']) == ('SH-001', '2026-11'), d   # from the header
EOF
# a sheet with no header fields at all, everything from flags
fill phone.ini bare.ini --rest-yesno yes --rest-num 4
run "$SVA" record phone_handling --answers bare.ini --cycle 2026-12 --store BJ-001 \
    --employee BJ-001-E01 --auditor "Wu Gang" --date 2026-12-05
expect_rc 0 "record with an empty header and flags"
expect_out "^audit 6 recorded: 100.0 %$" "all best answers: 100.0"

# ---- standard input ----------------------------------------------------------------------
run sh -c "\"$SVA\" record phone_handling --date 2026-11-15 < a.ini"
expect_rc 0 "record from stdin (not a terminal)"
expect_out "^audit 7 recorded: 81.7 %$" "stdin"
run sh -c "cat a.csv | \"$SVA\" record phone_handling --answers - --date 2026-11-21"
expect_rc 0 "record --answers - from a pipe"
expect_out "^audit 8 recorded: 81.7 %$" "--answers -"
[ "$(n_audits)" = 8 ] || fail "after stdin: $(n_audits) audits, want 8"

# The checklist may come from the sheet ('checklist = ...'), as README's
# `generate-sheet | svcaudit record --cycle 2026-11 ...` does.
run "$SVA" record --answers a.ini --date 2026-11-16
expect_rc 0 "record --answers a.ini (checklist from the sheet)"
expect_out "recorded: 81.7 %" "checklist from the sheet"
run sh -c "\"$SVA\" record --cycle 2026-11 --date 2026-11-17 < a.csv"
expect_rc 0 "sheet piped in, checklist from the sheet"
expect_out "recorded: 81.7 %" "checklist from a piped sheet"
N_OK=$(n_audits)

# ---- audit list: table, csv and json agree ----------------------------------------------------
run "$SVA" audit list
expect_rc 0 "audit list"
printf '%s\n' "$OUT" > list.txt
run "$SVA" audit list --format csv
expect_rc 0 "audit list --format csv"
printf '%s\n' "$OUT" > list.csv
run "$SVA" audit list --format json
expect_rc 0 "audit list --format json"
printf '%s\n' "$OUT" > list.json
"$PY" - list.txt list.csv list.json <<'EOF' || fail "audit list: the three formats disagree (see above)"
import csv, json, re, sys
lines = open(sys.argv[1], encoding='utf-8').read().rstrip('\n').split('\n')
head = lines[0]
names = head.split()
starts = [m.start() for m in re.finditer(r'\S+', head)]
table = []
for ln in lines[1:]:
    cells = [ln[s:(starts[k + 1] if k + 1 < len(starts) else None)].strip()
             for k, s in enumerate(starts)]
    table.append(dict(zip(names, cells)))
rows = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
js = json.load(open(sys.argv[3], encoding='utf-8'))
assert len(table) == len(rows) == len(js) >= 8, (len(table), len(rows), len(js))
for t, c, j in zip(table, rows, js):
    assert t == c, (t, c)
    assert int(c['id']) == j['id'] and c['store'] == j['store'], (c, j)
    assert float(c['score']) == j['score'], (c['score'], j['score'])
    assert (c['failed'] == 'FAILED') == j['failed'], (c, j)
    assert int(c['items']) == j['items'] and int(c['na']) == j['na'], (c, j)
    assert (c['employee'] or None) == j['employee'], (c, j)
    for k in ('date', 'cycle', 'region', 'checklist', 'auditor', 'status'):
        assert c[k] == str(j[k]), (k, c, j)
by = {j['id']: j for j in js}
assert by[1]['score'] == 81.7 and not by[1]['failed'] and by[1]['na'] == 3 and by[1]['items'] == 16
assert by[1]['employee'] == 'SH-001-E01' and by[1]['auditor'] == 'Zhang Min'
assert by[1]['date'] == '2026-11-12' and by[1]['region'] == 'east' and by[1]['version'] == 1
assert by[3]['score'] == 88.9 and by[3]['failed'] and by[3]['na'] == 0
assert by[4]['score'] == 72.9 and by[4]['failed'] and by[4]['employee'] is None
assert by[4]['region'] == 'north' and by[4]['checklist'] == '6s_store' and by[4]['items'] == 31
assert by[6]['score'] == 100.0
EOF

# ---- filters ----------------------------------------------------------------------------------
[ "$(n_audits --cycle 2026-12)" = 2 ] || fail "--cycle 2026-12: $(n_audits --cycle 2026-12), want 2"
[ "$(n_audits --store BJ-001)" = 2 ] || fail "--store BJ-001: want 2"
[ "$(n_audits --region north)" = 2 ] || fail "--region north: want 2"
[ "$(n_audits --region east)" = "$((N_OK - 2))" ] || fail "--region east: want $((N_OK - 2))"
[ "$(n_audits --checklist 6s_store)" = 1 ] || fail "--checklist 6s_store: want 1"
[ "$(n_audits --auditor 'Li Na')" = 1 ] || fail "--auditor 'Li Na': want 1"
[ "$(n_audits --employee SH-001-E02)" = 2 ] || fail "--employee SH-001-E02: want 2 (audits 3, 5)"
[ "$(n_audits --cycle 2026-11 --employee SH-001-E02 --auditor 'Chen Jie')" = 1 ] ||
    fail "combined filters: want 1"
# an unknown name in a filter is an error with the closest names, not an empty list
[ "$(n_audits --store NOPE)" = -1 ] || fail "--store NOPE: want an error"
run "$SVA" audit list --store BJ-01
expect_rc 3 "--store BJ-01"
expect_err "unknown store 'BJ-01' (did you mean 'BJ-001'?)" "did you mean"
run "$SVA" audit list --auditor "Li Nah"
expect_rc 3 "--auditor of nobody"
expect_err "did you mean 'Li Na'" "the auditor named"
run "$SVA" audit list --checklist complaint_handling --format csv
expect_rc 0 "a shipped checklist no audit used yet is known"
run "$SVA" audit list --checklist complaint_handlin
expect_rc 3 "--checklist typo"
run "$SVA" audit list --store BJ-001 --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || fail "csv with --store BJ-001: header + 2 rows: $OUT"

# ---- audit show --------------------------------------------------------------------------------
run "$SVA" audit show 1
expect_rc 0 "audit show 1"
printf '%s\n' "$OUT" > show1.txt
for want in "score: 81.7 %" "\[answer\] Answering the call: 66.7" \
    "\[conversation\] During the call: 87.5" "\[closing\] Closing the call: 75.0" \
    "\[callback\] Call-back: 100.0" "note: no own name given" "evidence: calls/1112.mp3" \
    "auditor: Zhang Min" "date: 2026-11-12" "employee: SH-001-E01" "cycle: 2026-11" \
    "checklist: phone_handling version 1"; do
    grep -q "$want" show1.txt || fail "audit show 1 lacks '$want'"
done
grep -Eq '^ +FAIL +answer\.greeting +no +0/1' show1.txt || fail "show 1: greeting not a FAIL 0/1"
grep -Eq '^ +ok +conversation\.smile_voice +3 +0\.75/1' show1.txt || fail "show 1: smile 0.75/1"
grep -Eq '^ +answer\.hold +na' show1.txt || fail "show 1: hold not N/A"
grep -q "FAILED" show1.txt && fail "show 1 says FAILED"
run "$SVA" audit show 3
expect_rc 0 "audit show 3"
printf '%s\n' "$OUT" > show3.txt
grep -q "score: 88.9 %  FAILED" show3.txt || fail "show 3: no 'score: 88.9 %  FAILED'"
sed -n '/^failed critical items:/,$p' show3.txt | grep -q "answer.three_rings" ||
    fail "show 3: three_rings not listed under failed critical items"
grep -q 'note: rang 6 times, then "please hold"' show3.txt || fail "show 3: the CSV note"
run "$SVA" audit show 4
grep -Eq '^\[safety\] Safety.*: 62\.5$' out.txt || fail "show 4: safety 62.5"
[ "$(grep -c ': 75.0$' out.txt)" -eq 5 ] || fail "show 4: five sections at 75.0"

run "$SVA" audit show 1 --format json
expect_rc 0 "audit show 1 --format json"
printf '%s' "$OUT" > show1.json
"$PY" - show1.json "$PHONE_HASH" <<'EOF' || fail "audit show 1 --format json: see above"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['id'] == 1 and d['checklist'] == 'phone_handling' and d['version'] == 1
assert d['hash'] == sys.argv[2], 'not the hash of the shipped checklist'
assert d['score'] == 81.7 and d['raw_score'] == 81.7 and d['failed'] is False
assert d['void'] is False and d['store'] == 'SH-001' and d['region'] == 'east'
assert {s['id']: s['score'] for s in d['sections']} == \
    {'answer': 66.7, 'conversation': 87.5, 'closing': 75.0, 'callback': 100.0}, d['sections']
got = {a['item']: (a['answer'], a['points'], a['max']) for a in d['answers']}
want = {
    'answer.three_rings': ('yes', 2, 2), 'answer.greeting': ('no', 0, 1),
    'answer.hold': ('na', 0, 0), 'conversation.smile_voice': ('3', 0.75, 1),
    'conversation.pace_clarity': ('2', 0.5, 1), 'conversation.uses_name': ('yes', 1, 1),
    'conversation.needs': ('yes', 1, 1), 'conversation.information': ('4', 1, 1),
    'conversation.no_refusal': ('yes', 1, 1), 'closing.offers_visit': ('no', 0, 1),
    'closing.callback_number': ('yes', 1, 1), 'closing.summary': ('na', 0, 0),
    'closing.thanks': ('yes', 1, 1), 'closing.caller_hangs_up_first': ('yes', 1, 1),
    'callback.promise_kept': ('yes', 2, 2), 'callback.material_sent': ('na', 0, 0),
}
assert got == want, {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
assert sum(a['points'] for a in d['answers']) == 12.25
assert sum(a['max'] for a in d['answers']) == 15
g = [a for a in d['answers'] if a['item'] == 'answer.greeting'][0]
assert g['note'] == 'no own name given' and g['evidence'] == 'calls/1112.mp3' and g['passed'] is False
assert [a for a in d['answers'] if a['item'] == 'answer.hold'][0]['passed'] is None
EOF
run "$SVA" audit show 3 --format json
printf '%s' "$OUT" > show3.json
"$PY" - show3.json <<'EOF' || fail "audit show 3 --format json: see above"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['score'] == 88.9 and d['failed'] is True, d['score']
t = [a for a in d['answers'] if a['item'] == 'answer.three_rings'][0]
assert t['passed'] is False and t['critical'] is True and t['note'] == 'rang 6 times, then "please hold"'
EOF
# the same numbers in list and show
run "$SVA" audit list --format json
printf '%s' "$OUT" > l.json
"$PY" - l.json <<'EOF' || fail "audit list and audit show disagree"
import json, subprocess, sys, os
for a in json.load(open(sys.argv[1])):
    s = json.loads(subprocess.run([os.environ['ROOT'] + '/svcaudit', 'audit', 'show', str(a['id']),
                                   '--format', 'json'], capture_output=True, check=True).stdout)
    assert (s['score'], s['failed'], s['date'], s['auditor']) == \
        (a['score'], a['failed'], a['date'], a['auditor']), (a, s['score'])
EOF
run "$SVA" audit show 999
expect_rc 3 "audit show 999"
expect_err "999" "audit show 999 names it"
run "$SVA" audit show one
expect_rc 2 "audit show one"
run "$SVA" audit show 1 --format csv
expect_rc 2 "audit show --format csv"

# ---- the checklist version is stored once ---------------------------------------------
[ "$(dbq 'SELECT count(*) FROM checklist_version')" = 2 ] ||
    fail "checklist_version rows: want 2 (phone_handling, 6s_store)"
[ "$(dbq "SELECT hash FROM checklist_version WHERE checklist_id = 'phone_handling'")" = "$PHONE_HASH" ] ||
    fail "stored phone_handling hash differs from 'checklist show'"
[ "$(dbq "SELECT $(db_hex source) FROM checklist_version WHERE checklist_id = 'phone_handling'")" = \
  "$("$PY" -c 'import sys; print(open(sys.argv[1], "rb").read().hex().upper())' \
      "$ROOT/checklists/phone_handling.ini")" ] || fail "the stored checklist text is not the file's bytes"

# ---- void ------------------------------------------------------------------------------------
before=$(n_audits)
run "$SVA" audit void 1 --reason "shopper called the wrong store"
expect_rc 0 "audit void 1"
[ "$(n_audits)" = "$((before - 1))" ] || fail "void: still listed"
"$SVA" audit list --all --format json > all.json
"$PY" - all.json "$before" <<'EOF' || fail "audit list --all: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == int(sys.argv[2]), len(d)
v = [a for a in d if a['id'] == 1][0]
assert v['status'] == 'void' and v['score'] == 81.7, v
assert all(a['status'] == 'ok' for a in d if a['id'] != 1)
EOF
"$SVA" audit list --all | grep -Eq '^1 .* void$' || fail "audit list --all (table): no void row 1"
"$SVA" audit list | grep -Eq '^1 ' && fail "audit list (table) still shows audit 1"
run "$SVA" audit show 1
expect_out "VOID" "show of a void audit"
expect_out "shopper called the wrong store" "show of a void audit: the reason"
[ "$(dbq 'SELECT count(*) FROM audit')" = "$before" ] || fail "void deleted a row"
refused "void twice" "$SVA" audit void 1 --reason again
expect_err "already void" "void twice"
refused "void 999" "$SVA" audit void 999 --reason nothing
run "$SVA" audit void 2
expect_rc 2 "void without --reason"

# ---- validation: exit 3, the item or field named, the database unchanged ---------------------
refused "unknown store (flag)" "$SVA" record phone_handling --answers a.ini --store NOPE
expect_err "unknown store 'NOPE'" "unknown store"
sed 's/^store = SH-001$/store = SH-999/' a.ini > x.ini
refused "unknown store (sheet)" "$SVA" record phone_handling --answers x.ini
expect_err "unknown store 'SH-999'" "unknown store in the sheet"
refused "unknown employee" "$SVA" record phone_handling --answers a.ini --employee NOBODY
expect_err "unknown employee 'NOBODY'" "unknown employee"
refused "employee of another store" "$SVA" record phone_handling --answers a.ini \
    --employee BJ-001-E01
expect_err "employee 'BJ-001-E01' works at store 'BJ-001', not 'SH-001'" "employee of another store"
refused "unknown cycle" "$SVA" record phone_handling --answers a.ini --cycle 2031-01
expect_err "unknown cycle '2031-01'" "unknown cycle"
refused "unknown checklist" "$SVA" record no_such_list --answers a.ini
expect_err "unknown checklist 'no_such_list'" "unknown checklist"
sed 's/^employee = SH-001-E01$/employee =/' a.ini > x.ini
refused "employee audit without employee" "$SVA" record phone_handling --answers x.ini
expect_err "employee" "employee missing"
expect_err "phone_handling" "employee missing names the checklist"
run "$SVA" record phone_handling --answers a.ini --date 2026-02-30
expect_rc 2 "bad date (flag): --date takes a date, a usage error"
expect_err "date" "bad date"
expect_err "2026-02-30" "bad date named"
sed 's/^date = 2026-11-12$/date = 12.11.2026/' a.ini > x.ini
refused "bad date (sheet)" "$SVA" record phone_handling --answers x.ini
expect_err "12.11.2026" "bad date in the sheet"
# dated after today (a typo of the year, a day ahead): refused where the date was given
refused "future date (flag)" "$SVA" record phone_handling --answers a.ini --date 2026-12-07
expect_err "^svcaudit: --date: date 2026-12-07 is after today (2026-12-06)" "future --date named"
L=$(grep -n '^date = 2026-11-12$' a.ini | cut -d: -f1)
sed 's/^date = 2026-11-12$/date = 2027-11-12/' a.ini > x.ini
refused "future date (sheet)" "$SVA" record phone_handling --answers x.ini
expect_err "^svcaudit: x.ini:$L: date 2027-11-12 is after today" "future date at its line"
refused "future date (batch)" "$SVA" record phone_handling --answers a.ini x.ini --duplicate
expect_err "^svcaudit: x.ini:$L: date 2027-11-12 is after today" "future date in a batch"
# a typo'd year is one line: "after today", not also "outside the cycle" (flag, sheet,
# a folder of sheets, the walk); a second bad field still gets its own line
sed 's/^date = 2026-11-12$/date = 2062-11-12/' a.ini > x.ini
one_line() { [ "$(grep -c "$1" err.txt)" -eq 1 ] && ! grep -q "outside cycle" err.txt ||
    fail "$2: not one line: $ERR"; }
refused "typo'd year (flag)" "$SVA" record phone_handling --answers a.ini --date 2062-11-12
one_line "after today" "typo'd year (flag)"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "typo'd year (flag): more than one line: $ERR"
refused "typo'd year (sheet)" "$SVA" record phone_handling --answers x.ini
one_line "^svcaudit: x.ini:$L: date 2062-11-12 is after today" "typo'd year (sheet)"
mkdir -p typo && cp x.ini typo/
refused "typo'd year (folder)" "$SVA" record phone_handling --answers typo/
one_line "^svcaudit: typo/x.ini:$L: date 2062-11-12 is after today" "typo'd year (folder)"
refused "typo'd year (walk)" sh -c "'$SVA' record phone_handling --walk --cycle 2026-11 \
    --store SH-001 --employee SH-001-E01 --auditor 'Zhang Min' --date 2062-11-12 < /dev/null"
one_line "after today" "typo'd year (walk)"
refused "typo'd year and an unknown store" "$SVA" record phone_handling --answers x.ini --store NOPE
one_line "after today" "typo'd year, unknown store"
expect_err "^svcaudit: --store: unknown store 'NOPE'" "the store still has its line"
refused "a date before the cycle" "$SVA" record phone_handling --answers a.ini --date 2026-10-12
expect_err "^svcaudit: --date: date 2026-10-12 is outside cycle 2026-11" "a past date outside the cycle"
run env SVCAUDIT_TODAY=2026-11-11 "$SVA" record phone_handling --answers a.ini --duplicate
expect_rc 3 "a sheet dated the day after SVCAUDIT_TODAY"
expect_err "after today (2026-11-11)" "today is SVCAUDIT_TODAY's"
refused "missing auditor" "$SVA" record phone_handling --answers bare.ini --cycle 2026-11 \
    --store SH-001 --employee SH-001-E01
expect_err "auditor" "missing auditor"

# answer outside the scale: the sheet line and the item
sed '/^\[item.conversation.smile_voice\]$/,/^answer/ s/^answer = 3$/answer = 5/' a.ini > x.ini
L=$(line_of x.ini conversation.smile_voice)
refused "answer outside the scale" "$SVA" record phone_handling --answers x.ini
expect_err "x.ini:$L: item 'conversation.smile_voice': '5' is not an allowed answer" "outside the scale"
sed '/^\[item.answer.greeting\]$/,/^answer/ s/^answer = no$/answer = maybe/' a.ini > x.ini
L=$(line_of x.ini answer.greeting)
refused "not an answer" "$SVA" record phone_handling --answers x.ini
expect_err "x.ini:$L: item 'answer.greeting': 'maybe'" "not an answer"
awk -F, 'BEGIN { OFS = "," } $1 == "conversation.information" { $7 = "7" } { print }' a.csv > x.csv
L=$(grep -n '^conversation.information,' x.csv | cut -d: -f1)
refused "answer outside the scale (csv)" "$SVA" record phone_handling --answers x.csv
expect_err "x.csv:$L: item 'conversation.information': '7'" "outside the scale (csv)"

# N/A where the item does not allow it, missing note, unanswered item: the item is
# named, and (README: "naming the item or field, and the sheet's line") the sheet and
# the line of the item's section or of its answer.
sed '/^\[item.answer.three_rings\]$/,/^answer/ s/^answer = yes$/answer = na/' a.ini > x.ini
L=$(line_of x.ini answer.three_rings); S=$(sect_of x.ini answer.three_rings)
refused "N/A not allowed" "$SVA" record phone_handling --answers x.ini
expect_err "item 'answer.three_rings': N/A is not allowed" "N/A not allowed"
printf '%s\n' "$ERR" | grep -Eq "x.ini:($L|$S): .*answer.three_rings" ||
    fail "N/A not allowed: no sheet line x.ini:$L (stderr: $ERR)"
sed 's/^note = "no own name given"$/note = ""/' a.ini > x.ini
L=$(line_of x.ini answer.greeting); S=$(sect_of x.ini answer.greeting)
refused "missing required note" "$SVA" record phone_handling --answers x.ini
expect_err "item 'answer.greeting': a note is required" "missing note"
printf '%s\n' "$ERR" | grep -Eq "x.ini:($L|$((L + 1))|$S): .*answer.greeting" ||
    fail "missing note: no sheet line (stderr: $ERR)"
sed '/^\[item.closing.thanks\]$/,/^answer/ s/^answer = yes$/answer =/' a.ini > x.ini
L=$(line_of x.ini closing.thanks); S=$(sect_of x.ini closing.thanks)
refused "unanswered item" "$SVA" record phone_handling --answers x.ini
expect_err "item 'closing.thanks' is not answered" "unanswered item"
printf '%s\n' "$ERR" | grep -Eq "x.ini:($L|$S): .*closing.thanks" ||
    fail "unanswered item: no sheet line (stderr: $ERR)"
# an item left out of the sheet altogether
awk '$0 == "[item.closing.summary]" { skip = 1; next } /^\[/ { skip = 0 } !skip' a.ini > x.ini
grep -q "closing.summary" x.ini && fail "awk did not remove the item"
refused "item missing from the sheet" "$SVA" record phone_handling --answers x.ini
expect_err "item 'closing.summary' is not answered" "missing item"
# every problem is reported, not just the first
sed -e '/^\[item.answer.three_rings\]$/,/^answer/ s/^answer = yes$/answer = na/' \
    -e 's/^note = "no own name given"$/note = ""/' \
    -e '/^\[item.closing.thanks\]$/,/^answer/ s/^answer = yes$/answer =/' a.ini > x.ini
refused "three problems" "$SVA" record phone_handling --answers x.ini
for it in answer.three_rings answer.greeting closing.thanks; do
    expect_err "'$it'" "three problems: $it reported"
done
# issue 13: six mistakes in one sheet, two of which only the database can see
# (an unknown store; an employee who works at another store), all reported in
# one run, each at its sheet line; exit 3; the database unchanged.
sed -e 's/^store = SH-001$/store = SH-999/' -e 's/^employee = SH-001-E01$/employee = BJ-001-E01/' \
    -e 's/^date = 2026-11-12$/date = 12.11.2026/' \
    -e '/^\[item.conversation.smile_voice\]$/,/^answer/ s/^answer = 3$/answer = 5/' \
    -e 's/^note = "no own name given"$/note = ""/' \
    -e '/^\[item.closing.thanks\]$/,/^answer/ s/^answer = yes$/answer =/' a.ini > six.ini
LS=$(grep -n '^store = ' six.ini | cut -d: -f1)
LE=$(grep -n '^employee = ' six.ini | cut -d: -f1)
LD=$(grep -n '^date = ' six.ini | cut -d: -f1)
LV=$(line_of six.ini conversation.smile_voice)
SN=$(sect_of six.ini answer.greeting)
ST=$(sect_of six.ini closing.thanks)
refused "six problems, two in the database" "$SVA" record phone_handling --answers six.ini
for want in "six.ini:$LS: unknown store 'SH-999'" \
    "six.ini:$LE: employee 'BJ-001-E01' works at store 'BJ-001', not 'SH-999'" \
    "six.ini:$LD: '12.11.2026' is not a date" \
    "six.ini:$LV: item 'conversation.smile_voice': '5' is not an allowed answer" \
    "six.ini:$SN: item 'answer.greeting': a note is required" \
    "six.ini:$ST: item 'closing.thanks' is not answered"; do
    printf '%s\n' "$ERR" | grep -qF "svcaudit: $want" || fail "six problems: no '$want' (stderr: $ERR)"
done
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 6 ] || fail "six problems: want 6 lines (stderr: $ERR)"
# the same through standard input and as CSV: the same six
"$PY" - a.csv six.csv <<'EOF' || fail "six problems: cannot make six.csv"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
head = {'store': 'SH-999', 'employee': 'BJ-001-E01', 'date': '12.11.2026'}
col = None
for r in rows:
    if r and r[0] == 'item':
        col = {name: k for k, name in enumerate(r)}
    elif r and col is None and r[0] in head:
        r[1] = head[r[0]]
    elif r and col is not None:
        if r[0] == 'conversation.smile_voice':
            r[col['answer']] = '5'
        elif r[0] == 'answer.greeting':
            r[col['note']] = ''
        elif r[0] == 'closing.thanks':
            r[col['answer']] = ''
csv.writer(open(sys.argv[2], 'w', newline='')).writerows(rows)
EOF
refused "six problems (csv, stdin)" sh -c "\"$SVA\" record phone_handling < six.csv"
[ "$(printf '%s\n' "$ERR" | grep -c '^svcaudit: <stdin>:[0-9]*: ')" -eq 6 ] ||
    fail "six problems (csv): want 6 lines naming <stdin>:LINE (stderr: $ERR)"

# a sheet for another checklist, an unknown item, a misspelt CSV column
refused "sheet of another checklist" "$SVA" record 6s_store --answers a.ini
expect_err "phone_handling" "sheet of another checklist"
sed 's/^version   = 1$/version   = 9/; s/^version = 1$/version = 9/' a.ini > x.ini
refused "sheet of another version" "$SVA" record phone_handling --answers x.ini
expect_err "make a new template" "sheet of another version"
sed 's/^\[item.closing.thanks\]$/[item.closing.thank_you]/' a.ini > x.ini
refused "unknown item" "$SVA" record phone_handling --answers x.ini
expect_err "unknown item 'closing.thank_you'" "unknown item"
sed 's/^\[item.closing.thanks\]$/[item.closing.thank]/' a.ini > x.ini
refused "unknown item, part of a key" "$SVA" record phone_handling --answers x.ini
expect_err "unknown item 'closing.thank' .*(did you mean 'closing.thanks'?)" "the item meant"
sed 's/^item,section,text,allowed,critical,note_rule,answer,note,evidence$/item,section,text,allowed,critical,note_rule,answer,notes,evidence/' a.csv > x.csv
L=$(grep -n '^item,' x.csv | cut -d: -f1)
refused "misspelt CSV column" "$SVA" record phone_handling --answers x.csv
expect_err "x.csv:$L: unknown column 'notes'" "misspelt column"
refused "missing sheet" "$SVA" record phone_handling --answers nosuch.ini
expect_err "nosuch.ini" "missing sheet named"
: > empty.ini
refused "empty sheet" "$SVA" record phone_handling --answers empty.ini
expect_err "empty.ini" "empty sheet named"
# the very same audit again is stored once (db.h, record --help); --duplicate stores it
refused "the same audit again" "$SVA" record phone_handling --answers b.csv
expect_err "audit 3" "the same audit again names the stored one"
# a date outside the cycle
refused "date outside the cycle" "$SVA" record phone_handling --answers a.ini --date 2026-12-01
expect_err "2026-12-01" "date outside the cycle"
# a closed cycle takes no audits
run "$SVA" cycle open 2026-10 --from 2026-10-01 --to 2026-10-31
run "$SVA" cycle close 2026-10
expect_rc 0 "cycle close 2026-10"
refused "closed cycle" "$SVA" record phone_handling --answers a.ini --cycle 2026-10 \
    --date 2026-10-20
expect_err "2026-10" "closed cycle named"
expect_err "closed" "closed cycle"

# ---- usage errors --------------------------------------------------------------------------
run "$SVA" record phone_handling --answers a.ini --resume x.ini
expect_rc 2 "--answers with --resume"
run "$SVA" record phone_handling --answers
expect_rc 2 "--answers without a value"
run "$SVA" record phone_handling --answers a.ini --date ""
expect_rc 2 "--date ''"
run "$SVA" record phone_handling --bogus
expect_rc 2 "unknown option"
expect_err "bogus" "unknown option named"
run "$SVA" audit list --format xml
expect_rc 2 "audit list --format xml"
run "$SVA" audit frob
expect_rc 2 "audit frob"
[ "$(n_audits --all)" = "$before" ] || fail "usage errors changed the audits"

# ---- an audit without a date is today's, SVCAUDIT_TODAY's when set ---------------------------
run env SVCAUDIT_TODAY=2026-11-25 "$SVA" record phone_handling --answers bare.ini --cycle 2026-11 \
    --store SH-001 --employee SH-001-E01 --auditor "Date Less"
expect_rc 0 "record without a date"
run "$SVA" audit list --auditor "Date Less" --format csv
expect_out "2026-11-25" "the default date is SVCAUDIT_TODAY"

# ---- no database ----------------------------------------------------------------------------
mkdir nodb && cd nodb || exit 3
if on_pg; then # a schema that is not there
    run env SVCAUDIT_DB="$SVA_PG_URL"_none "$SVA" record phone_handling --answers ../a.ini
    expect_rc 3 "record without a database"
    expect_err "${SVA_PG_SCHEMA}_none" "record without a database names it"
    [ "$(dbq "SELECT count(*) FROM pg_namespace WHERE nspname = '${SVA_PG_SCHEMA}_none'")" = 0 ] ||
        fail "record created a schema"
else
    run "$SVA" record phone_handling --answers ../a.ini
    expect_rc 3 "record without a database"
    expect_err "svcaudit.db" "record without a database names it"
    [ -e svcaudit.db ] && fail "record created a database"
fi
cd ..

done_testing

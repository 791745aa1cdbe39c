#!/bin/sh
# svcaudit e2e: the cycle workbook (`svcaudit export`), proved through the real
# binary. A database is built with the CLI only: five stores in three regions
# (one with a Chinese name), employees, three cycles, targets at network,
# region and store level, audits of every shipped checklist recorded from
# filled answer sheets (one voided, one with a photo on disk as evidence), 5W1H
# actions (overdue by days, weeks and months, one carried over by `cycle close`,
# one left open in an earlier cycle, done on time and late, fields starting with
# '=', '+', '-', '@'), and a survey import. The workbook is read back with
# openpyxl (tests/e2e/export_check.py) and every figure is compared with what
# the CLI says for the same database (`cycle status`, `audit list`, `audit
# show`, `action list|show`, `repeats`, `auditors`, `trend`, `checklist show`)
# or with the values put in here; never with the workbook itself; every label
# with the catalogue (src/i18n.c) in the workbook's language.
# Then: privacy modes, --region, --lang zh (no English label left), the first
# cycle, a cycle without audits; a second database whose QA scan calls changes
# (tests/fixtures/export/qa: the Trend sheet's FDR verdicts, the declining stores,
# the employee ratings); and one LibreOffice conversion.
# Bad input and the atomic write are in test_export_errors.sh.
. "$ROOT/tests/e2e/lib.sh"
EXF="$FIX/export"
CHECK="$ROOT/tests/e2e/export_check.py"
# The day the test pretends it is: decides which actions are overdue.
SVCAUDIT_TODAY=2026-11-28
export SVCAUDIT_TODAY
# rec CHECKLIST SHEET [FLAG...]: record one filled sheet; the new id in $AID
rec() {
    cl=$1
    sh=$2
    shift 2
    run "$SVA" record "$cl" --answers "$sh" "$@"
    expect_rc 0 "record $cl $sh"
    AID=$(printf '%s\n' "$OUT" | sed -n 's/^audit \([0-9][0-9]*\) recorded.*/\1/p')
    [ -n "$AID" ] || { fail "record $cl $sh: no audit id in '$OUT'"; AID=0; }
}
# chk WHAT ARGS...: one export_check.py run (its comparisons are added to $CHECKS);
# any failed comparison fails the run, each printed as a FAIL: line
CHECKS=0
chk() {
    what=$1
    shift
    "$PY" "$CHECK" "$@" > chk.out 2>&1
    rc=$?
    echo "== $what"
    cat chk.out
    n=$(sed -n 's/^checks: \([0-9][0-9]*\) passed.*/\1/p' chk.out)
    CHECKS=$((CHECKS + ${n:-0}))
    [ "$rc" -eq 0 ] || fail "$what (export_check.py $1 exit $rc)"
}

# ---- the organisation, cycles, targets ------------------------------------------
export_org
# SH-001 has three sales and three service people: a pseudonymous workbook shows
# its audited two by pseudonym; every other store's roles are groups too small to
# hide anyone in, so their employees are not shown one by one (README)
for e in "SH-001-E03 Ma Jun sales" "SH-001-E04 Qin Hao sales" "SH-001-E05 Lin Tao service" \
    "SH-001-E06 Xu Ning service"; do
    set -- $e
    run "$SVA" employee add "$1" --name "$2 $3" --store SH-001 --role "$4"
    expect_rc 0 "employee add $1"
done
for c in "2026-09 2026-09-01 2026-09-30" "2026-10 2026-10-01 2026-10-31" \
    "2026-11 2026-11-01 2026-11-30"; do
    set -- $c
    run "$SVA" cycle open "$1" --from "$2" --to "$3"
    expect_rc 0 "cycle open $1"
done
run "$SVA" target import "$EXF/targets.ini"
expect_rc 0 "target import"
# the surveys of 2026-10 and 2026-11, before 2026-10 closes (a closed cycle takes none)
run "$SVA" survey import "$EXF/survey.csv"
expect_rc 0 "survey import"

# ---- answer sheets ------------------------------------------------------------------
for cl in sales_mystery_shop service_mystery_shop complaint_handling 6s_store phone_handling; do
    run "$SVA" checklist template "$cl" -o "$cl.ini"
    expect_rc 0 "template $cl"
done
run "$SVA" checklist template phone_handling --format csv -o phone_handling.csv
expect_rc 0 "template phone_handling csv"

# 2026-09
fill sales_mystery_shop.ini s1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-09 \
    -H date=2026-09-10 -H auditor="Zhang Min" --rest-yesno yes greeting.drink=no
rec sales_mystery_shop s1.ini
fill 6s_store.ini s2.ini -H store=BJ-001 -H cycle=2026-09 -H date=2026-09-12 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 2
rec 6s_store s2.ini

# 2026-10
fill sales_mystery_shop.ini o1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-10 \
    -H date=2026-10-08 -H auditor="Zhang Min" --rest-yesno yes needs.budget=no
rec sales_mystery_shop o1.ini
fill sales_mystery_shop.ini o2.ini -H store=BJ-001 -H employee=BJ-001-E01 -H cycle=2026-10 \
    -H date=2026-10-09 -H auditor="Zhang Min" --rest-yesno yes offer.finance=no \
    offer.insurance=no
rec sales_mystery_shop o2.ini
fill 6s_store.ini o3.ini -H store=SH-001 -H cycle=2026-10 -H date=2026-10-10 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 3
rec 6s_store o3.ini
fill service_mystery_shop.ini o4.ini -H store=SH-002 -H employee=SH-002-E02 -H cycle=2026-10 \
    -H date=2026-10-11 -H auditor="Li Na" --rest-yesno yes facility.wifi=no
rec service_mystery_shop o4.ini

# 2026-10: Act. BJ-001 missed its own SSI target of 99: a reason and an action on
# ssi (left open: it is carried into 2026-11 by close); a done action on an item
# that 2026-11's answers then verify.
run "$SVA" cycle reason 2026-10 --store BJ-001 --metric ssi --text "finance desk unstaffed"
expect_rc 0 "cycle reason 2026-10"
run "$SVA" action add --cycle 2026-10 --store BJ-001 --metric ssi \
    --checklist sales_mystery_shop --item offer.finance --set why="finance not offered" \
    --set what="finance desk staffed all day" --set who="Manager Tan" --set when=2026-10-30 \
    --set where=showroom --set how="rota on the board" --by "Zhang Min"
expect_rc 0 "action add 2026-10 BJ-001 (to carry)"
run "$SVA" action add --cycle 2026-10 --store SH-002 --checklist service_mystery_shop \
    --item facility.wifi --set why="wifi down" --set what="new router" --set who="IT Xu" \
    --set when=2026-10-25 --set where=lounge --set how="replace and test weekly"
expect_rc 0 "action add 2026-10 SH-002 (done)"
DONE_ID=$(printf '%s\n' "$OUT" | grep -o '[0-9][0-9]*' | head -1)
run "$SVA" action update "$DONE_ID" --status in_progress --by "IT Xu"
expect_rc 0 "action $DONE_ID in_progress"
run "$SVA" action update "$DONE_ID" --status done --by "IT Xu"
expect_rc 0 "action $DONE_ID done"
run "$SVA" cycle close 2026-10
expect_rc 0 "cycle close 2026-10"
expect_out "carried into 2026-11" "close 2026-10 carries the open action"

# 2026-11: the cycle the workbook is about. Every shipped checklist; two audits
# for some employees (rated), one for others (not rated with --min-audits 2).
ZH_NOTE="顾客等候超过五分钟，无人接待；销售顾问说“稍等”。"
# evidence: an absolute path to a photo that is there (the Data sheet links it)
# and one to a photo that is not (plain text)
mkdir evidence
printf 'not really a jpeg' > evidence/door.jpg
PHOTO="$(pwd)/evidence/door.jpg"
NO_PHOTO="$(pwd)/evidence/gone.jpg"
fill sales_mystery_shop.ini n1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-03 -H auditor="Zhang Min" --rest-yesno yes greeting.drink=no needs.budget=no
rec sales_mystery_shop n1.ini
fill sales_mystery_shop.ini n2.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-17 -H auditor="Li Na" --rest-yesno yes offer.finance=no
rec sales_mystery_shop n2.ini
fill sales_mystery_shop.ini n3.ini -H store=SH-001 -H employee=SH-001-E02 -H cycle=2026-11 \
    -H date=2026-11-05 -H auditor="Zhang Min" --rest-yesno yes needs.open_questions=no \
    needs.usage_family=no needs.current_car=no presentation.walkaround=no
rec sales_mystery_shop n3.ini
fill sales_mystery_shop.ini n4.ini -H store=SH-002 -H employee=SH-002-E01 -H cycle=2026-11 \
    -H date=2026-11-06 -H auditor="Li Na" --rest-yesno yes greeting.self_intro=no \
    "greeting.self_intro:note=$ZH_NOTE" follow_up.visit_call=na
rec sales_mystery_shop n4.ini
ZH_AUDIT=$AID
fill sales_mystery_shop.ini n5.ini -H store=SH-002 -H employee=SH-002-E01 -H cycle=2026-11 \
    -H date=2026-11-20 -H auditor="Zhang Min" --rest-yesno yes presentation.walkaround=no
rec sales_mystery_shop n5.ini
fill sales_mystery_shop.ini n6.ini -H store=BJ-001 -H employee=BJ-001-E01 -H cycle=2026-11 \
    -H date=2026-11-07 -H auditor="Zhang Min" --rest-yesno yes greeting.within_60s=no \
    "greeting.within_60s:note=waited 4 min at the door" offer.finance=yes \
    "greeting.within_60s:evidence=$PHOTO"
rec sales_mystery_shop n6.ini
FAILED_AUDIT=$AID
fill sales_mystery_shop.ini n7.ini -H store=BJ-002 -H employee=BJ-002-E01 -H cycle=2026-11 \
    -H date=2026-11-08 -H auditor="Li Na" --rest-yesno yes greeting.welcome=no greeting.drink=no \
    needs.budget=no offer.insurance=no delivery.fuel=no
rec sales_mystery_shop n7.ini
fill service_mystery_shop.ini n8.ini -H store=SH-001 -H employee=SH-001-E02 -H cycle=2026-11 \
    -H date=2026-11-09 -H auditor="Li Na" --rest-yesno yes facility.wifi=no
rec service_mystery_shop n8.ini
fill service_mystery_shop.ini n9.ini -H store=SH-002 -H employee=SH-002-E02 -H cycle=2026-11 \
    -H date=2026-11-10 -H auditor="Li Na" --rest-yesno yes
rec service_mystery_shop n9.ini
fill service_mystery_shop.ini n10.ini -H store=BJ-001 -H employee=BJ-001-E02 -H cycle=2026-11 \
    -H date=2026-11-11 -H auditor="Wu Gang" --rest-yesno yes advisor.written_estimate=no \
    "advisor.written_estimate:note=verbal price only" pickup.walk_to_car=no \
    "advisor.written_estimate:evidence=$NO_PHOTO"
rec service_mystery_shop n10.ini
fill complaint_handling.ini n11.ini -H store=BJ-001 -H employee=BJ-001-E02 -H cycle=2026-11 \
    -H date=2026-11-12 -H auditor="Wu Gang" --rest-yesno yes --rest-num 3
rec complaint_handling n11.ini
fill 6s_store.ini n12.ini -H store=SH-001 -H cycle=2026-11 -H date=2026-11-13 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 3 shine.lounge_toilets=1
rec 6s_store n12.ini
fill 6s_store.ini n13.ini -H store=SH-002 -H cycle=2026-11 -H date=2026-11-14 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 4 sort.parts_red_tag=2 \
    sustain.bay_after_job=na
rec 6s_store n13.ini
fill 6s_store.ini n14.ini -H store=BJ-001 -H cycle=2026-11 -H date=2026-11-15 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 2
rec 6s_store n14.ini
fill 6s_store.ini n15.ini -H store=BJ-002 -H cycle=2026-11 -H date=2026-11-16 \
    -H auditor="Wu Gang" --rest-yesno yes --rest-num 3 safety.emergency_exits=no \
    "safety.emergency_exits:note=rear exit chained"
rec 6s_store n15.ini
# Notes and evidence that a spreadsheet would take for formulas (CSV sheet).
F_EQ="=cmd|' /C calc'!A0"
F_PLUS="+SUM(1,2)"
F_MINUS="-2+3"
F_AT="@SUM(A1:A2)"
F_HYPER='=HYPERLINK("http://example.invalid/x","click")'
fill phone_handling.csv n16.csv -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-18 -H auditor="Li Na" --rest-yesno yes --rest-num 4 \
    answer.greeting=no "answer.greeting:note=$F_EQ" "answer.greeting:evidence=$F_AT" \
    "conversation.uses_name:note=$F_PLUS" "conversation.needs:note=$F_MINUS" \
    "closing.thanks:note=$F_AT" "closing.offers_visit:note=$F_HYPER" answer.hold=na \
    callback.promise_kept=na callback.material_sent=na
rec phone_handling n16.csv
FORMULA_AUDIT=$AID
# one audit recorded and then voided: in no figure, on no sheet
fill sales_mystery_shop.ini n17.ini -H store=SH-002 -H employee=SH-002-E02 -H cycle=2026-11 \
    -H date=2026-11-21 -H auditor="Li Na" --rest-yesno yes greeting.welcome=no \
    greeting.self_intro=no greeting.drink=no needs.open_questions=no needs.budget=no \
    needs.summary=no presentation.walkaround=no offer.finance=no offer.insurance=no
rec sales_mystery_shop n17.ini
VOID_AUDIT=$AID
run "$SVA" audit void "$VOID_AUDIT" --reason "shopper visited the wrong store"
expect_rc 0 "audit void $VOID_AUDIT"

# 2026-11 actions: one overdue, one with fields a spreadsheet would take for
# formulas, one in Chinese (in progress), and one per failed item of the failed audit.
A_OWNER="Store manager Qian"
run "$SVA" action add --cycle 2026-11 --store SH-001 --metric ssi \
    --checklist sales_mystery_shop --item needs.budget --set why="budget never asked" \
    --set what="needs analysis card" --set who="$A_OWNER" --set when=2026-11-05 \
    --set where=showroom --set how="card on every desk" --set how_much=1250.5
expect_rc 0 "action add overdue"
# overdue by 1-7 days (the test's today is 2026-11-28)
run "$SVA" action add --cycle 2026-11 --store SH-002 --metric ssi --set why="no greeter" \
    --set what="greeter rota" --set who="$A_OWNER" --set when=2026-11-24 \
    --set where=showroom --set how="rota on the board"
expect_rc 0 "action add overdue by days"
# the Act step's rates: one action done before its due date, one after it (its due
# date long past); and a backlog: an action of 2026-09, a cycle nobody closed,
# still open and overdue by months
for spec in "GZ-001 ssi 2099-12-31" "SH-002 csi 2026-01-15"; do
    set -- $spec
    run "$SVA" action add --cycle 2026-11 --store "$1" --metric "$2" --set why="to be done" \
        --set what="done $3" --set who="$A_OWNER" --set when="$3" --set where=showroom \
        --set how="checked by the manager"
    expect_rc 0 "action add $spec"
    id=$(printf '%s\n' "$OUT" | grep -o '[0-9][0-9]*' | head -1)
    run "$SVA" action update "$id" --status in_progress --by "$A_OWNER"
    expect_rc 0 "action $id in_progress"
    run "$SVA" action update "$id" --status done --by "$A_OWNER"
    expect_rc 0 "action $id done"
done
run "$SVA" action add --cycle 2026-09 --store BJ-001 --metric 6s --set why="workshop untidy" \
    --set what="red tags" --set who="Manager Tan" --set when=2026-09-20 --set where=workshop \
    --set how="weekly round"
expect_rc 0 "action add 2026-09 (the backlog)"
A_WHY="=cmd|' /C calc'!A0"
A_WHAT="+SUM(A1:A9)"
A_HOW="-2+3 steps"
A_WHERE="@showroom"
run "$SVA" action add --cycle 2026-11 --store BJ-002 --metric 6s --checklist 6s_store \
    --section safety --set why="$A_WHY" --set what="$A_WHAT" --set who="Manager Tan" \
    --set when=2026-12-15 --set where="$A_WHERE" --set how="$A_HOW" --set priority=high
expect_rc 0 "action add with formula-like fields"
ZH_WHY="展厅接待不及时，顾客等候超过五分钟"
ZH_WHO="陈经理"
run "$SVA" action add --cycle 2026-11 --store SH-002 --metric ssi --set why="$ZH_WHY" \
    --set what="设立迎宾岗" --set who="$ZH_WHO" --set when=2026-12-05 --set where="展厅" \
    --set how="每日早会检查"
expect_rc 0 "action add in Chinese"
ZH_ACTION=$(printf '%s\n' "$OUT" | grep -o '[0-9][0-9]*' | head -1)
run "$SVA" action update "$ZH_ACTION" --status in_progress --by "$ZH_WHO"
expect_rc 0 "action $ZH_ACTION in_progress"
run "$SVA" action add --from-audit "$FAILED_AUDIT" --set who="Manager Tan" \
    --set when=2026-11-29 --set where=showroom --set how="coaching"
expect_rc 0 "action add --from-audit $FAILED_AUDIT"
# a reason for a missed target of 2026-11 (the Stores sheet's Reason column)
run "$SVA" cycle reason 2026-11 --store SH-001 --metric 6s --text "toilets not on the rota"
expect_rc 0 "cycle reason 2026-11"

# ---- the workbooks ------------------------------------------------------------------
# Exported before the first `cycle status 2026-11` (a read, like the export: neither
# writes): the workbook must agree with what status says afterwards.
# xport FILE ARGS...: export 2026-11 to FILE; exit 0, says so, and the file is there
xport() {
    f=$1
    shift
    run "$SVA" export --cycle 2026-11 -o "$f" "$@"
    expect_rc 0 "export -o $f $*"
    expect_out "workbook written: $f" "export -o $f $*"
    [ -s "$f" ] || fail "export -o $f $*: no file"
}
xport full.xlsx --employees full --data
xport pseudo1.xlsx --employees pseudonymous --salt "pepper one" --data
xport pseudo2.xlsx --employees pseudonymous --salt "pepper one"
xport pseudo3.xlsx --employees pseudonymous --salt "pepper two"
xport pseudo_db1.xlsx --employees pseudonymous
xport pseudo_db2.xlsx --employees pseudonymous --data
xport none.xlsx --employees none --data
xport north.xlsx --region North --employees full --data
xport zh.xlsx --lang zh --min-audits 3 --employees full --data
xport trend2.xlsx --trend-cycles 2 --employees full
xport plain.xlsx
xport north_zh.xlsx --region North --lang zh --employees pseudonymous --salt "pepper one" --data
# the first cycle (nothing before it), and a cycle without audits yet
run "$SVA" export --cycle 2026-09 -o first.xlsx --employees full --data
expect_rc 0 "export --cycle 2026-09"
run "$SVA" cycle open 2026-12 --from 2026-12-01 --to 2026-12-31
expect_rc 0 "cycle open 2026-12"
run "$SVA" export --cycle 2026-12 -o empty.xlsx --employees full --data
expect_rc 0 "export --cycle 2026-12"
ls ./*.tmp-* > /dev/null 2>&1 && fail "temporary files left beside the workbooks: $(ls ./*.tmp-*)"

# ---- the checklists as the audits used them, not as the folder has them now --------------
# With no checklists folder, and with one where the checklists have moved on (version 99,
# other texts and section titles), the workbook still shows the item texts, 6S sections
# and 5W1H fields the cycle was recorded with: the exact texts stored in the database.
mkdir nocl moved
cp "$ROOT"/checklists/*.ini moved/
for f in moved/sales_mystery_shop.ini moved/service_mystery_shop.ini moved/6s_store.ini; do
    sed -i -e 's/^version\( *\)= 1$/version\1= 99/' -e 's/^text\( *\)= /text\1= CHANGED /' \
        -e 's/^title\( *\)= /title\1= CHANGED /' "$f"
done
grep -q 'version *= 99' moved/sales_mystery_shop.ini || fail "the test could not move sales_mystery_shop on"
# (an installed share folder, after `make install`, is searched too: then the form's
# labels are found there and the field-key fallback is not what is tested)
SVCAUDIT_CHECKLISTS= run "$SVA" --checklists nocl checklist list
NOCL_FORM=0
printf '%s\n' "$OUT" | grep -q actions_5w1h && NOCL_FORM=1 &&
    echo "note: installed checklists found; the 5W1H field-key fallback is not tested"
SVCAUDIT_CHECKLISTS= run "$SVA" --checklists nocl export --cycle 2026-11 -o nocl.xlsx
expect_rc 0 "export without checklists"
SVCAUDIT_CHECKLISTS= run "$SVA" --checklists moved export --cycle 2026-11 -o moved.xlsx
expect_rc 0 "export with moved-on checklists"
for f in nocl.xlsx moved.xlsx; do
    NOCL_FORM=$NOCL_FORM "$PY" - plain.xlsx "$f" > cmp.out 2>&1 <<'PYEOF' || fail "$f: $(head -5 cmp.out)"
import os
import sys
import openpyxl
a, b = openpyxl.load_workbook(sys.argv[1]), openpyxl.load_workbook(sys.argv[2])
bad = []
for name in ('Service standards', '6S', 'Actions 5W1H', 'Dashboard'):
    ra = [r for r in a[name].iter_rows(values_only=True)]
    rb = [r for r in b[name].iter_rows(values_only=True)]
    if name == 'Dashboard':  # but for the time it was generated
        ra = [r for r in ra if not any(isinstance(x, str) and 'enerated' in x for x in r)]
        rb = [r for r in rb if not any(isinstance(x, str) and 'enerated' in x for x in r)]
    if name == 'Actions 5W1H' and 'nocl' in sys.argv[2] and os.environ['NOCL_FORM'] == '0':
        # no form to name the fields: the header shows the keys the actions have
        # (why, what, ...), and a field no action has set has no column; nor to
        # type them: a date or a number is the text it was recorded as
        key = lambda i, h: h.lower().replace(' ', '_') if i >= 10 and h else h
        ka = [key(i, h) for i, h in enumerate(ra[0])]
        used = [k for i, k in enumerate(ka) if i < 10 or any(r[i] for r in ra[1:])]
        if not set(used) <= set(rb[0]):
            bad.append('Actions header %r lacks some of %r' % (rb[0], used))
        def as_text(i, x):
            if i < 10 or x is None or isinstance(x, str):
                return x
            return x.strftime('%Y-%m-%d') if hasattr(x, 'strftime') else '%g' % x
        ra = [tuple(as_text(i, dict(zip(ka, r)).get(k)) for i, k in enumerate(rb[0]))
              for r in ra[1:]]
        rb = rb[1:]
    if ra != rb:
        diff = [(x, y) for x, y in zip(ra, rb) if x != y][:2]
        bad.append('%s differs (%d/%d rows): %r' % (name, len(ra), len(rb), diff))
    if any('CHANGED' in str(x) for r in rb for x in r):
        bad.append('%s shows a text of the checklists folder, not the stored one' % name)
for m in bad:
    print('FAIL:', m)
rows = list(a['Service standards'].iter_rows(values_only=True))
texts = [r[rows[0].index('Standard')] for r in rows[1:]]
if not texts or not all(texts):
    print('FAIL: the reference workbook lacks standards texts: %r' % texts[:3])
    bad.append(1)
sys.exit(1 if bad else 0)
PYEOF
done

# ---- what the CLI says about the same database (exp*/, read by export_check.py) --------
# to FILE CMD...: the CLI's JSON into FILE (exit 0 required)
to() {
    file=$1
    shift
    "$SVA" "$@" > "$file" 2> to.err || fail "$* (into $file): exit $?: $(cat to.err)"
}
# ids FILE: the "id" of every object of a JSON list
ids() { "$PY" -c 'import json,sys; print(" ".join(str(a["id"]) for a in json.load(open(sys.argv[1]))))' "$1"; }
# gather DIR CYCLE WINDOWS: everything export_check.py compares a workbook of CYCLE
# with, into DIR; `trend` for each status row with --cycles in WINDOWS
gather() {
    d=$1
    c=$2
    mkdir "$d"
    to "$d/cycles.json" cycle list --format json
    for x in $(ids "$d/cycles.json"); do
        to "$d/status-$x.json" cycle status "$x" --format json
    done
    to "$d/status.json" cycle status "$c" --format json
    to "$d/status.North.json" cycle status "$c" --region North --format json
    to "$d/audits.json" audit list --cycle "$c" --format json
    to "$d/audits.North.json" audit list --cycle "$c" --region North --format json
    to "$d/audits_all.json" audit list --cycle "$c" --all --format json
    to "$d/audits_every.json" audit list --format json
    to "$d/actions.json" action list --cycle "$c" --format json
    to "$d/actions_all.json" action list --format json
    for id in $(ids "$d/audits_all.json"); do
        to "$d/show-$id.json" audit show "$id" --format json
    done
    for id in $(ids "$d/actions_all.json"); do
        to "$d/action-$id.json" action show "$id" --format json
    done
    to "$d/repeats.json" repeats --cycle "$c" --all --format json
    to "$d/auditors.json" auditors --format json
    if [ "$c" != 2026-09 ]; then # the first cycle: no item moves (refused)
        to "$d/items.json" trend items --cycle "$c" --all --format json
        to "$d/items.North.json" trend items --cycle "$c" --region North --all --format json
    fi
    "$PY" -c 'import json,sys
for r in json.load(open(sys.argv[1]))["rows"]:
    print(r["scope"], r["id"] or "-", r["metric"])' "$d/status.json" > rows.txt
    while read -r scope id metric; do
        case $scope in
        store) where="--store $id" ;;
        region) where="--region $id" ;;
        *) where= ;;
        esac
        for n in $3; do
            # shellcheck disable=SC2086
            to "$d/trend-$n-$scope-${id#-}-$metric.json" trend --metric "$metric" $where \
                --cycle "$c" --cycles "$n" --format json
        done
    done < rows.txt
    to "$d/checklists.json" checklist list --format json
    for cl in $("$PY" -c 'import json,sys
print(" ".join(c["id"] for c in json.load(open(sys.argv[1])) if c["kind"] == "checklist"))' \
        "$d/checklists.json"); do
        to "$d/cl-$cl.json" checklist show "$cl" --format json
        to "$d/cl-$cl.zh.json" checklist show "$cl" --lang zh --format json
    done
    to "$d/employees.csv" employee list --format csv
    cp "$EXF/stores.csv" "$d/"
    # the employees rated over the last cycles: as `employee ratings` gives them (by
    # region, with another minimum); a pseudonymous workbook shows these ratings for
    # the employees it shows (export_check.py shown_ratings: the rule of the README)
    to "$d/ratings.json" employee ratings --cycle "$c" --format json
    to "$d/ratings.North.json" employee ratings --cycle "$c" --region North --format json
    to "$d/ratings.min3.json" employee ratings --cycle "$c" --min-audits 3 --format json
}
gather exp 2026-11 "6 2"
gather exp09 2026-09 6
gather exp12 2026-12 6
ANSWERS_SQL=$(sqlite3 svcaudit.db "SELECT count(*) FROM answer an JOIN audit au ON au.id = an.audit_id WHERE au.cycle_id = '2026-11' AND au.voided_at IS NULL")
ANSWERS_SQL_NORTH=$(sqlite3 svcaudit.db "SELECT count(*) FROM answer an JOIN audit au ON au.id = an.audit_id JOIN store s ON s.id = au.store_id WHERE au.cycle_id = '2026-11' AND au.voided_at IS NULL AND s.region = 'North'")
FORMULA_ACTION=$("$PY" -c 'import json,sys; print([a["id"] for a in json.load(open(sys.argv[1])) if a["store"] == "BJ-002"][0])' exp/actions.json)
# The values put into the data above, for export_check.py.
export F_EQ F_PLUS F_MINUS F_AT F_HYPER A_WHY A_WHAT A_HOW A_WHERE ZH_NOTE ZH_WHY ZH_WHO
export FORMULA_AUDIT ZH_AUDIT ZH_ACTION FORMULA_ACTION ANSWERS_SQL ANSWERS_SQL_NORTH
"$PY" - "$ROOT/checklists/actions-5w1h.ini" "$EXF/stores.csv" > exp/expect.json <<'PYEOF' ||
import configparser, csv, json, os, sys
E = os.environ
form = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(';',))
form.read(sys.argv[1], encoding='utf-8')
fields = [s for s in form.sections() if s.startswith('field.')]
stores = {r['id']: r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))}
json.dump({
    'cycle': '2026-11',
    'today': E['SVCAUDIT_TODAY'],
    'reasons': [['2026-10', 'BJ-001', 'ssi'], ['2026-11', 'SH-001', '6s']],
    'form_labels': [[s[6:], form[s]['label']] for s in fields],
    'form_types': [[s[6:], form[s]['type']] for s in fields],
    'form_labels_zh': [[s[6:], form[s].get('label_zh', form[s]['label'])] for s in fields],
    'formula_audit': int(E['FORMULA_AUDIT']),
    'formula_cells': [['answer.greeting', 'col.note', E['F_EQ']],
                      ['answer.greeting', 'col.evidence', E['F_AT']],
                      ['conversation.uses_name', 'col.note', E['F_PLUS']],
                      ['conversation.needs', 'col.note', E['F_MINUS']],
                      ['closing.thanks', 'col.note', E['F_AT']],
                      ['closing.offers_visit', 'col.note', E['F_HYPER']]],
    'formula_action': int(E['FORMULA_ACTION']),
    'formula_action_region': 'North',
    'formula_fields': [['why', E['A_WHY']], ['what', E['A_WHAT']], ['how', E['A_HOW']],
                       ['where', E['A_WHERE']]],
    'zh_audit': int(E['ZH_AUDIT']),
    'zh_item': 'greeting.self_intro',
    'zh_note': E['ZH_NOTE'],
    'zh_store': 'SH-002',
    'zh_store_name': stores['SH-002']['name'],
    'zh_store_region': stores['SH-002']['region'],
    'zh_action': int(E['ZH_ACTION']),
    'zh_fields': [['why', E['ZH_WHY']], ['what', '设立迎宾岗'], ['who', E['ZH_WHO']],
                  ['where', '展厅'], ['how', '每日早会检查']],
    'zh_employee_label': '陈静怡 (SH-002-E01)',
    'answers_sql': int(E['ANSWERS_SQL']),
    'answers_sql.North': int(E['ANSWERS_SQL_NORTH']),
}, sys.stdout, ensure_ascii=False, indent=1)
PYEOF
    fail "could not write exp/expect.json"
# the other cycles' workbooks: the same expectations (their own cycle's special values
# are none: export_check.py checks expect.json's texts on 2026-11's only)
cp exp/expect.json exp09/
cp exp/expect.json exp12/
# The data is what the checks below assume: an overdue and a carried-over action, a
# void audit, a survey, a missed and a met target, a Chinese store name.
"$PY" - exp <<'PYEOF' || fail "the database is not the one the checks assume"
import json, sys
d = sys.argv[1]
acts = json.load(open(d + '/actions.json'))
assert any(a['overdue'] and not a['carried'] for a in acts), 'no overdue action of 2026-11'
assert any(a['carried'].startswith('from') for a in acts), 'no carried-over action'
assert any(a['status'] == 'void' for a in json.load(open(d + '/audits_all.json'))), 'no void'
rows = json.load(open(d + '/status.json'))['rows']
assert {r['status'] for r in rows} >= {'met', 'missed', 'no data'}, 'statuses'
assert any(r['survey'] is not None for r in rows), 'no survey value'
assert {r['from'] for r in rows if r['scope'] == 'store'} >= {'store', 'region', 'network'}
assert any(r['metric'] == 'phone_handling' for r in rows), 'no checklist metric'
assert json.load(open(d + '/cl-sales_mystery_shop.zh.json'))['sections'][1]['items'][0]['text'] \
    == '顾客进入展厅60秒内，有工作人员上前迎接问候'
PYEOF

# ---- the proofs ------------------------------------------------------------------------
chk "full workbook (--data)" check full.xlsx --exp exp --data
chk "the default is pseudonymous (no --employees)" check plain.xlsx --exp exp \
    --employees pseudonymous
chk "pseudonymous, salt one" check pseudo1.xlsx --exp exp --data --employees pseudonymous \
    --pseudo-out p1.json
chk "pseudonymous, salt one again" check pseudo2.xlsx --exp exp --employees pseudonymous \
    --pseudo-out p2.json
chk "pseudonymous, salt two" check pseudo3.xlsx --exp exp --employees pseudonymous \
    --pseudo-out p3.json
chk "pseudonymous, the database's salt" check pseudo_db1.xlsx --exp exp \
    --employees pseudonymous --pseudo-out pdb1.json
chk "pseudonymous, the database's salt again" check pseudo_db2.xlsx --exp exp --data \
    --employees pseudonymous --pseudo-out pdb2.json
chk "same salt, same pseudonyms" pseudo-compare p1.json p2.json same
chk "another salt, other pseudonyms" pseudo-compare p1.json p3.json different
chk "the database's salt is stable" pseudo-compare pdb1.json pdb2.json same
chk "the database's salt is not salt one" pseudo-compare pdb1.json p1.json different
chk "--employees none" check none.xlsx --exp exp --data --employees none
chk "--region North" check north.xlsx --exp exp --data --region North
chk "--lang zh --min-audits 3" check zh.xlsx --exp exp --data --lang zh --min-audits 3
chk "--trend-cycles 2" check trend2.xlsx --exp exp --trend-cycles 2
chk "--region North --lang zh, pseudonymous" check north_zh.xlsx --exp exp --data \
    --region North --lang zh --employees pseudonymous
chk "the first cycle (2026-09)" check first.xlsx --exp exp09 --data
chk "a cycle without audits (2026-12)" check empty.xlsx --exp exp12 --data

# ---- the QA verdicts: a second database where the scan finds something ------------------
# The data above is too thin for the scan to call anything (every change "insufficient
# n"), so the Trend sheet's verdicts, the headline's declining stores and the ratings'
# ranks are proved again on tests/fixtures/export/qa/plan.txt (what each store is for is
# written there): four cycles, a fall, a rise, a slide no single step shows, a fall
# that the network's family does not call but the North's does, a checklist metric
# falling at a store whose indexes hold, and six employees of steady, different levels
# at SH-001 (two alike), rated over the last three cycles.
QAF="$EXF/qa"
mkdir qa
cd qa || exit 3
SAVED_CHECKLISTS=$SVCAUDIT_CHECKLISTS
SVCAUDIT_CHECKLISTS="$QAF:$ROOT/checklists"
export_org
for e in "SH-001-E03 Ma Jun sales" "SH-001-E04 Qin Hao sales" "SH-001-E05 Lin Tao service" \
    "SH-001-E06 Xu Ning service" "SH-001-E07 Gao Yan receptionist"; do
    set -- $e
    run "$SVA" employee add "$1" --name "$2 $3" --store SH-001 --role "$4"
    expect_rc 0 "qa: employee add $1"
done
for c in "2026-08 31" "2026-09 30" "2026-10 31" "2026-11 30"; do
    set -- $c
    run "$SVA" cycle open "$1" --from "$1-01" --to "$1-$2"
    expect_rc 0 "qa: cycle open $1"
done
# one answer sheet per audit of the plan: f failures fail i01..i0f; "c" also fails the
# critical i20; "v": voided after recording
QA_N=0
grep -v '^#' "$QAF/plan.txt" > plan.txt
while read -r cl cycle store emp marks; do
    k=0
    for f in $marks; do
        k=$((k + 1))
        QA_N=$((QA_N + 1))
        nf=${f%%[cv]}
        {
            printf '[audit]\nchecklist = %s\nversion = 1\n' "$cl"
            i=1
            while [ "$i" -le 20 ]; do
                a=yes
                [ "$i" -le "$nf" ] && a=no
                [ "$i" -eq 20 ] && [ "${f#*c}" != "$f" ] && a=no
                printf '[item.floor.i%02d]\nanswer = %s\n' "$i" "$a"
                i=$((i + 1))
            done
        } > "q$QA_N.ini"
        who="Li Na"
        [ $((k % 2)) -eq 0 ] && who="Wu Gang"
        set -- --cycle "$cycle" --store "$store" --auditor "$who" \
            --date "$cycle-$(printf %02d $((k + 1)))"
        [ "$emp" = - ] || set -- "$@" --employee "$emp"
        rec "$cl" "q$QA_N.ini" "$@"
        case $f in
        *v)
            run "$SVA" audit void "$AID" --reason "recorded against the wrong employee"
            expect_rc 0 "qa: audit void $AID"
            ;;
        esac
    done
done < plan.txt
[ "$QA_N" -eq 114 ] || fail "qa: the plan has $QA_N audits, want 114"
for c in 2026-09 2026-10 2026-11; do
    for t in "ssi 80" "csi 85" "qa_phone 80"; do
        set -- $t
        run "$SVA" target set --cycle "$c" --metric "$1" --value "$2"
        expect_rc 0 "qa: target set $c $1"
    done
done
xport qa_full.xlsx --employees full --data
xport qa_pseudo.xlsx --employees pseudonymous --salt "pepper one"
xport qa_north.xlsx --region North --employees full
xport qa_north_pseudo.xlsx --region North --employees pseudonymous
xport qa_trend3.xlsx --trend-cycles 3 --employees full --lang zh
gather qaexp 2026-11 "6 3"
# the expectations of the first database, without its special values (no reasons)
"$PY" - ../exp/expect.json > qaexp/expect.json <<'PYEOF' || fail "qa: expect.json"
import json, sys
x = json.load(open(sys.argv[1]))
x.update({'cycle': '-', 'reasons': []})
json.dump(x, sys.stdout, ensure_ascii=False, indent=1)
PYEOF
# The data is what the checks need to be able to fail: the scan calls what the plan
# plants and no more; its families differ by scope; the ratings rank and shrink.
"$PY" - qaexp <<'PYEOF' || fail "qa: the database is not the one the checks assume"
import json, sys
d = sys.argv[1]
def rows(f):
    return {(r['scope'], r['id'], r['metric']): r for r in json.load(open(d + '/' + f))['rows']}
st, north = rows('status.json'), rows('status.North.json')
def own(store, metric):
    t = json.load(open('%s/trend-6-store-%s-%s.json' % (d, store, metric)))
    return t['cycles'][-1]['verdict'], t['window']['verdict']
want = {('SH-001', 'ssi'): ('declined', 'declining'), ('SH-002', 'ssi'): ('improved', 'improving'),
        ('BJ-001', 'ssi'): ('no significant change', 'declining'),
        ('BJ-002', 'ssi'): ('no significant change', 'stable'),
        ('GZ-001', 'ssi'): ('no significant change', 'stable'),
        ('GZ-001', 'qa_phone'): ('declined', 'declining')}
for (s, m), w in want.items():
    r = st[('store', s, m)]
    assert (r['change'], r['window']) == w, (s, m, r['change'], r['window'], w)
# BJ-002: its own test says declined (p < 0.05), the network's family does not, the
# North's (six tests) does
assert own('BJ-002', 'ssi') == ('declined', 'declining'), own('BJ-002', 'ssi')
r = north[('store', 'BJ-002', 'ssi')]
assert (r['change'], r['window']) == ('declined', 'declining'), r
rt = json.load(open(d + '/ratings.json'))
emp = {x['employee']: x for x in rt['employees']}
assert rt['tau'] > 0 and rt['sigma_w'] > 0, rt
assert emp['SH-001-E07']['best'] and emp['SH-001-E07']['role'] == 'receptionist', emp['SH-001-E07']
assert emp['SH-001-E01']['rank'] == 2 and emp['SH-001-E01']['audits'] == 3, emp['SH-001-E01']
assert emp['SH-001-E05']['rank'] == emp['SH-001-E06']['rank'] == 5, 'no shared rank'
assert emp['SH-001-E04']['rank'] == 7 and emp['SH-001-E04']['critical_fails'] == 1
assert not emp['SH-002-E02']['rated'] and not emp['BJ-002-E01']['rated']
assert emp['BJ-001-E01']['best'] and not emp['GZ-001-E01']['best']
PYEOF
chk "qa: full workbook (--data)" check qa_full.xlsx --exp qaexp --data
chk "qa: pseudonymous" check qa_pseudo.xlsx --exp qaexp --employees pseudonymous --rerank
chk "qa: --region North" check qa_north.xlsx --exp qaexp --region North
chk "qa: --region North, pseudonymous" check qa_north_pseudo.xlsx --exp qaexp --region North \
    --employees pseudonymous
chk "qa: --trend-cycles 3 --lang zh" check qa_trend3.xlsx --exp qaexp --trend-cycles 3 \
    --lang zh
SVCAUDIT_CHECKLISTS=$SAVED_CHECKLISTS
cd .. || exit 3

# ---- LibreOffice opens it: one conversion of the full workbook to PDF -------------------
if command -v soffice > /dev/null 2>&1; then
    mkdir pdf lo-profile
    HOME="$WORK" soffice --headless "-env:UserInstallation=file://$WORK/lo-profile" \
        --convert-to pdf --outdir pdf full.xlsx > lo.out 2>&1
    rc=$?
    [ "$rc" -eq 0 ] || fail "soffice --convert-to pdf full.xlsx: exit $rc: $(cat lo.out)"
    if [ ! -s pdf/full.pdf ]; then
        fail "soffice made no PDF of full.xlsx: $(cat lo.out)"
    elif command -v pdfinfo > /dev/null 2>&1; then
        pages=$(pdfinfo pdf/full.pdf 2> /dev/null | sed -n 's/^Pages: *//p')
        [ "${pages:-0}" -ge 1 ] 2> /dev/null || fail "pdfinfo: the PDF has no pages ($pages)"
        CHECKS=$((CHECKS + 1))
        if command -v pdftotext > /dev/null 2>&1; then
            pdftotext -layout pdf/full.pdf pdf/full.txt
            grep -q "Service audit - cycle 2026-11" pdf/full.txt ||
                fail "the PDF lacks the Dashboard's title"
            CHECKS=$((CHECKS + 1))
            # What a reader sees: every audit's score as LibreOffice renders the Audits
            # sheet, against `audit list` (audits 9 and 11 score 94.05 and 98.25 %: a
            # workbook holding the unrounded % shows 94.1% and 98.3%, the CLI 94.0, 98.2).
            "$PY" - exp/audits.json pdf/full.txt <<'PYEOF' || fail "PDF audit scores differ from audit list"
import json, re, sys
want = {a['id']: a['score'] for a in json.load(open(sys.argv[1]))}
seen = {}
for line in open(sys.argv[2], encoding='utf-8'):
    m = re.match(r'^\s*(\d+)\s+\d{4}-\d\d-\d\d\s+2026-11\s.*?\s(\d+\.\d) ?%', line)
    if m and int(m.group(1)) in want:
        seen.setdefault(int(m.group(1)), []).append(float(m.group(2)))
bad = 0
for k, score in sorted(want.items()):
    got = seen.get(k)
    if got != [score]:
        print('FAIL: the PDF shows audit %d with %r %%, audit list says %r' % (k, got, score))
        bad += 1
sys.exit(1 if bad else 0)
PYEOF
            CHECKS=$((CHECKS + 1))
        fi
    else
        [ "$(head -c 4 pdf/full.pdf)" = "%PDF" ] || fail "pdf/full.pdf is not a PDF"
        [ "$(wc -c < pdf/full.pdf)" -gt 10240 ] || fail "pdf/full.pdf is under 10 kB"
        CHECKS=$((CHECKS + 1))
    fi
else
    echo "skipped: soffice not installed (LibreOffice conversion)"
fi

echo "comparisons made by export_check.py and on the PDF: $CHECKS"
done_testing

#!/bin/sh
# svcaudit e2e: master data over time (issue 13). Stores are deactivated and
# reactivated, employees moved and deactivated, from a day; a cycle shows the
# organisation as it was in it (a store added after a closed cycle is not in
# it as "no data"); an audit is checked against the store and employee as they
# were on its date and keeps the store it was recorded at; nothing dated into
# a closed cycle. Also: an empty cycle is deleted, a cycle with something in
# it is not; targets are copied and unset; an unknown name in a filter is an
# error with "did you mean".
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
export SVCAUDIT_CHECKLISTS="$P/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-12-05
export SVCAUDIT_USER="Zhou Qing"
dump() { db_dump; }
refused() { # refused CODE LABEL CMD...: exit CODE, one line, nothing changed
    code=$1; label=$2; shift 2
    dump > before.dump
    run "$@"
    [ "$RC" -eq "$code" ] || fail "$label: exit $RC, want $code ($ERR)"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] && [ -n "$ERR" ] || fail "$label: not one line: $ERR"
}
sheet() {
    printf '[audit]\nchecklist = pdca_mini\nversion = 1\n[item.front.greet]\nanswer = yes\n[item.front.tidy]\nanswer = yes\n[item.back.clean]\nanswer = no\n[item.back.exit]\nanswer = yes\n' > sheet.ini
}
sheet
rec() { # rec STORE CYCLE DATE: a pdca_mini audit (75.0), recorded on the day it was done (an
    # audit is never dated after today); its exit code (refused reads it)
    env SVCAUDIT_TODAY="$3" "$SVA" record pdca_mini --cycle "$2" --store "$1" --auditor "Zhang Min" --date "$3" \
        --answers sheet.ini
}
stores_of() { # stores_of CYCLE: the store rows of its ssi status
    "$SVA" cycle status "$1" --metric ssi --format json > st.json || { echo "error"; return; }
    "$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(" ".join(r["id"] for r in s["rows"] if r["scope"] == "store"), s["stores_total"])' st.json
}

run "$SVA" init
run "$SVA" store import "$P/stores.csv"
for c in "2026-10 2026-10-01 2026-10-31" "2026-11 2026-11-01 2026-11-30" \
    "2026-12 2026-12-01 2026-12-31"; do
    set -- $c
    run "$SVA" cycle open "$1" --from "$2" --to "$3"
done
run rec SH-001 2026-10 2026-10-05
run rec SH-002 2026-10 2026-10-06
run "$SVA" target set --cycle 2026-10 --metric ssi --value 70
run "$SVA" cycle close 2026-10
expect_rc 0 "close 2026-10"
[ "$(stores_of 2026-10)" = "SH-001 SH-002 BJ-001 3" ] || fail "2026-10's stores: $(stores_of 2026-10)"

# ---- a store added after a closed cycle is not in it --------------------------------------------
run "$SVA" store add GZ-001 --name "Guangzhou" --region South
expect_rc 0 "store add after the close"
[ "$(stores_of 2026-10)" = "SH-001 SH-002 BJ-001 3" ] || fail "the closed 2026-10 gained a store: $(stores_of 2026-10)"
[ "$(stores_of 2026-11)" = "SH-001 SH-002 BJ-001 GZ-001 4" ] || fail "2026-11's stores: $(stores_of 2026-11)"
refused 3 "store add from a day in a closed cycle" "$SVA" store add SZ-001 --name Shenzhen --from 2026-10-15
expect_err "closed cycle '2026-10'" "the closed cycle named"
run "$SVA" store add SZ-001 --name Shenzhen --region South --from 2026-12-10
expect_rc 0 "store add --from"
[ "$(stores_of 2026-11)" = "SH-001 SH-002 BJ-001 GZ-001 4" ] || fail "2026-11 gained SZ-001: $(stores_of 2026-11)"
[ "$(stores_of 2026-12)" = "SH-001 SH-002 BJ-001 GZ-001 SZ-001 5" ] || fail "2026-12's stores: $(stores_of 2026-12)"
refused 3 "an audit before the store opens" rec SZ-001 2026-12 2026-12-05
expect_err "not active on 2026-12-05" "says why"
run rec SZ-001 2026-12 2026-12-12
expect_rc 0 "an audit after it opened"

# ---- deactivate, reactivate -------------------------------------------------------------------------
refused 3 "deactivate from a day in a closed cycle" "$SVA" store deactivate BJ-001 --from 2026-10-20
refused 2 "deactivate without --from" "$SVA" store deactivate BJ-001
run "$SVA" store deactivate BJ-001 --from 2026-12-01
expect_rc 0 "deactivate BJ-001"
refused 3 "deactivate twice" "$SVA" store deactivate BJ-001 --from 2026-12-02
expect_err "inactive on 2026-12-02 already" "says so"
[ "$(stores_of 2026-11)" = "SH-001 SH-002 BJ-001 GZ-001 4" ] || fail "2026-11 lost BJ-001: $(stores_of 2026-11)"
[ "$(stores_of 2026-12)" = "SH-001 SH-002 GZ-001 SZ-001 4" ] || fail "2026-12 still has BJ-001: $(stores_of 2026-12)"
refused 3 "an audit at an inactive store" rec BJ-001 2026-12 2026-12-03
expect_err "store 'BJ-001' is not active on 2026-12-03" "says why"
run "$SVA" store list --format csv
printf '%s\n' "$OUT" | grep -q '^BJ-001,Capital Motors,North,2026-12-01$' || fail "store list: $OUT"
run "$SVA" store reactivate BJ-001 --from 2026-12-15
expect_rc 0 "reactivate BJ-001"
run rec BJ-001 2026-12 2026-12-20
expect_rc 0 "an audit after the reactivation"
[ "$(stores_of 2026-12)" = "SH-001 SH-002 BJ-001 GZ-001 SZ-001 5" ] || fail "2026-12 after the reactivation: $(stores_of 2026-12)"

# ---- employees over time ------------------------------------------------------------------------------
printf 'id,name,store,role\nE1,Wang Fang,SH-001,Sales\nE2,Li Lei,SH-002,Sales\n' > emp.csv
run "$SVA" employee import emp.csv
run "$SVA" employee move E1 --store SH-002 --from 2026-11-15
expect_rc 0 "move E1"
refused 3 "move into a closed cycle" "$SVA" employee move E1 --store SH-001 --from 2026-10-10
refused 3 "move to an unknown store" "$SVA" employee move E1 --store SH-02 --from 2026-12-01
expect_err "did you mean 'SH-002'" "did you mean"
refused 3 "move where they work already" "$SVA" employee move E1 --store SH-002 --from 2026-12-01
run "$SVA" checklist template phone_handling -o ph.ini
phone() { # phone STORE EMPLOYEE DATE
    fill ph.ini p.ini -H store="$1" -H employee="$2" -H cycle=2026-11 -H auditor="Zhang Min" \
        -H date="$3" --rest-yesno yes --rest-num 3
    run "$SVA" record phone_handling --answers p.ini
}
phone SH-001 E1 2026-11-10
expect_rc 0 "E1 at SH-001 before the move"
phone SH-002 E1 2026-11-20
expect_rc 0 "E1 at SH-002 after the move"
phone SH-002 E1 2026-11-10
expect_rc 3 "E1 at SH-002 before the move"
expect_err "employee 'E1' works at store 'SH-001', not 'SH-002'" "the store on that day"
run "$SVA" audit list --employee E1 --format csv
[ "$(printf '%s\n' "$OUT" | awk -F, 'NR > 1 { print $5 }' | tr '\n' ' ')" = "SH-001 SH-002 " ] ||
    fail "each audit keeps the store it was recorded at: $OUT"
run "$SVA" employee deactivate E2 --from 2026-11-20
expect_rc 0 "deactivate E2"
phone SH-002 E2 2026-11-25
expect_rc 3 "E2 after leaving"
expect_err "works at no store on 2026-11-25" "says why"
phone SH-002 E2 2026-11-18
expect_rc 0 "E2 before leaving"
run "$SVA" employee list --format csv
printf '%s\n' "$OUT" > emp.list
grep -q '^E1,Wang Fang,SH-002,Sales,$' emp.list || fail "E1 at SH-002 now: $(cat emp.list)"
grep -q '^E2,Li Lei,SH-002,Sales,2026-11-20$' emp.list || fail "E2 inactive from 2026-11-20: $(cat emp.list)"
run "$SVA" employee list --store SH-001 --format csv
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "nobody at SH-001 now: $OUT"
run "$SVA" log --format csv
for w in "store add" "store deactivate" "store reactivate" "employee move" "employee deactivate"; do
    printf '%s\n' "$OUT" | grep -q ",$w," || fail "the log has no '$w'"
done

# ---- targets: copy, unset ------------------------------------------------------------------------------
run "$SVA" target set --cycle 2026-11 --metric ssi --value 80
run "$SVA" target set --cycle 2026-11 --region East --metric ssi --value 82
run "$SVA" target set --cycle 2026-12 --metric ssi --value 85
run "$SVA" target copy --from 2026-11 --to 2026-12
expect_rc 0 "target copy"
expect_out "1 copied from 2026-11 to 2026-12; 1 set there already, kept" "the copy"
run "$SVA" target list --cycle 2026-12 --format csv
[ "$(printf '%s\n' "$OUT" | sed 1d | tr '\n' ' ')" = "2026-12,network,,ssi,85.0 2026-12,region,East,ssi,82.0 " ] ||
    fail "2026-12's targets: $OUT"
run "$SVA" target unset --cycle 2026-12 --region East --metric ssi
expect_rc 0 "target unset"
run "$SVA" target list --cycle 2026-12 --format csv
[ "$(printf '%s\n' "$OUT" | sed 1d | tr '\n' ' ')" = "2026-12,network,,ssi,85.0 " ] || fail "after unset: $OUT"
refused 3 "unset what is not set" "$SVA" target unset --cycle 2026-12 --region East --metric ssi
refused 3 "copy into a closed cycle" "$SVA" target copy --from 2026-11 --to 2026-10
expect_err "closed" "says so"
refused 3 "unset in a closed cycle" "$SVA" target unset --cycle 2026-10 --metric ssi
refused 3 "copy from an unknown cycle" "$SVA" target copy --from 2026-13 --to 2026-12
expect_err "did you mean" "did you mean"

# ---- cycle delete ----------------------------------------------------------------------------------
run "$SVA" cycle open 2027-01 --from 2027-01-01 --to 2027-01-31
run "$SVA" cycle delete 2027-01
expect_rc 0 "delete an empty cycle"
run "$SVA" cycle list --format csv
printf '%s\n' "$OUT" | grep -q '^2027-01,' && fail "2027-01 is still listed"
refused 3 "delete a cycle with audits" "$SVA" cycle delete 2026-11
expect_err "holds" "says what it holds"
run "$SVA" cycle open 2027-02 --from 2027-02-01 --to 2027-02-28
run "$SVA" target set --cycle 2027-02 --metric ssi --value 80
refused 3 "delete a cycle with a target" "$SVA" cycle delete 2027-02
refused 3 "delete an unknown cycle" "$SVA" cycle delete 2027-03
run "$SVA" log --cycle 2027-01 --format csv
printf '%s\n' "$OUT" | grep -q ',cycle delete,cycle 2027-01,' || fail "the delete is logged: $OUT"

# ---- the default cycle is the latest with audits: 2027-02 (a target, no audit) says nothing yet -----
run "$SVA" report employee E1 -o e1.pdf --employees full
expect_rc 0 "report employee"
if command -v pdftotext > /dev/null 2>&1; then
    pdftotext e1.pdf - | grep -q "cycles 2026-10 to 2026-12" ||
        fail "the report's window ends with the latest cycle with audits: $(pdftotext e1.pdf - | head -5)"
fi

# ---- an unknown name in a filter: an error with the closest names -----------------------------------
for c in "action list --store SH-01" "employee list --store SH-01" "target list --cycle 2026-1" \
    "cycle status 2026-11 --store SH-01" "audit list --cycle 2026-1" "audit list --employee E3" \
    "trend --store SH-01" "export --cycle 2026-1 -o x.xlsx" "log --cycle 2026-1" \
    "owner list --store SH-01" "employee ratings --cycle 2026-11 --region Eas" \
    "plan status --cycle 2026-12 --store SH-01" "plan list --cycle 2026-1" \
    "plan set --cycle 2026-12 --checklist pdca_mini --store SH-01 --times 1"; do
    # shellcheck disable=SC2086 # word splitting wanted
    refused 3 "$c" "$SVA" $c
    expect_err "did you mean" "$c"
done
done_testing

#!/bin/sh
# svcaudit e2e: batch recording (issue 18). Sheets made from a plan
# (checklist template --from-plan), filled in by a script and recorded with
# one 'record --answers DIR/': all or nothing. One bad sheet among sixty:
# nothing recorded, every problem of it reported at its lines, the database
# unchanged; fixed, all sixty recorded in one go and the plan covered; run
# again, every one skipped as recorded already; a copy inside the batch is
# skipped too; FILE FILE... works like a folder; the batch's usage errors.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_CHECKLISTS="$FIX/plan/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-10-30
dump() { db_dump; }

run "$SVA" init
printf 'id,name,region\nS1,One,East\nS2,Two,East\n' > stores.csv
run "$SVA" store import stores.csv
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" plan set --cycle 2026-11 --checklist plan_store --region East --every day --auditor Zhang
expect_rc 0 "plan set"

# ---- sixty sheets from the plan (two stores, thirty days), filled by a script ----
mkdir sheets
run "$SVA" checklist template --from-plan --cycle 2026-11 --auditor Zhang -o sheets
expect_rc 0 "template --from-plan"
expect_out "60 sheets written to sheets/"
[ "$(ls sheets | wc -l)" = 60 ] || fail "sixty files: $(ls sheets | wc -l)"
for f in sheets/*.ini; do
    sed -i 's/^answer *=.*/answer = yes/' "$f"
done
sed -i 's/^answer = yes/answer = no/' sheets/plan_store-S2-2026-11-07.ini
# the visits are done: recorded after the cycle (an audit is never dated after today)
export SVCAUDIT_TODAY=2026-12-01

# ---- one bad sheet: nothing recorded, each of its problems at its line ----
bad=sheets/plan_store-S1-2026-11-15.ini
cp "$bad" good.keep
sed -i 's/^store *=.*/store = S9/; 0,/^answer = yes/s//answer = maybe/' "$bad"
store_line=$(grep -n '^store' "$bad" | cut -d: -f1)
maybe_line=$(grep -n '^answer = maybe' "$bad" | cut -d: -f1)
dump > before.dump
run "$SVA" record --answers sheets/
expect_rc 3 "a batch with a bad sheet"
expect_err "$bad:$store_line: unknown store 'S9'"
expect_err "$bad:$maybe_line: .*'maybe' is not an allowed answer"
expect_err "nothing recorded: 1 of 60 sheets refused"
[ -z "$OUT" ] || fail "a refused batch says what it recorded: $OUT"
dump > after.dump
cmp -s before.dump after.dump || fail "a refused batch changed the database"
[ "$(dbq 'SELECT count(*) FROM audit')" = 0 ] || fail "audits recorded from a refused batch"

# ---- fixed: all sixty in one transaction ----
cp good.keep "$bad"
run "$SVA" record --answers sheets/
expect_rc 0 "the batch"
expect_out "60 sheets: 60 recorded, 0 already there (skipped), 0 refused"
expect_out "sheets/plan_store-S2-2026-11-07.ini: audit [0-9]*, 0.0 %"
[ "$(dbq 'SELECT count(*) FROM audit')" = 60 ] || fail "sixty audits"
[ "$(dbq "SELECT count(DISTINCT audit_date || store_id) FROM audit")" = 60 ] ||
    fail "one audit per store and day"
export SVCAUDIT_TODAY=2026-12-01
run "$SVA" plan status --cycle 2026-11
expect_out "60 of 60 planned audits done (0 late), 0 due, 0 missed"

# ---- again: every sheet recorded already, skipped; a copy inside the batch too ----
cp sheets/plan_store-S1-2026-11-01.ini sheets/zz-copy.ini
run "$SVA" record --answers sheets
expect_rc 0 "the batch again"
expect_out "61 sheets: 0 recorded, 61 already there (skipped), 0 refused"
expect_out "skipped sheets/zz-copy.ini: this audit is recorded already as audit"
[ "$(dbq 'SELECT count(*) FROM audit')" = 60 ] || fail "nothing added by a re-run"

# ---- FILE FILE...: the same, with the checklist first; --duplicate records anyway ----
run "$SVA" record plan_store --answers sheets/plan_store-S1-2026-11-01.ini \
    sheets/plan_store-S1-2026-11-02.ini --duplicate
expect_rc 0 "two files"
expect_out "2 sheets: 2 recorded, 0 already there (skipped), 0 refused"
[ "$(dbq 'SELECT count(*) FROM audit')" = 62 ] || fail "--duplicate in a batch"
# a sheet for another checklist than the one named is refused, nothing recorded
run "$SVA" record plan_person --answers sheets/plan_store-S1-2026-11-03.ini sheets/zz-copy.ini
expect_rc 3 "another checklist"
[ "$(dbq 'SELECT count(*) FROM audit')" = 62 ] || fail "a refused batch recorded"

# ---- usage: a message naming the problem, exit 2, nothing changed ----
dump > before.dump
run "$SVA" record --answers sheets/ --actions
expect_rc 2 "batch --actions"
expect_err "--actions goes with one sheet at a time"
run "$SVA" record plan_store plan_person --answers sheets/a.ini sheets/b.ini
expect_rc 2 "two checklists"
run "$SVA" record --answers sheets/plan_store-S1-2026-11-01.ini -
expect_rc 2 "stdin in a batch"
mkdir empty
run "$SVA" record --answers empty/
expect_rc 3 "an empty folder"
expect_err "no sheets (\*.ini, \*.csv) in the folder 'empty/'"
dump > after.dump
cmp -s before.dump after.dump || fail "a refused batch changed the database"

done_testing

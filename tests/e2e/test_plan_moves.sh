#!/bin/sh
# svcaudit e2e: plans follow master data over time (issues 18 and 13). An
# employee moved to another store mid-cycle is planned at each store for the
# days worked there; a store deactivated mid-cycle is planned only while open;
# a store opened mid-cycle only from its first day. Counts worked out by hand
# below; the weeks of November 2026 are 1-8, 9-15, 16-22, 23-30 and "today"
# is Wednesday the 18th.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_CHECKLISTS="$FIX/plan/checklists:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-18

run "$SVA" init
printf 'id,name,region\nS1,One,East\nS2,Two,East\n' > stores.csv
printf 'id,name,store,role\nE1,Ann,S1,sales\nE2,Bob,S1,sales\nE3,Cy,S2,sales\n' > emp.csv
run "$SVA" store import stores.csv
run "$SVA" employee import emp.csv
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
run "$SVA" plan set --cycle 2026-11 --checklist plan_person --all-stores --per-employee \
    --every week --auditor Zhang
run "$SVA" plan set --cycle 2026-11 --checklist plan_store --all-stores --every week \
    --auditor Zhang
expect_rc 0 "plans"

# before any move: 3 employees x 4 weeks + 2 stores x 4 weeks
run "$SVA" plan status --cycle 2026-11
expect_rc 0 "status before"
expect_out "0 of 20 planned audits done (0 late), 10 due, 10 missed" "before the moves"

# E2 moves to S2 on Thursday the 12th; S1 closes from the 19th; E3 leaves
# S2 on the 23rd (deactivated: works at no store).
run "$SVA" employee move E2 --store S2 --from 2026-11-12
expect_rc 0 "move"
run "$SVA" store deactivate S1 --from 2026-11-19
expect_rc 0 "deactivate"
run "$SVA" employee deactivate E3 --from 2026-11-23
expect_rc 0 "employee deactivate"
run "$SVA" plan status --cycle 2026-11 --format csv
expect_rc 0 "status csv"
# store,employee,checklist -> planned,due,missed (done and late 0):
#   S1 E1: open 1-18: weeks 1-8, 9-15 (missed), 16-18 (due)         3 1 2
#   S1 E2: there 1-11: weeks 1-8, 9-11 (both missed)                2 0 2
#   S1 store: open 1-18                                              3 1 2
#   S2 E2: from 12: 12-15 (missed), 16-22, 23-30 (due)              3 2 1
#   S2 E3: until 22: 1-8, 9-15 (missed), 16-22 (due)                 3 1 2
#   S2 store: all month                                              4 2 2
printf '%s\n' "$OUT" | cut -d, -f1,3,4,7,10,11 > got.csv
cat > want.csv <<'EOF'
store,employee,checklist,planned,due,missed
S1,E1,plan_person,3,1,2
S1,E2,plan_person,2,0,2
S1,,plan_store,3,1,2
S2,E2,plan_person,3,2,1
S2,E3,plan_person,3,1,2
S2,,plan_store,4,2,2
EOF
cmp -s got.csv want.csv || fail "coverage over moves: $(diff want.csv got.csv)"
# the periods are cut at the move and the closing
run "$SVA" plan status --cycle 2026-11
expect_out "S1 E2  plan_person  2026-11-01..2026-11-11  2 of 2" "E2's stay at S1"
expect_out "S2 E2  plan_person  2026-11-12..2026-11-15  1 of 1" "E2's first days at S2"
expect_out "18 planned" "total"

# a store opened mid-cycle (store add --from) is planned from that day on
run "$SVA" store add S3 --name Three --region West --from 2026-11-20
expect_rc 0 "store opened on the 20th"
run "$SVA" plan status --cycle 2026-11 --store S3 --format csv
expect_rc 0 "status S3"
# weeks 20-22 and 23-30, both still due on the 18th
printf '%s\n' "$OUT" | grep '^S3,' | cut -d, -f1,3,4,7,10,11 > got.csv
printf 'S3,,plan_store,2,2,0\n' > want.csv
cmp -s got.csv want.csv || fail "store opened on the 20th: $(diff want.csv got.csv)"
run "$SVA" plan due --auditor Zhang --until 2026-11-30
expect_rc 0 "plan due"
expect_out "S3" "the new store's visits are due"

done_testing

#!/bin/sh
# svcaudit: `make bench`. Figures are ratios against baselines measured in the
# same run (machines here are shared and noisy; no absolute limits).
# BENCH_ITEMS sets the number of item results recorded (default 1000000).
set -e
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
build/bench/bench_record checklists/sales_mystery_shop.ini "${BENCH_ITEMS:-1000000}" "$work" || status=1
echo
# answer sheets through the real binary: BENCH_SHEETS in one 'record --answers
# DIR/' against a bare SQLite loop, and BENCH_SINGLE sheets one process each
# against a sqlite3 process each doing the same inserts
build/bench/bench_batch checklists/sales_mystery_shop.ini ./svcaudit "${BENCH_SHEETS:-2000}" \
    "${BENCH_SINGLE:-100}" "${BENCH_REPS:-3}" "$work" || status=1
echo
# the export at two data sizes (peak memory must not grow with the rows),
# 1,000 stores and 20,000 employees; BENCH_EXPORT_ITEMS and BENCH_REPS to change
build/bench/bench_export checklists/sales_mystery_shop.ini \
    "${BENCH_EXPORT_ITEMS:-250000,1000000}" 1000 20 "${BENCH_REPS:-3}" "$work" || status=1
echo
# the PDF audit reports of the demo (its 336 audits) against cairo alone
SVCAUDIT_DEMO_DIR="$work/demo" GEN_DEMO=build/tools/gen_demo MAKELEVEL=1 \
    sh scripts/demo.sh > "$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }
build/bench/bench_report "$work/demo/svcaudit.db" checklists "${BENCH_REPS:-3}" "$work" || status=1
echo
# QA over history: BENCH_HISTORY_CYCLES cycles (default 10) of BENCH_HISTORY_ITEMS
# answered items each (default 1000000: 10^7 in all), the reads' latencies and
# the last cycle's export against a one-cycle database
build/bench/bench_history checklists/sales_mystery_shop.ini "${BENCH_HISTORY_CYCLES:-10}" \
    "${BENCH_HISTORY_ITEMS:-1000000}" 1000 20 "${BENCH_REPS:-3}" "$work" || status=1
echo
# merge: a laptop of BENCH_MERGE_LAPTOP item results (default 100000) into an office of
# BENCH_MERGE_OFFICE (default 1000000), checked and scored again, against a bare copy loop
build/bench/bench_merge checklists/sales_mystery_shop.ini "${BENCH_MERGE_OFFICE:-1000000}" \
    "${BENCH_MERGE_LAPTOP:-100000}" "${BENCH_REPS:-3}" "$work" || status=1
# PostgreSQL against SQLite (issue 15): recording BENCH_PG_ITEMS item results (default
# 1000000), the export of a cycle of as many answered items, and the merge of a laptop of
# 100000 into an office of as many, on a throwaway server with PostgreSQL's durable
# defaults (SVA_PG_DURABLE), best of BENCH_REPS
SVA_PG_DURABLE=1 sh scripts/with_pg.sh sh -c 'build/bench/bench_pg checklists/sales_mystery_shop.ini \
    "$1" "$2" "$3" "$SVA_TEST_PG"' bench "${BENCH_PG_ITEMS:-1000000}" "${BENCH_REPS:-3}" "$work" ||
    status=1
exit $status

#!/bin/sh
# svcaudit: `make bench`. Figures are ratios against baselines measured in the
# same run (machines here are shared and noisy; no absolute limits).
# BENCH_ITEMS sets the number of item results (default 1000000).
set -e
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
build/bench/bench_record checklists/sales_mystery_shop.ini "${BENCH_ITEMS:-1000000}" "$work" || status=1
exit $status

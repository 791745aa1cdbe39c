# svcaudit end-to-end test helpers; sourced by tests/e2e/test_*.sh, which run
# in an empty temporary folder ($WORK) with $ROOT the source tree.
set -u
SVA="${SVA_BIN:-$ROOT/svcaudit}"
export SVCAUDIT_CHECKLISTS="$ROOT/checklists"
unset SVCAUDIT_DB
unset SVCAUDIT_USER
FIX="$ROOT/tests/fixtures"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run CMD...: run, keep stdout in $OUT, stderr in $ERR, status in $RC
run() { "$@" > out.txt 2> err.txt; RC=$?; OUT=$(cat out.txt); ERR=$(cat err.txt); }
expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit $1, got $RC: ${2:-} stderr: $ERR"; }
expect_out() { printf '%s' "$OUT" | grep -q -- "$1" || fail "stdout lacks '$1': ${2:-}"; }
expect_err() { printf '%s' "$ERR" | grep -q -- "$1" || fail "stderr lacks '$1': ${2:-} (stderr: $ERR)"; }
expect_no_out() { printf '%s' "$OUT" | grep -q -- "$1" && fail "stdout has '$1': ${2:-}"; true; }
# The Debian python (with python3-openpyxl), not a pyenv one.
PY=/usr/bin/python3
# fill ARGS...: fill an answer sheet (tests/fixtures/record/fill_sheet.py)
fill() { "$PY" "$FIX/record/fill_sheet.py" "$@" || fail "fill_sheet.py $*"; }
# export_org: a new database with the stores and employees of tests/fixtures/export
export_org() {
    run "$SVA" init
    expect_rc 0 "init"
    run "$SVA" store import "$FIX/export/stores.csv"
    expect_rc 0 "store import"
    run "$SVA" employee import "$FIX/export/employees.csv"
    expect_rc 0 "employee import"
}
done_testing() { [ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }; echo "all checks passed"; }

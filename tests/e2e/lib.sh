# svcaudit end-to-end test helpers; sourced by tests/e2e/test_*.sh, which run
# in an empty temporary folder ($WORK) with $ROOT the source tree.
set -u
SVA="${SVA_BIN:-$ROOT/svcaudit}"
export SVCAUDIT_CHECKLISTS="$ROOT/checklists"
unset SVCAUDIT_DB
# The store a test runs against: ./svcaudit.db (SQLite), or in make check's
# PostgreSQL pass (tests/e2e/run.sh --pg) a schema of its own on the throwaway
# server (scripts/with_pg.sh): SVA_PG_URL names it, SVA_PG_SCHEMA is its name,
# and it is the default database (SVCAUDIT_DB).
if [ -n "${SVA_PG_URL:-}" ]; then
    export SVCAUDIT_DB="$SVA_PG_URL"
fi
on_pg() { [ -n "${SVA_PG_URL:-}" ]; }
# dbq SQL: run SQL on the test's default database; rows as a|b (sqlite3's and psql -At's way),
# an error in one line (as sqlite3 gives it)
dbq() {
    if on_pg; then
        psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=terse "$SVA_TEST_PG" -c "SET search_path TO $SVA_PG_SCHEMA" \
            -c "$1"
    else
        sqlite3 svcaudit.db "$1"
    fi
}
# DBNAME: the default database as svcaudit names it in messages
DBNAME="${SVA_PG_URL:-svcaudit.db}"
# db_version: the schema version the default database records
db_version() {
    if on_pg; then
        dbq "SELECT value FROM meta WHERE key = 'schema_version'"
    else
        sqlite3 svcaudit.db 'PRAGMA user_version'
    fi
}
# db_hex EXPR: SQL for EXPR (a blob) in upper-case hexadecimal, in the engine's words
db_hex() {
    if on_pg; then echo "upper(encode($1, 'hex'))"; else echo "hex($1)"; fi
}
# db_dump: the test's default database as text, to compare before and after
db_dump() {
    if on_pg; then
        # (newer pg_dumps fence their output with a random \restrict key)
        pg_dump --no-owner --inserts -n "$SVA_PG_SCHEMA" "$SVA_TEST_PG" |
            grep -v -e '^.restrict ' -e '^.unrestrict '
    else
        sqlite3 svcaudit.db .dump
    fi
}
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

#!/bin/sh
# svcaudit end-to-end tests: runs every tests/e2e/test_*.sh against the built
# ./svcaudit, each in its own temporary folder. Exit 1 if any failed.
#
# With --pg (make check, beside scripts/with_pg.sh's server: SVA_TEST_PG), the
# tests that matter for the store run again with a PostgreSQL schema of their
# own as the default database (lib.sh: SVA_PG_URL, on_pg, dbq, db_dump).
# Names after the options (golden, concurrent, ...) run only those tests.
# usage: tests/e2e/run.sh [--pg] [NAME...]
cd "$(dirname "$0")/../.." || exit 3
ROOT=$(pwd)
export ROOT
tests=$(ls tests/e2e/test_*.sh)
pg=""
if [ "${1:-}" = "--pg" ]; then
    if [ -z "${SVA_TEST_PG:-}" ]; then
        echo "e2e --pg: SVA_TEST_PG is not set (scripts/with_pg.sh starts a server and sets it)"
        exit 3
    fi
    pg="pg "
    shift
    set -- ${*:-golden record record_actions pdca org plan batch batch_days report trend concurrent crash pg \
        appeal amend carry closed drift log masterdata reads sync sync_record merge_hostile \
        merge_rows plan_moves event_guard}
fi
if [ $# -gt 0 ]; then
    tests=""
    for n in "$@"; do
        tests="$tests tests/e2e/test_${n#test_}.sh"
    done
fi
pass=0; fail=0; failed=""
for t in $tests; do
    name=$(basename "$t" .sh)
    work=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-e2e.XXXXXX")
    if [ -n "$pg" ]; then
        SVA_PG_SCHEMA="e2e_${name#test_}_$$"
        SVA_PG_URL="$SVA_TEST_PG&schema=$SVA_PG_SCHEMA"
        export SVA_PG_SCHEMA SVA_PG_URL
    fi
    if (cd "$work" && WORK="$work" sh "$ROOT/$t") > "$work.log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $pg$name"
    else
        fail=$((fail + 1)); failed="$failed $pg$name"; echo "FAIL $pg$name"; sed 's/^/     /' "$work.log" | tail -40
    fi
    rm -rf "$work" "$work.log"
done
echo "e2e: ${pg:+PostgreSQL: }$pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }

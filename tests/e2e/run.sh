#!/bin/sh
# svcaudit end-to-end tests: runs every tests/e2e/test_*.sh against the built
# ./svcaudit, each in its own temporary folder. Exit 1 if any failed.
cd "$(dirname "$0")/../.." || exit 3
ROOT=$(pwd)
export ROOT
pass=0; fail=0; failed=""
for t in tests/e2e/test_*.sh; do
    name=$(basename "$t" .sh)
    work=$(mktemp -d "${TMPDIR:-/tmp}/svcaudit-e2e.XXXXXX")
    if (cd "$work" && WORK="$work" sh "$ROOT/$t") > "$work.log" 2>&1; then
        pass=$((pass + 1)); echo "ok   $name"
    else
        fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name"; sed 's/^/     /' "$work.log" | tail -40
    fi
    rm -rf "$work" "$work.log"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }

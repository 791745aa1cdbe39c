#!/bin/sh
# svcaudit e2e: the demo's story shows in its QA (tools/gen_demo: Tianjin
# Binhai declines in the last cycle, Foshan Chancheng improves, every other
# store only drifts). In the last cycle's status, whose changes are tested as
# one family per metric at a 5 % false discovery rate: TJ-001's 6S is declined
# and FS-001's improved, and no other store, no region and not the network has
# a change called; the demo's own output says so. The cycle before calls none.
# The golden outputs hold the same figures; this says which of them is the
# story, so a change to the data or the statistics that loses it fails here
# by name, not only as a golden difference.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_TODAY=2026-11-28
DB="$WORK/demo/svcaudit.db"
SVCAUDIT_DEMO_DIR="$WORK/demo" SVCAUDIT_DEMO_DB="$DB" GEN_DEMO="$GEN_DEMO" SVA_BIN="$SVA" \
    sh "$ROOT/scripts/demo.sh" > demo.out 2>&1 || { cat demo.out; fail "the demo failed"; done_testing; }

# called CYCLE: "scope id metric change" of every row whose change is called
called() {
    "$SVA" --db "$DB" cycle status "$1" --format csv 2> status.err | awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["change"] == "improved" || $col["change"] == "declined" {
            print $col["scope"], $col["id"], $col["metric"], $col["change"] }'
}
called 2026-11 > called.txt
grep -qx "store TJ-001 6s declined" called.txt ||
    fail "TJ-001's 6S decline is not called in 2026-11: $(cat called.txt)"
grep -qx "store FS-001 6s improved" called.txt ||
    fail "FS-001's 6S rise is not called in 2026-11: $(cat called.txt)"
others=$(grep -v -e '^store TJ-001 ' -e '^store FS-001 ' called.txt)
[ -z "$others" ] || fail "changes called outside the story in 2026-11: $others"
grep -q -e '^store FS-001 .* declined$' -e '^store TJ-001 .* improved$' called.txt &&
    fail "the story's stores move the wrong way: $(cat called.txt)"

# the cycle before: every store's 6S now has walks to test, and none is called
called 2026-10 > called-10.txt
[ -s called-10.txt ] && fail "changes called in 2026-10, where the story has none: $(cat called-10.txt)"
"$SVA" --db "$DB" cycle status 2026-10 --format csv 2> /dev/null | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["scope"] == "store" && $col["metric"] == "6s" && $col["change"] == "insufficient n"' \
    > untested.txt
[ -s untested.txt ] && fail "a store's 6S change in 2026-10 is not tested: $(cat untested.txt)"

# the demo prints it
grep -q "^changes since 2026-10 that QA calls real" demo.out || fail "the demo does not print QA's changes"
grep -q "^  store    TJ-001 Tianjin Binhai     6s   actual .* declined" demo.out ||
    fail "the demo's output does not show TJ-001's decline: $(grep -A5 'QA calls real' demo.out)"
grep -q "^  store    FS-001 Foshan Chancheng   6s   actual .* improved" demo.out ||
    fail "the demo's output does not show FS-001's rise: $(grep -A5 'QA calls real' demo.out)"
done_testing

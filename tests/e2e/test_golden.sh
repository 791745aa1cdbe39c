# svcaudit e2e: the golden outputs (tests/golden/run.sh): every listing and
# reporting command and the workbooks on the demo database are byte for byte
# what tests/golden/out/ holds.
. "$ROOT/tests/e2e/lib.sh"
if [ -n "${SVA_SKIP_SLOW:-}" ]; then
    echo "skipped (SVA_SKIP_SLOW)"
    exit 0
fi
run sh "$ROOT/tests/golden/run.sh"
expect_rc 0 "golden outputs: $OUT"
expect_out "outputs identical"
done_testing

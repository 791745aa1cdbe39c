# svcaudit e2e: the golden outputs (tests/golden/run.sh): every listing and
# reporting command and the workbooks on the demo database are byte for byte
# what tests/golden/out/ holds. In the PostgreSQL pass the demo is built in
# PostgreSQL and must give the same files.
. "$ROOT/tests/e2e/lib.sh"
if [ -n "${SVA_SKIP_SLOW:-}" ]; then
    echo "skipped (SVA_SKIP_SLOW)"
    exit 0
fi
if on_pg; then
    run sh "$ROOT/tests/golden/run.sh" --db "$SVA_PG_URL"
else
    run sh "$ROOT/tests/golden/run.sh"
fi
expect_rc 0 "golden outputs: $OUT"
expect_out "outputs identical"
done_testing

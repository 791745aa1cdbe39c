#!/bin/sh
# svcaudit e2e: reads never write (issue 13). On the demo database, every
# listing, status, trend, QA, export (every mode), log and show command runs,
# each in every format; the database file's bytes and its `.dump` are the
# same afterwards, and so is what `cycle status` says however often it runs.
# In the PostgreSQL pass the demo is built in the test's schema and its dump
# (pg_dump) compared.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_TODAY=2026-11-28
if on_pg; then
    DB=$SVA_PG_URL
    sum() { db_dump | sha256sum | cut -d ' ' -f 1; }
    dump() { db_dump; }
else
    DB="$WORK/demo/svcaudit.db"
    sum() { sha256sum "$DB" | cut -d ' ' -f 1; }
    dump() { sqlite3 "$DB" .dump; }
fi
SVCAUDIT_DEMO_DIR="$WORK/demo" SVCAUDIT_DEMO_DB="$DB" GEN_DEMO="$GEN_DEMO" SVA_BIN="$SVA" \
    sh "$ROOT/scripts/demo.sh" > demo.out 2>&1 || { cat demo.out; fail "the demo failed"; done_testing; }
[ -f "$DB-wal" ] && fail "the demo left a WAL file: its writes are not all in the file"
before=$(sum)
dump > before.dump
[ "$(sum)" = "$before" ] || fail "the dump itself changed the database"

n=0
# r ARGS...: a read command on the demo database; it must succeed (exit 0 or 1)
r() {
    "$SVA" --db "$DB" "$@" > r.out 2> r.err
    rc=$?
    [ "$rc" -le 1 ] || fail "svcaudit $* exited $rc: $(head -c 300 r.err)"
    n=$((n + 1))
}
cycles="2026-09 2026-10 2026-11"
for f in table csv json; do
    r store list --format $f
    r employee list --format $f
    r employee list --store TJ-001 --format $f
    r cycle list --format $f
    r audit list --format $f
    r audit list --all --format $f
    r audit list --cycle 2026-11 --region East --checklist 6s_store --format $f
    r action list --format $f
    r action list --overdue --format $f
    r action list --cycle 2026-10 --store HZ-001 --format $f
    r auditors --format $f
    r log --format $f
    r log --since 2026-01-01 --format $f
    for c in $cycles; do
        r cycle status $c --format $f
        r cycle status $c --region East --format $f
        r cycle status $c --metric ssi --fail-on-missed --format $f
        r target list --cycle $c --format $f
        r log --cycle $c --format $f
        r repeats --cycle $c --format $f
        r auditors --cycle $c --format $f
        r plan list --cycle $c --format $f
        r plan status --cycle $c --format $f
        r plan due --cycle $c --format $f
        r employee ratings --cycle $c --format $f
    done
    r owner list --format $f
    for c in 2026-10 2026-11; do # the first cycle has none before it to compare with
        r trend items --cycle $c --format $f
        r trend items --cycle $c --all --store TJ-001 --format $f
    done
    for m in ssi csi 6s phone_handling; do
        r trend --metric $m --format $f
        r trend --metric $m --region North --format $f
        r trend --metric $m --store TJ-001 --cycles 2 --format $f
    done
done
for a in 1 17 228; do
    r audit show $a
    r audit show $a --format json --lang zh
    r audit show $a --history
    r audit show $a --history --format json
    r audit sheet $a -o "$WORK/sheet-$a.ini"
    r audit sheet $a -o "$WORK/sheet-$a.csv" --lang zh
done
r report audit 17 -o "$WORK/a17.pdf"
mkdir -p "$WORK/pdf"
r report audits --cycle 2026-11 --store TJ-001 -o "$WORK/pdf"
r report employee SH-001-E01 -o "$WORK/e.pdf" --cycle 2026-11
r report store TJ-001 --cycle 2026-10 -o "$WORK/s.pdf" --employees none
for a in 1 5 40; do
    r action show $a
    r action show $a --format json
done
for c in $cycles; do
    for m in full pseudonymous none; do
        r export --cycle $c -o "$WORK/x-$c-$m.xlsx" --employees $m --data
    done
    r export --cycle $c -o "$WORK/x-$c-east.xlsx" --region East --lang zh --trend-cycles 2
done
[ "$(sum)" = "$before" ] || fail "a read command changed the database file ($n commands)"
dump > after.dump
cmp -s before.dump after.dump || fail "a read command changed the database: $(diff before.dump after.dump | head -5)"
[ "$n" -gt 150 ] || fail "only $n read commands ran"

# the status is the same whatever ran before it: run it twice, in a fresh copy too
if on_pg; then
    "$SVA" copy --from "$DB" --to fresh.db > /dev/null || fail "copy the demo into fresh.db"
else
    cp "$DB" fresh.db
fi
"$SVA" --db fresh.db cycle status 2026-11 --format json > s1.json
"$SVA" --db "$DB" cycle status 2026-11 --format json > s2.json
"$SVA" --db "$DB" cycle status 2026-11 --format json > s3.json
cmp -s s1.json s2.json && cmp -s s2.json s3.json || fail "cycle status depends on what ran before"
done_testing

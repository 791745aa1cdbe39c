#!/bin/sh
# svcaudit e2e: a checklist is what its hash says (issue 13). A checklist
# edited without bumping its version is refused when recording ("checklist
# 'x' version 1 differs from the version 1 already used by N audits: bump its
# version"), also before a walk's first question, and nothing is written;
# `checklist lint --db` reports the same, and the texts an older svcaudit let
# through; bumping the version records again.
. "$ROOT/tests/e2e/lib.sh"
P="$FIX/pdca"
mkdir cl
cp "$P/checklists/pdca_mini.ini" cl/
export SVCAUDIT_CHECKLISTS="$WORK/cl:$ROOT/checklists"
export SVCAUDIT_TODAY=2026-11-20
DB=$DBNAME
dump() { db_dump; }
sheet() {
    printf '[audit]\nchecklist = pdca_mini\nversion = %s\n[item.front.greet]\nanswer = yes\n[item.front.tidy]\nanswer = no\n[item.back.clean]\nanswer = yes\n[item.back.exit]\nanswer = yes\n' "$1" > sheet.ini
}
rec() { run "$SVA" record pdca_mini --cycle 2026-11 --store "$1" --auditor "Zhang Min" \
    --date 2026-11-05 --answers sheet.ini; }
run "$SVA" init
run "$SVA" store import "$P/stores.csv"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
sheet 1
rec SH-001
expect_rc 0 "record with version 1"
rec SH-002
expect_rc 0 "record with version 1 again"

# the text changes (an item's weight), the version does not
awk '{ print } /^\[item.front.greet\]/ { print "weight = 3" }' "$P/checklists/pdca_mini.ini" > cl/pdca_mini.ini
dump > before.dump
rec BJ-001
expect_rc 3 "record with an edited version 1"
expect_err "checklist 'pdca_mini' version 1 differs from the version 1 already used by 2 audits: bump its version" \
    "the message"
expect_err "pdca_mini.ini" "the file named"
dump > after.dump
cmp -s before.dump after.dump || fail "the refused record changed the database"
# a walk is refused before its first question
run "$SVA" record pdca_mini --walk --cycle 2026-11 --store BJ-001 --auditor "Zhang Min" \
    --date 2026-11-05 < /dev/null
expect_rc 3 "walk with an edited version 1"
expect_err "bump its version" "the walk says so at once"
expect_no_out "front.greet" "no question was asked"
dump > after.dump
cmp -s before.dump after.dump || fail "the refused walk changed the database"

# lint: the format is fine; against the database it is not
run env -u SVCAUDIT_DB "$SVA" checklist lint cl/pdca_mini.ini
expect_rc 0 "lint without a database"
run "$SVA" --db "$DB" checklist lint cl/pdca_mini.ini
expect_rc 1 "lint --db"
expect_err "cl/pdca_mini.ini: checklist 'pdca_mini' version 1 differs from the version 1 already used by 2 audits" \
    "lint names the file"
run "$SVA" checklist lint cl/pdca_mini.ini --db "$DB"
expect_rc 1 "lint FILE --db"

# bumped: recorded, and lint is content
sed -i 's/^version *= *1/version = 2/' cl/pdca_mini.ini
sheet 2
rec BJ-001
expect_rc 0 "record with version 2"
run "$SVA" --db "$DB" checklist lint cl/pdca_mini.ini "$P/checklists/pdca_mini.ini"
expect_rc 0 "lint --db of versions 1 and 2"

# an older svcaudit let two texts of version 1 in: lint --db says so
if on_pg; then blank="source || '\\x20'::bytea"; else blank="CAST(source || ' ' AS BLOB)"; fi
dbq "INSERT INTO checklist_version(hash, checklist_id, version, source, stored_at)
    SELECT 'feed' || substr(hash, 5), checklist_id,
    version, $blank, stored_at FROM checklist_version WHERE version = 1;
    UPDATE audit SET checklist_hash = (SELECT hash FROM checklist_version WHERE hash LIKE 'feed%')
    WHERE id = 2" || fail "planting a second text"
run "$SVA" --db "$DB" checklist lint "$P/checklists/pdca_mini.ini"
expect_rc 1 "lint --db finds the two texts"
expect_err "checklist 'pdca_mini' version 1 has 2 different texts among its 2 audits" "the drift named"
done_testing

#!/bin/sh
# svcaudit e2e: `svcaudit merge` of crafted files (issue 14, "trust nothing").
# A valid laptop database is made here (two stores' worth of organisation, a
# cycle of its own, three audits); each case in tests/bad/merge/*.sql is SQL
# run on a copy of it ('-- reopen' lines start a new sqlite3 session, so a
# schema edited with writable_schema takes effect; sqlite3's dot commands
# work). Every case must be refused: exit 3, exactly one line on stderr that
# names the file and holds the case's '-- want:' text, the office database
# unchanged (dump and integrity_check), the file unchanged, no -wal or -shm
# left beside it, no crash (status < 128), within a timeout. Then the cases
# that are not SQL: changes still in a -wal file, a folder that cannot be
# written (the file merges), and the laptop itself (it merges: the cases
# fail for what they change, not for the laptop). In the PostgreSQL pass the
# office is the test's PostgreSQL schema (the laptop stays an SQLite file):
# the same refusals, the office's dump unchanged.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
CASES="$ROOT/tests/bad/merge"
LIMIT=${SVA_MERGE_TIMEOUT:-60}

# ---- the office and the laptop -------------------------------------------------------------
org() {
    "$SVA" --db "$1" init > /dev/null &&
        "$SVA" --db "$1" store import "$REC/stores.csv" > /dev/null &&
        "$SVA" --db "$1" employee import "$REC/employees.csv" > /dev/null &&
        "$SVA" --db "$1" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null
}
if on_pg; then OFFICE=$SVA_PG_URL; else OFFICE=office.db; fi
org "$OFFICE" || fail "office"
org lap.db || fail "laptop"
L="--db lap.db"
# shellcheck disable=SC2086
{
    "$SVA" $L store add HZ-001 --name "West Lake Motors" --region east > /dev/null &&
        "$SVA" $L employee add HZ-001-E01 --name "Sun Yue" --store HZ-001 --role sales > /dev/null &&
        "$SVA" $L cycle open 2026-12 --from 2026-12-01 --to 2026-12-31 > /dev/null
} || fail "laptop organisation"
"$SVA" checklist template phone_handling -o phone.ini > /dev/null
"$SVA" checklist template 6s_store -o 6s.ini > /dev/null
# audit 1: phone_handling at SH-001, greeting failed (with its note), hold N/A
fill phone.ini a1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H auditor="Zhang Min" -H date=2026-11-18 --rest-yesno yes --rest-num 2 \
    answer.greeting=no 'answer.greeting:note=no dealer name' answer.hold=na
# audit 2: 6s_store at the laptop's own store, in its own cycle
fill 6s.ini a2.ini -H store=HZ-001 -H cycle=2026-12 -H auditor="Zhang Min" \
    -H date=2026-12-03 --rest-yesno yes --rest-num 4
# audit 3: phone_handling of the laptop's own employee
fill phone.ini a3.ini -H store=HZ-001 -H employee=HZ-001-E01 -H cycle=2026-12 \
    -H auditor="Zhang Min" -H date=2026-12-04 --rest-yesno yes --rest-num 4
for a in "phone_handling a1" "6s_store a2" "phone_handling a3"; do
    set -- $a
    # shellcheck disable=SC2086
    "$SVA" $L record "$1" --answers "$2.ini" > /dev/null || fail "laptop: record $2"
done
[ "$(sqlite3 lap.db 'SELECT count(*) FROM audit')" = 3 ] || fail "the laptop has not 3 audits"
# dated events (schema 8): the office's (an event of BJ-001), through a file packed
# from it, and the laptop's own (a store closing, an employee moving)
"$SVA" --db "$OFFICE" store deactivate BJ-001 --from 2027-03-01 > /dev/null &&
    "$SVA" --db "$OFFICE" pack -o off.db > /dev/null &&
    "$SVA" $L merge off.db > /dev/null || fail "the laptop takes the office's event"
# shellcheck disable=SC2086
{
    "$SVA" $L store deactivate HZ-001 --from 2027-02-01 > /dev/null &&
        "$SVA" $L employee move BJ-001-E01 --store SH-002 --from 2027-01-10 > /dev/null
} || fail "laptop events"
[ "$(sqlite3 lap.db "SELECT count(*) FROM store_event WHERE origin != ''")" = 1 ] ||
    fail "the laptop lacks the office's event"
sqlite3 lap.db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
[ -s lap.db-wal ] && fail "the laptop's -wal was not checkpointed"

office_dump() { if on_pg; then db_dump; else sqlite3 office.db .dump; fi; }
office_dump > office.dump
check_office() { # LABEL
    office_dump > now.dump
    cmp -s office.dump now.dump || fail "$1: the office database changed"
    on_pg || [ "$(sqlite3 office.db 'PRAGMA integrity_check')" = ok ] || fail "$1: office integrity"
}

# ---- the catalogue ----------------------------------------------------------------------------
n=0
for sql in "$CASES"/*.sql; do
    name=$(basename "$sql" .sql)
    want=$(sed -n '1s/^-- want: //p' "$sql")
    [ -n "$want" ] || fail "$name: no '-- want:' line"
    rm -f "$name.db" "$name.db-wal" "$name.db-shm"
    cp lap.db "$name.db"
    # each '-- reopen' starts a new sqlite3 session
    awk -v base="$name.part" '/^-- reopen/ { n++ } { print > (base "." n+0) }' "$sql"
    for part in "$name".part.*; do
        sqlite3 -bail "$name.db" < "$part" > /dev/null 2> setup.err ||
            fail "$name: the SQL does not run: $(cat setup.err)"
    done
    rm -f "$name".part.*
    rm -f "$name.db-wal" "$name.db-shm"
    cp "$name.db" keep.db
    run timeout "$LIMIT" "$SVA" --db "$OFFICE" merge "$name.db"
    [ "$RC" -eq 124 ] && fail "$name: no answer within $LIMIT s"
    [ "$RC" -ge 128 ] && fail "$name: crashed (status $RC)"
    expect_rc 3 "$name"
    [ "$(wc -l < err.txt)" -eq 1 ] || fail "$name: stderr is not one line: $ERR"
    case $ERR in
    "svcaudit: $name.db: "*) ;;
    *) fail "$name: the message does not start by naming the file: $ERR" ;;
    esac
    printf '%s' "$ERR" | grep -qF -- "$want" || fail "$name: the message lacks '$want': $ERR"
    [ -z "$OUT" ] || fail "$name: something on stdout: $OUT"
    check_office "$name"
    cmp -s "$name.db" keep.db || fail "$name: the merge changed the file"
    [ -e "$name.db-wal" ] || [ -e "$name.db-shm" ] && fail "$name: -wal or -shm left beside the file"
    [ -n "${SVA_SHOW_REFUSALS:-}" ] && echo "$ERR"
    n=$((n + 1))
done
[ "$n" -ge 40 ] || fail "only $n crafted files (want 40 or more)"
echo "$n crafted files refused"

# ---- changes still in a -wal file: refused, not half read --------------------------------------
cp lap.db walled.db
printf 'not yet checkpointed' > walled.db-wal
run timeout "$LIMIT" "$SVA" --db "$OFFICE" merge walled.db
expect_rc 3 "a file with a -wal"
expect_err "walled.db: has changes in its -wal file" "a file with a -wal"
check_office "-wal"
rm -f walled.db walled.db-wal

# ---- the laptop itself merges (so every case above failed for what it changed) -------------------
if on_pg; then
    run timeout "$LIMIT" "$SVA" merge lap.db
    expect_rc 0 "the laptop merges into PostgreSQL"
    expect_out ": 3 audits[ ,]" "the laptop merges into PostgreSQL"
    [ "$(dbq 'SELECT count(*) FROM audit')" = 3 ] || fail "the laptop's audits in PostgreSQL"
    done_testing
    exit 0
fi
cp office.db office2.db
run timeout "$LIMIT" "$SVA" --db office2.db merge lap.db
expect_rc 0 "the laptop merges"
expect_out ": 3 audits[ ,]" "the laptop merges"
[ "$(sqlite3 office2.db 'SELECT count(*) FROM audit')" = 3 ] || fail "the laptop's audits"

# ---- a folder that cannot be written: the file is read as it is ------------------------------------
mkdir -p ro rw
cp lap.db ro/lap.db
cp office.db rw/office.db
chmod 755 "$WORK" ro
chmod 777 rw
chmod 644 ro/lap.db
chmod 666 rw/office.db
chmod 555 ro
# as root the folder is read-only only for someone else: nobody, when nobody can reach
# this folder, with a temporary folder of nobody's own (the run's TMPDIR may not be
# writable by nobody)
AS="sh -c"
ASENV=""
if [ "$(id -u)" -eq 0 ] && command -v su > /dev/null && id nobody > /dev/null 2>&1; then
    if su nobody -s /bin/sh -c "cd '$WORK'" 2> /dev/null; then
        mkdir -p nobody-tmp && chmod 1777 nobody-tmp
        AS="su nobody -s /bin/sh -c"
        ASENV="TMPDIR='$WORK/nobody-tmp' "
    else
        echo "note: nobody cannot reach $WORK: the read-only folder is tried as root"
    fi
fi
$AS "cd '$WORK' && ${ASENV}'$SVA' --db rw/office.db merge ro/lap.db" > out.txt 2> err.txt
RC=$?
ERR=$(cat err.txt)
expect_rc 0 "a laptop in a read-only folder"
[ "$(ls ro)" = lap.db ] || fail "the merge left files in the read-only folder: $(ls ro)"
[ "$(sqlite3 rw/office.db 'SELECT count(*) FROM audit')" = 3 ] ||
    fail "the read-only folder's laptop did not merge"
chmod 755 ro

done_testing

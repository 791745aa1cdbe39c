#!/bin/sh
# svcaudit e2e: dated store and employee events are records (schema 9): svcaudit
# never changes or deletes one, and a change by hand (sqlite3, psql) is refused
# by the database with its reason, nothing changed; on PostgreSQL a TRUNCATE
# too. The commands that make events still work, and a later event overrides
# an earlier one (the way to undo a move).
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
export SVCAUDIT_TODAY=2026-11-20
{
    "$SVA" init > /dev/null && "$SVA" store import "$REC/stores.csv" > /dev/null &&
        "$SVA" employee import "$REC/employees.csv" > /dev/null &&
        "$SVA" store deactivate BJ-001 --from 2027-03-01 > /dev/null &&
        "$SVA" employee move SH-001-E01 --store SH-002 --from 2027-01-10 > /dev/null
} || fail "the organisation and its events"
[ "$(dbq "SELECT count(*) FROM store_event")" = 1 ] || fail "not one store event"
[ "$(dbq "SELECT count(*) FROM employee_event")" = 2 ] || fail "not two employee events"

# refused LABEL WANT SQL: the SQL fails with WANT in one line, the database unchanged
refused() {
    db_dump > before.dump
    run dbq "$3"
    [ "$RC" -ne 0 ] || fail "$1: not refused"
    expect_err "$2" "$1"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "$1: not one line: $ERR"
    db_dump > after.dump
    cmp -s before.dump after.dump || fail "$1: the database changed"
}
refused "store event changed" "store events are never changed" \
    "UPDATE store_event SET active = 1 WHERE store_id = 'BJ-001'"
refused "store event's date changed" "store events are never changed" \
    "UPDATE store_event SET from_date = '2027-04-01'"
refused "store event deleted" "store events are never deleted" "DELETE FROM store_event"
refused "employee event changed" "employee events are never changed" \
    "UPDATE employee_event SET store_id = 'BJ-001' WHERE from_date = '2027-01-10'"
refused "employee event deleted" "employee events are never deleted" \
    "DELETE FROM employee_event WHERE from_date = '2027-01-10'"
if on_pg; then
    refused "store events truncated" "table store_event is never truncated" "TRUNCATE store_event"
    refused "employee events truncated" "table employee_event is never truncated" \
        "TRUNCATE employee_event"
fi

# the events still say what they said; a later move is the way to undo one
SVCAUDIT_TODAY=2027-01-12 run "$SVA" employee list --format csv
expect_out "^SH-001-E01,Li Ming,SH-002," "the move holds"
"$SVA" employee move SH-001-E01 --store SH-001 --from 2027-01-10 > /dev/null ||
    fail "a later move of the same day"
SVCAUDIT_TODAY=2027-01-12 run "$SVA" employee list --format csv
expect_out "^SH-001-E01,Li Ming,SH-001," "the later move overrides the first"
"$SVA" store reactivate BJ-001 --from 2027-03-01 > /dev/null || fail "reactivate BJ-001"
[ "$(dbq "SELECT count(*) FROM store_event")" = 2 ] || fail "the reactivation is a new event"
[ "$(dbq "SELECT count(*) FROM employee_event")" = 3 ] || fail "the second move is a new event"
done_testing

#!/bin/sh
# svcaudit e2e: PostgreSQL as a store of its own (issue 15), in make check's
# PostgreSQL pass (tests/e2e/run.sh --pg, beside scripts/with_pg.sh's server):
#   - copy: an SQLite database with every kind of record into PostgreSQL and
#     back; every listing, show and status command prints the same on the
#     three, the workbook (pseudonymous, with the database's own salt) is the
#     same cell by cell, and the SQLite file that comes back dumps as the
#     first did; copy refuses a destination holding data, the same database
#     twice, a missing source, and changes nothing then; the database's
#     identity, where its records were made and its conflicts (schema 6) go
#     with it;
#   - passwords stay off the command line: PGPASSWORD, a password file and a
#     service file name the database, as libpq reads them;
#   - the README's set-up: a role that may not create schemas uses one made
#     for it by the administrator;
#   - two inits of one new schema at once: both succeed, one schema.
. "$ROOT/tests/e2e/lib.sh"
if ! on_pg; then
    echo "skipped (runs in the PostgreSQL pass: tests/e2e/run.sh --pg)"
    exit 0
fi
REC="$FIX/record"
export SVCAUDIT_TODAY=2026-11-20
PGBASE=$SVA_TEST_PG                 # the test database, no schema
HOSTQ=${PGBASE#*\?}                 # host=/tmp/... (the server's socket folder)
pgq() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 "$PGBASE" -c "$1"; }

# ---- an SQLite database with every kind of record -----------------------------------------
L="$SVA --db lite.db"
$L init > /dev/null || fail "lite: init"
$L store import "$REC/stores.csv" > /dev/null || fail "lite: stores"
$L employee import "$REC/employees.csv" > /dev/null || fail "lite: employees"
$L cycle open 2026-10 --from 2026-10-01 --to 2026-10-31 > /dev/null || fail "lite: cycle 10"
$L cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "lite: cycle 11"
$L target set --cycle 2026-11 --metric 6s --value 85 > /dev/null || fail "lite: target"
$L target set --cycle 2026-11 --metric ssi --value 80 --store SH-001 > /dev/null ||
    fail "lite: store target"
for c in phone_handling 6s_store sales_mystery_shop; do
    "$SVA" checklist template "$c" -o "t-$c.ini" > /dev/null || fail "template $c"
done
fill t-phone_handling.ini phone.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-10 -H auditor="Wang Fang" --rest-yesno yes --rest-num 4 answer.greeting=no \
    'answer.greeting:note=no own name, «quoted» 名字'
fill t-6s_store.ini 6s.ini -H store=BJ-001 -H cycle=2026-11 -H date=2026-11-11 \
    -H auditor="Wang Fang" --rest-yesno yes --rest-num 2
fill t-sales_mystery_shop.ini sales.ini -H store=SH-001 -H employee=SH-001-E02 \
    -H cycle=2026-11 -H date=2026-11-12 -H auditor="Zhang Min" --rest-yesno yes --rest-num 3
fill t-6s_store.ini 6s-10.ini -H store=SH-001 -H cycle=2026-10 -H date=2026-10-11 \
    -H auditor="Zhang Min" --rest-yesno yes --rest-num 3
$L record phone_handling --answers phone.ini --actions --set who=Li --set when=2026-11-30 \
    --set where=showroom --set how="the manager coaches" > /dev/null || fail "lite: record phone"
$L record 6s_store --answers 6s.ini > /dev/null || fail "lite: record 6s"
$L record 6s_store --answers 6s.ini --auditor "Second" > /dev/null || fail "lite: record 6s 2"
$L record sales_mystery_shop --answers sales.ini > /dev/null || fail "lite: record sales"
$L record 6s_store --answers 6s-10.ini --auditor "October" > /dev/null || fail "lite: record 10"
$L audit void 3 --reason "recorded twice" > /dev/null || fail "lite: void"
$L action update 1 --status done --by Li > /dev/null || fail "lite: action update"
printf 'cycle,store,metric,value,respondents\n2026-11,SH-001,ssi,83.5,40\n2026-11,BJ-001,csi,77,12\n' \
    > survey.csv
$L survey import survey.csv > /dev/null || fail "lite: survey"
$L cycle reason 2026-11 --store BJ-001 --metric 6s --text "new team" > /dev/null ||
    fail "lite: reason"
$L plan set --cycle 2026-11 --checklist 6s_store --all-stores --times 2 --auditor "Wang Fang" \
    > /dev/null || fail "lite: plan"
$L plan set --cycle 2026-11 --checklist phone_handling --store SH-001 --per-employee \
    --every week > /dev/null ||
    fail "lite: plan per employee"
$L plan reason --cycle 2026-11 --checklist 6s_store --store BJ-001 --text "store closed a week" \
    > /dev/null || fail "lite: plan reason"
$L owner set --store SH-001 --checklist 6s_store --section shine --employee SH-001-E01 \
    > /dev/null || fail "lite: owner"
# the record (schema 5): an appeal upheld after an amendment; a done action of 2026-09
# verified and an open one carried on when 2026-10 closes; a reopen and a second close; an
# employee moved and a store closed from a later day; the change log of it all
F='--set why=dust --set what=shelves --set who=Li --set when=2026-10-20 --set where=store'
$L cycle open 2026-09 --from 2026-09-01 --to 2026-09-30 > /dev/null || fail "lite: cycle 9"
$L action add --cycle 2026-09 --store SH-001 --checklist 6s_store --section shine $F \
    --set how=rota > /dev/null || fail "lite: action in 2026-09"
$L action update "$($L action list --cycle 2026-09 --format csv | sed -n '2s/,.*//p')" \
    --status done --by Li > /dev/null || fail "lite: the 2026-09 action done"
$L cycle close 2026-09 > /dev/null || fail "lite: close 2026-09"
$L action add --cycle 2026-10 --store SH-001 --checklist 6s_store --section sort $F \
    --set how=rota > /dev/null || fail "lite: action in 2026-10"
$L audit appeal 2 --reason "the red tags were there" --by "BJ-001 manager" > /dev/null ||
    fail "lite: appeal"
$L audit amend 2 --set sort.parts_red_tag=4 --reason "the appeal: tags were there" \
    --by "Wang Fang" > /dev/null || fail "lite: amend"
$L audit resolve 2 --upheld --note amended --by "Li Na" > /dev/null || fail "lite: resolve"
$L cycle close 2026-10 > close.out || fail "lite: close 2026-10"
grep -q "verified 1 done action" close.out && grep -q "1 open action carried" close.out ||
    fail "lite: the close did not check and carry: $(cat close.out)"
$L cycle reopen 2026-10 --reason "a late survey" > /dev/null || fail "lite: reopen"
$L cycle close 2026-10 > /dev/null || fail "lite: close 2026-10 again"
# sync (schema 6): the database named; a laptop packed from it opens an action and changes
# the database's target; merged back: the laptop's action with its origin, the target a
# conflict, the laptop a peer; a store renamed (its old name kept in the history)
$L init --name "East office" > /dev/null || fail "lite: name"
$L pack -o lap.db --store SH-001 --name "laptop Li" > /dev/null || fail "lite: pack"
"$SVA" --db lap.db action add --cycle 2026-11 --store SH-001 --metric ssi $F --set how=drill \
    --by Li > /dev/null || fail "laptop: action"
"$SVA" --db lap.db target set --cycle 2026-11 --metric 6s --value 90 > /dev/null ||
    fail "laptop: target"
$L merge lap.db > /dev/null 2>&1
[ $? -eq 1 ] || fail "lite: the laptop's merge is not one conflict"
printf 'id,name,region\nSH-002,Shanghai Pudong Motors,east\n' > rename.csv
$L store import rename.csv > /dev/null || fail "lite: rename a store"
$L employee move SH-001-E02 --store BJ-001 --from 2026-12-01 > /dev/null || fail "lite: move"
$L store deactivate SH-002 --from 2026-12-01 > /dev/null || fail "lite: deactivate"
for t in change_log cycle_close audit_revision answer_revision section_revision appeal \
    action_check action_carry store_event employee_event store_history sync_peer sync_conflict; do
    [ "$(sqlite3 lite.db "SELECT count(*) > 0 FROM $t")" = 1 ] || fail "lite: nothing in $t to copy"
done

# outputs DB DIR: what the listing and reporting commands print on DB, in DIR/
outputs() {
    mkdir -p "$2"
    o() {
        f=$1
        shift
        "$SVA" --db "$DB" "$@" > "$D/$f" 2>&1 || echo "exit $?" >> "$D/$f"
    }
    DB=$1 D=$2
    o stores store list --format json
    o employees employee list --format csv
    o cycles cycle list --format json
    o audits audit list --all --format json
    o audits-table audit list --all
    for a in 1 2 3 4 5; do o "audit-$a" audit show "$a" --format json; done
    o actions action list --format json
    o action-1 action show 1 --format json
    o targets target list --cycle 2026-11 --format json
    o status cycle status 2026-11 --format json
    o status-table cycle status 2026-11
    o trend trend --metric 6s --format json
    o repeats repeats --cycle 2026-11 --format json
    o auditors auditors --format json
    o plans plan list --cycle 2026-11
    o plan-status plan status --cycle 2026-11 --format json
    o owners owner list --format json
    o log log --format json
    o history-2 audit show 2 --history --format json
    o appealed audit list --all --appealed --format json
    o conflicts merge --conflicts --all --format json
    o export export --cycle 2026-11 -o "$D.xlsx" --data
    "$PY" "$ROOT/tests/golden/dump_xlsx.py" "$D.xlsx" "$D/xlsx" > /dev/null 2>&1 ||
        echo "no workbook" > "$D/xlsx.failed"
    sed -i -e "s#$D#<out>#g" "$D/export"
}
outputs lite.db out-lite

# ---- copy into PostgreSQL ----------------------------------------------------------------------
PG="$PGBASE&schema=${SVA_PG_SCHEMA}_copy"
run "$SVA" copy --from lite.db --to "$PG"
expect_rc 0 "copy lite.db into PostgreSQL"
expect_out "5 audits" "copy: the audits counted"
outputs "$PG" out-pg
diff -r out-lite out-pg > copy.diff || fail "copy: PostgreSQL prints otherwise than SQLite: $(head -20 copy.diff)"
[ "$(ls out-lite | wc -l)" -ge 26 ] || fail "copy: too few outputs compared"
[ -e out-lite/xlsx.failed ] && fail "no workbook to compare"
grep -q '"planned"' out-lite/plan-status || fail "copy: no plan status to compare: $(head -3 out-lite/plan-status)"
grep -q 'SH-001-E01' out-lite/owners || fail "copy: no owner to compare: $(head -3 out-lite/owners)"

# ---- and back into a new SQLite file ----------------------------------------------------------
run "$SVA" copy --from "$PG" --to back.db
expect_rc 0 "copy PostgreSQL into back.db"
# (the same rows; .dump lists them in the order they were written)
sqlite3 lite.db .dump | sort > lite.dump
sqlite3 back.db .dump | sort > back.dump
cmp -s lite.dump back.dump || fail "back.db is not lite.db: $(diff lite.dump back.dump | head -10)"

latest_lite=$(sqlite3 lite.db 'PRAGMA user_version')
# a new record on each gets the same id
for db in lite.db "$PG"; do
    "$SVA" --db "$db" record 6s_store --answers 6s.ini --auditor "After" > next.out 2>&1 ||
        fail "record after the copy on $db: $(cat next.out)"
    grep -q "audit 6 " next.out || fail "record after the copy on $db: not audit 6: $(cat next.out)"
done
sqlite3 lite.db .dump | sort > lite.dump

# Take a schema 9 database back to schema 7 by SQL: every schema 8 and 9 step undone (the
# statement checks of the answers' and section scores' audit back to the foreign keys they
# replace, the TRUNCATE refusals dropped, the dated events' key columns and their
# refusals of a change or delete dropped).
back_to_7() {
    pgq "SET search_path TO $1;
    DO \$\$DECLARE t record; BEGIN
      FOR t IN SELECT g.tgname, c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE c.relnamespace = '$1'::regnamespace
        AND (g.tgname LIKE 'fk\\_%' OR g.tgname LIKE 'no\\_truncate\\_%'
          OR g.tgname LIKE '%\\_event\\_never\\_%') LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t.tgname, t.relname);
      END LOOP; END\$\$;
    DROP FUNCTION fk_audit_rows(); DROP FUNCTION fk_audit_row();
    ALTER TABLE answer ADD FOREIGN KEY(audit_id) REFERENCES audit(id) DEFERRABLE;
    ALTER TABLE section_score ADD FOREIGN KEY(audit_id) REFERENCES audit(id) DEFERRABLE;
    DROP INDEX store_event_key; DROP INDEX employee_event_key;
    ALTER TABLE store_event DROP COLUMN origin, DROP COLUMN seq;
    ALTER TABLE employee_event DROP COLUMN origin, DROP COLUMN seq;
    CREATE INDEX store_event_store ON store_event(store_id, from_date);
    CREATE INDEX employee_event_employee ON employee_event(employee_id, from_date);
    UPDATE meta SET value = '7' WHERE key = 'schema_version'"
}

# ---- a schema 7 database with data is brought forward to 8 and records ---------------------------
# (schema 7 by hand: back_to_7)
S7="${SVA_PG_SCHEMA}_seven"
P7="$PGBASE&schema=$S7"
"$SVA" copy --from lite.db --to "$P7" > /dev/null || fail "copy into the schema 7 database"
back_to_7 "$S7" || fail "schema 8 taken back to 7"
n7=$(pgq "SELECT count(*) FROM $S7.answer")
run "$SVA" --db "$P7" record 6s_store --answers 6s.ini --auditor "Upgraded"
expect_rc 0 "record on a schema 7 database"
expect_out "audit 7 " "record on a schema 7 database: audit 7"
[ "$(pgq "SELECT value FROM $S7.meta WHERE key = 'schema_version'")" = "$latest_lite" ] ||
    fail "schema 7 not brought forward to $latest_lite"
[ "$(pgq "SELECT count(*) FROM pg_constraint WHERE connamespace = '$S7'::regnamespace
    AND contype = 'f' AND conrelid IN ('$S7.answer'::regclass, '$S7.section_score'::regclass)")" = 0 ] ||
    fail "schema 8 left the answers' foreign keys"
[ "$(pgq "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'fk\\_%'
    AND tgrelid IN ('$S7.answer'::regclass, '$S7.section_score'::regclass)")" = 6 ] ||
    fail "schema 8: not the six triggers that check the audit"
[ "$(pgq "SELECT count(*) FROM $S7.answer")" -gt "$n7" ] || fail "the upgraded record has no answers"
# the same audit as on SQLite
cp lite.db l7.db
"$SVA" --db l7.db record 6s_store --answers 6s.ini --auditor "Upgraded" > /dev/null ||
    fail "record on a copy of lite.db"
"$SVA" --db "$P7" audit show 7 --format json |
    sed -E 's/"(uuid|recorded_at)": "[^"]*"/"\1": ""/g' > up.json
"$SVA" --db l7.db audit show 7 --format json |
    sed -E 's/"(uuid|recorded_at)": "[^"]*"/"\1": ""/g' > lite7.json
grep -q '"Upgraded"' up.json || fail "the upgraded record: not shown: $(head -5 up.json)"
cmp -s lite7.json up.json || fail "the upgraded record differs: $(diff lite7.json up.json | head -10)"
# an answer of no audit, a TRUNCATE: refused by the server, with a clear line
pgq "INSERT INTO $S7.answer(audit_id, item_no, item_id, section_id, points, max_points)
    VALUES(999, 0, 'x', 's', 0, 0)" > fk.out 2>&1 && fail "an answer of no audit was stored"
grep -q 'violates foreign key constraint "answer_audit_id_fkey"' fk.out ||
    fail "an answer of no audit: not the foreign key's error: $(cat fk.out)"
pgq "TRUNCATE $S7.answer" > trunc.out 2>&1 && fail "TRUNCATE answer by hand passed"
grep -q "table answer is never truncated" trunc.out ||
    fail "TRUNCATE by hand: not a clear error: $(cat trunc.out)"
[ "$(pgq "SELECT count(*) FROM $S7.answer")" -gt "$n7" ] || fail "a refused TRUNCATE lost answers"

# ---- refusals: nothing changes ----------------------------------------------------------------
before=$(pgq "SELECT count(*) FROM ${SVA_PG_SCHEMA}_copy.audit")
run "$SVA" copy --from lite.db --to "$PG"
expect_rc 3 "copy into a database that holds data"
expect_err "holds data already" "copy into a database that holds data"
[ "$(pgq "SELECT count(*) FROM ${SVA_PG_SCHEMA}_copy.audit")" = "$before" ] ||
    fail "a refused copy changed the destination"
run "$SVA" copy --from lite.db --to ./lite.db
expect_rc 3 "copy a file onto itself"
expect_err "same database" "copy a file onto itself"
run "$SVA" copy --from missing.db --to "$PGBASE&schema=${SVA_PG_SCHEMA}_none"
expect_rc 3 "copy from a missing file"
expect_err "missing.db" "copy from a missing file names it"
[ -e missing.db ] && fail "copy created its source"
run "$SVA" copy --from lite.db
expect_rc 2 "copy without --to"
sqlite3 lite.db .dump | sort > lite2.dump
cmp -s lite.dump lite2.dump || fail "the refusals changed lite.db"

# ---- passwords stay off the command line ---------------------------------------------------------
PW="postgresql://svcaudit_pw@/svcaudit_test?$HOSTQ"
run "$SVA" --db "$PW&schema=pw_env" init
expect_rc 3 "no password"
run env PGPASSWORD=right "$SVA" --db "$PW&schema=pw_env" init
expect_rc 0 "PGPASSWORD"
printf '*:*:*:svcaudit_pw:right\n' > pgpass
chmod 600 pgpass
run env PGPASSFILE="$PWD/pgpass" "$SVA" --db "$PW&schema=pw_file" init
expect_rc 0 "a password file (PGPASSFILE)"
printf '[central]\n%s\ndbname=svcaudit_test\nuser=svcaudit_pw\n' "$HOSTQ" > services
run env PGSERVICEFILE="$PWD/services" PGPASSFILE="$PWD/pgpass" SVCAUDIT_DB="postgresql:///?service=central&schema=pw_service" "$SVA" init
expect_rc 0 "a service file, the URL in SVCAUDIT_DB"
expect_out "service=central" "init names the service"
run env PGSERVICEFILE="$PWD/services" PGPASSFILE="$PWD/pgpass" "$SVA" --db "postgresql:///?service=central&schema=pw_service" store list --format csv
expect_rc 0 "store list through the service"

# ---- the README's set-up: the administrator makes the schema, the role uses it ------------------------
# (the test server trusts every role but svcaudit_pw on its socket: no password here)
pgq "CREATE ROLE svcaudit_office LOGIN; CREATE SCHEMA office AUTHORIZATION svcaudit_office" ||
    fail "the README's role and schema"
OFFICE="postgresql://svcaudit_office@/svcaudit_test?$HOSTQ&schema=office"
run "$SVA" --db "$OFFICE" init
expect_rc 0 "init in a schema the administrator made"
run "$SVA" --db "postgresql://svcaudit_office@/svcaudit_test?$HOSTQ&schema=office_own" init
expect_rc 3 "the office role may not create a schema"
expect_err "permission denied" "the office role may not create a schema: the server says so"

# ---- the README's backup: pg_dump, then pg_restore into an empty database, gives it all back --
outputs "$PG" out-before
pg_dump -Fc -n "${SVA_PG_SCHEMA}_copy" -f backup.dump "$PGBASE" || fail "pg_dump"
pgq "CREATE DATABASE svcaudit_restored" || fail "the database to restore into"
RESTORED="postgresql://postgres@/svcaudit_restored?$HOSTQ&schema=${SVA_PG_SCHEMA}_copy"
pg_restore -d "${RESTORED%&schema=*}" backup.dump || fail "pg_restore"
outputs "$RESTORED" out-after
sed -i "s#$RESTORED#URL#g" out-after/* 2>/dev/null
sed -i "s#$PG#URL#g" out-before/* 2>/dev/null
diff -r out-before out-after > restore.diff ||
    fail "restored from pg_dump: prints otherwise: $(head -20 restore.diff)"
"$SVA" --db "$RESTORED" record 6s_store --answers 6s.ini --auditor "Restored" > next.out 2>&1 ||
    fail "record after the restore: $(cat next.out)"
grep -q "audit 7 " next.out || fail "record after the restore: not audit 7: $(cat next.out)"

# ---- the driver is a module (svcaudit-pg.so), opened for the first postgresql:// URL only ------
ldd "$ROOT/svcaudit" | grep -q libpq && fail "svcaudit links libpq itself"
if [ -e "$(dirname "$(readlink -f "$ROOT/svcaudit")")/svcaudit-pg.so" ] &&
   ! ls /usr/local/lib/svcaudit/svcaudit-pg.so >/dev/null 2>&1; then
    mkdir lone
    cp "$ROOT/svcaudit" lone/svcaudit
    run lone/svcaudit --db lone.db init
    expect_rc 0 "SQLite without the PostgreSQL module"
    run lone/svcaudit --db "$PG" store list
    expect_rc 3 "no PostgreSQL module"
    expect_err "the PostgreSQL driver svcaudit-pg.so is not installed"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "no module: want one line: $ERR"
    printf 'not a library\n' > lone/svcaudit-pg.so
    run lone/svcaudit --db "$PG" store list
    expect_rc 3 "a module that is not a library"
    expect_err "lone/svcaudit-pg.so: cannot load the PostgreSQL driver"
    [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "bad module: want one line: $ERR"
    z=$(ldd "$ROOT/svcaudit" | sed -n 's/.*libz.so[^ ]* => \([^ ]*\).*/\1/p')
    cp "$z" lone/svcaudit-pg.so
    run lone/svcaudit --db "$PG" store list
    expect_rc 3 "another library as the module"
    expect_err "from another build of svcaudit"
    cp "$(dirname "$(readlink -f "$ROOT/svcaudit")")/svcaudit-pg.so" lone/
    run lone/svcaudit --db "$PG" store list --format csv
    expect_rc 0 "the module next to a copied binary"
    expect_out "SH-001" "the module next to a copied binary lists the stores"
    rm -rf lone lone.db
else
    echo "skipped: the module lookup (an installed svcaudit-pg.so would be found)"
fi

# ---- schema 7 to 8 on PostgreSQL: dated events get their key ---------------------------------
# (a schema-8 database with moves taken back to schema 7 by SQL: back_to_7)
S7="${SVA_PG_SCHEMA}_s7"
P7="$SVA --db $PGBASE&schema=$S7"
{
    $P7 init > /dev/null && $P7 store import "$REC/stores.csv" > /dev/null &&
        $P7 employee import "$REC/employees.csv" > /dev/null &&
        $P7 store add SH-009 --name Xintiandi --region east --from 2026-12-01 > /dev/null &&
        $P7 employee move SH-001-E01 --store SH-002 --from 2026-12-02 > /dev/null &&
        $P7 employee move SH-001-E01 --store SH-009 --from 2026-12-02 > /dev/null
} || fail "schema 7: the organisation"
back_to_7 "$S7" || fail "schema 7: taking it back"
# the two moves made in one second (two commands may straddle a second's edge on a busy
# machine: the time made set equal here, where schema 7 has no key to forbid it)
pgq "UPDATE $S7.employee_event SET at = (SELECT min(at) FROM $S7.employee_event
    WHERE employee_id = 'SH-001-E01' AND from_date = '2026-12-02')
    WHERE employee_id = 'SH-001-E01' AND from_date = '2026-12-02'" ||
    fail "schema 7: two moves in one second"
SVCAUDIT_TODAY=2026-12-03 run $P7 employee list --format csv
expect_rc 0 "schema 7: employee list"
expect_out "^SH-001-E01,Li Ming,SH-009,sales,$" "schema 7: the later of two moves of one second holds"
[ "$(pgq "SELECT value FROM $S7.meta WHERE key = 'schema_version'")" = "$latest_lite" ] ||
    fail "schema 7 not brought forward to $latest_lite"
[ "$(pgq "SELECT string_agg(from_date || ':' || store_id || ':' || origin || ':' || seq, ' ' ORDER BY id)
    FROM $S7.employee_event")" = ":SH-001::0 2026-12-02:SH-002::0 2026-12-02:SH-009::1" ] ||
    fail "schema 7: the events' keys: $(pgq "SELECT * FROM $S7.employee_event")"
# schema 9 on the way: the events are kept from then on
pgq "DELETE FROM $S7.employee_event" > /dev/null 2> del7.err && fail "schema 7: an event deleted"
grep -q "employee events are never deleted" del7.err || fail "schema 7: the refusal: $(cat del7.err)"

# ---- two inits of one new schema at once --------------------------------------------------------
"$SVA" --db "$PGBASE&schema=${SVA_PG_SCHEMA}_twice" init > i1.out 2>&1 &
p1=$!
"$SVA" --db "$PGBASE&schema=${SVA_PG_SCHEMA}_twice" init > i2.out 2>&1 &
p2=$!
wait $p1 || fail "init 1 of 2 at once: $(cat i1.out)"
wait $p2 || fail "init 2 of 2 at once: $(cat i2.out)"
# the latest version is the one a new SQLite file gets
"$SVA" --db latest.db init > /dev/null 2>&1 || fail "init of a SQLite file"
latest=$(sqlite3 latest.db 'PRAGMA user_version')
[ "$(pgq "SELECT value FROM ${SVA_PG_SCHEMA}_twice.meta WHERE key = 'schema_version'")" = "$latest" ] ||
    fail "two inits at once: not schema $latest"
[ "$(pgq "SELECT count(*) FROM ${SVA_PG_SCHEMA}_twice.meta WHERE key = 'application'")" = 1 ] ||
    fail "two inits at once: migrated twice"

done_testing

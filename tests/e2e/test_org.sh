#!/bin/sh
# svcaudit e2e: the database file (init, --db, SVCAUDIT_DB, refusing files that
# are not svcaudit databases, untouched), stores and employees (add, list,
# import all-or-nothing with file:line messages), cycles (open, list), and
# usage errors. Every refused command leaves `sqlite3 .dump` as it was.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
dump() { if [ -n "${1:-}" ]; then sqlite3 "$1" .dump; else db_dump; fi; }
# refused LABEL CMD...: exit 3, database unchanged, nothing on stdout
refused() {
    label=$1
    shift
    dump > before.dump
    run "$@"
    expect_rc 3 "$label"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}
# usage LABEL CMD...: exit 2, database unchanged
usage() {
    label=$1
    shift
    dump > before.dump
    run "$@"
    expect_rc 2 "$label"
    dump > after.dump
    cmp -s before.dump after.dump || fail "$label: the database changed"
}
# bad_import LABEL FILE LINE NEEDLE store|employee: exit 3, FILE:LINE: named, unchanged
bad_import() {
    refused "$1" "$SVA" "$5" import "$2"
    if [ -n "$3" ]; then
        expect_err "$2:$3: " "$1: file:line"
    else
        expect_err "$2" "$1: file named"
    fi
    expect_err "$4" "$1: the problem named"
    [ "$(printf '%s\n' "$ERR" | grep -c .)" -ge 1 ] || fail "$1: no message"
}

# ---- no database yet ------------------------------------------------------------------
run "$SVA" store list
expect_rc 3 "store list before init"
expect_err "${SVA_PG_SCHEMA:-svcaudit.db}" "no database: names the file (the schema)"
expect_err "init" "no database: says how to create one"
[ -e svcaudit.db ] && fail "store list created svcaudit.db"
if on_pg; then
    [ "$(dbq "SELECT count(*) FROM pg_namespace WHERE nspname = '$SVA_PG_SCHEMA'")" = 0 ] ||
        fail "store list created the schema"
fi

# ---- init: default, --db, SVCAUDIT_DB --------------------------------------------------
run "$SVA" init
expect_rc 0 "init"
expect_out "created $DBNAME" "init"
[ "$(db_version)" = 9 ] || fail "schema version after init"
[ "$(dbq "SELECT value FROM meta WHERE key = 'application'")" = svcaudit ] ||
    fail "meta.application after init"
dump > init.dump
run "$SVA" init
expect_rc 0 "init again"
expect_out "up to date" "init again"
dump > init2.dump
cmp -s init.dump init2.dump || fail "init again changed the database"

run "$SVA" --db flag.db init
expect_rc 0 "--db flag.db init"
[ -s flag.db ] || fail "--db flag.db init: no flag.db"
run env SVCAUDIT_DB=env.db "$SVA" init
expect_rc 0 "SVCAUDIT_DB=env.db init"
[ -s env.db ] || fail "SVCAUDIT_DB=env.db init: no env.db"
run env SVCAUDIT_DB=env.db "$SVA" store add ENV-1 --name "In env.db"
expect_rc 0 "store add with SVCAUDIT_DB"
[ "$(sqlite3 env.db 'SELECT id FROM store')" = ENV-1 ] || fail "SVCAUDIT_DB: the store is not in env.db"
[ "$(dbq 'SELECT count(*) FROM store')" = 0 ] || fail "SVCAUDIT_DB: wrote $DBNAME"
run env SVCAUDIT_DB=env.db "$SVA" --db flag.db store add FLAG-1 --name "In flag.db"
expect_rc 0 "--db over SVCAUDIT_DB"
[ "$(sqlite3 flag.db 'SELECT id FROM store')" = FLAG-1 ] || fail "--db does not win over SVCAUDIT_DB"
[ "$(sqlite3 env.db 'SELECT count(*) FROM store')" = 1 ] || fail "--db: env.db was written"
run "$SVA" store list --db flag.db
expect_out "FLAG-1" "--db after the command"

# ---- files that are not svcaudit databases: refused, untouched -------------------------
printf 'id,name\nSH-001,a text file\n' > text.db
: > empty.db
printf 'hi' > tiny.db
sqlite3 other.sqlite "PRAGMA journal_mode = DELETE; CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES('Zhang');" > /dev/null
sqlite3 other7.sqlite "PRAGMA journal_mode = DELETE; CREATE TABLE photos(p TEXT); PRAGMA user_version = 7;" > /dev/null
mkdir keep
for f in text.db empty.db tiny.db other.sqlite other7.sqlite; do
    cp "$f" "keep/$f"
    ls -a | grep -v '^ls\.' > ls.before
    for cmd in "store list" "store add X1 --name X" "employee list" "cycle list" "audit list" \
        "cycle open 2026-01 --from 2026-01-01 --to 2026-01-31"; do
        # shellcheck disable=SC2086
        run "$SVA" --db "$f" $cmd
        expect_rc 3 "$cmd on $f"
        expect_err "$f" "$cmd on $f: the file named"
        expect_err "not an svcaudit database" "$cmd on $f"
        cmp -s "$f" "keep/$f" || fail "$cmd changed $f"
    done
    ls -a | grep -v '^ls\.' > ls.after
    cmp -s ls.before ls.after || fail "opening $f left files behind: $(diff ls.before ls.after)"
done
for f in text.db tiny.db other.sqlite other7.sqlite; do
    run "$SVA" --db "$f" init
    expect_rc 3 "init on $f"
    expect_err "not an svcaudit database" "init on $f"
    cmp -s "$f" "keep/$f" || fail "init changed $f"
done
[ "$(sqlite3 other.sqlite 'SELECT name FROM contacts')" = Zhang ] || fail "other.sqlite damaged"
run "$SVA" --db "$WORK" store list
expect_rc 3 "a folder as database"

# ---- store add / list --------------------------------------------------------------------
run "$SVA" store add SH-001 --name "Sunrise Shanghai" --region east
expect_rc 0 "store add SH-001"
expect_out "SH-001" "store add"
run "$SVA" store add BJ-001 --name "Capital Motors" --region north
expect_rc 0 "store add BJ-001"
run "$SVA" store add GZ-001 --name "南方汽车 Guangzhou"
expect_rc 0 "store add without a region, UTF-8 name"
refused "store add: duplicate id" "$SVA" store add SH-001 --name "Another Name" --region east
expect_err "SH-001" "duplicate store named"
refused "store add: bad id" "$SVA" store add "SH 002" --name "Bad Id"
expect_err "SH 002" "bad store id named"
refused "store add: empty name" "$SVA" store add SH-003 --name ""
expect_err "SH-003" "empty name: the store named"
run "$SVA" store list
expect_rc 0 "store list"
printf '%s\n' "$OUT" > stores.txt
# ordered by region, then id: GZ-001 (no region) first, then east, north
[ "$(awk 'NR > 1 { print $1 }' stores.txt | tr '\n' ' ')" = "GZ-001 SH-001 BJ-001 " ] ||
    fail "store list order: $(cat stores.txt)"
grep -q "Sunrise Shanghai" stores.txt || fail "store list: the first name was replaced"
grep -q "Another Name" stores.txt && fail "store list: the duplicate got in"
run "$SVA" store list --format csv
printf '%s\n' "$OUT" > stores.csv
run "$SVA" store list --format json
printf '%s\n' "$OUT" > stores.json
"$PY" - stores.csv stores.json <<'EOF' || fail "store list: csv and json disagree"
import csv, json, sys
c = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
j = json.load(open(sys.argv[2], encoding='utf-8'))
assert c == j, (c, j)
assert [r['id'] for r in j] == ['GZ-001', 'SH-001', 'BJ-001'], j
assert j[0] == {'id': 'GZ-001', 'name': '南方汽车 Guangzhou', 'region': '', 'inactive_from': ''}, j[0]
assert j[1] == {'id': 'SH-001', 'name': 'Sunrise Shanghai', 'region': 'east', 'inactive_from': ''}, j[1]
EOF

# ---- employee add / list -------------------------------------------------------------------
run "$SVA" employee add SH-001-E01 --name "Li Ming" --store SH-001 --role sales
expect_rc 0 "employee add"
run "$SVA" employee add BJ-001-E01 --name "Zhao Lei" --store BJ-001
expect_rc 0 "employee add without a role"
refused "employee of an unknown store" "$SVA" employee add X-E1 --name "Nobody" --store XX-999
expect_err "XX-999" "unknown store named"
refused "employee: duplicate id" "$SVA" employee add SH-001-E01 --name "Other" --store SH-001
expect_err "SH-001-E01" "duplicate employee named"
run "$SVA" employee list --format json
printf '%s' "$OUT" > emp.json
"$PY" - emp.json <<'EOF' || fail "employee list: see above"
import json, sys
j = json.load(open(sys.argv[1], encoding='utf-8'))
assert [e['id'] for e in j] == ['BJ-001-E01', 'SH-001-E01'], j
assert j[1] == {'id': 'SH-001-E01', 'name': 'Li Ming', 'store': 'SH-001', 'role': 'sales',
                'inactive_from': ''}, j[1]
assert j[0]['role'] == ''
EOF
run "$SVA" employee list --store SH-001
expect_rc 0 "employee list --store"
expect_out "SH-001-E01" "employee list --store"
expect_no_out "BJ-001-E01" "employee list --store SH-001 shows another store's employee"

# ---- import -------------------------------------------------------------------------------
run "$SVA" store import "$REC/stores.csv"
expect_rc 0 "store import"
# SH-001 and BJ-001 are there already with the same values; SH-002 is new
expect_out "stores: 1 added, 0 updated, 2 unchanged" "store import counts"
run "$SVA" store list --format json
printf '%s' "$OUT" > s2.json
"$PY" - s2.json <<'EOF' || fail "store import: see above"
import json, sys
j = {s['id']: s for s in json.load(open(sys.argv[1], encoding='utf-8'))}
assert set(j) == {'GZ-001', 'SH-001', 'SH-002', 'BJ-001'}, j.keys()
assert j['SH-002']['name'] == 'Sunrise Pudong, Shanghai', j['SH-002']   # a quoted comma
assert j['BJ-001']['region'] == 'north'
EOF
run "$SVA" store import "$REC/stores.csv"
expect_rc 0 "store import again"
expect_out "stores: 0 added, 0 updated, 3 unchanged" "import again changes nothing"
run "$SVA" employee import "$REC/employees.csv"
expect_rc 0 "employee import"
# SH-001-E01 as it was; SH-001-E02 new; BJ-001-E01 gains the role 'service'
expect_out "employees: 1 added, 1 updated, 1 unchanged" "employee import counts"
[ "$(dbq "SELECT name || '@' || store_id || '/' || role FROM employee WHERE id = 'BJ-001-E01'")" = "Zhao Lei@BJ-001/service" ] ||
    fail "employee import did not update BJ-001-E01's role"
printf 'id,name,store,role\nSH-001-E02,Wang Fang,SH-002,service\n' > move.csv
run "$SVA" employee import move.csv
expect_rc 0 "employee import: a move"
expect_out "0 added, 1 updated" "employee moved"

# bad files: exit 3, file:line, nothing imported (the good rows before the bad one neither)
bad_import "store import: bad id" "$REC/bad_id.csv" 3 "SH 102" store
bad_import "store import: missing column" "$REC/missing_column.csv" 1 "missing column 'name'" store
bad_import "store import: unknown column" "$REC/unknown_column.csv" 1 "unknown column 'regoin'" store
bad_import "store import: unterminated quote" "$REC/unterminated_quote.csv" 3 "quote" store
bad_import "store import: not UTF-8" "$REC/non_utf8.csv" 3 "UTF-8" store
bad_import "store import: a row too long" "$REC/extra_field.csv" 3 "fields" store
bad_import "store import: empty file" "$REC/empty.csv" "" "empty" store
bad_import "employee import: unknown store" "$REC/employees_unknown_store.csv" 3 "XX-001" employee
bad_import "employee import: a stores file" "$REC/stores.csv" 1 "column" employee
bad_import "store import: no such file" "$WORK/nosuch.csv" "" "nosuch.csv" store
[ "$(dbq "SELECT count(*) FROM store WHERE id LIKE 'SH-10%'")" = 0 ] ||
    fail "a refused import left rows"
# The same id twice in one master list: which one is meant? Like a duplicate key
# in a checklist (SPEC: iniparser keeps the last silently, so the loader finds
# duplicates itself), it must be refused naming both lines, not last-one-wins.
# BUG: store import takes both rows: SH-101 is added from line 2 and silently
# replaced by line 4 ("stores: 1 added, 2 updated"), exit 0.
dump > before.dump
run "$SVA" store import "$REC/duplicate_row.csv"
if [ "$RC" -ne 3 ]; then
    fail "store import of a file with SH-101 twice: exit $RC (want 3), stdout: $OUT"
else
    expect_err "duplicate_row.csv:4: " "the same id twice: file:line"
    expect_err "SH-101" "the same id twice: the id named"
    dump > after.dump
    cmp -s before.dump after.dump || fail "the same id twice: the database changed"
fi

# ---- cycles ---------------------------------------------------------------------------------
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open"
expect_out "2026-11" "cycle open"
run "$SVA" cycle open 2026-Q3 --from 2026-07-01 --to 2026-09-30
expect_rc 0 "cycle open 2026-Q3"
# cycles follow one another: a quarter over a month already open is refused
refused "cycle open: overlaps 2026-11" "$SVA" cycle open 2026-Q4 --from 2026-10-01 --to 2026-12-31
expect_err "overlaps cycle '2026-11'" "the overlap named"
refused "cycle open: overlaps by a day" "$SVA" cycle open 2026-12 --from 2026-11-30 --to 2026-12-31
usage "cycle open: bad date" "$SVA" cycle open 2027-02 --from 2027-02-01 --to 2027-02-30
expect_err "2027-02-30" "bad date named"
usage "cycle open: not a date" "$SVA" cycle open 2027-03 --from 1.3.2027 --to 2027-03-31
expect_err "1.3.2027" "not a date named"
refused "cycle open: to before from" "$SVA" cycle open 2027-04 --from 2027-04-30 --to 2027-04-01
expect_err "before" "to before from"
refused "cycle open: duplicate" "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_err "2026-11" "duplicate cycle named"
refused "cycle open: bad id" "$SVA" cycle open "Nov 2026" --from 2026-11-01 --to 2026-11-30
run "$SVA" cycle list --format json
printf '%s' "$OUT" > cycles.json
"$PY" - cycles.json <<'EOF' || fail "cycle list: see above"
import json, sys
j = json.load(open(sys.argv[1], encoding='utf-8'))
assert [c['id'] for c in j] == ['2026-Q3', '2026-11'], j     # by start date
c = j[1]
assert (c['from'], c['to'], c['state'], c['audits']) == ('2026-11-01', '2026-11-30', 'plan', 0), c
EOF
run "$SVA" cycle list
expect_rc 0 "cycle list (table)"
printf '%s\n' "$OUT" | grep -Eq '^2026-11 +2026-11-01 +2026-11-30 +plan +0 +0$' || fail "cycle list table: $OUT"

# ---- usage errors: exit 2, nothing changed -----------------------------------------------------
usage "store without subcommand" "$SVA" store
usage "store frob" "$SVA" store frob
usage "store add without --name" "$SVA" store add SH-009
usage "store add without id" "$SVA" store add --name X
usage "store add two ids" "$SVA" store add A B --name X
usage "store add --store" "$SVA" store add SH-009 --name X --store SH-001
usage "store import without file" "$SVA" store import
usage "store list --format xml" "$SVA" store list --format xml
usage "store --bogus" "$SVA" store list --bogus
expect_err "bogus" "unknown option named"
usage "employee add without --store" "$SVA" employee add E9 --name X
usage "employee list --region" "$SVA" employee list --region east
usage "employee import two files" "$SVA" employee import a.csv b.csv
usage "cycle open without --to" "$SVA" cycle open 2027-01 --from 2027-01-01
usage "cycle open without id" "$SVA" cycle open --from 2027-01-01 --to 2027-01-31
usage "cycle frob" "$SVA" cycle frob
usage "init with an argument" "$SVA" init extra
usage "merge without file" "$SVA" merge
usage "--db without value" "$SVA" store list --db

# ---- CSV files as Excel saves them: --sep and --encoding (the messages name them) ----------------
printf 'id;name;region\nSH-201;Sunrise Suzhou;east\n' > semi.csv
refused "store import of a ';' file" "$SVA" store import semi.csv
expect_err "--sep ';'" "the ';' file: the flag to use named"
run "$SVA" store import semi.csv --sep ';'
expect_rc 0 "store import --sep ';'"
expect_out "1 added" "store import --sep ';'"
"$PY" -c "open('gbk.csv', 'wb').write('id,name,store,role\nSH-201-E01,王芳,SH-201,sales\n'.encode('gb18030'))"
refused "employee import of a GBK file" "$SVA" employee import gbk.csv
expect_err "--encoding gb18030" "the GBK file: the flag to use named"
run "$SVA" employee import gbk.csv --encoding gbk
expect_rc 0 "employee import --encoding gbk"
run "$SVA" employee list --store SH-201 --format csv
expect_out "SH-201-E01,王芳,SH-201,sales" "the GBK name read as UTF-8"
usage "--sep x" "$SVA" store import semi.csv --sep x
expect_err "--sep" "--sep x: the flag named"
usage "--encoding latin1" "$SVA" survey import semi.csv --encoding latin1
expect_err "--encoding" "--encoding latin1: the flag named"
usage "--sep on store list" "$SVA" store list --sep ';'

done_testing

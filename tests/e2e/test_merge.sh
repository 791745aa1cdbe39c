#!/bin/sh
# svcaudit e2e: `svcaudit merge OTHER.db`: a laptop's database (packed from the
# office's after init, organisation and cycle) brings its audits and the
# stores, employees, cycles and checklist versions they need; merging twice
# adds nothing; a store renamed on another laptop later takes the later name
# (the office's stays in the history); a copy of the office is refused; a file
# that is not an svcaudit database is refused (exit 3), nothing changed.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
dump() { sqlite3 "${1:-svcaudit.db}" .dump; }
count() { sqlite3 "${2:-svcaudit.db}" "SELECT count(*) FROM $1"; }

# ---- the office, and the laptop as a copy of it ------------------------------------------------
"$SVA" init > /dev/null || fail "init"
"$SVA" store import "$REC/stores.csv" > /dev/null || fail "store import"
"$SVA" employee import "$REC/employees.csv" > /dev/null || fail "employee import"
"$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "cycle open"
[ -e svcaudit.db-wal ] && [ -s svcaudit.db-wal ] && fail "WAL not checkpointed on close"
"$SVA" init --name "East office" > /dev/null || fail "name the office"
"$SVA" pack -o laptop.db --name "laptop Zhang" > /dev/null || fail "pack laptop.db"
"$SVA" pack -o laptop2.db --name "laptop Wu" > /dev/null || fail "pack laptop2.db"
cp svcaudit.db copy.db

"$SVA" checklist template phone_handling -o phone.ini > /dev/null
"$SVA" checklist template 6s_store -o 6s.ini > /dev/null
# phone_handling at its best but greeting no (note): 17 of 18 points -> 94.4 %
fill phone.ini office.ini -H store=SH-001 -H employee=SH-001-E02 -H cycle=2026-11 \
    -H auditor=Office -H date=2026-11-02 --rest-yesno yes --rest-num 4 \
    answer.greeting=no 'answer.greeting:note=no dealer name'
run "$SVA" record phone_handling --answers office.ini
expect_rc 0 "office records its own audit"
expect_out "audit 1 recorded: 94.4 %" "office audit"

# the laptop: a new store, employee and cycle, and two audits
L="--db laptop.db"
# shellcheck disable=SC2086
{
    "$SVA" $L store add HZ-001 --name "West Lake Motors" --region east > /dev/null
    "$SVA" $L employee add HZ-001-E01 --name "Sun Yue" --store HZ-001 --role sales > /dev/null
    "$SVA" $L cycle open 2026-12 --from 2026-12-01 --to 2026-12-31 > /dev/null
} || fail "laptop organisation"
# phone_handling, every yes/no yes and every 0-4 at 2 (0.5 of 1): points
# 2+1+1 + 0.5+0.5 + 1+1 + 0.5 + 1 + 1+1+1+1+1 + 2+1 = 16.5 of 18 = 91.7 %
fill phone.ini lap1.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H auditor="Zhang Min" -H date=2026-11-18 --rest-yesno yes --rest-num 2 \
    'closing.thanks:note=thanked twice'
run "$SVA" $L record phone_handling --answers lap1.ini
expect_rc 0 "laptop audit 1"
expect_out "audit 1 recorded: 91.7 %" "laptop audit 1"
# 6s_store at the new store, every 0-4 item 4 and both critical yes/no items yes: 100.0 %
fill 6s.ini lap2.ini -H store=HZ-001 -H cycle=2026-12 -H auditor="Zhang Min" \
    -H date=2026-12-03 --rest-yesno yes --rest-num 4
run "$SVA" $L record 6s_store --answers lap2.ini
expect_rc 0 "laptop audit 2"
expect_out "audit 2 recorded: 100.0 %" "laptop audit 2"
[ "$(count audit)" = 1 ] || fail "recording on the laptop wrote the office's database"

# ---- merge -----------------------------------------------------------------------------------
cp svcaudit.db verbose.db
run "$SVA" merge laptop.db
expect_rc 0 "merge laptop.db"
# the summary: what came, only what is not zero (a store, an employee, a checklist version: 3 more)
[ "$OUT" = "merged laptop.db (laptop Zhang): 2 audits, 1 cycle added; 3 other records added or changed (--verbose counts them)" ] ||
    fail "merge: the summary: $OUT"
# --verbose: every count (the same file into the same database, a copy)
run "$SVA" --db verbose.db merge --verbose laptop.db
expect_rc 0 "merge --verbose laptop.db"
expect_out "merged laptop.db (laptop Zhang): 2 audits added, 0 already here" "merge --verbose: audits"
expect_out "1 store, 1 employee, 1 cycle, 1 checklist version added;" "merge --verbose: the rest"
expect_out "; 0 conflicts$" "merge --verbose: no conflict"
run "$SVA" merge --verbose --conflicts
expect_rc 2 "merge --verbose goes with a file only"
expect_err "--verbose" "merge --verbose --conflicts: the flag named"
[ "$(count audit)" = 3 ] || fail "after merge: $(count audit) audits, want 3"
[ "$(count checklist_version)" = 2 ] || fail "after merge: checklist versions, want 2"
[ "$(sqlite3 svcaudit.db "SELECT name || '/' || region FROM store WHERE id = 'HZ-001'")" = "West Lake Motors/east" ] ||
    fail "merge did not bring store HZ-001"
[ "$(sqlite3 svcaudit.db "SELECT store_id FROM employee WHERE id = 'HZ-001-E01'")" = HZ-001 ] ||
    fail "merge did not bring employee HZ-001-E01"
[ "$(sqlite3 svcaudit.db "SELECT date_from || '..' || date_to FROM cycle WHERE id = '2026-12'")" = "2026-12-01..2026-12-31" ] ||
    fail "merge did not bring cycle 2026-12"
[ "$(sqlite3 svcaudit.db 'SELECT group_concat(uuid) FROM (SELECT uuid FROM audit WHERE id > 1 ORDER BY uuid)')" = \
  "$(sqlite3 laptop.db 'SELECT group_concat(uuid) FROM (SELECT uuid FROM audit ORDER BY uuid)')" ] ||
    fail "merged audits do not keep their UUIDs"
# each merged audit shows exactly as on the laptop (but for its number)
for pair in "1 2" "2 3"; do
    set -- $pair
    "$SVA" --db laptop.db audit show "$1" --format json > lap.json
    "$SVA" audit show "$2" --format json > off.json
    "$PY" - lap.json off.json <<'EOF' || fail "merged audit $2 differs from laptop audit $1"
import json, sys
a, b = (json.load(open(p, encoding='utf-8')) for p in sys.argv[1:3])
a.pop('id'); b.pop('id')
assert a == b, {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
EOF
done
run "$SVA" audit show 2 --format json
printf '%s' "$OUT" > m2.json
"$PY" - m2.json <<'EOF' || fail "merged audit 2: see above"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['score'] == 91.7 and d['auditor'] == 'Zhang Min' and d['store'] == 'SH-001', d
t = [a for a in d['answers'] if a['item'] == 'closing.thanks'][0]
assert t['note'] == 'thanked twice', t
EOF
run "$SVA" audit list --store HZ-001 --format csv
expect_out "6s_store,1,Zhang Min,100.0" "merged 6s audit listed at HZ-001"

# ---- merge again: nothing new ------------------------------------------------------------------
dump > before.dump
run "$SVA" merge laptop.db
expect_rc 0 "merge twice"
[ "$OUT" = "merged laptop.db (laptop Zhang): nothing new (2 audits already here)" ] ||
    fail "merge twice: not nothing new: $OUT"
run "$SVA" merge --verbose laptop.db
expect_rc 0 "merge twice, --verbose"
expect_out "0 stores, 0 employees, 0 cycles, 0 checklist versions added; 0 actions, 0 history lines, 0 targets, 0 survey results, 0 reasons, 0 plans, 0 owners, 0 appeals, 0 closes, 0 action checks, 0 action carries added; 0 store and employee events added; 0 voids, 0 amendments, 0 store or employee changes, 0 other changes taken; 0 conflicts" "merge twice"
dump > after.dump
cmp -s before.dump after.dump || fail "merging twice changed the database"

# a void on the laptop after the merge travels with the next one
run "$SVA" --db laptop.db audit void 1 --reason "wrong employee"
expect_rc 0 "void on the laptop"
run "$SVA" merge laptop.db
expect_rc 0 "merge after a void"
expect_out "merged laptop.db (laptop Zhang): 1 other record added or changed" "merge after a void: the void"
expect_no_out "audit" "merge after a void: no audit added"
"$SVA" audit list --all --format json > all.json
"$PY" - all.json <<'EOF' || fail "the laptop's void did not travel"
import json, sys
d = {a['id']: a for a in json.load(open(sys.argv[1]))}
assert d[2]['status'] == 'void' and d[1]['status'] == 'ok' and d[3]['status'] == 'ok', d
EOF
[ "$(sqlite3 svcaudit.db 'SELECT void_reason FROM audit WHERE id = 2')" = "wrong employee" ] ||
    fail "the void reason did not travel"

# ---- master data: the other laptop renamed SH-001 (later): the later change wins ------------------
printf 'id,name,region\nSH-001,Sunrise Shanghai North,east\n' > rename.csv
sleep 1 # the rename is later than the office's store, by its time
"$SVA" --db laptop2.db store import rename.csv > /dev/null || fail "laptop2 rename"
fill phone.ini lap3.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H auditor="Wu Gang" -H date=2026-11-25 --rest-yesno yes --rest-num 4
run "$SVA" --db laptop2.db record phone_handling --answers lap3.ini
expect_rc 0 "laptop2 audit"
n_before=$(count audit)
cp svcaudit.db verbose.db
run "$SVA" merge laptop2.db
expect_rc 0 "merge of a rename"
expect_out ": 1 audit added; " "the audit on the renamed store is merged"
expect_no_out "conflict" "a rename is no conflict"
run "$SVA" --db verbose.db merge --verbose laptop2.db
expect_out "1 store or employee change" "the rename is taken (--verbose)"
[ "$(sqlite3 svcaudit.db "SELECT name FROM store WHERE id = 'SH-001'")" = "Sunrise Shanghai North" ] ||
    fail "the later name was not taken"
[ "$(sqlite3 svcaudit.db "SELECT count(*) FROM store_history WHERE id = 'SH-001' AND name = 'Sunrise Shanghai'")" = 1 ] ||
    fail "the office's name is not in the history"
[ "$(count audit)" = "$((n_before + 1))" ] || fail "rename merge: audits $(count audit)"
[ "$(sqlite3 svcaudit.db "SELECT store_id FROM audit WHERE auditor = 'Wu Gang'")" = SH-001 ] ||
    fail "the merged audit is not at SH-001"
run "$SVA" merge laptop2.db
expect_rc 0 "merge of a rename, again"
expect_out "nothing new (1 audit already here)" "rename merge again adds nothing"
# and back: the first laptop takes the new name from the office, keeps the old in history
run "$SVA" --db laptop.db merge svcaudit.db
expect_rc 0 "the office into the first laptop"
[ "$(sqlite3 laptop.db "SELECT name FROM store WHERE id = 'SH-001'")" = "Sunrise Shanghai North" ] ||
    fail "the laptop did not take the new name"

# ---- a copy of the office: refused (its records cannot be told from the office's) -------------
dump > before.dump
run "$SVA" merge copy.db
expect_rc 3 "merge of a copy"
expect_err "copy.db: it has this database's identity" "merge of a copy"
expect_err "svcaudit pack" "merge of a copy: the way"
dump > after.dump
cmp -s before.dump after.dump || fail "merge of a copy changed the database"

# ---- not an svcaudit database: refused, nothing changed ---------------------------------------------
printf 'id,name\nSH-001,just text\n' > notes.txt
: > empty.db
sqlite3 other.sqlite "PRAGMA journal_mode = DELETE; CREATE TABLE audit(uuid TEXT); INSERT INTO audit VALUES('x');" > /dev/null
mkdir keep
for f in notes.txt empty.db other.sqlite; do
    cp "$f" "keep/$f"
    dump > before.dump
    run "$SVA" merge "$f"
    expect_rc 3 "merge $f"
    expect_err "$f" "merge $f: the file named"
    expect_err "not an svcaudit database" "merge $f"
    dump > after.dump
    cmp -s before.dump after.dump || fail "merge $f changed the database"
    cmp -s "$f" "keep/$f" || fail "merge $f changed $f"
done
dump > before.dump
run "$SVA" merge nosuch.db
expect_rc 3 "merge of a missing file"
expect_err "nosuch.db" "merge of a missing file names it"
[ -e nosuch.db ] && fail "merge created nosuch.db"
dump > after.dump
cmp -s before.dump after.dump || fail "merge of a missing file changed the database"
# the database into itself: refused, nothing changed, and not blamed on "another
# svcaudit" writing.
# BUG: `svcaudit merge svcaudit.db` (or a path or link to the same file) waits the
# whole busy timeout (30 s) for its own write lock, then says "database error: the
# database stayed busy (another svcaudit is writing); try again", exit 3.
dump > before.dump
run "$SVA" merge "$WORK/svcaudit.db"
expect_rc 3 "merge of the database into itself"
printf '%s\n' "$ERR" | grep -Eq "busy|another svcaudit" &&
    fail "merge into itself blames a busy database: $ERR"
dump > after.dump
cmp -s before.dump after.dump || fail "merge into itself changed the database"
run "$SVA" merge
expect_rc 2 "merge without a file"
run "$SVA" merge a.db b.db
expect_rc 2 "merge of two files"
mkdir nodb && cd nodb || exit 3
run "$SVA" merge ../laptop.db
expect_rc 3 "merge without a database here"
[ -e svcaudit.db ] && fail "merge created a database"
cd ..

done_testing

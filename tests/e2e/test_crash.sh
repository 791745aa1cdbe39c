#!/bin/sh
# svcaudit e2e: crash safety (SPEC "Reliability promises"). svcaudit is killed
# with SIGKILL after a short random delay while it
#   (a) records an audit from a filled sheet (one process per audit),
#   (b) imports a store or employee CSV of 6000 rows (one transaction),
#   (c) merges a laptop database of 300 audits into an office one, (c2) the
#       office's file back into a laptop packed before its 120 actions, (c3) packs a
#       laptop's database (the target absent or whole, never partial),
#   (d) exports a workbook with --data of a cycle of 300 audits,
#   (e) walks an interactive `record --walk` fed from a FIFO, killed between
#       answers (or while it saves one, or while it submits).
# After every kill: PRAGMA integrity_check is ok, no foreign key is dangling,
# every audit is whole (as many answer rows as the checklist has items and a
# section_score row per section, no orphan rows); then the same command run
# again succeeds: the record is stored exactly once, the import brings all of
# the file's rows (and the killed one left all of them or none), the merge is
# all or nothing, the export's target is never a partial file (absent, or a
# workbook whose zip checks out and that openpyxl opens), and the killed walk's
# draft holds the answers given before the kill and resumes to a recorded audit.
# Delays are random (from /dev/urandom); a process that finished before its
# kill does not count as a kill, and the next delays get shorter. Every loop
# is bounded; nothing asserts on time. Prints "survived N kills".
# In the PostgreSQL pass (e2e --pg) the database is a PostgreSQL schema: the
# kills land on a client while the server holds its transaction; (c) to (d)
# are left out (they kill merges and packs of SQLite files, and (d) exports
# the laptop's file that (c) builds); instead a laptop's merge into the
# PostgreSQL office is killed: all or nothing, and whole again after.
# SVA_SKIP_SLOW=1 (e.g. `make valgrind`) skips this test.
. "$ROOT/tests/e2e/lib.sh"
if [ -n "${SVA_SKIP_SLOW:-}" ]; then
    echo "skipped (SVA_SKIP_SLOW is set)"
    exit 0
fi
REC="$FIX/record"
KPID=""
WPID=""
cleanup() {
    [ -n "$KPID" ] && kill -9 "$KPID" 2> /dev/null
    [ -n "$WPID" ] && kill -9 "$WPID" 2> /dev/null
}
trap cleanup EXIT

# rnd N: a random number 0..N-1
rnd() { od -An -N2 -tu2 /dev/urandom | awk -v n="$1" '{ print $1 % n }'; }
# msleep MS: sleep MS milliseconds
msleep() { sleep "$(awk -v m="$1" 'BEGIN { printf "%d.%03d", m / 1000, m % 1000 }')"; }
# killrun MAXMS CMD...: run CMD (stdout k.out, stderr k.err), SIGKILL it after a random
# 0..MAXMS ms; KST = its exit status (137 when the kill landed), KMS = the delay
killrun() {
    kmax=$1
    shift
    "$@" > k.out 2> k.err &
    KPID=$!
    KMS=$(rnd $((kmax + 1)))
    msleep "$KMS"
    kill -9 "$KPID" 2> /dev/null
    wait "$KPID" 2> /dev/null
    KST=$?
    KPID=""
}
# landed LABEL: did the kill land? 1 = yes (counted), 0 = the process had finished
# (its delays shrink: MAXMS is cut by a third); any other status fails.
KILLS=0
landed() {
    if [ "$KST" -eq 137 ]; then
        KILLS=$((KILLS + 1))
        return 0
    fi
    if [ "$KST" -eq 0 ]; then
        MAXMS=$((MAXMS * 2 / 3))
        return 1
    fi
    fail "$1: exit $KST before the kill (stderr: $(cat k.err))"
    return 1
}

# ---- what a whole audit is, per checklist ---------------------------------------------------
# NS: an SQL VALUES list (checklist, sections, items) of the shipped checklists used here
NS=""
for c in phone_handling 6s_store sales_mystery_shop; do
    "$SVA" checklist show "$c" --format json > "cl-$c.json" || fail "checklist show $c"
    v=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("(%r, %d, %d)" % (d["id"], len(d["sections"]), sum(len(s["items"]) for s in d["sections"])))' \
        "cl-$c.json") || fail "checklist show $c: not the JSON expected"
    NS="$NS${NS:+, }$v"
done
# bad audits (no answers or section scores for all items and sections of its checklist),
# orphan answer rows, orphan section_score rows
HALF_SQL="WITH ns(cl, nsec, nit) AS (VALUES $NS)
SELECT (SELECT count(*) FROM audit a LEFT JOIN ns ON ns.cl = a.checklist_id
        WHERE ns.cl IS NULL OR a.n_items != ns.nit
           OR (SELECT count(*) FROM answer WHERE audit_id = a.id) != ns.nit
           OR (SELECT count(*) FROM section_score WHERE audit_id = a.id) != ns.nsec),
       (SELECT count(*) FROM answer WHERE audit_id NOT IN (SELECT id FROM audit)),
       (SELECT count(*) FROM section_score WHERE audit_id NOT IN (SELECT id FROM audit));"
# q DB SQL: a query on DB (svcaudit.db: the test's database, whichever engine)
q() {
    if [ "$1" = svcaudit.db ]; then dbq "$2"; else sqlite3 "$1" "$2"; fi
}
# check_db DB LABEL: the database a kill left behind is sound
check_db() {
    if on_pg && [ "$1" = svcaudit.db ]; then # the server checks its foreign keys itself
        half=$(dbq "$HALF_SQL" 2>&1)
        [ "$half" = "0|0|0" ] ||
            fail "$2: $1 holds part of an audit (bad audits|orphan answers|orphan sections): $half"
        return
    fi
    ic=$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)
    [ "$ic" = ok ] || fail "$2: integrity_check of $1: $ic"
    fk=$(sqlite3 "$1" 'PRAGMA foreign_key_check' 2>&1)
    [ -z "$fk" ] || fail "$2: foreign_key_check of $1: $fk"
    half=$(sqlite3 "$1" "$HALF_SQL" 2>&1)
    [ "$half" = "0|0|0" ] ||
        fail "$2: $1 holds part of an audit (bad audits|orphan answers|orphan sections): $half"
}
# wipe DB: remove a database with its WAL and shared-memory files
wipe() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# ---- the organisation, and the sheets ------------------------------------------------------------
"$SVA" init > /dev/null || fail "init"
"$SVA" store import "$REC/stores.csv" > /dev/null || fail "store import"
"$SVA" employee import "$REC/employees.csv" > /dev/null || fail "employee import"
"$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "cycle open"
on_pg || cp svcaudit.db org.db
for c in phone_handling 6s_store sales_mystery_shop; do
    "$SVA" checklist template "$c" -o "t-$c.ini" > /dev/null || fail "template $c"
done
# everything at its best except one failed item with a note (so notes are stored too)
fill t-phone_handling.ini phone.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-10 --rest-yesno yes --rest-num 4 answer.greeting=no \
    'answer.greeting:note=no own name'
fill t-6s_store.ini 6s.ini -H store=BJ-001 -H cycle=2026-11 -H date=2026-11-11 \
    --rest-yesno yes --rest-num 3
fill t-sales_mystery_shop.ini sales.ini -H store=SH-001 -H employee=SH-001-E02 \
    -H cycle=2026-11 -H date=2026-11-12 --rest-yesno yes --rest-num 3

# ---- (a) record, one process per audit -------------------------------------------------------
# a kill before the commit stores nothing, after it the whole audit; the same command
# again then records it (exit 0), or refuses it as recorded already (exit 3), never twice.
MAXMS=60
K0=$KILLS
stored=0
i=0
while [ "$i" -lt 60 ] && [ $((KILLS - K0)) -lt 20 ]; do
    i=$((i + 1))
    case $((i % 3)) in
    0) cl=phone_handling sheet=phone.ini ;;
    1) cl=6s_store sheet=6s.ini ;;
    *) cl=sales_mystery_shop sheet=sales.ini ;;
    esac
    aud="Rec $i"
    n0=$(q svcaudit.db 'SELECT count(*) FROM audit')
    killrun "$MAXMS" "$SVA" record "$cl" --answers "$sheet" --auditor "$aud"
    landed "record $i ($cl)" || continue
    check_db svcaudit.db "record $i ($cl, killed after ${KMS} ms)"
    got=$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")
    n1=$(q svcaudit.db 'SELECT count(*) FROM audit')
    [ "$got" -le 1 ] && [ "$n1" -eq $((n0 + got)) ] ||
        fail "record $i: $got audits by '$aud', $n0 -> $n1 in all"
    run "$SVA" record "$cl" --answers "$sheet" --auditor "$aud"
    if [ "$got" -eq 1 ]; then
        stored=$((stored + 1))
        expect_rc 3 "record $i again after a kill that landed after the commit"
        expect_err "recorded already" "record $i again"
    else
        expect_rc 0 "record $i again after the kill"
        expect_out "recorded" "record $i again"
    fi
    [ "$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")" = 1 ] ||
        fail "record $i: not exactly one audit by '$aud' after the re-run"
done
check_db svcaudit.db "after (a)"
echo "(a) record: $((KILLS - K0)) kills in $i runs ($stored had committed)"
KA=$((KILLS - K0))

# ---- (b) import of a big CSV: all rows or none --------------------------------------------------
# 6000 rows with new ids per run; even runs import stores, odd runs employees (of SH-001).
ROWS=6000
MAXMS=400
K0=$KILLS
all=0
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 12 ]; do
    i=$((i + 1))
    if [ $((i % 2)) -eq 0 ]; then
        kind=store table=store
        awk -v n="$ROWS" -v p="K$i" 'BEGIN { print "id,name,region"
            for (r = 1; r <= n; r++) printf "%s-%05d,Store %s %d,region %d\n", p, r, p, r, r % 7 }' \
            > big.csv
    else
        kind=employee table=employee
        awk -v n="$ROWS" -v p="K$i" 'BEGIN { print "id,name,store,role"
            for (r = 1; r <= n; r++) printf "%s-%05d,Person %s %d,SH-001,sales\n", p, r, p, r }' \
            > big.csv
    fi
    killrun "$MAXMS" "$SVA" "$kind" import big.csv
    if ! landed "$kind import $i"; then
        [ "$(q svcaudit.db "SELECT count(*) FROM $table WHERE id LIKE 'K$i-%'")" = "$ROWS" ] ||
            fail "$kind import $i (not killed): not all rows"
        continue
    fi
    check_db svcaudit.db "$kind import $i (killed after ${KMS} ms)"
    got=$(q svcaudit.db "SELECT count(*) FROM $table WHERE id LIKE 'K$i-%'")
    if [ "$got" = "$ROWS" ]; then
        all=$((all + 1))
    elif [ "$got" != 0 ]; then
        fail "$kind import $i killed after ${KMS} ms left $got of $ROWS rows (want all or none)"
    fi
    run "$SVA" "$kind" import big.csv
    expect_rc 0 "$kind import $i again after the kill"
    [ "$(q svcaudit.db "SELECT count(*) FROM $table WHERE id LIKE 'K$i-%'")" = "$ROWS" ] ||
        fail "$kind import $i again: not all $ROWS rows"
    if [ "$got" = "$ROWS" ]; then
        expect_out "0 added, 0 updated, $ROWS unchanged" "$kind import $i again (had committed)"
    else
        expect_out "$ROWS added, 0 updated, 0 unchanged" "$kind import $i again"
    fi
done
check_db svcaudit.db "after (b)"
echo "(b) import of $ROWS rows: $((KILLS - K0)) kills in $i runs ($all had committed, the rest left none)"
KB=$((KILLS - K0))

# ---- (c, PostgreSQL) a laptop's 300 audits merged into the PostgreSQL office: all or nothing -------
# each run merges into a fresh schema holding the office (copied from its SQLite image)
KP=0
if on_pg; then
    wipe laptop.db
    "$SVA" pack -o laptop.db > /dev/null || fail "pack the laptop from PostgreSQL"
    n=0
    while [ "$n" -lt 150 ]; do
        n=$((n + 1))
        "$SVA" --db laptop.db record sales_mystery_shop --answers sales.ini --auditor "Lap $n" \
            > /dev/null || { fail "laptop: record sales $n"; break; }
        "$SVA" --db laptop.db record 6s_store --answers 6s.ini --auditor "Lap $n" > /dev/null ||
            { fail "laptop: record 6s $n"; break; }
    done
    LAP=$(q laptop.db 'SELECT count(*) FROM audit')
    "$SVA" copy --from "$SVA_PG_URL" --to office-image.db > /dev/null || fail "the office's image"
    OFF=$(q office-image.db 'SELECT count(*) FROM audit')
    pk() { psql -X -q -At -v ON_ERROR_STOP=1 "$SVA_TEST_PG" -c "SET search_path TO $KS" -c "$1"; }
    MAXMS=600
    K0=$KILLS
    all=0
    i=0
    while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 8 ]; do
        i=$((i + 1))
        KS="${SVA_PG_SCHEMA}_k$i"
        KU="$SVA_TEST_PG&schema=$KS"
        "$SVA" copy --from office-image.db --to "$KU" > /dev/null || { fail "copy $i"; break; }
        killrun "$MAXMS" "$SVA" --db "$KU" merge laptop.db
        landed "merge into PostgreSQL $i" || continue
        half=$(pk "$HALF_SQL" 2>&1)
        [ "$half" = "0|0|0" ] || fail "merge into PostgreSQL $i killed after ${KMS} ms: part of an audit: $half"
        got=$(pk 'SELECT count(*) FROM audit')
        if [ "$got" = $((OFF + LAP)) ]; then
            all=$((all + 1))
        elif [ "$got" != "$OFF" ]; then
            fail "merge into PostgreSQL $i killed after ${KMS} ms: $got audits (want $OFF or $((OFF + LAP)))"
        fi
        run "$SVA" --db "$KU" merge laptop.db
        expect_rc 0 "merge into PostgreSQL $i again after the kill"
        [ "$(pk 'SELECT count(*) FROM audit')" = $((OFF + LAP)) ] ||
            fail "merge into PostgreSQL $i again: not all the laptop's audits"
    done
    echo "(c) merge of $LAP audits into PostgreSQL: $((KILLS - K0)) kills in $i runs ($all had committed)"
    KP=$((KILLS - K0))
fi

# ---- (c) merge of a laptop with 300 audits: all or nothing --------------------------------------
KC=0
KC2=0
KC3=0
KD=0
on_pg || {
"$SVA" --db org.db pack -o laptop.db > /dev/null || fail "pack the laptop"
n=0
while [ "$n" -lt 150 ]; do
    n=$((n + 1))
    "$SVA" --db laptop.db record sales_mystery_shop --answers sales.ini --auditor "Lap $n" \
        > /dev/null || { fail "laptop: record sales $n"; break; }
    "$SVA" --db laptop.db record 6s_store --answers 6s.ini --auditor "Lap $n" > /dev/null ||
        { fail "laptop: record 6s $n"; break; }
done
LAP=$(q laptop.db 'SELECT count(*) FROM audit')
[ "$LAP" = 300 ] || fail "laptop: $LAP audits, want 300"
check_db laptop.db "laptop"
LAPSUM=$(q laptop.db "SELECT group_concat(uuid) FROM (SELECT uuid FROM audit ORDER BY uuid)")
cp org.db office-base.db
"$SVA" --db office-base.db record phone_handling --answers phone.ini --auditor "Office" \
    > /dev/null || fail "office: record"
OFF=$(q office-base.db 'SELECT count(*) FROM audit')
MAXMS=150
K0=$KILLS
all=0
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 12 ]; do
    i=$((i + 1))
    wipe office.db
    cp office-base.db office.db
    killrun "$MAXMS" "$SVA" --db office.db merge laptop.db
    landed "merge $i" || continue
    check_db office.db "merge $i (killed after ${KMS} ms)"
    got=$(q office.db 'SELECT count(*) FROM audit')
    if [ "$got" = $((OFF + LAP)) ]; then
        all=$((all + 1))
    elif [ "$got" != "$OFF" ]; then
        fail "merge $i killed after ${KMS} ms: $got audits in the office (want $OFF or $((OFF + LAP)))"
    fi
    [ "$(q laptop.db 'SELECT count(*) FROM audit')" = "$LAP" ] || fail "merge $i changed the laptop"
    run "$SVA" --db office.db merge laptop.db
    expect_rc 0 "merge $i again after the kill"
    if [ "$got" = "$OFF" ]; then
        expect_out ": $LAP audits[ ,]" "merge $i again"
    else
        expect_out ": nothing new ($LAP audits already here)$" "merge $i again (had committed)"
    fi
    check_db office.db "merge $i again"
    [ "$(q office.db "SELECT group_concat(uuid) FROM (SELECT uuid FROM audit
        WHERE auditor != 'Office' ORDER BY uuid)")" = "$LAPSUM" ] ||
        fail "merge $i again: the office does not hold exactly the laptop's audits"
done
check_db laptop.db "the laptop after (c)"
echo "(c) merge of $LAP audits: $((KILLS - K0)) kills in $i runs ($all had committed, the rest left none)"
KC=$((KILLS - K0))

# ---- (c2) the other way: the office's file into a laptop packed before its actions ---------------
# the laptop is packed from the office (301 audits, no action); the office then opens 120
# actions, each with its fields and history; merging the office's file takes all or none
wipe lap0.db
"$SVA" --db office.db pack -o lap0.db --name "laptop back" > /dev/null || fail "pack lap0.db"
n=0
while [ "$n" -lt 120 ]; do
    n=$((n + 1))
    "$SVA" --db office.db action add --cycle 2026-11 --store SH-001 --metric ssi --by Office \
        --set why="visit $n" --set what="fix $n" --set who=Li --set when=2026-11-28 \
        --set where=floor --set how=training > /dev/null || { fail "office: action $n"; break; }
done
ACT=$(q office.db 'SELECT count(*) FROM action')
HIST=$(q office.db 'SELECT count(*) FROM action_history')
MAXMS=150
K0=$KILLS
all=0
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 8 ]; do
    i=$((i + 1))
    wipe lapk.db
    cp lap0.db lapk.db
    killrun "$MAXMS" "$SVA" --db lapk.db merge office.db
    landed "merge back $i" || continue
    check_db lapk.db "merge back $i (killed after ${KMS} ms)"
    got=$(q lapk.db 'SELECT count(*) FROM action')
    if [ "$got" = "$ACT" ]; then
        all=$((all + 1))
    elif [ "$got" != 0 ]; then
        fail "merge back $i killed after ${KMS} ms: $got actions on the laptop (want 0 or $ACT)"
    fi
    run "$SVA" --db lapk.db merge office.db
    expect_rc 0 "merge back $i again after the kill"
    check_db lapk.db "merge back $i again"
    [ "$(q lapk.db 'SELECT count(*) FROM action')" = "$ACT" ] &&
        [ "$(q lapk.db 'SELECT count(*) FROM action_history')" = "$HIST" ] ||
        fail "merge back $i again: the laptop does not hold the office's $ACT actions and history"
done
echo "(c2) merge of the office's $ACT actions into a laptop: $((KILLS - K0)) kills in $i runs" \
    "($all had committed, the rest left none)"
KC2=$((KILLS - K0))

# ---- (c3) pack: the laptop's file is absent or whole, never partial ----------------------------------
MAXMS=150
K0=$KILLS
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 8 ]; do
    i=$((i + 1))
    wipe packed.db
    killrun "$MAXMS" "$SVA" --db office.db pack -o packed.db --name "laptop $i"
    landed "pack $i" || continue
    if [ -e packed.db ]; then
        check_db packed.db "pack $i (killed after ${KMS} ms)"
        [ "$(q packed.db "SELECT value FROM meta WHERE key = 'db_name'")" = "laptop $i" ] ||
            fail "pack $i: the file left is not the named laptop"
        [ "$(q packed.db 'SELECT count(*) FROM store')" = 3 ] || fail "pack $i: a partial file"
    fi
    [ -e packed.db-wal ] && [ -s packed.db-wal ] && fail "pack $i: a -wal beside the laptop's file"
    wipe packed.db
    run "$SVA" --db office.db pack -o packed.db --name "laptop $i"
    expect_rc 0 "pack $i again after the kill"
    check_db packed.db "pack $i again"
    rm -f packed.db.tmp-*
done
check_db office.db "the office after (c2) and (c3)"
echo "(c3) pack: $((KILLS - K0)) kills in $i runs"
KC3=$((KILLS - K0))

# ---- (d) export --data of the laptop's 300 audits: never a partial file --------------------------
# the workbook goes to out/; before some runs the previous one is removed, so the kill
# finds the target absent or present. After the kill the target is absent (only if it was
# absent before) or a complete workbook.
cat > wbcheck.py <<'EOF'
import sys, zipfile
import openpyxl
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    assert bad is None, 'corrupt member %s' % bad
wb = openpyxl.load_workbook(path, read_only=True)
names = wb.sheetnames
for want in ('Dashboard', 'Stores', 'Audits', 'Data'):
    assert want in names, (want, names)
wb.close()
EOF
wb_ok() { "$PY" wbcheck.py "$1" > wb.err 2>&1; }
mkdir out
MAXMS=500
K0=$KILLS
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 12 ]; do
    i=$((i + 1))
    [ "$(rnd 3)" -eq 0 ] && rm -f out/report.xlsx
    had=0
    [ -e out/report.xlsx ] && had=1
    killrun "$MAXMS" "$SVA" --db laptop.db export --cycle 2026-11 -o out/report.xlsx --data
    landed "export $i" || continue
    check_db laptop.db "export $i (killed after ${KMS} ms)"
    if [ -e out/report.xlsx ]; then
        wb_ok out/report.xlsx ||
            fail "export $i killed after ${KMS} ms left a partial out/report.xlsx: $(tail -1 wb.err)"
    elif [ "$had" -eq 1 ]; then
        fail "export $i killed after ${KMS} ms removed the previous out/report.xlsx"
    fi
    run "$SVA" --db laptop.db export --cycle 2026-11 -o out/report.xlsx --data
    expect_rc 0 "export $i again after the kill"
    wb_ok out/report.xlsx || fail "export $i again: not a complete workbook: $(tail -1 wb.err)"
done
# A killed export's temporary workbook (report.xlsx.tmp-HOST-PID.xlsx) and the folder
# of libxlsxwriter's temporary files (.svcaudit-tmp-HOST-PID) are removed by the next
# export (each kill above is followed by one): nothing but the workbook may be left.
left=$(find out -mindepth 1 ! -name report.xlsx | sed 's|^out/||' | tr '\n' ' ')
[ -z "$left" ] || fail "killed exports left files the next export did not sweep: $left"
echo "(d) export --data of $LAP audits: $((KILLS - K0)) kills in $i runs"
KD=$((KILLS - K0))
}

# ---- (e) the interactive walk, killed between answers ----------------------------------------------
# phone_handling at its best (yes, or the top of a numeric scale): 100.0 %. Each run gives
# K answers one by one (waiting until the draft holds each), then either is killed at once,
# or is sent one more answer (the submit 's' after the last) and killed 0..MAXMS ms later,
# while it saves that answer or stores the audit.
"$PY" - cl-phone_handling.json > walk.answers <<'EOF' || fail "walk answers"
import json, sys
d = json.load(open(sys.argv[1]))
for s in d['sections']:
    for i in s['items']:
        assert i['evidence'] != 'always', 'a note would be asked for: ' + i['id']
        print('yes' if i['scale'] == 'yesno' else i['max'])
EOF
NIT=$(wc -l < walk.answers)
# n_answered DRAFT: how many items the draft answers
n_answered() { grep -c '^answer[[:space:]]*=[[:space:]]*[^[:space:]]' "$1"; }
# answers_of DRAFT: the draft's answers, one per item ('' when unanswered)
answers_of() { sed -n 's/^answer[[:space:]]*=[[:space:]]*//p' "$1" | sed 's/[[:space:]]*$//'; }
# wait_draft DRAFT K: poll (bounded) until the draft holds K answers
wait_draft() {
    t=0
    while [ "$t" -lt 1000 ]; do
        [ -f "$1" ] && [ "$(n_answered "$1")" -eq "$2" ] && return 0
        t=$((t + 1))
        sleep 0.02
    done
    return 1
}
MAXMS=30
K0=$KILLS
stored=0
tmpleft=0
i=0
while [ "$i" -lt 40 ] && [ $((KILLS - K0)) -lt 14 ]; do
    i=$((i + 1))
    aud="Walker $i"
    dr="walk$i.ini"
    k=$(rnd $((NIT + 1)))
    mode=$(rnd 2) # 0: killed between answers; 1: killed 0..MAXMS ms after one more line
    rm -f w.fifo
    mkfifo w.fifo || fail "mkfifo"
    "$SVA" record phone_handling --walk --cycle 2026-11 --store SH-001 --employee SH-001-E02 \
        --auditor "$aud" --date 2026-11-20 --draft "$dr" < w.fifo > w.out 2>&1 &
    WPID=$!
    exec 3> w.fifo
    wait_draft "$dr" 0 || fail "walk $i: no draft"
    j=0
    while [ "$j" -lt "$k" ]; do
        j=$((j + 1))
        sed -n "${j}p" walk.answers >&3
        wait_draft "$dr" "$j" || { fail "walk $i: the draft never held $j answers"; break; }
    done
    KMS=0
    if [ "$mode" -eq 1 ]; then
        if [ "$k" -lt "$NIT" ]; then sed -n "$((k + 1))p" walk.answers >&3; else echo s >&3; fi
        KMS=$(rnd $((MAXMS + 1)))
        msleep "$KMS"
    fi
    kill -9 "$WPID" 2> /dev/null
    wait "$WPID" 2> /dev/null
    KST=$?
    WPID=""
    exec 3>&-
    if [ "$KST" -ne 137 ]; then
        # only a submit can end the walk before the kill
        [ "$KST" -eq 0 ] && [ "$k" -eq "$NIT" ] && [ "$mode" -eq 1 ] ||
            fail "walk $i: exit $KST before the kill: $(tail -3 w.out)"
        MAXMS=$((MAXMS * 2 / 3))
        [ "$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")" = 1 ] ||
            fail "walk $i: submitted, but not one audit stored"
        continue
    fi
    KILLS=$((KILLS + 1))
    what="walk $i (killed after $k answers, mode $mode, ${KMS} ms)"
    check_db svcaudit.db "$what"
    for t in "$dr".tmp*; do
        [ -e "$t" ] && tmpleft=$((tmpleft + 1))
    done
    got=$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")
    if [ "$got" -eq 1 ]; then
        # the kill landed after the submit's commit
        [ "$k" -eq "$NIT" ] && [ "$mode" -eq 1 ] || fail "$what: an audit was stored"
        stored=$((stored + 1))
        if [ -e "$dr" ]; then
            # killed between the commit and the draft's removal: nothing is lost, but the
            # draft stays; resuming it must at least say the audit is recorded already.
            # (It then says "not submitted: fix the items above" and keeps the draft.)
            echo s > resume.in
            run sh -c "\"$SVA\" record --resume \"$dr\" < resume.in"
            expect_err "recorded already" "$what: resume of the draft of a stored audit"
            [ "$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")" = 1 ] ||
                fail "$what: resume stored the audit twice"
            echo "note: $what: the kill landed between the commit and the draft's removal;" \
                "resume says 'recorded already' and keeps the draft"
        fi
        continue
    fi
    [ "$got" -eq 0 ] || fail "$what: $got audits stored"
    [ -f "$dr" ] || {
        fail "$what: the draft is gone"
        continue
    }
    m=$(n_answered "$dr")
    if [ "$mode" -eq 0 ] || [ "$k" -eq "$NIT" ]; then
        [ "$m" -eq "$k" ] || fail "$what: the draft holds $m answers, want $k"
    else
        [ "$m" -eq "$k" ] || [ "$m" -eq $((k + 1)) ] ||
            fail "$what: the draft holds $m answers, want $k or $((k + 1))"
    fi
    answers_of "$dr" > got.answers
    { head -n "$m" walk.answers; j=$m; while [ "$j" -lt "$NIT" ]; do echo; j=$((j + 1)); done; } \
        > want.answers
    cmp -s got.answers want.answers ||
        fail "$what: the draft's answers are not the ones given: $(tr '\n' ' ' < got.answers)"
    { tail -n $((NIT - m)) walk.answers; echo s; } > resume.in
    [ "$m" -eq "$NIT" ] && echo s > resume.in
    run sh -c "\"$SVA\" record --resume \"$dr\" < resume.in"
    expect_rc 0 "$what: resume"
    expect_out "recorded: 100.0 %" "$what: resume to a recorded audit"
    [ -e "$dr" ] && fail "$what: the draft is still there after the resumed submit"
    [ "$(q svcaudit.db "SELECT count(*) FROM audit WHERE auditor = '$aud'")" = 1 ] ||
        fail "$what: resume did not store exactly one audit"
done
check_db svcaudit.db "after (e)"
echo "(e) walk: $((KILLS - K0)) kills in $i runs ($stored after the submit's commit;" \
    "$tmpleft temporary drafts left by kills during a save)"
KE=$((KILLS - K0))

[ "$KA" -ge 10 ] && [ "$KB" -ge 6 ] &&
    { on_pg || { [ "$KC" -ge 6 ] && [ "$KC2" -ge 4 ] && [ "$KC3" -ge 4 ] && [ "$KD" -ge 6 ]; }; } &&
    { ! on_pg || [ "$KP" -ge 4 ]; } &&
    [ "$KE" -ge 6 ] ||
    fail "too few kills landed: $KA record, $KB import, $KC merge, $KC2 merge back, $KC3 pack," \
        "$KD export, $KE walk, $KP merge into PostgreSQL"
minkills=60
on_pg && minkills=40 # merges into PostgreSQL; no merge or pack of files, no export
[ "$KILLS" -ge "$minkills" ] || fail "only $KILLS kills landed (want at least $minkills)"
echo "survived $KILLS kills ($KA record, $KB import, $KC merge, $KC2 merge back, $KC3 pack," \
    "$KD export, $KE walk, $KP merge into PostgreSQL)"
done_testing

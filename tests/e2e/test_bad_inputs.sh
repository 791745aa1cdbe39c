#!/bin/sh
# svcaudit e2e: every bad input in tests/bad/ (MANIFEST: files; argv.txt: command
# lines) against the real binary and a small real database. For each case: the
# exit status is the one wanted (never 0, never a crash), stderr is one line
# starting 'svcaudit: ' (several only where the case allows it, each naming the
# file) that names the file and line or the flag, no sanitizer report, no file
# left behind, the input file untouched, and the database unchanged
# (sqlite3 .dump identical, PRAGMA integrity_check ok), and no password of the
# command line on stderr. Cases marked '# BUG:' are known violations: they run
# and fail like the others until fixed. Cases on PostgreSQL targets (pg:NAME)
# need make check's server (SVA_TEST_PG); without it they are skipped.
. "$ROOT/tests/e2e/lib.sh"
BAD="$ROOT/tests/bad"
T="$WORK/.t"   # this script's own files, kept out of the "left behind" check
mkdir -p "$T" "$WORK/gen"
export SVCAUDIT_TODAY=2026-11-20
unset SVCAUDIT_DB

# ---- a small real database -------------------------------------------------------
setup() {
    "$SVA" "$@" > "$T/setup.out" 2>&1 || { cat "$T/setup.out"; echo "set-up failed: svcaudit $*"; exit 1; }
}
printf 'id,name,region\nSH-001,Sunrise Shanghai,east\nSH-002,"Sunrise Pudong, Shanghai",east\nBJ-001,Capital Motors,north\n' > "$T/stores.csv"
printf 'id,name,store,role\nSH-001-E01,Li Ming,SH-001,sales\nBJ-001-E01,Zhao Lei,BJ-001,service\n' > "$T/employees.csv"
setup init
setup store import "$T/stores.csv"
setup employee import "$T/employees.csv"
setup cycle open 2026-10 --from 2026-10-01 --to 2026-10-31
setup cycle close 2026-10
setup cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
setup checklist template sales_mystery_shop -o "$T/template.ini"
# fill SHEET_OUT STORE EMPLOYEE CYCLE AUDITOR DATE: every answer yes
fill() {
    sed -e 's/^answer   =$/answer   = yes/' -e "s/^store     =.*/store     = $2/" \
        -e "s/^employee  =.*/employee  = $3/" -e "s/^cycle     =.*/cycle     = $4/" \
        -e "s/^auditor   =.*/auditor   = $5/" -e "s/^date      =.*/date      = $6/" \
        "$T/template.ini" > "$1"
}
fill "$T/recorded.ini" SH-001 SH-001-E01 2026-11 "Zhang Min" 2026-11-12
fill "$T/ok.ini" SH-001 SH-001-E01 2026-11 "Li Na" 2026-11-13
setup record sales_mystery_shop --answers "$T/recorded.ini"
setup action add --cycle 2026-11 --store SH-001 --set why="greeted late" --set what="door rota" \
    --set who="Wang Fang" --set when=2026-11-25 --set where=showroom --set how="rota on the board"
[ "$(sqlite3 svcaudit.db 'SELECT count(*) FROM audit')" = 1 ] || { echo "set-up: no audit"; exit 1; }

# ---- inputs made at run time (big files, databases, complete sheets) --------------
# set_item FILE ITEM VALUE: the answer of [item.ITEM] in an INI sheet
set_item() {
    awk -v s="[item.$2]" -v v="$3" '$0 == s { f = 1 } f && /^answer/ { $0 = "answer   =" (v == "" ? "" : " " v); f = 0 } { print }' "$1"
}
# repeat N TEXT: TEXT N times, no line break
repeat() { awk -v n="$1" -v t="$2" 'BEGIN { s = t; while (length(s) < n * length(t)) s = s s; printf "%s", substr(s, 1, n * length(t)) }'; }
MINI='[checklist]
id      = gen_case
version = 1
title   = Generated case
subject = store
index   = none

[section.main]
title = Main
'
# a copy of the database, WAL folded in, for the database cases
db_copy() {
    sqlite3 svcaudit.db 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    cp svcaudit.db "$1"
}
gen() {
    p="$WORK/gen/$1"
    [ -e "$p" ] && return 0
    mkdir -p "$(dirname "$p")"
    case $1 in
    missing.*) rm -f "$p" ;;  # a path that does not exist
    a_folder) mkdir -p "$p" ;;
    fifo.*) mkfifo "$p" ;;  # a named pipe: opening it waits for a writer
    ok_sheet.ini) cp "$T/ok.ini" "$p" ;;
    sheet_duplicate.ini) cp "$T/recorded.ini" "$p" ;;
    sheet_note_missing.ini) set_item "$T/ok.ini" greeting.within_60s no > "$p" ;;
    sheet_na_not_allowed.ini) set_item "$T/ok.ini" greeting.within_60s na > "$p" ;;
    sheet_unanswered.ini) set_item "$T/ok.ini" greeting.welcome "" > "$p" ;;
    sheet_bad_date.ini) sed 's/^date      = .*/date      = 2026-13-45/' "$T/ok.ini" > "$p" ;;
    sheet_date_outside_cycle.ini) sed 's/^date      = .*/date      = 2026-10-15/' "$T/ok.ini" > "$p" ;;
    sheet_date_future.ini) sed 's/^date      = .*/date      = 2026-11-25/' "$T/ok.ini" > "$p" ;;
    sheet_unknown_store.ini) sed 's/^store     = .*/store     = XX-999/' "$T/ok.ini" > "$p" ;;
    sheet_employee_other_store.ini) sed 's/^employee  = .*/employee  = BJ-001-E01/' "$T/ok.ini" > "$p" ;;
    sheet_unknown_cycle.ini) sed 's/^cycle     = .*/cycle     = 2027-01/' "$T/ok.ini" > "$p" ;;
    sheet_closed_cycle.ini)
        sed -e 's/^cycle     = .*/cycle     = 2026-10/' -e 's/^date      = .*/date      = 2026-10-15/' \
            "$T/ok.ini" > "$p" ;;
    sheet_no_employee.ini) sed 's/^employee  = .*/employee  =/' "$T/ok.ini" > "$p" ;;
    sheet_bad_date.csv)
        { printf 'field,value\nchecklist,sales_mystery_shop\nstore,SH-001\nemployee,SH-001-E01\n'
          printf 'cycle,2026-11\nauditor,Li Na\ndate,2026-13-45\n\nitem,answer\n'
          sed -n 's/^\[item\.\(.*\)\]$/\1,yes/p' "$T/template.ini"; } > "$p" ;;
    sheet_many_unknown_items.csv)
        { printf 'field,value\nchecklist,sales_mystery_shop\n\nitem,answer\n'
          awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "no.such_%d,yes\n", i }'; } > "$p" ;;
    huge_line_sheet.ini)
        { printf '[audit]\nchecklist = sales_mystery_shop\n\n[item.greeting.welcome]\nanswer = yes\nnote = "'
          repeat 2097152 x; printf '"\n'; } > "$p" ;;
    too_big_sheet.ini)  # over the 64 MiB a sheet may have
        { printf '[audit]\nchecklist = sales_mystery_shop\n'
          head -c 67200000 /dev/zero | tr '\0' ';'; } > "$p" ;;
    long_line.ini)  # one byte over the 1000-byte line limit
        { printf '%s\n[item.main.one]\nsection = main\ntext    = ' "$MINI"
          repeat 991 a; printf '\n'; } > "$p" ;;
    huge_line.ini)
        { printf '%s\n[item.main.one]\nsection = main\ntext    = ' "$MINI"
          repeat 2097152 a; printf '\n'; } > "$p" ;;
    many_items_bad.ini)  # 2000 problems
        { printf '%s' "$MINI"
          awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "\n[item.main.i%d]\nsection = main\ntext = Item %d\nscale = 0-%d\n", i, i, i + 10 }'; } > "$p" ;;
    bad_custom/unknown_key.ini) cp "$BAD/checklist/unknown_key.ini" "$p" ;;
    huge_field_stores.csv)
        { printf 'id,name,region\nSH-101,'; repeat 5242880 n; printf ',east\n'; } > "$p" ;;
    huge_line_employees.csv)
        { printf 'id,name,store,role\n'; repeat 5242880 e; printf '\n'; } > "$p" ;;
    huge_line_targets.ini)
        { printf '[network]\ncycle = 2026-11\nssi = '; repeat 2097152 9; printf '\n'; } > "$p" ;;
    # database look-alikes (made here: the project's .gitignore drops *.db)
    text.db) printf 'This is not a database.\nIt is a text file that happens to be called .db.\n' > "$p" ;;
    empty.db) : > "$p" ;;
    header_only.db) printf 'SQLite format 3\000but nothing after the magic header\n' > "$p" ;;
    junk.db)
        for i in 1 2 3 4 5 6; do cat "$BAD/checklist/binary_junk.ini"; done | head -c 4096 > "$p" ;;
    truncated.db)
        db_copy "$T/full.db"
        head -c $(($(wc -c < "$T/full.db") / 2)) "$T/full.db" > "$p" ;;
    foreign.db)
        sqlite3 "$p" 'CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
                      INSERT INTO customers VALUES (1, '"'"'Wang'"'"');' ;;
    schema99.db)
        db_copy "$p"
        sqlite3 "$p" 'PRAGMA user_version = 99' ;;
    corrupt.db)  # the audit table's root page overwritten
        db_copy "$p"
        root=$(sqlite3 "$p" "SELECT rootpage FROM sqlite_master WHERE name = 'audit'")
        size=$(sqlite3 "$p" 'PRAGMA page_size')
        head -c "$size" /dev/zero | tr '\0' '\377' |
            dd of="$p" bs="$size" seek=$((root - 1)) conv=notrunc 2> /dev/null ;;
    *) echo "unknown generated input '$1'"; exit 1 ;;
    esac
}

# pg_target NAME: a PostgreSQL target made on make check's server (its URL on
# stdout); 1 when there is no server
pg_target() {
    [ -n "${SVA_TEST_PG:-}" ] || return 1
    pgq() {
        PGOPTIONS='-c client_min_messages=warning' \
            psql -X -q -At -v ON_ERROR_STOP=1 "$SVA_TEST_PG" -c "$1"
    }
    case $1 in
    wrong_password) echo "$SVA_TEST_PG_PW&password=wrongsecret" ;;
    no_database) echo "${SVA_TEST_PG%%\?*}_missing?${SVA_TEST_PG#*\?}" ;;
    no_schema) echo "$SVA_TEST_PG&schema=bad_nothing_here" ;;
    foreign) # a schema of another program
        pgq "CREATE SCHEMA IF NOT EXISTS bad_foreign;
             CREATE TABLE IF NOT EXISTS bad_foreign.customers(id int PRIMARY KEY, name text)" >&2
        echo "$SVA_TEST_PG&schema=bad_foreign" ;;
    other_meta) # a meta table, but another program's
        pgq "CREATE SCHEMA IF NOT EXISTS bad_meta;
             CREATE TABLE IF NOT EXISTS bad_meta.meta(key text PRIMARY KEY, value text);
             INSERT INTO bad_meta.meta VALUES ('application', 'other'), ('schema_version', '1')
             ON CONFLICT DO NOTHING" >&2
        echo "$SVA_TEST_PG&schema=bad_meta" ;;
    schema99) # made by a newer svcaudit
        if [ -z "$(pgq "SELECT 1 FROM pg_namespace WHERE nspname = 'bad_newer'")" ]; then
            "$SVA" --db "$SVA_TEST_PG&schema=bad_newer" init > /dev/null &&
                pgq "UPDATE bad_newer.meta SET value = '99' WHERE key = 'schema_version'"
        fi
        echo "$SVA_TEST_PG&schema=bad_newer" ;;
    svcaudit) # a good one
        "$SVA" --db "$SVA_TEST_PG&schema=bad_good" init > /dev/null || return 1
        echo "$SVA_TEST_PG&schema=bad_good" ;;
    *) echo "unknown PostgreSQL target '$1'" >&2; exit 1 ;;
    esac
}

# ---- the checks -----------------------------------------------------------------------
sqlite3 svcaudit.db .dump > "$T/before.dump"
listing() { (cd "$WORK" && ls -A | grep -v -e '^\.t$' -e '^gen$' -e '^svcaudit\.db-') }
listing > "$T/before.ls"
cases=0; passed=0; failed=0; known=0; fixed=0; skipped=0

# check_case: the last run's output against the case's expectations; sets $problems
check_case() {
    problems=""
    bad() { problems="$problems
      - $*"; }
    if [ "$rc" -ge 128 ]; then bad "crashed (exit $rc)"
    elif [ "$rc" -eq 0 ]; then bad "exit 0 for a bad input"
    elif [ "$rc" -ne "$want" ]; then bad "exit $rc, want $want"
    fi
    if grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error' "$T/err"; then
        bad "sanitizer report on stderr"
    fi
    grep -q secret "$T/err" && bad "a password of the command line is on stderr"
    nl=$(awk 'END { print NR }' "$T/err")
    # the text every message line must hold, and how the file and line are named
    case $names in
    text:*) token=${names#text:} ;;
    *) token=$path ;;
    esac
    # lint's closing summary: 'svcaudit: N problem(s) in M of K file(s)'
    body=$nl
    if [ "$mode" = lint ] && [ "$nl" -ge 1 ]; then
        last=$(tail -n 1 "$T/err")
        if printf '%s\n' "$last" | grep -q -E '^svcaudit: [0-9]+ problems? in [0-9]+ of [0-9]+ files?$'; then
            body=$((nl - 1))
            count=$(printf '%s\n' "$last" | sed 's/^svcaudit: \([0-9]*\).*/\1/')
            [ "$count" -eq "$body" ] || bad "lint says $count problems but printed $body"
        fi
    fi
    if [ "$mode" = 1 ] && [ "$nl" -ne 1 ]; then
        bad "$nl lines on stderr, want exactly one"
    elif [ "$body" -lt 1 ]; then
        bad "no message on stderr"
    fi
    # each message line: 'svcaudit: ' and the token (file or text)
    bad_lines=$(head -n "$body" "$T/err" | awk -v t="$token" 'index($0, "svcaudit: ") != 1 || index($0, t) == 0 { n++ } END { print n + 0 }')
    [ "$bad_lines" -eq 0 ] || bad "$bad_lines line(s) not 'svcaudit: ...' naming '$token'"
    # the file and a line number: 'FILE:N:' in one line at least (every line when mode is 1)
    case $names in
    line | line:*)
        want_line=""
        [ "$names" = line ] || want_line=${names#line:}
        hits=$(head -n "$body" "$T/err" | awk -v f="$path:" -v w="$want_line" '
            { i = index($0, f); if (!i) next; r = substr($0, i + length(f));
              if (match(r, /^[0-9]+:/) && (w == "" || substr(r, 1, RLENGTH - 1) == w)) n++ }
            END { print n + 0 }')
        [ "$hits" -ge 1 ] || bad "no line names '$path:${want_line:-N}:'"
        ;;
    esac
    # the database, the input and the folder are as they were
    sqlite3 svcaudit.db .dump > "$T/after.dump" 2>&1
    cmp -s "$T/before.dump" "$T/after.dump" || bad "the database changed"
    ic=$(sqlite3 svcaudit.db 'PRAGMA integrity_check' 2>&1)
    [ "$ic" = ok ] || bad "integrity_check: $ic"
    if [ -n "$path" ] && [ -f "$path" ]; then
        [ "$(cksum < "$path")" = "$sum" ] || bad "the input file changed"
    fi
    listing > "$T/after.ls"
    cmp -s "$T/before.ls" "$T/after.ls" ||
        bad "files left behind: $(comm -13 "$T/before.ls" "$T/after.ls" | tr '\n' ' ')"
}

# run_file FILE: every case in FILE
run_file() {
    label=$1
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        case $line in '' | '#'*) continue ;; esac
        bug=""
        case $line in *'# BUG:'*) bug=${line#*# BUG:}; line=${line%%# BUG:*} ;; esac
        case $line in *' # '*) line=${line%% # *} ;; esac  # other notes ('# fixed: ...')
        set -f
        # shellcheck disable=SC2086
        set -- $line
        set +f
        want=$1 mode=$2 names=$3 file=$4
        cmd=$(printf '%s\n' "$line" | awk '{ for (i = 0; i < 4; i++) sub(/^[ \t]*[^ \t]+/, ""); sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); print }')
        case $file in
        -) path="" ;;
        gen:*) gen "${file#gen:}"; path="$WORK/gen/${file#gen:}" ;;
        pg:*)
            path=$(pg_target "${file#pg:}") || { skipped=$((skipped + 1)); continue; } ;;
        *) path="$BAD/$file" ;;
        esac
        dir=$(dirname "${path:-.}")
        sum=""
        [ -n "$path" ] && [ -f "$path" ] && sum=$(cksum < "$path")
        spath=$(printf '%s' "$path" | sed 's/[&|\\]/\\&/g') # a URL holds &
        cmd=$(printf '%s' "$cmd" | sed -e "s|{FILE}|'$spath'|g" -e "s|{DIR}|'$dir'|g" -e "s|{ROOT}|'$ROOT'|g")
        eval "set -- $cmd"
        # a case that blocks (a FIFO read) fails with 124 instead of hanging the run
        tmo=600
        case $file in gen:fifo.*) tmo=20 ;; esac
        timeout "$tmo" "$SVA" "$@" > "$T/out" 2> "$T/err" < /dev/null
        rc=$?
        cases=$((cases + 1))
        check_case
        where="$label:$n  svcaudit $cmd"
        if [ -z "$problems" ]; then
            passed=$((passed + 1))
            if [ -n "$bug" ]; then
                fixed=$((fixed + 1))
                echo "NOTE: passes now, remove its '# BUG:' mark: $where"
            fi
        else
            failed=$((failed + 1))
            if [ -n "$bug" ]; then
                known=$((known + 1))
                echo "FAIL (known BUG:$bug)"
            else
                echo "FAIL"
            fi
            echo "    case $where (exit $rc)$problems"
            sed -n '1,4s/^/      stderr: /p' "$T/err"
            [ "$(awk 'END { print NR }' "$T/err")" -le 4 ] || echo "      stderr: ... ($(awk 'END { print NR }' "$T/err") lines)"
        fi
        # later cases compare with the database as it is now
        mv "$T/after.dump" "$T/before.dump"
        mv "$T/after.ls" "$T/before.ls"
        case $file in gen:too_big*) rm -f "$path" ;; esac
    done < "$2"
}
run_file MANIFEST "$BAD/MANIFEST"
run_file argv.txt "$BAD/argv.txt"

echo "bad inputs: $cases cases, $passed passed, $failed failed ($known of them known bugs marked '# BUG:')"
[ "$skipped" -eq 0 ] || echo "bad inputs: $skipped PostgreSQL case(s) skipped: no server (SVA_TEST_PG)"
[ "$fixed" -eq 0 ] || echo "bad inputs: $fixed case(s) marked '# BUG:' pass now"
[ "$cases" -ge 60 ] || fail "only $cases cases ran"
fails=$((fails + failed))
done_testing

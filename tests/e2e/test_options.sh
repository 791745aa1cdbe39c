# svcaudit e2e: the option layer through the real binary. For every command and
# subcommand (the list is checked against the usage the binary prints, so a new
# one without a case fails here): a flag it does not take, though another one
# does, is a usage error naming the flag and the subcommand; --help and
# --version exit 0. Typos of a command, a subcommand, a long option and a
# choice get "did you mean"; bad numbers and dates name their flag; an error
# message built from an argument with escape sequences, line breaks or bytes
# that are not UTF-8 comes out as one clean line. Nothing is changed by any.
. "$ROOT/tests/e2e/lib.sh"
export SVCAUDIT_TODAY=2026-11-20
dump() { sqlite3 svcaudit.db .dump; }

run "$SVA" init
expect_rc 0 "init"
printf 'id,name,region\nSH-001,Sunrise Shanghai,east\n' > stores.csv
run "$SVA" store import stores.csv
expect_rc 0 "store import"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open"
run "$SVA" --version
expect_rc 0 "--version"
VERSION=$OUT
printf '%s\n' "$VERSION" | grep -Eqx 'svcaudit [0-9]+\.[0-9]+\.[0-9]+' || fail "--version: '$VERSION'"
dump > before.dump

# usage_err LABEL FLAG WHO CMD...: exit 2, one line naming FLAG and 'WHO', nothing changed
usage_err() {
    label=$1 flag=$2 who=$3
    shift 3
    run "$SVA" "$@"
    expect_rc 2 "$label"
    expect_err "$flag" "$label: the flag named"
    [ -z "$who" ] || expect_err "'$who'" "$label: the subcommand named"
    [ "$(wc -l < err.txt)" -eq 1 ] || fail "$label: stderr is not one line: $ERR"
    [ -z "$OUT" ] || fail "$label: wrote to stdout: $OUT"
}

# ---- every command and subcommand ---------------------------------------------------
# CMD|ARGS|FOREIGN: ARGS make a call that would otherwise run; FOREIGN is a flag of
# another subcommand of the same command (or, where there is none, of another command)
CASES='action add|--cycle 2026-11 --store SH-001|--overdue
action list||--set why=x
action show|1|--set why=x
action update|1|--from-audit 3
audit list||--reason x
audit show|1|--all
audit void|1 --reason x|--lang zh
audit unvoid|1 --reason x|--lang zh
audit amend|1 --set a=yes --reason x|--all
audit sheet|1 -o x.ini|--reason x
audit appeal|1 --reason x|--note x
audit resolve|1 --rejected --note x|--reason x
auditors||--metric ssi
checklist list||-o x.ini
checklist show|6s_store|-o x.ini
checklist lint|CHECKLIST|--format json
checklist template|6s_store|--text x
copy|--from svcaudit.db --to copy.db|--format json
cycle open|2026-12 --from 2026-12-01 --to 2026-12-31|--format json
cycle list||--text x
cycle status|2026-11|--text x
cycle reason|2026-11 --store SH-001 --metric ssi --text x|--fail-on-missed
cycle advance|2026-11|--from 2026-11-01
cycle close|2026-11|--format json
cycle reopen|2026-11 --reason x|--format json
cycle delete|2026-11|--reason x
employee add|SH-001-E09 --name Nine --store SH-001|--format json
employee list||--name x
employee import|stores.csv|--role x
employee move|SH-001-E09 --store SH-001 --from 2026-12-01|--name x
employee deactivate|SH-001-E09 --from 2026-12-01|--store x
employee ratings|--cycle 2026-11|--role x
export|--cycle 2026-11 -o x.xlsx|--cycles 3
info||--cycle 2026-11
init||--format json
log||--all
merge|other.db|--cycle 2026-11
owner set|--store SH-001 --checklist 6s_store --section sort --employee E1|--format json
owner list||--employee E1
pack|-o lap.db|--format json
plan set|--cycle 2026-11 --checklist 6s_store --all-stores --times 1|--text x
plan import|plans.ini|--cycle 2026-11
plan list|--cycle 2026-11|--text x
plan copy|--from 2026-11 --to 2026-12|--cycle 2026-11
plan status|--cycle 2026-11|--week
plan due||--text x
plan reason|--cycle 2026-11 --checklist 6s_store --store SH-001 --text x|--every week
record|6s_store --answers sheet.ini|--format json
repeats|--cycle 2026-11|--store SH-001
report audit|1 -o x.pdf|--cycles 3
report audits|--cycle 2026-11 -o .|--cycles 3
report employee|SH-001-E01 -o x.pdf|--photos x
report store|SH-001 --cycle 2026-11 -o x.pdf|--photos x
store add|SH-009 --name Nine|--format json
store list||--name x
store import|stores.csv|--region x
store deactivate|SH-001 --from 2026-12-01|--name x
store reactivate|SH-001 --from 2026-12-01|--region x
survey import|survey.csv|--format json
target set|--cycle 2026-11 --metric ssi --value 80|--format json
target list|--cycle 2026-11|--value 12
target import|targets.ini|--cycle 2026-11
target unset|--cycle 2026-11 --metric ssi|--value 1
target copy|--from 2026-11 --to 2026-12|--metric ssi
trend||--all
trend items|--cycle 2026-11|--metric ssi'

# the commands and subcommands the binary itself lists, each must have a case
"$SVA" --help | awk '/^commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }' > commands.txt
[ "$(wc -l < commands.txt)" -ge 15 ] || fail "--help lists $(wc -l < commands.txt) commands"
: > listed.txt
while read -r cmd; do
    run "$SVA" "$cmd" --help
    expect_rc 0 "$cmd --help"
    expect_out "usage: svcaudit" "$cmd --help"
    printf '%s\n' "$OUT" | sed -n 's/^ *\(usage: \)\{0,1\}svcaudit \(\[--db FILE\(|URL\)\{0,1\}\] \)\{0,1\}//p' |
        awk -v c="$cmd" '$1 == c { print ($2 ~ /^[a-z]+$/ && $2 != "ID") ? c " " $2 : c }' >> listed.txt
done < commands.txt
sort -u listed.txt > listed.sorted
printf '%s\n' "$CASES" | cut -d'|' -f1 | sort -u > cases.sorted
[ "$(wc -l < listed.sorted)" -ge 30 ] || fail "usage lists only $(wc -l < listed.sorted) subcommands"
missing=$(comm -23 listed.sorted cases.sorted)
[ -z "$missing" ] || fail "subcommands without a case here: $missing"
extra=$(comm -13 listed.sorted cases.sorted)
[ -z "$extra" ] || fail "cases for subcommands the usage does not list: $extra"

# 'svcaudit --help' is where a user looks first: each command's line names
# every subcommand its own usage lists (it once named no amend, appeal,
# reopen, move, deactivate, unset or copy)
"$SVA" --help > top.txt
while read -r cmd sub; do
    [ -n "$sub" ] || continue
    line=$(grep "^  $cmd " top.txt)
    printf '%s\n' "$line" | grep -Eq "[^a-z]$sub" ||
        fail "svcaudit --help: the line of '$cmd' does not name '$sub': $line"
done < listed.sorted
grep -q -- '--checklists-only' top.txt || fail "svcaudit --help does not list --checklists-only"

printf '%s\n' "$CASES" > cases.txt
while IFS='|' read -r who args foreign; do
    args=$(printf '%s' "$args" | sed "s#CHECKLIST#$ROOT/checklists/6s_store.ini#")
    # shellcheck disable=SC2086 # word splitting wanted
    usage_err "$who $foreign" "${foreign%% *}" "$who" $who $args $foreign
    # shellcheck disable=SC2086
    run "$SVA" $who --help
    expect_rc 0 "$who --help"
    expect_out "usage: svcaudit .*$who" "$who --help prints its usage"
    expect_out "--version" "$who --help lists the global options"
    # shellcheck disable=SC2086
    run "$SVA" $who $args --version
    expect_rc 0 "$who --version"
    [ "$OUT" = "$VERSION" ] || fail "$who --version: '$OUT'"
done < cases.txt
dump > after.dump
cmp -s before.dump after.dump || fail "foreign flags, --help, --version: the database changed"
for f in x.ini x.xlsx x.pdf; do [ -e "$f" ] && fail "a refused command wrote $f"; done

# --help wins over --version? in order, like git: the first one counts
run "$SVA" cycle list --version --help
expect_rc 0 "--version --help"
[ "$OUT" = "$VERSION" ] || fail "cycle list --version --help: '$OUT'"

# ---- did you mean ---------------------------------------------------------------------
usage_err "command typo" recrod "" recrod 6s_store
expect_err "did you mean 'record'?" "command typo suggested"
usage_err "subcommand typo" lsit "" audit lsit
expect_err "did you mean 'list'?" "subcommand typo suggested"
usage_err "option typo" --cylce "audit list" audit list --cylce 2026-11
expect_err "did you mean '--cycle'?" "option typo suggested"
usage_err "option typo, --x=v" --fromat "cycle status" cycle status 2026-11 --fromat=json
expect_err "did you mean '--format'?" "option typo suggested (--x=v)"
usage_err "global option typo" --dbb "" --dbb x.db cycle list
expect_err "did you mean '--db'?" "global option typo suggested"
usage_err "choice typo" jsno "" cycle list --format jsno
expect_err "did you mean 'json'?" "choice typo suggested"
usage_err "no suggestion for a word far from every command" frobnicate "" frobnicate
printf '%s' "$ERR" | grep -q "did you mean" && fail "frobnicate got a suggestion: $ERR"
usage_err "ambiguous abbreviation" --s "action add" action add --s x
# an unambiguous abbreviation works, as it always did
run "$SVA" cycle list --form json
expect_rc 0 "--form abbreviates --format"
expect_out '"id": "2026-11"' "--form json"

# ---- numbers, dates, ids: one checked conversion, one message naming the flag --------
usage_err "--cycles x" --cycles "" trend --cycles x
usage_err "--cycles 0" --cycles "" trend --cycles 0
usage_err "--cycles 1.5" --cycles "" trend --cycles 1.5
usage_err "--value 1e999" --value "" target set --cycle 2026-11 --metric ssi --value 1e999
usage_err "--value nan" --value "" target set --cycle 2026-11 --metric ssi --value nan
usage_err "--value 100.1" --value "" target set --cycle 2026-11 --metric ssi --value 100.1
usage_err "--value 12abc" --value "" target set --cycle 2026-11 --metric ssi --value 12abc
usage_err "--min-audits -3" --min-audits "" export --cycle 2026-11 -o x.xlsx --min-audits -3
usage_err "--trend-cycles 61" --trend-cycles "" export --cycle 2026-11 -o x.xlsx --trend-cycles 61
usage_err "action show 12abc" 12abc "" action show 12abc
expect_err "action show: " "action show 12abc: the subcommand named"
usage_err "audit void 7x" 7x "" audit void 7x --reason x
expect_err "audit void: " "audit void 7x: the subcommand named"
usage_err "audit show 99999999999999999999" 99999999999999999999 "" audit show 99999999999999999999
usage_err "--from-audit 0" --from-audit "" action add --from-audit 0
usage_err "--from 2026-02-30" --from "" cycle open 2027-02 --from 2026-02-30 --to 2027-02-28
usage_err "--date 12/11/2026" --date "" record 6s_store --answers sheet.ini --date 12/11/2026
usage_err "-o not .xlsx" -o "" export --cycle 2026-11 -o x.csv
usage_err "--status flying" flying "" action update 1 --status flying
for f in x.xlsx x.csv; do [ -e "$f" ] && fail "a refused export wrote $f"; done
dump > after.dump
cmp -s before.dump after.dump || fail "bad numbers: the database changed"

# the walk's "g N" goes through the same conversion
printf '%s\n' "g 0" "g 2x" "g 99" "g 3" q |
    "$SVA" record 6s_store --walk --cycle 2026-11 --store SH-001 --auditor "Li Na" \
        --date 2026-11-12 --draft walk.ini > walk.out 2> walk.err
grep -q "no item 0 (1\.\." walk.out || fail "walk: g 0 not refused: $(tail -5 walk.out)"
grep -q "no item 2x (1\.\." walk.out || fail "walk: g 2x not refused"
grep -q "no item 99 (1\.\." walk.out || fail "walk: g 99 not refused"
grep -q "3/[0-9]*$" walk.out || fail "walk: g 3 did not go to item 3"
[ -e walk.ini ] || fail "walk: no draft"
[ "$(stat -c %a walk.ini 2> /dev/null)" = 600 ] || fail "walk: the draft is not 0600"
ls walk.ini.tmp* > /dev/null 2>&1 && fail "walk: a temporary draft was left"

# ---- messages from hostile arguments: one line, no raw control bytes ------------------
# clean_line LABEL: stderr is one line of valid UTF-8 without control characters
clean_line() {
    "$PY" - err.txt "$1" <<'EOF' || fail "$1: see above"
import sys
data = open(sys.argv[1], 'rb').read()
label = sys.argv[2]
assert data.endswith(b'\n') and data.count(b'\n') == 1, (label, data)
assert not any(b < 0x20 or b == 0x7f for b in data[:-1]), (label, data)
text = data.decode('utf-8')  # raises if not UTF-8
assert '\u202e' not in text and '\x9b' not in text, (label, text)
EOF
}
ESC=$(printf 'X\033[31mred\033]0;title\007\nsecond line')
run "$SVA" cycle status "$ESC"
expect_rc 3 "escape sequence in a cycle id"
clean_line "escape sequence in a cycle id"
expect_err 'X\\x1b' "the escape shown, not sent"
expect_err 'title\\x07\\nsecond line' "the bell and the line break shown, not sent"
run "$SVA" "$ESC"
expect_rc 2 "escape sequence as a command"
clean_line "escape sequence as a command"
run "$SVA" audit list --format "$ESC"
expect_rc 2 "escape sequence as a choice"
clean_line "escape sequence as a choice"
run "$SVA" cycle list "--$ESC"
expect_rc 2 "escape sequence as an option"
clean_line "escape sequence as an option"
run "$SVA" action show "$(printf '1\n2')"
expect_rc 2 "a line break in an id"
clean_line "a line break in an id"
expect_err "'1\\\\n2'" "the line break shown as \\n"
run "$SVA" cycle status "$(printf 'bad\377\376utf8')"
expect_rc 3 "bytes that are not UTF-8"
clean_line "bytes that are not UTF-8"
expect_err 'bad\\xff\\xfeutf8' "the bytes shown as \\xff"
run "$SVA" cycle status "$(printf 'a\342\200\256b\302\233c')"
expect_rc 3 "bidi override and C1 control"
clean_line "bidi override and C1 control"
expect_err 'a\\u202eb\\u009bc' "invisible characters shown"
# from the library (a diag), not only from the CLI's own messages
run "$SVA" store add "$(printf 'S\033[2J')" --name "Nine"
[ "$RC" -ne 0 ] || fail "a store id with an escape sequence was accepted"
clean_line "a library message with an escape sequence"
dump > after.dump
cmp -s before.dump after.dump || fail "hostile arguments: the database changed"
done_testing

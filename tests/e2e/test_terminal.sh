#!/bin/sh
# svcaudit e2e: text from the database reaches a terminal shown, never obeyed
# (issue 12): a store name, region or action field holding an escape sequence,
# a newline or a bidi mark (as an old or received database may hold: the CLI
# refuses them on input) comes out escaped in the tables and in `action show`,
# each row one line; JSON stays valid and keeps the text.
. "$ROOT/tests/e2e/lib.sh"
run "$SVA" init
expect_rc 0 init
run "$SVA" store add SH-001 --name Pudong --region East
expect_rc 0 "store add"
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open"
run "$SVA" action add --cycle 2026-11 --store SH-001 --set why=w --set what=x --set who=Li \
    --set when=2026-11-20 --set where=floor --set how=h
expect_rc 0 "action add"
# what a received file could carry: ESC ] 0 ; title BEL, a newline, a right-to-left mark
sqlite3 svcaudit.db "UPDATE store SET name = 'Evil' || char(27) || ']0;pwned' || char(7) ||
    ' Shop', region = 'East' || char(10) || 'West' WHERE id = 'SH-001';
    UPDATE action_field SET value = 'fix ' || char(8238) || 'it' || char(27) || '[2J' WHERE key = 'what';" ||
    fail "sqlite3 update"
raw() { LC_ALL=C grep -c "$(printf '\033')" "$1"; }
for cmd in "store list" "cycle status 2026-11" "action show 1" "action list" "employee list"; do
    # shellcheck disable=SC2086
    "$SVA" $cmd > out.txt 2> err.txt || fail "$cmd: exit $?: $(cat err.txt)"
    [ "$(raw out.txt)" -eq 0 ] || fail "$cmd: a raw escape character reaches the terminal"
    LC_ALL=C grep -q "$(printf '\342\200\256')" out.txt && fail "$cmd: a raw bidi mark"
done
"$SVA" store list > out.txt
grep -q 'Evil\\x1b\]0;pwned\\x07 Shop' out.txt || fail "store list: the name is not shown escaped: $(cat out.txt)"
grep -q 'East\\nWest' out.txt || fail "store list: the region's newline is not shown as \\n"
[ "$(wc -l < out.txt)" -eq 2 ] || fail "store list: a row takes more than one line"
"$SVA" action show 1 > out.txt
grep -q 'fix \\u202eit\\x1b\[2J' out.txt || fail "action show: the field is not shown escaped: $(cat out.txt)"
# JSON keeps the text (escaped as JSON) and stays valid
"$SVA" store list --format json > out.json || fail "store list --format json"
"$PY" -c 'import json,sys; d=json.load(open("out.json")); assert d[0]["name"] == "Evil\x1b]0;pwned\x07 Shop", d' ||
    fail "store list --format json: not valid, or the name changed"
done_testing

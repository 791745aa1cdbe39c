#!/bin/sh
# svcaudit e2e: `svcaudit checklist list|show|lint|template` on the shipped
# checklists and on fixtures, through the real binary.
. "$ROOT/tests/e2e/lib.sh"
BAD="$FIX/checklists/bad"
GOOD="$FIX/checklists/good"

# ---- help and version ---------------------------------------------------------
run "$SVA" --help
expect_rc 0 "--help"
expect_out "usage: svcaudit" "--help"
expect_out "checklist" "--help lists the checklist command"

run "$SVA" --version
expect_rc 0 "--version"
printf '%s\n' "$OUT" | grep -Eq '^svcaudit [0-9]+\.[0-9]+' || fail "--version: '$OUT'"

run "$SVA" checklist --help
expect_rc 0 "checklist --help"
expect_out "usage: svcaudit checklist list" "checklist --help"
expect_out "template" "checklist --help"

# ---- list: table, csv, json ------------------------------------------------------
run "$SVA" checklist list
expect_rc 0 "checklist list"
printf '%s\n' "$OUT" | grep -Eq '^6s_store +[0-9]+ +checklist +.* store +6s +[0-9]+ ' ||
    fail "list: no 6s_store row with subject store, index 6s: $OUT"
expect_out "sales_mystery_shop" "list"

run "$SVA" checklist list --format csv
expect_rc 0 "list --format csv"
printf '%s' "$OUT" > list.csv
"$PY" - list.csv <<'EOF' || fail "list --format csv: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
byid = {r['id']: r for r in rows}
assert '6s_store' in byid, byid.keys()
r = byid['6s_store']
assert r['index'] == '6s' and r['subject'] == 'store' and r['kind'] == 'checklist', r
assert 'sales_mystery_shop' in byid
assert all(int(r['items']) > 0 for r in rows), rows
EOF

run "$SVA" checklist list --format json
expect_rc 0 "list --format json"
printf '%s' "$OUT" > list.json
"$PY" -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' list.json ||
    fail "list --format json does not parse"
"$PY" - list.json <<'EOF' || fail "list --format json: see above"
import json, sys
rows = json.load(open(sys.argv[1], encoding='utf-8'))
byid = {r['id']: r for r in rows}
r = byid['6s_store']
assert r['index'] == '6s' and r['subject'] == 'store', r
assert isinstance(r['items'], int) and r['items'] > 0, r
assert isinstance(r['version'], int), r
EOF

# ---- show ----------------------------------------------------------------------
run "$SVA" checklist show 6s_store
expect_rc 0 "show 6s_store"
printf '%s' "$OUT" > show.txt
expect_out "^6s_store " "show: the id first"
expect_out "subject: store" "show"
expect_out "index: 6s" "show"
n=$(grep -c '^\[[a-z0-9_-]*\] ' show.txt)
[ "$n" -eq 6 ] || fail "show 6s_store: $n section headers, want 6"

run "$SVA" checklist show 6s_store --format json
expect_rc 0 "show --format json"
printf '%s' "$OUT" > show.json
"$PY" - show.json <<'EOF' || fail "show 6s_store --format json: see above"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['id'] == '6s_store', d['id']
assert len(d['sections']) == 6, len(d['sections'])
assert d['index'] == '6s' and d['subject'] == 'store'
assert len(d['hash']) == 64
assert all(len(s['items']) > 0 for s in d['sections'])
EOF
EN_TITLE=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["title"])' show.json)

# --lang zh: the Chinese title (title_zh) in table and json, English by default
run "$SVA" checklist show 6s_store --lang zh --format json
expect_rc 0 "show --lang zh --format json"
printf '%s' "$OUT" > show_zh.json
ZH_TITLE=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["title"])' show_zh.json)
[ -n "$ZH_TITLE" ] && [ "$ZH_TITLE" != "$EN_TITLE" ] || fail "--lang zh: title '$ZH_TITLE' (English '$EN_TITLE')"
"$PY" - show_zh.json <<'EOF' || fail "--lang zh json has no Chinese: see above"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
cjk = lambda s: any('\u4e00' <= c <= '\u9fff' for c in s)
assert cjk(d['title']), d['title']
assert all(cjk(i['text']) for s in d['sections'] for i in s['items']), 'an item without text_zh'
EOF
grep -F "title_zh" "$ROOT/checklists/6s_store.ini" | grep -qF "$ZH_TITLE" ||
    fail "--lang zh title '$ZH_TITLE' is not a title_zh of 6s_store.ini"
run "$SVA" checklist show 6s_store --lang zh
expect_rc 0 "show --lang zh"
printf '%s' "$OUT" | grep -qF "$ZH_TITLE" || fail "show --lang zh lacks '$ZH_TITLE'"
run "$SVA" checklist show 6s_store
printf '%s' "$OUT" | grep -qF "$ZH_TITLE" && fail "show (English) has the Chinese title"
run "$SVA" checklist show 6s_store --lang fr
expect_rc 0 "show --lang fr"
printf '%s' "$OUT" | grep -qF "$EN_TITLE" || fail "--lang fr does not fall back to English"

run "$SVA" checklist show nosuch
expect_rc 3 "show nosuch"
expect_err "nosuch" "show nosuch names it"
[ -z "$OUT" ] || fail "show nosuch wrote to stdout: $OUT"

# ---- lint -------------------------------------------------------------------------
run "$SVA" checklist lint "$ROOT"/checklists/*.ini
expect_rc 0 "lint of the shipped checklists"
expect_out "ok" "lint of the shipped checklists"

run "$SVA" checklist lint "$GOOD/minimal.ini" "$BAD/many_errors.ini"
expect_rc 1 "lint of a file with several errors"
for l in 4 8 16 19 21 22; do
    printf '%s\n' "$ERR" | grep -qF "$BAD/many_errors.ini:$l: " ||
        fail "lint: no message for many_errors.ini:$l (stderr: $ERR)"
done
expect_err "bad version 'one'" "lint"
expect_err "unknown key 'colour'" "lint"
expect_err "duplicate key 'text'" "lint"
expect_out "6 problems in 1 of 2 files" "lint summary (stdout: the problems are on stderr)"
printf '%s\n' "$ERR" | grep -q "minimal.ini" && fail "lint blamed the good file: $ERR"

run "$SVA" checklist lint "$BAD/form_bad_type.ini"
expect_rc 1 "lint of a bad form"
expect_err "form_bad_type.ini:14: bad type 'string'" "lint of a bad form"

run "$SVA" checklist lint "$WORK/nosuch.ini"
[ "$RC" -ne 0 ] || fail "lint of a missing file exits 0"
expect_err "nosuch.ini" "lint of a missing file names it"

# ---- template -------------------------------------------------------------------
run "$SVA" checklist show sales_mystery_shop --format json
expect_rc 0 "show sales_mystery_shop --format json"
printf '%s' "$OUT" > sales.json

run "$SVA" checklist template sales_mystery_shop
expect_rc 0 "template (ini)"
printf '%s\n' "$OUT" > sheet.ini
grep -q '^\[audit\]' sheet.ini || fail "template: no [audit] section"
"$PY" - sales.json sheet.ini <<'EOF' || fail "template (ini) items: see above"
import json, re, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
ids = [i['id'] for s in d['sections'] for i in s['items']]
sheet = open(sys.argv[2], encoding='utf-8').read()
got = re.findall(r'^\[item\.([^\]]+)\]', sheet, re.M)
assert len(got) == len(ids), (len(got), len(ids))
assert sorted(got) == sorted(ids), set(got) ^ set(ids)
assert len(set(got)) == len(got), 'an item twice'
assert re.search(r'^checklist *= *sales_mystery_shop *$', sheet, re.M)
EOF

run "$SVA" checklist template sales_mystery_shop --format csv
expect_rc 0 "template --format csv"
printf '%s\n' "$OUT" > sheet.csv
"$PY" - sales.json sheet.csv <<'EOF' || fail "template (csv): see above"
import csv, json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
ids = [i['id'] for s in d['sections'] for i in s['items']]
rows = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))
hdr = [k for k, r in enumerate(rows) if r and r[0] == 'item']
assert len(hdr) == 1, 'want one item header row'
header = rows[hdr[0]]
assert header[:3] == ['item', 'section', 'text'] and 'answer' in header, header
items = [r for r in rows[hdr[0] + 1:] if r]
assert len(items) == len(ids), (len(items), len(ids))
assert [r[0] for r in items] == ids, 'items not in checklist order'
assert all(len(r) == len(header) for r in items), 'a row with the wrong number of fields'
EOF

run "$SVA" checklist template sales_mystery_shop -o out.ini
expect_rc 0 "template -o"
[ -z "$OUT" ] || fail "template -o also wrote to stdout"
[ -s out.ini ] || fail "template -o: out.ini missing or empty"
cmp -s out.ini sheet.ini || fail "template -o: the file differs from stdout"
run "$SVA" checklist template sales_mystery_shop --format csv -o out.csv
expect_rc 0 "template --format csv -o"
cmp -s out.csv sheet.csv || fail "template --format csv -o: the file differs from stdout"
ls out.ini.tmp* out.csv.tmp* > /dev/null 2>&1 && fail "template -o left a temporary file"

run "$SVA" checklist template nosuch
expect_rc 3 "template nosuch"
expect_err "nosuch" "template nosuch names it"

# ---- usage errors ----------------------------------------------------------------
run "$SVA" checklist frobnicate
expect_rc 2 "unknown subcommand"
expect_err "frobnicate" "unknown subcommand named"
run "$SVA" checklist list --bogus
expect_rc 2 "unknown option"
expect_err "bogus" "unknown option named"
run "$SVA" --bogus
expect_rc 2 "unknown global option"
run "$SVA" frobnicate
expect_rc 2 "unknown command"
run "$SVA" checklist
expect_rc 2 "missing subcommand"
run "$SVA" checklist show
expect_rc 2 "show without an id"
run "$SVA" checklist list --format xml
expect_rc 2 "unknown --format"
run "$SVA" checklist template sales_mystery_shop --format xlsx
expect_rc 2 "template --format xlsx"
run "$SVA" checklist list -o x.txt
expect_rc 2 "-o with list"
[ -e x.txt ] && fail "list -o wrote a file"

# ---- --checklists DIR with a broken file -----------------------------------------
mkdir cl
cp "$GOOD/minimal.ini" "$BAD/unknown_key.ini" cl/
run "$SVA" --checklists cl checklist list
expect_rc 1 "list with a broken file"
expect_err "unknown_key.ini:15: unknown key 'wieght'" "list names the broken file and line"
expect_out "minimal" "the good file in --checklists is still listed"
expect_out "6s_store" "the shipped checklists are still listed"
run "$SVA" checklist list --checklists cl --format json
expect_rc 1 "list --format json with a broken file"
expect_err "unknown_key.ini" "list --format json names the broken file"
printf '%s' "$OUT" > broken.json
"$PY" -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' broken.json ||
    fail "list --format json with a broken file does not parse"
rm cl/unknown_key.ini
run "$SVA" --checklists cl checklist list
expect_rc 0 "list once the broken file is gone"
expect_out "minimal" "list --checklists"
run "$SVA" --checklists cl checklist show minimal
expect_rc 0 "show from --checklists"
expect_out "The only item" "show from --checklists"

# ---- no checklist at all: say so, where it looked and how to point at them --------
# (a build tree's svcaudit run from a folder of one's own finds none: "unknown
# checklist" with "see checklist list" sent the user looking for a typo)
mkdir -p none
run env -u SVCAUDIT_CHECKLISTS "$SVA" --checklists none --checklists-only checklist template 6s_store -o t.ini
expect_rc 3 "template with no checklists anywhere"
expect_err "unknown checklist '6s_store': no checklists found in none" \
    "template names the folder it searched"
expect_err "--checklists DIR or \$SVCAUDIT_CHECKLISTS" "template says how to point at them"
[ ! -e t.ini ] || fail "template with no checklists wrote t.ini"
cd none
run env -u SVCAUDIT_CHECKLISTS "$SVA" checklist show 6s_store
cd ..
expect_rc 3 "show from a folder without checklists"
expect_err "no checklists found in ./checklists or " "show names ./checklists"
run "$SVA" --checklists cl checklist show nosuch
expect_rc 3 "show of an unknown checklist"
expect_err "unknown checklist 'nosuch' (see 'svcaudit checklist list')" \
    "a name near none: where to list them"
run "$SVA" checklist template phone_handlin
expect_rc 3 "template of a misspelt checklist"
expect_err "unknown checklist 'phone_handlin' (did you mean 'phone_handling'?)" \
    "a typo among checklists gets the one meant"

done_testing

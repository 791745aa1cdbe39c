# CSV output guards against formula injection: a text field starting with
# = + - @ (or tab/CR) gets a leading apostrophe; numbers and JSON are untouched.
. "$ROOT/tests/e2e/lib.sh"
$SVA init >/dev/null
$SVA store add S1 --name "=HYPERLINK(\"http://evil\")" --region "+East" >/dev/null
$SVA store add S2 --name "@SUM(A1)" --region "-West" >/dev/null
$SVA store add S3 --name "Plain, name" --region North >/dev/null
run $SVA store list --format csv
expect_rc 0 "store list csv"
printf '%s\n' "$OUT" > stores.csv
$PY - stores.csv <<'PYEOF' || fail "csv fields not escaped"
import csv, sys
rows = {r['id']: r for r in csv.DictReader(open(sys.argv[1]))}
assert rows['S1']['name'] == '\'=HYPERLINK("http://evil")', rows['S1']
assert rows['S1']['region'] == "'+East", rows['S1']
assert rows['S2']['name'] == "'@SUM(A1)", rows['S2']
assert rows['S2']['region'] == "'-West", rows['S2']
assert rows['S3']['name'] == 'Plain, name', rows['S3']
PYEOF
run $SVA store list --format json
printf '%s\n' "$OUT" > stores.json
$PY - stores.json <<'PYEOF' || fail "json must carry the text as it is"
import json, sys
rows = {r['id']: r for r in json.load(open(sys.argv[1]))}
assert rows['S1']['name'] == '=HYPERLINK("http://evil")', rows['S1']
assert rows['S2']['region'] == '-West', rows['S2']
PYEOF
# a negative number in a numeric column stays a number
$SVA cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 >/dev/null
$SVA target set --cycle 2026-11 --metric 6s --value 90 >/dev/null
$SVA checklist template 6s_store | sed 's/^store     =/store = S3/; s/^cycle     =/cycle = 2026-11/; s/^auditor   =/auditor = ann/; s/^date      =.*/date = 2026-11-10/; s/^answer   =/answer = 2/' |
    sed '/\[item.safety.fire_extinguishers\]/,+1 s/answer = 2/answer = yes/; /\[item.safety.emergency_exits\]/,+1 s/answer = 2/answer = yes/' > s.ini
$SVA record 6s_store --answers s.ini >/dev/null || fail "record"
run $SVA cycle status 2026-11 --store S3 --metric 6s --format csv
printf '%s\n' "$OUT" > st.csv
$PY - st.csv <<'PYEOF' || fail "numeric gap must not be escaped"
import csv, sys
r = [x for x in csv.DictReader(open(sys.argv[1])) if x['scope'] == 'store'][0]
assert r['gap'].startswith('-') and float(r['gap']) < 0, r
PYEOF
done_testing

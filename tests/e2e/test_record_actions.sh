# record --actions opens one 5W1H action per failed item of the audit just
# recorded, with --set giving the fields the item cannot; a second audit with
# the same failures opens none (each item already has an action).
. "$ROOT/tests/e2e/lib.sh"
$SVA init >/dev/null
$SVA store add SH-002 --name "Shanghai Minhang" --region East >/dev/null
$SVA cycle open 2026-12 --from 2026-12-01 --to 2026-12-31 >/dev/null
# phone_handling: fail exactly two yes/no items (answer.greeting, closing.thanks), the rest pass
$SVA checklist template phone_handling |
    sed 's/^store     =/store = SH-002/; s/^cycle     =/cycle = 2026-12/; s/^auditor   =/auditor = bob/;
         s/^date      =.*/date = 2026-12-05/' > t.ini
$PY - t.ini <<'PYEOF'
import re, sys
p = sys.argv[1]; s = open(p).read()
def fill(m):
    item, body = m.group(1), m.group(2)
    allowed = body  # the comment above tells the scale; simplest: numeric items get 4
    return m.group(0)
out, item = [], None
for line in s.split('\n'):
    if line.startswith('[item.'):
        item = line[6:-1]
    if line.startswith(';   answer:'):
        numeric = '0..' in line
    if line.startswith('answer   =') and item:
        ans = '4' if numeric else ('no' if item in ('answer.greeting', 'closing.thanks') else 'yes')
        line = 'answer   = ' + ans
    if line.startswith('note     =') and item in ('answer.greeting', 'closing.thanks'):
        line = 'note     = "seen"'
    out.append(line)
s = '\n'.join(out).replace('employee  =  ; required', 'employee  = ; required')
open(p, 'w').write(s)
PYEOF
$SVA employee add E1 --name "Li Wei" --store SH-002 >/dev/null
sed -i 's/^employee  =.*/employee = E1/' t.ini
run $SVA record phone_handling --answers t.ini --actions --set who="Li Wei" --set when=2026-12-20 \
    --set where=reception --set how="call script training"
expect_rc 0 "record --actions"
expect_out "2 actions opened" "one action per failed item"
run $SVA action list --format json
printf '%s' "$OUT" > a.json
$PY - a.json <<'PYEOF' || fail "the actions are about the two failed items"
import json, sys
v = json.load(open(sys.argv[1]))
assert sorted(a['about'] for a in v) == ['phone_handling/answer.greeting', 'phone_handling/closing.thanks'], v
assert all(a['owner'] == 'Li Wei' and a['due'] == '2026-12-20' and a['status'] == 'open' for a in v), v
PYEOF
# the same failures again (another auditor): no second action per item
sed -i 's/^auditor = bob/auditor = ann/' t.ini
run $SVA record phone_handling --answers t.ini --actions --set who="Li Wei" --set when=2026-12-20 \
    --set where=reception --set how="call script training"
expect_rc 0 "second record --actions"
expect_out "0 actions opened" "items that already have an action are skipped"
# a required field missing: all or nothing, neither the audit nor an action
# is stored, exit 3, one line per problem (at another store, whose items
# have no action yet)
$SVA store add SH-003 --name "Shanghai Xuhui" --region East >/dev/null
$SVA employee add E3 --name "Zhao Min" --store SH-003 >/dev/null
sed -i 's/^auditor = ann/auditor = cy/; s/^store = SH-002/store = SH-003/; s/^employee = E1/employee = E3/' t.ini
db_dump > before.sql
run $SVA record phone_handling --answers t.ini --actions --set who="Li Wei"
expect_rc 3 "--actions without the required fields"
expect_err "'when'" "names the missing field when"
expect_err "'where'" "names the missing field where"
expect_err "nothing is recorded" "says the audit is not kept"
expect_no_out "recorded" "no audit is said to be recorded"
db_dump > after.sql
cmp -s before.sql after.sql || fail "nothing may be stored when an action is refused"
run $SVA audit list --auditor cy --format csv
expect_no_out "phone_handling" "the audit itself is not recorded"
# a bad --set value: the same, nothing stored
run $SVA record phone_handling --answers t.ini --actions --set who="Li Wei" --set when=someday \
    --set where=reception --set how="call script training"
expect_rc 3 "--actions with a bad date"
expect_err "when" "names the bad field"
db_dump > after.sql
cmp -s before.sql after.sql || fail "nothing may be stored when a --set value is bad"
# fixed: the same sheet with the fields records the audit and its actions
run $SVA record phone_handling --answers t.ini --actions --set who="Li Wei" --set when=2026-12-20 \
    --set where=reception --set how="call script training"
expect_rc 0 "record --actions once the fields are given"
expect_out "2 actions opened" "the actions come with the audit"
run $SVA record phone_handling --answers t.ini --set who=x
expect_rc 2 "--set without --actions is a usage error"
done_testing

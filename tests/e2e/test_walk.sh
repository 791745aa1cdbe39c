#!/bin/sh
# svcaudit e2e: the interactive walk of `svcaudit record`: (a) driven through a
# pipe with --walk (answers, a note after the answer, b, N/A allowed and
# refused, g N, r with the live score, s); (b) killed with SIGKILL part-way and
# continued with --resume; (c) at a real terminal in tmux (progress "1/16",
# q saves the draft). Waiting is by polling for a state (the draft on disk,
# the screen), with a bounded number of tries; nothing asserts on time.
. "$ROOT/tests/e2e/lib.sh"
REC="$FIX/record"
WALK_PID=""
TMUX_SOCK="svcaudit-e2e-walk-$$"
cleanup() {
    [ -n "$WALK_PID" ] && kill -9 "$WALK_PID" 2> /dev/null
    command -v tmux > /dev/null && tmux -L "$TMUX_SOCK" kill-server 2> /dev/null
}
trap cleanup EXIT
# answered FILE: the answers of a draft, one "item=answer|note" per line (answered only)
answered() {
    "$PY" - "$1" <<'EOF'
import re, sys
item = None
for line in open(sys.argv[1], encoding='utf-8'):
    m = re.match(r'^\[item\.([^\]]+)\]', line)
    if m:
        item, ans, note = m.group(1), '', ''
        continue
    m = re.match(r'^(answer|note)\s*=\s*(.*?)\s*$', line)
    if item and m:
        v = m.group(2)
        if m.group(1) == 'answer':
            ans = v
        else:
            note = v.strip('"')
            if ans:
                print('%s=%s|%s' % (item, ans, note))
EOF
}
# wait_answers FILE K: poll until the draft holds K answers (at most ~60 s of tries)
wait_answers() {
    i=0
    while [ "$i" -lt 1200 ]; do
        [ -f "$1" ] && [ "$(answered "$1" | wc -l)" -eq "$2" ] && return 0
        i=$((i + 1))
        sleep 0.05
    done
    return 1
}

"$SVA" init > /dev/null || fail "init"
"$SVA" store import "$REC/stores.csv" > /dev/null || fail "store import"
"$SVA" employee import "$REC/employees.csv" > /dev/null || fail "employee import"
"$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30 > /dev/null || fail "cycle open"

# ---- (a) a whole walk through a pipe ----------------------------------------------------------
# phone_handling has 16 items (see test_record.sh for its items). The final answers are
# sheet A of test_record.sh: 12.25 of 15 points = 81.7 %.
# Live score at the first review (items 1-3: yes 2/2, no 0/1, N/A): 2 / 3 = 66.7 %.
# At the second (7, 8, 9 unanswered): 1 yes 2/2, 2 no 0/1, 4 3 -> 0.75/1, 5 2 -> 0.5/1,
# 6 yes 1/1, 10 no 0/1, 11 yes, 13 yes, 14 yes 1/1 each, 15 yes 2/2 -> 9.25 / 12 = 77.1 %.
cat > walk.in <<'EOF'
na
yes
no waited 3 minutes

b

na
r
g 4
7
3
2
yes
g 10
no
yes
na
yes
yes
yes
na
s
g 7
yes
4
yes
r
s
EOF
run sh -c "\"$SVA\" record phone_handling --walk --cycle 2026-11 --store SH-001 \
    --employee SH-001-E01 --auditor 'Zhang Min' --date 2026-11-12 < walk.in"
expect_rc 0 "walk through a pipe"
printf '%s\n' "$OUT" > walk.out
expect_out "audit 1 recorded: 81.7 %" "walk: the result"
DRAFT=$(sed -n 's/^draft: //p' walk.out | head -1)
case "$DRAFT" in
svcaudit-drafts/phone_handling-SH-001-*.ini | ./svcaudit-drafts/phone_handling-SH-001-*.ini) ;;
*) fail "walk: draft '$DRAFT' is not in svcaudit-drafts/ beside the database" ;;
esac
[ -n "$DRAFT" ] && [ -e "$DRAFT" ] && fail "walk: the draft $DRAFT is still there after submit"
[ -z "$(ls svcaudit-drafts 2> /dev/null)" ] || fail "walk: svcaudit-drafts not empty: $(ls svcaudit-drafts)"
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
    grep -q "  $k/16$" walk.out || fail "walk: no progress '$k/16'"
done
[ "$(grep -c 'N/A is not allowed for this item' walk.out)" -eq 1 ] ||
    fail "walk: N/A on three_rings was not refused exactly once"
grep -q "'7' is not an answer here: 0..4" walk.out || fail "walk: 7 on a 0-4 item not refused"
[ "$(grep -c '  2/16$' walk.out)" -eq 2 ] || fail "walk: 'b' did not go back to item 2"
[ "$(grep -c '  10/16$' walk.out)" -eq 2 ] || fail "walk: 'g 10' / 'r' did not show item 10 twice"
[ "$(grep -c '  7/16$' walk.out)" -eq 2 ] || fail "walk: item 7 not shown twice (reached, then 'g 7')"
grep -q "live score: 66.7 %" walk.out || fail "walk: first review lacks 'live score: 66.7 %'"
grep -q "live score: 77.1 %" walk.out || fail "walk: second review lacks 'live score: 77.1 %'"
grep -q "live score: 81.7 %" walk.out || fail "walk: last review lacks 'live score: 81.7 %'"
# reviews: 'r' at item 4, after item 16, again after the refused 's', 'r' at item 10
[ "$(grep -c '^==== review' walk.out)" -eq 4 ] || fail "walk: $(grep -c '^==== review' walk.out) reviews, want 4"
# item 8 unanswered in the first two; item 10 only in the first
[ "$(grep -c 'unanswered 8/16  conversation.information' walk.out)" -eq 3 ] ||
    fail "walk: the reviews do not list unanswered item 8 three times"
[ "$(grep -c 'unanswered 10/16  closing.offers_visit' walk.out)" -eq 1 ] ||
    fail "walk: item 10 listed unanswered after it was answered"
[ "$(grep -c 's = submit' walk.out)" -eq 1 ] || fail "walk: submit offered while items were unanswered"
# 's' with items unanswered does not submit: still one audit at the end
"$SVA" audit list --format json > list.json
"$PY" - list.json <<'EOF' || fail "walk: audit list: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]['score'] == 81.7 and d[0]['employee'] == 'SH-001-E01', d
EOF
run "$SVA" audit show 1 --format json
printf '%s' "$OUT" > w1.json
"$PY" - w1.json <<'EOF' || fail "walk: the recorded answers (see above)"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
got = {a['item']: a['answer'] for a in d['answers']}
want = {'answer.three_rings': 'yes', 'answer.greeting': 'no', 'answer.hold': 'na',
        'conversation.smile_voice': '3', 'conversation.pace_clarity': '2',
        'conversation.uses_name': 'yes', 'conversation.needs': 'yes',
        'conversation.information': '4', 'conversation.no_refusal': 'yes',
        'closing.offers_visit': 'no', 'closing.callback_number': 'yes', 'closing.summary': 'na',
        'closing.thanks': 'yes', 'closing.caller_hangs_up_first': 'yes',
        'callback.promise_kept': 'yes', 'callback.material_sent': 'na'}
assert got == want, {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
notes = {a['item']: a['note'] for a in d['answers'] if a['note']}
assert notes == {'answer.greeting': 'waited 3 minutes'}, notes
assert d['date'] == '2026-11-12' and d['auditor'] == 'Zhang Min' and d['score'] == 81.7
assert {s['id']: s['score'] for s in d['sections']}['answer'] == 66.7
EOF

# header problems stop the walk before the first question
run sh -c "\"$SVA\" record phone_handling --walk --cycle 2026-11 --store SH-001 \
    --employee BJ-001-E01 --auditor 'Zhang Min' < walk.in"
expect_rc 3 "walk with an employee of another store"
expect_err "BJ-001-E01" "walk: the employee named"
expect_no_out "1/16" "walk: asked a question despite a bad header"
run sh -c "\"$SVA\" record phone_handling --walk --cycle 2026-11 --auditor X < walk.in"
expect_rc 2 "walk without --store"

# ---- (b) killed part-way, resumed ------------------------------------------------------------------
mkfifo in.fifo || fail "mkfifo"
"$SVA" record phone_handling --walk --cycle 2026-11 --store SH-001 --employee SH-001-E02 \
    --auditor "Li Na" --date 2026-11-19 --draft kill.ini < in.fifo > kill.out 2>&1 &
WALK_PID=$!
exec 3> in.fifo
printf 'yes\n' >&3
wait_answers kill.ini 1 || fail "kill: the draft never held 1 answer"
printf 'no\n' >&3                # greeting fails: a note is asked for
printf 'no own name\n' >&3      # the note
printf '\n' >&3                 # no evidence
wait_answers kill.ini 2 || fail "kill: the draft never held 2 answers"
printf 'na\n3\n' >&3
wait_answers kill.ini 4 || fail "kill: the draft never held 4 answers"
kill -9 "$WALK_PID"
wait "$WALK_PID" 2> /dev/null
st=$?
WALK_PID=""
exec 3>&-
[ "$st" -eq 137 ] || fail "kill: the walk's status is $st, want 137 (SIGKILL)"
answered kill.ini > kill.got
printf '%s\n' "answer.three_rings=yes|" "answer.greeting=no|no own name" "answer.hold=na|" \
    "conversation.smile_voice=3|" > kill.want
cmp -s kill.got kill.want || fail "kill: the draft holds $(cat kill.got), want $(cat kill.want)"
ls kill.ini.tmp* > /dev/null 2>&1 && fail "kill: a temporary draft was left"
grep -q "a note is required here" kill.out || fail "kill: no note prompt after 'no'"
[ "$(sqlite3 svcaudit.db 'SELECT count(*) FROM audit')" = 1 ] || fail "kill: an audit was stored"

printf '2\nyes\nyes\n4\nyes\nno\nyes\nna\nyes\nyes\nyes\nna\ns\n' > resume.in
run sh -c "\"$SVA\" record --resume kill.ini < resume.in"
expect_rc 0 "resume"
printf '%s\n' "$OUT" > resume.out
expect_out "audit 2 recorded: 81.7 %" "resume: the result (sheet A's answers)"
grep -q '  5/16$' resume.out || fail "resume: does not continue at item 5"
grep -q '  [1-4]/16$' resume.out && fail "resume: asked an item answered before the kill"
[ -e kill.ini ] && fail "resume: the draft is still there after submit"
run "$SVA" audit show 2 --format json
printf '%s' "$OUT" > k2.json
"$PY" - k2.json <<'EOF' || fail "resume: the recorded audit (see above)"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert (d['employee'], d['auditor'], d['date']) == ('SH-001-E02', 'Li Na', '2026-11-19'), d
a = {x['item']: x for x in d['answers']}
assert len(a) == 16 and all(x['answer'] for x in a.values())
assert a['answer.greeting']['answer'] == 'no' and a['answer.greeting']['note'] == 'no own name'
assert a['answer.hold']['answer'] == 'na' and a['conversation.smile_voice']['answer'] == '3'
assert a['conversation.information']['answer'] == '4' and a['closing.summary']['answer'] == 'na'
assert d['score'] == 81.7
EOF
run "$SVA" record --resume kill.ini
expect_rc 3 "resume of a submitted (removed) draft"
expect_err "kill.ini" "resume of a missing draft names it"

# ---- --actions with a field missing: neither the audit nor an action, the draft kept ----
run sh -c "\"$SVA\" record phone_handling --walk --cycle 2026-11 --store SH-001 \
    --employee SH-001-E01 --auditor 'Ma Jun' --date 2026-11-12 --draft act.ini \
    --actions --set who=Li < walk.in"
expect_rc 3 "walk --actions without the required fields"
expect_err "'when'" "walk --actions: the missing field named"
expect_err "nothing is recorded" "walk --actions: nothing is recorded"
expect_out "resume with: svcaudit record --resume act.ini" "walk --actions: the draft is kept"
[ -e act.ini ] || fail "walk --actions: the draft is gone"
[ "$(sqlite3 svcaudit.db 'SELECT count(*) FROM audit')" = 2 ] || fail "walk --actions: an audit was stored"
[ "$(sqlite3 svcaudit.db 'SELECT count(*) FROM action')" = 0 ] || fail "walk --actions: an action was stored"

# ---- (c) at a real terminal (tmux) ----------------------------------------------------------------
if ! command -v tmux > /dev/null; then
    fail "tmux is not installed ('make check' installs it)"
    done_testing
fi
T() { tmux -L "$TMUX_SOCK" "$@"; }
screen() { T capture-pane -p -J -S - -t walk 2> /dev/null; }
# wait_screen TEXT: poll the pane until it shows TEXT (bounded tries)
wait_screen() {
    i=0
    while [ "$i" -lt 600 ]; do
        screen | grep -qF -- "$1" && return 0
        i=$((i + 1))
        sleep 0.1
    done
    echo "--- screen:"
    screen | tail -20
    return 1
}
cat > tty.sh <<EOF
cd "$WORK" || exit 3
SVCAUDIT_CHECKLISTS="$SVCAUDIT_CHECKLISTS" "$SVA" record phone_handling --cycle 2026-11 \\
    --store SH-001 --employee SH-001-E01 --auditor 'Wu Gang' --date 2026-11-22 --draft tty.ini
echo "walk exit \$?"
read x
EOF
T new-session -d -s walk -x 200 -y 50 "sh '$WORK/tty.sh'" || fail "tmux new-session"
wait_screen "1/16" || fail "tty: no progress '1/16' at the terminal"
wait_screen "yes | no  CRITICAL" || fail "tty: no prompt with the allowed answers"
T send-keys -t walk "yes" Enter
wait_screen "2/16" || fail "tty: no '2/16' after an answer"
T send-keys -t walk "no" Enter
wait_screen "a note is required here" || fail "tty: no note prompt"
T send-keys -t walk "said only hello" Enter
wait_screen "evidence: photo or file path" || fail "tty: no evidence prompt"
T send-keys -t walk Enter
wait_screen "3/16" || fail "tty: no '3/16'"
T send-keys -t walk "q" Enter
wait_screen "walk exit 0" || fail "tty: q did not end the walk with status 0"
screen | grep -qF "draft saved: tty.ini" || fail "tty: q did not say 'draft saved: tty.ini'"
screen | grep -qF "resume with: svcaudit record --resume tty.ini" || fail "tty: no resume hint"
answered tty.ini > tty.got
printf '%s\n' "answer.three_rings=yes|" "answer.greeting=no|said only hello" > tty.want
cmp -s tty.got tty.want || fail "tty: the draft holds $(cat tty.got)"
[ "$(sqlite3 svcaudit.db 'SELECT count(*) FROM audit')" = 2 ] || fail "tty: q stored an audit"
T kill-session -t walk

# resumed at the terminal: it continues at item 3
cat > tty2.sh <<EOF
cd "$WORK" || exit 3
SVCAUDIT_CHECKLISTS="$SVCAUDIT_CHECKLISTS" "$SVA" record --resume tty.ini
echo "walk exit \$?"
read x
EOF
T new-session -d -s walk -x 200 -y 50 "sh '$WORK/tty2.sh'" || fail "tmux new-session (resume)"
wait_screen "3/16" || fail "tty resume: not at item 3"
screen | grep -qF "1/16" && fail "tty resume: asked item 1 again"
T send-keys -t walk "b" Enter
wait_screen "[no]" || fail "tty resume: 'b' does not show item 2's saved answer [no]"
T send-keys -t walk "q" Enter
wait_screen "walk exit 0" || fail "tty resume: q did not end the walk"
answered tty.ini > tty.got
cmp -s tty.got tty.want || fail "tty resume: the draft changed: $(cat tty.got)"
T kill-server

done_testing

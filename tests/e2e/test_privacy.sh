#!/bin/sh
# svcaudit e2e: a pseudonymous or anonymous workbook keeps employees out of the
# free text too. A note, evidence paths and 5W1H fields naming employees (by
# name or id, Latin and Chinese) are exported three ways: --employees full
# shows them as typed; pseudonymous replaces each with that employee's
# pseudonym ("P-" + the first 8 hex digits of SHA-256 of "salt:id", as the
# README says, worked out here with Python's hashlib); none with "[employee]".
# An evidence photo on disk is a link in the full workbook; scrubbed, its path
# is no file any more and no link (a link would carry the name in the file).
. "$ROOT/tests/e2e/lib.sh"
export_org
run "$SVA" cycle open 2026-11 --from 2026-11-01 --to 2026-11-30
expect_rc 0 "cycle open"
run "$SVA" checklist template sales_mystery_shop -o sales.ini
expect_rc 0 "template"
NOTE="Li Ming did not greet; SH-001-E02 (Wang Fang) stepped in"
mkdir "photos of Li Ming"
PHOTO="$(pwd)/photos of Li Ming/door.jpg"
printf 'not really a jpeg' > "$PHOTO"
export PHOTO
fill sales.ini a.ini -H store=SH-001 -H employee=SH-001-E01 -H cycle=2026-11 \
    -H date=2026-11-10 -H auditor="Zhang Min" --rest-yesno yes greeting.within_60s=no \
    "greeting.within_60s:note=$NOTE" "greeting.within_60s:evidence=photos/Li Ming door.jpg" \
    "greeting.welcome:evidence=$PHOTO"
run "$SVA" record sales_mystery_shop --answers a.ini
expect_rc 0 "record"
WHY="陈静怡 gave no test drive"
run "$SVA" action add --cycle 2026-11 --store SH-002 --metric ssi --set why="$WHY" \
    --set what="test drive offered to every visitor" --set who="SH-002-E02" \
    --set when=2026-11-25 --set where=showroom --set how="coach 陈静怡 and Zhou Hua"
expect_rc 0 "action add"
# an employee with a short id and name: whole words only ("E1" is not in "E12",
# "Bo" not in "Boat"); recorded at SH-001, then moved to SH-002: the note at
# SH-001 still names him and must still be scrubbed
run "$SVA" employee add E1 --name Bo --store SH-001
expect_rc 0 "employee add E1"
NOTE2="Bo said E1 and E12 are open; Boat parked by BoBo"
fill sales.ini b.ini -H store=SH-001 -H employee=E1 -H cycle=2026-11 \
    -H date=2026-11-11 -H auditor="Zhang Min" --rest-yesno yes greeting.drink=no \
    "greeting.drink:note=$NOTE2"
run "$SVA" record sales_mystery_shop --answers b.ini
expect_rc 0 "record E1"
printf 'id,name,store\nE1,Bo,SH-002\n' > move.csv
run "$SVA" employee import move.csv
expect_rc 0 "employee import (E1 moves to SH-002)"
for mode in full pseudonymous none; do
    run "$SVA" export --cycle 2026-11 -o "$mode.xlsx" --employees "$mode" --salt "s1" --data
    expect_rc 0 "export --employees $mode"
done
"$PY" - > check.out 2>&1 <<'PYEOF' || fail "$(grep FAIL check.out | head -5)"
import hashlib
import os
import urllib.parse
import zipfile
import openpyxl

emps = {'SH-001-E01': 'Li Ming', 'SH-001-E02': 'Wang Fang', 'SH-002-E01': '陈静怡',
        'SH-002-E02': 'Zhou Hua'}
p_e1 = 'P-' + hashlib.sha256(b's1:E1').hexdigest()[:8]
want2 = {'full': 'Bo said E1 and E12 are open; Boat parked by BoBo',
         'pseudonymous': '%s said %s and E12 are open; Boat parked by BoBo' % (p_e1, p_e1),
         'none': '[employee] said [employee] and E12 are open; Boat parked by BoBo'}
p = {i: 'P-' + hashlib.sha256(('s1:' + i).encode()).hexdigest()[:8] for i in emps}
want = {
    'full': ('Li Ming did not greet; SH-001-E02 (Wang Fang) stepped in',
             'photos/Li Ming door.jpg', '陈静怡 gave no test drive', 'SH-002-E02',
             'coach 陈静怡 and Zhou Hua'),
    'pseudonymous': ('%s did not greet; %s (%s) stepped in' % (p['SH-001-E01'], p['SH-001-E02'],
                                                           p['SH-001-E02']),
                     'photos/%s door.jpg' % p['SH-001-E01'],
                     '%s gave no test drive' % p['SH-002-E01'], p['SH-002-E02'],
                     'coach %s and %s' % (p['SH-002-E01'], p['SH-002-E02'])),
    'none': ('[employee] did not greet; [employee] ([employee]) stepped in',
             'photos/[employee] door.jpg', '[employee] gave no test drive', '[employee]',
             'coach [employee] and [employee]'),
}
photo = os.environ['PHOTO']
want_photo = {'full': photo,
              'pseudonymous': photo.replace('Li Ming', p['SH-001-E01']),
              'none': photo.replace('Li Ming', '[employee]')}
bad = 0
for mode, (note, ev, why, who, how) in want.items():
    wb = openpyxl.load_workbook(mode + '.xlsx')
    data = list(wb['Data'].iter_rows(values_only=True))
    h = data[0]
    row = [r for r in data[1:] if r[h.index('Item key')] == 'greeting.within_60s']
    got = (row[0][h.index('Note')], row[0][h.index('Evidence')]) if row else None
    if got != (note, ev):
        print('FAIL: %s: Data note/evidence %r, want %r' % (mode, got, (note, ev)))
        bad += 1
    # the photo on disk: linked as it is in full; scrubbed elsewhere, and then no link
    ws = wb['Data']
    col = h.index('Evidence') + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)
             if ws.cell(r, h.index('Item key') + 1).value == 'greeting.welcome' and
             ws.cell(r, col).value]
    got = [(c.value, c.hyperlink and urllib.parse.unquote(c.hyperlink.target)) for c in cells]
    want_link = 'file://' + photo if mode == 'full' else None
    if got != [(want_photo[mode], want_link)]:
        print('FAIL: %s: the photo %r, want %r' % (mode, got, [(want_photo[mode], want_link)]))
        bad += 1
    if mode != 'full':
        with zipfile.ZipFile(mode + '.xlsx') as z:
            for name in z.namelist():
                text = z.read(name).decode('utf-8', 'replace')
                if 'Li Ming' in text or 'Li%20Ming' in text:
                    print('FAIL: %s: %s names Li Ming' % (mode, name))
                    bad += 1
    row = [r for r in data[1:] if r[h.index('Item key')] == 'greeting.drink' and
           r[h.index('Answer')] == 'no']
    got = row[0][h.index('Note')] if row else None
    if got != want2[mode]:
        print('FAIL: %s: the moved employee\'s note %r, want %r' % (mode, got, want2[mode]))
        bad += 1
    act = list(wb['Actions 5W1H'].iter_rows(values_only=True))
    h = act[0]
    got = (act[1][h.index('Why')], act[1][h.index('Who')], act[1][h.index('Owner')],
           act[1][h.index('How')])
    if got != (why, who, who, how):
        print('FAIL: %s: action why/who/owner/how %r, want %r' % (mode, got, (why, who, who, how)))
        bad += 1
    if mode != 'full':
        for ws in wb.worksheets:
            for r in ws.iter_rows():
                for c in r:
                    for i, n in emps.items():
                        if isinstance(c.value, str) and (i in c.value or n in c.value):
                            print('FAIL: %s: %s!%s names %s: %r' % (mode, ws.title,
                                                                     c.coordinate, n, c.value))
                            bad += 1
raise SystemExit(1 if bad else 0)
PYEOF
done_testing

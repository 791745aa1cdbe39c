#!/usr/bin/python3
"""Read a cycle workbook made by `svcaudit export` back with openpyxl and compare
it with what the CLI says about the same database. Used by tests/e2e/test_export.sh
and tests/e2e/test_export_errors.sh.

usage:
  export_check.py check WB.xlsx --exp DIR [--region R] [--employees full|pseudonymous|none]
                  [--data] [--lang zh] [--min-audits N] [--trend-cycles N]
                  [--pseudo-out FILE.json] [--rerank]
  export_check.py pseudo-compare A.json B.json same|different
  export_check.py openable WB.xlsx [--data-rows N]
                  (complete: well-formed XML, openpyxl loads it, N rows of Data)
  export_check.py chart-cut WB.xlsx STATUS.json N
                  (the Dashboard of a network of more than 2 N stores: its store table
                  in the order of worst gap, its charts on the N worst and N best)

DIR holds the CLI's JSON for one cycle of the database (written by test_export.sh,
never from a workbook):
  cycles.json               cycle list --format json
  status.json               cycle status CYCLE --format json
  status.R.json             cycle status CYCLE --region R --format json
  status-ID.json            cycle status ID --format json, for every cycle
  audits.json, audits.R.json, audits_all.json   audit list --cycle CYCLE [--region R] [--all]
  audits_every.json         audit list --format json (every cycle)
  ratings[.R][.minN].json   employee ratings --cycle CYCLE [--region R]
                            [--min-audits N] --format json
  show-N.json               audit show N --format json, for every audit of CYCLE
  actions.json              action list --cycle CYCLE --format json
  actions_all.json          action list --format json (every cycle)
  action-N.json             action show N --format json, for every action
  repeats.json              repeats --cycle CYCLE --all --format json
  auditors.json             auditors --format json
  items.json, items.R.json  trend items --cycle CYCLE --all [--region R] --format json
  trend-N-SCOPE-ID-METRIC.json  trend --metric METRIC [--store|--region ID] --cycle CYCLE
                            --cycles N --format json, for every row of status.json
  cl-ID.json, cl-ID.zh.json checklist show ID [--lang zh] --format json
  employees.csv, stores.csv the organisation as imported
  expect.json               values the test put into the data (texts, ids, reasons, today)

Labels (sheet names, headers, statuses, verdicts, roles...) are looked up in the
catalogue, src/i18n.c, in the workbook's language: the product's promise is that
every label comes from there. Every figure comes from the CLI.

Every comparison is one check; a failed one prints 'FAIL: ...'. A check that fails
on a defect already reported (KNOWN below) prints 'KNOWN (tag): ...' instead and
does not fail the run, until the defect is fixed: then 'FIXED: ...' fails it so the
entry goes. The last line is 'checks: N passed, M failed, K on known defects'; the
exit status is 1 if any failed.
"""
import csv
import datetime
import json
import math
import os
import re
import sys
import urllib.parse
import zipfile

import openpyxl

PASSED = 0
FAILED = 0
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def ok(cond, msg):
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print('FAIL: ' + msg)
    return cond


# Defects of the workbook these checks found, reported to the lead and not fixed
# here (src/ is not this test's to change). A check that one of them fails prints
# KNOWN and does not fail the run; when the defect is gone (every check tagged with
# it passes) the run fails with FIXED until its entry is removed here, so a known
# defect can neither hide a new one nor outlive its fix.
KNOWN = {
}
KNOWN_SEEN = {}  # tag -> [checks failed, checks run]


def known_ok(tag, cond, msg):
    """ok() for a check that the known defect `tag` fails (None: no known defect)."""
    global PASSED
    if tag is None:
        return ok(cond, msg)
    seen = KNOWN_SEEN.setdefault(tag, [0, 0])
    seen[1] += 1
    if cond:
        PASSED += 1
    else:
        seen[0] += 1
        if seen[0] <= 3:
            print('KNOWN (%s): %s' % (tag, msg))
    return cond


def finish():
    global FAILED
    for tag, (bad, ran) in sorted(KNOWN_SEEN.items()):
        if bad:
            print('known defect %s: %d checks fail on it: %s' % (tag, bad, KNOWN[tag]))
        elif ran:
            FAILED += 1
            print('FIXED: the known defect %s is gone (%d checks pass): remove it from KNOWN '
                  'in export_check.py' % (tag, ran))
    print('checks: %d passed, %d failed, %d on known defects' % (
        PASSED, FAILED, sum(b for b, _ in KNOWN_SEEN.values())))
    sys.exit(1 if FAILED else 0)


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def r1(x):
    """One decimal, exactly as printf's %.1f shows it (the CLI's rule, README: the
    workbook's numbers are rounded the same way as `cycle status` prints them)."""
    v = float('%.1f' % x)
    return 0.0 if v == 0 else v


# A change is computed from the unrounded figures and rounded once; the CLI
# shows each figure rounded to 0.1, so the change of the shown figures can
# differ from it by up to 0.1 (79.04 - 78.96: shown 79.0 - 79.0 = 0.0, the
# change itself 0.08 shown 0.1).
CHG_TOL = 0.1 + 1e-6


def isnum(cell):
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def same_num(cell, want, tol=1e-9):
    """A numeric cell against a CLI number (None = empty cell)."""
    if want is None:
        return cell is None
    return isnum(cell) and abs(cell - want) <= tol


def one_decimal(x):
    """x has at most one decimal (a figure stored rounded once, as shown)."""
    return abs(x * 10 - round(x * 10)) < 1e-6


def same_pct(cell, want, tol=1e-6):
    """A percentage cell (a fraction, 85.1 % stored as 0.851, rounded once to the one
    decimal it shows) against a CLI figure on 0-100 (None = empty cell)."""
    if want is None:
        return cell is None
    return isnum(cell) and abs(cell * 100 - want) <= tol and one_decimal(cell * 100)


def pct_of(cell):
    return None if cell is None else (cell * 100 if isnum(cell) else cell)


def blank(v):
    return None if v in ('', None) else v


# ---- the catalogue of labels (src/i18n.c) -------------------------------------------

def c_unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def read_catalogue(path):
    text = open(path, encoding='utf-8').read()
    body = text[text.index('CATALOGUE[] = {'):]
    body = body[:body.index('\n};')]
    lit = r'"((?:[^"\\]|\\.)*)"'
    entries = re.findall(r'\{\s*' + lit + r',\s*' + lit + r',\s*' + lit + r'\s*\}', body)
    cat = {k: (c_unescape(en), c_unescape(zh)) for k, en, zh in entries}
    if len(cat) != body.count('{"') or not cat:
        sys.exit('export_check.py: cannot read the catalogue in %s (%d entries of %d)'
                 % (path, len(cat), body.count('{"')))
    return cat


CATALOGUE = read_catalogue(os.path.join(ROOT, 'src', 'i18n.c'))


class Labels:
    """The catalogue's texts in one language (None: English)."""

    def __init__(self, lang):
        self.lang = lang

    def __call__(self, key):
        if key not in CATALOGUE:
            raise KeyError('the catalogue has no key %r' % key)
        en, zh = CATALOGUE[key]
        return zh if self.lang == 'zh' and zh else en

    def f(self, key, *args):
        """A text with printf conversions, filled in (C's %ld is Python's %d)."""
        return re.sub(r'%l{1,2}d', '%d', self(key)) % args

    def count(self, key, n, *args):
        """A headline fact: its count n first; a count of one takes KEY.one when the
        catalogue has it (report.c's head())."""
        one = key + '.one'
        return self.f(one if n == 1 and one in CATALOGUE else key, n, *args)

    def name(self, prefix, name):
        """sva_tr_name: the catalogue's text of prefix.name, else the name itself."""
        key = '%s.%s' % (prefix, name)
        return self(key) if key in CATALOGUE else name


def words(text):
    """The words of a text: letters and digits joined by . _ - (an id or a key is one
    word: 'sales_mystery_shop', 'SH-001-E01', 'greeting.drink'); with a letter."""
    return [w for w in re.findall(r'[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*', text or '')
            if re.search('[A-Za-z]', w)]


def catalogue_words(lang_index):
    out = set()
    for texts in CATALOGUE.values():
        t = re.sub(r'%[-+ #0-9.]*(?:ll|l)?[sdifu%]', ' ', texts[lang_index])
        out |= {w.lower() for w in words(t)}
    return out


# English words of the catalogue that its Chinese texts do not use themselves ("SSI",
# "6S", "p", "n" are the same in both): one of them on a zh sheet is a label left in
# English.
ENGLISH_ONLY = catalogue_words(0) - catalogue_words(1)


# ---- reading sheets ----------------------------------------------------------------

def header_row(ws, first, second=None):
    """The row number whose column A is `first` (and B `second`), else None."""
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == first and (second is None or ws.cell(r, 2).value == second):
            return r
    return None


def table(ws, hdr=1, stop_at_blank=False):
    """The rows under header row `hdr` as dicts by header text (and the cells)."""
    names = []
    for c in range(1, ws.max_column + 1):
        names.append(ws.cell(hdr, c).value)
    while names and names[-1] is None:
        names.pop()
    rows = []
    for r in range(hdr + 1, ws.max_row + 1):
        vals = [ws.cell(r, c + 1) for c in range(len(names))]
        if stop_at_blank and all(v.value is None for v in vals):
            break
        rows.append({n: v for n, v in zip(names, vals) if n is not None})
    return names, rows


def v(row, name):
    c = row.get(name)
    return None if c is None else c.value


def hdr(T, keys):
    """Header texts: catalogue keys, or literal texts given as ('=', text)."""
    return [k[1] if isinstance(k, tuple) else T(k) for k in keys]


def ktable(ws, T, keys, what, hdr_row=1, stop_at_blank=False, known=None):
    """The table under header row `hdr_row` whose columns are `keys` (catalogue keys,
    or ('=', text) for a literal header): None (a failed check) when the header is
    not theirs; else the rows as dicts from key (or the literal text) to the cell,
    by position, so that two columns with one header text are still told apart."""
    names = [ws.cell(hdr_row, c).value for c in range(1, ws.max_column + 1)]
    while names and names[-1] is None:
        names.pop()
    want = hdr(T, keys)
    if not ok(names == want, '%s header %r, want %r' % (what, names, want)):
        return None
    dup = sorted({n for n in want if want.count(n) > 1})
    ok(not dup, '%s: two columns share a header: %r' % (what, dup))
    rows = []
    for r in range(hdr_row + 1, ws.max_row + 1):
        cells = [ws.cell(r, c + 1) for c in range(len(keys))]
        if stop_at_blank and all(c.value is None for c in cells):
            break
        rows.append({(k[1] if isinstance(k, tuple) else k): c for k, c in zip(keys, cells)})
    return rows


# ---- formats and colours -------------------------------------------------------------

FMT = {
    'pct': '0.0%',
    'delta': '"\u25b2 "0.0;"\u25bc "0.0;"= "0.0',
    'p': '[<0.001]"< 0.001";0.000',
    'dec1': '0.0',
    'num': '0',
    'date': 'yyyy-mm-dd',
    'general': 'General',
}
FILL = {'green': 'C6EFCE', 'amber': 'FFEB9C', 'red': 'FFC7CE', 'grey': 'EDEDED'}
FONT = {'green': '006100', 'amber': '9C5700', 'red': '9C0006'}


def fill_of(cell):
    f = cell.fill
    if f is None or f.fill_type != 'solid' or f.fgColor is None:
        return None
    rgb = f.fgColor.rgb
    if not isinstance(rgb, str):
        return None
    for name, hexa in FILL.items():
        if rgb.upper().endswith(hexa):
            return name
    return rgb


def font_of(cell):
    c = cell.font.color if cell.font is not None else None
    rgb = c.rgb if c is not None else None
    if not isinstance(rgb, str):
        return None
    for name, hexa in FONT.items():
        if rgb.upper().endswith(hexa):
            return name
    return rgb


def check_fmt(cell, kind, what):
    return ok(cell.number_format == FMT[kind], '%s %s: format %r, want %s %r'
              % (what, cell.coordinate, cell.number_format, kind, FMT[kind]))


def check_colour(cell, colour, what):
    """A coloured cell: the fill (and font) of `colour`, or none for None."""
    got = fill_of(cell)
    good = got == colour
    if good and colour in FONT:
        good = font_of(cell) == colour
    return ok(good, '%s %s: colour %r (font %r), want %r' % (what, cell.coordinate, got,
                                                             font_of(cell), colour))


def pct_cell(cell, want, colour, what, tol=1e-6):
    """A percentage: the CLI's figure, the % format, the colour (when it has a value)."""
    good = ok(same_pct(cell.value, want, tol), '%s %s: %r (%s %%), CLI %r'
              % (what, cell.coordinate, cell.value, pct_of(cell.value), want))
    if want is not None:
        check_fmt(cell, 'pct', what)
        check_colour(cell, colour, what)
    return good


def delta_cell(cell, want, what, tol=1e-6):
    """A change in points: ▲/▼ format, one decimal, green up, red down."""
    ok(same_num(cell.value, want, tol), '%s %s: %r, CLI gives %r'
       % (what, cell.coordinate, cell.value, want))
    if cell.value is not None:
        check_fmt(cell, 'delta', what)
        ok(isnum(cell.value) and one_decimal(cell.value), '%s %s: %r has more than one '
           'decimal' % (what, cell.coordinate, cell.value))
        want_font = 'green' if cell.value > 0 else 'red' if cell.value < 0 else None
        ok(font_of(cell) == want_font and fill_of(cell) is None, '%s %s: %r in font %r, '
           'want %r' % (what, cell.coordinate, cell.value, font_of(cell), want_font))


def count_cell(cell, want, what, red=False):
    """A count: an integer, format "0"; red-filled when it needs attention."""
    good = ok(same_num(cell.value, want) and (cell.value is None or
                                              float(cell.value).is_integer()),
              '%s %s: %r, want %r' % (what, cell.coordinate, cell.value, want))
    if want is not None:
        check_fmt(cell, 'num', what)
        check_colour(cell, 'red' if red else None, what)
    return good


def text_cell(cell, want, what, colour=None):
    good = ok(cell.value == blank(want), '%s %s: %r, want %r' % (what, cell.coordinate,
                                                                cell.value, want))
    if blank(want) is not None:
        ok(cell.data_type == 's', '%s %s: a %r cell, not text' % (what, cell.coordinate,
                                                                  cell.data_type))
        check_colour(cell, colour, what)
    return good


def date_cell(cell, iso, what):
    """A date cell (a real date shown yyyy-mm-dd) of the CLI's YYYY-MM-DD."""
    if not iso:
        return ok(cell.value is None, '%s %s: %r, want empty' % (what, cell.coordinate,
                                                                cell.value))
    want = datetime.datetime.strptime(iso[:10], '%Y-%m-%d')
    good = ok(cell.is_date and cell.value == want, '%s %s: %r (type %s), want the date %s'
              % (what, cell.coordinate, cell.value, cell.data_type, iso))
    check_fmt(cell, 'date', what)
    return good


def target_colour(x):
    """The colour rule (README): met green, missed by 2 points or less amber, more
    red, a target without data grey, no target none."""
    st = x['status']
    if st == 'met':
        return 'green'
    if st == 'missed':
        return 'amber' if x['gap'] >= -2.0 - 1e-9 else 'red'
    if st == 'no data':
        return 'grey'
    return None


def heat_colour(pct):
    """A figure without a target: green from 85 %, amber from 70 %, red below."""
    if pct is None:
        return None
    return 'green' if pct >= 85 - 1e-9 else 'amber' if pct >= 70 - 1e-9 else 'red'


# ---- the expected side -------------------------------------------------------------

class Exp:
    def __init__(self, d, region, lang, n_cycles):
        self.d = d
        self.region = region
        self.lang = lang
        self.T = Labels(lang)
        self.n_cycles = n_cycles
        sfx = '.' + region if region else ''
        self.status = load(os.path.join(d, 'status%s.json' % sfx))
        self.status_net = load(os.path.join(d, 'status.json'))
        self.audits = load(os.path.join(d, 'audits%s.json' % sfx))
        self.audits_all = load(os.path.join(d, 'audits_all.json'))
        self.audits_every = load(os.path.join(d, 'audits_every.json'))
        self.cycles = load(os.path.join(d, 'cycles.json'))
        self.cycle = self.status['cycle']
        self.shows = {a['id']: load(os.path.join(d, 'show-%d.json' % a['id']))
                      for a in self.audits}
        acts = load(os.path.join(d, 'actions.json'))
        self.actions = [a for a in acts if not region or a['region'] == region]
        every = load(os.path.join(d, 'actions_all.json'))
        self.actions_all = [a for a in every if not region or a['region'] == region]
        self.action_show = {a['id']: load(os.path.join(d, 'action-%d.json' % a['id']))
                            for a in self.actions_all}
        self.repeats = [x for x in load(os.path.join(d, 'repeats.json'))
                        if not region or x['region'] == region]
        self.auditors = load(os.path.join(d, 'auditors.json'))
        first = self.cycles[0]['id'] == self.cycle
        # the first cycle has no item moves (`trend items` refuses it: nothing before)
        self.items = {'items': []} if first else load(os.path.join(d, 'items%s.json' % sfx))
        self.expect = load(os.path.join(d, 'expect.json'))
        self.today = self.expect['today']
        with open(os.path.join(d, 'employees.csv'), encoding='utf-8', newline='') as f:
            self.employees = {r['id']: r for r in csv.DictReader(f)}
        with open(os.path.join(d, 'stores.csv'), encoding='utf-8', newline='') as f:
            self.stores = {r['id']: r for r in csv.DictReader(f)}
        self.checklists = {}
        self.checklists_en = {}
        for a in self.audits_all:
            cid = a['checklist']
            if cid not in self.checklists:
                name = 'cl-%s%s.json' % (cid, '.' + lang if lang else '')
                self.checklists[cid] = load(os.path.join(d, name))
                self.checklists_en[cid] = load(os.path.join(d, 'cl-%s.json' % cid))
        name = 'cl-6s_store%s.json' % ('.' + lang if lang else '')
        self.six = load(os.path.join(d, name))
        self.status_of = {}
        for c in self.cycles:
            p = os.path.join(d, 'status-%s.json' % c['id'])
            if os.path.exists(p):
                self.status_of[c['id']] = load(p)

    def main_cycle(self):
        """The cycle the test put its special values into (expect.json's texts,
        formulas, Chinese notes): those checks run on its workbooks only."""
        return self.expect.get('cycle') == self.cycle

    def rows(self, status=None):
        return (status or self.status)['rows']

    def find(self, status, scope, ident, metric):
        for r in status['rows']:
            if r['scope'] == scope and (r['id'] or '') == (ident or '') and \
                    r['metric'] == metric:
                return r
        return None

    def kpi(self, status, metric):
        if self.region:
            return self.find(status, 'region', self.region, metric)
        return self.find(status, 'network', '', metric)

    def prev_cycle(self):
        ids = [c['id'] for c in self.cycles]
        k = ids.index(self.cycle)
        return ids[k - 1] if k > 0 else None

    def prev_in_window(self):
        """The cycle before, when the trend window holds it (changes need it)."""
        w = trend_window(self, self.n_cycles)
        return w[-2] if len(w) > 1 else None

    def store_rows(self, metric):
        return [r for r in self.status['rows'] if r['scope'] == 'store' and
                (metric is None or r['metric'] == metric) and
                (not self.region or r['region'] == self.region)]

    def trend_of(self, scope, ident, metric, n=None):
        p = os.path.join(self.d, 'trend-%d-%s-%s-%s.json' % (n or self.n_cycles, scope,
                                                            ident or '', metric))
        return load(p)

    def role(self, emp_id):
        role = self.employees[emp_id]['role'] if emp_id in self.employees else ''
        return self.T.name('role', role) if role else ''

    def hidden(self, mode):
        """Pseudonymous: the employees whose role has fewer than MIN_GROUP people at
        their store (README: the role would single them out): not shown one by one."""
        if mode != 'pseudonymous':
            return set()
        size = {}
        for x in self.employees.values():
            size[(x['store'], x['role'])] = size.get((x['store'], x['role']), 0) + 1
        return {emp for emp, x in self.employees.items()
                if size[(x['store'], x['role'])] < MIN_GROUP}

    def audits_by_store(self):
        """The Audits sheet's order: by store, then date, then id."""
        return sorted(self.audits, key=lambda a: (a['store'], a['date'], a['id']))


def trend_window(e, n):
    ids = [c['id'] for c in e.cycles]
    k = ids.index(e.cycle)
    return ids[max(0, k + 1 - n):k + 1]


def change_of(e, status_prev, scope, ident, metric):
    x = e.find(e.status, scope, ident, metric)
    p = e.find(status_prev, scope, ident, metric) if status_prev else None
    if x and p and x['actual'] is not None and p['actual'] is not None:
        return r1(x['actual'] - p['actual'])
    return None


def days_between(a, b):
    da = datetime.date.fromisoformat(a[:10])
    db = datetime.date.fromisoformat(b[:10])
    return (db - da).days


def act_expected(e):
    """The Act step from the CLI: `cycle status` (missed store targets), the reasons
    the test recorded, `action list` (every cycle) and `action show` (when an action
    was first marked done), as of the test's today."""
    starts = {c['id']: c['from'] for c in e.cycles}
    me = starts[e.cycle]
    reasons = {tuple(x) for x in e.expect['reasons']}
    missed = [r for r in e.store_rows(None) if r['status'] == 'missed']
    on_metric = {(a['store'], a['metric']) for a in e.actions}
    x = {'missed': len(missed),
         'no_reason': sum(1 for r in missed if (e.cycle, r['id'], r['metric']) not in reasons),
         'no_action': sum(1 for r in missed if (r['id'], r['metric']) not in on_metric),
         'open': 0, 'earlier': 0, 'overdue': 0, 'age': [0, 0, 0], 'oldest': None,
         'actions': 0, 'completed': 0, 'due_completed': 0, 'on_time': 0}
    for a in e.actions_all:
        if a['carried'].startswith('to'):
            continue  # counted in the cycle it was carried into
        this = a['cycle'] == e.cycle
        if not this and starts[a['cycle']] >= me:
            continue  # a later cycle's
        if this:
            x['actions'] += 1
            if a['status'] in ('done', 'verified'):
                x['completed'] += 1
                done = [h['at'] for h in e.action_show[a['id']]['history']
                        if re.match(r'^status \S+ -> done$', h['change'])]
                if a['due'] and done:
                    x['due_completed'] += 1
                    x['on_time'] += min(done)[:10] <= a['due']
        if a['status'] not in ('open', 'in_progress', 'reopened'):
            continue
        x['open'] += 1
        x['earlier'] += not this
        late = days_between(a['due'], e.today) if a['due'] else 0
        if late > 0:
            x['overdue'] += 1
            x['age'][0 if late <= 7 else 1 if late <= 30 else 2] += 1
            if x['oldest'] is None or a['due'] < x['oldest']:
                x['oldest'] = a['due']
    return x


def scope_counts(e, check=False):
    """Audits, stores audited and stores of the scope, from `audit list` and the
    organisation (with `check`, the network's against `cycle status` too)."""
    stores = sorted(s for s, x in e.stores.items() if not e.region or x['region'] == e.region)
    audited = sorted({a['store'] for a in e.audits})
    if check and not e.region:
        st = e.status
        ok(st['audits'] == len(e.audits), 'status JSON audits %d != audit list %d'
           % (st['audits'], len(e.audits)))
        ok((st['stores_audited'], st['stores_total']) == (len(audited), len(stores)),
           'status JSON stores %d of %d, audit list %d of %d' % (
               st['stores_audited'], st['stores_total'], len(audited), len(stores)))
    return len(e.audits), len(audited), len(stores)


# The false discovery rate the scan's verdicts control (README: 5 %).
FDR = 0.05
# `trend --format json` prints p with four decimals: a Benjamini-Hochberg q worked
# out from them is off by at most P_TOL m / rank (m the tests of the family).
P_TOL = 5e-5


def bh(ps):
    """Benjamini-Hochberg adjusted p-values (None where there is no test)."""
    idx = sorted((i for i, p in enumerate(ps) if p is not None), key=lambda i: ps[i])
    m = len(idx)
    q = [None] * len(ps)
    run = 1.0
    for r in range(m, 0, -1):
        i = idx[r - 1]
        run = min(run, ps[i] * m / r)
        q[i] = run
    return q, m


def scan_expected(e):
    """What the scan must give each status row in scope (the workbook's Trend rows),
    worked out from `trend --store|--region|(network) --cycles N` (each series' own
    p-values, as the CLI prints them) and a Benjamini-Hochberg adjustment of its own
    over the family of the scan: per metric, every scope the workbook shows (a
    region's workbook: its stores and itself; else every store, region and the
    network), the last change and the window slope of each. Keyed by (scope, id,
    metric): has (audits in the window), has_test (a cycle before in the window),
    change (its verdict), p, q, window (its verdict), wq, m (the family's size), tol
    (how far q may be from the one worked out) and the trend JSON."""
    out = {}
    fam = {}
    for x in e.rows():
        t = e.trend_of(x['scope'], x['id'], x['metric'])
        cyc = t['cycles']
        last = cyc[-1] if cyc and cyc[-1]['cycle'] == e.cycle else None
        has = last is not None and any(c['audits'] > 0 for c in cyc)
        has_test = has and len(cyc) >= 2
        p = last['p'] if has_test and last['verdict'] not in (None, 'insufficient n') else None
        w = t['window']
        wp = w['p'] if has and w['verdict'] != 'insufficient n' else None
        k = (x['scope'], x['id'], x['metric'])
        out[k] = {'has': has, 'has_test': has_test, 'p': p, 'wp': wp, 'trend': t,
                  'last': last, 'slope': w.get('slope')}
        fam.setdefault(x['metric'], []).append(k)
    for metric, keys in fam.items():
        ps = []
        for k in keys:
            ps += [out[k]['p'], out[k]['wp']]
        q, m = bh(ps)
        for i, k in enumerate(keys):
            x = out[k]
            x['q'], x['wq'], x['m'] = q[2 * i], q[2 * i + 1], m
            x['tol'] = P_TOL * m + 1e-9
            x['change'] = None if not x['has_test'] else 'insufficient n' if x['p'] is None \
                else significant(x['q'], x['tol'], x['last']['change'], 'improved', 'declined',
                                 'no significant change')
            x['window'] = None if not x['has'] else 'insufficient n' if x['wp'] is None \
                else significant(x['wq'], x['tol'], x['slope'], 'improving', 'declining',
                                 'stable')
    return out


def significant(q, tol, sign, up, down, none):
    """The verdict of an adjusted p against the FDR; a set of both verdicts when q is
    too close to the line for the CLI's rounded p-values to tell."""
    move = none if not sign else up if sign > 0 else down
    if q <= FDR - tol:
        return move
    if q > FDR + tol:
        return none
    return {move, none}


def verdict_is(got, want):
    return got in want if isinstance(want, set) else got == want


def store_declines(e, scan):
    """The stores in scope (each once) with an index figure declining over the
    window or declined since the last cycle, after the FDR control: the Dashboard's
    "stores declining" (a checklist metric of no index does not count)."""
    out = set()
    for (scope, ident, metric), x in scan.items():
        if scope == 'store' and metric in ('ssi', 'csi', '6s') and (
                verdict_is('declined', x['change']) or verdict_is('declining', x['window'])):
            out.add(ident)
    return out


def headline_expected(e):
    """The facts that need doing, most urgent first, at most five (issue 17)."""
    T = e.T
    n_audits, audited, total = scope_counts(e)
    if n_audits == 0:
        return [('grey', T('head.no_audits'))]
    a = act_expected(e)
    out = []
    if a['no_reason'] or a['no_action']:
        out.append(('red', T.count('head.missed', a['no_reason'], a['no_action'], a['missed'])))
    if a['overdue']:
        out.append(('red', T.count('head.overdue', a['overdue'], a['age'][2], a['oldest'] or '')))
    esc = sum(1 for x in e.repeats if x['escalate'])
    if esc:
        out.append(('amber', T.count('head.repeats', esc)))
    declined = len(store_declines(e, scan_expected(e)))
    if e.n_cycles == 6:
        # `cycle status` (the same scan over the same window) counts alike
        st = {r['id'] for r in e.store_rows(None) if r['metric'] in ('ssi', 'csi', '6s') and
              (r['change'] == 'declined' or r['window'] == 'declining')}
        ok(len(st) == declined, 'stores declining: %d from cycle status (%r), %d worked out '
           'from `trend`' % (len(st), sorted(st), declined))
    if declined:
        out.append(('amber', T.count('head.declined', declined)))
    if a['earlier']:
        out.append(('amber', T.count('head.backlog', a['earlier'])))
    if audited < total:
        out.append(('amber', T.count('head.not_audited', total - audited, total)))
    if not out:
        out.append(('green', T('head.all_well')))
    return out[:5]


def worst_gap_order(e):
    """The stores in scope worst gap first (their lowest gap to a target on SSI, CSI
    or 6S), stores without any gap last, then by id."""
    stores = [r for r in e.store_rows('ssi')]

    def key(s):
        gaps = [e.find(e.status, 'store', s['id'], m)['gap'] for m in ('ssi', 'csi', '6s')
                if e.find(e.status, 'store', s['id'], m) is not None]
        gaps = [g for g in gaps if g is not None]
        return (0, min(gaps), s['id']) if gaps else (1, 0, s['id'])
    return sorted(stores, key=key)


# ---- the checks, one function per sheet ---------------------------------------------

# README: pseudonymous workbooks show no one whose role has fewer people at the store
MIN_GROUP = 3

SHEETS = ['sheet.dashboard', 'sheet.stores', 'sheet.six', 'sheet.standards',
          'sheet.employees', 'sheet.actions', 'sheet.trend', 'sheet.audits',
          'sheet.repeats', 'sheet.auditors']


def sheet(wb, e, key):
    return wb[e.T(key)]


def check_structure(wb, e, data, employees):
    T = e.T
    want = [T(k) for k in SHEETS] + ([T('sheet.data')] if data else [])
    ok(wb.sheetnames == want, 'sheet names: want %r, got %r' % (want, wb.sheetnames))
    tables = [n for n in want if n != T('sheet.dashboard') and not (
        n == T('sheet.employees') and employees == 'none')]
    for name in tables:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        ok(ws.freeze_panes is not None, '%s: no frozen panes' % name)
        ok(ws.freeze_panes is not None and re.match(r'^[A-Z]+2$', ws.freeze_panes),
           '%s: the header row is not what is frozen (%r)' % (name, ws.freeze_panes))
        ref = ws.auto_filter.ref
        last = openpyxl.utils.get_column_letter(ws.max_column)
        last_row = ws.max_row
        if name == T('sheet.employees'):
            # a note may follow the table after a blank row: the filter ends above it
            last_row = 1 + len(table(ws, stop_at_blank=True)[1])
        ok(ref is not None, '%s: no autofilter' % name)
        ok(ref == 'A1:%s%d' % (last, last_row),
           '%s: the autofilter %r does not cover the table A1:%s%d' % (name, ref, last,
                                                                        last_row))
        ok(ws.page_setup.orientation == 'landscape', '%s: not landscape' % name)
        ok(ws.sheet_properties.pageSetUpPr is not None and
           ws.sheet_properties.pageSetUpPr.fitToPage, '%s: not fit to page' % name)
        wide = 2 if name == T('sheet.data') else 1  # 23 columns: two pages across
        ok((ws.page_setup.fitToWidth or 1) == wide and ws.page_setup.fitToHeight == 0,
           '%s: fit to %r x %r pages, want %d wide' % (name, ws.page_setup.fitToWidth,
                                                       ws.page_setup.fitToHeight, wide))
        ok(ws.page_setup.paperSize == 9, '%s: paper %r, not A4' % (name,
                                                                   ws.page_setup.paperSize))
        ok(ws.print_title_rows == '$1:$1', '%s: header row not repeated when printed (%r)'
           % (name, ws.print_title_rows))
    # The Dashboard prints on one landscape A4 page across; it freezes nothing (its
    # store table is below the first screen's charts: frozen there it would hide them)
    ws = sheet(wb, e, 'sheet.dashboard')
    ok(ws.page_setup.orientation == 'landscape', 'Dashboard: not landscape')
    ok(ws.sheet_properties.pageSetUpPr is not None and
       ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1 and
       ws.page_setup.fitToHeight == 0, 'Dashboard: not fit to one page wide')
    ok(ws.page_setup.paperSize == 9, 'Dashboard: paper %r, not A4' % ws.page_setup.paperSize)
    p = wb.properties
    ok(p.title is not None and e.cycle in p.title,
       'document title %r does not name the cycle %s' % (p.title, e.cycle))
    ok(p.title == T.f('dash.title', e.cycle), 'document title %r, want %r'
       % (p.title, T.f('dash.title', e.cycle)))
    ok(p.creator == 'svcaudit', 'document author %r' % p.creator)
    ok(p.subject is not None and p.subject != '', 'no document subject')
    ok(p.description is not None and 'employees: %s' % employees in p.description,
       'document comments %r do not name the privacy mode %s' % (p.description, employees))
    if e.region:
        ok(p.description is not None and e.region in p.description,
           'document comments %r do not name the region %s' % (p.description, e.region))


def check_dashboard(wb, e, mode):
    T = e.T
    ws = sheet(wb, e, 'sheet.dashboard')
    st = e.status
    # rows 1-3: title; period, state, generated; privacy and "audit-based"
    title = ws['A1'].value or ''
    want = T.f('dash.title', e.cycle) + (T.f('dash.title_region', e.region) if e.region else '')
    ok(title == want, 'Dashboard A1 %r, want %r' % (title, want))
    sub = ws['A2'].value or ''
    want = T.f('dash.sub', st['from'], st['to'], T('state.' + st['state']), '@@')
    m = re.match(re.escape(want).replace('@@', r'(\d{4}-\d\d-\d\d \d\d:\d\d)') + '$', sub)
    ok(m is not None, 'Dashboard A2 %r, want %r with the time it was made' % (sub, want))
    want = '%s   %s' % (T('dash.privacy.' + mode), T('dash.audit_based'))
    ok(ws['A3'].value == want, 'Dashboard A3 %r, want %r' % (ws['A3'].value, want))
    # row 5: what needs doing
    ok(ws['A5'].value == T('dash.needs'), 'Dashboard A5 %r, want %r' % (ws['A5'].value,
                                                                       T('dash.needs')))
    facts = headline_expected(e)
    for k, (colour, text) in enumerate(facts):
        c = ws.cell(6 + k, 1)
        ok(c.value == text, 'Dashboard headline %d: %r, want %r' % (k + 1, c.value, text))
        check_colour(c, colour, 'Dashboard headline %d' % (k + 1))
    after = ws.cell(6 + len(facts), 1).value
    ok(after is None, 'Dashboard: a headline fact more than the %d expected: %r'
       % (len(facts), after))
    check_kpis(ws, e)
    check_act(ws, e)
    h3 = check_store_table(ws, e)
    if h3 is None:
        return
    ok(h3 >= 28, 'Dashboard: the store table starts at row %d, inside the first screen\'s '
       'charts (row 28 or later)' % h3)
    blocks = check_chart_data(ws, e, h3)
    blocks['store_hdr'] = h3
    blocks.update(check_radar(ws, e))
    blocks.update(check_trend_block(ws, e))
    check_dashboard_charts(ws, e, blocks)


def check_kpis(ws, e):
    """The KPI block (network or region): actual coloured by its status, target,
    gap, status word, stores, change since the cycle before; the network's
    workbook also has a row per region."""
    T = e.T
    st = e.status
    h = header_row(ws, T('kpi.kpi'))
    if not ok(h is not None, 'Dashboard: no KPI block'):
        return
    want_hdr = hdr(T, ['kpi.kpi', 'kpi.actual', 'kpi.target', 'kpi.gap', 'kpi.status',
                       'kpi.stores', 'kpi.prev'])
    got = [ws.cell(h, c).value for c in range(1, 8)]
    ok(got == want_hdr, 'Dashboard KPI header %r, want %r' % (got, want_hdr))
    prev_id = e.prev_in_window()
    prev = e.status_of.get(prev_id) if prev_id else None
    for k, (label, metric) in enumerate((('SSI', 'ssi'), ('CSI', 'csi'), ('6S', '6s'))):
        r = h + 1 + k
        cells = [ws.cell(r, c) for c in range(1, 8)]
        want = e.kpi(st, metric)
        ok(cells[0].value == label, 'Dashboard KPI row %d is %r, want %s' % (r, cells[0].value,
                                                                              label))
        if not ok(want is not None, 'status JSON has no %s row for %s' % (
                'region ' + e.region if e.region else 'network', metric)):
            continue
        what = 'Dashboard KPI %s' % label
        pct_cell(cells[1], want['actual'], target_colour(want), what + ' actual')
        pct_cell(cells[2], want['target'], None, what + ' target')
        delta_cell(cells[3], want['gap'], what + ' gap')
        text_cell(cells[4], T.name('status', want['status']), what + ' status',
                  target_colour(want))
        count_cell(cells[5], want['n'], what + ' stores')
        chg = change_of(e, prev, want['scope'], want['id'], metric)
        delta_cell(cells[6], chg, what + ' vs prev. (%s -> %s)' % (prev_id, e.cycle), CHG_TOL)
    # the regions (the network's workbook): figures, audits, stores audited
    rh = header_row(ws, T('col.region'), 'SSI')
    if e.region:
        ok(rh is None, 'Dashboard: a region table in a region\'s workbook (row %r)' % rh)
        return
    if not ok(rh is not None, 'Dashboard: no "By region" table'):
        return
    want_hdr = hdr(T, ['col.region', ('=', 'SSI'), ('=', 'CSI'), ('=', '6S'), 'kpi.audits',
                       'kpi.audited'])
    got = [ws.cell(rh, c).value for c in range(1, 7)]
    ok(got == want_hdr, 'Dashboard region header %r, want %r' % (got, want_hdr))
    regions = sorted({x['region'] for x in e.stores.values()})
    rows = []
    r = rh + 1
    while ws.cell(r, 1).value is not None:
        rows.append(r)
        r += 1
    ok([ws.cell(r, 1).value for r in rows] == regions, 'Dashboard regions %r, want %r'
       % ([ws.cell(r, 1).value for r in rows], regions))
    for r, g in zip(rows, regions):
        what = 'Dashboard region %s' % g
        for c, metric in enumerate(('ssi', 'csi', '6s')):
            x = e.find(st, 'region', g, metric)
            pct_cell(ws.cell(r, 2 + c), x['actual'] if x else None,
                     target_colour(x) if x else None, '%s %s' % (what, metric))
        mine = [a for a in e.audits if a['region'] == g]
        count_cell(ws.cell(r, 5), len(mine), what + ' audits')
        n_stores = sum(1 for s in e.stores.values() if s['region'] == g)
        text_cell(ws.cell(r, 6), T.f('kpi.of', len({a['store'] for a in mine}), n_stores),
                  what + ' stores audited')


def check_act(ws, e):
    """The counts line and the Act block, against `cycle status`, `audit list`,
    `action list` and `action show`."""
    T = e.T
    n_audits, audited, total = scope_counts(e, check=True)
    h = header_row(ws, T('kpi.audits'))
    if ok(h is not None, 'Dashboard: no counts line (%s)' % T('kpi.audits')):
        count_cell(ws.cell(h, 3), n_audits, 'Dashboard audits')
        want = T.f('kpi.audited_of', audited, total)
        text_cell(ws.cell(h, 4), want, 'Dashboard stores audited')
    a = act_expected(e)
    h = header_row(ws, T('act.title'))
    if not ok(h is not None, 'Dashboard: no Act block'):
        return
    lines = [('act.missed', '', a['missed'], False, None),
             ('act.no_reason', '  ', a['no_reason'], True, None),
             ('act.no_action', '  ', a['no_action'], True, None),
             ('act.open', '', a['open'], False, None),
             ('act.earlier', '  ', a['earlier'], True, None),
             ('act.overdue', '  ', a['overdue'], True, a['oldest']),
             ('act.age1', '    ', a['age'][0], True, None),
             ('act.age2', '    ', a['age'][1], True, None),
             ('act.age3', '    ', a['age'][2], True, None)]
    r = h + 1
    for key, indent, n, red, detail in lines:
        what = 'Dashboard Act %s' % key
        text_cell(ws.cell(r, 1), indent + T(key), what + ' label')
        count_cell(ws.cell(r, 3), n, what, red and n > 0)
        text_cell(ws.cell(r, 4), detail, what + ' detail')
        r += 1
    for key, num, den in (('act.completion', a['completed'], a['actions']),
                          ('act.on_time', a['on_time'], a['due_completed'])):
        what = 'Dashboard Act %s' % key
        text_cell(ws.cell(r, 1), T(key), what + ' label')
        pct_cell(ws.cell(r, 3), r1(100.0 * num / den) if den else None, None, what)
        text_cell(ws.cell(r, 4), T.f('kpi.of', num, den), what + ' of')
        r += 1
    ok(ws.cell(r, 1).value is None, 'Dashboard: the Act block goes on at row %d: %r'
       % (r, ws.cell(r, 1).value))
    # the facts the test set up are there, so that the figures above can fail
    if e.main_cycle() and not e.region:
        ok(a['earlier'] > 0 and a['overdue'] > 0 and a['completed'] > 0 and
           0 < a['on_time'] < a['due_completed'] and a['no_reason'] > 0 and
           a['no_action'] > 0 and all(a['age']),
           'the data lacks an Act case the checks need: %r' % a)


def check_store_table(ws, e):
    """Every store of the scope, worst gap first: its id a link to its first audit on
    the Audits sheet (none without audits); actual (coloured by its target), target,
    gap and change per index."""
    T = e.T
    h3 = header_row(ws, T('col.region'), T('col.store'))
    if not ok(h3 is not None, 'Dashboard: no store table'):
        return None
    keys = ['col.region', 'col.store', 'col.name']
    for m in ('SSI', 'CSI', '6S'):
        keys += [('=', m), ('=', T.f('tbl.target', m)), ('=', T.f('tbl.gap', m)),
                 ('=', T.f('tbl.chg', m))]
    rows = ktable(ws, T, keys, 'Dashboard store table', h3, stop_at_blank=True)
    if rows is None:
        return h3
    want_stores = worst_gap_order(e)
    ok([r['col.store'].value for r in rows] == [s['id'] for s in want_stores],
       'Dashboard store table lists %r, want worst gap first %r'
       % ([r['col.store'].value for r in rows], [s['id'] for s in want_stores]))
    prev_id = e.prev_in_window()
    prev = e.status_of.get(prev_id) if prev_id else None
    first = {}
    for k, a in enumerate(e.audits_by_store()):
        first.setdefault(a['store'], k + 2)
    audits = T('sheet.audits')
    for row, s in zip(rows, want_stores):
        sid = s['id']
        c = row['col.store']
        link = c.hyperlink.location if c.hyperlink is not None else None
        want = "'%s'!A%d" % (audits, first[sid]) if sid in first else None
        ok(link == want, 'Dashboard %s %s: links to %r, want %r (its first audit)'
           % (sid, c.coordinate, link, want))
        if want:
            ok(font_of(c) == '0563C1' or (c.font.color is not None and
                                          str(c.font.color.rgb).endswith('0563C1')),
               'Dashboard %s %s: a link not in the link colour' % (sid, c.coordinate))
        text_cell(row['col.region'], s['region'], 'Dashboard %s region' % sid)
        text_cell(row['col.name'], s['name'], 'Dashboard %s name' % sid)
        for label, metric in (('SSI', 'ssi'), ('CSI', 'csi'), ('6S', '6s')):
            x = e.find(e.status, 'store', sid, metric)
            what = 'Dashboard %s %s' % (sid, label)
            pct_cell(row[label], x['actual'], target_colour(x), what + ' actual')
            pct_cell(row[T.f('tbl.target', label)], x['target'], None, what + ' target')
            delta_cell(row[T.f('tbl.gap', label)], x['gap'], what + ' gap')
            delta_cell(row[T.f('tbl.chg', label)],
                       change_of(e, prev, 'store', sid, metric), what + ' chg', CHG_TOL)
    return h3


def check_chart_data(ws, e, store_hdr, cut_n=10):
    """The stores the by-store charts draw: all of them in the table's order, or past
    2 N stores the N worst and the N best; each with its actual and target."""
    T = e.T
    h = header_row(ws, T('dash.chart_stores'))
    if not ok(h is not None, 'Dashboard: no chart data block'):
        return {}
    want_hdr = [T('dash.chart_stores')]
    for m in ('SSI', 'CSI', '6S'):
        want_hdr += [m, T.f('tbl.target', m)]
    got = [ws.cell(h, c).value for c in range(1, 8)]
    ok(got == want_hdr, 'Dashboard chart data header %r, want %r' % (got, want_hdr))
    ok(h > store_hdr, 'Dashboard: the chart data (row %d) is above the store table (%d)'
       % (h, store_hdr))
    order = [s['id'] for s in worst_gap_order(e)]
    want = order if len(order) <= 2 * cut_n else order[:cut_n] + order[-cut_n:]
    got = []
    r = h + 1
    while ws.cell(r, 1).value is not None:
        got.append(ws.cell(r, 1).value)
        r += 1
    ok(got == want, 'Dashboard chart stores %r, want %r' % (got, want))
    for k, sid in enumerate(got):
        for c, metric in enumerate(('ssi', 'csi', '6s')):
            x = e.find(e.status, 'store', sid, metric)
            what = 'Dashboard chart data %s %s' % (sid, metric)
            pct_cell(ws.cell(h + 1 + k, 2 + 2 * c), x['actual'] if x else None, None, what)
            pct_cell(ws.cell(h + 1 + k, 3 + 2 * c), x['target'] if x else None, None,
                     what + ' target')
    return {'chart_first': h + 1, 'chart_last': h + len(got), 'cut': len(order) > 2 * cut_n,
            'n_stores': len(order)}


def six_section_means(e):
    """store -> section -> mean section % over the store's 6S audits (audit show), at
    one decimal like every store figure."""
    acc = {}
    for a in e.audits:
        if a['checklist'] != e.six['id']:
            continue
        for s in e.shows[a['id']]['sections']:
            if s['score'] is not None:
                acc.setdefault(a['store'], {}).setdefault(s['id'], []).append(s['score'])
    return {st: {sec: r1(sum(x) / len(x)) for sec, x in d.items()} for st, d in acc.items()}


def check_radar(ws, e):
    """6S by section: the scope's mean over stores, the best and the worst store."""
    T = e.T
    h4 = header_row(ws, T('radar.section'))
    secmeans = six_section_means(e)
    if not secmeans:
        ok(h4 is None, 'Dashboard: a 6S radar block without 6S audits (row %r)' % h4)
        return {}
    if not ok(h4 is not None, 'Dashboard: no 6S section block'):
        return {}
    six = [s for s in e.store_rows('6s') if s['actual'] is not None]
    best = max(six, key=lambda s: s['actual'])['id'] if six else None
    worst = min(six, key=lambda s: s['actual'])['id'] if six else None
    want_hdr = [T('radar.section'), T('col.region' if e.region else 'radar.network'),
                T.f('radar.best', best or '-'), T.f('radar.worst', worst or '-')]
    got = [ws.cell(h4, c).value for c in range(1, 5)]
    ok(got == want_hdr, 'Dashboard 6S header %r, want %r' % (got, want_hdr))
    for k, sec in enumerate(e.six['sections']):
        r = h4 + 1 + k
        text_cell(ws.cell(r, 1), sec['title'], 'Dashboard 6S section %d' % (k + 1))
        vals = [secmeans[s][sec['id']] for s in secmeans if sec['id'] in secmeans[s]]
        mean = r1(sum(vals) / len(vals)) if vals else None
        pct_cell(ws.cell(r, 2), mean, None, 'Dashboard 6S %s mean' % sec['id'], 0.051)
        for col, sid in ((3, best), (4, worst)):
            want = secmeans.get(sid, {}).get(sec['id'])
            pct_cell(ws.cell(r, col), want, None, 'Dashboard 6S %s %s' % (sec['id'], sid),
                     0.051)
    return {'radar_hdr': h4, 'radar_first': h4 + 1, 'radar_last': h4 + len(e.six['sections']),
            'radar_series': 1 + (best is not None) + (worst is not None)}


def check_trend_block(ws, e):
    """The trend data: the scope's figure per cycle of the window."""
    T = e.T
    h5 = header_row(ws, T('col.cycle'), 'SSI')
    if not ok(h5 is not None, 'Dashboard: no trend block'):
        return {}
    got = [ws.cell(h5, c).value for c in range(1, 5)]
    ok(got == [T('col.cycle'), 'SSI', 'CSI', '6S'], 'Dashboard trend header %r' % got)
    window = trend_window(e, e.n_cycles)
    got = [ws.cell(r, 1).value for r in range(h5 + 1, h5 + 2 + len(window))]
    ok(got == window + [None], 'Dashboard trend cycles %r, want %r' % (got, window))
    for k, cid in enumerate(window):
        for c, metric in enumerate(('ssi', 'csi', '6s')):
            x = e.kpi(e.status_of[cid], metric)
            pct_cell(ws.cell(h5 + 1 + k, 2 + c), x['actual'] if x else None, None,
                     'Dashboard trend %s %s' % (cid, metric))
    return {'trend_first': h5 + 1, 'trend_last': h5 + len(window)}


def chart_title(ch):
    t = ch.title
    if t is None or t.tx is None or t.tx.rich is None:
        return None
    return ''.join(r.t for p in t.tx.rich.p for r in (p.r or []))


def ref(f):
    """'Sheet'!$A$1:$B$2 -> (sheet, 'A1:B2'); a range of one cell is that cell."""
    if f is None:
        return None
    name, rng = f.rsplit('!', 1)
    return (name.strip("'"), cells(rng.replace('$', '')))


def cells(rng):
    a, _, b = rng.partition(':')
    return a if not b or a == b else rng


def series_info(s):
    name = s.tx.v if s.tx is not None and s.tx.v is not None else (
        ('ref',) + ref(s.tx.strRef.f) if s.tx is not None and s.tx.strRef is not None
        else None)
    cat = None
    if s.cat is not None:
        cat = ref(s.cat.strRef.f if s.cat.strRef is not None else
                  s.cat.numRef.f if s.cat.numRef is not None else None)
    val = ref(s.val.numRef.f) if s.val is not None and s.val.numRef is not None else None
    # openpyxl reads <c:symbol val="none"/> as None: an explicit marker element
    # without a symbol is 'none', no element at all None (automatic markers)
    marker = None if s.marker is None else (s.marker.symbol or 'none')
    ln = s.spPr.ln if s.spPr is not None else None
    return {'name': name, 'cat': cat, 'val': val, 'marker': marker,
            'no_line': bool(ln is not None and ln.noFill),
            'dash': ln.prstDash if ln is not None else None}


def check_chart(ch, what, kind, at, title, series, y_fixed=True):
    """One chart: its kind, where it is, its title, a 0-100 % y axis, its series
    (name, categories, values, markers)."""
    ok(type(ch).__name__ == kind, '%s: a %s, want a %s' % (what, type(ch).__name__, kind))
    a = ch.anchor._from
    ok((a.row, a.col) == at, '%s: at row %d col %d (0-based), want %r' % (what, a.row, a.col,
                                                                         at))
    ok(chart_title(ch) == title, '%s: title %r, want %r' % (what, chart_title(ch), title))
    y = ch.y_axis
    fmt = y.numFmt.formatCode if y.numFmt is not None else None
    if y_fixed:
        ok((y.scaling.min, y.scaling.max) == (0.0, 1.0) and fmt == '0%',
           '%s: y axis %r..%r in %r, want 0%%..100%%' % (what, y.scaling.min, y.scaling.max,
                                                        fmt))
    else:
        ok(fmt == '0%', '%s: y axis in %r, want %%' % (what, fmt))
    got = [series_info(s) for s in ch.series]
    ok(len(got) == len(series), '%s: %d series, want %d' % (what, len(got), len(series)))
    for k, (g, w) in enumerate(zip(got, series)):
        for field, want in w.items():
            ok(g[field] == want, '%s series %d: %s %r, want %r' % (what, k + 1, field,
                                                                   g[field], want))


def col(c):
    return openpyxl.utils.get_column_letter(c)


def check_dashboard_charts(ws, e, b):
    """SSI by store and the trend in the first screen (column J), CSI and 6S by
    store and the 6S radar beside the store table (column Q); none without audits."""
    T = e.T
    name = ws.title
    charts = ws._charts
    n_audits = len(e.audits)
    if n_audits == 0:
        ok(not charts, 'Dashboard: %d charts in a cycle without audits' % len(charts))
        return
    if 'chart_first' not in b or 'trend_first' not in b:
        ok(False, 'Dashboard: cannot check the charts without their data blocks')
        return
    radar = 'radar_first' in b
    ok(len(charts) == 4 + radar, 'Dashboard: %d charts, want %d' % (len(charts), 4 + radar))
    if len(charts) != 4 + radar:
        return
    f, l = b['chart_first'], b['chart_last']
    cats = (name, cells('A%d:A%d' % (f, l)))

    def by_store(k, metric, at):
        c = 2 + 2 * k
        title = T.f('chart.by_store_cut', metric, 10, 10) if b['cut'] else \
            T.f('chart.by_store', metric)
        check_chart(charts[at[0]], 'Dashboard chart "%s"' % title, 'LineChart', at[1], title,
                    [{'name': T('chart.actual'), 'cat': cats,
                      'val': (name, cells('%s%d:%s%d' % (col(c), f, col(c), l))),
                      'no_line': True, 'marker': 'square'},
                     {'name': T('chart.target'), 'cat': cats,
                      'val': (name, cells('%s%d:%s%d' % (col(c + 1), f, col(c + 1), l))),
                      'no_line': False, 'dash': 'dash', 'marker': 'none'}])
    store0 = b['store_hdr'] - 1  # 0-based
    by_store(0, 'SSI', (0, (3, 9)))
    tf, tl = b['trend_first'], b['trend_last']
    check_chart(charts[1], 'Dashboard trend chart', 'LineChart', (15, 9), T('chart.trend'),
                [{'name': m, 'cat': (name, cells('A%d:A%d' % (tf, tl))),
                  'val': (name, cells('%s%d:%s%d' % (col(2 + k), tf, col(2 + k), tl))),
                  'marker': 'circle', 'no_line': False}
                 for k, m in enumerate(('SSI', 'CSI', '6S'))])
    by_store(1, 'CSI', (2, (store0, 16)))
    by_store(2, '6S', (3, (store0 + 12, 16)))
    if radar:
        rh, rf, rl = b['radar_hdr'], b['radar_first'], b['radar_last']
        check_chart(charts[4], 'Dashboard 6S radar', 'RadarChart', (store0 + 24, 16),
                    T('chart.radar'),
                    [{'name': ('ref', name, '%s%d' % (col(2 + k), rh)),
                      'cat': (name, cells('A%d:A%d' % (rf, rl))),
                      'val': (name, cells('%s%d:%s%d' % (col(2 + k), rf, col(2 + k), rl)))}
                     for k in range(b['radar_series'])], y_fixed=False)


def check_stores(wb, e):
    T = e.T
    ws = sheet(wb, e, 'sheet.stores')
    rows = ktable(ws, T, ['col.scope', 'col.id', 'col.name', 'col.region', 'col.metric',
                          'col.actual', 'col.n', 'col.target', 'col.from', 'col.gap',
                          'col.status', 'col.survey', 'col.respondents', 'col.reason',
                          'col.actions'], 'Stores')
    if rows is None:
        return
    want = e.rows()
    ok(len(rows) == len(want), 'Stores has %d rows, cycle status %d' % (len(rows), len(want)))
    key = [(r['col.scope'].value, r['col.id'].value or '', r['col.metric'].value) for r in rows]
    wkey = [(T.name('scope', x['scope']), x['id'], x['metric']) for x in want]
    ok(key == wkey, 'Stores rows (scope, id, metric) differ from cycle status:\n  %r\n  %r'
       % (key, wkey))
    reasons = {tuple(x) for x in e.expect['reasons']}
    for row, x in zip(rows, want):
        what = 'Stores %s %s %s' % (x['scope'], x['id'], x['metric'])
        name = T('scope.network') if x['scope'] == 'network' else x['name']
        text_cell(row['col.name'], name, what + ' name')
        text_cell(row['col.region'], x['region'], what + ' region')
        text_cell(row['col.from'], T.name('scope', x['from']) if x['target'] is not None
                  else None, what + ' from')
        text_cell(row['col.status'], T.name('status', x['status']), what + ' status',
                  target_colour(x))
        pct_cell(row['col.actual'], x['actual'], target_colour(x), what + ' actual')
        count_cell(row['col.n'], x['n'], what + ' n')
        pct_cell(row['col.target'], x['target'], None, what + ' target')
        delta_cell(row['col.gap'], x['gap'], what + ' gap')
        pct_cell(row['col.survey'], x['survey'], None, what + ' survey')
        count_cell(row['col.respondents'], x['respondents'], what + ' respondents')
        if x['scope'] == 'store':
            has = (e.cycle, x['id'], x['metric']) in reasons
            text_cell(row['col.reason'], T('value.yes') if has else None, what + ' reason')
            n_act = sum(1 for a in e.actions if a['store'] == x['id'] and
                        a['metric'] == x['metric'])
            count_cell(row['col.actions'], n_act, what + ' actions')
        else:
            ok(row['col.reason'].value is None and row['col.actions'].value is None,
               '%s: reason/actions on a %s row' % (what, x['scope']))


def check_six(wb, e):
    T = e.T
    ws = sheet(wb, e, 'sheet.six')
    titles = [s['title'] for s in e.six['sections']]
    rows = ktable(ws, T, ['col.region', 'col.store', 'col.name'] + [('=', t) for t in titles] +
                  [('=', '6S'), 'col.audits'], '6S')
    if rows is None:
        return
    ok(ws.freeze_panes == 'D2', '6S: frozen at %r, want the header and the store (D2)'
       % ws.freeze_panes)
    want = e.store_rows('6s')
    ok([r['col.store'].value for r in rows] == [x['id'] for x in want],
       '6S stores %r, CLI %r' % ([r['col.store'].value for r in rows], [x['id'] for x in want]))
    means = six_section_means(e)
    for row, x in zip(rows, want):
        what = '6S %s' % x['id']
        text_cell(row['col.region'], x['region'], what + ' region')
        text_cell(row['col.name'], x['name'], what + ' name')
        # the store's 6S figure in the colour of its target status, as on the Dashboard
        pct_cell(row['6S'], x['actual'], target_colour(x), what + ' total')
        count_cell(row['col.audits'], x['n'] if x['actual'] is not None else None,
                   what + ' audits')
        for sec, title in zip(e.six['sections'], titles):
            w = means.get(x['id'], {}).get(sec['id'])
            # the sections, without a target, by the 85/70 heat bands
            pct_cell(row[title], w, heat_colour(w), '%s %s' % (what, sec['id']), 0.051)


# The colours of the verdicts on the Trend sheet: a change's, the window's.
CHANGE_COLOUR = {'improved': 'green', 'declined': 'red', 'insufficient n': 'grey'}
WINDOW_COLOUR = {'improving': 'green', 'declining': 'red', 'insufficient n': 'grey'}


def check_trend(wb, e):
    T = e.T
    ws = sheet(wb, e, 'sheet.trend')
    window = trend_window(e, e.n_cycles)
    rows = ktable(ws, T, ['col.scope', 'col.id', 'col.name', 'col.metric'] +
                  [('=', c) for c in window] +
                  ['col.change', 'col.verdict', 'col.p', 'col.q', 'col.window',
                   'col.compliance', 'col.lcl', 'col.ucl', 'col.control'], 'Trend')
    if rows is None:
        return
    want = e.rows()
    ok([(r['col.scope'].value, r['col.id'].value or '', r['col.metric'].value) for r in rows] ==
       [(T.name('scope', x['scope']), x['id'], x['metric']) for x in want],
       'Trend rows differ from status')
    scan = scan_expected(e)
    # `cycle status` runs the same scan over its default window of 6 cycles (of the
    # region with --region): its verdicts are the workbook's
    same_window = e.n_cycles == 6
    chart_rows = {}
    for k, (row, x) in enumerate(zip(rows, want)):
        what = 'Trend %s %s %s' % (x['scope'], x['id'], x['metric'])
        name = T('scope.network') if x['scope'] == 'network' else x['name']
        text_cell(row['col.name'], name, what + ' name')
        seen = []
        for cid in window:
            y = e.find(e.status_of[cid], x['scope'], x['id'], x['metric'])
            a = y['actual'] if y else None
            pct_cell(row[cid], a, None, '%s %s' % (what, cid))
            if a is not None:
                seen.append((cid, a))
        chg = None
        if len(seen) >= 2 and seen[-1][0] == e.cycle:
            chg = r1(seen[-1][1] - seen[-2][1])
        delta_cell(row['col.change'], chg, what + ' change', CHG_TOL)
        sx = scan[(x['scope'], x['id'], x['metric'])]
        last = sx['last']
        # the verdicts: the family's (Benjamini-Hochberg over the scan's tests, worked
        # out here from `trend`'s p-values), and `cycle status`'s, which must agree
        for key, field, colours in (('col.verdict', 'change', CHANGE_COLOUR),
                                    ('col.window', 'window', WINDOW_COLOUR)):
            got = row[key].value
            v = sx[field]
            p, q = (sx['p'], sx['q']) if field == 'change' else (sx['wp'], sx['wq'])
            own = last['verdict'] if field == 'change' and last else \
                sx['trend']['window']['verdict']
            ok(not isinstance(v, set), '%s %s: q %r is too close to %g for the CLI\'s '
               'rounded p-values to tell (the data needs moving)' % (what, field, q, FDR))
            wv = None if v is None else {T.name('verdict', y) for y in v} \
                if isinstance(v, set) else T.name('verdict', v)
            ok(verdict_is(got, wv), '%s %s %r, the scan worked out from `trend` gives %r '
               '(p %r, q %r, %d tests; `trend` alone says %r)'
               % (what, field, got, v, p, q, sx['m'], own))
            if same_window:
                st = x[field]
                ok(got == (None if st is None else T.name('verdict', st)),
                   '%s %s %r, cycle status says %r' % (what, field, got, st))
            if got is not None:
                word = [y for y in (v if isinstance(v, set) else {v})
                        if T.name('verdict', y) == got]
                text_cell(row[key], got, '%s %s' % (what, field),
                          colours.get(word[0] if word else None))
        # p: the series' own, as `trend` prints it; q beside it, the family's
        p = sx['p']
        c = row['col.p']
        ok(same_num(c.value, p, P_TOL + 1e-9), '%s p %r, trend %r' % (what, c.value, p))
        if p is not None:
            check_fmt(c, 'p', what + ' p')
        c = row['col.q']
        if p is None:
            ok(c.value is None, '%s q %r without a p' % (what, c.value))
        elif ok(isnum(c.value), '%s q %r, want a number (p %r)' % (what, c.value, p)):
            check_fmt(c, 'p', what + ' q')
            q = c.value
            pw = row['col.p'].value
            ok(isnum(pw) and pw <= q + 1e-12 and q <= 1.0, '%s q %r is below its p %r or above 1'
               % (what, q, pw))
            ok(abs(q - sx['q']) <= sx['tol'], '%s q %r, Benjamini-Hochberg over the %d tests '
               'of the family gives %r' % (what, q, sx['m'], sx['q']))
            verdict = row['col.verdict'].value
            moved = verdict in (T.name('verdict', 'improved'), T.name('verdict', 'declined'))
            ok(moved == (q <= FDR and last['change'] != 0),
               '%s: verdict %r with q %r (a move only when q <= %g)' % (what, verdict, q, FDR))
        comp = last['compliance'] if sx['has'] and last['answered'] else None
        pct_cell(row['col.compliance'], comp, None, what + ' compliance')
        pct_cell(row['col.lcl'], last['lcl'] if comp is not None else None, None,
                 what + ' LCL')
        pct_cell(row['col.ucl'], last['ucl'] if comp is not None else None, None,
                 what + ' UCL')
        control = last['control'] if comp is not None else None
        text_cell(row['col.control'], None if control is None else
                  T('value.insufficient') if control == 'insufficient n' else
                  T.name('signal', control), what + ' control',
                  {'insufficient n': 'grey', 'below LCL': 'red',
                   'above UCL': 'green'}.get(control))
        top = x['scope'] == ('region' if e.region else 'network')
        if top and x['metric'] in ('ssi', 'csi', '6s'):
            chart_rows[x['metric']] = k + 2
    # a chart per index: the network's (the region's) row over the window
    charts = ws._charts
    ok(len(charts) == len(chart_rows), 'Trend: %d charts, want %d' % (len(charts),
                                                                      len(chart_rows)))
    nc = len(window)
    c0 = 4 + nc  # 0-based column of Change
    scope_name = e.region or T('scope.network')
    for k, (metric, label) in enumerate((('ssi', 'SSI'), ('csi', 'CSI'), ('6s', '6S'))):
        if metric not in chart_rows or k >= len(charts):
            continue
        r = chart_rows[metric]
        check_chart(charts[k], 'Trend chart %s' % label, 'LineChart', (1 + 16 * k, c0 + 10),
                    T.f('chart.trend_one', label, scope_name),
                    [{'name': label, 'cat': (ws.title, cells('E1:%s1' % col(4 + nc))),
                      'val': (ws.title, cells('E%d:%s%d' % (r, col(4 + nc), r))),
                      'marker': 'circle'}])


def employee_cell(mode, emp_id, pseudo):
    if emp_id is None or mode == 'none':
        return None
    if mode == 'pseudonymous':
        return pseudo.get(emp_id, '<pseudonym of %s>' % emp_id)
    return emp_id


def check_audits(wb, e, mode, pseudo):
    T = e.T
    ws = sheet(wb, e, 'sheet.audits')
    rows = ktable(ws, T, ['col.id', 'col.date', 'col.cycle', 'col.region', 'col.store',
                          'col.store_name', 'col.employee', 'col.checklist', 'col.version',
                          'col.auditor', 'col.score', 'col.failed', 'col.items', 'col.na'],
                  'Audits')
    if rows is None:
        return
    ids = [r['col.id'].value for r in rows]
    order = e.audits_by_store()
    ok(ids == [a['id'] for a in order], 'Audits ids %r, audit list by store, date and id %r'
       % (ids, [a['id'] for a in order]))
    void = [a['id'] for a in e.audits_all if a['status'] == 'void']
    ok(not set(void) & set(ids), 'void audits %r on the Audits sheet' % void)
    if e.main_cycle():
        ok(void, 'no audit of the cycle was voided')
    hidden = e.hidden(mode)
    for row, a in zip(rows, order):
        what = 'Audits %d' % a['id']
        count_cell(row['col.id'], a['id'], what + ' id')
        date_cell(row['col.date'], a['date'], what + ' date')
        for key, k in (('col.cycle', 'cycle'), ('col.region', 'region'), ('col.store', 'store'),
                       ('col.checklist', 'checklist'), ('col.auditor', 'auditor')):
            text_cell(row[key], a[k], '%s %s' % (what, k))
        text_cell(row['col.store_name'], e.stores[a['store']]['name'], what + ' store name')
        count_cell(row['col.version'], a['version'], what + ' version')
        count_cell(row['col.items'], a['items'], what + ' items')
        count_cell(row['col.na'], a['na'], what + ' N/A')
        # stored rounded once: what a spreadsheet shows (one decimal) is what `audit list`
        # prints; test_export.sh has audits of 94.05 and 98.25 %, where rounding half up
        # and printf differ; red when the audit failed
        pct_cell(row['col.score'], a['score'], 'red' if a['failed'] else None,
                 what + ' score')
        text_cell(row['col.failed'], T('value.failed') if a['failed'] else None,
                  what + ' failed', 'red')
        if mode != 'pseudonymous' or a['employee'] in hidden:
            want = employee_cell(mode, a['employee'], pseudo)
            text_cell(row['col.employee'], None if a['employee'] in hidden else want,
                      what + ' employee')


def answer_words(e, ans, scale):
    """The Answer cell: yes/no items as words, N/A as a word, numbers as numbers."""
    T = e.T
    if ans == 'na':
        return T('value.na')
    if scale == 'yesno':
        return T('value.' + ans)
    return float(ans)


def check_data(wb, e, mode, pseudo):
    T = e.T
    if not ok(T('sheet.data') in wb.sheetnames, 'no Data sheet with --data'):
        return
    ws = sheet(wb, e, 'sheet.data')
    K = ['col.audit', 'col.date', 'col.cycle', 'col.region', 'col.store', 'col.store_name',
         'col.employee', 'col.role', 'col.checklist', 'col.version', 'col.auditor',
         'col.section', 'col.item_key', 'col.item_text', 'col.critical', 'col.answer',
         'col.score', 'col.points', 'col.max', 'col.passed', 'col.na', 'col.note',
         'col.evidence']
    rows = ktable(ws, T, K, 'Data', known='dup-header' if e.lang == 'zh' else None)
    if rows is None:
        return
    C = {k: k for k in K}

    def v(row, key):  # noqa: F811 (a Data row by key)
        return row[key].value
    want_n = sum(len(e.shows[a['id']]['answers']) for a in e.audits)
    ok(len(rows) == want_n, 'Data has %d rows; the cycle\'s non-void audits have %d answers'
       % (len(rows), want_n))
    sql_n = e.expect.get('answers_sql' + ('.' + e.region if e.region else ''))
    if sql_n is not None and e.main_cycle():
        ok(len(rows) == sql_n, 'Data has %d rows; sqlite3 counts %d answers' % (len(rows),
                                                                              sql_n))
    got = {}
    for row in rows:
        k = (v(row, C['col.audit']), v(row, C['col.item_key']))
        ok(k not in got, 'Data: %r twice' % (k,))
        got[k] = row
    by_id = {a['id']: a for a in e.audits}
    hidden = e.hidden(mode)
    links = 0
    for a in e.audits:
        show = e.shows[a['id']]
        cl = e.checklists[a['checklist']]
        items = {it['id']: (s['title'], it) for s in cl['sections'] for it in s['items']}
        for ans in show['answers']:
            k = (a['id'], ans['item'])
            row = got.get(k)
            if not ok(row is not None, 'Data lacks audit %d item %s' % k):
                continue
            what = 'Data %d %s' % k
            sec_title, it = items[ans['item']]
            number = ans['answer'] not in ('yes', 'no', 'na')
            for key, want in (('col.cycle', a['cycle']), ('col.region', a['region']),
                              ('col.store', a['store']),
                              ('col.store_name', e.stores[a['store']]['name']),
                              ('col.checklist', a['checklist']), ('col.auditor', a['auditor']),
                              ('col.section', sec_title), ('col.item_text', it['text']),
                              ('col.critical', T('value.yes' if ans['critical'] else
                                                 'value.no')),
                              ('col.note', ans['note'])):
                c = row[C[key]]
                ok(c.value == blank(want) and (c.value is None or c.data_type == 's'),
                   '%s %s %r, CLI %r' % (what, key, c.value, want))
            date_cell(row[C['col.date']], a['date'], what + ' date')
            ok(same_num(v(row, C['col.audit']), a['id']), '%s audit' % what)
            ok(same_num(v(row, C['col.version']), a['version']), '%s version' % what)
            want = answer_words(e, ans['answer'], it['scale'])
            c = row[C['col.answer']]
            if isinstance(want, float):
                ok(same_num(c.value, want), '%s answer %r, CLI %r' % (what, c.value,
                                                                      ans['answer']))
            else:
                ok(c.value == want and c.data_type == 's', '%s answer %r, CLI %r (%s)'
                   % (what, c.value, ans['answer'], want))
            score = None if ans['answer'] == 'na' or not ans['max'] else \
                r1(100.0 * ans['points'] / ans['max'])
            pct_cell(row[C['col.score']], score, None, what + ' score')
            ok(same_num(v(row, C['col.na']), 1 if ans['answer'] == 'na' else 0), '%s N/A %r'
               % (what, v(row, C['col.na'])))
            ok(same_num(v(row, C['col.points']), ans['points']), '%s points %r, CLI %r'
               % (what, v(row, C['col.points']), ans['points']))
            ok(same_num(v(row, C['col.max']), ans['max']), '%s max %r, CLI %r'
               % (what, v(row, C['col.max']), ans['max']))
            p = None if ans['passed'] is None else (1 if ans['passed'] else 0)
            ok(same_num(v(row, C['col.passed']), p), '%s passed %r, CLI %r'
               % (what, v(row, C['col.passed']), ans['passed']))
            # numbers in the General format: a whole-number format would show 1.5
            # points as 2
            for key in ('col.points', 'col.max') + (('col.answer',) if number else ()):
                c = row[C[key]]
                ok(c.number_format == 'General', '%s %s formatted %r, not General'
                   % (what, key, c.number_format))
            gone = a['employee'] in hidden
            if mode != 'pseudonymous' or gone:
                want = None if gone else employee_cell(mode, a['employee'], pseudo)
                ok(v(row, C['col.employee']) == want, '%s employee %r, want %r'
                   % (what, v(row, C['col.employee']), want))
            role = e.role(a['employee']) if a['employee'] and mode != 'none' and \
                not gone else None
            ok(v(row, C['col.role']) == blank(role), '%s role %r, want %r'
               % (what, v(row, C['col.role']), role))
            # evidence: text; a link to the file when it is an absolute path to a file
            c = row[C['col.evidence']]
            ev = ans['evidence']
            if mode == 'full':
                ok(c.value == blank(ev), '%s evidence %r, CLI %r' % (what, c.value, ev))
            is_file = bool(ev) and ev.startswith('/') and os.path.isfile(ev)
            target = c.hyperlink.target if c.hyperlink is not None else None
            if is_file and c.value == ev:
                links += 1
                ok(target is not None and urllib.parse.unquote(target) == 'file://' + ev,
                   '%s evidence link %r, want file://%s' % (what, target, ev))
            else:
                ok(target is None, '%s evidence %r links to %r' % (what, c.value, target))
    extra = [k for k in got if k[0] not in by_id]
    ok(not extra, 'Data has rows of audits not in the audit list: %r' % sorted(
        {k[0] for k in extra}))
    if e.main_cycle() and mode == 'full' and not e.region:
        ok(links > 0, 'Data: no evidence file to link in the data (the test needs one)')


def check_standards(wb, e):
    T = e.T
    ws = sheet(wb, e, 'sheet.standards')
    K = ['col.rank', 'col.checklist', 'col.section', 'col.standard', 'col.item_key',
         'col.answered', 'col.passed', 'col.compliance', 'col.stores', 'col.stores_failing',
         'col.failing_stores', 'col.move']
    rows = ktable(ws, T, K, 'Service standards')
    if rows is None:
        return
    C = {k: k for k in K}

    def v(row, key):  # noqa: F811 (a row by key)
        return row[key].value
    acc = {}
    for a in e.audits:
        for ans in e.shows[a['id']]['answers']:
            if ans['passed'] is None:
                continue
            x = acc.setdefault((a['checklist'], ans['item']),
                               {'answered': 0, 'passed': 0, 'stores': set(), 'failing': set()})
            x['answered'] += 1
            x['passed'] += 1 if ans['passed'] else 0
            x['stores'].add(a['store'])
            if not ans['passed']:
                x['failing'].add(a['store'])
    got = [(v(r, C['col.checklist']), v(r, C['col.item_key'])) for r in rows]
    ok(sorted(got) == sorted(acc), 'Service standards items differ from the answered items: '
       'extra %r, missing %r' % (sorted(set(got) - set(acc))[:5], sorted(set(acc) - set(got))[:5]))
    ok(len(got) == len(set(got)), 'Service standards lists an item twice')
    ok([v(r, C['col.rank']) for r in rows] == list(range(1, len(rows) + 1)), 'ranks are not 1..n')
    comp = [v(r, C['col.compliance']) for r in rows]
    ok(all(isnum(c) for c in comp) and comp == sorted(comp),
       'Service standards not weakest first: %r' % comp[:20])
    if e.lang == 'zh':
        cjk = [r for r in rows if re.search('[\u4e00-\u9fff]', v(r, C['col.standard']) or '')]
        ok(len(cjk) == len(rows), '--lang zh: %d of %d standards are not in Chinese'
           % (len(rows) - len(cjk), len(rows)))
    texts = {}
    for cid, cl in e.checklists.items():
        for s in cl['sections']:
            for it in s['items']:
                texts[(cid, it['id'])] = (s['title'], it['text'])
    moves = {(x['checklist'], x['item']): x['verdict'] for x in e.items['items']}
    width = {key: ws.column_dimensions[col(K.index(key) + 1)].width
             for key in ('col.standard', 'col.failing_stores')}
    for row in rows:
        k = (v(row, C['col.checklist']), v(row, C['col.item_key']))
        x = acc.get(k)
        if x is None:
            continue
        what = 'Service standards %s %s' % k
        count_cell(row[C['col.rank']], v(row, C['col.rank']), what + ' rank')
        count_cell(row[C['col.answered']], x['answered'], what + ' answered')
        count_cell(row[C['col.passed']], x['passed'], what + ' passed')
        pct = r1(100.0 * x['passed'] / x['answered'])
        pct_cell(row[C['col.compliance']], pct, heat_colour(pct), what + ' compliance')
        count_cell(row[C['col.stores']], len(x['stores']), what + ' stores')
        count_cell(row[C['col.stores_failing']], len(x['failing']), what + ' stores failing',
                   red=len(x['failing']) > 0)
        failing = sorted(x['failing'])
        want = ', '.join(failing[:30]) + (', ...' if len(failing) > 30 else '')
        text_cell(row[C['col.failing_stores']], want, what + ' failing stores')
        sec, text = texts[k]
        text_cell(row[C['col.standard']], text, what + ' standard (checklist show%s)'
                  % (' --lang ' + e.lang if e.lang else ''))
        text_cell(row[C['col.section']], sec, what + ' section')
        verdict = moves.get(k)
        moved = verdict in ('improved', 'declined')
        text_cell(row[C['col.move']], T.name('verdict', verdict) if moved else None,
                  what + ' move (trend items)', {'improved': 'green', 'declined': 'red'}.get(
                      verdict))
        # wrapped texts in rows high enough to show them: at least the lines the
        # text needs at its column's width (a CJK character is two wide)
        need = 1
        for key in ('col.standard', 'col.failing_stores'):
            c = row[C[key]]
            ok(c.value is None or c.alignment.wrap_text, '%s %s: not wrapped' % (what, key))
            dw = sum(2 if ord(ch) >= 0x3000 else 1 for ch in (c.value or ''))
            need = max(need, math.ceil(dw / width[key]))
        height = ws.row_dimensions[row[C['col.rank']].row].height or 15.0
        ok(height >= 15.0 * need - 1e-6, '%s: row height %r, the text needs %d lines'
           % (what, height, need))


# README: employees are rated over the last 3 cycles (the workbook has no option for it)
RATING_CYCLES = 3


def ratings_name(region, min_audits):
    """The `employee ratings` JSON a workbook's Employees sheet is compared with:
    ratings[.REGION][.minN].json."""
    return 'ratings%s%s.json' % ('.' + region if region else '',
                                 '.min%d' % min_audits if min_audits != 2 else '')


def shown_ratings(emps, hidden):
    """README: a pseudonymous workbook rates everyone (a rating does not depend on
    who is shown), leaves out the employees a role would name, and ranks the rest
    among themselves: ties share a rank, the next skips; best = a first place of
    one's own among two or more rated. Worked out here from the CLI's full list."""
    out = []
    for x in emps:
        if x['employee'] in hidden:
            continue
        out.append(dict(x))
    for st in sorted(set(x['store'] for x in out)):
        rated = [x for x in out if x['store'] == st and x['rated']]
        for i, x in enumerate(rated):
            x['rank'] = rated[i - 1]['rank'] if i and x['rating'] == rated[i - 1]['rating'] \
                else i + 1
            x['best'] = False
        if len(rated) >= 2 and rated[1]['rank'] != 1:
            rated[0]['best'] = True
    return out


def check_ratings_cli(e, rt):
    """`employee ratings` against `audit list` (every cycle) and the method the README
    states: so that the CLI the sheet is compared with can fail too. Per employee of
    the scope with audits in the window: their count, this cycle's, critical fails and
    own mean; the store's mean of its employees' audits; rating = store mean + weight
    (own mean - store mean), weight = n / (n + k), k = sigma_w^2 / tau^2; ranks and
    "best" among the store's rated."""
    ids = [c['id'] for c in e.cycles]
    k = ids.index(e.cycle)
    win = set(ids[max(0, k + 1 - RATING_CYCLES):k + 1])
    ok(rt['cycles'] == len(win) and rt['cycle'] == e.cycle, 'employee ratings: window %r of '
       '%r, want %d ending with %s' % (rt['cycles'], rt['cycle'], len(win), e.cycle))
    acc = {}
    for a in e.audits_every:
        if a['cycle'] not in win or a['employee'] is None or a['score'] is None or \
                a['employee'] not in e.employees:
            continue
        x = e.employees[a['employee']]
        if e.region and e.stores[x['store']]['region'] != e.region:
            continue
        f = acc.setdefault(a['employee'], {'scores': [], 'last': 0, 'failed': 0})
        f['scores'].append(a['score'])
        f['last'] += a['cycle'] == e.cycle
        f['failed'] += bool(a['failed'])
    got = {x['employee']: x for x in rt['employees']}
    ok(sorted(got) == sorted(acc), 'employee ratings lists %r; audit list has employees %r in '
       'the window' % (sorted(got), sorted(acc)))
    stores = {}
    for emp, f in acc.items():
        stores.setdefault(e.employees[emp]['store'], []).extend(f['scores'])
    sw, tau = rt['sigma_w'], rt['tau']
    for emp, f in sorted(acc.items()):
        x = got.get(emp)
        if x is None:
            continue
        what = 'employee ratings %s' % emp
        info = e.employees[emp]
        ok((x['store'], x['region'], x['role'], x['name']) ==
           (info['store'], e.stores[info['store']]['region'], info['role'], info['name']),
           '%s: %r, employees.csv %r' % (what, (x['store'], x['region'], x['role'], x['name']),
                                         info))
        n = len(f['scores'])
        ok((x['audits'], x['in_cycle'], x['critical_fails']) == (n, f['last'], f['failed']),
           '%s: audits, this cycle, critical fails %r; audit list %r' % (
               what, (x['audits'], x['in_cycle'], x['critical_fails']),
               (n, f['last'], f['failed'])))
        # audit list shows scores at one decimal: their mean is within 0.05 of the
        # exact one, and the CLI rounds its own once more
        ok(abs(x['mean'] - sum(f['scores']) / n) <= 0.1 + 1e-9, '%s: mean %r, audit list %.3f'
           % (what, x['mean'], sum(f['scores']) / n))
        sm = stores[info['store']]
        ok(abs(x['store_mean'] - sum(sm) / len(sm)) <= 0.1 + 1e-9, '%s: store mean %r, audit '
           'list %.3f' % (what, x['store_mean'], sum(sm) / len(sm)))
        if tau > 0:
            w = n / (n + sw * sw / (tau * tau))
        else:
            w = 0.0 if sw > 0 else x['weight']  # k: infinite, or no spread to go by
        ok(abs(x['weight'] - w) <= 2e-3, '%s: weight %r, n / (n + sigma_w^2 / tau^2) = %.4f'
           % (what, x['weight'], w))
        ok(x['rated'] == (n >= rt['min_audits']), '%s: rated %r with %d audits (minimum %d)'
           % (what, x['rated'], n, rt['min_audits']))
        if x['rated']:
            r = x['store_mean'] + x['weight'] * (x['mean'] - x['store_mean'])
            ok(abs(x['rating'] - r) <= 0.15, '%s: rating %r, store mean + weight (mean - '
               'store mean) = %.2f' % (what, x['rating'], r))
        else:
            ok(x['rating'] is None and x['rank'] is None and not x['best'],
               '%s: not rated, yet rating %r rank %r best %r' % (what, x['rating'], x['rank'],
                                                                x['best']))
    # the order (region, store; the rated by rating, best first; the rest by mean) and
    # the ranks: ties share one, the next skips; best = a first place of one's own
    # among two or more rated
    emps = rt['employees']
    key = [(x['region'], x['store']) for x in emps]
    ok(key == sorted(key), 'employee ratings not by region and store: %r' % key)
    for st in sorted(set(x['store'] for x in emps)):
        mine = [x for x in emps if x['store'] == st]
        rated = [x for x in mine if x['rated']]
        ok(mine[:len(rated)] == rated, 'employee ratings %s: the rated not first' % st)
        vals = [x['rating'] for x in rated]
        ok(vals == sorted(vals, reverse=True), 'employee ratings %s: ratings %r not best first'
           % (st, vals))
        rest = [x['mean'] for x in mine[len(rated):]]
        ok(rest == sorted(rest, reverse=True), 'employee ratings %s: the not rated %r not by '
           'mean' % (st, rest))
        for i, x in enumerate(rated):
            good = x['rank'] == 1 if i == 0 else (
                x['rank'] == rated[i - 1]['rank'] and x['rating'] == rated[i - 1]['rating']) or \
                x['rank'] == i + 1
            ok(good, 'employee ratings %s: rank %r at place %d (ratings %r)' % (
                x['employee'], x['rank'], i + 1, vals))
        best = len(rated) >= 2 and rated[0]['rank'] == 1 and rated[1]['rank'] != 1
        ok([x['employee'] for x in mine if x['best']] == ([rated[0]['employee']] if best else []),
           'employee ratings %s: best %r' % (st, [x['employee'] for x in mine if x['best']]))


def check_employees(wb, e, mode, min_audits, pseudo, rerank=False):
    """The Employees sheet: every employee of the scope with audits in the rating
    window, in the order and with the figures of `employee ratings` (pseudonymous:
    those shown, ranked among themselves; see shown_ratings), the label of the privacy mode; under
    pseudonymous, below the table, how many are not shown one by one. --rerank:
    the data has a shown employee whose rank changes because a hidden one is left
    out (so that the re-ranking is tested at all)."""
    T = e.T
    ws = sheet(wb, e, 'sheet.employees')
    if mode == 'none':
        ok(ws.max_row == 1 and ws.max_column == 1, 'Employees with --employees none has a '
           'table (%d rows, %d columns)' % (ws.max_row, ws.max_column))
        ok(ws['A1'].value == T('emp.none'), 'Employees A1 %r does not say so' % ws['A1'].value)
        return
    rows = ktable(ws, T, ['col.region', 'col.store', 'col.employee', 'col.role', 'col.audits',
                          'col.in_cycle', 'col.own_mean', 'col.rating', 'col.rank_store',
                          'col.critical_fails', 'col.recognition'], 'Employees',
                  stop_at_blank=True)
    if rows is None:
        return
    hidden = e.hidden(mode)
    full = load(os.path.join(e.d, ratings_name(e.region, min_audits)))
    check_ratings_cli(e, full)
    want = shown_ratings(full['employees'], hidden)
    ok(full['min_audits'] == min_audits, 'employee ratings: minimum %r, the workbook %d'
       % (full['min_audits'], min_audits))
    ok(len(rows) == len(want), 'Employees has %d rows; employee ratings %d' % (len(rows),
                                                                              len(want)))
    labels = {}
    for row, x in zip(rows, want):
        emp = x['employee']
        what = 'Employees %s' % emp
        lab = row['col.employee'].value
        if mode == 'full':
            text_cell(row['col.employee'], '%s (%s)' % (x['name'], emp), what + ' label')
        else:
            ok(isinstance(lab, str) and re.match(r'^P-[0-9a-f]{8}$', lab) is not None and
               lab == pseudo.get(emp, lab), '%s: label %r, not its pseudonym %r'
               % (what, lab, pseudo.get(emp)))
            text_cell(row['col.employee'], lab, what + ' label')
        labels.setdefault(lab, []).append(emp)
        text_cell(row['col.region'], x['region'], what + ' region')
        text_cell(row['col.store'], x['store'], what + ' store')
        text_cell(row['col.role'], T.name('role', x['role']) if x['role'] else None,
                  what + ' role')
        count_cell(row['col.audits'], x['audits'], what + ' audits')
        count_cell(row['col.in_cycle'], x['in_cycle'], what + ' this cycle')
        pct_cell(row['col.own_mean'], x['mean'], None, what + ' own mean')
        # the rating in the heat colour of what it shows; none when not rated
        pct_cell(row['col.rating'], x['rating'], heat_colour(x['rating']), what + ' rating')
        count_cell(row['col.rank_store'], x['rank'], what + ' rank')
        count_cell(row['col.critical_fails'], x['critical_fails'], what + ' critical fails',
                   red=x['critical_fails'] > 0)
        rec = row['col.recognition']
        if not x['rated']:
            text_cell(rec, T.f('value.not_rated', x['audits'], min_audits),
                      what + ' recognition', 'grey')
        elif x['best']:
            text_cell(rec, T('value.best'), what + ' recognition', 'green')
        else:
            text_cell(rec, None, what + ' recognition')
    dup = {k: v for k, v in labels.items() if len(v) > 1}
    ok(not dup, 'Employees: one label for several employees: %r' % dup)
    # below the table: nothing, or (pseudonymous) one blank row and how many are not
    # shown one by one: the hidden among those `employee ratings` rates in the scope
    n_hidden = sum(1 for x in full['employees'] if x['employee'] in hidden)
    below = [(r, c, ws.cell(r, c).value) for r in range(len(rows) + 2, ws.max_row + 1)
             for c in range(1, ws.max_column + 1) if ws.cell(r, c).value is not None]
    if n_hidden:
        note = ws.cell(len(rows) + 3, 1)
        text_cell(note, T.f('emp.hidden.one' if n_hidden == 1 else 'emp.hidden', n_hidden,
                              MIN_GROUP), 'Employees note')
        ok(str(font_of(note)).upper().endswith('595959'), 'Employees note: font %r, want the '
           'subtitle\'s grey' % font_of(note))
        below = [x for x in below if x[:2] != (note.row, 1)]
    ok(not below, 'Employees: cells below the table %r' % below[:5])
    if e.main_cycle() and mode == 'pseudonymous' and not e.region:
        ok(n_hidden > 0 and want, 'the data lacks a shown and a hidden employee')
    if rerank:
        ranks = {x['employee']: (x['rank'], x['best']) for x in full['employees']}
        ok(any((x['rank'], x['best']) != ranks[x['employee']] for x in want),
           'the data lacks a shown employee ranked behind a hidden one')


def check_actions(wb, e):
    T = e.T
    ws = sheet(wb, e, 'sheet.actions')
    form = e.expect['form_labels_zh' if e.lang == 'zh' else 'form_labels']
    types = dict(e.expect['form_types'])
    rows = ktable(ws, T, ['col.id', 'col.store', 'col.region', 'col.metric', 'col.about',
                          'col.status', 'col.owner', 'col.due', 'col.overdue', 'col.carried'] +
                  [('=', f[1]) for f in form], 'Actions')
    if rows is None:
        return
    ok([r['col.id'].value for r in rows] == [a['id'] for a in e.actions],
       'Actions ids %r, action list %r' % ([r['col.id'].value for r in rows],
                                           [a['id'] for a in e.actions]))
    for row, a in zip(rows, e.actions):
        what = 'Actions %d' % a['id']
        count_cell(row['col.id'], a['id'], what + ' id')
        for key, k in (('col.store', 'store'), ('col.region', 'region'),
                       ('col.metric', 'metric'), ('col.owner', 'owner')):
            text_cell(row[key], a[k], '%s %s' % (what, k))
        text_cell(row['col.status'], T.name('action', a['status']), what + ' status',
                  {'verified': 'green', 'reopened': 'red'}.get(a['status']))
        date_cell(row['col.due'], a['due'], what + ' due')
        text_cell(row['col.overdue'], T('value.overdue') if a['overdue'] else None,
                  what + ' overdue', 'red')
        m = re.match(r'^(from|to) (\d+)$', a['carried'] or '')
        mc = re.match(r'^(from|to) (\S+)$', a['carried'] or '')
        carried = (T.f('act.' + m.group(1), int(m.group(2))) if m else
                   T.f('act.' + mc.group(1) + '_cycle', mc.group(2)) if mc else None)
        text_cell(row['col.carried'], carried, what + ' carried', 'amber')
        # about: "checklist item" or "checklist section S" (`action list`: cl/item,
        # cl/[section])
        about = a['about'] or ''
        if '/' in about:
            cl, thing = about.split('/', 1)
            sec = re.match(r'^\[(.*)\]$', thing)
            want = '%s %s' % (cl, thing) if not sec else None
            got = row['col.about'].value or ''
            if sec:
                ok(got.startswith(cl + ' ') and got.endswith(' ' + sec.group(1)),
                   '%s about %r, CLI %r' % (what, got, about))
            else:
                text_cell(row['col.about'], want, what + ' about')
        else:
            text_cell(row['col.about'], None, what + ' about')
        fields = e.action_show[a['id']]['fields']
        for key, labeltext in form:
            c = row[labeltext]
            val = fields.get(key)
            t = types.get(key, 'text')
            if t == 'date' and val:
                date_cell(c, val, '%s %s' % (what, labeltext))
            elif t == 'number' and val:
                ok(same_num(c.value, float(val)), '%s %s %r, action show %r'
                   % (what, labeltext, c.value, val))
            else:
                text_cell(c, val, '%s %s' % (what, labeltext))
        # the row is high enough for its wrapped texts
        height = ws.row_dimensions[row['col.id'].row].height or 15.0
        need = 1
        for key, labeltext in form:
            c = row[labeltext]
            if types.get(key, 'text') in ('text', 'enum', 'person') and \
                    isinstance(c.value, str):
                ok(c.alignment.wrap_text, '%s %s: not wrapped' % (what, labeltext))
                width = ws.column_dimensions[c.column_letter].width
                dw = sum(2 if ord(ch) >= 0x3000 else 1 for ch in c.value)
                need = max(need, math.ceil(dw / width))
        ok(height >= 15.0 * need - 1e-6, '%s: row height %r, its texts need %d lines'
           % (what, height, need))
    if e.main_cycle() and not e.region:
        ok(any(a['overdue'] for a in e.actions), 'no overdue action in the data')
        ok(any(a['carried'].startswith('from') for a in e.actions),
           'no carried-over action in the data')
        ok(any(e.action_show[a['id']]['fields'].get('how_much') for a in e.actions),
           'no action with a number field in the data')


def check_repeats(wb, e):
    """As `svcaudit repeats --cycle --all` lists them (in scope): by priority, each
    ESCALATE (red) where the evidence holds, else watch (amber)."""
    T = e.T
    ws = sheet(wb, e, 'sheet.repeats')
    rows = ktable(ws, T, ['col.store', 'col.region', 'col.checklist', 'col.item',
                          'col.critical', 'col.cycles', 'col.in_a_row', 'col.failed',
                          'col.answered', 'col.run_rate', 'col.ref_rate', 'col.q',
                          'col.actions', 'col.escalate'], 'Repeats')
    if rows is None:
        return
    got = [(r['col.store'].value, r['col.checklist'].value, r['col.item'].value) for r in rows]
    want = [(x['store'], x['checklist'], x['item']) for x in e.repeats]
    ok(got == want, 'Repeats %r, repeats --cycle --all %r' % (got, want))
    for row, x in zip(rows, e.repeats):
        what = 'Repeats %s %s' % (x['store'], x['item'])
        text_cell(row['col.region'], x['region'], what + ' region')
        text_cell(row['col.critical'], T('value.yes') if x['critical'] else None,
                  what + ' critical', 'red')
        text_cell(row['col.cycles'], ', '.join(x['cycles'].split()), what + ' cycles')
        count_cell(row['col.in_a_row'], x['cycles_in_a_row'], what + ' in a row')
        count_cell(row['col.failed'], x['failed'], what + ' failed')
        count_cell(row['col.answered'], x['answered'], what + ' answered')
        pct_cell(row['col.run_rate'], x['run_rate'] if x['run_answered'] else None, None,
                 what + ' failure rate')
        pct_cell(row['col.ref_rate'], x['ref_rate'], None, what + ' elsewhere')
        c = row['col.q']
        ok(same_num(c.value, x['q'], 5e-4 * max(1.0, abs(x['q']))),
           '%s q %r, repeats %r' % (what, c.value, x['q']))
        check_fmt(c, 'p', what + ' q')
        count_cell(row['col.actions'], x['actions'], what + ' actions', red=x['actions'] == 0)
        text_cell(row['col.escalate'], T('value.escalate') if x['escalate'] else
                  T('value.watch'), what + ' status', 'red' if x['escalate'] else 'amber')


def check_auditors(wb, e):
    """As `svcaudit auditors` (over every cycle) lists them."""
    T = e.T
    ws = sheet(wb, e, 'sheet.auditors')
    rows = ktable(ws, T, ['col.auditor', 'col.audits', 'col.compared', 'col.mean', 'col.sd',
                          'col.others_mean', 'col.others_sd', 'col.others_n', 'col.difference',
                          'col.p', 'col.verdict', 'col.appeals', 'col.upheld'], 'Auditors')
    if rows is None:
        return
    want = e.auditors['auditors']
    ok([r['col.auditor'].value for r in rows] == [x['auditor'] for x in want],
       'Auditors %r, auditors %r' % ([r['col.auditor'].value for r in rows],
                                     [x['auditor'] for x in want]))
    for row, x in zip(rows, want):
        what = 'Auditors %s' % x['auditor']
        count_cell(row['col.audits'], x['audits'], what + ' audits')
        count_cell(row['col.compared'], x['compared'], what + ' compared')
        count_cell(row['col.others_n'], x['others_n'], what + ' others n')
        count_cell(row['col.appeals'], x['appeals'], what + ' appeals')
        count_cell(row['col.upheld'], x['upheld'], what + ' upheld')
        pct_cell(row['col.mean'], x['mean'], None, what + ' mean')
        pct_cell(row['col.others_mean'], x['others_mean'], None, what + ' others mean')
        for key, k in (('col.sd', 'sd'), ('col.others_sd', 'others_sd')):
            c = row[key]
            ok(same_num(c.value, x[k], 1e-6), '%s %s %r, auditors %r' % (what, k, c.value,
                                                                         x[k]))
            if x[k] is not None:
                check_fmt(c, 'dec1', '%s %s' % (what, k))
        delta_cell(row['col.difference'], x['diff'], what + ' difference')
        c = row['col.p']
        ok(same_num(c.value, x['p'], 5e-5 + 1e-9), '%s p %r, auditors %r' % (what, c.value,
                                                                             x['p']))
        if x['p'] is not None:
            check_fmt(c, 'p', what + ' p')
        text_cell(row['col.verdict'], T.name('verdict', x['verdict']), what + ' verdict',
                  {'lenient': 'amber', 'strict': 'amber',
                   'insufficient n': 'grey'}.get(x['verdict']))
    if e.main_cycle():
        ok(any(x['p'] is not None for x in want), 'auditors: no p-value in the data')


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


def check_text(wb, path, e, data, mode):
    """Text from users is text, never a formula; Chinese text comes back exactly."""
    T = e.T
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith('xl/worksheets/') and name.endswith('.xml'):
                xml = z.read(name).decode('utf-8')
                ok(not re.search(r'<f[ >/]', xml), '%s has a formula element' % name)
    formulas = [(t, c.coordinate) for t, c in all_cells(wb) if c.data_type == 'f']
    ok(not formulas, 'formula cells: %r' % formulas[:10])
    if not e.main_cycle():
        return
    x = e.expect
    form = dict(x['form_labels_zh' if e.lang == 'zh' else 'form_labels'])
    if data and not e.region:
        ws = sheet(wb, e, 'sheet.data')
        names, rows = table(ws)
        notes = {}
        for r in rows:
            notes[(v(r, T('col.audit')), v(r, T('col.item_key')))] = r
        for item, key, text in x['formula_cells']:
            r = notes.get((x['formula_audit'], item))
            if not ok(r is not None, 'Data lacks audit %d item %s' % (x['formula_audit'], item)):
                continue
            c = r[T(key)]
            ok(c.data_type == 's' and c.value == text, 'Data %s %s: %r (type %s), put in %r'
               % (item, key, c.value, c.data_type, text))
        r = notes.get((x['zh_audit'], x['zh_item']))
        if ok(r is not None, 'Data lacks the audit with the Chinese note'):
            c = r[T('col.note')]
            ok(c.data_type == 's' and c.value.encode('utf-8') == x['zh_note'].encode('utf-8'),
               'Chinese note %r, put in %r' % (c.value, x['zh_note']))
    if not e.region or e.region == x['formula_action_region']:
        names, rows = table(sheet(wb, e, 'sheet.actions'))
        acts = {v(r, T('col.id')): r for r in rows}
        r = acts.get(x['formula_action'])
        if ok(r is not None, 'Actions lacks action %s' % x['formula_action']):
            for key, text in x['formula_fields']:
                label = form[key]
                c = r.get(label)
                ok(c is not None and c.data_type == 's' and c.value == text,
                   'Actions %s %s: %r (type %s), put in %r' % (
                       x['formula_action'], label, c and c.value, c and c.data_type, text))
    if not e.region or e.region == x['zh_store_region']:
        for key, col_key, idcol in (('sheet.stores', 'col.name', 'col.id'),
                                    ('sheet.six', 'col.name', 'col.store'),
                                    ('sheet.trend', 'col.name', 'col.id'),
                                    ('sheet.audits', 'col.store_name', 'col.store')):
            names, rows = table(sheet(wb, e, key))
            hits = [r for r in rows if v(r, T(idcol)) == x['zh_store']]
            ok(hits and all(v(r, T(col_key)).encode('utf-8') ==
                            x['zh_store_name'].encode('utf-8') for r in hits),
               '%s: the Chinese store name is not %r: %r' % (
                   T(key), x['zh_store_name'], [v(r, T(col_key)) for r in hits]))
        ws = sheet(wb, e, 'sheet.dashboard')
        h = header_row(ws, T('col.region'), T('col.store'))
        names, rows = table(ws, h, stop_at_blank=True)
        hits = [r for r in rows if v(r, T('col.store')) == x['zh_store']]
        ok(len(hits) == 1 and v(hits[0], T('col.name')) == x['zh_store_name'],
           'Dashboard: the Chinese store name is not %r' % x['zh_store_name'])
        names, rows = table(sheet(wb, e, 'sheet.actions'))
        acts = {v(r, T('col.id')): r for r in rows}
        r = acts.get(x['zh_action'])
        if ok(r is not None, 'Actions lacks the Chinese action %s' % x['zh_action']):
            for key, text in x['zh_fields']:
                label = form[key]
                c = r.get(label)
                ok(c is not None and c.value == text, 'Actions %s %s %r, put in %r'
                   % (x['zh_action'], label, c and c.value, text))
        if mode == 'full':
            names, rows = table(sheet(wb, e, 'sheet.employees'))
            ok(x['zh_employee_label'] in [v(r, T('col.employee')) for r in rows],
               'Employees lacks %r' % x['zh_employee_label'])


def data_texts(e, pseudo):
    """What the users put in (names, ids, checklist texts, notes, 5W1H fields...):
    whole cell values, and the ids and keys that may stand inside a label."""
    whole, ids = set(), set()
    for s, x in e.stores.items():
        whole |= {s, x['name'], x['region']}
        ids |= {s, x['region']}
    for emp, x in e.employees.items():
        whole |= {emp, x['name'], '%s (%s)' % (x['name'], emp)}
        ids.add(emp)
        if 'role.' + x['role'] not in CATALOGUE:
            whole.add(x['role'])
    whole |= set(pseudo.values())
    ids |= set(pseudo.values())
    for c in e.cycles:
        ids.add(c['id'])
    for a in e.audits_all:
        whole |= {a['auditor'], a['checklist']}
        ids.add(a['checklist'])
    for cls in (e.checklists, e.checklists_en):
        for cid, cl in cls.items():
            whole |= {cl['title'], cid}
            for s in cl['sections']:
                whole |= {s['title'], s['id']}
                ids.add(s['id'])
                for it in s['items']:
                    whole |= {it['id'], it['text']}
                    ids.add(it['id'])
    for sec in e.six['sections']:
        whole.add(sec['title'])
    for r in e.status['rows']:
        whole.add(r['metric'])
        ids.add(r['metric'])
    for show in e.shows.values():
        for ans in show['answers']:
            whole |= {ans['note'], ans['evidence']}
    for a in e.actions_all:
        whole |= {a['owner'] or '', '%s %s' % tuple(a['about'].split('/', 1))
                  if a['about'] and '/' in a['about'] else ''}
        whole |= set(e.action_show[a['id']]['fields'].values())
    for k, label in e.expect['form_labels'] + e.expect['form_labels_zh']:
        whole.add(label)
    whole.discard('')
    return whole, ids


def check_no_english(wb, e, pseudo):
    """--lang zh: no English word of the catalogue left on any sheet, in any chart
    (checklist, store and user data aside: those are what the users typed)."""
    T = e.T
    whole, ids = data_texts(e, pseudo)
    left = []

    def scan(where, text):
        if not isinstance(text, str) or text in whole:
            return
        bad = [w for w in words(text) if w.lower() in ENGLISH_ONLY and w not in ids]
        if bad:
            left.append((where, text, bad))
    n = 0
    for ws in wb.worksheets:
        scan('sheet name', ws.title)
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    n += 1
                    scan('%s!%s' % (ws.title, c.coordinate), c.value)
        for ch in ws._charts:
            scan('%s chart' % ws.title, chart_title(ch))
            for s in ch.series:
                if s.tx is not None and s.tx.v is not None:
                    scan('%s chart "%s" series' % (ws.title, chart_title(ch)), s.tx.v)
    ok(n > 1000, '--lang zh: only %d text cells scanned' % n)
    # the known one: "CHECKLIST section S" in the Actions' About column
    about = '%s!E' % T('sheet.actions')
    section = [x for x in left if x[0].startswith(about) and x[2] == ['section'] and
               re.match(r'^\S+ section \S+$', x[1])]
    left = [x for x in left if x not in section]
    if any(a['about'] and a['about'].endswith(']') for a in e.actions):
        ok(not section, '--lang zh: %r' % section[:3])
    ok(not left, '--lang zh: %d cells keep English labels, e.g. %r' % (len(left), left[:8]))
    for where, text, bad in left[:40]:
        print('  English in %s: %r (%s)' % (where, text, ', '.join(bad)))
    ok(len(ENGLISH_ONLY) > 100 and 'missed' in ENGLISH_ONLY and 'section' in ENGLISH_ONLY,
       'the catalogue\'s English words were not read: %r' % sorted(ENGLISH_ONLY)[:20])


def zip_text(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            out.append((name, z.read(name).decode('utf-8', 'replace')))
    return out


def check_privacy(wb, path, e, mode, pseudo_out):
    """full: names shown; pseudonymous: no name or id anywhere, one stable pseudonym
    per employee; none: no per-employee results at all."""
    T = e.T
    emps = e.employees
    in_scope = {a['employee'] for a in e.audits if a['employee']}
    cells = list(all_cells(wb))
    texts = zip_text(path)
    if mode == 'full':
        names, rows = table(sheet(wb, e, 'sheet.employees'))
        shown = {v(r, T('col.employee')) for r in rows}
        for emp in sorted(in_scope):
            ok('%s (%s)' % (emps[emp]['name'], emp) in shown, 'full: Employees lacks %s (%s)'
               % (emps[emp]['name'], emp))
        return
    for emp, info in sorted(emps.items()):
        for needle in (info['name'], emp):
            hit = [(t, c.coordinate, c.value) for t, c in cells if needle in str(c.value)]
            ok(not hit, '%s: %r is in cells %r' % (mode, needle, hit[:5]))
            hitz = [n for n, t in texts if needle in t]
            ok(not hitz, '%s: %r is in the file, in %r' % (mode, needle, hitz))
    pat = re.compile(r'^P-[0-9a-f]{8}$')
    if mode == 'none':
        ps = [(t, c.coordinate) for t, c in cells if isinstance(c.value, str) and
              pat.match(c.value)]
        ok(not ps, 'none: pseudonyms in %r' % ps[:5])
        for key in ('sheet.audits', 'sheet.data'):
            if T(key) in wb.sheetnames:
                names, rows = table(sheet(wb, e, key))
                got = [v(r, T('col.employee')) for r in rows
                       if v(r, T('col.employee')) is not None]
                ok(not got, 'none: %s has employee cells %r' % (T(key), got[:5]))
                if key == 'sheet.data':
                    got = [v(r, T('col.role')) for r in rows if v(r, T('col.role')) is not None]
                    ok(not got, 'none: Data has role cells %r' % got[:5])
        return
    # pseudonymous: audit id -> employee (CLI) and audit id -> label (workbook)
    names, rows = table(sheet(wb, e, 'sheet.audits'))
    label = {v(r, T('col.id')): v(r, T('col.employee')) for r in rows}
    pseudo = {}
    hidden = e.hidden(mode)
    for a in e.audits:
        lab = label.get(a['id'])
        if a['employee'] is None or a['employee'] in hidden:
            ok(lab is None, 'pseudonymous: audit %d of %s (no one, or hidden by a role '
               'group under %d) shows %r' % (a['id'], a['employee'], MIN_GROUP, lab))
            continue
        ok(isinstance(lab, str) and pat.match(lab) is not None,
           'pseudonymous: audit %d employee cell %r is not a pseudonym' % (a['id'], lab))
        prev = pseudo.setdefault(a['employee'], lab)
        ok(prev == lab, 'pseudonymous: %s is %r in one audit, %r in another'
           % (a['employee'], prev, lab))
    ok(len(set(pseudo.values())) == len(pseudo), 'pseudonymous: two employees share a '
       'pseudonym: %r' % pseudo)
    if e.main_cycle() and not e.region:
        audited = {a['employee'] for a in e.audits if a['employee']}
        ok(len(pseudo) >= 2 and audited & hidden, 'pseudonymous: the data lacks two shown '
           'and one hidden employee (shown %r, hidden %r)' % (sorted(pseudo),
                                                             sorted(audited & hidden)))
    # the Employees sheet rates over the last cycles: everyone shown on the Audits sheet
    # is on it, under the same pseudonym (check_employees matches the others)
    names, rows = table(sheet(wb, e, 'sheet.employees'), stop_at_blank=True)
    labels = [v(r, T('col.employee')) for r in rows]
    ok(set(pseudo.values()) <= set(labels) and all(
        isinstance(x, str) and pat.match(x) for x in labels) and len(set(labels)) == len(labels),
       'pseudonymous: the Employees sheet %r, the Audits sheet %r'
       % (sorted(labels, key=str), sorted(pseudo.values())))
    if T('sheet.data') in wb.sheetnames:
        names, rows = table(sheet(wb, e, 'sheet.data'))
        by_id = {a['id']: a for a in e.audits}
        bad = [(v(r, T('col.audit')), v(r, T('col.employee'))) for r in rows
               if v(r, T('col.employee')) != pseudo.get(
                   by_id.get(v(r, T('col.audit')), {}).get('employee'))]
        ok(not bad, 'pseudonymous: Data employee cells disagree with the Audits sheet: %r'
           % bad[:5])
    if pseudo_out:
        with open(pseudo_out, 'w', encoding='utf-8') as f:
            json.dump(pseudo, f, indent=1, sort_keys=True)
    return pseudo


def check_region(wb, e):
    """Only the region's stores appear on the per-store sheets."""
    T = e.T
    others = sorted(s for s, x in e.stores.items() if x['region'] != e.region)
    mine = sorted(s for s, x in e.stores.items() if x['region'] == e.region)
    for key, col_key in (('sheet.stores', 'col.id'), ('sheet.six', 'col.store'),
                         ('sheet.audits', 'col.store'), ('sheet.trend', 'col.id'),
                         ('sheet.actions', 'col.store'), ('sheet.employees', 'col.store'),
                         ('sheet.repeats', 'col.store'), ('sheet.data', 'col.store')):
        if T(key) not in wb.sheetnames:
            continue
        names, rows = table(sheet(wb, e, key))
        got = {v(r, T(col_key)) for r in rows}
        ok(not got & set(others), '--region %s: %s shows %r' % (e.region, T(key),
                                                                sorted(got & set(others))))
        if key == 'sheet.stores':
            regions = {v(r, T('col.region')) for r in rows}
            ok(regions == {e.region}, '--region %s: Stores regions %r' % (e.region, regions))
        if key in ('sheet.stores', 'sheet.trend'):
            scopes = {v(r, T('col.scope')) for r in rows}
            ok(scopes == {T('scope.store'), T('scope.region')},
               '--region %s: %s scopes %r' % (e.region, T(key), scopes))
    ws = sheet(wb, e, 'sheet.dashboard')
    h = header_row(ws, T('col.region'), T('col.store'))
    names, rows = table(ws, h, stop_at_blank=True)
    ok(sorted(v(r, T('col.store')) for r in rows) == mine,
       '--region %s: Dashboard stores %r, want %r'
       % (e.region, sorted(v(r, T('col.store')) for r in rows), mine))
    every = [c.value for t, c in all_cells(wb) if isinstance(c.value, str)]
    for s in others:
        hit = [x for x in every if s in x]
        ok(not hit, '--region %s: store %s appears: %r' % (e.region, s, hit[:3]))


# ---- commands ------------------------------------------------------------------------

def cmd_check(argv):
    path = argv[0]
    opts = {'--exp': None, '--region': None, '--employees': 'full', '--lang': None,
            '--min-audits': '2', '--trend-cycles': '6', '--pseudo-out': None}
    data = rerank = False
    i = 1
    while i < len(argv):
        if argv[i] == '--data':
            data = True
            i += 1
        elif argv[i] == '--rerank':
            rerank = True
            i += 1
        elif argv[i] in opts:
            opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            sys.exit('export_check.py: unknown option %s' % argv[i])
    e = Exp(opts['--exp'], opts['--region'], opts['--lang'], int(opts['--trend-cycles']))
    mode = opts['--employees']
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as ex:  # a workbook openpyxl cannot read fails every check
        ok(False, '%s: openpyxl cannot read it: %s' % (path, ex))
        finish()

    def guarded(name, fn, *args):
        # a sheet missing or shaped otherwise fails its checks, not the script
        try:
            return fn(*args)
        except Exception as ex:  # noqa: BLE001
            ok(False, '%s: cannot check: %s: %s' % (name, type(ex).__name__, ex))
            return None

    pseudo = guarded('privacy', check_privacy, wb, path, e, mode, opts['--pseudo-out']) or {}
    guarded('structure', check_structure, wb, e, data, mode)
    guarded('Dashboard', check_dashboard, wb, e, mode)
    guarded('Stores', check_stores, wb, e)
    guarded('6S', check_six, wb, e)
    guarded('Service standards', check_standards, wb, e)
    guarded('Employees', check_employees, wb, e, mode, int(opts['--min-audits']), pseudo,
            rerank)
    guarded('Actions 5W1H', check_actions, wb, e)
    guarded('Trend', check_trend, wb, e)
    guarded('Audits', check_audits, wb, e, mode, pseudo)
    guarded('Repeats', check_repeats, wb, e)
    guarded('Auditors', check_auditors, wb, e)
    if data:
        guarded('Data', check_data, wb, e, mode, pseudo)
    guarded('text', check_text, wb, path, e, data, mode)
    if e.region:
        guarded('region', check_region, wb, e)
    if e.lang == 'zh':
        guarded('English', check_no_english, wb, e, pseudo)
    finish()


def cmd_pseudo_compare(argv):
    a, b, how = load(argv[0]), load(argv[1]), argv[2]
    ok(sorted(a) == sorted(b) and len(a) > 1, 'the two exports pseudonymise different '
       'employees: %r %r' % (sorted(a), sorted(b)))
    for emp in sorted(set(a) & set(b)):
        if how == 'same':
            ok(a[emp] == b[emp], 'same salt: %s is %r, then %r' % (emp, a[emp], b[emp]))
        else:
            ok(a[emp] != b[emp], 'another salt: %s is %r both times' % (emp, a[emp]))
    finish()


def cmd_openable(argv):
    """The workbook is complete: every part is well-formed, openpyxl reads it and
    (with --data-rows N) its Data sheet has N rows under the header."""
    path = argv[0]
    data_rows = int(argv[2]) if len(argv) > 2 and argv[1] == '--data-rows' else None
    try:
        with zipfile.ZipFile(path) as z:
            ok(z.testzip() is None, '%s: a damaged zip member' % path)
            import xml.dom.minidom
            for name in z.namelist():
                if name.endswith('.xml') or name.endswith('.rels'):
                    try:
                        xml.dom.minidom.parseString(z.read(name))
                        ok(True, '')
                    except Exception as ex:
                        ok(False, '%s: %s is not well-formed XML (%s)' % (path, name, ex))
        wb = openpyxl.load_workbook(path)
        ok(len(wb.sheetnames) >= 8, '%s: sheets %r' % (path, wb.sheetnames))
        if data_rows is not None:
            n = wb['Data'].max_row - 1 if 'Data' in wb.sheetnames else None
            ok(n == data_rows, '%s: the Data sheet has %r rows, the database %d answers'
               % (path, n, data_rows))
    except Exception as ex:
        ok(False, '%s cannot be read: %s' % (path, ex))
    finish()


class StatusOnly:
    """What the store-table and chart-data checks need of a network workbook, from
    `cycle status` alone (test_export_errors.sh's many stores)."""

    def __init__(self, status_path):
        self.status = load(status_path)
        self.region = None
        self.T = Labels(None)

    def find(self, status, scope, ident, metric):
        return Exp.find(self, status, scope, ident, metric)

    def store_rows(self, metric):
        return [r for r in self.status['rows'] if r['scope'] == 'store' and
                (metric is None or r['metric'] == metric)]


def cmd_chart_cut(argv):
    path, status, n = argv[0], argv[1], int(argv[2])
    e = StatusOnly(status)
    T = e.T
    wb = openpyxl.load_workbook(path)
    ws = wb[T('sheet.dashboard')]
    h3 = header_row(ws, T('col.region'), T('col.store'))
    if ok(h3 is not None, 'Dashboard: no store table'):
        names, rows = table(ws, h3, stop_at_blank=True)
        want = [s['id'] for s in worst_gap_order(e)]
        ok(len(want) > 2 * n, 'the test needs more than %d stores, has %d' % (2 * n, len(want)))
        ok([v(r, T('col.store')) for r in rows] == want, 'Dashboard store table %r, want %r'
           % ([v(r, T('col.store')) for r in rows], want))
        b = check_chart_data(ws, e, h3, n)
        charts = ws._charts
        titles = [chart_title(c) for c in charts]
        for m in ('SSI', 'CSI', '6S'):
            t = T.f('chart.by_store_cut', m, n, n)
            ok(t in titles, 'Dashboard: no chart %r (charts: %r)' % (t, titles))
        for c in charts:
            if type(c).__name__ != 'LineChart' or len(c.series) != 2:
                continue
            s = series_info(c.series[0])
            ok(s['cat'] == (ws.title, cells('A%d:A%d' % (b['chart_first'], b['chart_last']))),
               'Dashboard chart %r draws %r, not the %d stores of the chart data'
               % (chart_title(c), s['cat'], 2 * n))
    finish()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, argv = sys.argv[1], sys.argv[2:]
    if cmd == 'check':
        cmd_check(argv)
    elif cmd == 'pseudo-compare':
        cmd_pseudo_compare(argv)
    elif cmd == 'openable':
        cmd_openable(argv)
    elif cmd == 'chart-cut':
        cmd_chart_cut(argv)
    else:
        sys.exit(__doc__)


main()

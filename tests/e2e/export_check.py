#!/usr/bin/python3
"""Read a cycle workbook made by `svcaudit export` back with openpyxl and compare
it with what the CLI says about the same database. Used by tests/e2e/test_export.sh
and tests/e2e/test_export_errors.sh.

usage:
  export_check.py check WB.xlsx --exp DIR [--region R] [--employees full|pseudonymous|none]
                  [--data] [--lang zh] [--min-audits N] [--trend-cycles N]
                  [--pseudo-out FILE.json]
  export_check.py pseudo-compare A.json B.json same|different
  export_check.py openable WB.xlsx [--data-rows N]
                  (complete: well-formed XML, openpyxl loads it, N rows of Data)

DIR holds the CLI's JSON for the database (written by test_export.sh, never
from a workbook):
  cycles.json               cycle list --format json
  status.json               cycle status CYCLE --format json
  status.R.json             cycle status CYCLE --region R --format json
  status-ID.json            cycle status ID --format json, for every cycle
  audits.json, audits.R.json, audits_all.json   audit list --cycle CYCLE [--region R] [--all]
  show-N.json               audit show N --format json, for every audit of CYCLE
  actions.json              action list --cycle CYCLE --format json
  action-N.json             action show N --format json
  cl-ID.json, cl-ID.zh.json checklist show ID [--lang zh] --format json
  employees.csv, stores.csv the organisation as imported
  expect.json               values the test put into the data (texts, ids, reasons)

Every comparison is one check; a failed one prints 'FAIL: ...'. The last line is
'checks: N passed, M failed'; the exit status is 1 if any failed.
"""
import csv
import json
import os
import re
import sys
import zipfile

import openpyxl

PASSED = 0
FAILED = 0


def ok(cond, msg):
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print('FAIL: ' + msg)
    return cond


def finish():
    print('checks: %d passed, %d failed' % (PASSED, FAILED))
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


def same_num(cell, want, tol=1e-9):
    """A numeric cell against a CLI number (None = empty cell)."""
    if want is None:
        return cell is None
    return isinstance(cell, (int, float)) and not isinstance(cell, bool) and \
        abs(cell - want) <= tol


def blank(v):
    return None if v in ('', None) else v


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


# ---- the expected side -------------------------------------------------------------

class Exp:
    def __init__(self, d, region, lang):
        self.d = d
        self.region = region
        self.lang = lang
        sfx = '.' + region if region else ''
        self.status = load(os.path.join(d, 'status%s.json' % sfx))
        self.audits = load(os.path.join(d, 'audits%s.json' % sfx))
        self.audits_all = load(os.path.join(d, 'audits_all.json'))
        self.cycles = load(os.path.join(d, 'cycles.json'))
        self.cycle = self.status['cycle']
        self.shows = {a['id']: load(os.path.join(d, 'show-%d.json' % a['id']))
                      for a in self.audits}
        acts = load(os.path.join(d, 'actions.json'))
        self.actions = [a for a in acts if not region or a['region'] == region]
        self.action_show = {a['id']: load(os.path.join(d, 'action-%d.json' % a['id']))
                            for a in self.actions}
        self.expect = load(os.path.join(d, 'expect.json'))
        with open(os.path.join(d, 'employees.csv'), encoding='utf-8', newline='') as f:
            self.employees = {r['id']: r for r in csv.DictReader(f)}
        with open(os.path.join(d, 'stores.csv'), encoding='utf-8', newline='') as f:
            self.stores = {r['id']: r for r in csv.DictReader(f)}
        self.checklists = {}
        for a in self.audits_all:
            cid = a['checklist']
            if cid not in self.checklists:
                name = 'cl-%s%s.json' % (cid, '.' + lang if lang else '')
                self.checklists[cid] = load(os.path.join(d, name))
        name = 'cl-6s_store%s.json' % ('.' + lang if lang else '')
        self.six = load(os.path.join(d, name))
        self.status_of = {}
        for c in self.cycles:
            p = os.path.join(d, 'status-%s.json' % c['id'])
            if os.path.exists(p):
                self.status_of[c['id']] = load(p)

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

    def store_rows(self, metric):
        return [r for r in self.status['rows'] if r['scope'] == 'store' and r['metric'] == metric
                and (not self.region or r['region'] == self.region)]


# ---- the checks, one function per sheet ---------------------------------------------

def check_structure(wb, e, data, employees):
    want = ['Dashboard', 'Stores', '6S', 'Service standards', 'Employees', 'Actions 5W1H',
            'Trend', 'Audits', 'Repeats', 'Auditors'] + (['Data'] if data else [])
    ok(wb.sheetnames == want, 'sheet names: want %r, got %r' % (want, wb.sheetnames))
    tables = [n for n in want if n != 'Dashboard' and not (n == 'Employees' and
                                                             employees == 'none')]
    for name in tables:
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        ok(ws.freeze_panes is not None, '%s: no frozen panes' % name)
        ok(ws.freeze_panes is not None and re.match(r'^[A-Z]+2$', ws.freeze_panes),
           '%s: the header row is not what is frozen (%r)' % (name, ws.freeze_panes))
        ref = ws.auto_filter.ref
        last = openpyxl.utils.get_column_letter(ws.max_column)
        ok(ref is not None, '%s: no autofilter' % name)
        ok(ref == 'A1:%s%d' % (last, ws.max_row),
           '%s: the autofilter %r does not cover the table A1:%s%d' % (name, ref, last,
                                                                        ws.max_row))
        ok(ws.page_setup.orientation == 'landscape', '%s: not landscape' % name)
        ok(ws.sheet_properties.pageSetUpPr is not None and
           ws.sheet_properties.pageSetUpPr.fitToPage, '%s: not fit to page' % name)
        ok(ws.print_title_rows == '$1:$1', '%s: header row not repeated when printed (%r)'
           % (name, ws.print_title_rows))
    ws = wb['Dashboard']
    ok(ws.freeze_panes is not None, 'Dashboard: no frozen panes')
    ok(ws.page_setup.orientation == 'landscape', 'Dashboard: not landscape')
    p = wb.properties
    ok(p.title is not None and e.cycle in p.title,
       'document title %r does not name the cycle %s' % (p.title, e.cycle))
    ok(p.creator == 'svcaudit', 'document author %r' % p.creator)
    ok(p.subject is not None and p.subject != '', 'no document subject')
    if e.region:
        ok(p.description is not None and e.region in p.description,
           'document comments %r do not name the region %s' % (p.description, e.region))


def check_dashboard(wb, e, n_cycles):
    ws = wb['Dashboard']
    st = e.status
    title = ws['A1'].value or ''
    ok(e.cycle in title, 'Dashboard A1 %r lacks the cycle %s' % (title, e.cycle))
    if e.region:
        ok(title.endswith('region ' + e.region), 'Dashboard A1 %r lacks the region' % title)
    sub = ws['A2'].value or ''
    ok('%s .. %s' % (st['from'], st['to']) in sub, 'Dashboard A2 %r lacks the period' % sub)
    ok('State: %s' % st['state'] in sub, 'Dashboard A2 %r lacks the state %s' % (sub,
                                                                                   st['state']))
    # KPI block: actual, target, gap, status, stores; vs prev. from the previous cycle
    h = header_row(ws, 'KPI')
    if not ok(h is not None, 'Dashboard: no KPI block'):
        return
    ok([ws.cell(h, c).value for c in range(1, 8)] ==
       ['KPI', 'Actual', 'Target', 'Gap', 'Status', 'Stores', 'vs prev.'],
       'Dashboard KPI header %r' % [ws.cell(h, c).value for c in range(1, 8)])
    prev_id = e.prev_cycle()
    prev = e.status_of.get(prev_id) if prev_id else None
    for k, (label, metric) in enumerate((('SSI', 'ssi'), ('CSI', 'csi'), ('6S', '6s'))):
        r = h + 1 + k
        cells = [ws.cell(r, c).value for c in range(1, 8)]
        want = e.kpi(st, metric)
        ok(cells[0] == label, 'Dashboard KPI row %d is %r, want %s' % (r, cells[0], label))
        if not ok(want is not None, 'status JSON has no %s row for %s' % (
                'region ' + e.region if e.region else 'network', metric)):
            continue
        what = 'Dashboard KPI %s' % label
        ok(same_num(cells[1], want['actual']), '%s actual %r, CLI %r' % (what, cells[1],
                                                                          want['actual']))
        ok(same_num(cells[2], want['target']), '%s target %r, CLI %r' % (what, cells[2],
                                                                          want['target']))
        ok(same_num(cells[3], want['gap']), '%s gap %r, CLI %r' % (what, cells[3], want['gap']))
        ok(cells[4] == want['status'], '%s status %r, CLI %r' % (what, cells[4],
                                                                  want['status']))
        ok(same_num(cells[5], want['n']), '%s stores %r, CLI n %r' % (what, cells[5], want['n']))
        p = e.kpi(prev, metric) if prev else None
        chg = r1(want['actual'] - p['actual']) if p and p['actual'] is not None and \
            want['actual'] is not None else None
        ok(same_num(cells[6], chg, CHG_TOL), '%s vs prev. %r, CLI %s -> %s gives %r'
           % (what, cells[6], prev_id, e.cycle, chg))
    # the counts line
    h2 = header_row(ws, 'Audits')
    if ok(h2 is not None, 'Dashboard: no Audits/Open actions line'):
        cells = [ws.cell(h2, c).value for c in range(1, 9)]
        if e.region:
            # the region's own counts: its audits (`audit list --region`), its stores
            # and its open and overdue actions, not the network's
            n_audits = len(e.audits)
            open_ = [a for a in e.actions if a['status'] not in ('done', 'verified')
                     and not a['carried'].startswith('to')]
            n_open, n_overdue = len(open_), sum(1 for a in open_ if a['overdue'])
            stores = sorted(s for s, x in e.stores.items() if x['region'] == e.region)
            audited = sorted({a['store'] for a in e.audits})
            txt = str(cells[3])
            m = re.match(r'^(\d+) of (\d+)$', txt)
            if m:
                ok((int(m.group(1)), int(m.group(2))) == (len(audited), len(stores)),
                   'Dashboard stores audited %r, region %s has %d of %d audited'
                   % (txt, e.region, len(audited), len(stores)))
            else:
                ok(txt == '%d stores' % len(stores), 'Dashboard stores %r, region %s has %d'
                   % (txt, e.region, len(stores)))
        else:
            n_audits, n_open, n_overdue = st['audits'], st['actions_open'], \
                st['actions_overdue']
            ok(st['audits'] == len(e.audits), 'status JSON audits %d != audit list %d'
               % (st['audits'], len(e.audits)))
            ok(cells[3] == '%d of %d' % (st['stores_audited'], st['stores_total']),
               'Dashboard stores audited %r, CLI %d of %d' % (cells[3], st['stores_audited'],
                                                              st['stores_total']))
        ok(same_num(cells[1], n_audits), 'Dashboard Audits %r, CLI %d' % (cells[1], n_audits))
        ok(cells[4] == 'Open actions' and same_num(cells[5], n_open),
           'Dashboard Open actions %r, CLI %d' % (cells[5], n_open))
        ok(cells[6] == 'Overdue' and same_num(cells[7], n_overdue),
           'Dashboard Overdue %r, CLI %d' % (cells[7], n_overdue))
    # the store table: every store of the scope, actual/target/gap/chg per metric
    h3 = header_row(ws, 'Region', 'Store')
    if not ok(h3 is not None, 'Dashboard: no store table'):
        return
    names, rows = table(ws, h3, stop_at_blank=True)
    want_hdr = ['Region', 'Store', 'Name']
    for m in ('SSI', 'CSI', '6S'):
        want_hdr += [m, m + ' target', m + ' gap', m + ' chg']
    ok(names == want_hdr, 'Dashboard store table header %r' % names)
    want_stores = e.store_rows('ssi')
    ok([v(r, 'Store') for r in rows] == [s['id'] for s in want_stores],
       'Dashboard store table lists %r, CLI %r' % ([v(r, 'Store') for r in rows],
                                                  [s['id'] for s in want_stores]))
    for row, s in zip(rows, want_stores):
        sid = s['id']
        ok(v(row, 'Region') == s['region'], 'Dashboard %s region %r' % (sid, v(row, 'Region')))
        ok(v(row, 'Name') == s['name'], 'Dashboard %s name %r, CLI %r' % (sid, v(row, 'Name'),
                                                                            s['name']))
        for label, metric in (('SSI', 'ssi'), ('CSI', 'csi'), ('6S', '6s')):
            x = e.find(st, 'store', sid, metric)
            what = 'Dashboard %s %s' % (sid, label)
            ok(same_num(v(row, label), x['actual']), '%s actual %r, CLI %r'
               % (what, v(row, label), x['actual']))
            ok(same_num(v(row, label + ' target'), x['target']), '%s target %r, CLI %r'
               % (what, v(row, label + ' target'), x['target']))
            ok(same_num(v(row, label + ' gap'), x['gap']), '%s gap %r, CLI %r'
               % (what, v(row, label + ' gap'), x['gap']))
            p = e.find(prev, 'store', sid, metric) if prev else None
            chg = r1(x['actual'] - p['actual']) if p and p['actual'] is not None and \
                x['actual'] is not None else None
            ok(same_num(v(row, label + ' chg'), chg, CHG_TOL), '%s chg %r, CLI gives %r'
               % (what, v(row, label + ' chg'), chg))
    # 6S by section: the scope's mean over stores, best and worst store
    h4 = header_row(ws, '6S section')
    if ok(h4 is not None, 'Dashboard: no 6S section block'):
        secmeans = six_section_means(e)
        six = [s for s in e.store_rows('6s') if s['actual'] is not None]
        best = max(six, key=lambda s: s['actual'])['id'] if six else None
        worst = min(six, key=lambda s: s['actual'])['id'] if six else None
        ok(ws.cell(h4, 3).value == 'Best: %s' % best, 'Dashboard 6S best %r, CLI %s'
           % (ws.cell(h4, 3).value, best))
        ok(ws.cell(h4, 4).value == 'Worst: %s' % worst, 'Dashboard 6S worst %r, CLI %s'
           % (ws.cell(h4, 4).value, worst))
        for k, sec in enumerate(e.six['sections']):
            r = h4 + 1 + k
            ok(ws.cell(r, 1).value == sec['title'], 'Dashboard 6S section %r, want %r'
               % (ws.cell(r, 1).value, sec['title']))
            vals = [secmeans[s][sec['id']] for s in secmeans if sec['id'] in secmeans[s]]
            mean = r1(sum(vals) / len(vals)) if vals else None
            ok(same_num(ws.cell(r, 2).value, mean, 0.051), 'Dashboard 6S %s mean %r, CLI %r'
               % (sec['id'], ws.cell(r, 2).value, mean))
            for col, sid in ((3, best), (4, worst)):
                want = secmeans.get(sid, {}).get(sec['id'])
                ok(same_num(ws.cell(r, col).value, want, 0.051), 'Dashboard 6S %s %s %r, '
                   'CLI %r' % (sec['id'], sid, ws.cell(r, col).value, want))
    # the trend block: the scope's figure per cycle
    h5 = header_row(ws, 'Cycle', 'SSI')
    if ok(h5 is not None, 'Dashboard: no trend block'):
        window = trend_window(e, n_cycles)
        got = [ws.cell(r, 1).value for r in range(h5 + 1, h5 + 1 + len(window))]
        ok(got == window, 'Dashboard trend cycles %r, want %r' % (got, window))
        for k, cid in enumerate(window):
            for c, metric in enumerate(('ssi', 'csi', '6s')):
                x = e.kpi(e.status_of[cid], metric)
                cell = ws.cell(h5 + 1 + k, 2 + c).value
                ok(same_num(cell, x['actual'] if x else None), 'Dashboard trend %s %s %r, '
                   'CLI %r' % (cid, metric, cell, x and x['actual']))


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


def trend_window(e, n):
    ids = [c['id'] for c in e.cycles]
    k = ids.index(e.cycle)
    return ids[max(0, k + 1 - n):k + 1]


STATUS_FILL = {'met': 'C6EFCE', 'no data': 'EDEDED'}


def check_stores(wb, e):
    ws = wb['Stores']
    names, rows = table(ws)
    ok(names == ['Scope', 'Id', 'Name', 'Region', 'Metric', 'Actual', 'n', 'Target', 'From',
                 'Gap', 'Status', 'Survey', 'Respondents', 'Reason', 'Actions'],
       'Stores header %r' % names)
    want = e.rows()
    ok(len(rows) == len(want), 'Stores has %d rows, cycle status %d' % (len(rows), len(want)))
    key = [(v(r, 'Scope'), v(r, 'Id') or '', v(r, 'Metric')) for r in rows]
    wkey = [(x['scope'], x['id'], x['metric']) for x in want]
    ok(key == wkey, 'Stores rows (scope, id, metric) differ from cycle status:\n  %r\n  %r'
       % (key, wkey))
    reasons = {tuple(x) for x in e.expect['reasons']}
    for row, x in zip(rows, want):
        what = 'Stores %s %s %s' % (x['scope'], x['id'], x['metric'])
        for col, k in (('Name', 'name'), ('Region', 'region'), ('From', 'from'),
                       ('Status', 'status')):
            ok(v(row, col) == blank(x[k]), '%s %s %r, CLI %r' % (what, col, v(row, col), x[k]))
        for col, k in (('Actual', 'actual'), ('n', 'n'), ('Target', 'target'), ('Gap', 'gap'),
                       ('Survey', 'survey'), ('Respondents', 'respondents')):
            ok(same_num(v(row, col), x[k]), '%s %s %r, CLI %r' % (what, col, v(row, col),
                                                                   x[k]))
        if x['scope'] == 'store':
            has = (e.cycle, x['id'], x['metric']) in reasons
            ok(v(row, 'Reason') == ('yes' if has else None), '%s Reason %r, want %r'
               % (what, v(row, 'Reason'), 'yes' if has else None))
            n_act = sum(1 for a in e.actions if a['store'] == x['id'] and
                        a['metric'] == x['metric'])
            ok(same_num(v(row, 'Actions'), n_act), '%s Actions %r, action list has %d'
               % (what, v(row, 'Actions'), n_act))
        # red/amber/green: met green, missed by 2 or less amber, more red, no data grey
        st = x['status']
        if st == 'missed':
            colour = 'FFEB9C' if x['gap'] >= -2.0 else 'FFC7CE'
        else:
            colour = STATUS_FILL.get(st)
        if colour:
            fill = row['Status'].fill
            got = (fill.fgColor.rgb or '') if fill is not None and fill.fgColor is not None \
                else ''
            ok(str(got).upper().endswith(colour), '%s status colour %r, want %s'
               % (what, got, colour))


def check_six(wb, e):
    ws = wb['6S']
    names, rows = table(ws)
    titles = [s['title'] for s in e.six['sections']]
    ok(names == ['Region', 'Store', 'Name'] + titles + ['6S', 'Audits'],
       '6S header %r' % names)
    want = e.store_rows('6s')
    ok([v(r, 'Store') for r in rows] == [x['id'] for x in want],
       '6S stores %r, CLI %r' % ([v(r, 'Store') for r in rows], [x['id'] for x in want]))
    means = six_section_means(e)
    for row, x in zip(rows, want):
        ok(v(row, 'Name') == x['name'], '6S %s name %r' % (x['id'], v(row, 'Name')))
        ok(same_num(v(row, '6S'), x['actual']), '6S %s total %r, CLI %r'
           % (x['id'], v(row, '6S'), x['actual']))
        ok(same_num(v(row, 'Audits'), x['n'] if x['actual'] is not None else None),
           '6S %s audits %r, CLI %r' % (x['id'], v(row, 'Audits'), x['n']))
        for sec, title in zip(e.six['sections'], titles):
            w = means.get(x['id'], {}).get(sec['id'])
            ok(same_num(v(row, title), w, 0.051), '6S %s %s %r, audit show gives %r'
               % (x['id'], sec['id'], v(row, title), w))


def check_trend(wb, e, n_cycles):
    ws = wb['Trend']
    names, rows = table(ws)
    window = trend_window(e, n_cycles)
    ok(names == ['Scope', 'Id', 'Name', 'Metric'] + window +
       ['Change', 'Verdict', 'p', 'Compliance', 'LCL', 'UCL', 'Control'],
       'Trend header %r, want the cycles %r' % (names, window))
    want = e.rows()
    ok([(v(r, 'Scope'), v(r, 'Id') or '', v(r, 'Metric')) for r in rows] ==
       [(x['scope'], x['id'], x['metric']) for x in want], 'Trend rows differ from status')
    for row, x in zip(rows, want):
        what = 'Trend %s %s %s' % (x['scope'], x['id'], x['metric'])
        seen = []
        for cid in window:
            y = e.find(e.status_of[cid], x['scope'], x['id'], x['metric'])
            a = y['actual'] if y else None
            ok(same_num(v(row, cid), a), '%s %s %r, CLI %r' % (what, cid, v(row, cid), a))
            if a is not None:
                seen.append((cid, a))
        chg = None
        if len(seen) >= 2 and seen[-1][0] == e.cycle:
            chg = r1(seen[-1][1] - seen[-2][1])
        ok(same_num(v(row, 'Change'), chg, CHG_TOL), '%s Change %r, CLI gives %r'
           % (what, v(row, 'Change'), chg))


def employee_cell(mode, emp_id, pseudo):
    if emp_id is None or mode == 'none':
        return None
    if mode == 'pseudonymous':
        return pseudo.get(emp_id, '<pseudonym of %s>' % emp_id)
    return emp_id


def check_audits(wb, e, mode, pseudo):
    ws = wb['Audits']
    names, rows = table(ws)
    ok(names == ['Id', 'Date', 'Cycle', 'Region', 'Store', 'Employee', 'Checklist', 'Version',
                 'Auditor', 'Score', 'Failed', 'Items', 'N/A'], 'Audits header %r' % names)
    ids = [v(r, 'Id') for r in rows]
    ok(ids == [a['id'] for a in e.audits], 'Audits ids %r, audit list %r'
       % (ids, [a['id'] for a in e.audits]))
    void = [a['id'] for a in e.audits_all if a['status'] == 'void']
    ok(void and not set(void) & set(ids), 'void audits %r on the Audits sheet (or none voided)'
       % void)
    for row, a in zip(rows, e.audits):
        what = 'Audits %d' % a['id']
        for col, k in (('Date', 'date'), ('Cycle', 'cycle'), ('Region', 'region'),
                       ('Store', 'store'), ('Checklist', 'checklist'), ('Auditor', 'auditor')):
            ok(v(row, col) == blank(a[k]), '%s %s %r, CLI %r' % (what, col, v(row, col), a[k]))
        ok(same_num(v(row, 'Version'), a['version']), '%s version' % what)
        ok(same_num(v(row, 'Items'), a['items']), '%s items %r, CLI %r' % (what, v(row, 'Items'),
                                                                          a['items']))
        ok(same_num(v(row, 'N/A'), a['na']), '%s N/A %r, CLI %r' % (what, v(row, 'N/A'),
                                                                    a['na']))
        # what a spreadsheet shows (one decimal) is what `audit list` prints; test_export.sh
        # has audits of 94.05 and 98.25 %, where rounding half up and printf differ
        sc = v(row, 'Score')
        ok((sc is None and a['score'] is None) or
           (isinstance(sc, (int, float)) and a['score'] is not None and
            abs(r1(sc) - a['score']) < 1e-9),
           '%s score %r (a spreadsheet shows %s %%), audit list %r' % (
               what, sc, None if sc is None else '%.1f' % r1(sc), a['score']))
        ok(v(row, 'Failed') == ('FAILED' if a['failed'] else None), '%s failed %r, CLI %r'
           % (what, v(row, 'Failed'), a['failed']))
        if mode != 'pseudonymous':
            want = employee_cell(mode, a['employee'], pseudo)
            ok(v(row, 'Employee') == want, '%s employee %r, want %r' % (what, v(row, 'Employee'),
                                                                        want))


def answer_value(ans):
    if ans == 'na':
        return None
    if ans == 'yes':
        return 1
    if ans == 'no':
        return 0
    return float(ans)


def check_data(wb, e, mode, pseudo):
    if not ok('Data' in wb.sheetnames, 'no Data sheet with --data'):
        return
    ws = wb['Data']
    names, rows = table(ws)
    ok(names == ['Audit', 'Date', 'Cycle', 'Region', 'Store', 'Employee', 'Checklist',
                 'Version', 'Auditor', 'Section', 'Item', 'Answer', 'N/A', 'Points', 'Max',
                 'Passed', 'Note', 'Evidence'], 'Data header %r' % names)
    want_n = sum(len(e.shows[a['id']]['answers']) for a in e.audits)
    ok(len(rows) == want_n, 'Data has %d rows; the cycle\'s non-void audits have %d answers'
       % (len(rows), want_n))
    sql_n = e.expect.get('answers_sql' + ('.' + e.region if e.region else ''))
    if sql_n is not None:
        ok(len(rows) == sql_n, 'Data has %d rows; sqlite3 counts %d answers' % (len(rows),
                                                                              sql_n))
    got = {}
    for row in rows:
        k = (v(row, 'Audit'), v(row, 'Item'))
        ok(k not in got, 'Data: %r twice' % (k,))
        got[k] = row
    by_id = {a['id']: a for a in e.audits}
    for a in e.audits:
        show = e.shows[a['id']]
        for ans in show['answers']:
            k = (a['id'], ans['item'])
            row = got.get(k)
            if not ok(row is not None, 'Data lacks audit %d item %s' % k):
                continue
            what = 'Data %d %s' % k
            for col, want in (('Date', a['date']), ('Cycle', a['cycle']),
                              ('Region', blank(a['region'])), ('Store', a['store']),
                              ('Checklist', a['checklist']), ('Auditor', a['auditor']),
                              ('Section', ans['section']), ('Note', blank(ans['note'])),
                              ('Evidence', blank(ans['evidence']))):
                ok(v(row, col) == want, '%s %s %r, CLI %r' % (what, col, v(row, col), want))
            ok(same_num(v(row, 'Version'), a['version']), '%s version' % what)
            ok(same_num(v(row, 'Answer'), answer_value(ans['answer'])), '%s answer %r, CLI %r'
               % (what, v(row, 'Answer'), ans['answer']))
            ok(same_num(v(row, 'N/A'), 1 if ans['answer'] == 'na' else 0), '%s N/A %r'
               % (what, v(row, 'N/A')))
            ok(same_num(v(row, 'Points'), ans['points']), '%s points %r, CLI %r'
               % (what, v(row, 'Points'), ans['points']))
            ok(same_num(v(row, 'Max'), ans['max']), '%s max %r, CLI %r'
               % (what, v(row, 'Max'), ans['max']))
            p = None if ans['passed'] is None else (1 if ans['passed'] else 0)
            ok(same_num(v(row, 'Passed'), p), '%s passed %r, CLI %r' % (what, v(row, 'Passed'),
                                                                        ans['passed']))
            if mode != 'pseudonymous':
                want = employee_cell(mode, a['employee'], pseudo)
                ok(v(row, 'Employee') == want, '%s employee %r, want %r'
                   % (what, v(row, 'Employee'), want))
    # numbers in the General format: a whole-number format would show 1.5 points as 2
    for col in ('Answer', 'Points', 'Max'):
        c = names.index(col) + 1
        fmts = {ws.cell(r, c).number_format for r in range(2, min(ws.max_row, 500) + 1)
                if isinstance(ws.cell(r, c).value, (int, float))}
        ok(fmts <= {'General'}, 'Data %s cells formatted %r, not General' % (col, fmts))
    extra = [k for k in got if k[0] not in by_id]
    ok(not extra, 'Data has rows of audits not in the audit list: %r' % sorted(
        {k[0] for k in extra}))


def check_standards(wb, e):
    ws = wb['Service standards']
    names, rows = table(ws)
    ok(names == ['Rank', 'Checklist', 'Section', 'Item', 'Standard', 'Answered', 'Passed',
                 'Compliance', 'Stores', 'Stores failing', 'Move'],
       'Service standards header %r' % names)
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
    got = [(v(r, 'Checklist'), v(r, 'Item')) for r in rows]
    ok(sorted(got) == sorted(acc), 'Service standards items differ from the answered items: '
       'extra %r, missing %r' % (sorted(set(got) - set(acc))[:5], sorted(set(acc) - set(got))[:5]))
    ok(len(got) == len(set(got)), 'Service standards lists an item twice')
    ok([v(r, 'Rank') for r in rows] == list(range(1, len(rows) + 1)), 'ranks are not 1..n')
    comp = [v(r, 'Compliance') for r in rows]
    ok(all(isinstance(c, (int, float)) for c in comp) and comp == sorted(comp),
       'Service standards not weakest first: %r' % comp[:20])
    if e.lang == 'zh':
        cjk = [r for r in rows if re.search('[\u4e00-\u9fff]', v(r, 'Standard') or '')]
        ok(len(cjk) == len(rows), '--lang zh: %d of %d standards are not in Chinese'
           % (len(rows) - len(cjk), len(rows)))
    texts = {}
    for cid, cl in e.checklists.items():
        for s in cl['sections']:
            for it in s['items']:
                texts[(cid, it['id'])] = (s['title'], it['text'])
    for row in rows:
        k = (v(row, 'Checklist'), v(row, 'Item'))
        x = acc.get(k)
        if x is None:
            continue
        what = 'Service standards %s %s' % k
        ok(same_num(v(row, 'Answered'), x['answered']), '%s answered %r, audit show %d'
           % (what, v(row, 'Answered'), x['answered']))
        ok(same_num(v(row, 'Passed'), x['passed']), '%s passed %r, audit show %d'
           % (what, v(row, 'Passed'), x['passed']))
        pct = r1(100.0 * x['passed'] / x['answered'])
        ok(same_num(v(row, 'Compliance'), pct, 1e-6), '%s compliance %r, audit show %r'
           % (what, v(row, 'Compliance'), pct))
        ok(same_num(v(row, 'Stores'), len(x['stores'])), '%s stores %r, want %d'
           % (what, v(row, 'Stores'), len(x['stores'])))
        ok(same_num(v(row, 'Stores failing'), len(x['failing'])), '%s stores failing %r, '
           'want %d' % (what, v(row, 'Stores failing'), len(x['failing'])))
        sec, text = texts[k]
        ok(v(row, 'Standard') == text, '%s standard %r, checklist show%s %r'
           % (what, v(row, 'Standard'), ' --lang ' + e.lang if e.lang else '', text))
        ok(v(row, 'Section') == sec, '%s section %r, checklist show %r'
           % (what, v(row, 'Section'), sec))


def expected_employees(e, min_audits):
    acc = {}
    for a in e.audits:
        if a['employee'] is None or a['score'] is None:
            continue
        x = acc.setdefault(a['employee'], {'scores': [], 'failed': 0})
        x['scores'].append(a['score'])
        x['failed'] += 1 if a['failed'] else 0
    out = {}
    for emp, x in acc.items():
        info = e.employees[emp]
        out[emp] = {'store': info['store'], 'region': e.stores[info['store']]['region'],
                    'role': info['role'], 'name': info['name'], 'n': len(x['scores']),
                    'score': sum(x['scores']) / len(x['scores']), 'failed': x['failed']}
    for store in {x['store'] for x in out.values()}:
        rated = sorted((x['score'], emp) for emp, x in out.items()
                       if x['store'] == store and x['n'] >= min_audits)
        rated.reverse()
        for k, (_, emp) in enumerate(rated):
            out[emp]['rank'] = k + 1
            out[emp]['rated'] = len(rated)
    return out


def check_employees(wb, e, mode, min_audits, pseudo):
    ws = wb['Employees']
    if mode == 'none':
        ok(ws.max_row == 1 and ws.max_column == 1, 'Employees with --employees none has a '
           'table (%d rows, %d columns)' % (ws.max_row, ws.max_column))
        ok('not included' in str(ws['A1'].value), 'Employees A1 %r does not say so'
           % ws['A1'].value)
        return
    names, rows = table(ws)
    ok(names == ['Region', 'Store', 'Employee', 'Role', 'Audits', 'Score', 'Rank in store',
                 'Critical fails', 'Recognition'], 'Employees header %r' % names)
    want = expected_employees(e, min_audits)
    label = {}
    for emp, x in want.items():
        label[emp] = '%s (%s)' % (x['name'], emp) if mode == 'full' else pseudo.get(emp)
    by_label = {v(r, 'Employee'): r for r in rows}
    ok(len(rows) == len(want), 'Employees has %d rows; %d employees have audits'
       % (len(rows), len(want)))
    for emp, x in sorted(want.items()):
        row = by_label.get(label[emp])
        if not ok(row is not None, 'Employees lacks %s as %r' % (emp, label[emp])):
            continue
        what = 'Employees %s' % emp
        ok(v(row, 'Store') == x['store'] and v(row, 'Region') == x['region'] and
           v(row, 'Role') == x['role'], '%s store/region/role %r' % (
               what, (v(row, 'Store'), v(row, 'Region'), v(row, 'Role'))))
        ok(same_num(v(row, 'Audits'), x['n']), '%s audits %r, audit list %d'
           % (what, v(row, 'Audits'), x['n']))
        # the CLI lists scores at one decimal: their mean is within 0.1 of the exact one
        ok(same_num(v(row, 'Score'), x['score'], 0.1), '%s score %r, audit list mean %.2f'
           % (what, v(row, 'Score'), x['score']))
        ok(same_num(v(row, 'Critical fails'), x['failed']), '%s critical fails %r, want %d'
           % (what, v(row, 'Critical fails'), x['failed']))
        ok(same_num(v(row, 'Rank in store'), x.get('rank')), '%s rank %r, want %r'
           % (what, v(row, 'Rank in store'), x.get('rank')))
        rec = v(row, 'Recognition') or ''
        if x['n'] < min_audits:
            ok(rec.startswith('not rated') and '(minimum %d)' % min_audits in rec,
               '%s (%d audits, minimum %d) recognition %r' % (what, x['n'], min_audits, rec))
        elif x.get('rank') == 1 and x.get('rated', 0) > 1:
            ok(rec == 'best in store', '%s recognition %r, want best in store' % (what, rec))
        else:
            ok(rec == '', '%s recognition %r, want none' % (what, rec))


def check_actions(wb, e, lang):
    ws = wb['Actions 5W1H']
    names, rows = table(ws)
    form = e.expect['form_labels_zh' if lang == 'zh' else 'form_labels']
    ok(names == ['Id', 'Store', 'Region', 'Metric', 'About', 'Status', 'Owner', 'Due',
                 'Overdue', 'Carried'] + [f[1] for f in form], 'Actions header %r' % names)
    ok([v(r, 'Id') for r in rows] == [a['id'] for a in e.actions],
       'Actions ids %r, action list %r' % ([v(r, 'Id') for r in rows],
                                           [a['id'] for a in e.actions]))
    for row, a in zip(rows, e.actions):
        what = 'Actions %d' % a['id']
        for col, k in (('Store', 'store'), ('Region', 'region'), ('Metric', 'metric'),
                       ('Status', 'status'), ('Owner', 'owner'), ('Due', 'due')):
            ok(v(row, col) == blank(a[k]), '%s %s %r, CLI %r' % (what, col, v(row, col), a[k]))
        ok(v(row, 'Overdue') == ('OVERDUE' if a['overdue'] else None), '%s overdue %r, CLI %r'
           % (what, v(row, 'Overdue'), a['overdue']))
        carried = a['carried'].replace(' ', ' #') if a['carried'] else None
        ok(v(row, 'Carried') == carried, '%s carried %r, CLI %r' % (what, v(row, 'Carried'),
                                                                    a['carried']))
        about = a['about'] or ''
        thing = re.sub(r'[\[\]]', '', about.split('/', 1)[1]) if '/' in about else ''
        ok((v(row, 'About') or '').find(thing) >= 0 and (not about or v(row, 'About')),
           '%s about %r, CLI %r' % (what, v(row, 'About'), about))
        fields = e.action_show[a['id']]['fields']
        for key, labeltext in form:
            ok(v(row, labeltext) == blank(fields.get(key)), '%s %s %r, action show %r'
               % (what, labeltext, v(row, labeltext), fields.get(key)))
    ok(any(a['overdue'] for a in e.actions) or e.region, 'no overdue action in the data')
    ok(any(a['carried'].startswith('from') for a in e.actions) or e.region,
       'no carried-over action in the data')


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


def check_text(wb, path, e, data, mode):
    """Text from users is text, never a formula; Chinese text comes back exactly."""
    x = e.expect
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith('xl/worksheets/') and name.endswith('.xml'):
                xml = z.read(name).decode('utf-8')
                ok(not re.search(r'<f[ >/]', xml), '%s has a formula element' % name)
    formulas = [(t, c.coordinate) for t, c in all_cells(wb) if c.data_type == 'f']
    ok(not formulas, 'formula cells: %r' % formulas[:10])
    form = dict(x['form_labels_zh' if e.lang == 'zh' else 'form_labels'])
    if data and not e.region:
        ws = wb['Data']
        names, rows = table(ws)
        notes = {}
        for r in rows:
            notes[(v(r, 'Audit'), v(r, 'Item'))] = r
        for item, col, text in x['formula_cells']:
            r = notes.get((x['formula_audit'], item))
            if not ok(r is not None, 'Data lacks audit %d item %s' % (x['formula_audit'], item)):
                continue
            c = r[col]
            ok(c.data_type == 's' and c.value == text, 'Data %s %s: %r (type %s), put in %r'
               % (item, col, c.value, c.data_type, text))
        r = notes.get((x['zh_audit'], x['zh_item']))
        if ok(r is not None, 'Data lacks the audit with the Chinese note'):
            c = r['Note']
            ok(c.data_type == 's' and c.value.encode('utf-8') == x['zh_note'].encode('utf-8'),
               'Chinese note %r, put in %r' % (c.value, x['zh_note']))
    if not e.region or e.region == x['formula_action_region']:
        names, rows = table(wb['Actions 5W1H'])
        acts = {v(r, 'Id'): r for r in rows}
        r = acts.get(x['formula_action'])
        if ok(r is not None, 'Actions lacks action %s' % x['formula_action']):
            for key, text in x['formula_fields']:
                label = form[key]
                c = r.get(label)
                ok(c is not None and c.data_type == 's' and c.value == text,
                   'Actions %s %s: %r (type %s), put in %r' % (
                       x['formula_action'], label, c and c.value, c and c.data_type, text))
    if not e.region or e.region == x['zh_store_region']:
        for sheet, col, idcol in (('Stores', 'Name', 'Id'), ('6S', 'Name', 'Store'),
                                  ('Trend', 'Name', 'Id')):
            names, rows = table(wb[sheet])
            hits = [r for r in rows if v(r, idcol) == x['zh_store']]
            ok(hits and all(v(r, col).encode('utf-8') == x['zh_store_name'].encode('utf-8')
                            for r in hits), '%s: the Chinese store name is not %r: %r'
               % (sheet, x['zh_store_name'], [v(r, col) for r in hits]))
        ws = wb['Dashboard']
        h = header_row(ws, 'Region', 'Store')
        names, rows = table(ws, h, stop_at_blank=True)
        hits = [r for r in rows if v(r, 'Store') == x['zh_store']]
        ok(len(hits) == 1 and v(hits[0], 'Name') == x['zh_store_name'],
           'Dashboard: the Chinese store name is not %r' % x['zh_store_name'])
        names, rows = table(wb['Actions 5W1H'])
        acts = {v(r, 'Id'): r for r in rows}
        r = acts.get(x['zh_action'])
        if ok(r is not None, 'Actions lacks the Chinese action %s' % x['zh_action']):
            for key, text in x['zh_fields']:
                label = form[key]
                c = r.get(label)
                ok(c is not None and c.value == text, 'Actions %s %s %r, put in %r'
                   % (x['zh_action'], label, c and c.value, text))
        if mode == 'full':
            names, rows = table(wb['Employees'])
            ok(x['zh_employee_label'] in [v(r, 'Employee') for r in rows],
               'Employees lacks %r' % x['zh_employee_label'])


def zip_text(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            out.append((name, z.read(name).decode('utf-8', 'replace')))
    return out


def check_privacy(wb, path, e, mode, pseudo_out):
    """full: names shown; pseudonymous: no name or id anywhere, one stable pseudonym
    per employee; none: no per-employee results at all."""
    emps = e.employees
    in_scope = {a['employee'] for a in e.audits if a['employee']}
    cells = list(all_cells(wb))
    texts = zip_text(path)
    if mode == 'full':
        names, rows = table(wb['Employees'])
        shown = {v(r, 'Employee') for r in rows}
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
        for sheet in ('Audits', 'Data'):
            if sheet in wb.sheetnames:
                names, rows = table(wb[sheet])
                got = [v(r, 'Employee') for r in rows if v(r, 'Employee') is not None]
                ok(not got, 'none: %s has employee cells %r' % (sheet, got[:5]))
        return
    # pseudonymous: audit id -> employee (CLI) and audit id -> label (workbook)
    names, rows = table(wb['Audits'])
    label = {v(r, 'Id'): v(r, 'Employee') for r in rows}
    pseudo = {}
    for a in e.audits:
        lab = label.get(a['id'])
        if a['employee'] is None:
            ok(lab is None, 'pseudonymous: audit %d without employee shows %r' % (a['id'], lab))
            continue
        ok(isinstance(lab, str) and pat.match(lab) is not None,
           'pseudonymous: audit %d employee cell %r is not a pseudonym' % (a['id'], lab))
        prev = pseudo.setdefault(a['employee'], lab)
        ok(prev == lab, 'pseudonymous: %s is %r in one audit, %r in another'
           % (a['employee'], prev, lab))
    ok(len(set(pseudo.values())) == len(pseudo), 'pseudonymous: two employees share a '
       'pseudonym: %r' % pseudo)
    names, rows = table(wb['Employees'])
    ok(sorted(v(r, 'Employee') for r in rows) == sorted(pseudo.values()),
       'pseudonymous: the Employees sheet %r, the Audits sheet %r'
       % (sorted(v(r, 'Employee') for r in rows), sorted(pseudo.values())))
    if 'Data' in wb.sheetnames:
        names, rows = table(wb['Data'])
        by_id = {a['id']: a for a in e.audits}
        bad = [(v(r, 'Audit'), v(r, 'Employee')) for r in rows
               if v(r, 'Employee') != pseudo.get(by_id.get(v(r, 'Audit'), {}).get('employee'))]
        ok(not bad, 'pseudonymous: Data employee cells disagree with the Audits sheet: %r'
           % bad[:5])
    if pseudo_out:
        with open(pseudo_out, 'w', encoding='utf-8') as f:
            json.dump(pseudo, f, indent=1, sort_keys=True)
    return pseudo


def check_region(wb, e):
    """Only the region's stores appear on the per-store sheets."""
    others = sorted(s for s, x in e.stores.items() if x['region'] != e.region)
    mine = sorted(s for s, x in e.stores.items() if x['region'] == e.region)
    for sheet, col in (('Stores', 'Id'), ('6S', 'Store'), ('Audits', 'Store'),
                       ('Trend', 'Id'), ('Actions 5W1H', 'Store'), ('Employees', 'Store'),
                       ('Data', 'Store')):
        if sheet not in wb.sheetnames:
            continue
        names, rows = table(wb[sheet])
        got = {v(r, col) for r in rows}
        ok(not got & set(others), '--region %s: %s shows %r' % (e.region, sheet,
                                                                sorted(got & set(others))))
        if sheet == 'Stores':
            regions = {v(r, 'Region') for r in rows}
            ok(regions == {e.region}, '--region %s: Stores regions %r' % (e.region, regions))
        if sheet in ('Stores', 'Trend'):
            ok({v(r, 'Scope') for r in rows} == {'store', 'region'},
               '--region %s: %s scopes %r' % (e.region, sheet, {v(r, 'Scope') for r in rows}))
    ws = wb['Dashboard']
    h = header_row(ws, 'Region', 'Store')
    names, rows = table(ws, h, stop_at_blank=True)
    ok(sorted(v(r, 'Store') for r in rows) == mine, '--region %s: Dashboard stores %r, want %r'
       % (e.region, sorted(v(r, 'Store') for r in rows), mine))
    every = [c.value for t, c in all_cells(wb) if isinstance(c.value, str)]
    for s in others:
        hit = [x for x in every if s in x]
        ok(not hit, '--region %s: store %s appears: %r' % (e.region, s, hit[:3]))


# ---- commands ------------------------------------------------------------------------

def cmd_check(argv):
    path = argv[0]
    opts = {'--exp': None, '--region': None, '--employees': 'full', '--lang': None,
            '--min-audits': '2', '--trend-cycles': '6', '--pseudo-out': None}
    data = False
    i = 1
    while i < len(argv):
        if argv[i] == '--data':
            data = True
            i += 1
        elif argv[i] in opts:
            opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            sys.exit('export_check.py: unknown option %s' % argv[i])
    e = Exp(opts['--exp'], opts['--region'], opts['--lang'])
    mode = opts['--employees']
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as ex:  # a workbook openpyxl cannot read fails every check
        ok(False, '%s: openpyxl cannot read it: %s' % (path, ex))
        finish()
    n_cycles = int(opts['--trend-cycles'])

    def guarded(name, fn, *args):
        # a sheet missing or shaped otherwise fails its checks, not the script
        try:
            return fn(*args)
        except Exception as ex:  # noqa: BLE001
            ok(False, '%s: cannot check: %s: %s' % (name, type(ex).__name__, ex))
            return None

    pseudo = guarded('privacy', check_privacy, wb, path, e, mode, opts['--pseudo-out']) or {}
    guarded('structure', check_structure, wb, e, data, mode)
    guarded('Dashboard', check_dashboard, wb, e, n_cycles)
    guarded('Stores', check_stores, wb, e)
    guarded('6S', check_six, wb, e)
    guarded('Service standards', check_standards, wb, e)
    guarded('Employees', check_employees, wb, e, mode, int(opts['--min-audits']), pseudo)
    guarded('Actions 5W1H', check_actions, wb, e, opts['--lang'])
    guarded('Trend', check_trend, wb, e, n_cycles)
    guarded('Audits', check_audits, wb, e, mode, pseudo)
    if data:
        guarded('Data', check_data, wb, e, mode, pseudo)
    guarded('text', check_text, wb, path, e, data, mode)
    if e.region:
        guarded('region', check_region, wb, e)
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
    else:
        sys.exit(__doc__)


main()

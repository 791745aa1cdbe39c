-- want: every 'year' is not cycle, day, week or month
PRAGMA ignore_check_constraints = ON;
INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor, set_at) VALUES('00000000-0000-4000-8000-000000000001', '2026-11', '6s_store', 'network', '', 0, 1, 'year', '', '2026-11-02T09:00:00Z');

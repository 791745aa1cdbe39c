-- want: store 'NOPE', which the file does not have
INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor, set_at) VALUES('00000000-0000-4000-8000-000000000001', '2026-11', '6s_store', 'store', 'NOPE', 0, 1, 'cycle', '', '2026-11-02T09:00:00Z');

-- want: a network plan names 'SH-001'
INSERT INTO plan(uuid, cycle_id, checklist_id, scope, scope_id, per_employee, times, every, auditor, set_at) VALUES('00000000-0000-4000-8000-000000000001', '2026-11', '6s_store', 'network', 'SH-001', 0, 1, 'cycle', '', '2026-11-02T09:00:00Z');

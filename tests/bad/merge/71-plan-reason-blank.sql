-- want: text is blank
INSERT INTO plan_reason(cycle_id, checklist_id, store_id, employee_id, text, at) VALUES('2026-11', '6s_store', 'SH-001', '', '   ', '2026-11-02T09:00:00Z');

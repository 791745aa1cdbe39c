-- want: status 'evil' is not one of
PRAGMA ignore_check_constraints = ON;
INSERT INTO action(uuid, cycle_id, store_id, status, created_at, updated_at) VALUES('00000000-0000-4000-8000-000000000002', '2026-11', 'SH-001', 'evil', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z');

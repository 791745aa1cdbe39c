-- want: cycle 'NOPE-2', which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO action(uuid, cycle_id, store_id, status, created_at, updated_at) VALUES('00000000-0000-4000-8000-000000000002', '2026-11', 'SH-001', 'open', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z');
INSERT INTO action_carry(action_id, from_cycle, to_cycle, status, at, actor) VALUES(1, '2026-11', 'NOPE-2', 'open', '2026-12-01T09:00:00Z', 'QA lead');

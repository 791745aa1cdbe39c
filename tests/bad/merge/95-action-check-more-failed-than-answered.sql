-- want: 5 of 4 answers failed
INSERT INTO action(uuid, cycle_id, store_id, status, created_at, updated_at) VALUES('00000000-0000-4000-8000-000000000002', '2026-11', 'SH-001', 'open', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z');
INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor) VALUES(1, '2026-12', 0, 4, 5, '2026-12-01T09:00:00Z', 'QA lead');

-- want: of action 999, which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor) VALUES(999, '2026-11', 1, 4, 0, '2026-12-01T09:00:00Z', 'QA lead');

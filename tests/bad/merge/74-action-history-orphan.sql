-- want: of action 999, which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO action_history(action_id, at, actor, change) VALUES(999, '2026-11-02T09:00:00Z', 'x', 'created');

-- want: table 'action_check': column 'action_id' is declared differently
-- a second check of one action by one cycle: its primary key taken out of the schema to write it
PRAGMA foreign_keys = OFF;
INSERT INTO action(uuid, cycle_id, store_id, status, created_at, updated_at) VALUES('00000000-0000-4000-8000-000000000002', '2026-11', 'SH-001', 'open', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z');
INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor) VALUES(1, '2026-11', 1, 4, 0, '2026-12-01T09:00:00Z', 'QA lead');
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, ', PRIMARY KEY(action_id, cycle_id)', '') WHERE name = 'action_check';
DELETE FROM sqlite_master WHERE name = 'sqlite_autoindex_action_check_1';
-- reopen
PRAGMA foreign_keys = OFF;
INSERT INTO action_check(action_id, cycle_id, verified, n_answers, n_failed, at, actor) VALUES(1, '2026-11', 0, 4, 2, '2026-12-01T09:00:00Z', 'QA lead');

-- want: close of cycle NOPE-1 at 2026-12-01T09:00:00Z: cycle 'NOPE-1', which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO cycle_close(cycle_id, closed_at, closed_by) VALUES('NOPE-1', '2026-12-01T09:00:00Z', 'QA lead');

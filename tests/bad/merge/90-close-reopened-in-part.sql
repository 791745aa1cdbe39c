-- want: reopened in part
INSERT INTO cycle_close(cycle_id, closed_at, closed_by, reopened_at) VALUES('2026-11', '2026-12-01T09:00:00Z', 'QA lead', '2026-12-02T09:00:00Z');

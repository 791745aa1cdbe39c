-- want: reopened (2026-11-30T09:00:00Z) before it was closed
INSERT INTO cycle_close(cycle_id, closed_at, closed_by, reopened_at, reopened_by, reopen_reason) VALUES('2026-11', '2026-12-01T09:00:00Z', 'QA lead', '2026-11-30T09:00:00Z', 'QA lead', 'late');

-- want: resolved (2026-11-19T09:00:00Z) before it was opened (2026-11-20T09:00:00Z)
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided, outcome, resolved_at, resolved_by, note) VALUES(1, '2026-11-20T09:00:00Z', 'SH-001 manager', 'the exit was clear', 1, 0, 'rejected', '2026-11-19T09:00:00Z', 'QA', 'n');

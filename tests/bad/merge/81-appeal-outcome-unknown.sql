-- want: outcome 'maybe' is not upheld or rejected
PRAGMA ignore_check_constraints = ON;
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided, outcome, resolved_at, resolved_by, note) VALUES(1, '2026-11-20T09:00:00Z', 'SH-001 manager', 'the exit was clear', 1, 0, 'maybe', '2026-11-21T09:00:00Z', 'QA', 'n');

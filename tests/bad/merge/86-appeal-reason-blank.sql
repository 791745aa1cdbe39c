-- want: reason
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided) VALUES(1, '2026-11-20T09:00:00Z', 'SH-001 manager', '   ', 1, 0);

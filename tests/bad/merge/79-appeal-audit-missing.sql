-- want: appeal 1: of audit 999, which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided) VALUES(999, '2026-11-20T09:00:00Z', 'SH-001 manager', 'the exit was clear', 1, 0);

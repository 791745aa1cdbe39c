-- want: a second open appeal of the audit made in one database
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided) VALUES(1, '2026-11-20T09:00:00Z', 'SH-001 manager', 'the exit was clear', 1, 0);
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided, origin) VALUES(1, '2026-11-21T09:00:00Z', 'SH-001 manager', 'again', 1, 0, (SELECT value FROM meta WHERE key = 'db_uuid'));

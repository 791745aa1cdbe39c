-- want: opened_at
INSERT INTO appeal(audit_id, opened_at, opened_by, reason, revision, voided) VALUES(1, 'yesterday', 'SH-001 manager', 'the exit was clear', 1, 0);

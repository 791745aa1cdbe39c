-- want: damaged database
-- a NULL auditor, written while the column allowed it
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'auditor TEXT NOT NULL', 'auditor TEXT') WHERE name = 'audit';
-- reopen
UPDATE audit SET auditor = NULL WHERE id = 2;
-- reopen
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'auditor TEXT,', 'auditor TEXT NOT NULL,') WHERE name = 'audit';

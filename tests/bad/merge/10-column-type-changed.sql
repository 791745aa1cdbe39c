-- want: column 'auditor' is declared differently
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'auditor TEXT NOT NULL', 'auditor ANY NOT NULL') WHERE name = 'audit';

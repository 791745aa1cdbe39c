-- want: table 'store': column 'id' is declared differently (TEXT PRIMARY KEY; svcaudit's: TEXT NOT NULL PRIMARY KEY)
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, ') STRICT', ')') WHERE name = 'store';

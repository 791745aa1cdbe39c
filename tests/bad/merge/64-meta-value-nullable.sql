-- want: table 'meta': column 'value' is declared differently
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = 'CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) STRICT' WHERE name = 'meta';
-- reopen
UPDATE meta SET value = NULL WHERE key = 'pseudonym_salt';

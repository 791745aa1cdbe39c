-- want: damaged database
-- the segfault of issue 14: a meta value made NULL behind the schema's back
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = 'CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) STRICT' WHERE name = 'meta';
-- reopen
UPDATE meta SET value = NULL WHERE key = 'pseudonym_salt';
-- reopen
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = 'CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT' WHERE name = 'meta';

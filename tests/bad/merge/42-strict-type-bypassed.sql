-- want: damaged database
-- text in an INTEGER column of a STRICT table, written while the table was not STRICT
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, ') STRICT', ')') WHERE name = 'audit';
-- reopen
UPDATE audit SET n_items = 'many' WHERE id = 2;
-- reopen
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = sql || ' STRICT' WHERE name = 'audit';

-- want: 'audit' is a view, not a table
DROP TABLE audit;
CREATE VIEW audit AS SELECT 999 AS id, 'ffffffff-ffff-4fff-bfff-ffffffffffff' AS uuid, 999.0 AS pct;

-- want: meta key 'evil' is not one svcaudit writes
INSERT INTO meta VALUES('evil', 'x');

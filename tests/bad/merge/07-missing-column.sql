-- want: table 'answer' has no column 'evidence'
ALTER TABLE answer DROP COLUMN evidence;

-- want: id is not a valid id
INSERT INTO store VALUES('bad id', 'Somewhere', '');

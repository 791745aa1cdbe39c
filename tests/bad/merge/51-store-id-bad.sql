-- want: id is not a valid id
INSERT INTO store(id, name, region) VALUES('bad id', 'Somewhere', '');

-- want: table 'store' has a column 'shout'
ALTER TABLE store ADD COLUMN shout TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL;

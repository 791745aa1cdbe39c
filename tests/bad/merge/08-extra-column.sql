-- want: table 'store' has a column 'evil'
ALTER TABLE store ADD COLUMN evil TEXT;

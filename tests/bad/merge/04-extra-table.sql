-- want: has a table 'extra'
CREATE TABLE extra(x TEXT);

-- want: has an index 'store_by_name'
CREATE INDEX store_by_name ON store(name);

-- want: its stored score none disagrees
UPDATE audit SET pct = 0.0 / 0.0 WHERE id = 1;

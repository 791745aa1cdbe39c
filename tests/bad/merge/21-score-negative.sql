-- want: its stored score -5 disagrees
UPDATE audit SET pct = -5, raw_pct = -5 WHERE id = 1;

-- want: its stored score 150 disagrees with its answers
UPDATE audit SET pct = 150, raw_pct = 150 WHERE id = 1;

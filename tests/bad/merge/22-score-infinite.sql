-- want: pct is not a finite number
UPDATE audit SET pct = 9e999 WHERE id = 1;

-- want: recorded_at is not a time
UPDATE audit SET recorded_at = 'yesterday' WHERE id = 2;

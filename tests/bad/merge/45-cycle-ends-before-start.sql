-- want: ends (2026-01-01) before it starts
UPDATE cycle SET date_to = '2026-01-01' WHERE id = '2026-12';

-- want: its date 2026-12-03 is outside cycle 2026-12 (2026-12-05 .. 2026-12-31)
UPDATE cycle SET date_from = '2026-12-05' WHERE id = '2026-12';

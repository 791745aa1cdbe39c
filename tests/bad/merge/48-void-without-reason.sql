-- want: void without a reason
UPDATE audit SET voided_at = '2026-12-10T10:00:00Z' WHERE id = 2;

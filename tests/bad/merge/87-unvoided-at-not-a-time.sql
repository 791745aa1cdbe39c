-- want: unvoided_at
UPDATE audit SET unvoided_at = 'soon', unvoided_by = 'x' WHERE id = 1;

-- want: origin is not a UUID
UPDATE audit SET origin = 'evil' WHERE id = 1;

-- want: uuid is not a UUID
UPDATE audit SET uuid = 'not-a-uuid' WHERE id = 2;

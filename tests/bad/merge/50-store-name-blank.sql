-- want: name is blank
UPDATE store SET name = '   ' WHERE id = 'HZ-001';

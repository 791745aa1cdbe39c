-- want: works at store 'NOPE', which the file does not have
UPDATE employee SET store_id = 'NOPE' WHERE id = 'HZ-001-E01';

-- want: employee 'HZ-001-E01' works at store 'SH-002', not 'HZ-001'
UPDATE employee SET store_id = 'SH-002' WHERE id = 'HZ-001-E01';

-- want: scores a store, yet it names employee
UPDATE audit SET employee_id = 'HZ-001-E01' WHERE id = 2;

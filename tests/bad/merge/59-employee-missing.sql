-- want: employee: missing
UPDATE audit SET employee_id = NULL WHERE id = 1;

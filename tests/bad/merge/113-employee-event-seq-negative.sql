-- want: employee event in row 2: seq
UPDATE employee_event SET seq = -1 WHERE from_date = '2027-01-10';

-- want: employee event in row 2: at
.dbconfig enable_trigger off
UPDATE employee_event SET at = 'yesterday' WHERE from_date = '2027-01-10';

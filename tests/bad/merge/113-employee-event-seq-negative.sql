-- want: employee event in row 2: seq
.dbconfig enable_trigger off
UPDATE employee_event SET seq = -1 WHERE from_date = '2027-01-10';

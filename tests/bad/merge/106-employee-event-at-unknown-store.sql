-- want: employee event of employee 'BJ-001-E01' from 2027-01-10 made
.dbconfig enable_trigger off
PRAGMA foreign_keys = OFF;
UPDATE employee_event SET store_id = 'NOPE-1' WHERE from_date = '2027-01-10';

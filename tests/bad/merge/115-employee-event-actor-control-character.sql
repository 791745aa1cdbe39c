-- want: employee event in row 2: actor
.dbconfig enable_trigger off
UPDATE employee_event SET actor = 'QA' || char(27) || '[2J' WHERE from_date = '2027-01-10';

-- want: employee event of employee 'NOPE-E1' from 2027-01-01 made 2026-12-01T09:00:00Z: of employee 'NOPE-E1', which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO employee_event(employee_id, from_date, store_id, at, actor) VALUES('NOPE-E1', '2027-01-01', 'SH-001', '2026-12-01T09:00:00Z', 'QA');

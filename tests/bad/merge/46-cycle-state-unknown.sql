-- want: state 'evil' is not one of
PRAGMA ignore_check_constraints = ON;
UPDATE cycle SET state = 'evil' WHERE id = '2026-12';

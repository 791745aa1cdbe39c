-- want: store event of store 'NOPE-1' from 2027-01-01 made 2026-12-01T09:00:00Z: of store 'NOPE-1', which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO store_event(store_id, from_date, active, at, actor) VALUES('NOPE-1', '2027-01-01', 0, '2026-12-01T09:00:00Z', 'QA');

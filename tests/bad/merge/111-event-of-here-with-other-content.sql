-- want: store event of store 'BJ-001' from 2027-03-01 made
.dbconfig enable_trigger off
UPDATE store_event SET active = 1 WHERE store_id = 'BJ-001';

-- want: store event in row 2: active
.dbconfig enable_trigger off
UPDATE store_event SET active = 2 WHERE store_id = 'HZ-001';

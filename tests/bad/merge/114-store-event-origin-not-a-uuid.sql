-- want: store event in row 2: origin
.dbconfig enable_trigger off
UPDATE store_event SET origin = 'office' WHERE store_id = 'HZ-001';

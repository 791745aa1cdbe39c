-- want: store event in row 2: from_date
.dbconfig enable_trigger off
UPDATE store_event SET from_date = '2027-02-30' WHERE store_id = 'HZ-001';

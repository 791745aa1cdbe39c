-- want: said to be made here, but this database has no such event
.dbconfig enable_trigger off
UPDATE store_event SET from_date = '2027-03-02' WHERE store_id = 'BJ-001';

-- want: a note is required when it fails
UPDATE answer SET note = '' WHERE audit_id = 1 AND item_no = 1;

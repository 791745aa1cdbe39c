-- want: is to item 'no.such'
UPDATE answer SET item_id = 'no.such' WHERE audit_id = 1 AND item_no = 4;

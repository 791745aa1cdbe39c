-- want: string or blob too big
UPDATE answer SET note = hex(zeroblob(2621440)) WHERE audit_id = 1 AND item_no = 1;

-- want: note is longer than 4000 bytes
UPDATE answer SET note = printf('%.4001c', 'x') WHERE audit_id = 1 AND item_no = 1;

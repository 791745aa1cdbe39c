-- want: note holds a NUL byte
UPDATE answer SET note = CAST(X'6E6F00746521' AS TEXT) WHERE audit_id = 1 AND item_no = 1;

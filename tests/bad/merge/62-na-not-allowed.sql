-- want: N/A is not allowed
UPDATE answer SET value = NULL, passed = NULL, points = 0, max_points = 0 WHERE audit_id = 1 AND item_no = 0;

-- want: answer 7 is outside the scale 0..1
UPDATE answer SET value = 7 WHERE audit_id = 1 AND item_no = 0;

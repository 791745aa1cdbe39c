-- want: note holds a control character
UPDATE answer SET note = 'no dealer name' || char(27) || '[2J' WHERE audit_id = 1 AND item_no = 1;

-- want: the stored points of item 'answer.greeting'
UPDATE answer SET points = 2 WHERE audit_id = 1 AND item_no = 1;

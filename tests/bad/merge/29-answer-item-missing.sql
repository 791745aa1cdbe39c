-- want: no answer to item 'answer.greeting'
.dbconfig enable_trigger off
DELETE FROM answer WHERE audit_id = 1 AND item_no = 1;

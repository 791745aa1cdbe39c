-- want: its checklist, version or index
UPDATE audit SET feeds = 'ssi' WHERE id = 2;

-- want: string or blob too big
UPDATE checklist_version SET source = zeroblob(5000000) WHERE checklist_id = '6s_store';

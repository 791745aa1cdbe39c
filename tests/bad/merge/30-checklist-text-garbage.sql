-- want: its stored text does not load
UPDATE checklist_version SET source = CAST('[checklist' || char(10) || 'id = broken [[[' AS BLOB);

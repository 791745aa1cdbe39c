-- want: its stored text has another hash
UPDATE checklist_version SET source = CAST(replace(CAST(source AS TEXT), 'Telephone', 'Phone') AS BLOB) WHERE checklist_id = 'phone_handling';

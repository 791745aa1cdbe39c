-- want: it says sales_mystery_shop version
UPDATE checklist_version SET checklist_id = 'sales_mystery_shop' WHERE checklist_id = 'phone_handling';

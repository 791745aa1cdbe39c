-- want: checklist 'phone_handling' has no item 'nope.item'
INSERT INTO owner(store_id, checklist_id, section_id, item_id, employee_id, set_at) VALUES('SH-001', 'phone_handling', '', 'nope.item', 'SH-001-E01', '2026-11-02T09:00:00Z');

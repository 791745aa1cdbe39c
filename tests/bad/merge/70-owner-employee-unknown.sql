-- want: employee 'NOPE-E9', which the file does not have
PRAGMA foreign_keys = OFF;
INSERT INTO owner(store_id, checklist_id, section_id, item_id, employee_id, set_at) VALUES('SH-001', 'phone_handling', 'answer', '', 'NOPE-E9', '2026-11-02T09:00:00Z');

-- want: 101 is outside 0..100
INSERT INTO survey(cycle_id, store_id, metric, value, respondents, imported_at) VALUES('2026-11', 'SH-001', 'csi', 101, 2, '2026-11-02T09:00:00Z');

-- want: 150 is outside 0..100
INSERT INTO target(cycle_id, scope, scope_id, metric, value, set_at) VALUES('2026-11', 'network', '', 'ssi', 150, '2026-11-02T09:00:00Z');

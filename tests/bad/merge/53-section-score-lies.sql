-- want: the stored score of section
UPDATE section_score SET pct = 0 WHERE audit_id = 1;

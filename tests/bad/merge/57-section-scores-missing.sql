-- want: 0 section scores for the
DELETE FROM section_score WHERE audit_id = 2;

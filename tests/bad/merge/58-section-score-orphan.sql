-- want: section scores of audit 999
INSERT INTO section_score VALUES(999, 'answer', 1, 50.0, 1, 2);

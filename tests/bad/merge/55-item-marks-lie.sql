-- want: its stored item marks disagree
UPDATE audit SET item_marks = '111' WHERE id = 1;

-- want: answers of audit 999, which the file does not have
INSERT INTO answer VALUES(999, 0, 'answer.greeting', 'answer', 1, 1, 1, 1, '', '');

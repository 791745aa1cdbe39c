-- want: an answer to item number 99
INSERT INTO answer VALUES(1, 99, 'answer.greeting', 'answer', 1, 1, 1, 1, '', '');

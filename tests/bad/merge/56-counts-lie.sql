-- want: its stored figures
UPDATE audit SET n_passed = 0 WHERE id = 1;

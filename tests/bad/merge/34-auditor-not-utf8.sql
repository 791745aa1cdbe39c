-- want: auditor is not valid UTF-8
UPDATE audit SET auditor = CAST(X'5A68C328' AS TEXT) WHERE id = 1;

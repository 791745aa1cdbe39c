-- want: an older schema (2
PRAGMA user_version = 2;

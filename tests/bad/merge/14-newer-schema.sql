-- want: made by a newer svcaudit (schema 99
PRAGMA user_version = 99;

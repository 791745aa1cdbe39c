-- want: not an svcaudit database
UPDATE meta SET value = 'other' WHERE key = 'application';

-- want: trigger 'audit_never_deleted' is defined differently
DROP TRIGGER audit_never_deleted;
CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit BEGIN SELECT 1; END;

-- A retention purge (`pilar privacy purge`) removes what identifies a person from an ended
-- register record. The audit images of that record held the same values (the full name,
-- address and notes, the masked NIK and phone), so the purge removes those keys from them too.
-- The audit log stays append-only except for exactly that change: the trigger below lets an
-- UPDATE through only when every column is unchanged and each image is the old one without
-- the personal keys. Everything else is refused as before.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.entity = 'psks'
          AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.token_id IS OLD.token_id
          AND NEW.actor = OLD.actor AND NEW.entity = OLD.entity AND NEW.entity_key = OLD.entity_key
          AND NEW.action = OLD.action AND NEW.region IS OLD.region
          AND NEW.before IS json_remove(OLD.before, '$.name', '$.nik', '$.birth_date', '$.phone', '$.address', '$.notes')
          AND NEW.after IS json_remove(OLD.after, '$.name', '$.nik', '$.birth_date', '$.phone', '$.address', '$.notes'))
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The version dashboard ETags derive from. `data_version` moves with every committed write,
-- so a TKSK typing a draft (a PUT every few seconds) made every dashboard refetch. This one
-- moves only when something a stats answer reads changes, bumped by triggers in the same
-- transaction as the change, whichever process (server, `pilar` CLI) makes it.
--
-- What the stats read, and so what bumps it:
--   counts          the rollups stats_pmks, stats_psks_reported, stats_psks (their own
--                   triggers already filter drafts, returned reports and inactive records)
--   completeness    regions; reports' kecamatan, period, status, due_at, submitted_at, late
--                   (a new draft shows as "draft" instead of "missing": INSERT bumps)
--   capacity        psks (any column: trained/attested, type, status, region) and every table
--                   of 0005_capacity.sql
-- A table added later that a stats answer reads needs the same three triggers.
CREATE TABLE stats_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
-- Starts at the data version so tags issued before this migration can never match again.
INSERT INTO stats_version (id, version) SELECT 1, version + 1 FROM data_version;

CREATE TRIGGER stats_version_pmks_insert AFTER INSERT ON stats_pmks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_pmks_update AFTER UPDATE ON stats_pmks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_pmks_delete AFTER DELETE ON stats_pmks BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_psks_reported_insert AFTER INSERT ON stats_psks_reported BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_reported_update AFTER UPDATE ON stats_psks_reported BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_reported_delete AFTER DELETE ON stats_psks_reported BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_stats_psks_insert AFTER INSERT ON stats_psks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_stats_psks_update AFTER UPDATE ON stats_psks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_stats_psks_delete AFTER DELETE ON stats_psks BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_regions_insert AFTER INSERT ON regions BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_regions_update AFTER UPDATE ON regions BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_regions_delete AFTER DELETE ON regions BEGIN UPDATE stats_version SET version = version + 1; END;

-- Reports: a draft saved again changes only version/revision/updated_*; that must not bump.
CREATE TRIGGER stats_version_reports_insert AFTER INSERT ON reports BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_reports_delete AFTER DELETE ON reports BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_reports_update AFTER UPDATE ON reports
WHEN OLD.status IS NOT NEW.status OR OLD.due_at IS NOT NEW.due_at OR OLD.submitted_at IS NOT NEW.submitted_at
  OR OLD.late IS NOT NEW.late OR OLD.kecamatan IS NOT NEW.kecamatan OR OLD.period IS NOT NEW.period
BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_psks_insert AFTER INSERT ON psks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_update AFTER UPDATE ON psks BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_delete AFTER DELETE ON psks BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_training_programmes_insert AFTER INSERT ON training_programmes BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_training_programmes_update AFTER UPDATE ON training_programmes BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_training_programmes_delete AFTER DELETE ON training_programmes BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_trainings_insert AFTER INSERT ON trainings BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_trainings_update AFTER UPDATE ON trainings BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_trainings_delete AFTER DELETE ON trainings BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_training_participants_insert AFTER INSERT ON training_participants BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_training_participants_update AFTER UPDATE ON training_participants BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_training_participants_delete AFTER DELETE ON training_participants BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_award_types_insert AFTER INSERT ON award_types BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_award_types_update AFTER UPDATE ON award_types BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_award_types_delete AFTER DELETE ON award_types BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_psks_awards_insert AFTER INSERT ON psks_awards BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_awards_update AFTER UPDATE ON psks_awards BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_awards_delete AFTER DELETE ON psks_awards BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_psks_equipment_insert AFTER INSERT ON psks_equipment BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_equipment_update AFTER UPDATE ON psks_equipment BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_psks_equipment_delete AFTER DELETE ON psks_equipment BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_ipsm_insert AFTER INSERT ON ipsm BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_ipsm_update AFTER UPDATE ON ipsm BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_ipsm_delete AFTER DELETE ON ipsm BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TRIGGER stats_version_ipsm_members_insert AFTER INSERT ON ipsm_members BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_ipsm_members_update AFTER UPDATE ON ipsm_members BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_version_ipsm_members_delete AFTER DELETE ON ipsm_members BEGIN UPDATE stats_version SET version = version + 1; END;

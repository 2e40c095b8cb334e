-- Who saw personal data (UU 27/2022): every answer that shows an unmasked NIK, birth date or
-- phone of a PSKS record (JSON or CSV) is one row of `personal_data_reads` with the records it
-- showed in `personal_data_read_records`. Append-only: no update ever; a delete only of rows
-- older than the kept period (`privacy_settings.access_log_days`), which `pilar privacy purge` does.

CREATE TABLE personal_data_reads (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    token_id     INTEGER,
    actor        TEXT NOT NULL,
    -- What was asked, in route words ("GET /v1/psks/{id}", "GET /v1/psks/export").
    what         TEXT NOT NULL,
    -- The unmasked personal fields the answer carried, comma-separated ("nik,birth_date,phone").
    fields       TEXT NOT NULL,
    record_count INTEGER NOT NULL
) STRICT;

CREATE INDEX personal_data_reads_by_token ON personal_data_reads (token_id, at);
CREATE INDEX personal_data_reads_by_time ON personal_data_reads (at);

CREATE TABLE personal_data_read_records (
    psks_id INTEGER NOT NULL,
    read_id INTEGER NOT NULL REFERENCES personal_data_reads (id),
    PRIMARY KEY (psks_id, read_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX personal_data_read_records_by_read ON personal_data_read_records (read_id, psks_id);

CREATE TRIGGER personal_data_reads_no_update BEFORE UPDATE ON personal_data_reads
BEGIN SELECT RAISE(ABORT, 'the personal-data access log is append-only'); END;
CREATE TRIGGER personal_data_read_records_no_update BEFORE UPDATE ON personal_data_read_records
BEGIN SELECT RAISE(ABORT, 'the personal-data access log is append-only'); END;
-- Timestamps are Clock.timestamp (UTC, fixed width), so text order is time order.
CREATE TRIGGER personal_data_reads_kept BEFORE DELETE ON personal_data_reads
WHEN old.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
                        '-' || (SELECT value FROM privacy_settings WHERE key = 'access_log_days') || ' days')
BEGIN SELECT RAISE(ABORT, 'access log entries are kept for access_log_days'); END;
CREATE TRIGGER personal_data_read_records_kept BEFORE DELETE ON personal_data_read_records
WHEN (SELECT at FROM personal_data_reads WHERE id = old.read_id) >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
                        '-' || (SELECT value FROM privacy_settings WHERE key = 'access_log_days') || ' days')
BEGIN SELECT RAISE(ABORT, 'access log entries are kept for access_log_days'); END;

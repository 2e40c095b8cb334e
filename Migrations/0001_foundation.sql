-- Regions, tokens, the audit log and the data version: the spine every later table hangs on.

-- Kemendagri regions. Codes are dotted with fixed segment widths (2.2.2.4), so a code's
-- subtree is one range of the primary key: code >= 'X' AND code < 'X/' ('/' sorts after '.').
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    level       TEXT NOT NULL CHECK (level IN ('provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa', 'kelurahan')),
    parent_code TEXT REFERENCES regions (code),
    -- First and last period ('YYYY-MM') in which the region exists; NULL means open-ended.
    -- Completeness counts only the kecamatan that existed in a period.
    valid_from  TEXT,
    valid_until TEXT,
    CHECK ((parent_code IS NULL) = (level = 'provinsi'))
) STRICT, WITHOUT ROWID;

CREATE INDEX regions_by_parent ON regions (parent_code, code);
CREATE INDEX regions_by_level ON regions (level, code);

-- Bearer tokens. The secret is shown once; only its SHA-256 is kept.
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'provinsi', 'kabkota', 'tksk', 'viewer')),
    region      TEXT REFERENCES regions (code),
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES tokens (id),
    revoked_at  TEXT,
    CHECK ((role = 'admin') = (region IS NULL))
) STRICT;

CREATE INDEX tokens_by_region ON tokens (region, id);

-- Who changed what, when. Append-only: the triggers refuse updates and deletes.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    token_id    INTEGER,
    actor       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    -- The region the changed thing belongs to, so kabkota/provinsi see their subtree's entries.
    region      TEXT,
    before      TEXT,
    after       TEXT
) STRICT;

CREATE INDEX audit_by_entity ON audit_log (entity, entity_key, id);
CREATE INDEX audit_by_region ON audit_log (region, id);
CREATE INDEX audit_by_time ON audit_log (at, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Bumped by every committed change; dashboards derive their ETags from it.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO data_version (id, version) VALUES (1, 0);

-- A new database is usable at once: the example district of our source documents.
INSERT INTO regions (code, name, level, parent_code) VALUES
    ('32', 'Jawa Barat', 'provinsi', NULL),
    ('32.74', 'Kota Cirebon', 'kota', '32'),
    ('32.74.01', 'Kejaksan', 'kecamatan', '32.74'),
    ('32.74.02', 'Lemahwungkuk', 'kecamatan', '32.74'),
    ('32.74.03', 'Harjamukti', 'kecamatan', '32.74'),
    ('32.74.04', 'Pekalipan', 'kecamatan', '32.74'),
    ('32.74.05', 'Kesambi', 'kecamatan', '32.74');

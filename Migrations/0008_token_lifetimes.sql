-- Tokens that end: an expiry, the last use, two more roles (dpo: the data protection
-- officer; metrics: a scraper that reads /metrics and nothing else), and a version that
-- moves whenever a token stops working, so every process sees a revocation on its next
-- request (TokenService compares it after any commit to the file).

-- SQLite cannot change a CHECK in place: the table is rebuilt. The self-reference names the
-- new table, so dropping the old one deletes no row anything points at; the rename then
-- rewrites it to `tokens`.
CREATE TABLE tokens_new (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'provinsi', 'kabkota', 'tksk', 'viewer', 'dpo', 'metrics')),
    region       TEXT REFERENCES regions (code),
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES tokens_new (id),
    revoked_at   TEXT,
    -- NULL: does not expire. Compared as text (both are Clock.timestamp, UTC, fixed width).
    expires_at   TEXT,
    -- Written at most once a minute per token (TokenService.touchInterval), never per request.
    last_used_at TEXT,
    CHECK ((role IN ('admin', 'dpo', 'metrics')) = (region IS NULL))
) STRICT;

INSERT INTO tokens_new (id, name, role, region, secret_hash, created_at, created_by, revoked_at)
SELECT id, name, role, region, secret_hash, created_at, created_by, revoked_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE INDEX tokens_by_region ON tokens (region, id);
CREATE INDEX tokens_by_creator ON tokens (created_by) WHERE created_by IS NOT NULL;

CREATE TABLE tokens_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO tokens_version (id, version) VALUES (1, 0);

CREATE TRIGGER tokens_version_on_change AFTER UPDATE OF revoked_at, expires_at, role, region ON tokens
BEGIN UPDATE tokens_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER tokens_version_on_delete AFTER DELETE ON tokens
BEGIN UPDATE tokens_version SET version = version + 1 WHERE id = 1; END;

-- Settings of the privacy rules an admin may change through the API (values are whole numbers).
-- token_days_tksk / token_days_viewer: default lifetime of new tksk and viewer tokens (0: none).
-- access_log_days: how long the personal-data access log is kept.
-- name_fold_version: which NameSearch.fold the stored name_folded values were made with.
CREATE TABLE privacy_settings (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
) STRICT, WITHOUT ROWID;
INSERT INTO privacy_settings (key, value) VALUES
    ('token_days_tksk', 365),
    ('token_days_viewer', 365),
    ('access_log_days', 730),
    ('name_fold_version', 1);

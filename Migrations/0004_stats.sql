-- Dashboard rollups, kept by triggers in the same transaction as every write to the tables
-- they count, so an acknowledged write is in the very next read and no other part of Pilar
-- needs to know they exist. Each row is the sum over one region's subtree at one level
-- (depth 1 provinsi, 2 kabupaten/kota, 3 kecamatan): a national table by province reads
-- ~38 x 28 rows, a province's 12-month series 12 x 28, whatever the number of reports.
--
-- Columns v_* count verified reports only; s_* count submitted and verified ones (the
-- `status=submitted` view). Drafts and returned reports are not counted. Rows that drop to
-- zero stay (a replaced report usually puts them back); the queries skip zero groups.

CREATE TABLE stats_pmks (
    depth     INTEGER NOT NULL,
    period    TEXT NOT NULL,
    region    TEXT NOT NULL,
    category  TEXT NOT NULL,
    unit      TEXT NOT NULL,
    v_male    INTEGER NOT NULL DEFAULT 0,
    v_female  INTEGER NOT NULL DEFAULT 0,
    v_total   INTEGER NOT NULL DEFAULT 0,
    s_male    INTEGER NOT NULL DEFAULT 0,
    s_female  INTEGER NOT NULL DEFAULT 0,
    s_total   INTEGER NOT NULL DEFAULT 0,
    -- period before region: queries bind the months as an IN list, one seek per month, then
    -- scan the region's subtree (or hit the region itself).
    PRIMARY KEY (depth, period, region, category)
) STRICT, WITHOUT ROWID;

-- One signed change to the PMKS rollup; the INSTEAD OF trigger fans it out to the three
-- ancestors. Inserting into this view is the only way the line triggers touch stats_pmks.
CREATE VIEW stats_pmks_delta (kecamatan, period, category, status, sign, male, female, count) AS
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER stats_pmks_delta_apply INSTEAD OF INSERT ON stats_pmks_delta
BEGIN
    INSERT INTO stats_pmks (depth, period, region, category, unit,
                            v_male, v_female, v_total, s_male, s_female, s_total)
    SELECT a.depth, NEW.period, a.region, NEW.category,
           coalesce((SELECT unit FROM pmks_categories WHERE code = NEW.category),
                    CASE WHEN NEW.count IS NULL THEN 'person' ELSE 'household' END),
           v * m, v * f, v * t, m, f, t
    FROM (SELECT 1 AS depth, substr(NEW.kecamatan, 1, 2) AS region
          UNION ALL SELECT 2, substr(NEW.kecamatan, 1, 5)
          UNION ALL SELECT 3, NEW.kecamatan) AS a,
         (SELECT NEW.sign * coalesce(NEW.male, 0) AS m,
                 NEW.sign * coalesce(NEW.female, 0) AS f,
                 NEW.sign * (coalesce(NEW.male, 0) + coalesce(NEW.female, 0) + coalesce(NEW.count, 0)) AS t,
                 NEW.status = 'verified' AS v) AS d
    WHERE true  -- (an UPSERT after SELECT ... FROM needs a WHERE to parse)
    ON CONFLICT (depth, period, region, category) DO UPDATE SET
        v_male = v_male + excluded.v_male, v_female = v_female + excluded.v_female,
        v_total = v_total + excluded.v_total, s_male = s_male + excluded.s_male,
        s_female = s_female + excluded.s_female, s_total = s_total + excluded.s_total;
END;

CREATE TRIGGER stats_pmks_line_insert AFTER INSERT ON report_pmks_lines
WHEN NEW.in_total = 1 AND NEW.status IN ('submitted', 'verified')
BEGIN
    INSERT INTO stats_pmks_delta VALUES (NEW.kecamatan, NEW.period, NEW.category, NEW.status, 1,
                                         NEW.male, NEW.female, NEW.count);
END;

CREATE TRIGGER stats_pmks_line_delete AFTER DELETE ON report_pmks_lines
WHEN OLD.in_total = 1 AND OLD.status IN ('submitted', 'verified')
BEGIN
    INSERT INTO stats_pmks_delta VALUES (OLD.kecamatan, OLD.period, OLD.category, OLD.status, -1,
                                         OLD.male, OLD.female, OLD.count);
END;

-- Any column: the contract promises only status changes, but a changed count must not be missed.
CREATE TRIGGER stats_pmks_line_update AFTER UPDATE ON report_pmks_lines
BEGIN
    INSERT INTO stats_pmks_delta
        SELECT OLD.kecamatan, OLD.period, OLD.category, OLD.status, -1, OLD.male, OLD.female, OLD.count
        WHERE OLD.in_total = 1 AND OLD.status IN ('submitted', 'verified');
    INSERT INTO stats_pmks_delta
        SELECT NEW.kecamatan, NEW.period, NEW.category, NEW.status, 1, NEW.male, NEW.female, NEW.count
        WHERE NEW.in_total = 1 AND NEW.status IN ('submitted', 'verified');
END;

-- PSKS counts the TKSK reported, same shape (one count per type).
CREATE TABLE stats_psks_reported (
    depth     INTEGER NOT NULL,
    period    TEXT NOT NULL,
    region    TEXT NOT NULL,
    type      TEXT NOT NULL,
    v_count   INTEGER NOT NULL DEFAULT 0,
    s_count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (depth, period, region, type)
) STRICT, WITHOUT ROWID;

CREATE VIEW stats_psks_reported_delta (kecamatan, period, type, status, sign, count) AS
    SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER stats_psks_reported_delta_apply INSTEAD OF INSERT ON stats_psks_reported_delta
BEGIN
    INSERT INTO stats_psks_reported (depth, period, region, type, v_count, s_count)
    SELECT a.depth, NEW.period, a.region, NEW.type,
           (NEW.status = 'verified') * NEW.sign * NEW.count, NEW.sign * NEW.count
    FROM (SELECT 1 AS depth, substr(NEW.kecamatan, 1, 2) AS region
          UNION ALL SELECT 2, substr(NEW.kecamatan, 1, 5)
          UNION ALL SELECT 3, NEW.kecamatan) AS a
    WHERE true
    ON CONFLICT (depth, period, region, type) DO UPDATE SET
        v_count = v_count + excluded.v_count, s_count = s_count + excluded.s_count;
END;

CREATE TRIGGER stats_psks_counts_insert AFTER INSERT ON report_psks_counts
WHEN NEW.status IN ('submitted', 'verified')
BEGIN
    INSERT INTO stats_psks_reported_delta VALUES (NEW.kecamatan, NEW.period, NEW.type, NEW.status, 1, NEW.count);
END;

CREATE TRIGGER stats_psks_counts_delete AFTER DELETE ON report_psks_counts
WHEN OLD.status IN ('submitted', 'verified')
BEGIN
    INSERT INTO stats_psks_reported_delta VALUES (OLD.kecamatan, OLD.period, OLD.type, OLD.status, -1, OLD.count);
END;

CREATE TRIGGER stats_psks_counts_update AFTER UPDATE ON report_psks_counts
BEGIN
    INSERT INTO stats_psks_reported_delta
        SELECT OLD.kecamatan, OLD.period, OLD.type, OLD.status, -1, OLD.count
        WHERE OLD.status IN ('submitted', 'verified');
    INSERT INTO stats_psks_reported_delta
        SELECT NEW.kecamatan, NEW.period, NEW.type, NEW.status, 1, NEW.count
        WHERE NEW.status IN ('submitted', 'verified');
END;

-- Active registry records per type. A record may sit at any level (a Karang Taruna at a
-- desa, an LKS at a kabupaten), so each row keeps two sums: `subtree` (records in the
-- region or below) and `here` (records whose region, cut at kecamatan, is this one) - a
-- grouping by kecamatan under a kabupaten then shows the kabupaten's own records in a row of
-- their own and the rows still add up to the total. Rows exist for depths 1..min(depth, 3).
CREATE TABLE stats_psks (
    region    TEXT NOT NULL,
    type      TEXT NOT NULL,
    depth     INTEGER NOT NULL,
    subtree   INTEGER NOT NULL DEFAULT 0,
    here      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (depth, region, type)
) STRICT, WITHOUT ROWID;

CREATE VIEW stats_psks_delta (region, type, sign) AS SELECT NULL, NULL, NULL WHERE 0;

CREATE TRIGGER stats_psks_delta_apply INSTEAD OF INSERT ON stats_psks_delta
BEGIN
    INSERT INTO stats_psks (region, type, depth, subtree, here)
    SELECT a.region, NEW.type, a.depth, NEW.sign,
           NEW.sign * (a.depth = min((length(NEW.region) + 1) / 3, 3))
    FROM (SELECT 1 AS depth, substr(NEW.region, 1, 2) AS region
          UNION ALL SELECT 2, substr(NEW.region, 1, 5) WHERE length(NEW.region) >= 5
          UNION ALL SELECT 3, substr(NEW.region, 1, 8) WHERE length(NEW.region) >= 8) AS a
    WHERE true
    ON CONFLICT (depth, region, type) DO UPDATE SET
        subtree = subtree + excluded.subtree, here = here + excluded.here;
END;

CREATE TRIGGER stats_psks_insert AFTER INSERT ON psks
WHEN NEW.status = 'active'
BEGIN
    INSERT INTO stats_psks_delta VALUES (NEW.region, NEW.type, 1);
END;

CREATE TRIGGER stats_psks_delete AFTER DELETE ON psks
WHEN OLD.status = 'active'
BEGIN
    INSERT INTO stats_psks_delta VALUES (OLD.region, OLD.type, -1);
END;

CREATE TRIGGER stats_psks_update AFTER UPDATE OF status, type, region ON psks
BEGIN
    INSERT INTO stats_psks_delta SELECT OLD.region, OLD.type, -1 WHERE OLD.status = 'active';
    INSERT INTO stats_psks_delta SELECT NEW.region, NEW.type, 1 WHERE NEW.status = 'active';
END;

-- Records already in the registry when this migration runs (none on a new database).
INSERT INTO stats_psks_delta SELECT region, type, 1 FROM psks WHERE status = 'active';
INSERT INTO stats_pmks_delta
    SELECT kecamatan, period, category, status, 1, male, female, count FROM report_pmks_lines
    WHERE in_total = 1 AND status IN ('submitted', 'verified');
INSERT INTO stats_psks_reported_delta
    SELECT kecamatan, period, type, status, 1, count FROM report_psks_counts
    WHERE status IN ('submitted', 'verified');

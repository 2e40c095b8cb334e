-- TKSK monthly reports: the PMKS catalogue, reports with every version kept, the flat line
-- tables the dashboards' triggers count, and stored answers for Idempotency-Key retries.

-- The PMKS (PPKS) catalogue of CATALOG.md, in catalogue order; equal to PMKSCategory.all
-- (a test compares them). Retired codes stay so old files get a clear message.
CREATE TABLE pmks_categories (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    grp         TEXT NOT NULL,
    unit        TEXT NOT NULL CHECK (unit IN ('person', 'household', 'community')),
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    replaced_by TEXT REFERENCES pmks_categories (code),
    women_only  INTEGER NOT NULL DEFAULT 0 CHECK (women_only IN (0, 1))
) STRICT;

INSERT INTO pmks_categories (code, name, grp, unit, active, replaced_by, women_only) VALUES
    ('ABT', 'Anak Balita Terlantar', 'anak', 'person', 1, NULL, 0),
    ('AT', 'Anak Terlantar', 'anak', 'person', 1, NULL, 0),
    ('ABH', 'Anak yang Berhadapan dengan Hukum', 'anak', 'person', 1, NULL, 0),
    ('AJ', 'Anak Jalanan', 'anak', 'person', 1, NULL, 0),
    ('ADK', 'Anak dengan Kedisabilitasan', 'anak', 'person', 1, NULL, 0),
    ('AKTK', 'Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah', 'anak', 'person', 1, NULL, 0),
    ('AMPK', 'Anak yang Memerlukan Perlindungan Khusus', 'anak', 'person', 1, NULL, 0),
    ('LUT', 'Lanjut Usia Terlantar', 'lansia', 'person', 1, NULL, 0),
    ('PD', 'Penyandang Disabilitas', 'disabilitas', 'person', 1, NULL, 0),
    ('TS', 'Tuna Susila', 'tuna sosial', 'person', 1, NULL, 0),
    ('GLD', 'Gelandangan', 'tuna sosial', 'person', 1, NULL, 0),
    ('PGM', 'Pengemis', 'tuna sosial', 'person', 1, NULL, 0),
    ('PML', 'Pemulung', 'tuna sosial', 'person', 1, NULL, 0),
    ('KM', 'Kelompok Minoritas', 'tuna sosial', 'person', 1, NULL, 0),
    ('BWBLP', 'Bekas Warga Binaan Lembaga Pemasyarakatan', 'tuna sosial', 'person', 1, NULL, 0),
    ('ODHA', 'Orang dengan HIV/AIDS', 'tuna sosial', 'person', 1, NULL, 0),
    ('NAPZA', 'Korban Penyalahgunaan NAPZA', 'korban', 'person', 1, NULL, 0),
    ('KTR', 'Korban Trafficking', 'korban', 'person', 1, NULL, 0),
    ('KTK', 'Korban Tindak Kekerasan', 'korban', 'person', 1, NULL, 0),
    ('PMBS', 'Pekerja Migran Bermasalah Sosial', 'korban', 'person', 1, NULL, 0),
    ('KBA', 'Korban Bencana Alam', 'korban bencana', 'person', 1, NULL, 0),
    ('KBS', 'Korban Bencana Sosial', 'korban bencana', 'person', 1, NULL, 0),
    ('PRSE', 'Perempuan Rawan Sosial Ekonomi', 'perempuan', 'person', 1, NULL, 1),
    ('FM', 'Fakir Miskin', 'kemiskinan', 'household', 1, NULL, 0),
    ('KBSP', 'Keluarga Bermasalah Sosial Psikologis', 'keluarga', 'household', 1, NULL, 0),
    ('KAT', 'Komunitas Adat Terpencil', 'komunitas', 'community', 1, NULL, 0),
    ('KBTLH', 'Keluarga Berumah Tidak Layak Huni', 'keluarga', 'household', 1, NULL, 0),
    ('KR', 'Keluarga Rentan', 'keluarga', 'household', 1, NULL, 0),
    ('AN', 'Anak Nakal', 'anak', 'person', 0, 'ABH', 0),
    ('AC', 'Anak Cacat', 'anak', 'person', 0, 'ADK', 0),
    ('WRSE', 'Wanita Rawan Sosial Ekonomi', 'perempuan', 'person', 0, 'PRSE', 1),
    ('WKTK', 'Wanita Korban Tindak Kekerasan', 'korban', 'person', 0, 'KTK', 1),
    ('LUKTK', 'Lanjut Usia Korban Tindak Kekerasan', 'korban', 'person', 0, 'KTK', 0),
    ('PENCA', 'Penyandang Cacat', 'disabilitas', 'person', 0, 'PD', 0),
    ('PCBK', 'Penyandang Cacat Bekas Penderita Penyakit Kronis', 'disabilitas', 'person', 0, 'PD', 0),
    ('HIV', 'Penderita HIV/AIDS', 'tuna sosial', 'person', 0, 'ODHA', 0),
    ('PG', 'Pengemis', 'tuna sosial', 'person', 0, 'PGM', 0),
    ('GL', 'Gelandangan', 'tuna sosial', 'person', 0, 'GLD', 0),
    ('KPN', 'Korban Penyalahgunaan NAPZA', 'korban', 'person', 0, 'NAPZA', 0),
    ('BNP', 'Bekas Narapidana', 'tuna sosial', 'person', 0, 'BWBLP', 0),
    ('PM', 'Pekerja Migran Bermasalah Sosial', 'korban', 'person', 0, 'PMBS', 0),
    ('KFM', 'Keluarga Fakir Miskin', 'kemiskinan', 'household', 0, 'FM', 0);

-- One row per kecamatan and month: the report's current state. Its content lives in
-- report_versions (the row of `version`); every earlier version stays there.
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    kecamatan     TEXT NOT NULL REFERENCES regions (code),
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'returned')),
    version       INTEGER NOT NULL CHECK (version >= 1),
    -- Bumped by every change of content or status: the ETag.
    revision      INTEGER NOT NULL DEFAULT 1,
    due_at        TEXT NOT NULL,
    submitted_at  TEXT,
    verified_at   TEXT,
    late          INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    submitted_by  TEXT,
    verified_by   TEXT,
    returned_at   TEXT,
    returned_by   TEXT,
    -- The last return: the reason and per-field notes ([{field, message}] JSON) the TKSK sees.
    return_reason TEXT,
    return_notes  TEXT,
    -- Quality warnings computed at submit ([{field, code, message}] JSON); never block.
    warnings      TEXT NOT NULL DEFAULT '[]',
    -- 'api' or 'import' (backfilled history).
    source        TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'import')),
    UNIQUE (kecamatan, period)
) STRICT;

CREATE INDEX reports_by_period ON reports (period, kecamatan);
CREATE INDEX reports_by_status ON reports (status, kecamatan, period);

-- Every version's content (canonical JSON of pmks, psks, activities, notes) and why it exists.
CREATE TABLE report_versions (
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    version     INTEGER NOT NULL,
    content     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    -- Required when a verified report is revised; NULL for drafts.
    reason      TEXT,
    PRIMARY KEY (report_id, version)
) STRICT, WITHOUT ROWID;

-- What happened to a report, in order: created, replaced, submitted, returned, verified,
-- revised, imported. The history endpoint joins these to the versions.
CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    version     INTEGER NOT NULL,
    action      TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    token_id    INTEGER,
    reason      TEXT,
    notes       TEXT
) STRICT;

CREATE INDEX report_events_by_report ON report_events (report_id, id);

-- The current version's PMKS lines of every report, flat, with the report's current status
-- (contract in .notes/SCHEMA.md: the stats triggers count these rows).
CREATE TABLE report_pmks_lines (
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    kecamatan   TEXT NOT NULL,
    period      TEXT NOT NULL,
    status      TEXT NOT NULL,
    category    TEXT NOT NULL,
    desa        TEXT,
    male        INTEGER,
    female      INTEGER,
    count       INTEGER,
    in_total    INTEGER NOT NULL
) STRICT;

CREATE INDEX report_pmks_lines_by_report ON report_pmks_lines (report_id);
-- Quality checks read a kecamatan's last 12 months.
CREATE INDEX report_pmks_lines_by_kecamatan ON report_pmks_lines (kecamatan, period);

-- The current version's PSKS counts per type, same rules.
CREATE TABLE report_psks_counts (
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    kecamatan   TEXT NOT NULL,
    period      TEXT NOT NULL,
    status      TEXT NOT NULL,
    type        TEXT NOT NULL,
    count       INTEGER NOT NULL
) STRICT;

CREATE INDEX report_psks_counts_by_report ON report_psks_counts (report_id);

-- The first answer to a POST carrying an Idempotency-Key, replayed to a repeat. A repeat
-- with a different body is refused (body_hash).
CREATE TABLE idempotency_keys (
    token_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL,
    body        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (token_id, key, method, path)
) STRICT, WITHOUT ROWID;

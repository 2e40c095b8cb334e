-- Capacity building of PSKS (PSM empowerment): training programmes and their events with
-- participants, awards (PSM berprestasi ...), work equipment aid, and the PSM association
-- (IPSM) per kabupaten/kota and province with its members and board.

-- Programmes, extendable by admin. `psks_types` is a JSON array of the registry types it
-- serves. A completed participation is evidence for the registry criterion
-- (criterion_type, criterion) when set: PSM basic training -> PSM 'training' and so on.
CREATE TABLE training_programmes (
    code           TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    psks_types     TEXT NOT NULL,
    criterion_type TEXT,
    criterion      TEXT,
    position       INTEGER NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    FOREIGN KEY (criterion_type, criterion) REFERENCES psks_criteria (type, code),
    CHECK ((criterion_type IS NULL) = (criterion IS NULL))
) STRICT, WITHOUT ROWID;

INSERT INTO training_programmes (code, name, psks_types, criterion_type, criterion, position) VALUES
    ('PELATIHAN_DASAR_PSM', 'Pelatihan Dasar Pekerja Sosial Masyarakat', '["PSM"]', 'PSM', 'training', 1),
    ('PELATIHAN_LANJUT_PSM', 'Pelatihan Lanjutan/Spesialis Pekerja Sosial Masyarakat', '["PSM"]', NULL, NULL, 2),
    ('KEPEMIMPINAN_WPKS', 'Pelatihan Kepemimpinan Wanita di Bidang Kesejahteraan Sosial', '["WPKS"]', 'WPKS', 'training', 3),
    ('DIKLAT_PENYULUH', 'Diklat Fungsional Penyuluh Sosial', '["PENYULUH"]', 'PENYULUH', 'functional_training', 4),
    ('TAGANA_DASAR', 'Pelatihan Dasar Taruna Siaga Bencana', '["TAGANA"]', NULL, NULL, 5),
    ('BIMTEK_TKSK', 'Bimbingan Teknis Tenaga Kesejahteraan Sosial Kecamatan', '["TKSK"]', NULL, NULL, 6);

-- One event of a programme. Organised at kabkota (region = a kabupaten/kota), provinsi
-- (region = a province) or nasional (region NULL) level. A cancelled event is kept, and its
-- participations are evidence of nothing.
CREATE TABLE trainings (
    id         INTEGER PRIMARY KEY,
    programme  TEXT NOT NULL REFERENCES training_programmes (code),
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    level      TEXT NOT NULL CHECK (level IN ('kabkota', 'provinsi', 'nasional')),
    region     TEXT REFERENCES regions (code),
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    place      TEXT,
    status     TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    notes      TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK ((level = 'nasional') = (region IS NULL))
) STRICT;

CREATE INDEX trainings_by_region ON trainings (region, starts_on, id);
CREATE INDEX trainings_by_start ON trainings (starts_on, id);

-- Registry records taking part in an event. `completed` implies `attended`.
CREATE TABLE training_participants (
    training_id        INTEGER NOT NULL REFERENCES trainings (id),
    psks_id            INTEGER NOT NULL REFERENCES psks (id),
    attended           INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    completed          INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    certificate_number TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (training_id, psks_id),
    CHECK (completed = 0 OR attended = 1)
) STRICT, WITHOUT ROWID;

CREATE INDEX training_participants_by_psks ON training_participants (psks_id, training_id);

-- Kinds of recognition; extendable by admin like the programmes.
CREATE TABLE award_types (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
    name       TEXT NOT NULL,
    psks_types TEXT NOT NULL,
    position   INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;

INSERT INTO award_types (code, name, psks_types, position) VALUES
    ('PSM_BERPRESTASI', 'Pekerja Sosial Masyarakat Berprestasi', '["PSM"]', 1),
    ('TKSK_BERPRESTASI', 'Tenaga Kesejahteraan Sosial Kecamatan Berprestasi', '["TKSK"]', 2),
    ('TAGANA_BERPRESTASI', 'Taruna Siaga Bencana Berprestasi', '["TAGANA"]', 3),
    ('KARTAR_BERPRESTASI', 'Karang Taruna Berprestasi', '["KARTAR"]', 4),
    ('LKS_TERBAIK', 'Lembaga Kesejahteraan Sosial Terbaik', '["LKS"]', 5);

-- Recognition given to a registry record: the level that chose it, the year, the rank.
CREATE TABLE psks_awards (
    id         INTEGER PRIMARY KEY,
    psks_id    INTEGER NOT NULL REFERENCES psks (id),
    award      TEXT NOT NULL REFERENCES award_types (code),
    level      TEXT NOT NULL CHECK (level IN ('kabkota', 'provinsi', 'nasional')),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1945 AND 2100),
    rank       INTEGER CHECK (rank IS NULL OR rank BETWEEN 1 AND 1000),
    notes      TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX psks_awards_by_psks ON psks_awards (psks_id, year, id);
CREATE INDEX psks_awards_by_year ON psks_awards (year, psks_id);
CREATE UNIQUE INDEX psks_awards_once ON psks_awards (psks_id, award, level, year);

-- Work equipment aid given to a registry record (items, date, source of funds).
CREATE TABLE psks_equipment (
    id         INTEGER PRIMARY KEY,
    psks_id    INTEGER NOT NULL REFERENCES psks (id),
    item       TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 200),
    quantity   INTEGER NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000000),
    given_on   TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('apbn', 'apbd_provinsi', 'apbd_kabkota', 'csr', 'other')),
    notes      TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX psks_equipment_by_psks ON psks_equipment (psks_id, given_on, id);

-- The PSM association (Ikatan Pekerja Sosial Masyarakat): one per province and per
-- kabupaten/kota, an institution with its members (PSM records) and board.
CREATE TABLE ipsm (
    id                  INTEGER PRIMARY KEY,
    region              TEXT NOT NULL UNIQUE REFERENCES regions (code),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address             TEXT,
    registration_number TEXT,
    established_on      TEXT,
    notes               TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE ipsm_members (
    ipsm_id    INTEGER NOT NULL REFERENCES ipsm (id),
    psks_id    INTEGER NOT NULL REFERENCES psks (id),
    role       TEXT NOT NULL DEFAULT 'anggota'
               CHECK (role IN ('ketua', 'wakil_ketua', 'sekretaris', 'bendahara', 'anggota')),
    since      TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (ipsm_id, psks_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX ipsm_members_by_psks ON ipsm_members (psks_id);
-- One ketua, one sekretaris ... per association; anggota unlimited.
CREATE UNIQUE INDEX ipsm_one_per_board_role ON ipsm_members (ipsm_id, role) WHERE role <> 'anggota';

-- The PSKS registry: the twelve types of Permensos No. 8 Tahun 2012 with their criteria, and
-- the register each Dinas Sosial kabupaten/kota keeps of people and institutions.

-- The catalogue, seeded with exactly PSKSType.all (a test checks they agree). `fields` and
-- `subtypes` are JSON arrays; `fields` is PSKSType.allFields plus what the registry adds
-- (TKSK: assigned_kecamatan). Entries in use are retired (active = 0), never deleted.
CREATE TABLE psks_types (
    code     TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 20),
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('person', 'institution', 'family', 'network')),
    fields   TEXT NOT NULL,
    subtypes TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;

-- Criteria in the words of the source documents; `checked` ones the service enforces.
CREATE TABLE psks_criteria (
    type     TEXT NOT NULL REFERENCES psks_types (code),
    code     TEXT NOT NULL,
    text     TEXT NOT NULL,
    checked  INTEGER NOT NULL CHECK (checked IN (0, 1)),
    subtype  TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (type, code)
) STRICT, WITHOUT ROWID;

INSERT INTO psks_types (code, name, kind, fields, subtypes, position, active) VALUES
    ('PEKSOS', 'Pekerja Sosial Profesional', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes","certificate_number"]', '[]', 1, 1),
    ('PSM', 'Pekerja Sosial Masyarakat', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes","training_completed_on"]', '[]', 2, 1),
    ('TAGANA', 'Taruna Siaga Bencana', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes"]', '[]', 3, 1),
    ('LKS', 'Lembaga Kesejahteraan Sosial', 'institution', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 4, 1),
    ('KARTAR', 'Karang Taruna', 'institution', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 5, 1),
    ('LK3', 'Lembaga Konsultasi Kesejahteraan Keluarga', 'institution', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 6, 1),
    ('KELPIONER', 'Keluarga Pioner', 'family', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 7, 1),
    ('WKSBM', 'Wahana Kesejahteraan Sosial Berbasis Masyarakat', 'network', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 8, 1),
    ('WPKS', 'Wanita Pemimpin Kesejahteraan Sosial', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes","training_completed_on"]', '[]', 9, 1),
    ('PENYULUH', 'Penyuluh Sosial', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes","subtype","rank","extension_experience_years","training_completed_on"]', '["fungsional","masyarakat"]', 10, 1),
    ('TKSK', 'Tenaga Kesejahteraan Sosial Kecamatan', 'person', '["name","nik","sex","birth_date","education","region","phone","status","registered_on","notes","sk_number","assigned_kecamatan"]', '[]', 11, 1),
    ('DUNIAUSAHA', 'Dunia Usaha', 'institution', '["name","address","region","legal_entity","registration_number","head","phone","status","registered_on","notes"]', '[]', 12, 1);

INSERT INTO psks_criteria (type, code, text, checked, subtype, position) VALUES
    ('PEKSOS', 'certified', 'certified as a professional social worker (certificate number)', 1, NULL, 1),
    ('PEKSOS', 'practice', 'practises social work', 0, NULL, 2),
    ('PSM', 'citizen', 'Indonesian citizen', 0, NULL, 1),
    ('PSM', 'min_age', 'age at least 18', 1, NULL, 2),
    ('PSM', 'pancasila', 'loyal to Pancasila and UUD 1945', 0, NULL, 3),
    ('PSM', 'willing', 'willing to serve', 0, NULL, 4),
    ('PSM', 'conduct', 'good conduct', 0, NULL, 5),
    ('PSM', 'healthy', 'healthy', 0, NULL, 6),
    ('PSM', 'training', 'completed PSM training (date)', 1, NULL, 7),
    ('PSM', 'karang_taruna', 'earlier a Karang Taruna member', 0, NULL, 8),
    ('PSM', 'desa_based', 'based in a desa/kelurahan', 1, NULL, 9),
    ('TAGANA', 'age', 'age 18 to 40', 1, NULL, 1),
    ('TAGANA', 'disaster_skills', 'disaster knowledge and skills', 0, NULL, 2),
    ('TAGANA', 'willing_training', 'willing to take disaster training', 0, NULL, 3),
    ('TAGANA', 'devout', 'devout', 0, NULL, 4),
    ('TAGANA', 'pancasila', 'loyal to Pancasila and UUD 1945', 0, NULL, 5),
    ('LKS', 'identity', 'clear name, structure and address', 1, NULL, 1),
    ('LKS', 'board_programme', 'board and work programme', 0, NULL, 2),
    ('LKS', 'legal_entity', 'with or without legal entity (recorded)', 0, NULL, 3),
    ('LKS', 'welfare_work', 'works in social welfare', 0, NULL, 4),
    ('KARTAR', 'desa_based', 'youth organisation seated in a desa/kelurahan', 1, NULL, 1),
    ('KARTAR', 'members', 'members aged 13 to 45 living in the desa', 0, NULL, 2),
    ('KARTAR', 'organisation', 'name, address, structure and board', 0, NULL, 3),
    ('KARTAR', 'passive_membership', 'passive membership', 0, NULL, 4),
    ('LK3', 'services', 'social organisation giving counselling, consultation, information, advocacy and referral', 0, NULL, 1),
    ('LK3', 'founded', 'formally founded', 0, NULL, 2),
    ('LK3', 'staff', 'has a structure, social workers and professional staff', 0, NULL, 3),
    ('KELPIONER', 'functions', 'a family that performs its functions', 0, NULL, 1),
    ('KELPIONER', 'role_model', 'is a role model', 0, NULL, 2),
    ('KELPIONER', 'whole', 'keeps itself whole with positive behaviour', 0, NULL, 3),
    ('KELPIONER', 'passes_on', 'passes it on to other families', 0, NULL, 4),
    ('WKSBM', 'community_based', 'associations and groups growing in an RT/RW/kampung/desa/kelurahan/nagari/banjar or adat area', 0, NULL, 1),
    ('WKSBM', 'network', 'a social network there', 0, NULL, 2),
    ('WKSBM', 'cooperation', 'working together for social welfare', 0, NULL, 3),
    ('WPKS', 'woman', 'a woman', 1, NULL, 1),
    ('WPKS', 'age', 'age 18 to 59', 1, NULL, 2),
    ('WPKS', 'education', 'education at least SLTP', 1, NULL, 3),
    ('WPKS', 'leader', 'recognised leader', 0, NULL, 4),
    ('WPKS', 'training', 'completed women''s leadership training in social welfare', 0, NULL, 5),
    ('WPKS', 'leads_welfare', 'leads welfare work by women in her area', 0, NULL, 6),
    ('PENYULUH', 'pns', 'civil servant (PNS)', 0, 'fungsional', 1),
    ('PENYULUH', 'degree', 'degree S1/D4', 1, 'fungsional', 2),
    ('PENYULUH', 'rank', 'rank at least Penata Muda III/a', 1, 'fungsional', 3),
    ('PENYULUH', 'experience', 'at least 2 years of extension experience', 1, 'fungsional', 4),
    ('PENYULUH', 'functional_training', 'passed functional training', 0, 'fungsional', 5),
    ('PENYULUH', 'max_age', 'age at most 50', 1, 'fungsional', 6),
    ('PENYULUH', 'dp3', 'DP-3 rating at least "baik"', 0, 'fungsional', 7),
    ('PENYULUH', 'community_figure', 'community figure (religious, adat, women''s, youth leader, PSM, Tagana, TKSK, PKH, LK3 staff, village head)', 0, 'masyarakat', 8),
    ('PENYULUH', 'education', 'education at least SLTP', 1, 'masyarakat', 9),
    ('PENYULUH', 'age', 'age 25 to 60', 1, 'masyarakat', 10),
    ('TKSK', 'community', 'from the community', 0, NULL, 1),
    ('TKSK', 'domicile', 'lives in the kecamatan assigned', 1, NULL, 2),
    ('TKSK', 'education', 'education at least SLTA', 1, NULL, 3),
    ('TKSK', 'education_preferred', 'D3/S1 preferred', 0, NULL, 4),
    ('TKSK', 'activist_preferred', 'Karang Taruna or PSM activist preferred', 0, NULL, 5),
    ('TKSK', 'age', 'age 25 to 50', 1, NULL, 6),
    ('TKSK', 'healthy', 'healthy', 0, NULL, 7),
    ('TKSK', 'sk', 'SK issued by the Ministry of Social Affairs (number)', 1, NULL, 8),
    ('TKSK', 'one_per_kecamatan', 'one active TKSK per kecamatan', 1, NULL, 9),
    ('DUNIAUSAHA', 'business', 'a business, state- or region-owned enterprise or entrepreneur', 0, NULL, 1),
    ('DUNIAUSAHA', 'takes_part', 'takes part in social welfare and helps handle social problems', 0, NULL, 2);

-- One record of the register. Persons use nik/sex/birth_date/education; institutions,
-- families and networks use address/legal_entity/registration_number/head. Dates are
-- 'YYYY-MM-DD'; region codes dotted. `name_folded` is NameSearch.fold(name) for the
-- case- and accent-insensitive prefix search. `kecamatan` is the kecamatan a TKSK is
-- assigned to (for the one-active-TKSK rule), else the region's kecamatan (NULL above it).
-- `version` goes up by one on every change and makes the record's ETag.
CREATE TABLE psks (
    id                         INTEGER PRIMARY KEY,
    type                       TEXT NOT NULL REFERENCES psks_types (code),
    subtype                    TEXT,
    name                       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_folded                TEXT NOT NULL,
    nik                        TEXT CHECK (nik IS NULL OR length(nik) = 16),
    sex                        TEXT CHECK (sex IN ('male', 'female')),
    birth_date                 TEXT,
    education                  TEXT,
    region                     TEXT NOT NULL REFERENCES regions (code),
    kecamatan                  TEXT,
    phone                      TEXT,
    address                    TEXT,
    legal_entity               INTEGER CHECK (legal_entity IN (0, 1)),
    registration_number        TEXT,
    head                       TEXT,
    certificate_number         TEXT,
    training_completed_on      TEXT,
    rank                       TEXT,
    extension_experience_years INTEGER,
    sk_number                  TEXT,
    status                     TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    registered_on              TEXT NOT NULL,
    ended_on                   TEXT,
    end_reason                 TEXT,
    notes                      TEXT,
    version                    INTEGER NOT NULL DEFAULT 1,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    CHECK ((status = 'inactive') = (ended_on IS NOT NULL))
) STRICT;

-- Search: one index per filter, each ending in the list's sort key (region, id) so a page is
-- read in order from the index and keyset pagination never sorts (BENCHMARKS.md has the plans).
-- The other filters ride along at the end of each index, so SQLite rejects rows on the index
-- entry without reading the table row (a name prefix in a small province went 8 -> 1 ms).
CREATE INDEX psks_by_region ON psks (region, id);
CREATE INDEX psks_by_type ON psks (type, region, id, status, education);
CREATE INDEX psks_by_status ON psks (status, region, id, type, education);
CREATE INDEX psks_by_education ON psks (education, region, id, type, status);
-- q: name prefix, sorted by name.
CREATE INDEX psks_by_name ON psks (name_folded, id, region, type, status, education);
-- Natural keys: NIK for persons (import, duplicate check), type + region + name for the rest.
CREATE INDEX psks_by_nik ON psks (nik, type) WHERE nik IS NOT NULL;
CREATE INDEX psks_by_identity ON psks (type, region, name_folded);
-- The rules the database keeps even if a code path forgets them.
CREATE UNIQUE INDEX psks_active_nik ON psks (type, nik) WHERE status = 'active' AND nik IS NOT NULL;
CREATE UNIQUE INDEX psks_one_active_tksk ON psks (kecamatan) WHERE type = 'TKSK' AND status = 'active';

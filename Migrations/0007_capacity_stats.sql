-- The capacity dashboard (GET /v1/stats/capacity) at national scale. One index over the
-- registry serves its two per-record reads without touching table rows:
--   PSM coverage: for each desa/kelurahan, "is there an active PSM whose region is this desa"
--                 is one seek (status, region, type);
--   trained:      the active records with an attested training_completed_on, in a subtree,
--                 are a range of it with the date in the entry.
CREATE INDEX psks_capacity ON psks (status, region, type, training_completed_on);

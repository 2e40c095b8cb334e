-- Idempotency-Key replays keep what the domain answered, not an HTTP response: the outcome
-- (created, replaced, unchanged, updated) and the version tag of the report. PilarAPI turns
-- them into a status and headers on a replay exactly as it does for the first answer. Rows
-- stored before kept a status and a JSON object of headers ({"ETag": "\"r1.2\""}); they are
-- converted here, so a retry across this upgrade still gets its first answer.
ALTER TABLE idempotency_keys ADD COLUMN outcome TEXT NOT NULL DEFAULT 'updated'
    CHECK (outcome IN ('created', 'replaced', 'unchanged', 'updated'));
ALTER TABLE idempotency_keys ADD COLUMN version_tag TEXT;
UPDATE idempotency_keys
SET outcome = CASE status WHEN 201 THEN 'created' ELSE 'updated' END,
    version_tag = trim(json_extract(headers, '$.ETag'), '"');
ALTER TABLE idempotency_keys DROP COLUMN status;
ALTER TABLE idempotency_keys DROP COLUMN headers;

-- data_version was bumped (an UPDATE and a SELECT) in every write transaction, once for the
-- dashboards' ETags; those derive from stats_version (0006) since. What remained was a
-- /metrics counter, now counted in memory (pilar_writes_committed_total).
DROP TABLE data_version;

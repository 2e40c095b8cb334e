-- Import jobs (`Prefer: respond-async` on a big import): who started each, its state and, once
-- finished, its answer. A job runs in the service's memory; this row is what outlives it. A
-- service that starts finds its jobs still `running` and marks them `failed` (the process
-- that ran them is gone): an all-or-nothing import saved nothing, an on_error=skip import kept
-- the batches committed before, and the same file sent again is idempotent.
CREATE TABLE import_jobs (
    id           TEXT PRIMARY KEY,
    token_id     INTEGER,
    -- psks, wilayah, laporan, kehadiran: the import's own words, as in the rejected-rows file.
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    rows_done    INTEGER NOT NULL DEFAULT 0,
    -- The HTTP status and JSON body the import would have answered synchronously.
    status       INTEGER,
    answer       TEXT
) STRICT;

CREATE INDEX import_jobs_by_token ON import_jobs (token_id, started_at);

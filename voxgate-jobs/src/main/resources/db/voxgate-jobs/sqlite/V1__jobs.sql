-- Voxgate's own record of batch jobs (what the API shows). JobRunr keeps its queue in its own
-- jobrunr_* tables, which it creates itself.
-- Times are epoch milliseconds (UTC) in both vendors' schemas, so one repository serves both
-- without driver-specific date handling, and ordering by time is exact.
CREATE TABLE jobs (
    id                TEXT    PRIMARY KEY,
    status            TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress          INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    engine            TEXT,
    language          TEXT,
    requested_formats TEXT    NOT NULL,
    display_name      TEXT    NOT NULL,
    detected_format   TEXT,
    size_bytes        INTEGER NOT NULL,
    duration_seconds  REAL,
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER,
    error_code        TEXT,
    error_message     TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    upload_key        TEXT,
    result_keys       TEXT,
    worker_id         TEXT,
    -- The queue attempt (1, 2, …) that holds a running job; a later attempt may take over a row
    -- left running by a dead node, an earlier one never can.
    run_attempt       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_created ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_by_status_finished ON jobs (status, finished_at);
CREATE INDEX jobs_by_upload ON jobs (upload_key);

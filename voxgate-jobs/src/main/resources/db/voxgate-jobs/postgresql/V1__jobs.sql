-- Voxgate's own record of batch jobs (what the API shows). JobRunr keeps its queue in its own
-- jobrunr_* tables, which it creates itself.
-- Times are epoch milliseconds (UTC) in both vendors' schemas, so one repository serves both
-- without driver-specific date handling, and ordering by time is exact.
CREATE TABLE jobs (
    id                VARCHAR(36)      PRIMARY KEY,
    status            VARCHAR(16)      NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress          INTEGER          NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    engine            VARCHAR(64),
    language          VARCHAR(64),
    requested_formats VARCHAR(64)      NOT NULL,
    display_name      TEXT             NOT NULL,
    detected_format   VARCHAR(64),
    size_bytes        BIGINT           NOT NULL,
    duration_seconds  DOUBLE PRECISION,
    created_at        BIGINT           NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT,
    error_code        VARCHAR(64),
    error_message     TEXT,
    attempts          INTEGER          NOT NULL DEFAULT 0,
    upload_key        VARCHAR(512),
    result_keys       TEXT,
    worker_id         VARCHAR(255),
    -- The queue attempt (1, 2, …) that holds a running job; a later attempt may take over a row
    -- left running by a dead node, an earlier one never can.
    run_attempt       INTEGER          NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_created ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_by_status_finished ON jobs (status, finished_at);
CREATE INDEX jobs_by_upload ON jobs (upload_key);

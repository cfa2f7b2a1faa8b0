-- The project's own record of batch jobs; JobRunr keeps its queue in its own tables.
-- One script for both databases: SQLite takes BIGINT and DOUBLE PRECISION by type affinity.
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    status          TEXT    NOT NULL,
    progress        INTEGER NOT NULL DEFAULT 0,
    engine          TEXT,
    language        TEXT,
    formats         TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    file_format     TEXT    NOT NULL,
    size_bytes      BIGINT NOT NULL,
    audio_seconds   DOUBLE PRECISION,
    created_at      TEXT    NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    error_code      TEXT,
    error_message   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    upload_key      TEXT,
    result_prefix   TEXT,
    node            TEXT
);
CREATE INDEX jobs_created ON jobs (created_at DESC);

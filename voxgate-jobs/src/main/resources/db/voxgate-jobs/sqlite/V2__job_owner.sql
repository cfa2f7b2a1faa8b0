-- Jobs belong to the API key that submitted them (its id); NULL for a job made while the server ran
-- open (no API_KEYS_FILE), which then no key sees. Listing one owner's jobs newest first reads the
-- index in order, and counting them reads only its entries.
ALTER TABLE jobs ADD COLUMN owner TEXT;
CREATE INDEX jobs_by_owner_created ON jobs (owner, created_at DESC, id DESC);

-- The caseworker group: each case has its own forum topic (message_thread_id), and who claimed it.
ALTER TABLE cases ADD COLUMN thread_id INTEGER;
ALTER TABLE cases ADD COLUMN claimed_by TEXT;
CREATE INDEX IF NOT EXISTS cases_thread ON cases (thread_id);

-- Cases: a person handed off to caseworkers. One open case per person; a new handoff while it is open raises
-- its priority if more urgent. The transcript is the person's recent messages, for the caseworker.
CREATE TABLE IF NOT EXISTS cases (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_key    TEXT NOT NULL,
  channel     TEXT NOT NULL,
  lang        TEXT NOT NULL,
  country     TEXT,
  category    TEXT NOT NULL,
  priority    INTEGER NOT NULL,            -- 1 (danger, self-harm, child alone) .. 3 (asked for a person)
  status      TEXT NOT NULL,               -- open | claimed | closed
  transcript  TEXT NOT NULL,               -- JSON [{at, text}]
  opened_at   TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  closed_at   TEXT
);
CREATE INDEX IF NOT EXISTS cases_queue ON cases (status, priority, opened_at);
CREATE INDEX IF NOT EXISTS cases_user ON cases (user_key, status);

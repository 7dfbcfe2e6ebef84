-- Brújula schema, shared by the SQLite adapter (Node) and D1 (Workers).
-- People are identified only by a keyed hash of their channel id (user_key); no phone numbers here.

CREATE TABLE IF NOT EXISTS users (
  user_key   TEXT PRIMARY KEY,
  channel    TEXT NOT NULL,
  state      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  type     TEXT NOT NULL,
  user_key TEXT NOT NULL,
  channel  TEXT NOT NULL,
  at       TEXT NOT NULL,
  data     TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS events_user ON events (user_key);
CREATE INDEX IF NOT EXISTS events_type_at ON events (type, at);

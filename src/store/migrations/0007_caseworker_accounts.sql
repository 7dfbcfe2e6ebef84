-- Caseworker accounts for the web dashboard (created with `npm run caseworker:add`), their sessions, and failed
-- sign-ins (for rate limiting). Passwords are stored as scrypt hashes; session tokens as SHA-256 hashes.
CREATE TABLE IF NOT EXISTS caseworkers (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,      -- caseworker | supervisor
  lang          TEXT NOT NULL,      -- interface language: es | en | fr
  created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash    TEXT PRIMARY KEY,
  caseworker_id INTEGER NOT NULL,
  csrf          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_failures (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  key  TEXT NOT NULL,               -- "user:<name>" and "ip:<address>"
  at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_failures_key ON signin_failures (key, at);

-- Channels: every inbound message is stored once (dedupe on the provider's id), every reply goes through the
-- outbox before the webhook is acknowledged, and contacts remember where to reach a person and when they last
-- wrote (WhatsApp's 24-hour window). Addresses (phone numbers, Telegram chat ids) live only in `contacts` and
-- in outbox rows, because a reply cannot be delivered without them.

CREATE TABLE IF NOT EXISTS inbound (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  channel     TEXT NOT NULL,
  external_id TEXT NOT NULL,
  user_key    TEXT NOT NULL,
  text        TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (channel, external_id)
);
CREATE INDEX IF NOT EXISTS inbound_user ON inbound (user_key);

CREATE TABLE IF NOT EXISTS contacts (
  user_key        TEXT NOT NULL,
  channel         TEXT NOT NULL,
  address         TEXT NOT NULL,
  last_inbound_at TEXT NOT NULL,
  PRIMARY KEY (user_key, channel)
);

CREATE TABLE IF NOT EXISTS outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  channel         TEXT NOT NULL,
  user_key        TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL,          -- pending | sending | sent | failed | held
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,          -- pending: when due; sending: when the lease expires
  created_at      TEXT NOT NULL,
  sent_at         TEXT,
  provider_id     TEXT,
  delivery        TEXT,                   -- the provider's last delivery status (Twilio status callbacks)
  last_error      TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_user ON outbox (user_key, id);
CREATE INDEX IF NOT EXISTS outbox_provider ON outbox (provider_id);

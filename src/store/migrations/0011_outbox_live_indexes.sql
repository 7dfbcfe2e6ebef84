-- The outbox's lookup indexes hold only the rows they are for, so a delivered reply leaves them instead of moving
-- within them (and they stay small however long the outbox's history): the head-of-queue check of the sender
-- covers pending and sending items, the window release held ones, the delivery reports sent ones with a provider
-- id. Each lookup's condition names its index's exactly, which is how SQLite knows it may use a partial index (the
-- sender's is headOfQueue in src/store/rows.ts).
DROP INDEX IF EXISTS outbox_heads;
CREATE INDEX IF NOT EXISTS outbox_heads ON outbox (status, user_key, id) WHERE status IN ('pending', 'sending');
DROP INDEX IF EXISTS outbox_provider;
CREATE INDEX IF NOT EXISTS outbox_provider ON outbox (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_held ON outbox (user_key, channel) WHERE status = 'held';

-- Finding each person's oldest unsent reply (the outbox's per-person head) without scanning the whole queue.
CREATE INDEX IF NOT EXISTS outbox_heads ON outbox (status, user_key, id);

-- Retention: the purge finds old message text by when it arrived.
CREATE INDEX IF NOT EXISTS inbound_received ON inbound (received_at);

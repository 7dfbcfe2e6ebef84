-- Who did what to each case (claimed, replied, closed, re-announced), and when an unclaimed P1 case was last
-- announced again to the caseworkers.
ALTER TABLE cases ADD COLUMN announced_at TEXT;
CREATE TABLE IF NOT EXISTS case_audit (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  actor   TEXT NOT NULL,      -- "telegram:<caseworker id>", "system"
  action  TEXT NOT NULL,      -- opened | claimed | replied | closed | reannounced
  at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_audit_case ON case_audit (case_id, id);

-- Private notes of caseworkers on a case (never sent to the person).
CREATE TABLE IF NOT EXISTS case_notes (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL,
  author  TEXT NOT NULL,
  text    TEXT NOT NULL,
  at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_notes_case ON case_notes (case_id, id);

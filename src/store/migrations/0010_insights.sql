-- Insights: questions Brújula could not answer (fallbacks, clarifications left open, answers rated "not useful"),
-- redacted by the engine and sealed by the store (unanswered.text), tied to nobody: no user key, a day and no time
-- (nothing to match against an inbound row). Kept RETENTION_DAYS; an answer waiting for its rating ("answered")
-- about a day.
CREATE TABLE IF NOT EXISTS unanswered (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  kind   TEXT NOT NULL,   -- fallback | clarify | not_useful | answered (an answer awaiting its rating: never listed)
  lang   TEXT NOT NULL,
  intent TEXT,            -- fallback: nearest intent; clarify: first option; answered / not_useful: the answer given
  score  REAL,            -- the matcher's score for `intent`
  text   TEXT NOT NULL,   -- redacted, sealed
  day    TEXT NOT NULL,   -- YYYY-MM-DD (UTC)
  token  TEXT UNIQUE      -- while the person's next turn may settle it (ConversationState.pending); else NULL
);
CREATE INDEX IF NOT EXISTS unanswered_lang_day ON unanswered (lang, day);

/**
 * Redaction of the questions Brújula keeps for the content team (fallbacks, open clarifications, answers rated
 * "not useful"). Whatever could point at a person goes before the text is stored: links, emails, @handles, every
 * number (phone numbers, amounts, dates, document numbers) and the words after "my name is" in the five languages.
 * Over-redacting is the safe side: a question stays useful without its numbers and names.
 */

/** Kept questions are short; a long message is cut (a pasted story is not a question). */
export const MAX_QUESTION_CHARS = 300;

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * With a scheme or "www.", a domain with a path ("wa.me/…") or a bare domain with a common ending
 * ("migracion.gob.pa", "bit.ly"). Not "miedo.es": people often miss the space after a full stop.
 */
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+\/\S*|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:com|org|net|gob|gov|edu|info|io|ly)(?:\.[a-z]{2})?\b/giu;
const HANDLE = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]+/gu;
/** A run of digits, with the separators phone numbers, amounts and dates use between them. */
const NUMBER = /\+?\p{Nd}(?:[\s+\-.,()/]*\p{Nd})*/gu;

/** Phrases introducing a name ("’" and accents optional, any case). */
const NAME_PHRASES = [
  "me llamo", "mi nombre es", "my name is", "my name's", "je m'appelle", "mon nom est", "mwen rele", "m rele",
  "non mwen se", "meu nome é", "me chamo",
];
/** Words that end a name: "me llamo Ana y tengo…". */
const NAME_STOPS = new Set(["y", "e", "and", "et", "ak", "epi", "pero", "but", "mais", "men", "mas"]);
const MAX_NAME_WORDS = 3;

const ACCENTS: Record<string, string> = { a: "aáàâãä", e: "eéèêë", i: "iíìîï", o: "oóòôõö", u: "uúùûü", n: "nñ", c: "cç" };

/** The phrase as a pattern that ignores accents and case, with any apostrophe (or a space instead) and any spacing. */
function phrasePattern(phrase: string): string {
  return Array.from(phrase.normalize("NFD").replace(/\p{M}/gu, ""))
    .map((ch) => (ch === " " ? "\\s+" : ch === "'" ? "(?:\\s*['’ʼ`]\\s*|\\s+)" : ACCENTS[ch] ? `[${ACCENTS[ch]}]` : ch))
    .join("");
}

const NAME_INTRO = new RegExp(`(?<![\\p{L}\\p{N}])(?:${NAME_PHRASES.map(phrasePattern).join("|")})(?![\\p{L}\\p{N}])`, "giu");
/** The first word may follow a colon ("mi nombre es: Ana"); the next ones only spaces (punctuation ends the name). */
const FIRST_NAME_WORD = /[\s:=-]+([\p{L}\p{M}][\p{L}\p{M}'’ʼ-]*)/uy;
const NAME_WORD = /\s+([\p{L}\p{M}][\p{L}\p{M}'’ʼ-]*)/uy;

function fold(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Up to three words after each name phrase become "[name]", stopping at punctuation or "and". */
function redactNames(text: string): string {
  let out = "";
  let from = 0;
  for (const intro of text.matchAll(NAME_INTRO)) {
    const start = intro.index + intro[0].length;
    if (start < from) continue;
    let end = start;
    for (let words = 0; words < MAX_NAME_WORDS; words++) {
      const pattern = words === 0 ? FIRST_NAME_WORD : NAME_WORD;
      pattern.lastIndex = end;
      const word = pattern.exec(text);
      if (!word || NAME_STOPS.has(fold(word[1]!))) break;
      end = pattern.lastIndex;
    }
    if (end === start) continue;
    out += `${text.slice(from, start)} [name]`;
    from = end;
  }
  return out + text.slice(from);
}

/** Only the start of a message is read (what is kept is shorter still): the patterns stay fast on any paste. */
const MAX_READ_CHARS = 2 * MAX_QUESTION_CHARS;

/** The text with links, emails, handles, numbers and names replaced by placeholders, on one line, cut short. */
export function redact(text: string): string {
  // Cut at a whole character (never half of a surrogate pair).
  const head = text.length > MAX_READ_CHARS ? text.slice(0, MAX_READ_CHARS).replace(/[\uD800-\uDBFF]$/, "") : text;
  const redacted = redactNames(
    head
      .normalize("NFC")
      .replace(EMAIL, "[email]")
      .replace(URL, "[link]")
      .replace(HANDLE, "[@]")
      .replace(NUMBER, "[number]"),
  )
    .replace(/\s+/g, " ")
    .trim();
  const chars = Array.from(redacted);
  return chars.length > MAX_QUESTION_CHARS ? `${chars.slice(0, MAX_QUESTION_CHARS - 1).join("")}…` : redacted;
}

const PLACEHOLDER = /\[(?:email|link|@|number|name)\]/g;

/** The redacted question, or null when nothing worth reading is left (no word of two letters besides placeholders). */
export function redactQuestion(text: string): string | null {
  const redacted = redact(text);
  return /\p{L}{2,}/u.test(redacted.replace(PLACEHOLDER, " ")) ? redacted : null;
}

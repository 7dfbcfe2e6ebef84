/**
 * Text that has broken chat software before, in one place for the property tests and `npm run fuzz`: NUL, lone
 * surrogates, right-to-left and bidi overrides, zero-width joiners, emoji sequences, stacked combining marks,
 * characters with a meaning in forms, JSON, HTML or templates, and words that move the conversation (commands,
 * numbers, yes/no, a cry for help) so the engine's states are reached too. Made-up words only, no personal data.
 */
export const HOSTILE_PIECES: readonly string[] = [
  "\u0000", "\uD800", "\uDFFF", "\uDBFF\uDFFF", "\uDC00\uD800", "\u200D", "\u200B", "\u200E", "\u200F", "\u202E", "\u2066", "\uFEFF", "\uFFFD", "\uFFFF",
  "مرحبا، أحتاج مساعدة", "שלום עזרה", "\u202Eadyua\u202C", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🆘", "🙏🏽", "🇭🇹🇵🇦", "❤️‍🔥", "e\u0301\u0301\u0301\u0301", "Z̴̡̪̫͖͔̈́̓a̸̢̛l̷g̵o", "\u0301\u0308",
  "ａｙｕｄａ", "ǍǏǑ", "ß", "İ", "\r\n", "\t", "\u0085", "\u2028", "%00", "%", "%zz", "&", "=", "+", "\\", "\"", "'", "<script>", "]]>", "{{numbers}}",
  "${x}", "__proto__", "constructor", "null", "-1", "1e400", "NaN",
  "ayuda", "asilo", "me quieren matar", "darien", "1", "2", "9", "0", "menu", "MORE", "/start", "/delete", "/human@brujula_bot", "si", "no", "bot",
  "english", "kreyol", "Costa Rica", "estoy en panama", "mwen bezwen èd", "preciso de ajuda", "j'ai besoin d'aide", "help",
];

/** 100,000-character messages: one letter, emoji (surrogate pairs), combining marks alone, words, lone surrogates. */
export const HUGE_TEXTS: readonly string[] = [
  "a".repeat(100_000),
  "🙏".repeat(50_000),
  "\u0301".repeat(100_000),
  "ayuda me quieren matar ".repeat(4_348).slice(0, 100_000),
  "\uD800x".repeat(50_000),
  "\u200D\u202E".repeat(50_000),
];

/** Arrays nested `depth` deep, as JSON text (10,000 deep fits well under the body cap). */
export function nestedJson(depth: number, inner = "1"): string {
  return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

/**
 * SMS encoding. A message in the GSM-7 alphabet fits 160 characters per segment (153 when concatenated); one
 * character outside it switches the whole message to UCS-2: 70 (67). Spanish "á", "í", "ó", "ú" are not in GSM-7,
 * so, like Twilio's Smart Encoding, replies for SMS swap such characters for their closest GSM-7 form: half
 * the segments, half the cost, and cheap phones display GSM-7 everywhere.
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€";
const BASIC = new Set(Array.from(GSM_BASIC));
const EXTENDED = new Set(Array.from(GSM_EXTENDED));

const REPLACEMENTS: Record<string, string> = {
  á: "a", í: "i", ó: "o", ú: "u", â: "a", ê: "e", î: "i", ô: "o", û: "u", ã: "a", õ: "o", ç: "c", ë: "e", ï: "i",
  Á: "A", Í: "I", Ó: "O", Ú: "U", Â: "A", Ê: "E", Î: "I", Ô: "O", Û: "U", Ã: "A", Õ: "O", È: "E", Ì: "I", Ò: "O",
  Ù: "U", À: "A", Ë: "E", Ï: "I", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "«": '"', "»": '"',
  "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ", "•": "-", "\u200b": "", "\t": " ",
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/** Swaps what has a GSM-7 look-alike; drops emoji and other symbols only when that makes the text GSM-7. */
export function toGsmWhereClose(text: string): string {
  const swapped = Array.from(text, (ch) => REPLACEMENTS[ch] ?? ch).join("");
  if (isGsm7(swapped)) return swapped;
  const stripped = Array.from(swapped, (ch) => (BASIC.has(ch) || EXTENDED.has(ch) ? ch : /\p{L}|\p{N}/u.test(ch) ? ch : "")).join("");
  // Letters of other scripts stay (and the message goes UCS-2): a name must never be mangled.
  // An emoji dropped at the start or end of a line leaves no stray space behind.
  return stripped.replace(/ {2,}/g, " ").replace(/^ +| +$/gm, "");
}

/** Length in the units segments are counted in: GSM-7 septets (extension characters count twice) or UTF-16 units. */
export function smsLength(text: string): number {
  if (!isGsm7(text)) return text.length;
  let n = 0;
  for (const ch of text) n += EXTENDED.has(ch) ? 2 : 1;
  return n;
}

export function segmentCount(text: string): number {
  const gsm = isGsm7(text);
  const length = smsLength(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return length <= single ? 1 : Math.ceil(length / multi);
}

/** The most text that fits in `segments` concatenated segments of this encoding. */
export function capacity(gsm: boolean, segments: number): number {
  if (segments <= 1) return gsm ? 160 : 70;
  return (gsm ? 153 : 67) * segments;
}

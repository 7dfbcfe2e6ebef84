/**
 * Text shaping shared by the channels: splitting long replies at natural boundaries, and numbered options for
 * channels without buttons (WhatsApp and SMS through Twilio).
 */
import type { Reply } from "../core/engine/types.js";
import type { Translate } from "../core/i18n/index.js";

/**
 * Splits text into pieces of at most `max` (as measured by `size`), at paragraph breaks, then line breaks,
 * then spaces; a single word longer than `max` is cut.
 */
export function splitText(text: string, max: number, size: (s: string) => number = (s) => s.length): string[] {
  if (size(text) <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (size(rest) > max) {
    let cut = -1;
    for (const separator of ["\n\n", "\n", " "]) {
      let at = rest.lastIndexOf(separator);
      while (at > 0 && size(rest.slice(0, at)) > max) at = rest.lastIndexOf(separator, at - 1);
      if (at > 0) {
        cut = at;
        break;
      }
    }
    if (cut <= 0) {
      // One very long word: cut at the largest prefix that fits (by code points, never inside a surrogate pair).
      const chars = Array.from(rest);
      let n = chars.length;
      while (n > 1 && size(chars.slice(0, n).join("")) > max) n = Math.floor(n * 0.9);
      cut = chars.slice(0, n).join("").length;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces.filter((p) => p.length > 0);
}

const NUMBER_HINT = /\b(n[úu]mero|number|num[ée]ro|nimewo)\b/i;

/** "1. Darién\n2. Asylum…" under the text, with "Reply with a number" unless the text already says so. */
export function withNumberedOptions(text: string, reply: Reply, t: Translate): string {
  if (!reply.options || reply.options.length === 0) return text;
  const list = reply.options.map((o, i) => `${i + 1}. ${o.label}`).join("\n");
  const hint = NUMBER_HINT.test(text) ? "" : `\n${t("options.reply_number")}`;
  return `${text}${hint}\n${list}`;
}

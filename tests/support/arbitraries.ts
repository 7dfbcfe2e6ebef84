import fc from "fast-check";
import { expect } from "vitest";
import { LANGS } from "../../src/core/languages.js";
import { HOSTILE_PIECES, HUGE_TEXTS, nestedJson } from "./hostile-text.js";
import { damage } from "./json-damage.js";

/** fast-check generators shared by the property tests (tests/property/). */

/** Any UTF-16 code unit, lone surrogates included (fast-check's "binary" unit keeps surrogates paired). */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Text a person, a broken client or an attacker could send (see hostile-text.ts), up to a few hundred characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  { weight: 5, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: codeUnit, maxLength: 4 })), { maxLength: 10 }).chain((parts) => fc.constantFrom(parts.join(" "), parts.join(""))) },
);

/** Long text cut somewhere (a surrogate pair may be cut in half): over the body cap or under it. */
export const longText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...HUGE_TEXTS), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([text, length]) => text.slice(0, length));

/** What people write: mostly short hostile text, sometimes very long. */
export const messageText: fc.Arbitrary<string> = fc.oneof({ weight: 9, arbitrary: hostileText }, { weight: 1, arbitrary: longText });

/** A well-formed payload with up to three nodes replaced by another JSON type, removed, or made huge. */
export function damaged(arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const replacement = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), hostileText, longText);
  const edit = fc.record({ at: fc.nat(), replacement });
  return fc.tuple(arbitrary, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([value, edits]) => damage(value, edits));
}

/** Bodies that are not what a JSON route expects: any JSON value, broken JSON, deep nesting, any text. */
export const notQuiteJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1))),
  fc.constantFrom("", "{", "[", '{"update_id":', "nul", "\uFEFF{}", '{"a":1}{"b":2}', "1e999", nestedJson(10_000), nestedJson(10_000, '{"update_id":1}'), `{"update_id":1,"message":${nestedJson(5_000)}}`),
  hostileText,
);

/** A language code, a near miss, or junk. */
export const langLike: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...LANGS, "pt-br", "es-419", "EN", "xx", ""), fc.string({ maxLength: 6 }));

/** The response of a request the server must survive: a 2xx or 4xx (3xx for the dashboard's redirects). */
export function expectHandled(res: { status: number; text?: string }, allowRedirect = false): void {
  const ok = (res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500) || (allowRedirect && res.status >= 300 && res.status < 400);
  expect(ok, `status ${res.status}: ${res.text?.slice(0, 300) ?? ""}`).toBe(true);
}

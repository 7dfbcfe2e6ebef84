import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Conversations } from "../../src/core/conversation.js";
import type { InboundMessage, MediaKind, Turn } from "../../src/core/engine/types.js";
import { isLang, LANGS } from "../../src/core/languages.js";
import type { Channel } from "../../src/core/ports.js";
import { hostileText } from "../support/arbitraries.js";
import { freshConversations } from "../support/assistant.js";
import { HUGE_TEXTS } from "../support/hostile-text.js";

const CHANNELS: Channel[] = ["telegram", "whatsapp", "sms", "api", "cli"];
const MEDIA: MediaKind[] = ["voice", "audio", "photo", "video", "sticker", "document", "location", "contact", "other"];
/** Options the engine offers (and some it never would): what a button or a number may bring back. */
const OPTIONS = ["menu", "intent:risk.darien", "intent:privacy.delete", "intent:human.request", "intent:nope", "lang:ht", "lang:xx", "country:PA", "country:ask", "country:none", "country:ZZ", "yes", "no", ":", "intent:"];

const turnInput = fc.record({
  text: fc.oneof({ weight: 12, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constantFrom(...HUGE_TEXTS) }),
  channel: fc.constantFrom(...CHANNELS),
  langHint: fc.option(fc.constantFrom(...LANGS), { nil: undefined }),
  optionId: fc.option(fc.oneof(fc.constantFrom(...OPTIONS), hostileText), { nil: undefined, freq: 4 }),
  media: fc.option(fc.constantFrom(...MEDIA), { nil: undefined, freq: 4 }),
  locationCountry: fc.option(fc.constantFrom("PA" as const, "HT" as const, null), { nil: undefined, freq: 4 }),
});

/** A reply a person can read: text in one of our languages, never empty, never a bare i18n key or a placeholder. */
function expectValidTurn(turn: Turn): void {
  expect(isLang(turn.lang), `language ${turn.lang}`).toBe(true);
  expect(turn.replies.length).toBeGreaterThan(0);
  for (const reply of turn.replies) {
    expect(reply.text.trim()).not.toBe("");
    expect(reply.text).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
    expect(reply.text).not.toMatch(/\{\{|\}\}/);
    for (const option of reply.options ?? []) expect(option.label.trim()).not.toBe("");
  }
}

/**
 * The conversation engine, through the same entry as `npm run chat` (Conversations over the store): any Unicode
 * text — right-to-left, zero-width joiners, NUL, lone surrogates, emoji only, combining marks, 100,000
 * characters — on any channel, in any state a conversation can reach, gets a readable reply.
 */
describe("the engine, given any text", () => {
  let conversations: Conversations;
  let person = 0;
  beforeAll(async () => {
    ({ conversations } = await freshConversations());
  });

  const say = (userKey: string, input: Omit<InboundMessage, "userKey" | "at">) => conversations.handle({ ...input, userKey, at: new Date() });

  it("answers a first message of any text with a valid reply", async () => {
    await fc.assert(
      fc.asyncProperty(turnInput, async (input) => expectValidTurn(await say(`first-${person++}`, { ...input, optionId: undefined, media: undefined }))),
      { numRuns: 250 },
    );
  });

  it("answers every turn of a conversation of any messages, buttons and media with a valid reply", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(turnInput, { minLength: 2, maxLength: 6 }), async (turns) => {
        const userKey = `conversation-${person++}`;
        for (const input of turns) expectValidTurn(await say(userKey, input));
      }),
      { numRuns: 80 },
    );
  });

  it("reads a 100,000-character message quickly: it is cut before analysis", async () => {
    for (const text of HUGE_TEXTS) {
      const started = performance.now();
      expectValidTurn(await say(`huge-${person++}`, { text, channel: "whatsapp" }));
      // Generous for a shared machine; unbounded analysis of 100k characters takes seconds.
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

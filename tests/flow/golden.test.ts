import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/core/ports.js";
import { freshConversations } from "../support/assistant.js";

/**
 * Conversations as golden transcripts: each turn's replies (text and option ids) are recorded in
 * tests/golden/transcripts.json. `UPDATE_GOLDEN=1 npm test` rewrites them; review the diff like code.
 */
interface GoldenReply {
  text: string;
  options?: string[];
}
interface GoldenConversation {
  name: string;
  channel: Channel;
  turns: { user: string; replies?: GoldenReply[] }[];
}

const FILE = fileURLToPath(new URL("../golden/transcripts.json", import.meta.url));
const conversations = JSON.parse(readFileSync(FILE, "utf8")) as GoldenConversation[];
const updating = process.env.UPDATE_GOLDEN === "1";

describe("golden transcripts", () => {
  it.each(conversations.map((c) => [c.name, c] as const))("%s", async (_name, conversation) => {
    const { conversations: service } = await freshConversations();
    for (const turn of conversation.turns) {
      const result = await service.handle({ channel: conversation.channel, userKey: `golden-${conversation.name}`, text: turn.user, at: new Date("2026-11-24T12:00:00Z") });
      const actual: GoldenReply[] = result.replies.map((r) => ({ text: r.text, ...(r.options ? { options: r.options.map((o) => o.id) } : {}) }));
      if (updating) turn.replies = actual;
      else expect(actual, `after "${turn.user}"`).toEqual(turn.replies);
    }
  });

  if (updating) {
    it("writes the updated transcripts", () => {
      writeFileSync(FILE, `${JSON.stringify(conversations, null, 2)}\n`);
    });
  }
});

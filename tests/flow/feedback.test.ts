import { beforeEach, describe, expect, it } from "vitest";
import type { Conversations } from "../../src/core/conversation.js";
import type { InboundMessage, Turn } from "../../src/core/engine/types.js";
import type { Channel } from "../../src/core/ports.js";
import type { QuestionChange } from "../../src/core/store/questions.js";
import type { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { testApp } from "../support/app.js";
import { freshConversations } from "../support/assistant.js";

const AT = new Date("2026-11-24T12:00:00Z");

const adds = (turn: Turn) => (turn.questions ?? []).flatMap((q) => (q.op === "add" ? [q.question] : []));
const settles = (turn: Turn) => (turn.questions ?? []).filter((q): q is Extract<QuestionChange, { op: "settle" }> => q.op === "settle");
const optionIds = (turn: Turn) => turn.replies.at(-1)!.options?.map((o) => o.id) ?? [];

/**
 * What Brújula keeps for the content team, through the real engine over SQLite (Conversations.handle): questions it
 * could not answer, clarifications left open, answers rated "not useful", redacted and tied to nobody; and the
 * "was this useful?" ratings.
 */
describe("questions kept for the content team, and ratings", () => {
  let conversations: Conversations;
  let store: SqliteStore;
  let person = 0;
  let userKey = "";
  beforeEach(async () => {
    ({ conversations, store } = await freshConversations());
    userKey = `feedback-${person++}`;
  });
  const say = (text: string, extra: Partial<InboundMessage> = {}, channel: Channel = "whatsapp") =>
    conversations.handle({ channel, userKey, text, at: AT, ...extra });
  const press = (optionId: string, channel: Channel = "telegram") => say("", { optionId }, channel);

  it("keeps a question it could not answer, redacted, with the nearest topic and its score, tied to nobody", async () => {
    const turn = await say("quien gano el partido de futbol ayer? me llamo Pedro Gómez, mi numero es +1 555 010 0142");
    expect(turn.questions).toHaveLength(1);
    const [question] = adds(turn);
    expect(question).toMatchObject({ kind: "fallback", lang: "es", text: "quien gano el partido de futbol ayer? me llamo [name], mi numero es [number]", day: "2026-11-24" });
    expect(question!.intent).toMatch(/^[a-z_]+\.[a-z_]+$/);
    expect(question!.score).toBeGreaterThan(0);
    expect(question!.score).toBeLessThan(0.5);
    // Nothing links it to the person: no token, nothing of theirs in the state.
    expect(question!.token).toBeUndefined();
    expect(JSON.stringify(question)).not.toContain(userKey);
    expect(turn.state.pending).toBeUndefined();
  });

  it("keeps nothing of a message in a language it does not speak", async () => {
    const turn = await say("Guten Tag, ich brauche Hilfe mit meinem Visum bitte");
    expect(turn.questions).toEqual([]);
  });

  describe("a clarification", () => {
    const clarify = async () => {
      const turn = await say("papeles");
      const [question] = adds(turn);
      expect(question).toMatchObject({ kind: "clarify", lang: "es", text: "papeles", day: "2026-11-24" });
      expect(question!.intent).toBe(optionIds(turn)[0]!.replace("intent:", ""));
      // The state holds the token only, never the words.
      expect(turn.state.pending).toEqual({ token: question!.token, kind: "clarify", intent: question!.intent });
      expect(JSON.stringify(turn.state)).not.toContain("papeles");
      return { token: question!.token!, options: optionIds(turn) };
    };

    it("resolved by a button is dropped", async () => {
      const { token, options } = await clarify();
      const next = await press(options[0]!);
      expect(next.questions).toEqual([{ op: "settle", token, as: "dropped" }]);
      expect(next.state.pending).toBeUndefined();
    });

    it("resolved by its number is dropped", async () => {
      const { token } = await clarify();
      expect(settles(await say("2"))).toEqual([{ op: "settle", token, as: "dropped" }]);
    });

    it("left for \"something else\" is kept, unlinked", async () => {
      const { token, options } = await clarify();
      expect(options.at(-1)).toBe("menu");
      const next = await say(String(options.length));
      expect(next.questions).toEqual([{ op: "settle", token, as: "kept" }]);
      expect(next.state.pending).toBeUndefined();
    });

    it("left for a new message is kept, and the new message is kept in its own right", async () => {
      const { token } = await clarify();
      const next = await say("asilo");
      expect(next.questions![0]).toEqual({ op: "settle", token, as: "kept" });
      expect(adds(next)).toMatchObject([{ kind: "answered", intent: "protection.asylum", text: "asilo" }]);
    });
  });

  describe("an answer to a question in words", () => {
    const answered = async (channel: Channel = "whatsapp") => {
      const turn = await say("asilo", {}, channel);
      const [question] = adds(turn);
      expect(question).toMatchObject({ kind: "answered", lang: "es", intent: "protection.asylum", text: "asilo" });
      expect(question!.score).toBeGreaterThan(0.5);
      expect(turn.replies.at(-1)!.rate).toBe("protection.asylum");
      expect(turn.state.pending).toEqual({ token: question!.token, kind: "answer", intent: "protection.asylum" });
      return { token: question!.token!, turn };
    };
    const ratings = () => store.listEvents({ type: "answer.rated" });

    it("keeps its own numbered follow-ups: \"1\" picks the first, and the answer is let go", async () => {
      const { token, turn } = await answered();
      const first = optionIds(turn)[0]!;
      expect(first).toMatch(/^intent:/);
      const next = await say("1");
      expect(next.questions).toEqual([{ op: "settle", token, as: "dropped" }]);
      expect(await ratings()).toEqual([]);
    });

    it("thanks offers the rating as the last list, \"2\" says not useful: the question is kept and the rating counted", async () => {
      const { token } = await answered();
      const thanks = await say("gracias");
      expect(thanks.replies.at(-1)!.text).toMatch(/^Con gusto\..*\n\n¿Te sirvió esta respuesta\?$/s);
      expect(optionIds(thanks)).toEqual(["rate:up:protection.asylum", "rate:down:protection.asylum", "menu"]);
      expect(thanks.questions).toEqual([]);
      expect(thanks.state.pending?.token).toBe(token);

      const rated = await say("2");
      expect(rated.questions).toEqual([{ op: "settle", token, as: "not_useful" }]);
      expect(rated.replies.at(-1)!.text).toBe("Gracias por contarnos. Nos ayuda a mejorar las respuestas.");
      expect(rated.state.pending).toBeUndefined();
      const [event] = await ratings();
      expect(event).toMatchObject({ userKey: "", channel: "whatsapp", data: { intent: "protection.asylum", lang: "es", country: null, useful: false } });

      // Counted once: the same answer rated again gets the thanks, not a second count.
      await say("gracias");
      await press("rate:down:protection.asylum", "whatsapp");
      expect(await ratings()).toHaveLength(1);
    });

    it("a bare 👍 (any skin tone) rates it useful: the question is let go", async () => {
      const { token } = await answered("telegram");
      const rated = await say("👍🏾", {}, "telegram");
      expect(rated.questions).toEqual([{ op: "settle", token, as: "dropped" }]);
      expect(await ratings()).toMatchObject([{ userKey: "", data: { intent: "protection.asylum", useful: true } }]);
    });

    it("the 👎 button keeps it as not useful", async () => {
      const { token } = await answered("telegram");
      const rated = await press("rate:down:protection.asylum");
      expect(rated.questions).toEqual([{ op: "settle", token, as: "not_useful" }]);
      expect(optionIds(rated)).toEqual(["menu"]);
    });

    it("a stale button for another answer is not counted, and the open answer may still be rated", async () => {
      const { token } = await answered("telegram");
      const stale = await press("rate:up:help.shelter");
      expect(stale.questions).toEqual([]);
      expect(stale.state.pending?.token).toBe(token);
      expect(await ratings()).toEqual([]);
      expect((await press("rate:up:protection.asylum")).questions).toEqual([{ op: "settle", token, as: "dropped" }]);
      expect(await ratings()).toHaveLength(1);
    });

    it("asked before the country is known, may be rated once the country is given (not before)", async () => {
      const asked = await say("necesito albergue para dormir");
      expect(optionIds(asked)).toContain("country:PA");
      const [question] = adds(asked);
      expect(question).toMatchObject({ kind: "answered", intent: "help.shelter" });
      expect(asked.replies.some((r) => r.rate)).toBe(false);
      const country = await say(String(optionIds(asked).indexOf("country:PA") + 1));
      expect(country.questions).toEqual([]);
      expect(country.replies.at(-1)!.rate).toBe("help.shelter");
      expect(country.state.pending?.token).toBe(question!.token);
      expect(optionIds(await say("gracias"))[0]).toBe("rate:up:help.shelter");
      await say("1");
      expect(await ratings()).toMatchObject([{ data: { intent: "help.shelter", country: "PA", useful: true } }]);
    });

    it("thanks (or a rating) while the country is still asked is not taken as a rating", async () => {
      await say("necesito albergue para dormir");
      const thanks = await say("gracias");
      expect(optionIds(thanks)).toEqual(["menu"]);
      expect(settles(thanks)).toMatchObject([{ as: "dropped" }]);
      await say("necesito albergue para dormir");
      const early = await press("rate:up:help.shelter", "whatsapp");
      expect(settles(early)).toMatchObject([{ as: "dropped" }]);
      expect(early.state.pending).toBeUndefined();
      expect(await ratings()).toEqual([]);
    });
  });

  it("an answer chosen from the menu is neither kept nor rated", async () => {
    const turn = await press("intent:risk.darien", "whatsapp");
    expect(turn.questions).toEqual([]);
    expect(turn.replies.some((r) => r.rate)).toBe(false);
    expect(optionIds(await say("gracias"))).toEqual(["menu"]);
  });

  it("a person who asks to be forgotten leaves no question behind", async () => {
    await say("asilo");
    await say("quiero borrar mis datos");
    const forgotten = await say("si");
    expect(forgotten.forget).toBe(true);
    expect(forgotten.questions).toEqual([]);
  });

  it("the 1 to 5 rating of a closed case still works, even after an answer that could be rated", async () => {
    await say("asilo");
    await say("quiero hablar con una persona");
    const [opened] = await store.listCases();
    await store.updateCase(opened!.id, { closedBy: "web:1" }, AT.toISOString(), []);
    const rated = await say("4");
    expect(rated.replies[0]!.text).toBe("Gracias por contarnos.");
    expect(await store.listEvents({ type: "case.rated" })).toMatchObject([{ userKey: "", data: { score: 4 } }]);
    expect(await store.listEvents({ type: "answer.rated" })).toEqual([]);
  });

  it("gives later questions tokens that sort later (the store's token index grows at one end), each one unique", async () => {
    const tokens: string[] = [];
    for (const [i, text] of ["asilo", "trabajo", "asilo", "papeles"].entries()) {
      const turn = await say(text, { at: new Date(AT.getTime() + i * 1_000) });
      tokens.push(turn.state.pending!.token);
    }
    // The same moment twice: still two tokens.
    tokens.push((await say("asilo", { at: new Date(AT.getTime() + 3_000) })).state.pending!.token);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.slice(0, 4)).toEqual([...tokens.slice(0, 4)].sort());
    expect(tokens[4]! > tokens[2]!).toBe(true);
  });

  it("the JSON API says which reply may be rated", async () => {
    const { say: api } = await testApp();
    const { replies } = (await api("lia", "asilo")) as { replies: { rate?: string }[] };
    expect(replies.at(-1)!.rate).toBe("protection.asylum");
    const thanks = (await api("lia", "gracias")) as { replies: { rate?: string; options?: { id: string }[] }[] };
    expect(thanks.replies[0]!.rate).toBeUndefined();
    expect(thanks.replies[0]!.options!.map((o) => o.id)).toEqual(["rate:up:protection.asylum", "rate:down:protection.asylum", "menu"]);
  });
});

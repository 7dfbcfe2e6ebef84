import { afterEach, describe, expect, it } from "vitest";
import type { InsightsFilter } from "../../src/core/insights/model.js";
import type { Channel, ConversationState } from "../../src/core/ports.js";
import type { NewOutboxItem } from "../../src/core/store/outbox.js";
import type { NewQuestion, QuestionChange } from "../../src/core/store/questions.js";
import type { Store } from "../../src/core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../src/core/store/turn.js";
import type { UnansweredFilter } from "../../src/store/insights-sql.js";
import type { StoreBackdoor } from "./contract.js";

/**
 * The insights part of the Store contract (issue 11), run by every adapter: questions kept for the content team
 * (with the turn, sealed, tied to nobody, settled once, forgotten and purged) and the counts behind the page.
 */
export function insightsContract(name: string, open: () => Promise<Store>, backdoor?: StoreBackdoor): void {
  describe(`Store insights contract: ${name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
    });
    const fresh = async () => (store = await open());

    let sequence = 0;
    const at = (day: string, time = "10:00") => `${day}T${time}:00.000Z`;
    /** A person's turn on `day`, as the engine would record it. */
    const turn = (userKey: string, day: string, more: Partial<TurnRecord> & { time?: string } = {}): TurnRecord => {
      const { time, ...rest } = more;
      return {
        userKey,
        channel: "telegram",
        inbound: { channel: rest.channel ?? "telegram", externalId: `m${++sequence}`, text: "hola", at: at(day, time) },
        state: { lang: "es" },
        events: [],
        outbox: [],
        ...rest,
      };
    };
    const question = (kind: NewQuestion["kind"], text: string, day: string, more: Partial<NewQuestion> = {}): QuestionChange => ({
      op: "add",
      question: { kind, lang: "es", intent: "help.shelter", score: 0.42, text, day, ...more },
    });
    const settle = (token: string, as: "kept" | "dropped" | "not_useful"): QuestionChange => ({ op: "settle", token, as });
    const all = { from: "2026-01-01", to: "2026-12-31" };
    const texts = async (s: Store, filter: UnansweredFilter = all) => (await s.listUnanswered(filter)).map((q) => q.text);

    it("keeps a question with its turn only, opened for the content team, with a day and nothing of the person", async () => {
      const s = await fresh();
      const first = turn("u1", "2026-11-24", { questions: [question("fallback", "donde consigo pañales Zorbalinda", "2026-11-24", { intent: "help.basic_needs", score: 0.31 })] });
      expect(await s.commitTurn(first)).toBe("committed");
      // A retried webhook adds nothing: the question belongs to the turn.
      expect(await s.commitTurn({ ...first, questions: [question("fallback", "otra vez", "2026-11-24")] })).toBe("duplicate");
      expect(await s.listUnanswered(all)).toEqual([
        { id: expect.any(Number), kind: "fallback", lang: "es", intent: "help.basic_needs", score: 0.31, text: "donde consigo pañales Zorbalinda", day: "2026-11-24" },
      ]);
    });

    it.skipIf(!backdoor)("seals a question's text and stores no person and no time with it", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1-Quetzal", "2026-11-24", { time: "17:43", questions: [question("fallback", "pregunta de Zorbalinda", "2026-11-24")] }));
      const rows = await backdoor!.raw("SELECT * FROM unanswered");
      expect(Object.keys(rows[0]!).sort()).toEqual(["day", "id", "intent", "kind", "lang", "score", "text", "token"]);
      expect(rows[0]!.text).toMatch(/^enc1\./);
      expect(rows[0]!.day).toBe("2026-11-24");
      const dump = JSON.stringify(rows);
      for (const trace of ["Zorbalinda", "u1-Quetzal", "17:43"]) expect(dump).not.toContain(trace);
    });

    it("settles a question once: kept stays, unlinked; dropped goes; a rated answer becomes not useful", async () => {
      const s = await fresh();
      const day = "2026-11-24";
      await s.commitTurn(
        turn("u1", day, {
          questions: [
            question("clarify", "papeles para quedarme", day, { token: "t-kept" }),
            question("clarify", "lo de la frontera", day, { token: "t-dropped" }),
            question("answered", "donde duermo hoy", day, { token: "t-rated" }),
            question("answered", "hay comida", day, { token: "t-unrated" }),
          ],
        }),
      );
      // An answer waiting for its rating is never listed.
      expect(await texts(s)).toEqual(["lo de la frontera", "papeles para quedarme"]);
      await s.commitTurn(turn("u1", day, { questions: [settle("t-kept", "kept"), settle("t-dropped", "dropped"), settle("t-rated", "not_useful"), settle("t-unrated", "dropped")] }));
      const kept = await s.listUnanswered(all);
      expect(kept.map((q) => [q.kind, q.text])).toEqual([["not_useful", "donde duermo hoy"], ["clarify", "papeles para quedarme"]]);
      // The tokens are spent: settling them again changes nothing.
      await s.commitTurn(turn("u1", day, { questions: [settle("t-kept", "dropped"), settle("t-rated", "dropped"), settle("t-unrated", "not_useful")] }));
      expect(await s.listUnanswered(all)).toEqual(kept);
    });

    it("settles before it adds, whatever the order of the changes", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "2026-11-24", { questions: [question("clarify", "primera", "2026-11-24", { token: "t1" })] }));
      // The token the turn settles is free again for the question it adds.
      const next = turn("u1", "2026-11-24", { questions: [question("clarify", "segunda", "2026-11-24", { token: "t1" }), settle("t1", "kept")] });
      expect(await s.commitTurn(next)).toBe("committed");
      await s.commitTurn(turn("u1", "2026-11-24", { questions: [settle("t1", "dropped")] }));
      expect(await texts(s)).toEqual(["primera"]);
    });

    it("lists kept questions newest first, by language, by days (both inclusive), by id and up to a limit", async () => {
      const s = await fresh();
      const add = (day: string, text: string, more: Partial<NewQuestion> = {}) => s.commitTurn(turn("u1", day, { questions: [question("fallback", text, day, more)] }));
      await add("2026-11-19", "before");
      await add("2026-11-20", "first day");
      await add("2026-11-21", "kreyol", { lang: "ht" });
      await add("2026-11-22", "last day a", { kind: "clarify" });
      await add("2026-11-22", "answered, never listed", { kind: "answered", token: "a1" });
      await add("2026-11-22", "last day b", { kind: "not_useful" });
      await add("2026-11-23", "after");
      const range = { from: "2026-11-20", to: "2026-11-22" };
      expect(await texts(s, range)).toEqual(["last day b", "last day a", "kreyol", "first day"]);
      expect(await texts(s, { ...range, lang: "es" })).toEqual(["last day b", "last day a", "first day"]);
      expect(await texts(s, { ...range, lang: "ht" })).toEqual(["kreyol"]);
      expect(await texts(s, { ...range, limit: 2 })).toEqual(["last day b", "last day a"]);
      const ids = (await s.listUnanswered(all)).filter((q) => q.text === "before" || q.text === "kreyol").map((q) => q.id);
      expect(await texts(s, { ...all, ids })).toEqual(["kreyol", "before"]);
      expect(await texts(s, { ...range, ids })).toEqual(["kreyol"]);
      expect(await texts(s, { ...all, ids: [] })).toEqual([]);
    });

    it("forgetting a person drops the question their next turn would settle, and nothing else", async () => {
      const s = await fresh();
      const pending = (token: string): ConversationState => ({ lang: "es", pending: { token, kind: "clarify", intent: "help.shelter" } });
      const day = "2026-11-24";
      await s.commitTurn(turn("u1", day, { state: pending("p1"), questions: [question("fallback", "u1 kept", day), question("clarify", "u1 pending", day, { token: "p1" })] }));
      await s.commitTurn(turn("u2", day, { state: pending("p2"), questions: [question("clarify", "u2 pending", day, { token: "p2" })] }));
      await s.deleteUser("u1");
      expect(await texts(s)).toEqual(["u2 pending", "u1 kept"]);
      // Forgotten within a turn: the pending question goes, and the turn's own questions are not written.
      await s.commitTurn(turn("u2", day, { state: null, events: [], questions: [settle("p2", "kept"), question("fallback", "borra mis datos", day)] }));
      expect(await texts(s)).toEqual(["u1 kept"]);
    });

    it("purges questions past RETENTION_DAYS, unrated answers after a day, and unlinks clarifications left open", async () => {
      const s = await fresh();
      const add = (day: string, kind: NewQuestion["kind"], text: string, token?: string) => s.commitTurn(turn("u1", day, { questions: [question(kind, text, day, { token })] }));
      await add("2026-10-26", "fallback", "too old");
      await add("2026-10-27", "fallback", "oldest kept");
      await add("2026-11-24", "answered", "answer of the day before yesterday", "a-old");
      await add("2026-11-25", "answered", "answer of yesterday", "a-new");
      await add("2026-11-24", "clarify", "clarification of the day before yesterday", "c-old");
      await add("2026-11-25", "clarify", "clarification of yesterday", "c-new");
      await s.purge({ textBefore: "2026-10-27T08:00:00.000Z", closedBefore: "2026-08-28T08:00:00.000Z", now: "2026-11-26T08:00:00.000Z" });
      expect(await texts(s)).toEqual(["clarification of yesterday", "clarification of the day before yesterday", "oldest kept"]);
      await s.commitTurn(
        turn("u1", "2026-11-26", { questions: [settle("a-old", "not_useful"), settle("a-new", "not_useful"), settle("c-old", "dropped"), settle("c-new", "dropped")] }),
      );
      // The answer of yesterday could still be rated; the older one was gone. The older clarification stays
      // counted (its token was released), the newer one was still the person's to resolve.
      expect(await texts(s)).toEqual(["answer of yesterday", "clarification of the day before yesterday", "oldest kept"]);
    });

    describe("counts for the insights page", () => {
      const D1 = "2026-11-23";
      const D2 = "2026-11-24";
      const event = (userKey: string, channel: Channel, day: string, type: string, data: Record<string, unknown>, time = "10:00"): StoredEvent => ({
        type,
        userKey,
        channel,
        at: at(day, time),
        data,
      });
      const interpreted = (userKey: string, channel: Channel, day: string, lang: string, decision: string, intent: string | null) =>
        event(userKey, channel, day, "message.interpreted", { lang, langSupported: true, intent, decision, confidence: 0.8, handoff: false, safety: null });
      const answered = (userKey: string, channel: Channel, day: string, lang: string, intent: string, country: string | null) =>
        event(userKey, channel, day, "answer.sent", { intent, lang, country, found: true });
      const rated = (channel: Channel, day: string, lang: string, intent: string, country: string | null, useful: boolean) =>
        event("", channel, day, "answer.rated", { intent, lang, country, useful });
      const reply = (channel: Channel, userKey: string): NewOutboxItem => ({ channel, userKey, payload: { text: "respuesta" } });

      /** Five people over two days, seeded as the engine records them. */
      async function seed(s: Store): Promise<void> {
        // p1 (Telegram, es): answered on D1 (and rates it useful), not understood on D2.
        await s.commitTurn(
          turn("p1", D1, {
            events: [interpreted("p1", "telegram", D1, "es", "answer", "help.shelter"), answered("p1", "telegram", D1, "es", "help.shelter", "PA")],
            outbox: [reply("telegram", "p1")],
          }),
        );
        await s.commitTurn(turn("p1", D1, { time: "10:05", events: [rated("telegram", D1, "es", "help.shelter", "PA", true)] }));
        await s.commitTurn(turn("p1", D2, { events: [interpreted("p1", "telegram", D2, "es", "fallback", null)] }));
        // p2 (WhatsApp, ht): the same topic twice on D1; one person.
        for (const time of ["11:00", "11:10"]) {
          await s.commitTurn(
            turn("p2", D1, {
              channel: "whatsapp",
              time,
              events: [interpreted("p2", "whatsapp", D1, "ht", "answer", "help.shelter"), answered("p2", "whatsapp", D1, "ht", "help.shelter", null)],
              outbox: time === "11:00" ? [reply("whatsapp", "p2")] : [],
            }),
          );
        }
        // p3 (WhatsApp, ht): a clarification, then a P1 handoff nobody has answered yet.
        await s.commitTurn(turn("p3", D1, { channel: "whatsapp", time: "12:00", events: [interpreted("p3", "whatsapp", D1, "ht", "clarify", "help.legal")] }));
        await s.commitTurn(
          turn("p3", D1, {
            channel: "whatsapp",
            time: "12:05",
            events: [event("p3", "whatsapp", D1, "handoff.requested", { intent: "urgent.danger", priority: 1, lang: "ht", country: null, safety: "danger" }, "12:05")],
            handoff: { category: "urgent.danger", priority: 1, lang: "ht", country: null, text: "x", at: at(D1, "12:05") },
          }),
        );
        // p4 (SMS, es): asks for a person; a caseworker answers after 30 minutes and closes after 90; the reply to
        // the person was not delivered.
        await s.commitTurn(
          turn("p4", D1, {
            channel: "sms",
            time: "09:00",
            events: [
              interpreted("p4", "sms", D1, "es", "answer", "human.request"),
              event("p4", "sms", D1, "handoff.requested", { intent: "human.request", priority: 3, lang: "es", country: null, safety: null }, "09:00"),
            ],
            handoff: { category: "human.request", priority: 3, lang: "es", country: null, text: "x", at: at(D1, "09:00") },
            outbox: [reply("sms", "p4")],
          }),
        );
        const p4case = (await s.getCase({ userKey: "p4" }))!;
        await s.caseworkerReply({ caseId: p4case.id, externalId: "cw-1", text: "hola", at: at(D1, "09:30"), actor: "web:1", outbox: [] });
        await s.updateCase(p4case.id, { closedBy: "web:1" }, at(D1, "10:30"), []);
        // p5 (API): only sets a country on D2 (no language known); p6 wrote long before the range.
        await s.commitTurn(turn("p5", D2, { channel: "api", events: [event("p5", "api", D2, "country.set", { country: "PA", source: "message" })] }));
        await s.commitTurn(turn("p6", "2026-11-10", { events: [interpreted("p6", "telegram", "2026-11-10", "es", "fallback", null)] }));
        // Untied rows: a message older than retention (no key left) and ratings, which never carry one.
        await s.appendEvents([
          interpreted("", "telegram", D2, "es", "fallback", null),
          rated("whatsapp", D2, "es", "help.shelter", "PA", true),
          rated("whatsapp", D2, "es", "help.shelter", "PA", false),
          rated("whatsapp", D2, "ht", "help.shelter", null, true),
        ]);
        // Replies: Telegram delivered; SMS undelivered (Twilio's report); WhatsApp bounced for its closed window and
        // held until the person writes again, so still waiting.
        for (const item of await s.claimDue(at(D2), at(D2, "10:01"), 10)) {
          await s.completeOutbox(item.id, { status: "sent", providerId: `pid-${item.id}`, awaitingReport: item.channel !== "telegram" }, at(D2));
          if (item.channel === "sms") await s.recordDelivery(`pid-${item.id}`, "undelivered", "30003");
          if (item.channel === "whatsapp") await s.recordDelivery(`pid-${item.id}`, "undelivered", "63016", true);
        }
      }
      const both: InsightsFilter = { from: D1, to: D2 };

      it("counts conversations, decisions and topics by the people behind them", async () => {
        const s = await fresh();
        await seed(s);
        const counts = await s.insightCounts(both);
        expect(counts.conversations).toEqual([
          { day: D1, channel: "sms", lang: "es", people: 1 },
          { day: D1, channel: "telegram", lang: "es", people: 1 },
          { day: D1, channel: "whatsapp", lang: "ht", people: 2 },
          { day: D2, channel: "api", lang: null, people: 1 },
          { day: D2, channel: "telegram", lang: "es", people: 1 },
        ]);
        expect(counts.decisions).toEqual([
          { day: D1, decision: "answer", n: 4, people: 3 },
          { day: D1, decision: "clarify", n: 1, people: 1 },
          { day: D2, decision: "fallback", n: 2, people: 1 },
        ]);
        expect(counts.topics).toEqual([
          { intent: "help.shelter", n: 3, people: 2 },
          { intent: "human.request", n: 1, people: 1 },
          { intent: "urgent.danger", n: 1, people: 1 },
        ]);
      });

      it("counts handoffs, case times, deliveries and ratings (each rating one person)", async () => {
        const s = await fresh();
        await seed(s);
        const counts = await s.insightCounts(both);
        expect(counts.handoffs).toEqual([
          { category: "urgent.danger", priority: 1, people: 1 },
          { category: "human.request", priority: 3, people: 1 },
        ]);
        expect(counts.caseTimes).toEqual([
          { firstReplyMinutes: 30, closeMinutes: 90 },
          { firstReplyMinutes: null, closeMinutes: null },
        ]);
        expect(counts.deliveries).toEqual([
          { day: D1, channel: "sms", outcome: "failed", n: 1, people: 1 },
          { day: D1, channel: "telegram", outcome: "delivered", n: 1, people: 1 },
          { day: D1, channel: "whatsapp", outcome: "waiting", n: 1, people: 1 },
        ]);
        expect(counts.ratings).toEqual([
          { intent: "help.shelter", lang: "es", country: "PA", useful: false, n: 1 },
          { intent: "help.shelter", lang: "es", country: "PA", useful: true, n: 2 },
          { intent: "help.shelter", lang: "ht", country: null, useful: true, n: 1 },
        ]);
      });

      it("counts one language where rows know theirs (deliveries are all languages), and only the days asked", async () => {
        const s = await fresh();
        await seed(s);
        const ht = await s.insightCounts({ ...both, lang: "ht" });
        expect(ht.conversations).toEqual([{ day: D1, channel: "whatsapp", lang: "ht", people: 2 }]);
        expect(ht.decisions).toEqual([
          { day: D1, decision: "answer", n: 2, people: 1 },
          { day: D1, decision: "clarify", n: 1, people: 1 },
        ]);
        expect(ht.topics).toEqual([
          { intent: "help.shelter", n: 2, people: 1 },
          { intent: "urgent.danger", n: 1, people: 1 },
        ]);
        expect(ht.handoffs).toEqual([{ category: "urgent.danger", priority: 1, people: 1 }]);
        expect(ht.caseTimes).toEqual([{ firstReplyMinutes: null, closeMinutes: null }]);
        expect(ht.deliveries).toHaveLength(3);
        expect(ht.ratings).toEqual([{ intent: "help.shelter", lang: "ht", country: null, useful: true, n: 1 }]);
        const second = await s.insightCounts({ from: D2, to: D2 });
        expect(second.conversations.map((c) => c.day)).toEqual([D2, D2]);
        expect([second.topics, second.handoffs, second.caseTimes, second.deliveries]).toEqual([[], [], [], []]);
        expect(second.ratings.reduce((n, r) => n + r.n, 0)).toBe(3);
        expect(await s.insightCounts({ from: "2026-11-01", to: "2026-11-09" })).toEqual({
          conversations: [], decisions: [], topics: [], handoffs: [], caseTimes: [], deliveries: [], ratings: [],
        });
      });
    });
  });
}

import { afterEach, describe, expect, it } from "vitest";
import type { NewOutboxItem } from "../../src/core/store/outbox.js";
import type { Store } from "../../src/core/store/store.js";
import type { StoredEvent, TurnRecord } from "../../src/core/store/turn.js";
import { keyring, type Keyring } from "../../src/store/sealing.js";
import { testRing } from "../support/keys.js";

/** What an adapter's test gives the contract to look under the Store: the last opened database, raw or re-keyed. */
export interface StoreBackdoor {
  /** Runs SQL on the last opened database, beside the store (a stolen copy's view). */
  raw(sql: string): Promise<Record<string, unknown>[]>;
  /** A second store on the last opened database, sealing with another keyring. */
  reopen(ring: Keyring): Promise<Store>;
}

/**
 * The Store contract: every adapter (SQLite on Node, D1 on Workers) must pass these same tests, so a second
 * runtime cannot drift.
 */
export function storeContract(name: string, open: () => Promise<Store>, backdoor?: StoreBackdoor): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
    });
    const fresh = async () => (store = await open());
    const event = (userKey: string, type: string, data: Record<string, unknown> = {}): StoredEvent => ({
      type,
      userKey,
      channel: "api",
      at: "2026-11-24T10:00:00.000Z",
      data,
    });

    it("knows nothing of a person never seen", async () => {
      expect(await (await fresh()).getState("nobody")).toBeNull();
    });

    it("saves and replaces a person's conversation state", async () => {
      const s = await fresh();
      await s.saveState("u1", "whatsapp", { lang: "ht", country: "MX", turns: 1 });
      await s.saveState("u1", "whatsapp", { lang: "ht", country: "PA", turns: 2, options: ["lang:es"] });
      expect(await s.getState("u1")).toEqual({ lang: "ht", country: "PA", turns: 2, options: ["lang:es"] });
    });

    it("appends events in order and filters them by person and type", async () => {
      const s = await fresh();
      await s.appendEvents([event("u1", "a", { n: 1 }), event("u2", "b"), event("u1", "b", { n: 2 })]);
      expect((await s.listEvents({ userKey: "u1" })).map((e) => e.data.n)).toEqual([1, 2]);
      expect((await s.listEvents({ type: "b" })).map((e) => e.userKey)).toEqual(["u2", "u1"]);
      expect(await s.listEvents({ limit: 1 })).toHaveLength(1);
      expect((await s.listEvents())[0]).toEqual(event("u1", "a", { n: 1 }));
    });

    it("appends nothing for an empty batch", async () => {
      const s = await fresh();
      await s.appendEvents([]);
      expect(await s.listEvents()).toEqual([]);
    });

    it("forgets a person completely, and only that person", async () => {
      const s = await fresh();
      await s.saveState("u1", "sms", { lang: "es" });
      await s.saveState("u2", "sms", { lang: "en" });
      await s.appendEvents([event("u1", "x"), event("u1", "y"), event("u2", "x")]);
      expect(await s.deleteUser("u1")).toBe(3);
      expect(await s.getState("u1")).toBeNull();
      expect(await s.listEvents({ userKey: "u1" })).toEqual([]);
      expect(await s.getState("u2")).toEqual({ lang: "en" });
      expect(await s.deleteUser("u1")).toBe(0);
    });

    it("keeps text exactly, whatever the Unicode", async () => {
      const s = await fresh();
      const text = "mwen bezwen èd 🙏 \u0000 مرحبا \u200b";
      await s.appendEvents([event("u1", "t", { text })]);
      expect((await s.listEvents({ userKey: "u1" }))[0]!.data.text).toBe(text);
    });

    const T0 = "2026-11-24T10:00:00.000Z";
    const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
    const item = (userKey: string, n: number): NewOutboxItem => ({ channel: "telegram", userKey, payload: { chatId: `c-${userKey}`, text: `reply ${n}` } });
    const turn = (userKey: string, externalId: string, outbox: NewOutboxItem[] = [item(userKey, 1)]): TurnRecord => ({
      userKey,
      channel: "telegram",
      inbound: { channel: "telegram", externalId, text: "hola", at: T0 },
      state: { lang: "es", turns: 1 },
      events: [event(userKey, "message.interpreted")],
      contact: { address: `c-${userKey}`, lastInboundAt: T0 },
      outbox,
    });

    it("writes a whole turn at once, and a retried provider id not at all", async () => {
      const s = await fresh();
      expect(await s.commitTurn(turn("u1", "update-1", [item("u1", 1), item("u1", 2)]))).toBe("committed");
      expect(await s.hasInbound("telegram", "update-1")).toBe(true);
      expect(await s.commitTurn(turn("u1", "update-1"))).toBe("duplicate");
      expect(await s.getOutbox({ userKey: "u1" })).toHaveLength(2);
      expect(await s.listEvents({ userKey: "u1" })).toHaveLength(1);
      expect(await s.getContact("u1", "telegram")).toEqual({ address: "c-u1", lastInboundAt: T0 });
      expect(await s.hasInbound("sms", "update-1")).toBe(false);
    });

    it("hands out each person's replies in order, one at a time, and the oldest people first", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a", [item("u1", 1), item("u1", 2)]));
      await s.commitTurn(turn("u2", "b", [item("u2", 1)]));
      const first = await s.claimDue(later(1), later(31), 10);
      expect(first.map((i) => [i.userKey, i.payload.text])).toEqual([["u1", "reply 1"], ["u2", "reply 1"]]);
      expect(first.every((i) => i.status === "sending" && i.attempts === 1)).toBe(true);
      // u1's second reply waits until the first is done.
      expect(await s.claimDue(later(2), later(32), 10)).toEqual([]);
      await s.completeOutbox(first[0]!.id, { status: "sent", providerId: "m1" }, later(2));
      expect((await s.claimDue(later(3), later(33), 10)).map((i) => i.payload.text)).toEqual(["reply 2"]);
    });

    it("gives an item back after its lease expires (a crash mid-send), and retries at the time asked", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a"));
      const [claimed] = await s.claimDue(later(1), later(31), 10);
      expect(await s.claimDue(later(30), later(60), 10)).toEqual([]);
      const [again] = await s.claimDue(later(32), later(62), 10);
      expect(again!.id).toBe(claimed!.id);
      expect(again!.attempts).toBe(2);
      await s.completeOutbox(again!.id, { status: "retry", at: later(100), error: "429" }, later(33));
      expect(await s.nextDue()).toBe(later(100));
      expect(await s.claimDue(later(99), later(129), 10)).toEqual([]);
      expect(await s.claimDue(later(100), later(130), 10)).toHaveLength(1);
    });

    it("records failures, holds, deliveries and releases", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a", [item("u1", 1), item("u1", 2)]));
      const [one] = await s.claimDue(later(1), later(31), 1);
      await s.completeOutbox(one!.id, { status: "failed", error: "blocked" }, later(2));
      const [two] = await s.claimDue(later(3), later(33), 1);
      await s.completeOutbox(two!.id, { status: "held", reason: "window_closed" }, later(4));
      expect(await s.nextDue()).toBeNull();
      expect(await s.releaseHeld("u1", "telegram", later(5))).toBe(1);
      const [three] = await s.claimDue(later(6), later(36), 1);
      expect(three!.id).toBe(two!.id);
      await s.completeOutbox(three!.id, { status: "sent", providerId: "SM1" }, later(7));
      expect(await s.recordDelivery("SM1", "delivered", null)).toBe(true);
      expect(await s.recordDelivery("SM-unknown", "delivered", null)).toBe(false);
      const [failed, sent] = await s.getOutbox({ userKey: "u1" });
      expect(failed).toMatchObject({ status: "failed", lastError: "blocked" });
      expect(sent).toMatchObject({ status: "sent", providerId: "SM1", delivery: "delivered" });
    });

    it("releases held replies when the person writes again, even if they wrote while the hold was being decided", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a", [item("u1", 1), item("u1", 2)]));
      const [one] = await s.claimDue(later(1), later(31), 1);
      await s.completeOutbox(one!.id, { status: "held", reason: "window_closed", seenInboundAt: T0 }, later(2));
      const [two] = await s.claimDue(later(3), later(33), 1);
      // The person writes while the transport is deciding to hold item two...
      await s.commitTurn({ ...turn("u1", "b", []), contact: { address: "c-u1", lastInboundAt: later(4) } });
      // ...so the late "held" does not strand it.
      await s.completeOutbox(two!.id, { status: "held", reason: "window_closed", seenInboundAt: T0 }, later(5));
      expect(await s.getOutbox({ status: "held" })).toEqual([]);
      expect((await s.claimDue(later(6), later(36), 10)).map((i) => i.id)).toEqual([one!.id]);
    });

    it("keeps nothing of a delivered or failed reply, except what a pending delivery report needs", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a", [item("u1", 1), item("u1", 2), item("u1", 3)]));
      const [a] = await s.claimDue(later(1), later(31), 1);
      await s.completeOutbox(a!.id, { status: "sent", providerId: "t1" }, later(2));
      const [b] = await s.claimDue(later(3), later(33), 1);
      await s.completeOutbox(b!.id, { status: "sent", providerId: "SM2", awaitingReport: true }, later(4));
      const [c] = await s.claimDue(later(5), later(35), 1);
      await s.completeOutbox(c!.id, { status: "failed", error: "blocked" }, later(6));
      expect((await s.getOutbox()).map((i) => i.payload)).toEqual([{}, { chatId: "c-u1", text: "reply 2" }, {}]);
      expect(await s.outboxCounts()).toEqual({ pending: 0, sending: 0, sent: 2, failed: 1, held: 0 });
      // The provider bounces it (window closed after all): held again, words still there to resend.
      expect(await s.recordDelivery("SM2", "undelivered", "63016", true)).toBe(true);
      expect((await s.getOutbox({ status: "held" }))[0]!.payload).toEqual({ chatId: "c-u1", text: "reply 2" });
      await s.releaseHeld("u1", "telegram", later(7));
      const [again] = await s.claimDue(later(8), later(38), 1);
      await s.completeOutbox(again!.id, { status: "sent", providerId: "SM3", awaitingReport: true }, later(9));
      expect(await s.recordDelivery("SM3", "delivered", null)).toBe(true);
      expect((await s.getOutbox({ status: "sent" })).map((i) => i.payload)).toEqual([{}, {}]);
    });

    it("ignores a late outcome for a claim that was superseded (lease expired mid-send)", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a"));
      const [first] = await s.claimDue(later(1), later(2), 1);
      const [second] = await s.claimDue(later(3), later(33), 1);
      await s.completeOutbox(second!.id, { status: "sent", providerId: "ok" }, later(4), second!.attempts);
      await s.completeOutbox(first!.id, { status: "retry", at: later(5), error: "timeout" }, later(6), first!.attempts);
      expect((await s.getOutbox())[0]).toMatchObject({ status: "sent", providerId: "ok" });
    });

    it("opens one case per person with the turn, raises it, lists the most urgent first, and forgets it", async () => {
      const s = await fresh();
      const request = (priority: 1 | 2 | 3, category: "human.request" | "urgent.danger" | "urgent.detention") =>
        ({ category, priority, lang: "es", country: "PA", text: "x", at: T0 }) as const;
      await s.commitTurn({ ...turn("u1", "a"), handoff: request(3, "human.request") });
      await s.commitTurn({ ...turn("u2", "b"), handoff: request(2, "urgent.detention") });
      expect((await s.listCases()).map((c) => [c.userKey, c.priority])).toEqual([["u2", 2], ["u1", 3]]);
      await s.commitTurn({ ...turn("u1", "c"), handoff: request(1, "urgent.danger") });
      const cases = await s.listCases({ status: "open" });
      expect(cases.map((c) => [c.userKey, c.priority, c.category])).toEqual([["u1", 1, "urgent.danger"], ["u2", 2, "urgent.detention"]]);
      expect(cases[0]!.transcript.map((l) => l.text)).toEqual(["hola", "x"]);
      await s.deleteUser("u1");
      // Anonymised, not erased: closed, tied to nobody, without the words; the audit says why.
      expect((await s.listCases()).map((c) => [c.userKey, c.status, c.transcript])).toEqual([
        [`deleted:${cases[0]!.id}`, "closed", []],
        ["u2", "open", [{ at: T0, text: "hola" }]],
      ]);
      expect((await s.caseAudit(cases[0]!.id)).at(-1)).toMatchObject({ actor: "person", action: "deleted" });
      expect(await s.caseCounts()).toEqual({ byStatus: { open: 1, claimed: 0, closed: 1 }, actions: { opened: 2, deleted: 1 } });
    });

    it("counts a person's messages since a time, for the rate limit", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "m1"));
      await s.commitTurn({ ...turn("u1", "m2"), inbound: { channel: "telegram", externalId: "m2", text: "x", at: later(30) } });
      await s.commitTurn(turn("u2", "m3"));
      expect(await s.countInbound("u1", T0)).toBe(2);
      expect(await s.countInbound("u1", later(10))).toBe(1);
      expect(await s.countInbound("nobody", T0)).toBe(0);
    });

    it("purges old message text and the transcripts and notes of long-closed cases, once, and audits it", async () => {
      const s = await fresh();
      // Messages of 2026-11-24 (T0); a case opened and closed that day, with a note.
      await s.commitTurn({ ...turn("u1", "old-1"), handoff: { category: "human.request", priority: 3, lang: "es", country: null, text: "hola", at: T0 } });
      const [opened] = await s.listCases();
      await s.addCaseNote(opened!.id, "web:1", "vive en el albergue", later(60));
      await s.updateCase(opened!.id, { closedBy: "web:1" }, later(120), []);
      const [reply] = await s.claimDue(later(1), later(31), 1);
      await s.completeOutbox(reply!.id, { status: "sent", providerId: "p" }, later(2));
      const keep = { textBefore: "2026-11-01T00:00:00.000Z", closedBefore: "2026-11-01T00:00:00.000Z", now: "2026-11-26T00:00:00.000Z" };
      expect(await s.purge(keep)).toEqual({ texts: 0, transcripts: 0 });
      expect(await s.listEvents({ userKey: "u1" })).toHaveLength(1);
      expect((await s.getCase({ id: opened!.id }))!.transcript.length).toBeGreaterThan(0);
      const cutoffs = { textBefore: "2026-11-25T00:00:00.000Z", closedBefore: "2026-11-25T00:00:00.000Z", now: "2026-11-26T00:00:00.000Z" };
      expect(await s.purge(cutoffs)).toEqual({ texts: 1, transcripts: 1 });
      expect((await s.getCase({ id: opened!.id }))!.transcript).toEqual([]);
      expect(await s.listCaseNotes(opened!.id)).toEqual([]);
      expect((await s.caseAudit(opened!.id)).map((a) => a.action)).toContain("transcript purged");
      expect(await s.purge(cutoffs)).toEqual({ texts: 0, transcripts: 0 });
      // The provider id stays: a retried webhook is still recognised.
      expect(await s.hasInbound("telegram", "old-1")).toBe(true);
      // What happened is still counted, but tied to nobody; the delivered reply is gone.
      expect(await s.listEvents({ userKey: "u1" })).toEqual([]);
      expect(await s.listEvents({ type: "message.interpreted" })).toEqual([expect.objectContaining({ userKey: "" })]);
      expect(await s.getOutbox()).toEqual([]);
    });

    it("never stores a stale 'with a caseworker' after the case was closed (the close wins)", async () => {
      const s = await fresh();
      await s.commitTurn({ ...turn("u1", "a"), state: { lang: "es", withCaseworker: true }, handoff: { category: "urgent.danger", priority: 1, lang: "es", country: null, text: "x", at: T0 } });
      const [opened] = await s.listCases();
      await s.updateCase(opened!.id, { closedBy: "telegram:1" }, later(1), []);
      // A message read before the close commits after it, still carrying the old state.
      await s.commitTurn({ ...turn("u1", "b"), state: { lang: "es", withCaseworker: true }, relay: { text: "hola?", at: later(2) } });
      expect(await s.getState("u1")).toMatchObject({ withCaseworker: false, awaiting: "rating" });
    });

    it("claims only the channels it is asked for", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a"));
      expect(await s.claimDue(later(1), later(31), 10, ["sms"])).toEqual([]);
      expect(await s.claimDue(later(1), later(31), 10, ["sms", "telegram"])).toHaveLength(1);
    });

    it("forgets inbound messages and contacts with the person, but still delivers the last reply", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "a"));
      const [sent] = await s.claimDue(later(1), later(31), 1);
      await s.completeOutbox(sent!.id, { status: "sent", providerId: "x" }, later(2));
      const forget: TurnRecord = { ...turn("u1", "b", [item("u1", 9)]), state: null, events: [event("", "privacy.deleted")] };
      expect(await s.commitTurn(forget)).toBe("committed");
      expect(await s.getState("u1")).toBeNull();
      expect(await s.getContact("u1", "telegram")).toBeNull();
      // The provider id is kept, without words or person, so a retried webhook is still recognised.
      expect(await s.hasInbound("telegram", "a")).toBe(true);
      // The last reply still goes out, on a queue tied to nobody; nothing in the outbox is filed under the person.
      expect(await s.getOutbox({ userKey: "u1" })).toEqual([]);
      expect((await s.getOutbox()).map((i) => [i.userKey.replace(/[0-9a-f-]{36}$/, "…"), i.payload.text])).toEqual([["forgotten:…", "reply 9"]]);
      expect(await s.listEvents({ type: "privacy.deleted" })).toHaveLength(1);
    });

    it("forgetting a person during a case drops their pending replies and the case's queue, and tells the caseworkers", async () => {
      const s = await fresh();
      const toCase: NewOutboxItem = { channel: "caseworker", userKey: "case:u1", payload: { kind: "relay", person: "u1", text: "mis datos" } };
      await s.commitTurn({ ...turn("u1", "a", [item("u1", 1), toCase]), handoff: { category: "urgent.detention", priority: 2, lang: "es", country: "MX", text: "hola", at: T0 } });
      const [opened] = await s.listCases();
      await s.setCaseThread(opened!.id, 77);
      const forget: TurnRecord = { ...turn("u1", "b", [item("u1", 2)]), state: null, events: [], forgetNotice: "case #{case} deleted" };
      await s.commitTurn(forget);
      const items = await s.getOutbox();
      expect(items.map((i) => [i.channel, i.userKey.replace(/[0-9a-f-]{36}$/, "…"), i.payload])).toEqual([
        ["caseworker", `deleted:${opened!.id}`, { kind: "note", caseId: opened!.id, text: `case #${opened!.id} deleted`, general: false }],
        ["telegram", "forgotten:…", { chatId: "c-u1", text: "reply 2" }],
      ]);
      // A case without a topic yet: the notice goes to the group's general topic, with the case's number.
      await s.commitTurn({ ...turn("u2", "c", []), handoff: { category: "human.request", priority: 3, lang: "es", country: null, text: "hola", at: T0 } });
      const second = (await s.getCase({ userKey: "u2" }))!;
      await s.commitTurn({ ...turn("u2", "d", []), state: null, events: [], forgetNotice: "case #{case} deleted" });
      expect((await s.getOutbox({ userKey: `deleted:${second.id}` }))[0]!.payload).toEqual({ kind: "note", caseId: second.id, text: `case #${second.id} deleted`, general: true });
      expect(await s.getCase({ id: opened!.id })).toMatchObject({ status: "closed", userKey: `deleted:${opened!.id}`, transcript: [], threadId: 77 });
      // A caseworker's answer read before the deletion and committed after it: written nowhere, sent to nobody.
      const late = { caseId: opened!.id, externalId: "late-1", text: "¿sigues ahí?", at: later(9), actor: "web:1", outbox: [item("u1", 3)] };
      expect(await s.caseworkerReply(late)).toBe("unreachable");
      expect((await s.getOutbox()).some((i) => i.userKey === "u1" || i.payload.text === "reply 3")).toBe(false);
      expect(await s.getCase({ userKey: "u1" })).toBeNull();
    });

    // What a stolen copy of the database would show: none of the person's words, number or chat id.
    const secrets = { text: "secreto Zorbalinda 4471", address: "+15550001234", reply: "respuesta Quetzalvaro", note: "nota Kappadoro", question: "pregunta Vandoralia" };
    const personal = async (s: Store) => {
      await s.commitTurn({
        ...turn("u1", "p1", [{ channel: "sms", userKey: "u1", payload: { to: secrets.address, text: secrets.reply } }]),
        inbound: { channel: "telegram", externalId: "p1", text: secrets.text, at: T0 },
        contact: { address: secrets.address, lastInboundAt: T0 },
        handoff: { category: "human.request", priority: 3, lang: "es", country: null, text: secrets.text, at: T0 },
        questions: [{ op: "add", question: { kind: "fallback", lang: "es", intent: null, score: null, text: secrets.question, day: "2026-11-24" } }],
      });
      const [opened] = await s.listCases();
      await s.addCaseNote(opened!.id, "web:1", secrets.note, later(5));
      return opened!.id;
    };

    it.skipIf(!backdoor)("seals message text, addresses, replies, transcripts, notes and kept questions, and reads them back", async () => {
      const s = await fresh();
      const caseId = await personal(s);
      const dump = JSON.stringify(
        await Promise.all(["inbound", "contacts", "outbox", "cases", "case_notes", "users", "events", "unanswered"].map((t) => backdoor!.raw(`SELECT * FROM ${t}`))),
      );
      for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
      expect(dump).not.toContain("5550001234");
      expect(await s.getContact("u1", "telegram")).toEqual({ address: secrets.address, lastInboundAt: T0 });
      expect((await s.getOutbox({ userKey: "u1" }))[0]!.payload).toEqual({ to: secrets.address, text: secrets.reply });
      expect((await s.getCase({ id: caseId }))!.transcript.map((l) => l.text)).toEqual([secrets.text]);
      expect(await s.listCaseNotes(caseId)).toEqual([{ author: "web:1", text: secrets.note, at: later(5) }]);
      expect((await s.listUnanswered({ from: "2026-11-24", to: "2026-11-24" })).map((q) => q.text)).toEqual([secrets.question]);
      expect(await s.keysInUse()).toEqual({ [testRing.current.id]: 6 });
    });

    it.skipIf(!backdoor)("a message no key opens does not stop a cry for help from opening a case", async () => {
      const s = await fresh();
      await s.commitTurn(turn("u1", "m1"));
      await backdoor!.raw(`UPDATE inbound SET text = 'enc1.0badc0de.${"A".repeat(40)}' WHERE external_id = 'm1'`);
      await s.commitTurn({
        ...turn("u1", "m2"),
        inbound: { channel: "telegram", externalId: "m2", text: "me quieren matar", at: later(5) },
        handoff: { category: "urgent.danger", priority: 1, lang: "es", country: null, text: "me quieren matar", at: later(5) },
      });
      const [opened] = await s.listCases();
      expect(opened!.transcript.map((l) => l.text)).toEqual(["[unreadable]", "me quieren matar"]);
    });

    it.skipIf(!backdoor)("re-encrypts under a new key, seals rows stored before encryption, and names a key it lacks", async () => {
      const s = await fresh();
      const caseId = await personal(s);
      await backdoor!.raw("INSERT INTO contacts (user_key, channel, address, last_inbound_at) VALUES ('u9', 'sms', '+15550009999', '2026-11-24T10:00:00.000Z')");
      const next = await keyring(new Uint8Array(32).fill(7), [testRing.current.raw]);
      const rotated = await backdoor!.reopen(next);
      expect(await rotated.keysInUse()).toEqual({ [testRing.current.id]: 6, plain: 1 });
      expect(await rotated.getContact("u9", "sms")).toMatchObject({ address: "+15550009999" });
      expect(await rotated.reseal(4)).toBe(4);
      expect(await rotated.reseal(100)).toBe(3);
      expect(await rotated.reseal(100)).toBe(0);
      expect(await rotated.keysInUse()).toEqual({ [next.current.id]: 7 });
      await rotated.close();
      // Once everything is under the new key, the old one is no longer needed...
      const newOnly = await backdoor!.reopen(await keyring(next.current.raw));
      expect((await newOnly.getCase({ id: caseId }))!.transcript.map((l) => l.text)).toEqual([secrets.text]);
      expect(await newOnly.getContact("u9", "sms")).toMatchObject({ address: "+15550009999" });
      expect((await newOnly.listUnanswered({ from: "2026-11-24", to: "2026-11-24" })).map((q) => q.text)).toEqual([secrets.question]);
      await newOnly.close();
      // ...and a store without it says which key is missing rather than returning garbage.
      const wrong = await backdoor!.reopen(testRing);
      await expect(wrong.getContact("u1", "telegram")).rejects.toThrow(`data key ${next.current.id}`);
      await wrong.close();
    });

    it("answers a health ping", async () => {
      expect(await (await fresh()).ping()).toBe(true);
    });
  });
}

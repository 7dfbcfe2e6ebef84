import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { purgeExpired, retentionCutoffs } from "../../src/retention.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { testSealer } from "../support/sealing.js";

/** Retention with a controllable clock: what is older than the limits is erased, and the log says only how much. */
describe("retention", () => {
  it("computes the cutoffs from RETENTION_DAYS and CASE_RETENTION_DAYS", () => {
    expect(retentionCutoffs(new Date("2026-11-26T12:00:00.000Z"), 30, 90)).toEqual({
      textBefore: "2026-10-27T12:00:00.000Z",
      closedBefore: "2026-08-28T12:00:00.000Z",
      now: "2026-11-26T12:00:00.000Z",
    });
  });

  it("erases text past the limit, keeps what is recent, and logs counts without text", async () => {
    const store = new SqliteStore(":memory:", testSealer());
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    const turn = (id: string, at: string) => ({
      userKey: "u1",
      channel: "telegram" as const,
      inbound: { channel: "telegram" as const, externalId: id, text: `mensaje privado ${id}`, at },
      state: { lang: "es" as const },
      events: [],
      outbox: [],
      handoff: { category: "human.request" as const, priority: 3 as const, lang: "es" as const, country: null, text: `mensaje privado ${id}`, at },
    });
    await store.commitTurn(turn("old", "2026-09-01T10:00:00.000Z"));
    await store.commitTurn(turn("new", "2026-11-20T10:00:00.000Z"));
    await purgeExpired(store, { RETENTION_DAYS: 30, CASE_RETENTION_DAYS: 90 }, logger, new Date("2026-11-26T00:00:00.000Z"));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([{ event: "retention.purged", texts: 1, transcripts: 0 }]);
    expect(lines.join("\n")).not.toContain("mensaje privado");
    // The open case keeps its transcript; a second run finds nothing more.
    expect((await store.listCases())[0]!.transcript.map((l) => l.text)).toContain("mensaje privado new");
    lines.length = 0;
    await purgeExpired(store, { RETENTION_DAYS: 30, CASE_RETENTION_DAYS: 90 }, logger, new Date("2026-11-26T00:00:00.000Z"));
    expect(lines).toEqual([]);
    await store.close();
  });

  it("keeps unanswered questions RETENTION_DAYS whole days, and an answer waiting for its rating a day or so", async () => {
    const store = new SqliteStore(":memory:", testSealer());
    const ask = (day: string, kind: "fallback" | "answered", token?: string) =>
      store.commitTurn({
        userKey: "u1",
        channel: "telegram",
        state: { lang: "es" },
        events: [],
        outbox: [],
        questions: [{ op: "add", question: { kind, lang: "es", intent: null, score: null, text: `${kind} ${day}`, day, token } }],
      });
    await ask("2026-10-26", "fallback");
    await ask("2026-10-27", "fallback");
    await ask("2026-11-24", "answered", "a1");
    await ask("2026-11-25", "answered", "a2");
    // 30 days before 2026-11-26 12:00 is 2026-10-27 12:00: that whole day is still kept.
    await purgeExpired(store, { RETENTION_DAYS: 30, CASE_RETENTION_DAYS: 90 }, createLogger("silent", () => {}), new Date("2026-11-26T12:00:00.000Z"));
    const settle = (token: string) => store.commitTurn({ userKey: "u1", channel: "telegram", state: { lang: "es" }, events: [], outbox: [], questions: [{ op: "settle", token, as: "not_useful" }] });
    await settle("a1");
    await settle("a2");
    expect((await store.listUnanswered({ from: "2026-01-01", to: "2026-12-31" })).map((q) => q.text)).toEqual(["answered 2026-11-25", "fallback 2026-10-27"]);
    await store.close();
  });
});

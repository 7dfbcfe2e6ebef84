import { afterEach, describe, expect, it } from "vitest";
import type { Store, StoredEvent } from "../../src/core/ports.js";

/**
 * The Store contract: every adapter (SQLite on Node, D1 on Workers) must pass these same tests, so a second
 * runtime cannot drift.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
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

    it("answers a health ping", async () => {
      expect(await (await fresh()).ping()).toBe(true);
    });
  });
}

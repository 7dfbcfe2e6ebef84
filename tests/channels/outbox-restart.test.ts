import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../support/fake-telegram.js";
import { channelService, postTelegram, textUpdate, waitForOutbox } from "../support/service.js";
import { tempDir } from "../support/temp.js";

/** Replies written before a stop or a crash go out after the restart, once. */
describe("the outbox across restarts", () => {
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
  });
  afterAll(async () => {
    await telegram.stop();
  });

  it("sends after a restart what could not be sent before it, including an item claimed mid-send", async () => {
    const databasePath = join(tempDir("restart"), "brujula.sqlite");
    telegram.goDown(502);
    const before = await channelService({ telegram }, { databasePath });
    expect((await postTelegram(before, textUpdate("hola", { id: 8101 }))).status).toBe(200);
    expect((await postTelegram(before, textUpdate("bonjou", { id: 8102 }))).status).toBe(200);
    await waitForOutbox(before, (items) => items.length === 2 && items.every((i) => i.attempts >= 1));
    await before.close();
    // A second process claims one item and dies before sending it: its lease must expire, not strand it.
    const crashed = await channelService({ telegram }, { databasePath });
    await crashed.sender.stop();
    const now = new Date();
    await crashed.store.claimDue(new Date(now.getTime() + 60_000).toISOString(), new Date(now.getTime() + 1_000).toISOString(), 1);
    await crashed.store.close();

    telegram.recover();
    const after = await channelService({ telegram }, { databasePath });
    await waitForOutbox(after, (items) => items.every((i) => i.status === "sent"), 8_000);
    const sent = telegram.calls("sendMessage");
    expect(sent.map((c) => c.params.chat_id).sort()).toEqual(["8101", "8102"]);
    await after.close();
  });
});

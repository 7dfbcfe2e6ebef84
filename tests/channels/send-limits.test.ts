import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { channelService, postTelegram, textUpdate, useFakeProviders, waitForOutbox } from "../support/service.js";

/** The outbox keeps to the providers' limits, and a 429 makes every reply on that channel wait as asked. */
describe("sending limits", () => {
  const fakes = useFakeProviders();
  let service: Service;
  afterEach(async () => {
    await service?.close();
    fakes.telegram.recover();
    fakes.telegram.requests.length = 0;
  });
  const sends = () => fakes.telegram.calls("sendMessage");

  it("spaces a channel's sends to SEND_RATE_*: a second's worth at once, then evenly", async () => {
    const rate = 4;
    service = await channelService({ telegram: fakes.telegram }, { env: { SEND_RATE_TELEGRAM: String(rate) } });
    for (let person = 0; person < 12; person++) await postTelegram(service, textUpdate("hola", { id: 9300 + person }));
    // Each person: the greeting (with the privacy notice at its top), 12 sends in all.
    await waitForOutbox(service, (items) => items.length === 12 && items.every((i) => i.status === "sent"), 15_000);
    const times = sends().map((c) => c.at);
    expect(times).toHaveLength(12);
    // A token bucket of `rate`: by t seconds after the first send, at most rate + rate·t sends (250 ms of slack for a
    // first send that arrived late on a loaded machine).
    for (let i = 0; i < times.length; i++) expect(i + 1).toBeLessThanOrEqual(rate + (rate * (times[i]! - times[0]! + 250)) / 1000);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((12 - rate) / rate) * 1000 - 100);
  });

  it("stop() returns when work is announced while it flushes (it used to wait forever)", async () => {
    service = await channelService({ telegram: fakes.telegram });
    fakes.telegram.latencyMs = 300;
    try {
      for (let person = 0; person < 3; person++) await postTelegram(service, textUpdate("hola", { id: 9500 + person }));
      await waitForOutbox(service, (items) => items.some((i) => i.status === "sending"));
      const stopped = service.sender.stop(50).then(() => "stopped");
      // After the flush window, while sends are still in flight: a webhook announces more work.
      await new Promise((resolve) => setTimeout(resolve, 100));
      service.sender.kick();
      const outcome = await Promise.race([stopped, new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3_000))]);
      expect(outcome).toBe("stopped");
    } finally {
      fakes.telegram.latencyMs = 0;
    }
  });

  it("after a 429, nobody's reply on that channel goes out before the provider's retry_after", async () => {
    service = await channelService({ telegram: fakes.telegram });
    fakes.telegram.failNext(1, { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } } });
    const throttledAt = Date.now();
    await postTelegram(service, textUpdate("hola", { id: 9401 }));
    await waitForOutbox(service, (items) => items.some((i) => i.attempts >= 1 && i.status === "pending"));
    // Someone else writes during the pause: their replies wait too.
    await postTelegram(service, textUpdate("bonjou", { id: 9402 }));
    await waitForOutbox(service, (items) => items.length === 2 && items.every((i) => i.status === "sent"), 10_000);
    const first = Math.min(...sends().map((c) => c.at));
    expect(first - throttledAt).toBeGreaterThanOrEqual(1_900);
    expect(sends().filter((c) => String(c.params.chat_id) === "9402")).toHaveLength(1);
  });
});

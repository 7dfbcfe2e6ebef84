import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../../src/service.js";
import { channelService, messageSid, postTelegram, postTwilio, SMS_FROM, textUpdate, useFakeProviders, waitForOutbox } from "../support/service.js";

/** Operations: /metrics counts what happened (and nothing of the people), /ready says whether to send traffic. */
describe("metrics and readiness", () => {
  const fakes = useFakeProviders();
  let service: Service;
  afterEach(async () => {
    await service?.close();
  });
  const TOKEN = "metrics-token-for-tests-0123";
  const scrape = async (auth = `Bearer ${TOKEN}`) => service.app.request("/metrics", { headers: { authorization: auth } });
  /** The value of one sample, e.g. value(text, 'brujula_cases{status="open"}'). */
  const value = (text: string, sample: string) => Number(text.split("\n").find((l) => l.startsWith(`${sample} `))?.split(" ")[1] ?? NaN);

  it("counts messages, answers, fallbacks, handoffs, sends, failures and webhook latency, behind METRICS_TOKEN", async () => {
    service = await channelService(fakes, { env: { METRICS_TOKEN: TOKEN } });
    const person = 734512;
    await postTelegram(service, textUpdate("hola", { id: person }));
    await postTelegram(service, textUpdate("como pido asilo en panama", { id: person }));
    await postTelegram(service, textUpdate("quien gano el partido de futbol ayer", { id: person }));
    await postTelegram(service, textUpdate("me quieren matar ayuda", { id: person }));
    // A stranger's path under /webhooks/ is counted as "other", never as a label of its own.
    expect((await service.app.request("/webhooks/+15550001234/x", { method: "POST" })).status).toBe(404);
    // Twilio's test number that is "not a valid phone number": a permanent failure with its code.
    await postTwilio(service, { MessageSid: messageSid(), AccountSid: "AC", From: "+15005550001", To: SMS_FROM, Body: "hola", NumMedia: "0" });
    await waitForOutbox(service, (items) => items.length > 0 && items.every((i) => i.status === "sent" || i.status === "failed"), 10_000);

    expect((await scrape("Bearer wrong")).status).toBe(401);
    expect((await service.app.request("/metrics")).status).toBe(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(value(text, 'brujula_messages_total{channel="telegram",lang="es"}')).toBe(4);
    expect(value(text, 'brujula_messages_total{channel="sms",lang="es"}')).toBe(1);
    expect(value(text, 'brujula_answers_total{intent="protection.asylum_apply"}')).toBe(1);
    expect(value(text, 'brujula_unanswered_total{decision="fallback",lang="es"}')).toBe(1);
    expect(value(text, 'brujula_handoffs_total{category="urgent.danger",priority="1"}')).toBe(1);
    expect(value(text, 'brujula_sends_total{channel="telegram",outcome="sent"}')).toBeGreaterThanOrEqual(4);
    expect(value(text, 'brujula_send_failures_total{channel="sms",reason="twilio 400 21211"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'brujula_webhook_duration_seconds_count{route="telegram",status="200"}')).toBe(4);
    expect(value(text, 'brujula_webhook_duration_seconds_count{route="twilio",status="200"}')).toBe(1);
    expect(value(text, 'brujula_webhook_duration_seconds_count{route="other",status="404"}')).toBe(1);
    expect(value(text, 'brujula_outbox_items{status="pending"}')).toBe(0);
    expect(value(text, 'brujula_outbox_oldest_due_seconds')).toBe(0);
    expect(value(text, 'brujula_cases{status="open"}')).toBe(1);
    expect(value(text, 'brujula_case_actions{action="opened"}')).toBe(1);
    expect(text).toContain("brujula_process_resident_memory_bytes");
    // Labels are closed sets: no id, number or word of a person.
    expect(text).not.toMatch(/734512|15005550001|15550001234|partido|matar/);
  });

  it("/ready reports the store, the reader and the outbox lag; /health stays a cheap liveness check", async () => {
    service = await channelService(fakes);
    const ready = await service.app.request("/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", store: true, ready: true, embedder: "builtin-v2", outbox: { lagSeconds: 0, lagging: false } });
    // A reply due ten minutes ago and not sent (the sender stopped): reported as lagging.
    await service.sender.stop();
    await service.store.enqueue([{ channel: "telegram", userKey: "late", payload: { chatId: "1", html: "x" }, notBefore: new Date(Date.now() - 600_000).toISOString() }]);
    const late = (await (await service.app.request("/ready")).json()) as { outbox: { lagSeconds: number; lagging: boolean } };
    expect(late.outbox.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(late.outbox.lagging).toBe(true);
    await service.store.close();
    expect((await service.app.request("/ready")).status).toBe(503);
    expect((await service.app.request("/health")).status).toBe(503);
  });
});

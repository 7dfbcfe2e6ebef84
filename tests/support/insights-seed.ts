import { Conversations } from "../../src/core/conversation.js";
import { Engine } from "../../src/core/engine/engine.js";
import { createTranslator } from "../../src/core/i18n/index.js";
import type { Channel } from "../../src/core/ports.js";
import type { Service } from "../../src/service.js";
import { formBrowser } from "./browser.js";
import { messageSid, postTwilio, waitForOutbox, WHATSAPP_FROM } from "./service.js";

/**
 * A week of use, seeded through the real engine and the real dashboard (never rows written by hand), for the
 * insights page's tests. Everyone here is invented; the phone numbers are fictional 555-01xx ones.
 */

/** Haitian Creole questions about the weather (Brújula has no answer for them), one person each: most say the same thing. */
export const WEATHER_HT = [
  "ki tan li pral fè demen",
  "ki tan li pral fè demen maten?",
  "mwen vle konnen ki tan li pral fè demen",
  "èske ou konn ki tan li pral fè demen",
  "mwen rele Jean Baptiste, rele m nan 555-0142: ki tan li pral fè demen?",
  "ki tan li pral fè demen? nimewo mwen se +1 202 555 0199",
  "èske lapli pral tonbe demen",
];
/** Two people asking about football: a group, and a cell, under five. */
export const FOOTBALL_HT = ["kilès ki genyen match foutbòl yè swa", "ki ekip ki genyen match foutbòl yè swa a"];
/** What must never reach the page or a CSV. */
export const PLANTED = ["Jean Baptiste", "Baptiste", "555-0142", "0142", "555 0199", "0199"];

/** Spanish speakers on WhatsApp asking about the Darién, six a day over the last six days; five on Telegram asking for a doctor. */
const DARIEN_ES = "¿es peligroso cruzar la selva del Darién?";
const DOCTOR_ES = "necesito un médico";

export interface Seeded {
  /** The days (YYYY-MM-DD) the turns were written on, oldest first. */
  days: string[];
  /** Cases opened through WhatsApp and answered and closed on the dashboard. */
  cases: number;
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Writes the week. `supervisor` signs in to answer and close the handoffs (the service needs FakeTwilio for
 * WhatsApp). Turns in the past go through the engine and Conversations as a channel would pass them; the
 * handoffs come in as WhatsApp webhooks now.
 */
export async function seedInsights(service: Service, supervisor: { username: string; password: string }, now = new Date()): Promise<Seeded> {
  const engine = new Engine({ interpreter: service.assistant.interpreter, content: service.assistant.content, translator: createTranslator() });
  const conversations = new Conversations(engine, service.store);
  const ago = (days: number, minutes = 0) => new Date(now.getTime() - days * 86_400_000 + minutes * 60_000);
  const say = (userKey: string, channel: Channel, text: string, at: Date) => conversations.handle({ userKey, channel, text, at });

  for (let d = 1; d <= 6; d++) {
    for (let i = 0; i < 6; i++) await say(`seed-es-${d}-${i}`, "whatsapp", DARIEN_ES, ago(d, i));
  }
  for (let i = 0; i < 5; i++) await say(`seed-tg-${i}`, "telegram", DOCTOR_ES, ago(2, i));
  // "Was this useful?": a bare 👍 or 👎 rates the answer just given (no id kept). Two ratings of the doctor's answer
  // make a cell under five.
  for (let i = 0; i < 6; i++) await say(`seed-es-1-${i}`, "whatsapp", "👍", ago(1, 30 + i));
  for (let i = 0; i < 5; i++) await say(`seed-es-2-${i}`, "whatsapp", "👎", ago(2, 30 + i));
  for (let i = 0; i < 2; i++) await say(`seed-tg-${i}`, "telegram", "👍", ago(2, 40 + i));
  for (const [i, text] of WEATHER_HT.entries()) await say(`seed-ht-${i}`, "api", text, ago(1, 10 + i));
  for (const [i, text] of FOOTBALL_HT.entries()) await say(`seed-sms-${i}`, "sms", text, ago(3, 20 + i));

  // Handoffs now, on WhatsApp: five people asking for a person, one in danger (a cell under five).
  const handoffs = ["quiero hablar con una persona", "necesito hablar con alguien de verdad", "quiero hablar con un humano", "por favor pásame con una persona", "quiero hablar con una persona por favor", "me quiero matar"];
  for (const [i, text] of handoffs.entries()) {
    await postTwilio(service, { MessageSid: messageSid(), From: `whatsapp:+120255501${String(10 + i)}`, To: WHATSAPP_FROM, Body: text, NumMedia: "0" });
  }
  const opened = (await service.store.listCases()).filter((k) => k.status !== "closed");
  const b = formBrowser((path, init) => service.app.request(path, init));
  await b.signIn(supervisor.username, supervisor.password);
  for (const k of opened) {
    const page = await b.request(`/caseworker/cases/${k.id}`);
    const csrf = b.field(page.html, "_csrf");
    await b.request(`/caseworker/cases/${k.id}/reply`, { form: { _csrf: csrf, nonce: b.field(page.html, "nonce"), text: "Hola, soy del equipo. Ya te leo." } });
    await b.request(`/caseworker/cases/${k.id}/close`, { form: { _csrf: csrf } });
  }
  await waitForOutbox(service, (items) => items.every((i) => i.status === "sent"), 15_000);
  return { days: Array.from({ length: 7 }, (_, d) => dayOf(ago(6 - d))), cases: opened.length };
}

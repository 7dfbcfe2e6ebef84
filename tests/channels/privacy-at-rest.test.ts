import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { userKeyFor } from "../../src/core/identity.js";
import { createNodeLogger } from "../../src/log-node.js";
import { TEST_SECRET } from "../support/app.js";
import { useFakeProviders, channelService, messageSid, postTelegram, postTwilio, SMS_FROM, textUpdate, waitForOutbox, WHATSAPP_FROM } from "../support/service.js";
import { tempDir } from "../support/temp.js";

/**
 * What a stolen copy of the database files, or of the logs, would reveal after real conversations on every
 * channel, a handoff included: no phone number, no Telegram id, no message text.
 */
describe("privacy at rest and in the logs", () => {
  const fakes = useFakeProviders();

  const TELEGRAM_ID = 918273645;
  const WHATSAPP = "+50761234987";
  const SMS = "+50762345876";
  // Words nobody else writes, to be searched for byte by byte.
  const words = ["Zorbalinda", "Quetzalvaro", "Kappadoro", "Vandoralia"];

  it("keeps no phone number, Telegram id or message text readable in the database files or the logs", async () => {
    const dataDir = tempDir("privacy");
    const logs: string[] = [];
    // No DATA_KEY: the no-credentials default generates one beside the database.
    const service = await channelService(
      fakes,
      { databasePath: join(dataDir, "brujula.sqlite"), env: { DATA_DIR: dataDir, DATA_KEY: "", LOG_LEVEL: "debug" }, logger: createNodeLogger("debug", { write: (line: string) => void logs.push(line) }) },
    );
    expect((await postTelegram(service, textUpdate(`me llamo ${words[0]} y quiero pedir asilo en Panama`, { id: TELEGRAM_ID }))).status).toBe(200);
    // A question Brújula cannot answer: kept for the content team (redacted, but an invented word survives
    // redaction), sealed like the message itself.
    expect((await postTelegram(service, textUpdate(`donde puedo arreglar la bicicleta de ${words[3]}`, { id: TELEGRAM_ID }))).status).toBe(200);
    expect((await postTwilio(service, { MessageSid: messageSid(), AccountSid: "AC", From: `whatsapp:${WHATSAPP}`, To: WHATSAPP_FROM, Body: `quiero hablar con una persona, soy ${words[1]}`, NumMedia: "0" })).status).toBe(200);
    expect((await postTwilio(service, { MessageSid: messageSid(), AccountSid: "AC", From: SMS, To: SMS_FROM, Body: `me quieren matar ${words[2]}`, NumMedia: "0" })).status).toBe(200);
    await waitForOutbox(service, (items) => items.length >= 3 && items.every((i) => i.status === "sent"), 10_000);
    // The replies did reach the three people: the data is sealed, not lost.
    expect(fakes.telegram.calls("sendMessage").map((c) => String(c.params.chat_id))).toContain(String(TELEGRAM_ID));
    expect(fakes.twilio.messages().map((m) => m.To)).toEqual(expect.arrayContaining([`whatsapp:${WHATSAPP}`, SMS]));
    const cases = await service.store.listCases();
    expect(cases.length).toBeGreaterThanOrEqual(2);
    expect(cases.flatMap((c) => c.transcript.map((l) => l.text)).join(" ")).toContain(words[2]);
    await service.close();

    // The database, its write-ahead log and shared memory, byte by byte.
    const files = readdirSync(dataDir).filter((f) => f.startsWith("brujula.sqlite"));
    expect(files).toContain("brujula.sqlite");
    const bytes = files.map((f) => readFileSync(join(dataDir, f)).toString("latin1")).join("\n");
    const logText = logs.join("\n");
    for (const secret of [String(TELEGRAM_ID), WHATSAPP.slice(1), SMS.slice(1), ...words]) {
      expect(bytes, `database files show ${secret}`).not.toContain(secret);
      expect(logText, `logs show ${secret}`).not.toContain(secret);
    }
    // The log (pino, JSON lines) names what happened, nothing of the people.
    const events = logs.map((line) => JSON.parse(line) as { level: string; event: string; time: string });
    expect(events.every((e) => e.level && e.event && e.time)).toBe(true);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["keys.generated", "keys.loaded", "outbox.sent"]));

    // The generated key: its own file beside the database, readable by its owner only, not inside the database.
    const keyFile = join(dataDir, "data-key");
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect(bytes).not.toContain(readFileSync(keyFile, "utf8").trim());

    // Another key cannot read it, and says so at start rather than failing later.
    await expect(
      channelService(fakes, { databasePath: join(dataDir, "brujula.sqlite"), env: { DATA_DIR: dataDir, DATA_KEY: "ab".repeat(32) } }),
    ).rejects.toThrow(/DATA_KEY: the database holds values sealed with data key [0-9a-f]{8}/);
  });

  it("'delete my data' during a case leaves no trace of the person's id, key or words, and tells the caseworkers", async () => {
    const dataDir = tempDir("forget");
    const file = join(dataDir, "brujula.sqlite");
    const GROUP = -1001888;
    const env = { DATA_DIR: dataDir, CASEWORKER_CHAT_ID: String(GROUP), CASEWORKER_TELEGRAM_IDS: "42" };
    const service = await channelService(fakes, { databasePath: file, env });
    const person = 817263544;
    const say = async (text: string) => expect((await postTelegram(service, textUpdate(text, { id: person }))).status).toBe(200);
    const settled = () => waitForOutbox(service, (items) => items.length > 0 && items.every((i) => i.status === "sent" || i.status === "failed"), 10_000);
    await say(`me agarro migracion, soy ${words[0]}`);
    await settled();
    const [opened] = await service.store.listCases();
    await say(`estoy en la estacion ${words[1]}`);
    await say("borra mis datos");
    await say("si");
    await settled();
    await service.close();

    const key = await userKeyFor("telegram", String(person), TEST_SECRET);
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    const dump = JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all()));
    db.close();
    for (const trace of [key, String(person), ...words]) expect(dump, `the database still holds ${trace}`).not.toContain(trace);
    // The caseworkers read, in the case's topic, that the person asked for deletion.
    const notice = fakes.telegram.calls("sendMessage").find((c) => String(c.params.text).includes("asked for their data to be deleted"));
    expect(Number(notice?.params.chat_id)).toBe(GROUP);
    expect(notice?.params.message_thread_id).toBeDefined();
    // The person got the confirmation before the address went.
    expect(fakes.telegram.calls("sendMessage").filter((c) => Number(c.params.chat_id) === person).length).toBeGreaterThanOrEqual(3);
    expect(opened).toBeDefined();
  });
});

describe("the Node logger", () => {
  it("writes one JSON line per event, and redacts a person's words or address should one ever slip into a log call", () => {
    const lines: string[] = [];
    const logger = createNodeLogger("info", { write: (line: string) => void lines.push(line) });
    logger.debug("not.shown", {});
    logger.warn("outbox.retry", { id: 7, text: "me llamo Zorbalinda", payload: { to: "+50761234987", chatId: 918273645 } });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: "warn", event: "outbox.retry", id: 7, text: "[redacted]", payload: { to: "[redacted]", chatId: "[redacted]" } });
    expect(lines[0]).not.toMatch(/Zorbalinda|50761234987|918273645/);
  });
});

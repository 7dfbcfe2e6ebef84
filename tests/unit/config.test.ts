import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/catalog/files.js";
import { ConfigError, loadConfig, scheduleFrom } from "../../src/config.js";
import { tempDir } from "../support/temp.js";

describe("configuration from the environment", () => {
  it("has embedded defaults: no variable is required", () => {
    expect(loadConfig({})).toMatchObject({ PORT: 8787, HOST: "127.0.0.1", DATA_DIR: "./data", LOG_LEVEL: "info", FASTTEXT: "on" });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ API_KEY: "", PORT: "" }).API_KEY).toBeUndefined();
  });

  it("names every bad variable in one message", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", API_KEY: "short" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT=");
    expect(message).toContain("LOG_LEVEL=");
    expect(message).toContain("API_KEY=");
    expect(message, "secrets are never echoed").not.toContain("short");
  });

  it("stops `npm start` on configuration mistakes with one clear line each, no stack trace, and hides keys", () => {
    const start = spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "src/node.ts")], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: tempDir("config"), DATA_KEY: "0123456789abcdef", EMBEDDINGS: "neural", SEND_RATE_SMS: "-3" },
    });
    expect(start.status).toBe(2);
    const lines = start.stderr.trim().split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}- DATA_KEY=\(hidden\): must be 32 bytes written as 64 hex digits or base64/),
      expect.stringMatching(/^ {2}- EMBEDDINGS="neural": /),
      expect.stringMatching(/^ {2}- SEND_RATE_SMS="-3": /),
    ]);
    expect(start.stderr).not.toContain("0123456789abcdef");
    expect(start.stderr).not.toMatch(/^\s+at /m);
  });

  it("keeps a reply's sending lease longer than a send can take", () => {
    expect(loadConfig({}).OUTBOX_LEASE_SECONDS).toBe(60);
    expect(loadConfig({ OUTBOX_LEASE_SECONDS: "15" }).OUTBOX_LEASE_SECONDS).toBe(15);
    expect(() => loadConfig({ OUTBOX_LEASE_SECONDS: "5" })).toThrow(/OUTBOX_LEASE_SECONDS=/);
  });

  it("checks the caseworkers' hours and time zone at start", () => {
    expect(() => loadConfig({ CASEWORKER_HOURS: "weekdays 9 to 5" })).toThrow(/CASEWORKER_HOURS=/);
    expect(() => loadConfig({ CASEWORKER_TIMEZONE: "Mars/Olympus" })).toThrow(/CASEWORKER_TIMEZONE=/);
    expect(scheduleFrom(loadConfig({}))).toBeUndefined();
    expect(scheduleFrom(loadConfig({ CASEWORKER_HOURS: "mon-fri 08:00-18:00", CASEWORKER_WAIT_MINUTES: "45" }))).toMatchObject({ waitMinutes: 45 });
  });
});

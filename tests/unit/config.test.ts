import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

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
});

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { fakeProviders } from "./tests/workers/fake-providers.js";
import { TEST_DATA_KEY } from "./tests/support/keys.js";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["tests/**/*.test.ts"], exclude: ["tests/workers/**"], pool: "forks" },
      },
      {
        // The Worker's tests run inside workerd (Cloudflare's runtime), with the D1 migrations applied.
        extends: true,
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("src/store/migrations"),
                ID_HASH_KEY: "workers-test-secret-0123456789abcdef",
                DATA_KEY: TEST_DATA_KEY,
                LOG_LEVEL: "silent",
                ...fakeProviders.bindings,
              },
              // The Worker's outgoing requests (Telegram's and Twilio's APIs) reach fakes that record them.
              outboundService: fakeProviders.handle,
            },
          })),
        ],
        test: { name: "workers", include: ["tests/workers/**/*.test.ts"], setupFiles: ["tests/workers/setup.ts"] },
      },
    ],
  },
});

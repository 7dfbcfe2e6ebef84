import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Every test file starts from the schema the SQLite adapter uses.
const bindings = env as unknown as { DB: D1Database; TEST_MIGRATIONS: import("cloudflare:test").D1Migration[] };
await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);

import { createLogger } from "../../src/log.js";
import { createApp } from "../../src/web/app.js";
import { freshConversations } from "./assistant.js";

export const TEST_SECRET = "test-secret-for-hashing-user-ids-0123456789";

/** The real Hono app over the real assistant and a fresh in-memory store. */
export async function testApp(options: { apiKey?: string; maxBodyBytes?: number } = {}) {
  const { conversations, store, assistant } = await freshConversations();
  const app = createApp({
    conversations,
    store,
    logger: createLogger("silent"),
    idSecret: TEST_SECRET,
    apiKey: options.apiKey,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    health: () => ({ embedder: assistant.embedderId, examples: assistant.index.size }),
  });
  const send = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request("/api/messages", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  /** Sends a message as a person and returns the replies' texts and option ids. */
  const say = async (userId: string, text: string, extra: Record<string, unknown> = {}) => {
    const { status, json } = await send({ userId, text, ...extra });
    if (status !== 200) throw new Error(`status ${status}: ${JSON.stringify(json)}`);
    return json as { lang: string; replies: { text: string; options?: { id: string; label: string }[] }[] };
  };
  return { app, store, send, say };
}

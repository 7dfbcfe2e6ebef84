import { createAssistant, type Assistant } from "../../src/assistant.js";
import { loadCatalogue } from "../../src/catalog/files.js";
import { Conversations } from "../../src/core/conversation.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { testSealer } from "./sealing.js";

/** The real assistant (built-in embedder, real intents and content), built once per test file. */
let cached: Promise<Assistant> | undefined;
export function realAssistant(): Promise<Assistant> {
  cached ??= createAssistant(loadCatalogue());
  return cached;
}

/** A conversation service over a fresh in-memory SQLite store. */
export async function freshConversations(): Promise<{ conversations: Conversations; store: SqliteStore; assistant: Assistant }> {
  const assistant = await realAssistant();
  const store = new SqliteStore(":memory:", testSealer());
  return { conversations: new Conversations(assistant.engine, store), store, assistant };
}

import type { Conversations } from "../core/conversation.js";
import type { Hmac } from "../core/hmac.js";
import type { Translate } from "../core/i18n/index.js";
import type { Lang } from "../core/languages.js";
import type { CaseRecord } from "../core/store/cases.js";
import type { NewOutboxItem } from "../core/store/outbox.js";
import type { Store } from "../core/store/store.js";
import type { Logger } from "../log.js";
import type { HttpFetch } from "./http-fetch.js";

/** What every channel webhook needs: the conversation service, the store, hashing, logging and the sender. */
export interface ChannelDeps {
  conversations: Conversations;
  store: Store;
  idSecret: string;
  /** The platform's HMAC for people's keys and signatures; WebCrypto unless given (src/core/hmac.ts). */
  hmac?: Hmac | undefined;
  logger: Logger;
  translator: (lang: Lang) => Translate;
  /** Wakes the outbox sender after replies were queued. */
  kick: () => void;
  maxBodyBytes: number;
  /** How the transports call the providers; the platform's fetch unless given. */
  fetch?: HttpFetch | undefined;
  /** Renders a caseworker's words (or the bot's closing words) for the person on their own channel. */
  toPerson?: ((c: CaseRecord, texts: readonly string[]) => Promise<NewOutboxItem[]>) | undefined;
}

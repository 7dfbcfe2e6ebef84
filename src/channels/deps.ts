import type { Conversations } from "../core/conversation.js";
import type { Translate } from "../core/i18n/index.js";
import type { Lang } from "../core/languages.js";
import type { Store } from "../core/ports.js";
import type { Logger } from "../log.js";

/** What every channel webhook needs: the conversation service, the store, hashing, logging and the sender. */
export interface ChannelDeps {
  conversations: Conversations;
  store: Store;
  idSecret: string;
  logger: Logger;
  translator: (lang: Lang) => Translate;
  /** Wakes the outbox sender after replies were queued. */
  kick: () => void;
  maxBodyBytes: number;
}

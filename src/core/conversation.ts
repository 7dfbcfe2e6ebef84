import type { Engine } from "./engine/engine.js";
import type { InboundMessage, Turn } from "./engine/types.js";
import type { Store } from "./ports.js";

/**
 * Runs one turn of a person's conversation against the store: load state, ask the engine, persist what it
 * decided. Turns of the same person run one after another (a second message waits for the first), so two
 * quick messages never overwrite each other's state.
 */
export class Conversations {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly engine: Engine,
    private readonly store: Store,
  ) {}

  handle(message: InboundMessage): Promise<Turn> {
    const previous = this.queues.get(message.userKey) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => this.run(message));
    const settled = turn.catch(() => undefined);
    this.queues.set(message.userKey, settled);
    void settled.then(() => {
      if (this.queues.get(message.userKey) === settled) this.queues.delete(message.userKey);
    });
    return turn;
  }

  private async run(message: InboundMessage): Promise<Turn> {
    const stored = await this.store.getState(message.userKey);
    const turn = await this.engine.respond(message, stored);
    if (turn.forget) {
      await this.store.deleteUser(message.userKey);
    } else {
      await this.store.saveState(message.userKey, message.channel, turn.state);
    }
    await this.store.appendEvents(turn.events);
    return turn;
  }
}

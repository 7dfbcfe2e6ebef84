import { caseQueue } from "../core/conversation.js";
import type { CaseRecord } from "../core/store/cases.js";
import type { NewOutboxItem } from "../core/store/outbox.js";
import type { Store } from "../core/store/store.js";
import type { Logger } from "../log.js";
import type { ChannelDeps } from "./deps.js";

/** How a dashboard caseworker is named as a case's claimant and in its audit ("telegram:<id>" in the group). */
export const webActor = (account: { id: number }) => `web:${account.id}`;

/**
 * What caseworkers do to a case, from the Telegram group or the web dashboard alike: claim it, answer the
 * person, close it. Every effect (the person's messages, notes in the case's topic) goes through the outbox in
 * the same transaction as the change.
 */
export class CaseActions {
  constructor(
    private readonly store: Store,
    private readonly deps: Pick<ChannelDeps, "translator" | "toPerson" | "kick" | "logger">,
    /** Notes also go to the case's topic in the caseworkers' group, when there is one. */
    private readonly group: boolean,
  ) {}

  private note(c: CaseRecord, text: string): NewOutboxItem[] {
    return this.group ? [{ channel: "caseworker", userKey: caseQueue(c.userKey), payload: { kind: "note", caseId: c.id, text } }] : [];
  }

  async claim(caseId: number, actor: string, name: string): Promise<CaseRecord | null> {
    const found = await this.store.getCase({ id: caseId });
    if (!found || found.status === "closed") return null;
    const updated = await this.store.updateCase(caseId, { claimedBy: actor }, new Date().toISOString(), this.note(found, `Claimed by ${name}.`));
    this.deps.kick();
    return updated;
  }

  /** A supervisor gives the case to a caseworker. */
  async assign(caseId: number, to: { id: number; username: string }, by: string): Promise<CaseRecord | null> {
    const found = await this.store.getCase({ id: caseId });
    if (!found || found.status === "closed") return null;
    const updated = await this.store.updateCase(caseId, { claimedBy: webActor(to), force: true }, new Date().toISOString(), this.note(found, `Assigned to ${to.username}.`));
    await this.store.addCaseAudit(caseId, by, "assigned", new Date().toISOString());
    this.deps.kick();
    return updated;
  }

  /** Closes a case: its claimer, anyone while it is unclaimed, or a supervisor. */
  async close(caseId: number, actor: string, name: string, options: { supervisor?: boolean } = {}): Promise<CaseRecord | null> {
    const found = await this.store.getCase({ id: caseId });
    if (!found || found.status === "closed") return null;
    if (found.status === "claimed" && found.claimedBy !== actor && !options.supervisor) return null;
    const t = this.deps.translator(found.lang);
    const toPerson = (await this.deps.toPerson?.(found, [t("handoff.closed"), t("handoff.rate")])) ?? [];
    const updated = await this.store.updateCase(caseId, { closedBy: actor }, new Date().toISOString(), [
      ...toPerson,
      ...this.note(found, `Closed by ${name}. The person is back with the bot.`),
    ]);
    this.deps.kick();
    return updated;
  }

  /**
   * Sends the approved WhatsApp template ("a message is waiting, reply to read it") to a person whose 24-hour
   * window has closed; false when WhatsApp or the template is not configured, or the person cannot be reached.
   */
  async sendTemplate(c: CaseRecord, actor: string, template: { sid: string; from: string } | undefined): Promise<boolean> {
    if (!template || c.channel !== "whatsapp") return false;
    const contact = await this.store.getContact(c.userKey, "whatsapp");
    if (!contact) return false;
    await this.store.enqueue([{ channel: "whatsapp", userKey: c.userKey, payload: { to: contact.address, from: template.from, contentSid: template.sid } }]);
    await this.store.addCaseAudit(c.id, actor, "template", new Date().toISOString());
    this.deps.kick();
    return true;
  }

  /**
   * Sends a caseworker's words to the person on their own channel; `externalId` makes a retried webhook or a
   * resubmitted form harmless. "unreachable" when the person's channel cannot be written to (deleted data).
   */
  async reply(c: CaseRecord, actor: string, text: string, externalId: string, alsoToTopic = false): Promise<"committed" | "duplicate" | "unreachable"> {
    const outbox = (await this.deps.toPerson?.(c, [text])) ?? [];
    if (outbox.length === 0) return "unreachable";
    const note = alsoToTopic ? this.note(c, `🧑‍💼 ${text}`) : [];
    const outcome = await this.store.caseworkerReply({ caseId: c.id, externalId, text, at: new Date().toISOString(), actor, outbox: [...outbox, ...note] });
    if (outcome === "committed") this.deps.kick();
    return outcome;
  }
}

/** Queues a notice in the caseworkers' group for every P1 case unclaimed for `minutes` (see Store.reannounce). */
export async function reannounceP1(store: Store, minutes: number, logger: Logger, kick: () => void, now = new Date()): Promise<number> {
  const count = await store.reannounce(now.toISOString(), minutes, (c) => ({
    channel: "caseworker",
    userKey: caseQueue(c.userKey),
    payload: { kind: "note", caseId: c.id, general: true, text: `⚠️ P1 case #${c.id} (${c.category}) has been waiting ${minutes}+ minutes without a caseworker.` },
  }));
  if (count > 0) {
    logger.warn("cases.reannounced", { count });
    kick();
  }
  return count;
}

import { Api, GrammyError, HttpError } from "grammy";
import type { CaseRecord } from "../../core/store/cases.js";
import type { OutboxItem, SendOutcome } from "../../core/store/outbox.js";
import type { Store } from "../../core/store/store.js";
import { RetryableError, type Transport } from "../outbox-sender.js";
import { splitText } from "../text.js";
import { escapeHtml } from "./render.js";

/**
 * The caseworkers' side on Telegram: a supergroup with topics (CASEWORKER_CHAT_ID). Each case gets its own topic
 * with a card (language, country, category, priority, transcript) and Claim / Close buttons; the person's
 * messages are posted in it. Everything goes through the outbox like any reply, so nothing is lost.
 */
export interface CaseworkerConfig {
  chatId: number;
  /** Telegram user ids allowed to claim, reply and close. */
  allowed: ReadonlySet<number>;
}

export const CASE_ACTION = /^case:(claim|close):(\d+)$/;

const PRIORITY_MARK: Record<1 | 2 | 3, string> = { 1: "🔴 P1", 2: "🟠 P2", 3: "🟡 P3" };

export function topicName(c: CaseRecord): string {
  return `${PRIORITY_MARK[c.priority]} #${c.id} ${c.category} ${c.lang.toUpperCase()}${c.country ? ` ${c.country}` : ""}`.slice(0, 128);
}

/** Plain text cut at a code-point boundary (never half an emoji), before any escaping. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

export function caseCard(c: CaseRecord): string {
  const head = [
    `<b>${PRIORITY_MARK[c.priority]} · case #${c.id}</b>`,
    `${escapeHtml(c.category)} · ${c.lang.toUpperCase()} · ${c.country ?? "country unknown"} · ${c.channel}`,
    `opened ${c.openedAt.slice(0, 16).replace("T", " ")} UTC`,
    "",
  ];
  const foot = ["", "Write in this topic to answer the person on their own channel."];
  const lines = c.transcript.slice(-15).map((l) => `${l.from === "caseworker" ? "🧑‍💼" : "🗣"} ${escapeHtml(cut(l.text, 400))}`);
  // Older lines go first when the card would not fit in one Telegram message (never cut inside an entity).
  while (lines.length > 1 && [...head, ...lines, ...foot].join("\n").length > 4000) lines.shift();
  return [...head, ...lines, ...foot].join("\n");
}

export function caseButtons(c: CaseRecord) {
  return { inline_keyboard: [[{ text: "Claim", callback_data: `case:claim:${c.id}` }, { text: "Close", callback_data: `case:close:${c.id}` }]] };
}

export class CaseworkerTransport implements Transport {
  constructor(
    private readonly api: Api,
    private readonly config: CaseworkerConfig,
    private readonly store: Store,
  ) {}

  async send(item: OutboxItem): Promise<SendOutcome> {
    const payload = item.payload as { kind: "case" | "relay" | "note"; person?: string; caseId?: number; text?: string; general?: boolean };
    const found = payload.caseId !== undefined ? await this.store.getCase({ id: payload.caseId }) : await this.store.getCase({ userKey: payload.person ?? "" });
    if (!found) return { status: "failed", error: "no such case (the person may have deleted their data)" };
    try {
      if (payload.kind === "case") {
        if (found.threadId === null) {
          const topic = await this.api.createForumTopic(this.config.chatId, topicName(found));
          await this.store.setCaseThread(found.id, topic.message_thread_id);
          found.threadId = topic.message_thread_id;
        }
        const sent = await this.api.sendMessage(this.config.chatId, caseCard(found), {
          message_thread_id: found.threadId,
          parse_mode: "HTML",
          reply_markup: caseButtons(found),
        });
        return { status: "sent", providerId: String(sent.message_id) };
      }
      // Split the plain text, then escape each piece: a long message arrives whole, in several messages.
      const pieces = splitText(`${payload.kind === "relay" ? "🗣 " : ""}${payload.text ?? ""}`, 3500).map(escapeHtml);
      const thread = payload.general ? undefined : found.threadId;
      // The case's topic is created by the item before this one in the same queue; until then, wait.
      if (!payload.general && thread === null) throw new RetryableError("the case's topic does not exist yet");
      let last = 0;
      for (const piece of pieces) {
        const sent = await this.api.sendMessage(this.config.chatId, piece, { parse_mode: "HTML", ...(thread ? { message_thread_id: thread } : {}) });
        last = sent.message_id;
      }
      return { status: "sent", providerId: String(last) };
    } catch (error) {
      if (error instanceof GrammyError) {
        if (error.error_code === 429) throw new RetryableError("telegram 429", error.parameters.retry_after ?? 5, true);
        if (error.error_code >= 500 || error.error_code === 401) throw new RetryableError(`telegram ${error.error_code}`);
        return { status: "failed", error: `telegram ${error.error_code}: ${error.description.slice(0, 120)}` };
      }
      if (error instanceof HttpError) throw new RetryableError(`telegram network: ${error.message.slice(0, 120)}`);
      throw error;
    }
  }
}

import type { OutboxItem, SendOutcome } from "../../core/store/outbox.js";
import type { Store } from "../../core/store/store.js";
import { platformFetch, type HttpFetch, type HttpResponse } from "../http-fetch.js";
import { RetryableError, type Transport } from "../outbox-sender.js";
import type { TwilioPayload } from "./render.js";

export interface TwilioRestConfig {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com, a regional edge, or a test double. */
  baseUrl: string;
  /** Where Twilio reports delivery (our signed /webhooks/twilio/status), if a public URL is known. */
  statusCallbackUrl?: string | undefined;
  /**
   * An approved WhatsApp template (Content SID) telling the person a message is waiting ("reply to read it").
   * Sent once when a reply meets a closed 24-hour window; the reply itself is held until they write.
   */
  whatsappTemplateSid?: string | undefined;
  /** The platform's fetch unless given (Node passes a lighter one). */
  fetch?: HttpFetch | undefined;
}

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the person's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
const TIMEOUT_MS = 10_000;

/**
 * Sends WhatsApp and SMS messages with Twilio's REST API (fetch only: the same code runs on Workers).
 * WhatsApp only accepts free-form messages within 24 hours of the person's last message; outside it a reply
 * is held (never dropped) and, when a template is configured, the person is told a message is waiting.
 */
export class TwilioTransport implements Transport {
  constructor(
    private readonly config: TwilioRestConfig,
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(item: OutboxItem): Promise<SendOutcome> {
    try {
      return await this.deliver(item);
    } catch (error) {
      if (error instanceof PermanentTwilioError) return { status: "failed", error: error.message };
      throw error;
    }
  }

  private async deliver(item: OutboxItem): Promise<SendOutcome> {
    const payload = item.payload as unknown as TwilioPayload;
    if (item.channel === "whatsapp" && payload.body !== undefined) {
      const contact = await this.store.getContact(item.userKey, "whatsapp");
      // Without a contact (the person just asked to be forgotten) the reply was written in answer to their message.
      const last = Date.parse(contact ? contact.lastInboundAt : item.createdAt);
      if (this.now().getTime() - last >= WHATSAPP_WINDOW_MS) return this.hold(item, payload, contact?.lastInboundAt ?? null);
    }
    const sid = await this.post(payload);
    return { status: "sent", providerId: sid, awaitingReport: this.config.statusCallbackUrl !== undefined };
  }

  /** Outside the 24-hour window: hold the reply and, once per closed window, send the approved template. */
  private async hold(item: OutboxItem, payload: TwilioPayload, seenInboundAt: string | null): Promise<SendOutcome> {
    const held = { status: "held" as const, seenInboundAt };
    if (!this.config.whatsappTemplateSid) return { ...held, reason: "whatsapp_window_closed_no_template" };
    // If replies are already held, the person has been told.
    if ((await this.store.getOutbox({ userKey: item.userKey, status: "held" })).length > 0) return { ...held, reason: "whatsapp_window_closed" };
    try {
      await this.post({ to: payload.to, from: payload.from, contentSid: this.config.whatsappTemplateSid });
      return { ...held, reason: "whatsapp_window_closed_template_sent" };
    } catch (error) {
      // The reply itself is still held, never failed, whatever happened to the notice.
      return { ...held, reason: `whatsapp_window_closed_template_failed: ${(error as Error).message}`.slice(0, 200) };
    }
  }

  /** POSTs a message; resolves to its SID. Throws RetryableError when trying later can help. */
  private async post(payload: TwilioPayload): Promise<string> {
    // A Messaging Service (MG…) sends from its own pool of numbers.
    const form = new URLSearchParams(payload.from.startsWith("MG") ? { To: payload.to, MessagingServiceSid: payload.from } : { To: payload.to, From: payload.from });
    if (payload.contentSid) form.set("ContentSid", payload.contentSid);
    else form.set("Body", payload.body ?? "");
    if (this.config.statusCallbackUrl) form.set("StatusCallback", this.config.statusCallbackUrl);
    const url = `${this.config.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid)}/Messages.json`;
    let response: HttpResponse;
    try {
      response = await (this.config.fetch ?? platformFetch)(url, {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${this.config.accountSid}:${this.config.authToken}`)}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form.toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new RetryableError(`twilio network: ${(error as Error).name}`);
    }
    const text = await response.text().catch(() => "");
    if (response.status === 429) throw new RetryableError("twilio 429", Number(response.headers.get("retry-after")) || 1, true);
    if (response.status >= 500) throw new RetryableError(`twilio ${response.status}`);
    // Refused credentials are a configuration problem to fix, not a reason to lose the reply: keep retrying.
    if (response.status === 401 || response.status === 403) throw new RetryableError(`twilio ${response.status}: credentials refused, check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN`);
    let body: { sid?: string; code?: number; message?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // A proxy's HTML error page: judged by the status alone.
    }
    if (!response.ok || !body.sid) {
      // 21211 invalid number, 21610 the person replied STOP, 21408 region not enabled... Only the code is kept:
      // Twilio's message text repeats the phone number.
      throw new PermanentTwilioError(`twilio ${response.status}${body.code ? ` ${body.code}` : ""}`);
    }
    return body.sid;
  }
}

/** A refusal that retrying cannot change; the sender records it as a failure. */
export class PermanentTwilioError extends Error {
  override name = "PermanentTwilioError";
}

import { Hono, type Context } from "hono";
import { countryAt } from "../../core/countries.js";
import type { MediaKind } from "../../core/engine/types.js";
import type { Hmac } from "../../core/hmac.js";
import { userKeyFor } from "../../core/identity.js";
import { bodyCap, problem } from "../../web/http.js";
import type { ChannelDeps } from "../deps.js";
import { renderTwilio } from "./render.js";
import { validTwilioSignature } from "./signature.js";

export interface TwilioConfig {
  authToken: string;
  /** The public base URL Twilio calls (PUBLIC_URL): signatures are computed over it. */
  publicUrl: string;
  /** Our WhatsApp sender ("whatsapp:+1415…"); WhatsApp is off without it. */
  whatsappFrom?: string | undefined;
  /** Our SMS number; SMS is off without it. */
  smsFrom?: string | undefined;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function mediaKind(contentType: string | undefined): MediaKind {
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("image/")) return type === "image/webp" ? "sticker" : "photo";
  if (type.startsWith("audio/")) return "voice";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("text/vcard") || type.startsWith("text/x-vcard")) return "contact";
  if (type.length > 0) return "document";
  return "other";
}

/**
 * Reads a signed Twilio form: 415 unless form-encoded, 403 unless the X-Twilio-Signature matches our public
 * URL and the parameters (see signature.ts). Returns the parameters or the error response.
 */
async function signedForm(c: Context, config: TwilioConfig, hmac: Hmac | undefined): Promise<Record<string, string> | Response> {
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return c.json(problem("unsupported_media_type", "Twilio webhooks are form-encoded."), 415);
  }
  const raw = await c.req.text();
  const params: Record<string, string> = {};
  try {
    for (const [key, value] of new URLSearchParams(raw)) params[key] = value;
  } catch {
    return c.json(problem("invalid_form", "The form body could not be read."), 400);
  }
  const signature = c.req.header("x-twilio-signature") ?? "";
  const url = new URL(c.req.url);
  const publicUrl = `${config.publicUrl.replace(/\/$/, "")}${url.pathname}${url.search}`;
  if (!(await validTwilioSignature(config.authToken, signature, publicUrl, params, hmac))) {
    return c.json(problem("forbidden", "Missing or invalid X-Twilio-Signature."), 403);
  }
  return params;
}

/** POST /webhooks/twilio (WhatsApp and SMS) and POST /webhooks/twilio/status (delivery reports). */
export function twilioRoutes(config: TwilioConfig, deps: ChannelDeps): Hono {
  const app = new Hono();
  const limit = bodyCap(deps.maxBodyBytes, "The form is too large.");

  app.post("/twilio", limit, async (c) => {
    const params = await signedForm(c, config, deps.hmac);
    if (params instanceof Response) return params;
    const { MessageSid: sid, From: from } = params;
    if (!sid || !from) return c.json(problem("invalid_request", "MessageSid and From are required."), 400);
    const channel = from.startsWith("whatsapp:") ? "whatsapp" : "sms";
    const ourNumber = channel === "whatsapp" ? config.whatsappFrom : config.smsFrom;
    if (!ourNumber) return c.json(problem("channel_disabled", `The ${channel} channel is not configured.`), 503);

    const text = params.Body ?? "";
    const hasMedia = Number(params.NumMedia ?? "0") > 0;
    const latitude = params.Latitude !== undefined ? Number(params.Latitude) : Number.NaN;
    const longitude = params.Longitude !== undefined ? Number(params.Longitude) : Number.NaN;
    const isLocation = Number.isFinite(latitude) && Number.isFinite(longitude);
    const media: MediaKind | undefined = isLocation ? "location" : hasMedia && text.trim() === "" ? mediaKind(params.MediaContentType0) : undefined;

    const userKey = await userKeyFor(channel, from, deps.idSecret, deps.hmac);
    const turn = await deps.conversations.handleDelivered(
      { channel, userKey, text: isLocation ? "" : text, media, locationCountry: isLocation ? countryAt(latitude, longitude) : undefined, at: new Date() },
      { externalId: sid, address: from, render: (t) => renderTwilio(t, channel, userKey, from, ourNumber, deps.translator(t.lang)) },
    );
    if (turn) deps.kick();
    deps.logger.debug("twilio.message", { channel, duplicate: turn === null, media: media ?? null });
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
  });

  app.post("/twilio/status", limit, async (c) => {
    const params = await signedForm(c, config, deps.hmac);
    if (params instanceof Response) return params;
    const { MessageSid: sid, MessageStatus: status } = params;
    if (!sid || !status) return c.json(problem("invalid_request", "MessageSid and MessageStatus are required."), 400);
    // 63016: WhatsApp refused a free-form message outside the 24-hour window after Twilio accepted it. The reply
    // goes back to held, to be sent when the person writes again, instead of being lost.
    const windowClosed = params.ErrorCode === "63016";
    const known = await deps.store.recordDelivery(sid, status.slice(0, 40), params.ErrorCode ? params.ErrorCode.slice(0, 20) : null, windowClosed);
    if (status === "failed" || status === "undelivered") deps.logger.warn("twilio.undelivered", { status, errorCode: params.ErrorCode ?? null });
    deps.logger.debug("twilio.status", { status, known });
    return c.body(null, 204);
  });

  return app;
}

import { z } from "zod";

/**
 * The parts of a Telegram Update the bot reads, checked once at the webhook (types as in the Bot API). Anything
 * else passes through untouched (other update kinds, fields we do not read), so a new Bot API field or update
 * kind is still acknowledged; but a message without a chat, or a text that is not a string, is refused with a
 * 400 before any code relies on it.
 */
const user = z.looseObject({
  id: z.int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  language_code: z.string().optional(),
});

const point = z.looseObject({ latitude: z.number(), longitude: z.number() });

const message = z.looseObject({
  chat: z.looseObject({ id: z.int(), type: z.string() }),
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  location: point.optional(),
  venue: z.looseObject({ location: point }).optional(),
  message_thread_id: z.int().optional(),
});

export const updateSchema = z.looseObject({
  update_id: z.int(),
  message: message.optional(),
  callback_query: z
    .looseObject({
      id: z.string(),
      from: user,
      data: z.string().optional(),
      // An old message may come back as an "inaccessible message": it still has its chat.
      message: message.optional(),
    })
    .optional(),
});

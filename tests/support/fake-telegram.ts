import { FakeProvider, type RecordedRequest } from "./fake-provider.js";

export const BOT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghij";

/** A local fake of the Telegram Bot API (the subset Brújula uses). */
export class FakeTelegram extends FakeProvider {
  private nextMessageId = 1;

  /** The API calls with their parsed JSON parameters, e.g. every sendMessage. */
  calls(method?: string): { method: string; params: Record<string, any>; at: number }[] {
    return this.requests
      .map((r) => ({ method: r.path.split("/").pop() ?? "", params: r.body ? (JSON.parse(r.body) as Record<string, any>) : {}, at: r.at }))
      .filter((c) => !method || c.method === method);
  }

  protected answer(request: RecordedRequest): { status: number; body: unknown } {
    const [, bot, method] = request.path.split("/");
    if (bot !== `bot${BOT_TOKEN}`) return { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
    const params = request.body ? (JSON.parse(request.body) as Record<string, any>) : {};
    switch (method) {
      case "getMe":
        return { status: 200, body: { ok: true, result: { id: 123456789, is_bot: true, first_name: "Brújula", username: "brujula_test_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } } };
      case "sendMessage":
        if (String(params.chat_id) === "403") return { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } };
        return { status: 200, body: { ok: true, result: { message_id: this.nextMessageId++, date: 1764000000, chat: { id: Number(params.chat_id), type: "private" }, text: params.text } } };
      case "createForumTopic":
        return { status: 200, body: { ok: true, result: { message_thread_id: 9000 + this.nextMessageId++, name: params.name, icon_color: 7322096 } } };
      case "setWebhook":
      case "deleteWebhook":
      case "setMyCommands":
      case "answerCallbackQuery":
        return { status: 200, body: { ok: true, result: true } };
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: "Not Found: method not found" } };
    }
  }
}

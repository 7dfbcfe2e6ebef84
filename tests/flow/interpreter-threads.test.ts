import { describe, expect, it } from "vitest";
import { channelService } from "../support/service.js";

/** Reading messages on other threads gives the same answers, and a dead thread loses nothing. */
describe("interpreter threads", () => {
  it("answers the same through a thread, and through the main thread while a thread restarts", async () => {
    const service = await channelService({}, { env: { INTERPRETER_THREADS: "1" } });
    try {
      let people = 0;
      // Each question from someone new, so that both are a first contact.
      const ask = async (text: string) => {
        const res = await service.app.request("/api/messages", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ userId: `u-${people++}`, text }),
        });
        return (await res.json()) as { lang: string; replies: { text: string }[] };
      };
      const here = await ask("kijan pou m mande azil");
      await service.threads!.ready(1);
      const threaded = await ask("kijan pou m mande azil");
      expect(threaded).toEqual(here);
      // Messages asked for in one turn go to the thread together and come back together: each gets its own reading.
      const texts = ["hola", "kijan pou m mande azil", "me quiero matar", "is the darien dangerous?", "je cherche mon fils", "preciso de trabalho", "1", "asilo en panama"];
      const many = Array.from({ length: 40 }, (_, i) => texts[i % texts.length]!);
      const readings = await Promise.all(many.map((text) => service.threads!.interpret(text)));
      const alone = await Promise.all(many.map((text) => service.assistant.interpreter.interpret(text)));
      expect(readings).toEqual(alone);
      expect(new Set(readings.map((r) => r.intent)).size).toBeGreaterThan(4);
      const health = await service.app.request("/health");
      expect(await health.json()).toMatchObject({ interpreterThreads: 1 });

      // A thread dies: its messages are read on the main thread, and a new thread starts.
      const [thread] = (service.threads as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads;
      const pending = ask("me quiero matar");
      await thread!.worker.terminate();
      expect((await pending).replies[0]!.text).toMatch(/No estás solo/);
      await service.threads!.ready(1);
      expect((await ask("hola")).lang).toBe("es");
    } finally {
      await service.close();
    }
  });
});

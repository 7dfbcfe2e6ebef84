import { parentPort, workerData } from "node:worker_threads";
import type { LanguageContext } from "../core/language/detect.js";
import { createNodeAssistant } from "../runtime-node.js";
import type { ThreadBuild } from "./interpreter-threads.js";

/** A thread that builds its own assistant and interprets messages for the main thread (see interpreter-threads.ts). */
interface Job {
  id: number;
  text: string;
  context: LanguageContext;
}

const assistant = await createNodeAssistant(workerData as ThreadBuild);
parentPort!.on("message", (job: Job) => {
  assistant.interpreter.interpret(job.text, job.context).then(
    (result) => parentPort!.postMessage({ id: job.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: (error as Error).message }),
  );
});
parentPort!.postMessage({ ready: true, embedderId: assistant.embedderId });

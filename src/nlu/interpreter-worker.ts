import { parentPort, workerData } from "node:worker_threads";
import { createNodeAssistant } from "../runtime-node.js";
import { batchPerTurn } from "../threads.js";
import type { Job, Reading, ThreadBuild } from "./interpreter-threads.js";

/**
 * A thread that builds its own assistant and interprets messages for the main thread (see interpreter-threads.ts):
 * the messages come in batches, and the readings finished in one turn of this thread go back together.
 */
const assistant = await createNodeAssistant(workerData as ThreadBuild);
const port = parentPort!;
const finish = batchPerTurn<Reading>((readings) => port.postMessage(readings));
port.on("message", (jobs: Job[]) => {
  for (const job of jobs) {
    assistant.interpreter.interpret(job.text, job.context).then(
      (result) => finish({ id: job.id, result }),
      (error: unknown) => finish({ id: job.id, error: (error as Error).message }),
    );
  }
});
port.postMessage({ ready: true, embedderId: assistant.embedderId });

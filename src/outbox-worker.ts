import { parentPort, workerData } from "node:worker_threads";
import { createTransports } from "./channels/index.js";
import { OutboxSender } from "./channels/outbox-sender.js";
import { nodeFetch } from "./fetch-node.js";
import { logs, type Logger } from "./log.js";
import type { FromThread, LogLine, OutboxThreadBuild, ToThread } from "./outbox-thread.js";
import { NodeSealer } from "./store/sqlite/node-sealer.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { lowerThisThreadsPriority, oncePerTurn } from "./threads.js";

/** How much lower the sender thread's priority is than the process's (nice values: 0 by default, 19 the lowest). */
const SENDER_NICE = 10;

/** The outbox sender's thread (see outbox-thread.ts): its own store connection and transports, the same sender. */
const build = workerData as OutboxThreadBuild;
const port = parentPort!;

// Outcomes (for the metrics) and log lines go to the main thread together, at most once per turn of this event
// loop. The log lines are written there, by the service's own logger: the same redaction, level and destination.
let report: Extract<FromThread, { type: "report" }> = { type: "report", outcomes: [], logs: [] };
function sendReport(): void {
  if (report.outcomes.length === 0 && report.logs.length === 0) return;
  port.postMessage(report);
  report = { type: "report", outcomes: [], logs: [] };
}
const plan = oncePerTurn(sendReport);
const line = (level: LogLine[0]) => (event: string, fields?: Record<string, unknown>) => {
  // A debug line for every reply sent would cross to the main thread only to be dropped there.
  if (!logs(build.logLevel, level)) return;
  report.logs.push([level, event, fields]);
  plan();
};
const logger: Logger = { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };

// Sending is not on the path of an acknowledgement, reading messages and committing turns are: when the cores are
// all busy, the main and interpreter threads go first (outbox-thread.ts has the figures and what still waits for
// this thread). Threads started from here inherit the lower priority: start none that serve the main thread.
if (!lowerThisThreadsPriority(SENDER_NICE)) logger.info("outbox.thread_priority_unchanged", { platform: process.platform });

// Its own connection: claims and outcomes are written here (outbox-thread.ts says why not on the main thread).
const store = new SqliteStore(build.databasePath, new NodeSealer(build.ring));
const sender = new OutboxSender(store, createTransports(build.channels, store, nodeFetch), logger, {
  ...build.options,
  onOutcome: (item, outcome) => {
    report.outcomes.push([item.channel, outcome]);
    plan();
  },
});

port.on("message", (message: ToThread) => {
  if (message.type === "kick") sender.kick();
  else if (message.type === "drain") {
    void sender.drain().then(() => {
      sendReport();
      port.postMessage({ type: "drained", id: message.id } satisfies FromThread);
    });
  } else {
    void sender
      .stop(message.flushMs)
      .then(() => store.close())
      .then(
        () => 0,
        (error: unknown) => {
          logger.error("outbox.thread_close_failed", { error: (error as Error).name });
          return 1;
        },
      )
      .then((code) => {
        sendReport();
        // The kept-alive connections to the providers must not keep the thread alive.
        process.exit(code);
      });
  }
});
// The main connection leaves the checkpoints to this one while it runs (SqliteStore.checkpointsHere): this
// connection's own commits make them when the WAL has grown, and this timer when only the main thread writes.
const CHECKPOINT_EVERY_MS = 1_000;
setInterval(() => {
  try {
    store.checkpoint();
  } catch (error) {
    // Not fatal: the next one, or the main connection once this thread is gone, copies the WAL.
    logger.warn("outbox.checkpoint_failed", { error: (error as Error).name });
  }
}, CHECKPOINT_EVERY_MS).unref();
sender.start();
port.postMessage({ type: "ready" } satisfies FromThread);

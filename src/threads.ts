import { getPriority, setPriority } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread on one of our modules. Run from TypeScript sources (npm start uses tsx), the thread
 * registers the same loader before loading the module; built JavaScript loads directly.
 */
export function startWorker(module: URL, workerData: unknown): Worker {
  if (!module.pathname.endsWith(".ts")) return new Worker(module, { workerData });
  const tsx = import.meta.resolve("tsx/esm/api");
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`, {
    eval: true,
    workerData,
  });
}

/**
 * `work`, asked for any number of times in one turn of the event loop, runs once at the end of that turn (one
 * message between threads however many webhooks or sends asked for it).
 */
export function oncePerTurn(work: () => void): () => void {
  let planned = false;
  return () => {
    if (planned) return;
    planned = true;
    setImmediate(() => {
      planned = false;
      work();
    });
  };
}

/**
 * `send`, given together every item added in one turn of the event loop (one message between threads for a turn's
 * worth of items, however many).
 */
export function batchPerTurn<T>(send: (items: T[]) => void): (item: T) => void {
  let items: T[] = [];
  const flush = oncePerTurn(() => {
    const batch = items;
    items = [];
    send(batch);
  });
  return (item) => {
    items.push(item);
    flush();
  };
}

/** The sibling module of `from` named `name`, with the same extension (.ts from sources, .js when built). */
export function sibling(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith(".ts") ? ".ts" : ".js"}`, from);
}

/** The lowest priority a thread can have (the highest nice value). */
const LOWEST = 19;

/**
 * Gives the calling thread a lower scheduling priority than the process's other threads (its nice value raised
 * `by`), so that when they all want the cores, the others run first. Linux only: there a nice value belongs to
 * each thread, and setting it for "process 0" sets the calling thread's. Elsewhere the same call would lower the
 * whole process, so nothing is done. Returns whether the priority was lowered.
 */
export function lowerThisThreadsPriority(by: number): boolean {
  if (process.platform !== "linux") return false;
  try {
    const before = getPriority(0);
    setPriority(0, Math.min(LOWEST, before + by));
    return getPriority(0) > before;
  } catch {
    return false; // a container that forbids it: the thread runs as before
  }
}

import { createLogger } from "../log.js";
import { InterpreterThreads } from "../nlu/interpreter-threads.js";
import { createNodeAssistant } from "../runtime-node.js";
import { exitQuietlyOnClosedPipe, flagString, parseFlags } from "./args.js";

/**
 * `npm run bench:threads [-- --turns 2000]`: what reading a message costs through an interpreter thread, as the
 * service reads them (built-in embedder, fastText), with 1, 10 and 30 messages asked for in each turn of the event
 * loop (under load, each turn serves several webhooks): CPU time of the process (both threads) and wall time per
 * message, next to reading on the main thread alone. Figures only.
 */
exitQuietlyOnClosedPipe();
const flags = parseFlags(process.argv.slice(2));
const turns = Number(flagString(flags, "turns") ?? 2_000);
const texts = ["hola, es peligroso el darien?", "kijan pou m mande azil"];

const assistant = await createNodeAssistant({ fastText: true });
const pool = InterpreterThreads.launch(1, assistant.interpreter, { fastText: true, embedderId: assistant.embedderId }, createLogger("error"));
await pool.ready(1);
if (pool.running !== 1) throw new Error("the interpreter thread did not start");

/** µs of CPU (all threads) and of wall time per message, `burst` messages asked for in each turn. */
async function measure(read: (text: string) => Promise<unknown>, burst: number): Promise<{ cpu: number; wall: number }> {
  const run = async () => {
    for (let t = 0; t < turns; t++) await Promise.all(Array.from({ length: burst }, (_, i) => read(texts[i % texts.length]!)));
  };
  await run(); // warm-up
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  const n = turns * burst;
  return { cpu: (used.user + used.system) / n, wall: ((performance.now() - started) * 1000) / n };
}

console.log(`Reading a message (${turns} turns per row, built-in embedder, fastText)\n`);
console.log(`${"".padEnd(34)}${"CPU µs/msg".padStart(12)}${"wall µs/msg".padStart(13)}`);
const row = (name: string, r: { cpu: number; wall: number }) => console.log(`${name.padEnd(34)}${r.cpu.toFixed(1).padStart(12)}${r.wall.toFixed(1).padStart(13)}`);
row("main thread alone, 1 a turn", await measure((text) => assistant.interpreter.interpret(text), 1));
for (const burst of [1, 10, 30]) row(`interpreter thread, ${burst} a turn`, await measure((text) => pool.interpret(text), burst));
await pool.close();

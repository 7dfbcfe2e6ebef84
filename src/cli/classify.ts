import { createInterface } from "node:readline";
import { createNodeAssistant } from "../runtime-node.js";
import { exitQuietlyOnClosedPipe } from "./args.js";
import { classification } from "./evaluation.js";

/**
 * The eval contract (stable): JSON lines `{"text": "..."}` on stdin → one JSON line per input, in order:
 * {"text","lang","intent","confidence","handoff","country"}. Same engine and thresholds as the server; nothing
 * but results on stdout.
 */
async function main(): Promise<void> {
  exitQuietlyOnClosedPipe();
  const assistant = await createNodeAssistant({ fastText: process.env.FASTTEXT !== "off" });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
    out.length = 0;
  };
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== "string") {
      // Keep one output line per input line so results stay aligned with inputs.
      console.error(`classify: line ${lineNo}: expected {"text": "..."}`);
      out.push(JSON.stringify({ text: null, lang: null, intent: null, confidence: 0, handoff: false, country: null, error: "invalid input line" }));
      continue;
    }
    out.push(JSON.stringify(classification(text, await assistant.interpreter.interpret(text))));
    if (out.length >= 256) flush();
  }
  flush();
}

main().catch((error: unknown) => {
  console.error(`classify: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

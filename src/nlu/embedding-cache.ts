import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Embedding } from "../core/ports.js";
import type { IndexCache, IntentExample } from "./intent-index.js";

/**
 * The embeddings of `intents/` kept on disk (Node), so a restart with a neural model does not embed thousands of
 * examples again. A file per embedder and content: the name carries a hash of the embedder id and every example,
 * so editing an example or switching model simply misses. A model replaced under the same name is caught by the
 * index's probe (see IntentIndex.build). Written atomically: a crash mid-write leaves the old file or none.
 */
const MAGIC = "BRJE1";

export class FileIndexCache implements IndexCache {
  constructor(private readonly dir: string) {}

  private path(embedderId: string, examples: readonly IntentExample[]): string {
    const hash = createHash("sha256").update(embedderId).update("\n");
    for (const e of examples) hash.update(`${e.lang}\t${e.intent ?? ""}\t${e.text}\n`);
    const name = embedderId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
    return join(this.dir, `${name}-${hash.digest("hex").slice(0, 20)}.bin`);
  }

  load(embedderId: string, examples: readonly IntentExample[]): Embedding[] | null {
    let buffer: Buffer;
    try {
      buffer = readFileSync(this.path(embedderId, examples));
    } catch {
      return null;
    }
    try {
      if (buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) return null;
      let at = MAGIC.length;
      const count = buffer.readUInt32LE(at);
      at += 4;
      if (count !== examples.length) return null;
      const vectors: Embedding[] = [];
      for (let i = 0; i < count; i++) {
        const n = buffer.readUInt32LE(at);
        at += 4;
        const indices = new Uint32Array(n);
        const values = new Float32Array(n);
        for (let k = 0; k < n; k++, at += 4) indices[k] = buffer.readUInt32LE(at);
        for (let k = 0; k < n; k++, at += 4) values[k] = buffer.readFloatLE(at);
        vectors.push({ indices, values });
      }
      return at === buffer.length ? vectors : null;
    } catch {
      return null; // truncated or damaged: embed again
    }
  }

  save(embedderId: string, examples: readonly IntentExample[], vectors: readonly Embedding[]): void {
    const size = MAGIC.length + 4 + vectors.reduce((sum, v) => sum + 4 + 8 * v.indices.length, 0);
    const buffer = Buffer.alloc(size);
    let at = buffer.write(MAGIC, 0, "latin1");
    at = buffer.writeUInt32LE(vectors.length, at);
    for (const v of vectors) {
      at = buffer.writeUInt32LE(v.indices.length, at);
      for (const i of v.indices) at = buffer.writeUInt32LE(i, at);
      for (const x of v.values) at = buffer.writeFloatLE(x, at);
    }
    mkdirSync(this.dir, { recursive: true });
    const path = this.path(embedderId, examples);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, buffer);
    renameSync(temporary, path);
  }
}

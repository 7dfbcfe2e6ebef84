import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type { Embedding } from "../core/ports.js";
import type { CachedIndex, IndexCache, IntentExample, Probe } from "./intent-index.js";

/**
 * The embeddings of `intents/` kept on disk (Node), so a restart with a neural model does not embed thousands of
 * examples again. A file per embedder and content: the name carries a hash of the embedder id and every example,
 * so editing an example or switching model simply misses. A model replaced under the same name is caught by the
 * index's probes (see IntentIndex.build); a damaged file by its checksum. Written to a unique temporary file and
 * renamed: a crash mid-write, or two processes writing at once, leave a whole file or none.
 */
const MAGIC = "BRJE2";
const HEADER = MAGIC.length + 32;

export class FileIndexCache implements IndexCache {
  constructor(
    private readonly dir: string,
    private readonly onError: (problem: string) => void = () => undefined,
  ) {}

  private path(embedderId: string, examples: readonly IntentExample[]): string {
    const hash = createHash("sha256").update(embedderId).update("\n");
    for (const e of examples) hash.update(`${e.lang}\t${e.intent ?? ""}\t${e.text}\n`);
    const name = embedderId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
    return join(this.dir, `${name}-${hash.digest("hex").slice(0, 20)}.bin`);
  }

  load(embedderId: string, examples: readonly IntentExample[]): CachedIndex | null {
    let buffer: Buffer;
    try {
      buffer = readFileSync(this.path(embedderId, examples));
    } catch {
      return null;
    }
    if (buffer.length < HEADER || buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) return null;
    const payload = buffer.subarray(HEADER);
    if (!createHash("sha256").update(payload).digest().equals(buffer.subarray(MAGIC.length, HEADER))) return null;
    try {
      const reader = new Reader(payload);
      const count = reader.u32();
      if (count !== examples.length) return null;
      const vectors = Array.from({ length: count }, () => reader.vector());
      const probes: Probe[] = Array.from({ length: reader.u32() }, () => ({ example: reader.u32(), vector: reader.vector() }));
      return reader.done() ? { vectors, probes } : null;
    } catch {
      return null; // inconsistent lengths: embed again
    }
  }

  save(embedderId: string, examples: readonly IntentExample[], index: CachedIndex): void {
    const size = (v: Embedding) => 4 + 8 * v.indices.length;
    const payload = Buffer.alloc(8 + index.vectors.reduce((n, v) => n + size(v), 0) + index.probes.reduce((n, p) => n + 4 + size(p.vector), 0));
    const writer = new Writer(payload);
    writer.u32(index.vectors.length);
    for (const v of index.vectors) writer.vector(v);
    writer.u32(index.probes.length);
    for (const p of index.probes) {
      writer.u32(p.example);
      writer.vector(p.vector);
    }
    const path = this.path(embedderId, examples);
    const temporary = `${path}.${process.pid}.${threadId}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC, "latin1"), createHash("sha256").update(payload).digest(), payload]));
      renameSync(temporary, path);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing was written
      }
      this.onError(`the embedding cache could not be written in ${this.dir}: ${(error as Error).message}`);
    }
  }
}

class Writer {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  u32(n: number): void {
    this.at = this.buffer.writeUInt32LE(n, this.at);
  }
  vector(v: Embedding): void {
    this.u32(v.indices.length);
    for (const i of v.indices) this.u32(i);
    for (const x of v.values) this.at = this.buffer.writeFloatLE(x, this.at);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  u32(): number {
    const n = this.buffer.readUInt32LE(this.at);
    this.at += 4;
    return n;
  }
  vector(): Embedding {
    const n = this.u32();
    if (n * 8 > this.buffer.length - this.at) throw new RangeError("vector longer than the file");
    const indices = new Uint32Array(n);
    const values = new Float32Array(n);
    for (let k = 0; k < n; k++) indices[k] = this.u32();
    for (let k = 0; k < n; k++, this.at += 4) values[k] = this.buffer.readFloatLE(this.at);
    return { indices, values };
  }
  done(): boolean {
    return this.at === this.buffer.length;
  }
}

/**
 * Damaging a well-formed JSON payload in one place (a field of another type, a field gone, a huge value), so that
 * a payload stays close enough to the real thing to pass the first checks and reach the code behind them. Used
 * by the property tests and by `npm run fuzz`.
 */
export type JsonPath = readonly (string | number)[];

/** Every path below the root, parents before children. */
export function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== "object") return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...jsonPaths((value as Record<string | number, unknown>)[key], path)];
  });
}

/** A copy of `value` with the node at `path` replaced (`undefined` removes it). */
export function replaceAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (value === null || typeof value !== "object") return value;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string | number, unknown>;
  const next = replaceAt(copy[key], rest, replacement);
  if (next === undefined && !Array.isArray(copy)) delete copy[key];
  else copy[key] = next;
  return copy;
}

/** The value with each edit applied: `at` picks a path among those present (modulo their number). */
export function damage(value: unknown, edits: readonly { at: number; replacement: unknown }[]): unknown {
  let damaged = value;
  for (const { at, replacement } of edits) {
    const paths = jsonPaths(damaged);
    if (paths.length === 0) break;
    damaged = replaceAt(damaged, paths[at % paths.length]!, replacement);
  }
  return damaged;
}

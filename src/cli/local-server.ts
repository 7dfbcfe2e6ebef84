import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { PROJECT_ROOT } from "../catalog/files.js";

/**
 * The real server as a child process on loopback, for the scripts that measure or attack it from outside
 * (`bench:webhook`, `fuzz`): `src/node.ts` run as `npm start` runs it, never listening beyond 127.0.0.1.
 */
export interface LocalServer {
  child: ChildProcess;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Resolves once `url` answers below 500; fails when the process exits first or after ~10 s. */
export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not come up`);
}

/** Starts the server with `env` over this process's environment, and waits for /health. */
export async function startLocalServer(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; stderr?: "inherit" | "pipe" } = {},
): Promise<LocalServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", join(PROJECT_ROOT, "src/node.ts")], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "ignore", options.stderr ?? "inherit"],
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${url}/health`, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
  return { child, url };
}

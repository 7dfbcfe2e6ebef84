import { Hono } from "hono";
import { D1Store, type D1Like } from "./store/d1/d1-store.js";

/** The Workers entry (work in progress: issue 9). */
export interface Env {
  DB: D1Like;
}

const app = new Hono<{ Bindings: Env }>();
app.get("/health", async (c) => {
  const store = new D1Store(c.env.DB);
  const ok = await store.ping().catch(() => false);
  return c.json({ status: ok ? "ok" : "degraded", store: ok }, ok ? 200 : 503);
});

export default app;

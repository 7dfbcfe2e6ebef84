import type { Context } from "hono";
import type { FC } from "hono/jsx";
import { webActor } from "../../channels/case-actions.js";
import type { CaseRecord, CaseworkerSession } from "../../core/store/cases.js";
import { DASHBOARD_LANGS, type DashboardLang } from "./messages.js";

/** What every caseworker page shares: the HTML shell, the session variables, and the small crypto helpers. */

export type Env = { Variables: { session: CaseworkerSession; tokenHash: string } };

type Caseworker = CaseworkerSession["caseworker"];

/** Whether this caseworker may see a case: supervisors every one, caseworkers unclaimed ones and their own. */
export function maySee(me: Caseworker, k: CaseRecord): boolean {
  return me.role === "supervisor" || k.status === "open" || k.claimedBy === webActor(me);
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Stylesheets are files (/caseworker/assets/…): the pages' CSP allows no inline style. */
export const Page: FC<{ lang: DashboardLang; title: string; styles?: string[]; children?: unknown }> = ({ lang, title, styles = [], children }) => (
  <html lang={lang}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="stylesheet" href="/caseworker/assets/dashboard.css" />
      {styles.map((name) => (
        <link rel="stylesheet" href={`/caseworker/assets/${name}.css`} />
      ))}
      <script src="/caseworker/assets/live.js" defer></script>
    </head>
    <body>{children}</body>
  </html>
);

/** The sign-in page's language, before anyone is signed in: the browser's, if the dashboard speaks it. */
export function pickLang(c: Context): DashboardLang {
  const wanted = (c.req.header("accept-language") ?? "").slice(0, 2).toLowerCase();
  return (DASHBOARD_LANGS as readonly string[]).includes(wanted) ? (wanted as DashboardLang) : "es";
}

/** A stylesheet response (assets are served before the session check, cached for an hour). */
export const cssResponse = (c: Context, css: string) => c.body(css, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" });

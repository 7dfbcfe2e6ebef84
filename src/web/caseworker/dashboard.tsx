import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { InsightsWiring } from "../../core/insights/model.js";
import type { CaseworkerSession } from "../../core/store/cases.js";
import type { Store } from "../../core/store/store.js";
import type { Logger } from "../../log.js";
import { bodyCap, constantTimeEqual } from "../http.js";
import { dashboardT, type DashboardLang } from "./messages.js";
import { cssResponse, maySee, Page, pickLang, randomToken, sha256, type Env } from "./layout.js";
import { INSIGHTS_CSS } from "./charts.js";
import { caseRoutes } from "./cases.js";
import { insightsRoutes } from "./insights.js";
import { insightsT } from "./insights-messages.js";
import type { CaseActions } from "../../channels/case-actions.js";
import { DUMMY_HASH, MAX_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";

/**
 * The caseworkers' web dashboard (/caseworker), server-rendered with Hono JSX: sign-in with a session cookie
 * (HttpOnly, Secure, SameSite=Strict), CSRF tokens on every form, sign-in rate limits, and the case list
 * (supervisors see every case; caseworkers theirs and unclaimed ones). A case's page and actions: cases.tsx;
 * the supervisors' insights: insights.tsx.
 */
const SESSION_COOKIE = "__Host-bj_session";
const LOGIN_CSRF_COOKIE = "__Host-bj_login";
const SESSION_HOURS = 12;
/** Failed sign-ins allowed per username, and per client address (shared by many behind one NAT), in the window below. */
const MAX_FAILURES = 5;
const MAX_FAILURES_PER_ADDRESS = 20;
const FAILURE_WINDOW_MS = 15 * 60_000;

export interface DashboardDeps {
  store: Store;
  logger: Logger;
  /** Claim, answer, close: the same actions as in the Telegram group. */
  actions?: CaseActions | undefined;
  /** The approved WhatsApp template for messages outside the 24-hour window, and our WhatsApp sender. */
  whatsappTemplate?: { sid: string; from: string } | undefined;
  /** Behind a reverse proxy that appends the client's address to X-Forwarded-For (TRUST_PROXY=on). */
  trustProxy?: boolean | undefined;
  /** The connection's remote address (runtime-specific: Node's socket, Workers' header). */
  remoteAddress?: ((c: Context) => string | undefined) | undefined;
  /** The supervisors' insights page: grouping of unanswered questions and where chosen ones go for review. */
  insights?: InsightsWiring | undefined;
  /** RETENTION_DAYS: how far back the insights page may count people (their key lives that long). Default 30. */
  retentionDays?: number | undefined;
  now?: () => Date;
}

/**
 * The client's address: the connection's own, or — behind a trusted reverse proxy (TRUST_PROXY=on) — the last
 * address that proxy appended to X-Forwarded-For. The first entry of that header is whatever the client wrote.
 */
function clientAddress(c: Context, deps: DashboardDeps): string {
  if (deps.trustProxy) {
    const hops = (c.req.header("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
    if (hops.length > 0) return hops.at(-1)!;
  }
  try {
    return deps.remoteAddress?.(c) ?? "unknown";
  } catch {
    return "unknown";
  }
}

const DASHBOARD_CSS = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}.p1{color:#b00;font-weight:bold}form.inline{display:inline}
input,button{font-size:1rem;padding:.4rem;margin:.2rem 0}nav a{margin-right:.8rem}.error{color:#b00}`;

/** The case list reloads itself when a case it shows changed (polls /caseworker/latest; no client framework). */
const LIVE_JS = `(function(){var el=document.querySelector("[data-stamp]");if(!el)return;var stamp=el.getAttribute("data-stamp");
setInterval(function(){fetch("/caseworker/latest",{credentials:"same-origin"}).then(function(r){return r.json()})
.then(function(j){if(j.stamp!==stamp)location.reload()}).catch(function(){})},3000)})();`;

export function dashboardRoutes(deps: DashboardDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = deps.now ?? (() => new Date());
  const limit = bodyCap(16 * 1024, (c) => c.text("Too large", 413));
  const cookieOptions = { httpOnly: true, secure: true, sameSite: "Strict" as const, path: "/" };

  const loginPage = (c: Context, lang: DashboardLang, error?: string, status: 200 | 401 | 429 = 200) => {
    const t = dashboardT(lang);
    const csrf = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, { ...cookieOptions, maxAge: 1800 });
    return c.html(
      <Page lang={lang} title={t("title")}>
        <h1>{t("title")}</h1>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <form method="post" action="/caseworker/login">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {t("username")}
            <br />
            <input name="username" autocomplete="username" required />
          </label>
          <br />
          <label>
            {t("password")}
            <br />
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <br />
          <button type="submit">{t("signIn")}</button>
        </form>
      </Page>,
      status,
    );
  };

  // Styles and the list's live updates are files, not inline: the pages' CSP allows no inline script or style.
  app.get("/assets/dashboard.css", (c) => cssResponse(c, DASHBOARD_CSS));
  app.get("/assets/insights.css", (c) => cssResponse(c, INSIGHTS_CSS));
  app.get("/assets/live.js", (c) => c.body(LIVE_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }));

  app.get("/login", (c) => loginPage(c, pickLang(c)));

  app.post("/login", limit, async (c) => {
    const lang = pickLang(c);
    const t = dashboardT(lang);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const username = typeof form.username === "string" ? form.username.trim().slice(0, 100) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, MAX_PASSWORD_LENGTH) : "";
    const csrf = typeof form._csrf === "string" ? form._csrf : "";
    if (!csrf || !constantTimeEqual(csrf, getCookie(c, LOGIN_CSRF_COOKIE) ?? "")) return c.text("Forbidden: missing or wrong CSRF token", 403);
    // Each attempt is counted before the password is checked, so parallel guesses are counted too.
    const since = new Date(now().getTime() - FAILURE_WINDOW_MS).toISOString();
    const reserved = await deps.store.reserveSigninAttempt(
      [
        { key: `user:${username.toLowerCase()}`, max: MAX_FAILURES },
        { key: `ip:${clientAddress(c, deps)}`, max: MAX_FAILURES_PER_ADDRESS },
      ],
      now().toISOString(),
      since,
    );
    if (!reserved) {
      deps.logger.warn("dashboard.signin_limited", {});
      return loginPage(c, lang, t("tooMany"), 429);
    }
    const account = await deps.store.findCaseworker(username);
    // The same work whether or not the account exists: no timing hint about usernames.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) {
      deps.logger.warn("dashboard.signin_failed", {});
      return loginPage(c, lang, t("wrong"), 401);
    }
    await deps.store.releaseSigninAttempt(reserved);
    const token = randomToken();
    const expires = new Date(now().getTime() + SESSION_HOURS * 3600_000);
    await deps.store.createSession(await sha256(token), account.id, randomToken(), now().toISOString(), expires.toISOString());
    deleteCookie(c, LOGIN_CSRF_COOKIE, cookieOptions);
    setCookie(c, SESSION_COOKIE, token, { ...cookieOptions, expires });
    deps.logger.info("dashboard.signin", { caseworker: account.id });
    return c.redirect("/caseworker", 303);
  });

  // Everything below needs a session; every form post needs its CSRF token (bodies capped first).
  app.use("*", limit);
  app.use("*", async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const tokenHash = token ? await sha256(token) : "";
    const session = token ? await deps.store.getSession(tokenHash, now().toISOString()) : null;
    if (!session) return c.redirect("/caseworker/login", 303);
    if (c.req.method === "POST") {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const csrf = typeof form._csrf === "string" ? form._csrf : "";
      if (!csrf || !constantTimeEqual(csrf, session.csrf)) return c.text("Forbidden: missing or wrong CSRF token", 403);
    }
    c.set("session", session);
    c.set("tokenHash", tokenHash);
    await next();
  });

  // Supervisors only (the sub-app checks the role on every route, page, CSV and POST alike).
  app.route("/insights", insightsRoutes(deps));
  // The case page and its actions (claim, reply, notes, assign, template, close).
  app.route("/cases", caseRoutes(deps));

  app.post("/logout", async (c) => {
    await deps.store.deleteSession(c.get("tokenHash"));
    deleteCookie(c, SESSION_COOKIE, cookieOptions);
    return c.redirect("/caseworker/login", 303);
  });

  /** A fingerprint of the cases this caseworker may see: it changes when one is opened, raised, claimed or closed. */
  const listStamp = async (me: CaseworkerSession["caseworker"]) => {
    const cases = (await deps.store.listCases()).filter((k) => maySee(me, k));
    const latest = cases.reduce((max, k) => (k.updatedAt > max ? k.updatedAt : max), "");
    return sha256(`${cases.length}:${latest}`);
  };

  // Live updates for the list: the page polls this and reloads when a case changed (no client framework).
  app.get("/latest", async (c) => c.json({ stamp: await listStamp(c.get("session").caseworker) }, 200, { "cache-control": "no-store" }));

  app.get("/", async (c) => {
    const session = c.get("session");
    const me = session.caseworker;
    const t = dashboardT(me.lang);
    const wanted = c.req.query("status");
    const status = wanted === "open" || wanted === "claimed" || wanted === "closed" ? wanted : undefined;
    const priority = Number(c.req.query("priority")) || undefined;
    const language = c.req.query("lang");
    // Most urgent first, and within a priority the newest first; caseworkers see theirs and unclaimed ones.
    const cases = (await deps.store.listCases(status ? { status } : {}))
      .filter((k) => maySee(me, k))
      .filter((k) => (!priority || k.priority === priority) && (!language || k.lang === language))
      .sort((a, b) => a.priority - b.priority || b.openedAt.localeCompare(a.openedAt));
    return c.html(
      <Page lang={me.lang} title={t("cases")}>
        <p>
          {t("signedInAs", { name: me.username, role: me.role })}{" "}
          <form class="inline" method="post" action="/caseworker/logout">
            <input type="hidden" name="_csrf" value={session.csrf} />
            <button type="submit">{t("signOut")}</button>
          </form>
        </p>
        <h1 data-stamp={await listStamp(me)}>{t("cases")}</h1>
        <nav>
          <a href="/caseworker">{t("filters.all")}</a>
          <a href="/caseworker?status=open">{t("filters.open")}</a>
          <a href="/caseworker?status=claimed">{t("filters.claimed")}</a>
          <a href="/caseworker?status=closed">{t("filters.closed")}</a>
          {me.role === "supervisor" ? <a href="/caseworker/insights">{insightsT(me.lang)("title")}</a> : null}
        </nav>
        <form method="get" action="/caseworker">
          {status ? <input type="hidden" name="status" value={status} /> : null}
          <select name="priority" aria-label={t("columns.priority")}>
            <option value="">{t("allPriorities")}</option>
            {[1, 2, 3].map((p) => (
              <option value={String(p)} selected={priority === p}>
                P{p}
              </option>
            ))}
          </select>{" "}
          <select name="lang" aria-label={t("columns.language")}>
            <option value="">{t("allLanguages")}</option>
            {["es", "en", "fr", "ht", "pt"].map((l) => (
              <option value={l} selected={language === l}>
                {l}
              </option>
            ))}
          </select>{" "}
          <button type="submit">{t("filter")}</button>
        </form>
        {cases.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>{t("columns.priority")}</th>
                <th>{t("columns.category")}</th>
                <th>{t("columns.language")}</th>
                <th>{t("columns.country")}</th>
                <th>{t("columns.channel")}</th>
                <th>{t("columns.opened")}</th>
                <th>{t("columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((k) => (
                <tr data-case={k.id}>
                  <td>
                    <a href={`/caseworker/cases/${k.id}`}>{k.id}</a>
                  </td>
                  <td class={k.priority === 1 ? "p1" : ""}>P{k.priority}</td>
                  <td>{k.category}</td>
                  <td>{k.lang}</td>
                  <td>{k.country ?? "—"}</td>
                  <td>{k.channel}</td>
                  <td>{k.openedAt.slice(0, 16).replace("T", " ")}</td>
                  <td>{t(`status.${k.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Page>,
    );
  });

  return app;
}

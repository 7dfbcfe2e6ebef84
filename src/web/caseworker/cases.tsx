import { Hono, type Context } from "hono";
import { webActor } from "../../channels/case-actions.js";
import { WHATSAPP_WINDOW_MS } from "../../channels/twilio/transport.js";
import type { CaseRecord } from "../../core/store/cases.js";
import type { DashboardDeps } from "./dashboard.js";
import { maySee, Page, randomToken, type Env } from "./layout.js";
import { dashboardT } from "./messages.js";

/**
 * A case in the caseworkers' dashboard (/caseworker/cases/:id): the transcript, notes, the audit and the actions
 * (claim, reply, notes, assign, the WhatsApp template, close), all through CaseActions as in the Telegram group.
 * Mounted behind the dashboard's session and CSRF middleware; a case this caseworker may not see is a 404.
 */
export function caseRoutes(deps: DashboardDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = deps.now ?? (() => new Date());

  /** The case, if this caseworker may see it (maySee). */
  const visibleCase = async (c: Context<Env>): Promise<CaseRecord | null> => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) return null;
    const found = await deps.store.getCase({ id });
    return found && maySee(c.get("session").caseworker, found) ? found : null;
  };
  const actor = (c: Context<Env>) => webActor(c.get("session").caseworker);

  app.get("/:id", async (c) => {
    const session = c.get("session");
    const me = session.caseworker;
    const t = dashboardT(me.lang);
    const found = await visibleCase(c);
    if (!found) return c.text("Not found", 404);
    await deps.store.addCaseAudit(found.id, actor(c), "viewed", now().toISOString());
    let windowNote: string | null = null;
    let windowClosed = false;
    if (found.channel === "whatsapp") {
      const contact = await deps.store.getContact(found.userKey, "whatsapp");
      const open = contact !== null && now().getTime() - Date.parse(contact.lastInboundAt) < WHATSAPP_WINDOW_MS;
      windowNote = open ? t("windowOpen") : deps.whatsappTemplate ? t("windowClosed") : t("windowClosedNoTemplate");
      windowClosed = !open;
    }
    const nonce = randomToken();
    const notes = await deps.store.listCaseNotes(found.id);
    const caseworkers = me.role === "supervisor" ? await deps.store.listCaseworkers() : [];
    return c.html(
      <Page lang={me.lang} title={`#${found.id}`}>
        <p>
          <a href="/caseworker">← {t("back")}</a>
        </p>
        <h1 class={found.priority === 1 ? "p1" : ""}>
          #{found.id} · P{found.priority} · {found.category}
        </h1>
        <p>
          {found.lang} · {found.country ?? "—"} · {found.channel} · {t(`status.${found.status}`)} ·{" "}
          {found.claimedBy ? t("claimedBy", { who: found.claimedBy }) : t("unclaimed")}
        </p>
        {windowNote ? <p role="note">{windowNote}</p> : null}
        {windowClosed && deps.whatsappTemplate && found.status !== "closed" ? (
          <form method="post" action={`/caseworker/cases/${found.id}/template`}>
            <input type="hidden" name="_csrf" value={session.csrf} />
            <button type="submit">{t("sendTemplate")}</button>
          </form>
        ) : null}
        <h2>{t("transcript")}</h2>
        <ol class="transcript">
          {found.transcript.map((line) => (
            <li>
              <strong>{line.from === "caseworker" ? t("caseworker") : t("person")}</strong> ({line.at.slice(11, 16)}): {line.text}
            </li>
          ))}
        </ol>
        <h2>{t("notes")}</h2>
        <ul class="notes">
          {notes.map((n) => (
            <li>
              <strong>{n.author}</strong> ({n.at.slice(0, 16).replace("T", " ")}): {n.text}
            </li>
          ))}
        </ul>
        <form method="post" action={`/caseworker/cases/${found.id}/notes`}>
          <input type="hidden" name="_csrf" value={session.csrf} />
          <input name="text" maxlength={2000} required aria-label={t("notes")} /> <button type="submit">{t("addNote")}</button>
        </form>
        {me.role === "supervisor" && found.status !== "closed" ? (
          <form method="post" action={`/caseworker/cases/${found.id}/assign`}>
            <input type="hidden" name="_csrf" value={session.csrf} />
            <label>
              {t("assign")}{" "}
              <select name="to">
                {caseworkers.map((w) => (
                  <option value={String(w.id)}>{w.username}</option>
                ))}
              </select>
            </label>{" "}
            <button type="submit">{t("assignButton")}</button>
          </form>
        ) : null}
        {found.status === "closed" ? (
          <p>{t("closed")}</p>
        ) : (
          <>
            <form method="post" action={`/caseworker/cases/${found.id}/reply`}>
              <input type="hidden" name="_csrf" value={session.csrf} />
              <input type="hidden" name="nonce" value={nonce} />
              <label>
                {t("reply")}
                <br />
                <textarea name="text" rows={4} cols={60} maxlength={2000} required></textarea>
              </label>
              <br />
              <button type="submit">{t("send")}</button>
            </form>
            {found.status === "open" ? (
              <form class="inline" method="post" action={`/caseworker/cases/${found.id}/claim`}>
                <input type="hidden" name="_csrf" value={session.csrf} />
                <button type="submit">{t("claim")}</button>
              </form>
            ) : null}{" "}
            <form class="inline" method="post" action={`/caseworker/cases/${found.id}/close`}>
              <input type="hidden" name="_csrf" value={session.csrf} />
              <button type="submit">{t("close")}</button>
            </form>
          </>
        )}
      </Page>,
    );
  });

  app.post("/:id/reply", async (c) => {
    const found = await visibleCase(c);
    if (!found || found.status === "closed" || !deps.actions) return c.text("Not found", 404);
    const form = await c.req.parseBody();
    const text = typeof form.text === "string" ? form.text.trim().slice(0, 2000) : "";
    const nonce = typeof form.nonce === "string" ? form.nonce.slice(0, 100) : "";
    if (!text || !nonce) return c.text("Bad request: text and nonce are required", 400);
    // The form's nonce makes a resubmitted form (back button, double click) harmless.
    const outcome = await deps.actions.reply(found, actor(c), text, `web:${nonce}`, true);
    if (outcome === "unreachable") return c.text(dashboardT(c.get("session").caseworker.lang)("unreachable"), 409);
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  app.post("/:id/notes", async (c) => {
    const found = await visibleCase(c);
    if (!found) return c.text("Not found", 404);
    const form = await c.req.parseBody();
    const text = typeof form.text === "string" ? form.text.trim().slice(0, 2000) : "";
    if (!text) return c.text("Bad request: the note is empty", 400);
    await deps.store.addCaseNote(found.id, c.get("session").caseworker.username, text, now().toISOString());
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  app.post("/:id/assign", async (c) => {
    const me = c.get("session").caseworker;
    if (me.role !== "supervisor") return c.text("Forbidden: only supervisors assign cases", 403);
    const found = await visibleCase(c);
    if (!found || !deps.actions) return c.text("Not found", 404);
    const form = await c.req.parseBody();
    const to = (await deps.store.listCaseworkers()).find((w) => String(w.id) === form.to);
    if (!to) return c.text("Bad request: no such caseworker", 400);
    await deps.actions.assign(found.id, to, actor(c));
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  app.post("/:id/template", async (c) => {
    const found = await visibleCase(c);
    if (!found || found.status === "closed" || !deps.actions) return c.text("Not found", 404);
    const sent = await deps.actions.sendTemplate(found, actor(c), deps.whatsappTemplate);
    if (!sent) return c.text("Conflict: no WhatsApp template to send for this case", 409);
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  app.post("/:id/claim", async (c) => {
    const found = await visibleCase(c);
    if (!found || !deps.actions) return c.text("Not found", 404);
    const claimed = await deps.actions.claim(found.id, actor(c), c.get("session").caseworker.username);
    if (!claimed) return c.text("Conflict: this case is claimed by someone else", 409);
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  app.post("/:id/close", async (c) => {
    const found = await visibleCase(c);
    if (!found || !deps.actions) return c.text("Not found", 404);
    const me = c.get("session").caseworker;
    const closed = await deps.actions.close(found.id, actor(c), me.username, { supervisor: me.role === "supervisor" });
    if (!closed) return c.text("Conflict: this case is claimed by someone else", 409);
    return c.redirect(`/caseworker/cases/${found.id}`, 303);
  });

  return app;
}

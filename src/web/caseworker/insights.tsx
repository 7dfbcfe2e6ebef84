import { Hono, type Context } from "hono";
import type { TFunction } from "i18next";
import { z } from "zod";
import { GROUP_LIMIT, reviewLines, type InsightsFilter } from "../../core/insights/model.js";
import { buildReport, daysBefore, insightsRange, shown } from "../../core/insights/report.js";
import { isIntentId } from "../../core/intents.js";
import { LANGS } from "../../core/languages.js";
import type { DashboardDeps } from "./dashboard.js";
import { CHART_IDS, reportTables, toCsv, unansweredTable, type ChartId, type Table } from "./csv.js";
import { href, InsightsPage, type View } from "./insights-page.js";
import { insightsT } from "./insights-messages.js";
import { Page, type Env } from "./layout.js";
import { DASHBOARD_LANGS } from "./messages.js";

/**
 * /caseworker/insights, for supervisors: charts of how Brújula and the team are doing (aggregates that
 * buildReport allows), the unanswered questions of a language grouped by meaning, a CSV of every chart, and a
 * button that copies chosen questions to the review file. Mounted by the dashboard after its session check.
 */

/** Questions copied to review in one go. */
const MAX_REVIEW = 50;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a date");
const blankIsNone = (v: unknown) => (v === "" ? undefined : v);
const Query = z.object({
  from: z.preprocess(blankIsNone, day.optional()),
  to: z.preprocess(blankIsNone, day.optional()),
  lang: z.preprocess(blankIsNone, z.enum(LANGS).optional()),
  ui: z.preprocess(blankIsNone, z.enum(DASHBOARD_LANGS).optional()),
  chart: z.enum(CHART_IDS).optional(),
  added: z.coerce.number().int().min(0).optional(),
});

export function insightsRoutes(deps: DashboardDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = deps.now ?? (() => new Date());
  const retentionDays = deps.retentionDays ?? 30;

  /** The validated query as a view, or a 400 response. */
  const viewOf = (c: Context<Env>, query: Record<string, string>): View | Response => {
    const parsed = Query.safeParse(query);
    if (!parsed.success) return c.text(`Bad request: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")} not valid`, 400);
    const today = now().toISOString().slice(0, 10);
    const ui = parsed.data.ui ?? c.get("session").caseworker.lang;
    const range = insightsRange(parsed.data, today, retentionDays);
    return { t: insightsT(ui), ui, filter: { from: range.from, to: range.to, lang: parsed.data.lang }, clamped: range.clamped, earliest: daysBefore(today, retentionDays - 1), today };
  };

  // Supervisors only: the page, its CSV and the review button alike.
  app.use("*", async (c, next) => {
    const me = c.get("session").caseworker;
    if (me.role === "supervisor") return next();
    const t = insightsT(me.lang);
    return c.html(
      <Page lang={me.lang} title={t("title")}>
        <p role="alert">{t("forbidden")}</p>
        <p>
          <a href="/caseworker">← {t("cases")}</a>
        </p>
      </Page>,
      403,
    );
  });

  /** The questions of the chosen language grouped by meaning, or without one how many each language has. */
  const unanswered = async (filter: InsightsFilter) => {
    if (!filter.lang) {
      const questions = await deps.store.listUnanswered({ from: filter.from, to: filter.to, limit: GROUP_LIMIT * LANGS.length });
      return { groups: null, perLang: LANGS.map((lang) => ({ lang, n: questions.filter((q) => q.lang === lang).length })) };
    }
    if (!deps.insights) return { groups: null, perLang: null };
    const questions = await deps.store.listUnanswered({ from: filter.from, to: filter.to, lang: filter.lang, limit: GROUP_LIMIT });
    return { groups: await deps.insights.groups(questions, filter.lang), perLang: null };
  };

  const unansweredCsv = (found: Awaited<ReturnType<typeof unanswered>>, t: TFunction): Table =>
    found.perLang ? { headers: [t("columns.language"), t("columns.size")], rows: found.perLang.map((p) => [p.lang, shown(p.n)]) } : unansweredTable(found.groups ?? [], t);

  app.get("/csv", async (c) => {
    const v = viewOf(c, c.req.query());
    if (v instanceof Response) return v;
    const chart = c.req.query("chart") as ChartId;
    if (!CHART_IDS.includes(chart)) return c.text(`Bad request: chart must be one of ${CHART_IDS.join(", ")}`, 400);
    const table = chart === "unanswered" ? unansweredCsv(await unanswered(v.filter), v.t) : reportTables(buildReport(await deps.store.insightCounts(v.filter), v.filter), v.t)[chart];
    const name = `brujula-${chart}-${v.filter.from}-${v.filter.to}${v.filter.lang ? `-${v.filter.lang}` : ""}.csv`;
    return c.body(toCsv(table), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" });
  });

  app.post("/review", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const v = viewOf(c, Object.fromEntries(["from", "to", "lang", "ui"].flatMap((k) => (typeof form[k] === "string" ? [[k, form[k]]] : []))));
    if (v instanceof Response) return v;
    const ids = [...new Set([form.ex ?? []].flat().map(Number))].filter((id) => Number.isSafeInteger(id) && id > 0);
    if (ids.length === 0 || ids.length > MAX_REVIEW) return c.text(`Bad request: choose between 1 and ${MAX_REVIEW} questions`, 400);
    const intent = isIntentId(form.intent) ? form.intent : null;
    const chosen = await deps.store.listUnanswered({ from: v.earliest, to: v.today, ids });
    const entries = chosen.map((q) => ({ lang: q.lang, text: q.text, kind: q.kind, suggestedIntent: intent ?? q.intent, score: q.score, day: q.day }));
    if (!deps.insights?.review) {
      // No file to write to (Workers): the supervisor gets the lines to commit by hand.
      return c.body(reviewLines(entries, v.today), 200, {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="review-${v.filter.lang ?? "all"}-${v.today}.jsonl"`,
        "cache-control": "no-store",
      });
    }
    const { added } = await deps.insights.review.add(entries);
    deps.logger.info("insights.review_added", { added, lang: v.filter.lang ?? "all" });
    return c.redirect(`${href(v, "", { added: String(added) })}#unanswered`, 303);
  });

  app.get("/", async (c) => {
    const v = viewOf(c, c.req.query());
    if (v instanceof Response) return v;
    const report = buildReport(await deps.store.insightCounts(v.filter), v.filter);
    const tables = reportTables(report, v.t);
    const found = await unanswered(v.filter);
    const added = Number(c.req.query("added")) || 0;
    return c.html(<InsightsPage v={v} csrf={c.get("session").csrf} report={report} tables={tables} found={found} added={added} retentionDays={retentionDays} />);
  });

  return app;
}

import type { FC } from "hono/jsx";
import type { TFunction } from "i18next";
import type { InsightsFilter, QuestionGroup } from "../../core/insights/model.js";
import { shown, SMALL, type Derived, type InsightsReport } from "../../core/insights/report.js";
import { LANG_NAMES, LANGS, type Lang } from "../../core/languages.js";
import { BarChart, DataTable, Legend, LineChart, StackedBars, type Bar } from "./charts.js";
import { figure, kindsText, langName, percent, WITHHELD, type Cell, type ChartId, type reportTables, type Table } from "./csv.js";
import { Page } from "./layout.js";
import { DASHBOARD_LANGS, type DashboardLang } from "./messages.js";

/** The insights page itself (routes in insights.tsx): the filters, the charts with their tables and CSV links, the unanswered questions. */

/** Shown groups per page (the CSV has them all). */
const GROUPS_SHOWN = 30;

export interface View {
  t: TFunction;
  ui: DashboardLang;
  filter: InsightsFilter;
  clamped: boolean;
  earliest: string;
  today: string;
}

/** The page's own address with its filters (and the page language), plus `extra`. */
export const href = (v: View, path = "", extra: Record<string, string> = {}) =>
  `/caseworker/insights${path}?${new URLSearchParams({ from: v.filter.from, to: v.filter.to, ...(v.filter.lang ? { lang: v.filter.lang } : {}), ui: v.ui, ...extra })}`;

/** A chart's description for screen readers: its highest value and how many are not drawn. */
function describe(t: TFunction, points: { label: string; value: Cell }[]): string {
  const numbers = points.filter((p): p is { label: string; value: number } => typeof p.value === "number");
  if (points.length === 0 || (numbers.every((p) => p.value === 0) && numbers.length === points.length)) return t("noData");
  const top = numbers.reduce<{ label: string; value: number } | null>((best, p) => (!best || p.value > best.value ? p : best), null);
  const hidden = points.length - numbers.length;
  return [top ? t("highest", { label: top.label, value: top.value }) : "", hidden > 0 ? t("hiddenValues", { count: hidden }) : ""].filter(Boolean).join(" ");
}

const asCell = (d: Derived, small = false): Cell => (d === null ? (small ? SMALL : WITHHELD) : d);
/** A bar; without `text` its value as a figure (or "—" when withheld). */
const bar = (label: string, value: Derived, text?: string): Bar => ({ label, value, text: text ?? String(figure(value)) });

const Figure: FC<{ id: ChartId; title: string; note?: string | undefined; table: Table; v: View; children?: unknown }> = ({ id, title, note, table, v, children }) => (
  <figure id={id} aria-labelledby={`${id}-h`}>
    <figcaption>
      <h2 id={`${id}-h`}>{title}</h2>
      {note ? <p class="note">{note}</p> : null}
    </figcaption>
    {children}
    <details>
      <summary>{v.t("table")}</summary>
      <DataTable table={table} />
    </details>
    <p>
      <a href={href(v, "/csv", { chart: id })} download>
        {v.t("csv")} ({title})
      </a>
    </p>
  </figure>
);

export type Found = { groups: QuestionGroup[] | null; perLang: { lang: Lang; n: number }[] | null };

export const InsightsPage: FC<{ v: View; csrf: string; report: InsightsReport; tables: ReturnType<typeof reportTables>; found: Found; added: number; retentionDays: number }> = ({ v, csrf, report, tables, found, added, retentionDays }) => {
  const { t } = v;
  const short = (d: string) => d.slice(5);
  const langLabel = (l: Lang | null) => String(langName(l, t));
  const stacked = <K,>(keys: K[], pick: (day: string, key: K) => Derived) => report.days.map((d) => ({ label: short(d), segments: keys.map((k) => pick(d, k)) }));
  const byChannel = stacked(report.conversations.channels, (d, ch) => report.conversations.byChannel.find((r) => r.day === d && r.channel === ch)?.people ?? 0);
  const byLang = stacked(report.conversations.langs, (d, l) => report.conversations.byLang.find((r) => r.day === d && r.lang === l)?.people ?? 0);
  const points = (columns: typeof byChannel, names: string[]) => columns.flatMap((c) => c.segments.map((s, i) => ({ label: `${c.label} ${names[i]}`, value: asCell(s, true) })));
  const topicBars = report.topics.slice(0, 12).map((r) => bar(r.intent, r.n === SMALL ? null : r.n, String(r.n)));
  const handoffBars = report.handoffs.cells.map((r) => bar(`${r.category} · P${r.priority}`, r.people === SMALL ? null : r.people, String(r.people)));
  const timeBars = (["firstReply", "close"] as const).flatMap((m) => [
    bar(`${t(`measures.${m}`)} · ${t("columns.median")}`, report.caseTimes[m].median),
    bar(`${t(`measures.${m}`)} · ${t("columns.p90")}`, report.caseTimes[m].p90),
  ]);
  const rateBar = (label: string, share: Derived) => bar(label, share === null ? null : share * 100, share === null ? undefined : `${percent(share)}%`);
  const deliveryBars = report.deliveries.byChannel.map((r) => rateBar(r.channel, r.successRate));
  const ratingBars = report.ratings.byIntent.map((r) => rateBar(r.intent, r.share));
  const barPoints = (bars: Bar[]) => bars.map((b) => ({ label: b.label, value: b.value ?? b.text }));
  const decisionNames = [t("columns.fallbackRate"), t("columns.clarifyRate")];
  return (
    <Page lang={v.ui} title={t("title")} styles={["insights"]}>
      <main>
        <p>
          <a href="/caseworker">← {t("cases")}</a>
        </p>
        <h1>{t("title")}</h1>
        <nav class="langs" aria-label={t("pageLanguage")}>
          {t("pageLanguage")}:
          {DASHBOARD_LANGS.map((l) => (
            <>
              {" "}
              {l === v.ui ? <strong>{LANG_NAMES[l]}</strong> : <a href={href({ ...v, ui: l })} hreflang={l} lang={l}>{LANG_NAMES[l]}</a>}
            </>
          ))}
        </nav>
        <form class="filters" method="get" action="/caseworker/insights">
          <input type="hidden" name="ui" value={v.ui} />
          <label>
            {t("filters.from")} <input type="date" name="from" value={v.filter.from} min={v.earliest} max={v.today} />
          </label>
          <label>
            {t("filters.to")} <input type="date" name="to" value={v.filter.to} min={v.earliest} max={v.today} />
          </label>
          <label>
            {t("filters.language")}{" "}
            <select name="lang">
              <option value="">{t("filters.allLanguages")}</option>
              {LANGS.map((l) => (
                <option value={l} selected={v.filter.lang === l}>{l}</option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">{t("filters.apply")}</button>
        </form>
        <p class="note">{t("range", { from: v.filter.from, to: v.filter.to })}. {t("utc", { days: retentionDays })}</p>
        {v.clamped ? <p class="note" role="status">{t("clamped", { days: retentionDays })}</p> : null}
        <p class="note">{t("privacy")}</p>
        <Figure id="conversations" title={t("charts.byChannel")} table={tables.conversations} v={v}>
          <StackedBars id="chart-conversations" title={t("charts.byChannel")} desc={describe(t, points(byChannel, report.conversations.channels))} columns={byChannel} />
          <Legend names={report.conversations.channels} />
        </Figure>
        <Figure id="languages" title={t("charts.byLang")} table={tables.languages} v={v}>
          <StackedBars id="chart-languages" title={t("charts.byLang")} desc={describe(t, points(byLang, report.conversations.langs.map(langLabel)))} columns={byLang} />
          <Legend names={report.conversations.langs.map(langLabel)} />
        </Figure>
        <Figure id="topics" title={t("charts.topics")} table={tables.topics} v={v}>
          <BarChart id="chart-topics" title={t("charts.topics")} desc={describe(t, barPoints(topicBars))} bars={topicBars} />
        </Figure>
        <Figure id="decisions" title={t("charts.decisions")} table={tables.decisions} v={v}>
          <LineChart
            id="chart-decisions"
            title={t("charts.decisions")}
            desc={describe(t, report.decisions.flatMap((d) => [{ label: `${d.day} ${decisionNames[0]}`, value: percent(d.fallbackRate) }, { label: `${d.day} ${decisionNames[1]}`, value: percent(d.clarifyRate) }]))}
            labels={report.days.map(short)}
            lines={[report.decisions.map((d) => d.fallbackRate), report.decisions.map((d) => d.clarifyRate)]}
          />
          <Legend names={decisionNames} />
        </Figure>
        <Figure id="handoffs" title={t("charts.handoffs")} table={tables.handoffs} v={v}>
          <BarChart id="chart-handoffs" title={t("charts.handoffs")} desc={describe(t, barPoints(handoffBars))} bars={handoffBars} />
        </Figure>
        <Figure id="case-times" title={t("charts.caseTimes")} note={t("notes.caseTimes")} table={tables["case-times"]} v={v}>
          <BarChart id="chart-case-times" title={t("charts.caseTimes")} desc={describe(t, barPoints(timeBars))} bars={timeBars} />
        </Figure>
        <Figure id="delivery" title={t("charts.delivery")} note={t("notes.delivery", { days: retentionDays })} table={tables.delivery} v={v}>
          <BarChart id="chart-delivery" title={t("charts.delivery")} desc={describe(t, barPoints(deliveryBars))} bars={deliveryBars} />
        </Figure>
        <Figure id="ratings" title={t("charts.ratings")} table={tables.ratings} v={v}>
          <BarChart id="chart-ratings" title={t("charts.ratings")} desc={describe(t, barPoints(ratingBars))} bars={ratingBars} />
        </Figure>
        <Unanswered v={v} csrf={csrf} found={found} added={added} />
      </main>
    </Page>
  );
};

const Unanswered: FC<{ v: View; csrf: string; found: Found; added: number }> = ({ v, csrf, found, added }) => {
  const { t } = v;
  return (
    <section id="unanswered" aria-labelledby="unanswered-h">
      <h2 id="unanswered-h">{t("unanswered.title")}</h2>
      <p class="note">{t("unanswered.redacted")}</p>
      {added > 0 && v.filter.lang ? <p role="status">{t("unanswered.added", { count: added, file: `intents/review/${v.filter.lang}.jsonl` })}</p> : null}
      {found.perLang ? (
        <>
          <p>{t("unanswered.chooseLanguage")}</p>
          <ul class="langs">
            {found.perLang.map((p) => (
              <li>
                <a href={`${href({ ...v, filter: { ...v.filter, lang: p.lang } })}#unanswered`}>{LANG_NAMES[p.lang]}</a>: {shown(p.n)}
              </li>
            ))}
          </ul>
        </>
      ) : found.groups === null ? (
        <p>{t("unanswered.grouping")}</p>
      ) : found.groups.length === 0 ? (
        <p>{t("unanswered.none")}</p>
      ) : (
        found.groups.slice(0, GROUPS_SHOWN).map((g, i) => (
          <form class="group" method="post" action="/caseworker/insights/review">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="from" value={v.filter.from} />
            <input type="hidden" name="to" value={v.filter.to} />
            <input type="hidden" name="lang" value={g.lang} />
            <input type="hidden" name="ui" value={v.ui} />
            {g.nearest ? <input type="hidden" name="intent" value={g.nearest.intent} /> : null}
            <h3>{t("unanswered.group", { n: i + 1, size: shown(g.size) })}</h3>
            <p class="note">
              {kindsText(g, t)} · {g.nearest ? t("unanswered.nearest", { intent: g.nearest.intent, score: g.nearest.score.toFixed(2) }) : t("unanswered.noNearest")}
            </p>
            <ul>
              {g.examples.map((e) => (
                <li>
                  <label>
                    <input type="checkbox" name="ex" value={String(e.id)} /> {e.text}
                  </label>
                </li>
              ))}
            </ul>
            <button type="submit">{t("unanswered.review")}</button>
          </form>
        ))
      )}
      <p>
        <a href={href(v, "/csv", { chart: "unanswered" })} download>
          {t("csv")} ({t("unanswered.title")})
        </a>
      </p>
    </section>
  );
};

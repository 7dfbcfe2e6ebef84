import { jsx } from "hono/jsx";
import { describe, expect, it } from "vitest";
import { MIN_PEOPLE, NO_COUNTS, type InsightCounts } from "../../src/core/insights/model.js";
import { buildReport, insightsRange, quantile, SMALL } from "../../src/core/insights/report.js";
import { BarChart, LineChart, StackedBars } from "../../src/web/caseworker/charts.js";
import { reportTables, toCsv, unansweredTable } from "../../src/web/caseworker/csv.js";
import { insightsT } from "../../src/web/caseworker/insights-messages.js";

/** Hand-written counts as the store would return them: two days, one language with fewer than five people. */
const counts: InsightCounts = {
  conversations: [
    { day: "2026-11-01", channel: "whatsapp", lang: "es", people: 12 },
    { day: "2026-11-01", channel: "whatsapp", lang: "ht", people: 2 },
    { day: "2026-11-01", channel: "telegram", lang: "es", people: 6 },
    { day: "2026-11-02", channel: "whatsapp", lang: "es", people: 9 },
    { day: "2026-11-02", channel: "sms", lang: null, people: 5 },
  ],
  decisions: [
    { day: "2026-11-01", decision: "answer", n: 40, people: 15 },
    { day: "2026-11-01", decision: "clarify", n: 6, people: 5 },
    { day: "2026-11-01", decision: "fallback", n: 4, people: 5 },
    { day: "2026-11-02", decision: "answer", n: 30, people: 10 },
    { day: "2026-11-02", decision: "fallback", n: 3, people: 3 },
  ],
  topics: [
    { intent: "help.shelter", n: 20, people: 8 },
    { intent: "help.health", n: 30, people: 11 },
    { intent: "protection.documents", n: 3, people: 2 },
  ],
  handoffs: [
    { category: "human.request", priority: 3, people: 7 },
    { category: "urgent.self_harm", priority: 1, people: 1 },
  ],
  caseTimes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => ({ firstReplyMinutes: m, closeMinutes: m < 4 ? m * 60 : null })),
  deliveries: [
    { day: "2026-11-01", channel: "whatsapp", outcome: "delivered", n: 45, people: 18 },
    { day: "2026-11-01", channel: "whatsapp", outcome: "failed", n: 5, people: 5 },
    { day: "2026-11-01", channel: "sms", outcome: "delivered", n: 9, people: 6 },
    { day: "2026-11-01", channel: "sms", outcome: "failed", n: 2, people: 1 },
  ],
  ratings: [
    { intent: "help.shelter", lang: "es", country: "PA", useful: true, n: 8 },
    { intent: "help.shelter", lang: "es", country: "PA", useful: false, n: 5 },
    { intent: "help.health", lang: "es", country: "PA", useful: true, n: 9 },
    { intent: "help.health", lang: "ht", country: "PA", useful: false, n: 1 },
  ],
};
const filter = { from: "2026-11-01", to: "2026-11-03" };

describe("the insights report", () => {
  const report = buildReport(counts, filter);

  it("hides every count under five people and shows the others", () => {
    expect(MIN_PEOPLE).toBe(5);
    expect(report.conversations.cells.find((c) => c.lang === "ht")!.people).toBe(SMALL);
    expect(report.conversations.cells.find((c) => c.channel === "telegram")!.people).toBe(6);
    expect(report.topics.map((t) => [t.intent, t.n])).toEqual([["help.health", 30], ["help.shelter", 20], ["protection.documents", SMALL]]);
    expect(report.handoffs.cells).toEqual([
      { category: "urgent.self_harm", priority: 1, people: SMALL },
      { category: "human.request", priority: 3, people: 7 },
    ]);
    expect(report.ratings.cells.find((c) => c.lang === "ht")!.n).toBe(SMALL);
  });

  it("withholds a total, rate or share whenever one of its counts is hidden", () => {
    // WhatsApp on the 1st is 12 (es) + a hidden ht cell: no total, which would give the hidden cell away.
    expect(report.conversations.byChannel.find((c) => c.day === "2026-11-01" && c.channel === "whatsapp")!.people).toBeNull();
    expect(report.conversations.byChannel.find((c) => c.day === "2026-11-01" && c.channel === "telegram")!.people).toBe(6);
    expect(report.conversations.byLang.find((c) => c.day === "2026-11-01" && c.lang === "es")!.people).toBe(18);
    expect(report.conversations.byLang.find((c) => c.day === "2026-11-02" && c.lang === null)!.people).toBe(5);
    const [first, second, third] = report.decisions;
    expect(first!.fallbackRate).toBeCloseTo(4 / 50);
    expect(first!.clarifyRate).toBeCloseTo(6 / 50);
    expect(second).toMatchObject({ fallback: SMALL, fallbackRate: null, clarifyRate: null, clarify: 0 });
    expect(third).toMatchObject({ answer: 0, fallbackRate: null });
    expect(report.handoffs.byCategory.find((c) => c.category === "urgent.self_harm")!.total).toBeNull();
    expect(report.deliveries.byChannel).toEqual([
      { channel: "sms", delivered: 9, failed: null, waiting: 0, successRate: null },
      { channel: "whatsapp", delivered: 45, failed: 5, waiting: 0, successRate: 0.9 },
    ]);
    expect(report.ratings.byIntent).toEqual([
      { intent: "help.health", useful: 9, notUseful: null, share: null },
      { intent: "help.shelter", useful: 8, notUseful: 5, share: 8 / 13 },
    ]);
  });

  it("gives median and p90 by nearest rank, only from five cases on", () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(report.caseTimes.firstReply).toEqual({ median: 5, p90: 9 });
    expect(report.caseTimes.close).toEqual({ median: null, p90: null }); // three closed cases
  });

  it("reports on every day of the range, and nothing outside it", () => {
    expect(report.days).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    const narrow = buildReport(counts, { from: "2026-11-02", to: "2026-11-02" });
    expect(narrow.conversations.cells.every((c) => c.day === "2026-11-02")).toBe(true);
    expect(narrow.decisions).toHaveLength(1);
    expect(buildReport(NO_COUNTS, filter).topics).toEqual([]);
  });

  it("keeps the range inside the last RETENTION_DAYS days (people are counted by a key that lives that long)", () => {
    expect(insightsRange({}, "2026-11-26", 30)).toEqual({ from: "2026-10-28", to: "2026-11-26", clamped: false });
    expect(insightsRange({}, "2026-11-26", 7)).toEqual({ from: "2026-11-20", to: "2026-11-26", clamped: false });
    expect(insightsRange({ from: "2026-01-01", to: "2026-11-10" }, "2026-11-26", 30)).toEqual({ from: "2026-10-28", to: "2026-11-10", clamped: true });
    expect(insightsRange({ from: "2026-11-20", to: "2026-11-10" }, "2026-11-26", 30)).toEqual({ from: "2026-11-10", to: "2026-11-20", clamped: false });
    expect(insightsRange({ to: "2027-01-01" }, "2026-11-26", 30).to).toBe("2026-11-26");
  });
});

describe("the tables and CSV behind the charts", () => {
  const t = insightsT("en");
  const tables = reportTables(buildReport(counts, filter), t);

  it("shows hidden cells as <5 and withheld figures as a dash, with headers in the page's language", () => {
    expect(tables.conversations.headers).toEqual(["Day", "Channel", "Language", "People"]);
    expect(tables.conversations.rows).toContainEqual(["2026-11-01", "whatsapp", "ht", "<5"]);
    expect(tables.decisions.rows[1]).toEqual(["2026-11-02", 30, 0, "<5", "—", "—"]);
    expect(reportTables(buildReport(counts, filter), insightsT("fr")).topics.headers).toEqual(["Sujet", "Messages", "Personnes"]);
    expect(reportTables(buildReport(counts, filter), insightsT("es")).handoffs.headers[0]).toBe("Categoría");
  });

  it("quotes like RFC 4180 and keeps spreadsheets from running a cell as a formula", () => {
    const csv = toCsv({ headers: ["a", "b"], rows: [["=HYPERLINK(\"x\")", "+1"], ["-2", "@SUM(A1)"], ["x, y", 3], ["line\nbreak", "<5"]] });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual(["a,b", `"'=HYPERLINK(""x"")",'+1`, "'-2,'@SUM(A1)", `"x, y",3`, `"line\nbreak",<5`, ""]);
  });

  it("lists unanswered questions one example a row, small group sizes as <5", () => {
    const table = unansweredTable(
      [{ lang: "ht", size: 3, kinds: { fallback: 3 }, nearest: { intent: "help.shelter", score: 0.4123 }, examples: [{ id: 1, kind: "fallback", lang: "ht", intent: null, score: null, text: "=cmd kote pou m dòmi", day: "2026-11-01" }] }],
      t,
    );
    expect(table.rows).toEqual([[1, "ht", "<5", "not understood: <5", "help.shelter", 0.41, "=cmd kote pou m dòmi"]]);
    expect(toCsv(table)).toContain("'=cmd kote pou m dòmi");
  });
});

describe("the charts", () => {
  const charts = [
    String(jsx(BarChart, { id: "b", title: "Top topics", desc: "Highest: help.shelter, 20.", bars: [{ label: "help.shelter", value: 20, text: "20" }, { label: "x", value: null, text: "<5" }] })),
    String(jsx(StackedBars, { id: "s", title: "People per day", desc: "d", columns: [{ label: "11-01", segments: [3, null] }, { label: "11-02", segments: [1, 2] }] })),
    String(jsx(LineChart, { id: "l", title: "Rates", desc: "d", labels: ["11-01", "11-02", "11-03"], lines: [[0.1, null, 0.2], [0.05, 0.04, 0.03]] })),
  ];

  it("are images with a title and a description, labelled by them", () => {
    for (const svg of charts) {
      const id = /<svg[^>]*aria-labelledby="(\w)-t \w-d"/.exec(svg)?.[1];
      expect(id).toBeDefined();
      expect(svg).toMatch(/<svg[^>]* role="img"/);
      expect(svg).toContain(`<title id="${id}-t">`);
      expect(svg).toContain(`<desc id="${id}-d">`);
    }
  });

  it("use no inline style (the CSP forbids it): classes and presentation attributes only", () => {
    for (const svg of charts) {
      expect(svg).not.toMatch(/style=/i);
      expect(svg).not.toMatch(/<style/i);
    }
  });

  it("draw no bar for a hidden value, and break a line where a rate is withheld", () => {
    expect(charts[0]!.match(/<rect /g)).toHaveLength(1);
    expect(charts[1]!.match(/<rect /g)).toHaveLength(3);
    expect(charts[2]!.match(/<polyline /g)).toHaveLength(1);
    expect(charts[2]!.match(/<circle /g)).toHaveLength(2);
  });
});

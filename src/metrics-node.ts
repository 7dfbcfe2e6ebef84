import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "./core/store/store.js";
import { failureReason, type Observer } from "./metrics.js";

/**
 * Prometheus metrics for `GET /metrics` (Node): counters kept in this process since it started, and gauges read
 * from the store at scrape time (the outbox's depth and lag, cases by status and the case audit), which stay
 * right across restarts and with several processes.
 */
export interface NodeMetrics {
  observer: Observer;
  registry: Registry;
}

export function createNodeMetrics(store: Store): NodeMetrics {
  const registry = new Registry();
  // The two case gauges are collected together (prom-client gathers every metric at once): one query serves both.
  let counting: ReturnType<Store["caseCounts"]> | undefined;
  const caseCounts = () => (counting ??= store.caseCounts().finally(() => (counting = undefined)));
  collectDefaultMetrics({ register: registry, prefix: "brujula_" });
  const messages = new Counter({ name: "brujula_messages_total", help: "Messages read, by channel and language", labelNames: ["channel", "lang"], registers: [registry] });
  const answers = new Counter({ name: "brujula_answers_total", help: "Vetted answers sent, by intent", labelNames: ["intent"], registers: [registry] });
  const unanswered = new Counter({
    name: "brujula_unanswered_total",
    help: "Messages the matcher could not answer outright, by decision (fallback, clarify) and language",
    labelNames: ["decision", "lang"],
    registers: [registry],
  });
  const handoffs = new Counter({ name: "brujula_handoffs_total", help: "Handoffs requested, by category and priority", labelNames: ["category", "priority"], registers: [registry] });
  const sends = new Counter({ name: "brujula_sends_total", help: "Send attempts, by channel and outcome (sent, retry, failed, held)", labelNames: ["channel", "outcome"], registers: [registry] });
  const failures = new Counter({ name: "brujula_send_failures_total", help: "Sends that failed or will be retried, by channel and reason", labelNames: ["channel", "reason"], registers: [registry] });
  const latency = new Histogram({
    name: "brujula_webhook_duration_seconds",
    help: "Webhook handling time, from request to acknowledgement",
    labelNames: ["route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: "brujula_outbox_items",
    help: "Outbox items by status",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await store.outboxCounts())) this.set({ status }, n);
    },
  });
  new Gauge({
    name: "brujula_outbox_oldest_due_seconds",
    help: "How long the most overdue reply has been due (0: nothing is late)",
    registers: [registry],
    async collect() {
      const due = await store.nextDue();
      this.set(due ? Math.max(0, (Date.now() - Date.parse(due)) / 1000) : 0);
    },
  });
  new Gauge({
    name: "brujula_cases",
    help: "Cases by status (open, claimed, closed)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries((await caseCounts()).byStatus)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: "brujula_case_actions",
    help: "Case actions in the audit since the database began (opened, claimed, replied, closed, deleted, ...)",
    labelNames: ["action"],
    registers: [registry],
    async collect() {
      for (const [action, n] of Object.entries((await caseCounts()).actions)) this.set({ action }, n);
    },
  });

  const observer: Observer = {
    turn(channel, turn) {
      messages.inc({ channel, lang: turn.lang });
      for (const event of turn.events) {
        const data = event.data;
        if (event.type === "message.interpreted") {
          if (data.decision === "fallback" || data.decision === "clarify") unanswered.inc({ decision: String(data.decision), lang: String(data.lang) });
        } else if (event.type === "answer.sent") answers.inc({ intent: String(data.intent) });
        else if (event.type === "handoff.requested") handoffs.inc({ category: String(data.intent), priority: String(data.priority) });
      }
    },
    sent(item, outcome) {
      sends.inc({ channel: item.channel, outcome: outcome.status });
      if (outcome.status === "failed" || outcome.status === "retry") failures.inc({ channel: item.channel, reason: failureReason(outcome.error) });
    },
    webhook(route, status, seconds) {
      latency.observe({ route, status: String(status) }, seconds);
    },
  };
  return { observer, registry };
}

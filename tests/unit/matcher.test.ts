import { describe, expect, it } from "vitest";
import { decide, type MatchThresholds } from "../../src/core/matcher.js";

const thresholds: MatchThresholds = { answer: 0.5, floor: 0.3, margin: 0.05, handoff: 0.4 };

describe("the matcher's decision", () => {
  it("answers when the best intent is clearly ahead", () => {
    expect(decide([{ intent: "risk.darien", score: 0.7 }, { intent: "risk.journey", score: 0.5 }], thresholds)).toEqual({
      kind: "answer",
      intent: "risk.darien",
      confidence: 0.7,
    });
  });

  it("asks which one was meant when the second is close", () => {
    const decision = decide(
      [{ intent: "protection.asylum", score: 0.6 }, { intent: "protection.asylum_apply", score: 0.58 }, { intent: "help.legal", score: 0.2 }],
      thresholds,
    );
    expect(decision).toMatchObject({ kind: "clarify", options: ["protection.asylum", "protection.asylum_apply"] });
  });

  it("asks for confirmation in the uncertain band", () => {
    expect(decide([{ intent: "help.health", score: 0.4 }, { intent: "help.shelter", score: 0.1 }], thresholds)).toMatchObject({
      kind: "clarify",
      options: ["help.health"],
    });
  });

  it("falls back when nothing is close", () => {
    expect(decide([{ intent: "help.health", score: 0.2 }], thresholds)).toMatchObject({ kind: "fallback", nearest: "help.health" });
    expect(decide([], thresholds)).toMatchObject({ kind: "fallback", nearest: null });
  });

  it("hands off a sensitive intent even below the answer threshold: when in doubt, a person looks", () => {
    expect(decide([{ intent: "urgent.danger", score: 0.45 }, { intent: "risk.journey", score: 0.3 }], thresholds)).toMatchObject({
      kind: "answer",
      intent: "urgent.danger",
    });
  });

  it("does not page a caseworker on noise: a sensitive intent tied with others below the answer threshold", () => {
    const decision = decide(
      [{ intent: "urgent.child_alone", score: 0.42 }, { intent: "protection.asylum_apply", score: 0.41 }, { intent: "pathways.work", score: 0.4 }],
      thresholds,
    );
    expect(decision.kind).toBe("clarify");
  });

  it("falls back when the message is closer to the out-of-scope counter-examples, but never for a sensitive intent", () => {
    expect(decide([{ intent: "help.health", score: 0.5 }, { intent: "help.shelter", score: 0.1 }], thresholds, 0.55)).toMatchObject({ kind: "fallback" });
    expect(decide([{ intent: "help.health", score: 0.6 }, { intent: "help.shelter", score: 0.1 }], thresholds, 0.55)).toMatchObject({ kind: "answer" });
    expect(decide([{ intent: "urgent.danger", score: 0.5 }, { intent: "help.shelter", score: 0.1 }], thresholds, 0.9)).toMatchObject({
      kind: "answer",
      intent: "urgent.danger",
    });
  });
});

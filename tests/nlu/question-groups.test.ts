import { describe, expect, it } from "vitest";
import { GROUP_LIMIT, type QuestionGroup } from "../../src/core/insights/model.js";
import type { Lang } from "../../src/core/languages.js";
import type { UnansweredKind, UnansweredQuestion } from "../../src/core/store/questions.js";
import { groupingSimilarity, questionGrouper } from "../../src/nlu/question-groups.js";
import { realAssistant } from "../support/assistant.js";

/**
 * Unanswered questions grouped with the real matcher's embedder and thresholds (the built-in one, as the service
 * and the Worker run it): paraphrases planted in Spanish, Haitian Creole and English, mixed with one another.
 */

interface Planted {
  name: string;
  kind: UnansweredKind;
  texts: string[];
}

const PLANTED: Partial<Record<Lang, Planted[]>> = {
  es: [
    { name: "bus fare", kind: "fallback", texts: ["¿cuánto cuesta el bus a Monterrey?", "cuánto cuesta el autobús para Monterrey", "cuanto cuesta el bus de aquí a Monterrey"] },
    { name: "wifi at the shelter", kind: "clarify", texts: ["¿hay wifi gratis en el albergue?", "el albergue tiene wifi gratis?", "hay wifi gratis para llamar"] },
    { name: "charging a phone", kind: "not_useful", texts: ["dónde puedo cargar mi celular", "necesito cargar mi celular", "¿dónde puedo cargar el celular aquí?"] },
    { name: "weather", kind: "fallback", texts: ["¿va a llover mañana en Tapachula?", "va a llover mañana?", "mañana va a llover en la frontera"] },
  ],
  ht: [
    { name: "bus fare", kind: "fallback", texts: ["konbyen kòb bis la ye pou Monterrey", "konbyen bis pou ale Monterrey koute", "konbyen kòb pou bis Monterrey"] },
    { name: "free wifi", kind: "fallback", texts: ["èske gen wifi gratis nan abri a", "gen wifi gratis isit la?", "kote ki gen wifi gratis"] },
    { name: "charging a phone", kind: "not_useful", texts: ["ki kote m ka chaje telefòn mwen", "mwen bezwen chaje telefòn mwen", "kote pou m chaje telefòn"] },
  ],
  en: [{ name: "bus fare", kind: "fallback", texts: ["how much is the bus ticket to Monterrey", "how much does the bus to Monterrey cost", "bus ticket price to Monterrey"] }],
};

/** Every planted question, the sets interleaved (as they arrive over days), ids in arrival order. */
function plantedQuestions(): UnansweredQuestion[] {
  const questions: UnansweredQuestion[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [lang, sets] of Object.entries(PLANTED) as [Lang, Planted[]][]) {
      for (const set of sets) {
        const text = set.texts[round]!;
        questions.push({ id: questions.length + 1, kind: set.kind, lang, intent: null, score: null, text, day: `2026-11-${20 + round}` });
      }
    }
  }
  return questions;
}

const texts = (group: QuestionGroup) => group.examples.map((e) => e.text).sort();

async function grouper() {
  const assistant = await realAssistant();
  return { assistant, group: questionGrouper(assistant.embedder, assistant.index, groupingSimilarity(assistant.calibration)) };
}

describe("unanswered questions grouped by meaning", () => {
  it("puts each planted paraphrase set in a group of its own, in es, ht and en", async () => {
    const { group } = await grouper();
    const questions = plantedQuestions();
    for (const [lang, sets] of Object.entries(PLANTED) as [Lang, Planted[]][]) {
      const groups = await group(questions, lang);
      expect(groups.every((g) => g.lang === lang)).toBe(true);
      expect(groups.map(texts).sort()).toEqual(sets.map((s) => [...s.texts].sort()).sort());
      for (const set of sets) {
        const found = groups.find((g) => g.examples.some((e) => e.text === set.texts[0]))!;
        expect(found.size, set.name).toBe(3);
        expect(found.kinds, set.name).toEqual({ [set.kind]: 3 });
      }
    }
  });

  it("names the existing intent nearest each group, and says when the catalogue lacks the topic", async () => {
    const { assistant, group } = await grouper();
    const answer = assistant.calibration.thresholds.answer;
    const questions = plantedQuestions();
    const nearest = async (lang: Lang, text: string) => (await group(questions, lang)).find((g) => g.examples.some((e) => e.text === text))!.nearest;
    // Wordings of topics Brújula answers: the group points at the intent that should learn them.
    for (const [lang, text] of [["es", "necesito cargar mi celular"], ["ht", "mwen bezwen chaje telefòn mwen"]] as const) {
      expect(await nearest(lang, text)).toMatchObject({ intent: "help.basic_needs", score: expect.any(Number) });
      expect((await nearest(lang, text))!.score).toBeGreaterThanOrEqual(answer);
    }
    expect((await nearest("es", "el albergue tiene wifi gratis?"))!.intent).toBe("help.shelter");
    // Bus fares and the weather: no intent comes near enough to answer.
    for (const [lang, text] of [["es", "va a llover mañana?"], ["es", "cuánto cuesta el autobús para Monterrey"], ["ht", "konbyen kòb pou bis Monterrey"], ["en", "bus ticket price to Monterrey"]] as const) {
      const found = await nearest(lang, text);
      expect(found).not.toBeNull();
      expect(found!.score, text).toBeLessThan(answer);
    }
  });

  it("gives the same groups for the same questions, whatever order they come in, biggest first", async () => {
    const { assistant, group } = await grouper();
    const questions = [
      ...plantedQuestions(),
      { id: 100, kind: "fallback" as const, lang: "es" as const, intent: null, score: null, text: "¿cuánto cuesta el bus a Monterrey desde Tapachula?", day: "2026-11-23" },
    ];
    const first = await group(questions, "es");
    const reordered = [...questions].reverse();
    const again = await questionGrouper(assistant.embedder, assistant.index, groupingSimilarity(assistant.calibration))(reordered, "es");
    expect(again).toEqual(first);
    expect(first.map((g) => g.size)).toEqual([4, 3, 3, 3]);
    expect(first[0]!.examples.map((e) => e.id)).toContain(100);
  });

  it(`groups at most the newest ${GROUP_LIMIT} questions of a language`, async () => {
    const { group } = await grouper();
    const old = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, day: "2026-10-01", text: `¿va a llover mañana en Tapachula? ${i}` }));
    const recent = Array.from({ length: GROUP_LIMIT }, (_, i) => ({ id: 1000 + i, day: "2026-11-20", text: `cuánto cuesta el bus a Monterrey ${i}` }));
    const questions: UnansweredQuestion[] = [...recent, ...old].map((q) => ({ ...q, kind: "fallback", lang: "es", intent: null, score: null }));
    const groups = await group(questions, "es");
    expect(groups.reduce((n, g) => n + g.size, 0)).toBe(GROUP_LIMIT);
    expect(groups.flatMap((g) => g.examples).every((e) => e.id >= 1000)).toBe(true);
    expect(groups.every((g) => g.examples.length <= 5)).toBe(true);
  });

  it("returns no groups for a language without questions", async () => {
    const { group } = await grouper();
    expect(await group(plantedQuestions(), "fr")).toEqual([]);
    expect(await group([], "es")).toEqual([]);
  });
});

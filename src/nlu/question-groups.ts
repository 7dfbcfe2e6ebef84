import { GROUP_LIMIT, type GroupQuestions, type QuestionGroup } from "../core/insights/model.js";
import type { Lang } from "../core/languages.js";
import type { Embedder, Embedding, IntentRanker, RankedIntent } from "../core/ports.js";
import type { UnansweredKind, UnansweredQuestion } from "../core/store/questions.js";
import type { Calibration } from "./calibration.js";

/**
 * Unanswered questions grouped by meaning, with the matcher's own embedder: a group is what the matcher would
 * take for one thing, so a group with a weak nearest intent is a topic the catalogue lacks, and one with a strong
 * nearest intent is an intent missing these wordings. Pure computation over the ports (no I/O, no `node:`): the
 * Worker runs it too, one language and at most GROUP_LIMIT questions per call.
 */

const BATCH = 64;
const EXAMPLES = 5;
/** The page asks for the same groups several times in a row (the page, then its CSV): the last few are kept. */
const MEMO = 8;

interface Cluster {
  /** Positions in the ordered questions, the leader first. */
  members: number[];
  /** Running sum of the members' vectors, dimension → weight. */
  sum: Map<number, number>;
  /** Squared norm of `sum`, kept as it grows. */
  norm2: number;
}

/** The newest `limit` questions of the language, then oldest first (by day, then id): the order clustering reads them in. */
function ordered(questions: readonly UnansweredQuestion[], lang: Lang, limit: number): UnansweredQuestion[] {
  const older = (a: UnansweredQuestion, b: UnansweredQuestion) => (a.day === b.day ? a.id - b.id : a.day < b.day ? -1 : 1);
  const newest = questions.filter((q) => q.lang === lang).sort((a, b) => older(b, a)).slice(0, limit);
  return newest.reverse();
}

/** Texts a batch at a time: a neural embedder makes one model call per batch, with bounded memory. */
async function inBatches<T>(texts: readonly string[], call: (batch: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < texts.length; start += BATCH) results.push(...(await call(texts.slice(start, start + BATCH))));
  return results;
}

/**
 * Leader clustering: each question joins the group whose centre it is most similar to (cosine ≥ `similarity`),
 * else starts one. Centres are running sums, so a group is judged by all its members, not by its first one.
 * An inverted index (dimension → groups) makes each question cost its overlap with the centres, not groups × dims.
 */
function cluster(vectors: readonly Embedding[], similarity: number): Cluster[] {
  const clusters: Cluster[] = [];
  const postings = new Map<number, Map<number, number>>();
  let dots = new Float64Array(16);
  vectors.forEach((vector, position) => {
    if (dots.length < clusters.length) dots = new Float64Array(clusters.length * 2);
    dots.fill(0, 0, clusters.length);
    for (let k = 0; k < vector.indices.length; k++) {
      const list = postings.get(vector.indices[k]!);
      if (!list) continue;
      const q = vector.values[k]!;
      for (const [c, weight] of list) dots[c]! += q * weight;
    }
    let best = -1;
    let bestCosine = similarity;
    for (let c = 0; c < clusters.length; c++) {
      const norm = Math.sqrt(clusters[c]!.norm2);
      const cosine = norm > 0 ? dots[c]! / norm : 0;
      // Ties go to the older group: the order alone decides, so the same questions always give the same groups.
      if (cosine > bestCosine || (best === -1 && cosine === bestCosine)) {
        best = c;
        bestCosine = cosine;
      }
    }
    if (best === -1) {
      best = clusters.length;
      clusters.push({ members: [], sum: new Map(), norm2: 0 });
    }
    const joined = clusters[best]!;
    joined.members.push(position);
    for (let k = 0; k < vector.indices.length; k++) {
      const dim = vector.indices[k]!;
      const v = vector.values[k]!;
      const old = joined.sum.get(dim) ?? 0;
      joined.sum.set(dim, old + v);
      joined.norm2 += 2 * old * v + v * v;
      let list = postings.get(dim);
      if (!list) postings.set(dim, (list = new Map()));
      list.set(best, old + v);
    }
  });
  return clusters;
}

/** The members nearest the group's centre first (ties: the older first). */
function nearestCentre(group: Cluster, vectors: readonly Embedding[]): number[] {
  const cosine = (position: number) => {
    const vector = vectors[position]!;
    let dot = 0;
    for (let k = 0; k < vector.indices.length; k++) dot += vector.values[k]! * (group.sum.get(vector.indices[k]!) ?? 0);
    return group.norm2 > 0 ? dot / Math.sqrt(group.norm2) : 0;
  };
  const scored = group.members.map((position) => ({ position, cosine: cosine(position) }));
  return scored.sort((a, b) => b.cosine - a.cosine || a.position - b.position).map((s) => s.position);
}

async function nearestIntents(ranker: IntentRanker, texts: readonly string[], lang: Lang): Promise<(RankedIntent | null)[]> {
  const rankings = await inBatches(texts, (batch) => (ranker.rankAll ? ranker.rankAll(batch, lang) : Promise.all(batch.map((t) => ranker.rank(t, lang)))));
  return rankings.map((r) => r.intents[0] ?? null);
}

async function group(embedder: Embedder, ranker: IntentRanker, similarity: number, questions: readonly UnansweredQuestion[], lang: Lang): Promise<QuestionGroup[]> {
  const vectors = await inBatches(questions.map((q) => q.text), (batch) => embedder.embed(batch, lang));
  // Biggest first; among equals, the one whose first question is older.
  const clusters = cluster(vectors, similarity).sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  const examples = clusters.map((c) => nearestCentre(c, vectors).slice(0, EXAMPLES).map((p) => questions[p]!));
  // The nearest intent of the group is the one of its most central question (one ranking call for all groups).
  const nearest = await nearestIntents(ranker, examples.map((e) => e[0]!.text), lang);
  return clusters.map((c, i) => {
    const kinds: Partial<Record<UnansweredKind, number>> = {};
    for (const p of c.members) kinds[questions[p]!.kind] = (kinds[questions[p]!.kind] ?? 0) + 1;
    return { lang, size: c.members.length, kinds, examples: examples[i]!, nearest: nearest[i]! };
  });
}

/**
 * How similar two questions must be to share a group, unless told otherwise: the matcher's own answer threshold,
 * so a group holds what the matcher would take for one thing. Intent examples cannot calibrate a value of its own
 * (an intent is a whole topic: clustering its examples measures topics, not paraphrases); this errs on the side
 * of splitting paraphrases that share few words rather than mixing topics. `--similarity` tries others.
 */
export function groupingSimilarity(calibration: Calibration): number {
  return calibration.thresholds.answer;
}

/**
 * Groups one language's unanswered questions by meaning: the newest `limit` of them, biggest group first, each
 * with up to five examples (nearest its centre first) and the existing intent nearest it. The same questions
 * always give the same groups, whatever order they come in.
 */
export function questionGrouper(embedder: Embedder, ranker: IntentRanker, similarity: number, limit = GROUP_LIMIT): GroupQuestions {
  const memo = new Map<string, Promise<QuestionGroup[]>>();
  return (questions, lang) => {
    const chosen = ordered(questions, lang, limit);
    // Stored questions never change under their id: the ids say which questions these are.
    const key = `${lang}:${chosen.map((q) => q.id).join(",")}`;
    const known = memo.get(key);
    if (known) {
      memo.delete(key);
      memo.set(key, known);
      return known;
    }
    const groups = group(embedder, ranker, similarity, chosen, lang);
    memo.set(key, groups);
    groups.catch(() => memo.delete(key));
    if (memo.size > MEMO) memo.delete(memo.keys().next().value!);
    return groups;
  };
}

/**
 * The intent catalogue. These IDs are a contract shared with the eval tools, the content library and
 * the caseworker side: add, never rename. Examples live in `intents/<id>.json`, answers in `content/`.
 */
export const INTENT_IDS = [
  "risk.darien",
  "risk.smuggling",
  "risk.trafficking",
  "risk.scams",
  "risk.journey",
  "protection.asylum",
  "protection.asylum_apply",
  "protection.complementary",
  "protection.rights",
  "protection.documents",
  "pathways.work",
  "pathways.family",
  "pathways.regularization",
  "pathways.overview",
  "help.shelter",
  "help.health",
  "help.basic_needs",
  "help.legal",
  "help.family_links",
  "help.children",
  "help.gbv",
  "urgent.danger",
  "urgent.trafficking",
  "urgent.violence",
  "urgent.child_alone",
  "urgent.detention",
  "urgent.missing",
  "urgent.self_harm",
  "human.request",
  "chat.greeting",
  "chat.thanks",
  "chat.menu",
  "chat.language",
  "privacy.delete",
  "privacy.info",
] as const;

export type IntentId = (typeof INTENT_IDS)[number];

export function isIntentId(value: unknown): value is IntentId {
  return typeof value === "string" && (INTENT_IDS as readonly string[]).includes(value);
}

/** Sensitive intents: always handed off to a human caseworker. */
export function isHandoffIntent(id: IntentId): boolean {
  return id.startsWith("urgent.") || id === "human.request";
}

export type HandoffPriority = 1 | 2 | 3;

/**
 * How fast a person must look at a handoff: immediate danger to life first (P1), other emergencies (P2), a plain
 * request for a person (P3).
 */
export function handoffPriority(id: IntentId): HandoffPriority {
  if (id === "urgent.danger" || id === "urgent.self_harm" || id === "urgent.child_alone") return 1;
  return id === "human.request" ? 3 : 2;
}

/** Intents answered from vetted content (as opposed to conversation mechanics). */
export function isInformational(id: IntentId): boolean {
  return /^(risk|protection|pathways|help)\./.test(id);
}

/** Answers that differ by country: the engine asks for the country before answering these. */
export const COUNTRY_DEPENDENT: ReadonlySet<IntentId> = new Set<IntentId>([
  "protection.asylum_apply",
  "pathways.regularization",
  "help.shelter",
]);

/** Topics of the main menu, in the order shown; each opens the first intent of its group. */
export const MENU_TOPICS = [
  { key: "darien", intent: "risk.darien" },
  { key: "asylum", intent: "protection.asylum" },
  { key: "pathways", intent: "pathways.overview" },
  { key: "shelter", intent: "help.shelter" },
  { key: "health", intent: "help.health" },
  { key: "scams", intent: "risk.scams" },
  { key: "family", intent: "help.family_links" },
  { key: "human", intent: "human.request" },
] as const satisfies readonly { key: string; intent: IntentId }[];

import type { Lang } from "../../languages.js";
import type { SafetyPhrases } from "../screen.js";
import { en } from "./en.js";
import { es } from "./es.js";
import { fr } from "./fr.js";
import { ht } from "./ht.js";
import { pt } from "./pt.js";

/** The safety screen's phrases, per language. Reviewed like code: a missed emergency is the worst failure. */
export const SAFETY_PHRASES: Record<Lang, SafetyPhrases> = { es, en, fr, ht, pt };

import { foldText } from "./text/normalize.js";

/** Countries Brújula knows by name. One home for country codes. */
export const COUNTRIES = ["PA", "CR", "MX", "GT", "HN", "SV", "NI", "BZ", "US", "CA", "CO", "DO", "EC", "VE", "HT"] as const;
export type CountryCode = (typeof COUNTRIES)[number];

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === "string" && (COUNTRIES as readonly string[]).includes(value);
}

/**
 * Names as people type them, in the five languages, already folded (no accents): official names, short forms,
 * Kreyòl spellings, demonyms (all genders and plurals) and the places on the route that unambiguously locate a
 * person (Necoclí is Colombia, Tapachula is Mexico). Demonyms say where someone is from, not where they are, so
 * they count less than names (see `extractCountry`).
 */
const NAMES: Record<CountryCode, { names: string[]; demonyms: string[] }> = {
  PA: {
    names: ["panama", "ciudad de panama", "bajo chiquito", "lajas blancas", "san vicente de darien", "metetí", "meteti", "canaan membrillo"],
    demonyms: ["panameno", "panamena", "panamenos", "panamenas", "panamanian", "panamanians", "panameen", "panameenne", "panameyen", "panamenho", "panamenha"],
  },
  CR: {
    names: ["costa rica", "kosta rika", "costarica", "paso canoas", "san jose de costa rica"],
    demonyms: ["costarricense", "costarricenses", "tico", "tica", "ticos", "costa rican", "costa ricans", "costaricien", "costaricienne", "kostariken", "costarriquenho"],
  },
  MX: {
    names: ["mexico", "mejico", "mexique", "meksik", "mehiko", "cdmx", "tapachula", "tijuana", "ciudad juarez", "monterrey", "reynosa", "matamoros", "nuevo laredo", "chiapas", "ciudad hidalgo", "mexicali", "piedras negras"],
    demonyms: ["mexicano", "mexicana", "mexicanos", "mexicanas", "mexican", "mexicans", "mexicain", "mexicaine", "mexicains", "meksiken"],
  },
  GT: {
    names: ["guatemala", "gwatemala", "guatemela", "tecun uman"],
    demonyms: ["guatemalteco", "guatemalteca", "guatemaltecos", "chapin", "chapina", "guatemalan", "guatemalans", "guatemalteque", "gwatemaltek"],
  },
  HN: {
    names: ["honduras", "ondiras", "onduras", "tegucigalpa", "danli", "trojes", "san pedro sula"],
    demonyms: ["hondureno", "hondurena", "hondurenos", "catracho", "catracha", "honduran", "hondurans", "hondurien", "hondurienne", "ondiryen", "hondurenho"],
  },
  SV: {
    names: ["el salvador", "lesalvado", "san salvador"],
    demonyms: ["salvadoreno", "salvadorena", "salvadorenos", "guanaco", "salvadoran", "salvadorans", "salvadorien", "salvadorienne", "salvadorenho", "salvadoryen"],
  },
  NI: {
    names: ["nicaragua", "nikaragwa", "nicaragwa", "managua"],
    demonyms: ["nicaraguense", "nicaraguenses", "nica", "nicas", "nicaraguan", "nicaraguans", "nicaraguayen", "nicaraguayenne", "nikaragweyen"],
  },
  BZ: {
    names: ["belice", "belize", "beliz", "belis"],
    demonyms: ["beliceno", "belicena", "belizean", "belizeans", "belizien", "belizeen", "belizenho"],
  },
  US: {
    names: ["estados unidos", "eeuu", "ee uu", "usa", "u s a", "united states", "the us", "the states", "america del norte", "etats unis", "etatsunis", "ozetazini", "etazini", "lezetazini", "zetazini", "estados unidos da america", "eua", "miami", "new york", "nueva york", "nova york", "nouyok", "texas", "el paso", "houston", "chicago", "los angeles", "arizona", "california", "florida"],
    demonyms: ["estadounidense", "estadounidenses", "norteamericano", "americain", "americaine", "ameriken", "norte americano", "estadunidense", "gringo", "gringos"],
  },
  CA: {
    names: ["canada", "kanada", "canadá", "montreal", "monreyal", "toronto", "quebec", "vancouver"],
    demonyms: ["canadiense", "canadienses", "canadian", "canadians", "canadien", "canadienne", "kanadyen", "canadense"],
  },
  CO: {
    names: ["colombia", "kolonbi", "colombie", "colombi", "kolombi", "necocli", "capurgana", "acandi", "turbo antioquia", "bogota", "medellin", "cali colombia", "cucuta", "ipiales", "arboletes", "uraba"],
    demonyms: ["colombiano", "colombiana", "colombianos", "colombianas", "colombian", "colombians", "colombien", "colombienne", "kolonbyen"],
  },
  DO: {
    names: ["republica dominicana", "dominicana", "rep dominicana", "dominican republic", "republique dominicaine", "dominikani", "repiblik dominiken", "sen domeng", "santo domingo"],
    demonyms: ["dominicano", "dominicanos", "dominican", "dominicans", "dominicain", "dominicaine", "dominiken"],
  },
  EC: {
    names: ["ecuador", "ekwate", "equateur", "equador", "quito", "guayaquil"],
    demonyms: ["ecuatoriano", "ecuatoriana", "ecuatorianos", "ecuadorian", "ecuadorians", "equatorien", "equatorienne", "equatoriano", "ekwatoryen"],
  },
  VE: {
    names: ["venezuela", "venezyela", "venezwela", "venezuala", "venesuela", "caracas", "maracaibo"],
    demonyms: ["venezolano", "venezolana", "venezolanos", "venezolanas", "veneco", "veneca", "venezuelan", "venezuelans", "venezuelien", "venezuelienne", "venezuelano", "venezuelana", "venezyelyen"],
  },
  HT: {
    names: ["haiti", "ayiti", "aiti", "hayti", "port au prince", "potoprens", "cap haitien", "okap", "gonaives"],
    demonyms: ["haitiano", "haitiana", "haitianos", "haitianas", "haitian", "haitians", "haitien", "haitienne", "haitiens", "ayisyen", "ayisyen yo"],
  },
};

/** Words that introduce where someone is or is going ("en", "in", "nan", "no", "para"...). */
const LOCATION_WORDS = new Set(["en", "in", "au", "aux", "nan", "lan", "an", "no", "na", "em", "a", "para", "to", "pour", "vers", "hacia", "rive", "ale", "into", "at", "aqui", "here", "isit", "ici"]);
/** Words that introduce where someone comes from: such a mention is the least likely answer. */
const ORIGIN_WORDS = new Set(["de", "from", "soti", "desde", "do", "da"]);

interface Mention {
  code: CountryCode;
  start: number;
  words: number;
  weight: number;
}

const PATTERNS: { code: CountryCode; words: string[]; demonym: boolean }[] = (
  Object.entries(NAMES) as [CountryCode, (typeof NAMES)[CountryCode]][]
).flatMap(([code, { names, demonyms }]) => [
  ...names.map((n) => ({ code, words: foldText(n).split(" "), demonym: false })),
  ...demonyms.map((n) => ({ code, words: foldText(n).split(" "), demonym: true })),
]);

/**
 * Finds the country a message is about. Names outweigh demonyms; a name after "en/in/nan/no…" (where the
 * person is) outweighs one after "de/from/soti" (where they come from); ties go to the later mention, which is
 * usually the destination of the question.
 */
export function extractCountry(text: string): CountryCode | null {
  return findCountry(text)?.code ?? null;
}

/** Words that may surround a country in a bare statement of place ("estoy en", "I'm in ... now", "m nan"). */
const STATEMENT_WORDS = new Set([
  "estoy", "estamos", "en", "aqui", "ahora", "ya", "yo", "i", "m", "am", "we", "are", "re", "in", "the", "now", "here",
  "je", "suis", "nous", "sommes", "au", "aux", "a", "ici", "maintenant", "mwen", "nou", "nan", "la", "kounya", "isit",
  "estou", "to", "tou", "no", "na", "em", "agora", "eu", "y", "e", "et", "and",
]);

/**
 * Is the message only a country, give or take "I am in" ("costa rica", "estoy en costa rica", "mwen nan
 * Meksik")? The engine then takes it as the person's country rather than a question to match.
 */
export function isCountryStatement(text: string): boolean {
  const found = findCountry(text);
  if (!found) return false;
  const rest = found.allWords.filter((_, i) => i < found.start || i >= found.start + found.words);
  return rest.every((w) => STATEMENT_WORDS.has(w));
}

function findCountry(text: string): (Mention & { allWords: string[] }) | null {
  const words = foldText(text).split(" ").filter((w) => w !== "");
  const mentions: Mention[] = [];
  for (let i = 0; i < words.length; i++) {
    for (const pattern of PATTERNS) {
      if (pattern.words.every((w, k) => words[i + k] === w)) {
        const before = words[i - 1] ?? "";
        let weight = pattern.demonym ? 1 : 2;
        if (!pattern.demonym && LOCATION_WORDS.has(before)) weight += 1.5;
        if (!pattern.demonym && ORIGIN_WORDS.has(before)) weight -= 1.5;
        mentions.push({ code: pattern.code, start: i, words: pattern.words.length, weight });
      }
    }
  }
  let best: Mention | null = null;
  for (const m of mentions) {
    if (!best || m.weight >= best.weight) best = m;
  }
  return best ? { ...best, allWords: words } : null;
}

/**
 * Rough bounding boxes [south, north, west, east] of the countries, for a location shared on Telegram or
 * WhatsApp. Boxes overlap near borders, so a point inside more than one box gives no country (the person is
 * asked instead): a wrong country would mean wrong emergency numbers.
 */
const BOXES: Record<CountryCode, [number, number, number, number]> = {
  PA: [7.2, 9.65, -83.05, -77.15],
  CR: [8.03, 11.22, -85.95, -82.55],
  MX: [14.53, 32.72, -118.4, -86.7],
  GT: [13.73, 17.82, -92.24, -88.22],
  HN: [12.98, 16.51, -89.36, -83.15],
  SV: [13.15, 14.45, -90.13, -87.69],
  NI: [10.7, 15.03, -87.69, -82.74],
  BZ: [15.89, 18.5, -89.23, -87.78],
  US: [24.5, 49.4, -124.8, -66.9],
  CA: [41.7, 83.1, -141, -52.6],
  CO: [-4.23, 12.46, -79.0, -66.87],
  DO: [17.54, 19.93, -72.0, -68.32],
  EC: [-5.01, 1.45, -81.08, -75.19],
  VE: [0.65, 12.2, -73.35, -59.8],
  HT: [18.0, 20.09, -74.48, -71.62],
};

export function countryAt(latitude: number, longitude: number): CountryCode | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  const inside = COUNTRIES.filter((code) => {
    const [south, north, west, east] = BOXES[code];
    return latitude >= south && latitude <= north && longitude >= west && longitude <= east;
  });
  return inside.length === 1 ? inside[0]! : null;
}

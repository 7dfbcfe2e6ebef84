import type { Lang } from "../languages.js";

/**
 * Text normalisation shared by language detection, the safety screen, country extraction and the built-in
 * embedder, so that "AYUDAAA!!", "ayuda" and "Ayúda" are the same to all of them.
 */

/** Messages are cut to this many characters before analysis: a 100k-character paste must not stall a worker. */
export const MAX_ANALYSED_CHARS = 2000;

const REPEATED_LETTERS = /(\p{L})\1{2,}/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lowercase, accents removed, punctuation/emoji to spaces, letters repeated 3+ times collapsed. */
export function foldText(text: string): string {
  return text
    .slice(0, MAX_ANALYSED_CHARS)
    .toLowerCase()
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .replace(/ß/g, "ss")
    .replace(REPEATED_LETTERS, "$1")
    .replace(NON_WORD, " ")
    .trim();
}

/**
 * Common SMS spellings per language, expanded to the full form. Only tokens that are unambiguous within
 * their language are listed: "q" is "que" in Spanish and Portuguese, but "m" means "mwen" only in Kreyòl.
 */
const SMS_SPELLINGS: Record<Lang, Record<string, string>> = {
  es: {
    q: "que", k: "que", ke: "que", xq: "porque", pq: "porque", porq: "porque", xk: "porque", pk: "porque",
    x: "por", xfa: "por favor", xfavor: "por favor", porfa: "por favor", porfis: "por favor", pls: "por favor",
    tb: "tambien", tmb: "tambien", tbn: "tambien", d: "de", pa: "para", toy: "estoy", toi: "estoy", ta: "esta",
    bn: "bien", dnd: "donde", dond: "donde", kiero: "quiero", qiero: "quiero", aki: "aqui", aca: "aqui",
    nesecito: "necesito", nesesito: "necesito", necesito: "necesito", nececito: "necesito", ayudeme: "ayudame",
    ayudenme: "ayudame", ayudarme: "ayudame", hno: "hermano", hna: "hermana", msj: "mensaje", salu2: "saludos",
    bno: "bueno", ola: "hola", grax: "gracias", graxias: "gracias", grasias: "gracias", mxs: "muchas",
    tngo: "tengo", tng: "tengo", tmp: "tampoco", nd: "nada", pasaport: "pasaporte",
  },
  en: {
    u: "you", ya: "you", r: "are", ur: "your", pls: "please", plz: "please", pleas: "please", thx: "thanks",
    thnx: "thanks", thanx: "thanks", ty: "thank you", im: "i am", ive: "i have", ill: "i will", cant: "cannot",
    dont: "do not", doesnt: "does not", didnt: "did not", wont: "will not", isnt: "is not", wanna: "want to",
    gonna: "going to", gotta: "have to", b4: "before", ppl: "people", bc: "because", cuz: "because",
    coz: "because", abt: "about", hlp: "help", wat: "what", wht: "what", whr: "where", wer: "where",
    hw: "how", cn: "can", shud: "should", govt: "government", info: "information", bcoz: "because",
  },
  fr: {
    jsuis: "je suis", jvais: "je vais", jme: "je me", jte: "je te", jen: "j en", jpense: "je pense", chui: "je suis", jsui: "je suis", chuis: "je suis", jai: "j ai", g: "j ai",
    pk: "pourquoi", pq: "pourquoi", pourkoi: "pourquoi", slt: "salut", bjr: "bonjour", bsr: "bonsoir",
    mrc: "merci", mci: "merci", kan: "quand", koi: "quoi", kel: "quel", ke: "que", tt: "tout", bcp: "beaucoup",
    pr: "pour", dc: "donc", jpeux: "je peux", jveux: "je veux", jvx: "je veux", jsais: "je sais", chai: "je sais",
    pa: "pas", ya: "il y a", svp: "s il vous plait", stp: "s il te plait", cmt: "comment", komment: "comment",
    kom: "comme", ds: "dans", ki: "qui", jdois: "je dois", besoins: "besoin", aidez: "aider",
  },
  ht: {
    m: "mwen", mw: "mwen", mwn: "mwen", mwe: "mwen", w: "ou", n: "nou", y: "yo", l: "li", bzwen: "bezwen",
    bezwn: "bezwen", bswen: "bezwen", map: "mwen ap", wap: "ou ap", lap: "li ap", nap: "nou ap",
    yap: "yo ap", mpa: "mwen pa", mte: "mwen te", mvle: "mwen vle", mkap: "mwen ka", mka: "mwen ka",
    sak: "sa ki", kisak: "kisa ki", kok: "kote", kot: "kote", kijn: "kijan", kouman: "koman", kiman: "koman",
    mesi: "mesi", mci: "mesi", pagen: "pa gen", pagn: "pa gen", paka: "pa ka", konn: "konn", kounye: "kounya",
    kounyea: "kounya", konnya: "kounya", ed: "ed", ede: "ede", lage: "lage",
  },
  pt: {
    vc: "voce", vcs: "voces", q: "que", oq: "o que", pq: "porque", tb: "tambem", tbm: "tambem", n: "nao",
    naum: "nao", ta: "esta", to: "estou", tou: "estou", pra: "para", pro: "para o", cmg: "comigo",
    obg: "obrigado", obgd: "obrigado", obgda: "obrigada", blz: "beleza", mt: "muito", mto: "muito",
    qdo: "quando", qnd: "quando", hj: "hoje", msm: "mesmo", td: "tudo", gnt: "gente", vlw: "valeu",
    aki: "aqui", kero: "quero", qro: "quero", presiso: "preciso", precizo: "preciso", p: "para", eh: "e",
    ajudem: "ajuda", ajude: "ajuda", dps: "depois", tds: "todos", agr: "agora", fzr: "fazer",
  },
};

/** Folded text with the language's SMS spellings expanded (no expansion when the language is unknown). */
export function normalizeText(text: string, lang?: Lang): string {
  const folded = foldText(text);
  if (!lang || folded === "") return folded;
  const spellings = SMS_SPELLINGS[lang];
  return folded
    .split(" ")
    .map((token) => spellings[token] ?? token)
    .join(" ");
}

export function tokens(normalized: string): string[] {
  return normalized === "" ? [] : normalized.split(" ");
}

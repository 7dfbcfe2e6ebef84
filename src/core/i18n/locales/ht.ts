import type { Messages } from "./en.js";

/** Haitian Creole (Kreyòl ayisyen) system strings. */
export const ht: Messages = {
  greeting:
    "Bonjou, mwen se Brújula. Mwen bay enfòmasyon gratis ki serye pou moun k ap deplase: danje wout la, azil ak pwoteksyon, chemen legal ak kote pou jwenn èd.\nMwen se yon asistan otomatik, mwen pa avoka. Si ou an danje oswa ou vle pale ak yon moun, ekri MOUN epi yon moun nan ekip nou an ap li ou.",
  menu: {
    prompt: "Sou kisa ou vle konnen? Reponn ak yon nimewo:",
    darien: "Forè Darién: danje",
    asylum: "Azil ak pwoteksyon",
    pathways: "Fason legal pou imigre",
    shelter: "Abri ak kote pou dòmi",
    health: "Swen sante",
    scams: "Koken ak fo pwomès",
    family: "Kontak ak fanmi",
    human: "Pale ak yon moun",
    more: "Ekri *meni* nenpòt lè pou wè sijè yo.",
  },
  options: {
    reply_number: "Reponn ak yon nimewo:",
    menu: "Meni",
    something_else: "Lòt bagay",
    yes: "Wi",
    no: "Non",
    dont_know: "Lòt peyi / Mwen pa konnen",
  },
  fallback: "Padon, mwen pa konprann. Ou ka ekri kesyon ou an ak lòt mo, oswa chwazi yon sijè.",
  clarify: {
    prompt: "Mwen vle sèten mwen konprann. Èske ou vle di:",
  },
  answer: {
    sources: "Sous:\n{{sources}}",
    missing:
      "Mwen poko gen enfòmasyon ki revize sou sijè sa a nan lang ou. Yon moun nan ekip nou an ka ede ou: ekri MOUN.",
    more: "Reponn PLIS pou li tout repons lan.",
  },
  rate: {
    wait: "Mwen resevwa anpil mesaj youn dèyè lòt. Tanpri tann yon minit epi ekri ankò. Si ou an danje, di nou sa k ap pase: mesaj sa a ap rive kanmèm.",
  },
  numbers: {
    emergency: "Ijans",
    trafficking: "Liy kont trafik moun",
    gbv: "Vyolans kont fanm",
    children: "Pwoteksyon timoun",
    self_harm: "Sipò nan moman kriz",
    local: "nimewo lokal la",
    unknown: "Rele nimewo ijans lokal la.",
  },
  country: {
    ask: "Repons lan depann de peyi a. Nan ki peyi ou ye?",
    saved: "Mèsi. M ap ba ou enfòmasyon pou {{country}}.",
    not_understood: "Mwen pa rekonèt peyi a. M ap ba ou enfòmasyon jeneral yo.",
    names: {
      PA: "Panama",
      CR: "Kosta Rika",
      MX: "Meksik",
      GT: "Gwatemala",
      HN: "Ondiras",
      SV: "Salvadò",
      NI: "Nikaragwa",
      BZ: "Beliz",
      US: "Etazini",
      CA: "Kanada",
      CO: "Kolonbi",
      DO: "Repiblik Dominikèn",
      EC: "Ekwatè",
      VE: "Venezyela",
      HT: "Ayiti",
    },
  },
  language: {
    ask: "Ki lang ou pito?",
    changed: "Dakò, m ap ekri ou an kreyòl.",
    other: "Padon, mwen ka ekri sèlman an panyòl, angle, franse, kreyòl ayisyen ak pòtigè. Chwazi youn:",
  },
  handoff: {
    media: "Pou kounya ekip nou an ka li sèlman tèks. Tanpri ekri l ak mo (si se yon kote: non vil la, lari a, sa w wè).",
    left: "Ou retounen ak asistan otomatik la. Ekip nou an toujou gen konvèsasyon w lan.",
    closed: "Ekip nou an fèmen konvèsasyon w lan. Asistan otomatik la tounen: ekri MENI pou w wè sijè yo.",
    rate: "Èske èd nou an te itil ou? Reponn ak yon nimewo soti 1 (pa ditou) rive 5 (anpil).",
    rated: "Mèsi paske w di nou sa.",
    when_open: "Yon moun nan ekip nou an konn reponn nan anviwon {{minutes}} minit.",
    when_closed: "Ekip nou an pa konekte kounya a. L ap tounen {{day}} a {{time}} (lè {{zone}}). Si w an danje, rele nimewo ijans lokal la kounya a.",
    when_closed_unknown: "Ekip nou an pa konekte kounya a. Si w an danje, rele nimewo ijans lokal la kounya a.",
    ack: "Mesaj ou a pase bay yon moun nan ekip nou an, ki pral reponn ou isit la pi vit posib. Ou ka kontinye ekri.",
    emergency:
      "Si lavi ou oswa lavi yon lòt moun an danje kounye a, rele nimewo ijans lokal la oswa ale nan pòs polis oswa sant sante ki pi pre a.",
    open: "Yon moun nan ekip nou an gen konvèsasyon ou a. Ekri *meni* pou retounen nan enfòmasyon otomatik yo.",
  },
  thanks: "Pa gen pwoblèm. Pran swen tèt ou. Si ou bezwen lòt bagay, mwen la.",
  /** "Was this useful?" after an answer (labels are plain words: SMS shows them as a numbered list). */
  rating: {
    ask: "Èske repons sa a te itil ou?",
    useful: "Wi, li ede m",
    not_useful: "Non, li pa ede m",
    thanks: "Mèsi paske w di nou sa. Sa ede nou fè repons yo pi bon.",
  },
  privacy: {
    notice: "🔒 Sa ou ekri la a kenbe an sekrè (kode) epi yo efase l apre {{days}} jou. Brújula pa voye l bay okenn gouvènman. Ekri VI PRIVE pou w konnen plis, oswa EFASE pou efase done ou yo.",
    full: "🔒 Vi prive ou\n• Brújula kenbe lang ou, peyi ou ak mesaj ou yo an sekrè (kode), sèlman pou l reponn ou. Nimewo telefòn ou oswa kont Telegram ou kenbe an sekrè tou, sèlman pou voye repons ba ou.\n• Tèks mesaj yo efase apre {{days}} jou. Si ou te pale ak ekip nou an, konvèsasyon an rete {{caseDays}} jou apre yo fèmen dosye a, epi apre sa yo efase l.\n• Se sèlman moun ki okipe dosye yo nan ekip nou an ki li mesaj ou yo, e sèlman lè ou mande pale ak yon moun oswa lè ou ka an danje. Brújula pa voye done ou yo bay imigrasyon ni okenn gouvènman. Li pa sèvi ak okenn sèvis entèlijans atifisyèl ki soti nan lòt konpayi.\n• Mesaj ou yo pase tou nan WhatsApp, Telegram ak konpayi telefòn ou. Si yon moun ka gade telefòn ou, efase konvèsasyon an nan telefòn ou tou.\n• Ekri EFASE nenpòt ki lè pou efase tout sa nou kenbe sou ou.",
  },
  delete: {
    confirm:
      "Èske ou vle m efase tout sa m kenbe sou ou (lang ou, peyi ou ak istwa konvèsasyon sa a)?",
    done: "Fini: mwen efase done ou yo. Si ou ekri ankò, n ap rekòmanse a zewo.",
    cancelled: "Dakò, mwen pa efase anyen.",
  },
  days: {
    sun: "dimanch",
    mon: "lendi",
    tue: "madi",
    wed: "mèkredi",
    thu: "jedi",
    fri: "vandredi",
    sat: "samdi",
  },
  /** Telegram's command menu (setMyCommands). */
  commands: {
    start: "Kòmanse epi wè sa m ka fè",
    menu: "Sijè yo",
    language: "Chanje lang",
    country: "Di m nan ki peyi ou ye",
    human: "Pale ak yon moun",
    delete: "Efase done m yo",
    privacy: "Vi prive ak done ou",
  },
  error: {
    generic: "Padon, gen yon bagay ki pa mache bò kote nou. Eseye ankò nan yon ti moman.",
    unsupported_media: "Mwen ka li sèlman mesaj ekri. Tanpri ekri kesyon ou an ak mo.",
  },
};

import type { Messages } from "./en.js";

/** French system strings. */
export const fr: Messages = {
  greeting:
    "Bonjour, je suis Brújula. Je donne des informations gratuites et fiables aux personnes en déplacement : risques de la route, asile et protection, voies légales et où trouver de l'aide.\nJe suis un assistant automatique, pas un avocat. Si vous êtes en danger ou voulez parler à une personne, écrivez HUMAIN et quelqu'un de notre équipe vous lira.",
  menu: {
    prompt: "Que voulez-vous savoir ? Répondez avec un numéro :",
    darien: "Jungle du Darién : risques",
    asylum: "Asile et protection",
    pathways: "Voies légales pour migrer",
    shelter: "Abri et où dormir",
    health: "Soins de santé",
    scams: "Arnaques et fausses promesses",
    family: "Contact avec la famille",
    human: "Parler à une personne",
    more: "Écrivez *menu* à tout moment pour voir les sujets.",
  },
  options: {
    reply_number: "Répondez avec un numéro :",
    menu: "Menu",
    something_else: "Autre chose",
    yes: "Oui",
    no: "Non",
    dont_know: "Autre pays / Je ne sais pas",
  },
  fallback: "Désolé, je n'ai pas compris. Vous pouvez écrire votre question autrement, ou choisir un sujet.",
  clarify: {
    prompt: "Je veux être sûr d'avoir compris. Vous voulez dire :",
  },
  answer: {
    sources: "Sources :\n{{sources}}",
    missing:
      "Je n'ai pas encore d'information vérifiée sur ce sujet dans votre langue. Une personne de notre équipe peut vous aider : écrivez HUMAIN.",
    more: "Répondez PLUS pour lire la réponse complète.",
  },
  rate: {
    wait: "J'ai reçu beaucoup de messages d'affilée. Attendez une minute, s'il vous plaît, puis écrivez de nouveau. Si vous êtes en danger, dites-nous ce qui se passe : ce message passe quand même.",
  },
  numbers: {
    emergency: "Urgences",
    trafficking: "Ligne contre la traite des personnes",
    gbv: "Violences faites aux femmes",
    children: "Protection de l'enfance",
    self_harm: "Soutien en cas de crise",
    local: "le numéro local",
    unknown: "Appelez le numéro d'urgence local.",
  },
  country: {
    ask: "La réponse dépend du pays. Dans quel pays êtes-vous ?",
    saved: "Merci. Je vous donnerai les informations pour : {{country}}.",
    not_understood: "Je n'ai pas reconnu le pays. Je vous donne l'information générale.",
    names: {
      PA: "Panama",
      CR: "Costa Rica",
      MX: "Mexique",
      GT: "Guatemala",
      HN: "Honduras",
      SV: "Salvador",
      NI: "Nicaragua",
      BZ: "Belize",
      US: "États-Unis",
      CA: "Canada",
      CO: "Colombie",
      DO: "République dominicaine",
      EC: "Équateur",
      VE: "Venezuela",
      HT: "Haïti",
    },
  },
  language: {
    ask: "Quelle langue préférez-vous ?",
    changed: "D'accord, je vous écrirai en français.",
    other: "Désolé, je ne peux écrire qu'en espagnol, anglais, français, créole haïtien et portugais. Choisissez :",
  },
  handoff: {
    media: "Pour l'instant notre équipe ne peut lire que du texte. Écrivez-le avec des mots (pour un lieu : la ville, la rue, ce que vous voyez).",
    left: "Vous êtes de retour avec l'assistant automatique. Notre équipe a toujours votre conversation.",
    closed: "Notre équipe a clôturé votre conversation. L'assistant automatique est de retour : écrivez MENU pour voir les sujets.",
    rate: "Notre aide vous a-t-elle été utile ? Répondez avec un chiffre de 1 (pas du tout) à 5 (beaucoup).",
    rated: "Merci de nous l'avoir dit.",
    when_open: "Une personne de notre équipe répond en général en {{minutes}} minutes environ.",
    when_closed: "Notre équipe n'est pas connectée en ce moment. Elle revient {{day}} à {{time}} (heure de {{zone}}). Si vous êtes en danger, appelez tout de suite le numéro d'urgence local.",
    when_closed_unknown: "Notre équipe n'est pas connectée en ce moment. Si vous êtes en danger, appelez tout de suite le numéro d'urgence local.",
    ack: "Votre message a été transmis à une personne de notre équipe, qui vous répondra ici dès que possible. Vous pouvez continuer à écrire.",
    emergency:
      "Si votre vie ou celle d'une autre personne est en danger maintenant, appelez le numéro d'urgence local ou allez au poste de police ou de santé le plus proche.",
    open: "Une personne de notre équipe suit votre conversation. Écrivez *menu* pour revenir aux informations automatiques.",
  },
  thanks: "Avec plaisir. Prenez soin de vous. Si vous avez besoin d'autre chose, je suis là.",
  /** "Was this useful?" after an answer (labels are plain words: SMS shows them as a numbered list). */
  rating: {
    ask: "Cette réponse vous a-t-elle été utile ?",
    useful: "Oui, ça m'a aidé",
    not_useful: "Non, ça ne m'a pas aidé",
    thanks: "Merci de nous l'avoir dit. Cela nous aide à améliorer les réponses.",
  },
  privacy: {
    notice: "🔒 Ce que vous écrivez ici est conservé chiffré et effacé après {{days}} jours. Brújula ne l'envoie à aucun gouvernement. Écrivez CONFIDENTIALITÉ pour en savoir plus, ou EFFACER pour effacer vos données.",
    full: "🔒 Votre vie privée\n• Brújula garde votre langue, votre pays et vos messages, chiffrés, seulement pour vous répondre. Votre numéro de téléphone ou votre compte Telegram est aussi gardé chiffré, seulement pour vous envoyer les réponses.\n• Le texte des messages est effacé après {{days}} jours. Si vous avez parlé avec notre équipe, la conversation est gardée {{caseDays}} jours après la fermeture du dossier, puis effacée.\n• Seules les personnes de notre équipe qui suivent les dossiers lisent vos messages, et seulement quand vous demandez à parler à quelqu'un ou si vous êtes peut-être en danger. Brújula n'envoie pas vos données aux services d'immigration ni à aucun gouvernement. Brújula n'utilise aucun service d'intelligence artificielle d'une autre entreprise.\n• Vos messages passent aussi par WhatsApp, Telegram et votre opérateur téléphonique. Si quelqu'un peut regarder votre téléphone, effacez aussi la conversation sur votre téléphone.\n• Écrivez EFFACER à tout moment pour effacer tout ce que nous gardons sur vous.",
  },
  delete: {
    confirm:
      "Voulez-vous que j'efface tout ce que je garde sur vous (votre langue, votre pays et l'historique de cette conversation) ?",
    done: "C'est fait : j'ai effacé vos données. Si vous écrivez à nouveau, nous repartons de zéro.",
    cancelled: "D'accord, je n'ai rien effacé.",
  },
  days: {
    sun: "dimanche",
    mon: "lundi",
    tue: "mardi",
    wed: "mercredi",
    thu: "jeudi",
    fri: "vendredi",
    sat: "samedi",
  },
  /** Telegram's command menu (setMyCommands). */
  commands: {
    start: "Commencer et voir ce que je fais",
    menu: "Sujets",
    language: "Changer de langue",
    country: "Indiquer votre pays",
    human: "Parler à une personne",
    delete: "Effacer mes données",
    privacy: "Confidentialité et vos données",
  },
  error: {
    generic: "Désolé, un problème est survenu de notre côté. Réessayez dans un moment.",
    unsupported_media: "Je ne peux lire que des messages texte. Écrivez votre question avec des mots, s'il vous plaît.",
  },
};

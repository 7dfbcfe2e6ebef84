import i18next, { type TFunction } from "i18next";

/** The dashboard's own strings (the caseworkers' language: es, en, fr), through i18next like the bot's. */
const en = {
  back: "All cases",
  transcript: "Conversation",
  person: "Person",
  caseworker: "Team",
  reply: "Answer the person",
  send: "Send",
  claim: "Claim",
  close: "Close the case",
  claimedBy: "Claimed by {{who}}",
  unclaimed: "Not claimed yet",
  closed: "This case is closed.",
  unreachable: "This person cannot be reached on their channel any more (their data was deleted).",
  windowClosed: "WhatsApp: more than 24 hours since the person wrote. Free text cannot reach them now: your answer is held and the approved template tells them a message is waiting.",
  windowOpen: "WhatsApp: the person wrote less than 24 hours ago; answers reach them directly.",
  title: "Brújula · caseworkers",
  signIn: "Sign in",
  username: "Username",
  password: "Password",
  wrong: "Wrong username or password.",
  tooMany: "Too many failed attempts. Try again in 15 minutes.",
  signOut: "Sign out",
  cases: "Cases",
  none: "No cases here.",
  status: { open: "open", claimed: "claimed", closed: "closed" },
  filters: { all: "All", open: "Open", claimed: "Claimed", closed: "Closed" },
  columns: { priority: "Priority", category: "Category", language: "Language", country: "Country", channel: "Channel", opened: "Opened", status: "Status" },
  signedInAs: "Signed in as {{name}} ({{role}})",
};
type Messages = typeof en;
const es: Messages = {
  back: "Todos los casos",
  transcript: "Conversación",
  person: "Persona",
  caseworker: "Equipo",
  reply: "Responder a la persona",
  send: "Enviar",
  claim: "Tomar el caso",
  close: "Cerrar el caso",
  claimedBy: "Tomado por {{who}}",
  unclaimed: "Nadie lo ha tomado todavía",
  closed: "Este caso está cerrado.",
  unreachable: "Ya no se puede escribir a esta persona en su canal (borró sus datos).",
  windowClosed: "WhatsApp: pasaron más de 24 horas desde que la persona escribió. El texto libre no le llega: tu respuesta queda retenida y la plantilla aprobada le avisa que tiene un mensaje.",
  windowOpen: "WhatsApp: la persona escribió hace menos de 24 horas; las respuestas le llegan directamente.",
  title: "Brújula · equipo",
  signIn: "Entrar",
  username: "Usuario",
  password: "Contraseña",
  wrong: "Usuario o contraseña incorrectos.",
  tooMany: "Demasiados intentos fallidos. Prueba de nuevo en 15 minutos.",
  signOut: "Salir",
  cases: "Casos",
  none: "No hay casos aquí.",
  status: { open: "abierto", claimed: "tomado", closed: "cerrado" },
  filters: { all: "Todos", open: "Abiertos", claimed: "Tomados", closed: "Cerrados" },
  columns: { priority: "Prioridad", category: "Categoría", language: "Idioma", country: "País", channel: "Canal", opened: "Abierto", status: "Estado" },
  signedInAs: "Conectado como {{name}} ({{role}})",
};
const fr: Messages = {
  back: "Tous les dossiers",
  transcript: "Conversation",
  person: "Personne",
  caseworker: "Équipe",
  reply: "Répondre à la personne",
  send: "Envoyer",
  claim: "Prendre en charge",
  close: "Clôturer le dossier",
  claimedBy: "Pris en charge par {{who}}",
  unclaimed: "Personne ne l'a encore pris en charge",
  closed: "Ce dossier est clôturé.",
  unreachable: "Cette personne ne peut plus être jointe sur son canal (ses données ont été effacées).",
  windowClosed: "WhatsApp : plus de 24 heures depuis le dernier message de la personne. Le texte libre ne lui parvient pas : votre réponse est retenue et le modèle approuvé l'avertit qu'un message l'attend.",
  windowOpen: "WhatsApp : la personne a écrit il y a moins de 24 heures ; les réponses lui parviennent directement.",
  title: "Brújula · équipe",
  signIn: "Se connecter",
  username: "Identifiant",
  password: "Mot de passe",
  wrong: "Identifiant ou mot de passe incorrect.",
  tooMany: "Trop de tentatives échouées. Réessayez dans 15 minutes.",
  signOut: "Se déconnecter",
  cases: "Dossiers",
  none: "Aucun dossier ici.",
  status: { open: "ouvert", claimed: "pris en charge", closed: "clôturé" },
  filters: { all: "Tous", open: "Ouverts", claimed: "Pris en charge", closed: "Clôturés" },
  columns: { priority: "Priorité", category: "Catégorie", language: "Langue", country: "Pays", channel: "Canal", opened: "Ouvert", status: "Statut" },
  signedInAs: "Connecté·e en tant que {{name}} ({{role}})",
};

export const DASHBOARD_LANGS = ["es", "en", "fr"] as const;
export type DashboardLang = (typeof DASHBOARD_LANGS)[number];

const instance = i18next.createInstance();
void instance.init({
  resources: { es: { translation: es }, en: { translation: en }, fr: { translation: fr } },
  lng: "es",
  fallbackLng: "en",
  initAsync: false,
  interpolation: { escapeValue: false },
});

export function dashboardT(lang: DashboardLang): TFunction {
  return instance.getFixedT(lang);
}

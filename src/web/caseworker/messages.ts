import i18next, { type TFunction } from "i18next";

/** The dashboard's own strings (the caseworkers' language: es, en, fr), through i18next like the bot's. */
const en = {
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

import type { Messages } from "./en.js";

/** Spanish system strings: the lingua franca of the route, and the default language. */
export const es: Messages = {
  greeting:
    "Hola, soy Brújula. Doy información gratuita y confiable para personas en movimiento: riesgos del camino, asilo y protección, vías legales y dónde encontrar ayuda.\nSoy un asistente automático, no un abogado. Si estás en peligro o quieres hablar con una persona, escribe HUMANO y alguien de nuestro equipo te leerá.",
  menu: {
    prompt: "¿Sobre qué quieres saber? Responde con un número:",
    darien: "Selva del Darién: riesgos",
    asylum: "Asilo y protección",
    pathways: "Formas legales de migrar",
    shelter: "Albergue y dónde dormir",
    health: "Atención de salud",
    scams: "Estafas y falsas promesas",
    family: "Contacto con la familia",
    human: "Hablar con una persona",
    more: "Escribe *menú* en cualquier momento para ver los temas.",
  },
  options: {
    reply_number: "Responde con un número:",
    menu: "Menú",
    something_else: "Otra cosa",
    yes: "Sí",
    no: "No",
    dont_know: "Otro país / No sé",
  },
  fallback: "Perdón, no entendí. Puedes escribir tu pregunta con otras palabras o elegir un tema.",
  clarify: {
    prompt: "Quiero estar seguro de que entendí. ¿Te refieres a:",
  },
  answer: {
    sources: "Fuentes:\n{{sources}}",
    missing:
      "Todavía no tengo información revisada sobre este tema en tu idioma. Una persona de nuestro equipo puede ayudarte: escribe HUMANO.",
    more: "Responde MAS para leer la respuesta completa.",
  },
  rate: {
    wait: "Recibí muchos mensajes seguidos. Por favor, espera un minuto y vuelve a escribir. Si estás en peligro, cuéntanos qué pasa: ese mensaje sí llega.",
  },
  numbers: {
    emergency: "Emergencias",
    trafficking: "Línea contra la trata de personas",
    gbv: "Violencia contra las mujeres",
    children: "Protección de niñas, niños y adolescentes",
    self_harm: "Apoyo en crisis emocional",
    local: "el número local",
    unknown: "Llama al número de emergencias local.",
  },
  country: {
    ask: "La respuesta depende del país. ¿En qué país estás?",
    saved: "Gracias. Te daré información para {{country}}.",
    not_understood: "No reconocí el país. Te doy la información general.",
    names: {
      PA: "Panamá",
      CR: "Costa Rica",
      MX: "México",
      GT: "Guatemala",
      HN: "Honduras",
      SV: "El Salvador",
      NI: "Nicaragua",
      BZ: "Belice",
      US: "Estados Unidos",
      CA: "Canadá",
      CO: "Colombia",
      DO: "República Dominicana",
      EC: "Ecuador",
      VE: "Venezuela",
      HT: "Haití",
    },
  },
  language: {
    ask: "¿En qué idioma prefieres?",
    changed: "Listo, te escribiré en español.",
    other: "Perdón, solo puedo escribir en español, inglés, francés, criollo haitiano y portugués. Elige uno:",
  },
  handoff: {
    media: "Por ahora nuestro equipo solo puede leer texto. Por favor escríbelo con palabras (si es un lugar: el pueblo, la calle, lo que ves).",
    left: "Volviste al asistente automático. Nuestro equipo todavía tiene tu conversación.",
    closed: "Nuestro equipo cerró tu conversación. El asistente automático está de vuelta: escribe MENÚ para ver los temas.",
    rate: "¿Te sirvió nuestra ayuda? Responde con un número del 1 (nada) al 5 (mucho).",
    rated: "Gracias por contarnos.",
    when_open: "Alguien de nuestro equipo suele responder en unos {{minutes}} minutos.",
    when_closed: "Nuestro equipo no está conectado ahora. Vuelve el {{day}} a las {{time}} (hora de {{zone}}). Si estás en peligro, llama ya al número local de emergencias.",
    when_closed_unknown: "Nuestro equipo no está conectado ahora. Si estás en peligro, llama ya al número local de emergencias.",
    ack: "Tu mensaje pasó a una persona de nuestro equipo, que te responderá aquí lo antes posible. Puedes seguir escribiendo.",
    emergency:
      "Si tu vida o la de otra persona está en peligro ahora, llama al número local de emergencias o ve al puesto de policía o de salud más cercano.",
    open: "Una persona de nuestro equipo tiene tu conversación. Escribe *menú* para volver a la información automática.",
  },
  thanks: "Con gusto. Cuídate. Si necesitas algo más, aquí estoy.",
  /** "Was this useful?" after an answer (labels are plain words: SMS shows them as a numbered list). */
  rating: {
    ask: "¿Te sirvió esta respuesta?",
    useful: "Sí, me sirvió",
    not_useful: "No me sirvió",
    thanks: "Gracias por contarnos. Nos ayuda a mejorar las respuestas.",
  },
  privacy: {
    notice: "🔒 Lo que escribes aquí se guarda cifrado y se borra a los {{days}} días. Brújula no lo envía a ningún gobierno. Escribe PRIVACIDAD para saber más, o BORRAR para borrar tus datos.",
    full: "🔒 Tu privacidad\n• Brújula guarda tu idioma, tu país y tus mensajes, cifrados, solo para responderte. Tu número de teléfono o tu cuenta de Telegram también se guardan cifrados, solo para enviarte respuestas.\n• El texto de los mensajes se borra a los {{days}} días. Si hablaste con nuestro equipo, la conversación se guarda {{caseDays}} días después de cerrar el caso y luego se borra.\n• Solo las personas de nuestro equipo que atienden los casos leen tus mensajes, y solo cuando pides hablar con una persona o puedes estar en peligro. Brújula no envía tus datos a migración ni a ningún gobierno. Tampoco usa servicios de inteligencia artificial de otras empresas.\n• Tus mensajes también pasan por WhatsApp, Telegram y tu compañía de teléfono. Si alguien puede revisar tu teléfono, borra también el chat en tu teléfono.\n• Escribe BORRAR en cualquier momento para borrar todo lo que guardamos sobre ti.",
  },
  delete: {
    confirm:
      "¿Quieres que borre todo lo que guardo sobre ti (tu idioma, tu país y el registro de esta conversación)?",
    done: "Listo: borré tus datos. Si vuelves a escribir, empezamos de cero.",
    cancelled: "De acuerdo, no borré nada.",
  },
  days: {
    sun: "domingo",
    mon: "lunes",
    tue: "martes",
    wed: "miércoles",
    thu: "jueves",
    fri: "viernes",
    sat: "sábado",
  },
  /** Telegram's command menu (setMyCommands). */
  commands: {
    start: "Empezar y ver qué puedo hacer",
    menu: "Temas",
    language: "Cambiar el idioma",
    country: "Decirme tu país",
    human: "Hablar con una persona",
    delete: "Borrar mis datos",
    privacy: "Privacidad y tus datos",
  },
  error: {
    generic: "Perdón, algo falló de nuestro lado. Intenta de nuevo en un momento.",
    unsupported_media: "Solo puedo leer mensajes de texto. Por favor escribe tu pregunta con palabras.",
  },
};

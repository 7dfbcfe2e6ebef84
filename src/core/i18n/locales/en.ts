/**
 * English system strings. Every other language file is typed as `Messages`, so a key missing in one language
 * is a compile error (and tests/i18n.test.ts checks the loaded resources too). Placeholders use {{name}}.
 * Keep messages short: many people read them on SMS.
 */
export const en = {
  greeting:
    "Hello, I am Brújula. I give free, reliable information for people on the move: risks of the route, asylum and protection, legal pathways and where to find help.\nI am an automatic assistant, not a lawyer. If you are in danger or want to talk to a person, write HUMAN and someone from our team will read you.",
  menu: {
    prompt: "What would you like to know? Reply with a number:",
    darien: "Darién jungle: risks",
    asylum: "Asylum and protection",
    pathways: "Legal ways to migrate",
    shelter: "Shelter and where to sleep",
    health: "Health care",
    scams: "Scams and false promises",
    family: "Contact with family",
    human: "Talk to a person",
    more: "Write *menu* at any time to see the topics.",
  },
  options: {
    reply_number: "Reply with a number:",
    menu: "Menu",
    something_else: "Something else",
    yes: "Yes",
    no: "No",
    dont_know: "Another country / I don't know",
  },
  fallback:
    "Sorry, I did not understand. You can write your question in other words, or choose a topic.",
  clarify: {
    prompt: "I want to be sure I understood. Do you mean:",
  },
  answer: {
    sources: "Sources:\n{{sources}}",
    missing: "I do not have reviewed information on this topic in your language yet. A person from our team can help you: write HUMAN.",
    more: "Reply MORE to read the full answer.",
  },
  rate: {
    wait: "I received many messages in a row. Please wait a minute and write again. If you are in danger, tell us what is happening: that message still gets through.",
  },
  numbers: {
    emergency: "Emergency",
    trafficking: "Anti-trafficking line",
    gbv: "Violence against women",
    children: "Child protection",
    self_harm: "Emotional crisis support",
    local: "the local number",
    unknown: "Call the local emergency number.",
  },
  country: {
    ask: "The answer depends on the country. Which country are you in?",
    saved: "Thank you. I will give you information for {{country}}.",
    not_understood: "I did not recognise the country. I will give you the general information.",
    names: {
      PA: "Panama",
      CR: "Costa Rica",
      MX: "Mexico",
      GT: "Guatemala",
      HN: "Honduras",
      SV: "El Salvador",
      NI: "Nicaragua",
      BZ: "Belize",
      US: "United States",
      CA: "Canada",
      CO: "Colombia",
      DO: "Dominican Republic",
      EC: "Ecuador",
      VE: "Venezuela",
      HT: "Haiti",
    },
  },
  language: {
    ask: "Which language do you prefer?",
    changed: "Okay, I will write to you in English.",
    other: "Sorry, I can only write in Spanish, English, French, Haitian Creole and Portuguese. Choose one:",
  },
  handoff: {
    media: "Our team can only read text for now. Please write it in words (for a place: the name of the town, the street, what you see).",
    left: "You are back with the automatic assistant. Our team still has your conversation.",
    closed: "Our team has closed your conversation. The automatic assistant is back: write MENU to see the topics.",
    rate: "Was our help useful? Reply with a number from 1 (not at all) to 5 (very much).",
    rated: "Thank you for telling us.",
    when_open: "Someone from our team usually answers within about {{minutes}} minutes.",
    when_closed: "Our team is not connected right now. They are back on {{day}} at {{time}} ({{zone}} time). If you are in danger, call the local emergency number now.",
    when_closed_unknown: "Our team is not connected right now. If you are in danger, call the local emergency number now.",
    ack: "Your message has been passed to a person from our team, who will answer you here as soon as possible. You can keep writing.",
    emergency: "If your life or someone else's is in danger right now, call the local emergency number or go to the nearest police or health post.",
    open: "A person from our team has your conversation. Write *menu* to go back to the automatic information.",
  },
  thanks: "You are welcome. Take care. If you need anything else, I am here.",
  /** "Was this useful?" after an answer (labels are plain words: SMS shows them as a numbered list). */
  rating: {
    ask: "Was this answer useful?",
    useful: "Yes, it helped",
    not_useful: "No, it did not help",
    thanks: "Thank you for telling us. It helps us improve the answers.",
  },
  privacy: {
    notice: "🔒 What you write here is stored encrypted and erased after {{days}} days. Brújula does not send it to any government. Write PRIVACY to learn more, or DELETE to erase your data.",
    full: "🔒 Your privacy\n• Brújula keeps your language, your country and your messages, encrypted, only to answer you. Your phone number or Telegram account is kept encrypted too, only to send you replies.\n• Message text is erased after {{days}} days. If you talked with our team, the conversation is kept {{caseDays}} days after the case is closed, then erased.\n• Only our team's caseworkers read your messages, and only when you ask to talk to a person or may be in danger. Brújula does not send your data to migration authorities or any government. It uses no outside AI service.\n• WhatsApp, Telegram and your phone company also carry your messages. If someone could look at your phone, delete the chat on your phone too.\n• Write DELETE at any time to erase everything we keep about you.",
  },
  delete: {
    confirm: "Do you want me to delete everything I have stored about you (your language, your country and the record of this conversation)?",
    done: "Done: I deleted your data. If you write again, we start from zero.",
    cancelled: "Okay, I did not delete anything.",
  },
  days: {
    sun: "Sunday",
    mon: "Monday",
    tue: "Tuesday",
    wed: "Wednesday",
    thu: "Thursday",
    fri: "Friday",
    sat: "Saturday",
  },
  /** Telegram's command menu (setMyCommands). */
  commands: {
    start: "Start and see what I can do",
    menu: "Topics",
    language: "Change the language",
    country: "Tell me your country",
    human: "Talk to a person",
    delete: "Delete my data",
    privacy: "Privacy and your data",
  },
  error: {
    generic: "Sorry, something went wrong on our side. Please try again in a moment.",
    unsupported_media: "I can only read text messages. Please write your question in words.",
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;

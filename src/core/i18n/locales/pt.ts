import type { Messages } from "./en.js";

/** Portuguese (Brazilian) system strings. */
export const pt: Messages = {
  greeting:
    "Olá, eu sou a Brújula. Dou informações gratuitas e confiáveis para pessoas em deslocamento: riscos do caminho, asilo e proteção, vias legais e onde encontrar ajuda.\nSou um assistente automático, não um advogado. Se você está em perigo ou quer falar com uma pessoa, escreva HUMANO e alguém da nossa equipe vai te ler.",
  menu: {
    prompt: "Sobre o que você quer saber? Responda com um número:",
    darien: "Selva de Darién: riscos",
    asylum: "Asilo e proteção",
    pathways: "Formas legais de migrar",
    shelter: "Abrigo e onde dormir",
    health: "Atendimento de saúde",
    scams: "Golpes e falsas promessas",
    family: "Contato com a família",
    human: "Falar com uma pessoa",
    more: "Escreva *menu* a qualquer momento para ver os temas.",
  },
  options: {
    reply_number: "Responda com um número:",
    menu: "Menu",
    something_else: "Outra coisa",
    yes: "Sim",
    no: "Não",
    dont_know: "Outro país / Não sei",
  },
  fallback: "Desculpe, não entendi. Você pode escrever sua pergunta com outras palavras ou escolher um tema.",
  clarify: {
    prompt: "Quero ter certeza de que entendi. Você quer dizer:",
  },
  answer: {
    sources: "Fontes:\n{{sources}}",
    missing:
      "Ainda não tenho informação revisada sobre este tema no seu idioma. Uma pessoa da nossa equipe pode ajudar: escreva HUMANO.",
    more: "Responda MAIS para ler a resposta completa.",
  },
  rate: {
    wait: "Recebi muitas mensagens seguidas. Por favor, espere um minuto e escreva de novo. Se você está em perigo, conte o que está acontecendo: essa mensagem chega mesmo assim.",
  },
  numbers: {
    emergency: "Emergência",
    trafficking: "Linha contra o tráfico de pessoas",
    gbv: "Violência contra a mulher",
    children: "Proteção de crianças e adolescentes",
    self_harm: "Apoio em crise emocional",
    local: "o número local",
    unknown: "Ligue para o número de emergência local.",
  },
  country: {
    ask: "A resposta depende do país. Em que país você está?",
    saved: "Obrigado. Vou te dar informações para {{country}}.",
    not_understood: "Não reconheci o país. Vou te dar a informação geral.",
    names: {
      PA: "Panamá",
      CR: "Costa Rica",
      MX: "México",
      GT: "Guatemala",
      HN: "Honduras",
      SV: "El Salvador",
      NI: "Nicarágua",
      BZ: "Belize",
      US: "Estados Unidos",
      CA: "Canadá",
      CO: "Colômbia",
      DO: "República Dominicana",
      EC: "Equador",
      VE: "Venezuela",
      HT: "Haiti",
    },
  },
  language: {
    ask: "Qual idioma você prefere?",
    changed: "Certo, vou te escrever em português.",
    other: "Desculpe, só consigo escrever em espanhol, inglês, francês, crioulo haitiano e português. Escolha um:",
  },
  handoff: {
    media: "Por enquanto nossa equipe só consegue ler texto. Por favor, escreva com palavras (se for um lugar: a cidade, a rua, o que você vê).",
    left: "Você voltou ao assistente automático. Nossa equipe ainda tem sua conversa.",
    closed: "Nossa equipe encerrou sua conversa. O assistente automático está de volta: escreva MENU para ver os assuntos.",
    rate: "Nossa ajuda foi útil? Responda com um número de 1 (nada) a 5 (muito).",
    rated: "Obrigado por nos contar.",
    when_open: "Alguém da nossa equipe costuma responder em cerca de {{minutes}} minutos.",
    when_closed: "Nossa equipe não está conectada agora. Ela volta {{day}} às {{time}} (horário de {{zone}}). Se você está em perigo, ligue já para o número de emergência local.",
    when_closed_unknown: "Nossa equipe não está conectada agora. Se você está em perigo, ligue já para o número de emergência local.",
    ack: "Sua mensagem foi passada para uma pessoa da nossa equipe, que vai te responder aqui o mais rápido possível. Você pode continuar escrevendo.",
    emergency:
      "Se a sua vida ou a de outra pessoa está em perigo agora, ligue para o número local de emergência ou vá ao posto de polícia ou de saúde mais próximo.",
    open: "Uma pessoa da nossa equipe está com a sua conversa. Escreva *menu* para voltar às informações automáticas.",
  },
  thanks: "De nada. Se cuida. Se precisar de mais alguma coisa, estou aqui.",
  /** "Was this useful?" after an answer (labels are plain words: SMS shows them as a numbered list). */
  rating: {
    ask: "Essa resposta te ajudou?",
    useful: "Sim, ajudou",
    not_useful: "Não ajudou",
    thanks: "Obrigado por nos contar. Isso nos ajuda a melhorar as respostas.",
  },
  privacy: {
    notice: "🔒 O que você escreve aqui é guardado criptografado e apagado depois de {{days}} dias. A Brújula não manda isso para nenhum governo. Escreva PRIVACIDADE para saber mais, ou APAGAR para apagar seus dados.",
    full: "🔒 Sua privacidade\n• A Brújula guarda seu idioma, seu país e suas mensagens, criptografados, só para responder você. Seu número de telefone ou sua conta do Telegram também ficam guardados criptografados, só para mandar as respostas para você.\n• O texto das mensagens é apagado depois de {{days}} dias. Se você falou com a nossa equipe, a conversa fica guardada {{caseDays}} dias depois que o caso é fechado. Depois disso, é apagada.\n• Só as pessoas da nossa equipe que cuidam dos casos leem suas mensagens, e só quando você pede para falar com uma pessoa ou pode estar em perigo. A Brújula não manda seus dados para a imigração nem para nenhum governo. Também não usa serviços de inteligência artificial de outras empresas.\n• Suas mensagens também passam pelo WhatsApp, pelo Telegram e pela sua operadora de celular. Se alguém puder olhar seu celular, apague a conversa no celular também.\n• Escreva APAGAR a qualquer momento para apagar tudo o que guardamos sobre você.",
  },
  delete: {
    confirm:
      "Você quer que eu apague tudo o que guardo sobre você (seu idioma, seu país e o registro desta conversa)?",
    done: "Pronto: apaguei seus dados. Se escrever de novo, começamos do zero.",
    cancelled: "Tudo bem, não apaguei nada.",
  },
  days: {
    sun: "domingo",
    mon: "segunda-feira",
    tue: "terça-feira",
    wed: "quarta-feira",
    thu: "quinta-feira",
    fri: "sexta-feira",
    sat: "sábado",
  },
  /** Telegram's command menu (setMyCommands). */
  commands: {
    start: "Começar e ver o que posso fazer",
    menu: "Assuntos",
    language: "Mudar o idioma",
    country: "Dizer seu país",
    human: "Falar com uma pessoa",
    delete: "Apagar meus dados",
    privacy: "Privacidade e seus dados",
  },
  error: {
    generic: "Desculpe, algo deu errado do nosso lado. Tente de novo em um momento.",
    unsupported_media: "Só consigo ler mensagens de texto. Por favor, escreva sua pergunta com palavras.",
  },
};

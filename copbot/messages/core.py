"""Messages of the core conversation: welcome, help, community list and details, errors."""

MESSAGES = {
    "hello_name": {"en": "Hello {name}!", "fr": "Bonjour {name} !", "es": "¡Hola, {name}!"},
    "hello": {"en": "Hello!", "fr": "Bonjour !", "es": "¡Hola!"},
    "welcome": {
        "en": "I'm CoP Bot. I help you find and join UN-Habitat's Communities of Practice (CoPs). "
        "Tell me about your work and I'll suggest a CoP, or type **help** to see what I can do.",
        "fr": "Je suis CoP Bot. Je vous aide à trouver et à rejoindre les communautés de pratique "
        "(CoP) d'ONU-Habitat. Décrivez votre travail et je vous proposerai une CoP, ou tapez "
        "**aide** pour voir ce que je sais faire.",
        "es": "Soy CoP Bot. Le ayudo a encontrar las comunidades de práctica (CoP) de ONU-Hábitat "
        "y a unirse a ellas. Cuénteme sobre su trabajo y le sugeriré una CoP, o escriba **ayuda** para "
        "ver lo que puedo hacer.",
    },
    "you_are_welcome": {
        "en": "You're welcome! Ask me anytime.",
        "fr": "Avec plaisir ! Je reste à votre disposition.",
        "es": "¡De nada! Aquí estoy cuando me necesite.",
    },
    "action_done": {"en": "Done.", "fr": "C'est fait.", "es": "Hecho."},
    "welcome_team": {
        "en": "Hello! I'm CoP Bot. I will announce the meetings of {cop} here and collect "
        "questions in advance. Mention me with **help** to see what I can do.",
        "fr": "Bonjour ! Je suis CoP Bot. J'annoncerai ici les réunions de {cop} et recueillerai "
        "les questions à l'avance. Mentionnez-moi avec **aide** pour en savoir plus.",
        "es": "¡Hola! Soy CoP Bot. Anunciaré aquí las reuniones de {cop} y recogeré preguntas por "
        "adelantado. Mencióneme con **ayuda** para saber más.",
    },
    "welcome_team_unknown": {
        "en": "Hello! I'm CoP Bot. This channel is not a Community of Practice's channel in my "
        "catalog, so I will not announce meetings here: an admin can set it as a CoP's "
        "`channel_id`. Mention me with **help** to see what I can do.",
        "fr": "Bonjour ! Je suis CoP Bot. Ce canal n'est celui d'aucune communauté de pratique de "
        "mon catalogue : je n'y annoncerai donc pas de réunions. Un administrateur peut l'indiquer "
        "comme `channel_id` d'une CoP. Mentionnez-moi avec **aide** pour en savoir plus.",
        "es": "¡Hola! Soy CoP Bot. Este canal no es el de ninguna comunidad de práctica de mi "
        "catálogo, así que no anunciaré reuniones aquí: un administrador puede indicarlo como "
        "`channel_id` de una CoP. Mencióneme con **ayuda** para saber más.",
    },
    "help_title": {"en": "What I can do", "fr": "Ce que je sais faire", "es": "Lo que puedo hacer"},
    "help_intro": {
        "en": "Every staff member belongs to one **primary** Community of Practice (CoP) and may join "
        "others. Here is what you can ask me:",
        "fr": "Chaque membre du personnel appartient à une communauté de pratique (CoP) **principale** et "
        "peut en rejoindre d'autres. Voici ce que vous pouvez me demander :",
        "es": "Cada miembro del personal pertenece a una comunidad de práctica (CoP) **principal** y puede "
        "unirse a otras. Esto es lo que puede pedirme:",
    },
    "help_find": {
        "en": 'Describe your work ("I work on water and sanitation") and I\'ll suggest the CoPs that fit',
        "fr": "Décrivez votre travail (« je travaille sur l'eau et l'assainissement ») et je vous "
        "proposerai les CoP qui conviennent",
        "es": "Describa su trabajo («trabajo en agua y saneamiento») y le sugeriré las CoP adecuadas",
    },
    "help_list": {
        "en": "**communities**: all Communities of Practice",
        "fr": "**communautés** : toutes les communautés de pratique",
        "es": "**comunidades**: todas las comunidades de práctica",
    },
    "help_details": {
        "en": "**tell me about UBS**: one community in detail, Urban Basic Services (UBS) here",
        "fr": "**parle-moi de UBS** : une communauté en détail, ici Services urbains de base (UBS)",
        "es": "**háblame de UBS**: una comunidad en detalle, aquí Servicios Urbanos Básicos (UBS)",
    },
    "help_join": {
        "en": "**join UBS as my primary** or **join CC as a secondary**: ask to join a community "
        "(its focal points approve)",
        "fr": "**rejoindre UBS comme principale** ou **rejoindre CC comme secondaire** : demander à "
        "rejoindre une communauté (ses points focaux approuvent)",
        "es": "**unirme a UBS como principal** o **unirme a CC como secundaria**: pedir unirse a "
        "una comunidad (sus puntos focales aprueban)",
    },
    "help_primary": {
        "en": "**make CC my primary**: switch your primary CoP (the old one stays a secondary)",
        "fr": "**faire de CC ma principale** : changer de CoP principale (l'ancienne reste "
        "secondaire)",
        "es": "**hacer CC mi principal**: cambiar de CoP principal (la anterior queda como "
        "secundaria)",
    },
    "help_mine": {
        "en": "**my communities**: yours, with your primary one and your pending requests; "
        "**leave UBS**",
        "fr": "**mes communautés** : les vôtres, dont la principale, et vos demandes en attente ; "
        "**quitter UBS**",
        "es": "**mis comunidades**: las suyas, con la principal y sus solicitudes pendientes; "
        "**salir de UBS**",
    },
    "help_questions": {
        "en": "Questions in advance: **Ask a question** on a meeting's announcement in the CoP's "
        "channel; the focal points get it before the meeting, and I tell you when it is answered",
        "fr": "Questions à l'avance : **Poser une question** sur l'annonce d'une réunion dans le "
        "canal de la CoP ; les points focaux la reçoivent avant la réunion et je vous préviens "
        "quand elle a reçu une réponse",
        "es": "Preguntas por adelantado: **Hacer una pregunta** en el anuncio de una reunión en el "
        "canal de la CoP; los puntos focales la reciben antes de la reunión y le aviso cuando se "
        "responda",
    },
    "help_calendar": {
        "en": "**calendar**: upcoming CoP meetings, to add to your Outlook calendar; "
        "**my calendar**: those of your communities; **UBS meetings**: one community's; "
        "**follow LHS Finance**: a practice area's meetings announced to you",
        "fr": "**calendrier** : les prochaines réunions des CoP, à ajouter à votre calendrier "
        "Outlook ; **mon calendrier** : celles de vos communautés ; **réunions UBS** : celles "
        "d'une communauté ; **suivre Finance LHS** : l'annonce des réunions d'un domaine de "
        "pratique",
        "es": "**calendario**: las próximas reuniones de las CoP, para añadir a su calendario de "
        "Outlook; **mi calendario**: las de sus comunidades; **reuniones UBS**: las de una "
        "comunidad; **seguir Finanzas LHS**: el anuncio de las reuniones de un área de "
        "práctica",
    },
    "help_glossary": {
        "en": "**what does NUA mean?**: the abbreviations staff use, written out",
        "fr": "**que veut dire CDN ?** : les sigles employés au sein du personnel, en toutes "
        "lettres",
        "es": "**¿qué significa HLP?**: las siglas que usa el personal, desarrolladas",
    },
    "help_communities": {
        "en": "The communities: {names}.",
        "fr": "Les communautés : {names}.",
        "es": "Las comunidades: {names}.",
    },
    "list_title": {
        "en": "UN-Habitat's Communities of Practice",
        "fr": "Les communautés de pratique d'ONU-Habitat",
        "es": "Las comunidades de práctica de ONU-Hábitat",
    },
    "list_intro": {
        "en": "Membership is global: every staff member belongs to one primary CoP and is encouraged to "
        "join a cross-cutting one too.",
        "fr": "L'adhésion est mondiale : chaque membre du personnel appartient à une CoP principale et est "
        "encouragé à rejoindre aussi une CoP transversale.",
        "es": "La membresía es global: cada miembro del personal pertenece a una CoP principal y se le "
        "anima a unirse también a una transversal.",
    },
    "cross_cutting": {"en": "Cross-cutting", "fr": "Transversale", "es": "Transversal"},
    "focal_points": {"en": "Focal points", "fr": "Points focaux", "es": "Puntos focales"},
    "practice_areas": {
        "en": "Thematic areas",
        "fr": "Domaines thématiques",
        "es": "Áreas temáticas",
    },
    "meets": {"en": "Meetings", "fr": "Réunions", "es": "Reuniones"},
    "button_details": {"en": "Details", "fr": "Détails", "es": "Detalles"},
    "button_all": {
        "en": "All communities",
        "fr": "Toutes les communautés",
        "es": "Todas las comunidades",
    },
    "unknown_community": {
        "en": 'I don\'t know a community called "{name}". Here are the Communities of Practice:',
        "fr": "Je ne connais pas de communauté appelée « {name} ». Voici les communautés de pratique :",
        "es": "No conozco ninguna comunidad llamada «{name}». Estas son las comunidades de práctica:",
    },
    "not_understood": {
        "en": "Sorry, I didn't understand that. Tell me about your work and I'll suggest a Community of "
        "Practice, or try one of these:",
        "fr": "Désolé, je n'ai pas compris. Décrivez votre travail et je vous proposerai une communauté "
        "de pratique, ou essayez l'une de ces commandes :",
        "es": "Lo siento, no lo entendí. Cuénteme sobre su trabajo y le sugeriré una comunidad de "
        "práctica, o pruebe una de estas opciones:",
    },
    "error_generic": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
        "fr": "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
        "es": "Lo siento, algo falló de mi lado. Vuelva a intentarlo en un momento.",
    },
    "text_too_long": {
        "en": "That message is too long for me ({length} characters). Please keep it under {limit}.",
        "fr": "Ce message est trop long pour moi ({length} caractères). Restez sous {limit}, s'il vous "
        "plaît.",
        "es": "Ese mensaje es demasiado largo para mí ({length} caracteres). Manténgalo por debajo de "
        "{limit}, por favor.",
    },
    "unsupported_attachment": {
        "en": "I can only read text messages. Please type your question.",
        "fr": "Je ne lis que les messages texte. Tapez votre question, s'il vous plaît.",
        "es": "Solo puedo leer mensajes de texto. Escriba su pregunta, por favor.",
    },
}

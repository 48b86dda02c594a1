"""Messages of "which CoP fits me": the recommendation card, not sure, tell me about your work."""

MESSAGES = {
    "finder_title": {
        "en": "Communities of Practice for your work",
        "fr": "Les communautés de pratique pour votre travail",
        "es": "Comunidades de práctica para su trabajo",
    },
    "finder_intro": {
        "en": "Best match first. Every staff member has one **primary** CoP and may join others as "
        "secondary.",
        "fr": "La plus adaptée d'abord. Chaque membre du personnel a une CoP **principale** et peut en "
        "rejoindre d'autres comme secondaires.",
        "es": "La más adecuada primero. Cada miembro del personal tiene una CoP **principal** y puede "
        "unirse a otras como secundarias.",
    },
    "finder_two_topics": {
        "en": "You name two topics. I suggest **{primary}** as your primary CoP and **{secondary}** "
        "as a secondary one.",
        "fr": "Vous citez deux sujets. Je vous propose **{primary}** comme CoP principale et "
        "**{secondary}** comme CoP secondaire.",
        "es": "Menciona dos temas. Le sugiero **{primary}** como su CoP principal y **{secondary}** "
        "como CoP secundaria.",
    },
    "finder_second_title": {
        "en": "Your second topic: join as a secondary CoP",
        "fr": "Votre second sujet : à rejoindre comme CoP secondaire",
        "es": "Su segundo tema: únase como CoP secundaria",
    },
    "finder_others_title": {
        "en": "Also close to your work",
        "fr": "Également proches de votre travail",
        "es": "También cercanas a su trabajo",
    },
    "finder_reason": {
        "en": "Matched: {terms}",
        "fr": "Correspond à : {terms}",
        "es": "Coincide con: {terms}",
    },
    "finder_join_primary": {
        "en": "Join as primary",
        "fr": "Rejoindre (principale)",
        "es": "Unirme (principal)",
    },
    "finder_join_secondary": {
        "en": "Join as secondary",
        "fr": "Rejoindre (secondaire)",
        "es": "Unirme (secundaria)",
    },
    "finder_cross_cutting_title": {
        "en": "Also consider a cross-cutting CoP",
        "fr": "Pensez aussi à une CoP transversale",
        "es": "Considere también una CoP transversal",
    },
    "finder_cross_cutting_matched": {
        "en": "Staff are encouraged to join a cross-cutting community as well; this one fits your "
        "work best:",
        "fr": "Le personnel est encouragé à rejoindre aussi une communauté transversale ; celle-ci "
        "correspond le mieux à votre travail :",
        "es": "Se anima al personal a unirse también a una comunidad transversal; esta es la que mejor "
        "encaja con su trabajo:",
    },
    "finder_cross_cutting_closest": {
        "en": "Staff are encouraged to join a cross-cutting community as well; this one is the "
        "closest to your work:",
        "fr": "Le personnel est encouragé à rejoindre aussi une communauté transversale ; celle-ci est "
        "la plus proche de votre travail :",
        "es": "Se anima al personal a unirse también a una comunidad transversal; esta es la más "
        "cercana a su trabajo:",
    },
    "finder_cross_cutting_listed": {
        "en": "{name}, above, is cross-cutting: staff are encouraged to join one as well, as a "
        "secondary community.",
        "fr": "{name}, ci-dessus, est transversale : le personnel est encouragé à en rejoindre une "
        "aussi, comme communauté secondaire.",
        "es": "{name}, arriba, es transversal: se anima al personal a unirse también a una, como "
        "comunidad secundaria.",
    },
    "finder_not_sure": {
        "en": "I'm not sure which Community of Practice fits that. Could you tell me in a few words "
        'what your work is about? For example "urban mobility", "housing finance" or "gender '
        'equality". You can also look at all the communities.',
        "fr": "Je ne sais pas bien quelle communauté de pratique correspond à cela. Pouvez-vous me dire "
        "en quelques mots sur quoi porte votre travail ? Par exemple « mobilité urbaine », "
        "« financement du logement » ou « égalité des genres ». Vous pouvez aussi voir toutes les "
        "communautés.",
        "es": "No estoy seguro de qué comunidad de práctica corresponde a eso. ¿Podría decirme en pocas "
        "palabras de qué trata su trabajo? Por ejemplo «movilidad urbana», «financiamiento de la "
        "vivienda» o «igualdad de género». También puede ver todas las comunidades.",
    },
    "finder_ask": {
        "en": "Happy to help you find your Community of Practice! Tell me in a few words what your "
        'work is about, for example "water and sanitation", "land tenure" or "climate '
        "adaptation\", and I'll suggest the communities that fit.",
        "fr": "Avec plaisir, trouvons votre communauté de pratique ! Dites-moi en quelques mots sur "
        "quoi porte votre travail, par exemple « eau et assainissement », « foncier » ou "
        "« adaptation au climat », et je vous proposerai les communautés qui conviennent.",
        "es": "¡Con gusto le ayudo a encontrar su comunidad de práctica! Dígame en pocas palabras de "
        "qué trata su trabajo, por ejemplo «agua y saneamiento», «tenencia de la tierra» o "
        "«adaptación al clima», y le sugeriré las comunidades adecuadas.",
    },
    "finder_summary": {
        "en": "Suggested communities: {names}",
        "fr": "Communautés proposées : {names}",
        "es": "Comunidades sugeridas: {names}",
    },
}

"""Messages of "what does X mean?": the abbreviation written out, and the communities it points to."""

MESSAGES = {
    "glossary_means": {
        "en": "**{abbreviation}** stands for **{meaning}**.",
        "fr": "**{abbreviation}** veut dire **{meaning}**.",
        "es": "**{abbreviation}** significa **{meaning}**.",
    },
    "glossary_is_community": {
        "en": "It is one of our Communities of Practice (CoPs).",
        "fr": "C'est l'une de nos communautés de pratique (CoP).",
        "es": "Es una de nuestras comunidades de práctica (CoP).",
    },
    "glossary_related_one": {
        "en": "The Community of Practice (CoP) for it:",
        "fr": "La communauté de pratique (CoP) qui s'en occupe :",
        "es": "La comunidad de práctica (CoP) que se ocupa de ello:",
    },
    "glossary_related_many": {
        "en": "The Communities of Practice (CoPs) for it:",
        "fr": "Les communautés de pratique (CoP) qui s'en occupent :",
        "es": "Las comunidades de práctica (CoP) que se ocupan de ello:",
    },
    "glossary_join": {"en": "Join", "fr": "Rejoindre", "es": "Unirme"},
    "glossary_unknown": {
        "en": 'I don\'t know the abbreviation "{term}". Tell me in a few words what your work is '
        "about and I'll suggest a Community of Practice (CoP), or look at all the communities.",
        "fr": "Je ne connais pas l'abréviation « {term} ». Dites-moi en quelques mots sur quoi porte "
        "votre travail et je vous proposerai une communauté de pratique (CoP), ou voyez toutes les "
        "communautés.",
        "es": "No conozco la abreviatura «{term}». Dígame en pocas palabras de qué trata su trabajo y "
        "le sugeriré una comunidad de práctica (CoP), o vea todas las comunidades.",
    },
}

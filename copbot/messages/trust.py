"""Messages of the bot's guards: who is talking, and card data that cannot be used."""

MESSAGES = {
    "unknown_person": {
        "en": "Sorry, I cannot tell who you are from this message, so I cannot act on it. "
        "Please write to me from Microsoft Teams with your work account.",
        "fr": "Désolé, ce message ne me permet pas de savoir qui vous êtes, je ne peux donc pas y "
        "donner suite. Écrivez-moi depuis Microsoft Teams avec votre compte professionnel.",
        "es": "Lo siento, este mensaje no me permite saber quién es usted, así que no puedo "
        "atenderlo. Escríbame desde Microsoft Teams con su cuenta de trabajo.",
    },
    "action_invalid": {
        "en": "Sorry, I could not use that button: the card is damaged or out of date. "
        "Type **help** to start again.",
        "fr": "Désolé, je n'ai pas pu utiliser ce bouton : la carte est abîmée ou périmée. "
        "Tapez **aide** pour recommencer.",
        "es": "Lo siento, no pude usar ese botón: la tarjeta está dañada o desactualizada. "
        "Escriba **ayuda** para empezar de nuevo.",
    },
}

"""Messages of practice areas' meeting series (following them) and of event formats."""

MESSAGES = {
    # -- titles, calendar, cards ---------------------------------------------------------------
    "meetings_series_title": {
        "en": "{series}: {format}",
        "fr": "{series} : {format}",
        "es": "{series}: {format}",
    },
    "meetings_ics_series": {
        "en": "Practice area: {series}",
        "fr": "Domaine de pratique : {series}",
        "es": "Área de práctica: {series}",
    },
    "meetings_ics_format": {
        "en": "Format: {format}",
        "fr": "Format : {format}",
        "es": "Formato: {format}",
    },
    "meetings_label_format": {"en": "Format", "fr": "Format", "es": "Formato"},
    "meetings_label_series": {
        "en": "Practice area",
        "fr": "Domaine de pratique",
        "es": "Área de práctica",
    },
    "meetings_series_intro": {
        "en": "The next {format} of {series}, a practice area of the {cop} Community of Practice. "
        "Add it to your calendar and send your questions in advance.",
        "fr": "Prochain rendez-vous de {series} ({format}), domaine de pratique de la communauté "
        "de pratique {cop}. Ajoutez-le à votre agenda et envoyez vos questions à l'avance.",
        "es": "Próxima sesión de {series} ({format}), área de práctica de la comunidad de práctica "
        "{cop}. Agréguela a su calendario y envíe sus preguntas por adelantado.",
    },
    "meetings_kind_notice": {
        "en": "Notice to followers",
        "fr": "Annonce aux abonnés",
        "es": "Aviso a los seguidores",
    },
    # -- refusals --------------------------------------------------------------------------------
    "meetings_unknown_format": {
        "en": "I don't know the format {name}. The formats are: {formats}.",
        "fr": "Je ne connais pas le format {name}. Les formats sont : {formats}.",
        "es": "No conozco el formato {name}. Los formatos son: {formats}.",
    },
    "meetings_unknown_series": {
        "en": "{cop} has no practice area {name}. Its practice areas: {known}.",
        "fr": "{cop} n'a pas de domaine de pratique {name}. Ses domaines de pratique : {known}.",
        "es": "{cop} no tiene un área de práctica {name}. Sus áreas de práctica: {known}.",
    },
    # -- following -------------------------------------------------------------------------------
    "series_followed": {
        "en": "You now follow **{series}** ({cop}): each of its meetings is announced to you here, "
        "a week before. Type **unfollow {series}** to stop.",
        "fr": "Vous suivez désormais **{series}** ({cop}) : chacune de ses réunions vous est "
        "annoncée ici, une semaine avant. Tapez **ne plus suivre {series}** pour arrêter.",
        "es": "Ahora sigue **{series}** ({cop}): cada una de sus reuniones se le anuncia aquí, una "
        "semana antes. Escriba **dejar de seguir {series}** para dejar de recibirlas.",
    },
    "series_already_followed": {
        "en": "You already follow **{series}** ({cop}).",
        "fr": "Vous suivez déjà **{series}** ({cop}).",
        "es": "Ya sigue **{series}** ({cop}).",
    },
    "series_unfollowed": {
        "en": "You no longer follow **{series}** ({cop}): its meetings are not announced to you "
        "any more. Its channel and the calendar still show them.",
        "fr": "Vous ne suivez plus **{series}** ({cop}) : ses réunions ne vous sont plus annoncées. "
        "Son canal et le calendrier les montrent toujours.",
        "es": "Ya no sigue **{series}** ({cop}): sus reuniones ya no se le anuncian. Su canal y el "
        "calendario las siguen mostrando.",
    },
    "series_not_followed": {
        "en": "You don't follow **{series}** ({cop}).",
        "fr": "Vous ne suivez pas **{series}** ({cop}).",
        "es": "No sigue **{series}** ({cop}).",
    },
    "series_which": {
        "en": "Which practice area of {cop}? {known}. For example: **follow {example}**.",
        "fr": "Quel domaine de pratique de {cop} ? {known}. Par exemple : **suivre {example}**.",
        "es": "¿Qué área de práctica de {cop}? {known}. Por ejemplo: **seguir {example}**.",
    },
    "series_none": {
        "en": "I don't know that practice area. Practice areas with their own meetings: {known}.",
        "fr": "Je ne connais pas ce domaine de pratique. Les domaines de pratique qui ont leurs "
        "propres réunions : {known}.",
        "es": "No conozco esa área de práctica. Las áreas de práctica con reuniones propias: "
        "{known}.",
    },
    "series_welcome_offer": {
        "en": "{cop} has practice areas that meet on their own. Follow those you work on to get "
        "their meetings announced to you:",
        "fr": "{cop} a des domaines de pratique qui se réunissent séparément. Suivez ceux sur "
        "lesquels vous travaillez pour recevoir l'annonce de leurs réunions :",
        "es": "{cop} tiene áreas de práctica que se reúnen por separado. Siga las suyas para "
        "recibir el anuncio de sus reuniones:",
    },
    "series_button_follow": {
        "en": "Follow practice areas",
        "fr": "Suivre ces domaines",
        "es": "Seguir áreas de práctica",
    },
    "series_following_now": {
        "en": "You follow: {series}.",
        "fr": "Vous suivez : {series}.",
        "es": "Sigue: {series}.",
    },
    "series_following_none": {
        "en": "You follow no practice area of {cop}.",
        "fr": "Vous ne suivez aucun domaine de pratique de {cop}.",
        "es": "No sigue ningún área de práctica de {cop}.",
    },
}

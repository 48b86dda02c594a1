"""Messages of what happens after a meeting: the follow-up (recording, materials, summary),
feedback, past meetings, and the CoP health report."""

MESSAGES = {
    # -- refusals ------------------------------------------------------------------------------
    "followup_bad_link": {
        "en": "«{link}» is not a link I can share. Give one full address, like "
        "https://unhabitat.sharepoint.com/…",
        "fr": "«{link}» n'est pas un lien que je peux partager. Donnez une adresse complète, par "
        "exemple https://unhabitat.sharepoint.com/…",
        "es": "«{link}» no es un enlace que pueda compartir. Indique una dirección completa, por "
        "ejemplo https://unhabitat.sharepoint.com/…",
    },
    "followup_https_only": {
        "en": "«{link}» is not a secure link: only https:// links are shared.",
        "fr": "«{link}» n'est pas un lien sécurisé : seuls les liens https:// sont partagés.",
        "es": "«{link}» no es un enlace seguro: solo se comparten enlaces https://.",
    },
    "followup_not_yet": {
        "en": "This meeting has not taken place yet: add its recording and summary afterwards.",
        "fr": "Cette réunion n'a pas encore eu lieu : ajoutez l'enregistrement et le résumé après.",
        "es": "Esta reunión aún no ha tenido lugar: agregue la grabación y el resumen después.",
    },
    "followup_summary_too_long": {
        "en": "The summary is too long (at most {limit} characters): keep the key points.",
        "fr": "Le résumé est trop long ({limit} caractères au plus) : gardez les points clés.",
        "es": "El resumen es demasiado largo (como máximo {limit} caracteres): conserve los puntos "
        "clave.",
    },
    "followup_empty": {
        "en": "Give a recording link, materials or a summary, for example: "
        "add recording {cop} https://…",
        "fr": "Donnez un lien d'enregistrement, des documents ou un résumé, par exemple : "
        "ajouter l'enregistrement {cop} https://…",
        "es": "Indique un enlace de grabación, materiales o un resumen, por ejemplo: "
        "agregar grabación {cop} https://…",
    },
    "followup_too_many": {
        "en": "A meeting keeps at most {limit} materials.",
        "fr": "Une réunion garde au plus {limit} documents.",
        "es": "Una reunión guarda como máximo {limit} materiales.",
    },
    "followup_no_past_meeting": {
        "en": "{cop} has not held a meeting in the last three months.",
        "fr": "{cop} n'a pas tenu de réunion ces trois derniers mois.",
        "es": "{cop} no ha celebrado ninguna reunión en los últimos tres meses.",
    },
    "feedback_rating_needed": {
        "en": "Choose a rating from 1 to 5.",
        "fr": "Choisissez une note de 1 à 5.",
        "es": "Elija una valoración de 1 a 5.",
    },
    "feedback_comment_too_long": {
        "en": "The comment is too long (at most {limit} characters).",
        "fr": "Le commentaire est trop long ({limit} caractères au plus).",
        "es": "El comentario es demasiado largo (como máximo {limit} caracteres).",
    },
    "feedback_not_yet": {
        "en": "Feedback opens once the meeting has taken place.",
        "fr": "L'avis s'ouvre une fois la réunion tenue.",
        "es": "Las opiniones se abren una vez celebrada la reunión.",
    },
    "feedback_closed": {
        "en": "Feedback on this meeting is closed.",
        "fr": "Les avis sur cette réunion sont clos.",
        "es": "Las opiniones sobre esta reunión están cerradas.",
    },
    # -- the calendar feed ---------------------------------------------------------------------
    "followup_ics_summary": {
        "en": "Summary: {summary}",
        "fr": "Résumé : {summary}",
        "es": "Resumen: {summary}",
    },
    "followup_ics_recording": {
        "en": "Recording: {url}",
        "fr": "Enregistrement : {url}",
        "es": "Grabación: {url}",
    },
    # -- the follow-up in the thread -----------------------------------------------------------
    "followup_title": {
        "en": "After the meeting: {title}, {when}",
        "fr": "Après la réunion : {title}, {when}",
        "es": "Después de la reunión: {title}, {when}",
    },
    "followup_intro": {
        "en": "Missed it, or want to go back to it? Here are the recording, the materials and the "
        "key points.",
        "fr": "Vous l'avez manquée ou voulez y revenir ? Voici l'enregistrement, les documents et "
        "les points clés.",
        "es": "¿Se la perdió o quiere volver a verla? Aquí tiene la grabación, los materiales y "
        "los puntos clave.",
    },
    "followup_summary_label": {"en": "Key points", "fr": "Points clés", "es": "Puntos clave"},
    "followup_materials_label": {"en": "Materials", "fr": "Documents", "es": "Materiales"},
    "followup_button_recording": {
        "en": "Watch the recording",
        "fr": "Voir l'enregistrement",
        "es": "Ver la grabación",
    },
    "followup_none_yet": {
        "en": "No recording or summary yet.",
        "fr": "Pas encore d'enregistrement ni de résumé.",
        "es": "Aún no hay grabación ni resumen.",
    },
    # -- the form (button on the announcement) -------------------------------------------------
    "followup_button_add": {
        "en": "Add recording, summary",
        "fr": "Enregistrement, résumé",
        "es": "Grabación y resumen",
    },
    "followup_form_title": {
        "en": "Recording and summary of {title}, {when}",
        "fr": "Enregistrement et résumé : {title}, {when}",
        "es": "Grabación y resumen: {title}, {when}",
    },
    "followup_form_intro": {
        "en": "It is posted in the announcement's thread, added to the calendar entry, and the "
        "people whose questions were answered are told where to find it.",
        "fr": "Il est publié dans le fil de l'annonce, ajouté à l'entrée du calendrier, et les "
        "personnes dont les questions ont reçu une réponse sont prévenues.",
        "es": "Se publica en el hilo del anuncio, se añade a la entrada del calendario y se avisa "
        "a las personas cuyas preguntas fueron respondidas.",
    },
    "followup_form_recording": {
        "en": "Recording link (https://)",
        "fr": "Lien de l'enregistrement (https://)",
        "es": "Enlace de la grabación (https://)",
    },
    "followup_form_materials": {
        "en": "Other materials: links, one per line",
        "fr": "Autres documents : liens, un par ligne",
        "es": "Otros materiales: enlaces, uno por línea",
    },
    "followup_form_summary": {
        "en": "Summary: the key points",
        "fr": "Résumé : les points clés",
        "es": "Resumen: los puntos clave",
    },
    "followup_form_send": {"en": "Share", "fr": "Partager", "es": "Compartir"},
    "followup_saved": {
        "en": "Shared: the follow-up of {title}, {when} is posted in the channel.",
        "fr": "Partagé : le suivi de {title}, {when} est publié dans le canal.",
        "es": "Compartido: el seguimiento de {title}, {when} se publica en el canal.",
    },
    # -- the askers ----------------------------------------------------------------------------
    "followup_asker_text": {
        "en": "Your question «{question}» was taken at {title} ({when}). The recording and the "
        "key points are in the {cop} channel, in the thread of the meeting's announcement "
        '(or say "past meetings of {cop_id}").',
        "fr": "Votre question «{question}» a été traitée à {title} ({when}). L'enregistrement et "
        "les points clés sont dans le canal {cop}, dans le fil de l'annonce de la réunion "
        "(ou dites « réunions passées de {cop_id} »).",
        "es": "Su pregunta «{question}» se trató en {title} ({when}). La grabación y los puntos "
        "clave están en el canal de {cop}, en el hilo del anuncio de la reunión "
        "(o diga «reuniones pasadas de {cop_id}»).",
    },
    # -- feedback ------------------------------------------------------------------------------
    "feedback_title": {
        "en": "How was it? {title}, {when}",
        "fr": "Qu'en avez-vous pensé ? {title}, {when}",
        "es": "¿Qué le pareció? {title}, {when}",
    },
    "feedback_intro": {
        "en": "Your feedback helps the focal points improve the Community of Practice. Only the "
        "count is shown here, never who said what.",
        "fr": "Votre avis aide les points focaux à améliorer la communauté de pratique. Seul le "
        "nombre de réponses est affiché, jamais qui a dit quoi.",
        "es": "Su opinión ayuda a los puntos focales a mejorar la comunidad de práctica. Solo se "
        "muestra el número de respuestas, nunca quién dijo qué.",
    },
    "feedback_rating_label": {
        "en": "Your rating",
        "fr": "Votre note",
        "es": "Su valoración",
    },
    "feedback_choice_1": {"en": "1 - Poor", "fr": "1 - Faible", "es": "1 - Deficiente"},
    "feedback_choice_2": {"en": "2 - Fair", "fr": "2 - Passable", "es": "2 - Regular"},
    "feedback_choice_3": {"en": "3 - Good", "fr": "3 - Bien", "es": "3 - Buena"},
    "feedback_choice_4": {"en": "4 - Very good", "fr": "4 - Très bien", "es": "4 - Muy buena"},
    "feedback_choice_5": {"en": "5 - Excellent", "fr": "5 - Excellent", "es": "5 - Excelente"},
    "feedback_comment_label": {
        "en": "A comment (optional)",
        "fr": "Un commentaire (facultatif)",
        "es": "Un comentario (opcional)",
    },
    "feedback_button_send": {"en": "Send feedback", "fr": "Envoyer", "es": "Enviar"},
    "feedback_count#one": {
        "en": "{count} answer so far.",
        "fr": "{count} réponse pour l'instant.",
        "es": "{count} respuesta hasta ahora.",
    },
    "feedback_count#other": {
        "en": "{count} answers so far.",
        "fr": "{count} réponses pour l'instant.",
        "es": "{count} respuestas hasta ahora.",
    },
    "feedback_count_none": {
        "en": "No answers yet: be the first.",
        "fr": "Pas encore de réponse : soyez le premier.",
        "es": "Aún no hay respuestas: sea el primero.",
    },
    "feedback_thanks": {
        "en": "Thank you: your rating is {rating}/5. You can change it at any time.",
        "fr": "Merci : votre note est {rating}/5. Vous pouvez la changer à tout moment.",
        "es": "Gracias: su valoración es {rating}/5. Puede cambiarla en cualquier momento.",
    },
    "feedback_results_title": {
        "en": "Feedback on {title}, {when}",
        "fr": "Avis sur {title}, {when}",
        "es": "Opiniones sobre {title}, {when}",
    },
    "feedback_results_line#one": {
        "en": "{count} answer, average {average}/5",
        "fr": "{count} réponse, moyenne {average}/5",
        "es": "{count} respuesta, media {average}/5",
    },
    "feedback_results_line#other": {
        "en": "{count} answers, average {average}/5",
        "fr": "{count} réponses, moyenne {average}/5",
        "es": "{count} respuestas, media {average}/5",
    },
    "feedback_results_none": {
        "en": "No feedback was given.",
        "fr": "Aucun avis n'a été donné.",
        "es": "No se dio ninguna opinión.",
    },
    "feedback_results_comments": {
        "en": "Comments (without names)",
        "fr": "Commentaires (sans noms)",
        "es": "Comentarios (sin nombres)",
    },
    # -- past meetings -------------------------------------------------------------------------
    "past_title": {
        "en": "Past meetings: {cop}",
        "fr": "Réunions passées : {cop}",
        "es": "Reuniones pasadas: {cop}",
    },
    "past_none": {
        "en": "{cop} has held no meeting in the last year.",
        "fr": "{cop} n'a tenu aucune réunion l'année passée.",
        "es": "{cop} no ha celebrado ninguna reunión en el último año.",
    },
    # -- CoP health ----------------------------------------------------------------------------
    "health_title": {
        "en": "CoP health, last 12 months",
        "fr": "Santé des communautés, 12 derniers mois",
        "es": "Salud de las comunidades, últimos 12 meses",
    },
    "health_as_of": {
        "en": "From {start} to {end}. Bars: share of questions answered.",
        "fr": "Du {start} au {end}. Barres : part des questions ayant reçu une réponse.",
        "es": "Del {start} al {end}. Barras: proporción de preguntas respondidas.",
    },
    "health_col_meetings": {
        "en": "Held / planned",
        "fr": "Tenues / prévues",
        "es": "Celebradas / previstas",
    },
    "health_col_recordings": {"en": "Recordings", "fr": "Enreg.", "es": "Grabaciones"},
    "health_col_questions": {
        "en": "Questions answered",
        "fr": "Questions répondues",
        "es": "Preguntas respondidas",
    },
    "health_col_feedback": {"en": "Feedback", "fr": "Avis", "es": "Opiniones"},
    "health_col_members": {
        "en": "Members +joined / −left",
        "fr": "Membres +arrivés / −partis",
        "es": "Miembros +altas / −bajas",
    },
    "health_button": {"en": "CoP health", "fr": "Santé des CoP", "es": "Salud de las CoP"},
    "health_fallback": {
        "en": "CoP health over the last 12 months for {count} CoPs.",
        "fr": "Santé des communautés sur 12 mois pour {count} CoP.",
        "es": "Salud de las comunidades en 12 meses para {count} CoP.",
    },
}

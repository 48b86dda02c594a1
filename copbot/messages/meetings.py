"""Messages of CoP meetings: announcements, questions in advance, digests, the calendar."""

MESSAGES = {
    # -- titles and calendar feed --------------------------------------------------------------
    "meetings_default_title": {
        "en": "{name} meeting",
        "fr": "Réunion de la communauté {name}",
        "es": "Reunión de la comunidad {name}",
    },
    "meetings_ics_theme": {"en": "Theme: {theme}", "fr": "Thème : {theme}", "es": "Tema: {theme}"},
    "meetings_ics_questions": {
        "en": "Send your questions in advance from the announcement in the Community of Practice's "
        "Teams channel: every question gets an answer.",
        "fr": "Envoyez vos questions à l'avance depuis l'annonce dans le canal Teams de la communauté "
        "de pratique : chaque question reçoit une réponse.",
        "es": "Envíe sus preguntas por adelantado desde el anuncio en el canal de Teams de la "
        "comunidad de práctica: cada pregunta recibe una respuesta.",
    },
    # -- announcement, reminder, change --------------------------------------------------------
    "meetings_announcement_intro": {
        "en": "The next meeting of the {cop} Community of Practice. Add it to your calendar and send "
        "your questions in advance.",
        "fr": "La prochaine réunion de la communauté de pratique {cop}. Ajoutez-la à votre agenda et "
        "envoyez vos questions à l'avance.",
        "es": "La próxima reunión de la comunidad de práctica {cop}. Agréguela a su calendario y "
        "envíe sus preguntas por adelantado.",
    },
    "meetings_label_when": {"en": "When", "fr": "Quand", "es": "Cuándo"},
    "meetings_label_utc": {"en": "In UTC", "fr": "En UTC", "es": "En UTC"},
    "meetings_label_duration": {"en": "Duration", "fr": "Durée", "es": "Duración"},
    "meetings_label_theme": {"en": "Theme", "fr": "Thème", "es": "Tema"},
    "meetings_minutes#one": {
        "en": "{count} minute",
        "fr": "{count} minute",
        "es": "{count} minuto",
    },
    "meetings_minutes#other": {
        "en": "{count} minutes",
        "fr": "{count} minutes",
        "es": "{count} minutos",
    },
    "meetings_theme_line": {"en": "Theme: {theme}", "fr": "Thème : {theme}", "es": "Tema: {theme}"},
    "meetings_status_cancelled": {
        "en": "Cancelled",
        "fr": "Annulée",
        "es": "Cancelada",
    },
    "meetings_status_moved_from": {
        "en": "New date (was {when})",
        "fr": "Nouvelle date (au lieu du {when})",
        "es": "Nueva fecha (antes: {when})",
    },
    "meetings_status_scheduled": {"en": "scheduled", "fr": "prévue", "es": "prevista"},
    "meetings_status_moved": {"en": "moved", "fr": "déplacée", "es": "cambiada de fecha"},
    "meetings_status_skipped": {"en": "cancelled", "fr": "annulée", "es": "cancelada"},
    "meetings_ask_intro": {
        "en": "Questions sent in advance make the meeting more interactive, and every question gets "
        "an answer. Only the focal points see who asked.",
        "fr": "Les questions envoyées à l'avance rendent la réunion plus interactive, et chaque question "
        "reçoit une réponse. Seuls les points focaux voient qui l'a posée.",
        "es": "Las preguntas enviadas por adelantado hacen la reunión más interactiva, y cada pregunta "
        "recibe una respuesta. Solo los puntos focales ven quién preguntó.",
    },
    "meetings_ask_label": {
        "en": "Your question for the focal points",
        "fr": "Votre question pour les points focaux",
        "es": "Su pregunta para los puntos focales",
    },
    "meetings_ask_placeholder": {
        "en": "Your question or concern for the meeting",
        "fr": "Votre question ou préoccupation pour la réunion",
        "es": "Su pregunta o inquietud para la reunión",
    },
    "meetings_button_ask": {
        "en": "Ask a question",
        "fr": "Poser une question",
        "es": "Hacer una pregunta",
    },
    "meetings_button_calendar": {
        "en": "Add to calendar",
        "fr": "Ajouter à l'agenda",
        "es": "Agregar al calendario",
    },
    "meetings_reminder_title": {
        "en": "Today: {title}",
        "fr": "Aujourd'hui : {title}",
        "es": "Hoy: {title}",
    },
    "meetings_reminder_intro": {
        "en": "A reminder: the meeting is today. There is still time to send a question.",
        "fr": "Un rappel : la réunion a lieu aujourd'hui. Il est encore temps d'envoyer une question.",
        "es": "Un recordatorio: la reunión es hoy. Todavía hay tiempo para enviar una pregunta.",
    },
    "meetings_change_title": {
        "en": "Change of meeting",
        "fr": "Changement de réunion",
        "es": "Cambio de reunión",
    },
    "meetings_change_cancelled": {
        "en": "Cancelled: {title}, {when}.",
        "fr": "Annulée : {title}, {when}.",
        "es": "Cancelada: {title}, {when}.",
    },
    "meetings_change_moved": {
        "en": "New date: {title} moves from {old} to {when}.",
        "fr": "Nouvelle date : {title}, déplacée du {old} au {when}.",
        "es": "Nueva fecha: {title} pasa del {old} al {when}.",
    },
    "meetings_change_restored": {
        "en": "As planned after all: {title}, {when}.",
        "fr": "Finalement comme prévu : {title}, {when}.",
        "es": "Finalmente según lo previsto: {title}, {when}.",
    },
    # -- asking ---------------------------------------------------------------------------------
    "meetings_ack_received": {
        "en": "Thank you: your question was sent to the focal points. I'll tell you in our chat when it is answered.",
        "fr": "Merci : votre question a été transmise aux points focaux. Je vous préviendrai dans notre "
        "conversation quand elle aura reçu une réponse.",
        "es": "Gracias: su pregunta se envió a los puntos focales. Le avisaré en nuestro chat cuando "
        "tenga respuesta.",
    },
    "meetings_ack_duplicate": {
        "en": "You had already sent this question; it is in the list for the focal points.",
        "fr": "Vous aviez déjà envoyé cette question ; elle figure dans la liste des points focaux.",
        "es": "Ya había enviado esta pregunta; está en la lista de los puntos focales.",
    },
    "meetings_ack_next": {
        "en": "This meeting has already taken place: your question goes to the next one ({when}).",
        "fr": "Cette réunion a déjà eu lieu : votre question est reportée à la suivante ({when}).",
        "es": "Esta reunión ya se celebró: su pregunta pasa a la siguiente ({when}).",
    },
    "meetings_ack_private": {
        "en": "Only you see this confirmation.",
        "fr": "Vous seul(e) voyez cette confirmation.",
        "es": "Solo usted ve esta confirmación.",
    },
    "meetings_question_empty": {
        "en": "Write your question in the box first, then send it.",
        "fr": "Écrivez d'abord votre question dans la zone de texte, puis envoyez-la.",
        "es": "Primero escriba su pregunta en el cuadro y luego envíela.",
    },
    "meetings_question_too_long": {
        "en": "A question can be at most {limit} characters. Please shorten it.",
        "fr": "Une question peut compter au plus {limit} caractères. Merci de la raccourcir.",
        "es": "Una pregunta puede tener como máximo {limit} caracteres. Acórtela, por favor.",
    },
    "meetings_question_limit": {
        "en": "You have sent {limit} questions for this meeting already; the focal points will take them up.",
        "fr": "Vous avez déjà envoyé {limit} questions pour cette réunion ; les points focaux les traiteront.",
        "es": "Ya envió {limit} preguntas para esta reunión; los puntos focales las atenderán.",
    },
    "meetings_answered_notice": {
        "en": "Your question «{question}» ({title}) has been answered; {name} marked it so.",
        "fr": "Votre question «{question}» ({title}) a reçu une réponse ; {name} l'a indiqué.",
        "es": "Su pregunta «{question}» ({title}) ha sido respondida; {name} lo indicó.",
    },
    "meetings_a_focal_point": {
        "en": "a focal point",
        "fr": "un point focal",
        "es": "un punto focal",
    },
    # -- digest ---------------------------------------------------------------------------------
    "meetings_digest_title": {
        "en": "Questions sent in advance",
        "fr": "Questions envoyées à l'avance",
        "es": "Preguntas enviadas por adelantado",
    },
    "meetings_digest_intro#one": {
        "en": "{title}, {when}: {count} question. Mark it answered once it is: the person "
        "who asked is told.",
        "fr": "{title}, {when} : {count} question. Marquez-la comme répondue une fois "
        "traitée : la personne qui l'a posée en est informée.",
        "es": "{title}, {when}: {count} pregunta. Márquela como respondida cuando lo "
        "esté: se avisa a quien preguntó.",
    },
    "meetings_digest_intro#other": {
        "en": "{title}, {when}: {count} questions. Mark each one answered once it is: the person "
        "who asked is told.",
        "fr": "{title}, {when} : {count} questions. Marquez chacune comme répondue une fois "
        "traitée : la personne qui l'a posée en est informée.",
        "es": "{title}, {when}: {count} preguntas. Marque cada una como respondida cuando lo "
        "esté: se avisa a quien preguntó.",
    },
    "meetings_digest_late": {
        "en": "{title}, {when}: a new question ({count}), sent after the digest.",
        "fr": "{title}, {when} : une nouvelle question ({count}), arrivée après le récapitulatif.",
        "es": "{title}, {when}: una nueva pregunta ({count}), llegada después del resumen.",
    },
    "meetings_digest_asked_by": {
        "en": "Asked by {name}, {date}",
        "fr": "Posée par {name}, {date}",
        "es": "Hecha por {name}, {date}",
    },
    "meetings_digest_rolled_over": {
        "en": "Not answered at the meeting of {when}: carried over",
        "fr": "Sans réponse à la réunion du {when} : reportée",
        "es": "Sin respuesta en la reunión del {when}: trasladada",
    },
    "meetings_digest_all_answered": {
        "en": "Every question has been answered. Thank you!",
        "fr": "Toutes les questions ont reçu une réponse. Merci !",
        "es": "Todas las preguntas tienen respuesta. ¡Gracias!",
    },
    "meetings_digest_more": {
        "en": "…and {count} more: they will appear as these are answered.",
        "fr": "…et {count} autres : elles apparaîtront au fur et à mesure des réponses.",
        "es": "…y {count} más: aparecerán a medida que se respondan estas.",
    },
    "meetings_button_answered": {
        "en": "Mark answered",
        "fr": "Marquer comme répondue",
        "es": "Marcar como respondida",
    },
    "meetings_answered_by": {
        "en": "Answered (marked by {name})",
        "fr": "Répondue (marquée par {name})",
        "es": "Respondida (marcada por {name})",
    },
    "meetings_unknown_question": {
        "en": "I can't find that question any more.",
        "fr": "Je ne retrouve plus cette question.",
        "es": "Ya no encuentro esa pregunta.",
    },
    # -- calendar -------------------------------------------------------------------------------
    "meetings_calendar_title": {
        "en": "Upcoming meetings of the Communities of Practice",
        "fr": "Prochaines réunions des communautés de pratique",
        "es": "Próximas reuniones de las comunidades de práctica",
    },
    "meetings_calendar_mine_title": {
        "en": "Upcoming meetings of your Communities of Practice",
        "fr": "Prochaines réunions de vos communautés de pratique",
        "es": "Próximas reuniones de sus comunidades de práctica",
    },
    "meetings_calendar_empty": {
        "en": "No meeting is planned in the coming weeks.",
        "fr": "Aucune réunion n'est prévue dans les prochaines semaines.",
        "es": "No hay reuniones previstas en las próximas semanas.",
    },
    "meetings_calendar_mine_empty": {
        "en": "None of your communities has a meeting planned in the coming weeks. Type **calendar** "
        "to see all of them.",
        "fr": "Aucune de vos communautés n'a de réunion prévue dans les prochaines semaines. Tapez "
        "**calendrier** pour les voir toutes.",
        "es": "Ninguna de sus comunidades tiene reuniones previstas en las próximas semanas. Escriba "
        "**calendario** para verlas todas.",
    },
    "meetings_calendar_hint": {
        "en": "Subscribe in Outlook (Add calendar > Subscribe from web) to keep these meetings up to "
        "date in your own calendar.",
        "fr": "Abonnez-vous dans Outlook (Ajouter un calendrier > S'abonner à partir du web) pour garder "
        "ces réunions à jour dans votre agenda.",
        "es": "Suscríbase en Outlook (Agregar calendario > Suscribirse desde la web) para mantener "
        "estas reuniones al día en su calendario.",
    },
    "meetings_button_subscribe_all": {
        "en": "Subscribe: all CoPs",
        "fr": "S'abonner : toutes",
        "es": "Suscribirse: todas",
    },
    "meetings_button_subscribe_cop": {
        "en": "Subscribe: {cop}",
        "fr": "S'abonner : {cop}",
        "es": "Suscribirse: {cop}",
    },
    "meetings_next_heading": {
        "en": "Next meeting",
        "fr": "Prochaine réunion",
        "es": "Próxima reunión",
    },
    # -- managing occurrences -------------------------------------------------------------------
    "meetings_upcoming_title": {
        "en": "Upcoming meetings: {cop}",
        "fr": "Prochaines réunions : {cop}",
        "es": "Próximas reuniones: {cop}",
    },
    "meetings_kind_announcement": {"en": "Announcement", "fr": "Annonce", "es": "Anuncio"},
    "meetings_kind_reminder": {"en": "Reminder", "fr": "Rappel", "es": "Recordatorio"},
    "meetings_kind_digest": {
        "en": "Questions digest",
        "fr": "Récapitulatif des questions",
        "es": "Resumen de preguntas",
    },
    "meetings_post_planned": {
        "en": "{kind}: planned {when}",
        "fr": "{kind} : prévue le {when}",
        "es": "{kind}: prevista el {when}",
    },
    "meetings_post_sent": {
        "en": "{kind}: sent {when}",
        "fr": "{kind} : envoyée le {when}",
        "es": "{kind}: enviada el {when}",
    },
    "meetings_post_skipped": {
        "en": "{kind}: not sent ({reason})",
        "fr": "{kind} : non envoyée ({reason})",
        "es": "{kind}: no enviada ({reason})",
    },
    "meetings_post_failed": {
        "en": "{kind}: failed, will retry ({reason})",
        "fr": "{kind} : échec, nouvel essai prévu ({reason})",
        "es": "{kind}: falló, se reintentará ({reason})",
    },
    "meetings_post_sending": {
        "en": "{kind}: being sent",
        "fr": "{kind} : en cours d'envoi",
        "es": "{kind}: enviándose",
    },
    "meetings_occurrence_id": {
        "en": "Id: {id}",
        "fr": "Identifiant : {id}",
        "es": "Identificador: {id}",
    },
    "meetings_button_skip": {
        "en": "Skip this one",
        "fr": "Annuler celle-ci",
        "es": "Cancelar esta",
    },
    "meetings_button_restore": {
        "en": "Restore as planned",
        "fr": "Rétablir comme prévu",
        "es": "Restablecer como estaba",
    },
    "meetings_button_undo": {"en": "Undo", "fr": "Annuler la modification", "es": "Deshacer"},
    "meetings_manage_hint": {
        "en": "You can also type: **skip the next {cop} meeting**, or **move the next {cop} meeting to "
        "2026-12-15 14:00** (in the community's time zone).",
        "fr": "Vous pouvez aussi écrire : **annuler la prochaine réunion {cop}**, ou **déplacer la "
        "prochaine réunion {cop} au 2026-12-15 14:00** (heure de la communauté).",
        "es": "También puede escribir: **cancelar la próxima reunión de {cop}**, o **mover la próxima "
        "reunión de {cop} al 2026-12-15 14:00** (hora de la comunidad).",
    },
    "meetings_skip_done": {
        "en": "Done. Cancelled: {title}, {when}. If it had been announced, the channel is told.",
        "fr": "C'est fait. Annulée : {title}, {when}. Si elle avait été annoncée, le canal en est "
        "informé.",
        "es": "Hecho. Cancelada: {title}, {when}. Si ya se había anunciado, se avisa en el canal.",
    },
    "meetings_move_done": {
        "en": "Done. New date: {title}, {when}. If it had been announced, the channel is told.",
        "fr": "C'est fait. Nouvelle date : {title}, {when}. Si elle avait été annoncée, le canal en "
        "est informé.",
        "es": "Hecho. Nueva fecha: {title}, {when}. Si ya se había anunciado, se avisa en el canal.",
    },
    "meetings_restore_done": {
        "en": "Done. As planned: {title}, {when}.",
        "fr": "C'est fait. Comme prévu : {title}, {when}.",
        "es": "Hecho. Según lo previsto: {title}, {when}.",
    },
    "meetings_not_allowed": {
        "en": "Only the focal points of {cop} and CoP Bot admins can do that.",
        "fr": "Seuls les points focaux de {cop} et les administrateurs de CoP Bot peuvent le faire.",
        "es": "Solo los puntos focales de {cop} y los administradores de CoP Bot pueden hacerlo.",
    },
    "meetings_unknown_cop": {
        "en": "I don't know a Community of Practice called {name}. Type **communities** to see them all.",
        "fr": "Je ne connais pas de communauté de pratique nommée {name}. Tapez **communautés** pour "
        "les voir toutes.",
        "es": "No conozco ninguna comunidad de práctica llamada {name}. Escriba **comunidades** para "
        "verlas todas.",
    },
    "meetings_none_upcoming": {
        "en": "{cop} has no upcoming meeting.",
        "fr": "{cop} n'a pas de réunion à venir.",
        "es": "{cop} no tiene reuniones próximas.",
    },
    "meetings_unknown_occurrence": {
        "en": "I can't find the meeting {occurrence}.",
        "fr": "Je ne trouve pas la réunion {occurrence}.",
        "es": "No encuentro la reunión {occurrence}.",
    },
    "meetings_is_skipped": {
        "en": "The meeting {when} is cancelled: restore it first.",
        "fr": "La réunion {when} est annulée : rétablissez-la d'abord.",
        "es": "La reunión {when} está cancelada: restablézcala primero.",
    },
    "meetings_move_too_far#one": {
        "en": "A meeting can move by at most {count} day. Cancel it and add an event instead.",
        "fr": "Une réunion peut être déplacée de {count} jour au plus. Annulez-la et ajoutez "
        "plutôt un événement.",
        "es": "Una reunión puede moverse como máximo {count} día. Cancélela y agregue un evento.",
    },
    "meetings_move_too_far#other": {
        "en": "A meeting can move by at most {count} days. Cancel it and add an event instead.",
        "fr": "Une réunion peut être déplacée de {count} jours au plus. Annulez-la et ajoutez "
        "plutôt un événement.",
        "es": "Una reunión puede moverse como máximo {count} días. Cancélela y agregue un evento.",
    },
    "meetings_move_past": {
        "en": "That date and time have already passed.",
        "fr": "Cette date et cette heure sont déjà passées.",
        "es": "Esa fecha y hora ya pasaron.",
    },
    "meetings_move_how": {
        "en": "Give the new date and time like this: **move the next {cop} meeting to 2026-12-15 14:00** "
        "(in the community's time zone, {zone}).",
        "fr": "Indiquez la nouvelle date et l'heure ainsi : **déplacer la prochaine réunion {cop} au "
        "2026-12-15 14:00** (heure de la communauté, {zone}).",
        "es": "Indique la nueva fecha y hora así: **mover la próxima reunión de {cop} al 2026-12-15 "
        "14:00** (hora de la comunidad, {zone}).",
    },
    "meetings_add_event_how": {
        "en": "Say it like this: **add an event to {cop} on 2026-12-03 15:00 for 45 minutes: Webinar on "
        "water operators** (in the community's time zone).",
        "fr": "Écrivez par exemple : **ajouter un événement à {cop} le 2026-12-03 15:00 pour 45 minutes : "
        "Webinaire sur les opérateurs de l'eau** (heure de la communauté).",
        "es": "Escríbalo así: **agregar un evento a {cop} el 2026-12-03 15:00 de 45 minutos: Seminario "
        "web sobre operadores de agua** (hora de la comunidad).",
    },
    "meetings_event_added": {
        "en": "Done. Added: {title}, {when}. It is announced and in the calendar like a meeting.",
        "fr": "C'est fait. Ajouté : {title}, {when}. Il est annoncé et figure au calendrier comme une "
        "réunion.",
        "es": "Hecho. Agregado: {title}, {when}. Se anuncia y aparece en el calendario como una reunión.",
    },
    "meetings_event_needs_title": {
        "en": "An event needs a title.",
        "fr": "Un événement doit avoir un titre.",
        "es": "Un evento necesita un título.",
    },
    "meetings_event_duration": {
        "en": "An event lasts between 5 and 600 minutes.",
        "fr": "Un événement dure entre 5 et 600 minutes.",
        "es": "Un evento dura entre 5 y 600 minutos.",
    },
    "meetings_event_exists": {
        "en": "There is already a meeting or event at that time ({occurrence}).",
        "fr": "Il y a déjà une réunion ou un événement à cette heure ({occurrence}).",
        "es": "Ya hay una reunión o un evento a esa hora ({occurrence}).",
    },
}

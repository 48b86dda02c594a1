"""Messages of the membership workflow a person reads: joining, my communities, leaving, the
welcome (the approval card's are in approval.py)."""

MESSAGES = {
    # -- asking to join ---------------------------------------------------------------------
    "membership_as_primary": {
        "en": "as your primary CoP",
        "fr": "comme CoP principale",
        "es": "como su CoP principal",
    },
    "membership_as_secondary": {
        "en": "as a secondary CoP",
        "fr": "comme CoP secondaire",
        "es": "como CoP secundaria",
    },
    "membership_their_primary": {
        "en": "as their primary CoP",
        "fr": "comme CoP principale",
        "es": "como su CoP principal",
    },
    "membership_their_secondary": {
        "en": "as a secondary CoP",
        "fr": "comme CoP secondaire",
        "es": "como CoP secundaria",
    },
    "membership_request_sent": {
        "en": "Your request to join {cop} {as_role} is with its focal points ({names}). "
        "I'll tell you as soon as they decide.",
        "fr": "Votre demande pour rejoindre {cop} {as_role} est entre les mains de ses points "
        "focaux ({names}). Je vous préviens dès qu'ils auront décidé.",
        "es": "Su solicitud para unirse a {cop} {as_role} está en manos de sus puntos focales "
        "({names}). Le avisaré en cuanto decidan.",
    },
    "membership_request_saved_waiting": {
        "en": "Your request to join {cop} {as_role} is saved, but I cannot reach its focal points "
        "through Teams yet. It stays open, and the CoP Bot admins can see it.",
        "fr": "Votre demande pour rejoindre {cop} {as_role} est enregistrée, mais je ne peux pas "
        "encore joindre ses points focaux dans Teams. Elle reste ouverte et les administrateurs "
        "de CoP Bot la voient.",
        "es": "Su solicitud para unirse a {cop} {as_role} está guardada, pero todavía no puedo "
        "contactar a sus puntos focales en Teams. Sigue abierta y los administradores de CoP Bot "
        "pueden verla.",
    },
    "membership_already_member": {
        "en": "You're already a member of {cop}.",
        "fr": "Vous êtes déjà membre de {cop}.",
        "es": "Ya es miembro de {cop}.",
    },
    "membership_already_member_primary": {
        "en": "You're already a member of {cop}: it is your primary CoP.",
        "fr": "Vous êtes déjà membre de {cop} : c'est votre CoP principale.",
        "es": "Ya es miembro de {cop}: es su CoP principal.",
    },
    "membership_hint_make_primary": {
        "en": "To make it your primary CoP, say **make {id} my primary**.",
        "fr": "Pour en faire votre CoP principale, dites **faire de {id} ma principale**.",
        "es": "Para que sea su CoP principal, diga **hacer {id} mi principal**.",
    },
    "membership_recorded_from_directory": {
        "en": "You're already in the mailing list and Team of {cop}, so there is nothing to ask. "
        "I've added it to your communities ({as_role}).",
        "fr": "Vous êtes déjà dans la liste de diffusion et l'équipe Teams de {cop} : rien à "
        "demander. Je l'ai ajoutée à vos communautés ({as_role}).",
        "es": "Ya está en la lista de correo y el equipo de Teams de {cop}: no hay nada que "
        "solicitar. La he añadido a sus comunidades ({as_role}).",
    },
    "membership_already_pending": {
        "en": "You already asked to join {cop} on {date}. Its focal points have not decided yet; "
        "I'll tell you when they do.",
        "fr": "Vous avez déjà demandé à rejoindre {cop} le {date}. Ses points focaux n'ont pas "
        "encore décidé ; je vous préviendrai.",
        "es": "Ya pidió unirse a {cop} el {date}. Sus puntos focales aún no han decidido; le "
        "avisaré cuando lo hagan.",
    },
    "membership_which_cop": {
        "en": "Which community would you like to join? For example: **join UBS**.",
        "fr": "Quelle communauté souhaitez-vous rejoindre ? Par exemple : **rejoindre UBS**.",
        "es": "¿A qué comunidad quiere unirse? Por ejemplo: **unirme a UBS**.",
    },
    "membership_cancelled": {
        "en": "OK, nothing was sent.",
        "fr": "D'accord, rien n'a été envoyé.",
        "es": "De acuerdo, no se envió nada.",
    },
    # role question and confirmation cards
    "membership_role_title": {
        "en": "Join {cop}",
        "fr": "Rejoindre {cop}",
        "es": "Unirse a {cop}",
    },
    "membership_role_question": {
        "en": "As your primary CoP, or as a secondary one? Every staff member has exactly one "
        "primary CoP and may join any number of others.",
        "fr": "Comme CoP principale, ou secondaire ? Chaque membre du personnel a exactement une "
        "CoP principale et peut en rejoindre autant d'autres qu'il le souhaite.",
        "es": "¿Como su CoP principal o como secundaria? Cada miembro del personal tiene "
        "exactamente una CoP principal y puede unirse a todas las demás que quiera.",
    },
    "membership_role_current_primary": {
        "en": "Your primary CoP now: {cop}.",
        "fr": "Votre CoP principale actuelle : {cop}.",
        "es": "Su CoP principal actual: {cop}.",
    },
    "membership_role_no_primary": {
        "en": "You have no primary CoP yet.",
        "fr": "Vous n'avez pas encore de CoP principale.",
        "es": "Todavía no tiene una CoP principal.",
    },
    "membership_note_label": {
        "en": "A note for the focal points (optional)",
        "fr": "Un mot pour les points focaux (facultatif)",
        "es": "Una nota para los puntos focales (opcional)",
    },
    "membership_note_placeholder": {
        "en": "What you work on, why you want to join...",
        "fr": "Sur quoi vous travaillez, pourquoi vous souhaitez rejoindre...",
        "es": "En qué trabaja, por qué quiere unirse...",
    },
    "membership_button_join_primary": {
        "en": "Join as my primary",
        "fr": "Rejoindre en principale",
        "es": "Unirme como principal",
    },
    "membership_button_join_secondary": {
        "en": "Join as a secondary",
        "fr": "Rejoindre en secondaire",
        "es": "Unirme como secundaria",
    },
    "membership_button_join_cop": {
        "en": "Join {cop}",
        "fr": "Rejoindre {cop}",
        "es": "Unirme a {cop}",
    },
    "membership_confirm_primary_title": {
        "en": "Change your primary CoP?",
        "fr": "Changer de CoP principale ?",
        "es": "¿Cambiar su CoP principal?",
    },
    "membership_confirm_primary_text": {
        "en": "Your primary CoP is {old}. If the focal points approve, {new} becomes your primary "
        "CoP and {old} stays as a secondary one (you can leave it at any time).",
        "fr": "Votre CoP principale est {old}. Si les points focaux approuvent, {new} deviendra "
        "votre CoP principale et {old} restera une CoP secondaire (vous pourrez la quitter à tout "
        "moment).",
        "es": "Su CoP principal es {old}. Si los puntos focales lo aprueban, {new} será su CoP "
        "principal y {old} quedará como secundaria (puede salir de ella cuando quiera).",
    },
    "membership_button_confirm_primary": {
        "en": "Yes, make it my primary",
        "fr": "Oui, ma principale",
        "es": "Sí, que sea mi principal",
    },
    "membership_button_cancel": {"en": "Cancel", "fr": "Annuler", "es": "Cancelar"},
    # -- what the person is told ------------------------------------------------------------
    "membership_welcome_title": {
        "en": "Welcome to {cop}!",
        "fr": "Bienvenue dans {cop} !",
        "es": "¡Le damos la bienvenida a {cop}!",
    },
    "membership_welcome_text": {
        "en": "{name} approved your request. You are now in the CoP's Microsoft 365 group: its "
        "mailing list at once, its Team within a few hours.",
        "fr": "{name} a approuvé votre demande. Vous êtes maintenant dans le groupe Microsoft 365 "
        "de la CoP : sa liste de diffusion tout de suite, son équipe Teams d'ici quelques heures.",
        "es": "{name} aprobó su solicitud. Ya está en el grupo de Microsoft 365 de la CoP: su "
        "lista de correo de inmediato y su equipo de Teams en unas horas.",
    },
    "membership_welcome_primary": {
        "en": "It is your primary CoP.",
        "fr": "C'est votre CoP principale.",
        "es": "Es su CoP principal.",
    },
    "membership_welcome_next_meeting": {
        "en": "Next meeting: {title}, {when}",
        "fr": "Prochaine réunion : {title}, {when}",
        "es": "Próxima reunión: {title}, {when}",
    },
    "membership_welcome_skills": {
        "en": "Please record {cop} in your skills profile too.",
        "fr": "Pensez aussi à indiquer {cop} dans votre profil de compétences.",
        "es": "Recuerde también registrar {cop} en su perfil de competencias.",
    },
    "membership_button_skills": {
        "en": "My skills profile",
        "fr": "Profil de compétences",
        "es": "Perfil de competencias",
    },
    "membership_button_team": {
        "en": "Open the CoP's Team",
        "fr": "Ouvrir l'équipe de la CoP",
        "es": "Abrir el equipo de la CoP",
    },
    "membership_welcome_cross_cutting": {
        "en": "Staff are encouraged to join a cross-cutting CoP as well: {names}.",
        "fr": "Le personnel est encouragé à rejoindre aussi une CoP transversale : {names}.",
        "es": "Se anima al personal a unirse también a una CoP transversal: {names}.",
    },
    "membership_welcome_fallback": {
        "en": "Welcome to {cop}! Your request was approved.",
        "fr": "Bienvenue dans {cop} ! Votre demande a été approuvée.",
        "es": "¡Le damos la bienvenida a {cop}! Su solicitud fue aprobada.",
    },
    "membership_rejected": {
        "en": "{name} did not approve your request to join {cop}.",
        "fr": "{name} n'a pas approuvé votre demande pour rejoindre {cop}.",
        "es": "{name} no aprobó su solicitud para unirse a {cop}.",
    },
    "membership_rejected_reason": {
        "en": "The reason given: {reason}",
        "fr": "Le motif donné : {reason}",
        "es": "El motivo indicado: {reason}",
    },
    "membership_rejected_no_reason": {
        "en": "No reason was given; you may write to the focal points: {emails}.",
        "fr": "Aucun motif n'a été donné ; vous pouvez écrire aux points focaux : {emails}.",
        "es": "No se indicó ningún motivo; puede escribir a los puntos focales: {emails}.",
    },
    "membership_waiting": {
        "en": "Your request to join {cop} is saved, but I cannot reach its focal points through "
        "Teams right now. I have passed it to the CoP Bot admins, who can decide too. It stays "
        "open, and I'll tell you as soon as someone decides.",
        "fr": "Votre demande pour rejoindre {cop} est enregistrée, mais je ne peux pas joindre ses "
        "points focaux dans Teams pour le moment. Je l'ai transmise aux administrateurs de "
        "CoP Bot, qui peuvent aussi décider. Elle reste ouverte et je vous préviens dès qu'une "
        "décision est prise.",
        "es": "Su solicitud para unirse a {cop} está guardada, pero ahora no puedo contactar a sus "
        "puntos focales en Teams. La he transmitido a los administradores de CoP Bot, que "
        "también pueden decidir. Sigue abierta y le avisaré en cuanto alguien decida.",
    },
    "membership_unreached": {
        "en": "Your request to join {cop} is saved, but right now I cannot reach anyone who can "
        "decide on it through Teams: neither its focal points nor the CoP Bot admins. It stays "
        "open, the CoP Bot team sees it in its reports, and I'll tell you as soon as someone "
        "decides.",
        "fr": "Votre demande pour rejoindre {cop} est enregistrée, mais pour le moment je ne peux "
        "joindre dans Teams personne qui puisse en décider : ni ses points focaux, ni les "
        "administrateurs de CoP Bot. Elle reste ouverte, l'équipe de CoP Bot la voit dans ses "
        "rapports, et je vous préviens dès qu'une décision est prise.",
        "es": "Su solicitud para unirse a {cop} está guardada, pero ahora no puedo contactar en "
        "Teams a nadie que pueda decidir: ni a sus puntos focales ni a los administradores de "
        "CoP Bot. Sigue abierta, el equipo de CoP Bot la ve en sus informes y le avisaré en "
        "cuanto alguien decida.",
    },
    # -- my communities ---------------------------------------------------------------------
    "membership_mine_title": {
        "en": "Your Communities of Practice",
        "fr": "Vos communautés de pratique",
        "es": "Sus comunidades de práctica",
    },
    "membership_mine_none": {
        "en": "You are not in any CoP yet. Tell me about your work and I'll suggest one, or type "
        "**communities** to see them all.",
        "fr": "Vous n'êtes encore dans aucune CoP. Décrivez votre travail et je vous en proposerai "
        "une, ou tapez **communautés** pour les voir toutes.",
        "es": "Todavía no está en ninguna CoP. Cuénteme sobre su trabajo y le sugeriré una, o "
        "escriba **comunidades** para verlas todas.",
    },
    "membership_mine_primary": {"en": "Primary", "fr": "Principale", "es": "Principal"},
    "membership_mine_secondary": {"en": "Secondary", "fr": "Secondaire", "es": "Secundaria"},
    "membership_mine_being_added": {
        "en": "approved, being added to the group",
        "fr": "approuvée, ajout au groupe en cours",
        "es": "aprobada, se está añadiendo al grupo",
    },
    "membership_mine_pending_title": {
        "en": "Waiting for the focal points",
        "fr": "En attente des points focaux",
        "es": "En espera de los puntos focales",
    },
    "membership_pending_as_primary": {
        "en": "primary CoP",
        "fr": "CoP principale",
        "es": "CoP principal",
    },
    "membership_pending_as_secondary": {
        "en": "secondary CoP",
        "fr": "CoP secondaire",
        "es": "CoP secundaria",
    },
    "membership_mine_pending_item": {
        "en": "{cop}, as your {role}, asked on {date}",
        "fr": "{cop}, comme {role}, demandée le {date}",
        "es": "{cop}, como {role}, solicitada el {date}",
    },
    "membership_mine_no_primary": {
        "en": "You have no primary CoP: every staff member should have one. Choose it below.",
        "fr": "Vous n'avez pas de CoP principale : chaque membre du personnel devrait en avoir "
        "une. Choisissez-la ci-dessous.",
        "es": "No tiene CoP principal: cada miembro del personal debería tener una. Elíjala abajo.",
    },
    "membership_button_make_primary": {
        "en": "Make it my primary",
        "fr": "En faire ma principale",
        "es": "Hacerla mi principal",
    },
    "membership_button_mine": {
        "en": "My communities",
        "fr": "Mes communautés",
        "es": "Mis comunidades",
    },
    "membership_button_leave": {"en": "Leave", "fr": "Quitter", "es": "Salir"},
    "membership_button_withdraw": {
        "en": "Withdraw the request",
        "fr": "Retirer la demande",
        "es": "Retirar la solicitud",
    },
    # -- make primary -----------------------------------------------------------------------
    "membership_primary_done": {
        "en": "{cop} is now your primary CoP.",
        "fr": "{cop} est maintenant votre CoP principale.",
        "es": "{cop} es ahora su CoP principal.",
    },
    "membership_primary_done_previous": {
        "en": "{cop} is now your primary CoP; {previous} stays as a secondary one.",
        "fr": "{cop} est maintenant votre CoP principale ; {previous} reste une CoP secondaire.",
        "es": "{cop} es ahora su CoP principal; {previous} queda como secundaria.",
    },
    "membership_primary_already": {
        "en": "{cop} is already your primary CoP.",
        "fr": "{cop} est déjà votre CoP principale.",
        "es": "{cop} ya es su CoP principal.",
    },
    "membership_primary_not_member": {
        "en": "You are not a member of {cop} yet. Ask to join it as your primary CoP?",
        "fr": "Vous n'êtes pas encore membre de {cop}. Demander à la rejoindre comme CoP "
        "principale ?",
        "es": "Todavía no es miembro de {cop}. ¿Pedir unirse como su CoP principal?",
    },
    "membership_which_primary": {
        "en": "Which community should be your primary CoP? For example: **make UBS my primary**.",
        "fr": "Quelle communauté doit être votre CoP principale ? Par exemple : **faire de UBS ma "
        "principale**.",
        "es": "¿Qué comunidad debe ser su CoP principal? Por ejemplo: **hacer UBS mi principal**.",
    },
    # -- leaving ----------------------------------------------------------------------------
    "membership_leave_title": {
        "en": "Leave {cop}?",
        "fr": "Quitter {cop} ?",
        "es": "¿Salir de {cop}?",
    },
    "membership_leave_text": {
        "en": "You will be removed from its mailing list and its Team.",
        "fr": "Vous serez retiré(e) de sa liste de diffusion et de son équipe Teams.",
        "es": "Se le quitará de su lista de correo y de su equipo de Teams.",
    },
    "membership_leave_primary_text": {
        "en": "{cop} is your primary CoP. Choose your new primary CoP:",
        "fr": "{cop} est votre CoP principale. Choisissez votre nouvelle CoP principale :",
        "es": "{cop} es su CoP principal. Elija su nueva CoP principal:",
    },
    "membership_leave_primary_only": {
        "en": "{cop} is your primary CoP and you have no other: after leaving you will have no "
        "primary CoP. Every staff member should have one; you can then join another.",
        "fr": "{cop} est votre CoP principale et vous n'en avez pas d'autre : après l'avoir "
        "quittée, vous n'aurez plus de CoP principale. Chaque membre du personnel devrait en avoir "
        "une ; vous pourrez en rejoindre une autre.",
        "es": "{cop} es su CoP principal y no tiene otra: al salir, no tendrá CoP principal. "
        "Cada miembro del personal debería tener una; luego puede unirse a otra.",
    },
    "membership_leave_choose": {
        "en": "Your new primary CoP can be: {names}.",
        "fr": "Votre nouvelle CoP principale peut être : {names}.",
        "es": "Su nueva CoP principal puede ser: {names}.",
    },
    "membership_button_leave_confirm": {
        "en": "Leave {cop}",
        "fr": "Quitter {cop}",
        "es": "Salir de {cop}",
    },
    "membership_button_leave_new_primary": {
        "en": "New primary: {cop}",
        "fr": "Principale : {cop}",
        "es": "Nueva principal: {cop}",
    },
    "membership_left": {
        "en": "You have left {cop}; you'll be removed from its mailing list and Team.",
        "fr": "Vous avez quitté {cop} ; vous serez retiré(e) de sa liste de diffusion et de son "
        "équipe Teams.",
        "es": "Ha salido de {cop}; se le quitará de su lista de correo y de su equipo de Teams.",
    },
    "membership_left_no_primary": {
        "en": "You have no primary CoP now. Say **join** and a CoP's name to choose one.",
        "fr": "Vous n'avez plus de CoP principale. Dites **rejoindre** et le nom d'une CoP pour en "
        "choisir une.",
        "es": "Ahora no tiene CoP principal. Diga **unirme a** y el nombre de una CoP para elegir "
        "una.",
    },
    "membership_not_member": {
        "en": "You are not a member of {cop}.",
        "fr": "Vous n'êtes pas membre de {cop}.",
        "es": "No es miembro de {cop}.",
    },
    "membership_withdraw_title": {
        "en": "Withdraw your request to join {cop}?",
        "fr": "Retirer votre demande pour rejoindre {cop} ?",
        "es": "¿Retirar su solicitud para unirse a {cop}?",
    },
    "membership_button_withdraw_confirm": {
        "en": "Withdraw my request",
        "fr": "Retirer ma demande",
        "es": "Retirar mi solicitud",
    },
    "membership_withdrawn": {
        "en": "Your request to join {cop} is withdrawn.",
        "fr": "Votre demande pour rejoindre {cop} est retirée.",
        "es": "Su solicitud para unirse a {cop} está retirada.",
    },
    "membership_which_leave": {
        "en": "Which community do you want to leave? For example: **leave UBS**.",
        "fr": "Quelle communauté voulez-vous quitter ? Par exemple : **quitter UBS**.",
        "es": "¿De qué comunidad quiere salir? Por ejemplo: **salir de UBS**.",
    },
}

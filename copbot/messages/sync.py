"""Messages of the directory sync: asking a newcomer to choose a primary CoP, the admins' alert
about a CoP whose focal point left, closed requests, the Team add (copbot/membership/sync.py,
leavers.py, notices.py; cards/sync.py)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sync_ask_primary": {
        "en": (
            "Hello! You were added to {cop} in Teams, welcome. Every staff member has one "
            "primary CoP, the community they belong to first, and you have none yet. When you "
            "have a moment, say **make {cop_id} my primary**, or ask me **which CoP fits me?** "
            "to see the others."
        ),
        "fr": (
            "Bonjour ! Vous avez été ajouté(e) à {cop} dans Teams, bienvenue. Chaque membre du "
            "personnel a une CoP principale, la communauté à laquelle il appartient d'abord, et "
            "vous n'en avez pas encore. Quand vous aurez un moment, dites **faire de {cop_id} ma "
            "principale**, ou demandez-moi **quelle CoP me correspond ?** pour voir les autres."
        ),
        "es": (
            "¡Hola! Se le añadió a {cop} en Teams, bienvenido/a. Cada miembro del personal tiene "
            "una CoP principal, la comunidad a la que pertenece en primer lugar, y usted aún no "
            "tiene ninguna. Cuando tenga un momento, diga **hacer {cop_id} mi principal**, o "
            "pregúnteme **¿qué CoP me conviene?** para ver las demás."
        ),
    },
    "sync_ask_new_primary": {
        "en": (
            "Hello! You are no longer in {cop}, which was your primary CoP (someone removed you "
            "from its team). Every staff member has one primary CoP: say **make ... my primary** "
            "with one of your other communities, or **my communities** to see them."
        ),
        "fr": (
            "Bonjour ! Vous ne faites plus partie de {cop}, qui était votre CoP principale "
            "(quelqu'un vous a retiré(e) de son équipe). Chaque membre du personnel a une CoP "
            "principale : dites **faire de ... ma principale** avec l'une de vos autres "
            "communautés, ou **mes communautés** pour les voir."
        ),
        "es": (
            "¡Hola! Ya no está en {cop}, que era su CoP principal (alguien le quitó de su "
            "equipo). Cada miembro del personal tiene una CoP principal: diga **hacer ... mi "
            "principal** con una de sus otras comunidades, o **mis comunidades** para verlas."
        ),
    },
    "sync_focal_gone_title": {
        "en": "{cop} needs a new focal point",
        "fr": "{cop} a besoin d'un nouveau point focal",
        "es": "{cop} necesita un nuevo punto focal",
    },
    "sync_focal_gone_disabled": {
        "en": "The account of {name}, focal point of {cop}, is disabled in the directory.",
        "fr": "Le compte de {name}, point focal de {cop}, est désactivé dans l'annuaire.",
        "es": "La cuenta de {name}, punto focal de {cop}, está deshabilitada en el directorio.",
    },
    "sync_focal_gone_deleted": {
        "en": "{name}, focal point of {cop}, is no longer in the directory.",
        "fr": "{name}, point focal de {cop}, ne figure plus dans l'annuaire.",
        "es": "{name}, punto focal de {cop}, ya no está en el directorio.",
    },
    "sync_focal_gone_ask": {
        "en": (
            "Please name a new focal point for {cop} in the catalog (focal_points). Until then, "
            "its join requests are escalated to the admins: {pending} waiting now."
        ),
        "fr": (
            "Veuillez désigner un nouveau point focal pour {cop} dans le catalogue "
            "(focal_points). D'ici là, ses demandes d'adhésion sont transmises aux "
            "administrateurs : {pending} en attente."
        ),
        "es": (
            "Designe un nuevo punto focal para {cop} en el catálogo (focal_points). Mientras "
            "tanto, sus solicitudes se remiten a los administradores: {pending} en espera."
        ),
    },
    "sync_closed_account_disabled": {
        "en": "Closed on {date}: the person's account is disabled",
        "fr": "Close le {date} : le compte de la personne est désactivé",
        "es": "Cerrada el {date}: la cuenta de la persona está deshabilitada",
    },
    "sync_closed_account_deleted": {
        "en": "Closed on {date}: the person is no longer in the directory",
        "fr": "Close le {date} : la personne ne figure plus dans l'annuaire",
        "es": "Cerrada el {date}: la persona ya no está en el directorio",
    },
    "sync_welcome_team_now": {
        "en": "You are in the team now: it is in your Teams list.",
        "fr": "Vous êtes maintenant dans l'équipe : elle figure dans votre liste Teams.",
        "es": "Ya está en el equipo: aparece en su lista de Teams.",
    },
    "sync_welcome_team_later": {
        "en": (
            "Teams may take a few hours (at most a day or two) to show the team in your list; "
            "you are a member already and the emails reach you now."
        ),
        "fr": (
            "Teams peut mettre quelques heures (au plus un jour ou deux) à afficher l'équipe "
            "dans votre liste ; vous êtes déjà membre et les courriels vous parviennent dès "
            "maintenant."
        ),
        "es": (
            "Teams puede tardar unas horas (como mucho uno o dos días) en mostrar el equipo en "
            "su lista; ya es miembro y los correos le llegan desde ahora."
        ),
    },
    "admin_sync_title": {
        "en": "Directory sync",
        "fr": "Synchronisation avec l'annuaire",
        "es": "Sincronización con el directorio",
    },
    "admin_sync_line": {
        "en": (
            "{cop}: {recorded} in our records, {in_group} in the group; added outside: {added}, "
            "removed outside: {removed}; last sync {date} UTC ({outcome})"
        ),
        "fr": (
            "{cop} : {recorded} dans nos registres, {in_group} dans le groupe ; ajoutés hors du "
            "bot : {added}, retirés hors du bot : {removed} ; dernière synchronisation {date} UTC "
            "({outcome})"
        ),
        "es": (
            "{cop}: {recorded} en nuestros registros, {in_group} en el grupo; añadidos fuera del "
            "bot: {added}, retirados fuera del bot: {removed}; última sincronización {date} UTC "
            "({outcome})"
        ),
    },
    "admin_sync_never": {
        "en": "{cop}: {recorded} in our records; not synced yet",
        "fr": "{cop} : {recorded} dans nos registres ; pas encore synchronisée",
        "es": "{cop}: {recorded} en nuestros registros; aún no sincronizada",
    },
    "admin_sync_ok": {"en": "ok", "fr": "réussie", "es": "correcta"},
    "admin_sync_failed": {"en": "failed", "fr": "échouée", "es": "fallida"},
    "admin_sync_focal_gone": {
        "en": "**Needs a new focal point.**",
        "fr": "**Un nouveau point focal est nécessaire.**",
        "es": "**Necesita un nuevo punto focal.**",
    },
}

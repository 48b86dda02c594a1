"""Messages for CoP Bot admins: the report card in chat."""

MESSAGES = {
    "admin_report_title": {
        "en": "CoP Bot report",
        "fr": "Rapport de CoP Bot",
        "es": "Informe de CoP Bot",
    },
    "admin_report_as_of": {
        "en": "Communities of Practice (CoPs) as CoP Bot knows them, {date} UTC.",
        "fr": "Les communautés de pratique (CoP) telles que CoP Bot les connaît, {date} UTC.",
        "es": "Las comunidades de práctica (CoP) tal como CoP Bot las conoce, {date} UTC.",
    },
    "admin_col_cop": {"en": "CoP", "fr": "CoP", "es": "CoP"},
    "admin_col_members": {"en": "Members", "fr": "Membres", "es": "Miembros"},
    "admin_col_primaries": {"en": "Primary", "fr": "Principale", "es": "Principal"},
    "admin_col_pending": {"en": "Pending", "fr": "En attente", "es": "Pendientes"},
    "admin_col_oldest": {"en": "Oldest", "fr": "La plus ancienne", "es": "La más antigua"},
    "admin_total": {"en": "All CoPs", "fr": "Toutes les CoP", "es": "Todas las CoP"},
    "admin_age_days": {"en": "{n} d", "fr": "{n} j", "es": "{n} d"},
    "admin_age_hours": {"en": "{n} h", "fr": "{n} h", "es": "{n} h"},
    "admin_age_minutes": {"en": "< 1 h", "fr": "< 1 h", "es": "< 1 h"},
    "admin_pending_title": {
        "en": "Join requests waiting for a focal point ({count})",
        "fr": "Demandes d'adhésion en attente d'un point focal ({count})",
        "es": "Solicitudes de adhesión que esperan a un punto focal ({count})",
    },
    "admin_pending_line": {
        "en": "{name}: {cop} as {role}, waiting for {age}",
        "fr": "{name} : {cop} comme {role}, en attente depuis {age}",
        "es": "{name}: {cop} como {role}, en espera desde hace {age}",
    },
    "admin_pending_none": {
        "en": "No join request is waiting.",
        "fr": "Aucune demande d'adhésion n'est en attente.",
        "es": "No hay ninguna solicitud de adhesión pendiente.",
    },
    "admin_without_primary_title": {
        "en": "People without a primary CoP ({count})",
        "fr": "Personnes sans CoP principale ({count})",
        "es": "Personas sin CoP principal ({count})",
    },
    "admin_without_primary_intro": {
        "en": "They talked to CoP Bot but have no primary Community of Practice (CoP) yet; "
        "{people} people talked to the bot in all.",
        "fr": "Elles ont parlé à CoP Bot mais n'ont pas encore de communauté de pratique (CoP) "
        "principale ; {people} personnes ont parlé au bot en tout.",
        "es": "Hablaron con CoP Bot pero aún no tienen una comunidad de práctica (CoP) principal; "
        "{people} personas hablaron con el bot en total.",
    },
    "admin_without_primary_none": {
        "en": "Everyone who talked to CoP Bot has a primary CoP.",
        "fr": "Toutes les personnes qui ont parlé à CoP Bot ont une CoP principale.",
        "es": "Todas las personas que hablaron con CoP Bot tienen una CoP principal.",
    },
    "admin_more": {
        "en": "… and {count} more: `copbot report` lists them all.",
        "fr": "… et {count} de plus : `copbot report` les liste toutes.",
        "es": "… y {count} más: `copbot report` las muestra todas.",
    },
    "admin_unreachable": {
        "en": "**The bot cannot reach {count} people** through Teams (their last message in 30 "
        "days was undeliverable): `copbot deliveries` says why.",
        "fr": "**Le bot ne peut pas joindre {count} personnes** dans Teams (leur dernier message "
        "en 30 jours n'a pas pu être remis) : `copbot deliveries` dit pourquoi.",
        "es": "**El bot no puede contactar a {count} personas** en Teams (su último mensaje en 30 "
        "días no se pudo entregar): `copbot deliveries` explica por qué.",
    },
    "admin_unreachable_none": {
        "en": "The bot reached everyone it wrote to in the last 30 days.",
        "fr": "Le bot a joint toutes les personnes à qui il a écrit ces 30 derniers jours.",
        "es": "El bot contactó a todas las personas a las que escribió en los últimos 30 días.",
    },
    "admin_refresh": {"en": "Refresh", "fr": "Actualiser", "es": "Actualizar"},
    "admin_report_fallback": {
        "en": "CoP Bot report: {members} members, {primaries} with it as primary CoP, {pending} "
        "pending requests, {without} people without a primary CoP.",
        "fr": "Rapport de CoP Bot : {members} membres, dont {primaries} en CoP principale, "
        "{pending} demandes en attente, {without} personnes sans CoP principale.",
        "es": "Informe de CoP Bot: {members} miembros, {primaries} con ella como CoP principal, "
        "{pending} solicitudes pendientes, {without} personas sin CoP principal.",
    },
    "admin_only": {
        "en": "The report is for CoP Bot admins only.",
        "fr": "Le rapport est réservé aux administrateurs de CoP Bot.",
        "es": "El informe es solo para los administradores de CoP Bot.",
    },
    "admin_personal_only": {
        "en": "The report names people: ask me for it in our personal chat.",
        "fr": "Le rapport nomme des personnes : demandez-le-moi dans notre conversation privée.",
        "es": "El informe nombra a personas: pídamelo en nuestro chat personal.",
    },
}

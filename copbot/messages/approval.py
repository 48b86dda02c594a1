"""Messages of the focal points' approval card (cards/approval.py) and of deciding on it."""

MESSAGES = {
    "membership_card_title": {
        "en": "Request to join {cop}",
        "fr": "Demande d'adhésion à {cop}",
        "es": "Solicitud para unirse a {cop}",
    },
    "membership_card_intro": {
        "en": "{name} asks to join {cop} {as_role}.",
        "fr": "{name} demande à rejoindre {cop} {as_role}.",
        "es": "{name} pide unirse a {cop} {as_role}.",
    },
    "membership_fact_name": {"en": "Name", "fr": "Nom", "es": "Nombre"},
    "membership_fact_job_title": {"en": "Job title", "fr": "Fonction", "es": "Cargo"},
    "membership_fact_office": {"en": "Office", "fr": "Bureau", "es": "Oficina"},
    "membership_fact_role": {"en": "Joins as", "fr": "Rejoint comme", "es": "Se une como"},
    "membership_fact_note": {"en": "Note", "fr": "Mot", "es": "Nota"},
    "membership_fact_asked": {"en": "Asked on", "fr": "Demandé le", "es": "Solicitado el"},
    "membership_role_primary": {
        "en": "Primary CoP",
        "fr": "CoP principale",
        "es": "CoP principal",
    },
    "membership_role_secondary": {
        "en": "Secondary CoP",
        "fr": "CoP secondaire",
        "es": "CoP secundaria",
    },
    "membership_button_approve": {"en": "Approve", "fr": "Approuver", "es": "Aprobar"},
    "membership_button_reject": {"en": "Reject", "fr": "Refuser", "es": "Rechazar"},
    "membership_reason_label": {
        "en": "Reason (optional, shown to the person)",
        "fr": "Motif (facultatif, communiqué à la personne)",
        "es": "Motivo (opcional, se muestra a la persona)",
    },
    "membership_button_confirm_reject": {
        "en": "Reject the request",
        "fr": "Refuser la demande",
        "es": "Rechazar la solicitud",
    },
    "membership_card_approved_by": {
        "en": "Approved by {name} on {date}",
        "fr": "Approuvée par {name} le {date}",
        "es": "Aprobada por {name} el {date}",
    },
    "membership_card_rejected_by": {
        "en": "Rejected by {name} on {date}",
        "fr": "Refusée par {name} le {date}",
        "es": "Rechazada por {name} el {date}",
    },
    "membership_card_withdrawn": {
        "en": "Withdrawn by the person on {date}",
        "fr": "Retirée par la personne le {date}",
        "es": "Retirada por la persona el {date}",
    },
    "membership_card_reason": {
        "en": "Reason: {reason}",
        "fr": "Motif : {reason}",
        "es": "Motivo: {reason}",
    },
    "membership_card_added": {
        "en": "Added to the CoP's mailing list and Team.",
        "fr": "Ajoutée à la liste de diffusion et à l'équipe Teams de la CoP.",
        "es": "Añadida a la lista de correo y al equipo de Teams de la CoP.",
    },
    "membership_card_read_only": {
        "en": "Only the focal points of {cop} can decide on this request.",
        "fr": "Seuls les points focaux de {cop} peuvent décider de cette demande.",
        "es": "Solo los puntos focales de {cop} pueden decidir sobre esta solicitud.",
    },
    "membership_card_already_decided": {
        "en": "This request had already been decided.",
        "fr": "Cette demande avait déjà été tranchée.",
        "es": "Esta solicitud ya había sido decidida.",
    },
    "membership_card_reminder": {
        "en": "Reminder: this request has been waiting since {date}.",
        "fr": "Rappel : cette demande attend depuis le {date}.",
        "es": "Recordatorio: esta solicitud espera desde el {date}.",
    },
    "membership_card_escalation": {
        "en": "Escalated to the CoP Bot admins: this request has been waiting since {date}. "
        "As an admin you may decide it.",
        "fr": "Transmise aux administrateurs de CoP Bot : cette demande attend depuis le {date}. "
        "En tant qu'administrateur, vous pouvez la trancher.",
        "es": "Escalada a los administradores de CoP Bot: esta solicitud espera desde el {date}. "
        "Como administrador, puede decidirla.",
    },
    "membership_card_fallback": {
        "en": "{name} asks to join {cop}. Open this message in Teams to approve or reject it.",
        "fr": "{name} demande à rejoindre {cop}. Ouvrez ce message dans Teams pour l'approuver ou "
        "la refuser.",
        "es": "{name} pide unirse a {cop}. Abra este mensaje en Teams para aprobarla o rechazarla.",
    },
    "membership_request_unknown": {
        "en": "I can't find this request any more.",
        "fr": "Je ne trouve plus cette demande.",
        "es": "Ya no encuentro esta solicitud.",
    },
}

"""The core conversation: welcome, help, the list of communities and one community's details."""

from __future__ import annotations

from typing import Any

from bot.feature import Feature
from bot.features.finder import answer_if_confident
from bot.features.glossary import explain as explain_term
from bot.router import Router
from bot.turn import Turn
from cards.communities import community_details_card, community_list_card
from cards.help import help_card
from copbot.catalog import Community
from copbot.i18n import t
from copbot.services import Services

# Patterns run on folded text: lower case, accents removed.
HELP = [
    r"^\s*(help|aide|ayuda|menu|\?+|commands?|commandes?|comandos?|options?|opciones)\s*[.!?]*\s*$",
    r"^\s*(what can you do|que (peux|pouvez)[- ](tu|vous) faire|que puedes hacer|que puede hacer)",
    r"^\s*(how does (this|it) work|comment (ca|cela) (marche|fonctionne)|como funciona)",
]
LIST = [
    r"^\s*((show|list|see|all|voir|afficher|liste[rz]?|toutes|ver|mostrar|listar|todas)\s+)*"
    r"(me\s+)?((the|all|les|las|the list of|la liste des|la lista de)\s+)*"
    r"(communities|cops|communities of practice|communautes( de pratique)?|comunidades"
    r"( de practica)?|list|liste|lista)\s*[.!?]*\s*$",
    r"^\s*(which|what) (communities|cops) (are there|exist)",
    r"^\s*(quelles|quels) (sont les )?(communautes|cops)",
    r"^\s*(que|cuales|cuantas) (comunidades|cops)",
]
DETAILS = [
    r"^\s*(tell me (more )?about|more about|about|what is|what's|info(rmation)? (on|about)|"
    r"details? (of|on|about)|describe)\s+(the\s+)?(?P<name>.+?)\s*[.!?]*\s*$",
    r"^\s*(parle[sz]?[- ]moi|dis[- ]moi|parlez[- ]moi|en savoir plus|plus d'informations?)\s+"
    r"(de la |de l'|des |du |de |d'|sur (la |le |les |l')?)?(?P<name>.+?)\s*[.!?]*\s*$",
    r"^\s*(qu'est[- ]ce que|c'est quoi|informations? sur)\s+(la |le |les |l')?(?P<name>.+?)\s*[.!?]*\s*$",
    r"^\s*(hablame|cuentame|hableme|cuenteme|mas informacion|informacion)\s+"
    r"(de la |del |de los |de las |de |sobre (la |el |los |las )?)?(?P<name>.+?)\s*[.!?]*\s*$",
    r"^\s*(que es|detalles de)\s+(la |el )?(?P<name>.+?)\s*[.!?]*\s*$",
]
GREETING = [
    r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|greetings|bonjour|bonsoir|salut|"
    r"coucou|hola|buenos dias|buenas tardes|buenas noches|buenas)"
    r"(\s+(there|bot|cop ?bot|everyone|a tous|a todos))?\s*[.!?]*\s*$",
    r"^\s*(thanks?( you)?|thank you very much|merci( beaucoup)?|gracias|muchas gracias)\s*[.!?]*\s*$",
]
_THANKS = ("thank", "merci", "gracias")


async def welcome_personal(turn: Turn, services: Services) -> None:
    await turn.reply(welcome_text(turn))


def welcome_text(turn: Turn) -> str:
    hello = turn.t("hello_name", name=turn.first_name) if turn.first_name else turn.t("hello")
    return f"{hello} {turn.t('welcome')}"


async def welcome_team(turn: Turn, services: Services) -> None:
    """In the CoP's channel language, naming the CoP; a channel of no CoP is told so."""
    data = turn.activity.channel_data or {}
    channel = (data.get("channel") or {}).get("id") or turn.activity.conversation.id
    team = (data.get("team") or {}).get("id") or ""
    community = services.catalog.of_channel(channel, team)
    if community is None:
        await turn.reply(turn.t("welcome_team_unknown"))
        return
    lang = community.channel_language
    await turn.reply(t(lang, "welcome_team", cop=community.display_name(lang)))


async def greet(turn: Turn, services: Services) -> None:
    if turn.folded.startswith(_THANKS) or " thank" in turn.folded:
        await turn.reply(turn.t("you_are_welcome"))
        return
    await turn.reply(welcome_text(turn))


async def show_help(turn: Turn, services: Services) -> None:
    await turn.send_card(help_card(turn.lang, communities=services.catalog))


async def show_list(turn: Turn, services: Services) -> None:
    await turn.send_card(community_list_card(services.catalog, turn.lang))


def details_card(community: Community, turn: Turn, services: Services) -> dict[str, Any]:
    """The details card, with what features add (join buttons, next meeting)."""
    extra_body: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    for contribute in services.details_contributors:
        body, buttons = contribute(community, turn.lang, turn.user_id)
        extra_body += body
        actions += buttons
    return community_details_card(community, turn.lang, extra_body=extra_body, actions=actions)


async def show_details(turn: Turn, services: Services) -> None:
    name = turn.original("name") or turn.text
    community = services.catalog.resolve(name or "")
    if community is None:
        # "what is WASH?": an abbreviation of the glossary.
        if name and await explain_term(turn, services, name):
            return
        # "tell me about water": not a community's name, but a topic the finder may place.
        if await answer_if_confident(turn, services):
            return
        await turn.reply(turn.t("unknown_community", name=(name or "")[:80]))
        await show_list(turn, services)
        return
    await turn.send_card(details_card(community, turn, services))


async def details_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    community = services.catalog.get(str(data.get("cop", "")))
    if community is None:
        await turn.reply(turn.t("unknown_community", name=str(data.get("cop", ""))[:80]))
        return None
    return details_card(community, turn, services)


async def list_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    return community_list_card(services.catalog, turn.lang)


async def help_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    return help_card(turn.lang, communities=services.catalog)


async def named_community(turn: Turn, services: Services) -> bool:
    """A message that is just a community's name or id ("UBS", "Climate Change") shows it."""
    community = services.catalog.by_exact_name(turn.text)
    if community is None:
        return False
    await turn.send_card(details_card(community, turn, services))
    return True


async def not_understood(turn: Turn, services: Services) -> bool:
    if not turn.text:
        await show_help(turn, services)
        return True
    await turn.reply(turn.t("not_understood"))
    await turn.send_card(help_card(turn.lang, intro_key="help_intro", communities=services.catalog))
    return True


def register(router: Router) -> None:
    router.command("help", HELP, show_help, priority=10)
    router.command("greeting", GREETING, greet, priority=20)
    router.command("list", LIST, show_list, priority=50)
    router.command("details", DETAILS, show_details, priority=60)
    router.action("list", list_action)
    router.action("details", details_action)
    router.action("help", help_action)
    router.fallback("named_community", named_community, priority=10)
    router.fallback("not_understood", not_understood, priority=1000)
    router.on("installed_personal", welcome_personal)
    router.on("installed_team", welcome_team)


FEATURE = Feature("core", register)

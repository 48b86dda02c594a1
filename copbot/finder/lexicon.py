"""Words the finder ignores or rewrites, per language. Matching runs on folded words (no accents).

Two kinds of stop words:

- FUNCTION words ("the", "sur", "para"...): they carry no topic, and they tell the language of a
  question apart (see `text.detect_language`);
- GENERIC words of how people ask ("work", "travaille", "trabajo", "community", "join", "fits",
  job titles that say nothing of the field such as "specialist" or "coordinator"...): they carry no
  topic either, so a question made only of them is not a question about a topic.

Discipline words ("engineer", "planner", "lawyer", "surveyor") are *not* stop words: "transport
engineer" and "land surveyor" say something. Words common to every community ("urban", "city")
are not stop words either: the matcher's inverse document frequency makes them weigh nothing
alone while they still complete phrases ("urban mobility").
"""

from __future__ import annotations

import re

from copbot.i18n import Lang


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS: dict[Lang, frozenset[str]] = {
    "en": _words(
        """
        a an the and or but nor of in on at to for from with without by about into onto over under
        between through across within around as is are was were be been being am do does did doing
        done have has had having i me my mine myself we us our ours you your yours he him his she her
        it its they them their theirs this that these those there here what which who whom whose
        where when why how can could would should will shall may might must not no yes so if then
        than too very just also any some all each every more most other others such only own same
        both few much many etc please thanks thank hi hello hey dear ok okay hiya im ive id dont
        doesnt isnt s t m ve ll re d don doesn isn aren wasn let lets get got gets mostly mainly
        especially currently now really quite something anything whatever one ones kind sort type
        like via per upon among amongst while whilst during before after again further once well
        morning afternoon evening night greetings
        """
    ),
    "fr": _words(
        """
        le la les l un une des du de d au aux et ou mais donc or ni car en dans sur sous par pour
        avec sans chez vers entre a je j me m moi tu te toi t il elle on nous vous ils elles se s
        mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet cette ces c ca qui
        que qu quoi quel quelle quels quelles lequel laquelle lesquels lesquelles dont comment
        pourquoi quand est suis es sont etre ai as avons avez ont avoir fait faire fais faites peux
        peut pouvez pouvons veux veut voudrais voulez voudrait aimerais aimerait ne n pas plus tres
        bien aussi tout tous toute toutes y merci bonjour bonsoir salut svp plait sil cela ceci
        celui celle ceux celles lui ici beaucoup peu actuellement principalement
        surtout notamment egalement car puis alors comme coucou
        """
    ),
    "es": _words(
        """
        el la los las lo un una unos unas de del al a y e o u ni pero en con sin por para sobre
        entre hacia hasta desde segun yo me mi mis tu tus su sus nuestro nuestra nuestros nuestras
        se le les nos que cual cuales quien quienes como donde cuando cuanto cuanta es soy eres
        somos son estoy esta estan estamos ser estar he ha han hemos hay tengo tiene tienen puedo
        puede pueden quiero quiere quisiera gustaria muy mas tambien este esta estos estas ese esa
        esos esas eso esto hola gracias favor no si usted ustedes buenos buenas buen dias
        tardes noches actualmente principalmente
        especialmente mucho muchos mucha poco algo todo todos toda todas ahora aqui
        """
    ),
}

GENERIC_WORDS: frozenset[str] = _words(
    """
    work works working worked job jobs role roles position focus focused focusing focuses involved
    involve interested interest interests interesting looking look want wanted wants need needs
    help helps find join joining joined member members membership fit fits fitting fitted suit
    suits suited suitable best better good belong belongs recommend recommends
    recommendation recommendations suggest suggestion suggestions community communities cop cops
    copbot bot practice practices unhabitat staff colleague colleagues team teams
    office offices country regional headquarters hq unit units section branch division project
    projects programme programmes program programs area areas field fields topic topics theme
    themes thematic issue issues related relating regarding things thing stuff lot lots
    specifically support supporting supports supported make making made based day daily new
    various different specialist specialists expert experts officer officers adviser advisor
    advisers advisors manager managers coordinator coordinators consultant consultants analyst
    analysts associate associates assistant assistants intern interns head chief lead leader senior
    junior staffer focal point points person people which what fits question questions ask asking
    tell know knowing matter matters deal deals dealing responsible responsibility charge
    """
    + """
    travail travaux travaille travailles travaillons travaillez travaillent travailler travaillant
    boulot poste metier role domaine domaines sujet sujets theme themes thematique thematiques
    projet projets programme programmes communaute communautes pratique pratiques rejoindre
    adherer adhesion membre membres correspond correspondent convient conviendrait convenir
    adapte adaptee recommande recommandes recommander recommandez recommandation suggere suggerer
    suggerez suggestion conseille conseiller conseillez conseillere interesse interessee interesses
    interessent interesser interet interets occupe occupes occuper charge chargee responsable
    lie lies liee liees chose choses bureau bureaux pays personnel equipe equipes unite unites
    section specialiste specialistes expert experte experts coordinateur coordinatrice consultant
    consultante analyste stagiaire chef cheffe aimerai voudrai souhaite souhaiterais question
    laquelle lesquelles quelle quel dois devrais faut
    """
    + """
    trabajo trabajos trabajas trabaja trabajamos trabajan trabajar trabajando labor labores
    puesto cargo ambito ambitos tema temas tematica tematicas proyecto proyectos programa
    programas comunidad comunidades practica practicas unirme unir unirse unirte uno miembro
    miembros membresia encaja encajo encajaria conviene convendria adecuada adecuado recomienda
    recomiendas recomiendame recomendar recomendacion sugiere sugieres sugiereme sugerir
    sugerencia interesa interesan interes intereses dedico dedica dedicamos encargo encargado
    encargada relacionado relacionada relacionados relacionadas cosas cosa oficina oficinas pais
    personal equipo equipos unidad unidades seccion especialista especialistas experto experta
    expertos coordinador coordinadora consultor consultora analista pasante jefe jefa debo deberia
    pregunta
    """
)

ALL_FUNCTION_WORDS: frozenset[str] = frozenset().union(*FUNCTION_WORDS.values())
STOP_WORDS: frozenset[str] = ALL_FUNCTION_WORDS | GENERIC_WORDS

# Characters that only one of our languages uses (on the text before folding).
LANGUAGE_CHARS: dict[Lang, str] = {"fr": "çœèàùâêîôûëïÿ", "es": "ñ¿¡áíóú", "en": ""}

# British -> American spellings (and a few variants), applied to every word before stemming, to
# the catalog and to questions alike: "decentralisation" and "decentralization" meet.
_SPELLING = [
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"),
    (re.compile(r"^neighbour"), "neighbor"),
    (re.compile(r"^labour"), "labor"),
    (re.compile(r"^behaviour"), "behavior"),
    (re.compile(r"^programme(s?)$"), r"program\1"),
    (re.compile(r"^centre(s?)$"), r"center\1"),
    (re.compile(r"^faec"), "fec"),
    (re.compile(r"^paed"), "ped"),
    (re.compile(r"^ageing$"), "aging"),
    (re.compile(r"^metre(s?)$"), r"meter\1"),
]

# "UN-Habitat", "ONU-Habitat", "ONU-Hábitat": the organisation, not the French word for housing.
ORGANISATION_RE = re.compile(r"\b(un|onu)[\s-]+habitat\b")


_RESPELL_ENDS = ("isation", "isations", "ise", "ised", "ises", "ising", "programme", "programmes")
_RESPELL_STARTS = ("neighbour", "labour", "behaviour", "centre", "faec", "paed", "ageing", "metre")


def respell(word: str) -> str:
    """The spelling every word is matched in (see _SPELLING); `word` is folded."""
    if len(word) < 5 or not (word.endswith(_RESPELL_ENDS) or word.startswith(_RESPELL_STARTS)):
        return word
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


# Questions asking for practical help ("how do I...", "where is...", "¿cómo solicito...?") are not
# descriptions of someone's work: unless they name a CoP ("is there a CoP for water?"), the finder
# is not confident about them, whatever topic words they contain ("where is the water cooler?").
REQUEST_RE = re.compile(
    r"^\W*(how\s+(do|can|could|should|would|may)\s+(i|we|you|one)\b|how\s+to\b|"
    r"where\s+(is|are|can|do|does|did|was|should)\b|when\s+(is|are|do|does|will|was|can)\b|"
    r"(can|could|may)\s+(i|we|you)\b|(is|are)\s+(it|there|the|my|our)\b|who\s+(is|are|do|does|"
    r"can|approves|signs|should)\b|what\s+time\b|what'?s\s+the\s+(weather|time|date)\b|"
    r"comment\s+(puis|peut|peux|pouvez|faire|obtenir|changer|demander|avoir|on|je|acceder)\b|"
    r"ou\s+(est|sont|se\s+trouve|puis|peut|trouver)\b|quand\s+(est|sont|a|aura|peut|puis)\b|"
    r"est[- ]ce\s+que\s+(je|on|vous)\s+(peux|peut|pouvez|dois)\b|puis[- ]je\b|"
    r"(como|cuando)\s+(puedo|hago|se|solicito|pido|cambio|obtengo|restablezco|es|son|tramito)\b|"
    r"donde\s+(esta|estan|puedo|se|queda|encuentro)\b|puedo\b|hay\s+que\b)"
)
# Words that make a question about finding a CoP ("how do I find my CoP?", "where do I belong?").
COP_WORDS = _words(
    "cop cops community communities communaute communautes comunidad comunidades belong fit fits "
    "suit suits recommend recommendation suggest join correspond conviens convient rejoindre "
    "recommander encaja encajo pertenezco recomienda recomiendas recomendar unirme"
)
# Words of the workplace (IT, HR, travel, the building): a question with them needs strong topical
# evidence ("my laptop needs an energy saving setting" is not about urban energy).
ADMIN_WORDS = _words(
    """
    password passwords login logon laptop laptops computer computers pc printer printers cartridge
    cartridges scanner wifi vpn outlook email emails mailbox inbox umoja inspira iseek account
    accounts reset payslip payslips salary salaries payroll allowance allowances entitlement
    entitlements reimbursement reimburse claim claims expense expenses vacation vacations holiday
    holidays sick insurance pension contract contracts timesheet timesheets overtime badge badges
    clearance visa visas flight flights ticket tickets travel mission missions cafeteria canteen
    lunch coffee kitchen desk desks floor elevator lift broken weather forecast rain joke birthday
    party telework teleworking flexible
    mot passe ordinateur ordinateurs imprimante imprimantes salaire salaires conge conges vacances
    cantine dejeuner teletravail indemnite indemnites remboursement billet billets badge meteo
    contrasena computadora ordenador impresora impresoras salario salarios vacaciones almuerzo
    permiso permisos viaje viajes boleto boletos teletrabajo licencia reembolso cafeteria
    """
)

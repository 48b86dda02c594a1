"""How a time names its zone (copbot.meetings.dates), and a time in the reader's own zone."""

MESSAGES = {
    "dates_city_time": {
        "en": "{time} {city} time",
        "fr": "{time} heure de {city}",
        "es": "{time} hora de {city}",
    },
    # On cards: {reader} is Adaptive Cards' DATE()/TIME(), shown in the reader's zone by Teams.
    "dates_reader_time": {
        "en": "{reader} your time · {zoned}",
        "fr": "{reader} à votre heure · {zoned}",
        "es": "{reader} en su hora · {zoned}",
    },
    "dates_your_time": {
        "en": "Your time: {reader}",
        "fr": "À votre heure : {reader}",
        "es": "En su hora: {reader}",
    },
}

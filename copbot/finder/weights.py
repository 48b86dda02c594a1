"""The tuning of the matcher (copbot/finder/matcher.py says how each weighs in a score)."""

FIELD_WEIGHTS = {
    "name": 1.2,
    "alias": 1.2,
    "area": 1.0,
    "keyword": 1.0,
    "topic": 1.0,
    "glossary": 1.0,  # what a glossary abbreviation pointing to the community stands for
    "lead": 0.2,
    "description": 0.12,
}
TOPICAL_FIELDS = frozenset({"name", "alias", "area", "keyword", "topic", "glossary"})
PHRASE_BOOST = 0.5  # a complete phrase of n >= 2 words: (1 + PHRASE_BOOST) x credit per word
PARTIAL = 0.4  # a phrase only partly present: this share of its words' credit
WINDOW_SLACK = 3  # a phrase's words may be at most len + 3 content words apart in the question
INFORMATIVE = 0.1  # words commoner than this (scaled idf) earn nothing alone; they complete phrases
RELATED = 0.8  # a stem the stemmer left longer or shorter ("environment" / "environmental")
TYPO = 0.7  # an unknown word one letter away from a catalog word ("sanitaion")
MIN_RELATED = 6  # letters: shorter stems are never related by prefix or typo
FIRST_WORDS = 0.04  # each later content word of the question weighs 4 % less...
FIRST_WORDS_FLOOR = 0.8  # ...down to this
COMPLETE_MIN = 0.55  # confidence: one complete topical entry with at least this credit...
EVIDENCE_MIN = 0.9  # ...or topical credits adding up to this...
MARGIN_COMPLETE = 0.4  # ...or a complete topical entry with this credit when the best community...
MARGIN = 2.5  # ...has this many times the credit of the second
ADMIN_EVIDENCE = 3.0  # a question with a workplace word (laptop, allowance...) needs this much
SCORE_SCALE = 1.5  # score = 1 - exp(-credit / SCORE_SCALE), in [0, 1)
SHORTLIST_SHARE = 0.3  # shown communities have at least this share of the best one's credit
TRIGRAM_WEIGHT = 1.2  # language: letter trigrams weigh at most this (a function word weighs 1)
HINT_MARGIN = 0.6  # language: the hint (the person's locale) wins unless beaten by this much
SIMILARITY_TERMS = 300  # cross-cutting closeness: at most this many shared stems, rarest first
CROSS_EVIDENCE = 0.5  # cross-cutting suggestion: topical credit that counts as the person's words
OWN_WORDS = 0.75  # ...from words it gets 3/4 of the credit the best community gets for
EXPLAINED = 10  # the matched words are given for the first communities and the cross-cutting ones
GENERIC_IDF = 0.5  # a word this common among communities ("finance", "rights") is generic...
CROSS_GENERIC = 0.3  # ...and earns a cross-cutting community this share, outside a whole phrase
THEMATIC_SHARE = 0.6  # a thematic topic this strong against a cross-cutting one is the primary
OWN_TOPIC = 0.55  # credit a community earns on words the other one explains less: its own topic
SECOND_SHARE = 0.3  # a second topic has at least this share of the primary's credit
FOREIGN = 0.5  # an unknown word read in another language than the question's

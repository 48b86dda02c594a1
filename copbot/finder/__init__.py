"""Which Community of Practice fits a person: ranked, explained, in English, French and Spanish.

    finder = Finder.of(catalog)          # once, at startup (the catalog is immutable)
    rec = finder.recommend("I work on bus rapid transit in Addis", lang_hint="en")
    rec.confident, rec.ranking[0].cop_id, rec.ranking[0].terms, rec.cross_cutting

Pure Python: no botbuilder, no model download. See `matcher` for how it scores.
"""

from copbot.finder.matcher import Finder, Match, Recommendation

__all__ = ["Finder", "Match", "Recommendation"]

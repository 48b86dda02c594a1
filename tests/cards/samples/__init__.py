"""Sample cards: every card the bot can send, built by its real function from realistic data.

`tests/cards/test_cards_render.py` runs all of them through Microsoft's Adaptive Cards renderer
(npm `adaptivecards`, one Node process for all) and Teams' limits. It discovers the card modules
itself, so a new card fails the tests until it has samples.

How to add samples for `cards/<family>.py` (one module here per card module, same name):

    # tests/cards/samples/<family>.py
    from cards.<family> import thing_card
    from tests.cards.samples import Sample, sample
    from tests.cards.samples.data import ALICE, LANGS, catalog

    def samples() -> list[Sample]:
        return [
            sample(thing_card, catalog().get("UBS"), lang, label=f"UBS-{lang}")
            for lang in LANGS
        ]

Rules: every public function of a card module whose name ends in `_card` (a function that returns
a whole card) needs at least one sample; cover each state the card can be in (pending, approved,
rejected...) and the three languages; use the longest realistic data (long names, many items)
so the size limit is tested. `label` tells samples of one function apart. Shared data (the real
catalog, people with long names, a fixed "now") is in `tests/cards/samples/data.py`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import cards

# Modules of cards/ that hold building blocks, not cards.
NOT_CARD_MODULES = frozenset({"elements"})


@dataclass(frozen=True)
class Sample:
    name: str  # "communities.community_list_card[fr]": unique
    function: str  # "cards.communities.community_list_card"
    card: dict[str, Any] | None
    error: str | None = None  # the card function (or the samples module) raised
    # How it was built, so a test can build it again from other data (tests/unit/test_escaping.py)
    build: Callable[..., dict[str, Any]] | None = None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def sample(
    function: Callable[..., dict[str, Any]], *args: Any, label: str = "", **kwargs: Any
) -> Sample:
    """Call a card function with these arguments and keep what it returns."""
    qualified = f"{function.__module__}.{function.__name__}"
    name = f"{function.__module__.removeprefix('cards.')}.{function.__name__}"
    if label:
        name += f"[{label}]"
    try:
        card = function(*args, **kwargs)
    except Exception:
        return Sample(name, qualified, None, traceback.format_exc(limit=6))
    return Sample(name, qualified, card, None, function, args, dict(kwargs))


def card_modules() -> list[str]:
    """The card families: module names under cards/ (``communities``, ``help``...)."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(cards.__path__)
        if not info.name.startswith("_") and info.name not in NOT_CARD_MODULES
    )


def card_functions(module: ModuleType) -> list[str]:
    """Public ``*_card`` functions defined in a card module (not imported into it), or in any
    module of a card package (``cards/meetings/``: one module per kind of card)."""
    modules = [module]
    if hasattr(module, "__path__"):
        modules += [
            importlib.import_module(f"{module.__name__}.{info.name}")
            for info in pkgutil.iter_modules(module.__path__)
        ]
    return sorted(
        f"{part.__name__}.{name}"
        for part in modules
        for name, value in inspect.getmembers(part, inspect.isfunction)
        if name.endswith("_card") and not name.startswith("_") and value.__module__ == part.__name__
    )


def samples_module(family: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{__name__}.{family}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{family}":
            return None
        raise


def all_samples() -> list[Sample]:
    """Every sample of every card family; a samples module that breaks becomes a failing sample."""
    found: list[Sample] = []
    for family in card_modules():
        try:
            module = samples_module(family)
            if module is None:
                continue
            found.extend(module.samples())
        except Exception:
            found.append(
                Sample(f"{family}.<samples module>", "", None, traceback.format_exc(limit=6))
            )
    return found

"""The sources the rules and the known gaps cite, shipped inside the package
(``reference/sources.json``): a stable id (``S15``, ``I6``, ``E1``, ``D1``, ``C4``,
``moto-2``) with its title, URL and the reference text it stands for. Standard library only,
so ``cognito-states sources`` works from a bare install.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cognito_states.errors import BadInputError

# Anything shaped like a source id, for catching a citation of an id that is not listed.
ID_SHAPE = re.compile(r"(?<![\w#-])(?:[SIEDC]\d+|moto-\d+)(?![\w-])")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None  # None only where no public page exists (the seed article)
    also: tuple[str, ...] = ()  # further pages that say the same
    text: str = ""  # the reference text the id stands for

    def as_dict(self) -> dict[str, Any]:
        """The short form every JSON document carries: title and URL (and any others)."""
        data: dict[str, Any] = {"title": self.title, "url": self.url}
        if self.also:
            data["also"] = list(self.also)
        return data


@cache
def all_sources() -> Mapping[str, Source]:
    """Every source, by id, in the order the reference lists them."""
    raw = resources.files("cognito_states").joinpath("reference/sources.json").read_text("utf-8")
    entries = json.loads(raw)["sources"]
    return {
        ident: Source(ident, e["title"], e["url"], tuple(e.get("also", ())), e.get("text", ""))
        for ident, e in entries.items()
    }


def ids_in(text: str | None) -> tuple[str, ...]:
    """The listed source ids a free-text citation names, in order, each once
    (``"S1 AdminCreateUser, S16, seed-article step 1"`` -> ``S1, S16, seed-article``)."""
    if not text:
        return ()
    found: list[str] = []
    for ident in _id_pattern().findall(text):
        if ident not in found:
            found.append(ident)
    return tuple(found)


@cache
def _id_pattern() -> re.Pattern[str]:
    names = sorted(all_sources(), key=len, reverse=True)  # moto-23 before moto-2
    return re.compile(r"(?<![\w#-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def unlisted_in(text: str | None) -> list[str]:
    """Id-shaped words in ``text`` that are not listed sources (a typo, or a missing
    entry in sources.json)."""
    return [word for word in ID_SHAPE.findall(text or "") if word not in all_sources()]


def resolve(ids: Iterable[str]) -> list[Source]:
    """The sources for these ids; an unknown id is bad input, with the closest match."""
    known = all_sources()
    chosen = []
    for ident in ids:
        source = known.get(ident) or known.get(ident.upper())
        if source is None:
            close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise BadInputError(
                f"no source {ident!r}{hint} (`cognito-states sources` lists them all)"
            )
        chosen.append(source)
    return chosen


def cited(ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{id: {"title", "url"}}`` for the listed ids among ``ids``, sorted: the top-level
    ``sources`` of a JSON document."""
    known = all_sources()
    order = {ident: n for n, ident in enumerate(known)}
    unique = sorted({i for i in ids if i in known}, key=order.__getitem__)
    return {ident: known[ident].as_dict() for ident in unique}


def link(ident: str) -> str:
    """An id as a Markdown link to its page (plain where it has none)."""
    source = all_sources().get(ident)
    if source is None or source.url is None:
        return ident
    return f"[{ident}]({source.url})"

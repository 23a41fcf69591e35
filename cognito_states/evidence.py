"""What the model rests on, for people and machines: the sources (``sources``), a
backend's known gaps (``gaps``) and how sure each rule is (``model --confidence``). Plain
text wrapped at 80 columns; an identifier or URL is never cut or split.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cognito_states.sources import Source, all_sources, cited

if TYPE_CHECKING:
    from cognito_states.gaps import KnownGap
    from cognito_states.rules import Rule

WIDTH = 80

# What each confidence tag means, in the order from surest to least sure.
CONFIDENCE_MEANING = {
    "DOC": "AWS documentation or the API model",
    "EX": "official AWS example output",
    "OBS": "observed on real Cognito and reported publicly",
    "DISPUTED": "sources disagree: the rule names both outcomes; either is a match",
    "INFERRED": "follows from documented rules, not stated anywhere",
    "UNCONFIRMED": "no source found: the model's best guess",
}
TO_SETTLE = ("DISPUTED", "UNCONFIRMED", "INFERRED")


def _wrap(text: str, indent: str, first: str | None = None, width: int = WIDTH) -> list[str]:
    """Lines of at most ``width`` columns; a word longer than that (a URL) stands whole
    on its own line rather than being cut."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [(indent if first is None else first).rstrip()]


# ---------------------------------------------------------------- sources


def sources_text(chosen: Sequence[Source], full: bool = False) -> str:
    """Each source: its id and title, then its URL (and, with ``full``, the other pages
    and the reference text it stands for)."""
    pad = 9  # "moto-27" and two spaces; a longer id stands on its own line
    indent = " " * pad
    lines: list[str] = []
    for source in chosen:
        if len(source.id) + 2 > pad:
            lines.append(source.id)
            lines += _wrap(source.title, indent)
        else:
            lines += _wrap(source.title, indent, source.id.ljust(pad))
        lines.append(indent + (source.url or "(no public page; the text is below)"))
        if full:
            lines += [indent + url for url in source.also]
            lines += _wrap(source.text, indent + "  ")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def sources_json(chosen: Sequence[Source]) -> dict[str, Any]:
    return {
        "cognito_states": 1,
        "sources": {
            s.id: {"title": s.title, "url": s.url, "also": list(s.also), "text": s.text}
            for s in chosen
        },
    }


# ---------------------------------------------------------------- known gaps


def _pairs(values: Iterable[tuple[str, Any]]) -> str:
    return ", ".join(f"{k}={_plain(v)}" for k, v in values)


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return "none" if value is None else str(value)


def condition(gap: KnownGap) -> str:
    """When the gap shows: the state before the step and the step's keywords."""
    shown = _pairs([*gap.state.items(), *gap.params.items()])
    return shown or "any state"


def gaps_text(backend: str, gaps: Sequence[KnownGap]) -> str:
    """A backend's known gaps, grouped by number: per entry the operation and condition,
    what the backend shows, what real Cognito shows, and the source."""
    if not gaps:
        return f"{backend}: {NO_GAPS.get(backend, 'no known gaps are listed')}\n"
    titles = all_sources()
    lines = [
        f"Known gaps of {backend} ({len(gaps)} entries, {len({g.number for g in gaps})}"
        f" departures); versions {gaps[0].versions}",
        "",
    ]
    for number in sorted({g.number for g in gaps}):
        group = [g for g in gaps if g.number == number]
        ident = group[0].id
        title = titles[ident].title if ident in titles else ""
        lines += _wrap(title, " " * (len(ident) + 2), f"{ident}  ")
        versions = {g.versions for g in group}
        if versions != {gaps[0].versions}:
            lines.append(f"  versions {', '.join(sorted(versions))}")
        for gap in group:
            lines += _wrap(f"{gap.operation}, when {condition(gap)}", "    ", "  ")
            lines += _wrap(_pairs(gap.observed.items()), "          ", f"    {backend}: ")
            lines += _wrap(_pairs(gap.predicted.items()), "          ", "    real: ")
            lines += _wrap(gap.source, "          ", "    why:  ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


NO_GAPS = {
    "model": "the model is real Cognito as the rules say; it has no gaps",
    "aws": "a real pool is what the model describes: a departure there is evidence about"
    " the model (a mismatch), never a known gap",
    "endpoint": "known gaps follow the software behind the URL: a moto server is"
    " recognised, or pass --endpoint-kind moto; see `cognito-states gaps --backend moto`",
}


def gaps_json(backend: str, gaps: Sequence[KnownGap]) -> dict[str, Any]:
    return {
        "cognito_states": 1,
        "backend": backend,
        "gaps": [g.as_dict() for g in gaps],
        "sources": cited(i for g in gaps for i in g.sources),
    }


# ---------------------------------------------------------------- confidence


def confidence_text(rules: Sequence[Rule]) -> str:
    """How many rules carry each tag, then every rule a real pool should settle first:
    the DISPUTED, UNCONFIRMED and INFERRED ones, each with its case and sources."""
    counts = Counter(str(r.confidence) for r in rules)
    lines = [f"Confidence of the model's {len(rules)} rules", ""]
    for tag, meaning in CONFIDENCE_MEANING.items():
        lines += _wrap(meaning, " " * 19, f"  {tag:<12}{counts.get(tag, 0):>4}  ")
    settle = [r for r in rules if str(r.confidence) in TO_SETTLE]
    lines += [
        "",
        *_wrap(
            f"What a run against a real pool should settle first ({len(settle)} rules;"
            " README: settling a rule):",
            "",
        ),
    ]
    for tag in TO_SETTLE:
        chosen = [r for r in settle if str(r.confidence) == tag]
        if not chosen:
            continue
        lines += ["", f"{tag} ({len(chosen)})"]
        for rule in chosen:
            lines.append(f"  {rule.op}")
            lines += _wrap(rule.describe_when(), " " * 11, "    when   ")
            answer = rule.outcome
            if rule.alternative is not None:
                alt = ", ".join(rule.alternative.sources) or "no source"
                answer += f", or {rule.alternative.outcome} ({alt})"
            lines += _wrap(answer, " " * 11, "    then   ")
            if rule.note:
                lines += _wrap(rule.note, " " * 11, "    note   ")
            lines += _wrap(", ".join(rule.sources) or "none", " " * 11, "    cites  ")
    return "\n".join(lines).rstrip() + "\n"


def confidence_json(rules: Sequence[Rule]) -> dict[str, Any]:
    counts = Counter(str(r.confidence) for r in rules)
    settle = [r for r in rules if str(r.confidence) in TO_SETTLE]
    return {
        "cognito_states": 1,
        "confidence_counts": {tag: counts.get(tag, 0) for tag in CONFIDENCE_MEANING},
        "to_settle": [r.as_dict() for r in settle],
        "sources": cited(i for r in settle for i in r.sources),
    }

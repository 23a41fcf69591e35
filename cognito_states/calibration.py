"""Calibration: which of the model's rules an exploration exercised and how the backend
agreed with each, so a run against real Cognito says which uncertain rules (UNCONFIRMED,
INFERRED, DISPUTED, or no rule at all) it confirms and which it contradicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cognito_states.rules import Rule
from cognito_states.statuses import Verdict
from cognito_states.tour import is_fallback, is_uncertain
from cognito_states.transition import Transition

# Backends whose answers are real Cognito's: only they confirm or contradict a rule.
REAL = ("aws",)


def rule_key(rule: Rule) -> str:
    """A rule's identity across processes (rules are rows of data, not objects)."""
    return f"{rule.op}|{rule.describe_when()}|{rule.outcome}|{rule.describe_then()}"


def rule_name(rule: Rule) -> str:
    """How tables name a rule: the operation, then the facts it needs."""
    if is_fallback(rule):
        return f"{rule.op}: no rule covers the case"
    return f"{rule.op}: {rule.describe_when()}"


@dataclass
class Tally:
    rule: Rule
    tried: int = 0  # pairs it decided that the backend answered (n/a: none was sent)
    agreed: int = 0  # ... as the model predicted
    # ... otherwise: a mismatch, a departure a known gap explains, or the other side of
    # a DISPUTED rule
    departed: int = 0

    @property
    def uncertain(self) -> bool:
        return is_uncertain(self.rule)

    def finding(self, kind: str) -> str | None:
        """On real Cognito, what this run says of an uncertain rule."""
        if kind not in REAL or not self.uncertain or not self.tried:
            return None
        return "contradicts" if self.departed else "confirms"

    def as_dict(self, kind: str = "") -> dict[str, Any]:
        return {
            "operation": str(self.rule.op),
            "when": self.rule.describe_when(),
            "outcome": self.rule.outcome,
            "then": self.rule.describe_then(),
            "confidence": str(self.rule.confidence),
            "source": self.rule.source,
            "sources": list(self.rule.sources),
            "fallback": is_fallback(self.rule),
            "tried": self.tried,
            "agreed": self.agreed,
            "departed": self.departed,
            "finding": self.finding(kind),
        }


@dataclass(frozen=True)
class Row:
    """A tally as the JSON document and the tables show it (with the backend's kind)."""

    tally: Tally
    kind: str

    def as_dict(self) -> dict[str, Any]:
        return self.tally.as_dict(self.kind)


def tallies(pairs: Iterable[Transition]) -> list[Tally]:
    """Every rule that decided a pair, with how the backend answered, in the order the
    rules first fired."""
    found: dict[str, Tally] = {}
    for item in pairs:
        if item.rule is None:
            continue
        tally = found.setdefault(rule_key(item.rule), Tally(item.rule))
        if item.verdict not in (Verdict.match, Verdict.mismatch, Verdict.known_gap):
            continue  # not answered (skipped, diverted) or not implemented
        if item.observed is not None and item.observed.outcome.kind == "n/a":
            continue  # nothing was sent: the backend was not asked
        tally.tried += 1
        if item.verdict == Verdict.match and not _other_side(item):
            tally.agreed += 1
        else:
            tally.departed += 1
    return list(found.values())


def _other_side(item: Transition) -> bool:
    """A DISPUTED rule's pair that the backend answered with the rule's alternative (a
    match for the judge, which accepts either side, but not the side the model took)."""
    assert item.rule is not None
    alternative = item.rule.alternative
    observed = item.observed.outcome if item.observed is not None else None
    return alternative is not None and observed == alternative.outcome != item.rule.outcome


def calibrate(pairs: Iterable[Transition], kind: str) -> list[Row]:
    return [Row(t, kind) for t in tallies(pairs)]

"""Compares two records by (state before, operation, keywords): what one backend (or one
pool setting) did that the other did not. Only the observed fields both records carry
are compared, so a reference record that knows just the outcome compares on it alone.
A state field or keyword one record lacks (it was written before the field existed)
takes its default, so records stay comparable as the tool grows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_states.model import UserState
from cognito_states.operations import Op
from cognito_states.record import Record
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import COMPARED

Key = tuple[UserState, Op, tuple[tuple[str, Any], ...]]
OBSERVED = (*COMPARED, "required_attributes")


def _key(t: Transition) -> Key:
    return (t.before, t.step.op, t.step.params)


def _index(record: Record) -> dict[Key, Transition]:
    """The first transition seen for each key (a run may visit a key more than once)."""
    index: dict[Key, Transition] = {}
    for t in record.transitions:
        if t.observed is not None and t.verdict is not Verdict.skipped:
            index.setdefault(_key(t), t)
    return index


@dataclass(frozen=True)
class Change:
    a: Transition
    b: Transition
    fields: tuple[str, ...]  # the observed fields that differ

    @property
    def state(self) -> Mapping[str, Any]:
        return self.a.before.as_dict()

    @property
    def operation(self) -> str:
        return str(self.a.step.op)

    @property
    def params(self) -> Mapping[str, Any]:
        return self.a.step.kwargs

    def values(self, side: Transition) -> dict[str, Any]:
        observed = side.known_observed()
        return {f: observed[f] for f in self.fields}

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": dict(self.state),
            "operation": self.operation,
            "params": dict(self.params),
            "a": self.values(self.a),
            "b": self.values(self.b),
            "source_a": self.a.source,
            "source_b": self.b.source,
        }


@dataclass
class DiffResult:
    a: str
    b: str
    compared: int = 0
    changed: list[Change] = field(default_factory=list)
    only_a: int = 0
    only_b: int = 0

    @property
    def differ(self) -> bool:
        return bool(self.changed)

    @property
    def disjoint(self) -> bool:
        """No transition is in both records: nothing was compared (``diff`` exits 1)."""
        return self.compared == 0

    def disjoint_text(self) -> str:
        def transitions(n: int) -> str:
            return f"{n} transition{'' if n == 1 else 's'}"

        return (
            f"nothing in common to compare: {transitions(self.only_a)} only in A,"
            f" {self.only_b} only in B"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "cognito_states": 1,
            "a": self.a,
            "b": self.b,
            "compared": self.compared,
            "changed": [c.as_dict() for c in self.changed],
            "only_a": self.only_a,
            "only_b": self.only_b,
            "disjoint": self.disjoint,
        }


def diff_records(a: Record, b: Record) -> DiffResult:
    left, right = _index(a), _index(b)
    result = DiffResult(str(a.path), str(b.path))
    result.only_a = len(left.keys() - right.keys())
    result.only_b = len(right.keys() - left.keys())
    for key in sorted(left.keys() & right.keys(), key=repr):
        ta, tb = left[key], right[key]
        oa, ob = ta.known_observed(), tb.known_observed()
        result.compared += 1
        differing = tuple(f for f in OBSERVED if f in oa and f in ob and oa[f] != ob[f])
        if differing:
            result.changed.append(Change(ta, tb, differing))
    return result

"""Compares two records by (state before, operation, keywords): what one backend (or one
pool setting) did that the other did not. Only the observed fields both records carry
are compared, so a reference record that knows just the outcome compares on it alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_states.record import Record

Key = tuple[str, str, str]  # JSON of state before, operation, JSON of keywords
OBSERVED = ("status", "enabled", "email_verified", "outcome", "required_attributes")


def _key(line: Mapping[str, Any]) -> Key:
    return (
        json.dumps(line.get("state_before"), sort_keys=True),
        str(line.get("operation")),
        json.dumps(line.get("params"), sort_keys=True),
    )


def _index(record: Record) -> dict[Key, Mapping[str, Any]]:
    """The first line seen for each key (a run may visit a key more than once)."""
    index: dict[Key, Mapping[str, Any]] = {}
    for line in record.lines:
        if line.get("observed") and line.get("verdict") != "skipped":
            index.setdefault(_key(line), line)
    return index


@dataclass(frozen=True)
class Change:
    state: Mapping[str, Any]
    operation: str
    params: Mapping[str, Any]
    a: Mapping[str, Any]  # only the fields that differ
    b: Mapping[str, Any]
    source_a: str | None = None
    source_b: str | None = None
    after: Mapping[str, Any] | None = None  # where B (else A) says the user ended up

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": dict(self.state),
            "operation": self.operation,
            "params": dict(self.params),
            "a": dict(self.a),
            "b": dict(self.b),
            "source_a": self.source_a,
            "source_b": self.source_b,
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "cognito_states": 1,
            "a": self.a,
            "b": self.b,
            "compared": self.compared,
            "changed": [c.as_dict() for c in self.changed],
            "only_a": self.only_a,
            "only_b": self.only_b,
        }


def diff_records(a: Record, b: Record) -> DiffResult:
    left, right = _index(a), _index(b)
    result = DiffResult(str(a.path), str(b.path))
    result.only_a = len(left.keys() - right.keys())
    result.only_b = len(right.keys() - left.keys())
    for key in sorted(left.keys() & right.keys()):
        la, lb = left[key], right[key]
        oa, ob = la["observed"], lb["observed"]
        shared = [f for f in OBSERVED if f in oa and f in ob]
        result.compared += 1
        differing = [f for f in shared if oa[f] != ob[f]]
        if differing:
            result.changed.append(
                Change(
                    la["state_before"],
                    str(la["operation"]),
                    la["params"],
                    {f: oa[f] for f in differing},
                    {f: ob[f] for f in differing},
                    la.get("source"),
                    lb.get("source"),
                    lb.get("state_after") or la.get("state_after"),
                )
            )
    return result

"""Known departures of backends from real Cognito, as data, and how a step is matched
to one: same backend and version range, same operation, the entry's state and keywords
hold before the step, and the fields that differ are exactly the entry's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cognito_states.sources import ids_in

__all__ = ["KnownGap", "find_gap", "gaps_for", "unimplemented_for"]


@dataclass(frozen=True)
class KnownGap:
    """One departure: on ``operation`` from ``state`` (with ``params``), the backend
    shows ``observed`` where real Cognito shows ``predicted``. Entries that share a
    ``number`` are one departure seen in several states; ``id`` (``moto-2``) is the
    citable source id, and ``source`` the text that explains it."""

    backend: str
    versions: str  # a PEP 440 range of the backend's package
    operation: str
    state: Mapping[str, Any]  # fields of the state before the step
    predicted: Mapping[str, Any]  # only the fields that differ
    observed: Mapping[str, Any]
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)
    number: int = 0

    @property
    def id(self) -> str:
        return f"{self.backend}-{self.number}"

    @property
    def sources(self) -> tuple[str, ...]:
        """Its own id, then the ids its text cites for what real Cognito does."""
        return (self.id, *(i for i in ids_in(self.source) if i != self.id))

    def applies(
        self,
        backend: str,
        versions: Mapping[str, str],
        operation: str,
        before: Mapping[str, Any],
        params: Mapping[str, Any],
    ) -> bool:
        if backend != self.backend or operation != self.operation:
            return False
        installed = versions.get(self.backend)
        if installed is not None:
            from packaging.specifiers import SpecifierSet  # only when a step departs
            from packaging.version import Version

            if Version(installed) not in SpecifierSet(self.versions):
                return False
        return all(before.get(k) == v for k, v in self.state.items()) and all(
            params.get(k) == v for k, v in self.params.items()
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "versions": self.versions,
            "operation": self.operation,
            "state": dict(self.state),
            "params": dict(self.params),
            "predicted": dict(self.predicted),
            "observed": dict(self.observed),
            "source": self.source,
            "number": self.number,
            "id": self.id,
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KnownGap:
        """A gap from its JSON form (``id`` and ``sources`` follow from the rest)."""
        return cls(
            data["backend"],
            data["versions"],
            data["operation"],
            data["state"],
            data["predicted"],
            data["observed"],
            data["source"],
            data.get("params", {}),
            data.get("number", 0),
        )


def gaps_for(kind: str) -> Sequence[KnownGap]:
    if kind == "moto":
        from cognito_states.gaps.moto import MOTO_GAPS

        return MOTO_GAPS
    return ()


def unimplemented_for(kind: str) -> frozenset[str]:
    """Operations a backend is known not to implement (an HTTP 500 there is no crash)."""
    if kind == "moto":
        from cognito_states.gaps.moto import MOTO_UNIMPLEMENTED

        return MOTO_UNIMPLEMENTED
    return frozenset()


def find_gap(
    gaps: Sequence[KnownGap],
    backend: str,
    versions: Mapping[str, str],
    operation: str,
    before: Mapping[str, Any],
    params: Mapping[str, Any],
    predicted: Mapping[str, Any],
    observed: Mapping[str, Any],
) -> KnownGap | None:
    for gap in gaps:
        if (
            gap.applies(backend, versions, operation, before, params)
            and dict(gap.predicted) == dict(predicted)
            and dict(gap.observed) == dict(observed)
        ):
            return gap
    return None

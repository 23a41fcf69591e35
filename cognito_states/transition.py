"""One transition: the user's state before, the step, what the model predicted, what the
backend showed and the scenario expected, the verdict and the state after, with the rule
that decided it and the known gap that explains a departure. Run, explore, the random
walks, records, diff, graph and reports all speak in transitions; a record line is
written from one here and read back into one here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_states.errors import ScenarioError
from cognito_states.model import UserState
from cognito_states.operations import Op
from cognito_states.scenario import Pool, Step, make_step
from cognito_states.statuses import Verdict
from cognito_states.views import COMPARED, View

if TYPE_CHECKING:
    from cognito_states.gaps import KnownGap
    from cognito_states.rules import Rule


@dataclass(frozen=True)
class Transition:
    before: UserState
    step: Step
    predicted: View | None  # None: a reference record states no prediction
    observed: View | None  # None: the step did not run (skipped, or the path diverted)
    verdict: Verdict | None  # None: a reference record judges nothing
    after: UserState | None = None  # None: not run
    rule: Rule | None = None
    note: str = ""
    gap: KnownGap | None = None
    index: int | None = None  # the step's number in its scenario
    scenario: str | None = None
    path: tuple[Step, ...] = ()  # explore: the model's shortest path to ``before``
    calls: int = 0  # explore: the API calls this pair cost, its share of transfers included
    attempts: int = 1  # explore: paths walked (more than one when the backend diverted)
    source: str | None = None  # a reference record's provenance
    # The observed fields a reference record knows (None: every field was observed).
    known: tuple[str, ...] | None = None

    @property
    def departed(self) -> bool:
        return self.verdict in (Verdict.mismatch, Verdict.known_gap)

    # ---------------------------------------------------------------- JSON documents

    def _common(self) -> dict[str, Any]:
        return {
            "operation": str(self.step.op),
            "params": self.step.kwargs,
            "verdict": str(self.verdict) if self.verdict is not None else None,
            "note": self.note,
        }

    def as_step_dict(self) -> dict[str, Any]:
        """A step of ``run --json`` (``scenarios[].steps[]``)."""
        empty = dict.fromkeys(COMPARED)
        return {
            "index": self.index,
            **self._common(),
            "state_before": self.before.as_dict(),
            "state_after": self.after.as_dict() if self.after else None,
            "predicted": self.predicted.as_dict() if self.predicted else empty,
            "observed": self.observed.as_dict() if self.observed else empty,
            "expected": self.step.expected.as_dict(),
            "rule": self._rule_dict(),
            "gap_source": self.gap.source if self.gap else None,
            "gap_sources": list(self.gap.sources) if self.gap else [],
        }

    def _rule_dict(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "confidence": str(rule.confidence) if rule else None,
            "source": rule.source if rule else None,
            "sources": list(rule.sources) if rule else [],
            "alternative": rule.alternative.as_dict() if rule and rule.alternative else None,
        }

    @property
    def cited(self) -> tuple[str, ...]:
        """The source ids this transition cites: its rule's, then its gap's."""
        ids = list(self.rule.sources) if self.rule else []
        ids += [i for i in (self.gap.sources if self.gap else ()) if i not in ids]
        return tuple(ids)

    def as_pair_dict(self) -> dict[str, Any]:
        """A pair of ``explore --json`` (``pairs[]``)."""
        return {
            "state": self.before.as_dict(),
            **self._common(),
            "predicted": self.predicted.as_dict() if self.predicted else {},
            "observed": self.observed.as_dict() if self.observed else {},
            "path": [s.describe() for s in self.path],
            "calls": self.calls,
            "attempts": self.attempts,
            "rule": self._rule_dict(),
            "gap_sources": list(self.gap.sources) if self.gap else [],
        }

    # ---------------------------------------------------------------- records

    def record_line(self, pool: Pool) -> dict[str, Any]:
        """The transition as one line of a record (JSON Lines)."""
        line: dict[str, Any] = {
            "state_before": self.before.as_dict(),
            "operation": str(self.step.op),
            "params": self.step.kwargs,
            "predicted": self.predicted.as_dict() if self.predicted else {},
            "observed": self.known_observed(),
            "verdict": str(self.verdict) if self.verdict is not None else None,
            "state_after": self.after.as_dict() if self.after is not None else None,
            "pool": pool.as_dict(),
        }
        if self.scenario is not None:
            line["scenario"] = self.scenario
            line["index"] = self.index
        if self.source:
            line["source"] = self.source
        return line

    def known_observed(self) -> dict[str, Any]:
        """The observed fields this transition knows, as JSON values."""
        if self.observed is None:
            return {}
        data = self.observed.as_dict()
        return data if self.known is None else {k: data[k] for k in self.known if k in data}

    @classmethod
    def from_record_line(cls, line: Mapping[str, Any], where: str = "") -> Transition:
        """A record line read back. Fields and keywords that a line written by an older
        version lacks take their defaults, so old records still match new ones."""
        try:
            op = Op(str(line.get("operation")))
        except ValueError:
            raise ScenarioError(
                f"unknown operation {line.get('operation')!r}; is the record from a newer"
                " cognito-states?",
                where or None,
            ) from None
        step = make_step(op, dict(line.get("params") or {}))
        observed = line.get("observed") or {}
        predicted = line.get("predicted") or {}
        verdict = line.get("verdict")
        after = line.get("state_after")
        return cls(
            UserState.from_dict(line.get("state_before") or {}),
            step,
            View.from_dict(predicted) if predicted else None,
            View.from_dict(observed) if observed else None,
            Verdict(verdict) if verdict else None,
            UserState.from_dict(after) if isinstance(after, Mapping) else None,
            index=line.get("index"),
            scenario=line.get("scenario"),
            source=line.get("source"),
            known=tuple(k for k in observed if k in (*COMPARED, "required_attributes")),
        )

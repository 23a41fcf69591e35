"""Judging one step: the model's prediction against what the backend showed and what the
scenario expected, with the backend's known gaps. Used alike by the runner, explore and
the random walks, so a verdict means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_states.gaps import KnownGap, find_gap, gaps_for
from cognito_states.rules import Rule
from cognito_states.sources import ids_in
from cognito_states.statuses import Confidence, Verdict
from cognito_states.transition import Transition
from cognito_states.views import Expectation, View

if TYPE_CHECKING:
    from cognito_states.model import Prediction, UserState
    from cognito_states.scenario import Step

UNCERTAIN = (Confidence.UNCONFIRMED, Confidence.INFERRED, Confidence.DISPUTED)


@dataclass(frozen=True)
class Departure:
    """Where the backend left a scenario's path: the step's number, its verdict and the
    known gap that explains it (later unobserved expectations share both)."""

    index: int
    verdict: Verdict
    gap: KnownGap | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    note: str = ""
    gap: KnownGap | None = None


def shown(view: View | Expectation | Mapping[str, Any], keys: Iterable[str]) -> str:
    """``key=value`` for each key, as notes write them."""
    return ", ".join(f"{k}={view.get(k)!r}" for k in keys)


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids) or "no source"


def _dispute(rule: Rule) -> str:
    """How a note names a disputed rule: its finding ids (D1), else all its sources."""
    findings = [i for i in rule.sources if i.startswith("D")]
    return _ids(findings or rule.sources)


def _side(rule: Rule, alternative: bool, settles: bool) -> str:
    """Which side of a DISPUTED rule the backend took, as a note."""
    assert rule.alternative is not None
    theirs = rule.alternative.sources
    ours = [i for i in ids_in(rule.source) if i not in theirs]  # a finding names both
    predicted = f"{rule.outcome} ({_ids(ours)})"
    other_side = f"{rule.alternative.outcome} ({_ids(theirs)})"
    took, other = (other_side, predicted) if alternative else (predicted, other_side)
    note = f"disputed {_dispute(rule)}: the backend answered {took}, not {other}"
    if settles:
        note += f"; on a real pool this settles {_dispute(rule)}: real Cognito answers {took}"
    return note


def _message(predicted: View, observed: View, rule: Rule) -> str:
    """Both messages, where the backend's wording differs from real Cognito's."""
    expected = predicted.message
    if rule.alternative is not None and observed.outcome == rule.alternative.outcome:
        expected = rule.alternative.message
    if expected is None or observed.message is None or expected == observed.message:
        return ""
    return f'message: backend "{observed.message}", real Cognito "{expected}"'


def _joined(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _sides(*rules: Rule) -> set[str]:
    """The two outcomes of each DISPUTED rule among ``rules``."""
    return {o for r in rules if r.alternative for o in (r.outcome, r.alternative.outcome)}


def judge(
    predicted: View,
    observed: View,
    expected: Expectation,
    rule: Rule,
    gap_lookup: Callable[[dict[str, Any], dict[str, Any]], KnownGap | None],
    real: View | None = None,
    left: Departure | None = None,
    real_rule: Rule | None = None,
    settles: bool = False,
) -> Judgement:
    """The verdict of one step.

    ``predicted`` is the model's prediction from where the backend really is (by
    ``rule``); ``real`` the model's prediction along the scenario's own path (by
    ``real_rule``: what real Cognito does if every step went as modelled), which the
    scenario's expectation must agree with. ``gap_lookup`` gets the differing fields of
    each side, as JSON values. ``left`` is the step (number, verdict, gap) at which the backend
    left the scenario's path, if it has. A DISPUTED rule accepts its alternative's outcome
    too, from the backend and from the scenario; ``settles`` (a real pool) says the answer
    decides the dispute. A differing message is shown in the note, never judged.
    """
    real = predicted if real is None else real
    real_rule = rule if real_rule is None else real_rule
    message = _message(predicted, observed, rule)
    wrong_expect = expected.disagreeing(real)
    either = ""
    alternative = real_rule.alternative
    if wrong_expect == ["outcome"] and alternative and expected["outcome"] == alternative.outcome:
        wrong_expect = []
        either = (
            f"the scenario expects {alternative.outcome}, the other side of disputed"
            f" {_dispute(real_rule)}: either outcome passes"
        )
    if wrong_expect:
        agree = not expected.disagreeing(observed, wrong_expect)
        who = " (the backend agrees with the scenario)" if agree else ""
        return Judgement(
            Verdict.mismatch,
            _joined(
                f"scenario expects {shown(expected, wrong_expect)} but the model predicts"
                f" {shown(real, wrong_expect)}{who}: the model or the scenario is wrong",
                message,
            ),
        )
    if observed.outcome.kind == "unsupported":
        said = f" (it answered {observed.message})" if observed.message else ""
        return Judgement(
            Verdict.unsupported, f"the backend does not implement this operation{said}"
        )
    diff = predicted.differs(observed)
    took_alternative = (
        diff == ["outcome"]
        and rule.alternative is not None
        and observed.outcome == rule.alternative.outcome
    )
    unobserved = expected.disagreeing(observed)
    sides = _sides(rule, real_rule)
    if "outcome" in unobserved and {expected["outcome"], observed.outcome} <= sides:
        unobserved.remove("outcome")  # either side of a dispute observes the expectation
    if (not diff or took_alternative) and unobserved:
        # The backend did what the model predicts from where it is, but that is not
        # where the scenario is: an earlier departure. The expectation was not observed,
        # so the step shares that departure's verdict; it never passes silently.
        left = left if left is not None else Departure(0, Verdict.mismatch)
        where, why = left.index, left.verdict
        return Judgement(
            why,
            f"scenario expects {shown(expected, unobserved)}, backend shows"
            f" {shown(observed, unobserved)}: not observed, because the backend left the"
            f" scenario's path at step {where} ({why})",
            left.gap,
        )
    if not diff:
        side = _side(rule, False, settles) if rule.alternative else ""
        return Judgement(Verdict.match, _joined(either, side, message))
    if took_alternative:
        return Judgement(Verdict.match, _joined(either, _side(rule, True, settles), message))
    pred, obs = predicted.as_dict(), observed.as_dict()
    gap = gap_lookup({k: pred.get(k) for k in diff}, {k: obs.get(k) for k in diff})
    if gap is not None:
        return Judgement(Verdict.known_gap, _joined(gap.source, either, message), gap)
    note = f"backend shows {shown(observed, diff)}; model predicts {shown(predicted, diff)}"
    if rule.confidence in UNCERTAIN:
        note += (
            f"; the rule is {rule.confidence}: this is evidence about real Cognito,"
            " not only a failure"
        )
    return Judgement(Verdict.mismatch, _joined(note, either, message))


class Judge:
    """Judges steps on one backend: the model's prediction against what it showed, with
    the backend's known gaps matched by its kind and versions."""

    def __init__(self, kind: str, versions: Mapping[str, str]) -> None:
        self.kind = kind
        self.versions = dict(versions)
        self.gaps = gaps_for(kind)

    def __call__(
        self,
        before: UserState,
        step: Step,
        prediction: Prediction,
        observation: View,
        real: Prediction | None = None,
        left: Departure | None = None,
    ) -> Judgement:
        def lookup(pred: dict[str, Any], obs: dict[str, Any]) -> KnownGap | None:
            return find_gap(
                self.gaps,
                self.kind,
                self.versions,
                str(step.op),
                before.as_dict(),
                step.kwargs,
                pred,
                obs,
            )

        return judge(
            prediction.view,
            observation,
            step.expected,
            prediction.rule,
            lookup,
            real.view if real is not None else None,
            left,
            real.rule if real is not None else None,
            settles=self.kind == "aws",
        )

    def transition(
        self,
        before: UserState,
        step: Step,
        prediction: Prediction,
        observation: View,
        after: UserState,
        real: Prediction | None = None,
        left: Departure | None = None,
        **where: Any,
    ) -> Transition:
        """The judged step as a transition; ``where`` says where it was seen (its
        ``index`` and ``scenario`` in a run, its ``path`` in an exploration)."""
        judgement = self(before, step, prediction, observation, real, left)
        return Transition(
            before,
            step,
            prediction.view,
            observation,
            judgement.verdict,
            after,
            prediction.rule,
            judgement.note,
            judgement.gap,
            **where,
        )

"""Replays scenarios: at each step the model predicts, the backend acts and observes,
and the step is judged against the prediction, the scenario's expectation and the
backend's known gaps. Produces result objects; rendering is render.py's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cognito_states.backends.base import Backend, BackendError, SettingsError, StepSkipped
from cognito_states.gaps import KnownGap, find_gap, gaps_for
from cognito_states.model import (
    INITIAL,
    CognitoModel,
    Observation,
    Prediction,
    UserState,
)
from cognito_states.rules import Rule
from cognito_states.scenario import Pool, Scenario, Step
from cognito_states.signals import signals_held
from cognito_states.statuses import UNSUPPORTED, Confidence, ExitCode, Verdict

FIELDS = ("status", "enabled", "email_verified", "outcome")


@dataclass(frozen=True)
class StepResult:
    index: int
    step: Step
    before: UserState
    predicted: Mapping[str, Any]
    observed: Mapping[str, Any]
    expected: Mapping[str, Any]
    verdict: Verdict
    rule: Rule
    note: str = ""
    gap: KnownGap | None = None
    after: UserState | None = None  # where the user is after the step (None: skipped)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "operation": str(self.step.op),
            "params": self.step.kwargs,
            "state_before": self.before.as_dict(),
            "state_after": self.after.as_dict() if self.after else None,
            "predicted": dict(self.predicted),
            "observed": dict(self.observed),
            "expected": dict(self.expected),
            "verdict": str(self.verdict),
            "rule": {
                "confidence": str(self.rule.confidence),
                "source": self.rule.source,
            },
            "note": self.note,
            "gap_source": self.gap.source if self.gap else None,
        }


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    steps: tuple[StepResult, ...]
    error: str | None = None  # the backend failed; the rest was not run
    # (keyword, declared, actual) where an existing pool differs from the declaration
    drift: tuple[tuple[str, Any, Any], ...] = ()
    pool: Pool | None = None  # the settings the model ran with

    def passed(self, strict: bool = False) -> bool:
        failing = {Verdict.mismatch}
        if strict:
            failing |= {Verdict.known_gap, Verdict.unsupported}
        return (
            self.error is None
            and not self.drift
            and not any(s.verdict in failing for s in self.steps)
        )

    def verdict(self, strict: bool = False) -> str:
        if self.drift:
            return "drift"
        if self.error:
            return "error"
        return "passed" if self.passed(strict) else "failed"

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(map(str, Verdict), 0)
        for s in self.steps:
            counts[str(s.verdict)] += 1
        return counts


@dataclass
class RunResult:
    backend: str
    versions: Mapping[str, str]
    strict: bool = False
    scenarios: list[ScenarioResult] = field(default_factory=list)
    interrupted: bool = False

    @property
    def exit_code(self) -> ExitCode:
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if any(r.error for r in self.scenarios):
            return ExitCode.BACKEND_ERROR
        if not all(r.passed(self.strict) for r in self.scenarios):
            return ExitCode.MISMATCH
        return ExitCode.OK

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(map(str, Verdict), 0)
        for r in self.scenarios:
            for key, n in r.counts().items():
                total[key] += n
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "cognito_states": 1,
            "backend": self.backend,
            "versions": dict(self.versions),
            "strict": self.strict,
            "interrupted": self.interrupted,
            "counts": self.counts(),
            "scenarios": [
                {
                    "name": r.scenario.name,
                    "file": r.scenario.file,
                    "passed": r.passed(self.strict),
                    "verdict": r.verdict(self.strict),
                    "error": r.error,
                    "pool": (r.pool or r.scenario.pool).as_dict(),
                    "drift": [
                        {"keyword": k, "declared": _plain(d), "actual": _plain(a)}
                        for k, d, a in r.drift
                    ],
                    "steps": [s.as_dict() for s in r.steps],
                }
                for r in self.scenarios
            ],
        }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _fields(observation: Observation) -> dict[str, Any]:
    return observation.fields()


def differing(predicted: Mapping[str, Any], observed: Mapping[str, Any]) -> list[str]:
    """The fields in which two views of a step differ (requiredAttributes only when
    both are the same challenge)."""
    keys = [k for k in FIELDS if predicted.get(k) != observed.get(k)]
    same_challenge = predicted["outcome"] == observed["outcome"] and str(
        predicted["outcome"]
    ).startswith("challenge:")
    if same_challenge and predicted.get("required_attributes") != observed.get(
        "required_attributes"
    ):
        keys.append("required_attributes")
    return keys


def _show(values: Mapping[str, Any], keys: Iterable[str]) -> str:
    return ", ".join(f"{k}={values.get(k)!r}" for k in keys)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    note: str = ""
    gap: KnownGap | None = None


def judge(
    predicted: Mapping[str, Any],
    observed: Mapping[str, Any],
    expected: Mapping[str, Any],
    rule: Rule,
    gap_lookup: Callable[[dict[str, Any], dict[str, Any]], KnownGap | None],
    real: Mapping[str, Any] | None = None,
) -> Judgement:
    """The verdict of one step.

    ``predicted`` is the model's prediction from where the backend really is;
    ``real`` the model's prediction along the scenario's own path (what real Cognito
    does if every step went as modelled), which the scenario's expectation must agree
    with. ``gap_lookup`` gets the differing fields of each side.
    """
    real = predicted if real is None else real
    wrong_expect = [k for k in expected if expected[k] != real.get(k)]
    if wrong_expect:
        agree = all(expected[k] == observed.get(k) for k in wrong_expect)
        who = " (the backend agrees with the scenario)" if agree else ""
        return Judgement(
            Verdict.mismatch,
            f"scenario expects {_show(expected, wrong_expect)} but the model predicts"
            f" {_show(real, wrong_expect)}{who}: the model or the scenario is wrong",
        )
    if observed["outcome"] == UNSUPPORTED:
        return Judgement(Verdict.unsupported, "the backend does not implement this operation")
    diff = differing(predicted, observed)
    if not diff:
        return Judgement(Verdict.match)
    gap = gap_lookup({k: predicted.get(k) for k in diff}, {k: observed.get(k) for k in diff})
    if gap is not None:
        return Judgement(Verdict.known_gap, gap.source, gap)
    note = f"backend shows {_show(observed, diff)}; model predicts {_show(predicted, diff)}"
    if rule.confidence in (Confidence.UNCONFIRMED, Confidence.INFERRED):
        note += (
            f"; the rule is {rule.confidence}: this is evidence about real Cognito,"
            " not only a failure"
        )
    return Judgement(Verdict.mismatch, note)


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
        observation: Observation,
        real: Prediction | None = None,
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
            prediction.as_observation().fields(),
            observation.fields(),
            step.expect_dict,
            prediction.rule,
            lookup,
            real.as_observation().fields() if real is not None else None,
        )


# Told of every step as it ends: the scenario, the pool settings it ran with, the step.
StepCallback = Callable[[Scenario, Pool, StepResult], None]


class Runner:
    """Runs scenarios on one backend; the backend must be open."""

    def __init__(self, backend: Backend, strict: bool = False) -> None:
        self.backend = backend
        self.strict = strict
        self._models: dict[Pool, CognitoModel] = {}
        self._versions = backend.versions()
        self._judge_step = Judge(backend.kind, self._versions)
        self.partial: ScenarioResult | None = None  # the scenario a Ctrl-C cut short

    def model(self, pool: Pool) -> CognitoModel:
        model = self._models.get(pool)
        if model is None:
            model = self._models[pool] = CognitoModel(pool)
        return model

    def run(
        self,
        scenarios: Sequence[Scenario],
        on_scenario: Callable[[ScenarioResult], None] | None = None,
        on_step: StepCallback | None = None,
    ) -> RunResult:
        result = RunResult(self.backend.name, self._versions, self.strict)
        try:
            for scenario in scenarios:
                outcome = self.run_one(scenario, on_step)
                result.scenarios.append(outcome)
                if on_scenario:
                    on_scenario(outcome)
        except KeyboardInterrupt:
            result.interrupted = True  # the current user was removed on the way out
            if self.partial is not None:
                result.scenarios.append(self.partial)
                if on_scenario:
                    on_scenario(self.partial)
        return result

    def run_one(self, scenario: Scenario, on_step: StepCallback | None = None) -> ScenarioResult:
        pool = scenario.pool
        fixed = self.backend.fixed_pool()
        if fixed is not None:  # an existing pool: check the declaration, then complete it
            drift = pool.drift(fixed)
            if drift:
                return ScenarioResult(scenario, (), drift=tuple(drift), pool=fixed)
            pool = pool.completed_by(fixed)
        model = self.model(pool)
        user = self.backend.user(pool, scenario.name)
        steps: list[StepResult] = []
        state = real = INITIAL  # where the backend is; where real Cognito would be
        index = 0
        try:
            for index, step in enumerate(scenario.steps, start=1):
                prediction = model.predict(state, step)
                on_path = prediction if real == state else model.predict(real, step)
                outcome = user.act(step)
                real = on_path.state
                observation = user.observe(outcome)
                after = model.reconcile(state, prediction, observation)
                item = self._judge(index, step, state, prediction, observation, on_path, after)
                steps.append(item)
                if on_step:
                    on_step(scenario, pool, item)
                state = after
        except StepSkipped as exc:
            for later, step in enumerate(scenario.steps[index - 1 :], start=index):
                prediction = model.predict(real, step)
                real = prediction.state
                reason = str(exc) if later == index else f"after step {index}: {exc}"
                item = StepResult(
                    later,
                    step,
                    state,
                    _fields(prediction.as_observation()),
                    dict.fromkeys(FIELDS),
                    step.expect_dict,
                    Verdict.skipped,
                    prediction.rule,
                    reason,
                )
                steps.append(item)
                if on_step:
                    on_step(scenario, pool, item)
        except SettingsError:
            raise  # bad settings stop the whole run (exit 4)
        except BackendError as exc:
            return ScenarioResult(scenario, tuple(steps), str(exc), pool=pool)
        except KeyboardInterrupt:
            # Keep what ran, so the interrupted scenario's rows are shown too.
            self.partial = ScenarioResult(scenario, tuple(steps), "interrupted", pool=pool)
            raise
        finally:
            with signals_held():
                user.close()
        return ScenarioResult(scenario, tuple(steps), pool=pool)

    def _judge(
        self,
        index: int,
        step: Step,
        before: UserState,
        prediction: Prediction,
        observation: Observation,
        on_path: Prediction,
        after: UserState,
    ) -> StepResult:
        verdict = self._judge_step(before, step, prediction, observation, on_path)
        return StepResult(
            index,
            step,
            before,
            _fields(prediction.as_observation()),
            _fields(observation),
            step.expect_dict,
            verdict.verdict,
            prediction.rule,
            verdict.note,
            verdict.gap,
            after,
        )

"""Replays scenarios: at each step the model predicts, the backend acts and observes,
and the step is judged (judge.py) against the prediction, the scenario's expectation and
the backend's known gaps. Produces result objects; rendering is render.py's job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cognito_states.backends.base import Backend
from cognito_states.errors import BackendError, StepSkipped
from cognito_states.judge import Departure, Judge
from cognito_states.model import INITIAL, CognitoModel, Prediction, UserState
from cognito_states.operations import Op
from cognito_states.scenario import Pool, Scenario, Step, make_step
from cognito_states.signals import signals_held
from cognito_states.sources import cited
from cognito_states.statuses import ExitCode, Verdict
from cognito_states.transition import Transition
from cognito_states.views import View


@dataclass(frozen=True, repr=False)
class ScenarioResult:
    """One scenario's run: its steps, and whether it passed under the strictness it ran
    with (``passed`` is what the JSON's ``"passed"`` says)."""

    scenario: Scenario
    steps: tuple[Transition, ...]
    error: str | None = None  # the backend failed; the rest was not run
    # (keyword, declared, actual) where an existing pool differs from the declaration
    drift: tuple[tuple[str, Any, Any], ...] = ()
    pool: Pool | None = None  # the settings the model ran with
    strict: bool = False  # known gaps and unsupported steps fail (run --strict)

    @property
    def failing_verdicts(self) -> frozenset[Verdict]:
        if self.strict:
            return frozenset({Verdict.mismatch, Verdict.known_gap, Verdict.unsupported})
        return frozenset({Verdict.mismatch})

    @property
    def failures(self) -> tuple[Transition, ...]:
        """The steps that fail this scenario (under ``strict``, known gaps and
        unsupported steps too)."""
        failing = self.failing_verdicts
        return tuple(s for s in self.steps if s.verdict in failing)

    @property
    def known_gaps(self) -> tuple[Transition, ...]:
        """The steps whose departure is a listed gap of the backend (``.gap.source``)."""
        return tuple(s for s in self.steps if s.verdict is Verdict.known_gap)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.drift and not self.failures

    @property
    def verdict(self) -> str:
        if self.drift:
            return "drift"
        if self.error:
            return "error"
        return "passed" if self.passed else "failed"

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(map(str, RUN_VERDICTS), 0)
        for s in self.steps:
            counts[str(s.verdict)] += 1
        return counts

    def __repr__(self) -> str:
        # Short: pytest prints it whole in an assertion's explanation.
        counts = ", ".join(f"{n} {v}" for v, n in self.counts().items() if n)
        text = f"<ScenarioResult {self.scenario.name!r} {self.verdict}: {counts or 'no step'}"
        if self.drift:
            text += f"; drift in {', '.join(k for k, _, _ in self.drift)}"
        if self.error:
            text += f"; stopped: {self.error}"
        if self.failures:
            first = self.failures[0]
            text += f"; first failure: step {first.index} {first.step.describe()} {first.verdict}"
        return text + ">"


# The verdicts a run's steps can have (``diverted`` is explore's alone).
RUN_VERDICTS = tuple(v for v in Verdict if v is not Verdict.diverted)


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
        if not all(r.passed for r in self.scenarios):
            return ExitCode.MISMATCH
        return ExitCode.OK

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(map(str, RUN_VERDICTS), 0)
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
                    "passed": r.passed,
                    "verdict": r.verdict,
                    "error": r.error,
                    "pool": (r.pool or r.scenario.pool).as_dict(),
                    "drift": [
                        {"keyword": k, "declared": _plain(d), "actual": _plain(a)}
                        for k, d, a in r.drift
                    ],
                    "steps": [s.as_step_dict() for s in r.steps],
                }
                for r in self.scenarios
            ],
            "sources": cited(i for r in self.scenarios for s in r.steps for i in s.cited),
        }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def planned_texts(scenarios: Sequence[Scenario], fixed: Pool | None = None) -> int:
    """How many text messages real Cognito sends if every step goes as the model says
    (operations.SPEC ``sms``): texts cost money, so a run on a real pool says so first.
    ``fixed``: an existing pool's settings, which complete each scenario's."""
    models: dict[Pool, CognitoModel] = {}
    total = 0
    for scenario in scenarios:
        pool = scenario.pool if fixed is None else scenario.pool.completed_by(fixed)
        model = models.get(pool) or models.setdefault(pool, CognitoModel(pool))
        state = INITIAL
        for step in scenario.steps:
            total += model.texts(state, suppressed(step))
            state = model.predict(state, step).state
    return total


def suppressed(step: Step) -> Step:
    """The step as a real pool sends it: AdminCreateUser's invitation suppressed (the
    aws backend's policy), so it texts no invitation."""
    if step.op is Op.admin_create_user and step.kwargs["message_action"] is None:
        return make_step(step.op, {**step.kwargs, "message_action": "SUPPRESS"})
    return step


# Told of every step as it ends: the scenario, the pool settings it ran with, the step.
StepCallback = Callable[[Scenario, Pool, Transition], None]


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
                return self._result(scenario, (), drift=tuple(drift), pool=fixed)
            pool = pool.completed_by(fixed)
        model = self.model(pool)
        user = self.backend.user(pool, scenario.name)
        steps: list[Transition] = []
        state = real = INITIAL  # where the backend is; where real Cognito would be
        index = 0

        def done(item: Transition) -> None:
            steps.append(item)
            if on_step:
                on_step(scenario, pool, item)

        left: Departure | None = None  # where the backend left the path
        try:
            for index, step in enumerate(scenario.steps, start=1):
                prediction = model.predict(state, step)
                on_path = prediction if real == state else model.predict(real, step)
                answer = user.act(step)
                real = on_path.state
                observation = user.observe(answer)
                after = model.reconcile(state, prediction, observation)
                item = self._judge(
                    scenario, index, step, state, prediction, observation, on_path, after, left
                )
                done(item)
                state = after
                if state == real:
                    left = None
                elif left is None and item.verdict not in (None, Verdict.match):
                    assert item.verdict is not None
                    left = Departure(index, item.verdict, item.gap)
        except StepSkipped as exc:
            for later, step in enumerate(scenario.steps[index - 1 :], start=index):
                prediction = model.predict(real, step)
                real = prediction.state
                reason = str(exc) if later == index else f"after step {index}: {exc}"
                done(
                    Transition(
                        state,
                        step,
                        prediction.view,
                        None,
                        Verdict.skipped,
                        rule=prediction.rule,
                        note=reason,
                        index=later,
                        scenario=scenario.name,
                    )
                )
        except BackendError as exc:
            return self._result(scenario, tuple(steps), str(exc), pool=pool)
        except KeyboardInterrupt:
            # Keep what ran, so the interrupted scenario's rows are shown too.
            self.partial = self._result(scenario, tuple(steps), "interrupted", pool=pool)
            raise
        finally:
            with signals_held():
                user.close()
        return self._result(scenario, tuple(steps), pool=pool)

    def _result(
        self,
        scenario: Scenario,
        steps: tuple[Transition, ...],
        error: str | None = None,
        **more: Any,
    ) -> ScenarioResult:
        return ScenarioResult(scenario, steps, error, strict=self.strict, **more)

    def _judge(
        self,
        scenario: Scenario,
        index: int,
        step: Step,
        before: UserState,
        prediction: Prediction,
        observation: View,
        on_path: Prediction,
        after: UserState,
        left: Departure | None = None,
    ) -> Transition:
        return self._judge_step.transition(
            before,
            step,
            prediction,
            observation,
            after,
            on_path,
            left,
            index=index,
            scenario=scenario.name,
        )

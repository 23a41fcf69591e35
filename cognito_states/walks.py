"""Random walks: longer operation sequences driven by Hypothesis's stateful testing. A
walk that finds a departure no known gap explains is shrunk by Hypothesis to its
shortest form and written out as a scenario file, like Hypothesis's own minimal example.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from cognito_states.backends.base import Backend
from cognito_states.errors import StepSkipped
from cognito_states.judge import Judge
from cognito_states.model import INITIAL, CognitoModel
from cognito_states.reproducers import DEFAULT_FOLDER, expectation, write_walk
from cognito_states.scenario import Pool, Step, all_variants
from cognito_states.statuses import Verdict


class WalkFailure(AssertionError):  # noqa: N818 (Hypothesis needs an assertion)
    def __init__(self, steps: list[Step], expect: dict[str, Any], note: str) -> None:
        super().__init__(note)
        self.steps, self.expect, self.note = steps, expect, note


def random_walks(
    backend: Backend,
    pool: Pool,
    examples: int,
    *,
    max_steps: int = 15,
    folder: Path = DEFAULT_FOLDER,
    derandomize: bool = False,
    seed: int | None = None,
) -> list[Path]:
    """Run ``examples`` walks; return the reproducer written for the shrunk failure.
    ``seed`` makes the walks the same again (Hypothesis's ``@seed``)."""
    from hypothesis import HealthCheck, settings
    from hypothesis import seed as seeded
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

    variants = all_variants(pool)
    model = CognitoModel(pool)
    judge = Judge(backend.kind, backend.versions())
    last: list[WalkFailure] = []

    class Walk(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.user = backend.user(pool, "walk")
            self.state = INITIAL
            self.steps: list[Step] = []
            self.departed = False  # a known gap earlier: the path left the model's

        @rule(index=st.integers(0, len(variants) - 1))
        def apply(self, index: int) -> None:
            step = variants[index]
            self.steps.append(step)
            prediction = model.predict(self.state, step)
            try:
                observation = self.user.observe(self.user.act(step))
            except StepSkipped:
                self.steps.pop()
                return
            verdict = judge(self.state, step, prediction, observation)
            if verdict.verdict is Verdict.mismatch:
                expect = {} if self.departed else expectation(prediction.view)
                failure = WalkFailure(list(self.steps), expect, verdict.note)
                last[:] = [failure]
                raise failure
            self.departed |= verdict.verdict is Verdict.known_gap
            self.state = model.reconcile(self.state, prediction, observation)

        def teardown(self) -> None:
            self.user.close()

    config = settings(
        max_examples=examples,
        stateful_step_count=max_steps,
        deadline=None,
        database=None,
        derandomize=derandomize,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    machine: Any = Walk if seed is None else seeded(seed)(Walk)
    with contextlib.suppress(WalkFailure):  # kept in `last`, shrunk
        run_state_machine_as_test(machine, settings=config)
    if not last:
        return []
    failure = last[0]  # Hypothesis replays the shrunk example last
    return [write_walk(folder, pool, backend.name, failure.steps, failure.expect, failure.note)]

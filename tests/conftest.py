"""Shared fixtures: scenarios run on the model backend (instant) or on in-process moto,
and helpers that write scenario files into a temporary folder.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cognito_states.backends import Answer, Backend, View, make_backend
from cognito_states.runner import Runner, ScenarioResult
from cognito_states.scenario import (
    Pool,
    Scenario,
    Step,
    load_scenarios,
    shipped_scenarios_path,
)

SHIPPED = shipped_scenarios_path()
ARTICLE = SHIPPED / "article_seven_steps.py"


@pytest.fixture(scope="session")
def shipped() -> list[Scenario]:
    return load_scenarios([SHIPPED])


@pytest.fixture(scope="session")
def article() -> Scenario:
    (scenario,) = load_scenarios([ARTICLE])
    return scenario


@pytest.fixture(scope="session")
def model_backend() -> Iterator[Backend]:
    backend = make_backend("model")
    backend.open()
    yield backend
    backend.close()


RunSteps = Callable[..., ScenarioResult]


@pytest.fixture(scope="session")
def run_model(model_backend: Backend) -> RunSteps:
    """Run steps on the model backend: ``run_model(steps, pool=Pool())``."""
    runner = Runner(model_backend)

    def run(steps: Sequence[Step], pool: Pool | None = None) -> ScenarioResult:
        return runner.run_one(Scenario("test", pool=pool or Pool(), steps=list(steps)))

    return run


@pytest.fixture(scope="module")
def moto_backend() -> Iterator[Backend]:
    backend = make_backend("moto")
    backend.open()
    yield backend
    backend.close()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a scenario file (dedented) into tmp_path and return its path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


class DepartingUser:
    """The model as a user, except that at step ``at`` the backend departs from it:
    the user's state takes ``changes`` and the step answers ``outcome`` if given."""

    def __init__(self, model: Any, at: int, changes: dict[str, Any], outcome: str | None) -> None:
        from cognito_states.backends.model import ModelUser

        self.inner = ModelUser(model)
        self.at, self.changes, self.outcome = at, changes, outcome
        self.acted = 0
        self.closed = False

    def act(self, one: Step) -> Answer:
        self.acted += 1
        out = self.inner.act(one)
        if self.acted == self.at:
            self.inner.state = replace(self.inner.state, **self.changes)
            if self.outcome is not None:
                out = Answer(self.outcome)
        return out

    def observe(self, answer: Answer) -> View:
        return self.inner.observe(answer)

    def close(self) -> None:
        self.closed = True


def _departing_backend() -> type:
    from cognito_states.backends.model import ModelBackend

    class DepartingBackend(ModelBackend):
        """The model backend but for one departure (see DepartingUser)."""

        name = "departing"
        kind = "departing"

        def __init__(
            self, at: int, changes: dict[str, Any] | None = None, outcome: str | None = None
        ) -> None:
            super().__init__()
            self.at, self.changes, self.outcome = at, changes or {}, outcome
            self.users: list[DepartingUser] = []

        def versions(self) -> dict[str, str]:
            return {}

        def user(self, pool: Pool, label: str) -> DepartingUser:  # type: ignore[override]
            from cognito_states.model import CognitoModel

            user = DepartingUser(CognitoModel(pool), self.at, self.changes, self.outcome)
            self.users.append(user)
            return user

    return DepartingBackend


DepartingBackend = _departing_backend()


@contextlib.contextmanager
def unlisted(number: int) -> Iterator[None]:
    """moto's list of known gaps without ``moto-<number>``, as if it were not listed yet.

    Tests of what an unlisted departure produces (a mismatch, exit 1, a reproducer)
    need one among the first pairs explore visits; there the only departure of moto
    5.2 is moto-26 (ConfirmForgotPassword for no user), so they take it off the list.
    """
    from cognito_states.gaps import moto

    kept = tuple(g for g in moto.MOTO_GAPS if g.number != number)
    assert len(kept) < len(moto.MOTO_GAPS), f"moto-{number} is not listed"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(moto, "MOTO_GAPS", kept)
        yield

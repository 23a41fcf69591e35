"""Random walks (`explore --random N`): Hypothesis drives operation sequences; a walk
that finds a departure no known gap explains is shrunk to its shortest form and written
as one scenario file that `cognito-states run` replays. On the model nothing departs.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import unlisted

from cognito_states import cli, walks
from cognito_states.backends import Answer, make_backend
from cognito_states.backends.model import ModelBackend, ModelUser
from cognito_states.model import CognitoModel, UserState
from cognito_states.operations import Op
from cognito_states.scenario import Pool, Step, load_scenarios, step


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def replay(path: Path, backend: str = "moto") -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = capture("run", "--json", "--backend", backend, str(path))
    (scenario,) = json.loads(out)["scenarios"]
    return code, scenario["steps"]


class DepartingUser(ModelUser):
    """The model, except where a fake backend departs from it."""

    def __init__(self, model: CognitoModel, backend: FakeBackend) -> None:
        super().__init__(model)
        self.backend = backend

    def act(self, one: Step) -> Answer:
        departure = self.backend.departs(self.state, one)
        if departure is None:
            return super().act(one)
        self.backend.departures += 1
        return departure


class FakeBackend(ModelBackend):
    """The model as a backend, instant, with one departure (see ``departs``)."""

    name = "fake"
    kind = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.departures = 0

    def departs(self, state: UserState, one: Step) -> Answer | None:
        """moto 5.2's: ConfirmForgotPassword for a disabled user is accepted (any code
        is); the model predicts NotAuthorizedException (INFERRED: no evidence either way,
        and not in moto's list of known gaps)."""
        if one.op is Op.confirm_forgot_password and state.enabled is False:
            return Answer("ok")
        return None

    def versions(self) -> dict[str, str]:
        return {}

    def user(self, pool: Pool, label: str) -> DepartingUser:  # type: ignore[override]
        return DepartingUser(super().user(pool, label).model, self)  # one model per pool


class MotoLike(FakeBackend):
    """A departure moto's list of known gaps explains (moto-1)."""

    name = kind = "moto"

    def departs(self, state: UserState, one: Step) -> Answer | None:
        if one.op is Op.admin_initiate_auth and state.status == "UNCONFIRMED":
            return Answer("tokens")
        return None

    def versions(self) -> dict[str, str]:
        return {"moto": "5.2.5"}


SIX = [
    step.admin_create_user(),
    step.admin_create_user(email=False),
    step.admin_set_user_password(),
    step.admin_set_user_password(permanent=True),
    step.admin_disable_user(),
    step.confirm_forgot_password(),
]


@pytest.fixture(scope="module")
def shrunk(tmp_path_factory: pytest.TempPathFactory) -> tuple[FakeBackend, list[Path]]:
    folder = tmp_path_factory.mktemp("walks")
    backend = FakeBackend()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(walks, "all_variants", lambda pool=None: SIX)
        written = walks.random_walks(backend, Pool(), 50, folder=folder, derandomize=True)
    return backend, written


def test_a_failing_walk_is_shrunk_to_its_shortest_form(
    shrunk: tuple[FakeBackend, list[Path]],
) -> None:
    backend, written = shrunk
    assert backend.departures > 1  # found, then found again while shrinking
    (path,) = written
    assert list(path.parent.iterdir()) == [path]
    assert path.name == "walk_03_steps_confirm_forgot_password.py"
    (scenario,) = load_scenarios([path])
    assert [s.describe() for s in scenario.steps] == [
        "admin_create_user()",
        "admin_disable_user()",
        "confirm_forgot_password()",
    ]
    assert [s.expect_dict for s in scenario.steps[:-1]] == [{}, {}]
    assert scenario.steps[-1].expect_dict == {
        "status": "FORCE_CHANGE_PASSWORD",
        "enabled": False,
        "email_verified": False,
        "outcome": "error:NotAuthorizedException",
    }


def test_the_shrunk_walk_replays_on_moto_and_passes_on_the_model(
    shrunk: tuple[FakeBackend, list[Path]],
) -> None:
    """The fake departs as moto 5.2 does: the file shows the departure on moto."""
    (path,) = shrunk[1]
    code, steps = replay(path)
    assert code == 1
    assert [s["verdict"] for s in steps] == ["match", "match", "mismatch"]
    assert steps[-1]["observed"]["outcome"] == "ok"
    assert replay(path, "model")[0] == 0


def test_a_departure_a_known_gap_explains_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        walks, "all_variants", lambda pool=None: [step.sign_up(), step.admin_initiate_auth()]
    )
    backend = MotoLike()
    assert walks.random_walks(backend, Pool(), 30, folder=tmp_path, derandomize=True) == []
    assert backend.departures > 0  # it did depart: the gap list explained it
    assert list(tmp_path.iterdir()) == []
    unlisted = MotoLike()
    unlisted.kind = "fake"  # the same departure, with no list of known gaps
    assert len(walks.random_walks(unlisted, Pool(), 30, folder=tmp_path, derandomize=True)) == 1


def test_walks_on_the_model_find_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "repro"
    assert (
        walks.random_walks(make_backend("model"), Pool(), 20, folder=folder, derandomize=True) == []
    )
    assert not folder.exists()


def test_explore_random_on_moto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI does not seed Hypothesis: one operation makes the departure certain
    (confirm_forgot_password for a user that does not exist: moto-26, taken off the
    list here so that it is an unlisted departure)."""
    monkeypatch.setattr(walks, "all_variants", lambda pool=None: [step.confirm_forgot_password()])
    monkeypatch.setenv("COLUMNS", "400")  # the printed path is not folded
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "repro"
    with unlisted(26):
        code, out, _ = capture(
            "explore", "--limit", "1", "--workers", "1", "--random", "5", "--repro-dir", str(folder)
        )
        assert code == 1  # the one explored pair matches: the walk's departure fails the run
        (path,) = folder.iterdir()
        assert path.name == "walk_01_steps_confirm_forgot_password.py"
        assert f"reproducer: {path}" in out
        code, steps = replay(path)
    assert code == 1
    assert steps[-1]["operation"] == "confirm_forgot_password"
    assert steps[-1]["verdict"] == "mismatch"


def test_explore_random_on_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "repro"
    code, out, _ = capture(
        "explore",
        "--backend",
        "model",
        "--limit",
        "1",
        "--random",
        "20",
        "--repro-dir",
        str(folder),
    )
    assert code == 0
    assert "reproducer:" not in out
    assert not folder.exists()


def test_a_seed_makes_the_walks_the_same_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(walks, "all_variants", lambda pool=None: SIX)
    runs = []
    for name in ("a", "b"):
        backend = FakeBackend()
        written = walks.random_walks(backend, Pool(), 30, folder=tmp_path / name, seed=11)
        runs.append((backend.departures, [p.read_text() for p in written]))
    assert runs[0] == runs[1]
    assert runs[0][0] > 0


def test_explore_random_takes_a_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["explore", "--backend", "model", "--limit", "1", "--random", "5", "--seed", "3"]
    code, out, err = capture(*argv)
    assert (code, err.strip()) == (0, "")
    assert "reproducer:" not in out

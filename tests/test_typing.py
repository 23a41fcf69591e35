"""Scenario files are typed: `mypy --strict` passes on a correct one and names a misspelt
operation or keyword, because type checkers see the generated ``StepAPI`` (never the
runtime ``__getattr__`` that answers "did you mean")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cognito_states

GOOD = """
    from cognito_states import Pool, Scenario, step

    SCENARIO = Scenario(
        "typed",
        pool=Pool(required_attributes=["email"], prevent_user_existence_errors="ENABLED"),
        steps=[
            step.admin_create_user(email=False, message_action="SUPPRESS"),
            step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
            step.initiate_auth(auth_flow="USER_SRP_AUTH").expect(outcome="tokens"),
            step.admin_delete_user().expect(status=None),
        ],
    )
"""

BAD = """
    from cognito_states import Scenario, step

    SCENARIO = Scenario(
        "typed",
        steps=[
            step.admin_create_usr(),
            step.admin_set_user_password(permanant=True),
            step.initiate_auth(auth_flow="USER_PASSWORD"),
            step.get_user().expect(stauts="CONFIRMED"),
        ],
    )
"""


@pytest.fixture(scope="module")
def mypy(tmp_path_factory: pytest.TempPathFactory) -> object:
    pytest.importorskip("mypy")
    cache = tmp_path_factory.mktemp("mypy-cache")

    def run(source: str) -> subprocess.CompletedProcess[str]:
        folder = tmp_path_factory.mktemp("scenario")
        path = folder / "scenario_file.py"
        path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(path)],
            capture_output=True,
            text=True,
            cwd=folder,
            check=False,
        )

    return run


def test_the_package_is_typed() -> None:
    assert (Path(cognito_states.__file__).parent / "py.typed").is_file()


def test_a_correct_scenario_file_passes_mypy_strict(mypy: object) -> None:
    result = mypy(GOOD)  # type: ignore[operator]
    assert result.returncode == 0, result.stdout + result.stderr


def test_misspelt_names_are_flagged_by_mypy(mypy: object) -> None:
    result = mypy(BAD)  # type: ignore[operator]
    assert result.returncode == 1
    out = result.stdout
    assert '"StepAPI" has no attribute "admin_create_usr"' in out
    assert 'Unexpected keyword argument "permanant"' in out
    assert "Literal['USER_PASSWORD']" in out  # not one of the allowed auth flows
    assert 'Unexpected keyword argument "stauts"' in out
    assert out.count("error:") == 4, out

"""The package as a new user installs it: ``pip install .`` in a fresh virtual
environment gives the CLI and the pytest plugin (pytest is a dependency), and
``pytest my_folder/`` there collects and runs the scenario files of any folder.

This needs the package registry (as the README's first command does) and takes about
half a minute, most of it pip's (``--no-compile`` spares it byte-compiling botocore).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCENARIO = """\
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin sets a permanent password",
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
    ],
)
"""

# moto gives tokens to an UNCONFIRMED user (moto-1): xfail on moto.
GAP = """\
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "sign-in before confirmation",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.sign_up(),
        step.admin_initiate_auth().expect(outcome="error:UserNotConfirmedException"),
    ],
)
"""


def test_pip_install_gives_the_plugin_and_pytest_runs_any_folder(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COGNITO"))}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-compile", str(ROOT)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]

    project = tmp_path / "project"
    (project / "my_folder" / "nested").mkdir(parents=True)
    (project / "my_folder" / "passwords.py").write_text(SCENARIO)
    (project / "my_folder" / "nested" / "gap.py").write_text(GAP)
    done = subprocess.run(
        [str(venv / "bin" / "pytest"), "my_folder/", "-rx", "-p", "no:cacheprovider"],
        cwd=project,
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("plugins: cognito-states-") for line in lines), done.stdout
    assert "XFAIL my_folder/nested/gap.py::sign-in before confirmation - known gap of moto:" in (
        done.stdout
    )
    assert "1 passed, 1 xfailed" in lines[-1]

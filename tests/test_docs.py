"""The documentation cannot rot: every sub-command has --help and is in the README, the
README's commands are the ones CI runs, and its Python examples run.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import cognito_states
from cognito_states import cli
from cognito_states.runner import Runner
from cognito_states.scenario import Scenario, shipped_scenarios_path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if a.choices and a.dest == "command"]
    return dict(sub.choices)


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.M | re.S)


COMMANDS = sorted(_commands())


def test_there_are_commands() -> None:
    assert {"run", "model", "list"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: cognito-states {command}")
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    top = capsys.readouterr().out
    assert re.search(rf"^\s+{command}\s+\S", top, re.M), f"{command}: no line in --help"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"`cognito-states {command}\b", README), command


def test_readme_opens_with_the_two_commands() -> None:
    first = _blocks("sh")[0].strip().splitlines()
    assert len(first) == 2
    assert "cognito-states run" in first[0]
    assert "pytest" in first[1]
    assert README.index(_blocks("sh")[0]) < README.index("##")


def test_ci_runs_the_readmes_test_command() -> None:
    second = _blocks("sh")[0].strip().splitlines()[1]
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _python_examples() -> list[str]:
    return [b for b in _blocks("python") if "cognito_states" in b]


def test_readme_python_examples_run(model_backend: Any) -> None:
    examples = _python_examples()
    if not examples:  # nothing to run: then the two commands must at least be there
        assert any("cognito-states run" in line for line in README.splitlines())
        assert any("pytest" in line for line in README.splitlines())
        return
    for example in examples:
        namespace: dict[str, Any] = {"__name__": "readme_example"}
        exec(compile(example, "README.md", "exec"), namespace)
        scenarios = [v for v in namespace.values() if isinstance(v, Scenario)]
        for scenario in scenarios:
            result = Runner(model_backend).run_one(scenario)
            assert [str(s.verdict) for s in result.steps] == ["match"] * len(scenario.steps)


def test_readme_scenario_is_the_shipped_article(article: Scenario) -> None:
    """The README shows the article scenario and says what it does on moto."""
    namespace: dict[str, Any] = {}
    (example,) = [e for e in _python_examples() if "admin-created user reaches CONFIRMED" in e]
    exec(compile(example, "README.md", "exec"), namespace)
    shown = [(s.op, s.params) for s in namespace["SCENARIO"].steps]
    assert shown == [(s.op, s.params) for s in article.steps]
    assert namespace["SCENARIO"].pool == article.pool
    assert "step 4 is a `known-gap`" in README


def test_every_module_says_its_job() -> None:
    missing = []
    for info in pkgutil.walk_packages(cognito_states.__path__, "cognito_states."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None
        assert spec.origin is not None
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(info.name)
    assert missing == []


def test_package_exports_the_scenario_language_only() -> None:
    assert sorted(cognito_states.__all__) == ["Pool", "Scenario", "step"]


def test_every_shipped_scenario_file_explains_itself() -> None:
    files = sorted(shipped_scenarios_path().glob("*.py"))
    assert files
    missing = [f.name for f in files if not ast.get_docstring(ast.parse(f.read_text()))]
    assert missing == []


def test_readme_mfa_scenario_is_the_shipped_one() -> None:
    """The README's MFA_SETUP example is scenarios/mfa_setup_totp.py, step for step."""
    from cognito_states.scenario import load_scenarios

    (shipped,) = load_scenarios([shipped_scenarios_path() / "mfa_setup_totp.py"])
    namespace: dict[str, Any] = {}
    (example,) = [e for e in _python_examples() if "MFA_SETUP to tokens" in e]
    exec(compile(example, "README.md", "exec"), namespace)
    shown = namespace["SCENARIO"]
    assert [(s.op, s.params, s.expected) for s in shown.steps] == [
        (s.op, s.params, s.expected) for s in shipped.steps
    ]
    assert (shown.name, shown.pool) == (shipped.name, shipped.pool)

"""Renderers: the scenario table as golden text (fixed width, no colour), the summary
line, the notes, the transition rows and the Mermaid diagram.

Set UPDATE_GOLDEN=1 to rewrite tests/golden/*.txt after a deliberate change.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import DepartingBackend
from rich.console import Console

from cognito_states import render
from cognito_states.runner import Runner, RunResult, ScenarioResult
from cognito_states.scenario import Pool, Scenario, step
from cognito_states.statuses import (
    MODEL_STATES,
)

GOLDEN = Path(__file__).parent / "golden"


def rendered(renderable: Any, width: int = 160) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article_on_model(model_backend: Any, article: Scenario) -> ScenarioResult:
    return Runner(model_backend).run_one(article)


def test_article_table_golden(article_on_model: ScenarioResult) -> None:
    check_golden("article_model.txt", rendered(render.scenario_table(article_on_model, "model")))


def test_departure_table_golden() -> None:
    """A mismatch shows what the backend did with the model's value under it."""
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        step.admin_initiate_auth(),
    ]
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    result = Runner(backend).run_one(Scenario("departure", steps=steps))
    text = rendered(render.scenario_table(result, "departing"))
    check_golden("departure.txt", text)
    assert "model: CONFIRMED" in text


def test_table_shows_required_attributes(article_on_model: ScenarioResult) -> None:
    text = rendered(render.scenario_table(article_on_model, "model"), width=400)
    assert 'challenge:NEW_PASSWORD_REQUIRED ["userAttributes.email"]' in text


def test_table_has_no_colour_codes(article_on_model: ScenarioResult) -> None:
    assert "\x1b[" not in rendered(render.scenario_table(article_on_model, "model"))


def _run(*results: ScenarioResult, **kw: Any) -> RunResult:
    run = RunResult("model", {}, **kw)
    run.scenarios += results
    return run


def test_summary_line(article_on_model: ScenarioResult) -> None:
    assert render.summary_line(_run(article_on_model, article_on_model)) == (
        "2 scenarios, 14 steps on model: 14 match — passed (exit 0)"
    )
    assert (
        render.summary_line(_run())
        == "0 scenarios, 0 steps on model: nothing run — passed (exit 0)"
    )
    assert render.summary_line(_run(article_on_model, interrupted=True)) == (
        "1 scenarios, 7 steps on model: 7 match — interrupted (exit 2)"
    )


def test_summary_line_counts_failures(run_model: Any) -> None:
    wrong = run_model([step.admin_create_user(), step.get_user().expect(outcome="tokens")])
    ok = run_model([step.admin_create_user()])
    assert render.summary_line(_run(wrong, ok, wrong)) == (
        "3 scenarios, 5 steps on model: 3 match, 2 mismatch — 2 failed (exit 1)"
    )


def test_step_notes(run_model: Any) -> None:
    wrong = run_model([step.admin_create_user(), step.get_user().expect(outcome="tokens")])
    assert render.step_notes(wrong) == [
        "  step 2 mismatch: scenario expects outcome='tokens' but the model predicts"
        " outcome='n/a': the model or the scenario is wrong"
    ]
    stopped = ScenarioResult(wrong.scenario, wrong.steps[:1], "connection reset")
    assert render.step_notes(stopped) == ["  stopped: connection reset"]


def test_run_json_is_the_result(article_on_model: ScenarioResult) -> None:
    run = _run(article_on_model)
    assert json.loads(render.run_json(run)) == json.loads(json.dumps(run.as_dict()))


def test_transition_table_for_one_status() -> None:
    from cognito_states.model import CognitoModel

    rows = CognitoModel(Pool()).table("RESET_REQUIRED")
    assert rows
    assert {row.state.status for row in rows} == {"RESET_REQUIRED"}
    everything = CognitoModel(Pool()).table()
    assert {row.state.status for row in everything} >= set(MODEL_STATES) - {"EXTERNAL_PROVIDER"}


def test_transition_table_agrees_with_the_model() -> None:
    from cognito_states.model import CognitoModel

    model = CognitoModel(Pool())
    rows = model.table("FORCE_CHANGE_PASSWORD")
    fresh = CognitoModel(Pool())
    for row in rows:
        assert fresh.predict(row.state, row.step) == row.prediction
        assert row.as_dict()["outcome"] == row.prediction.outcome

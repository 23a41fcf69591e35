"""The one view of a step (outcome parsed once, one "differs"), errors that carry their
exit code and name settings per front end, and transitions that survive a record."""

from __future__ import annotations

import pickle

import pytest

from cognito_states.config import cli_name, plugin_name
from cognito_states.errors import (
    BackendError,
    NoScenarioError,
    ScenarioError,
    SettingsError,
    option,
    setting,
)
from cognito_states.model import INITIAL, UserState
from cognito_states.scenario import Pool, step
from cognito_states.statuses import ExitCode, Tokens, Verdict
from cognito_states.transition import Transition
from cognito_states.views import Expectation, Outcome, View


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("ok", "ok", None),
        ("tokens", "tokens", None),
        ("n/a", "n/a", None),
        ("unsupported", "unsupported", None),
        ("challenge:NEW_PASSWORD_REQUIRED", "challenge", "NEW_PASSWORD_REQUIRED"),
        ("error:UserNotFoundException", "error", "UserNotFoundException"),
    ],
)
def test_outcomes_are_parsed_once(text: str, kind: str, name: str | None) -> None:
    outcome = Outcome(text)
    assert (outcome.kind, outcome.name, outcome) == (kind, name, text)
    assert Outcome(outcome) is outcome
    assert pickle.loads(pickle.dumps(outcome)).kind == kind


@pytest.mark.parametrize("text", ["", "okay", "error:", "challenge", "warning:X"])
def test_a_malformed_outcome_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an outcome"):
        Outcome(text)


CONFIRMED = View("CONFIRMED", True, True, "tokens")


def test_differs_names_the_judged_fields_in_table_order() -> None:
    gone = View(None, None, None, "ok")
    assert CONFIRMED.differs(gone) == ["status", "enabled", "email_verified", "outcome"]
    assert CONFIRMED.differs(View("CONFIRMED", True, True, "tokens", message="x")) == []


def test_required_attributes_differ_only_between_answers_to_one_challenge() -> None:
    npr = "challenge:NEW_PASSWORD_REQUIRED"
    a = View("FORCE_CHANGE_PASSWORD", True, False, npr, ("userAttributes.email",))
    assert a.differs(View("FORCE_CHANGE_PASSWORD", True, False, npr, ())) == ["required_attributes"]
    assert a.differs(View("FORCE_CHANGE_PASSWORD", True, False, "tokens")) == ["outcome"]


def test_view_json_round_trip_and_mapping_reads() -> None:
    view = View("FORCE_CHANGE_PASSWORD", True, False, "challenge:NEW_PASSWORD_REQUIRED", ())
    assert View.from_dict(view.as_dict()) == view
    assert view["required_attributes"] == []  # as the JSON document reads
    assert view["outcome"] == "challenge:NEW_PASSWORD_REQUIRED"
    with pytest.raises(KeyError):
        view["no such field"]


def test_expectation_keeps_the_judged_order_and_finds_disagreements() -> None:
    expected = Expectation.of({"outcome": "ok", "status": "CONFIRMED"})
    assert list(expected) == ["status", "outcome"]
    assert expected.disagreeing(CONFIRMED) == ["outcome"]
    assert "status" in expected
    assert not Expectation()


def test_errors_carry_their_exit_codes() -> None:
    assert ScenarioError("x").exit_code is ExitCode.BAD_INPUT
    assert SettingsError("x").exit_code is ExitCode.BAD_INPUT
    assert BackendError("x").exit_code is ExitCode.BACKEND_ERROR
    assert NoScenarioError("x").exit_code is ExitCode.NO_SCENARIO
    assert not issubclass(SettingsError, BackendError)  # no except-order trap


def test_errors_name_settings_as_each_front_end_does() -> None:
    exc = SettingsError(f"needs {setting('pool_id')}; fix {option('region')}", "f.py", 3)
    assert str(exc) == "f.py:3: needs pool_id; fix region"
    assert exc.render(cli_name) == "f.py:3: needs --pool-id (or USER_POOL_ID); fix --region"
    assert exc.render(plugin_name) == (
        "f.py:3: needs --cognito-pool-id (or cognito_pool_id in the ini file, or"
        " USER_POOL_ID); fix --cognito-region"
    )


def test_a_transition_survives_its_record_line() -> None:
    before = UserState("CONFIRMED", True, True, True, Tokens.valid)
    one = step.initiate_auth(auth_flow="USER_SRP_AUTH")
    t = Transition(before, one, CONFIRMED, CONFIRMED, Verdict.match, before, index=3)
    back = Transition.from_record_line(t.record_line(Pool()))
    assert (back.before, back.step, back.observed, back.verdict, back.after) == (
        before,
        one,
        CONFIRMED,
        Verdict.match,
        before,
    )


def test_a_record_line_from_an_older_version_takes_defaults() -> None:
    """A state field or keyword a record lacks (written before it existed) matches as
    its default, so old records keep comparing with new runs."""
    line = {
        "state_before": {"status": None, "tokens": "none"},  # fields missing
        "operation": "admin_create_user",
        "params": {"email": True},  # keywords missing
        "observed": {"outcome": "ok"},
    }
    t = Transition.from_record_line(line)
    assert t.before == INITIAL
    assert t.step == step.admin_create_user()
    assert t.known == ("outcome",)

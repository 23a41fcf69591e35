"""The runner: judging one step (model, expectation, backend, known gaps), the
verdicts a scenario and a run add up to, and how a run ends (interrupt, backend error).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import DepartingBackend

from cognito_states.backends import BackendError
from cognito_states.gaps import KnownGap
from cognito_states.judge import Departure
from cognito_states.judge import judge as judge_views
from cognito_states.operations import Op
from cognito_states.rules import RULES, Rule
from cognito_states.runner import (
    Runner,
    RunResult,
    ScenarioResult,
)
from cognito_states.scenario import Pool, Scenario, step
from cognito_states.statuses import (
    Confidence,
    ExitCode,
    Verdict,
)
from cognito_states.views import Expectation, View

DOC_RULE = next(r for r in RULES if r.confidence is Confidence.DOC)
UNCONFIRMED_RULE = next(r for r in RULES if r.confidence is Confidence.UNCONFIRMED)
INFERRED_RULE = next(r for r in RULES if r.confidence is Confidence.INFERRED)

CONFIRMED = {"status": "CONFIRMED", "enabled": True, "email_verified": True, "outcome": "tokens"}
GAP = KnownGap("moto", ">=1", "get_user", {}, {"outcome": "tokens"}, {"outcome": "ok"}, "gap #1")


def judge(
    predicted: dict[str, Any],
    observed: dict[str, Any],
    expected: dict[str, Any],
    rule: Rule,
    lookup: Any,
    real: dict[str, Any] | None = None,
    left: Departure | None = None,
) -> Any:
    """judge.judge on views written as their JSON form."""
    return judge_views(
        View.from_dict(predicted),
        View.from_dict(observed),
        Expectation.of(expected),
        rule,
        lookup,
        View.from_dict(real) if real is not None else None,
        left,
    )


def differing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return View.from_dict(a).differs(View.from_dict(b))


def no_gap(pred: dict[str, Any], obs: dict[str, Any]) -> KnownGap | None:
    return None


class Lookup:
    """A gap lookup that records what it was asked."""

    def __init__(self, answer: KnownGap | None) -> None:
        self.answer = answer
        self.calls: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def __call__(self, pred: dict[str, Any], obs: dict[str, Any]) -> KnownGap | None:
        self.calls.append((pred, obs))
        return self.answer


# ------------------------------------------------------------------ judge


def test_judge_match() -> None:
    verdict = judge(CONFIRMED, dict(CONFIRMED), {"outcome": "tokens"}, DOC_RULE, no_gap)
    assert (verdict.verdict, verdict.note, verdict.gap) == (Verdict.match, "", None)


def test_judge_wrong_expectation() -> None:
    verdict = judge(CONFIRMED, dict(CONFIRMED), {"status": "RESET_REQUIRED"}, DOC_RULE, no_gap)
    assert verdict.verdict is Verdict.mismatch
    assert verdict.note == (
        "scenario expects status='RESET_REQUIRED' but the model predicts status='CONFIRMED':"
        " the model or the scenario is wrong"
    )


def test_judge_expectation_wins_over_a_known_gap() -> None:
    observed = CONFIRMED | {"outcome": "ok"}
    lookup = Lookup(GAP)
    verdict = judge(CONFIRMED, observed, {"outcome": "ok"}, DOC_RULE, lookup)
    assert verdict.verdict is Verdict.mismatch
    assert verdict.note.endswith(
        "(the backend agrees with the scenario): the model or the scenario is wrong"
    )


def test_judge_expectation_is_checked_against_the_real_path() -> None:
    """The expectation agrees with the model along the scenario's path (tokens); the
    backend, off that path since a known gap at step 3, answers what the model predicts
    from where it is: not a mismatch, and not a plain match either (never observed)."""
    here = CONFIRMED | {"outcome": "challenge:NEW_PASSWORD_REQUIRED", "required_attributes": []}
    left = Departure(3, Verdict.known_gap, GAP)
    verdict = judge(
        here, dict(here), {"outcome": "tokens"}, DOC_RULE, no_gap, real=CONFIRMED, left=left
    )
    assert verdict.verdict is Verdict.known_gap
    assert verdict.gap is GAP  # followable to its source, as the departure's own step
    assert verdict.note.endswith("left the scenario's path at step 3 (known-gap)")
    wrong = judge(here, dict(here), {"outcome": here["outcome"]}, DOC_RULE, no_gap, real=CONFIRMED)
    assert wrong.verdict is Verdict.mismatch


def test_judge_unsupported() -> None:
    observed = CONFIRMED | {"outcome": "unsupported"}
    verdict = judge(CONFIRMED, observed, {}, DOC_RULE, no_gap)
    assert verdict.verdict is Verdict.unsupported
    assert verdict.note == "the backend does not implement this operation"


def test_judge_known_gap_gets_only_the_differing_fields() -> None:
    observed = CONFIRMED | {"outcome": "ok"}
    lookup = Lookup(GAP)
    verdict = judge(CONFIRMED, observed, {}, DOC_RULE, lookup)
    assert lookup.calls == [({"outcome": "tokens"}, {"outcome": "ok"})]
    assert (verdict.verdict, verdict.note, verdict.gap) == (Verdict.known_gap, "gap #1", GAP)


def test_judge_mismatch_without_gap() -> None:
    observed = CONFIRMED | {"outcome": "ok", "enabled": False}
    verdict = judge(CONFIRMED, observed, {}, DOC_RULE, no_gap)
    assert verdict.verdict is Verdict.mismatch
    assert verdict.note == (
        "backend shows enabled=False, outcome='ok'; model predicts enabled=True, outcome='tokens'"
    )


@pytest.mark.parametrize("rule", [UNCONFIRMED_RULE, INFERRED_RULE], ids=["UNCONFIRMED", "INFERRED"])
def test_judge_mismatch_on_a_weak_rule_is_evidence(rule: Rule) -> None:
    observed = CONFIRMED | {"outcome": "ok"}
    verdict = judge(CONFIRMED, observed, {}, rule, no_gap)
    assert verdict.verdict is Verdict.mismatch
    assert verdict.note.endswith(
        f"; the rule is {rule.confidence}: this is evidence about real Cognito, not only a failure"
    )


def test_differing_compares_required_attributes_of_the_same_challenge_only() -> None:
    npr = "challenge:NEW_PASSWORD_REQUIRED"
    predicted = CONFIRMED | {"outcome": npr, "required_attributes": ["userAttributes.email"]}
    assert differing(predicted, predicted | {"required_attributes": []}) == ["required_attributes"]
    assert differing(predicted, predicted | {"outcome": "tokens"}) == ["outcome"]
    assert differing(CONFIRMED, CONFIRMED | {"status": None, "enabled": None}) == [
        "status",
        "enabled",
    ]
    assert differing(CONFIRMED, dict(CONFIRMED)) == []


def test_notes_spell_statuses_as_aws_does(run_model: Any) -> None:
    """A wrong expectation's note shows the model's status as a plain string, as the
    scenario wrote it, not as a Python enum repr."""
    result = run_model(
        [
            step.admin_create_user(),
            step.admin_set_user_password(permanent=True).expect(status="FORCE_CHANGE_PASSWORD"),
        ]
    )
    assert result.steps[1].verdict is Verdict.mismatch
    assert result.steps[1].note == (
        "scenario expects status='FORCE_CHANGE_PASSWORD' but the model predicts"
        " status='CONFIRMED': the model or the scenario is wrong"
    )


def test_departure_note_spells_statuses_as_aws_does() -> None:
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    steps = [step.admin_create_user(), step.admin_set_user_password(permanent=True)]
    result = Runner(backend).run_one(Scenario("departs", steps=steps))
    assert result.steps[1].note == (
        "backend shows status='FORCE_CHANGE_PASSWORD'; model predicts status='CONFIRMED'"
    )


# ------------------------------------------------------------------ results


def _result(*verdicts: Verdict, error: str | None = None, strict: bool = False) -> ScenarioResult:
    scenario = Scenario("r", steps=[step.get_user()])
    backend = DepartingBackend(at=0)
    base = Runner(backend).run_one(scenario).steps[0]
    from dataclasses import replace

    steps = tuple(replace(base, index=i, verdict=v) for i, v in enumerate(verdicts, 1))
    return ScenarioResult(scenario, steps, error, strict=strict)


def test_scenario_passed_and_strict() -> None:
    assert _result(Verdict.match, Verdict.skipped).passed is True
    assert _result(Verdict.match, Verdict.mismatch).passed is False
    assert _result(Verdict.match, Verdict.known_gap).passed is True
    assert _result(Verdict.match, Verdict.known_gap, strict=True).passed is False
    assert _result(Verdict.unsupported).passed is True
    assert _result(Verdict.unsupported, strict=True).passed is False
    assert _result(Verdict.match, error="boom").passed is False
    assert _result(Verdict.skipped, strict=True).passed is True


def test_scenario_failures_and_known_gaps() -> None:
    result = _result(Verdict.match, Verdict.known_gap, Verdict.mismatch, Verdict.unsupported)
    assert [s.index for s in result.failures] == [3]
    assert [s.index for s in result.known_gaps] == [2]
    strict = _result(
        Verdict.match, Verdict.known_gap, Verdict.mismatch, Verdict.unsupported, strict=True
    )
    assert [s.index for s in strict.failures] == [2, 3, 4]


def test_a_runner_gives_its_strictness_to_each_result() -> None:
    scenario = Scenario("r", steps=[step.get_user()])
    assert Runner(DepartingBackend(at=0), strict=True).run_one(scenario).strict is True
    assert Runner(DepartingBackend(at=0)).run_one(scenario).strict is False


def test_the_repr_is_short_and_names_the_first_failure() -> None:
    result = _result(Verdict.match, Verdict.mismatch, Verdict.mismatch)
    assert repr(result) == (
        "<ScenarioResult 'r' failed: 1 match, 2 mismatch;"
        " first failure: step 2 get_user() mismatch>"
    )
    assert repr(_result(Verdict.match, error="gone")) == (
        "<ScenarioResult 'r' error: 1 match; stopped: gone>"
    )


def test_scenario_counts() -> None:
    counts = _result(Verdict.match, Verdict.match, Verdict.known_gap).counts()
    assert counts == {"match": 2, "mismatch": 0, "known-gap": 1, "unsupported": 0, "skipped": 0}


@pytest.mark.parametrize(
    ("results", "strict", "interrupted", "code"),
    [
        ([], False, False, ExitCode.OK),
        ([(Verdict.match,)], False, False, ExitCode.OK),
        ([(Verdict.known_gap,)], False, False, ExitCode.OK),
        ([(Verdict.known_gap,)], True, False, ExitCode.MISMATCH),
        ([(Verdict.match,), (Verdict.mismatch,)], False, False, ExitCode.MISMATCH),
        ([(Verdict.mismatch,), "error"], False, False, ExitCode.BACKEND_ERROR),
        ([(Verdict.mismatch,), "error"], False, True, ExitCode.INTERRUPTED),
    ],
    ids=["empty", "match", "gap", "gap-strict", "mismatch", "error-beats-mismatch", "interrupt"],
)
def test_run_exit_code(results: list[Any], strict: bool, interrupted: bool, code: ExitCode) -> None:
    run = RunResult("x", {}, strict=strict, interrupted=interrupted)
    for item in results:
        run.scenarios.append(
            _result(Verdict.match, error="boom")
            if item == "error"
            else _result(*item, strict=strict)
        )
    assert run.exit_code is code


def test_run_counts_add_up() -> None:
    run = RunResult("x", {})
    run.scenarios += [_result(Verdict.match, Verdict.known_gap), _result(Verdict.mismatch)]
    assert run.counts() == {
        "match": 1,
        "mismatch": 1,
        "known-gap": 1,
        "unsupported": 0,
        "skipped": 0,
    }


def test_step_as_dict(run_model: Any) -> None:
    result = run_model([step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD")])
    data = result.steps[0].as_step_dict()
    assert data["index"] == 1
    assert data["operation"] == "admin_create_user"
    assert data["params"] == {
        "email": True,
        "email_verified": None,
        "message_action": None,
        "phone": False,
        "phone_verified": None,
    }
    assert data["expected"] == {"status": "FORCE_CHANGE_PASSWORD"}
    assert data["verdict"] == "match"
    assert data["state_before"]["status"] is None
    assert data["rule"]["confidence"] == "DOC"


# ------------------------------------------------------------------ the run


class Interrupting(DepartingBackend):  # type: ignore[misc, valid-type]
    """Ctrl-C arrives during step ``at`` of the second scenario."""

    def user(self, pool: Pool, label: str) -> Any:
        user = super().user(pool, label)
        if len(self.users) == 2:
            inner_act = user.act

            def act(one: Any) -> Any:
                if user.acted + 1 == self.at:
                    raise KeyboardInterrupt
                return inner_act(one)

            user.act = act
        return user


def test_interrupt_stops_the_run_and_closes_the_user() -> None:
    backend = Interrupting(at=2)
    scenarios = [
        Scenario("one", steps=[step.admin_create_user()]),
        Scenario("two", steps=[step.admin_create_user(), step.get_user()]),
        Scenario("three", steps=[step.admin_create_user()]),
    ]
    seen: list[str] = []
    run = Runner(backend).run(scenarios, on_scenario=lambda r: seen.append(r.scenario.name))
    assert run.interrupted
    assert run.exit_code is ExitCode.INTERRUPTED
    # The scenario the interrupt cut short is kept, with the step that ran.
    assert [r.scenario.name for r in run.scenarios] == ["one", "two"] == seen
    assert run.scenarios[1].error == "interrupted"
    assert [s.step.op for s in run.scenarios[1].steps] == [Op.admin_create_user]
    assert len(backend.users) == 2
    assert all(user.closed for user in backend.users)


class Failing(DepartingBackend):  # type: ignore[misc, valid-type]
    def user(self, pool: Pool, label: str) -> Any:
        user = super().user(pool, label)
        inner_act = user.act

        def act(one: Any) -> Any:
            if user.acted + 1 == self.at:
                raise BackendError("connection reset")
            return inner_act(one)

        user.act = act
        return user


def test_backend_error_stops_the_scenario_not_the_run() -> None:
    backend = Failing(at=2)
    scenarios = [
        Scenario("one", steps=[step.admin_create_user(), step.get_user(), step.get_user()]),
        Scenario("two", steps=[step.admin_create_user()]),
    ]
    run = Runner(backend).run(scenarios)
    first, second = run.scenarios
    assert first.error == "connection reset"
    assert [s.index for s in first.steps] == [1]
    assert second.error is None
    assert run.exit_code is ExitCode.BACKEND_ERROR
    assert all(user.closed for user in backend.users)


def test_on_step_sees_every_step_in_order(model_backend: Any) -> None:
    seen: list[tuple[str, int]] = []
    scenario = Scenario("cb", steps=[step.admin_create_user(), step.get_user()])
    Runner(model_backend).run_one(
        scenario, on_step=lambda s, *rest: seen.append((s.name, rest[-1].index))
    )
    assert seen == [("cb", 1), ("cb", 2)]


def test_an_expectation_the_backend_never_showed_does_not_pass() -> None:
    """After a step the backend does not implement, the backend is off the scenario's
    path: a later step the backend answers as the model predicts from where it really is,
    but not as the scenario expects, shares the earlier verdict and says why."""
    alive = {"status": "CONFIRMED", "enabled": True, "email_verified": False, "has_email": True}
    backend = DepartingBackend(at=4, outcome="unsupported", changes=alive)
    backend.open()
    result = Runner(backend).run_one(
        Scenario(
            "deleted",
            steps=[
                step.admin_create_user(),
                step.admin_set_user_password(permanent=True),
                step.initiate_auth(),
                step.admin_delete_user(),  # the backend does not delete: unsupported
                step.admin_initiate_auth().expect(outcome="error:UserNotFoundException"),
                step.admin_initiate_auth(),  # no expectation: the model's own, matched
            ],
        )
    )
    verdicts = [str(s.verdict) for s in result.steps]
    assert verdicts == ["match", "match", "match", "unsupported", "unsupported", "match"]
    assert result.steps[4].note == (
        "scenario expects outcome='error:UserNotFoundException', backend shows"
        " outcome='tokens': not observed, because the backend left the scenario's path at"
        " step 4 (unsupported)"
    )


def test_a_later_unobserved_expectation_after_a_mismatch_is_a_mismatch() -> None:
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    backend.open()
    result = Runner(backend).run_one(
        Scenario(
            "stays temporary",
            steps=[
                step.admin_create_user(),
                step.admin_set_user_password(permanent=True),
                step.admin_initiate_auth().expect(outcome="tokens"),
            ],
        )
    )
    assert [str(s.verdict) for s in result.steps] == ["match", "mismatch", "mismatch"]
    assert result.steps[2].note.endswith("left the scenario's path at step 2 (mismatch)")
    assert result.passed is False


@pytest.mark.parametrize("strict", [False, True])
def test_passed_is_what_the_json_says(strict: bool) -> None:
    run = RunResult("x", {}, strict=strict)
    for verdicts in [(Verdict.match,), (Verdict.known_gap,), (Verdict.mismatch,)]:
        run.scenarios.append(_result(*verdicts, strict=strict))
    doc = run.as_dict()
    assert [s["passed"] for s in doc["scenarios"]] == [r.passed for r in run.scenarios]
    assert [s["passed"] for s in doc["scenarios"]] == [True, not strict, False]

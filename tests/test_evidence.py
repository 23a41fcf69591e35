"""The evidence review's findings, one test each, named after its id: E1-E5 (the model
was wrong), D1-D3 (sources disagree), C1-C11 (evidence stronger than the tag was). Each
is a scenario whose last step expects what the finding says real Cognito does, run with
`cognito-states run --backend model`; the rule that decides it cites the finding, with
the confidence the evidence allows and real Cognito's message where the review gives it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_diff import capture

NOT_AUTH = "error:NotAuthorizedException"
NOT_FOUND = "error:UserNotFoundException"
RESET = "error:PasswordResetRequiredException"
CONFIRMED_USER = [
    "step.admin_create_user(email_verified=True)",
    "step.admin_set_user_password(permanent=True)",
]
SIGNED_IN = [*CONFIRMED_USER, 'step.initiate_auth(auth_flow="USER_PASSWORD_AUTH")']


@dataclass(frozen=True)
class Check:
    """A scenario whose last step shows the finding: its rule's confidence and message."""

    steps: list[str]
    expect: str  # the last step's .expect(...) keywords
    confidence: str
    message: str | None = None
    pool: str = "Pool()"
    alternative: str | None = None  # a DISPUTED rule's other outcome
    cites: str | None = None  # the source id the rule must cite (default: the finding's)


@dataclass(frozen=True)
class Finding:
    id: str
    what: str
    checks: list[Check]


FINDINGS = [
    Finding(
        "E1",
        "AdminResetUserPassword-without-verified-email",
        [
            Check(
                ["step.admin_create_user()", "step.admin_set_user_password(permanent=True)"],
                "step.admin_reset_user_password().expect("
                'outcome="error:InvalidParameterException", status="CONFIRMED")',
                "OBS",
                "Cannot reset password for the user as there is no registered/verified email"
                " or phone_number",
            )
        ],
    ),
    Finding(
        "E2",
        "refresh-after-AdminResetUserPassword",
        [
            Check(
                [*SIGNED_IN, "step.admin_reset_user_password()"],
                'step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect('
                f'outcome="{RESET}", status="RESET_REQUIRED")',
                "OBS",
                "Password reset required for the user",
            )
        ],
    ),
    Finding(
        "E3",
        "tokens-of-a-deleted-user",
        [
            Check(
                [*SIGNED_IN, "step.admin_delete_user()"],
                f'step.get_user().expect(outcome="{NOT_FOUND}", status=None)',
                "OBS",
                "User does not exist.",
                'Pool(prevent_user_existence_errors="LEGACY")',
            ),
            Check(
                [*SIGNED_IN, "step.admin_delete_user()"],
                'step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect('
                f'outcome="{NOT_FOUND}", status=None)',
                "OBS",
                "User does not exist.",
                'Pool(prevent_user_existence_errors="LEGACY")',
            ),
            # Under ENABLED there is no evidence: what the model assumes, tagged so.
            Check(
                [*SIGNED_IN, "step.admin_delete_user()"],
                f'step.get_user().expect(outcome="{NOT_FOUND}", status=None)',
                "INFERRED",
                "User does not exist.",
                'Pool(prevent_user_existence_errors="ENABLED")',
            ),
            Check(
                [*SIGNED_IN, "step.admin_delete_user()"],
                'step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect('
                f'outcome="{NOT_AUTH}", status=None)',
                "INFERRED",
                pool='Pool(prevent_user_existence_errors="ENABLED")',
            ),
        ],
    ),
    Finding(
        "E4",
        "ForgotPassword-in-FORCE_CHANGE_PASSWORD-by-setting",
        [
            Check(
                ["step.admin_create_user(email_verified=True)"],
                f'step.forgot_password().expect(outcome="{NOT_AUTH}",'
                ' status="FORCE_CHANGE_PASSWORD")',
                "OBS",
                "User password cannot be reset in the current state.",
                'Pool(prevent_user_existence_errors="LEGACY")',
            ),
            Check(
                ["step.admin_create_user(email_verified=True)"],
                'step.forgot_password().expect(outcome="ok", status="FORCE_CHANGE_PASSWORD")',
                "OBS",
                pool='Pool(prevent_user_existence_errors="ENABLED")',
            ),
            # ENABLED's answer was simulated: no code was sent, so none can be confirmed.
            Check(
                ["step.admin_create_user(email_verified=True)", "step.forgot_password()"],
                "step.confirm_forgot_password().expect("
                'outcome="error:ExpiredCodeException", status="FORCE_CHANGE_PASSWORD")',
                "DOC",
                pool='Pool(prevent_user_existence_errors="ENABLED")',
                cites="S5",
            ),
        ],
    ),
    Finding(
        "E5",
        "AdminResetUserPassword-sends-a-code",
        [
            Check(
                [*CONFIRMED_USER, "step.admin_reset_user_password()"],
                "step.confirm_forgot_password(wrong_code=True).expect("
                'outcome="error:CodeMismatchException", status="RESET_REQUIRED")',
                "DOC",
            ),
            Check(
                [*CONFIRMED_USER, "step.admin_reset_user_password()"],
                'step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED")',
                "DOC",
            ),
        ],
    ),
    Finding(
        "D1",
        "RESET_REQUIRED-sign-in-ENABLED",
        [
            # The documented side, and the side AWS's test saw: either passes.
            Check(
                [*CONFIRMED_USER, "step.admin_reset_user_password()"],
                f'step.initiate_auth().expect(outcome="{expected}", status="RESET_REQUIRED")',
                "DISPUTED",
                pool='Pool(prevent_user_existence_errors="ENABLED")',
                alternative=RESET,
            )
            for expected in (NOT_AUTH, RESET)
        ]
        + [
            Check(
                [*CONFIRMED_USER, "step.admin_reset_user_password()"],
                f'step.admin_initiate_auth().expect(outcome="{RESET}")',
                "DISPUTED",
                pool='Pool(prevent_user_existence_errors="ENABLED")',
                alternative=RESET,
            )
        ],
    ),
    Finding(
        "D2",
        "ForgotPassword-disabled-LEGACY",
        [
            Check(
                [*CONFIRMED_USER, "step.admin_disable_user()"],
                f'step.forgot_password().expect(outcome="{expected}", enabled=False)',
                "DISPUTED",
                "User is disabled.",
                'Pool(prevent_user_existence_errors="LEGACY")',
                alternative="error:ResourceNotFoundException",
            )
            for expected in (NOT_AUTH, "error:ResourceNotFoundException")
        ],
    ),
    Finding(
        "D3",
        "UNCONFIRMED-wrong-password",
        [
            Check(
                ["step.sign_up()"],
                "step.initiate_auth(wrong_password=True).expect("
                'outcome="error:UserNotConfirmedException", status="UNCONFIRMED")',
                "OBS",
                pool='Pool(auto_verified_attributes=["email"])',
            )
        ],
    ),
    Finding(
        "C1",
        "revoked-tokens",
        [
            *(
                Check(
                    [*SIGNED_IN, "step.global_sign_out()"],
                    f'step.{call}.expect(outcome="{NOT_AUTH}", status="CONFIRMED")',
                    "DOC",
                    "Access Token has been revoked",
                )
                for call in ("get_user()", "global_sign_out()", "change_password()")
            ),
            Check(
                [*SIGNED_IN, "step.global_sign_out()"],
                f'step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(outcome="{NOT_AUTH}")',
                "DOC",
                "Refresh Token has been revoked",
            ),
        ],
    ),
    Finding(
        "C2",
        "unknown-user-LEGACY",
        [
            Check(
                [],
                f'step.{call}.expect(outcome="{NOT_FOUND}", status=None)',
                "DOC",
                "User does not exist.",
                'Pool(prevent_user_existence_errors="LEGACY")',
            )
            for call in (
                "confirm_sign_up()",
                "resend_confirmation_code()",
                "confirm_forgot_password()",
            )
        ],
    ),
    Finding(
        "C3",
        "AdminResetUserPassword-in-FORCE_CHANGE_PASSWORD",
        [
            Check(
                ["step.admin_create_user(email_verified=True)"],
                f'step.admin_reset_user_password().expect(outcome="{NOT_AUTH}",'
                ' status="FORCE_CHANGE_PASSWORD")',
                "OBS",
                "User password cannot be reset in the current state.",
            )
        ],
    ),
    Finding(
        "C4",
        "GetUser-after-AdminResetUserPassword",
        [
            Check(
                [*SIGNED_IN, "step.admin_reset_user_password()"],
                f'step.get_user().expect(outcome="{RESET}", status="RESET_REQUIRED")',
                "OBS",
                "Password reset required for the user",
            )
        ],
    ),
    Finding(
        "C5",
        "AdminConfirmSignUp-CONFIRMED",
        [
            Check(
                CONFIRMED_USER,
                f'step.admin_confirm_sign_up().expect(outcome="{NOT_AUTH}", status="CONFIRMED")',
                "OBS",
                "User cannot be confirmed. Current status is CONFIRMED",
            )
        ],
    ),
    Finding(
        "C6",
        "ConfirmSignUp-not-UNCONFIRMED",
        [
            Check(
                ["step.sign_up()", "step.confirm_sign_up()"],
                f'step.confirm_sign_up().expect(outcome="{NOT_AUTH}", status="CONFIRMED")',
                "OBS",
                "User cannot be confirmed. Current status is CONFIRMED",
                'Pool(auto_verified_attributes=["email"])',
            ),
            Check(
                ["step.admin_create_user()"],
                f'step.confirm_sign_up().expect(outcome="{NOT_AUTH}",'
                ' status="FORCE_CHANGE_PASSWORD")',
                "OBS",
                "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
            ),
        ],
    ),
    Finding(
        "C7",
        "RESEND-CONFIRMED",
        [
            Check(
                CONFIRMED_USER,
                'step.admin_create_user(message_action="RESEND").expect('
                'outcome="error:UnsupportedUserStateException", status="CONFIRMED")',
                "OBS",
            )
        ],
    ),
    Finding(
        "C8",
        "flow-not-enabled",
        [
            Check(
                CONFIRMED_USER,
                'step.admin_initiate_auth().expect(outcome="error:InvalidParameterException")',
                "OBS",
                "Auth flow not enabled for this client",
                'Pool(auth_flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])',
            ),
            Check(
                CONFIRMED_USER,
                'step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect('
                'outcome="error:InvalidParameterException")',
                "OBS",
                "USER_PASSWORD_AUTH flow not enabled for this client",
                'Pool(auth_flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])',
            ),
        ],
    ),
    Finding(
        "C9",
        "AdminSetUserPassword-on-RESET_REQUIRED",
        [
            Check(
                [*CONFIRMED_USER, "step.admin_reset_user_password()"],
                f"step.admin_set_user_password(permanent={permanent}).expect("
                f'outcome="ok", status="{status}")',
                "DOC",
            )
            for permanent, status in ((True, "CONFIRMED"), (False, "FORCE_CHANGE_PASSWORD"))
        ],
    ),
    Finding(
        "C10",
        "ForgotPassword-keeps-the-status",
        [
            Check(
                CONFIRMED_USER,
                'step.forgot_password().expect(outcome="ok", status="CONFIRMED")',
                "OBS",
            )
        ],
    ),
    Finding(
        "C11",
        "ResendConfirmationCode-confirmed-LEGACY",
        [
            Check(
                ["step.sign_up()", "step.admin_confirm_sign_up()"],
                "step.resend_confirmation_code().expect("
                'outcome="error:InvalidParameterException", status="CONFIRMED")',
                "OBS",
                "User is already confirmed.",
                'Pool(auto_verified_attributes=["email"])',
            )
        ],
    ),
]


def _scenario_file(finding: Finding, write: Callable[[str, str], Path]) -> Path:
    """One scenario per check, in the scenario language."""
    blocks = []
    for n, check in enumerate(finding.checks):
        steps = "".join(f"        {s},\n" for s in [*check.steps, check.expect])
        blocks.append(
            f"S{n} = Scenario(\n    {finding.id + '-' + str(n)!r},\n    pool={check.pool},\n"
            f"    steps=[\n{steps}    ],\n)\n"
        )
    text = "from cognito_states import Pool, Scenario, step\n\n" + "\n".join(blocks)
    return write(f"{finding.id}.py", text)


def test_every_finding_of_sections_1_to_3_has_a_test() -> None:
    expected = [f"E{n}" for n in range(1, 6)] + [f"D{n}" for n in range(1, 4)]
    expected += [f"C{n}" for n in range(1, 12)]
    assert [f.id for f in FINDINGS] == expected


@pytest.mark.parametrize("finding", FINDINGS, ids=[f"{f.id}-{f.what}" for f in FINDINGS])
def test_finding_on_the_model(finding: Finding, write: Callable[[str, str], Path]) -> None:
    path = _scenario_file(finding, write)
    code, out, err = capture("run", str(path), "--backend", "model", "--json")
    assert (code, err) == (0, ""), out
    doc: dict[str, Any] = json.loads(out)
    assert len(doc["scenarios"]) == len(finding.checks)
    for check, scenario in zip(finding.checks, doc["scenarios"], strict=True):
        assert [s["verdict"] for s in scenario["steps"]] == ["match"] * len(scenario["steps"])
        last = scenario["steps"][-1]
        assert last["expected"], "the finding's step states what it expects"
        rule = last["rule"]
        cites = check.cites or finding.id
        assert cites in rule["sources"], (rule, cites)
        assert doc["sources"][cites]["url"].startswith("https://")
        assert rule["confidence"] == check.confidence
        assert last["predicted"].get("message") == check.message
        alternative = rule["alternative"]
        assert (alternative["outcome"] if alternative else None) == check.alternative
        if check.alternative is not None:
            # Either side passes; the note says which side this backend took.
            assert f"disputed {finding.id}: the backend answered" in last["note"]
            if last["expected"]["outcome"] == check.alternative:
                assert "either outcome passes" in last["note"]


def test_d3_rule_notes_the_minority() -> None:
    from cognito_states.rules import RULES

    rule = next(r for r in RULES if "D3" in r.sources)
    assert "three reports" in rule.note
    assert "NotAuthorizedException" in rule.note


# ------------------------------------------------------------------ DISPUTED in the judge


def _d1_on(kind: str, expected: str | None = None, outcome: str = RESET) -> Any:
    """D1's four steps on a backend that answers the last with ``outcome`` (by default
    the side AWS's test saw); the last step's transition."""
    from conftest import DepartingBackend

    from cognito_states.runner import Runner
    from cognito_states.scenario import Pool, Scenario, step

    sign_in = step.initiate_auth()
    steps = [
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.admin_reset_user_password(),
        sign_in if expected is None else sign_in.expect(outcome=expected),
    ]
    backend = DepartingBackend(at=4, outcome=outcome)
    backend.kind = kind
    pool = Pool(prevent_user_existence_errors="ENABLED")
    return Runner(backend).run_one(Scenario("d1", pool=pool, steps=steps)).steps[-1]


def test_an_observation_equal_to_the_alternative_is_a_match_saying_which_side() -> None:
    last = _d1_on("departing")
    assert last.rule.confidence == "DISPUTED"
    assert last.predicted.outcome == NOT_AUTH  # the model predicts the documented side
    assert last.observed.outcome == RESET
    assert last.verdict == "match"
    assert last.note == (
        "disputed D1: the backend answered error:PasswordResetRequiredException (D1),"
        " not error:NotAuthorizedException (S5, S13)"
    )


def test_on_the_aws_backend_the_note_says_it_settles_the_dispute() -> None:
    last = _d1_on("aws")
    assert last.verdict == "match"
    assert last.note.endswith(
        "; on a real pool this settles D1: real Cognito answers"
        " error:PasswordResetRequiredException (D1)"
    )


def test_a_scenario_expecting_the_alternative_passes_and_says_so() -> None:
    last = _d1_on("departing", expected=RESET)
    assert last.verdict == "match"
    assert "the scenario expects error:PasswordResetRequiredException" in last.note


def test_an_outcome_neither_side_names_is_still_a_mismatch() -> None:
    last = _d1_on("departing", outcome="tokens")
    assert last.verdict == "mismatch"
    assert "the rule is DISPUTED" in last.note


# ------------------------------------------------------------------ messages


def _view(outcome: str, message: str | None) -> Any:
    from cognito_states.views import View

    return View("CONFIRMED", True, True, outcome, None, message)


def test_a_different_message_alone_is_a_match_with_both_in_the_note() -> None:
    from cognito_states.judge import judge
    from cognito_states.rules import RULES
    from cognito_states.views import Expectation

    rule = next(r for r in RULES if r.message == "Access Token has been revoked")
    predicted = _view(NOT_AUTH, "Access Token has been revoked")
    observed = _view(NOT_AUTH, "Invalid token")
    assert predicted.differs(observed) == []
    result = judge(predicted, observed, Expectation(), rule, lambda p, o: None)
    assert result.verdict == "match"
    assert (
        result.note
        == 'message: backend "Invalid token", real Cognito "Access Token has been revoked"'
    )
    same = judge(
        predicted, _view(NOT_AUTH, predicted.message), Expectation(), rule, lambda p, o: None
    )
    assert (same.verdict, same.note) == ("match", "")


def test_a_mismatch_shows_the_messages_too() -> None:
    from cognito_states.judge import judge
    from cognito_states.rules import RULES
    from cognito_states.views import Expectation

    rule = next(r for r in RULES if r.message == "Access Token has been revoked")
    observed = _view(NOT_FOUND, "User does not exist.")
    result = judge(_view(NOT_AUTH, rule.message), observed, Expectation(), rule, lambda p, o: None)
    assert result.verdict == "mismatch"
    assert result.note.endswith(
        'message: backend "User does not exist.", real Cognito "Access Token has been revoked"'
    )


def test_run_json_and_records_carry_both_messages(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    """On moto a revoked token's GetUser says "Invalid token" (moto-21): the step is a
    match, and JSON, the record and the notes show both wordings."""
    path = write(
        "revoked.py",
        """
        from cognito_states import Pool, Scenario, step

        SCENARIO = Scenario("revoked", pool=Pool(), steps=[
            step.admin_create_user(),
            step.admin_set_user_password(permanent=True),
            step.initiate_auth(),
            step.global_sign_out(),
            step.get_user().expect(outcome="error:NotAuthorizedException"),
        ])
        """,
    )
    record = tmp_path / "run.jsonl"
    code, out, _ = capture("run", str(path), "--json", "--record", str(record))
    assert code == 0
    last = json.loads(out)["scenarios"][0]["steps"][-1]
    assert last["verdict"] == "match"
    assert last["predicted"]["message"] == "Access Token has been revoked"
    assert last["observed"]["message"] == "Invalid token"
    assert 'backend "Invalid token"' in last["note"]
    line = json.loads(record.read_text(encoding="utf-8").splitlines()[-1])
    assert (line["predicted"]["message"], line["observed"]["message"]) == (
        "Access Token has been revoked",
        "Invalid token",
    )
    code, text, _ = capture("run", str(path))
    assert 'note message: backend "Invalid token", real Cognito' in text  # step 5's block


def test_diff_never_counts_a_message(tmp_path: Path) -> None:
    from test_diff import line, write_record

    from cognito_states.diff import diff_records
    from cognito_states.record import read_record

    observed = {"outcome": NOT_AUTH, "status": "CONFIRMED"}
    a = write_record(tmp_path / "a.jsonl", line("get_user", {**observed, "message": "x"}))
    b = write_record(tmp_path / "b.jsonl", line("get_user", {**observed, "message": "y"}))
    result = diff_records(read_record(a), read_record(b))
    assert (result.compared, result.changed, result.differ) == (1, [], False)

"""Phone numbers and MFA: the model's MFA challenges, TOTP set-up and preferences,
account recovery by phone, TOTP codes with pyotp, the moto backend's TOTP setting, the
README's table of MFA rules, and the default pool left as it was."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest

from cognito_states.explore import count_pairs, count_texts
from cognito_states.generate import README
from cognito_states.model import INITIAL, CognitoModel, UserState, recovery
from cognito_states.operations import SPEC, Op
from cognito_states.rules import RULES
from cognito_states.runner import Runner, planned_texts
from cognito_states.scenario import (
    Pool,
    Scenario,
    ScenarioError,
    all_variants,
    load_scenarios,
    shipped_scenarios_path,
    step,
    step_variants,
)
from cognito_states.statuses import Status, Tokens, Verdict
from cognito_states.totp import totp_code
from cognito_states.views import View

CONF, FCP = Status.CONFIRMED, Status.FORCE_CHANGE_PASSWORD
TOTP, SMS = "SOFTWARE_TOKEN_MFA", "SMS_MFA"
ON = Pool(mfa="ON", mfa_methods=[TOTP])
OPTIONAL_BOTH = Pool(mfa="OPTIONAL", mfa_methods=[TOTP, SMS])
PHONE = Pool(username_attributes=["phone_number"], auto_verified_attributes=["phone_number"])
SIGNED_IN = UserState(CONF, True, True, True, Tokens.valid)
NEW_NAMES = (
    "mfa_setup_totp",
    "mfa_optional_signed_in",
    "phone_username_auto_verified",
    "forgot_password_verified_phone",
    "sms_mfa_optional",
)


def predict(pool: Pool, state: UserState, one: Any) -> Any:
    return CognitoModel(pool).predict(state, one)


def outcomes(pool: Pool, steps: list[Any], state: UserState = INITIAL) -> list[str]:
    model = CognitoModel(pool)
    seen = []
    for one in steps:
        p = model.predict(state, one)
        seen.append(str(p.outcome))
        state = p.state
    return seen


# ---------------------------------------------------------------- the default pool


def test_the_default_pool_is_left_as_it_was() -> None:
    """MFA off, e-mail only: no MFA operation nor phone keyword is tried, so explore's
    pair count (and baseline) stays what it was before phone numbers and MFA."""
    variants = all_variants()
    assert variants == all_variants(Pool())
    assert len(variants) == 42
    assert count_pairs(Pool()) == 11_340
    tried = {v.op for v in variants}
    assert not tried & {
        Op.associate_software_token,
        Op.verify_software_token,
        Op.set_user_mfa_preference,
        Op.admin_set_user_mfa_preference,
    }
    assert all(
        not {"phone", "phone_verified", "new_phone", "wrong_code", "mfa_type"}
        & dict(v.params).keys()
        or v.op in (Op.confirm_sign_up, Op.confirm_forgot_password, Op.verify_user_attribute)
        for v in variants
    )
    assert not any(dict(v.params).get("attribute") == "phone_number" for v in variants)


def test_an_mfa_pool_tries_the_mfa_operations_and_keywords() -> None:
    ops = {v.op for v in all_variants(OPTIONAL_BOTH)}
    assert {Op.associate_software_token, Op.set_user_mfa_preference} <= ops
    respond = step_variants(Op.respond_to_auth_challenge, OPTIONAL_BOTH)
    assert [v.params for v in respond] == [(), (("wrong_code", True),), (("mfa_type", "sms"),)]
    # TOTP only: no SMS keyword is tried, and SELECT_MFA_TYPE cannot arise
    prefs = step_variants(Op.set_user_mfa_preference, ON)
    assert all(
        "sms" not in dict(v.params) and dict(v.params).get("preferred") != "sms" for v in prefs
    )
    assert step_variants(Op.respond_to_auth_challenge, ON)[-1].params == (("wrong_code", True),)


# ---------------------------------------------------------------- sign-in and MFA


def test_sign_in_with_mfa_required_and_no_method_answers_mfa_setup() -> None:
    confirmed = UserState(CONF, True, True, True)
    for one in (step.admin_initiate_auth(), step.initiate_auth()):
        p = predict(ON, confirmed, one)
        assert p.outcome == "challenge:MFA_SETUP"
        assert p.state.challenge == "MFA_SETUP"
        assert p.rule.confidence == "DOC"
    # the same user with MFA optional: tokens (S1 SetUserPoolMfaConfig)
    optional = Pool(mfa="OPTIONAL", mfa_methods=[TOTP])
    assert predict(optional, confirmed, step.initiate_auth()).outcome == "tokens"
    # MFA off: as before
    assert predict(Pool(), confirmed, step.initiate_auth()).outcome == "tokens"


def test_the_new_password_answer_is_followed_by_mfa() -> None:
    assert outcomes(
        ON,
        [
            step.admin_create_user(),
            step.admin_initiate_auth(),
            step.admin_respond_to_auth_challenge(),
        ],
    ) == ["ok", "challenge:NEW_PASSWORD_REQUIRED", "challenge:MFA_SETUP"]


@pytest.mark.parametrize(
    ("methods", "preferred", "challenge"),
    [
        ((TOTP,), None, TOTP),
        ((SMS,), None, SMS),
        ((SMS, TOTP), None, "SELECT_MFA_TYPE"),
        ((SMS, TOTP), TOTP, TOTP),
        ((SMS, TOTP), SMS, SMS),
    ],
)
def test_methods_turned_on_decide_the_challenge(
    methods: tuple[str, ...], preferred: str | None, challenge: str
) -> None:
    user = UserState(
        CONF, True, True, True, has_phone=True, phone_number_verified=False,
        mfa_methods=methods, preferred_mfa=preferred, totp_verified=TOTP in methods,
    )  # fmt: skip
    assert predict(OPTIONAL_BOTH, user, step.initiate_auth()).outcome == f"challenge:{challenge}"


def test_mfa_required_with_sms_texts_a_user_with_a_phone_number() -> None:
    pool = Pool(mfa="ON", mfa_methods=[TOTP, SMS])
    with_phone = UserState(CONF, True, True, True, has_phone=True, phone_number_verified=False)
    p = predict(pool, with_phone, step.initiate_auth())
    assert (p.outcome, p.rule.confidence, p.rule.source) == ("challenge:SMS_MFA", "OBS", "I23, S18")
    assert CognitoModel(pool).texts(with_phone, step.initiate_auth())
    without = UserState(CONF, True, True, True)
    assert predict(pool, without, step.initiate_auth()).outcome == "challenge:MFA_SETUP"
    sms_only = Pool(mfa="ON", mfa_methods=[SMS])
    assert predict(sms_only, without, step.initiate_auth()).rule.confidence == "UNCONFIRMED"


def test_mfa_answers() -> None:
    both = replace_state(
        UserState(CONF, True, True, True),
        has_phone=True,
        phone_number_verified=False,
        mfa_methods=(SMS, TOTP),
    )
    select = replace_state(both, challenge="SELECT_MFA_TYPE")
    chose = predict(OPTIONAL_BOTH, select, step.respond_to_auth_challenge(mfa_type="sms"))
    assert chose.outcome == "challenge:SMS_MFA"
    default = predict(OPTIONAL_BOTH, select, step.respond_to_auth_challenge())
    assert default.outcome == "challenge:SOFTWARE_TOKEN_MFA"
    texted = replace_state(both, challenge=SMS)
    right = predict(OPTIONAL_BOTH, texted, step.admin_respond_to_auth_challenge())
    assert right.outcome == "tokens"
    assert right.state.phone_number_verified is True  # S18, S20
    wrong = predict(OPTIONAL_BOTH, texted, step.respond_to_auth_challenge(wrong_code=True))
    assert wrong.outcome == "error:CodeMismatchException"
    assert wrong.state.phone_number_verified is False
    assert wrong.state.challenge is None


def test_totp_set_up_with_the_session_then_tokens() -> None:
    assert outcomes(
        ON,
        [
            step.admin_create_user(),
            step.admin_set_user_password(permanent=True),
            step.admin_initiate_auth(),
            step.admin_respond_to_auth_challenge(),  # before any set-up
            step.admin_initiate_auth(),
            step.verify_software_token(),  # nothing associated yet
            step.associate_software_token(),
            step.verify_software_token(wrong_code=True),
            step.verify_software_token(),
            step.admin_respond_to_auth_challenge(),
            step.initiate_auth(),
        ],
    ) == [
        "ok",
        "ok",
        "challenge:MFA_SETUP",
        "error:NotAuthorizedException",
        "challenge:MFA_SETUP",
        "error:InvalidParameterException",
        "ok",
        "error:EnableSoftwareTokenMFAException",
        "ok",
        "tokens",
        "challenge:SOFTWARE_TOKEN_MFA",
    ]


def test_totp_in_a_pool_that_does_not_offer_it() -> None:
    sms_only = Pool(mfa="OPTIONAL", mfa_methods=[SMS])
    for one in (step.associate_software_token(), step.verify_software_token()):
        assert predict(sms_only, SIGNED_IN, one).outcome == (
            "error:SoftwareTokenMFANotFoundException"
        )
    # n/a without a token or a pending MFA_SETUP
    assert (
        predict(ON, UserState(CONF, True, True, True), step.associate_software_token()).outcome
        == "n/a"
    )


@pytest.mark.parametrize(
    ("keywords", "outcome", "methods", "preferred"),
    [
        ({"totp": True}, "ok", (TOTP,), None),
        ({"preferred": "totp"}, "ok", (TOTP,), TOTP),
        ({"sms": True}, "ok", (SMS, TOTP), TOTP),  # TOTP not sent: stays preferred
        ({"preferred": "sms"}, "ok", (SMS, TOTP), SMS),  # one preferred at most
        ({"totp": True, "sms": True}, "ok", (SMS, TOTP), None),  # TOTP sent unpreferred
        ({"totp": False}, "ok", (), None),
    ],
)
def test_preferences(
    keywords: dict[str, Any], outcome: str, methods: tuple[str, ...], preferred: str | None
) -> None:
    user = replace_state(
        SIGNED_IN, has_phone=True, phone_number_verified=True, totp_verified=True,
        mfa_methods=(TOTP,), preferred_mfa=TOTP,
    )  # fmt: skip
    p = predict(OPTIONAL_BOTH, user, step.set_user_mfa_preference(**keywords))
    assert (str(p.outcome), p.state.mfa_methods, p.state.preferred_mfa) == (
        outcome,
        methods,
        preferred,
    )


def replace_state(state: UserState, **changes: Any) -> UserState:
    from dataclasses import replace

    return replace(state, **changes)


def test_preferences_refused() -> None:
    unverified = SIGNED_IN
    p = predict(OPTIONAL_BOTH, unverified, step.set_user_mfa_preference(totp=True))
    assert (p.outcome, p.rule.confidence) == ("error:InvalidParameterException", "DOC")
    no_phone = predict(OPTIONAL_BOTH, SIGNED_IN, step.admin_set_user_mfa_preference(sms=True))
    assert (no_phone.outcome, no_phone.rule.confidence) == (
        "error:InvalidParameterException",
        "OBS",
    )
    on = replace_state(SIGNED_IN, totp_verified=True, mfa_methods=(TOTP,))
    off = predict(ON, on, step.set_user_mfa_preference(totp=False))
    assert (off.outcome, off.rule.confidence) == ("error:InvalidParameterException", "UNCONFIRMED")
    assert off.state.mfa_methods == (TOTP,)
    mfa_off = predict(Pool(), SIGNED_IN, step.set_user_mfa_preference(totp=False))
    assert mfa_off.rule.source == "S18"


def test_preference_keywords_that_change_nothing_are_refused() -> None:
    with pytest.raises(ScenarioError, match="changes nothing"):
        step.set_user_mfa_preference()
    with pytest.raises(ScenarioError, match="cannot be preferred"):
        step.admin_set_user_mfa_preference(totp=False, preferred="totp")


# ---------------------------------------------------------------- phone numbers


def test_phone_verified_needs_a_phone_number() -> None:
    made = step.admin_create_user(phone_verified=True)  # the pool is not known yet
    with pytest.raises(ScenarioError, match="needs a phone number"):
        Scenario("no phone", pool=Pool(), steps=[made])
    Scenario("phone username", pool=PHONE, steps=[made])  # every user has one there
    p = predict(PHONE, INITIAL, made)
    assert (p.state.has_phone, p.state.phone_number_verified) == (True, True)
    plain = predict(Pool(), INITIAL, step.admin_create_user())
    assert (plain.state.has_phone, plain.state.phone_number_verified) == (False, None)


def test_one_attribute_per_update() -> None:
    with pytest.raises(ScenarioError, match="not both"):
        step.admin_update_user_attributes(new_email=True, new_phone=True)


def test_sign_up_in_a_phone_pool_confirms_the_phone() -> None:
    model = CognitoModel(PHONE)
    signed_up = model.predict(INITIAL, step.sign_up())
    assert signed_up.state.phone_number_verified is False
    assert model.texts(INITIAL, step.sign_up())
    confirmed = model.predict(signed_up.state, step.confirm_sign_up())
    assert (confirmed.state.status, confirmed.state.phone_number_verified) == (CONF, True)
    assert confirmed.state.email_verified is False  # the code went to the phone only (S4)
    both = Pool(
        username_attributes=["phone_number"], auto_verified_attributes=["email", "phone_number"]
    )
    assert CognitoModel(both).predict(signed_up.state, step.confirm_sign_up()).state == (
        confirmed.state
    )
    # a pool that auto-verifies e-mail only: mail, no text
    assert not SPEC[Op.sign_up].sends_mail({}, PHONE)
    assert SPEC[Op.sign_up].sends_mail({}, Pool(auto_verified_attributes=["email"]))


@pytest.mark.parametrize(
    ("recovery_setting", "email", "phone", "sms_mfa", "channel"),
    [
        ((), True, True, False, "phone"),  # legacy: phone first (S1, S8)
        ((), True, False, False, "email"),
        ((), False, False, False, None),
        ((), False, True, True, "phone"),  # legacy allows SMS MFA users (I25)
        (("verified_email", "verified_phone_number"), True, True, False, "email"),
        (("verified_email", "verified_phone_number"), False, True, False, "phone"),
        (("verified_phone_number",), True, True, True, None),  # SMS MFA disqualifies (S1)
        (("verified_phone_number", "verified_email"), True, True, True, "email"),
    ],
)
def test_recovery_channel(
    recovery_setting: tuple[str, ...], email: bool, phone: bool, sms_mfa: bool, channel: str | None
) -> None:
    pool = Pool(account_recovery=list(recovery_setting))
    user = UserState(
        CONF, True, email, True, has_phone=True, phone_number_verified=phone,
        mfa_methods=(SMS,) if sms_mfa else (),
    )  # fmt: skip
    assert recovery(user, pool) == channel
    p = CognitoModel(pool).predict(user, step.forgot_password())
    assert p.outcome == ("error:InvalidParameterException" if channel is None else "ok")
    assert CognitoModel(pool).texts(user, step.forgot_password()) is (channel == "phone")


def test_texts_are_counted_as_a_real_pool_sends_them() -> None:
    shipped = {
        s.file.rsplit("/", 1)[-1][:-3]: s for s in load_scenarios([shipped_scenarios_path()])
    }
    counts = {name: planned_texts([shipped[name]]) for name in NEW_NAMES}
    assert counts == {
        "mfa_setup_totp": 0,
        "mfa_optional_signed_in": 0,
        "phone_username_auto_verified": 2,  # the sign-up code, the new number's code
        "forgot_password_verified_phone": 1,  # the reset code
        "sms_mfa_optional": 2,  # two SMS_MFA challenges; the invitation is suppressed
    }
    assert sum(planned_texts([s]) for s in shipped.values()) == sum(counts.values())
    assert count_texts(Pool()) == 0


# ---------------------------------------------------------------- TOTP codes


def test_pyotp_refuses_motos_secret_unless_the_minimum_is_lifted() -> None:
    """moto's fixed secret is 60 bits; pyotp 2.12 wants 112 by default."""
    import pyotp

    with pytest.raises(ValueError, match="112 bits"):
        pyotp.TOTP("asdfasdfasdf").now()
    code, step_ = totp_code("asdfasdfasdf", clock=lambda: 1_000_000_015.0, sleep=pytest.fail)
    assert re.fullmatch(r"\d{6}", code)
    assert step_ == 1_000_000_015 // 30


def test_totp_codes_agree_with_moto() -> None:
    from moto.cognitoidp.utils import cognito_totp, verify_totp

    code, _ = totp_code("asdfasdfasdf")
    verify_totp(cognito_totp("asdfasdfasdf"), code.encode())  # raises if it does not agree


def test_a_wrong_totp_code_is_wrong_in_every_step_around_now() -> None:
    import pyotp

    now = 1_700_000_010.0
    wrong, _ = totp_code("JBSWY3DPEHPK3PXPJBSWY3DP", wrong=True, clock=lambda: now)
    right = pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DP")
    assert len(wrong) == 6
    assert wrong not in {right.at(now, counter_offset=k) for k in (-1, 0, 1)}


def test_totp_codes_wait_for_a_fresh_step() -> None:
    clock = [1_700_000_039.2]  # 0.8 s left: moto checks the current step only
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    _, first = totp_code("JBSWY3DPEHPK3PXP", clock=lambda: clock[0], sleep=sleep)
    assert slept
    assert 0.8 < slept[0] < 1.0
    assert first == 1_700_000_040 // 30
    # a real pool never gets the same step's code twice
    _, second = totp_code("JBSWY3DPEHPK3PXP", used_step=first, clock=lambda: clock[0], sleep=sleep)
    assert second == first + 1


def test_the_moto_backend_turns_totp_checking_on_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cognito_states.backends.moto import TOTP_SETTING, MotoBackend

    for before in (None, "false"):
        if before is None:
            monkeypatch.delenv(TOTP_SETTING, raising=False)
        else:
            monkeypatch.setenv(TOTP_SETTING, before)
        backend = MotoBackend()
        backend.open()
        try:
            assert os.environ[TOTP_SETTING] == "true"
        finally:
            backend.close()
        assert os.environ.get(TOTP_SETTING) == before


# ---------------------------------------------------------------- on moto and the model


def _shipped(name: str) -> Scenario:
    path = shipped_scenarios_path() / f"{name}.py"
    (scenario,) = load_scenarios([path])
    return scenario


@pytest.mark.parametrize("name", NEW_NAMES)
def test_the_new_scenarios_match_on_the_model(name: str) -> None:
    from cognito_states.backends.model import ModelBackend

    result = Runner(ModelBackend()).run_one(_shipped(name))
    assert [str(s.verdict) for s in result.steps] == ["match"] * len(result.steps)


# The steps moto departs at, and the gap that explains each (measured with moto 5.2.5).
MOTO_GAPS = {
    "mfa_setup_totp": {5: "moto-32", 12: "moto-36"},
    "mfa_optional_signed_in": {},
    "phone_username_auto_verified": {2: "moto-44"},
    "forgot_password_verified_phone": {7: "moto-5"},
    "sms_mfa_optional": {5: "moto-40", 7: "moto-41"},
}


@pytest.mark.parametrize("name", NEW_NAMES)
def test_the_new_scenarios_on_moto(name: str, moto_backend: Any) -> None:
    result = Runner(moto_backend).run_one(_shipped(name))
    gaps = {s.index: s.gap.id for s in result.steps if s.verdict is Verdict.known_gap}
    assert gaps == MOTO_GAPS[name]
    assert {s.verdict for s in result.steps} <= {Verdict.match, Verdict.known_gap}


def test_moto_checks_totp_codes_for_real(moto_backend: Any) -> None:
    """With the setting on, a made-up code is refused where a computed one passes."""
    result = Runner(moto_backend).run_one(_shipped("mfa_setup_totp"))
    observed = [s.observed["outcome"] for s in result.steps if s.observed is not None]
    assert observed[4] == "error:CodeMismatchException"  # moto's answer to a wrong code
    assert observed[5] == "ok"  # the pyotp code
    assert observed[8] == "error:CodeMismatchException"
    assert observed[10] == "tokens"


# ---------------------------------------------------------------- records and views


def test_records_without_the_new_fields_read_with_their_defaults() -> None:
    old = {"status": "CONFIRMED", "enabled": True, "email_verified": True, "outcome": "ok"}
    view = View.from_dict(old)
    assert (view.phone_number_verified, view.mfa_methods, view.preferred_mfa) == (None, (), None)
    assert view.differs(View("CONFIRMED", True, True, "ok")) == []
    state = UserState.from_dict({"status": "CONFIRMED", "enabled": True, "tokens": "valid"})
    assert (state.mfa_methods, state.totp_verified, state.phone_number_verified) == (
        (),
        False,
        None,
    )
    assert UserState.from_dict(state.as_dict()) == state


def test_the_new_fields_differ_like_the_others() -> None:
    a = View("CONFIRMED", True, True, "ok", mfa_methods=(TOTP,), phone_number_verified=True)
    b = View("CONFIRMED", True, True, "ok", mfa_methods=(), phone_number_verified=False)
    assert a.differs(b) == ["phone_number_verified", "mfa_methods"]
    assert View("CONFIRMED", True, True, "ok", mfa_methods=(TOTP, SMS)).as_dict()[
        "mfa_methods"
    ] == [
        SMS,
        TOTP,
    ]


# ---------------------------------------------------------------- the README's table


def _table() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- mfa-rules")
    end = text.index("<!-- /mfa-rules -->")
    rows = [line for line in text[start:end].splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_the_readmes_mfa_rules_are_the_models() -> None:
    """Each line of the README's table of MFA rules names rule rows that exist, with
    that answer, confidence tag and source."""
    rows = _table()
    assert len(rows) >= 25
    for when, answer, confidence, source in rows:
        ops = [Op(name) for name in re.findall(r"`(\w+)", when) if name in Op.__members__]
        answers = re.findall(r"`([^`]+)`", answer)
        assert ops, when
        assert answers, when
        found = [
            r
            for r in RULES
            if r.op in ops
            and r.outcome in answers
            and str(r.confidence) == confidence
            and r.source == source
        ]
        assert found, (when, answer, confidence, source)
    tags = {row[2] for row in rows}
    assert {"DOC", "EX", "OBS", "DISPUTED", "UNCONFIRMED"} <= tags


# ---------------------------------------------------------------- the commands


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from cognito_states import cli

    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["mfa_setup_totp", "phone_username_auto_verified"])
def test_model_and_graph_take_a_pool(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(shipped_scenarios_path() / f"{name}.py")
    code, out, err = _main(capsys, "model", "--json", "--pool-from", path)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["pool"] == _shipped(name).pool.as_dict()
    operations = {t["operation"] for t in doc["transitions"]}
    if name == "mfa_setup_totp":
        assert "associate_software_token" in operations
        assert any(t["outcome"] == "challenge:MFA_SETUP" for t in doc["transitions"])
    else:
        assert any(t["params"].get("new_phone") for t in doc["transitions"])
    code, out, _ = _main(capsys, "model", "--pool-from", path, "--state", "CONFIRMED")
    assert code == 0
    code, out, _ = _main(capsys, "graph", "--pool-from", path)
    assert code == 0
    assert out.startswith('---\ntitle: "Cognito user statuses (model)"')
    assert "stateDiagram-v2" in out
    # the default model has none of it
    code, out, _ = _main(capsys, "model", "--json")
    assert not any(
        t["operation"] == "associate_software_token" for t in json.loads(out)["transitions"]
    )


def test_explore_covers_the_mfa_operations_on_a_given_pool(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    path = str(shipped_scenarios_path() / "mfa_setup_totp.py")
    code, out, err = _main(
        capsys,
        "explore",
        "--backend",
        "model",
        "--pool-from",
        path,
        "--json",
        "--limit",
        "400",
        "--repro-dir",
        str(tmp_path),
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["pool"]["mfa"] == "ON"
    assert {p["verdict"] for p in doc["pairs"]} == {"match"}
    seen = {p["operation"] for p in doc["pairs"]}
    assert {"associate_software_token", "verify_software_token", "set_user_mfa_preference"} <= seen
    assert {"phone_number_verified", "mfa_methods", "preferred_mfa"} <= set(
        doc["pairs"][0]["predicted"]
    )

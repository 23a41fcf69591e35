"""The operation spec is the one declaration of each operation: every operation has a
driver method, rule rows and a README entry; the typed ``step`` surface and the README
table are generated from it; the scenario language, the mail guard, the n/a rule and
what a success leaves are read from it, not restated.
"""

from __future__ import annotations

from typing import Any

import pytest

from cognito_states import generate
from cognito_states.backends.boto import BotoUser, ClientSettings, sends_mail
from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.operations import OPERATIONS, SPEC, Need, Op
from cognito_states.rules import RULES
from cognito_states.scenario import STEP_KEYWORDS, Pool, step, step_variants
from cognito_states.statuses import NA, Tokens
from cognito_states.views import Answer, View

OPS = [o.op for o in OPERATIONS]
# A pool where every operation and keyword is tried (MFA with both methods, phones).
MFA_POOL = Pool(
    mfa="OPTIONAL",
    mfa_methods=["SOFTWARE_TOKEN_MFA", "SMS_MFA"],
    auto_verified_attributes=["phone_number"],
)


def test_every_operation_has_one_spec_entry() -> None:
    assert [str(op) for op in Op] == [str(op) for op in SPEC]
    assert all(SPEC[op].op is op for op in Op)


@pytest.mark.parametrize("op", OPS, ids=str)
def test_every_operation_has_a_driver_method_and_rule_rows(op: Op) -> None:
    assert callable(getattr(BotoUser, f"_op_{op}", None)), f"BotoUser._op_{op} is missing"
    assert any(rule.op is op for rule in RULES), f"no rule row for {op}"


@pytest.mark.parametrize("op", OPS, ids=str)
def test_driver_methods_take_exactly_the_specs_keywords(op: Op) -> None:
    import inspect

    method = getattr(BotoUser, f"_op_{op}")
    names = [p for p in inspect.signature(method).parameters if p != "self"]
    assert names == [k.name for k in SPEC[op].keywords]


def test_the_typed_step_surface_is_generated_from_the_spec() -> None:
    assert generate.STEP_API.read_text(encoding="utf-8") == generate.step_api_source(), (
        "run `python -m cognito_states.generate`"
    )


def test_the_readme_table_is_generated_from_the_spec() -> None:
    text = generate.README.read_text(encoding="utf-8")
    assert generate.readme_with_table(text) == text, "run `python -m cognito_states.generate`"
    for o in OPERATIONS:
        assert f"| `{o.name}` |" in text


def test_the_scenario_languages_keywords_are_the_specs() -> None:
    assert {op: dict(kw) for op, kw in STEP_KEYWORDS.items()} == {
        o.op: {k.name: (k.default, k.allowed) for k in o.keywords} for o in OPERATIONS
    }


@pytest.mark.parametrize("op", [o.op for o in OPERATIONS if o.needs is not None], ids=str)
def test_an_operation_the_client_cannot_send_is_na_in_model_and_driver(op: Op) -> None:
    """SPEC's ``needs`` drives both: the model predicts n/a for a user without it, and the
    driver answers n/a without sending anything."""
    o = SPEC[op]
    lacking = UserState("CONFIRMED", True, True, True, Tokens.none, None)
    pool = Pool() if o.tried(Pool()) else MFA_POOL  # the MFA operations are tried there
    model = CognitoModel(pool)
    variants = [v for v in step_variants(op, pool) if o.needs_for(v.kwargs) is not None]
    assert variants
    sent: list[str] = []

    class Client:
        def __getattr__(self, name: str) -> Any:
            sent.append(name)
            raise AssertionError(f"{name} sent")

    for variant in variants:
        assert model.predict(lacking, variant).outcome == NA
        driver = BotoUser(ClientSettings(Client(), "pool", "client"), pool, "u")
        assert driver.act(variant).outcome == NA
    assert sent == []


def test_needs_follow_keywords() -> None:
    o = SPEC[Op.initiate_auth]
    assert o.needs_for({"auth_flow": "REFRESH_TOKEN_AUTH"}) is Need.refresh_token
    assert o.needs_for({"auth_flow": "USER_PASSWORD_AUTH"}) is None


@pytest.mark.parametrize("op", OPS, ids=str)
def test_the_mail_guard_is_the_specs(op: Op) -> None:
    auto, plain = Pool(auto_verified_attributes=["email"]), Pool()
    for variant in step_variants(op, MFA_POOL) + step_variants(op):
        for pool in (auto, plain):
            expected = SPEC[op].mail is not None and SPEC[op].mail.when(variant.kwargs, pool)
            assert sends_mail(variant, pool) is expected


def test_operations_that_mail_are_the_ones_cognito_documents() -> None:
    """The mail guard protects made-up addresses on real pools: these operations make
    Cognito send mail (S1, S4, S8, S10); forgetting one would mail a stranger."""
    mailing = {o.name for o in OPERATIONS if o.mail is not None}
    assert {
        "admin_create_user",
        "admin_update_user_attributes",
        "sign_up",
        "resend_confirmation_code",
        "forgot_password",
        "admin_reset_user_password",
    } <= mailing


@pytest.mark.parametrize("op", [o.op for o in OPERATIONS if o.holds_after], ids=str)
def test_successful_rows_leave_what_the_spec_says_unless_simulated(op: Op) -> None:
    """Every ok row applies holds_after, except for keywords its holds_after_when does
    not cover (a phone number's verification code is not an email's)."""
    spec = SPEC[op]
    covered = 0
    for rule in (r for r in RULES if r.op is op and r.outcome == "ok"):
        keywords = {k[4:]: v for k, v in rule.when.items() if k.startswith("arg.")}
        wanted = spec.holds_after_for({**spec.defaults(), **keywords})
        covered += bool(wanted)
        applied = all(rule.then.get(k) == v for k, v in wanted.items())
        assert applied or rule.simulated, rule.describe_when()
    assert covered


def test_reconcile_takes_what_a_success_leaves_from_the_spec() -> None:
    """A backend that answers ok where the model predicted an error: the model continues
    with what the spec says a success leaves the client holding."""
    model = CognitoModel(Pool())
    confirmed = UserState("CONFIRMED", True, False, True)
    prediction = model.predict(confirmed, step.forgot_password())
    assert prediction.outcome != "ok"  # no verified email: InvalidParameterException
    after = model.reconcile(confirmed, prediction, View.of(confirmed.as_dict(), Answer("ok")))
    assert after.reset_code is SPEC[Op.forgot_password].holds_after["reset_code"]


def test_code_kinds_come_from_the_spec() -> None:
    from cognito_states.codes import CODE_KINDS

    assert set(CODE_KINDS) == {o.code for o in OPERATIONS if o.code}
    assert INITIAL.reset_code is False

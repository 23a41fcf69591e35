"""The model facade: predict from a state, reconcile with what a backend showed, and
report one departure once (a fake backend departs from the model at one step)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import DepartingBackend

from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.runner import Runner
from cognito_states.scenario import Pool, Scenario, Step, step
from cognito_states.statuses import NO_USER, Status, Tokens, Verdict
from cognito_states.views import View

CONF, FCP = Status.CONFIRMED, Status.FORCE_CHANGE_PASSWORD
SIGNED_IN = UserState(CONF, True, True, True, Tokens.valid)


@pytest.fixture(scope="module")
def model() -> CognitoModel:
    return CognitoModel(Pool(required_attributes=["email"]))


# ------------------------------------------------------------------ predict


def test_predict_create_copies_arguments(model: CognitoModel) -> None:
    p = model.predict(INITIAL, step.admin_create_user(email=False))
    assert p.state == UserState(FCP, True, False, False, Tokens.none)
    assert p.outcome == "ok"
    verified = model.predict(INITIAL, step.admin_create_user(email_verified=True)).state
    assert (verified.email_verified, verified.has_email) == (True, True)


def test_predict_does_not_revoke_tokens_never_held(model: CognitoModel) -> None:
    without = UserState(CONF, True, True, True, Tokens.none)
    assert model.predict(without, step.admin_disable_user()).state.tokens is Tokens.none
    assert model.predict(SIGNED_IN, step.admin_disable_user()).state.tokens is Tokens.revoked
    assert model.predict(without, step.admin_delete_user()).state.tokens is Tokens.none
    assert model.predict(SIGNED_IN, step.admin_delete_user()).state.tokens is Tokens.revoked


def test_predict_required_attributes_follow_the_users_email(model: CognitoModel) -> None:
    lacking = UserState(FCP, True, False, False)
    having = replace(lacking, has_email=True)
    sign_in = step.admin_initiate_auth()
    assert model.predict(lacking, sign_in).required_attributes == ("userAttributes.email",)
    assert model.predict(having, sign_in).required_attributes == ()
    assert model.predict(SIGNED_IN, sign_in).required_attributes is None


def test_predict_answering_the_challenge_supplies_the_email(model: CognitoModel) -> None:
    challenged = UserState(FCP, True, False, False, challenge="NEW_PASSWORD_REQUIRED")
    p = model.predict(challenged, step.admin_respond_to_auth_challenge())
    assert (p.state.status, p.state.has_email, p.state.tokens) == (CONF, True, Tokens.valid)
    assert p.state.challenge is None


def test_one_model_answers_states_independently(model: CognitoModel) -> None:
    """The machine's subject is shared; predictions must not leak between calls."""
    cases = [
        (INITIAL, step.admin_create_user()),
        (SIGNED_IN, step.get_user()),
        (UserState(FCP, True, False, True), step.admin_initiate_auth()),
        (INITIAL, step.admin_initiate_auth()),
        (SIGNED_IN, step.admin_reset_user_password()),
    ]
    together = [model.predict(s, one) for s, one in cases]
    alone = [CognitoModel(model.pool).predict(s, one) for s, one in cases]
    assert together == alone
    assert [p.outcome for p in together] == [
        "ok",
        "ok",
        "challenge:NEW_PASSWORD_REQUIRED",
        "error:UserNotFoundException",
        "ok",
    ]


def test_user_state_as_dict_spells_no_user_as_none() -> None:
    assert INITIAL.status == NO_USER
    assert INITIAL.as_dict()["status"] is None
    assert INITIAL.as_dict()["tokens"] == "none"
    assert SIGNED_IN.as_dict()["status"] == "CONFIRMED"


def test_view_json_shows_required_attributes_only_when_known() -> None:
    plain = View("CONFIRMED", True, False, "ok")
    assert plain.as_dict() == {
        "status": "CONFIRMED",
        "enabled": True,
        "email_verified": False,
        "phone_number_verified": None,
        "mfa_methods": [],
        "preferred_mfa": None,
        "outcome": "ok",
    }
    challenged = View(FCP, True, False, "challenge:NEW_PASSWORD_REQUIRED", ())
    assert challenged.as_dict()["required_attributes"] == []


def test_prediction_view_carries_has_email(model: CognitoModel) -> None:
    p = model.predict(INITIAL, step.admin_create_user(email=False))
    assert p.view.has_email is False
    assert p.view.status == FCP


# ------------------------------------------------------------------ a self-service email change

AUTO = Pool(auto_verified_attributes=["email"])
VERIFY_FIRST = Pool(
    auto_verified_attributes=["email"], attributes_require_verification_before_update=["email"]
)


def _after(pool: Pool, state: UserState, *steps: Step) -> UserState:
    model = CognitoModel(pool)
    for one in steps:
        state = model.predict(state, one).state
    return state


def test_older_records_get_no_pending_email_and_no_code() -> None:
    old = {"status": "CONFIRMED", "enabled": True, "email_verified": True, "tokens": "valid"}
    state = UserState.from_dict(old)
    assert (state.pending_email, state.attribute_code) == (False, False)
    assert UserState.from_dict(state.as_dict()) == state


def test_a_changed_email_leaves_a_code_where_email_is_auto_verified() -> None:
    change = step.update_user_attributes(new_email=True)
    auto = _after(AUTO, SIGNED_IN, change)
    assert (auto.email_verified, auto.pending_email, auto.attribute_code) == (False, False, True)
    plain = _after(Pool(), SIGNED_IN, change)
    assert (plain.email_verified, plain.pending_email, plain.attribute_code) == (
        False,
        False,
        False,
    )
    # An admin's change mails the same code (the mail rule), so the user can verify it.
    by_admin = _after(AUTO, SIGNED_IN, step.admin_update_user_attributes(new_email=True))
    assert by_admin.attribute_code is True
    assert _after(AUTO, by_admin, step.verify_user_attribute()).email_verified is True


def test_verification_first_keeps_the_old_address_until_the_code() -> None:
    pending = _after(VERIFY_FIRST, SIGNED_IN, step.update_user_attributes(new_email=True))
    assert (pending.email_verified, pending.pending_email, pending.attribute_code) == (
        True,
        True,
        True,
    )
    wrong = _after(VERIFY_FIRST, pending, step.verify_user_attribute(wrong_code=True))
    assert wrong == pending  # a wrong code changes nothing, the code stays pending
    done = _after(VERIFY_FIRST, pending, step.verify_user_attribute())
    assert (done.email_verified, done.pending_email, done.attribute_code) == (True, False, False)
    # An admin's email_verified=true verifies the pending address too (S1).
    by_admin = _after(VERIFY_FIRST, pending, step.admin_update_user_attributes(email_verified=True))
    assert by_admin.pending_email is False


def test_a_code_is_needed_to_verify() -> None:
    """No code pending: the client can only make one up (UNCONFIRMED: CodeMismatch)."""
    model = CognitoModel(AUTO)
    prediction = model.predict(SIGNED_IN, step.verify_user_attribute())
    assert prediction.outcome == "error:CodeMismatchException"
    assert prediction.state == SIGNED_IN
    asked = model.predict(SIGNED_IN, step.get_user_attribute_verification_code()).state
    assert asked.attribute_code is True
    assert model.predict(asked, step.verify_user_attribute()).outcome == "ok"


def test_delete_user_leaves_nothing_pending() -> None:
    pending = _after(VERIFY_FIRST, SIGNED_IN, step.update_user_attributes(new_email=True))
    gone = _after(VERIFY_FIRST, pending, step.delete_user())
    assert gone == UserState(NO_USER, tokens=Tokens.revoked)


# ------------------------------------------------------------------ reconcile


def _reconcile(model: CognitoModel, before: UserState, one: Step, **observed: object) -> UserState:
    predicted = model.predict(before, one)
    fields = predicted.view.__dict__ | observed
    return model.reconcile(before, predicted, View(**fields))


def test_reconcile_continues_from_observed_fields(model: CognitoModel) -> None:
    created = UserState(FCP, True, False, True)
    after = _reconcile(
        model,
        created,
        step.admin_set_user_password(permanent=True),
        status=FCP,
        enabled=False,
        email_verified=True,
    )
    assert (after.status, after.enabled, after.email_verified) == (FCP, False, True)


def test_reconcile_takes_has_email_when_observed(model: CognitoModel) -> None:
    created = UserState(FCP, True, False, False)
    one = step.admin_update_user_attributes(email_verified=True)
    assert _reconcile(model, created, one, has_email=True).has_email is True
    assert _reconcile(model, created, one, has_email=None).has_email is False


def test_reconcile_gone_user(model: CognitoModel) -> None:
    after = _reconcile(model, SIGNED_IN, step.get_user(), status=None, enabled=None)
    assert after.status == NO_USER
    assert after.tokens is Tokens.revoked
    never_signed_in = UserState(CONF, True, True, True)
    assert _reconcile(model, never_signed_in, step.get_user(), status=None).tokens is Tokens.none


def test_reconcile_tokens_follow_an_observed_tokens_outcome(model: CognitoModel) -> None:
    reset = UserState(Status.RESET_REQUIRED, True, True, True)
    after = _reconcile(model, reset, step.initiate_auth(), outcome="tokens")
    assert after.tokens is Tokens.valid
    assert after.status == Status.RESET_REQUIRED


def test_reconcile_challenge_follows_observed_challenge(model: CognitoModel) -> None:
    reset = UserState(Status.RESET_REQUIRED, True, True, True)
    after = _reconcile(
        model, reset, step.admin_initiate_auth(), outcome="challenge:NEW_PASSWORD_REQUIRED"
    )
    assert after.challenge == "NEW_PASSWORD_REQUIRED"


def test_reconcile_observed_error_changes_nothing_held(model: CognitoModel) -> None:
    confirmed = UserState(CONF, True, True, True)
    after = _reconcile(model, confirmed, step.initiate_auth(), outcome="error:InternalError")
    assert after.tokens is Tokens.none


def test_reconcile_unexpected_ok_applies_what_the_client_holds(model: CognitoModel) -> None:
    fcp = UserState(FCP, True, False, True)
    assert _reconcile(model, fcp, step.forgot_password(), outcome="ok").reset_code is True
    unverified = UserState(CONF, True, False, True, Tokens.valid, reset_code=True)
    assert (
        _reconcile(model, unverified, step.confirm_forgot_password(), outcome="ok").reset_code
        is False
    )
    no_email = UserState(CONF, True, False, False, Tokens.valid)
    asked = step.get_user_attribute_verification_code()
    assert model.predict(no_email, asked).outcome != "ok"
    assert _reconcile(model, no_email, asked, outcome="ok").attribute_code is True


def test_reconcile_unsupported_changes_nothing() -> None:
    """moto lacks VerifyUserAttribute: the code the model expected to be used stays."""
    model = CognitoModel(AUTO)
    pending = replace(SIGNED_IN, email_verified=False, attribute_code=True)
    after = _reconcile(
        model, pending, step.verify_user_attribute(), outcome="unsupported", email_verified=False
    )
    assert after == pending


# ------------------------------------------------------------------ one departure, once


def _verdicts(result: object) -> list[str]:
    return [str(s.verdict) for s in result.steps]  # type: ignore[attr-defined]


def test_departure_is_reported_once() -> None:
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),  # the backend keeps FCP here
        step.admin_initiate_auth(),
        step.admin_respond_to_auth_challenge(),
        step.admin_initiate_auth(),
        step.get_user(),
    ]
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    result = Runner(backend).run_one(Scenario("departs", steps=steps))
    assert _verdicts(result) == ["match", "mismatch", "match", "match", "match", "match"]
    assert result.steps[1].note.startswith("backend shows status='FORCE_CHANGE_PASSWORD';")
    # step 3 is predicted from where the backend really is
    assert result.steps[2].predicted["outcome"] == "challenge:NEW_PASSWORD_REQUIRED"
    assert backend.users[0].closed


def test_departure_in_outcome_only_keeps_following() -> None:
    # The backend hands out tokens where the model says the user must change password:
    # later token operations are predicted from the tokens the user now holds.
    steps = [
        step.admin_create_user(),
        step.admin_initiate_auth(),
        step.get_user(),
        step.global_sign_out(),
        step.get_user(),
    ]
    backend = DepartingBackend(at=2, changes={"tokens": Tokens.valid}, outcome="tokens")
    result = Runner(backend).run_one(Scenario("tokens early", steps=steps))
    assert _verdicts(result) == ["match", "mismatch", "match", "match", "match"]
    assert [s.observed["outcome"] for s in result.steps[2:]] == [
        "ok",
        "ok",
        "error:NotAuthorizedException",
    ]


def test_expectation_is_checked_along_the_scenarios_own_path() -> None:
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # real Cognito signs the user in; the backend, stuck in FCP, challenges
        step.admin_initiate_auth().expect(outcome="tokens"),
    ]
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    result = Runner(backend).run_one(Scenario("real path", steps=steps))
    # step 3's expectation agrees with real Cognito but was never observed: it shares
    # step 2's verdict and points at it, rather than passing
    assert _verdicts(result) == ["match", "mismatch", "mismatch"]
    assert result.steps[2].observed["outcome"] == "challenge:NEW_PASSWORD_REQUIRED"
    assert result.steps[2].note.endswith("left the scenario's path at step 2 (mismatch)")


def test_expectation_agreeing_only_with_the_backend_is_a_mismatch() -> None:
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
    ]
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    result = Runner(backend).run_one(Scenario("wrong expectation", steps=steps))
    assert _verdicts(result) == ["match", "mismatch", "mismatch"]
    assert result.steps[2].note == (
        "scenario expects outcome='challenge:NEW_PASSWORD_REQUIRED' but the model predicts"
        " outcome='tokens' (the backend agrees with the scenario): the model or the"
        " scenario is wrong"
    )


def test_model_backend_agrees_with_the_model(shipped: list[Scenario]) -> None:
    """On the model backend every shipped scenario matches, expectations included."""
    from cognito_states.backends import make_backend

    runner = Runner(make_backend("model"))
    bad = {
        s.name: [
            (r.index, r.note) for r in runner.run_one(s).steps if r.verdict is not Verdict.match
        ]
        for s in shipped
    }
    assert len(bad) == len(shipped) > 0
    assert {k: v for k, v in bad.items() if v} == {}

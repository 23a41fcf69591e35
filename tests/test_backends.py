"""The moto and model backends behind the one Backend interface, and the boto3 driver's
mapping of what a Cognito-compatible API answers into outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_states.backends import BACKENDS, Answer, BackendError, make_backend
from cognito_states.backends.boto import UNSUPPORTED_CODES, BotoUser, ClientSettings
from cognito_states.gaps.moto import MOTO_UNIMPLEMENTED
from cognito_states.model import INITIAL, CognitoModel
from cognito_states.operations import SPEC
from cognito_states.runner import Runner
from cognito_states.scenario import (
    Pool,
    Scenario,
    all_variants,
    load_scenarios,
    shipped_scenarios_path,
    step,
)
from cognito_states.statuses import Verdict

SHIPPED = load_scenarios([shipped_scenarios_path()])


@pytest.mark.parametrize("name", ["moto", "model"])
def test_make_backend(name: str) -> None:
    assert name in BACKENDS
    backend = make_backend(name)
    assert (backend.name, backend.kind) == (name, name)
    assert backend.versions()
    assert all(isinstance(v, str) and v[0].isdigit() for v in backend.versions().values())


def test_versions_name_the_packages_whose_gaps_apply() -> None:
    assert set(make_backend("moto").versions()) >= {"moto", "boto3"}
    assert "transitions" in make_backend("model").versions()


# ------------------------------------------------------------------ model backend


def test_model_user_is_the_model() -> None:
    pool = Pool(required_attributes=["email"])
    backend = make_backend("model")
    backend.open()
    user = backend.user(pool, "u")
    model = CognitoModel(pool)
    state = INITIAL
    for one in [
        step.admin_create_user(email=False),
        step.admin_initiate_auth(),
        step.admin_respond_to_auth_challenge(),
        step.get_user(),
    ]:
        prediction = model.predict(state, one)
        state = prediction.state
        answer = user.act(one)
        assert answer == Answer(prediction.outcome, prediction.required_attributes)
        assert user.observe(answer) == prediction.view
    user.close()
    assert user.observe(Answer("ok")).status is None
    backend.close()


# ------------------------------------------------------------------ moto backend


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda s: s.file.rsplit("/", 1)[-1][:-3])
def test_shipped_scenario_on_moto(scenario: Scenario, moto_backend: Any) -> None:
    result = Runner(moto_backend).run_one(scenario)
    assert result.error is None
    assert len(result.steps) == len(scenario.steps)
    bad = [(s.index, s.note) for s in result.steps if s.verdict is Verdict.mismatch]
    assert bad == []
    for s in result.steps:
        if s.verdict is Verdict.known_gap:
            assert s.gap is not None
            assert s.note.startswith(s.gap.source)  # then any message difference


def _run(moto_backend: Any, steps: list[Any], pool: Pool | None = None) -> list[tuple[str, str]]:
    result = Runner(moto_backend).run_one(Scenario("t", pool=pool or Pool(), steps=steps))
    assert result.error is None
    return [(str(s.verdict), s.observed["outcome"]) for s in result.steps]


def test_moto_email_username_pool(moto_backend: Any) -> None:
    pool = Pool(username_attributes=["email"])
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.admin_initiate_auth(),
        step.initiate_auth(),
    ]
    assert _run(moto_backend, steps, pool) == [
        ("match", "ok"),
        ("match", "ok"),
        ("match", "tokens"),
        ("match", "tokens"),
    ]


def test_moto_srp_sign_in(moto_backend: Any) -> None:
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(auth_flow="USER_SRP_AUTH"),
        step.initiate_auth(auth_flow="USER_SRP_AUTH", wrong_password=True),
    ]
    assert _run(moto_backend, steps) == [
        ("match", "ok"),
        ("match", "ok"),
        ("match", "tokens"),
        ("known-gap", "tokens"),
    ]


def test_moto_crash_is_an_internal_error_outcome(moto_backend: Any) -> None:
    # moto-11: a deleted user's refresh token crashes in-process moto.
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        step.admin_delete_user(),
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH"),
    ]
    assert _run(moto_backend, steps)[-1] == ("known-gap", "error:InternalError")


def test_moto_unimplemented_is_unsupported(moto_backend: Any) -> None:
    steps = [step.sign_up(), step.resend_confirmation_code()]
    assert _run(moto_backend, steps, Pool(auto_verified_attributes=["email"]))[-1] == (
        "unsupported",
        "unsupported",
    )


def _users(moto_backend: Any, pool: Pool) -> list[str]:
    user = moto_backend.user(pool, "probe")  # creates nothing; gives the pool's client
    s = user.settings
    return [u["Username"] for u in s.client.list_users(UserPoolId=s.pool_id)["Users"]]


def test_moto_user_is_deleted_when_the_scenario_ends(moto_backend: Any) -> None:
    pool = Pool(required_attributes=["name"])
    before = _users(moto_backend, pool)
    user = moto_backend.user(pool, "t")
    user.act(step.admin_create_user())
    assert user.observe(Answer("ok")).status == "FORCE_CHANGE_PASSWORD"
    assert len(_users(moto_backend, pool)) == len(before) + 1
    user.close()
    assert _users(moto_backend, pool) == before
    assert user.observe(Answer("ok")).status is None


def test_moto_users_are_unique(moto_backend: Any) -> None:
    names = {moto_backend.user(Pool(), "same label").name for _ in range(3)}
    assert len(names) == 3


# ------------------------------------------------------------------ the boto3 driver


class FakeClient:
    """Answers every operation by calling ``behaviour(operation, kwargs)``."""

    def __init__(self, behaviour: Any) -> None:
        self.behaviour = behaviour
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, operation: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((operation, kwargs))
            return self.behaviour(operation, kwargs)

        return call


def _client_error(
    code: str, operation: str = "AdminCreateUser", status: int | None = None, message: str = "m"
) -> ClientError:
    response: dict[str, Any] = {"Error": {"Code": code, "Message": message}}
    if status is not None:
        response["ResponseMetadata"] = {"HTTPStatusCode": status}
    return ClientError(response, operation)  # type: ignore[arg-type]


def _driver(behaviour: Any, pool: Pool | None = None, **kw: Any) -> BotoUser:
    settings = ClientSettings(FakeClient(behaviour), "pool", "client")
    return BotoUser(settings, pool or Pool(), "u", **kw)


def _raising(exc: BaseException) -> Any:
    def behaviour(operation: str, kwargs: dict[str, Any]) -> Any:
        raise exc

    return behaviour


@pytest.mark.parametrize(
    ("code", "status", "outcome"),
    [
        ("UsernameExistsException", 400, "error:UsernameExistsException"),
        ("NotAuthorizedException", None, "error:NotAuthorizedException"),
        ("Unsupported", 500, "unsupported"),  # cognito-local's own words
        ("NotImplemented", 400, "unsupported"),
        ("NotImplementedException", 400, "unsupported"),
        ("UnknownOperationException", 400, "unsupported"),
        ("InvalidAction", 400, "unsupported"),
        ("501", 501, "unsupported"),
        ("SomethingElse", 501, "unsupported"),  # HTTP 501 whatever the code
    ],
)
def test_an_emulators_answers_become_outcomes(code: str, status: int | None, outcome: str) -> None:
    driver = _driver(
        _raising(_client_error(code, status=status)), unsupported_codes=UNSUPPORTED_CODES
    )
    answer = driver.act(step.admin_create_user())
    assert answer.outcome == outcome
    if outcome == "unsupported":
        assert answer.message == f"{code}: m"  # the code reaches the verdict's note
    else:
        assert answer.message == "m"  # an error Cognito answered keeps its message


@pytest.mark.parametrize(
    ("code", "status"),
    [("500", 500), ("InternalFailure", 500), ("InternalServerError", None), ("Oops", 503)],
)
def test_a_server_error_is_a_backend_error_not_an_outcome(code: str, status: int | None) -> None:
    driver = _driver(
        _raising(_client_error(code, status=status, message="it broke")),
        unsupported_codes=UNSUPPORTED_CODES,
    )
    with pytest.raises(
        BackendError, match="admin_create_user: the backend failed with a server error"
    ):
        driver.act(step.admin_create_user())


def test_on_aws_not_implemented_codes_are_answers_and_501_a_server_error() -> None:
    # No unsupported_codes: a real pool's answers are all observed, never "unsupported".
    driver = _driver(_raising(_client_error("Unsupported", status=400)))
    assert driver.act(step.admin_create_user()) == Answer("error:Unsupported", None, "m")
    driver = _driver(_raising(_client_error("NotImplemented", status=501)))
    with pytest.raises(BackendError, match=r"server error \(HTTP 501 NotImplemented: m\)"):
        driver.act(step.admin_create_user())


def test_moto_crashes_are_observed_where_its_gaps_list_them() -> None:
    driver = _driver(_raising(_client_error("500", status=500)), crashes_observed=True)
    assert driver.act(step.admin_create_user()) == Answer("error:InternalError")


def test_a_listed_unimplemented_operation_is_unsupported_on_http_500() -> None:
    driver = _driver(
        _raising(_client_error("500", "RevokeToken", status=500)),
        unimplemented=frozenset({"admin_disable_user"}),
    )
    answer = driver.act(step.admin_disable_user())
    assert (answer.outcome, answer.message) == ("unsupported", "500: m")


def test_not_implemented_is_unsupported() -> None:
    driver = _driver(_raising(NotImplementedError()))
    assert driver.act(step.admin_disable_user()) == Answer("unsupported")


def test_crash_types_become_internal_error() -> None:
    driver = _driver(_raising(KeyError("x")), crash_types=(KeyError,))
    answer = driver.act(step.admin_disable_user())
    assert answer == Answer("error:InternalError", None, "KeyError: 'x'")


def test_anything_else_is_a_backend_error() -> None:
    driver = _driver(_raising(KeyError("x")))
    with pytest.raises(BackendError, match=r"^admin_disable_user failed: KeyError: 'x'$"):
        driver.act(step.admin_disable_user())


def test_backend_error_masks_the_password() -> None:
    def behaviour(operation: str, kwargs: dict[str, Any]) -> Any:
        if operation == "admin_create_user":
            return {"User": {"Username": "u"}}
        raise RuntimeError(f"rejected {kwargs.get('AuthParameters', {}).get('PASSWORD')}")

    driver = _driver(behaviour)
    driver.act(step.admin_create_user())
    assert driver.password
    with pytest.raises(BackendError) as info:
        driver.act(step.admin_initiate_auth())
    assert driver.password not in str(info.value)
    assert "***" in str(info.value)


def test_steps_needing_what_the_user_lacks_are_not_sent() -> None:
    driver = _driver(_raising(AssertionError("no call expected")))
    needing = [v for v in all_variants() if SPEC[v.op].needs_for(v.kwargs) is not None]
    assert {str(v.op) for v in needing} >= {
        "get_user",
        "respond_to_auth_challenge",
        "initiate_auth",
        "update_user_attributes",
        "get_user_attribute_verification_code",
        "verify_user_attribute",
        "delete_user",
    }
    for one in needing:
        assert driver.act(one) == Answer("n/a"), one
    assert driver.settings.client.calls == []


def test_observe_reads_admin_get_user() -> None:
    def behaviour(operation: str, kwargs: dict[str, Any]) -> Any:
        assert operation == "admin_get_user"
        return {
            "UserStatus": "CONFIRMED",
            "Enabled": False,
            "UserAttributes": [
                {"Name": "email_verified", "Value": "True"},
                {"Name": "email", "Value": "a@example.com"},
            ],
        }

    observation = _driver(behaviour).observe(Answer("ok"))
    assert (observation.status, observation.enabled, observation.email_verified) == (
        "CONFIRMED",
        False,
        True,
    )
    assert observation.has_email is True


def test_observe_missing_user() -> None:
    driver = _driver(_raising(_client_error("UserNotFoundException", "AdminGetUser")))
    observation = driver.observe(Answer("error:UserNotFoundException"))
    assert (observation.status, observation.enabled, observation.email_verified) == (
        None,
        None,
        None,
    )
    assert observation.outcome == "error:UserNotFoundException"


def test_observe_failure_is_a_backend_error() -> None:
    driver = _driver(_raising(_client_error("AccessDeniedException", "AdminGetUser")))
    with pytest.raises(BackendError, match="AdminGetUser failed"):
        driver.observe(Answer("ok"))


# ------------------------------------------------------------------ self-service operations

AUTO = Pool(auto_verified_attributes=["email"])


def _answering(operation: str, kwargs: dict[str, Any]) -> Any:
    return {}


class CodeSpy:
    """A code source that hands out numbered codes and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str | None]] = []

    def __call__(self, kind: str, username: str, email: str | None) -> str:
        self.asked.append((kind, username, email))
        return f"42424{len(self.asked)}"


def _signed_in(pool: Pool = AUTO, **kw: Any) -> BotoUser:
    driver = _driver(_answering, pool, **kw)
    driver.access_token = "the-access-token"
    return driver


def _calls(driver: BotoUser) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = driver.settings.client.calls
    return calls


def test_update_user_attributes_sends_a_new_address_with_the_access_token() -> None:
    driver = _signed_in()
    old = driver.email
    assert driver.act(step.update_user_attributes(new_email=True)) == Answer("ok")
    assert driver.act(step.update_user_attributes(new_email=True)) == Answer("ok")
    (first, firsts), (second, seconds) = _calls(driver)
    assert first == second == "update_user_attributes"
    assert firsts["AccessToken"] == seconds["AccessToken"] == "the-access-token"
    new = [call["UserAttributes"] for call in (firsts, seconds)]
    assert [[a["Name"] for a in attrs] for attrs in new] == [["email"], ["email"]]
    addresses = [attrs[0]["Value"] for attrs in new]
    assert len({old, *addresses}) == 3  # each change is an address the user has not had
    assert set(firsts) == {"AccessToken", "UserAttributes"}


def test_get_user_attribute_verification_code_asks_for_the_email() -> None:
    driver = _signed_in()
    assert driver.act(step.get_user_attribute_verification_code()) == Answer("ok")
    assert _calls(driver) == [
        (
            "get_user_attribute_verification_code",
            {"AccessToken": "the-access-token", "AttributeName": "email"},
        )
    ]


def test_delete_user_sends_the_access_token() -> None:
    driver = _signed_in()
    assert driver.act(step.delete_user()) == Answer("ok")
    assert _calls(driver) == [("delete_user", {"AccessToken": "the-access-token"})]


def test_verify_user_attribute_sends_the_code_from_the_source() -> None:
    codes = CodeSpy()
    driver = _signed_in(codes=codes)
    driver.act(step.update_user_attributes(new_email=True))  # mails a code (auto-verified)
    assert driver.act(step.verify_user_attribute()) == Answer("ok")
    assert codes.asked == [("verify_attribute", "u", driver.email)]
    operation, kwargs = _calls(driver)[-1]
    assert operation == "verify_user_attribute"
    assert kwargs == {"AccessToken": "the-access-token", "AttributeName": "email", "Code": "424241"}
    # The code is used up: verifying again sends a made-up code, without asking.
    driver.act(step.verify_user_attribute())
    assert _calls(driver)[-1][1]["Code"] not in ("424241", "424242")
    assert len(codes.asked) == 1


def _checking_codes(operation: str, kwargs: dict[str, Any]) -> Any:
    """Like Cognito: a verification with a code the source did not hand out fails."""
    if operation == "verify_user_attribute" and not kwargs["Code"].startswith("42424"):
        raise _client_error("CodeMismatchException", "VerifyUserAttribute")
    return {}


def test_a_wrong_code_is_not_the_one_sent_and_does_not_use_it_up() -> None:
    codes = CodeSpy()
    driver = _driver(_checking_codes, AUTO, codes=codes)
    driver.access_token = "the-access-token"
    driver.act(step.get_user_attribute_verification_code())
    wrong = driver.act(step.verify_user_attribute(wrong_code=True))
    assert wrong == Answer("error:CodeMismatchException", None, "m")
    assert codes.asked == []  # no need to ask for the right code to send a wrong one
    assert driver.act(step.verify_user_attribute()) == Answer("ok")
    assert codes.asked == [("verify_attribute", "u", driver.email)]
    sent = [kwargs["Code"] for _, kwargs in _calls(driver)[1:]]
    assert sent[1] == "424241" != sent[0]


def test_a_failed_verification_keeps_the_code() -> None:
    codes = CodeSpy()
    failures = [_client_error("ExpiredCodeException", "VerifyUserAttribute")]

    def behaviour(operation: str, kwargs: dict[str, Any]) -> Any:
        if operation == "verify_user_attribute" and failures:
            raise failures.pop()
        return {}

    driver = _driver(behaviour, AUTO, codes=codes)
    driver.access_token = "the-access-token"
    driver.act(step.get_user_attribute_verification_code())
    assert driver.act(step.verify_user_attribute()) == Answer(
        "error:ExpiredCodeException", None, "m"
    )
    assert driver.act(step.verify_user_attribute()) == Answer("ok")
    assert [kind for kind, _, _ in codes.asked] == ["verify_attribute"] * 2


def test_no_code_is_asked_where_none_was_mailed() -> None:
    codes = CodeSpy()
    driver = _signed_in(Pool(), codes=codes)  # email is not auto-verified: no code mailed
    driver.act(step.update_user_attributes(new_email=True))
    driver.act(step.verify_user_attribute())
    assert codes.asked == []
    assert _calls(driver)[-1][1]["Code"] == "000000"


def test_no_code_is_asked_for_an_operation_the_backend_lacks() -> None:
    codes = CodeSpy()
    driver = _signed_in(codes=codes, unimplemented=frozenset({"verify_user_attribute"}))
    driver.act(step.get_user_attribute_verification_code())
    driver.act(step.verify_user_attribute())
    assert codes.asked == []


def test_an_admin_email_change_mails_a_code_the_user_can_send() -> None:
    codes = CodeSpy()
    driver = _signed_in(codes=codes)
    driver.act(step.admin_update_user_attributes(new_email=True))
    driver.act(step.verify_user_attribute())
    assert [kind for kind, _, _ in codes.asked] == ["verify_attribute"]
    driver.act(step.admin_update_user_attributes(new_email=True, email_verified=True))
    driver.act(step.verify_user_attribute())  # marked verified: no code was mailed
    assert len(codes.asked) == 1


@pytest.mark.parametrize(
    "one",
    [
        step.get_user_attribute_verification_code(),
        step.verify_user_attribute(),
        step.delete_user(),
    ],
    ids=lambda s: str(s.op),
)
def test_moto_lacks_the_self_service_operations(one: Any, moto_backend: Any) -> None:
    """moto 5.2.5: NotImplementedError in-process, so the step is unsupported (the same
    operations answer HTTP 500 on a moto server: MOTO_UNIMPLEMENTED)."""
    steps = [
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        one,
    ]
    assert _run(moto_backend, steps, AUTO)[-1] == ("unsupported", "unsupported")
    assert str(one.op) in MOTO_UNIMPLEMENTED


def test_moto_update_user_attributes_keeps_email_verified(moto_backend: Any) -> None:
    steps = [
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        step.update_user_attributes(new_email=True),
    ]
    result = Runner(moto_backend).run_one(Scenario("t", pool=AUTO, steps=steps))
    last = result.steps[-1]
    assert (last.verdict, last.observed["outcome"]) == (Verdict.known_gap, "ok")
    assert (last.predicted["email_verified"], last.observed["email_verified"]) == (False, True)
    assert last.gap is not None
    assert "S1 UpdateUserAttributes" in last.gap.source
    assert "update_user_attributes" not in MOTO_UNIMPLEMENTED


def test_moto_skips_the_code_of_an_admin_reset_with_the_reason(moto_backend: Any) -> None:
    """E5: the reset mails a code real pools get from --codes; moto's
    AdminResetUserPassword makes none (moto-25), so the step that needs it is skipped."""
    steps = [
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.admin_reset_user_password(),
        step.confirm_forgot_password(),
        step.admin_initiate_auth(),
    ]
    result = Runner(moto_backend).run_one(Scenario("t", pool=Pool(), steps=steps))
    assert result.passed
    assert [str(s.verdict) for s in result.steps] == ["match"] * 3 + ["skipped"] * 2
    assert "AdminResetUserPassword creates none (moto-25)" in result.steps[3].note
    assert result.steps[4].note.startswith("after step 4: ")

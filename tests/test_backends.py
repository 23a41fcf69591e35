"""The moto and model backends behind the one Backend interface, and the boto3 driver's
mapping of what a Cognito-compatible API answers into outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_states.backends import BACKENDS, Answer, BackendError, make_backend
from cognito_states.backends.boto import BotoUser, ClientSettings
from cognito_states.model import INITIAL, CognitoModel
from cognito_states.runner import Runner
from cognito_states.scenario import Pool, Scenario, load_scenarios, shipped_scenarios_path, step
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
            assert s.note == s.gap.source


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
    # moto-gaps.md #11: a deleted user's refresh token crashes in-process moto.
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


def _client_error(code: str, operation: str = "AdminCreateUser") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}}, operation)


def _driver(behaviour: Any, **kw: Any) -> BotoUser:
    return BotoUser(ClientSettings(FakeClient(behaviour), "pool", "client"), Pool(), "u", **kw)


def _raising(exc: BaseException) -> Any:
    def behaviour(operation: str, kwargs: dict[str, Any]) -> Any:
        raise exc

    return behaviour


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("UsernameExistsException", "error:UsernameExistsException"),
        ("500", "error:InternalError"),
        ("InternalFailure", "error:InternalError"),
        ("501", "unsupported"),
        ("NotImplemented", "unsupported"),
    ],
)
def test_client_errors_become_outcomes(code: str, outcome: str) -> None:
    driver = _driver(_raising(_client_error(code)))
    assert driver.act(step.admin_create_user()) == Answer(outcome)


def test_not_implemented_is_unsupported() -> None:
    driver = _driver(_raising(NotImplementedError()))
    assert driver.act(step.admin_disable_user()) == Answer("unsupported")


def test_crash_types_become_internal_error() -> None:
    driver = _driver(_raising(KeyError("x")), crash_types=(KeyError,))
    assert driver.act(step.admin_disable_user()) == Answer("error:InternalError")


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
    for one in [
        step.get_user(),
        step.global_sign_out(),
        step.change_password(),
        step.revoke_token(),
        step.respond_to_auth_challenge(),
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH"),
    ]:
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

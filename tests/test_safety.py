"""Safety on endpoints and real pools: throttling is retried and LimitExceededException
is not; an endpoint that dies or refuses is one line (exit 3); Ctrl-C and SIGTERM clean
up (exit 2); users the tool did not create are never touched; on aws, invitations are
suppressed and mail-sending steps need --email."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto_server import (
    PLAIN,
    MotoServer,
    add_user,
    endpoint_args,
    ledger_entries,
    long_scenario,
    main_run,
    make_pool,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    run_users,
    spawn,
    start_server,
    tool_users,
    user_view,
    usernames,
    wait_for,
    write_scenario,
)

from cognito_states import runner as runner_module
from cognito_states.backends import boto as boto_module
from cognito_states.backends.remote import EndpointBackend, RemoteBackend, RetryingClient
from cognito_states.ledger import Ledger
from cognito_states.runner import Runner
from cognito_states.scenario import load_scenarios

pytestmark = pytest.mark.usefixtures("remote_env")

Handler = Callable[..., Any]


def error_response(code: str, message: str = "injected") -> tuple[AWSResponse, dict[str, Any]]:
    """What a before-call hook returns to make botocore raise ``code``."""
    parsed = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {}}
    return AWSResponse("http://injected", 400, {}, None), parsed


def api_params(request: dict[str, Any]) -> dict[str, Any]:
    """The operation's parameters, from the request dict a before-call hook gets."""
    body: dict[str, Any] = json.loads(request["body"])
    return body


def failing(code: str, times: int, calls: list[dict[str, Any]] | None = None) -> Handler:
    """A hook that answers ``code`` the first ``times`` calls, then lets them through;
    ``calls`` collects each call's parameters."""
    seen = [0]

    def hook(params: dict[str, Any], **_: Any) -> Any:
        if calls is not None:
            calls.append(api_params(params))
        seen[0] += 1
        return error_response(code) if seen[0] <= times else None

    return hook


def hook_cli_clients(monkeypatch: pytest.MonkeyPatch, hooks: dict[str, Handler]) -> None:
    """Every client the tool makes gets these before-call hooks (operation -> handler)."""
    real = RemoteBackend._make_client

    def make_client(self: RemoteBackend) -> Any:
        client = real(self)
        for operation, handler in hooks.items():
            client.meta.events.register(f"before-call.cognito-idp.{operation}", handler)
        return client

    monkeypatch.setattr(RemoteBackend, "_make_client", make_client)


def scenario_file(tmp_path: Path, text: str = PLAIN, name: str = "plain.py") -> Path:
    return write_scenario(tmp_path, name, text)


def error_lines(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.strip()]


# ---------------------------------------------------------------- throttling


def backend_with_hooks(
    server: MotoServer, ledger: Path, hooks: dict[str, Handler]
) -> EndpointBackend:
    def factory() -> Any:
        client = server.client()
        for operation, handler in hooks.items():
            client.meta.events.register(f"before-call.cognito-idp.{operation}", handler)
        return client

    return EndpointBackend(endpoint_url=server.url, ledger=Ledger(ledger), client_factory=factory)


def test_throttling_is_retried_and_the_run_passes(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    calls: list[dict[str, Any]] = []
    backend = backend_with_hooks(
        moto_server, remote_env, {"AdminGetUser": failing("TooManyRequestsException", 3, calls)}
    )
    (scenario,) = load_scenarios([scenario_file(tmp_path)])
    backend.open()
    try:
        result = Runner(backend).run([scenario])
    finally:
        backend.close()
    assert result.exit_code == 0
    assert result.scenarios[0].passed is True
    client = backend._client
    assert isinstance(client, RetryingClient)
    assert client.throttled == 3
    assert len(calls) == len(scenario.steps) + 3
    assert not run_users(moto_server.client(), remote_env)


def test_limit_exceeded_is_observed_not_retried(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    calls: list[dict[str, Any]] = []
    backend = backend_with_hooks(
        moto_server,
        remote_env,
        {"AdminInitiateAuth": failing("LimitExceededException", 1, calls)},
    )
    (scenario,) = load_scenarios([scenario_file(tmp_path)])
    backend.open()
    try:
        result = Runner(backend).run([scenario])
    finally:
        backend.close()
    steps = result.scenarios[0].steps
    assert steps[2].observed["outcome"] == "error:LimitExceededException"
    assert str(steps[2].verdict) == "mismatch"
    assert len(calls) == 1  # the one admin_initiate_auth step, sent once
    assert backend._client.throttled == 0
    assert result.scenarios[0].error is None
    assert result.exit_code == 1
    assert [str(s.verdict) for s in steps[3:]] == ["match"] * 4


class FakeClient:
    def __init__(self, answers: list[Exception | str]) -> None:
        self.answers = answers
        self.meta = "meta"
        self.calls = 0

    def list_users(self, **kw: Any) -> str:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class CodedError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.response = {"Error": {"Code": code}}


def test_retrying_client_backs_off_and_gives_up() -> None:
    slept: list[float] = []
    fake = FakeClient([CodedError("TooManyRequestsException")] * 3 + ["done"])
    client = RetryingClient(fake, attempts=6, sleep=slept.append)
    assert client.list_users(UserPoolId="p") == "done"
    assert slept == [0.1, 0.2, 0.4]
    assert client.throttled == 3
    assert client.meta == "meta"

    fake = FakeClient([CodedError("TooManyRequestsException")] * 3)
    client = RetryingClient(fake, attempts=3, sleep=slept.append)
    with pytest.raises(CodedError):
        client.list_users()
    assert fake.calls == 3

    for code in ("LimitExceededException", "NotAuthorizedException"):
        fake = FakeClient([CodedError(code), "never"])
        with pytest.raises(CodedError):
            RetryingClient(fake, sleep=slept.append).list_users()
        assert fake.calls == 1


def test_retrying_client_paces_each_operation() -> None:
    slept: list[float] = []
    fake = FakeClient(["a", "b", "c"])
    client = RetryingClient(fake, per_operation_rps=5.0, sleep=slept.append)
    for _ in range(3):
        client.list_users()
    # the fake sleep takes no time, so each call is booked 0.2 s after the last
    assert slept == [pytest.approx(0.2, abs=0.05), pytest.approx(0.4, abs=0.05)]
    client._pace("admin_get_user")  # another operation has its own budget
    assert len(slept) == 2


def test_real_pools_are_paced_and_endpoints_are_not(moto_server: MotoServer) -> None:
    endpoint = EndpointBackend(endpoint_url=moto_server.url)
    endpoint.open()
    endpoint.close()
    assert endpoint._client._interval == 0.0
    from cognito_states.backends.remote import AwsBackend

    aws = AwsBackend(
        endpoint_url=moto_server.url,
        endpoint_kind="moto",
        create_pool=True,
        confirm=lambda question: True,
    )
    aws.open()
    aws.close()
    assert aws._client._interval == pytest.approx(0.2)


class FakeClock:
    """A clock that moves only when told to, or when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _paced_run(backend: RemoteBackend, clock: FakeClock) -> list[str]:
    """Sign in, sign out, sign in again on ``backend``, the clock moving 0.25 s a step;
    the outcomes."""
    from cognito_states.scenario import Pool, step

    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.admin_initiate_auth(),
        step.global_sign_out(),
        step.get_user(),  # not a sign-in: never waits
        step.admin_initiate_auth(),  # waits out the rest of the second
        step.admin_user_global_sign_out(),
        step.initiate_auth(),  # a second has passed already: no wait
    ]
    backend.clock, backend.sleep = clock, clock.sleep
    backend.open()
    try:
        user = backend.user(Pool(), "paced")
        try:
            verdicts = []
            for n, one in enumerate(steps):
                if n == len(steps) - 1:
                    clock.now += 1.0  # a slow step before the last sign-in
                answer = user.act(one)
                verdicts.append(str(answer.outcome))
                clock.now += 0.25
            return verdicts
        finally:
            user.close()
    finally:
        backend.close()


def test_a_real_pool_waits_a_second_between_a_global_sign_out_and_the_next_sign_in(
    moto_server: MotoServer, remote_env: Path
) -> None:
    """Revocation is timestamp-based on real pools (README: pacing): the sign-in after
    a global sign-out waits until a second has passed; nothing else waits."""
    from cognito_states.backends.remote import AwsBackend

    clock = FakeClock()
    aws = AwsBackend(
        endpoint_url=moto_server.url,
        endpoint_kind="moto",
        create_pool=True,
        confirm=lambda question: True,
    )
    outcomes = _paced_run(aws, clock)
    assert outcomes == [
        *("ok", "ok", "tokens", "ok"),
        *("error:NotAuthorizedException", "tokens", "ok", "tokens"),
    ]
    # signed out at t, then get_user at t+0.25, the sign-in at t+0.5: it waits 0.5 s
    assert clock.slept == [pytest.approx(0.5)]


def test_an_endpoint_never_waits_after_a_sign_out(
    moto_server: MotoServer, remote_env: Path
) -> None:
    clock = FakeClock()
    outcomes = _paced_run(EndpointBackend(endpoint_url=moto_server.url), clock)
    assert outcomes[-3:] == ["tokens", "ok", "tokens"]
    assert clock.slept == []


# ---------------------------------------------------------------- refusals and dead endpoints


def test_access_denied_mid_scenario_is_one_line_and_cleans_up(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    """A refusal that means the caller is misconfigured stops the run (exit 3); the
    error's text never shows the password even when the server echoes it."""
    client = moto_server.client()
    pool = make_pool(client, "safety-denied")
    keeper = user_view(add_user(client, pool.pool_id))

    def deny(params: dict[str, Any], **_: Any) -> Any:
        password = api_params(params)["AuthParameters"]["PASSWORD"]
        return error_response("AccessDeniedException", f"not allowed with {password}")

    hook_cli_clients(monkeypatch, {"AdminInitiateAuth": deny})
    passwords: list[str] = []
    real_password = boto_module.new_password
    monkeypatch.setattr(
        boto_module, "new_password", lambda: passwords.append(real_password()) or passwords[-1]
    )

    code, out, err = main_run(
        capsys, "run", str(scenario_file(tmp_path)), *endpoint_args(moto_server, *pool.args())
    )

    assert code == 3
    (line,) = error_lines(err)
    assert "AccessDeniedException" in line
    assert "***" in line
    assert not any(p in out + err for p in passwords)
    assert usernames(client, pool.pool_id) == {"keeper"}
    assert user_view(client.admin_get_user(UserPoolId=pool.pool_id, Username="keeper")) == keeper
    assert not Ledger(remote_env).outstanding()


@pytest.mark.parametrize("fixed", [False, True], ids=["throwaway-pool", "fixed-pool"])
def test_the_endpoint_dying_mid_scenario_is_a_backend_error(
    fixed: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_server(tmp_path)
    try:
        pool_args = make_pool(server.client(), "doomed").args() if fixed else []
        real_judge = Runner._judge

        def judge(self: Runner, scenario: Any, index: int, *args: Any, **kwargs: Any) -> Any:
            result = real_judge(self, scenario, index, *args, **kwargs)
            if index == 2:
                server.stop()
            return result

        monkeypatch.setattr(runner_module.Runner, "_judge", judge)
        code, out, err = main_run(
            capsys,
            "run",
            str(scenario_file(tmp_path)),
            *endpoint_args(server, *pool_args),
        )
    finally:
        server.stop()

    assert code == 3
    lines = error_lines(err)
    failure = [line for line in lines if "admin_initiate_auth failed" in line]
    assert len(failure) == 1
    assert "EndpointConnectionError" in failure[0]
    # the only other line: the throwaway pool could not be deleted, and what to do
    others = [line for line in lines if line not in failure]
    if fixed:
        assert others == []
    else:
        (notice,) = others
        assert "could not delete pool" in notice
        assert "cognito-states cleanup" in notice
    assert "(exit 3)" in out


# ---------------------------------------------------------------- signals


@pytest.mark.parametrize(
    ("signum", "fixed"),
    [
        (signal.SIGINT, False),
        (signal.SIGINT, True),
        (signal.SIGTERM, True),
    ],
    ids=["sigint-throwaway-pool", "sigint-fixed-pool", "sigterm-fixed-pool"],
)
def test_a_signal_mid_scenario_cleans_up_and_exits_2(
    signum: int, fixed: bool, moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    client = moto_server.client()
    pools_before = pool_ids(client)
    pool_args: list[str] = []
    keeper: dict[str, Any] | None = None
    if fixed:
        pool = make_pool(client, "safety-signal")
        keeper = user_view(add_user(client, pool.pool_id))
        pool_args = pool.args()
        pools_before = pool_ids(client)
    path = write_scenario(tmp_path, "long.py", long_scenario())

    process = spawn(["run", str(path), *endpoint_args(moto_server, *pool_args)], tmp_path)
    try:
        wait_for(lambda: any(e["kind"] == "user" for e in ledger_entries(remote_env)))
        (run,) = {e["run"] for e in ledger_entries(remote_env)}
        wait_for(lambda: any(u.startswith(f"cs-{run}-") for _, u in tool_users(client)))
        time.sleep(0.3)
        assert process.poll() is None, "the scenario ended before the signal"
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 2, err
    assert "Traceback" not in err
    assert "interrupted" in out + err
    assert not [u for _, u in tool_users(client) if u.startswith(f"cs-{run}-")]
    assert pool_ids(client) == pools_before
    assert not Ledger(remote_env).outstanding()
    if keeper is not None:
        assert usernames(client, pool.pool_id) == {"keeper"}
        got = client.admin_get_user(UserPoolId=pool.pool_id, Username="keeper")
        assert user_view(got) == keeper


# ---------------------------------------------------------------- the aws backend

MAIL = """
from cognito_states import Pool, Scenario, step

INVITED = Scenario(
    "admin-created user",
    pool=Pool(),
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        step.admin_set_user_password(permanent=True),
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)

FORGOT = Scenario(
    "forgot password mails a code",
    pool=Pool(),
    steps=[
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.forgot_password(),
        step.confirm_forgot_password(),
        step.admin_initiate_auth(),
    ],
)
"""


def aws_args(server: MotoServer, *more: str) -> list[str]:
    return [
        "--backend",
        "aws",
        "--endpoint-url",
        server.url,
        "--endpoint-kind",
        "moto",
        "--create-pool",
        "--yes",
        *more,
    ]


def test_aws_suppresses_invitations_and_skips_mail_without_email(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created: list[dict[str, Any]] = []
    forgot: list[dict[str, Any]] = []
    hook_cli_clients(
        monkeypatch,
        {
            "AdminCreateUser": failing("none", 0, created),
            "ForgotPassword": failing("none", 0, forgot),
        },
    )
    before = pool_ids(moto_server.client())
    path = scenario_file(tmp_path, MAIL, "mail.py")

    code, out, err = main_run(capsys, "run", str(path), "--json", *aws_args(moto_server))

    assert code == 0, err
    invited, forgotten = json.loads(out)["scenarios"]
    assert [s["verdict"] for s in invited["steps"]] == ["match"] * 3
    assert [s["verdict"] for s in forgotten["steps"]] == ["match", "match", *["skipped"] * 3]
    assert "--email" in forgotten["steps"][2]["note"]
    assert forgot == []
    assert [c["MessageAction"] for c in created] == ["SUPPRESS", "SUPPRESS"]
    emails = [a["Value"] for c in created for a in c["UserAttributes"] if a["Name"] == "email"]
    assert all(e.startswith("cs-") and e.endswith("@example.com") for e in emails)
    assert pool_ids(moto_server.client()) == before


def test_aws_with_email_mails_plus_addresses(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created: list[dict[str, Any]] = []
    hook_cli_clients(monkeypatch, {"AdminCreateUser": failing("none", 0, created)})
    path = scenario_file(tmp_path, MAIL, "mail.py")

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *aws_args(moto_server, "--email", "me@example.org")
    )

    assert code == 0, err
    verdicts = [s["verdict"] for sc in json.loads(out)["scenarios"] for s in sc["steps"]]
    assert "skipped" not in verdicts
    assert [c["MessageAction"] for c in created] == ["SUPPRESS", "SUPPRESS"]
    emails = [a["Value"] for c in created for a in c["UserAttributes"] if a["Name"] == "email"]
    names = [c["Username"] for c in created]
    assert emails == [f"me+{n}@example.org" for n in names]
    assert all(n.startswith("cs-") for n in names)


SELF_SERVICE_MAIL = """
from cognito_states import Pool, Scenario, step

CHANGED = Scenario(
    "a new email gets a code",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        step.update_user_attributes(new_email=True),
        step.verify_user_attribute(),
    ],
)

ASKED = Scenario(
    "the user asks for a code",
    pool=Pool(),
    steps=[
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        step.update_user_attributes(new_email=True),
        step.get_user_attribute_verification_code(),
        step.verify_user_attribute(),
    ],
)
"""


def test_aws_skips_self_service_mail_without_email(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """UpdateUserAttributes mails a code where email is auto-verified (and only there);
    GetUserAttributeVerificationCode always does: without --email neither is sent."""
    updates: list[dict[str, Any]] = []
    asked: list[dict[str, Any]] = []
    hook_cli_clients(
        monkeypatch,
        {
            "UpdateUserAttributes": failing("none", 0, updates),
            "GetUserAttributeVerificationCode": failing("none", 0, asked),
        },
    )
    path = scenario_file(tmp_path, SELF_SERVICE_MAIL, "self_service_mail.py")

    code, out, err = main_run(capsys, "run", str(path), "--json", *aws_args(moto_server))

    assert code == 0, err
    changed, asking = json.loads(out)["scenarios"]
    assert [s["verdict"] for s in changed["steps"]] == [*["match"] * 3, "skipped", "skipped"]
    assert "--email" in changed["steps"][3]["note"]
    # No auto-verification: the change mails nothing and is sent; asking for a code is not.
    assert [s["verdict"] for s in asking["steps"][:4]] == ["match"] * 4
    assert [s["verdict"] for s in asking["steps"][4:]] == ["skipped"] * 2
    assert "--email" in asking["steps"][4]["note"]
    assert len(updates) == 1  # the second scenario's, in a pool that mails nothing
    assert asked == []


def test_aws_with_email_sends_self_service_mail(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    updates: list[dict[str, Any]] = []
    hook_cli_clients(monkeypatch, {"UpdateUserAttributes": failing("none", 0, updates)})
    path = scenario_file(tmp_path, SELF_SERVICE_MAIL, "self_service_mail.py")

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *aws_args(moto_server, "--email", "me@example.org")
    )

    assert code == 0, err
    verdicts = [s["verdict"] for sc in json.loads(out)["scenarios"] for s in sc["steps"]]
    assert "skipped" not in verdicts
    assert verdicts.count("unsupported") == 3  # moto lacks the code and verify operations
    new = [a["Value"] for u in updates for a in u["UserAttributes"] if a["Name"] == "email"]
    assert len(new) == 2
    assert all(e.startswith("me+cs-") and e.endswith("@example.org") for e in new)


def test_the_endpoint_backend_lets_invitations_through(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Suppression is the aws backend's policy; an emulator mails no one."""
    created: list[dict[str, Any]] = []
    hook_cli_clients(monkeypatch, {"AdminCreateUser": failing("none", 0, created)})
    path = scenario_file(tmp_path, MAIL, "mail.py")
    code, out, _ = main_run(capsys, "run", str(path), "--json", *endpoint_args(moto_server))
    assert code == 0
    assert [c.get("MessageAction") for c in created] == [None, None]
    verdicts = [s["verdict"] for sc in json.loads(out)["scenarios"] for s in sc["steps"]]
    assert "skipped" not in verdicts

"""The endpoint backend against a real moto server: recognition and known gaps,
throwaway pools, fixed pools and drift, client secrets, SRP, and `pool show`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_endpoint import Failure, FakeCognito, FakeEndpoint, serve
from moto_server import (
    PLAIN,
    MotoServer,
    add_user,
    closed_url,
    endpoint_args,
    ledger_entries,
    main_run,
    make_pool,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    user_view,
    usernames,
    write_scenario,
)

from cognito_states.backends import boto as boto_module
from cognito_states.backends import remote as remote_module
from cognito_states.backends.remote import EndpointBackend, is_moto_server
from cognito_states.backends.srp import srp_sign_in
from cognito_states.gaps import gaps_for, unimplemented_for
from cognito_states.ledger import Ledger
from cognito_states.scenario import load_scenarios, shipped_scenarios_path

pytestmark = pytest.mark.usefixtures("remote_env")


class Recorder:
    """Collects every secret the tool makes or is given during an in-process run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.passwords: list[str] = []
        self.tokens: list[str] = []
        self.client_secrets: list[str | None] = []
        self.pools_created = 0
        real_password = boto_module.new_password
        real_create = remote_module.create_pool
        real_outcome = boto_module.BotoUser._auth_outcome

        def new_password() -> str:
            value = real_password()
            self.passwords.append(value)
            return value

        def create_pool(*args: Any, **kwargs: Any) -> Any:
            settings = real_create(*args, **kwargs)
            self.pools_created += 1
            self.client_secrets.append(settings.client_secret)
            return settings

        def auth_outcome(user: Any, response: dict[str, Any], username: str) -> Any:
            outcome = real_outcome(user, response, username)
            for value in (user.access_token, user.refresh_token, user.session):
                if value:
                    self.tokens.append(value)
            return outcome

        monkeypatch.setattr(boto_module, "new_password", new_password)
        monkeypatch.setattr(remote_module, "create_pool", create_pool)
        monkeypatch.setattr(boto_module.BotoUser, "_auth_outcome", auth_outcome)

    def secrets(self) -> list[str]:
        return [s for s in (*self.passwords, *self.tokens, *self.client_secrets) if s]

    def assert_hidden_in(self, *texts: str) -> None:
        assert self.passwords, "the run made no password: the recorder saw nothing"
        for text in texts:
            leaked = [s for s in self.secrets() if s in text]
            assert not leaked, f"{len(leaked)} secret(s) appear in the output"


# ---------------------------------------------------------------- recognition


def test_a_moto_server_is_recognised_and_a_closed_port_is_not(moto_server: MotoServer) -> None:
    assert is_moto_server(moto_server.url)
    assert is_moto_server(moto_server.url + "/")
    assert not is_moto_server(closed_url())


@pytest.mark.parametrize(
    ("endpoint_kind", "kind"), [(None, "moto"), ("other", "other"), ("aws", "aws")]
)
def test_endpoint_kind_is_detected_or_overridden(
    moto_server: MotoServer, tmp_path: Path, endpoint_kind: str | None, kind: str
) -> None:
    backend = EndpointBackend(
        endpoint_url=moto_server.url,
        endpoint_kind=endpoint_kind,
        ledger=Ledger(tmp_path / "ledger.jsonl"),
    )
    backend.open()
    try:
        assert backend.kind == kind
    finally:
        backend.close()
    assert bool(gaps_for(backend.kind)) == (kind == "moto")
    assert bool(unimplemented_for(backend.kind)) == (kind == "moto")


SRP_WRONG = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "srp with a wrong password",
    pool=Pool(),
    steps=[
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(auth_flow="USER_SRP_AUTH").expect(outcome="tokens"),
        step.initiate_auth(auth_flow="USER_SRP_AUTH", wrong_password=True),
    ],
)
"""


def test_moto_server_gets_moto_gaps_and_endpoint_kind_overrides_them(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """moto accepts a wrong SRP password: a known gap on moto, a mismatch elsewhere."""
    path = write_scenario(tmp_path, "srp_wrong.py", SRP_WRONG)
    code, out, _ = main_run(capsys, "run", str(path), "--json", *endpoint_args(moto_server))
    assert code == 0
    (scenario,) = json.loads(out)["scenarios"]
    last = scenario["steps"][-1]
    assert last["observed"]["outcome"] == "tokens"
    assert last["predicted"]["outcome"] == "error:NotAuthorizedException"
    assert last["verdict"] == "known-gap"
    assert "USER_SRP_AUTH" in last["gap_source"]
    assert scenario["steps"][2]["verdict"] == "match"

    code, out, _ = main_run(
        capsys,
        "run",
        str(path),
        "--json",
        *endpoint_args(moto_server, "--endpoint-kind", "other"),
    )
    assert code == 1
    (scenario,) = json.loads(out)["scenarios"]
    assert scenario["steps"][-1]["verdict"] == "mismatch"


# ---------------------------------------------------------------- throwaway pools


def test_shipped_scenarios_pass_with_generated_secrets_and_leave_no_pool(
    moto_server: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    before = pool_ids(client)
    recorder = Recorder(monkeypatch)

    code, out, err = main_run(
        capsys, "run", "--json", *endpoint_args(moto_server, "--generate-secret")
    )

    assert code == 0, err
    doc = json.loads(out)
    assert doc["backend"] == "endpoint"
    assert all(s["passed"] for s in doc["scenarios"])
    shipped = load_scenarios([shipped_scenarios_path()])
    assert len(doc["scenarios"]) == len(shipped)
    # one throwaway pool and client per distinct Pool(...) declaration, each with a secret
    assert recorder.pools_created == len({s.pool for s in shipped})
    assert recorder.client_secrets
    assert all(recorder.client_secrets)
    assert pool_ids(client) == before
    ledger = remote_env.read_text(encoding="utf-8")
    recorder.assert_hidden_in(out, err, ledger)
    assert not Ledger(remote_env).outstanding()


def test_users_get_the_run_prefix(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], remote_env: Path
) -> None:
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, _, err = main_run(capsys, "run", str(path), *endpoint_args(moto_server))
    assert code == 0, err
    users = [e for e in ledger_entries(remote_env) if e["kind"] == "user"]
    (created,) = [e for e in users if e["event"] == "created"]
    assert created["username"] == f"cs-{created['run']}-1"
    assert [e["event"] for e in users] == ["created", "deleted"]


# ---------------------------------------------------------------- fixed pools


def test_fixed_pool_with_a_secret_passes_hides_the_secret_and_keeps_other_users(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "fixed-secret", secret=True)
    assert pool.secret
    keeper = user_view(add_user(client, pool.pool_id))
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    recorder = Recorder(monkeypatch)
    recorder.client_secrets.append(pool.secret)

    for extra in ([], ["--json"]):
        code, out, err = main_run(
            capsys, "run", str(path), *extra, *endpoint_args(moto_server, *pool.args())
        )
        assert code == 0, out + err
        recorder.assert_hidden_in(out, err, remote_env.read_text(encoding="utf-8"))
    assert recorder.pools_created == 0
    doc = json.loads(out)
    assert [s["verdict"] for s in doc["scenarios"][0]["steps"]] == ["match"] * 7
    assert usernames(client, pool.pool_id) == {"keeper"}
    assert user_view(client.admin_get_user(UserPoolId=pool.pool_id, Username="keeper")) == keeper


def test_the_secret_from_the_environment_is_the_one_hashed(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """COGNITO_CLIENT_SECRET wins over DescribeUserPoolClient's: a wrong (well-formed)
    one makes moto refuse the SECRET_HASH where it checks it (refresh and SRP)."""
    client = moto_server.client()
    pool = make_pool(client, "fixed-wrong-secret", secret=True)
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", "wrongsecret1234")
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, out, err = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, *pool.args())
    )
    assert code == 1
    steps = {s["index"]: s for s in json.loads(out)["scenarios"][0]["steps"]}
    for index in (5, 6):  # REFRESH_TOKEN_AUTH and USER_SRP_AUTH
        assert steps[index]["observed"]["outcome"] == "error:NotAuthorizedException"
        assert steps[index]["verdict"] == "mismatch"
    assert "wrongsecret1234" not in out + err
    assert not usernames(client, pool.pool_id)


def test_a_moto_server_secret_can_be_passed_in_the_environment(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "fixed-env-secret", secret=True)
    assert pool.secret
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", pool.secret)
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, out, err = main_run(capsys, "run", str(path), *endpoint_args(moto_server, *pool.args()))
    assert pool.secret not in out + err
    assert code == 0, err


# ---------------------------------------------------------------- drift

DECLARES_LEGACY = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "written for a LEGACY pool",
    pool=Pool(prevent_user_existence_errors="LEGACY"),
    steps=[
        step.admin_create_user(),
        step.admin_delete_user(),
        step.admin_initiate_auth().expect(outcome="error:UserNotFoundException"),
    ],
)
"""

DECLARES_NOTHING = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "deleted user signs in",
    pool=Pool(),
    steps=[
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True),
        step.admin_delete_user().expect(status=None),
        step.admin_initiate_auth(),
    ],
)
"""


def test_a_declared_keyword_the_pool_lacks_is_drift_and_no_user_is_created(
    moto_server: MotoServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "fixed-enabled", prevent="ENABLED")
    path = write_scenario(tmp_path, "legacy.py", DECLARES_LEGACY)

    code, out, _ = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, *pool.args())
    )

    assert code == 1
    (scenario,) = json.loads(out)["scenarios"]
    assert scenario["verdict"] == "drift"
    assert scenario["passed"] is False
    assert scenario["drift"] == [
        {
            "keyword": "prevent_user_existence_errors",
            "declared": "LEGACY",
            "actual": "ENABLED",
        }
    ]
    assert scenario["steps"] == []
    assert not usernames(client, pool.pool_id)
    assert not [e for e in ledger_entries(remote_env) if e["kind"] == "user"]

    code, out, _ = main_run(capsys, "run", str(path), *endpoint_args(moto_server, *pool.args()))
    assert code == 1
    assert "drift" in out
    assert "LEGACY" in out
    assert "ENABLED" in out


def test_a_keyword_not_declared_comes_from_the_pool(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "fixed-enabled-2", prevent="ENABLED")
    path = write_scenario(tmp_path, "nothing.py", DECLARES_NOTHING)

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, *pool.args())
    )

    assert code == 0, err
    (scenario,) = json.loads(out)["scenarios"]
    assert scenario["drift"] == []
    assert scenario["pool"]["prevent_user_existence_errors"] == "ENABLED"
    sign_in = scenario["steps"][-1]
    # real Cognito (ENABLED) hides the missing user; moto does not: moto-20
    assert sign_in["predicted"]["outcome"] == "error:NotAuthorizedException"
    assert sign_in["observed"]["outcome"] == "error:UserNotFoundException"
    assert sign_in["verdict"] == "known-gap"


# ---------------------------------------------------------------- pool show


def test_pool_show_json_is_the_pools_settings(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = moto_server.client()
    pool = make_pool(
        client,
        "fixed-show",
        prevent="ENABLED",
        flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "email", "Required": True, "Mutable": True},
            {"Name": "name", "Required": True, "Mutable": True},
        ],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )

    code, out, err = main_run(
        capsys, "pool", "show", "--json", *endpoint_args(moto_server, *pool.args())
    )

    assert code == 0, err
    doc = json.loads(out)
    assert doc == {
        "cognito_states": 1,
        "pool_id": pool.pool_id,
        "client_id": pool.client_id,
        "settings": {
            "username_attributes": ["email"],
            "auto_verified_attributes": ["email"],
            "required_attributes": ["email", "name"],
            "prevent_user_existence_errors": "ENABLED",
            "auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
            "attributes_require_verification_before_update": ["email"],
            "mfa": "OFF",
            "mfa_methods": [],
            "account_recovery": [],
        },
    }
    assert out == json.dumps(doc, indent=2, sort_keys=True) + "\n"

    code, out, err = main_run(capsys, "pool", "show", *endpoint_args(moto_server, *pool.args()))
    assert code == 0, err
    assert "ENABLED" in out


def test_pool_show_with_default_settings(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = make_pool(moto_server.client(), "fixed-defaults")
    code, out, _ = main_run(
        capsys, "pool", "show", "--json", *endpoint_args(moto_server, *pool.args())
    )
    assert code == 0
    assert json.loads(out)["settings"] == {
        "username_attributes": [],
        "auto_verified_attributes": [],
        "required_attributes": [],
        "prevent_user_existence_errors": "LEGACY",
        "auth_flows": sorted(
            [
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_SRP_AUTH",
            ]
        ),
        "attributes_require_verification_before_update": [],
        "mfa": "OFF",
        "mfa_methods": [],
        "account_recovery": [],
    }


def test_pool_show_needs_an_existing_pool(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = main_run(capsys, "pool", "show", *endpoint_args(moto_server))
    assert code == 4
    assert "--pool-id" in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""

    with pytest.raises(SystemExit) as info:
        main_run(capsys, "pool", "show", "--backend", "moto")
    assert info.value.code == 4
    assert capsys.readouterr().err == (
        "cognito-states pool: argument --backend: invalid choice: 'moto'"
        " (choose from 'aws', 'endpoint'); see --help\n"
    )


# ---------------------------------------------------------------- SRP


@pytest.mark.parametrize("secret", [False, True], ids=["no-secret", "secret"])
def test_srp_sign_in_gets_tokens_from_moto(moto_server: MotoServer, secret: bool) -> None:
    client = moto_server.client()
    pool = make_pool(client, "srp", secret=secret)
    add_user(client, pool.pool_id, "srp-user")

    answer = srp_sign_in(
        client, pool.pool_id, pool.client_id, pool.secret, "srp-user", "Keeper-Passw0rd!"
    )

    assert answer["AuthenticationResult"]["AccessToken"]
    client.get_user(AccessToken=answer["AuthenticationResult"]["AccessToken"])
    # moto does not check the proof: a wrong password gets tokens too, a listed gap
    wrong = srp_sign_in(
        client, pool.pool_id, pool.client_id, pool.secret, "srp-user", "Wrong-Passw0rd!"
    )
    assert "AuthenticationResult" in wrong
    sources = [
        g.source
        for g in gaps_for("moto")
        if g.operation == "initiate_auth"
        and g.params == {"auth_flow": "USER_SRP_AUTH", "wrong_password": True}
        and g.observed == {"outcome": "tokens"}
    ]
    assert sources


class SrpVerifier:
    """The server side of Cognito's SRP-6a exchange (pycognito ships no test vectors,
    and moto checks no proof): stores a verifier for one password, answers
    USER_SRP_AUTH with PASSWORD_VERIFIER and checks PASSWORD_CLAIM_SIGNATURE."""

    def __init__(self, pool_id: str, username: str, password: str, secret: str | None) -> None:
        from pycognito import aws_srp

        self.srp = aws_srp
        self.pool_name = pool_id.split("_")[1]
        self.username = username
        self.secret = secret
        self.n = aws_srp.hex_to_long(aws_srp.N_HEX)
        self.g = aws_srp.hex_to_long(aws_srp.G_HEX)
        self.k = aws_srp.hex_to_long(aws_srp.hex_hash("00" + aws_srp.N_HEX + "0" + aws_srp.G_HEX))
        self.salt = aws_srp.pad_hex(aws_srp.get_random(16))
        inner = aws_srp.hash_sha256(f"{self.pool_name}{username}:{password}".encode())
        x = aws_srp.hex_to_long(aws_srp.hex_hash(aws_srp.pad_hex(self.salt) + inner))
        self.v = pow(self.g, x, self.n)
        self.b = aws_srp.get_random(128) % self.n
        self.big_b = (self.k * self.v + pow(self.g, self.b, self.n)) % self.n
        self.secret_block = base64.standard_b64encode(b"opaque-secret-block").decode()
        self.big_a = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _check_hash(self, params: dict[str, str], client_id: str) -> None:
        if self.secret is None:
            assert "SECRET_HASH" not in params
            return
        digest = hmac.new(
            self.secret.encode(), (self.username + client_id).encode(), hashlib.sha256
        ).digest()
        assert params["SECRET_HASH"] == base64.b64encode(digest).decode()

    def initiate_auth(self, **kw: Any) -> dict[str, Any]:
        self.calls.append(("initiate_auth", kw))
        params = kw["AuthParameters"]
        assert kw["AuthFlow"] == "USER_SRP_AUTH"
        assert params["USERNAME"] == self.username
        self._check_hash(params, kw["ClientId"])
        self.big_a = self.srp.hex_to_long(params["SRP_A"])
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": "session-1",
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": self.username,
                "USERNAME": self.username,
                "SALT": self.salt,
                "SRP_B": self.srp.long_to_hex(self.big_b),
                "SECRET_BLOCK": self.secret_block,
            },
        }

    def respond_to_auth_challenge(self, **kw: Any) -> dict[str, Any]:
        self.calls.append(("respond_to_auth_challenge", kw))
        answers = kw["ChallengeResponses"]
        assert kw["ChallengeName"] == "PASSWORD_VERIFIER"
        assert kw["Session"] == "session-1"
        assert answers["PASSWORD_CLAIM_SECRET_BLOCK"] == self.secret_block
        self._check_hash(answers, kw["ClientId"])
        srp = self.srp
        u = srp.calculate_u(self.big_a, self.big_b)
        s = pow(self.big_a * pow(self.v, u, self.n), self.b, self.n)
        key = srp.compute_hkdf(
            bytearray.fromhex(srp.pad_hex(s)), bytearray.fromhex(srp.pad_hex(srp.long_to_hex(u)))
        )
        message = (
            self.pool_name.encode()
            + self.username.encode()
            + base64.standard_b64decode(self.secret_block)
            + answers["TIMESTAMP"].encode()
        )
        expected = base64.standard_b64encode(
            hmac.new(key, message, hashlib.sha256).digest()
        ).decode()
        if answers["PASSWORD_CLAIM_SIGNATURE"] != expected:
            return {"Error": "NotAuthorized"}
        return {"AuthenticationResult": {"AccessToken": "a", "RefreshToken": "r"}}


@pytest.mark.parametrize("secret", [None, "s3cret"], ids=["no-secret", "secret"])
def test_srp_sign_in_proves_the_password_to_an_srp_verifier(secret: str | None) -> None:
    pool_id = "us-east-1_AbC123xyz"
    server = SrpVerifier(pool_id, "alice", "Right-Passw0rd!", secret)
    answer = srp_sign_in(server, pool_id, "client1", secret, "alice", "Right-Passw0rd!")
    assert "AuthenticationResult" in answer
    assert [name for name, _ in server.calls] == ["initiate_auth", "respond_to_auth_challenge"]

    server = SrpVerifier(pool_id, "alice", "Right-Passw0rd!", secret)
    answer = srp_sign_in(server, pool_id, "client1", secret, "alice", "Wrong-Passw0rd!")
    assert "AuthenticationResult" not in answer


# ---------------------------------------------------------------- an emulator's own words

ON_AN_EMULATOR = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "disable on an emulator",
    pool=Pool(),
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        step.admin_disable_user(),
    ],
)
"""


@pytest.fixture
def fake_endpoint() -> Iterator[FakeEndpoint]:
    yield from serve(FakeCognito())


def _run_on(
    endpoint: FakeEndpoint,
    failure: Failure,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *more: str,
) -> tuple[int, str, str]:
    endpoint.fake.failure = failure
    path = write_scenario(tmp_path, "emulator.py", ON_AN_EMULATOR)
    return main_run(
        capsys, "run", str(path), "--backend", "endpoint", "--endpoint-url", endpoint.url, *more
    )


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (  # cognito-local
            500,
            {
                "__type": "CognitoLocal#Unsupported",
                "message": "Cognito Local unsupported feature: AdminDisableUser",
            },
            "Unsupported: Cognito Local unsupported feature: AdminDisableUser",
        ),
        (400, {"__type": "NotImplemented", "message": "no"}, "NotImplemented: no"),
        (400, {"__type": "NotImplementedException"}, "NotImplementedException"),
        (400, {"__type": "UnknownOperationException"}, "UnknownOperationException"),
        (
            400,
            {"__type": "InvalidAction", "message": "no such action"},
            "InvalidAction: no such action",
        ),
        (501, None, "501: Not Implemented"),  # botocore's reason phrase
    ],
    ids=[
        "cognito-local",
        "NotImplemented",
        "NotImplementedException",
        "UnknownOperation",
        "InvalidAction",
        "http-501",
    ],
)
def test_an_emulators_not_implemented_is_unsupported_with_its_code(
    fake_endpoint: FakeEndpoint,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    status: int,
    body: dict[str, Any] | None,
    said: str,
) -> None:
    failure = Failure("AdminDisableUser", status, body)
    code, out, err = _run_on(fake_endpoint, failure, tmp_path, capsys, "--json")
    assert code == 0, err
    (scenario,) = json.loads(out)["scenarios"]
    first, second = scenario["steps"]
    assert first["verdict"] == "match"  # the fake really ran the scenario
    assert second["verdict"] == "unsupported"
    assert second["note"] == f"the backend does not implement this operation (it answered {said})"
    assert fake_endpoint.fake.users == {}  # the user was deleted

    code, _, _ = _run_on(fake_endpoint, failure, tmp_path, capsys, "--strict")
    assert code == 1


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ({}, "HTTP 500"),
        ({"__type": "InternalFailure", "message": "boom"}, "HTTP 500 InternalFailure: boom"),
    ],
    ids=["bare", "InternalFailure"],
)
def test_a_crash_of_an_endpoint_is_a_backend_error(
    fake_endpoint: FakeEndpoint,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: dict[str, Any],
    shown: str,
) -> None:
    code, _, err = _run_on(fake_endpoint, Failure("AdminDisableUser", 500, body), tmp_path, capsys)
    assert code == 3
    assert err.splitlines()[-1] == (
        "cognito-states: disable on an emulator: admin_disable_user: the backend failed with"
        f" a server error ({shown}); a crash is not an answer to judge"
    )
    assert fake_endpoint.fake.users == {}
    assert "DeleteUserPool" in fake_endpoint.fake.calls


def test_a_crash_of_a_moto_kind_endpoint_is_observed_and_never_passes(
    fake_endpoint: FakeEndpoint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failure = Failure("AdminDisableUser", 500, {})
    code, out, _ = _run_on(
        fake_endpoint, failure, tmp_path, capsys, "--json", "--endpoint-kind", "moto"
    )
    assert code == 1
    second = json.loads(out)["scenarios"][0]["steps"][1]
    assert (second["observed"]["outcome"], second["verdict"]) == ("error:InternalError", "mismatch")


def test_on_an_aws_kind_endpoint_not_implemented_is_an_answer(
    fake_endpoint: FakeEndpoint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failure = Failure("AdminDisableUser", 400, {"__type": "NotImplementedException"})
    code, out, _ = _run_on(
        fake_endpoint, failure, tmp_path, capsys, "--json", "--endpoint-kind", "aws"
    )
    assert code == 1
    second = json.loads(out)["scenarios"][0]["steps"][1]
    assert (second["observed"]["outcome"], second["verdict"]) == (
        "error:NotImplementedException",
        "mismatch",
    )
    code, _, _ = _run_on(
        fake_endpoint,
        Failure("AdminDisableUser", 501, None),
        tmp_path,
        capsys,
        "--endpoint-kind",
        "aws",
    )
    assert code == 3


def test_the_aws_backend_never_reads_not_implemented(tmp_path: Path) -> None:
    from cognito_states.backends.remote import AwsBackend

    backend = AwsBackend(
        pool_id="us-east-1_abc", client_id="c", ledger=Ledger(tmp_path / "l"), client_factory=dict
    )
    assert backend.emulated is False
    assert EndpointBackend(endpoint_url="http://x", client_factory=dict).emulated is True

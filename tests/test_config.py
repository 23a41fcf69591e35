"""Settings for endpoints and real pools: flags, then the environment, then .env; a
missing or malformed value is one line naming the variable and where to set it (exit 4);
bad pools exit 4, an unreachable endpoint or missing credentials exit 3; the aws backend
asks before touching anything."""

from __future__ import annotations

import builtins
import io
import json
import sys
from pathlib import Path

import pytest
from moto_server import (
    PLAIN,
    MotoServer,
    closed_url,
    endpoint_args,
    ledger_entries,
    main_run,
    make_pool,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    run_cli,
    run_users,
    usernames,
    write_scenario,
)

from cognito_states.config import OPTIONS, VARIABLES, ConfigError, cli_name, resolve

# variable -> the option it sets
OPT = {o.env: o.name for o in OPTIONS if o.env}

pytestmark = pytest.mark.usefixtures("remote_env")

# A well-formed value for every variable, in three versions (flag, environment, .env).
VALUES = {
    "USER_POOL_ID": ("us-east-1_Flag1", "us-east-1_Env1", "us-east-1_Dotenv1"),
    "COGNITO_CLIENT_ID": ("flagclient", "envclient", "dotenvclient"),
    "COGNITO_CLIENT_SECRET": ("flagsecret", "envsecret", "dotenvsecret"),
    "REGION": ("eu-west-1", "eu-central-1", "ap-southeast-2"),
    "MY_USERNAME": ("flag@example.org", "env@example.org", "dotenv@example.org"),
    "COGNITO_ENDPOINT_URL": ("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"),
    "AWS_PROFILE": ("flagprofile", "envprofile", "dotenvprofile"),
    "MY_PHONE": ("+447700900123", "+12025550123", "+33612345678"),
    "COGNITO_SMS_ROLE_ARN": (
        "arn:aws:iam::123456789012:role/flag",
        "arn:aws:iam::123456789012:role/env",
        "arn:aws:iam::123456789012:role/dotenv",
    ),
    "COGNITO_SMS_EXTERNAL_ID": ("flag-id", "env-id", "dotenv-id"),
}


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def write_dotenv(folder: Path, **values: str) -> None:
    text = "".join(f"{k}={v}\n" for k, v in values.items())
    (folder / ".env").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- resolve()


def test_every_variable_is_known() -> None:
    assert set(VARIABLES) == set(VALUES)


@pytest.mark.parametrize("name", sorted(VALUES))
def test_flag_beats_environment_beats_dotenv(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag, env, dotenv = VALUES[name]
    write_dotenv(tmp_path, **{name: dotenv})
    monkeypatch.chdir(tmp_path)

    option = OPT[name]
    monkeypatch.delenv(name, raising=False)
    settings = resolve({})
    assert (settings.get(option), settings.origins[option]) == (dotenv, ".env")

    monkeypatch.setenv(name, env)
    settings = resolve({})
    assert (settings.get(option), settings.origins[option]) == (env, "environment")

    settings = resolve({option: flag})
    assert (settings.get(option), settings.origins[option]) == (flag, "given")


def test_each_variable_comes_from_its_own_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_dotenv(tmp_path, REGION="ap-southeast-2", MY_USERNAME="dotenv@example.org")
    monkeypatch.setenv("REGION", "eu-central-1")
    monkeypatch.setenv("USER_POOL_ID", "us-east-1_Env1")
    settings = resolve({"pool_id": "us-east-1_Flag1", "client_id": None}, cwd=tmp_path)
    given = {name: settings.get(name) for name in settings.origins}
    assert given == {
        "pool_id": "us-east-1_Flag1",
        "region": "eu-central-1",
        "email": "dotenv@example.org",
    }
    assert dict(settings.origins) == {
        "pool_id": "given",
        "region": "environment",
        "email": ".env",
    }
    assert settings.get("client_id") is None


def test_require_names_the_variable_its_flag_and_where_to_set_it() -> None:
    settings = resolve({})
    with pytest.raises(ConfigError) as caught:
        settings.require("client_id", "the app client")
    message = caught.value.render(cli_name)
    assert "COGNITO_CLIENT_ID" in message
    assert "--client-id" in message
    assert ".env" in message


def test_a_dotenv_elsewhere_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    write_dotenv(other, REGION="eu-west-1")
    assert resolve({}).get("region") is None
    assert resolve({}, cwd=other).get("region") == "eu-west-1"


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("USER_POOL_ID", "not-a-pool"),
        ("COGNITO_CLIENT_ID", "bad client!"),
        ("REGION", "Europe"),
        ("MY_USERNAME", "nobody"),
        ("COGNITO_ENDPOINT_URL", "localhost:5000"),
    ],
)
def test_malformed_values_are_refused(name: str, bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve({OPT[name]: bad})
    assert str(caught.value).startswith(f"{name} {bad!r} is not ")


# ---------------------------------------------------------------- through the CLI


@pytest.mark.parametrize(
    ("origin", "where"),
    [
        ("flag", "fix --pool-id"),
        ("environment", "fix USER_POOL_ID in the environment"),
        (".env", "fix USER_POOL_ID in .env"),
    ],
)
def test_malformed_pool_id_names_its_origin(
    origin: str,
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    args = ["run", "--backend", "endpoint", "--endpoint-url", closed_url()]
    if origin == "flag":
        args += ["--pool-id", "nopool"]
    elif origin == "environment":
        monkeypatch.setenv("USER_POOL_ID", "nopool")
    else:
        write_dotenv(tmp_path, USER_POOL_ID="nopool")
    code, out, err = main_run(capsys, *args)
    assert code == 4
    line = one_line(err)
    assert "USER_POOL_ID 'nopool'" in line
    assert line.endswith(where)
    assert out == ""
    assert not remote_env.exists()


def test_a_malformed_secret_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", "has spaces in it")
    code, out, err = main_run(capsys, "run", "--backend", "endpoint", "--endpoint-url", "http://x")
    assert code == 4
    line = one_line(err)
    assert "COGNITO_CLIENT_SECRET (hidden)" in line
    assert "has spaces" not in out + err


def test_endpoint_needs_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = main_run(capsys, "run", "--backend", "endpoint")
    assert code == 4
    line = one_line(err)
    assert "--endpoint-url" in line
    assert "COGNITO_ENDPOINT_URL" in line


def test_pool_id_without_client_id_names_cognito_client_id(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = make_pool(moto_server.client(), "config-no-client")
    code, _, err = main_run(capsys, "run", *endpoint_args(moto_server, "--pool-id", pool.pool_id))
    assert code == 4
    line = one_line(err)
    assert "COGNITO_CLIENT_ID" in line
    assert "--client-id" in line


@pytest.mark.parametrize("unknown", ["pool", "client"])
def test_an_unknown_pool_or_client_is_bad_input(
    unknown: str,
    moto_server: MotoServer,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "config-unknown")
    pool_id = "us-east-1_Nonexistent0" if unknown == "pool" else pool.pool_id
    client_id = pool.client_id if unknown == "pool" else "nosuchclient"
    code, out, err = main_run(
        capsys,
        "run",
        *endpoint_args(moto_server, "--pool-id", pool_id, "--client-id", client_id),
    )
    assert code == 4
    line = one_line(err)
    assert pool_id in line
    assert "ResourceNotFoundException" in line
    assert out == ""
    assert ledger_entries(remote_env) == []


def test_an_endpoint_that_is_down_is_a_backend_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = closed_url()
    code, out, err = main_run(capsys, "run", "--backend", "endpoint", "--endpoint-url", url)
    assert code == 3
    line = one_line(err)
    assert "could not reach Cognito" in line
    assert url in line
    assert out == ""


def test_everything_can_come_from_dotenv(
    moto_server: MotoServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "config-dotenv")
    write_dotenv(
        tmp_path,
        COGNITO_ENDPOINT_URL=moto_server.url,
        USER_POOL_ID=pool.pool_id,
        COGNITO_CLIENT_ID=pool.client_id,
        REGION="us-east-1",
    )
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, out, err = main_run(capsys, "run", str(path), "--backend", "endpoint", "--json")
    assert code == 0, err
    assert json.loads(out)["scenarios"][0]["passed"]
    assert not run_users(client, remote_env)


def test_a_flag_overrides_a_broken_dotenv_url(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dotenv(tmp_path, COGNITO_ENDPOINT_URL=closed_url())
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, _, err = main_run(capsys, "run", str(path), *endpoint_args(moto_server))
    assert code == 0, err
    code, _, err = main_run(capsys, "run", str(path), "--backend", "endpoint")
    assert code == 3
    assert "could not reach Cognito" in one_line(err)


# ---------------------------------------------------------------- the aws backend


ONE_STEP = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario("one step", pool=Pool(), steps=[step.admin_create_user()])
"""


def aws_args(server: MotoServer, *more: str) -> list[str]:
    return [
        "--backend",
        "aws",
        "--endpoint-url",
        server.url,
        "--endpoint-kind",
        "moto",
        "--region",
        "us-east-1",
        *more,
    ]


def test_aws_without_yes_and_without_a_terminal_stops_before_creating_anything(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    client = moto_server.client()
    before = pool_ids(client)
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    done = run_cli(["run", str(path), *aws_args(moto_server, "--create-pool")], tmp_path)
    assert done.returncode == 4, done.stderr
    line = one_line(done.stderr)
    assert "--yes" in line
    assert "account 123456789012" in line
    assert "us-east-1" in line
    assert pool_ids(client) == before
    assert ledger_entries(remote_env) == []


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code"), [("n", 4), ("y", 0)])
def test_aws_asks_at_a_terminal(
    answer: str,
    code: int,
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "config-ask")
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(builtins, "input", lambda *a: asked.append("asked") or answer)
    path = write_scenario(tmp_path, "one.py", ONE_STEP)
    got, _, err = main_run(capsys, "run", str(path), *aws_args(moto_server, *pool.args()))
    assert got == code, err
    assert asked == ["asked"]
    assert "account 123456789012" in err
    assert pool.pool_id in err
    if code == 4:
        assert "not confirmed" in err
        assert ledger_entries(remote_env) == []
    else:
        assert [e["event"] for e in ledger_entries(remote_env)] == ["created", "deleted"]
    assert not run_users(client, remote_env)
    assert usernames(client, pool.pool_id) == set()


def test_aws_with_yes_and_create_pool_runs_and_leaves_nothing(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = moto_server.client()
    before = pool_ids(client)
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, out, err = main_run(
        capsys, "run", str(path), "--json", *aws_args(moto_server, "--create-pool", "--yes")
    )
    assert code == 0, err
    assert json.loads(out)["backend"] == "aws"
    assert pool_ids(client) == before


def test_aws_needs_a_pool_or_create_pool(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = main_run(capsys, "run", *aws_args(moto_server, "--yes"))
    assert code == 4
    line = one_line(err)
    assert "--pool-id" in line
    assert "--create-pool" in line


def test_aws_region_without_cognito_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = main_run(
        capsys, "run", "--backend", "aws", "--region", "xx-nowhere-1", "--create-pool", "--yes"
    )
    assert code == 4
    line = one_line(err)
    assert "xx-nowhere-1" in line
    assert "REGION" in line


def test_aws_without_credentials_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, _, err = main_run(
        capsys, "run", "--backend", "aws", "--region", "eu-west-1", "--create-pool", "--yes"
    )
    assert code == 4
    assert one_line(err) == (
        "cognito-states: no AWS credentials; name a profile of your AWS config files with"
        " --profile (or AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    )


def test_an_unknown_profile_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = main_run(
        capsys, "run", "--backend", "aws", "--profile", "no-such-profile", "--create-pool", "--yes"
    )
    assert code == 4
    assert one_line(err) == (
        "cognito-states: AWS profile 'no-such-profile' is not in your AWS config files;"
        " fix --profile (or AWS_PROFILE)"
    )

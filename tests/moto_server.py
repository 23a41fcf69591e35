"""A moto server in a subprocess, and helpers for the endpoint and aws backend tests.

The server runs ``python -m moto.server`` on 127.0.0.1 and a free port (never the
in-process ThreadedMotoServer, which would share state with ``mock_aws``). Tests look at
what is left on it with their own boto3 client (``server.client()``).

Import the fixtures explicitly in each test module that needs them (they are named
``moto_server`` and ``remote_env``; the functions carry a suffix so that a test's
parameter does not shadow the import)::

    from moto_server import moto_server_fixture, remote_env_fixture  # noqa: F401

``moto_server`` is session-scoped and shared: every module gets the same process.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

REGION = "us-east-1"
ALL_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
]
# Variables the tool reads (config.VARIABLES) and AWS variables that would leak the
# machine's own settings into a test.
SETTINGS_VARIABLES = (
    "USER_POOL_ID",
    "COGNITO_CLIENT_ID",
    "COGNITO_CLIENT_SECRET",
    "REGION",
    "MY_USERNAME",
    "COGNITO_ENDPOINT_URL",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "COGNITO_STATES_DEBUG",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def closed_url() -> str:
    """A URL on which nothing listens (the port was free a moment ago)."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class MotoServer:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> Any:
        """A boto3 cognito-idp client on this server (not the tool's)."""
        return boto3.client(
            "cognito-idp",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def start_server(log_dir: Path, timeout: float = 30.0) -> MotoServer:
    """Start ``python -m moto.server`` on a free port and wait until /moto-api/ answers."""
    for _ in range(3):  # the free port can be taken between bind and the server's bind
        port = free_port()
        log = log_dir / f"moto-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = MotoServer(port, process, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and server.alive():
            try:
                with urllib.request.urlopen(server.url + "/moto-api/", timeout=1) as r:
                    if r.status == 200:
                        return server
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        server.stop()
    raise RuntimeError(f"moto server did not start; see {log}")


_SHARED: dict[str, MotoServer] = {}


def shared_server(log_dir: Path) -> MotoServer:
    """One server per test process, however many modules import the fixture."""
    server = _SHARED.get("server")
    if server is None or not server.alive():
        server = _SHARED["server"] = start_server(log_dir)
        atexit.register(server.stop)
    return server


@pytest.fixture(scope="session", name="moto_server")
def moto_server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    server = shared_server(tmp_path_factory.getbasetemp())
    yield server
    server.stop()  # idempotent: every module's copy of this fixture ends at session end


@pytest.fixture(name="remote_env")
def remote_env_fixture(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment for a run: working folder tmp_path (no stray .env), no
    settings from the machine, a ledger in tmp_path, dummy AWS credentials (the aws
    backend takes them from boto3's chain) and no instance-metadata look-ups.
    Returns the ledger's path."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    ledger = tmp_path / "ledger.jsonl"
    monkeypatch.setenv("COGNITO_STATES_LEDGER", str(ledger))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.chdir(tmp_path)
    return ledger


# ---------------------------------------------------------------- pools and users


@dataclass(frozen=True)
class FixedPool:
    pool_id: str
    client_id: str
    secret: str | None

    def args(self) -> list[str]:
        return ["--pool-id", self.pool_id, "--client-id", self.client_id]


def make_pool(
    client: Any,
    name: str = "fixed",
    *,
    secret: bool = False,
    prevent: str = "LEGACY",
    flows: Sequence[str] = tuple(ALL_FLOWS),
    **pool_kwargs: Any,
) -> FixedPool:
    """An existing pool and app client, made by the test (not by the tool)."""
    pool_id = client.create_user_pool(PoolName=name, **pool_kwargs)["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{name}-client",
        GenerateSecret=secret,
        ExplicitAuthFlows=list(flows),
        PreventUserExistenceErrors=prevent,
    )["UserPoolClient"]
    return FixedPool(pool_id, app["ClientId"], app.get("ClientSecret"))


def pool_ids(client: Any) -> set[str]:
    return {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]}


def usernames(client: Any, pool_id: str) -> set[str]:
    return {u["Username"] for u in client.list_users(UserPoolId=pool_id)["Users"]}


def all_users(client: Any) -> set[tuple[str, str]]:
    """(pool id, username) for every user in every pool of the server."""
    return {(p, u) for p in pool_ids(client) for u in usernames(client, p)}


def tool_users(client: Any, prefix: str = "cs-") -> set[tuple[str, str]]:
    return {(p, u) for p, u in all_users(client) if u.startswith(prefix)}


def run_users(client: Any, ledger: Path) -> set[tuple[str, str]]:
    """Users on the server made by the runs this ledger knows (prefix cs-<run>-)."""
    runs = {f"cs-{e['run']}-" for e in ledger_entries(ledger)}
    return {(p, u) for p, u in tool_users(client) if any(u.startswith(r) for r in runs)}


def add_user(client: Any, pool_id: str, username: str = "keeper") -> dict[str, Any]:
    """A user the tool did not create; returns its AdminGetUser answer."""
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword="Keeper-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password="Keeper-Passw0rd!", Permanent=True
    )
    user: dict[str, Any] = client.admin_get_user(UserPoolId=pool_id, Username=username)
    return user


def user_view(user: dict[str, Any]) -> dict[str, Any]:
    """The parts of AdminGetUser that a run must not change."""
    return {
        "status": user["UserStatus"],
        "enabled": user["Enabled"],
        "attributes": sorted((a["Name"], a["Value"]) for a in user["UserAttributes"]),
    }


# ---------------------------------------------------------------- scenarios and runs


def write_scenario(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# Declares no Pool keyword: runs in any existing pool without drift.
PLAIN = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "plain sign-ins",
    pool=Pool(),
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        step.admin_initiate_auth().expect(outcome="tokens"),
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(outcome="tokens"),
        step.initiate_auth(auth_flow="USER_SRP_AUTH").expect(outcome="tokens"),
        step.get_user().expect(outcome="ok"),
    ],
)
"""


def long_scenario(name: str = "long", repeats: int = 150) -> str:
    """Many quick steps on one user: time enough to interrupt it mid-scenario."""
    body = "".join(
        "        step.admin_disable_user(),\n        step.admin_enable_user(),\n"
        for _ in range(repeats)
    )
    return (
        "from cognito_states import Pool, Scenario, step\n\n"
        f"SCENARIO = Scenario(\n    {name!r},\n    pool=Pool(),\n    steps=[\n"
        "        step.admin_create_user(),\n"
        f"{body}    ],\n)\n"
    )


def ledger_entries(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cognito_states.cli", *args]


def spawn(
    args: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """The CLI in a subprocess, stdin not a terminal, output unbuffered."""
    full = dict(os.environ) | {"PYTHONUNBUFFERED": "1"} | (env or {})
    return subprocess.Popen(
        cli_command(*args),
        cwd=cwd,
        env=full,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    args: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    process = spawn(args, cwd, env)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def main_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``cognito-states ARGS`` in this process: (exit code, stdout, stderr)."""
    from cognito_states import cli

    capsys.readouterr()  # drop anything printed before
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def endpoint_args(server: MotoServer, *more: str) -> list[str]:
    return ["--backend", "endpoint", "--endpoint-url", server.url, *more]

"""The ledger of what cognito-states created, and `cognito-states cleanup`, which removes
what a hard kill left behind and touches nothing else."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto_server import (
    PLAIN,
    MotoServer,
    add_user,
    closed_url,
    endpoint_args,
    ledger_entries,
    long_scenario,
    main_run,
    make_pool,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    run_cli,
    run_users,
    spawn,
    user_view,
    usernames,
    wait_for,
    write_scenario,
)

from cognito_states.backends.remote import RemoteBackend
from cognito_states.ledger import Ledger, default_path

pytestmark = pytest.mark.usefixtures("remote_env")


def record(
    ledger: Ledger, event: str, kind: str, pool_id: str, username: str | None, **kw: Any
) -> None:
    options: dict[str, Any] = {
        "backend": "endpoint",
        "endpoint_url": "http://127.0.0.1:1",
        "region": "us-east-1",
        "run": "abc123",
    } | kw
    ledger.record(event, kind, pool_id=pool_id, username=username, **options)


# ---------------------------------------------------------------- the ledger


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COGNITO_STATES_LEDGER", str(tmp_path / "x.jsonl"))
    assert default_path() == tmp_path / "x.jsonl"
    monkeypatch.delenv("COGNITO_STATES_LEDGER")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_path() == tmp_path / "state" / "cognito-states" / "ledger.jsonl"


def test_outstanding_is_created_minus_deleted_users_first(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "deep" / "ledger.jsonl")
    assert ledger.outstanding() == []
    record(ledger, "created", "pool", "p1", None)
    record(ledger, "created", "user", "p1", "cs-abc123-1")
    record(ledger, "created", "user", "p1", "cs-abc123-2")
    record(ledger, "deleted", "user", "p1", "cs-abc123-1")
    record(ledger, "created", "user", "p2", "cs-abc123-1")  # same name, another pool
    with ledger.path.open("a", encoding="utf-8") as fh:
        fh.write('{"event": "created", "kind": "us')  # a line cut by a hard kill
    left = [(e.kind, e.pool_id, e.username) for e in ledger.outstanding()]
    assert left == [
        ("user", "p1", "cs-abc123-2"),
        ("user", "p2", "cs-abc123-1"),
        ("pool", "p1", None),
    ]


def test_the_ledger_is_written_before_the_user_is_created(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    seen: list[list[dict[str, Any]]] = []
    real = RemoteBackend._make_client

    def make_client(self: RemoteBackend) -> Any:
        client = real(self)

        def look(**_: Any) -> None:
            seen.append(ledger_entries(remote_env))

        client.meta.events.register("before-call.cognito-idp.AdminCreateUser", look)
        return client

    monkeypatch.setattr(RemoteBackend, "_make_client", make_client)
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, _, err = main_run(capsys, "run", str(path), *endpoint_args(moto_server))
    assert code == 0, err
    (at_call,) = seen
    users = [e for e in at_call if e["kind"] == "user"]
    assert [e["event"] for e in users] == ["created"]
    assert users[0]["username"].startswith("cs-")


def test_the_ledger_holds_names_and_ids_only(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], remote_env: Path
) -> None:
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, _, _ = main_run(
        capsys, "run", str(path), *endpoint_args(moto_server, "--generate-secret")
    )
    assert code == 0
    entries = ledger_entries(remote_env)
    assert {e["kind"] for e in entries} == {"user", "pool"}
    keys = {
        "event",
        "kind",
        "backend",
        "endpoint_url",
        "region",
        "pool_id",
        "username",
        "run",
        "time",
    }
    assert all(set(e) == keys for e in entries)
    assert Ledger(remote_env).outstanding() == []


# ---------------------------------------------------------------- cleanup


def test_cleanup_removes_what_a_hard_kill_left_and_nothing_else(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    client = moto_server.client()
    pools_before = pool_ids(client)
    fixed = make_pool(client, "ledger-fixed")
    keeper = user_view(add_user(client, fixed.pool_id))
    path = write_scenario(tmp_path, "long.py", long_scenario())

    # two runs, one in throwaway pools and one in the fixed pool, killed outright
    runs = [
        spawn(["run", str(path), *endpoint_args(moto_server)], tmp_path),
        spawn(["run", str(path), *endpoint_args(moto_server, *fixed.args())], tmp_path),
    ]
    try:

        def both_made_users() -> bool:
            made = {e["pool_id"] for e in ledger_entries(remote_env) if e["kind"] == "user"}
            return len(made) == 2

        wait_for(both_made_users)
        wait_for(lambda: len(run_users(client, remote_env)) == 2)
    finally:
        for process in runs:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=10)
    assert [p.returncode for p in runs] == [-signal.SIGKILL] * 2
    left = run_users(client, remote_env)
    assert len(left) == 2
    throwaway = {p for p, _ in left} - {fixed.pool_id}
    assert pool_ids(client) == pools_before | {fixed.pool_id} | throwaway

    done = run_cli(["cleanup"], tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "3 removed, 0 left"
    assert sorted(line.split()[1] for line in lines[:-1]) == ["pool", "user", "user"]
    assert not run_users(client, remote_env)
    assert pool_ids(client) == pools_before | {fixed.pool_id}
    assert usernames(client, fixed.pool_id) == {"keeper"}
    got = client.admin_get_user(UserPoolId=fixed.pool_id, Username="keeper")
    assert user_view(got) == keeper
    assert Ledger(remote_env).outstanding() == []

    again = run_cli(["cleanup", "--ledger", str(remote_env)], tmp_path)
    assert again.returncode == 0
    assert again.stdout.splitlines() == ["0 removed, 0 left"]


def test_cleanup_counts_what_is_already_gone(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str], remote_env: Path
) -> None:
    client = moto_server.client()
    pool = make_pool(client, "ledger-gone")
    ledger = Ledger(remote_env)
    record(ledger, "created", "user", pool.pool_id, "cs-gone00-1", endpoint_url=moto_server.url)
    record(ledger, "created", "pool", "us-east-1_Gone0", None, endpoint_url=moto_server.url)
    code, out, _ = main_run(capsys, "cleanup")
    assert code == 0
    assert out.splitlines()[-1] == "2 removed, 0 left"
    assert pool.pool_id in pool_ids(client)  # not in the ledger: not touched


def test_cleanup_that_cannot_reach_the_endpoint_keeps_the_entries(
    capsys: pytest.CaptureFixture[str], remote_env: Path
) -> None:
    ledger = Ledger(remote_env)
    record(ledger, "created", "user", "us-east-1_Away0", "cs-away00-1", endpoint_url=closed_url())
    code, out, err = main_run(capsys, "cleanup")
    assert code == 3
    assert out.splitlines()[0].startswith("could not delete user cs-away00-1: ")
    assert out.splitlines()[-1] == "0 removed, 1 left"
    assert "Traceback" not in out + err
    assert len(ledger.outstanding()) == 1


def test_cleanup_asks_before_deleting_on_aws(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path
) -> None:
    """Entries of the aws backend need --yes when there is no terminal to ask."""
    client = moto_server.client()
    pool = make_pool(client, "ledger-aws")
    add_user(client, pool.pool_id, "cs-aws000-1")
    record(
        Ledger(remote_env),
        "created",
        "user",
        pool.pool_id,
        "cs-aws000-1",
        backend="aws",
        endpoint_url=moto_server.url,
    )
    refused = run_cli(["cleanup"], tmp_path)
    assert refused.returncode == 4
    assert "--yes" in refused.stderr
    assert usernames(client, pool.pool_id) == {"cs-aws000-1"}

    done = run_cli(["cleanup", "--yes", "--ledger", str(remote_env)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["deleted user cs-aws000-1 (aws)", "1 removed, 0 left"]
    assert usernames(client, pool.pool_id) == set()


def test_a_pool_whose_client_could_not_be_made_is_not_leaked(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = moto_server.client()
    before = pool_ids(client)
    real = RemoteBackend._make_client

    def make_client(self: RemoteBackend) -> Any:
        made = real(self)

        def refuse(**_: Any) -> Any:
            parsed = {"Error": {"Code": "LimitExceededException", "Message": "no more clients"}}
            return AWSResponse("http://injected", 400, {}, None), parsed

        made.meta.events.register("before-call.cognito-idp.CreateUserPoolClient", refuse)
        return made

    monkeypatch.setattr(RemoteBackend, "_make_client", make_client)
    path = write_scenario(tmp_path, "plain.py", PLAIN)
    code, _, err = main_run(capsys, "run", str(path), *endpoint_args(moto_server))
    assert code == 3
    assert "could not create a pool" in err
    main_run(capsys, "cleanup")  # what a user would do next
    leaked = pool_ids(client) - before
    for pool_id in leaked:  # keep the shared server clean for the other tests
        client.delete_user_pool(UserPoolId=pool_id)
    assert not leaked, f"{len(leaked)} pool(s) left behind, not in the ledger"

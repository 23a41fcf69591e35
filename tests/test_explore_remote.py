"""Explore against a moto server, as against a real pool: the plan is told before the
first call (on aws inside the one confirmation question), walks keep real Cognito's
per-user limits on aws, and every user they make is removed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from moto_server import (
    MotoServer,
    endpoint_args,
    main_run,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    tool_users,
)

from cognito_states import explore as explore_module

pytestmark = pytest.mark.usefixtures("remote_env")

NARROW = ["--operation", "get_user", "--max-calls", "60"]


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


def plan_seen_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """What stderr held when the exploration began (nothing sent to users yet)."""
    seen: list[str] = []
    original = explore_module.explore

    def explore(*args: Any, **kwargs: Any) -> Any:
        seen.append(capsys.readouterr().err)
        return original(*args, **kwargs)

    monkeypatch.setattr(explore_module, "explore", explore)
    return seen


@pytest.mark.parametrize("backend", ["endpoint", "aws"])
def test_the_plan_is_told_before_the_first_call(
    moto_server: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
) -> None:
    seen = plan_seen_first(monkeypatch, capsys)
    args = (
        endpoint_args(moto_server, *NARROW)
        if backend == "endpoint"
        else aws_args(moto_server, *NARROW)
    )
    code, out, _ = main_run(capsys, "explore", "--json", *args)
    (before,) = seen
    assert f"Plan: explore on {backend}, covering walks" in before
    for label in ("pairs", "calls", "mail", "rate", "duration"):
        assert f"\n  {label:<10}" in before
    if backend == "aws":  # one question: the account, the region, the pool and the plan
        assert before.startswith("cognito-states: cognito-states will create and delete")
        assert "account 123456789012, region us-east-1" in before
        assert "at most 5 requests a second per operation" in before
        assert before.rstrip().endswith("(--yes)")
    else:
        assert "as fast as the endpoint answers" in before
    doc = json.loads(out)
    assert code in (0, 1)
    assert doc["calls"] <= 60
    assert {p["operation"] for p in doc["pairs"]} == {"get_user"}
    assert tool_users(moto_server.client()) == set()


def test_dry_run_on_aws_reads_the_pool_and_creates_nothing(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str], remote_env: Path
) -> None:
    client = moto_server.client()
    pools = {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]}
    code, out, _ = main_run(capsys, "explore", "--dry-run", *aws_args(moto_server))
    assert code == 0
    assert out.startswith("Plan: explore on aws, covering walks, 2 workers")
    assert "skipped (they need mail: pass --email)" in " ".join(out.split())  # no mail
    assert {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]} == pools
    assert not remote_env.exists() or "created" not in remote_env.read_text()


def test_walks_split_across_threads_on_an_endpoint(
    moto_server: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Threads walk their segments side by side, sharing what they learn of the
    backend; every targeted pair is covered once and every user removed."""
    from cognito_states import tour

    monkeypatch.setattr(tour, "SEGMENT_CALLS", 40)  # a small plan, still cut in pieces
    code, out, _ = main_run(
        capsys,
        "explore",
        "--json",
        "--workers",
        "3",
        "--operation",
        "get_user",
        "--operation",
        "admin_disable_user",
        *endpoint_args(moto_server),
    )
    doc = json.loads(out)
    assert code in (0, 1)
    assert doc["plan"]["users"] >= 3  # cut for the workers
    pairs = {(json.dumps(p["state"], sort_keys=True), p["operation"]) for p in doc["pairs"]}
    assert len(pairs) == len(doc["pairs"]) == doc["targeted"]
    assert doc["calls"] == sum(p["calls"] for p in doc["pairs"])
    assert doc["reads"] == 0  # an endpoint is observed with AdminGetUser: calls
    assert tool_users(moto_server.client()) == set()

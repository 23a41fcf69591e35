"""Removes what an interrupted run left behind, from the ledger: users first, then the
throwaway pools. Only what the ledger says cognito-states created is ever touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_states.ledger import Entry, Ledger


@dataclass
class CleanupReport:
    deleted: list[Entry] = field(default_factory=list)
    failed: list[tuple[Entry, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"deleted {e.kind} {e.username or e.pool_id} ({e.backend})" for e in self.deleted]
        out += [
            f"could not delete {e.kind} {e.username or e.pool_id}: {why}" for e, why in self.failed
        ]
        out.append(f"{len(self.deleted)} removed, {len(self.failed)} left")
        return out


def _client(entry: Entry, profile: str | None) -> Any:
    import boto3

    from cognito_states.backends.remote import cognito_client

    session = boto3.Session(profile_name=profile, region_name=entry.region)
    return cognito_client(session, entry.endpoint_url, real_pool=entry.backend == "aws")


def _gone(exc: BaseException) -> bool:
    from cognito_states.backends.boto import error_code

    return error_code(exc) in ("UserNotFoundException", "ResourceNotFoundException")


def cleanup(
    ledger: Ledger,
    profile: str | None = None,
    confirm: Callable[[str], bool] | None = None,
    client_for: Callable[[Entry], Any] | None = None,
) -> CleanupReport:
    report = CleanupReport()
    outstanding = ledger.outstanding()
    on_aws = [e for e in outstanding if e.backend == "aws"]
    if on_aws and confirm is not None:
        question = f"delete {len(on_aws)} leftover users/pools on AWS that cognito-states created?"
        if not confirm(question):
            outstanding = [e for e in outstanding if e.backend != "aws"]
    clients: dict[tuple[str | None, str | None], Any] = {}
    for entry in outstanding:
        key = (entry.endpoint_url, entry.region)
        try:
            client = clients.get(key)
            if client is None:
                client = clients[key] = (client_for or (lambda e: _client(e, profile)))(entry)
            if entry.kind == "user":
                client.admin_delete_user(UserPoolId=entry.pool_id, Username=entry.username)
            else:
                client.delete_user_pool(UserPoolId=entry.pool_id)
        except Exception as exc:
            if not _gone(exc):
                report.failed.append((entry, f"{type(exc).__name__}: {exc}"))
                continue
        ledger.record(
            "deleted",
            entry.kind,
            backend=entry.backend,
            endpoint_url=entry.endpoint_url,
            region=entry.region,
            pool_id=entry.pool_id,
            username=entry.username,
            run=entry.run,
        )
        report.deleted.append(entry)
    return report

"""A ledger of every user and pool the tool created on an endpoint or a real pool,
so that ``cognito-states cleanup`` can remove what a hard kill left behind. JSON Lines,
appended and flushed per event; it holds names and ids, never a secret.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path


def default_path() -> Path:
    if os.environ.get("COGNITO_STATES_LEDGER"):
        return Path(os.environ["COGNITO_STATES_LEDGER"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "cognito-states" / "ledger.jsonl"


@dataclass(frozen=True)
class Entry:
    event: str  # "created" or "deleted"
    kind: str  # "user" or "pool"
    backend: str
    endpoint_url: str | None
    region: str | None
    pool_id: str
    username: str | None  # None for a pool
    run: str
    time: float

    @property
    def key(self) -> tuple[str | None, str | None, str, str | None, str]:
        return (self.endpoint_url, self.region, self.pool_id, self.username, self.kind)


class Ledger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def _append(self, entry: Entry) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(entry)) + "\n")
            fh.flush()

    def record(
        self,
        event: str,
        kind: str,
        *,
        backend: str,
        endpoint_url: str | None,
        region: str | None,
        pool_id: str,
        username: str | None,
        run: str,
    ) -> None:
        entry = Entry(
            event, kind, backend, endpoint_url, region, pool_id, username, run, time.time()
        )
        self._append(entry)

    def entries(self) -> Iterator[Entry]:
        if not self.path.is_file():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    yield Entry(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # a line cut by a hard kill

    def outstanding(self) -> list[Entry]:
        """What was created and not yet recorded as deleted, users before pools."""
        live: dict[tuple[str | None, str | None, str, str | None, str], Entry] = {}
        for entry in self.entries():
            if entry.event == "created":
                live[entry.key] = entry
            else:
                live.pop(entry.key, None)
        return sorted(live.values(), key=lambda e: (e.kind != "user", e.time))

"""Records: JSON Lines of every transition a run or an exploration saw.

The first line says what produced the record (backend, versions, time); then one line
per step, written and flushed as the step ends, so a crash leaves a valid prefix. Lines
hold abstract states, outcomes and scrubbed error messages (scrub.py): no password,
token, code or secret. Shipped reference records say what real Cognito is known to do.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from cognito_states.errors import ScenarioError
from cognito_states.scenario import Pool
from cognito_states.transition import Transition

RECORD_VERSION = 1
_PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = _PACKAGE_DIR / "reference"


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def tool_versions() -> dict[str, str | None]:
    return {name: _version(name) for name in ("cognito-states", "boto3", "moto", "transitions")}


class RecordWriter:
    """Appends one JSON object per line and flushes it at once."""

    def __init__(self, path: Path, kind: str, backend: str, backend_kind: str) -> None:
        self.path = path
        try:
            self._fh: IO[str] = path.open("w", encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(f"cannot write the record: {exc.strerror}", str(path)) from None
        self.lines = 0
        self._write(
            {
                "cognito_states_record": RECORD_VERSION,
                "kind": kind,
                "backend": backend,
                "backend_kind": backend_kind,
                "versions": tool_versions(),
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
        )

    def _write(self, line: Mapping[str, Any]) -> None:
        self._fh.write(json.dumps(line, sort_keys=True) + "\n")
        self._fh.flush()
        self.lines += 1

    def write(self, transition: Transition, pool: Pool) -> None:
        """One transition, as its line (``Transition.record_line``)."""
        self._write(transition.record_line(pool))

    def close(self) -> None:
        self._fh.close()


@dataclass(frozen=True)
class Record:
    path: Path
    header: Mapping[str, Any]
    lines: tuple[Mapping[str, Any], ...]

    @property
    def transitions(self) -> tuple[Transition, ...]:
        """Every line as a transition (fields an older version did not write take their
        defaults)."""
        return tuple(
            Transition.from_record_line(line, f"{self.path}:{number}")
            for number, line in enumerate(self.lines, start=2)
        )


def read_record(path: Path) -> Record:
    """A record, tolerating a last line cut short by a crash."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read the record: {exc.strerror}", str(path)) from None
    except UnicodeDecodeError:
        raise ScenarioError("not a cognito-states record (not UTF-8 text)", str(path)) from None
    rows: list[Mapping[str, Any]] = []
    raw = text.splitlines()
    for number, line in enumerate(raw, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            if number == len(raw):
                break  # a crash cut the last line: the prefix is the record
            raise ScenarioError(
                "not a cognito-states record (bad JSON line)", str(path), number
            ) from None
        if not isinstance(row, dict) or (rows and not isinstance(row.get("state_before"), dict)):
            raise ScenarioError(
                "not a cognito-states record (each line must be a JSON object with a state_before)",
                str(path),
                number,
            )
        rows.append(row)
    if not rows or rows[0].get("cognito_states_record") != RECORD_VERSION:
        raise ScenarioError(
            "not a cognito-states record (its first line must carry cognito_states_record: 1);"
            " make one with --record FILE",
            str(path),
            1,
        )
    return Record(path, rows[0], tuple(rows[1:]))


def reference_records() -> Iterator[Path]:
    """The shipped records of what real Cognito is known to do, with provenance."""
    yield from sorted(REFERENCE_DIR.glob("*.jsonl"))


def resolve_record(name: str) -> Path:
    """A path, or the name of a shipped reference record (``article``, ``aws-cli``)."""
    path = Path(name)
    if path.exists():
        return path
    shipped = REFERENCE_DIR / f"{name}.jsonl"
    if shipped.exists():
        return shipped
    names = ", ".join(p.stem for p in reference_records())
    raise ScenarioError(f"no such record; give a file or a shipped reference ({names})", name)

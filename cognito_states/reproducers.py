"""Reproducers: the shortest scenario file that shows a departure, written in the scenario
language (laid out as ``ruff format`` would, so it passes the user's linters) like
Hypothesis prints a minimal failing example, so ``cognito-states run FILE`` shows it
again. Explore writes one per distinct departure; random walks their shrunk one; the
``path`` command a learner's way from one status to another.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cognito_states.scenario import POOL_KEYWORDS, Pool, Step
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import EXPECTABLE, View

LINE = 88  # ruff format's default line length
DEFAULT_FOLDER = Path("cognito-states-repro")


# ---------------------------------------------------------------- Python source


def _string(text: str) -> str:
    """A string literal as ruff writes it: double quotes unless that needs escapes."""
    if '"' in text and "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def _call(head: str, args: Sequence[str], indent: int, tail: str = ",") -> list[str]:
    """``head(args)`` followed by ``tail``, laid out at ``indent`` as ruff format does:
    on one line if it fits, else the arguments on one line of their own, else one a
    line with a trailing comma."""
    pad, inner = " " * indent, " " * (indent + 4)
    one = f"{pad}{head}({', '.join(args)}){tail}"
    if len(one) <= LINE or not args:
        return [one]
    body = inner + ", ".join(args)
    if len(body) <= LINE:
        return [f"{pad}{head}(", body, f"{pad}){tail}"]
    return [f"{pad}{head}(", *(f"{inner}{a}," for a in args), f"{pad}){tail}"]


def _keywords(values: Mapping[str, Any]) -> list[str]:
    return [f"{k}={_literal(v)}" for k, v in values.items()]


def _pool_args(pool: Pool) -> list[str]:
    default = Pool()
    return [
        f"{name}={_literal(getattr(pool, name))}"
        for name in POOL_KEYWORDS
        if getattr(pool, name) != getattr(default, name)
    ]


def _step_lines(step: Step, expect: Mapping[str, Any] | None) -> list[str]:
    """A step of the list, as ruff format splits a call chain: at the last bracket
    whose opening line fits, else at the first."""
    call, args = f"step.{step.op}", _keywords(dict(step.params))
    if not expect:
        return _call(call, args, 8)
    head = f"{call}({', '.join(args)}).expect"
    lines = _call(head, _keywords(expect), 8)
    if len(lines) == 1 or len(lines[0]) <= LINE:
        return lines
    first = _call(call, args, 8, tail="")
    return [*first[:-1], *_call(first[-1].lstrip() + ".expect", _keywords(expect), 8)]


def _docstring(doc: str) -> list[str]:
    paragraphs = doc.strip().split("\n\n")
    lines: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        if n:
            lines.append("")
        text = " ".join(paragraph.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        width = LINE - (3 if n == 0 else 0)
        lines += textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) == 1 and len(lines[0]) + 6 <= LINE:
        return [f'"""{lines[0]}"""']
    lines[0] = '"""' + lines[0]
    return [*lines, '"""']


def scenario_source(
    name: str,
    doc: str,
    pool: Pool,
    steps: Iterable[Step],
    last_expect: Mapping[str, Any],
    expects: Mapping[int, Mapping[str, Any]] | None = None,
) -> str:
    """A runnable scenario file: the steps, the last one expecting ``last_expect`` (and
    step ``n`` expecting ``expects[n]``, counted from 0)."""
    steps = list(steps)
    expects = dict(expects or {})
    expects[len(steps) - 1] = last_expect
    body = [line for n, s in enumerate(steps) for line in _step_lines(s, expects.get(n))]
    return "\n".join(
        [
            *_docstring(doc),
            "",
            "from cognito_states import Pool, Scenario, step",
            "",
            "SCENARIO = Scenario(",
            f"    {_string(name)},",
            *_call("pool=Pool", _pool_args(pool), 4),
            "    steps=[",
            *body,
            "    ],",
            ")",
            "",
        ]
    )


def expectation(predicted: View) -> dict[str, Any]:
    """The .expect(...) keywords for a prediction (Enabled and email_verified have no
    value for a user that does not exist, so they are left out there; so are a user
    without a phone number's phone_number_verified and a user without MFA's methods)."""
    values = predicted.as_dict()
    return {
        k: values[k]
        for k in EXPECTABLE
        if k in ("status", "outcome") or values.get(k) not in (None, [])
    }


# ---------------------------------------------------------------- departures


@dataclass(frozen=True)
class Departure:
    """A step where the backend departed from the model (a mismatch), with how to show
    it again. ``prefix`` is what its user did before it since the user was new;
    ``reproduced`` whether a fresh user walking ``replay`` (the model's shortest path
    there) saw the same departure: None when not tried (an isolated pair's own user
    was fresh), False when the departure needs the walk's history."""

    item: Transition
    prefix: tuple[Step, ...] = ()
    reproduced: bool | None = None
    replay: tuple[Step, ...] | None = None
    on_transfer: bool = False  # a step a walk took to move, not a targeted pair

    @property
    def key(self) -> str:
        return departure_key(self.item)

    @property
    def history_dependent(self) -> bool:
        return self.reproduced is False

    @property
    def steps(self) -> tuple[Step, ...]:
        """What the reproducer runs."""
        if self.history_dependent:
            return (*self.prefix, self.item.step)
        replay = self.replay if self.replay is not None else self.item.path
        return (*replay, self.item.step)

    def as_dict(self) -> dict[str, Any]:
        item = self.item
        return {
            "state": item.before.as_dict(),
            "operation": str(item.step.op),
            "params": item.step.kwargs,
            "note": item.note,
            "on_transfer": self.on_transfer,
            "reproduced": self.reproduced,
            "history_dependent": self.history_dependent,
            "steps": len(self.steps),
        }


def departure_key(item: Transition) -> str:
    """What makes two departures the same: the step, the status it left, and the values
    of the fields in which the backend and the model differ."""
    assert item.predicted is not None
    assert item.observed is not None
    pred, obs = item.predicted.as_dict(), item.observed.as_dict()
    diff = sorted(
        (k, repr(pred.get(k)), repr(obs.get(k))) for k in item.predicted.differs(item.observed)
    )
    return repr((item.step, item.before.public_status, diff))


def distinct(departures: Iterable[Departure | Transition]) -> list[Departure]:
    """One departure per key: one a fresh user reproduced (or an isolated pair's), the
    shortest; else the one with the shortest history."""
    best: dict[str, Departure] = {}
    for entry in departures:
        one = entry if isinstance(entry, Departure) else Departure(entry, entry.path)
        if one.item.verdict is not Verdict.mismatch:
            continue
        kept = best.get(one.key)
        if kept is None or _rank(one) < _rank(kept):
            best[one.key] = one
    return list(best.values())


def _rank(one: Departure) -> tuple[int, int]:
    return (int(one.history_dependent), len(one.steps))


def write_reproducer(folder: Path, pool: Pool, one: Departure, backend: str, n: int) -> Path:
    item = one.item
    assert item.predicted is not None
    folder.mkdir(parents=True, exist_ok=True)
    expect = expectation(item.predicted)
    name = f"explore {backend} #{n}: {item.step.describe()} from {item.before.public_status}"
    if one.history_dependent:
        doc = (
            f"Found by `cognito-states explore` on {backend}: {item.note}.\n\n"
            "History-dependent: a fresh user walking the model's shortest path there did"
            f" not see it, so these are the {len(one.prefix)} steps the walk's user took"
            " before it. The expectation is the model's prediction (real Cognito)."
        )
    else:
        doc = (
            f"Found by `cognito-states explore` on {backend}: {item.note}.\n\n"
            "The expectation is the model's prediction (real Cognito); run this file on"
            " the backend to see the departure again."
        )
    path = folder / f"repro_{n:03d}_{item.step.op}.py"
    path.write_text(scenario_source(name, doc, pool, one.steps, expect))
    return path


def write_reproducers(
    folder: Path, pool: Pool, backend: str, departures: Iterable[Departure | Transition]
) -> list[Path]:
    """One reproducer per distinct departure (``distinct``). The folder is made only
    when there is something to write; reproducers a previous exploration left there
    are replaced."""
    chosen = distinct(departures)
    for stale in folder.glob("repro_*.py"):  # a previous exploration's: ours to replace
        stale.unlink()
    return [
        write_reproducer(folder, pool, one, backend, n) for n, one in enumerate(chosen, start=1)
    ]


def write_walk(
    folder: Path, pool: Pool, backend: str, steps: list[Step], expect: Mapping[str, Any], note: str
) -> Path:
    """The shrunk walk of ``explore --random`` as a scenario file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"walk_{len(steps):02d}_steps_{steps[-1].op}.py"
    doc = (
        f"Found by `cognito-states explore --random` on {backend} and shrunk by Hypothesis: {note}."
    )
    name = f"walk {backend}: {steps[-1].describe()}"
    path.write_text(scenario_source(name, doc, pool, steps, expect))
    return path

"""Reproducers: the shortest scenario file that shows a departure, written in the scenario
language like Hypothesis prints a minimal failing example, so ``cognito-states run FILE``
shows it again. Explore writes one per distinct departure; random walks their shrunk one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cognito_states.scenario import POOL_KEYWORDS, Pool, Step
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import EXPECTABLE, View


def _pool_source(pool: Pool) -> str:
    default = Pool()
    args = [
        f"{name}={_literal(getattr(pool, name))}"
        for name in POOL_KEYWORDS
        if getattr(pool, name) != getattr(default, name)
    ]
    return f"Pool({', '.join(args)})"


def _literal(value: Any) -> str:
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(value)


def _step_source(step: Step, expect: Mapping[str, Any] | None = None) -> str:
    text = f"step.{step.describe()}"
    if expect:
        text += ".expect(" + ", ".join(f"{k}={v!r}" for k, v in expect.items()) + ")"
    return text


def scenario_source(
    name: str, doc: str, pool: Pool, steps: Iterable[Step], last_expect: Mapping[str, Any]
) -> str:
    """A runnable scenario file: the shortest program that shows the departure."""
    steps = list(steps)
    body = [f"        {_step_source(s)}," for s in steps[:-1]]
    body.append(f"        {_step_source(steps[-1], last_expect)},")
    return "\n".join(
        [
            f'"""{doc}"""',
            "",
            "from cognito_states import Pool, Scenario, step",
            "",
            "SCENARIO = Scenario(",
            f"    {name!r},",
            f"    pool={_pool_source(pool)},",
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


def write_reproducer(folder: Path, pool: Pool, item: Transition, backend: str, n: int) -> Path:
    assert item.predicted is not None
    folder.mkdir(parents=True, exist_ok=True)
    expect = expectation(item.predicted)
    name = f"explore {backend} #{n}: {item.step.describe()} from {item.before.public_status}"
    doc = (
        f"Found by `cognito-states explore` on {backend}: {item.note}.\n\n"
        "The expectation is the model's prediction (real Cognito); run this file on the\n"
        "backend to see the departure again."
    )
    path = folder / f"repro_{n:03d}_{item.step.op}.py"
    path.write_text(scenario_source(name, doc, pool, (*item.path, item.step), expect))
    return path


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


def write_reproducers(
    folder: Path, pool: Pool, backend: str, pairs: Iterable[Transition]
) -> list[Path]:
    """One reproducer per distinct departure, from the pair with the shortest path."""
    best: dict[str, Transition] = {}
    for item in pairs:
        if item.verdict is not Verdict.mismatch:
            continue
        key = departure_key(item)
        if key not in best or len(item.path) < len(best[key].path):
            best[key] = item
    for stale in folder.glob("repro_*.py"):  # a previous exploration's: ours to replace
        stale.unlink()
    return [
        write_reproducer(folder, pool, item, backend, n)
        for n, item in enumerate(best.values(), start=1)
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

"""Explore: every user state the model can reach, every operation variant in each, on a
real backend. For each pair a fresh user walks the model's shortest path there, one
observation checks that it arrived, the operation runs and is observed, and the user is
deleted. Calls per pair: path + 3, plus the clean-up delete (an SRP sign-in is two calls);
cost grows with the pairs, never with depth. When the backend diverts a path, the
diverting step is avoided and the pair retried (up to three times), its calls added.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cognito_states.backends.base import Backend, StepSkipped
from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.runner import FIELDS, Judge
from cognito_states.scenario import POOL_KEYWORDS, Pool, Step, all_variants

DIVERTED = "diverted"
Edge = tuple[UserState, Step]


@dataclass(frozen=True)
class Pair:
    state: UserState
    step: Step


@dataclass(frozen=True)
class PairResult:
    state: UserState
    step: Step
    path: tuple[Step, ...]
    predicted: Mapping[str, Any]
    observed: Mapping[str, Any]
    verdict: str
    calls: int
    note: str = ""
    after: UserState | None = None
    diverted_at: int | None = None  # index in path of the step the backend diverted
    attempts: int = 1  # paths walked: more than one when the backend diverted some

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.as_dict(),
            "operation": str(self.step.op),
            "params": self.step.kwargs,
            "predicted": dict(self.predicted),
            "observed": dict(self.observed),
            "verdict": self.verdict,
            "path": [s.describe() for s in self.path],
            "calls": self.calls,
            "attempts": self.attempts,
            "note": self.note,
        }


@dataclass
class ExploreResult:
    backend: str
    pool: Pool
    pairs: list[PairResult] = field(default_factory=list)
    seconds: float = 0.0
    reproducers: list[Path] = field(default_factory=list)
    interrupted: bool = False

    @property
    def calls(self) -> int:
        return sum(p.calls for p in self.pairs)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[p.verdict] = counts.get(p.verdict, 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "cognito_states": 1,
            "backend": self.backend,
            "pool": self.pool.as_dict(),
            "pairs": [p.as_dict() for p in self.pairs],
            "counts": self.counts(),
            "calls": self.calls,
            "seconds": round(self.seconds, 3),
            "reproducers": [str(p) for p in self.reproducers],
            "interrupted": self.interrupted,
        }


class Planner:
    """Shortest paths (breadth-first) through the model, avoiding banned edges."""

    def __init__(self, model: CognitoModel, variants: Sequence[Step]) -> None:
        self.model = model
        self.variants = list(variants)
        self._next: dict[Edge, UserState] = {}

    def successor(self, state: UserState, step: Step) -> UserState:
        key = (state, step)
        nxt = self._next.get(key)
        if nxt is None:
            nxt = self._next[key] = self.model.predict(state, step).state
        return nxt

    def paths(self, banned: frozenset[Edge] = frozenset()) -> dict[UserState, tuple[Step, ...]]:
        paths: dict[UserState, tuple[Step, ...]] = {INITIAL: ()}
        queue = deque([INITIAL])
        while queue:
            state = queue.popleft()
            for step in self.variants:
                if (state, step) in banned:
                    continue
                nxt = self.successor(state, step)
                if nxt not in paths:
                    paths[nxt] = (*paths[state], step)
                    queue.append(nxt)
        return paths

    def pairs(self) -> list[Pair]:
        return [Pair(state, step) for state in self.paths() for step in self.variants]


def _looks(state: UserState) -> tuple[Any, ...]:
    """What a backend shows of a state: all a diverted step can be blamed on."""
    return (state.status, state.enabled, state.email_verified)


class Explorer:
    def __init__(self, backend: Backend, pool: Pool, variants: Sequence[Step] | None = None):
        self.backend = backend
        self.pool = pool
        self.model = CognitoModel(pool)
        self.planner = Planner(self.model, variants or all_variants())
        self._paths = self.planner.paths()
        self._known = tuple(self._paths)  # every state the model can reach
        self._banned: set[tuple[tuple[Any, ...], Step]] = set()
        self._lock = threading.Lock()  # threads on endpoints share the plan
        self._judge = Judge(backend.kind, backend.versions())

    def run_pair(self, pair: Pair, label: str = "explore") -> PairResult:
        """Walk there and apply the operation. When the backend diverts a path, the step
        that diverted is avoided from then on, from every state that looks the same on
        the backend (same status, Enabled, email_verified), and the pair is tried again
        along the next shortest path."""
        calls = 0
        result: PairResult | None = None
        for attempt in range(1, self.RETRIES + 2):
            with self._lock:
                path = self._paths.get(pair.state)
            if path is None:  # no other way there: keep what the last attempt saw
                if result is None:
                    note = "every path the model knows diverts on this backend"
                    return PairResult(pair.state, pair.step, (), {}, {}, DIVERTED, calls, note)
                note = f"{result.note}; every other path the model knows diverts too"
                return replace(result, calls=calls, note=note, attempts=attempt - 1)
            result = self._attempt(pair, path, label)
            calls += result.calls
            if result.verdict != DIVERTED or result.diverted_at is None:
                break
            self._avoid(path, result.diverted_at)
        assert result is not None
        return replace(result, calls=calls, attempts=attempt)

    RETRIES = 3  # other paths tried when the backend diverts one

    def _avoid(self, path: tuple[Step, ...], index: int) -> None:
        with self._lock:
            state = INITIAL
            for step in path[:index]:
                state = self.planner.successor(state, step)
            self._banned.add((_looks(state), path[index]))
            banned = frozenset(
                (known, step)
                for known in self._known
                for looks, step in self._banned
                if _looks(known) == looks
            )
            self._paths = self.planner.paths(banned)

    def _attempt(self, pair: Pair, path: tuple[Step, ...], label: str) -> PairResult:
        user = self.backend.user(self.pool, label)
        try:
            result = self._walk(user, pair, path)
        finally:
            user.close()
        return replace(result, calls=getattr(user, "calls", 0))  # the driver counts

    def _walk(self, user: Any, pair: Pair, path: tuple[Step, ...]) -> PairResult:
        """One attempt; its calls are the driver's to count (``_attempt``)."""
        predicted: dict[str, Any] = {}
        try:
            state = INITIAL
            outcome = None
            for number, step in enumerate(path, start=1):
                expected = self.model.predict(state, step)
                outcome = user.act(step)
                if outcome.outcome != expected.outcome:
                    return self._diverted(pair, path, number, expected.outcome, outcome)
                state = expected.state
            if path:
                assert outcome is not None
                seen = user.observe(outcome)
                arrived = (seen.status, seen.enabled, seen.email_verified) == (
                    state.public_status,
                    state.enabled,
                    state.email_verified,
                )
                if not arrived:
                    note = (
                        f"arrived as status={seen.status}, enabled={seen.enabled},"
                        f" email_verified={seen.email_verified}"
                    )
                    return PairResult(pair.state, pair.step, path, {}, {}, DIVERTED, 0, note)
            prediction = self.model.predict(pair.state, pair.step)
            predicted = prediction.as_observation().fields()
            outcome = user.act(pair.step)
            observation = user.observe(outcome)
            verdict = self._judge(pair.state, pair.step, prediction, observation)
            after = self.model.reconcile(pair.state, prediction, observation)
            return PairResult(
                pair.state,
                pair.step,
                path,
                predicted,
                observation.fields(),
                str(verdict.verdict),
                0,
                verdict.note,
                after,
            )
        except StepSkipped as exc:
            return PairResult(pair.state, pair.step, path, predicted, {}, "skipped", 0, str(exc))

    @staticmethod
    def _diverted(
        pair: Pair, path: tuple[Step, ...], number: int, expected: str, got: Any
    ) -> PairResult:
        note = (
            f"step {number} ({path[number - 1].describe()}) answered {got.outcome}, not {expected}"
        )
        return PairResult(
            pair.state, pair.step, path, {}, {}, DIVERTED, 0, note, diverted_at=number - 1
        )

    def pairs(self) -> list[Pair]:
        return [Pair(state, step) for state in self._known for step in self.planner.variants]


def explore(
    backend: Backend,
    pool: Pool,
    *,
    workers: int = 1,
    on_pair: Callable[[PairResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    limit: int | None = None,
) -> ExploreResult:
    """Every reachable (state, operation) pair, on an open backend.

    ``workers`` > 1 runs pairs in parallel: threads for backends behind HTTP, processes
    (each with its own in-process mock) for moto, where threads would share one lock.
    """
    explorer = Explorer(backend, pool)
    pairs = explorer.pairs()[:limit] if limit else explorer.pairs()
    if on_start:
        on_start(len(pairs))
    result = ExploreResult(backend.name, pool)
    started = time.perf_counter()
    try:
        if workers <= 1:
            items: Iterable[PairResult] = map(explorer.run_pair, pairs)
        elif backend.name == "moto":
            items = _in_processes(pool, pairs, workers)
        else:
            from concurrent.futures import ThreadPoolExecutor

            executor = ThreadPoolExecutor(max_workers=workers)
            items = executor.map(explorer.run_pair, pairs)
        for item in items:
            result.pairs.append(item)
            if on_pair:
                on_pair(item)
    except KeyboardInterrupt:
        result.interrupted = True
    result.seconds = time.perf_counter() - started
    return result


_CHUNK = 40


def _in_processes(pool: Pool, pairs: Sequence[Pair], workers: int) -> Iterable[PairResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(pairs[i : i + _CHUNK]) for i in range(0, len(pairs), _CHUNK)]
    context = multiprocessing.get_context("spawn")  # no inherited mock, no forked threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        for chunk in executor.map(_moto_chunk, [pool] * len(chunks), chunks):
            yield from chunk


_WORKER: Explorer | None = None


def _moto_chunk(pool: Pool, pairs: list[Pair]) -> list[PairResult]:
    """In a worker process: one in-process moto for the worker's life."""
    global _WORKER  # noqa: PLW0603 (one explorer per worker process)
    if _WORKER is None or _WORKER.pool != pool:
        from cognito_states.backends.moto import MotoBackend

        backend = MotoBackend()
        backend.open()
        _WORKER = Explorer(backend, pool)
    return [_WORKER.run_pair(pair) for pair in pairs]


def count_pairs(pool: Pool) -> int:
    return len(Planner(CognitoModel(pool), all_variants()).pairs())


# ---------------------------------------------------------------- reproducers


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


def expectation(predicted: Mapping[str, Any]) -> dict[str, Any]:
    """The .expect(...) keywords for a prediction (Enabled and email_verified have no
    value for a user that does not exist, so they are left out there)."""
    return {
        k: predicted[k]
        for k in FIELDS
        if k in predicted and (k in ("status", "outcome") or predicted[k] is not None)
    }


def write_reproducer(folder: Path, pool: Pool, item: PairResult, backend: str, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    expect = expectation(item.predicted)
    name = f"explore {backend} #{n}: {item.step.describe()} from {item.state.public_status}"
    doc = (
        f"Found by `cognito-states explore` on {backend}: {item.note}.\n\n"
        "The expectation is the model's prediction (real Cognito); run this file on the\n"
        "backend to see the departure again."
    )
    path = folder / f"repro_{n:03d}_{item.step.op}.py"
    path.write_text(scenario_source(name, doc, pool, (*item.path, item.step), expect))
    return path


def write_reproducers(folder: Path, result: ExploreResult) -> list[Path]:
    """One reproducer per distinct departure (operation, keywords, differing fields),
    from the pair with the shortest path."""
    best: dict[str, PairResult] = {}
    for item in result.pairs:
        if item.verdict != "mismatch":
            continue
        diff = sorted(
            (k, repr(item.predicted.get(k)), repr(item.observed.get(k)))
            for k in set(item.predicted) | set(item.observed)
            if item.predicted.get(k) != item.observed.get(k)
        )
        key = repr((item.step, item.state.public_status, diff))
        if key not in best or len(item.path) < len(best[key].path):
            best[key] = item
    for stale in folder.glob("repro_*.py"):  # a previous exploration's: ours to replace
        stale.unlink()
    return [
        write_reproducer(folder, result.pool, item, result.backend, n)
        for n, item in enumerate(best.values(), start=1)
    ]

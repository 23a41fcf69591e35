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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cognito_states.backends.base import Backend
from cognito_states.errors import StepSkipped
from cognito_states.judge import Judge
from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.runner import suppressed
from cognito_states.scenario import Pool, Step, all_variants
from cognito_states.sources import cited
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import USER_FIELDS

Edge = tuple[UserState, Step]


@dataclass(frozen=True)
class Pair:
    state: UserState
    step: Step


@dataclass(frozen=True)
class _Attempt:
    """One walk to a pair: its transition, and where the backend diverted the path."""

    item: Transition
    diverted_at: int | None = None  # index in path of the step the backend diverted


@dataclass
class ExploreResult:
    backend: str
    pool: Pool
    pairs: list[Transition] = field(default_factory=list)
    seconds: float = 0.0
    reproducers: list[Path] = field(default_factory=list)
    interrupted: bool = False

    @property
    def calls(self) -> int:
        return sum(p.calls for p in self.pairs)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[str(p.verdict)] = counts.get(str(p.verdict), 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "cognito_states": 1,
            "backend": self.backend,
            "pool": self.pool.as_dict(),
            "pairs": [p.as_pair_dict() for p in self.pairs],
            "counts": self.counts(),
            "calls": self.calls,
            "seconds": round(self.seconds, 3),
            "reproducers": [str(p) for p in self.reproducers],
            "interrupted": self.interrupted,
            "sources": cited(i for p in self.pairs for i in p.cited),
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
    """What a backend shows of a state (views.USER_FIELDS, as ``View.user()`` gives
    them): all a diverted step can be blamed on."""
    return (
        state.public_status,
        state.enabled,
        state.email_verified,
        state.phone_number_verified,
        state.mfa_methods,
        state.preferred_mfa,
    )


class Explorer:
    def __init__(self, backend: Backend, pool: Pool, variants: Sequence[Step] | None = None):
        self.backend = backend
        self.pool = pool
        self.model = CognitoModel(pool)
        self.planner = Planner(self.model, variants or all_variants(pool))
        self._paths = self.planner.paths()
        self._known = tuple(self._paths)  # every state the model can reach
        self._banned: set[tuple[tuple[Any, ...], Step]] = set()
        self._lock = threading.Lock()  # threads on endpoints share the plan
        self._judge = Judge(backend.kind, backend.versions())

    def run_pair(self, pair: Pair, label: str = "explore") -> Transition:
        """Walk there and apply the operation. When the backend diverts a path, the step
        that diverted is avoided from then on, from every state that looks the same on
        the backend (same status, Enabled, email_verified), and the pair is tried again
        along the next shortest path."""
        calls = 0
        result: _Attempt | None = None
        for attempt in range(1, self.RETRIES + 2):
            with self._lock:
                path = self._paths.get(pair.state)
            if path is None:  # no other way there: keep what the last attempt saw
                if result is None:
                    note = "every path the model knows diverts on this backend"
                    return _diverted(pair, (), note, calls)
                note = f"{result.item.note}; every other path the model knows diverts too"
                return replace(result.item, calls=calls, note=note, attempts=attempt - 1)
            result = self._attempt(pair, path, label)
            calls += result.item.calls
            if result.item.verdict is not Verdict.diverted or result.diverted_at is None:
                break
            self._avoid(path, result.diverted_at)
        assert result is not None
        return replace(result.item, calls=calls, attempts=attempt)

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

    def _attempt(self, pair: Pair, path: tuple[Step, ...], label: str) -> _Attempt:
        user = self.backend.user(self.pool, label)
        try:
            result = self._walk(user, pair, path)
        finally:
            user.close()
        calls = getattr(user, "calls", 0)  # the driver counts
        return replace(result, item=replace(result.item, calls=calls))

    def _walk(self, user: Any, pair: Pair, path: tuple[Step, ...]) -> _Attempt:
        """One attempt; its calls are the driver's to count (``_attempt``)."""
        prediction = None
        try:
            state = INITIAL
            answer = None
            for number, step in enumerate(path, start=1):
                expected = self.model.predict(state, step)
                answer = user.act(step)
                if answer.outcome != expected.outcome:
                    note = (
                        f"step {number} ({step.describe()}) answered {answer.outcome},"
                        f" not {expected.outcome}"
                    )
                    return _Attempt(_diverted(pair, path, note), number - 1)
                state = expected.state
            if path:
                assert answer is not None
                seen = user.observe(answer)
                wanted = _looks(state)
                if seen.user() != wanted:
                    # status, Enabled and email_verified always; the others if they differ
                    shown = ", ".join(
                        f"{k}={getattr(seen, k)}"
                        for n, k in enumerate(USER_FIELDS)
                        if n < 3 or seen.user()[n] != wanted[n]
                    )
                    return _Attempt(_diverted(pair, path, f"arrived as {shown}"))
            prediction = self.model.predict(pair.state, pair.step)
            answer = user.act(pair.step)
            observation = user.observe(answer)
            after = self.model.reconcile(pair.state, prediction, observation)
            return _Attempt(
                self._judge.transition(
                    pair.state, pair.step, prediction, observation, after, path=path
                )
            )
        except StepSkipped as exc:
            return _Attempt(
                Transition(
                    pair.state,
                    pair.step,
                    prediction.view if prediction else None,
                    None,
                    Verdict.skipped,
                    rule=prediction.rule if prediction else None,
                    note=str(exc),
                    path=path,
                )
            )

    def pairs(self) -> list[Pair]:
        return [Pair(state, step) for state in self._known for step in self.planner.variants]


def _diverted(pair: Pair, path: tuple[Step, ...], note: str, calls: int = 0) -> Transition:
    """A pair whose state the backend did not let the user reach."""
    return Transition(
        pair.state, pair.step, None, None, Verdict.diverted, note=note, path=path, calls=calls
    )


def explore(
    backend: Backend,
    pool: Pool,
    *,
    workers: int = 1,
    on_pair: Callable[[Transition], None] | None = None,
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
            items: Iterable[Transition] = map(explorer.run_pair, pairs)
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


def _in_processes(pool: Pool, pairs: Sequence[Pair], workers: int) -> Iterable[Transition]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(pairs[i : i + _CHUNK]) for i in range(0, len(pairs), _CHUNK)]
    context = multiprocessing.get_context("spawn")  # no inherited mock, no forked threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        for chunk in executor.map(_moto_chunk, [pool] * len(chunks), chunks):
            yield from chunk


_WORKER: Explorer | None = None


def _moto_chunk(pool: Pool, pairs: list[Pair]) -> list[Transition]:
    """In a worker process: one in-process moto for the worker's life."""
    global _WORKER  # noqa: PLW0603 (one explorer per worker process)
    if _WORKER is None or _WORKER.pool != pool:
        from cognito_states.backends.moto import MotoBackend

        backend = MotoBackend()
        backend.open()
        _WORKER = Explorer(backend, pool)
    return [_WORKER.run_pair(pair) for pair in pairs]


def count_pairs(pool: Pool) -> int:
    return len(Planner(CognitoModel(pool), all_variants(pool)).pairs())


def count_texts(pool: Pool) -> int:
    """The text messages real Cognito sends for an exploration of ``pool``: along every
    pair's path and for its step (texts cost money; the start line says how many)."""
    model = CognitoModel(pool)
    planner = Planner(model, all_variants(pool))
    paths = planner.paths()
    by_path = {path: state for state, path in paths.items()}
    along: dict[UserState, int] = {}
    total = 0
    for state, path in paths.items():  # breadth first: a path's prefix comes first
        if path:
            before = by_path[path[:-1]]
            along[state] = along[before] + model.texts(before, suppressed(path[-1]))
        else:
            along[state] = 0
        total += sum(
            along[state] + model.texts(state, suppressed(step)) for step in planner.variants
        )
    return total

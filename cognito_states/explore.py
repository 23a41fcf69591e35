"""Explore: every (state, operation) pair the model reaches, on a backend.

By default covering walks (tour.py): each user walks a sequence that covers many pairs;
after every step it is observed and judged; on a departure the model continues from what
the backend showed and the walk re-plans from there. Every mismatch is then tried again
from a fresh user, to tell a departure from one that needs the walk's history.
``isolated`` gives each pair its own user instead: the model's shortest path there, an
arrival check, the operation, its observation and the clean-up.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cognito_states.backends.base import Backend
from cognito_states.errors import StepSkipped
from cognito_states.judge import Judge
from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.operations import SPEC, Need, Op
from cognito_states.reproducers import Departure, departure_key, distinct
from cognito_states.runner import suppressed
from cognito_states.scenario import Pool, Step, all_variants
from cognito_states.sources import cited
from cognito_states.statuses import NA, Tokens, Verdict
from cognito_states.tour import (
    NO_LIMITS,
    REAL_COGNITO,
    Bans,
    Costs,
    Graph,
    Limits,
    Narrowing,
    Pair,
    Plan,
    Planner,
    Tour,
    Usage,
    Walk,
    is_srp,
    looks,
    plan_walks,
    targets,
)
from cognito_states.transition import Transition
from cognito_states.views import USER_FIELDS, Outcome, View

__all__ = [
    "ExploreResult",
    "Explorer",
    "Pair",
    "Planner",
    "count_pairs",
    "explore",
    "make_plan",
]

NOT_THERE = View(None, None, None, Outcome(NA), has_email=False)  # a user that does not exist yet


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
    reproducers: list[Any] = field(default_factory=list)  # Paths
    interrupted: bool = False
    strategy: str = "walks"
    narrowing: Narrowing = field(default_factory=Narrowing)
    kind: str = ""  # whose behaviour the backend is (aws: real Cognito)
    targeted: int = 0
    left_out: int = 0  # targeted pairs the budget (--max-calls) left out
    calls: int = 0  # every API request the exploration sent
    reads: int = 0  # observations read from in-process moto's own record
    users: int = 0
    verification_calls: int = 0  # fresh users re-running departures (not in ``calls``)
    departures: list[Departure] = field(default_factory=list)
    plan: Plan | None = None

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[str(p.verdict)] = counts.get(str(p.verdict), 0) + 1
        return dict(sorted(counts.items()))

    @property
    def transfer_mismatches(self) -> list[Departure]:
        return [d for d in self.departures if d.on_transfer]

    @property
    def failed(self) -> bool:
        """A mismatch among the pairs, or on a step a walk took to move."""
        return any(p.verdict is Verdict.mismatch for p in self.pairs) or any(
            d.item.verdict is Verdict.mismatch for d in self.departures
        )

    def as_dict(self) -> dict[str, Any]:
        from cognito_states.calibration import calibrate

        pairs = len(self.pairs)
        return {
            "cognito_states": 1,
            "backend": self.backend,
            "strategy": self.strategy,
            "narrowing": self.narrowing.describe(),
            "pool": self.pool.as_dict(),
            "pairs": [p.as_pair_dict() for p in self.pairs],
            "counts": self.counts(),
            "targeted": self.targeted,
            "left_out": self.left_out,
            "calls": self.calls,
            "calls_per_pair": round(self.calls / pairs, 3) if pairs else None,
            "reads": self.reads,
            "users": self.users,
            "verification_calls": self.verification_calls,
            "seconds": round(self.seconds, 3),
            "departures": [d.as_dict() for d in distinct(self.departures)],
            "reproducers": [str(p) for p in self.reproducers],
            "calibration": [row.as_dict() for row in calibrate(self.pairs, self.kind)],
            "plan": self.plan.as_dict() if self.plan else None,
            "interrupted": self.interrupted,
            "sources": cited(i for p in self.pairs for i in p.cited),
        }


@functools.lru_cache(maxsize=4)
def model_of(pool: Pool) -> CognitoModel:
    """One model per pool in this process: its predictions are worked out once for the
    plan, the walks, the fresh-user checks and the ordering of results."""
    return CognitoModel(pool)


# ---------------------------------------------------------------- isolated pairs


class Explorer:
    """One fresh user per pair (``--isolated``, and the fresh-user check of a walk's
    departures)."""

    def __init__(self, backend: Backend, pool: Pool, variants: Sequence[Step] | None = None):
        self.backend = backend
        self.pool = pool
        self.model = model_of(pool)
        self.planner = Planner(self.model, variants or all_variants(pool))
        self._paths = self.planner.paths()
        self._known = tuple(self._paths)  # every state the model can reach
        self._banned: set[tuple[tuple[Any, ...], Step]] = set()
        self._lock = threading.Lock()  # threads on endpoints share the plan
        self._judge = Judge(backend.kind, backend.versions())
        self.reads = 0
        self.users = 0  # users made (a pair no path leads to makes none)

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
            self._banned.add((looks(state), path[index]))
            banned = frozenset(
                (known, step)
                for known in self._known
                for shown, step in self._banned
                if looks(known) == shown
            )
            self._paths = self.planner.paths(banned)

    def _attempt(self, pair: Pair, path: tuple[Step, ...], label: str) -> _Attempt:
        user = self.backend.user(self.pool, label)
        try:
            result = self._walk(user, pair, path)
        finally:
            user.close()
        calls = getattr(user, "calls", 0)  # the driver counts
        self.reads += getattr(user, "reads", 0)
        self.users += 1
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
                wanted = looks(state)
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
            return _Attempt(_skipped(pair, path, str(exc), prediction))

    def pairs(self) -> list[Pair]:
        return [Pair(state, step) for state in self._known for step in self.planner.variants]


def _diverted(pair: Pair, path: tuple[Step, ...], note: str, calls: int = 0) -> Transition:
    """A pair whose state the backend did not let the user reach."""
    return Transition(
        pair.state, pair.step, None, None, Verdict.diverted, note=note, path=path, calls=calls
    )


def _skipped(pair: Pair, path: tuple[Step, ...], note: str, prediction: Any = None) -> Transition:
    return Transition(
        pair.state,
        pair.step,
        prediction.view if prediction else None,
        None,
        Verdict.skipped,
        rule=prediction.rule if prediction else None,
        note=note,
        path=path,
    )


# ---------------------------------------------------------------- covering walks


@dataclass
class Segment:
    """What one worker walks: the targeted pairs of one user of the plan, and the calls
    it may spend (None: no budget)."""

    pairs: list[Pair]
    allowance: int | None = None


@dataclass
class SegmentResult:
    pairs: list[Transition] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)
    left_out: list[Pair] = field(default_factory=list)
    calls: int = 0
    reads: int = 0
    users: int = 0
    steps: int = 0


class Walker:
    """Walks segments of a tour on one backend: the live side of ``tour.Tour``. Each
    step is observed (a step no client could send, ``n/a``, changes nothing and is not
    looked at again), judged, and the model re-synchronised on what the backend showed;
    a step that took the user elsewhere than the model said is never used to move
    again from a state that looks the same (as ``Explorer`` avoids diverting steps)."""

    RETRIES = Explorer.RETRIES  # re-plans towards a pair after the way there diverted

    def __init__(
        self,
        backend: Backend,
        pool: Pool,
        costs: Costs,
        limits: Limits,
        predictions: dict[Any, Any] | None = None,
    ) -> None:
        self.backend = backend
        self.pool = pool
        self.model = model_of(pool)
        if predictions:  # from the parent process
            self.model.learn(predictions)
        self.graph = Graph(self.model, all_variants(pool), costs)
        self.limits = limits
        self.paths = Planner(self.model, self.graph.variants).paths()
        self._judge = Judge(backend.kind, backend.versions())
        self.bans = Bans()
        self._lock = threading.Lock()  # threads on endpoints share the graph
        self._fresh: Explorer | None = None

    def fresh(self) -> Explorer:
        """One fresh user per pair, for what the walks could not reach."""
        if self._fresh is None:
            self._fresh = Explorer(self.backend, self.pool)
        return self._fresh

    def run(self, segment: Segment) -> SegmentResult:
        graph = self.graph
        with self._lock:  # the graph grows as walks meet states
            wanted = [
                (graph.canonical(p.state), graph.variant_index[p.step]) for p in segment.pairs
            ]
            tour = Tour(graph, wanted, self.limits, self.bans)
        run = _SegmentRun(self, tour, segment.allowance)
        while tour.left:
            if not run.one_user():
                break
        return run.finish()


class _SegmentRun:
    """The state of one segment being walked: who spent what, what is left."""

    def __init__(self, walker: Walker, tour: Tour, allowance: int | None) -> None:
        self.walker = walker
        self.tour = tour
        self.allowance = allowance
        self.out = SegmentResult()
        self.pending = 0  # calls not yet charged to a pair (moves, clean-ups)
        self.tries: Counter[tuple[int, int]] = Counter()
        self.notes: dict[tuple[int, int], str] = {}
        self.given_up: list[tuple[int, int]] = []  # pairs the walks' ways there diverted

    def _budget(self, user: Any, start: int) -> int | None:
        if self.allowance is None:
            return None
        spent = self.out.calls + getattr(user, "calls", 0) - start
        return self.allowance - spent - self.walker.graph.costs.delete

    def one_user(self) -> bool:
        """One user walks until nothing is left that it can reach; False when it could
        not take a single step."""
        w, tour, out = self.walker, self.tour, self.out
        user = w.backend.user(w.pool, "explore")
        start_calls = getattr(user, "calls", 0)
        start_reads = getattr(user, "reads", 0)
        out.users += 1
        i, usage, view = 0, Usage(), NOT_THERE
        history: list[Step] = []
        first_pair = len(out.pairs)
        tour.reset()
        try:
            while True:
                with w._lock:
                    move = tour.next_move(i, usage, self._budget(user, start_calls))
                if move is None:
                    break
                i, view = self._step(user, i, move, usage, view, history)
        finally:
            before_close = getattr(user, "calls", 0)
            user.close()
            spent = getattr(user, "calls", 0) - start_calls
            out.calls += spent
            out.reads += getattr(user, "reads", 0) - start_reads
            self._charge(getattr(user, "calls", 0) - before_close, first_pair)
        return bool(history)

    def _charge(self, calls: int, first_pair: int) -> None:
        """A clean-up's calls go to the last pair its user covered, else wait for the
        next pair."""
        pairs = self.out.pairs
        if len(pairs) > first_pair:
            pairs[-1] = replace(pairs[-1], calls=pairs[-1].calls + calls)
        else:
            self.pending += calls

    def _step(
        self, user: Any, i: int, move: Any, usage: Usage, view: View, history: list[Step]
    ) -> tuple[int, View]:
        w, tour, out = self.walker, self.tour, self.out
        graph = w.graph
        j = move.variant
        state, step = graph.state(i), graph.variants[j]
        prediction = graph.predict(i, j)
        target = tour.is_target(i, j)
        before = getattr(user, "calls", 0)
        align = getattr(user, "align", None)
        if align is not None:  # the client holds what the model says, no more
            align(
                tokens=state.tokens is not Tokens.none,
                session=state.challenge is not None,
                codes=_pending_codes(state),
                totp=state.totp_pending or state.totp_verified,
            )
        try:
            answer = user.act(step)
        except StepSkipped as exc:
            if target:
                out.pairs.append(_skipped(Pair(state, step), w.paths.get(state, ()), str(exc)))
                tour.cover(i, j)
            w.bans.add(state, j)  # nothing was sent; it cannot move anyone either
            tour.reset()
            return i, view
        if answer.outcome.kind == "n/a":  # nothing was sent: the user is as it was
            observation = replace(
                view, outcome=answer.outcome, required_attributes=None, message=None
            )
        else:
            observation = user.observe(answer)
        history.append(step)
        out.steps += 1
        after = w.model.reconcile(state, prediction, observation)
        cost = graph.costs_at(i)[j]
        usage.add(cost.wrong, cost.codes)
        spent = getattr(user, "calls", 0) - before
        item = w._judge.transition(
            state,
            step,
            prediction,
            observation,
            after,
            path=w.paths.get(state, ()),
            calls=self.pending + spent,
            attempts=1 + self.tries[(i, j)],
        )
        if target:
            out.pairs.append(item)
            tour.cover(i, j)
            self.pending = 0
        else:
            self.pending += spent
        if item.verdict is Verdict.mismatch:
            out.departures.append(Departure(item, tuple(history[:-1]), on_transfer=not target))
        with w._lock:
            n = graph.follow(i, j, after, observation.outcome == prediction.outcome)
        if after != prediction.state:  # the backend took the user elsewhere
            w.bans.add(state, j)
            self._diverted(move.heading, (i, j), step, observation)
            tour.reset()
        elif n != graph.successors(i)[j]:  # ... where the model cannot tell it apart
            w.bans.defer(state, j)
            tour.reset()
        return n, observation

    def _diverted(
        self, heading: tuple[int, int], at: tuple[int, int], step: Step, seen: View
    ) -> None:
        """The way to ``heading`` diverted at ``at``: count a try; give the pair up after
        as many as ``Explorer`` walks."""
        if heading == at:
            return
        self.tries[heading] += 1
        self.notes[heading] = (
            f"{step.describe()} left the user as status={seen.status}, enabled={seen.enabled},"
            f" email_verified={seen.email_verified}, answering {seen.outcome}"
        )
        if self.tries[heading] > self.walker.RETRIES and self.tour.is_target(*heading):
            self.tour.drop(*heading)
            self.given_up.append(heading)

    def finish(self) -> SegmentResult:
        """What the walks could not reach goes to fresh users along the model's shortest
        path (as ``--isolated`` would), unless a budget is being kept."""
        out, tour, graph = self.out, self.tour, self.walker.graph
        rest = [*self.given_up, *tour.remaining()]
        for i, j in tour.remaining():
            tour.drop(i, j)
        if self.allowance is not None:
            out.left_out += [graph.pair(i, j) for i, j in rest]
            return self._settle()
        fresh = self.walker.fresh()
        for i, j in rest:
            reads, users = fresh.reads, fresh.users
            item = fresh.run_pair(graph.pair(i, j))
            if item.verdict is Verdict.diverted and (i, j) in self.notes:
                item = replace(item, note=f"{self.notes[(i, j)]}; {item.note}")
            out.pairs.append(item)
            out.calls += item.calls
            out.reads += fresh.reads - reads
            out.users += fresh.users - users
            if item.verdict is Verdict.mismatch:
                out.departures.append(Departure(item, item.path))
        return self._settle()

    def _settle(self) -> SegmentResult:
        """Calls no pair was charged yet (moves after the last one, users that covered
        none): charged to the segment's last pair, so that they add up to ``calls``."""
        out = self.out
        if self.pending and out.pairs:
            out.pairs[-1] = replace(out.pairs[-1], calls=out.pairs[-1].calls + self.pending)
            self.pending = 0
        return out


def _pending_codes(state: UserState) -> frozenset[str]:
    """The kinds of code the model says may be pending for this user: a reset code, a
    verification code (email or phone), an MFA code texted for a pending challenge, and
    (no state field says) a sign-up code while the user exists."""
    if not state.exists:
        return frozenset()
    kinds = {SPEC[Op.confirm_sign_up].code}
    if state.reset_code:
        kinds.add(SPEC[Op.confirm_forgot_password].code)
    if state.attribute_code or state.phone_code:
        kinds.add(SPEC[Op.verify_user_attribute].code)
    if state.challenge is not None:
        kinds |= {o.code for o in SPEC.values() if o.needs is Need.session and o.code}
    return frozenset(k for k in kinds if k)


# ---------------------------------------------------------------- planning


def costs_for(backend: Backend) -> Costs:
    """What the backend charges (observations read directly on in-process moto) and
    what it refuses to send (mail to made-up addresses on a real pool)."""
    real = bool(getattr(backend, "real_pool", False))
    return Costs(
        observe=0 if reads_directly(backend) else 1,
        mail_allowed=not real or getattr(backend, "email", None) is not None,
        suppress_invitations=real,
    )


def reads_directly(backend: Backend) -> bool:
    """In-process moto: explore observes by reading moto's record (a read, no call)."""
    return backend.name == "moto" and hasattr(backend, "direct_reads")


def limits_for(backend: Backend) -> Limits:
    """Real Cognito's per-user limits on a real pool; none elsewhere."""
    return REAL_COGNITO if getattr(backend, "real_pool", False) else NO_LIMITS


def make_plan(
    backend: Backend,
    pool: Pool,
    *,
    narrowing: Narrowing | None = None,
    isolated: bool = False,
    workers: int = 1,
    limit: int | None = None,
) -> Plan:
    """What an exploration of ``pool`` will do on ``backend``, worked out on the model."""
    narrowing = narrowing or Narrowing()
    graph = Graph(model_of(pool), all_variants(pool), costs_for(backend))
    wanted = targets(graph, narrowing)
    if limit:
        wanted = wanted[:limit]
    if isolated:
        plan = _isolated_plan(graph, wanted, narrowing.max_calls)
    else:
        segments = 1 if workers <= 1 else workers * 6
        plan = plan_walks(
            graph,
            wanted,
            limits=limits_for(backend),
            max_calls=narrowing.max_calls,
            segments=segments,
        )
    if not graph.costs.mail_allowed and plan.unreachable:  # reached only by mailing
        plan.skipped += plan.unreachable
        plan.unreachable = []
    plan.order = {state: n for n, state in enumerate(graph.reachable())}
    return plan


def _isolated_plan(graph: Graph, wanted: Sequence[tuple[int, int]], budget: int | None) -> Plan:
    """One user per pair: its shortest path, the arrival check, the operation, its
    observation and the clean-up."""
    paths = Planner(graph.model, graph.variants).paths()
    costs = graph.costs
    plan = Plan("isolated", len(wanted), [], [], [], [], max_calls=budget)
    for i, j in wanted:
        pair = graph.pair(i, j)
        steps = (*paths[pair.state], pair.step)
        if not all(graph.sendable[graph.variant_index[s]] for s in steps):
            plan.skipped.append(pair)
            continue
        observations = 2 if len(steps) > 1 else 1
        calls = len(steps) + sum(map(is_srp, steps)) + costs.observe * observations + costs.delete
        if budget is not None and plan.calls + calls > budget:
            plan.left_out.append(pair)
            continue
        plan.walks.append(Walk([pair], len(steps), calls))
        plan.calls += calls
        plan.steps += len(steps)
        plan.per_operation.update(str(s.op) for s in steps)
        at = 0
        for one in steps:
            cost = graph.costs_at(at)[graph.variant_index[one]]
            plan.mails += cost.mails
            plan.codes += cost.code_mails
            plan.texts += cost.texts
            at = graph.successors(at)[graph.variant_index[one]]
    plan.users = len(plan.walks)
    return plan


# ---------------------------------------------------------------- explore


def explore(
    backend: Backend,
    pool: Pool,
    *,
    workers: int = 1,
    on_pair: Callable[[Transition], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    limit: int | None = None,
    isolated: bool = False,
    narrowing: Narrowing | None = None,
    plan: Plan | None = None,
    verify: bool = True,
) -> ExploreResult:
    """Every targeted pair (all reachable ones, unless narrowed), on an open backend.

    ``workers`` > 1 walks segments in parallel: threads for backends behind HTTP,
    processes (each with its own in-process mock) for moto, where threads would share
    one lock.
    """
    narrowing = narrowing or Narrowing()
    if reads_directly(backend):
        backend.direct_reads = True  # type: ignore[attr-defined] # same process, same data
    if plan is None:
        plan = make_plan(
            backend, pool, narrowing=narrowing, isolated=isolated, workers=workers, limit=limit
        )
    result = ExploreResult(
        backend.name,
        pool,
        strategy=plan.strategy,
        narrowing=narrowing,
        kind=backend.kind,
        targeted=plan.targeted,
        plan=plan,
    )
    result.left_out = len(plan.left_out)
    if on_start:
        on_start(plan.targeted - len(plan.left_out))
    started = time.perf_counter()
    note = (
        "it, or the way to its state, would make Cognito mail a made-up address;"
        " pass --email you@domain to receive the mail"
    )
    for pair in plan.skipped:  # never sent: nothing to spend
        _add(result, _skipped(pair, (), note), on_pair)
    try:
        if plan.strategy == "isolated":
            _explore_isolated(backend, pool, plan, workers, result, on_pair)
        else:
            _explore_walks(backend, pool, plan, workers, result, on_pair)
            if verify and not result.interrupted:
                _verify(backend, pool, result)
    except KeyboardInterrupt:
        result.interrupted = True
    result.seconds = time.perf_counter() - started
    _order(result, plan)
    return result


def _add(
    result: ExploreResult, item: Transition, on_pair: Callable[[Transition], None] | None
) -> None:
    result.pairs.append(item)
    if on_pair:
        on_pair(item)


def _order(result: ExploreResult, plan: Plan) -> None:
    """Pairs in the order of ``Explorer.pairs`` (states breadth-first, then variants)."""
    rank = plan.order
    variant = {v: n for n, v in enumerate(all_variants(result.pool))}
    result.pairs.sort(key=lambda p: (rank.get(p.before, len(rank)), variant.get(p.step, 0)))


def _explore_isolated(
    backend: Backend,
    pool: Pool,
    plan: Plan,
    workers: int,
    result: ExploreResult,
    on_pair: Callable[[Transition], None] | None,
) -> None:
    pairs = [p for walk in plan.walks for p in walk.pairs]
    explorer = Explorer(backend, pool)
    remote = [0, 0]  # what worker processes read, and the users they made
    if workers <= 1:
        items: Iterable[Transition] = map(explorer.run_pair, pairs)
    elif backend.name == "moto":
        items = _isolated_in_processes(
            pool, pairs, workers, getattr(backend, "direct_reads", False), remote
        )
    else:
        from concurrent.futures import ThreadPoolExecutor

        executor = ThreadPoolExecutor(max_workers=workers)
        items = executor.map(explorer.run_pair, pairs)
    try:
        for item in items:
            _add(result, item, on_pair)
            result.calls += item.calls
            if item.verdict is Verdict.mismatch:
                result.departures.append(Departure(item, item.path))
    finally:
        result.reads += explorer.reads + remote[0]
        result.users += explorer.users + remote[1]


def _explore_walks(
    backend: Backend,
    pool: Pool,
    plan: Plan,
    workers: int,
    result: ExploreResult,
    on_pair: Callable[[Transition], None] | None,
) -> None:
    segments = _segments(plan)
    costs, limits = costs_for(backend), limits_for(backend)
    outs: Iterable[SegmentResult]
    if workers <= 1 or len(segments) <= 1:
        walker = Walker(backend, pool, costs, limits)
        outs = map(walker.run, segments)
    elif backend.name == "moto":
        outs = _walks_in_processes(pool, segments, workers, costs, limits)
    else:
        from concurrent.futures import ThreadPoolExecutor

        walker = Walker(backend, pool, costs, limits)
        executor = ThreadPoolExecutor(max_workers=workers)
        outs = executor.map(walker.run, segments)
    for out in outs:
        for item in out.pairs:
            _add(result, item, on_pair)
        result.departures += out.departures
        result.calls += out.calls
        result.reads += out.reads
        result.users += out.users
        result.left_out += len(out.left_out)


def _segments(plan: Plan) -> list[Segment]:
    """The plan's users as segments; with a budget each may spend what it was planned
    to, plus an even share of what the plan left unspent."""
    walks = [w for w in plan.walks if w.pairs]
    budget = None
    if plan.max_calls is not None and walks:
        budget = (plan.max_calls - plan.calls) // len(walks)
    return [Segment(w.pairs, None if budget is None else w.calls + budget) for w in walks]


def _verify(backend: Backend, pool: Pool, result: ExploreResult) -> None:
    """Each distinct mismatch a walk found, run again by a fresh user along the model's
    shortest path (the reproducer's steps): kept as it is if it shows again, else marked
    history-dependent. These calls are counted apart (``verification_calls``)."""
    checker = Explorer(backend, pool)
    verdicts: dict[str, tuple[bool, tuple[Step, ...]]] = {}
    for one in distinct(result.departures):
        item = one.item
        again = checker.run_pair(Pair(item.before, item.step), label="verify")
        result.verification_calls += again.calls
        same = again.verdict is Verdict.mismatch and departure_key(again) == one.key
        verdicts[one.key] = (same, again.path)
    result.reads += checker.reads
    result.departures = [
        replace(d, reproduced=verdicts[d.key][0], replay=verdicts[d.key][1])
        if d.key in verdicts
        else d
        for d in result.departures
    ]


# ---------------------------------------------------------------- processes (moto)

_CHUNK = 40


def _isolated_in_processes(
    pool: Pool, pairs: Sequence[Pair], workers: int, direct: bool, tally: list[int]
) -> Iterator[Transition]:
    """The pairs in chunks on worker processes; the reads they took and the users they
    made are added to ``tally``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(pairs[i : i + _CHUNK]) for i in range(0, len(pairs), _CHUNK)]
    context = multiprocessing.get_context("spawn")  # no inherited mock, no forked threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        for chunk, reads, users in executor.map(
            _moto_chunk, [pool] * len(chunks), chunks, [direct] * len(chunks)
        ):
            tally[0] += reads
            tally[1] += users
            yield from chunk


def _walks_in_processes(
    pool: Pool, segments: Sequence[Segment], workers: int, costs: Costs, limits: Limits
) -> Iterator[SegmentResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    known = model_of(pool)  # what the plan worked out, handed over once per worker
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_moto_walker,
        initargs=(pool, costs, limits, known.predictions()),
    ) as executor:
        yield from executor.map(_moto_segment, segments, chunksize=1)


_WORKER: dict[str, Any] = {}  # per worker process: one in-process moto, one explorer


def _moto_backend(direct: bool) -> Backend:
    backend = _WORKER.get("backend")
    if backend is None:
        from cognito_states.backends.moto import MotoBackend

        backend = _WORKER["backend"] = MotoBackend()
        backend.open()
    backend.direct_reads = direct
    return backend


def _moto_chunk(pool: Pool, pairs: list[Pair], direct: bool) -> tuple[list[Transition], int, int]:
    """In a worker process: one in-process moto for the worker's life; the chunk's
    transitions, the reads they took and the users they made."""
    backend = _moto_backend(direct)
    explorer = _WORKER.get("explorer")
    if explorer is None or explorer.pool != pool:
        explorer = _WORKER["explorer"] = Explorer(backend, pool)
    reads, users = explorer.reads, explorer.users
    items = [explorer.run_pair(pair) for pair in pairs]
    return items, explorer.reads - reads, explorer.users - users


def _moto_walker(pool: Pool, costs: Costs, limits: Limits, predictions: dict[Any, Any]) -> None:
    """A worker process's walker: its own in-process moto, the model's predictions
    handed over by the parent."""
    backend = _moto_backend(costs.observe == 0)
    walker = _WORKER["walker"] = Walker(backend, pool, costs, limits, predictions)
    walker.graph.pairs()  # the graph grown once, before the first segment


def _moto_segment(segment: Segment) -> SegmentResult:
    walker: Walker = _WORKER["walker"]
    return walker.run(segment)


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

"""Covering tours: which steps each user takes so that few users and few calls cover many
(state, operation) pairs. The model is a graph (states, one edge per operation variant);
a greedy transition tour covers the targeted pairs, self-loops first, moving along the
shortest path to the nearest uncovered pair, within per-user limits of real Cognito.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cognito_states.model import INITIAL, CognitoModel, Prediction, UserState
from cognito_states.operations import SPEC, Op
from cognito_states.rules import FALLBACK, Rule
from cognito_states.scenario import Pool, Step
from cognito_states.statuses import Tokens

Edge = tuple[UserState, Step]

# The confidences a narrowed exploration calls uncertain (by name: a tag added later,
# such as DISPUTED, counts as soon as the rules use it).
UNCERTAIN = ("UNCONFIRMED", "INFERRED", "DISPUTED")


@dataclass(frozen=True)
class Pair:
    state: UserState
    step: Step


def is_fallback(rule: Rule) -> bool:
    """Whether no rule covered the case (the model's UNCONFIRMED guess)."""
    return rule == replace(FALLBACK, op=rule.op)


def is_uncertain(rule: Rule) -> bool:
    return str(rule.confidence) in UNCERTAIN or is_fallback(rule)


# ---------------------------------------------------------------- shortest paths


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

    def paths(
        self, banned: frozenset[Edge] = frozenset(), start: UserState = INITIAL
    ) -> dict[UserState, tuple[Step, ...]]:
        paths: dict[UserState, tuple[Step, ...]] = {start: ()}
        queue = deque([start])
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


def path_between(
    model: CognitoModel, variants: Sequence[Step], start: str | None, goal: str
) -> tuple[tuple[Step, ...], tuple[Step, ...]] | None:
    """The model's shortest way from a status to another: the steps that first reach a
    user with status ``start`` (None: a user that does not exist yet), then the steps
    from there to the nearest state with status ``goal``. None when there is none."""
    planner = Planner(model, variants)
    first: tuple[Step, ...] = ()
    origin = INITIAL
    if start is not None:
        found = _first_with_status(planner.paths(), start)
        if found is None:
            return None
        origin, first = found
    found = _first_with_status(planner.paths(start=origin), goal)
    if found is None:
        return None
    return first, found[1]


def _first_with_status(
    paths: Mapping[UserState, tuple[Step, ...]], status: str
) -> tuple[UserState, tuple[Step, ...]] | None:
    for state, steps in paths.items():  # breadth-first order: the first is the nearest
        if state.status == status:
            return state, steps
    return None


# ---------------------------------------------------------------- what a step costs


def is_srp(step: Step) -> bool:
    return step.kwargs.get("auth_flow") == "USER_SRP_AUTH"


@dataclass(frozen=True)
class Costs:
    """What a backend charges for a step, in API requests, and what it refuses to send.

    ``observe`` is the price of looking at the user after a step: one AdminGetUser, or
    none where the backend's record is read directly (in-process moto).
    """

    observe: int = 1
    delete: int = 1  # the clean-up AdminDeleteUser of each user
    mail_allowed: bool = True  # False: a real pool without --email
    suppress_invitations: bool = False  # real pools: AdminCreateUser with SUPPRESS

    def sendable(self, step: Step, pool: Pool) -> bool:
        """Whether the backend sends the step at all (the driver's mail guard)."""
        if self.mail_allowed or not SPEC[step.op].sends_mail(step.kwargs, pool):
            return True
        return step.op is Op.admin_create_user and step.kwargs["message_action"] is None


@dataclass(frozen=True)
class Limits:
    """What real Cognito tolerates from one user: wrong passwords before the lockout
    (five failures lock it), and requests for and entries of codes in an hour
    (cognito-rules.md, ForgotPassword: 5-20 attempts an hour). None: no limit."""

    wrong_passwords: int | None = None
    code_attempts: int | None = None

    @property
    def any(self) -> bool:
        return self.wrong_passwords is not None or self.code_attempts is not None


NO_LIMITS = Limits()
REAL_COGNITO = Limits(wrong_passwords=4, code_attempts=5)


@dataclass
class Usage:
    """What one user has used of its limits so far."""

    wrong_passwords: int = 0
    code_attempts: int = 0

    def fits(self, limits: Limits, wrong: int, codes: int) -> bool:
        return (
            limits.wrong_passwords is None or self.wrong_passwords + wrong <= limits.wrong_passwords
        ) and (limits.code_attempts is None or self.code_attempts + codes <= limits.code_attempts)

    def add(self, wrong: int, codes: int) -> None:
        self.wrong_passwords += wrong
        self.code_attempts += codes


@dataclass(frozen=True)
class StepCost:
    calls: int  # API requests: the operation (an SRP sign-in is two) and the observation
    wrong: int  # a wrong password sent for an existing user
    codes: int  # a code requested or entered
    mails: int  # a mail Cognito sends
    code_mails: int  # of which carry a code
    texts: int  # a text message Cognito sends (they cost money)
    operation_calls: tuple[str, ...]  # the boto3 methods it calls, for pacing estimates


def step_cost(
    costs: Costs, model: CognitoModel, state: UserState, step: Step, prediction: Prediction
) -> StepCost:
    if prediction.outcome.kind == "n/a":  # no client could send it: nothing is sent
        return StepCost(0, 0, 0, 0, 0, 0, ())
    from cognito_states.runner import suppressed

    pool = model.pool
    methods: tuple[str, ...] = (str(step.op),)
    if is_srp(step):
        methods += ("respond_to_auth_challenge",)
    if costs.observe:
        methods += ("admin_get_user",)
    user = state.exists or prediction.state.exists
    wrong = int(user and step.kwargs.get("wrong_password") is True)
    code_mail = SPEC[step.op].sends_code(step.kwargs, pool) is not None
    codes = int(user and (SPEC[step.op].code is not None or code_mail))
    invitation = step.op is Op.admin_create_user and step.kwargs["message_action"] is None
    mails = int(
        prediction.outcome.kind == "ok"
        and SPEC[step.op].sends_mail(step.kwargs, pool)
        and not (invitation and costs.suppress_invitations)
    )
    sent = suppressed(step) if costs.suppress_invitations else step
    texts = int(model.texts(state, sent))
    calls = 1 + int(is_srp(step)) + costs.observe
    return StepCost(calls, wrong, codes, mails, int(mails and code_mail), texts, methods)


# ---------------------------------------------------------------- the graph

# What a backend cannot show of a user but may behave by: the tokens its client holds, a
# pending challenge's session, a requested reset code, a new email awaiting verification,
# a verification code (email or phone), a TOTP secret issued or verified. The model says
# only *whether* they are there; a backend (moto) may treat them by how they came about
# (AdminDisableUser leaves moto's tokens working), so walks tell them apart by the
# operations that set them, and cover a pair only where the model's shortest path would
# have them.
HIDDEN = (
    "tokens",
    "challenge",
    "reset_code",
    "pending_email",
    "attribute_code",
    "phone_code",
    "totp_pending",
    "totp_verified",
)
Sig = tuple[str, ...]
BLANK: Sig = ("",) * len(HIDDEN)


def _held(state: UserState) -> tuple[int, ...]:
    """How to tell each hidden field apart: 0 nothing there to tell apart; 1 by the
    operation that gave it its value (a sign-in's tokens, a challenge, a code); 2 also by
    every operation that set it again since (revoked tokens: moto may not have revoked
    them the first time; a reset code no longer pending: moto may keep the old one)."""
    tokens = {Tokens.none: 0, Tokens.valid: 1}.get(state.tokens, 2)
    reset = (1 if state.reset_code else 2) if state.exists else 0
    return (
        tokens,
        int(state.challenge is not None),
        reset,
        int(state.pending_email),
        int(state.attribute_code),
        int(state.phone_code),
        int(state.totp_pending),
        int(state.totp_verified),
    )


def _touches(before: UserState, after: UserState, rule: Rule | None) -> tuple[int, ...]:
    """How a step left each hidden field: 2 changed (all of them when it made the user
    anew), 1 set again to the same value by ``rule`` (the rule that applied; None when
    the backend answered otherwise), 0 untouched."""
    if not before.exists and after.exists:
        return (2,) * len(HIDDEN)
    return tuple(
        2
        if getattr(before, name) != getattr(after, name)
        else int(bool(rule and name in rule.then))
        for name in HIDDEN
    )


@functools.cache
def _may_set(op: Op) -> frozenset[str]:
    """The hidden fields some rule of the operation, or its success, sets."""
    from cognito_states.rules import RULES

    fields = {name for rule in RULES if rule.op is op for name in rule.then}
    fields |= set(SPEC[op].holds_after)
    return frozenset(fields & set(HIDDEN))


def _signed(sig: Sig, op: str, touches: tuple[int, ...], after: UserState) -> Sig:
    """The provenance of the hidden fields after a step by ``op``: the operation that
    gave a field its value, with every one that set it again since (a token revoked by
    AdminDisableUser after a global sign-out is not one AdminDisableUser alone revoked:
    moto's first is still valid)."""
    return _resigned(sig, op, touches, _held(after))


@functools.lru_cache(maxsize=1 << 16)
def _resigned(sig: Sig, op: str, touches: tuple[int, ...], held: tuple[int, ...]) -> Sig:
    new = []
    for touch, old, how in zip(touches, sig, held, strict=True):
        if not how:  # nothing there: nothing to tell apart
            new.append("")
        elif touch == 2 or (touch and (how == 1 or not old)):
            new.append(op)
        elif touch:
            new.append("+".join(sorted({*old.split("+"), op})))
        else:
            new.append(old)
    return tuple(new)


@dataclass
class _Row:
    """What each variant does from one model state: where it leads, what it costs,
    which hidden fields it sets."""

    succ: list[int]
    cost: list[StepCost]
    touches: list[tuple[int, ...]]
    # The sendable variants, those costing no per-user limit first, then the cheapest.
    rank: list[int] = field(default_factory=list)


class Graph:
    """The model as a graph for walks. A node is a model state with the provenance of
    its hidden fields (``HIDDEN``); INITIAL is node 0; one edge per operation variant,
    with what each step costs on the backend. Nodes are numbered as they are met."""

    def __init__(self, model: CognitoModel, variants: Sequence[Step], costs: Costs) -> None:
        self.model = model
        self.pool = model.pool
        self.variants = tuple(variants)
        self.variant_index = {v: j for j, v in enumerate(self.variants)}
        self.costs = costs
        self.sendable = [costs.sendable(v, self.pool) for v in self.variants]
        self.states: list[UserState] = []
        self._state_index: dict[UserState, int] = {}
        self._state_rows: list[_Row | None] = []
        self._held: list[tuple[int, ...]] = []  # _held() of each model state
        self._grow = threading.Lock()  # new states and nodes: one thread at a time
        self._ops = [str(v.op) for v in self.variants]
        self.nodes: list[tuple[int, Sig]] = []
        self._node_index: dict[tuple[int, Sig], int] = {}
        self._succ: list[list[int] | None] = []
        self._moves: list[list[tuple[int, list[int]]] | None] = []
        self._canonical: dict[UserState, int] | None = None
        self._parent: dict[int, tuple[int, int]] = {}
        self.node(INITIAL)

    # ------------------------------------------------------------ model states
    def _state(self, state: UserState) -> int:
        s = self._state_index.get(state)
        if s is None:
            with self._grow:  # threads walking one endpoint share the graph
                s = self._state_index.get(state)
                if s is None:
                    self.states.append(state)
                    self._state_rows.append(None)
                    self._held.append(_held(state))
                    s = self._state_index[state] = len(self.states) - 1
        return s

    def _row(self, s: int) -> _Row:
        row = self._state_rows[s]
        if row is None:
            state = self.states[s]
            row = _Row([], [], [])
            for step in self.variants:
                prediction = self.model.predict(state, step)
                row.succ.append(self._state(prediction.state))
                row.cost.append(step_cost(self.costs, self.model, state, step, prediction))
                row.touches.append(_touches(state, prediction.state, prediction.rule))
            row.rank = sorted(
                (j for j in range(len(self.variants)) if self.sendable[j]),
                key=lambda j: (row.cost[j].wrong + row.cost[j].codes, row.cost[j].calls, j),
            )
            self._state_rows[s] = row
        return row

    # ------------------------------------------------------------ nodes
    def node(self, state: UserState, sig: Sig = BLANK) -> int:
        return self._node_at(self._state(state), sig)

    def _node_at(self, s: int, sig: Sig) -> int:
        key = (s, sig)
        n = self._node_index.get(key)
        if n is None:
            with self._grow:
                n = self._node_index.get(key)
                if n is None:
                    self.nodes.append(key)
                    self._succ.append(None)
                    self._moves.append(None)
                    n = self._node_index[key] = len(self.nodes) - 1
        return n

    def state(self, n: int) -> UserState:
        return self.states[self.nodes[n][0]]

    def follow(self, n: int, j: int, after: UserState, as_predicted: bool = True) -> int:
        """The node a step leads to when the user ends up in ``after`` (what the
        backend showed). A step the backend answered otherwise than the model said may
        have done there whatever the operation can do: every hidden field it can set
        counts as set by it (global sign-out answering ok where the model says the
        tokens were already revoked has just revoked them there)."""
        s, sig = self.nodes[n]
        before = self.states[s]
        if as_predicted:
            touches = _touches(before, after, self.predict(n, j).rule)
        else:
            may = _may_set(self.variants[j].op)
            touches = tuple(
                max(t, int(name in may))
                for t, name in zip(_touches(before, after, None), HIDDEN, strict=True)
            )
        return self.node(after, _signed(sig, self._ops[j], touches, after))

    def successors(self, n: int) -> list[int]:
        """The node each variant leads to, as the model predicts."""
        succ = self._succ[n]
        if succ is None:
            s, sig = self.nodes[n]
            row = self._row(s)
            ops, held, node_at = self._ops, self._held, self._node_at
            succ = self._succ[n] = [
                node_at(t, _resigned(sig, ops[j], row.touches[j], held[t]))
                for j, t in enumerate(row.succ)
            ]
        return succ

    def moves(self, n: int) -> list[tuple[int, list[int]]]:
        """The other nodes one step away, each with the variants that lead there,
        cheapest first and those that cost no per-user limit before those that do."""
        moves = self._moves[n]
        if moves is None:
            succ, rank = self.successors(n), self._row(self.nodes[n][0]).rank
            by: dict[int, list[int]] = {}
            for j in rank:
                w = succ[j]
                if w != n:
                    by.setdefault(w, []).append(j)
            moves = self._moves[n] = list(by.items())
        return moves

    def costs_at(self, n: int) -> list[StepCost]:
        return self._row(self.nodes[n][0]).cost

    def predict(self, n: int, j: int) -> Prediction:
        return self.model.predict(self.state(n), self.variants[j])

    def pair(self, n: int, j: int) -> Pair:
        return Pair(self.state(n), self.variants[j])

    # ------------------------------------------------------------ what is reachable
    def canonical(self, state: UserState) -> int:
        """The node the model's shortest path to ``state`` reaches (as Planner.paths
        finds it: breadth first, variants in order)."""
        return self._canon()[state]

    def _canon(self) -> dict[UserState, int]:
        if self._canonical is None:
            states = len(self._reachable_states())
            canon = {INITIAL: 0}
            parent: dict[int, tuple[int, int]] = {}
            queue = deque([0])
            while queue and len(canon) < states:  # the nodes beyond wait until needed
                n = queue.popleft()
                for j, w in enumerate(self.successors(n)):
                    state = self.state(w)
                    if state not in canon:
                        canon[state] = w
                        parent[w] = (n, j)
                        queue.append(w)
            self._canonical, self._parent = canon, parent
        return self._canonical

    def _reachable_states(self) -> set[int]:
        """The model states reachable from INITIAL (cheaper than the nodes)."""
        seen = {0}
        queue = deque([0])
        while queue:
            for t in self._row(queue.popleft()).succ:
                if t not in seen:
                    seen.add(t)
                    queue.append(t)
        return seen

    def way_to(self, state: UserState) -> tuple[int, int]:
        """The steps and calls of the model's shortest path to ``state``."""
        n = self.canonical(state)
        steps = calls = 0
        while n in self._parent:
            n, j = self._parent[n]
            steps += 1
            calls += self.costs_at(n)[j].calls
        return steps, calls

    def reachable(self) -> list[UserState]:
        """Every state the model reaches from INITIAL, breadth-first."""
        return list(self._canon())

    def pairs(self) -> list[tuple[int, int]]:
        """Every reachable (state, variant) at its canonical node, states breadth-first."""
        canon = self._canon()
        return [(canon[s], j) for s in canon for j in range(len(self.variants))]


# ---------------------------------------------------------------- narrowing


@dataclass(frozen=True)
class Narrowing:
    """Which pairs an exploration targets (all, when nothing is given)."""

    status: str | None = None  # pairs whose state has this status ("NO_USER": none)
    operations: tuple[str, ...] = ()
    uncertain: bool = False  # pairs whose firing rule is uncertain (UNCERTAIN, fallback)
    max_calls: int | None = None  # a budget: the plan covers what fits

    @property
    def active(self) -> bool:
        return bool(self.status or self.operations or self.uncertain or self.max_calls)

    def selects(self, state: UserState, step: Step, rule: Rule) -> bool:
        if self.status is not None and str(state.status) != self.status:
            return False
        if self.operations and str(step.op) not in self.operations:
            return False
        return not self.uncertain or is_uncertain(rule)

    def describe(self) -> str:
        parts = []
        if self.status:
            parts.append(f"--state {self.status}")
        parts += [f"--operation {op}" for op in self.operations]
        if self.uncertain:
            parts.append("--uncertain")
        if self.max_calls:
            parts.append(f"--max-calls {self.max_calls}")
        return " ".join(parts) or "all pairs"


def targets(graph: Graph, narrowing: Narrowing) -> list[tuple[int, int]]:
    """The reachable pairs the narrowing selects, in breadth-first order."""
    return [
        (n, j)
        for n, j in graph.pairs()
        if narrowing.selects(graph.state(n), graph.variants[j], graph.predict(n, j).rule)
    ]


# ---------------------------------------------------------------- the tour


def looks(state: UserState) -> tuple[Any, ...]:
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


class Bans:
    """What this backend did otherwise than the model said, learnt while walking, by
    what it shows of the state (status, Enabled, email_verified): steps that took a user
    elsewhere are never used to move again from a state that looks the same; those and
    steps that unsettled what the backend cannot show are taken last among a state's
    pairs, so the detour they cause comes after the rest is covered. Shared by the
    walks of one process (threads included)."""

    def __init__(self) -> None:
        self._banned: set[tuple[tuple[Any, ...], int]] = set()
        self._later: set[tuple[tuple[Any, ...], int]] = set()
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._banned)

    def add(self, state: UserState, j: int) -> None:
        with self._lock:
            self._banned.add((looks(state), j))
            self._later.add((looks(state), j))

    def defer(self, state: UserState, j: int) -> None:
        with self._lock:
            self._later.add((looks(state), j))

    def at(self, graph: Graph, n: int) -> frozenset[int]:
        """The variants never to move by from node ``n``."""
        if not self._banned:
            return frozenset()
        shown = looks(graph.state(n))
        return frozenset(j for seen, j in self._banned if seen == shown)

    def deferred(self, graph: Graph, n: int, j: int) -> bool:
        return bool(self._later) and (looks(graph.state(n)), j) in self._later


@dataclass(frozen=True)
class Move:
    variant: int
    heading: tuple[int, int]  # the targeted pair this step serves


class Tour:
    """A greedy covering walk over a set of targeted pairs: from the current state, an
    uncovered pair there (self-loops first, so the user stays put), else the first step
    of the shortest path to the nearest state that has one. The same object plans on
    the model and steers live walks: a live walk that departs simply asks again from
    where the backend really is. ``banned`` edges are never used to move (steps that
    diverted on this backend); per-user ``limits`` are kept along the way."""

    def __init__(
        self,
        graph: Graph,
        pairs: Iterable[tuple[int, int]],
        limits: Limits = NO_LIMITS,
        bans: Bans | None = None,
    ) -> None:
        self.graph = graph
        self.limits = limits
        self.bans = bans if bans is not None else Bans()
        self.left: dict[int, list[int]] = {}
        for i, j in pairs:
            if graph.sendable[j]:
                self.left.setdefault(i, []).append(j)
        # Self-loops first (the user stays put), those a backend could not turn into a
        # move before those it could (a step that can set a hidden field, answered
        # otherwise than predicted, leaves the user elsewhere), then the cheapest.
        risky = [bool(_may_set(v.op)) for v in graph.variants]
        for i, js in self.left.items():
            succ, cost = graph.successors(i), graph.costs_at(i)
            js.sort(key=lambda j: (succ[j] != i, risky[j], cost[j].calls, j))
        self._route: deque[tuple[int, int]] = deque()
        self._heading: tuple[int, int] | None = None

    def __len__(self) -> int:
        return sum(len(js) for js in self.left.values())

    def remaining(self) -> list[tuple[int, int]]:
        return [(i, j) for i, js in self.left.items() for j in js]

    def is_target(self, i: int, j: int) -> bool:
        js = self.left.get(i)
        return js is not None and j in js

    def cover(self, i: int, j: int) -> None:
        js = self.left.get(i)
        if js is not None and j in js:
            js.remove(j)
            if not js:
                del self.left[i]

    def drop(self, i: int, j: int) -> None:
        """Give up a pair (unreachable here, or over a budget)."""
        self.cover(i, j)

    def reset(self) -> None:
        """Forget the route: the user is somewhere else than planned (or is new)."""
        self._route.clear()
        self._heading = None

    @property
    def heading(self) -> tuple[int, int] | None:
        return self._heading

    def _fits(self, cost: StepCost, usage: Usage, spent: int, budget: int | None) -> bool:
        if budget is not None and spent + cost.calls > budget:
            return False
        return usage.fits(self.limits, cost.wrong, cost.codes)

    def _here(self, i: int, usage: Usage, spent: int, budget: int | None) -> int | None:
        costs, later = self.graph.costs_at(i), None
        for j in self.left.get(i, ()):
            if self._fits(costs[j], usage, spent, budget):
                if not self.bans.deferred(self.graph, i, j):
                    return j
                later = j if later is None else later
        return later

    def next_move(self, i: int, usage: Usage, budget: int | None = None) -> Move | None:
        """The next step for a user in state ``i`` that has used ``usage``; ``budget``:
        the calls it may still spend (its clean-up excluded). None: nothing reachable."""
        if self._route and self._route[0][0] == i:
            _, j = self._route.popleft()
            assert self._heading is not None
            return Move(j, self._heading)
        self.reset()
        here = self._here(i, usage, 0, budget)
        if here is not None:
            self._heading = (i, here)
            return Move(here, (i, here))
        route = self._nearest(i, usage, budget)
        if route is None:
            return None
        self._route.extend(route[1:])
        return Move(route[0][1], self._heading or (i, route[0][1]))

    def _nearest(
        self, start: int, usage: Usage, budget: int | None
    ) -> list[tuple[int, int]] | None:
        """Breadth-first from ``start`` to the nearest node with a pair this user can
        still take; the route as (node, variant) steps. Steps that cost some of the
        user's limits (a wrong password, a code) are taken only within them."""
        bans = self.bans
        if budget is None and not self.limits.any and not bans:
            return self._nearest_free(start)
        graph = self.graph
        prev: dict[int, tuple[int, int] | None] = {start: None}
        spent: dict[int, tuple[int, int, int]] = {start: (0, 0, 0)}  # calls, wrong, codes
        queue = deque([start])
        blocked_at: dict[Any, frozenset[int]] = {}  # by what the backend shows
        while queue:
            u = queue.popleft()
            calls, wrong, codes = spent[u]
            if u != start and u in self.left:
                used = Usage(usage.wrong_passwords + wrong, usage.code_attempts + codes)
                j = self._here(u, used, calls, budget)
                if j is not None:
                    self._heading = (u, j)
                    return self._route_to(u, prev)
            cost = graph.costs_at(u)
            shown = looks(graph.state(u))
            blocked = blocked_at.get(shown)
            if blocked is None:
                blocked = blocked_at[shown] = bans.at(graph, u)
            for w, js in graph.moves(u):
                if w in prev:
                    continue
                for j in js:  # the first of the ways there this user may take
                    if j in blocked:
                        continue
                    c = cost[j]
                    nxt = (calls + c.calls, wrong + c.wrong, codes + c.codes)
                    if budget is not None and nxt[0] > budget:
                        continue
                    if (c.wrong or c.codes) and not usage.fits(self.limits, nxt[1], nxt[2]):
                        continue
                    prev[w] = (u, j)
                    spent[w] = nxt
                    queue.append(w)
                    break
        return None

    def _nearest_free(self, start: int) -> list[tuple[int, int]] | None:
        """``_nearest`` with nothing to keep within: a plain breadth-first search (the
        hot loop of planning, hence the local names)."""
        prev: dict[int, tuple[int, int] | None] = {start: None}
        queue = deque([start])
        left, graph, cached = self.left, self.graph, self.graph._moves
        popleft, append = queue.popleft, queue.append
        while queue:
            u = popleft()
            if u in left and u != start:
                self._heading = (u, left[u][0])
                return self._route_to(u, prev)
            for w, js in cached[u] or graph.moves(u):
                if w not in prev:
                    prev[w] = (u, js[0])
                    append(w)
        return None

    @staticmethod
    def _route_to(u: int, prev: Mapping[int, tuple[int, int] | None]) -> list[tuple[int, int]]:
        route = []
        while (back := prev[u]) is not None:
            route.append(back)
            u = back[0]
        route.reverse()
        return route


# ---------------------------------------------------------------- the plan


@dataclass
class Walk:
    """One user of a plan (a segment of the tour that one worker walks)."""

    pairs: list[Pair] = field(default_factory=list)  # the targeted pairs it covers
    steps: int = 0
    calls: int = 0
    marks: list[tuple[int, int]] = field(default_factory=list, repr=False)  # (steps, calls)
    # spent when each pair was covered


@dataclass
class Plan:
    """What an exploration will do, worked out on the model before any call."""

    strategy: str  # "walks" or "isolated"
    targeted: int
    walks: list[Walk]
    skipped: list[Pair]  # targeted pairs the backend will not send (mail, no --email)
    left_out: list[Pair]  # targeted pairs over the --max-calls budget
    unreachable: list[Pair]  # targeted pairs no user reaches within the limits
    steps: int = 0
    calls: int = 0
    mails: int = 0
    codes: int = 0
    texts: int = 0
    users: int = 0
    per_operation: Counter[str] = field(default_factory=Counter)
    max_calls: int | None = None
    # Every state the model reaches, numbered breadth-first (how results are ordered).
    order: dict[UserState, int] = field(default_factory=dict, repr=False)

    @property
    def pairs(self) -> int:
        return sum(len(w.pairs) for w in self.walks)

    @property
    def busiest(self) -> tuple[str, int] | None:
        common = self.per_operation.most_common(1)
        return common[0] if common else None

    def seconds(self, per_call: float, workers: int, per_operation_rps: float | None) -> float:
        """A duration estimate: the calls spread over the workers, or the busiest
        operation at the backend's pace, whichever takes longer."""
        spread = self.calls * per_call / max(workers, 1)
        busiest = self.busiest
        paced = busiest[1] / per_operation_rps if busiest and per_operation_rps else 0.0
        return max(spread, paced)

    def as_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "targeted": self.targeted,
            "pairs": self.pairs,
            "skipped": len(self.skipped),
            "left_out": len(self.left_out),
            "unreachable": len(self.unreachable),
            "users": self.users,
            "max_calls": self.max_calls,
            "steps": self.steps,
            "calls": self.calls,
            "mails": self.mails,
            "codes": self.codes,
            "texts": self.texts,
            "per_operation": dict(self.per_operation.most_common()),
        }


def plan_walks(
    graph: Graph,
    wanted: Sequence[tuple[int, int]],
    *,
    limits: Limits = NO_LIMITS,
    max_calls: int | None = None,
    segments: int = 1,
) -> Plan:
    """The covering walks for ``wanted`` pairs, simulated on the model. With
    ``segments`` > 1 long walks are cut into pieces of similar cost for workers to walk
    side by side; each piece after the first costs a new user its way there."""
    plan = _simulate(graph, wanted, limits, max_calls)
    segments = min(segments, plan.calls // SEGMENT_CALLS)  # small plans stay whole
    if segments > 1 and max_calls is None:
        _split(plan, graph, plan.calls / segments)
    return plan


SEGMENT_CALLS = 400  # the least a piece is worth cutting for (a worker's start costs)


def _split(plan: Plan, graph: Graph, size: float) -> None:
    pieces: list[Walk] = []
    for walk in plan.walks:
        if walk.calls <= size * 1.5:
            pieces.append(walk)
            continue
        start = 0
        base_steps = base_calls = 0
        for k, (steps, calls) in enumerate(walk.marks):
            last = k == len(walk.marks) - 1
            if not last and calls - base_calls < size:
                continue
            end_steps, end_calls = (walk.steps, walk.calls) if last else (steps, calls)
            way_steps, way_calls = (0, 0) if start == 0 else graph.way_to(walk.pairs[start].state)
            piece = Walk(
                walk.pairs[start : k + 1],
                end_steps - base_steps + way_steps,
                end_calls - base_calls + way_calls + (0 if last else graph.costs.delete),
            )
            pieces.append(piece)
            start, base_steps, base_calls = k + 1, steps, calls
    plan.walks = pieces
    plan.users = len(pieces)
    plan.steps = sum(w.steps for w in pieces)
    plan.calls = sum(w.calls for w in pieces)


def _simulate(
    graph: Graph,
    wanted: Sequence[tuple[int, int]],
    limits: Limits,
    max_calls: int | None,
) -> Plan:
    tour = Tour(graph, wanted, limits)
    skipped = [graph.pair(i, j) for i, j in wanted if not graph.sendable[j]]
    plan = Plan("walks", len(wanted), [], skipped, [], [], max_calls=max_calls)
    delete = graph.costs.delete
    while tour.left:
        walk, usage, i = Walk(), Usage(), 0  # node 0: a user that does not exist yet
        tour.reset()
        while True:
            budget = None
            if max_calls is not None:
                budget = max_calls - plan.calls - walk.calls - delete
            move = tour.next_move(i, usage, budget)
            if move is None:
                break
            j = move.variant
            cost = graph.costs_at(i)[j]
            walk.steps += 1
            walk.calls += cost.calls
            if tour.is_target(i, j):
                walk.pairs.append(graph.pair(i, j))
                walk.marks.append((walk.steps, walk.calls))
                tour.cover(i, j)
            usage.add(cost.wrong, cost.codes)
            plan.mails += cost.mails
            plan.codes += cost.code_mails
            plan.texts += cost.texts
            plan.per_operation.update(cost.operation_calls)
            i = graph.successors(i)[j]
        if not walk.steps:  # a new user reaches none of what is left
            break
        walk.calls += delete
        plan.per_operation["admin_delete_user"] += delete
        plan.walks.append(walk)
        plan.steps += walk.steps
        plan.calls += walk.calls
    plan.users = len(plan.walks)
    rest = [graph.pair(i, j) for i, j in tour.remaining()]
    if max_calls is not None:
        plan.left_out = rest
    else:
        plan.unreachable = rest
    return plan

"""Explore: the model's reachable states and shortest paths, one fresh user per (state,
operation) pair walking there, an arrival check, the operation, the clean-up; what a
diverted path reports; the --json document; reproducers that replay each mismatch.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pytest
from conftest import DepartingBackend, unlisted
from rich.console import Console

from cognito_states import cli
from cognito_states import explore as explore_module
from cognito_states.backends import Answer, make_backend
from cognito_states.backends.moto import MotoBackend, MotoUser
from cognito_states.explore import (
    Explorer,
    ExploreResult,
    Pair,
    Planner,
    count_pairs,
    explore,
)
from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.operations import Op
from cognito_states.reproducers import Departure, departure_key, distinct, write_reproducers
from cognito_states.scenario import Pool, Step, all_variants, load_scenarios, step
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import COMPARED as FIELDS
from cognito_states.views import View

DIVERTED = "diverted"

# The pairs of the first state (no user yet) and the first 17 of the next (an admin-created
# user): up to initiate_auth's USER_SRP_AUTH variants.
LIMIT = len(all_variants()) + 17


def reached(model: CognitoModel, steps: list[Step]) -> UserState:
    state = INITIAL
    for one in steps:
        state = model.predict(state, one).state
    return state


# ------------------------------------------------------------------ the planner (model only)


@pytest.fixture(scope="module")
def planner() -> Planner:
    return Planner(CognitoModel(Pool()), all_variants())


@pytest.fixture(scope="module")
def paths(planner: Planner) -> dict[UserState, tuple[Step, ...]]:
    return planner.paths()


def test_every_state_is_reached_from_initial_by_its_path(
    planner: Planner, paths: dict[UserState, tuple[Step, ...]]
) -> None:
    assert paths[INITIAL] == ()
    assert len(paths) > 100  # statuses x Enabled x email_verified x tokens x challenge x code
    wrong = [s for s, p in paths.items() if reached(planner.model, list(p)) != s]
    assert wrong == []


def test_paths_are_shortest(planner: Planner, paths: dict[UserState, tuple[Step, ...]]) -> None:
    """Breadth first: no step from a state leads somewhere whose path is longer than
    that state's path plus one."""
    longer = [
        (s.as_dict(), v.describe())
        for s, p in paths.items()
        for v in planner.variants
        if len(paths[planner.successor(s, v)]) > len(p) + 1
    ]
    assert longer == []
    assert {len(p) for p in paths.values()} >= {0, 1, 2, 3}


def test_states_are_closed_under_every_variant(
    planner: Planner, paths: dict[UserState, tuple[Step, ...]]
) -> None:
    """Every state the model predicts from a reachable state is itself explored."""
    missing = {planner.successor(s, v) for s in paths for v in planner.variants} - set(paths)
    assert missing == set()


def test_pairs_are_states_times_variants(
    planner: Planner, paths: dict[UserState, tuple[Step, ...]]
) -> None:
    variants = all_variants()
    assert len(variants) == len(set(variants)) > len(Op)  # defaults, then one keyword changed
    assert count_pairs(Pool()) == len(paths) * len(variants)
    pairs = planner.pairs()
    assert len(pairs) == len(paths) * len(variants)
    assert {p.state for p in pairs} == set(paths)
    assert {p.step for p in pairs} == set(variants)


def test_every_pair_matches_on_the_model_backend() -> None:
    result = explore(make_backend("model"), Pool())
    assert len(result.pairs) == count_pairs(Pool())
    assert result.counts() == {"match": len(result.pairs)}
    assert not result.interrupted
    assert result.users == 1  # the model never departs: one user walks the whole tour
    assert result.departures == []


# ------------------------------------------------------------------ a limited run on moto


@dataclass
class SpyUser:
    """A moto user that remembers what explore asked of it."""

    inner: Any
    acts: list[Step] = field(default_factory=list)
    observations: list[View] = field(default_factory=list)
    closed: int = 0

    @property
    def calls(self) -> int:
        return int(self.inner.calls)

    def act(self, one: Step) -> Answer:
        self.acts.append(one)
        outcome: Answer = self.inner.act(one)
        return outcome

    def observe(self, outcome: Answer) -> View:
        seen: View = self.inner.observe(outcome)
        self.observations.append(seen)
        return seen

    def close(self) -> None:
        self.closed += 1
        self.inner.close()


class SpyBackend(MotoBackend):
    def __init__(self) -> None:
        super().__init__()
        self.spies: list[SpyUser] = []

    def user(self, pool: Pool, label: str) -> SpyUser:  # type: ignore[override]
        spy = SpyUser(super().user(pool, label))
        self.spies.append(spy)
        return spy

    def users_left(self) -> list[str]:
        names = []
        for pool in self._client.list_user_pools(MaxResults=60)["UserPools"]:
            for user in self._client.list_users(UserPoolId=pool["Id"])["Users"]:
                names.append(user["Username"])
        return names


@dataclass
class MotoRun:
    result: ExploreResult
    spies: list[SpyUser]
    left: list[str]
    shortest: dict[UserState, tuple[Step, ...]]


@pytest.fixture(scope="module")
def moto_run(paths: dict[UserState, tuple[Step, ...]]) -> MotoRun:
    backend = SpyBackend()
    backend.open()
    try:
        with unlisted(26):  # a mismatch among the first pairs
            result = explore(backend, Pool(), limit=LIMIT, isolated=True)
        left = backend.users_left()
    finally:
        backend.close()
    return MotoRun(result, backend.spies, left, paths)


def test_limited_run_covers_the_first_pairs(moto_run: MotoRun, planner: Planner) -> None:
    result = moto_run.result
    assert len(result.pairs) == LIMIT
    assert [(p.before, p.step) for p in result.pairs] == [
        (p.state, p.step) for p in planner.pairs()[:LIMIT]
    ]
    assert {len(p.path) for p in result.pairs} == {0, 1}


def test_each_pair_gets_a_fresh_user_on_the_shortest_path(moto_run: MotoRun) -> None:
    assert DIVERTED not in moto_run.result.counts()  # else a pair would take two users
    assert len(moto_run.spies) == len(moto_run.result.pairs)
    for item, spy in zip(moto_run.result.pairs, moto_run.spies, strict=True):
        assert item.path == moto_run.shortest[item.before]
        assert spy.acts == [*item.path, item.step]


def test_one_observation_for_the_arrival_and_one_after_the_operation(moto_run: MotoRun) -> None:
    for item, spy in zip(moto_run.result.pairs, moto_run.spies, strict=True):
        assert len(spy.observations) == (2 if item.path else 1), item.step.describe()
        arrival = spy.observations[0]
        if item.path:
            assert (arrival.status, arrival.enabled, arrival.email_verified) == (
                item.before.public_status,
                item.before.enabled,
                item.before.email_verified,
            )
        assert spy.observations[-1] == item.observed


def test_every_user_is_deleted(moto_run: MotoRun) -> None:
    assert [spy.closed for spy in moto_run.spies] == [1] * len(moto_run.spies)
    assert moto_run.left == []
    # the run did create users: the empty pool is not for want of any
    assert any(Op(s.acts[0].op) in (Op.admin_create_user, Op.sign_up) for s in moto_run.spies)


def test_calls_per_pair_at_most_path_plus_three_plus_delete(moto_run: MotoRun) -> None:
    """The issue's cost bound: the path, the arrival check, the operation, its
    observation, then the clean-up delete; an SRP sign-in is two calls (README). A pair
    walked more than once (a diverted path) is bounded per attempt."""

    def srp(steps: Any) -> int:
        return sum(s.kwargs.get("auth_flow") == "USER_SRP_AUTH" for s in steps)

    over = [
        (p.before.public_status, p.step.describe(), len(p.path), p.calls)
        for p in moto_run.result.pairs
        if p.attempts == 1 and p.calls > len(p.path) + 4 + srp((*p.path, p.step))
    ]
    assert over == []
    assert any(p.step.kwargs.get("auth_flow") == "USER_SRP_AUTH" for p in moto_run.result.pairs)
    assert moto_run.result.calls == sum(p.calls for p in moto_run.result.pairs) > LIMIT


def test_verdicts_agree_with_predicted_and_observed(moto_run: MotoRun) -> None:
    counts = moto_run.result.counts()
    assert counts["match"] > counts.get("mismatch", 0) > 0
    for item in moto_run.result.pairs:
        same = all(item.predicted.get(k) == item.observed.get(k) for k in FIELDS)
        if item.verdict == "match":
            assert same, item
        if item.verdict in ("mismatch", "known-gap"):
            assert not same or "required_attributes" in item.predicted, item


# ------------------------------------------------------------------ diverted paths

# A small variant set keeps planning instant; FORCE_CHANGE_PASSWORD has three paths here.
FEW = [
    step.admin_create_user(),
    step.admin_create_user(email=False),
    step.admin_update_user_attributes(new_email=True),
    step.sign_up(),
    step.admin_set_user_password(),
    step.get_user(),
]
FCP = reached(CognitoModel(Pool()), [step.admin_create_user()])


def test_a_diverted_step_is_reported_diverted() -> None:
    """A backend that answers the path's first step otherwise: the pair is never run."""
    backend = DepartingBackend(at=1, outcome="error:InternalError")
    item = Explorer(backend, Pool(), FEW).run_pair(Pair(FCP, step.get_user()))
    assert item.verdict == DIVERTED
    assert (item.predicted, item.observed) == (None, None)
    assert backend.users
    assert all(u.acted == 1 for u in backend.users)  # each stopped at the diverting step
    assert all(u.closed for u in backend.users)


def test_a_diverted_pair_says_which_step_diverted() -> None:
    """With one path to the state, the pair reports the step that diverted and the path
    the user walked."""
    backend = DepartingBackend(at=1, outcome="error:InternalError")
    only = [step.admin_create_user(), step.get_user()]
    item = Explorer(backend, Pool(), only).run_pair(Pair(FCP, step.get_user()))
    assert item.verdict == DIVERTED
    assert item.note == (
        "step 1 (admin_create_user()) answered error:InternalError, not ok;"
        " every other path the model knows diverts too"
    )
    assert item.path == (step.admin_create_user(),)
    assert item.attempts == 1


def test_a_wrong_arrival_is_reported_diverted() -> None:
    """Every step answered as predicted, but the arrival check shows another state."""
    backend = DepartingBackend(at=1, changes={"enabled": False})
    item = Explorer(backend, Pool(), FEW).run_pair(Pair(FCP, step.get_user()))
    assert item.verdict == DIVERTED
    assert item.note == (
        "arrived as status=FORCE_CHANGE_PASSWORD, enabled=False, email_verified=False"
    )
    assert len(backend.users) == 1
    assert backend.users[0].acted == 1  # the operation itself was not applied


def test_the_operation_itself_departing_is_no_diversion() -> None:
    backend = DepartingBackend(at=1, outcome="error:InternalError")
    item = Explorer(backend, Pool(), FEW).run_pair(Pair(INITIAL, step.get_user()))
    assert item.verdict == "mismatch"


def test_a_diverted_path_is_retried_along_other_paths() -> None:
    """README: the diverting step is avoided and the pair retried along the next shortest
    path, up to three times. Here every path diverts at its first step: each of the
    three ways to FORCE_CHANGE_PASSWORD is tried once, by a fresh user."""
    backend = DepartingBackend(at=1, outcome="error:InternalError")
    item = Explorer(backend, Pool(), FEW).run_pair(Pair(FCP, step.get_user()))
    assert item.verdict == DIVERTED
    assert item.attempts == len(backend.users) == 3
    assert item.calls == 0  # the fake users make no API calls; none is counted


# ------------------------------------------------------------------ the CLI's --json


@pytest.fixture(scope="module")
def cli_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("explore-json")
    repro = folder / "repro"
    with pytest.MonkeyPatch.context() as mp, unlisted(26):  # a mismatch among the first pairs
        mp.chdir(folder)
        out, err = _capture(
            "explore", "--limit", "40", "--workers", "1", "--json", "--repro-dir", str(repro)
        )
    return {"code": out[0], "stdout": out[1], "stderr": err, "repro": repro}


def _capture(*argv: str) -> tuple[tuple[int, str], str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return (code, out.getvalue()), err.getvalue()


def test_json_document(cli_json: dict[str, Any]) -> None:
    doc = json.loads(cli_json["stdout"])  # stdout is one JSON document, nothing else
    assert doc["cognito_states"] == 1
    assert doc["backend"] == "moto"
    assert set(doc) >= {"cognito_states", "backend", "pairs", "calls", "seconds"}
    assert len(doc["pairs"]) == 40
    for pair in doc["pairs"]:
        assert set(pair) >= {"state", "operation", "params", "predicted", "observed", "verdict"}
        assert pair["operation"] in Op.__members__
        assert set(pair["state"]) >= {"status", "enabled", "email_verified", "tokens"}
        assert pair["verdict"] in ("match", "mismatch", "known-gap", "unsupported", DIVERTED)
    # Every request is some pair's (its own, or its share of the moves to it); in-process
    # moto's observations are reads, not calls.
    assert doc["calls"] == sum(p["calls"] for p in doc["pairs"]) > 0
    assert doc["reads"] > 0
    assert doc["strategy"] == "walks"
    assert isinstance(doc["seconds"], int | float)
    assert doc["seconds"] >= 0


def test_json_exit_code_and_reproducers(cli_json: dict[str, Any]) -> None:
    doc = json.loads(cli_json["stdout"])
    mismatches = [p for p in doc["pairs"] if p["verdict"] == "mismatch"]
    assert mismatches  # moto 5.2: confirm_forgot_password for no user (moto-26, unlisted)
    assert cli_json["code"] == 1
    written = sorted(cli_json["repro"].glob("repro_*.py"))
    assert [str(p) for p in written] == sorted(doc["reproducers"])
    assert 1 <= len(written) <= len(mismatches)


# ------------------------------------------------------------------ reproducers


GLOBAL_SIGN_OUT_REVOKED = [
    step.admin_create_user(),
    step.admin_set_user_password(permanent=True),
    step.admin_initiate_auth(),
    step.admin_disable_user(),
]


@dataclass
class Crafted:
    items: dict[str, Transition]
    left: list[str]
    spies: list[SpyUser]


@pytest.fixture(scope="module")
def crafted() -> Crafted:
    """Pairs run one by one on moto: two unlisted departures and a listed one."""
    model = CognitoModel(Pool())
    disabled = reached(model, [step.admin_create_user(), step.admin_disable_user()])
    revoked_disabled = reached(model, GLOBAL_SIGN_OUT_REVOKED)
    assert (revoked_disabled.status, revoked_disabled.enabled, str(revoked_disabled.tokens)) == (
        "CONFIRMED",
        False,
        "revoked",
    )
    unconfirmed = reached(model, [step.sign_up()])
    backend = SpyBackend()
    backend.open()
    try:
        explorer = Explorer(backend, Pool())
        items = {
            "global_sign_out": explorer.run_pair(Pair(revoked_disabled, step.global_sign_out())),
            # a disabled user (no evidence either way; moto accepts any code)
            "confirm_forgot_password": explorer.run_pair(
                Pair(disabled, step.confirm_forgot_password())
            ),
            "listed": explorer.run_pair(
                Pair(unconfirmed, step.admin_initiate_auth(wrong_password=True))
            ),
        }
        left = backend.users_left()
    finally:
        backend.close()
    return Crafted(items, left, backend.spies)


def test_crafted_pairs_on_moto(crafted: Crafted) -> None:
    items = crafted.items
    assert items["global_sign_out"].verdict == "mismatch"
    assert items["global_sign_out"].observed["outcome"] == "ok"
    assert items["global_sign_out"].predicted["outcome"] == "error:NotAuthorizedException"
    assert items["confirm_forgot_password"].verdict == "mismatch"
    assert items["listed"].verdict == "known-gap"
    assert items["listed"].gap is not None
    assert items["listed"].gap.id == "moto-23"
    assert items["listed"].note.startswith("moto-23: ")
    assert crafted.left == []


def test_a_longer_path_is_walked_checked_once_and_cleaned_up(crafted: Crafted) -> None:
    item = crafted.items["global_sign_out"]
    assert len(item.path) == len(GLOBAL_SIGN_OUT_REVOKED)  # the shortest there
    spy = crafted.spies[0]
    assert spy.acts == [*item.path, step.global_sign_out()]
    assert len(spy.observations) == 2
    assert spy.closed == 1
    assert item.calls <= len(item.path) + 4


def _run_json(*argv: str) -> tuple[int, dict[str, Any]]:
    (code, out), _err = _capture("run", "--json", *argv)
    return code, json.loads(out)


def test_each_mismatch_gets_one_reproducer(crafted: Crafted, tmp_path: Path) -> None:
    items = crafted.items
    written = write_reproducers(tmp_path, Pool(), "moto", items.values())
    assert len(written) == 2  # the known gap gets none
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    texts = " ".join(p.read_text() for p in written)
    assert "global_sign_out()" in texts
    assert "confirm_forgot_password()" in texts
    assert "wrong_password=True" not in texts
    (scenario,) = load_scenarios([next(p for p in written if "global_sign_out" in p.name)])
    assert [s.describe() for s in scenario.steps] == [
        s.describe() for s in (*items["global_sign_out"].path, step.global_sign_out())
    ]
    assert scenario.steps[-1].expect_dict["outcome"] == "error:NotAuthorizedException"
    assert all(not s.expect_dict for s in scenario.steps[:-1])


def test_one_reproducer_per_departure_from_the_shortest_path(
    crafted: Crafted, tmp_path: Path
) -> None:
    item = crafted.items["global_sign_out"]
    longer = replace(item, path=(step.admin_enable_user(), *item.path))
    (written,) = write_reproducers(tmp_path, Pool(), "moto", [longer, item, longer])
    (scenario,) = load_scenarios([written])
    assert len(scenario.steps) == len(item.path) + 1


@pytest.mark.parametrize("which", ["global_sign_out", "confirm_forgot_password"])
def test_reproducer_replays_the_mismatch_on_moto_and_passes_on_the_model(
    crafted: Crafted, tmp_path: Path, which: str
) -> None:
    (path,) = write_reproducers(tmp_path, Pool(), "moto", [crafted.items[which]])
    code, doc = _run_json(str(path))
    steps = doc["scenarios"][0]["steps"]
    assert code == 1
    assert steps[-1]["verdict"] == "mismatch"
    assert steps[-1]["operation"] == which
    assert all(s["verdict"] in ("match", "known-gap") for s in steps[:-1])
    code, doc = _run_json("--backend", "model", str(path))
    assert code == 0
    assert {s["verdict"] for s in doc["scenarios"][0]["steps"]} == {"match"}


# ------------------------------------------------------------------ covering walks on moto

# A small model: the operations whose effects moto hides best (tokens that disabling
# leaves working, a deleted user's tokens, reset codes), so that walks and isolated pairs
# see different histories.
SMALL = [
    step.admin_create_user(),
    step.admin_create_user(email_verified=True),
    step.admin_set_user_password(permanent=True),
    step.admin_initiate_auth(),
    step.admin_disable_user(),
    step.admin_enable_user(),
    step.admin_delete_user(),
    step.admin_user_global_sign_out(),
    step.get_user(),
    step.global_sign_out(),
    step.change_password(),
    step.forgot_password(),
    step.confirm_forgot_password(),
]


class CheckingUser(MotoUser):
    """A moto user observed by reading moto's record directly that also asks
    AdminGetUser, and keeps every time the two disagree."""

    disagreements: list[tuple[Any, Any]]
    checks: list[int]  # the AdminGetUser calls made to check (one shared counter)

    def read_user(self) -> dict[str, Any] | None:
        direct = super().read_user()
        self.direct = False
        try:
            api = super().read_user()
        finally:
            self.direct = True
        self.calls -= 1  # the check's own call is not the exploration's
        self.checks[0] += 1
        shown = [
            None if u is None else (u["UserStatus"], u["Enabled"], _attributes(u))
            for u in (direct, api)
        ]
        if shown[0] != shown[1]:
            self.disagreements.append((shown[0], shown[1]))
        return direct


def _attributes(user: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


class CountingBackend(MotoBackend):
    """In-process moto that counts every request its client sends, and checks the
    direct reads against AdminGetUser."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0
        self.checks = [0]
        self.disagreements: list[tuple[Any, Any]] = []

    def open(self) -> None:
        super().open()
        self._client.meta.events.register("before-call.cognito-idp", self._count)

    def _count(self, **_: Any) -> None:
        self.requests += 1

    def user(self, pool: Pool, label: str) -> MotoUser:
        user = super().user(pool, label)
        checking = CheckingUser(**{f.name: getattr(user, f.name) for f in fields(user)})
        checking.disagreements, checking.checks = self.disagreements, self.checks
        return checking


@dataclass
class Compared:
    isolated: ExploreResult
    walks: ExploreResult
    walk_requests: int
    disagreements: list[tuple[Any, Any]]


@pytest.fixture(scope="module")
def compared() -> Compared:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(explore_module, "all_variants", lambda pool=None: SMALL)
        backend = CountingBackend()
        backend.open()
        try:
            backend.user(Pool(), "warm").close()  # the pool is made before counting
            isolated = explore(backend, Pool(), isolated=True)
            before = backend.requests - backend.checks[0]
            walks = explore(backend, Pool())
            requests = backend.requests - backend.checks[0] - before
        finally:
            backend.close()
    return Compared(isolated, walks, requests, backend.disagreements)


def _departures(result: ExploreResult, verdict: str) -> set[str]:
    return {departure_key(p) for p in result.pairs if p.verdict == verdict}


def test_walks_cover_the_same_pairs_as_isolated_users(compared: Compared) -> None:
    pairs = {(p.before, p.step) for p in compared.isolated.pairs}
    assert {(p.before, p.step) for p in compared.walks.pairs} == pairs
    assert len(pairs) > 150
    assert compared.walks.strategy == "walks"


@pytest.mark.parametrize("verdict", ["mismatch", "known-gap"])
def test_no_departure_of_isolated_pairs_is_lost(compared: Compared, verdict: str) -> None:
    isolated = _departures(compared.isolated, verdict)
    assert isolated  # moto departs here: the comparison compares something
    assert isolated <= _departures(compared.walks, verdict)


def test_every_mismatch_of_the_walks_was_run_again_by_a_fresh_user(compared: Compared) -> None:
    """Each distinct mismatch is confirmed from a fresh user along the model's shortest
    path, or reported history-dependent; those calls are counted apart."""
    walks = compared.walks
    checked = distinct(walks.departures)
    assert checked
    assert {d.key for d in checked} >= _departures(walks, "mismatch")
    assert all(d.reproduced in (True, False) for d in checked)
    assert any(d.reproduced for d in checked)
    assert walks.verification_calls > 0
    for one in checked:
        if one.reproduced:
            assert one.steps == (*one.replay, one.item.step)  # the shortest path, not the walk


def test_walks_spend_far_fewer_calls_than_isolated_users(compared: Compared) -> None:
    walks, isolated = compared.walks, compared.isolated
    assert walks.calls < isolated.calls / 2
    assert walks.calls / len(walks.pairs) <= 3.5
    assert walks.users < isolated.users / 10


def test_calls_are_every_request_sent_and_reads_are_none(compared: Compared) -> None:
    """`calls` counts each request the exploration sends (the fresh-user checks apart);
    observations on in-process moto read its record directly: reads, no request."""
    walks = compared.walks
    assert compared.walk_requests == walks.calls + walks.verification_calls
    assert walks.reads > len(walks.pairs) / 2
    assert sum(p.calls for p in walks.pairs) == walks.calls


def test_direct_reads_agree_with_admin_get_user(compared: Compared) -> None:
    """Every observation of both explorations read moto's record and asked
    AdminGetUser: they never disagreed."""
    assert compared.walks.reads + compared.isolated.reads > 500
    assert compared.disagreements == []


def test_direct_reads_agree_on_every_state_explore_reaches() -> None:
    """The whole model, not the small one: a fresh user walks the shortest path to each
    reachable state, and moto's record read directly is what AdminGetUser answers."""
    backend = CountingBackend()
    backend.open()
    model = CognitoModel(Pool())
    paths = Planner(model, all_variants()).paths()
    try:
        for path in paths.values():
            user = backend.user(Pool(), "check")
            answer = Answer("ok")
            for one in path:
                answer = user.act(one)
            user.observe(answer)  # where moto took it (it departs on some paths)
            user.close()
    finally:
        backend.close()
    assert len(paths) > 200  # every state of the pool of the day
    assert backend.disagreements == []


# ------------------------------------------------------------------ the command line


def _cli(*argv: str) -> tuple[int, str, str]:
    (code, out), err = _capture(*argv)
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--workers", "0"], "--workers 0: give 1 or more"),
        (["--max-calls", "0"], "--max-calls 0: give 1 or more"),
        (["--operation", "admin_reset_password"], "did you mean admin_reset_user_password?"),
        (["--state", "CONFIRMD"], "did you mean CONFIRMED?"),
        (["--seed", "3"], "--seed seeds the random walks; add --random N"),
        (["--random", "0"], "--random 0: give 1 or more walks"),
    ],
)
def test_bad_explore_flags_are_one_line_and_exit_4(
    argv: list[str], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli("explore", *argv)
    assert code == 4
    assert out == ""
    assert err.count("\n") == 1
    assert says in err
    assert list(tmp_path.iterdir()) == []  # nothing half-done


def test_random_without_hypothesis_stops_before_any_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if not installed
    code, out, err = _cli("explore", "--backend", "model", "--random", "5")
    assert (code, out) == (4, "")
    assert err == "cognito-states: --random needs Hypothesis: pip install hypothesis\n"


def test_dry_run_prints_the_plan_and_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli("explore", "--dry-run")
    assert code == 0
    assert out.startswith("Plan: explore on moto, covering walks, 2 workers\n")
    for label in ("pairs", "calls", "mail", "rate", "duration"):
        assert f"\n  {label:<10}" in out
    assert f"{count_pairs(Pool()):,} targeted (all pairs)" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert list(tmp_path.iterdir()) == []
    code, out, _ = _cli("explore", "--dry-run", "--json", "--isolated", "--uncertain")
    doc = json.loads(out)
    assert doc["plan"]["strategy"] == "isolated"
    assert doc["plan"]["targeted"] < count_pairs(Pool()) / 2
    assert doc["plan"]["calls"] > 0


def test_operation_with_a_budget_stays_within_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's example: one operation, at most 300 calls, and what was left out."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    argv = ["explore", "--operation", "admin_reset_user_password", "--max-calls", "300"]
    code, out, _ = _cli(*argv, "--json")
    doc = json.loads(out)
    assert doc["calls"] <= 300
    assert {p["operation"] for p in doc["pairs"]} == {"admin_reset_user_password"}
    assert doc["left_out"] > 0
    states = count_pairs(Pool()) // len(all_variants())  # one pair a state
    assert len(doc["pairs"]) + doc["left_out"] == doc["targeted"] == states
    assert code == (1 if any(p["verdict"] == "mismatch" for p in doc["pairs"]) else 0)
    code, out, _ = _cli(*argv)
    assert f"{doc['left_out']} left out by --max-calls" in " ".join(out.split())
    assert "Rules this exploration exercised on moto" in out  # the calibration table
    assert "admin_reset_user_password: status=NO_USER" in " ".join(out.split())


def test_calibration_in_the_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["explore", "--backend", "model", "--operation", "forgot_password", "--json"]
    code, out, _ = _cli(*argv, "--report", "r.md")
    assert code == 0
    doc = json.loads(out)
    rows = doc["calibration"]
    assert {r["operation"] for r in rows} == {"forgot_password"}
    assert sum(r["tried"] for r in rows) == len(doc["pairs"]) == doc["targeted"]
    assert all(r["agreed"] == r["tried"] and r["finding"] is None for r in rows)
    report = (tmp_path / "r.md").read_text()
    assert "## Calibration" in report
    assert report.count("| forgot_password: ") == len(rows)


def test_what_a_run_on_real_cognito_says_of_uncertain_rules() -> None:
    """On aws each uncertain rule a pair exercised is confirmed (every pair agreed) or
    contradicted (one departed, or showed a DISPUTED rule's other side); other backends
    say nothing of real Cognito."""
    from cognito_states.calibration import calibrate
    from cognito_states.render_explore import calibration_table
    from cognito_states.tour import is_uncertain

    model = CognitoModel(Pool())
    found: dict[str, tuple[UserState, Step, Any]] = {}
    for pair in Planner(model, all_variants()).pairs():
        p = model.predict(pair.state, pair.step)
        if p.outcome.kind == "n/a":
            found.setdefault("n/a", (pair.state, pair.step, p))
            continue  # nothing sent: no evidence either way
        kind = (
            "disputed"
            if p.rule.alternative and p.rule.alternative.outcome != p.outcome
            else "uncertain"
            if is_uncertain(p.rule)
            else "sure"
        )
        if kind == "uncertain" and "uncertain" in found and found["uncertain"][2].rule != p.rule:
            kind = "uncertain2"
        found.setdefault(kind, (pair.state, pair.step, p))
    assert set(found) == {"disputed", "uncertain", "uncertain2", "sure", "n/a"}

    def seen(kind: str, verdict: Verdict, outcome: str | None = None) -> Transition:
        state, one, p = found[kind]
        observed = replace(p.view, outcome=outcome) if outcome else p.view
        return Transition(state, one, p.view, observed, verdict, rule=p.rule)

    other = found["disputed"][2].rule.alternative.outcome
    pairs = [
        seen("uncertain", Verdict.match),
        seen("uncertain2", Verdict.mismatch, "error:ResourceNotFoundException"),
        seen("sure", Verdict.match),
        seen("disputed", Verdict.match, other),  # the judge accepts either side
        seen("n/a", Verdict.match),  # nothing was sent: not tried
    ]
    rows = calibrate(pairs, "aws")
    assert [r.tally.finding("aws") for r in rows] == [
        "confirms",
        "contradicts",
        None,
        "contradicts",
        None,
    ]
    assert [r.tally.tried for r in rows] == [1, 1, 1, 1, 0]
    assert {r.tally.finding("moto") for r in calibrate(pairs, "moto")} == {None}
    result = ExploreResult("aws", Pool(), pairs, kind="aws")
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(calibration_table(result))
    text = console.export_text()
    assert "contradicts" in text
    assert "confirms" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    for kind in found.keys() - {"n/a"}:
        assert str(found[kind][1].op) in text
        assert str(found[kind][2].rule.confidence) in text


def test_the_default_reproducer_folder_is_named_and_made_only_when_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        cli.main(["explore", "--help"])
    from cognito_states.reproducers import DEFAULT_FOLDER

    assert f"(default: ./{DEFAULT_FOLDER})" in " ".join(capsys.readouterr().out.split())
    code, _, _ = _cli("explore", "--backend", "model", "--limit", "40")
    assert code == 0
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ reproducers and path


def _ruff(*argv: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    return subprocess.run([ruff, *argv], capture_output=True, text=True, check=False)


def test_reproducers_are_laid_out_as_ruff_format_would(crafted: Crafted, tmp_path: Path) -> None:
    """Double quotes, 88 columns: `ruff format --check` with its defaults leaves them be,
    and `ruff check` with its defaults finds nothing."""
    items = crafted.items
    long_state = reached(CognitoModel(Pool()), GLOBAL_SIGN_OUT_REVOKED)
    long_pool = Pool(
        username_attributes=["email"],
        auto_verified_attributes=["email"],
        required_attributes=["email", "name", "given_name"],
    )
    history = Departure(
        replace(items["global_sign_out"], before=long_state),
        prefix=tuple(all_variants()[:12]),
        reproduced=False,
    )
    written = write_reproducers(tmp_path, long_pool, "moto", [*items.values(), history])
    written.append(tmp_path / "path.py")
    written[-1].write_text(_cli("path", "new", "RESET_REQUIRED")[1])
    checked = _ruff("format", "--check", "--isolated", *map(str, written))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    linted = _ruff("check", "--isolated", *map(str, written))
    assert linted.returncode == 0, linted.stdout
    assert all(len(line) <= 88 for p in written for line in p.read_text().splitlines())


def test_a_history_dependent_departure_writes_the_walks_prefix(
    crafted: Crafted, tmp_path: Path
) -> None:
    item = crafted.items["global_sign_out"]
    prefix = (step.sign_up(), step.admin_delete_user(), *item.path)
    confirmed = Departure(item, prefix, reproduced=True, replay=item.path)
    dependent = Departure(item, prefix, reproduced=False)
    (path,) = write_reproducers(tmp_path, Pool(), "moto", [dependent])
    (scenario,) = load_scenarios([path])
    assert [s.describe() for s in scenario.steps] == [s.describe() for s in (*prefix, item.step)]
    assert "History-dependent" in (scenario.doc or path.read_text())
    (path,) = write_reproducers(tmp_path, Pool(), "moto", [dependent, confirmed])
    (scenario,) = load_scenarios([path])  # a fresh user showed it: the short one wins
    assert len(scenario.steps) == len(item.path) + 1


def test_path_writes_a_scenario_the_model_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's example: `path CONFIRMED RESET_REQUIRED > s.py && run s.py --backend
    model` exits 0 with the last step in RESET_REQUIRED."""
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli("path", "CONFIRMED", "RESET_REQUIRED")
    assert (code, err) == (0, "")
    (tmp_path / "s.py").write_text(out)
    code, doc = _run_json("--backend", "model", str(tmp_path / "s.py"))
    assert code == 0
    steps = doc["scenarios"][0]["steps"]
    assert steps[-1]["observed"]["status"] == "RESET_REQUIRED"
    assert steps[-1]["expected"]["status"] == "RESET_REQUIRED"
    assert {"status": "CONFIRMED"} in [s["expected"] for s in steps[:-1]]
    assert {s["verdict"] for s in steps} == {"match"}


def test_path_json_and_bad_statuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _cli("path", "new", "CONFIRMED", "--json")
    doc = json.loads(out)
    assert (code, doc["from"], doc["to"], doc["reaches_from"]) == (0, "new", "CONFIRMED", None)
    assert doc["steps"][-1]["state_after"]["status"] == "CONFIRMED"
    assert doc["steps"][0]["step"] == "admin_create_user()"
    code, out, err = _cli("path", "CONFIRMD", "RESET_REQUIRED")
    assert (code, out) == (4, "")
    assert err == "cognito-states: FROM 'CONFIRMD' is not a status; did you mean CONFIRMED?\n"
    code, _, err = _cli("path", "new", "EXTERNAL_PROVIDER")
    assert code == 4
    assert "is not a status" in err

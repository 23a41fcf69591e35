"""Records: `run --record` and `explore --record` write a header and one JSON line per
step, flushed as each step ends (an interrupted run leaves a valid prefix), holding
abstract states only: no password, token or session the drivers made or received.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE, SHIPPED

from cognito_states import cli
from cognito_states.model import INITIAL
from cognito_states.record import read_record
from cognito_states.scenario import ScenarioError, load_scenarios

SCENARIOS = [ARTICLE, SHIPPED / "global_sign_out.py", SHIPPED / "change_password.py"]
STEP_KEYS = {
    "state_before",
    "state_after",
    "operation",
    "params",
    "predicted",
    "observed",
    "verdict",
    "pool",
}


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@dataclass
class Secrets:
    """Every password the boto3 driver made up, every token and session it received."""

    passwords: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.passwords, *self.tokens, *self.sessions]


@contextlib.contextmanager
def watching(secrets: Secrets) -> Iterator[None]:
    from cognito_states.backends import boto

    make, keep, auth = boto.new_password, boto.BotoUser._keep_tokens, boto.BotoUser._auth_outcome

    def new_password() -> str:
        password = make()
        secrets.passwords.append(password)
        return password

    def keep_tokens(self: Any, result: dict[str, Any]) -> None:
        secrets.tokens += [
            result[k] for k in ("AccessToken", "IdToken", "RefreshToken") if result.get(k)
        ]
        keep(self, result)

    def auth_outcome(self: Any, response: dict[str, Any], username: str) -> Any:
        if response.get("Session"):
            secrets.sessions.append(response["Session"])
        return auth(self, response, username)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(boto, "new_password", new_password)
        mp.setattr(boto.BotoUser, "_keep_tokens", keep_tokens)
        mp.setattr(boto.BotoUser, "_auth_outcome", auth_outcome)
        yield


# ------------------------------------------------------------------ run --record


@dataclass
class Recorded:
    path: Path
    code: int
    secrets: Secrets
    started: float


@pytest.fixture(scope="module")
def run_record(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    path = tmp_path_factory.mktemp("record") / "run.jsonl"
    secrets = Secrets()
    started = time.time()
    with watching(secrets):
        code, _, _ = capture("run", *map(str, SCENARIOS), "--record", str(path))
    return Recorded(path, code, secrets, started)


def test_header(run_record: Recorded) -> None:
    header = lines_of(run_record.path)[0]
    assert header["cognito_states_record"] == 1
    assert header["backend"] == "moto"
    for package in ("cognito-states", "boto3", "moto"):
        assert header["versions"][package] == version(package)
    written = datetime.strptime(header["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(written.timestamp() - run_record.started) < 120


def test_one_line_per_step(run_record: Recorded) -> None:
    assert run_record.code == 0
    scenarios = load_scenarios(SCENARIOS)
    steps = lines_of(run_record.path)[1:]
    assert len(steps) == sum(len(s.steps) for s in scenarios)
    for line in steps:
        assert set(line) >= STEP_KEYS
    expected = [(s.name, i, str(st.op)) for s in scenarios for i, st in enumerate(s.steps, 1)]
    assert [(x["scenario"], x["index"], x["operation"]) for x in steps] == expected


def test_step_lines_hold_the_run(run_record: Recorded) -> None:
    (article, *_) = load_scenarios([ARTICLE])
    steps = [x for x in lines_of(run_record.path)[1:] if x["scenario"] == article.name]
    assert [x["verdict"] for x in steps] == ["match"] * 3 + ["known-gap"] + ["match"] * 3
    fourth = steps[3]
    assert fourth["params"] == {"wrong_password": False}
    assert fourth["predicted"]["required_attributes"] == ["userAttributes.email"]
    assert fourth["observed"]["required_attributes"] == []
    assert all(x["pool"] == article.pool.as_dict() for x in steps)
    assert steps[0]["state_before"] == INITIAL.as_dict()
    for before, after in itertools.pairwise(steps):  # the states chain up
        assert after["state_before"] == before["state_after"]
    assert steps[-1]["state_after"]["status"] == "CONFIRMED"
    assert steps[-1]["observed"]["outcome"] == "tokens"


def test_read_record_accepts_it(run_record: Recorded) -> None:
    record = read_record(run_record.path)
    assert record.header["cognito_states_record"] == 1
    assert list(record.lines) == lines_of(run_record.path)[1:]


def test_no_secret_in_a_run_record(run_record: Recorded) -> None:
    secrets = run_record.secrets
    # the run did make and receive secrets: the check below is not vacuous
    assert secrets.passwords
    assert secrets.tokens
    assert secrets.sessions
    text = run_record.path.read_text(encoding="utf-8")
    assert [s for s in secrets.all() if s in text] == []


# ------------------------------------------------------------------ flushed as each step ends


def test_an_interrupted_run_leaves_a_valid_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_states.backends import boto

    path = tmp_path / "cut.jsonl"
    act = boto.BotoUser.act
    seen_at_third: list[list[dict[str, Any]]] = []

    def interrupting_act(self: Any, one: Any) -> Any:
        self.acts_made = getattr(self, "acts_made", 0) + 1
        if self.acts_made == 3:
            seen_at_third.append(lines_of(path))  # what is on disk while the run is on
            raise KeyboardInterrupt
        return act(self, one)

    monkeypatch.setattr(boto.BotoUser, "act", interrupting_act)
    code, _, _ = capture("run", str(ARTICLE), "--record", str(path))
    assert code == 2
    (on_disk,) = seen_at_third
    assert len(on_disk) == 3  # header + steps 1 and 2, before the record was closed
    assert on_disk[0]["cognito_states_record"] == 1
    assert [x["index"] for x in on_disk[1:]] == [1, 2]
    assert lines_of(path) == on_disk
    record = read_record(path)
    assert [x["operation"] for x in record.lines] == [
        "admin_create_user",
        "admin_set_user_password",
    ]


def test_read_record_tolerates_a_cut_last_line(run_record: Recorded, tmp_path: Path) -> None:
    text = run_record.path.read_text(encoding="utf-8")
    complete = text.splitlines()
    cut = tmp_path / "cut.jsonl"
    cut.write_text(text[: len(text) - len(complete[-1]) // 2 - 1], encoding="utf-8")
    record = read_record(cut)
    assert len(record.lines) == len(complete) - 2
    assert list(record.lines) == [json.loads(x) for x in complete[1:-1]]


def test_read_record_refuses_a_bad_line_before_the_last(
    run_record: Recorded, tmp_path: Path
) -> None:
    complete = run_record.path.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([complete[0], complete[1][:20], *complete[2:]]) + "\n")
    with pytest.raises(ScenarioError, match="bad JSON line"):
        read_record(broken)


def test_read_record_refuses_a_file_without_the_header(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text('{"operation": "sign_up"}\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="not a cognito-states record"):
        read_record(path)


# ------------------------------------------------------------------ explore --record


def test_explore_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "explore.jsonl"
    secrets = Secrets()
    with watching(secrets):
        code, out, _ = capture(
            "explore", "--limit", "54", "--workers", "1", "--json", "--record", str(path)
        )
    assert code == 0  # moto 5.2 departs within these pairs only where its gap list says
    pairs = json.loads(out)["pairs"]
    header, *steps = lines_of(path)
    assert header["cognito_states_record"] == 1
    assert header["kind"] == "explore"
    assert header["backend"] == "moto"
    assert header["versions"]["moto"] == version("moto")
    assert len(steps) == len(pairs) == 54

    def key(d: dict[str, Any], state: str) -> str:
        return json.dumps([d[state], d["operation"], d["params"]], sort_keys=True)

    # The record follows the walk (the order pairs were covered), the JSON the model's
    # order of states: matched by state, operation and keywords.
    by_key = {key(pair, "state"): pair for pair in pairs}
    assert len(by_key) == 54
    for line in steps:
        pair = by_key[key(line, "state_before")]
        assert set(line) >= STEP_KEYS
        assert line["state_before"] == pair["state"]
        assert (line["operation"], line["params"], line["verdict"]) == (
            pair["operation"],
            pair["params"],
            pair["verdict"],
        )
        assert line["observed"] == pair["observed"]
    assert secrets.passwords
    assert secrets.sessions  # sign-ins of a FORCE_CHANGE_PASSWORD user
    text = path.read_text(encoding="utf-8")
    assert [s for s in secrets.all() if s in text] == []

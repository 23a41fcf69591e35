"""The command line: the JSON contract of ``run --json``, every exit code with a
one-line diagnostic, ``model``'s outputs, ``--help`` staying light, and that no password,
token, session or code the driver made up is ever printed.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cognito_states import cli
from cognito_states.backends import BackendError
from cognito_states.rules import RULES
from cognito_states.scenario import Scenario, shipped_scenarios_path
from cognito_states.statuses import ExitCode, Verdict
from cognito_states.views import COMPARED

ARTICLE = str(shipped_scenarios_path() / "article_seven_steps.py")
FIELDS = set(COMPARED)
# The keys version 1 has always had; later fields are added, never these taken away.
assert {"status", "enabled", "email_verified", "outcome"} <= FIELDS

WRONG = """\
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "wrong expectation",
    steps=[
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True).expect(status="FORCE_CHANGE_PASSWORD"),
    ],
)
"""
MISSPELT = """\
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "misspelt",
    steps=[
        step.admin_creat_user(),
    ],
)
"""


def main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *parts: str) -> None:
    """A diagnostic: one line on stderr, prefixed with the program, no traceback."""
    assert err.endswith("\n"), err
    assert err.count("\n") == 1, err
    assert re.match(r"cognito-states( \w+)?: ", err), err
    assert "Traceback" not in err
    for part in parts:
        assert part in err


# ------------------------------------------------------------------ shipped scenarios on moto


class Secrets:
    """Every secret the boto3 driver makes up or receives during a run."""

    def __init__(self) -> None:
        self.passwords: list[str] = []
        self.tokens: list[str] = []
        self.sessions: list[str] = []
        self.codes: list[str] = []

    def all(self) -> list[str]:
        return [*self.passwords, *self.tokens, *self.sessions, *self.codes]


@contextlib.contextmanager
def recording(secrets: Secrets) -> Iterator[None]:
    from cognito_states.backends import boto

    original_new = boto.new_password
    keep, auth, forgot = (
        boto.BotoUser._keep_tokens,
        boto.BotoUser._auth_outcome,
        boto.BotoUser._op_forgot_password,
    )

    def new_password() -> str:
        password = original_new()
        secrets.passwords.append(password)
        return password

    def keep_tokens(self: Any, result: dict[str, Any]) -> None:
        secrets.tokens += [
            result[k] for k in ("AccessToken", "IdToken", "RefreshToken") if k in result
        ]
        keep(self, result)

    def auth_outcome(self: Any, response: dict[str, Any], username: str) -> Any:
        if response.get("Session"):
            secrets.sessions.append(response["Session"])
        return auth(self, response, username)

    def forgot_password(self: Any) -> Any:
        outcome = forgot(self)
        secrets.codes += self.codes_received.values()
        return outcome

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(boto, "new_password", new_password)
        mp.setattr(boto.BotoUser, "_keep_tokens", keep_tokens)
        mp.setattr(boto.BotoUser, "_auth_outcome", auth_outcome)
        mp.setattr(boto.BotoUser, "_op_forgot_password", forgot_password)
        mp.setenv("COLUMNS", "1000")  # no cell is cut, so no secret could hide in a fold
        yield


def _run_captured(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def shipped_runs() -> dict[str, Any]:
    """The shipped scenarios on moto, as a table and as JSON, recording every secret."""
    secrets = Secrets()
    with recording(secrets):
        table = _run_captured("run")
        as_json = _run_captured("run", "--json")
    return {"table": table, "json": as_json, "secrets": secrets}


def test_shipped_scenarios_pass_on_moto(
    shipped_runs: dict[str, Any], shipped: list[Scenario]
) -> None:
    for mode in ("table", "json"):
        code, out, err = shipped_runs[mode]
        assert (code, err) == (ExitCode.OK, ""), (mode, err)
    out = shipped_runs["table"][1]
    last = out.rstrip().splitlines()[-1]
    assert re.fullmatch(
        rf"{len(shipped)} scenarios, \d+ steps on moto: \d+ match, \d+ known-gap.* — passed"
        r" \(exit 0\)",
        last.strip(),
    ), last
    for scenario in shipped:
        assert scenario.name in out


def test_no_secret_is_printed(shipped_runs: dict[str, Any]) -> None:
    secrets: Secrets = shipped_runs["secrets"]
    # Both runs made up passwords and received tokens, sessions and reset codes.
    assert len(secrets.passwords) > 40
    assert len(secrets.tokens) > 20
    assert secrets.sessions
    assert secrets.codes
    printed = "".join(shipped_runs["table"][1:] + shipped_runs["json"][1:])
    leaked = [s for s in set(secrets.all()) if s in printed]
    assert leaked == []


def test_stdout_is_one_json_document(shipped_runs: dict[str, Any]) -> None:
    json.loads(shipped_runs["json"][1])  # the whole of stdout, nothing before or after


def test_json_contract(shipped_runs: dict[str, Any], shipped: list[Scenario]) -> None:
    doc = json.loads(shipped_runs["json"][1])
    assert doc["cognito_states"] == 1
    assert doc["backend"] == "moto"
    assert [s["name"] for s in doc["scenarios"]] == [s.name for s in shipped]
    verdicts = {str(v) for v in Verdict}
    for scenario, data in zip(shipped, doc["scenarios"], strict=True):
        assert {"name", "file", "passed", "steps"} <= set(data)
        assert data["file"] == scenario.file
        assert data["passed"] is True
        assert [s["index"] for s in data["steps"]] == list(range(1, len(scenario.steps) + 1))
        for one, step in zip(scenario.steps, data["steps"], strict=True):
            assert {
                "index",
                "operation",
                "params",
                "predicted",
                "observed",
                "expected",
                "verdict",
            } <= set(step)
            assert step["operation"] == str(one.op)
            assert step["params"] == one.kwargs
            assert step["expected"] == one.expect_dict
            assert step["verdict"] in verdicts
            for view in ("predicted", "observed"):
                keys = set(step[view])
                if step[view]["outcome"] == "challenge:NEW_PASSWORD_REQUIRED":
                    assert keys == FIELDS | {"required_attributes"}, (view, step)
                    assert isinstance(step[view]["required_attributes"], list)
                elif str(step[view]["outcome"]).startswith("error:"):
                    # an error carries its message where it is known (section 5)
                    assert FIELDS <= keys <= FIELDS | {"message"}, (view, step)
                else:
                    assert keys == FIELDS, (view, step)
            assert set(step["rule"]) >= {"confidence", "source", "sources"}
            assert set(step["rule"]["sources"]) <= set(doc["sources"])
            assert set(step["gap_sources"]) <= set(doc["sources"])
    assert all(set(v) >= {"title", "url"} for v in doc["sources"].values())


def test_json_has_a_challenge_with_required_attributes(shipped_runs: dict[str, Any]) -> None:
    doc = json.loads(shipped_runs["json"][1])
    article = next(s for s in doc["scenarios"] if s["file"] == ARTICLE)
    step4 = article["steps"][3]
    assert step4["predicted"]["required_attributes"] == ["userAttributes.email"]
    assert step4["observed"]["required_attributes"] == []
    assert step4["verdict"] == "known-gap"
    assert article["steps"][4]["expected"] == {}


def test_strict_fails_on_a_known_gap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main(capsys, "run", "--json", "--strict", ARTICLE)
    doc = json.loads(out)
    assert (code, err) == (ExitCode.MISMATCH, "")
    assert [s["passed"] for s in doc["scenarios"]] == [False]
    assert "known-gap" in [s["verdict"] for s in doc["scenarios"][0]["steps"]]
    code, out, _ = main(capsys, "run", "--json", ARTICLE)
    assert code == ExitCode.OK
    assert json.loads(out)["scenarios"][0]["passed"] is True


# ------------------------------------------------------------------ exit codes


def test_exit_0_on_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main(capsys, "run", "--backend", "model")
    assert (code, err) == (ExitCode.OK, "")
    assert "— passed (exit 0)" in out


def test_exit_1_wrong_expectation(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "wrong.py"
    path.write_text(WRONG)
    code, out, err = main(capsys, "run", "--backend", "model", str(path))
    assert (code, err) == (ExitCode.MISMATCH, "")
    assert "mismatch" in out
    assert out.rstrip().endswith("1 failed (exit 1)")
    code, out, _ = main(capsys, "run", "--backend", "model", "--json", str(path))
    assert code == ExitCode.MISMATCH
    steps = json.loads(out)["scenarios"][0]["steps"]
    assert [s["verdict"] for s in steps] == ["match", "mismatch"]


def test_run_names_the_failed_scenario_at_80_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped at 80 columns: no line wider, the failed scenario named pytest's way (file
    and name, first failing step), counts in the singular where they are one."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "wrong.py").write_text(WRONG)
    code, out, err = main(capsys, "run", "--backend", "model", "scenarios/wrong.py")
    assert (code, err) == (ExitCode.MISMATCH, "")
    assert max(len(line) for line in out.splitlines()) <= 80
    summary = " ".join(out[out.index("\nFAILED ") :].split())
    assert summary == (
        "FAILED scenarios/wrong.py::wrong expectation — step 2 mismatch: scenario expects"
        " status='FORCE_CHANGE_PASSWORD' but the model predicts status='CONFIRMED': the"
        " model or the scenario is wrong 1 scenario, 2 steps on model: 1 match, 1 mismatch"
        " — 1 failed (exit 1)"
    )


def test_exit_2_interrupt_removes_the_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_states.backends import boto, moto

    left: list[list[str]] = []
    act, close = boto.BotoUser.act, moto.MotoBackend.close

    def interrupting_act(self: Any, one: Any) -> Any:
        if str(one.op) == "admin_set_user_password":  # after the user was created
            raise KeyboardInterrupt
        return act(self, one)

    def listing_close(self: Any) -> None:
        for settings in self._pools.values():
            users = settings.client.list_users(UserPoolId=settings.pool_id)["Users"]
            left.append([u["Username"] for u in users])
        close(self)

    monkeypatch.setattr(boto.BotoUser, "act", interrupting_act)
    monkeypatch.setattr(moto.MotoBackend, "close", listing_close)
    code, out, err = main(capsys, "run", ARTICLE)
    assert code == ExitCode.INTERRUPTED
    assert "Traceback" not in err + out
    assert left == [[]], "the interrupted scenario's user is still there"
    assert "interrupted (exit 2)" in out


def test_exit_2_interrupt_outside_the_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cognito_states.scenario

    def interrupted(paths: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cognito_states.scenario, "load_scenarios", interrupted)
    code, _, err = main(capsys, "run", "--backend", "model")
    assert code == ExitCode.INTERRUPTED
    assert_one_line_error(err, "interrupted")


def test_exit_3_backend_does_not_open(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_states.backends.moto import MotoBackend

    def fail(self: Any) -> None:
        raise BackendError("endpoint down")

    monkeypatch.setattr(MotoBackend, "open", fail)
    code, _, err = main(capsys, "run", ARTICLE)
    assert code == ExitCode.BACKEND_ERROR
    assert_one_line_error(err, "endpoint down")


def test_exit_3_backend_fails_during_a_step(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_states.backends.model import ModelUser

    def fail(self: Any, one: Any) -> Any:
        raise BackendError("connection reset")

    monkeypatch.setattr(ModelUser, "act", fail)
    for extra in ([], ["--json"]):
        code, _, err = main(capsys, "run", "--backend", "model", *extra, ARTICLE)
        assert code == ExitCode.BACKEND_ERROR
        assert_one_line_error(err, "connection reset")


def test_exit_3_internal_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cognito_states.runner import Runner

    def crash(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.delenv("COGNITO_STATES_DEBUG", raising=False)
    monkeypatch.setattr(Runner, "run", crash)
    code, _, err = main(capsys, "run", "--backend", "model", ARTICLE)
    assert code == ExitCode.BACKEND_ERROR
    assert_one_line_error(err, "internal error: RuntimeError: bug")


def test_exit_4_misspelt_step(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "misspelt.py"
    path.write_text(MISSPELT)
    code, out, err = main(capsys, "run", "--backend", "model", str(path))
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert err == (
        f"cognito-states: {path}:6: unknown step 'admin_creat_user';"
        " did you mean 'admin_create_user'?\n"
    )


@pytest.mark.parametrize(
    ("argv", "parts"),
    [
        (["run", "--bogus"], ["--bogus"]),
        (["--bogus"], ["--bogus"]),
        (["run", "--backend", "nope"], ["nope"]),
        (["nope"], ["nope"]),
        (["model", "--state", "RESET_REQUIRD"], ["RESET_REQUIRD", "did you mean RESET_REQUIRED"]),
        (["model", "--state", "DISABLED"], ["DISABLED", "valid: "]),
        (["model", "--json", "--mermaid"], ["--mermaid"]),
        (["run", "no/such/file.py"], ["no/such/file.py", "no such file or folder"]),
    ],
    ids=[
        "run-option",
        "option",
        "backend",
        "command",
        "state",
        "state-no-close",
        "exclusive",
        "missing-path",
    ],
)
def test_exit_4_bad_input(
    capsys: pytest.CaptureFixture[str], argv: list[str], parts: list[str]
) -> None:
    try:
        code, out, err = main(capsys, *argv)
    except SystemExit as exc:  # argparse's own exit
        code = int(exc.code or 0)
        out, err = capsys.readouterr()
    assert code == ExitCode.BAD_INPUT
    assert out == ""
    assert_one_line_error(err, *parts)


@pytest.mark.parametrize("command", ["run", "list"])
def test_exit_5_no_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    (tmp_path / "helper.py").write_text("VALUE = 1\n")
    code, out, err = main(capsys, command, str(tmp_path))
    assert (code, out) == (ExitCode.NO_SCENARIO, "")
    assert_one_line_error(err, "no scenario found")


# ------------------------------------------------------------------ model, list, version


def test_model_state_lists_only_that_status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = main(capsys, "model", "--state", "RESET_REQUIRED")
    assert (code, err) == (ExitCode.OK, "")
    titles = re.findall(r"^From (\S+) \(", out, re.M)
    assert titles == ["RESET_REQUIRED", "RESET_REQUIRED"]  # with and without a reset code
    assert "confirm_forgot_password(wrong_code=False)" in out
    assert re.search(r"\d+ more operations refused here", out)
    assert max(len(line) for line in out.splitlines()) <= 100
    _, everything, _ = main(capsys, "model", "--all")
    assert set(re.findall(r"^From (\S+) \(", everything, re.M)) > {"RESET_REQUIRED"}
    assert "refused here" not in everything


def test_model_shows_one_row_per_status_change(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = main(capsys, "model")
    assert (code, err) == (ExitCode.OK, "")
    assert out.startswith("How a user's status changes in Pool() (CreateUserPool's defaults)")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert re.search(r"admin_set_user_password\(.*\n\s+permanent=False\)", out)
    assert re.search(r"admin_set_user_password\(.*\n\s+permanent=True\)", out)
    assert "\nFrom RESET_REQUIRED\nto " in out


def test_model_state_at_100_columns_shows_the_resend_variant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    _, out, _ = main(capsys, "model", "--state", "FORCE_CHANGE_PASSWORD")
    assert "admin_create_user(message_action='RESEND')" in out
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_model_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main(capsys, "model", "--json")
    assert (code, err) == (ExitCode.OK, "")
    doc = json.loads(out)
    assert doc["cognito_states"] == 1
    assert len(doc["rules"]) == len(RULES)
    assert doc["rules"][0] == RULES[0].as_dict()
    assert doc["transitions"]
    _, out, _ = main(capsys, "model", "--json", "--state", "NO_USER")
    assert {row["state"]["status"] for row in json.loads(out)["transitions"]} == {None}


def test_model_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main(capsys, "model", "--mermaid")
    assert (code, err) == (ExitCode.OK, "")
    assert "stateDiagram-v2" in out
    edges = {
        (src, dst): set(ops.split(" / "))
        for src, dst, ops in re.findall(r"^\s*(\S+) --> ([^\s:]+): (.+)$", out, re.M)
    }
    names = {n for pair in edges for n in pair}
    assert names >= {
        "NO_USER",
        "UNCONFIRMED",
        "CONFIRMED",
        "FORCE_CHANGE_PASSWORD",
        "RESET_REQUIRED",
    }
    assert [n for n in names if re.search(r"[-\s]", n)] == []
    assert "admin_create_user(message_action=None)" in edges[("NO_USER", "FORCE_CHANGE_PASSWORD")]
    assert "sign_up" in edges[("NO_USER", "UNCONFIRMED")]
    assert "admin_respond_to_auth_challenge" in edges[("FORCE_CHANGE_PASSWORD", "CONFIRMED")]
    assert "admin_reset_user_password" in edges[("CONFIRMED", "RESET_REQUIRED")]
    assert "confirm_forgot_password(wrong_code=False)" in edges[("RESET_REQUIRED", "CONFIRMED")]
    assert "confirm_sign_up(wrong_code=False)" in edges[("UNCONFIRMED", "CONFIRMED")]
    # I6: confirming a sign-up never takes a FORCE_CHANGE_PASSWORD user anywhere
    assert not {op.split("(")[0] for op in edges[("FORCE_CHANGE_PASSWORD", "CONFIRMED")]} & {
        "confirm_sign_up",
        "admin_confirm_sign_up",
    }


def test_list(
    capsys: pytest.CaptureFixture[str], shipped: list[Scenario], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    code, out, err = main(capsys, "list")
    assert (code, err) == (ExitCode.OK, "")
    for scenario in shipped:
        assert scenario.name in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"cognito-states {version('cognito-states')}\n"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = main(capsys)
    assert code == ExitCode.OK
    assert out.startswith("usage: cognito-states")


# ------------------------------------------------------------------ start-up cost

HEAVY = ("boto3", "botocore", "moto", "rich", "transitions")
SNIPPET = """
import sys
from cognito_states.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("imported:", ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["model", "--help"]], ids=" ".join)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SNIPPET.format(argv=argv, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "usage: cognito-states" in done.stdout
    assert done.stdout.splitlines()[-1] == "imported: "


# ------------------------------------------------------------------ validate before working


@pytest.fixture
def no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a backend is a test failure: the checks must come first."""
    from cognito_states.backends.model import ModelBackend
    from cognito_states.backends.moto import MotoBackend

    def opened(self: Any) -> None:
        raise AssertionError("the backend was opened before the settings were checked")

    monkeypatch.setattr(ModelBackend, "open", opened)
    monkeypatch.setattr(MotoBackend, "open", opened)


@pytest.mark.usefixtures("no_backend")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["run", ARTICLE, "--report", "missing/dir/r.md"],
            "--report missing/dir/r.md: folder missing/dir does not exist; create it first",
        ),
        (
            ["run", ARTICLE, "--record", "missing/r.jsonl"],
            "--record missing/r.jsonl: folder missing does not exist; create it first",
        ),
        (
            ["run", ARTICLE, "--report", "a-folder"],
            "--report a-folder is a folder; give a file name",
        ),
        (
            ["run", ARTICLE, "--record", "a-file/r.jsonl"],
            "--record a-file/r.jsonl: a-file is not a folder",
        ),
        (["explore", "--repro-dir", "a-file"], "--repro-dir a-file is a file; give a folder"),
        (
            ["explore", "--repro-dir", "a-file/deeper/still"],
            "--repro-dir a-file/deeper/still: a-file is not a folder",
        ),
        (
            ["explore", "--record", "missing/e.jsonl"],
            "--record missing/e.jsonl: folder missing does not exist; create it first",
        ),
        (
            ["diff", "article", "article", "--report", "missing/d.md"],
            "--report missing/d.md: folder missing does not exist; create it first",
        ),
    ],
    ids=[
        "run-report",
        "run-record",
        "report-is-a-folder",
        "parent-is-a-file",
        "repro-dir-is-a-file",
        "repro-dir-under-a-file",
        "explore-record",
        "diff-report",
    ],
)
def test_output_paths_are_checked_before_any_work(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    before = sorted(tmp_path.rglob("*"))
    code, out, err = main(capsys, *argv)
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert err == f"cognito-states: {message}\n"
    assert sorted(tmp_path.rglob("*")) == before  # nothing half-done left behind


def test_a_new_repro_dir_under_an_existing_folder_is_fine(tmp_path: Path) -> None:
    cli.check_output(tmp_path / "new" / "deeper", "--repro-dir", folder=True)
    cli.check_output(tmp_path / "r.md", "--report")


@pytest.fixture
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting of this machine: no variables, no .env, no AWS files or credentials."""
    from cognito_states.config import VARIABLES

    for name in (*VARIABLES, "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt is a test failure."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a network call was made before the settings were checked")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_settings", "no_network")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["run", ARTICLE, "--backend", "aws", "--region", "eu-west-1", "--yes"],
            "the aws backend needs --pool-id (or USER_POOL_ID) and --client-id (or"
            " COGNITO_CLIENT_ID), or --create-pool to make throwaway pools",
        ),
        (
            ["run", ARTICLE, "--backend", "endpoint"],
            "the endpoint backend needs --endpoint-url (or COGNITO_ENDPOINT_URL), such as"
            " http://127.0.0.1:5000 for a moto server",
        ),
        (
            ["run", ARTICLE, "--backend", "aws", "--create-pool", "--yes"],
            "no AWS credentials; name a profile of your AWS config files with --profile (or"
            " AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
        (
            ["explore", "--backend", "aws", "--pool-id", "us-east-1_abc", "--yes"],
            "--client-id (or COGNITO_CLIENT_ID) is not set (the app client of --pool-id (or"
            " USER_POOL_ID))",
        ),
        (
            ["pool", "show"],
            "--pool-id (or USER_POOL_ID) is not set (pool show reads an existing pool); give it"
            " as an option, in the environment or in .env",
        ),
        (
            ["pool", "show", "--pool-id", "us-east-1_abc"],
            "--client-id (or COGNITO_CLIENT_ID) is not set (pool show reads the pool's app"
            " client too); give it as an option, in the environment or in .env",
        ),
        (
            ["pool", "show", "--pool-id", "us-east-1_abc", "--client-id", "c"],
            "no AWS credentials; name a profile of your AWS config files with --profile (or"
            " AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
    ],
    ids=[
        "aws-without-pool",
        "endpoint-without-url",
        "aws-without-credentials",
        "pool-without-client",
        "pool-show-nothing",
        "pool-show-without-client",
        "pool-show-without-credentials",
    ],
)
def test_required_settings_are_checked_before_any_network_call(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = main(capsys, *argv)
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert err == f"cognito-states: {message}\n"


def _help_flags(*argv: str) -> set[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main([*argv, "--help"])
    return set(re.findall(r"^\s+(--[a-z-]+)", out.getvalue(), re.M)) - {"--help"}


def test_each_commands_help_lists_only_the_options_it_uses() -> None:
    from cognito_states.config import OPTIONS

    backend_flags = {o.flag for o in OPTIONS}
    assert _help_flags("pool", "show") == {
        "--json",
        "--backend",
        "--endpoint-url",
        "--region",
        "--profile",
        "--pool-id",
        "--client-id",
    }
    assert _help_flags("run") == backend_flags | {"--json", "--strict", "--record", "--report"}
    assert _help_flags("explore") >= backend_flags
    assert _help_flags("diff") == {"--json", "--report", "--allow-disjoint"}
    assert _help_flags("cleanup") == {"--ledger", "--profile", "--yes"}
    assert _help_flags("list") == set()


@pytest.mark.usefixtures("no_backend")
def test_every_bad_file_of_a_folder_is_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "good.py").write_text(WRONG)
    (tmp_path / "misspelt.py").write_text(MISSPELT)
    (tmp_path / "uncalled.py").write_text(
        MISSPELT.replace("step.admin_creat_user()", "step.get_user")
    )
    code, out, err = main(capsys, "run", str(tmp_path))
    assert (code, out) == (ExitCode.BAD_INPUT, "")
    assert err.splitlines() == [
        f"cognito-states: {tmp_path / 'misspelt.py'}:6: unknown step 'admin_creat_user';"
        " did you mean 'admin_create_user'?",
        f"cognito-states: {tmp_path / 'uncalled.py'}:6: step.get_user is not called;"
        " write step.get_user()",
    ]

"""The pytest plugin as a user meets it: scenario files collected as tests, their verdicts
as pytest outcomes, the failure text line by line (terminal, JUnit XML, pytest-xdist),
the ``cognito`` fixture and marker, and the options.
"""

from __future__ import annotations

import re
import socket
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

# Imported here once: an in-process pytester run forgets the modules it imported, and
# importing hypothesis (its pytest plugin) again for every run would cost a second each.
import hypothesis  # noqa: F401
import pytest

from cognito_states.backends import BACKENDS, BackendError, StepSkipped, make_backend
from cognito_states.backends.model import ModelBackend, ModelUser
from cognito_states.pytest_plugin import failure_text
from cognito_states.runner import Runner
from cognito_states.scenario import (
    Pool,
    Scenario,
    Step,
    load_scenarios,
    shipped_scenarios_path,
    step,
)

pytest_plugins = ["pytester"]

SETTINGS = (
    "USER_POOL_ID",
    "COGNITO_CLIENT_ID",
    "COGNITO_CLIENT_SECRET",
    "REGION",
    "MY_USERNAME",
    "COGNITO_ENDPOINT_URL",
    "FORCE_COLOR",
    "NO_COLOR",
)

HEADER = "from cognito_states import Pool, Scenario, step\n"

PASSING = """
SCENARIO = Scenario(
    "admin sets a permanent password",
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
"""

BROKEN = """
SCENARIO = Scenario(
    "admin-created user signs in",
    steps=[
        step.admin_create_user(),
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
"""

# moto gives tokens to an UNCONFIRMED user (moto-1); real Cognito refuses.
GAP = """
SCENARIO = Scenario(
    "sign-in before confirmation",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.sign_up(),
        step.admin_initiate_auth().expect(outcome="error:UserNotConfirmedException"),
    ],
)
"""

# moto does not implement ResendConfirmationCode.
UNSUPPORTED = """
SCENARIO = Scenario(
    "code sent again",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.sign_up(),
        step.resend_confirmation_code(),
    ],
)
"""

# What the broken scenario's failure reads at pytester's 80 columns.
BROKEN_TEXT = [
    "scenario 'admin-created user signs in' failed on moto: 1 mismatch",
    "admin-created user signs in (scenarios/broken.py, backend moto)",
    "1  admin_create_user()                                                     match",
    "   status FORCE_CHANGE_PASSWORD  enabled yes  email_verified no  outcome   ok",
    "   rule DOC S1, S16, seed-article",
    "2  admin_initiate_auth()                                                mismatch",
    "   status FORCE_CHANGE_PASSWORD  enabled yes  email_verified no",
    "   outcome ✗ challenge:NEW_PASSWORD_REQUIRED []",
    "             expected tokens",
    "   note scenario expects outcome='tokens' but the model predicts",
    "     outcome='challenge:NEW_PASSWORD_REQUIRED': the model or the scenario is",
    "     wrong",
    "   rule EX S15, seed-article",
    "Values are what the backend showed: ✓ as the scenario expected, ✗ not as it",
    "  expected ('expected' beneath), ≠ not as the model predicted ('model' beneath).",
]
BROKEN_LINE = (
    "step 2 mismatch: scenario expects outcome='tokens' but the model predicts"
    " outcome='challenge:NEW_PASSWORD_REQUIRED': the model or the scenario is wrong"
)


@pytest.fixture(scope="module", autouse=True)
def _warm_moto() -> None:
    """Run and render one scenario on moto in this process first, so that the modules
    moto and rich import on first use stay loaded across the in-process runs."""
    backend = make_backend("moto")
    backend.open()
    try:
        result = Runner(backend).run_one(Scenario("warm", steps=[step.admin_create_user()]))
        failure_text(result, "moto")
    finally:
        backend.close()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of this machine reaches a run (pytester runs in its own folder)."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def scenario_file(pytester: pytest.Pytester, name: str, body: str) -> Path:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


# ---------------------------------------------------------------- collection


def test_collects_each_scenario_of_the_scenario_folder(pytester: pytest.Pytester) -> None:
    scenario_file(
        pytester,
        "scenarios/two.py",
        PASSING + BROKEN.replace("SCENARIO =", "OTHER ="),
    )
    # Under the folder but no Scenario: not collected.
    scenario_file(pytester, "scenarios/helpers.py", "POOL = Pool()\n")
    # A Scenario outside the folder, not named on the command line: not collected.
    scenario_file(pytester, "elsewhere/extra.py", GAP)
    # An ordinary test that builds a Scenario: a test, never a scenario file.
    pytester.makepyfile(
        test_ordinary=HEADER
        + "def test_inline():\n    assert Scenario('x', steps=[step.get_user()]).name == 'x'\n"
    )
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "scenarios/two.py::admin sets a permanent password",
            "scenarios/two.py::admin-created user signs in",
            "test_ordinary.py::test_inline",
            "",
            "3 tests collected in *",
        ],
        consecutive=True,
    )


def test_a_scenario_file_named_on_the_command_line_is_ours_only(
    pytester: pytest.Pytester,
) -> None:
    path = scenario_file(pytester, "elsewhere/extra.py", PASSING)
    result = pytester.runpytest("--collect-only", str(path))
    result.stdout.fnmatch_lines(
        [
            "<Dir *>",
            "  <Dir elsewhere>",
            "    <ScenarioFile extra.py>",
            "      <ScenarioItem admin sets a permanent password>",
        ],
        consecutive=True,
    )
    result.stdout.no_fnmatch_line("*<Module*")


def _named_folder(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "my_folder/a.py", PASSING)
    scenario_file(pytester, "my_folder/deep/er/b.py", GAP)
    # No module-level Scenario: a helper, never a scenario file.
    scenario_file(pytester, "my_folder/helpers.py", "POOL = Pool()\n")
    scenario_file(
        pytester,
        "my_folder/builds.py",
        "def make():\n    return Scenario('made', steps=[step.get_user()])\n",
    )
    # Test modules and conftest are pytest's, whatever they define.
    scenario_file(pytester, "my_folder/conftest.py", BROKEN)
    scenario_file(pytester, "my_folder/test_inline.py", PASSING + "\ndef test_x():\n    pass\n")


def test_a_folder_named_on_the_command_line_is_searched_recursively(
    pytester: pytest.Pytester,
) -> None:
    _named_folder(pytester)
    result = pytester.runpytest("my_folder/", "--collect-only", "-q")
    assert sorted(line for line in result.stdout.lines if "::" in line) == [
        "my_folder/a.py::admin sets a permanent password",
        "my_folder/deep/er/b.py::sign-in before confirmation",
        "my_folder/test_inline.py::test_x",
    ]
    result = pytester.runpytest("my_folder", "-rx")
    result.assert_outcomes(passed=2, xfailed=1)


@pytest.mark.parametrize(
    "ini", ["", "[pytest]\ntestpaths = my_folder\n"], ids=["no-args", "testpaths"]
)
def test_folders_pytest_reaches_on_its_own_follow_the_scenario_paths(
    pytester: pytest.Pytester, ini: str
) -> None:
    _named_folder(pytester)
    if ini:
        pytester.makeini(ini)
    result = pytester.runpytest("--collect-only", "-q")
    assert [line for line in result.stdout.lines if "::" in line] == [
        "my_folder/test_inline.py::test_x"
    ]


def test_scenario_paths_come_from_the_ini_option(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncognito_scenario_paths = checks more/checks\n")
    scenario_file(pytester, "checks/a.py", PASSING)
    scenario_file(pytester, "more/checks/b.py", GAP)
    scenario_file(pytester, "scenarios/c.py", BROKEN)
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "checks/a.py::admin sets a permanent password",
            "more/checks/b.py::sign-in before confirmation",
            "",
            "2 tests collected in *",
        ],
        consecutive=True,
    )


def test_a_bad_scenario_file_is_one_line_at_collection(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/typo.py", "S = Scenario('t', steps=[step.get_usr()])\n")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR collecting scenarios/typo.py _*",
            "scenarios/typo.py:2: unknown step 'get_usr'; did you mean 'get_user'?",
            "*= short test summary info =*",
            "ERROR scenarios/typo.py",
        ],
        consecutive=True,
    )
    assert "Traceback" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_two_scenarios_of_a_file_need_two_names(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/twice.py", PASSING + PASSING.replace("SCENARIO", "AGAIN"))
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR collecting scenarios/twice.py _*",
            "scenarios/twice.py:12: a second scenario is named"
            " 'admin sets a permanent password'; give each a unique name",
        ],
        consecutive=True,
    )


# ---------------------------------------------------------------- verdicts as outcomes


def test_verdicts_become_pytest_outcomes(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    scenario_file(pytester, "scenarios/gap.py", GAP)
    scenario_file(pytester, "scenarios/unsupported.py", UNSUPPORTED)
    scenario_file(
        pytester,
        "scenarios/both.py",
        GAP.replace("),\n    ],", "),\n        step.revoke_token(),\n    ],"),
    )
    result = pytester.runpytest("-rxs")
    result.assert_outcomes(passed=1, xfailed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*= short test summary info =*",
            "XFAIL scenarios/both.py::sign-in before confirmation - known gap of moto:"
            " step 2 known-gap: moto-1: *; step 3 unsupported:"
            " the backend does not implement this operation",
            "XFAIL scenarios/gap.py::sign-in before confirmation - known gap of moto:"
            " step 2 known-gap: moto-1: tokens for an UNCONFIRMED user *",
            "SKIPPED [[]1] scenarios/unsupported.py:3: step 2 unsupported:"
            " the backend does not implement this operation",
        ],
        consecutive=True,
    )


def test_strict_fails_known_gaps_and_unsupported_steps(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/gap.py", GAP)
    scenario_file(pytester, "scenarios/unsupported.py", UNSUPPORTED)
    result = pytester.runpytest("--cognito-strict")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ sign-in before confirmation _*",
            "scenario 'sign-in before confirmation' failed on moto: 1 known-gap",
            "  (--cognito-strict)",
            "sign-in before confirmation (scenarios/gap.py, backend moto)",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "*_ code sent again _*",
            "scenario 'code sent again' failed on moto: 1 unsupported (--cognito-strict)",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(["   note moto-1: *"])


def test_a_broken_expectation_fails_with_the_step_table(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/broken.py", BROKEN)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*= FAILURES =*", "*_ admin-created user signs in _*", *BROKEN_TEXT, "*= short test *"],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        ["FAILED scenarios/broken.py::admin-created user signs in - step 2 mismatch: *"]
    )


class SkippingUser(ModelUser):
    """The model, except that no confirmation code ever arrives."""

    def act(self, step: Step) -> Any:
        if str(step.op) == "confirm_sign_up":
            raise StepSkipped("no confirmation code source")
        return super().act(step)


class SkippingBackend(ModelBackend):
    def user(self, pool: Pool, label: str) -> SkippingUser:
        return SkippingUser(super().user(pool, label).model)


def test_skipped_steps_skip_the_scenario_with_the_reason(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BACKENDS, "model", (__name__, "SkippingBackend"))
    scenario_file(
        pytester,
        "scenarios/codes.py",
        """
        SCENARIO = Scenario(
            "sign-up confirmed by code",
            pool=Pool(auto_verified_attributes=["email"]),
            steps=[
                step.sign_up(),
                step.confirm_sign_up(),
                step.initiate_auth(),
                step.get_user(),
            ],
        )
        """,
    )
    result = pytester.runpytest("--cognito-backend", "model", "--cognito-strict", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1] scenarios/codes.py:3: steps 2-4 skipped: no confirmation code source"]
    )


class FailingUser(ModelUser):
    """The model, until the backend goes away at the second step."""

    def act(self, step: Step) -> Any:
        if str(step.op) == "admin_initiate_auth":
            raise BackendError("endpoint http://127.0.0.1:1 went away")
        return super().act(step)


class FailingBackend(ModelBackend):
    def user(self, pool: Pool, label: str) -> FailingUser:
        return FailingUser(super().user(pool, label).model)


def test_a_backend_failure_fails_with_the_steps_run_so_far(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BACKENDS, "model", (__name__, "FailingBackend"))
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    result = pytester.runpytest("--cognito-backend", "model")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "scenario 'admin sets a permanent password' failed on model: the backend failed",
            "admin sets a permanent password (scenarios/passing.py, backend model)",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "2  admin_set_user_password(permanent=True) * match",
            "   status ✓ CONFIRMED * outcome ok",
            "   rule DOC S1",
            "  stopped: endpoint http://127.0.0.1:1 went away",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(  # pytest trims the line to the terminal's width
        ["FAILED scenarios/passing.py::admin sets a permanent password - stopped at*"]
    )


# ---------------------------------------------------------------- CI: JUnit XML and xdist


def test_junit_xml_carries_the_failure_text_without_colour(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JUnit's ``message`` is the first failing step's line; the element text is the
    whole failure, as the terminal shows it, without colour."""
    monkeypatch.setenv("FORCE_COLOR", "1")  # a CI setting that would colour rich's output
    scenario_file(pytester, "scenarios/broken.py", BROKEN)
    scenario_file(pytester, "scenarios/gap.py", GAP)
    result = pytester.runpytest("--junitxml=report.xml")
    result.assert_outcomes(failed=1, xfailed=1)
    cases = {
        case.get("name"): case for case in ET.parse(pytester.path / "report.xml").iter("testcase")
    }
    failure = cases["admin-created user signs in"].find("failure")
    assert failure is not None
    assert failure.get("message") == BROKEN_LINE
    assert failure.text is not None
    assert "\x1b" not in failure.text
    assert failure.text.splitlines() == BROKEN_TEXT
    skipped = cases["sign-in before confirmation"].find("skipped")
    assert skipped is not None
    assert skipped.get("type") == "pytest.xfail"
    assert (skipped.get("message") or "").startswith("known gap of moto: step 2 known-gap: ")


def test_the_failure_takes_pytests_terminal_width(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """160 columns hold the step table's columns: one line a step (with the rule's
    sources at the end of the line)."""
    monkeypatch.setenv("COLUMNS", "160")
    scenario_file(pytester, "scenarios/broken.py", BROKEN)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "admin-created user signs in (scenarios/broken.py, backend moto)",
            "#  operation  * status  * enabled  email_verified  outcome * verdict   rule",
            "─  ─*",
            "1  admin_create_user() * FORCE_CHANGE_PASSWORD  yes * no * ok * match * DOC S1, S16,"
            " seed-article",
            "2  admin_initiate_auth() * FORCE_CHANGE_PASSWORD  yes * no * ✗ challenge:*  mismatch"
            "  EX S15, seed-article",
            "                                                    *expected tokens",
            "  step 2 mismatch: scenario expects outcome='tokens' but the model predicts"
            " outcome='challenge:NEW_PASSWORD_REQUIRED': the model or the scenario is wrong",
        ],
        consecutive=True,
    )
    failure = result.stdout.str()
    failure = failure[failure.index("= FAILURES =") : failure.index("short test summary")]
    assert max(len(line) for line in failure.splitlines()) <= 160


def test_xdist_gives_the_same_results(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    scenario_file(pytester, "scenarios/broken.py", BROKEN)
    scenario_file(pytester, "scenarios/gap.py", GAP)
    scenario_file(pytester, "scenarios/unsupported.py", UNSUPPORTED)
    result = pytester.runpytest_subprocess("-n", "2", "-rxs", "--junitxml=report.xml")
    result.assert_outcomes(passed=1, failed=1, xfailed=1, skipped=1)
    result.stdout.fnmatch_lines(["*_ admin-created user signs in _*", *BROKEN_TEXT])
    # The failure's parts cross from the worker intact: message and text apart.
    (failure,) = ET.parse(pytester.path / "report.xml").iter("failure")
    assert failure.get("message") == BROKEN_LINE
    assert (failure.text or "").splitlines() == BROKEN_TEXT
    result.stdout.fnmatch_lines(
        [
            "XFAIL scenarios/gap.py::sign-in before confirmation - known gap of moto:"
            " step 2 known-gap: moto-1: *",
            "SKIPPED [[]1] scenarios/unsupported.py:3: step 2 unsupported:"
            " the backend does not implement this operation",
        ],
        consecutive=True,
    )


def test_the_shipped_scenarios_pass_on_moto(pytester: pytest.Pytester) -> None:
    shipped = shipped_scenarios_path()
    pytester.makeini(f"[pytest]\ncognito_scenario_paths = {shipped}\n")
    result = pytester.runpytest(str(shipped), "-rxs")
    outcomes = result.parseoutcomes()
    assert set(outcomes) <= {"passed", "xfailed", "skipped"}
    assert sum(outcomes.values()) == len(load_scenarios([shipped]))
    # Skipped only where moto lacks an operation (the self-service email steps).
    skips = [line for line in result.stdout.lines if line.startswith("SKIPPED")]
    assert len(skips) == outcomes.get("skipped", 0) > 0
    assert all("unsupported: the backend does not implement" in line for line in skips)
    result.stdout.fnmatch_lines(
        [
            "XFAIL *article_seven_steps.py::admin-created user reaches CONFIRMED"
            " - known gap of moto: step 4 known-gap: *"
        ]
    )


# ---------------------------------------------------------------- one backend per process


class CountingBackend(ModelBackend):
    """The model backend, counting what the plugin asks of it."""

    log: list[str] = []  # noqa: RUF012 (shared on purpose: the plugin makes the instance)

    def open(self) -> None:
        self.log.append("open")

    def user(self, pool: Pool, label: str) -> ModelUser:
        self.log.append(f"user {label} in {pool.auto_verified_attributes}")
        return super().user(pool, label)

    def close(self) -> None:
        self.log.append("close")
        super().close()


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setitem(BACKENDS, "model", (__name__, "CountingBackend"))
    CountingBackend.log = []
    return CountingBackend.log


def test_one_backend_per_session_opened_by_the_first_scenario(
    pytester: pytest.Pytester, counting: list[str]
) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    scenario_file(pytester, "scenarios/gap.py", GAP)
    pytester.makepyfile(
        test_inline=HEADER
        + textwrap.dedent(
            """
            def test_first():
                pass

            def test_inline(cognito):
                cognito(Scenario("inline", steps=[step.admin_create_user()]))
            """
        )
    )
    result = pytester.runpytest("--cognito-backend", "model")
    result.assert_outcomes(passed=4)
    assert counting == [
        "open",
        "user sign-in before confirmation in ('email',)",
        "user admin sets a permanent password in ()",
        "user inline in ()",
        "close",
    ]


def test_no_backend_when_no_scenario_runs(pytester: pytest.Pytester, counting: list[str]) -> None:
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    pytester.runpytest("--cognito-backend", "model").assert_outcomes(passed=1)
    assert counting == []


def test_loading_the_plugin_imports_nothing_heavy(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_light="""
        import sys

        def test_light(pytestconfig):
            assert pytestconfig.pluginmanager.hasplugin("cognito_states")
            heavy = {"boto3", "botocore", "moto", "rich", "transitions"} & set(sys.modules)
            assert heavy == set()
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


# ---------------------------------------------------------------- the fixture and marker


def test_the_fixture_runs_an_inline_scenario_and_fails_with_its_table(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_inline=HEADER
        + textwrap.dedent(
            """
            def test_passes(cognito):
                result = cognito.run(
                    Scenario("permanent", steps=[step.admin_create_user(),
                    step.admin_set_user_password(permanent=True)])
                )
                assert result.steps[-1].observed["status"] == "CONFIRMED"

            def test_unchecked(cognito):
                result = cognito(
                    Scenario("x", steps=[step.admin_initiate_auth().expect(outcome="tokens")]),
                    check=False,
                )
                assert [str(s.verdict) for s in result.steps] == ["mismatch"]

            SIGNS_IN = [
                step.admin_create_user(),
                step.admin_initiate_auth().expect(outcome="tokens"),
            ]

            def test_fails(cognito):
                cognito(Scenario("signs in", steps=SIGNS_IN))
                raise AssertionError("not reached")
            """
        )
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "    def test_fails(cognito):",
            '>       cognito(Scenario("signs in", steps=SIGNS_IN))',
            "E       Failed: scenario 'signs in' failed on moto: 1 mismatch",
            "E       signs in",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "E         *test_inline.py, backend moto)",
            "E       1  admin_create_user()                                             match",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "E          note scenario expects outcome='tokens' but the model predicts",
            "E            outcome='challenge:NEW_PASSWORD_REQUIRED': the model or the",
            "E            scenario is wrong",
            "E          rule EX S15, seed-article",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(["test_inline.py:23: Failed"])
    assert max(len(line) for line in result.stdout.lines if line.startswith("E ")) <= 80
    result.stdout.no_fnmatch_line("*not reached*")


INLINE = HEADER + textwrap.dedent(
    """
        GAP = Scenario(
            "sign-in before confirmation",
            pool=Pool(auto_verified_attributes=["email"]),
            steps=[
                step.sign_up(),
                step.admin_initiate_auth().expect(outcome="error:UserNotConfirmedException"),
            ],
        )
        UNSUPPORTED = Scenario(
            "code sent again",
            pool=Pool(auto_verified_attributes=["email"]),
            steps=[step.sign_up(), step.resend_confirmation_code()],
        )
        FAILING = Scenario(
            "signs in",
            steps=[
                step.admin_create_user(),
                step.admin_initiate_auth().expect(outcome="tokens"),
            ],
        )

        def test_gap(cognito):
            cognito(GAP)
            raise AssertionError("not reached: a known gap ends the test as xfail")

        def test_unsupported(cognito):
            cognito(UNSUPPORTED)
            raise AssertionError("not reached: an unsupported step ends the test as skipped")

        def test_unchecked_gap(cognito):
            result = cognito(GAP, check=False)
            assert [s.index for s in result.known_gaps] == [2]
            assert result.known_gaps[0].gap.id == "moto-1"
            assert result.failures == ()

        def test_unchecked_failure(cognito):
            assert cognito(FAILING, check=False).passed
        """
)


def test_the_fixture_ends_a_test_as_a_collected_scenario_would(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_inline=INLINE)
    # The skip is located at the call that ran the scenario.
    line = INLINE.splitlines().index("    cognito(UNSUPPORTED)") + 1
    result = pytester.runpytest("-rxs")
    result.assert_outcomes(passed=1, failed=1, xfailed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "    def test_unchecked_failure(cognito):",
            ">       assert cognito(FAILING, check=False).passed",
            "E       AssertionError: assert False",
            "E        +  where False = <ScenarioResult 'signs in' failed: 1 match, 1 mismatch;"
            " first failure: step 2 admin_initiate_auth() mismatch>.passed",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "XFAIL test_inline.py::test_gap - known gap of moto: step 2 known-gap:"
            " moto-1: tokens for an UNCONFIRMED user *",
            f"SKIPPED [[]1] test_inline.py:{line}: step 2 unsupported:"
            " the backend does not implement this operation",
        ]
    )
    result.stdout.no_fnmatch_line("*not reached*")


def test_under_strict_the_fixture_fails_known_gaps_and_unsupported_steps(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_inline=INLINE)
    result = pytester.runpytest("--cognito-strict", "-k", "test_gap or test_unsupported")
    result.assert_outcomes(failed=2)
    # Laid out for the 72 columns left beside pytest's "E       ".
    result.stdout.fnmatch_lines(
        [
            "E       Failed: scenario 'sign-in before confirmation' failed on moto: 1 known-gap",
            "E         (--cognito-strict)",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "E       Failed: scenario 'code sent again' failed on moto: 1 unsupported",
            "E         (--cognito-strict)",
        ],
        consecutive=True,
    )


def test_the_marker_gives_the_pool_and_the_backends(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marked=HEADER
        + textwrap.dedent(
            """
            import pytest

            VERIFIED = Pool(auto_verified_attributes=["email"])

            @pytest.mark.cognito(pool=VERIFIED, backends=["moto", "model"])
            def test_pool(cognito):
                result = cognito(Scenario("s", steps=[step.sign_up()]))
                assert result.pool == VERIFIED

            @pytest.mark.cognito(backends=["aws"])
            def test_aws_only(cognito):
                raise AssertionError("not run")

            @pytest.mark.cognito(pool=VERIFIED)
            def test_two_pools(cognito):
                cognito(Scenario("own", pool=Pool(username_attributes=["email"]),
                                 steps=[step.sign_up()]))
            """
        )
    )
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ test_two_pools _*",
            "scenario 'own' has its own pool=Pool(...) and @pytest.mark.cognito(pool=...)"
            " gives another; keep one",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1] test_marked.py:12: cognito: for aws; this run uses --cognito-backend moto"]
    )


def test_a_misused_marker_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_misused="""
        import pytest

        @pytest.mark.cognito(backends=["mota"])
        def test_typo():
            pass

        @pytest.mark.cognito("moto", pools=[])
        def test_positional():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_typo _*",
            "@pytest.mark.cognito(backends=...): unknown backend 'mota'"
            " (valid: moto, model, endpoint, aws)",
            "*_ ERROR at setup of test_positional _*",
            "@pytest.mark.cognito takes only pool= and backends= (got 'moto', pools);"
            " use @pytest.mark.cognito(pool=Pool(...), backends=['moto', 'model'])",
        ],
        consecutive=True,
    )


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.cognito(pool=Pool(...), backends=*"])


# ---------------------------------------------------------------- options and settings


def test_aws_needs_an_explicit_yes(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    result = pytester.runpytest("--cognito-backend", "aws")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --cognito-backend aws creates and deletes users in a real user pool;"
            " add --cognito-yes to allow it"
        ]
    )


ENDPOINT_WITHOUT_URL = (
    "ERROR: cognito-states: the endpoint backend needs --cognito-endpoint-url"
    " (or cognito_endpoint_url in the ini file, or COGNITO_ENDPOINT_URL), such as"
    " http://127.0.0.1:5000 for a moto server"
)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_an_endpoint_without_its_url_is_one_error_at_start_up(
    pytester: pytest.Pytester, workers: list[str]
) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    scenario_file(pytester, "scenarios/gap.py", GAP)
    run = pytester.runpytest_subprocess if workers else pytester.runpytest
    result = run("--cognito-backend", "endpoint", *workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # 4, before any test
    assert [x for x in result.stderr.lines if x] == [ENDPOINT_WITHOUT_URL]
    assert "passed" not in result.stdout.str()
    assert "failed" not in result.stdout.str()


def test_help_works_whatever_the_backend_settings(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--cognito-backend", "endpoint", "--help")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*--cognito-endpoint-url*"])


def test_a_malformed_setting_is_one_error_at_start_up(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    result = pytester.runpytest("--cognito-backend", "endpoint", "--cognito-pool-id", "nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [x for x in result.stderr.lines if x] == [
        "ERROR: cognito-states: USER_POOL_ID 'nope' is not a user pool id like"
        " us-east-1_AbC123xyz; fix --cognito-pool-id"
    ]


@pytest.fixture
def no_aws_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS config of this machine: an empty config file, dummy credentials."""
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = us-east-1\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_aws_files")
@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--cognito-backend", "aws", "--cognito-yes", "--cognito-region", "eu-west-1"],
            "ERROR: cognito-states: the aws backend needs --cognito-pool-id (or cognito_pool_id"
            " in the ini file, or USER_POOL_ID) and --cognito-client-id (or cognito_client_id in"
            " the ini file, or COGNITO_CLIENT_ID), or --cognito-create-pool (or"
            " cognito_create_pool in the ini file) to make throwaway pools",
        ),
        (
            [
                *("--cognito-backend", "aws", "--cognito-yes", "--cognito-create-pool"),
                *("--cognito-region", "xx-nowhere-1"),
            ],
            "ERROR: cognito-states: region 'xx-nowhere-1' has no Cognito user pools; fix"
            " --cognito-region (or cognito_region in the ini file, or REGION)",
        ),
        (
            [
                *("--cognito-backend", "endpoint", "--cognito-endpoint-url", "http://127.0.0.1:9"),
                *("--cognito-profile", "nobody"),
            ],
            "ERROR: cognito-states: AWS profile 'nobody' is not in your AWS config files; fix"
            " --cognito-profile (or cognito_profile in the ini file, or AWS_PROFILE)",
        ),
    ],
    ids=["aws-without-pool", "region-without-cognito", "unknown-profile"],
)
def test_refused_settings_are_one_error_at_start_up(
    pytester: pytest.Pytester, args: list[str], line: str
) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [x for x in result.stderr.lines if x] == [line]
    assert "passed" not in result.stdout.str()


@pytest.mark.parametrize("where", ["option", ".env"])
def test_the_endpoint_url_comes_from_the_option_or_dotenv(
    pytester: pytest.Pytester, where: str
) -> None:
    scenario_file(pytester, "scenarios/passing.py", PASSING)
    url = closed_url()
    args = ["--cognito-backend", "endpoint"]
    if where == "option":
        args += ["--cognito-endpoint-url", url]
    else:
        (pytester.path / ".env").write_text(f"COGNITO_ENDPOINT_URL={url}\n", encoding="utf-8")
    result = pytester.runpytest(*args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"cognito-states: could not reach Cognito at {url}: *"])


# ---------------------------------------------------------------- the README's section

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## pytest plugin\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("backend", ["moto", "model"])
def test_the_readmes_example_passes(pytester: pytest.Pytester, backend: str) -> None:
    (example,) = re.findall(r"^```python\n(.*?)^```", _readme_section(), re.M | re.S)
    pytester.makepyfile(test_readme=example)
    pytester.runpytest("--cognito-backend", backend).assert_outcomes(passed=1)


def test_every_option_is_in_the_readme(pytester: pytest.Pytester) -> None:
    shown = pytester.runpytest("--help").stdout.str()
    options = set(re.findall(r"^\s+(--cognito-[a-z-]+)", shown, re.M))
    from cognito_states.config import OPTIONS

    # every backend option of the CLI (the client secret stays in the environment), and
    # --cognito-strict
    assert options == {o.pytest_flag for o in OPTIONS if not o.secret} | {"--cognito-strict"}
    section = _readme_section()
    assert sorted(o for o in options if f"`{o}`" not in section) == []
    assert "cognito_scenario_paths" in shown
    assert "`cognito_scenario_paths`" in section


PHONE_AND_MFA_TESTS = """
import pytest

from cognito_states import Pool, Scenario, step

PHONE = Pool(username_attributes=["phone_number"], auto_verified_attributes=["phone_number"])
MFA_ON = Pool(mfa="ON", mfa_methods=["SOFTWARE_TOKEN_MFA"])


@pytest.mark.cognito(pool=PHONE)
def test_phone_only_pool(cognito):
    result = cognito(
        Scenario(
            "phone user signs in",
            steps=[
                step.sign_up().expect(status="UNCONFIRMED", phone_number_verified=False),
                step.admin_confirm_sign_up().expect(status="CONFIRMED"),
                step.initiate_auth().expect(outcome="tokens"),
            ],
        )
    )
    assert result.steps[0].observed["phone_number_verified"] is False


@pytest.mark.cognito(pool=MFA_ON)
def test_mfa_on_pool(cognito):
    result = cognito(
        Scenario(
            "mfa set-up",
            steps=[
                step.admin_create_user(),
                step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
                step.admin_respond_to_auth_challenge().expect(outcome="challenge:MFA_SETUP"),
                step.associate_software_token(),
                step.verify_software_token(),
                step.admin_respond_to_auth_challenge().expect(outcome="tokens"),
                step.initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
                step.respond_to_auth_challenge().expect(outcome="tokens"),
            ],
        )
    )
    assert result.steps[-1].observed["outcome"] == "tokens"
"""


@pytest.mark.parametrize("backend", ["moto", "model"])
def test_a_phone_only_pool_and_an_mfa_pool_in_the_plugin(
    pytester: pytest.Pytester, backend: str
) -> None:
    pytester.makepyfile(test_phone_and_mfa=PHONE_AND_MFA_TESTS)
    result = pytester.runpytest("--cognito-backend", backend)
    result.assert_outcomes(passed=2)

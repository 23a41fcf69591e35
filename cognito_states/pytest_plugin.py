"""The pytest plugin: ``pytest scenarios/`` runs every Scenario as a test item; the
``cognito`` fixture runs scenarios written inside tests; the ``cognito`` marker gives their
pool and the backends a test applies to. boto3, moto, rich and transitions load only when
a scenario runs.
"""

from __future__ import annotations

import ast
import contextlib
import fnmatch
import os
import re
import shutil
import signal
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest._code.code import (  # pytest's report parts: xdist serialises these
    ReprEntryNative,
    ReprExceptionInfo,
    ReprFileLocation,
    ReprTraceback,
)

from cognito_states.config import BACKEND_CHOICES, OPTIONS, plugin_name
from cognito_states.errors import CognitoStatesError, ScenarioError
from cognito_states.scenario import Pool, Scenario, load_file
from cognito_states.statuses import Verdict

if TYPE_CHECKING:
    from cognito_states.backends import Backend
    from cognito_states.runner import Runner, ScenarioResult

__all__ = ["Cognito", "ScenarioFile", "ScenarioItem"]

MARKER = (
    "cognito(pool=Pool(...), backends=['moto', ...]): the Pool the `cognito` fixture's"
    " scenarios run in; the backends this test applies to (skipped on others)"
)
# A scenario file imports the scenario language (`from cognito_states import ...`).
_IMPORTS = re.compile(r"^\s*(from\s+cognito_states[\s.]|import\s+cognito_states\b)", re.M)


class _ScenarioFailed(Exception):  # noqa: N818 (an outcome with its text, not an error)
    """A scenario item failed: the whole failure text (no traceback), and its one line."""

    def __init__(self, text: str, line: str | None = None) -> None:
        super().__init__(text)
        self.line = line or text.splitlines()[0]


class _Unavailable(Exception):  # noqa: N818 (a one-line reason, not a crash)
    """The backend could not be opened or was given bad settings."""


# ---------------------------------------------------------------- the session's backend


class _CognitoSession:
    """One backend per pytest process (each xdist worker has its own): opened by the
    first scenario that runs, closed when pytest ends. The backend keeps one pool per
    distinct Pool(...) declaration; the runner gives every scenario its own user."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.settings = plugin_settings(config)
        self.backend_name: str = self.settings.backend
        self.strict: bool = config.getoption("cognito_strict")
        self.roots = _scenario_roots(config)
        self.named = _named_folders(config)
        self._backend: Backend | None = None
        self._opened = False
        self._runner: Runner | None = None
        self._failure: str | None = None
        self._sigterm: Any = None

    def prepare(self) -> None:
        """Build the backend, without opening it: settings that are missing or wrong
        (an endpoint without its URL, an unknown profile, a region without Cognito) are
        found here, at start-up, before any test runs."""
        self._backend = self._make()

    def run(self, scenario: Scenario) -> ScenarioResult:
        runner = self._open()
        try:
            return runner.run_one(scenario)
        except CognitoStatesError as exc:  # bad settings found while running
            raise _Unavailable(_one_line(exc)) from None

    def _open(self) -> Runner:
        if self._failure is not None:  # fail every scenario alike, without retrying
            raise _Unavailable(self._failure)
        if self._runner is not None:
            return self._runner
        from cognito_states.runner import Runner

        try:
            if self._backend is None:
                self._backend = self._make()
            if self.backend_name in ("endpoint", "aws"):
                self._hold_sigterm()
            # Set before open() so that a half-open backend is closed all the same.
            self._opened = True
            self._backend.open()
            self._runner = Runner(self._backend, strict=self.strict)
        except CognitoStatesError as exc:  # bad settings, or unreachable
            self._failure = _one_line(exc)
            raise _Unavailable(self._failure) from None
        return self._runner

    def _make(self) -> Backend:
        from cognito_states.backends import from_settings

        # aws needs --cognito-yes before anything starts (pytest_configure).
        return from_settings(self.settings, confirm=lambda question: True)

    def _hold_sigterm(self) -> None:
        """SIGTERM (a cancelled CI job) ends the run like Ctrl-C, so that pytest still
        finishes and the users and throwaway pools are deleted."""

        def interrupt(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        with contextlib.suppress(ValueError):  # not the main thread: leave it alone
            self._sigterm = signal.signal(signal.SIGTERM, interrupt)

    def close(self) -> None:
        from cognito_states.signals import signals_held

        backend, self._backend, self._runner = self._backend, None, None
        opened, self._opened = self._opened, False
        try:
            # A second Ctrl-C waits until the pools are deleted; pytest is ending anyway.
            if backend is not None and opened:
                with contextlib.suppress(KeyboardInterrupt), signals_held():
                    backend.close()
        finally:
            if self._sigterm is not None:
                signal.signal(signal.SIGTERM, self._sigterm)
                self._sigterm = None


_SESSION = pytest.StashKey[_CognitoSession]()


def _session(config: pytest.Config) -> _CognitoSession:
    return config.stash[_SESSION]


def _one_line(exc: BaseException) -> str:
    text = exc.render(plugin_name) if isinstance(exc, CognitoStatesError) else str(exc)
    return "cognito-states: " + text


def plugin_settings(config: pytest.Config) -> Any:
    """The backend settings: each ``--cognito-<name>`` option, else the ``cognito_<name>``
    ini value, then (config.resolve) the environment and ``.env``."""
    from cognito_states.config import resolve

    given: dict[str, Any] = {}
    for o in OPTIONS:
        value = None if o.secret else config.getoption(_dest(o.name))
        if value in (None, False) and not o.secret:
            value = config.getini(o.ini) or None
        given[o.name] = value
    return resolve(given, cwd=config.invocation_params.dir)


def _dest(name: str) -> str:
    return f"cognito_{name}"


# ---------------------------------------------------------------- options and marker


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cognito-states", "cognito-states scenarios")
    for o in OPTIONS:  # the CLI's backend options (config.OPTIONS), as --cognito-<name>
        if o.secret:  # a secret stays in the environment, never on a command line
            continue
        env = f" (env {o.env})" if o.env else ""
        help_text = f"{o.help}{env}; ini {o.ini}"
        if o.switch:
            group.addoption(o.pytest_flag, action="store_true", dest=_dest(o.name), help=help_text)
            parser.addini(o.ini, help=o.help, type="bool", default=False)
        else:
            group.addoption(o.pytest_flag, dest=_dest(o.name), choices=o.choices, help=help_text)
            parser.addini(o.ini, help=o.help, default=None)
    group.addoption(
        "--cognito-strict",
        action="store_true",
        help="known gaps and unsupported steps fail instead of xfail/skip",
    )
    parser.addini(
        "cognito_scenario_paths",
        type="paths",
        default=["scenarios"],
        help="folders whose *.py files that define a Scenario are collected (default: scenarios)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
    try:
        session = _CognitoSession(config)
    except CognitoStatesError as exc:  # a malformed setting: one line, before any test
        raise pytest.UsageError(_one_line(exc)) from None
    if session.backend_name == "aws" and not session.settings.yes:
        raise pytest.UsageError(
            "--cognito-backend aws creates and deletes users in a real user pool;"
            " add --cognito-yes to allow it"
        )
    try:
        if not config.getoption("help", False):  # `pytest --help` must work regardless
            session.prepare()
    except CognitoStatesError as exc:  # a missing or refused setting: the same, once
        raise pytest.UsageError(_one_line(exc)) from None
    config.stash[_SESSION] = session


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()


def _marker_args(marker: pytest.Mark) -> tuple[Pool | None, tuple[str, ...] | None]:
    usage = "use @pytest.mark.cognito(pool=Pool(...), backends=['moto', 'model'])"
    unknown = sorted(set(marker.kwargs) - {"pool", "backends"})
    if marker.args or unknown:
        given = ", ".join([*map(repr, marker.args), *unknown])
        pytest.fail(
            f"@pytest.mark.cognito takes only pool= and backends= (got {given}); {usage}",
            pytrace=False,
        )
    pool = marker.kwargs.get("pool")
    if pool is not None and not isinstance(pool, Pool):
        pytest.fail(
            f"@pytest.mark.cognito(pool=...) takes a Pool(...), not {pool!r}", pytrace=False
        )
    backends = marker.kwargs.get("backends")
    if backends is None:
        return pool, None
    names = (backends,) if isinstance(backends, str) else tuple(backends)
    wrong = [n for n in names if n not in BACKEND_CHOICES]
    if wrong:
        pytest.fail(
            f"@pytest.mark.cognito(backends=...): unknown backend {', '.join(map(repr, wrong))}"
            f" (valid: {', '.join(BACKEND_CHOICES)})",
            pytrace=False,
        )
    return pool, names


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("cognito")
    if marker is None:
        return
    _, backends = _marker_args(marker)
    chosen = _session(item.config).backend_name
    if backends is not None and chosen not in backends:
        # Located at the test, not here (as a skip marker's reason would be).
        raise pytest.skip.Exception(
            f"cognito: for {', '.join(backends)}; this run uses --cognito-backend {chosen}",
            _use_item_location=True,
        )


# ---------------------------------------------------------------- the fixture


class Cognito:
    """The ``cognito`` fixture: runs scenarios written in a test on this run's backend.

    ``cognito(Scenario(...))`` (or ``cognito.run(...)``) returns the ScenarioResult and
    ends the test as a collected scenario file would: failed with the step table when
    the scenario does not pass, xfailed when its only departures are known gaps,
    skipped when its only non-matches are unsupported or skipped steps (known gaps and
    unsupported steps fail under --cognito-strict). ``check=False`` returns the result
    whatever it is, and the test decides (``result.passed``, ``result.failures``,
    ``result.known_gaps``).
    """

    def __init__(self, session: _CognitoSession, pool: Pool | None = None) -> None:
        self._session = session
        self.pool = pool

    @property
    def backend(self) -> str:
        return self._session.backend_name

    @property
    def strict(self) -> bool:
        return self._session.strict

    def run(self, scenario: Scenario, *, check: bool = True) -> ScenarioResult:
        __tracebackhide__ = True
        if not isinstance(scenario, Scenario):
            raise TypeError(f"cognito.run() takes a Scenario(...), not {scenario!r}")
        if self.pool is not None:
            if scenario.pool.declared and scenario.pool != self.pool:
                pytest.fail(
                    f"scenario {scenario.name!r} has its own pool=Pool(...) and"
                    " @pytest.mark.cognito(pool=...) gives another; keep one",
                    pytrace=False,
                )
            scenario = replace(scenario, pool=self.pool)
        try:
            result = self._session.run(scenario)
        except _Unavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        if check:
            # pytest prints a failure's message behind "E       ".
            width = failure_width(self._session.config) - 8
            failed = _conclude(result, self.backend, width)
            if failed is not None:
                pytest.fail(failed)
        return result

    __call__ = run


@pytest.fixture
def cognito(request: pytest.FixtureRequest) -> Cognito:
    """Runs inline scenarios: ``result = cognito(Scenario("name", steps=[...]))``."""
    marker = request.node.get_closest_marker("cognito")
    pool = _marker_args(marker)[0] if marker is not None else None
    return Cognito(_session(request.config), pool)


# ---------------------------------------------------------------- verdicts and text


def _departures(result: ScenarioResult) -> str:
    """Each known gap, unsupported and skipped step, with its source or reason."""
    parts = []
    for s in result.steps:
        if s.verdict in (Verdict.known_gap, Verdict.unsupported):
            parts.append(f"step {s.index} {s.verdict}: {s.note}")
    skipped = [s for s in result.steps if s.verdict is Verdict.skipped]
    if skipped:
        first, last = skipped[0].index, skipped[-1].index
        steps = f"step {first}" if first == last else f"steps {first}-{last}"
        parts.append(f"{steps} skipped: {skipped[0].note}")
    return "; ".join(parts)


def _conclude(
    result: ScenarioResult, backend: str, width: int, at_item: bool = False
) -> str | None:
    """How a scenario's result ends its test, alike for collected files and the fixture:
    the failure text laid out for ``width`` when it did not pass (returned, for the
    caller to fail with), else xfail for known gaps and skip for unsupported or skipped
    steps, each with its sources or reasons. A step whose expectation was not observed
    never ends in a plain pass."""
    __tracebackhide__ = True
    if not result.passed:
        return failure_text(result, backend, result.strict, width)
    departures = _departures(result)
    if result.known_gaps:
        pytest.xfail(f"known gap of {backend}: {departures}")
    if departures:  # unsupported or skipped steps, nothing else
        # A collected scenario is located at its file and line, as a skip marker would be.
        raise pytest.skip.Exception(departures, _use_item_location=at_item)
    return None


def failure_text(
    result: ScenarioResult, backend: str, strict: bool = False, width: int = 80
) -> str:
    """What a failing scenario shows, laid out for ``width`` columns without colour:
    one line, the step table with its notes, and what the marks mean (the same content
    in a terminal, in a CI log and in JUnit XML)."""
    from cognito_states import render
    from cognito_states.layout import wrap

    counts = result.counts()
    why = [f"{counts[Verdict.mismatch]} mismatch"] if counts[Verdict.mismatch] else []
    lenient = [f"{counts[v]} {v}" for v in (Verdict.known_gap, Verdict.unsupported) if counts[v]]
    if strict and lenient:
        why.append(f"{', '.join(lenient)} (--cognito-strict)")
    if result.error:
        why.append("the backend failed")
    if result.drift:
        why = ["the pool's settings differ from the scenario's Pool(...)"]
    head = f"scenario {result.scenario.name!r} failed on {backend}: {', '.join(why)}"
    parts = [render.Laid(lambda w: wrap(head, w)), render.scenario_view(result, backend)]
    if result.steps:
        parts.append(render.legend())
    return "\n".join(render.plain(part, width) for part in parts)


def failure_width(config: pytest.Config) -> int:
    """pytest's terminal width (the controller's, on an xdist worker)."""
    given = getattr(config, "workerinput", {}).get("cognito_width")
    if given:
        return int(given)
    try:
        return int(config.get_terminal_writer().fullwidth)
    except (AssertionError, AttributeError):  # no terminal reporter (-p no:terminal)
        return shutil.get_terminal_size().columns


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: workers lay failures out for the controller's terminal."""
    node.workerinput["cognito_width"] = failure_width(node.config)


class _FailureRepr(ReprExceptionInfo):
    """A failed scenario as pytest reports it: the whole text as the body (terminal,
    JUnit element text) and the first failing step's line as the message (JUnit's
    ``message`` attribute, the short summary). Made of pytest's own report parts, so
    that pytest-xdist carries it from workers intact."""

    @classmethod
    def of(cls, text: str, message: str, path: Path, line: int) -> _FailureRepr:
        lines = [x + "\n" for x in text.splitlines()]
        return cls(
            reprtraceback=ReprTraceback([ReprEntryNative(lines)], None, "native"),
            reprcrash=ReprFileLocation(str(path), line, message),
        )


# ---------------------------------------------------------------- collection


def _scenario_roots(config: pytest.Config) -> list[Path]:
    base = config.rootpath
    return [(base / p).resolve() for p in config.getini("cognito_scenario_paths")]


def _named_folders(config: pytest.Config) -> list[Path]:
    """The folders named on the command line (``pytest my_folder/``): searched whole for
    scenario files. Folders pytest reaches on its own (no argument, ``testpaths``)
    follow ``cognito_scenario_paths`` instead."""
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return []
    base = config.invocation_params.dir
    folders = []
    for arg in config.args:
        path = (base / arg.split("::", 1)[0]).resolve()
        if path.is_dir():
            folders.append(path)
    return folders


def _matches(path: Path, patterns: Sequence[str]) -> bool:
    """pytest's own test for `python_files` patterns."""
    for pattern in patterns:
        if os.sep not in pattern and "/" not in pattern:
            if fnmatch.fnmatch(path.name, pattern):
                return True
        elif fnmatch.fnmatch(str(path), pattern if os.path.isabs(pattern) else f"*/{pattern}"):
            return True
    return False


def _is_scenario_file(path: Path, parent: pytest.Collector) -> bool:
    """A *.py file under cognito_scenario_paths or a folder named on the command line,
    or named there itself, that imports cognito_states and binds a module-level
    Scenario; never a test module or conftest."""
    if path.suffix != ".py" or path.name in ("conftest.py", "__init__.py"):
        return False
    config = parent.config
    if _matches(path, config.getini("python_files")):
        return False
    if not parent.session.isinitpath(path):
        resolved = path.resolve()
        session = _session(config)
        if not any(resolved.is_relative_to(root) for root in (*session.roots, *session.named)):
            return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _IMPORTS.search(text) is not None and _defines_scenario(text)


def _defines_scenario(text: str) -> bool:
    """Whether the module binds a name to ``Scenario(...)`` at its top level (read, not
    imported). A file that does not parse is one: the loader then reports its error."""
    if "Scenario(" not in text:
        return False
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return True
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call):
            func = value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "Scenario":
                return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> Any:
    # pytest's python collection imports every file named on the command line as a
    # test module; a scenario file named there is ours instead.
    if _is_scenario_file(module_path, parent):
        return ScenarioFile.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    # Files named on the command line come through pytest_pycollect_makemodule.
    if not parent.session.isinitpath(file_path) and _is_scenario_file(file_path, parent):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """A scenario file: one item per module-level Scenario, in file order."""

    def collect(self) -> list[ScenarioItem]:
        try:
            scenarios = load_file(self.path)
        except ScenarioError as exc:
            if exc.file == str(self.path):
                exc.file = self._shown_path()
            raise self.CollectError(str(exc)) from None
        items: list[ScenarioItem] = []
        seen: set[str] = set()
        for scenario in scenarios:
            if scenario.name in seen:
                raise self.CollectError(
                    f"{self._shown_path()}:{scenario.line}: a second scenario is named"
                    f" {scenario.name!r}; give each a unique name"
                )
            seen.add(scenario.name)
            items.append(ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario))
        return items

    def _shown_path(self) -> str:
        try:
            return str(self.path.relative_to(self.config.invocation_params.dir))
        except ValueError:
            return str(self.path)


class ScenarioItem(pytest.Item):
    """One scenario as a test: passed, failed (with the step table), xfailed when its
    only departures are known gaps, skipped when steps were unsupported or skipped."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        session = _session(self.config)
        try:
            result = session.run(self.scenario)
        except _Unavailable as exc:
            raise _ScenarioFailed(str(exc)) from None
        failed = _conclude(result, session.backend_name, failure_width(self.config), True)
        if failed is not None:
            from cognito_states.render import failure_line

            raise _ScenarioFailed(failed, failure_line(result))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        failed = excinfo.value
        if isinstance(failed, _ScenarioFailed):
            where = self.reportinfo()
            return _FailureRepr.of(str(failed), failed.line, where[0], (where[1] or 0) + 1)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.scenario.line or 1) - 1, self.scenario.name

"""The command line: thin argparse over the library. One ``_add_<cmd>``/``_cmd_<cmd>``
pair per sub-command; heavy modules (boto3, moto, rich, transitions) load only inside
the command that needs them, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cognito_states.backends import Backend
    from cognito_states.config import BackendSettings
    from cognito_states.record import RecordWriter
    from cognito_states.scenario import Pool, Scenario

from cognito_states.statuses import ExitCode

PROG = "cognito-states"


def _fail(message: str, code: ExitCode) -> int:
    for line in message.splitlines() or [""]:  # several problems: one line each
        print(f"{PROG}: {line}", file=sys.stderr)
    return int(code)


def _load(paths: Sequence[str]) -> list[Scenario]:
    """The scenarios in ``paths`` (default: the shipped ones); none is exit code 5."""
    from cognito_states.errors import NoScenarioError
    from cognito_states.scenario import load_scenarios, shipped_scenarios_path

    chosen = [Path(p) for p in paths] or [shipped_scenarios_path()]
    scenarios = load_scenarios(chosen)
    if not scenarios:
        where = " ".join(paths) or "the shipped scenarios"
        raise NoScenarioError(f"no scenario found in {where}; a file must define Scenario(...)")
    return scenarios


# ---------------------------------------------------------------- backends


# The backend options (config.OPTIONS) a command that only reads an existing pool uses:
# its --help lists these alone, and its --backend offers only endpoint and aws.
READING_OPTIONS = ("backend", "endpoint_url", "region", "profile", "pool_id", "client_id")
READING_BACKENDS = ("aws", "endpoint")


def _add_backend_options(
    p: argparse.ArgumentParser,
    default: str = "moto",
    only: Sequence[str] | None = None,
    backends: Sequence[str] | None = None,
) -> None:
    """The backend flags from config.OPTIONS: all of them, or ``only`` those named."""
    from cognito_states.config import OPTIONS

    g = p.add_argument_group("backend")
    for o in OPTIONS:
        if only is not None and o.name not in only:
            continue
        help_text = o.help + (f" (env {o.env})" if o.env else "")
        if o.secret:
            help_text += "; prefer the environment variable"
        if o.switch:
            g.add_argument(o.flag, action="store_true", help=help_text)
        elif o.name == "backend":
            choices = tuple(backends or o.choices or ())
            if backends:
                help_text = f"{' or '.join(choices)} (default: {default})"
            g.add_argument(o.flag, default=default, choices=choices, help=help_text)
        else:
            metavar = "SOURCE" if o.name == "codes" else None
            g.add_argument(o.flag, choices=o.choices, metavar=metavar, help=help_text)


def _confirm(yes: bool, read_only: bool = False) -> Callable[[str], bool]:
    def ask(question: str) -> bool:
        from cognito_states.config import cli_name
        from cognito_states.errors import named

        question = named(question, cli_name)
        if read_only:  # nothing will be written: nothing to confirm
            return True
        if yes:  # still say where we are about to write
            print(f"{PROG}: {question.removesuffix(' Continue?')} (--yes)", file=sys.stderr)
            return True
        if not sys.stdin.isatty():
            from cognito_states.errors import SettingsError, setting

            raise SettingsError(f"{question} There is no terminal to ask; pass {setting('yes')}")
        print(question, "[y/N] ", end="", file=sys.stderr, flush=True)
        return input().strip().lower() in ("y", "yes")

    return ask


def _settings(args: argparse.Namespace) -> BackendSettings:
    """The settings the flags (then the environment, then .env) give; a command's parser
    has only the flags it uses, the others are not given."""
    from cognito_states.config import OPTION, resolve

    return resolve({name: getattr(args, name, None) for name in OPTION})


def _backend(args: argparse.Namespace, settings: BackendSettings | None = None) -> Backend:
    """The backend the settings describe, built (not opened): every setting is checked
    here, before any network call."""
    from cognito_states.backends import from_settings

    read_only = getattr(args, "read_only", False)
    return from_settings(
        settings or _settings(args), _confirm(getattr(args, "yes", False), read_only=read_only)
    )


def _check_outputs(args: argparse.Namespace) -> None:
    """Each output path the command was given can be written, before any work starts."""
    for flag, name, folder in (
        ("--report", "report", False),
        ("--record", "record", False),
        ("--repro-dir", "repro_dir", True),
    ):
        path = getattr(args, name, None)
        if path is not None:
            check_output(path, flag, folder)


def check_output(path: Path, flag: str, folder: bool = False) -> None:
    """Bad input (exit 4) when ``path`` cannot be written: a file (or, with ``folder``,
    a folder made on demand) whose place does not exist, is not a folder or is read-only."""
    from cognito_states.errors import BadInputError

    shown = f"{flag} {path}"
    if path.exists():
        if folder != path.is_dir():
            kind = "a folder" if path.is_dir() else "a file"
            want = "a folder" if folder else "a file name"
            raise BadInputError(f"{shown} is {kind}; give {want}")
        if not os.access(path, os.W_OK):
            raise BadInputError(f"{shown} is not writable; choose another path")
        return
    parent = path.parent
    if folder:  # made with its parents: the nearest existing one must take it
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    where = str(parent) if str(parent) != "." else "the working folder"
    if not parent.exists():
        raise BadInputError(f"{shown}: folder {where} does not exist; create it first")
    if not parent.is_dir():
        raise BadInputError(f"{shown}: {where} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BadInputError(f"{shown}: cannot write in {where}; choose another path")


# ---------------------------------------------------------------- run


def _add_run(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="replay scenarios on a backend and compare with the model",
        description="Replay scenario files (default: the shipped ones) on a backend. "
        "Exit codes: 0 passed, 1 mismatch or drift, 2 interrupted, 3 backend error, "
        "4 bad input, 5 no scenario found.",
    )
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: shipped)")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument(
        "--strict", action="store_true", help="known gaps and unsupported steps fail too"
    )
    _add_output_options(p)
    _add_backend_options(p)
    p.set_defaults(func=_cmd_run)


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--record", type=Path, metavar="FILE", help="write every step as JSON Lines to FILE"
    )
    p.add_argument(
        "--report", type=Path, metavar="FILE.md", help="write a Markdown report (and an SVG)"
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from cognito_states import render
    from cognito_states.runner import Runner, ScenarioResult, planned_texts
    from cognito_states.transition import Transition

    _check_outputs(args)
    scenarios = _load(args.paths)
    console = render.make_console()
    backend = _backend(args)
    backend.prepare([s.pool for s in scenarios], lambda fixed: planned_texts(scenarios, fixed))

    def show(result: ScenarioResult) -> None:
        if not args.json:
            render.print_scenario(console, result, backend.name)

    recorder: RecordWriter | None = None

    def on_step(scenario: Scenario, pool: Pool, item: Transition) -> None:
        if recorder is not None:
            recorder.write(item, pool)

    try:
        with _cleanup(backend):
            backend.open()
            # Opened once the backend is: its header names the backend's detected kind.
            recorder = _recorder(args.record, "run", backend)
            runner = Runner(backend, strict=args.strict)
            result = runner.run(scenarios, on_scenario=show, on_step=on_step)
    finally:
        if recorder is not None:
            recorder.close()
    if args.report:
        from cognito_states.report import run_report

        run_report(result, args.report)
    if args.json:
        print(render.run_json(result))
    else:
        if any(r.steps for r in result.scenarios):
            console.print(render.legend())
        console.print(render.summary(result))
    for failed in result.scenarios:
        if failed.error:
            print(f"{PROG}: {failed.scenario.name}: {failed.error}", file=sys.stderr)
    return int(result.exit_code)


def _recorder(path: Path | None, kind: str, backend: Backend) -> RecordWriter | None:
    if path is None:
        return None
    from cognito_states.record import RecordWriter

    return RecordWriter(path, kind, backend.name, backend.kind)


@contextlib.contextmanager
def _cleanup(backend: Backend) -> Iterator[None]:
    """Close the backend (deleting what it created) however the block ends; signals
    that arrive meanwhile wait until the clean-up is done."""
    from cognito_states.signals import signals_held

    try:
        yield
    finally:
        with signals_held():
            backend.close()


# ---------------------------------------------------------------- model


def _add_model(sub: Any) -> None:
    p = sub.add_parser(
        "model",
        help="print how the model's statuses change, its transition table or diagram",
        description="What real Cognito does: by default one row per status change; "
        "--state STATUS shows what each operation does from that status, with each "
        "rule's confidence and source.",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="transitions and rules as JSON")
    out.add_argument("--mermaid", action="store_true", help="a Mermaid stateDiagram-v2")
    p.add_argument(
        "--state",
        metavar="STATUS",
        help="what each operation does from this status (e.g. RESET_REQUIRED, NO_USER):"
        " the exits first, then what keeps the status",
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="list the operations refused there too (they change nothing); alone: every"
        " status, every row",
    )
    p.add_argument(
        "--confidence",
        action="store_true",
        help="how many rules carry each confidence tag, and the DISPUTED, UNCONFIRMED and"
        " INFERRED ones a run against a real pool should settle first (--json too)",
    )
    _add_pool_from(p)
    p.set_defaults(func=_cmd_model)


def _add_pool_from(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--pool-from",
        type=Path,
        metavar="FILE",
        help="the Pool(...) of this scenario file (default: Pool(), MFA off, e-mail only)",
    )


def _pool_from(path: Path | None) -> Pool | None:
    return None if path is None else _load([str(path)])[0].pool


def _cmd_model(args: argparse.Namespace) -> int:
    import difflib

    from cognito_states import render
    from cognito_states.scenario import Pool
    from cognito_states.statuses import MODEL_STATES, Status

    if args.confidence:
        return _confidence(args)
    chosen = _pool_from(args.pool_from)
    if args.mermaid:
        from cognito_states import graph

        print(graph.mermaid(graph.model_edges(chosen), "Cognito user statuses"))
        return int(ExitCode.OK)
    status = args.state
    if status is not None:
        valid = [s for s in MODEL_STATES if s != Status.EXTERNAL_PROVIDER]
        if status not in valid:
            close = difflib.get_close_matches(status.upper(), valid, n=1)
            hint = f"; did you mean {close[0]}?" if close else f" (valid: {', '.join(valid)})"
            return _fail(f"--state {status!r} is not a status{hint}", ExitCode.BAD_INPUT)
    from cognito_states.model import CognitoModel

    pool = chosen or Pool()
    model = CognitoModel(pool)
    if args.json:
        print(render.model_json(pool, model.table(status)))
    elif status is None and not args.all:
        render.make_console().print(render.model_overview(model.status_changes(), pool))
    else:
        render.make_console().print(render.state_view(model.table(status), args.all))
    return int(ExitCode.OK)


def _confidence(args: argparse.Namespace) -> int:
    if args.mermaid or args.state:
        return _fail(
            "--confidence summarises every rule; drop --mermaid and --state", ExitCode.BAD_INPUT
        )
    from cognito_states import evidence
    from cognito_states.rules import RULES

    if args.json:
        print(json.dumps(evidence.confidence_json(RULES), indent=2))
    else:
        print(evidence.confidence_text(RULES), end="")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- sources and gaps


def _add_sources(sub: Any) -> None:
    p = sub.add_parser(
        "sources",
        help="print sources by id (S15, I6, E1, D1, C4, moto-2): title and URL",
        description="The sources the rules and the known gaps cite, shipped with the "
        "package. With ids, each one's other pages and the reference text it stands for "
        "too; without, every source. Exit 4 for an unknown id.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="source ids (default: all)")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(func=_cmd_sources)


def _cmd_sources(args: argparse.Namespace) -> int:
    from cognito_states import evidence
    from cognito_states.sources import all_sources, resolve

    chosen = resolve(args.ids) if args.ids else list(all_sources().values())
    if args.json:
        print(json.dumps(evidence.sources_json(chosen), indent=2, ensure_ascii=False))
    else:
        print(evidence.sources_text(chosen, full=bool(args.ids)), end="")
    return int(ExitCode.OK)


def _add_gaps(sub: Any) -> None:
    p = sub.add_parser(
        "gaps",
        help="list a backend's known gaps (default: moto's)",
        description="Where a backend is known to depart from real Cognito: number, "
        "operation, condition, what the backend does, what real Cognito does, the source "
        "and the versions it was measured with. A step that shows one is a known-gap.",
    )
    p.add_argument(
        "--backend",
        default="moto",
        choices=["moto", "model", "endpoint", "aws"],
        help="whose gaps (default: moto)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(func=_cmd_gaps)


def _cmd_gaps(args: argparse.Namespace) -> int:
    from cognito_states import evidence
    from cognito_states.gaps import gaps_for

    gaps = list(gaps_for(args.backend))
    if args.json:
        print(json.dumps(evidence.gaps_json(args.backend, gaps), indent=2))
    else:
        print(evidence.gaps_text(args.backend, gaps), end="")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- list


def _add_list(sub: Any) -> None:
    p = sub.add_parser("list", help="list scenarios and their step counts")
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: shipped)")
    p.set_defaults(func=_cmd_list)


def _cmd_list(args: argparse.Namespace) -> int:
    from cognito_states import render

    scenarios = _load(args.paths)
    render.make_console().print(render.scenario_list_table(scenarios))
    return int(ExitCode.OK)


# ---------------------------------------------------------------- explore


def _add_explore(sub: Any) -> None:
    p = sub.add_parser(
        "explore",
        help="apply every operation in every state the model can reach, on a backend",
        description="Covers every reachable (state, operation) pair with covering walks: "
        "each user walks a sequence of operations planned on the model, observed and "
        "judged after every step; on a departure the walk re-plans from what the backend "
        "showed, and each distinct mismatch is re-run by a fresh user (a reproducer "
        "scenario is written for it). --isolated gives every pair its own user instead. "
        "On endpoint and aws the plan (pairs, calls, mail, rate, duration) is printed "
        "before the first call. Exit 1 when there is a mismatch.",
    )
    p.add_argument("--pool-from", type=Path, metavar="FILE", help="a scenario file's Pool")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument(
        "--workers", type=int, help="parallel walks (default: 2 on moto and aws, 4 on endpoint)"
    )
    p.add_argument(
        "--isolated",
        action="store_true",
        help="one fresh user per pair along the model's shortest path (many more calls)",
    )
    n = p.add_argument_group("narrowing (combinable)")
    n.add_argument("--state", metavar="STATUS", help="only pairs whose state has this status")
    n.add_argument(
        "--operation",
        action="append",
        metavar="NAME",
        help="only this operation (repeatable), e.g. admin_reset_user_password",
    )
    n.add_argument(
        "--uncertain",
        action="store_true",
        help="only pairs whose rule is UNCONFIRMED, INFERRED, DISPUTED or missing",
    )
    n.add_argument(
        "--max-calls",
        type=int,
        metavar="N",
        help="a budget of API calls: the plan covers what fits and says what it left out",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="print the plan and exit 0 (nothing is sent)"
    )
    p.add_argument(
        "--repro-dir",
        type=Path,
        # reproducers.DEFAULT_FOLDER, named here without importing it (--help stays light)
        help="where reproducers go, made only when there is one (default: ./cognito-states-repro)",
    )
    p.add_argument(
        "--random",
        type=int,
        metavar="N",
        help="also N random walks (Hypothesis stateful testing); a failure is shrunk",
    )
    p.add_argument("--seed", type=int, help="the random walks' seed, to run them again")
    p.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    p.add_argument("--all", action="store_true", help="list matching pairs too")
    _add_output_options(p)
    _add_backend_options(p)
    p.set_defaults(func=_cmd_explore)


def _explore_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with explore's own flags, as one line (None: nothing)."""
    import difflib

    from cognito_states.operations import Op
    from cognito_states.statuses import MODEL_STATES, Status

    if args.workers is not None and args.workers < 1:
        return f"--workers {args.workers}: give 1 or more"
    if args.max_calls is not None and args.max_calls < 1:
        return f"--max-calls {args.max_calls}: give 1 or more"
    if args.random is not None and args.random < 1:
        return f"--random {args.random}: give 1 or more walks"
    if args.seed is not None and args.random is None:
        return "--seed seeds the random walks; add --random N"
    if args.state is not None:
        valid = [s for s in MODEL_STATES if s != Status.EXTERNAL_PROVIDER]
        if args.state not in valid:
            close = difflib.get_close_matches(args.state.upper(), valid, n=1)
            hint = f"; did you mean {close[0]}?" if close else f" (valid: {', '.join(valid)})"
            return f"--state {args.state!r} is not a status{hint}"
    for name in args.operation or ():
        if name not in Op.__members__:
            close = difflib.get_close_matches(name, Op.__members__, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            return f"--operation {name!r} is not an operation{hint} (see `cognito-states model`)"
    if args.random:
        try:
            import hypothesis  # noqa: F401
        except ImportError:
            return "--random needs Hypothesis: pip install hypothesis"
    return None


class _Planned:
    """Explore's plan, worked out once the pool's real settings are known (on aws while
    the confirmation question is asked, so that the question shows it)."""

    def __init__(
        self, args: argparse.Namespace, backend: Backend, pool: Pool, narrowing: Any, workers: int
    ) -> None:
        self.args, self.backend, self.declared = args, backend, pool
        self.narrowing, self.workers = narrowing, workers
        self.pool: Pool = pool
        self.plan: Any = None
        self.text = ""

    def __call__(self, actual: Pool | None) -> str:
        from cognito_states import explore as ex
        from cognito_states import render_explore

        self.pool = self.declared if actual is None else self.declared.completed_by(actual)
        self.plan = ex.make_plan(
            self.backend,
            self.pool,
            narrowing=self.narrowing,
            isolated=self.args.isolated,
            workers=self.workers,
            limit=self.args.limit,
        )
        self.text = render_explore.plan_text(
            self.plan,
            self.backend.name,
            workers=self.workers,
            per_call=_per_call(self.backend),
            rps=getattr(self.backend, "per_operation_rps", None),
            narrowing=self.narrowing,
        )
        return self.text

    def texts(self, actual: Pool | None) -> int:
        """The text messages the plan sends (the aws question names them)."""
        if self.plan is None:
            self(actual)
        return int(self.plan.texts)


def _cmd_explore(args: argparse.Namespace) -> int:
    from cognito_states import explore as ex
    from cognito_states import render
    from cognito_states.reproducers import DEFAULT_FOLDER
    from cognito_states.scenario import Pool
    from cognito_states.tour import Narrowing
    from cognito_states.transition import Transition

    problem = _explore_problem(args)
    if problem:
        return _fail(problem, ExitCode.BAD_INPUT)
    args.repro_dir = args.repro_dir or DEFAULT_FOLDER
    _check_outputs(args)
    pool = _pool_from(args.pool_from) or Pool()
    narrowing = Narrowing(args.state, tuple(args.operation or ()), args.uncertain, args.max_calls)
    args.read_only = args.dry_run  # a dry run only reads the pool's settings
    backend = _backend(args)
    workers = args.workers or {"moto": 2, "aws": 2, "endpoint": 4}.get(args.backend, 1)
    planned = _Planned(args, backend, pool, narrowing, workers)
    backend.prepare([pool], planned.texts)
    if args.backend == "aws":
        backend.preview = planned  # type: ignore[attr-defined] # one question: plan and pool
    if args.dry_run:
        return _explore_dry_run(args, backend, planned)
    recorder: RecordWriter | None = None
    errors = render.make_console(sys.stderr)
    try:
        with _cleanup(backend):
            backend.open()
            recorder = _recorder(args.record, "explore", backend)
            if planned.plan is None:  # aws worked it out for its question
                planned(backend.fixed_pool())
                if args.backend == "endpoint":  # told before the first call
                    errors.print(planned.text, soft_wrap=True, highlight=False)
            pool = planned.pool
            with render.progress(errors) as bar:
                task = bar.add_task(f"exploring {backend.name}", total=None)

                def on_pair(item: Transition) -> None:
                    bar.advance(task)
                    if recorder is not None:
                        recorder.write(item, pool)

                result = ex.explore(
                    backend,
                    pool,
                    workers=workers,
                    on_pair=on_pair,
                    on_start=lambda total: bar.update(task, total=total),
                    isolated=args.isolated,
                    narrowing=narrowing,
                    plan=planned.plan,
                )
            failures = _random_walks(args, backend, pool) if not result.interrupted else []
    finally:
        if recorder is not None:
            recorder.close()
    from cognito_states.reproducers import write_reproducers

    result.reproducers = write_reproducers(args.repro_dir, pool, backend.name, result.departures)
    result.reproducers += failures
    _explore_output(args, result, narrowing.active)
    if result.interrupted:
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.MISMATCH if result.failed or failures else ExitCode.OK)


def _random_walks(args: argparse.Namespace, backend: Backend, pool: Pool) -> list[Path]:
    """``--random N``: the shrunk walk's reproducer, if one departed."""
    if not args.random:
        return []
    from cognito_states.walks import random_walks

    return random_walks(backend, pool, args.random, folder=args.repro_dir, seed=args.seed)


def _explore_output(args: argparse.Namespace, result: Any, narrowed: bool) -> None:
    from cognito_states import render, render_explore

    if args.report:
        from cognito_states.report import explore_report

        explore_report(result, args.report)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return
    console = render.make_console()
    listed = args.all or narrowed  # a narrowed exploration lists what it targeted
    shown = result.pairs if listed else [p for p in result.pairs if p.verdict != "match"]
    title = None
    if listed:
        title = "Every pair this exploration covered" if args.all else "The targeted pairs"
        title += f", on {result.backend}"
    console.print(render.explore_table(result, shown, title))
    console.print(render_explore.calibration_table(result))
    console.print(render_explore.summary(result), soft_wrap=True)
    for line in render_explore.reproducer_lines(result, result.reproducers):
        console.print(line, soft_wrap=True)


def _per_call(backend: Backend) -> float:
    """Seconds one request takes: what opening the backend measured, else a guess."""
    latency = getattr(backend, "latency", None)
    if latency:
        return float(latency)
    return {"moto": 0.002, "model": 0.0, "endpoint": 0.01}.get(backend.name, 0.1)


def _explore_dry_run(args: argparse.Namespace, backend: Backend, planned: _Planned) -> int:
    """The plan, and nothing sent: an existing pool's settings are read (they decide
    the plan), nothing is created."""
    if args.backend in ("endpoint", "aws"):
        with _cleanup(backend):
            backend.open()
            if planned.plan is None:
                planned(backend.fixed_pool())
    else:
        planned(None)
    if args.json:
        doc = {
            "cognito_states": 1,
            "backend": backend.name,
            "pool": planned.pool.as_dict(),
            "plan": planned.plan.as_dict(),
        }
        print(json.dumps(doc, indent=2))
    else:
        print(planned.text)
    return int(ExitCode.OK)


# ---------------------------------------------------------------- path


def _add_path(sub: Any) -> None:
    p = sub.add_parser(
        "path",
        help="the model's shortest way from one status to another, as a scenario file",
        description="Prints the model's shortest operation sequence from FROM to TO as a "
        "ready-to-run scenario file (the step that first reaches FROM expects it, the last "
        "step expects TO): `cognito-states path CONFIRMED RESET_REQUIRED > s.py && "
        "cognito-states run s.py`. FROM may be 'new' (no user yet); a status means the "
        "shortest way to reach any user with that status first.",
    )
    p.add_argument("start", metavar="FROM", help="'new' or a status, e.g. CONFIRMED")
    p.add_argument("goal", metavar="TO", help="a status, e.g. RESET_REQUIRED or NO_USER")
    p.add_argument("--pool-from", type=Path, metavar="FILE", help="a scenario file's Pool")
    p.add_argument("--json", action="store_true", help="the steps as one JSON document")
    p.set_defaults(func=_cmd_path)


def _status_arg(name: str, value: str, new: bool) -> str | None:
    """The status ``value`` names (None: 'new'), or a BadInputError naming the fix."""
    import difflib

    from cognito_states.errors import BadInputError
    from cognito_states.statuses import MODEL_STATES, Status

    if new and value.lower() == "new":
        return None
    valid = [str(s) for s in MODEL_STATES if s != Status.EXTERNAL_PROVIDER]
    if value.upper() in valid:
        return value.upper()
    choices = ["new", *valid] if new else valid
    close = difflib.get_close_matches(value.upper(), valid, n=1)
    hint = f"; did you mean {close[0]}?" if close else f" (valid: {', '.join(choices)})"
    raise BadInputError(f"{name} {value!r} is not a status{hint}")


def _cmd_path(args: argparse.Namespace) -> int:
    from cognito_states.errors import BadInputError
    from cognito_states.model import INITIAL, CognitoModel
    from cognito_states.reproducers import expectation, scenario_source
    from cognito_states.scenario import Pool, all_variants
    from cognito_states.tour import path_between

    start = _status_arg("FROM", args.start, new=True)
    goal = _status_arg("TO", args.goal, new=False)
    assert goal is not None
    pool = _load([str(args.pool_from)])[0].pool if args.pool_from else Pool()
    model = CognitoModel(pool)
    found = path_between(model, all_variants(pool), start, goal)
    origin = "a user that does not exist yet" if start is None else f"a {start} user"
    if found is None:
        raise BadInputError(f"no operation this tool models takes {origin} to {goal}")
    first, then = found
    steps = [*first, *then]
    if not steps:
        raise BadInputError(f"{origin} is already {goal}: there is no step to take")
    state, predictions = INITIAL, []
    for one in steps:
        prediction = model.predict(state, one)
        predictions.append(prediction)
        state = prediction.state
    reaches = len(first) - 1 if start is not None else None
    if args.json:
        steps_doc = {
            "cognito_states": 1,
            "from": start or "new",
            "to": goal,
            "pool": pool.as_dict(),
            "reaches_from": reaches,
            "steps": [
                {
                    "step": one.describe(),
                    "operation": str(one.op),
                    "params": one.kwargs,
                    "outcome": str(p.outcome),
                    "state_after": p.state.as_dict(),
                }
                for one, p in zip(steps, predictions, strict=True)
            ],
        }
        print(json.dumps(steps_doc, indent=2))
        return int(ExitCode.OK)
    expects = {} if reaches is None or reaches == len(steps) - 1 else {reaches: {"status": start}}
    command = f"cognito-states path {args.start} {args.goal}"
    doc = (
        f"The model's shortest way from {origin} to {goal} (`{command}`).\n\n"
        + (
            f"The first {len(first)} steps make a {start} user; the other {len(then)} take it"
            f" to {goal}. "
            if start is not None and then
            else ""
        )
        + "Each expectation is the model's prediction: run this file on a backend to see"
        " whether it agrees."
    )
    name = f"from {start or 'new'} to {goal}"
    sys.stdout.write(
        scenario_source(name, doc, pool, steps, expectation(predictions[-1].view), expects)
    )
    return int(ExitCode.OK)


# ---------------------------------------------------------------- diff and graph


def _add_diff(sub: Any) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two records; exit 1 when they differ",
        description="Compares two records by (state before, operation, keywords). A record "
        "is a file written with --record, or a shipped reference of real Cognito: "
        "'article' (the article's seven calls) or 'aws-cli' (AWS CLI examples).",
    )
    p.add_argument("a", help="record A (file, 'article' or 'aws-cli')")
    p.add_argument("b", help="record B")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument(
        "--report", type=Path, metavar="FILE.md", help="write a Markdown report (and an SVG)"
    )
    p.add_argument(
        "--allow-disjoint",
        action="store_true",
        help="exit 0 when the records share no transition (default: exit 1, nothing compared)",
    )
    p.set_defaults(func=_cmd_diff)


def _cmd_diff(args: argparse.Namespace) -> int:
    from cognito_states import render
    from cognito_states.diff import diff_records
    from cognito_states.record import read_record, resolve_record

    _check_outputs(args)
    a = read_record(resolve_record(args.a))
    b = read_record(resolve_record(args.b))
    result = diff_records(a, b)
    if args.report:
        from cognito_states.report import diff_report

        diff_report(result, args.report)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        console = render.make_console()
        if result.changed:
            console.print(render.diff_table(result))
        console.print(render.diff_summary(result))
    if result.disjoint:  # exit 0 must mean that something was compared
        if args.allow_disjoint:
            print(f"{PROG}: {result.disjoint_text()} (--allow-disjoint)", file=sys.stderr)
            return int(ExitCode.OK)
        return _fail(
            f"{result.disjoint_text()}; check that A and B ran the same scenarios"
            " and pool, or pass --allow-disjoint",
            ExitCode.MISMATCH,
        )
    return int(ExitCode.MISMATCH if result.differ else ExitCode.OK)


def _add_graph(sub: Any) -> None:
    p = sub.add_parser(
        "graph",
        help="draw the model or a record as a state diagram",
        description="Mermaid stateDiagram-v2 (renders on GitHub) or Graphviz dot. Edges "
        "carry operations; departures from the model are marked in their labels.",
    )
    p.add_argument("record", nargs="?", help="a record file (default: the model)")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    _add_pool_from(p)
    p.set_defaults(func=_cmd_graph)


def _cmd_graph(args: argparse.Namespace) -> int:
    from cognito_states import graph

    if args.record:
        from cognito_states.record import read_record, resolve_record

        record = read_record(resolve_record(args.record))
        edges = graph.transition_edges(record.transitions)
        title = f"{record.header.get('backend')}: {Path(args.record).name}"
    else:
        edges, title = (
            graph.model_edges(_pool_from(args.pool_from)),
            "Cognito user statuses (model)",
        )
    draw = graph.dot if args.format == "dot" else graph.mermaid
    print(draw(edges, title), end="")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- pool


def _add_pool(sub: Any) -> None:
    p = sub.add_parser(
        "pool",
        help="show an existing pool's settings as the model sees them",
        description="`pool show` prints the settings of --pool-id/--client-id that change "
        "what Cognito does; --json gives a snapshot to keep in git and diff.",
    )
    p.add_argument("action", choices=["show"])
    p.add_argument("--json", action="store_true", help="print the settings as JSON")
    _add_backend_options(p, default="aws", only=READING_OPTIONS, backends=READING_BACKENDS)
    p.set_defaults(func=_cmd_pool)


def _cmd_pool(args: argparse.Namespace) -> int:
    from cognito_states import render
    from cognito_states.backends.remote import RemoteBackend

    args.read_only = True
    settings = _settings(args)
    settings.require("pool_id", "pool show reads an existing pool")
    settings.require("client_id", "pool show reads the pool's app client too")
    backend = _backend(args, settings)
    assert isinstance(backend, RemoteBackend)
    with _cleanup(backend):
        backend.open()
        pool = backend.pool_settings()
    doc = {
        "cognito_states": 1,
        "pool_id": backend.pool_id,
        "client_id": backend.client_id,
        "settings": pool.as_dict(),
    }
    if args.json:
        print(json.dumps(doc, indent=2, sort_keys=True))
    else:
        render.make_console().print(render.pool_table(doc))
    return int(ExitCode.OK)


# ---------------------------------------------------------------- cleanup


def _add_cleanup(sub: Any) -> None:
    p = sub.add_parser(
        "cleanup",
        help="remove users and pools that an interrupted run left behind",
        description="Reads the ledger of what cognito-states created and deletes what is "
        "still there. It touches nothing it did not create.",
    )
    p.add_argument("--ledger", type=Path, help="ledger file (default: the user state folder)")
    p.add_argument("--profile", help="AWS profile for entries on real pools")
    p.add_argument("--yes", action="store_true", help="do not ask before deleting on AWS")
    p.set_defaults(func=_cmd_cleanup)


def _cmd_cleanup(args: argparse.Namespace) -> int:
    from cognito_states.cleanup import cleanup
    from cognito_states.ledger import Ledger

    report = cleanup(Ledger(args.ledger), profile=args.profile, confirm=_confirm(args.yes))
    for line in report.lines():
        print(line)
    return int(ExitCode.BACKEND_ERROR if report.failed else ExitCode.OK)


# ---------------------------------------------------------------- main


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is bad input: exit code 4, one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(int(ExitCode.BAD_INPUT), f"{self.prog}: {message}; see --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Amazon Cognito user-account statuses, as a model you can run: "
        "replay scenarios on moto or the model and see every transition.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_run(sub)
    _add_model(sub)
    _add_list(sub)
    _add_explore(sub)
    _add_path(sub)
    _add_diff(sub)
    _add_graph(sub)
    _add_sources(sub)
    _add_gaps(sub)
    _add_pool(sub)
    _add_cleanup(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cognito-states")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return int(ExitCode.OK)
    from cognito_states.config import cli_name
    from cognito_states.errors import CognitoStatesError

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        code: int = args.func(args)
    except CognitoStatesError as exc:  # each carries its exit code
        return _fail(exc.render(cli_name), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted; what was created has been removed", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # one line, never a traceback (set COGNITO_STATES_DEBUG=1)
        if os.environ.get("COGNITO_STATES_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc}", ExitCode.BACKEND_ERROR)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return code


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM ends a run like Ctrl-C: clean up, then exit 2."""
    raise KeyboardInterrupt


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()

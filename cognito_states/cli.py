"""The command line: thin argparse over the library. One ``_add_<cmd>``/``_cmd_<cmd>``
pair per sub-command; heavy modules (boto3, moto, rich, transitions) load only inside
the command that needs them, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cognito_states.statuses import ExitCode

PROG = "cognito-states"


def _fail(message: str, code: ExitCode) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return int(code)


def _load(paths: Sequence[str]) -> list[object]:
    from cognito_states.scenario import load_scenarios, shipped_scenarios_path

    chosen = [Path(p) for p in paths] or [shipped_scenarios_path()]
    return list(load_scenarios(chosen))


# ---------------------------------------------------------------- run


def _add_run(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="replay scenarios on a backend and compare with the model",
        description="Replay scenario files (default: the shipped ones) on a backend. "
        "Exit codes: 0 passed, 1 mismatch, 2 interrupted, 3 backend error, 4 bad input, "
        "5 no scenario found.",
    )
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: shipped)")
    p.add_argument(
        "--backend",
        default="moto",
        choices=["moto", "model"],
        help="moto: in-process mock (default); model: the model itself",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument(
        "--strict",
        action="store_true",
        help="known gaps and unsupported steps fail too",
    )
    p.set_defaults(func=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from cognito_states import render
    from cognito_states.backends import BackendError, make_backend
    from cognito_states.runner import Runner, ScenarioResult
    from cognito_states.scenario import Scenario

    scenarios = [s for s in _load(args.paths) if isinstance(s, Scenario)]
    if not scenarios:
        where = " ".join(args.paths) or "the shipped scenarios"
        return _fail(
            f"no scenario found in {where}; a file must define Scenario(...)",
            ExitCode.NO_SCENARIO,
        )
    console = render.make_console()
    backend = make_backend(args.backend)

    def show(result: ScenarioResult) -> None:
        if not args.json:
            render.print_scenario(console, result, backend.name)

    try:
        backend.open()
    except BackendError as exc:
        return _fail(f"backend {args.backend} did not start: {exc}", ExitCode.BACKEND_ERROR)
    try:
        result = Runner(backend, strict=args.strict).run(scenarios, on_scenario=show)
    finally:
        backend.close()
    if args.json:
        print(render.run_json(result))
    else:
        console.print(render.summary_line(result))
    return int(result.exit_code)


# ---------------------------------------------------------------- model


def _add_model(sub: Any) -> None:
    p = sub.add_parser(
        "model",
        help="print the model's transition table, rules or diagram",
        description="What real Cognito does with each operation in each status, with "
        "each rule's confidence and source.",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="transitions and rules as JSON")
    out.add_argument("--mermaid", action="store_true", help="a Mermaid stateDiagram-v2")
    p.add_argument(
        "--state",
        metavar="STATUS",
        help="only what each operation does from this status (e.g. RESET_REQUIRED, NO_USER)",
    )
    p.set_defaults(func=_cmd_model)


def _cmd_model(args: argparse.Namespace) -> int:
    import difflib

    from cognito_states import render
    from cognito_states.scenario import Pool
    from cognito_states.statuses import MODEL_STATES, Status

    if args.mermaid:
        print(render.model_mermaid())
        return int(ExitCode.OK)
    status = args.state
    if status is not None:
        valid = [s for s in MODEL_STATES if s != Status.EXTERNAL_PROVIDER]
        if status not in valid:
            close = difflib.get_close_matches(status.upper(), valid, n=1)
            hint = f"; did you mean {close[0]}?" if close else f" (valid: {', '.join(valid)})"
            return _fail(f"--state {status!r} is not a status{hint}", ExitCode.BAD_INPUT)
    pool = Pool()
    rows = render.transition_rows(pool, status)
    if args.json:
        print(render.model_json(pool, rows))
    else:
        render.make_console().print(render.transition_table(rows))
    return int(ExitCode.OK)


# ---------------------------------------------------------------- list


def _add_list(sub: Any) -> None:
    p = sub.add_parser("list", help="list scenarios and their step counts")
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: shipped)")
    p.set_defaults(func=_cmd_list)


def _cmd_list(args: argparse.Namespace) -> int:
    from cognito_states import render
    from cognito_states.scenario import Scenario

    scenarios = [s for s in _load(args.paths) if isinstance(s, Scenario)]
    if not scenarios:
        return _fail("no scenario found; a file must define Scenario(...)", ExitCode.NO_SCENARIO)
    render.make_console().print(render.scenario_list_table(scenarios))
    return int(ExitCode.OK)


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
    from cognito_states.scenario import ScenarioError

    try:
        code: int = args.func(args)
    except ScenarioError as exc:
        return _fail(str(exc), ExitCode.BAD_INPUT)
    except KeyboardInterrupt:
        return _fail("interrupted", ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # one line, never a traceback (set COGNITO_STATES_DEBUG=1)
        if os.environ.get("COGNITO_STATES_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc}", ExitCode.BACKEND_ERROR)
    return code


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()

"""``cognito-states --help`` stays light: it imports neither boto3 nor moto.

Times, in fresh interpreters started alternately, ::

    python -c pass
    python -c 'from cognito_states.cli import main; main(["--help"])'

prints the medians and the difference (the cost of the CLI's imports and argparse),
then checks in one more fresh interpreter which heavy packages ``--help`` (and each
sub-command's ``--help``) left in ``sys.modules``. Exits 1 if boto3 or moto (or
botocore, which boto3 would pull in) were imported.

    .venv/bin/python benchmarks/bench_help.py [--reps 21] [--importtime]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

HELP = 'from cognito_states.cli import main; main(["--help"])'
EMPTY = "pass"
# Must never be imported by --help (the issue: "imports neither boto3 nor moto").
FORBIDDEN = ("boto3", "botocore", "moto")
# Reported only: the CLI's docstring promises these load inside commands too.
WATCHED = ("rich", "transitions", "packaging", "cryptography", "jose", "pycognito")

_PROBE = """
import json, sys
from cognito_states.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
heavy = {names!r}
print(json.dumps(sorted(n for n in heavy if n in sys.modules)), file=sys.stderr)
"""


def run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def loaded(argv: list[str]) -> list[str]:
    """Which watched top-level packages are in sys.modules after ``main(argv)``."""
    code = _PROBE.format(argv=argv, names=FORBIDDEN + WATCHED)
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "null"
    found = json.loads(last)
    if not isinstance(found, list):
        raise SystemExit(f"probe of {argv} failed: {done.stderr.strip()}")
    return [str(x) for x in found]


def importtime(top: int = 12) -> list[tuple[int, int, str]]:
    """The slowest imports of ``--help`` (depth <= 2) by cumulative us (-X importtime)."""
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", HELP],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line[12:].split("|", 2)
        rows.append((int(cum_us), int(self_us), name.removeprefix(" ").rstrip()))
    # Imports of depth <= 2 (nesting is two spaces per level), as -X importtime shows them.
    shallow = [r for r in rows if len(r[2]) - len(r[2].lstrip(" ")) <= 4]
    return sorted(shallow, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=21, help="runs of each command")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports")
    args = parser.parse_args(argv)

    run(EMPTY)
    run(HELP)  # warm the page cache and __pycache__
    empty: list[float] = []
    help_: list[float] = []
    for _ in range(args.reps):
        empty.append(run(EMPTY))
        help_.append(run(HELP))
    e, h = statistics.median(empty), statistics.median(help_)

    probes = {" ".join(a): loaded(a) for a in (["--help"], ["run", "--help"], ["model", "--help"])}
    bad = {cmd: [m for m in mods if m in FORBIDDEN] for cmd, mods in probes.items()}
    bad = {cmd: mods for cmd, mods in bad.items() if mods}

    print(f"startup, {args.reps} alternating fresh interpreters each ({PYTHON})")
    print(f"  {'command':58} {'median':>8} {'min':>8} {'max':>8}")
    for label, xs in (("python -c pass", empty), (f"python -c '{HELP}'", help_)):
        print(
            f"  {label:58} {statistics.median(xs) * 1e3:6.1f}ms"
            f" {min(xs) * 1e3:6.1f}ms {max(xs) * 1e3:6.1f}ms"
        )
    print(f"  --help costs {(h - e) * 1e3:.1f}ms over an empty interpreter ({h / e:.2f}x)")
    print("\nheavy packages in sys.modules after main(argv):")
    for cmd, mods in probes.items():
        print(f"  {cmd:16} {', '.join(mods) or 'none'}")
    print(
        "  boto3/botocore/moto: "
        + ("NONE imported (ok)" if not bad else f"IMPORTED by {sorted(bad)} (FAIL)")
    )
    slow = importtime() if args.importtime else []
    if slow:
        print("\nslowest top-level imports of --help (-X importtime, cumulative):")
        for cum, self_us, name in slow:
            depth = (len(name) - len(name.lstrip(" "))) // 2
            print(
                f"  {name.strip():36} depth {depth}"
                f" {cum / 1e3:7.1f}ms cum {self_us / 1e3:7.1f}ms self"
            )
    report = {
        "benchmark": "help_startup",
        "reps": args.reps,
        "empty_ms_median": round(e * 1e3, 2),
        "help_ms_median": round(h * 1e3, 2),
        "help_extra_ms": round((h - e) * 1e3, 2),
        "loaded": probes,
        "forbidden_imported": bad,
        "ok": not bad,
    }
    if slow:
        report["slowest_imports_ms"] = {name.strip(): round(cum / 1e3, 2) for cum, _s, name in slow}
    print("\n" + json.dumps(report, sort_keys=True))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())

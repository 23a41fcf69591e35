"""A full `explore` on in-process moto: pairs, calls per pair and time, against the
arithmetic floor measured in the same run (pairs x calls a pair x cost of one call).

The issue's goal is every reachable pair in under 10 s on this 2-core machine. The
floor says whether the calls alone allow it; the ratio says how close explore gets.

    .venv/bin/python benchmarks/bench_explore.py [--workers 2] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cognito_states.backends.moto import MotoBackend  # noqa: E402
from cognito_states.explore import explore  # noqa: E402
from cognito_states.scenario import Pool, step  # noqa: E402

GOAL_SECONDS = 10.0


def cost_of_one_call(backend: MotoBackend, n: int = 300) -> float:
    """Median seconds of the calls explore makes most (create, observe, delete)."""
    samples = []
    for _ in range(n // 3):
        user = backend.user(Pool(), "bench")
        t0 = time.perf_counter()
        outcome = user.act(step.admin_create_user())
        t1 = time.perf_counter()
        user.observe(outcome)
        t2 = time.perf_counter()
        user.close()
        t3 = time.perf_counter()
        samples += [t1 - t0, t2 - t1, t3 - t2]
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="processes (2 cores here)")
    parser.add_argument("--limit", type=int, help="only the first N pairs (a quick look)")
    args = parser.parse_args(argv)

    backend = MotoBackend()
    backend.open()
    call = cost_of_one_call(backend)
    result = explore(backend, Pool(), workers=args.workers, limit=args.limit)
    backend.close()

    pairs = len(result.pairs)
    calls = result.calls
    per_pair = calls / pairs
    floor = calls * call / max(args.workers, 1)
    report = {
        "pairs": pairs,
        "calls": calls,
        "calls_per_pair": round(per_pair, 2),
        "seconds": round(result.seconds, 2),
        "one_call_ms": round(call * 1000, 3),
        "floor_seconds": round(floor, 2),
        "explore_over_floor": round(result.seconds / floor, 2),
        "workers": args.workers,
        "goal_seconds": GOAL_SECONDS,
        "counts": result.counts(),
    }
    print(f"pairs               {pairs}")
    print(f"calls               {calls} ({per_pair:.2f} a pair: path + 3, plus the delete)")
    print(f"one call            {call * 1000:.3f} ms (median, in-process moto, this run)")
    print(
        f"floor               {floor:.1f} s = {calls} calls x {call * 1000:.3f} ms"
        f" / {args.workers} workers"
    )
    print(f"explore             {result.seconds:.1f} s ({result.seconds / floor:.2f}x the floor)")
    verdict = "met" if result.seconds <= GOAL_SECONDS else "missed"
    print(f"goal                {GOAL_SECONDS:.0f} s: {verdict}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

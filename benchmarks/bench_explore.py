"""A full `explore` on in-process moto: pairs, calls per pair and time, against the
arithmetic floor measured in the same run (calls x cost of one raw boto3+moto call /
workers).

The issue's targets on `Pool()` (its pair count is printed: it grows with the model):
at most 3.5 calls a pair and at most 45 s with 2 workers on a 2-core machine. The floor
says what the calls alone cost; the ratio how close explore gets to it. `--isolated`
measures the one-user-per-pair strategy (what explore did before covering walks).

    .venv/bin/python benchmarks/bench_explore.py [--workers 2] [--limit N] [--isolated]
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
from cognito_states.explore import count_pairs, explore  # noqa: E402
from cognito_states.scenario import Pool  # noqa: E402

TARGET_CALLS_PER_PAIR = 3.5
TARGET_SECONDS = 45.0


def cost_of_one_call(backend: MotoBackend, rounds: int = 60) -> float:
    """Median seconds of one raw boto3 call on in-process moto (no driver of ours): the
    calls a walk makes most (create, set a password, sign in, read, delete)."""
    user = backend.user(Pool(), "bench")  # makes the pool
    client, pool_id = user.settings.client, user.settings.pool_id
    client_id = user.settings.client_id
    samples = []
    for n in range(rounds):
        name = f"bench-{n}"
        auth = {"USERNAME": name, "PASSWORD": "Perm-pass-1234"}
        calls = [
            ("admin_create_user", {"Username": name, "TemporaryPassword": "Tmp-pass-1234"}),
            (
                "admin_set_user_password",
                {"Username": name, "Password": "Perm-pass-1234", "Permanent": True},
            ),
            (
                "admin_initiate_auth",
                {
                    "ClientId": client_id,
                    "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                    "AuthParameters": auth,
                },
            ),
            ("admin_get_user", {"Username": name}),
            ("admin_delete_user", {"Username": name}),
        ]
        for method, kwargs in calls:
            started = time.perf_counter()
            getattr(client, method)(UserPoolId=pool_id, **kwargs)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="processes (2 cores here)")
    parser.add_argument("--limit", type=int, help="only the first N pairs (a quick look)")
    parser.add_argument("--isolated", action="store_true", help="one fresh user per pair")
    args = parser.parse_args(argv)

    backend = MotoBackend()
    backend.open()
    call = cost_of_one_call(backend)
    result = explore(
        backend, Pool(), workers=args.workers, limit=args.limit, isolated=args.isolated
    )
    backend.close()

    pairs = len(result.pairs)
    calls = result.calls
    per_pair = calls / pairs
    floor = calls * call / max(args.workers, 1)
    report = {
        "strategy": result.strategy,
        "pairs_of_the_day": count_pairs(Pool()),
        "pairs": pairs,
        "calls": calls,
        "calls_per_pair": round(per_pair, 2),
        "reads": result.reads,
        "verification_calls": result.verification_calls,
        "users": result.users,
        "seconds": round(result.seconds, 2),
        "one_call_ms": round(call * 1000, 3),
        "floor_seconds": round(floor, 2),
        "explore_over_floor": round(result.seconds / floor, 2),
        "workers": args.workers,
        "counts": result.counts(),
    }
    print(f"strategy            {result.strategy}")
    print(f"pairs               {pairs} (Pool() has {report['pairs_of_the_day']} today)")
    print(
        f"calls               {calls} ({per_pair:.2f} a pair; target {TARGET_CALLS_PER_PAIR}),"
        f" {result.reads} reads of moto's record, {result.users} users"
    )
    print(f"fresh-user checks   {result.verification_calls} calls (not counted above)")
    print(f"one call            {call * 1000:.3f} ms (median raw boto3+moto call, this run)")
    print(
        f"floor               {floor:.1f} s = {calls} calls x {call * 1000:.3f} ms"
        f" / {args.workers} workers"
    )
    print(f"explore             {result.seconds:.1f} s ({result.seconds / floor:.2f}x the floor)")
    met = per_pair <= TARGET_CALLS_PER_PAIR and result.seconds <= TARGET_SECONDS
    print(
        f"targets             {TARGET_CALLS_PER_PAIR} calls a pair, {TARGET_SECONDS:.0f} s:"
        f" {'met' if met else 'missed'}"
    )
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

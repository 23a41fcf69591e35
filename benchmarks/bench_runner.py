"""Runner overhead: one long scenario through ``Runner`` versus a plain boto3 script.

Both sides run in this process on in-process moto and do the same work on the wire:

* runner:   ``MotoBackend().open()`` (mock_aws started, one boto3 client), ``Runner``
            replays the scenario (the pool and app client are created on the first user,
            every step is predicted, acted, observed with AdminGetUser and judged, the
            user is deleted at the end), ``backend.close()`` stops the mock; the result
            is rendered with ``render.print_scenario`` (over 50 steps, ``long_lines``:
            one line a step) and the summary line into a rich Console writing to an
            ``io.StringIO`` that is thrown away.
* baseline: ``mock_aws()`` started, one boto3 client with the same Config, the same
            pool and app client (``backends.boto.create_pool``), the same API calls in
            the same order with the same parameters (passwords made up once, up front),
            one AdminGetUser after every step, AdminDeleteUser at the end, mock stopped.
            No model, no judging, no rendering.

Repetitions are interleaved (runner, baseline, runner, baseline, ...) after one warm-up
of each. The goal (from the issue) is runner/baseline <= 1.10 on the medians. When the
goal is missed, the runner and the baseline are profiled with cProfile and the extra
self time is shown by package, with the runner's top functions.

    .venv/bin/python benchmarks/bench_runner.py [--reps 11] [--cycles 17] [--profile]
                                                 [--no-profile] [--check]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto import mock_aws  # noqa: E402

from cognito_states import Pool, Scenario, render, step  # noqa: E402
from cognito_states.backends.boto import create_pool, new_password  # noqa: E402
from cognito_states.backends.moto import MotoBackend  # noqa: E402
from cognito_states.operations import Op  # noqa: E402
from cognito_states.runner import Runner, RunResult  # noqa: E402
from cognito_states.statuses import NA, OK, TOKENS  # noqa: E402

GOAL = 1.10
REGION = "us-east-1"
RENDER_WIDTH = 120
USERNAME = "bench-user"
EMAIL = f"{USERNAME}@example.com"

# --------------------------------------------------------------------------- scenario

# One cycle: every operation here is implemented by moto and leaves the user CONFIRMED,
# enabled, with a known password, so the cycle can repeat.
CYCLE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("admin_initiate_auth", {}),  # tokens
    ("get_user", {}),  # ok
    ("admin_user_global_sign_out", {}),  # ok; tokens revoked
    ("get_user", {}),  # error:NotAuthorizedException (revoked token)
    ("admin_initiate_auth", {}),  # tokens again
    ("admin_disable_user", {}),  # ok; enabled=False
    ("admin_initiate_auth", {}),  # error:NotAuthorizedException
    ("admin_enable_user", {}),  # ok
    ("admin_update_user_attributes", {"email_verified": True}),  # ok
    ("admin_reset_user_password", {}),  # RESET_REQUIRED
    ("admin_initiate_auth", {}),  # moto: a challenge (known gap); Cognito: an error
    ("admin_set_user_password", {"permanent": True}),  # CONFIRMED again
)


def build_scenario(cycles: int) -> Scenario:
    steps = [step.admin_create_user(), step.admin_set_user_password(permanent=True)]
    for _ in range(cycles):
        steps.extend(getattr(step, name)(**kw) for name, kw in CYCLE)
    return Scenario("benchmark: long admin cycle", pool=Pool(), steps=tuple(steps))


# --------------------------------------------------------------------------- the two sides


def run_runner(scenario: Scenario, show: bool = True) -> tuple[RunResult, str]:
    """What ``cognito-states run`` does for one scenario, output discarded.

    ``show=False`` skips rendering (only for the breakdown, never for the ratio).
    """
    backend = MotoBackend(REGION)
    sink = io.StringIO()
    console = render.make_console(file=sink, width=RENDER_WIDTH)
    backend.open()
    try:
        result = Runner(backend).run(
            [scenario],
            on_scenario=(lambda r: render.print_scenario(console, r, backend.name))
            if show
            else None,
        )
    finally:
        backend.close()
    if show:
        console.print(render.summary_line(result))
    return result, sink.getvalue()


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return f"error:{response.get('Error', {}).get('Code')}"
    return "error:InternalError"  # in-process moto crashed (the runner says the same)


class _Script:
    """The plain boto3 script's state for one run: the client, ids, password, token."""

    def __init__(self, client: Any, pool_id: str, client_id: str, passwords: list[str]):
        self.client, self.pool_id, self.client_id = client, pool_id, client_id
        self.passwords = iter(passwords)
        self.password: str | None = None
        self.access_token: str | None = None

    def admin_create_user(self, kw: dict[str, Any]) -> str:
        self.password = next(self.passwords)
        self.client.admin_create_user(
            UserPoolId=self.pool_id,
            Username=USERNAME,
            UserAttributes=[{"Name": "email", "Value": EMAIL}],
            TemporaryPassword=self.password,
        )
        return OK

    def admin_set_user_password(self, kw: dict[str, Any]) -> str:
        new = next(self.passwords)
        self.client.admin_set_user_password(
            UserPoolId=self.pool_id, Username=USERNAME, Password=new, Permanent=kw["permanent"]
        )
        self.password = new
        return OK

    def admin_initiate_auth(self, kw: dict[str, Any]) -> str:
        response = self.client.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": USERNAME, "PASSWORD": self.password},
        )
        tokens = response.get("AuthenticationResult")
        if tokens:
            self.access_token = tokens.get("AccessToken", self.access_token)
            return TOKENS
        return f"challenge:{response.get('ChallengeName', '')}"

    def get_user(self, kw: dict[str, Any]) -> str:
        if self.access_token is None:
            return NA
        self.client.get_user(AccessToken=self.access_token)
        return OK

    def admin_update_user_attributes(self, kw: dict[str, Any]) -> str:
        value = str(kw["email_verified"]).lower()
        self.client.admin_update_user_attributes(
            UserPoolId=self.pool_id,
            Username=USERNAME,
            UserAttributes=[{"Name": "email_verified", "Value": value}],
        )
        return OK

    def admin_call(self, op: Op) -> Callable[[dict[str, Any]], str]:
        """AdminUserGlobalSignOut, AdminDisableUser, ...: pool id and username only."""
        method = getattr(self.client, str(op))

        def call(kw: dict[str, Any]) -> str:
            method(UserPoolId=self.pool_id, Username=USERNAME)
            return OK

        return call


_ADMIN_ONLY = (
    Op.admin_user_global_sign_out,
    Op.admin_disable_user,
    Op.admin_enable_user,
    Op.admin_reset_user_password,
)


def make_baseline(scenario: Scenario) -> Callable[[], list[tuple[Any, ...]]]:
    """A plain boto3 script making the runner's calls; returns a function that runs it.

    Passwords are made up here, once; the script only replays the calls.
    """
    ops = [(s.op, s.kwargs) for s in scenario.steps]
    n_passwords = 1 + sum(op is Op.admin_set_user_password for op, _ in ops)
    passwords = [new_password() for _ in range(n_passwords)]
    config = Config(retries={"max_attempts": 1, "mode": "standard"})

    def script() -> list[tuple[Any, ...]]:
        mock = mock_aws()
        mock.start()
        try:
            client = boto3.client("cognito-idp", region_name=REGION, config=config)
            settings = create_pool(client, scenario.pool, "bench-1")
            pool_id = settings.pool_id
            me = _Script(client, pool_id, settings.client_id, passwords)
            calls = [
                (me.admin_call(op) if op in _ADMIN_ONLY else getattr(me, str(op)), kw)
                for op, kw in ops
            ]
            seen: list[tuple[Any, ...]] = []
            for call, kw in calls:
                try:
                    outcome = call(kw)
                except Exception as exc:
                    outcome = _code(exc)
                user = client.admin_get_user(UserPoolId=pool_id, Username=USERNAME)
                seen.append((outcome, user["UserStatus"], user["Enabled"]))
            client.admin_delete_user(UserPoolId=pool_id, Username=USERNAME)
            return seen
        finally:
            mock.stop()

    return script


# --------------------------------------------------------------------------- measuring


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall time and this process's CPU time of one call, in seconds."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def summary(samples: list[float]) -> dict[str, float]:
    deciles = statistics.quantiles(samples, n=10, method="inclusive")
    return {
        "median": statistics.median(samples),
        "p10": deciles[0],
        "p90": deciles[-1],
        "min": min(samples),
        "max": max(samples),
    }


def check_same_work(result: RunResult, seen: list[tuple[Any, ...]]) -> int:
    """Both sides must have seen the same outcomes and statuses; returns the step count."""
    (only,) = result.scenarios
    if only.error:
        raise SystemExit(f"the runner stopped: {only.error}")
    ours = [
        (s.observed["outcome"], s.observed["status"], s.observed["enabled"]) for s in only.steps
    ]
    if ours != seen:
        for i, (a, b) in enumerate(zip(ours, seen, strict=False), start=1):
            if a != b:
                raise SystemExit(f"runner and baseline differ at step {i}: {a} != {b}")
        raise SystemExit(f"runner ran {len(ours)} steps, baseline {len(seen)}")
    return len(ours)


# --------------------------------------------------------------------------- profiling

_BUCKETS = (
    ("cognito_states/render", "cognito_states.render"),
    ("cognito_states/runner", "cognito_states.runner"),
    ("cognito_states/model", "cognito_states.model"),
    ("cognito_states/rules", "cognito_states.rules"),
    ("cognito_states/gaps", "cognito_states.gaps"),
    ("cognito_states/backends", "cognito_states.backends"),
    ("cognito_states/scenario", "cognito_states.scenario"),
    ("cognito_states/", "cognito_states (other)"),
    ("site-packages/transitions/", "transitions"),
    ("site-packages/rich/", "rich"),
    ("site-packages/packaging/", "packaging"),
    ("site-packages/moto/", "moto"),
    ("site-packages/botocore/", "botocore"),
    ("site-packages/boto3/", "boto3"),
    ("site-packages/", "site-packages (other)"),
)


def _bucket(filename: str) -> str:
    name = filename.replace("\\", "/")
    for needle, label in _BUCKETS:
        if needle in name:
            return label
    if name.startswith(("~", "<")):
        return "builtins"
    return "stdlib"


def profile(fn: Callable[[], Any], reps: int) -> pstats.Stats:
    prof = cProfile.Profile()
    for _ in range(reps):
        gc.collect()
        prof.enable()
        fn()
        prof.disable()
    return pstats.Stats(prof)


def by_bucket(stats: pstats.Stats, reps: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for (filename, _line, _func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = _bucket(filename)
        out[key] = out.get(key, 0.0) + tt / reps
    return out


def _where(key: tuple[str, int, str]) -> str:
    filename, line, func = key
    short = filename.replace("\\", "/")
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in short:
            short = short.split(marker, 1)[1]
    return f"{short}:{line}({func})"


def report_profile(scenario: Scenario, baseline: Callable[[], Any], reps: int) -> dict[str, Any]:
    runner_stats = profile(lambda: run_runner(scenario), reps)
    base_stats = profile(baseline, reps)
    a, b = by_bucket(runner_stats, reps), by_bucket(base_stats, reps)
    rows = sorted(set(a) | set(b), key=lambda k: a.get(k, 0) - b.get(k, 0), reverse=True)
    total_a, total_b = sum(a.values()), sum(b.values())
    print(f"\nProfile (cProfile, {reps} runs each, self time per run in ms; cProfile inflates")
    print("call-heavy code, so read the shares, not the absolute numbers)")
    print(f"  {'package':28} {'runner':>9} {'baseline':>9} {'extra':>9}")
    for key in rows:
        print(
            f"  {key:28} {a.get(key, 0) * 1e3:9.1f} {b.get(key, 0) * 1e3:9.1f}"
            f" {(a.get(key, 0) - b.get(key, 0)) * 1e3:+9.1f}"
        )
    print(
        f"  {'total':28} {total_a * 1e3:9.1f} {total_b * 1e3:9.1f}"
        f" {(total_a - total_b) * 1e3:+9.1f}"
    )

    # Cumulative time of the runner's own entry points, per run.
    raw = runner_stats.stats  # type: ignore[attr-defined]
    print("\n  runner entry points (cumulative ms per run):")
    wanted = (
        ("cognito_states/render.py", "print_scenario"),
        ("cognito_states/render.py", "long_lines"),
        ("rich/console.py", "print"),
        ("cognito_states/runner.py", "_judge"),
        ("cognito_states/model.py", "predict"),
        ("cognito_states/model.py", "reconcile"),
        ("cognito_states/model.py", "__init__"),
        ("cognito_states/backends/boto.py", "act"),
        ("cognito_states/backends/boto.py", "observe"),
        ("cognito_states/backends/moto.py", "open"),
        ("cognito_states/backends/moto.py", "versions"),
        ("cognito_states/runner.py", "run_one"),
        ("cognito_states/gaps/__init__.py", "find_gap"),
    )
    entry: dict[str, float] = {}
    for (filename, line, func), (_cc, nc, _tt, ct, _callers) in raw.items():
        name = filename.replace("\\", "/")
        for suffix, fname in wanted:
            if name.endswith(suffix) and func == fname:
                label = _where((filename, line, func))
                entry[label] = ct / reps
                print(f"    {label:60} {ct / reps * 1e3:8.1f}  ({nc // reps} calls)")
    print("\n  runner: top 25 functions by self time (ms per run):")
    top = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:25]
    for key, (_cc, nc, tt, ct, _callers) in top:
        print(
            f"    {_where(key):70} {tt / reps * 1e3:7.2f} self"
            f" {ct / reps * 1e3:8.2f} cum  {nc // reps:>7} calls"
        )
    return {
        "self_ms_by_package": {
            k: {"runner": round(a.get(k, 0) * 1e3, 2), "baseline": round(b.get(k, 0) * 1e3, 2)}
            for k in rows
        },
        "entry_points_cum_ms": {k: round(v * 1e3, 2) for k, v in entry.items()},
    }


def component_times(scenario: Scenario, result: RunResult, reps: int = 5) -> dict[str, float]:
    """The runner's own pieces timed alone, without the profiler (median ms)."""
    from cognito_states.model import CognitoModel

    (only,) = result.scenarios

    def model_build() -> None:
        CognitoModel(scenario.pool)

    model = CognitoModel(scenario.pool)
    befores = [s.before for s in only.steps]

    def predictions() -> None:
        for before, s in zip(befores, scenario.steps, strict=False):
            model.predict(before, s)

    def render_only() -> None:
        console = render.make_console(file=io.StringIO(), width=RENDER_WIDTH)
        render.print_scenario(console, only, "moto")

    def backend_open_close() -> None:
        backend = MotoBackend(REGION)
        backend.open()
        backend.close()

    out = {}
    for name, fn in (
        ("CognitoModel(pool)", model_build),
        (f"model.predict x{len(befores)}", predictions),
        ("render.print_scenario", render_only),
        ("MotoBackend open+close", backend_open_close),
    ):
        fn()
        out[name] = statistics.median(timed(fn)[0] for _ in range(reps)) * 1e3
    return out


def no_render_ratio(scenario: Scenario, baseline: Callable[[], Any], reps: int) -> dict[str, float]:
    """Runner with rendering skipped versus the baseline, interleaved (breakdown only)."""
    quiet: list[float] = []
    base: list[float] = []
    for _ in range(reps):
        quiet.append(timed(lambda: run_runner(scenario, show=False))[0])
        base.append(timed(baseline)[0])
    q, b = statistics.median(quiet), statistics.median(base)
    return {"runner_no_render_ms": q * 1e3, "baseline_ms": b * 1e3, "ratio": q / b}


# --------------------------------------------------------------------------- main


def measure(scenario: Scenario, baseline: Callable[[], Any], reps: int) -> dict[str, Any]:
    """Interleaved runs: runner, baseline, runner, baseline, ..."""
    samples: dict[str, list[float]] = {
        side: [] for side in ("runner", "baseline", "runner_cpu", "baseline_cpu")
    }
    for _ in range(reps):
        for side, fn in (("runner", lambda: run_runner(scenario)), ("baseline", baseline)):
            wall, cpu = timed(fn)
            samples[side].append(wall)
            samples[f"{side}_cpu"].append(cpu)
    r, b = summary(samples["runner"]), summary(samples["baseline"])
    pairs = zip(samples["runner"], samples["baseline"], strict=True)
    cpu_r = statistics.median(samples["runner_cpu"])
    cpu_b = statistics.median(samples["baseline_cpu"])
    return {
        "runner_ms": {k: round(v * 1e3, 2) for k, v in r.items()},
        "baseline_ms": {k: round(v * 1e3, 2) for k, v in b.items()},
        "ratio": round(r["median"] / b["median"], 4),
        "paired_ratio_median": round(statistics.median(x / y for x, y in pairs), 4),
        "min_ratio": round(r["min"] / b["min"], 4),
        "runner_cpu_ms_median": round(cpu_r * 1e3, 2),
        "baseline_cpu_ms_median": round(cpu_b * 1e3, 2),
        "cpu_ratio": round(cpu_r / cpu_b, 4),
        "runner_samples_ms": [round(x * 1e3, 2) for x in samples["runner"]],
        "baseline_samples_ms": [round(x * 1e3, 2) for x in samples["baseline"]],
    }


def print_report(report: dict[str, Any], result: RunResult, rendered: str) -> None:
    n = report["steps"]
    counts = result.counts()
    print(
        f"cognito-states runner vs plain boto3, in-process moto, {n} steps,"
        f" {report['reps']} interleaved runs each (after 1 warm-up each)"
    )
    print(
        f"verdicts of the runner: {', '.join(f'{c} {k}' for k, c in counts.items() if c)};"
        f" rendered {len(rendered.splitlines())} lines (discarded)"
    )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    print(f"  {'side':10} {'median':>9} {'p10':>9} {'p90':>9} {'min':>9} {'max':>9}  per step")
    for side in ("runner", "baseline"):
        s = report[f"{side}_ms"]
        print(
            f"  {side:10} {s['median']:7.1f}ms {s['p10']:7.1f}ms {s['p90']:7.1f}ms"
            f" {s['min']:7.1f}ms {s['max']:7.1f}ms  {s['median'] / n * 1e3:6.0f}us"
        )
    verdict = "met" if report["goal_met"] else "MISSED"
    print(
        f"\n  ratio runner/baseline (medians): {report['ratio']:.3f}   goal <= {GOAL:.2f}:"
        f" {verdict}\n  (median of paired ratios {report['paired_ratio_median']:.3f},"
        f" ratio of minimums {report['min_ratio']:.3f})"
    )
    print(
        f"  CPU time medians: runner {report['runner_cpu_ms_median']:.1f}ms, baseline"
        f" {report['baseline_cpu_ms_median']:.1f}ms, ratio {report['cpu_ratio']:.3f}"
        " (less sensitive to other load on the machine)"
    )


def explain(scenario: Scenario, baseline: Callable[[], Any], result: RunResult) -> dict[str, Any]:
    """Where the runner's extra time goes: pieces alone, no-render ratio, cProfile."""
    comps = component_times(scenario, result)
    print("\nRunner pieces timed alone (median ms, no profiler):")
    for name, ms in comps.items():
        print(f"  {name:28} {ms:8.1f}")
    quiet = no_render_ratio(scenario, baseline, reps=7)
    print(
        "\nRunner with rendering skipped vs baseline (7 interleaved runs each, medians):"
        f" {quiet['runner_no_render_ms']:.1f}ms vs {quiet['baseline_ms']:.1f}ms,"
        f" ratio {quiet['ratio']:.3f}"
    )
    return {
        "components_ms": {k: round(v, 2) for k, v in comps.items()},
        "no_render": {k: round(v, 4) for k, v in quiet.items()},
        "profile": report_profile(scenario, baseline, reps=3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=11, help="measured runs of each side (>= 7)")
    parser.add_argument("--cycles", type=int, default=17, help="12-step cycles (17: 206 steps)")
    parser.add_argument("--profile", action="store_true", help="profile even if the goal is met")
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)
    if args.reps < 7:
        parser.error("--reps must be at least 7")
    scenario = build_scenario(args.cycles)
    if len(scenario.steps) < 200:
        parser.error("the scenario needs at least 200 steps; raise --cycles")
    baseline = make_baseline(scenario)

    # Warm-up (imports, botocore's loaders and caches, moto's backends), and a check
    # that both sides did the same thing.
    result, rendered = run_runner(scenario)
    n_steps = check_same_work(result, baseline())

    report: dict[str, Any] = {"benchmark": "runner_vs_boto3", "steps": n_steps, "reps": args.reps}
    report |= measure(scenario, baseline, args.reps)
    report |= {"goal": GOAL, "goal_met": report["ratio"] <= GOAL}
    print_report(report, result, rendered)
    if (not report["goal_met"] or args.profile) and not args.no_profile:
        report |= explain(scenario, baseline, result)
    print("\n" + json.dumps(report, sort_keys=True))
    return 1 if (args.check and not report["goal_met"]) else 0


if __name__ == "__main__":
    sys.exit(main())

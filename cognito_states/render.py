"""Renders results for people (rich tables), machines (versioned JSON) and diagrams
(Mermaid). One place builds the Console; NO_COLOR is honoured by rich itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from cognito_states.diff import DiffResult
from cognito_states.explore import ExploreResult
from cognito_states.model import STATE_FIELDS, TableRow
from cognito_states.rules import RULES, confidence_counts
from cognito_states.runner import RunResult, ScenarioResult
from cognito_states.scenario import Pool, Scenario
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import View

VERDICT_STYLE = {
    Verdict.match: "green",
    Verdict.mismatch: "bold red",
    Verdict.known_gap: "yellow",
    Verdict.unsupported: "magenta",
    Verdict.skipped: "dim",
    Verdict.diverted: "cyan",
}


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """The one Console factory: data goes to stdout, diagnostics to stderr."""
    return Console(file=file or sys.stdout, width=width, highlight=False, soft_wrap=False)


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _outcome(view: View | Mapping[str, Any] | None) -> str:
    if view is None:
        return "—"
    data = view.as_dict() if isinstance(view, View) else view
    text = str(data.get("outcome"))
    required = data.get("required_attributes")
    if required is not None and text.startswith("challenge:"):
        text += f" {json.dumps(list(required))}"
    return text


def _shown(step: Transition, key: str) -> tuple[str, str]:
    """A field as the table writes it: (what the backend showed, what the model said)."""
    if key == "outcome":
        return _outcome(step.observed), _outcome(step.predicted)
    observed = step.observed.get(key) if step.observed else None
    predicted = step.predicted.get(key) if step.predicted else None
    return _value(observed), _value(predicted)


def _cell(step: Transition, key: str) -> Text:
    observed, predicted = _shown(step, key)
    if step.verdict is Verdict.skipped:
        return Text(f"({predicted})", "dim")  # not run: what the model expects, shown aside
    if observed == predicted:
        return Text(observed)
    style = "yellow" if step.verdict is Verdict.known_gap else "red"
    return Text.assemble((observed, style), "\n", (f"model: {predicted}", "dim"))


def _rule_source(step: Transition) -> str:
    if step.rule is None:
        return step.source or "(no rule)"
    return f"{step.rule.confidence} {step.rule.source or '(no source)'}"


def scenario_table(result: ScenarioResult, backend: str) -> Table:
    scenario = result.scenario
    table = Table(
        title=f"{scenario.name}  [dim]({_short(scenario.file)}, backend {backend})[/dim]",
        title_justify="left",
        caption="cells show what the backend did; 'model:' where the model predicted otherwise",
        caption_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("operation", overflow="fold")
    table.add_column("status")
    table.add_column("enabled")
    table.add_column("email_verified")
    table.add_column("outcome", overflow="fold")
    table.add_column("verdict")
    table.add_column("rule", overflow="fold")
    for step in result.steps:
        expected = "".join(f"\n  expect {k}={v!r}" for k, v in step.step.expected.items)
        table.add_row(
            str(step.index),
            Text.assemble(step.step.describe(), (expected, "dim")),
            _cell(step, "status"),
            _cell(step, "enabled"),
            _cell(step, "email_verified"),
            _cell(step, "outcome"),
            _verdict(step.verdict),
            _rule_source(step),
        )
    return table


def _verdict(verdict: Verdict | None) -> Text:
    if verdict is None:
        return Text("—")
    return Text(str(verdict), VERDICT_STYLE[verdict])


def _short(file: str | None) -> str:
    if not file:
        return "inline"
    parts = file.replace("\\", "/").split("/")
    return "/".join(parts[-2:])


def step_notes(result: ScenarioResult) -> list[str]:
    notes = [
        f"  step {s.index} {s.verdict}: {s.note}"
        for s in result.steps
        if s.note and s.verdict is not Verdict.match
    ]
    if result.error:
        notes.append(f"  stopped: {result.error}")
    return notes


def drift_table(result: ScenarioResult) -> Table:
    table = Table(
        title=f"{result.scenario.name}  [dim]({_short(result.scenario.file)})[/dim]: drift",
        title_justify="left",
        caption="the pool no longer has the settings this scenario was written for;"
        " no user was created",
        caption_justify="left",
    )
    for name in ("Pool keyword", "declared", "actual"):
        table.add_column(name)
    for keyword, declared, actual in result.drift:
        table.add_row(keyword, _setting(declared), Text(_setting(actual), "red"))
    return table


def _setting(value: Any) -> str:
    return ", ".join(value) or "(none)" if isinstance(value, tuple | list) else str(value)


# Above this many steps a scenario prints one line per step: a boxed rich table costs
# about a millisecond a row, as much as the API calls themselves (benchmarks/).
LONG_SCENARIO = 50
_LINE_COLUMNS = (("#", 4), ("operation", 44), ("status", 24), ("enabled", 8),
                 ("email_verified", 15), ("outcome", 36), ("verdict", 12), ("rule", 0))  # fmt: skip


def scenario_lines(result: ScenarioResult, backend: str) -> Text:
    """The step table as fixed-width lines, one per step; '≠' marks a value the model
    predicted otherwise (the notes under it say what)."""
    scenario = result.scenario
    text = Text(f"{scenario.name}  ({_short(scenario.file)}, backend {backend})\n")
    text.append("".join(name.ljust(width) for name, width in _LINE_COLUMNS) + "\n", "bold")
    for step in result.steps:
        cells = [str(step.index).rjust(3) + " ", step.step.describe()]
        for key in ("status", "enabled", "email_verified", "outcome"):
            observed, predicted = _shown(step, key)
            cells.append(observed if observed == predicted else f"≠ {observed}")
        for (_, width), cell in zip(_LINE_COLUMNS, cells, strict=False):
            text.append(cell[: width - 1].ljust(width) if width else cell)
        verdict = _verdict(step.verdict)
        verdict.pad_right(12 - len(verdict))
        text.append_text(verdict)
        text.append(_rule_source(step) + "\n", "dim")
    return text


def print_scenario(console: Console, result: ScenarioResult, backend: str) -> None:
    if result.drift:
        console.print(drift_table(result))
        console.print()
        return
    if len(result.steps) > LONG_SCENARIO:
        console.print(scenario_lines(result, backend), no_wrap=True, overflow="ellipsis")
    else:
        console.print(scenario_table(result, backend))
    for line in step_notes(result):
        console.print(Text(line))
    console.print()


def summary_line(run: RunResult) -> str:
    counts = run.counts()
    steps = sum(counts.values())
    shown = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    failed = sum(not r.passed for r in run.scenarios)
    drifted = sum(bool(r.drift) for r in run.scenarios)
    state = "interrupted" if run.interrupted else ("passed" if not failed else f"{failed} failed")
    if drifted:
        state += f", {drifted} drifted"
    return (
        f"{len(run.scenarios)} scenarios, {steps} steps on {run.backend}: {shown or 'nothing run'}"
        f" — {state} (exit {int(run.exit_code)})"
    )


def run_json(run: RunResult) -> str:
    return json.dumps(run.as_dict(), indent=2)


# ---------------------------------------------------------------- the model itself


def state_label(state: Mapping[str, Any]) -> str:
    if state["status"] is None:
        return "no such user"
    flags = [
        "enabled" if state["enabled"] else "disabled",
        "email verified" if state["email_verified"] else "email unverified",
        f"tokens {state['tokens']}",
    ]
    if state["challenge"]:
        flags.append(f"challenge {state['challenge']}")
    flags += [label for key, label in _PENDING.items() if state.get(key)]
    return f"{state['status']} ({', '.join(flags)})"


# What a state's pending-something flags read as in its label.
_PENDING = {
    "reset_code": "reset code sent",
    "pending_email": "new email pending",
    "attribute_code": "verification code sent",
}


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    changed = [f"{k}={_value(after[k])}" for k in STATE_FIELDS if before[k] != after[k]]
    return ", ".join(changed) or "unchanged"


def transition_table(table_rows: Sequence[TableRow]) -> Table:
    table = Table(title="What each operation does, per status", title_justify="left")
    for name in ("from", "operation", "outcome", "then", "confidence", "source"):
        table.add_column(name)
    previous = None
    for row in (r.as_dict() for r in table_rows):
        label = state_label(row["state"])
        table.add_row(
            label if label != previous else "",
            row["step"],
            _outcome(row),
            _changes(row["state"], row["next"]),
            row["confidence"],
            row["source"] or "—",
            end_section=False,
        )
        previous = label
    return table


def model_json(pool: Pool, rows: Sequence[TableRow]) -> str:
    return json.dumps(
        {
            "cognito_states": 1,
            "pool": pool.as_dict(),
            "transitions": [row.as_dict() for row in rows],
            "rules": [rule.as_dict() for rule in RULES],
            "confidence_counts": dict(confidence_counts()),
        },
        indent=2,
    )


def scenario_list_table(scenarios: Iterable[Scenario]) -> Table:
    table = Table(title="Scenarios", title_justify="left")
    table.add_column("name")
    table.add_column("steps", justify="right")
    table.add_column("file")
    for s in scenarios:
        table.add_row(s.name, str(len(s.steps)), f"{_short(s.file)}:{s.line}")
    return table


def pool_table(doc: Mapping[str, Any]) -> Table:
    table = Table(title=f"Pool {doc['pool_id']}, client {doc['client_id']}", title_justify="left")
    table.add_column("setting")
    table.add_column("value")
    for key, value in doc["settings"].items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        table.add_row(key, shown or "—")
    return table


# ---------------------------------------------------------------- explore and diff


def explore_summary(result: ExploreResult) -> str:
    pairs = len(result.pairs)
    per_pair = result.calls / pairs if pairs else 0.0
    counts = ", ".join(f"{n} {verdict}" for verdict, n in result.counts().items())
    state = " (interrupted)" if result.interrupted else ""
    return (
        f"{pairs} pairs on {result.backend}{state}: {counts or 'nothing run'};"
        f" {result.calls} calls ({per_pair:.1f} a pair) in {result.seconds:.1f} s"
    )


def explore_table(result: ExploreResult, pairs: Sequence[Transition]) -> Table:
    table = Table(
        title=f"Pairs where {result.backend} and the model part ways",
        title_justify="left",
    )
    for name in ("state", "operation", "predicted", "observed", "verdict", "note"):
        table.add_column(name, overflow="fold")
    for p in pairs:
        table.add_row(
            state_label(p.before.as_dict()),
            p.step.describe(),
            _view(p.predicted),
            _view(p.observed),
            _verdict(p.verdict),
            p.note,
        )
    return table


def _view(view: View | None) -> str:
    if view is None:
        return "—"
    if view.get("status") is None:
        return f"no such user · {_outcome(view)}"
    parts = [_value(view.get("status"))]
    parts.append("enabled" if view.get("enabled") else "disabled")
    parts.append("verified" if view.get("email_verified") else "unverified")
    parts.append(_outcome(view))
    return " · ".join(parts)


def diff_summary(result: DiffResult) -> str:
    verdict = "they differ" if result.differ else "no difference"
    return (
        f"{result.compared} transitions in both: {len(result.changed)} changed, {verdict};"
        f" {result.only_a} only in A, {result.only_b} only in B"
    )


def diff_table(result: DiffResult) -> Table:
    table = Table(title=f"A = {result.a}\nB = {result.b}", title_justify="left", show_lines=False)
    for name in ("state before", "operation", "A", "B", "source"):
        table.add_column(name, overflow="fold")
    for change in result.changed:
        source = " / ".join(s for s in (change.a.source, change.b.source) if s)
        table.add_row(
            state_label(change.state),
            f"{change.operation}({', '.join(f'{k}={v!r}' for k, v in change.params.items())})",
            ", ".join(f"{k}={_json(v)}" for k, v in change.values(change.a).items()),
            ", ".join(f"{k}={_json(v)}" for k, v in change.values(change.b).items()),
            source or "—",
        )
    return table


def _json(value: Any) -> str:
    return json.dumps(value) if isinstance(value, list | dict | None | bool) else str(value)


def progress(console: Console) -> Progress:
    """A progress bar on stderr (rich draws nothing animated off a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )

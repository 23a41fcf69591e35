"""Markdown reports of run, explore and diff, for a pull request or
``$GITHUB_STEP_SUMMARY``: a Mermaid diagram and the tables, with an SVG of the main
table (rich's own export) beside the Markdown file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from cognito_states import graph
from cognito_states.diff import DiffResult
from cognito_states.explore import ExploreResult
from cognito_states.runner import RunResult
from cognito_states.sources import all_sources, link
from cognito_states.statuses import Verdict
from cognito_states.transition import Transition
from cognito_states.views import View


def _cell(value: Any) -> str:
    if isinstance(value, View):
        value = value.as_dict()
    if value is None:
        return "—"
    if isinstance(value, Mapping):
        value = ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    return str(_plain(value)).replace("|", "\\|").replace("\n", " ")


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return json.dumps(list(value))
    return "—" if value is None else value


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _diagram(edges: list[graph.Edge], title: str) -> str:
    return f"```mermaid\n{graph.mermaid(edges, title)}```"  # mermaid() ends with a newline


def _svg(path: Path, tables: Iterable[RenderableType], title: str) -> Path:
    console = Console(record=True, width=160, file=io.StringIO())
    for table in tables:
        console.print(table)
    svg = path.with_suffix(".svg")
    console.save_svg(str(svg), title=title)
    return svg


def _rule(step: Transition) -> str:
    """The rule's confidence and its source ids, each a link to its page."""
    if step.rule is None:
        return step.source or "—"
    ids = [*step.rule.sources, *(i for i in (step.gap.sources if step.gap else ()))]
    shown = ", ".join(link(i) for i in dict.fromkeys(ids)) or "no source"
    return f"{step.rule.confidence} {shown}"


def _sources(steps: Iterable[Transition]) -> str:
    """A list of every source the steps cite: id (linked), then its title."""
    known = all_sources()
    ids = dict.fromkeys(i for s in steps for i in s.cited if i in known)
    lines = ["## Sources", ""]
    lines += [f"- {link(i)}: {known[i].title}" for i in ids]
    if not ids:
        lines.append("(none cited)")
    return "\n".join(lines)


def _write(path: Path, parts: Sequence[str]) -> None:
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def run_report(result: RunResult, path: Path) -> Path:
    from cognito_states import render

    steps = [step for scenario in result.scenarios for step in scenario.steps]
    svg = _svg(
        path,
        (render.scenario_view(s, result.backend) for s in result.scenarios if s.steps),
        "cognito-states run",
    )
    parts = [
        f"# cognito-states run on {result.backend}",
        render.summary_line(result),
        _diagram(graph.transition_edges(steps), f"What {result.backend} did"),
        "Edges are what the backend did; a step where it left the model is marked in its"
        " label. Expectations that were not met are not drawn: the tables show them.",
        f"![step tables]({svg.name})",
    ]
    for scenario in result.scenarios:
        parts.append(f"## {scenario.scenario.name} ({scenario.verdict})")
        if scenario.drift:
            parts.append(markdown_table(("Pool keyword", "declared", "actual"), scenario.drift))
            continue
        parts.append(
            markdown_table(
                ("#", "operation", "predicted", "observed", "verdict", "rule", "note"),
                (
                    (
                        s.index,
                        s.step.describe(),
                        s.predicted,
                        s.observed,
                        s.verdict,
                        _rule(s),
                        s.note,
                    )
                    for s in scenario.steps
                ),
            )
        )
    parts.append(_sources(steps))
    _write(path, parts)
    return path


def explore_report(result: ExploreResult, path: Path) -> Path:
    from cognito_states import render, render_explore
    from cognito_states.calibration import calibrate, rule_name
    from cognito_states.reproducers import distinct

    departures = [p for p in result.pairs if p.verdict is not Verdict.match]
    table = render.explore_table(result, departures)
    svg = _svg(path, [table, render_explore.calibration_table(result)], "cognito-states explore")
    parts = [
        f"# cognito-states explore on {result.backend}",
        render_explore.summary(result).replace("\n", " "),
        _diagram(graph.transition_edges(result.pairs), f"What {result.backend} did"),
        f"![departures]({svg.name})",
        markdown_table(
            ("state", "operation", "predicted", "observed", "verdict", "rule", "note"),
            (
                (
                    render.state_label(p.before.as_dict()),
                    p.step.describe(),
                    p.predicted,
                    p.observed,
                    p.verdict,
                    _rule(p),
                    p.note,
                )
                for p in departures
            ),
        ),
        "## Calibration",
        "Every rule that decided a pair: how many pairs the backend answered, how many"
        " agreed with the model and how many departed"
        + (
            "; for the uncertain rules, what this run on real Cognito says of them."
            if result.kind == "aws"
            else " (only a run on aws confirms or contradicts a rule)."
        ),
        markdown_table(
            ("rule", "outcome", "confidence", "source", "tried", "agreed", "departed", "this run"),
            (
                (
                    rule_name(row.tally.rule),
                    row.tally.rule.outcome,
                    row.tally.rule.confidence,
                    row.tally.rule.source,
                    row.tally.tried,
                    row.tally.agreed,
                    row.tally.departed,
                    row.tally.finding(result.kind),
                )
                for row in calibrate(result.pairs, result.kind)
            ),
        ),
        _sources(departures),
    ]
    checked = distinct(result.departures)
    if checked:
        parts += [
            "## Departures",
            markdown_table(
                ("operation", "from", "note", "fresh user", "steps"),
                (
                    (
                        d.item.step.describe(),
                        d.item.before.public_status or "no such user",
                        d.item.note,
                        {True: "shown again", False: "history-dependent", None: "—"}[d.reproduced],
                        len(d.steps),
                    )
                    for d in checked
                ),
            ),
        ]
    if result.plan is not None:
        parts += ["## Plan", "```json\n" + json.dumps(result.plan.as_dict(), indent=2) + "\n```"]
    if result.reproducers:
        parts.append("Reproducers:\n" + "\n".join(f"- `{p}`" for p in result.reproducers))
    _write(path, parts)
    return path


def diff_report(result: DiffResult, path: Path) -> Path:
    from cognito_states import render

    table = render.diff_table(result)
    svg = _svg(path, [table], "cognito-states diff")
    # What B did where the records differ (B, else A, knows where the user ended up).
    changed = [c.b if c.b.after is not None else c.a for c in result.changed]
    parts = [
        f"# cognito-states diff: {Path(result.a).name} against {Path(result.b).name}",
        render.diff_summary(result),
        _diagram(graph.transition_edges(changed, mark="changed"), "Transitions that changed"),
        f"![changes]({svg.name})",
        markdown_table(
            ("state", "operation", "params", "a", "b"),
            (
                (render.state_label(c.state), c.operation, c.params, c.values(c.a), c.values(c.b))
                for c in result.changed
            ),
        ),
    ]
    _write(path, parts)
    return path

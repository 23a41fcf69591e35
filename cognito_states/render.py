"""Renders results for people (laid out for the console's width by layout.py: no word is
ever cut), for machines (versioned JSON) and the progress bar. One place builds the
Console; NO_COLOR is honoured by rich itself, and every mark is a character, not a colour.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.progress import Progress

from cognito_states import layout
from cognito_states.diff import DiffResult
from cognito_states.explore import ExploreResult
from cognito_states.layout import Cell, Column, Line, Strip, Word
from cognito_states.model import STATE_FIELDS, StatusChange, TableRow
from cognito_states.rules import RULES, confidence_counts
from cognito_states.runner import RunResult, ScenarioResult
from cognito_states.scenario import Pool, Scenario, Step
from cognito_states.sources import cited
from cognito_states.statuses import NO_USER, Verdict
from cognito_states.transition import Transition
from cognito_states.views import COMPARED, DEFAULTS, View

VERDICT_STYLE = {
    Verdict.match: "green",
    Verdict.mismatch: "bold red",
    Verdict.known_gap: "yellow",
    Verdict.unsupported: "magenta",
    Verdict.skipped: "dim",
    Verdict.diverted: "cyan",
}

# The marks beside a value the backend showed (characters, so that they survive NO_COLOR
# and a plain log).
EXPECTED, CONTRADICTS, OTHERWISE = "✓", "✗", "≠"
LEGEND = (
    f"Values are what the backend showed: {EXPECTED} as the scenario expected,"
    f" {CONTRADICTS} not as it expected ('expected' beneath), {OTHERWISE} not as the model"
    " predicted ('model' beneath)."
)


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """The one Console factory: data goes to stdout, diagnostics to stderr. Its width is
    the terminal's, or COLUMNS, or 80 when piped (rich's rule)."""
    return Console(file=file or sys.stdout, width=width, highlight=False, soft_wrap=False)


class Laid:
    """A renderable laid out for the width it is printed at: ``build(width)`` gives
    lines no wider than the width, written as they are (no second wrapping)."""

    def __init__(self, build: Callable[[int], list[Strip]]) -> None:
        self.build = build

    def lines(self, width: int) -> list[Strip]:
        return self.build(width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from layout.segments(self.build(options.max_width), console)


def plain(renderable: Laid, width: int) -> str:
    """The renderable's text at a width, without styles (for JUnit XML and tests)."""
    return "\n".join(strip.plain.rstrip() for strip in renderable.lines(width))


def _titled(title: str, body: Callable[[int], list[Strip]]) -> Laid:
    return Laid(
        lambda width: [*layout.wrap(Line(layout.words(title, "bold")), width), *body(width)]
    )


def _value(key: str, value: Any) -> str:
    if key == "status" and value is None:
        return NO_USER
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _where(file: str | None) -> str:
    """A scenario file as a title shows it: its folder and name (stable anywhere)."""
    if not file:
        return "inline"
    return "/".join(file.replace("\\", "/").split("/")[-2:])


def _path(file: str | None) -> str:
    """A scenario file as the summary names it: relative to the working folder when it
    is under it (pytest's way), else its folder and name."""
    if not file:
        return "inline"
    try:
        return Path(file).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return _where(file)


# ---------------------------------------------------------------- the fields of a step

# The fields a step shows, in table order: the judged ones (views.COMPARED). Every
# layout is driven by this list, so a field added there slots into all of them.
FIELDS: tuple[str, ...] = COMPARED


def shown_fields(steps: Iterable[Transition]) -> tuple[str, ...]:
    """The fields a table of these steps shows, in FIELDS' order: the ones added for
    phone numbers and MFA (views.DEFAULTS) only where a step shows or expects a value for
    them, so that e-mail-only scenarios keep their narrow table."""
    steps = list(steps)

    def used(key: str) -> bool:
        return any(
            key in s.step.expected
            or any(
                v is not None and getattr(v, key) != DEFAULTS[key]
                for v in (s.observed, s.predicted)
            )
            for s in steps
        )

    return tuple(k for k in FIELDS if k not in DEFAULTS or used(k))


_RANK = {"status": 0, "outcome": 1}  # what a layout that cannot show them all keeps first


def field_rank(key: str, fields: Sequence[str] = FIELDS) -> int:
    return _RANK.get(key, 2 + list(fields).index(key))


def shown(view: View | Mapping[str, Any] | None, key: str, style: str = "") -> tuple[Word, ...]:
    """A field of a view as words: ``yes``/``no``, ``NO_USER`` for no such user, a
    challenge's required attributes beside it."""
    if view is None:
        return (Word("—", style),)
    value = view.get(key)
    if key != "outcome":
        return (Word(_value(key, value), style),)
    out = [Word(str(value), style)]
    required = view.get("required_attributes")
    if required is not None and str(value).startswith("challenge:"):
        out.append(Word(json.dumps(list(required)), style))
    return tuple(out)


def _outcome(view: View | Mapping[str, Any] | None) -> str:
    return " ".join(w.text for w in shown(view, "outcome"))


def departures(step: Transition) -> set[str]:
    """The fields in which the backend did not show what the model predicted (a
    challenge's required attributes count as the outcome)."""
    if step.predicted is None or step.observed is None:
        return set()
    diff = set(step.predicted.differs(step.observed))
    if "required_attributes" in diff:
        diff.add("outcome")
    return diff


def field_cell(step: Transition, key: str, differs: set[str]) -> Cell:
    """What the backend showed, marked ✗ where the scenario expected otherwise (with
    ``expected …`` beneath), ≠ where the model predicted otherwise (``model …``), ✓ where
    the scenario expected it."""
    if step.observed is None:  # not run: what the model expects, aside
        words = shown(step.predicted, key, "dim") if step.predicted else (Word("—", "dim"),)
        return Cell((Line((Word(f"({' '.join(w.text for w in words)})", "dim"),)),))
    expected = step.step.expected
    wrong = not expected.agrees(step.observed, key)
    other = key in differs
    style = ""
    mark = None
    if wrong:
        mark, style = (CONTRADICTS, "bold red"), "red"
    elif other:
        tone = "yellow" if step.verdict is Verdict.known_gap else "red"
        mark, style = (OTHERWISE, tone), tone
    elif key in expected:
        mark = (EXPECTED, "green")
    lines = [Line(shown(step.observed, key, style), mark)]
    if wrong:
        lines.append(Line((Word("expected", "dim"), Word(_value(key, expected[key])))))
    if other:
        lines.append(Line((Word("model", "dim"), *shown(step.predicted, key))))
    return Cell(tuple(lines))


def operation(step: Step, show: Iterable[str] = ()) -> Line:
    return layout.call(str(step.op), step.arguments(show))


def verdict_cell(verdict: Verdict | None) -> Cell:
    if verdict is None:
        return Cell.of("—")
    return Cell((Line((Word(str(verdict), VERDICT_STYLE[verdict]),)),))


def _rule_source(step: Transition) -> str:
    """The rule's confidence and source ids (``cognito-states sources ID`` resolves them)."""
    if step.rule is None:
        return step.source or "(no rule)"
    return f"{step.rule.confidence} {', '.join(step.rule.sources) or '(no source)'}"


def _note(step: Transition) -> str:
    """The step's note; a match has one where it is worth reading (which side of a
    disputed rule the backend took, the backend's wording beside real Cognito's)."""
    return step.note or ""


def step_row(step: Transition, fields: Sequence[str] = FIELDS) -> list[Cell]:
    """A step's cells, in step_columns' order."""
    differs = departures(step)
    return [
        Cell.of(str(step.index)),
        Cell((operation(step.step),)),
        *(field_cell(step, key, differs) for key in fields),
        verdict_cell(step.verdict),
        Cell((Line(layout.words(_note(step))),)),
        Cell((Line(layout.words(_rule_source(step), "dim")),)),
    ]


def step_columns(fields: Sequence[str] = FIELDS) -> tuple[Column, ...]:
    """The number and the operation head a stacked block, each field is a column (or a
    labelled value), the verdict ends the line; the note and the rule's source go
    under the table (the rule in a column of its own when there is room for it)."""
    return (
        Column("#", "head", "right"),
        Column("operation", "head"),
        *(Column(key) for key in fields),
        Column("verdict", "end"),
        Column("note", "note"),
        Column("rule", "note", wide=True),
    )


# ---------------------------------------------------------------- a scenario's steps


def step_table(result: ScenarioResult, fields: Sequence[str] | None = None) -> layout.Table:
    """The steps as one line of columns each when they fit (the rule's source moved to
    the notes under the table when it does not), else a stacked block per step.
    ``fields``: default, those the steps show (shown_fields)."""
    fields = shown_fields(result.steps) if fields is None else fields

    def label(row: int, column: Column) -> str:
        step = result.steps[row]
        return f"step {step.index} {step.verdict if column.header == 'note' else 'rule'}:"

    table = layout.Table(step_columns(fields), note_label=label)
    for step in result.steps:
        table.add_row(*step_row(step, fields))
    return table


def _title(result: ScenarioResult, backend: str, width: int, what: str = "") -> list[Strip]:
    scenario = result.scenario
    where = f"({_where(scenario.file)}, backend {backend}){what}"
    return layout.wrap(
        Line((*layout.words(scenario.name, "bold"), *layout.words(where, "dim"))), width
    )


def scenario_view(
    result: ScenarioResult, backend: str, fields: Sequence[str] | None = None
) -> Laid:
    """A scenario's steps (or its drift) with their notes, for any width; ``fields``:
    default, those the steps show (shown_fields)."""
    fields = shown_fields(result.steps) if fields is None else fields

    def build(width: int) -> list[Strip]:
        if result.drift:
            lines = _title(result, backend, width, ": drift")
            lines += drift_table(result).lines(width)
            note = "the pool no longer has the settings this scenario was written for;"
            lines += layout.wrap(note + " no user was created", width)
            return lines
        lines = _title(result, backend, width)
        if len(result.steps) > LONG_SCENARIO:
            lines += long_lines(result, width, fields)
        elif result.steps:
            lines += step_table(result, fields).lines(width)
        if result.error:
            lines += layout.wrap(f"stopped: {result.error}", width, indent=2)
        return lines

    return Laid(build)


def drift_table(result: ScenarioResult) -> layout.Table:
    table = layout.Table(
        (Column("Pool keyword", "head"), Column("declared"), Column("actual")),
    )
    for keyword, declared, actual in result.drift:
        table.add_row(
            Cell.of(Line((Word(keyword),))),
            Cell.of(_setting(declared)),
            Cell((Line(layout.words(_setting(actual), "red")),)),
        )
    return table


def _setting(value: Any) -> str:
    return ", ".join(value) or "(none)" if isinstance(value, tuple | list) else str(value)


# Above this many steps a scenario prints one line per step: a laid-out table with
# stacked cells costs more per row than the API calls themselves (benchmarks/).
LONG_SCENARIO = 50


def long_lines(
    result: ScenarioResult, width: int, fields: Sequence[str] | None = None
) -> list[Strip]:
    """One line per step: the number, the operation, as many fields as fit (status and
    outcome first), the verdict, and the rule's source when there is room. Beneath each
    step that is not a match: the fields that differ, with what the scenario expected
    and the model predicted, and the note."""
    width = max(width, layout.MIN_WIDTH)
    fields = shown_fields(result.steps) if fields is None else fields
    columns = step_columns(fields)
    memo: dict[Any, list[Cell]] = {}

    def row_of(step: Transition) -> list[Cell]:
        """Long scenarios repeat steps: their cells are built once (all but the number)."""
        key = (step.step, step.predicted, step.observed, step.verdict, step.note, id(step.rule))
        try:
            cells = memo.get(key)
        except TypeError:  # a value that cannot be a key: build it
            return step_row(step, fields)
        if cells is None:
            cells = memo[key] = step_row(step, fields)
        return [Cell.of(str(step.index)), *cells[1:]]

    rows = [row_of(step) for step in result.steps]
    first = [[c.first() for c in row] for row in rows]
    slots = [any(r[i].marked for r in rows) for i in range(len(columns))]
    field_columns = range(2, 2 + len(fields))
    verdict, rule = 2 + len(fields), 4 + len(fields)

    def measure(i: int) -> tuple[int, int]:
        header = len(columns[i].header)
        lo = max([header] + [r[i].min_width(slots[i]) for r in first])
        hi = max([header] + [r[i].max_width(slots[i]) for r in first])
        return lo, hi

    measures = {i: measure(i) for i in (0, 1, *field_columns, verdict, rule)}
    keep = [0, 1, verdict]
    for i in [*sorted(field_columns, key=lambda i: field_rank(fields[i - 2], fields)), rule]:
        trial = sorted([*keep, i])
        if sum(measures[j][0] for j in trial) + layout.GAP * (len(trial) - 1) > width:
            break  # what is left goes to the operation, not to a field ranked lower
        keep = trial
    widths = layout.fit(
        [measures[i][0] for i in keep],
        [measures[i][1] for i in keep],
        width - layout.GAP * (len(keep) - 1),
        [layout.RANK[columns[i].role] for i in keep],
    )
    assert widths is not None  # the three essential columns fit in MIN_WIDTH and up
    justify = [columns[i].justify for i in keep]
    out = layout.header_lines([columns[i].header for i in keep], widths, justify)
    indent = widths[0] + layout.GAP + 2
    grid = layout.field_widths(
        [[(fields[i - 2], row[i]) for i in field_columns] for row in rows],
        width - indent,
        [slots[i] for i in field_columns],
    )
    first_skip = True
    for step, row, line_row in zip(result.steps, rows, first, strict=True):
        cells = [line_row[i].render(w, slots[i]) for i, w in zip(keep, widths, strict=True)]
        out.extend(layout.join_columns(cells, widths, justify))
        if step.verdict in (Verdict.match, None):
            continue
        if step.verdict is Verdict.skipped:  # the first says why; the rest follow it
            if first_skip and step.note:
                out += layout.wrap(Line(layout.words(step.note, "dim")), width, indent)
            first_skip = False
            continue
        differing = [i for i in field_columns if len(row[i].lines) > 1]
        out += layout.field_lines(
            [(fields[i - 2], row[i]) for i in differing],
            [grid[i - 2] for i in differing],
            width,
            indent,
            [slots[i] for i in differing],
        )
        if step.note:
            out += layout.wrap(Line(layout.words(step.note, "dim")), width, indent)
    return out


def print_scenario(console: Console, result: ScenarioResult, backend: str) -> None:
    with _collector_paused():
        console.print(scenario_view(result, backend))
        console.print()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Laying out makes many small objects and no reference cycles; a full collection of
    the process's heap (large with moto in it) in the middle of it would cost more than
    the layout itself (benchmarks/bench_runner.py). Reference counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def legend() -> Laid:
    return Laid(lambda width: layout.wrap(Line(layout.words(LEGEND, "dim")), width))


# ---------------------------------------------------------------- the summary


def failure_line(result: ScenarioResult) -> str:
    """Why a scenario did not pass, in one line: its first failing step and that step's
    note (``step 4 mismatch: backend shows …; model predicts …``)."""
    if result.drift:
        what = "; ".join(
            f"{k} declared {_setting(d)}, actual {_setting(a)}" for k, d, a in result.drift
        )
        return f"the pool's settings differ from the scenario's Pool(...): {what}"
    if result.failures:
        step = result.failures[0]
        strict = " (strict)" if step.verdict is not Verdict.mismatch else ""
        why = f": {step.note}" if step.note else ""
        return f"step {step.index} {step.verdict}{strict}{why}"
    if result.error:
        return f"stopped at step {len(result.steps) + 1}: {result.error}"
    return "passed"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary_line(run: RunResult) -> str:
    counts = run.counts()
    steps = sum(counts.values())
    shown_counts = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    failed = sum(not r.passed for r in run.scenarios)
    drifted = sum(bool(r.drift) for r in run.scenarios)
    state = "interrupted" if run.interrupted else ("passed" if not failed else f"{failed} failed")
    if drifted:
        state += f", {drifted} drifted"
    return (
        f"{_count(len(run.scenarios), 'scenario')}, {_count(steps, 'step')} on {run.backend}:"
        f" {shown_counts or 'nothing run'} — {state} (exit {int(run.exit_code)})"
    )


def failed_lines(run: RunResult) -> list[str]:
    """``FAILED <file>::<name> — <why>`` for each scenario that did not pass, pytest's way."""
    return [
        f"FAILED {_path(r.scenario.file)}::{r.scenario.name} — {failure_line(r)}"
        for r in run.scenarios
        if not r.passed
    ]


def summary(run: RunResult) -> Laid:
    """The failed scenarios, one each, then the counts, wrapped at spaces to the width."""

    def build(width: int) -> list[Strip]:
        out: list[Strip] = []
        for text in failed_lines(run):
            head, _, rest = text.partition(" ")
            out += layout.wrap(Line((Word(head, "bold red"), *layout.words(rest))), width, hang=4)
        style = "bold red" if run.exit_code else "bold green"
        out += layout.wrap(Line(layout.words(summary_line(run), style)), width, hang=4)
        return out

    return Laid(build)


def run_json(run: RunResult) -> str:
    return json.dumps(run.as_dict(), indent=2)


# ---------------------------------------------------------------- the model itself


def _flags(state: Mapping[str, Any]) -> list[str]:
    flags = []
    if "enabled" in state and state["enabled"] is not None:
        flags.append("enabled" if state["enabled"] else "disabled")
    if "email_verified" in state and state["email_verified"] is not None:
        flags.append("email verified" if state["email_verified"] else "email unverified")
    if "tokens" in state:
        flags.append(f"tokens {state['tokens']}")
    if state.get("phone_number_verified") is not None:
        flags.append("phone verified" if state["phone_number_verified"] else "phone unverified")
    if state.get("challenge"):
        flags.append(f"challenge {state['challenge']} pending")
    if state.get("mfa_methods"):
        flags.append("MFA " + ", ".join(state["mfa_methods"]))
    if state.get("preferred_mfa"):
        flags.append(f"preferred {state['preferred_mfa']}")
    flags += [label for key, label in _PENDING.items() if state.get(key)]
    return flags


# What a state's pending-something flags read as in its label.
_PENDING = {
    "reset_code": "reset code sent",
    "pending_email": "new email pending",
    "attribute_code": "verification code sent",
    "phone_code": "phone code sent",
    "totp_pending": "TOTP secret issued",
    "totp_verified": "TOTP verified",
}


def state_label(state: Mapping[str, Any]) -> str:
    if state["status"] is None or state["status"] == NO_USER:
        return "no such user"
    return f"{state['status']} ({', '.join(_flags(state))})"


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    if after["status"] is None and before["status"] is not None:
        return "status=NO_USER"  # deleted: nothing else about it is left to say
    changed = [f"{k}={_value(k, after[k])}" for k in STATE_FIELDS if before[k] != after[k]]
    return ", ".join(changed) or "unchanged"


def _confidence(rule_confidence: str) -> Cell:
    return Cell((Line((Word(rule_confidence),)),))


def _operation_cell(row: TableRow, when: Iterable[tuple[str, Any]] = ()) -> Cell:
    """The variant with the keywords that matter, and beneath it what the user must
    be (``when challenge NEW_PASSWORD_REQUIRED pending``) if not every typical one."""
    lines = [layout.call(str(row.step.op), row.step.arguments(row.matters))]
    flags = _flags(dict(when))
    if flags:
        lines.append(Line(layout.words(f"when {', '.join(flags)}", "dim"), indent=2))
    return Cell(tuple(lines))


def pool_words(pool: Pool) -> str:
    """``Pool(auto_verified_attributes=['email'])``: the keywords it was given."""
    given = [f"{k}={list(v) if isinstance(v, tuple) else v!r}" for k, v in _declared(pool)]
    return f"Pool({', '.join(given)})" + ("" if given else " (CreateUserPool's defaults)")


def _declared(pool: Pool) -> list[tuple[str, Any]]:
    from cognito_states.scenario import POOL_KEYWORDS

    return [(k, getattr(pool, k)) for k in POOL_KEYWORDS if k in pool.declared]


def model_overview(changes: Sequence[StatusChange], pool: Pool) -> Laid:
    """One row per status change, under the status it leaves: to, the operation with
    the keywords that matter, its outcome and confidence (and the rule's source when
    there is room). The parts share one layout, so that they line up."""
    table = layout.Table(
        (
            Column("to"),
            Column("operation", "head"),
            Column("outcome"),
            Column("confidence", "end"),
            Column("source", "note", wide=True, optional=True),
        )
    )
    groups: dict[str, list[int]] = {}
    for n, change in enumerate(changes):
        p = change.row.prediction
        table.add_row(
            Cell.of(Line((Word(change.after),))),
            _operation_cell(change.row, change.when),
            Cell.of(Line(shown(p.view, "outcome"))),
            _confidence(str(p.rule.confidence)),
            Cell((Line(layout.words(", ".join(p.rule.sources) or "—", "dim")),)),
        )
        groups.setdefault(change.before, []).append(n)

    def build(width: int) -> list[Strip]:
        title = f"How a user's status changes in {pool_words(pool)}, according to the model"
        hint = "model --state STATUS: all that each operation does from one status"
        out = [
            *layout.wrap(Line(layout.words(title, "bold")), width),
            *layout.wrap(Line(layout.words(hint, "dim")), width),
        ]
        for before, indices in groups.items():
            out += [Strip(), Strip(f"From {before}", "bold"), *table.lines(width, indices)]
        return out

    return Laid(build)


def state_view(rows: Sequence[TableRow], show_all: bool = False) -> Laid:
    """What each operation does from the typical users of one status (or of each): the
    exits first, then what keeps the status; the refusals that change nothing are
    counted (and listed with ``show_all``)."""
    order = {"exit": 0, "stays": 1, "refused": 2}
    groups: dict[Any, list[TableRow]] = {}
    for row in rows:
        groups.setdefault(row.state, []).append(row)
    listed: list[TableRow] = []
    parts: list[tuple[Any, list[int], int]] = []  # state, its rows in the table, refusals
    for state, found in groups.items():
        members = sorted(found, key=lambda r: order[r.kind])
        refused = sum(r.kind == "refused" for r in members)
        shown_rows = members if show_all else [r for r in members if r.kind != "refused"]
        parts.append((state, list(range(len(listed), len(listed) + len(shown_rows))), refused))
        listed += shown_rows
    table = layout.Table(
        (
            Column("operation", "head"),
            Column("outcome"),
            Column("then"),
            Column("confidence", "end"),
            Column("source", "note", wide=True),
        ),
        note_label=lambda row, column: f"{listed[row].label} source:",
    )
    for row in listed:
        data = row.as_dict()
        table.add_row(
            _operation_cell(row),
            Cell.of(Line(shown(data, "outcome"))),
            Cell.of(Line(layout.words(_changes(data["state"], data["next"])))),
            _confidence(data["confidence"]),
            Cell((Line(layout.words(", ".join(data["sources"]) or "—", "dim")),)),
        )

    def build(width: int) -> list[Strip]:
        out: list[Strip] = []
        for state, indices, refused in parts:
            if out:
                out.append(Strip())
            label = state_label(state.as_dict())
            out += layout.wrap(Line(layout.words(f"From {label}", "bold")), width)
            if indices:
                out += table.lines(width, indices)
            if refused and not show_all:
                what = (
                    f"{_count(refused, 'more operation')} refused here (an error, or n/a: the"
                    " client lacks what it needs); nothing changes. --all lists them."
                )
                out += layout.wrap(Line(layout.words(what, "dim")), width)
        return out

    return Laid(build)


def model_json(pool: Pool, rows: Sequence[TableRow]) -> str:
    return json.dumps(
        {
            "cognito_states": 1,
            "pool": pool.as_dict(),
            "transitions": [row.as_dict() for row in rows],
            "rules": [rule.as_dict() for rule in RULES],
            "confidence_counts": dict(confidence_counts()),
            "sources": cited(i for rule in RULES for i in rule.sources),
        },
        indent=2,
    )


def scenario_list_table(scenarios: Iterable[Scenario]) -> Laid:
    table = layout.Table((Column("name", "head"), Column("steps", justify="right"), Column("file")))
    for s in scenarios:
        table.add_row(
            Cell.of(s.name), Cell.of(str(len(s.steps))), Cell.of(f"{_where(s.file)}:{s.line}")
        )
    return _titled("Scenarios", table.lines)


def pool_table(doc: Mapping[str, Any]) -> Laid:
    table = layout.Table((Column("setting", "head"), Column("value")))
    for key, value in doc["settings"].items():
        shown_value = ", ".join(value) if isinstance(value, list) else str(value)
        table.add_row(Cell.of(Line((Word(key),))), Cell.of(shown_value or "—"))
    return _titled(f"Pool {doc['pool_id']}, client {doc['client_id']}", table.lines)


# ---------------------------------------------------------------- explore and diff


def _view_cell(view: View | None) -> Cell:
    return Cell((Line(layout.words(_view(view))),))


def explore_table(
    result: ExploreResult, pairs: Sequence[Transition], title: str | None = None
) -> Laid:
    table = layout.Table(
        (
            Column("state"),
            Column("operation", "head"),
            Column("predicted"),
            Column("observed"),
            Column("verdict", "end"),
            Column("note", "note"),
        ),
        note_label=lambda row, column: f"{pairs[row].step.describe()}:",
    )
    for p in pairs:
        table.add_row(
            Cell.of(state_label(p.before.as_dict())),
            Cell((operation(p.step),)),
            _view_cell(p.predicted),
            _view_cell(p.observed),
            verdict_cell(p.verdict),
            Cell.of(p.note),
        )
    title = title or f"Pairs where {result.backend} and the model part ways"
    return _titled(title, table.lines)


def _view(view: View | None) -> str:
    if view is None:
        return "—"
    if view.get("status") is None:
        return f"no such user · {_outcome(view)}"
    parts = [_value("status", view.get("status"))]
    parts.append("enabled" if view.get("enabled") else "disabled")
    parts.append("verified" if view.get("email_verified") else "unverified")
    if view.phone_number_verified is not None:
        parts.append("phone verified" if view.phone_number_verified else "phone unverified")
    if view.mfa_methods:
        parts.append("MFA " + ", ".join(view.mfa_methods))
    if view.preferred_mfa:
        parts.append(f"preferred {view.preferred_mfa}")
    parts.append(_outcome(view))
    return " · ".join(parts)


def diff_summary(result: DiffResult) -> str:
    verdict = "they differ" if result.differ else "no difference"
    return (
        f"{_count(result.compared, 'transition')} in both: {len(result.changed)} changed,"
        f" {verdict}; {result.only_a} only in A, {result.only_b} only in B"
    )


def diff_table(result: DiffResult) -> Laid:
    table = layout.Table(
        (
            Column("state before"),
            Column("operation", "head"),
            Column("A"),
            Column("B"),
            Column("source", "note", wide=True),
        ),
        note_label=lambda row, column: f"{result.changed[row].operation}:",
    )
    for change in result.changed:
        source = " / ".join(s for s in (change.a.source, change.b.source) if s)
        args = [f"{k}={v!r}" for k, v in change.params.items()]
        table.add_row(
            Cell.of(state_label(change.state)),
            Cell((layout.call(change.operation, args),)),
            Cell.of(", ".join(f"{k}={_json(v)}" for k, v in change.values(change.a).items())),
            Cell.of(", ".join(f"{k}={_json(v)}" for k, v in change.values(change.b).items())),
            Cell.of(source or "—"),
        )
    title = f"A = {result.a}\nB = {result.b}"

    def build(width: int) -> list[Strip]:
        out: list[Strip] = []
        for part in title.splitlines():
            out += layout.wrap(Line(layout.words(part, "bold")), width)
        return out + table.lines(width)

    return Laid(build)


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

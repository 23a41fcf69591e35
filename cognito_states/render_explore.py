"""Explore's own renderings: the plan told before the first call, the summary, what the
fresh-user checks of departures found, and the calibration table (which rules the
exploration exercised and how the backend agreed). Each reads whole at 80 columns:
long rule conditions break between identifiers, never inside one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from cognito_states import layout
from cognito_states.calibration import Row, calibrate, rule_name
from cognito_states.explore import ExploreResult
from cognito_states.layout import Cell, Column, Line, Strip, Word
from cognito_states.render import Laid
from cognito_states.reproducers import distinct
from cognito_states.tour import Narrowing, Plan

WIDTH = 80
DAILY_MAILS = 50  # Cognito's default email, per account and day (cognito-rules.md 5)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width``, broken at spaces, else after ``|``, ``,`` or ``=``
    (between identifiers), never inside an identifier."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, width):
            if not line:
                line = piece
            elif len(line) + 1 + len(piece) <= width:
                line += " " + piece
            else:
                lines.append(line)
                line = piece
    if line:
        lines.append(line)
    return lines


def _pieces(word: str, width: int) -> list[str]:
    if len(word) <= width:
        return [word]
    parts = re.findall(r"[^|,=]+[|,=]?", word)
    pieces, piece = [], ""
    for part in parts:
        if piece and len(piece) + len(part) > width:
            pieces.append(piece)
            piece = ""
        piece += part
    return [*pieces, piece] if piece else pieces


def _n(value: int) -> str:
    return f"{value:,}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60:02d} min"


def plan_text(
    plan: Plan,
    backend: str,
    *,
    workers: int,
    per_call: float,
    rps: float | None,
    narrowing: Narrowing,
) -> str:
    """What the exploration will do, told before it sends anything."""
    strategy = "one fresh user per pair" if plan.strategy == "isolated" else "covering walks"
    lines = [f"Plan: explore on {backend}, {strategy}, {workers} worker{_s(workers)}"]
    pairs = f"{_n(plan.targeted)} targeted ({narrowing.describe()}): {_n(plan.pairs)} planned"
    if plan.left_out:
        pairs += f", {_n(len(plan.left_out))} left out by --max-calls"
    if plan.skipped:
        pairs += f", {_n(len(plan.skipped))} skipped (they need mail: pass --email)"
    if plan.unreachable:
        pairs += f", {_n(len(plan.unreachable))} out of reach within per-user limits"
    per_pair = plan.calls / plan.pairs if plan.pairs else 0.0
    calls = (
        f"about {_n(plan.calls)} ({per_pair:.1f} a pair) by {_n(plan.users)} user{_s(plan.users)}"
    )
    if plan.strategy == "walks":
        calls += "; a fresh user re-runs each mismatch (counted apart)"
    mail = f"{_n(plan.mails)} mails, {_n(plan.codes)} of them codes"
    if rps and plan.mails > DAILY_MAILS:
        mail += f"; Cognito's own email sends {DAILY_MAILS} a day (use SES, or narrow)"
    if rps:
        busiest = plan.busiest
        rate = f"at most {rps:g} requests a second per operation"
        if busiest:
            rate += f" (busiest: {busiest[0]}, {_n(busiest[1])})"
    elif backend == "moto":
        rate = "in this process, observations read from moto's own record (no call)"
    elif backend == "model":
        rate = "the model itself: no requests"
    else:
        rate = "as fast as the endpoint answers (no pacing)"
    duration = _duration(plan.seconds(per_call, workers, rps))
    for label, text in (
        ("pairs", pairs),
        ("calls", calls),
        ("mail", mail),
        ("rate", rate),
        ("duration", duration),
    ):
        lines += _labelled(label, text)
    return "\n".join(lines)


def _labelled(label: str, text: str) -> list[str]:
    body = wrap(text, WIDTH - 12)
    return [f"  {label:<10}{body[0]}", *(" " * 12 + line for line in body[1:])]


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def summary(result: ExploreResult) -> str:
    """The exploration in a few lines: verdicts, what it cost, what the checks found."""
    pairs = len(result.pairs)
    counts = ", ".join(f"{_n(n)} {verdict}" for verdict, n in result.counts().items())
    state = " (interrupted)" if result.interrupted else ""
    strategy = "isolated pairs" if result.strategy == "isolated" else "covering walks"
    per_pair = result.calls / pairs if pairs else 0.0
    text = (
        f"{_n(pairs)} pairs on {result.backend}{state} by {strategy}: "
        f"{counts or 'nothing run'}; {_n(result.calls)} calls ({per_pair:.1f} a pair)"
    )
    if result.reads:
        text += f" and {_n(result.reads)} reads"
    text += f", {_n(result.users)} user{_s(result.users)}, {result.seconds:.1f} s."
    if result.narrowing.active:
        text += f" Targeted {_n(result.targeted)} pairs ({result.narrowing.describe()})"
        text += (
            f", {_n(result.left_out)} left out by --max-calls."
            if result.left_out
            else ", none left out."
        )
    checked = [d for d in distinct(result.departures) if d.reproduced is not None]
    if checked:
        again = sum(bool(d.reproduced) for d in checked)
        text += (
            f" {len(checked)} distinct mismatch{'es' if len(checked) != 1 else ''} re-run by"
            f" fresh users ({_n(result.verification_calls)} calls, not counted above):"
            f" {again} shown again, {len(checked) - again} history-dependent."
        )
    moves = {d.key for d in result.transfer_mismatches}
    if moves:
        text += f" {len(moves)} of them seen only on steps a walk took to move."
    return "\n".join(wrap(text, WIDTH))


def calibration_table(result: ExploreResult) -> Laid:
    """Every rule that decided a pair: its confidence, the pairs it decided that the
    backend answered, how many agreed and departed; on real Cognito, what this run says
    of the uncertain ones. Laid out as the other tables (render.py, layout.py)."""
    rows = calibrate(result.pairs, result.kind)
    real = any(r.tally.finding(result.kind) for r in rows)
    columns = [
        Column("rule", "head"),
        Column("confidence"),
        Column("tried", justify="right"),
        Column("agreed", justify="right"),
        Column("departed", "end", justify="right"),
    ]
    table = layout.Table(columns)
    for row in rows:
        table.add_row(*_calibration_cells(row))
    caption = _caption(result.kind, real)

    def body(width: int) -> list[Strip]:
        return [*table.lines(width), *layout.wrap(Line(layout.words(caption, "dim")), width)]

    return _titled(f"Rules this exploration exercised on {result.backend}", body)


def _titled(title: str, body: Callable[[int], list[Strip]]) -> Laid:
    return Laid(
        lambda width: [*layout.wrap(Line(layout.words(title, "bold")), width), *body(width)]
    )


def _caption(kind: str, real: bool) -> str:
    if real:
        return "uncertain rules: 'confirms' when every pair agreed, else 'contradicts'"
    if kind == "aws":
        return "no uncertain rule was answered"
    return "only a run on aws (real Cognito) confirms or contradicts a rule"


def identifiers(text: str, style: str = "") -> tuple[Word, ...]:
    """Words that may break after ``|``, ``,`` or ``=`` (between identifiers) as well as
    at spaces, never inside an identifier."""
    out: list[Word] = []
    for word in text.split():
        for n, piece in enumerate(re.findall(r"[^|,=]+[|,=]?|[|,=]", word)):
            out.append(Word(piece, style, " " if n == 0 else ""))
    return tuple(out)


def _calibration_cells(row: Row) -> tuple[Cell, Cell, Cell, Cell, Cell]:
    tally = row.tally
    rule = tally.rule
    source = f"({', '.join(rule.sources)})" if rule.sources else "(no source)"
    text = Cell(
        (
            Line(identifiers(f"{rule_name(rule)} → {rule.outcome}")),
            Line(identifiers(source, "dim")),
        )
    )
    finding = tally.finding(row.kind)
    confidence = [Line((Word(str(rule.confidence)),))]
    if finding:
        style = "bold red" if finding == "contradicts" else "green"
        confidence.append(Line((Word(finding, style),)))
    return (
        text,
        Cell(tuple(confidence)),
        Cell.of(str(tally.tried)),
        Cell.of(str(tally.agreed)),
        Cell.of(str(tally.departed)),
    )


def reproducer_lines(result: ExploreResult, paths: Sequence[object]) -> list[str]:
    return [f"reproducer: {path}" for path in paths]

"""State diagrams of the model or of a record: Mermaid ``stateDiagram-v2`` (renders on
GitHub, no binary) and Graphviz dot text. Edge labels carry the keywords that tell an
operation's variants apart; a diagram of a run or record draws what the backend did,
marking where it left the model (Mermaid cannot style single edges, so in the label).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from cognito_states.model import CognitoModel
from cognito_states.operations import Op
from cognito_states.scenario import Pool, Step
from cognito_states.statuses import NO_USER, Status, Verdict
from cognito_states.transition import Transition

STATES = (NO_USER, *(s.value for s in Status if s is not Status.EXTERNAL_PROVIDER))


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    dest: str
    operation: str  # the step, with the keywords that tell its variants apart
    departure: str | None = None  # the verdict where the backend left the model

    @property
    def label(self) -> str:
        return f"{self.operation} ({self.departure})" if self.departure else self.operation


def _label(step: Step, show: Iterable[str]) -> str:
    """``admin_set_user_password(permanent=True)``; a step without keywords is its name."""
    args = step.arguments(show)
    return f"{step.op}({', '.join(args)})" if args else str(step.op)


@cache
def _matters(op: Op) -> tuple[str, ...]:
    return _default_model().keywords_that_matter(op)


# Diagrams of the model draw a pool that auto-verifies email (as most do: sign-up
# confirmation codes are sent), so that confirm_sign_up has its edge.
DIAGRAM_POOL = Pool(auto_verified_attributes=("email",))


@cache
def _default_model() -> CognitoModel:
    return CognitoModel(DIAGRAM_POOL)


def model_edges(pool: Pool | None = None) -> list[Edge]:
    """The status changes the model predicts for typical users of each status."""
    model = CognitoModel(pool) if pool is not None else _default_model()
    return sorted(
        {Edge(c.before, c.after, _label(c.row.step, c.row.matters)) for c in model.status_changes()}
    )


def departed(t: Transition) -> bool:
    """Whether the backend showed something the model did not predict. A scenario's
    expectation that was not met is not a departure of the backend."""
    if t.predicted is None or t.observed is None:
        return False
    return t.verdict in (Verdict.mismatch, Verdict.known_gap) and bool(
        t.predicted.differs(t.observed)
    )


def transition_edges(transitions: Iterable[Transition], mark: str | None = None) -> list[Edge]:
    """What the backend did in transitions (a run, an exploration, a record): its status
    changes, and the steps where it left the model, marked with their verdict (or with
    ``mark``, every one). Steps not run are left out, and so are expectations that were
    not met (the tables show those)."""
    edges = set()
    for t in transitions:
        if t.after is None or t.verdict is Verdict.skipped:
            continue
        src, dst = t.before.status, t.after.status
        departure = mark or (str(t.verdict) if departed(t) else None)
        if src != dst or departure:
            edges.add(Edge(src, dst, _label(t.step, _matters(t.step.op)), departure))
    return sorted(edges)


def _merged(edges: Iterable[Edge]) -> dict[tuple[str, str], list[Edge]]:
    merged: dict[tuple[str, str], list[Edge]] = {}
    for edge in edges:
        found = merged.setdefault((edge.source, edge.dest), [])
        if edge.label not in [e.label for e in found]:
            found.append(edge)
    return merged


def mermaid_label(text: str) -> str:
    """A transition label Mermaid reads whole: its grammar ends a label at ':', ';' or
    a newline, takes '%%' for a comment and 'direction XX' for a statement."""
    text = " ".join(text.split()).replace(":", "∶").replace(";", ",").replace("%%", "%")
    for way in ("TB", "BT", "RL", "LR"):
        text = text.replace(f"direction {way}", f"direction {way.lower()}")
    return text


def mermaid(edges: Iterable[Edge], title: str) -> str:
    """A ``stateDiagram-v2``: one statement a line, states by their names (letters and
    underscores), the title in the front matter as a YAML string. No state is styled."""
    merged = _merged(edges)
    used = {s for pair in merged for s in pair}
    states = [s for s in STATES if s in used] or [NO_USER]
    lines = ["---", f"title: {json.dumps(title)}", "---", "stateDiagram-v2", "  direction LR"]
    lines += [f"  {state}" for state in states]
    if NO_USER in states:
        lines.append(f"  [*] --> {NO_USER}")
    for (src, dst), found in merged.items():
        label = mermaid_label(" / ".join(e.label for e in found))
        lines.append(f"  {src} --> {dst}: {label}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(edges: Iterable[Edge], title: str) -> str:
    """Graphviz dot: an edge per (from, to), its labels one a line, red where the
    backend left the model."""
    merged = _merged(edges)
    lines = [
        "digraph cognito_states {",
        f"  label={_dot_string(title)}; labelloc=t; rankdir=LR;",
        "  node [shape=box, style=rounded];",
    ]
    for (src, dst), found in merged.items():
        style = ", color=red, fontcolor=red" if any(e.departure for e in found) else ""
        label = "\\n".join(_dot_string(e.label)[1:-1] for e in found)
        lines.append(f'  {src} -> {dst} [label="{label}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"

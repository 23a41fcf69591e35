"""State diagrams of the model or of a record: Mermaid ``stateDiagram-v2`` through
transitions' own Mermaid engine (renders on GitHub, no binary), and Graphviz dot text.
Departures from the model are marked in the edge labels (transitions' Mermaid output
cannot style single edges).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cognito_states.model import CognitoModel
from cognito_states.scenario import Pool
from cognito_states.statuses import NO_USER, Status, Verdict
from cognito_states.transition import Transition

STATES = (NO_USER, *(s.value for s in Status if s is not Status.EXTERNAL_PROVIDER))


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    dest: str
    operation: str
    departure: str | None = None  # the verdict when the backend left the model

    @property
    def label(self) -> str:
        return f"{self.operation} ({self.departure})" if self.departure else self.operation


def model_edges(pool: Pool | None = None) -> list[Edge]:
    """Status changes the model predicts for typical users of each status."""
    model = CognitoModel(pool or Pool(auto_verified_attributes=("email",)))
    edges = set()
    for row in model.table():
        outcome = row.prediction.outcome
        if outcome.is_error or outcome.kind == "n/a":
            continue
        src, dst = row.state.status, row.prediction.state.status
        if src != dst:
            edges.add(Edge(src, dst, str(row.step.op)))
    return sorted(edges)


def transition_edges(transitions: Iterable[Transition]) -> list[Edge]:
    """Status changes seen in transitions (a run, an exploration, a record); a step that
    left the model marks its edge."""
    edges = set()
    for t in transitions:
        if t.after is None or t.verdict is Verdict.skipped:
            continue
        src, dst = t.before.status, t.after.status
        departure = str(t.verdict) if t.departed else None
        if src != dst or departure:
            edges.add(Edge(src, dst, str(t.step.op), departure))
    return sorted(edges)


def _merged(edges: Iterable[Edge]) -> dict[tuple[str, str], list[str]]:
    merged: dict[tuple[str, str], list[str]] = {}
    for edge in edges:
        labels = merged.setdefault((edge.source, edge.dest), [])
        if edge.label not in labels:
            labels.append(edge.label)
    return merged


def mermaid(edges: Iterable[Edge], title: str) -> str:
    from transitions.extensions import GraphMachine

    merged = _merged(edges)
    used = {s for pair in merged for s in pair}
    states = [s for s in STATES if s in used] or [NO_USER]

    class _Diagram:
        get_graph: Any

    subject = _Diagram()
    GraphMachine(
        model=subject,
        states=states,
        transitions=[
            {"trigger": " / ".join(labels), "source": src, "dest": dst}
            for (src, dst), labels in merged.items()
        ],
        initial=NO_USER if NO_USER in states else states[0],
        auto_transitions=False,
        graph_engine="mermaid",
        title=title,
    )
    text: str = subject.get_graph().draw(None)
    # transitions writes "Class" (Mermaid's keyword is "class") and a bare title line in
    # the front matter (Mermaid reads "title: ...").
    text = text.replace("\n  Class ", "\n  class ")
    text = text.replace(f"---\n{title}\n---", f"---\ntitle: {title}\n---", 1)
    return text.rstrip("\n") + "\n"


def dot(edges: Iterable[Edge], title: str) -> str:
    merged = _merged(edges)
    lines = [
        "digraph cognito_states {",
        f'  label="{title}"; labelloc=t; rankdir=LR;',
        "  node [shape=box, style=rounded];",
    ]
    departures = {(e.source, e.dest) for e in edges if e.departure}
    for (src, dst), labels in merged.items():
        style = ", color=red, fontcolor=red" if (src, dst) in departures else ""
        label = "\\n".join(labels)
        lines.append(f'  {src} -> {dst} [label="{label}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"

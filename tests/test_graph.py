"""Graph: the model or a record as a Mermaid stateDiagram-v2, checked against Mermaid's
grammar (state ids, one statement a line, what a transition label may hold), and as
Graphviz dot, parsed by pydot. Edge labels carry the keywords that tell variants apart;
no state is styled; a run's diagram draws what the backend did.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pydot
import pytest
from conftest import ARTICLE, DepartingBackend

from cognito_states import cli, graph
from cognito_states.model import INITIAL
from cognito_states.runner import Runner
from cognito_states.scenario import Scenario, step
from cognito_states.statuses import NO_USER
from cognito_states.transition import Transition

# Mermaid's stateDiagram grammar (stateDiagram.jison): a state id is [^:\n\s\-\{]+ (we
# keep to letters and underscores); a transition's description runs from ':' to the end
# of the line and may not hold ':' or ';' ([^:\n;]+); '%%' starts a comment anywhere and
# 'direction XX' is a statement wherever it appears on a line.
STATE_ID = r"[A-Z][A-Z_]*"
EDGE = re.compile(rf"^  ({STATE_ID}) --> ({STATE_ID}): ([^:\n;]+)$")
START = re.compile(rf"^  \[\*\] --> ({STATE_ID})$")
DECLARED = re.compile(rf"^  ({STATE_ID})$")

# pydot still calls pyparsing's camelCase names.
pytestmark = pytest.mark.filterwarnings("ignore:'\\w+' deprecated:DeprecationWarning")


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def mermaid_edges(text: str) -> dict[tuple[str, str], list[str]]:
    """The transitions of a diagram that keeps Mermaid's syntax rules, each label split
    into its operations; fails on any line the rules do not allow."""
    lines = text.splitlines()
    assert lines[0] == "---"
    end = lines.index("---", 1)
    for front in lines[1:end]:
        assert re.fullmatch(r'title: "(?:[^"\\\n]|\\.)*"', front), front  # a YAML string
    assert lines[end + 1 : end + 3] == ["stateDiagram-v2", "  direction LR"]
    declared: set[str] = set()
    found: dict[tuple[str, str], list[str]] = {}
    for line in lines[end + 3 :]:
        assert "%%" not in line
        assert not re.search(r"direction\s+(TB|BT|RL|LR)", line), line
        assert not line.strip().startswith(("class ", "Class ", "classDef ", "style ")), line
        if m := DECLARED.match(line):
            declared.add(m[1])
        elif m := START.match(line):
            assert m[1] in declared
        elif m := EDGE.match(line):
            assert {m[1], m[2]} <= declared, line
            assert (m[1], m[2]) not in found, f"one line per pair: {line}"
            found[m[1], m[2]] = m[3].split(" / ")
        else:
            raise AssertionError(f"not a Mermaid statement we write: {line!r}")
    return found


def dot_edges(text: str) -> dict[tuple[str, str], tuple[list[str], str | None]]:
    """The edges of a dot text as pydot parses it: labels, colour."""
    (parsed,) = pydot.graph_from_dot_data(text)
    found = {}
    for edge in parsed.get_edges():
        label = edge.get("label").strip('"').split("\\n")
        found[edge.get_source(), edge.get_destination()] = (label, edge.get("color"))
    return found


# ------------------------------------------------------------------ the model


def test_model_as_mermaid() -> None:
    code, out, _ = capture("graph")
    assert code == 0
    found = mermaid_edges(out)
    fcp, rr = "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"
    assert found[NO_USER, fcp] == ["admin_create_user(message_action=None)"]
    assert found[NO_USER, "UNCONFIRMED"] == ["sign_up"]
    assert "admin_set_user_password(permanent=True)" in found[rr, "CONFIRMED"]
    assert "confirm_forgot_password(wrong_code=False)" in found[rr, "CONFIRMED"]
    assert found[rr, fcp] == ["admin_set_user_password(permanent=False)"]
    assert "admin_reset_user_password" in found["CONFIRMED", rr]
    assert "confirm_sign_up(wrong_code=False)" in found["UNCONFIRMED", "CONFIRMED"]
    assert not [label for labels in found.values() for label in labels if " (" in label]


def test_no_state_is_styled_as_current() -> None:
    _, out, _ = capture("graph")
    assert "s_active" not in out
    assert "class " not in out.lower().replace("classdef", "")


def test_model_as_dot_parses() -> None:
    code, out, _ = capture("graph", "--format", "dot")
    assert code == 0
    found = dot_edges(out)
    assert set(found) == set(mermaid_edges(capture("graph")[1]))
    assert found[NO_USER, "FORCE_CHANGE_PASSWORD"] == (
        ["admin_create_user(message_action=None)"],
        None,
    )
    assert "admin_set_user_password(permanent=True)" in found["RESET_REQUIRED", "CONFIRMED"][0]
    assert not [color for _, color in found.values() if color]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_output_ends_with_a_newline(fmt: str) -> None:
    """What is printed to a terminal or redirected to a file ends its last line."""
    _, out, _ = capture("graph", "--format", fmt)
    assert out.endswith("\n")


def test_labels_and_titles_are_escaped() -> None:
    """What Mermaid's grammar would end early, and what would end a dot string."""
    edges = [graph.Edge("CONFIRMED", NO_USER, 'op(a="x: y; %% direction LR")', "mismatch")]
    text = graph.mermaid(edges, 'a "quoted": title')
    found = mermaid_edges(text)
    assert found["CONFIRMED", NO_USER] == ['op(a="x∶ y, % direction lr") (mismatch)']
    assert 'title: "a \\"quoted\\": title"' in text
    dotted = dot_edges(graph.dot(edges, 'a "quoted" title'))
    assert dotted["CONFIRMED", NO_USER][0] == ['op(a=\\"x: y; %% direction LR\\") (mismatch)']


# ------------------------------------------------------------------ a record


@pytest.fixture(scope="module")
def moto_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "moto.jsonl"
    code, _, _ = capture("run", str(ARTICLE), "--record", str(path))
    assert code == 0
    return path


def test_record_as_mermaid_marks_the_known_gap(moto_article: Path) -> None:
    code, out, _ = capture("graph", str(moto_article))
    assert code == 0
    fcp = "FORCE_CHANGE_PASSWORD"
    assert mermaid_edges(out) == {
        (NO_USER, fcp): ["admin_create_user(email=False, message_action=None)"],
        (fcp, fcp): ["admin_initiate_auth(wrong_password=False) (known-gap)"],
        (fcp, "CONFIRMED"): ["admin_set_user_password(permanent=True)"],
    }


def test_record_as_dot_marks_the_departing_edge_red(moto_article: Path) -> None:
    code, out, _ = capture("graph", str(moto_article), "--format", "dot")
    assert code == 0
    found = dot_edges(out)
    fcp = "FORCE_CHANGE_PASSWORD"
    assert found[fcp, fcp] == (["admin_initiate_auth(wrong_password=False) (known-gap)"], "red")
    assert {pair for pair, (_, color) in found.items() if color} == {(fcp, fcp)}


def test_record_edges_mark_departures_and_drop_skipped_steps() -> None:
    before = INITIAL.as_dict() | {"status": "CONFIRMED", "enabled": True}
    seen = {"status": "CONFIRMED", "enabled": True, "email_verified": None, "outcome": "ok"}
    lines = [
        {"state_before": before, "state_after": before, "operation": "get_user"},
        {
            "state_before": before,
            "state_after": before,
            "operation": "forgot_password",
            "verdict": "mismatch",
            "predicted": seen | {"outcome": "error:InvalidParameterException"},
            "observed": seen,
        },
        {
            "state_before": before,
            "state_after": before | {"status": "RESET_REQUIRED"},
            "operation": "admin_reset_user_password",
            "verdict": "skipped",
        },
        {
            "state_before": before,
            "state_after": INITIAL.as_dict(),
            "operation": "admin_delete_user",
            "verdict": "match",
        },
    ]
    transitions = [Transition.from_record_line(line | {"params": {}}) for line in lines]
    assert graph.transition_edges(transitions) == [
        graph.Edge("CONFIRMED", "CONFIRMED", "forgot_password", "mismatch"),
        graph.Edge("CONFIRMED", NO_USER, "admin_delete_user"),
    ]
    text = graph.mermaid(graph.transition_edges(transitions), "t")
    assert mermaid_edges(text)["CONFIRMED", "CONFIRMED"] == ["forgot_password (mismatch)"]


def test_a_runs_diagram_draws_what_the_backend_did() -> None:
    """A wrong expectation is the scenario's, not the backend's: its step is drawn as
    the backend took it, unmarked; a real departure is marked."""
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True).expect(status="RESET_REQUIRED"),
    ]
    agreeing = Runner(DepartingBackend(at=99)).run_one(Scenario("wrong expectation", steps=steps))
    assert agreeing.steps[1].verdict == "mismatch"
    assert set(graph.transition_edges(agreeing.steps)) == {
        graph.Edge(NO_USER, "FORCE_CHANGE_PASSWORD", "admin_create_user(message_action=None)"),
        graph.Edge("FORCE_CHANGE_PASSWORD", "CONFIRMED", "admin_set_user_password(permanent=True)"),
    }
    departing = Runner(DepartingBackend(at=2, changes={"status": "RESET_REQUIRED"})).run_one(
        Scenario("backend departs", steps=steps)
    )
    fcp = "FORCE_CHANGE_PASSWORD"
    assert graph.Edge(
        fcp, "RESET_REQUIRED", "admin_set_user_password(permanent=True)", "mismatch"
    ) in graph.transition_edges(departing.steps)


def test_a_shipped_reference_record_draws_its_transitions() -> None:
    """`graph article`: the article's seven calls on real Cognito, not an empty diagram."""
    code, out, _ = capture("graph", "article")
    assert code == 0
    found = mermaid_edges(out)
    assert found[NO_USER, "FORCE_CHANGE_PASSWORD"] == [
        "admin_create_user(email=False, message_action=None)"
    ]
    assert found["FORCE_CHANGE_PASSWORD", "CONFIRMED"] == [
        "admin_set_user_password(permanent=True)"
    ]

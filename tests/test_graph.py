"""Graph: the model or a record as a Mermaid stateDiagram-v2 (valid for GitHub: lowercase
`class`, plain state names, `X --> Y: label` edges) or as Graphviz dot, with the edges
where a backend left the model marked in their labels (and red in dot).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from conftest import ARTICLE

from cognito_states import cli, graph
from cognito_states.model import INITIAL
from cognito_states.statuses import NO_USER
from cognito_states.transition import Transition

EDGE = re.compile(r"^  (\S+) --> (\S+): (.+)$")
DOT_EDGE = re.compile(r'^  (\S+) -> (\S+) \[label="([^"]*)"(.*)\];$')
STATE = re.compile(r'^  state "([^"]*)" as (\S+)$')
NAME = re.compile(r"^[A-Z_]+$")


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def edges(text: str) -> dict[tuple[str, str], str]:
    found = {}
    for line in text.splitlines():
        match = EDGE.match(line)
        if match:
            found[match[1], match[2]] = match[3]
    return found


def dot_edges(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    found = {}
    for line in text.splitlines():
        match = DOT_EDGE.match(line)
        if match:
            found[match[1], match[2]] = (match[3], match[4])
    return found


def assert_valid_mermaid(text: str) -> None:
    lines = text.splitlines()
    assert "stateDiagram-v2" in lines[:4]
    assert not [x for x in lines if x.strip().startswith("Class ")]
    declared = set()
    for line in lines:
        state = STATE.match(line)
        if state:
            assert NAME.match(state[2]), state[2]  # no dash, no space, no lowercase
            declared.add(state[2])
    classed = {x.split()[1] for x in lines if x.strip().startswith("class ")}
    assert classed == declared
    found = edges(text)
    assert found
    for src, dst in found:
        assert {src, dst} <= declared
    body = [x for x in lines[lines.index("stateDiagram-v2") + 1 :] if x.strip()]
    unknown = [
        x
        for x in body
        if not (
            EDGE.match(x)
            or STATE.match(x)
            or x.startswith(("  class ", "  classDef ", "  direction "))
            or x == f"  [*] --> {NO_USER}"
        )
    ]
    assert unknown == []


# ------------------------------------------------------------------ the model


def test_model_as_mermaid() -> None:
    code, out, _ = capture("graph")
    assert code == 0
    assert_valid_mermaid(out)
    found = edges(out)
    assert found[NO_USER, "FORCE_CHANGE_PASSWORD"] == "admin_create_user"
    assert found[NO_USER, "UNCONFIRMED"] == "sign_up"
    assert "confirm_forgot_password" in found["RESET_REQUIRED", "CONFIRMED"].split(" / ")
    assert "admin_reset_user_password" in found["CONFIRMED", "RESET_REQUIRED"]
    assert not [label for label in found.values() if "(" in label]  # no departure in a model


def test_model_as_dot() -> None:
    code, out, _ = capture("graph", "--format", "dot")
    assert code == 0
    assert out.startswith("digraph ")
    assert out.endswith("}\n")
    found = dot_edges(out)
    assert set(found) == set(edges(capture("graph")[1]))
    assert found[NO_USER, "FORCE_CHANGE_PASSWORD"][0] == "admin_create_user"
    assert not [style for _, style in found.values() if "red" in style]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_output_ends_with_a_newline(fmt: str) -> None:
    """What is printed to a terminal or redirected to a file ends its last line."""
    _, out, _ = capture("graph", "--format", fmt)
    assert out.endswith("\n")


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
    assert_valid_mermaid(out)
    found = edges(out)
    fcp = "FORCE_CHANGE_PASSWORD"
    assert found == {
        (NO_USER, fcp): "admin_create_user",
        (fcp, fcp): "admin_initiate_auth (known-gap)",
        (fcp, "CONFIRMED"): "admin_set_user_password",
    }


def test_record_as_dot_marks_the_departing_edge_red(moto_article: Path) -> None:
    code, out, _ = capture("graph", str(moto_article), "--format", "dot")
    assert code == 0
    assert out.startswith("digraph ")
    found = dot_edges(out)
    fcp = "FORCE_CHANGE_PASSWORD"
    label, style = found[fcp, fcp]
    assert label == "admin_initiate_auth (known-gap)"
    assert "color=red" in style
    red = {pair for pair, (_, s) in found.items() if "red" in s}
    assert red == {(fcp, fcp)}


def test_record_edges_mark_mismatches_and_drop_skipped_steps() -> None:
    before = INITIAL.as_dict() | {"status": "CONFIRMED", "enabled": True}
    lines = [
        {
            "state_before": before,
            "state_after": before,
            "operation": "get_user",
            "verdict": "match",
        },
        {
            "state_before": before,
            "state_after": before,
            "operation": "forgot_password",
            "verdict": "mismatch",
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
    assert edges(text)["CONFIRMED", "CONFIRMED"] == "forgot_password (mismatch)"


def test_a_shipped_reference_record_draws_its_transitions() -> None:
    """`graph article`: the article's seven calls on real Cognito, not an empty diagram."""
    code, out, _ = capture("graph", "article")
    assert code == 0
    found = edges(out)
    assert found.get((NO_USER, "FORCE_CHANGE_PASSWORD")) == "admin_create_user"
    assert "admin_set_user_password" in found.get(("FORCE_CHANGE_PASSWORD", "CONFIRMED"), "")

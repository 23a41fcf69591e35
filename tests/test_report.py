"""Reports: `run --report`, `explore --report` and `diff --report` write Markdown with a
Mermaid diagram in a fenced block and a table (for a pull request or
$GITHUB_STEP_SUMMARY), and an SVG of the main table beside the Markdown file.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ARTICLE, unlisted

from cognito_states import cli

OPENING = re.compile(r"^ {0,3}(`{3,})\s*(\S*)")
CLOSING = re.compile(r"^ {0,3}(`{3,})\s*$")


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@dataclass
class Markdown:
    """A Markdown file split as CommonMark does: fenced code blocks and the rest."""

    blocks: list[tuple[str, list[str]]]  # (info string, lines), in order
    prose: list[str]  # the lines outside every fenced block
    unclosed: bool

    @classmethod
    def parse(cls, text: str) -> Markdown:
        blocks: list[tuple[str, list[str]]] = []
        prose: list[str] = []
        fence: str | None = None
        for line in text.splitlines():
            if fence is None:
                opening = OPENING.match(line)
                if opening:
                    fence = opening[1]
                    blocks.append((opening[2], []))
                else:
                    prose.append(line)
            else:
                closing = CLOSING.match(line)
                if closing and len(closing[1]) >= len(fence):
                    fence = None
                else:
                    blocks[-1][1].append(line)
        return cls(blocks, prose, fence is not None)

    def tables(self) -> list[list[str]]:
        """Each pipe table outside the code blocks: header, delimiter, rows."""
        found: list[list[str]] = []
        lines = self.prose
        for i, line in enumerate(lines[:-1]):
            if line.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1]):
                rows = [line, lines[i + 1]]
                for more in lines[i + 2 :]:
                    if not more.startswith("|"):
                        break
                    rows.append(more)
                found.append(rows)
        return found


# ------------------------------------------------------------------ the parser itself


def test_the_parser_sees_an_unclosed_fence() -> None:
    closed = Markdown.parse("```mermaid\nA --> B\n```\n\n| a |\n|---|\n| 1 |\n")
    assert (closed.unclosed, closed.blocks, closed.tables()) == (
        False,
        [("mermaid", ["A --> B"])],
        [["| a |", "|---|", "| 1 |"]],
    )
    glued = Markdown.parse("```mermaid\nA --> B```\n\n| a |\n|---|\n| 1 |\n")
    assert glued.unclosed
    assert glued.tables() == []


# ------------------------------------------------------------------ run, explore, diff

HEADERS = {
    "run": ("#", "operation", "predicted", "observed", "verdict"),
    "explore": ("state", "operation", "predicted", "observed", "verdict"),
    "diff": ("state", "operation", "params", "a", "b"),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three reports: the article on moto, a limited exploration, and the diff of
    the article's real-Cognito reference against the moto run's record."""
    folder = tmp_path_factory.mktemp("reports")
    record = folder / "moto.jsonl"
    made = {kind: folder / f"{kind}.md" for kind in HEADERS}
    with pytest.MonkeyPatch.context() as mp, unlisted(26):  # a departure to report
        mp.chdir(folder)  # the exploration's reproducers go here
        codes = {
            "run": capture(
                "run", str(ARTICLE), "--record", str(record), "--report", str(made["run"])
            )[0],
            "explore": capture(
                "explore", "--limit", "40", "--workers", "1", "--report", str(made["explore"])
            )[0],
            "diff": capture("diff", "article", str(record), "--report", str(made["diff"]))[0],
        }
    assert codes == {"run": 0, "explore": 1, "diff": 1}
    return made


def table(md: Path, headers: tuple[str, ...]) -> list[str]:
    """The pipe table whose header starts with ``headers``: header, delimiter, rows."""
    lines = md.read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("| " + " | ".join(headers)))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    assert re.fullmatch(r"\|(-+\|)+", rows[1])
    return rows


@pytest.mark.parametrize("kind", list(HEADERS))
def test_report_has_its_table_and_an_svg_beside_it(reports: dict[str, Path], kind: str) -> None:
    md = reports[kind]
    rows = table(md, HEADERS[kind])
    assert len(rows) > 2
    svg = md.with_suffix(".svg")
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert f"]({svg.name})" in md.read_text(encoding="utf-8")  # the Markdown shows it


@pytest.mark.parametrize("kind", list(HEADERS))
def test_report_has_a_mermaid_diagram_in_a_closed_block(
    reports: dict[str, Path], kind: str
) -> None:
    doc = Markdown.parse(reports[kind].read_text(encoding="utf-8"))
    mermaid = [lines for info, lines in doc.blocks if info == "mermaid"]
    assert len(mermaid) == 1, "no mermaid block"
    assert not doc.unclosed, "the mermaid block is never closed: it swallows the report"
    assert "stateDiagram-v2" in mermaid[0]
    assert [x for x in mermaid[0] if "-->" in x]
    assert doc.tables(), "the table is inside a code block"


def test_run_report_rows(reports: dict[str, Path]) -> None:
    rows = table(reports["run"], HEADERS["run"])[2:]
    assert len(rows) == 7  # the article's seven steps
    assert "| known-gap |" in rows[3]
    assert "(known-gap)" in reports["run"].read_text(encoding="utf-8")  # on the diagram


def test_explore_report_lists_departures_only(reports: dict[str, Path]) -> None:
    rows = table(reports["explore"], HEADERS["explore"])[2:]
    assert all("| match |" not in row for row in rows)
    assert any("| mismatch |" in row for row in rows)


def test_diff_report_row(reports: dict[str, Path]) -> None:
    (row,) = table(reports["diff"], HEADERS["diff"])[2:]
    assert "admin_initiate_auth" in row
    assert "userAttributes.email" in row

"""What people read, at the widths they read it: every shipped scenario and a 500-step
one at 80, 100, 120 and 200 columns (no word cut, no line too wide, every step's
operation, status and verdict whole), golden step views at 80, 100 and 160 columns with
NO_COLOR, the marks, the summary, the model's views and the layout rules themselves.

Set UPDATE_GOLDEN=1 to rewrite tests/golden/*.txt after a deliberate change.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import DepartingBackend
from rich.console import Console

from cognito_states import cli, layout, render
from cognito_states.backends import make_backend
from cognito_states.layout import Cell, Column, Line, Word
from cognito_states.model import CognitoModel
from cognito_states.runner import Runner, RunResult, ScenarioResult
from cognito_states.scenario import Pool, Scenario, Step, step
from cognito_states.statuses import NO_USER, Verdict

GOLDEN = Path(__file__).parent / "golden"
README = Path(__file__).resolve().parent.parent / "README.md"
EXCERPT = re.compile(
    r"<!-- excerpt: COLUMNS=(\d+) cognito-states ([^>]*?) -->\n```text\n(.*?)```\n", re.S
)
WIDTHS = (80, 100, 120, 200)
GOLDEN_WIDTHS = (80, 100, 160)


def rendered(renderable: Any, width: int) -> str:
    """What a console of this width prints with NO_COLOR (piped: no escape codes)."""
    console = Console(file=io.StringIO(), width=width, no_color=True, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


def tokens(text: str) -> set[str]:
    """The words of a text, where a layout may break a line: at spaces and after an
    operation's opening parenthesis (rules of dashes left out)."""
    found = re.split(r"\s+|(?<=\()", text)
    return {t for t in found if t and set(t) != {"─"}}


def assert_no_word_cut(narrow: str, wide: str) -> None:
    """Every word at a narrow width is a word of the same content laid out with room
    to spare (the labels of notes aside): nothing was split or cut."""
    assert "…" not in narrow
    cut = tokens(narrow) - tokens(wide) - {"note", "rule:", "step"}
    assert cut == set(), cut


def assert_within(text: str, width: int) -> None:
    from rich.cells import cell_len

    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert wide == [], wide


def step_blocks(text: str, steps: Sequence[Any]) -> dict[int, list[str]]:
    """Each step's lines: from the line that starts with its number and operation to
    the next step's (whatever the layout)."""
    lines = text.splitlines()
    starts = []
    at = 0
    for s in steps:
        head = re.compile(rf"^\s*{s.index}\s{{2,}}{s.step.op}\(")
        while not head.match(lines[at]):
            at += 1
        starts.append(at)
        at += 1
    ends = [*starts[1:], len(lines)]
    return {s.index: lines[a:b] for s, a, b in zip(steps, starts, ends, strict=True)}


def assert_steps_whole(text: str, result: ScenarioResult) -> None:
    """Every step's operation name, status and verdict appear whole, the verdict on the
    step's first line."""
    blocks = step_blocks(text, result.steps)
    for s in result.steps:
        block = blocks[s.index]
        verdict = re.escape(str(s.verdict))
        assert re.search(rf"(?<![\w-]){verdict}(?![\w-])", block[0]), (s.index, block[0])
        view = s.observed or s.predicted
        assert view is not None
        status = view.status or NO_USER
        assert re.search(rf"(?<![A-Z_]){status}(?![A-Z_])", "\n".join(block)), (s.index, block)


# ------------------------------------------------------------------ shipped scenarios


@pytest.fixture(scope="module", params=["moto", "model"])
def shipped_results(request: pytest.FixtureRequest, shipped: list[Scenario]) -> Any:
    backend = make_backend(request.param)
    backend.open()
    try:
        results = [Runner(backend).run_one(s) for s in shipped]
    finally:
        backend.close()
    return request.param, results


@pytest.mark.parametrize("width", WIDTHS)
def test_every_shipped_scenario_reads_whole(shipped_results: Any, width: int) -> None:
    backend, results = shipped_results
    for result in results:
        text = rendered(render.scenario_view(result, backend), width)
        assert_within(text, width)
        assert_no_word_cut(text, rendered(render.scenario_view(result, backend), 1000))
        assert_steps_whole(text, result)
        assert result.scenario.name.split()[0] in text


def test_at_80_columns_each_step_is_a_stacked_block(shipped_results: Any) -> None:
    """80 columns cannot hold the step table's columns: each step is a block whose first
    line holds its number, operation and verdict, the values labelled beneath."""
    backend, results = shipped_results
    text = rendered(render.scenario_view(results[0], backend), 80)
    assert "─" not in text  # no column headers
    first = results[0].steps[0]
    block = step_blocks(text, [first])[first.index]
    assert block[0].rstrip().endswith(str(first.verdict))
    assert re.search(r"^\s+status .*enabled .*email_verified ", block[1])
    assert any(re.match(r"^\s+rule (DOC|EX|OBS|INFERRED|UNCONFIRMED) ", x) for x in block)


# ------------------------------------------------------------------ a long scenario

CYCLE = (
    step.admin_initiate_auth(),
    step.get_user(),
    step.admin_user_global_sign_out(),
    step.get_user(),
    step.admin_disable_user(),
    step.admin_enable_user(),
    step.admin_update_user_attributes(email_verified=True),
    step.admin_reset_user_password(),
    step.admin_set_user_password(permanent=True),
)


@pytest.fixture(scope="module")
def long_result() -> ScenarioResult:
    """500 steps on the model, but for step 7, where the backend keeps the user
    FORCE_CHANGE_PASSWORD against the model and the scenario's expectation."""
    steps: list[Step] = [step.admin_create_user(), step.admin_set_user_password(permanent=True)]
    while len(steps) < 500:
        steps += CYCLE
    steps = steps[:500]
    steps[6] = steps[6].expect(status="CONFIRMED")
    backend = DepartingBackend(at=7, changes={"status": "FORCE_CHANGE_PASSWORD"})
    result = Runner(backend).run_one(Scenario("five hundred steps", steps=steps))
    assert len(result.steps) == 500
    return result


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_scenario_keeps_a_verdict_on_every_step(
    long_result: ScenarioResult, width: int
) -> None:
    text = rendered(render.scenario_view(long_result, "departing"), width)
    assert_within(text, width)
    assert_no_word_cut(text, rendered(render.scenario_view(long_result, "departing"), 1000))
    assert_steps_whole(text, long_result)
    assert len(text.splitlines()) < 2 * 500  # mostly one line a step


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_scenario_shows_the_difference_under_each_departing_step(
    long_result: ScenarioResult, width: int
) -> None:
    text = rendered(render.scenario_view(long_result, "departing"), width)
    departing = [s for s in long_result.steps if s.verdict is not Verdict.match]
    assert departing
    blocks = step_blocks(text, long_result.steps)
    for s in departing:
        below = " ".join(" ".join(x.split()) for x in blocks[s.index][1:])
        assert s.note
        assert " ".join(s.note.split()) in below
    seventh = " ".join(" ".join(x.split()) for x in blocks[7])
    assert "status ✗ FORCE_CHANGE_PASSWORD expected CONFIRMED model CONFIRMED" in seventh
    matching = [s for s in long_result.steps if s.verdict is Verdict.match]
    assert all(len(blocks[s.index]) <= 2 for s in matching)  # an operation may wrap once


# ------------------------------------------------------------------ golden step views


@pytest.fixture(scope="module")
def article_on_model(model_backend: Any, article: Scenario) -> ScenarioResult:
    return Runner(model_backend).run_one(article)


@pytest.fixture(scope="module")
def departure() -> ScenarioResult:
    steps = [
        step.admin_create_user(),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        step.admin_initiate_auth().expect(outcome="tokens"),
        step.get_user().expect(outcome="tokens"),
    ]
    backend = DepartingBackend(at=2, changes={"status": "FORCE_CHANGE_PASSWORD"})
    return Runner(backend).run_one(Scenario("departure", steps=steps))


@pytest.mark.parametrize("width", GOLDEN_WIDTHS)
def test_article_golden(article_on_model: ScenarioResult, width: int) -> None:
    text = rendered(render.scenario_view(article_on_model, "model"), width)
    assert "\x1b[" not in text
    check_golden(f"article_model_{width}.txt", text)


@pytest.mark.parametrize("width", GOLDEN_WIDTHS)
def test_departure_golden(departure: ScenarioResult, width: int) -> None:
    check_golden(f"departure_{width}.txt", rendered(render.scenario_view(departure, "x"), width))


def test_the_layout_follows_the_width(article_on_model: ScenarioResult) -> None:
    """Wide: one line a step with the rule's source in a column; narrower: the sources
    move to the notes under the table; narrower still: a stacked block per step."""
    view = render.scenario_view(article_on_model, "model")
    wide, middle, narrow = rendered(view, 220), rendered(view, 160), rendered(view, 120)
    assert re.search(r"^#\s+operation\s+status\s+enabled\s+email_verified\s+outcome", wide, re.M)
    assert re.search(r"\bverdict\s+rule$", wide, re.M)
    assert re.search(r"\bverdict$", middle, re.M)
    assert "  step 1 rule: DOC S1, S16, seed-article" in middle
    assert "─" not in narrow
    assert re.search(r"^   rule DOC S1, S16, seed-article", narrow, re.M)


def test_expectations_sit_with_their_values(departure: ScenarioResult) -> None:
    """✗ where the backend contradicts the scenario (``expected`` beneath), ≠ where the
    model predicted otherwise (``model`` beneath), ✓ where it is as expected."""
    text = rendered(render.scenario_view(departure, "x"), 160)
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("2  admin_set_user_password("))
    column = lines[at].index("✗ FORCE_CHANGE_PASSWORD")
    assert lines[at + 1][column:].strip() == "expected CONFIRMED"
    assert lines[at + 2][column:].strip() == "model CONFIRMED"
    assert "expect " not in text
    article = rendered(render.scenario_view(departure, "x"), 80)
    assert "✗ n/a" in article  # get_user without tokens, where tokens were expected


def test_a_known_gap_shows_the_models_value(moto_backend: Any, article: Scenario) -> None:
    result = Runner(moto_backend).run_one(article)
    assert result.steps[3].verdict is Verdict.known_gap
    block = step_blocks(rendered(render.scenario_view(result, "moto"), 100), result.steps)[4]
    assert block[0].rstrip().endswith("known-gap")
    expected = (
        "status FORCE_CHANGE_PASSWORD enabled yes email_verified yes outcome"
        " ≠ challenge:NEW_PASSWORD_REQUIRED [] model challenge:NEW_PASSWORD_REQUIRED"
        f' ["userAttributes.email"] note {result.steps[3].note}'
        " rule EX S15, seed-article"
    )
    assert " ".join(block[1:]).split() == expected.split()


def test_fields_drive_the_layout(article_on_model: ScenarioResult) -> None:
    """A field added to the list slots into every layout (here the answer's message)."""
    fields = (*render.FIELDS, "message")
    view = render.scenario_view(article_on_model, "model", fields)
    assert re.search(r"\boutcome\s+message\s+verdict", rendered(view, 220))
    assert re.search(r"^\s+.*\bmessage —", rendered(view, 80), re.M)
    assert_within(rendered(view, 80), 80)


def test_skipped_steps_show_the_models_value_aside(run_model: Any) -> None:
    from cognito_states.transition import Transition

    result = run_model([step.admin_create_user(), step.admin_set_user_password()])
    skipped = Transition(
        result.steps[1].before,
        result.steps[1].step,
        result.steps[1].predicted,
        None,
        Verdict.skipped,
        note="no code source",
        index=2,
    )
    cut = ScenarioResult(result.scenario, (result.steps[0], skipped))
    text = rendered(render.scenario_view(cut, "model"), 80)
    assert "(FORCE_CHANGE_PASSWORD)" in text
    assert "note no code source" in text


def test_drift_is_a_table_of_declared_against_actual(run_model: Any) -> None:
    ok = run_model([step.admin_create_user()])
    drifted = ScenarioResult(
        ok.scenario,
        (),
        drift=(
            ("auto_verified_attributes", ("email",), ()),
            ("prevent_user_existence_errors", "ENABLED", "LEGACY"),
        ),
    )
    wide = rendered(render.scenario_view(drifted, "aws"), 200)
    assert re.search(r"^Pool keyword\s+declared\s+actual$", wide, re.M)
    assert re.search(r"^prevent_user_existence_errors\s+ENABLED\s+LEGACY$", wide, re.M)
    narrow = rendered(render.scenario_view(drifted, "aws"), 80)
    assert_within(narrow, 80)
    assert_no_word_cut(narrow, wide)
    assert "no user was created" in " ".join(narrow.split())


# ------------------------------------------------------------------ the summary


def _run(*results: ScenarioResult, **kw: Any) -> RunResult:
    run = RunResult("model", {}, **kw)
    run.scenarios += results
    return run


def test_summary_line(article_on_model: ScenarioResult, run_model: Any) -> None:
    assert render.summary_line(_run(article_on_model, article_on_model)) == (
        "2 scenarios, 14 steps on model: 14 match — passed (exit 0)"
    )
    assert (
        render.summary_line(_run())
        == "0 scenarios, 0 steps on model: nothing run — passed (exit 0)"
    )
    assert render.summary_line(_run(article_on_model, interrupted=True)) == (
        "1 scenario, 7 steps on model: 7 match — interrupted (exit 2)"
    )
    one = run_model([step.admin_create_user()])
    assert render.summary_line(_run(one)) == (
        "1 scenario, 1 step on model: 1 match — passed (exit 0)"
    )


def test_summary_names_each_failed_scenario(run_model: Any, tmp_path: Path) -> None:
    wrong = run_model([step.admin_create_user(), step.get_user().expect(outcome="tokens")])
    ok = run_model([step.admin_create_user()])
    file = Path.cwd() / "scenarios" / "x.py"
    wrong = ScenarioResult(
        Scenario("signs in", steps=wrong.scenario.steps, file=str(file)), wrong.steps
    )
    run = _run(wrong, ok, wrong)
    assert render.summary_line(run) == (
        "3 scenarios, 5 steps on model: 3 match, 2 mismatch — 2 failed (exit 1)"
    )
    first = (
        "FAILED scenarios/x.py::signs in — step 2 mismatch: scenario expects"
        " outcome='tokens' but the model predicts outcome='n/a': the model or the"
        " scenario is wrong"
    )
    assert render.failed_lines(run) == [first, first]
    text = rendered(render.summary(run), 80)
    assert_within(text, 80)
    assert " ".join(text.split()) == " ".join([first, first, render.summary_line(run)])
    assert text.splitlines()[0].startswith("FAILED scenarios/x.py::signs in — step 2")
    assert text.splitlines()[1].startswith("    ")  # wrapped under the FAILED line


def test_failure_line(run_model: Any) -> None:
    wrong = run_model([step.admin_create_user(), step.get_user().expect(outcome="tokens")])
    assert render.failure_line(wrong).startswith("step 2 mismatch: scenario expects")
    stopped = ScenarioResult(wrong.scenario, wrong.steps[:1], "connection reset")
    assert render.failure_line(stopped) == "stopped at step 2: connection reset"
    drifted = ScenarioResult(wrong.scenario, (), drift=(("auth_flows", ("A",), ()),))
    assert render.failure_line(drifted) == (
        "the pool's settings differ from the scenario's Pool(...):"
        " auth_flows declared A, actual (none)"
    )


def test_run_json_is_the_result(article_on_model: ScenarioResult) -> None:
    run = _run(article_on_model)
    assert json.loads(render.run_json(run)) == json.loads(json.dumps(run.as_dict()))


# ------------------------------------------------------------------ the model


def test_model_overview_one_row_per_status_change() -> None:
    model = CognitoModel(Pool())
    changes = model.status_changes()
    assert all(c.before != c.after for c in changes)
    labels = {(c.before, c.after): [] for c in changes}
    for c in changes:
        labels[c.before, c.after].append(c.row.label)
    assert "admin_set_user_password(permanent=True)" in labels["RESET_REQUIRED", "CONFIRMED"]
    assert labels["RESET_REQUIRED", "FORCE_CHANGE_PASSWORD"] == [
        "admin_set_user_password(permanent=False)"
    ]
    respond = next(c for c in changes if c.row.step.op == "respond_to_auth_challenge")
    assert dict(respond.when) == {"challenge": "NEW_PASSWORD_REQUIRED"}
    view = render.model_overview(changes, Pool())
    wide = rendered(view, 1000)
    for width in WIDTHS:
        text = rendered(view, width)
        assert_within(text, width)
        assert_no_word_cut(text, wide)
        for c in changes:
            assert c.row.label.split("(")[0] + "(" in text
    assert re.search(r"^to\s+operation\s+outcome\s+confidence\s+source$", wide, re.M)
    froms = re.findall(r"^From (\S+)$", rendered(view, 80), re.M)
    assert froms == list(dict.fromkeys(c.before for c in changes))  # each status once
    assert "when challenge NEW_PASSWORD_REQUIRED pending" in wide


def test_model_state_shows_exits_first_and_counts_the_refusals() -> None:
    rows = CognitoModel(Pool()).table("FORCE_CHANGE_PASSWORD")
    text = rendered(render.state_view(rows), 100)
    assert_within(text, 100)
    assert_no_word_cut(text, rendered(render.state_view(rows), 1000))
    assert "admin_create_user(message_action='RESEND')" in text
    first_state = text.split("\n\n")[0]
    assert first_state.index("admin_set_user_password(permanent=True)") < first_state.index(
        "admin_create_user(message_action='RESEND')"
    )
    refused = [r for r in rows if r.kind == "refused" and r.state == rows[0].state]
    assert f"{len(refused)} more operations refused here" in " ".join(first_state.split())
    assert "admin_confirm_sign_up()" not in first_state  # refused: counted, not listed
    everything = rendered(render.state_view(rows, show_all=True), 100)
    assert "admin_confirm_sign_up()" in everything
    assert "refused here" not in everything


def test_table_rows_name_the_keywords_that_matter() -> None:
    model = CognitoModel(Pool())
    assert model.keywords_that_matter(step.admin_set_user_password().op) == ("permanent",)
    assert model.keywords_that_matter(step.admin_delete_user().op) == ()
    rows = {r.label: r for r in model.table("FORCE_CHANGE_PASSWORD")}
    assert "admin_set_user_password(permanent=False)" in rows
    assert rows["admin_set_user_password(permanent=True)"].kind == "exit"
    assert rows["admin_create_user(message_action=None)"].kind == "refused"
    assert rows["admin_create_user(message_action='RESEND')"].kind == "stays"


def test_transition_table_agrees_with_the_model() -> None:
    model = CognitoModel(Pool())
    rows = model.table("FORCE_CHANGE_PASSWORD")
    fresh = CognitoModel(Pool())
    for row in rows:
        assert fresh.predict(row.state, row.step) == row.prediction
        assert row.as_dict()["outcome"] == row.prediction.outcome
        assert row.as_dict()["label"] == row.label


# ------------------------------------------------------------------ the layout rules


def test_fit_gives_each_column_its_longest_word_first() -> None:
    assert layout.fit([5, 10], [5, 30], 14) is None
    assert layout.fit([5, 10], [5, 30], 40) == [5, 30]
    assert layout.fit([5, 10, 4], [8, 30, 40], 30, [1, 1, 2]) == [8, 18, 4]
    assert layout.fit([5, 10, 4], [8, 30, 40], 30, [1, 0, 2]) == [5, 21, 4]


def test_an_operation_breaks_only_between_its_keywords() -> None:
    op = layout.call("admin_create_user", ["email=False", "message_action='RESEND'"])
    cell = Cell((op,))
    assert cell.max_width() == len("admin_create_user(email=False, message_action='RESEND')")
    assert cell.min_width() == len("  message_action='RESEND')")
    lines = [x.plain for x in cell.render(30)]
    assert lines == ["admin_create_user(email=False,", "  message_action='RESEND')"]
    assert [x.plain for x in cell.render(20)] == [
        "admin_create_user(",
        "  email=False,",
        "  message_action='RESEND')",
    ]


def test_free_text_wraps_at_spaces_and_folds_only_what_no_line_holds() -> None:
    text = "see " + "x" * 30 + " and more"
    lines = [x.plain for x in layout.wrap(text, 24, indent=2)]
    assert lines[0] == "  see"
    assert all(len(x) <= 24 for x in lines)
    assert lines[1] == "    " + "x" * 20  # folded: no line holds it whole
    assert "".join("".join(lines).split()) == "see" + "x" * 30 + "andmore"


def test_a_table_stacks_rather_than_squeezes() -> None:
    table = layout.Table(
        (Column("name", "head"), Column("status"), Column("verdict", "end")),
    )
    table.add_row(Cell.of("a"), Cell((Line((Word("FORCE_CHANGE_PASSWORD"),)),)), Cell.of("match"))
    wide = [x.plain for x in table.lines(60)]
    assert wide[0].split() == ["name", "status", "verdict"]
    assert wide[2].split() == ["a", "FORCE_CHANGE_PASSWORD", "match"]
    narrow = [x.plain for x in table.lines(30)]
    assert narrow == ["a                        match", "  status FORCE_CHANGE_PASSWORD"]


# ------------------------------------------------------------------ the README


def test_readme_excerpts_are_what_the_commands_print(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each text excerpt in the README is its command's output at its width, today
    (UPDATE_GOLDEN=1 rewrites them)."""
    monkeypatch.chdir(README.parent)
    text = README.read_text(encoding="utf-8")
    found = list(EXCERPT.finditer(text))
    assert len(found) >= 2
    current = text
    for match in reversed(found):
        monkeypatch.setenv("COLUMNS", match[1])
        cli.main(match[2].split())
        out = capsys.readouterr().out
        assert_within(out, int(match[1]))
        current = current[: match.start(3)] + out + current[match.end(3) :]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        README.write_text(current, encoding="utf-8")
    assert current == text

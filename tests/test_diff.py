"""Diff: shipped reference records of real Cognito (with provenance), two records
compared by (state before, operation, keywords) on the observed fields both carry, the
exit code, --json, and one-line refusals of files that are not records.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE

from cognito_states import cli
from cognito_states.diff import diff_records
from cognito_states.model import INITIAL
from cognito_states.record import (
    REFERENCE_DIR,
    read_record,
    reference_records,
    resolve_record,
)

HEADER = {"cognito_states_record": 1, "kind": "run", "backend": "test", "versions": {}}


def capture(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def write_record(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(x) + "\n" for x in (HEADER, *lines)), encoding="utf-8")
    return path


def line(operation: str, observed: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "state_before": extra.pop("state_before", INITIAL.as_dict()),
        "operation": operation,
        "params": extra.pop("params", {}),
        "observed": observed,
        "verdict": extra.pop("verdict", "match"),
        **extra,
    }


# ------------------------------------------------------------------ shipped references


@pytest.mark.parametrize("name", ["article", "aws-cli"])
def test_reference_records_resolve_by_name_and_cite_a_source(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not found in the working folder: the shipped one
    path = resolve_record(name)
    assert path == REFERENCE_DIR / f"{name}.jsonl"
    assert path in list(reference_records())
    record = read_record(path)
    assert record.header["cognito_states_record"] == 1
    assert record.lines
    for item in record.lines:
        assert isinstance(item.get("source"), str)
        assert item["source"].strip()
        assert item["observed"]


@pytest.fixture(scope="module")
def article_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("article")
    records = {}
    for backend in ("moto", "model"):
        records[backend] = folder / f"{backend}.jsonl"
        code, _, _ = capture(
            "run", str(ARTICLE), "--backend", backend, "--record", str(records[backend])
        )
        assert code == 0
    return records


def test_article_against_moto_shows_the_required_attributes(
    article_records: dict[str, Path],
) -> None:
    code, out, err = capture("diff", "article", str(article_records["moto"]), "--json")
    assert (code, err) == (1, "")
    doc = json.loads(out)
    assert (doc["compared"], doc["only_a"], doc["only_b"]) == (7, 0, 0)
    (change,) = doc["changed"]
    assert change["operation"] == "admin_initiate_auth"
    assert change["params"] == {"wrong_password": False}
    assert change["state"]["status"] == "FORCE_CHANGE_PASSWORD"
    assert change["a"] == {"required_attributes": ["userAttributes.email"]}
    assert change["b"] == {"required_attributes": []}
    assert change["source_a"].endswith("step 4")


def test_article_against_moto_as_a_table(
    article_records: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no cell folded
    code, out, _ = capture("diff", "article", str(article_records["moto"]))
    assert code == 1
    (row,) = [r for r in out.splitlines() if "admin_initiate_auth(wrong_password=False)" in r]
    assert 'required_attributes=["userAttributes.email"]' in row
    assert "required_attributes=[]" in row
    assert "step 4" in row
    assert out.splitlines()[-1] == (
        "7 transitions in both: 1 changed, they differ; 0 only in A, 0 only in B"
    )


def test_article_against_the_model_is_clean(article_records: dict[str, Path]) -> None:
    code, out, _ = capture("diff", "article", str(article_records["model"]))
    assert code == 0
    assert (
        out.strip() == "7 transitions in both: 0 changed, no difference; 0 only in A, 0 only in B"
    )


def test_diff_json_keys(article_records: dict[str, Path]) -> None:
    code, out, _ = capture("diff", "article", str(article_records["model"]), "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"cognito_states", "a", "b", "compared", "changed", "only_a", "only_b"}
    assert doc["cognito_states"] == 1
    assert doc["a"] == str(REFERENCE_DIR / "article.jsonl")
    assert doc["b"] == str(article_records["model"])
    assert (doc["compared"], doc["changed"]) == (7, [])


def test_two_explorations_on_moto_do_not_differ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for path in (first, second):
        code, _, _ = capture("explore", "--limit", "40", "--workers", "1", "--record", str(path))
        assert code == 0  # moto departs here only where its list of known gaps says
    code, out, _ = capture("diff", str(first), str(second))
    assert code == 0
    assert "no difference" in out
    assert out.startswith("40 transitions in both: 0 changed")


# ------------------------------------------------------------------ what is compared


def test_only_fields_both_records_carry_are_compared(tmp_path: Path) -> None:
    a = write_record(tmp_path / "a.jsonl", line("sign_up", {"outcome": "ok"}))
    b = write_record(
        tmp_path / "b.jsonl", line("sign_up", {"outcome": "ok", "status": "UNCONFIRMED"})
    )
    result = diff_records(read_record(a), read_record(b))
    assert (result.compared, result.changed, result.differ) == (1, [], False)


def test_a_changed_field_is_reported_alone(tmp_path: Path) -> None:
    a = write_record(
        tmp_path / "a.jsonl",
        line("sign_up", {"outcome": "ok", "status": "UNCONFIRMED"}, source="S4"),
    )
    b = write_record(
        tmp_path / "b.jsonl", line("sign_up", {"outcome": "ok", "status": "CONFIRMED"})
    )
    result = diff_records(read_record(a), read_record(b))
    (change,) = result.changed
    assert result.differ
    assert (change.values(change.a), change.values(change.b)) == (
        {"status": "UNCONFIRMED"},
        {"status": "CONFIRMED"},
    )
    assert (change.a.source, change.b.source) == ("S4", None)


def test_lines_match_by_state_operation_and_keywords(tmp_path: Path) -> None:
    confirmed = INITIAL.as_dict() | {"status": "CONFIRMED", "enabled": True}
    a = write_record(
        tmp_path / "a.jsonl",
        line("initiate_auth", {"outcome": "tokens"}, params={"wrong_password": False}),
        line("get_user", {"outcome": "ok"}, state_before=confirmed),
        line("admin_delete_user", {"outcome": "ok"}),
    )
    b = write_record(
        tmp_path / "b.jsonl",
        line("initiate_auth", {"outcome": "error:X"}, params={"wrong_password": True}),
        line("get_user", {"outcome": "error:Y"}),  # another state before
        line("admin_delete_user", {"outcome": "ok"}),
    )
    result = diff_records(read_record(a), read_record(b))
    assert (result.compared, result.only_a, result.only_b) == (1, 2, 2)
    assert not result.differ  # transitions in one record only do not make them differ


def test_skipped_steps_and_repeats_are_not_compared(tmp_path: Path) -> None:
    a = write_record(
        tmp_path / "a.jsonl",
        line("forgot_password", {"outcome": "ok"}, verdict="skipped"),
        line("sign_up", {"outcome": "ok"}),
        line("sign_up", {"outcome": "error:UsernameExistsException"}),  # a later visit
    )
    b = write_record(
        tmp_path / "b.jsonl",
        line("forgot_password", {"outcome": "error:LimitExceededException"}),
        line("sign_up", {"outcome": "ok"}),
    )
    result = diff_records(read_record(a), read_record(b))
    assert (result.compared, result.changed, result.only_b) == (1, [], 1)


def test_diff_exits_1_on_a_change(tmp_path: Path) -> None:
    a = write_record(tmp_path / "a.jsonl", line("sign_up", {"outcome": "ok"}))
    b = write_record(tmp_path / "b.jsonl", line("sign_up", {"outcome": "error:X"}))
    code, out, _ = capture("diff", str(a), str(b), "--json")
    assert code == 1
    assert json.loads(out)["changed"][0]["b"] == {"outcome": "error:X"}


# ------------------------------------------------------------------ nothing in common


def test_records_sharing_no_transition_exit_1(tmp_path: Path) -> None:
    confirmed = INITIAL.as_dict() | {"status": "CONFIRMED", "enabled": True}
    a = write_record(
        tmp_path / "a.jsonl",
        line("sign_up", {"outcome": "ok"}),
        line("get_user", {"outcome": "ok"}, state_before=confirmed),
    )
    b = write_record(tmp_path / "b.jsonl", line("admin_create_user", {"outcome": "ok"}))
    code, out, err = capture("diff", str(a), str(b))
    assert code == 1
    assert (
        out.strip() == "0 transitions in both: 0 changed, no difference; 2 only in A, 1 only in B"
    )
    assert err == (
        "cognito-states: nothing in common to compare: 2 transitions only in A, 1 only in B;"
        " check that A and B ran the same scenarios and pool, or pass --allow-disjoint\n"
    )
    code, out, _ = capture("diff", str(a), str(b), "--json")
    assert code == 1
    assert json.loads(out)["disjoint"] is True

    code, _, err = capture("diff", str(a), str(b), "--allow-disjoint")
    assert code == 0
    assert err == (
        "cognito-states: nothing in common to compare: 2 transitions only in A, 1 only in B"
        " (--allow-disjoint)\n"
    )


def test_two_empty_records_compare_nothing(tmp_path: Path) -> None:
    a, b = write_record(tmp_path / "a.jsonl"), write_record(tmp_path / "b.jsonl")
    code, _, err = capture("diff", str(a), str(b))
    assert code == 1
    assert "nothing in common to compare: 0 transitions only in A, 0 only in B" in err


def test_a_shared_transition_is_enough(tmp_path: Path) -> None:
    a = write_record(
        tmp_path / "a.jsonl",
        line("sign_up", {"outcome": "ok"}),
        line("get_user", {"outcome": "n/a"}),
    )
    b = write_record(tmp_path / "b.jsonl", line("sign_up", {"outcome": "ok"}))
    code, _, err = capture("diff", str(a), str(b))
    assert (code, err) == (0, "")


# ------------------------------------------------------------------ records as the tool grows


def test_a_line_lacking_state_fields_and_keywords_matches_with_their_defaults(
    tmp_path: Path,
) -> None:
    """A record written before has_email, reset_code (state fields) and email_verified,
    message_action (keywords) existed still matches a record of today."""
    old_state = {"status": None, "enabled": None, "email_verified": None, "tokens": "none"}
    old = write_record(
        tmp_path / "old.jsonl",
        line(
            "admin_create_user", {"outcome": "ok"}, state_before=old_state, params={"email": True}
        ),
        line("sign_up", {"outcome": "ok"}, state_before={"status": None}),
    )
    new = tmp_path / "new.jsonl"
    code, _, _ = capture(
        "run",
        str(ARTICLE.parent / "new_password_challenge.py"),
        "--backend",
        "model",
        "--record",
        str(new),
    )
    assert code == 0
    today = read_record(new).lines[0]
    assert set(today["state_before"]) > set(old_state)  # the fields the old line lacks
    assert set(today["params"]) > {"email"}
    result = diff_records(read_record(old), read_record(new))
    assert (result.compared, result.changed, result.only_a) == (1, [], 1)
    first = read_record(old).transitions[0]
    assert first.before == INITIAL
    assert first.step.kwargs == read_record(new).transitions[0].step.kwargs


# The shipped scenario each reference record was made from.
REFERENCE_SCENARIOS = {
    "article": "article_seven_steps.py",
    "aws-cli": "new_password_challenge.py",
}


@pytest.fixture(scope="module")
def fresh_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("fresh")
    runs = {}
    for name, scenario in REFERENCE_SCENARIOS.items():
        for backend in ("model", "moto"):
            path = runs[name, backend] = folder / f"{name}-{backend}.jsonl"
            code, _, err = capture(
                "run", str(ARTICLE.parent / scenario), "--backend", backend, "--record", str(path)
            )
            assert code == 0, err
    return runs


def test_every_reference_record_has_its_scenario() -> None:
    assert sorted(p.stem for p in reference_records()) == sorted(REFERENCE_SCENARIOS)


@pytest.mark.parametrize("name", sorted(REFERENCE_SCENARIOS))
def test_each_reference_record_matches_a_fresh_run_of_its_scenario(
    name: str, fresh_runs: dict[tuple[str, str], Path]
) -> None:
    reference = read_record(resolve_record(name))
    # The model mirrors real Cognito: every line compared, none changed.
    model = read_record(fresh_runs[name, "model"])
    result = diff_records(reference, model)
    assert (result.compared, result.only_a, result.changed) == (len(reference.lines), 0, [])
    # moto: every line compared; a change only where the run saw a listed gap of moto.
    moto = read_record(fresh_runs[name, "moto"])
    result = diff_records(reference, moto)
    assert (result.compared, result.only_a) == (len(reference.lines), 0)
    assert all(str(c.b.verdict) == "known-gap" for c in result.changed)
    code, _, err = capture("diff", name, str(fresh_runs[name, "moto"]))
    assert code == (1 if result.changed else 0), err


# ------------------------------------------------------------------ not a record


NOT_RECORDS = {
    "text": b"hello\nworld\n",
    "empty": b"",
    "json-without-header": b'{"operation": "sign_up"}\n',
    "json-array": b"[1, 2]\n",
    "json-string": b'"cognito_states_record"\n',
    "not-utf8": b"\x89PNG\r\n\x1a\n\x00\xff\xfe\n",
    "header-then-a-number": json.dumps(HEADER).encode() + b"\n42\n{}\n",
}


@pytest.mark.parametrize("name", list(NOT_RECORDS))
def test_not_a_record_is_one_line_exit_4(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(NOT_RECORDS[name])
    code, out, err = capture("diff", "article", str(path))
    assert code == 4, err
    assert out == ""
    assert err.count("\n") == 1, err
    assert re.match(r"cognito-states: ", err)
    assert "Traceback" not in err
    assert "internal error" not in err
    assert path.name in err


def test_an_unknown_name_is_one_line_exit_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = capture("diff", "article", "artcle")
    assert code == 4
    assert err.count("\n") == 1
    assert "article, aws-cli" in err
